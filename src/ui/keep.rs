//! "Keep this data on this device": the files of the data set loaded last, with their plans, in
//! IndexedDB, brought back after a reload (read again, so their load report comes back too);
//! "Forget all data" clears everything the app stored in this browser.
//!
//! localStorage holds the switch (`member-dashboard.keep`) and a record of what is kept
//! (`member-dashboard.kept`: name, files, when, the analysis date chosen for it), so the start
//! can decide at once whether a kept data set is coming; the files are read from IndexedDB
//! after. Storage steps run one after another (a queue), so "store" then "forget" never
//! finish the other way round. A refusal of the browser's storage is said in the panel (and in
//! the banner when the kept data set cannot come back), never fatal.

mod idb;

use std::cell::{Cell, RefCell};
use std::future::Future;

use js_sys::{Array, Promise};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use super::bridge;
use super::state::AppState;
use crate::engine::import::plan::TablePlan;
use crate::engine::settings::Settings;
use crate::protocol::{Progress, Stage};
use crate::requests::keep_words::StorageProblem;
use crate::requests::PageFailure;

/// Every key of ours in the browser's storage starts so.
const PREFIX: &str = "member-dashboard.";
const KEEP_KEY: &str = "member-dashboard.keep";
const KEPT_KEY: &str = "member-dashboard.kept";

/// What is kept on this device, as the panel describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub name: String,
    pub files: Vec<KeptFile>,
    /// When it was stored, in milliseconds since 1970.
    pub kept_at: f64,
    /// The analysis date chosen for it (`None`: its own last day).
    #[serde(default)]
    pub analysis_date: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptFile {
    pub name: String,
    pub bytes: u64,
    pub modified: f64,
}

impl Kept {
    /// A record of `files` (the `File`s of a load) kept now.
    fn describe(name: &str, files: &Array, analysis_date: Option<String>) -> Self {
        let files = files
            .iter()
            .filter_map(|f| f.dyn_into::<File>().ok())
            .map(|f| KeptFile { name: f.name(), bytes: f.size().max(0.0) as u64, modified: f.last_modified() })
            .collect();
        Kept { name: name.to_string(), files, kept_at: js_sys::Date::now(), analysis_date }
    }

    pub fn bytes(&self) -> u64 {
        self.files.iter().fold(0u64, |sum, f| sum.saturating_add(f.bytes))
    }

    /// The same files under the same name (the kept data set, brought back, is loaded again).
    fn same_data(&self, other: &Kept) -> bool {
        self.name == other.name && self.files == other.files
    }
}

/// What the panel shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// "Keep this data on this device" is on.
    pub on: bool,
    pub kept: Option<Kept>,
    /// Storing or removing is under way.
    pub busy: bool,
    /// The last refusal of the browser's storage.
    pub problem: Option<StorageProblem>,
    /// "Forget all data" has removed everything.
    pub forgotten: bool,
}

thread_local! {
    static STATUS: ArcRwSignal<Status> = ArcRwSignal::new(Status { on: keeping(), kept: keeping().then(read_record).flatten(), ..Status::default() });
    /// The last storage step queued: the next one waits for it.
    static TAIL: RefCell<Promise> = RefCell::new(Promise::resolve(&JsValue::UNDEFINED));
    /// The kept data set is being brought back: the analysis date the page shows meanwhile is
    /// not the user's choice.
    static RESTORING: Cell<bool> = const { Cell::new(false) };
}

/// The panel's view of what is kept.
pub fn status() -> ArcRwSignal<Status> {
    STATUS.with(Clone::clone)
}

fn update(f: impl FnOnce(&mut Status)) {
    STATUS.with(|s| s.update(f));
}

/// Runs `step` after every step queued before it.
fn queue(step: impl Future<Output = ()> + 'static) {
    let before = TAIL.with(|t| t.borrow().clone());
    let next = wasm_bindgen_futures::future_to_promise(async move {
        let _ = JsFuture::from(before).await;
        step.await;
        Ok(JsValue::UNDEFINED)
    });
    TAIL.with(|t| *t.borrow_mut() = next);
}

fn local() -> Result<web_sys::Storage, StorageProblem> {
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(storage))) => Ok(storage),
        Some(Err(e)) => Err(idb::problem(e)),
        _ => Err(StorageProblem::Unavailable { detail: String::new() }),
    }
}

fn keeping() -> bool {
    local().ok().and_then(|s| s.get_item(KEEP_KEY).ok().flatten()).is_some_and(|v| v == "on")
}

fn read_record() -> Option<Kept> {
    let json = local().ok()?.get_item(KEPT_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

fn write_record(kept: &Kept) -> Result<(), StorageProblem> {
    let json = serde_json::to_string(kept).map_err(|e| StorageProblem::Failed { detail: e.to_string() })?;
    local()?.set_item(KEPT_KEY, &json).map_err(idb::problem)
}

fn remove_record() {
    if let Ok(s) = local() {
        let _ = s.remove_item(KEPT_KEY);
    }
}

/// A data set has been loaded in full from `files` with `plans`: keep it if the user asked to.
pub fn remember(name: &str, plans: &[TablePlan], files: &Array) {
    if !keeping() {
        return;
    }
    // A new data set starts at its own last day.
    let record = Kept::describe(name, files, None);
    // The kept data set, brought back at start, is loaded again: it is kept already.
    if read_record().is_some_and(|k| k.same_data(&record)) {
        return;
    }
    store(plans, files.clone(), record);
}

/// Stores `files` as `record` says, replacing what was kept.
fn store(plans: &[TablePlan], files: Array, record: Kept) {
    let plans_json = match serde_json::to_string(plans) {
        Ok(json) => json,
        Err(e) => return update(|s| s.problem = Some(StorageProblem::Failed { detail: e.to_string() })),
    };
    update(|s| {
        s.busy = true;
        s.problem = None;
        s.forgotten = false;
    });
    queue(async move {
        // Turned off (or forgotten) since it was asked for.
        if !keeping() {
            return update(|s| s.busy = false);
        }
        let entry = idb::Entry { name: record.name.clone(), plans_json, files };
        let stored = match idb::put(&entry).await {
            // Turned off while storing: the deletion queued behind removes it.
            Ok(()) if !keeping() => Ok(false),
            Ok(()) => write_record(&record).map(|()| true),
            Err(problem) => Err(problem),
        };
        match stored {
            Ok(kept) => update(|s| {
                s.busy = false;
                s.kept = kept.then_some(record);
            }),
            Err(problem) => {
                // Nothing half kept, and nothing older: a reload must not bring back another data
                // set than the one the page showed.
                remove_record();
                let _ = idb::delete_all().await;
                update(|s| {
                    s.busy = false;
                    s.kept = None;
                    s.problem = Some(problem);
                });
            }
        }
    });
}

/// The panel's switch. On: the data set loaded last from files (if any) is kept at once; off:
/// what was kept is deleted.
pub fn set_keeping(state: AppState, on: bool) {
    update(|s| {
        s.problem = None;
        s.forgotten = false;
    });
    if !on {
        return stop_keeping();
    }
    if let Err(problem) = local().and_then(|s| s.set_item(KEEP_KEY, "on").map_err(idb::problem)) {
        return update(|s| {
            s.on = false;
            s.problem = Some(problem);
        });
    }
    update(|s| s.on = true);
    if let Some((name, plans, files)) = bridge::current_files() {
        // Kept with the analysis date shown now, if the user chose one for it.
        let record = Kept::describe(&name, &files, state.settings.get_untracked().analysis_date);
        store(&plans, files, record);
    }
}

fn stop_keeping() {
    if let Ok(s) = local() {
        let _ = s.remove_item(KEEP_KEY);
        let _ = s.remove_item(KEPT_KEY);
    }
    update(|s| {
        s.on = false;
        s.kept = None;
        s.busy = true;
    });
    queue(async {
        let deleted = nothing_left_in_indexed_db().await;
        update(|s| {
            s.busy = false;
            s.problem = deleted.err();
        });
    });
}

/// Deletes our IndexedDB database. Where the browser offers none, nothing can be in it.
async fn nothing_left_in_indexed_db() -> Result<(), StorageProblem> {
    match idb::delete_all().await {
        Err(StorageProblem::Unavailable { .. }) => Ok(()),
        other => other,
    }
}

/// Removes every key of ours from localStorage and sessionStorage.
fn clear_our_keys() {
    let Some(window) = web_sys::window() else { return };
    for storage in [window.local_storage(), window.session_storage()].into_iter().filter_map(|s| s.ok().flatten()) {
        let count = storage.length().unwrap_or(0);
        let ours: Vec<String> = (0..count).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(PREFIX)).collect();
        for key in ours {
            let _ = storage.remove_item(&key);
        }
    }
}

/// "Forget all data": every key of ours and the IndexedDB database go; the demo is shown with
/// the default settings (sent, not saved: nothing of ours is written again).
pub fn forget_all(state: AppState) {
    clear_our_keys();
    // What other parts hold in memory goes too (the API form, a token handed in).
    state.forgets.update(|n| *n += 1);
    update(|s| *s = Status { busy: true, ..Status::default() });
    state.settings.set(Settings::default());
    // The demo first, then the settings: the demo is computed again with them (the data set
    // shown before may be large, and is not computed again for nothing).
    bridge::load_demo(state);
    bridge::send_settings(&Settings::default());
    queue(async {
        let deleted = nothing_left_in_indexed_db().await;
        update(|s| {
            s.busy = false;
            match deleted {
                Ok(()) => s.forgotten = true,
                Err(problem) => s.problem = Some(problem),
            }
        });
    });
}

/// At start: brings back a kept data set (true: it is on its way), or does nothing (false: the
/// caller loads the demo). Decided from localStorage at once; the files are read after.
pub fn restore_at_start(state: AppState) -> bool {
    follow_analysis_date(state);
    let Some(kept) = STATUS.with(|s| s.with_untracked(|s| s.on.then(|| s.kept.clone()).flatten())) else {
        follow_demo_date(state);
        return false;
    };
    RESTORING.set(true);
    state.progress.set(Some(Progress { stage: Stage::Reading, done: 0, total: 0 }));
    // `whenIdle()` waits for the kept data set, which is not asked of the engine yet.
    bridge::hold_idle();
    queue(async move {
        match idb::get().await.and_then(parts) {
            Ok((plans, files)) => bring_back(state, kept, plans, files).await,
            Err(problem) => not_restored(state, &kept.name, problem),
        }
        RESTORING.set(false);
        bridge::release_idle();
    });
    true
}

/// The plans and files of a kept entry.
fn parts(entry: idb::Entry) -> Result<(Vec<TablePlan>, Vec<File>), StorageProblem> {
    let unreadable = |detail: String| StorageProblem::Unreadable { detail };
    let plans = serde_json::from_str(&entry.plans_json).map_err(|e| unreadable(e.to_string()))?;
    let files: Vec<File> = entry.files.iter().filter_map(|f| f.dyn_into::<File>().ok()).collect();
    if files.is_empty() || files.len() as u32 != entry.files.length() {
        return Err(unreadable(String::new()));
    }
    Ok((plans, files))
}

async fn bring_back(state: AppState, kept: Kept, plans: Vec<TablePlan>, files: Vec<File>) {
    match JsFuture::from(bridge::replay_files(state, kept.name.clone(), plans, files)).await {
        Ok(_) => {
            if let Some(date) = kept.analysis_date {
                let mut settings = state.settings.get_untracked();
                settings.analysis_date = Some(date);
                super::settings_panel::apply(state, settings);
            }
        }
        Err(e) => {
            let detail = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
            not_restored(state, &kept.name, StorageProblem::Unreadable { detail });
        }
    }
}

/// The kept data set cannot come back: the demo instead, and the banner says why.
fn not_restored(state: AppState, name: &str, problem: StorageProblem) {
    // Gone for good: the next start need not try again. A storage refused or held up now may
    // work next time, so the record stays.
    let gone = matches!(problem, StorageProblem::Missing | StorageProblem::Unreadable { .. });
    if gone {
        remove_record();
    }
    bridge::load_demo(state);
    state.error.set(Some(PageFailure::KeptNotRestored { name: name.to_string(), why: problem.clone() }));
    update(|s| {
        if gone {
            s.kept = None;
        }
        s.problem = Some(problem);
    });
}

/// Keeps the analysis date the user chooses for the kept data set with it, so a reload brings
/// the data set back as of that day.
fn follow_analysis_date(state: AppState) {
    let date = Memo::new(move |_| state.settings.with(|s| s.analysis_date.clone()));
    Effect::new(move |_| {
        let date = date.get();
        if RESTORING.get() || !keeping() {
            return;
        }
        let shown = state.analysis.with_untracked(|a| a.as_ref().filter(|a| !a.is_demo).map(|a| a.dataset_name.clone()));
        let Some(mut kept) = read_record() else { return };
        if shown.as_deref() != Some(kept.name.as_str()) || kept.analysis_date == date {
            return;
        }
        kept.analysis_date = date;
        if write_record(&kept).is_ok() {
            update(|s| s.kept = Some(kept));
        }
    });
}

const DEMO_DATE_KEY: &str = "member-dashboard.demo-analysis-date";

/// The analysis date the user chooses for the demo is remembered too, and set again when the
/// demo comes back at start (a load starts at its own default, so it is sent after it).
fn follow_demo_date(state: AppState) {
    let saved = local().ok().and_then(|s| s.get_item(DEMO_DATE_KEY).ok().flatten());
    let pending = std::rc::Rc::new(Cell::new(saved.is_some()));
    if let Some(date) = saved {
        // After this call returns the caller asks for the demo; the date goes after it (a task
        // later), so it recomputes the demo as of that day.
        wasm_bindgen_futures::spawn_local(async move {
            let mut settings = state.settings.get_untracked();
            settings.analysis_date = Some(date);
            super::settings_panel::apply(state, settings);
        });
    }
    let date = Memo::new(move |_| state.settings.with(|s| s.analysis_date.clone()));
    let demo_shown = Memo::new(move |_| state.analysis.with(|a| a.as_ref().is_some_and(|a| a.is_demo)));
    Effect::new(move |_| {
        let date = date.get();
        let demo = demo_shown.get();
        // Until the saved date is in force, what the page shows is not the user's choice.
        if pending.get() {
            if demo && date.is_some() {
                pending.set(false);
            }
            return;
        }
        if !demo {
            return;
        }
        if let Ok(s) = local() {
            let _ = match &date {
                Some(d) => s.set_item(DEMO_DATE_KEY, d),
                None => s.remove_item(DEMO_DATE_KEY),
            };
        }
    });
}

/// When something was kept, as the panel says it (local time).
pub fn when_text(ms: f64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    format!("{:04}-{:02}-{:02} {:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}
