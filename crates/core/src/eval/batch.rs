//! Evaluating the whole plan: every target for the city and for every unit with data.

use std::collections::HashMap;

use serde::Serialize;

use super::{
    Evaluation, MeasureSeries, Point, Subject, baseline_from_points, evaluate, goal_for_city, goal_for_district,
};
use crate::i18n::{self, Lang};
use crate::org::{OrgKind, OrgUnits};
use crate::period::Period;
use crate::plan::{Goal, Plan, Target};

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

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The org units (positions) with values for a target.
    fn units_with_data(&self, target: usize) -> impl Iterator<Item = usize> + '_ {
        self.groups.keys().filter(move |(t, _)| *t == target).map(|(_, unit)| *unit)
    }

    pub fn points(&self, target: usize, org_unit: usize) -> &[Point] {
        self.groups.get(&(target, org_unit)).map_or(&[], |g| g.points.as_slice())
    }

    fn measures(&self, target: usize, org_unit: usize) -> &[MeasureSeries] {
        self.groups.get(&(target, org_unit)).map_or(&[], |g| g.measures.as_slice())
    }
}

/// Goals the plan office has set for org units other than the city (目标分解), by target id
/// and unit name.
pub type Decompositions = HashMap<(String, String), Goal>;

/// One evaluated (target, org unit).
#[derive(Clone, Debug)]
pub struct Row<'a> {
    pub target: &'a Target,
    pub org_unit: &'a str,
    pub evaluation: Evaluation,
}

/// Evaluates every target at `at`: for the city always (so a target without data shows as
/// such), and for every other unit that has data for it. Rows come in plan order, then in
/// org-unit order.
pub fn evaluate_plan<'a>(
    plan: &'a Plan,
    org_units: &'a OrgUnits,
    observations: &Observations,
    decompositions: &Decompositions,
    at: Period,
) -> Vec<Row<'a>> {
    let city = org_units.position(&org_units.city().name).unwrap_or_default();
    let baseline_year = plan.meta.baseline_year;
    let mut rows = Vec::with_capacity(plan.targets.len() * 2);
    for (t, target) in plan.targets.iter().enumerate() {
        let mut units: Vec<usize> = observations.units_with_data(t).filter(|u| *u != city).collect();
        units.sort_unstable();
        for unit in std::iter::once(city).chain(units) {
            let Some(org) = org_units.all().get(unit) else { continue };
            let points = observations.points(t, unit);
            let goal = if org.kind == OrgKind::City {
                goal_for_city(target, baseline_year)
            } else {
                let decomposed = decompositions.get(&(target.id.clone(), org.name.clone()));
                let own_baseline =
                    baseline_from_points(points, target.baseline.as_ref().map_or(baseline_year, |b| b.year));
                goal_for_district(target, baseline_year, decomposed, own_baseline)
            };
            let subject = Subject { target, goal: &goal, points, measures: observations.measures(t, unit) };
            rows.push(Row { target, org_unit: &org.name, evaluation: evaluate(&subject, at) });
        }
    }
    rows
}

/// An evaluation as the CLI prints it and the API returns it. Fractions are fractions (0.738,
/// not 73.8); absent measures are `null`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Record {
    pub target_id: String,
    pub org_unit: String,
    pub period: String,
    pub value: Option<f64>,
    pub value_period: Option<String>,
    pub target_year: Option<i32>,
    pub target_value: Option<f64>,
    pub completion: Option<f64>,
    pub progress: Option<f64>,
    pub expected: Option<f64>,
    pub lag_pp: Option<f64>,
    pub actual_cagr: Option<f64>,
    pub required_cagr: Option<f64>,
    pub projected: Option<f64>,
    pub projection_ratio: Option<f64>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub explanation: String,
}

impl Record {
    pub fn from_row(row: &Row, lang: Lang) -> Record {
        let e = &row.evaluation;
        Record {
            target_id: row.target.id.clone(),
            org_unit: row.org_unit.to_string(),
            period: e.period.to_string(),
            value: e.value,
            value_period: e.value_period.map(|p| p.to_string()),
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
            status: e.status.code(),
            status_label: i18n::status_label(e.status, lang),
            explanation: i18n::explain(row.target, e, lang),
        }
    }
}
