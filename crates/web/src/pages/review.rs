//! The review queue: submitted values the reviewer may decide on, approved or returned with a
//! reason, one by one or several at once (all or none).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::i18n;
use plan361_store::ObservationState;
use plan361_views::pages::{ReviewPage, ReviewRow};
use plan361_views::table::{Cell, Table};

use super::tasks::{TasksQuery, notice};
use super::{OrPage, page_error};
use crate::auth::PageUser;
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{PageError, Section, Ui, enter, page, render, xlsx_download};
use crate::service::DecisionCode;
use crate::{AppState, service};

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<TasksQuery>,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Review)?;
    let w = ui.w;
    let evaluated = state.cache.evaluated(&state.store, service::current_month(&state)).await.or_page(&ui)?;
    let plan = &evaluated.input.plan;
    let queue = service::actionable(&state, &user.actor, ObservationState::Submitted, service::review_action)
        .await
        .or_page(&ui)?;
    let quantity = |target_id: &str, value: f64| {
        plan.target(target_id).map_or_else(|| value.to_string(), |t| i18n::quantity(value, &t.unit))
    };
    let ids: Vec<i64> = queue.iter().map(|o| o.id).collect();
    let mut flags = state.store.flags(&ids).await.or_page(&ui)?;
    let people = crate::audit::people(&state).await.or_page(&ui)?;
    let rows: Vec<ReviewRow> = queue
        .iter()
        .map(|o| ReviewRow {
            key: format!("{}:{}", o.id, o.revision),
            target: o.target_id.clone(),
            indicator: plan.target(&o.target_id).map(|t| t.indicator.clone()).unwrap_or_default(),
            org_unit: o.org_unit.clone(),
            period: o.period.to_string(),
            value: quantity(&o.target_id, o.value),
            last_approved: evaluated
                .input
                .approved_before(&o.target_key(), &o.org_unit, o.period)
                .map_or_else(|| "—".into(), |(period, v)| format!("{} ({period})", quantity(&o.target_id, v))),
            comment: o.comment.clone(),
            flags: flags.remove(&o.id).unwrap_or_default().into_iter().map(|f| f.message).collect(),
            submitted_by: crate::audit::person(&people, &o.updated_by),
        })
        .collect();
    if query.format.as_deref() == Some("xlsx") {
        let mut table = Table::new(
            w.review_queue,
            &[w.id, w.indicator, w.org_unit, w.period, w.value, w.last_value, w.comment, w.check_flags, w.submitted_by],
        );
        for r in &rows {
            table.push(
                [
                    &r.target,
                    &r.indicator,
                    &r.org_unit,
                    &r.period,
                    &r.value,
                    &r.last_approved,
                    &r.comment,
                    &r.flags.join(";"),
                    &r.submitted_by,
                ]
                .into_iter()
                .map(|text| Cell::text(text.clone()))
                .collect(),
            );
        }
        return xlsx_download(w.review_queue, &[&table]);
    }
    let notice = notice(&ui, query.done.as_deref(), query.count);
    let content = render(&ReviewPage { w, csrf: &user.csrf, notice: notice.as_deref(), rows: &rows }).or_page(&ui)?;
    page(&state, &ui, &user, Section::Review, w.review, &content, true)
}

/// Approves or returns the ticked values (`item` = `id:revision`, repeated).
pub async fn decide(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Review)?;
    let fail = |problem: Problem| page_error(&ui, problem);
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    let mut items = Vec::new();
    for (_, value) in fields.iter().filter(|(k, _)| k == "item") {
        let parsed = value.split_once(':').and_then(|(id, revision)| Some((id.parse().ok()?, revision.parse().ok()?)));
        items.push(parsed.ok_or_else(|| fail(Problem::bad_request(format!("item: \"{value}\" is not id:revision"))))?);
    }
    if items.is_empty() {
        return Err(fail(Problem::bad_request("choose at least one value (tick its box)")));
    }
    let code = DecisionCode::parse(field("decision")).map_err(fail)?;
    let decision = code.with_reason(field("reason").to_string());
    let done = code.code();
    let reviewed = state.store.review_many(&user.actor, &items, &decision).await.or_page(&ui)?;
    Ok(Redirect::to(&format!("/review?done={done}&count={}", reviewed.len())).into_response())
}
