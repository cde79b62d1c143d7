//! Warnings (预警) in the API: the list with its filters (the objects of `plan361 warnings
//! --json`), one warning, the owner's steps, a scan, and the rules.

use axum::Json;
use axum::extract::{Path, State};
use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_core::warnings::{Level, Rules, Source, Step, WarningState};
use plan361_store::{ScanReport, Warning, WarningFilter, WarningStep};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, Problem};
use crate::extract::{ApiJson, ApiQuery};

/// A warning: its cause, owner, reason and life.
#[derive(Serialize, ToSchema)]
pub struct WarningView {
    id: i64,
    /// The cause, stable across periods (`projected_miss:3.3.1:宁波市`).
    key: String,
    source: Source,
    level: Level,
    /// The target it is about, if any (overdue units, enterprises and clusters have none).
    target_id: Option<String>,
    org_unit: String,
    /// The unit that answers for it: the target's lead unit, the enterprise's district, the
    /// cluster's lead, the late unit.
    owner_unit: String,
    /// The month it arose (or was last reopened).
    period: String,
    /// The last month a scan found its cause.
    last_period: String,
    /// One Chinese sentence with the numbers.
    reason: String,
    state: WarningState,
    measures: String,
    measures_due: Option<Date>,
    /// Every step with who and when, oldest first.
    history: Vec<StepView>,
}

#[derive(Serialize, ToSchema)]
pub struct StepView {
    /// raised, acknowledged, measures, resolved, auto_resolved or reopened.
    action: String,
    state: WarningState,
    note: String,
    due: Option<Date>,
    /// The month of the scan that took it (scans only).
    period: Option<String>,
    actor: String,
    at_ms: i64,
}

impl From<WarningStep> for StepView {
    fn from(s: WarningStep) -> StepView {
        StepView {
            action: s.action,
            state: s.state,
            note: s.note,
            due: s.due,
            period: s.period,
            actor: s.actor,
            at_ms: s.at_ms,
        }
    }
}

impl From<Warning> for WarningView {
    fn from(w: Warning) -> WarningView {
        WarningView {
            id: w.id,
            key: w.key,
            source: w.source,
            level: w.level,
            target_id: w.target_id,
            org_unit: w.org_unit,
            owner_unit: w.owner_unit,
            period: w.period,
            last_period: w.last_period,
            reason: w.reason,
            state: w.state,
            measures: w.measures,
            measures_due: w.measures_due,
            history: w.history.into_iter().map(StepView::from).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct WarningsQuery {
    /// Only warnings whose cause was found at this month (2026-10).
    pub at: Option<String>,
    /// red, orange or yellow.
    pub level: Option<String>,
    pub owner_unit: Option<String>,
    /// new, acknowledged, in_progress or resolved.
    pub state: Option<String>,
    /// downgrade, projected_miss, missed_year, overdue, stale, baseline_mismatch, enterprise_fall, cluster_lag.
    pub source: Option<String>,
    pub target_id: Option<String>,
    /// true: only those not resolved.
    pub open: Option<String>,
}

fn parsed<T>(name: &str, text: Option<&str>, parse: fn(&str) -> Option<T>, known: &str) -> Result<Option<T>, Problem> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => parse(text)
            .map(Some)
            .ok_or_else(|| Problem::bad_request(format!("{name}: unknown value \"{text}\" ({known})"))),
    }
}

impl WarningsQuery {
    /// The store's filter, or a 400 naming the parameter.
    pub fn filter(&self) -> Result<WarningFilter, Problem> {
        let at = match self.at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(text) => Some(text.parse::<Period>().map_err(|e| Problem::bad_request(format!("at: {e}")))?),
        };
        let sources: Vec<&str> = Source::ALL.iter().map(|s| s.code()).collect();
        Ok(WarningFilter {
            level: parsed("level", self.level.as_deref(), Level::from_code, "red, orange or yellow")?,
            owner_unit: self.owner_unit.clone().filter(|u| !u.trim().is_empty()),
            state: parsed(
                "state",
                self.state.as_deref(),
                WarningState::from_code,
                "new, acknowledged, in_progress or resolved",
            )?,
            source: parsed("source", self.source.as_deref(), Source::from_code, &sources.join(", "))?,
            period: at,
            target_id: self.target_id.clone().filter(|t| !t.trim().is_empty()),
            open: match self.open.as_deref().map(str::trim) {
                None | Some("" | "false" | "0") => false,
                Some("true" | "1") => true,
                Some(other) => return Err(Problem::bad_request(format!("open: \"{other}\" is not true or false"))),
            },
        })
    }
}

/// Warnings, most urgent first, then newest: every source, with their owners, reasons and
/// history.
#[utoipa::path(get, path = "/api/warnings", tag = "warnings", params(WarningsQuery),
    responses((status = 200, body = [WarningView]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(params): ApiQuery<WarningsQuery>,
) -> Result<Json<Vec<WarningView>>, ApiError> {
    let filter = params.filter()?;
    let warnings = state.store.warnings(&filter).await.map_err(Problem::from)?;
    Ok(Json(warnings.into_iter().map(WarningView::from).collect()))
}

/// One warning with its history.
#[utoipa::path(get, path = "/api/warnings/{id}", tag = "warnings", params(("id" = i64, Path)),
    responses((status = 200, body = WarningView), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<WarningView>, ApiError> {
    let id = Problem::id_in_path(&id, "a warning")?;
    Ok(Json(state.store.warning(id).await.map_err(Problem::from)?.into()))
}

async fn step(
    state: &AppState,
    user: &crate::auth::Signed,
    id: &str,
    step: Step,
) -> Result<Json<WarningView>, ApiError> {
    let id = Problem::id_in_path(id, "a warning")?;
    let warning = state.store.step_warning(&user.actor, id, step).await.map_err(Problem::from)?;
    state.refresh_warning_counts().await?;
    Ok(Json(warning.into()))
}

/// Signs for a new warning (新 → 已签收): the owner unit's reporters and reviewers, or the plan office.
#[utoipa::path(post, path = "/api/warnings/{id}/acknowledge", tag = "warnings", params(("id" = i64, Path)),
    responses((status = 200, body = WarningView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<WarningView>, ApiError> {
    step(&state, &user, &id, Step::Acknowledge).await
}

#[derive(Deserialize, ToSchema)]
pub struct MeasuresRequest {
    /// What is being done about it.
    measures: String,
    /// By when (2026-12-31).
    due: Date,
}

/// Sets (or revises) the measures and their date (→ 整改中).
#[utoipa::path(post, path = "/api/warnings/{id}/measures", tag = "warnings", params(("id" = i64, Path)),
    request_body = MeasuresRequest,
    responses((status = 200, body = WarningView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn measures(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(MeasuresRequest { measures, due }): ApiJson<MeasuresRequest>,
) -> Result<Json<WarningView>, ApiError> {
    step(&state, &user, &id, Step::Measures { measures, due }).await
}

#[derive(Deserialize, ToSchema)]
pub struct ResolveRequest {
    /// Why it is resolved.
    note: String,
}

/// Resolves a warning with a note (→ 已解除). A scan reopens it if its cause goes and returns.
#[utoipa::path(post, path = "/api/warnings/{id}/resolve", tag = "warnings", params(("id" = i64, Path)),
    request_body = ResolveRequest,
    responses((status = 200, body = WarningView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(ResolveRequest { note }): ApiJson<ResolveRequest>,
) -> Result<Json<WarningView>, ApiError> {
    step(&state, &user, &id, Step::Resolve { note }).await
}

#[derive(Deserialize, ToSchema)]
pub struct ScanRequest {
    /// The month; default: the last month that has ended (what the server scans by itself).
    at: Option<String>,
}

/// Scans a month now (the server also scans after writes and each night): the plan office.
#[utoipa::path(post, path = "/api/warnings/scan", tag = "warnings", request_body = ScanRequest,
    responses((status = 200, body = ScanReportView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn scan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(ScanRequest { at }): ApiJson<ScanRequest>,
) -> Result<Json<ScanReportView>, ApiError> {
    let at = match at {
        Some(text) => text.parse::<Period>().map_err(|e| Problem::bad_request(format!("at: {e}")))?,
        None => crate::service::current_month(&state).previous_month(),
    };
    let report = state.store.scan_warnings(&user.actor, at).await.map_err(Problem::from)?;
    state.refresh_warning_counts().await?;
    Ok(Json(report.into()))
}

/// What a scan changed.
#[derive(Serialize, ToSchema)]
pub struct ScanReportView {
    period: String,
    raised: usize,
    reopened: usize,
    resolved: usize,
    refreshed: usize,
    open: usize,
}

impl From<ScanReport> for ScanReportView {
    fn from(r: ScanReport) -> ScanReportView {
        ScanReportView {
            period: r.period,
            raised: r.raised,
            reopened: r.reopened,
            resolved: r.resolved,
            refreshed: r.refreshed,
            open: r.open,
        }
    }
}

/// The rules: each source's level, threshold and whether it is on.
#[utoipa::path(get, path = "/api/warnings/rules", tag = "warnings", responses((status = 200, body = Rules)))]
pub async fn rules(State(state): State<AppState>, _user: ApiUser) -> Result<Json<Rules>, ApiError> {
    Ok(Json(state.store.warning_rules().await.map_err(Problem::from)?))
}

/// Replaces the rules (the plan office); every problem is named by source and field.
#[utoipa::path(put, path = "/api/warnings/rules", tag = "warnings", request_body = Rules,
    responses((status = 200, body = Rules), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_rules(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(rules): ApiJson<Rules>,
) -> Result<Json<Rules>, ApiError> {
    state.store.set_warning_rules(&user.actor, &rules).await.map_err(Problem::from)?;
    state.warnings_changed();
    Ok(Json(rules))
}
