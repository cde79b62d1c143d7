//! The evaluation cases of `tests/scenarios/cases.toml`, each run through `plan361 eval --data`
//! and checked against the outcome DESIGN §3A gives for it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::{Scratch, plan361, stderr, stdout};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    why: String,
    file: Option<String>,
    data: Option<String>,
    at: String,
    target: Option<String>,
    org_unit: Option<String>,
    status: Option<String>,
    #[serde(default)]
    numbers: BTreeMap<String, toml::Value>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    stale: Option<bool>,
    #[serde(default)]
    notes: Vec<String>,
    year_results: Option<Vec<(i32, bool)>>,
    baseline: Option<(f64, String, String)>,
    #[serde(default)]
    refused: Vec<String>,
}

const HEADER: &str = "target_id,org_unit,period,value\n";

impl Case {
    /// The observations file of the case.
    fn path(&self, scratch: &Scratch) -> String {
        match (&self.file, &self.data) {
            (Some(file), None) => format!("tests/scenarios/review/{file}"),
            (None, Some(data)) => scratch.write(&format!("{}.csv", self.name), &format!("{HEADER}{}\n", data.trim())),
            _ => panic!("case {}: give `file` or `data`", self.name),
        }
    }

    fn first_target(&self, path: &str) -> String {
        let text = std::fs::read_to_string(path).expect("case file");
        let row = text.lines().nth(1).expect("a data row");
        let id = row.split(',').next().expect("target column");
        id.split(':').next().unwrap_or(id).to_string()
    }

    /// Every difference between what the program said and what §3A says, as one line each.
    fn check(&self, scratch: &Scratch) -> Vec<String> {
        let path = self.path(scratch);
        let output = plan361(&["eval", "--data", &path, "--at", &self.at, "--json"]);
        let mut problems = Vec::new();
        if !self.refused.is_empty() {
            if output.status.success() {
                problems.push("expected the file to be refused, but it was evaluated".into());
            }
            let errors = stderr(&output);
            for text in &self.refused {
                if !errors.contains(text.as_str()) {
                    problems.push(format!("refusal does not say \"{text}\": {errors}"));
                }
            }
            return problems;
        }
        if !output.status.success() {
            return vec![format!("eval failed: {}", stderr(&output))];
        }
        let records: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("eval --json prints JSON");
        let target = self.target.clone().unwrap_or_else(|| self.first_target(&path));
        let unit = self.org_unit.as_deref().unwrap_or("宁波市");
        let Some(record) = records.iter().find(|r| r["target_id"] == target.as_str() && r["org_unit"] == unit) else {
            return vec![format!("no record for {target} {unit}")];
        };
        let explanation = record["explanation"].as_str().unwrap_or_default();
        if let Some(status) = &self.status
            && record["status"] != status.as_str()
        {
            problems.push(format!("status {} instead of {status}", record["status"]));
        }
        for (field, expected) in &self.numbers {
            let actual = &record[field.as_str()];
            match expected {
                toml::Value::String(null) if null == "null" => {
                    if !actual.is_null() {
                        problems.push(format!("{field} is {actual}, expected none"));
                    }
                }
                toml::Value::Float(_) | toml::Value::Integer(_) => {
                    let expected =
                        expected.as_float().or_else(|| expected.as_integer().map(|i| i as f64)).unwrap_or_default();
                    match actual.as_f64() {
                        Some(value) if (value - expected).abs() <= (1e-4 * expected.abs()).max(1e-6) => {}
                        _ => problems.push(format!("{field} is {actual}, expected {expected}")),
                    }
                }
                other => problems.push(format!("{field}: unreadable expectation {other:?}")),
            }
        }
        for phrase in &self.phrases {
            if !explanation.contains(phrase.as_str()) {
                problems.push(format!("explanation lacks \"{phrase}\""));
            }
        }
        for phrase in &self.absent {
            if explanation.contains(phrase.as_str()) {
                problems.push(format!("explanation has \"{phrase}\""));
            }
        }
        if let Some(stale) = self.stale
            && record["stale"] != stale
        {
            problems.push(format!("stale is {}, expected {stale}", record["stale"]));
        }
        let notes: Vec<&str> = record["notes"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        for note in &self.notes {
            if !notes.contains(&note.as_str()) {
                problems.push(format!("notes {notes:?} lack {note}"));
            }
        }
        if let Some(expected) = &self.year_results {
            let actual: Vec<(i64, bool)> = record["year_results"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| (r["year"].as_i64().unwrap_or_default(), r["met"].as_bool().unwrap_or_default()))
                .collect();
            let expected: Vec<(i64, bool)> = expected.iter().map(|&(y, met)| (i64::from(y), met)).collect();
            if actual != expected {
                problems.push(format!("year_results {actual:?}, expected {expected:?}"));
            }
        }
        if let Some((value, period, source)) = &self.baseline {
            let b = &record["baseline"];
            let same = b["value"].as_f64().is_some_and(|v| (v - value).abs() < 1e-9)
                && b["period"] == period.as_str()
                && b["source"] == source.as_str();
            if !same {
                problems.push(format!("baseline {b}, expected {value} {period} {source}"));
            }
        }
        if !problems.is_empty() {
            problems.push(format!("the explanation: {explanation}"));
        }
        problems
    }
}

#[test]
fn every_case_comes_out_as_section_3a_says() {
    let text = std::fs::read_to_string("tests/scenarios/cases.toml").expect("cases");
    let cases: Cases = toml::from_str(&text).expect("cases.toml reads");
    assert!(cases.case.len() >= 80, "at least 80 cases: {}", cases.case.len());
    let scratch = Scratch::new("scenarios");
    let mut failures = Vec::new();
    for case in &cases.case {
        assert!(!case.why.trim().is_empty(), "case {} says why", case.name);
        let problems = case.check(&scratch);
        if !problems.is_empty() {
            failures.push(format!("{} (at {}):\n    {}", case.name, case.at, problems.join("\n    ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.case.len(), failures.join("\n"));
}

#[test]
fn every_review_case_is_in_the_table() {
    let text = std::fs::read_to_string("tests/scenarios/cases.toml").expect("cases");
    let cases: Cases = toml::from_str(&text).expect("cases.toml reads");
    let covered: Vec<&str> = cases.case.iter().filter_map(|c| c.file.as_deref()).collect();
    for entry in std::fs::read_dir("tests/scenarios/review").expect("review cases") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(covered.contains(&name.as_str()), "{name} has no case");
    }
}
