//! Who is asking: sessions, sign-in with lockouts, the client's address, and the CSRF rule.
//!
//! Sessions live in the database (`plan361_store::sessions`): they survive a restart and every
//! server process on the database shares them. Only the SHA-256 of a token is stored. A session
//! ends when idle too long (8 hours in a browser, 12 for an API token), at an absolute age (24
//! hours in a browser, 12 for an API token) whatever its use, at sign-out, when its user is
//! disabled, and when its user opens more than [`SESSIONS_PER_USER`] (the oldest ends first).
//! This process keeps what it learnt of a session for up to [`RECHECK`] before asking the
//! database again, so a sign-out in another process takes effect within that time.
//!
//! A browser holds its token in an HttpOnly, SameSite=Strict cookie (`Secure` too behind a TLS
//! proxy); API clients send the token they got from `POST /api/login` as
//! `Authorization: Bearer`.
//!
//! CSRF: every state-changing request authenticated by the cookie must carry the session's
//! synchronizer token (form field `_csrf`, header `X-CSRF-Token`; for a file upload, a
//! `_csrf` field before the file) — never in a URL. The token is derived from the session's
//! (a hash of it), so it is never stored and dies with the session. SameSite=Strict is the
//! second line.
//!
//! Sign-in: failures are counted per (user, address) and answered with growing delays (one
//! second after five failures, doubling up to fifteen minutes), so that nobody locks another
//! person out from elsewhere; an address failing across many users is slowed down as well.
//! The client's address is the peer's, or — from a configured trusted proxy — the nearest
//! address in `X-Forwarded-For` that is not a trusted proxy.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::access::Actor;
use plan361_store::SessionLimits;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::render::PageError;

pub const SESSION_COOKIE: &str = "plan361_session";
/// Sessions a user may hold at once; opening one more ends the oldest.
pub const SESSIONS_PER_USER: i64 = 50;
const HOUR_MS: i64 = 3_600_000;
const BROWSER: SessionLimits =
    SessionLimits { idle_ms: 8 * HOUR_MS, absolute_ms: 24 * HOUR_MS, per_user: SESSIONS_PER_USER };
const API: SessionLimits =
    SessionLimits { idle_ms: 12 * HOUR_MS, absolute_ms: 12 * HOUR_MS, per_user: SESSIONS_PER_USER };
/// How long this process trusts what it knows of a session (its user's role, that it is not
/// closed elsewhere) before asking the database again; also how often use is recorded.
const RECHECK: Duration = Duration::from_secs(60);
/// Sessions remembered by this process at most (the database holds them all).
const CACHED_SESSIONS: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

impl Via {
    fn code(self) -> &'static str {
        match self {
            Via::Cookie => "cookie",
            Via::Bearer => "bearer",
        }
    }

    fn limits(self) -> SessionLimits {
        match self {
            Via::Cookie => BROWSER,
            Via::Bearer => API,
        }
    }
}

/// A signed-in user, as handlers see them.
#[derive(Clone, Debug)]
pub struct Signed {
    pub token: String,
    pub actor: Actor,
    pub display_name: String,
    pub csrf: String,
    pub via: Via,
    /// Unread notices, read afresh for every page (the header's badge).
    pub unread_notices: i64,
}

struct Cached {
    signed: Signed,
    checked: Instant,
}

/// What this process remembers of sessions, by token hash; the database is the truth.
#[derive(Default)]
pub struct Sessions {
    cache: Mutex<HashMap<String, Cached>>,
}

/// 32 random bytes as hex.
pub fn random_token() -> Result<String, Problem> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| crate::error::internal(&format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

fn hex_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// What the database knows a token by.
fn token_hash(token: &str) -> String {
    hex_sha256(token)
}

/// The CSRF token of a session: derived from its token, so never stored anywhere.
fn csrf_of(token: &str) -> String {
    hex_sha256(&format!("plan361-csrf:{token}"))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Sessions {
    fn remember(&self, hash: String, signed: Signed) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHED_SESSIONS {
                cache.clear();
            }
            cache.insert(hash, Cached { signed, checked: Instant::now() });
        }
    }

    fn forget(&self, hash: &str) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(hash);
        }
    }

    fn forget_user(&self, username: &str) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|_, c| c.signed.actor.username != username);
        }
    }

    fn recent(&self, hash: &str) -> Option<Signed> {
        let cache = self.cache.lock().ok()?;
        cache.get(hash).filter(|c| c.checked.elapsed() < RECHECK).map(|c| c.signed.clone())
    }
}

impl AppState {
    /// Opens a session for a signed-in user.
    pub async fn open_session(&self, actor: Actor, display_name: String, via: Via) -> Result<Signed, Problem> {
        let token = random_token()?;
        let hash = token_hash(&token);
        self.store.open_session(&hash, &actor.username, via.code(), via.limits()).await?;
        let signed = Signed { csrf: csrf_of(&token), token, actor, display_name, via, unread_notices: 0 };
        self.sessions.remember(hash, signed.clone());
        Ok(signed)
    }

    pub async fn close_session(&self, token: &str) -> Result<(), Problem> {
        let hash = token_hash(token);
        self.sessions.forget(&hash);
        Ok(self.store.close_session(&hash).await?)
    }

    /// Ends every session of a user (disabled, or role changed).
    pub async fn close_user_sessions(&self, username: &str) -> Result<(), Problem> {
        self.sessions.forget_user(username);
        Ok(self.store.close_user_sessions(username).await?)
    }

    /// The live session of a token: from this process's memory when recently checked, else
    /// from the database (and then its use is recorded and its user read again).
    async fn find_session(&self, token: &str, via: Via) -> Result<Option<Signed>, Problem> {
        let hash = token_hash(token);
        if let Some(signed) = self.sessions.recent(&hash) {
            return Ok((signed.via == via).then_some(signed));
        }
        let Some(record) = self.store.session(&hash).await? else {
            self.sessions.forget(&hash);
            return Ok(None);
        };
        if record.via != via.code() {
            return Ok(None);
        }
        let user = match self.store.user(&record.username).await {
            Ok(user) if !user.disabled => user,
            _ => {
                self.close_session(token).await?;
                return Ok(None);
            }
        };
        let actor = self.store.actor(&user.username).await?;
        if self.store.touch_session(&hash, via.limits()).await?.is_none() {
            return Ok(None);
        }
        let signed = Signed {
            token: token.to_string(),
            csrf: csrf_of(token),
            actor,
            display_name: user.display_name,
            via,
            unread_notices: 0,
        };
        self.sessions.remember(hash, signed.clone());
        Ok(Some(signed))
    }
}

/// Failures of (user, address) pairs and of addresses, with the delay each has earned.
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Failures>>,
}

struct Failures {
    count: u32,
    last: Instant,
    blocked_until: Instant,
}

/// Failures of one (user, address) before delays begin, and of one address across users.
const FREE_FAILURES: u32 = 5;
const FREE_FAILURES_PER_ADDRESS: u32 = 50;
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
const LONGEST_DELAY: Duration = Duration::from_secs(15 * 60);
/// Pairs and addresses remembered at most.
const REMEMBERED: usize = 100_000;

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new()
    }
}

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        LoginLimiter { failures: Mutex::new(HashMap::new()) }
    }

    fn keys(username: &str, address: &str) -> [(String, u32); 2] {
        [
            (format!("pair:{username}\u{0}{address}"), FREE_FAILURES),
            (format!("addr:{address}"), FREE_FAILURES_PER_ADDRESS),
        ]
    }

    /// Refuses while the (user, address) pair or the address is delayed; says for how long
    /// (seconds).
    pub fn check(&self, username: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(failures) = self.failures.lock() else { return Ok(()) };
        for (key, _) in Self::keys(username, address) {
            if let Some(f) = failures.get(&key)
                && f.blocked_until > now
            {
                let millis = f.blocked_until.duration_since(now).as_millis() as u64;
                return Err(millis.div_ceil(1000).max(1));
            }
        }
        Ok(())
    }

    pub fn failed(&self, username: &str, address: &str) {
        let now = Instant::now();
        let Ok(mut failures) = self.failures.lock() else { return };
        if failures.len() >= REMEMBERED {
            failures.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
            if failures.len() >= REMEMBERED {
                failures.clear();
            }
        }
        for (key, free) in Self::keys(username, address) {
            let f = failures.entry(key).or_insert(Failures { count: 0, last: now, blocked_until: now });
            if now.duration_since(f.last) >= FORGET_AFTER {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
            if f.count >= free {
                let doublings = (f.count - free).min(10);
                let delay = Duration::from_secs(1u64 << doublings).min(LONGEST_DELAY);
                f.blocked_until = now + delay;
            }
        }
    }

    /// A success clears the pair's failures (not the address's).
    pub fn succeeded(&self, username: &str, address: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&Self::keys(username, address)[0].0);
        }
    }
}

/// The client's address, for the sign-in limits ("unknown" when served without one, as in
/// tests).
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

/// Addresses and networks (`10.0.0.1`, `10.0.0.0/8`, `::1`) whose `X-Forwarded-For` is
/// believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    pub fn parse(items: &[String]) -> Result<TrustedProxies, String> {
        let mut networks = Vec::new();
        for item in items.iter().flat_map(|i| i.split(',')).map(str::trim).filter(|i| !i.is_empty()) {
            let (address, bits) = match item.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (item, None),
            };
            let address: IpAddr = address.parse().map_err(|_| format!("trusted proxy \"{item}\": not an address"))?;
            let max = if address.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("trusted proxy \"{item}\": bad prefix"))?,
                None => max,
            };
            networks.push((address, bits));
        }
        Ok(TrustedProxies(networks))
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|(network, bits)| match (network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_equal(&n.octets(), &a.octets(), *bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_equal(&n.octets(), &a.octets(), *bits),
            _ => false,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn prefix_equal(a: &[u8], b: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits);
    let (whole, rest) = (bits / 8, bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0
}

/// The client's address: the peer's, or behind a trusted proxy the nearest forwarded address
/// that is not itself a trusted proxy.
fn client_address(parts: &Parts, trusted: &TrustedProxies) -> ClientAddress {
    let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) else {
        return ClientAddress("unknown".into());
    };
    if !trusted.contains(peer) {
        return ClientAddress(peer.to_string());
    }
    let forwarded: Vec<IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    let client = forwarded.iter().rev().find(|a| !trusted.contains(**a)).or(forwarded.first()).copied().unwrap_or(peer);
    ClientAddress(client.to_string())
}

/// Checks a user name and password, with the sign-in limits, and opens a session.
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
            format!("too many failed sign-ins from here; try again in {retry_after} second(s)"),
        ));
    }
    let authenticated = if username.len() > 64 || password.len() > 1000 {
        Err(plan361_store::StoreError::Forbidden("wrong user name or password".into()))
    } else {
        state.store.authenticate(username, password).await
    };
    match authenticated {
        Ok(user) => {
            state.limiter.succeeded(username, address);
            let actor = state.store.actor(&user.username).await?;
            state.open_session(actor, user.display_name, via).await
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

/// The CSRF token a multipart upload must carry in a `_csrf` field before its file (checked by
/// the upload handler, which reads the fields in order).
#[derive(Clone, Debug)]
pub struct UploadCsrf(pub String);

/// Resolves the session of every request (into the request's extensions) and enforces the
/// CSRF rule on state-changing requests made with the cookie.
pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let address = client_address(&parts, &state.config.trusted_proxies);
    parts.extensions.insert(address);
    let mut signed = None;
    if let Some((token, via)) = credentials(&parts.headers)
        && token.len() <= 256
    {
        signed = match state.find_session(&token, via).await {
            Ok(found) => found,
            Err(problem) => return reject(&parts, problem),
        };
    }
    let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = match &signed {
        Some(session) if changes_state && session.via == Via::Cookie => {
            match csrf_check(&mut parts, body, &session.csrf).await {
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

/// The token a state-changing cookie request carries: a header, or an urlencoded form field;
/// a multipart upload's is checked as its first field by the handler.
async fn csrf_check(parts: &mut Parts, body: Body, expected: &str) -> Result<Body, Problem> {
    let missing = || {
        Problem::forbidden(
            "missing or wrong CSRF token: reload the page and try again (API clients: send X-CSRF-Token or use a \
             Bearer token)",
        )
    };
    if let Some(given) = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if same_secret(given, expected) { Ok(body) } else { Err(missing()) };
    }
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        parts.extensions.insert(UploadCsrf(expected.to_string()));
        return Ok(body);
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(missing());
    }
    let bytes = to_bytes(body, crate::BODY_LIMIT).await.map_err(|_| Problem::too_large(crate::BODY_LIMIT))?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    if pairs.iter().any(|(k, v)| k == "_csrf" && same_secret(v, expected)) {
        Ok(Body::from(bytes))
    } else {
        Err(missing())
    }
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

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Signed>().cloned() {
            Some(mut signed) => {
                // A password an administrator gave is changed before anything else is done.
                let path = parts.uri.path();
                if path != "/password"
                    && path != "/logout"
                    && state.store.user(&signed.actor.username).await.is_ok_and(|u| u.must_change_password)
                {
                    return Err(Redirect::to("/password").into_response());
                }
                // A badge that cannot be counted is left off rather than failing the page.
                signed.unread_notices = state.store.unread_notices(&signed.actor.username).await.unwrap_or(0);
                Ok(PageUser(signed))
            }
            None => {
                let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let next = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
                Err(Redirect::to(&format!("/login?{next}")).into_response())
            }
        }
    }
}

/// The `Set-Cookie` value of a browser session (`Secure` when served over TLS).
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_networks_match_by_prefix() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8, 192.168.1.5".into(), "::1".into()]).expect("parse");
        assert!(trusted.contains("10.200.3.4".parse().expect("ip")));
        assert!(trusted.contains("192.168.1.5".parse().expect("ip")));
        assert!(!trusted.contains("192.168.1.6".parse().expect("ip")));
        assert!(trusted.contains("::1".parse().expect("ip")));
        assert!(!trusted.contains("11.0.0.1".parse().expect("ip")));
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
    }

    #[test]
    fn delays_grow_per_user_and_address_and_leave_others_alone() {
        let limiter = LoginLimiter::new();
        for _ in 0..FREE_FAILURES {
            limiter.failed("admin", "1.1.1.1");
        }
        assert!(limiter.check("admin", "1.1.1.1").is_err(), "the pair is delayed");
        assert!(limiter.check("admin", "2.2.2.2").is_ok(), "the same user from elsewhere is not");
        assert!(limiter.check("office", "1.1.1.1").is_ok(), "another user from the same address is not");
        limiter.failed("admin", "1.1.1.1");
        let first = limiter.check("admin", "1.1.1.1").expect_err("delayed");
        assert!(first >= 2, "the delay doubles: {first}");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc"));
        assert!(!same_secret("ab", "abc"));
    }
}
