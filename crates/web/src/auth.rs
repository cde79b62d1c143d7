//! Who is asking: sessions, sign-in with rate limiting, and the CSRF rule.
//!
//! Sessions live in the server's memory (a restart signs everyone out, which a monitoring
//! system can afford): a browser holds an opaque token in an HttpOnly, SameSite=Strict cookie;
//! API clients send the token they got from `POST /api/login` as `Authorization: Bearer`.
//!
//! CSRF: every state-changing request authenticated by the cookie must carry the session's
//! synchronizer token (form field `_csrf`, header `X-CSRF-Token`, or `_csrf` in the query of a
//! file upload). A synchronizer token does not depend on the browser sending Fetch-Metadata or
//! Origin headers, which older browsers still found on government intranets omit; SameSite=Strict
//! is the second line. Bearer requests carry no ambient credential and need no token.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::access::Actor;

use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::render::PageError;

pub const SESSION_COOKIE: &str = "plan361_session";
const BROWSER_IDLE: Duration = Duration::from_secs(8 * 3600);
const API_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// How long a session trusts what it knows of its user before asking the database again (a
/// disabled user or a changed role takes effect within this time).
const RECHECK: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

/// A signed-in user, as handlers see them.
#[derive(Clone, Debug)]
pub struct Signed {
    pub token: String,
    pub actor: Actor,
    pub display_name: String,
    pub csrf: String,
    pub via: Via,
}

struct Session {
    actor: Actor,
    display_name: String,
    csrf: String,
    via: Via,
    expires: Instant,
    checked: Instant,
}

#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes as hex.
pub fn random_token() -> Result<String, Problem> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| crate::error::internal(&format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Sessions {
    pub fn open(&self, actor: Actor, display_name: String, via: Via) -> Result<Signed, Problem> {
        let token = random_token()?;
        let csrf = random_token()?;
        let now = Instant::now();
        let lifetime = if via == Via::Cookie { BROWSER_IDLE } else { API_LIFETIME };
        let session = Session {
            actor: actor.clone(),
            display_name: display_name.clone(),
            csrf: csrf.clone(),
            via,
            expires: now + lifetime,
            checked: now,
        };
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, s| s.expires > now);
            map.insert(token.clone(), session);
        }
        Ok(Signed { token, actor, display_name, csrf, via })
    }

    pub fn close(&self, token: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(token);
        }
    }

    /// Ends every session of a user (disabled, or role changed).
    pub fn close_user(&self, username: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, s| s.actor.username != username);
        }
    }

    /// The live session of a token, and whether its user must be checked again.
    fn find(&self, token: &str) -> Option<(Signed, bool)> {
        let now = Instant::now();
        let mut map = self.map.lock().ok()?;
        let session = map.get_mut(token)?;
        if session.expires <= now {
            map.remove(token);
            return None;
        }
        if session.via == Via::Cookie {
            session.expires = now + BROWSER_IDLE;
        }
        let stale = now.duration_since(session.checked) > RECHECK;
        let signed = Signed {
            token: token.to_string(),
            actor: session.actor.clone(),
            display_name: session.display_name.clone(),
            csrf: session.csrf.clone(),
            via: session.via,
        };
        Some((signed, stale))
    }

    fn refresh(&self, token: &str, actor: Actor) {
        if let Ok(mut map) = self.map.lock()
            && let Some(session) = map.get_mut(token)
        {
            session.actor = actor;
            session.checked = Instant::now();
        }
    }
}

/// Failed sign-ins per user name and per address within a sliding window.
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

const LIMIT_WINDOW: Duration = Duration::from_secs(15 * 60);
const LIMIT_PER_USER: usize = 5;
const LIMIT_PER_ADDRESS: usize = 20;

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        LoginLimiter { failures: Mutex::new(HashMap::new()) }
    }

    fn keys(username: &str, address: &str) -> [(String, usize); 2] {
        [(format!("user:{username}"), LIMIT_PER_USER), (format!("addr:{address}"), LIMIT_PER_ADDRESS)]
    }

    /// Refuses when the user or the address has failed too often lately; says when to retry.
    pub fn check(&self, username: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(mut failures) = self.failures.lock() else { return Ok(()) };
        for (key, limit) in Self::keys(username, address) {
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|t| now.duration_since(*t) < LIMIT_WINDOW);
                if times.len() >= limit {
                    let oldest = times.first().copied().unwrap_or(now);
                    return Err(LIMIT_WINDOW.saturating_sub(now.duration_since(oldest)).as_secs().max(1));
                }
            }
        }
        Ok(())
    }

    pub fn failed(&self, username: &str, address: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() > 100_000 {
                failures.clear();
            }
            for (key, _) in Self::keys(username, address) {
                failures.entry(key).or_default().push(Instant::now());
            }
        }
    }

    pub fn succeeded(&self, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("user:{username}"));
        }
    }
}

/// The client's address, for rate limiting ("unknown" when served without one, as in tests).
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

fn client_address(extensions: &axum::http::Extensions) -> ClientAddress {
    ClientAddress(
        extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
    )
}

/// Checks a user name and password, with rate limiting, and opens a session.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    address: &str,
    via: Via,
) -> Result<Signed, Problem> {
    if let Err(retry_after) = state.limiter.check(username, address) {
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            format!("too many failed sign-ins; try again in {} minute(s)", retry_after.div_ceil(60)),
        ));
    }
    let authenticated = if username.len() > 64 || password.len() > 1000 {
        Err(plan361_store::StoreError::Forbidden("wrong user name or password".into()))
    } else {
        state.store.authenticate(username, password).await
    };
    match authenticated {
        Ok(user) => {
            state.limiter.succeeded(username);
            let actor = state.store.actor(&user.username).await?;
            state.sessions.open(actor, user.display_name, via)
        }
        Err(plan361_store::StoreError::Forbidden(_)) => {
            state.limiter.failed(username, address);
            Err(Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", "wrong user name or password"))
        }
        Err(other) => Err(other.into()),
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie(headers, name).map(str::to_string)
}

fn credentials(headers: &HeaderMap) -> Option<(String, Via)> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| (t.trim().to_string(), Via::Bearer));
    bearer.or_else(|| cookie(headers, SESSION_COOKIE).map(|t| (t.to_string(), Via::Cookie)))
}

/// Resolves the session of every request (into the request's extensions) and enforces the
/// CSRF rule on state-changing requests made with the cookie.
pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let address = client_address(&parts.extensions);
    parts.extensions.insert(address);
    let mut signed = None;
    if let Some((token, via)) = credentials(&parts.headers)
        && let Some((session, stale)) = state.sessions.find(&token)
        && session.via == via
    {
        signed = if stale {
            match state.store.actor(&session.actor.username).await {
                Ok(actor) => {
                    state.sessions.refresh(&token, actor.clone());
                    Some(Signed { actor, ..session })
                }
                Err(_) => {
                    state.sessions.close(&token);
                    None
                }
            }
        } else {
            Some(session)
        };
    }
    let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = match &signed {
        Some(session) if changes_state && session.via == Via::Cookie => {
            match csrf_check(&parts, body, &session.csrf).await {
                Ok(body) => body,
                Err(problem) => return reject(&parts, problem),
            }
        }
        _ => body,
    };
    if let Some(session) = signed {
        // What the pages offer follows plan changes made elsewhere; a failure here only
        // leaves the previous context in place (the store checks every write anyway).
        let _ = state.refresh_rules().await;
        parts.extensions.insert(session);
    }
    next.run(Request::from_parts(parts, body)).await
}

fn reject(parts: &Parts, problem: Problem) -> Response {
    if crate::is_api(parts.uri.path()) {
        ApiError(problem).into_response()
    } else {
        PageError::plain(problem).into_response()
    }
}

/// The token a state-changing cookie request carries: header, query, or urlencoded form field.
async fn csrf_check(parts: &Parts, body: Body, expected: &str) -> Result<Body, Problem> {
    let missing = || {
        Problem::forbidden(
            "missing or wrong CSRF token: reload the page and try again (API clients: send X-CSRF-Token or use a \
             Bearer token)",
        )
    };
    let from_header = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    let from_query = parts.uri.query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v))
    });
    if let Some(given) = from_header.map(str::to_string).or(from_query) {
        return if given == expected { Ok(body) } else { Err(missing()) };
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(missing());
    }
    let bytes = to_bytes(body, crate::BODY_LIMIT).await.map_err(|_| Problem::too_large(crate::BODY_LIMIT))?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    if pairs.iter().any(|(k, v)| k == "_csrf" && v == expected) { Ok(Body::from(bytes)) } else { Err(missing()) }
}

/// A signed-in user of the API: 401 otherwise.
pub struct ApiUser(pub Signed);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Signed>().cloned().map(ApiUser).ok_or(ApiError(Problem::unauthenticated()))
    }
}

/// A signed-in user of the pages: sent to the sign-in page otherwise.
pub struct PageUser(pub Signed);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Signed>().cloned() {
            Some(signed) => Ok(PageUser(signed)),
            None => {
                let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let next = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
                Err(Redirect::to(&format!("/login?{next}")).into_response())
            }
        }
    }
}

/// The `Set-Cookie` value of a browser session.
pub fn session_cookie(token: &str) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict")
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}
