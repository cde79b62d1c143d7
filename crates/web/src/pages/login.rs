//! Signing in and out of the pages.

use axum::extract::{Extension, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use plan361_views::pages::LoginPage;
use serde::Deserialize;

use super::{OrPage, page_error};
use crate::AppState;
use crate::auth::{ClientAddress, Signed, Via, clear_session_cookie, session_cookie, sign_in};
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{PageError, Ui, render};

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path of this site is a place to go back to after signing in: it starts with one
/// `/` and holds nothing but visible ASCII other than `\` (browsers drop tabs and line breaks
/// from a location, so `/\t/evil.example` would become `//evil.example`, another host).
pub fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && n.len() <= 2000
            && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
    })
    .unwrap_or("/")
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
    PageQuery(query): PageQuery<NextQuery>,
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
    PageForm(credentials): PageForm<Credentials>,
) -> Result<Response, PageError> {
    if !same_origin(&headers) {
        return Err(page_error(&ui, Problem::forbidden("the sign-in form was posted from another site")));
    }
    let next = safe_next(credentials.next.as_deref()).to_string();
    match sign_in(&state, credentials.username.trim(), &credentials.password, &address.0, Via::Cookie).await {
        Ok(signed) => {
            let cookie = session_cookie(&signed.token, state.config.tls_behind_proxy);
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
        }
        Err(problem) if problem.status.is_client_error() => {
            let status = problem.status;
            let page = login_page(&state, &ui, &next, Some(&problem.message))?;
            Ok((status, Html(page)).into_response())
        }
        Err(problem) => Err(page_error(&ui, problem)),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    ui: Ui,
    signed: Option<Extension<Signed>>,
) -> Result<Response, PageError> {
    if let Some(Extension(signed)) = signed {
        state.close_session(&signed.token).await.or_page(&ui)?;
    }
    let cookie = clear_session_cookie(state.config.tls_behind_proxy);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_a_path_of_this_site_survives_next() {
        for hostile in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "/ /evil.example",
            "https://evil.example",
            "evil.example",
            "/\u{3000}/evil.example",
            "/\r//evil.example",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(Some("/targets/3.3.1?at=2026-10")), "/targets/3.3.1?at=2026-10");
        assert_eq!(safe_next(Some("/lists/enterprises?district=%E5%8C%97")), "/lists/enterprises?district=%E5%8C%97");
        assert_eq!(safe_next(None), "/");
    }
}
