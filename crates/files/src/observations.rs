//! Observation files: `target_id,org_unit,period,value[,comment]`, one reported value per row.
//!
//! `target_id` is a target's id, or `id:measure` for a part of a `direction` target
//! (`2.1.2:rank`). `org_unit` is a territorial unit's name (宁波市, 北仑区 …); departments report
//! the city's values under 宁波市. Lines starting with `#` are comments (a file may say where
//! its data come from).

use std::collections::HashMap;

use plan361_core::Period;
use plan361_core::observation;
use plan361_core::org::OrgUnits;
use plan361_core::plan::{Plan, TargetKey};

use crate::{FileErrors, RowError, table};

pub const HEADER: [&str; 5] = ["target_id", "org_unit", "period", "value", "comment"];

/// One valid row, with names resolved to positions in the plan and the org units.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservationRow {
    pub line: usize,
    pub target: usize,
    pub measure: Option<String>,
    pub org_unit: usize,
    pub period: Period,
    pub value: f64,
    pub comment: Option<String>,
    /// The revision the row was made from, when the file says (a form's `revision` column; 0:
    /// no value was stored then).
    pub revision: Option<i64>,
}

impl ObservationRow {
    /// The target as files and the API name it: `3.3.1`, or `2.1.2:rank` for a measure.
    pub fn target_key(&self, plan: &Plan) -> String {
        let id = plan.targets().get(self.target).map_or("", |t| t.id.as_str());
        TargetKey::new(id, self.measure.as_deref()).to_string()
    }

    pub fn org_unit_name<'a>(&self, org_units: &'a OrgUnits) -> &'a str {
        org_units.all().get(self.org_unit).map_or("", |u| u.name.as_str())
    }
}

/// Reads an observation file: a CSV (UTF-8, with or without BOM, or GB18030) or a workbook
/// (.xlsx, .xls …) with a header row naming the columns. Every row is checked; if any is bad,
/// all the problems are returned and no row. Rows without a value are skipped: a form lists
/// every value due, and the ones left blank are not reported yet.
pub fn read(file: &str, bytes: &[u8], plan: &Plan, org_units: &OrgUnits) -> Result<Vec<ObservationRow>, FileErrors> {
    let records = table::read(file, bytes, &HEADER[..4])?;
    let mut rows = Vec::new();
    let mut errors = FileErrors::default();
    let mut seen: HashMap<(usize, Option<String>, usize, Period), usize> = HashMap::new();
    for (line, cells) in &records.rows {
        let value = records.cell(cells, "value");
        if value.is_empty() {
            continue;
        }
        let raw = RawRow {
            target: records.cell(cells, "target_id"),
            org_unit: records.cell(cells, "org_unit"),
            period: &period_text(records.cell(cells, "period")),
            value,
            comment: Some(records.cell(cells, "comment")),
        };
        let error = |column: Option<String>, reason: String| RowError {
            file: file.to_string(),
            sheet: records.sheet.clone(),
            row: *line,
            column,
            reason,
        };
        let revision = match records.cell(cells, "revision") {
            "" => Ok(None),
            text => text.parse::<i64>().ok().filter(|r| *r >= 0).map(Some).ok_or(()),
        };
        let Ok(revision) = revision else {
            errors.push(error(
                Some(records.column_label("revision")),
                format!(
                    "\"{}\" is not a revision number (leave the column as the form has it)",
                    records.cell(cells, "revision")
                ),
            ));
            continue;
        };
        match check_row(plan, org_units, &raw, *line).map(|row| ObservationRow { revision, ..row }) {
            Ok(row) => {
                let key = (row.target, row.measure.clone(), row.org_unit, row.period);
                if let Some(first) = seen.insert(key, *line) {
                    errors.push(error(None, format!("duplicate of row {first} (same target, unit and period)")));
                } else {
                    rows.push(row);
                }
            }
            Err((column, reason)) => errors.push(error(Some(records.column_label(column)), reason)),
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// A period as a spreadsheet may have turned it into a date ("2026-05" typed, "2026-05-01"
/// stored): read back as the month meant.
fn period_text(text: &str) -> String {
    match text.parse::<plan361_core::calendar::Date>() {
        Ok(date) => date.month_period().to_string(),
        Err(_) => text.to_string(),
    }
}

/// One row's fields as text, however the file laid them out.
pub struct RawRow<'a> {
    pub target: &'a str,
    pub org_unit: &'a str,
    pub period: &'a str,
    pub value: &'a str,
    pub comment: Option<&'a str>,
}

/// Checks one row's text against the plan and the org units: the column at fault and why, or
/// the row. Shared by every observation reader (CSV, spreadsheet).
pub fn check_row(
    plan: &Plan,
    org_units: &OrgUnits,
    raw: &RawRow,
    line: usize,
) -> Result<ObservationRow, (&'static str, String)> {
    let period: Period =
        raw.period.parse().map_err(|e: plan361_core::period::PeriodError| ("period", e.to_string()))?;
    let value = plan361_core::number::parse(raw.value).map_err(|e| ("value", e.to_string()))?;
    let checked = observation::check(plan, org_units, raw.target, raw.org_unit, period, value)
        .map_err(|(field, reason)| (field.name(), reason))?;
    Ok(ObservationRow {
        line,
        target: checked.target,
        measure: checked.measure,
        org_unit: checked.org_unit,
        period,
        value,
        comment: raw.comment.filter(|c| !c.is_empty()).map(str::to_string),
        revision: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"
format = 2
units = ["市经信局"]
[plan]
id = "p"
title = "t"
issuer = "i"
issued = "2025-01-01"
region = "宁波市"
baseline_year = 2024
horizon = [2030]
office = "市经信局"
[[project]]
number = 1
name = "工程"
[[task]]
id = "1.1"
name = "任务"
units = ["市经信局"]
[[target]]
id = "1.1.1"
task = "1.1"
indicator = "单项冠军"
unit = "家"
kind = "cumulative"
direction = "up"
comparator = "达到"
values = { 2030 = 160 }
frequency = "month"
basis = "stock"
source_text = "x"
[[target]]
id = "1.1.2"
task = "1.1"
indicator = "双提升"
unit = "状态"
kind = "direction"
direction = "up"
comparator = "实现"
measures = [{ key = "rank", name = "排名", direction = "down", unit = "位" }]
frequency = "year"
basis = "stock"
source_text = "y"
"#;

    const UNITS: &str = r#"
[[unit]]
name = "宁波市"
kind = "city"
[[unit]]
name = "北仑区"
kind = "district"
[[unit]]
name = "市经信局"
kind = "department"
"#;

    fn read_text(csv: &str) -> Result<Vec<ObservationRow>, FileErrors> {
        let plan = plan361_core::plan::parse("plan.toml", PLAN).expect("valid plan");
        let units = OrgUnits::parse("units.toml", UNITS).expect("valid units");
        super::read("obs.csv", csv.as_bytes(), &plan, &units)
    }

    #[test]
    fn reads_valid_rows_and_resolves_names() {
        let rows = read_text(
            "target_id,org_unit,period,value,comment\n1.1.1,北仑区,2026-05,\"1,234\",说明\n1.1.2:rank,宁波市,2025,3,\n",
        )
        .expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].value, 1234.0);
        assert_eq!(rows[0].org_unit, 1);
        assert_eq!(rows[0].comment.as_deref(), Some("说明"));
        assert_eq!(rows[1].measure.as_deref(), Some("rank"));
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn reports_every_bad_row_with_line_column_and_reason() {
        let errors = read_text(
            "target_id,org_unit,period,value\n\
             9.9.9,宁波市,2026-06,1\n\
             1.1.1,火星区,2026-06,1\n\
             1.1.1,宁波市,2026-13,1\n\
             1.1.1,宁波市,2026-06,abc\n\
             1.1.1,市经信局,2026-06,1\n\
             1.1.1,宁波市,2026-06,-3\n\
             1.1.2,宁波市,2026,1\n\
             1.1.1,宁波市,2025-06,1\n\
             1.1.1,宁波市,2025-06,2\n\
             1.1.1,宁波市,2026,5\n",
        )
        .expect_err("bad rows");
        let summary: Vec<(usize, Option<&str>)> = errors.iter().map(|e| (e.row, e.column.as_deref())).collect();
        assert_eq!(
            summary,
            [
                (2, Some("target_id")),
                (3, Some("org_unit")),
                (4, Some("period")),
                (5, Some("value")),
                (6, Some("org_unit")),
                (7, Some("value")),
                (8, Some("target_id")),
                (10, None),
                (11, Some("period")),
            ]
        );
        assert_eq!(
            errors[8].reason, "目标 1.1.1 按月报送(期末数),请按月填报,如 2026-12",
            "a period of another frequency"
        );
        assert!(errors[0].reason.contains("unknown target \"9.9.9\""));
        assert!(errors[4].reason.contains("department"));
        assert!(errors[7].reason.contains("duplicate of row 9"));
        assert_eq!(errors[1].to_string(), "obs.csv:3: column org_unit: unknown org unit \"火星区\"");
    }

    #[test]
    fn a_missing_column_is_named() {
        let errors = read_text("target_id,org_unit,value\n1.1.1,宁波市,1\n").expect_err("no period");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].reason.contains("missing: period"), "{}", errors[0].reason);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
            let _ = read_text(&text);
        }
    }
}
