//! Signing in and out of the pages.

use axum::extract::rejection::FormRejection;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use plan361_views::pages::LoginPage;
use serde::Deserialize;

use super::{OrPage, form, page_error};
use crate::AppState;
use crate::auth::{ClientAddress, Signed, Via, clear_session_cookie, session_cookie, sign_in};
use crate::error::Problem;
use crate::render::{PageError, Ui, render};

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path of this site is a place to go back to after signing in.
fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')).unwrap_or("/")
}

fn login_page(state: &AppState, ui: &Ui, next: &str, error: Option<&str>) -> Result<String, PageError> {
    render(&LoginPage {
        w: ui.w,
        lang: ui.lang.code(),
        other_lang_href: &ui.other_lang(),
        demo: state.demo,
        next,
        error,
    })
    .or_page(ui)
}

pub async fn show(
    State(state): State<AppState>,
    ui: Ui,
    signed: Option<Extension<Signed>>,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    let next = safe_next(query.next.as_deref());
    if signed.is_some() {
        return Ok(Redirect::to(next).into_response());
    }
    Ok(Html(login_page(&state, &ui, next, None)?).into_response())
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// Whether a sign-in form was posted from this site. There is no session yet, so no CSRF token:
/// a browser's Origin header, when sent, must name this host (against signing a victim in to
/// an attacker's account).
fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => true,
        Some(origin) => host.is_some_and(|host| origin.split("://").nth(1) == Some(host)),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ui: Ui,
    Extension(address): Extension<ClientAddress>,
    headers: HeaderMap,
    submitted: Result<axum::Form<Credentials>, FormRejection>,
) -> Result<Response, PageError> {
    if !same_origin(&headers) {
        return Err(page_error(&ui, Problem::forbidden("the sign-in form was posted from another site")));
    }
    let credentials = form(submitted, &ui)?;
    let next = safe_next(credentials.next.as_deref()).to_string();
    match sign_in(&state, credentials.username.trim(), &credentials.password, &address.0, Via::Cookie).await {
        Ok(signed) => Ok(([(header::SET_COOKIE, session_cookie(&signed.token))], Redirect::to(&next)).into_response()),
        Err(problem) if problem.status.is_client_error() => {
            let status = problem.status;
            let page = login_page(&state, &ui, &next, Some(&problem.message))?;
            Ok((status, Html(page)).into_response())
        }
        Err(problem) => Err(page_error(&ui, problem)),
    }
}

pub async fn logout(State(state): State<AppState>, signed: Option<Extension<Signed>>) -> Response {
    if let Some(Extension(signed)) = signed {
        state.sessions.close(&signed.token);
    }
    ([(header::SET_COOKIE, clear_session_cookie())], Redirect::to("/login")).into_response()
}
