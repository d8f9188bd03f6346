//! Member analytics that run entirely in the browser.
//!
//! - [`engine`]: the `member-engine` crate (crates/engine): data model, readers, summaries,
//!   analyses, models and [`protocol`], the messages between the page and the engine's worker;
//! - [`requests`]: the page's book of requests to the worker (ids, order, recovery);
//! - [`charts`]: the charts' ECharts options and table rows, from the results;
//! - [`format`]: how figures are written on screen;
//! (the Web Worker that runs the engine is the crate `member-worker`, crates/worker);
//! - `ui` (wasm only): the Leptos components.

pub use member_engine as engine;
pub use member_engine::protocol;
pub mod charts;
pub mod embed;
pub mod format;
pub mod requests;
pub mod route;

// The locale files in `locales/`, compiled in. The macro is marked deprecated in favour of a
// build.rs code generator whose build dependencies pull ICU data-generation crates with
// networking; the macro reads the same files and needs none of that.
#[cfg(target_arch = "wasm32")]
#[allow(deprecated)]
mod i18n_locales {
    leptos_i18n::load_locales!();
}
#[cfg(target_arch = "wasm32")]
pub use i18n_locales::i18n;
#[cfg(target_arch = "wasm32")]
pub mod ui;
