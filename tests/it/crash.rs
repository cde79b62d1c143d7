//! Killing an import with SIGKILL at arbitrary points never leaves a half-written file behind:
//! the database opens, its audit chain verifies, and the file's rows are all there or none.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{Scratch, plan361, stderr, stdout};

const ROWS: usize = 20_000;
const KILLS: u64 = 6;

/// A large valid file for the administrator: every target reported monthly for the city and
/// the districts (additions since a start month aside: they cannot go back before it), month
/// after month back from October 2026, with values the data checks accept (growing through
/// each year, none negative, shares within 100).
fn large_csv() -> String {
    let targets: Vec<Value> = serde_json::from_str(&stdout(&plan361(&["targets", "--json"]))).expect("targets");
    let mut keys: Vec<String> = Vec::new();
    for t in &targets {
        let id = t["id"].as_str().unwrap_or_default().to_string();
        let monthly = t["frequency"] == "month" && t["basis"] != "since_start";
        if t["counted_from"].is_null() && monthly && !keys.contains(&id) {
            keys.push(id);
        }
    }
    let units =
        ["宁波市", "海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"];
    let mut csv = String::from("target_id,org_unit,period,value,comment\n");
    let mut rows = 0;
    'periods: for month in 0.. {
        let (year, m) = (2026 - (month + 2) / 12, 12 - (month + 2) % 12);
        for unit in units {
            for (i, key) in keys.iter().enumerate() {
                let value = f64::from(m) + (i % 5) as f64;
                csv.push_str(&format!("{key},{unit},{year}-{m:02},{value},\n"));
                rows += 1;
                if rows == ROWS {
                    break 'periods;
                }
            }
        }
    }
    csv
}

fn import_command(db: &str, csv: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plan361"));
    command.args(["import", csv, "--db", db, "--state", "approved"]).stdout(Stdio::null()).stderr(Stdio::null());
    command
}

/// Rows stored for a period, read back through `export`.
fn rows_for(db: &str, period: &str, scratch: &Scratch) -> usize {
    let out = scratch.0.join(format!("count-{period}.csv")).display().to_string();
    let export = plan361(&["export", "--db", db, "--period", period, "-o", &out]);
    assert!(export.status.success(), "the database opens after a kill: {}", stderr(&export));
    std::fs::read_to_string(&out).expect("export").lines().count() - 1
}

#[test]
fn killing_an_import_leaves_all_or_nothing() {
    let scratch = Scratch::new("crash");
    let template = scratch.0.join("template.db").display().to_string();
    assert!(plan361(&["init", "--db", &template, "--admin-password", "secret-password"]).status.success());
    // The administrator loads approved history itself: duties combined for it.
    assert!(plan361(&["duties", "combine", "--db", &template]).status.success());
    let csv = scratch.write("large.csv", &large_csv());
    let (first, last) = ("2026-10", "2025-06");

    let complete = scratch.0.join("complete.db").display().to_string();
    std::fs::copy(&template, &complete).expect("copy");
    let started = Instant::now();
    assert!(import_command(&complete, &csv).status().expect("import runs").success());
    let duration = started.elapsed();
    let full = (rows_for(&complete, first, &scratch), rows_for(&complete, last, &scratch));
    assert!(full.0 > 0 && full.1 > 0, "the file covers both periods: {full:?}");

    let mut outcomes = Vec::new();
    for kill in 0..KILLS {
        let db = scratch.0.join(format!("killed-{kill}.db")).display().to_string();
        std::fs::copy(&template, &db).expect("copy");
        // Spread the kills over the whole import, with a deterministic jitter.
        let fraction = (kill as f64 + 0.2 + 0.6 * ((kill * 7919) % 13) as f64 / 13.0) / KILLS as f64;
        let mut child = import_command(&db, &csv).spawn().expect("import starts");
        std::thread::sleep(Duration::from_secs_f64(duration.as_secs_f64() * fraction));
        let _ = child.kill();
        let _ = child.wait();

        let verify = plan361(&["audit", "verify", "--db", &db]);
        assert!(verify.status.success(), "kill {kill}: {}", stderr(&verify));
        let found = (rows_for(&db, first, &scratch), rows_for(&db, last, &scratch));
        assert!(
            found == (0, 0) || found == full,
            "kill {kill} at {fraction:.2}: {found:?}, not none or all of {full:?}"
        );
        outcomes.push(found == full);
    }
    assert!(outcomes.iter().any(|complete| !complete), "at least one kill landed before the commit: {outcomes:?}");
}
