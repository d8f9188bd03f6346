//! Lists as files: CSV saved as it comes from the engine; XLSX written by the XLSX worker, which
//! the page loads only when first asked (its wasm is not part of the first load), then keeps.
//!
//! The XLSX worker takes an export table as JSON text and answers `{ ok: Uint8Array }` or
//! `{ error: "<why>" }`, one answer per message, in order; it says `{ ready: true }` once its
//! wasm is loaded (messages posted before would be lost), or `{ failed: "<why>" }` from its
//! loader when the wasm cannot load.

use std::cell::{Cell as StdCell, RefCell};
use std::collections::VecDeque;

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Worker};

use super::bridge::{reject, resolve, Settle};
use super::labels::I18n;
use super::state::AppState;
use crate::i18n::*;
use crate::protocol::Exported;
use crate::requests::PageFailure;

const CSV_TYPE: &str = "text/csv;charset=utf-8";
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file on its way to the user and the Promise waiting for it.
struct Job {
    state: AppState,
    file_name: String,
    download: bool,
    promise: Option<Settle>,
}

struct XlsxWorker {
    worker: Worker,
    ready: bool,
    /// Tables waiting for the worker to be ready (JSON text).
    unsent: Vec<String>,
    /// Jobs in the order their tables went (or will go) to the worker.
    jobs: VecDeque<Job>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static XLSX: RefCell<Option<XlsxWorker>> = const { RefCell::new(None) };
    /// The page's language, for failures said outside a view (set by the export button).
    static I18N: StdCell<Option<I18n>> = const { StdCell::new(None) };
}

/// Remembers the page's language context (the export button calls it when it renders).
pub fn remember_i18n(i18n: I18n) {
    I18N.with(|c| c.set(Some(i18n)));
}

/// Why a file could not be made, in the page's language (English without a button shown).
fn failure_words(detail: &str) -> String {
    match I18N.with(StdCell::get) {
        Some(i18n) => t_string!(i18n, export_failed).replace("%detail%", detail),
        None => format!("The file could not be written: {detail}"),
    }
}

fn unavailable_words(detail: &str) -> String {
    match I18N.with(StdCell::get) {
        Some(i18n) => t_string!(i18n, export_xlsx_unavailable).replace("%detail%", detail),
        None => format!("the Excel writer could not be loaded ({detail})"),
    }
}

/// Saves (when `download`) and hands the file to the Promise as a `Blob`.
pub fn deliver(state: AppState, file: Exported, download: bool, promise: Option<Settle>) {
    match file {
        Exported::Csv { file_name, text } => {
            let job = Job { state, file_name, download, promise };
            // The text starts with the BOM: the Blob's UTF-8 bytes start with EF BB BF.
            let parts = Array::of1(&JsValue::from_str(&text));
            finish(job, Blob::new_with_str_sequence_and_options(&parts, &blob_type(CSV_TYPE)));
        }
        Exported::Xlsx { table } => {
            let job = Job { state, file_name: format!("{}.xlsx", table.file_name), download, promise };
            match serde_json::to_string(&table) {
                Ok(json) => send_to_xlsx_worker(job, json),
                Err(e) => fail(job, &e.to_string()),
            }
        }
    }
}

fn blob_type(mime: &str) -> BlobPropertyBag {
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    bag
}

/// The file is ready (or could not be made into a Blob): save it, settle the Promise.
fn finish(job: Job, blob: Result<Blob, JsValue>) {
    match blob {
        Ok(blob) => {
            if job.download {
                save(&blob, &job.file_name);
            }
            resolve(job.promise, &blob);
        }
        Err(e) => fail(job, &format!("{e:?}")),
    }
}

/// Says why in the banner (when the user clicked) and rejects the Promise.
fn fail(job: Job, detail: &str) {
    let words = failure_words(detail);
    if job.download {
        job.state.error.set(Some(PageFailure::ExportFailed { detail: detail.to_string() }));
    }
    reject(job.promise, &words);
}

/// Saves `blob` as a download named `name` (a click on a link to it).
fn save(blob: &Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    let link = document().create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // The download has taken the URL by then; the Blob stays with the Promise's holder.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(60));
}

/// Queues the table for the XLSX worker, starting the worker on the first export.
fn send_to_xlsx_worker(job: Job, json: String) {
    let started = XLSX.with(|x| x.borrow().is_some());
    if !started {
        match start_xlsx_worker() {
            Ok(w) => XLSX.with(|x| *x.borrow_mut() = Some(w)),
            Err(e) => return fail(job, &unavailable_words(&format!("{e:?}"))),
        }
    }
    let to_post = XLSX.with(|x| {
        let mut x = x.borrow_mut();
        let w = x.as_mut()?;
        w.jobs.push_back(job);
        if w.ready {
            Some((w.worker.clone(), json))
        } else {
            w.unsent.push(json);
            None
        }
    });
    if let Some((worker, json)) = to_post {
        if let Err(e) = worker.post_message(&JsValue::from_str(&json)) {
            worker_failed(&format!("{e:?}"));
        }
    }
}

fn start_xlsx_worker() -> Result<XlsxWorker, JsValue> {
    let worker = Worker::new("./xlsx_loader.js")?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| on_message(ev.data()));
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|ev: web_sys::ErrorEvent| {
        // Handled here: the page goes on (the next XLSX export starts a fresh worker).
        ev.prevent_default();
        worker_failed(&ev.message());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(XlsxWorker { worker, ready: false, unsent: Vec::new(), jobs: VecDeque::new(), _on_message: on_message, _on_error: on_error })
}

fn field(data: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(data, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
}

fn on_message(data: JsValue) {
    if field(&data, "ready").is_some() {
        return on_ready();
    }
    if let Some(why) = field(&data, "failed") {
        return worker_failed(&why.as_string().unwrap_or_default());
    }
    let Some(job) = XLSX.with(|x| x.borrow_mut().as_mut().and_then(|w| w.jobs.pop_front())) else { return };
    match (field(&data, "ok").and_then(|v| v.dyn_into::<Uint8Array>().ok()), field(&data, "error")) {
        (Some(bytes), _) => {
            let parts = Array::of1(&bytes);
            finish(job, Blob::new_with_u8_array_sequence_and_options(&parts, &blob_type(XLSX_TYPE)));
        }
        (None, why) => fail(job, &why.and_then(|w| w.as_string()).unwrap_or_default()),
    }
}

/// The worker's wasm is loaded: post what waited.
fn on_ready() {
    let waiting = XLSX.with(|x| {
        let mut x = x.borrow_mut();
        let w = x.as_mut()?;
        w.ready = true;
        Some((w.worker.clone(), std::mem::take(&mut w.unsent)))
    });
    let Some((worker, unsent)) = waiting else { return };
    for json in unsent {
        if let Err(e) = worker.post_message(&JsValue::from_str(&json)) {
            return worker_failed(&format!("{e:?}"));
        }
    }
}

/// The worker could not load or stopped: every waiting export fails, and the next one starts a
/// fresh worker.
fn worker_failed(detail: &str) {
    let Some(w) = XLSX.with(|x| x.borrow_mut().take()) else { return };
    w.worker.terminate();
    let words = unavailable_words(detail);
    let XlsxWorker { jobs, _on_message, _on_error, .. } = w;
    // The handlers may be running this very call: freed after it returns.
    set_timeout(move || drop((_on_message, _on_error)), std::time::Duration::from_millis(0));
    for job in jobs {
        fail(job, &words);
    }
}
