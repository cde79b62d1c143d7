//! Administration: the audit log (administrators and the plan office) and user management
//! (administrators).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::access::{Action, Role};
use plan361_core::audit::action_label;
use plan361_core::i18n::{Labelled, Lang};
use plan361_store::{NewUser, StoreError};
use plan361_views::pages::{AuditPage, Choice, PasswordPage, UserLine, UsersPage};
use plan361_views::table::{Cell, Table};
use serde::Deserialize;

use super::tasks::{TasksQuery, notice};
use super::{OrPage, datetime, page_error};
use crate::AppState;
use crate::api::require;
use crate::audit::AuditQuery;
use crate::auth::PageUser;
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{PageError, Section, Ui, page, render, xlsx_download};

const AUDIT_PAGE: i64 = 100;

#[derive(Deserialize, Default)]
pub struct AuditPageQuery {
    #[serde(flatten)]
    filter: AuditQuery,
    format: Option<String>,
}

/// The audit log in words: who (as people know them), the action's name, what changed; filters,
/// pages of a hundred, sign-ins counted apart, the selection as Excel.
pub async fn audit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<AuditPageQuery>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let zh = ui.lang == Lang::Zh;
    require(&state, &user, Action::ReadAudit).or_page(&ui)?;
    let xlsx = query.format.as_deref() == Some("xlsx");
    let mut filter = query.filter.filter(AUDIT_PAGE, false).or_page(&ui)?;
    if xlsx {
        filter.limit = 1000;
    }
    let entries = state.store.audit_entries(&filter).await.or_page(&ui)?;
    let sign_ins = state.store.audit_sign_ins(&filter).await.or_page(&ui)?;
    let people = crate::audit::people(&state).await.or_page(&ui)?;
    let mut table = Table::new(w.audit, &[w.id, w.when, w.by, w.action, w.entity, w.audit_changes]);
    for e in &entries {
        let readable = crate::audit::readable(e, zh);
        let changes: Vec<String> = readable.changes.iter().map(plan361_core::audit::Change::line).collect();
        table.push(vec![
            Cell::Number { shown: e.id.to_string(), value: Some(e.id as f64) },
            Cell::text(datetime(e.at_ms)),
            Cell::text(crate::audit::person(&people, &e.actor)),
            Cell::text(readable.action),
            Cell::text(format!("{} {}", e.entity, e.entity_id)),
            Cell::text(changes.join(";")),
        ]);
    }
    if xlsx {
        return xlsx_download(w.audit, &[&table]);
    }
    let (chain, chain_ok) = match state.store.verify_audit().await {
        Ok(count) => (format!("{} {count}", w.chain_ok), true),
        Err(StoreError::AuditBroken(b)) => (format!("{}: #{} {}", w.chain_broken, b.id, b.reason), false),
        Err(other) => return Err(page_error(&ui, other)),
    };
    let older = (entries.len() as i64 == filter.limit)
        .then(|| entries.last().map(|e| ui.set("before_id", &e.id.to_string())))
        .flatten();
    let newest = query.filter.before_id.map(|_| ui.without("before_id"));
    let users = state.store.users().await.or_page(&ui)?;
    let selected = |value: &Option<String>| value.as_deref().unwrap_or_default().to_string();
    let choices = |all: &str, chosen: String, options: Vec<(String, String)>| -> Vec<Choice> {
        std::iter::once((String::new(), all.to_string()))
            .chain(options)
            .map(|(value, label)| Choice { selected: value == chosen, value, label })
            .collect()
    };
    let actors = choices(
        w.all_users,
        selected(&query.filter.actor),
        users.iter().map(|u| (u.username.clone(), crate::audit::person(&people, &u.username))).collect(),
    );
    let mut unit_names: Vec<String> = users.iter().map(|u| u.org_unit.clone()).collect();
    unit_names.sort();
    unit_names.dedup();
    let units =
        choices(w.all_units, selected(&query.filter.unit), unit_names.into_iter().map(|u| (u.clone(), u)).collect());
    let actions = choices(
        w.all_actions,
        selected(&query.filter.action),
        plan361_core::audit::action_codes().map(|c| (c.to_string(), action_label(c, zh))).collect(),
    );
    let sign_ins_href = ui.set("action", "login");
    let content = render(&AuditPage {
        w,
        chain: &chain,
        chain_ok,
        table: &table,
        older_href: older.as_deref(),
        newest_href: newest.as_deref(),
        actors: &actors,
        units: &units,
        actions: &actions,
        target: query.filter.target.as_deref().unwrap_or_default(),
        from: query.filter.from.as_deref().unwrap_or_default(),
        until: query.filter.until.as_deref().unwrap_or_default(),
        sign_ins,
        sign_ins_href: &sign_ins_href,
    })
    .or_page(&ui)?;
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
        .map(|r| Choice {
            value: r.code().to_string(),
            label: r.label(ui.lang).to_string(),
            // Most users report; an administrator is a deliberate choice.
            selected: *r == Role::Reporter,
        })
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
    Ok(Redirect::to("/users?done=created").into_response())
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

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
    #[serde(default)]
    again: Option<String>,
}

/// An administrator sets a new password for a user, who changes it at the next sign-in; the
/// user's sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    Path(username): Path<String>,
    PageForm(fields): PageForm<PasswordForm>,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ManageUsers).or_page(&ui)?;
    state.store.set_password(&user.actor, &username, &fields.password).await.or_page(&ui)?;
    state.close_user_sessions(&username).await.or_page(&ui)?;
    Ok(Redirect::to("/users?done=reset").into_response())
}

/// The form to change one's own password (where a password an administrator gave leads).
pub async fn password(State(state): State<AppState>, PageUser(user): PageUser, ui: Ui) -> Result<Response, PageError> {
    let w = ui.w;
    let forced = state.store.user(&user.actor.username).await.or_page(&ui)?.must_change_password;
    let content = render(&PasswordPage { w, csrf: &user.csrf, forced }).or_page(&ui)?;
    page(&state, &ui, &user, Section::Password, w.change_password, &content, false)
}

pub async fn change_password(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(fields): PageForm<PasswordForm>,
) -> Result<Response, PageError> {
    if fields.again.as_deref() != Some(fields.password.as_str()) {
        return Err(page_error(&ui, Problem::bad_request(ui.w.passwords_differ)));
    }
    state.store.set_password(&user.actor, &user.actor.username, &fields.password).await.or_page(&ui)?;
    Ok(Redirect::to("/").into_response())
}
