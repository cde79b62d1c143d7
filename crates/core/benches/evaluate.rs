//! The whole Ningbo plan evaluated for the city and its ten districts over 72 months of
//! observations (each target on its own frequency), against a plain pass over the same
//! observations as the reference.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use plan361_core::Period;
use plan361_core::eval::{Decompositions, DueBy, Observations, Point, evaluate_plan};
use plan361_core::org::{OrgKind, OrgUnits};
use plan361_core::plan::{self, Kind, Plan};

const PLAN: &str = include_str!("../../../plans/ningbo-361-2025.toml");
const ORG_UNITS: &str = include_str!("../../../data/org-units.toml");
const MONTHS: usize = 72;

fn setup() -> (Plan, OrgUnits, Observations, Vec<f64>) {
    let plan = plan::parse("ningbo", PLAN).expect("plan");
    let org_units = OrgUnits::parse("org-units", ORG_UNITS).expect("org units");
    let territorial: Vec<usize> = org_units
        .all()
        .iter()
        .enumerate()
        .filter(|(_, u)| matches!(u.kind, OrgKind::City | OrgKind::District))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(territorial.len(), 11);
    let mut observations = Observations::default();
    let mut flat = Vec::new();
    for (t, target) in plan.targets().iter().enumerate() {
        for (u, &unit) in territorial.iter().enumerate() {
            // Each target on its own frequency: a month's value, a quarter's, a year's.
            let months = Period::months_between(Period::month(2024, 12), Period::month(2030, 11));
            let mut last = None;
            for (m, month) in months.enumerate().take(MONTHS) {
                let period = target.frequency.period_containing(month);
                if last == Some(period) || period > Period::month(2030, 11) {
                    continue;
                }
                last = Some(period);
                let value = match target.kind {
                    Kind::Milestone => (100.0 * m as f64 / MONTHS as f64).min(100.0),
                    _ => 100.0 + (u * 7 + m) as f64 * 0.5,
                };
                flat.push(value);
                let measures: Vec<Option<&str>> = if target.measures.is_empty() {
                    vec![None]
                } else {
                    target.measures.iter().map(|m| Some(m.key.as_str())).collect()
                };
                for measure in measures {
                    observations.insert(t, unit, measure, Point { period, value });
                }
            }
        }
    }
    (plan, org_units, observations, flat)
}

fn bench(c: &mut Criterion) {
    let (plan, org_units, observations, flat) = setup();
    let decompositions = Decompositions::new();
    let at = Period::month(2030, 11);
    let rows = evaluate_plan(&plan, &org_units, &observations, &decompositions, at, &DueBy::default()).len();
    println!(
        "{} targets × 11 org units × {MONTHS} months = {} observations, {rows} evaluations",
        plan.targets().len(),
        flat.len()
    );

    let mut group = c.benchmark_group("evaluate");
    group.bench_function("reference: sum every observation once", |b| b.iter(|| black_box(&flat).iter().sum::<f64>()));
    group.bench_function("whole plan at one period", |b| {
        b.iter(|| evaluate_plan(black_box(&plan), &org_units, &observations, &decompositions, at, &DueBy::default()))
    });
    group.bench_function("whole plan at each of 72 periods", |b| {
        b.iter(|| {
            Period::months_between(Period::month(2024, 12), at)
                .map(|p| evaluate_plan(&plan, &org_units, &observations, &decompositions, p, &DueBy::default()).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
