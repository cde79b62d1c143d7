//! The database commands: init, users, import and export, the audit chain, backup.

use std::time::{SystemTime, UNIX_EPOCH};

use plan361_core::Period;
use plan361_core::calendar::Date;
use serde_json::Value;

use crate::{Scratch, plan361, stderr, stdout};

const PASSWORD: &str = "secret-password";

/// The month a reporter can report for right now: it has begun and its window is open.
fn this_month() -> Period {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    Date::in_china(now).month_period()
}

/// A fresh database with the users of the examples, and its path.
fn database(scratch: &Scratch) -> String {
    let db = scratch.0.join("plan361.db").display().to_string();
    let init = plan361(&["init", "--db", &db, "--admin-password", PASSWORD]);
    assert!(init.status.success(), "{}", stderr(&init));
    for (user, unit, role) in [("kejiju", "市科技局", "reporter"), ("reviewer", "市经信局", "reviewer")] {
        let add =
            plan361(&["user", "add", user, "--db", &db, "--org-unit", unit, "--role", role, "--password", PASSWORD]);
        assert!(add.status.success(), "{}", stderr(&add));
    }
    db
}

#[test]
fn init_creates_a_database_and_prints_a_generated_password_once() {
    let scratch = Scratch::new("init");
    let db = scratch.0.join("x.db").display().to_string();
    let init = plan361(&["init", "--db", &db]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(stdout(&init).contains("admin password (shown once): "), "{}", stdout(&init));
    let again = plan361(&["init", "--db", &db]);
    assert!(!again.status.success(), "a database is initialised once");
    assert!(stderr(&again).contains("already initialised"));
    let bad_role = plan361(&["user", "add", "x", "--db", &db, "--org-unit", "市科技局", "--role", "boss"]);
    assert!(stderr(&bad_role).contains("unknown role \"boss\""), "{}", stderr(&bad_role));
    let bad_unit = plan361(&["user", "add", "x", "--db", &db, "--org-unit", "火星局", "--role", "viewer"]);
    assert!(stderr(&bad_unit).contains("unknown org unit \"火星局\""), "{}", stderr(&bad_unit));
}

#[test]
fn users_are_listed_and_the_audit_log_records_who_added_them() {
    let scratch = Scratch::new("users");
    let db = database(&scratch);
    let list = stdout(&plan361(&["user", "list", "--db", &db]));
    assert!(list.lines().any(|l| l.starts_with("kejiju") && l.contains("市科技局") && l.contains("填报员")), "{list}");
    let not_admin =
        plan361(&["user", "add", "y", "--db", &db, "--as", "kejiju", "--org-unit", "市科技局", "--role", "viewer"]);
    assert!(!not_admin.status.success());
    assert!(stderr(&not_admin).contains("not permitted"), "{}", stderr(&not_admin));
    let log = stdout(&plan361(&["audit", "log", "--db", &db]));
    assert!(log.lines().any(|l| l.contains("admin") && l.contains("user.add") && l.contains("user#kejiju")), "{log}");
}

#[test]
fn a_csv_imports_once_and_a_second_import_changes_nothing() {
    let scratch = Scratch::new("import");
    let db = database(&scratch);
    let period = this_month().to_string();
    let csv = scratch.write(
        "values.csv",
        &format!(
            "target_id,org_unit,period,value,comment\n1.2.1,宁波市,{period},27,新增1个\n4.2.1,宁波市,{period},11,\n"
        ),
    );
    let first = plan361(&["import", &csv, "--db", &db, "--as", "kejiju"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("新增 2"), "{}", stdout(&first));
    let second = plan361(&["import", &csv, "--db", &db, "--as", "kejiju"]);
    assert!(stdout(&second).contains("nothing changed"), "{}", stdout(&second));

    let evaluated = plan361(&["eval", "--db", &db, "--at", &period, "--json", "--include-unapproved"]);
    let rows: Vec<Value> = serde_json::from_str(&stdout(&evaluated)).expect("JSON");
    let models = rows.iter().find(|r| r["target_id"] == "4.2.1").expect("row");
    assert_eq!(models["value"], 11.0);
    let approved_only = plan361(&["eval", "--db", &db, "--at", &period, "--json"]);
    let rows: Vec<Value> = serde_json::from_str(&stdout(&approved_only)).expect("JSON");
    let models = rows.iter().find(|r| r["target_id"] == "4.2.1").expect("row");
    assert_eq!(models["status"], "no_data", "submitted values wait for approval");
}

#[test]
fn a_gb18030_csv_from_chinese_excel_imports() {
    let scratch = Scratch::new("gb18030");
    let db = database(&scratch);
    let text = format!("target_id,org_unit,period,value,comment\n4.2.2,宁波市,{},19,情况说明\n", this_month());
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let path = scratch.0.join("gbk.csv");
    std::fs::write(&path, &bytes).expect("write");
    let import = plan361(&["import", &path.display().to_string(), "--db", &db, "--as", "kejiju"]);
    assert!(import.status.success(), "{}", stderr(&import));
    let export = scratch.0.join("out.csv");
    let exported =
        plan361(&["export", "--db", &db, "--period", &this_month().to_string(), "-o", &export.display().to_string()]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let written = std::fs::read(&export).expect("export");
    assert!(written.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    assert!(String::from_utf8_lossy(&written).contains("4.2.2,宁波市,"), "the comment survives the round trip");
    assert!(String::from_utf8_lossy(&written).contains("情况说明"));
}

#[test]
fn an_import_refuses_a_period_of_another_frequency() {
    let scratch = Scratch::new("frequency-import");
    let db = database(&scratch);
    let csv = scratch.write("quarter.csv", "target_id,org_unit,period,value\n7.4.1,宁波市,2026-09,0.7\n");
    let import = plan361(&["import", &csv, "--db", &db]);
    assert!(!import.status.success());
    let errors = stderr(&import);
    assert!(
        errors.contains(&format!("{csv}:2: column period: 目标 7.4.1 按季报送(1—N月累计),请按季填报,如 2026Q3")),
        "{errors}"
    );
}

#[test]
fn bad_rows_are_all_reported_and_nothing_is_written() {
    let scratch = Scratch::new("bad-import");
    let db = database(&scratch);
    let period = this_month();
    let csv = scratch.write(
        "bad.csv",
        &format!(
            "target_id,org_unit,period,value,comment\n1.2.1,宁波市,{period},7,\n6.1.2,宁波市,{period},150,\n4.2.1,宁波市,{},3,\n",
            period.next_month()
        ),
    );
    let import = plan361(&["import", &csv, "--db", &db, "--as", "kejiju"]);
    assert!(!import.status.success());
    let errors = stderr(&import);
    assert!(errors.contains(&format!("{csv}:3: column target_id: not permitted")), "{errors}");
    assert!(
        errors.contains(&format!("{csv}:4: column period: period {} has not begun", period.next_month())),
        "{errors}"
    );
    assert!(errors.contains("2 row(s) rejected; nothing was imported"), "{errors}");
    let export = scratch.0.join("out.csv");
    plan361(&["export", "--db", &db, "--period", &period.to_string(), "-o", &export.display().to_string()]);
    let lines = std::fs::read_to_string(&export).expect("export").lines().count();
    assert_eq!(lines, 1, "only the header: the valid row of a rejected file is not written either");
}

#[test]
fn the_reporting_form_lists_what_a_unit_reports_and_reads_back() {
    let scratch = Scratch::new("template");
    let db = database(&scratch);
    let form = scratch.0.join("form.xlsx").display().to_string();
    let period = this_month().to_string();
    let made =
        plan361(&["template", "--db", &db, "--as", "kejiju", "--unit", "市科技局", "--period", &period, "-o", &form]);
    assert!(made.status.success(), "{}", stderr(&made));
    let blank = plan361(&["import", &form, "--db", &db, "--as", "kejiju"]);
    assert!(blank.status.success(), "a blank form imports nothing: {}", stderr(&blank));
    let none = plan361(&["template", "--db", &db, "--unit", "宁波经济技术开发区", "--period", &period, "-o", &form]);
    assert!(!none.status.success());
    assert!(stderr(&none).contains("has no values to report"));
}

#[test]
fn an_export_imports_again_without_changes() {
    let scratch = Scratch::new("roundtrip");
    let db = database(&scratch);
    let period = this_month().to_string();
    let csv =
        scratch.write("v.csv", &format!("target_id,org_unit,period,value,comment\n1.2.1,宁波市,{period},7,说明\n"));
    // New databases separate duties: an approved import by its own importer is refused …
    let refused = plan361(&["import", &csv, "--db", &db, "--state", "approved"]);
    assert!(!refused.status.success() && stderr(&refused).contains("duties are separated"), "{}", stderr(&refused));
    // … until an administrator combines them (loading approved history).
    let combined = plan361(&["duties", "combine", "--db", &db]);
    assert!(combined.status.success() && stdout(&combined).contains("duties combined"), "{}", stderr(&combined));
    assert!(plan361(&["import", &csv, "--db", &db, "--state", "approved"]).status.success());
    for extension in ["csv", "xlsx"] {
        let out = scratch.0.join(format!("out.{extension}")).display().to_string();
        let exported = plan361(&["export", "--db", &db, "--period", &period, "-o", &out]);
        assert!(exported.status.success(), "{}", stderr(&exported));
        if extension == "csv" {
            let again = plan361(&["import", &out, "--db", &db, "--state", "approved"]);
            assert!(stdout(&again).contains("nothing changed"), "{}{}", stdout(&again), stderr(&again));
        }
    }
}

#[test]
fn a_tampered_database_fails_audit_verify_at_the_changed_entry() {
    let scratch = Scratch::new("tamper");
    let db = database(&scratch);
    let ok = plan361(&["audit", "verify", "--db", &db]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("intact: 5 entries"), "{}", stdout(&ok));
    // Edit the file behind the application's back: kejiju's role in the entry that added them.
    let mut bytes = std::fs::read(&db).expect("db");
    let needle = br#""role":"reporter""#;
    let at = bytes.windows(needle.len()).position(|w| w == needle).expect("the entry is in the file");
    bytes[at + 8..at + 16].copy_from_slice(b"reviewer");
    std::fs::write(&db, &bytes).expect("tamper");
    let broken = plan361(&["audit", "verify", "--db", &db]);
    assert!(!broken.status.success());
    assert!(stderr(&broken).contains("audit chain broken at entry 4"), "{}", stderr(&broken));
}

#[test]
fn backup_and_restore_round_trip() {
    let scratch = Scratch::new("backup");
    let db = database(&scratch);
    let backup = scratch.0.join("backup.db").display().to_string();
    assert!(plan361(&["backup", &backup, "--db", &db]).status.success());
    let add = plan361(&[
        "user",
        "add",
        "late",
        "--db",
        &db,
        "--org-unit",
        "市科技局",
        "--role",
        "viewer",
        "--password",
        PASSWORD,
    ]);
    assert!(add.status.success());
    let restored = plan361(&["restore", &backup, "--db", &db]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let users = stdout(&plan361(&["user", "list", "--db", &db]));
    assert!(users.contains("kejiju") && !users.contains("late"), "{users}");
    assert!(plan361(&["audit", "verify", "--db", &db]).status.success());
}

#[test]
fn a_changed_plan_becomes_a_new_version() {
    let scratch = Scratch::new("plan-load");
    let db = database(&scratch);
    let plan = std::fs::read_to_string("plans/ningbo-361-2025.toml").expect("plan");
    let changed = scratch.write("changed.toml", &plan.replace("values = { 2030 = 160 }", "values = { 2030 = 170 }"));
    let without_reason = plan361(&["plan", "load", &changed, "--db", &db]);
    assert!(!without_reason.status.success());
    assert!(stderr(&without_reason).contains("needs a reason"));
    let loaded =
        plan361(&["plan", "load", &changed, "--db", &db, "--reason", "单项冠军目标上调", "--effective", "2026-07"]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    assert!(stdout(&loaded).contains("已记录计划版本 2"), "{}", stdout(&loaded));
    let versions = stdout(&plan361(&["plan", "versions", "--db", &db]));
    assert!(versions.lines().any(|l| l.contains("2026-07") && l.contains("单项冠军目标上调")), "{versions}");
}

#[test]
fn remind_sends_a_notice_to_a_units_users_and_audits_it() {
    let scratch = Scratch::new("remind");
    let db = database(&scratch);
    let refused = plan361(&["remind", "--db", &db, "--unit", "市科技局", "--as", "kejiju"]);
    assert!(!refused.status.success(), "a reporter does not send reminders");
    let sent = plan361(&["remind", "--db", &db, "--unit", "市科技局"]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    let text = stdout(&sent);
    assert!(text.contains("市科技局:逾期") && text.contains("kejiju"), "{text}");
    let unknown = plan361(&["remind", "--db", &db, "--unit", "火星"]);
    assert!(!unknown.status.success() && stderr(&unknown).contains("火星"), "{}", stderr(&unknown));
    let log = plan361(&["audit", "log", "--db", &db, "--limit", "1"]);
    assert!(stdout(&log).contains("notice.remind"), "{}", stdout(&log));
}
