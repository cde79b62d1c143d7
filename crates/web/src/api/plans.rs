//! Plan versions in the API (the plan office and administrators): the versions recorded, as
//! `plan361 plan versions` lists them, and the differences of targets between two versions.

use axum::Json;
use axum::extract::State;
use plan361_core::access::Action;
use plan361_core::plan::TargetChange;
use plan361_store::PlanVersionInfo;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::require;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, Problem};
use crate::extract::ApiQuery;
use crate::plan_versions::{DiffQuery, compare};

/// A recorded version of the plan.
#[derive(Serialize, ToSchema)]
pub struct PlanVersionView {
    version: i64,
    plan_id: String,
    /// The first period it applies to (2027-01, 2027Q1 or 2027).
    effective_from: String,
    /// Why the plan changed (动态调整的原因); empty for the first version.
    reason: String,
    loaded_by: String,
    loaded_at_ms: i64,
    /// How many changes it records against the version before.
    changes: usize,
}

impl From<&PlanVersionInfo> for PlanVersionView {
    fn from(v: &PlanVersionInfo) -> Self {
        PlanVersionView {
            version: v.version,
            plan_id: v.plan_id.clone(),
            effective_from: v.effective_from.to_string(),
            reason: v.reason.clone(),
            loaded_by: v.loaded_by.clone(),
            loaded_at_ms: v.loaded_at_ms,
            changes: v.changes.len(),
        }
    }
}

/// The plan versions, oldest first.
#[utoipa::path(get, path = "/api/plan/versions", tag = "plan",
    responses((status = 200, body = [PlanVersionView]), (status = 403, body = ErrorBody)))]
pub async fn versions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<PlanVersionView>>, ApiError> {
    require(&state, &user, Action::ManagePlan)?;
    let versions = state.store.plan_versions().await.map_err(Problem::from)?;
    Ok(Json(versions.iter().map(PlanVersionView::from).collect()))
}

/// How a target differs between the two versions.
#[derive(Serialize, ToSchema)]
pub struct TargetChangeView {
    /// added, removed or changed.
    change: &'static str,
    id: String,
    /// What the target measures (added and removed targets).
    #[serde(skip_serializing_if = "Option::is_none")]
    indicator: Option<String>,
    /// The field changed: indicator, unit, kind, direction, comparator, years, goal, baseline,
    /// lead, co, source_text, frequency, basis, tolerance or district_goal.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    /// Its value in the first version, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<String>,
    /// Its value in the second version, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<String>,
}

impl From<TargetChange> for TargetChangeView {
    fn from(change: TargetChange) -> Self {
        let view = |change, id, indicator, field, before, after| TargetChangeView {
            change,
            id,
            indicator,
            field,
            before,
            after,
        };
        match change {
            TargetChange::Added { id, indicator } => view("added", id, Some(indicator), None, None, None),
            TargetChange::Removed { id, indicator } => view("removed", id, Some(indicator), None, None, None),
            TargetChange::Changed { id, field, before, after } => {
                view("changed", id, None, Some(field), Some(before), Some(after))
            }
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlanDiffView {
    /// The version compared from; null when `to` is the first version.
    from: Option<i64>,
    to: i64,
    changes: Vec<TargetChangeView>,
}

/// The differences of targets from one version to another (default: the newest against the one
/// before it).
#[utoipa::path(get, path = "/api/plan/versions/diff", tag = "plan", params(DiffQuery),
    responses((status = 200, body = PlanDiffView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn diff(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<Json<PlanDiffView>, ApiError> {
    require(&state, &user, Action::ManagePlan)?;
    let compared = compare(&state, &query).await?;
    Ok(Json(PlanDiffView {
        from: compared.from.as_ref().map(|(info, _)| info.version),
        to: compared.to.0.version,
        changes: compared.changes.into_iter().map(TargetChangeView::from).collect(),
    }))
}
