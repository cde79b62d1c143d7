//! 填报进度: the grid of reporting units × periods with each cell's standing and 填报及时率,
//! the reports not in below it, 催报 for the plan office; 通知: a user's notices.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::Period;
use plan361_core::access::Action;
use plan361_core::i18n::{self, Lang};
use plan361_core::plan::Frequency;
use plan361_core::progress::{Standing, Tally};
use plan361_store::Report;
use plan361_views::pages::Choice;
use plan361_views::progress::{GridCell, GridRow, NoticeLine, NoticesPage, ProgressPage, ReportLine};
use serde::Deserialize;

use super::{OrPage, datetime, page_error};
use crate::AppState;
use crate::auth::PageUser;
use crate::extract::{PageForm, PageQuery};
use crate::progress::{ProgressFilter, columns};
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};

/// The reports listed under the grid at most (the download has them all).
const LISTED: usize = 300;
#[derive(Deserialize, Default)]
pub struct ProgressQuery {
    #[serde(flatten)]
    filter: ProgressFilter,
    reminded: Option<usize>,
    format: Option<String>,
}

fn standing_class(standing: Standing) -> &'static str {
    match standing {
        Standing::Open => "pg-open",
        Standing::Draft => "pg-draft",
        Standing::Returned => "pg-returned",
        Standing::Submitted => "pg-submitted",
        Standing::Approved => "pg-approved",
        Standing::Overdue { .. } => "pg-overdue",
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), i18n::percent)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<ProgressQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let zh = ui.lang == Lang::Zh;
    let now = crate::service::current_month(&state);
    let selection = query.filter.selection(now).or_page(&ui)?;
    let reports = crate::service::followed_reports(&state, &user.actor).await.or_page(&ui)?;
    let today = crate::service::today(&state);

    // The units in the order they first owe something, every one the viewer follows.
    let mut units: Vec<String> = Vec::new();
    for r in &reports {
        if !units.contains(&r.reporting_unit) {
            units.push(r.reporting_unit.clone());
        }
    }
    let shown: Vec<&Report> = reports.iter().filter(|r| selection.shows(r)).collect();
    let periods = columns(selection.frequency, selection.from, now);
    let mut cells: HashMap<(&str, Period), Tally> = HashMap::new();
    let mut rows_tally: HashMap<&str, Tally> = HashMap::new();
    let mut overall = Tally::default();
    let mut overdue_by_unit: HashMap<&str, usize> = HashMap::new();
    for r in &shown {
        let due = r.is_due(today);
        cells.entry((r.reporting_unit.as_str(), r.period)).or_default().add(r.standing, r.late, due);
        rows_tally.entry(r.reporting_unit.as_str()).or_default().add(r.standing, r.late, due);
        overall.add(r.standing, r.late, due);
    }
    // 催报 is about every overdue report, whatever the columns shown.
    for r in reports.iter().filter(|r| matches!(r.standing, Standing::Overdue { .. })) {
        *overdue_by_unit.entry(r.reporting_unit.as_str()).or_default() += 1;
    }
    let may_remind = state.allowed(&user.actor, Action::Remind);
    let cell_href = |unit: &str, period: Period| {
        let pairs = [
            ("frequency", selection.frequency.code().to_string()),
            ("from", selection.from.to_string()),
            ("unit", unit.to_string()),
            ("period", period.to_string()),
        ];
        format!("/progress?{}#reports", serde_urlencoded::to_string(pairs).unwrap_or_default())
    };
    let rows: Vec<GridRow> = units
        .iter()
        .filter(|u| rows_tally.contains_key(u.as_str()))
        .filter(|u| {
            selection
                .state
                .is_none_or(|code| shown.iter().any(|r| r.reporting_unit == **u && r.standing.code() == code))
        })
        .map(|unit| {
            let cells = periods
                .iter()
                .map(|p| match cells.get(&(unit.as_str(), *p)).and_then(|t| t.worst.map(|worst| (t, worst))) {
                    Some((tally, worst)) => GridCell {
                        label: worst.label(zh),
                        class: standing_class(worst),
                        count: format!("{}/{}", tally.filed(), tally.expected),
                        href: cell_href(unit, *p),
                    },
                    None => GridCell { label: String::new(), class: "", count: String::new(), href: String::new() },
                })
                .collect();
            let overdue = overdue_by_unit.get(unit.as_str()).copied().unwrap_or(0);
            GridRow {
                unit: unit.clone(),
                unit_href: ui.set("unit", unit),
                cells,
                timeliness: percent(rows_tally.get(unit.as_str()).and_then(Tally::timeliness)),
                overdue,
                remind: may_remind && overdue > 0,
            }
        })
        .collect();

    let mut listed: Vec<&Report> = shown.iter().copied().filter(|r| selection.lists(r)).collect();
    listed.sort_by_key(|r| std::cmp::Reverse(r.due.days_until(today)));
    let lines: Vec<ReportLine> = listed
        .iter()
        .take(if query.format.as_deref() == Some("xlsx") { usize::MAX } else { LISTED })
        .map(|r| ReportLine {
            unit: r.reporting_unit.clone(),
            target_id: r.target_id.clone(),
            indicator: r.indicator.clone(),
            org_unit: r.org_unit.clone(),
            period: i18n::period_label(r.period, ui.lang),
            due: r.due.to_string(),
            standing: r.standing.label(zh),
            class: standing_class(r.standing),
        })
        .collect();

    let period_labels: Vec<String> = periods.iter().map(|p| i18n::period_label(*p, ui.lang)).collect();
    let frequencies: Vec<Choice> =
        [(Frequency::Month, w.monthly), (Frequency::Quarter, w.quarterly), (Frequency::Year, w.yearly)]
            .into_iter()
            .map(|(f, label)| Choice {
                value: f.code().into(),
                label: label.into(),
                selected: f == selection.frequency,
            })
            .collect();
    let plan = state.store.current_plan().await.or_page(&ui)?;
    let first = Period::month(plan.meta().baseline_year + 1, 1);
    let froms: Vec<Choice> = columns(selection.frequency, first, now)
        .into_iter()
        .rev()
        .map(|p| Choice { value: p.to_string(), label: i18n::period_label(p, ui.lang), selected: p == selection.from })
        .collect();
    let unit_choices: Vec<Choice> = std::iter::once((String::new(), w.all_units.to_string()))
        .chain(units.iter().map(|u| (u.clone(), u.clone())))
        .map(|(value, label)| Choice { selected: selection.unit.as_deref().unwrap_or_default() == value, value, label })
        .collect();
    let examples = [
        Standing::Open,
        Standing::Draft,
        Standing::Returned,
        Standing::Submitted,
        Standing::Approved,
        Standing::Overdue { days: 1, filed: plan361_core::progress::Filed::Nothing },
    ];
    let states: Vec<Choice> = std::iter::once((String::new(), w.all_states.to_string()))
        .chain(examples.iter().map(|s| {
            let label = match s {
                Standing::Overdue { .. } => w.overdue.to_string(),
                other => other.label(zh),
            };
            (s.code().to_string(), label)
        }))
        .map(|(value, label)| Choice { selected: selection.state.unwrap_or_default() == value, value, label })
        .collect();
    let notice = query.reminded.map(|n| format!("{}:{n}", w.reminded));
    let overall_text = percent(overall.timeliness());
    let view = ProgressPage {
        w,
        csrf: &user.csrf,
        notice: notice.as_deref(),
        frequencies: &frequencies,
        froms: &froms,
        units: &unit_choices,
        states: &states,
        periods: &period_labels,
        rows: &rows,
        overall: &overall_text,
        lines: &lines,
        matching: listed.len(),
        overdue_units: overdue_by_unit.len(),
        may_remind,
    };
    if query.format.as_deref() == Some("xlsx") {
        let (grid, list) = view.tables();
        return xlsx_download(w.progress_title, &[&grid, &list]);
    }
    let content = render(&view).or_page(&ui)?;
    page(&state, &ui, &user, Section::Progress, w.progress_title, &content, true)
}

#[derive(Deserialize)]
pub struct RemindForm {
    unit: Option<String>,
}

/// 催报: one unit, or every unit with overdue reports.
pub async fn remind(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(fields): PageForm<RemindForm>,
) -> Result<Response, PageError> {
    let unit = fields.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let sent = state.store.remind(&user.actor, unit).await.or_page(&ui)?;
    Ok(Redirect::to(&format!("/progress?reminded={}", sent.len())).into_response())
}

pub async fn notices(State(state): State<AppState>, PageUser(user): PageUser, ui: Ui) -> Result<Response, PageError> {
    let w = ui.w;
    let notices = state.store.notices(&user.actor.username, 200).await.or_page(&ui)?;
    let lines: Vec<NoticeLine> = notices
        .into_iter()
        .map(|n| NoticeLine {
            id: n.id,
            kind: match ui.lang {
                Lang::Zh => n.kind.label_zh(),
                Lang::En => n.kind.code(),
            },
            message: n.message,
            href: n.href,
            sender: n.sender,
            when: datetime(n.created_at_ms),
            read: n.read,
        })
        .collect();
    let unread = lines.iter().filter(|l| !l.read).count();
    let content = render(&NoticesPage { w, csrf: &user.csrf, lines: &lines, unread }).or_page(&ui)?;
    page(&state, &ui, &user, Section::Notices, w.notices, &content, false)
}

#[derive(Deserialize)]
pub struct ReadForm {
    id: Option<i64>,
}

pub async fn read_notices(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(fields): PageForm<ReadForm>,
) -> Result<Response, PageError> {
    state.store.read_notices(&user.actor.username, fields.id).await.map_err(|e| page_error(&ui, e))?;
    Ok(Redirect::to("/notices").into_response())
}
