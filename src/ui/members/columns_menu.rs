//! "Columns": a checkbox per column of the member list, kept in the browser. The reason column
//! is not offered: it comes by itself when the filter names a work list.

use leptos::prelude::*;

use super::cells::header;
use super::storage;
use crate::engine::members::Column;
use crate::i18n::*;

const KEY: &str = "member-dashboard.member-columns.v1";

/// The columns the user chose last (the defaults when nothing, or nothing usable, is saved).
pub fn saved_columns() -> Vec<Column> {
    let mut cols: Vec<Column> = storage::load::<Vec<Column>>(KEY).unwrap_or_default();
    cols.retain(|c| *c != Column::Reason);
    cols.dedup();
    if cols.is_empty() {
        Column::DEFAULT.to_vec()
    } else {
        cols
    }
}

/// Shows or hides `c`; the last column shown stays.
fn toggle(columns: RwSignal<Vec<Column>>, c: Column) {
    columns.update(|cols| match cols.iter().position(|x| *x == c) {
        Some(i) if cols.len() > 1 => {
            cols.remove(i);
        }
        Some(_) => {}
        None => cols.push(c),
    });
    storage::save(KEY, &columns.get_untracked());
}

#[component]
pub fn ColumnsMenu(columns: RwSignal<Vec<Column>>) -> impl IntoView {
    let i18n = use_i18n();
    let reset = move |_| {
        columns.set(Column::DEFAULT.to_vec());
        storage::save(KEY, &columns.get_untracked());
    };
    view! {
        <details class="menu columns-menu">
            <summary class="btn" data-testid="columns-menu">{t!(i18n, ml_columns)}</summary>
            <div class="menu-panel columns-panel">
                {Column::ALL.into_iter().filter(|c| *c != Column::Reason).map(|c| view! {
                    <label class="column-box"><input type="checkbox" data-column=serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string))
                        prop:checked=move || columns.with(|cols| cols.contains(&c)) on:change=move |_| toggle(columns, c) />
                        {move || header(i18n, c)}</label>
                }).collect_view()}
                <button type="button" class="btn small" on:click=reset>{t!(i18n, settings_reset)}</button>
            </div>
        </details>
    }
}
