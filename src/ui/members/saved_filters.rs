//! Saved filters: named, kept in the browser (a JSON list of `{name, filter}`); a menu applies or
//! deletes them, and "Save filter" asks for a name in place.

use leptos::html::Input;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::filter_builder::set_filter;
use super::storage;
use crate::engine::members::MemberFilter;
use crate::i18n::*;
use crate::ui::state::use_state;

const KEY: &str = "member-dashboard.saved-filters.v1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedFilter {
    pub name: String,
    pub filter: MemberFilter,
}

/// The saved filters; an unreadable list reads as none.
fn load() -> Vec<SavedFilter> {
    storage::load(KEY).unwrap_or_default()
}

/// Saves `filter` as `name`, replacing one of the same name.
fn add(list: &mut Vec<SavedFilter>, name: String, filter: MemberFilter) {
    list.retain(|s| s.name != name);
    list.push(SavedFilter { name, filter });
}

#[component]
pub fn SavedFilters() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let saved = RwSignal::new(load());
    let naming = RwSignal::new(false);
    let input = NodeRef::<Input>::new();
    let keep = move |list: Vec<SavedFilter>| {
        storage::save(KEY, &list);
        saved.set(list);
    };
    Effect::new(move |_| {
        if naming.get() {
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = input.get().map(|el| el.value().trim().to_string()).unwrap_or_default();
        if name.is_empty() {
            return;
        }
        let mut list = saved.get_untracked();
        add(&mut list, name.clone(), state.member_filter.get_untracked());
        keep(list);
        state.member_origin.set(name);
        naming.set(false);
    };
    let items = move || {
        let list = saved.get();
        if list.is_empty() {
            return view! { <p class="note">{t!(i18n, ml_no_saved)}</p> }.into_any();
        }
        list.into_iter()
            .map(|s| {
                let delete_label = crate::charts::fill(t_string!(i18n, ml_delete_named), &[("name", &s.name)]);
                let (name, filter) = (s.name.clone(), s.filter.clone());
                let apply = move |_| {
                    state.member_origin.set(name.clone());
                    set_filter(state, filter.clone());
                };
                let gone = s.name.clone();
                let delete = move |_| keep(saved.get_untracked().into_iter().filter(|x| x.name != gone).collect());
                view! {
                    <div class="saved-item" data-testid="saved-filter">
                        <button type="button" class="link" on:click=apply>{s.name.clone()}</button>
                        <button type="button" class="btn ghost small" aria-label=delete_label on:click=delete>"×"</button>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <details class="menu saved-menu">
            <summary class="btn" data-testid="saved-filters">{t!(i18n, ml_saved)}</summary>
            <div class="menu-panel saved-panel">{items}</div>
        </details>
        <Show when=move || naming.get()
            fallback=move || view! { <button type="button" class="btn" data-testid="save-filter" on:click=move |_| naming.set(true)>{t!(i18n, ml_save)}</button> }>
            <form class="save-form" on:submit=save>
                <input type="text" class="text-input" node_ref=input data-testid="save-filter-name" maxlength="60"
                    placeholder=move || t_string!(i18n, ml_save_name).to_string() aria-label=move || t_string!(i18n, ml_save_name).to_string()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { naming.set(false) } />
                <button type="submit" class="btn primary small" data-testid="save-filter-ok">{t!(i18n, ml_save_ok)}</button>
                <button type="button" class="btn small" on:click=move |_| naming.set(false)>{t!(i18n, cancel)}</button>
            </form>
        </Show>
    }
}
