//! The view models of the warning centre (预警中心), a warning's page and the bulletins page
//! (月度通报).

use askama::Template;

use crate::pages::Choice;
use crate::words::Words;

/// One warning as a line of the centre.
pub struct WarningLine {
    pub id: i64,
    pub level: &'static str,
    /// `lv-red` …
    pub level_class: &'static str,
    pub source: &'static str,
    pub owner: String,
    pub period: String,
    pub state: &'static str,
    pub reason: String,
    pub target_href: Option<String>,
}

/// A count that filters the centre when clicked.
pub struct Count {
    pub label: String,
    pub class: &'static str,
    pub count: usize,
    pub href: String,
}

/// A column header that sorts by it.
pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "warnings.html")]
pub struct WarningsPage<'a> {
    pub w: &'static Words,
    pub levels: &'a [Choice],
    pub owners: &'a [Choice],
    pub states: &'a [Choice],
    pub sources: &'a [Choice],
    pub periods: &'a [Choice],
    pub by_level: &'a [Count],
    pub by_owner: &'a [Count],
    pub headers: &'a [SortLink],
    pub lines: &'a [WarningLine],
    pub mine: Option<&'a str>,
}

/// One step of a warning's history.
pub struct StepLine {
    pub when: String,
    pub who: String,
    pub action: &'static str,
    pub state: &'static str,
    pub note: String,
    pub due: String,
}

#[derive(Template)]
#[template(path = "warning.html")]
pub struct WarningPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub notice: Option<&'a str>,
    pub line: &'a WarningLine,
    pub measures: &'a str,
    pub due: &'a str,
    pub steps: &'a [StepLine],
    /// The steps the viewer may take now.
    pub can_acknowledge: bool,
    pub can_act: bool,
    pub not_yours: bool,
}

/// A period's bulletin in each format.
pub struct BulletinLine {
    pub label: String,
    pub docx: String,
    pub xlsx: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "bulletins.html")]
pub struct BulletinsPage<'a> {
    pub w: &'static Words,
    pub months: &'a [BulletinLine],
    pub quarters: &'a [BulletinLine],
}

/// The open warnings of the signed-in user's unit, on the cockpit.
#[derive(Template)]
#[template(path = "unit_warnings.html")]
pub struct UnitWarnings<'a> {
    pub w: &'static Words,
    pub unit: &'a str,
    pub lines: &'a [WarningLine],
    /// The centre filtered to the unit's open warnings.
    pub href: &'a str,
}
