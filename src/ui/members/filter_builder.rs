//! The filter builder: a search box, "Add filter" (a dimension, then its editor), each condition
//! as a chip that says it in words (click to edit, × to remove), and "Clear all". Every change
//! goes to the list at once and into the URL (replacing the history entry: typing is not a
//! place to go back to).

use js_sys::{Function, Reflect};
use leptos::html::Details;
use leptos::prelude::*;
use serde_json::{json, Map, Value};
use wasm_bindgen::{JsCast, JsValue};

use super::conditions::{self, Editor};
use crate::engine::members::MemberFilter;
use crate::i18n::*;
use crate::route::Route;
use crate::ui::labels::I18n;
use crate::ui::state::{use_state, AppState};

/// The filter in force becomes `f`: the list follows, and the URL says it.
pub fn set_filter(state: AppState, f: MemberFilter) {
    if state.member_filter.with_untracked(|now| *now != f) {
        state.member_filter.set(f.clone());
    }
    replace_url(&f);
}

/// Writes the filter into the URL without a new history entry (web-sys has no `History` here).
fn replace_url(f: &MemberFilter) {
    let hash = Route::members(f.clone()).to_hash();
    let w = window();
    if w.location().hash().unwrap_or_default() == hash {
        return;
    }
    let Ok(history) = Reflect::get(&w, &"history".into()) else { return };
    if let Some(replace) = Reflect::get(&history, &"replaceState".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = replace.call3(&history, &JsValue::NULL, &JsValue::from_str(""), &JsValue::from_str(&hash));
    }
}

/// The condition being edited: its place in the filter (`None` until it says something) and
/// its JSON object. `session` tells editors apart, so typing never rebuilds the inputs.
#[derive(Clone, Debug, PartialEq)]
struct Editing {
    session: u32,
    slot: Option<usize>,
    draft: Map<String, Value>,
    /// The filter as this editor last left it: any other change came from elsewhere.
    wrote: MemberFilter,
}

impl Editing {
    fn new(session: u32, slot: Option<usize>, draft: Map<String, Value>, wrote: MemberFilter) -> Self {
        Editing { session, slot, draft, wrote }
    }
}

/// Puts the draft into the filter (or takes it out when it says nothing any more).
fn commit(state: AppState, editing: RwSignal<Option<Editing>>) {
    let Some((slot, draft)) = editing.with_untracked(|e| e.as_ref().map(|e| (e.slot, e.draft.clone()))) else { return };
    let mut f = state.member_filter.get_untracked();
    let slot = slot.filter(|&i| i < f.all.len());
    let new_slot = match (slot, conditions::build(&draft)) {
        (Some(i), Some(c)) => {
            if let Some(old) = f.all.get_mut(i) {
                *old = c;
            }
            Some(i)
        }
        (None, Some(c)) => {
            f.all.push(c);
            Some(f.all.len() - 1)
        }
        (Some(i), None) => {
            f.all.remove(i);
            None
        }
        (None, None) => None,
    };
    editing.update(|e| {
        if let Some(e) = e {
            e.slot = new_slot;
            e.wrote = f.clone();
        }
    });
    set_filter(state, f);
}

/// Changes the draft with `change`, then commits it.
fn edit(state: AppState, editing: RwSignal<Option<Editing>>, change: impl FnOnce(&mut Map<String, Value>)) {
    editing.update(|e| {
        if let Some(e) = e {
            change(&mut e.draft);
        }
    });
    commit(state, editing);
}

fn draft_value(editing: RwSignal<Option<Editing>>, key: &str) -> Option<Value> {
    editing.with_untracked(|e| e.as_ref().and_then(|e| e.draft.get(key).cloned()))
}

/// Adds or removes `v` from the draft's `any`.
fn toggle(list: &mut Map<String, Value>, v: &Value) {
    let any = list.entry("any").or_insert_with(|| json!([]));
    if let Some(a) = any.as_array_mut() {
        match a.iter().position(|x| x == v) {
            Some(i) => {
                a.remove(i);
            }
            None => a.push(v.clone()),
        }
    }
}

fn has(editing: RwSignal<Option<Editing>>, v: &Value) -> bool {
    editing.with(|e| e.as_ref().and_then(|e| e.draft.get("any")).and_then(Value::as_array).is_some_and(|a| a.contains(v)))
}

/// Chips to tick the dimension's values.
fn choice_editor(state: AppState, editing: RwSignal<Option<Editing>>, by: String, data: Signal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        conditions::choices(i18n, &by, &data.get())
            .into_iter()
            .map(|(v, words)| {
                let on = {
                    let v = v.clone();
                    move || has(editing, &v)
                };
                let pressed = on.clone();
                view! {
                    <button type="button" class="chip choice" class:on=on aria-pressed=move || pressed().to_string()
                        on:click=move |_| edit(state, editing, |d| toggle(d, &v))>{words}</button>
                }
            })
            .collect_view()
    }
}

/// The twelve months as checkboxes.
fn months_editor(state: AppState, editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        conditions::choices(i18n, "birthday_month", &[])
            .into_iter()
            .map(|(v, words)| {
                let on = {
                    let v = v.clone();
                    move || has(editing, &v)
                };
                view! {
                    <label class="month-box"><input type="checkbox" prop:checked=on on:change=move |_| edit(state, editing, |d| toggle(d, &v)) />{words}</label>
                }
            })
            .collect_view()
    }
}

/// Values as in the data, typed and separated by commas.
fn text_editor(state: AppState, editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    let initial = draft_value(editing, "any")
        .and_then(|v| v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")))
        .unwrap_or_default();
    let on_change = move |ev| {
        let text = event_target_value(&ev);
        let values: Vec<Value> = text.split([',', '，', '、', ';']).map(str::trim).filter(|s| !s.is_empty()).map(|s| json!(s)).collect();
        edit(state, editing, |d| {
            d.insert("any".into(), Value::Array(values));
        });
    };
    view! {
        <label class="field wide"><span>{t!(i18n, ml_values_hint)}</span>
            <input type="text" class="text-input" value=initial on:change=on_change /></label>
    }
}

/// `min` / `max` inputs; a percentage is typed as 40 and kept as 0.4.
fn range_editor(state: AppState, editing: RwSignal<Option<Editing>>, e: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let scale = if e == Editor::Percent { 100.0 } else { 1.0 };
    let unit = match e {
        Editor::Money => Some(t_string!(i18n, ml_yuan).to_string()),
        Editor::Percent => Some(t_string!(i18n, ml_percent).to_string()),
        _ => None,
    };
    let bound = move |key: &'static str, label: String| {
        let initial = draft_value(editing, key).and_then(|v| v.as_f64()).map(|v| (v * scale).to_string()).unwrap_or_default();
        let unit = unit.clone().map(|u| format!(" ({u})")).unwrap_or_default();
        view! {
            <label class="field"><span>{label}{unit}</span>
                <input type="number" class="num-input" data-bound=key value=initial step="any"
                    on:input=move |ev| {
                        let v = event_target_value(&ev).trim().parse::<f64>().ok().filter(|v| v.is_finite());
                        edit(state, editing, |d| match v {
                            Some(v) => { d.insert(key.into(), json!(v / scale)); }
                            None => { d.remove(key); }
                        });
                    } /></label>
        }
    };
    view! { {bound("min", t_string!(i18n, ml_min).to_string())}{bound("max", t_string!(i18n, ml_max).to_string())} }
}

/// A date input for `key` of the draft (`YYYY-MM-DD`; empty removes it).
fn date_input(state: AppState, editing: RwSignal<Option<Editing>>, key: &'static str, label: String, kind: &'static str) -> impl IntoView {
    let initial = draft_value(editing, key).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    view! {
        <label class="field"><span>{label}</span>
            <input type=kind class="date-input" data-bound=key value=initial on:change=move |ev| {
                let v = event_target_value(&ev).trim().to_string();
                edit(state, editing, |d| if v.is_empty() { d.remove(key); } else { d.insert(key.into(), json!(v)); });
            } /></label>
    }
}

fn date_editor(state: AppState, editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {date_input(state, editing, "from", t_string!(i18n, ml_date_from).to_string(), "date")}
        {date_input(state, editing, "to", t_string!(i18n, ml_date_to).to_string(), "date")}
    }
}

fn cohort_editor(state: AppState, editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = draft_value(editing, "offset").and_then(|v| v.as_u64()).unwrap_or(0).to_string();
    view! {
        {date_input(state, editing, "month", t_string!(i18n, ml_cohort_month).to_string(), "month")}
        <label class="field"><span>{t!(i18n, ml_cohort_offset)}</span>
            <input type="number" class="num-input" min="0" step="1" value=offset on:input=move |ev| {
                let n = event_target_value(&ev).trim().parse::<u16>().unwrap_or(0);
                edit(state, editing, |d| { d.insert("offset".into(), json!(n)); });
            } /></label>
    }
}

fn work_list_editor(state: AppState, editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = draft_value(editing, "list").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let on_change = move |ev| {
        let key = event_target_value(&ev);
        edit(state, editing, |d| if key.is_empty() { d.remove("list"); } else { d.insert("list".into(), json!(key)); });
    };
    view! {
        <select class="list-select" on:change=on_change>
            <option value="">"—"</option>
            {move || conditions::choices(i18n, "work_list", &[]).into_iter().map(|(v, words)| {
                let key = v.as_str().unwrap_or_default().to_string();
                let selected = key == chosen;
                view! { <option value=key selected=selected>{words}</option> }
            }).collect_view()}
        </select>
    }
}

/// The values of dimension `by` as the data has them, where the page knows them: the tiers of
/// the analysis, the categories of the work lists' usage cycles (asked for when not yet known).
fn data_values(state: AppState, by: &str) -> Vec<String> {
    match by {
        "tier" => state.analysis.with(|a| a.as_ref().map(|a| a.tiers.iter().map(|t| t.tier.clone()).collect()).unwrap_or_default()),
        "category" => state.analysis.with(|a| a.as_ref().map(|a| a.categories.clone()).unwrap_or_default()),
        "store" => state.analysis.with(|a| a.as_ref().map(|a| a.stores.clone()).unwrap_or_default()),
        "tags" => state.analysis.with(|a| a.as_ref().map(|a| a.tags.clone()).unwrap_or_default()),
        _ => Vec::new(),
    }
}

/// The editor of the condition being edited, with a "Done" button.
#[component]
fn ConditionEditor(editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // Rebuilt only when another condition is opened, never while typing.
    let opened = Memo::new(move |_| editing.with(|e| e.as_ref().map(|e| (e.session, e.draft.get("by").and_then(Value::as_str).unwrap_or_default().to_string()))));
    move || {
        opened.get().map(|(_, by)| {
            let title = {
                let by = by.clone();
                move || crate::charts::fill(t_string!(i18n, ml_editing), &[("name", &conditions::label(i18n, &by))])
            };
            let aria = title();
            let data = {
                let by = by.clone();
                Signal::derive(move || data_values(state, &by))
            };
            // Values from the data: chips when the page knows them (or once it does), typed otherwise.
            let values = {
                let by = by.clone();
                move || {
                    if data.with(Vec::is_empty) {
                        text_editor(state, editing).into_any()
                    } else {
                        choice_editor(state, editing, by.clone(), data).into_any()
                    }
                }
            };
            let body = match conditions::editor(&by) {
                Editor::Choice => choice_editor(state, editing, by.clone(), data).into_any(),
                Editor::Months => months_editor(state, editing).into_any(),
                Editor::Text => values.into_any(),
                Editor::Num | Editor::Money | Editor::Percent => range_editor(state, editing, conditions::editor(&by)).into_any(),
                Editor::Date => date_editor(state, editing).into_any(),
                Editor::Category => view! {
                    {values}
                    {date_input(state, editing, "not_since", t_string!(i18n, ml_not_since).to_string(), "date")}
                }
                .into_any(),
                Editor::Cohort => cohort_editor(state, editing).into_any(),
                Editor::WorkList => work_list_editor(state, editing).into_any(),
                Editor::Flag => ().into_any(),
            };
            view! {
                <div class="condition-editor" data-testid="condition-editor" data-by=by.clone() role="group" aria-label=aria>
                    <div class="editor-head"><strong>{title}</strong>
                        <button type="button" class="btn small" data-testid="editor-done" on:click=move |_| editing.set(None)>{t!(i18n, ml_done)}</button></div>
                    <div class="editor-body">{body}</div>
                </div>
            }
        })
    }
}

/// "Add filter": the dimensions in their groups.
#[component]
fn AddFilter(#[prop(into)] on_pick: Callback<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    let menu = NodeRef::<Details>::new();
    view! {
        <details class="menu add-filter" node_ref=menu>
            <summary class="btn primary" data-testid="add-filter">"+ "{t!(i18n, ml_add_filter)}</summary>
            <div class="menu-panel add-panel">
                {conditions::GROUPS.into_iter().map(|g| view! {
                    <div class="menu-group">
                        <h3>{move || conditions::group_label(i18n, g)}</h3>
                        {conditions::dimensions_of(g).map(|by| view! {
                            <button type="button" class="menu-item" data-dim=by on:click=move |_| {
                                if let Some(m) = menu.get() { m.set_open(false); }
                                on_pick.run(by);
                            }>{move || conditions::label(i18n, by)}</button>
                        }).collect_view()}
                    </div>
                }).collect_view()}
            </div>
        </details>
    }
}

/// The free-text search, applied a quarter second after the last key.
#[component]
fn SearchBox() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let typed = StoredValue::new(0u32);
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        let n = typed.get_value().wrapping_add(1);
        typed.set_value(n);
        set_timeout(
            move || {
                if typed.get_value() == n {
                    let mut f = state.member_filter.get_untracked();
                    f.search = text.trim().to_string();
                    set_filter(state, f);
                }
            },
            std::time::Duration::from_millis(250),
        );
    };
    view! {
        <input type="search" class="member-search" data-testid="member-search"
            placeholder=move || t_string!(i18n, ml_search).to_string() aria-label=move || t_string!(i18n, ml_search).to_string()
            prop:value=move || state.member_filter.with(|f| f.search.clone()) on:input=on_input />
    }
}

/// The conditions as chips: click to edit, × to remove.
fn condition_chips(state: AppState, i18n: I18n, editing: RwSignal<Option<Editing>>, session: StoredValue<u32>) -> impl IntoView {
    move || {
        let editing_slot = editing.with(|e| e.as_ref().and_then(|e| e.slot));
        state.member_filter.with(|f| {
            f.all
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let words = conditions::summary(i18n, c);
                    let remove_label = crate::charts::fill(t_string!(i18n, ml_remove_named), &[("name", &words)]);
                    let c = c.clone();
                    let open = move |_| {
                        session.update_value(|s| *s += 1);
                        editing.set(Some(Editing::new(session.get_value(), Some(i), conditions::draft_of(&c), state.member_filter.get_untracked())));
                    };
                    let remove = move |_| {
                        editing.set(None);
                        let mut f = state.member_filter.get_untracked();
                        if i < f.all.len() {
                            f.all.remove(i);
                        }
                        set_filter(state, f);
                    };
                    view! {
                        <span class="filter-chip" class:editing=editing_slot == Some(i) data-testid="filter-chip">
                            <button type="button" class="chip-text" on:click=open>{words}</button>
                            <button type="button" class="chip-x" aria-label=remove_label on:click=remove>"×"</button>
                        </span>
                    }
                })
                .collect_view()
        })
    }
}

#[component]
pub fn FilterBuilder(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let editing = RwSignal::new(None::<Editing>);
    let session = StoredValue::new(0u32);
    // A filter from elsewhere (the back button, a saved filter) closes the editor.
    Effect::new(move |prev: Option<MemberFilter>| {
        let f = state.member_filter.get();
        if prev.is_some_and(|p| p != f) {
            if editing.with_untracked(|e| e.as_ref().is_some_and(|e| e.wrote != f)) {
                editing.set(None);
            }
        }
        f
    });
    let pick = move |by: &'static str| {
        session.update_value(|s| *s += 1);
        editing.set(Some(Editing::new(session.get_value(), None, conditions::empty(by), state.member_filter.get_untracked())));
        // A dimension without a value is a condition at once.
        if conditions::editor(by) == Editor::Flag {
            commit(state, editing);
            editing.set(None);
        }
    };
    let clear = move |_| {
        editing.set(None);
        state.member_origin.set(String::new());
        set_filter(state, MemberFilter::default());
    };
    let has_any = move || state.member_filter.with(|f| !f.all.is_empty() || !f.search.is_empty());
    view! {
        <div class="card filter-builder" data-testid="filter-builder">
            <div class="filter-tools">
                <SearchBox />
                <AddFilter on_pick=pick />
                {children()}
                <button type="button" class="btn ghost" data-testid="clear-filter" disabled=move || !has_any() on:click=clear>{t!(i18n, ml_clear)}</button>
            </div>
            <div class="filter-chips" aria-live="polite">{condition_chips(state, i18n, editing, session)}</div>
            <ConditionEditor editing=editing />
        </div>
    }
}
