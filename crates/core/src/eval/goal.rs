//! A target's goal as it applies to one org unit (DESIGN §3A.11).
//!
//! The city's goal is the plan's. A district's is its decomposed goal (目标分解) where the plan
//! office has set one; otherwise, for additive targets, the city's goal × the district's share
//! of the city's baseline, rounded to the unit (按基期比例分解); for targets the plan office marks
//! 区县同标, the city's goal itself; else the district has no goal: shown, not judged.

use serde::Serialize;

use crate::period::Period;
use crate::plan::{Baseline, DistrictGoal, Goal, Milestone, Target};
use crate::units;

/// Where an org unit's goal comes from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalSource {
    /// The plan's own goal (the city).
    Plan,
    /// Set by the plan office for the unit (目标分解).
    Decomposed,
    /// The city's goal × the unit's share of the city's baseline.
    Share(f64),
    /// The city's goal itself (区县同标).
    SameAsCity,
    /// None: 目标未分解.
    Undecomposed,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
/// A target's goal as it applies to one org unit.
pub struct OrgGoal {
    /// Where the goal comes from (the plan, a decomposed goal, the city's share …).
    pub source: GoalSource,
    /// The plan's baseline year: the baseline period, where a unit's baseline is its value.
    pub baseline_year: i32,
    /// The plan's stated baseline; the city's only.
    pub plan_baseline: Option<Baseline>,
    /// The milestones to reach, by year.
    pub path: Vec<Milestone>,
    /// For goals kept every year: the yearly value.
    pub annual: Option<f64>,
    /// The last year a yearly goal holds.
    pub until: Option<i32>,
    /// For a state to reach: the year it is due.
    pub due: Option<i32>,
}

impl OrgGoal {
    fn from_goal(goal: &Goal, source: GoalSource, baseline_year: i32, plan_baseline: Option<Baseline>) -> Self {
        let (path, annual, until, due) = match goal {
            Goal::Path(path) => (path.clone(), None, None, path.last().map(|m| m.year)),
            Goal::EveryYear { value, until } => (Vec::new(), Some(*value), *until, *until),
            Goal::State { due } => (Vec::new(), None, None, *due),
        };
        OrgGoal { source, baseline_year, plan_baseline, path, annual, until, due }
    }

    fn undecomposed(baseline_year: i32) -> Self {
        OrgGoal {
            source: GoalSource::Undecomposed,
            baseline_year,
            plan_baseline: None,
            path: Vec::new(),
            annual: None,
            until: None,
            due: None,
        }
    }

    /// Whether there is a goal to measure against at all.
    pub fn known(&self) -> bool {
        self.source != GoalSource::Undecomposed
    }

    /// The target year measured against at `at`: the first not yet past, else the last.
    pub fn current(&self, at: Period) -> Option<Milestone> {
        self.path.iter().find(|m| m.year >= at.year()).or(self.path.last()).copied()
    }

    /// The path scaled by `share` and rounded to the unit (whole 家/个 for counts).
    fn shared(mut self, share: f64, unit: &str) -> Self {
        let round = |value: f64| units::round_like(value, unit);
        for milestone in &mut self.path {
            milestone.value = round(milestone.value * share);
        }
        self.annual = self.annual.map(|v| round(v * share));
        self.source = GoalSource::Share(share);
        self
    }
}

/// The city's goal: the plan's own.
pub fn goal_for_city(target: &Target, baseline_year: i32) -> OrgGoal {
    OrgGoal::from_goal(&target.goal, GoalSource::Plan, baseline_year, target.baseline.clone())
}

/// A district's goal. `decomposed` is the goal the plan office set for it, if any; `shares`
/// the district's and the city's values at the baseline period, where both are known.
pub fn goal_for_district(
    target: &Target,
    baseline_year: i32,
    decomposed: Option<&Goal>,
    shares: Option<(f64, f64)>,
) -> OrgGoal {
    if let Some(goal) = decomposed {
        return OrgGoal::from_goal(goal, GoalSource::Decomposed, baseline_year, None);
    }
    match target.district_goal {
        DistrictGoal::Same => OrgGoal::from_goal(&target.goal, GoalSource::SameAsCity, baseline_year, None),
        DistrictGoal::Share => match shares {
            // A district with nothing at the baseline gets no share of the goal.
            Some((own, city)) if own > 0.0 && city > 0.0 => {
                OrgGoal::from_goal(&target.goal, GoalSource::Plan, baseline_year, None).shared(own / city, &target.unit)
            }
            _ => OrgGoal::undecomposed(baseline_year),
        },
        DistrictGoal::Undecomposed => OrgGoal::undecomposed(baseline_year),
    }
}

/// A target year where the goals set for districts do not add up to the city's goal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecompositionGap {
    /// The target's id.
    pub target_id: String,
    /// The target's unit.
    pub unit: String,
    /// The target year.
    pub year: i32,
    /// The city's goal for that year.
    pub city: f64,
    /// How many districts have a goal for the target.
    pub districts: usize,
    /// The sum of the districts' goals.
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
    for target in plan.targets.iter().filter(|t| t.district_goal == DistrictGoal::Share) {
        let district_goals: Vec<&Goal> = decompositions
            .of_target(&crate::plan::TargetId::new(&target.id))
            .filter(|(unit, _)| org_units.get(unit.as_str()).is_some_and(|u| u.kind == crate::org::OrgKind::District))
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
