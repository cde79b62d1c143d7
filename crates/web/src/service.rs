//! What both the pages and the API ask: the periods to choose from, what a unit must report,
//! what a reviewer must review. Each answer comes from the store and the core's rules; pages
//! and API only shape it differently.

use std::collections::HashMap;

use plan361_core::Period;
use plan361_core::access::{self, Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::plan::{Frequency, Plan, Target};
use plan361_core::progress::Standing;
use plan361_store::{Observation, ObservationFilter, ObservationState, Overdue, Report, ReviewDecision};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::Problem;

/// A reviewer's decision on several values, as the review page's form and the API send it.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DecisionCode {
    /// Approve the values.
    Approve,
    /// Return them to who reported them, with a reason.
    Return,
}

impl DecisionCode {
    /// The code a form sends: `approve` or `return`.
    pub fn code(self) -> &'static str {
        match self {
            DecisionCode::Approve => "approve",
            DecisionCode::Return => "return",
        }
    }

    /// The decision of a form's `decision` field.
    pub fn parse(text: &str) -> Result<DecisionCode, Problem> {
        [DecisionCode::Approve, DecisionCode::Return]
            .into_iter()
            .find(|d| d.code() == text)
            .ok_or_else(|| Problem::bad_request(format!("decision: \"{text}\" is not approve or return")))
    }

    /// The decision the store applies; `reason` is why values are returned (ignored to approve).
    pub fn with_reason(self, reason: String) -> ReviewDecision {
        match self {
            DecisionCode::Approve => ReviewDecision::Approve,
            DecisionCode::Return => ReviewDecision::Return { reason },
        }
    }
}

/// Today in Ningbo.
pub fn today(state: &AppState) -> Date {
    Date::in_china(state.store.now())
}

/// The month now under way: values are reported for it and the months before.
pub fn current_month(state: &AppState) -> Period {
    today(state).month_period()
}

/// The period pages evaluate by default: the last month that has ended (a month under way has
/// no values to judge yet).
pub fn last_ended_month(state: &AppState) -> Period {
    current_month(state).previous_month()
}

/// A period from a query parameter, or the default.
pub fn period_or_default(state: &AppState, text: Option<&str>) -> Result<Period, Problem> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(last_ended_month(state)),
        Some(text) => text.parse().map_err(|e: plan361_core::period::PeriodError| Problem::bad_request(e.to_string())),
    }
}

/// The months a period selector offers: from the plan's first year after the baseline to the
/// last month that has ended, newest first.
pub fn selectable_months(state: &AppState, plan: &Plan) -> Vec<Period> {
    let first = Period::month(plan.meta.baseline_year + 1, 1);
    let mut months: Vec<Period> = Period::months_between(first, last_ended_month(state)).collect();
    months.reverse();
    months
}

/// One value a unit must report for a period, with what is stored for it so far.
pub struct Duty {
    pub target: usize,
    /// `id` or `id:measure`.
    pub key: String,
    pub org_unit: String,
    pub period: Period,
    pub due: Date,
    pub stored: Option<Observation>,
}

/// The periods of a target's frequency whose reporting window is open today: the current
/// one, and the one before while its window has not locked.
fn open_periods(target: &Target, today: Date, windows: &plan361_store::Windows) -> Vec<Period> {
    let current = current_of(target.frequency, today.month_period());
    [current.previous(), current]
        .into_iter()
        .filter(|p| Date::first_of(*p) <= today && today <= windows.lock_date(*p))
        .collect()
}

/// The period of a frequency that contains `month`.
fn current_of(frequency: Frequency, month: Period) -> Period {
    match frequency {
        Frequency::Month => month,
        Frequency::Quarter => month.quarter_of(),
        Frequency::Year => Period::Year(month.year()),
    }
}

/// What `actor` must report now: the targets its unit is responsible for (departments) or
/// that were decomposed to it (districts), for every period whose window is open.
pub async fn duties(state: &AppState, actor: &Actor) -> Result<(std::sync::Arc<Plan>, Vec<Duty>), Problem> {
    let store = &state.store;
    let plan = store.current_plan().await?;
    let org_units = store.org_units().await?;
    let decompositions = store.decompositions().await?;
    let windows = store.windows().await?;
    let city = org_units.city().name.clone();
    let today = today(state);
    let mut duties = {
        let cx = access::Context::new(&plan, &city, Some(&decompositions));
        let mut duties = Vec::new();
        for (index, target) in plan.targets.iter().enumerate() {
            let Some(unit) = access::reports_for(target, &actor.org_unit, actor.org_kind, &cx) else { continue };
            let write = Action::WriteObservation { target: &target.id, org_unit: &unit };
            if access::check(actor, write, &cx).is_err() {
                continue;
            }
            let keys = target.reported_keys();
            for period in open_periods(target, today, &windows) {
                for key in &keys {
                    duties.push(Duty {
                        target: index,
                        key: key.to_string(),
                        org_unit: unit.clone(),
                        period,
                        due: windows.due_date(period),
                        stored: None,
                    });
                }
            }
        }
        duties
    };
    let mut scopes: Vec<(String, Period)> = duties.iter().map(|d| (d.org_unit.clone(), d.period)).collect();
    scopes.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    scopes.dedup();
    let mut stored: HashMap<(String, String, Period), Observation> = HashMap::new();
    for (org_unit, period) in scopes {
        let filter = ObservationFilter { org_unit: Some(org_unit), period: Some(period), ..Default::default() };
        for o in store.observations(actor, &filter).await? {
            stored.insert((o.target_key(), o.org_unit.clone(), o.period), o);
        }
    }
    for duty in &mut duties {
        duty.stored = stored.remove(&(duty.key.clone(), duty.org_unit.clone(), duty.period));
    }
    Ok((plan, duties))
}

/// Every report expected to date that `actor` follows (填报进度): every unit's for the plan
/// office, administrators and leaders, the own unit's for everyone else.
pub async fn followed_reports(state: &AppState, actor: &Actor) -> Result<Vec<Report>, Problem> {
    let reports = state.store.reports_to_date().await?;
    Ok(reports.into_iter().filter(|r| access::follows_progress(actor, &r.reporting_unit, &r.org_unit)).collect())
}

/// The reports `actor` follows whose due date has passed without a submitted value, over
/// every period to date, longest overdue first.
pub async fn overdue(state: &AppState, actor: &Actor) -> Result<Vec<Overdue>, Problem> {
    let today = today(state);
    let mut late: Vec<Overdue> = followed_reports(state, actor)
        .await?
        .into_iter()
        .filter(|r| matches!(r.standing, Standing::Overdue { .. }))
        .map(|r| Overdue::of(r, today))
        .collect();
    late.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.reporting_unit.cmp(&b.reporting_unit)));
    Ok(late)
}

/// Values the actor may see in a state, limited to those it may act on with `action`.
pub async fn actionable(
    state: &AppState,
    actor: &Actor,
    wanted: ObservationState,
    action: for<'a> fn(&'a str, &'a str) -> Action<'a>,
) -> Result<Vec<Observation>, Problem> {
    let filter = ObservationFilter { state: Some(wanted), limit: Some(2000), ..Default::default() };
    let visible = state.store.observations(actor, &filter).await?;
    Ok(visible.into_iter().filter(|o| state.allowed(actor, action(&o.target_id, &o.org_unit))).collect())
}

pub fn review_action<'a>(target: &'a str, org_unit: &'a str) -> Action<'a> {
    Action::Review { target, org_unit }
}

pub fn write_action<'a>(target: &'a str, org_unit: &'a str) -> Action<'a> {
    Action::WriteObservation { target, org_unit }
}
