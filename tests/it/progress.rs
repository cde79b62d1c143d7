//! 填报进度, 催报 and notices over HTTP: the office follows every unit across every period to
//! date, a reporter its own; a reminder reaches the unit's users (notice, badge) and the audit
//! log; bad filters are 400s that say which parameter.

use serde_json::{Value, json};

use crate::http::send;
use crate::web::{api, on_every_backend, sign_in, url};

fn rows(reply: &crate::http::Reply) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().as_array().cloned().unwrap_or_default()
}

#[test]
fn the_office_sees_every_overdue_unit_across_periods_a_reporter_its_own() {
    on_every_backend(|| {
        let office = rows(&api("GET", "/api/overdue", Some("office"), None));
        // Nothing was reported for 2025: 1.2.1 of 市科技局 is overdue since its first month.
        assert!(
            office
                .iter()
                .any(|o| o["target_id"] == "1.2.1" && o["period"] == "2025-01" && o["reporting_unit"] == "市科技局"),
            "the office sees last year's overdue reports of another unit"
        );
        let units: std::collections::BTreeSet<&str> =
            office.iter().filter_map(|o| o["reporting_unit"].as_str()).collect();
        assert!(units.len() > 5 && units.contains("北仑区"), "every unit, districts too: {units:?}");
        assert!(office.windows(2).all(|w| w[0]["days_overdue"].as_i64() >= w[1]["days_overdue"].as_i64()));
        let leader = rows(&api("GET", "/api/overdue", Some("leader"), None));
        assert_eq!(leader.len(), office.len(), "a leader follows every unit too");
        let kejiju = rows(&api("GET", "/api/overdue", Some("kejiju"), None));
        assert!(!kejiju.is_empty() && kejiju.iter().all(|o| o["reporting_unit"] == "市科技局"));

        let progress = api("GET", "/api/progress?frequency=year&from=2025", Some("office"), None);
        assert_eq!(progress.status, 200, "{}", progress.text());
        let body = progress.json();
        let unit = body["units"].as_array().expect("units").iter().find(|u| u["unit"] == "市科技局").cloned();
        let unit = unit.expect("市科技局 owes yearly reports");
        assert!(unit["overdue"].as_u64() > Some(0) && unit["timeliness"] == json!(0.0), "{unit}");
        assert!(
            body["reports"]
                .as_array()
                .expect("reports")
                .iter()
                .all(|r| !r["period"].as_str().unwrap_or("-").contains('-'))
        );
        for (bad, parameter) in [
            ("frequency=weekly", "frequency"),
            ("from=2025-13", "from"),
            ("frequency=year&from=2025-01", "from"),
            ("state=late", "state"),
        ] {
            let reply = api("GET", &format!("/api/progress?{bad}"), Some("office"), None);
            assert_eq!(reply.status, 400, "{bad}: {}", reply.text());
            assert!(reply.json()["message"].as_str().is_some_and(|m| m.contains(parameter)), "{bad}: {}", reply.text());
        }
    });
}

#[test]
fn a_reminder_reaches_the_units_users_and_the_audit_log() {
    on_every_backend(|| {
        let denied = api("POST", "/api/reminders", Some("kejiju"), Some(json!({"unit": "市商务局"})));
        assert_eq!(denied.status, 403, "{}", denied.text());
        let before = rows(&api("GET", "/api/notices", Some("shangwuju"), None)).len();
        let sent = rows(&api("POST", "/api/reminders", Some("office"), Some(json!({"unit": "市商务局"}))));
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0]["recipients"], json!(["shangwuju"]));
        let notices = rows(&api("GET", "/api/notices", Some("shangwuju"), None));
        assert_eq!(notices.len(), before + 1);
        assert_eq!(notices[0]["kind"], "reminder");
        assert!(
            notices[0]["message"].as_str().is_some_and(|m| m.contains("催报") && m.contains("逾期")),
            "{}",
            notices[0]
        );
        // The header of every page carries the count; reading them clears it.
        let (cookie, _) = sign_in("shangwuju");
        let page = send("GET", &url("/tasks"), &[("Cookie", &cookie)], b"").text();
        assert!(page.contains("id=\"notice-count\""), "the badge is in the header");
        let list = send("GET", &url("/notices"), &[("Cookie", &cookie)], b"");
        assert_eq!(list.status, 200);
        assert!(list.text().contains("市经信局催报"));
        let read = api("POST", "/api/notices/read", Some("shangwuju"), Some(json!({})));
        assert!(read.json()["read"].as_u64() >= Some(1), "{}", read.text());
        let page = send("GET", &url("/tasks"), &[("Cookie", &cookie)], b"").text();
        assert!(!page.contains("id=\"notice-count\""), "no badge once read");
        let audit = rows(&api("GET", "/api/audit?action=notice.remind&limit=100", Some("office"), None));
        assert!(audit.iter().any(|e| e["action"] == "notice.remind" && e["entity_id"] == "市商务局"), "audited");
        let unknown = api("POST", "/api/reminders", Some("office"), Some(json!({"unit": "火星"})));
        assert_eq!(unknown.status, 422, "{}", unknown.text());
    });
}

#[test]
fn the_progress_page_shows_the_grid_and_downloads_it() {
    on_every_backend(|| {
        let (cookie, _) = sign_in("office");
        let page = send("GET", &url("/progress"), &[("Cookie", &cookie)], b"");
        assert_eq!(page.status, 200, "{}", page.text());
        let text = page.text();
        assert!(text.contains("填报进度") && text.contains("填报及时率") && text.contains("逾期 "), "the grid");
        assert!(text.contains("id=\"remind-all\""), "the office may remind every overdue unit");
        let xlsx = send("GET", &url("/progress?frequency=quarter&format=xlsx"), &[("Cookie", &cookie)], b"");
        assert_eq!(xlsx.status, 200);
        assert!(xlsx.body.starts_with(b"PK"));
        let (leader, _) = sign_in("leader");
        let page = send("GET", &url("/progress"), &[("Cookie", &leader)], b"").text();
        assert!(page.contains("市发改委") && !page.contains("id=\"remind-all\""), "a leader reads, does not remind");
        let bad = send("GET", &url("/progress?frequency=daily"), &[("Cookie", &cookie)], b"");
        assert_eq!(bad.status, 400);
    });
}
