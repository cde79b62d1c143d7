CREATE TRIGGER micro_revisions_no_update BEFORE UPDATE ON micro_revisions
BEGIN SELECT RAISE(ABORT, 'micro_revisions is append-only'); END;
CREATE TRIGGER micro_revisions_no_delete BEFORE DELETE ON micro_revisions
BEGIN SELECT RAISE(ABORT, 'micro_revisions is append-only'); END;
