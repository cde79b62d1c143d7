-- Early warnings (预警): one row per cause (its `key`, stable across periods), with its current
-- state, and every step of its life (append-only): raised, acknowledged, measures, resolved —
-- by a person or by a scan — and reopened. Periods are as written (2026-10).

CREATE TABLE warnings (
  id @ID@,
  key TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  level TEXT NOT NULL,
  target_id TEXT,
  org_unit TEXT NOT NULL,
  owner_unit TEXT NOT NULL,
  period TEXT NOT NULL,
  last_period TEXT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL,
  cause_present BIGINT NOT NULL,
  measures TEXT NOT NULL,
  measures_due TEXT,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX warnings_owner ON warnings (owner_unit, state);

CREATE TABLE warning_steps (
  id @ID@,
  warning_id BIGINT NOT NULL REFERENCES warnings (id),
  action TEXT NOT NULL,
  state TEXT NOT NULL,
  note TEXT NOT NULL,
  due TEXT,
  period TEXT,
  actor TEXT NOT NULL,
  at_ms BIGINT NOT NULL
);
CREATE INDEX warning_steps_warning ON warning_steps (warning_id);
