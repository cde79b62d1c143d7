//! The web application and the JSON API of plan361. Thin by design: it resolves who is asking,
//! calls the store (which enforces every permission) and the domain core, and renders the
//! results with `plan361-views`.

mod api;
mod audit;
mod auth;
mod error;
mod evaluation;
mod extract;
mod lists;
mod pages;
mod plan_versions;
mod progress;
mod render;
mod service;
mod stats;
mod warnings;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use plan361_core::access::{self, Action, Actor};
use plan361_store::Store;

pub use api::openapi;
pub use auth::TrustedProxies;
pub use error::Problem;
pub use service::{Upload, form_rows, read_form};

/// The largest request body accepted (an Excel form with a few thousand rows is far smaller).
pub const BODY_LIMIT: usize = 5 * 1024 * 1024;

/// How the server is deployed.
#[derive(Clone, Debug)]
pub struct Config {
    /// Proxies whose `X-Forwarded-For` names the client (for the sign-in limits).
    pub trusted_proxies: TrustedProxies,
    /// Served to browsers over HTTPS by a proxy: cookies are `Secure`, responses carry HSTS.
    pub tls_behind_proxy: bool,
    /// Uploaded files parsed at once (each on a thread of its own, off the async runtime);
    /// further uploads wait their turn.
    pub upload_workers: usize,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            trusted_proxies: TrustedProxies::default(),
            tls_behind_proxy: false,
            upload_workers: cores.div_ceil(2),
        }
    }
}

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub store: Store,
    pub config: Config,
    /// Turns of the upload parsers.
    uploads: Arc<tokio::sync::Semaphore>,
    sessions: auth::Sessions,
    limiter: auth::LoginLimiter,
    cache: evaluation::EvalCache,
    /// The database holds synthetic demo data: every page says so.
    pub demo: bool,
    /// The plan and decomposed goals the permission questions of the pages are asked against.
    rules: std::sync::RwLock<Option<RuleContext>>,
    warnings: warnings::Watch,
}

struct RuleContext {
    /// The plan generation the context was read at.
    generation: i64,
    plan: Arc<plan361_core::plan::Plan>,
    city: String,
    decompositions: Arc<plan361_core::eval::Decompositions>,
    assignments: Arc<access::ReportingAssignments>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub async fn new(store: Store) -> Result<AppState, Problem> {
        AppState::with_config(store, Config::default()).await
    }

    pub async fn with_config(store: Store, config: Config) -> Result<AppState, Problem> {
        let demo = store.is_demo().await?;
        store.prune_sessions().await?;
        let state = AppState(Arc::new(Shared {
            store,
            uploads: Arc::new(tokio::sync::Semaphore::new(config.upload_workers.max(1))),
            config,
            sessions: auth::Sessions::default(),
            limiter: auth::LoginLimiter::new(),
            cache: evaluation::EvalCache::new(),
            demo,
            rules: std::sync::RwLock::new(None),
            warnings: warnings::Watch::default(),
        }));
        state.refresh_rules().await?;
        state.refresh_warning_counts().await?;
        Ok(state)
    }

    /// Reloads the rule context when the plan, the decomposed goals or the assigned reporting
    /// units have changed (in this process or another), as seen by the evaluation cache's
    /// version check.
    async fn refresh_rules(&self) -> Result<(), Problem> {
        let generation = self.cache.refresh(&self.store).await?.generation;
        let current = self.rules.read().ok().and_then(|r| r.as_ref().map(|r| r.generation));
        if current == Some(generation) {
            return Ok(());
        }
        let plan = self.store.current_plan().await?;
        let org_units = self.store.org_units().await?;
        let decompositions = self.store.decompositions().await?;
        let assignments = self.store.reporting_assignments().await?;
        if let Ok(mut rules) = self.rules.write() {
            let city = org_units.city().name.clone();
            *rules = Some(RuleContext { generation, plan, city, decompositions, assignments });
        }
        Ok(())
    }

    /// Whether the permission rules allow `action` (for showing or hiding what a page offers;
    /// the store asks again before every write).
    pub fn allowed(&self, actor: &Actor, action: Action) -> bool {
        self.ask_rules(|cx| access::check(actor, action, cx).is_ok()).unwrap_or(false)
    }

    /// Whether `actor` has any business in `area` (what the navigation shows).
    pub fn may_enter(&self, actor: &Actor, area: access::Area) -> bool {
        self.ask_rules(|cx| access::may_enter(actor, area, cx)).unwrap_or(false)
    }

    /// `actor` entering a page of `area`: refused (403, with the rules' reason) where they have
    /// no business there.
    pub fn enter(&self, actor: &Actor, area: access::Area) -> Result<(), Problem> {
        match self.ask_rules(|cx| access::enter(actor, area, cx)) {
            Some(Ok(())) => Ok(()),
            Some(Err(denied)) => Err(Problem::forbidden(denied.0)),
            None => Err(Problem::forbidden("the permission rules could not be read")),
        }
    }

    /// Asks the rules in force; `None` (to be taken as a refusal) before they could be read.
    fn ask_rules<T>(&self, question: impl FnOnce(&access::Context) -> T) -> Option<T> {
        let rules = self.rules.read().ok()?;
        let rules = rules.as_ref()?;
        let cx = access::Context::new(&rules.plan, &rules.city, Some(&rules.decompositions))
            .with_assignments(&rules.assignments);
        Some(question(&cx))
    }

    /// After every write: drop cached results and scan for warnings soon.
    fn data_changed(&self) {
        self.cache.invalidate();
        self.warnings.poke();
    }

    /// Runs CPU-heavy work on a blocking thread, at most `upload_workers` at once, so that the
    /// async runtime keeps answering everyone else meanwhile.
    pub async fn parse_off_runtime<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Problem> {
        let _turn = self.uploads.clone().acquire_owned().await.map_err(|e| error::internal(&e))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| error::internal(&format!("the parser failed: {e}")))
    }
}

pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The whole application: pages, the API and static files.
pub fn router(state: AppState) -> Router {
    let (api_router, _) = api::routes().split_for_parts();
    Router::new()
        .merge(pages::routes())
        .merge(api_router)
        .route("/static/{name}", get(static_file))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), after_writes))
        .layer(middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .layer(middleware::from_fn(render::language))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(middleware::from_fn(log))
        .with_state(state)
}

/// Requests with a method that writes which write no data: signing in and out (sessions), and
/// the scan for warnings (which is what a write asks for).
const NOT_DATA_WRITES: [&str; 5] = ["/login", "/logout", "/api/login", "/api/logout", "/api/warnings/scan"];

/// After every request that wrote data (a method other than GET or HEAD, answered with success
/// or a redirect): cached evaluations are dropped and a scan for warnings follows soon.
/// Handlers write through the store and leave this to the router.
async fn after_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let writes = !request.method().is_safe() && !NOT_DATA_WRITES.contains(&request.uri().path());
    let response = next.run(request).await;
    if writes && (response.status().is_success() || response.status().is_redirection()) {
        state.data_changed();
    }
    response
}

/// One log line per request, with its status and time; a 500 with its cause. A handler that
/// panics is answered 500 (and logged) instead of dropping the connection.
async fn log(request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        Err(e) => {
            let cause = if e.is_panic() { "the handler panicked" } else { "the handler was cancelled" };
            let problem = error::internal(&cause);
            if is_api(&path) {
                error::ApiError(problem).into_response()
            } else {
                render::PageError::plain(problem).into_response()
            }
        }
    };
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        let cause = response.extensions().get::<error::Cause>().map_or("", |c| c.0.as_str());
        tracing::error!(target: "plan361::request", %method, path, status, ms, cause, "request failed");
    } else {
        tracing::info!(target: "plan361::request", %method, path, status, ms);
    }
    response
}

/// Refuses oversized bodies before anything reads them, and sets the security headers of
/// every response.
async fn guard(axum::extract::State(state): axum::extract::State<AppState>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // A NUL character is no part of any name, period or search, and PostgreSQL refuses it.
    let nul = request.uri().path_and_query().is_some_and(|p| p.as_str().to_ascii_lowercase().contains("%00"));
    let refused = if declared.is_some_and(|length| length > BODY_LIMIT) {
        Some(Problem::too_large(BODY_LIMIT))
    } else if nul {
        Some(Problem::bad_request("the address holds a NUL character (%00)"))
    } else {
        None
    };
    let mut response = if let Some(problem) = refused {
        if is_api(request.uri().path()) {
            error::ApiError(problem).into_response()
        } else {
            render::PageError::plain(problem).into_response()
        }
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; \
             form-action 'self'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.tls_behind_proxy {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

async fn static_file(Path(name): Path<String>) -> Response {
    match plan361_views::asset(&name) {
        Some(asset) => {
            ([(header::CONTENT_TYPE, asset.content_type), (header::CACHE_CONTROL, "public, max-age=3600")], asset.bytes)
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

async fn not_found(request: Request) -> Response {
    let path = request.uri().path().to_string();
    let problem = Problem::new(StatusCode::NOT_FOUND, "no_route", format!("no such address: {path}"));
    if is_api(&path) {
        error::ApiError(problem).into_response()
    } else {
        render::PageError::plain(problem).into_response()
    }
}

/// Serves the application on `listener` until Ctrl-C, keeping the warnings up to date.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    state.start_warning_scans();
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
