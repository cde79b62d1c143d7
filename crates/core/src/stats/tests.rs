use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::org::OrgUnits;
use crate::registry::{ClusterCatalog, ClusterOverride, Enterprise, IndustryCodes, Registry};

fn org_units() -> OrgUnits {
    OrgUnits::parse("units", include_str!("../../../../data/org-units.toml")).expect("units")
}

/// Two versions of a small catalog: the second moves 3612 out of `cars` into `machines`,
/// names one enterprise into `materials` and one out of `cars`.
fn catalogs(named_in: &str, named_out: &str) -> [ClusterCatalog; 2] {
    let first = r#"
version = "v1"
effective = "2023-01-01"
[[cluster]]
id = "cars"
name = "汽车"
whole = ["3612", "3670"]
[[cluster]]
id = "machines"
name = "装备"
whole = ["34"]
[[cluster]]
id = "materials"
name = "材料"
whole = ["2651"]
partial = ["3985"]
"#;
    let second = format!(
        r#"
version = "v2"
effective = "2025-01-01"
[[cluster]]
id = "cars"
name = "汽车"
whole = ["3670"]
exclude = ["{named_out}"]
[[cluster]]
id = "machines"
name = "装备"
whole = ["34", "3612"]
[[cluster]]
id = "materials"
name = "材料"
whole = ["2651"]
include = ["{named_in}"]
"#
    );
    let codes = IndustryCodes::builtin();
    [ClusterCatalog::parse("v1", first, codes).expect("v1"), ClusterCatalog::parse("v2", &second, codes).expect("v2")]
}

fn code(i: usize) -> String {
    crate::registry::credit_code::complete(&format!("91330200MA{i:07}")).expect("code")
}

fn enterprise(i: usize, district: &str, industry: &str, years: &[i32]) -> Enterprise {
    Enterprise {
        credit_code: code(i),
        name: format!("企业{i}"),
        district: district.into(),
        industry: industry.into(),
        above_scale: years.to_vec(),
        cluster_override: None,
        honours: vec![],
    }
}

fn values(output: i64) -> [i64; MEASURES] {
    [output, output, output / 10, output / 5, output / 50, output / 3, 100 * SCALE]
}

fn month(year: i32, m: u8) -> i32 {
    month_index(Period::month(year, m))
}

#[test]
fn amounts_are_read_exactly() {
    assert_eq!(parse_amount("12345.6"), Ok(123_456_000));
    assert_eq!(parse_amount("-3"), Ok(-30_000));
    assert_eq!(parse_amount("1,234.5000"), Ok(12_345_000));
    assert_eq!(parse_amount(".5"), Ok(5_000));
    assert!(parse_amount("1.23456").unwrap_err().contains("four decimals"));
    assert!(parse_amount("十").unwrap_err().contains("not a number"));
    assert!(parse_amount("").is_err());
    assert!(parse_amount("99999999999999999999").unwrap_err().contains("too large"));
    assert_eq!(parse_amount(" +7.10000 "), Ok(71_000), "zeros past the fourth decimal are no decimals");
    assert!(parse_amount("1.000001").unwrap_err().contains("four decimals"));
    for bad in ["-", ".", "1.2.3", "1e5", "1 2", "--1"] {
        assert!(parse_amount(bad).unwrap_err().contains("not a number"), "{bad}");
    }
    assert_eq!(format_amount(123_456_000), "12345.6");
    assert_eq!(format_amount(-30_000), "-3");
}

/// The example of DESIGN §4 worked by hand: two enterprises in 北仑区, one entering the
/// above-scale set in 2026, one reporting 1–2月 together.
#[test]
fn the_cube_follows_the_like_for_like_rule() {
    let units = org_units();
    let [v1, _] = catalogs(&code(9), &code(9));
    let registry = Registry {
        enterprises: vec![
            enterprise(1, "北仑区", "3612", &[2025, 2026]),
            enterprise(2, "北仑区", "3411", &[2026]),
            enterprise(3, "鄞州区", "2651", &[2025]),
        ],
        ..Registry::default()
    };
    let members = Members::new(&registry, &v1, &units);
    let mut b = MicrodataBuilder::default();
    // 1: January apart in both years.
    b.push(&code(1), month(2025, 1), values(100 * SCALE));
    b.push(&code(1), month(2025, 2), values(180 * SCALE));
    b.push(&code(1), month(2026, 1), values(120 * SCALE));
    b.push(&code(1), month(2026, 2), values(230 * SCALE));
    // 2: reported last year as the base of its growth (not above scale then), 1–2月 this year.
    b.push(&code(2), month(2025, 2), values(50 * SCALE));
    b.push(&code(2), month(2026, 2), values(70 * SCALE));
    // 3: left the set in 2026 and still reports: not counted.
    b.push(&code(3), month(2026, 2), values(999 * SCALE));
    let micro = b.build();
    let link = members.link(&micro);
    let cube = Cube::compute(&micro, &members, &link, Period::month(2026, 2));
    let beilun = members.org_position("北仑区").expect("北仑区");
    let total = cube.cell(0, beilun, Measure::Output);
    assert_eq!(total.ytd, 300.0);
    assert_eq!(total.enterprises, 2);
    assert_eq!((total.month, total.month_span), (Some(300.0), 2), "1–2月 together: enterprise 2 has no January");
    assert_eq!(total.ytd_prev, Some(230.0));
    assert_eq!(total.yoy, Some(300.0 / 230.0 - 1.0));
    assert_eq!(total.share, Some(1.0));
    let cars = members.cluster_position("cars").expect("cars");
    let car = cube.cell(cars, beilun, Measure::Output);
    assert_eq!((car.ytd, car.month, car.month_span), (230.0, Some(110.0), 1), "February apart: 230 − 120");
    assert_eq!(car.yoy, Some(230.0 / 180.0 - 1.0));
    assert_eq!(car.share, Some(230.0 / 300.0));
    assert_eq!(car.contribution_pp, Some((230.0 - 180.0) / 230.0 * 100.0));
    let city = cube.cell(0, 0, Measure::Output);
    assert_eq!(city.ytd, 300.0, "the city adds its districts, not enterprise 3 (out of the set)");
    let january = Cube::compute(&micro, &members, &link, Period::month(2026, 1));
    assert_eq!(january.cell(0, beilun, Measure::Output).month, Some(120.0));
    let behind = enterprises_behind(&micro, &members, &link, Period::month(2026, 2), 0, beilun, Measure::Output);
    assert_eq!(behind.iter().map(|e| e.ytd).sum::<f64>(), 300.0);
    assert_eq!(behind.iter().find(|e| e.credit_code == code(2)).and_then(|e| e.yoy), Some(70.0 / 50.0 - 1.0));
}

#[test]
fn zones_stand_apart_and_a_single_hosts_zone_counts_in_its_district() {
    let units = org_units();
    let [v1, _] = catalogs(&code(9), &code(9));
    let registry = Registry {
        enterprises: vec![
            enterprise(1, "宁波经济技术开发区", "3612", &[2026]),
            enterprise(2, "北仑区", "3612", &[2026]),
            enterprise(3, "宁波前湾新区", "3612", &[2026]),
        ],
        ..Registry::default()
    };
    let members = Members::new(&registry, &v1, &units);
    let mut b = MicrodataBuilder::default();
    for i in 1..=3 {
        b.push(&code(i), month(2026, 1), values(10 * SCALE * i as i64));
    }
    let micro = b.build();
    let cube = Cube::compute(&micro, &members, &members.link(&micro), Period::month(2026, 1));
    let at = |unit: &str| cube.cell(0, members.org_position(unit).expect("unit"), Measure::Output).ytd;
    assert_eq!(at("宁波市"), 60.0, "every enterprise once");
    assert_eq!(at("北仑区"), 30.0, "its own and the zone's lying in it");
    assert_eq!(at("宁波经济技术开发区"), 10.0);
    assert_eq!(at("宁波前湾新区"), 30.0);
    assert_eq!(at("慈溪市") + at("余姚市"), 0.0, "a zone over two districts is in neither");
}

#[test]
fn catalog_versions_change_membership_and_name_enterprises() {
    let units = org_units();
    let [v1, v2] = catalogs(&code(3), &code(2));
    let mut tagged = enterprise(4, "北仑区", "3985", &[2026]);
    tagged.cluster_override = Some(ClusterOverride { clusters: vec!["materials".into()], reason: "功能膜".into() });
    let registry = Registry {
        enterprises: vec![
            enterprise(1, "北仑区", "3612", &[2026]),
            enterprise(2, "北仑区", "3670", &[2026]),
            enterprise(3, "北仑区", "3411", &[2026]),
            tagged,
        ],
        ..Registry::default()
    };
    let ids = |catalog: &ClusterCatalog, i: usize| -> Vec<String> {
        registry.enterprises[i].clusters(catalog).into_iter().map(str::to_string).collect()
    };
    assert_eq!(ids(&v1, 0), ["cars"]);
    assert_eq!(ids(&v2, 0), ["machines"]);
    assert!(ids(&v2, 1).is_empty(), "named out of cars");
    assert_eq!(ids(&v2, 2), ["machines", "materials"], "named into materials");
    assert_eq!(ids(&v1, 3), ["materials"], "tagged by hand under a partial code");
    let members = Members::new(&registry, &v2, &units);
    let mut listed: Vec<(String, String)> =
        members.memberships(2026).map(|(c, k)| (c.to_string(), k.to_string())).collect();
    listed.sort();
    assert_eq!(listed.len(), 4);
    assert!(members.memberships(2025).next().is_none(), "nobody above scale in 2025");
}

#[test]
fn rows_are_checked_against_the_registry_and_the_stored_months() {
    let registry = Registry {
        enterprises: vec![enterprise(1, "北仑区", "3612", &[2026]), enterprise(2, "北仑区", "3612", &[2025, 2026])],
        ..Registry::default()
    };
    let mut stored = MicrodataBuilder::default();
    stored.push(&code(2), month(2026, 3), values(300 * SCALE));
    let stored = stored.build();
    let row = |c: String, m: i32, v: [i64; MEASURES]| MicroRow { credit_code: c, month: m, values: v };
    let mut negative = values(10 * SCALE);
    negative[Measure::Revenue.index()] = -SCALE;
    negative[Measure::Profit.index()] = -SCALE;
    let rows = vec![
        (2, row(code(1), month(2025, 12), values(10 * SCALE))),
        (3, row(code(2), month(2026, 2), values(400 * SCALE))),
        (4, row(code(2), month(2026, 4), values(250 * SCALE))),
        (5, row(code(7), month(2026, 1), values(SCALE))),
        (6, row("91330200MA0000001Y".into(), month(2026, 1), values(SCALE))),
        (7, row(code(1), month(2026, 1), negative)),
        (8, row(code(1), month(2026, 1), values(SCALE))),
        (9, row(code(1), month(2027, 1), values(SCALE))),
    ];
    let problems = check_rows(&rows, &stored, &registry, month(2026, 12));
    let found: Vec<(usize, Option<&str>, Severity)> = problems.iter().map(|p| (p.row, p.column, p.severity)).collect();
    assert_eq!(
        found,
        [
            (8, None, Severity::Error),
            (2, Some("period"), Severity::Warning),
            (3, Some("output"), Severity::Error),
            (3, Some("revenue"), Severity::Error),
            (3, Some("export_delivery"), Severity::Error),
            (3, Some("rd_expense"), Severity::Error),
            (3, Some("electricity"), Severity::Error),
            (4, Some("output"), Severity::Error),
            (4, Some("revenue"), Severity::Error),
            (4, Some("export_delivery"), Severity::Error),
            (4, Some("rd_expense"), Severity::Error),
            (4, Some("electricity"), Severity::Error),
            (5, Some("credit_code"), Severity::Error),
            (6, Some("credit_code"), Severity::Error),
            (7, Some("revenue"), Severity::Error),
            (9, Some("period"), Severity::Error),
            (9, Some("period"), Severity::Warning),
        ]
    );
    assert!(problems[1].reason.contains("before it entered the above-scale set (2026)"), "{}", problems[1].reason);
    assert!(problems[2].reason.contains("400 in 2026-02 but 300 in 2026-03"), "{}", problems[2].reason);
    assert!(problems[12].reason.contains("not in the enterprise registry"), "{}", problems[12].reason);
}

// ---------------------------------------------------------------- the reference implementation

/// A straightforward computation of one cell, straight from the rules, for comparison.
struct Reference<'a> {
    rows: HashMap<(String, i32), [i64; MEASURES]>,
    registry: &'a Registry,
    catalog: &'a ClusterCatalog,
    units: &'a OrgUnits,
}

#[derive(Debug, PartialEq)]
struct Expected {
    month: Option<i64>,
    span: u8,
    ytd: i64,
    prev: Option<i64>,
    cur_common: i64,
    enterprises: u32,
}

impl Reference<'_> {
    fn in_org(&self, e: &Enterprise, org: &str) -> bool {
        if org == self.units.city().name {
            return true;
        }
        let unit = self.units.get(&e.district).expect("unit");
        e.district == org || (unit.hosts.len() == 1 && unit.hosts[0] == org)
    }

    fn cell(&self, cluster: &str, org: &str, measure: usize, period: Period) -> Expected {
        let m = month_index(period);
        let first = period.months_elapsed() == 1;
        let mut expected = Expected { month: Some(0), span: 1, ytd: 0, prev: None, cur_common: 0, enterprises: 0 };
        let (mut month_sum, mut known, mut jan_missing) = (0, 0, false);
        for e in &self.registry.enterprises {
            let Some(v) = self.rows.get(&(e.credit_code.clone(), m)) else { continue };
            let in_cluster = cluster == ALL_CLUSTER || e.clusters(self.catalog).contains(&cluster);
            if !(e.above_scale.contains(&period.year()) && in_cluster && self.in_org(e, org)) {
                continue;
            }
            expected.enterprises += 1;
            expected.ytd += v[measure];
            let before = self.rows.get(&(e.credit_code.clone(), m - 1));
            if first || measure == Measure::Employees.index() {
                month_sum += v[measure];
                known += 1;
            } else if let Some(b) = before {
                month_sum += v[measure] - b[measure];
                known += 1;
            } else if period.months_elapsed() == 2 {
                jan_missing = true;
            }
            if let Some(p) = self.rows.get(&(e.credit_code.clone(), m - 12)) {
                expected.prev = Some(expected.prev.unwrap_or(0) + p[measure]);
                expected.cur_common += v[measure];
            }
        }
        if jan_missing {
            (expected.month, expected.span) = (Some(expected.ytd), 2);
        } else if known > 0 || expected.enterprises == 0 {
            expected.month = Some(month_sum);
        } else {
            expected.month = None;
        }
        expected
    }
}

#[derive(Clone, Debug)]
struct Generated {
    enterprises: Vec<(usize, usize, usize, Vec<bool>)>,
    rows: Vec<(usize, i32, [i64; MEASURES])>,
}

const DISTRICTS: [&str; 5] = ["北仑区", "鄞州区", "慈溪市", "宁波经济技术开发区", "宁波前湾新区"];
const INDUSTRIES: [&str; 5] = ["3612", "3670", "3411", "2651", "3985"];

/// Enterprises with random districts, industries and above-scale years (entries and exits),
/// reporting cumulative values with missing months and Januaries folded into February.
fn generated() -> impl Strategy<Value = Generated> {
    let enterprise = (0..DISTRICTS.len(), 0..INDUSTRIES.len(), 0usize..3, prop::collection::vec(any::<bool>(), 3));
    prop::collection::vec(enterprise, 1..25)
        .prop_flat_map(|enterprises| {
            let n = enterprises.len();
            let months = prop::collection::vec((0..n, 0u8..10, 1i64..500, -50i64..50), 0..400);
            (Just(enterprises), months)
        })
        .prop_map(|(enterprises, draws)| {
            // Each enterprise's months in 2023–2025, cumulative within each year.
            let mut present: HashMap<(usize, i32), [i64; MEASURES]> = HashMap::new();
            let mut running: HashMap<(usize, i32), [i64; MEASURES]> = HashMap::new();
            for (k, (e, skip, add, profit)) in draws.iter().enumerate() {
                let m = month(2023, 1) + (k as i32 * 7 + *e as i32 * 5) % 36;
                if *skip == 0 || present.contains_key(&(*e, m)) {
                    continue;
                }
                let year = m.div_euclid(12);
                let total = running.entry((*e, year)).or_insert([0; MEASURES]);
                for (i, t) in total.iter_mut().enumerate() {
                    *t += if i == Measure::Profit.index() { *profit * SCALE } else { add * SCALE * (i as i64 + 1) };
                }
                total[Measure::Employees.index()] = add * SCALE;
                present.insert((*e, m), *total);
            }
            // Values must grow month by month: rebuild in month order.
            let mut rows: Vec<(usize, i32, [i64; MEASURES])> =
                present.into_iter().map(|((e, m), v)| (e, m, v)).collect();
            rows.sort_by_key(|(e, m, _)| (*e, *m));
            let mut sum: HashMap<(usize, i32), [i64; MEASURES]> = HashMap::new();
            for (e, m, v) in &mut rows {
                let acc = sum.entry((*e, m.div_euclid(12))).or_insert([0; MEASURES]);
                for i in 0..MEASURES {
                    if i == Measure::Employees.index() || i == Measure::Profit.index() {
                        acc[i] = v[i] % (97 * SCALE);
                    } else {
                        acc[i] += v[i] % (97 * SCALE) + SCALE;
                    }
                }
                *v = *acc;
            }
            Generated { enterprises, rows }
        })
}

proptest! {
    /// Rows added to microdata give what building them all at once gives, the later row of an
    /// enterprise-month replacing the earlier.
    #[test]
    fn rows_added_equal_rows_built(
        rows in prop::collection::vec((0usize..6, 0i32..30, 0i64..1000), 0..60),
        split in 0usize..60,
    ) {
        let rows: Vec<(String, i32, [i64; MEASURES])> =
            rows.into_iter().map(|(e, m, v)| (code(e), month(2024, 1) + m, [v; MEASURES])).collect();
        let split = split.min(rows.len());
        let mut all = MicrodataBuilder::default();
        let mut before = MicrodataBuilder::default();
        for (i, (c, m, v)) in rows.iter().enumerate() {
            all.push(c, *m, *v);
            if i < split {
                before.push(c, *m, *v);
            }
        }
        let all = all.build();
        let added = before.build().with_rows(rows[split..].iter().map(|(c, m, v)| (c.as_str(), *m, *v)));
        let listed = |micro: &Microdata| {
            let mut rows: Vec<(String, i32, [i64; MEASURES])> = micro.iter().map(|(c, m, v)| (c.to_string(), m, *v)).collect();
            rows.sort();
            rows
        };
        prop_assert_eq!(listed(&added), listed(&all));
        prop_assert_eq!(added.span(), all.span());
    }

    #[test]
    fn amounts_written_read_back(value in -1_000_000_000_000 * SCALE..=1_000_000_000_000 * SCALE) {
        prop_assert_eq!(parse_amount(&format_amount(value)), Ok(value));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_cube_equals_the_reference_computation(data in generated(), at in 0i32..24, version in 0usize..2) {
        let units = org_units();
        let catalogs = catalogs(&code(1), &code(2));
        let catalog = &catalogs[version];
        let registry = Registry {
            enterprises: data
                .enterprises
                .iter()
                .enumerate()
                .map(|(i, (d, ind, tag, years))| {
                    let years: Vec<i32> = (2023..=2025).filter(|y| years[(y - 2023) as usize]).collect();
                    let mut e = enterprise(i, DISTRICTS[*d], INDUSTRIES[*ind], &years);
                    if *tag == 0 && INDUSTRIES[*ind] == "3985" {
                        e.cluster_override =
                            Some(ClusterOverride { clusters: vec!["materials".into(), "cars".into()], reason: "x".into() });
                    }
                    e
                })
                .collect(),
            ..Registry::default()
        };
        let mut builder = MicrodataBuilder::default();
        for (e, m, v) in &data.rows {
            builder.push(&code(*e), *m, *v);
        }
        let micro = builder.build();
        prop_assert_eq!(micro.rows(), data.rows.len());
        let members = Members::new(&registry, catalog, &units);
        let link = members.link(&micro);
        let period = month_period(month(2024, 1) + at);
        let cube = Cube::compute(&micro, &members, &link, period);
        let reference = Reference {
            rows: data.rows.iter().map(|(e, m, v)| ((code(*e), *m), *v)).collect(),
            registry: &registry,
            catalog,
            units: &units,
        };
        for (c, (cluster, _)) in cube.clusters.iter().enumerate() {
            for (o, org) in cube.org_units.iter().enumerate() {
                for measure in Measure::ALL {
                    let cell = cube.cell(c, o, measure);
                    let want = reference.cell(cluster, org, measure.index(), period);
                    let total = reference.cell(ALL_CLUSTER, org, measure.index(), period);
                    prop_assert_eq!(cell.enterprises, want.enterprises);
                    prop_assert_eq!(cell.ytd, unscale(want.ytd));
                    prop_assert_eq!((cell.month, cell.month_span), (want.month.map(unscale), want.span));
                    prop_assert_eq!(cell.ytd_prev, want.prev.map(unscale));
                    let yoy = want.prev.filter(|p| *p > 0).map(|p| want.cur_common as f64 / p as f64 - 1.0);
                    prop_assert_eq!(cell.yoy, yoy);
                    let share = (total.ytd > 0).then(|| want.ytd as f64 / total.ytd as f64);
                    prop_assert_eq!(cell.share, share);
                    let change = want.cur_common - want.prev.unwrap_or(0);
                    let pull = total.prev.filter(|p| *p > 0).map(|p| change as f64 / p as f64 * 100.0);
                    prop_assert_eq!(cell.contribution_pp, pull);
                    if measure == Measure::Output {
                        let behind = enterprises_behind(&micro, &members, &link, period, c, o, measure);
                        prop_assert_eq!(behind.len() as u32, want.enterprises);
                        let sum: i64 = behind.iter().map(|e| (e.ytd * SCALE as f64).round() as i64).sum();
                        prop_assert_eq!(sum, want.ytd);
                    }
                }
            }
        }
    }
}

/// The generated data of the comparison above hold what the rules are about: enterprises
/// entering and leaving the above-scale set, months reported while not above scale (the base
/// of a like-for-like growth), Februaries without their January (1–2月), and the enterprises
/// the second catalog version names in and out.
#[test]
fn the_generated_data_hold_entries_exits_jan_feb_and_named_enterprises() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut entries, mut exits, mut outside, mut jan_feb, mut named) = (0, 0, 0, 0, 0);
    for _ in 0..64 {
        let data = generated().new_tree(&mut runner).expect("generated").current();
        for (_, _, _, years) in &data.enterprises {
            entries += years.windows(2).filter(|w| !w[0] && w[1]).count();
            exits += years.windows(2).filter(|w| w[0] && !w[1]).count();
        }
        let reported: std::collections::HashSet<(usize, i32)> = data.rows.iter().map(|(e, m, _)| (*e, *m)).collect();
        for (e, m, _) in &data.rows {
            let year = m.div_euclid(12);
            outside += usize::from(!data.enterprises[*e].3[(year - 2023) as usize]);
            jan_feb += usize::from(m.rem_euclid(12) == 1 && !reported.contains(&(*e, m - 1)));
        }
        // code(1) is named into materials and code(2) out of cars by the second version.
        named += usize::from(data.enterprises.len() > 2 && INDUSTRIES[data.enterprises[2].1] == "3670");
    }
    for (what, count) in
        [("entries", entries), ("exits", exits), ("outside", outside), ("1–2月", jan_feb), ("named", named)]
    {
        assert!(count > 0, "no {what} in the generated data");
    }
}
