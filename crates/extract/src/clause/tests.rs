//! The clause tests: the sentences of `tests/clauses.toml` and what must be read from them.

use std::fmt::Write;

use plan361_core::plan::Direction;
use serde::Deserialize;

use super::*;
use crate::{StatedComparator, StatedKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    numbers: Vec<Case>,
    commitments: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    targets: Vec<Expected>,
}

/// The fields of a target a case checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    indicator: Option<String>,
    value: Option<f64>,
    value_max: Option<f64>,
    unit: Option<String>,
    comparator: Option<String>,
    kind: Option<String>,
    measures: Option<Vec<(String, String)>>,
}

fn cases() -> Cases {
    toml::from_str(include_str!("../../tests/clauses.toml")).unwrap_or_else(|e| panic!("tests/clauses.toml: {e}"))
}

/// A sentence read for its quantified targets, clause by clause (split at its commas).
fn numbers_of(sentence: &str) -> Vec<Target> {
    let mut state = SentenceState::default();
    let mut targets = Vec::new();
    let mut start = 0;
    for (i, c) in sentence.char_indices().chain(std::iter::once((sentence.len(), ','))) {
        if c == ',' {
            let reading = numbers(sentence, start..i, false, &mut state);
            targets.extend(reading.candidates.into_iter().map(|c| c.target));
            start = i + c.len_utf8();
        }
    }
    targets
}

fn commitments_of(clause: &str) -> Vec<Target> {
    qualitative::read(clause, 0..clause.len()).into_iter().map(|c| c.target).collect()
}

/// What differs between a target and what is expected of it.
fn differences(found: &Target, expected: &Expected) -> Vec<String> {
    let mut differs = Vec::new();
    let mut check = |field: &str, ok: bool, want: String| {
        if !ok {
            differs.push(format!("{field}: expected {want}"));
        }
    };
    if let Some(indicator) = &expected.indicator {
        check("indicator", &found.indicator == indicator, indicator.clone());
    }
    if let Some(value) = expected.value {
        check("value", found.value == Some(value), value.to_string());
    }
    if let Some(max) = expected.value_max {
        check("value_max", found.value_max == Some(max), max.to_string());
    }
    if let Some(unit) = &expected.unit {
        check("unit", found.unit.as_ref() == Some(unit), unit.clone());
    }
    if let Some(word) = &expected.comparator {
        let want = StatedComparator::from_word(word);
        check("comparator", want.is_some_and(|c| c == found.comparator), format!("{word} (a comparator word)"));
    }
    if let Some(code) = &expected.kind {
        let want = StatedKind::from_code(code);
        check("kind", want.is_some_and(|k| k == found.kind), format!("{code} (a kind)"));
    }
    if let Some(measures) = &expected.measures {
        let want: Option<Vec<(String, Direction)>> =
            measures.iter().map(|(name, d)| Direction::from_code(d).map(|d| (name.clone(), d))).collect();
        check("measures", want.as_ref() == Some(&found.measures), format!("{measures:?} (directions up or down)"));
    }
    differs
}

/// Every case of one table, read by `read`; every failure is listed.
fn check_all(table: &str, cases: &[Case], read: fn(&str) -> Vec<Target>) {
    let mut failures = String::new();
    for case in cases {
        let found = read(&case.text);
        if found.len() != case.targets.len() {
            let _ = writeln!(
                failures,
                "[[{table}]] {}: {} targets, expected {}",
                case.text,
                found.len(),
                case.targets.len()
            );
            for t in &found {
                let _ = writeln!(failures, "    found {t:?}");
            }
            continue;
        }
        for (i, (t, expected)) in found.iter().zip(&case.targets).enumerate() {
            for difference in differences(t, expected) {
                let _ = writeln!(failures, "[[{table}]] {}: target {i}: {difference}\n    found {t:?}", case.text);
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn clauses_read_for_numbers() {
    check_all("numbers", &cases().numbers, numbers_of);
}

#[test]
fn clauses_read_for_commitments() {
    check_all("commitments", &cases().commitments, commitments_of);
}

#[test]
fn the_data_file_checks_what_it_says() {
    let cases = cases();
    assert!(cases.numbers.len() >= 60 && cases.commitments.len() >= 20, "the cases are all read");
    // A wrong expectation fails: the checks are not vacuous.
    let wrong = Expected {
        indicator: Some("规上工业产值".into()),
        value: Some(2.8),
        value_max: None,
        unit: Some("亿元".into()),
        comparator: Some("超过".into()),
        kind: Some("growth".into()),
        measures: Some(vec![("x".into(), "sideways".into())]),
    };
    let found = numbers_of("规上工业产值达到2.7万亿元");
    assert_eq!(differences(&found[0], &wrong).len(), 5, "{:?}", differences(&found[0], &wrong));
}

#[test]
fn a_clause_without_targets_is_noted_only_when_it_looks_quantified() {
    assert!(!looks_quantified("力争到2025年"));
    assert!(looks_quantified("力争达到2025家"));
    let mut state = SentenceState::default();
    let text = "网络速度达到5G标准";
    let noted = read(text, 0..text.len(), false, &mut state);
    assert!(noted.candidates.is_empty());
    assert_eq!(noted.rejected.iter().map(|r| r.reason).collect::<Vec<_>>(), ["含数字和比较词,未能识别为目标"]);
}
