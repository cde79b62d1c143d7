//! Targets judged year by year: `annual` (每年X: 1–N月累计 against N/12 of X) and `threshold`
//! (保持X以上: the rate of every period against its line). Every finished year is recorded.

use super::series::Series;
use super::{Evaluation, Note, Status, Subject, YearResult, completion, meets, status};
use crate::period::Period;
use crate::plan::{Pace, Target};

/// The year an evaluation at `at` judges: `at`'s, or the goal's last year once it is past.
fn year_judged(at: Period, until: Option<i32>) -> i32 {
    until.map_or(at.year(), |until| at.year().min(until))
}

/// Every year from the plan's start to `last` whose closing value is in by `at`.
fn results(
    target: &Target,
    series: &Series,
    first: i32,
    last: i32,
    goal: impl Fn(i32) -> Option<f64>,
    at: Period,
) -> Vec<YearResult> {
    (first..=last)
        .filter_map(|year| {
            let closing = series.closing(year, at)?;
            let goal = goal(year)?;
            Some(YearResult {
                year,
                goal: Some(goal),
                value: Some(closing.value),
                met: meets(closing.value, goal, target),
            })
        })
        .collect()
}

/// The verdict on `year` once its closing value is in: the value shown becomes that year's.
fn judged(target: &Target, year: i32, eval: &mut Evaluation) -> Option<Status> {
    let result = *eval.year_results.iter().find(|r| r.year == year)?;
    let value = result.value?;
    eval.value = Some(value);
    eval.data_period = Some(target.frequency.closing(year));
    eval.stale = false;
    eval.completion = result.goal.and_then(|goal| completion(value, goal, target.direction));
    Some(if result.met { Status::Achieved } else { Status::Missed })
}

/// Records the latest value and whether it is stale; `None` when nothing is reported by `at`.
fn latest(series: &Series, at: Period, eval: &mut Evaluation) -> Option<super::Point> {
    let latest = series.latest_by(at)?;
    eval.value = Some(latest.value);
    eval.data_period = Some(latest.period);
    eval.stale = series.is_stale(latest, at);
    Some(latest)
}

pub(super) fn evaluate_annual(subject: &Subject, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let Some(goal) = subject.goal.annual else { return };
    let series = Series::new(subject.points, target.frequency, subject.due_by);
    let year = year_judged(at, subject.goal.until);
    eval.target_year = Some(year);
    eval.target_value = Some(goal);
    eval.year_results = results(target, &series, subject.goal.baseline_year + 1, year, |_| Some(goal), at);
    if subject.goal.until.is_some_and(|until| at.year() > until) {
        eval.note(Note::Final);
    }
    let Some(latest) = latest(&series, at, eval) else { return };
    if let Some(result) = judged(target, year, eval) {
        eval.progress = eval.completion;
        eval.expected = Some(1.0);
        eval.lag_pp = eval.progress.map(|p| (p - 1.0) * 100.0);
        eval.status = result;
        return;
    }
    if latest.period.year() != year {
        eval.note(Note::NoDataThisYear);
        return;
    }
    let v = latest.value;
    eval.completion = completion(v, goal, target.direction);
    eval.progress = eval.completion;
    let closed = at.end_month_index() >= target.frequency.closing(year).end_month_index();
    if closed {
        eval.note(Note::AwaitingYearData);
    }
    if meets(v, goal, target) {
        eval.status = Status::Achieved;
        return;
    }
    if target.pace == Pace::YearEnd && !closed {
        eval.note(Note::JudgedAtYearEnd);
        eval.status = Status::OnTrack;
        return;
    }
    let months = if closed { 12 } else { at.months_elapsed() };
    let expected = f64::from(months) / 12.0;
    eval.expected = Some(expected);
    eval.lag_pp = eval.progress.map(|p| (p - expected) * 100.0);
    eval.status = eval.lag_pp.map_or(Status::NeedsAcceleration, |lag| status::from_lag(lag, &target.rule));
}

pub(super) fn evaluate_threshold(subject: &Subject, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let goal = subject.goal;
    let series = Series::new(subject.points, target.frequency, subject.due_by);
    // A line kept every year, or a line by a target year.
    let (year, line) = match (goal.annual, goal.current(at)) {
        (Some(line), _) => (year_judged(at, goal.until), line),
        (None, Some(current)) => (current.year, current.value),
        (None, None) => return,
    };
    eval.target_year = Some(year);
    eval.target_value = Some(line);
    let line_of = |y: i32| match goal.annual {
        Some(line) => Some(line),
        None => goal.path.iter().find(|m| m.year == y).map(|m| m.value),
    };
    eval.year_results = results(target, &series, goal.baseline_year + 1, year, line_of, at);
    if goal.due.is_some_and(|due| at.year() > due) {
        eval.note(Note::Final);
    }
    let Some(latest) = latest(&series, at, eval) else { return };
    let d = target.direction.sign();
    if let Some(result) = judged(target, year, eval) {
        eval.lag_pp = eval.value.map(|v| (v - line) * d);
        eval.status = result;
        return;
    }
    let v = latest.value;
    eval.completion = completion(v, line, target.direction);
    eval.lag_pp = Some((v - line) * d);
    if at.end_month_index() >= target.frequency.closing(year).end_month_index() {
        eval.note(Note::AwaitingYearData);
    }
    let shortfall = (line - v) * d;
    let fell = series.before(latest).is_some_and(|previous| super::moved_away(target, v, previous.value, line));
    eval.status = if meets(v, line, target) {
        Status::Achieved
    } else if shortfall <= target.rule.threshold_near + 1e-9 {
        Status::NeedsAcceleration
    } else if fell {
        Status::MovingAway
    } else {
        Status::OffTrack
    };
}
