//! The JSON API. Every route is declared with `#[utoipa::path]` and registered through
//! `routes!`, so the router and the OpenAPI document at `/api/openapi.json` come from the same
//! declarations and cannot drift apart.

mod checks;
mod lists;
mod plans;
mod progress;
mod stats;
pub(crate) mod warnings;

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use plan361_core::access::Role;
use plan361_core::eval::EvalRecord;
use plan361_core::i18n::Lang;
use plan361_files::xlsx::FormRow;
use plan361_store::{
    AuditEntry, Draft, NewUser, Observation, ObservationFilter, ObservationState, ReviewDecision, Revision, User,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::AuditQuery;
use crate::auth::{ApiUser, ClientAddress, Via, sign_in};
use crate::error::{ApiError, ErrorBody, Problem};
use crate::extract::{ApiJson, ApiQuery};
use crate::render::{Ui, XLSX_TYPE, file_download};
use crate::service::DecisionCode;
use crate::{AppState, BODY_LIMIT, service};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "plan361 API",
        description = "Monitoring of Ningbo's \"361\" industrial plan: evaluation, reporting and review. \
                       Sign in with POST /api/login and send the token as `Authorization: Bearer TOKEN`. \
                       Errors are JSON objects with `error` (a code) and `message` (what to fix)."
    ),
    modifiers(&BearerAuth),
    components(schemas(LangCode, StateCode, DecisionCode, RoleCode, ListKindCode)),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(evaluation))
        .routes(routes!(comparison))
        .routes(routes!(list_observations, create_observation))
        .routes(routes!(observation_revisions))
        .routes(routes!(submit_observation))
        .routes(routes!(approve_observation))
        .routes(routes!(return_observation))
        .routes(routes!(review_many))
        .routes(routes!(tasks))
        .routes(routes!(overdue))
        .routes(routes!(progress::progress))
        .routes(routes!(progress::remind))
        .routes(routes!(progress::notices))
        .routes(routes!(progress::read))
        .routes(routes!(blank_form))
        .routes(routes!(import_form))
        .routes(routes!(checks::preview))
        .routes(routes!(checks::findings))
        .routes(routes!(checks::rules, checks::set_rules))
        .routes(routes!(audit_log))
        .routes(routes!(list_users, create_user))
        .routes(routes!(set_user_disabled))
        .routes(routes!(lists::list_entries, lists::save_list_entry))
        .routes(routes!(lists::list_entry, lists::delete_list_entry))
        .routes(routes!(lists::target_entries))
        .routes(routes!(stats::cube))
        .routes(routes!(stats::members))
        .routes(routes!(stats::enterprises))
        .routes(routes!(warnings::list))
        .routes(routes!(warnings::rules, warnings::set_rules))
        .routes(routes!(warnings::scan))
        .routes(routes!(warnings::one))
        .routes(routes!(warnings::acknowledge))
        .routes(routes!(warnings::measures))
        .routes(routes!(warnings::resolve))
        .routes(routes!(plans::versions))
        .routes(routes!(plans::diff))
        .routes(routes!(openapi_json))
}

/// The OpenAPI document of the API, with every status each operation can answer.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = routes().into_openapi();
    contract::complete(&mut document);
    document
}

/// A language of labels and explanations.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LangCode {
    Zh,
    En,
}

/// A value's place in the workflow.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StateCode {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl StateCode {
    fn stage(self) -> ObservationState {
        match self {
            StateCode::Draft => ObservationState::Draft,
            StateCode::Submitted => ObservationState::Submitted,
            StateCode::Approved => ObservationState::Approved,
            StateCode::Returned => ObservationState::Returned,
        }
    }

    fn of(stage: ObservationState) -> StateCode {
        match stage {
            ObservationState::Draft => StateCode::Draft,
            ObservationState::Submitted => StateCode::Submitted,
            ObservationState::Approved => StateCode::Approved,
            ObservationState::Returned => StateCode::Returned,
        }
    }
}

/// A user's role.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleCode {
    Admin,
    PlanOffice,
    Reporter,
    Reviewer,
    Viewer,
}

impl RoleCode {
    fn role(self) -> Role {
        match self {
            RoleCode::Admin => Role::Admin,
            RoleCode::PlanOffice => Role::PlanOffice,
            RoleCode::Reporter => Role::Reporter,
            RoleCode::Reviewer => Role::Reviewer,
            RoleCode::Viewer => Role::Viewer,
        }
    }
}

/// One of the four key lists.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ListKindCode {
    Enterprises,
    Projects,
    Parks,
    Platforms,
}

/// Completes the document: the statuses every operation can answer besides its own — 401
/// without a valid token, 400 for a malformed query, 400/413/415/422 for a body that is not
/// JSON, too large, of another type or not the shape expected, 404 for an unknown id in the
/// path — each with the error body.
mod contract {
    use utoipa::openapi::{OpenApi, Ref, RefOr, ResponseBuilder};

    pub fn complete(document: &mut OpenApi) {
        for (path, item) in document.paths.paths.iter_mut() {
            let open = path == "/api/login" || path == "/api/openapi.json";
            for operation in
                [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch].into_iter().flatten()
            {
                let queries = operation.parameters.as_ref().is_some_and(|p| {
                    p.iter().any(
                        |p| matches!(p, RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Query),
                    )
                });
                let mut add = |status: &str, description: &str| {
                    operation.responses.responses.entry(status.to_string()).or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/json",
                                    utoipa::openapi::ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                                        .build(),
                                )
                                .build(),
                        )
                    });
                };
                if !open {
                    add("401", "not signed in: no token, or one that has ended");
                }
                if queries {
                    add("400", "a query parameter is not valid");
                }
                if operation.request_body.is_some() {
                    add("400", "the body is not JSON, or not the JSON expected");
                    add("413", "the body is larger than 5 MB");
                    add("415", "the body is not of the type expected");
                    add("422", "the body's fields are not valid");
                }
                if path.contains('{') {
                    add("404", "no such entry, or not one the caller may see");
                }
            }
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    username: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`; valid for 12 hours.
    token: String,
    username: String,
    org_unit: String,
    role: Role,
}

/// Signs in; failed attempts are limited per user name and per address.
#[utoipa::path(post, path = "/api/login", tag = "session", security(()), request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    Extension(address): Extension<ClientAddress>,
    ApiJson(LoginRequest { username, password }): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let signed = sign_in(&state, &username, &password, &address.0, Via::Bearer).await?;
    Ok(Json(LoginResponse {
        token: signed.token,
        username: signed.actor.username,
        org_unit: signed.actor.org_unit,
        role: signed.actor.role,
    }))
}

/// Ends the session of the token used.
#[utoipa::path(post, path = "/api/logout", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<StatusCode, ApiError> {
    state.close_session(&user.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    username: String,
    display_name: String,
    org_unit: String,
    role: Role,
    /// For browser sessions: the token state-changing requests send as `X-CSRF-Token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    csrf_token: Option<String>,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/me", tag = "session", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(ApiUser(user): ApiUser) -> Json<Me> {
    Json(Me {
        username: user.actor.username,
        display_name: user.display_name,
        org_unit: user.actor.org_unit,
        role: user.actor.role,
        csrf_token: (user.via == Via::Cookie).then_some(user.csrf),
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvaluationQuery {
    /// 2026-05, 2026Q2 or 2026; default: the current month.
    #[param(pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)(-(0[1-9]|1[0-2])|Q[1-4])?$")]
    at: Option<String>,
    /// Only this org unit (宁波市, 北仑区 …).
    org_unit: Option<String>,
    /// Only this target.
    target_id: Option<String>,
    /// zh (default) or en: the language of `status_label` and `explanation`.
    lang: Option<LangCode>,
}

pub(crate) fn lang_of(code: Option<LangCode>) -> Result<Lang, ApiError> {
    Ok(match code {
        None | Some(LangCode::Zh) => Lang::Zh,
        Some(LangCode::En) => Lang::En,
    })
}

/// The whole plan evaluated at a period from approved values: the same objects as
/// `plan361 eval --json`.
#[utoipa::path(get, path = "/api/evaluation", tag = "evaluation", params(EvaluationQuery),
    responses((status = 200, body = [EvalRecord]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "unknown org_unit or target_id")))]
async fn evaluation(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(params): ApiQuery<EvaluationQuery>,
) -> Result<Response, ApiError> {
    let at = service::period_or_default(&state, params.at.as_deref())?;
    let lang = lang_of(params.lang)?;
    let key = format!(
        "api-evaluation:{at}:{}:{}:{}",
        lang.code(),
        params.org_unit.as_deref().unwrap_or_default(),
        params.target_id.as_deref().unwrap_or_default()
    );
    // The same answer for everyone until the data change: serialized once per data version.
    let json = state
        .cache
        .fragment(&state.store, key, async || {
            let evaluated = state.cache.evaluated(&state.store, at).await?;
            if let Some(unit) = &params.org_unit
                && evaluated.input.org_units.get(unit).is_none()
            {
                return Err(Problem::not_found(format!("org_unit: unknown org unit \"{unit}\"")));
            }
            if let Some(id) = &params.target_id
                && evaluated.input.plan.target(id).is_none()
            {
                return Err(Problem::not_found(format!("target_id: unknown target \"{id}\"")));
            }
            let records: Vec<EvalRecord> = evaluated
                .rows
                .iter()
                .filter(|r| params.org_unit.as_ref().is_none_or(|u| *u == r.org_unit))
                .filter(|r| params.target_id.as_ref().is_none_or(|id| *id == evaluated.target(r).id))
                .map(|r| evaluated.record(r, lang))
                .collect();
            serde_json::to_string(&records).map_err(|e| crate::error::internal(&e))
        })
        .await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], json.to_string()).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonQuery {
    target_id: String,
    #[param(pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)(-(0[1-9]|1[0-2])|Q[1-4])?$")]
    at: Option<String>,
    lang: Option<LangCode>,
}

/// A target's districts ranked by completion, best first.
#[utoipa::path(get, path = "/api/comparison", tag = "evaluation", params(ComparisonQuery),
    responses((status = 200, body = [EvalRecord]), (status = 404, body = ErrorBody)))]
async fn comparison(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(params): ApiQuery<ComparisonQuery>,
) -> Result<Json<Vec<EvalRecord>>, ApiError> {
    let at = service::period_or_default(&state, params.at.as_deref())?;
    let lang = lang_of(params.lang)?;
    let evaluated = state.cache.evaluated(&state.store, at).await?;
    let ranked = evaluated
        .ranked_districts(&params.target_id)
        .ok_or_else(|| ApiError(Problem::not_found(format!("target_id: unknown target \"{}\"", params.target_id))))?;
    Ok(Json(ranked.into_iter().map(|r| evaluated.record(r, lang)).collect()))
}

/// A reported value.
#[derive(Serialize, ToSchema)]
pub struct ObservationView {
    id: i64,
    /// Increases with every change; send it back with the next change.
    revision: i64,
    /// The target id, or `id:measure` for a part of a two-sided target.
    target_id: String,
    org_unit: String,
    period: String,
    value: f64,
    comment: String,
    state: StateCode,
    return_reason: String,
    /// The value evaluation uses: the last approved one.
    approved_value: Option<f64>,
    late: bool,
    updated_by: String,
    updated_at_ms: i64,
}

impl From<Observation> for ObservationView {
    fn from(o: Observation) -> ObservationView {
        ObservationView {
            target_id: o.target_key(),
            id: o.id,
            revision: o.revision,
            org_unit: o.org_unit,
            period: o.period.to_string(),
            value: o.value,
            comment: o.comment,
            state: StateCode::of(o.state),
            return_reason: o.return_reason,
            approved_value: o.approved_value,
            late: o.late,
            updated_by: o.updated_by,
            updated_at_ms: o.updated_at_ms,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObservationQuery {
    target_id: Option<String>,
    org_unit: Option<String>,
    #[param(pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)(-(0[1-9]|1[0-2])|Q[1-4])?$")]
    period: Option<String>,
    state: Option<StateCode>,
    /// At most this many of the values the caller may see, newest period first (default 1000,
    /// at most 100000).
    #[param(minimum = 1, maximum = 100000)]
    limit: Option<i64>,
}

/// Reported values the caller may see: approved ones for everyone, the others for those who may
/// report or review them.
#[utoipa::path(get, path = "/api/observations", tag = "reporting", params(ObservationQuery),
    responses((status = 200, body = [ObservationView]), (status = 400, body = ErrorBody)))]
async fn list_observations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(params): ApiQuery<ObservationQuery>,
) -> Result<Json<Vec<ObservationView>>, ApiError> {
    let period = params
        .period
        .as_deref()
        .map(|p| p.parse().map_err(|e: plan361_core::period::PeriodError| Problem::bad_request(e.to_string())))
        .transpose()?;
    let state_filter = params.state.map(StateCode::stage);
    let filter = ObservationFilter {
        target: params.target_id,
        org_unit: params.org_unit,
        period,
        state: state_filter,
        limit: Some(params.limit.unwrap_or(1000)),
    };
    let found = state.store.observations(&user.actor, &filter).await?;
    Ok(Json(found.into_iter().map(ObservationView::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObservation {
    /// A target id, or `id:measure` for a part of a two-sided target (`2.1.2:rank`).
    target_id: String,
    org_unit: String,
    /// A period of the target's frequency: 2026-05 for a monthly target, 2026Q2 for a quarterly
    /// one, 2026 for a yearly one (`frequency` in `/api/tasks`); another is refused with 422.
    #[schema(pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)(-(0[1-9]|1[0-2])|Q[1-4])?$")]
    period: String,
    /// In the target's unit and on its basis, which `/api/tasks` states in words for each value
    /// owed (`basis`): 期末数 (the state at the period's end), 1—N月累计 (January to the
    /// period), 2025年1月起累计新增 (added since the start month); a milestone's share done in
    /// percent (100 = done). Between -1e15 and 1e15, as everywhere.
    #[schema(minimum = -1e15, maximum = 1e15)]
    value: f64,
    #[serde(default)]
    #[schema(max_length = 4000)]
    comment: String,
    /// To change an existing value: the revision the change was made from.
    #[serde(default)]
    revision: Option<i64>,
}

/// Saves a value as a draft (a new one, or a new revision of an existing one).
#[utoipa::path(post, path = "/api/observations", tag = "reporting", request_body = NewObservation,
    responses((status = 201, body = ObservationView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_observation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(new): ApiJson<NewObservation>,
) -> Result<(StatusCode, Json<ObservationView>), ApiError> {
    let period = new
        .period
        .parse()
        .map_err(|e: plan361_core::period::PeriodError| Problem::bad_request(format!("period: {e}")))?;
    let draft = Draft {
        target: new.target_id,
        org_unit: new.org_unit,
        period: Some(period),
        value: new.value,
        comment: new.comment,
        ..Draft::default()
    };
    let saved = state.store.save_draft(&user.actor, &draft, new.revision).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

#[derive(Serialize, ToSchema)]
pub struct RevisionView {
    revision: i64,
    /// create, update, import, submit, approve or return.
    action: String,
    value: f64,
    comment: String,
    state: StateCode,
    reason: String,
    changed_by: String,
    changed_at_ms: i64,
}

impl From<Revision> for RevisionView {
    fn from(r: Revision) -> RevisionView {
        RevisionView {
            revision: r.revision,
            action: r.action,
            value: r.value,
            comment: r.comment,
            state: StateCode::of(r.state),
            reason: r.reason,
            changed_by: r.changed_by,
            changed_at_ms: r.changed_at_ms,
        }
    }
}

/// Every revision of a value, oldest first.
#[utoipa::path(get, path = "/api/observations/{id}/revisions", tag = "reporting",
    params(("id" = i64, Path, description = "the observation's id")),
    responses((status = 200, body = [RevisionView]), (status = 404, body = ErrorBody)))]
async fn observation_revisions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<RevisionView>>, ApiError> {
    let id = parse_id(&id)?;
    let revisions = state.store.revisions(&user.actor, id).await?;
    Ok(Json(revisions.into_iter().map(RevisionView::from).collect()))
}

fn parse_id(text: &str) -> Result<i64, ApiError> {
    Ok(Problem::id_in_path(text, "an observation")?)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The revision the decision is based on; default: the current one.
    #[serde(default)]
    revision: Option<i64>,
    /// Why a value is returned (required for /return).
    #[serde(default)]
    reason: Option<String>,
}

/// The body of a return: the reason is required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnDecision {
    /// The revision the decision is based on; default: the current one.
    #[serde(default)]
    revision: Option<i64>,
    /// Why the value is returned (退回原因), shown to its reporter.
    #[schema(min_length = 1, max_length = 4000)]
    reason: String,
}

/// An optional JSON body: an empty one means the defaults.
fn optional_body<T: Default + serde::de::DeserializeOwned>(
    payload: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let bytes = payload.map_err(|r| ApiError(Problem::from_rejection(r.status(), r.body_text(), BODY_LIMIT)))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        let status = if e.is_data() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::BAD_REQUEST };
        ApiError(Problem::new(status, "bad_request", format!("the request body is not the JSON expected: {e}")))
    })
}

async fn decide(
    state: &AppState,
    user: &crate::auth::Signed,
    id: &str,
    decision: Decision,
    kind: fn(String) -> ReviewDecision,
) -> Result<Json<ObservationView>, ApiError> {
    let id = parse_id(id)?;
    let revision = match decision.revision {
        Some(revision) => revision,
        None => state.store.observation(&user.actor, id).await?.revision,
    };
    let reviewed = state.store.review(&user.actor, id, revision, &kind(decision.reason.unwrap_or_default())).await?;
    Ok(Json(reviewed.into()))
}

/// Submits a draft or returned value for review.
#[utoipa::path(post, path = "/api/observations/{id}/submit", tag = "reporting", request_body(content = Decision, description = "optional"),
    params(("id" = i64, Path)),
    responses((status = 200, body = ObservationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_observation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    payload: Result<Bytes, BytesRejection>,
) -> Result<Json<ObservationView>, ApiError> {
    decide(&state, &user, &id, optional_body(payload)?, |_| ReviewDecision::Submit).await
}

/// Approves a submitted value: evaluation uses it from now on.
#[utoipa::path(post, path = "/api/observations/{id}/approve", tag = "review", request_body(content = Decision, description = "optional"),
    params(("id" = i64, Path)),
    responses((status = 200, body = ObservationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve_observation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    payload: Result<Bytes, BytesRejection>,
) -> Result<Json<ObservationView>, ApiError> {
    decide(&state, &user, &id, optional_body(payload)?, |_| ReviewDecision::Approve).await
}

/// Returns a submitted value to its reporter with a reason.
#[utoipa::path(post, path = "/api/observations/{id}/return", tag = "review", request_body = ReturnDecision,
    params(("id" = i64, Path)),
    responses((status = 200, body = ObservationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn return_observation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(ReturnDecision { revision, reason }): ApiJson<ReturnDecision>,
) -> Result<Json<ObservationView>, ApiError> {
    let decision = Decision { revision, reason: Some(reason) };
    decide(&state, &user, &id, decision, |reason| ReviewDecision::Return { reason }).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkReview {
    #[schema(min_items = 1)]
    items: Vec<ReviewItem>,
    decision: DecisionCode,
    /// Why the values are returned (required to return).
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewItem {
    id: i64,
    revision: i64,
}

/// Approves or returns several values at once, all or none.
#[utoipa::path(post, path = "/api/review", tag = "review", request_body = BulkReview,
    responses((status = 200, body = [ObservationView]), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "an item names no value the caller may see"),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn review_many(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<BulkReview>,
) -> Result<Json<Vec<ObservationView>>, ApiError> {
    let decision = request.decision.with_reason(request.reason);
    if request.items.is_empty() {
        return Err(ApiError(Problem::bad_request("items: choose at least one value")));
    }
    let items: Vec<(i64, i64)> = request.items.iter().map(|i| (i.id, i.revision)).collect();
    let reviewed = state.store.review_many(&user.actor, &items, &decision).await?;
    Ok(Json(reviewed.into_iter().map(ObservationView::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct DutyView {
    target_id: String,
    indicator: String,
    unit: String,
    /// What the value is, in words: 期末数, 1—N月累计, 2025年1月起累计新增 …
    basis: String,
    /// month, quarter or year: the periods the target takes.
    frequency: String,
    org_unit: String,
    period: String,
    due: String,
    /// The value stored so far, if any.
    observation: Option<ObservationView>,
}

/// What the caller's unit must report in the periods whose window is open.
#[utoipa::path(get, path = "/api/tasks", tag = "reporting", responses((status = 200, body = [DutyView])))]
async fn tasks(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Vec<DutyView>>, ApiError> {
    let (plan, duties) = service::duties(&state, &user.actor).await?;
    let views = duties
        .into_iter()
        .map(|d| {
            let target = &plan.targets()[d.target];
            let line = FormRow::new(target, &d.key, &d.org_unit, d.period, None, d.revision(), Lang::Zh);
            DutyView {
                target_id: d.key,
                indicator: line.indicator,
                unit: line.unit,
                basis: line.basis,
                frequency: target.frequency.code().to_string(),
                org_unit: d.org_unit,
                period: d.period.to_string(),
                due: d.due.to_string(),
                observation: d.stored.map(ObservationView::from),
            }
        })
        .collect();
    Ok(Json(views))
}

#[derive(Serialize, ToSchema)]
pub struct OverdueView {
    target_id: String,
    indicator: String,
    org_unit: String,
    /// The unit that must report it.
    reporting_unit: String,
    period: String,
    /// missing, draft or returned.
    state: String,
    due: String,
    days_overdue: i64,
}

/// Reports whose due date has passed without a submitted value, over every period to date: the
/// caller's unit's, or every unit's for the plan office, administrators and leaders.
#[utoipa::path(get, path = "/api/overdue", tag = "reporting", responses((status = 200, body = [OverdueView])))]
async fn overdue(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Vec<OverdueView>>, ApiError> {
    let late = service::overdue(&state, &user.actor).await?;
    let views = late
        .into_iter()
        .map(|o| OverdueView {
            target_id: o.target_id,
            indicator: o.indicator,
            org_unit: o.org_unit,
            reporting_unit: o.reporting_unit,
            period: o.period.to_string(),
            state: o.state,
            due: o.due,
            days_overdue: o.days_overdue,
        })
        .collect();
    Ok(Json(views))
}

/// The blank Excel form of everything the caller's unit owes now (fill in, then POST /api/import).
#[utoipa::path(get, path = "/api/form.xlsx", tag = "reporting",
    responses((status = 200, description = "the form", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn blank_form(State(state): State<AppState>, ApiUser(user): ApiUser, ui: Ui) -> Result<Response, ApiError> {
    let (name, bytes) = service::form_workbook(&state, &user.actor, &ui).await?;
    Ok(file_download(&name, XLSX_TYPE, bytes))
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    rows: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
}

/// Imports a filled Excel form (multipart field `file`) as drafts, all rows or none.
#[utoipa::path(post, path = "/api/import", tag = "reporting",
    request_body(content_type = "multipart/form-data", description = "field `file`: .xlsx, .xls, .xlsm or .ods"),
    responses((status = 200, body = ImportResult), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_form(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    csrf: Option<Extension<crate::auth::UploadCsrf>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<ImportResult>, ApiError> {
    let multipart = multipart.map_err(|r| ApiError(Problem::from_rejection(r.status(), r.body_text(), BODY_LIMIT)))?;
    let report = service::import_upload(&state, &user.actor, csrf.map(|c| c.0), multipart).await?;
    Ok(Json(ImportResult {
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AuditView {
    id: i64,
    at_ms: i64,
    actor: String,
    /// The actor as people know them: org unit and name (市科技局 李华).
    actor_name: String,
    action: String,
    /// The action's name (提交审核, 审核通过, 目标分解 …).
    action_label: String,
    /// The fields the entry changed, in words ("数值: 7 → 8").
    changes: Vec<String>,
    entity: String,
    entity_id: String,
    before: String,
    after: String,
    hash: String,
}

impl AuditView {
    fn of(e: AuditEntry, people: &std::collections::HashMap<String, String>) -> AuditView {
        let readable = crate::audit::readable(&e, true);
        AuditView {
            id: e.id,
            at_ms: e.at_ms,
            actor_name: crate::audit::person(people, &e.actor),
            actor: e.actor,
            action: e.action,
            action_label: readable.action,
            changes: readable.changes.iter().map(plan361_core::audit::Change::line).collect(),
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            hash: e.hash,
        }
    }
}

/// The audit log, newest first (administrators and the plan office).
#[utoipa::path(get, path = "/api/audit", tag = "administration", params(AuditQuery),
    responses((status = 200, body = [AuditView]), (status = 403, body = ErrorBody)))]
async fn audit_log(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(params): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditView>>, ApiError> {
    require(&state, &user, plan361_core::access::Action::ReadAudit)?;
    let filter = params.filter(100, true)?;
    let entries = state.store.audit_entries(&filter).await?;
    let people = crate::audit::people(&state).await?;
    Ok(Json(entries.into_iter().map(|e| AuditView::of(e, &people)).collect()))
}

pub fn require(
    state: &AppState,
    user: &crate::auth::Signed,
    action: plan361_core::access::Action,
) -> Result<(), Problem> {
    if state.allowed(&user.actor, action) {
        Ok(())
    } else {
        Err(Problem::forbidden(format!("role {} may not do this", user.actor.role)))
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    username: String,
    display_name: String,
    org_unit: String,
    role: Role,
    disabled: bool,
}

impl From<User> for UserView {
    fn from(u: User) -> UserView {
        UserView {
            username: u.username,
            display_name: u.display_name,
            org_unit: u.org_unit,
            role: u.role,
            disabled: u.disabled,
        }
    }
}

/// Every user (administrators).
#[utoipa::path(get, path = "/api/users", tag = "administration",
    responses((status = 200, body = [UserView]), (status = 403, body = ErrorBody)))]
async fn list_users(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Vec<UserView>>, ApiError> {
    require(&state, &user, plan361_core::access::Action::ManageUsers)?;
    Ok(Json(state.store.users().await?.into_iter().map(UserView::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    username: String,
    display_name: String,
    password: String,
    org_unit: String,
    role: RoleCode,
}

/// Adds a user (administrators).
#[utoipa::path(post, path = "/api/users", tag = "administration", request_body = NewUserRequest,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(new): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let role = new.role.role();
    let created = state
        .store
        .add_user(
            &user.actor,
            NewUser {
                username: &new.username,
                display_name: &new.display_name,
                password: &new.password,
                org_unit: &new.org_unit,
                role,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisabledRequest {
    disabled: bool,
}

/// Disables or enables a user (administrators); a disabled user's sessions end at once.
#[utoipa::path(post, path = "/api/users/{username}/disabled", tag = "administration", request_body = DisabledRequest,
    params(("username" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_user_disabled(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(username): Path<String>,
    ApiJson(request): ApiJson<DisabledRequest>,
) -> Result<StatusCode, ApiError> {
    state.store.set_disabled(&user.actor, &username, request.disabled).await?;
    state.close_user_sessions(&username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "session", security(()),
    responses((status = 200, description = "the OpenAPI 3 document", content_type = "application/json")))]
async fn openapi_json() -> Response {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let text = DOCUMENT.get_or_init(|| openapi().to_pretty_json().unwrap_or_default());
    ([(axum::http::header::CONTENT_TYPE, "application/json")], text.as_str()).into_response()
}
