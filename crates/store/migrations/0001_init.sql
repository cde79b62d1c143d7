-- plan361 schema, version 1. Written once for both backends: @ID@ is the auto-increment key
-- and @FLOAT@ the double type of each backend. Integers are BIGINT everywhere, flags are 0/1,
-- instants are epoch milliseconds and periods their canonical text plus the month index of
-- their end, so that every column reads the same way on SQLite and PostgreSQL.

CREATE TABLE plan_versions (
  id @ID@,
  plan_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  effective_from TEXT NOT NULL,
  effective_end BIGINT NOT NULL,
  content TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  changes TEXT NOT NULL,
  reason TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  loaded_at_ms BIGINT NOT NULL,
  UNIQUE (plan_id, version)
);

CREATE TABLE org_units (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  full_name TEXT NOT NULL DEFAULT '',
  hosts TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  position BIGINT NOT NULL
);

CREATE TABLE users (
  id @ID@,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  org_unit TEXT NOT NULL REFERENCES org_units (name),
  role TEXT NOT NULL,
  disabled BIGINT NOT NULL DEFAULT 0,
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE observations (
  id @ID@,
  target_id TEXT NOT NULL,
  measure TEXT NOT NULL DEFAULT '',
  org_unit TEXT NOT NULL REFERENCES org_units (name),
  period TEXT NOT NULL,
  period_end BIGINT NOT NULL,
  value @FLOAT@ NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  attachments TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  return_reason TEXT NOT NULL DEFAULT '',
  approved_value @FLOAT@,
  revision BIGINT NOT NULL,
  late BIGINT NOT NULL DEFAULT 0,
  submitted_at_ms BIGINT,
  updated_at_ms BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (target_id, measure, org_unit, period)
);
CREATE INDEX observations_by_period ON observations (period_end);

CREATE TABLE observation_revisions (
  id @ID@,
  observation_id BIGINT NOT NULL REFERENCES observations (id),
  revision BIGINT NOT NULL,
  action TEXT NOT NULL,
  value @FLOAT@ NOT NULL,
  comment TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  changed_by TEXT NOT NULL,
  changed_at_ms BIGINT NOT NULL,
  UNIQUE (observation_id, revision)
);

CREATE TABLE decompositions (
  target_id TEXT NOT NULL,
  org_unit TEXT NOT NULL REFERENCES org_units (name),
  goal TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at_ms BIGINT NOT NULL,
  PRIMARY KEY (target_id, org_unit)
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE imports (
  id @ID@,
  file_name TEXT NOT NULL,
  file_hash TEXT NOT NULL,
  rows_total BIGINT NOT NULL,
  rows_changed BIGINT NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at_ms BIGINT NOT NULL
);

CREATE TABLE audit_log (
  id @ID@,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_state TEXT NOT NULL,
  after_state TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

-- The head of the audit chain: every append updates it in the same transaction, which
-- serialises appenders on both backends.
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY,
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');
