//! The entries behind a counted target's value (drill-down): which entries of its list make up
//! the number the target page shows, for the city or a district, at the end of a period.

use axum::extract::{Path, State};
use axum::response::Response;
use plan361_core::i18n;
use plan361_views::pages::{CountedPage, Pill};
use plan361_views::table::{Cell, Table};
use serde::Deserialize;

use super::{OrPage, period_choices};
use crate::auth::PageUser;
use crate::extract::PageQuery;
use crate::lists::{self, entry_href};
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};
use crate::{AppState, service};

#[derive(Deserialize, Default)]
pub struct CountedQuery {
    at: Option<String>,
    org_unit: Option<String>,
    format: Option<String>,
}

/// The address of the entries behind a value.
pub fn entries_href(target_id: &str, at: impl std::fmt::Display, org_unit: &str) -> String {
    let query =
        serde_urlencoded::to_string([("at", at.to_string().as_str()), ("org_unit", org_unit)]).unwrap_or_default();
    format!("/targets/{target_id}/entries?{query}")
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<CountedQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let lang = ui.lang;
    let at = service::period_or_default(&state, query.at.as_deref()).or_page(&ui)?;
    let behind = lists::behind(&state, &id, at, query.org_unit.as_deref()).await.or_page(&ui)?;
    let target = &behind.plan.targets()[behind.target];
    let summed = target.count.as_ref().is_some_and(|rule| rule.sums_area());
    let key_label = w.field(plan361_files::lists::columns(behind.list)[0]);
    let mut columns = vec![key_label, w.name, w.district, w.counts_from, w.counts_until];
    if summed {
        columns.push(w.area_mu);
    }
    let mut table = Table::new(w.entries_counted, &columns);
    for entry in &behind.entries {
        let href = entry_href(behind.list, &entry.key);
        let mut row = vec![
            Cell::link(entry.key.clone(), href.clone()),
            Cell::link(entry.name.clone(), href),
            Cell::text(entry.district.clone()),
            Cell::text(entry.start.to_string()),
            Cell::text(entry.end.map_or_else(String::new, |d| d.to_string())),
        ];
        if summed {
            row.push(Cell::Number { shown: i18n::number(entry.weight, "亩"), value: Some(entry.weight) });
        }
        table.push(row);
    }
    let title = format!("{} {} · {}", target.id, target.indicator, w.entries_counted);
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(&format!("{title} {} {at}", behind.org_unit), &[&table]);
    }
    let units: Vec<Pill> = behind
        .units
        .iter()
        .map(|(unit, value)| Pill {
            href: entries_href(&target.id, at, unit),
            label: format!("{unit} {}", i18n::quantity(*value, &target.unit)),
            active: *unit == behind.org_unit,
        })
        .collect();
    let evaluated = state.cache.evaluated(&state.store, at).await.or_page(&ui)?;
    let periods = period_choices(&state, &evaluated, lang);
    let heading = format!(
        "{} · {}({}):{}",
        behind.org_unit,
        i18n::period_label(at, lang),
        behind.day,
        i18n::quantity(behind.value, &target.unit)
    );
    let rule = i18n::count_rule(target, behind.plan.meta().baseline_year, lang).unwrap_or_default();
    let content = render(&CountedPage {
        w,
        periods: &periods,
        org_unit: &behind.org_unit,
        units: &units,
        heading: &heading,
        rule: &rule,
        target_href: &format!("/targets/{}?at={at}", target.id),
        table: &table,
    })
    .or_page(&ui)?;
    page(&state, &ui, &user, Section::Projects, &title, &content, true)
}
