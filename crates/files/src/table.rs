//! A table read from a CSV or a workbook: the header row (found by the column names it must
//! contain) and every row below it as text, each with its row number in the file.

use calamine::Data;

use crate::FileErrors;
use crate::limits::{self, MAX_CELLS, MAX_COLUMNS, MAX_ROWS};

pub struct Records {
    pub sheet: Option<String>,
    pub header: Vec<String>,
    /// (1-based row or line number, cells).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Records {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// A row's cell by column name, "" when the column or the cell is absent.
    pub fn cell<'a>(&self, cells: &'a [String], name: &str) -> &'a str {
        self.column(name).and_then(|i| cells.get(i)).map_or("", |c| c.trim())
    }

    /// The spreadsheet column letter (or the name, for a CSV) of a column, for messages.
    pub fn column_label(&self, name: &str) -> String {
        match (&self.sheet, self.column(name)) {
            (Some(_), Some(i)) => format!("{} ({name})", column_letter(i)),
            _ => name.to_string(),
        }
    }
}

/// Whether a file name is a workbook rather than a CSV.
pub fn is_workbook(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"].iter().any(|ext| lower.ends_with(ext))
}

fn file_error(file: &str, reason: String) -> FileErrors {
    FileErrors::file(file, reason)
}

/// Reads the table of a file: a CSV (UTF-8 with or without BOM, or GB18030) or the first sheet
/// of a workbook (.xlsx, .xlsm, .xls) whose header row holds every `required` column. Blank
/// rows are skipped. Everything is read within [`crate::limits`]: a file past them is refused
/// with the limit named, before it costs more memory or time than the limit allows.
pub fn read(file: &str, bytes: &[u8], required: &[&str]) -> Result<Records, FileErrors> {
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(file_error(file, limits::too_large(bytes.len())));
    }
    if is_workbook(file) { read_workbook(file, bytes, required) } else { read_csv(file, bytes, required) }
}

fn read_csv(file: &str, bytes: &[u8], required: &[&str]) -> Result<Records, FileErrors> {
    let (text, _) = crate::text::decode(bytes);
    let mut cells_read: u64 = 0;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    // The reader's own line numbers count from where it started looking for a record (before
    // any blank lines); count lines up to the record's first character instead.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| file_error(file, format!("malformed CSV: {e}")))?;
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize).max(counted_to);
        while bytes.get(start).is_some_and(|b| *b == b'\n' || *b == b'\r') {
            start += 1;
        }
        line += bytes[counted_to..start.min(bytes.len())].iter().filter(|b| **b == b'\n').count();
        counted_to = start.min(bytes.len());
        let line = line;
        if line as u64 > MAX_ROWS {
            return Err(file_error(file, limits::too_many_rows(line as u64)));
        }
        if record.len() as u64 > MAX_COLUMNS {
            return Err(file_error(file, limits::too_many_columns(record.len() as u64)));
        }
        cells_read += record.len() as u64;
        if cells_read > MAX_CELLS {
            return Err(file_error(
                file,
                format!("the file has more than {MAX_CELLS} cells; at most that many are read"),
            ));
        }
        let cells: Vec<String> = record
            .iter()
            .map(|c| {
                c.trim_start_matches('\u{feff}').chars().filter(|c| *c != '\0').take(limits::MAX_CELL_CHARS).collect()
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some(cells),
            Some(_) => rows.push((line, cells)),
        }
    }
    let header = header.unwrap_or_default();
    let missing: Vec<&str> = required.iter().copied().filter(|r| !header.iter().any(|h| h == r)).collect();
    if !missing.is_empty() {
        return Err(file_error(
            file,
            format!("the header must name {}; missing: {}", required.join(","), missing.join(", ")),
        ));
    }
    Ok(Records { sheet: None, header, rows })
}

fn read_workbook(file: &str, bytes: &[u8], required: &[&str]) -> Result<Records, FileErrors> {
    let sheets = crate::workbook::read(bytes, cell_text).map_err(|why| file_error(file, why))?;
    for sheet in sheets {
        let Some(header_at) =
            sheet.rows.iter().take(30).position(|(_, cells)| required.iter().all(|r| cells.iter().any(|c| c == r)))
        else {
            continue;
        };
        let header = sheet.rows[header_at].1.clone();
        let rows = sheet.rows.into_iter().skip(header_at + 1).map(|(i, cells)| (i as usize + 1, cells)).collect();
        return Ok(Records { sheet: Some(sheet.name), header, rows });
    }
    Err(file_error(file, format!("no sheet has a header row with {}", required.join(", "))))
}

/// A cell as text: whole numbers without ".0", dates as YYYY-MM-DD.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        // A NUL character means nothing in a cell (and PostgreSQL refuses it): dropped.
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().replace('\0', ""),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => plan361_core::calendar::Date::from_excel_serial(d.as_f64())
            .map_or_else(|| d.as_f64().to_string(), |date| date.to_string()),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}

/// "A", "B" … "AA" for a zero-based column index.
pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().map(|b| *b as char).collect()
}

/// A table as CSV bytes: UTF-8 with a byte-order mark, so that Excel on a Chinese system opens
/// it correctly. Fractions shown as percentages in a workbook stay fractions here.
pub fn write_csv(headers: &[&str], rows: &[Vec<crate::xlsx::Cell>]) -> Result<Vec<u8>, String> {
    use crate::xlsx::Cell;
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut bytes);
        writer.write_record(headers).map_err(|e| e.to_string())?;
        for row in rows {
            let cells = row.iter().map(|cell| match cell {
                Cell::Text(t) => t.clone(),
                Cell::Number(n) | Cell::Percent(n) | Cell::Quantity(n, _) | Cell::Points(n) => n.to_string(),
                Cell::Empty => String::new(),
            });
            writer.write_record(cells).map_err(|e| e.to_string())?;
        }
        writer.flush().map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_table_with_comments_and_blank_lines() {
        let records = read("x.csv", "# note\ncode,name\n\nA1,甲\nB2,乙\n".as_bytes(), &["code"]).expect("table");
        assert_eq!(records.header, ["code", "name"]);
        assert_eq!(
            records.rows,
            vec![(4, vec!["A1".to_string(), "甲".to_string()]), (5, vec!["B2".to_string(), "乙".to_string()])]
        );
        assert_eq!(records.cell(&records.rows[1].1, "name"), "乙");
        assert_eq!(records.cell(&records.rows[1].1, "absent"), "");
    }

    #[test]
    fn a_missing_column_is_named() {
        let error = read("x.csv", b"code\nA1\n", &["code", "name"]).map(|_| ()).unwrap_err();
        assert!(error[0].reason.contains("missing: name"), "{}", error[0].reason);
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
