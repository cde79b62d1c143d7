CREATE TRIGGER reporting_assignments_no_update BEFORE UPDATE ON reporting_assignments
BEGIN SELECT RAISE(ABORT, 'reporting_assignments is append-only'); END;
CREATE TRIGGER reporting_assignments_no_delete BEFORE DELETE ON reporting_assignments
BEGIN SELECT RAISE(ABORT, 'reporting_assignments is append-only'); END;
