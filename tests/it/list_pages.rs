//! The four lists on the web and in the API: pages for every role, filters and search, editing
//! by district with the server refusing the rest, history and audit, the drill-down from a
//! counted target to the entries behind it, and bad input refused without writing anything.

use std::sync::OnceLock;

use plan361_core::registry::credit_code;
use serde_json::{Value, json};

use crate::http::{Reply, send};
use crate::web::{api, sign_in, url};

/// A valid credit code: 17 characters of the code's alphabet, completed with their check
/// character.
fn code(body: &str) -> String {
    credit_code::complete(body).expect("17 valid characters")
}

fn enterprise(code: &str, name: &str, district: &str, industry: &str, honours: Value) -> Value {
    json!({"credit_code": code, "name": name, "district": district, "industry": industry,
           "above_scale": [2025], "honours": honours})
}

fn honour(kind: &str, level: &str, granted: &str) -> Value {
    json!({"kind": kind, "level": level, "granted": granted})
}

/// Saves an entry through the API as `user`.
fn save(user: &str, list: &str, entry: Value, reason: &str) -> Reply {
    api("POST", &format!("/api/lists/{list}"), Some(user), Some(json!({"entry": entry, "reason": reason})))
}

/// Entries every test reads and none changes: one of each list, in two districts.
struct Fixtures {
    beilun: String,
    yinzhou: String,
}

/// The fixed entries, saved once on each server.
fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    static SEEDED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let fixtures =
        FIXTURES.get_or_init(|| Fixtures { beilun: code("91330206MA0WEB001"), yinzhou: code("91330212MA0WEB002") });
    let mut seeded = SEEDED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let base = crate::web::server().base.clone();
    if seeded.contains(&base) {
        return fixtures;
    }
    seeded.push(base);
    {
        let entries = [
            (
                "enterprises",
                enterprise(
                    &fixtures.beilun,
                    "北仑固定示例汽车部件有限公司(示例)",
                    "北仑区",
                    "3670",
                    json!([honour("高新技术企业", "", "2024-05-01")]),
                ),
            ),
            (
                "enterprises",
                enterprise(&fixtures.yinzhou, "鄞州固定示例石化有限公司(示例)", "鄞州区", "2511", json!([])),
            ),
            (
                "projects",
                json!({"code": "WEB-P1", "name": "固定示例项目(示例)", "cluster": "nev-equipment", "district": "北仑区",
                       "category": "先进制造业", "origin": "国内", "investment": 12.0,
                       "signed": "2025-01-10", "landed": "2025-03-01"}),
            ),
            (
                "parks",
                json!({"code": "WEB-K1", "name": "固定示例工业社区(示例)", "kind": "工业社区", "district": "北仑区",
                       "area_mu": 800.0, "established": "2020-01-01"}),
            ),
            (
                "platforms",
                json!({"code": "WEB-T1", "name": "固定示例实验室(示例)", "level": "国家级", "kind": "全国重点实验室",
                       "cluster": "new-materials", "district": "鄞州区", "recognized": "2023-06-01"}),
            ),
        ];
        for (list, entry) in entries {
            let reply = save("office", list, entry, "测试名单");
            assert!(matches!(reply.status, 200 | 201), "{list}: {}", reply.text());
        }
    }
    fixtures
}

/// Text with every byte but letters and digits percent-encoded: a path segment, a form value.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encoded(k), encoded(v))).collect::<Vec<_>>().join("&")
}

/// A signed-in browser: its cookie and CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

impl Browser {
    fn new(user: &str) -> Browser {
        let (cookie, csrf) = sign_in(user);
        Browser { cookie, csrf }
    }

    fn get(&self, path: &str) -> Reply {
        send("GET", &url(path), &[("Cookie", &self.cookie)], b"")
    }

    fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        let headers = [("Cookie", self.cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        send("POST", &url(path), &headers, form_body(&all).as_bytes())
    }
}

/// Every 4xx explains itself.
fn explained(reply: &Reply, status: u16) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    let message = body["message"].as_str().unwrap_or_default().to_string();
    assert!(body["error"].is_string() && !message.is_empty(), "{body}");
    message
}

/// An entry's versions, none for a key never recorded.
fn history(list: &str, key: &str) -> Vec<Value> {
    let reply = api("GET", &format!("/api/lists/{list}/{}", encoded(key)), Some("leader"), None);
    match reply.status {
        404 => Vec::new(),
        _ => {
            assert_eq!(reply.status, 200, "{}", reply.text());
            reply.json()["history"].as_array().cloned().unwrap_or_default()
        }
    }
}

#[test]
fn list_pages_render_for_every_role() {
    crate::web::on_every_backend(|| {
        let f = fixtures();
        for user in ["admin", "office", "kejiju", "shangwuju", "beilun", "reviewer", "leader"] {
            let browser = Browser::new(user);
            for path in [
                "/lists/enterprises".to_string(),
                "/lists/projects?stage=landed".to_string(),
                "/lists/parks".to_string(),
                "/lists/platforms?level=国家级&lang=en".to_string(),
                format!("/lists/enterprises/{}", f.beilun),
                "/lists/projects/WEB-P1".to_string(),
                "/targets/3.3.1/entries".to_string(),
                "/targets/3.3.1/entries?org_unit=北仑区&at=2025-12".to_string(),
            ] {
                let page = browser.get(&path);
                assert_eq!(page.status, 200, "{user} {path}: {}", page.text());
                let separator = if path.contains('?') { '&' } else { '?' };
                let xlsx = browser.get(&format!("{path}{separator}format=xlsx"));
                assert_eq!(xlsx.status, 200, "{user} {path} as xlsx");
                assert!(xlsx.body.starts_with(b"PK"), "{path}: an xlsx is a zip");
            }
            // Edit controls only where the user may manage the entry.
            let own = browser.get(&format!("/lists/enterprises/{}", f.beilun)).text();
            let other = browser.get(&format!("/lists/enterprises/{}", f.yinzhou)).text();
            let edits = |page: &str| page.contains("/edit\"") && page.contains("/remove\"");
            let manages_all = matches!(user, "admin" | "office");
            assert_eq!(edits(&own), manages_all || user == "beilun", "{user} on a 北仑区 entry");
            assert_eq!(edits(&other), manages_all, "{user} on a 鄞州区 entry");
            let new_form = browser.get("/lists/enterprises/new");
            assert_eq!(new_form.status, if manages_all || user == "beilun" { 200 } else { 403 }, "{user} new");
            let list = browser.get("/lists/enterprises").text();
            assert_eq!(list.contains("/lists/enterprises/new"), manages_all || user == "beilun", "{user} add button");
        }
        let browser = Browser::new("leader");
        for (path, status) in [
            ("/lists/widgets", 404),
            ("/lists/enterprises/91330200NOTHERE00", 404),
            ("/lists/projects?honour=制造业单项冠军", 400),
            ("/lists/enterprises?cluster=mars", 400),
            ("/targets/1.2.1/entries", 404),
            ("/targets/3.3.1/entries?org_unit=火星区", 404),
            ("/targets/3.3.1/entries?org_unit=市科技局", 400),
            ("/targets/3.3.1/entries?at=tomorrow", 400),
            ("/lists", 303),
        ] {
            assert_eq!(browser.get(path).status, status, "{path}");
        }
    });
}

#[test]
fn filters_and_search_find_the_entries() {
    crate::web::on_every_backend(|| {
        let f = fixtures();
        let found = |query: &str| -> Vec<String> {
            let reply = api("GET", &format!("/api/lists/{query}"), Some("leader"), None);
            assert_eq!(reply.status, 200, "{query}: {}", reply.text());
            let body = reply.json();
            let keys: Vec<String> = body["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .map(|e| e["credit_code"].as_str().or(e["code"].as_str()).unwrap_or_default().to_string())
                .collect();
            assert_eq!(body["total"].as_u64(), Some(keys.len() as u64), "{query}: one page holds them all");
            keys
        };
        let with = |keys: &[String], key: &str| keys.iter().any(|k| k == key);
        let by_name = found("enterprises?q=固定示例");
        assert!(with(&by_name, &f.beilun) && with(&by_name, &f.yinzhou), "{by_name:?}");
        assert_eq!(
            found(&format!("enterprises?q={}", f.beilun.to_lowercase())),
            [f.beilun.as_str()],
            "codes in any case"
        );
        assert_eq!(found("enterprises?q=固定示例&district=鄞州区"), [f.yinzhou.as_str()]);
        assert_eq!(found("enterprises?q=固定示例&honour=高新技术企业"), [f.beilun.as_str()]);
        assert_eq!(
            found("enterprises?q=固定示例&cluster=nev-equipment"),
            [f.beilun.as_str()],
            "3670 is in the cluster"
        );
        assert_eq!(found("enterprises?q=固定示例&cluster=green-petrochemical"), [f.yinzhou.as_str()]);
        assert!(with(&found("projects?stage=landed&district=北仑区"), "WEB-P1"));
        assert!(!with(&found("projects?stage=completed"), "WEB-P1"), "not yet in production");
        assert!(with(&found("parks?kind=工业社区"), "WEB-K1"));
        assert!(with(&found("platforms?level=国家级&cluster=new-materials"), "WEB-T1"));
        assert!(!with(&found("platforms?level=省级"), "WEB-T1"));
        // Paging: one entry a page, the pages add up.
        let first = api("GET", "/api/lists/enterprises?q=固定示例&per_page=1", Some("leader"), None).json();
        assert_eq!((first["pages"].as_u64(), first["entries"].as_array().map(Vec::len)), (Some(2), Some(1)));
        // The page shows what the filter finds, and only that.
        let page = Browser::new("leader").get("/lists/enterprises?q=固定示例&district=北仑区").text();
        assert!(page.contains("北仑固定示例汽车部件有限公司") && !page.contains("鄞州固定示例石化有限公司"));
        for (query, status) in [
            ("projects?honour=制造业单项冠军", 400),
            ("enterprises?cluster=mars", 400),
            ("enterprises?stage=landed", 400),
            ("projects?stage=flying", 400),
            ("enterprises?per_page=0", 400),
            ("enterprises?per_page=5000", 400),
            ("enterprises?page=first", 400),
            ("widgets", 404),
        ] {
            explained(&api("GET", &format!("/api/lists/{query}"), Some("leader"), None), status);
        }
    });
}

#[test]
fn a_district_edits_its_own_entries_and_gets_403_for_another_districts() {
    crate::web::on_every_backend(|| {
        let own = code("91330206MA0WEB101");
        let other = code("91330212MA0WEB102");
        assert_eq!(
            save("office", "enterprises", enterprise(&own, "北仑编辑示例(示例)", "北仑区", "3612", json!([])), "新增")
                .status,
            201
        );
        assert_eq!(
            save(
                "office",
                "enterprises",
                enterprise(&other, "鄞州编辑示例(示例)", "鄞州区", "3612", json!([])),
                "新增"
            )
            .status,
            201
        );
        let beilun = Browser::new("beilun");
        let fields = |key: &str, name: &str, district: &str| {
            vec![
                ("credit_code".to_string(), key.to_string()),
                ("name".to_string(), name.to_string()),
                ("district".to_string(), district.to_string()),
                ("industry".to_string(), "3612".to_string()),
                ("above_scale".to_string(), "2025;2026".to_string()),
                // The version the edit page was loaded at: each entry was saved once.
                ("_version".to_string(), "1".to_string()),
            ]
        };
        let post = |browser: &Browser, path: &str, fields: &[(String, String)], reason: &str| {
            let mut pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            pairs.push(("reason", reason));
            browser.post(path, &pairs)
        };
        // Its own entry: changed through the form, with the reason in the history.
        let changed =
            post(&beilun, "/lists/enterprises", &fields(&own, "北仑编辑示例(更名)(示例)", "北仑区"), "企业更名");
        assert_eq!(changed.status, 303, "{}", changed.text());
        assert_eq!(changed.header("location"), Some(format!("/lists/enterprises/{own}?done=saved").as_str()));
        let versions = history("enterprises", &own);
        assert_eq!(versions.len(), 2);
        assert_eq!(
            (versions[1]["reason"].as_str(), versions[1]["recorded_by"].as_str()),
            (Some("企业更名"), Some("beilun"))
        );
        assert_eq!(versions[1]["changed"], json!(["above_scale", "name"]));
        let page = beilun.get(&format!("/lists/enterprises/{own}?done=saved")).text();
        assert!(page.contains("企业更名") && page.contains("已保存"), "the history and the notice on the page");
        // An honour granted and revoked on the enterprise's page.
        let grant = [
            ("honour", "专精特新"),
            ("level", "省级"),
            ("granted", "2025-07-01"),
            ("note", ""),
            ("reason", "2025年认定"),
        ];
        assert_eq!(beilun.post(&format!("/lists/enterprises/{own}/honours/grant"), &grant).status, 303);
        let again = beilun.post(&format!("/lists/enterprises/{own}/honours/grant"), &grant);
        assert_eq!(again.status, 422, "held already");
        assert!(again.text().contains("already holds"), "{}", again.text());
        let revoke = [
            ("honour", "专精特新"),
            ("level", "省级"),
            ("granted", "2025-07-01"),
            ("revoked", "2026-07-01"),
            ("reason", "复核未通过"),
        ];
        assert_eq!(beilun.post(&format!("/lists/enterprises/{own}/honours/revoke"), &revoke).status, 303);
        let entry = api("GET", &format!("/api/lists/enterprises/{own}"), Some("beilun"), None).json();
        assert_eq!(entry["entry"]["honours"][0]["revoked"], "2026-07-01");
        // Another district's entry: refused by the server whatever the way, and nothing written.
        let before = history("enterprises", &other).len();
        for refused in [
            post(&beilun, "/lists/enterprises", &fields(&other, "改名", "鄞州区"), "试图修改"),
            post(&beilun, "/lists/enterprises", &fields(&other, "改名", "北仑区"), "试图迁入"),
            post(&beilun, "/lists/enterprises", &fields(&code("91330212MA0WEB103"), "新企业", "鄞州区"), "试图新增"),
            beilun.post(&format!("/lists/enterprises/{other}/remove"), &[("reason", "试图移除")]),
            beilun.post(&format!("/lists/enterprises/{other}/honours/grant"), &grant),
        ] {
            assert_eq!(refused.status, 403, "{}", refused.text());
        }
        assert_eq!(beilun.get(&format!("/lists/enterprises/{other}/edit")).status, 403);
        let moved = enterprise(&other, "改名", "北仑区", "3612", json!([]));
        explained(&save("beilun", "enterprises", moved, "试图迁入"), 403);
        explained(
            &api("DELETE", &format!("/api/lists/enterprises/{other}"), Some("beilun"), Some(json!({"reason": "x"}))),
            403,
        );
        explained(
            &save("leader", "enterprises", enterprise(&own, "改名", "北仑区", "3612", json!([])), "查阅用户"),
            403,
        );
        assert_eq!(history("enterprises", &other).len(), before, "nothing refused was written");
        // Every change is in the audit log, with who and why.
        let audit = api("GET", "/api/audit?actor=beilun&limit=1000", Some("office"), None).json();
        let entries: Vec<&Value> =
            audit.as_array().expect("audit").iter().filter(|e| e["entity_id"].as_str() == Some(own.as_str())).collect();
        assert_eq!(entries.len(), 3, "the change, the grant and the revocation: {audit}");
        assert!(entries.iter().all(|e| e["action"] == "list.change"));
        assert!(!audit.as_array().expect("audit").iter().any(|e| e["entity_id"].as_str() == Some(other.as_str())));
        // Removal, with a reason, keeps the history and says so.
        let removed = beilun.post(&format!("/lists/enterprises/{own}/remove"), &[("reason", "企业注销")]);
        assert_eq!(removed.status, 303, "{}", removed.text());
        let versions = history("enterprises", &own);
        assert_eq!((versions.last().map(|v| v["removed"].clone()), versions.len()), (Some(json!(true)), 5));
        let page = beilun.get(&format!("/lists/enterprises/{own}"));
        assert!(page.status == 200 && page.text().contains("已移除") && page.text().contains("企业注销"));
        assert_eq!(
            api("GET", &format!("/api/lists/enterprises/{own}"), Some("leader"), None).json()["entry"],
            Value::Null
        );
    });
}

/// The value of 3.3.1 and the keys behind it, for a unit at a period.
fn behind(at: &str, unit: &str) -> (f64, Vec<String>) {
    let reply = api("GET", &format!("/api/targets/3.3.1/entries?at={at}&org_unit={unit}"), Some("leader"), None);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    let keys = body["entries"].as_array().expect("entries").iter().map(|e| e["key"].as_str().unwrap_or("").to_string());
    (body["value"].as_f64().expect("value"), keys.collect())
}

fn evaluated(at: &str, unit: &str) -> f64 {
    let rows = api("GET", &format!("/api/evaluation?at={at}&target_id=3.3.1&org_unit={unit}"), Some("leader"), None);
    rows.json()[0]["value"].as_f64().unwrap_or(0.0)
}

#[test]
fn the_drill_down_lists_exactly_the_entries_counted() {
    crate::web::on_every_backend(|| {
        let (a, b) = (code("91330206MA0WEB201"), code("91330212MA0WEB202"));
        let (city_before, _) = behind("2026-10", "宁波市");
        let champion = |granted: &str| json!([honour("制造业单项冠军", "国家级", granted)]);
        assert_eq!(
            save(
                "office",
                "enterprises",
                enterprise(&a, "单项冠军甲(示例)", "北仑区", "3670", champion("2025-03-01")),
                "2024年度名单"
            )
            .status,
            201
        );
        assert_eq!(
            save(
                "office",
                "enterprises",
                enterprise(&b, "单项冠军乙(示例)", "鄞州区", "2511", champion("2026-06-01")),
                "2025年度名单"
            )
            .status,
            201
        );
        let (city, keys) = behind("2026-10", "宁波市");
        assert_eq!(city, city_before + 2.0);
        assert!(keys.contains(&a) && keys.contains(&b));
        assert_eq!(keys.len() as f64, city, "one entry per counted honour");
        assert_eq!(evaluated("2026-10", "宁波市"), city, "the number evaluation uses");
        let (earlier, keys) = behind("2026-03", "宁波市");
        assert!(keys.contains(&a) && !keys.contains(&b), "B's honour came in June 2026");
        assert_eq!(earlier, city - 1.0);
        let (beilun, keys) = behind("2026-10", "北仑区");
        assert!(keys.contains(&a) && !keys.contains(&b));
        assert_eq!(beilun, evaluated("2026-10", "北仑区"));
        let (_, keys) = behind("2026-10", "鄞州区");
        assert!(keys.contains(&b) && !keys.contains(&a));
        // The pages: the target page links each number to its entries; the entries page lists them.
        let browser = Browser::new("leader");
        let target = browser.get("/targets/3.3.1?at=2026-10").text();
        assert!(target.contains("按重点企业清单计算"), "the rule in words");
        let beilun_link = "/targets/3.3.1/entries?at=2026-10&#38;org_unit=%E5%8C%97%E4%BB%91%E5%8C%BA";
        assert!(target.contains(beilun_link), "北仑区's number links to its entries");
        let page = browser.get("/targets/3.3.1/entries?at=2026-10&org_unit=北仑区").text();
        assert!(page.contains("单项冠军甲") && !page.contains("单项冠军乙"));
        assert!(page.contains(&format!("/lists/enterprises/{a}")), "each entry links to its page");
        // B's honour revoked in August: counted in July, not in October.
        let revoked = enterprise(
            &b,
            "单项冠军乙(示例)",
            "鄞州区",
            "2511",
            json!([{"kind": "制造业单项冠军", "level": "国家级", "granted": "2026-06-01", "revoked": "2026-08-01"}]),
        );
        assert_eq!(save("office", "enterprises", revoked, "撤销").status, 200);
        assert!(behind("2026-07", "宁波市").1.contains(&b));
        assert!(!behind("2026-10", "宁波市").1.contains(&b));
        assert_eq!(evaluated("2026-10", "宁波市"), behind("2026-10", "宁波市").0, "evaluation follows at once");
    });
}

#[test]
fn bad_list_input_gets_a_4xx_with_an_explanation_and_writes_nothing() {
    crate::web::on_every_backend(|| {
        fixtures();
        // An unknown list.
        explained(&api("GET", "/api/lists/widgets", Some("office"), None), 404);
        explained(&save("office", "widgets", json!({}), "x"), 404);
        // A wrong check character: the message says which it should be.
        let right = code("91330206MA0WEB301");
        let expected = right.chars().last().expect("check character");
        let wrong = format!("{}{}", &right[..17], if expected == '0' { '1' } else { '0' });
        let message = explained(
            &save("office", "enterprises", enterprise(&wrong, "校验码错误(示例)", "北仑区", "3612", json!([])), "x"),
            422,
        );
        assert!(message.contains(&format!("末位应为“{expected}”")) && message.contains("credit_code"), "{message}");
        // Missing or blank reasons.
        let good = enterprise(&right, "缺少原因(示例)", "北仑区", "3612", json!([]));
        explained(&api("POST", "/api/lists/enterprises", Some("office"), Some(json!({"entry": good}))), 422);
        assert!(explained(&save("office", "enterprises", good.clone(), "  "), 422).contains("reason"));
        explained(&api("DELETE", "/api/lists/projects/WEB-P1", Some("office"), Some(json!({"reason": ""}))), 422);
        explained(&api("DELETE", "/api/lists/projects/WEB-P1", Some("office"), Some(json!({}))), 422);
        explained(&api("DELETE", "/api/lists/projects/WEB-NONE", Some("office"), Some(json!({"reason": "x"}))), 404);
        // Entries that break the rules, and bodies that are not entries.
        for entry in [
            enterprise(&right, "未知区县(示例)", "<script>alert(1)</script>", "3612", json!([])),
            enterprise(&right, "错误行业(示例)", "北仑区", "'; DROP TABLE list_versions; --", json!([])),
            enterprise(&right, &"长".repeat(100_000), "北仑区", "3612", json!([])),
            enterprise(&right, "未知荣誉(示例)", "北仑区", "3612", json!([honour("诺贝尔奖", "", "2025-01-01")])),
            json!({"code": "WEB-BAD", "name": "阶段倒置(示例)", "district": "北仑区", "category": "先进制造业",
               "investment": 1.0, "landed": "2025-01-01", "signed": "2025-06-01"}),
        ] {
            let list = if entry.get("credit_code").is_some() { "enterprises" } else { "projects" };
            explained(&save("office", list, entry, "坏数据"), 422);
        }
        explained(&save("office", "enterprises", json!({"code": "WEB-P9", "name": "项目"}), "x"), 422);
        explained(&save("office", "platforms", json!({"code": "WEB-T9", "recognized": "2025-02-30"}), "x"), 422);
        let raw = |body: &[u8]| {
            let bearer = format!("Bearer {}", crate::web::token("office"));
            send(
                "POST",
                &url("/api/lists/enterprises"),
                &[("Content-Type", "application/json"), ("Authorization", &bearer)],
                body,
            )
        };
        explained(&raw(b"{\"entry\": "), 400);
        explained(&raw(b"not json"), 400);
        explained(
            &api("POST", "/api/lists/enterprises", Some("office"), Some(json!({"entry": {}, "reason": "x", "x": 1}))),
            422,
        );
        // The page form: the problem shown at its field, nothing saved.
        let office = Browser::new("office");
        let refused = office.post(
            "/lists/enterprises",
            &[
                ("_new", "1"),
                ("credit_code", &wrong),
                ("name", "<b>表单</b>(示例)"),
                ("district", "北仑区"),
                ("industry", "3612"),
                ("reason", "表单测试"),
            ],
        );
        assert_eq!(refused.status, 422);
        let text = refused.text();
        assert!(text.contains("field-error") && text.contains(&format!("末位应为“{expected}”")), "{text}");
        assert!(text.contains("&lt;b&gt;表单") || text.contains("&#60;b&#62;表单"), "the value comes back escaped");
        let no_reason =
            office.post("/lists/projects", &[("code", "WEB-P1"), ("name", "固定示例项目(示例)"), ("reason", "")]);
        assert_eq!(no_reason.status, 422);
        let bad_date = office.post(
            "/lists/platforms",
            &[
                ("code", "WEB-T8"),
                ("name", "日期错误(示例)"),
                ("level", "国家级"),
                ("kind", "x"),
                ("recognized", "2025-13-01"),
                ("reason", "x"),
            ],
        );
        assert_eq!(bad_date.status, 422);
        assert!(bad_date.text().contains("is not a date"));
        let existing = office.post(
            "/lists/projects",
            &[
                ("_new", "1"),
                ("code", "WEB-P1"),
                ("name", "重复(示例)"),
                ("district", "北仑区"),
                ("category", "先进制造业"),
                ("reason", "x"),
            ],
        );
        assert_eq!(existing.status, 422, "a new entry may not overwrite one");
        assert!(existing.text().contains("already in the list"));
        for (list, key) in
            [("enterprises", right.as_str()), ("projects", "WEB-BAD"), ("platforms", "WEB-T8"), ("platforms", "WEB-T9")]
        {
            assert!(history(list, key).is_empty(), "{key}: nothing refused was written");
        }
        assert_eq!(history("projects", "WEB-P1").len(), 1, "the fixture is as it was");
        // Hostile text that makes a valid entry is stored as text and shown escaped.
        let hostile_code = "'; DROP TABLE list_versions; --";
        let hostile = json!({"code": hostile_code, "name": "<script>alert('x')</script>(示例)", "district": "北仑区",
                         "kind": "工业社区", "established": "2021-01-01"});
        assert_eq!(save("office", "parks", hostile, "<i>原因</i>").status, 201);
        let page = office.get(&format!("/lists/parks/{}", encoded(hostile_code)));
        assert_eq!(page.status, 200, "{}", page.text());
        assert!(!page.text().contains("<script>alert") && !page.text().contains("<i>原因"), "escaped");
        assert_eq!(history("parks", hostile_code).len(), 1);
        assert!(office.get("/lists/parks?q=DROP").text().contains(&format!("/lists/parks/{}", "%27%3B%20DROP")));
    });
}

#[test]
fn the_list_routes_are_documented() {
    crate::web::on_every_backend(|| {
        let document = api("GET", "/api/openapi.json", None, None).json();
        let paths = document["paths"].as_object().expect("paths");
        for (path, method) in [
            ("/api/lists/{kind}", "get"),
            ("/api/lists/{kind}", "post"),
            ("/api/lists/{kind}/{key}", "get"),
            ("/api/lists/{kind}/{key}", "delete"),
            ("/api/targets/{id}/entries", "get"),
        ] {
            assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is documented");
        }
        let schemas = document["components"]["schemas"].as_object().expect("schemas");
        assert!(schemas.contains_key("Enterprise") && schemas.contains_key("Entity"), "entries have a schema");
    });
}

#[test]
fn a_change_made_from_an_old_version_is_refused_with_409() {
    crate::web::on_every_backend(|| {
        let key = "PT-CONFLICT-1";
        let platform = |host: &str| {
            json!({"code": key, "name": "冲突测试平台(示例)", "level": "省级", "kind": "新型研发机构", "host": host,
               "cluster": "", "district": "北仑区", "recognized": "2025-01-01"})
        };
        let create = |entry: Value, version: i64| {
            api(
                "POST",
                "/api/lists/platforms",
                Some("office"),
                Some(json!({"entry": entry, "reason": "认定", "version": version})),
            )
        };
        assert_eq!(create(platform("甲研究院"), 0).status, 201);
        let again = create(platform("乙研究院"), 0);
        assert!(explained(&again, 409).contains("conflict"));
        assert_eq!(again.json()["current_revision"], 1, "the answer names the current version");
        assert_eq!(create(platform("乙研究院"), 1).status, 200, "based on the current version it goes through");
        let stale = create(platform("丙研究院"), 1);
        assert_eq!(stale.status, 409, "{}", stale.text());
        let stored = api("GET", &format!("/api/lists/platforms/{key}"), Some("office"), None).json();
        assert_eq!(stored["entry"]["host"], "乙研究院", "the stale change did not overwrite the newer one");
    });
}
