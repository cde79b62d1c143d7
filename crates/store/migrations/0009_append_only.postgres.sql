CREATE TRIGGER reporting_assignments_append_only BEFORE UPDATE OR DELETE ON reporting_assignments
FOR EACH ROW EXECUTE FUNCTION plan361_append_only();
