//! Sign-in and sessions as deployed: behind a TLS proxy (Secure cookies, HSTS, the client's
//! address from X-Forwarded-For), lockouts per (user, address), the same work for unknown
//! users, sessions that outlive the process that opened them, no CSRF token in a URL, and no
//! way for `next` to leave the site.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::http::{Reply, send};
use crate::web::{PASSWORD, Server, sign_in, start_with, url};

fn database(name: &str) -> String {
    crate::web::fresh_sqlite(&format!("sessions-{name}"))
}

fn behind_proxy(location: String, seed: bool) -> Server {
    let config = plan361_web::Config {
        trusted_proxies: plan361_web::TrustedProxies::parse(&["127.0.0.1".into()]).expect("proxy"),
        tls_behind_proxy: true,
        ..Default::default()
    };
    start_with(location, "sqlite", config, seed)
}

fn login(server: &Server, username: &str, password: &str, from: &str) -> Reply {
    let body = json!({"username": username, "password": password}).to_string();
    let headers = [("Content-Type", "application/json"), ("X-Forwarded-For", from)];
    send("POST", &format!("{}/api/login", server.base), &headers, body.as_bytes())
}

#[test]
fn a_lockout_holds_one_user_at_one_address_and_grows() {
    let server = behind_proxy(database("lockout"), true);
    for _ in 0..5 {
        assert_eq!(login(&server, "admin", "wrong password", "10.0.0.1").status, 401);
    }
    let locked = login(&server, "admin", PASSWORD, "10.0.0.1");
    assert_eq!(locked.status, 429, "the right password from the failing address waits: {}", locked.text());
    // The same user from elsewhere, and another user from the same address, are not locked out.
    assert_eq!(login(&server, "admin", PASSWORD, "10.0.0.2").status, 200);
    assert_eq!(login(&server, "office", PASSWORD, "10.0.0.1").status, 200);
    // Everyone behind the proxy no longer shares one address: a third address is untouched.
    assert_eq!(login(&server, "kejiju", PASSWORD, "192.168.7.7, 10.0.0.9").status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(login(&server, "admin", "wrong again", "10.0.0.1").status, 401, "the first delay has passed");
    let again = login(&server, "admin", PASSWORD, "10.0.0.1");
    assert_eq!(again.status, 429, "and the next one is longer");
    assert!(again.text().contains("second"), "{}", again.text());
}

#[test]
fn behind_a_tls_proxy_cookies_are_secure_and_responses_carry_hsts() {
    let server = behind_proxy(database("tls"), true);
    let form = format!("username=leader&password={PASSWORD}&next=%2F");
    let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("X-Forwarded-For", "10.1.1.1")];
    let reply = send("POST", &format!("{}/login", server.base), &headers, form.as_bytes());
    assert_eq!(reply.status, 303, "{}", reply.text());
    let cookie = reply.header("set-cookie").expect("a session cookie");
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let page = send("GET", &format!("{}/login", server.base), &[], b"");
    assert!(page.header("strict-transport-security").is_some_and(|h| h.contains("max-age=")), "HSTS");
    // Without the option, neither.
    let plain = send("GET", &url("/login"), &[], b"");
    assert!(plain.header("strict-transport-security").is_none());
}

#[test]
fn sessions_outlive_the_server_that_opened_them() {
    let location = database("restart");
    let first = behind_proxy(location.clone(), true);
    let token = login(&first, "kejiju", PASSWORD, "10.2.2.2").json()["token"].as_str().expect("token").to_string();
    // Another server process on the same database (as after a restart) knows the session.
    let second = behind_proxy(location, false);
    let me = send("GET", &format!("{}/api/me", second.base), &[("Authorization", &format!("Bearer {token}"))], b"");
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["username"], "kejiju");
    // Signing out there ends it everywhere.
    let out =
        send("POST", &format!("{}/api/logout", second.base), &[("Authorization", &format!("Bearer {token}"))], b"");
    assert_eq!(out.status, 204);
    let gone = send("GET", &format!("{}/api/me", second.base), &[("Authorization", &format!("Bearer {token}"))], b"");
    assert_eq!(gone.status, 401);
}

#[test]
fn a_failed_sign_in_takes_as_long_for_an_unknown_user() {
    let server = behind_proxy(database("timing"), true);
    // Attempts interleaved, each from its own address (no lockout), and the fastest of each
    // kind compared: the least disturbed by whatever else the machine is doing.
    let (mut real, mut unknown) = (Duration::MAX, Duration::MAX);
    for i in 0..8 {
        for (username, fastest) in [("admin", &mut real), ("nobody-at-all", &mut unknown)] {
            let started = Instant::now();
            assert_eq!(login(&server, username, "not the password", &format!("10.3.{i}.1")).status, 401);
            *fastest = (*fastest).min(started.elapsed());
        }
    }
    let ratio = unknown.as_secs_f64() / real.as_secs_f64();
    assert!((0.5..2.0).contains(&ratio), "real user {real:?}, unknown user {unknown:?}");
}

#[test]
fn next_never_leaves_the_site_and_no_csrf_token_is_in_a_url() {
    for next in ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/%0A/evil.example"]
    {
        let form = format!("username=leader&password={PASSWORD}&next={next}");
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        let reply = send("POST", &url("/login"), &headers, form.as_bytes());
        assert_eq!(reply.status, 303, "{}", reply.text());
        assert_eq!(reply.header("location"), Some("/"), "next={next}");
    }
    let (cookie, csrf) = sign_in("kejiju");
    let page = send("GET", &url("/tasks"), &[("Cookie", &cookie)], b"").text();
    assert!(!page.contains("_csrf="), "no token in any address of the page");
    // A token in the address is not accepted any more.
    let headers = [("Cookie", cookie.as_str()), ("Content-Type", "multipart/form-data; boundary=XBOUNDARY")];
    let body = b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx\r\n--XBOUNDARY--\r\n";
    let reply = send("POST", &url(&format!("/tasks/upload?_csrf={csrf}")), &headers, body);
    assert_eq!(reply.status, 403, "{}", reply.text());
}
