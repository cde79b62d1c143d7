-- Data checks (数据校验): the rules the plan office set over the built-in defaults (one row per
-- rule, in the order of its rules file; `target_id` '' for every target), and the flags that
-- warning rules left on values accepted with a 情况说明, for the reviewer. A value's flags are
-- those of its value as last entered (`revision`); entering it again replaces them.

CREATE TABLE validation_rules (
  id @ID@,
  position BIGINT NOT NULL,
  check_name TEXT NOT NULL,
  target_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  threshold @FLOAT@,
  min_value @FLOAT@,
  max_value @FLOAT@
);

CREATE TABLE observation_flags (
  id @ID@,
  observation_id BIGINT NOT NULL REFERENCES observations (id),
  revision BIGINT NOT NULL,
  check_name TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX observation_flags_observation ON observation_flags (observation_id);
