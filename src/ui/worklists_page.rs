//! The Work lists page: the "today" view and each list with its reasons.

use leptos::prelude::*;

#[component]
pub fn WorkListsPage() -> impl IntoView {
    view! { <section class="page" data-testid="worklists-page"></section> }
}
