//! Targets without a numeric path: `stable` (保持稳定 around a reference), `milestone` (a state
//! to reach, reported as the share done in percent) and `direction` (双提升: every measure
//! better than a year before).

use super::series::{Series, baseline};
use super::{Evaluation, Move, Note, Status, Subject, YearResult, completion, status};
use crate::period::Period;
use crate::plan::{Direction, Target};

/// The share done that completes a milestone: values are percentages.
pub const MILESTONE_DONE: f64 = 100.0;

/// Records the latest value and whether it is stale; `None` when nothing is reported by `at`.
fn latest(series: &Series, at: Period, eval: &mut Evaluation) -> Option<super::Point> {
    let latest = series.latest_by(at)?;
    eval.value = Some(latest.value);
    eval.data_period = Some(latest.period);
    eval.stale = series.is_stale(latest, at);
    Some(latest)
}

/// The value that closes the due year, once `at` has reached it: the status is then final
/// (§3A.6). Notes a missing closing value (待年度数据).
fn final_value(series: &Series, due: Option<i32>, at: Period, eval: &mut Evaluation) -> Option<f64> {
    let due = due?;
    let closing = series.frequency.closing(due);
    if at.end_month_index() < closing.end_month_index() {
        return None;
    }
    if at.year() > due {
        eval.note(Note::Final);
    }
    let Some(point) = series.at(closing) else {
        eval.note(Note::AwaitingYearData);
        return None;
    };
    eval.value = Some(point.value);
    eval.data_period = Some(closing);
    eval.stale = false;
    Some(point.value)
}

/// The verdict once the due year's value is in: 已达标 or 未完成, recorded as the year's result.
fn judge_final(
    due: Option<i32>,
    final_value: Option<f64>,
    goal: Option<f64>,
    met: bool,
    eval: &mut Evaluation,
) -> bool {
    let (Some(year), Some(value)) = (due, final_value) else { return false };
    eval.year_results = vec![YearResult { year, goal, value: Some(value), met }];
    eval.status = if met { Status::Achieved } else { Status::Missed };
    true
}

/// Stable targets (§3A.10): within the tolerance of the reference — the plan's baseline, else
/// the first value — inclusive; moving the good way is always fine.
pub(super) fn evaluate_stable(subject: &Subject, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let series = Series::new(subject.points, target.frequency, subject.due_by);
    eval.target_year = subject.goal.due;
    let Some(latest) = latest(&series, at, eval) else { return };
    let Some(reference) = baseline(target, subject.goal, &series, eval) else { return };
    eval.target_value = Some(reference.value);
    let t0 = reference.period.end_month_index();
    if at.end_month_index() <= t0 {
        eval.status = Status::Baseline;
        return;
    }
    if latest.period.end_month_index() <= t0 {
        eval.note(Note::OnlyBaseline);
        return;
    }
    let final_value = final_value(&series, subject.goal.due, at, eval);
    let v = final_value.unwrap_or(latest.value);
    eval.completion = completion(v, reference.value, Direction::Up);
    let status = deviation_status(target, v, reference.value);
    let met = status == Status::Achieved;
    if !judge_final(subject.goal.due, final_value, Some(reference.value), met, eval) {
        eval.status = status;
    }
}

/// Within the tolerance (inclusive, compared unrounded with a 1e-9 slack) → 已达标; within twice
/// the tolerance → 关注; further → 滞后.
fn deviation_status(target: &Target, value: f64, reference: f64) -> Status {
    if reference == 0.0 {
        return if value * target.direction.sign() >= 0.0 { Status::Achieved } else { Status::OffTrack };
    }
    let deviation = (value - reference) / reference.abs() * target.direction.sign();
    if deviation >= -target.tolerance - 1e-9 {
        Status::Achieved
    } else if deviation >= -2.0 * target.tolerance - 1e-9 {
        Status::NeedsAcceleration
    } else {
        Status::OffTrack
    }
}

/// Milestones: the share done in percent (100 = done), against the time elapsed from the plan's
/// baseline to the end of the due year.
pub(super) fn evaluate_milestone(subject: &Subject, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let series = Series::new(subject.points, target.frequency, subject.due_by);
    let due = subject.goal.due;
    eval.target_year = due;
    eval.target_value = Some(MILESTONE_DONE);
    let Some(latest) = latest(&series, at, eval) else { return };
    let t0 = Period::Year(subject.goal.baseline_year).end_month_index();
    if at.end_month_index() <= t0 {
        eval.status = Status::Baseline;
        return;
    }
    let final_value = final_value(&series, due, at, eval);
    let v = final_value.unwrap_or(latest.value);
    eval.progress = Some((v / MILESTONE_DONE).clamp(0.0, 1.0));
    eval.completion = eval.progress;
    if let Some(due) = due {
        let t_due = target.frequency.closing(due).end_month_index();
        let tau = ((at.end_month_index() - t0) as f64 / (t_due - t0) as f64).clamp(0.0, 1.0);
        eval.expected = Some(tau);
        eval.lag_pp = eval.progress.map(|p| (p - tau) * 100.0);
    }
    let done = v >= MILESTONE_DONE - 1e-9;
    if judge_final(due, final_value, Some(MILESTONE_DONE), done, eval) {
        return;
    }
    eval.status = if done {
        Status::Achieved
    } else {
        eval.lag_pp.map_or(Status::OnTrack, |lag| status::from_lag(lag, &target.rule))
    };
}

/// Direction targets (双提升, 逐年提高): every measure against its value a year earlier. All
/// better → 已达标; some → 关注; none: 倒退 if any moved away beyond the tolerance, else 滞后.
pub(super) fn evaluate_direction(subject: &Subject, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    eval.target_year = subject.goal.due;
    let own = [(target.id.as_str(), target.direction, subject.points)];
    let measured: Vec<(&str, Direction, &[super::Point])> = if target.measures.is_empty() {
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
    let mut latest_point: Option<super::Point> = None;
    for (key, direction, points) in measured {
        let series = Series::new(points, target.frequency, subject.due_by);
        let Some(latest) = series.latest_by(at) else { continue };
        if latest_point.is_none_or(|p| latest.period > p.period) {
            latest_point = Some(latest);
            eval.stale = series.is_stale(latest, at);
        }
        let Some(before) = series.at(latest.period.previous_year()) else { continue };
        let change = (latest.value - before.value) * direction.sign();
        eval.moves.push(Move {
            key: key.to_string(),
            value: latest.value,
            previous: before.value,
            period: latest.period,
            improved: change > 0.0,
            moved_away: change < -target.tolerance * before.value.abs(),
        });
    }
    eval.data_period = latest_point.map(|p| p.period);
    let Some(latest) = latest_point else { return };
    if at.end_month_index() <= Period::Year(subject.goal.baseline_year).end_month_index() {
        eval.status = Status::Baseline;
        return;
    }
    let expected = target.measures.len().max(1);
    let improved = eval.moves.iter().filter(|m| m.improved).count();
    eval.completion = Some(improved as f64 / expected as f64);
    eval.status = if eval.moves.is_empty() {
        eval.note(Note::ShortHistory);
        Status::NoData
    } else if improved == expected {
        Status::Achieved
    } else if improved > 0 {
        Status::NeedsAcceleration
    } else if eval.moves.iter().any(|m| m.moved_away) {
        Status::MovingAway
    } else {
        Status::OffTrack
    };
    if eval.moves.len() < expected && !eval.moves.is_empty() {
        eval.note(Note::ShortHistory);
    }
    if let Some(due) = subject.goal.due
        && latest.period.year() == due
        && latest.period.closes_year()
    {
        let met = eval.status == Status::Achieved;
        eval.year_results = vec![YearResult { year: due, goal: None, value: None, met }];
        eval.status = if met { Status::Achieved } else { Status::Missed };
    }
}
