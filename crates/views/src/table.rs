//! A table as the pages show it and as it downloads: one model for both, so every table on
//! screen exports to Excel with the same rows.

use plan361_core::eval::{Evaluation, Status};
use plan361_core::i18n::{self, Lang};
use plan361_core::plan::{Kind, Target};

/// One cell: what it shows, and the raw value a spreadsheet keeps.
#[derive(Clone, Debug)]
pub enum Cell {
    Text(String),
    /// A link inside the application.
    Link {
        text: String,
        href: String,
    },
    /// A number as printed (with its unit), and the number itself for spreadsheets.
    Number {
        shown: String,
        value: Option<f64>,
    },
    /// A fraction, printed as a percentage.
    Percent(Option<f64>),
    /// An amount with its unit as printed ("7393.4亿元"); a spreadsheet keeps the number in that
    /// unit.
    Quantity {
        shown: String,
        value: Option<f64>,
        unit: String,
    },
    /// Percentage points with a sign, one decimal.
    Points(Option<f64>),
    /// 目标进度: a bar exactly as wide as the share printed beside it; a spreadsheet keeps the
    /// share itself.
    Progress {
        bar: String,
        shown: String,
        value: Option<f64>,
    },
    Status(Status, &'static str),
    /// Server-drawn SVG (a progress bar); spreadsheets get `text` instead.
    Graphic {
        svg: String,
        text: String,
    },
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell::Link { text: text.into(), href: href.into() }
    }

    /// The latest value of an evaluation: the amount in the unit that reads best (a
    /// spreadsheet keeps the number in that unit) with what a 1–N月 flow is judged on, a
    /// two-sided target's measures as text.
    pub fn latest_value(evaluation: &Evaluation, target: &Target, lang: Lang) -> Cell {
        let shown = i18n::value_text(target, evaluation, lang);
        match evaluation.value {
            Some(v) if target.kind != Kind::Direction => {
                let (number, unit) = i18n::readable(v, &target.unit);
                Cell::Quantity { shown, value: Some(number), unit: unit.to_string() }
            }
            _ => Cell::Text(shown),
        }
    }

    /// 目标进度 as printed, without a bar (for print and files): what the bar's label says.
    pub fn progress_text(evaluation: &Evaluation, lang: Lang) -> Cell {
        let shown = i18n::progress_shown(evaluation, lang).map_or_else(|| "—".to_string(), |(_, text)| text);
        Cell::Number { shown, value: evaluation.progress }
    }

    /// The CSS class of a status cell.
    pub fn status_class(&self) -> &'static str {
        match self {
            Cell::Status(status, _) => status_class(*status),
            _ => "",
        }
    }

    /// Whether the cell reads as a number (right-aligned).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Number { .. } | Cell::Percent(_) | Cell::Quantity { .. } | Cell::Points(_))
    }

    /// The cell as plain text.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(text)
            | Cell::Link { text, .. }
            | Cell::Number { shown: text, .. }
            | Cell::Quantity { shown: text, .. }
            | Cell::Progress { shown: text, .. } => text.clone(),
            Cell::Percent(p) => p.map_or_else(|| "—".to_string(), plan361_core::i18n::percent),
            Cell::Points(p) => p.map_or_else(|| "—".to_string(), |p| format!("{p:+.1}")),
            Cell::Status(_, label) => label.to_string(),
            Cell::Graphic { text, .. } => text.clone(),
        }
    }
}

/// The CSS class that gives a status its colour.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Achieved => "s-achieved",
        Status::OnTrack => "s-on_track",
        Status::NeedsAcceleration => "s-needs_acceleration",
        Status::OffTrack => "s-off_track",
        Status::MovingAway => "s-moving_away",
        Status::Missed => "s-missed",
        Status::Baseline => "s-baseline",
        Status::NoData => "s-no_data",
    }
}

#[derive(Clone, Debug)]
pub struct Table {
    /// The sheet name in a download (at most 31 characters, no `[]:*?/\`).
    pub sheet: String,
    /// A CSS class for tables of one kind that should line up across a page.
    pub class: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// How many leading columns the page shows; the rest (the sentences) are in the download
    /// only.
    pub shown: Option<usize>,
}

impl Table {
    pub fn new(sheet: &str, columns: &[&str]) -> Table {
        let sheet: String =
            sheet.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect::<String>().trim().to_string();
        Table {
            sheet,
            class: "",
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            shown: None,
        }
    }

    /// The columns the page shows.
    pub fn screen_columns(&self) -> &[String] {
        &self.columns[..self.shown.unwrap_or(self.columns.len()).min(self.columns.len())]
    }

    /// The cells of a row the page shows.
    pub fn screen_cells<'a>(&self, row: &'a [Cell]) -> &'a [Cell] {
        &row[..self.shown.unwrap_or(row.len()).min(row.len())]
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
