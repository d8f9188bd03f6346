//! The Members page: every member in a virtualised table, the filter builder, saved filters.

use leptos::prelude::*;

#[component]
pub fn MembersPage() -> impl IntoView {
    view! { <section class="page" data-testid="members-page"></section> }
}
