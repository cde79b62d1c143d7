//! The bulletin (通报) the plan office sends the city's leaders every month and quarter,
//! written from the data: one document model ([`Bulletin`], a list of numbered blocks) built
//! by [`gather`], and three writers — DOCX with real Word tables, heading styles and native
//! charts ([`docx`]), XLSX with one sheet per table ([`xlsx`]), printable HTML with the app's
//! SVG charts ([`html`]). The numbers come from the same evaluation and formatting as every
//! page, so a table here reads as `/api/evaluation` does.

pub mod docx;
mod gather;
pub mod html;
pub mod xlsx;

pub use gather::{Options, gather};

use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_views::table::Table;

/// A bulletin: title block, then numbered blocks in order.
#[derive(Clone, Debug)]
pub struct Bulletin {
    /// 宁波市“361”现代化产业体系建设推进情况通报
    pub title: String,
    /// 2026年11月 or 2026年第3季度
    pub period_label: String,
    /// The month evaluated (a quarter's last month for a quarterly bulletin).
    pub at: Period,
    pub issuer: String,
    pub issued: Date,
    /// The data are synthetic (the demo): every format says so.
    pub synthetic: bool,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug)]
pub enum Block {
    /// 一、 (level 1) or (一) (level 2), numbered already.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    /// 表1 … with its caption, numbered already; `units` notes the units under the caption.
    Table {
        caption: String,
        note: String,
        table: Table,
    },
    Chart(Figure),
}

/// A chart: the app's SVG for HTML and the series for a native Word chart.
#[derive(Clone, Debug)]
pub struct Figure {
    /// 图1 …, numbered already.
    pub caption: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Excel number format of the values ("0", "0.0").
    pub number_format: &'static str,
    pub svg: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Horizontal bars.
    Bar,
    /// Vertical columns for the first series, lines for the others on a second axis.
    ColumnLine,
}

#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// RGB colour of each point (one for all when a single entry).
    pub colours: Vec<&'static str>,
}

impl Bulletin {
    /// A file name without extension: 通报-2026-11.
    pub fn file_stem(&self) -> String {
        format!("通报-{}", self.file_period())
    }

    fn file_period(&self) -> String {
        if self.period_label.contains('季') { self.at.quarter_of().to_string() } else { self.at.to_string() }
    }

    /// The running header: title and period.
    pub fn running_header(&self) -> String {
        format!("{}({})", self.title, self.period_label)
    }

    pub fn tables(&self) -> impl Iterator<Item = (&str, &Table)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table { caption, table, .. } => Some((caption.as_str(), table)),
            _ => None,
        })
    }
}

/// The column of the 情况分析 sentences: a spreadsheet keeps it as a column, print puts it on a
/// full-width line under its row (a portrait page has no room for it beside nine others).
pub const SENTENCE_COLUMN: &str = "情况分析";

/// The columns printed side by side, and the position of the sentence column if the table
/// has one (it is the last).
fn split_sentences(table: &Table) -> (&[String], Option<usize>) {
    match table.columns.last() {
        Some(last) if last == SENTENCE_COLUMN => {
            (&table.columns[..table.columns.len() - 1], Some(table.columns.len() - 1))
        }
        _ => (&table.columns[..], None),
    }
}

/// 1 → 一, 12 → 十二: the numbering of an official document.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", DIGITS[n / 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The colour of a status mark (红黄绿): the app's palette.
pub fn status_colour(status: plan361_core::eval::Status) -> &'static str {
    use plan361_core::eval::Status;
    match status {
        Status::Achieved => "1E8E3E",
        Status::OnTrack => "1A66C9",
        Status::NeedsAcceleration => "D98E04",
        Status::OffTrack => "D93025",
        Status::MovingAway => "A3165A",
        Status::Missed => "5C1A1A",
        Status::Baseline => "6B7F99",
        Status::NoData => "9AA4B2",
    }
}

#[cfg(test)]
mod tests {
    use super::chinese_number;

    #[test]
    fn numbers_read_as_an_official_document_numbers_its_parts() {
        let read: Vec<String> = [1, 7, 10, 11, 20, 23].into_iter().map(chinese_number).collect();
        assert_eq!(read, ["一", "七", "十", "十一", "二十", "二十三"]);
    }
}
