//! 预警中心 (every warning, filtered, counted, sorted, to Excel), a warning's page with the
//! owner's steps, and 月度通报 (the bulletin of any closed month or quarter, in each format).

use plan361_core::i18n::Labelled;
use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::Period;
use plan361_core::access::Action;
use plan361_core::calendar::Date;
use plan361_core::i18n::{self, Lang};
use plan361_core::warnings::{Level, Source, Step, WarningState};
use plan361_store::Warning;
use plan361_views::Words;
use plan361_views::pages::Choice;
use plan361_views::table::{Cell, Table};
use plan361_views::warnings::{
    BulletinLine, BulletinsPage, Count, SortLink, StepLine, WarningLine, WarningPage, WarningsPage,
};
use serde::Deserialize;

use super::{OrPage, datetime, page_error};
use crate::AppState;
use crate::api::warnings::WarningsQuery;
use crate::auth::PageUser;
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{PageError, Section, Ui, file_download, page, render, xlsx_download};

#[derive(Deserialize, Default)]
pub struct CentreQuery {
    #[serde(flatten)]
    filter: WarningsQuery,
    sort: Option<String>,
    format: Option<String>,
}

fn level_class(level: Level) -> &'static str {
    match level {
        Level::Red => "lv-red",
        Level::Orange => "lv-orange",
        Level::Yellow => "lv-yellow",
    }
}

pub(crate) fn line(w: &Warning, lang: Lang) -> WarningLine {
    WarningLine {
        id: w.id,
        level: w.level.label(lang),
        level_class: level_class(w.level),
        source: w.source.label(lang),
        owner: w.owner_unit.clone(),
        period: w.period.clone(),
        state: w.state.label(lang),
        reason: w.reason.clone(),
        target_href: w.target_id.as_ref().map(|id| format!("/targets/{id}")),
    }
}

/// Options of a filter: "all" first, then each value with its label.
fn choices(all: &str, selected: Option<&str>, options: impl IntoIterator<Item = (String, String)>) -> Vec<Choice> {
    std::iter::once((String::new(), all.to_string()))
        .chain(options)
        .map(|(value, label)| Choice { selected: selected.unwrap_or_default() == value, value, label })
        .collect()
}

/// The sort orders of the centre's columns.
const SORTS: [&str; 6] = ["id", "level", "source", "owner", "period", "state"];

fn sort(warnings: &mut [Warning], by: &str) {
    match by {
        "id" => warnings.sort_by_key(|w| std::cmp::Reverse(w.id)),
        "source" => warnings.sort_by_key(|w| Source::ALL.iter().position(|s| *s == w.source)),
        "owner" => warnings.sort_by(|a, b| a.owner_unit.cmp(&b.owner_unit)),
        "period" => warnings.sort_by(|a, b| b.period.cmp(&a.period)),
        "state" => warnings.sort_by_key(|w| WarningState::ALL.iter().position(|s| *s == w.state)),
        // The store's order: most urgent first, then newest.
        _ => {}
    }
}

pub async fn centre(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<CentreQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let lang = ui.lang;
    let filter = query.filter.filter().or_page(&ui)?;
    let mut warnings = state.store.warnings(&filter).await.or_page(&ui)?;
    let by = query.sort.as_deref().filter(|s| SORTS.contains(s)).unwrap_or("level");
    sort(&mut warnings, by);
    let mut table = Table::new(
        w.warnings,
        &[
            w.id,
            w.warning_level,
            w.warning_source,
            w.warning_owner,
            w.warning_period,
            w.warning_state,
            w.warning_reason,
        ],
    );
    for warning in &warnings {
        table.push(vec![
            Cell::Number { shown: warning.id.to_string(), value: Some(warning.id as f64) },
            Cell::text(warning.level.label(lang)),
            Cell::text(warning.source.label(lang)),
            Cell::text(&warning.owner_unit),
            Cell::text(&warning.period),
            Cell::text(warning.state.label(lang)),
            Cell::text(&warning.reason),
        ]);
    }
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(w.warnings, &[&table]);
    }
    let all_warnings = state.store.warnings(&Default::default()).await.or_page(&ui)?;
    let mut owners: Vec<String> = all_warnings.iter().map(|w| w.owner_unit.clone()).collect();
    owners.sort();
    owners.dedup();
    let f = &query.filter;
    let levels =
        choices(w.warning_all, f.level.as_deref(), Level::ALL.map(|l| (l.code().into(), l.label(lang).into())));
    let owner_choices = choices(w.warning_all, f.owner_unit.as_deref(), owners.iter().map(|o| (o.clone(), o.clone())));
    let states =
        choices(w.warning_all, f.state.as_deref(), WarningState::ALL.map(|s| (s.code().into(), s.label(lang).into())));
    let sources =
        choices(w.warning_all, f.source.as_deref(), Source::ALL.map(|s| (s.code().into(), s.label(lang).into())));
    let plan = state.store.current_plan().await.or_page(&ui)?;
    let months = crate::service::selectable_months(&state, &plan);
    let periods =
        choices(w.warning_all, f.at.as_deref(), months.iter().map(|p| (p.to_string(), i18n::period_label(*p, lang))));
    let by_level: Vec<Count> = Level::ALL
        .iter()
        .map(|l| Count {
            label: l.label(lang).to_string(),
            class: level_class(*l),
            count: warnings.iter().filter(|x| x.level == *l).count(),
            href: ui.set("level", l.code()),
        })
        .collect();
    let mut open_by_owner: BTreeMap<&str, usize> = BTreeMap::new();
    for warning in warnings.iter().filter(|x| x.state.is_open()) {
        *open_by_owner.entry(warning.owner_unit.as_str()).or_default() += 1;
    }
    let mut by_owner: Vec<Count> = open_by_owner
        .into_iter()
        .map(|(owner, count)| Count { label: owner.to_string(), class: "", count, href: ui.set("owner_unit", owner) })
        .collect();
    by_owner.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    let headers: Vec<SortLink> = SORTS
        .iter()
        .zip([w.id, w.warning_level, w.warning_source, w.warning_owner, w.warning_period, w.warning_state])
        .map(|(key, label)| SortLink { label, href: ui.set("sort", key), active: *key == by })
        .collect();
    let lines: Vec<WarningLine> = warnings.iter().map(|x| line(x, lang)).collect();
    let mine = f.owner_unit.as_deref().filter(|u| *u == user.actor.org_unit);
    let content = render(&WarningsPage {
        w,
        levels: &levels,
        owners: &owner_choices,
        states: &states,
        sources: &sources,
        periods: &periods,
        by_level: &by_level,
        by_owner: &by_owner,
        headers: &headers,
        lines: &lines,
        mine,
    })
    .or_page(&ui)?;
    page(&state, &ui, &user, Section::Warnings, w.warnings, &content, true)
}

#[derive(Deserialize, Default)]
pub struct WarningQuery {
    done: Option<String>,
}

fn step_label(action: &str, w: &'static Words) -> &'static str {
    match action {
        "raised" => w.step_raised,
        "acknowledged" => w.step_acknowledged,
        "measures" => w.step_measures,
        "resolved" => w.step_resolved,
        "auto_resolved" => w.step_auto_resolved,
        "reopened" => w.step_reopened,
        _ => w.history,
    }
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<WarningQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let id = Problem::id_in_path(&id, "a warning").map_err(|problem| page_error(&ui, problem))?;
    let warning = state.store.warning(id).await.or_page(&ui)?;
    let may = state.allowed(&user.actor, Action::HandleWarning { owner_unit: &warning.owner_unit });
    let notice = match query.done.as_deref() {
        Some("acknowledge") => Some(w.done_acknowledged),
        Some("measures") => Some(w.done_measures),
        Some("resolve") => Some(w.done_resolved),
        _ => None,
    };
    let steps: Vec<StepLine> = warning
        .history
        .iter()
        .map(|s| StepLine {
            when: datetime(s.at_ms),
            who: s.actor.clone(),
            action: step_label(&s.action, w),
            state: s.state.label(ui.lang),
            note: s.note.clone(),
            due: s.due.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    let default_due = warning.measures_due.map_or_else(|| month_end_after(&state).to_string(), |d| d.to_string());
    let content = render(&WarningPage {
        w,
        csrf: &user.csrf,
        notice,
        line: &line(&warning, ui.lang),
        measures: &warning.measures,
        due: &default_due,
        steps: &steps,
        can_acknowledge: may && warning.state == WarningState::New,
        can_act: may && warning.state.is_open(),
        not_yours: !may && warning.state.is_open(),
    })
    .or_page(&ui)?;
    let title = format!("{} #{id}", w.warning);
    page(&state, &ui, &user, Section::Warnings, &title, &content, false)
}

/// The end of next month: a sensible default date for measures.
fn month_end_after(state: &AppState) -> Date {
    Date::last_of(crate::service::current_month(state).next_month())
}

#[derive(Deserialize)]
pub struct StepForm {
    measures: Option<String>,
    due: Option<String>,
    note: Option<String>,
}

pub async fn take_step(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path((id, step)): Path<(String, String)>,
    PageForm(fields): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let id = Problem::id_in_path(&id, "a warning").map_err(|problem| page_error(&ui, problem))?;
    let step = match step.as_str() {
        "acknowledge" => Step::Acknowledge,
        "measures" => {
            let due = fields.due.as_deref().unwrap_or_default();
            let due: Date =
                due.parse().map_err(|e: String| page_error(&ui, Problem::bad_request(format!("due: {e}"))))?;
            Step::Measures { measures: fields.measures.unwrap_or_default(), due }
        }
        "resolve" => Step::Resolve { note: fields.note.unwrap_or_default() },
        other => {
            return Err(page_error(
                &ui,
                Problem::not_found(format!("no such step \"{other}\" (acknowledge, measures, resolve)")),
            ));
        }
    };
    let done = match &step {
        Step::Acknowledge => "acknowledge",
        Step::Measures { .. } => "measures",
        Step::Resolve { .. } => "resolve",
    };
    state.store.step_warning(&user.actor, id, step).await.or_page(&ui)?;
    state.refresh_warning_counts().await.or_page(&ui)?;
    Ok(Redirect::to(&format!("/warnings/{id}?done={done}")).into_response())
}

/// Every closed month and quarter since the plan's start, newest first, with a link to each
/// format.
pub async fn bulletins(State(state): State<AppState>, PageUser(user): PageUser, ui: Ui) -> Result<Response, PageError> {
    let w = ui.w;
    let plan = state.store.current_plan().await.or_page(&ui)?;
    let last = crate::service::current_month(&state).previous_month();
    let first = Period::month(plan.meta().baseline_year + 1, 1);
    let links = |period: Period| {
        let base = format!("/bulletins/{period}");
        BulletinLine {
            label: i18n::period_label(period, ui.lang),
            docx: format!("{base}/docx"),
            xlsx: format!("{base}/xlsx"),
            html: format!("{base}/html"),
        }
    };
    let months: Vec<Period> = Period::months_between(first, last).collect();
    let month_lines: Vec<BulletinLine> = months.iter().rev().map(|p| links(*p)).collect();
    let mut quarters: Vec<Period> =
        months.iter().filter(|m| m.months_elapsed().is_multiple_of(3)).map(|m| m.quarter_of()).collect();
    quarters.reverse();
    let quarter_lines: Vec<BulletinLine> = quarters.iter().map(|p| links(*p)).collect();
    let content = render(&BulletinsPage { w, months: &month_lines, quarters: &quarter_lines }).or_page(&ui)?;
    page(&state, &ui, &user, Section::Bulletins, w.bulletins, &content, false)
}

/// One bulletin as a download: a closed month or quarter, in docx, xlsx or html.
pub async fn bulletin(
    State(state): State<AppState>,
    PageUser(_user): PageUser,
    ui: Ui,
    Path((period, format)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let fail = |message: String| page_error(&ui, Problem::bad_request(message));
    let at: Period = period.parse().map_err(|e: plan361_core::period::PeriodError| fail(e.to_string()))?;
    let last = crate::service::current_month(&state).previous_month();
    if at.end_month_index() > last.end_month_index() || matches!(at, Period::Year(_)) {
        return Err(fail(format!("{at}: a bulletin is for a month or quarter that has ended (up to {last})")));
    }
    let options = plan361_report::Options { at, quarterly: false, issued: crate::service::today(&state) };
    let bulletin = plan361_report::gather(&state.store, &options).await.or_page(&ui)?;
    let name = bulletin.file_stem();
    let internal = |e: String| page_error(&ui, crate::error::internal(&e));
    match format.as_str() {
        "docx" => Ok(file_download(
            &format!("{name}.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            plan361_report::docx::write(&bulletin).map_err(internal)?,
        )),
        "xlsx" => Ok(file_download(
            &format!("{name}.xlsx"),
            crate::render::XLSX_TYPE,
            plan361_report::xlsx::write(&bulletin).map_err(internal)?,
        )),
        "html" => Ok(file_download(
            &format!("{name}.html"),
            "text/html; charset=utf-8",
            plan361_report::html::write(&bulletin).into_bytes(),
        )),
        other => Err(page_error(&ui, Problem::not_found(format!("format \"{other}\": docx, xlsx or html")))),
    }
}
