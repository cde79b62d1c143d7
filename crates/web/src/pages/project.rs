//! A project (工程) and its tasks: each target with a progress bar against the 序时 marker,
//! its status and lead unit; a task's status is its worst target's.

use axum::extract::{Path, State};
use axum::response::Response;
use plan361_core::eval::Status;
use plan361_views::pages::{Choice, ProjectPage, TaskBlock};

use super::{OrPage, PeriodQuery, chip, page_error, period_choices, targets_table};
use crate::auth::PageUser;
use crate::error::Problem;
use crate::extract::PageQuery;
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};
use crate::{AppState, service};

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(number): Path<String>,
    PageQuery(query): PageQuery<PeriodQuery>,
) -> Result<Response, PageError> {
    let at = service::period_or_default(&state, query.at.as_deref()).or_page(&ui)?;
    let evaluated = state.cache.evaluated(&state.store, at).await.or_page(&ui)?;
    let plan = &evaluated.input.plan;
    let project = number
        .parse::<u32>()
        .ok()
        .and_then(|n| plan.project(n))
        .ok_or_else(|| page_error(&ui, Problem::not_found(format!("no project \"{number}\" in the plan"))))?;
    let tasks: Vec<TaskBlock> = plan
        .tasks_of(project.number)
        .map(|task| {
            let rows = || evaluated.city_rows().filter(|r| evaluated.target(r).task == task.id);
            let worst = Status::worst(rows().map(|r| r.evaluation.status)).unwrap_or(Status::NoData);
            TaskBlock {
                id: task.id.clone(),
                name: task.name.clone(),
                units: task.units.join("、"),
                status: chip(worst, ui.lang),
                table: targets_table(&task.id, rows(), &evaluated, &ui),
            }
        })
        .collect();
    if query.wants_xlsx() {
        let tables: Vec<_> = tasks.iter().map(|t| &t.table).collect();
        return xlsx_download(&project.name, &tables);
    }
    let projects: Vec<Choice> = plan
        .projects()
        .iter()
        .map(|p| Choice { value: p.number.to_string(), label: p.name.clone(), selected: p.number == project.number })
        .collect();
    let periods = period_choices(&state, &evaluated, ui.lang);
    let content =
        render(&ProjectPage { w: ui.w, periods: &periods, name: &project.name, projects: &projects, tasks: &tasks })
            .or_page(&ui)?;
    page(&state, &ui, &user, Section::Projects, &project.name, &content, true)
}
