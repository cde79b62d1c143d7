//! 我的任务: what the unit must report in the open periods, entered one by one (save a draft,
//! submit) or through the Excel form; what was returned, and what is late.

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::i18n;
use plan361_core::i18n::Labelled;
use plan361_core::i18n::Lang;
use plan361_store::{Draft, ObservationState, ReviewDecision};
use plan361_views::pages::{TaskRow, TasksPage};
use plan361_views::table::{Cell, Table};
use serde::Deserialize;

use super::{OrPage, page_error};
use crate::auth::{PageUser, Signed, UploadCsrf};
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{
    PageError, Section, Ui, XLSX_TYPE, enter, file_download, page, render, shown_again, xlsx_download,
};
use crate::service;
use crate::{AppState, BODY_LIMIT};
use plan361_store::Duty;

#[derive(Deserialize, Default)]
pub struct TasksQuery {
    pub format: Option<String>,
    pub done: Option<String>,
    pub count: Option<usize>,
}

/// The notice shown after an action, from the `done` parameter of the redirect.
pub fn notice(ui: &Ui, done: Option<&str>, count: Option<usize>) -> Option<String> {
    let w = ui.w;
    let text = match done? {
        "draft" => w.done_draft,
        "submit" => w.done_submit,
        "import" => w.done_import,
        "approve" => w.done_approve,
        "return" => w.done_return,
        "user" => w.done_user,
        "created" => w.done_user_created,
        "reset" => w.done_password_reset,
        "saved" => w.done_saved,
        "removed" => w.done_removed,
        "granted" => w.done_granted,
        "revoked" => w.done_revoked,
        _ => return None,
    };
    Some(count.map_or_else(|| text.to_string(), |n| format!("{text} {n}")))
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<TasksQuery>,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Tasks)?;
    tasks_page(&state, &user, &ui, &query, None).await
}

/// What a person typed into one line of the page and what is wrong with it: the page is shown
/// again with everything typed kept and the message next to the field.
pub struct Entered {
    target: String,
    org_unit: String,
    period: String,
    value: String,
    comment: String,
    /// `value` or `comment`; another field's message shows under the line.
    field: &'static str,
    message: String,
}

impl Entered {
    fn of(entry: &ValueForm, field: &'static str, message: String) -> Entered {
        Entered {
            target: entry.target_id.clone(),
            org_unit: entry.org_unit.clone(),
            period: entry.period.clone(),
            value: entry.value.clone(),
            comment: entry.comment.clone(),
            field,
            message,
        }
    }

    /// A refusal of the store as a message for the line, in Chinese where the form is.
    fn refused(entry: &ValueForm, problem: Problem) -> Entered {
        let detail = problem.message.clone();
        let field = match problem.field {
            Some("comment") => "comment",
            Some("value") => "value",
            _ => "",
        };
        let message = match problem.code {
            "invalid" => {
                problem.field.and_then(|f| detail.strip_prefix(&format!("{f}: "))).unwrap_or(&detail).to_string()
            }
            "conflict" => format!("该数据已被他人修改,请刷新页面后重新填写 ({detail})"),
            "window_closed" => format!("本期填报已截止,请联系推进办补录 ({detail})"),
            "not_begun" => format!("该期尚未开始,期末后再填报 ({detail})"),
            "wrong_state" => format!("该数据已报送,审核前不能修改 ({detail})"),
            "forbidden" => format!("无权填报该数据 ({detail})"),
            _ => detail,
        };
        Entered::of(entry, field, message)
    }

    fn is_line(&self, duty: &Duty) -> bool {
        self.target == duty.key && self.org_unit == duty.org_unit && self.period == duty.period.to_string()
    }
}

/// The page, with a line's typed values and its error when a save was refused (422).
async fn tasks_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    query: &TasksQuery,
    entered: Option<&Entered>,
) -> Result<Response, PageError> {
    let (state, ui) = (state, ui);
    let w = ui.w;
    let (plan, duties) = service::duties(state, &user.actor).await.or_page(ui)?;
    let lines = service::current_form_rows(state, &plan, &duties, ui.lang).await.or_page(ui)?;
    let rows: Vec<TaskRow> = duties
        .iter()
        .zip(lines)
        .map(|(duty, line)| {
            let stored = duty.stored.as_ref();
            let stage = stored.map(|o| o.state);
            let typed = entered.filter(|e| e.is_line(duty));
            TaskRow {
                target: duty.key.clone(),
                last_value: match (line.last_value, &line.last_period) {
                    (Some(v), Some(p)) => format!("{} ({p})", i18n::number(v, &line.unit)),
                    _ => "—".into(),
                },
                value: typed.map_or_else(
                    || stored.map(|o| i18n::number(o.value, &line.unit)).unwrap_or_default(),
                    |e| e.value.clone(),
                ),
                indicator: line.indicator,
                unit: line.unit,
                basis: line.basis,
                org_unit: duty.org_unit.clone(),
                period: duty.period.to_string(),
                due: duty.due.to_string(),
                comment: typed
                    .map_or_else(|| stored.map(|o| o.comment.clone()).unwrap_or_default(), |e| e.comment.clone()),
                error: typed.map(|e| e.message.clone()).unwrap_or_default(),
                error_field: typed.map_or("", |e| e.field),
                state: stage.map(|s| s.label(ui.lang)),
                state_class: stage.map_or("", |s| match s {
                    ObservationState::Draft => "s-draft",
                    ObservationState::Submitted => "s-submitted",
                    ObservationState::Approved => "s-approved",
                    ObservationState::Returned => "s-returned",
                }),
                return_reason: stored.map(|o| o.return_reason.clone()).unwrap_or_default(),
                revision: stored.map_or(0, |o| o.revision),
                editable: !matches!(stage, Some(ObservationState::Submitted)),
            }
        })
        .collect();
    let returned_values =
        service::actionable(state, &user.actor, ObservationState::Returned, service::write_action).await.or_page(ui)?;
    let mut returned = Table::new(w.returned, &[w.id, w.org_unit, w.period, w.value, w.reason, w.by]);
    for o in returned_values {
        returned.push(vec![
            Cell::link(o.target_key(), format!("/targets/{}", o.target_id)),
            Cell::text(o.org_unit.clone()),
            Cell::text(o.period.to_string()),
            Cell::Number { shown: o.value.to_string(), value: Some(o.value) },
            Cell::text(o.return_reason.clone()),
            Cell::text(o.updated_by.clone()),
        ]);
    }
    let mut overdue = Table::new(
        w.overdue,
        &[w.reporting_unit, w.id, w.indicator, w.org_unit, w.data_period, w.state, w.due_date, w.days_overdue],
    );
    for o in service::overdue(state, &user.actor).await.or_page(ui)? {
        // What there is of it: nothing yet, a draft, a returned value.
        let filed = match (o.state.as_str(), ui.lang) {
            ("draft", Lang::Zh) => "草稿未提交",
            ("returned", Lang::Zh) => "退回未重报",
            (_, Lang::Zh) => "未报",
            (other, Lang::En) => other,
        };
        overdue.push(vec![
            Cell::text(o.reporting_unit),
            Cell::link(o.target_id.clone(), format!("/targets/{}", o.target_id)),
            Cell::text(o.indicator),
            Cell::text(o.org_unit),
            Cell::text(i18n::period_label(o.period, ui.lang)),
            Cell::text(filed),
            Cell::text(o.due),
            Cell::Number { shown: o.days_overdue.to_string(), value: Some(o.days_overdue as f64) },
        ]);
    }
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(w.my_tasks, &[&returned, &overdue]);
    }
    let notice = notice(ui, query.done.as_deref(), query.count);
    let drafts =
        duties.iter().filter(|d| d.stored.as_ref().is_some_and(|o| o.state == ObservationState::Draft)).count();
    let content = render(&TasksPage {
        w,
        csrf: &user.csrf,
        notice: notice.as_deref(),
        rows: &rows,
        drafts,
        returned: &returned,
        overdue: &overdue,
    })
    .or_page(ui)?;
    let shown = page(state, ui, user, Section::Tasks, w.my_tasks, &content, true)?;
    Ok(shown_again(shown, entered.is_some()))
}

#[derive(Deserialize)]
pub struct ValueForm {
    target_id: String,
    org_unit: String,
    period: String,
    revision: i64,
    value: String,
    #[serde(default)]
    comment: String,
    /// `draft` or `submit`.
    action: String,
}

/// Saves a value as a draft, and submits it when asked. A refusal shows the page again with
/// what was typed and the reason next to the field.
pub async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(entry): PageForm<ValueForm>,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Tasks)?;
    let again = |entered: Entered| {
        let (state, user, ui) = (&state, &user, &ui);
        async move { tasks_page(state, user, ui, &TasksQuery::default(), Some(&entered)).await }
    };
    let value = match plan361_core::number::parse(&entry.value) {
        Ok(value) => value,
        Err(e) => return again(Entered::of(&entry, "value", e.to_string())).await,
    };
    let period = entry.period.parse().map_err(|e: plan361_core::period::PeriodError| {
        page_error(&ui, Problem::bad_request(format!("period: {e}")))
    })?;
    let draft = Draft {
        target: entry.target_id.clone(),
        org_unit: entry.org_unit.clone(),
        period: Some(period),
        value,
        comment: entry.comment.clone(),
        ..Draft::default()
    };
    let base = (entry.revision > 0).then_some(entry.revision);
    let saved = match state.store.save_draft(&user.actor, &draft, base).await {
        Ok(saved) => saved,
        Err(e) if !e.is_fault() => return again(Entered::refused(&entry, e.into())).await,
        Err(e) => return Err(page_error(&ui, e)),
    };
    if entry.action == "submit" {
        state.store.review(&user.actor, saved.id, saved.revision, &ReviewDecision::Submit).await.or_page(&ui)?;
        return Ok(Redirect::to("/tasks?done=submit").into_response());
    }
    Ok(Redirect::to("/tasks?done=draft").into_response())
}

/// 提交全部: submits every draft on the user's list at once, all or none.
pub async fn submit_all(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Tasks)?;
    let (_, duties) = service::duties(&state, &user.actor).await.or_page(&ui)?;
    let items: Vec<(i64, i64)> = duties
        .iter()
        .filter_map(|d| d.stored.as_ref())
        .filter(|o| o.state == ObservationState::Draft)
        .map(|o| (o.id, o.revision))
        .collect();
    if items.is_empty() {
        return Ok(Redirect::to("/tasks?done=submit&count=0").into_response());
    }
    let submitted = state.store.review_many(&user.actor, &items, &ReviewDecision::Submit).await;
    let submitted = submitted.or_page(&ui)?;
    Ok(Redirect::to(&format!("/tasks?done=submit&count={}", submitted.len())).into_response())
}

/// Shows what an uploaded form would change, row by row, and asks before writing
/// ([`super::checks::confirm_upload`] writes it).
pub async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    csrf: Option<axum::Extension<UploadCsrf>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Tasks)?;
    let fail = |problem: Problem| page_error(&ui, problem);
    let multipart = multipart.map_err(|r| fail(Problem::from_rejection(r.status(), r.body_text(), BODY_LIMIT)))?;
    let upload = service::read_upload(&state, csrf.map(|c| c.0), multipart).await.or_page(&ui)?;
    super::checks::preview_page(&state, &user, &ui, upload).await
}

/// A blank form of everything due, to fill in Excel and upload.
pub async fn blank_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Tasks)?;
    let (name, bytes) = service::form_workbook(&state, &user.actor, &ui).await.or_page(&ui)?;
    Ok(file_download(&name, XLSX_TYPE, bytes))
}
