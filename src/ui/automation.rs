//! `window.memberDashboard`: the interface for portals that embed the dashboard and for scripted
//! tests. `load(files)` takes a `FileList` or an array of `File`s and returns a Promise of the
//! load outcome; `report()` returns the current figures as a plain object.

use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use leptos::prelude::*;

use super::bridge;
use super::state::AppState;
use crate::engine::import::report::FileReport;
use crate::engine::overview::Kpis;

/// What `report()` returns.
#[derive(Serialize)]
struct Report {
    ready: bool,
    busy: bool,
    error: Option<String>,
    dataset: Option<String>,
    is_demo: bool,
    analysis_date: Option<String>,
    members: u64,
    transactions: u64,
    kpis: Option<Kpis>,
    files: Vec<FileReport>,
}

fn report(state: AppState) -> JsValue {
    let r = state.analysis.with_untracked(|a| Report {
        ready: a.is_some(),
        busy: state.progress.with_untracked(Option::is_some),
        error: state.error.get_untracked(),
        dataset: a.as_ref().map(|a| a.dataset_name.clone()),
        is_demo: a.as_ref().is_some_and(|a| a.is_demo),
        analysis_date: a.as_ref().map(|a| a.analysis_date.clone()),
        members: a.as_ref().map_or(0, |a| a.members),
        transactions: a.as_ref().map_or(0, |a| a.transactions),
        kpis: a.as_ref().map(|a| a.overview.kpis.clone()),
        files: a.as_ref().map(|a| a.files.clone()).unwrap_or_default(),
    });
    serde_json::to_string(&r).ok().and_then(|s| js_sys::JSON::parse(&s).ok()).unwrap_or(JsValue::NULL)
}

fn files_of(value: &JsValue) -> Vec<web_sys::File> {
    Array::from(value).iter().filter_map(|f| f.dyn_into::<web_sys::File>().ok()).collect()
}

pub fn install(state: AppState) {
    let api = Object::new();
    let load = Closure::<dyn Fn(JsValue) -> Promise>::new(move |files: JsValue| bridge::load_files(state, files_of(&files)));
    let rep = Closure::<dyn Fn() -> JsValue>::new(move || report(state));
    let demo = Closure::<dyn Fn()>::new(move || bridge::load_demo(state));
    let _ = Reflect::set(&api, &"load".into(), load.as_ref().unchecked_ref::<Function>());
    let _ = Reflect::set(&api, &"report".into(), rep.as_ref().unchecked_ref::<Function>());
    let _ = Reflect::set(&api, &"loadDemo".into(), demo.as_ref().unchecked_ref::<Function>());
    let _ = Reflect::set(&api, &"version".into(), &env!("CARGO_PKG_VERSION").into());
    // The page lives as long as these functions.
    load.forget();
    rep.forget();
    demo.forget();
    if let Some(w) = web_sys::window() {
        let _ = Reflect::set(&w, &"memberDashboard".into(), &api);
    }
}
