//! Importing 100,000 observation rows from CSV into SQLite, against a plain `INSERT` loop into
//! the same schema in the same run. Prints a table; run with
//! `cargo bench -p plan361-store --bench import`.

use std::time::{Duration, Instant};

use plan361_core::access::Actor;
use plan361_core::org::{OrgKind, OrgUnits};
use plan361_core::plan::{self, Kind};
use plan361_files::observations::read;
use plan361_store::{ImportRow, ObservationState, Store};

const PLAN: &str = include_str!("../../../plans/ningbo-361-2025.toml");
const ORG_UNITS: &str = include_str!("../../../data/org-units.toml");
const ROWS: usize = 100_000;

/// 100,000 valid rows: every reported target (and measure) for every territorial unit, month
/// after month back from October 2026.
fn csv(plan: &plan::Plan, org_units: &OrgUnits) -> String {
    let keys: Vec<(String, bool)> = plan
        .targets()
        .iter()
        .filter(|t| !t.is_derived())
        .flat_map(|t| t.reported_keys().into_iter().map(move |key| (key.to_string(), t.kind == Kind::Milestone)))
        .collect();
    let units: Vec<&str> =
        org_units.all().iter().filter(|u| u.kind != OrgKind::Department).map(|u| u.name.as_str()).collect();
    let mut text = String::from("target_id,org_unit,period,value,comment\n");
    let mut period = plan361_core::Period::month(2026, 10);
    let mut rows = 0;
    while rows < ROWS {
        for unit in &units {
            for (key, milestone) in &keys {
                if rows == ROWS {
                    break;
                }
                let value = if *milestone { 0.5 } else { (rows % 997) as f64 + 0.25 };
                text.push_str(&format!("{key},{unit},{period},{value},\n"));
                rows += 1;
            }
        }
        period = period.previous_month();
    }
    text
}

async fn fresh_store(dir: &std::path::Path, name: &str, org_units: &OrgUnits) -> Store {
    let path = dir.join(name);
    let store = Store::open(&path.display().to_string()).await.expect("open");
    store.initialize("plan", PLAN, org_units, "benchmark-password").await.expect("initialize");
    store
}

fn rate(rows: usize, elapsed: Duration) -> f64 {
    rows as f64 / elapsed.as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let plan = plan::parse("plan", PLAN).expect("plan");
    let org_units = OrgUnits::parse("org-units", ORG_UNITS).expect("org units");
    let text = csv(&plan, &org_units);
    let dir = std::env::temp_dir().join(format!("plan361-bench-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");

    // The machine is shared and noisy: each case runs three times, alternating, on fresh
    // databases, and the fastest run of each counts.
    let (mut insert_loop, mut first, mut again) = (Duration::MAX, Duration::MAX, Duration::MAX);
    for round in 0..3 {
        insert_loop = insert_loop.min(reference_loop(&dir, round, &org_units, &text).await);
        let (new_values, unchanged) = plan361_import(&dir, round, &plan, &org_units, &text).await;
        first = first.min(new_values);
        again = again.min(unchanged);
    }
    let _ = std::fs::remove_dir_all(&dir);

    let reference_rate = rate(ROWS, insert_loop);
    println!("{ROWS} observation rows, SQLite, one transaction each\n");
    println!("| case | time | rows/s | ratio to the INSERT loop |");
    println!("|---|---|---|---|");
    for (case, elapsed) in [
        ("reference: plain INSERT loop", insert_loop),
        ("plan361 import from CSV (new values)", first),
        ("plan361 import again (nothing changes)", again),
    ] {
        println!(
            "| {case} | {:.2} s | {:.0} | {:.2} |",
            elapsed.as_secs_f64(),
            rate(ROWS, elapsed),
            rate(ROWS, elapsed) / reference_rate
        );
    }
}

/// One INSERT statement per row, in one transaction, into the same schema.
async fn reference_loop(dir: &std::path::Path, round: usize, org_units: &OrgUnits, text: &str) -> Duration {
    let name = format!("reference-{round}.db");
    let store = fresh_store(dir, &name, org_units).await;
    let pool = sqlx::AnyPool::connect(&format!("sqlite://{}", dir.join(&name).display())).await.expect("pool");
    // The same durability setting as the store's connections, so the comparison is fair.
    sqlx::query("PRAGMA synchronous = NORMAL").execute(&pool).await.expect("pragma");
    let started = Instant::now();
    let mut tx = pool.begin().await.expect("begin");
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (target, measure) = fields[0].split_once(':').unwrap_or((fields[0], ""));
        let period: plan361_core::Period = fields[2].parse().expect("period");
        sqlx::query(
            "INSERT INTO observations (target_id, measure, org_unit, period, period_end, value, comment, state, \
             revision, updated_at_ms, updated_by) VALUES ($1, $2, $3, $4, $5, $6, '', 'approved', 1, 0, 'admin')",
        )
        .bind(target)
        .bind(measure)
        .bind(fields[1])
        .bind(fields[2])
        .bind(period.end_month_index())
        .bind(fields[3].parse::<f64>().expect("value"))
        .execute(&mut *tx)
        .await
        .expect("insert");
    }
    tx.commit().await.expect("commit");
    let elapsed = started.elapsed();
    pool.close().await;
    store.close().await;
    elapsed
}

/// plan361's import: decode, read and check the CSV, check permissions and windows, write the
/// values, their revisions and the audit entry in one transaction — then the same file again.
async fn plan361_import(
    dir: &std::path::Path,
    round: usize,
    plan: &plan::Plan,
    org_units: &OrgUnits,
    text: &str,
) -> (Duration, Duration) {
    let store = fresh_store(dir, &format!("import-{round}.db"), org_units).await;
    let admin: Actor = store.actor("admin").await.expect("admin");
    store.set_separate_duties(&admin, false).await.expect("the benchmark loads approved values itself");
    let mut times = Vec::new();
    for expected_new in [ROWS, 0] {
        let started = Instant::now();
        let rows = read("bench.csv", text.as_bytes(), plan, org_units).expect("valid file");
        let import_rows: Vec<ImportRow> = rows
            .iter()
            .map(|r| ImportRow {
                sheet: None,
                row: r.line,
                target: r.target_key(plan),
                org_unit: r.org_unit_name(org_units).to_string(),
                period: r.period,
                value: r.value,
                comment: String::new(),
                revision: None,
            })
            .collect();
        let report = store
            .import(&admin, "bench.csv", "hash", &import_rows, ObservationState::Approved, &|_| {})
            .await
            .expect("import");
        times.push(started.elapsed());
        assert_eq!(report.created, expected_new);
    }
    store.close().await;
    (times[0], times[1])
}
