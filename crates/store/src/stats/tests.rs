//! Microdata in the database, on both backends: imports all-or-nothing and idempotent, every
//! bad row named, warnings kept apart, revisions kept, concurrent imports taking turns, the
//! microdata held in memory equal to the database's, and catalog versions under unique labels.

use plan361_core::Period;
use plan361_core::registry::{Enterprise, Entity, credit_code};
use plan361_core::stats::{MEASURES, Measure, MicroRow, Microdata, SCALE, month_index};

use crate::tests::fixtures;
use crate::{Store, StoreError};

fn code(n: usize) -> String {
    credit_code::complete(&format!("91330206MA{n:07}")).expect("17 characters")
}

fn month(year: i32, m: u8) -> i32 {
    month_index(Period::month(year, m))
}

/// 1–N月 values growing with `output` (in 万元); 从业人员 a stock.
fn values(output: i64) -> [i64; MEASURES] {
    let o = output * SCALE;
    [o, o, o / 10, o / 5, o / 50, o / 3, 120 * SCALE]
}

fn row(line: usize, n: usize, month: i32, output: i64) -> (usize, MicroRow) {
    (line, MicroRow { credit_code: code(n), month, values: values(output) })
}

/// Enterprises 1 (北仑区, above scale 2025–2026) and 2 (鄞州区, entered in 2026).
async fn registry(s: &Store) {
    let office = s.actor("office").await.expect("office");
    for (n, district, years) in [(1, "北仑区", vec![2025, 2026]), (2, "鄞州区", vec![2026])] {
        let entity = Entity::Enterprise(Enterprise {
            credit_code: code(n),
            name: format!("示例企业{n}"),
            district: district.into(),
            industry: "3612".into(),
            above_scale: years,
            cluster_override: None,
            honours: vec![],
        });
        s.save_entry(&office, &entity, "规上企业名录", None).await.expect("entry");
    }
}

/// Every row of the microdata, for comparing two readings.
fn all_rows(micro: &Microdata) -> Vec<(String, i32, [i64; MEASURES])> {
    let mut rows: Vec<_> = micro.iter().map(|(c, m, v)| (c.to_string(), m, *v)).collect();
    rows.sort();
    rows
}

/// What a fresh process reads from the same database.
async fn fresh_reading(s: &Store) -> Vec<(String, i32, [i64; MEASURES])> {
    let other = Store::open(s.location()).await.expect("reopen");
    let rows = all_rows(&other.microdata().await.expect("microdata"));
    other.close().await;
    rows
}

#[tokio::test]
async fn an_import_is_idempotent_and_a_revision_is_kept() {
    for f in fixtures("stats-import").await {
        let s = &f.store;
        registry(s).await;
        let office = s.actor("office").await.expect("office");
        let rows = [
            row(2, 1, month(2026, 1), 100),
            row(3, 1, month(2026, 2), 230),
            row(4, 2, month(2026, 2), 70),
            row(5, 1, month(2025, 2), 180),
        ];
        let first = s.import_microdata(&office, "m.csv", "h1", &rows).await.expect("import");
        assert_eq!((first.rows, first.created, first.updated, first.unchanged), (4, 4, 0, 0));
        assert!(first.warnings.is_empty(), "{:?}", first.warnings);
        let version = s.micro_version().await.expect("version");

        let again = s.import_microdata(&office, "m.csv", "h1", &rows).await.expect("again");
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4), "the same file changes nothing");
        assert_eq!(s.micro_version().await.expect("version"), version, "no revision for an unchanged row");

        let revised = [row(2, 1, month(2026, 2), 240)];
        let third = s.import_microdata(&office, "revised.csv", "h2", &revised).await.expect("revision");
        assert_eq!((third.created, third.updated, third.unchanged), (0, 1, 0));
        let history = s.micro_history(&code(1), month(2026, 2)).await.expect("history");
        let kept: Vec<(i64, i64, &str)> = history
            .iter()
            .map(|r| (r.revision, r.values[Measure::Output.index()] / SCALE, r.file_name.as_str()))
            .collect();
        assert_eq!(kept, [(1, 230, "m.csv"), (2, 240, "revised.csv")]);
        assert!(history.iter().all(|r| r.changed_by == "office"));

        // The microdata held in memory are what the database holds.
        let held = s.microdata().await.expect("microdata");
        assert_eq!(held.get(&code(1), month(2026, 2)).map(|v| v[0] / SCALE), Some(240));
        assert_eq!(all_rows(&held), fresh_reading(s).await);
        let cube = s.stats_dataset(None, Period::month(2026, 2)).await.expect("dataset").cube(Period::month(2026, 2));
        let city = cube.cell(0, 0, Measure::Output);
        assert_eq!((city.ytd, city.enterprises), (310.0, 2), "240 + 70, the revision counted");
        assert_eq!(city.ytd_prev, Some(180.0), "enterprise 1 only reported 2025-02");

        let reporter = s.actor("beilun").await.expect("beilun");
        let refused = s.import_microdata(&reporter, "m.csv", "h3", &revised).await;
        assert!(matches!(refused, Err(StoreError::Forbidden(_))), "{refused:?}");
        assert!(s.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn a_file_with_bad_rows_names_each_and_writes_nothing() {
    for f in fixtures("stats-bad").await {
        let s = &f.store;
        registry(s).await;
        let office = s.actor("office").await.expect("office");
        s.import_microdata(&office, "stored.csv", "h0", &[row(2, 1, month(2026, 3), 300)]).await.expect("stored");
        let version = s.micro_version().await.expect("version");
        let mut negative = row(7, 2, month(2026, 4), 10);
        negative.1.values[Measure::Revenue.index()] = -SCALE;
        let rows = [
            row(2, 1, month(2026, 1), 100),
            // Falls below January in the file.
            row(3, 1, month(2026, 2), 90),
            // Above the stored 2026-03 (300): March would fall.
            row(4, 1, month(2026, 2), 350),
            // Not in the registry.
            row(5, 9, month(2026, 1), 10),
            // Not a credit code at all.
            (6, MicroRow { credit_code: "91330206MA0000001A".into(), month: month(2026, 1), values: values(1) }),
            negative,
            // A month that has not begun (the clock is 5 November 2026).
            row(8, 2, month(2026, 12), 10),
            // Below the stored March in April.
            row(9, 1, month(2026, 4), 250),
        ];
        let Err(StoreError::Rejected(rejection)) = s.import_microdata(&office, "bad.csv", "h1", &rows).await else {
            panic!("the file is refused");
        };
        let named: Vec<(usize, Option<&str>)> =
            rejection.problems.iter().map(|p| (p.row, p.column.as_deref())).collect();
        for expected in [
            (3, Some("output")),
            (4, None),
            (5, Some("credit_code")),
            (6, Some("credit_code")),
            (7, Some("revenue")),
            (8, Some("period")),
            (9, Some("output")),
        ] {
            assert!(named.contains(&expected), "{expected:?} in {named:?}");
        }
        assert!(!named.iter().any(|(row, _)| *row == 2), "the good row is not named: {named:?}");
        let reason = |row: usize, column: &str| {
            rejection
                .problems
                .iter()
                .find(|p| p.row == row && p.column.as_deref() == Some(column))
                .map(|p| p.reason.clone())
                .unwrap_or_default()
        };
        assert!(reason(3, "output").contains("100 in 2026-01 but 90 in 2026-02"), "{}", reason(3, "output"));
        assert!(reason(9, "output").contains("300 in 2026-03 but 250 in 2026-04"), "{}", reason(9, "output"));
        assert!(reason(5, "credit_code").contains("not in the enterprise registry"), "{}", reason(5, "credit_code"));
        assert!(reason(8, "period").contains("has not begun"), "{}", reason(8, "period"));
        // Row 4 is a duplicate of row 3's enterprise-month.
        assert!(rejection.problems.iter().any(|p| p.row == 4 && p.reason.contains("duplicate of row 3")));

        assert_eq!(s.micro_version().await.expect("version"), version, "nothing was written");
        assert_eq!(s.microdata().await.expect("microdata").rows(), 1);
        assert_eq!(fresh_reading(s).await.len(), 1);
        let imports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM imports WHERE file_name = 'bad.csv'")
            .fetch_one(&s.pool)
            .await
            .expect("imports");
        assert_eq!(imports, 0);
    }
}

#[tokio::test]
async fn a_month_before_the_enterprise_entered_the_registry_is_kept_with_a_warning() {
    for f in fixtures("stats-entry").await {
        let s = &f.store;
        registry(s).await;
        let office = s.actor("office").await.expect("office");
        // Enterprise 2 entered the above-scale set in 2026: its 2025 month is the base of its
        // growth, not part of 2025's totals.
        let rows = [row(2, 2, month(2025, 10), 50), row(3, 2, month(2026, 10), 80)];
        let report = s.import_microdata(&office, "m.csv", "h", &rows).await.expect("import with a warning");
        assert_eq!(report.created, 2, "the row is kept");
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        let warning = &report.warnings[0];
        assert_eq!((warning.row, warning.column.as_deref()), (2, Some("period")));
        assert!(warning.reason.contains("before it entered the above-scale set (2026)"), "{}", warning.reason);
        let dataset = s.stats_dataset(None, Period::month(2026, 10)).await.expect("dataset");
        let last_year = dataset.cube(Period::month(2025, 10)).cell(0, 0, Measure::Output);
        assert_eq!((last_year.ytd, last_year.enterprises), (0.0, 0), "not counted in 2025");
        let this_year = dataset.cube(Period::month(2026, 10)).cell(0, 0, Measure::Output);
        assert_eq!((this_year.ytd_prev, this_year.yoy), (Some(50.0), Some(80.0 / 50.0 - 1.0)), "同口径 base");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_imports_take_turns_and_lose_nothing() {
    for f in fixtures("stats-concurrent").await {
        let s = f.store.clone();
        registry(&s).await;
        let office = s.actor("office").await.expect("office");
        // Another process on the same database, writing at the same time.
        let other = Store::open(s.location()).await.expect("a second process");
        let mut tasks = Vec::new();
        for writer in 0..12usize {
            let store = if writer % 2 == 0 { s.clone() } else { other.clone() };
            let office = office.clone();
            tasks.push(tokio::spawn(async move {
                // Each writer imports its own month of enterprise 1 (growing month by month),
                // and every writer the same 2026-06 of enterprise 2 with a value of its own.
                let m = writer as u8 + 1;
                let rows = [row(2, 1, month(2025, m), 100 * i64::from(m)), row(3, 2, month(2026, 6), writer as i64)];
                store.import_microdata(&office, &format!("w{writer}.csv"), "h", &rows).await
            }));
        }
        for task in tasks {
            let report = task.await.expect("no panic").expect("every import succeeds");
            assert_eq!(report.rows, 2);
        }
        let history = s.micro_history(&code(2), month(2026, 6)).await.expect("history");
        let numbers: Vec<i64> = history.iter().map(|r| r.revision).collect();
        assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "no gap, no duplicate");
        assert_eq!(numbers.len(), 12, "each writer's value is a revision");
        let last = history.last().expect("a revision").values;
        for store in [&s, &other] {
            let held = store.microdata().await.expect("microdata");
            assert_eq!(held.get(&code(2), month(2026, 6)), Some(&last), "the newest revision is current");
            assert_eq!(all_rows(&held), fresh_reading(store).await, "memory and database agree");
        }
        assert_eq!(s.microdata().await.expect("microdata").rows(), 13, "twelve months and one");
        other.close().await;
        assert!(s.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn a_catalog_label_names_one_catalog() {
    for f in fixtures("stats-catalog").await {
        let s = &f.store;
        let admin = s.actor("admin").await.expect("admin");
        let builtin = plan361_core::registry::catalog::BUILTIN;
        let label = s.catalog_versions().await.expect("versions")[0].label.clone();
        assert_eq!(s.load_catalog(&admin, builtin, "again").await.expect("the same catalog"), label);
        assert_eq!(s.catalog_versions().await.expect("versions").len(), 1, "loading it again adds nothing");

        let changed = builtin.replacen("First draft", "Second draft", 1);
        assert_ne!(changed, builtin);
        let refused = s.load_catalog(&admin, &changed, "同一版本号").await;
        assert!(
            matches!(&refused, Err(StoreError::Validation { field: "version", reason }) if reason.contains(&label)),
            "{refused:?}"
        );
        let effective = s
            .catalog_at(plan361_core::calendar::Date::new(2026, 1, 1).expect("a day of the calendar"))
            .await
            .expect("v");
        let relabelled = changed.replacen(&format!("version = \"{label}\""), "version = \"2027\"", 1).replacen(
            &format!("effective = \"{}\"", effective.effective),
            "effective = \"2027-01-01\"",
            1,
        );
        assert!(
            relabelled.contains("version = \"2027\"") && relabelled.contains("2027-01-01"),
            "the catalog states both"
        );
        assert_eq!(s.load_catalog(&admin, &relabelled, "2027年调整").await.expect("a new version"), "2027");
        let labels: Vec<String> = s.catalog_versions().await.expect("versions").into_iter().map(|v| v.label).collect();
        assert_eq!(labels, [label.clone(), "2027".to_string()]);
        let at_2026 = s.stats_dataset(None, Period::month(2026, 10)).await.expect("2026");
        let at_2027 = s.stats_dataset(None, Period::month(2027, 1)).await.expect("2027");
        assert_eq!(
            (at_2026.members.catalog_version.as_str(), at_2027.members.catalog_version.as_str()),
            (label.as_str(), "2027")
        );
        let asked = s.stats_dataset(Some(&label), Period::month(2027, 1)).await.expect("by label");
        assert_eq!(asked.members.catalog_version, label, "any month under any version");
        let unknown = s.stats_dataset(Some("1999"), Period::month(2027, 1)).await;
        assert!(matches!(&unknown, Err(StoreError::NotFound(m)) if m.contains(&label)), "{unknown:?}");
    }
}
