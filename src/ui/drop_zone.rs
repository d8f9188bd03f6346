//! Files dropped anywhere on the page: a full-window overlay while files are dragged over it, and
//! the dropped files go where chosen files go (the mapping screen on the Data page). Drags of
//! text or links are left alone: they show nothing and load nothing.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::bridge;
use super::state::{use_state, AppState, Page};
use crate::i18n::*;

/// Whether a drag carries files (not text or a link).
fn carries_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer().is_some_and(|dt| dt.types().includes(&"Files".into(), 0))
}

/// Whether the drag is over a field that takes dropped text itself (a search box).
fn over_text_field(ev: &web_sys::DragEvent) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA") || el.is_content_editable()
}

fn dropped_files(ev: &web_sys::DragEvent) -> Vec<web_sys::File> {
    ev.data_transfer()
        .and_then(|dt| dt.files())
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default()
}

/// Hands dropped files to the mapping screen and shows the Data page, where that screen is.
fn load_dropped(state: AppState, files: Vec<web_sys::File>) {
    if files.is_empty() {
        return;
    }
    bridge::inspect_for_mapping(state, files);
    if state.page.get_untracked() != Page::Data {
        let _ = window().location().set_hash(&format!("#/{}", Page::Data.slug()));
        state.page.set(Page::Data);
    }
}

#[component]
pub fn DropZone() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // dragenter and dragleave fire for every element crossed: the overlay shows while more
    // elements were entered than left.
    let depth = RwSignal::new(0u32);
    let hide = move || depth.set(0);

    let _ = window_event_listener(leptos::ev::dragenter, move |ev| {
        if carries_files(&ev) {
            ev.prevent_default();
            depth.update(|d| *d += 1);
        }
    });
    let _ = window_event_listener(leptos::ev::dragleave, move |ev| {
        if carries_files(&ev) {
            depth.update(|d| *d = d.saturating_sub(1));
        }
    });
    let _ = window_event_listener(leptos::ev::dragover, move |ev| {
        let files = carries_files(&ev);
        if files || !over_text_field(&ev) {
            // Taking the drag over: without this the browser opens a dropped file (or link) in
            // place of the app. Text and links get "none", so they cannot be dropped at all.
            ev.prevent_default();
            if let Some(dt) = ev.data_transfer() {
                dt.set_drop_effect(if files { "copy" } else { "none" });
            }
        }
    });
    let _ = window_event_listener(leptos::ev::drop, move |ev| {
        hide();
        if carries_files(&ev) {
            ev.prevent_default();
            load_dropped(state, dropped_files(&ev));
        } else if !over_text_field(&ev) {
            ev.prevent_default();
        }
    });
    let _ = window_event_listener(leptos::ev::dragend, move |_| hide());
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && depth.get_untracked() > 0 {
            hide();
        }
    });

    let dragging = move || depth.get() > 0;
    view! {
        <Show when=dragging>
            // Only a picture of where to drop: keyboard users have the Data page's file button.
            <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
                <p class="drop-message">{t!(i18n, drop_files_here)}</p>
            </div>
        </Show>
    }
}
