//! The Data page's card for loading from an HTTP API: the address, how to sign in (a bearer
//! token, the portal's cookie, or nothing), and Load. The address is remembered; the token only
//! when the user ticks "Keep the token on this device".

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::api_load::{self, ApiSource};
use super::prefs::storage;
use super::state::{use_state, AppState};
use crate::embed::Credentials;
use crate::i18n::*;

const BASE_KEY: &str = "member-dashboard.api.base";
const TOKEN_KEY: &str = "member-dashboard.api.token";

fn saved(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Loads members and transactions from the API at `base` (the start of an embedded page, or
/// the panel's button).
pub fn load_from_api(state: AppState, base: String, credentials: Credentials) {
    if let Some(token) = saved(TOKEN_KEY) {
        api_load::supply_token(token);
    }
    settled_quietly(api_load::load(state, ApiSource::new(base, credentials)));
}

/// The page shows how a load ends (figures or the banner): its Promise needs no one to wait
/// for it, and an unwatched rejection would be an uncaught error in the console.
fn settled_quietly(promise: js_sys::Promise) {
    let ignore = wasm_bindgen::closure::Closure::once(|_: wasm_bindgen::JsValue| {});
    let _ = promise.catch(&ignore);
    ignore.forget();
}

/// A bearer token from the host (the `setToken` command or the mount option's `fetchToken`):
/// used by the API load waiting for one, kept in memory only.
pub fn supply_token(token: String) {
    api_load::supply_token(token);
}

fn input_value(ev: &leptos::ev::Event) -> String {
    ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default()
}

#[component]
pub fn ApiPanel() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let base = RwSignal::new(saved(BASE_KEY).unwrap_or_default());
    let kept_token = saved(TOKEN_KEY);
    let keep_token = RwSignal::new(kept_token.is_some());
    let token = RwSignal::new(kept_token.unwrap_or_default());
    let auth = RwSignal::new("token".to_string());
    let load = move || {
        let address = base.get_untracked().trim().to_string();
        if let Some(s) = storage() {
            let _ = s.set_item(BASE_KEY, &address);
            // The token is written to storage only when the user asks for it.
            let _ = if keep_token.get_untracked() && !token.get_untracked().is_empty() {
                s.set_item(TOKEN_KEY, &token.get_untracked())
            } else {
                s.remove_item(TOKEN_KEY)
            };
        }
        let credentials = if auth.get_untracked() == "cookie" { Credentials::Cookie } else { Credentials::Token };
        if credentials == Credentials::Token {
            api_load::supply_token(token.get_untracked());
        }
        settled_quietly(api_load::load(state, ApiSource::new(address, credentials)));
    };
    let retry = move |_| {
        // A token typed after the failure is the one to try with.
        if auth.get_untracked() == "token" && !token.get_untracked().is_empty() {
            api_load::supply_token(token.get_untracked());
        }
        api_load::retry(state);
    };
    // "Forget all data" clears the form and the token in memory as well.
    Effect::watch(
        move || state.forgets.get(),
        move |_, _, _| {
            base.set(String::new());
            token.set(String::new());
            keep_token.set(false);
            api_load::supply_token(String::new());
        },
        false,
    );
    let fetching = move || state.progress.with(|p| p.is_some_and(|p| p.stage == crate::protocol::Stage::Fetching));
    view! {
        <div class="card api-panel" data-testid="api-panel">
            <h2>{t!(i18n, api_title)}</h2>
            <p class="muted">{t!(i18n, api_intro)}</p>
            <form class="api-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(); }>
                <label class="api-field wide">
                    <span>{t!(i18n, api_address)}</span>
                    <input type="text" inputmode="url" data-testid="api-base" required autocomplete="url" placeholder="https://api.example.com/v1 · /api"
                        prop:value=move || base.get() on:input=move |ev| base.set(input_value(&ev)) />
                </label>
                <label class="api-field">
                    <span>{t!(i18n, api_sign_in)}</span>
                    <select data-testid="api-auth" on:change=move |ev| {
                        let v = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
                        auth.set(v);
                    }>
                        <option value="token" selected=move || auth.get() == "token">{t!(i18n, api_auth_token)}</option>
                        <option value="cookie" selected=move || auth.get() == "cookie">{t!(i18n, api_auth_cookie)}</option>
                    </select>
                </label>
                <Show when=move || auth.get() == "token">
                    <label class="api-field">
                        <span>{t!(i18n, api_token)}</span>
                        <input type="password" data-testid="api-token" autocomplete="off"
                            prop:value=move || token.get() on:input=move |ev| token.set(input_value(&ev)) />
                    </label>
                    <label class="api-check">
                        <input type="checkbox" data-testid="api-keep-token" prop:checked=move || keep_token.get()
                            on:change=move |ev| {
                                let on = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some_and(|i| i.checked());
                                keep_token.set(on);
                            } />
                        <span>{t!(i18n, api_keep_token)}</span>
                    </label>
                </Show>
                <div class="actions">
                    <button type="submit" class="btn primary" data-testid="api-load" disabled=fetching>{t!(i18n, api_load)}</button>
                    <Show when=move || state.error.with(|e| matches!(e, Some(crate::requests::PageFailure::Api(_)))) && api_load::can_retry()>
                        <button type="button" class="btn" data-testid="api-retry" on:click=retry>{t!(i18n, api_retry)}</button>
                    </Show>
                </div>
            </form>
        </div>
    }
}
