use proptest::prelude::*;

use super::*;
use crate::i18n::{Lang, explain};
use crate::plan::{Baseline, Goal, Measure, Milestone};

const PLAN_BASELINE_YEAR: i32 = 2024;

fn target(kind: Kind, direction: Direction, goal: Goal, baseline: Option<(f64, i32)>) -> Target {
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
        frequency: crate::plan::Frequency::default_for(kind),
        count: None,
        stats: None,
        note: None,
    }
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

fn run(target: &Target, points: &[Point], at: Period) -> Evaluation {
    let goal = goal_for_city(target, PLAN_BASELINE_YEAR);
    evaluate(&Subject { target, goal: &goal, points, measures: &[] }, at)
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
    target(Kind::Cumulative, Direction::Up, path(&[(2030, goal)]), Some((baseline, 2024)))
}

// ── Reference vectors (DESIGN §3) ────────────────────────────────────────────────────

#[test]
fn reference_growth_on_track() {
    let e = run(&growth_target(104.0, 160.0), &[year(2025, 115.0)], Period::Year(2025));
    close(e.actual_cagr, 0.105769);
    close(e.required_cagr, 0.068278);
    close(e.projected, 190.1167);
    close(e.projection_ratio, 1.537799);
    assert_eq!(e.status, Status::OnTrack);
    close(cagr(104.0, 2025.0, 160.0, 2031.0), 0.074437);
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
    let t = target(Kind::Level, Direction::Down, path(&[(2030, 0.35)]), Some((0.50, 2020)));
    let e = run(&t, &[year(2024, 0.44)], Period::Year(2024));
    close(e.actual_cagr, -0.031453);
    close(e.projected, 0.363226);
    close(e.projection_ratio, 0.911828);
    assert_eq!(e.status, Status::NeedsAcceleration);
}

#[test]
fn reference_reduce_to_zero() {
    let t = target(Kind::Zero, Direction::Down, path(&[(2030, 0.0)]), Some((12.0, 2024)));
    let e = run(&t, &[year(2025, 9.0)], Period::Year(2025));
    close(e.projected, 2.135742);
    close(e.projection_ratio, 0.822021);
    assert_eq!(e.required_cagr, None, "growth to zero has no rate");
    assert_eq!(e.status, Status::NeedsAcceleration);
}

// ── Paths, 序时进度 and the lag fallback ─────────────────────────────────────────────

#[test]
fn expected_progress_is_piecewise_through_both_target_years() {
    // 2.43 (2022) → 2.7 (2027) → 3.3 (2030); a 2028 value is measured against 2030.
    let t = target(Kind::Level, Direction::Up, path(&[(2027, 2.7), (2030, 3.3)]), Some((2.43, 2022)));
    let early = run(&t, &[year(2024, 2.6)], Period::Year(2024));
    assert_eq!(early.target_year, Some(2027));
    close(early.expected, 2.0 / 5.0);
    close(early.progress, (2.6 - 2.43) / (2.7 - 2.43));

    let late = run(&t, &[year(2028, 2.9)], Period::Year(2028));
    assert_eq!(late.target_year, Some(2030));
    let expected_value = 2.7 + (3.3 - 2.7) / 3.0;
    close(late.expected, (expected_value - 2.43) / (3.3 - 2.43));
    close(late.lag_pp, ((2.9 - 2.43) / (3.3 - 2.43) - (expected_value - 2.43) / (3.3 - 2.43)) * 100.0);
}

#[test]
fn a_missing_baseline_measures_against_the_target_alone() {
    let t = target(Kind::Cumulative, Direction::Up, path(&[(2030, 200.0)]), None);
    let e = run(&t, &[year(2025, 50.0)], Period::Year(2025));
    close(e.progress, 0.25);
    close(e.completion, 0.25);
    close(e.expected, 1.0 / 6.0);
    assert!(e.notes.contains(&Note::BaselineUnknown));
    assert!(e.notes.contains(&Note::TooFewPoints), "one point and no baseline: no CAGR");
    assert_eq!(e.actual_cagr, None);
    assert_eq!(e.status, Status::OnTrack, "falls back to the lag, which is positive");
    let sentence = explain(&t, &e, Lang::Zh);
    assert!(sentence.contains("基期值未知"), "{sentence}");
    assert!(sentence.contains("无法推算年均增长"), "{sentence}");
}

#[test]
fn without_baseline_growth_is_measured_from_the_first_observation() {
    let t = target(Kind::Cumulative, Direction::Up, path(&[(2030, 200.0)]), None);
    let e = run(&t, &[year(2025, 100.0), year(2026, 110.0)], Period::Year(2026));
    close(e.actual_cagr, 0.1);
    assert_eq!(e.cagr_since, Some(2025));
    close(e.projection_ratio, 110.0 * 1.1f64.powi(4) / 200.0);
}

#[test]
fn lag_fallback_sets_the_status_when_no_projection_is_possible() {
    let t = target(Kind::Cumulative, Direction::Up, path(&[(2030, 100.0)]), None);
    // Three years in: 序时进度 0.5.
    let behind = run(&t, &[year(2027, 45.0)], Period::Year(2027));
    close(behind.lag_pp, -5.0);
    assert_eq!(behind.status, Status::NeedsAcceleration);
    let far_behind = run(&t, &[year(2027, 30.0)], Period::Year(2027));
    assert_eq!(far_behind.status, Status::OffTrack);
}

#[test]
fn zero_and_negative_values_give_no_growth_rate_and_no_nan() {
    let t = growth_target(104.0, 160.0);
    for value in [0.0, -5.0] {
        let e = run(&t, &[year(2025, value)], Period::Year(2025));
        assert_eq!(e.actual_cagr, None);
        assert_eq!(e.required_cagr, None);
        assert_eq!(e.projected, None);
        assert_eq!(e.status, Status::MovingAway, "below the baseline");
        assert!(explain(&t, &e, Lang::Zh).contains("无法推算"));
    }
}

#[test]
fn a_met_target_is_achieved() {
    let e = run(&growth_target(104.0, 160.0), &[year(2027, 161.0)], Period::Year(2027));
    assert_eq!(e.status, Status::Achieved);
    assert!(explain(&growth_target(104.0, 160.0), &e, Lang::Zh).contains("已达到2030年目标160家"));
}

#[test]
fn exceeding_means_passing_and_about_allows_a_small_shortfall() {
    let mut t = growth_target(0.5, 1.0);
    t.comparator = Comparator::Exceed;
    assert_ne!(run(&t, &[year(2030, 1.0)], Period::Year(2030)).status, Status::Achieved);
    assert_eq!(run(&t, &[year(2030, 1.01)], Period::Year(2030)).status, Status::Achieved);

    let mut about = target(Kind::Annual, Direction::Up, Goal::EveryYear { value: 200.0, until: None }, None);
    about.comparator = Comparator::About;
    assert_eq!(run(&about, &[year(2025, 192.0)], Period::Year(2025)).status, Status::Achieved);
    assert_eq!(run(&about, &[year(2025, 185.0)], Period::Year(2025)).status, Status::OffTrack);
}

#[test]
fn an_observation_after_the_due_date_is_judged_against_the_final_target() {
    let t = growth_target(104.0, 160.0);
    let missed = run(&t, &[year(2031, 150.0)], Period::Year(2031));
    assert_eq!(missed.status, Status::OffTrack);
    assert!(missed.notes.contains(&Note::PastDue));
    assert_eq!(missed.required_cagr, None, "no time left");
    let fell = run(&t, &[year(2031, 100.0)], Period::Year(2031));
    assert_eq!(fell.status, Status::MovingAway);
    assert!(explain(&t, &missed, Lang::Zh).contains("已过2030年目标期限"));
}

#[test]
fn no_observation_means_no_data() {
    let t = growth_target(104.0, 160.0);
    let e = run(&t, &[year(2026, 130.0)], Period::Year(2025));
    assert_eq!(e.status, Status::NoData, "the 2026 value is after the period asked for");
    assert_eq!(e.value, None);
    assert_eq!(explain(&t, &e, Lang::Zh), "截至2025年暂无数据。");
}

#[test]
fn increments_project_at_the_pace_kept_so_far() {
    let t = target(Kind::Increment, Direction::Up, path(&[(2030, 100.0)]), None);
    let e = run(&t, &[year(2026, 30.0)], Period::Year(2026));
    close(e.progress, 0.3);
    close(e.expected, 2.0 / 6.0);
    close(e.projected, 90.0);
    close(e.projection_ratio, 0.9);
    assert_eq!(e.actual_cagr, None);
    assert_eq!(e.status, Status::NeedsAcceleration);
    assert!(!e.notes.contains(&Note::BaselineUnknown), "increments count from zero by definition");
}

// ── The other kinds ─────────────────────────────────────────────────────────────────

#[test]
fn annual_targets_use_the_months_elapsed() {
    let t = target(Kind::Annual, Direction::Up, Goal::EveryYear { value: 40.0, until: Some(2030) }, None);
    let e = run(&t, &[month(2026, 6, 15.0)], Period::month(2026, 6));
    close(e.progress, 15.0 / 40.0);
    close(e.expected, 0.5);
    close(e.lag_pp, -12.5);
    assert_eq!(e.status, Status::OffTrack);
    let sentence = explain(&t, &e, Lang::Zh);
    assert!(sentence.starts_with("2026年1—6月累计15家"), "{sentence}");

    let on_pace = run(&t, &[month(2026, 6, 21.0)], Period::month(2026, 6));
    assert_eq!(on_pace.status, Status::OnTrack);
}

#[test]
fn annual_targets_record_each_finished_year() {
    let t = target(Kind::Annual, Direction::Up, Goal::EveryYear { value: 40.0, until: Some(2030) }, None);
    let points = [month(2025, 12, 42.0), month(2026, 12, 30.0), month(2027, 3, 12.0)];
    let e = run(&t, &points, Period::month(2027, 3));
    assert_eq!(e.years_met, vec![(2025, true), (2026, false)]);
    assert_eq!(e.status, Status::OnTrack, "12 of 40 after three months is ahead of 25%");
    assert!(explain(&t, &e, Lang::Zh).contains("2026年未完成年度目标"));
    let closed = run(&t, &points, Period::month(2026, 12));
    assert_eq!(closed.status, Status::OffTrack, "a finished year below target is missed");
}

#[test]
fn thresholds_are_met_or_not_with_a_margin() {
    let mut t = target(Kind::Threshold, Direction::Up, path(&[(2030, 98.0)]), None);
    t.unit = "%".into();
    assert_eq!(run(&t, &[year(2025, 98.5)], Period::Year(2025)).status, Status::Achieved);
    let near = run(&t, &[year(2025, 97.0)], Period::Year(2025));
    close(near.lag_pp, -1.0);
    assert_eq!(near.status, Status::NeedsAcceleration);
    assert!(explain(&t, &near, Lang::Zh).contains("还差1个百分点"));
    assert_eq!(run(&t, &[year(2025, 90.0)], Period::Year(2025)).status, Status::OffTrack);
    let falling = run(&t, &[year(2024, 97.5), year(2025, 97.0)], Period::Year(2025));
    assert_eq!(falling.status, Status::MovingAway);
}

#[test]
fn stable_targets_tolerate_small_changes_and_any_rise() {
    let t = target(Kind::Stable, Direction::Up, Goal::State { due: Some(2030) }, Some((10.0, 2024)));
    assert_eq!(run(&t, &[year(2025, 9.6)], Period::Year(2025)).status, Status::Achieved);
    assert_eq!(run(&t, &[year(2025, 12.0)], Period::Year(2025)).status, Status::Achieved);
    assert_eq!(run(&t, &[year(2025, 9.2)], Period::Year(2025)).status, Status::NeedsAcceleration);
    assert_eq!(run(&t, &[year(2025, 8.0)], Period::Year(2025)).status, Status::OffTrack);

    let unknown = target(Kind::Stable, Direction::Up, Goal::State { due: Some(2030) }, None);
    let e = run(&unknown, &[year(2025, 5.0), year(2026, 4.0)], Period::Year(2026));
    assert!(e.notes.contains(&Note::FirstObservationAsReference));
    assert_eq!(e.status, Status::OffTrack);
}

#[test]
fn direction_targets_need_every_measure_to_improve() {
    let mut t = target(Kind::Direction, Direction::Up, Goal::State { due: Some(2030) }, None);
    t.measures = vec![
        Measure { key: "rank".into(), name: "综合排名".into(), direction: Direction::Down },
        Measure { key: "share".into(), name: "工业增加值占比".into(), direction: Direction::Up },
    ];
    let series = |rank: [f64; 2], share: [f64; 2]| {
        vec![
            MeasureSeries { key: "rank".into(), points: vec![year(2024, rank[0]), year(2025, rank[1])] },
            MeasureSeries { key: "share".into(), points: vec![year(2024, share[0]), year(2025, share[1])] },
        ]
    };
    let goal = goal_for_city(&t, PLAN_BASELINE_YEAR);
    let eval_with = |measures: &[MeasureSeries]| {
        evaluate(&Subject { target: &t, goal: &goal, points: &[], measures }, Period::Year(2025))
    };
    let both = eval_with(&series([12.0, 9.0], [30.0, 31.0]));
    assert_eq!(both.status, Status::Achieved);
    assert_eq!(both.moves, vec![("rank".into(), true), ("share".into(), true)]);
    assert!(explain(&t, &both, Lang::Zh).contains("综合排名较上年改善"));
    assert_eq!(eval_with(&series([12.0, 13.0], [30.0, 31.0])).status, Status::NeedsAcceleration);
    assert_eq!(eval_with(&series([12.0, 13.0], [30.0, 29.0])).status, Status::MovingAway);
    assert_eq!(eval_with(&[]).status, Status::NoData);
}

#[test]
fn milestones_are_done_on_schedule_or_overdue() {
    let t = target(Kind::Milestone, Direction::Up, Goal::State { due: Some(2030) }, None);
    assert_eq!(run(&t, &[year(2026, 1.0)], Period::Year(2026)).status, Status::Achieved);
    assert_eq!(run(&t, &[year(2026, 0.4)], Period::Year(2026)).status, Status::OnTrack);
    assert_eq!(run(&t, &[year(2026, 0.2)], Period::Year(2026)).status, Status::OffTrack);
    assert_eq!(run(&t, &[year(2031, 0.9)], Period::Year(2031)).status, Status::OffTrack);
    let undated = target(Kind::Milestone, Direction::Up, Goal::State { due: None }, None);
    assert_eq!(run(&undated, &[year(2026, 0.0)], Period::Year(2026)).status, Status::OnTrack);
}

#[test]
fn every_status_is_reachable() {
    let t = growth_target(104.0, 160.0);
    let statuses: Vec<Status> = [170.0, 115.0, 110.0, 105.0, 90.0]
        .iter()
        .map(|&v| run(&t, &[year(2025, v)], Period::Year(2025)).status)
        .chain([run(&t, &[], Period::Year(2025)).status])
        .collect();
    assert_eq!(
        statuses,
        [
            Status::Achieved,
            Status::OnTrack,
            Status::NeedsAcceleration,
            Status::OffTrack,
            Status::MovingAway,
            Status::NoData
        ]
    );
}

#[test]
fn the_explanation_quotes_the_numbers() {
    let t = growth_target(104.0, 160.0);
    let e = run(&t, &[year(2025, 115.0)], Period::Year(2025));
    assert_eq!(
        explain(&t, &e, Lang::Zh),
        "累计完成115家,完成率71.9%,快于序时进度3.0个百分点;按2024年以来年均增长10.6%推算,2030年可达190家,可完成目标。"
    );
    let slow = run(&t, &[year(2025, 108.0)], Period::Year(2025));
    let sentence = explain(&t, &slow, Lang::Zh);
    assert!(sentence.contains("难以按期完成目标"), "{sentence}");
    assert!(sentence.contains("今后需年均增长8.2%"), "{sentence}");
    assert!(explain(&t, &slow, Lang::En).starts_with("108家 in total"));
}

// ── Districts ───────────────────────────────────────────────────────────────────────

#[test]
fn a_district_without_its_own_goal_scales_the_city_path_by_its_baseline_share() {
    let t = growth_target(100.0, 160.0);
    let own = Baseline { value: 25.0, year: 2024, source: "报送".into() };
    let goal = goal_for_district(&t, PLAN_BASELINE_YEAR, None, Some(own));
    assert_eq!(goal.path, vec![Milestone { year: 2030, value: 40.0 }]);
    let e =
        evaluate(&Subject { target: &t, goal: &goal, points: &[year(2025, 28.0)], measures: &[] }, Period::Year(2025));
    close(e.completion, 0.7);

    let unknown = goal_for_district(&t, PLAN_BASELINE_YEAR, None, None);
    let e = evaluate(
        &Subject { target: &t, goal: &unknown, points: &[year(2025, 28.0)], measures: &[] },
        Period::Year(2025),
    );
    assert_eq!(e.status, Status::NoData);
    assert_eq!(e.value, Some(28.0));
    assert!(explain(&t, &e, Lang::Zh).contains("尚未分解目标"));
}

#[test]
fn a_decomposed_goal_wins_over_scaling() {
    let t = growth_target(100.0, 160.0);
    let goal = goal_for_district(&t, PLAN_BASELINE_YEAR, Some(&path(&[(2030, 50.0)])), None);
    assert_eq!(goal.path, vec![Milestone { year: 2030, value: 50.0 }]);
}

#[test]
fn decomposed_goals_that_do_not_add_up_are_reported() {
    let plan = crate::plan::parse("plan", include_str!("../../../../plans/ningbo-361-2025.toml")).expect("plan");
    let org_units =
        crate::org::OrgUnits::parse("units", include_str!("../../../../data/org-units.toml")).expect("units");
    let mut decompositions = Decompositions::new();
    decompositions.insert(("3.3.1".into(), "北仑区".into()), path(&[(2030, 40.0)]));
    decompositions.insert(("3.3.1".into(), "宁波经济技术开发区".into()), path(&[(2030, 40.0)]));
    let gaps = decomposition_gaps(&plan, &org_units, &decompositions);
    assert_eq!(gaps.len(), 1);
    assert_eq!((gaps[0].year, gaps[0].districts, gaps[0].districts_total, gaps[0].city), (2030, 1, 40.0, 160.0));
    let shares = [34.0, 22.0, 20.0, 25.0, 14.0, 11.0, 9.0, 9.0, 10.0, 6.0];
    let districts: Vec<String> = org_units.of_kind(crate::org::OrgKind::District).map(|u| u.name.clone()).collect();
    for (name, share) in districts.iter().zip(shares) {
        decompositions.insert(("3.3.1".into(), name.clone()), path(&[(2030, share)]));
    }
    assert!(decomposition_gaps(&plan, &org_units, &decompositions).is_empty(), "160 in all");
}

#[test]
fn rate_targets_apply_to_districts_unchanged() {
    let mut t = target(Kind::Threshold, Direction::Up, path(&[(2030, 98.0)]), None);
    t.unit = "%".into();
    let goal = goal_for_district(&t, PLAN_BASELINE_YEAR, None, None);
    assert_eq!(goal.path, vec![Milestone { year: 2030, value: 98.0 }]);
}

#[test]
fn a_districts_baseline_is_its_full_year_value() {
    let points = [month(2024, 11, 8.0), month(2024, 12, 9.0), year(2024, 9.5), year(2025, 11.0)];
    let b = baseline_from_points(&points, 2024).expect("2024 is reported");
    assert_eq!(b.value, 9.5, "the annual figure wins over December");
    assert_eq!(baseline_from_points(&points[..1], 2024), None, "November does not close the year");
}

// ── Properties ──────────────────────────────────────────────────────────────────────

fn kinds() -> impl Strategy<Value = Target> {
    let up = prop_oneof![
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
        (1.0f64..100.0).prop_map(|goal| target(Kind::Threshold, Direction::Up, path(&[(2030, goal)]), None)),
        (1.0f64..100.0).prop_map(|b| target(
            Kind::Stable,
            Direction::Up,
            Goal::State { due: Some(2030) },
            Some((b, 2024))
        )),
        Just(target(Kind::Milestone, Direction::Up, Goal::State { due: Some(2030) }, None)),
    ];
    up
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

fn all_kinds() -> impl Strategy<Value = Target> {
    prop_oneof![
        kinds(),
        (0.0f64..100.0).prop_map(|b| target(Kind::Zero, Direction::Down, path(&[(2030, 0.0)]), Some((b, 2024)))),
        (0.0f64..1.0, -1.0f64..1.0).prop_map(|(b, t)| target(
            Kind::Level,
            Direction::Down,
            path(&[(2030, t)]),
            Some((b, 2020))
        )),
        Just(target(Kind::Zero, Direction::Down, path(&[(2030, 0.0)]), None)),
    ]
}

proptest! {
    #[test]
    fn raising_the_value_never_worsens_the_status(
        t in kinds(),
        history in proptest::collection::vec(any_point().prop_filter("finite", |p| p.value.is_finite() && p.period.year() < 2026), 0..4),
        low in 0.0f64..600.0,
        raise in 0.0f64..600.0,
        m in 1u8..=12,
    ) {
        let at = Period::month(2026, m);
        let with = |value: f64| {
            let mut points = history.clone();
            points.push(Point { period: at, value });
            run(&t, &points, at).status
        };
        let (before, after) = (with(low), with(low + raise));
        prop_assert!(
            after.severity() <= before.severity(),
            "{:?}: {} → {:?}, {} → {:?}", t.kind, low, before, low + raise, after
        );
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
        t in all_kinds(),
        points in proptest::collection::vec(any_point(), 0..6),
        seed in any::<u64>(),
        at_year in 2024i32..2032,
    ) {
        let mut shuffled = points.clone();
        // A deterministic shuffle driven by the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let at = Period::Year(at_year);
        prop_assert_eq!(run(&t, &points, at), run(&t, &shuffled, at));
    }
}
