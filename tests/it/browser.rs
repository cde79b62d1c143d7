//! The browser test: a real headless Chromium, driven through chromedriver's WebDriver API
//! over plain HTTP (no driver crate: the protocol is a handful of JSON requests). A reporter
//! signs in, fills in a value and submits it; a reviewer approves it; the cockpit shows the
//! new value and its status. A district adds an enterprise to its list and grants it an honour.
//! A department walks a warning from 新 through 已签收 and 整改中 to 已解除. A leader goes from
//! the clusters' table to a cluster's trend, from the heat table and from a derived target's
//! value to the enterprises behind them. The plan office finds every overdue unit across periods
//! on 填报进度 and sends a 催报 that the unit's reporter sees. A viewer's navigation has no write
//! pages and those pages refuse them; on a 390 px phone the navigation opens behind 菜单 and no
//! page is wider than the screen. The cockpit prints on A4 with its period, the print date and
//! page numbers, its table's header on every sheet. The office loads a new plan version from
//! its page and the diff shows the changed targets.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http::send;
use crate::web::{PASSWORD, server};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session; both end when dropped.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    profile: std::path::PathBuf,
    /// The application's address (the test server's unless another is given).
    app: String,
}

impl Browser {
    fn start() -> Browser {
        Browser::start_at(&server().base)
    }

    fn start_at(app: &str) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        // A profile of its own: two browsers sharing one would close each other's windows.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let profile = std::env::temp_dir().join(format!("plan361-chromium-{}-{n}", std::process::id()));
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1366,768",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let capabilities =
            json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}});
        let mut browser = Browser { driver, base, session: String::new(), profile, app: app.to_string() };
        let created = browser.call("POST", "/session", capabilities);
        browser.session = created["sessionId"].as_str().expect("a session").to_string();
        browser
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let reply = send(
            method,
            &format!("{}{path}", self.base),
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        let value = reply.json()["value"].clone();
        assert_eq!(reply.status, 200, "{method} {path}: {value}");
        value
    }

    fn session(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn open(&self, path: &str) {
        self.session("POST", "/url", json!({"url": format!("{}{path}", self.app)}));
    }

    fn find(&self, xpath: &str) -> String {
        let found = self.session("POST", "/element", json!({"using": "xpath", "value": xpath}));

        found[ELEMENT].as_str().expect("an element").to_string()
    }

    fn type_into(&self, xpath: &str, text: &str) {
        let element = self.find(xpath);
        self.session("POST", &format!("/element/{element}/clear"), json!({}));
        self.session("POST", &format!("/element/{element}/value"), json!({"text": text}));
    }

    fn click(&self, xpath: &str) {
        let element = self.find(xpath);
        self.session("POST", &format!("/element/{element}/click"), json!({}));
    }

    fn text(&self, element: &str) -> String {
        self.session("GET", &format!("/element/{element}/text"), json!({})).as_str().unwrap_or_default().to_string()
    }

    fn attribute(&self, element: &str, name: &str) -> String {
        let value = self.session("GET", &format!("/element/{element}/attribute/{name}"), json!({}));
        value.as_str().unwrap_or_default().to_string()
    }

    fn displayed(&self, element: &str) -> bool {
        self.session("GET", &format!("/element/{element}/displayed"), json!({})).as_bool().unwrap_or_default()
    }

    fn script(&self, script: &str) -> Value {
        self.session("POST", "/execute/sync", json!({"script": script, "args": []}))
    }

    fn find_all(&self, xpath: &str) -> Vec<String> {
        let found = self.session("POST", "/elements", json!({"using": "xpath", "value": xpath}));
        found.as_array().into_iter().flatten().filter_map(|e| e[ELEMENT].as_str().map(str::to_string)).collect()
    }

    fn source(&self) -> String {
        self.session("GET", "/source", json!({})).as_str().unwrap_or_default().to_string()
    }

    fn sign_in(&self, username: &str) {
        self.open("/login");
        self.type_into("//input[@name='username']", username);
        self.type_into("//input[@name='password']", PASSWORD);
        self.click("//form[@action='/login']//button");
        self.wait_for_page(|url| !url.contains("/login"));
    }

    /// Waits until the page's address satisfies `done` (a form's redirect has completed).
    fn wait_for_page(&self, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let url = self.session("GET", "/url", json!({}));
            if done(url.as_str().unwrap_or_default()) {
                return;
            }
            assert!(Instant::now() < deadline, "the page did not change: {url}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn sign_out(&self) {
        self.click("//form[@action='/logout']//button");
        self.wait_for_page(|url| url.contains("/login"));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = send("DELETE", &format!("{}/session/{}", self.base, self.session), &[], b"");
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Whether the browser tests must be skipped (never on CI, which installs the browser).
fn no_browser() -> bool {
    let missing = !std::path::Path::new(CHROMEDRIVER).exists() && std::env::var_os("CI").is_none();
    if missing {
        eprintln!("skipped: {CHROMEDRIVER} is not installed (apt-get install chromium chromium-driver)");
    }
    missing
}

#[test]
fn a_value_goes_from_the_reporter_through_review_to_the_cockpit() {
    if no_browser() {
        return;
    }
    server();
    let month = {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
        plan361_core::calendar::Date::in_china(now).month_period().to_string()
    };
    let browser = Browser::start();

    browser.sign_in("kejiju");
    browser.open("/tasks");
    let row =
        format!("//form[.//input[@name='target_id'][@value='1.2.2'] and .//input[@name='period'][@value='{month}']]");
    browser.type_into(&format!("{row}//input[@name='value']"), "35");
    browser.type_into(&format!("{row}//input[@name='comment']"), "本年新审定品种3个");
    browser.click(&format!("{row}//button[@value='submit']"));
    browser.wait_for_page(|url| url.contains("done=submit"));
    assert!(browser.source().contains("已提交审核"), "the reporter sees the value submitted");
    browser.sign_out();

    browser.sign_in("reviewer");
    browser.open("/review");
    browser.click("//tr[.//a[text()='1.2.2']]//input[@type='checkbox']");
    browser.click("//button[@value='approve']");
    browser.wait_for_page(|url| url.contains("done=approve"));
    assert!(browser.source().contains("已审核通过"), "the reviewer sees the approval");

    // The cockpit evaluated at this month: 35 of 100 added since 2025-01.
    browser.open(&format!("/?at={month}"));
    let row = "//table[contains(@class, 'targets')]//tr[.//a[text()='1.2.2']]";
    let text = browser.text(&browser.find(row));
    assert!(text.contains("35个") && text.contains("正常"), "the cockpit shows the new value and its status: {text}");
    assert_bar_is_its_number(&browser, &format!("{row}//td[contains(@class, 'progress-cell')]"));
    assert!(text.contains("35.0%"), "目标进度 35/100: {text}");
    // Every headline card's bar, as drawn on screen, is as long as the 目标进度 printed under it.
    for card in 1..=4 {
        let card = format!("(//a[contains(@class, 'headline')])[{card}]");
        assert_bar_is_its_number(&browser, &card);
    }
}

/// The filled part of the progress bar inside `scope`, measured on screen against its track,
/// is the share its printed 目标进度 says (within a pixel).
fn assert_bar_is_its_number(browser: &Browser, scope: &str) {
    let width = |xpath: &str| {
        let element = browser.find(xpath);
        let rect = browser.session("GET", &format!("/element/{element}/rect"), json!({}));
        rect["width"].as_f64().unwrap_or_default()
    };
    let track = width(&format!("{scope}//*[local-name()='rect' and contains(@class, 'track')]"));
    let fill = browser.find_all(&format!("{scope}//*[local-name()='rect' and contains(@class, 'fill')]"));
    let fill = match fill.first() {
        Some(element) => {
            browser.session("GET", &format!("/element/{element}/rect"), json!({}))["width"].as_f64().unwrap_or_default()
        }
        None => 0.0,
    };
    let printed = browser.text(
        &browser.find(&format!("({scope}//*[contains(@class, 'num') or contains(@class, 'js-progress')])[last()]")),
    );
    // No 目标进度 ("—") draws no bar.
    let share: f64 = printed.split('%').next().and_then(|n| n.trim().parse().ok()).unwrap_or(0.0) / 100.0;
    assert!(track > 0.0, "{scope}: a bar is drawn");
    assert!(
        (fill / track - share.clamp(0.0, 1.0)).abs() * track <= 1.0,
        "{scope}: the bar fills {fill} of {track} px, the number says {printed}"
    );
}

#[test]
fn a_district_adds_an_enterprise_and_grants_it_an_honour() {
    if no_browser() {
        return;
    }
    server();
    let code = plan361_core::registry::credit_code::complete("91330206MA0WEB401").expect("a credit code");
    let browser = Browser::start();
    browser.sign_in("beilun");
    browser.open("/lists/enterprises");
    browser.click("//a[@href='/lists/enterprises/new']");
    browser.wait_for_page(|url| url.ends_with("/lists/enterprises/new"));
    // The district is the user's own, chosen already.
    browser.type_into("//input[@name='credit_code']", &code);
    browser.type_into("//input[@name='name']", "浏览器示例企业(示例)");
    browser.type_into("//input[@name='industry']", "3612");
    browser.type_into("//input[@name='reason']", "新增重点企业");
    browser.click("//form[contains(@class, 'entry-form')]//button[not(@type)]");
    browser.wait_for_page(|url| url.contains("done=saved"));
    let page = browser.source();
    assert!(page.contains("浏览器示例企业") && page.contains("新能源汽车及高端装备"), "the entry with its cluster");
    let grant = "//form[contains(@action, '/honours/grant')]";
    browser.click(&format!("{grant}//select[@name='honour']/option[@value='高新技术企业']"));
    browser.type_into(&format!("{grant}//input[@name='reason']"), "2026年认定");
    browser.click(&format!("{grant}//button"));
    browser.wait_for_page(|url| url.contains("done=granted"));
    let page = browser.source();
    assert!(page.contains("已授予") && page.contains("2026年认定"), "the honour and its reason in the history");
}

#[test]
fn a_warning_goes_from_new_through_acknowledged_and_measures_to_resolved() {
    if no_browser() {
        return;
    }
    server();
    // 1.2.1 (led by 市科技局) with 1 new product by last month: far behind, a warning for 市科技局.
    let warning = crate::warnings::lagging_warning("1.2.1", "宁波市");
    assert_eq!(warning["owner_unit"], "市科技局");
    let id = warning["id"].as_i64().expect("id");
    let browser = Browser::start();
    browser.sign_in("kejiju");
    browser.open("/");
    let badge =
        browser.find("//nav[contains(@class, 'main-nav')]//a[contains(@href, '/warnings')]//span[@class='badge']");
    let count = browser.session("GET", &format!("/element/{badge}/text"), json!({}));
    assert!(
        count.as_str().and_then(|c| c.parse::<usize>().ok()).is_some_and(|n| n >= 1),
        "the header shows a badge: {count}"
    );
    browser.click("//nav[contains(@class, 'main-nav')]//a[contains(@href, '/warnings')]");
    browser.wait_for_page(|url| url.contains("owner_unit="));
    browser.click(&format!("//table[contains(@class, 'warnings')]//a[@href='/warnings/{id}'][1]"));
    browser.wait_for_page(|url| url.ends_with(&format!("/warnings/{id}")));
    let state = || {
        let element = browser.find("//strong[@class='warning-state']");
        browser.session("GET", &format!("/element/{element}/text"), json!({})).as_str().unwrap_or_default().to_string()
    };
    assert_eq!(state(), "新");

    browser.click("//button[@value='acknowledge']");
    browser.wait_for_page(|url| url.contains("done=acknowledge"));
    assert_eq!(state(), "已签收");

    browser.type_into(
        "//form[contains(@class, 'measures-form')]//textarea[@name='measures']",
        "组织重点企业申报辅导,每月调度",
    );
    browser.click("//form[contains(@class, 'measures-form')]//button");
    browser.wait_for_page(|url| url.contains("done=measures"));
    assert_eq!(state(), "整改中");
    assert!(browser.source().contains("组织重点企业申报辅导"), "the measures are shown");

    browser
        .type_into("//form[contains(@class, 'resolve-form')]//textarea[@name='note']", "11月起新增申报12项,进度已赶上");
    browser.click("//form[contains(@class, 'resolve-form')]//button");
    browser.wait_for_page(|url| url.contains("done=resolve"));
    assert_eq!(state(), "已解除");
    let page = browser.source();
    for step in ["发出预警", "签收", "登记整改措施", "解除", "kejiju"] {
        assert!(page.contains(step), "the history shows {step}");
    }
    let history = crate::web::api("GET", &format!("/api/warnings/{id}"), Some("leader"), None).json();
    let actions: Vec<&str> =
        history["history"].as_array().expect("history").iter().filter_map(|h| h["action"].as_str()).collect();
    assert_eq!(actions, ["raised", "acknowledged", "measures", "resolved"]);
}

#[test]
fn a_leader_follows_the_cluster_numbers_to_the_enterprises_behind_them() {
    if no_browser() {
        return;
    }
    let stats = &crate::stats::stats_servers()[0];
    let at = crate::stats::AT;
    let browser = Browser::start_at(&stats.server.base);
    browser.sign_in("leader");
    browser.open(&format!("/stats?at={at}"));
    let table = "//section[h2[text()='各集群']]//table";
    let rows = browser.find_all(&format!("{table}/tbody/tr"));
    assert!(rows.len() > 3, "the total and the clusters: {}", rows.len());
    let total = browser.text(&rows[0]);
    assert!(total.contains("全部规上工业") && total.contains('%'), "1–N月, 同比, 占比 of the total: {total}");
    let heat = browser.find_all("//section[h2[contains(text(), '区县 × 集群')]]//a[contains(@class, 'heat')]");
    assert_eq!(heat.len(), 15 * rows.len(), "each org unit × each cluster");

    // A cluster's page: its trend as an SVG with the month's bars and the 同比 line.
    browser.click(&format!("{table}//a[text()='新能源汽车及高端装备']"));
    browser.wait_for_page(|url| url.contains("/stats/clusters/nev-equipment"));
    let chart = "//figure[contains(@class, 'chart')]//*[local-name()='svg']";
    let drawn =
        browser.find_all(&format!("{chart}//*[local-name()='rect' or local-name()='path' or local-name()='polyline']"));
    assert!(drawn.len() > 10, "bars and a line are drawn: {}", drawn.len());
    let size = browser.session("GET", &format!("/element/{}/rect", browser.find(chart)), json!({}));
    assert!(size["width"].as_f64().unwrap_or_default() > 200.0, "the chart is visible: {size}");
    let districts = browser.find_all("//section[h2[text()='各区县(按累计排序)']]//tbody/tr");
    assert_eq!(districts.len(), 15, "the city, the districts ranked, the zones");

    // From a heat cell to the enterprises behind it: as many rows as the cell counts.
    browser.open(&format!("/stats?at={at}"));
    let cell = "(//section[h2[contains(text(), '区县 × 集群')]]//tbody/tr[td[1][text()='北仑区']]//a[contains(@class, 'heat')])[1]";
    browser.click(cell);
    browser.wait_for_page(|url| url.contains("/stats/enterprises"));
    assert_rows_are_the_count(&browser);

    // 规上工业产值 is derived from the cube: its value leads to the same enterprises.
    browser.open(&format!("/targets/0.1?at={at}"));
    browser.click("//section[contains(@class, 'counted-note')]//a[contains(@class, 'button')]");
    browser.wait_for_page(|url| url.contains("/stats/enterprises"));
    assert!(browser.source().contains("宁波市"), "the city's enterprises");
    assert_rows_are_the_count(&browser);
}

/// The enterprises page lists as many enterprises as its heading counts.
fn assert_rows_are_the_count(browser: &Browser) {
    let heading = browser.text(&browser.find("//section[contains(@class, 'panel')]/h2"));
    let counted: usize = heading
        .rsplit("企业数")
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("the heading counts the enterprises: {heading}"));
    let listed = browser.find_all("//section[h2[text()='计入的企业']]//tbody/tr[td/a]");
    assert_eq!(listed.len(), counted, "{heading}");
    assert!(counted > 0, "{heading}");
}

#[test]
fn a_flagged_value_reaches_the_reviewer_and_an_upload_preview_shows_a_conflict() {
    if no_browser() {
        return;
    }
    // A server of its own: this month's 4.2.2 of the city is written here.
    crate::web::on_a_server_of_its_own("browser-flags", a_flagged_value_on);
}

fn a_flagged_value_on(own: &crate::web::Server) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    let month = plan361_core::calendar::Date::in_china(now).month_period();
    // Last month's 4.2.2 (垂直行业模型, 市科技局) is 10, approved.
    let api = crate::web::api;
    let body = json!({"target_id": "4.2.2", "org_unit": "宁波市", "period": month.previous_month().to_string(),
                      "value": 10.0, "comment": ""});
    let saved = api("POST", "/api/observations", Some("office"), Some(body)).json();
    let submitted = api(
        "POST",
        &format!("/api/observations/{}/submit", saved["id"]),
        Some("office"),
        Some(json!({"revision": saved["revision"]})),
    );
    let approved = api(
        "POST",
        &format!("/api/observations/{}/approve", saved["id"]),
        Some("reviewer"),
        Some(json!({"revision": submitted.json()["revision"]})),
    );
    assert_eq!(approved.status, 200, "{}", approved.text());

    let browser = Browser::start_at(&own.base);
    browser.sign_in("kejiju");
    browser.open("/tasks");
    let row =
        format!("//form[.//input[@name='target_id'][@value='4.2.2'] and .//input[@name='period'][@value='{month}']]");
    // 10 → 30 in a month, typed with the input method's full-width digits and no explanation.
    browser.type_into(&format!("{row}//input[@name='value']"), "３０");
    browser.click(&format!("{row}//button[@value='submit']"));
    browser.wait_for_page(|url| url.ends_with("/tasks/save"));
    let error = browser
        .text(&browser.find(&format!("{row}//input[@name='comment']/following-sibling::small[@class='field-error']")));
    assert!(error.contains("情况说明") && error.contains("环比"), "the reason is next to the comment: {error}");
    let typed = browser.find(&format!("{row}//input[@name='value']"));
    let kept = browser.session("GET", &format!("/element/{typed}/property/value"), json!({}));
    assert_eq!(kept, "３０", "what was typed is kept");
    assert!(!browser.find_all("//nav[contains(@class, 'main-nav')]").is_empty(), "the navigation stays");
    browser.type_into(&format!("{row}//input[@name='comment']"), "新增行业模型20个,集中发布");
    browser.click(&format!("{row}//button[@value='submit']"));
    browser.wait_for_page(|url| url.contains("done=submit"));
    browser.sign_out();

    browser.sign_in("reviewer");
    browser.open("/review");
    let flagged = browser.find("//tr[contains(@class, 'flagged') and .//a[text()='4.2.2']]");
    let text = browser.text(&flagged);
    assert!(text.contains("环比增长200.0%") && text.contains("新增行业模型20个"), "the reviewer sees the flag: {text}");
    browser.click("//tr[.//a[text()='4.2.2']]//input[@type='checkbox']");
    browser.click("//button[@value='approve']");
    browser.wait_for_page(|url| url.contains("done=approve"));
    browser.sign_out();

    // A file that would change the approved value: the preview shows the conflict, writes nothing.
    let scratch = crate::Scratch::new("browser-upload");
    let file =
        scratch.write("4.2.2.csv", &format!("target_id,org_unit,period,value,comment\n4.2.2,宁波市,{month},31,\n"));
    browser.sign_in("kejiju");
    browser.open("/tasks");
    let input = browser.find("//form[@action='/tasks/upload']//input[@type='file']");
    browser.session("POST", &format!("/element/{input}/value"), json!({"text": file}));
    browser.click("//form[@action='/tasks/upload']//button");
    browser.wait_for_page(|url| url.ends_with("/tasks/upload"));
    let page = browser.source();
    assert!(page.contains("冲突 1") && page.contains("change-conflict"), "the conflict is shown");
    assert!(browser.find_all("//form[@action='/tasks/upload/confirm']").is_empty(), "nothing to confirm");
    let stored = api("GET", &format!("/api/observations?target_id=4.2.2&period={month}"), Some("kejiju"), None).json();
    assert_eq!((stored[0]["value"].as_f64(), stored[0]["state"].as_str()), (Some(30.0), Some("approved")));
}

#[test]
fn the_office_finds_every_overdue_unit_and_its_reminder_reaches_the_reporter() {
    if no_browser() {
        return;
    }
    server();
    let browser = Browser::start();
    browser.sign_in("office");
    // Every year since the plan began: last year's reports nobody filed are overdue.
    browser.open("/progress?frequency=year&from=2025");
    let row = |unit: &str| format!("//table[contains(@class, 'progress-grid')]//tr[th//a[text()='{unit}']]");
    for unit in ["市发改委", "市科技局"] {
        let text = browser.text(&browser.find(&row(unit)));
        assert!(text.contains("逾期") && text.contains("天"), "{unit} is overdue for 2025: {text}");
    }
    // The monthly grid, from the first month: every overdue unit has its 催报 button.
    browser.open("/progress?frequency=month&from=2025-01");
    let buttons = browser.find_all("//button[@data-unit]");
    assert!(buttons.len() > 5, "a 催报 button for each overdue unit: {}", buttons.len());
    browser.click("//button[@data-unit='北仑区']");
    browser.wait_for_page(|url| url.contains("reminded=1"));
    assert!(browser.source().contains("已催报"), "the office sees the reminder sent");
    browser.sign_out();

    browser.sign_in("beilun");
    let badge = browser.text(&browser.find("//a[@href='/notices']//span[@id='notice-count']"));
    assert!(badge.parse::<u32>().is_ok_and(|n| n >= 1), "the reporter's header counts the notice: {badge}");
    browser.click("//a[@href='/notices']");
    browser.wait_for_page(|url| url.contains("/notices"));
    let notice = browser.text(&browser.find("//ul[contains(@class, 'notices')]/li[contains(@class, 'unread')]"));
    assert!(notice.contains("市经信局催报") && notice.contains("逾期"), "the notice: {notice}");
    let unread = browser.find_all("//li[contains(@class, 'unread')]").len();
    browser.click("//ul[contains(@class, 'notices')]/li[contains(@class, 'unread')]//button");
    browser.wait_for_page(|url| url.ends_with("/notices"));
    assert_eq!(browser.find_all("//li[contains(@class, 'unread')]").len(), unread - 1, "marked read");
}

#[test]
fn a_viewer_is_offered_no_write_page_and_a_phone_gets_the_whole_navigation() {
    if no_browser() {
        return;
    }
    server();
    let browser = Browser::start();
    browser.sign_in("leader");
    let nav_links = "//nav[contains(@class, 'main-nav')]//a";
    let hrefs: Vec<String> = browser.find_all(nav_links).iter().map(|a| browser.attribute(a, "href")).collect();
    assert!(hrefs.iter().any(|h| h.ends_with("/progress")), "the reading pages are offered: {hrefs:?}");
    for write_page in ["/tasks", "/review", "/checks", "/audit", "/users"] {
        assert!(!hrefs.iter().any(|h| h.ends_with(write_page)), "{write_page} is not offered: {hrefs:?}");
    }
    // Typed in by hand, the pages refuse with the reason: no upload box, no queue to decide on.
    for (path, reason) in [("/tasks", "只有填报员和推进办填报数据"), ("/review", "只有审核员和推进办审核数据")]
    {
        browser.open(path);
        let page = browser.source();
        assert!(page.contains("403") && page.contains(reason), "{path}: {page}");
        assert!(browser.find_all("//input[@type='file'] | //button[@value='approve'] | //form[@method='post' and not(@action='/logout')]").is_empty(), "{path} offers no form");
    }

    // A phone: 390 px wide. The menu folds the navigation away and opens it whole.
    browser.session("POST", "/window/rect", json!({"width": 390, "height": 844}));
    browser.open("/");
    let menu = browser.find("//label[@id='nav-menu']");
    assert!(browser.displayed(&menu), "the menu button is shown");
    let links = browser.find_all(nav_links);
    assert!(links.iter().all(|a| !browser.displayed(a)), "the navigation is folded away");
    browser.click("//label[@id='nav-menu']");
    for link in &links {
        assert!(browser.displayed(link), "{} is reachable", browser.text(link));
        let rect = browser.session("GET", &format!("/element/{link}/rect"), json!({}));
        let right = rect["x"].as_f64().unwrap_or_default() + rect["width"].as_f64().unwrap_or_default();
        assert!(
            rect["x"].as_f64().is_some_and(|x| x >= 0.0) && right <= 390.0,
            "{} lies on the screen: {rect}",
            browser.text(link)
        );
    }
    let widths = || browser.script("return [window.innerWidth, document.documentElement.scrollWidth]");
    for path in ["/", "/targets/2.3.2", "/progress", "/compare"] {
        browser.open(path);
        let [inner, scroll] = [0, 1].map(|i| widths()[i].as_f64().unwrap_or_default());
        assert_eq!(inner, 390.0, "the window is a phone's");
        assert!(scroll <= 392.0, "{path} is {scroll} px wide on a 390 px screen");
    }
    // Following a link from the opened menu.
    browser.open("/");
    browser.click("//label[@id='nav-menu']");
    browser.click(&format!("{nav_links}[contains(@href, '/compare')]"));
    browser.wait_for_page(|url| url.contains("/compare"));
}

#[test]
fn the_cockpit_prints_on_a4_with_its_period_date_and_numbered_sheets() {
    use base64::Engine;
    if no_browser() {
        return;
    }
    if !std::path::Path::new("/usr/bin/pdftotext").exists() && std::env::var_os("CI").is_none() {
        eprintln!("skipped: pdftotext is not installed (apt-get install poppler-utils)");
        return;
    }
    server();
    let browser = Browser::start();
    browser.sign_in("leader");
    browser.open("/?at=2026-06");
    // As the browser's 打印 does: A4, the page's own margins.
    let a4 = json!({"page": {"width": 21.0, "height": 29.7}, "margin": {"top": 0, "bottom": 0, "left": 0, "right": 0}});
    let encoded = browser.session("POST", "/print", a4);
    let pdf = base64::engine::general_purpose::STANDARD.decode(encoded.as_str().unwrap_or_default()).expect("a PDF");
    let scratch = crate::Scratch::new("print");
    let file = scratch.0.join("cockpit.pdf");
    std::fs::write(&file, pdf).expect("write the PDF");
    let text = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    let sheets: Vec<&str> = text.split('\u{c}').filter(|s| !s.trim().is_empty()).collect();
    let count = sheets.len();
    assert!(count >= 2, "the cockpit with every target runs over sheets: {count}");
    for (n, sheet) in sheets.iter().enumerate() {
        // The text as extracted loses the spaces of "1 / 6".
        let squeezed: String = sheet.split_whitespace().collect();
        assert!(squeezed.contains(&format!("{}/{count}", n + 1)), "sheet {} is numbered: {sheet}", n + 1);
        assert!(!sheet.contains("月度通报") && !sheet.contains("下载 Excel"), "no navigation or buttons: {sheet}");
    }
    let first = sheets[0];
    for words in ["驾驶舱", "评价期 2026年6月", "打印日期"] {
        assert!(first.contains(words), "the first sheet says {words}: {first}");
    }
    let headed = sheets.iter().filter(|s| s.contains("牵头单位")).count();
    assert!(headed >= 2, "the targets' table repeats its header on each of its sheets: {headed}");
}

#[test]
fn the_office_loads_a_new_plan_version_and_sees_the_changed_targets() {
    if no_browser() {
        return;
    }
    // A server of its own: the new version changes the plan under the other tests.
    crate::web::on_a_server_of_its_own("browser-plan", a_new_plan_version_on);
}

fn a_new_plan_version_on(own: &crate::web::Server) {
    let scratch = crate::Scratch::new("browser-plan");
    let file = scratch.write("ningbo-361-2027.toml", &crate::planning::changed_plan());
    let browser = Browser::start_at(&own.base);
    browser.sign_in("office");
    browser.click("//nav//a[@href='/plan/versions']");
    browser.wait_for_page(|url| url.ends_with("/plan/versions"));
    browser.type_into("//input[@name='effective']", "2027-01");
    browser.type_into("//input[@name='reason']", "年中评估后调整");
    let input = browser.find("//form[@action='/plan/versions']//input[@type='file']");
    browser.session("POST", &format!("/element/{input}/value"), json!({"text": file}));
    browser.click("//form[@action='/plan/versions']//button");
    browser.wait_for_page(|url| url.contains("/plan/versions/diff"));
    let table = browser.text(&browser.find("//table[contains(@class, 'plan-diff')]"));
    for shown in [
        "3.3.1",
        "国家级制造业单项冠军企业",
        "目标值",
        "2030年 160家",
        "2030年 170家",
        "7.3.4",
        "新增",
        "7.3.3",
        "删除",
    ] {
        assert!(table.contains(shown), "the differences show {shown}: {table}");
    }
    let summary = browser.text(&browser.find("//p[@class='plan-summary']"));
    assert_eq!(summary, "新增 1 项 · 删除 1 项 · 修改 1 项");
    // The list of versions has the new one, with its reason.
    browser.click("//nav[contains(@class, 'plan-tabs')]//a[@href='/plan/versions']");
    browser.wait_for_page(|url| url.ends_with("/plan/versions"));
    let versions = browser.text(&browser.find("//table[contains(@class, 'data')]"));
    assert!(versions.contains("年中评估后调整") && versions.contains("2027年1月"), "{versions}");
}
