//! The four lists in the API: find entries, read one with its history, save and remove
//! entries, and the entries behind a counted target's value. The same questions as the list
//! pages, answered by the same code (`crate::lists`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plan361_core::registry::select::{Filter, Paging};
use plan361_core::registry::{Entity, ListKind};
use plan361_core::{Period, i18n};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody, Problem};
use crate::extract::{ApiJson, ApiQuery};
use crate::lists::{self, entry_problem, list_kind};
use crate::{AppState, service};

const PER_PAGE: usize = 100;
const MAX_PER_PAGE: usize = 1000;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A district (区县市) or development zone.
    district: Option<String>,
    /// A cluster id of the catalog in force (`nev-equipment` …): an enterprise's clusters, a
    /// project's or platform's cluster, a park's leading cluster.
    cluster: Option<String>,
    /// Enterprises: holding this honour today (制造业单项冠军 …).
    honour: Option<String>,
    /// Enterprises: the honour's level; parks and platforms: their own level.
    level: Option<String>,
    /// Projects: the furthest stage reached today: signed, landed, started or completed.
    stage: Option<String>,
    /// Parks and platforms: their type (开发园区, 全国重点实验室 …).
    kind: Option<String>,
    /// A part of the name or of the code (an enterprise's credit code), any case.
    q: Option<String>,
    /// The page, from 1 (default 1; past the end: the last page).
    page: Option<usize>,
    /// Entries per page (default 100, at most 1000).
    per_page: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct ListPage {
    /// enterprises, projects, parks or platforms.
    list: String,
    /// How many entries the filter finds.
    total: usize,
    page: usize,
    per_page: usize,
    pages: usize,
    entries: Vec<Entity>,
}

/// Entries of a list (enterprises, projects, parks or platforms) as they are today, filtered
/// and a page at a time, in the list's order.
#[utoipa::path(get, path = "/api/lists/{kind}", tag = "lists", params(("kind" = super::ListKindCode, Path, description = ListKind::CHOICES), ListQuery),
    responses((status = 200, body = ListPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_entries(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(kind): Path<String>,
    ApiQuery(params): ApiQuery<ListQuery>,
) -> Result<Json<ListPage>, ApiError> {
    let list = list_kind(&kind)?;
    let per_page = params.per_page.unwrap_or(PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(ApiError(Problem::bad_request(format!("per_page: from 1 to {MAX_PER_PAGE}"))));
    }
    let filter = Filter {
        district: params.district,
        cluster: params.cluster,
        honour: params.honour,
        level: params.level,
        stage: params.stage,
        kind: params.kind,
        q: params.q,
    };
    let listing = lists::listing(&state).await?;
    let found = listing.find(list, &filter)?;
    let paging = Paging::new(params.page.unwrap_or(1), per_page, found.len());
    Ok(Json(ListPage {
        list: list.code().to_string(),
        total: found.len(),
        page: paging.page,
        per_page,
        pages: paging.pages(),
        entries: found.entities(&paging),
    }))
}

/// One recorded version of an entry.
#[derive(Serialize, ToSchema)]
pub struct EntryVersion {
    version: i64,
    recorded_at_ms: i64,
    recorded_by: String,
    reason: String,
    /// This version removed the entry from its list.
    removed: bool,
    /// The fields that changed from the version before (every field of a new entry).
    changed: Vec<String>,
    /// The entry as this version recorded it (none for a removal).
    entry: Option<Entity>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryWithHistory {
    list: String,
    key: String,
    /// The entry as it is now; none once removed.
    entry: Option<Entity>,
    /// Every version, oldest first.
    history: Vec<EntryVersion>,
}

/// An entry as it is now, with every version recorded: when, by whom, why, what changed.
#[utoipa::path(get, path = "/api/lists/{kind}/{key}", tag = "lists",
    params(("kind" = super::ListKindCode, Path, description = ListKind::CHOICES),
           ("key" = String, Path, description = "the credit code of an enterprise, the code of another entry")),
    responses((status = 200, body = EntryWithHistory), (status = 404, body = ErrorBody)))]
pub async fn list_entry(
    State(state): State<AppState>,
    _user: ApiUser,
    Path((kind, key)): Path<(String, String)>,
) -> Result<Json<EntryWithHistory>, ApiError> {
    let list = list_kind(&kind)?;
    let versions = state.store.entry_history(list, &key).await?;
    if versions.is_empty() {
        return Err(ApiError(Problem::not_found(format!("no entry \"{key}\" in the {} list", list.code()))));
    }
    let mut previous: Option<Entity> = None;
    let mut history = Vec::new();
    for v in versions {
        let changed = match &v.entity {
            Some(now) => Entity::changed_fields(previous.as_ref(), Some(now)),
            None => Vec::new(),
        };
        if v.entity.is_some() {
            previous.clone_from(&v.entity);
        }
        history.push(EntryVersion {
            version: v.version,
            recorded_at_ms: v.recorded_at_ms,
            recorded_by: v.recorded_by,
            reason: v.reason,
            removed: v.removed,
            changed,
            entry: v.entity,
        });
    }
    let entry = history.last().and_then(|v| v.entry.clone());
    Ok(Json(EntryWithHistory { list: list.code().to_string(), key, entry, history }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveEntry {
    /// The entry, its fields as `GET /api/lists/{kind}/{key}` returns them; an entry with the
    /// key of an existing one changes it.
    #[schema(value_type = Entity)]
    entry: serde_json::Value,
    /// Why the list changes (recorded with the version and in the audit log).
    reason: String,
    /// The version the change was made from (as `GET` returned it; 0 for a new entry). When
    /// given and the entry has changed since, the answer is 409 with the current version.
    #[serde(default)]
    version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SavedEntry {
    list: String,
    key: String,
    /// The entry's version now (unchanged when the entry was saved as it was).
    version: i64,
    entry: Entity,
}

/// Adds an entry to a list, or changes the entry with its key. Every field is checked (credit
/// code check character, GB/T 4754 class, district, honours, dates …); the caller must be
/// allowed to manage the entry's district (and, for a change, the district it is in now).
#[utoipa::path(post, path = "/api/lists/{kind}", tag = "lists", request_body = SaveEntry,
    params(("kind" = super::ListKindCode, Path, description = ListKind::CHOICES)),
    responses((status = 201, body = SavedEntry, description = "added"), (status = 200, body = SavedEntry, description = "changed"),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "the entry changed since `version`"),
              (status = 422, body = ErrorBody, description = "the entry breaks a rule: `problems` names each field")))]
pub async fn save_list_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(kind): Path<String>,
    ApiJson(request): ApiJson<SaveEntry>,
) -> Result<(StatusCode, Json<SavedEntry>), ApiError> {
    let list = list_kind(&kind)?;
    let entity = Entity::from_json(list, &request.entry.to_string())
        .map_err(|e| Problem::invalid(format!("entry: not an entry of the {} list: {e}", list.code())))?;
    let existed = state.store.entry(list, entity.key()).await?.is_some();
    let version =
        state.store.save_entry(&user.actor, &entity, &request.reason, request.version).await.map_err(entry_problem)?;
    let status = if existed { StatusCode::OK } else { StatusCode::CREATED };
    let saved = SavedEntry { list: list.code().to_string(), key: entity.key().to_string(), version, entry: entity };
    Ok((status, Json(saved)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveEntry {
    /// Why the entry leaves the list (required).
    reason: String,
    /// The version the removal was decided on: a change made since is a conflict (409).
    #[serde(default)]
    version: Option<i64>,
}

/// Removes an entry from its list: it counts towards no target from now on; its history stays
/// and past counts stay reproducible.
#[utoipa::path(delete, path = "/api/lists/{kind}/{key}", tag = "lists", request_body = RemoveEntry,
    params(("kind" = super::ListKindCode, Path, description = ListKind::CHOICES), ("key" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete_list_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((kind, key)): Path<(String, String)>,
    ApiJson(request): ApiJson<RemoveEntry>,
) -> Result<StatusCode, ApiError> {
    let list = list_kind(&kind)?;
    state.store.remove_entry(&user.actor, list, &key, &request.reason, request.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountedQuery {
    /// 2026-05, 2026Q2 or 2026: the value at the period's end (default: the current month).
    #[param(pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)(-(0[1-9]|1[0-2])|Q[1-4])?$")]
    at: Option<String>,
    /// 宁波市 (default), a district or a development zone.
    org_unit: Option<String>,
    /// zh (default) or en: the language of `rule`.
    lang: Option<super::LangCode>,
}

#[derive(Serialize, ToSchema)]
pub struct CountedEntry {
    /// The entry's key: its page is `/lists/{list}/{key}`.
    key: String,
    name: String,
    district: String,
    /// The day it began to count (an honour granted, a platform recognised, a project's stage).
    start: String,
    /// The day it stopped counting (revoked), if it has.
    end: Option<String>,
    /// 1 for a count; the area (亩) for a sum of areas.
    weight: f64,
}

#[derive(Serialize, ToSchema)]
pub struct CountedEntries {
    target_id: String,
    /// The list it is counted from.
    list: String,
    /// How it is counted, in words.
    rule: String,
    org_unit: String,
    period: String,
    /// The day counted at: the period's last day.
    day: String,
    /// The value, in `unit`: what evaluation uses for this period.
    value: f64,
    unit: String,
    entries: Vec<CountedEntry>,
}

/// The entries of its list behind a counted target's value (drill-down), for the city or one
/// district, at a period's end.
#[utoipa::path(get, path = "/api/targets/{id}/entries", tag = "lists", params(("id" = String, Path, description = "a target counted from a list (3.3.1 …)"), CountedQuery),
    responses((status = 200, body = CountedEntries), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn target_entries(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<CountedQuery>,
) -> Result<Json<CountedEntries>, ApiError> {
    let at: Period = service::period_or_default(&state, params.at.as_deref())?;
    let lang = super::lang_of(params.lang)?;
    let behind = lists::behind(&state, &id, at, params.org_unit.as_deref()).await?;
    let target = &behind.plan.targets()[behind.target];
    let entries = behind
        .entries
        .into_iter()
        .map(|e| CountedEntry {
            key: e.key,
            name: e.name,
            district: e.district,
            start: e.start.to_string(),
            end: e.end.map(|d| d.to_string()),
            weight: e.weight,
        })
        .collect();
    Ok(Json(CountedEntries {
        target_id: target.id.clone(),
        list: behind.list.code().to_string(),
        rule: i18n::count_rule(target, behind.plan.meta().baseline_year, lang).unwrap_or_default(),
        org_unit: behind.org_unit,
        period: behind.at.to_string(),
        day: behind.day.to_string(),
        value: behind.value,
        unit: target.unit.clone(),
        entries,
    }))
}
