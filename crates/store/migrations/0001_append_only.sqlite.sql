CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON observation_revisions
BEGIN SELECT RAISE(ABORT, 'observation_revisions is append-only'); END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON observation_revisions
BEGIN SELECT RAISE(ABORT, 'observation_revisions is append-only'); END;
