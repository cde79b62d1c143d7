use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::Period;
use crate::calendar::Date;
use crate::eval::{Decompositions, DueBy, Observations, Row, Status, evaluate_plan};
use crate::org::OrgUnits;
use crate::plan::Plan;

const PLAN: &str = include_str!("../../../../plans/ningbo-361-2025.toml");
const UNITS: &str = include_str!("../../../../data/org-units.toml");

fn world() -> (Plan, OrgUnits) {
    (crate::plan::parse("plan", PLAN).expect("plan"), OrgUnits::parse("units", UNITS).expect("units"))
}

const AT: Period = Period::Month { year: 2026, month: 10 };

/// The city's rows with no data, one per target, each then given a status.
fn rows<'a>(plan: &'a Plan, units: &'a OrgUnits, statuses: &[(&str, Status)]) -> Vec<Row<'a>> {
    let mut rows = evaluate_plan(plan, units, &Observations::default(), &Decompositions::new(), AT, &DueBy::default());
    for row in &mut rows {
        if let Some((_, status)) = statuses.iter().find(|(id, _)| *id == row.target.id) {
            row.evaluation.status = *status;
        }
    }
    rows
}

fn facts<'a>(plan: &'a Plan, now: &'a [Row<'a>], before: &'a [Row<'a>]) -> Facts<'a> {
    Facts {
        period: AT,
        plan,
        city: "宁波市",
        rows: now,
        previous: before,
        late: &[],
        enterprises: &[],
        clusters: &[],
        city_growth: None,
        flagged: &[],
    }
}

#[test]
fn the_default_rules_are_valid_and_cover_every_source() {
    let rules = Rules::default();
    rules.check().expect("valid");
    for source in Source::ALL {
        assert_eq!(rules.get(source).source, source);
        assert_eq!(Source::from_code(source.code()), Some(source));
    }
    let json = serde_json::to_string(&rules).expect("json");
    assert!(json.contains("\"enterprise_fall\""), "{json}");
}

#[test]
fn rules_name_what_is_wrong() {
    let mut rules = Rules::default();
    rules.set(Rule {
        source: Source::EnterpriseFall,
        enabled: true,
        level: Level::Red,
        threshold: Some(10.0),
        top: None,
    });
    let problem = rules.check().expect_err("10 is not a share");
    assert!(problem.starts_with("enterprise_fall: threshold 10"), "{problem}");
    let mut rules = Rules::default();
    rules.set(Rule { source: Source::Stale, enabled: true, level: Level::Red, threshold: Some(1.0), top: None });
    assert_eq!(rules.check().expect_err("no threshold"), "stale: this rule takes no threshold");
    let mut rules = Rules::default();
    rules.rules.push(rules.rules[0]);
    assert!(rules.check().expect_err("twice").contains("twice"));
}

#[test]
fn lagging_targets_warn_their_lead_unit_with_the_sentence() {
    let (plan, units) = world();
    let now =
        rows(&plan, &units, &[("3.3.1", Status::OffTrack), ("1.2.1", Status::MovingAway), ("0.1", Status::Missed)]);
    let found = detect(&facts(&plan, &now, &[]), &Rules::default());
    let miss: Vec<&Finding> = found.iter().filter(|f| f.source == Source::ProjectedMiss).collect();
    assert_eq!(miss.len(), 3, "{miss:#?}");
    let champions = miss.iter().find(|f| f.target_id.as_deref() == Some("3.3.1")).expect("3.3.1");
    assert_eq!(champions.key, "projected_miss:3.3.1:宁波市");
    assert_eq!(champions.owner_unit, plan.target("3.3.1").expect("target").lead);
    assert_eq!(champions.level, Level::Orange);
    assert!(champions.reason.starts_with("宁波市·国家级制造业单项冠军企业评价为滞后:"), "{}", champions.reason);
    let away = miss.iter().find(|f| f.target_id.as_deref() == Some("1.2.1")).expect("1.2.1");
    assert_eq!(away.level, Level::Red, "倒退 is one level more urgent");

    let mut rules = Rules::default();
    let mut off = rules.get(Source::ProjectedMiss);
    off.enabled = false;
    rules.set(off);
    assert!(detect(&facts(&plan, &now, &[]), &rules).iter().all(|f| f.source != Source::ProjectedMiss));
}

#[test]
fn a_downgrade_into_attention_warns_once_and_other_changes_do_not() {
    let (plan, units) = world();
    let before = rows(
        &plan,
        &units,
        &[("3.3.1", Status::OnTrack), ("1.2.1", Status::Achieved), ("1.2.2", Status::NeedsAcceleration)],
    );
    let now = rows(
        &plan,
        &units,
        &[
            ("3.3.1", Status::NeedsAcceleration),
            ("1.2.1", Status::OnTrack),
            ("1.2.2", Status::OnTrack),
            ("2.1.1", Status::OffTrack),
        ],
    );
    let found = detect(&facts(&plan, &now, &before), &Rules::default());
    let downgrades: Vec<&str> =
        found.iter().filter(|f| f.source == Source::Downgrade).filter_map(|f| f.target_id.as_deref()).collect();
    // 已达标 → 正常 needs no attention; 无数据 → 滞后 is not a downgrade (nothing was judged before).
    assert_eq!(downgrades, ["3.3.1"]);
    let reason = &found.iter().find(|f| f.source == Source::Downgrade).expect("one").reason;
    assert!(reason.contains("由2026年9月的正常降为关注"), "{reason}");
}

#[test]
fn late_units_warn_past_the_threshold() {
    let (plan, units) = world();
    let now = rows(&plan, &units, &[]);
    let late = [
        LateUnit {
            unit: "市科技局".into(),
            period: AT.previous(),
            targets: vec!["1.2.1".into(), "1.2.2".into()],
            days: 12,
        },
        LateUnit { unit: "市商务局".into(), period: AT.previous(), targets: vec!["6.1.1".into()], days: 0 },
    ];
    let mut f = facts(&plan, &now, &[]);
    f.late = &late;
    let found: Vec<Finding> =
        detect(&f, &Rules::default()).into_iter().filter(|f| f.source == Source::Overdue).collect();
    assert_eq!(found.len(), 1, "a report not yet past its due date is not overdue");
    assert_eq!(found[0].key, "overdue:市科技局:2026-09");
    assert_eq!(found[0].owner_unit, "市科技局");
    assert_eq!(found[0].reason, "市科技局2026年9月应报的2项数据(1.2.1、1.2.2)已逾期12天未报送。");
}

#[test]
fn enterprises_and_clusters_warn_beyond_their_thresholds() {
    let (plan, units) = world();
    let now = rows(&plan, &units, &[]);
    let enterprise = |code: &str, yoy: f64| KeyEnterprise {
        credit_code: code.into(),
        name: format!("示例企业{code}"),
        district: "北仑区".into(),
        why: "国家级制造业单项冠军".into(),
        ytd: 123_456.0,
        yoy,
    };
    let enterprises = [enterprise("A", -0.152), enterprise("B", -0.099), enterprise("C", 0.2)];
    let cluster =
        |id: &str, yoy: f64| ClusterGrowth { id: id.into(), name: id.into(), lead: "市经信局".into(), yoy };
    let clusters = [cluster("新材料", 0.012), cluster("绿色石化", 0.03)];
    let mut f = facts(&plan, &now, &[]);
    f.enterprises = &enterprises;
    f.clusters = &clusters;
    f.city_growth = Some(0.075);
    let found = detect(&f, &Rules::default());
    let falls: Vec<&Finding> = found.iter().filter(|f| f.source == Source::EnterpriseFall).collect();
    assert_eq!(falls.len(), 1);
    assert_eq!(falls[0].owner_unit, "北仑区", "an enterprise's warning goes to its district");
    assert_eq!(
        falls[0].reason,
        "示例企业A(北仑区,国家级制造业单项冠军)1—10月工业总产值12.35亿元,同比下降15.2%,降幅超过10.0%。"
    );
    let lags: Vec<&Finding> = found.iter().filter(|f| f.source == Source::ClusterLag).collect();
    assert_eq!(lags.len(), 1, "4.5 points below the city is within the 5-point line");
    assert_eq!(
        lags[0].reason,
        "新材料集群1—10月规上工业产值同比增长1.2%,低于全市规上工业(增长7.5%)6.3个百分点,超过预警线5个百分点。"
    );
}

#[test]
fn every_cluster_of_the_plan_has_a_lead_unit() {
    let (plan, _) = world();
    for cluster in plan.tiers.iter().flat_map(|t| &t.clusters) {
        assert!(plan.units.contains(&cluster.lead), "{}: {}", cluster.id, cluster.lead);
    }
    let agriculture = plan.tiers.iter().flat_map(|t| &t.clusters).find(|c| c.id == "modern-agriculture");
    assert_eq!(agriculture.map(|c| c.lead.as_str()), Some("市农业农村局"));
    let bad = PLAN.replacen("lead = \"市农业农村局\"", "lead = \"市不存在局\"", 1);
    let problems = crate::plan::parse("plan", &bad).expect_err("an unknown lead").to_string();
    assert!(problems.contains("cluster modern-agriculture: lead"), "{problems}");
}

#[test]
fn steps_follow_the_life_of_a_warning() {
    use WarningState::*;
    let measures = Step::Measures {
        measures: "约谈企业,调度生产".into(),
        due: Date::new(2026, 12, 31).expect("a day of the calendar"),
    };
    let resolve = Step::Resolve { note: "11月数据已回升".into() };
    assert_eq!(Step::Acknowledge.apply(New), Ok(Acknowledged));
    assert!(Step::Acknowledge.apply(Acknowledged).is_err());
    assert_eq!(measures.apply(Acknowledged), Ok(InProgress));
    assert_eq!(measures.apply(InProgress), Ok(InProgress), "measures may be revised");
    assert_eq!(resolve.apply(InProgress), Ok(Resolved));
    assert!(resolve.apply(Resolved).is_err());
    assert_eq!(Step::Resolve { note: "  ".into() }.apply(New).expect_err("words").0, "note");
    assert!(
        Step::Measures { measures: String::new(), due: Date::new(2026, 1, 1).expect("a day of the calendar") }
            .apply(New)
            .is_err()
    );
}

/// A store of warnings kept the way the database keeps them.
#[derive(Default)]
struct Stored {
    warnings: Vec<Known>,
}

impl Stored {
    fn apply(&mut self, changes: &[Change]) {
        for change in changes {
            match change {
                Change::Raise(finding) => self.warnings.push(Known {
                    id: self.warnings.len() as i64,
                    key: finding.key.clone(),
                    state: WarningState::New,
                    cause_present: true,
                    finding: finding.clone(),
                }),
                Change::Reopen { id, finding } | Change::Refresh { id, finding } => {
                    let w = &mut self.warnings[*id as usize];
                    if matches!(change, Change::Reopen { .. }) {
                        w.state = WarningState::New;
                    }
                    w.cause_present = true;
                    w.finding = finding.clone();
                }
                Change::Resolve { id } => {
                    let w = &mut self.warnings[*id as usize];
                    w.state = WarningState::Resolved;
                    w.cause_present = false;
                }
                Change::CauseGone { id } => self.warnings[*id as usize].cause_present = false,
            }
        }
    }
}

fn finding(key: u8, level: u8) -> Finding {
    Finding {
        key: format!("stale:{key}:宁波市"),
        source: Source::Stale,
        level: [Level::Yellow, Level::Orange, Level::Red][usize::from(level % 3)],
        target_id: Some(key.to_string()),
        org_unit: "宁波市".into(),
        owner_unit: "市经信局".into(),
        reason: format!("reason {level}"),
    }
}

proptest! {
    /// Over any sequence of scans and hand resolutions: a second scan of the same findings
    /// changes nothing; every cause found has a warning (open, or resolved by hand while the
    /// cause stays); no warning is open without its cause; a key has one warning.
    #[test]
    fn scans_are_idempotent_and_follow_the_causes(
        scans in prop::collection::vec((prop::collection::btree_map(0u8..8, 0u8..3, 0..6), prop::collection::vec(0u8..8, 0..3)), 1..8)
    ) {
        let mut stored = Stored::default();
        for (found, resolve_by_hand) in scans {
            let findings: Vec<Finding> = found.iter().map(|(k, l)| finding(*k, *l)).collect();
            let changes = reconcile(&stored.warnings, &findings);
            stored.apply(&changes);
            prop_assert!(reconcile(&stored.warnings, &findings).is_empty(), "a second scan changes nothing");
            let by_key: HashMap<&str, &Known> = stored.warnings.iter().map(|w| (w.key.as_str(), w)).collect();
            prop_assert_eq!(by_key.len(), stored.warnings.len());
            for f in &findings {
                let w = by_key.get(f.key.as_str()).expect("a warning for every cause");
                prop_assert!(w.cause_present);
                prop_assert_eq!(&w.finding, f);
            }
            for w in stored.warnings.iter().filter(|w| w.state.is_open()) {
                prop_assert!(findings.iter().any(|f| f.key == w.key), "an open warning has its cause");
            }
            for key in resolve_by_hand {
                if let Some(w) = stored.warnings.iter_mut().find(|w| w.key == finding(key, 0).key && w.state.is_open()) {
                    w.state = WarningState::Resolved;
                }
            }
        }
    }
}

#[test]
fn a_cause_that_returns_reopens_its_warning_but_a_hand_resolution_holds_while_it_stays() {
    let mut stored = Stored::default();
    let cause = [finding(1, 0)];
    stored.apply(&reconcile(&stored.warnings, &cause));
    stored.warnings[0].state = WarningState::Resolved;
    assert!(reconcile(&stored.warnings, &cause).is_empty(), "resolved by hand while the cause stays: no reopening");
    let gone = reconcile(&stored.warnings, &[]);
    assert_eq!(gone, [Change::CauseGone { id: 0 }]);
    stored.apply(&gone);
    let back = reconcile(&stored.warnings, &cause);
    assert!(matches!(back[..], [Change::Reopen { id: 0, .. }]), "{back:?}");
}

/// Key enterprises from a cube: an honoured one and a cluster's largest are key, a small
/// one is not, whatever it does; growth is like for like.
#[test]
fn key_enterprises_are_the_honoured_and_the_largest_of_each_cluster() {
    use std::sync::Arc;

    use crate::registry::{ClusterCatalog, Enterprise, Honour, IndustryCodes, Registry};
    use crate::stats::{Dataset, MEASURES, Members, MicrodataBuilder, SCALE, month_index};

    let catalog = r#"
version = "v1"
effective = "2023-01-01"
[[cluster]]
id = "cars"
name = "汽车"
whole = ["3670"]
[[cluster]]
id = "machines"
name = "装备"
whole = ["34"]
"#;
    let catalog = ClusterCatalog::parse("v1", catalog, IndustryCodes::builtin()).expect("catalog");
    let code = |i: usize| crate::registry::credit_code::complete(&format!("91330200MA{i:07}")).expect("code");
    let enterprise = |i: usize, industry: &str, honours: Vec<Honour>| Enterprise {
        credit_code: code(i),
        name: format!("企业{i}"),
        district: "北仑区".into(),
        industry: industry.into(),
        above_scale: vec![2025, 2026],
        cluster_override: None,
        honours,
    };
    let champion = Honour {
        kind: "制造业单项冠军".into(),
        level: "国家级".into(),
        granted: Date::new(2021, 1, 1).expect("a day of the calendar"),
        revoked: None,
        note: String::new(),
    };
    // 1: a champion among machines, falling 20%; 2: the largest car maker, falling 15%;
    // 3: a small car maker, falling 30%; 4: a machine maker growing.
    let registry = Registry {
        enterprises: vec![
            enterprise(1, "3411", vec![champion]),
            enterprise(2, "3670", vec![]),
            enterprise(3, "3670", vec![]),
            enterprise(4, "3411", vec![]),
        ],
        ..Registry::default()
    };
    let (_, units) = world();
    let members = Members::new(&registry, &catalog, &units);
    let mut micro = MicrodataBuilder::with_capacity(8);
    let output = |v: i64| {
        let mut values = [0; MEASURES];
        values[0] = v * SCALE;
        values
    };
    for (i, before, now) in [(1, 100, 80), (2, 1000, 850), (3, 50, 35), (4, 2000, 2400)] {
        micro.push(&code(i), month_index(Period::month(2025, 10)), output(before));
        micro.push(&code(i), month_index(Period::month(2026, 10)), output(now));
    }
    let dataset = Dataset::new(Arc::new(micro.build()), members);
    let key = key_enterprises(&dataset, &registry, AT, 1);
    let mut found: Vec<(&str, &str, String)> =
        key.iter().map(|k| (k.name.as_str(), k.why.as_str(), format!("{:.2}", k.yoy))).collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("企业1", "国家级制造业单项冠军", "-0.20".to_string()),
            ("企业2", "汽车集群产值第1位", "-0.15".to_string()),
            ("企业4", "装备集群产值第1位", "0.20".to_string()),
        ]
    );
    let (plan, _) = world();
    let (clusters, city) = cluster_growth(&dataset.cube(AT), &plan);
    assert_eq!(clusters.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["cars", "machines"]);
    assert!(clusters.iter().all(|c| c.lead == plan.meta.office), "clusters the plan does not name go to the office");
    let cars = clusters[0].yoy;
    assert!((cars - (885.0 / 1050.0 - 1.0)).abs() < 1e-9, "{cars}");
    assert!((city.expect("city growth") - (3365.0 / 3150.0 - 1.0)).abs() < 1e-9);
}

#[test]
fn a_flagged_value_warns_its_owner_with_the_rules_words_and_the_explanation() {
    let (plan, units) = world();
    let now = rows(&plan, &units, &[]);
    let flagged = [
        FlaggedValue {
            target_id: "2.3.2".into(),
            org_unit: "北仑区".into(),
            period: AT,
            messages: vec!["2.3.2 环比增长160%".into()],
            comment: "项目集中竣工".into(),
        },
        FlaggedValue {
            target_id: "6.1.2".into(),
            org_unit: "宁波市".into(),
            period: AT,
            messages: vec!["同比增长150%".into()],
            comment: "新平台上线".into(),
        },
    ];
    let found = detect(&Facts { flagged: &flagged, ..facts(&plan, &now, &now) }, &Rules::default());
    let mine: Vec<&Finding> = found.iter().filter(|f| f.source == Source::FlaggedValue).collect();
    assert_eq!(mine.len(), 2, "{found:?}");
    assert_eq!(mine[0].owner_unit, "北仑区");
    assert_eq!(mine[0].key, "flagged_value:2.3.2:北仑区:2026-10");
    assert!(mine[0].reason.contains("环比增长160%") && mine[0].reason.contains("项目集中竣工"), "{}", mine[0].reason);
    assert_eq!(mine[1].owner_unit, plan.target("6.1.2").expect("target").lead);
    let mut off = Rules::default();
    off.set(Rule { enabled: false, ..off.get(Source::FlaggedValue) });
    let quiet = detect(&Facts { flagged: &flagged, ..facts(&plan, &now, &now) }, &off);
    assert!(quiet.iter().all(|f| f.source != Source::FlaggedValue));
}
