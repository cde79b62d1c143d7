CREATE TRIGGER list_versions_no_update BEFORE UPDATE ON list_versions
BEGIN SELECT RAISE(ABORT, 'list_versions is append-only'); END;
CREATE TRIGGER list_versions_no_delete BEFORE DELETE ON list_versions
BEGIN SELECT RAISE(ABORT, 'list_versions is append-only'); END;
