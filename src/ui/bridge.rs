//! The page's side of the worker protocol: spawns the engine's Web Worker, sends requests with
//! ids (the book of requests is the plain type [`crate::requests::Requests`]), turns each reply
//! into state changes for the request it answers, and settles the Promises handed out by the
//! automation interface.
//!
//! When the worker stops — a crash, or Cancel, which terminates it (a worker busy reading cannot
//! be interrupted any other way) — every pending request is settled, a fresh worker starts with
//! the settings last accepted, and the last data set loaded in full is brought back (the demo
//! instead if bringing it back crashes too; never in a loop).

use std::cell::RefCell;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::{File, MessageEvent, Worker};

use leptos::prelude::*;

use super::failures::script_text;
use super::host::{emit, HostEvent};
use super::labels::I18n;
use super::prefs;
use super::state::{AppState, ImportDraft};
use crate::engine::import::plan::TablePlan;
use crate::engine::export::{ExportFormat, ExportSpec};
use crate::engine::members::{MemberFilter, Sort};
use crate::engine::settings::Settings;
use crate::protocol::{Envelope, Failure, Progress, Reply, Request, RequestId, Response, Stage};
use crate::requests::{restore_steps, New, PageFailure, Pending, Requests, Restore, RestoreStep};

/// What the page does with the replies to a request.
enum Purpose {
    /// Show the previews on the mapping screen.
    Mapping,
    /// Load the previews at once with the proposed (or remembered) mapping (automation).
    AutoLoad,
    /// Load the previews with these plans (bringing a data set back).
    Replay { name: String, plans: Vec<TablePlan> },
    /// Show the figures of a load or of the demo.
    Figures,
    /// New settings: show the recomputed figures; once the engine has accepted them in full,
    /// keep them (and save them in the browser if `save`).
    Settings { settings: Settings, save: bool },
    /// A page of the Members page's list.
    MemberPage,
    /// A page for `memberDashboard.members(...)`.
    Members,
    /// The work lists' counts (the page shows them; a Promise may wait for them).
    WorkLists,
    /// A list as a file: saved as a download, or handed to a Promise as a `Blob`.
    Export { download: bool },
    /// A member for the detail panel (the page asked).
    ShowMember,
    /// A member for `memberDashboard.member(id)`.
    Member,
    Bench,
    /// Stop the worker (a test of the recovery).
    Crash,
}

/// (resolve, reject) of a Promise handed out.
pub(super) type Settle = (Function, Function);

struct Ticket {
    purpose: Purpose,
    promise: Option<Settle>,
    /// The settings the figures sent for this request were computed with.
    computed_with: Option<Settings>,
}

impl Ticket {
    fn new(purpose: Purpose, promise: Option<Settle>) -> Self {
        Ticket { purpose, promise, computed_with: None }
    }
}

type Book = Requests<Ticket, Array>;
type Done = Pending<Ticket, Array>;

struct Bridge {
    state: AppState,
    /// The page's language, for the words of a failure.
    i18n: I18n,
    /// `None` when the engine could not start: the next request tries again.
    worker: Option<Worker>,
    /// Which worker is current; messages of an earlier one are ignored.
    generation: u32,
    book: Book,
    /// The files shown on the mapping screen, for the load that follows.
    mapping_files: Option<Array>,
    /// The settings the engine accepted last: what a new worker starts with.
    accepted: Settings,
    // Kept alive as long as the worker: dropping them would silently drop every reply.
    handlers: Option<Handlers>,
    /// The handlers of the worker before, kept until the next restart: a crash is reported from
    /// inside its handler, which must not be freed while it runs.
    retired: Option<Handlers>,
    /// `whenIdle()` Promises, settled when nothing is left to wait for.
    idle_waiters: Vec<Settle>,
    /// Work outside the book that `whenIdle()` waits for too (pages arriving from an API, a
    /// kept data set being read from storage).
    held: u32,
}

struct Handlers {
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static BRIDGE: RefCell<Option<Bridge>> = const { RefCell::new(None) };
}

// Never set a signal or call into JS that could call back while the bridge is borrowed: take
// what is needed out, then act.
fn with_bridge<R>(f: impl FnOnce(&mut Bridge) -> R) -> Option<R> {
    BRIDGE.with(|b| b.borrow_mut().as_mut().map(f))
}

/// Starts the bridge and its worker, when the app mounts, with the settings in `state` (read
/// from the browser and checked by [`prefs::saved_settings`]).
pub fn start(state: AppState) -> Result<(), JsValue> {
    let i18n = crate::i18n::use_i18n();
    state.notice.set(prefs::take_settings_notes());
    BRIDGE.with(|b| {
        *b.borrow_mut() = Some(Bridge {
            state,
            i18n,
            worker: None,
            generation: 0,
            book: Book::new(),
            mapping_files: None,
            accepted: state.settings.get_untracked(),
            handlers: None,
            retired: None,
            idle_waiters: Vec::new(),
            held: 0,
        })
    });
    spawn(state)
}

/// A new worker (the first, or after a stop).
fn spawn(state: AppState) -> Result<(), JsValue> {
    let generation = with_bridge(|b| b.generation + 1).unwrap_or(1);
    let worker = Worker::new("./worker_loader.js")?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if current(generation) {
            if let Some(text) = ev.data().as_string() {
                on_message(state, &text);
            }
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        // Handled here: the page recovers, so it is not an uncaught error of the page.
        ev.prevent_default();
        if current(generation) {
            stop(state, Some(ev.message()));
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    with_bridge(|b| {
        b.generation = generation;
        b.worker = Some(worker);
        b.retired = b.handlers.take();
        b.handlers = Some(Handlers { _on_message: on_message, _on_error: on_error });
    });
    Ok(())
}

fn page_state() -> Option<AppState> {
    with_bridge(|b| b.state)
}

fn current(generation: u32) -> bool {
    with_bridge(|b| b.generation == generation).unwrap_or(false)
}

/// What a Promise rejects with for `f`, in the page's language now.
fn words(f: &PageFailure) -> String {
    with_bridge(|b| b.i18n).map(|i18n| script_text(i18n, f)).unwrap_or_default()
}

/// What a Promise rejects with for `f` (for the page's other loaders).
pub(super) fn failure_words(f: &PageFailure) -> String {
    words(f)
}

/// Shows `f` in the banner (which puts it into words in the language chosen).
fn show(state: AppState, f: PageFailure) {
    state.error.set(Some(f));
}

/// Queues a request (starting a worker if the last could not start) and posts what may go.
fn submit(state: AppState, new: New<Ticket, Array>) {
    if with_bridge(|b| b.worker.is_none()) == Some(true) {
        if let Err(e) = spawn(state) {
            show(state, PageFailure::NoEngine { again: false, detail: format!("{e:?}") });
        }
    }
    with_bridge(|b| b.book.submit(new));
    flush();
}

fn flush() {
    with_bridge(|b| {
        let Some(worker) = b.worker.clone() else { return };
        for (id, request, files) in b.book.take_postable() {
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"request".into(), &Envelope { id, request }.to_json().into());
            if let Some(files) = files {
                let _ = js_sys::Reflect::set(&msg, &"files".into(), &files);
            }
            let _ = worker.post_message(&msg);
        }
    });
}

fn on_message(state: AppState, text: &str) {
    match serde_json::from_str::<Reply>(text) {
        Ok(Reply { id: None, response: Response::Ready }) => {
            with_bridge(|b| b.book.set_ready());
            flush();
        }
        Ok(Reply { id: Some(id), response }) => {
            // Replies to a request already settled (by a cancel) are stale.
            if with_bridge(|b| b.book.is_waiting(id)) == Some(true) {
                on_reply(state, id, response);
            }
        }
        Ok(Reply { id: None, response }) => {
            if let Response::Failed(f) = response {
                show(state, PageFailure::Engine(f));
            }
        }
        Err(e) => {
            // Still settle the request it answers, so nothing waits for ever.
            let failure = PageFailure::UnreadableReply { detail: e.to_string() };
            let id = serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| v.get("id").and_then(serde_json::Value::as_u64));
            match id.filter(|id| with_bridge(|b| b.book.is_waiting(*id)) == Some(true)) {
                Some(id) => {
                    on_failed(state, id, failure);
                    update_progress(state);
                    flush();
                }
                None => show(state, failure),
            }
        }
    }
}

fn on_reply(state: AppState, id: RequestId, response: Response) {
    match response {
        Response::Ready => {}
        Response::Progress(p) => state.progress.set(Some(p)),
        Response::Loaded(analysis) => on_loaded(state, id, *analysis),
        Response::Predictions(p) => {
            if with_bridge(|b| b.book.is_shown(id)) == Some(true) {
                state.analysis.update(|a| {
                    if let Some(a) = a {
                        a.predictions = *p;
                    }
                });
            }
            emit(HostEvent::PredictionsFinished);
            if let Some(done) = finish(id, true) {
                if let (Request::Load { name, plans }, Some(files), false) = (&done.request, &done.files, done.restoring) {
                    super::keep::remember(name, plans, files);
                }
                accept(state, done);
            }
        }
        Response::Inspected { previews } => {
            if let Some(done) = finish(id, true) {
                on_inspected(state, done, previews);
            }
        }
        Response::Members(page) => {
            let Some(done) = finish(id, true) else { return };
            match done.ticket.purpose {
                Purpose::Members => resolve(done.ticket.promise, &to_js(&page)),
                _ => state.member_page.set(Some(page)),
            }
        }
        Response::WorkLists(overview) => {
            let Some(done) = finish(id, true) else { return };
            resolve(done.ticket.promise, &to_js(&overview));
            state.work_lists.set(Some(overview));
        }
        Response::Exported(file) => {
            let Some(done) = finish(id, true) else { return };
            let download = matches!(done.ticket.purpose, Purpose::Export { download: true });
            let (format, file_name) = match file.as_ref() {
                crate::protocol::Exported::Csv { file_name, .. } => ("csv", file_name.clone()),
                crate::protocol::Exported::Xlsx { table } => ("xlsx", table.file_name.clone()),
            };
            emit(HostEvent::ListExported { format: format.into(), file_name });
            super::export::deliver(state, *file, download, done.ticket.promise);
        }
        Response::Member { id: member, detail } => {
            let Some(done) = finish(id, true) else { return };
            let value = detail
                .as_ref()
                .and_then(|d| serde_json::to_string(d).ok())
                .and_then(|s| js_sys::JSON::parse(&s).ok())
                .unwrap_or(JsValue::NULL);
            resolve(done.ticket.promise, &value);
            // The panel shows the member asked for, and follows a fresher answer for it.
            let showing = state.member_detail.with_untracked(|d| d.as_ref().is_some_and(|d| d.id == member));
            if matches!(done.ticket.purpose, Purpose::ShowMember) || showing {
                state.member_detail.set(detail.map(|d| *d));
            }
        }
        Response::BenchFit { customers, milliseconds, params } => {
            let Some(done) = finish(id, true) else { return };
            let value = serde_json::json!({ "customers": customers, "milliseconds": milliseconds, "params": params });
            resolve(done.ticket.promise, &js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL));
        }
        Response::SettingsStored => {
            if let Some(mut done) = finish(id, true) {
                if let Purpose::Settings { settings, .. } = &done.ticket.purpose {
                    done.ticket.computed_with = Some(settings.clone());
                }
                accept(state, done);
            }
        }
        Response::Failed(f) => on_failed(state, id, PageFailure::Engine(f)),
    }
    update_progress(state);
    flush();
}

fn finish(id: RequestId, ok: bool) -> Option<Done> {
    with_bridge(|b| b.book.finish(id, ok)).flatten()
}

fn on_loaded(state: AppState, id: RequestId, analysis: crate::engine::analysis::Analysis) {
    let outcome = load_outcome(&analysis);
    let (promise, loads_data) = with_bridge(|b| {
        b.book.loaded(id).map(|p| {
            p.ticket.computed_with = Some(analysis.settings.clone());
            (p.ticket.promise.take(), p.request.loads_data())
        })
    })
    .flatten()
    .unwrap_or((None, false));
    let loaded = HostEvent::DataLoaded {
        dataset: analysis.dataset_name.clone(),
        members: analysis.members,
        transactions: analysis.transactions,
        is_demo: analysis.is_demo,
    };
    state.analysis.set(Some(analysis));
    resolve(promise, &outcome);
    if loads_data {
        emit(loaded);
    }
    emit(HostEvent::AnalysesFinished);
}

/// A request answered in full: the settings its figures were computed with are the engine's
/// now (saved in the browser when the user chose them).
fn accept(state: AppState, done: Done) {
    let Some(settings) = done.ticket.computed_with else { return };
    if let Purpose::Settings { save: true, .. } = done.ticket.purpose {
        prefs::save_settings(&settings);
    }
    resolve(done.ticket.promise, &JsValue::NULL);
    with_bridge(|b| b.accepted = settings.clone());
    if !settings_pending() {
        state.settings.set(settings);
    }
}

/// Whether a change of settings is still on its way (then the page keeps showing it).
fn settings_pending() -> bool {
    with_bridge(|b| b.book.any(|p| matches!(p.ticket.purpose, Purpose::Settings { .. }))).unwrap_or(false)
}

fn on_inspected(state: AppState, done: Done, mut previews: Vec<crate::engine::import::plan::TablePreview>) {
    for p in previews.iter_mut() {
        prefs::apply_saved_mapping(p);
    }
    let Ticket { purpose, promise, .. } = done.ticket;
    let follow = |plans: Vec<TablePlan>, name: String, promise: Option<Settle>| {
        let new = New {
            request: Request::Load { name, plans },
            files: done.files.clone(),
            ticket: Ticket::new(Purpose::Figures, promise),
            holds: false,
            restoring: done.restoring,
        };
        with_bridge(|b| b.book.follow_up(done.id, new));
    };
    match purpose {
        Purpose::AutoLoad => {
            let draft = ImportDraft::new(previews);
            match draft.draft_problems().into_iter().next() {
                Some(problem) => {
                    let failure = PageFailure::Draft(problem);
                    reject(promise, &words(&failure));
                    show(state, failure);
                }
                None => {
                    let plans = draft.chosen_plans();
                    for p in &plans {
                        prefs::save_mapping(p);
                    }
                    follow(plans, draft.name(), promise);
                }
            }
        }
        Purpose::Replay { name, plans } => follow(plans, name, promise),
        _ => {
            with_bridge(|b| b.mapping_files = done.files.clone());
            state.import.set(Some(ImportDraft::new(previews)));
        }
    }
}

fn on_failed(state: AppState, id: RequestId, failure: PageFailure) {
    let Some(failed) = with_bridge(|b| b.book.fail(id)).flatten() else { return };
    if failed.after_figures {
        // The figures are shown; only what followed them (the predictions) failed.
        if failed.predictions_lost {
            predictions_not_coming(state);
        }
        show(state, failure);
        return accept(state, failed.pending);
    }
    let done = failed.pending;
    if done.request.loads_data() || matches!(done.request, Request::Inspect { .. }) {
        emit(HostEvent::LoadFailed { message: words(&failure) });
    }
    let was_settings = matches!(done.ticket.purpose, Purpose::Settings { .. });
    reject(done.ticket.promise, &words(&failure));
    if was_settings && !settings_pending() {
        let accepted = with_bridge(|b| b.accepted.clone()).unwrap_or_default();
        state.settings.set(accepted);
    }
    match failed.restore {
        Some(next) => {
            show(state, PageFailure::NotRestored { why: Box::new(failure), next: next.next() });
            restore(state, next);
        }
        None => show(state, failure),
    }
}

/// The shown figures will get no predictions: say so instead of waiting for ever.
fn predictions_not_coming(state: AppState) {
    state.analysis.update(|a| {
        if let Some(a) = a.as_mut() {
            crate::requests::predictions_not_coming(a);
        }
    });
}

/// The worker stopped: `crash` is its error message, `None` for a cancel. Settles every pending
/// request, then starts a new worker and brings back what the book says.
fn stop(state: AppState, crash: Option<String>) {
    let Some((old, stopped, accepted)) = with_bridge(|b| {
        let old = b.worker.take();
        (old, b.book.stop(crash.is_some()), b.accepted.clone())
    }) else {
        return;
    };
    if let Some(w) = old {
        w.set_onmessage(None);
        w.set_onerror(None);
        w.terminate();
    }
    let crashed = crash.is_some();
    let failure = match crash {
        None => PageFailure::Cancelled,
        Some(reason) => PageFailure::Stopped { doing: stopped.doing.clone(), reason, next: stopped.restore.next() },
    };
    let message = words(&failure);
    if stopped.unsettled.iter().any(|p| p.request.loads_data() || matches!(p.request, Request::Inspect { .. })) {
        emit(HostEvent::LoadFailed { message: message.clone() });
    }
    for p in stopped.unsettled {
        reject(p.ticket.promise, &message);
    }
    predictions_not_coming(state);
    state.settings.set(accepted);
    state.progress.set(None);
    if crashed {
        show(state, failure);
    }
    restore(state, stopped.restore);
}

/// Starts a new worker with the settings last accepted and loads what `restore` says (the
/// requests are [`restore_steps`]'s).
fn restore(state: AppState, restore: Restore<Array>) {
    if matches!(restore, Restore::GiveUp | Restore::Nothing) {
        state.analysis.set(None);
    }
    if matches!(restore, Restore::GiveUp) {
        return;
    }
    if with_bridge(|b| b.worker.is_none()) == Some(true) {
        if let Err(e) = spawn(state) {
            show(state, PageFailure::NoEngine { again: true, detail: format!("{e:?}") });
            return;
        }
    }
    let accepted = with_bridge(|b| b.accepted.clone()).unwrap_or_default();
    let restoring = |request, files, purpose, holds| New { request, files, ticket: Ticket::new(purpose, None), holds, restoring: true };
    for step in restore_steps(restore, &accepted) {
        match step {
            RestoreStep::Settings(settings) => {
                let request = Request::SetSettings { settings: settings.clone() };
                submit(state, New::plain(request, None, Ticket::new(Purpose::Settings { settings, save: false }, None)));
            }
            RestoreStep::Files { files, name, plans } => {
                state.progress.set(Some(Progress { stage: Stage::Reading, done: 0, total: 0 }));
                let inspect = Request::Inspect { names: Vec::new() };
                submit(state, restoring(inspect, Some(files), Purpose::Replay { name, plans }, true));
            }
            RestoreStep::Demo => {
                state.progress.set(Some(Progress { stage: Stage::Generating, done: 0, total: 0 }));
                let demo = Request::LoadDemo { members: crate::engine::demo::DemoSpec::default().members };
                submit(state, restoring(demo, None, Purpose::Figures, false));
            }
        }
    }
}

/// The progress bar goes when no load or recompute is waiting for its figures.
fn update_progress(state: AppState) {
    if with_bridge(|b| b.book.busy()) != Some(true) {
        state.progress.set(None);
    }
    settle_idle_waiters();
}

/// Resolves the `whenIdle()` Promises once no request waits for a reply (predictions included).
fn settle_idle_waiters() {
    let waiters = with_bridge(|b| if b.book.is_idle() && b.held == 0 { std::mem::take(&mut b.idle_waiters) } else { Vec::new() }).unwrap_or_default();
    for w in waiters {
        resolve(Some(w), &JsValue::NULL);
    }
}

/// Work outside the engine begins that `whenIdle()` must wait for.
pub fn hold_idle() {
    with_bridge(|b| b.held += 1);
}

/// That work is over (or has handed its requests to the engine).
pub fn release_idle() {
    with_bridge(|b| b.held = b.held.saturating_sub(1));
    settle_idle_waiters();
}

/// `memberDashboard.whenIdle()`: a Promise that resolves when every request made so far has
/// been answered in full — a load with its analyses and predictions, new settings, lists.
pub fn when_idle() -> Promise {
    let (promise, settle) = new_promise();
    if let Some(settle) = settle {
        with_bridge(|b| b.idle_waiters.push(settle));
    }
    settle_idle_waiters();
    promise
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

/// A serde value as a plain JS object (`null` if it cannot be encoded).
fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value).ok().and_then(|s| js_sys::JSON::parse(&s).ok()).unwrap_or(JsValue::NULL)
}

pub(super) fn new_promise() -> (Promise, Option<Settle>) {
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    (promise, settle)
}

pub(super) fn resolve(promise: Option<Settle>, value: &JsValue) {
    if let Some((resolve, _)) = promise {
        let _ = resolve.call1(&JsValue::NULL, value);
    }
}

pub(super) fn reject(promise: Option<Settle>, message: &str) {
    if let Some((_, reject)) = promise {
        let _ = reject.call1(&JsValue::NULL, &js_sys::Error::new(message));
    }
}

fn begin(state: AppState, stage: Stage) {
    state.error.set(None);
    state.progress.set(Some(Progress { stage, done: 0, total: 0 }));
}

/// Uses new thresholds: checked, sent to the worker, which recomputes what is loaded; saved in
/// the browser only once the engine has accepted them. The Promise settles with the new
/// figures, or rejects with the reason (and the page goes back to the settings in force).
pub fn set_settings(state: AppState, settings: Settings) -> Promise {
    let (promise, settle) = new_promise();
    if let Err(e) = settings.validate() {
        let failure = PageFailure::Engine(Failure::Settings(e));
        reject(settle, &words(&failure));
        show(state, failure);
        return promise;
    }
    state.settings.set(settings.clone());
    begin(state, Stage::Analysing);
    let request = Request::SetSettings { settings: settings.clone() };
    submit(state, New::plain(request, None, Ticket::new(Purpose::Settings { settings, save: true }, settle)));
    promise
}

/// Sends the thresholds in `settings` (before the first load, so it uses them). They are not
/// saved again.
pub fn send_settings(settings: &Settings) {
    let Some(state) = page_state() else { return };
    let request = Request::SetSettings { settings: settings.clone() };
    submit(state, New::plain(request, None, Ticket::new(Purpose::Settings { settings: settings.clone(), save: false }, None)));
}

/// Asks for a page of the member list (the answer goes to `state.member_page`).
pub fn query_members(filter: MemberFilter, sort: Sort, offset: u32, limit: u32) {
    let Some(state) = page_state() else { return };
    submit(state, New::plain(Request::Members { filter, sort, offset, limit }, None, Ticket::new(Purpose::MemberPage, None)));
}

/// `memberDashboard.members(filter, options)`: a Promise of `{ total, revenue_cents, rows, … }`.
pub fn members(state: AppState, filter: MemberFilter, sort: Sort, offset: u32, limit: u32) -> Promise {
    let (promise, settle) = new_promise();
    submit(state, New::plain(Request::Members { filter, sort, offset, limit }, None, Ticket::new(Purpose::Members, settle)));
    promise
}

/// Asks for the work lists' counts (the answer goes to `state.work_lists`); a Promise of them.
pub fn work_lists(state: AppState) -> Promise {
    let (promise, settle) = new_promise();
    submit(state, New::plain(Request::WorkLists, None, Ticket::new(Purpose::WorkLists, settle)));
    promise
}

/// A list as a file: saved as a download (`download`), and a Promise of its `Blob`.
pub fn export(state: AppState, spec: ExportSpec, format: ExportFormat, download: bool) -> Promise {
    let (promise, settle) = new_promise();
    submit(state, New::plain(Request::Export { spec, format }, None, Ticket::new(Purpose::Export { download }, settle)));
    promise
}

/// Opens a member's detail panel.
pub fn show_member(id: String) {
    let Some(state) = page_state() else { return };
    emit(HostEvent::MemberOpened { id: id.clone() });
    submit(state, New::plain(Request::Member { id }, None, Ticket::new(Purpose::ShowMember, None)));
}

/// `memberDashboard.member(id)`: a Promise of the member's detail (`null` for an unknown id);
/// it rejects if the engine stops (or the load in progress is cancelled) before answering.
pub fn member(state: AppState, id: String) -> Promise {
    let (promise, settle) = new_promise();
    submit(state, New::plain(Request::Member { id }, None, Ticket::new(Purpose::Member, settle)));
    promise
}

/// `memberDashboard.benchmarkFit(copies)`: times a BG/NBD fit in the worker on the loaded
/// buyers copied `copies` times.
pub fn benchmark_fit(state: AppState, copies: usize) -> Promise {
    let (promise, settle) = new_promise();
    submit(state, New::plain(Request::BenchFit { copies }, None, Ticket::new(Purpose::Bench, settle)));
    promise
}

/// `memberDashboard._crashWorker()`: makes the engine stop as a bug would, to check that the
/// page recovers (the Promise rejects with the message the page shows).
pub fn crash_worker(state: AppState) -> Promise {
    let (promise, settle) = new_promise();
    submit(state, New::plain(Request::Crash, None, Ticket::new(Purpose::Crash, settle)));
    promise
}

/// Loads the built-in demo.
pub fn load_demo(state: AppState) {
    begin(state, Stage::Generating);
    let request = Request::LoadDemo { members: crate::engine::demo::DemoSpec::default().members };
    submit(state, New::plain(request, None, Ticket::new(Purpose::Figures, None)));
}

fn inspect(state: AppState, files: Vec<File>, purpose: Purpose, promise: Option<Settle>) {
    begin(state, Stage::Reading);
    // Parquet files are made CSV first, by a worker loaded only for them (src/ui/parquet.rs);
    // whenIdle() waits for it, and a file it cannot read ends the reading like any load error.
    if files.iter().any(super::parquet::is_parquet) {
        hold_idle();
        super::parquet::to_csv_files(files, with_bridge(|b| b.i18n), move |converted| {
            match converted {
                Ok(files) => inspect(state, files, purpose, promise),
                Err(e) => {
                    let failure = PageFailure::Engine(Failure::Import(e));
                    reject(promise, &words(&failure));
                    show(state, failure);
                    update_progress(state);
                }
            }
            release_idle();
        });
        return;
    }
    let names = files.iter().map(|f| f.name()).collect();
    let array: Array = files.into_iter().collect();
    // An inspect whose load follows at once holds later requests until that load is out.
    let holds = matches!(purpose, Purpose::AutoLoad | Purpose::Replay { .. });
    let new = New { request: Request::Inspect { names }, files: Some(array), ticket: Ticket::new(purpose, promise), holds, restoring: false };
    submit(state, new);
}

/// Files chosen on the Data page: preview them for the mapping screen.
pub fn inspect_for_mapping(state: AppState, files: Vec<File>) {
    if !files.is_empty() {
        state.import.set(None);
        inspect(state, files, Purpose::Mapping, None);
    }
}

/// Reads the files on the mapping screen by the confirmed plans (and remembers their mappings).
pub fn load_plans(state: AppState, name: String, plans: Vec<TablePlan>) {
    for p in &plans {
        prefs::save_mapping(p);
    }
    state.import.set(None);
    let Some(files) = with_bridge(|b| b.mapping_files.clone()).flatten() else {
        show(state, PageFailure::Engine(Failure::NoFiles));
        return;
    };
    begin(state, Stage::Reading);
    submit(state, New::plain(Request::Load { name, plans }, Some(files), Ticket::new(Purpose::Figures, None)));
}

/// Loads files with the automatic (or remembered) mapping; the Promise settles when the worker
/// has analysed them, or rejects with the reason.
pub fn load_files(state: AppState, files: Vec<File>) -> Promise {
    let (promise, settle) = new_promise();
    if files.is_empty() {
        reject(settle, &words(&PageFailure::Engine(Failure::NoFiles)));
        return promise;
    }
    state.import.set(None);
    inspect(state, files, Purpose::AutoLoad, settle);
    promise
}

/// The data set loaded in full last, when it came from files: its name, plans and files (for
/// "Keep this data on this device" turned on after the load).
pub fn current_files() -> Option<(String, Vec<TablePlan>, Array)> {
    with_bridge(|b| b.book.last_good().cloned()).flatten().and_then(|source| match source {
        crate::requests::Source::Files { files, name, plans } => Some((name, plans, files)),
        crate::requests::Source::Demo => None,
    })
}

/// Loads files kept from an earlier visit with the plans they were loaded with (no mapping
/// screen); the Promise settles as [`load_files`]'s.
pub fn replay_files(state: AppState, name: String, plans: Vec<TablePlan>, files: Vec<File>) -> Promise {
    let (promise, settle) = new_promise();
    if files.is_empty() {
        reject(settle, &words(&PageFailure::Engine(Failure::NoFiles)));
        return promise;
    }
    state.import.set(None);
    inspect(state, files, Purpose::Replay { name, plans }, settle);
    promise
}

/// Stops the work in progress: the worker is replaced and the last data set loaded in full is
/// loaded again; pending requests reject with "cancelled".
pub fn cancel(state: AppState) {
    // Pages still arriving from an API: stop fetching; the engine has nothing of them yet.
    if super::api_load::abort() && with_bridge(|b| b.book.busy()) != Some(true) {
        state.progress.set(None);
        return;
    }
    stop(state, None);
}
