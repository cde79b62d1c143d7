//! Reporting units the plan office assigns (§3A.12): the plan file names a target's lead; when
//! another department actually holds the figures, the plan office assigns it to report the city
//! value — a versioned decision with its reason, not an edit of the plan's words. Every
//! assignment is kept; the latest of a target is in force.

use plan361_core::access::{Action, Actor, ReportingAssignments};
use plan361_core::org::OrgKind;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{NewAuditEntry, append};
use crate::{Result, Store, StoreError};

/// The longest reason kept with an assignment.
const MAX_REASON: usize = 1000;

/// One assignment as recorded.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ReportingAssignment {
    pub target_id: String,
    /// The department that reports the target's city value from then on.
    pub org_unit: String,
    pub reason: String,
    pub assigned_by: String,
    pub assigned_at_ms: i64,
}

impl Store {
    /// Assigns the department `org_unit` to report the city value of `target_id` in the lead's
    /// stead (assigning the lead again restores the plan's words). The permission, the target,
    /// the unit and the reason are checked inside the write transaction.
    pub async fn assign_reporting_unit(
        &self,
        actor: &Actor,
        target_id: &str,
        org_unit: &str,
        reason: &str,
    ) -> Result<ReportingAssignment> {
        let now = self.now();
        let reason = reason.trim();
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManagePlan).await?;
        let snapshot = self.snapshot_on(&mut tx).await?;
        let plan = snapshot.latest_plan()?;
        let target = plan.target(target_id).ok_or_else(|| {
            StoreError::invalid("target_id", format!("没有目标 {target_id} unknown target \"{target_id}\""))
        })?;
        if target.is_derived() {
            return Err(StoreError::invalid(
                "target_id",
                format!("目标 {target_id} 由清单或统计得出,无人填报 target {target_id} is derived, nobody reports it"),
            ));
        }
        if !snapshot.org_units.get(org_unit).is_some_and(|u| u.kind == OrgKind::Department) {
            return Err(StoreError::invalid(
                "org_unit",
                format!("“{org_unit}”不是市级部门 \"{org_unit}\" is not a city department"),
            ));
        }
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(StoreError::invalid(
                "reason",
                format!("请填写指派理由(至多 {MAX_REASON} 字) give the reason (at most {MAX_REASON} characters)"),
            ));
        }
        let before = snapshot.assignments.city_reporter(target).to_string();
        sqlx::query(
            "INSERT INTO reporting_assignments (target_id, org_unit, reason, assigned_by, assigned_at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(target_id)
        .bind(org_unit)
        .bind(reason)
        .bind(&actor.username)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "reporting_unit.assign",
                entity: "target",
                entity_id: target_id,
                before: &before,
                after: &format!("{org_unit}: {reason}"),
            },
        )
        .await?;
        self.bump_generation(&mut tx).await?;
        tx.commit().await?;
        self.invalidate();
        Ok(ReportingAssignment {
            target_id: target_id.to_string(),
            org_unit: org_unit.to_string(),
            reason: reason.to_string(),
            assigned_by: actor.username.clone(),
            assigned_at_ms: now,
        })
    }

    /// Every assignment ever made, oldest first (the latest of a target is in force).
    pub async fn reporting_assignment_history(&self) -> Result<Vec<ReportingAssignment>> {
        let mut conn = self.pool.acquire().await?;
        read_history(&mut conn).await
    }

    /// The assignments in force (target id → department).
    pub async fn reporting_assignments(&self) -> Result<std::sync::Arc<ReportingAssignments>> {
        Ok(self.snapshot().await?.assignments.clone())
    }
}

async fn read_history(conn: &mut sqlx::AnyConnection) -> Result<Vec<ReportingAssignment>> {
    let rows = sqlx::query(
        "SELECT target_id, org_unit, reason, assigned_by, assigned_at_ms FROM reporting_assignments ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ReportingAssignment {
                target_id: row.try_get("target_id")?,
                org_unit: row.try_get("org_unit")?,
                reason: row.try_get("reason")?,
                assigned_by: row.try_get("assigned_by")?,
                assigned_at_ms: row.try_get("assigned_at_ms")?,
            })
        })
        .collect()
}

/// The assignments in force, as the snapshot keeps them: the latest per target wins.
pub(crate) async fn read_in_force(conn: &mut sqlx::AnyConnection) -> Result<ReportingAssignments> {
    Ok(read_history(conn).await?.into_iter().map(|a| (a.target_id, a.org_unit)).collect())
}
