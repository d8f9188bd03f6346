//! Leptos components only: the shell, the pages and the charts. No analysis maths here: the
//! figures come from the engine through the worker, the charts' options and tables from
//! [`crate::charts`].

mod api_load;
mod api_panel;
mod automation;
mod bridge;
mod chart;
mod chart_card;
mod churn_page;
mod data_page;
mod problem_list;
mod drop_zone;
mod empty_state;
mod failures;
mod labels;
mod mapping;
mod member_detail;
mod export;
pub mod host;
mod keep;
mod storage_panel;
mod export_button;
mod members_page;
mod worklists_page;
mod notes;
mod predictions;
mod pyramid_page;
mod segments_page;
mod settings_panel;
mod overview;
mod parquet;
mod prefs;
mod report_page;
mod shell;
mod store_scope;
mod summary_basis;
pub mod state;

use leptos::prelude::*;

use crate::i18n::*;
use churn_page::ChurnPage;
use data_page::DataPage;
use member_detail::MemberDetailDialog;
use members_page::MembersPage;
use worklists_page::WorkListsPage;
use pyramid_page::PyramidPage;
use segments_page::SegmentsPage;
use overview::OverviewPage;
use shell::{DemoBanner, ErrorBox, Header, Nav, NoticeBox, ProgressBar};
use state::{AppState, Page};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell />
        </I18nContextProvider>
    }
}

/// What the page shows first: the host's API when the URL names one, else a data set kept on
/// this device, else the demo.
fn start_data(state: AppState) {
    let options = host::options();
    if let Some(api) = options.api {
        return api_panel::load_from_api(state, api, options.credentials);
    }
    if !keep::restore_at_start(state) && !options.no_demo {
        bridge::load_demo(state);
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    // The host's URL options apply to this visit only: nothing of them is saved as the user's
    // preferences.
    let options = host::options();
    let in_frame = host::embedded();
    if in_frame {
        mark_embedded();
    }
    open_start_page(&options);
    let host_locale = options.locale.map(host::locale);
    // The host's locale, else a saved choice, beats the browser's language. In an effect: the
    // i18n context applies the browser's language in its own first effect, which runs before this
    // one.
    Effect::new(move |_| {
        if let Some(locale) = host_locale.or_else(prefs::saved_language) {
            i18n.set_locale(locale);
        }
    });
    let state = AppState::new();
    provide_context(state);
    state.dark.set(options.dark.unwrap_or_else(prefs::initial_dark));
    prefs::apply_theme(state.dark.get_untracked());

    // Pages follow the URL hash, so they can be linked and the back button works.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let route = crate::route::Route::parse(&window().location().hash().unwrap_or_default());
        if route.page == Page::Members {
            let filter = route.filter.unwrap_or_default();
            if state.member_filter.with_untracked(|f| *f != filter) {
                state.member_filter.set(filter);
            }
        }
        state.page.set(route.page);
    });
    tell_host_of_changes(state);

    // Saved thresholds go to the worker before the first load; a store scope in the URL
    // replaces the saved one for this visit (it is saved only once the user changes settings).
    let mut settings = prefs::saved_settings();
    if let Some(stores) = options.stores.clone() {
        settings.stores = stores;
    }
    state.settings.set(settings);
    match bridge::start(state) {
        Ok(()) => {
            bridge::send_settings(&state.settings.get_untracked());
            start_data(state)
        }
        Err(e) => state.error.set(Some(crate::requests::PageFailure::NoEngine { again: false, detail: format!("{e:?}") })),
    }
    automation::install(state);
    // After the locale effect above (effects run in order), so that a host's first commands
    // come after the URL's options are applied.
    Effect::new(move |_| host::start(state));

    let hide = options.hide;
    let nothing_loaded = empty_state::nothing_loaded(state);
    view! {
        <div class="app">
            {(!hide.header).then(|| view! { <Header /> })}
            {(!hide.nav).then(|| view! { <Nav /> })}
            <main class="content">
                <ProgressBar />
                <ErrorBox />
                <NoticeBox />
                <store_scope::ScopeNotice />
                <summary_basis::SummaryBanner />
                {(!hide.banner).then(|| view! { <DemoBanner /> })}
                {move || match state.page.get() {
                    page if empty_state::replaces(page) && nothing_loaded.get() => view! { <empty_state::EmptyState state /> }.into_any(),
                    Page::Overview => view! { <OverviewPage /> }.into_any(),
                    Page::Segments => view! { <SegmentsPage /> }.into_any(),
                    Page::Pyramid => view! { <PyramidPage /> }.into_any(),
                    Page::Churn => view! { <ChurnPage /> }.into_any(),
                    Page::Data => view! { <DataPage /> }.into_any(),
                    Page::Members => view! { <MembersPage /> }.into_any(),
                    Page::WorkLists => view! { <WorkListsPage /> }.into_any(),
                    Page::Report => view! { <report_page::ReportPage /> }.into_any(),
                }}
                <MemberDetailDialog />
            </main>
            <drop_zone::DropZone />
            <footer class="app-footer">{t!(i18n, footer_privacy)}</footer>
        </div>
    }
}

/// `embedded` on `<html>`: the document takes its content's height, which the host sizes the
/// frame to (style/embed.css).
fn mark_embedded() {
    if let Some(root) = document().document_element() {
        let classes = root.get_attribute("class").unwrap_or_default();
        let _ = root.set_attribute("class", format!("{classes} embedded").trim());
    }
}

/// The URL's `page`/`filter` options, when the hash names no page yet (after a reload inside
/// the frame, the page the user was on stays). Replaces the hash, adding no history entry.
fn open_start_page(options: &crate::embed::EmbedOptions) {
    let Some(page) = options.page else { return };
    let hash = window().location().hash().unwrap_or_default();
    if !matches!(hash.as_str(), "" | "#" | "#/") {
        return;
    }
    let filter = options.filter.clone().filter(|_| page == Page::Members);
    let _ = window().location().replace(&crate::route::Route { page, filter }.to_hash());
}

/// `pageChanged` and `filterChanged` for the host, on changes after the start.
fn tell_host_of_changes(state: AppState) {
    Effect::watch(
        move || state.page.get(),
        |page, before, _| {
            if before != Some(page) {
                host::emit(host::HostEvent::PageChanged { page: page.slug().into() });
            }
        },
        false,
    );
    Effect::watch(
        move || state.member_filter.get(),
        |filter, before, _| {
            if before != Some(filter) {
                host::emit(host::HostEvent::FilterChanged { filter: filter.clone() });
            }
        },
        false,
    );
}
