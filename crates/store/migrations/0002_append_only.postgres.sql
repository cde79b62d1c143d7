CREATE TRIGGER list_versions_append_only BEFORE UPDATE OR DELETE ON list_versions
FOR EACH ROW EXECUTE FUNCTION plan361_append_only();
