//! The cube of one month against DuckDB, in the same run, at a city's and a province's scale
//! (BENCHMARKS.md): the same synthetic microdata, membership and 同口径 rule.
//!
//!   cargo bench -p plan361-demo --bench cube [-- --scales ningbo,province --process BIN --import]
//!
//! For each scale: writes micro.csv, enterprises.csv (the `list export enterprises` columns
//! plus `zone`) and members.csv under target/bench-cube/SCALE; times the cube in memory (median
//! of 30) and `scripts/duckdb_cube.py memory` on the same files; with `--process BIN`, also
//! times `BIN stats cube --micro … --enterprises …` against `duckdb_cube.py process` as whole
//! processes. Prints a table of times and ratios, and the memory held against the raw columns.
//!
//! With `--import` (Ningbo's scale): loads the registry and the microdata up to three months
//! before the last into a fresh database (SQLite, and PostgreSQL when `PLAN361_PG_URL` names a
//! server), then times importing each of the last three months (`Store::import_microdata`, all
//! its checks, revisions and audit entry) and computing the cube afterwards
//! (`Store::stats_dataset` and `Dataset::cube`) against `duckdb_cube.py append`: the same month
//! appended from its CSV and the same cube queried.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use plan361_core::Period;
use plan361_core::org::OrgUnits;
use plan361_core::registry::{ClusterCatalog, Enterprise, IndustryCodes, Registry, catalog, credit_code};
use plan361_core::stats::{By, Dataset, MEASURES, Measure, Members, MicrodataBuilder};
use plan361_demo::Rng;

const INDUSTRIES: [&str; 12] =
    ["2511", "2614", "2651", "3612", "3670", "3424", "3441", "3985", "2720", "1819", "3491", "3731"];
const DISTRICTS: [&str; 10] =
    ["海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"];
const FIRST_YEAR: i32 = 2017;
const YEARS: i32 = 10;

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn seconds(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

/// Enterprises over ten years (entering and leaving the above-scale set), reporting every
/// month of their above-scale years.
fn generate(enterprises: usize, dir: &Path) -> (Registry, usize) {
    let mut rng = Rng::new(2026);
    let mut registry = Registry::default();
    let mut micro =
        String::from("credit_code,period,output,revenue,profit,export_delivery,rd_expense,electricity,employees\n");
    let mut rows = 0;
    std::fs::create_dir_all(dir).expect("bench folder");
    let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join("micro.csv")).expect("micro.csv"));
    for i in 0..enterprises {
        let code = credit_code::complete(&format!("91330200{i:09}")).expect("code");
        let years: Vec<i32> = (FIRST_YEAR..FIRST_YEAR + YEARS).filter(|_| rng.unit() < 0.85).collect();
        let size = 1000.0 + (-rng.unit().max(1e-9).ln()).powf(2.0) * 20_000.0;
        for &year in &years {
            let mut total = [0i64; MEASURES];
            for month in 1..=12u8 {
                let output = (size * (0.8 + rng.unit() * 0.4)).round() as i64;
                let add = [output, output * 98 / 100, output / 20 - 30, output / 5, output / 40, output / 30, 0];
                for (t, a) in total.iter_mut().zip(add) {
                    *t += a;
                }
                total[Measure::Employees.index()] = (size / 50.0).round() as i64;
                let _ = writeln!(
                    micro,
                    "{code},{year}-{month:02},{},{},{},{},{},{},{}",
                    total[0], total[1], total[2], total[3], total[4], total[5], total[6]
                );
                rows += 1;
            }
        }
        use std::io::Write;
        file.write_all(micro.as_bytes()).expect("write");
        micro.clear();
        registry.enterprises.push(Enterprise {
            credit_code: code,
            name: format!("企业{i}(示例)"),
            district: DISTRICTS[rng.below(DISTRICTS.len())].into(),
            industry: INDUSTRIES[rng.below(INDUSTRIES.len())].into(),
            above_scale: years,
            cluster_override: None,
            honours: vec![],
        });
    }
    (registry, rows)
}

fn write_reference(registry: &Registry, catalog: &ClusterCatalog, dir: &Path) {
    let mut enterprises = String::from("credit_code,name,district,industry,above_scale,zone\n");
    let mut members = String::from("credit_code,cluster\n");
    for e in &registry.enterprises {
        let years: Vec<String> = e.above_scale.iter().map(i32::to_string).collect();
        let _ =
            writeln!(enterprises, "{},{},{},{},{},", e.credit_code, e.name, e.district, e.industry, years.join(";"));
        for cluster in e.clusters(catalog) {
            let _ = writeln!(members, "{},{cluster}", e.credit_code);
        }
    }
    std::fs::write(dir.join("enterprises.csv"), enterprises).expect("enterprises.csv");
    std::fs::write(dir.join("members.csv"), members).expect("members.csv");
}

fn read_micro(path: &Path, rows: usize) -> plan361_core::stats::Microdata {
    let bytes = std::fs::read(path).expect("micro.csv");
    let mut builder = MicrodataBuilder::with_capacity(rows);
    plan361_files::micro::read_each("micro.csv", &bytes, |_, code, month, values| builder.push(code, month, values))
        .expect("valid");
    builder.build()
}

/// The months an import is timed for: the last three of the data.
const IMPORTED: [u8; 3] = [8, 9, 10];

/// Times importing each of the last months into a database holding everything before, and the
/// cube after: the median, with what DuckDB takes for the same.
fn import_months(registry: &Registry, dir: &Path, at: Period, location: &str) -> f64 {
    use plan361_core::registry::{Entity, ListKind};
    use plan361_core::stats::MicroRow;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = plan361_store::Store::open(location).await.expect("database");
        let plan = include_str!("../../../plans/ningbo-361-2025.toml");
        let units = OrgUnits::parse("units", include_str!("../../../data/org-units.toml")).expect("units");
        store.initialize("plan", plan, &units, "bench-password").await.expect("initialize");
        let admin = store.actor("admin").await.expect("admin");
        let entries: Vec<plan361_store::ListRow> = registry
            .enterprises
            .iter()
            .enumerate()
            .map(|(i, e)| plan361_store::ListRow { sheet: None, row: i + 2, entity: Entity::Enterprise(e.clone()) })
            .collect();
        store.import_list(&admin, ListKind::Enterprises, &entries, "bench").await.expect("registry");
        let bytes = std::fs::read(dir.join("micro.csv")).expect("micro.csv");
        let rows = plan361_files::micro::read("micro.csv", &bytes).expect("valid");
        let first_timed = plan361_core::stats::month_index(Period::month(at.year(), IMPORTED[0]));
        let mut by_month: std::collections::BTreeMap<i32, Vec<(usize, MicroRow)>> = Default::default();
        for (line, row) in rows {
            by_month.entry(if row.month < first_timed { i32::MIN } else { row.month }).or_default().push((line, row));
        }
        let history = by_month.remove(&i32::MIN).unwrap_or_default();
        for chunk in history.chunks(200_000) {
            store.import_microdata(&admin, "history.csv", "history", chunk).await.expect("history");
        }
        store.stats_dataset(None, at).await.expect("dataset");
        let mut times = Vec::new();
        for (month, rows) in by_month {
            let period = plan361_core::stats::month_period(month);
            let start = Instant::now();
            let report = store.import_microdata(&admin, &format!("{period}.csv"), "month", &rows).await.expect("month");
            let cells = store
                .stats_dataset(None, period)
                .await
                .expect("dataset")
                .cube(period)
                .rows(By::ClusterDistrict, &Measure::ALL)
                .len();
            times.push(start.elapsed().as_secs_f64());
            assert_eq!((report.created, cells > 0), (rows.len(), true));
        }
        store.close().await;
        median(times)
    })
}

/// A fresh database for the import on each backend: a SQLite file, and a PostgreSQL database
/// when `PLAN361_PG_URL` names a server.
fn import_databases(dir: &Path) -> Vec<(&'static str, String)> {
    let sqlite = dir.join("import.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", sqlite.display()));
    }
    let mut found = vec![("SQLite", sqlite.display().to_string())];
    if let Ok(admin_url) = std::env::var("PLAN361_PG_URL") {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&admin_url).await.expect("PLAN361_PG_URL connects");
            for statement in
                ["DROP DATABASE IF EXISTS plan361_bench_import WITH (FORCE)", "CREATE DATABASE plan361_bench_import"]
            {
                sqlx::raw_sql(statement).execute(&admin).await.expect(statement);
            }
            admin.close().await;
        });
        let (server, _) = admin_url.rsplit_once('/').expect("PLAN361_PG_URL ends with /DATABASE");
        found.push(("PostgreSQL", format!("{server}/plan361_bench_import")));
    }
    found
}

/// Each timed month's rows in a file of its own (month-YYYY-MM.csv), for DuckDB to append.
fn write_months(dir: &Path, months: &[String]) {
    let text = std::fs::read_to_string(dir.join("micro.csv")).expect("micro.csv");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let mut files: Vec<String> = months.iter().map(|_| format!("{header}\n")).collect();
    for line in lines {
        let period = line.split(',').nth(1).unwrap_or_default();
        if let Some(i) = months.iter().position(|m| m == period) {
            files[i].push_str(line);
            files[i].push('\n');
        }
    }
    for (month, text) in months.iter().zip(files) {
        std::fs::write(dir.join(format!("month-{month}.csv")), text).expect("month file");
    }
}

/// DuckDB's enterprises and 1–N月 output of every cell it finds are the cube's, and it finds
/// every cell the cube has enterprises in: the two compute the same thing.
fn same_totals_as_duckdb(cube: &plan361_core::stats::Cube, dir: &str, at: Period) {
    let out = Command::new("python3")
        .args(["scripts/duckdb_cube.py", "totals", dir, &at.to_string()])
        .output()
        .expect("python3 with duckdb");
    assert!(out.status.success(), "duckdb: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut cells = 0;
    for line in text.lines() {
        let fields: Vec<&str> = line.split(',').collect();
        let [cluster, org_unit, enterprises, ytd] = fields[..] else { panic!("a line of four fields: {line}") };
        let c = cube.clusters.iter().position(|(id, _)| id == cluster).expect("a cluster of the cube");
        let o = cube.org_units.iter().position(|u| u == org_unit).expect("an org unit of the cube");
        let cell = cube.cell(c, o, Measure::Output);
        assert_eq!(cell.enterprises.to_string(), enterprises, "{line}");
        assert!((cell.ytd - ytd.parse::<f64>().expect("a number")).abs() < 1e-6, "{line}: {}", cell.ytd);
        cells += 1;
    }
    let ours = (0..cube.clusters.len())
        .flat_map(|c| (0..cube.org_units.len()).map(move |o| (c, o)))
        .filter(|&(c, o)| cube.cell(c, o, Measure::Output).enterprises > 0)
        .count();
    assert_eq!(cells, ours, "the same cells hold enterprises");
}

/// The processor seconds (user and system) of the children waited for so far (`cutime` and
/// `cstime` of /proc/self/stat, in ticks of 1/100 s): on a machine shared with other work, the
/// time a process computes is steadier than the time it takes.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // The fields after the command name's closing parenthesis start with the third.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |field: usize| fields[field - 3].parse::<f64>().expect("ticks");
    (ticks(16) + ticks(17)) / 100.0
}

/// Runs a process to its end: its wall-clock and processor seconds.
fn run(command: &mut Command) -> (f64, f64) {
    let cpu = children_cpu();
    let start = Instant::now();
    let out = command.output().expect("the process runs");
    let wall = start.elapsed().as_secs_f64();
    assert!(out.status.success(), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
    (wall, children_cpu() - cpu)
}

/// The medians of wall-clock and processor seconds.
fn medians(times: Vec<(f64, f64)>) -> (f64, f64) {
    (median(times.iter().map(|t| t.0).collect()), median(times.iter().map(|t| t.1).collect()))
}

/// What `duckdb_cube.py` prints as its time, in seconds.
fn duckdb(args: &[&str]) -> f64 {
    let out = Command::new("python3").arg("scripts/duckdb_cube.py").args(args).output().expect("python3 with duckdb");
    assert!(out.status.success(), "duckdb: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("seconds")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let scales = option("--scales").unwrap_or_else(|| "ningbo,province".into());
    let process = option("--process");
    let import = args.iter().any(|a| a == "--import");
    // Benches run from the crate's folder; the script and target/ are at the workspace root.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::set_current_dir(&root).expect("workspace root");
    let codes = IndustryCodes::builtin();
    let catalog = ClusterCatalog::parse("catalog", catalog::BUILTIN, codes).expect("catalog");
    let units = OrgUnits::parse("units", include_str!("../../../data/org-units.toml")).expect("units");
    let at = Period::month(FIRST_YEAR + YEARS - 1, 10);
    let mut report = String::from(
        "| scale | enterprise-months | plan361 cube in memory | DuckDB in memory | ratio | memory / raw columns |\n|---|---|---|---|---|---|\n",
    );
    let mut imports = String::from(
        "| scale | backend | import a month + its cube | DuckDB: append the month's CSV + the cube | ratio |\n|---|---|---|---|---|\n",
    );
    let mut whole = String::from(
        "| scale | `stats cube --micro`, wall | DuckDB script from the CSV, wall | ratio | `stats cube --micro`, CPU | DuckDB, CPU | ratio |\n|---|---|---|---|---|---|---|\n",
    );
    for scale in scales.split(',') {
        let enterprises = match scale {
            "ningbo" => 13_800,
            "province" => 98_000,
            other => panic!("unknown scale {other} (ningbo, province)"),
        };
        let dir = root.join("target/bench-cube").join(scale);
        let (registry, rows) = generate(enterprises, &dir);
        write_reference(&registry, &catalog, &dir);
        let micro = Arc::new(read_micro(&dir.join("micro.csv"), rows));
        assert_eq!(micro.rows(), rows);
        let dataset = Dataset::new(micro.clone(), Members::new(&registry, &catalog, &units));
        let mut cells = 0;
        let ours = median(
            (0..30)
                .map(|_| seconds(|| cells = dataset.cube(at).rows(By::ClusterDistrict, &Measure::ALL).len()))
                .collect(),
        );
        let dir_text = dir.display().to_string();
        same_totals_as_duckdb(&dataset.cube(at), &dir_text, at);
        let reference = duckdb(&["memory", &dir_text, &at.to_string(), "30"]);
        // Raw columns: a 4-byte enterprise id, a 4-byte month and seven 8-byte values a row.
        let raw = rows * (4 + 4 + MEASURES * 8);
        let _ = writeln!(
            report,
            "| {scale} | {rows} ({cells} cells) | {:.2} ms | {:.2} ms | {:.1}× faster | {:.2} |",
            ours * 1e3,
            reference * 1e3,
            reference / ours,
            micro.heap_bytes() as f64 / raw as f64
        );
        if import && scale == "ningbo" {
            let months: Vec<String> = IMPORTED.iter().map(|m| Period::month(at.year(), *m).to_string()).collect();
            write_months(&dir, &months);
            let reference = duckdb(&["append", &dir_text, &months.join(",")]);
            for (backend, location) in import_databases(&dir) {
                let ours = import_months(&registry, &dir, at, &location);
                let _ = writeln!(
                    imports,
                    "| {scale} | {backend} | {:.0} ms | {:.0} ms | {:.2}× |",
                    ours * 1e3,
                    reference * 1e3,
                    reference / ours
                );
            }
        }
        if let Some(bin) = &process {
            let micro_file = dir.join("micro.csv").display().to_string();
            let enterprises_file = dir.join("enterprises.csv").display().to_string();
            let ours = medians(
                (0..3)
                    .map(|_| {
                        run(Command::new(bin)
                            .args([
                                "stats",
                                "cube",
                                "--at",
                                &at.to_string(),
                                "--measure",
                                "all",
                                "--by",
                                "cluster,district",
                            ])
                            .args(["--json", "--micro", &micro_file, "--enterprises", &enterprises_file]))
                    })
                    .collect(),
            );
            let reference = medians(
                (0..3)
                    .map(|_| {
                        run(Command::new("python3").args([
                            "scripts/duckdb_cube.py",
                            "process",
                            &dir_text,
                            &at.to_string(),
                        ]))
                    })
                    .collect(),
            );
            let _ = writeln!(
                whole,
                "| {scale} | {:.2} s | {:.2} s | {:.2}× | {:.2} s | {:.2} s | {:.2}× |",
                ours.0,
                reference.0,
                reference.0 / ours.0,
                ours.1,
                reference.1,
                reference.1 / ours.1
            );
        }
    }
    println!("{report}");
    if process.is_some() {
        println!("{whole}");
    }
    if import {
        println!("{imports}");
    }
}
