//! What both the pages and the API ask: the periods to choose from, what a unit must report
//! and its reporting form, reading an upload, what a reviewer must review. Each answer comes
//! from the store and the core's rules; pages and API only shape it differently. The CLI's
//! `template` and `import` build and read their forms through the same functions.

use std::sync::Arc;

use axum::extract::Multipart;
use plan361_core::Period;
use plan361_core::access::{self, Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::i18n::{self, Lang};
use plan361_core::org::OrgUnits;
use plan361_core::plan::Plan;
use plan361_core::progress::Standing;
use plan361_files::FileErrors;
use plan361_files::xlsx::{self, FormRow};
use plan361_store::{
    Duty, DutyPeriods, EvalInput, ImportReport, ImportRow, Observation, ObservationFilter, ObservationState, Overdue,
    Report, ReviewDecision,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::auth::{UploadCsrf, same_secret};
use crate::error::Problem;
use crate::render::Ui;
use crate::{AppState, BODY_LIMIT};

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
    let first = Period::month(plan.meta().baseline_year + 1, 1);
    let mut months: Vec<Period> = Period::months_between(first, last_ended_month(state)).collect();
    months.reverse();
    months
}

/// What `actor` must report now: the targets its unit is responsible for (departments) or
/// that were decomposed to it (districts), for every period whose window is open.
pub async fn duties(state: &AppState, actor: &Actor) -> Result<(Arc<Plan>, Vec<Duty>), Problem> {
    let plan = state.store.current_plan().await?;
    let duties = state.store.duties(actor, &plan, &actor.org_unit, actor.org_kind, DutyPeriods::Open).await?;
    Ok((plan, duties))
}

/// Each duty as a line of the reporting form (indicator, unit, basis in words, goal, the latest
/// approved value before its period in `approved`): one description for the page, the Excel
/// form of the web and of the CLI's `template`.
pub fn form_rows(plan: &Plan, duties: &[Duty], approved: &EvalInput, lang: Lang) -> Vec<FormRow> {
    duties
        .iter()
        .map(|d| {
            let last = approved.approved_before(&d.key, &d.org_unit, d.period);
            FormRow::new(&plan.targets()[d.target], &d.key, &d.org_unit, d.period, last, d.revision(), lang)
        })
        .collect()
}

/// The form lines of what `actor` owes now, the last approved values from the evaluation cache.
pub async fn current_form_rows(
    state: &AppState,
    plan: &Plan,
    duties: &[Duty],
    lang: Lang,
) -> Result<Vec<FormRow>, Problem> {
    let evaluated = state.cache.evaluated(&state.store, current_month(state)).await?;
    Ok(form_rows(plan, duties, &evaluated.input, lang))
}

/// The blank form of everything `actor` owes now, to fill in Excel and upload: its file name
/// and bytes.
pub async fn form_workbook(state: &AppState, actor: &Actor, ui: &Ui) -> Result<(String, Vec<u8>), Problem> {
    let (plan, duties) = duties(state, actor).await?;
    let rows = current_form_rows(state, &plan, &duties, ui.lang).await?;
    let month = i18n::period_label(current_month(state), ui.lang);
    let title = format!("{} {month} {}", actor.org_unit, ui.w.form_title);
    let instructions = [ui.w.form_fill, ui.w.form_units];
    let bytes = xlsx::write_form(&title, &instructions, &rows).map_err(|e| crate::error::internal(&e))?;
    Ok((format!("{title}.xlsx"), bytes))
}

/// A filled-in form or observation file, read: its name, its SHA-256 and its rows.
pub struct Upload {
    pub name: String,
    pub hash: String,
    pub rows: Vec<ImportRow>,
}

/// Reads a filled-in form or an observation file (CSV or workbook) into the rows the store
/// imports: every upload of the web and the CLI's `import` read through here. Every row is
/// checked; if any is bad, all the problems are returned and no row.
pub fn read_form(name: &str, bytes: &[u8], plan: &Plan, org_units: &OrgUnits) -> Result<Upload, FileErrors> {
    let rows = plan361_files::observations::read(name, bytes, plan, org_units)?
        .into_iter()
        .map(|row| ImportRow {
            sheet: None,
            row: row.line,
            target: row.target_key(plan),
            org_unit: row.org_unit_name(org_units).to_string(),
            period: row.period,
            value: row.value,
            comment: row.comment.unwrap_or_default(),
            revision: row.revision,
        })
        .collect();
    Ok(Upload { name: name.to_string(), hash: hex::encode(Sha256::digest(bytes)), rows })
}

/// Reads the `file` field of an upload. A browser upload (`csrf` expected) must send the
/// `_csrf` field before the file. The file is parsed on a worker thread, a bounded number at
/// once, within the files crate's limits.
pub async fn read_upload(
    state: &AppState,
    csrf: Option<UploadCsrf>,
    mut multipart: Multipart,
) -> Result<Upload, Problem> {
    let upload_error = |e: axum::extract::multipart::MultipartError| {
        Problem::from_rejection(e.status(), format!("the upload could not be read: {}", e.body_text()), BODY_LIMIT)
    };
    let mut token_seen = csrf.is_none();
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        if field.name() == Some("_csrf") {
            let given = field.text().await.map_err(upload_error)?;
            token_seen = csrf.as_ref().is_none_or(|expected| same_secret(&given, &expected.0));
            if !token_seen {
                break;
            }
            continue;
        }
        if field.name() != Some("file") {
            continue;
        }
        if !token_seen {
            break;
        }
        let name = field.file_name().unwrap_or("upload.xlsx").chars().take(200).collect::<String>();
        let bytes = field.bytes().await.map_err(upload_error)?;
        if bytes.is_empty() {
            return Err(Problem::bad_request("file: the uploaded file is empty"));
        }
        let plan = state.store.current_plan().await?;
        let org_units = state.store.org_units().await?;
        return Ok(state.parse_off_runtime(move || read_form(&name, &bytes, &plan, &org_units)).await??);
    }
    if !token_seen {
        return Err(Problem::forbidden(
            "missing or wrong CSRF token: the form sends its _csrf field before the file; reload the page and try again",
        ));
    }
    Err(Problem::bad_request("file: no file was uploaded (form field \"file\")"))
}

/// Reads an upload and imports its rows as drafts, all or none.
pub async fn import_upload(
    state: &AppState,
    actor: &Actor,
    csrf: Option<UploadCsrf>,
    multipart: Multipart,
) -> Result<ImportReport, Problem> {
    let upload = read_upload(state, csrf, multipart).await?;
    let report =
        state.store.import(actor, &upload.name, &upload.hash, &upload.rows, ObservationState::Draft, &|_| {}).await;
    Ok(report?)
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
