//! 集群监测: the clusters of a month (1–N月, 同比, 占比, 拉动) with a district × cluster heat
//! table, a cluster's page (trend, districts ranked, largest enterprises, steepest fallers),
//! and the enterprises behind any number.

use axum::extract::{Path, State};
use axum::response::Response;
use plan361_core::Period;
use plan361_core::i18n::Labelled;
use plan361_core::i18n::{self, Lang};
use plan361_core::stats::{Cell as CubeCell, Cube, Dataset, EnterpriseFigures, Measure};
use plan361_views::chart::{TrendPoint, trend_chart};
use plan361_views::pages::{Choice, Panel, StatsPage};
use plan361_views::table::{Cell, Table};
use plan361_views::words::Words;
use serde::Deserialize;

use super::OrPage;
use crate::auth::PageUser;
use crate::extract::PageQuery;
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};
use crate::{AppState, stats};

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    at: Option<String>,
    measure: Option<String>,
    catalog: Option<String>,
    cluster: Option<String>,
    org_unit: Option<String>,
    format: Option<String>,
}

/// The address of a page of this section with its query.
fn href(path: &str, pairs: &[(&str, &str)]) -> String {
    let query = serde_urlencoded::to_string(pairs.iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>())
        .unwrap_or_default();
    format!("{path}?{query}")
}

fn behind_href(at: Period, measure: Measure, cluster: &str, org_unit: &str) -> String {
    href(
        "/stats/enterprises",
        &[("at", &at.to_string()), ("measure", measure.code()), ("cluster", cluster), ("org_unit", org_unit)],
    )
}

fn amount(value: Option<f64>, measure: Measure) -> Cell {
    Cell::Number { shown: value.map_or_else(|| "—".into(), |v| i18n::number(v, measure.unit())), value }
}

fn points(value: Option<f64>) -> Cell {
    Cell::Number { shown: value.map_or_else(|| "—".into(), |v| format!("{v:+.2}")), value }
}

/// The columns of a cell, the first linking to the enterprises behind it.
fn figures(cell: &CubeCell, measure: Measure, link: String, w: &Words) -> Vec<Cell> {
    let month = match (cell.month, cell.month_span) {
        (Some(v), 2) => {
            Cell::Number { shown: format!("{} {}", i18n::number(v, measure.unit()), w.stats_jan_feb), value: Some(v) }
        }
        (v, _) => amount(v, measure),
    };
    vec![
        month,
        Cell::link(i18n::number(cell.ytd, measure.unit()), link),
        amount(cell.ytd_prev, measure),
        Cell::Percent(cell.yoy),
        Cell::Number { shown: cell.enterprises.to_string(), value: Some(f64::from(cell.enterprises)) },
        Cell::Percent(cell.share),
        points(cell.contribution_pp),
    ]
}

fn figure_columns(w: &'static Words) -> [&'static str; 7] {
    [
        w.stats_month,
        w.stats_ytd,
        w.stats_ytd_prev,
        w.stats_yoy,
        w.stats_enterprises,
        w.stats_share,
        w.stats_contribution,
    ]
}

fn selectors(dataset: &Dataset, at: Period, measure: Measure, lang: Lang) -> (Vec<Choice>, Vec<Choice>) {
    let mut months: Vec<Period> =
        dataset.months().map(|(first, last)| Period::months_between(first, last).collect()).unwrap_or_default();
    if !months.contains(&at) {
        months.push(at);
    }
    months.sort();
    months.reverse();
    let periods = months
        .into_iter()
        .map(|p| Choice { value: p.to_string(), label: i18n::period_label(p, lang), selected: p == at })
        .collect();
    let measures = Measure::ALL
        .into_iter()
        .map(|m| Choice {
            value: m.code().into(),
            label: format!("{}({})", m.label_zh(), m.unit()),
            selected: m == measure,
        })
        .collect();
    (periods, measures)
}

fn heading(at: Period, measure: Measure, cube: &Cube, w: &Words) -> String {
    format!(
        "{} 1–{}月 · {}({}) · {} {}",
        at.year(),
        at.months_elapsed(),
        measure.label_zh(),
        measure.unit(),
        w.stats_catalog,
        cube.catalog_version
    )
}

/// What every page of the section needs from its query.
struct Request {
    dataset: std::sync::Arc<Dataset>,
    at: Period,
    measure: Measure,
    xlsx: bool,
}

async fn request(state: &AppState, query: &StatsQuery, ui: &Ui) -> Result<Request, PageError> {
    let measure = stats::measures(query.measure.as_deref(), false).or_page(ui)?[0];
    let (dataset, at) = stats::dataset(state, query.at.as_deref(), query.catalog.as_deref()).await.or_page(ui)?;
    Ok(Request { dataset, at, measure, xlsx: query.format.as_deref() == Some("xlsx") })
}

#[allow(clippy::too_many_arguments)]
fn show_page(
    state: &AppState,
    ui: &Ui,
    user: &crate::auth::Signed,
    r: &Request,
    keep: &[(String, String)],
    title: &str,
    heading: &str,
    chart: Option<&str>,
    panels: &[Panel],
) -> Result<Response, PageError> {
    if r.xlsx {
        let tables: Vec<&Table> = panels.iter().map(|p| &p.table).collect();
        return xlsx_download(&format!("{title} {}", r.at), &tables);
    }
    let (periods, measures) = selectors(&r.dataset, r.at, r.measure, ui.lang);
    let content = render(&StatsPage {
        w: ui.w,
        periods: &periods,
        measures: &measures,
        keep,
        heading,
        note: ui.w.stats_note,
        chart,
        panels,
    })
    .or_page(ui)?;
    page(state, ui, user, Section::Stats, title, &content, true)
}

/// The clusters of a month at the city, and the district × cluster heat table.
pub async fn clusters(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let r = request(&state, &query, &ui).await?;
    let cube = r.dataset.cube(r.at);
    let mut columns = vec![w.stats_cluster];
    columns.extend(figure_columns(w));
    let mut table = Table::new(w.stats_clusters, &columns);
    for (c, (id, name)) in cube.clusters.iter().enumerate() {
        let name = if c == 0 { w.stats_all.to_string() } else { name.clone() };
        let page_href =
            href(&format!("/stats/clusters/{id}"), &[("at", &r.at.to_string()), ("measure", r.measure.code())]);
        let mut row = vec![Cell::link(name, page_href)];
        row.extend(figures(&cube.cell(c, 0, r.measure), r.measure, behind_href(r.at, r.measure, id, ""), w));
        table.push(row);
    }
    let mut heat_columns = vec![w.org_unit];
    let names: Vec<String> = cube
        .clusters
        .iter()
        .enumerate()
        .map(|(c, (_, n))| if c == 0 { w.stats_all.to_string() } else { n.clone() })
        .collect();
    heat_columns.extend(names.iter().map(String::as_str));
    let mut heat = Table::new(w.stats_heat, &heat_columns);
    for (o, unit) in cube.org_units.iter().enumerate() {
        let mut row = vec![Cell::text(unit.clone())];
        for (c, (id, _)) in cube.clusters.iter().enumerate() {
            let cell = cube.cell(c, o, r.measure);
            row.push(heat_cell(cell.yoy, behind_href(r.at, r.measure, id, unit)));
        }
        heat.push(row);
    }
    let title = w.stats;
    let heading = heading(r.at, r.measure, &cube, w);
    let panels = [
        Panel { heading: w.stats_clusters.into(), note: String::new(), table },
        Panel { heading: w.stats_heat.into(), note: String::new(), table: heat },
    ];
    show_page(&state, &ui, &user, &r, &[], title, &heading, None, &panels)
}

/// A 同比 as a coloured cell linking to the enterprises behind it.
fn heat_cell(yoy: Option<f64>, link: String) -> Cell {
    let text = yoy.map_or_else(|| "—".into(), i18n::percent);
    let level = match yoy {
        None => "none",
        Some(y) if y < -0.05 => "h0",
        Some(y) if y < 0.0 => "h1",
        Some(y) if y < 0.03 => "h2",
        Some(y) if y < 0.06 => "h3",
        Some(y) if y < 0.1 => "h4",
        Some(_) => "h5",
    };
    let escaped = plan361_views::chart::escape(&link);
    Cell::Graphic { svg: format!(r#"<a class="heat {level}" href="{escaped}">{text}</a>"#), text }
}

fn enterprise_table(sheet: &str, found: &[&EnterpriseFigures], measure: Measure, w: &'static Words) -> Table {
    let mut table = Table::new(
        sheet,
        &[w.credit_code, w.name, w.district, w.stats_month, w.stats_ytd, w.stats_ytd_prev, w.stats_yoy],
    );
    for e in found {
        let entry = format!("/lists/enterprises/{}", e.credit_code);
        table.push(vec![
            Cell::link(e.credit_code.clone(), entry.clone()),
            Cell::link(e.name.clone(), entry),
            Cell::text(e.district.clone()),
            amount(e.month, measure),
            amount(Some(e.ytd), measure),
            amount(e.ytd_prev, measure),
            Cell::Percent(e.yoy),
        ]);
    }
    table
}

/// A cluster's page: its trend, its districts ranked, its largest enterprises and the ones
/// falling most.
pub async fn cluster(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let r = request(&state, &query, &ui).await?;
    let c = stats::cluster(&r.dataset, Some(&id)).or_page(&ui)?;
    let cube = r.dataset.cube(r.at);
    let name = if c == 0 { w.stats_all.to_string() } else { cube.clusters[c].1.clone() };
    // Two years of months up to the chosen one.
    let first =
        r.dataset.months().map_or(r.at, |(first, _)| first).max(Period::month(r.at.year() - 1, r.at.months_elapsed()));
    let trend: Vec<TrendPoint> = Period::months_between(first, r.at)
        .map(|month| {
            let cell = r.dataset.cube(month).cell(c, 0, r.measure);
            TrendPoint {
                label: month.to_string(),
                month: (cell.month_span == 1).then_some(cell.month).flatten(),
                yoy: cell.yoy,
            }
        })
        .collect();
    let chart = trend_chart(&trend, [w.stats_month, w.stats_yoy]);
    let mut columns = vec![w.org_unit];
    columns.extend(figure_columns(w));
    let mut districts = Table::new(w.stats_districts, &columns);
    let mut ranked: Vec<usize> = (1..cube.territorial).collect();
    ranked.sort_by(|a, b| cube.cell(c, *b, r.measure).ytd.total_cmp(&cube.cell(c, *a, r.measure).ytd));
    ranked.insert(0, 0);
    ranked.extend(cube.territorial..cube.org_units.len());
    for o in ranked {
        let unit = &cube.org_units[o];
        let mut row = vec![Cell::text(unit.clone())];
        row.extend(figures(&cube.cell(c, o, r.measure), r.measure, behind_href(r.at, r.measure, &id, unit), w));
        districts.push(row);
    }
    let behind = r.dataset.behind(r.at, c, 0, r.measure);
    let mut largest: Vec<&EnterpriseFigures> = behind.iter().collect();
    largest.sort_by(|a, b| b.ytd.total_cmp(&a.ytd));
    largest.truncate(20);
    let mut fallers: Vec<&EnterpriseFigures> = behind.iter().filter(|e| e.yoy.is_some_and(|y| y < 0.0)).collect();
    fallers.sort_by(|a, b| a.yoy.unwrap_or(0.0).total_cmp(&b.yoy.unwrap_or(0.0)));
    fallers.truncate(20);
    let panels = [
        Panel { heading: w.stats_districts.into(), note: String::new(), table: districts },
        Panel {
            heading: w.stats_largest.into(),
            note: String::new(),
            table: enterprise_table(w.stats_largest, &largest, r.measure, w),
        },
        Panel {
            heading: w.stats_fallers.into(),
            note: String::new(),
            table: enterprise_table(w.stats_fallers, &fallers, r.measure, w),
        },
    ];
    let heading = format!("{name} · {}", heading(r.at, r.measure, &cube, w));
    let keep = [];
    let title = format!("{} · {name}", w.stats);
    let chart_heading = format!("{heading} · {}", w.stats_trend);
    show_page(&state, &ui, &user, &r, &keep, &title, &chart_heading, Some(&chart), &panels)
}

/// The enterprises behind a number: a cluster (or the total) in an org unit in a month.
pub async fn enterprises(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let r = request(&state, &query, &ui).await?;
    let c = stats::cluster(&r.dataset, query.cluster.as_deref()).or_page(&ui)?;
    let o = stats::org_unit(&r.dataset, query.org_unit.as_deref()).or_page(&ui)?;
    let cube = r.dataset.cube(r.at);
    let cell = cube.cell(c, o, r.measure);
    let mut behind = r.dataset.behind(r.at, c, o, r.measure);
    behind.sort_by(|a, b| b.ytd.total_cmp(&a.ytd));
    let name = if c == 0 { w.stats_all.to_string() } else { cube.clusters[c].1.clone() };
    let unit = &cube.org_units[o];
    let all: Vec<&EnterpriseFigures> = behind.iter().collect();
    let table = enterprise_table(w.stats_behind, &all, r.measure, w);
    let heading = format!(
        "{name} · {unit} · {} · {} {} · {} {}",
        heading(r.at, r.measure, &cube, w),
        w.stats_ytd,
        i18n::number(cell.ytd, r.measure.unit()),
        w.stats_enterprises,
        cell.enterprises
    );
    let keep = [("cluster".to_string(), cube.clusters[c].0.clone()), ("org_unit".to_string(), unit.clone())];
    let panels = [Panel { heading: w.stats_behind.into(), note: String::new(), table }];
    let title = format!("{} · {name} · {unit}", w.stats_behind);
    show_page(&state, &ui, &user, &r, &keep, &title, &heading, None, &panels)
}
