//! The Data page's card for loading from an HTTP API. OWNER: lead.

use leptos::prelude::*;

#[component]
pub fn ApiPanel() -> impl IntoView {
    view! { <div></div> }
}

/// Loads members and transactions from the API at `base` (the start of an embedded page, or
/// the panel's button).
pub fn load_from_api(state: super::state::AppState, base: String, credentials: crate::embed::Credentials) {
    let _ = (state, base, credentials);
}

/// A bearer token from the host (the `setToken` command or the mount option's `fetchToken`):
/// used by the API load waiting for one, kept in memory only.
pub fn supply_token(token: String) {
    let _ = token;
}
