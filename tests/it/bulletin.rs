//! The bulletin of the demo's last closed month, read as a reader reads it: the DOCX opened as
//! a zip and its XML parsed, its tables' numbers checked against `/api/evaluation`; every
//! lagging target with its sentence and owner, in the DOCX and the HTML; the warning centre
//! holding a warning for each of them and for each overdue unit; the XLSX with a sheet per
//! table; and the DOCX converted to PDF by LibreOffice and rendered to PNG (CI installs both).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

use crate::http::send;
use crate::{Scratch, plan361, stderr, stdout};

const LAGGING: [&str; 3] = ["off_track", "moving_away", "missed"];

/// A demo database: `plan361 demo` creates it; the server it starts is stopped at once.
fn demo_database(scratch: &Scratch) -> String {
    let db = scratch.0.join("demo.db").display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_plan361"))
        .args(["--db", &db, "demo", "--port", "0", "--password", "demo-password"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("demo starts");
    let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let started = lines.map_while(Result::ok).any(|line| line.contains("http://"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(started, "the demo database was created");
    db
}

/// The API of a server on `db`, in this process.
fn serve(db: &str) -> String {
    let location = db.to_string();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build();
        runtime.expect("runtime").block_on(async move {
            let store = plan361_store::Store::open(&location).await.expect("store");
            let state = plan361_web::AppState::new(store).await.expect("state");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            sender.send(listener.local_addr().expect("address")).expect("send");
            plan361_web::serve(state, listener).await.expect("serve");
        });
    });
    format!("http://{}", receiver.recv().expect("the server starts"))
}

fn json_of(args: &[&str]) -> Value {
    let output = plan361(args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("JSON")
}

/// The document's tables (rows of cell texts) and paragraphs outside tables, in order.
struct Docx {
    tables: Vec<Vec<Vec<String>>>,
    paragraphs: Vec<String>,
}

fn read_docx(path: &Path) -> Docx {
    let file = std::fs::File::open(path).expect("docx");
    let mut zip = zip::ZipArchive::new(file).expect("a docx is a zip");
    for part in
        ["[Content_Types].xml", "word/styles.xml", "word/footer1.xml", "word/header1.xml", "word/charts/chart1.xml"]
    {
        assert!(zip.by_name(part).is_ok(), "the docx has {part}");
    }
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("document.xml").read_to_string(&mut xml).expect("UTF-8");
    let mut reader = Reader::from_str(&xml);
    let mut docx = Docx { tables: Vec::new(), paragraphs: Vec::new() };
    let (mut in_table, mut row, mut cell, mut paragraph, mut in_text) =
        (false, Vec::new(), String::new(), String::new(), false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => {
                    in_table = true;
                    docx.tables.push(Vec::new());
                }
                "w:tr" => row = Vec::new(),
                "w:tc" => cell = String::new(),
                "w:p" => paragraph = String::new(),
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Text(t) if in_text => {
                let text = t.into_inner();
                if in_table { cell.push_str(&text) } else { paragraph.push_str(&text) }
            }
            Event::GeneralRef(r) if in_text => {
                let text = match r.into_inner().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" | "#39" => "'",
                    other => panic!("an unexpected entity &{other};"),
                };
                if in_table { cell.push_str(text) } else { paragraph.push_str(text) }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:tc" => row.push(std::mem::take(&mut cell)),
                "w:tr" => docx.tables.last_mut().expect("a table").push(std::mem::take(&mut row)),
                "w:tbl" => in_table = false,
                "w:p" if !in_table => docx.paragraphs.push(std::mem::take(&mut paragraph)),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    docx
}

/// A fraction as the tables print it.
fn percent(value: &Value) -> String {
    value.as_f64().map_or_else(|| "—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// 目标进度 as tables print it (DESIGN §3A.8): beyond the goal reads "100% 超额", never 150%.
fn progress_shown(record: &Value) -> String {
    match record["progress"].as_f64() {
        Some(p) if p > 1.0 + 1e-9 || (p < 0.0 && record["status"] == "achieved") => "100% 超额".to_string(),
        _ => percent(&record["progress"]),
    }
}

fn points(value: &Value) -> String {
    value.as_f64().map_or_else(|| "—".to_string(), |v| format!("{v:+.1}"))
}

/// The leading number of a cell ("2.55万亿元" → 2.55), in the unit of the value it shows.
fn leading_number(text: &str) -> Option<f64> {
    let digits: String =
        text.chars().skip_while(|c| *c == '第').take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
    digits.parse().ok()
}

#[test]
fn the_demo_bulletin_of_the_last_month_reads_as_the_evaluation_does() {
    let scratch = Scratch::new("bulletin");
    let db = demo_database(&scratch);
    let at = crate::warnings::last_month();
    let scan = plan361(&["--db", &db, "warnings", "scan", "--at", &at]);
    assert!(scan.status.success(), "{}", stderr(&scan));
    let again = plan361(&["--db", &db, "warnings", "scan", "--at", &at]);
    assert!(
        stdout(&again).contains("新增 0 条,重新打开 0 条,自动解除 0 条,更新 0 条"),
        "a second scan changes nothing: {}",
        stdout(&again)
    );
    for format in ["docx", "xlsx", "html"] {
        let file = scratch.0.join(format!("bulletin.{format}")).display().to_string();
        let written = plan361(&["--db", &db, "bulletin", "--at", &at, "--format", format, "-o", &file]);
        assert!(written.status.success(), "{format}: {}", stderr(&written));
    }

    let base = serve(&db);
    let login = serde_json::json!({"username": "leader", "password": "demo-password"}).to_string();
    let token = send("POST", &format!("{base}/api/login"), &[("Content-Type", "application/json")], login.as_bytes())
        .json()["token"]
        .as_str()
        .expect("token")
        .to_string();
    let bearer = format!("Bearer {token}");
    let records =
        send("GET", &format!("{base}/api/evaluation?at={at}&org_unit=宁波市"), &[("Authorization", &bearer)], b"")
            .json();
    let records: HashMap<String, Value> = records
        .as_array()
        .expect("records")
        .iter()
        .map(|r| (r["target_id"].as_str().unwrap_or("").to_string(), r.clone()))
        .collect();
    let targets = json_of(&["targets", "--json"]);
    let unit: HashMap<String, String> = targets
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| (t["id"].as_str().unwrap_or("").to_string(), t["unit"].as_str().unwrap_or("").to_string()))
        .collect();
    let lead: HashMap<String, String> = targets
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| (t["id"].as_str().unwrap_or("").to_string(), t["lead_unit"].as_str().unwrap_or("").to_string()))
        .collect();

    let docx = read_docx(&scratch.0.join("bulletin.docx"));
    assert!(docx.paragraphs.iter().any(|p| p.contains("合成数据")), "the bulletin says its data are synthetic");
    for heading in [
        "一、总体情况",
        "二、主要指标完成情况",
        "三、七大工程推进情况",
        "四、滞后指标及预警情况",
        "五、各单位填报情况",
        "六、产业集群和区县运行情况",
        "七、附图",
    ] {
        assert!(docx.paragraphs.iter().any(|p| p == heading), "{heading} in order");
    }
    // Every project table: each target's row against the evaluation, its sentence in the row below.
    let mut checked = 0;
    for table in docx.tables.iter().filter(|t| t[0].first().map(String::as_str) == Some("编号") && t[0].len() == 9) {
        for (i, row) in table.iter().enumerate().skip(1) {
            let Some(record) = records.get(&row[0]) else { continue };
            assert_eq!(row[5], progress_shown(record), "{} 目标进度", row[0]);
            assert_eq!(row[6], percent(&record["expected"]), "{} 序时进度", row[0]);
            assert_eq!(row[7], points(&record["lag_pp"]), "{} 差距", row[0]);
            assert!(row[8].ends_with(record["status_label"].as_str().unwrap_or("?")), "{} 状态 {}", row[0], row[8]);
            if let (Some(shown), Some(value)) = (leading_number(&row[3]), record["value"].as_f64()) {
                // Money reads in 亿元 or 万亿元 by magnitude, whichever the target's unit; a flow's
                // full-year estimate follows in brackets.
                let latest = row[3].split('(').next().unwrap_or_default();
                let scale = match (latest.ends_with("万亿元"), latest.ends_with("亿元"), unit[&row[0]].as_str()) {
                    (true, _, "亿元") => 10_000.0,
                    (false, true, "万亿元") => 0.0001,
                    _ => 1.0,
                };
                assert!(
                    (shown * scale - value).abs() <= 0.006 * value.abs().max(1.0),
                    "{} 最新值 {} vs {value}",
                    row[0],
                    row[3]
                );
            }
            let sentence = table.get(i + 1).and_then(|r| r.first()).expect("the sentence row");
            assert_eq!(sentence, &format!("情况分析:{}", record["explanation"].as_str().unwrap_or("")), "{}", row[0]);
            checked += 1;
        }
    }
    assert!(checked >= 50, "every target of the seven projects is in a table: {checked}");

    // Every 滞后, 倒退 and 未完成 target: its row with its owner, its sentence; and its warning.
    let lagging: Vec<&Value> =
        records.values().filter(|r| LAGGING.contains(&r["status"].as_str().unwrap_or(""))).collect();
    assert!(!lagging.is_empty(), "the demo has lagging targets");
    let table =
        docx.tables.iter().find(|t| t[0].last().map(String::as_str) == Some("预警状态")).expect("the lagging table");
    let warnings = json_of(&["--db", &db, "warnings", "--json"]);
    let keys: Vec<&str> = warnings.as_array().expect("warnings").iter().filter_map(|w| w["key"].as_str()).collect();
    let html = std::fs::read_to_string(scratch.0.join("bulletin.html")).expect("html");
    for record in &lagging {
        let id = record["target_id"].as_str().expect("id");
        let position = table
            .iter()
            .position(|row| row.get(1).map(String::as_str) == Some(id))
            .unwrap_or_else(|| panic!("{id} listed"));
        assert_eq!(table[position][4], lead[id], "{id}: its owner");
        assert!(table[position][5].contains("预警·"), "{id}: its warning's state: {}", table[position][5]);
        let explanation = record["explanation"].as_str().expect("explanation");
        assert_eq!(table[position + 1][0], format!("情况分析:{explanation}"));
        assert!(html.contains(explanation), "{id}: the sentence in the HTML");
        assert!(keys.contains(&format!("projected_miss:{id}:宁波市").as_str()), "{id}: a warning");
    }
    // Every unit with overdue reports for the month or the one before has its warning.
    let previous = at.parse::<plan361_core::Period>().expect("month").previous_month().to_string();
    let mut overdue_units = 0;
    for period in [&at, &previous] {
        let report = json_of(&["--db", &db, "overdue", "--period", period, "--json"]);
        for o in report["outstanding"]
            .as_array()
            .expect("outstanding")
            .iter()
            .filter(|o| o["days_overdue"].as_i64() > Some(0))
        {
            let key = format!("overdue:{}:{period}", o["reporting_unit"].as_str().expect("unit"));
            assert!(keys.contains(&key.as_str()), "{key}");
            overdue_units += 1;
        }
    }
    assert!(overdue_units > 0, "the demo has overdue reports");

    assert!(
        html.contains("<svg") && html.contains("@page") && html.contains("表1"),
        "printable HTML with the app's charts"
    );
    let xlsx =
        zip::ZipArchive::new(std::fs::File::open(scratch.0.join("bulletin.xlsx")).expect("xlsx")).expect("a zip");
    let sheets = xlsx.file_names().flatten().filter(|n| n.starts_with("xl/worksheets/sheet")).count();
    assert_eq!(sheets, docx.tables.len() + 1, "a sheet per table and one for the text");

    render_with_libreoffice(&scratch, &lagging);
}

/// LibreOffice turns the DOCX into PDF; its text has the tables and the lagging targets, and
/// its pages render to PNG.
fn render_with_libreoffice(scratch: &Scratch, lagging: &[&Value]) {
    let soffice = Command::new("soffice").arg("--version").output();
    if soffice.is_err() && std::env::var_os("CI").is_none() {
        eprintln!("skipped: LibreOffice is not installed (apt-get install libreoffice-writer-nogui poppler-utils)");
        return;
    }
    let profile = format!("-env:UserInstallation=file://{}", scratch.0.join("lo-profile").display());
    let converted = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&scratch.0)
        .arg(scratch.0.join("bulletin.docx"))
        .output()
        .expect("soffice runs");
    let pdf = scratch.0.join("bulletin.pdf");
    assert!(pdf.exists(), "LibreOffice converted the DOCX: {}", String::from_utf8_lossy(&converted.stderr));
    let text = Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("表 1") || text.contains("表1"), "the tables are in the PDF");
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for record in lagging {
        let id = record["target_id"].as_str().unwrap_or("");
        assert!(squeezed.contains(id), "{id} in the PDF");
    }
    let pages = Command::new("pdftoppm")
        .args(["-r", "40", "-png"])
        .arg(&pdf)
        .arg(scratch.0.join("page"))
        .output()
        .expect("pdftoppm runs");
    assert!(pages.status.success());
    let rendered = std::fs::read_dir(&scratch.0)
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("page"))
        .count();
    assert!(rendered >= 5, "the bulletin runs to several pages: {rendered}");
}
