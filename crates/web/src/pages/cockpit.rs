//! 驾驶舱: the headline targets, the status of each project's targets, the targets that need
//! attention and the whole plan at a glance; a district's cockpit, its own targets against its
//! own goals, where its users land. Their content depends only on the data, the period and the
//! language, so it is rendered once per data version and served from the cache.

use axum::extract::{Path, State};
use axum::response::Response;
use plan361_core::access;
use plan361_core::eval::{Status, StatusCounts};
use plan361_core::i18n::{self, Lang};
use plan361_core::org::OrgKind;
use plan361_core::org::OrgUnitId;
use plan361_core::plan::TargetId;
use plan361_store::WarningFilter;
use plan361_views::chart;
use plan361_views::pages::{Cockpit, DistrictCockpit, Explained, HeadlineCard, ProjectSummary};
use plan361_views::table::{Cell, Table, status_class};
use plan361_views::warnings::UnitWarnings;
use serde::Deserialize;

use super::warnings::line as warning_line;
use super::{
    OrPage, chip, data_period_text, goal_source, goal_text, legend, page_error, percent, period_choices, progress_cell,
    quantity, target_cells, target_columns,
};
use crate::auth::{PageUser, Signed};
use crate::error::Problem;
use crate::evaluation::{Evaluated, EvaluatedRow};
use crate::extract::PageQuery;
use crate::render::{PageError, Section, Ui, page, percent_encoded, render, xlsx_download};
use crate::{AppState, service};

#[derive(Deserialize, Default)]
pub struct CockpitQuery {
    at: Option<String>,
    format: Option<String>,
    /// `city`: the city's cockpit for a user who would land on their district's.
    scope: Option<String>,
}

/// The city's cockpit; a district's or zone's user lands on their own territory's instead
/// (`?scope=city`: the city's).
pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<CockpitQuery>,
) -> Result<Response, PageError> {
    if query.scope.as_deref() != Some("city")
        && let Some(territory) = access::own_territory(&user.actor)
    {
        let territory = territory.to_string();
        return district_cockpit(&state, &user, &ui, &territory, &query).await;
    }
    let at = service::period_or_default(&state, query.at.as_deref()).or_page(&ui)?;
    if query.format.as_deref() == Some("xlsx") {
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
    let mine = unit_warnings(&state, &user.actor.org_unit, &ui).await.or_page(&ui)?;
    page(&state, &ui, &user, Section::Cockpit, ui.w.cockpit, &format!("{mine}{content}"), true)
}

/// A district's (or zone's) cockpit: the targets it has values or a decomposed goal for, each
/// against its own goal, its rank among the districts, what needs attention there; the city's
/// cockpit a link away. Everyone may read any district's.
pub async fn district(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(name): Path<String>,
    PageQuery(query): PageQuery<CockpitQuery>,
) -> Result<Response, PageError> {
    district_cockpit(&state, &user, &ui, &name, &query).await
}

async fn district_cockpit(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    name: &str,
    query: &CockpitQuery,
) -> Result<Response, PageError> {
    let at = service::period_or_default(state, query.at.as_deref()).or_page(ui)?;
    let evaluated = state.cache.evaluated(&state.store, at).await.or_page(ui)?;
    let is_territory =
        evaluated.input.org_units.get(name).is_some_and(|unit| matches!(unit.kind, OrgKind::District | OrgKind::Zone));
    if !is_territory {
        return Err(page_error(ui, Problem::not_found(format!("no district or zone \"{name}\""))));
    }
    let title = format!("{name} · {}", ui.w.district_cockpit);
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(&format!("{title}-{at}"), &[&district_table(&evaluated, name, ui)]);
    }
    let key = format!("district:{name}:{at}:{}", ui.lang.code());
    let content = state
        .cache
        .fragment(&state.store, key, async || district_content(state, &evaluated, name, ui))
        .await
        .or_page(ui)?;
    // The district's targets first: its open warnings (often many) follow them.
    let mine = unit_warnings(state, name, ui).await.or_page(ui)?;
    page(state, ui, user, Section::Cockpit, &title, &format!("{content}{mine}"), true)
}

fn district_content(state: &AppState, evaluated: &Evaluated, district: &str, ui: &Ui) -> Result<String, Problem> {
    let lang = ui.lang;
    let rows: Vec<&EvaluatedRow> = evaluated.rows.iter().filter(|r| r.org_unit == district).collect();
    let counts: StatusCounts = rows.iter().map(|r| r.evaluation.status).collect();
    let summary = status_summary(0, district.to_string(), &counts, lang);
    let lagging = needing_attention(evaluated, &rows, lang);
    let plan = &evaluated.input.plan;
    let waiting: Vec<(String, String)> = plan
        .targets()
        .iter()
        .filter(|t| evaluated.input.decompositions.contains(&TargetId::new(&t.id), &OrgUnitId::new(district)))
        .filter(|t| !rows.iter().any(|r| evaluated.target(r).id == t.id))
        .map(|t| (t.id.clone(), t.indicator.clone()))
        .collect();
    let periods = period_choices(state, evaluated, lang);
    let period_label = i18n::period_label(evaluated.at, lang);
    let city_href = format!("/?scope=city&at={}", evaluated.at);
    render(&DistrictCockpit {
        w: ui.w,
        periods: &periods,
        period_label: &period_label,
        district,
        city_href: &city_href,
        summary: &summary,
        lagging: &lagging,
        waiting: &waiting,
        legend: &legend(lang),
        table: &district_table(evaluated, district, ui),
    })
}

/// The district's targets, each against the district's own goal (and where that goal comes
/// from), with the district's rank among all districts on 目标进度 as the comparison ranks.
fn district_table(evaluated: &Evaluated, district: &str, ui: &Ui) -> Table {
    let w = ui.w;
    let columns = [&target_columns(w)[..], &[w.district_rank, w.goal_source, w.explanation]].concat();
    let mut table = Table::new(w.district_targets, &columns);
    table.class = "targets district-targets";
    table.shown = Some(11);
    for row in evaluated.rows.iter().filter(|r| r.org_unit == district) {
        let target = evaluated.target(row);
        // Ranked as the comparison ranks; a district without a 目标进度 has no place in it.
        let ranked = evaluated.ranked_districts(&target.id).unwrap_or_default();
        let rank = ranked
            .iter()
            .position(|r| r.org_unit == district)
            .filter(|_| row.evaluation.progress.is_some())
            .map_or_else(|| "—".to_string(), |p| format!("{}/{}", p + 1, ranked.len()));
        let mut cells = target_cells(row, evaluated, ui);
        cells.push(Cell::link(rank, format!("/compare?target={}&at={}", target.id, evaluated.at)));
        cells.push(Cell::text(goal_source(evaluated, row, w)));
        cells.push(Cell::text(evaluated.record(row, ui.lang).explanation));
        table.push(cells);
    }
    table
}

/// The open warnings `unit` owns (none for a unit without any), above a cockpit: the user's
/// unit's on the city's, the district's on a district's.
async fn unit_warnings(state: &AppState, unit: &str, ui: &Ui) -> Result<String, Problem> {
    if state.warnings_open_for(unit) == 0 {
        return Ok(String::new());
    }
    let filter = WarningFilter { owner_unit: Some(unit.to_string()), open: true, ..WarningFilter::default() };
    let lines: Vec<_> = state.store.warnings(&filter).await?.iter().map(|w| warning_line(w, ui.lang)).collect();
    if lines.is_empty() {
        return Ok(String::new());
    }
    let href = format!("/warnings?open=true&owner_unit={}", percent_encoded(unit));
    render(&UnitWarnings { w: ui.w, unit, lines: &lines, href: &href })
}

fn content(state: &AppState, evaluated: &Evaluated, ui: &Ui) -> Result<String, Problem> {
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
        .map(|p| status_summary(p.number, p.name.clone(), &project_counts(evaluated, p.number), lang))
        .collect();
    let lagging = needing_attention(evaluated, &city, lang);
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

/// How many targets are in each status, as counts and a stacked bar.
fn status_summary(number: u32, name: String, counts: &StatusCounts, lang: Lang) -> ProjectSummary {
    let parts: Vec<(&str, usize, String)> = Status::ALL
        .iter()
        .map(|s| {
            let label = i18n::status_label(*s, lang);
            (status_class(*s), counts.get(*s), format!("{label} {}", counts.get(*s)))
        })
        .collect();
    ProjectSummary {
        number,
        name,
        total: counts.total(),
        counts: Status::ALL.iter().map(|s| (status_class(*s), i18n::status_label(*s, lang), counts.get(*s))).collect(),
        stack: chart::status_stack(&parts),
    }
}

/// The rows needing attention, worst status first, then furthest behind, with their sentences.
fn needing_attention(evaluated: &Evaluated, rows: &[&EvaluatedRow], lang: Lang) -> Vec<Explained> {
    let mut attention: Vec<&EvaluatedRow> =
        rows.iter().copied().filter(|r| r.evaluation.status.needs_attention()).collect();
    attention.sort_by(|a, b| {
        b.evaluation
            .status
            .severity()
            .cmp(&a.evaluation.status.severity())
            .then(a.evaluation.lag_pp.unwrap_or(0.0).total_cmp(&b.evaluation.lag_pp.unwrap_or(0.0)))
    });
    attention
        .into_iter()
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
        .collect()
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
