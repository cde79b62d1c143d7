//! The rules every microdata row obeys before it is stored, checked against the registry and
//! what is stored already. Errors reject the file; warnings are reported and the row is kept.

use crate::i18n::Labelled;
use std::collections::HashMap;

use super::micro::{MicroRow, Microdata};
use super::{MEASURES, Measure, format_amount, month_period};
use crate::registry::{Registry, credit_code};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// How bad a problem of a row is.
pub enum Severity {
    /// The file is refused.
    Error,
    /// The file is taken; the problem is shown.
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// A problem of a row of microdata.
pub struct MicroProblem {
    /// The row's line (CSV) or row (sheet) number.
    pub row: usize,
    /// The column it is in, if one.
    pub column: Option<&'static str>,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in words.
    pub reason: String,
}

/// Every problem of the rows (`(row number, row)`), errors and warnings. `last_month` is the
/// latest month a value may be reported for (this month).
pub fn check_rows(
    rows: &[(usize, MicroRow)],
    stored: &Microdata,
    registry: &Registry,
    last_month: i32,
) -> Vec<MicroProblem> {
    let enterprises: HashMap<&str, &crate::registry::Enterprise> =
        registry.enterprises.iter().map(|e| (e.credit_code.as_str(), e)).collect();
    let mut in_file: HashMap<(&str, i32), usize> = HashMap::with_capacity(rows.len());
    let mut problems = Vec::new();
    let error = |row: usize, column: Option<&'static str>, reason: String| MicroProblem {
        row,
        column,
        severity: Severity::Error,
        reason,
    };
    for (i, (line, row)) in rows.iter().enumerate() {
        if let Some(first) = in_file.insert((row.credit_code.as_str(), row.month), i) {
            problems.push(error(
                *line,
                None,
                format!("duplicate of row {} ({} {})", rows[first].0, row.credit_code, month_period(row.month)),
            ));
        }
    }
    // A value as it will be after the import: the file's, else the stored one.
    let value_at = |code: &str, month: i32| -> Option<(&[i64; MEASURES], bool)> {
        match in_file.get(&(code, month)) {
            Some(&i) => Some((&rows[i].1.values, true)),
            None => stored.get(code, month).map(|v| (v, false)),
        }
    };
    for (line, row) in rows {
        let line = *line;
        let period = month_period(row.month);
        if let Err(e) = credit_code::validate(&row.credit_code) {
            problems.push(error(line, Some("credit_code"), e.to_string()));
            continue;
        }
        let Some(enterprise) = enterprises.get(row.credit_code.as_str()) else {
            problems.push(error(
                line,
                Some("credit_code"),
                format!("{} is not in the enterprise registry (list import enterprises first)", row.credit_code),
            ));
            continue;
        };
        if row.month > last_month {
            problems.push(error(line, Some("period"), format!("{period} has not begun")));
        }
        for measure in Measure::ALL {
            let value = row.values[measure.index()];
            if value < 0 && !measure.may_be_negative() {
                problems.push(error(
                    line,
                    Some(measure.code()),
                    format!("{} cannot be negative ({})", measure.label_zh(), format_amount(value)),
                ));
            }
        }
        let year = period.year();
        let month_of_year = period.months_elapsed();
        if month_of_year > 1
            && let Some((before, _)) = value_at(&row.credit_code, row.month - 1)
        {
            falls(&mut problems, line, row.month - 1, before, row.month, &row.values);
        }
        if month_of_year < 12
            && let Some((after, false)) = value_at(&row.credit_code, row.month + 1)
        {
            falls(&mut problems, line, row.month, &row.values, row.month + 1, after);
        }
        if !enterprise.above_scale.contains(&year) {
            let first = enterprise.above_scale.iter().min();
            let when = match first {
                Some(first) if *first > year => format!("before it entered the above-scale set ({first})"),
                _ => format!("in {year}, a year it is not above scale"),
            };
            problems.push(MicroProblem {
                row: line,
                column: Some("period"),
                severity: Severity::Warning,
                reason: format!(
                    "{} {period}: {when}: kept as the base of its like-for-like growth, not counted in {year}'s totals",
                    row.credit_code
                ),
            });
        }
    }
    problems
}

/// Reports each 1–N月 value of `later` that is below the one of `earlier` in the same year.
fn falls(
    problems: &mut Vec<MicroProblem>,
    line: usize,
    earlier_month: i32,
    earlier: &[i64; MEASURES],
    later_month: i32,
    later: &[i64; MEASURES],
) {
    for measure in Measure::ALL.into_iter().filter(|m| m.never_falls()) {
        let (a, b) = (earlier[measure.index()], later[measure.index()]);
        if b < a {
            problems.push(MicroProblem {
                row: line,
                column: Some(measure.code()),
                severity: Severity::Error,
                reason: format!(
                    "{} 1–N月 falls within the year: {} in {} but {} in {}",
                    measure.label_zh(),
                    format_amount(a),
                    month_period(earlier_month),
                    format_amount(b),
                    month_period(later_month)
                ),
            });
        }
    }
}
