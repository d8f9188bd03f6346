//! Who may ask (token, cookie, CORS), the faults tests put in, bad queries, and the app's files.

mod common;

use std::time::Instant;

use common::*;
use serde_json::Value;

const TOKEN: &str = "tok-SECRET-123";
const COOKIE: &str = "sid=cookie-SECRET-456";

#[test]
fn a_token_or_the_cookie_is_needed_and_never_logged() {
    let s = Server::start(&["--demo-members", "20", "--token", TOKEN, "--cookie", COOKIE]);
    let none = s.get("/api/members?page=1&size=5");
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), Some("Bearer realm=\"member-api\""));
    assert!(none.json()["error"].is_string());

    let wrong = s.get_with("/api/members?page=1&size=5", &[("Authorization", "Bearer tok-SECRET-124")]);
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("www-authenticate").unwrap().contains("error=\"invalid_token\""));
    let wrong_cookie = s.get_with("/api/members?page=1&size=5", &[("Cookie", "sid=cookie-SECRET-457")]);
    assert_eq!(wrong_cookie.status, 401);
    let basic = s.get_with("/api/members?page=1&size=5", &[("Authorization", "Basic dTpw")]);
    assert_eq!(basic.status, 401);

    let right = s.get_with("/api/members?page=1&size=5", &[("Authorization", &format!("Bearer {TOKEN}"))]);
    assert_eq!(right.status, 200);
    assert_eq!(right.json()["data"].as_array().unwrap().len(), 5);
    let by_cookie = s.get_with("/api/transactions?page=1&size=5", &[("Cookie", &format!("theme=dark; {COOKIE}"))]);
    assert_eq!(by_cookie.status, 200);
    // A stale token beside the portal's cookie: the cookie still lets the request in.
    let both = s.get_with("/api/transactions?page=1&size=5", &[("Authorization", "Bearer old"), ("Cookie", COOKIE)]);
    assert_eq!(both.status, 200);

    let log = s.log();
    assert!(log.contains("auth bearer") && log.contains("auth cookie"), "{log}");
    assert!(!log.contains("SECRET"), "a token or cookie value in the log:\n{log}");
}

#[test]
fn an_open_api_without_token_options() {
    let s = Server::start(&["--demo-members", "5"]);
    let r = s.get_with("/api/members", &[("Authorization", "Bearer anything")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"].as_array().unwrap().len(), 5, "the default page holds all five");
}

#[test]
fn a_token_expires_after_its_uses_and_a_fresh_one_works() {
    let s = Server::start(&["--demo-members", "5", "--token", "first", "--token", "second", "--token-max-uses", "2"]);
    let with = |t: &str| s.get_with("/api/members?page=1&size=2", &[("Authorization", &format!("Bearer {t}"))]);
    assert_eq!(with("first").status, 200);
    assert_eq!(with("first").status, 200);
    let expired = with("first");
    assert_eq!(expired.status, 401);
    assert!(expired.json()["error"].as_str().unwrap().contains("expired"));
    assert!(expired.header("www-authenticate").unwrap().contains("invalid_token"));
    assert_eq!(with("second").status, 200);
}

#[test]
fn cors_headers_only_for_allowed_origins() {
    let allowed = "http://portal.test:8080";
    let s = Server::start(&["--demo-members", "20", "--allow-origin", allowed, "--token", TOKEN]);
    let auth = format!("Bearer {TOKEN}");

    let ok = s.get_with("/api/transactions?page=1&size=3", &[("Origin", allowed), ("Authorization", &auth)]);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("access-control-allow-origin"), Some(allowed));
    assert_eq!(ok.header("access-control-allow-credentials"), Some("true"));
    assert!(ok.header("access-control-expose-headers").unwrap().contains("Link"));
    assert!(ok.header("vary").unwrap().contains("Origin"));
    assert!(ok.header("link").is_some());

    // A 401 carries the CORS headers too, or the page could not tell it from a CORS refusal.
    let refused = s.get_with("/api/transactions", &[("Origin", allowed)]);
    assert_eq!(refused.status, 401);
    assert_eq!(refused.header("access-control-allow-origin"), Some(allowed));

    let other = s.get_with("/api/transactions?page=1&size=3", &[("Origin", "http://evil.test"), ("Authorization", &auth)]);
    assert_eq!(other.header("access-control-allow-origin"), None);
    assert_eq!(other.header("access-control-allow-credentials"), None);

    let preflight = s.request(
        "OPTIONS",
        "/api/transactions?page=1&size=3",
        &[("Origin", allowed), ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "authorization")],
    );
    assert_eq!(preflight.status, 204, "a preflight needs no token");
    assert_eq!(preflight.header("access-control-allow-origin"), Some(allowed));
    assert!(preflight.header("access-control-allow-headers").unwrap().contains("Authorization"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("GET"));
    assert_eq!(preflight.header("access-control-allow-credentials"), Some("true"));

    let other_preflight = s.request("OPTIONS", "/api/transactions", &[("Origin", "http://evil.test"), ("Access-Control-Request-Method", "GET")]);
    assert_eq!(other_preflight.header("access-control-allow-origin"), None);
    assert_eq!(other_preflight.header("access-control-allow-headers"), None);

    let same_origin = Server::start(&["--demo-members", "5"]);
    let r = same_origin.get_with("/api/members", &[("Origin", allowed)]);
    assert_eq!(r.status, 200);
    assert!(r.headers.iter().all(|(k, _)| !k.starts_with("access-control-")), "no CORS without --allow-origin");
}

#[test]
fn a_malformed_record_on_the_page_asked() {
    let s = Server::start(&["--demo-members", "20", "--malformed", "transactions:2:record", "--paging", "page"]);
    let page = |p: u32| s.get(&format!("/api/transactions?page={p}&size=5")).json();
    for p in [1, 3] {
        assert!(page(p)["data"].as_array().unwrap().iter().all(Value::is_object), "page {p}");
    }
    let broken = page(2);
    let data = broken["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    assert!(data[2].is_string(), "the third record of page 2");
    assert_eq!(data.iter().filter(|r| r.is_object()).count(), 4);
    // Members are not touched.
    assert!(s.get("/api/members?page=2&size=5").json()["data"].as_array().unwrap().iter().all(Value::is_object));
}

#[test]
fn a_page_cut_off_mid_json_and_an_html_page() {
    let dir = temp_dir("cut");
    let csv = write_transactions_csv(&dir);
    let s = Server::start(&[csv.to_str().unwrap(), "--malformed", "transactions:2:json", "--malformed", "transactions:3:html"]);
    let first = s.get("/api/transactions?page=1&size=5");
    let second = s.get(first.json()["next"].as_str().unwrap());
    assert_eq!(second.status, 200);
    assert!(second.body.starts_with("{\"data\":["), "{}", second.body);
    assert!(serde_json::from_str::<Value>(&second.body).is_err(), "page 2 is cut off: {}", second.body);
    let third = s.get("/api/transactions?page=3&size=5");
    assert!(third.header("content-type").unwrap().starts_with("text/html"));
    assert!(serde_json::from_str::<Value>(&third.body).is_err());
    assert!(s.get("/api/transactions?page=4&size=5").json()["data"].is_array());
}

#[test]
fn a_failing_page_and_one_that_fails_once() {
    let s = Server::start(&["--demo-members", "20", "--fail", "transactions:2:500", "--fail", "members:1:403", "--fail", "transactions:3:503:once"]);
    for _ in 0..2 {
        let r = s.get("/api/transactions?page=2&size=5");
        assert_eq!(r.status, 500);
        assert!(r.json()["error"].is_string());
    }
    assert_eq!(s.get("/api/transactions?page=1&size=5").status, 200);
    assert_eq!(s.get("/api/members?page=1&size=5").status, 403);
    assert_eq!(s.get("/api/transactions?page=3&size=5").status, 503);
    assert_eq!(s.get("/api/transactions?page=3&size=5").status, 200, "the retry succeeds");
    // The cursor of page 2 is page 2 as well.
    let next = s.get("/api/transactions?page=1&size=5").json()["next"].as_str().unwrap().to_string();
    assert_eq!(s.get(&next).status, 500);
}

#[test]
fn every_answer_waits_the_delay() {
    let s = Server::start(&["--demo-members", "5", "--delay-ms", "400"]);
    let t = Instant::now();
    let r = s.get("/api/members?page=1&size=5");
    assert_eq!(r.status, 200);
    assert!(t.elapsed().as_millis() >= 400, "{:?}", t.elapsed());
}

#[test]
fn bad_queries_are_400_and_the_server_stays_up() {
    let s = Server::start(&["--demo-members", "5"]);
    for q in [
        "page=0",
        "page=-1",
        "page=abc",
        "page=1.5",
        "size=0",
        "size=x",
        "page=99999999999999999999999",
        "page=1&page=2",
        "cursor=garbage",
        "cursor=m9e3779b97f4a7c1400",
        "cursor=&size=5",
        "page=1&cursor=t9e3779b97f4a7c1500",
        "page=%FF",
        "page=%",
    ] {
        let r = s.get(&format!("/api/transactions?{q}"));
        assert_eq!(r.status, 400, "{q}: {}", r.body);
        assert!(r.json()["error"].is_string(), "{q}");
    }
    // Odd but harmless queries are answered.
    for q in ["", "x=1", "size=99999", "page=1&size=3&&&", "foo%5B%5D=1"] {
        assert_eq!(s.get(&format!("/api/transactions?{q}")).status, 200, "{q}");
    }
    assert_eq!(s.get("/api/orders").status, 404);
    assert_eq!(s.get("/api").status, 404);
    let post = s.request("POST", "/api/members", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
    assert!(post.header("allow").unwrap().contains("GET"));
    assert_eq!(s.get("/api/members?page=1&size=2").status, 200, "still serving");
}

#[test]
fn the_app_is_served_from_dist_with_frame_ancestors() {
    let dir = temp_dir("dist");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    std::fs::write(dir.join("examples").join("host.js"), "export {}").unwrap();
    std::fs::write(dir.join(".secret"), "no").unwrap();
    let s = Server::start(&["--demo-members", "5", "--dist", dir.to_str().unwrap(), "--frame-ancestors", "'self' https://portal.test"]);
    let index = s.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.body, "<!doctype html><title>app</title>");
    assert!(index.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(index.header("content-security-policy"), Some("frame-ancestors 'self' https://portal.test"));
    let wasm = s.get("/app_bg.wasm");
    assert_eq!((wasm.status, wasm.header("content-type")), (200, Some("application/wasm")));
    assert!(s.get("/examples/host.js").header("content-type").unwrap().starts_with("text/javascript"));
    for bad in ["/../Cargo.toml", "/examples/../../Cargo.toml", "/.secret", "/missing.js", "/%2e%2e/Cargo.toml"] {
        assert_eq!(s.get(bad).status, 404, "{bad}");
    }
    assert_eq!(s.get("/api/members").status, 200, "the API beside the app");
    // Without --dist nothing but the API is there.
    assert_eq!(Server::start(&["--demo-members", "5"]).get("/").status, 404);
}
