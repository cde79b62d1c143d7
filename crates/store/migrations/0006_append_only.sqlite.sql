CREATE TRIGGER warning_steps_no_update BEFORE UPDATE ON warning_steps
BEGIN SELECT RAISE(ABORT, 'warning_steps is append-only'); END;
CREATE TRIGGER warning_steps_no_delete BEFORE DELETE ON warning_steps
BEGIN SELECT RAISE(ABORT, 'warning_steps is append-only'); END;
