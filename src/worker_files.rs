//! Reading dropped files inside the worker: each `File` arrives as a handle and is read in slices
//! with `FileReaderSync` (synchronous reads are allowed in workers), so a 300 MB export is never
//! held in memory twice.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, FileReaderSync};

use crate::engine::import::{FileReport, TransactionReader};
use crate::engine::model::Dataset;
use crate::protocol::{Progress, Response, Stage};

const SLICE_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

fn post(response: &Response) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&JsValue::from_str(&response.to_json()));
}

fn js_error(context: &str, e: JsValue) -> String {
    format!("{context}: {}", e.as_string().or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string())).unwrap_or_default())
}

/// Reads every file of the `files` array into one data set.
pub fn read_files(files: &JsValue, names: &[String]) -> Result<(Dataset, Vec<FileReport>), String> {
    let files: Vec<File> = js_sys::Array::from(files).iter().filter_map(|f| f.dyn_into::<File>().ok()).collect();
    if files.is_empty() {
        return Err("no file was given".into());
    }
    let total: f64 = files.iter().map(|f| f.size()).sum();
    let reader = FileReaderSync::new().map_err(|e| js_error("this browser cannot read files in a worker", e))?;
    let name = names.join(", ");
    let mut ds = Dataset::new(name);
    let mut reports = Vec::new();
    let mut before = 0.0;
    for file in &files {
        let mut tx_reader = TransactionReader::new(&file.name());
        let size = file.size();
        let mut offset = 0.0;
        while offset < size {
            let end = (offset + SLICE_BYTES).min(size);
            let blob = file.slice_with_f64_and_f64(offset, end).map_err(|e| js_error(&file.name(), e))?;
            let buffer = reader.read_as_array_buffer(&blob).map_err(|e| js_error(&file.name(), e))?;
            tx_reader.push(&mut ds, &js_sys::Uint8Array::new(&buffer).to_vec());
            offset = end;
            post(&Response::Progress(Progress { stage: Stage::Reading, done: (before + offset) as u64, total: total as u64 }));
        }
        reports.push(tx_reader.finish(&mut ds)?);
        before += size;
    }
    Ok((ds, reports))
}
