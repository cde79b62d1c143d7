//! A target's goal as it applies to one org unit.
//!
//! The city's goal is the plan's. A district's is its decomposed goal (目标分解) where the plan
//! office has set one; otherwise, for rates and qualitative targets, the city's goal itself, and
//! for additive targets the city's path scaled by the district's share of the city baseline
//! (按基期比例分解). A district with neither has no goal: its values are shown, not judged.

use serde::Serialize;

use crate::period::Period;
use crate::plan::{Baseline, Goal, Milestone, Target};
use crate::units;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgGoal {
    /// Whether there is a goal to measure against at all.
    pub known: bool,
    /// The start of the path (end of the baseline year), in fractional years.
    pub start: f64,
    pub baseline: Option<Baseline>,
    pub path: Vec<Milestone>,
    pub annual: Option<f64>,
    pub due: Option<i32>,
}

impl OrgGoal {
    fn from_goal(goal: &Goal, baseline: Option<Baseline>, plan_baseline_year: i32) -> Self {
        let start = f64::from(baseline.as_ref().map_or(plan_baseline_year, |b| b.year)) + 1.0;
        let (path, annual, due) = match goal {
            Goal::Path(path) => (path.clone(), None, path.last().map(|m| m.year)),
            Goal::EveryYear { value, until } => (Vec::new(), Some(*value), *until),
            Goal::State { due } => (Vec::new(), None, *due),
        };
        OrgGoal { known: true, start, baseline, path, annual, due }
    }

    fn unknown(plan_baseline_year: i32) -> Self {
        OrgGoal {
            known: false,
            start: f64::from(plan_baseline_year) + 1.0,
            baseline: None,
            path: Vec::new(),
            annual: None,
            due: None,
        }
    }

    /// The target year measured against at `at`: the first not yet past, else the last.
    pub fn current(&self, at: Period) -> Option<Milestone> {
        self.path.iter().find(|m| m.year >= at.year()).or(self.path.last()).copied()
    }

    /// The path scaled by `factor` (a district's share of the city).
    fn scaled(mut self, factor: f64) -> Self {
        for milestone in &mut self.path {
            milestone.value *= factor;
        }
        self.annual = self.annual.map(|v| v * factor);
        self
    }
}

pub fn goal_for_city(target: &Target, plan_baseline_year: i32) -> OrgGoal {
    OrgGoal::from_goal(&target.goal, target.baseline.clone(), plan_baseline_year)
}

/// A district's goal. `decomposed` is the goal the plan office set for it, if any;
/// `baseline` the district's own value in the baseline year, if reported.
pub fn goal_for_district(
    target: &Target,
    plan_baseline_year: i32,
    decomposed: Option<&Goal>,
    baseline: Option<Baseline>,
) -> OrgGoal {
    if let Some(goal) = decomposed {
        return OrgGoal::from_goal(goal, baseline, plan_baseline_year);
    }
    if !target.kind.is_additive() || units::is_rate(&target.unit) {
        return OrgGoal::from_goal(&target.goal, baseline, plan_baseline_year);
    }
    match (baseline, &target.baseline) {
        (Some(own), Some(city)) if city.value > 0.0 && own.value >= 0.0 && own.year == city.year => {
            let factor = own.value / city.value;
            OrgGoal::from_goal(&target.goal, Some(own), plan_baseline_year).scaled(factor)
        }
        _ => OrgGoal::unknown(plan_baseline_year),
    }
}

/// A unit's own baseline: its value for the year `year` as a whole (the year, its Q4 or its
/// December), if reported.
pub fn baseline_from_points(points: &[super::Point], year: i32) -> Option<Baseline> {
    points
        .iter()
        .filter(|p| p.period.year() == year && p.period.closes_year() && p.value.is_finite())
        .max_by_key(|p| p.period.span_months())
        .map(|p| Baseline { value: p.value, year, source: format!("{}报送值", p.period) })
}

/// A target year where the goals set for districts do not add up to the city's goal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecompositionGap {
    pub target_id: String,
    pub unit: String,
    pub year: i32,
    pub city: f64,
    /// How many districts have a goal for the target.
    pub districts: usize,
    pub districts_total: f64,
}

/// Checks the decomposed goals of additive targets against the city's, year by year (zones
/// are inside districts and not counted). Rates apply to each district whole and are skipped.
pub fn decomposition_gaps(
    plan: &crate::plan::Plan,
    org_units: &crate::org::OrgUnits,
    decompositions: &super::Decompositions,
) -> Vec<DecompositionGap> {
    let mut gaps = Vec::new();
    for target in plan.targets.iter().filter(|t| t.kind.is_additive() && !units::is_rate(&t.unit)) {
        let district_goals: Vec<&Goal> = decompositions
            .iter()
            .filter(|((id, unit), _)| {
                *id == target.id && org_units.get(unit).is_some_and(|u| u.kind == crate::org::OrgKind::District)
            })
            .map(|(_, goal)| goal)
            .collect();
        if district_goals.is_empty() {
            continue;
        }
        for (year, city) in target.goal.stated().into_iter().filter_map(|(y, v)| Some((y, v?))) {
            let total: f64 =
                district_goals.iter().flat_map(|g| g.stated()).filter(|(y, _)| *y == year).filter_map(|(_, v)| v).sum();
            if (total - city).abs() > 0.005 * city.abs().max(1e-9) {
                gaps.push(DecompositionGap {
                    target_id: target.id.clone(),
                    unit: target.unit.clone(),
                    year: year.unwrap_or_default(),
                    city,
                    districts: district_goals.len(),
                    districts_total: total,
                });
            }
        }
    }
    gaps
}
