//! The view models of the plan office's pages (计划管理): plan versions and their differences,
//! loading a new version (动态调整), decomposed goals (目标分解), reporting windows (填报窗口)
//! and who reports each target (填报单位).

use askama::Template;

use crate::pages::Choice;
use crate::table::{Cell, Table};
use crate::words::Words;

/// The pages of 计划管理, shown as tabs above each of them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PlanningTab {
    Versions,
    Decomposition,
    Windows,
    ReportingUnits,
}

/// A tab: where it leads, its name, whether it is the page shown.
pub struct Tab {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

impl PlanningTab {
    /// Every tab, `self` marked as the page shown.
    pub fn tabs(self, w: &'static Words) -> Vec<Tab> {
        [
            (PlanningTab::Versions, "/plan/versions", w.plan_versions),
            (PlanningTab::Decomposition, "/plan/decomposition", w.decomposition),
            (PlanningTab::Windows, "/plan/windows", w.windows),
            (PlanningTab::ReportingUnits, "/plan/reporting-units", w.reporting_units),
        ]
        .into_iter()
        .map(|(tab, href, label)| Tab { href, label, active: tab == self })
        .collect()
    }
}

/// A problem of a refused plan file, with its line and the text on that line.
pub struct FileProblem {
    pub line: String,
    pub context: String,
    pub message: String,
    pub excerpt: String,
}

/// The form that loads a new plan version: what was typed and, when refused, what is wrong
/// next to each field.
#[derive(Default)]
pub struct LoadForm {
    pub effective: String,
    pub reason: String,
    pub effective_error: String,
    pub reason_error: String,
    pub file_error: String,
    pub problems: Vec<FileProblem>,
}

impl LoadForm {
    pub fn refused(&self) -> bool {
        !(self.effective_error.is_empty()
            && self.reason_error.is_empty()
            && self.file_error.is_empty()
            && self.problems.is_empty())
    }
}

#[derive(Template)]
#[template(path = "plan_versions.html")]
pub struct PlanVersionsPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub tabs: &'a [Tab],
    pub notice: Option<&'a str>,
    pub versions: &'a Table,
    /// The versions to compare (empty with fewer than two).
    pub froms: &'a [Choice],
    pub tos: &'a [Choice],
    pub load: &'a LoadForm,
}

#[derive(Template)]
#[template(path = "plan_diff.html")]
pub struct PlanDiffPage<'a> {
    pub w: &'static Words,
    pub tabs: &'a [Tab],
    pub notice: Option<&'a str>,
    pub froms: &'a [Choice],
    pub tos: &'a [Choice],
    /// "新增 1 项 · 删除 1 项 · 修改 2 项".
    pub summary: &'a str,
    /// The version compared to: when, why and by whom it was loaded.
    pub about: &'a str,
    pub table: &'a Table,
}

/// One target year's goal of a district, as its input shows it.
pub struct GoalInput {
    /// The form field: `y2027`, or `annual` for a goal kept every year.
    pub name: String,
    pub label: String,
    pub value: String,
}

/// A district's line of the decomposition: its goals and, when saving them was refused, why.
pub struct DistrictLine {
    pub unit: String,
    /// The id of the line's form (the inputs of a table row belong to it).
    pub form_id: String,
    pub source: &'static str,
    pub decomposed: bool,
    pub inputs: Vec<GoalInput>,
    pub error: String,
}

/// The sum check of one target year: the districts' total against the city's goal.
pub struct YearSum {
    pub total: String,
    pub city: String,
    pub gap: String,
    pub matches: bool,
}

#[derive(Template)]
#[template(path = "decomposition.html")]
pub struct DecompositionPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub tabs: &'a [Tab],
    pub notice: Option<&'a str>,
    pub targets: &'a [Choice],
    pub target_id: &'a str,
    /// "2.3.2 高新技术产业增加值(亿元)".
    pub heading: &'a str,
    /// The target year columns ("2027年" …, or "每年").
    pub columns: &'a [String],
    /// Why the target is not decomposed here, or what the sum check does not cover; empty where
    /// the districts add up against the city.
    pub note: &'a str,
    pub lines: &'a [DistrictLine],
    /// Why saving was refused for a unit that has no line (not a district or zone).
    pub error: &'a str,
    /// One per column where the districts add up against the city; empty otherwise.
    pub sums: &'a [YearSum],
}

/// A kind of period's window as the form shows it.
pub struct WindowLine {
    /// `month`, `quarter`, `year`: the prefix of the line's fields.
    pub kind: &'static str,
    pub label: &'static str,
    pub months_after: String,
    pub due_day: String,
    pub lock_day: String,
    /// The next period's due and lock dates, in words.
    pub example: String,
}

#[derive(Template)]
#[template(path = "windows.html")]
pub struct WindowsPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub tabs: &'a [Tab],
    pub notice: Option<&'a str>,
    pub lines: &'a [WindowLine],
    /// Why saving was refused, shown at the form.
    pub error: &'a str,
}

#[derive(Template)]
#[template(path = "reporting_units.html")]
pub struct ReportingUnitsPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub tabs: &'a [Tab],
    pub notice: Option<&'a str>,
    pub table: &'a Table,
    /// The assignment form: the reported targets, the departments, the reason typed.
    pub targets: &'a [Choice],
    pub units: &'a [Choice],
    pub reason: &'a str,
    /// The form field an assignment was refused for (`target_id`, `org_unit`, `reason`) and why.
    pub error_field: &'a str,
    pub error: &'a str,
    /// Every assignment made, the latest first.
    pub history: &'a Table,
}
