//! Early warnings: the rules (stored as settings, with defaults), the scan that gathers one
//! period's facts and reconciles the findings with the stored warnings, and the steps people
//! take. Every change — a scan's and a person's — is a step with who and when, and an audit
//! entry, in the transaction that makes it.

use std::collections::HashMap;

use plan361_core::Period;
use plan361_core::access::{Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::warnings::{self, Change, Facts, Finding, Known, LateUnit, Level, Rules, Source, Step, WarningState};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, WriteTx};

/// A query of the warnings' columns, with `$tail` (a condition, an order).
macro_rules! select_warnings {
    ($tail:literal) => {
        concat!(
            "SELECT id, key, source, level, target_id, org_unit, owner_unit, period, last_period, reason, state, \
             cause_present, measures, measures_due FROM warnings",
            $tail
        )
    };
}

/// A stored warning with its history.
#[derive(Clone, Debug, Serialize)]
pub struct Warning {
    pub id: i64,
    /// The cause, stable across periods (`projected_miss:3.3.1:宁波市`).
    pub key: String,
    pub source: Source,
    pub level: Level,
    pub target_id: Option<String>,
    pub org_unit: String,
    pub owner_unit: String,
    /// The period it arose (or was last reopened).
    pub period: String,
    /// The last period a scan found its cause.
    pub last_period: String,
    pub reason: String,
    pub state: WarningState,
    pub measures: String,
    pub measures_due: Option<Date>,
    pub history: Vec<WarningStep>,
}

/// One step of a warning's life.
#[derive(Clone, Debug, Serialize)]
pub struct WarningStep {
    /// raised, acknowledged, measures, resolved, auto_resolved or reopened.
    pub action: String,
    /// The state after the step.
    pub state: WarningState,
    pub note: String,
    pub due: Option<Date>,
    /// The period of the scan that took the step.
    pub period: Option<String>,
    pub actor: String,
    pub at_ms: i64,
}

#[derive(Clone, Debug, Default)]
pub struct WarningFilter {
    pub level: Option<Level>,
    pub owner_unit: Option<String>,
    pub state: Option<WarningState>,
    pub source: Option<Source>,
    /// Warnings whose cause was found at this month: arisen by then and found then or later.
    pub period: Option<Period>,
    pub target_id: Option<String>,
    /// Only open warnings (any state but resolved).
    pub open: bool,
}

/// What a scan changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScanReport {
    pub period: String,
    pub raised: usize,
    pub reopened: usize,
    pub resolved: usize,
    pub refreshed: usize,
    /// Open warnings after the scan.
    pub open: usize,
}

const RULES_KEY: &str = "warning_rules";
/// Overdue reports are looked for this many months back (older ones have long locked).
const OVERDUE_MONTHS: u8 = 12;

impl Store {
    pub async fn warning_rules(&self) -> Result<Rules> {
        let stored: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(RULES_KEY)
            .fetch_optional(&self.pool)
            .await?;
        match stored {
            Some(json) => {
                serde_json::from_str(&json).map_err(|e| StoreError::corrupt(format!("stored warning rules: {e}")))
            }
            None => Ok(Rules::default()),
        }
    }

    pub async fn set_warning_rules(&self, actor: &Actor, rules: &Rules) -> Result<()> {
        rules.check().map_err(|reason| StoreError::invalid("rules", reason))?;
        let before = serde_json::to_string(&self.warning_rules().await?).unwrap_or_default();
        let after = serde_json::to_string(rules).unwrap_or_default();
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManagePlan).await?;
        sqlx::query("DELETE FROM settings WHERE key = $1").bind(RULES_KEY).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(RULES_KEY)
            .bind(&after)
            .execute(&mut *tx)
            .await?;
        let record = crate::audit::NewAuditEntry {
            actor: &actor.username,
            action: "warning_rules.set",
            entity: "settings",
            entity_id: RULES_KEY,
            before: &before,
            after: &after,
        };
        crate::audit::append(&mut tx, self.now(), record).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The findings of the rules at `at` (a month): evaluations at `at` and the month before,
    /// the reports overdue in the year up to `at`, key enterprises and clusters from the cube.
    pub async fn warning_findings(&self, at: Period) -> Result<Vec<Finding>> {
        let rules = self.warning_rules().await?;
        let input = self.eval_input(at, false).await?;
        let rows = input.evaluate(at);
        let previous = input.evaluate(at.previous());
        let late = self.late_units(at).await?;
        let dataset = self.stats_dataset(None, at).await?;
        let (enterprises, (clusters, city_growth)) = if dataset.micro.is_empty() {
            (Vec::new(), (Vec::new(), None))
        } else {
            let registry = self.registry(None).await?;
            let top = rules.get(Source::EnterpriseFall).top.unwrap_or(0);
            let cube = dataset.cube(at);
            (warnings::key_enterprises(&dataset, &registry, at, top), warnings::cluster_growth(&cube, &input.plan))
        };
        let facts = Facts {
            period: at,
            plan: &input.plan,
            city: &input.org_units.city().name,
            rows: &rows,
            previous: &previous,
            late: &late,
            enterprises: &enterprises,
            clusters: &clusters,
            city_growth,
        };
        Ok(warnings::detect(&facts, &rules))
    }

    /// The units with reports past due, per period of the year up to `at`.
    async fn late_units(&self, at: Period) -> Result<Vec<LateUnit>> {
        // Every period of any frequency that ended within the window.
        let mut periods: Vec<Period> = Vec::new();
        let mut month = at;
        for _ in 0..OVERDUE_MONTHS {
            periods.push(month);
            if month.months_elapsed().is_multiple_of(3) {
                periods.push(month.quarter_of());
            }
            if month.closes_year() {
                periods.push(Period::Year(month.year()));
            }
            month = month.previous();
        }
        let mut late = Vec::new();
        for period in periods {
            let report = self.overdue(period).await?;
            let mut by_unit: Vec<LateUnit> = Vec::new();
            for o in report.outstanding.iter().filter(|o| o.days_overdue > 0) {
                match by_unit.iter_mut().find(|l| l.unit == o.reporting_unit) {
                    Some(unit) => {
                        if !unit.targets.contains(&o.target_id) {
                            unit.targets.push(o.target_id.clone());
                        }
                        unit.days = unit.days.max(o.days_overdue);
                    }
                    None => by_unit.push(LateUnit {
                        unit: o.reporting_unit.clone(),
                        period,
                        targets: vec![o.target_id.clone()],
                        days: o.days_overdue,
                    }),
                }
            }
            late.extend(by_unit);
        }
        Ok(late)
    }

    /// Scans at `at`: raises a warning for every new cause, resolves those whose cause is gone,
    /// reopens those whose cause is back, all in one transaction. Running it again on the same
    /// data changes nothing.
    pub async fn scan_warnings(&self, actor: &Actor, at: Period) -> Result<ScanReport> {
        if !matches!(at, Period::Month { .. }) {
            return Err(StoreError::invalid("at", format!("{at}: warnings are scanned for a month (2026-10)")));
        }
        let findings = self.warning_findings(at).await?;
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManagePlan).await?;
        let rows = sqlx::query(select_warnings!("")).fetch_all(&mut *tx).await?;
        let mut known = Vec::with_capacity(rows.len());
        for row in &rows {
            let w = warning_row(row)?;
            let cause_present: i64 = row.try_get("cause_present")?;
            known.push(Known {
                id: w.id,
                key: w.key.clone(),
                state: w.state,
                cause_present: cause_present != 0,
                finding: Finding {
                    key: w.key,
                    source: w.source,
                    level: w.level,
                    target_id: w.target_id,
                    org_unit: w.org_unit,
                    owner_unit: w.owner_unit,
                    reason: w.reason,
                },
            });
        }
        let changes = warnings::reconcile(&known, &findings);
        let mut report = ScanReport { period: at.to_string(), ..ScanReport::default() };
        let now = self.now();
        let period = at.to_string();
        let scan_step = |id, action: &'static str, state, note: String| ScanStep { id, action, state, note };
        for change in &changes {
            match change {
                Change::Raise(f) => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO warnings (key, source, level, target_id, org_unit, owner_unit, period, last_period, \
                         reason, state, cause_present, measures, measures_due, updated_at_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, 'new', 1, '', NULL, $9) RETURNING id",
                    )
                    .bind(&f.key)
                    .bind(f.source.code())
                    .bind(f.level.code())
                    .bind(f.target_id.clone())
                    .bind(&f.org_unit)
                    .bind(&f.owner_unit)
                    .bind(&period)
                    .bind(&f.reason)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    report.raised += 1;
                    let step = scan_step(id, "raised", WarningState::New, f.reason.clone());
                    self.record_scan_step(&mut tx, actor, &period, step).await?;
                }
                Change::Reopen { id, finding: f } => {
                    update_finding(&mut tx, *id, f, &period, now, Some(&period)).await?;
                    report.reopened += 1;
                    let step = scan_step(*id, "reopened", WarningState::New, f.reason.clone());
                    self.record_scan_step(&mut tx, actor, &period, step).await?;
                }
                Change::Refresh { id, finding: f } => {
                    update_finding(&mut tx, *id, f, &period, now, None).await?;
                    report.refreshed += 1;
                }
                Change::Resolve { id } => {
                    sqlx::query(
                        "UPDATE warnings SET state = 'resolved', cause_present = 0, updated_at_ms = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    report.resolved += 1;
                    let label = plan361_core::i18n::period_label(at, plan361_core::i18n::Lang::Zh);
                    let note = format!("{label}扫描时原因已消除,自动解除。");
                    let step = scan_step(*id, "auto_resolved", WarningState::Resolved, note);
                    self.record_scan_step(&mut tx, actor, &period, step).await?;
                }
                Change::CauseGone { id } => {
                    sqlx::query("UPDATE warnings SET cause_present = 0 WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        report.open = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM warnings WHERE state <> 'resolved'")
            .fetch_one(&mut *tx)
            .await? as usize;
        tx.commit().await?;
        Ok(report)
    }

    async fn record_scan_step(&self, tx: &mut WriteTx, actor: &Actor, period: &str, step: ScanStep) -> Result<()> {
        insert_step(tx, step.id, step.action, step.state, &step.note, None, Some(period), &actor.username, self.now())
            .await?;
        let after = serde_json::json!({"state": step.state.code(), "note": step.note, "period": period}).to_string();
        let record = crate::audit::NewAuditEntry {
            actor: &actor.username,
            action: &format!("warning.{}", step.action),
            entity: "warning",
            entity_id: &step.id.to_string(),
            before: "",
            after: &after,
        };
        crate::audit::append(tx, self.now(), record).await?;
        Ok(())
    }

    /// Warnings matching the filter, most urgent first, then newest.
    pub async fn warnings(&self, filter: &WarningFilter) -> Result<Vec<Warning>> {
        let rows = sqlx::query(select_warnings!(
            " WHERE ($1 = '' OR level = $1) AND ($2 = '' OR owner_unit = $2) \
             AND ($3 = '' OR state = $3) AND ($4 = '' OR source = $4) \
             AND ($5 = '' OR (period <= $5 AND last_period >= $5)) \
             AND ($6 = '' OR target_id = $6) AND ($7 = 0 OR state <> 'resolved') ORDER BY id DESC"
        ))
        .bind(filter.level.map(Level::code).unwrap_or_default())
        .bind(filter.owner_unit.clone().unwrap_or_default())
        .bind(filter.state.map(WarningState::code).unwrap_or_default())
        .bind(filter.source.map(Source::code).unwrap_or_default())
        .bind(filter.period.map(|p| p.to_string()).unwrap_or_default())
        .bind(filter.target_id.clone().unwrap_or_default())
        .bind(i64::from(filter.open))
        .fetch_all(&self.pool)
        .await?;
        let mut found: Vec<Warning> = rows.iter().map(warning_row).collect::<Result<_>>()?;
        let steps = sqlx::query(
            "SELECT warning_id, action, state, note, due, period, actor, at_ms FROM warning_steps ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let positions: HashMap<i64, usize> = found.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
        for row in &steps {
            let id: i64 = row.try_get("warning_id")?;
            if let Some(&i) = positions.get(&id) {
                found[i].history.push(step_row(row)?);
            }
        }
        found.sort_by(|a, b| b.level.cmp(&a.level).then(b.id.cmp(&a.id)));
        Ok(found)
    }

    pub async fn warning(&self, id: i64) -> Result<Warning> {
        let row = sqlx::query(select_warnings!(" WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("warning {id}")))?;
        let mut warning = warning_row(&row)?;
        let steps = sqlx::query(
            "SELECT warning_id, action, state, note, due, period, actor, at_ms FROM warning_steps \
             WHERE warning_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        warning.history = steps.iter().map(step_row).collect::<Result<_>>()?;
        Ok(warning)
    }

    /// A person's step: acknowledge, set measures with a date, or resolve with a note. Only
    /// the owner unit (and the plan office) may take it.
    pub async fn step_warning(&self, actor: &Actor, id: i64, step: Step) -> Result<Warning> {
        let mut tx = self.begin_write().await?;
        // The owner and the state are read inside the write transaction: a concurrent step is seen.
        let row = sqlx::query("SELECT owner_unit, state FROM warnings WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("warning {id}")))?;
        let owner_unit: String = row.try_get("owner_unit")?;
        self.require_on(&mut tx, actor, Action::HandleWarning { owner_unit: &owner_unit }).await?;
        let state = parse_state(&row.try_get::<String, _>("state")?)?;
        let after = step.apply(state).map_err(|(field, reason)| StoreError::invalid(field, reason))?;
        let now = self.now();
        let (note, due) = match &step {
            Step::Acknowledge => (String::new(), None),
            Step::Measures { measures, due } => {
                sqlx::query("UPDATE warnings SET measures = $2, measures_due = $3 WHERE id = $1")
                    .bind(id)
                    .bind(measures.trim())
                    .bind(due.to_string())
                    .execute(&mut *tx)
                    .await?;
                (measures.trim().to_string(), Some(*due))
            }
            Step::Resolve { note } => (note.trim().to_string(), None),
        };
        sqlx::query("UPDATE warnings SET state = $2, updated_at_ms = $3 WHERE id = $1")
            .bind(id)
            .bind(after.code())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        insert_step(&mut tx, id, step.code(), after, &note, due, None, &actor.username, now).await?;
        let record = crate::audit::NewAuditEntry {
            actor: &actor.username,
            action: &format!("warning.{}", step.code()),
            entity: "warning",
            entity_id: &id.to_string(),
            before: &serde_json::json!({"state": state.code()}).to_string(),
            after: &serde_json::json!({"state": after.code(), "note": note, "due": due}).to_string(),
        };
        crate::audit::append(&mut tx, now, record).await?;
        tx.commit().await?;
        self.warning(id).await
    }

    /// Open warnings per owner unit.
    pub async fn open_warnings_by_owner(&self) -> Result<HashMap<String, usize>> {
        let rows =
            sqlx::query("SELECT owner_unit, COUNT(*) AS n FROM warnings WHERE state <> 'resolved' GROUP BY owner_unit")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| Ok((row.try_get::<String, _>("owner_unit")?, row.try_get::<i64, _>("n")? as usize)))
            .collect()
    }
}

struct ScanStep {
    id: i64,
    action: &'static str,
    state: WarningState,
    note: String,
}

async fn update_finding(
    tx: &mut WriteTx,
    id: i64,
    f: &Finding,
    last_period: &str,
    now: i64,
    reopened_at: Option<&str>,
) -> Result<()> {
    let sql = if reopened_at.is_some() {
        "UPDATE warnings SET level = $2, owner_unit = $3, reason = $4, last_period = $5, cause_present = 1, \
         updated_at_ms = $6, state = 'new', period = $5, measures = '', measures_due = NULL WHERE id = $1"
    } else {
        "UPDATE warnings SET level = $2, owner_unit = $3, reason = $4, last_period = $5, cause_present = 1, \
         updated_at_ms = $6 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(f.level.code())
        .bind(&f.owner_unit)
        .bind(&f.reason)
        .bind(last_period)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_step(
    tx: &mut WriteTx,
    id: i64,
    action: &str,
    state: WarningState,
    note: &str,
    due: Option<Date>,
    period: Option<&str>,
    actor: &str,
    at_ms: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO warning_steps (warning_id, action, state, note, due, period, actor, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(action)
    .bind(state.code())
    .bind(note)
    .bind(due.map(|d| d.to_string()))
    .bind(period.map(str::to_string))
    .bind(actor)
    .bind(at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn parse_state(code: &str) -> Result<WarningState> {
    WarningState::from_code(code).ok_or_else(|| StoreError::corrupt(format!("stored warning state \"{code}\"")))
}

fn warning_row(row: &AnyRow) -> Result<Warning> {
    let source: String = row.try_get("source")?;
    let level: String = row.try_get("level")?;
    let state: String = row.try_get("state")?;
    let due: Option<String> = row.try_get("measures_due")?;
    Ok(Warning {
        id: row.try_get("id")?,
        key: row.try_get("key")?,
        source: Source::from_code(&source)
            .ok_or_else(|| StoreError::corrupt(format!("stored warning source \"{source}\"")))?,
        level: Level::from_code(&level)
            .ok_or_else(|| StoreError::corrupt(format!("stored warning level \"{level}\"")))?,
        target_id: row.try_get("target_id")?,
        org_unit: row.try_get("org_unit")?,
        owner_unit: row.try_get("owner_unit")?,
        period: row.try_get("period")?,
        last_period: row.try_get("last_period")?,
        reason: row.try_get("reason")?,
        state: parse_state(&state)?,
        measures: row.try_get("measures")?,
        measures_due: due.and_then(|d| d.parse().ok()),
        history: Vec::new(),
    })
}

fn step_row(row: &AnyRow) -> Result<WarningStep> {
    let state: String = row.try_get("state")?;
    let due: Option<String> = row.try_get("due")?;
    Ok(WarningStep {
        action: row.try_get("action")?,
        state: parse_state(&state)?,
        note: row.try_get("note")?,
        due: due.and_then(|d| d.parse().ok()),
        period: row.try_get("period")?,
        actor: row.try_get("actor")?,
        at_ms: row.try_get("at_ms")?,
    })
}

#[cfg(test)]
mod tests;
