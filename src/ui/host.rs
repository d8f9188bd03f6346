//! Talking to the page that embeds the dashboard (an iframe's parent, or the element
//! `mountMemberDashboard` made): events out, commands in, each message checked
//! ([`crate::embed::read_command`]). The bridge and the pages call [`emit`]; the variants are
//! the events the README documents.
//!
//! Events go to `window.parent` only when the page is in a frame and the URL's `origins` allow
//! the parent's origin (`postMessage` with that origin as target, so the browser drops it for
//! any other parent), and to scripts on the same page as a `member-dashboard` CustomEvent on
//! `window`. Commands are taken only from the allowed origins; others are ignored without an
//! answer.

use std::cell::{Cell, OnceCell};

use js_sys::Reflect;
use leptos::prelude::*;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use web_sys::MessageEvent;

use super::state::AppState;
use crate::embed::{Command, EmbedOptions, Incoming, Language, OptionProblem, SOURCE};
use crate::engine::members::MemberFilter;
use crate::i18n::{use_i18n, Locale};
use crate::route::{Page, Route};

/// What the dashboard tells its host.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum HostEvent {
    /// The app has started and takes commands.
    Ready,
    /// A data set's figures are shown (predictions follow).
    #[serde(rename_all = "camelCase")]
    DataLoaded { dataset: String, members: u64, transactions: u64, is_demo: bool },
    /// A load failed; `message` in the page's language.
    LoadFailed { message: String },
    /// The analyses of the data set in force are done (after a load or new settings).
    AnalysesFinished,
    /// The predictions of the data set in force are done.
    PredictionsFinished,
    PageChanged { page: String },
    FilterChanged { filter: MemberFilter },
    MemberOpened { id: String },
    #[serde(rename_all = "camelCase")]
    ListExported { format: String, file_name: String },
    /// The document's height in CSS pixels (rounded), whenever it changes.
    HeightChanged { height: u32 },
    /// The API load needs a (fresh) bearer token: answer with the `setToken` command.
    TokenRequested,
    /// A command was carried out (`load`: once its figures are shown; `result` has its counts).
    CommandDone {
        command: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<Value>,
    },
    /// A message from the host was refused, a command failed or a URL option was ignored
    /// (`detail` says why; `id` and `command` are the message's, when it had them).
    Error {
        detail: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        command: Option<String>,
    },
}

thread_local! {
    static OPTIONS: OnceCell<(EmbedOptions, Vec<OptionProblem>)> = const { OnceCell::new() };
    /// The last height told, and whether a measure waits for the next frame.
    static HEIGHT: Cell<Option<u32>> = const { Cell::new(None) };
    static FRAME_PENDING: Cell<bool> = const { Cell::new(false) };
    static TIMER_PENDING: Cell<bool> = const { Cell::new(false) };
}

fn read_options() -> (EmbedOptions, Vec<OptionProblem>) {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let read = EmbedOptions::from_query(&search);
    if let Some(without) = crate::embed::query_without_token(&search) {
        take_out_of_address(&without);
    }
    read
}

/// Replaces the page's query by `query` (no reload, no history entry).
fn take_out_of_address(query: &str) {
    let Some(w) = web_sys::window() else { return };
    let location = w.location();
    let url = format!("{}{}{}", location.pathname().unwrap_or_default(), query, location.hash().unwrap_or_default());
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The options in the page's URL, read once.
pub fn options() -> EmbedOptions {
    OPTIONS.with(|o| o.get_or_init(read_options).0.clone())
}

fn option_problems() -> Vec<OptionProblem> {
    OPTIONS.with(|o| o.get_or_init(read_options).1.clone())
}

/// Whether the page is inside a frame.
pub fn embedded() -> bool {
    let Some(w) = web_sys::window() else { return false };
    match w.parent() {
        Ok(Some(parent)) => {
            let (me, parent): (&JsValue, &JsValue) = (w.as_ref(), parent.as_ref());
            me != parent
        }
        _ => false,
    }
}

/// Sends `event` to the host: to an allowed parent, and as a `member-dashboard` CustomEvent on
/// this window.
pub fn emit(event: HostEvent) {
    let Ok(Value::Object(fields)) = serde_json::to_value(&event) else { return };
    let mut message = Map::new();
    message.insert("source".into(), Value::String(SOURCE.into()));
    message.extend(fields);
    let Ok(js) = js_sys::JSON::parse(&Value::Object(message).to_string()) else { return };
    post_to_parent(&js);
    dispatch_on_window(&js);
}

fn post_to_parent(message: &JsValue) {
    let allowed = options().origins;
    if allowed.is_empty() || !embedded() {
        return;
    }
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else { return };
    for origin in target_origins(&allowed) {
        let _ = parent.post_message(message, &origin);
    }
}

/// The allowed origins to post to. Where the browser says the parent's origin (Chromium,
/// Safari: `location.ancestorOrigins`), only that one if allowed — posting to the others would
/// only log "target origin does not match" in the console.
fn target_origins(allowed: &[String]) -> Vec<String> {
    match parent_origin() {
        Some(parent) if parent != "null" => allowed.iter().filter(|o| **o == parent).cloned().collect(),
        _ => allowed.to_vec(),
    }
}

fn parent_origin() -> Option<String> {
    let location = web_sys::window()?.location();
    let list = Reflect::get(&location, &JsValue::from_str("ancestorOrigins")).ok()?;
    if list.is_undefined() || list.is_null() {
        return None;
    }
    Reflect::get(&list, &JsValue::from_str("0")).ok()?.as_string()
}

fn dispatch_on_window(detail: &JsValue) {
    let Some(w) = web_sys::window() else { return };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict("member-dashboard", &init) {
        let _ = w.dispatch_event(&ev);
    }
}

/// Starts talking to the host (once, when the app has started): takes commands, reports the
/// height when in a frame, says which URL options were ignored, then `ready`.
pub fn start(state: AppState) {
    let i18n = use_i18n();
    let _ = window_event_listener(leptos::ev::message, move |ev: MessageEvent| on_message(state, i18n, ev));
    if embedded() {
        watch_height();
        watch_visible_part();
    }
    emit(HostEvent::Ready);
    for problem in option_problems() {
        leptos::logging::warn!("member dashboard: {problem}");
        emit(HostEvent::Error { detail: problem.to_string(), id: None, command: None });
    }
}

fn on_message(state: AppState, i18n: leptos_i18n::I18nContext<Locale>, ev: MessageEvent) {
    // Not on the allow-list: not even an answer, which would tell a stranger the page is here.
    if !options().allows(&ev.origin()) {
        return;
    }
    let data = js_sys::JSON::stringify(&ev.data())
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .unwrap_or(Value::Null);
    match crate::embed::read_command(&data) {
        Incoming::NotOurs => {}
        Incoming::Bad { id, command, detail } => emit(HostEvent::Error { detail, id, command }),
        Incoming::Command { id, command } => run(state, i18n, id, command),
    }
}

fn run(state: AppState, i18n: leptos_i18n::I18nContext<Locale>, id: Option<Value>, command: Command) {
    let name = command.name().to_string();
    match command {
        Command::Load { name: file_name, file } => return load_rows(state, id, file_name, file),
        Command::SetFilter(filter) => show_filter(state, filter),
        Command::Navigate(page) => navigate(state, page),
        Command::SetLocale(language) => i18n.set_locale(locale(language)),
        Command::SetTheme { dark } => {
            state.dark.set(dark);
            super::prefs::apply_theme(dark);
        }
        Command::SetToken(token) => super::api_panel::supply_token(token),
    }
    emit(HostEvent::CommandDone { command: name, id, result: None });
}

pub fn locale(language: Language) -> Locale {
    match language {
        Language::En => Locale::en,
        Language::ZhCn => Locale::zh_CN,
    }
}

/// Records handed in: read as one JSON file, with the same checks and load report as a file
/// dropped on the Data page. Answered once the figures are shown (or the load failed).
fn load_rows(state: AppState, id: Option<Value>, file_name: String, file: String) {
    let parts = js_sys::Array::of1(&JsValue::from_str(&file));
    let Ok(file) = web_sys::File::new_with_str_sequence(&parts, &file_name) else {
        return emit(HostEvent::Error { detail: "the rows could not be made into a file".into(), id, command: Some("load".into()) });
    };
    let promise = super::bridge::load_files(state, vec![file]);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(outcome) => emit(HostEvent::CommandDone { command: "load".into(), id, result: Some(to_json(&outcome)) }),
            Err(e) => emit(HostEvent::Error { detail: error_text(&e), id, command: Some("load".into()) }),
        }
    });
}

fn to_json(value: &JsValue) -> Value {
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null)
}

/// The message of a rejected Promise (an `Error`, or a string).
fn error_text(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_default()
}

/// Moves to `route` without a new history entry: commands from the host must not fill the
/// host's back button (a frame's entries are the page's).
fn replace_hash(route: &Route) {
    let _ = window().location().replace(&route.to_hash());
}

fn navigate(state: AppState, page: Page) {
    // The Members page keeps the filter it shows.
    let filter = (page == Page::Members).then(|| state.member_filter.get_untracked());
    replace_hash(&Route { page, filter });
    state.page.set(page);
}

fn show_filter(state: AppState, filter: MemberFilter) {
    replace_hash(&Route::members(filter.clone()));
    state.member_origin.set(String::new());
    if state.member_filter.with_untracked(|f| *f != filter) {
        state.member_filter.set(filter);
    }
    state.page.set(Page::Members);
}

/// Reports the document's height whenever it changes: a ResizeObserver on `<html>` (whose
/// height is its content's in a frame: style/embed.css), measured once per animation frame.
/// Browsers stop rendering a cross-origin frame that is off screen, and with it resize
/// observers and animation frames; a MutationObserver and a timer measure it then, so a frame
/// below the fold has its height before it is scrolled to.
fn watch_height() {
    let Some(root) = document().document_element() else { return };
    let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(|_| measure_soon());
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&root);
        std::mem::forget(observer);
    }
    let on_mutation = Closure::<dyn FnMut(js_sys::Array)>::new(|_| measure_soon());
    if let Ok(observer) = web_sys::MutationObserver::new(on_mutation.as_ref().unchecked_ref()) {
        let what = web_sys::MutationObserverInit::new();
        what.set_child_list(true);
        what.set_subtree(true);
        what.set_attributes(true);
        what.set_character_data(true);
        let _ = observer.observe_with_options(&root, &what);
        std::mem::forget(observer);
    }
    // The observers and their callbacks live as long as the page.
    on_resize.forget();
    on_mutation.forget();
    measure_soon();
}

/// How long the timer waits, for a frame the browser does not render.
const UNRENDERED_MEASURE_MS: i32 = 200;

fn measure_soon() {
    if !FRAME_PENDING.with(|p| p.replace(true)) {
        let measure = Closure::once_into_js(|| {
            FRAME_PENDING.with(|p| p.set(false));
            report_height();
        });
        if window().request_animation_frame(measure.unchecked_ref()).is_err() {
            FRAME_PENDING.with(|p| p.set(false));
        }
    }
    if !TIMER_PENDING.with(|p| p.replace(true)) {
        let measure = Closure::once_into_js(|| {
            TIMER_PENDING.with(|p| p.set(false));
            report_height();
        });
        let timer = window().set_timeout_with_callback_and_timeout_and_arguments_0(measure.unchecked_ref(), UNRENDERED_MEASURE_MS);
        if timer.is_err() {
            TIMER_PENDING.with(|p| p.set(false));
        }
    }
}

fn report_height() {
    let Some(root) = document().document_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    let height = root.offset_height().max(0) as u32;
    if HEIGHT.with(|h| h.replace(Some(height))) != Some(height) {
        emit(HostEvent::HeightChanged { height });
    }
}

/// Keeps `--embed-visible-top` and `--embed-visible-height` on `<html>`: the part of the frame
/// the host's page shows, where style/embed.css opens dialogs (a frame as tall as its content
/// has its own viewport everywhere, mostly out of sight). In steps of 1% of the frame's height.
fn watch_visible_part() {
    let Some(root) = document().document_element() else { return };
    let on_change = Closure::<dyn FnMut(js_sys::Array)>::new(|entries: js_sys::Array| {
        let Some(entry) = entries.iter().last().and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok()) else { return };
        let seen = entry.intersection_rect();
        if seen.height() > 0.0 {
            set_visible_part(seen.top(), seen.height());
        }
    });
    let options = web_sys::IntersectionObserverInit::new();
    let steps: js_sys::Array = (0..=100).map(|i| JsValue::from_f64(f64::from(i) / 100.0)).collect();
    options.set_threshold(&steps);
    if let Ok(observer) = web_sys::IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &options) {
        observer.observe(&root);
        std::mem::forget(observer);
    }
    on_change.forget();
}

fn set_visible_part(top: f64, height: f64) {
    let Some(root) = document().document_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    let style = root.style();
    let _ = style.set_property("--embed-visible-top", &format!("{}px", top.max(0.0).round()));
    let _ = style.set_property("--embed-visible-height", &format!("{}px", height.round()));
}
