//! The evaluation engine (DESIGN §3): for one target, one org unit and one period, how far
//! along it is, whether it will make it, and why.
//!
//! Everything here is a pure function of its inputs. No measure is ever NaN or infinite: a
//! measure that cannot be computed is `None`, and [`Evaluation::notes`] says why, so the
//! explanation sentence can say it too.

mod batch;
mod goal;
mod status;

pub use batch::{Decompositions, Observations, Record, Row, evaluate_plan};
pub use goal::{DecompositionGap, OrgGoal, baseline_from_points, decomposition_gaps, goal_for_city, goal_for_district};
pub use status::{Status, StatusCounts};

use serde::Serialize;

use crate::period::Period;
use crate::plan::{Comparator, Direction, Kind, StatusRule, Target};

/// One observed value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    pub period: Period,
    pub value: f64,
}

/// The observed series of one measure of a `direction` target.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasureSeries {
    pub key: String,
    pub points: Vec<Point>,
}

/// What the engine evaluates: a target as it applies to one org unit, and that unit's data.
pub struct Subject<'a> {
    pub target: &'a Target,
    pub goal: &'a OrgGoal,
    pub points: &'a [Point],
    /// For `direction` targets with measures: one series per measure.
    pub measures: &'a [MeasureSeries],
}

/// Why a measure is absent, or a fact the explanation must mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    BaselineUnknown,
    /// No baseline: the first observation stands in for it.
    FirstObservationAsReference,
    /// A CAGR needs two positive values at different times.
    TooFewPoints,
    PastDue,
    /// The district has no goal of its own and no baseline to scale the city's by.
    NoGoal,
    /// The latest value is of an earlier year than the period asked for (annual targets).
    EarlierYear,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub period: Period,
    pub value: Option<f64>,
    pub value_period: Option<Period>,
    /// The target year and value this evaluation measures against.
    pub target_year: Option<i32>,
    pub target_value: Option<f64>,
    pub completion: Option<f64>,
    pub progress: Option<f64>,
    pub expected: Option<f64>,
    pub lag_pp: Option<f64>,
    pub actual_cagr: Option<f64>,
    /// The first year of the span the actual CAGR covers.
    pub cagr_since: Option<i32>,
    pub required_cagr: Option<f64>,
    pub projected: Option<f64>,
    pub projection_ratio: Option<f64>,
    pub status: Status,
    /// For `direction` targets: each measure's key and whether it moved the right way.
    pub moves: Vec<(String, bool)>,
    /// For `annual` targets: each finished year and whether it met the target.
    pub years_met: Vec<(i32, bool)>,
    pub notes: Vec<Note>,
}

impl Evaluation {
    fn empty(period: Period) -> Self {
        Evaluation {
            period,
            value: None,
            value_period: None,
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
            status: Status::NoData,
            moves: Vec::new(),
            years_met: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn note(&mut self, note: Note) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// Evaluates a subject at a period, from the observations whose period ends by then.
pub fn evaluate(subject: &Subject, at: Period) -> Evaluation {
    let mut eval = Evaluation::empty(at);
    let target = subject.target;
    if target.kind == Kind::Direction {
        evaluate_direction(subject, at, &mut eval);
        return finite(eval);
    }
    let Some(latest) = latest_by(subject.points, at) else {
        return eval;
    };
    eval.value = Some(latest.value);
    eval.value_period = Some(latest.period);
    if !subject.goal.known {
        eval.note(Note::NoGoal);
        return eval;
    }
    match target.kind {
        Kind::Level | Kind::Cumulative | Kind::Zero | Kind::Increment => evaluate_path(subject, latest, at, &mut eval),
        Kind::Annual => evaluate_annual(subject, latest, at, &mut eval),
        Kind::Threshold => evaluate_threshold(subject, latest, at, &mut eval),
        Kind::Stable => evaluate_stable(subject, latest, &mut eval),
        Kind::Milestone => evaluate_milestone(subject, latest, at, &mut eval),
        Kind::Direction => unreachable!("handled above"),
    }
    finite(eval)
}

/// The observation with the latest period ending by `at`. Ties between periods ending at the
/// same month (2026Q2 and 2026-06) go to the finer period, then to the larger value, so that
/// the result never depends on the order of the input.
fn latest_by(points: &[Point], at: Period) -> Option<Point> {
    let limit = at.end_month_index();
    points
        .iter()
        .filter(|p| p.period.end_month_index() <= limit && p.value.is_finite())
        .max_by(|a, b| {
            a.period
                .end_month_index()
                .cmp(&b.period.end_month_index())
                .then_with(|| b.period.span_months().cmp(&a.period.span_months()))
                .then_with(|| a.value.total_cmp(&b.value))
        })
        .copied()
}

/// Whether `value` meets `goal` in `direction`, as the comparator reads it.
fn meets(value: f64, goal: f64, direction: Direction, comparator: Comparator, rule: &StatusRule) -> bool {
    let d = direction.sign();
    match comparator {
        Comparator::Exceed => (value - goal) * d > 0.0,
        Comparator::About => (value - goal) * d >= -rule.about_tolerance * goal.abs(),
        _ => (value - goal) * d >= 0.0,
    }
}

/// The point a growth rate is measured from: the baseline when it is known, else the first
/// positive observation before `latest`.
fn growth_start(subject: &Subject, latest: Point) -> Option<(f64, f64, i32)> {
    if let Some(b) = &subject.goal.baseline {
        return Some((b.value, f64::from(b.year) + 1.0, b.year));
    }
    subject
        .points
        .iter()
        .filter(|p| p.period.end() < latest.period.end() && p.value > 0.0 && p.value.is_finite())
        .min_by(|a, b| a.period.end().total_cmp(&b.period.end()).then_with(|| a.value.total_cmp(&b.value)))
        .map(|p| (p.value, p.period.end(), p.period.year()))
}

/// Compound annual growth from `from` at `t0` to `to` at `t`; needs two positive values.
fn cagr(from: f64, t0: f64, to: f64, t: f64) -> Option<f64> {
    let rate = (from > 0.0 && to > 0.0 && t > t0).then(|| (to / from).powf(1.0 / (t - t0)) - 1.0);
    rate.filter(|r| r.is_finite())
}

/// Level, cumulative, increment and zero targets: progress along the path from the baseline
/// through each target year.
fn evaluate_path(subject: &Subject, latest: Point, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let goal = subject.goal;
    let path = goal.path.as_slice();
    let Some(current) = goal.current(at) else { return };
    let (v, t) = (latest.value, latest.period.end());
    let t0 = goal.start;
    let t_due = f64::from(current.year) + 1.0;
    let increment = target.kind == Kind::Increment;
    let zero = target.kind == Kind::Zero;
    eval.target_year = Some(current.year);
    eval.target_value = Some(current.value);

    // The reference the gap is measured from: the baseline; nothing for increments, which count
    // from zero; for a zero target without baseline, the first observation.
    let reference = match (&goal.baseline, increment, zero) {
        (_, true, _) => Some(0.0),
        (Some(b), _, _) => Some(b.value),
        (None, _, true) => {
            let first = growth_start(subject, latest).map(|(value, _, _)| value);
            if first.is_some() {
                eval.note(Note::FirstObservationAsReference);
            }
            first
        }
        (None, _, false) => {
            eval.note(Note::BaselineUnknown);
            Some(0.0)
        }
    };

    eval.completion = completion(v, current.value, target.direction);
    if let Some(b) = reference {
        let span = current.value - b;
        if span != 0.0 {
            eval.progress = Some((v - b) / span).filter(|p| p.is_finite());
            eval.expected = Some((expected_value(b, t0, path, t) - b) / span).filter(|e| e.is_finite());
        }
    }
    if let (Some(p), Some(tau)) = (eval.progress, eval.expected) {
        eval.lag_pp = Some((p - tau) * 100.0);
    }

    let past_due = at.year() > current.year;
    if past_due {
        eval.note(Note::PastDue);
    }
    if increment {
        // Additions accumulate: project them at the pace kept since the baseline.
        if t > t0 && !past_due {
            let projected = v * (t_due - t0) / (t - t0);
            eval.projected = Some(projected).filter(|p| p.is_finite());
            eval.projection_ratio = eval.projected.filter(|_| current.value != 0.0).map(|p| p / current.value);
        }
    } else {
        if let Some((from, t_from, year_from)) = growth_start(subject, latest) {
            eval.actual_cagr = cagr(from, t_from, v, t);
            eval.cagr_since = eval.actual_cagr.map(|_| year_from);
        }
        if eval.actual_cagr.is_none() {
            eval.note(Note::TooFewPoints);
        }
        if !past_due {
            eval.required_cagr = cagr(v, t, current.value, t_due);
            if let Some(g) = eval.actual_cagr
                && t_due >= t
            {
                let projected = Some(v * (1.0 + g).powf(t_due - t)).filter(|p| p.is_finite());
                eval.projected = projected;
                if let (Some(projected), Some(b)) = (projected, reference)
                    && current.value != b
                {
                    eval.projection_ratio = Some((projected - b) / (current.value - b)).filter(|r| r.is_finite());
                }
            }
        }
    }

    eval.status = if meets(v, current.value, target.direction, target.comparator, &target.rule) {
        Status::Achieved
    } else if past_due {
        if eval.progress.is_some_and(|p| p < 0.0) { Status::MovingAway } else { Status::OffTrack }
    } else if let Some(r) = eval.projection_ratio {
        status::from_projection(r, &target.rule)
    } else if eval.progress.is_some_and(|p| p < 0.0) {
        // Behind the starting point: the same verdict a projection would give.
        Status::MovingAway
    } else if let Some(lag) = eval.lag_pp {
        status::from_lag(lag, &target.rule)
    } else {
        // Without a reference the gap cannot be measured: say only that it is not yet met.
        Status::NeedsAcceleration
    };
}

/// 完成率 as reports quote it: the share of the target reached. For lower-is-better targets the
/// ratio is inverted, so that 100% still means "met".
fn completion(value: f64, goal: f64, direction: Direction) -> Option<f64> {
    match direction {
        Direction::Up => (goal != 0.0).then(|| value / goal),
        Direction::Down => (value > 0.0 && goal > 0.0).then(|| goal / value),
    }
}

/// The value the plan's path expects at time `t`: linear from the baseline to the first target
/// year, then from each target year to the next.
pub fn expected_value(start_value: f64, start: f64, path: &[crate::plan::Milestone], t: f64) -> f64 {
    let mut from = (start, start_value);
    for milestone in path {
        let to = (f64::from(milestone.year) + 1.0, milestone.value);
        if t <= to.0 {
            if t <= from.0 || to.0 <= from.0 {
                return from.1;
            }
            return from.1 + (to.1 - from.1) * (t - from.0) / (to.0 - from.0);
        }
        from = to;
    }
    from.1
}

/// Annual targets: 1–N月累计 within the year against the year's target, 序时进度 N/12.
fn evaluate_annual(subject: &Subject, latest: Point, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let Some(goal) = subject.goal.annual else { return };
    let year = latest.period.year();
    if year < at.year() {
        eval.note(Note::EarlierYear);
    }
    eval.target_year = Some(year);
    eval.target_value = Some(goal);
    let v = latest.value;
    eval.completion = completion(v, goal, target.direction);
    eval.progress = eval.completion;
    let expected = f64::from(latest.period.months_elapsed()) / 12.0;
    eval.expected = Some(expected);
    eval.lag_pp = eval.progress.map(|p| (p - expected) * 100.0);
    eval.years_met = finished_years(subject.points, at)
        .into_iter()
        .map(|(y, value)| (y, meets(value, goal, target.direction, target.comparator, &target.rule)))
        .collect();
    eval.status = if meets(v, goal, target.direction, target.comparator, &target.rule) {
        Status::Achieved
    } else if latest.period.closes_year() {
        Status::OffTrack
    } else {
        eval.lag_pp.map_or(Status::NeedsAcceleration, |lag| status::from_lag(lag, &target.rule))
    };
}

/// The full-year value of every year whose last period has been observed by `at`.
fn finished_years(points: &[Point], at: Period) -> Vec<(i32, f64)> {
    let mut years: Vec<(i32, f64)> = Vec::new();
    for year in points.iter().filter(|p| p.period.closes_year()).map(|p| p.period.year()) {
        if years.iter().any(|(y, _)| *y == year) {
            continue;
        }
        let closing =
            if Period::Year(year).end_month_index() <= at.end_month_index() { Period::Year(year) } else { at };
        if let Some(p) = latest_by(points, closing).filter(|p| p.period.year() == year && p.period.closes_year()) {
            years.push((year, p.value));
        }
    }
    years.sort_by_key(|(y, _)| *y);
    years
}

/// Threshold targets: met or not, with the margin in the target's unit (percentage points for
/// rates).
fn evaluate_threshold(subject: &Subject, latest: Point, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let Some(current) = subject.goal.current(at) else { return };
    let d = target.direction.sign();
    let v = latest.value;
    eval.target_year = Some(current.year);
    eval.target_value = Some(current.value);
    eval.completion = completion(v, current.value, target.direction);
    let margin = (v - current.value) * d;
    eval.lag_pp = Some(margin);
    let previous = previous_value(subject.points, latest);
    eval.status = if meets(v, current.value, target.direction, target.comparator, &target.rule) {
        Status::Achieved
    } else if previous.is_some_and(|p| (v - p) * d < 0.0) {
        Status::MovingAway
    } else if margin >= -target.rule.threshold_margin {
        Status::NeedsAcceleration
    } else {
        Status::OffTrack
    };
}

/// The observation just before `latest`.
fn previous_value(points: &[Point], latest: Point) -> Option<f64> {
    points
        .iter()
        .filter(|p| p.period.end_month_index() < latest.period.end_month_index() && p.value.is_finite())
        .max_by(|a, b| {
            a.period.end_month_index().cmp(&b.period.end_month_index()).then_with(|| a.value.total_cmp(&b.value))
        })
        .map(|p| p.value)
}

/// Stable targets: within a tolerance of the baseline; moving the good way is always fine.
fn evaluate_stable(subject: &Subject, latest: Point, eval: &mut Evaluation) {
    let target = subject.target;
    let reference = match &subject.goal.baseline {
        Some(b) => Some(b.value),
        None => {
            eval.note(Note::BaselineUnknown);
            let first = growth_start(subject, latest).map(|(value, _, _)| value);
            if first.is_some() {
                eval.note(Note::FirstObservationAsReference);
            }
            first
        }
    };
    let v = latest.value;
    eval.target_year = subject.goal.due;
    let Some(reference) = reference.filter(|r| *r != 0.0) else {
        // Nothing to compare with yet: the first value is, by definition, stable.
        eval.status = Status::OnTrack;
        return;
    };
    eval.target_value = Some(reference);
    eval.completion = Some(v / reference);
    let deviation = (v - reference) / reference.abs() * target.direction.sign();
    let tolerance = target.rule.stable_tolerance;
    eval.status = if deviation >= -tolerance {
        Status::Achieved
    } else if deviation >= -2.0 * tolerance {
        Status::NeedsAcceleration
    } else {
        Status::OffTrack
    };
}

/// Milestones: the reported share done (1 = done), against the time elapsed to the due year.
fn evaluate_milestone(subject: &Subject, latest: Point, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let v = latest.value;
    eval.target_year = subject.goal.due;
    eval.target_value = Some(1.0);
    eval.completion = Some(v.clamp(0.0, 1.0));
    eval.progress = eval.completion;
    if let Some(due) = subject.goal.due {
        let (t0, t_due, t) = (subject.goal.start, f64::from(due) + 1.0, latest.period.end());
        if t_due > t0 {
            let tau = ((t - t0) / (t_due - t0)).clamp(0.0, 1.0);
            eval.expected = Some(tau);
            eval.lag_pp = eval.progress.map(|p| (p - tau) * 100.0);
        }
    }
    let past_due = subject.goal.due.is_some_and(|due| at.year() > due);
    if past_due {
        eval.note(Note::PastDue);
    }
    eval.status = if v >= 1.0 {
        Status::Achieved
    } else if past_due {
        Status::OffTrack
    } else {
        eval.lag_pp.map_or(Status::OnTrack, |lag| status::from_lag(lag, &target.rule))
    };
}

/// Direction targets (双提升, 逐年提高): every measure against its value a year earlier.
fn evaluate_direction(subject: &Subject, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    eval.target_year = subject.goal.due;
    let own = [(target.id.as_str(), target.direction, subject.points)];
    let measured: Vec<(&str, Direction, &[Point])> = if target.measures.is_empty() {
        own.to_vec()
    } else {
        target
            .measures
            .iter()
            .map(|m| {
                let points = subject.measures.iter().find(|s| s.key == m.key).map_or(&[][..], |s| s.points.as_slice());
                (m.key.as_str(), m.direction, points)
            })
            .collect()
    };
    let mut latest_period: Option<Period> = None;
    for (key, direction, points) in measured {
        let Some(latest) = latest_by(points, at) else { continue };
        latest_period = latest_period.max(Some(latest.period));
        let Some(before) = latest_by(points, latest.period.previous_year()) else { continue };
        eval.moves.push((key.to_string(), (latest.value - before.value) * direction.sign() > 0.0));
    }
    eval.value_period = latest_period;
    let expected = target.measures.len().max(1);
    let improved = eval.moves.iter().filter(|(_, up)| *up).count();
    eval.status = if eval.moves.is_empty() {
        if latest_period.is_some() {
            eval.note(Note::TooFewPoints);
        }
        Status::NoData
    } else if eval.moves.len() < expected {
        eval.note(Note::TooFewPoints);
        if improved == 0 { Status::MovingAway } else { Status::NeedsAcceleration }
    } else if improved == expected {
        Status::Achieved
    } else if improved == 0 {
        Status::MovingAway
    } else {
        Status::NeedsAcceleration
    };
    eval.completion = Some(improved as f64 / expected as f64);
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
    eval
}

#[cfg(test)]
mod tests;
