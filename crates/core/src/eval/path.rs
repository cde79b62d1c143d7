//! Level, cumulative, increment and zero targets: progress along the plan's path from the
//! baseline through each target year (DESIGN §3, §3A.2–7).

use super::series::{Series, baseline, expected_value, year_end};
use super::{
    BaselineUsed, Evaluation, Note, Point, Status, Subject, YearFigure, YearResult, cagr, completion, meets,
    moved_away, status,
};
use crate::period::Period;
use crate::plan::{Basis, Kind, Milestone, Target};

/// The figure set against the path: the latest value, or for a 1–N月 flow the year's total or
/// its estimate.
struct Figure {
    value: f64,
    /// The month it stands for.
    t: i64,
    /// Whether it is what was reported (a measured year), not an estimate.
    actual: bool,
}

pub(super) fn evaluate(subject: &Subject, at: Period, eval: &mut Evaluation) {
    let target = subject.target;
    let series = Series::new(subject.points, target.frequency, subject.due_by);
    let Some(current) = subject.goal.current(at) else { return };
    eval.target_year = Some(current.year);
    eval.target_value = Some(current.value);
    let Some(latest) = series.latest_by(at) else { return };
    eval.value = Some(latest.value);
    eval.data_period = Some(latest.period);
    eval.stale = series.is_stale(latest, at);
    let Some(base) = baseline(target, subject.goal, &series, eval) else {
        eval.note(Note::OnlyBaseline);
        return;
    };
    let t0 = base.period.end_month_index();
    if at.end_month_index() <= t0 {
        eval.status = if meets(base.value, current.value, target) { Status::Achieved } else { Status::Baseline };
        return;
    }
    let path = subject.goal.path.as_slice();
    eval.year_results = year_results(target, path, &series, at);
    let closing = target.frequency.closing(current.year);
    let last_year = path.last().map(|m| m.year);
    if at.end_month_index() >= closing.end_month_index() {
        if Some(current.year) == last_year {
            eval.note(Note::Final);
        }
        if let Some(result) = eval.year_results.iter().find(|r| r.year == current.year).copied() {
            let figure = Figure { value: result.value.unwrap_or_default(), t: closing.end_month_index(), actual: true };
            measure(target, path, &base, current, &figure, at, eval);
            eval.status = if result.met { Status::Achieved } else { Status::Missed };
            return;
        }
        eval.note(Note::AwaitingYearData);
    }
    let Some(figure) = figure(target, &series, latest, t0, at, eval) else { return };
    measure(target, path, &base, current, &figure, at, eval);
    eval.status = status_of(subject, &series, &base, current, &figure, eval);
}

/// Every target year that has ended by `at` with its final value reported: met or not.
fn year_results(target: &Target, path: &[Milestone], series: &Series, at: Period) -> Vec<YearResult> {
    path.iter()
        .filter_map(|m| {
            let closing = series.closing(m.year, at)?;
            Some(YearResult {
                year: m.year,
                goal: Some(m.value),
                value: Some(closing.value),
                met: meets(closing.value, m.value, target),
            })
        })
        .collect()
}

/// The figure compared with the path. For stocks and additions, the latest value. For a 1–N月
/// flow (§3A.2), the year's total once its closing period is in; before that, last year's total
/// × this year's 1–N月 ÷ last year's 1–N月; without last year's same period, the last complete
/// year. `None` (with the reason noted) when nothing after the baseline can be compared.
fn figure(
    target: &Target,
    series: &Series,
    latest: Point,
    t0: i64,
    at: Period,
    eval: &mut Evaluation,
) -> Option<Figure> {
    let after_baseline = |figure: Figure, eval: &mut Evaluation| {
        if figure.t > t0 {
            Some(figure)
        } else {
            eval.note(Note::OnlyBaseline);
            None
        }
    };
    if target.basis != Basis::Ytd {
        return after_baseline(Figure { value: latest.value, t: latest.period.end_month_index(), actual: true }, eval);
    }
    let year = latest.period.year();
    if latest.period.closes_year() {
        eval.year_figure = Some(YearFigure { year, value: latest.value, estimated: false, yoy: None });
        return after_baseline(Figure { value: latest.value, t: year_end(year), actual: true }, eval);
    }
    let same_period_last_year = series.at(latest.period.previous_year()).filter(|p| p.value > 0.0);
    let last_year_total = series.closing(year - 1, at);
    if let (Some(before), Some(total)) = (same_period_last_year, last_year_total) {
        let estimate = total.value * latest.value / before.value;
        let yoy = latest.value / before.value - 1.0;
        eval.year_figure = Some(YearFigure { year, value: estimate, estimated: true, yoy: Some(yoy) });
        eval.note(Note::YearEstimated);
        return after_baseline(Figure { value: estimate, t: year_end(year), actual: false }, eval);
    }
    let last_complete = series.points.iter().rev().find(|p| p.period.closes_year() && p.period < latest.period);
    match last_complete {
        Some(closing) => {
            eval.note(Note::YearStillOpen);
            let closed = closing.period.year();
            eval.year_figure = Some(YearFigure { year: closed, value: closing.value, estimated: false, yoy: None });
            after_baseline(Figure { value: closing.value, t: year_end(closed), actual: true }, eval)
        }
        None => {
            eval.note(Note::NotComparable);
            None
        }
    }
}

/// Progress, 序时进度, growth and projection of `figure` against the current target year.
fn measure(
    target: &Target,
    path: &[Milestone],
    base: &BaselineUsed,
    current: Milestone,
    figure: &Figure,
    at: Period,
    eval: &mut Evaluation,
) {
    let (b, t0) = (base.value, base.period.end_month_index());
    let (goal, t_due) = (current.value, year_end(current.year));
    // 序时 at the evaluation period (§3A.5); a flow's year is compared at the year's end.
    let t_expected = if target.basis == Basis::Ytd { figure.t } else { at.end_month_index().min(t_due) };
    let span = goal - b;
    if span != 0.0 {
        eval.progress = Some((figure.value - b) / span);
        eval.expected = Some(((expected_value(b, t0, path, t_expected) - b) / span).clamp(0.0, 1.0));
    }
    if let (Some(p), Some(tau)) = (eval.progress, eval.expected) {
        eval.lag_pp = Some((p - tau) * 100.0);
    }
    if figure.actual {
        eval.completion = completion(figure.value, goal, target.direction);
    }
    if figure.t >= t_due {
        return;
    }
    let remaining_years = (t_due - figure.t) as f64 / 12.0;
    match target.basis {
        Basis::SinceStart(_) => {
            // Additions accumulate: projected at the pace kept since the start.
            if figure.t - t0 >= 12 {
                let projected = figure.value * (t_due - t0) as f64 / (figure.t - t0) as f64;
                eval.projected = Some(projected);
                eval.projection_ratio = (goal != 0.0).then(|| projected / goal);
            }
        }
        Basis::Stock | Basis::Ytd => {
            if target.kind != Kind::Zero && figure.value > 0.0 && goal > 0.0 {
                eval.required_cagr = Some((goal / figure.value).powf(1.0 / remaining_years) - 1.0);
            }
            if let Some(g) = cagr(b, t0, figure.value, figure.t) {
                eval.actual_cagr = Some(g);
                eval.cagr_since = Some(base.period);
                let projected = figure.value * (1.0 + g).powf(remaining_years);
                eval.projected = Some(projected);
                eval.projection_ratio = (span != 0.0).then(|| (projected - b) / span);
            }
        }
    }
    if eval.projection_ratio.is_none() {
        eval.note(Note::ShortHistory);
    }
}

/// The status of an open target year (§3A.7): met; else from the projection ratio, or without
/// one from the lag behind 序时进度; 倒退 only for a move away beyond the band.
fn status_of(
    subject: &Subject,
    series: &Series,
    base: &BaselineUsed,
    current: Milestone,
    figure: &Figure,
    eval: &mut Evaluation,
) -> Status {
    let target = subject.target;
    if figure.actual && meets(figure.value, current.value, target) {
        return Status::Achieved;
    }
    if target.kind == Kind::Zero {
        let cleared_before = base.value <= 0.0
            || series
                .points
                .iter()
                .any(|p| p.period > base.period && p.period.end_month_index() < figure.t && p.value <= 0.0);
        if cleared_before && figure.value > 0.0 {
            eval.note(Note::Relapse);
            return Status::MovingAway;
        }
    }
    let away = moved_away(target, figure.value, base.value, current.value);
    let rule = &target.rule;
    let verdict = match (eval.projection_ratio, eval.progress, eval.lag_pp) {
        (Some(r), _, _) => status::from_projection(r, rule),
        (None, Some(p), _) if p < 0.0 => Status::MovingAway,
        (None, _, Some(lag)) => status::from_lag(lag, rule),
        _ => Status::OffTrack,
    };
    if verdict == Status::MovingAway && !away { Status::OffTrack } else { verdict }
}
