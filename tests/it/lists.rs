//! The four lists from the command line, and the targets counted from them.

use serde_json::Value;

use crate::{Scratch, plan361, stderr, stdout};

const HEADER: &str =
    "credit_code,name,district,industry,above_scale,clusters,cluster_reason,honour,level,granted,revoked,note";

fn database(scratch: &Scratch) -> String {
    let db = scratch.0.join("lists.db").display().to_string();
    let init = plan361(&["init", "--db", &db, "--admin-password", "secret-password"]);
    assert!(init.status.success(), "{}", stderr(&init));
    db
}

#[test]
fn counted_targets_follow_the_list_and_cannot_be_typed_in() {
    let scratch = Scratch::new("lists-count");
    let db = database(&scratch);
    // Two national champions in 北仑区 (granted 2023 and 2025), one withdrawn in 2026.
    let file = scratch.write(
        "enterprises.csv",
        &format!(
            "{HEADER}\n\
             91330206MA0000001B,甲公司(示例),北仑区,3612,,,,制造业单项冠军,国家级,2023-11-01,,\n\
             91330206MA0000002,乙公司(示例),北仑区,3670,,,,制造业单项冠军,国家级,2025-03-01,2026-02-01,\n"
        ),
    );
    let rejected = plan361(&["list", "import", "enterprises", &file, "--db", &db, "--reason", "名单"]);
    assert!(!rejected.status.success());
    assert!(
        stderr(&rejected).contains(":3: column credit_code: 统一社会信用代码应为18位,实为17位"),
        "{}",
        stderr(&rejected)
    );
    let fixed = std::fs::read_to_string(&file).expect("file").replace("MA0000002,", "MA00000020,");
    std::fs::write(&file, &fixed).expect("write");
    let wrong_check = plan361(&["list", "import", "enterprises", &file, "--db", &db, "--reason", "名单"]);
    assert!(stderr(&wrong_check).contains("末位应为"), "the check character it should have: {}", stderr(&wrong_check));
    let expected = stderr(&wrong_check)
        .split("末位应为“")
        .nth(1)
        .and_then(|rest| rest.chars().next())
        .expect("the expected check character");
    std::fs::write(&file, fixed.replace("MA00000020,", &format!("MA0000002{expected},"))).expect("write");
    let imported = plan361(&["list", "import", "enterprises", &file, "--db", &db, "--reason", "2025年度名单"]);
    assert!(imported.status.success(), "{}", stderr(&imported));

    let at = |period: &str| -> Vec<Value> {
        let out = plan361(&["eval", "--db", &db, "--at", period, "--json"]);
        serde_json::from_str(&stdout(&out)).expect("JSON")
    };
    let value = |rows: &[Value], unit: &str| {
        rows.iter().find(|r| r["target_id"] == "3.3.1" && r["org_unit"] == unit).map(|r| r["value"].clone())
    };
    assert_eq!(value(&at("2025-12"), "宁波市"), Some(Value::from(2.0)));
    assert_eq!(value(&at("2025-12"), "北仑区"), Some(Value::from(2.0)));
    assert_eq!(value(&at("2026-03"), "宁波市"), Some(Value::from(1.0)), "withdrawn in February 2026");

    let typed = scratch.write("typed.csv", "target_id,org_unit,period,value\n3.3.1,宁波市,2026-03,117\n");
    let refused = plan361(&["import", &typed, "--db", &db]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("counted from the enterprises list"), "{}", stderr(&refused));
}

#[test]
fn a_list_exports_what_it_imports_and_keeps_its_history() {
    let scratch = Scratch::new("lists-roundtrip");
    let db = database(&scratch);
    let platforms = scratch.write(
        "platforms.csv",
        "code,name,level,kind,host,cluster,district,recognized,revoked\n\
         PT1,甬江实验室(示例),国家级,全国重点实验室,,new-materials,鄞州区,2023-06-01,\n",
    );
    assert!(plan361(&["list", "import", "platforms", &platforms, "--db", &db, "--reason", "认定"]).status.success());
    for extension in ["csv", "xlsx"] {
        let out = scratch.0.join(format!("out.{extension}")).display().to_string();
        assert!(plan361(&["list", "export", "platforms", "-o", &out, "--db", &db]).status.success());
        let again = plan361(&["list", "import", "platforms", &out, "--db", &db, "--reason", "复核"]);
        assert!(stdout(&again).contains("未变 1"), "{}", stdout(&again));
    }
    let changed = std::fs::read_to_string(&platforms).expect("file").replace("2023-06-01,", "2023-06-01,2026-01-01");
    std::fs::write(&platforms, changed).expect("write");
    assert!(plan361(&["list", "import", "platforms", &platforms, "--db", &db, "--reason", "撤销"]).status.success());
    let history = stdout(&plan361(&["list", "history", "platforms", "PT1", "--db", &db]));
    assert!(
        history.contains("v1") && history.contains("认定") && history.contains("v2") && history.contains("撤销"),
        "{history}"
    );
    assert!(plan361(&["audit", "verify", "--db", &db]).status.success());
}
