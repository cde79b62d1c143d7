//! The four lists (四张清单): a page per list with filters, search, paging and its Excel
//! download; a page per entry with its fields, honours and history; and, for those allowed to
//! manage an entry's district, the forms that add, change and remove entries and grant or
//! revoke honours. Every change goes through the store, which checks it, asks the permission
//! rules and writes the audit log.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::calendar::Date;
use plan361_core::i18n::Labelled;
use plan361_core::i18n::{self, Lang};
use plan361_core::org::OrgKind;
use plan361_core::registry::select::{Filter, Paging, distinct};
use plan361_core::registry::{
    Enterprise, Entity, HONOURS, Honour, ListKind, MajorProject, PARK_KINDS, PLATFORM_LEVELS, PROJECT_CATEGORIES, Park,
    Platform, ProjectStage,
};
use plan361_files::lists as files;
use plan361_files::xlsx::Cell as FileCell;
use plan361_store::{ListVersion, StoreError};
use plan361_views::Words;
use plan361_views::pages::{
    Choice, EntryForm, EntryPage, Fact, FilterSelect, FormField, HonourLine, Input, ListsPage, Pager, Pill,
};
use plan361_views::table::{Cell, Table};
use serde::Deserialize;

use super::tasks::notice;
use super::{OrPage, datetime, page_error};
use crate::AppState;
use crate::auth::{PageUser, Signed};
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::lists::{self, Found, Listing, entry_href, entry_problem, list_kind, may_manage};
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};

/// Rows per page: a page of the 12,000 enterprises renders in a few milliseconds.
const PER_PAGE: usize = 50;

/// The honour columns of an enterprise's file row: honours are granted one by one, not typed
/// into the entry's form.
const HONOUR_COLUMNS: [&str; 5] = ["honour", "level", "granted", "revoked", "note"];

#[derive(Deserialize, Default)]
pub struct ListPageQuery {
    page: Option<String>,
    format: Option<String>,
}

/// The four lists as links, `list` current.
fn list_pills(list: ListKind, lang: Lang) -> Vec<Pill> {
    ListKind::ALL
        .iter()
        .map(|k| Pill { href: format!("/lists/{}", k.code()), label: k.label(lang).to_string(), active: *k == list })
        .collect()
}

fn choices(values: impl IntoIterator<Item = (String, String)>, selected: Option<&str>) -> Vec<Choice> {
    values
        .into_iter()
        .map(|(value, label)| Choice { selected: selected == Some(value.as_str()), value, label })
        .collect()
}

fn same<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    values.into_iter().map(|v| (v.to_string(), v.to_string())).collect()
}

/// Every level any honour comes in, in the order the honours table names them.
fn honour_levels() -> Vec<&'static str> {
    let mut levels: Vec<&str> = Vec::new();
    for level in HONOURS.iter().flat_map(|(_, levels)| levels.iter()) {
        if !levels.contains(level) {
            levels.push(level);
        }
    }
    levels
}

fn territorial(org_units: &plan361_core::org::OrgUnits) -> Vec<(String, String)> {
    org_units
        .all()
        .iter()
        .filter(|u| matches!(u.kind, OrgKind::District | OrgKind::Zone))
        .map(|u| (u.name.clone(), u.name.clone()))
        .collect()
}

fn cluster_choices(listing: &Listing) -> Vec<(String, String)> {
    listing.catalog.clusters.iter().map(|c| (c.id.clone(), c.name.clone())).collect()
}

/// The filters a list offers, with what is chosen.
fn filters(
    list: ListKind,
    listing: &Listing,
    filter: &Filter,
    org_units: &plan361_core::org::OrgUnits,
    ui: &Ui,
) -> Vec<FilterSelect> {
    let w = ui.w;
    let mut selects = vec![
        FilterSelect {
            name: "district",
            label: w.district,
            choices: choices(territorial(org_units), filter.district()),
        },
        FilterSelect {
            name: "cluster",
            label: w.cluster,
            choices: choices(cluster_choices(listing), filter.cluster()),
        },
    ];
    let r = &listing.registry;
    let mut add = |name: &'static str, label: &'static str, values: Vec<(String, String)>, chosen: Option<&str>| {
        selects.push(FilterSelect { name, label, choices: choices(values, chosen) });
    };
    match list {
        ListKind::Enterprises => {
            add("honour", w.honour, same(HONOURS.iter().map(|(name, _)| *name)), filter.honour());
            add("level", w.level, same(honour_levels()), filter.level());
        }
        ListKind::Projects => {
            let stages = ProjectStage::ALL.map(|s| (s.code().to_string(), s.label(ui.lang).to_string())).into();
            add("stage", w.current_stage, stages, filter.stage());
        }
        ListKind::Parks => {
            add("kind", w.entry_kind, same(PARK_KINDS), filter.kind());
            add("level", w.level, same(distinct(&r.parks, |p| p.level.as_str())), filter.level());
        }
        ListKind::Platforms => {
            add("level", w.level, same(PLATFORM_LEVELS), filter.level());
            add("kind", w.entry_kind, same(distinct(&r.platforms, |p| p.kind.as_str())), filter.kind());
        }
    }
    selects
}

fn date_text(date: Option<Date>) -> String {
    date.map_or_else(String::new, |d| d.to_string())
}

/// An entry's key and name, both linking to its page.
fn identity(list: ListKind, key: &str, name: &str) -> [Cell; 2] {
    let href = entry_href(list, key);
    [Cell::link(key, href.clone()), Cell::link(name, href)]
}

fn number(value: f64, unit: &str) -> Cell {
    Cell::Number { shown: i18n::number(value, unit), value: Some(value) }
}

/// The honours an enterprise holds on `day`: "制造业单项冠军(国家级)、高新技术企业".
fn held_honours(e: &Enterprise, day: Date) -> String {
    e.honours
        .iter()
        .filter(|h| h.held_on(day))
        .map(|h| if h.level.is_empty() { h.kind.clone() } else { format!("{}({})", h.kind, h.level) })
        .collect::<Vec<_>>()
        .join("、")
}

fn cluster_names(e: &Enterprise, listing: &Listing) -> String {
    e.clusters(&listing.catalog).into_iter().map(|id| listing.cluster_name(id)).collect::<Vec<_>>().join("、")
}

/// The table of what a filter found: every entry (a download) or one page.
fn found_table(found: &Found, paging: Option<&Paging>, listing: &Listing, ui: &Ui, list: ListKind) -> Table {
    let w = ui.w;
    let sheet = list.label(ui.lang);
    fn rows<T>(found: &[&T], paging: Option<&Paging>, table: &mut Table, row: impl Fn(&T) -> Vec<Cell>) {
        let shown = paging.map_or(found, |p| p.slice(found));
        for entry in shown {
            table.push(row(entry));
        }
    }
    let day = listing.today;
    match found {
        Found::Enterprises(found) => {
            let mut table = Table::new(
                sheet,
                &[w.credit_code, w.name, w.district, w.industry, w.clusters, w.honours, w.above_scale],
            );
            rows(found, paging, &mut table, |e: &Enterprise| {
                let industry = plan361_core::registry::IndustryCodes::builtin()
                    .get(&e.industry)
                    .map_or_else(String::new, |c| c.name.clone());
                let [key, name] = identity(list, &e.credit_code, &e.name);
                vec![
                    key,
                    name,
                    Cell::text(e.district.clone()),
                    Cell::text(format!("{} {industry}", e.industry)),
                    Cell::text(cluster_names(e, listing)),
                    Cell::text(held_honours(e, day)),
                    Cell::text(e.above_scale.iter().max().map_or_else(String::new, i32::to_string)),
                ]
            });
            table
        }
        Found::Projects(found) => {
            let mut table = Table::new(
                sheet,
                &[w.code, w.name, w.district, w.cluster, w.category, w.investment, w.current_stage, w.stage_dates],
            );
            rows(found, paging, &mut table, |p: &MajorProject| {
                let [key, name] = identity(list, &p.code, &p.name);
                let stage = p.stage_on(day);
                vec![
                    key,
                    name,
                    Cell::text(p.district.clone()),
                    Cell::text(listing.cluster_name(&p.cluster)),
                    Cell::text(p.category.clone()),
                    number(p.investment, "亿元"),
                    Cell::text(stage.map_or("", |s| s.label(ui.lang))),
                    Cell::text(date_text(stage.and_then(|s| p.stage(s)))),
                ]
            });
            table
        }
        Found::Parks(found) => {
            let mut table = Table::new(
                sheet,
                &[w.code, w.name, w.entry_kind, w.level, w.district, w.area_mu, w.leading_cluster, w.established],
            );
            rows(found, paging, &mut table, |p: &Park| {
                let [key, name] = identity(list, &p.code, &p.name);
                vec![
                    key,
                    name,
                    Cell::text(p.kind.clone()),
                    Cell::text(p.level.clone()),
                    Cell::text(p.district.clone()),
                    number(p.area_mu, "亩"),
                    Cell::text(listing.cluster_name(&p.leading_cluster)),
                    Cell::text(date_text(p.established)),
                ]
            });
            table
        }
        Found::Platforms(found) => {
            let mut table = Table::new(
                sheet,
                &[w.code, w.name, w.level, w.entry_kind, w.host, w.cluster, w.district, w.recognized, w.revoked_on],
            );
            rows(found, paging, &mut table, |p: &Platform| {
                let [key, name] = identity(list, &p.code, &p.name);
                vec![
                    key,
                    name,
                    Cell::text(p.level.clone()),
                    Cell::text(p.kind.clone()),
                    Cell::text(p.host.clone()),
                    Cell::text(listing.cluster_name(&p.cluster)),
                    Cell::text(p.district.clone()),
                    Cell::text(p.recognized.to_string()),
                    Cell::text(date_text(p.revoked)),
                ]
            });
            table
        }
    }
}

/// A list: its filters, what they find, a page at a time.
pub async fn show_list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(code): Path<String>,
    PageQuery(filter): PageQuery<Filter>,
    PageQuery(page_query): PageQuery<ListPageQuery>,
) -> Result<Response, PageError> {
    let list = list_kind(&code).or_page(&ui)?;
    let listing = lists::listing(&state).await.or_page(&ui)?;
    let found = listing.find(list, &filter).or_page(&ui)?;
    let label = list.label(ui.lang);
    if page_query.format.as_deref() == Some("xlsx") {
        let table = found_table(&found, None, &listing, &ui, list);
        return xlsx_download(&format!("{label}-{}", listing.today), &[&table]);
    }
    let asked = page_query.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1);
    let paging = Paging::new(asked, PER_PAGE, found.len());
    let table = found_table(&found, Some(&paging), &listing, &ui, list);
    let pager = Pager {
        page: paging.page,
        pages: paging.pages(),
        previous: (paging.page > 1).then(|| ui.set("page", &(paging.page - 1).to_string())),
        next: (paging.page < paging.pages()).then(|| ui.set("page", &(paging.page + 1).to_string())),
    };
    let org_units = state.store.org_units().await.or_page(&ui)?;
    let filters = filters(list, &listing, &filter, &org_units, &ui);
    let may_add = !lists::manageable_districts(&state, &user.actor, &org_units).is_empty();
    let add_href = format!("/lists/{}/new", list.code());
    let w = ui.w;
    let content = render(&ListsPage {
        w,
        lists: &list_pills(list, ui.lang),
        list: list.code(),
        filters: &filters,
        search: filter.search().unwrap_or_default(),
        search_hint: if list == ListKind::Enterprises { w.search_hint_enterprise } else { w.search_hint },
        clear_href: &format!("/lists/{}", list.code()),
        total: found.len(),
        table: &table,
        pager: &pager,
        add_href: may_add.then_some(add_href.as_str()),
    })
    .or_page(&ui)?;
    page(&state, &ui, &user, Section::Lists, &format!("{} · {label}", w.lists), &content, true)
}

/// Items as a page lists them: "2025-04-01 300亩、2026-04-01 200亩".
fn enumerated<T>(items: &[T], item: impl Fn(&T) -> String) -> String {
    items.iter().map(item).collect::<Vec<_>>().join("、")
}

/// The facts of an entry's page: its key, name and district, then those of its list.
fn facts(entity: &Entity, listing: &Listing, ui: &Ui) -> Vec<Fact> {
    let w = ui.w;
    let fact =
        |label: &'static str, value: String| Fact { label, value: if value.is_empty() { "—".into() } else { value } };
    let cluster = |id: &str| listing.cluster_name(id).to_string();
    let mut facts = vec![
        fact(w.field(key_column(entity.list())), entity.key().to_string()),
        fact(w.name, entity.name().to_string()),
        fact(w.district, entity.district().to_string()),
    ];
    facts.extend(match entity {
        Entity::Enterprise(e) => {
            let industry = plan361_core::registry::IndustryCodes::builtin()
                .get(&e.industry)
                .map_or_else(String::new, |c| c.name.clone());
            let how = match &e.cluster_override {
                Some(o) => format!("{}:{}", w.set_by_hand, o.reason),
                None => w.by_industry.to_string(),
            };
            let clusters = cluster_names(e, listing);
            vec![
                fact(w.industry, format!("{} {industry}", e.industry)),
                fact(w.clusters, if clusters.is_empty() { String::new() } else { format!("{clusters}({how})") }),
                fact(w.catalog_version, listing.catalog.version.clone()),
                fact(w.above_scale, enumerated(&e.above_scale, i32::to_string)),
            ]
        }
        Entity::Project(p) => {
            let stages: Vec<String> = ProjectStage::ALL
                .into_iter()
                .filter_map(|stage| Some(format!("{} {}", stage.label(ui.lang), p.stage(stage)?)))
                .collect();
            let stage = p.stage_on(listing.today).map_or("", |s| s.label(ui.lang)).to_string();
            vec![
                fact(w.owner, p.owner.clone()),
                fact(w.cluster, cluster(&p.cluster)),
                fact(w.category, [p.category.as_str(), p.origin.as_str()].join(" ").trim().to_string()),
                fact(w.investment, i18n::quantity(p.investment, "亿元")),
                fact(w.current_stage, stage),
                fact(w.stage_dates, stages.join(" · ")),
                fact(
                    w.invested,
                    enumerated(&p.invested, |(period, v)| format!("{period} {}", i18n::quantity(*v, "亿元"))),
                ),
            ]
        }
        Entity::Park(p) => vec![
            fact(w.entry_kind, p.kind.clone()),
            fact(w.level, p.level.clone()),
            fact(w.area_mu, i18n::quantity(p.area_mu, "亩")),
            fact(w.leading_cluster, cluster(&p.leading_cluster)),
            fact(w.established, date_text(p.established)),
            fact(w.renovations, enumerated(&p.renovations, |r| format!("{} {}", r.date, i18n::quantity(r.mu, "亩")))),
        ],
        Entity::Platform(p) => vec![
            fact(w.level, p.level.clone()),
            fact(w.entry_kind, p.kind.clone()),
            fact(w.host, p.host.clone()),
            fact(w.cluster, cluster(&p.cluster)),
            fact(w.recognized, p.recognized.to_string()),
            fact(w.revoked_on, date_text(p.revoked)),
        ],
    });
    facts
}

/// Every version of an entry: when, who, what changed and why.
fn history_table(history: &[ListVersion], w: &'static Words) -> Table {
    let mut table = Table::new(w.list_history, &[w.revision, w.when, w.by, w.action, w.changed, w.reason]);
    let mut previous: Option<&Entity> = None;
    for version in history {
        let (action, changed) = match (&version.entity, previous) {
            (None, _) => (w.removed, String::new()),
            (Some(_), None) => (w.added, String::new()),
            (Some(now), Some(before)) => {
                let fields: Vec<&str> =
                    Entity::changed_fields(Some(before), Some(now)).iter().map(|f| w.field(f)).collect();
                (w.edit, fields.join("、"))
            }
        };
        table.push(vec![
            Cell::Number { shown: format!("v{}", version.version), value: Some(version.version as f64) },
            Cell::text(datetime(version.recorded_at_ms)),
            Cell::text(version.recorded_by.clone()),
            Cell::text(action),
            Cell::text(changed),
            Cell::text(version.reason.clone()),
        ]);
        previous = version.entity.as_ref().or(previous);
    }
    table
}

#[derive(Deserialize, Default)]
pub struct EntryQuery {
    done: Option<String>,
    format: Option<String>,
}

/// What the last change on an entry's page came to: a refusal shown at its form.
#[derive(Default)]
struct Outcome<'a> {
    notice: Option<String>,
    error: Option<String>,
    error_at: &'a str,
}

pub async fn show_entry(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path((code, key)): Path<(String, String)>,
    PageQuery(query): PageQuery<EntryQuery>,
) -> Result<Response, PageError> {
    let list = list_kind(&code).or_page(&ui)?;
    let outcome = Outcome { notice: notice(&ui, query.done.as_deref(), None), ..Outcome::default() };
    entry_page(&state, &user, &ui, list, &key, outcome, query.format.as_deref() == Some("xlsx")).await
}

async fn entry_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    list: ListKind,
    key: &str,
    outcome: Outcome<'_>,
    xlsx: bool,
) -> Result<Response, PageError> {
    let w = ui.w;
    let history = state.store.entry_history(list, key).await.or_page(ui)?;
    let Some(last) = history.last() else {
        return Err(page_error(ui, Problem::not_found(format!("no entry \"{key}\" in the {} list", list.code()))));
    };
    let listing = lists::listing(state).await.or_page(ui)?;
    let history_table = history_table(&history, w);
    let entity = last.entity.as_ref();
    let honours: Option<Vec<HonourLine>> = match entity {
        Some(Entity::Enterprise(e)) => Some(
            e.honours
                .iter()
                .map(|h| HonourLine {
                    kind: h.kind.clone(),
                    level: h.level.clone(),
                    granted: h.granted.to_string(),
                    revoked: date_text(h.revoked),
                    note: h.note.clone(),
                    held: h.held_on(listing.today),
                })
                .collect(),
        ),
        _ => None,
    };
    let label = list.label(ui.lang);
    let name = entity.map_or(key, Entity::name);
    if xlsx {
        let mut honour_table = Table::new(w.honours, &[w.honour, w.level, w.granted, w.revoked_on, w.note]);
        for h in honours.iter().flatten() {
            let cells = [&h.kind, &h.level, &h.granted, &h.revoked, &h.note];
            honour_table.push(cells.into_iter().map(|c| Cell::text(c.clone())).collect());
        }
        return xlsx_download(&format!("{label}-{name}"), &[&honour_table, &history_table]);
    }
    let facts = entity.map(|e| facts(e, &listing, ui)).unwrap_or_default();
    let honour_kinds = choices(same(HONOURS.iter().map(|(name, _)| *name)), None);
    let honour_levels = choices(same(honour_levels()), None);
    let href = entry_href(list, key);
    let today = listing.today.to_string();
    let content = render(&EntryPage {
        w,
        csrf: &user.csrf,
        list_label: label,
        list_href: &format!("/lists/{}", list.code()),
        href: &href,
        removed: entity.is_none(),
        facts: &facts,
        honours: honours.as_deref(),
        honour_kinds: &honour_kinds,
        honour_levels: &honour_levels,
        today: &today,
        editable: entity.is_some_and(|e| may_manage(state, &user.actor, e)),
        notice: outcome.notice.as_deref(),
        error: outcome.error.as_deref(),
        error_at: outcome.error_at,
        history: &history_table,
    })
    .or_page(ui)?;
    let mut response = page(state, ui, user, Section::Lists, &format!("{label} · {name}"), &content, true)?;
    if outcome.error.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The columns an entry's form edits: its file's, less an enterprise's honours.
fn form_columns(list: ListKind) -> Vec<&'static str> {
    files::columns(list)
        .iter()
        .copied()
        .filter(|c| list != ListKind::Enterprises || !HONOUR_COLUMNS.contains(c))
        .collect()
}

/// The column an entry's key is in.
fn key_column(list: ListKind) -> &'static str {
    files::columns(list)[0]
}

/// An entry's values by column, as its file writes them.
fn values_of(entity: &Entity) -> Vec<(String, String)> {
    let columns = files::columns(entity.list());
    let row = files::rows(std::slice::from_ref(entity)).into_iter().next().unwrap_or_default();
    columns
        .iter()
        .zip(row)
        .map(|(column, cell)| {
            let text = match cell {
                FileCell::Text(text) => text,
                FileCell::Number(n) => n.to_string(),
                _ => String::new(),
            };
            (column.to_string(), text)
        })
        .collect()
}

/// The fields of an entry's form, filled with `values`, each with its problem.
fn form_fields(
    list: ListKind,
    values: &[(String, String)],
    problems: &[(String, String)],
    new: bool,
    districts: &[String],
    listing: &Listing,
    w: &'static Words,
) -> Vec<FormField> {
    let value = |column: &str| values.iter().find(|(c, _)| c == column).map(|(_, v)| v.clone()).unwrap_or_default();
    form_columns(list)
        .into_iter()
        .map(|column| {
            let select = |options: Vec<(String, String)>| Input::Select(choices(options, None));
            let input = match (list, column) {
                (_, "district") => select(same(districts.iter().map(String::as_str))),
                (_, "cluster" | "leading_cluster") => select(cluster_choices(listing)),
                (ListKind::Projects, "category") => select(same(PROJECT_CATEGORIES)),
                (ListKind::Projects, "origin") => select(same(["国内", "外资"])),
                (ListKind::Parks, "kind") => select(same(PARK_KINDS)),
                (ListKind::Platforms, "level") => select(same(PLATFORM_LEVELS)),
                (_, c) if c == key_column(list) && !new => Input::Fixed,
                (_, "signed" | "landed" | "started" | "completed" | "established" | "recognized" | "revoked") => {
                    Input::Date
                }
                (_, "investment" | "area_mu") => Input::Number,
                _ => Input::Text,
            };
            let hint = match column {
                "industry" => w.industry_hint,
                "above_scale" => w.years_hint,
                "clusters" => w.clusters_hint,
                "invested" => w.invested_hint,
                "renovations" => w.renovations_hint,
                _ => "",
            };
            let required = matches!(
                column,
                "credit_code" | "code" | "name" | "district" | "industry" | "category" | "kind" | "recognized"
            ) || (list == ListKind::Platforms && column == "level");
            let errors: Vec<&str> = problems.iter().filter(|(c, _)| c == column).map(|(_, r)| r.as_str()).collect();
            FormField {
                name: column,
                label: w.field(column),
                value: value(column),
                input,
                hint,
                required,
                error: (!errors.is_empty()).then(|| errors.join(";")),
            }
        })
        .collect()
}

/// Whether a form adds an entry or changes one, and the version a change is made from.
#[derive(Clone, Copy)]
enum FormMode {
    New,
    Edit { version: i64 },
}

/// An entry's form, refused (`problems` by field) or fresh.
#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    list: ListKind,
    mode: FormMode,
    values: &[(String, String)],
    reason: &str,
    problems: &[(String, String)],
) -> Result<Response, PageError> {
    let w = ui.w;
    let (new, version) = match mode {
        FormMode::New => (true, None),
        FormMode::Edit { version } => (false, Some(version)),
    };
    let listing = lists::listing(state).await.or_page(ui)?;
    let org_units = state.store.org_units().await.or_page(ui)?;
    let districts = lists::manageable_districts(state, &user.actor, &org_units);
    if districts.is_empty() {
        return Err(page_error(ui, Problem::forbidden(format!("{} may not manage list entries", user.actor.username))));
    }
    let fields = form_fields(list, values, problems, new, &districts, &listing, w);
    let columns = form_columns(list);
    let errors: Vec<String> = problems
        .iter()
        .filter(|(c, _)| !columns.contains(&c.as_str()) && c != "reason")
        .map(|(c, r)| if c.is_empty() { r.clone() } else { format!("{}: {r}", w.field(c)) })
        .collect();
    let reason_error: Vec<&str> = problems.iter().filter(|(c, _)| c == "reason").map(|(_, r)| r.as_str()).collect();
    let reason_error = (!reason_error.is_empty()).then(|| reason_error.join(";"));
    let key = values.iter().find(|(c, _)| c == key_column(list)).map(|(_, v)| v.as_str()).unwrap_or_default();
    let cancel = if new { format!("/lists/{}", list.code()) } else { entry_href(list, key) };
    let content = render(&EntryForm {
        w,
        csrf: &user.csrf,
        action: &format!("/lists/{}", list.code()),
        new,
        version,
        fields: &fields,
        reason,
        reason_error: reason_error.as_deref(),
        errors: &errors,
        failed: !problems.is_empty(),
        cancel_href: &cancel,
    })
    .or_page(ui)?;
    let label = list.label(ui.lang);
    let title = if new { format!("{label} · {}", w.add_entry) } else { format!("{label} · {} {key}", w.edit) };
    let mut response = page(state, ui, user, Section::Lists, &title, &content, false)?;
    if !problems.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

pub async fn new_entry(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let list = list_kind(&code).or_page(&ui)?;
    // A district's user adds entries of its own district.
    let values = vec![("district".to_string(), user.actor.org_unit.clone())];
    form_page(&state, &user, &ui, list, FormMode::New, &values, "", &[]).await
}

pub async fn edit_entry(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path((code, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let list = list_kind(&code).or_page(&ui)?;
    let entry = state.store.entry_versioned(list, &key).await.or_page(&ui)?;
    let (version, entity) =
        entry.ok_or_else(|| page_error(&ui, Problem::not_found(format!("no entry \"{key}\" in the {code} list"))))?;
    if !may_manage(&state, &user.actor, &entity) {
        let why = format!("{} may not manage entries of {}", user.actor.org_unit, entity.district());
        return Err(page_error(&ui, Problem::forbidden(why)));
    }
    form_page(&state, &user, &ui, list, FormMode::Edit { version }, &values_of(&entity), "", &[]).await
}

/// Problems by field, from the store's refusal.
fn field_problems(list: ListKind, error: StoreError) -> Result<Vec<(String, String)>, Problem> {
    match error {
        StoreError::Rejected(problems) => Ok(problems
            .problems
            .into_iter()
            .map(|p| {
                // The core names a missing key `code` whatever the list calls it.
                let column = match p.column.as_deref() {
                    Some("code") => key_column(list).to_string(),
                    Some(column) => column.to_string(),
                    None => String::new(),
                };
                (column, p.reason)
            })
            .collect()),
        // Shown above the form: the entry changed since it was loaded.
        conflict @ StoreError::EntryConflict { .. } => Ok(vec![(String::new(), conflict.to_string())]),
        other => Err(other.into()),
    }
}

/// Adds or changes an entry from its form.
pub async fn save_entry(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(code): Path<String>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let list = list_kind(&code).or_page(&ui)?;
    let field =
        |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    // A change names the version it was made from; a missing or garbled one is refused as a
    // conflict rather than taken as "whatever is there now".
    let mode = if field("_new") == "1" {
        FormMode::New
    } else {
        FormMode::Edit { version: field("_version").parse().unwrap_or(0) }
    };
    let new = matches!(mode, FormMode::New);
    let reason = field("reason");
    let columns = form_columns(list);
    let values: Vec<(String, String)> = pairs.iter().filter(|(k, _)| columns.contains(&k.as_str())).cloned().collect();
    let mut entity = match files::read_fields(list, &values) {
        Ok(entity) => entity,
        Err(problems) => {
            let problems: Vec<(String, String)> = problems.into_iter().map(|(c, r)| (c.to_string(), r)).collect();
            return form_page(&state, &user, &ui, list, mode, &values, &reason, &problems).await;
        }
    };
    let current = state.store.entry(list, entity.key()).await.or_page(&ui)?;
    if new && current.is_some() {
        let problem =
            (key_column(list).to_string(), format!("{} is already in the list: change it on its page", entity.key()));
        return form_page(&state, &user, &ui, list, mode, &values, &reason, &[problem]).await;
    }
    entity.keep_honours_of(current.as_ref());
    let based_on = match mode {
        FormMode::New => 0,
        FormMode::Edit { version } => version,
    };
    match state.store.save_entry(&user.actor, &entity, &reason, Some(based_on)).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?done=saved", entry_href(list, entity.key()))).into_response()),
        Err(error) => {
            let problems = field_problems(list, error).or_page(&ui)?;
            form_page(&state, &user, &ui, list, mode, &values, &reason, &problems).await
        }
    }
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
    /// The version the removal was decided on (the entry page's).
    #[serde(default)]
    version: Option<i64>,
}

pub async fn remove_entry(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path((code, key)): Path<(String, String)>,
    PageForm(form): PageForm<ReasonForm>,
) -> Result<Response, PageError> {
    let list = list_kind(&code).or_page(&ui)?;
    match state.store.remove_entry(&user.actor, list, &key, &form.reason, form.version).await {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=removed", entry_href(list, &key))).into_response()),
        Err(error @ StoreError::Validation { .. }) => {
            let outcome = Outcome { error: Some(error.to_string()), error_at: "remove", ..Outcome::default() };
            entry_page(&state, &user, &ui, list, &key, outcome, false).await
        }
        Err(other) => Err(page_error(&ui, other)),
    }
}

#[derive(Deserialize)]
pub struct HonourForm {
    honour: String,
    #[serde(default)]
    level: String,
    granted: String,
    /// When revoking: the day it ends.
    #[serde(default)]
    revoked: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

/// The enterprise of an address, for a change of its honours.
async fn enterprise(state: &AppState, ui: &Ui, code: &str, key: &str) -> Result<(i64, Enterprise), PageError> {
    if list_kind(code).or_page(ui)? != ListKind::Enterprises {
        return Err(page_error(ui, Problem::not_found("only enterprises hold honours")));
    }
    match state.store.entry_versioned(ListKind::Enterprises, key).await.or_page(ui)? {
        Some((version, Entity::Enterprise(e))) => Ok((version, e)),
        _ => Err(page_error(ui, Problem::not_found(format!("no enterprise \"{key}\" in the list")))),
    }
}

/// Grants (`change` = `grant`) or revokes (`revoke`) an honour of an enterprise.
pub async fn change_honour(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path((code, key, change)): Path<(String, String, String)>,
    PageForm(form): PageForm<HonourForm>,
) -> Result<Response, PageError> {
    let revoke = match change.as_str() {
        "grant" => false,
        "revoke" => true,
        other => return Err(page_error(&ui, Problem::not_found(format!("no such change of an honour \"{other}\"")))),
    };
    let (version, mut enterprise) = enterprise(&state, &ui, &code, &key).await?;
    let (state, user, ui, key) = (&state, &user, &ui, key.as_str());
    let at = if revoke { "revoke" } else { "grant" };
    let refuse = async |why: String| {
        let outcome = Outcome { error: Some(why), error_at: at, ..Outcome::default() };
        entry_page(state, user, ui, ListKind::Enterprises, key, outcome, false).await
    };
    let date = |field: &str, text: &str| text.parse::<Date>().map_err(|e| format!("{}: {e}", ui.w.field(field)));
    let changed = match date("granted", &form.granted) {
        Err(why) => Err(why),
        Ok(granted) if revoke => match date("revoked", &form.revoked) {
            Ok(on) => enterprise.revoke(&form.honour, &form.level, granted, on),
            Err(why) => Err(why),
        },
        Ok(granted) => enterprise.grant(Honour {
            kind: form.honour.trim().to_string(),
            level: form.level.trim().to_string(),
            granted,
            revoked: None,
            note: form.note.trim().to_string(),
        }),
    };
    if let Err(why) = changed {
        return refuse(why).await;
    }
    match state.store.save_entry(&user.actor, &Entity::Enterprise(enterprise), &form.reason, Some(version)).await {
        Ok(_) => {
            let done = if revoke { "revoked" } else { "granted" };
            Ok(Redirect::to(&format!("{}?done={done}", entry_href(ListKind::Enterprises, key))).into_response())
        }
        Err(error @ StoreError::Rejected(_)) => refuse(entry_problem(error).message).await,
        Err(other) => Err(page_error(ui, other)),
    }
}
