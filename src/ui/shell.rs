//! The frame around every page: header (data set, analysis date, language, theme), navigation,
//! the demo banner, the progress bar and error messages.

use leptos::prelude::*;

use super::state::{use_state, Page};
use crate::format::thousands;
use crate::i18n::*;
use crate::protocol::Stage;

pub fn page_label(i18n: leptos_i18n::I18nContext<Locale>, page: Page) -> String {
    match page {
        Page::Overview => t_string!(i18n, nav_overview),
        Page::Segments => t_string!(i18n, nav_segments),
        Page::Pyramid => t_string!(i18n, nav_pyramid),
        Page::Churn => t_string!(i18n, nav_churn),
        Page::Members => t_string!(i18n, nav_members),
        Page::WorkLists => t_string!(i18n, nav_worklists),
        Page::Data => t_string!(i18n, nav_data),
        Page::Report => t_string!(i18n, nav_report),
    }
    .to_string()
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let name = move || state.analysis.with(|a| a.as_ref().map(|a| a.dataset_name.clone()).unwrap_or_default());
    let date = move || state.analysis.with(|a| a.as_ref().map(|a| a.analysis_date.clone()).unwrap_or_default());
    let loaded = move || state.analysis.with(|a| a.is_some());
    let members = move || state.analysis.with(|a| thousands(a.as_ref().map_or(0, |a| a.members) as i64));
    let rows = move || state.analysis.with(|a| thousands(a.as_ref().map_or(0, |a| a.transactions) as i64));
    let from_summary = move || state.analysis.with(|a| a.as_ref().is_some_and(|a| a.from_summary.is_some()));
    let switch_language = move |_| {
        let next = match i18n.get_locale_untracked() {
            Locale::en => Locale::zh_CN,
            Locale::zh_CN => Locale::en,
        };
        i18n.set_locale(next);
        super::prefs::save_language(next);
    };
    let toggle_theme = move |_| {
        state.dark.update(|d| *d = !*d);
        let dark = state.dark.get_untracked();
        super::prefs::apply_theme(dark);
        super::prefs::save_theme(dark);
    };
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◆"</span>
                <span class="app-title">{t!(i18n, app_title)}</span>
            </div>
            <div class="dataset" data-testid="dataset">
                <span class="dataset-name">{name}</span>
                <span class="dataset-meta">
                    <AnalysisDatePicker date=Signal::derive(date) />
                    <super::store_scope::StoreScope />
                    <Show when=loaded>
                        <span class="counts">{move || if from_summary() {
                            t!(i18n, members_from_summary, members = members).into_any()
                        } else {
                            t!(i18n, members_and_rows, members = members, rows = rows).into_any()
                        }}</span>
                    </Show>
                </span>
            </div>
            <div class="header-actions">
                <a class="btn ghost icon" data-testid="open-report" href="#/report"
                    title=move || t_string!(i18n, print_report_help).to_string()
                    aria-label=move || t_string!(i18n, print_report).to_string()>
                    // A printer drawn, not a character: the fonts of many systems lack ⎙.
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                        <path fill="currentColor" d="M19 8H5c-1.66 0-3 1.34-3 3v6h4v4h12v-4h4v-6c0-1.66-1.34-3-3-3zm-3 11H8v-5h8v5zm3-7c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1zm-1-9H6v4h12V3z" />
                    </svg>
                </a>
                // The button names the other language in that language: say which (WCAG 3.1.2).
                <button class="btn ghost" data-testid="lang-switch" on:click=switch_language
                    lang=move || match i18n.get_locale() { Locale::en => "zh-CN", Locale::zh_CN => "en" }
                    title=move || t_string!(i18n, language).to_string()>
                    {move || match i18n.get_locale() { Locale::en => "中文", Locale::zh_CN => "English" }}
                </button>
                <button class="btn ghost icon" data-testid="theme-switch" on:click=toggle_theme
                    title=move || t_string!(i18n, theme_toggle).to_string()
                    aria-label=move || t_string!(i18n, theme_toggle).to_string()>
                    {move || if state.dark.get() { "☀" } else { "☾" }}
                </button>
            </div>
        </header>
    }
}

/// "As of the end of day D": the figures' date, chosen with a date picker; empty or Reset goes
/// back to the day of the last transaction.
#[component]
fn AnalysisDatePicker(date: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // A warehouse summary is as of its own date: the picker shows it and cannot move it.
    let fixed = move || state.analysis.with(|a| a.as_ref().is_some_and(|a| a.from_summary.is_some()));
    let chosen = move || state.settings.with(|s| s.analysis_date.is_some()) && !fixed();
    let apply = move |value: Option<String>| {
        let mut s = state.settings.get_untracked();
        s.analysis_date = value;
        super::settings_panel::apply(state, s);
    };
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev).trim().to_string();
        apply((!v.is_empty()).then_some(v));
    };
    view! {
        <label class="as-of" title=move || if fixed() { t_string!(i18n, analysis_date_fixed_help) } else { t_string!(i18n, analysis_date_help) }.to_string()>
            <span>{t!(i18n, analysis_date)}</span>
            <input type="date" data-testid="analysis-date-input" min="1900-01-01" max="2100-12-31"
                prop:value=date on:change=on_change prop:disabled=fixed
                title=move || if fixed() { t_string!(i18n, analysis_date_fixed_help).to_string() } else { String::new() } />
            <time data-testid="analysis-date" class="visually-hidden">{date}</time>
        </label>
        <Show when=chosen>
            <button class="btn ghost small" data-testid="analysis-date-reset" on:click=move |_| apply(None)
                title=move || t_string!(i18n, analysis_date_reset_help).to_string()>
                {t!(i18n, analysis_date_reset)}
            </button>
        </Show>
    }
}

#[component]
pub fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <nav class="app-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
            {Page::NAV
                .into_iter()
                .map(|p| {
                    view! {
                        <a href=format!("#/{}", p.slug())
                            data-page=p.slug()
                            class:active=move || state.page.get() == p
                            aria-current=move || (state.page.get() == p).then_some("page")>
                            {move || page_label(i18n, p)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
pub fn DemoBanner() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let is_demo = move || state.analysis.with(|a| a.as_ref().is_some_and(|a| a.is_demo));
    view! {
        <Show when=is_demo>
            <div class="banner demo" role="note" data-testid="demo-banner">
                <span>{t!(i18n, demo_banner)}</span>
                <a class="btn primary small" href="#/data">{t!(i18n, load_own)}</a>
            </div>
        </Show>
    }
}

#[component]
pub fn ProgressBar() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let label = move || {
        state.progress.get().map(|p| {
            match p.stage {
                Stage::Fetching => return t_string!(i18n, stage_fetching).replace("%n%", &thousands(p.done as i64)),
                Stage::Generating => t_string!(i18n, stage_generating),
                Stage::Reading => t_string!(i18n, stage_reading),
                Stage::Summarising => t_string!(i18n, stage_summarising),
                Stage::Analysing => t_string!(i18n, stage_analysing),
            }
            .to_string()
        })
    };
    let fraction = move || state.progress.get().and_then(|p| p.fraction());
    view! {
        <Show when=move || state.progress.get().is_some()>
            <div class="progress" role="status" aria-live="polite" data-testid="progress">
                <span>{label}</span>
                <progress max="1" value=move || fraction().map(|f| f.to_string())></progress>
                <span class="percent">{move || fraction().map(|f| format!("{:.0}%", f * 100.0))}</span>
                <button class="btn small" data-testid="cancel" on:click=move |_| super::bridge::cancel(state)>{t!(i18n, cancel)}</button>
            </div>
        </Show>
    }
}

#[component]
pub fn ErrorBox() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <Show when=move || state.error.get().is_some()>
            <div class="banner error" role="alert" data-testid="error">
                <strong>{t!(i18n, load_failed)}</strong>
                <span class="error-text">{move || {
                    state.error.with(|f| f.as_ref().map(|f| super::failures::failure_text(i18n, f)).unwrap_or_default())
                }}</span>
                <Show when=move || state.error.with(|e| matches!(e, Some(crate::requests::PageFailure::Api(_)))) && super::api_load::can_retry()>
                    <button class="btn small" data-testid="retry" on:click=move |_| super::api_load::retry(state)>{t!(i18n, api_retry)}</button>
                </Show>
                <button class="btn ghost small" on:click=move |_| state.error.set(None)>{t!(i18n, dismiss)}</button>
            </div>
        </Show>
    }
}

/// Something the user should know that is not a failure (saved settings that were reset at
/// start); it stays until dismissed, whatever loads meanwhile.
#[component]
pub fn NoticeBox() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <Show when=move || state.notice.with(|n| !n.is_empty())>
            <div class="banner info" role="status" data-testid="notice">
                <strong>{t!(i18n, settings_reset_notice)}</strong>
                <span class="notice-text">{move || {
                    state.notice.with(|notes| notes.iter().map(|n| super::labels::saved_setting_note(i18n, n)).collect::<Vec<_>>().join("; "))
                }}</span>
                <button class="btn ghost small" on:click=move |_| state.notice.set(Vec::new())>{t!(i18n, dismiss)}</button>
            </div>
        </Show>
    }
}
