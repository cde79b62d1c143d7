//! Data checks (数据校验) in the API: what the validation rules find in the stored values (the
//! objects of `plan361 check-data --json`), the rules, and an upload's preview.

use axum::extract::{Multipart, State};
use axum::{Extension, Json};
use plan361_core::validation::{Check, Rule, Rules, Severity};
use plan361_store::{DataFinding, ObservationState, RowPreview};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StateCode;
use crate::auth::{ApiUser, UploadCsrf};
use crate::error::{ApiError, ErrorBody, Problem};
use crate::extract::ApiJson;
use crate::{AppState, BODY_LIMIT};

/// What a rule finds about a stored value.
#[derive(Serialize, ToSchema)]
pub struct FindingView {
    observation_id: i64,
    /// A target id, or `id:measure`.
    target_id: String,
    org_unit: String,
    period: String,
    value: f64,
    state: StateCode,
    check: Check,
    /// `error`: the rule refuses such a value; `warning`: it needs a 情况说明.
    severity: Severity,
    /// The rule's words with the numbers, in Chinese.
    message: String,
}

impl From<DataFinding> for FindingView {
    fn from(f: DataFinding) -> FindingView {
        FindingView {
            observation_id: f.observation_id,
            target_id: f.target_id,
            org_unit: f.org_unit,
            period: f.period.to_string(),
            value: f.value,
            state: StateCode::of(f.state),
            check: f.check,
            severity: f.severity,
            message: f.message,
        }
    }
}

/// What the validation rules find in the stored values the caller may see, errors first.
#[utoipa::path(get, path = "/api/checks", tag = "reporting", responses((status = 200, body = [FindingView])))]
pub async fn findings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<FindingView>>, ApiError> {
    let found = state.store.check_data(&user.actor).await.map_err(Problem::from)?;
    Ok(Json(found.into_iter().map(FindingView::from).collect()))
}

/// The validation rules: the plan office's (per target or for every target), over the
/// built-in defaults.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesBody {
    rules: Vec<Rule>,
    /// The built-in rules, which apply where the office's say nothing (ignored when sent).
    #[serde(default)]
    defaults: Vec<Rule>,
}

fn with_defaults(rules: Vec<Rule>) -> RulesBody {
    RulesBody { rules, defaults: Rules::defaults() }
}

/// The validation rules.
#[utoipa::path(get, path = "/api/validation/rules", tag = "reporting", responses((status = 200, body = RulesBody)))]
pub async fn rules(State(state): State<AppState>, _user: ApiUser) -> Result<Json<RulesBody>, ApiError> {
    let stored = state.store.validation_rules().await.map_err(Problem::from)?;
    Ok(Json(with_defaults(stored.rules)))
}

/// Replaces the plan office's validation rules; every problem is named by the rule's place and
/// check.
#[utoipa::path(put, path = "/api/validation/rules", tag = "reporting", request_body = RulesBody,
    responses((status = 200, body = RulesBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_rules(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<RulesBody>,
) -> Result<Json<RulesBody>, ApiError> {
    let rules = Rules { rules: body.rules };
    state.store.set_validation_rules(&user.actor, &rules).await.map_err(Problem::from)?;
    Ok(Json(with_defaults(rules.rules)))
}

/// One row of an upload's preview.
#[derive(Serialize, ToSchema)]
pub struct PreviewView {
    row: usize,
    target_id: String,
    org_unit: String,
    period: String,
    value: f64,
    comment: String,
    current_value: Option<f64>,
    current_state: Option<StateCode>,
    /// `new`, `changed`, `unchanged` or `conflict`.
    change: String,
    /// Why the row conflicts.
    reason: String,
    /// The validation rules' warnings the row would be flagged with.
    warnings: Vec<String>,
}

impl From<RowPreview> for PreviewView {
    fn from(p: RowPreview) -> PreviewView {
        PreviewView {
            row: p.row,
            target_id: p.target_id,
            org_unit: p.org_unit,
            period: p.period.to_string(),
            value: p.value,
            comment: p.comment,
            current_value: p.current_value,
            current_state: p.current_state.map(StateCode::of),
            change: p.change.code().to_string(),
            reason: p.reason,
            warnings: p.warnings,
        }
    }
}

/// What importing a filled Excel form (multipart field `file`) would do, row by row, without
/// writing anything; refused rows are a 422 as in `/api/import`.
#[utoipa::path(post, path = "/api/import/preview", tag = "reporting",
    request_body(content_type = "multipart/form-data", description = "field `file`: .xlsx, .xls, .xlsm or .ods"),
    responses((status = 200, body = [PreviewView]), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    csrf: Option<Extension<UploadCsrf>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<Vec<PreviewView>>, ApiError> {
    let multipart = multipart.map_err(|r| ApiError(Problem::from_rejection(r.status(), r.body_text(), BODY_LIMIT)))?;
    let upload = crate::service::read_upload(&state, csrf.map(|c| c.0), multipart).await?;
    let preview =
        state.store.preview_import(&user.actor, &upload.rows, ObservationState::Draft).await.map_err(Problem::from)?;
    Ok(Json(preview.into_iter().map(PreviewView::from).collect()))
}
