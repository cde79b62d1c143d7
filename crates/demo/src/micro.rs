//! SYNTHETIC enterprise microdata for the registry's above-scale industrial enterprises, month
//! by month from 2023-01, calibrated to the public figures (data/ningbo-public-figures.md):
//!
//! - 规上工业总产值 2.43万亿 in 2022, growing 4.0% in 2023 (assumed);
//! - 2024: 北仑区 5,857.27亿 (+9.6% on 2023); each district's 1–5月 exactly its published
//!   1–5月 figure ([`DISTRICT_OUTPUT_2024_JAN_MAY`]) and its year in the same proportion to
//!   北仑区's;
//! - 新材料: 4,919.36亿 from exactly 1,095 enterprises in 2024 (+2.64% on 2023);
//! - entries and exits each January (the registry's above-scale years), enterprises entering the
//!   set reporting the year before as the base of their growth, Spring Festival in January or
//!   February, some enterprises reporting January and February together, and a few enterprises
//!   falling sharply.
//!
//! Output is in whole 万元; the other measures follow from each enterprise's own ratios.

use std::collections::BTreeMap;

use plan361_core::Period;

use crate::DISTRICT_OUTPUT_2024_JAN_MAY;
use plan361_core::registry::{ClusterCatalog, Enterprise, Registry};
use plan361_core::stats::{MEASURES, Measure, MicroRow, SCALE, month_index};

use crate::Rng;

/// 亿元 in 万元.
const YI: f64 = 10_000.0;
pub const BEILUN_2024: f64 = 5_857.27;
const BEILUN_GROWTH_2024: f64 = 0.096;
pub const CITY_2022: f64 = 24_300.0;
const CITY_GROWTH_2023: f64 = 0.04;
pub const NEW_MATERIALS_2024: f64 = 4_919.36;
pub const NEW_MATERIALS_ENTERPRISES_2024: usize = 1_095;
const NEW_MATERIALS_GROWTH_2024: f64 = 0.0264;
/// Growth after 2024 (synthetic), city and 新材料.
const GROWTH_AFTER_2024: [(i32, f64); 2] = [(2025, 0.035), (2026, 0.04)];
pub const FIRST_YEAR: i32 = 2023;
pub const NEW_MATERIALS: &str = "new-materials";

/// Spring Festival falls in January in these years (February otherwise).
const FESTIVAL_IN_JANUARY: [i32; 4] = [2023, 2025, 2028, 2031];

fn season(year: i32, month: usize) -> f64 {
    const BASE: [f64; 12] = [0.0, 0.0, 1.02, 1.0, 1.03, 1.08, 1.0, 1.0, 1.06, 0.98, 1.08, 1.2];
    match (month, FESTIVAL_IN_JANUARY.contains(&year)) {
        (0, true) => 0.65,
        (1, true) => 0.85,
        (0, false) => 0.9,
        (1, false) => 0.6,
        _ => BASE[month],
    }
}

/// Splits an integer total in proportion to weights, exactly (largest remainders).
fn apportion(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<i64> = exact.iter().map(|x| x.floor() as i64).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| (exact[*b] - exact[*b].floor()).total_cmp(&(exact[*a] - exact[*a].floor())).then(a.cmp(b)));
    let short = total - parts.iter().sum::<i64>();
    for i in order.into_iter().cycle().take(short.max(0) as usize) {
        parts[i] += 1;
    }
    parts
}

fn is_industrial(e: &Enterprise) -> bool {
    e.industry.get(..2).and_then(|d| d.parse::<u32>().ok()).is_some_and(|d| (6..=46).contains(&d))
}

/// Tags enterprises of the registry into 新材料 (a cluster whose codes are only partly in it):
/// exactly [`NEW_MATERIALS_ENTERPRISES_2024`] of the enterprises above scale in 2024, those of
/// the cluster's own partial codes first, then others moved to a new-material code.
pub fn tag_new_materials(registry: &mut Registry, catalog: &ClusterCatalog, seed: u64) {
    let Some(cluster) = catalog.cluster(NEW_MATERIALS) else { return };
    let partial = cluster.partial.clone();
    let mut rng = Rng::new(seed ^ 0x4E4D_2024);
    let in_2024 = |e: &Enterprise| e.above_scale.contains(&2024) && is_industrial(e);
    let own = |e: &Enterprise| partial.iter().any(|p| e.industry.starts_with(p.as_str()));
    let mut chosen: Vec<usize> = (0..registry.enterprises.len())
        .filter(|&i| in_2024(&registry.enterprises[i]) && own(&registry.enterprises[i]))
        .collect();
    chosen.truncate(NEW_MATERIALS_ENTERPRISES_2024);
    const MOVED: [(&str, &str); 4] = [("3240", "合金材料"), ("3130", "特钢"), ("2921", "功能膜"), ("3062", "复合材料")];
    let mut pool: Vec<usize> = (0..registry.enterprises.len())
        .filter(|&i| in_2024(&registry.enterprises[i]) && !own(&registry.enterprises[i]))
        .collect();
    while chosen.len() < NEW_MATERIALS_ENTERPRISES_2024 && !pool.is_empty() {
        let i = pool.swap_remove(rng.below(pool.len()));
        let e = &mut registry.enterprises[i];
        let (code, trade) = *rng.pick(&MOVED);
        let old_trade = crate::INDUSTRIES.iter().find(|(c, _)| *c == e.industry).map_or("", |(_, t)| t);
        e.name = e.name.replacen(old_trade, trade, 1);
        e.industry = code.into();
        chosen.push(i);
    }
    // Those of the cluster's codes outside the 2024 set are tagged too: they count in other years.
    let others: Vec<usize> = (0..registry.enterprises.len())
        .filter(|&i| !in_2024(&registry.enterprises[i]) && own(&registry.enterprises[i]))
        .collect();
    for i in chosen.into_iter().chain(others) {
        let e = &mut registry.enterprises[i];
        let mut clusters: Vec<String> = catalog.whole_clusters(&e.industry).into_iter().map(str::to_string).collect();
        clusters.push(NEW_MATERIALS.into());
        e.cluster_override = Some(plan361_core::registry::ClusterOverride {
            clusters,
            reason: "产品属新材料(示例数据)synthetic tag".into(),
        });
    }
}

/// An enterprise's own character: size, trend, ratios of the other measures to output.
struct Profile {
    weight: f64,
    trend: f64,
    falls_from: Option<i32>,
    revenue: f64,
    margin: f64,
    export: f64,
    rd: f64,
    power: f64,
    productivity: f64,
    january_with_february: bool,
}

fn profile(rng: &mut Rng) -> Profile {
    // A heavy tail: a few large groups and many small firms, as in Ningbo's 规上 set.
    let size = (-rng.unit().max(1e-9).ln()).powf(2.2) + 0.05;
    Profile {
        weight: size,
        trend: rng.unit() * 0.12 - 0.04,
        falls_from: (rng.unit() < 0.004).then(|| 2025 + rng.below(2) as i32),
        revenue: 0.93 + rng.unit() * 0.12,
        margin: rng.unit() * 0.14 - 0.025,
        export: if rng.unit() < 0.4 { 0.0 } else { rng.unit() * 0.6 },
        rd: 0.005 + rng.unit() * 0.045,
        power: 0.01 + rng.unit() * 0.07,
        productivity: 80.0 + rng.unit() * 220.0,
        january_with_february: rng.unit() < 0.02,
    }
}

/// Annual output by district and group (新材料 or not), 万元, for one year.
struct YearPlan {
    /// (district, new materials?) → annual total.
    annual: BTreeMap<(usize, bool), i64>,
    /// The same for 1–5月, when calibrated.
    jan_may: Option<BTreeMap<(usize, bool), i64>>,
}

/// The synthetic microdata: every month from 2023-01 to `last` of every above-scale industrial
/// enterprise, in month and enterprise order.
pub fn microdata(registry: &Registry, catalog: &ClusterCatalog, seed: u64, last: Period) -> Vec<MicroRow> {
    let districts: Vec<&str> = DISTRICT_OUTPUT_2024_JAN_MAY.iter().map(|(d, _)| *d).collect();
    let mut rng = Rng::new(seed ^ 0x4D49_4352);
    let enterprises: Vec<(usize, &Enterprise, bool)> = registry
        .enterprises
        .iter()
        .filter(|e| is_industrial(e))
        .filter_map(|e| {
            let district = districts.iter().position(|d| *d == e.district)?;
            let new_materials = e.clusters(catalog).contains(&NEW_MATERIALS);
            Some((district, e, new_materials))
        })
        .collect();
    let profiles: Vec<Profile> = enterprises.iter().map(|_| profile(&mut rng)).collect();
    let last_year = last.year();
    let weight = |k: usize, year: i32| {
        let p = &profiles[k];
        let fall = match p.falls_from {
            Some(from) if year >= from => 0.35,
            _ => 1.0,
        };
        p.weight * (1.0 + p.trend).powi(year - FIRST_YEAR) * fall
    };
    let mut rows: Vec<MicroRow> = Vec::new();
    let mut previous: BTreeMap<(usize, bool), i64> = BTreeMap::new();
    for year in FIRST_YEAR..=last_year {
        let members: Vec<usize> =
            (0..enterprises.len()).filter(|&k| enterprises[k].1.above_scale.contains(&year)).collect();
        let plan = year_plan(year, &members, &enterprises, &weight, &mut previous, &mut rng);
        let months = if year == last_year { usize::from(last.months_elapsed()) } else { 12 };
        for ((district, new_materials), total) in &plan.annual {
            let group: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&k| enterprises[k].0 == *district && enterprises[k].2 == *new_materials)
                .collect();
            let weights: Vec<f64> = group.iter().map(|&k| weight(k, year)).collect();
            let annual = apportion(*total, &weights);
            let jan_may = plan.jan_may.as_ref().map(|j| apportion(j[&(*district, *new_materials)], &weights));
            for (i, &k) in group.iter().enumerate() {
                let monthly = months_of(year, annual[i], jan_may.as_ref().map(|j| j[i]), &mut rng);
                push_year(&mut rows, enterprises[k].1, &profiles[k], year, &monthly, months, 1.0, &mut rng);
                // An enterprise entering the set reports its previous year as the base of its
                // growth.
                let entered = year > FIRST_YEAR && !enterprises[k].1.above_scale.contains(&(year - 1));
                if entered {
                    let base = 1.0 / (1.02 + rng.unit() * 0.2);
                    push_year(&mut rows, enterprises[k].1, &profiles[k], year - 1, &monthly, 12, base, &mut rng);
                }
            }
        }
    }
    rows.sort_by(|a, b| a.month.cmp(&b.month).then_with(|| a.credit_code.cmp(&b.credit_code)));
    rows
}

/// The year's totals by district and group: 2024 from the published figures, 2023 back from
/// its growth, later years forward.
fn year_plan(
    year: i32,
    members: &[usize],
    enterprises: &[(usize, &Enterprise, bool)],
    weight: &dyn Fn(usize, i32) -> f64,
    previous: &mut BTreeMap<(usize, bool), i64>,
    rng: &mut Rng,
) -> YearPlan {
    let group_weight = |district: usize, nm: bool| -> f64 {
        members
            .iter()
            .filter(|&&k| enterprises[k].0 == district && enterprises[k].2 == nm)
            .map(|&k| weight(k, year))
            .sum()
    };
    let n = DISTRICT_OUTPUT_2024_JAN_MAY.len();
    let beilun = 3;
    let jan_may_2024: Vec<f64> = DISTRICT_OUTPUT_2024_JAN_MAY.iter().map(|(_, v)| *v).collect();
    let districts_2024: Vec<i64> =
        jan_may_2024.iter().map(|s| ((BEILUN_2024 * s / jan_may_2024[beilun]) * 100.0).round() as i64 * 100).collect();
    let (districts, new_materials): (Vec<i64>, i64) = match year {
        2024 => (districts_2024.clone(), (NEW_MATERIALS_2024 * YI) as i64),
        2023 => {
            let city = (CITY_2022 * (1.0 + CITY_GROWTH_2023) * YI).round() as i64;
            let beilun_2023 = ((BEILUN_2024 / (1.0 + BEILUN_GROWTH_2024)) * 100.0).round() as i64 * 100;
            let rest_weights: Vec<f64> =
                districts_2024.iter().enumerate().map(|(d, v)| if d == beilun { 0.0 } else { *v as f64 }).collect();
            let mut split = apportion(city - beilun_2023, &rest_weights);
            split[beilun] = beilun_2023;
            (split, (NEW_MATERIALS_2024 / (1.0 + NEW_MATERIALS_GROWTH_2024) * YI).round() as i64)
        }
        _ => {
            let growth = GROWTH_AFTER_2024.iter().find(|(y, _)| *y == year).map_or(0.04, |(_, g)| *g);
            let before: Vec<i64> = (0..n).map(|d| previous[&(d, false)] + previous[&(d, true)]).collect();
            let grown: Vec<i64> =
                before.iter().map(|v| (*v as f64 * (1.0 + growth + rng.unit() * 0.04 - 0.02)).round() as i64).collect();
            let nm_before: i64 = (0..n).map(|d| previous[&(d, true)]).sum();
            (grown, (nm_before as f64 * (1.0 + growth - 0.01)).round() as i64)
        }
    };
    let nm_weights: Vec<f64> = (0..n).map(|d| group_weight(d, true)).collect();
    let nm_split = apportion(new_materials, &nm_weights);
    let mut annual = BTreeMap::new();
    for d in 0..n {
        let nm = nm_split[d].min(districts[d] * 6 / 10);
        annual.insert((d, true), nm);
        annual.insert((d, false), districts[d] - nm);
    }
    let jan_may = (year == 2024).then(|| {
        let mut parts = BTreeMap::new();
        for d in 0..n {
            let total = (jan_may_2024[d] * YI).round() as i64;
            let nm = (total as f64 * annual[&(d, true)] as f64 / districts[d] as f64).round() as i64;
            parts.insert((d, true), nm);
            parts.insert((d, false), total - nm);
        }
        parts
    });
    previous.clone_from(&annual);
    YearPlan { annual, jan_may }
}

/// A year's output month by month (万元), exactly `annual` in all, and exactly `jan_may` in
/// January to May when given.
fn months_of(year: i32, annual: i64, jan_may: Option<i64>, rng: &mut Rng) -> [i64; 12] {
    let factors: Vec<f64> = (0..12).map(|m| season(year, m) * (0.95 + rng.unit() * 0.1)).collect();
    let mut months = [0; 12];
    match jan_may {
        Some(first) => {
            let first = first.min(annual);
            months[..5].copy_from_slice(&apportion(first, &factors[..5]));
            months[5..].copy_from_slice(&apportion(annual - first, &factors[5..]));
        }
        None => months.copy_from_slice(&apportion(annual, &factors)),
    }
    months
}

/// Rows of one enterprise's year: 1–N月 values from its monthly output (× `scale`).
#[allow(clippy::too_many_arguments)]
fn push_year(
    rows: &mut Vec<MicroRow>,
    e: &Enterprise,
    p: &Profile,
    year: i32,
    monthly: &[i64; 12],
    months: usize,
    scale: f64,
    rng: &mut Rng,
) {
    let tenth = |x: f64| (x * 10.0).round() as i64 * (SCALE / 10);
    let mut sums = [0i64; MEASURES];
    let annual: i64 = monthly.iter().sum();
    let staff = ((annual as f64 * scale / p.productivity).max(8.0)).round();
    for (m, &output) in monthly.iter().enumerate().take(months) {
        let output = (output as f64 * scale).round();
        let revenue = output * p.revenue;
        let month = [
            output as i64 * SCALE,
            tenth(revenue),
            tenth(revenue * (p.margin + rng.unit() * 0.04 - 0.02)),
            tenth(output * p.export),
            tenth(output * p.rd),
            tenth(output * p.power),
            0,
        ];
        for (sum, add) in sums.iter_mut().zip(month) {
            *sum += add;
        }
        sums[Measure::Employees.index()] = (staff * (0.97 + rng.unit() * 0.06)).round() as i64 * SCALE;
        if m == 0 && p.january_with_february {
            continue;
        }
        rows.push(MicroRow {
            credit_code: e.credit_code.clone(),
            month: month_index(Period::month(year, m as u8 + 1)),
            values: sums,
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use plan361_core::calendar::Date;
    use plan361_core::org::OrgUnits;
    use plan361_core::registry::{IndustryCodes, catalog};
    use plan361_core::stats::{Dataset, Members, MicrodataBuilder, check_rows};

    use super::*;

    #[test]
    fn the_microdata_meet_the_public_figures_exactly() {
        let today = Date::new(2026, 12, 5).expect("a day of the calendar");
        let registry = crate::registry(361, 12_000, today);
        let catalog = ClusterCatalog::parse("catalog", catalog::BUILTIN, IndustryCodes::builtin()).expect("catalog");
        let rows = microdata(&registry, &catalog, 361, Period::month(2026, 12));
        assert!(rows == microdata(&registry, &catalog, 361, Period::month(2026, 12)), "deterministic");
        let mut builder = MicrodataBuilder::default();
        for row in &rows {
            builder.push(&row.credit_code, row.month, row.values);
        }
        let micro = Arc::new(builder.build());
        assert_eq!(micro.rows(), rows.len(), "one row per enterprise and month");
        let units = OrgUnits::parse("units", include_str!("../../../data/org-units.toml")).expect("units");
        let dataset = Dataset::new(micro.clone(), Members::new(&registry, &catalog, &units));
        let members = &dataset.members;
        let org = |name: &str| members.org_position(name).expect("unit");
        let nm = members.cluster_position(NEW_MATERIALS).expect("cluster");
        let december = dataset.cube(Period::month(2024, 12));
        let output = Measure::Output;
        assert_eq!(december.cell(0, org("北仑区"), output).ytd, 58_572_700.0, "北仑 5,857.27亿");
        let materials = december.cell(nm, 0, output);
        assert_eq!(materials.ytd, 49_193_600.0, "新材料 4,919.36亿");
        assert_eq!(materials.enterprises as usize, NEW_MATERIALS_ENTERPRISES_2024);
        let may = dataset.cube(Period::month(2024, 5));
        for (district, figure) in DISTRICT_OUTPUT_2024_JAN_MAY {
            assert_eq!(may.cell(0, org(district), output).ytd, (figure * YI).round(), "{district} 1–5月");
        }
        let city_2023 = dataset.cube(Period::month(2023, 12)).cell(0, 0, output).ytd;
        assert_eq!(city_2023, 252_720_000.0, "2.43万亿 in 2022 +4.0%");
        let city_2024 = december.cell(0, 0, output);
        let growth = city_2024.yoy.expect("like-for-like growth");
        assert!((0.0..0.08).contains(&growth), "the city grows: {growth}");
        // Every generated row passes the import's checks; entrants' base years are the warnings.
        let numbered: Vec<(usize, MicroRow)> = rows.iter().cloned().enumerate().collect();
        let problems = check_rows(&numbered, &Default::default(), &registry, month_index(Period::month(2026, 12)));
        assert!(
            problems.iter().all(|p| p.severity == plan361_core::stats::Severity::Warning),
            "{:?}",
            problems.first()
        );
        assert!(!problems.is_empty(), "entrants report their previous year");
        // 1–2月 together, Spring Festival and a few sharp falls.
        let february = dataset.cube(Period::month(2025, 2)).cell(0, 0, output);
        assert_eq!(february.month_span, 2);
        let january_2025 = dataset.cube(Period::month(2025, 1)).cell(0, 0, output).ytd;
        let march_2025 = dataset.cube(Period::month(2025, 3)).cell(0, 0, output).month.expect("March");
        assert!(january_2025 < 0.8 * march_2025, "the Spring Festival month is low");
        let behind = dataset.behind(Period::month(2025, 12), 0, 0, output);
        let fallers = behind.iter().filter(|e| e.yoy.is_some_and(|y| y < -0.4)).count();
        assert!((5..200).contains(&fallers), "a few enterprises fall sharply: {fallers}");
        assert!(registry.enterprises.iter().all(|e| e.name.contains("示例")));
    }
}
