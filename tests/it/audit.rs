//! The audit log as people read it, over HTTP: actions in Chinese, real names, what changed,
//! filters that say which parameter is wrong, sign-ins counted apart; the review page names
//! the reporter as people know them. A new user changes the password an administrator gave.

use serde_json::json;

use crate::http::send;
use crate::web::{api, on_every_backend, sign_in, url};

#[test]
fn the_audit_log_reads_in_words_and_filters() {
    on_every_backend(|| {
        // A value 市科技局 owes that no other test writes (they share the server).
        let tasks = api("GET", "/api/tasks", Some("kejiju"), None).json();
        let others = ["1.2.1", "1.2.2", "4.2.1", "4.2.2", "7.1.1", "7.2.1"];
        // The first of them that takes the value 3 (some are shares or ranks with bounds).
        let created = tasks
            .as_array()
            .expect("tasks")
            .iter()
            .filter(|t| {
                let id = t["target_id"].as_str().unwrap_or(":");
                !others.contains(&id) && !id.contains(':') && t["observation"].is_null()
            })
            .map(|t| {
                let body = json!({"target_id": t["target_id"], "org_unit": t["org_unit"], "period": t["period"], "value": 3, "comment": "审计"});
                api("POST", "/api/observations", Some("kejiju"), Some(body))
            })
            .find(|reply| reply.status == 201 || reply.status == 200)
            .expect("a value 市科技局 owes");
        let id = created.json()["id"].as_i64().expect("id");
        let submitted = api("POST", &format!("/api/observations/{id}/submit"), Some("kejiju"), None);
        assert_eq!(submitted.status, 200, "{}", submitted.text());

        let entries = api(
            "GET",
            "/api/audit?action=observation.submit&unit=%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80",
            Some("office"),
            None,
        );
        assert_eq!(entries.status, 200, "{}", entries.text());
        let entries = entries.json();
        let entries = entries.as_array().expect("entries");
        assert!(!entries.is_empty());
        for e in entries {
            assert_eq!(e["action_label"], "提交审核");
            assert_eq!(e["actor_name"], "市科技局 kejiju");
        }
        assert!(
            entries.iter().any(|e| e["changes"]
                .as_array()
                .is_some_and(|c| c.iter().any(|l| l.as_str() == Some("状态: 草稿 → 待审核")))),
            "the change in words: {entries:?}"
        );
        for (bad, parameter) in [
            ("from=yesterday", "from"),
            ("action=observation.delete", "action"),
            ("from=2026-12-05&until=2026-12-01", "until"),
        ] {
            let reply = api("GET", &format!("/api/audit?{bad}"), Some("office"), None);
            assert_eq!(reply.status, 400, "{bad}: {}", reply.text());
            assert!(reply.json()["message"].as_str().is_some_and(|m| m.contains(parameter)), "{bad}");
        }

        let (cookie, _) = sign_in("office");
        let page = send("GET", &url("/audit"), &[("Cookie", &cookie)], b"").text();
        assert!(page.contains("提交审核") && !page.contains("observation.submit</td>"), "actions in Chinese");
        assert!(page.contains("id=\"sign-ins\""), "sign-ins counted apart");
        assert!(!page.contains("<td>登录</td>"), "and not listed among the changes");
        let logins = send("GET", &url("/audit?action=login"), &[("Cookie", &cookie)], b"").text();
        assert!(logins.contains("<td>登录</td>"), "listed when asked for");
        let xlsx = send("GET", &url("/audit?action=observation.submit&format=xlsx"), &[("Cookie", &cookie)], b"");
        assert!(xlsx.status == 200 && xlsx.body.starts_with(b"PK"));

        let (reviewer, _) = sign_in("reviewer");
        let review = send("GET", &url("/review"), &[("Cookie", &reviewer)], b"").text();
        assert!(review.contains("市科技局 kejiju"), "the review page names the reporter by unit and name");
    });
}

/// A user an administrator creates gets 填报员 by default, the message 用户已创建, and changes the
/// given password at the first sign-in; a reset by the administrator asks for a change again.
#[test]
fn a_new_user_changes_the_given_password_first() {
    on_every_backend(|| {
        let (admin, csrf) = sign_in("admin");
        let form = [("Cookie", admin.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        let users = send("GET", &url("/users"), &[("Cookie", &admin)], b"").text();
        assert!(users.contains("<option value=\"reporter\" selected>"), "the role defaults to 填报员");
        let name = format!("new-{}", std::process::id());
        let body = format!(
            "_csrf={csrf}&username={name}&display_name=%E6%9D%8E%E5%8D%8E&password=given-password&org_unit=%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80&role=reporter"
        );
        let added = send("POST", &url("/users"), &form, body.as_bytes());
        assert_eq!(added.header("location"), Some("/users?done=created"), "{}", added.text());
        let shown = send("GET", &url("/users?done=created"), &[("Cookie", &admin)], b"").text();
        assert!(shown.contains("用户已创建"));

        let signed_in = |password: &str| {
            let form = format!("username={name}&password={password}&next=%2F");
            let reply =
                send("POST", &url("/login"), &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes());
            assert_eq!(reply.status, 303, "{}", reply.text());
            let cookie = reply.header("set-cookie").expect("cookie").split(';').next().expect("pair").to_string();
            let page = send("GET", &url("/password"), &[("Cookie", &cookie)], b"").text();
            let csrf = page.split("name=\"_csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("csrf");
            (cookie, csrf.to_string())
        };
        let (cookie, user_csrf) = signed_in("given-password");
        let home = send("GET", &url("/"), &[("Cookie", &cookie)], b"");
        assert_eq!((home.status, home.header("location")), (303, Some("/password")), "sent to change it first");
        let change = |cookie: &str, csrf: &str, again: &str| {
            let body = format!("_csrf={csrf}&password=my-own-secret&again={again}");
            send(
                "POST",
                &url("/password"),
                &[("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")],
                body.as_bytes(),
            )
        };
        assert_eq!(change(&cookie, &user_csrf, "typo-secret").status, 400, "the two must agree");
        assert_eq!(change(&cookie, &user_csrf, "my-own-secret").status, 303);
        assert_eq!(send("GET", &url("/"), &[("Cookie", &cookie)], b"").status, 200, "then every page opens");

        let reset = format!("_csrf={csrf}&password=temporary-2");
        let done = send("POST", &url(&format!("/users/{name}/password")), &form, reset.as_bytes());
        assert_eq!(done.header("location"), Some("/users?done=reset"), "{}", done.text());
        let (cookie, _) = signed_in("temporary-2");
        let home = send("GET", &url("/"), &[("Cookie", &cookie)], b"");
        assert_eq!(home.header("location"), Some("/password"), "after a reset, a change again");
    });
}
