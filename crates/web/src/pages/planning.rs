//! The plan office's other pages: 目标分解 (a target's goals per district, with the sum check
//! against the city's goal), 填报窗口 (when values are due and periods lock) and 填报单位 (who
//! reports each target, and the units the plan office assigns to report a city value). Every
//! write is the store's `set_decomposition`, `set_windows` or `assign_reporting_unit`, as the
//! command line's `decompose`, `windows set` and `assign`. The plan office and administrators
//! only.

use plan361_core::org::OrgUnitId;
use plan361_core::plan::TargetId;
use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::access::ReportingAssignments;
use plan361_core::eval::decomposition_gaps;
use plan361_core::i18n;
use plan361_core::org::OrgKind;
use plan361_core::plan::{DistrictGoal, Frequency, Goal, Kind, Milestone, Plan, Target};
use plan361_store::{StoreError, Window, Windows};
use plan361_views::pages::Choice;
use plan361_views::planning::{
    DecompositionPage, DistrictLine, GoalInput, PlanningTab, ReportingUnitsPage, WindowLine, WindowsPage, YearSum,
};
use plan361_views::table::{Cell, Table};
use serde::Deserialize;

use super::plan_versions::require_planning;
use super::tasks::notice;
use super::{OrPage, datetime, page_error};
use crate::AppState;
use crate::auth::{PageUser, Signed};
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{PageError, Section, Ui, page, render, shown_again, xlsx_download};

/// Whether a target's goal is decomposed in numbers, as `plan361 decompose --goal` writes them:
/// a value per target year, or one every year.
fn decomposable(target: &Target) -> bool {
    target.kind != Kind::Direction && matches!(target.goal, Goal::Path(_) | Goal::EveryYear { .. })
}

/// The columns of a target's decomposition: its field name, label and the year it stands for
/// (none for a goal kept every year without a last year).
fn goal_columns(target: &Target, ui: &Ui) -> Vec<(String, String, Option<i32>)> {
    match &target.goal {
        Goal::Path(path) => path
            .iter()
            .map(|m| {
                (
                    format!("y{}", m.year),
                    i18n::dated_goal(Some(m.year), None, target.comparator, "", ui.lang),
                    Some(m.year),
                )
            })
            .collect(),
        Goal::EveryYear { until, .. } => {
            vec![("annual".to_string(), ui.w.decomposition_every_year.to_string(), *until)]
        }
        Goal::State { .. } => Vec::new(),
    }
}

/// A goal's value for a column.
fn value_for(goal: &Goal, column: &str) -> Option<f64> {
    match goal {
        Goal::Path(path) => path.iter().find(|m| format!("y{}", m.year) == column).map(|m| m.value),
        Goal::EveryYear { value, .. } => (column == "annual").then_some(*value),
        Goal::State { .. } => None,
    }
}

/// A difference with its sign: "+12.5", "-3", "0".
fn signed(value: f64, unit: &str) -> String {
    let shown = i18n::number(value, unit);
    if value > 0.0 && shown != "0" { format!("+{shown}") } else { shown }
}

/// The districts and zones a goal can be decomposed to: districts first.
fn territorial_units(org_units: &plan361_core::org::OrgUnits) -> Vec<String> {
    org_units.of_kind(OrgKind::District).chain(org_units.of_kind(OrgKind::Zone)).map(|u| u.name.clone()).collect()
}

#[derive(Deserialize, Default)]
pub struct DecompositionQuery {
    target: Option<String>,
    format: Option<String>,
    done: Option<String>,
}

/// A district's line as typed, refused, with the reason.
struct Refused<'a> {
    unit: &'a str,
    typed: &'a HashMap<String, String>,
    error: String,
}

async fn decomposition_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    query: &DecompositionQuery,
    refused: Option<Refused<'_>>,
) -> Result<Response, PageError> {
    let w = ui.w;
    require_planning(state, user, ui)?;
    let plan = state.store.current_plan().await.or_page(ui)?;
    let org_units = state.store.org_units().await.or_page(ui)?;
    let decompositions = state.store.decompositions().await.or_page(ui)?;
    let target = match query.target.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(id) => plan.target(id).ok_or_else(|| {
            page_error(ui, Problem::not_found(format!("target: 没有目标 {id} there is no target \"{id}\"")))
        })?,
        None => plan
            .targets()
            .iter()
            .find(|t| decomposable(t))
            .or(plan.targets().first())
            .ok_or_else(|| page_error(ui, Problem::not_found("target: 计划中没有目标 the plan has no targets")))?,
    };
    let columns = if decomposable(target) { goal_columns(target, ui) } else { Vec::new() };
    let units = territorial_units(&org_units);
    let mut table = Table::new(
        w.decomposition,
        &std::iter::once(w.org_unit).chain(columns.iter().map(|(_, label, _)| label.as_str())).collect::<Vec<_>>(),
    );
    let mut lines = Vec::new();
    for unit in &units {
        let stored = decompositions.get(&TargetId::new(&target.id), &OrgUnitId::new(unit));
        let typed = refused.as_ref().filter(|r| r.unit == unit);
        let inputs: Vec<GoalInput> = columns
            .iter()
            .map(|(name, label, _)| {
                let value = match typed {
                    Some(r) => r.typed.get(name).cloned().unwrap_or_default(),
                    None => stored.and_then(|g| value_for(g, name)).map_or_else(String::new, |v| v.to_string()),
                };
                GoalInput { name: name.clone(), label: label.clone(), value }
            })
            .collect();
        if stored.is_some() {
            let mut row = vec![Cell::text(unit.clone())];
            row.extend(columns.iter().map(|(name, _, _)| {
                let value = stored.and_then(|g| value_for(g, name));
                Cell::Number { shown: value.map_or_else(|| "—".into(), |v| i18n::number(v, &target.unit)), value }
            }));
            table.push(row);
        }
        lines.push(DistrictLine {
            unit: unit.clone(),
            form_id: format!("d-{}", lines.len()),
            source: if stored.is_some() { w.decomposition_set } else { w.decomposition_unset },
            decomposed: stored.is_some(),
            inputs,
            error: typed.map(|r| r.error.clone()).unwrap_or_default(),
        });
    }
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(&format!("{} {}", w.decomposition, target.id), &[&table]);
    }
    // The sum check is core's (`decomposition_gaps`, as `plan361 decompose` prints it): only for
    // targets shared out among the districts, once one has a goal; zones are inside districts.
    let districts: Vec<&Goal> = org_units
        .of_kind(OrgKind::District)
        .filter_map(|u| decompositions.get(&TargetId::new(&target.id), &OrgUnitId::new(&u.name)))
        .collect();
    let sums_apply = target.district_goal == DistrictGoal::Share && !districts.is_empty() && !columns.is_empty();
    let gaps = decomposition_gaps(&plan, &org_units, &decompositions);
    let sums: Vec<YearSum> = if sums_apply {
        columns
            .iter()
            .map(|(name, _, year)| {
                let total: f64 = districts.iter().filter_map(|g| value_for(g, name)).sum();
                let city = value_for(&target.goal, name).unwrap_or_default();
                let matches = !gaps.iter().any(|g| g.target_id == target.id && g.year == year.unwrap_or_default());
                YearSum {
                    total: i18n::number(total, &target.unit),
                    city: i18n::number(city, &target.unit),
                    gap: signed(total - city, &target.unit),
                    matches,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let note = if columns.is_empty() {
        w.decomposition_not_numeric
    } else if target.district_goal != DistrictGoal::Share {
        w.decomposition_no_sum
    } else {
        ""
    };
    let targets: Vec<Choice> = plan
        .targets()
        .iter()
        .map(|t| Choice {
            value: t.id.clone(),
            label: format!("{} {}", t.id, t.indicator),
            selected: t.id == target.id,
        })
        .collect();
    let heading = format!(
        "{} {}({}) · {} {}",
        target.id,
        target.indicator,
        target.unit,
        w.decomposition_city,
        super::plan_versions::goal_words(target, ui.lang)
    );
    let notice = notice(ui, query.done.as_deref(), None);
    let tabs = PlanningTab::Decomposition.tabs(w);
    // A refusal without a line to show it in (not a district or zone, or a target without
    // numbers to decompose) is shown above the table.
    let unlisted = refused
        .as_ref()
        .filter(|r| columns.is_empty() || !units.iter().any(|u| u == r.unit))
        .map(|r| format!("{}:{}", r.unit, r.error));
    let column_labels: Vec<String> = columns.iter().map(|(_, label, _)| label.clone()).collect();
    let content = render(&DecompositionPage {
        w,
        csrf: &user.csrf,
        tabs: &tabs,
        notice: notice.as_deref(),
        targets: &targets,
        target_id: &target.id,
        heading: &heading,
        columns: &column_labels,
        note,
        lines: &lines,
        error: unlisted.as_deref().unwrap_or_default(),
        sums: &sums,
    })
    .or_page(ui)?;
    let shown = page(state, ui, user, Section::Planning, w.decomposition, &content, true)?;
    Ok(shown_again(shown, refused.is_some()))
}

pub async fn decomposition(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<DecompositionQuery>,
) -> Result<Response, PageError> {
    decomposition_page(&state, &user, &ui, &query, None).await
}

/// The goal typed into a district's line: every column typed (as numbers are
/// typed: full-width digits, separators), at least one.
fn typed_goal(
    columns: &[(String, String, Option<i32>)],
    typed: &HashMap<String, String>,
    ui: &Ui,
) -> Result<Goal, String> {
    let mut path = Vec::new();
    let mut every_year = None;
    for (name, label, year) in columns {
        let text = typed.get(name).map(|t| t.trim()).unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let value = plan361_core::number::parse(text)
            .map_err(|e| format!("{label}:“{text}”{}({e})", ui.w.not_a_number_field))?;
        match (name.as_str(), year) {
            ("annual", until) => every_year = Some(Goal::EveryYear { value, until: *until }),
            (_, Some(year)) => path.push(Milestone { year: *year, value }),
            (_, None) => {}
        }
    }
    match every_year {
        Some(goal) => Ok(goal),
        None if !path.is_empty() => Ok(Goal::Path(path)),
        None => Err(ui.w.decomposition_empty.to_string()),
    }
}

/// Sets one district's goal for a target (the store's `set_decomposition`); a refusal is shown
/// in the district's line with what was typed (422).
pub async fn decompose(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(typed): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    require_planning(&state, &user, &ui)?;
    let field = |name: &str| typed.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    let (target_id, unit) = (field("target"), field("unit"));
    let plan = state.store.current_plan().await.or_page(&ui)?;
    let target = plan.target(&target_id).ok_or_else(|| {
        page_error(&ui, Problem::not_found(format!("target: 没有目标 {target_id} there is no target \"{target_id}\"")))
    })?;
    let query = DecompositionQuery { target: Some(target_id.clone()), ..DecompositionQuery::default() };
    let refuse = |error: String| Refused { unit: &unit, typed: &typed, error };
    let columns = goal_columns(target, &ui);
    let goal = match typed_goal(&columns, &typed, &ui) {
        Ok(goal) => goal,
        Err(error) => return decomposition_page(&state, &user, &ui, &query, Some(refuse(error))).await,
    };
    match state.store.set_decomposition(&user.actor, &target_id, &unit, &goal).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/plan/decomposition?target={}&done=saved",
            crate::render::percent_encoded(&target_id)
        ))
        .into_response()),
        Err(StoreError::Validation { reason, .. }) => {
            decomposition_page(&state, &user, &ui, &query, Some(refuse(reason))).await
        }
        Err(other) => Err(page_error(&ui, other)),
    }
}

/// The three kinds of period: the prefix of their fields, their label and frequency.
fn window_kinds(ui: &Ui) -> [(&'static str, &'static str, Frequency); 3] {
    let w = ui.w;
    [
        ("month", w.windows_month, Frequency::Month),
        ("quarter", w.windows_quarter, Frequency::Quarter),
        ("year", w.windows_year, Frequency::Year),
    ]
}

fn window_of(windows: &Windows, kind: &str) -> Window {
    match kind {
        "quarter" => windows.quarter,
        "year" => windows.year,
        _ => windows.month,
    }
}

async fn windows_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    done: Option<&str>,
    refused: Option<(&HashMap<String, String>, String)>,
) -> Result<Response, PageError> {
    let w = ui.w;
    require_planning(state, user, ui)?;
    let windows = state.store.windows().await.or_page(ui)?;
    let today = crate::service::current_month(state);
    let lines: Vec<WindowLine> = window_kinds(ui)
        .into_iter()
        .map(|(kind, label, frequency)| {
            // The example: the period of the kind under way, whose deadlines come next.
            let example = frequency.last_ended_by(today);
            let window = window_of(&windows, kind);
            let shown = |field: &str, stored: u8| match &refused {
                Some((typed, _)) => typed.get(&format!("{kind}_{field}")).cloned().unwrap_or_default(),
                None => stored.to_string(),
            };
            WindowLine {
                kind,
                label,
                months_after: shown("months_after", window.months_after),
                due_day: shown("due_day", window.due_day),
                lock_day: shown("lock_day", window.lock_day),
                example: w
                    .windows_example_text
                    .replace("{period}", &i18n::period_label(example, ui.lang))
                    .replace("{due}", &windows.due_date(example).to_string())
                    .replace("{lock}", &windows.lock_date(example).to_string()),
            }
        })
        .collect();
    let notice = notice(ui, done, None);
    let tabs = PlanningTab::Windows.tabs(w);
    let error = refused.as_ref().map(|(_, e)| e.as_str()).unwrap_or_default();
    let content =
        render(&WindowsPage { w, csrf: &user.csrf, tabs: &tabs, notice: notice.as_deref(), lines: &lines, error })
            .or_page(ui)?;
    let shown = page(state, ui, user, Section::Planning, w.windows, &content, false)?;
    Ok(shown_again(shown, refused.is_some()))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn windows(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<DoneQuery>,
) -> Result<Response, PageError> {
    windows_page(&state, &user, &ui, query.done.as_deref(), None).await
}

/// The windows typed into the form: every field a whole number of the right size.
fn typed_windows(typed: &HashMap<String, String>, ui: &Ui) -> Result<Windows, String> {
    let w = ui.w;
    let mut windows = Windows::default();
    for (kind, label, _) in window_kinds(ui) {
        let number = |field: &str, field_label: &str| {
            let text = typed.get(&format!("{kind}_{field}")).map(|t| t.trim()).unwrap_or_default();
            plan361_core::number::parse(text)
                .ok()
                .filter(|n| n.fract() == 0.0 && (0.0..=255.0).contains(n))
                .map(|n| n as u8)
                .ok_or_else(|| format!("{label} {field_label}:“{text}”{}", w.not_a_number_field))
        };
        let window = Window {
            months_after: number("months_after", w.windows_months_after)?,
            due_day: number("due_day", w.windows_due_day)?,
            lock_day: number("lock_day", w.windows_lock_day)?,
        };
        match kind {
            "quarter" => windows.quarter = window,
            "year" => windows.year = window,
            _ => windows.month = window,
        }
    }
    Ok(windows)
}

/// Sets the reporting windows (the store's `set_windows`, all three or none); a refusal shows
/// the form again as typed, with the reason (422).
pub async fn set_windows(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(typed): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    require_planning(&state, &user, &ui)?;
    let windows = match typed_windows(&typed, &ui) {
        Ok(windows) => windows,
        Err(error) => return windows_page(&state, &user, &ui, None, Some((&typed, error))).await,
    };
    match state.store.set_windows(&user.actor, windows).await {
        Ok(()) => Ok(Redirect::to("/plan/windows?done=saved").into_response()),
        Err(StoreError::Validation { reason, .. }) => {
            windows_page(&state, &user, &ui, None, Some((&typed, reason))).await
        }
        Err(other) => Err(page_error(&ui, other)),
    }
}

/// Who reports each target: its lead and co-units, the unit that reports its city value (the
/// lead, or the one the plan office assigned) and the districts it is decomposed to (theirs). The
/// plan file sets the lead and co-units; changing them is a new plan version.
fn reporting_table(
    plan: &Plan,
    decompositions: &plan361_core::eval::Decompositions,
    assignments: &ReportingAssignments,
    ui: &Ui,
) -> Table {
    let w = ui.w;
    let mut table = Table::new(
        w.reporting_units,
        &[w.id, w.indicator, w.lead_unit, w.co_units, w.reporting_city_unit, w.reporting_districts],
    );
    for target in plan.targets() {
        let districts = if target.is_derived() {
            w.reporting_derived.to_string()
        } else {
            let mut units: Vec<&str> =
                decompositions.of_target(&TargetId::new(&target.id)).map(|(unit, _)| unit.as_str()).collect();
            units.sort_unstable();
            if units.is_empty() { "—".to_string() } else { units.join("、") }
        };
        let city_reporter = match assignments.city_reporter(target) {
            _ if target.is_derived() => "—".to_string(),
            unit if unit == target.lead => unit.to_string(),
            unit => format!("{unit}({})", w.reporting_assigned),
        };
        table.push(vec![
            Cell::link(target.id.clone(), format!("/targets/{}", target.id)),
            Cell::text(target.indicator.clone()),
            Cell::text(target.lead.clone()),
            Cell::text(if target.co.is_empty() { "—".to_string() } else { target.co.join("、") }),
            Cell::text(city_reporter),
            if target.is_derived() {
                Cell::text(districts)
            } else {
                Cell::link(districts, format!("/plan/decomposition?target={}", target.id))
            },
        ]);
    }
    table
}

/// An assignment as typed into the form on the reporting-units page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    target_id: String,
    org_unit: String,
    reason: String,
}

async fn reporting_units_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    query: &DecompositionQuery,
    refused: Option<(&AssignForm, &str, &str)>,
) -> Result<Response, PageError> {
    let w = ui.w;
    require_planning(state, user, ui)?;
    let plan = state.store.current_plan().await.or_page(ui)?;
    let org_units = state.store.org_units().await.or_page(ui)?;
    let decompositions = state.store.decompositions().await.or_page(ui)?;
    let assignments = state.store.reporting_assignments().await.or_page(ui)?;
    let table = reporting_table(&plan, &decompositions, &assignments, ui);
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(w.reporting_units, &[&table]);
    }
    let typed = refused.map(|(form, _, _)| form);
    let targets: Vec<Choice> = plan
        .targets()
        .iter()
        .filter(|t| !t.is_derived())
        .map(|t| Choice {
            value: t.id.clone(),
            label: format!("{} {}", t.id, t.indicator),
            selected: typed.is_some_and(|f| f.target_id == t.id),
        })
        .collect();
    let units: Vec<Choice> = org_units
        .all()
        .iter()
        .filter(|u| u.kind == OrgKind::Department)
        .map(|u| Choice {
            value: u.name.clone(),
            label: u.name.clone(),
            selected: typed.is_some_and(|f| f.org_unit == u.name),
        })
        .collect();
    let mut history = Table::new(
        w.reporting_assign_history,
        &[w.target, w.reporting_assign_unit, w.reporting_assign_reason, w.by, w.when],
    );
    for a in state.store.reporting_assignment_history().await.or_page(ui)?.into_iter().rev() {
        let indicator = plan.target(&a.target_id).map_or("", |t| t.indicator.as_str());
        history.push(vec![
            Cell::link(format!("{} {indicator}", a.target_id), format!("/targets/{}", a.target_id)),
            Cell::text(a.org_unit),
            Cell::text(a.reason),
            Cell::text(a.assigned_by),
            Cell::text(datetime(a.assigned_at_ms)),
        ]);
    }
    let notice = notice(ui, query.done.as_deref(), None);
    let tabs = PlanningTab::ReportingUnits.tabs(w);
    let (error_field, error) = refused.map_or(("", ""), |(_, field, why)| (field, why));
    let content = render(&ReportingUnitsPage {
        w,
        csrf: &user.csrf,
        tabs: &tabs,
        notice: notice.as_deref(),
        table: &table,
        targets: &targets,
        units: &units,
        reason: typed.map_or("", |f| f.reason.as_str()),
        error_field,
        error,
        history: &history,
    })
    .or_page(ui)?;
    let shown = page(state, ui, user, Section::Planning, w.reporting_units, &content, true)?;
    Ok(shown_again(shown, refused.is_some()))
}

pub async fn reporting_units(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<DecompositionQuery>,
) -> Result<Response, PageError> {
    reporting_units_page(&state, &user, &ui, &query, None).await
}

/// Assigns a department to report a target's city value (the store's `assign_reporting_unit`,
/// as the command line's `assign`); a refusal is shown next to its field with what was typed
/// (422).
pub async fn assign_reporting_unit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(form): PageForm<AssignForm>,
) -> Result<Response, PageError> {
    require_planning(&state, &user, &ui)?;
    match state.store.assign_reporting_unit(&user.actor, &form.target_id, &form.org_unit, &form.reason).await {
        Ok(_) => Ok(Redirect::to("/plan/reporting-units?done=saved").into_response()),
        Err(StoreError::Validation { field, reason }) => {
            let query = DecompositionQuery::default();
            reporting_units_page(&state, &user, &ui, &query, Some((&form, field, &reason))).await
        }
        Err(other) => Err(page_error(&ui, other)),
    }
}
