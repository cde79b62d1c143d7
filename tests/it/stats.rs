//! Cluster statistics through the real binary, on SQLite and (with `PLAN361_PG_URL`) on
//! PostgreSQL: microdata imported all-or-nothing and idempotently, revisions kept, the same cube
//! from the database and from files, with the JSON keys of the interface.

use serde_json::Value;

use crate::{Scratch, plan361, stderr, stdout};

const HEADER: &str = "credit_code,period,output,revenue,profit,export_delivery,rd_expense,electricity,employees";
const A: &str = "91330206MA0000001X";
const B: &str = "91330212MA00000023";

fn enterprises(scratch: &Scratch) -> String {
    let a = plan361_core::registry::credit_code::complete(&A[..17]).expect("code");
    let b = plan361_core::registry::credit_code::complete(&B[..17]).expect("code");
    scratch.write(
        "enterprises.csv",
        &format!(
            "credit_code,name,district,industry,above_scale\n{a},甲汽车(示例),北仑区,3612,2025;2026\n{b},乙石化(示例),鄞州区,2511,2026\n"
        ),
    )
}

fn codes() -> (String, String) {
    let a = plan361_core::registry::credit_code::complete(&A[..17]).expect("code");
    let b = plan361_core::registry::credit_code::complete(&B[..17]).expect("code");
    (a, b)
}

/// The keys of every object of `stats cube --json` and `/api/stats/cube`: the issue's, and
/// `month_span` marking a 当月 that is 1–2月.
pub const CUBE_KEYS: [&str; 12] = [
    "cluster",
    "org_unit",
    "period",
    "measure",
    "month",
    "month_span",
    "ytd",
    "ytd_prev",
    "yoy",
    "enterprises",
    "share",
    "contribution_pp",
];

/// Every object has exactly `keys`.
pub fn assert_keys(objects: &[Value], keys: &[&str]) {
    let mut expected: Vec<&str> = keys.to_vec();
    expected.sort_unstable();
    for object in objects {
        let mut found: Vec<&str> = object.as_object().expect("an object").keys().map(String::as_str).collect();
        found.sort_unstable();
        assert_eq!(found, expected, "{object}");
    }
}

/// The databases a test runs on: a SQLite file in the scratch folder, and a fresh PostgreSQL
/// database when `PLAN361_PG_URL` names a server (dropped by the next run of the tests).
pub fn databases(scratch: &Scratch) -> Vec<String> {
    let mut found = vec![scratch.0.join("plan361.db").display().to_string()];
    if let Ok(admin_url) = std::env::var("PLAN361_PG_URL") {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let pid = std::process::id();
        let database = format!("plan361_stats_{pid}_{n}");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&admin_url).await.expect("PLAN361_PG_URL connects");
            let stale: Vec<String> = sqlx::query_scalar(
                "SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'plan361_stats_%'",
            )
            .fetch_all(&admin)
            .await
            .expect("list databases");
            for name in stale.iter().filter(|d| !d.starts_with(&format!("plan361_stats_{pid}_"))) {
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop)).execute(&admin).await;
            }
            let create = format!("CREATE DATABASE {database}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&admin).await.expect("create");
            admin.close().await;
        });
        let (server, _) = admin_url.rsplit_once('/').expect("PLAN361_PG_URL ends with /DATABASE");
        found.push(format!("{server}/{database}"));
    }
    found
}

fn cube(args: &[&str]) -> Vec<Value> {
    let out = plan361(args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

#[test]
fn microdata_import_once_with_revisions_and_the_cube_is_the_same_from_files() {
    let scratch = Scratch::new("stats");
    for db in databases(&scratch) {
        eprintln!("on {db}");
        import_and_cube(&scratch, &db);
    }
}

fn import_and_cube(scratch: &Scratch, db: &str) {
    let db = db.to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    let list = enterprises(scratch);
    let imported = plan361(&["list", "import", "enterprises", &list, "--db", &db, "--reason", "测试"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let (a, b) = codes();
    let micro = scratch.write(
        "micro.csv",
        &format!(
            "{HEADER}\n{a},2025-01,100,100,5,10,1,2,50\n{a},2025-02,180,180,9,20,2,4,50\n{a},2026-01,120,120,6,10,1,2,52\n\
             {a},2026-02,230,230,11,25,2,5,52\n{b},2025-02,50,50,1,0,1,1,20\n{b},2026-02,70,70,2,0,1,1,21\n"
        ),
    );
    let first = plan361(&["stats", "import", &micro, "--db", &db]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("新增 6"), "{}", stdout(&first));
    assert!(
        stderr(&first).contains("not above scale") || stderr(&first).contains("before it entered"),
        "{}",
        stderr(&first)
    );
    let again = plan361(&["stats", "import", &micro, "--db", &db]);
    assert!(stdout(&again).contains("新增 0,修改 0,未变 6"), "{}", stdout(&again));

    let args = ["stats", "cube", "--at", "2026-02", "--by", "cluster,district", "--json", "--db", &db];
    let rows = cube(&args);
    let distinct = |key: &str| rows.iter().map(|r| r[key].to_string()).collect::<std::collections::BTreeSet<_>>().len();
    assert_eq!(distinct("org_unit"), 15, "the city, 10 districts and 4 zones");
    assert_eq!(rows.len(), distinct("cluster") * 15, "every cluster (and the total) × every org unit");
    assert_keys(&rows, &CUBE_KEYS);
    let city = rows.iter().find(|r| r["cluster"] == "all" && r["org_unit"] == "宁波市").expect("city");
    assert_eq!(city["ytd"], 300.0);
    assert_eq!(city["enterprises"], 2);
    assert_eq!(
        (city["month"].as_f64(), city["month_span"].as_u64()),
        (Some(300.0), Some(2)),
        "1–2月: B has no January"
    );
    assert_eq!(city["ytd_prev"], 230.0);
    let from_files = cube(&[
        "stats",
        "cube",
        "--at",
        "2026-02",
        "--by",
        "cluster,district",
        "--json",
        "--micro",
        &micro,
        "--enterprises",
        &list,
    ]);
    assert_eq!(rows, from_files, "the database and the files give the same cube");
    let members = plan361(&["stats", "members", "--at", "2026-02", "--json", "--db", &db]);
    let members: Vec<Value> = serde_json::from_str(&stdout(&members)).expect("JSON");
    assert_keys(&members, &["credit_code", "cluster"]);
    assert!(members.iter().all(|m| m["credit_code"] == a.as_str() || m["credit_code"] == b.as_str()));
    assert!(members.contains(&serde_json::json!({"credit_code": a, "cluster": "nev-equipment"})), "{members:?}");

    // A revision changes one value; its history keeps both.
    let revised = scratch.write("revised.csv", &format!("{HEADER}\n{a},2026-02,240,230,11,25,2,5,52\n"));
    let third = plan361(&["stats", "import", &revised, "--db", &db]);
    assert!(stdout(&third).contains("修改 1"), "{}", stdout(&third));
    let history = stdout(&plan361(&["stats", "history", &a, "2026-02", "--db", &db]));
    assert!(history.contains("v1  230") && history.contains("v2  240"), "{history}");
    let verify = plan361(&["audit", "verify", "--db", &db]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

#[test]
fn a_bad_file_names_every_bad_row_and_imports_nothing() {
    let scratch = Scratch::new("stats-bad");
    for db in databases(&scratch) {
        eprintln!("on {db}");
        bad_file(&scratch, &db);
    }
}

fn bad_file(scratch: &Scratch, db: &str) {
    let db = db.to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    let list = enterprises(scratch);
    assert!(plan361(&["list", "import", "enterprises", &list, "--db", &db, "--reason", "测试"]).status.success());
    let (a, _) = codes();
    let bad = scratch.write(
        "bad.csv",
        &format!(
            "{HEADER}\n{a},2026-01,100,100,5,10,1,2,50\n{a},2026-02,90,100,5,10,1,2,50\n91330200MA2CL7RN9T,2026-01,1,1,1,1,1,1,1\n{a},2026-03,x,1,1,1,1,1,1\n"
        ),
    );
    let out = plan361(&["stats", "import", &bad, "--db", &db]);
    assert!(!out.status.success());
    let errors = stderr(&out);
    assert!(errors.contains(":5: column output"), "{errors}");
    let out = plan361(&["stats", "import", &scratch.write("bad2.csv", &bad_rows(&a)), "--db", &db]);
    let errors = stderr(&out);
    assert!(errors.contains("row 3, column output: 工业总产值 1–N月 falls"), "{errors}");
    assert!(errors.contains("row 4, column credit_code"), "{errors}");
    assert!(errors.contains("nothing was imported"), "{errors}");
    let rows = cube(&["stats", "cube", "--at", "2026-01", "--json", "--db", &db]);
    assert_eq!(rows[0]["enterprises"], 0, "nothing was written");
}

fn bad_rows(a: &str) -> String {
    format!(
        "{HEADER}\n{a},2026-01,100,100,5,10,1,2,50\n{a},2026-02,90,100,5,10,1,2,50\n91330200MA2CL7RN9T,2026-01,1,1,1,1,1,1,1\n"
    )
}
