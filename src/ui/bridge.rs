//! The page's side of the worker protocol: spawns the engine's Web Worker, queues requests until
//! it is ready, turns its responses into state changes, and settles the Promises handed out by
//! the automation interface. Cancel terminates the worker, starts a fresh one and loads again
//! what was shown before.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::{File, MessageEvent, Worker};

use leptos::prelude::*;

use super::prefs;
use super::state::{AppState, ImportDraft};
use crate::engine::import::plan::TablePlan;
use crate::engine::members::MemberFilter;
use crate::engine::settings::Settings;
use crate::protocol::{Progress, Request, Response, Stage};

/// What to do with the previews of an `Inspect`.
#[derive(Clone)]
enum AfterInspect {
    /// Show the mapping screen.
    Screen,
    /// Use the proposed (or remembered) mapping and load at once (automation).
    Auto,
    /// Load with these plans (restoring the data after a cancel).
    Replay(String, Vec<TablePlan>),
}

/// What is loaded now, to load it again after a cancel.
#[derive(Clone)]
enum Shown {
    Demo,
    Files(Array, String, Vec<TablePlan>),
}

struct Bridge {
    worker: Worker,
    ready: bool,
    queue: Vec<JsValue>,
    /// (resolve, reject) of every pending `load` Promise.
    waiters: Vec<(Function, Function)>,
    /// (id, resolve) of every pending `member(id)` Promise, and whether the page asked.
    member_waiters: Vec<(String, Function)>,
    /// resolve of pending `benchmarkFit` Promises.
    bench_waiters: Vec<Function>,
    after_inspect: AfterInspect,
    /// The files of the last inspect, and what is shown.
    inspected: Option<Array>,
    shown: Option<Shown>,
    loading: Option<Shown>,
    // Kept alive as long as the worker: dropping them would silently drop every reply.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static BRIDGE: RefCell<Option<Bridge>> = const { RefCell::new(None) };
    /// The member id the page asked to show (not the automation interface).
    static PAGE_WANTS: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn with_bridge<R>(f: impl FnOnce(&mut Bridge) -> R) -> Option<R> {
    BRIDGE.with(|b| b.borrow_mut().as_mut().map(f))
}

/// Starts the worker. Called when the app mounts, and again after a cancel.
pub fn start(state: AppState) -> Result<(), JsValue> {
    let worker = Worker::new("./worker_loader.js")?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else { return };
        match serde_json::from_str::<Response>(&text) {
            Ok(response) => on_response(state, response),
            Err(e) => state.error.set(Some(format!("unreadable message from the worker: {e}"))),
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        let message = format!("the analysis engine stopped: {}", ev.message());
        state.progress.set(None);
        state.error.set(Some(message.clone()));
        settle(Err(message));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let previous = BRIDGE.with(|b| b.borrow_mut().take());
    let restart = previous.is_some();
    let (waiters, shown) = previous.map(|p| (p.waiters, p.shown)).unwrap_or_default();
    BRIDGE.with(|b| {
        *b.borrow_mut() = Some(Bridge {
            worker,
            ready: false,
            queue: Vec::new(),
            waiters,
            member_waiters: Vec::new(),
            bench_waiters: Vec::new(),
            after_inspect: AfterInspect::Screen,
            inspected: None,
            shown,
            loading: None,
            _on_message: on_message,
            _on_error: on_error,
        })
    });
    if restart {
        send_settings(&state.settings.get_untracked());
    }
    Ok(())
}

fn on_response(state: AppState, response: Response) {
    match response {
        Response::Ready => {
            with_bridge(|bridge| {
                bridge.ready = true;
                for msg in bridge.queue.drain(..) {
                    let _ = bridge.worker.post_message(&msg);
                }
            });
        }
        Response::Progress(p) => state.progress.set(Some(p)),
        Response::Inspected { mut previews } => {
            for p in previews.iter_mut() {
                prefs::apply_saved_mapping(p);
            }
            let after = with_bridge(|b| std::mem::replace(&mut b.after_inspect, AfterInspect::Screen));
            match after.unwrap_or(AfterInspect::Screen) {
                AfterInspect::Screen => {
                    state.progress.set(None);
                    state.import.set(Some(ImportDraft::new(previews)));
                }
                AfterInspect::Auto => {
                    let draft = ImportDraft::new(previews);
                    match draft.problems().into_iter().next() {
                        Some(problem) => fail(state, problem),
                        None => load_plans(state, draft.name(), draft.chosen_plans()),
                    }
                }
                AfterInspect::Replay(name, plans) => load_plans(state, name, plans),
            }
        }
        Response::Loaded(analysis) => {
            let outcome = load_outcome(&analysis);
            with_bridge(|b| b.shown = b.loading.take().or(b.shown.take()));
            state.analysis.set(Some(*analysis));
            state.progress.set(None);
            state.error.set(None);
            settle(Ok(outcome));
        }
        Response::Predictions(p) => state.analysis.update(|a| {
            if let Some(a) = a {
                a.predictions = *p;
            }
        }),
        Response::Members(page) => state.member_page.set(Some(page)),
        Response::BenchFit { customers, milliseconds, params } => {
            let value = serde_json::json!({ "customers": customers, "milliseconds": milliseconds, "params": params });
            let parsed = js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL);
            for resolve in with_bridge(|b| std::mem::take(&mut b.bench_waiters)).unwrap_or_default() {
                let _ = resolve.call1(&JsValue::NULL, &parsed);
            }
        }
        Response::Member { id, detail } => {
            let waiting: Vec<Function> = with_bridge(|b| {
                let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut b.member_waiters).into_iter().partition(|(i, _)| *i == id);
                b.member_waiters = rest;
                mine.into_iter().map(|(_, f)| f).collect()
            })
            .unwrap_or_default();
            let value = detail
                .as_ref()
                .and_then(|d| serde_json::to_string(d).ok())
                .and_then(|s| js_sys::JSON::parse(&s).ok())
                .unwrap_or(JsValue::NULL);
            for resolve in waiting {
                let _ = resolve.call1(&JsValue::NULL, &value);
            }
            if state.member_detail.with_untracked(|d| d.as_ref().is_some_and(|d| d.id == id)) || PAGE_WANTS.with(|w| w.borrow_mut().take()) == Some(id) {
                state.member_detail.set(detail.map(|d| *d));
            }
        }
        Response::Failed { message } => fail(state, message),
    }
}

fn fail(state: AppState, message: String) {
    with_bridge(|b| b.loading = None);
    state.progress.set(None);
    state.error.set(Some(message.clone()));
    settle(Err(message));
}

/// What `memberDashboard.load()` resolves with.
fn load_outcome(a: &crate::engine::analysis::Analysis) -> JsValue {
    let json = serde_json::json!({
        "ok": true,
        "dataset": a.dataset_name,
        "members": a.members,
        "transactions": a.transactions,
        "files": a.files,
        "engine_memory_bytes": a.engine_memory_bytes,
    });
    js_sys::JSON::parse(&json.to_string()).unwrap_or(JsValue::NULL)
}

fn settle(result: Result<JsValue, String>) {
    let waiters = with_bridge(|b| std::mem::take(&mut b.waiters)).unwrap_or_default();
    for (resolve, reject) in waiters {
        let _ = match &result {
            Ok(v) => resolve.call1(&JsValue::NULL, v),
            Err(e) => reject.call1(&JsValue::NULL, &js_sys::Error::new(e)),
        };
    }
}

fn send(request: &Request, files: Option<&Array>) {
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"request".into(), &request.to_json().into());
    if let Some(files) = files {
        let _ = js_sys::Reflect::set(&msg, &"files".into(), files);
    }
    with_bridge(|bridge| {
        if bridge.ready {
            let _ = bridge.worker.post_message(&msg);
        } else {
            bridge.queue.push(msg.into());
        }
    });
}

fn begin(state: AppState, stage: Stage) {
    state.error.set(None);
    state.progress.set(Some(Progress { stage, done: 0, total: 0 }));
}

/// Uses new thresholds: saved in the browser, sent to the worker, which recomputes what is
/// loaded. The Promise settles with the new figures.
pub fn set_settings(state: AppState, settings: Settings) -> Promise {
    let mut executor = |resolve: Function, reject: Function| {
        with_bridge(|b| b.waiters.push((resolve, reject)));
    };
    let promise = Promise::new(&mut executor);
    prefs::save_settings(&settings);
    state.settings.set(settings.clone());
    begin(state, Stage::Analysing);
    send(&Request::SetSettings { settings }, None);
    promise
}

/// Sends the saved thresholds (before the first load, so it uses them).
pub fn send_settings(settings: &Settings) {
    send(&Request::SetSettings { settings: settings.clone() }, None);
}

/// Asks for a page of the member list.
pub fn query_members(filter: MemberFilter, offset: u32, limit: u32) {
    send(&Request::Members { filter, offset, limit }, None);
}

/// Opens a member's detail panel.
pub fn show_member(id: String) {
    PAGE_WANTS.with(|w| *w.borrow_mut() = Some(id.clone()));
    send(&Request::Member { id }, None);
}

/// `memberDashboard.member(id)`: a Promise of the member's detail (`null` for an unknown id).
pub fn member(id: String) -> Promise {
    let mut executor = |resolve: Function, _reject: Function| {
        with_bridge(|b| b.member_waiters.push((id.clone(), resolve)));
    };
    let promise = Promise::new(&mut executor);
    send(&Request::Member { id }, None);
    promise
}

/// `memberDashboard.benchmarkFit(copies)`: times a BG/NBD fit in the worker on the loaded
/// buyers copied `copies` times.
pub fn benchmark_fit(copies: usize) -> Promise {
    let mut executor = |resolve: Function, _reject: Function| {
        with_bridge(|b| b.bench_waiters.push(resolve));
    };
    let promise = Promise::new(&mut executor);
    send(&Request::BenchFit { copies }, None);
    promise
}

/// Loads the built-in demo.
pub fn load_demo(state: AppState) {
    begin(state, Stage::Generating);
    with_bridge(|b| b.loading = Some(Shown::Demo));
    send(&Request::LoadDemo { members: crate::engine::demo::DemoSpec::default().members }, None);
}

fn inspect(state: AppState, files: Vec<File>, after: AfterInspect) {
    begin(state, Stage::Reading);
    let names = files.iter().map(|f| f.name()).collect();
    let array: Array = files.into_iter().collect();
    with_bridge(|b| {
        b.after_inspect = after;
        b.inspected = Some(array.clone());
    });
    send(&Request::Inspect { names }, Some(&array));
}

/// Files chosen on the Data page: preview them for the mapping screen.
pub fn inspect_for_mapping(state: AppState, files: Vec<File>) {
    if !files.is_empty() {
        state.import.set(None);
        inspect(state, files, AfterInspect::Screen);
    }
}

/// Reads the inspected files by the confirmed plans (and remembers their mappings).
pub fn load_plans(state: AppState, name: String, plans: Vec<TablePlan>) {
    for p in &plans {
        prefs::save_mapping(p);
    }
    state.import.set(None);
    begin(state, Stage::Reading);
    with_bridge(|b| b.loading = b.inspected.clone().map(|files| Shown::Files(files, name.clone(), plans.clone())));
    send(&Request::Load { name, plans }, None);
}

/// Loads files with the automatic (or remembered) mapping; the Promise settles when the worker
/// has analysed them, or rejects with the reason.
pub fn load_files(state: AppState, files: Vec<File>) -> Promise {
    let mut executor = |resolve: Function, reject: Function| {
        with_bridge(|b| b.waiters.push((resolve, reject)));
    };
    let promise = Promise::new(&mut executor);
    if files.is_empty() {
        settle(Err("no file was given".into()));
        return promise;
    }
    state.import.set(None);
    inspect(state, files, AfterInspect::Auto);
    promise
}

/// Stops the work in progress: the worker is replaced and what was shown before is loaded
/// again (a worker busy reading cannot be interrupted any other way).
pub fn cancel(state: AppState) {
    let (old, shown) = BRIDGE.with(|b| {
        let b = b.borrow();
        b.as_ref().map(|b| (b.worker.clone(), b.shown.clone())).unzip()
    });
    if let Some(w) = old {
        w.terminate();
    }
    settle(Err("cancelled".into()));
    state.progress.set(None);
    if let Err(e) = start(state) {
        state.error.set(Some(format!("the analysis engine could not start again: {e:?}")));
        return;
    }
    match shown.flatten() {
        Some(Shown::Files(files, name, plans)) => {
            with_bridge(|b| {
                b.after_inspect = AfterInspect::Replay(name, plans);
                b.inspected = Some(files.clone());
            });
            send(&Request::Inspect { names: Vec::new() }, Some(&files));
        }
        _ => load_demo(state),
    }
}
