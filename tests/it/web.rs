//! The web application and the API over HTTP on loopback: sign-in, the permission table for
//! every role × route × org scope, bad input of every kind, CSRF, rate limiting, and the
//! OpenAPI document against the routes.

use std::sync::OnceLock;

use plan361_core::access::{Actor, Role};
use plan361_core::plan::{Goal, Milestone};
use plan361_store::{NewUser, Store};
use serde_json::{Value, json};

use crate::http::{Reply, send};

pub const PASSWORD: &str = "correct-horse-361";

/// The demo's users: name, org unit, role.
const USERS: [(&str, &str, Role); 6] = [
    ("office", "市经信局", Role::PlanOffice),
    ("kejiju", "市科技局", Role::Reporter),
    ("shangwuju", "市商务局", Role::Reporter),
    ("beilun", "北仑区", Role::Reporter),
    ("reviewer", "市经信局", Role::Reviewer),
    ("leader", "宁波市", Role::Viewer),
];

pub struct Server {
    pub base: String,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
}

/// Serves a fresh database at `location` from a thread of its own (it ends with the test
/// process).
fn start(location: String, backend: &'static str) -> Server {
    start_with(location, backend, plan361_web::Config::default(), true)
}

/// Serves the database at `location` (seeding it first when `seed_it`) with a deployment
/// configuration.
pub fn start_with(location: String, backend: &'static str, config: plan361_web::Config, seed_it: bool) -> Server {
    // A 500 is logged with its cause: shown with the failing test's output.
    let _ = tracing_subscriber::fmt().with_env_filter("plan361=error").with_test_writer().try_init();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
        runtime.expect("runtime").block_on(async move {
            let store = Store::open(&location).await.expect("store");
            if seed_it {
                seed(&store).await;
            }
            let state = plan361_web::AppState::with_config(store, config).await.expect("state");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            sender.send(listener.local_addr().expect("address")).expect("send");
            plan361_web::serve(state, listener).await.expect("serve");
        });
    });
    let address = receiver.recv().expect("the server starts");
    Server { base: format!("http://{address}"), backend }
}

/// A fresh SQLite database named `name` for this test process, under target/tmp, which
/// `cargo clean` empties: a server lives as long as the test process, so nothing can remove its
/// database when the tests end.
pub fn fresh_sqlite(name: &str) -> String {
    let db =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("plan361-{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    db.display().to_string()
}

/// The server on SQLite, for the whole test binary, on a fresh database.
fn sqlite_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start(fresh_sqlite("web"), "sqlite"))
}

/// Runs a test against a seeded server of its own on SQLite, for a test whose writes would
/// change what the tests sharing a server see (or theirs what it sees).
pub fn on_a_server_of_its_own(name: &str, test: impl FnOnce(&'static Server)) {
    let server: &'static Server = Box::leak(Box::new(start(fresh_sqlite(name), "sqlite")));
    CURRENT.with(|c| c.set(Some(server)));
    test(server);
    CURRENT.with(|c| c.set(None));
}

/// A fresh PostgreSQL database `plan361_{kind}_{pid}_{n}` on the server `PLAN361_PG_URL` names,
/// as a URL; `None` when it names none. Databases of the same kind left by test processes that
/// have ended go first (a test run going on beside this one keeps its own).
pub fn fresh_postgres(kind: &str) -> Option<String> {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let admin_url = std::env::var("PLAN361_PG_URL").ok()?;
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let database = format!("plan361_{kind}_{}_{n}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&admin_url).await.expect("PLAN361_PG_URL connects");
        let pattern = format!("plan361_{kind}_%");
        let existing: Vec<String> =
            sqlx::query_scalar("SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE $1")
                .bind(pattern)
                .fetch_all(&admin)
                .await
                .expect("list databases");
        let prefix = format!("plan361_{kind}_");
        let ended = |name: &String| {
            let pid = name.strip_prefix(&prefix).and_then(|rest| rest.split('_').next());
            pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists())
        };
        for name in existing.iter().filter(|name| ended(name)) {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop)).execute(&admin).await;
        }
        let create = format!("CREATE DATABASE {database}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&admin).await.expect("create");
        admin.close().await;
    });
    let (server, _) = admin_url.rsplit_once('/').expect("PLAN361_PG_URL ends with /DATABASE");
    Some(format!("{server}/{database}"))
}

/// The server on PostgreSQL when `PLAN361_PG_URL` names a server to create databases on (as
/// for the store's tests): a fresh database for this test process.
fn postgres_server() -> Option<&'static Server> {
    static SERVER: OnceLock<Option<Server>> = OnceLock::new();
    SERVER.get_or_init(|| Some(start(fresh_postgres("web")?, "postgres"))).as_ref()
}

thread_local! {
    static CURRENT: std::cell::Cell<Option<&'static Server>> = const { std::cell::Cell::new(None) };
}

/// The server the running test talks to: the one [`on_every_backend`] is at, else SQLite's.
pub fn server() -> &'static Server {
    CURRENT.with(|c| c.get()).unwrap_or_else(sqlite_server)
}

/// Runs a test against the server on SQLite, then on PostgreSQL when configured.
pub fn on_every_backend(test: impl Fn()) {
    for server in std::iter::once(sqlite_server()).chain(postgres_server()) {
        eprintln!("on {} ({})", server.backend, server.base);
        CURRENT.with(|c| c.set(Some(server)));
        test();
    }
    CURRENT.with(|c| c.set(None));
}

async fn seed(store: &Store) {
    let root = env!("CARGO_MANIFEST_DIR");
    let plan = std::fs::read_to_string(format!("{root}/plans/ningbo-361-2025.toml")).expect("plan");
    let units = std::fs::read_to_string(format!("{root}/data/org-units.toml")).expect("org units");
    let units = plan361_core::org::OrgUnits::parse("org-units", &units).expect("org units parse");
    store.initialize("plan", &plan, &units, PASSWORD).await.expect("initialize");
    let system = Actor::system("宁波市");
    for (username, org_unit, role) in USERS {
        let user = NewUser { username, display_name: username, password: PASSWORD, org_unit, role };
        store.add_user(&system, user).await.expect("user");
    }
    let goal = Goal::Path(vec![Milestone { year: 2030, value: 660.0 }]);
    store.set_decomposition(&system, "2.3.2", "北仑区", &goal).await.expect("decompose");
}

pub fn url(path: &str) -> String {
    format!("{}{path}", server().base)
}

/// A Bearer token for a user.
pub fn token(username: &str) -> String {
    static TOKENS: OnceLock<std::sync::Mutex<std::collections::HashMap<String, String>>> = OnceLock::new();
    let tokens = TOKENS.get_or_init(Default::default);
    let key = format!("{} {username}", server().base);
    let cached = tokens.lock().expect("lock").get(&key).cloned();
    // A user holds at most 20 sessions: the tests' many sign-ins may have ended the token's.
    if let Some(token) = cached
        && send("GET", &url("/api/me"), &[("Authorization", &format!("Bearer {token}"))], b"").status == 200
    {
        return token;
    }
    let body = json!({"username": username, "password": PASSWORD}).to_string();
    let reply = send("POST", &url("/api/login"), &[("Content-Type", "application/json")], body.as_bytes());
    assert_eq!(reply.status, 200, "login {username}: {}", reply.text());
    let token = reply.json()["token"].as_str().expect("token").to_string();
    tokens.lock().expect("lock").insert(key, token.clone());
    token
}

pub fn api(method: &str, path: &str, user: Option<&str>, body: Option<Value>) -> Reply {
    let bearer = user.map(|u| format!("Bearer {}", token(u)));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    send(method, &url(path), &headers, body.as_bytes())
}

/// The current month, as the server sees it.
fn this_month() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    plan361_core::calendar::Date::in_china(now).month_period().to_string()
}

pub fn value(target: &str, org_unit: &str, value: f64) -> Value {
    json!({"target_id": target, "org_unit": org_unit, "period": write_period(target), "value": value, "comment": "测试"})
}

/// Every 4xx has an explanation a person can act on.
fn assert_explained(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert!(body["error"].is_string() && body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
}

#[test]
fn unauthenticated_api_calls_get_401_and_pages_send_to_sign_in() {
    on_every_backend(|| {
        for (method, path) in [("GET", "/api/evaluation"), ("POST", "/api/observations"), ("GET", "/api/users")] {
            assert_explained(&api(method, path, None, Some(json!({}))), 401);
        }
        let page = send("GET", &url("/tasks"), &[], b"");
        assert_eq!(page.status, 303);
        assert_eq!(page.header("location"), Some("/login?next=%2Ftasks"));
        let bogus = send("GET", &url("/api/me"), &[("Authorization", "Bearer not-a-token")], b"");
        assert_eq!(bogus.status, 401);
        // A sign-in form posted from another site is refused.
        let form = format!("username=leader&password={PASSWORD}");
        let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "http://evil.example")];
        assert_eq!(send("POST", &url("/login"), &headers, form.as_bytes()).status, 403);
    });
}

#[test]
fn evaluation_returns_the_objects_of_eval_json() {
    on_every_backend(|| {
        let reply = api("GET", "/api/evaluation?at=2026-05", Some("leader"), None);
        assert_eq!(reply.status, 200, "{}", reply.text());
        let rows = reply.json();
        let first = &rows.as_array().expect("array")[0];
        for key in crate::EVALUATION_KEYS {
            assert!(first.get(key).is_some(), "missing {key}: {first}");
        }
        assert_eq!(first["period"], "2026-05");
        let city = api("GET", "/api/evaluation?at=2026&org_unit=宁波市&lang=en", Some("leader"), None).json();
        assert!(city.as_array().expect("array").iter().all(|r| r["org_unit"] == "宁波市"));
        assert_explained(&api("GET", "/api/evaluation?at=2026-13", Some("leader"), None), 400);
        assert_explained(&api("GET", "/api/evaluation?org_unit=火星区", Some("leader"), None), 404);
    });
}

/// Who may write what: (user, target, org unit, allowed), each in its period (see
/// [`write_period`]).
const WRITES: [(&str, &str, &str, bool); 14] = [
    ("kejiju", "1.3.2", "宁波市", true),
    ("kejiju", "7.3.2", "宁波市", false),   // led by 市委改革办 without 市科技局
    ("kejiju", "4.2.1", "北仑区", false),   // a department never writes a district's data
    ("shangwuju", "6.1.2", "宁波市", true), // a co-unit of the task
    ("shangwuju", "7.3.2", "宁波市", false),
    ("beilun", "2.3.2", "北仑区", true),
    ("beilun", "2.3.2", "鄞州区", false), // another district
    ("beilun", "6.1.2", "北仑区", false), // not decomposed to it
    ("beilun", "2.3.2", "宁波市", false),
    ("reviewer", "1.3.2", "宁波市", false), // reviewers do not report
    ("leader", "2.3.2", "宁波市", false),   // a viewer writes nothing
    ("leader", "2.3.2", "北仑区", false),
    ("office", "6.1.2", "北仑区", true),
    ("admin", "7.2.1", "海曙区", true), // the city's 7.2.1 is the data checks' test's
];

#[test]
fn a_period_of_another_frequency_is_refused_with_the_right_one() {
    // 7.1.1 is reported yearly: a month is refused, naming the frequency and an example.
    let body = json!({"target_id": "7.1.1", "org_unit": "宁波市", "period": this_month(), "value": 40.0});
    let reply = api("POST", "/api/observations", Some("kejiju"), Some(body));
    assert_explained(&reply, 422);
    let message = reply.json()["message"].as_str().unwrap_or_default().to_string();
    let year = &this_month()[..4];
    assert!(message.contains(&format!("目标 7.1.1 按年报送(期末数),请按年填报,如 {year}")), "{message}");
    // What a unit owes states its frequency and its basis in words.
    let duties = api("GET", "/api/tasks", Some("kejiju"), None).json();
    let duty = duties.as_array().expect("array").iter().find(|d| d["target_id"] == "1.2.1").expect("1.2.1 is owed");
    assert_eq!(duty["frequency"], "month");
    assert_eq!(duty["basis"], "2025年1月起累计新增", "the basis in words");
}

/// The current period of a target these tests write, at its frequency: this quarter for the
/// milestone 1.3.2, this year for the yearly 6.2.2, else this month.
fn write_period(target: &str) -> String {
    let month: plan361_core::Period = this_month().parse().expect("a month");
    match target {
        "1.3.2" => month.quarter_of().to_string(),
        "6.2.2" => month.year().to_string(),
        _ => month.to_string(),
    }
}

#[test]
fn the_permission_table_holds_for_every_role_and_scope() {
    on_every_backend(|| {
        for (user, target, org_unit, allowed) in WRITES {
            let reply = api("POST", "/api/observations", Some(user), Some(value(target, org_unit, 3.0)));
            if allowed {
                assert_eq!(reply.status, 201, "{user} {target} {org_unit}: {}", reply.text());
                let body = reply.json();
                assert!(body["id"].as_i64().is_some() && body["revision"] == 1 && body["state"] == "draft", "{body}");
            } else {
                assert_explained(&reply, 403);
            }
        }
        // Nothing refused was written.
        let month: plan361_core::Period = this_month().parse().expect("a month");
        let mut pairs: Vec<(String, String)> = Vec::new();
        for period in [month, month.quarter_of()] {
            let written = api("GET", &format!("/api/observations?period={period}"), Some("admin"), None).json();
            pairs.extend(written.as_array().expect("array").iter().map(|o| {
                (o["target_id"].as_str().unwrap_or("").to_string(), o["org_unit"].as_str().unwrap_or("").to_string())
            }));
        }
        let allowed = |target: &str, org_unit: &str| WRITES.iter().any(|w| w.1 == target && w.2 == org_unit && w.3);
        for (_, target, org_unit, _) in WRITES {
            let written = pairs.contains(&(target.to_string(), org_unit.to_string()));
            assert_eq!(written, allowed(target, org_unit), "{target} {org_unit}");
        }
    });
}

#[test]
fn review_rights_follow_the_role_and_the_workflow() {
    on_every_backend(|| {
        let created = api("POST", "/api/observations", Some("kejiju"), Some(value("1.2.1", "宁波市", 12.0))).json();
        let id = created["id"].as_i64().expect("id");
        // Only the reporter's side submits; nobody approves a draft.
        assert_explained(&api("POST", &format!("/api/observations/{id}/submit"), Some("leader"), None), 404);
        assert_explained(&api("POST", &format!("/api/observations/{id}/approve"), Some("reviewer"), None), 422);
        let submitted = api("POST", &format!("/api/observations/{id}/submit"), Some("kejiju"), None);
        assert_eq!(submitted.status, 200, "{}", submitted.text());
        assert_eq!(submitted.json()["state"], "submitted");
        // The reporter may see it but not approve it; the others may not even see it (404:
        // an id tells nothing of what exists).
        assert_explained(&api("POST", &format!("/api/observations/{id}/approve"), Some("kejiju"), None), 403);
        for user in ["shangwuju", "beilun", "leader"] {
            assert_explained(&api("POST", &format!("/api/observations/{id}/approve"), Some(user), None), 404);
        }
        assert_explained(
            &api("POST", &format!("/api/observations/{id}/return"), Some("reviewer"), Some(json!({}))),
            422,
        );
        let returned = api(
            "POST",
            &format!("/api/observations/{id}/return"),
            Some("reviewer"),
            Some(json!({"reason": "口径有误"})),
        );
        assert_eq!(returned.json()["state"], "returned", "{}", returned.text());
        api("POST", &format!("/api/observations/{id}/submit"), Some("kejiju"), None);
        // A decision on an old revision is a conflict naming the current one.
        let stale =
            api("POST", &format!("/api/observations/{id}/approve"), Some("reviewer"), Some(json!({"revision": 1})));
        assert_explained(&stale, 409);
        assert_eq!(stale.json()["current_revision"], 4);
        let approved = api("POST", &format!("/api/observations/{id}/approve"), Some("reviewer"), None);
        assert_eq!(approved.json()["state"], "approved", "{}", approved.text());
        let history = api("GET", &format!("/api/observations/{id}/revisions"), Some("kejiju"), None).json();
        let actions: Vec<&str> =
            history.as_array().expect("array").iter().filter_map(|r| r["action"].as_str()).collect();
        assert_eq!(actions, ["create", "submit", "return", "submit", "approve"]);
    });
}

#[test]
fn administration_routes_are_for_their_roles() {
    on_every_backend(|| {
        for (user, users_status, audit_status) in [
            ("admin", 200, 200),
            ("office", 403, 200),
            ("reviewer", 403, 403),
            ("kejiju", 403, 403),
            ("leader", 403, 403),
        ] {
            assert_eq!(api("GET", "/api/users", Some(user), None).status, users_status, "{user} users");
            assert_eq!(api("GET", "/api/audit", Some(user), None).status, audit_status, "{user} audit");
            let new = json!({"username": format!("x-{user}"), "display_name": "x", "password": "long-enough", "org_unit": "宁波市", "role": "viewer"});
            let expected = if user == "admin" { 201 } else { 403 };
            assert_eq!(api("POST", "/api/users", Some(user), Some(new)).status, expected, "{user} adds a user");
        }
        for user in ["admin", "office", "kejiju", "shangwuju", "beilun", "reviewer", "leader"] {
            assert_eq!(api("GET", "/api/evaluation", Some(user), None).status, 200, "{user} reads the evaluation");
            assert_eq!(api("GET", "/api/tasks", Some(user), None).status, 200, "{user} reads its tasks");
            assert_eq!(api("GET", "/api/overdue", Some(user), None).status, 200, "{user} reads what it owes");
        }
        let form = api("GET", "/api/form.xlsx", Some("kejiju"), None);
        assert_eq!(form.status, 200);
        assert!(form.body.starts_with(b"PK"), "an xlsx is a zip");
        let tasks = api("GET", "/api/tasks", Some("beilun"), None).json();
        assert!(
            tasks.as_array().expect("array").iter().all(|t| t["org_unit"] == "北仑区" && t["target_id"] == "2.3.2"),
            "{tasks}"
        );
    });
}

#[test]
fn bad_input_gets_a_4xx_with_an_explanation_and_writes_nothing() {
    on_every_backend(|| {
        // Values of the target the bad requests name (other tests write others meanwhile).
        let count = || {
            let listed = api("GET", "/api/observations?limit=100000&target_id=6.2.2", Some("admin"), None).json();
            listed.as_array().map_or(0, Vec::len)
        };
        let before = count();
        let raw = |body: &[u8]| {
            let bearer = format!("Bearer {}", token("kejiju"));
            send(
                "POST",
                &url("/api/observations"),
                &[("Content-Type", "application/json"), ("Authorization", &bearer)],
                body,
            )
        };
        assert_explained(&raw(b"{\"target_id\": \"6.2.2\""), 400);
        assert_explained(&raw(b"not json at all"), 400);
        assert_explained(&api("POST", "/api/observations", Some("kejiju"), Some(json!({"target_id": "6.2.2"}))), 422);
        let wrong_type = json!({"target_id": "6.2.2", "org_unit": "宁波市", "period": this_month(), "value": "many"});
        assert_explained(&api("POST", "/api/observations", Some("kejiju"), Some(wrong_type)), 422);
        let unknown_field =
            json!({"target_id": "6.2.2", "org_unit": "宁波市", "period": this_month(), "value": 1, "x": 1});
        assert_explained(&api("POST", "/api/observations", Some("kejiju"), Some(unknown_field)), 422);
        for (target, org_unit, period) in [
            ("6.2.2' OR '1'='1", "宁波市", this_month()),
            ("<script>alert(1)</script>", "宁波市", this_month()),
            ("6.2.2", "宁波市'; DROP TABLE observations; --", this_month()),
            (&"9".repeat(100_000), "宁波市", this_month()),
            ("6.2.2", "宁波市", "2026-13".to_string()),
            ("6.2.2", "宁波市", "2099-01".to_string()),
        ] {
            let body = json!({"target_id": target, "org_unit": org_unit, "period": period, "value": 1});
            let reply = api("POST", "/api/observations", Some("kejiju"), Some(body));
            assert!(matches!(reply.status, 400 | 403 | 422), "{}: {}", reply.status, reply.text());
            assert_explained(&reply, reply.status);
        }
        // One range everywhere: the API takes what the form and the files take.
        for value in [1e16, -1.79e308, 1.79e308] {
            let body =
                json!({"target_id": "6.2.2", "org_unit": "宁波市", "period": write_period("6.2.2"), "value": value});
            let reply = api("POST", "/api/observations", Some("kejiju"), Some(body));
            assert_explained(&reply, 422);
            assert_eq!(reply.json()["field"], "value", "{}", reply.text());
        }
        let long_comment = json!({"target_id": "6.2.2", "org_unit": "宁波市", "period": write_period("6.2.2"), "value": 1, "comment": "长".repeat(100_000)});
        assert_explained(&api("POST", "/api/observations", Some("kejiju"), Some(long_comment)), 422);
        let huge = vec![b'x'; 10 * 1024 * 1024];
        let reply = raw(&huge);
        assert_explained(&reply, 413);
        assert!(reply.json()["message"].as_str().unwrap_or("").contains("MB"));
        assert_explained(&api("POST", "/api/observations/999999/submit", Some("kejiju"), None), 404);
        assert_explained(&api("POST", "/api/observations/abc/approve", Some("reviewer"), None), 404);
        assert_explained(&api("GET", "/api/observations/1/nothing", Some("reviewer"), None), 404);
        assert_eq!(count(), before, "no bad request wrote anything");
    });
}

#[test]
fn hostile_text_is_stored_as_text_and_shown_escaped() {
    on_every_backend(|| {
        let comment = "<script>alert('x')</script> \"; DROP TABLE users; --";
        let body =
            json!({"target_id": "4.2.2", "org_unit": "宁波市", "period": this_month(), "value": 2, "comment": comment});
        let created = api("POST", "/api/observations", Some("kejiju"), Some(body));
        assert_eq!(created.status, 201, "{}", created.text());
        assert_eq!(created.json()["comment"], comment);
        let page = page_as("kejiju", "/targets/4.2.2");
        assert!(!page.contains("<script>alert"), "the comment is escaped on the page");
        assert!(page.contains("&lt;script&gt;alert") || page.contains("&#60;script&#62;"), "the comment is shown");
    });
}

/// Signs in with the form, returning the session cookie and the page's CSRF token.
pub fn sign_in(username: &str) -> (String, String) {
    let form = format!("username={username}&password={PASSWORD}&next=%2F");
    let reply = send("POST", &url("/login"), &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes());
    assert_eq!(reply.status, 303, "{}", reply.text());
    let set = reply.header("set-cookie").expect("a session cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    let cookie = set.split(';').next().expect("cookie").to_string();
    let page = send("GET", &url("/"), &[("Cookie", &cookie)], b"").text();
    let csrf = page.split("name=\"_csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("csrf");
    (cookie, csrf.to_string())
}

fn page_as(username: &str, path: &str) -> String {
    let (cookie, _) = sign_in(username);
    let reply = send("GET", &url(path), &[("Cookie", &cookie)], b"");
    assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    reply.text()
}

#[test]
fn every_page_renders_for_every_role_that_may_see_it() {
    on_every_backend(|| {
        for (user, path, status) in [
            ("leader", "/", 200),
            ("leader", "/?at=2025-06&lang=en", 200),
            ("leader", "/projects/3", 200),
            ("leader", "/targets/3.3.1", 200),
            ("leader", "/compare?target=3.3.1", 200),
            ("leader", "/audit", 403),
            ("leader", "/users", 403),
            ("leader", "/districts/北仑区", 200),
            ("kejiju", "/tasks", 200),
            ("beilun", "/tasks", 200),
            ("reviewer", "/review", 200),
            ("office", "/audit", 200),
            ("admin", "/users", 200),
            ("leader", "/targets/9.9.9", 404),
            ("leader", "/projects/x", 404),
            ("leader", "/?at=tomorrow", 400),
        ] {
            let (cookie, _) = sign_in(user);
            let reply = send("GET", &url(path), &[("Cookie", &cookie)], b"");
            assert_eq!(reply.status, status, "{user} {path}: {}", reply.text());
            assert!(reply.header("content-type").is_some_and(|t| t.starts_with("text/html")), "{path}");
            if status == 200 {
                // Every page's tables download as a workbook.
                let separator = if path.contains('?') { '&' } else { '?' };
                let xlsx = send("GET", &url(&format!("{path}{separator}format=xlsx")), &[("Cookie", &cookie)], b"");
                assert_eq!(xlsx.status, 200, "{path} as xlsx: {}", xlsx.text());
                assert!(xlsx.body.starts_with(b"PK"), "{path}: an xlsx is a zip");
            }
        }
    });
}

/// Each role's pages: what the navigation offers and which pages (with their forms, upload boxes
/// and downloads) answer, or refuse with the reason.
#[test]
fn each_role_sees_and_enters_only_its_own_pages() {
    on_every_backend(|| {
        let nav = |page: &str| -> Vec<String> {
            let nav = page.split("<nav class=\"main-nav\">").nth(1).and_then(|rest| rest.split("</nav>").next());
            nav.unwrap_or_default()
                .split("href=\"")
                .skip(1)
                .filter_map(|h| h.split('"').next())
                .map(String::from)
                .collect()
        };
        for (user, offered, refused) in [
            ("leader", &[][..], &["/tasks", "/review", "/checks", "/tasks/form.xlsx", "/audit", "/users"][..]),
            ("kejiju", &["/tasks"][..], &["/review", "/checks", "/audit", "/users"][..]),
            ("beilun", &["/tasks"][..], &["/review", "/checks"][..]),
            ("reviewer", &["/review", "/checks"][..], &["/tasks", "/tasks/form.xlsx", "/audit"][..]),
            ("office", &["/tasks", "/review", "/checks", "/audit"][..], &["/users"][..]),
        ] {
            let (cookie, _) = sign_in(user);
            let home = send("GET", &url("/progress"), &[("Cookie", &cookie)], b"").text();
            let links = nav(&home);
            for path in ["/tasks", "/review", "/checks", "/audit", "/users"] {
                assert_eq!(links.iter().any(|l| l == path), offered.contains(&path), "{user}'s navigation: {links:?}");
            }
            for path in refused {
                let reply = send("GET", &url(path), &[("Cookie", &cookie)], b"");
                assert_eq!(reply.status, 403, "{user} {path}");
                let page = reply.text();
                assert!(
                    page.contains("出错了 403") && !page.contains("<form method=\"post\" action=\"/tasks"),
                    "{page}"
                );
            }
        }
        // A viewer is refused the page, not shown an upload box or a queue.
        let (cookie, csrf) = sign_in("leader");
        let tasks = send("GET", &url("/tasks"), &[("Cookie", &cookie)], b"").text();
        assert!(tasks.contains("只有填报员和推进办填报数据") && !tasks.contains("type=\"file\""), "{tasks}");
        let review = send("GET", &url("/review"), &[("Cookie", &cookie)], b"").text();
        assert!(review.contains("只有审核员和推进办审核数据") && !review.contains("name=\"decision\""), "{review}");
        // Nor can a form be sent past the page.
        let form = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        let submitted = send("POST", &url("/tasks/submit-all"), &form, format!("_csrf={csrf}").as_bytes());
        assert_eq!(submitted.status, 403, "{}", submitted.text());
    });
}

/// A district's users land on their district's cockpit: its targets against its own goals, a
/// link to the city's; anyone may open a district's cockpit, nothing else is one.
#[test]
fn a_district_user_lands_on_its_own_cockpit() {
    on_every_backend(|| {
        let (cookie, _) = sign_in("beilun");
        let get = |path: &str| send("GET", &url(path), &[("Cookie", &cookie)], b"");
        let home = get("/");
        assert_eq!(home.status, 200, "{}", home.text());
        let home = home.text();
        assert!(home.contains("<h1>北仑区 · 区县驾驶舱</h1>"), "the district's cockpit");
        assert!(
            home.contains("/?scope=city&amp;at=") || home.contains("/?scope=city&#38;at="),
            "the city's a link away"
        );
        // 2.3.2 is decomposed to 北仑区 (660万平方米 by 2030): in the table with that goal once it
        // has a value (other tests write some), else listed as waiting for one.
        let waiting = home.contains("<li><a href=\"/targets/2.3.2\">2.3.2 ");
        let evaluated = home.contains("<td><a href=\"/targets/2.3.2\">2.3.2</a></td>");
        assert!(waiting != evaluated, "2.3.2 is on it once");
        assert!(waiting || (home.contains("660万平方米") && home.contains("<td>分解目标</td>")), "its goal");
        let city = get("/?scope=city").text();
        assert!(city.contains("<h1>驾驶舱</h1>") && city.contains("各工程目标状态"), "the city's cockpit");

        let (leader, _) = sign_in("leader");
        let as_leader = |path: &str| send("GET", &url(path), &[("Cookie", &leader)], b"");
        assert!(as_leader("/").text().contains("<h1>驾驶舱</h1>"), "a city user lands on the city's");
        // Targets counted from the four lists have a value for every district.
        let yinzhou = as_leader("/districts/鄞州区?at=2026-01");
        assert_eq!(yinzhou.status, 200, "{}", yinzhou.text());
        let yinzhou = yinzhou.text();
        assert!(yinzhou.contains("<h1>鄞州区 · 区县驾驶舱</h1>"), "{yinzhou}");
        assert!(
            yinzhou.contains("本区县目标 · 2026年1月")
                && yinzhou.contains("<td><a href=\"/targets/1.1.1\">1.1.1</a></td>")
        );
        let xlsx = as_leader("/districts/鄞州区?format=xlsx");
        assert!(xlsx.status == 200 && xlsx.body.starts_with(b"PK"), "its table as a workbook");
        for (path, status) in
            [("/districts/市科技局", 404), ("/districts/火星区", 404), ("/districts/北仑区?at=x", 400)]
        {
            let reply = as_leader(path);
            assert_eq!(reply.status, status, "{path}: {}", reply.text());
        }
    });
}

#[test]
fn a_malformed_query_string_on_a_page_is_an_error_page_in_its_language() {
    on_every_backend(|| {
        for (user, path, words) in [
            ("office", "/audit?before_id=yesterday", "出错了"),
            ("office", "/audit?before_id=yesterday&lang=en", "Something went wrong"),
            ("kejiju", "/tasks?count=-1", "出错了"),
        ] {
            let (cookie, _) = sign_in(user);
            let reply = send("GET", &url(path), &[("Cookie", &cookie)], b"");
            assert_eq!(reply.status, 400, "{user} {path}: {}", reply.text());
            assert!(reply.header("content-type").is_some_and(|t| t.starts_with("text/html")), "{path}");
            assert!(reply.text().contains(words), "{path}: {}", reply.text());
        }
    });
}

#[test]
fn cookie_requests_need_the_csrf_token() {
    on_every_backend(|| {
        let (cookie, csrf) = sign_in("kejiju");
        let form = |token: &str| {
            format!(
                "_csrf={token}&target_id=4.2.1&org_unit=%E5%AE%81%E6%B3%A2%E5%B8%82&period={}&revision=0&value=4&comment=&action=draft",
                this_month()
            )
        };
        let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        let forged = send("POST", &url("/tasks/save"), &headers, form("forged").as_bytes());
        assert_eq!(forged.status, 403, "{}", forged.text());
        let missing = send(
            "POST",
            &url("/api/observations"),
            &[("Cookie", cookie.as_str()), ("Content-Type", "application/json")],
            value("4.2.1", "宁波市", 4.0).to_string().as_bytes(),
        );
        assert_eq!(missing.status, 403);
        let saved = send("POST", &url("/tasks/save"), &headers, form(&csrf).as_bytes());
        assert_eq!(saved.status, 303, "{}", saved.text());
        assert_eq!(saved.header("location"), Some("/tasks?done=draft"));
        let bad_value = form(&csrf).replace("value=4", "value=lots");
        let rejected = send("POST", &url("/tasks/save"), &headers, bad_value.as_bytes());
        assert_eq!(rejected.status, 422);
        assert!(rejected.text().contains("is not a number"));
    });
}

#[test]
fn failed_sign_ins_are_rate_limited() {
    on_every_backend(|| {
        let attempt = |password: &str| {
            let body = json!({"username": "intruder", "password": password}).to_string();
            send("POST", &url("/api/login"), &[("Content-Type", "application/json")], body.as_bytes())
        };
        for _ in 0..5 {
            assert_eq!(attempt("guess").status, 401);
        }
        let limited = attempt("one more guess");
        assert_explained(&limited, 429);
    });
}

#[test]
fn the_openapi_document_matches_the_routes() {
    on_every_backend(|| {
        let reply = api("GET", "/api/openapi.json", None, None);
        assert_eq!(reply.status, 200);
        let document = reply.json();
        assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
        let paths = document["paths"].as_object().expect("paths");
        for required in [
            "/api/login",
            "/api/evaluation",
            "/api/observations",
            "/api/observations/{id}/submit",
            "/api/observations/{id}/approve",
            "/api/observations/{id}/return",
        ] {
            assert!(paths.contains_key(required), "{required} is documented");
        }
        // Every documented operation exists: it answers anything but "no route" / "wrong method".
        for (path, item) in paths {
            let concrete = path.replace("{id}", "1").replace("{username}", "nobody");
            for method in ["get", "post", "put", "delete", "patch"] {
                // Unauthenticated, so that nothing changes; a route that exists still answers.
                let reply = api(&method.to_uppercase(), &concrete, None, Some(json!({})));
                if item.get(method).is_some() {
                    assert!(
                        reply.status != 405 && !reply.text().contains("no_route"),
                        "{method} {path}: {}",
                        reply.status
                    );
                } else {
                    assert_eq!(reply.status, 405, "{method} {path} is undocumented and must not exist");
                }
            }
        }
        // Every API route is declared through utoipa's `routes!`, which documents it: no plain
        // axum route may be added under /api.
        let sources = std::fs::read_dir(format!("{}/crates/web/src", env!("CARGO_MANIFEST_DIR"))).expect("sources");
        for entry in sources.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "rs")) {
            let text = std::fs::read_to_string(entry.path()).expect("source");
            assert!(!text.contains(".route(\"/api"), "{} adds an undocumented API route", entry.path().display());
        }
    });
}

#[test]
fn the_excel_form_downloads_and_uploads() {
    on_every_backend(|| {
        let (cookie, csrf) = sign_in("kejiju");
        let form = send("GET", &url("/tasks/form.xlsx"), &[("Cookie", &cookie)], b"");
        assert_eq!(form.status, 200);
        assert!(form.body.starts_with(b"PK"), "an xlsx is a zip");
        let upload = |file: &[u8], token: &str| {
            let mut body = Vec::new();
            // The form sends its CSRF token as a field before the file, never in the URL.
            body.extend_from_slice(b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n");
            body.extend_from_slice(token.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(
                b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"form.xlsx\"\r\n",
            );
            body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
            body.extend_from_slice(file);
            body.extend_from_slice(b"\r\n--XBOUNDARY--\r\n");
            let headers = [("Cookie", cookie.as_str()), ("Content-Type", "multipart/form-data; boundary=XBOUNDARY")];
            send("POST", &url("/tasks/upload"), &headers, &body)
        };
        // The blank form would import nothing (every value left empty): its preview says so
        // and offers nothing to confirm.
        let blank = upload(&form.body, &csrf);
        assert_eq!(blank.status, 200, "{}", blank.text());
        assert!(
            blank.text().contains("无需导入") && !blank.text().contains("/tasks/upload/confirm"),
            "{}",
            blank.text()
        );
        let garbage = upload(b"this is not a spreadsheet", &csrf);
        assert_eq!(garbage.status, 422);
        assert!(garbage.text().contains("not a readable spreadsheet"), "{}", garbage.text());
        assert_eq!(upload(&form.body, "forged").status, 403);
    });
}

#[test]
fn fifty_concurrent_writers_over_http_get_no_500_and_lose_no_revision() {
    use std::time::{Duration, Instant};
    on_every_backend(|| {
        // Tokens and addresses are taken here: the threads do not know which backend is tested.
        let (office, reviewer) = (format!("Bearer {}", token("office")), format!("Bearer {}", token("reviewer")));
        let base = server().base.clone();
        let call = |method: &str, path: &str, bearer: &str, body: Value| {
            let started = Instant::now();
            let reply = send(
                method,
                &format!("{base}{path}"),
                &[("Content-Type", "application/json"), ("Authorization", bearer)],
                body.to_string().as_bytes(),
            );
            (reply, started.elapsed())
        };
        // Monthly targets no other test writes (forms uploaded by other tests hold 市科技局's).
        let targets = ["2.1.1", "1.4.1", "1.4.2"];
        /// A request's status, its time, and the (id, revision) it made.
        type Outcome = (u16, Duration, Option<(i64, i64)>);
        let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
            let writers: Vec<_> = (0..50)
                .map(|writer| {
                    let call = &call;
                    let (office, reviewer) = (&office, &reviewer);
                    scope.spawn(move || {
                        let mut seen = Vec::new();
                        for round in 0..4 {
                            let target = targets[(writer + round) % targets.len()];
                            let (listed, took) = call(
                                "GET",
                                &format!("/api/observations?target_id={target}&period={}", this_month()),
                                office,
                                Value::Null,
                            );
                            seen.push((listed.status, took, None));
                            let current = listed.json().as_array().and_then(|a| a.first().cloned());
                            let revision = current.as_ref().and_then(|o| o["revision"].as_i64());
                            let id = current.as_ref().and_then(|o| o["id"].as_i64());
                            let (reply, took) = match (writer % 3, id) {
                                (1, Some(id)) => call(
                                    "POST",
                                    &format!("/api/observations/{id}/submit"),
                                    office,
                                    json!({"revision": revision}),
                                ),
                                (2, Some(id)) => call(
                                    "POST",
                                    &format!("/api/observations/{id}/approve"),
                                    reviewer,
                                    json!({"revision": revision}),
                                ),
                                _ => {
                                    let mut body = value(target, "宁波市", (writer * 10 + round) as f64);
                                    body["revision"] = json!(revision);
                                    call("POST", "/api/observations", office, body)
                                }
                            };
                            let made = (reply.status < 300).then(|| {
                                let o = reply.json();
                                (o["id"].as_i64().unwrap_or(0), o["revision"].as_i64().unwrap_or(0))
                            });
                            seen.push((reply.status, took, made));
                        }
                        seen
                    })
                })
                .collect();
            writers.into_iter().flat_map(|w| w.join().expect("writer")).collect()
        });
        for (status, took, _) in &outcomes {
            assert!(matches!(status, 200 | 201 | 409 | 422), "status {status}");
            // A liveness bound, not a speed target (BENCHMARKS measures speed): nobody waits on a lock forever.
            assert!(*took < Duration::from_secs(20), "a request took {took:?}");
        }
        // Most writers lose a race (409, as they should); every one that won made exactly one
        // revision: each value's revision is the number of writes acknowledged for it.
        let mut acknowledged: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        for (_, _, made) in &outcomes {
            if let Some((id, _)) = made {
                *acknowledged.entry(*id).or_default() += 1;
            }
        }
        assert!(acknowledged.values().sum::<i64>() >= 3, "some writes went through");
        for (id, count) in &acknowledged {
            let history = api("GET", &format!("/api/observations/{id}/revisions"), Some("office"), None).json();
            assert_eq!(
                history.as_array().map_or(0, Vec::len) as i64,
                *count,
                "observation {id}: no lost or extra revision"
            );
        }
        // Every acknowledged revision is in its value's history, which has no gap or duplicate.
        for (_, _, made) in &outcomes {
            if let Some((id, revision)) = made {
                let history = api("GET", &format!("/api/observations/{id}/revisions"), Some("office"), None).json();
                let numbers: Vec<i64> =
                    history.as_array().expect("array").iter().filter_map(|r| r["revision"].as_i64()).collect();
                assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "observation {id}");
                assert!(numbers.contains(revision), "revision {revision} of {id} kept");
            }
        }
    });
}
