//! District comparison: for one target, the districts ranked by 目标进度, each against its own
//! goal and its own 序时进度, on one scale.

use axum::extract::State;
use axum::response::Response;
use plan361_core::i18n;
use plan361_views::chart::{self, Bar};
use plan361_views::pages::{Choice, ComparePage};
use plan361_views::table::{Cell, Table, status_class};
use serde::Deserialize;

use super::{OrPage, data_period_text, goal_text, page_error, period_choices, progress_cell, quantity};
use crate::auth::PageUser;
use crate::error::Problem;
use crate::extract::PageQuery;
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};
use crate::{AppState, service};

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    target: Option<String>,
    at: Option<String>,
    format: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<CompareQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let lang = ui.lang;
    let at = service::period_or_default(&state, query.at.as_deref()).or_page(&ui)?;
    let evaluated = state.cache.evaluated(&state.store, at).await.or_page(&ui)?;
    let with_districts: Vec<&plan361_core::plan::Target> = evaluated
        .input
        .plan
        .targets()
        .iter()
        .filter(|t| evaluated.ranked_districts(&t.id).is_some_and(|rows| !rows.is_empty()))
        .collect();
    let chosen = query.target.clone().or_else(|| with_districts.first().map(|t| t.id.clone())).unwrap_or_default();
    let target = evaluated
        .input
        .plan
        .target(&chosen)
        .ok_or_else(|| page_error(&ui, Problem::not_found(format!("no target \"{chosen}\" in the plan"))))?;
    let rows = evaluated.ranked_districts(&target.id).unwrap_or_default();
    let mut table = Table::new(
        w.compare,
        &[w.rank, w.org_unit, w.latest, w.data_period, w.target, w.progress, w.expected, w.lag, w.status],
    );
    table.class = "compare";
    let mut bars = Vec::new();
    for (rank, row) in rows.iter().enumerate() {
        let e = &row.evaluation;
        table.push(vec![
            Cell::Number { shown: (rank + 1).to_string(), value: Some((rank + 1) as f64) },
            Cell::text(row.org_unit.clone()),
            Cell::latest_value(e, target, lang),
            Cell::text(data_period_text(e, target, &ui)),
            Cell::text(goal_text(e, target, lang)),
            progress_cell(e, &ui),
            Cell::Percent(e.expected),
            Cell::Points(e.lag_pp),
            Cell::Status(e.status, i18n::status_label(e.status, lang)),
        ]);
        if let Some((fill, shown)) = i18n::progress_shown(e, lang) {
            bars.push(Bar {
                label: row.org_unit.clone(),
                value: fill,
                goal: e.expected,
                value_label: shown,
                status_class: status_class(e.status),
                tip: format!(
                    "{} {} · {} {}",
                    row.org_unit,
                    quantity(e.value, target),
                    w.target,
                    goal_text(e, target, lang)
                ),
            });
        }
    }
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(&format!("{}-{}", w.compare, target.id), &[&table]);
    }
    let targets: Vec<Choice> = with_districts
        .iter()
        .map(|t| Choice {
            value: t.id.clone(),
            label: format!("{} {}", t.id, t.indicator),
            selected: t.id == target.id,
        })
        .collect();
    let periods = period_choices(&state, &evaluated, lang);
    let title = format!("{} {} · {}", target.id, target.indicator, i18n::period_label(at, lang));
    let chart = chart::bar_chart(&bars, 1.0, w.expected);
    let content =
        render(&ComparePage { w, periods: &periods, targets: &targets, title: &title, chart: &chart, table: &table })
            .or_page(&ui)?;
    page(&state, &ui, &user, Section::Compare, w.compare, &content, true)
}
