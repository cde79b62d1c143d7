//! The plan and evaluation commands.

use serde_json::Value;

use crate::{EVALUATION_KEYS, Scratch, plan361, stderr, stdout};

const SAMPLE: &str = "examples/observations-synthetic.csv";

#[test]
fn plan_check_accepts_the_shipped_plan() {
    let output = plan361(&["plan", "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("plans/ningbo-361-2025.toml: OK"));
    let explicit = plan361(&["plan", "check", "plans/ningbo-361-2025.toml"]);
    assert!(explicit.status.success());
}

#[test]
fn plan_check_lists_every_problem_with_file_and_line() {
    let scratch = Scratch::new("check");
    let plan = std::fs::read_to_string("plans/ningbo-361-2025.toml").expect("plan");
    let broken = plan.replacen("kind = \"cumulative\"", "kind = \"cumulativ\"", 1).replacen(
        "units = [\"市科技局\", \"市经信局\", \"市发改委\"]",
        "units = [\"市农业局\", \"市经信局\", \"市发改委\"]",
        1,
    );
    let path = scratch.write("broken.toml", &broken);
    let output = plan361(&["plan", "check", &path]);
    assert!(!output.status.success());
    let errors = stderr(&output);
    let kind_line = broken.lines().position(|l| l.contains("cumulativ\"")).expect("line") + 1;
    assert!(
        errors.contains(&format!("{path}:{kind_line}: target 1.1.1: kind: unknown kind \"cumulativ\"")),
        "{errors}"
    );
    assert!(errors.contains("\"市农业局\" is not listed in `units`"), "{errors}");
    assert!(errors.contains("2 problem(s)"), "{errors}");
}

#[test]
fn targets_json_has_one_object_per_target_year() {
    let output = plan361(&["targets", "--json"]);
    assert!(output.status.success());
    let rows: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("JSON array");
    let keys = [
        "id",
        "project",
        "task",
        "indicator",
        "unit",
        "kind",
        "direction",
        "comparator",
        "year",
        "value",
        "baseline",
        "lead_unit",
        "co_units",
        "source_text",
        "frequency",
        "basis",
        "basis_start",
        "tolerance",
    ];
    for row in &rows {
        for key in keys {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
    }
    let headline: Vec<&Value> = rows.iter().filter(|r| r["id"] == "0.1").collect();
    assert_eq!(headline.len(), 2, "2027 and 2030");
    assert_eq!(headline[0]["project"], 0);
    assert_eq!(headline[0]["task"], "0");
    assert_eq!((headline[0]["year"].as_i64(), headline[0]["value"].as_f64()), (Some(2027), Some(2.7)));
    assert_eq!((headline[1]["year"].as_i64(), headline[1]["value"].as_f64()), (Some(2030), Some(3.3)));

    let champions = rows.iter().find(|r| r["id"] == "3.3.1").expect("单项冠军");
    assert_eq!(champions["task"], "3.3");
    assert_eq!(champions["project"], 3);
    assert_eq!(champions["value"], 160.0);
    assert_eq!(champions["baseline"], serde_json::json!({"value": 104.0, "year": 2024}));
    assert_eq!(champions["lead_unit"], "市经信局");
    assert_eq!(champions["co_units"], serde_json::json!(["市科技局"]));

    let qualitative = rows.iter().find(|r| r["kind"] == "direction").expect("双提升");
    assert!(qualitative["value"].is_null());
    let undated = rows.iter().find(|r| r["id"] == "1.4.1").expect("每年遴选");
    assert!(undated["year"].is_null());
    assert_eq!((undated["frequency"].as_str(), undated["basis"].as_str()), (Some("month"), Some("ytd")));
    assert_eq!(undated["tolerance"], 0.05, "左右 meets at 95%");
    let since = rows.iter().find(|r| r["id"] == "7.2.1").expect("累计数据交易额");
    assert_eq!((since["basis"].as_str(), since["basis_start"].as_str()), (Some("since_start"), Some("2025-01")));
    assert!(champions["basis_start"].is_null());
}

#[test]
fn plan_show_prints_the_tree() {
    let output = plan361(&["plan", "show"]);
    assert!(output.status.success());
    let tree = stdout(&output);
    assert!(tree.contains("├─ 3 企业主体培育提能工程"), "{tree}");
    assert!(tree.contains("3.3.1 国家级制造业单项冠军企业:2030年 160家 [累计] 牵头 市经信局"), "{tree}");
}

#[test]
fn eval_json_gives_every_measure_per_target_and_unit() {
    let output = plan361(&["eval", "--data", SAMPLE, "--at", "2026-10", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("JSON array");
    for row in &rows {
        for key in EVALUATION_KEYS {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
    }
    let plan_targets = plan361(&["targets", "--json"]);
    let targets: Vec<Value> = serde_json::from_str(&stdout(&plan_targets)).expect("targets");
    let mut ids: Vec<&str> = targets.iter().filter_map(|t| t["id"].as_str()).collect();
    ids.dedup();
    let city_rows = rows.iter().filter(|r| r["org_unit"] == "宁波市").count();
    assert_eq!(city_rows, ids.len(), "the city gets a row for every target");

    let champions = rows.iter().find(|r| r["target_id"] == "3.3.1" && r["org_unit"] == "宁波市").expect("row");
    // 117 of 160 at 2026-10 from 104 at the end of 2024: 22 of 72 months gone; growth of
    // (117/104)^(12/22) − 1 = 6.64% a year projects 152.9 by 2030 (r = 0.873).
    assert_eq!(champions["value"], 117.0);
    assert_eq!(champions["data_period"], "2026-10");
    assert_eq!(champions["stale"], false);
    assert_eq!(champions["baseline"], serde_json::json!({"value": 104.0, "period": "2024-12", "source": "counted"}));
    let field = |key: &str| champions[key].as_f64().unwrap_or_default();
    assert!((field("completion") - 117.0 / 160.0).abs() < 1e-9);
    assert!((field("progress") - 13.0 / 56.0).abs() < 1e-9);
    assert!((field("expected") - 22.0 / 72.0).abs() < 1e-9);
    assert!((field("actual_cagr") - 0.0663539).abs() < 1e-6);
    assert!((field("projection_ratio") - 0.8734287).abs() < 1e-6);
    assert_eq!(champions["status"], "needs_acceleration");
    assert_eq!(champions["status_label"], "关注");
    assert!(champions["explanation"].as_str().unwrap_or_default().contains("目标进度23.2%,落后序时进度7.3个百分点"));
    assert_eq!(champions["year_results"], serde_json::json!([]));

    let statuses: std::collections::HashSet<&str> = rows.iter().filter_map(|r| r["status"].as_str()).collect();
    for status in ["achieved", "on_track", "needs_acceleration", "off_track", "moving_away", "no_data"] {
        assert!(statuses.contains(status), "the sample shows {status}");
    }
    let districts = rows.iter().filter(|r| r["target_id"] == "3.3.1").count();
    assert_eq!(districts, 11, "the city and its ten districts");
}

#[test]
fn eval_prints_a_chinese_table() {
    let output = plan361(&["eval", "--data", SAMPLE, "--at", "2026-10"]);
    assert!(output.status.success());
    let table = stdout(&output);
    assert!(table.contains("评价期 2026年10月"));
    for column in ["最新值", "数据期", "目标进度", "序时进度", "差距(百分点)"] {
        assert!(table.contains(column), "{column}: {table}");
    }
    assert!(!table.contains("完成率"), "完成率 is not set against 序时进度");
    // 北仑区: 22 of the city's 104 at the baseline → 160 × 22/104 = 33.8 → 34家.
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("3.3.1") && l.contains("北仑区") && l.contains("26家") && l.contains("2030年 34家")),
        "{table}"
    );
}

#[test]
fn eval_rejects_bad_rows_with_line_numbers() {
    let scratch = Scratch::new("eval");
    let path = scratch.write(
        "bad.csv",
        "target_id,org_unit,period,value\n3.3.1,宁波市,2026-05,117\n3.3.1,宁波市,2026-13,1\n9.9,宁波市,2026,1\n3.3.1,北仑区,2026,十\n",
    );
    let output = plan361(&["eval", "--data", &path, "--at", "2026-10", "--json"]);
    assert!(!output.status.success());
    assert!(stdout(&output).is_empty(), "nothing is evaluated from a bad file");
    let errors = stderr(&output);
    assert!(errors.contains(&format!("{path}:3: column period")), "{errors}");
    assert!(errors.contains(&format!("{path}:4: column target_id: unknown target \"9.9\"")), "{errors}");
    assert!(errors.contains(&format!("{path}:5: column value")), "{errors}");
}

#[test]
fn bad_arguments_are_explained() {
    let output = plan361(&["eval", "--data", SAMPLE, "--at", "2026-13"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("invalid period \"2026-13\""), "{}", stderr(&output));
    let missing = plan361(&["eval", "--data", "no-such-file.csv", "--at", "2026"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("cannot read no-such-file.csv"));
    for command in [&["--help"][..], &["plan", "check", "--help"], &["eval", "--help"], &["targets", "--help"]] {
        assert!(plan361(command).status.success(), "{command:?} --help");
    }
}
