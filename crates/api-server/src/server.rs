//! The HTTP side: `GET /api/members` and `GET /api/transactions` paged by cursor or by page,
//! the token or cookie check, CORS for the allowed origins, the faults tests ask for, and the
//! built app at `/` with `--dist`.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::middleware::{self, Next};
use axum::routing::any;
use axum::Router;
use serde_json::Value;

use crate::dist;
use crate::options::{Breakage, List, Options, Paging};
use crate::paging::{encode_cursor, window, Window};
use crate::source::Served;

/// Everything a request reads, and the little state faults and token expiry keep.
pub struct App {
    pub options: Options,
    pub served: Served,
    /// Requests accepted per token (for `--token-max-uses`).
    token_uses: Mutex<HashMap<String, u64>>,
    /// `--fail …:once` faults already given.
    failed_once: Mutex<HashSet<(List, u64)>>,
}

impl App {
    pub fn new(options: Options, served: Served) -> Self {
        App { options, served, token_uses: Mutex::new(HashMap::new()), failed_once: Mutex::new(HashSet::new()) }
    }
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/api", any(api))
        .route("/api/", any(api))
        .route("/api/{*rest}", any(api))
        .fallback(app_file)
        .layer(middleware::from_fn(log_request))
        .with_state(app)
}

/// Binds, prints `listening on http://HOST:PORT` (tests read the port from it) and serves
/// until Ctrl-C or SIGTERM.
pub async fn run(options: Options, served: Served) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.host, options.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut out = std::io::stdout();
    // The line is the contract with scripts and tests; a closed stdout is not fatal.
    let _ = writeln!(out, "listening on http://{addr}");
    let _ = out.flush();
    axum::serve(listener, router(Arc::new(App::new(options, served))))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// One line per request on stderr: method, path, the paging parameters only (nothing else of
/// the query), how it authenticated (never the token or cookie value), status and time.
async fn log_request(req: Request, next: Next) -> Response<Body> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = paging_params(req.uri().query());
    let auth = if req.headers().contains_key(header::AUTHORIZATION) {
        "bearer"
    } else if req.headers().contains_key(header::COOKIE) {
        "cookie"
    } else {
        "none"
    };
    let origin = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()).map(|o| format!(" origin={o}")).unwrap_or_default();
    let response = next.run(req).await;
    eprintln!("{method} {path}{query} -> {} ({} ms, auth {auth}{origin})", response.status().as_u16(), started.elapsed().as_millis());
    response
}

/// `?page=2&size=500` / `?cursor=…&size=…` as asked, leaving out every other parameter.
fn paging_params(query: Option<&str>) -> String {
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or("")) else { return "?…".into() };
    let kept: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "page" | "size" | "cursor"))
        .map(|(k, v)| format!("{k}={}", v.chars().take(40).collect::<String>()))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

/// Answers everything under `/api`.
async fn api(State(app): State<Arc<App>>, req: Request) -> Response<Body> {
    let origin = allowed_origin(&app.options, req.headers());
    if !app.options.allow_origins.is_empty() && origin.is_none() && req.headers().contains_key(header::ORIGIN) {
        eprintln!("note: a request from an origin not allowed (--allow-origin) gets no CORS headers");
    }
    let method = req.method().clone();
    if method == Method::OPTIONS {
        return preflight(origin, !app.options.allow_origins.is_empty());
    }
    let list = req.uri().path().strip_prefix("/api/").and_then(List::from_key);
    let mut response = match list {
        None => error(StatusCode::NOT_FOUND, "no such list: the API serves /api/members and /api/transactions"),
        Some(_) if method != Method::GET && method != Method::HEAD => {
            let mut r = error(StatusCode::METHOD_NOT_ALLOWED, "only GET is served");
            r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, OPTIONS"));
            r
        }
        Some(list) => {
            if app.options.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(app.options.delay_ms)).await;
            }
            answer(&app, list, req.headers(), req.uri().query())
        }
    };
    add_cors(&mut response, origin, !app.options.allow_origins.is_empty());
    response
}

/// The records asked for, once the request has authenticated and its query reads.
fn answer(app: &App, list: List, headers: &HeaderMap, query: Option<&str>) -> Response<Body> {
    if let Err(refusal) = authenticate(app, headers) {
        return unauthorized(refusal);
    }
    let w = match window(query, app.options.page_size, list) {
        Ok(w) => w,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let page = w.page();
    if let Some(status) = failure(app, list, page) {
        return error(status, &format!("{} page {page} fails on purpose (--fail)", list.key()));
    }
    let records = app.served.list(list);
    let mut items: Vec<&str> = records.get(w.range(records.len())).unwrap_or(&[]).iter().map(String::as_str).collect();
    let breakage = app.options.malformed.iter().find(|m| m.list == list && m.page == page).map(|m| m.how);
    match breakage {
        Some(Breakage::Html) => return sign_in_page(),
        Some(Breakage::Record) => {
            if let Some(i) = items.len().checked_sub(1).map(|last| last.min(2)) {
                items[i] = "\"malformed record\"";
            }
        }
        _ => {}
    }
    let next = next_url(app, list, w, records.len(), headers);
    let mut body = page_body(app.options.paging, &items, app.options.next.in_body().then_some(next.as_deref()), w, page, records.len());
    if breakage == Some(Breakage::Json) {
        cut_in_half(&mut body);
    }
    let mut r = json_response(StatusCode::OK, body);
    if let Some(url) = next.filter(|_| app.options.next.in_link() && app.options.paging == Paging::Cursor) {
        if let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
            r.headers_mut().insert(header::LINK, v);
        }
    }
    r
}

/// The address of the page after `w`, in the cursor style, when there is one.
fn next_url(app: &App, list: List, w: Window, len: usize, headers: &HeaderMap) -> Option<String> {
    if app.options.paging != Paging::Cursor {
        return None;
    }
    let end = w.range(len).end;
    if end >= len {
        return None;
    }
    let relative = format!("/api/{}?cursor={}&size={}", list.key(), encode_cursor(list, end), w.size);
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| is_plain_host(h));
    match host {
        Some(h) if app.options.next_absolute => Some(format!("http://{h}{relative}")),
        _ => Some(relative),
    }
}

/// A Host header that is only a name or address and a port (nothing to inject into a URL).
fn is_plain_host(h: &str) -> bool {
    !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}

/// The page's JSON in the paging style: `{data,next}`, `{data,page,size,total}` or `[…]`.
/// `next` is `None` when the body does not carry it (`--next link`).
fn page_body(paging: Paging, items: &[&str], next: Option<Option<&str>>, w: Window, page: u64, total: usize) -> String {
    let data = format!("[{}]", items.join(","));
    match paging {
        Paging::Array => data,
        Paging::Page => format!("{{\"data\":{data},\"page\":{page},\"size\":{},\"total\":{total}}}", w.size),
        Paging::Cursor => match next {
            Some(n) => format!("{{\"data\":{data},\"next\":{}}}", n.map_or(Value::Null, |u| Value::String(u.into()))),
            None => format!("{{\"data\":{data}}}"),
        },
    }
}

/// The first half of a body: JSON cut off in the middle (an object never closes in its half).
fn cut_in_half(body: &mut String) {
    let mut at = body.len() / 2;
    while !body.is_char_boundary(at) {
        at -= 1;
    }
    body.truncate(at);
}

fn sign_in_page() -> Response<Body> {
    let mut r = Response::new(Body::from("<!doctype html><html><body><h1>Please sign in</h1></body></html>\n"));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

/// The status a `--fail` gives this page, if any (`once`: only the first time).
fn failure(app: &App, list: List, page: u64) -> Option<StatusCode> {
    let f = app.options.fails.iter().find(|f| f.list == list && f.page == page)?;
    if f.once {
        let mut done = app.failed_once.lock().unwrap_or_else(|e| e.into_inner());
        if !done.insert((list, page)) {
            return None;
        }
    }
    StatusCode::from_u16(f.status).ok()
}

/// How a request proved who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    Open,
    Bearer,
    Cookie,
}

/// Why a request was not let in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Neither a token nor the cookie.
    Missing,
    /// A token the server does not know.
    Invalid,
    /// A known token past `--token-max-uses`.
    Expired,
}

/// Checks the bearer token or the cookie.
fn authenticate(app: &App, headers: &HeaderMap) -> Result<Auth, Refusal> {
    let o = &app.options;
    if !o.needs_auth() {
        return Ok(Auth::Open);
    }
    let bearer = bearer_token(headers);
    let mut expired = false;
    if let Some(token) = bearer {
        if let Some(known) = o.tokens.iter().find(|t| same_secret(t, token)) {
            if token_still_valid(app, known) {
                return Ok(Auth::Bearer);
            }
            expired = true;
        }
    }
    // A stale token beside the portal's valid cookie: the cookie lets the request in.
    if cookie_matches(o, headers) {
        return Ok(Auth::Cookie);
    }
    Err(match bearer {
        Some(_) if expired => Refusal::Expired,
        Some(_) => Refusal::Invalid,
        None => Refusal::Missing,
    })
}

/// Counts a use of `token` and says whether it is within `--token-max-uses`.
fn token_still_valid(app: &App, token: &str) -> bool {
    let Some(max) = app.options.token_max_uses else { return true };
    let mut uses = app.token_uses.lock().unwrap_or_else(|e| e.into_inner());
    let n = uses.entry(token.to_string()).or_insert(0);
    if *n >= max {
        return false;
    }
    *n += 1;
    true
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn cookie_matches(o: &Options, headers: &HeaderMap) -> bool {
    let Some(c) = &o.cookie else { return false };
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == c.name && same_secret(&c.value, value))
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The 401 for a refusal, with the challenge RFC 6750 asks for.
fn unauthorized(refusal: Refusal) -> Response<Body> {
    let (message, challenge) = match refusal {
        Refusal::Missing => ("authentication required: send Authorization: Bearer <token>", "Bearer realm=\"member-api\""),
        Refusal::Invalid => ("the token is not valid", "Bearer realm=\"member-api\", error=\"invalid_token\""),
        Refusal::Expired => ("the token has expired", "Bearer realm=\"member-api\", error=\"invalid_token\", error_description=\"expired\""),
    };
    let mut r = error(StatusCode::UNAUTHORIZED, message);
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    r
}

/// The request's Origin when it is on the allow-list.
fn allowed_origin(o: &Options, headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    o.allow_origins.iter().any(|a| a == text).then(|| origin.clone())
}

/// CORS headers on an API answer (errors included, so the page can read a 401 as a 401).
fn add_cors(r: &mut Response<Body>, origin: Option<HeaderValue>, cors_on: bool) {
    let h = r.headers_mut();
    if cors_on {
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    if let Some(o) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("Link, WWW-Authenticate"));
    }
}

/// The answer to a CORS preflight: permission for an allowed origin, nothing for another
/// (the browser then refuses the request). Never asks for authentication: browsers send none.
fn preflight(origin: Option<HeaderValue>, cors_on: bool) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::NO_CONTENT;
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, OPTIONS"));
    let allowed = origin.is_some();
    add_cors(&mut r, origin, cors_on);
    if allowed {
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("Authorization, Content-Type"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        h.insert(header::VARY, HeaderValue::from_static("Origin, Access-Control-Request-Method, Access-Control-Request-Headers"));
    }
    r
}

fn json_response(status: StatusCode, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    // Member data: never kept by a shared cache.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// `{"error": message}` with `status`.
fn error(status: StatusCode, message: &str) -> Response<Body> {
    json_response(status, serde_json::json!({ "error": message }).to_string())
}

/// Everything outside `/api`: the app's files with `--dist`, else 404.
async fn app_file(State(app): State<Arc<App>>, req: Request) -> Response<Body> {
    match &app.options.dist {
        Some(dir) if req.method() == Method::GET || req.method() == Method::HEAD => {
            dist::serve(dir, req.uri().path(), app.options.frame_ancestors.as_deref()).await
        }
        _ => dist::not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_each_style() {
        let w = Window { offset: 2, size: 2 };
        assert_eq!(page_body(Paging::Cursor, &["{}", "{}"], Some(Some("/n")), w, 2, 5), r#"{"data":[{},{}],"next":"/n"}"#);
        assert_eq!(page_body(Paging::Cursor, &[], Some(None), w, 2, 5), r#"{"data":[],"next":null}"#);
        assert_eq!(page_body(Paging::Cursor, &["{}"], None, w, 2, 5), r#"{"data":[{}]}"#);
        assert_eq!(page_body(Paging::Page, &["{}"], None, w, 2, 5), r#"{"data":[{}],"page":2,"size":2,"total":5}"#);
        assert_eq!(page_body(Paging::Array, &["{}"], None, w, 2, 5), "[{}]");
        let mut b = r#"{"data":[{"name":"王静"}]}"#.to_string();
        cut_in_half(&mut b);
        assert!(serde_json::from_str::<Value>(&b).is_err());
    }

    #[test]
    fn secrets_and_headers() {
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "abcd"));
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer  tok "));
        assert_eq!(bearer_token(&h), Some("tok"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dTpw"));
        assert_eq!(bearer_token(&h), None);
        assert!(is_plain_host("127.0.0.1:8090") && !is_plain_host("evil.example/x?") && !is_plain_host(""));
        assert_eq!(paging_params(Some("size=5&token=secret&page=2")), "?size=5&page=2");
    }
}
