//! Integration tests: the real `plan361` binary, run as a user runs it.

mod audit;
mod browser;
mod bulletin;
mod checks;
mod cli;
mod crash;
mod db;
mod demo;
mod extract;
mod hostile;
mod http;
mod list_pages;
mod lists;
mod planning;
mod progress;
mod scenarios;
mod sessions;
mod stats;
mod warnings;
mod web;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The keys of every object `plan361 eval --json` and `/api/evaluation` return.
pub const EVALUATION_KEYS: [&str; 24] = [
    "target_id",
    "org_unit",
    "period",
    "value",
    "data_period",
    "stale",
    "baseline",
    "target_year",
    "target_value",
    "completion",
    "progress",
    "expected",
    "lag_pp",
    "actual_cagr",
    "required_cagr",
    "projected",
    "projection_ratio",
    "estimate",
    "yoy",
    "status",
    "status_label",
    "year_results",
    "notes",
    "explanation",
];

pub fn plan361(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan361"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("plan361-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    pub fn write(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write scratch file");
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
