//! A unit's values of one target as the engine reads them: only periods of the target's
//! frequency, in order; the latest by a period; the baseline (DESIGN §3A.3).

use super::{BaselineSource, BaselineUsed, Evaluation, Note, OrgGoal, Point};
use crate::period::Period;
use crate::plan::{Basis, Frequency, Milestone, Target};

/// Values of one frequency, ordered by period, finite.
pub(super) struct Series {
    pub points: Vec<Point>,
    pub frequency: Frequency,
    /// The last period whose values were due by the evaluation's clock, if it has one.
    due_by: Option<Period>,
}

impl Series {
    /// Values of another frequency cannot be compared with these (they are refused at every
    /// entry path; old data under an earlier plan version may still hold some) and are left out.
    pub fn new(points: &[Point], frequency: Frequency, due_by: Option<Period>) -> Series {
        let mut points: Vec<Point> =
            points.iter().filter(|p| frequency.fits(p.period) && p.value.is_finite()).copied().collect();
        points.sort_by(|a, b| a.period.cmp(&b.period).then(a.value.total_cmp(&b.value)));
        points.dedup_by_key(|p| p.period);
        Series { points, frequency, due_by }
    }

    /// The latest value whose period has ended by the end of `at`.
    pub fn latest_by(&self, at: Period) -> Option<Point> {
        self.points.iter().rev().find(|p| p.period.end_month_index() <= at.end_month_index()).copied()
    }

    /// The value for exactly `period`.
    pub fn at(&self, period: Period) -> Option<Point> {
        self.points.iter().find(|p| p.period == period).copied()
    }

    /// The value that closes `year` (December, Q4 or the year), if reported by `at`.
    pub fn closing(&self, year: i32, at: Period) -> Option<Point> {
        let closing = self.frequency.closing(year);
        (closing.end_month_index() <= at.end_month_index()).then(|| self.at(closing)).flatten()
    }

    /// Whether the latest value by `at` is older than the last period whose values were due
    /// (DESIGN §3A.5): the last period ended by `at`, or earlier if the evaluation's clock says
    /// its due date has not passed yet.
    pub fn is_stale(&self, latest: Point, at: Period) -> bool {
        let ended = self.frequency.last_ended_by(at);
        let due = self.due_by.map_or(ended, |due| due.min(ended));
        latest.period.end_month_index() < due.end_month_index()
    }

    /// The value just before `point`.
    pub fn before(&self, point: Point) -> Option<Point> {
        self.points.iter().rev().find(|p| p.period < point.period).copied()
    }
}

/// The baseline (DESIGN §3A.3): zero at the start for additions since a start month; a counted
/// target's count at the baseline date; the plan's; else the value at the plan's baseline
/// period; else the first value reported after it. `None` when nothing qualifies yet. The
/// evaluation records it, with a note where it was derived or disagrees with the plan.
pub(super) fn baseline(
    target: &Target,
    goal: &OrgGoal,
    series: &Series,
    eval: &mut Evaluation,
) -> Option<BaselineUsed> {
    let base = resolve(target, goal, series)?;
    if base.plan_value.is_some() {
        eval.note(Note::BaselineMismatch);
    }
    if base.source != BaselineSource::Plan
        && base.period != series.frequency.closing(goal.baseline_year)
        && goal.plan_baseline.is_none()
    {
        eval.note(Note::FirstValueAsBaseline);
    }
    eval.baseline = Some(base);
    Some(base)
}

fn resolve(target: &Target, goal: &OrgGoal, series: &Series) -> Option<BaselineUsed> {
    if let Basis::SinceStart(start) = target.basis {
        return Some(BaselineUsed {
            value: 0.0,
            period: start.previous(),
            source: BaselineSource::Plan,
            plan_value: None,
        });
    }
    let frequency = series.frequency;
    let reported = if target.count.is_some() { BaselineSource::Counted } else { BaselineSource::Reported };
    let plan = goal.plan_baseline.as_ref();
    if target.count.is_some() {
        let period = frequency.closing(plan.map_or(goal.baseline_year, |b| b.year));
        if let Some(count) = series.at(period) {
            let plan_value = plan.map(|b| b.value).filter(|v| (v - count.value).abs() > 1e-9 * v.abs().max(1.0));
            return Some(BaselineUsed { value: count.value, period, source: reported, plan_value });
        }
    }
    if let Some(b) = plan {
        return Some(BaselineUsed {
            value: b.value,
            period: Period::Year(b.year),
            source: BaselineSource::Plan,
            plan_value: None,
        });
    }
    let baseline_period = frequency.closing(goal.baseline_year);
    // A flow's baseline is a whole year, so that years compare with years.
    let qualifies = |p: &&Point| target.basis != Basis::Ytd || p.period.closes_year();
    series.points.iter().filter(|p| p.period >= baseline_period).find(qualifies).map(|p| BaselineUsed {
        value: p.value,
        period: p.period,
        source: reported,
        plan_value: None,
    })
}

/// The value the plan's path expects at month `t`: linear from the baseline `(t0, start_value)`
/// to the first target year, then from each target year to the next.
pub fn expected_value(start_value: f64, t0: i64, path: &[Milestone], t: i64) -> f64 {
    let mut from = (t0, start_value);
    for milestone in path {
        let to = (year_end(milestone.year), milestone.value);
        if t <= to.0 {
            if t <= from.0 || to.0 <= from.0 {
                return from.1;
            }
            return from.1 + (to.1 - from.1) * (t - from.0) as f64 / (to.0 - from.0) as f64;
        }
        from = to;
    }
    from.1
}

/// The month index of the end of `year`.
pub(super) fn year_end(year: i32) -> i64 {
    Period::Year(year).end_month_index()
}
