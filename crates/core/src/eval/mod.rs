//! The evaluation engine (DESIGN §3 and §3A): for one target, one org unit and one period, how
//! far along it is, whether it will make it, and why.
//!
//! Everything here is a pure function of its inputs. No measure is ever NaN or infinite: a
//! measure that cannot be computed is `None`, and [`Evaluation::notes`] says why, so the
//! explanation sentence can say it too.
//!
//! Time is counted in months (a period's end as a month index) so that "a year of history" and
//! "at or before the baseline" are exact; rates convert to years only where growth is
//! annualised.

mod batch;
mod goal;
mod path;
mod series;
mod state;
mod status;
mod yearly;

pub use batch::{Decompositions, EvalRecord, Observations, Row, evaluate_plan};
pub use goal::{DecompositionGap, GoalSource, OrgGoal, decomposition_gaps, goal_for_city, goal_for_district};
pub use series::expected_value;
pub use state::MILESTONE_DONE;
pub use status::{Status, StatusCounts};

use serde::Serialize;

use crate::period::Period;
use crate::plan::{Basis, Comparator, Direction, Kind, Target};
use crate::units;

/// One observed value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    /// The period the value describes.
    pub period: Period,
    /// The value, in the target's unit.
    pub value: f64,
}

/// The observed series of one measure of a `direction` target.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasureSeries {
    /// The measure's key (as in the plan file).
    pub key: String,
    /// Its values, ordered by period.
    pub points: Vec<Point>,
}

/// What the engine evaluates: a target as it applies to one org unit, and that unit's data.
pub struct Subject<'a> {
    /// The target.
    pub target: &'a Target,
    /// The target's goal for this org unit.
    pub goal: &'a OrgGoal,
    /// The unit's values of the target's frequency, ordered by period.
    pub points: &'a [Point],
    /// For `direction` targets with measures: one series per measure.
    pub measures: &'a [MeasureSeries],
    /// Periods whose value is the sum of the districts' values rather than a report (由区县合计).
    pub summed: &'a [Period],
    /// The last period of the target's frequency whose values were due when the evaluation was
    /// made; `None` when every period ended by the evaluation period counts as due.
    pub due_by: Option<Period>,
}

/// The last period of each frequency whose values were due by the evaluation's clock (§3A.5): a
/// latest value older than that is not updated (`stale`). Without a clock (a file evaluated at
/// a period, the past), every period that has ended by the evaluation period is due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DueBy {
    /// The last month due.
    pub month: Option<Period>,
    /// The last quarter due.
    pub quarter: Option<Period>,
    /// The last year due.
    pub year: Option<Period>,
}

impl DueBy {
    /// The last period due of `frequency`.
    pub fn of(&self, frequency: crate::plan::Frequency) -> Option<Period> {
        match frequency {
            crate::plan::Frequency::Month => self.month,
            crate::plan::Frequency::Quarter => self.quarter,
            crate::plan::Frequency::Year => self.year,
        }
    }
}

/// A fact the explanation must mention, or why a measure is absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    /// The district has no goal: none decomposed, and none derivable (目标未分解).
    NoGoal,
    /// No baseline in the plan and no value at the baseline period: the first value reported
    /// is the baseline (基期取首次报送值).
    FirstValueAsBaseline,
    /// The count at the baseline date differs from the plan's baseline (基期核对不一致).
    BaselineMismatch,
    /// Less than a year between the baseline and the latest value: no growth rate, the status
    /// comes from the lag behind 序时进度.
    ShortHistory,
    /// Every value is at or before the baseline: nothing has been reported for the plan period.
    OnlyBaseline,
    /// The target year has ended but its final value (December, Q4 or the year) is missing.
    AwaitingYearData,
    /// A 1–N月 value: the year's total is estimated from last year's (全年预计).
    YearEstimated,
    /// A 1–N月 value with no same period last year: the last complete year is evaluated.
    YearStillOpen,
    /// A 1–N月 value with nothing to compare it with yet.
    NotComparable,
    /// An annual target with no value yet in the year evaluated.
    NoDataThisYear,
    /// A batch event (`pace = "year_end"`): judged at the year's end only.
    JudgedAtYearEnd,
    /// A `zero` target that was cleared and has an amount outstanding again.
    Relapse,
    /// The value is the sum of the districts' (由区县合计).
    SummedFromDistricts,
    /// The last target year has passed: the status is final.
    Final,
}

impl Note {
    /// The code stored and sent over the API.
    pub fn code(self) -> &'static str {
        match self {
            Note::NoGoal => "no_goal",
            Note::FirstValueAsBaseline => "first_value_as_baseline",
            Note::BaselineMismatch => "baseline_mismatch",
            Note::ShortHistory => "short_history",
            Note::OnlyBaseline => "only_baseline",
            Note::AwaitingYearData => "awaiting_year_data",
            Note::YearEstimated => "year_estimated",
            Note::YearStillOpen => "year_still_open",
            Note::NotComparable => "not_comparable",
            Note::NoDataThisYear => "no_data_this_year",
            Note::JudgedAtYearEnd => "judged_at_year_end",
            Note::Relapse => "relapse",
            Note::SummedFromDistricts => "summed_from_districts",
            Note::Final => "final",
        }
    }
}

/// Where a baseline comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineSource {
    /// Stated in the plan file (or zero at the start, for additions since a start month).
    Plan,
    /// A reported value: at the plan's baseline period, or the first one reported.
    Reported,
    /// Counted from the four lists at the baseline date.
    Counted,
}

/// The baseline an evaluation measures from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BaselineUsed {
    /// The baseline value.
    pub value: f64,
    /// The period it describes; its end is `t0`.
    pub period: Period,
    /// Where it comes from.
    pub source: BaselineSource,
    /// The plan's own baseline, where a counted one disagrees with it.
    pub plan_value: Option<f64>,
}

/// A finished target year (or, for targets kept every year, any finished year): met or not.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearResult {
    /// The target year.
    pub year: i32,
    /// The goal of that year, where the year has one.
    pub goal: Option<f64>,
    /// The value the year ended with.
    pub value: Option<f64>,
    /// Whether the goal was met.
    pub met: bool,
}

/// A 1–N月 flow's year, as compared with an annual goal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearFigure {
    /// The year.
    pub year: i32,
    /// The year's total, or its estimate.
    pub value: f64,
    /// Whether `value` is an estimate (the year is not over).
    pub estimated: bool,
    /// 同比: this year's 1–N月 against last year's, where both are known.
    pub yoy: Option<f64>,
}

/// One measure of a `direction` target against the previous year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Move {
    /// The measure's key.
    pub key: String,
    /// This year's value.
    pub value: f64,
    /// The previous year's value.
    pub previous: f64,
    /// The period of `value`.
    pub period: Period,
    /// Whether it moved in the target's direction.
    pub improved: bool,
    /// Worse than a year before by more than the target's tolerance.
    pub moved_away: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
/// What the engine says about one target for one org unit at one period.
pub struct Evaluation {
    /// The period evaluated.
    pub period: Period,
    /// The latest value reported by `period` (for a 1–N月 flow, the 1–N月 value).
    pub value: Option<f64>,
    /// The period of `value`.
    pub data_period: Option<Period>,
    /// The latest value is older than the last period that had ended by `period`.
    pub stale: bool,
    /// The baseline measured from.
    pub baseline: Option<BaselineUsed>,
    /// The target year and value this evaluation measures against.
    pub target_year: Option<i32>,
    /// The goal of `target_year`.
    pub target_value: Option<f64>,
    /// 完成率: the figure compared ÷ the goal (never for an estimate).
    pub completion: Option<f64>,
    /// 目标进度: the share of the way from the baseline to the goal covered.
    pub progress: Option<f64>,
    /// 序时进度: the share the plan's path expects by now, on the same scale.
    pub expected: Option<f64>,
    /// 差距: `(progress − expected) × 100`; for a threshold, the margin to its line.
    pub lag_pp: Option<f64>,
    /// The growth rate per year since the baseline (CAGR).
    pub actual_cagr: Option<f64>,
    /// The period the actual growth rate is measured from.
    pub cagr_since: Option<Period>,
    /// The growth rate per year needed from now to meet the goal.
    pub required_cagr: Option<f64>,
    /// The value projected for the target year at the actual growth rate.
    pub projected: Option<f64>,
    /// `projected` ÷ the goal.
    pub projection_ratio: Option<f64>,
    /// For a 1–N月 flow: the year compared with the goal.
    pub year_figure: Option<YearFigure>,
    /// The verdict.
    pub status: Status,
    /// For `direction` targets: each measure against the previous year.
    pub moves: Vec<Move>,
    /// Every finished target year: met or not.
    pub year_results: Vec<YearResult>,
    /// The facts the explanation states.
    pub notes: Vec<Note>,
}

impl Evaluation {
    fn empty(period: Period) -> Self {
        Evaluation {
            period,
            value: None,
            data_period: None,
            stale: false,
            baseline: None,
            target_year: None,
            target_value: None,
            completion: None,
            progress: None,
            expected: None,
            lag_pp: None,
            actual_cagr: None,
            cagr_since: None,
            required_cagr: None,
            projected: None,
            projection_ratio: None,
            year_figure: None,
            status: Status::NoData,
            moves: Vec::new(),
            year_results: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn note(&mut self, note: Note) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Whether the evaluation notes `note`.
    pub fn has(&self, note: Note) -> bool {
        self.notes.contains(&note)
    }

    /// The finished target years whose goal was missed.
    pub fn missed_years(&self) -> impl Iterator<Item = &YearResult> {
        self.year_results.iter().filter(|r| !r.met)
    }
}

/// Evaluates a subject at a period, from the observations whose period ends by then.
pub fn evaluate(subject: &Subject, at: Period) -> Evaluation {
    let mut eval = Evaluation::empty(at);
    let target = subject.target;
    if !subject.goal.known() {
        let series = series::Series::new(subject.points, target.frequency, subject.due_by);
        if let Some(latest) = series.latest_by(at) {
            eval.value = Some(latest.value);
            eval.data_period = Some(latest.period);
            eval.note(Note::NoGoal);
        }
        return eval;
    }
    match target.kind {
        Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Zero => path::evaluate(subject, at, &mut eval),
        Kind::Annual => yearly::evaluate_annual(subject, at, &mut eval),
        Kind::Threshold => yearly::evaluate_threshold(subject, at, &mut eval),
        Kind::Stable => state::evaluate_stable(subject, at, &mut eval),
        Kind::Milestone => state::evaluate_milestone(subject, at, &mut eval),
        Kind::Direction => state::evaluate_direction(subject, at, &mut eval),
    }
    if subject.summed.iter().any(|p| Some(*p) == eval.data_period) {
        eval.note(Note::SummedFromDistricts);
    }
    // Up to the start the plan itself states, there is nothing to report yet: 基期, not 无数据.
    if eval.status == Status::NoData && stated_start(subject).is_some_and(|t0| at.end_month_index() <= t0) {
        eval.status = Status::Baseline;
    }
    finite(eval)
}

/// The end of the baseline the plan itself states, if any: a start month for additions; its
/// baseline for a reported target; the plan's baseline year for milestones and directions.
fn stated_start(subject: &Subject) -> Option<i64> {
    let target = subject.target;
    match (target.basis, target.kind) {
        (Basis::SinceStart(start), _) => Some(start.previous().end_month_index()),
        (_, Kind::Milestone | Kind::Direction) => Some(Period::Year(subject.goal.baseline_year).end_month_index()),
        _ if target.count.is_none() => {
            subject.goal.plan_baseline.as_ref().map(|b| Period::Year(b.year).end_month_index())
        }
        _ => None,
    }
}

/// Whether `value` meets `goal` in `direction`, as the comparator reads it (DESIGN §3A.6):
/// 突破/超过 must pass the goal, 左右 meets at `1 − tolerance` of it, the others at the goal.
/// Comparisons allow a billionth of the goal for floating point.
pub fn meets(value: f64, goal: f64, target: &Target) -> bool {
    let d = target.direction.sign();
    let slack = 1e-9 * goal.abs().max(1.0);
    match target.comparator {
        Comparator::Exceed => (value - goal) * d > slack,
        Comparator::About => (value - goal * (1.0 - target.tolerance * d)) * d >= -slack,
        _ => (value - goal) * d >= -slack,
    }
}

/// How far a value must move against the target before it counts as moving away (§3A.7):
/// the target's tolerance of the reference (of the goal, when the reference is zero), and at
/// least one unit of a count.
fn band(target: &Target, reference: f64, goal: f64) -> f64 {
    let scale = if reference != 0.0 { reference.abs() } else { goal.abs() };
    let is_count = units::is_count(&target.unit);
    let relative = target.tolerance * scale;
    if is_count { relative.max(1.0) } else { relative }
}

/// Whether `value` has moved from `reference` against the target's direction by more than the
/// band: moving away, as opposed to standing still (停滞).
fn moved_away(target: &Target, value: f64, reference: f64, goal: f64) -> bool {
    (value - reference) * target.direction.sign() < -band(target, reference, goal)
}

/// Compound annual growth from `from` at month `t0` to `to` at month `t`; needs two positive
/// values at least a year apart.
fn cagr(from: f64, t0: i64, to: f64, t: i64) -> Option<f64> {
    let years = (t - t0) as f64 / 12.0;
    let rate = (from > 0.0 && to > 0.0 && t - t0 >= 12).then(|| (to / from).powf(1.0 / years) - 1.0);
    rate.filter(|r| r.is_finite())
}

/// 完成率 as reports quote it: the share of the target reached. For lower-is-better targets the
/// ratio is inverted, so that 100% still means "met".
fn completion(value: f64, goal: f64, direction: Direction) -> Option<f64> {
    match direction {
        Direction::Up => (goal != 0.0).then(|| value / goal),
        Direction::Down => (value > 0.0 && goal > 0.0).then(|| goal / value),
    }
}

/// The last line of defence of the no-NaN invariant: a measure that came out non-finite (an
/// overflow on absurd input) is dropped rather than shown. Ratios beyond a billion-fold are
/// dropped too: no report can print them meaningfully, and as percentages they would overflow.
fn finite(mut eval: Evaluation) -> Evaluation {
    const RATIO_LIMIT: f64 = 1e9;
    for amount in [&mut eval.value, &mut eval.target_value, &mut eval.projected] {
        if amount.is_some_and(|m| !m.is_finite()) {
            *amount = None;
        }
    }
    for ratio in [
        &mut eval.completion,
        &mut eval.progress,
        &mut eval.expected,
        &mut eval.lag_pp,
        &mut eval.actual_cagr,
        &mut eval.required_cagr,
        &mut eval.projection_ratio,
    ] {
        if ratio.is_some_and(|r| !r.is_finite() || r.abs() > RATIO_LIMIT) {
            *ratio = None;
        }
    }
    if let Some(figure) = &mut eval.year_figure
        && (!figure.value.is_finite() || figure.yoy.is_some_and(|y| !y.is_finite() || y.abs() > RATIO_LIMIT))
    {
        eval.year_figure = None;
    }
    eval
}

#[cfg(test)]
mod tests;
