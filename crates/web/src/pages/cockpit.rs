//! 驾驶舱: the headline targets, the status of each project's targets, the targets that need
//! attention and the whole plan at a glance. Its content depends only on the data, the period
//! and the language, so it is rendered once per data version and served from the cache.

use axum::extract::State;
use axum::response::Response;
use plan361_core::access::Actor;
use plan361_core::eval::{Status, StatusCounts};
use plan361_core::i18n;
use plan361_store::WarningFilter;
use plan361_views::chart;
use plan361_views::pages::{Cockpit, Explained, HeadlineCard, ProjectSummary};
use plan361_views::table::{Cell, Table, status_class};
use plan361_views::warnings::UnitWarnings;

use super::warnings::line as warning_line;
use super::{
    OrPage, PeriodQuery, chip, data_period_text, goal_text, legend, percent, period_choices, progress_cell, quantity,
};
use crate::auth::PageUser;
use crate::evaluation::Evaluated;
use crate::extract::PageQuery;
use crate::render::{PageError, Section, Ui, page, percent_encoded, render, xlsx_download};
use crate::{AppState, service};

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<PeriodQuery>,
) -> Result<Response, PageError> {
    let at = service::period_or_default(&state, query.at.as_deref()).or_page(&ui)?;
    if query.wants_xlsx() {
        let evaluated = state.cache.evaluated(&state.store, at).await.or_page(&ui)?;
        let (summary, all) = tables(&evaluated, &ui);
        return xlsx_download(&format!("{}-{at}", ui.w.cockpit), &[&summary, &all]);
    }
    let key = format!("cockpit:{at}:{}", ui.lang.code());
    let content = state
        .cache
        .fragment(&state.store, key, async || {
            let evaluated = state.cache.evaluated(&state.store, at).await?;
            content(&state, &evaluated, &ui)
        })
        .await
        .or_page(&ui)?;
    let mine = unit_warnings(&state, &user.actor, &ui).await.or_page(&ui)?;
    page(&state, &ui, &user, Section::Cockpit, ui.w.cockpit, &format!("{mine}{content}"), true)
}

/// The open warnings the user's unit owns (none for a unit without any), above the cockpit.
async fn unit_warnings(state: &AppState, actor: &Actor, ui: &Ui) -> Result<String, crate::Problem> {
    if state.warnings_open_for(&actor.org_unit) == 0 {
        return Ok(String::new());
    }
    let filter = WarningFilter { owner_unit: Some(actor.org_unit.clone()), open: true, ..WarningFilter::default() };
    let lines: Vec<_> = state.store.warnings(&filter).await?.iter().map(|w| warning_line(w, ui.lang)).collect();
    if lines.is_empty() {
        return Ok(String::new());
    }
    let href = format!("/warnings?open=true&owner_unit={}", percent_encoded(&actor.org_unit));
    render(&UnitWarnings { w: ui.w, unit: &actor.org_unit, lines: &lines, href: &href })
}

fn content(state: &AppState, evaluated: &Evaluated, ui: &Ui) -> Result<String, crate::Problem> {
    let lang = ui.lang;
    let plan = &evaluated.input.plan;
    let city: Vec<_> = evaluated.city_rows().collect();
    let headline: Vec<HeadlineCard> = city
        .iter()
        .filter(|r| {
            let target = evaluated.target(r);
            target.project == 0 && target.kind != plan361_core::plan::Kind::Milestone
        })
        .map(|r| {
            let target = evaluated.target(r);
            let e = &r.evaluation;
            let (bar, progress) = match progress_cell(e, ui) {
                Cell::Progress { bar, shown, .. } => (bar, shown),
                other => (String::new(), other.plain()),
            };
            HeadlineCard {
                id: target.id.clone(),
                indicator: target.indicator.clone(),
                value: quantity(e.value, target),
                value_note: i18n::year_figure_note(target, e, lang).unwrap_or_default(),
                value_period: data_period_text(e, target, ui),
                target: goal_text(e, target, lang),
                progress,
                expected: percent(e.expected),
                lag: e.lag_pp.map_or_else(|| "—".into(), |l| format!("{l:+.1}")),
                status: chip(e.status, lang),
                bar,
            }
        })
        .collect();
    let projects: Vec<ProjectSummary> = plan
        .projects()
        .iter()
        .filter(|p| p.number > 0)
        .map(|p| {
            let counts = project_counts(evaluated, p.number);
            let parts: Vec<(&str, usize, String)> = Status::ALL
                .iter()
                .map(|s| {
                    let label = i18n::status_label(*s, lang);
                    (status_class(*s), counts.get(*s), format!("{label} {}", counts.get(*s)))
                })
                .collect();
            ProjectSummary {
                number: p.number,
                name: p.name.clone(),
                total: counts.total(),
                counts: Status::ALL
                    .iter()
                    .map(|s| (status_class(*s), i18n::status_label(*s, lang), counts.get(*s)))
                    .collect(),
                stack: chart::status_stack(&parts),
            }
        })
        .collect();
    let mut attention: Vec<_> = city.iter().filter(|r| r.evaluation.status.needs_attention()).collect();
    attention.sort_by(|a, b| {
        b.evaluation
            .status
            .severity()
            .cmp(&a.evaluation.status.severity())
            .then(a.evaluation.lag_pp.unwrap_or(0.0).total_cmp(&b.evaluation.lag_pp.unwrap_or(0.0)))
    });
    let lagging: Vec<Explained> = attention
        .iter()
        .map(|r| {
            let target = evaluated.target(r);
            Explained {
                id: target.id.clone(),
                indicator: target.indicator.clone(),
                org_unit: r.org_unit.clone(),
                status: chip(r.evaluation.status, lang),
                explanation: evaluated.record(r, lang).explanation,
            }
        })
        .collect();
    let (_, table) = tables(evaluated, ui);
    let periods = period_choices(state, evaluated, lang);
    let period_label = i18n::period_label(evaluated.at, lang);
    render(&Cockpit {
        w: ui.w,
        periods: &periods,
        period_label: &period_label,
        headline: &headline,
        projects: &projects,
        lagging: &lagging,
        legend: &legend(lang),
        table: &table,
    })
}

/// The project summary and the table of every target (the city's values).
fn tables(evaluated: &Evaluated, ui: &Ui) -> (Table, Table) {
    let lang = ui.lang;
    let mut columns = vec![ui.w.projects];
    columns.extend(Status::ALL.iter().map(|s| i18n::status_label(*s, lang)));
    let mut summary = Table::new(ui.w.project_status, &columns);
    for project in evaluated.input.plan.projects() {
        let counts = project_counts(evaluated, project.number);
        let mut row = vec![Cell::text(project.name.clone())];
        row.extend(
            Status::ALL
                .iter()
                .map(|s| Cell::Number { shown: counts.get(*s).to_string(), value: Some(counts.get(*s) as f64) }),
        );
        summary.push(row);
    }
    (summary, super::targets_table(ui.w.all_targets, evaluated.city_rows(), evaluated, ui))
}

/// How many of a project's targets (the city's values) are in each status.
fn project_counts(evaluated: &Evaluated, project: u32) -> StatusCounts {
    evaluated.city_rows().filter(|r| evaluated.target(r).project == project).map(|r| r.evaluation.status).collect()
}
