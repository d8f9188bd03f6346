//! The printable report a consultant hands over: Overview, Segments, Pyramid and Churn one after
//! another, then the work lists' counts, laid out for A4 (style/print.css). The data set and the
//! analysis date head every printed page: they sit in a table header, which Chromium and
//! Firefox repeat at the top of each page.

use leptos::prelude::*;

use super::churn_page::ChurnPage;
use super::overview::OverviewPage;
use super::pyramid_page::PyramidPage;
use super::segments_page::SegmentsPage;
use super::shell::page_label;
use super::state::{use_state, Page};
use crate::i18n::*;

/// A section of the report: its title and one of the dashboard's pages.
#[component]
fn Section(page: Page, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="report-section" data-section=page.slug()>
            <h2 class="report-section-title">{move || page_label(i18n, page)}</h2>
            {children()}
        </section>
    }
}

/// Every work list's count as of the analysis date (asked for when the report opens).
#[component]
fn WorkListTable() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    Effect::new(move |_| {
        if state.analysis.with(|a| a.as_ref().is_some_and(|a| !a.predictions.pending)) {
            let _ = super::bridge::work_lists(state);
        }
    });
    let date = move || state.work_lists.with(|w| w.as_ref().map(|w| w.analysis_date.clone()).unwrap_or_default());
    view! {
        <h3>{move || t_string!(i18n, report_worklists_title).replace("%date%", &date())}</h3>
        {move || match state.work_lists.get() {
            None => view! { <p class="note">{t!(i18n, report_worklists_empty)}</p> }.into_any(),
            Some(w) => view! {
                <table class="report-worklists" data-testid="report-worklists">
                    <thead><tr><th>{t!(i18n, report_col_list)}</th><th class="num">{t!(i18n, report_col_count)}</th></tr></thead>
                    <tbody>
                        {w.lists.into_iter().map(|l| {
                            let key = l.key;
                            view! {
                                <tr data-list=format!("{key:?}")>
                                    <td>{move || super::worklists_page::list_name(i18n, key)}</td>
                                    <td class="num" data-count=l.members>
                                        {if l.available { crate::format::thousands(l.members as i64) } else { t_string!(i18n, report_not_available).to_string() }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let dataset = move || state.analysis.with(|a| a.as_ref().map(|a| a.dataset_name.clone()).unwrap_or_default());
    let date = move || state.analysis.with(|a| a.as_ref().map(|a| a.analysis_date.clone()).unwrap_or_default());
    let subtitle = move || t_string!(i18n, report_subtitle).replace("%dataset%", &dataset()).replace("%date%", &date());
    let today = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default().chars().take(10).collect::<String>();
    let generated = move || t_string!(i18n, report_generated).replace("%date%", &today);
    let print = move |_| {
        let _ = window().print();
    };
    // Charts on paper are light: the report draws them so while it is open, and gives the
    // user's theme back when it closes (without saving a change of preference).
    let was_dark = state.dark.get_untracked();
    if was_dark {
        state.dark.set(false);
        super::prefs::apply_theme(false);
    }
    on_cleanup(move || {
        if was_dark {
            state.dark.set(true);
            super::prefs::apply_theme(true);
        }
    });
    view! {
        <div class="report" data-testid="report">
            <div class="report-toolbar no-print">
                <button class="btn primary" data-testid="report-print" on:click=print>{t!(i18n, report_print)}</button>
                <a class="btn ghost" href="#/overview">{t!(i18n, report_back)}</a>
                <p class="note">{t!(i18n, report_screen_note)}</p>
            </div>
            <table class="report-paper">
                <thead>
                    <tr><td>
                        <div class="report-running-head" data-testid="report-running-head">
                            <span>{t!(i18n, report_title)}</span>
                            <span>{subtitle}</span>
                        </div>
                    </td></tr>
                </thead>
                <tbody>
                    <tr><td>
                        <header class="report-cover">
                            <h1>{t!(i18n, report_title)}</h1>
                            <p class="report-subtitle">{subtitle}</p>
                            <p class="note">{generated}</p>
                        </header>
                        <Section page=Page::Overview><OverviewPage /></Section>
                        <Section page=Page::Segments><SegmentsPage /></Section>
                        <Section page=Page::Pyramid><PyramidPage /></Section>
                        <Section page=Page::Churn><ChurnPage /></Section>
                        <Section page=Page::WorkLists><WorkListTable /></Section>
                    </td></tr>
                </tbody>
            </table>
        </div>
    }
}
