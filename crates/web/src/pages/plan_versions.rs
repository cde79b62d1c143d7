//! 计划版本 (plan versions): the versions recorded, the differences of targets between two of
//! them, and loading a changed plan file as a new version (动态调整) — checked as `plan check`
//! checks it and recorded by the store's `load_plan`, as `plan load` does. The plan office and
//! administrators only.

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::Period;
use plan361_core::access::Area;
use plan361_core::i18n::{self, Lang};
use plan361_core::plan::{self, Goal, Kind, Target, TargetChange};
use plan361_store::StoreError;
use plan361_views::pages::Choice;
use plan361_views::planning::{FileProblem, LoadForm, PlanDiffPage, PlanVersionsPage, PlanningTab};
use plan361_views::table::{Cell, Table};
use serde::Deserialize;

use super::{OrPage, datetime, page_error};
use crate::auth::{PageUser, Signed, UploadCsrf, same_secret};
use crate::error::Problem;
use crate::extract::PageQuery;
use crate::plan_versions::{Compared, DiffQuery, compare};
use crate::render::{PageError, Section, Ui, page, render, shown_again, xlsx_download};
use crate::{AppState, BODY_LIMIT};

/// The plan office's pages are for those who may manage the plan: anyone else is refused
/// with a page saying so (403).
pub(super) fn require_planning(state: &AppState, user: &Signed, ui: &Ui) -> Result<(), PageError> {
    if state.may_enter(&user.actor, Area::Planning) {
        Ok(())
    } else {
        Err(page_error(ui, Problem::forbidden(ui.w.planning_only)))
    }
}

/// The notice after a redirect: a version loaded, a file equal to the version in force.
fn notice(ui: &Ui, done: Option<&str>) -> Option<&'static str> {
    match done? {
        "unchanged" => Some(ui.w.plan_unchanged),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
pub struct VersionsQuery {
    format: Option<String>,
    done: Option<String>,
}

/// The versions to compare, `selected` chosen.
fn version_choices(versions: &[plan361_store::PlanVersionInfo], selected: Option<i64>, ui: &Ui) -> Vec<Choice> {
    versions
        .iter()
        .map(|v| Choice {
            value: v.version.to_string(),
            label: format!("{} {} · {}", ui.w.plan_version, v.version, i18n::period_label(v.effective_from, ui.lang)),
            selected: Some(v.version) == selected,
        })
        .collect()
}

async fn versions_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    query: &VersionsQuery,
    load: &LoadForm,
) -> Result<Response, PageError> {
    let w = ui.w;
    require_planning(state, user, ui)?;
    let versions = state.store.plan_versions().await.or_page(ui)?;
    let people = crate::audit::people(state).await.or_page(ui)?;
    let mut table = Table::new(
        w.plan_versions,
        &[w.plan_version, w.plan_effective, w.plan_reason, w.plan_changes, w.plan_loaded_by, w.plan_loaded_at],
    );
    for v in versions.iter().rev() {
        let changes = if v.version == 1 {
            Cell::text("—")
        } else {
            Cell::link(v.changes.len().to_string(), format!("/plan/versions/diff?to={}", v.version))
        };
        table.push(vec![
            Cell::Number { shown: v.version.to_string(), value: Some(v.version as f64) },
            Cell::text(i18n::period_label(v.effective_from, ui.lang)),
            Cell::text(if v.reason.is_empty() { "—".to_string() } else { v.reason.clone() }),
            changes,
            Cell::text(crate::audit::person(&people, &v.loaded_by)),
            Cell::text(datetime(v.loaded_at_ms)),
        ]);
    }
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(w.plan_versions, &[&table]);
    }
    let newest = versions.last().map(|v| v.version);
    let (froms, tos) = if versions.len() > 1 {
        (version_choices(&versions, newest.map(|n| n - 1), ui), version_choices(&versions, newest, ui))
    } else {
        (Vec::new(), Vec::new())
    };
    let tabs = PlanningTab::Versions.tabs(w);
    let content = render(&PlanVersionsPage {
        w,
        csrf: &user.csrf,
        tabs: &tabs,
        notice: notice(ui, query.done.as_deref()),
        versions: &table,
        froms: &froms,
        tos: &tos,
        load,
    })
    .or_page(ui)?;
    let shown = page(state, ui, user, Section::Planning, w.plan_versions, &content, true)?;
    Ok(shown_again(shown, load.refused()))
}

pub async fn versions(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<VersionsQuery>,
) -> Result<Response, PageError> {
    versions_page(&state, &user, &ui, &query, &LoadForm::default()).await
}

/// A goal in words, as the plan states it: "2027年 2.7万亿元、2030年 3.3万亿元", "每年 40个".
pub(super) fn goal_words(target: &Target, lang: Lang) -> String {
    let each_year = match (&target.goal, lang) {
        (Goal::EveryYear { .. }, Lang::Zh) => "每年 ",
        (Goal::EveryYear { .. }, Lang::En) => "every year ",
        _ => "",
    };
    let stated: Vec<String> = target
        .goal
        .stated()
        .into_iter()
        .map(|(year, value)| i18n::dated_goal(year, value, target.comparator, &target.unit, lang))
        .collect();
    format!("{each_year}{}", stated.join("、"))
}

/// A changed field's value in words where the plan has words for it; as written otherwise.
fn field_words(field: &str, written: &str, target: Option<&Target>, lang: Lang) -> String {
    let Some(target) = target else { return written.to_string() };
    match field {
        "goal" if target.kind != Kind::Direction => goal_words(target, lang),
        "kind" => i18n::kind_label(target.kind, lang).to_string(),
        "frequency" => i18n::frequency_label(target.frequency, lang).to_string(),
        "basis" => i18n::basis_label(target, lang),
        _ if written.is_empty() => "—".to_string(),
        _ => written.to_string(),
    }
}

/// The differences as a table: one line per target added or removed, one per field changed.
fn diff_table(compared: &Compared, ui: &Ui) -> (Table, String) {
    let w = ui.w;
    let mut table =
        Table::new(w.plan_diff, &[w.id, w.indicator, w.plan_change, w.plan_field, w.plan_before, w.plan_after]);
    table.class = "plan-diff";
    let new = &compared.to.1;
    let old = compared.from.as_ref().map(|(_, plan)| plan.clone());
    let (mut added, mut removed, mut changed) = (0, 0, std::collections::BTreeSet::new());
    for change in &compared.changes {
        let line = match change {
            TargetChange::Added { id, indicator } => {
                added += 1;
                [
                    Cell::link(id.clone(), format!("/targets/{id}")),
                    Cell::text(indicator.clone()),
                    Cell::text(w.plan_added),
                ]
            }
            TargetChange::Removed { id, indicator } => {
                removed += 1;
                [Cell::text(id.clone()), Cell::text(indicator.clone()), Cell::text(w.plan_removed)]
            }
            TargetChange::Changed { id, .. } => {
                changed.insert(id.clone());
                let indicator = new.target(id).map_or_else(String::new, |t| t.indicator.clone());
                [Cell::link(id.clone(), format!("/targets/{id}")), Cell::text(indicator), Cell::text(w.plan_changed)]
            }
        };
        let [id, indicator, kind] = line;
        let (field, before, after) = match change {
            TargetChange::Changed { id, field, before, after } => {
                let before_target = old.as_ref().and_then(|plan| plan.target(id));
                (
                    w.plan_field(field).to_string(),
                    field_words(field, before, before_target, ui.lang),
                    field_words(field, after, new.target(id), ui.lang),
                )
            }
            _ => ("—".to_string(), "—".to_string(), "—".to_string()),
        };
        table.push(vec![id, indicator, kind, Cell::text(field), Cell::text(before), Cell::text(after)]);
    }
    let summary = w
        .plan_diff_summary
        .replace("{added}", &added.to_string())
        .replace("{removed}", &removed.to_string())
        .replace("{changed}", &changed.len().to_string());
    (table, summary)
}

#[derive(Deserialize, Default)]
pub struct DiffPageQuery {
    #[serde(flatten)]
    versions: DiffQuery,
    format: Option<String>,
    done: Option<String>,
}

/// The differences between two versions (default: the newest and the one before it).
pub async fn diff(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<DiffPageQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    require_planning(&state, &user, &ui)?;
    let compared = compare(&state, &query.versions).await.or_page(&ui)?;
    let (table, summary) = diff_table(&compared, &ui);
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(w.plan_diff, &[&table]);
    }
    let versions = state.store.plan_versions().await.or_page(&ui)?;
    let to = &compared.to.0;
    let froms = version_choices(&versions, compared.from.as_ref().map(|(info, _)| info.version), &ui);
    let tos = version_choices(&versions, Some(to.version), &ui);
    let people = crate::audit::people(&state).await.or_page(&ui)?;
    let about = match &compared.from {
        None => w.plan_first_version.to_string(),
        Some((from, _)) => format!(
            "{version} {} → {version} {} · {} {} · {} {} · {} {} {}",
            from.version,
            to.version,
            w.plan_effective,
            i18n::period_label(to.effective_from, ui.lang),
            w.plan_reason,
            if to.reason.is_empty() { "—" } else { to.reason.as_str() },
            w.plan_loaded_by,
            crate::audit::person(&people, &to.loaded_by),
            datetime(to.loaded_at_ms),
            version = w.plan_version,
        ),
    };
    let notice = (query.done.as_deref() == Some("loaded")).then_some(w.plan_loaded);
    let tabs = PlanningTab::Versions.tabs(w);
    let content = render(&PlanDiffPage {
        w,
        tabs: &tabs,
        notice,
        froms: &froms,
        tos: &tos,
        summary: &summary,
        about: &about,
        table: &table,
    })
    .or_page(&ui)?;
    page(&state, &ui, &user, Section::Planning, w.plan_versions, &content, true)
}

/// What the loading form sent: the file's name and text, the effective period and reason as
/// typed.
struct Sent {
    file: Option<(String, String)>,
    effective: String,
    reason: String,
}

/// Reads the loading form. A browser's form sends `_csrf` before the other fields (checked as
/// every upload's is); the plan file is text, decoded as the files crate decodes text files.
async fn read_form(csrf: Option<UploadCsrf>, mut multipart: Multipart) -> Result<Sent, Problem> {
    let upload_error = |e: axum::extract::multipart::MultipartError| {
        Problem::from_rejection(e.status(), format!("the upload could not be read: {}", e.body_text()), BODY_LIMIT)
    };
    let mut token_seen = csrf.is_none();
    let mut sent = Sent { file: None, effective: String::new(), reason: String::new() };
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "_csrf" {
            let given = field.text().await.map_err(upload_error)?;
            token_seen = csrf.as_ref().is_none_or(|expected| same_secret(&given, &expected.0));
            continue;
        }
        if !token_seen {
            break;
        }
        match name.as_str() {
            "effective" => sent.effective = field.text().await.map_err(upload_error)?.chars().take(20).collect(),
            "reason" => sent.reason = field.text().await.map_err(upload_error)?.chars().take(500).collect(),
            "file" => {
                let file_name = field.file_name().unwrap_or("plan.toml").chars().take(200).collect::<String>();
                let bytes = field.bytes().await.map_err(upload_error)?;
                if !bytes.is_empty() {
                    let text = plan361_files::text::decode(&bytes).0.into_owned();
                    sent.file = Some((file_name, text));
                }
            }
            _ => {}
        }
    }
    if !token_seen {
        return Err(Problem::forbidden(
            "缺少或错误的 CSRF 令牌,请刷新页面重试 missing or wrong CSRF token: reload the page and try again",
        ));
    }
    Ok(sent)
}

/// Every problem of a refused plan file, with the text of its line.
fn file_problems(errors: &plan::PlanErrors, text: &str) -> Vec<FileProblem> {
    let lines: Vec<&str> = text.lines().collect();
    errors
        .errors
        .iter()
        .map(|e| FileProblem {
            line: if e.line == 0 { "—".to_string() } else { e.line.to_string() },
            context: e.context.clone(),
            message: e.message.clone(),
            excerpt: e
                .line
                .checked_sub(1)
                .and_then(|i| lines.get(i))
                .map(|l| l.trim().chars().take(160).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// Loads an uploaded plan file as a new version. The file is checked as `plan check` checks it
/// and the store decides the rest (permission, reason, effective period) inside its write; a
/// refusal shows the form again with every problem beside its field (422), nothing written.
/// Accepted, the page shows its differences from the version before.
pub async fn load(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    csrf: Option<axum::Extension<UploadCsrf>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let w = ui.w;
    require_planning(&state, &user, &ui)?;
    let multipart =
        multipart.map_err(|r| page_error(&ui, Problem::from_rejection(r.status(), r.body_text(), BODY_LIMIT)))?;
    let sent = read_form(csrf.map(|c| c.0), multipart).await.or_page(&ui)?;
    let mut form = LoadForm { effective: sent.effective.clone(), reason: sent.reason.clone(), ..LoadForm::default() };
    let effective = match sent.effective.trim() {
        "" => None,
        typed => match typed.parse::<Period>() {
            Ok(period) => Some(period),
            Err(_) => {
                form.effective_error = format!("“{typed}”{}", w.not_a_period);
                None
            }
        },
    };
    let Some((name, text)) = sent.file else {
        form.file_error = w.plan_file_missing.to_string();
        return versions_page(&state, &user, &ui, &VersionsQuery::default(), &form).await;
    };
    if let Err(errors) = plan::parse(&name, &text) {
        form.problems = file_problems(&errors, &text);
    }
    if form.refused() {
        return versions_page(&state, &user, &ui, &VersionsQuery::default(), &form).await;
    }
    match state.store.load_plan(&user.actor, &name, &text, effective, sent.reason.trim()).await {
        Ok(loaded) if loaded.unchanged => Ok(Redirect::to("/plan/versions?done=unchanged").into_response()),
        Ok(loaded) => Ok(Redirect::to(&format!(
            "/plan/versions/diff?from={}&to={}&done=loaded",
            loaded.version - 1,
            loaded.version
        ))
        .into_response()),
        Err(StoreError::Validation { field, reason }) => {
            match field {
                "effective" => form.effective_error = reason,
                "reason" => form.reason_error = reason,
                _ => form.file_error = reason,
            }
            versions_page(&state, &user, &ui, &VersionsQuery::default(), &form).await
        }
        Err(other) => Err(page_error(&ui, other)),
    }
}
