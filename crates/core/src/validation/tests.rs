use proptest::prelude::*;

use super::*;

const PLAN: &str = include_str!("../../../../plans/ningbo-361-2025.toml");
const UNITS: &str = include_str!("../../../../data/org-units.toml");

fn setting() -> (Plan, OrgUnits) {
    (crate::plan::parse("plan", PLAN).expect("plan"), OrgUnits::parse("units", UNITS).expect("units"))
}

fn at(org_unit: &str, period: &str, value: f64) -> Reported {
    Reported { org_unit: org_unit.into(), period: period.parse().expect("period"), value }
}

fn findings(rules: &Rules, target: &str, stored: &[Reported], entry: &Reported) -> Vec<Finding> {
    let (plan, org_units) = setting();
    let Ok(key) = target.parse::<crate::plan::TargetKey>();
    let subject = Subject {
        target: plan.target(&key.id).expect("target"),
        measure: key.measure.as_deref(),
        org_units: &org_units,
    };
    check(rules, &subject, stored, entry)
}

fn checks(found: &[Finding]) -> Vec<(Check, Severity)> {
    found.iter().map(|f| (f.check, f.severity)).collect()
}

#[test]
fn a_falling_year_to_date_value_is_refused_within_the_year_only() {
    let rules = Rules::default();
    let stored = [at("宁波市", "2026-03", 15.0), at("宁波市", "2025-12", 60.0)];
    let found = findings(&rules, "6.1.2", &stored, &at("宁波市", "2026-04", 10.0));
    assert!(checks(&found).contains(&(Check::CumulativeFall, Severity::Error)), "{found:?}");
    assert!(found.iter().any(|f| f.message.contains("15") && f.message.contains("10")), "{found:?}");
    let january = findings(&rules, "6.1.2", &[at("宁波市", "2025-12", 60.0)], &at("宁波市", "2026-01", 5.0));
    assert!(!checks(&january).iter().any(|(c, _)| *c == Check::CumulativeFall), "{january:?}");
}

#[test]
fn a_year_to_date_rate_may_fall_and_is_compared_as_it_is() {
    let rules = Rules::default();
    // 2.1.1 新增工业用地入园率 (1—N月): a ratio of sums, which may go down within a year.
    let found = findings(&rules, "2.1.1", &[at("宁波市", "2026-02", 98.87)], &at("宁波市", "2026-03", 98.33));
    assert!(found.is_empty(), "{found:?}");
    let jump = findings(&rules, "2.1.1", &[at("宁波市", "2026-02", 40.0)], &at("宁波市", "2026-03", 90.0));
    assert_eq!(checks(&jump), vec![(Check::PeriodJump, Severity::Warning)]);
}

#[test]
fn a_share_above_100_is_refused_and_a_fraction_asks_for_an_explanation() {
    let rules = Rules::default();
    let found = findings(&rules, "7.1.1", &[], &at("宁波市", "2026", 1234.0));
    assert_eq!(checks(&found), vec![(Check::ShareRange, Severity::Error)]);
    let fraction = findings(&rules, "7.1.1", &[], &at("宁波市", "2026", 0.98));
    assert_eq!(checks(&fraction), vec![(Check::RateAsFraction, Severity::Warning)]);
    assert!(fraction[0].message.contains("98"), "{fraction:?}");
}

#[test]
fn a_district_jumping_is_flagged_with_its_numbers() {
    let rules = Rules::default();
    let found = findings(&rules, "2.3.2", &[at("北仑区", "2026-09", 102.9)], &at("北仑区", "2026-10", 268.0));
    assert_eq!(checks(&found), vec![(Check::PeriodJump, Severity::Warning)]);
    assert!(found[0].message.contains("102.9") && found[0].message.contains("268"), "{found:?}");
    let calm = findings(&rules, "2.3.2", &[at("北仑区", "2026-09", 102.9)], &at("北仑区", "2026-10", 110.0));
    assert!(calm.is_empty(), "{calm:?}");
}

#[test]
fn year_to_date_values_compare_their_monthly_average() {
    let rules = Rules::default();
    // 1–3月 15, 1–4月 20: the same monthly average, no jump.
    let steady = findings(&rules, "6.1.2", &[at("宁波市", "2026-03", 15.0)], &at("宁波市", "2026-04", 20.0));
    assert!(steady.is_empty(), "{steady:?}");
    let jump = findings(&rules, "6.1.2", &[at("宁波市", "2026-03", 15.0)], &at("宁波市", "2026-04", 60.0));
    assert_eq!(checks(&jump), vec![(Check::PeriodJump, Severity::Warning)]);
}

#[test]
fn a_stock_falling_a_year_jumping_districts_above_the_city_and_far_from_the_baseline_are_flagged() {
    let rules = Rules::default();
    let fall = findings(&rules, "4.2.1", &[at("宁波市", "2026-09", 10.0)], &at("宁波市", "2026-10", 9.0));
    assert_eq!(checks(&fall), vec![(Check::StockFall, Severity::Warning)]);
    let yoy = findings(&rules, "6.1.2", &[at("宁波市", "2025-04", 10.0)], &at("宁波市", "2026-04", 25.0));
    assert_eq!(checks(&yoy), vec![(Check::YearJump, Severity::Warning)]);
    // 1.2.1 adds up new products since 2025-01: 2 by 2025-01 and 14 by 2026-01 is one a month,
    // steadily — no jump, though the total is 7 times last year's.
    let steady: Vec<Reported> = (1..=12).map(|m| at("宁波市", &format!("2025-{m:02}"), f64::from(1 + m))).collect();
    let running = findings(&rules, "1.2.1", &steady, &at("宁波市", "2026-01", 14.0));
    assert!(running.is_empty(), "{running:?}");
    let parts = [at("宁波市", "2026-10", 100.0), at("海曙区", "2026-10", 60.0)];
    let sum = findings(&rules, "2.3.2", &parts, &at("北仑区", "2026-10", 50.0));
    assert_eq!(checks(&sum), vec![(Check::DistrictSum, Severity::Warning)]);
    let zone = findings(&rules, "2.3.2", &parts, &at("宁波前湾新区", "2026-10", 50.0));
    assert!(zone.is_empty(), "zones overlap their districts: {zone:?}");
    let far = findings(&rules, "6.2.2", &[], &at("宁波市", "2026", 200.0));
    assert_eq!(checks(&far), vec![(Check::BaselineFar, Severity::Warning)]);
}

#[test]
fn a_negative_amount_is_refused() {
    let found = findings(&Rules::default(), "6.1.2", &[], &at("宁波市", "2026-04", -5.0));
    assert_eq!(checks(&found), vec![(Check::Negative, Severity::Error)]);
}

#[test]
fn the_office_overrides_a_rule_for_every_target_or_one() {
    let (plan, _) = setting();
    let text = "[[rule]]\ncheck = \"period_jump\"\nseverity = \"error\"\nthreshold = 0.2\n\n\
                [[rule]]\ncheck = \"period_jump\"\ntarget = \"2.3.2\"\nseverity = \"off\"\n\n\
                [[rule]]\ncheck = \"range\"\ntarget = \"7.1.1\"\nseverity = \"warning\"\nmin = 10.0\nmax = 60.0\n";
    let rules = Rules::parse(text, &plan).expect("rules");
    assert_eq!(Rules::parse(&rules.to_toml(), &plan), Ok(rules.clone()), "the file reads back");
    let off = findings(&rules, "2.3.2", &[at("北仑区", "2026-09", 102.9)], &at("北仑区", "2026-10", 268.0));
    assert!(off.is_empty(), "{off:?}");
    let strict = findings(&rules, "6.1.2", &[at("宁波市", "2026-03", 15.0)], &at("宁波市", "2026-04", 26.0));
    assert_eq!(checks(&strict), vec![(Check::PeriodJump, Severity::Error)]);
    let range = findings(&rules, "7.1.1", &[], &at("宁波市", "2026", 80.0));
    assert_eq!(checks(&range), vec![(Check::Range, Severity::Warning)]);
}

#[test]
fn a_bad_rules_file_says_where() {
    let (plan, _) = setting();
    for (text, expected) in [
        ("[[rule]]\ncheck = \"jump\"\nseverity = \"error\"\n", "第2行"),
        ("[[rule]]\ncheck = \"range\"\nseverity = \"error\"\nmax = 5.0\n", "须指定 target"),
        ("[[rule]]\ncheck = \"negative\"\ntarget = \"9.9.9\"\nseverity = \"error\"\n", "没有目标 9.9.9"),
        ("[[rule]]\ncheck = \"period_jump\"\nseverity = \"warning\"\nthreshold = -1.0\n", "threshold"),
        (
            "[[rule]]\ncheck = \"negative\"\nseverity = \"error\"\n[[rule]]\ncheck = \"negative\"\nseverity = \"off\"\n",
            "重复",
        ),
    ] {
        let error = Rules::parse(text, &plan).expect_err(text);
        assert!(error.contains(expected), "{text}: {error}");
    }
}

#[test]
fn errors_refuse_and_warnings_need_an_explanation() {
    let warning = Finding { check: Check::PeriodJump, severity: Severity::Warning, message: "环比增长160%".into() };
    let error = Finding { check: Check::ShareRange, severity: Severity::Error, message: "超过100".into() };
    assert_eq!(refusal(&[], ""), None);
    assert_eq!(refusal(std::slice::from_ref(&warning), "厂房集中竣工"), None);
    let (field, message) = refusal(std::slice::from_ref(&warning), "  ").expect("needs an explanation");
    assert_eq!(field, Field::Comment);
    assert!(message.contains("情况说明") && message.contains("环比增长160%"), "{message}");
    let (field, _) = refusal(&[warning, error], "说明").expect("refused");
    assert_eq!(field, Field::Value);
}

#[test]
fn check_all_finds_what_entering_each_value_would() {
    let (plan, org_units) = setting();
    let values = vec![
        StoredValue { key: "6.1.2".into(), reported: at("宁波市", "2026-03", 15.0) },
        StoredValue { key: "6.1.2".into(), reported: at("宁波市", "2026-04", 10.0) },
        StoredValue { key: "7.1.1".into(), reported: at("宁波市", "2026", 1234.0) },
        StoredValue { key: "9.9.9".into(), reported: at("宁波市", "2026", 1.0) },
    ];
    let found = check_all(&Rules::default(), &plan, &org_units, &values);
    let summary: Vec<(usize, Check)> = found.iter().map(|(i, f)| (*i, f.check)).collect();
    assert!(summary.contains(&(1, Check::CumulativeFall)), "{summary:?}");
    assert!(summary.contains(&(2, Check::ShareRange)), "{summary:?}");
    assert!(!summary.iter().any(|(i, _)| *i == 3), "unknown targets are skipped: {summary:?}");
}

fn reported() -> impl Strategy<Value = Reported> {
    let units = prop::sample::select(vec!["宁波市", "海曙区", "北仑区", "鄞州区", "宁波前湾新区"]);
    (units, 2025i32..2028, 1u8..=12, -50.0f64..500.0).prop_map(|(unit, year, month, value)| Reported {
        org_unit: unit.into(),
        period: Period::month(year, month),
        value,
    })
}

fn severity() -> impl Strategy<Value = Severity> {
    prop::sample::select(vec![Severity::Error, Severity::Warning, Severity::Off])
}

proptest! {
    #[test]
    fn findings_do_not_depend_on_the_order_of_stored_values(
        target in prop::sample::select(vec!["2.3.2", "6.1.2", "4.2.1", "7.3.2"]),
        stored in prop::collection::vec(reported(), 0..12),
        entry in reported(),
        seed in any::<u64>(),
    ) {
        let rules = Rules::default();
        let forward = findings(&rules, target, &stored, &entry);
        let mut shuffled = stored.clone();
        shuffled.sort_by_key(|r| (r.period, r.org_unit.clone()));
        shuffled.dedup_by(|a, b| a.period == b.period && a.org_unit == b.org_unit);
        let mut original = stored.clone();
        original.sort_by_key(|r| (r.period, r.org_unit.clone()));
        original.dedup_by(|a, b| a.period == b.period && a.org_unit == b.org_unit);
        let rotate = (seed as usize) % original.len().max(1);
        shuffled.rotate_left(rotate);
        prop_assert_eq!(findings(&rules, target, &original, &entry), findings(&rules, target, &shuffled, &entry));
        prop_assert!(forward.iter().all(|f| f.severity != Severity::Off));
    }

    #[test]
    fn a_rule_switched_off_never_finds_and_severity_is_the_rules(
        stored in prop::collection::vec(reported(), 0..12),
        entry in reported(),
        chosen in severity(),
    ) {
        let rules = Rules {
            rules: Check::ALL
                .into_iter()
                .filter(|c| *c != Check::Range)
                .map(|check| Rule { check, target: None, severity: chosen, threshold: None, min: None, max: None })
                .collect(),
        };
        for found in findings(&rules, "2.3.2", &stored, &entry) {
            prop_assert_eq!(found.severity, chosen);
        }
    }

    #[test]
    fn a_value_equal_to_the_last_one_never_falls_or_jumps(entry in reported()) {
        let before = Reported { period: entry.period.previous(), ..entry.clone() };
        let found = findings(&Rules::default(), "2.3.2", &[before], &entry);
        prop_assert!(found.iter().all(|f| !matches!(f.check, Check::CumulativeFall | Check::PeriodJump)), "{:?}", found);
    }
}
