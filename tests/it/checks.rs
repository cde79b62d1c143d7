//! Data checks (数据校验) over HTTP and through the binary: the rules at the API and the form,
//! flagged values on the review page, the office's page and rules, an upload's preview, and
//! `plan361 check-data`.

use serde_json::{Value, json};

use crate::http::send;
use crate::web::{api, on_every_backend, url};
use crate::{Scratch, plan361, stderr, stdout};

fn month(offset_back: u32) -> plan361_core::Period {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    let mut month = plan361_core::calendar::Date::in_china(now).month_period();
    for _ in 0..offset_back {
        month = month.previous_month();
    }
    month
}

fn entry(target: &str, period: &str, value: f64, comment: &str, revision: Option<i64>) -> Value {
    json!({"target_id": target, "org_unit": "宁波市", "period": period, "value": value, "comment": comment,
           "revision": revision})
}

/// The current revision of the city's value of `target` at `period`, if stored.
fn revision(target: &str, period: &str) -> Option<i64> {
    let listed = api("GET", &format!("/api/observations?target_id={target}&period={period}"), Some("office"), None);
    listed
        .json()
        .as_array()
        .and_then(|a| a.iter().find(|o| o["org_unit"] == "宁波市").cloned())
        .and_then(|o| o["revision"].as_i64())
}

/// Saves the office's value (a new one, or a new revision of the stored one).
fn save(target: &str, period: &str, value: f64, comment: &str) -> crate::http::Reply {
    api(
        "POST",
        "/api/observations",
        Some("office"),
        Some(entry(target, period, value, comment, revision(target, period))),
    )
}

#[test]
fn the_api_refuses_errors_and_takes_warnings_only_with_an_explanation_flagged_for_the_reviewer() {
    on_every_backend(|| {
        let (before, now) = (month(1).to_string(), month(0).to_string());
        // 7.2.1 accumulates data trade since 2025-01: it cannot fall.
        assert_eq!(save("7.2.1", &before, 50.0, "").status, 201);
        let fall = save("7.2.1", &now, 40.0, "更正");
        assert_eq!(fall.status, 422, "{}", fall.text());
        assert_eq!(fall.json()["field"], "value", "{}", fall.text());
        assert!(fall.json()["message"].as_str().is_some_and(|m| m.contains("累计值不应回落")), "{}", fall.text());
        // Far more added this month than in any month before: accepted only with a 情况说明.
        let jump = save("7.2.1", &now, 200.0, "");
        assert_eq!(jump.status, 422, "{}", jump.text());
        assert_eq!(jump.json()["field"], "comment", "{}", jump.text());
        let explained = save("7.2.1", &now, 200.0, "新交易所上线,本月集中成交");
        assert_eq!(explained.status, 201, "{}", explained.text());
        let saved = explained.json();
        let submitted = api(
            "POST",
            &format!("/api/observations/{}/submit", saved["id"]),
            Some("office"),
            Some(json!({"revision": saved["revision"]})),
        );
        assert_eq!(submitted.status, 200, "{}", submitted.text());
        // The reviewer sees the rule's words beside the value.
        let (cookie, _) = crate::web::sign_in("reviewer");
        let review = send("GET", &url("/review"), &[("Cookie", &cookie)], b"").text();
        assert!(
            review.contains("class=\"flagged\"") && review.contains("本期月均新增较此前月均新增"),
            "the flag is shown"
        );
        // A share above 100 is refused at once.
        let share = api("POST", "/api/observations", Some("office"), Some(entry("7.1.1", "2025", 1234.0, "", None)));
        assert_eq!(share.status, 422, "{}", share.text());
        assert!(share.text().contains("0—100"), "{}", share.text());
        // What the rules find in stored values: the accepted jump, as a warning.
        let found = api("GET", "/api/checks", Some("office"), None).json();
        let mine = found.as_array().expect("findings").iter().find(|f| f["target_id"] == "7.2.1").cloned();
        let mine = mine.expect("7.2.1 is found");
        assert_eq!((mine["check"].as_str(), mine["severity"].as_str()), (Some("period_jump"), Some("warning")));
    });
}

#[test]
fn the_office_edits_the_rules_and_its_page_lists_the_findings() {
    on_every_backend(|| {
        let rule = json!({"check": "range", "target": "5.3.1", "severity": "warning", "min": 0.0, "max": 100000.0});
        let denied = api("PUT", "/api/validation/rules", Some("kejiju"), Some(json!({"rules": [rule]})));
        assert_eq!(denied.status, 403, "{}", denied.text());
        let bad = json!({"rules": [{"check": "range", "severity": "error", "max": 5.0}]});
        let refused = api("PUT", "/api/validation/rules", Some("office"), Some(bad));
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert!(refused.text().contains("target"), "{}", refused.text());
        let set = api("PUT", "/api/validation/rules", Some("office"), Some(json!({"rules": [rule]})));
        assert_eq!(set.status, 200, "{}", set.text());
        let read = api("GET", "/api/validation/rules", Some("leader"), None).json();
        assert_eq!(read["rules"][0]["target"], "5.3.1");
        assert!(read["defaults"].as_array().is_some_and(|d| d.len() >= 9), "{read}");

        let (cookie, csrf) = crate::web::sign_in("office");
        let page = send("GET", &url("/checks"), &[("Cookie", &cookie)], b"");
        assert_eq!(page.status, 200, "{}", page.text());
        assert!(page.text().contains("数据校验") && page.text().contains("[[rule]]"), "the rules file is editable");
        // A refused rules file is shown again as typed, with the reason next to it.
        let typed = "[[rule]]\ncheck = \"jump\"\nseverity = \"error\"\n";
        let form = format!("_csrf={csrf}&rules={}", urlencode(typed));
        let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        let refused = send("POST", &url("/checks/rules"), &headers, form.as_bytes());
        assert_eq!(refused.status, 422, "{}", refused.text());
        let text = refused.text();
        assert!(
            text.contains("check = &quot;jump&quot;") || text.contains("check = &#34;jump&#34;"),
            "typed text kept"
        );
        assert!(text.contains("field-error") && text.contains("第2行"), "the line at fault");
        assert!(text.contains("main-nav"), "the page keeps its navigation");
        // A viewer has no business on the page.
        let (leader, _) = crate::web::sign_in("leader");
        let hidden = send("GET", &url("/"), &[("Cookie", &leader)], b"").text();
        assert!(!hidden.contains("href=\"/checks\""), "no 数据校验 link for a viewer");
    });
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_form_takes_full_width_digits_and_keeps_what_was_typed_when_it_refuses() {
    on_every_backend(|| {
        let (cookie, csrf) = crate::web::sign_in("shangwuju");
        let quarter = month(0).quarter_of().to_string();
        let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        let post = |value: &str, comment: &str, revision: i64| {
            let form = format!(
                "_csrf={csrf}&target_id=7.4.1&org_unit={}&period={quarter}&revision={revision}&value={}&comment={}&action=draft",
                urlencode("宁波市"),
                urlencode(value),
                urlencode(comment)
            );
            send("POST", &url("/tasks/save"), &headers, form.as_bytes())
        };
        let ambiguous = post("0,95", "一季度出口回升", revision("7.4.1", &quarter).unwrap_or(0));
        assert_eq!(ambiguous.status, 422, "{}", ambiguous.text());
        let page = ambiguous.text();
        assert!(page.contains("value=\"0,95\"") && page.contains("value=\"一季度出口回升\""), "typed values kept");
        assert!(
            page.contains("field-error") && page.contains("千位分隔符"),
            "the reason next to the field, in Chinese"
        );
        assert!(page.contains("main-nav"), "the page keeps its navigation");
        let saved = post("０．９５", "", revision("7.4.1", &quarter).unwrap_or(0));
        assert_eq!(saved.status, 303, "{}", saved.text());
        let stored =
            api("GET", &format!("/api/observations?target_id=7.4.1&period={quarter}"), Some("shangwuju"), None);
        assert_eq!(stored.json()[0]["value"], 0.95, "{}", stored.text());
    });
}

#[test]
fn an_upload_preview_shows_each_row_and_writes_nothing_until_confirmed() {
    on_every_backend(|| {
        let (cookie, csrf) = crate::web::sign_in("office");
        let year = month(0).year().to_string();
        // 5.3.1 (yearly): one value approved, then a file that would change it and add another.
        let approved = save("5.3.1", &year, 12.0, "");
        assert_eq!(approved.status, 201, "{}", approved.text());
        let o = approved.json();
        let submitted = api(
            "POST",
            &format!("/api/observations/{}/submit", o["id"]),
            Some("office"),
            Some(json!({"revision": o["revision"]})),
        );
        let approve = api(
            "POST",
            &format!("/api/observations/{}/approve", o["id"]),
            Some("reviewer"),
            Some(json!({"revision": submitted.json()["revision"]})),
        );
        assert_eq!(approve.status, 200, "{}", approve.text());
        let csv = format!("target_id,org_unit,period,value,comment\n5.3.1,宁波市,{year},15,\n");
        let upload = |path: &str, token: &str| {
            let mut body = Vec::new();
            body.extend_from_slice(b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n");
            body.extend_from_slice(token.as_bytes());
            body.extend_from_slice(
                b"\r\n--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n",
            );
            body.extend_from_slice(b"Content-Type: text/csv\r\n\r\n");
            body.extend_from_slice(csv.as_bytes());
            body.extend_from_slice(b"\r\n--XBOUNDARY--\r\n");
            let headers = [("Cookie", cookie.as_str()), ("Content-Type", "multipart/form-data; boundary=XBOUNDARY")];
            send("POST", &url(path), &headers, &body)
        };
        let preview = upload("/tasks/upload", &csrf);
        assert_eq!(preview.status, 409, "a conflict is shown: {}", preview.text());
        let page = preview.text();
        assert!(page.contains("冲突 1") && page.contains("change-conflict"), "the row is a conflict");
        assert!(!page.contains("/tasks/upload/confirm"), "nothing to confirm");
        let stored =
            api("GET", &format!("/api/observations?target_id=5.3.1&period={year}"), Some("office"), None).json();
        assert_eq!((stored[0]["value"].as_f64(), stored[0]["state"].as_str()), (Some(12.0), Some("approved")));
        // The API says the same, row by row.
        let api_preview = {
            let mut body = Vec::new();
            body.extend_from_slice(
                b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n\r\n",
            );
            body.extend_from_slice(csv.as_bytes());
            body.extend_from_slice(b"\r\n--XBOUNDARY--\r\n");
            let bearer = format!("Bearer {}", crate::web::token("office"));
            let headers =
                [("Authorization", bearer.as_str()), ("Content-Type", "multipart/form-data; boundary=XBOUNDARY")];
            send("POST", &url("/api/import/preview"), &headers, &body)
        };
        assert_eq!(api_preview.status, 200, "{}", api_preview.text());
        assert_eq!(api_preview.json()[0]["change"], "conflict");
        assert_eq!(api_preview.json()[0]["current_value"], 12.0);
    });
}

#[test]
fn check_data_lists_what_the_rules_find_and_fails_on_errors() {
    let scratch = Scratch::new("check-data");
    let db = scratch.0.join("plan361.db").display().to_string();
    let init = plan361(&["init", "--db", &db, "--admin-password", "secret-password"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let clean = plan361(&["check-data", "--db", &db]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(stdout(&clean).contains("未发现问题"), "{}", stdout(&clean));
    let rules = plan361(&["check-data", "rules", "--db", &db]);
    assert!(stdout(&rules).contains("check = \"cumulative_fall\""), "the defaults as a rules file");
    // History loaded as approved is flagged, not refused, for its warnings.
    let (before, now) = (month(2), month(1));
    let csv = scratch.write(
        "history.csv",
        &format!("target_id,org_unit,period,value,comment\n4.2.2,宁波市,{before},10,\n4.2.2,宁波市,{now},30,\n"),
    );
    let combine = plan361(&["duties", "combine", "--db", &db]);
    assert!(combine.status.success(), "{}", stderr(&combine));
    let dry = plan361(&["import", &csv, "--db", &db, "--state", "approved", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("新增 2") && stdout(&dry).contains("nothing written"), "{}", stdout(&dry));
    assert!(plan361(&["check-data", "--db", &db]).status.success(), "the dry run wrote nothing");
    assert!(stdout(&plan361(&["check-data", "--db", &db])).contains("未发现问题"));
    let import = plan361(&["import", &csv, "--db", &db, "--state", "approved"]);
    assert!(import.status.success(), "{}", stderr(&import));
    let found = plan361(&["check-data", "--db", &db, "--json"]);
    assert!(found.status.success(), "only warnings: {}", stderr(&found));
    let json: Value = serde_json::from_slice(&found.stdout).expect("json");
    assert_eq!(json[0]["check"], "period_jump", "{json}");
    // A rule made an error turns the same data into a failure.
    let strict =
        scratch.write("rules.toml", "[[rule]]\ncheck = \"period_jump\"\nseverity = \"error\"\nthreshold = 0.5\n");
    let load = plan361(&["check-data", "rules", "--load", &strict, "--db", &db]);
    assert!(load.status.success(), "{}", stderr(&load));
    let failed = plan361(&["check-data", "--db", &db]);
    assert!(!failed.status.success());
    assert!(stdout(&failed).contains("环比变动过大") && stdout(&failed).contains("错误 1 条"), "{}", stdout(&failed));
    let broken = scratch.write("broken.toml", "[[rule]]\ncheck = \"negative\"\nseverity = \"sometimes\"\n");
    let refused = plan361(&["check-data", "rules", "--load", &broken, "--db", &db]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("第3行"), "{}", stderr(&refused));
}

#[test]
fn submit_all_sends_every_draft_of_the_list_for_review_at_once() {
    // A server of its own: submitting every draft must not touch other tests' values.
    let own =
        crate::web::start_with(crate::web::fresh_sqlite("submit-all"), "sqlite", plan361_web::Config::default(), true);
    let at = |path: &str| format!("{}{path}", own.base);
    let login = format!("username=kejiju&password={}&next=%2F", crate::web::PASSWORD);
    let signed =
        send("POST", &at("/login"), &[("Content-Type", "application/x-www-form-urlencoded")], login.as_bytes());
    let cookie = signed.header("set-cookie").and_then(|c| c.split(';').next()).expect("a session").to_string();
    let page = send("GET", &at("/tasks"), &[("Cookie", &cookie)], b"").text();
    let csrf =
        page.split("name=\"_csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("csrf").to_string();
    assert!(!page.contains("/tasks/submit-all"), "no drafts, no 提交全部");
    let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let this_month = month(0).to_string();
    for (target, value) in [("4.2.1", "12"), ("4.2.2", "１５")] {
        let form = format!(
            "_csrf={csrf}&target_id={target}&org_unit={}&period={this_month}&revision=0&value={}&comment=&action=draft",
            urlencode("宁波市"),
            urlencode(value)
        );
        let saved = send("POST", &at("/tasks/save"), &headers, form.as_bytes());
        assert_eq!(saved.status, 303, "{target}: {}", saved.text());
    }
    let page = send("GET", &at("/tasks"), &[("Cookie", &cookie)], b"").text();
    assert!(page.contains("提交全部 (2)"), "the button says how many drafts it submits");
    let submitted = send("POST", &at("/tasks/submit-all"), &headers, format!("_csrf={csrf}").as_bytes());
    assert_eq!(submitted.status, 303, "{}", submitted.text());
    assert_eq!(submitted.header("location"), Some("/tasks?done=submit&count=2"));
    let token_body = json!({"username": "kejiju", "password": crate::web::PASSWORD}).to_string();
    let token = send("POST", &at("/api/login"), &[("Content-Type", "application/json")], token_body.as_bytes()).json()
        ["token"]
        .as_str()
        .expect("token")
        .to_string();
    let bearer = format!("Bearer {token}");
    let listed =
        send("GET", &at(&format!("/api/observations?period={this_month}")), &[("Authorization", &bearer)], b"");
    let listed_values = listed.json();
    let states: Vec<&str> =
        listed_values.as_array().expect("values").iter().filter_map(|o| o["state"].as_str()).collect();
    assert_eq!(states, ["submitted", "submitted"], "{}", listed.text());
    let forged = send("POST", &at("/tasks/submit-all"), &headers, b"_csrf=forged");
    assert_eq!(forged.status, 403);
}
