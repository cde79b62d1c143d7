//! The bulletin as a workbook: the text on the first sheet (headings and every sentence), then
//! one sheet per table with its units in the headers; numbers stay numbers.

use plan361_files::xlsx::{self, Cell as XCell};
use plan361_views::table::Cell;

use crate::{Block, Bulletin};

pub fn write(bulletin: &Bulletin) -> Result<Vec<u8>, String> {
    let mut text: Vec<Vec<XCell>> = vec![
        vec![XCell::Text(bulletin.title.clone())],
        vec![XCell::Text(format!("({})", bulletin.period_label))],
        vec![XCell::Text(format!("{} {}", bulletin.issuer, bulletin.issued))],
    ];
    for block in &bulletin.blocks {
        match block {
            Block::Heading { text: line, .. } | Block::Paragraph(line) => text.push(vec![XCell::Text(line.clone())]),
            Block::Table { caption, note, .. } => {
                let note = if note.is_empty() { String::new() } else { format!("(注:{note})") };
                text.push(vec![XCell::Text(format!("{caption}:见工作表“{}”{note}", sheet_name(caption)))]);
            }
            Block::Chart(figure) => text.push(vec![XCell::Text(figure.caption.clone())]),
        }
    }
    let tables: Vec<Sheet> = bulletin
        .tables()
        .map(|(caption, table)| {
            let rows = table.rows.iter().map(|row| row.iter().map(cell).collect()).collect();
            Sheet { name: sheet_name(caption), headers: table.columns.iter().map(String::as_str).collect(), rows }
        })
        .collect();
    let mut sheets = vec![xlsx::Table { sheet: "通报正文", headers: &["通报正文"], rows: &text }];
    sheets.extend(tables.iter().map(|s| xlsx::Table { sheet: &s.name, headers: &s.headers, rows: &s.rows }));
    xlsx::write_tables(&sheets)
}

/// One table's sheet, owning what the writer borrows.
struct Sheet<'a> {
    name: String,
    headers: Vec<&'a str>,
    rows: Vec<Vec<XCell>>,
}

/// A sheet's name: the caption within Excel's 31 characters, without the characters it refuses.
fn sheet_name(caption: &str) -> String {
    caption.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

fn cell(cell: &Cell) -> XCell {
    match cell {
        Cell::Number { shown, value: Some(value) } if shown.parse::<f64>().is_ok() => XCell::Number(*value),
        Cell::Percent(Some(p)) => XCell::Percent(*p),
        other => XCell::Text(other.plain()),
    }
}
