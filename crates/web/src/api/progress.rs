//! 填报进度, 催报 and notices in the API: the reports expected to date with their standing and
//! 填报及时率 per unit, reminders to units, the caller's notices.

use axum::Json;
use axum::extract::State;
use plan361_core::progress::{Standing, Tally};
use plan361_store::{Notice, Reminder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, Problem};
use crate::extract::{ApiJson, ApiQuery};
use crate::progress::ProgressFilter;

/// One expected report and where it stands.
#[derive(Serialize, ToSchema)]
pub struct ReportView {
    period: String,
    target_id: String,
    indicator: String,
    org_unit: String,
    reporting_unit: String,
    due: String,
    /// open (未报, not yet due), draft, returned, submitted, approved or overdue.
    state: String,
    /// Days past the due date (overdue only).
    days_overdue: Option<i64>,
    /// Submitted after its due date.
    late: bool,
}

/// A reporting unit's counts over the reports selected.
#[derive(Serialize, ToSchema)]
pub struct UnitProgress {
    unit: String,
    expected: usize,
    open: usize,
    draft: usize,
    returned: usize,
    submitted: usize,
    approved: usize,
    overdue: usize,
    /// 填报及时率: reports in by their due date ÷ reports due; null when none is due yet.
    timeliness: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressView {
    /// 填报及时率 over every report selected.
    timeliness: Option<f64>,
    units: Vec<UnitProgress>,
    reports: Vec<ReportView>,
}

fn unit_progress(unit: String, t: &Tally) -> UnitProgress {
    UnitProgress {
        unit,
        expected: t.expected,
        open: t.open,
        draft: t.draft,
        returned: t.returned,
        submitted: t.submitted,
        approved: t.approved,
        overdue: t.overdue,
        timeliness: t.timeliness(),
    }
}

/// 填报进度: the reports expected from the plan's start to this month of one frequency (from
/// `from` on), for every unit the caller follows (the plan office and leaders: all).
#[utoipa::path(get, path = "/api/progress", tag = "reporting", params(ProgressFilter),
    responses((status = 200, body = ProgressView), (status = 400, body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(params): ApiQuery<ProgressFilter>,
) -> Result<Json<ProgressView>, ApiError> {
    let selection = params.selection(crate::service::current_month(&state))?;
    let today = crate::service::today(&state);
    let reports = crate::service::followed_reports(&state, &user.actor).await?;
    let mut overall = Tally::default();
    let mut units: Vec<(String, Tally)> = Vec::new();
    let mut views = Vec::new();
    for r in reports.iter().filter(|r| selection.shows(r)) {
        let due = r.is_due(today);
        overall.add(r.standing, r.late, due);
        match units.iter_mut().find(|(u, _)| *u == r.reporting_unit) {
            Some((_, tally)) => tally.add(r.standing, r.late, due),
            None => {
                let mut tally = Tally::default();
                tally.add(r.standing, r.late, due);
                units.push((r.reporting_unit.clone(), tally));
            }
        }
        if selection.state.is_none_or(|code| r.standing.code() == code)
            && selection.period.is_none_or(|p| p == r.period)
        {
            views.push(ReportView {
                period: r.period.to_string(),
                target_id: r.target_id.clone(),
                indicator: r.indicator.clone(),
                org_unit: r.org_unit.clone(),
                reporting_unit: r.reporting_unit.clone(),
                due: r.due.to_string(),
                state: r.standing.code().to_string(),
                days_overdue: match r.standing {
                    Standing::Overdue { days, .. } => Some(days),
                    _ => None,
                },
                late: r.late,
            });
        }
    }
    Ok(Json(ProgressView {
        timeliness: overall.timeliness(),
        units: units.into_iter().map(|(unit, t)| unit_progress(unit, &t)).collect(),
        reports: views,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ReminderRequest {
    /// The reporting unit to remind; without it, every unit with overdue reports.
    #[serde(default)]
    unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReminderView {
    unit: String,
    /// Its overdue reports.
    reports: usize,
    /// The longest a report is overdue, in days.
    days: i64,
    /// The users who got the notice.
    recipients: Vec<String>,
}

impl From<Reminder> for ReminderView {
    fn from(r: Reminder) -> Self {
        ReminderView { unit: r.unit, reports: r.reports, days: r.days, recipients: r.recipients }
    }
}

/// 催报: a notice to every user of a unit with overdue reports (or of every such unit), recorded
/// in the audit log. The plan office.
#[utoipa::path(post, path = "/api/reminders", tag = "reporting", request_body = ReminderRequest,
    responses((status = 200, body = [ReminderView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<ReminderRequest>,
) -> Result<Json<Vec<ReminderView>>, ApiError> {
    let unit = request.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let sent = state.store.remind(&user.actor, unit).await.map_err(Problem::from)?;
    Ok(Json(sent.into_iter().map(ReminderView::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    id: i64,
    /// reminder, due_soon, returned or waiting.
    kind: String,
    message: String,
    /// The page to act on it.
    href: String,
    sender: String,
    created_at_ms: i64,
    read: bool,
}

impl From<Notice> for NoticeView {
    fn from(n: Notice) -> Self {
        NoticeView {
            id: n.id,
            kind: n.kind.code().to_string(),
            message: n.message,
            href: n.href,
            sender: n.sender,
            created_at_ms: n.created_at_ms,
            read: n.read,
        }
    }
}

/// The caller's notices, unread first.
#[utoipa::path(get, path = "/api/notices", tag = "reporting", responses((status = 200, body = [NoticeView])))]
pub async fn notices(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Vec<NoticeView>>, ApiError> {
    let notices = state.store.notices(&user.actor.username, 200).await.map_err(Problem::from)?;
    Ok(Json(notices.into_iter().map(NoticeView::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct ReadRequest {
    /// One notice; without it, all of the caller's.
    #[serde(default)]
    id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReadView {
    /// How many notices were marked read.
    read: u64,
}

/// Marks one of the caller's notices (or all) read.
#[utoipa::path(post, path = "/api/notices/read", tag = "reporting", request_body = ReadRequest,
    responses((status = 200, body = ReadView), (status = 422, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<ReadRequest>,
) -> Result<Json<ReadView>, ApiError> {
    let read = state.store.read_notices(&user.actor.username, request.id).await.map_err(Problem::from)?;
    Ok(Json(ReadView { read }))
}
