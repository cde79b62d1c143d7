-- The four lists, every version of every entry (append-only), and the cluster catalog's
-- versions. An entry's current state is its highest version; its state as known at a past
-- time is its highest version recorded by then.

CREATE TABLE list_versions (
  id @ID@,
  list TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  version BIGINT NOT NULL,
  name TEXT NOT NULL,
  district TEXT NOT NULL,
  data TEXT NOT NULL,
  removed BIGINT NOT NULL DEFAULT 0,
  recorded_at_ms BIGINT NOT NULL,
  recorded_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  UNIQUE (list, entity_key, version)
);
CREATE INDEX list_versions_by_time ON list_versions (recorded_at_ms);

CREATE TABLE catalog_versions (
  id @ID@,
  label TEXT NOT NULL,
  effective TEXT NOT NULL,
  content TEXT NOT NULL,
  reason TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  loaded_at_ms BIGINT NOT NULL
);
