//! The plan office's pages over HTTP: plan versions (the list, the differences, loading a new
//! version from a file with every problem shown by line and nothing written), 目标分解 with its
//! sum check, 填报窗口 and 填报单位; the office and administrators may, everyone else gets a
//! 403 page. Writes go to a server of their own: a new plan version would change the plan under
//! the other tests.

use crate::checks::urlencode;
use crate::http::{Reply, send};
use crate::web::{PASSWORD, api, on_a_server_of_its_own, on_every_backend, server, sign_in, url, value};

const PAGES: [&str; 5] = [
    "/plan/versions",
    "/plan/versions/diff",
    "/plan/decomposition?target=2.3.2",
    "/plan/windows",
    "/plan/reporting-units",
];

#[test]
fn the_plan_pages_are_the_offices_and_refused_to_everyone_else() {
    on_every_backend(|| {
        for user in ["office", "admin"] {
            let (cookie, _) = sign_in(user);
            for path in PAGES {
                let reply = send("GET", &url(path), &[("Cookie", &cookie)], b"");
                assert_eq!(reply.status, 200, "{user} {path}: {}", reply.text());
                assert!(reply.text().contains("href=\"/plan/versions\""), "{user} {path}: 计划管理 in the navigation");
            }
        }
        for user in ["kejiju", "beilun", "reviewer", "leader"] {
            let (cookie, _) = sign_in(user);
            let cockpit = send("GET", &url("/"), &[("Cookie", &cookie)], b"").text();
            assert!(!cockpit.contains("href=\"/plan/versions\""), "{user}: no 计划管理 in the navigation");
            for path in PAGES {
                let reply = send("GET", &url(path), &[("Cookie", &cookie)], b"");
                assert_eq!(reply.status, 403, "{user} {path}: {}", reply.text());
                assert!(reply.text().contains("只有推进办和系统管理员可以管理计划"), "{user} {path}: in Chinese");
            }
            let listed = api("GET", "/api/plan/versions", Some(user), None);
            assert_eq!(listed.status, 403, "{user}: {}", listed.text());
        }
        let (cookie, _) = sign_in("office");
        let page = |path: &str| send("GET", &url(path), &[("Cookie", &cookie)], b"");
        let versions = page("/plan/versions").text();
        assert!(versions.contains("动态调整") && versions.contains("enctype=\"multipart/form-data\""));
        let decomposition = page("/plan/decomposition?target=2.3.2").text();
        assert!(decomposition.contains("北仑区") && decomposition.contains("value=\"660\""), "the seeded goal");
        assert!(decomposition.contains("区县合计") && decomposition.contains("不一致"), "660 of 3000: the sum check");
        let units = page("/plan/reporting-units").text();
        assert!(units.contains("1.2.2") && units.contains("市农业农村局"), "1.2.2 is reported by 市农业农村局");
        assert!(units.contains("载入新版本"), "how lead units change is said");
        let windows = page("/plan/windows").text();
        assert!(windows.contains("name=\"month_due_day\" value=\"10\""), "the default windows");
        for (path, status) in [
            ("/plan/decomposition?target=9.9.9", 404),
            ("/plan/versions/diff?from=x", 400),
            ("/plan/versions/diff?to=99", 404),
        ] {
            let reply = page(path);
            assert_eq!(reply.status, status, "{path}: {}", reply.text());
            assert!(reply.header("content-type").is_some_and(|t| t.starts_with("text/html")), "{path}: a page");
        }
        let listed = api("GET", "/api/plan/versions", Some("office"), None);
        assert_eq!(listed.status, 200, "{}", listed.text());
        assert_eq!(listed.json()[0]["version"], 1);
        let diff = api("GET", "/api/plan/versions/diff", Some("office"), None);
        assert_eq!((diff.status, diff.json()["from"].is_null()), (200, true), "the first version: {}", diff.text());
        assert_eq!(api("GET", "/api/plan/versions/diff?from=x", Some("office"), None).status, 400);
    });
}

/// The plan file with 3.3.1's goal raised from 160 to 170 and 7.3.3 renamed 7.3.4: one target
/// changed, one removed and one added.
pub fn changed_plan() -> String {
    let plan =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/ningbo-361-2025.toml")).expect("plan");
    plan.replace("values = { 2030 = 160 }", "values = { 2030 = 170 }").replace("id = \"7.3.3\"", "id = \"7.3.4\"")
}

/// A signed-in user: the server's address, the session cookie and the CSRF token.
struct Session {
    base: String,
    cookie: String,
    csrf: String,
}

impl Session {
    /// Signs in on the server the test runs on.
    fn of(username: &str) -> Session {
        let (cookie, csrf) = sign_in(username);
        Session { base: server().base.clone(), cookie, csrf }
    }

    fn get(&self, path: &str) -> Reply {
        send("GET", &format!("{}{path}", self.base), &[("Cookie", &self.cookie)], b"")
    }

    /// Posts a form (the CSRF token added).
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = std::iter::once(("_csrf", self.csrf.as_str()))
            .chain(fields.iter().copied())
            .map(|(name, value)| format!("{name}={}", urlencode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let headers = [("Cookie", self.cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        send("POST", &format!("{}{path}", self.base), &headers, body.as_bytes())
    }

    /// Loads a plan file through the page's form: `_csrf` first, then the fields and the file.
    fn load_plan(&self, effective: &str, reason: &str, file: &str) -> Reply {
        let boundary = "plan361-boundary-7f3a";
        let mut body = String::new();
        for (name, value) in [("_csrf", self.csrf.as_str()), ("effective", effective), ("reason", reason)] {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ningbo-361.toml\"\r\n\
             Content-Type: application/toml\r\n\r\n{file}\r\n--{boundary}--\r\n"
        ));
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let headers = [("Cookie", self.cookie.as_str()), ("Content-Type", content_type.as_str())];
        send("POST", &format!("{}/plan/versions", self.base), &headers, body.as_bytes())
    }
}

/// How many plan versions the API lists.
fn versions(session: &Session) -> usize {
    let listed = send("GET", &format!("{}/api/plan/versions", session.base), &[("Cookie", &session.cookie)], b"");
    listed.json().as_array().map_or(0, Vec::len)
}

#[test]
fn a_new_plan_version_is_checked_by_line_then_loaded_and_its_differences_shown() {
    on_a_server_of_its_own("plan-load", |_| loading_a_plan_version());
}

fn loading_a_plan_version() {
    let office = Session::of("office");
    let plan =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/ningbo-361-2025.toml")).expect("plan");
    // A kind the plan does not know: refused with its line, the typed fields kept, nothing written.
    let broken = plan.replacen("kind = \"milestone\"", "kind = \"wish\"", 1);
    let line = plan.lines().position(|l| l == "kind = \"milestone\"").expect("a milestone") + 1;
    let refused = office.load_plan("2027-01", "年中评估后调整", &broken);
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(text.contains("计划文件有问题,未作改动"), "{text}");
    assert!(text.contains(&format!("<td class=\"num\">{line}</td>")) && text.contains("wish"), "the line: {line}");
    assert!(text.contains("value=\"年中评估后调整\"") && text.contains("value=\"2027-01\""), "typed fields kept");
    assert_eq!(versions(&office), 1, "nothing written");

    let changed = changed_plan();
    let no_reason = office.load_plan("2027-01", "  ", &changed);
    assert_eq!(no_reason.status, 422, "{}", no_reason.text());
    assert!(no_reason.text().contains("id=\"reason-error\"") && no_reason.text().contains("调整计划须说明原因"));
    let bad_period = office.load_plan("2027-13", "年中评估后调整", &changed);
    assert_eq!(bad_period.status, 422);
    assert!(bad_period.text().contains("id=\"effective-error\""), "{}", bad_period.text());
    assert_eq!(versions(&office), 1, "nothing written");
    let denied = Session::of("kejiju").load_plan("2027-01", "年中评估后调整", &changed);
    assert_eq!(denied.status, 403, "{}", denied.text());

    let loaded = office.load_plan("2027-01", "年中评估后调整", &changed);
    assert_eq!(loaded.status, 303, "{}", loaded.text());
    let to = loaded.header("location").expect("to the differences").to_string();
    assert_eq!(to, "/plan/versions/diff?from=1&to=2&done=loaded");
    let diff = office.get(&to).text();
    assert!(diff.contains("新增 1 项 · 删除 1 项 · 修改 1 项"), "{diff}");
    for shown in ["3.3.1", "目标值", "2030年 160家", "2030年 170家", "7.3.4", "7.3.3", "年中评估后调整"] {
        assert!(diff.contains(shown), "the differences show {shown}");
    }
    let api_diff = send("GET", &format!("{}/api/plan/versions/diff", office.base), &[("Cookie", &office.cookie)], b"");
    let changes = api_diff.json()["changes"].as_array().cloned().unwrap_or_default();
    assert!(
        changes.iter().any(|c| c["id"] == "3.3.1" && c["field"] == "goal" && c["after"] == "2030=170"),
        "{changes:?}"
    );
    assert_eq!(versions(&office), 2);
    let again = office.load_plan("2027-01", "年中评估后调整", &changed);
    assert_eq!(again.header("location"), Some("/plan/versions?done=unchanged"), "the same file changes nothing");
    assert_eq!(versions(&office), 2);
}

#[test]
fn the_office_decomposes_a_target_and_sees_the_sum_check() {
    on_a_server_of_its_own("decomposition", |_| decomposing());
}

fn decomposing() {
    let office = Session::of("office");
    let save = |unit: &str, value: &str| {
        office.post("/plan/decomposition", &[("target", "2.3.2"), ("unit", unit), ("y2030", value)])
    };
    let refused = save("鄞州区", "12a");
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("不是数字") && refused.text().contains("value=\"12a\""), "typed value kept");
    let not_a_district = save("宁波市", "100");
    assert_eq!(not_a_district.status, 422, "{}", not_a_district.text());
    assert!(not_a_district.text().contains("不是区县"), "the store's refusal beside the line");
    // 0.5 is a state to reach by 2030: nothing to decompose in numbers.
    let state = office.post("/plan/decomposition", &[("target", "0.5"), ("unit", "鄞州区")]);
    assert_eq!(state.status, 422, "{}", state.text());
    assert!(state.text().contains("没有数值目标") && state.text().contains("请至少填写一个目标值"));
    let saved = save("鄞州区", "２,340");
    assert_eq!(saved.status, 303, "{}", saved.text());
    let page = office.get("/plan/decomposition?target=2.3.2").text();
    assert!(page.contains("value=\"2340\"") && page.contains("已分解"), "saved: {page}");
    assert!(page.contains("3000") && page.contains("✓ 区县合计与全市目标一致"), "660 + 2340 = 3000");
    assert_eq!(
        Session::of("leader")
            .post("/plan/decomposition", &[("target", "2.3.2"), ("unit", "鄞州区"), ("y2030", "1")])
            .status,
        403
    );
    let units = office.get("/plan/reporting-units").text();
    assert!(units.contains("北仑区、鄞州区"), "2.3.2 is now reported by both districts");
}

#[test]
fn the_office_sets_the_reporting_windows() {
    on_a_server_of_its_own("windows", |_| setting_windows());
}

fn setting_windows() {
    let office = Session::of("office");
    let fields = |due: &'static str, lock: &'static str| {
        vec![
            ("month_months_after", "1"),
            ("month_due_day", due),
            ("month_lock_day", lock),
            ("quarter_months_after", "1"),
            ("quarter_due_day", "15"),
            ("quarter_lock_day", "25"),
            ("year_months_after", "3"),
            ("year_due_day", "10"),
            ("year_lock_day", "25"),
        ]
    };
    let refused = office.post("/plan/windows", &fields("25", "20"));
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("锁定日不早于报送日") && refused.text().contains("value=\"25\""));
    let not_a_number = office.post("/plan/windows", &fields("十", "20"));
    assert_eq!(not_a_number.status, 422);
    assert!(not_a_number.text().contains("不是数字"));
    let saved = office.post("/plan/windows", &fields("12", "22"));
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(saved.header("location"), Some("/plan/windows?done=saved"));
    let page = office.get("/plan/windows?done=saved").text();
    assert!(page.contains("name=\"month_due_day\" value=\"12\"") && page.contains("已保存"), "{page}");
    assert_eq!(Session::of("reviewer").post("/plan/windows", &fields("12", "22")).status, 403);
}

#[test]
fn the_office_assigns_a_reporting_unit_and_the_duties_follow_it() {
    on_a_server_of_its_own("assign", |_| assigning());
}

fn assigning() {
    let nongye = serde_json::json!({"username": "nongye", "display_name": "nongye", "password": PASSWORD,
        "org_unit": "市农业农村局", "role": "reporter"});
    assert_eq!(api("POST", "/api/users", Some("admin"), Some(nongye)).status, 201);
    let owes = |user: &str| {
        let tasks = api("GET", "/api/tasks", Some(user), None).json();
        tasks.as_array().is_some_and(|t| t.iter().any(|t| t["target_id"] == "1.2.2"))
    };
    assert!(owes("kejiju"), "the plan's lead owes 1.2.2 before");
    let assign = |session: &Session, reason: &str| {
        let fields = [("target_id", "1.2.2"), ("org_unit", "市农业农村局"), ("reason", reason)];
        session.post("/plan/reporting-units", &fields)
    };
    for user in ["kejiju", "leader"] {
        let refused = assign(&Session::of(user), "数据由市农业农村局掌握");
        assert_eq!(refused.status, 403, "{user}: {}", refused.text());
    }
    let office = Session::of("office");
    let no_reason = assign(&office, "  ");
    assert_eq!(no_reason.status, 422, "{}", no_reason.text());
    let text = no_reason.text();
    assert!(text.contains("id=\"assign-error\"") && text.contains("请填写指派理由"), "the reason at its field: {text}");
    assert!(
        text.contains("value=\"市农业农村局\" selected") && text.contains("value=\"1.2.2\" selected"),
        "typed kept"
    );
    assert!(owes("kejiju"), "nothing written");

    let done = assign(&office, "数据由市农业农村局掌握");
    assert_eq!(done.header("location"), Some("/plan/reporting-units?done=saved"), "{}", done.text());
    let page = office.get("/plan/reporting-units").text();
    assert!(page.contains("市农业农村局(推进办指派)") && page.contains("数据由市农业农村局掌握"), "in force, with why");
    assert!(!owes("kejiju"), "the lead no longer owes 1.2.2");
    assert!(owes("nongye"), "the assigned unit does");
    let saved = api("POST", "/api/observations", Some("nongye"), Some(value("1.2.2", "宁波市", 3.0)));
    assert_eq!(saved.status, 201, "{}", saved.text());
    let refused = api("POST", "/api/observations", Some("kejiju"), Some(value("1.2.2", "宁波市", 4.0)));
    assert_eq!(refused.status, 403, "{}", refused.text());
}
