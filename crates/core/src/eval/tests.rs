use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::i18n::{self, Lang, VERDICTS, explain};
use crate::org::OrgUnitId;
use crate::plan::TargetId;
use crate::plan::{Baseline, Basis, DistrictGoal, Frequency, Goal, Measure, Milestone, Pace, StatusRule};

const PLAN_BASELINE_YEAR: i32 = 2024;

fn target(kind: Kind, direction: Direction, goal: Goal, baseline: Option<(f64, i32)>) -> Target {
    let basis = match kind {
        Kind::Increment => Basis::SinceStart(Period::month(2025, 1)),
        Kind::Annual => Basis::Ytd,
        _ => Basis::Stock,
    };
    let frequency = match kind {
        Kind::Milestone | Kind::Zero => Frequency::Quarter,
        Kind::Stable | Kind::Direction => Frequency::Year,
        _ => Frequency::Month,
    };
    Target {
        id: "t".into(),
        task: "1.1".into(),
        project: 1,
        indicator: "指标".into(),
        unit: "家".into(),
        kind,
        direction,
        comparator: Comparator::Reach,
        goal,
        baseline: baseline.map(|(value, year)| Baseline { value, year, source: "test".into() }),
        lead: "市经信局".into(),
        co: vec![],
        source_text: "clause".into(),
        measures: vec![],
        rule: StatusRule::default(),
        frequency,
        basis,
        tolerance: if kind == Kind::Stable { 0.05 } else { 0.01 },
        pace: Pace::Even,
        district_goal: DistrictGoal::default_for(kind, "家"),
        basis_note: None,
        count: None,
        stats: None,
        note: None,
    }
}

/// A target reported once a year (the DESIGN §3 reference vectors are yearly).
fn yearly(mut t: Target) -> Target {
    t.frequency = Frequency::Year;
    t
}

fn path(points: &[(i32, f64)]) -> Goal {
    Goal::Path(points.iter().map(|&(year, value)| Milestone { year, value }).collect())
}

fn year(y: i32, value: f64) -> Point {
    Point { period: Period::Year(y), value }
}

fn month(y: i32, m: u8, value: f64) -> Point {
    Point { period: Period::month(y, m), value }
}

fn quarter(y: i32, q: u8, value: f64) -> Point {
    Point { period: Period::Quarter { year: y, quarter: q }, value }
}

fn run(target: &Target, points: &[Point], at: Period) -> Evaluation {
    let goal = goal_for_city(target, PLAN_BASELINE_YEAR);
    evaluate(&Subject { target, goal: &goal, points, measures: &[], summed: &[], due_by: None }, at)
}

/// Compares with a published figure to the precision it is published with (DESIGN §3 gives
/// rates to six decimals and projected values to four).
fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("measure should be present");
    let text = expected.to_string();
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let tolerance = (0.5 * 10f64.powi(-(decimals as i32))).max(1e-6);
    assert!((actual - expected).abs() <= tolerance, "expected {expected}, got {actual}");
}

fn growth_target(baseline: f64, goal: f64) -> Target {
    yearly(target(Kind::Cumulative, Direction::Up, path(&[(2030, goal)]), Some((baseline, 2024))))
}

// ── Reference vectors (DESIGN §3): baselines a year or more back ─────────────────────

#[test]
fn reference_growth_on_track() {
    let e = run(&growth_target(104.0, 160.0), &[year(2025, 115.0)], Period::Year(2025));
    close(e.actual_cagr, 0.105769);
    close(e.required_cagr, 0.068278);
    close(e.projected, 190.1167);
    close(e.projection_ratio, 1.537799);
    assert_eq!(e.status, Status::OnTrack);
    close(cagr(104.0, 2025 * 12, 160.0, 2031 * 12), 0.074437);
}

#[test]
fn reference_growth_slow() {
    let e = run(&growth_target(104.0, 160.0), &[year(2025, 108.0)], Period::Year(2025));
    close(e.actual_cagr, 0.038462);
    close(e.required_cagr, 0.081781);
    close(e.projected, 130.4295);
    close(e.projection_ratio, 0.471955);
    assert_eq!(e.status, Status::OffTrack);
}

#[test]
fn reference_lower_is_better() {
    let t = yearly(target(Kind::Level, Direction::Down, path(&[(2030, 0.35)]), Some((0.50, 2020))));
    let e = run(&t, &[year(2024, 0.44)], Period::Year(2024));
    close(e.actual_cagr, -0.031453);
    close(e.projected, 0.363226);
    close(e.projection_ratio, 0.911828);
    assert_eq!(e.status, Status::NeedsAcceleration);
}

#[test]
fn reference_reduce_to_zero() {
    let t = yearly(target(Kind::Zero, Direction::Down, path(&[(2030, 0.0)]), Some((12.0, 2024))));
    let e = run(&t, &[year(2025, 9.0)], Period::Year(2025));
    close(e.projected, 2.135742);
    close(e.projection_ratio, 0.822021);
    assert_eq!(e.required_cagr, None, "growth to zero has no rate");
    assert_eq!(e.status, Status::NeedsAcceleration);
}

// ── Paths, 序时进度 and baselines ───────────────────────────────────────────────────────

#[test]
fn expected_progress_is_piecewise_through_both_target_years_at_the_evaluation_period() {
    // 2.43 (2022) → 2.7 (2027) → 3.3 (2030); a 2028 value is measured against 2030.
    let t = yearly(target(Kind::Level, Direction::Up, path(&[(2027, 2.7), (2030, 3.3)]), Some((2.43, 2022))));
    let early = run(&t, &[year(2024, 2.6)], Period::Year(2024));
    assert_eq!(early.target_year, Some(2027));
    close(early.expected, 2.0 / 5.0);
    close(early.progress, (2.6 - 2.43) / (2.7 - 2.43));

    let late = run(&t, &[year(2028, 2.9)], Period::Year(2028));
    assert_eq!(late.target_year, Some(2030));
    let expected_value = 2.7 + (3.3 - 2.7) / 3.0;
    close(late.expected, (expected_value - 2.43) / (3.3 - 2.43));

    // A 2028 value looked at in 2029: 序时 of 2029, and flagged as not updated.
    let stale = run(&t, &[year(2028, 2.9)], Period::Year(2029));
    close(stale.expected, (2.7 + 2.0 * (3.3 - 2.7) / 3.0 - 2.43) / (3.3 - 2.43));
    assert!(stale.stale);
    assert!(explain(&t, &stale, Lang::Zh).starts_with("最新数据为2028年,已逾期未更新;"));
}

#[test]
fn a_stock_without_a_plan_baseline_measures_from_its_baseline_period_or_first_value() {
    let t = target(Kind::Cumulative, Direction::Up, path(&[(2030, 200.0)]), None);
    let at_baseline = run(&t, &[month(2024, 12, 150.0), month(2025, 6, 160.0)], Period::month(2025, 6));
    let base = at_baseline.baseline.expect("baseline");
    assert_eq!((base.value, base.period, base.source), (150.0, Period::month(2024, 12), BaselineSource::Reported));
    close(at_baseline.progress, 0.2);
    assert!(!at_baseline.has(Note::FirstValueAsBaseline));

    let first = run(&t, &[month(2025, 3, 150.0), month(2025, 6, 160.0)], Period::month(2025, 6));
    assert_eq!(first.baseline.map(|b| b.period), Some(Period::month(2025, 3)));
    assert!(first.has(Note::FirstValueAsBaseline));
    // 序时 runs from the first value's month: 3 of 69 months.
    close(first.expected, 3.0 / 69.0);
    let sentence = explain(&t, &first, Lang::Zh);
    assert!(sentence.contains("基期取首次报送值(2025年3月,150家)"), "{sentence}");

    let only = run(&t, &[month(2025, 3, 150.0)], Period::month(2025, 3));
    assert_eq!(only.status, Status::Baseline);
}

#[test]
fn growth_needs_a_year_of_history() {
    let t = growth_target(104.0, 160.0);
    let monthly = Target { frequency: Frequency::Month, ..t };
    let short = run(&monthly, &[month(2025, 11, 120.0)], Period::month(2025, 11));
    assert_eq!(short.actual_cagr, None);
    assert_eq!(short.projected, None);
    assert!(short.has(Note::ShortHistory));
    let year_on = run(&monthly, &[month(2025, 12, 120.0)], Period::month(2025, 12));
    assert!(year_on.actual_cagr.is_some());
}

#[test]
fn additions_since_the_start_project_at_the_pace_kept() {
    let t = target(Kind::Increment, Direction::Up, path(&[(2030, 100.0)]), None);
    let e = run(&t, &[month(2026, 12, 30.0)], Period::month(2026, 12));
    close(e.progress, 0.3);
    close(e.expected, 24.0 / 72.0);
    close(e.projected, 90.0);
    close(e.projection_ratio, 0.9);
    assert_eq!(e.actual_cagr, None);
    assert_eq!(e.status, Status::NeedsAcceleration);
    assert_eq!(e.baseline.map(|b| (b.value, b.source)), Some((0.0, BaselineSource::Plan)));
}

#[test]
fn a_flow_is_estimated_from_last_year_and_never_compared_with_the_goal_before_december() {
    let mut t = target(Kind::Level, Direction::Up, path(&[(2027, 2.7), (2030, 3.3)]), Some((2.43, 2022)));
    t.basis = Basis::Ytd;
    t.unit = "万亿元".into();
    let points = [month(2025, 5, 1.05), month(2025, 12, 2.6), month(2026, 5, 1.1)];
    let e = run(&t, &points, Period::month(2026, 5));
    let figure = e.year_figure.expect("an estimate");
    assert!(figure.estimated);
    close(Some(figure.value), 2.6 * 1.1 / 1.05);
    close(figure.yoy, 1.1 / 1.05 - 1.0);
    assert_eq!(e.completion, None, "an estimate is not a 完成率");
    assert_eq!(e.value, Some(1.1), "the value shown is what was reported");
    let sentence = explain(&t, &e, Lang::Zh);
    assert!(sentence.starts_with("2026年1—5月累计1.1万亿元,同比增长4.8%,预计全年2.72万亿元"), "{sentence}");

    let alone = run(&t, &[month(2026, 5, 1.1)], Period::month(2026, 5));
    assert_eq!(alone.status, Status::NoData);
    assert!(alone.has(Note::NotComparable));
}

// ── Deadlines ───────────────────────────────────────────────────────────────────────────

#[test]
fn a_target_year_is_judged_once_its_closing_value_is_in_and_kept_afterwards() {
    let t = target(Kind::Cumulative, Direction::Up, path(&[(2027, 130.0), (2030, 160.0)]), Some((104.0, 2024)));
    let at_close = run(&t, &[month(2027, 12, 125.0)], Period::month(2027, 12));
    assert_eq!(at_close.status, Status::Missed);
    assert_eq!(at_close.year_results, [YearResult { year: 2027, goal: Some(130.0), value: Some(125.0), met: false }]);
    let later = run(&t, &[month(2027, 12, 125.0), month(2028, 6, 135.0)], Period::month(2028, 6));
    assert_eq!(later.target_year, Some(2030));
    assert_eq!(later.year_results, at_close.year_results, "the missed 2027 goal is kept");
    assert!(explain(&t, &later, Lang::Zh).contains("2027年目标130家未达标(实际125家)"));

    let awaiting = run(&t, &[month(2027, 11, 131.0)], Period::month(2027, 12));
    assert!(awaiting.has(Note::AwaitingYearData));
    assert!(awaiting.stale);
    assert_ne!(awaiting.status, Status::Missed);
}

#[test]
fn comparators_read_as_the_plan_writes_them() {
    let mut t = growth_target(0.5, 1.0);
    t.comparator = Comparator::Exceed;
    assert_eq!(run(&t, &[year(2030, 1.0)], Period::Year(2030)).status, Status::Missed, "突破 must pass");
    assert_eq!(run(&t, &[year(2030, 1.01)], Period::Year(2030)).status, Status::Achieved);

    let mut about = target(Kind::Annual, Direction::Up, Goal::EveryYear { value: 200.0, until: None }, None);
    about.comparator = Comparator::About;
    about.tolerance = 0.05;
    assert_eq!(run(&about, &[month(2025, 12, 190.0)], Period::month(2025, 12)).status, Status::Achieved);
    assert_eq!(run(&about, &[month(2025, 12, 189.0)], Period::month(2025, 12)).status, Status::Missed);

    let mut cap = yearly(target(Kind::Level, Direction::Down, path(&[(2030, 5.0)]), Some((8.0, 2024))));
    cap.comparator = Comparator::AtMost;
    assert_eq!(run(&cap, &[year(2030, 5.0)], Period::Year(2030)).status, Status::Achieved, "以内 meets at the cap");
    assert_eq!(run(&cap, &[year(2030, 5.1)], Period::Year(2030)).status, Status::Missed);
}

// ── The stagnation band ─────────────────────────────────────────────────────────────────

#[test]
fn moving_away_means_beyond_the_band() {
    let t = target(Kind::Cumulative, Direction::Up, path(&[(2030, 160.0)]), Some((104.0, 2024)));
    let one_less = run(&t, &[month(2025, 1, 103.0)], Period::month(2025, 1));
    assert_eq!(one_less.status, Status::OffTrack, "one unit of a count is within the band");
    let four_less = run(&t, &[month(2025, 1, 100.0)], Period::month(2025, 1));
    assert_eq!(four_less.status, Status::MovingAway);

    let mut rate = yearly(target(Kind::Level, Direction::Up, path(&[(2030, 60.0)]), Some((50.0, 2024))));
    rate.unit = "%".into();
    assert_eq!(run(&rate, &[year(2025, 49.6)], Period::Year(2025)).status, Status::OffTrack, "0.8% < 1%");
    assert_eq!(run(&rate, &[year(2025, 49.0)], Period::Year(2025)).status, Status::MovingAway, "2% > 1%");
}

// ── The other kinds ─────────────────────────────────────────────────────────────────────

#[test]
fn annual_targets_use_the_months_elapsed_and_record_each_year() {
    let t = target(Kind::Annual, Direction::Up, Goal::EveryYear { value: 40.0, until: Some(2030) }, None);
    let e = run(&t, &[month(2026, 6, 15.0)], Period::month(2026, 6));
    close(e.progress, 15.0 / 40.0);
    close(e.expected, 0.5);
    close(e.lag_pp, -12.5);
    assert_eq!(e.status, Status::OffTrack);

    let points = [month(2025, 12, 42.0), month(2026, 12, 30.0), month(2027, 3, 12.0)];
    let e = run(&t, &points, Period::month(2027, 3));
    let met: Vec<(i32, bool)> = e.year_results.iter().map(|r| (r.year, r.met)).collect();
    assert_eq!(met, [(2025, true), (2026, false)]);
    assert_eq!(e.status, Status::OnTrack, "12 of 40 after three months is ahead of 25%");
    assert_eq!(run(&t, &points, Period::month(2026, 12)).status, Status::Missed);

    let batch = Target { pace: Pace::YearEnd, ..t.clone() };
    let june = run(&batch, &[month(2026, 6, 0.0)], Period::month(2026, 6));
    assert_eq!(june.status, Status::OnTrack);
    assert!(june.has(Note::JudgedAtYearEnd));
    assert_eq!(run(&batch, &[month(2026, 12, 20.0)], Period::month(2026, 12)).status, Status::Missed);
}

#[test]
fn thresholds_are_met_near_or_far_and_fall_only_beyond_the_tolerance() {
    let mut t = target(Kind::Threshold, Direction::Up, Goal::EveryYear { value: 98.0, until: Some(2030) }, None);
    t.unit = "%".into();
    let at = Period::month(2026, 6);
    assert_eq!(run(&t, &[month(2026, 6, 98.0)], at).status, Status::Achieved);
    assert_eq!(run(&t, &[month(2026, 5, 98.0), month(2026, 6, 97.99)], at).status, Status::NeedsAcceleration);
    assert_eq!(run(&t, &[month(2026, 5, 90.0), month(2026, 6, 95.0)], at).status, Status::OffTrack);
    assert_eq!(run(&t, &[month(2026, 5, 97.0), month(2026, 6, 95.0)], at).status, Status::MovingAway);
    let december = run(&t, &[month(2026, 12, 97.5)], Period::month(2026, 12));
    assert_eq!(december.status, Status::Missed);
    assert!(explain(&t, &december, Lang::Zh).contains("低于") || explain(&t, &december, Lang::Zh).contains("未达到"));
}

#[test]
fn stable_targets_tolerate_their_band_inclusively() {
    let t = target(Kind::Stable, Direction::Up, Goal::State { due: Some(2030) }, None);
    let at = Period::Year(2026);
    assert_eq!(run(&t, &[year(2025, 2.0), year(2026, 1.9)], at).status, Status::Achieved, "exactly 5% down");
    assert_eq!(run(&t, &[year(2025, 20.0), year(2026, 19.0)], at).status, Status::Achieved);
    assert_eq!(run(&t, &[year(2025, 10.0), year(2026, 9.2)], at).status, Status::NeedsAcceleration);
    assert_eq!(run(&t, &[year(2025, 10.0), year(2026, 8.0)], at).status, Status::OffTrack);
    assert_eq!(run(&t, &[year(2025, 10.0), year(2026, 12.0)], at).status, Status::Achieved, "up is always fine");
    assert_eq!(run(&t, &[year(2026, 10.0)], at).status, Status::Baseline, "the first value is the reference");
}

#[test]
fn direction_targets_need_every_measure_to_improve() {
    let mut t = target(Kind::Direction, Direction::Up, Goal::State { due: Some(2030) }, None);
    t.unit = crate::units::STATE.into();
    t.measures = vec![
        Measure { key: "rank".into(), name: "综合排名".into(), direction: Direction::Down, unit: "位".into() },
        Measure {
            key: "share".into(), name: "工业增加值占比".into(), direction: Direction::Up, unit: "%".into()
        },
    ];
    let series = |rank: [f64; 2], share: [f64; 2]| {
        vec![
            MeasureSeries { key: "rank".into(), points: vec![year(2024, rank[0]), year(2025, rank[1])] },
            MeasureSeries { key: "share".into(), points: vec![year(2024, share[0]), year(2025, share[1])] },
        ]
    };
    let goal = goal_for_city(&t, PLAN_BASELINE_YEAR);
    let eval_with = |measures: &[MeasureSeries]| {
        evaluate(
            &Subject { target: &t, goal: &goal, points: &[], measures, summed: &[], due_by: None },
            Period::Year(2025),
        )
    };
    let both = eval_with(&series([12.0, 9.0], [30.0, 31.0]));
    assert_eq!(both.status, Status::Achieved);
    assert!(explain(&t, &both, Lang::Zh).contains("综合排名由第12名升至第9名"));
    assert_eq!(eval_with(&series([12.0, 12.0], [30.0, 31.0])).status, Status::NeedsAcceleration);
    assert_eq!(eval_with(&series([12.0, 13.0], [30.0, 29.0])).status, Status::MovingAway);
    assert_eq!(eval_with(&series([12.0, 12.0], [30.0, 30.0])).status, Status::OffTrack, "standing still");
    assert_eq!(eval_with(&[]).status, Status::NoData);
}

#[test]
fn milestones_are_percentages_done_against_time() {
    let mut t = target(Kind::Milestone, Direction::Up, Goal::State { due: Some(2030) }, None);
    t.unit = crate::units::STATE.into();
    assert_eq!(
        run(&t, &[quarter(2026, 4, 100.0)], Period::Quarter { year: 2026, quarter: 4 }).status,
        Status::Achieved
    );
    let on = run(&t, &[quarter(2026, 2, 36.0)], Period::Quarter { year: 2026, quarter: 2 });
    close(on.progress, 0.36);
    close(on.expected, 0.25);
    assert_eq!(on.status, Status::OnTrack);
    assert!(explain(&t, &on, Lang::Zh).starts_with("完成进度36%"));
    let late = run(&t, &[quarter(2030, 4, 90.0)], Period::Quarter { year: 2030, quarter: 4 });
    assert_eq!(late.status, Status::Missed);
}

#[test]
fn a_cleared_zero_target_that_rises_again_moves_away() {
    let t = target(Kind::Zero, Direction::Down, path(&[(2030, 0.0)]), None);
    let points = [quarter(2025, 4, 12.0), quarter(2026, 2, 0.0), quarter(2026, 3, 0.3)];
    let e = run(&t, &points, Period::Quarter { year: 2026, quarter: 3 });
    assert_eq!(e.status, Status::MovingAway);
    assert!(e.has(Note::Relapse));
    assert_eq!(run(&t, &points[..2], Period::Quarter { year: 2026, quarter: 2 }).status, Status::Achieved);
}

#[test]
fn every_status_is_reachable() {
    let t = growth_target(104.0, 160.0);
    let statuses: Vec<Status> = [170.0, 115.0, 110.0, 105.0, 90.0]
        .iter()
        .map(|&v| run(&t, &[year(2025, v)], Period::Year(2025)).status)
        .chain([
            run(&t, &[year(2030, 150.0)], Period::Year(2030)).status,
            run(&t, &[], Period::Year(2025)).status,
            run(&growth_target(104.0, 160.0), &[year(2024, 104.0)], Period::Year(2024)).status,
        ])
        .collect();
    assert_eq!(
        statuses,
        [
            Status::Achieved,
            Status::OnTrack,
            Status::NeedsAcceleration,
            Status::OffTrack,
            Status::MovingAway,
            Status::Missed,
            Status::NoData,
            Status::Baseline,
        ]
    );
}

// ── Districts ───────────────────────────────────────────────────────────────────────────

#[test]
fn a_districts_goal_is_its_baseline_share_of_the_citys_rounded_to_the_unit() {
    let t = growth_target(104.0, 160.0);
    let goal = goal_for_district(&t, PLAN_BASELINE_YEAR, None, Some((20.0, 104.0)));
    assert_eq!(goal.path, [Milestone { year: 2030, value: 31.0 }], "160 × 20/104 = 30.8 → 31 家");
    assert_eq!(goal.source, GoalSource::Share(20.0 / 104.0));
    for shares in [Some((0.0, 104.0)), None] {
        let none = goal_for_district(&t, PLAN_BASELINE_YEAR, None, shares);
        assert!(!none.known(), "no share of a goal without a baseline: {shares:?}");
        let e = evaluate(
            &Subject { target: &t, goal: &none, points: &[year(2025, 1.0)], measures: &[], summed: &[], due_by: None },
            Period::Year(2025),
        );
        assert_eq!(e.status, Status::NoData);
        assert!(explain(&t, &e, Lang::Zh).contains("目标未分解"));
    }
    let decomposed = goal_for_district(&t, PLAN_BASELINE_YEAR, Some(&path(&[(2030, 50.0)])), Some((20.0, 104.0)));
    assert_eq!(decomposed.path, [Milestone { year: 2030, value: 50.0 }], "a decomposed goal wins");
}

#[test]
fn rates_reach_districts_only_where_marked_the_same() {
    let mut t = yearly(target(Kind::Level, Direction::Up, path(&[(2030, 65.0)]), None));
    t.unit = "%".into();
    t.district_goal = DistrictGoal::default_for(t.kind, &t.unit);
    assert!(!goal_for_district(&t, PLAN_BASELINE_YEAR, None, Some((30.0, 50.0))).known());
    t.district_goal = DistrictGoal::Same;
    assert_eq!(goal_for_district(&t, PLAN_BASELINE_YEAR, None, None).path, [Milestone { year: 2030, value: 65.0 }]);
}

#[test]
fn decomposed_goals_that_do_not_add_up_are_reported() {
    let plan = crate::plan::parse("plan", include_str!("../../../../plans/ningbo-361-2025.toml")).expect("plan");
    let org_units =
        crate::org::OrgUnits::parse("units", include_str!("../../../../data/org-units.toml")).expect("units");
    let mut decompositions = Decompositions::new();
    decompositions.insert(TargetId::new("3.3.1"), OrgUnitId::new("北仑区"), path(&[(2030, 40.0)]));
    decompositions.insert(TargetId::new("3.3.1"), OrgUnitId::new("宁波经济技术开发区"), path(&[(2030, 40.0)]));
    let gaps = decomposition_gaps(&plan, &org_units, &decompositions);
    assert_eq!(gaps.len(), 1);
    assert_eq!((gaps[0].year, gaps[0].districts, gaps[0].districts_total, gaps[0].city), (2030, 1, 40.0, 160.0));
    let shares = [34.0, 22.0, 20.0, 25.0, 14.0, 11.0, 9.0, 9.0, 10.0, 6.0];
    let districts: Vec<String> = org_units.of_kind(crate::org::OrgKind::District).map(|u| u.name.clone()).collect();
    for (name, share) in districts.iter().zip(shares) {
        decompositions.insert(TargetId::new("3.3.1"), OrgUnitId::new(name), path(&[(2030, share)]));
    }
    assert!(decomposition_gaps(&plan, &org_units, &decompositions).is_empty(), "160 in all");
}

// ── Properties ──────────────────────────────────────────────────────────────────────────

/// Targets of every kind, each on the frequency and basis the plan would give it.
fn all_kinds() -> impl Strategy<Value = Target> {
    prop_oneof![
        (1.0f64..500.0, 1.0f64..500.0).prop_map(|(b, extra)| growth_target(b, b + extra)),
        (1.0f64..500.0).prop_map(|goal| target(Kind::Cumulative, Direction::Up, path(&[(2030, goal)]), None)),
        (1.0f64..500.0).prop_map(|goal| target(
            Kind::Increment,
            Direction::Up,
            path(&[(2027, goal / 2.0), (2030, goal)]),
            None
        )),
        (1.0f64..500.0).prop_map(|goal| target(
            Kind::Annual,
            Direction::Up,
            Goal::EveryYear { value: goal, until: Some(2030) },
            None
        )),
        (1.0f64..100.0).prop_map(|goal| {
            let mut t =
                target(Kind::Threshold, Direction::Up, Goal::EveryYear { value: goal, until: Some(2030) }, None);
            t.unit = "%".into();
            t
        }),
        (1.0f64..100.0).prop_map(|b| target(
            Kind::Stable,
            Direction::Up,
            Goal::State { due: Some(2030) },
            Some((b, 2024))
        )),
        Just({
            let mut t = target(Kind::Milestone, Direction::Up, Goal::State { due: Some(2030) }, None);
            t.unit = crate::units::STATE.into();
            t
        }),
        (0.0f64..100.0).prop_map(|b| target(Kind::Zero, Direction::Down, path(&[(2030, 0.0)]), Some((b, 2024)))),
        (0.1f64..1.0, 0.01f64..0.1).prop_map(|(b, t)| {
            let mut t = yearly(target(Kind::Level, Direction::Down, path(&[(2030, t)]), Some((b, 2020))));
            t.unit = "万亿元".into();
            t
        }),
        (1.0f64..3.0).prop_map(|goal| {
            let mut t =
                target(Kind::Level, Direction::Up, path(&[(2027, goal), (2030, goal * 1.2)]), Some((1.0, 2022)));
            t.basis = Basis::Ytd;
            t.unit = "万亿元".into();
            t
        }),
        Just(target(Kind::Zero, Direction::Down, path(&[(2030, 0.0)]), None)),
    ]
}

/// A period of the target's frequency between 2023 and 2032.
fn period_of(frequency: Frequency) -> BoxedStrategy<Period> {
    match frequency {
        Frequency::Month => (2023i32..2033, 1u8..=12).prop_map(|(y, m)| Period::month(y, m)).boxed(),
        Frequency::Quarter => {
            (2023i32..2033, 1u8..=4).prop_map(|(y, q)| Period::Quarter { year: y, quarter: q }).boxed()
        }
        Frequency::Year => (2023i32..2033).prop_map(Period::Year).boxed(),
    }
}

/// A target with a series of plausible values of its frequency and a period to evaluate at.
fn scenario() -> impl Strategy<Value = (Target, Vec<Point>, Period)> {
    all_kinds().prop_flat_map(|t| {
        let point = (period_of(t.frequency), 0.0f64..400.0).prop_map(|(period, value)| Point { period, value });
        (Just(t.clone()), proptest::collection::vec(point, 0..7), period_of(t.frequency))
    })
}

fn any_point() -> impl Strategy<Value = Point> {
    let period = prop_oneof![
        (2020i32..2033, 1u8..=12).prop_map(|(y, m)| Period::month(y, m)),
        (2020i32..2033, 1u8..=4).prop_map(|(y, q)| Period::Quarter { year: y, quarter: q }),
        (2020i32..2033).prop_map(Period::Year),
    ];
    let value = prop_oneof![
        -1e3f64..1e3,
        Just(0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(-f64::MAX),
        Just(f64::NAN),
        Just(f64::INFINITY),
    ];
    (period, value).prop_map(|(period, value)| Point { period, value })
}

/// The numbers of a text: runs of digits and points.
fn numbers_in(text: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            numbers.push(current.trim_end_matches('.').to_string());
            current.clear();
        }
    }
    numbers
}

/// Every number the evaluation's fields show, formatted as tables format them: the only numbers
/// a sentence may contain.
fn displayed_numbers(t: &Target, e: &Evaluation) -> HashSet<String> {
    let mut texts: Vec<String> = Vec::new();
    let mut period =
        |p: Period| texts.push(format!("{} {} {}", p.year(), p.months_elapsed(), i18n::period_label(p, Lang::Zh)));
    period(e.period);
    e.data_period.into_iter().for_each(&mut period);
    e.cagr_since.into_iter().for_each(&mut period);
    e.baseline.iter().map(|b| b.period).for_each(&mut period);
    if let Basis::SinceStart(start) = t.basis {
        period(start);
    }
    for m in &e.moves {
        period(m.period);
    }
    if let Some(figure) = e.year_figure {
        texts.push(figure.year.to_string());
    }
    texts.push("1".into()); // 1—N月
    let units: Vec<&str> = std::iter::once(t.unit.as_str()).chain(t.measures.iter().map(|m| m.unit.as_str())).collect();
    let mut amounts: Vec<f64> = [e.value, e.target_value, e.projected].into_iter().flatten().collect();
    amounts.extend(e.baseline.iter().flat_map(|b| [Some(b.value), b.plan_value]).flatten());
    amounts.extend(e.year_figure.map(|f| f.value));
    amounts.extend(e.year_results.iter().flat_map(|r| [r.goal, r.value]).flatten());
    amounts.extend(e.moves.iter().flat_map(|m| [m.value, m.previous]));
    for amount in amounts {
        for unit in &units {
            texts.push(i18n::quantity(amount, unit));
        }
    }
    for fraction in [e.progress, e.expected, e.actual_cagr.map(f64::abs), e.required_cagr.map(f64::abs)]
        .into_iter()
        .chain([e.year_figure.and_then(|f| f.yoy).map(f64::abs)])
        .flatten()
    {
        texts.push(i18n::percent(fraction));
    }
    if let Some(lag) = e.lag_pp {
        texts.push(i18n::points(lag));
        texts.push(i18n::number(lag.abs(), "个百分点"));
        texts.push(i18n::number(lag.abs(), &t.unit));
    }
    texts.extend(e.target_year.iter().chain(e.year_results.iter().map(|r| &r.year)).map(|y| y.to_string()));
    texts.iter().flat_map(|text| numbers_in(text)).collect()
}

proptest! {
    #[test]
    fn a_better_value_never_worsens_the_status(
        (t, history, at) in scenario(),
        value in 0.0f64..400.0,
        change in 0.0f64..1.0,
    ) {
        // Better: higher for a target that should rise, lower for one that should fall.
        let better = match t.direction {
            Direction::Up => value + change * 400.0,
            Direction::Down => value * change,
        };
        let with = |value: f64| {
            let mut points: Vec<Point> = history.iter().filter(|p| p.period != at).copied().collect();
            points.push(Point { period: at, value });
            run(&t, &points, at).status
        };
        let (before, after) = (with(value), with(better));
        if before.is_judged() && after.is_judged() {
            prop_assert!(
                after.severity() <= before.severity(),
                "{:?}: {} → {:?}, {} → {:?}", t.kind, value, before, better, after
            );
        }
    }

    #[test]
    fn the_verdict_agrees_with_the_status((t, points, at) in scenario()) {
        let e = run(&t, &points, at);
        let sentence = explain(&t, &e, Lang::Zh);
        let verdict = sentence.trim_end_matches('。').rsplit([';', ',']).next().unwrap_or_default();
        let own = VERDICTS.iter().find(|(s, _)| *s == e.status).map(|(_, p)| *p).unwrap_or_default();
        prop_assert!(own.iter().any(|p| verdict.contains(p)), "{:?}: verdict \"{verdict}\" of \"{sentence}\"", e.status);
        for (status, phrases) in VERDICTS.iter().filter(|(s, _)| *s != e.status) {
            for phrase in *phrases {
                prop_assert!(!verdict.contains(phrase), "{:?} verdict \"{verdict}\" has {status:?}'s \"{phrase}\"", e.status);
            }
        }
        let good = matches!(e.status, Status::Achieved | Status::OnTrack);
        for contradiction in ["需加快", "难以", "相反", "反弹"] {
            prop_assert!(!good || !sentence.contains(contradiction), "{:?}: {sentence}", e.status);
        }
        if e.status.needs_attention() {
            prop_assert!(!sentence.contains("可完成目标") && !sentence.contains("进度正常"), "{:?}: {sentence}", e.status);
        }
    }

    #[test]
    fn every_number_in_the_sentence_is_a_field_as_displayed((t, points, at) in scenario()) {
        let e = run(&t, &points, at);
        let sentence = explain(&t, &e, Lang::Zh);
        let shown = displayed_numbers(&t, &e);
        for number in numbers_in(&sentence) {
            prop_assert!(shown.contains(&number), "{number} in \"{sentence}\" is no field of {e:?}");
        }
    }

    #[test]
    fn a_value_at_or_before_the_plan_baseline_never_changes_the_status(
        (t, points, at) in scenario().prop_filter("a reported target with a plan baseline", |(t, _, _)| t.baseline.is_some() && t.basis != Basis::Ytd),
        early in 0.0f64..400.0,
        back in 0i32..3,
    ) {
        let baseline_year = t.baseline.as_ref().map_or(PLAN_BASELINE_YEAR, |b| b.year);
        let before = t.frequency.closing(baseline_year - back);
        let mut with_early = points.clone();
        with_early.retain(|p| p.period != before);
        with_early.push(Point { period: before, value: early });
        let without: Vec<Point> = points.iter().filter(|p| p.period != before).copied().collect();
        prop_assert_eq!(run(&t, &with_early, at).status, run(&t, &without, at).status);
    }

    #[test]
    fn a_later_value_never_changes_the_result_of_a_finished_year(
        (t, points, at) in scenario(),
        later in 0.0f64..400.0,
        ahead in 1i32..3,
    ) {
        let e = run(&t, &points, at);
        let next = t.frequency.period_containing(Period::month(at.year() + ahead, 3));
        let mut more = points.clone();
        more.retain(|p| p.period != next);
        more.push(Point { period: next, value: later });
        let after = run(&t, &more, next);
        for result in &e.year_results {
            prop_assert!(after.year_results.contains(result), "{result:?} changed: {:?}", after.year_results);
        }
    }

    #[test]
    fn every_number_is_finite_or_absent(
        t in all_kinds(),
        points in proptest::collection::vec(any_point(), 0..6),
        at_year in 2020i32..2034,
    ) {
        let e = run(&t, &points, Period::Year(at_year));
        for measure in [e.value, e.target_value, e.completion, e.progress, e.expected, e.lag_pp,
                        e.actual_cagr, e.required_cagr, e.projected, e.projection_ratio] {
            prop_assert!(measure.is_none_or(f64::is_finite), "{e:?}");
        }
        for lang in [Lang::Zh, Lang::En] {
            let sentence = explain(&t, &e, lang);
            prop_assert!(!sentence.contains("NaN") && !sentence.contains("inf"), "{sentence}");
        }
    }

    #[test]
    fn evaluation_is_independent_of_observation_order(
        (t, points, at) in scenario(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = points.clone();
        // A deterministic shuffle driven by the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(run(&t, &points, at), run(&t, &shuffled, at));
    }
}
