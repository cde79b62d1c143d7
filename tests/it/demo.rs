//! `plan361 demo`: the demo database shows every status, says it is synthetic, and carries
//! values in each state of the workflow.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::Scratch;
use crate::http::send;

/// The demo server; stopped when dropped.
struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_demo_shows_every_status_and_says_it_is_synthetic() {
    let scratch = Scratch::new("demo");
    let db = scratch.0.join("demo.db").display().to_string();
    let child = Command::new(env!("CARGO_BIN_EXE_plan361"))
        .args(["--db", &db, "demo", "--port", "0", "--password", "demo-password"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("demo starts");
    let mut demo = Demo(child);
    let stdout = demo.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.expect("a line");
        if let Some(at) = line.find("http://") {
            base = Some(line[at..].trim_end_matches('/').to_string());
            break;
        }
    }
    // Keep reading what the demo prints, so that its output never meets a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let base = base.expect("the demo prints its address");

    let login = json!({"username": "leader", "password": "demo-password"}).to_string();
    let reply = send("POST", &format!("{base}/api/login"), &[("Content-Type", "application/json")], login.as_bytes());
    let token = reply.json()["token"].as_str().expect("a token").to_string();
    let bearer = format!("Bearer {token}");
    let evaluation = send("GET", &format!("{base}/api/evaluation?org_unit=宁波市"), &[("Authorization", &bearer)], b"");
    let statuses: Vec<String> = evaluation
        .json()
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["status"].as_str().map(str::to_string))
        .collect();
    for status in ["achieved", "on_track", "needs_acceleration", "off_track", "moving_away", "no_data"] {
        assert!(statuses.iter().any(|s| s == status), "no target is {status}: {statuses:?}");
    }
    presentation(&base, &bearer, &evaluation.json());
    let login = "username=leader&password=demo-password";
    let signed = send(
        "POST",
        &format!("{base}/login"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        login.as_bytes(),
    );
    let cookie = signed.header("set-cookie").and_then(|c| c.split(';').next()).expect("a cookie").to_string();
    let cockpit = send("GET", &format!("{base}/"), &[("Cookie", &cookie)], b"").text();
    assert!(cockpit.contains("合成数据"), "the cockpit says the data are synthetic");

    let office = json!({"username": "office", "password": "demo-password"}).to_string();
    let reply = send("POST", &format!("{base}/api/login"), &[("Content-Type", "application/json")], office.as_bytes());
    let bearer = format!("Bearer {}", reply.json()["token"].as_str().expect("a token"));
    for state in ["draft", "submitted", "returned"] {
        let found = send("GET", &format!("{base}/api/observations?state={state}"), &[("Authorization", &bearer)], b"");
        assert!(!found.json().as_array().expect("array").is_empty(), "no value is {state}");
    }
}

/// What the leader reads is what the engine says, on one scale (DESIGN §3A.8).
fn presentation(base: &str, bearer: &str, evaluation: &serde_json::Value) {
    let get = |path: &str| send("GET", &format!("{base}{path}"), &[("Authorization", bearer)], b"");
    let rows = evaluation.as_array().expect("array");
    let city: Vec<&serde_json::Value> = rows.iter().filter(|r| r["org_unit"] == "宁波市").collect();
    // Every target needing attention is listed, not the first six.
    let attention = city
        .iter()
        .filter(|r| matches!(r["status"].as_str(), Some("needs_acceleration" | "off_track" | "moving_away" | "missed")))
        .count();
    let cockpit = get("/").text();
    let listed = cockpit
        .split("class=\"lagging\"")
        .nth(1)
        .map_or(0, |list| list.split("</ol>").next().unwrap_or("").matches("<li>").count());
    assert!(attention > 6, "the demo has more than six targets needing attention: {attention}");
    assert_eq!(listed, attention, "the cockpit lists every target needing attention");
    // A target without data still shows its goal.
    assert!(cockpit.contains("2030年 2000亿元"), "6.1.2 (no data) shows its goal");
    assert!(!cockpit.contains("完成率"), "完成率 is not set against 序时进度 on the cockpit");
    // A two-sided target shows its measures in their own units.
    let direction = get("/targets/2.1.2").text();
    assert!(direction.contains("第") && direction.contains("名"), "ranks read 第N名");
    assert!(!direction.contains("完成进度(%)"), "a two-sided target is not a milestone");
    // A milestone reads as the percentage done.
    let milestone = get("/targets/0.5").text();
    assert!(milestone.contains("完成进度"), "a milestone reads 完成进度");
    // District goals of counted targets are whole, and a district with none at the baseline has
    // no derived goal.
    for row in rows.iter().filter(|r| r["target_id"] == "3.3.1" && r["org_unit"] != "宁波市") {
        if let Some(goal) = row["target_value"].as_f64() {
            assert_eq!(goal.fract(), 0.0, "a district's goal in 家 is whole: {row}");
        }
    }
    // The method page explains every kind with an example the engine computes.
    let method = get("/method").text();
    assert_eq!(method.matches("class=\"example\"").count(), 10, "one worked example per kind");
    for label in ["已达标", "正常", "关注", "滞后"] {
        assert!(method.contains(label), "the examples show {label}");
    }
}
