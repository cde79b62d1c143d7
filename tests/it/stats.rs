//! Cluster statistics through the real binary, on SQLite and (with `PLAN361_PG_URL`) on
//! PostgreSQL: microdata imported all-or-nothing and idempotently, revisions kept, the same cube
//! from the database and from files, with the JSON keys of the interface.

use serde_json::Value;

use crate::{Scratch, plan361, stderr, stdout};

const HEADER: &str = "credit_code,period,output,revenue,profit,export_delivery,rd_expense,electricity,employees";
const A: &str = "91330206MA0000001X";
const B: &str = "91330212MA00000023";

fn enterprises(scratch: &Scratch) -> String {
    let a = plan361_core::registry::credit_code::complete(&A[..17]).expect("code");
    let b = plan361_core::registry::credit_code::complete(&B[..17]).expect("code");
    scratch.write(
        "enterprises.csv",
        &format!(
            "credit_code,name,district,industry,above_scale\n{a},甲汽车(示例),北仑区,3612,2025;2026\n{b},乙石化(示例),鄞州区,2511,2026\n"
        ),
    )
}

fn codes() -> (String, String) {
    let a = plan361_core::registry::credit_code::complete(&A[..17]).expect("code");
    let b = plan361_core::registry::credit_code::complete(&B[..17]).expect("code");
    (a, b)
}

/// The keys of every object of `stats cube --json` and `/api/stats/cube`: the issue's, and
/// `month_span` marking a 当月 that is 1–2月.
pub const CUBE_KEYS: [&str; 12] = [
    "cluster",
    "org_unit",
    "period",
    "measure",
    "month",
    "month_span",
    "ytd",
    "ytd_prev",
    "yoy",
    "enterprises",
    "share",
    "contribution_pp",
];

/// Every object has exactly `keys`.
pub fn assert_keys(objects: &[Value], keys: &[&str]) {
    let mut expected: Vec<&str> = keys.to_vec();
    expected.sort_unstable();
    for object in objects {
        let mut found: Vec<&str> = object.as_object().expect("an object").keys().map(String::as_str).collect();
        found.sort_unstable();
        assert_eq!(found, expected, "{object}");
    }
}

/// The databases a test runs on: a SQLite file in the scratch folder, and a fresh PostgreSQL
/// database when `PLAN361_PG_URL` names a server (dropped by the next run of the tests).
pub fn databases(scratch: &Scratch) -> Vec<String> {
    let mut found = vec![scratch.0.join("plan361.db").display().to_string()];
    found.extend(crate::web::fresh_postgres("stats"));
    found
}

fn cube(args: &[&str]) -> Vec<Value> {
    let out = plan361(args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

#[test]
fn microdata_import_once_with_revisions_and_the_cube_is_the_same_from_files() {
    let scratch = Scratch::new("stats");
    for db in databases(&scratch) {
        eprintln!("on {db}");
        import_and_cube(&scratch, &db);
    }
}

fn import_and_cube(scratch: &Scratch, db: &str) {
    let db = db.to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    let list = enterprises(scratch);
    let imported = plan361(&["list", "import", "enterprises", &list, "--db", &db, "--reason", "测试"]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let (a, b) = codes();
    let micro = scratch.write(
        "micro.csv",
        &format!(
            "{HEADER}\n{a},2025-01,100,100,5,10,1,2,50\n{a},2025-02,180,180,9,20,2,4,50\n{a},2026-01,120,120,6,10,1,2,52\n\
             {a},2026-02,230,230,11,25,2,5,52\n{b},2025-02,50,50,1,0,1,1,20\n{b},2026-02,70,70,2,0,1,1,21\n"
        ),
    );
    let first = plan361(&["stats", "import", &micro, "--db", &db]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("新增 6"), "{}", stdout(&first));
    assert!(
        stderr(&first).contains("not above scale") || stderr(&first).contains("before it entered"),
        "{}",
        stderr(&first)
    );
    let again = plan361(&["stats", "import", &micro, "--db", &db]);
    assert!(stdout(&again).contains("新增 0,修改 0,未变 6"), "{}", stdout(&again));

    let args = ["stats", "cube", "--at", "2026-02", "--by", "cluster,district", "--json", "--db", &db];
    let rows = cube(&args);
    let distinct = |key: &str| rows.iter().map(|r| r[key].to_string()).collect::<std::collections::BTreeSet<_>>().len();
    assert_eq!(distinct("org_unit"), 15, "the city, 10 districts and 4 zones");
    assert_eq!(rows.len(), distinct("cluster") * 15, "every cluster (and the total) × every org unit");
    assert_keys(&rows, &CUBE_KEYS);
    let city = rows.iter().find(|r| r["cluster"] == "all" && r["org_unit"] == "宁波市").expect("city");
    assert_eq!(city["ytd"], 300.0);
    assert_eq!(city["enterprises"], 2);
    assert_eq!(
        (city["month"].as_f64(), city["month_span"].as_u64()),
        (Some(300.0), Some(2)),
        "1–2月: B has no January"
    );
    assert_eq!(city["ytd_prev"], 230.0);
    let from_files = cube(&[
        "stats",
        "cube",
        "--at",
        "2026-02",
        "--by",
        "cluster,district",
        "--json",
        "--micro",
        &micro,
        "--enterprises",
        &list,
    ]);
    assert_eq!(rows, from_files, "the database and the files give the same cube");
    let members = plan361(&["stats", "members", "--at", "2026-02", "--json", "--db", &db]);
    let members: Vec<Value> = serde_json::from_str(&stdout(&members)).expect("JSON");
    assert_keys(&members, &["credit_code", "cluster"]);
    assert!(members.iter().all(|m| m["credit_code"] == a.as_str() || m["credit_code"] == b.as_str()));
    assert!(members.contains(&serde_json::json!({"credit_code": a, "cluster": "nev-equipment"})), "{members:?}");

    // A revision changes one value; its history keeps both.
    let revised = scratch.write("revised.csv", &format!("{HEADER}\n{a},2026-02,240,230,11,25,2,5,52\n"));
    let third = plan361(&["stats", "import", &revised, "--db", &db]);
    assert!(stdout(&third).contains("修改 1"), "{}", stdout(&third));
    let history = stdout(&plan361(&["stats", "history", &a, "2026-02", "--db", &db]));
    assert!(history.contains("v1  230") && history.contains("v2  240"), "{history}");
    let verify = plan361(&["audit", "verify", "--db", &db]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

#[test]
fn a_bad_file_names_every_bad_row_and_imports_nothing() {
    let scratch = Scratch::new("stats-bad");
    for db in databases(&scratch) {
        eprintln!("on {db}");
        bad_file(&scratch, &db);
    }
}

fn bad_file(scratch: &Scratch, db: &str) {
    let db = db.to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    let list = enterprises(scratch);
    assert!(plan361(&["list", "import", "enterprises", &list, "--db", &db, "--reason", "测试"]).status.success());
    let (a, _) = codes();
    let bad = scratch.write(
        "bad.csv",
        &format!(
            "{HEADER}\n{a},2026-01,100,100,5,10,1,2,50\n{a},2026-02,90,100,5,10,1,2,50\n91330200MA2CL7RN9T,2026-01,1,1,1,1,1,1,1\n{a},2026-03,x,1,1,1,1,1,1\n"
        ),
    );
    let out = plan361(&["stats", "import", &bad, "--db", &db]);
    assert!(!out.status.success());
    let errors = stderr(&out);
    assert!(errors.contains(":5: column output"), "{errors}");
    let out = plan361(&["stats", "import", &scratch.write("bad2.csv", &bad_rows(&a)), "--db", &db]);
    let errors = stderr(&out);
    assert!(errors.contains("row 3, column output: 工业总产值 1–N月 falls"), "{errors}");
    assert!(errors.contains("row 4, column credit_code"), "{errors}");
    assert!(errors.contains("nothing was imported"), "{errors}");
    let rows = cube(&["stats", "cube", "--at", "2026-01", "--json", "--db", &db]);
    assert_eq!(rows[0]["enterprises"], 0, "nothing was written");
}

fn bad_rows(a: &str) -> String {
    format!(
        "{HEADER}\n{a},2026-01,100,100,5,10,1,2,50\n{a},2026-02,90,100,5,10,1,2,50\n91330200MA2CL7RN9T,2026-01,1,1,1,1,1,1,1\n"
    )
}

// ------------------------------------------------------------------ the API and the pages

/// A server on a database holding a small registry and its microdata, with the location the
/// binary reaches it at.
pub struct StatsServer {
    pub server: crate::web::Server,
    pub db: String,
}

/// The months of the sample: 2025-01 to 2026-10.
pub const AT: &str = "2026-10";

/// Servers on SQLite and (with `PLAN361_PG_URL`) PostgreSQL holding [`sample`], shared by the
/// tests of the cluster pages and the API.
pub fn stats_servers() -> &'static [StatsServer] {
    static SERVERS: std::sync::OnceLock<Vec<StatsServer>> = std::sync::OnceLock::new();
    SERVERS.get_or_init(|| {
        let scratch = Scratch::new("stats-server");
        let sqlite = crate::web::fresh_sqlite("stats");
        let mut locations = vec![(sqlite, "sqlite")];
        locations.extend(databases(&scratch).into_iter().skip(1).map(|pg| (pg, "postgres")));
        let (list, micro) = sample(&scratch);
        locations
            .into_iter()
            .map(|(db, backend)| {
                let server = crate::web::start_with(db.clone(), backend, plan361_web::Config::default(), true);
                let listed = plan361(&["list", "import", "enterprises", &list, "--db", &db, "--reason", "规上名录"]);
                assert!(listed.status.success(), "{}", stderr(&listed));
                let imported = plan361(&["stats", "import", &micro, "--db", &db]);
                assert!(imported.status.success(), "{}", stderr(&imported));
                StatsServer { server, db }
            })
            .collect()
    })
}

/// Thirty enterprises in three districts and a zone, two clusters, from 2025-01 to 2026-10:
/// one leaving the above-scale set after 2025, one entering in 2026 (its 2025 reported as the
/// base of its growth), one reporting 2026's January and February together, one falling by
/// half; February is the Spring Festival's month.
fn sample(scratch: &Scratch) -> (String, String) {
    const DISTRICTS: [&str; 4] = ["北仑区", "鄞州区", "镇海区", "宁波经济技术开发区"];
    const INDUSTRIES: [&str; 4] = ["3612", "2651", "2511", "3411"];
    let mut list = String::from("credit_code,name,district,industry,above_scale\n");
    let mut micro = format!("{HEADER}\n");
    for i in 0..30usize {
        let code = plan361_core::registry::credit_code::complete(&format!("91330206MA{i:07}")).expect("code");
        let years = match i {
            28 => "2025",
            29 => "2026",
            _ => "2025;2026",
        };
        list.push_str(&format!("{code},示例企业{i}(示例),{},{},{years}\n", DISTRICTS[i % 4], INDUSTRIES[(i / 4) % 4]));
        let size = 100 + 37 * i as i64;
        let growth = if i == 27 { -0.5 } else { (i % 7) as f64 / 20.0 - 0.1 };
        for year in [2025, 2026] {
            if i == 28 && year == 2026 {
                continue;
            }
            let mut total = [0i64; 7];
            for month in 1..=if year == 2025 { 12 } else { 10 } {
                let factor = if year == 2026 { 1.0 + growth } else { 1.0 } * if month == 2 { 0.7 } else { 1.0 };
                let output = (size as f64 * factor).round() as i64;
                let add = [output, output * 95 / 100, output / 20 - 5, output / 5, output / 40, output / 30, 0];
                for (t, a) in total.iter_mut().zip(add) {
                    *t += a;
                }
                total[6] = size / 2;
                if i == 26 && year == 2026 && month == 1 {
                    continue;
                }
                let values: Vec<String> = total.iter().map(i64::to_string).collect();
                micro.push_str(&format!("{code},{year}-{month:02},{}\n", values.join(",")));
            }
        }
    }
    (scratch.write("enterprises.csv", &list), scratch.write("micro.csv", &micro))
}

/// A Bearer token for a user of a stats server.
fn token(server: &crate::web::Server, username: &str) -> String {
    let body = serde_json::json!({"username": username, "password": crate::web::PASSWORD}).to_string();
    let reply = crate::http::send(
        "POST",
        &format!("{}/api/login", server.base),
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["token"].as_str().expect("token").to_string()
}

fn get(server: &crate::web::Server, token: &str, path: &str) -> crate::http::Reply {
    crate::http::send("GET", &format!("{}{path}", server.base), &[("Authorization", &format!("Bearer {token}"))], b"")
}

fn json_of(server: &crate::web::Server, token: &str, path: &str) -> Vec<Value> {
    let reply = get(server, token, path);
    assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    reply.json().as_array().expect("an array").clone()
}

/// The cell of the cube for a cluster at an org unit.
fn cell<'a>(rows: &'a [Value], cluster: &str, org_unit: &str) -> &'a Value {
    rows.iter().find(|r| r["cluster"] == cluster && r["org_unit"] == org_unit).expect("the cell")
}

#[test]
fn the_api_answers_the_binarys_objects_and_the_enterprises_behind_each() {
    for s in stats_servers() {
        eprintln!("on {}", s.server.backend);
        let token = token(&s.server, "leader");
        let path = format!("/api/stats/cube?at={AT}&by=cluster,district&measure=all");
        let rows = json_of(&s.server, &token, &path);
        assert_keys(&rows, &CUBE_KEYS);
        let args =
            ["stats", "cube", "--at", AT, "--by", "cluster,district", "--measure", "all", "--json", "--db", &s.db];
        assert_eq!(rows, cube(&args), "the API and the binary give the same objects");
        let members = json_of(&s.server, &token, &format!("/api/stats/members?at={AT}"));
        assert_keys(&members, &["credit_code", "cluster"]);
        let printed = plan361(&["stats", "members", "--at", AT, "--json", "--db", &s.db]);
        assert_eq!(members, serde_json::from_str::<Vec<Value>>(&stdout(&printed)).expect("JSON"));
        assert_eq!(members.len(), 29, "the one that left after 2025 is not a member in 2026");

        let output: Vec<Value> = rows.iter().filter(|r| r["measure"] == "output").cloned().collect();
        let city = cell(&output, "all", "宁波市");
        assert_eq!(city["enterprises"], 29);
        for (cluster, unit) in
            [("all", "宁波市"), ("nev-equipment", "北仑区"), ("green-petrochemical", "宁波经济技术开发区")]
        {
            let here = cell(&output, cluster, unit);
            let query = format!("at={AT}&cluster={cluster}&org_unit={unit}");
            let behind = json_of(&s.server, &token, &format!("/api/stats/enterprises?{query}"));
            assert_eq!(behind.len() as u64, here["enterprises"].as_u64().expect("count"), "{cluster} {unit}");
            let sum: f64 = behind.iter().map(|e| e["ytd"].as_f64().expect("ytd")).sum();
            assert!((sum - here["ytd"].as_f64().expect("ytd")).abs() < 1e-6, "{cluster} {unit}: {sum} vs {here}");
        }
        let zone = cell(&output, "all", "宁波经济技术开发区")["ytd"].as_f64().expect("zone");
        let districts: f64 = output
            .iter()
            .filter(|r| {
                r["cluster"] == "all" && ["北仑区", "鄞州区", "镇海区"].contains(&r["org_unit"].as_str().unwrap_or(""))
            })
            .map(|r| r["ytd"].as_f64().expect("ytd"))
            .sum();
        assert!(zone > 0.0);
        assert!(
            (districts - city["ytd"].as_f64().expect("city")).abs() < 1e-6,
            "the zone lies in 北仑区: not added twice"
        );

        let february = json_of(&s.server, &token, "/api/stats/cube?at=2026-02&by=cluster,district");
        assert_eq!(cell(&february, "all", "宁波市")["month_span"], 2, "enterprise 26 reported 1–2月 together");
        assert_eq!(cell(&february, "all", "鄞州区")["month_span"], 1, "every one in 鄞州区 reported January");

        for (bad, status) in [
            ("/api/stats/cube?at=2026-13", 400),
            ("/api/stats/cube?measure=steel", 400),
            ("/api/stats/cube?by=province", 400),
            ("/api/stats/cube?catalog=1999", 404),
            ("/api/stats/enterprises?cluster=steel", 400),
            ("/api/stats/enterprises?org_unit=火星区", 400),
            ("/api/stats/members?at=2026Q1", 400),
        ] {
            let reply = get(&s.server, &token, bad);
            assert_eq!(reply.status, status, "{bad}: {}", reply.text());
            assert!(reply.json()["message"].as_str().is_some_and(|m| !m.is_empty()), "{bad}: {}", reply.text());
        }
    }
}

/// The addresses of the enterprises behind numbers in a page, as links.
fn behind_links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/stats/enterprises?"))
        .map(|href| href.replace("&amp;", "&").replace("&#38;", "&"))
        .collect()
}

/// The parameters of a link, decoded.
fn query_of(link: &str) -> std::collections::HashMap<String, String> {
    let decode = |text: &str| {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' if i + 2 < bytes.len() => {
                    out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex"));
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).expect("UTF-8")
    };
    let query = link.split_once('?').map_or("", |(_, q)| q);
    query.split('&').filter_map(|pair| pair.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect()
}

/// The rows of the table of enterprises behind a number.
fn enterprise_rows(page: &str) -> usize {
    page.matches("<a href=\"/lists/enterprises/").count() / 2
}

#[test]
fn every_number_of_the_cluster_pages_and_a_derived_target_leads_to_its_enterprises() {
    for s in stats_servers() {
        eprintln!("on {}", s.server.backend);
        let base = &s.server.base;
        let form = format!("username=leader&password={}&next=%2F", crate::web::PASSWORD);
        let login = crate::http::send(
            "POST",
            &format!("{base}/login"),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        );
        let cookie = login.header("set-cookie").and_then(|c| c.split(';').next()).expect("a session").to_string();
        let page = |path: &str| {
            let reply = crate::http::send("GET", &format!("{base}{path}"), &[("Cookie", &cookie)], b"");
            assert_eq!(reply.status, 200, "{path}: {}", reply.text());
            reply.text()
        };
        let token = token(&s.server, "leader");
        let cube = json_of(&s.server, &token, &format!("/api/stats/cube?at={AT}&by=cluster,district"));

        let clusters = page(&format!("/stats?at={AT}"));
        for text in ["新能源汽车及高端装备", "绿色石化", "class=\"heat", "同口径"] {
            assert!(clusters.contains(text), "{text}");
        }
        let links = behind_links(&clusters);
        let clusters_in_cube = cube.iter().filter(|r| r["org_unit"] == "宁波市").count();
        assert_eq!(links.len(), clusters_in_cube + clusters_in_cube * 15, "each cluster's ytd and each heat cell");
        for link in links.iter().filter(|l| query_of(l).get("org_unit").map(String::as_str) == Some("北仑区")) {
            let query = query_of(link);
            let expected = &cell(&cube, &query["cluster"], &query["org_unit"])["enterprises"];
            assert_eq!(enterprise_rows(&page(link)) as u64, expected.as_u64().expect("count"), "{link}");
        }
        let xlsx = crate::http::send("GET", &format!("{base}/stats?at={AT}&format=xlsx"), &[("Cookie", &cookie)], b"");
        assert_eq!(xlsx.status, 200);
        assert!(xlsx.header("content-type").is_some_and(|t| t.contains("spreadsheetml")), "an Excel file");

        let cluster_page = page(&format!("/stats/clusters/nev-equipment?at={AT}"));
        assert!(cluster_page.contains("<svg"), "the trend chart");
        for heading in ["各区县(按累计排序)", "规模最大的企业", "同比降幅最大的企业"] {
            assert!(cluster_page.contains(heading), "{heading}");
        }
        let unknown = crate::http::send("GET", &format!("{base}/stats/clusters/steel"), &[("Cookie", &cookie)], b"");
        assert_eq!(unknown.status, 400);
        assert!(unknown.text().contains("cluster: unknown &#34;steel&#34;"), "{}", unknown.text());

        // 规上工业产值 (0.1) takes its values from the cube: 万元 → 万亿元, and links to them.
        let evaluation = json_of(&s.server, &token, &format!("/api/evaluation?at={AT}&org_unit=宁波市"));
        let target = evaluation.iter().find(|r| r["target_id"] == "0.1").expect("0.1");
        let city = cell(&cube, "all", "宁波市");
        let ytd = city["ytd"].as_f64().expect("ytd");
        assert!((target["value"].as_f64().expect("a value") - ytd / 1e8).abs() < 1e-12, "{target}");
        let target_page = page(&format!("/targets/0.1?at={AT}"));
        assert!(target_page.contains("取自规上企业月度数据"), "the rule in words");
        let links = behind_links(&target_page);
        let link_of =
            |unit: &str| links.iter().find(|l| query_of(l).get("org_unit").map(String::as_str) == Some(unit)).cloned();
        let city_link = link_of("宁波市").expect("the city's value links to its enterprises");
        assert_eq!(query_of(&city_link)["cluster"], "all");
        assert_eq!(enterprise_rows(&page(&city_link)) as u64, city["enterprises"].as_u64().expect("count"));
        let district_link = link_of("北仑区").expect("北仑区's value links to its enterprises");
        let beilun = cell(&cube, "all", "北仑区")["enterprises"].as_u64().expect("count");
        assert_eq!(enterprise_rows(&page(&district_link)) as u64, beilun);
    }
}

/// A workbook of numbers imports as its CSV does: importing the CSV after it changes nothing.
#[test]
fn a_workbook_imports_as_its_csv() {
    use plan361_files::xlsx::{Cell, Table, write_tables};
    let scratch = Scratch::new("stats-xlsx");
    let db = scratch.0.join("plan361.db").display().to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    let list = enterprises(&scratch);
    assert!(plan361(&["list", "import", "enterprises", &list, "--db", &db, "--reason", "测试"]).status.success());
    let (a, b) = codes();
    let values = [(&a, "2026-01", 100.1), (&a, "2026-02", 230.25), (&b, "2026-02", 70.0)];
    let rows: Vec<Vec<Cell>> = values
        .iter()
        .map(|(code, period, output)| {
            let mut row = vec![Cell::Text(code.to_string()), Cell::Text(period.to_string())];
            row.extend([*output, *output, 1.5, 0.0, 0.3, 2.0, 50.0].map(Cell::Number));
            row
        })
        .collect();
    let headers: Vec<&str> = HEADER.split(',').collect();
    let workbook = write_tables(&[Table { sheet: "企业月度数据", headers: &headers, rows: &rows }]).expect("xlsx");
    let xlsx = scratch.0.join("micro.xlsx");
    std::fs::write(&xlsx, workbook).expect("write");
    let imported = plan361(&["stats", "import", &xlsx.display().to_string(), "--db", &db]);
    assert!(stdout(&imported).contains("新增 3"), "{}{}", stdout(&imported), stderr(&imported));
    let csv: String = values
        .iter()
        .map(|(code, period, output)| format!("{code},{period},{output},{output},1.5,0,0.3,2,50\n"))
        .collect();
    let again = plan361(&["stats", "import", &scratch.write("micro.csv", &format!("{HEADER}\n{csv}")), "--db", &db]);
    assert!(stdout(&again).contains("新增 0,修改 0,未变 3"), "{}{}", stdout(&again), stderr(&again));
}
