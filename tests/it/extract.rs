//! `plan361 extract`: a draft plan file from a policy document.

use serde_json::Value;

use crate::{Scratch, plan361, stderr, stdout};

const SEED: &str = "plans/ningbo-361-2025.txt";

#[test]
fn the_draft_of_the_seed_plan_passes_plan_check() {
    let scratch = Scratch::new("extract");
    let path = scratch.0.join("draft.toml").display().to_string();
    let output = plan361(&["extract", SEED, "-o", &path]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "the draft goes to the file");
    assert!(stderr(&output).contains("个目标"), "{}", stderr(&output));
    let check = plan361(&["plan", "check", &path]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("OK — 7 个工程, 24 项任务"), "{}", stdout(&check));

    let draft = std::fs::read_to_string(&path).expect("draft");
    assert!(draft.contains("# 待核:"), "review markers");
    assert!(draft.contains("values = { 2027 = 2.7, 2030 = 3.3 }"), "{draft}");
    assert!(draft.contains("units = [\"市发改委\", \"市经信局\", \"市商务局\"]"), "lead unit first");

    // Without -o the draft is printed, and it is the same file.
    let printed = plan361(&["extract", SEED]);
    assert!(printed.status.success());
    assert_eq!(stdout(&printed), draft);
}

#[test]
fn json_lists_every_target_with_the_documented_keys() {
    let output = plan361(&["extract", SEED, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("a JSON array");
    assert!(rows.len() >= 50, "{} targets", rows.len());
    let keys = ["indicator", "year", "value", "value_max", "unit", "comparator", "kind", "source_text"];
    for row in &rows {
        let object = row.as_object().expect("an object");
        assert_eq!(object.len(), keys.len(), "{row}");
        for key in keys {
            assert!(object.contains_key(key), "{key} missing in {row}");
        }
    }
    let headline: Vec<&Value> = rows.iter().filter(|r| r["indicator"] == "规上工业产值").collect();
    assert_eq!(headline.len(), 2);
    assert_eq!(headline[0]["year"], 2027);
    assert_eq!(headline[0]["value"], 2.7);
    assert_eq!(headline[0]["unit"], "万亿元");
    assert_eq!(headline[0]["comparator"], "达到");
    assert_eq!(headline[0]["kind"], "level");
    assert_eq!(headline[0]["source_text"], "规上工业产值达到2.7万亿元");
    let rate = rows.iter().find(|r| r["indicator"] == "政务服务一网通办率").expect("7.3.2");
    assert_eq!((rate["comparator"].as_str(), rate["kind"].as_str()), (Some("保持"), Some("threshold")));
    let qualitative = rows.iter().find(|r| r["kind"] == "direction").expect("双提升");
    assert!(qualitative["value"].is_null() && qualitative["unit"].is_null());
}

#[test]
fn reads_docx_and_gb18030() {
    let output = plan361(&["extract", "tests/it/fixtures/policy.docx", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert!(rows.iter().any(|r| r["indicator"] == "省级智能工厂" && r["value"] == 50.0 && r["year"] == 2027));
    assert!(rows.iter().any(|r| r["kind"] == "growth" && r["value"] == 8.0));

    let scratch = Scratch::new("extract-gb");
    // "到2030年,累计认定总部企业200家。" in GB18030.
    let gb: [u8; 32] = [
        181, 189, 50, 48, 51, 48, 196, 234, 44, 192, 219, 188, 198, 200, 207, 182, 168, 215, 220, 178, 191, 198, 243,
        210, 181, 50, 48, 48, 188, 210, 161, 163,
    ];
    let path = scratch.0.join("gb.txt");
    std::fs::write(&path, gb).expect("write");
    let output = plan361(&["extract", &path.display().to_string(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(rows[0]["indicator"], "总部企业");
    assert_eq!(rows[0]["kind"], "cumulative");
}

#[test]
fn unreadable_input_is_an_error_not_a_panic() {
    let scratch = Scratch::new("extract-bad");
    let missing = plan361(&["extract", "no-such-document.txt"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("cannot read no-such-document.txt"), "{}", stderr(&missing));

    let empty = scratch.write("empty.txt", " \n\u{3000}\n");
    let output = plan361(&["extract", &empty]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("empty"), "{}", stderr(&output));

    let broken = scratch.0.join("broken.docx");
    std::fs::write(&broken, b"PK\x03\x04 this is not a zip archive").expect("write");
    let output = plan361(&["extract", &broken.display().to_string()]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains(".docx"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"));

    let odd = scratch.write("odd.txt", "到2030年,\"#]]达到%以上\\\n(一)\n1.");
    let output = plan361(&["extract", &odd]);
    assert!(output.status.success(), "{}", stderr(&output));
}
