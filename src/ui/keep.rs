//! "Keep this data on this device": the loaded files and their mappings in IndexedDB, brought
//! back after a reload; "Forget all data" clears everything the app stored.
//! OWNER: persistence helper.

use js_sys::Array;

use super::state::AppState;
use crate::engine::import::plan::TablePlan;

/// A data set has been loaded in full from `files` with `plans`: keep it if the user asked to.
pub fn remember(name: &str, plans: &[TablePlan], files: &Array) {
    let _ = (name, plans, files);
}

/// At start: brings back a kept data set (true), or does nothing (false: the caller loads the
/// demo).
pub fn restore_at_start(state: AppState) -> bool {
    let _ = state;
    false
}
