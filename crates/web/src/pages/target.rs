//! A target: its verdict and explanation, the figures on one scale (目标进度 · 序时进度 · 差距, with
//! 完成率 labelled apart), the chart of what was reported against the path the plan expects,
//! the finished target years, the plan's own words and how the value is reported, the districts
//! with their goals, and the history of the values reported for it.

use axum::extract::{Path, State};
use axum::response::Response;
use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_core::eval::{BaselineSource, Evaluation, MILESTONE_DONE, goal_for_city};
use plan361_core::i18n::Labelled;
use plan361_core::i18n::{self, Lang};
use plan361_core::plan::{Direction, Goal, Kind, Target};
use plan361_store::ObservationFilter;
use plan361_views::chart::{self, ChartPoint, LineChart};
use plan361_views::pages::{CountedNote, Fact, TargetPage};
use plan361_views::table::{Cell, Table, status_class};
use serde::Deserialize;

use super::counted::entries_href;
use super::{
    OrPage, chip, data_period_text, datetime, goal_text, page_error, percent, period_choices, progress_cell, quantity,
};
use crate::auth::PageUser;
use crate::error::Problem;
use crate::evaluation::{Evaluated, EvaluatedRow};
use crate::extract::PageQuery;
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};
use crate::{AppState, service};

/// Revisions are listed for this many of the newest values unless every record is asked for.
const HISTORY_VALUES: i64 = 12;

#[derive(Deserialize, Default)]
pub struct TargetQuery {
    at: Option<String>,
    format: Option<String>,
    /// `all`: the revisions of every value, not only the newest.
    history: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<TargetQuery>,
) -> Result<Response, PageError> {
    let at = service::period_or_default(&state, query.at.as_deref()).or_page(&ui)?;
    let evaluated = state.cache.evaluated(&state.store, at).await.or_page(&ui)?;
    let plan = &evaluated.input.plan;
    let target = plan
        .target(&id)
        .ok_or_else(|| page_error(&ui, Problem::not_found(format!("no target \"{id}\" in the plan"))))?;
    let city_name = evaluated.input.org_units.city().name.clone();
    let Some(city) = evaluated.of_target(&id).find(|r| r.org_unit == city_name) else {
        return Err(page_error(&ui, Problem::not_found(format!("target \"{id}\" has no evaluation"))));
    };
    let e = &city.evaluation;
    let districts = districts_table(&evaluated, target, &ui);
    let every_record = query.history.as_deref() == Some("all");
    let history = history_table(&state, &user.actor, target, every_record, &ui).await.or_page(&ui)?;
    let years = years_table(target, e, &ui);
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(&format!("{}-{}", target.id, target.indicator), &[&districts, &years, &history]);
    }
    let lang = ui.lang;
    let metrics = metrics(target, e, &ui);
    let definition = definition(target, lang, &ui);
    let chart = match target.kind {
        Kind::Direction => String::new(),
        _ => trend_chart(&evaluated, target, city, &ui),
    };
    let measures = measures_table(&evaluated, target, city, &ui);
    let explanation = evaluated.record(city, lang).explanation;
    let periods = period_choices(&state, &evaluated, lang);
    let title = format!("{} {}", target.id, target.indicator);
    let compare_href = format!("/compare?target={}&at={}", target.id, at);
    let data_period = e.data_period.unwrap_or(at);
    let counted = match (target.count.as_ref().map(|rule| rule.list()), &target.stats) {
        (Some(list), _) => Some(CountedNote {
            rule: i18n::count_rule(target, plan.meta().baseline_year, lang).unwrap_or_default(),
            list_label: list.label(lang),
            list_href: format!("/lists/{}", list.code()),
            entries_href: entries_href(&target.id, data_period, &city_name),
            value: quantity(e.value, target),
        }),
        (None, Some(rule)) => {
            let catalog = state.store.catalog_at(Date::last_of(data_period.last_month())).await.or_page(&ui)?;
            let cluster = rule.cluster.as_deref().map_or(ui.w.stats_all, |id| {
                catalog.clusters.iter().find(|c| c.id == id).map_or(id, |c| c.name.as_str())
            });
            Some(CountedNote {
                rule: i18n::stats_rule(target, cluster, lang).unwrap_or_default(),
                list_label: ui.w.stats,
                list_href: "/stats".into(),
                entries_href: behind_value(target, data_period, &city_name).unwrap_or_default(),
                value: quantity(e.value, target),
            })
        }
        (None, None) => None,
    };
    let all_history_href = (!every_record).then(|| ui.set("history", "all"));
    let content = render(&TargetPage {
        w: ui.w,
        periods: &periods,
        id: &target.id,
        indicator: &target.indicator,
        status: chip(e.status, lang),
        explanation: &explanation,
        metrics: &metrics,
        definition: &definition,
        source_text: &target.source_text,
        chart: &chart,
        measures: measures.as_ref(),
        compare_href: &compare_href,
        years: &years,
        districts: &districts,
        history: &history,
        all_history_href: all_history_href.as_deref(),
        counted,
    })
    .or_page(&ui)?;
    page(&state, &ui, &user, Section::Projects, &title, &content, true)
}

/// The figures of the verdict: on one scale first, then 完成率 with its label, the baseline
/// used, the year estimate of a flow and the growth rates.
fn metrics(target: &Target, e: &Evaluation, ui: &Ui) -> Vec<Fact> {
    let (w, lang) = (ui.w, ui.lang);
    let progress = i18n::progress_shown(e, lang).map_or_else(|| "—".to_string(), |(_, text)| text);
    let mut facts = vec![
        Fact { label: w.latest, value: i18n::value_text(target, e, lang) },
        Fact { label: w.data_period, value: data_period_text(e, target, ui) },
        Fact { label: w.target, value: goal_text(e, target, lang) },
        Fact { label: w.progress, value: progress },
        Fact { label: w.expected, value: percent(e.expected) },
        Fact { label: w.lag, value: e.lag_pp.map_or_else(|| "—".into(), |l| format!("{l:+.1}")) },
        Fact { label: w.completion, value: percent(e.completion) },
    ];
    if let Some(base) = e.baseline {
        let source = match base.source {
            BaselineSource::Plan => w.source_plan,
            BaselineSource::Reported => w.source_reported,
            BaselineSource::Counted => w.source_counted,
        };
        facts.push(Fact {
            label: w.baseline_used,
            value: format!(
                "{} · {} · {source}",
                i18n::quantity(base.value, &target.unit),
                i18n::data_period_label(target, base.period, lang)
            ),
        });
    }
    if let Some(figure) = e.year_figure.filter(|f| f.estimated) {
        facts.push(Fact { label: w.estimate, value: i18n::quantity(figure.value, &target.unit) });
        facts.push(Fact { label: w.yoy, value: percent(figure.yoy) });
    }
    facts.extend([
        Fact { label: w.actual_cagr, value: percent(e.actual_cagr) },
        Fact { label: w.required_cagr, value: percent(e.required_cagr) },
        Fact { label: w.projected, value: quantity(e.projected, target) },
    ]);
    facts
}

fn definition(target: &Target, lang: Lang, ui: &Ui) -> Vec<Fact> {
    let w = ui.w;
    let baseline = target
        .baseline
        .as_ref()
        .map_or_else(|| w.unknown.to_string(), |b| format!("{} · {}年", i18n::quantity(b.value, &target.unit), b.year));
    let goals: Vec<String> = target
        .goal
        .stated()
        .into_iter()
        .map(|(year, value)| i18n::dated_goal(year, value, target.comparator, &target.unit, lang))
        .collect();
    let mut facts = vec![
        Fact { label: w.kind, value: i18n::kind_label(target.kind, lang).to_string() },
        Fact { label: w.unit, value: target.unit.clone() },
        Fact {
            label: w.direction,
            value: match target.direction {
                Direction::Up => w.higher_better,
                Direction::Down => w.lower_better,
            }
            .to_string(),
        },
        Fact { label: w.frequency, value: i18n::frequency_label(target.frequency, lang).to_string() },
        Fact { label: w.basis, value: i18n::basis_label(target, lang) },
        Fact { label: w.baseline, value: baseline },
        Fact {
            label: w.baseline_source,
            value: target.baseline.as_ref().map_or_else(|| "—".into(), |b| b.source.clone()),
        },
        Fact { label: w.goals, value: goals.join(";") },
        Fact { label: w.lead_unit, value: target.lead.clone() },
        Fact { label: w.co_units, value: if target.co.is_empty() { "—".into() } else { target.co.join("、") } },
    ];
    if let Some(note) = &target.basis_note {
        facts.push(Fact { label: w.basis_note, value: note.clone() });
    }
    facts
}

/// The reported series, the expected path from the baseline used through each target year,
/// the projection at the actual growth rate and the goals, for the city. Milestones are drawn
/// in percent, as they are reported.
fn trend_chart(evaluated: &Evaluated, target: &Target, city: &EvaluatedRow, ui: &Ui) -> String {
    let lang = ui.lang;
    let input = &evaluated.input;
    let city_position = input.org_units.position(&city.org_unit).unwrap_or_default();
    let mut points: Vec<_> = input
        .observations
        .points(city.target, city_position)
        .iter()
        .filter(|p| target.frequency.fits(p.period) && p.period.end_month_index() <= evaluated.at.end_month_index())
        .copied()
        .collect();
    points.sort_by_key(|p| p.period);
    let actual: Vec<ChartPoint> = points
        .iter()
        .map(|p| ChartPoint {
            x: p.period.end(),
            y: p.value,
            tip: format!(
                "{} {}",
                i18n::data_period_label(target, p.period, lang),
                i18n::quantity(p.value, &target.unit)
            ),
        })
        .collect();
    let goal = goal_for_city(target, input.plan.meta().baseline_year);
    let e = &city.evaluation;
    let mut expected = Vec::new();
    if let (Some(base), Goal::Path(_)) = (e.baseline, &target.goal)
        && !matches!(target.kind, Kind::Threshold | Kind::Stable)
    {
        expected.push((base.period.end(), base.value));
        expected.extend(goal.path.iter().map(|m| (f64::from(m.year) + 1.0, m.value)));
    }
    let goals: Vec<ChartPoint> = match (target.kind, &goal.due) {
        (Kind::Milestone, Some(due)) => {
            vec![ChartPoint { x: f64::from(*due) + 1.0, y: MILESTONE_DONE, tip: i18n::goal_text(target, e, lang) }]
        }
        _ => goal
            .path
            .iter()
            .map(|m| ChartPoint {
                x: f64::from(m.year) + 1.0,
                y: m.value,
                tip: format!("{} {}", m.year, i18n::goal_phrase(target.comparator, m.value, &target.unit)),
            })
            .collect(),
    };
    let projection = match (e.data_period, e.year_figure, e.projected, e.target_year) {
        (Some(_), Some(figure), Some(projected), Some(year)) => {
            Some([(f64::from(figure.year) + 1.0, figure.value), (f64::from(year) + 1.0, projected)])
        }
        (Some(p), None, Some(projected), Some(year)) => {
            e.value.map(|v| [(p.end(), v), (f64::from(year) + 1.0, projected)])
        }
        _ => None,
    };
    let w = ui.w;
    chart::line_chart(&LineChart {
        actual: &actual,
        expected: &expected,
        projection,
        goals: &goals,
        legend: [w.legend_actual, w.legend_expected, w.legend_projection, w.legend_goal],
        status_class: status_class(e.status),
    })
}

/// A two-sided target's measures year by year (a rank reads 第N名, a share in percent).
fn measures_table(evaluated: &Evaluated, target: &Target, city: &EvaluatedRow, ui: &Ui) -> Option<Table> {
    if target.kind != Kind::Direction {
        return None;
    }
    let input = &evaluated.input;
    let unit = input.org_units.position(&city.org_unit)?;
    let mut columns = vec![ui.w.year];
    columns.extend(target.measures.iter().map(|m| m.name.as_str()));
    let mut table = Table::new(ui.w.measures, &columns);
    let mut years: Vec<i32> = target
        .measures
        .iter()
        .flat_map(|m| input.observations.series(city.target, unit, Some(&m.key)).iter().map(|p| p.period.year()))
        .filter(|y| *y <= evaluated.at.year())
        .collect();
    years.sort_unstable();
    years.dedup();
    for year in years.into_iter().rev() {
        let mut row = vec![Cell::text(format!("{year}"))];
        for m in &target.measures {
            let value = input
                .observations
                .series(city.target, unit, Some(&m.key))
                .iter()
                .find(|p| p.period.year() == year)
                .map(|p| p.value);
            row.push(Cell::text(value.map_or_else(|| "—".into(), |v| i18n::quantity(v, &m.unit))));
        }
        table.push(row);
    }
    Some(table)
}

/// The finished target years (or years, for targets kept every year): goal, value, met.
fn years_table(target: &Target, e: &Evaluation, ui: &Ui) -> Table {
    let w = ui.w;
    let mut table = Table::new(w.year_results, &[w.year, w.target, w.latest, w.met]);
    for result in &e.year_results {
        let goal = result.goal.map_or_else(|| "—".into(), |g| i18n::goal_phrase(target.comparator, g, &target.unit));
        table.push(vec![
            Cell::text(format!("{}", result.year)),
            Cell::text(goal),
            Cell::text(result.value.map_or_else(|| "—".into(), |v| i18n::quantity(v, &target.unit))),
            Cell::text(if result.met { w.met_yes } else { w.met_no }),
        ]);
    }
    table
}

/// Every district with its goal (decomposed, a share of the city's, the city's own, or none).
/// The address of what makes up a target's value in a period: the entries a counted target
/// counts, or the enterprises whose microdata a derived target adds up (the cube's cell at the
/// period's last month).
fn behind_value(target: &Target, period: Period, org_unit: &str) -> Option<String> {
    if target.count.is_some() {
        return Some(entries_href(&target.id, period, org_unit));
    }
    let rule = target.stats.as_ref()?;
    let cluster = rule.cluster.as_deref().unwrap_or(plan361_core::stats::ALL_CLUSTER);
    Some(super::stats::behind_href(period.last_month(), rule.measure()?, cluster, org_unit))
}

fn districts_table(evaluated: &Evaluated, target: &Target, ui: &Ui) -> Table {
    let w = ui.w;
    let lang = ui.lang;
    let mut table = Table::new(
        w.districts,
        &[
            w.org_unit,
            w.latest,
            w.data_period,
            w.target,
            w.goal_source,
            w.progress,
            w.expected,
            w.lag,
            w.status,
            w.explanation,
        ],
    );
    table.class = "districts";
    for row in evaluated.of_target(&target.id).filter(|r| r.org_unit != evaluated.input.org_units.city().name) {
        let e = &row.evaluation;
        // A counted or derived value links to what makes it up.
        let behind = e.value.and_then(|_| behind_value(target, e.data_period.unwrap_or(evaluated.at), &row.org_unit));
        let latest = match behind {
            Some(href) => Cell::link(quantity(e.value, target), href),
            None => Cell::latest_value(e, target, ui.lang),
        };
        table.push(vec![
            Cell::text(row.org_unit.clone()),
            latest,
            Cell::text(data_period_text(e, target, ui)),
            Cell::text(goal_text(e, target, lang)),
            Cell::text(super::goal_source(evaluated, row, w)),
            progress_cell(e, ui),
            Cell::Percent(e.expected),
            Cell::Points(e.lag_pp),
            Cell::Status(e.status, i18n::status_label(e.status, lang)),
            Cell::text(evaluated.record(row, lang).explanation),
        ]);
    }
    table
}

/// The revisions of the newest values the actor may see (of every value with `every_record`),
/// newest value first.
async fn history_table(
    state: &AppState,
    actor: &plan361_core::access::Actor,
    target: &Target,
    every_record: bool,
    ui: &Ui,
) -> Result<Table, Problem> {
    let w = ui.w;
    let mut table = Table::new(
        w.history,
        &[w.period, w.org_unit, w.revision, w.action, w.value, w.state, w.reason, w.by, w.when, w.comment],
    );
    let limit = (!every_record).then_some(HISTORY_VALUES);
    let filter = ObservationFilter { target: Some(target.id.clone()), limit, ..Default::default() };
    for observation in state.store.observations(actor, &filter).await? {
        let unit = observation
            .measure
            .as_ref()
            .and_then(|m| target.measures.iter().find(|x| &x.key == m))
            .map_or(target.unit.as_str(), |m| m.unit.as_str());
        let mut revisions = state.store.revisions(actor, observation.id).await?;
        revisions.reverse();
        for r in revisions {
            table.push(vec![
                Cell::text(i18n::data_period_label(target, observation.period, ui.lang)),
                Cell::text(observation.org_unit.clone()),
                Cell::Number { shown: r.revision.to_string(), value: Some(r.revision as f64) },
                Cell::text(r.action),
                Cell::text(i18n::quantity(r.value, unit)),
                Cell::text(r.state.label(ui.lang)),
                Cell::text(r.reason),
                Cell::text(r.changed_by),
                Cell::text(datetime(r.changed_at_ms)),
                Cell::text(r.comment),
            ]);
        }
    }
    Ok(table)
}
