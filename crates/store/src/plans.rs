//! Plan versions (动态调整): every change to the plan file is a new version, effective from a
//! period, with its reason and the list of changed targets. Past versions stay readable and
//! evaluating a past period uses the version in force then.

use std::sync::Arc;

use plan361_core::Period;
use plan361_core::access::{self, Action, Actor, ReportingAssignments};
use plan361_core::calendar::Date;
use plan361_core::eval::Decompositions;
use plan361_core::plan::{self, Plan, TargetChange};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{NewAuditEntry, append};
use crate::{Result, Store, StoreError};

#[derive(Clone, Debug, Serialize)]
pub struct PlanVersionInfo {
    pub version: i64,
    pub plan_id: String,
    pub effective_from: Period,
    pub reason: String,
    pub loaded_by: String,
    pub loaded_at_ms: i64,
    pub changes: Vec<TargetChangeRecord>,
}

/// A target change as stored (the core's [`TargetChange`] in owned form).
pub type TargetChangeRecord = serde_json::Value;

#[derive(Clone, Debug)]
pub struct PlanLoad {
    pub version: i64,
    /// The file is identical to the version in force: nothing was recorded.
    pub unchanged: bool,
    pub changes: Vec<TargetChange>,
}

/// What the store reads often and changes rarely: org units, plan versions, decomposed goals,
/// assigned reporting units.
pub(crate) struct Snapshot {
    pub generation: i64,
    pub org_units: Arc<plan361_core::org::OrgUnits>,
    pub plans: Vec<(PlanVersionInfo, Arc<Plan>)>,
    pub decompositions: Arc<Decompositions>,
    /// The reporting units the plan office has assigned, in force.
    pub assignments: Arc<ReportingAssignments>,
}

impl Snapshot {
    /// The permission rules under `plan` (a version of this snapshot's), with the decomposed
    /// goals and the assigned reporting units in force.
    pub fn context<'a>(&'a self, plan: &'a Plan) -> access::Context<'a> {
        access::Context::new(plan, &self.org_units.city().name, Some(&self.decompositions))
            .with_assignments(&self.assignments)
    }

    /// The plan in force at `period`: the latest version effective by its end (the first
    /// version for periods before any).
    pub fn plan_at(&self, period: Period) -> Result<Arc<Plan>> {
        let end = period.end_month_index();
        self.plans
            .iter()
            .rev()
            .find(|(info, _)| info.effective_from.end_month_index() <= end)
            .or(self.plans.first())
            .map(|(_, plan)| plan.clone())
            .ok_or_else(no_plan)
    }

    /// The latest plan version.
    pub fn latest_plan(&self) -> Result<Arc<Plan>> {
        self.plans.last().map(|(_, plan)| plan.clone()).ok_or_else(no_plan)
    }
}

fn no_plan() -> StoreError {
    StoreError::NotFound("a plan: run `plan361 init` first".into())
}

fn content_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl Store {
    /// Records `text` as a new plan version unless it equals the latest one. The first version
    /// is effective from its baseline year; later ones from `effective` (default: this month)
    /// and need a reason.
    pub async fn load_plan(
        &self,
        actor: &Actor,
        name: &str,
        text: &str,
        effective: Option<Period>,
        reason: &str,
    ) -> Result<PlanLoad> {
        let new_plan =
            plan::parse(name, text).map_err(|e| StoreError::invalid("plan", format!("invalid plan file:\n{e}")))?;
        let hash = content_hash(text);
        let now = self.now();
        // Everything that decides the new version is read inside its transaction.
        let mut tx = self.begin_write().await?;
        let latest: Option<(i64, String)> =
            match sqlx::query("SELECT version, content_hash FROM plan_versions ORDER BY version DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?
            {
                Some(row) => Some((row.try_get("version")?, row.try_get("content_hash")?)),
                None => None,
            };
        let snapshot = if latest.is_some() { Some(self.snapshot_on(&mut tx).await?) } else { None };
        let previous = snapshot.as_ref().and_then(|s| s.plans.last());
        if let Some((info, _)) = previous {
            self.require_on(&mut tx, actor, Action::ManagePlan).await?;
            if info.plan_id != new_plan.meta().id {
                return Err(StoreError::invalid(
                    "plan",
                    format!(
                        "本库的计划是“{}”,文件中的是“{}” this database holds plan \"{}\"; the file is plan \"{}\"",
                        info.plan_id,
                        new_plan.meta().id,
                        info.plan_id,
                        new_plan.meta().id
                    ),
                ));
            }
        }
        if let Some((version, latest_hash)) = &latest
            && *latest_hash == hash
        {
            return Ok(PlanLoad { version: *version, unchanged: true, changes: Vec::new() });
        }
        let changes = previous.map_or_else(Vec::new, |(_, old)| plan::diff(old, &new_plan));
        let effective = match (previous, effective) {
            (None, _) => Period::Year(new_plan.meta().baseline_year),
            (Some(_), Some(period)) => period,
            (Some(_), None) => Date::in_china(now).month_period(),
        };
        if let Some((info, _)) = previous {
            if reason.trim().is_empty() {
                return Err(StoreError::invalid("reason", "调整计划须说明原因 a changed plan needs a reason"));
            }
            if effective.end_month_index() < info.effective_from.end_month_index() {
                return Err(StoreError::invalid(
                    "effective",
                    format!(
                        "第 {} 版自 {} 起生效,新版本不能更早生效({effective}) version {} is effective from {}; a new \
                         version cannot take effect earlier",
                        info.version, info.effective_from, info.version, info.effective_from
                    ),
                ));
            }
        }
        let version = latest.map_or(1, |(v, _)| v + 1);
        let changes_json = serde_json::to_string(&changes).map_err(|e| StoreError::corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO plan_versions (plan_id, version, effective_from, effective_end, content, content_hash, \
             changes, reason, loaded_by, loaded_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&new_plan.meta().id)
        .bind(version)
        .bind(effective.to_string())
        .bind(effective.end_month_index())
        .bind(text)
        .bind(&hash)
        .bind(&changes_json)
        .bind(reason)
        .bind(&actor.username)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let after = serde_json::json!({"version": version, "effective_from": effective.to_string(), "reason": reason, "changes": changes});
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "plan.load",
                entity: "plan",
                entity_id: &new_plan.meta().id,
                before: &previous.map_or(0, |(info, _)| info.version).to_string(),
                after: &after.to_string(),
            },
        )
        .await?;
        self.bump_generation(&mut tx).await?;
        tx.commit().await?;
        self.invalidate();
        Ok(PlanLoad { version, unchanged: false, changes })
    }

    /// A recorded version and the plan it holds.
    pub async fn plan_version(&self, version: i64) -> Result<(PlanVersionInfo, Arc<Plan>)> {
        self.snapshot()
            .await?
            .plans
            .iter()
            .find(|(info, _)| info.version == version)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("计划版本 {version} plan version {version}")))
    }

    pub async fn plan_versions(&self) -> Result<Vec<PlanVersionInfo>> {
        Ok(self.snapshot().await?.plans.iter().map(|(info, _)| info.clone()).collect())
    }

    /// The latest plan version.
    pub async fn current_plan(&self) -> Result<Arc<Plan>> {
        self.snapshot().await?.latest_plan()
    }

    /// The plan in force at `period`: the latest version effective by its end (the first
    /// version for periods before any).
    pub async fn plan_at(&self, period: Period) -> Result<Arc<Plan>> {
        self.snapshot().await?.plan_at(period)
    }

    pub async fn plan_version_text(&self, version: i64) -> Result<String> {
        sqlx::query_scalar("SELECT content FROM plan_versions WHERE version = $1")
            .bind(version)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan version {version}")))
    }

    pub async fn org_units(&self) -> Result<Arc<plan361_core::org::OrgUnits>> {
        Ok(self.snapshot().await?.org_units.clone())
    }

    pub async fn decompositions(&self) -> Result<Arc<Decompositions>> {
        Ok(self.snapshot().await?.decompositions.clone())
    }

    pub(crate) async fn bump_generation(&self, tx: &mut crate::WriteTx) -> Result<()> {
        let updated =
            sqlx::query("UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'generation'")
                .execute(&mut **tx)
                .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO settings (key, value) VALUES ('generation', '1')").execute(&mut **tx).await?;
        }
        Ok(())
    }

    pub(crate) fn invalidate(&self) {
        if let Ok(mut cached) = self.snapshot.write() {
            *cached = None;
        }
    }

    /// The cached snapshot, reloaded when another process (or this one) has changed the plan,
    /// the org units or the decomposed goals since it was read.
    pub(crate) async fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let mut conn = self.pool.acquire().await?;
        self.snapshot_on(&mut conn).await
    }

    /// The snapshot as `conn` sees it: inside a write transaction, what the transaction reads
    /// (through its own connection, never the pool).
    pub(crate) async fn snapshot_on(&self, conn: &mut sqlx::AnyConnection) -> Result<Arc<Snapshot>> {
        let generation: i64 = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'generation'")
            .fetch_optional(&mut *conn)
            .await?
            .and_then(|v: String| v.parse().ok())
            .unwrap_or(0);
        if let Ok(cached) = self.snapshot.read()
            && let Some(snapshot) = cached.as_ref()
            && snapshot.generation == generation
        {
            return Ok(snapshot.clone());
        }
        let snapshot = Arc::new(self.load_snapshot(conn, generation).await?);
        if let Ok(mut cached) = self.snapshot.write() {
            *cached = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    async fn load_snapshot(&self, conn: &mut sqlx::AnyConnection, generation: i64) -> Result<Snapshot> {
        let org_units = Arc::new(self.read_org_units(&mut *conn).await?);
        let rows = sqlx::query(
            "SELECT plan_id, version, effective_from, content, changes, reason, loaded_by, loaded_at_ms \
             FROM plan_versions ORDER BY version",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut plans = Vec::with_capacity(rows.len());
        for row in rows {
            let version: i64 = row.try_get("version")?;
            let content: String = row.try_get("content")?;
            let plan = plan::parse(&format!("plan version {version}"), &content)
                .map_err(|e| StoreError::corrupt(format!("stored plan version {version} no longer parses: {e}")))?;
            let effective: String = row.try_get("effective_from")?;
            let changes: String = row.try_get("changes")?;
            let info = PlanVersionInfo {
                version,
                plan_id: row.try_get("plan_id")?,
                effective_from: effective
                    .parse()
                    .map_err(|e| StoreError::corrupt(format!("plan version {version}: {e}")))?,
                reason: row.try_get("reason")?,
                loaded_by: row.try_get("loaded_by")?,
                loaded_at_ms: row.try_get("loaded_at_ms")?,
                changes: serde_json::from_str(&changes)
                    .map_err(|e| StoreError::corrupt(format!("plan version {version} changes: {e}")))?,
            };
            plans.push((info, Arc::new(plan)));
        }
        let decompositions = Arc::new(self.read_decompositions(&mut *conn).await?);
        let assignments = Arc::new(crate::assignments::read_in_force(&mut *conn).await?);
        Ok(Snapshot { generation, org_units, plans, decompositions, assignments })
    }
}
