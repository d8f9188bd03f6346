//! The Data page's card for what the app keeps in this browser: "Keep this data on this
//! device" and "Forget all data". OWNER: persistence helper.

use leptos::prelude::*;

#[component]
pub fn StoragePanel() -> impl IntoView {
    view! { <div></div> }
}
