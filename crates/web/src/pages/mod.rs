//! The pages. Each module builds one page's view model from the store and the cached
//! evaluation; `?format=xlsx` on any page with tables downloads them instead.

mod admin;
mod checks;
mod cockpit;
pub mod compare;
mod counted;
mod lists;
mod login;
mod method;
mod plan_versions;
mod planning;
mod progress;
mod project;
mod review;
mod stats;
mod target;
pub mod tasks;
mod warnings;

use axum::Router;
use axum::routing::{get, post};
use plan361_core::eval::{Evaluation, Status};
use plan361_core::i18n::{self, Lang};
use plan361_core::org::OrgUnitId;
use plan361_core::plan::Target;
use plan361_core::plan::TargetId;
use plan361_views::chart;
use plan361_views::pages::{Chip, Choice};
use plan361_views::table::{Cell, Table, status_class};
use serde::Deserialize;

use crate::AppState;
use crate::error::Problem;
use crate::evaluation::{Evaluated, EvaluatedRow};
use crate::render::{PageError, Ui};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(cockpit::show))
        .route("/districts/{name}", get(cockpit::district))
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/projects/{number}", get(project::show))
        .route("/targets/{id}", get(target::show))
        .route("/targets/{id}/entries", get(counted::show))
        .route("/lists", get(|| async { axum::response::Redirect::to("/lists/enterprises") }))
        .route("/lists/{list}", get(lists::show_list).post(lists::save_entry))
        .route("/lists/{list}/new", get(lists::new_entry))
        .route("/lists/{list}/{key}", get(lists::show_entry))
        .route("/lists/{list}/{key}/edit", get(lists::edit_entry))
        .route("/lists/{list}/{key}/remove", post(lists::remove_entry))
        .route("/lists/{list}/{key}/honours/{change}", post(lists::change_honour))
        .route("/stats", get(stats::clusters))
        .route("/stats/clusters/{id}", get(stats::cluster))
        .route("/stats/enterprises", get(stats::enterprises))
        .route("/tasks", get(tasks::show))
        .route("/tasks/save", post(tasks::save))
        .route("/tasks/upload", post(tasks::upload))
        .route("/tasks/upload/confirm", post(checks::confirm_upload))
        .route("/tasks/submit-all", post(tasks::submit_all))
        .route("/tasks/form.xlsx", get(tasks::blank_form))
        .route("/review", get(review::show).post(review::decide))
        .route("/progress", get(progress::show))
        .route("/progress/remind", post(progress::remind))
        .route("/notices", get(progress::notices))
        .route("/notices/read", post(progress::read_notices))
        .route("/compare", get(compare::show))
        .route("/method", get(method::show))
        .route("/audit", get(admin::audit))
        .route("/users", get(admin::users).post(admin::add_user))
        .route("/users/{username}/password", post(admin::reset_password))
        .route("/users/{username}/{change}", post(admin::change_user))
        .route("/password", get(admin::password).post(admin::change_password))
        .route("/warnings", get(warnings::centre))
        .route("/warnings/{id}", get(warnings::show))
        .route("/warnings/{id}/{step}", post(warnings::take_step))
        .route("/bulletins", get(warnings::bulletins))
        .route("/bulletins/{period}/{format}", get(warnings::bulletin))
        .route("/checks", get(checks::show))
        .route("/checks/rules", post(checks::save_rules))
        .route("/plan", get(|| async { axum::response::Redirect::to("/plan/versions") }))
        .route("/plan/versions", get(plan_versions::versions).post(plan_versions::load))
        .route("/plan/versions/diff", get(plan_versions::diff))
        .route("/plan/decomposition", get(planning::decomposition).post(planning::decompose))
        .route("/plan/windows", get(planning::windows).post(planning::set_windows))
        .route("/plan/reporting-units", get(planning::reporting_units).post(planning::assign_reporting_unit))
}

/// The query every page with a period selector takes.
#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    at: Option<String>,
    format: Option<String>,
}

impl PeriodQuery {
    fn wants_xlsx(&self) -> bool {
        self.format.as_deref() == Some("xlsx")
    }
}

/// An error shown in the page's language.
fn page_error(ui: &Ui, problem: impl Into<Problem>) -> PageError {
    PageError { problem: problem.into(), lang: ui.lang }
}

/// Errors of any layer as pages in the page's language.
trait OrPage<T> {
    fn or_page(self, ui: &Ui) -> Result<T, PageError>;
}

impl<T, E: Into<Problem>> OrPage<T> for Result<T, E> {
    fn or_page(self, ui: &Ui) -> Result<T, PageError> {
        self.map_err(|e| page_error(ui, e))
    }
}

pub fn chip(status: Status, lang: Lang) -> Chip {
    Chip { class: status_class(status), label: i18n::status_label(status, lang) }
}

/// Every status as a chip: the legend of the colours.
fn legend(lang: Lang) -> Vec<Chip> {
    Status::ALL.iter().map(|s| chip(*s, lang)).collect()
}

/// The months to choose from, `at` selected.
fn period_choices(state: &AppState, evaluated: &Evaluated, lang: Lang) -> Vec<Choice> {
    crate::service::selectable_months(state, &evaluated.input.plan)
        .into_iter()
        .map(|p| Choice { value: p.to_string(), label: i18n::period_label(p, lang), selected: p == evaluated.at })
        .collect()
}

/// A value with its unit in the unit that reads best, or a dash.
fn quantity(value: Option<f64>, target: &Target) -> String {
    value.map_or_else(|| "—".to_string(), |v| i18n::quantity(v, &target.unit))
}

/// The goal an evaluation measures against, as every table shows it: "2030年 160家".
fn goal_text(evaluation: &Evaluation, target: &Target, lang: Lang) -> String {
    i18n::goal_text(target, evaluation, lang)
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), i18n::percent)
}

/// When the latest value is from, marked where it is older than the period evaluated.
fn data_period_text(evaluation: &Evaluation, target: &Target, ui: &Ui) -> String {
    match evaluation.data_period {
        Some(p) if evaluation.stale => format!("{}({})", i18n::data_period_label(target, p, ui.lang), ui.w.stale),
        Some(p) => i18n::data_period_label(target, p, ui.lang),
        None => "—".to_string(),
    }
}

/// 目标进度 as a bar exactly as wide as the share printed beside it, against the 序时 marker.
fn progress_cell(evaluation: &Evaluation, ui: &Ui) -> Cell {
    let shown = i18n::progress_shown(evaluation, ui.lang);
    let text = shown.as_ref().map_or("—", |(_, text)| text.as_str());
    let tip = format!("{} {text} · {} {}", ui.w.progress, ui.w.expected, percent(evaluation.expected));
    let bar = chart::progress_bar(
        shown.as_ref().map(|(fill, _)| *fill),
        evaluation.expected,
        status_class(evaluation.status),
        &tip,
    );
    Cell::Progress { bar, shown: text.to_string(), value: evaluation.progress }
}

/// The columns every table of evaluated targets begins with (§3A.8: 目标进度, 序时进度 and 差距
/// on one scale), for the cells of [`target_cells`].
fn target_columns(w: &'static plan361_views::Words) -> [&'static str; 9] {
    [w.id, w.indicator, w.latest, w.data_period, w.target, w.progress, w.expected, w.lag, w.status]
}

/// An evaluated target's cells under [`target_columns`].
fn target_cells(row: &EvaluatedRow, evaluated: &Evaluated, ui: &Ui) -> Vec<Cell> {
    let target = evaluated.target(row);
    let e = &row.evaluation;
    vec![
        Cell::link(target.id.clone(), format!("/targets/{}", target.id)),
        Cell::link(target.indicator.clone(), format!("/targets/{}", target.id)),
        Cell::latest_value(e, target, ui.lang),
        Cell::text(data_period_text(e, target, ui)),
        Cell::text(goal_text(e, target, ui.lang)),
        progress_cell(e, ui),
        Cell::Percent(e.expected),
        Cell::Points(e.lag_pp),
        Cell::Status(e.status, i18n::status_label(e.status, ui.lang)),
    ]
}

/// One line per evaluated target: the tables of the cockpit and the project pages, with the
/// lead unit. The sentence is in the download only.
fn targets_table<'a>(
    sheet: &str,
    rows: impl Iterator<Item = &'a EvaluatedRow>,
    evaluated: &Evaluated,
    ui: &Ui,
) -> Table {
    let w = ui.w;
    let mut table = Table::new(sheet, &[&target_columns(w)[..], &[w.lead_unit, w.explanation]].concat());
    table.class = "targets";
    table.shown = Some(10);
    for row in rows {
        let mut cells = target_cells(row, evaluated, ui);
        cells.push(Cell::text(evaluated.target(row).lead.clone()));
        cells.push(Cell::text(evaluated.record(row, ui.lang).explanation));
        table.push(cells);
    }
    table
}

/// Where a district's goal comes from: decomposed by the plan office, the city's own (区县同标),
/// a share of the city's by the baseline, or none.
fn goal_source(evaluated: &Evaluated, row: &EvaluatedRow, w: &'static plan361_views::Words) -> &'static str {
    let target = evaluated.target(row);
    if evaluated.input.decompositions.contains(&TargetId::new(&target.id), &OrgUnitId::new(&row.org_unit)) {
        w.decomposed_goal
    } else if row.evaluation.has(plan361_core::eval::Note::NoGoal) {
        w.no_goal
    } else if target.district_goal == plan361_core::plan::DistrictGoal::Same {
        w.same_as_city
    } else {
        w.scaled_goal
    }
}

/// An instant as people in Ningbo read it: 2026-11-28 14:05.
fn datetime(epoch_ms: i64) -> String {
    const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;
    let date = plan361_core::calendar::Date::in_china(epoch_ms);
    let minutes = (epoch_ms + CHINA_OFFSET_MS).rem_euclid(86_400_000) / 60_000;
    format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
}
