CREATE TRIGGER micro_revisions_append_only BEFORE UPDATE OR DELETE ON micro_revisions
FOR EACH ROW EXECUTE FUNCTION plan361_append_only();
