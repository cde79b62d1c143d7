//! Data checks (数据校验) in the store: the office's rules, the stored values a write is checked
//! against (read inside its transaction), the flags warning rules leave on values accepted with
//! a 情况说明, and the findings over everything stored (`plan361 check-data`). What the rules
//! say is decided in `plan361_core::validation`.

use std::collections::HashMap;

use plan361_core::Period;
use plan361_core::access::{Action, Actor};
use plan361_core::org::OrgUnits;
use plan361_core::plan::Target;
use plan361_core::validation::{self, Check, Finding, Reported, Rule, Rules, Severity, StoredValue, Subject};
use plan361_core::warnings::FlaggedValue;
use serde::Serialize;
use sqlx::Row;

use crate::observations::ObservationState;
use crate::{ObservationFilter, Result, Store, StoreError};

/// A warning rule's words left on a value for its reviewer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    pub check: Check,
    pub message: String,
}

/// What a rule finds about a stored value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataFinding {
    pub observation_id: i64,
    /// A target id, or `id:measure`.
    pub target_id: String,
    pub org_unit: String,
    pub period: Period,
    pub value: f64,
    pub state: ObservationState,
    pub check: Check,
    pub severity: Severity,
    pub message: String,
}

fn decode_err(what: &str, text: &str) -> StoreError {
    StoreError::corrupt(format!("stored {what} \"{text}\" is not one this version knows"))
}

/// The office's rules as `conn` sees them.
pub(crate) async fn rules_on(conn: &mut sqlx::AnyConnection) -> Result<Rules> {
    let rows = sqlx::query(
        "SELECT check_name, target_id, severity, threshold, min_value, max_value FROM validation_rules ORDER BY position",
    )
    .fetch_all(conn)
    .await?;
    let mut rules = Vec::with_capacity(rows.len());
    for row in rows {
        let check: String = row.try_get("check_name")?;
        let severity: String = row.try_get("severity")?;
        let target: String = row.try_get("target_id")?;
        rules.push(Rule {
            check: Check::from_code(&check).ok_or_else(|| decode_err("check", &check))?,
            target: (!target.is_empty()).then_some(target),
            severity: Severity::from_code(&severity).ok_or_else(|| decode_err("severity", &severity))?,
            threshold: row.try_get("threshold")?,
            min: row.try_get("min_value")?,
            max: row.try_get("max_value")?,
        });
    }
    Ok(Rules { rules })
}

/// Every stored value of a target's measure, whatever its state, as the rules compare them.
pub(crate) async fn stored_values(
    conn: &mut sqlx::AnyConnection,
    target_id: &str,
    measure: &str,
) -> Result<Vec<Reported>> {
    let rows = sqlx::query("SELECT org_unit, period, value FROM observations WHERE target_id = $1 AND measure = $2")
        .bind(target_id)
        .bind(measure)
        .fetch_all(conn)
        .await?;
    let mut values = Vec::with_capacity(rows.len());
    for row in rows {
        let period: String = row.try_get("period")?;
        values.push(Reported {
            org_unit: row.try_get("org_unit")?,
            period: period.parse().map_err(|_| decode_err("period", &period))?,
            value: row.try_get("value")?,
        });
    }
    Ok(values)
}

/// Replaces a value's flags with the warnings found when it was entered at `revision`.
pub(crate) async fn set_flags(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    revision: i64,
    findings: &[Finding],
) -> Result<()> {
    sqlx::query("DELETE FROM observation_flags WHERE observation_id = $1").bind(id).execute(&mut *conn).await?;
    for finding in findings.iter().filter(|f| f.severity == Severity::Warning) {
        sqlx::query(
            "INSERT INTO observation_flags (observation_id, revision, check_name, message) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(revision)
        .bind(finding.check.code())
        .bind(&finding.message)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The rules and the stored values of the targets a write touches, read through the write's
/// own connection; an import's rows join the stored values so that they are checked beside
/// each other.
pub(crate) struct Checker {
    rules: Rules,
    stored: HashMap<(String, String), Vec<Reported>>,
}

impl Checker {
    pub(crate) async fn on(conn: &mut sqlx::AnyConnection) -> Result<Checker> {
        Ok(Checker { rules: rules_on(conn).await?, stored: HashMap::new() })
    }

    /// Reads the stored values of a target's measure once; the key they are kept under.
    async fn load(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        target_id: &str,
        measure: &str,
    ) -> Result<(String, String)> {
        let key = (target_id.to_string(), measure.to_string());
        if !self.stored.contains_key(&key) {
            let values = stored_values(conn, target_id, measure).await?;
            self.stored.insert(key.clone(), values);
        }
        Ok(key)
    }

    /// Counts `entry` among the stored values, in place of the one it replaces.
    pub(crate) async fn include(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        target_id: &str,
        measure: &str,
        entry: Reported,
    ) -> Result<()> {
        let key = self.load(conn, target_id, measure).await?;
        let values = self.stored.entry(key).or_default();
        values.retain(|r| !(r.org_unit == entry.org_unit && r.period == entry.period));
        values.push(entry);
        Ok(())
    }

    /// What the rules say about `entry` of `target` (its `measure`, '' for none).
    pub(crate) async fn findings(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        target: &Target,
        measure: &str,
        org_units: &OrgUnits,
        entry: &Reported,
    ) -> Result<Vec<Finding>> {
        let key = self.load(conn, &target.id, measure).await?;
        let stored = self.stored.get(&key).map_or(&[][..], Vec::as_slice);
        let subject = Subject { target, measure: (!measure.is_empty()).then_some(measure), org_units };
        Ok(validation::check(&self.rules, &subject, stored, entry))
    }
}

impl Store {
    /// The rules the office set (the built-in defaults apply where they say nothing).
    pub async fn validation_rules(&self) -> Result<Rules> {
        let mut conn = self.pool.acquire().await?;
        rules_on(&mut conn).await
    }

    /// Replaces the office's rules (the plan office), checked against the current plan; audited
    /// with the rules file before and after.
    pub async fn set_validation_rules(&self, actor: &Actor, rules: &Rules) -> Result<()> {
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManagePlan).await?;
        let snapshot = self.snapshot_on(&mut tx).await?;
        let plan = snapshot.latest_plan()?;
        rules.check(&plan).map_err(|reason| StoreError::invalid("rules", reason))?;
        let before = rules_on(&mut tx).await?.to_toml();
        sqlx::query("DELETE FROM validation_rules").execute(&mut *tx).await?;
        for (position, rule) in rules.rules.iter().enumerate() {
            sqlx::query(
                "INSERT INTO validation_rules (position, check_name, target_id, severity, threshold, min_value, max_value) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(position as i64)
            .bind(rule.check.code())
            .bind(rule.target.clone().unwrap_or_default())
            .bind(rule.severity.code())
            .bind(rule.threshold)
            .bind(rule.min)
            .bind(rule.max)
            .execute(&mut *tx)
            .await?;
        }
        let after = rules.to_toml();
        let record = crate::audit::NewAuditEntry {
            actor: &actor.username,
            action: "validation_rules.set",
            entity: "settings",
            entity_id: "validation_rules",
            before: &before,
            after: &after,
        };
        crate::audit::append(&mut tx, self.now(), record).await?;
        tx.commit().await
    }

    /// The flags of the values `ids`.
    pub async fn flags(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<Flag>>> {
        let mut flags: HashMap<i64, Vec<Flag>> = HashMap::new();
        if ids.is_empty() {
            return Ok(flags);
        }
        let rows = sqlx::query("SELECT observation_id, check_name, message FROM observation_flags ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        for row in rows {
            let id: i64 = row.try_get("observation_id")?;
            if !ids.contains(&id) {
                continue;
            }
            let check: String = row.try_get("check_name")?;
            flags.entry(id).or_default().push(Flag {
                check: Check::from_code(&check).ok_or_else(|| decode_err("check", &check))?,
                message: row.try_get("message")?,
            });
        }
        Ok(flags)
    }

    /// The values flagged by validation rules, with their explanations, of the year up to `at`
    /// (a month): what the warning centre's `flagged_value` source reports.
    pub async fn flagged_values(&self, at: Period) -> Result<Vec<FlaggedValue>> {
        let rows = sqlx::query(
            "SELECT o.id, o.target_id, o.measure, o.org_unit, o.period, o.comment, f.message \
             FROM observation_flags f JOIN observations o ON o.id = f.observation_id \
             WHERE o.period_end BETWEEN $1 AND $2 ORDER BY o.id, f.id",
        )
        .bind(at.end_month_index() - 11)
        .bind(at.end_month_index())
        .fetch_all(&self.pool)
        .await?;
        let mut flagged: Vec<(i64, FlaggedValue)> = Vec::new();
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let message: String = row.try_get("message")?;
            if let Some((_, last)) = flagged.last_mut().filter(|(last_id, _)| *last_id == id) {
                last.messages.push(message);
                continue;
            }
            let (target, measure): (String, String) = (row.try_get("target_id")?, row.try_get("measure")?);
            let period: String = row.try_get("period")?;
            flagged.push((
                id,
                FlaggedValue {
                    target_id: if measure.is_empty() { target } else { format!("{target}:{measure}") },
                    org_unit: row.try_get("org_unit")?,
                    period: period.parse().map_err(|_| decode_err("period", &period))?,
                    messages: vec![message],
                    comment: row.try_get("comment")?,
                },
            ));
        }
        Ok(flagged.into_iter().map(|(_, f)| f).collect())
    }

    /// What the rules find in the stored values `actor` may see, errors first.
    pub async fn check_data(&self, actor: &Actor) -> Result<Vec<DataFinding>> {
        let plan = self.current_plan().await?;
        let org_units = self.org_units().await?;
        let rules = self.validation_rules().await?;
        let observations = self
            .observations(actor, &ObservationFilter { limit: Some(100_000), ..ObservationFilter::default() })
            .await?;
        let values: Vec<StoredValue> = observations
            .iter()
            .map(|o| StoredValue {
                key: o.target_key(),
                reported: Reported { org_unit: o.org_unit.clone(), period: o.period, value: o.value },
            })
            .collect();
        let mut found: Vec<DataFinding> = validation::check_all(&rules, &plan, &org_units, &values)
            .into_iter()
            .filter_map(|(i, finding)| {
                let o = observations.get(i)?;
                Some(DataFinding {
                    observation_id: o.id,
                    target_id: o.target_key(),
                    org_unit: o.org_unit.clone(),
                    period: o.period,
                    value: o.value,
                    state: o.state,
                    check: finding.check,
                    severity: finding.severity,
                    message: finding.message,
                })
            })
            .collect();
        found.sort_by(|a, b| {
            (a.severity != Severity::Error, &a.target_id, &a.org_unit, a.period, a.check.code()).cmp(&(
                b.severity != Severity::Error,
                &b.target_id,
                &b.org_unit,
                b.period,
                b.check.code(),
            ))
        });
        Ok(found)
    }
}

#[cfg(test)]
mod tests;
