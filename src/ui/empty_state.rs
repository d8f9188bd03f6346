//! What an analysis page shows when there is nothing to analyse (after a failed load at start,
//! a cancelled one, or "Forget all data"): one sentence and the way to the Data page, instead
//! of a page of zeros.

use leptos::prelude::*;

use super::state::{AppState, Page};
use crate::i18n::*;

/// True when no data set is loaded and none is on its way (while one loads, the pages show as
/// usual under the progress bar).
pub fn nothing_loaded(state: AppState) -> Memo<bool> {
    Memo::new(move |_| state.analysis.with(Option::is_none) && state.progress.with(Option::is_none))
}

/// Every page but Data, which is where data is loaded.
pub fn replaces(page: Page) -> bool {
    page != Page::Data
}

#[component]
pub fn EmptyState(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    // A failure is already said in the banner above; otherwise say where data comes from.
    let no_failure = move || state.error.with(Option::is_none);
    view! {
        <section class="page">
            <div class="card empty-state" data-testid="empty-state">
                <h2>{t!(i18n, no_data)}</h2>
                <Show when=no_failure>
                    <p class="muted">{t!(i18n, empty_hint)}</p>
                </Show>
                <div class="actions">
                    <a class="btn primary" href="#/data" data-testid="empty-load-data">{t!(i18n, empty_load_data)}</a>
                </div>
            </div>
        </section>
    }
}
