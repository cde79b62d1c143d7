//! Administration: the audit log (administrators and the plan office) and user management
//! (administrators).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::access::{Action, Role};
use plan361_core::i18n::Labelled;
use plan361_store::{AuditFilter, NewUser, StoreError};
use plan361_views::pages::{AuditPage, Choice, UserLine, UsersPage};
use plan361_views::table::{Cell, Table};
use serde::Deserialize;

use super::tasks::{TasksQuery, notice};
use super::{OrPage, datetime, page_error};
use crate::AppState;
use crate::api::require;
use crate::auth::PageUser;
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};

const AUDIT_PAGE: i64 = 200;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    before: Option<i64>,
    format: Option<String>,
}

pub async fn audit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<AuditQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    require(&state, &user, Action::ReadAudit).or_page(&ui)?;
    let filter = AuditFilter { limit: AUDIT_PAGE, before_id: query.before, ..Default::default() };
    let entries = state.store.audit_entries(&filter).await.or_page(&ui)?;
    let mut table = Table::new(w.audit, &[w.id, w.when, w.by, w.action, w.entity, w.before, w.after]);
    for e in &entries {
        table.push(vec![
            Cell::Number { shown: e.id.to_string(), value: Some(e.id as f64) },
            Cell::text(datetime(e.at_ms)),
            Cell::text(e.actor.clone()),
            Cell::text(e.action.clone()),
            Cell::text(format!("{} {}", e.entity, e.entity_id)),
            Cell::text(e.before.chars().take(160).collect::<String>()),
            Cell::text(e.after.chars().take(160).collect::<String>()),
        ]);
    }
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(w.audit, &[&table]);
    }
    let (chain, chain_ok) = match state.store.verify_audit().await {
        Ok(count) => (format!("{} {count}", w.chain_ok), true),
        Err(StoreError::AuditBroken(b)) => (format!("{}: #{} {}", w.chain_broken, b.id, b.reason), false),
        Err(other) => return Err(page_error(&ui, other)),
    };
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| format!("/audit?before={}", e.id)))
        .flatten();
    let content =
        render(&AuditPage { w, chain: &chain, chain_ok, table: &table, older_href: older.as_deref() }).or_page(&ui)?;
    page(&state, &ui, &user, Section::Audit, w.audit, &content, true)
}

pub async fn users(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<TasksQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    require(&state, &user, Action::ManageUsers).or_page(&ui)?;
    let lines: Vec<UserLine> = state
        .store
        .users()
        .await
        .or_page(&ui)?
        .into_iter()
        .map(|u| UserLine {
            role: u.role.label(ui.lang).to_string(),
            username: u.username,
            display_name: u.display_name,
            org_unit: u.org_unit,
            disabled: u.disabled,
        })
        .collect();
    if query.format.as_deref() == Some("xlsx") {
        let mut table = Table::new(w.users, &[w.username, w.display_name, w.org_unit, w.role, w.status]);
        for u in &lines {
            let status = if u.disabled { w.disabled } else { w.active };
            table.push(vec![
                Cell::text(u.username.clone()),
                Cell::text(u.display_name.clone()),
                Cell::text(u.org_unit.clone()),
                Cell::text(u.role.clone()),
                Cell::text(status),
            ]);
        }
        return xlsx_download(w.users, &[&table]);
    }
    let roles: Vec<Choice> = Role::ALL
        .iter()
        .map(|r| Choice { value: r.code().to_string(), label: r.label(ui.lang).to_string(), selected: false })
        .collect();
    let org_units: Vec<Choice> = state
        .store
        .org_units()
        .await
        .or_page(&ui)?
        .all()
        .iter()
        .map(|u| Choice { value: u.name.clone(), label: u.name.clone(), selected: false })
        .collect();
    let notice = notice(&ui, query.done.as_deref(), None);
    let content = render(&UsersPage {
        w,
        csrf: &user.csrf,
        notice: notice.as_deref(),
        users: &lines,
        roles: &roles,
        org_units: &org_units,
    })
    .or_page(&ui)?;
    page(&state, &ui, &user, Section::Users, w.users, &content, true)
}

#[derive(Deserialize)]
pub struct UserForm {
    username: String,
    display_name: String,
    password: String,
    org_unit: String,
    role: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(new): PageForm<UserForm>,
) -> Result<Response, PageError> {
    let fail = |problem: Problem| page_error(&ui, problem);
    let role: Role = new.role.parse().map_err(|e: String| fail(Problem::bad_request(e)))?;
    let added = NewUser {
        username: new.username.trim(),
        display_name: new.display_name.trim(),
        password: &new.password,
        org_unit: &new.org_unit,
        role,
    };
    state.store.add_user(&user.actor, added).await.or_page(&ui)?;
    Ok(Redirect::to("/users?done=user").into_response())
}

/// Disables or enables a user; a disabled user is signed out at once.
pub async fn change_user(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path((username, change)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let fail = |problem: Problem| page_error(&ui, problem);
    let disabled = match change.as_str() {
        "disable" => true,
        "enable" => false,
        other => return Err(fail(Problem::not_found(format!("no such change \"{other}\"")))),
    };
    state.store.set_disabled(&user.actor, &username, disabled).await.or_page(&ui)?;
    state.close_user_sessions(&username).await.or_page(&ui)?;
    Ok(Redirect::to("/users?done=user").into_response())
}
