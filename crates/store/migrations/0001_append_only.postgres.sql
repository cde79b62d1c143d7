CREATE FUNCTION plan361_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION plan361_append_only();
CREATE TRIGGER revisions_append_only BEFORE UPDATE OR DELETE ON observation_revisions
FOR EACH ROW EXECUTE FUNCTION plan361_append_only();
