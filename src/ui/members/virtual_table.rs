//! The member list as a virtualised table: every row has the same height, the body is as tall
//! as all the rows together, and only the rows in view (and a few either side) are in the page.
//! Scrolling asks the worker for the window of rows in view (one request at a time: the answer
//! to the last one asks for the next); an answer for another filter or order is not shown.
//! Headers sort (a second click turns the order round); rows open the member on a click or
//! Enter, and the arrow keys move between them.

use leptos::html::Div;
use leptos::prelude::*;

use super::cells;
use crate::engine::members::{Column, MemberPage, MemberRow, Sort};
use crate::i18n::*;
use crate::ui::bridge;
use crate::ui::state::{use_state, AppState};

/// Row and header height in CSS pixels (style/members.css says the same).
const ROW: f64 = 36.0;
const HEAD: f64 = 44.0;
/// Rows kept in the page above and below those in view.
const OVERSCAN: u32 = 10;
/// Rows asked for at a time.
const WINDOW: u32 = 100;
/// An answer not back after this long is given up on (a scroll asks again).
const PATIENCE_MS: f64 = 3000.0;

/// The rows `first..end` that should be in the page.
fn visible(scroll_top: f64, height: f64, total: u32) -> (u32, u32) {
    let top = (scroll_top - HEAD).max(0.0);
    let first = (top / ROW).floor() as u32;
    let count = (height / ROW).ceil() as u32 + 1;
    (first.saturating_sub(OVERSCAN).min(total), first.saturating_add(count + OVERSCAN).min(total))
}

/// The window to ask for so that rows `first..end` are covered, with room either side.
fn window_for(first: u32, end: u32) -> (u32, u32) {
    let want = end.saturating_sub(first);
    let limit = WINDOW.max(want + 2 * OVERSCAN);
    (first.saturating_sub((limit - want) / 2), limit)
}

/// Whether `page` answers this filter and order.
fn current(state: AppState, page: &MemberPage, sort: Sort) -> bool {
    page.sort == sort && state.member_filter.with(|f| page.filter == *f)
}

fn now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Keeps row `i` in view of the scroll box `el`.
fn scroll_into_view(el: &web_sys::HtmlDivElement, i: u32) {
    let top = HEAD + f64::from(i) * ROW;
    let (scroll, height) = (f64::from(el.scroll_top()), f64::from(el.client_height()));
    if top - HEAD < scroll {
        el.set_scroll_top((top - HEAD) as i32);
    } else if top + ROW > scroll + height {
        el.set_scroll_top((top + ROW - height) as i32);
    }
}

#[component]
pub fn MemberTable(#[prop(into)] columns: Signal<Vec<Column>>, sort: RwSignal<Sort>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let height = RwSignal::new(600.0);
    let frame_asked = StoredValue::new(false);
    // When the request in flight was sent (None: none in flight).
    let in_flight = RwSignal::new(None::<f64>);
    // The row to give the focus to once it is in the page.
    let focus_to = RwSignal::new(None::<u32>);
    // The row Tab lands on (one row in the tab order, the arrow keys move within the list).
    let active = RwSignal::new(0u32);

    // Members of this filter: known once the worker answered for it (any order).
    let total = Memo::new(move |_| {
        state.member_page.with(|p| p.as_ref().filter(|p| state.member_filter.with(|f| p.filter == *f)).map(|p| p.total))
    });
    let range = Memo::new(move |_| visible(scroll_top.get(), height.get(), total.get().unwrap_or(0)));

    // A new analysis makes the rows out of date; an answer clears the way for the next request.
    Effect::new(move |_| {
        state.analysis.track();
        state.member_page.set(None);
        in_flight.set(None);
    });
    Effect::new(move |_| {
        state.member_page.track();
        in_flight.set(None);
    });
    // Ask for the rows in view when the page holds other ones.
    Effect::new(move |_| {
        let sort = sort.get();
        let (first, end) = range.get();
        let covered = state.member_page.with(|p| {
            p.as_ref().is_some_and(|p| current(state, p, sort) && (first >= end || (p.offset <= first && end <= p.offset + p.rows.len() as u32)))
        });
        // Nothing to ask before data is loaded (the worker would say "no data").
        let loaded = state.analysis.with(Option::is_some);
        if !loaded || covered || in_flight.get().is_some_and(|t| now() - t < PATIENCE_MS) {
            return;
        }
        let (offset, limit) = window_for(first, end);
        in_flight.set(Some(now()));
        bridge::query_members(state.member_filter.get_untracked(), sort, offset, limit);
    });
    // Another filter or order starts at the top.
    Effect::new(move |prev: Option<()>| {
        state.member_filter.track();
        sort.track();
        if prev.is_some() {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            height.set(f64::from(el.client_height()));
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // One update per frame however fast the scroll events come.
    let on_scroll = move |_| {
        if !frame_asked.get_value() {
            frame_asked.set_value(true);
            request_animation_frame(move || {
                frame_asked.set_value(false);
                measure();
            });
        }
    };
    // Focus follows the arrow keys once the row is drawn (with its member, not a placeholder).
    Effect::new(move |_| {
        let Some(i) = focus_to.get() else { return };
        state.member_page.track();
        range.track();
        let Some(el) = scroller.get_untracked() else { return };
        if let Ok(Some(row)) = el.query_selector(&format!("[data-index=\"{i}\"]")) {
            if let Ok(row) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(row) {
                let _ = row.focus();
                if row.has_attribute("data-id") {
                    focus_to.set(None);
                }
            }
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent, i: u32, id: Option<String>| {
        let n = total.get_untracked().unwrap_or(0);
        let to = match ev.key().as_str() {
            "Enter" => {
                if let Some(id) = id {
                    bridge::show_member(id);
                }
                return;
            }
            "ArrowDown" if i + 1 < n => i + 1,
            "ArrowUp" if i > 0 => i - 1,
            "Home" => 0,
            "End" if n > 0 => n - 1,
            _ => return,
        };
        ev.prevent_default();
        if let Some(el) = scroller.get_untracked() {
            scroll_into_view(&el, to);
        }
        focus_to.set(Some(to));
    };

    let grid = Memo::new(move |_| columns.with(|c| cells::grid(c)));
    let style = move || grid.with(|(template, width)| format!("--cols:{template};--min-w:{width}px"));
    let headers = move || {
        columns
            .get()
            .into_iter()
            .map(|c| {
                let state_of = move || sort.with(|s| (s.column == c).then_some(s.descending));
                let aria = move || match state_of() {
                    Some(true) => "descending",
                    Some(false) => "ascending",
                    None => "none",
                };
                let arrow = move || match state_of() {
                    Some(true) => "▼",
                    Some(false) => "▲",
                    None => "",
                };
                let click = move |_| {
                    sort.update(|s| {
                        if s.column == c {
                            s.descending = !s.descending;
                        } else {
                            *s = Sort { column: c, descending: cells::is_figure(c) };
                        }
                    })
                };
                let name = move || cells::header(i18n, c);
                let key = serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                view! {
                    <div role="columnheader" class="vt-th" class:num=cells::is_figure(c) aria-sort=aria data-column=key>
                        <button type="button" class="vt-sort" title=name on:click=click>
                            <span class="vt-th-text">{name}</span><span class="vt-arrow" aria-hidden="true">{arrow}</span>
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    // The rows in view with their member when the page holds it.
    let rows = move || {
        let (first, end) = range.get();
        let sort = sort.get();
        state.member_page.with(|p| {
            let page = p.as_ref().filter(|p| current(state, p, sort));
            (first..end)
                .map(|i| {
                    let row = page.and_then(|p| i.checked_sub(p.offset).and_then(|k| p.rows.get(k as usize))).cloned();
                    (i, row)
                })
                .collect::<Vec<_>>()
        })
    };
    let row_view = move |(i, row): (u32, Option<MemberRow>)| {
        let top = format!("{}px", f64::from(i) * ROW);
        let id = row.as_ref().map(|r| r.id.clone());
        let cells = columns.get_untracked().into_iter().map(|c| {
            let text = row.as_ref().map(|r| cells::text(i18n, c, r)).unwrap_or_default();
            view! { <div role="cell" class="vt-td" class:num=cells::is_figure(c) title=text.clone()>{text.clone()}</div> }
        });
        let cells = cells.collect_view();
        let (open_id, key_id) = (id.clone(), id.clone());
        // The active row, or the first drawn when the active one is out of the page.
        let tab_index = move || {
            let (first, end) = range.get();
            let a = active.get();
            if a == i || (!(first..end).contains(&a) && i == first) { "0" } else { "-1" }
        };
        view! {
            <div role="row" class="vt-row" class:loading=id.is_none() tabindex=tab_index style:top=top on:focus=move |_| active.set(i)
                data-index=i data-id=id.clone() data-testid=id.as_ref().map(|_| "member-row") aria-rowindex={i + 2}
                on:click=move |_| if let Some(id) = open_id.clone() { bridge::show_member(id) }
                on:keydown=move |ev| on_key(ev, i, key_id.clone())>
                {cells}
            </div>
        }
    };
    let body_height = move || format!("{}px", f64::from(total.get().unwrap_or(0)) * ROW);
    view! {
        <div class="vt-scroll" node_ref=scroller on:scroll=on_scroll style=style data-testid="member-table">
            <div role="table" class="vt" aria-rowcount=move || total.get().unwrap_or(0) + 1>
                <div role="row" class="vt-head" aria-rowindex="1">{headers}</div>
                <div class="vt-body" style:height=body_height>
                    // Rebuilt when the columns or the language change; kept row by row while scrolling.
                    {move || {
                        columns.track();
                        i18n.get_locale();
                        view! { <For each=rows.clone() key=|(i, r)| (*i, r.as_ref().map(|r| r.id.clone())) children=row_view.clone() /> }
                    }}
                </div>
            </div>
        </div>
    }
}
