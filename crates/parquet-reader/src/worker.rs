//! Browser glue: a message in is a `Blob` (a `File`); the reply is `{ ok: Blob, rows }` (the CSV
//! text, `text/csv`, made of one Blob per chunk so the text never sits in one string) or
//! `{ error: "<code>", column, codec, detail }` ([`member_parquet::Problem`]).
//!
//! The file is read in slices with `FileReaderSync` (allowed in workers): a large file is never
//! copied into wasm memory whole, only the footer and one column chunk at a time.

use std::cell::RefCell;
use std::io::Read;
use std::sync::Arc;

use bytes::Bytes;
use parquet::errors::ParquetError;
use parquet::file::reader::{ChunkReader, Length};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

use member_parquet::{to_csv, Problem};

/// How much a sequential read (a page header) fetches at a time.
const READ_AHEAD: u64 = 64 * 1024;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn set(o: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(key), value);
}

/// A Blob read in slices.
struct BlobFile {
    blob: Blob,
    reader: FileReaderSync,
    len: u64,
}

// The `parquet` reader wants Send + Sync; this worker's wasm has one thread (no atomics), so
// the JS handles are never shared across threads.
unsafe impl Send for BlobFile {}
unsafe impl Sync for BlobFile {}

impl BlobFile {
    fn slice(&self, start: u64, end: u64) -> Result<Bytes, ParquetError> {
        let end = end.min(self.len);
        let start = start.min(end);
        let part = self.blob.slice_with_f64_and_f64(start as f64, end as f64).map_err(|e| js_error("slice", e))?;
        let buffer = self.reader.read_as_array_buffer(&part).map_err(|e| js_error("read", e))?;
        Ok(Bytes::from(js_sys::Uint8Array::new(&buffer).to_vec()))
    }
}

fn js_error(context: &str, e: JsValue) -> ParquetError {
    let detail = e
        .as_string()
        .or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| "unknown error".into());
    ParquetError::General(format!("the browser could not {context} the file: {detail}"))
}

impl Length for BlobFile {
    fn len(&self) -> u64 {
        self.len
    }
}

/// The file as `parquet` reads it (shared by the readers it hands out).
#[derive(Clone)]
struct BlobHandle(Arc<BlobFile>);

impl Length for BlobHandle {
    fn len(&self) -> u64 {
        self.0.len
    }
}

/// A sequential reader from an offset (page headers), fetching `READ_AHEAD` bytes at a time.
struct BlobRead {
    file: Arc<BlobFile>,
    at: u64,
    buffered: Bytes,
}

impl Read for BlobRead {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.buffered.is_empty() {
            self.buffered = self.file.slice(self.at, self.at.saturating_add(READ_AHEAD)).map_err(std::io::Error::other)?;
            self.at += self.buffered.len() as u64;
        }
        let n = out.len().min(self.buffered.len());
        out[..n].copy_from_slice(&self.buffered.split_to(n));
        Ok(n)
    }
}

impl ChunkReader for BlobHandle {
    type T = BlobRead;

    fn get_read(&self, start: u64) -> parquet::errors::Result<BlobRead> {
        Ok(BlobRead { file: self.0.clone(), at: start, buffered: Bytes::new() })
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let bytes = self.0.slice(start, start.saturating_add(length as u64))?;
        if bytes.len() != length {
            return Err(ParquetError::EOF(format!("wanted {length} bytes at {start}, the file has {}", self.0.len)));
        }
        Ok(bytes)
    }
}

fn csv_type() -> BlobPropertyBag {
    let bag = BlobPropertyBag::new();
    bag.set_type("text/csv;charset=utf-8");
    bag
}

/// The CSV of `blob` as a Blob of chunk Blobs, and its row count.
fn convert(blob: Blob) -> Result<(Blob, u64), Problem> {
    let reader = FileReaderSync::new().map_err(|e| Problem::Corrupt { detail: js_error("read", e).to_string() })?;
    let len = blob.size() as u64;
    let file = BlobHandle(Arc::new(BlobFile { blob, reader, len }));
    let parts = js_sys::Array::new();
    let failed = RefCell::new(None);
    let rows = to_csv(file, &mut |text: String| {
        // Each chunk becomes a Blob at once: the browser keeps it outside the wasm heap.
        match Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&JsValue::from_str(&text)), &csv_type()) {
            Ok(part) => {
                parts.push(&part);
            }
            Err(e) => *failed.borrow_mut() = Some(e),
        }
    })?;
    if let Some(e) = failed.into_inner() {
        return Err(Problem::Corrupt { detail: js_error("keep", e).to_string() });
    }
    let csv = Blob::new_with_blob_sequence_and_options(&parts, &csv_type()).map_err(|e| Problem::Corrupt { detail: js_error("keep", e).to_string() })?;
    Ok((csv, rows))
}

fn problem_reply(p: &Problem) -> js_sys::Object {
    let o = js_sys::Object::new();
    set(&o, "error", &JsValue::from_str(p.code()));
    set(&o, "detail", &JsValue::from_str(&p.to_string()));
    match p {
        Problem::Compression { codec } => set(&o, "codec", &JsValue::from_str(codec)),
        Problem::Nested { column } | Problem::Unsupported { column, .. } => set(&o, "column", &JsValue::from_str(column)),
        Problem::NotParquet | Problem::Corrupt { .. } => {}
    }
    o
}

fn answer(data: JsValue) {
    let reply = match data.dyn_into::<Blob>() {
        Ok(blob) => match convert(blob) {
            Ok((csv, rows)) => {
                let o = js_sys::Object::new();
                set(&o, "ok", &csv);
                set(&o, "rows", &JsValue::from_f64(rows as f64));
                o
            }
            Err(p) => problem_reply(&p),
        },
        Err(_) => problem_reply(&Problem::NotParquet),
    };
    // A failed post means the page is gone; there is nobody left to tell.
    let _ = scope().post_message(&reply);
}

/// Entry point of the worker binary: answers every message, then says it is ready.
pub fn start() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| answer(ev.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let o = js_sys::Object::new();
    set(&o, "ready", &JsValue::TRUE);
    let _ = scope().post_message(&o);
}
