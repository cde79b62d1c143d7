//! The view models of 填报进度 (the reporting progress grid, 催报) and 通知 (a user's notices).

use askama::Template;

use crate::pages::Choice;
use crate::table::{Cell, Table};
use crate::words::Words;

/// One cell of the grid: a unit's reports of one period.
pub struct GridCell {
    /// The most urgent standing in words (逾期 270 天, 已审核 …); empty where nothing is owed.
    pub label: String,
    /// `pg-overdue`, `pg-approved` …
    pub class: &'static str,
    /// In (submitted or approved) of expected: "3/4".
    pub count: String,
    /// The unit's reports of the period, listed below the grid.
    pub href: String,
}

pub struct GridRow {
    pub unit: String,
    pub unit_href: String,
    pub cells: Vec<GridCell>,
    /// 填报及时率 over the periods shown.
    pub timeliness: String,
    /// Overdue reports of the unit over the periods shown, and whether the viewer may 催报.
    pub overdue: usize,
    pub remind: bool,
}

/// A report not in, as listed under the grid.
pub struct ReportLine {
    pub unit: String,
    pub target_id: String,
    pub indicator: String,
    pub org_unit: String,
    pub period: String,
    pub due: String,
    pub standing: String,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "progress.html")]
pub struct ProgressPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub notice: Option<&'a str>,
    pub frequencies: &'a [Choice],
    pub froms: &'a [Choice],
    pub units: &'a [Choice],
    pub states: &'a [Choice],
    pub periods: &'a [String],
    pub rows: &'a [GridRow],
    pub overall: &'a str,
    /// Reports shown under the grid, and how many match in all.
    pub lines: &'a [ReportLine],
    pub matching: usize,
    pub overdue_units: usize,
    pub may_remind: bool,
}

impl ProgressPage<'_> {
    /// The grid and the list as the tables of the Excel download.
    pub fn tables(&self) -> (Table, Table) {
        let w = self.w;
        let mut columns: Vec<&str> = vec![w.reporting_unit];
        columns.extend(self.periods.iter().map(String::as_str));
        columns.push(w.timeliness);
        let mut grid = Table::new(w.progress_title, &columns);
        for row in self.rows {
            let mut cells = vec![Cell::text(&row.unit)];
            cells.extend(row.cells.iter().map(|c| {
                Cell::text(if c.label.is_empty() { String::new() } else { format!("{} {}", c.label, c.count) })
            }));
            cells.push(Cell::text(&row.timeliness));
            grid.push(cells);
        }
        let mut list = Table::new(
            w.progress_reports,
            &[w.reporting_unit, w.id, w.indicator, w.org_unit, w.data_period, w.due_date, w.state],
        );
        for l in self.lines {
            list.push(vec![
                Cell::text(&l.unit),
                Cell::text(&l.target_id),
                Cell::text(&l.indicator),
                Cell::text(&l.org_unit),
                Cell::text(&l.period),
                Cell::text(&l.due),
                Cell::text(&l.standing),
            ]);
        }
        (grid, list)
    }
}

pub struct NoticeLine {
    pub id: i64,
    pub kind: &'static str,
    pub message: String,
    pub href: String,
    pub sender: String,
    pub when: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "notices.html")]
pub struct NoticesPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub lines: &'a [NoticeLine],
    pub unread: usize,
}
