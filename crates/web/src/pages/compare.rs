//! District comparison: for one target, the districts ranked by completion, each against its
//! own goal.

use axum::extract::{Query, State};
use axum::response::Response;
use plan361_core::i18n;
use plan361_core::org::OrgKind;
use plan361_views::chart::{self, Bar};
use plan361_views::pages::{Choice, ComparePage};
use plan361_views::table::{Cell, Table, status_class};
use serde::Deserialize;

use super::{OrPage, goal_text, page_error, period_choices, quantity};
use crate::auth::PageUser;
use crate::error::Problem;
use crate::evaluation::{Evaluated, EvaluatedRow};
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};
use crate::{AppState, service};

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    target: Option<String>,
    at: Option<String>,
    format: Option<String>,
}

/// The districts' rows of a target, best completion first; `None` for an unknown target.
pub fn ranked<'a>(evaluated: &'a Evaluated, target_id: &str) -> Option<Vec<&'a EvaluatedRow>> {
    evaluated.input.plan.target(target_id)?;
    let org_units = &evaluated.input.org_units;
    let mut rows: Vec<&EvaluatedRow> = evaluated
        .rows
        .iter()
        .filter(|r| evaluated.target(r).id == target_id)
        .filter(|r| org_units.get(&r.org_unit).is_some_and(|u| u.kind == OrgKind::District))
        .collect();
    rows.sort_by(|a, b| {
        b.evaluation
            .completion
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.evaluation.completion.unwrap_or(f64::NEG_INFINITY))
    });
    Some(rows)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Query(query): Query<CompareQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let lang = ui.lang;
    let at = service::period_or_default(&state, query.at.as_deref()).or_page(&ui)?;
    let evaluated = state.cache.evaluated(&state.store, at).await.or_page(&ui)?;
    let with_districts: Vec<&plan361_core::plan::Target> = evaluated
        .input
        .plan
        .targets
        .iter()
        .filter(|t| ranked(&evaluated, &t.id).is_some_and(|rows| !rows.is_empty()))
        .collect();
    let chosen = query.target.clone().or_else(|| with_districts.first().map(|t| t.id.clone())).unwrap_or_default();
    let target = evaluated
        .input
        .plan
        .target(&chosen)
        .ok_or_else(|| page_error(&ui, Problem::not_found(format!("no target \"{chosen}\" in the plan"))))?;
    let rows = ranked(&evaluated, &target.id).unwrap_or_default();
    let mut table =
        Table::new(w.compare, &[w.rank, w.org_unit, w.latest, w.target, w.completion, w.expected, w.status]);
    let mut bars = Vec::new();
    for (rank, row) in rows.iter().enumerate() {
        let e = &row.evaluation;
        table.push(vec![
            Cell::Number { shown: (rank + 1).to_string(), value: Some((rank + 1) as f64) },
            Cell::text(row.org_unit.clone()),
            Cell::Number { shown: quantity(e.value, target), value: e.value },
            Cell::text(goal_text(e, target, lang)),
            Cell::Percent(e.completion),
            Cell::Percent(e.expected),
            Cell::Status(e.status, i18n::status_label(e.status, lang)),
        ]);
        if let Some(value) = e.value {
            bars.push(Bar {
                label: row.org_unit.clone(),
                value,
                goal: e.target_value,
                value_label: quantity(e.value, target),
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
    let chart = chart::bar_chart(&bars, w.target);
    let content =
        render(&ComparePage { w, periods: &periods, targets: &targets, title: &title, chart: &chart, table: &table })
            .or_page(&ui)?;
    page(&state, &ui, &user, Section::Compare, w.compare, &content, true)
}
