//! Leptos components only: the shell, the pages and the charts. No analysis maths here; the
//! figures come from the engine through the worker.

mod automation;
mod bridge;
mod chart;
mod data_page;
mod mapping;
mod overview;
mod prefs;
mod shell;
pub mod state;

use leptos::prelude::*;

use crate::i18n::*;
use data_page::DataPage;
use overview::OverviewPage;
use shell::{DemoBanner, ErrorBox, Header, Nav, NotBuilt, ProgressBar};
use state::{AppState, Page};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell />
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    // A saved choice beats the browser's language. In an effect: the i18n context applies the
    // browser's language in its own first effect, which runs before this one.
    Effect::new(move |_| {
        if let Some(saved) = prefs::saved_language() {
            i18n.set_locale(saved);
        }
    });
    let state = AppState::new();
    provide_context(state);
    state.dark.set(prefs::initial_dark());
    prefs::apply_theme(state.dark.get_untracked());

    // Pages follow the URL hash, so they can be linked and the back button works.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        state.page.set(Page::from_hash(&window().location().hash().unwrap_or_default()));
    });

    match bridge::start(state) {
        Ok(()) => bridge::load_demo(state),
        Err(e) => state.error.set(Some(format!("the analysis engine could not start: {e:?}"))),
    }
    automation::install(state);

    view! {
        <div class="app">
            <Header />
            <Nav />
            <main class="content">
                <ProgressBar />
                <ErrorBox />
                <DemoBanner />
                {move || match state.page.get() {
                    Page::Overview => view! { <OverviewPage /> }.into_any(),
                    Page::Data => view! { <DataPage /> }.into_any(),
                    p => view! { <NotBuilt page=p /> }.into_any(),
                }}
            </main>
            <footer class="app-footer">{t!(i18n, footer_privacy)}</footer>
        </div>
    }
}
