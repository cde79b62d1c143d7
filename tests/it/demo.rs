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
