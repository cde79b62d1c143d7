//! What the plan-version page and API both read: the two versions compared (checked from the
//! query) and the differences of their targets, as `plan::diff` finds them — the same
//! comparison `plan load` records.

use std::sync::Arc;

use plan361_core::plan::{self, Plan, TargetChange};
use plan361_store::PlanVersionInfo;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::Problem;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The version compared from (default: the one before `to`).
    pub from: Option<String>,
    /// The version compared to (default: the newest).
    pub to: Option<String>,
}

/// Two versions of the plan and how the targets of the second differ from the first's.
pub struct Compared {
    /// None where `to` is the first version: there is nothing before it.
    pub from: Option<(PlanVersionInfo, Arc<Plan>)>,
    pub to: (PlanVersionInfo, Arc<Plan>),
    pub changes: Vec<TargetChange>,
}

fn version_number(text: &Option<String>, parameter: &str) -> Result<Option<i64>, Problem> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse::<i64>().map(Some).map_err(|_| {
            Problem::bad_request(format!("{parameter}: “{text}”不是版本号 \"{text}\" is not a version number"))
        }),
    }
}

/// The versions the query names (a version unknown is not found) and their differences.
pub async fn compare(state: &AppState, query: &DiffQuery) -> Result<Compared, Problem> {
    let from = version_number(&query.from, "from")?;
    let to = match version_number(&query.to, "to")? {
        Some(to) => to,
        None => state.store.plan_versions().await?.last().map_or(1, |v| v.version),
    };
    let to = state.store.plan_version(to).await?;
    let from = match from {
        Some(from) => Some(state.store.plan_version(from).await?),
        None if to.0.version > 1 => Some(state.store.plan_version(to.0.version - 1).await?),
        None => None,
    };
    let changes = from.as_ref().map_or_else(Vec::new, |(_, old)| plan::diff(old, &to.1));
    Ok(Compared { from, to, changes })
}
