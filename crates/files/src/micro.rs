//! Enterprise microdata files (企业月度数据): a CSV (UTF-8 or GB18030) or a workbook with the
//! columns `credit_code,period,output,revenue,profit,export_delivery,rd_expense,electricity,employees`,
//! one row per enterprise and month, 1–N月 values in 万元 (用电量 万千瓦时, 从业人员 人).
//!
//! A CSV is read field by field without a string per cell: a province's months are millions
//! of rows.

use plan361_core::Period;
use plan361_core::stats::{self, MEASURES, Measure, MicroRow};

use crate::{FileErrors, RowError, table};

/// The columns of a microdata file, in the order `stats` writes them.
pub const COLUMNS: [&str; 9] = [
    "credit_code",
    "period",
    "output",
    "revenue",
    "profit",
    "export_delivery",
    "rd_expense",
    "electricity",
    "employees",
];

/// Reads every row of a microdata file, or every problem with it.
pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<(usize, MicroRow)>, FileErrors> {
    let mut rows = Vec::new();
    read_each(file, bytes, |line, code, month, values| {
        rows.push((line, MicroRow { credit_code: code.to_string(), month, values }));
    })?;
    Ok(rows)
}

/// Reads a microdata file row by row: `visit(line, credit code, month index, values)` for each
/// good row. When the file has any bad row the result is the list of them, and whatever was
/// visited is to be discarded.
pub fn read_each(
    file: &str,
    bytes: &[u8],
    mut visit: impl FnMut(usize, &str, i32, [i64; MEASURES]),
) -> Result<(), FileErrors> {
    let mut errors = FileErrors::default();
    if table::is_workbook(file) {
        let records = table::read(file, bytes, &COLUMNS)?;
        for (line, cells) in &records.rows {
            let fields: Vec<&[u8]> = COLUMNS.iter().map(|c| records.cell(cells, c).as_bytes()).collect();
            match parse_row(&fields, true) {
                Ok((code, month, values)) => visit(*line, &code, month, values),
                Err(problems) => {
                    for (column, reason) in problems {
                        errors.push(RowError {
                            file: file.to_string(),
                            sheet: records.sheet.clone(),
                            row: *line,
                            column: Some(records.column_label(column)),
                            reason,
                        });
                    }
                }
            }
        }
    } else {
        read_csv(file, bytes, &mut errors, &mut visit)?;
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

fn read_csv(
    file: &str,
    bytes: &[u8],
    errors: &mut FileErrors,
    visit: &mut impl FnMut(usize, &str, i32, [i64; MEASURES]),
) -> Result<(), FileErrors> {
    let (text, _) = crate::text::decode(bytes);
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).comment(Some(b'#')).has_headers(false).from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut positions: Option<[usize; 9]> = None;
    let fail = |line: usize, column: Option<&str>, reason: String| RowError {
        file: file.to_string(),
        sheet: None,
        row: line,
        column: column.map(str::to_string),
        reason,
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(FileErrors::one(fail(0, None, format!("malformed CSV: {e}")))),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.as_slice().iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Some(at) = positions else {
            let field = |i: usize| std::str::from_utf8(record.get(i).unwrap_or_default()).unwrap_or("").trim();
            let header: Vec<&str> = (0..record.len()).map(|i| field(i).trim_start_matches('\u{feff}')).collect();
            let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !header.contains(c)).collect();
            if !missing.is_empty() {
                return Err(FileErrors::one(fail(
                    line,
                    None,
                    format!("the header must be {}; missing: {}", COLUMNS.join(","), missing.join(", ")),
                )));
            }
            let mut at = [0; 9];
            for (slot, column) in at.iter_mut().zip(COLUMNS) {
                *slot = header.iter().position(|h| *h == column).unwrap_or_default();
            }
            positions = Some(at);
            continue;
        };
        let fields: [&[u8]; 9] = at.map(|i| record.get(i).unwrap_or_default());
        match parse_row(&fields, false) {
            Ok((code, month, values)) => visit(line, &code, month, values),
            Err(problems) => {
                for (column, reason) in problems {
                    errors.push(fail(line, Some(column), reason));
                }
            }
        }
    }
    if positions.is_none() {
        return Err(FileErrors::one(fail(0, None, format!("empty file: the header must be {}", COLUMNS.join(",")))));
    }
    Ok(())
}

/// A row read: the credit code (upper-cased), the month index and the scaled amounts.
type ParsedRow<'a> = (std::borrow::Cow<'a, str>, i32, [i64; MEASURES]);

/// One row's fields in the order of [`COLUMNS`], as bytes: amounts are read without a string
/// each. A workbook's numbers are binary fractions: they are rounded to the four decimals
/// amounts keep.
fn parse_row<'a>(fields: &[&'a [u8]], from_workbook: bool) -> Result<ParsedRow<'a>, Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let text = |bytes: &'a [u8]| String::from_utf8_lossy(bytes);
    let code = match text(fields[0]) {
        std::borrow::Cow::Borrowed(code) if !code.bytes().any(|b| b.is_ascii_lowercase()) => {
            std::borrow::Cow::Borrowed(code.trim())
        }
        other => std::borrow::Cow::Owned(other.trim().to_uppercase()),
    };
    if code.is_empty() {
        problems.push(("credit_code", "a credit code is required".to_string()));
    }
    let period = text(fields[1]);
    let month = match period.parse::<Period>() {
        Ok(period @ Period::Month { .. }) => stats::month_index(period),
        _ => {
            problems.push(("period", format!("\"{}\" is not a month (YYYY-MM)", period.trim())));
            0
        }
    };
    let mut values = [0; MEASURES];
    for (i, measure) in Measure::ALL.into_iter().enumerate() {
        let field = fields[2 + i];
        let parsed = if field.trim_ascii().is_empty() {
            Err("a value is required (0 when there is none)".to_string())
        } else if from_workbook && let Ok(number) = text(field).trim().parse::<f64>() {
            let scaled = (number * stats::SCALE as f64).round();
            if scaled.is_finite() && scaled.abs() < 1e16 {
                Ok(scaled as i64)
            } else {
                Err(format!("\"{}\" is too large", text(field)))
            }
        } else if field.is_ascii() {
            stats::parse_amount_bytes(field)
        } else {
            // Full-width spaces and the like around the number.
            stats::parse_amount(&text(field))
        };
        match parsed {
            Ok(v) => values[i] = v,
            Err(reason) => problems.push((measure.code(), reason)),
        }
    }
    if problems.is_empty() { Ok((code, month, values)) } else { Err(problems) }
}

/// The rows as a CSV file reads them back.
pub fn write_csv(rows: impl Iterator<Item = (String, i32, [i64; MEASURES])>) -> String {
    let mut text = COLUMNS.join(",");
    text.push('\n');
    for (code, month, values) in rows {
        text.push_str(&code);
        text.push(',');
        text.push_str(&stats::month_period(month).to_string());
        for value in values {
            text.push(',');
            text.push_str(&stats::format_amount(value));
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "91330200MA2CL7RN9T";

    #[test]
    fn a_csv_reads_in_gb18030_and_names_every_bad_cell() {
        let good = format!("{}\n{CODE},2026-02,1200.5,1100,-20,30,12.25,80,150\n", COLUMNS.join(","));
        let (encoded, _, _) = encoding_rs::GB18030.encode(&good);
        let rows = read("m.csv", &encoded).expect("valid");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.values[Measure::Output.index()], 12_005_000);
        assert_eq!(rows[0].1.values[Measure::Profit.index()], -200_000);
        let bad = format!("{}\n{CODE},2026Q1,x,1,1,1,1,1,\n", COLUMNS.join(","));
        let errors = read("m.csv", bad.as_bytes()).expect_err("bad").errors;
        let columns: Vec<&str> = errors.iter().filter_map(|e| e.column.as_deref()).collect();
        assert_eq!(columns, ["period", "output", "employees"]);
        assert!(errors.iter().all(|e| e.row == 2));
        let missing = read("m.csv", b"credit_code,period\n").expect_err("header").errors;
        assert!(missing[0].reason.contains("missing: output"), "{}", missing[0].reason);
    }

    #[test]
    fn rows_written_read_back() {
        let rows =
            vec![(CODE.to_string(), stats::month_index(Period::month(2026, 1)), [1, 20_000, -3, 0, 5, 6, 70_000])];
        let text = write_csv(rows.clone().into_iter());
        let back = read("m.csv", text.as_bytes()).expect("valid");
        assert_eq!((back[0].1.credit_code.clone(), back[0].1.month, back[0].1.values), rows[0]);
    }
}
