//! The pages: one template per page, filled with view models the web layer prepares. A page's
//! own template renders its content; [`Layout`] wraps it with the header, navigation and the
//! synthetic-data banner, so page content can be cached apart from the person looking at it.

use askama::Template;

use crate::table::{Cell, Table};
use crate::words::Words;

/// A link of the navigation bar.
pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub active: bool,
    /// A count shown beside the label (the open warnings of the user's unit).
    pub badge: Option<usize>,
}

/// Who is signed in, as the header shows it.
pub struct UserBadge {
    pub display_name: String,
    pub org_unit: String,
    pub role: String,
    /// Unread notices (通知).
    pub notices: i64,
}

#[derive(Template)]
#[template(path = "layout.html")]
pub struct Layout<'a> {
    pub w: &'static Words,
    pub lang: &'static str,
    pub title: &'a str,
    pub nav: &'a [NavItem],
    pub user: Option<&'a UserBadge>,
    pub csrf: &'a str,
    pub demo: bool,
    /// The same page in the other language.
    pub other_lang_href: &'a str,
    /// The page's tables as a workbook, when it has any.
    pub xlsx_href: Option<&'a str>,
    /// Today, shown on paper only (empty: nothing shown).
    pub printed: &'a str,
    pub content: &'a str,
}

/// A choice of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A status as a coloured chip.
pub struct Chip {
    pub class: &'static str,
    pub label: &'static str,
}

pub struct HeadlineCard {
    pub id: String,
    pub indicator: String,
    pub value: String,
    /// What a 1–N月 value is judged on (全年预计 …), or empty.
    pub value_note: String,
    pub value_period: String,
    pub target: String,
    /// 目标进度 as printed; the bar is exactly this wide.
    pub progress: String,
    pub expected: String,
    pub lag: String,
    pub status: Chip,
    pub bar: String,
}

pub struct ProjectSummary {
    pub number: u32,
    pub name: String,
    pub total: usize,
    /// (class, label, count) per status, in display order.
    pub counts: Vec<(&'static str, &'static str, usize)>,
    pub stack: String,
}

/// A target with its explanation sentence.
pub struct Explained {
    pub id: String,
    pub indicator: String,
    pub org_unit: String,
    pub status: Chip,
    pub explanation: String,
}

#[derive(Template)]
#[template(path = "cockpit.html")]
pub struct Cockpit<'a> {
    pub w: &'static Words,
    pub periods: &'a [Choice],
    pub period_label: &'a str,
    pub headline: &'a [HeadlineCard],
    pub projects: &'a [ProjectSummary],
    /// Every target needing attention, worst first.
    pub lagging: &'a [Explained],
    pub legend: &'a [Chip],
    pub table: &'a Table,
}

/// A district's (or zone's) cockpit: its targets with its own goals and values.
#[derive(Template)]
#[template(path = "district.html")]
pub struct DistrictCockpit<'a> {
    pub w: &'static Words,
    pub periods: &'a [Choice],
    pub period_label: &'a str,
    pub district: &'a str,
    /// The city's cockpit at the same period.
    pub city_href: &'a str,
    /// The district's targets in each status.
    pub summary: &'a ProjectSummary,
    /// The district's targets needing attention, worst first.
    pub lagging: &'a [Explained],
    /// Targets decomposed to the district without a value yet: (id, indicator).
    pub waiting: &'a [(String, String)],
    pub legend: &'a [Chip],
    pub table: &'a Table,
}

pub struct TaskBlock {
    pub id: String,
    pub name: String,
    pub units: String,
    pub status: Chip,
    pub table: Table,
}

#[derive(Template)]
#[template(path = "project.html")]
pub struct ProjectPage<'a> {
    pub w: &'static Words,
    pub periods: &'a [Choice],
    pub name: &'a str,
    pub projects: &'a [Choice],
    pub tasks: &'a [TaskBlock],
}

/// A labelled fact of a definition list.
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "target.html")]
pub struct TargetPage<'a> {
    pub w: &'static Words,
    pub periods: &'a [Choice],
    pub id: &'a str,
    pub indicator: &'a str,
    pub status: Chip,
    pub explanation: &'a str,
    pub metrics: &'a [Fact],
    pub definition: &'a [Fact],
    pub source_text: &'a str,
    /// The trend (empty for a two-sided target, whose measures are a table instead).
    pub chart: &'a str,
    pub measures: Option<&'a Table>,
    pub compare_href: &'a str,
    /// The finished target years, met or missed.
    pub years: &'a Table,
    pub districts: &'a Table,
    pub history: &'a Table,
    /// Where every record is listed, when only the newest values are.
    pub all_history_href: Option<&'a str>,
    /// For a target counted from a list: how, and where to see the entries.
    pub counted: Option<CountedNote>,
}

/// How a counted target is counted, and the entries behind its value.
pub struct CountedNote {
    pub rule: String,
    pub list_label: &'static str,
    pub list_href: String,
    pub entries_href: String,
    /// The city's value the entries make up.
    pub value: String,
}

/// One value a unit reports this period, with what is stored for it so far.
pub struct TaskRow {
    pub target: String,
    pub indicator: String,
    pub unit: String,
    /// What the value is, in words: 1—N月累计, 2025年1月起累计新增 …
    pub basis: String,
    pub org_unit: String,
    pub period: String,
    pub due: String,
    pub last_value: String,
    pub value: String,
    pub comment: String,
    pub state: Option<&'static str>,
    pub state_class: &'static str,
    pub return_reason: String,
    /// The revision the form edits, 0 for a new value.
    pub revision: i64,
    pub editable: bool,
    /// Why the last save of this line was refused, shown next to `error_field` (`value`,
    /// `comment`, or under the line when empty).
    pub error: String,
    pub error_field: &'static str,
}

#[derive(Template)]
#[template(path = "tasks.html")]
pub struct TasksPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub notice: Option<&'a str>,
    pub rows: &'a [TaskRow],
    /// How many drafts 提交全部 would submit.
    pub drafts: usize,
    pub returned: &'a Table,
    pub overdue: &'a Table,
}

pub struct ReviewRow {
    pub key: String,
    pub target: String,
    pub indicator: String,
    pub org_unit: String,
    pub period: String,
    pub value: String,
    pub last_approved: String,
    pub comment: String,
    pub submitted_by: String,
    /// The validation rules' warnings the value was accepted with.
    pub flags: Vec<String>,
}

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub notice: Option<&'a str>,
    pub rows: &'a [ReviewRow],
}

/// A row of an upload's preview.
pub struct PreviewRow {
    pub row: usize,
    pub target: String,
    pub org_unit: String,
    pub period: String,
    pub value: String,
    pub current: String,
    pub change: &'static str,
    /// `new`, `changed`, `unchanged` or `conflict`.
    pub change_class: &'static str,
    pub note: String,
}

#[derive(Template)]
#[template(path = "upload_preview.html")]
pub struct UploadPreviewPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub file_name: &'a str,
    pub sha256: &'a str,
    /// The rows to import on confirmation, as JSON.
    pub rows_json: &'a str,
    pub rows: &'a [PreviewRow],
    /// 新增 N · 修改 N · 未变 N · 冲突 N.
    pub summary: &'a str,
    pub conflicts: bool,
    pub changes: bool,
}

#[derive(Template)]
#[template(path = "checks.html")]
pub struct ChecksPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub notice: Option<&'a str>,
    pub findings: &'a Table,
    pub rules: &'a Table,
    /// The rules file in the editor: the stored rules, or what was typed when refused.
    pub rules_text: &'a str,
    pub rules_error: &'a str,
    pub may_edit: bool,
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage<'a> {
    pub w: &'static Words,
    pub periods: &'a [Choice],
    pub targets: &'a [Choice],
    pub title: &'a str,
    pub chart: &'a str,
    pub table: &'a Table,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage<'a> {
    pub w: &'static Words,
    pub chain: &'a str,
    pub chain_ok: bool,
    pub table: &'a Table,
    pub older_href: Option<&'a str>,
    pub newest_href: Option<&'a str>,
    pub actors: &'a [Choice],
    pub units: &'a [Choice],
    pub actions: &'a [Choice],
    pub target: &'a str,
    pub from: &'a str,
    pub until: &'a str,
    /// Sign-ins among the entries the filters select, counted apart.
    pub sign_ins: i64,
    pub sign_ins_href: &'a str,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    /// An administrator gave the password: it must be changed first.
    pub forced: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
pub struct UsersPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub notice: Option<&'a str>,
    pub users: &'a [UserLine],
    pub roles: &'a [Choice],
    pub org_units: &'a [Choice],
}

pub struct UserLine {
    pub username: String,
    pub display_name: String,
    pub org_unit: String,
    pub role: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub w: &'static Words,
    pub lang: &'static str,
    pub other_lang_href: &'a str,
    pub demo: bool,
    pub next: &'a str,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub w: &'static Words,
    pub status: u16,
    pub message: &'a str,
}

/// One of several links of which one is current (the four lists, the units of a drill-down).
pub struct Pill {
    pub href: String,
    pub label: String,
    pub active: bool,
}

/// A filter of a list page: a `<select>` named as the query parameter.
pub struct FilterSelect {
    pub name: &'static str,
    pub label: &'static str,
    pub choices: Vec<Choice>,
}

/// Where a paged table is, with links to its neighbours.
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "lists.html")]
pub struct ListsPage<'a> {
    pub w: &'static Words,
    pub lists: &'a [Pill],
    /// The list's code, the address of the filter form.
    pub list: &'a str,
    pub filters: &'a [FilterSelect],
    pub search: &'a str,
    pub search_hint: &'a str,
    pub clear_href: &'a str,
    pub total: usize,
    pub table: &'a Table,
    pub pager: &'a Pager,
    pub add_href: Option<&'a str>,
}

/// How a form field is entered.
pub enum Input {
    Text,
    Date,
    Number,
    Select(Vec<Choice>),
    /// Shown, sent, not editable (an entry's key once it exists).
    Fixed,
}

pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub input: Input,
    pub hint: &'static str,
    pub required: bool,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "entry_form.html")]
pub struct EntryForm<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub action: &'a str,
    /// A new entry (refused if its key exists) rather than a change.
    pub new: bool,
    /// For a change: the version it is made from (a change made meanwhile is refused).
    pub version: Option<i64>,
    pub fields: &'a [FormField],
    pub reason: &'a str,
    pub reason_error: Option<&'a str>,
    /// Problems that belong to no field of the form.
    pub errors: &'a [String],
    /// The form comes back refused: some field, or `errors`, says why.
    pub failed: bool,
    pub cancel_href: &'a str,
}

/// An honour of an enterprise as its page lists it.
pub struct HonourLine {
    pub kind: String,
    pub level: String,
    pub granted: String,
    pub revoked: String,
    pub note: String,
    pub held: bool,
}

#[derive(Template)]
#[template(path = "entry.html")]
pub struct EntryPage<'a> {
    pub w: &'static Words,
    pub csrf: &'a str,
    pub list_label: &'a str,
    pub list_href: &'a str,
    /// The entry's address; its forms post below it.
    pub href: &'a str,
    pub removed: bool,
    pub facts: &'a [Fact],
    /// Enterprises: their honours (`None` for the other lists).
    pub honours: Option<&'a [HonourLine]>,
    pub honour_kinds: &'a [Choice],
    pub honour_levels: &'a [Choice],
    pub today: &'a str,
    pub editable: bool,
    pub notice: Option<&'a str>,
    /// A refused change, shown at the form it came from (`grant`, `revoke` or `remove`).
    pub error: Option<&'a str>,
    pub error_at: &'a str,
    pub history: &'a Table,
}

#[derive(Template)]
#[template(path = "counted.html")]
pub struct CountedPage<'a> {
    pub w: &'static Words,
    pub periods: &'a [Choice],
    pub org_unit: &'a str,
    pub units: &'a [Pill],
    pub heading: &'a str,
    pub rule: &'a str,
    pub target_href: &'a str,
    pub table: &'a Table,
}

/// A table under a heading, with a line of explanation.
pub struct Panel {
    pub heading: String,
    pub note: String,
    pub table: Table,
}

/// The pages of the cluster statistics (集群监测): a month and a measure to choose, a chart
/// when there is one, and panels of tables.
#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage<'a> {
    pub w: &'static Words,
    pub periods: &'a [Choice],
    pub measures: &'a [Choice],
    /// Hidden fields the selectors keep (cluster, org unit).
    pub keep: &'a [(String, String)],
    pub heading: &'a str,
    pub note: &'a str,
    pub chart: Option<&'a str>,
    pub panels: &'a [Panel],
}

/// A worked example of the method: a target, what was reported, and what the engine makes of
/// it.
pub struct MethodExample {
    pub kind: &'static str,
    pub target: String,
    pub clause: String,
    /// How the target is reported, in words.
    pub basis: String,
    pub reported: String,
    pub at: String,
    pub facts: Vec<Fact>,
    pub status: Chip,
    pub sentence: String,
}

#[derive(Template)]
#[template(path = "method.html")]
pub struct MethodPage<'a> {
    pub w: &'static Words,
    pub examples: &'a [MethodExample],
}
