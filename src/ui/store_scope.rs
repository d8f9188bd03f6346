//! The store scope in the header: "All stores", or one or several stores, chosen from a checkbox
//! list under a compact button. The choice goes into `Settings.stores` the way the settings
//! panel sends settings, so every page, list and export is recomputed for those stores (and the
//! choice is saved with the settings). Hidden when the data has fewer than two stores.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::{use_state, AppState};
use crate::i18n::*;

/// The list's id, for the button's `aria-controls`.
const LIST_ID: &str = "store-scope-list";

/// The stores one can choose: the data's stores, and "" (members and walk-ins without a store)
/// when some have none.
fn choices(state: AppState) -> Vec<String> {
    state.analysis.with(|a| {
        let Some(a) = a.as_ref() else { return Vec::new() };
        let mut names = a.stores.clone();
        if a.store_rows.iter().any(|r| r.store.is_empty()) && !names.iter().any(String::is_empty) {
            names.push(String::new());
        }
        names
    })
}

/// A store's name as the page shows it ("" is "No store").
fn store_name(i18n: leptos_i18n::I18nContext<Locale>, name: &str) -> String {
    if name.is_empty() { t_string!(i18n, scope_no_store).to_string() } else { name.to_string() }
}

/// `names` as the page shows them, or "All stores" for none.
fn scope_text(i18n: leptos_i18n::I18nContext<Locale>, names: &[String]) -> String {
    if names.is_empty() {
        return t_string!(i18n, scope_all_stores).to_string();
    }
    names.iter().map(|n| store_name(i18n, n)).collect::<Vec<_>>().join(", ")
}

/// The scope after ticking or unticking `name`. Ticking a store while all are in scope narrows
/// the scope to it; unticking the last store, or ticking every one, is all stores again (the
/// empty list, so that stores added to the data later are in it too).
fn toggled(scope: &[String], all: &[String], name: &str) -> Vec<String> {
    let mut next: Vec<String> = scope.iter().filter(|s| all.contains(s)).cloned().collect();
    match next.iter().position(|s| s == name) {
        Some(i) => {
            next.remove(i);
        }
        None => next.push(name.to_string()),
    }
    let every = all.iter().all(|s| next.contains(s));
    if every { Vec::new() } else { all.iter().filter(|s| next.contains(s)).cloned().collect() }
}

/// Sends the new scope as the settings panel sends its settings.
fn apply_scope(state: AppState, stores: Vec<String>) {
    let mut s = state.settings.get_untracked();
    if s.stores == stores {
        return;
    }
    s.stores = stores;
    super::settings_panel::apply(state, s);
}

#[component]
pub fn StoreScope() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let open = RwSignal::new(false);
    let root = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let all = Memo::new(move |_| choices(state));
    let shown = move || all.with(|a| a.len() >= 2);
    // What the figures are about (the analysis's scope), or what was just chosen while the
    // figures are recomputed.
    let chosen = move || state.settings.with(|s| s.stores.clone());
    let label = move || {
        let scope = state.analysis.with(|a| a.as_ref().map(|a| a.scope.clone()).unwrap_or_default());
        scope_text(i18n, &scope)
    };
    let close = move |focus_button: bool| {
        open.set(false);
        if focus_button {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    // A press anywhere outside closes the list.
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = root.get_untracked().is_some_and(|r| r.contains(target.as_ref()));
        if !inside {
            open.set(false);
        }
    });
    on_cleanup(move || outside.remove());
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            ev.stop_propagation();
            close(true);
        }
    };
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        // Tabbing out of the list closes it; a press inside (which may blur to nothing) does not.
        let Some(next) = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()) else { return };
        if !root.get_untracked().is_some_and(|r| r.contains(Some(&next))) {
            open.set(false);
        }
    };
    let store_box = move |name: String| {
        let key = name.clone();
        let checked = move || chosen().contains(&key);
        let text = {
            let name = name.clone();
            move || store_name(i18n, &name)
        };
        let store = name.clone();
        let on_change = move |_| {
            let next = toggled(&chosen(), &all.get_untracked(), &store);
            apply_scope(state, next);
        };
        view! {
            <label class="scope-choice">
                <input type="checkbox" data-store=name.clone() prop:checked=checked on:change=on_change />
                <span>{text}</span>
            </label>
        }
    };
    view! {
        <Show when=shown>
            <div class="store-scope" node_ref=root data-testid="store-scope" on:keydown=on_keydown on:focusout=on_focusout>
                <button type="button" class="btn ghost small scope-button" node_ref=button data-testid="store-scope-button"
                    aria-haspopup="true" aria-controls=LIST_ID aria-expanded=move || open.get().to_string()
                    title=move || t_string!(i18n, scope_help).to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    <span class="scope-caption">{t!(i18n, scope_label)}</span>
                    <span class="scope-value" data-testid="store-scope-value">{label}</span>
                    <span class="scope-caret" aria-hidden="true">"▾"</span>
                </button>
                <Show when=move || open.get()>
                    <div class="scope-list" id=LIST_ID role="group" aria-label=move || t_string!(i18n, scope_help).to_string()>
                        <label class="scope-choice scope-all">
                            <input type="checkbox" data-store-all="" prop:checked=move || chosen().is_empty()
                                on:change=move |_| apply_scope(state, Vec::new()) />
                            <span>{t!(i18n, scope_all_stores)}</span>
                        </label>
                        <For each=move || all.get() key=|n| n.clone() children=store_box />
                    </div>
                </Show>
            </div>
        </Show>
    }
}

/// Stores asked for (saved, in the URL, by a script) that the data has none of: said in the
/// page's language with what is shown instead.
#[component]
pub fn ScopeNotice() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let unknown = move || state.analysis.with(|a| a.as_ref().map(|a| a.scope_unknown.clone()).unwrap_or_default());
    let text = move || {
        let scope = state.analysis.with(|a| a.as_ref().map(|a| a.scope.clone()).unwrap_or_default());
        let names = unknown().iter().map(|n| store_name(i18n, n)).collect::<Vec<_>>().join(", ");
        t_string!(i18n, scope_unknown_notice).replace("%names%", &names).replace("%shown%", &scope_text(i18n, &scope))
    };
    view! {
        <Show when=move || !unknown().is_empty()>
            <div class="banner info" role="status" data-testid="scope-notice">
                <span>{text}</span>
            </div>
        </Show>
    }
}
