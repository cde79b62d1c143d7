//! A target: its verdict and explanation, the chart of what was reported against the path the
//! plan expects, the plan's own words, the districts with their goals, and the history of the
//! values reported for it.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use plan361_core::Period;
use plan361_core::eval::{Note, goal_for_city};
use plan361_core::i18n::{self, Lang};
use plan361_core::plan::{Direction, Frequency, Goal, Kind, Target};
use plan361_core::units;
use plan361_store::ObservationFilter;
use plan361_views::chart::{self, ChartPoint, LineChart};
use plan361_views::pages::{CountedNote, Fact, TargetPage};
use plan361_views::table::{Cell, Table, status_class};

use super::counted::entries_href;
use super::{
    OrPage, PageQuery, chip, datetime, goal_text, page_error, percent, period_choices, period_of, progress_graphic,
    quantity,
};
use crate::auth::PageUser;
use crate::error::Problem;
use crate::evaluation::{Evaluated, EvaluatedRow};
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};
use crate::{AppState, service};

/// Revisions are listed for this many of the newest values.
const HISTORY_VALUES: usize = 4;

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
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
    let districts = districts_table(&evaluated, target, &ui);
    let history = history_table(&state, &user.actor, target, &ui).await.or_page(&ui)?;
    if query.wants_xlsx() {
        return xlsx_download(&format!("{}-{}", target.id, target.indicator), &[&districts, &history]);
    }
    let e = &city.evaluation;
    let lang = ui.lang;
    let w = ui.w;
    let metrics = vec![
        Fact { label: w.latest, value: quantity(e.value, target) },
        Fact { label: w.data_period, value: period_of(e, lang) },
        Fact { label: w.target, value: goal_text(e, target, lang) },
        Fact { label: w.completion, value: percent(e.completion) },
        Fact { label: w.expected, value: percent(e.expected) },
        Fact { label: w.lag, value: e.lag_pp.map_or_else(|| "—".into(), |l| format!("{l:+.1}")) },
        Fact { label: w.actual_cagr, value: percent(e.actual_cagr) },
        Fact { label: w.required_cagr, value: percent(e.required_cagr) },
        Fact { label: w.projected, value: quantity(e.projected, target) },
    ];
    let definition = definition(target, lang, &ui);
    let chart = trend_chart(&evaluated, target, city, &ui);
    let explanation = evaluated.record(city, lang).explanation;
    let periods = period_choices(&state, &evaluated, lang);
    let title = format!("{} {}", target.id, target.indicator);
    let compare_href = format!("/compare?target={}&at={}", target.id, at);
    let counted = target.count.as_ref().and_then(|rule| rule.list_kind()).map(|list| CountedNote {
        rule: i18n::count_rule(target, plan.meta.baseline_year, lang).unwrap_or_default(),
        list_label: i18n::list_label(list, lang),
        list_href: format!("/lists/{}", list.code()),
        entries_href: entries_href(&target.id, e.data_period.unwrap_or(at), &city_name),
        value: quantity(e.value, target),
    });
    let content = render(&TargetPage {
        w,
        periods: &periods,
        id: &target.id,
        indicator: &target.indicator,
        status: chip(e.status, lang),
        explanation: &explanation,
        metrics: &metrics,
        definition: &definition,
        source_text: &target.source_text,
        chart: &chart,
        compare_href: &compare_href,
        districts: &districts,
        history: &history,
        counted,
    })
    .or_page(&ui)?;
    page(&state, &ui, &user, Section::Projects, &title, &content, true)
}

fn definition(target: &Target, lang: Lang, ui: &Ui) -> Vec<Fact> {
    let w = ui.w;
    let baseline = target.baseline.as_ref().map_or_else(
        || w.unknown.to_string(),
        |b| format!("{} · {}", i18n::quantity(b.value, &target.unit), i18n::period_label(Period::Year(b.year), lang)),
    );
    let goals: Vec<String> = target
        .goal
        .stated()
        .into_iter()
        .map(|(year, value)| i18n::dated_goal(year, value, target.comparator, &target.unit, lang))
        .collect();
    vec![
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
        Fact {
            label: w.frequency,
            value: match target.frequency {
                Frequency::Month => w.monthly,
                Frequency::Quarter => w.quarterly,
                Frequency::Year => w.yearly,
            }
            .to_string(),
        },
        Fact { label: w.baseline, value: baseline },
        Fact {
            label: w.baseline_source,
            value: target.baseline.as_ref().map_or_else(|| "—".into(), |b| b.source.clone()),
        },
        Fact { label: w.goals, value: goals.join(";") },
        Fact { label: w.lead_unit, value: target.lead.clone() },
        Fact { label: w.co_units, value: if target.co.is_empty() { "—".into() } else { target.co.join("、") } },
    ]
}

/// The reported series, the expected path through each target year, the projection at the
/// actual growth rate and the goals, for the city.
fn trend_chart(evaluated: &Evaluated, target: &Target, city: &EvaluatedRow, ui: &Ui) -> String {
    let lang = ui.lang;
    let input = &evaluated.input;
    let t = city.target;
    let city_position = input.org_units.position(&city.org_unit).unwrap_or_default();
    let mut points: Vec<_> = input
        .observations
        .points(t, city_position)
        .iter()
        .filter(|p| p.period.end_month_index() <= evaluated.at.end_month_index())
        .copied()
        .collect();
    points.sort_by_key(|p| (p.period.end_month_index(), p.period.span_months()));
    let actual: Vec<ChartPoint> = points
        .iter()
        .map(|p| ChartPoint {
            x: p.period.end(),
            y: p.value,
            tip: format!("{} {}", i18n::period_label(p.period, lang), i18n::quantity(p.value, &target.unit)),
        })
        .collect();
    let goal = goal_for_city(target, input.plan.meta.baseline_year);
    let e = &city.evaluation;
    let mut expected = Vec::new();
    if let (Some(base), Goal::Path(_)) = (e.baseline, &target.goal)
        && target.kind != Kind::Threshold
    {
        expected.push((base.period.end(), base.value));
        expected.extend(goal.path.iter().map(|m| (f64::from(m.year) + 1.0, m.value)));
    }
    let goals: Vec<ChartPoint> = goal
        .path
        .iter()
        .map(|m| ChartPoint {
            x: f64::from(m.year) + 1.0,
            y: m.value,
            tip: format!("{} {}", m.year, i18n::goal_phrase(target.comparator, m.value, &target.unit)),
        })
        .collect();
    let projection = match (e.value, e.data_period, e.projected, e.target_year) {
        (Some(v), Some(p), Some(projected), Some(year)) => Some([(p.end(), v), (f64::from(year) + 1.0, projected)]),
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

/// Every district with its goal (decomposed, a share of the city's, or the city's own).
fn districts_table(evaluated: &Evaluated, target: &Target, ui: &Ui) -> Table {
    let w = ui.w;
    let lang = ui.lang;
    let mut table = Table::new(
        w.districts,
        &[w.org_unit, w.latest, w.target, w.goal_source, w.completion, w.progress, w.status, w.explanation],
    );
    for row in evaluated.of_target(&target.id).filter(|r| r.org_unit != evaluated.input.org_units.city().name) {
        let e = &row.evaluation;
        let decomposed = evaluated.input.decompositions.contains_key(&(target.id.clone(), row.org_unit.clone()));
        let source = if decomposed {
            w.decomposed_goal
        } else if e.notes.contains(&Note::NoGoal) {
            w.no_goal
        } else if !target.kind.is_additive() || units::is_rate(&target.unit) {
            w.same_as_city
        } else {
            w.scaled_goal
        };
        // A counted value links to the entries it counts.
        let latest = match (&target.count, e.value) {
            (Some(_), Some(_)) => Cell::link(
                quantity(e.value, target),
                entries_href(&target.id, e.data_period.unwrap_or(evaluated.at), &row.org_unit),
            ),
            _ => Cell::Number { shown: quantity(e.value, target), value: e.value },
        };
        table.push(vec![
            Cell::text(row.org_unit.clone()),
            latest,
            Cell::text(goal_text(e, target, lang)),
            Cell::text(source),
            Cell::Percent(e.completion),
            progress_graphic(e, ui),
            Cell::Status(e.status, i18n::status_label(e.status, lang)),
            Cell::text(evaluated.record(row, lang).explanation),
        ]);
    }
    table
}

/// The revisions of the newest values the actor may see, newest first.
async fn history_table(
    state: &AppState,
    actor: &plan361_core::access::Actor,
    target: &Target,
    ui: &Ui,
) -> Result<Table, Problem> {
    let w = ui.w;
    let mut table = Table::new(
        w.history,
        &[w.period, w.org_unit, w.revision, w.action, w.value, w.state, w.reason, w.by, w.when, w.comment],
    );
    let filter =
        ObservationFilter { target: Some(target.id.clone()), limit: Some(HISTORY_VALUES as i64), ..Default::default() };
    for observation in state.store.observations(actor, &filter).await? {
        let mut revisions = state.store.revisions(actor, observation.id).await?;
        revisions.reverse();
        for r in revisions {
            table.push(vec![
                Cell::text(observation.period.to_string()),
                Cell::text(observation.org_unit.clone()),
                Cell::Number { shown: r.revision.to_string(), value: Some(r.revision as f64) },
                Cell::text(r.action),
                Cell::Number { shown: i18n::quantity(r.value, &target.unit), value: Some(r.value) },
                Cell::text(super::state_label(r.state, ui.lang)),
                Cell::text(r.reason),
                Cell::text(r.changed_by),
                Cell::text(datetime(r.changed_at_ms)),
                Cell::text(r.comment),
            ]);
        }
    }
    Ok(table)
}
