//! The audit log as people read it, over HTTP: actions in Chinese, real names, what changed,
//! filters that say which parameter is wrong, sign-ins counted apart; the review page names
//! the reporter as people know them.

use serde_json::json;

use crate::http::send;
use crate::web::{api, on_every_backend, sign_in, url};

#[test]
fn the_audit_log_reads_in_words_and_filters() {
    on_every_backend(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
        let month = plan361_core::calendar::Date::in_china(now).month_period().to_string();
        let body = json!({"target_id": "1.2.2", "org_unit": "宁波市", "period": month, "value": 3, "comment": "审计"});
        let created = api("POST", "/api/observations", Some("kejiju"), Some(body));
        assert!(created.status == 201 || created.status == 200, "{}", created.text());
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
