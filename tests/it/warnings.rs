//! Warnings and bulletins on the web server: a lagging value raises a warning for its owner, who
//! alone (with the plan office) takes it through its life over the API; filters and bad input
//! are explained; the centre and the bulletin downloads answer every role.

use serde_json::{Value, json};

use crate::http::send;
use crate::web::{api, sign_in, url};

/// The month the server scans: the last one that has ended.
pub fn last_month() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    plan361_core::calendar::Date::in_china(now).month_period().previous_month().to_string()
}

/// Writes an approved value for last month as the plan office, then scans: the warning of
/// (target, org unit) whose projected miss it causes.
pub fn lagging_warning(target: &str, org_unit: &str) -> Value {
    let value =
        json!({"target_id": target, "org_unit": org_unit, "period": last_month(), "value": 1.0, "comment": "进展缓慢"});
    let created = api("POST", "/api/observations", Some("office"), Some(value));
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_i64().expect("id");
    // Duties are separated: the office enters and submits, a reviewer approves.
    for (step, user) in [("submit", "office"), ("approve", "reviewer")] {
        let reply = api("POST", &format!("/api/observations/{id}/{step}"), Some(user), None);
        assert_eq!(reply.status, 200, "{step}: {}", reply.text());
    }
    let scan = api("POST", "/api/warnings/scan", Some("office"), Some(json!({})));
    assert_eq!(scan.status, 200, "{}", scan.text());
    assert_eq!(scan.json()["period"], last_month());
    let key = format!("projected_miss:{target}:{org_unit}");
    let found = api("GET", &format!("/api/warnings?target_id={target}&source=projected_miss"), Some("leader"), None);
    found
        .json()
        .as_array()
        .expect("array")
        .iter()
        .find(|w| w["key"] == key.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("no {key}: {}", found.text()))
}

#[test]
fn the_owner_takes_a_warning_through_its_life_over_the_api() {
    // 2.3.2 is decomposed to 北仑区 (660万平方米 by 2030): 1 by last month is far behind.
    let warning = lagging_warning("2.3.2", "北仑区");
    for key in ["id", "source", "level", "target_id", "org_unit", "owner_unit", "period", "reason", "state", "history"]
    {
        assert!(warning.get(key).is_some(), "{key} in {warning}");
    }
    assert_eq!(warning["owner_unit"], "北仑区", "a district's value: the district answers for it");
    assert_eq!(warning["org_unit"], "北仑区");
    assert_eq!(warning["state"], "new");
    assert!(
        warning["reason"].as_str().is_some_and(|r| r.starts_with("北仑区·") && r.contains("1万平方米")),
        "{warning}"
    );
    let id = warning["id"].as_i64().expect("id");
    let path = |step: &str| format!("/api/warnings/{id}/{step}");

    // The owner's users see it on their home page, with the way to the centre; others do not.
    let home = |user: &str| {
        let (cookie, _) = sign_in(user);
        send("GET", &url("/"), &[("Cookie", &cookie)], b"").text()
    };
    let beilun_home = home("beilun");
    assert!(beilun_home.contains("本单位未解除的预警") && beilun_home.contains(&format!("/warnings/{id}\"")));
    let filtered = format!("owner_unit={}", "北仑区".bytes().map(|b| format!("%{b:02X}")).collect::<String>());
    assert!(beilun_home.contains(&filtered), "the centre, filtered to the unit");
    assert!(!home("kejiju").contains(&format!("/warnings/{id}\"")), "another unit's warning is not on its home");

    // Another district, a department and a viewer may not; the owner may.
    for user in ["kejiju", "leader"] {
        let refused = api("POST", &path("acknowledge"), Some(user), None);
        assert_eq!(refused.status, 403, "{user}: {}", refused.text());
    }
    let acknowledged = api("POST", &path("acknowledge"), Some("beilun"), None);
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.text());
    assert_eq!(acknowledged.json()["state"], "acknowledged");
    assert_eq!(api("POST", &path("acknowledge"), Some("beilun"), None).status, 422, "signed for once");
    let no_date = api("POST", &path("measures"), Some("beilun"), Some(json!({"measures": "督促项目开工"})));
    assert_eq!(no_date.status, 422, "{}", no_date.text());
    let bad_date =
        api("POST", &path("measures"), Some("beilun"), Some(json!({"measures": "督促", "due": "2026-02-30"})));
    assert_eq!(bad_date.status, 422, "{}", bad_date.text());
    let measures =
        api("POST", &path("measures"), Some("beilun"), Some(json!({"measures": "督促项目开工", "due": "2027-03-31"})));
    assert_eq!(measures.status, 200, "{}", measures.text());
    assert_eq!(
        (measures.json()["state"].clone(), measures.json()["measures_due"].clone()),
        (json!("in_progress"), json!("2027-03-31"))
    );
    assert_eq!(api("POST", &path("resolve"), Some("beilun"), Some(json!({"note": ""}))).status, 422);
    let resolved = api("POST", &path("resolve"), Some("beilun"), Some(json!({"note": "已开工"})));
    assert_eq!(resolved.status, 200, "{}", resolved.text());
    let history: Vec<(String, String)> = resolved.json()["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| (h["action"].as_str().unwrap_or("").to_string(), h["actor"].as_str().unwrap_or("").to_string()))
        .collect();
    let steps: Vec<&str> = history.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(steps, ["raised", "acknowledged", "measures", "resolved"]);
    assert!(history[1..].iter().all(|(_, who)| who == "beilun"));

    // A scan of the same month keeps a hand resolution while the cause stays.
    api("POST", "/api/warnings/scan", Some("office"), Some(json!({})));
    assert_eq!(api("GET", &format!("/api/warnings/{id}"), Some("leader"), None).json()["state"], "resolved");
    let audit = api("GET", "/api/audit?actor=beilun&limit=1000", Some("office"), None).json();
    let audited: Vec<&str> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|e| e["entity"] == "warning" && e["entity_id"] == id.to_string().as_str())
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(audited.len(), 3, "every step of the owner is audited: {audited:?}");
}

#[test]
fn warning_filters_and_requests_explain_what_is_wrong() {
    for (query, field) in [
        ("level=purple", "level"),
        ("state=done", "state"),
        ("source=x", "source"),
        ("at=soon", "at"),
        ("open=maybe", "open"),
    ] {
        let reply = api("GET", &format!("/api/warnings?{query}"), Some("leader"), None);
        assert_eq!(reply.status, 400, "{query}");
        assert!(reply.json()["message"].as_str().is_some_and(|m| m.starts_with(field)), "{query}: {}", reply.text());
    }
    assert_eq!(api("GET", "/api/warnings/999999", Some("leader"), None).status, 404);
    assert_eq!(api("POST", "/api/warnings/999999/acknowledge", Some("office"), None).status, 404);
    // An id that is no number, or too large for one, names no warning: 404 with an explanation.
    for path in ["/api/warnings/9223372036854775808", "/api/warnings/x/acknowledge", "/api/warnings/-/resolve"] {
        let method = if path.ends_with("acknowledge") || path.ends_with("resolve") { "POST" } else { "GET" };
        let reply = api(method, path, Some("office"), Some(json!({"note": "n"})));
        assert_eq!(reply.status, 404, "{path}: {}", reply.text());
        assert!(reply.json()["message"].as_str().is_some_and(|m| m.starts_with("id: ")), "{path}: {}", reply.text());
    }
    let (cookie, _) = sign_in("office");
    let page = send("GET", &url("/warnings/9223372036854775808"), &[("Cookie", &cookie)], b"");
    assert_eq!(page.status, 404, "{}", page.text());
    assert!(page.text().contains("<html"), "a page's error is a page");
    assert_eq!(api("POST", "/api/warnings/scan", Some("kejiju"), Some(json!({}))).status, 403);
    assert_eq!(api("POST", "/api/warnings/scan", Some("office"), Some(json!({"at": "2026"}))).status, 422);
    let rules = api("GET", "/api/warnings/rules", Some("leader"), None).json();
    assert_eq!(rules["rules"].as_array().map(Vec::len), Some(9), "{rules}");
    let mut bad = rules.clone();
    bad["rules"][6]["threshold"] = json!(5);
    let refused = api("PUT", "/api/warnings/rules", Some("office"), Some(bad));
    assert_eq!(refused.status, 422);
    assert!(
        refused.json()["field"] == "rules"
            && refused.json()["message"].as_str().is_some_and(|m| m.contains("enterprise_fall: threshold")),
        "{}",
        refused.text()
    );
    assert_eq!(api("PUT", "/api/warnings/rules", Some("kejiju"), Some(rules.clone())).status, 403);
    assert_eq!(api("PUT", "/api/warnings/rules", Some("office"), Some(rules)).status, 200);
    let open = api("GET", "/api/warnings?open=true&level=red", Some("leader"), None).json();
    assert!(open.as_array().expect("array").iter().all(|w| w["state"] != "resolved" && w["level"] == "red"));
}

#[test]
fn the_centre_and_the_bulletins_answer_every_role() {
    for user in ["leader", "kejiju", "office"] {
        let (cookie, _) = sign_in(user);
        for path in ["/warnings", "/warnings?level=red&sort=owner", "/bulletins"] {
            let reply = send("GET", &url(path), &[("Cookie", &cookie)], b"");
            assert_eq!(reply.status, 200, "{user} {path}: {}", reply.text());
        }
        let xlsx = send("GET", &url("/warnings?format=xlsx"), &[("Cookie", &cookie)], b"");
        assert!(xlsx.body.starts_with(b"PK"), "the centre downloads as Excel");
    }
    let (cookie, _) = sign_in("leader");
    let month = last_month();
    let docx = send("GET", &url(&format!("/bulletins/{month}/docx")), &[("Cookie", &cookie)], b"");
    assert_eq!(docx.status, 200, "{}", docx.text());
    assert!(docx.body.starts_with(b"PK"), "a docx is a zip");
    assert!(
        docx.header("content-disposition").is_some_and(|d| d.contains(".docx")),
        "{:?}",
        docx.header("content-disposition")
    );
    let html = send("GET", &url(&format!("/bulletins/{month}/html")), &[("Cookie", &cookie)], b"");
    assert!(String::from_utf8_lossy(&html.body).contains("@page"), "the HTML prints on pages");
    for (path, status) in [
        ("/bulletins/2999-01/docx".to_string(), 400),
        ("/bulletins/someday/docx".to_string(), 400),
        (format!("/bulletins/{month}/pdf"), 404),
    ] {
        assert_eq!(send("GET", &url(&path), &[("Cookie", &cookie)], b"").status, status, "{path}");
    }
    let page = send("GET", &url("/warnings/999999"), &[("Cookie", &cookie)], b"");
    assert_eq!(page.status, 404);
}
