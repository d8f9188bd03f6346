//! The Members page: where the list came from and what it adds up to, the filter builder (with
//! saved filters), and every matching member in a virtualised table with the columns the user
//! chose. The filter lives in the URL (`#/members?filter=…`).

#[path = "members/cells.rs"]
pub(super) mod cells;
#[path = "members/columns_menu.rs"]
mod columns_menu;
#[path = "members/conditions.rs"]
mod conditions;
#[path = "members/filter_builder.rs"]
mod filter_builder;
#[path = "members/saved_filters.rs"]
mod saved_filters;
#[path = "members/storage.rs"]
mod storage;
#[path = "members/virtual_table.rs"]
mod virtual_table;
#[path = "members/words.rs"]
pub(super) mod words;

use leptos::prelude::*;

use crate::engine::members::{Column, Condition, Sort};
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;
use columns_menu::{saved_columns, ColumnsMenu};
use filter_builder::FilterBuilder;
use saved_filters::SavedFilters;
use super::export_button::ExportButton;
use super::state::use_state;
use virtual_table::MemberTable;

/// Where the list came from and the figures of the whole filtered list.
#[component]
fn ListHead() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // The figures of the filter in force (none until the worker has answered for it).
    let figures = Memo::new(move |_| {
        state.member_page.with(|p| {
            p.as_ref().filter(|p| state.member_filter.with(|f| p.filter == *f)).map(|p| (p.total, p.revenue_cents, p.members))
        })
    });
    // Back to the whole list (the navigation's link, the back button), the origin no longer holds.
    Effect::new(move |_| {
        if state.member_filter.with(|f| *f == Default::default()) && state.member_origin.with_untracked(|o| !o.is_empty()) {
            state.member_origin.set(String::new());
        }
    });
    // "From: Champions" for a list opened from elsewhere; "All members" for the whole list.
    let origin = move || {
        let o = state.member_origin.get();
        if !o.is_empty() {
            Some(crate::charts::fill(t_string!(i18n, ml_from), &[("label", &o)]))
        } else if state.member_filter.with(|f| *f == Default::default()) {
            Some(t_string!(i18n, ml_all_members).to_string())
        } else {
            None
        }
    };
    let show = move |f: fn(u32, i64, u32) -> String| move || figures.get().map(|(n, r, all)| f(n, r, all)).unwrap_or_else(|| "…".into());
    let share = |n: u32, _: i64, all: u32| if all == 0 { percent(0.0) } else { percent(f64::from(n) / f64::from(all)) };
    view! {
        <div class="members-head">
            <div class="members-title">
                <h1>{t!(i18n, nav_members)}</h1>
                {move || origin().map(|o| view! { <span class="tag" data-testid="member-origin">{o}</span> })}
            </div>
            <div class="members-figures" aria-live="polite" class:stale=move || figures.with(Option::is_none)>
                <div class="figure"><span class="muted">{t!(i18n, ml_matching)}</span>
                    <strong data-testid="member-total" data-total=move || figures.get().map(|f| f.0.to_string())>{show(|n, _, _| thousands(i64::from(n)))}</strong></div>
                <div class="figure"><span class="muted">{t!(i18n, ml_spend)}</span>
                    <strong data-testid="member-revenue">{show(|_, r, _| yuan(r))}</strong></div>
                <div class="figure"><span class="muted">{t!(i18n, ml_share)}</span>
                    <strong data-testid="member-share">{show(share)}</strong></div>
            </div>
        </div>
    }
}

/// Open menus close on a click elsewhere or on Escape.
fn close_menus_outside() {
    let close = |keep: Option<web_sys::Node>| {
        let Ok(open) = document().query_selector_all("details.menu[open]") else { return };
        for i in 0..open.length() {
            if let Some(el) = open.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) {
                if !keep.as_ref().is_some_and(|k| el.contains(Some(k))) {
                    let _ = el.remove_attribute("open");
                }
            }
        }
    };
    let click = window_event_listener(leptos::ev::click, move |ev| {
        close(ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok()))
    });
    let key = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            close(None)
        }
    });
    on_cleanup(move || {
        click.remove();
        key.remove();
    });
}

#[component]
pub fn MembersPage() -> impl IntoView {
    close_menus_outside();
    let i18n = use_i18n();
    let state = use_state();
    let chosen = RwSignal::new(saved_columns());
    let sort = RwSignal::new(Sort::default());
    // The reason column comes with a work-list condition, after the name and id.
    let columns = Signal::derive(move || {
        let mut cols = chosen.get();
        let on_list = state.member_filter.with(|f| f.all.iter().any(|c| matches!(c, Condition::WorkList { .. })));
        if on_list && !cols.contains(&Column::Reason) {
            cols.insert(cols.len().min(2), Column::Reason);
        }
        cols
    });
    // The file is named after where the list came from (or "Members").
    let title = Signal::derive(move || {
        let o = state.member_origin.get();
        if o.is_empty() { t_string!(i18n, nav_members).to_string() } else { o }
    });
    let empty = move || state.member_page.with(|p| p.as_ref().is_some_and(|p| state.member_filter.with(|f| p.filter == *f) && p.total == 0));
    view! {
        <section class="page members-page" data-testid="members-page">
            <ListHead />
            <FilterBuilder><SavedFilters /></FilterBuilder>
            <div class="card member-list" data-testid="member-list">
                <div class="member-list-tools">
                    <p class="note">{t!(i18n, ml_rows_hint)}</p>
                    <div class="actions">
                        <ColumnsMenu columns=chosen />
                        <ExportButton filter=Signal::derive(move || state.member_filter.get()) sort=sort columns=columns title=title />
                    </div>
                </div>
                <Show when=empty>
                    <p class="empty-list" data-testid="member-empty">{t!(i18n, ml_no_match)}</p>
                </Show>
                <MemberTable columns=columns sort=sort />
            </div>
        </section>
    }
}
