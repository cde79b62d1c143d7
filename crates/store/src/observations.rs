//! Reported values and their workflow: draft → submitted → approved, or returned with a
//! reason. Every change is a new revision; an update based on an old revision is a conflict,
//! never a lost update. Evaluation reads the last approved value.

use plan361_core::i18n::Labelled;
use std::collections::HashMap;
use std::sync::Arc;

use plan361_core::Period;
use plan361_core::access::{self, Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::eval::{self, Decompositions, Observations, Point};
use plan361_core::observation::{self, Field};
use plan361_core::org::{OrgKind, OrgUnitId, OrgUnits};
use plan361_core::plan::{Goal, Kind, Plan, Target, TargetId, TargetKey};
use plan361_core::registry::count;
use plan361_core::stats;
use plan361_core::validation;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{NewAuditEntry, append};
use crate::error::{Rejection, RowProblem};
use crate::plans::Snapshot;
use crate::windows::{Windows, windows_on};
use crate::{Result, Store, StoreError, WriteTx};

/// The plan, org units, values and decomposed goals of one evaluation, owned so that callers
/// can evaluate at any period and borrow the rows.
pub struct EvalInput {
    pub plan: Arc<Plan>,
    pub org_units: Arc<OrgUnits>,
    pub observations: Observations,
    pub decompositions: Arc<Decompositions>,
    /// Which periods' values were due when the input was read (the reporting windows today).
    pub due_by: eval::DueBy,
}

impl EvalInput {
    pub fn evaluate(&self, at: Period) -> Vec<eval::Row<'_>> {
        eval::evaluate_plan(&self.plan, &self.org_units, &self.observations, &self.decompositions, at, &self.due_by)
    }

    /// The latest approved value of `key` (a target id, or `id:measure`) for `org_unit` in a
    /// period before `period` (what a form shows as 上期值).
    pub fn approved_before(&self, key: &str, org_unit: &str, period: Period) -> Option<(Period, f64)> {
        let Ok(key) = key.parse::<TargetKey>();
        let target = self.plan.targets().iter().position(|t| t.id == key.id)?;
        let unit = self.org_units.position(org_unit)?;
        self.observations.latest_before(target, unit, key.measure.as_deref(), period).map(|p| (p.period, p.value))
    }
}

/// Where a reported value stands in the workflow: 草稿 → 待审核 → 已审核 (or 已退回).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationState {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl ObservationState {
    pub fn code(self) -> &'static str {
        match self {
            ObservationState::Draft => "draft",
            ObservationState::Submitted => "submitted",
            ObservationState::Approved => "approved",
            ObservationState::Returned => "returned",
        }
    }

    pub fn from_code(code: &str) -> Option<ObservationState> {
        [ObservationState::Draft, ObservationState::Submitted, ObservationState::Approved, ObservationState::Returned]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

impl plan361_core::i18n::Labelled for ObservationState {
    fn label_zh(self) -> &'static str {
        match self {
            ObservationState::Draft => "草稿",
            ObservationState::Submitted => "待审核",
            ObservationState::Approved => "已审核",
            ObservationState::Returned => "已退回",
        }
    }

    /// Its name on English pages: its code.
    fn label_en(self) -> &'static str {
        self.code()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    pub id: i64,
    pub target_id: String,
    pub measure: Option<String>,
    pub org_unit: String,
    pub period: Period,
    pub value: f64,
    pub comment: String,
    pub source: String,
    pub attachments: Vec<String>,
    pub state: ObservationState,
    pub return_reason: String,
    /// The value evaluation uses: the last approved one, if any.
    pub approved_value: Option<f64>,
    pub revision: i64,
    pub late: bool,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

impl Observation {
    /// `2.1.2:rank` for a measure, the target id otherwise.
    pub fn target_key(&self) -> String {
        TargetKey::new(&self.target_id, self.measure.as_deref()).to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Revision {
    pub revision: i64,
    pub action: String,
    pub value: f64,
    pub comment: String,
    pub state: ObservationState,
    pub reason: String,
    pub changed_by: String,
    pub changed_at_ms: i64,
}

/// A value as a person enters it.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// A target id, or `id:measure` for a part of a two-sided target.
    pub target: String,
    pub org_unit: String,
    pub period: Option<Period>,
    pub value: f64,
    pub comment: String,
    pub source: String,
    pub attachments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewDecision {
    Submit,
    Approve,
    Return { reason: String },
}

#[derive(Clone, Debug, Default)]
pub struct ObservationFilter {
    pub target: Option<String>,
    pub org_unit: Option<String>,
    pub period: Option<Period>,
    pub state: Option<ObservationState>,
    pub limit: Option<i64>,
}

/// One row of an import, with where it came from for messages.
#[derive(Clone, Debug)]
pub struct ImportRow {
    pub sheet: Option<String>,
    pub row: usize,
    pub target: String,
    pub org_unit: String,
    pub period: Period,
    pub value: f64,
    pub comment: String,
    /// The revision the row was made from (a form says; 0: no value was stored then), if the
    /// file says.
    pub revision: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The columns `from_row` reads, as a literal so that queries stay `&'static str`.
macro_rules! columns {
    () => {
        "id, target_id, measure, org_unit, period, value, comment, source, attachments, state, return_reason, \
         approved_value, revision, late, updated_at_ms, updated_by"
    };
}

fn from_row(row: &AnyRow) -> Result<Observation> {
    let measure: String = row.try_get("measure")?;
    let period: String = row.try_get("period")?;
    let state: String = row.try_get("state")?;
    let attachments: String = row.try_get("attachments")?;
    Ok(Observation {
        id: row.try_get("id")?,
        target_id: row.try_get("target_id")?,
        measure: (!measure.is_empty()).then_some(measure),
        org_unit: row.try_get("org_unit")?,
        period: period.parse().map_err(|e| StoreError::corrupt(format!("stored period: {e}")))?,
        value: row.try_get("value")?,
        comment: row.try_get("comment")?,
        source: row.try_get("source")?,
        attachments: attachments.split('\n').filter(|a| !a.is_empty()).map(str::to_string).collect(),
        state: ObservationState::from_code(&state)
            .ok_or_else(|| StoreError::corrupt(format!("stored state \"{state}\"")))?,
        return_reason: row.try_get("return_reason")?,
        approved_value: row.try_get("approved_value")?,
        revision: row.try_get("revision")?,
        late: row.try_get::<i64, _>("late")? != 0,
        updated_at_ms: row.try_get("updated_at_ms")?,
        updated_by: row.try_get("updated_by")?,
    })
}

fn summary(o: &Observation) -> String {
    serde_json::json!({
        "target": o.target_key(), "org_unit": o.org_unit, "period": o.period.to_string(),
        "value": o.value, "comment": o.comment, "state": o.state.code(), "revision": o.revision,
    })
    .to_string()
}

/// Appends the revision row of a change already written to `observations`, from the row as
/// it now is.
async fn insert_revision(
    tx: &mut WriteTx,
    saved: &Observation,
    action: &str,
    reason: &str,
    by: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO observation_revisions (observation_id, revision, action, value, comment, state, reason, \
         changed_by, changed_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(saved.id)
    .bind(saved.revision)
    .bind(action)
    .bind(saved.value)
    .bind(&saved.comment)
    .bind(saved.state.code())
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a change already written to `observations`: its revision row and its audit entry
/// (`before` is the summary of the row before the change). Returns the row as it now is.
async fn record_change(
    tx: &mut WriteTx,
    id: i64,
    action: &str,
    reason: &str,
    actor: &Actor,
    at: i64,
    before: &str,
) -> Result<Observation> {
    let saved = fetch(tx, id, "").await?;
    insert_revision(tx, &saved, action, reason, &actor.username, at).await?;
    append(
        tx,
        at,
        NewAuditEntry {
            actor: &actor.username,
            action: &format!("observation.{action}"),
            entity: "observation",
            entity_id: &id.to_string(),
            before,
            after: &summary(&saved),
        },
    )
    .await?;
    Ok(saved)
}

/// What the permission rules need: a plan version and the snapshot it was taken from.
struct Rules<'a> {
    plan: &'a Plan,
    snapshot: &'a Snapshot,
}

impl Rules<'_> {
    fn check(&self, actor: &Actor, action: Action) -> std::result::Result<(), access::Denied> {
        access::check(actor, action, &self.snapshot.context(self.plan))
    }

    fn may_read(&self, actor: &Actor, o: &Observation) -> bool {
        o.state == ObservationState::Approved
            || self.check(actor, Action::ReadUnapproved { target: &o.target_id, org_unit: &o.org_unit }).is_ok()
    }
}

/// Refuses values for periods that have not begun, and — unless the actor may write locked
/// periods — for periods whose window has closed.
fn check_window(today: Date, actor: &Actor, period: Period, rules: &Rules<'_>, windows: &Windows) -> Result<()> {
    if Date::first_of(period) > today {
        return Err(StoreError::NotBegun { period });
    }
    let lock = windows.lock_date(period);
    if today > lock && rules.check(actor, Action::WriteLocked).is_err() {
        return Err(StoreError::WindowClosed { period, closed_on: lock });
    }
    Ok(())
}

/// The longest comment or source kept with a value.
const MAX_TEXT: usize = 4000;

impl Store {
    /// Whether duties are separated (the default for new databases): nobody approves a value
    /// they entered or submitted since it was last approved.
    pub async fn separate_duties(&self) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        separate_duties_on(&mut conn).await
    }

    /// Separates duties, or lets one person enter and approve (administrators).
    pub async fn set_separate_duties(&self, actor: &Actor, separate: bool) -> Result<()> {
        let value = if separate { "1" } else { "0" };
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManageUsers).await?;
        let before = separate_duties_on(&mut tx).await?;
        sqlx::query("DELETE FROM settings WHERE key = 'separate_duties'").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('separate_duties', $1)")
            .bind(value)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            self.now(),
            NewAuditEntry {
                actor: &actor.username,
                action: "settings.separate_duties",
                entity: "settings",
                entity_id: "separate_duties",
                before: if before { "1" } else { "0" },
                after: value,
            },
        )
        .await?;
        tx.commit().await
    }

    /// Creates a draft, or changes an existing value into a new draft revision. `base_revision`
    /// is the revision the change was made from: required when the value exists, so that two
    /// people editing the same value can never overwrite each other unknowingly.
    ///
    /// Everything that decides the write — the rules, the permission, the window, the
    /// revision — is read inside the write transaction, through its own connection.
    pub async fn save_draft(&self, actor: &Actor, draft: &Draft, base_revision: Option<i64>) -> Result<Observation> {
        let period = draft.period.ok_or_else(|| StoreError::invalid("period", "required (2026-05, 2026Q2 or 2026)"))?;
        for (field, text) in [("comment", &draft.comment), ("source", &draft.source)] {
            if text.chars().count() > MAX_TEXT {
                return Err(StoreError::invalid(field, format!("at most {MAX_TEXT} characters")));
            }
        }
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let snapshot = self.snapshot_on(&mut tx).await?;
        let plan = snapshot.plan_at(period)?;
        let rules = Rules { plan: &plan, snapshot: &snapshot };
        let checked =
            observation::check(&plan, &snapshot.org_units, &draft.target, &draft.org_unit, period, draft.value)
                .map_err(|(field, reason)| StoreError::invalid(field.name(), reason))?;
        let target_id = plan.targets()[checked.target].id.clone();
        not_counted(&plan.targets()[checked.target]).map_err(|reason| StoreError::invalid("target_id", reason))?;
        rules.check(actor, Action::WriteObservation { target: &target_id, org_unit: &draft.org_unit })?;
        let windows = windows_on(&mut tx).await?;
        check_window(Date::in_china(now), actor, period, &rules, &windows)?;

        let measure = checked.measure.unwrap_or_default();
        let entry = validation::Reported { org_unit: draft.org_unit.clone(), period, value: draft.value };
        let findings = crate::validation::Checker::on(&mut tx)
            .await?
            .findings(&mut tx, &plan.targets()[checked.target], &measure, &snapshot.org_units, &entry)
            .await?;
        if let Some((field, reason)) = validation::refusal(&findings, &draft.comment) {
            return Err(StoreError::invalid(field.name(), reason));
        }
        let existing = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM observations WHERE target_id = $1 AND measure = $2 AND org_unit = $3 AND period = $4{}",
            columns!(),
            self.backend.for_update()
        )))
        .bind(&target_id)
        .bind(&measure)
        .bind(&draft.org_unit)
        .bind(period.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| from_row(&row))
        .transpose()?;
        let attachments = draft.attachments.join("\n");
        let (id, revision, before) = match existing {
            Some(current) => {
                let given = base_revision.unwrap_or(0);
                if given != current.revision {
                    return Err(StoreError::Conflict {
                        id: current.id,
                        current_revision: current.revision,
                        given_revision: given,
                    });
                }
                let revision = current.revision + 1;
                let updated = sqlx::query(
                    "UPDATE observations SET value = $1, comment = $2, source = $3, attachments = $4, state = 'draft', \
                     return_reason = '', revision = $5, updated_at_ms = $6, updated_by = $7 \
                     WHERE id = $8 AND revision = $9",
                )
                .bind(draft.value)
                .bind(&draft.comment)
                .bind(&draft.source)
                .bind(&attachments)
                .bind(revision)
                .bind(now)
                .bind(&actor.username)
                .bind(current.id)
                .bind(current.revision)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    drop(tx);
                    return Err(self.conflict(current.id, given).await);
                }
                (current.id, revision, summary(&current))
            }
            None => {
                let inserted: Result<i64> = sqlx::query_scalar(
                    "INSERT INTO observations (target_id, measure, org_unit, period, period_end, value, comment, source, \
                     attachments, state, revision, updated_at_ms, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', 1, $10, $11) RETURNING id",
                )
                .bind(&target_id)
                .bind(&measure)
                .bind(&draft.org_unit)
                .bind(period.to_string())
                .bind(period.end_month_index())
                .bind(draft.value)
                .bind(&draft.comment)
                .bind(&draft.source)
                .bind(&attachments)
                .bind(now)
                .bind(&actor.username)
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::from);
                match inserted {
                    Ok(id) => (id, 1, String::new()),
                    // Another writer created the same value meanwhile (PostgreSQL, READ
                    // COMMITTED): a conflict with the revision it made.
                    Err(e) if crate::error::is_unique_violation(&e) => {
                        drop(tx);
                        return Err(self.conflict_at(&target_id, &measure, &draft.org_unit, period, 0).await);
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        crate::validation::set_flags(&mut tx, id, revision, &findings).await?;
        let action = if revision == 1 { "create" } else { "update" };
        let saved = self.finish(tx, id, action, "", actor, now, &before).await?;
        Ok(saved)
    }

    /// Records the change and commits; a unique violation on the revision (a concurrent writer
    /// got there first) is a conflict, never a fault.
    #[allow(clippy::too_many_arguments)]
    async fn finish(
        &self,
        mut tx: WriteTx,
        id: i64,
        action: &str,
        reason: &str,
        actor: &Actor,
        now: i64,
        before: &str,
    ) -> Result<Observation> {
        let recorded = record_change(&mut tx, id, action, reason, actor, now, before).await;
        let committed = match recorded {
            Ok(saved) => tx.commit().await.map(|()| saved),
            Err(e) => Err(e),
        };
        match committed {
            Err(e) if crate::error::is_unique_violation(&e) => Err(self.conflict(id, 0).await),
            other => other,
        }
    }

    /// The conflict a losing writer gets: the revision the value is at now, read after its
    /// own transaction ended.
    async fn conflict(&self, id: i64, given: i64) -> StoreError {
        match sqlx::query_scalar::<_, i64>("SELECT revision FROM observations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
        {
            Ok(Some(current_revision)) => StoreError::Conflict { id, current_revision, given_revision: given },
            Ok(None) => StoreError::NotFound(format!("observation {id}")),
            Err(e) => e.into(),
        }
    }

    async fn conflict_at(&self, target: &str, measure: &str, org_unit: &str, period: Period, given: i64) -> StoreError {
        match sqlx::query("SELECT id, revision FROM observations WHERE target_id = $1 AND measure = $2 AND org_unit = $3 AND period = $4")
            .bind(target)
            .bind(measure)
            .bind(org_unit)
            .bind(period.to_string())
            .fetch_optional(&self.pool)
            .await
        {
            Ok(Some(row)) => match (row.try_get::<i64, _>("id"), row.try_get::<i64, _>("revision")) {
                (Ok(id), Ok(current_revision)) => StoreError::Conflict { id, current_revision, given_revision: given },
                (Err(e), _) | (_, Err(e)) => e.into(),
            },
            Ok(None) => StoreError::Busy,
            Err(e) => e.into(),
        }
    }

    /// A value, if `actor` may see it: an unapproved value only for those who may report or
    /// review it. A value one may not see is "not found", so that ids reveal nothing.
    pub async fn observation(&self, actor: &Actor, id: i64) -> Result<Observation> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM observations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("observation {id}")))?;
        let observation = from_row(&row)?;
        let snapshot = self.snapshot().await?;
        let plan = snapshot.plan_at(observation.period)?;
        let rules = Rules { plan: &plan, snapshot: &snapshot };
        if !rules.may_read(actor, &observation) {
            return Err(StoreError::NotFound(format!("observation {id}")));
        }
        Ok(observation)
    }

    /// Submits, approves or returns one value (see [`Store::review_many`]).
    pub async fn review(
        &self,
        actor: &Actor,
        id: i64,
        revision: i64,
        decision: &ReviewDecision,
    ) -> Result<Observation> {
        let mut reviewed = self.review_many(actor, &[(id, revision)], decision).await?;
        reviewed.pop().ok_or_else(|| StoreError::NotFound(format!("observation {id}")))
    }

    /// Moves values along the workflow, all or none: submit (draft or returned → submitted, by
    /// whoever may report it), approve or return (submitted → approved / returned, by whoever
    /// may review it; returning needs a reason). Each item names the revision it was decided
    /// on. With duties separated, nobody approves a value they entered or submitted since its
    /// last approval.
    pub async fn review_many(
        &self,
        actor: &Actor,
        items: &[(i64, i64)],
        decision: &ReviewDecision,
    ) -> Result<Vec<Observation>> {
        if let ReviewDecision::Return { reason } = decision
            && reason.trim().is_empty()
        {
            return Err(StoreError::invalid("reason", "a returned value needs a reason (退回原因)"));
        }
        if let ReviewDecision::Return { reason } = decision
            && reason.chars().count() > MAX_TEXT
        {
            return Err(StoreError::invalid("reason", format!("at most {MAX_TEXT} characters")));
        }
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let snapshot = self.snapshot_on(&mut tx).await?;
        let windows = windows_on(&mut tx).await?;
        let separate = separate_duties_on(&mut tx).await?;
        let mut done = Vec::with_capacity(items.len());
        let for_update = self.backend.for_update();
        for &(id, revision) in items {
            let current = fetch(&mut tx, id, for_update).await?;
            let plan = snapshot.plan_at(current.period)?;
            let rules = Rules { plan: &plan, snapshot: &snapshot };
            if !rules.may_read(actor, &current) {
                return Err(StoreError::NotFound(format!("observation {id}")));
            }
            let (target, unit) = (current.target_id.as_str(), current.org_unit.as_str());
            let (action, allowed_from, next) = match decision {
                ReviewDecision::Submit => {
                    ("submit", &[ObservationState::Draft, ObservationState::Returned][..], ObservationState::Submitted)
                }
                ReviewDecision::Approve => ("approve", &[ObservationState::Submitted][..], ObservationState::Approved),
                ReviewDecision::Return { .. } => {
                    ("return", &[ObservationState::Submitted][..], ObservationState::Returned)
                }
            };
            let permission = match decision {
                ReviewDecision::Submit => Action::WriteObservation { target, org_unit: unit },
                _ => Action::Review { target, org_unit: unit },
            };
            rules.check(actor, permission)?;
            if current.revision != revision {
                return Err(StoreError::Conflict { id, current_revision: current.revision, given_revision: revision });
            }
            if !allowed_from.contains(&current.state) {
                return Err(StoreError::WrongState { id, state: current.state, action });
            }
            if separate && *decision == ReviewDecision::Approve && entered_by(&mut tx, id, &actor.username).await? {
                return Err(StoreError::Forbidden(format!(
                    "observation {id}: 审核与填报分离,不能审核自己填报或报送的数据 duties are separated: a value you \
                     entered or submitted is approved by another reviewer"
                )));
            }
            let reason = match decision {
                ReviewDecision::Return { reason } => reason.trim().to_string(),
                _ => String::new(),
            };
            let next_revision = revision + 1;
            let late = match decision {
                ReviewDecision::Submit => i64::from(Date::in_china(now) > windows.due_date(current.period)),
                _ => i64::from(current.late),
            };
            let updated = sqlx::query(
                "UPDATE observations SET state = $1, return_reason = $2, \
                 approved_value = CASE WHEN $1 = 'approved' THEN value ELSE approved_value END, revision = $3, late = $4, \
                 submitted_at_ms = CASE WHEN $1 = 'submitted' THEN $5 ELSE submitted_at_ms END, \
                 updated_at_ms = $5, updated_by = $6 WHERE id = $7 AND revision = $8",
            )
            .bind(next.code())
            .bind(&reason)
            .bind(next_revision)
            .bind(late)
            .bind(now)
            .bind(&actor.username)
            .bind(id)
            .bind(revision)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() != 1 {
                drop(tx);
                return Err(self.conflict(id, revision).await);
            }
            if let ReviewDecision::Return { .. } = decision {
                // The one who submitted it (its last writer) learns of it in the application.
                let message = format!(
                    "{} {} {} 的数据被{}退回:{reason}",
                    current.target_key(),
                    current.org_unit,
                    current.period,
                    actor.org_unit
                );
                let notice = crate::notices::Outgoing {
                    kind: crate::notices::NoticeKind::Returned,
                    message: &message,
                    href: "/tasks",
                    sender: &actor.username,
                    dedupe: None,
                };
                crate::notices::send(&mut tx, now, &current.updated_by, &notice).await?;
            }
            match record_change(&mut tx, id, action, &reason, actor, now, &summary(&current)).await {
                Ok(updated) => done.push(updated),
                Err(e) if crate::error::is_unique_violation(&e) => {
                    drop(tx);
                    return Err(self.conflict(id, revision).await);
                }
                Err(e) => return Err(e),
            }
        }
        match tx.commit().await {
            Err(e) if crate::error::is_unique_violation(&e) => {
                let (id, revision) = items.first().copied().unwrap_or((0, 0));
                Err(self.conflict(id, revision).await)
            }
            other => other.map(|()| done),
        }
    }

    /// Values matching `filter` that `actor` may see: approved ones for everyone, the others
    /// for those who may report or review them. Newest period first; `limit` counts the values
    /// returned (it applies after the values one may not see are left out).
    pub async fn observations(&self, actor: &Actor, filter: &ObservationFilter) -> Result<Vec<Observation>> {
        let limit = filter.limit.unwrap_or(10_000).clamp(1, 100_000) as usize;
        let plan = self.current_plan().await?;
        let snapshot = self.snapshot().await?;
        let rules = Rules { plan: &plan, snapshot: &snapshot };
        let mut visible = Vec::with_capacity(limit.min(1024));
        let page = (limit * 2).clamp(256, 20_000) as i64;
        let mut offset = 0i64;
        loop {
            let rows = sqlx::query(concat!(
                "SELECT ",
                columns!(),
                " FROM observations WHERE ($1 = '' OR target_id = $1) AND ($2 = '' OR org_unit = $2) \
                 AND ($3 = '' OR period = $3) AND ($4 = '' OR state = $4) \
                 ORDER BY period_end DESC, target_id, org_unit, measure, id LIMIT $5 OFFSET $6"
            ))
            .bind(filter.target.clone().unwrap_or_default())
            .bind(filter.org_unit.clone().unwrap_or_default())
            .bind(filter.period.map(|p| p.to_string()).unwrap_or_default())
            .bind(filter.state.map(|s| s.code()).unwrap_or_default())
            .bind(page)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
            let fetched = rows.len() as i64;
            for row in &rows {
                let o = from_row(row)?;
                if rules.may_read(actor, &o) {
                    visible.push(o);
                    if visible.len() == limit {
                        return Ok(visible);
                    }
                }
            }
            if fetched < page {
                return Ok(visible);
            }
            offset += page;
        }
    }

    /// The history of a value. Those who may not see unapproved values see its approved
    /// revisions only (never a draft, a comment on one or a return reason); a value never
    /// approved is, for them, not found.
    pub async fn revisions(&self, actor: &Actor, id: i64) -> Result<Vec<Revision>> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM observations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("observation {id}")))?;
        let observation = from_row(&row)?;
        let snapshot = self.snapshot().await?;
        let plan = snapshot.plan_at(observation.period)?;
        let rules = Rules { plan: &plan, snapshot: &snapshot };
        let all = rules
            .check(actor, Action::ReadUnapproved { target: &observation.target_id, org_unit: &observation.org_unit })
            .is_ok();
        if !all && observation.approved_value.is_none() {
            return Err(StoreError::NotFound(format!("observation {id}")));
        }
        let rows = sqlx::query(
            "SELECT revision, action, value, comment, state, reason, changed_by, changed_at_ms \
             FROM observation_revisions WHERE observation_id = $1 ORDER BY revision",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut revisions = Vec::with_capacity(rows.len());
        for row in &rows {
            let state: String = row.try_get("state")?;
            let state = ObservationState::from_code(&state)
                .ok_or_else(|| StoreError::corrupt(format!("observation {id}: stored state \"{state}\"")))?;
            if !all && state != ObservationState::Approved {
                continue;
            }
            revisions.push(Revision {
                revision: row.try_get("revision")?,
                action: row.try_get("action")?,
                value: row.try_get("value")?,
                comment: row.try_get("comment")?,
                state,
                reason: row.try_get("reason")?,
                changed_by: row.try_get("changed_by")?,
                changed_at_ms: row.try_get("changed_at_ms")?,
            });
        }
        Ok(revisions)
    }

    /// Everything needed to evaluate the plan in force at `at`.
    /// Targets counted from the four lists take their values from the lists as they are now,
    /// month by month; targets derived from the statistics their yearly totals from the cube;
    /// the others from reported values.
    pub async fn eval_input(&self, at: Period, include_unapproved: bool) -> Result<EvalInput> {
        let plan = self.plan_at(at).await?;
        let mut observations = self.eval_observations(&plan, include_unapproved).await?;
        let snapshot = self.snapshot().await?;
        if plan.targets().iter().any(|t| t.count.is_some()) {
            let registry = self.registry(None).await?;
            for (target, org_unit, point) in count::derive(&plan, &snapshot.org_units, &registry, at) {
                observations.insert(target, org_unit, None, point);
            }
        }
        if plan.targets().iter().any(|t| t.stats.is_some()) {
            let dataset = self.stats_dataset(None, at.last_month()).await?;
            for (target, org_unit, point) in stats::derive(&plan, &snapshot.org_units, &dataset, at) {
                observations.insert(target, org_unit, None, point);
            }
        }
        let due_by = self.windows().await?.due_by(Date::in_china(self.now()));
        Ok(EvalInput {
            plan,
            org_units: snapshot.org_units.clone(),
            observations,
            decompositions: snapshot.decompositions.clone(),
            due_by,
        })
    }

    /// Every value in a form the engine takes: the last approved value of each, or with
    /// `include_unapproved` the latest value whatever its state.
    pub async fn eval_observations(&self, plan: &Plan, include_unapproved: bool) -> Result<Observations> {
        let org_units = self.org_units().await?;
        let rows = sqlx::query("SELECT target_id, measure, org_unit, period, value, approved_value FROM observations")
            .fetch_all(&self.pool)
            .await?;
        let targets: HashMap<&str, usize> =
            plan.targets().iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let units: HashMap<&str, usize> =
            org_units.all().iter().enumerate().map(|(i, u)| (u.name.as_str(), i)).collect();
        let mut observations = Observations::default();
        for row in rows {
            let target_id: String = row.try_get("target_id")?;
            let org_unit: String = row.try_get("org_unit")?;
            // Values of targets not in this plan version are kept but not evaluated; derived
            // targets take theirs from the lists or the statistics.
            let (Some(&t), Some(&u)) = (targets.get(target_id.as_str()), units.get(org_unit.as_str())) else {
                continue;
            };
            if plan.targets()[t].is_derived() {
                continue;
            }
            let value: Option<f64> =
                if include_unapproved { Some(row.try_get("value")?) } else { row.try_get("approved_value")? };
            let Some(value) = value else { continue };
            let period: String = row.try_get("period")?;
            let Ok(period) = period.parse::<Period>() else { continue };
            let measure: String = row.try_get("measure")?;
            observations.insert(t, u, (!measure.is_empty()).then_some(measure.as_str()), Point { period, value });
        }
        Ok(observations)
    }

    /// Sets a district's (or zone's) goal for a target (目标分解). The permission, the target
    /// and the unit are checked inside the write transaction.
    pub async fn set_decomposition(&self, actor: &Actor, target_id: &str, org_unit: &str, goal: &Goal) -> Result<()> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManagePlan).await?;
        let snapshot = self.snapshot_on(&mut tx).await?;
        let plan = snapshot.latest_plan()?;
        let org_units = snapshot.org_units.clone();
        let target = plan.target(target_id).ok_or_else(|| {
            StoreError::invalid("target_id", format!("没有目标 {target_id} unknown target \"{target_id}\""))
        })?;
        if !org_units.get(org_unit).is_some_and(|u| matches!(u.kind, OrgKind::District | OrgKind::Zone)) {
            return Err(StoreError::invalid(
                "org_unit",
                format!("“{org_unit}”不是区县(市)或功能区 \"{org_unit}\" is not a district or zone"),
            ));
        }
        let fits = matches!(
            (&target.goal, goal),
            (Goal::Path(_), Goal::Path(_))
                | (Goal::EveryYear { .. }, Goal::EveryYear { .. })
                | (Goal::State { .. }, Goal::State { .. })
        );
        if !fits || target.kind == Kind::Direction {
            return Err(StoreError::invalid(
                "goal",
                format!(
                    "目标形式与目标 {target_id} 不符 the goal does not fit target {target_id} ({})",
                    target.kind.code()
                ),
            ));
        }
        let json = serde_json::to_string(goal).map_err(|e| StoreError::corrupt(e.to_string()))?;
        let before: Option<String> =
            sqlx::query_scalar("SELECT goal FROM decompositions WHERE target_id = $1 AND org_unit = $2")
                .bind(target_id)
                .bind(org_unit)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM decompositions WHERE target_id = $1 AND org_unit = $2")
            .bind(target_id)
            .bind(org_unit)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO decompositions (target_id, org_unit, goal, set_by, set_at_ms) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(target_id)
        .bind(org_unit)
        .bind(&json)
        .bind(&actor.username)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "decomposition.set",
                entity: "decomposition",
                entity_id: &format!("{target_id}/{org_unit}"),
                before: &before.unwrap_or_default(),
                after: &json,
            },
        )
        .await?;
        self.bump_generation(&mut tx).await?;
        tx.commit().await?;
        self.invalidate();
        Ok(())
    }

    pub(crate) async fn read_decompositions(&self, conn: &mut sqlx::AnyConnection) -> Result<Decompositions> {
        let rows = sqlx::query("SELECT target_id, org_unit, goal FROM decompositions").fetch_all(conn).await?;
        let mut decompositions = Decompositions::new();
        for row in rows {
            let goal: String = row.try_get("goal")?;
            let goal: Goal =
                serde_json::from_str(&goal).map_err(|e| StoreError::corrupt(format!("stored goal: {e}")))?;
            let (target, org_unit): (String, String) = (row.try_get("target_id")?, row.try_get("org_unit")?);
            decompositions.insert(TargetId::new(&target), OrgUnitId::new(&org_unit), goal);
        }
        Ok(decompositions)
    }

    /// Imports rows in one transaction: every row is checked (rules, permission, window)
    /// inside it, and if any fails, the problems are returned and nothing is written. Rows equal
    /// to what is stored change nothing, so importing a file twice is harmless. New and changed
    /// values take `state` (draft, submitted or — for reviewers, unless duties are separated —
    /// approved).
    ///
    /// Revisions are honoured as in every other write: a row that names the revision its form
    /// was made from (0: nothing was stored then) conflicts when the value has changed since,
    /// and an upload never moves a value back along the workflow (a submitted or approved value
    /// never becomes a draft again through a file). Those rows are an
    /// [`StoreError::ImportConflict`] naming each row; nothing is written.
    pub async fn import(
        &self,
        actor: &Actor,
        file_name: &str,
        file_hash: &str,
        rows: &[ImportRow],
        state: ObservationState,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        let mut tx = self.begin_write().await?;
        let planned = self.plan_import(&mut tx, actor, rows, state).await?;
        let mut conflicts = Rejection::default();
        for p in &planned {
            if let Change::Conflict { column, reason } = &p.change {
                conflicts.push(RowProblem {
                    sheet: p.row.sheet.clone(),
                    row: p.row.row,
                    column: Some(column.to_string()),
                    reason: reason.clone(),
                });
            }
        }
        if !conflicts.is_empty() {
            return Err(StoreError::ImportConflict(conflicts));
        }
        self.write_import(tx, actor, file_name, file_hash, &planned, state, progress).await
    }

    /// What importing `rows` would do, row by row (new, changed, unchanged, conflict, with
    /// the warnings of the validation rules), without writing anything: the same checks as
    /// [`Store::import`], inside a transaction that is rolled back. Rows that are refused are
    /// an error as in an import.
    pub async fn preview_import(
        &self,
        actor: &Actor,
        rows: &[ImportRow],
        state: ObservationState,
    ) -> Result<Vec<RowPreview>> {
        let mut tx = self.begin_write().await?;
        let planned = self.plan_import(&mut tx, actor, rows, state).await?;
        drop(tx);
        Ok(planned
            .into_iter()
            .map(|p| RowPreview {
                sheet: p.row.sheet.clone(),
                row: p.row.row,
                target_id: p.row.target.clone(),
                org_unit: p.row.org_unit.clone(),
                period: p.row.period,
                value: p.row.value,
                comment: p.row.comment.clone(),
                current_value: p.current.as_ref().map(|c| c.value),
                current_state: p.current.as_ref().map(|c| c.state),
                reason: match &p.change {
                    Change::Conflict { reason, .. } => reason.clone(),
                    _ => String::new(),
                },
                change: p.change.kind(),
                warnings: p.findings.into_iter().map(|f| f.message).collect(),
            })
            .collect())
    }

    /// Checks every row of an import inside `tx` (rules, permission, window, duplicates, the
    /// validation rules for the rows that change something) and says what each would do. Rows
    /// that are refused are [`StoreError::Rejected`]; conflicts are left to the caller.
    async fn plan_import<'r>(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        rows: &'r [ImportRow],
        state: ObservationState,
    ) -> Result<Vec<Planned<'r>>> {
        let today = Date::in_china(self.now());
        if state == ObservationState::Approved && actor.username != "system" && separate_duties_on(tx).await? {
            return Err(StoreError::Forbidden(
                "审核与填报分离,导入的数据不能直接审核通过 duties are separated: imported values cannot be approved by \
                 the person importing them; import them as submitted for a reviewer, or let an administrator \
                 combine duties (plan361 duties combine)"
                    .into(),
            ));
        }
        let snapshot = self.snapshot_on(tx).await?;
        let windows = windows_on(tx).await?;
        let mut plans: HashMap<i64, Arc<Plan>> = HashMap::new();
        let mut problems = Rejection::default();
        let mut checked = Vec::with_capacity(rows.len());
        for row in rows {
            let key = row.period.end_month_index();
            let plan = match plans.get(&key) {
                Some(plan) => plan.clone(),
                None => {
                    let plan = snapshot.plan_at(row.period)?;
                    plans.insert(key, plan.clone());
                    plan
                }
            };
            let rules = Rules { plan: &plan, snapshot: &snapshot };
            let problem = |column: &'static str, reason: String| RowProblem {
                sheet: row.sheet.clone(),
                row: row.row,
                column: Some(column.to_string()),
                reason,
            };
            let valid =
                observation::check(&plan, &snapshot.org_units, &row.target, &row.org_unit, row.period, row.value)
                    .map_err(|(field, reason)| problem(field.name(), reason))
                    .and_then(|c| {
                        not_counted(&plan.targets()[c.target])
                            .map_err(|reason| problem(Field::Target.name(), reason))?;
                        let target_id = plan.targets()[c.target].id.clone();
                        let write = Action::WriteObservation { target: &target_id, org_unit: &row.org_unit };
                        rules
                            .check(actor, write)
                            .map_err(|d| problem(Field::Target.name(), format!("not permitted: {d}")))?;
                        if state == ObservationState::Approved {
                            let review = Action::Review { target: &target_id, org_unit: &row.org_unit };
                            rules.check(actor, review).map_err(|d| problem("state", format!("cannot approve: {d}")))?;
                        }
                        if row.comment.chars().count() > MAX_TEXT {
                            return Err(problem("comment", format!("at most {MAX_TEXT} characters")));
                        }
                        match check_window(today, actor, row.period, &rules, &windows) {
                            Err(error @ (StoreError::NotBegun { .. } | StoreError::WindowClosed { .. })) => {
                                return Err(problem("period", error.to_string()));
                            }
                            Err(other) => return Err(problem("period", other.to_string())),
                            Ok(()) => {}
                        }
                        Ok((target_id, c.measure.unwrap_or_default()))
                    });
            match valid {
                Ok(key) => checked.push((key, row)),
                Err(p) => problems.push(p),
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
        for ((target_id, measure), row) in &checked {
            let key = (target_id.clone(), measure.clone(), row.org_unit.clone(), row.period.to_string());
            if let Some(first) = seen.insert(key, row.row) {
                problems.push(RowProblem {
                    sheet: row.sheet.clone(),
                    row: row.row,
                    column: None,
                    reason: format!("duplicate of row {first} (same target, unit and period)"),
                });
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        // New rows get ids above the current maximum, and nobody else can insert until this
        // transaction ends (every writer holds the write turn), so their revisions can be
        // written in one statement afterwards.
        self.backend.lock_table(tx, crate::LockedTable::Observations).await?;
        let (first, last) = checked.iter().fold((i64::MAX, i64::MIN), |(lo, hi), (_, r)| {
            let end = r.period.end_month_index();
            (lo.min(end), hi.max(end))
        });
        let existing_rows =
            sqlx::query(concat!("SELECT ", columns!(), " FROM observations WHERE period_end BETWEEN $1 AND $2"))
                .bind(first)
                .bind(last)
                .fetch_all(&mut **tx)
                .await?;
        let mut existing: HashMap<(String, String, String, String), Observation> = HashMap::new();
        for row in &existing_rows {
            let o = from_row(row)?;
            existing.insert(
                (o.target_id.clone(), o.measure.clone().unwrap_or_default(), o.org_unit.clone(), o.period.to_string()),
                o,
            );
        }
        let mut planned: Vec<Planned<'r>> = checked
            .into_iter()
            .map(|((target_id, measure), row)| {
                let key = (target_id.clone(), measure.clone(), row.org_unit.clone(), row.period.to_string());
                let current = existing.remove(&key);
                let change = classify(current.as_ref(), row, state);
                Planned { target_id, measure, row, current, change, findings: Vec::new() }
            })
            .collect();
        // The rows that change a value, checked by the validation rules beside each other and
        // everything stored.
        let mut checker = crate::validation::Checker::on(tx).await?;
        for p in planned.iter().filter(|p| p.change.writes()) {
            checker.include(tx, &p.target_id, &p.measure, p.reported()).await?;
        }
        for p in planned.iter_mut().filter(|p| p.change.writes()) {
            let plan = snapshot.plan_at(p.row.period)?;
            let Some(target) = plan.target(&p.target_id) else { continue };
            let findings = checker.findings(tx, target, &p.measure, &snapshot.org_units, &p.reported()).await?;
            // Values approved as they are loaded (published history) are flagged, not held up
            // for an explanation: their loader is their reviewer.
            let deciding: Vec<validation::Finding> = findings
                .iter()
                .filter(|f| state != ObservationState::Approved || f.severity == validation::Severity::Error)
                .cloned()
                .collect();
            match validation::refusal(&deciding, &p.row.comment) {
                Some((field, reason)) => problems.push(RowProblem {
                    sheet: p.row.sheet.clone(),
                    row: p.row.row,
                    column: Some(field.name().to_string()),
                    reason,
                }),
                None => p.findings = findings,
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        Ok(planned)
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_import(
        &self,
        mut tx: WriteTx,
        actor: &Actor,
        file_name: &str,
        file_hash: &str,
        rows: &[Planned<'_>],
        state: ObservationState,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        let now = self.now();
        let mut report = ImportReport { rows: rows.len(), created: 0, updated: 0, unchanged: 0 };
        let approved = (state == ObservationState::Approved).then_some(());
        let mut inserts: Vec<&Planned<'_>> = Vec::new();
        for (done, planned) in rows.iter().enumerate() {
            let row = planned.row;
            match (&planned.change, &planned.current) {
                (Change::Changed, Some(current)) => {
                    let revision = current.revision + 1;
                    let approved_value = approved.map(|_| row.value).or(current.approved_value);
                    let updated = sqlx::query(
                        "UPDATE observations SET value = $1, comment = $2, state = $3, return_reason = '', approved_value = $4, \
                         revision = $5, updated_at_ms = $6, updated_by = $7 WHERE id = $8 AND revision = $9",
                    )
                    .bind(row.value)
                    .bind(&row.comment)
                    .bind(state.code())
                    .bind(approved_value)
                    .bind(revision)
                    .bind(now)
                    .bind(&actor.username)
                    .bind(current.id)
                    .bind(current.revision)
                    .execute(&mut *tx)
                    .await?;
                    if updated.rows_affected() != 1 {
                        drop(tx);
                        return Err(self.conflict(current.id, current.revision).await);
                    }
                    let saved = fetch(&mut tx, current.id, "").await?;
                    insert_revision(&mut tx, &saved, "import", "", &actor.username, now).await?;
                    crate::validation::set_flags(&mut tx, current.id, revision, &planned.findings).await?;
                    report.updated += 1;
                }
                (Change::New, _) => inserts.push(planned),
                _ => report.unchanged += 1,
            }
            if done % 1000 == 0 {
                progress(done);
            }
        }
        let before: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM observations").fetch_one(&mut *tx).await?;
        const BATCH: usize = 100;
        // The state and the instant are the same for every row and come from the program, not
        // the file: they are written into the statement; everything from the file is bound.
        for batch in inserts.chunks(BATCH) {
            let mut sql = String::from(
                "INSERT INTO observations (target_id, measure, org_unit, period, period_end, value, comment, updated_by, \
                 state, approved_value, revision, updated_at_ms) VALUES ",
            );
            const PER_ROW: usize = 8;
            for i in 0..batch.len() {
                let base = i * PER_ROW;
                let placeholders: Vec<String> = (1..=PER_ROW).map(|k| format!("${}", base + k)).collect();
                // An approved import's value is its approved value: the same placeholder again.
                let approved_value = if approved.is_some() { format!("${}", base + 6) } else { "NULL".into() };
                sql.push_str(if i == 0 { "(" } else { ", (" });
                sql.push_str(&placeholders.join(", "));
                sql.push_str(&format!(", '{}', {approved_value}, 1, {now})", state.code()));
            }
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for Planned { target_id, measure, row, .. } in batch.iter().copied() {
                query = query
                    .bind(target_id.clone())
                    .bind(measure.clone())
                    .bind(row.org_unit.clone())
                    .bind(row.period.to_string())
                    .bind(row.period.end_month_index())
                    .bind(row.value)
                    .bind(row.comment.clone())
                    .bind(actor.username.clone());
            }
            report.created += query.execute(&mut *tx).await?.rows_affected() as usize;
            progress(report.updated + report.unchanged + report.created);
        }
        sqlx::query(
            "INSERT INTO observation_revisions (observation_id, revision, action, value, comment, state, reason, \
             changed_by, changed_at_ms) \
             SELECT id, 1, 'import', value, comment, state, '', updated_by, updated_at_ms FROM observations WHERE id > $1",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        let flagged: HashMap<(&str, &str, &str, Period), &Planned<'_>> = inserts
            .iter()
            .filter(|p| !p.findings.is_empty())
            .map(|p| ((p.target_id.as_str(), p.measure.as_str(), p.row.org_unit.as_str(), p.row.period), *p))
            .collect();
        if !flagged.is_empty() {
            let created =
                sqlx::query("SELECT id, target_id, measure, org_unit, period FROM observations WHERE id > $1")
                    .bind(before)
                    .fetch_all(&mut *tx)
                    .await?;
            for row in created {
                let (id, target_id, measure, org_unit, period): (i64, String, String, String, String) = (
                    row.try_get("id")?,
                    row.try_get("target_id")?,
                    row.try_get("measure")?,
                    row.try_get("org_unit")?,
                    row.try_get("period")?,
                );
                let Ok(period) = period.parse::<Period>() else { continue };
                if let Some(planned) = flagged.get(&(target_id.as_str(), measure.as_str(), org_unit.as_str(), period)) {
                    crate::validation::set_flags(&mut tx, id, 1, &planned.findings).await?;
                }
            }
        }
        let import = crate::imports::Import {
            file_name,
            file_hash,
            rows: report.rows,
            changed: report.created + report.updated,
        };
        crate::imports::record(&mut tx, &import, &actor.username, now).await?;
        let after = serde_json::json!({
            "file": file_name, "sha256": file_hash, "state": state.code(),
            "rows": report.rows, "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        });
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "import",
                entity: "file",
                entity_id: file_name,
                before: "",
                after: &after.to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        progress(report.rows);
        Ok(report)
    }
}

/// What importing a row would do.
#[derive(Clone, Debug, PartialEq)]
enum Change {
    New,
    /// A new value, or the same value moving forward along the workflow.
    Changed,
    Unchanged,
    /// The row would undo a change made since its form, or move a value back along the
    /// workflow: nothing is imported.
    Conflict {
        column: &'static str,
        reason: String,
    },
}

impl Change {
    fn writes(&self) -> bool {
        matches!(self, Change::New | Change::Changed)
    }

    fn kind(&self) -> ChangeKind {
        match self {
            Change::New => ChangeKind::New,
            Change::Changed => ChangeKind::Changed,
            Change::Unchanged => ChangeKind::Unchanged,
            Change::Conflict { .. } => ChangeKind::Conflict,
        }
    }
}

/// A row of an import, checked, with what it would do.
struct Planned<'r> {
    target_id: String,
    measure: String,
    row: &'r ImportRow,
    current: Option<Observation>,
    change: Change,
    /// The warnings of the validation rules the row is accepted with (it has a 情况说明).
    findings: Vec<validation::Finding>,
}

impl Planned<'_> {
    fn reported(&self) -> validation::Reported {
        validation::Reported { org_unit: self.row.org_unit.clone(), period: self.row.period, value: self.row.value }
    }
}

/// What a row of an import would do, as an upload's preview shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    New,
    Changed,
    Unchanged,
    Conflict,
}

impl ChangeKind {
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Changed => "changed",
            ChangeKind::Unchanged => "unchanged",
            ChangeKind::Conflict => "conflict",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ChangeKind::New => "新增",
            ChangeKind::Changed => "修改",
            ChangeKind::Unchanged => "未变",
            ChangeKind::Conflict => "冲突",
        }
    }
}

/// One row of an upload's preview.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowPreview {
    pub sheet: Option<String>,
    pub row: usize,
    pub target_id: String,
    pub org_unit: String,
    pub period: Period,
    pub value: f64,
    pub comment: String,
    pub current_value: Option<f64>,
    pub current_state: Option<ObservationState>,
    pub change: ChangeKind,
    /// Why the row conflicts.
    pub reason: String,
    /// The validation rules' warnings the row would be flagged with.
    pub warnings: Vec<String>,
}

/// What a row does to the value stored now: an upload honours the revision its form was made
/// from, and never moves a value back along the workflow.
fn classify(current: Option<&Observation>, row: &ImportRow, state: ObservationState) -> Change {
    let same = current.is_some_and(|c| c.value == row.value && c.comment == row.comment);
    match (current, row.revision) {
        (Some(c), _) if same && rank(c.state) >= rank(state) => Change::Unchanged,
        (Some(_), _) if same => Change::Changed,
        (Some(c), Some(given)) if given != c.revision => Change::Conflict {
            column: "revision",
            reason: format!(
                "{}: the value changed since the form was made (revision {given}, now {} by {}, {} {})",
                row.target,
                c.revision,
                c.updated_by,
                c.state.code(),
                c.value
            ),
        },
        (None, Some(given)) if given != 0 => Change::Conflict {
            column: "revision",
            reason: format!("{}: the form names revision {given} of a value that does not exist", row.target),
        },
        (Some(c), _) if rank(c.state) > rank(state) => Change::Conflict {
            column: "value",
            reason: format!(
                "{}: 该数据已{}({}),上传不会把它改回{};如需修改,请审核人先退回 (the value is {}; an upload does not \
                 change it back to {} — ask a reviewer to return it first)",
                row.target,
                c.state.label_zh(),
                c.value,
                state.label_zh(),
                c.state.code(),
                state.code()
            ),
        },
        (Some(_), _) => Change::Changed,
        (None, _) => Change::New,
    }
}

/// Refuses values for targets counted from the lists or taken from the statistics: nobody
/// types those in.
fn not_counted(target: &Target) -> std::result::Result<(), String> {
    match (&target.count, &target.stats) {
        (Some(rule), _) => Err(format!(
            "目标 {} 由{}清单自动计数,无需填报 (target {} is counted from the {} list; its value is not reported)",
            target.id,
            rule.list().label_zh(),
            target.id,
            rule.list().code()
        )),
        (None, Some(_)) => Err(format!(
            "目标 {} 取自集群统计(企业月度数据),无需填报 (target {} is taken from the cluster statistics; its value is not reported)",
            target.id, target.id
        )),
        (None, None) => Ok(()),
    }
}

/// How far along the workflow a state is, for "importing this changes nothing" decisions.
fn rank(state: ObservationState) -> u8 {
    match state {
        ObservationState::Draft | ObservationState::Returned => 0,
        ObservationState::Submitted => 1,
        ObservationState::Approved => 2,
    }
}

async fn fetch(tx: &mut WriteTx, id: i64, lock: &str) -> Result<Observation> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {} FROM observations WHERE id = $1{lock}", columns!())))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("observation {id}")))?;
    from_row(&row)
}

/// Whether `username` entered, changed or submitted the value since it was last approved.
async fn entered_by(tx: &mut WriteTx, id: i64, username: &str) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT revision FROM observation_revisions WHERE observation_id = $1 AND changed_by = $2          AND action IN ('create', 'update', 'import', 'submit') AND revision >          (SELECT COALESCE(MAX(revision), 0) FROM observation_revisions WHERE observation_id = $1 AND action = 'approve')          LIMIT 1",
    )
    .bind(id)
    .bind(username)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

async fn separate_duties_on(conn: &mut sqlx::AnyConnection) -> Result<bool> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'separate_duties'").fetch_optional(conn).await?;
    Ok(value.as_deref() == Some("1"))
}
