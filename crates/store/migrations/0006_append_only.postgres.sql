CREATE TRIGGER warning_steps_append_only BEFORE UPDATE OR DELETE ON warning_steps
FOR EACH ROW EXECUTE FUNCTION plan361_append_only();
