//! Fetching members and transactions from an HTTP API, page by page (the contract is
//! `api/openapi.yaml`; what a page holds and where the next one is are the engine's
//! [`crate::engine::api`]). The records become one JSON file that goes through the same import,
//! validation and load report as a file the user chose.
//!
//! Tokens: a bearer token comes from the user (the Data page), from the host (`setToken`
//! message, the mount option `fetchToken`) or from `memberDashboard.loadApi({ fetchToken })`;
//! it lives in memory, travels only in the `Authorization` header, and is asked for again
//! once when the API answers 401. A failed load keeps the pages it got: Retry goes on from the
//! page that failed.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCredentials, RequestInit, RequestMode, Response};

use super::bridge;
use super::host::{emit, HostEvent};
use super::state::AppState;
use crate::embed::Credentials;
use crate::engine::api::{read_page, ApiFailure, ApiPage, Endpoint, NextPage, Pager, DEFAULT_PAGE_SIZE, MAX_PAGES};
use crate::protocol::{Progress, Stage};
use crate::requests::PageFailure;

/// Where and how to load.
#[derive(Clone, Debug)]
pub struct ApiSource {
    /// The API's base address; `<base>/members` and `<base>/transactions` are read.
    pub base: String,
    pub credentials: Credentials,
    pub page_size: u32,
    pub timeout_ms: u32,
    /// Whether to read `<base>/members` too (transactions are always read).
    pub members: bool,
}

impl ApiSource {
    pub fn new(base: String, credentials: Credentials) -> Self {
        ApiSource { base, credentials, page_size: DEFAULT_PAGE_SIZE, timeout_ms: 30_000, members: true }
    }
}

/// How long to wait for the host to hand in a token.
const TOKEN_WAIT_MS: i32 = 10_000;

/// One endpoint's pages so far.
struct Pages {
    endpoint: Endpoint,
    texts: Vec<String>,
    pager: Pager,
    /// The addresses read, to catch a `next` that leads back to one of them.
    read: std::collections::HashSet<String>,
    /// The address to fetch next; `None` when done.
    next: Option<String>,
}

/// A load from an API, from its first page to the file handed to the engine.
struct Job {
    source: ApiSource,
    lists: Vec<Pages>,
    /// The Promise of `loadApi()`, settled when the data set is loaded (or the load fails).
    promise: Option<bridge::Settle>,
}

#[derive(Default)]
struct Loader {
    token: Option<String>,
    /// Resolvers of those waiting for a token from the host.
    token_waiters: Vec<Function>,
    /// A script's `fetchToken` (from `loadApi`), asked when a token is needed.
    fetch_token: Option<Function>,
    /// The fetch in flight, to abort on Cancel.
    abort: Option<AbortController>,
    /// Counts loads, so an aborted one stops quietly.
    generation: u32,
    /// A load that failed, kept for Retry.
    stalled: Option<Job>,
    /// Addresses this page's Content-Security-Policy refused (to tell that from CORS).
    blocked: Vec<String>,
    watching_policy: bool,
}

thread_local! {
    static LOADER: RefCell<Loader> = RefCell::new(Loader::default());
}

fn with_loader<R>(f: impl FnOnce(&mut Loader) -> R) -> R {
    LOADER.with(|l| f(&mut l.borrow_mut()))
}

/// A token from the host or the user, for the load waiting for one and the ones after.
pub fn supply_token(token: String) {
    let token = token.trim().to_string();
    let waiters = with_loader(|l| {
        l.token = (!token.is_empty()).then(|| token.clone());
        std::mem::take(&mut l.token_waiters)
    });
    for w in waiters {
        let _ = w.call1(&JsValue::NULL, &JsValue::from_str(&token));
    }
}

/// A script's token callback (`memberDashboard.loadApi({ fetchToken })`).
pub fn set_fetch_token(f: Option<Function>) {
    with_loader(|l| l.fetch_token = f);
}

/// Stops the fetching in progress (Cancel); true if there was one.
pub fn abort() -> bool {
    let Some(controller) = with_loader(|l| {
        l.generation = l.generation.wrapping_add(1);
        l.abort.take()
    }) else {
        return false;
    };
    controller.abort();
    true
}

/// Whether a failed load can be tried again from where it stopped.
pub fn can_retry() -> bool {
    with_loader(|l| l.stalled.is_some())
}

/// Loads from `source`: a Promise of the load's outcome (as `memberDashboard.load()`'s), or
/// rejected with the reason.
pub fn load(state: AppState, source: ApiSource) -> Promise {
    let (promise, settle) = bridge::new_promise();
    let base = source.base.trim().trim_end_matches('/').to_string();
    if !(base.starts_with("http://") || base.starts_with("https://") || base.starts_with('/')) {
        fail(state, Job { source, lists: Vec::new(), promise: settle }, ApiFailure::BadAddress { address: base });
        return promise;
    }
    let size = source.page_size;
    let lists = Endpoint::ALL
        .into_iter()
        .filter(|e| *e == Endpoint::Transactions || source.members)
        .map(|endpoint| Pages {
            endpoint,
            texts: Vec::new(),
            read: Default::default(),
            pager: Pager::new(size),
            next: Some(format!("{base}/{}?page=1&size={}", endpoint.key(), Pager::new(size).size)),
        })
        .collect();
    start(state, Job { source, lists, promise: settle });
    promise
}

/// Goes on with the load that failed, from the page that failed.
pub fn retry(state: AppState) {
    if let Some(job) = with_loader(|l| l.stalled.take()) {
        start(state, job);
    }
}

fn start(state: AppState, job: Job) {
    watch_policy();
    state.error.set(None);
    state.import.set(None);
    let generation = with_loader(|l| {
        l.generation = l.generation.wrapping_add(1);
        l.stalled = None;
        l.generation
    });
    show_progress(state, &job);
    bridge::hold_idle();
    wasm_bindgen_futures::spawn_local(async move {
        let mut job = job;
        let outcome = fetch_all(state, &mut job, generation).await;
        // Released after the file is handed to the engine, whose book then waits for it.
        let _release = Release;
        let current = with_loader(|l| l.generation == generation);
        with_loader(|l| {
            if current {
                l.abort = None;
            }
        });
        match outcome {
            // Cancelled: say nothing more (the page already stopped the progress bar).
            _ if !current => bridge::reject(job.promise.take(), "cancelled"),
            Ok(()) => hand_to_engine(state, job),
            Err(failure) => fail(state, job, failure),
        }
    });
}

/// Lets `whenIdle()` go on when the fetching is over, however it ends.
struct Release;

impl Drop for Release {
    fn drop(&mut self) {
        bridge::release_idle();
    }
}

fn show_progress(state: AppState, job: &Job) {
    let done: u64 = job.lists.iter().map(|p| p.pager.records).sum();
    state.progress.set(Some(Progress { stage: Stage::Fetching, done, total: 0 }));
}

async fn fetch_all(state: AppState, job: &mut Job, generation: u32) -> Result<(), ApiFailure> {
    if job.source.credentials == Credentials::Token && with_loader(|l| l.token.is_none()) && host_can_give_token() {
        ask_for_token().await;
    }
    for i in 0..job.lists.len() {
        while let Some(url) = job.lists[i].next.clone() {
            if with_loader(|l| l.generation != generation) {
                return Ok(());
            }
            let endpoint = job.lists[i].endpoint;
            let number = job.lists[i].pager.pages.saturating_add(1);
            if number > MAX_PAGES {
                return Err(ApiFailure::TooManyPages { endpoint });
            }
            let (page, link, url) = fetch_page(&job.source, &url, endpoint, number).await?;
            let list = &mut job.lists[i];
            list.read.insert(url.clone());
            list.next = match list.pager.after(&page, link) {
                NextPage::Url(next) => Some(resolve(&next, &url)),
                NextPage::Number(n) => Some(with_page_number(&url, n, list.pager.size)),
                NextPage::Done => None,
            };
            if let Some(next) = list.next.as_ref().filter(|n| list.read.contains(*n)) {
                return Err(ApiFailure::PagingLoops { url: next.clone(), endpoint });
            }
            list.texts.push(page.records_json);
            show_progress(state, job);
        }
    }
    Ok(())
}

/// Whether anyone can hand in a token when asked: a host (an allowed origin) or a script's
/// `fetchToken`.
fn host_can_give_token() -> bool {
    !super::host::options().origins.is_empty() || with_loader(|l| l.fetch_token.is_some())
}

/// Asks the host (and a script's `fetchToken`) for a token and waits for it, at most
/// [`TOKEN_WAIT_MS`]; true if one came.
async fn ask_for_token() -> bool {
    let before = with_loader(|l| l.token.take());
    let waiting = Promise::new(&mut |resolve, _| with_loader(|l| l.token_waiters.push(resolve)));
    emit(HostEvent::TokenRequested);
    if let Some(f) = with_loader(|l| l.fetch_token.clone()) {
        match f.call0(&JsValue::NULL) {
            Ok(v) => {
                let given = Promise::resolve(&v);
                let ok = Closure::once(|t: JsValue| supply_token(t.as_string().unwrap_or_default()));
                let _ = given.then(&ok);
                ok.forget();
            }
            Err(_) => supply_token(String::new()),
        }
    }
    let _ = JsFuture::from(Promise::race(&Array::of2(&waiting, &sleep(TOKEN_WAIT_MS)))).await;
    let got = with_loader(|l| {
        l.token_waiters.clear();
        l.token.clone()
    });
    got.is_some_and(|t| Some(t) != before)
}

fn sleep(ms: i32) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    })
}

/// Fetches and reads one page: the page, the `Link` header's next, and the address it came
/// from (after redirects).
async fn fetch_page(source: &ApiSource, url: &str, endpoint: Endpoint, number: u32) -> Result<(ApiPage, Option<String>, String), ApiFailure> {
    let mut refreshed = false;
    loop {
        let response = fetch_once(source, url).await?;
        let status = response.status();
        if status == 401 && !refreshed && source.credentials == Credentials::Token && host_can_give_token() {
            refreshed = true;
            if ask_for_token().await {
                continue;
            }
        }
        if !(200..=299).contains(&status) {
            let url = url.to_string();
            let signed_in = with_loader(|l| l.token.is_some()) || source.credentials == Credentials::Cookie;
            return Err(match status {
                401 if !signed_in => ApiFailure::NeedsSignIn { url },
                401 => ApiFailure::Unauthorized { url },
                403 => ApiFailure::Forbidden { url, detail: server_words(&response).await },
                404 => ApiFailure::NotFound { url },
                other => ApiFailure::Status { url, status: other, detail: server_words(&response).await },
            });
        }
        let link = response.headers().get("link").ok().flatten().and_then(|h| crate::engine::api::next_link(&h));
        let from = Some(response.url()).filter(|u| !u.is_empty()).unwrap_or_else(|| url.to_string());
        let body = match response.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
            Err(_) => None,
        };
        let Some(body) = body else { return Err(ApiFailure::Unreachable { url: url.to_string() }) };
        let page = read_page(&body, endpoint).map_err(|problem| ApiFailure::Malformed { url: url.to_string(), endpoint, page: number, problem })?;
        return Ok((page, link, from));
    }
}

/// What a server said about a failure: the `error` (or `message`) of a JSON body, or a short
/// plain-text body; never HTML, at most 200 characters.
async fn server_words(response: &Response) -> Option<String> {
    let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
    let words = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => ["error", "message", "detail"].iter().find_map(|k| v.get(*k).and_then(|e| e.as_str().map(str::to_string)))?,
        Err(_) if !text.trim_start().starts_with('<') => text.trim().to_string(),
        Err(_) => return None,
    };
    let words: String = words.chars().filter(|c| !c.is_control()).take(200).collect();
    (!words.is_empty()).then_some(words)
}

/// One request, with the token, the cookie policy and the time limit; a refusal is told apart
/// (this page's policy, CORS, no answer, too slow).
async fn fetch_once(source: &ApiSource, url: &str) -> Result<Response, ApiFailure> {
    let unreachable = || ApiFailure::Unreachable { url: url.to_string() };
    let window = web_sys::window().ok_or_else(unreachable)?;
    let controller = AbortController::new().map_err(|_| unreachable())?;
    with_loader(|l| l.abort = Some(controller.clone()));
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::Cors);
    init.set_signal(Some(&controller.signal()));
    init.set_credentials(match source.credentials {
        Credentials::Cookie => RequestCredentials::Include,
        Credentials::Token => RequestCredentials::SameOrigin,
    });
    let headers = web_sys::Headers::new().map_err(|_| unreachable())?;
    let _ = headers.set("Accept", "application/json");
    if let Some(token) = with_loader(|l| l.token.clone()) {
        let _ = headers.set("Authorization", &format!("Bearer {token}"));
    }
    init.set_headers(&headers);
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let on_time_out = {
        let (timed_out, controller) = (timed_out.clone(), controller.clone());
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(on_time_out.as_ref().unchecked_ref(), source.timeout_ms.min(i32::MAX as u32) as i32)
        .ok();
    let answer = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    if let Some(t) = timer {
        window.clear_timeout_with_handle(t);
    }
    drop(on_time_out);
    match answer {
        Ok(r) => r.dyn_into::<Response>().map_err(|_| unreachable()),
        Err(_) if timed_out.get() => Err(ApiFailure::Timeout { url: url.to_string(), seconds: source.timeout_ms.div_ceil(1000) }),
        Err(_) => Err(refusal(url).await),
    }
}

/// Why a fetch got no readable answer: the server answers a request that does not ask to read
/// it (`no-cors`), so it refused this origin (CORS); or this page's policy refused the address;
/// or nothing answers.
async fn refusal(url: &str) -> ApiFailure {
    let absolute = resolve(url, &page_address());
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let same_origin = web_sys::Url::new(&absolute).map(|u| u.origin() == origin).unwrap_or(true);
    if !same_origin {
        let init = RequestInit::new();
        init.set_mode(RequestMode::NoCors);
        init.set_cache(web_sys::RequestCache::NoStore);
        init.set_credentials(RequestCredentials::Omit);
        if let Some(w) = web_sys::window() {
            if JsFuture::from(w.fetch_with_str_and_init(&absolute, &init)).await.is_ok() {
                return ApiFailure::Cors { url: url.to_string(), origin };
            }
        }
    }
    // The policy's violation event comes after the refused fetch has failed: give it a moment.
    let _ = JsFuture::from(sleep(50)).await;
    if with_loader(|l| l.blocked.iter().any(|b| absolute.starts_with(b.as_str()) || b.starts_with(&absolute))) {
        return ApiFailure::BlockedByPolicy { url: url.to_string() };
    }
    ApiFailure::Unreachable { url: url.to_string() }
}

/// Notes the addresses this page's Content-Security-Policy refuses (once per page).
fn watch_policy() {
    if with_loader(|l| std::mem::replace(&mut l.watching_policy, true)) {
        return;
    }
    let on_violation = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let blocked = js_sys::Reflect::get(&ev, &"blockedURI".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        if !blocked.is_empty() {
            with_loader(|l| l.blocked.push(blocked));
        }
    });
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        let _ = d.add_event_listener_with_callback("securitypolicyviolation", on_violation.as_ref().unchecked_ref());
    }
    on_violation.forget();
}

fn page_address() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// `next` resolved against the address of the page that named it.
fn resolve(next: &str, against: &str) -> String {
    let base = web_sys::Url::new(against).map(|u| u.href()).unwrap_or_else(|_| resolve_base(against));
    web_sys::Url::new_with_base(next, &base).map(|u| u.href()).unwrap_or_else(|_| next.to_string())
}

/// A relative address (`/api/…`) made absolute against this page.
fn resolve_base(address: &str) -> String {
    web_sys::Url::new_with_base(address, &page_address()).map(|u| u.href()).unwrap_or_else(|_| address.to_string())
}

/// The same address asking for page `n` of `size`.
fn with_page_number(url: &str, n: u32, size: u32) -> String {
    match web_sys::Url::new(&resolve(url, &page_address())) {
        Ok(u) => {
            u.search_params().set("page", &n.to_string());
            u.search_params().set("size", &size.to_string());
            u.href()
        }
        Err(_) => url.to_string(),
    }
}

/// The pages become one JSON file for the engine, loaded as a file the user chose.
fn hand_to_engine(state: AppState, mut job: Job) {
    let members = job.lists.iter().find(|p| p.endpoint == Endpoint::Members).map(|p| p.texts.as_slice());
    let empty: Vec<String> = Vec::new();
    let transactions = job.lists.iter().find(|p| p.endpoint == Endpoint::Transactions).map_or(empty.as_slice(), |p| p.texts.as_slice());
    let parts: Array = crate::engine::api::file_parts(members, transactions).into_iter().map(JsValue::from_str).collect();
    let host = web_sys::Url::new(&resolve_base(&job.source.base)).map(|u| u.host()).unwrap_or_default();
    let options = web_sys::FilePropertyBag::new();
    options.set_type("application/json");
    let file = match web_sys::File::new_with_str_sequence_and_options(&parts, &format!("API {host}"), &options) {
        Ok(f) => f,
        Err(_) => {
            let url = job.source.base.clone();
            return fail(state, job, ApiFailure::Unreachable { url });
        }
    };
    drop(parts);
    let promise = job.promise.take();
    let loaded = bridge::load_files(state, vec![file]);
    let Some((resolve, reject)) = promise else { return };
    let ok = Closure::once(move |v: JsValue| drop(resolve.call1(&JsValue::NULL, &v)));
    let failed = Closure::once(move |e: JsValue| drop(reject.call1(&JsValue::NULL, &e)));
    let _ = loaded.then2(&ok, &failed);
    ok.forget();
    failed.forget();
}

/// Shows the failure with Retry, tells the host, and rejects the Promise.
fn fail(state: AppState, mut job: Job, failure: ApiFailure) {
    let failure = PageFailure::Api(failure);
    let message = bridge::failure_words(&failure);
    bridge::reject(job.promise.take(), &message);
    emit(HostEvent::LoadFailed { message });
    state.progress.set(None);
    state.error.set(Some(failure));
    if !job.lists.is_empty() {
        with_loader(|l| l.stalled = Some(job));
    }
}
