//! Derived values of every counted target of the Ningbo plan, for the city and its ten
//! districts, month by month over 72 months, from the 12,000-enterprise synthetic registry —
//! against a plain pass over every honour as the reference.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_core::org::OrgUnits;
use plan361_core::registry::count;

const PLAN: &str = include_str!("../../../plans/ningbo-361-2025.toml");
const ORG_UNITS: &str = include_str!("../../../data/org-units.toml");

fn bench(c: &mut Criterion) {
    let plan = plan361_core::plan::parse("plan", PLAN).expect("plan");
    let org_units = OrgUnits::parse("org-units", ORG_UNITS).expect("org units");
    let registry = plan361_demo::registry(361, 12_000, Date::new(2030, 11, 30).expect("a day of the calendar"));
    let to = Period::month(2030, 11);
    let honours: usize = registry.enterprises.iter().map(|e| e.honours.len()).sum();
    let counted = plan.targets().iter().filter(|t| t.count.is_some()).count();
    let points = count::derive(&plan, &org_units, &registry, to).len();
    println!(
        "{} enterprises, {honours} honours, {} projects, {} parks, {} platforms; {counted} counted targets → {points} values",
        registry.enterprises.len(),
        registry.projects.len(),
        registry.parks.len(),
        registry.platforms.len()
    );
    let mut group = c.benchmark_group("counts");
    group.bench_function("reference: one pass over every honour", |b| {
        b.iter(|| {
            black_box(&registry).enterprises.iter().flat_map(|e| &e.honours).filter(|h| h.revoked.is_none()).count()
        })
    });
    group.bench_function("every counted target × 11 org units × 72 months", |b| {
        b.iter(|| count::derive(black_box(&plan), &org_units, &registry, to))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
