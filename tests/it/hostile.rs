//! Every hostile file of the generated corpus (`plan361_files::hostile`) at every upload path:
//! the web form, the API, `plan361 import` and `plan361 list import`. Each is refused with a
//! 4xx (or an error) naming the limit, quickly, and the server keeps answering meanwhile.

use std::time::{Duration, Instant};

use plan361_files::hostile::{Hostile, corpus};

use crate::http::send;
use crate::web::{on_every_backend, sign_in, token, url};
use crate::{Scratch, plan361, stderr};

fn multipart(file_name: &str, bytes: &[u8], csrf: Option<&str>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(token) = csrf {
        body.extend_from_slice(b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n");
        body.extend_from_slice(token.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(
        format!("--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--XBOUNDARY--\r\n");
    body
}

/// The server answers its health check at once.
fn healthy() {
    let started = Instant::now();
    let reply = send("GET", &url("/healthz"), &[], b"");
    assert_eq!(reply.status, 200);
    assert!(started.elapsed() < Duration::from_secs(2), "/healthz took {:?}", started.elapsed());
}

/// A refusal: a 4xx naming the limit (413 for a body over the request limit, which names its
/// own).
fn assert_refused(path: &str, hostile: &Hostile, status: u16, text: &str, took: Duration) {
    assert!(matches!(status, 400 | 413 | 415 | 422), "{path} {}: {status} {text}", hostile.name);
    let named = if status == 413 { "MB" } else { hostile.refusal };
    assert!(text.contains(named), "{path} {}: the refusal names the limit ({named}): {text}", hostile.name);
    assert!(took < Duration::from_secs(20), "{path} {}: took {took:?}", hostile.name);
}

#[test]
fn every_hostile_file_is_refused_at_every_web_upload_path() {
    let files = corpus();
    on_every_backend(|| {
        let (cookie, csrf) = sign_in("kejiju");
        let bearer = format!("Bearer {}", token("kejiju"));
        for hostile in &files {
            let started = Instant::now();
            let headers = [("Cookie", cookie.as_str()), ("Content-Type", "multipart/form-data; boundary=XBOUNDARY")];
            let page = send(
                "POST",
                &url("/tasks/upload"),
                &headers,
                &multipart(hostile.file_name, &hostile.bytes, Some(&csrf)),
            );
            assert_refused("/tasks/upload", hostile, page.status, &page.text(), started.elapsed());
            healthy();
            let started = Instant::now();
            let headers =
                [("Authorization", bearer.as_str()), ("Content-Type", "multipart/form-data; boundary=XBOUNDARY")];
            let api = send("POST", &url("/api/import"), &headers, &multipart(hostile.file_name, &hostile.bytes, None));
            assert_refused("/api/import", hostile, api.status, &api.text(), started.elapsed());
            if api.status != 413 {
                let body = api.json();
                assert!(body["error"].is_string() && body["message"].is_string(), "{body}");
            }
            healthy();
        }
    });
}

#[test]
fn two_hostile_uploads_at_once_leave_the_server_answering() {
    let files = corpus();
    let dense = files.iter().find(|h| h.file_name == "dense.xlsx").expect("the dense sheet");
    on_every_backend(|| {
        let bearer = format!("Bearer {}", token("kejiju"));
        let body = multipart(dense.file_name, &dense.bytes, None);
        // The address is taken here: the threads below do not know which backend is under test.
        let import = url("/api/import");
        std::thread::scope(|scope| {
            let uploads: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| {
                        let headers = [
                            ("Authorization", bearer.as_str()),
                            ("Content-Type", "multipart/form-data; boundary=XBOUNDARY"),
                        ];
                        send("POST", &import, &headers, &body).status
                    })
                })
                .collect();
            let mut slowest = Duration::ZERO;
            for _ in 0..20 {
                let started = Instant::now();
                assert_eq!(send("GET", &url("/healthz"), &[], b"").status, 200);
                slowest = slowest.max(started.elapsed());
                std::thread::sleep(Duration::from_millis(50));
            }
            for upload in uploads {
                assert_eq!(upload.join().expect("upload"), 422);
            }
            assert!(slowest < Duration::from_millis(500), "/healthz during two uploads: {slowest:?}");
        });
    });
}

#[test]
fn every_hostile_file_is_refused_by_the_command_line_imports() {
    let scratch = Scratch::new("hostile");
    let db = scratch.0.join("h.db").display().to_string();
    assert!(plan361(&["init", "--db", &db, "--admin-password", "secret-password"]).status.success());
    for hostile in corpus() {
        let path = scratch.0.join(hostile.file_name);
        std::fs::write(&path, &hostile.bytes).expect("write");
        let path = path.display().to_string();
        for args in [
            vec!["import", path.as_str(), "--db", db.as_str()],
            vec!["list", "import", "enterprises", path.as_str(), "--db", db.as_str(), "--reason", "测试"],
        ] {
            let started = Instant::now();
            let output = plan361(&args);
            assert!(!output.status.success(), "{args:?}: {}", hostile.name);
            let said = stderr(&output);
            assert!(said.contains(hostile.refusal), "{args:?} {}: {said}", hostile.name);
            assert!(said.lines().count() < 10, "{}: a refusal, not a flood: {said}", hostile.name);
            assert!(started.elapsed() < Duration::from_secs(20), "{}: {:?}", hostile.name, started.elapsed());
        }
    }
    // A file of many bad rows: the first hundred and the count.
    let bad = scratch.0.join("bad.csv");
    std::fs::write(&bad, plan361_files::hostile::bad_rows_csv(20_000)).expect("write");
    let output = plan361(&["import", &bad.display().to_string(), "--db", &db]);
    let said = stderr(&output);
    assert!(said.contains("20000 row(s) rejected") && said.lines().count() < 60, "{said}");
}
