//! Evaluating the whole plan: every target for the city and for every unit with data.

use std::collections::HashMap;

use serde::Serialize;

use super::{
    BaselineSource, DueBy, Evaluation, MeasureSeries, Point, Subject, YearResult, evaluate, goal_for_city,
    goal_for_district,
};
use crate::i18n::{self, Lang};
use crate::org::{OrgKind, OrgUnitId, OrgUnits};
use crate::period::Period;
use crate::plan::{DistrictGoal, Goal, Plan, Target, TargetId};

/// Observed values grouped by (target, org unit), addressed by their positions in the plan
/// and in the org units. Readers (CSV, database) resolve names and check them first.
#[derive(Clone, Debug, Default)]
pub struct Observations {
    groups: HashMap<(usize, usize), Group>,
}

#[derive(Clone, Debug, Default)]
struct Group {
    points: Vec<Point>,
    measures: Vec<MeasureSeries>,
}

impl Observations {
    /// Adds a value; `measure` names the part of a `direction` target it belongs to.
    pub fn insert(&mut self, target: usize, org_unit: usize, measure: Option<&str>, point: Point) {
        let group = self.groups.entry((target, org_unit)).or_default();
        match measure {
            None => group.points.push(point),
            Some(key) => match group.measures.iter_mut().find(|s| s.key == key) {
                Some(series) => series.points.push(point),
                None => group.measures.push(MeasureSeries { key: key.to_string(), points: vec![point] }),
            },
        }
    }

    /// Whether no value was given at all.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The org units (positions) with values for a target.
    fn units_with_data(&self, target: usize) -> impl Iterator<Item = usize> + '_ {
        self.groups.keys().filter(move |(t, _)| *t == target).map(|(_, unit)| *unit)
    }

    /// The values of target `target` for org unit `org_unit` (positions in the plan and the org
    /// units), ordered by period.
    pub fn points(&self, target: usize, org_unit: usize) -> &[Point] {
        self.groups.get(&(target, org_unit)).map_or(&[], |g| g.points.as_slice())
    }

    fn measures(&self, target: usize, org_unit: usize) -> &[MeasureSeries] {
        self.groups.get(&(target, org_unit)).map_or(&[], |g| g.measures.as_slice())
    }

    /// The values of a target, or of one measure of a two-sided target.
    pub fn series(&self, target: usize, org_unit: usize, measure: Option<&str>) -> &[Point] {
        match measure {
            None => self.points(target, org_unit),
            Some(key) => self.measures(target, org_unit).iter().find(|s| s.key == key).map_or(&[], |s| &s.points),
        }
    }

    /// The latest value for a period before `period` (what a form shows as 上期值).
    pub fn latest_before(
        &self,
        target: usize,
        org_unit: usize,
        measure: Option<&str>,
        period: Period,
    ) -> Option<Point> {
        self.series(target, org_unit, measure).iter().filter(|p| p.period < period).max_by_key(|p| p.period).copied()
    }
}

/// Goals the plan office has set for org units other than the city (目标分解), by target id
/// and unit name.
#[derive(Clone, Debug, Default)]
pub struct Decompositions {
    goals: HashMap<(TargetId, OrgUnitId), Goal>,
}

impl Decompositions {
    /// No goal decomposed.
    pub fn new() -> Decompositions {
        Decompositions::default()
    }

    /// Sets `target`'s goal for `org_unit`.
    pub fn insert(&mut self, target: TargetId, org_unit: OrgUnitId, goal: Goal) {
        self.goals.insert((target, org_unit), goal);
    }

    /// `target`'s goal for `org_unit`, if one was set.
    pub fn get(&self, target: &TargetId, org_unit: &OrgUnitId) -> Option<&Goal> {
        self.goals.get(&(target.clone(), org_unit.clone()))
    }

    /// Whether `target` has a goal of its own for `org_unit`.
    pub fn contains(&self, target: &TargetId, org_unit: &OrgUnitId) -> bool {
        self.goals.contains_key(&(target.clone(), org_unit.clone()))
    }

    /// The org units `target` was decomposed to, with their goals.
    pub fn of_target(&self, target: &TargetId) -> impl Iterator<Item = (&OrgUnitId, &Goal)> + '_ {
        let target = target.clone();
        self.goals.iter().filter(move |((id, _), _)| *id == target).map(|((_, unit), goal)| (unit, goal))
    }
}

impl FromIterator<(TargetId, OrgUnitId, Goal)> for Decompositions {
    fn from_iter<I: IntoIterator<Item = (TargetId, OrgUnitId, Goal)>>(goals: I) -> Decompositions {
        Decompositions { goals: goals.into_iter().map(|(target, unit, goal)| ((target, unit), goal)).collect() }
    }
}

/// One evaluated (target, org unit).
#[derive(Clone, Debug)]
pub struct Row<'a> {
    /// The target evaluated.
    pub target: &'a Target,
    /// The org unit it is evaluated for.
    pub org_unit: &'a str,
    /// What the engine found.
    pub evaluation: Evaluation,
}

/// Evaluates every target at `at`: for the city always (so a target without data shows as
/// such), and for every other unit that has data for it. Rows come in plan order, then in
/// org-unit order. `due_by` says which periods were due when the evaluation is made.
pub fn evaluate_plan<'a>(
    plan: &'a Plan,
    org_units: &'a OrgUnits,
    observations: &Observations,
    decompositions: &Decompositions,
    at: Period,
    due_by: &DueBy,
) -> Vec<Row<'a>> {
    let city = org_units.position(&org_units.city().name).unwrap_or_default();
    let districts: Vec<usize> =
        org_units.all().iter().enumerate().filter(|(_, u)| u.kind == OrgKind::District).map(|(i, _)| i).collect();
    let baseline_year = plan.meta.baseline_year;
    let mut rows = Vec::with_capacity(plan.targets.len() * 2);
    for (t, target) in plan.targets.iter().enumerate() {
        let baseline_period = target.frequency.closing(target.baseline.as_ref().map_or(baseline_year, |b| b.year));
        let (city_points, summed) =
            city_series(target, observations.points(t, city), &districts, |u| observations.points(t, u));
        let city_at_baseline =
            city_points.iter().find(|p| p.period == baseline_period).map(|p| p.value).or_else(|| {
                target
                    .baseline
                    .as_ref()
                    .filter(|b| Period::Year(b.year).end_month_index() == baseline_period.end_month_index())
                    .map(|b| b.value)
            });
        let mut units: Vec<usize> = observations.units_with_data(t).filter(|u| *u != city).collect();
        units.sort_unstable();
        for unit in std::iter::once(city).chain(units) {
            let Some(org) = org_units.all().get(unit) else { continue };
            let (points, summed) = if unit == city {
                (city_points.as_slice(), summed.as_slice())
            } else {
                (observations.points(t, unit), &[][..])
            };
            let goal = if org.kind == OrgKind::City {
                goal_for_city(target, baseline_year)
            } else {
                let decomposed = decompositions.get(&TargetId::new(&target.id), &OrgUnitId::new(&org.name));
                let own = points.iter().find(|p| p.period == baseline_period).map(|p| p.value);
                let shares = own.zip(city_at_baseline);
                goal_for_district(target, baseline_year, decomposed, shares)
            };
            let measures = observations.measures(t, unit);
            let due_by = due_by.of(target.frequency);
            let subject = Subject { target, goal: &goal, points, measures, summed, due_by };
            rows.push(Row { target, org_unit: &org.name, evaluation: evaluate(&subject, at) });
        }
    }
    rows
}

/// The city's values of a target, with the sum of the districts' for any period the city did
/// not report itself but every district did (由区县合计, §3A.11): only for additive targets, and
/// never adding development zones, which lie inside the districts.
fn city_series<'p>(
    target: &Target,
    own: &[Point],
    districts: &[usize],
    points_of: impl Fn(usize) -> &'p [Point],
) -> (Vec<Point>, Vec<Period>) {
    let mut points = own.to_vec();
    let mut summed = Vec::new();
    if target.district_goal != DistrictGoal::Share || target.count.is_some() || districts.is_empty() {
        return (points, summed);
    }
    let first = points_of(districts[0]);
    for candidate in first.iter().map(|p| p.period) {
        if own.iter().any(|p| p.period == candidate) {
            continue;
        }
        let values: Option<Vec<f64>> =
            districts.iter().map(|&d| points_of(d).iter().find(|p| p.period == candidate).map(|p| p.value)).collect();
        if let Some(values) = values {
            points.push(Point { period: candidate, value: values.iter().sum() });
            summed.push(candidate);
        }
    }
    (points, summed)
}

/// An evaluation as the CLI prints it and the API returns it. Fractions are fractions (0.738,
/// not 73.8); absent measures are `null`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvalRecord {
    /// The target's id.
    pub target_id: String,
    /// The org unit evaluated.
    pub org_unit: String,
    /// The period evaluated.
    pub period: String,
    /// The latest value reported by `period` (for a 1–N月 flow, its 1–N月 value).
    pub value: Option<f64>,
    /// The period of `value`.
    pub data_period: Option<String>,
    /// `value` is older than the last period that had ended by `period`: not updated since.
    pub stale: bool,
    /// The baseline measured from.
    pub baseline: Option<EvalRecordBaseline>,
    /// The target year measured against.
    pub target_year: Option<i32>,
    /// The goal of that year.
    pub target_value: Option<f64>,
    /// 完成率: the value (a year's total, for a flow) ÷ the goal.
    pub completion: Option<f64>,
    /// 目标进度: the share of the way from the baseline to the goal covered.
    pub progress: Option<f64>,
    /// 序时进度, on the same scale as `progress`.
    pub expected: Option<f64>,
    /// 差距: `(progress − expected) × 100` percentage points; for a threshold, the margin to
    /// its line in the target's unit.
    pub lag_pp: Option<f64>,
    /// The growth rate per year since the baseline (CAGR).
    pub actual_cagr: Option<f64>,
    /// The growth rate per year needed from now to meet the goal.
    pub required_cagr: Option<f64>,
    /// The value projected for the target year at the actual growth rate.
    pub projected: Option<f64>,
    /// `projected` ÷ the goal.
    pub projection_ratio: Option<f64>,
    /// A 1–N月 flow's estimate of the year's total (last year's total × this year's 1–N月 ÷ last
    /// year's 1–N月).
    pub estimate: Option<f64>,
    /// 同比 of a 1–N月 flow.
    pub yoy: Option<f64>,
    /// The status's code (`on_track`, `behind` …).
    pub status: &'static str,
    /// The status's label in the record's language.
    pub status_label: &'static str,
    /// Every finished target year (or year, for targets kept every year): met or not.
    pub year_results: Vec<YearResult>,
    /// Codes of the facts the explanation states (`first_value_as_baseline`, `short_history` …).
    pub notes: Vec<&'static str>,
    /// The sentence that explains the status, in the record's language.
    pub explanation: String,
}

/// The baseline a record measures from.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvalRecordBaseline {
    pub value: f64,
    pub period: String,
    /// `plan`, `reported` or `counted`.
    pub source: &'static str,
}

impl EvalRecord {
    /// The record of one evaluated row, its labels and explanation in `lang`.
    pub fn from_row(row: &Row, lang: Lang) -> EvalRecord {
        let e = &row.evaluation;
        let estimate = e.year_figure.filter(|f| f.estimated);
        EvalRecord {
            target_id: row.target.id.clone(),
            org_unit: row.org_unit.to_string(),
            period: e.period.to_string(),
            value: e.value,
            data_period: e.data_period.map(|p| p.to_string()),
            stale: e.stale,
            baseline: e.baseline.map(|b| EvalRecordBaseline {
                value: b.value,
                period: b.period.to_string(),
                source: match b.source {
                    BaselineSource::Plan => "plan",
                    BaselineSource::Reported => "reported",
                    BaselineSource::Counted => "counted",
                },
            }),
            target_year: e.target_year,
            target_value: e.target_value,
            completion: e.completion,
            progress: e.progress,
            expected: e.expected,
            lag_pp: e.lag_pp,
            actual_cagr: e.actual_cagr,
            required_cagr: e.required_cagr,
            projected: e.projected,
            projection_ratio: e.projection_ratio,
            estimate: estimate.map(|f| f.value),
            yoy: e.year_figure.and_then(|f| f.yoy),
            status: e.status.code(),
            status_label: i18n::status_label(e.status, lang),
            year_results: e.year_results.clone(),
            notes: e.notes.iter().map(|n| n.code()).collect(),
            explanation: i18n::explain(row.target, e, lang),
        }
    }
}
