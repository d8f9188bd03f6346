//! Member analytics that run entirely in the browser.
//!
//! - [`engine`]: data model, readers, summaries and analyses (plain Rust, tested natively);
//! - [`protocol`]: the messages between the page and the engine's Web Worker;
//! - `ui` (wasm only): the Leptos components.

pub mod engine;
pub mod protocol;

