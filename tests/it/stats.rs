//! Cluster statistics through the real binary: microdata imported all-or-nothing and
//! idempotently, revisions kept, and the same cube from the database and from files.

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

fn cube(args: &[&str]) -> Vec<Value> {
    let out = plan361(args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

#[test]
fn microdata_import_once_with_revisions_and_the_cube_is_the_same_from_files() {
    let scratch = Scratch::new("stats");
    let db = scratch.0.join("plan361.db").display().to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    let list = enterprises(&scratch);
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
    let keys = [
        "cluster",
        "org_unit",
        "period",
        "measure",
        "month",
        "ytd",
        "ytd_prev",
        "yoy",
        "enterprises",
        "share",
        "contribution_pp",
    ];
    for key in keys {
        assert!(rows[0].get(key).is_some(), "{key} in {}", rows[0]);
    }
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
    let db = scratch.0.join("plan361.db").display().to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    let list = enterprises(&scratch);
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
