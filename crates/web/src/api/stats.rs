//! The cluster statistics in the API: the cube of a month (the objects of `plan361 stats cube
//! --json`), the memberships it was computed with (`plan361 stats members --json`), and the
//! enterprises behind any cell.

use axum::Json;
use axum::extract::State;
use plan361_core::stats::{By, CubeRow, EnterpriseFigures};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::extract::ApiQuery;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, Problem};
use crate::stats;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CubeQuery {
    /// The month (2026-10); default: the latest month with data.
    at: Option<String>,
    /// output (default), revenue, profit, export_delivery, rd_expense, electricity, employees, or all.
    measure: Option<String>,
    /// cluster (default: clusters at the city), district (the total by org unit) or cluster,district.
    by: Option<String>,
    /// A catalog version by its label; default: the version in force at the month's end.
    catalog: Option<String>,
}

/// The cube of a month: for each cluster (and `all`, 全部规上工业) × org unit × measure, 当月
/// (`month`, `month_span` 2 for 1–2月), 1–N月 (`ytd`), the same months last year and 同比 over
/// the enterprises reporting in both years (同口径), the enterprises, the share of the org
/// unit's total and the contribution to its growth (拉动, percentage points). Clusters overlap:
/// never add them up. Development zones are apart, never in the city.
#[utoipa::path(get, path = "/api/stats/cube", tag = "stats", params(CubeQuery),
    responses((status = 200, body = Vec<CubeRow>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cube(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(params): ApiQuery<CubeQuery>,
) -> Result<Json<Vec<CubeRow>>, ApiError> {
    let measures = stats::measures(params.measure.as_deref(), true)?;
    let by = By::parse(params.by.as_deref().unwrap_or("cluster"))
        .map_err(|e| ApiError(Problem::bad_request(format!("by: {e}"))))?;
    let (dataset, at) = stats::dataset(&state, params.at.as_deref(), params.catalog.as_deref()).await?;
    Ok(Json(dataset.cube(at).rows(by, &measures)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    /// The month (2026-10): the enterprises above scale in its year; default: the latest month with data.
    at: Option<String>,
    /// A catalog version by its label; default: the version in force at the month's end.
    catalog: Option<String>,
}

/// One enterprise's membership of one cluster.
#[derive(Serialize, ToSchema)]
pub struct Membership {
    credit_code: String,
    /// A cluster id of the catalog version.
    cluster: String,
}

/// Which enterprise belongs to which cluster (the enterprises above scale in the month's year,
/// under the catalog version): with the microdata, enough to recompute the cube.
#[utoipa::path(get, path = "/api/stats/members", tag = "stats", params(MembersQuery),
    responses((status = 200, body = Vec<Membership>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(params): ApiQuery<MembersQuery>,
) -> Result<Json<Vec<Membership>>, ApiError> {
    let (dataset, at) = stats::dataset(&state, params.at.as_deref(), params.catalog.as_deref()).await?;
    let all = dataset
        .members
        .memberships(at.year())
        .map(|(credit_code, cluster)| Membership { credit_code: credit_code.into(), cluster: cluster.into() })
        .collect();
    Ok(Json(all))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BehindQuery {
    /// The month (2026-10); default: the latest month with data.
    at: Option<String>,
    /// A cluster id, or all (default).
    cluster: Option<String>,
    /// The city (default), a district or a zone.
    org_unit: Option<String>,
    /// output (default), revenue, profit, export_delivery, rd_expense, electricity, employees.
    measure: Option<String>,
    /// A catalog version by its label; default: the version in force at the month's end.
    catalog: Option<String>,
}

/// The enterprises behind one cell of the cube, with their own figures: their `ytd` add up to
/// the cell's.
#[utoipa::path(get, path = "/api/stats/enterprises", tag = "stats", params(BehindQuery),
    responses((status = 200, body = Vec<EnterpriseFigures>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn enterprises(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(params): ApiQuery<BehindQuery>,
) -> Result<Json<Vec<EnterpriseFigures>>, ApiError> {
    let measure = stats::measures(params.measure.as_deref(), false)?[0];
    let (dataset, at) = stats::dataset(&state, params.at.as_deref(), params.catalog.as_deref()).await?;
    let cluster = stats::cluster(&dataset, params.cluster.as_deref())?;
    let org = stats::org_unit(&dataset, params.org_unit.as_deref())?;
    Ok(Json(dataset.behind(at, cluster, org, measure)))
}
