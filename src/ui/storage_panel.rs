//! The Data page's card for what the app keeps in this browser: "Keep this data on this
//! device" (what is kept: name, size, when) and "Forget all data" (after an inline
//! confirmation), with any refusal of the browser's storage in the page's language.

use leptos::html::Button;
use leptos::prelude::*;

use super::keep::{self, Status};
use super::state::use_state;
use crate::i18n::*;
use crate::requests::keep_words::{size_words, storage_words};
use crate::requests::words::Lang;

/// What is kept now, in words.
fn status_text(i18n: leptos_i18n::I18nContext<Locale>, s: &Status) -> String {
    match (&s.kept, s.on, s.busy) {
        (_, _, true) => t_string!(i18n, keep_busy).to_string(),
        (Some(kept), true, false) => t_string!(i18n, keep_kept)
            .replace("%name%", &kept.name)
            .replace("%size%", &size_words(kept.bytes()))
            .replace("%when%", &keep::when_text(kept.kept_at)),
        (None, true, false) => t_string!(i18n, keep_nothing).to_string(),
        (_, false, false) => t_string!(i18n, keep_off).to_string(),
    }
}

#[component]
pub fn StoragePanel() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let status = RwSignal::from(keep::status());
    let confirming = RwSignal::new(false);
    let cancel_button = NodeRef::<Button>::new();
    // The confirmation opens on its safe answer.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(b) = cancel_button.get() {
                let _ = b.focus();
            }
        }
    });
    // Back to "Forget all data" once answered, so the keyboard stays where it was.
    let answered = move || {
        confirming.set(false);
        request_animation_frame(|| {
            if let Some(b) = document().query_selector("[data-testid=forget-all]").ok().flatten() {
                if let Ok(b) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b) {
                    let _ = b.focus();
                }
            }
        });
    };
    let lang = move || match i18n.get_locale() {
        Locale::en => Lang::En,
        Locale::zh_CN => Lang::ZhCn,
    };
    let problem = move || status.with(|s| s.problem.clone());
    view! {
        <section class="card storage-panel" data-testid="storage-panel">
            <h2>{t!(i18n, keep_title)}</h2>
            <label class="keep-toggle">
                <input type="checkbox" data-testid="keep-toggle" prop:checked=move || status.with(|s| s.on)
                    on:change=move |ev| keep::set_keeping(state, event_target_checked(&ev)) />
                <span>{t!(i18n, keep_toggle)}</span>
            </label>
            <p class="note">{t!(i18n, keep_help)}</p>
            <p class="keep-status" data-testid="keep-status" aria-live="polite">{move || status.with(|s| status_text(i18n, s))}</p>
            {move || problem().map(|p| view! {
                <p class="warning keep-problem" role="alert" data-testid="keep-problem">
                    {t_string!(i18n, keep_problem).replace("%why%", &storage_words(lang(), &p))}
                </p>
            })}
            <div class="forget">
                <Show when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="btn" data-testid="forget-all" on:click=move |_| confirming.set(true)>{t!(i18n, forget_all)}</button>
                    }>
                    <div class="forget-confirm" role="group" data-testid="forget-confirm-group"
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { answered() }>
                        <span>{t!(i18n, forget_question)}</span>
                        <button type="button" class="btn danger" data-testid="forget-confirm"
                            on:click=move |_| { answered(); keep::forget_all(state); }>{t!(i18n, forget_confirm)}</button>
                        <button type="button" class="btn" data-testid="forget-cancel" node_ref=cancel_button
                            on:click=move |_| answered()>{t!(i18n, cancel)}</button>
                    </div>
                </Show>
                <p class="note">{t!(i18n, forget_help)}</p>
                <Show when=move || status.with(|s| s.forgotten)>
                    <p class="done" role="status" data-testid="forget-done">{t!(i18n, forget_done)}</p>
                </Show>
            </div>
        </section>
    }
}
