-- The reporting unit the plan office assigns for a target's city value in the lead's stead
-- (§3A.12). Append-only: the latest row of a target is in force; an assignment back to the lead
-- is one more row.
CREATE TABLE reporting_assignments (
  id @ID@,
  target_id TEXT NOT NULL,
  org_unit TEXT NOT NULL REFERENCES org_units (name),
  reason TEXT NOT NULL,
  assigned_by TEXT NOT NULL,
  assigned_at_ms BIGINT NOT NULL
);
CREATE INDEX reporting_assignments_by_target ON reporting_assignments (target_id, id);
