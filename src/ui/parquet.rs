//! Parquet files (a warehouse's member summary) become CSV before the import sees them: a Web
//! Worker with its own wasm (crates/parquet-reader), started only when a Parquet file arrives so
//! that neither the page's first load nor the engine's worker carries the reader, turns each into
//! a `File` named `<name>.csv`; the rest of the app reads that file as any CSV.
//!
//! The worker says `{ ready: true }` once loaded, then answers the file (a `File`) with
//! `{ ok: Blob }` or `{ error: "<code>", column, codec, detail }`; its loader says
//! `{ failed: "<why>" }` when the wasm cannot load. A worker that stops (a decoder panic on a
//! damaged file aborts the wasm) is an `error` event: the file is said to be damaged.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, File, FilePropertyBag, MessageEvent, Worker};

use super::labels::I18n;
use crate::engine::import::error::LoadError;
use crate::i18n::*;

const CSV_TYPE: &str = "text/csv;charset=utf-8";

/// A Parquet file by its name (the warehouse's exports end in `.parquet`).
pub fn is_parquet(file: &File) -> bool {
    file.name().to_ascii_lowercase().ends_with(".parquet")
}

/// Makes every Parquet file of `files` CSV (others pass unchanged, in their order), then calls
/// `done` with the files, or with why the first that failed could not be read.
pub fn to_csv_files(files: Vec<File>, i18n: Option<I18n>, done: impl FnOnce(Result<Vec<File>, LoadError>) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut out = Vec::with_capacity(files.len());
        for file in files {
            if !is_parquet(&file) {
                out.push(file);
                continue;
            }
            match convert(&file, i18n).await {
                Ok(csv) => out.push(csv),
                Err(detail) => return done(Err(LoadError::Read { file: file.name(), detail })),
            }
        }
        done(Ok(out));
    });
}

fn field(data: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(data, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn text(data: &JsValue, key: &str) -> String {
    field(data, key).and_then(|v| v.as_string()).unwrap_or_default()
}

/// One Parquet file as a CSV `File`, or why not (in the page's language).
async fn convert(file: &File, i18n: Option<I18n>) -> Result<File, String> {
    let reply = match run_worker(file).await {
        Ok(reply) => reply,
        Err(stopped) => return Err(words(i18n, Why::Stopped, &stopped.as_string().unwrap_or_default())),
    };
    if let Some(csv) = field(&reply, "ok") {
        let parts = Array::of1(&csv);
        let bag = FilePropertyBag::new();
        bag.set_type(CSV_TYPE);
        return File::new_with_blob_sequence_and_options(&parts, &format!("{}.csv", file.name()), &bag)
            .map_err(|e| words(i18n, Why::Unavailable, &format!("{e:?}")));
    }
    if let Some(failed) = field(&reply, "failed") {
        return Err(words(i18n, Why::Unavailable, &failed.as_string().unwrap_or_default()));
    }
    let why = match text(&reply, "error").as_str() {
        "not_parquet" => Why::NotParquet,
        "compression" => Why::Compression(text(&reply, "codec")),
        "nested" => Why::Nested(text(&reply, "column")),
        "unsupported" => Why::Unsupported(text(&reply, "column")),
        _ => Why::Corrupt,
    };
    Err(words(i18n, why, &text(&reply, "detail")))
}

/// Starts a worker for `file`, posts it once the worker is ready and resolves with the worker's
/// answer (or its loader's `failed`); rejects with the browser's words when the worker cannot
/// start or stops. The worker is ended either way: one worker per file keeps nothing in memory.
async fn run_worker(file: &File) -> Result<JsValue, JsValue> {
    let worker = Worker::new("./parquet_loader.js")?;
    type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(ErrorEvent)>);
    let handlers: Rc<RefCell<Option<Handlers>>> = Rc::new(RefCell::new(None));
    let promise = Promise::new(&mut |resolve, reject| {
        let (w, f, fail) = (worker.clone(), file.clone(), reject.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            if field(&data, "ready").is_none() {
                let _ = resolve.call1(&JsValue::NULL, &data);
            } else if let Err(e) = w.post_message(&f) {
                let _ = fail.call1(&JsValue::NULL, &e);
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            // Handled here: the page goes on (the next Parquet file starts a fresh worker).
            ev.prevent_default();
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&ev.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *handlers.borrow_mut() = Some((on_message, on_error));
    });
    let answer = JsFuture::from(promise).await;
    worker.set_onmessage(None);
    worker.set_onerror(None);
    worker.terminate();
    drop(handlers.borrow_mut().take());
    answer
}

enum Why {
    NotParquet,
    Compression(String),
    Nested(String),
    Unsupported(String),
    Corrupt,
    /// The worker stopped while reading (a damaged file makes the decoder stop).
    Stopped,
    /// The reader's wasm could not load.
    Unavailable,
}

/// Why the file could not be read, in the page's language (English before the page has one).
fn words(i18n: Option<I18n>, why: Why, detail: &str) -> String {
    let Some(i18n) = i18n else { return format!("{} ({detail})", english(&why)) };
    match why {
        Why::NotParquet => t_string!(i18n, parquet_not_parquet).to_string(),
        Why::Compression(codec) => t_string!(i18n, parquet_compression).replace("%codec%", &codec),
        Why::Nested(column) => t_string!(i18n, parquet_nested).replace("%column%", &column),
        Why::Unsupported(column) => t_string!(i18n, parquet_unsupported).replace("%column%", &column).replace("%detail%", detail),
        Why::Corrupt | Why::Stopped => t_string!(i18n, parquet_corrupt).replace("%detail%", detail),
        Why::Unavailable => t_string!(i18n, parquet_unavailable).replace("%detail%", detail),
    }
}

fn english(why: &Why) -> &'static str {
    match why {
        Why::NotParquet => "not a Parquet file",
        Why::Compression(_) => "a compression the page cannot read; export with SNAPPY",
        Why::Nested(_) | Why::Unsupported(_) => "a column the page cannot read",
        Why::Corrupt | Why::Stopped => "the Parquet file is damaged",
        Why::Unavailable => "the Parquet reader could not be loaded",
    }
}
