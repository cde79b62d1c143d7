//! Turning view models into responses: the page layout around a page's content, the language
//! of the pages, error pages, and tables as Excel downloads.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use plan361_core::access::Area;
use plan361_core::i18n::Labelled;
use plan361_core::i18n::Lang;
use plan361_files::xlsx;
use plan361_views::Words;
use plan361_views::askama::{self, Template};
use plan361_views::pages::{ErrorPage, Layout, NavItem, UserBadge};
use plan361_views::table::{Cell, Table};

use crate::AppState;
use crate::auth::Signed;
use crate::error::Problem;

const LANG_COOKIE: &str = "lang";

/// The language of the pages: `?lang=` (remembered in a cookie), else the cookie, else Chinese.
pub async fn language(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let asked = query_value(&parts, "lang").and_then(|code| Lang::from_code(&code));
    let lang = asked
        .or_else(|| crate::auth::cookie_value(&parts.headers, LANG_COOKIE).and_then(|c| Lang::from_code(&c)))
        .unwrap_or_default();
    parts.extensions.insert(lang);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(lang) = asked
        && let Ok(value) =
            HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000", lang.code()))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn query_value(parts: &Parts, key: &str) -> Option<String> {
    let query = parts.uri.query()?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The language and address of a page request.
#[derive(Clone)]
pub struct Ui {
    pub lang: Lang,
    pub w: &'static Words,
    /// Path and query without `lang` and `format`.
    pub here: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let path = parts.uri.path().to_string();
        let kept: Vec<(String, String)> = parts
            .uri
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k != "lang" && k != "format")
            .collect();
        let here = if kept.is_empty() {
            path
        } else {
            format!("{path}?{}", serde_urlencoded::to_string(&kept).unwrap_or_default())
        };
        Ok(Ui { lang, w: Words::of(lang), here })
    }
}

impl Ui {
    /// This page with another query parameter added.
    pub fn with(&self, key: &str, value: &str) -> String {
        let pair = serde_urlencoded::to_string([(key, value)]).unwrap_or_default();
        if self.here.contains('?') { format!("{}&{pair}", self.here) } else { format!("{}?{pair}", self.here) }
    }

    /// This page with a query parameter set to `value` (replacing it if present).
    pub fn set(&self, key: &str, value: &str) -> String {
        let (path, query) = self.here.split_once('?').unwrap_or((&self.here, ""));
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        pairs.retain(|(k, _)| k != key);
        pairs.push((key.to_string(), value.to_string()));
        format!("{path}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }

    /// This page without a query parameter.
    pub fn without(&self, key: &str) -> String {
        let (path, query) = self.here.split_once('?').unwrap_or((&self.here, ""));
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        pairs.retain(|(k, _)| k != key);
        if pairs.is_empty() {
            return path.to_string();
        }
        format!("{path}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }

    pub fn other_lang(&self) -> String {
        self.with("lang", if self.lang == Lang::Zh { "en" } else { "zh" })
    }
}

/// The sections of the navigation bar.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Cockpit,
    Projects,
    Lists,
    Stats,
    Tasks,
    Review,
    Compare,
    Audit,
    Users,
    Method,
    Warnings,
    Bulletins,
    Checks,
    Progress,
    Notices,
    Password,
    Planning,
}

impl Section {
    /// The part of the application the section belongs to: who may see it is `access`'s question.
    fn area(self) -> Area {
        match self {
            Section::Cockpit
            | Section::Projects
            | Section::Lists
            | Section::Stats
            | Section::Compare
            | Section::Method
            | Section::Warnings
            | Section::Bulletins
            | Section::Progress
            | Section::Notices
            | Section::Password => Area::Reading,
            Section::Tasks => Area::Reporting,
            // The data checks serve those who review reported values.
            Section::Review | Section::Checks => Area::Reviewing,
            Section::Audit => Area::Audit,
            Section::Users => Area::Users,
            Section::Planning => Area::Planning,
        }
    }
}

fn nav(state: &AppState, actor: &plan361_core::access::Actor, w: &'static Words, active: Section) -> Vec<NavItem> {
    let sections = [
        (Section::Cockpit, "/", w.cockpit),
        (Section::Projects, "/projects/0", w.projects),
        (Section::Lists, "/lists/enterprises", w.lists),
        (Section::Stats, "/stats", w.stats),
        (Section::Tasks, "/tasks", w.my_tasks),
        (Section::Review, "/review", w.review),
        (Section::Progress, "/progress", w.progress_title),
        (Section::Compare, "/compare", w.compare),
        (Section::Warnings, "/warnings", w.warnings),
        (Section::Bulletins, "/bulletins", w.bulletins),
        (Section::Checks, "/checks", w.checks),
        (Section::Audit, "/audit", w.audit),
        (Section::Users, "/users", w.users),
        (Section::Planning, "/plan/versions", w.planning),
    ];
    sections
        .into_iter()
        .filter(|(section, _, _)| state.may_enter(actor, section.area()))
        .map(|(section, href, label)| {
            // The warnings link carries the count of the user's unit's open warnings.
            let badge =
                (section == Section::Warnings).then(|| state.warnings_open_for(&actor.org_unit)).filter(|n| *n > 0);
            let href = match badge {
                Some(_) => format!("/warnings?open=true&owner_unit={}", percent_encoded(&actor.org_unit)),
                None => href.to_string(),
            };
            NavItem { href, label, active: section == active, badge }
        })
        .collect()
}

/// `user` entering a page (or a form, an upload, a download) of `section`: refused with the
/// error page (403, the rules' reason) where the role has no business there, before anything
/// of the page is made.
pub fn enter(state: &AppState, ui: &Ui, user: &Signed, section: Section) -> Result<(), PageError> {
    state.enter(&user.actor, section.area()).map_err(|problem| PageError { problem, lang: ui.lang })
}

/// A form's page: shown again after a refusal (with what was typed and the reason next to the
/// field), it answers 422 Unprocessable Entity; else as it is.
pub fn shown_again(page: Response, refused: bool) -> Response {
    if refused { (StatusCode::UNPROCESSABLE_ENTITY, page).into_response() } else { page }
}

/// A page: `content` inside the layout, for `user` (refused if `section` is none of theirs).
pub fn page(
    state: &AppState,
    ui: &Ui,
    user: &Signed,
    section: Section,
    title: &str,
    content: &str,
    downloadable: bool,
) -> Result<Response, PageError> {
    enter(state, ui, user, section)?;
    let nav = nav(state, &user.actor, ui.w, section);
    let badge = UserBadge {
        display_name: user.display_name.clone(),
        org_unit: user.actor.org_unit.clone(),
        role: user.actor.role.label(ui.lang).to_string(),
        notices: user.unread_notices,
    };
    let xlsx = ui.with("format", "xlsx");
    let printed = crate::service::today(state).to_string();
    let layout = Layout {
        w: ui.w,
        lang: ui.lang.code(),
        title,
        nav: &nav,
        user: Some(&badge),
        csrf: &user.csrf,
        demo: state.demo,
        other_lang_href: &ui.other_lang(),
        xlsx_href: downloadable.then_some(xlsx.as_str()),
        printed: &printed,
        content,
    };
    Ok(html(layout.render())?)
}

/// A rendered template as an HTML response.
pub fn html(rendered: askama::Result<String>) -> Result<Response, Problem> {
    rendered.map(|text| Html(text).into_response()).map_err(|e| crate::error::internal(&e))
}

pub fn render(template: &impl Template) -> Result<String, Problem> {
    template.render().map_err(|e| crate::error::internal(&e))
}

/// Tables as an .xlsx download.
pub fn xlsx_download(file_stem: &str, tables: &[&Table]) -> Result<Response, PageError> {
    let rows: Vec<Vec<Vec<xlsx::Cell>>> =
        tables.iter().map(|t| t.rows.iter().map(|r| r.iter().map(export_cell).collect()).collect()).collect();
    let headers: Vec<Vec<&str>> = tables.iter().map(|t| t.columns.iter().map(String::as_str).collect()).collect();
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        let mut name = if table.sheet.is_empty() { "Sheet".to_string() } else { table.sheet.clone() };
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{}{n}", table.sheet.chars().take(28).collect::<String>());
            n += 1;
        }
        names.push(name);
    }
    let sheets: Vec<xlsx::Table> = names
        .iter()
        .zip(headers.iter().zip(rows.iter()))
        .map(|(sheet, (headers, rows))| xlsx::Table { sheet, headers, rows })
        .collect();
    let bytes = xlsx::write_tables(&sheets).map_err(|e| crate::error::internal(&e))?;
    Ok(file_download(&format!("{file_stem}.xlsx"), XLSX_TYPE, bytes))
}

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn file_download(file_name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    // RFC 6266: an ASCII fallback and the UTF-8 name.
    let extension = file_name.rsplit_once('.').map_or("bin", |(_, e)| e);
    let disposition =
        format!("attachment; filename=\"plan361.{extension}\"; filename*=UTF-8''{}", percent_encoded(file_name));
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Text with every byte but the unreserved ones (RFC 3986) percent-encoded: one path segment of
/// an address, or a file name in a header.
pub fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn export_cell(cell: &Cell) -> xlsx::Cell {
    match cell {
        Cell::Number { value: Some(v), .. } => xlsx::Cell::Number(*v),
        Cell::Quantity { value: Some(v), unit, .. } => xlsx::Cell::Quantity(*v, unit.clone()),
        Cell::Percent(Some(p)) | Cell::Progress { value: Some(p), .. } => xlsx::Cell::Percent(*p),
        Cell::Points(Some(p)) => xlsx::Cell::Points(*p),
        Cell::Percent(None)
        | Cell::Number { value: None, .. }
        | Cell::Quantity { value: None, .. }
        | Cell::Points(None)
        | Cell::Progress { value: None, .. } => xlsx::Cell::Empty,
        other => xlsx::Cell::Text(other.plain()),
    }
}

/// An error answered as a page.
#[derive(Debug)]
pub struct PageError {
    pub problem: Problem,
    pub lang: Lang,
}

impl PageError {
    pub fn plain(problem: Problem) -> PageError {
        PageError { problem, lang: Lang::Zh }
    }
}

impl<E: Into<Problem>> From<E> for PageError {
    fn from(error: E) -> PageError {
        PageError::plain(error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let w = Words::of(self.lang);
        let status = self.problem.status;
        let mut message = self.problem.message;
        for line in &self.problem.problems {
            message.push('\n');
            message.push_str(line);
        }
        let content = ErrorPage { w, status: status.as_u16(), message: &message }.render().unwrap_or_default();
        let title = format!("{} {}", w.error, status.as_u16());
        let layout = Layout {
            w,
            lang: self.lang.code(),
            title: &title,
            nav: &[],
            user: None,
            csrf: "",
            demo: false,
            other_lang_href: "/",
            xlsx_href: None,
            printed: "",
            content: &content,
        };
        let mut response = (status, Html(layout.render().unwrap_or(message))).into_response();
        if let Some(cause) = self.problem.cause {
            response.extensions_mut().insert(crate::error::Cause(cause.into()));
        }
        response
    }
}
