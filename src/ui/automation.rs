//! `window.memberDashboard`: the interface for portals that embed the dashboard and for scripted
//! tests. `load(files)` takes a `FileList` or an array of `File`s and returns a Promise of the
//! load outcome; `report()` returns the current figures as a plain object; `setSettings(partial)`
//! changes thresholds as the settings panel does and resolves when the figures are recomputed
//! (it rejects, and nothing is saved, when the engine refuses them). Calls made together never
//! mix: each request to the engine carries an id and each Promise settles with its own answer;
//! if the engine stops, every pending Promise rejects with the reason and the page brings back
//! the last data set. `_crashWorker()` stops the engine on purpose, to test that recovery.

use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use leptos::prelude::*;

use super::bridge;
use super::failures::script_text;
use super::labels::{saved_setting_note, I18n};
use super::state::AppState;
use crate::engine::churn::Churn;
use crate::engine::import::report::FileReport;
use crate::engine::overview::Kpis;
use crate::engine::pyramid::{Pyramid, Quadrants, TierStat};
use crate::engine::segments::Segments;
use crate::engine::settings::Settings;
use crate::i18n::*;
use crate::protocol::Failure;
use crate::requests::{PageFailure, SavedSettingNote};

/// What `report()` returns.
#[derive(Serialize)]
struct Report {
    ready: bool,
    busy: bool,
    /// The failure the banner shows, in the words scripts get (see [`script_text`]).
    error: Option<String>,
    /// A note that is not an error (saved settings that were reset at start).
    notice: Option<String>,
    dataset: Option<String>,
    is_demo: bool,
    analysis_date: Option<String>,
    members: u64,
    transactions: u64,
    kpis: Option<Kpis>,
    months: Vec<crate::engine::overview::MonthPoint>,
    /// The KPI periods (30, 90, 365 days) with the period before and a year earlier.
    periods: Vec<crate::engine::overview::PeriodComparison>,
    segments: Option<Segments>,
    pyramid: Option<Pyramid>,
    quadrants: Option<Quadrants>,
    tiers: Vec<TierStat>,
    churn: Option<Churn>,
    predictions: Option<crate::engine::predict::Predictions>,
    settings: Settings,
    files: Vec<FileReport>,
    /// Every store of the data (the selector's choices).
    stores: Vec<String>,
    /// Every store of the whole data set compared (whatever the scope).
    store_rows: Vec<crate::engine::analysis::StoreRow>,
    /// The stores the figures are about; empty: all stores.
    scope: Vec<String>,
    /// Stores asked for that the data does not have.
    scope_unknown: Vec<String>,
    /// Set when the data are member summaries made in a warehouse: their date, whether monthly
    /// aggregates came with them.
    from_summary: Option<crate::engine::analysis::SummaryBasis>,
}

/// The saved settings reset at start: in English by their keys (scripts match on them), in
/// Chinese as the page says them.
fn notice_text(i18n: I18n, notes: &[SavedSettingNote]) -> Option<String> {
    if notes.is_empty() {
        return None;
    }
    let words: Vec<String> = match i18n.get_locale_untracked() {
        Locale::en => notes.iter().map(ToString::to_string).collect(),
        Locale::zh_CN => notes.iter().map(|n| saved_setting_note(i18n, n)).collect(),
    };
    Some(words.join("; "))
}

fn report(state: AppState, i18n: I18n) -> JsValue {
    let r = state.analysis.with_untracked(|a| Report {
        ready: a.is_some(),
        // Busy until the predictions, which follow the rest of the dashboard, have arrived.
        busy: state.progress.with_untracked(Option::is_some) || a.as_ref().is_some_and(|a| a.predictions.pending),
        error: state.error.with_untracked(|f| f.as_ref().map(|f| script_text(i18n, f))),
        notice: state.notice.with_untracked(|n| notice_text(i18n, n)),
        dataset: a.as_ref().map(|a| a.dataset_name.clone()),
        is_demo: a.as_ref().is_some_and(|a| a.is_demo),
        analysis_date: a.as_ref().map(|a| a.analysis_date.clone()),
        members: a.as_ref().map_or(0, |a| a.members),
        transactions: a.as_ref().map_or(0, |a| a.transactions),
        kpis: a.as_ref().map(|a| a.overview.kpis.clone()),
        months: a.as_ref().map(|a| a.overview.months.clone()).unwrap_or_default(),
        periods: a.as_ref().map(|a| a.overview.periods.clone()).unwrap_or_default(),
        segments: a.as_ref().map(|a| a.segments.clone()),
        pyramid: a.as_ref().map(|a| a.pyramid.clone()),
        quadrants: a.as_ref().map(|a| a.quadrants.clone()),
        tiers: a.as_ref().map(|a| a.tiers.clone()).unwrap_or_default(),
        churn: a.as_ref().map(|a| a.churn.clone()),
        predictions: a.as_ref().map(|a| a.predictions.clone()),
        settings: a.as_ref().map(|a| a.settings.clone()).unwrap_or_else(|| state.settings.get_untracked()),
        files: a.as_ref().map(|a| a.files.clone()).unwrap_or_default(),
        stores: a.as_ref().map(|a| a.stores.clone()).unwrap_or_default(),
        store_rows: a.as_ref().map(|a| a.store_rows.clone()).unwrap_or_default(),
        scope: a.as_ref().map(|a| a.scope.clone()).unwrap_or_default(),
        scope_unknown: a.as_ref().map(|a| a.scope_unknown.clone()).unwrap_or_default(),
        from_summary: a.as_ref().and_then(|a| a.from_summary.clone()),
    });
    serde_json::to_string(&r).ok().and_then(|s| js_sys::JSON::parse(&s).ok()).unwrap_or(JsValue::NULL)
}

/// A plain JS value as a serde type (through JSON); `None` when it does not fit.
fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    if value.is_undefined() || value.is_null() {
        return serde_json::from_str("{}").map_err(|e| e.to_string());
    }
    let json = js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default();
    serde_json::from_str(&json).map_err(|e| e.to_string())
}

/// The options of `members(filter, { offset, limit, sort })`.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ListOptions {
    offset: u32,
    limit: Option<u32>,
    sort: Option<crate::engine::members::Sort>,
}

/// `members(filter, options)`: a Promise of `{ total, members, revenue_cents, offset, rows }`;
/// rejects, saying why, for a filter or options it cannot read.
fn members(state: AppState, filter: &JsValue, options: &JsValue) -> Promise {
    let filter = match from_js::<crate::engine::members::MemberFilter>(filter) {
        Ok(f) => f,
        Err(e) => return Promise::reject(&js_sys::Error::new(&format!("members(filter): the filter cannot be read: {e}"))),
    };
    let options = match from_js::<ListOptions>(options) {
        Ok(o) => o,
        Err(e) => return Promise::reject(&js_sys::Error::new(&format!("members(filter, options): the options cannot be read: {e}"))),
    };
    bridge::members(state, filter, options.sort.unwrap_or_default(), options.offset, options.limit.unwrap_or(100))
}

/// The options of `exportList(filter, format, options)`.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ExportOptions {
    columns: Option<Vec<crate::engine::members::Column>>,
    sort: Option<crate::engine::members::Sort>,
    title: Option<String>,
    full_phones: bool,
}

/// The columns of an export when the script names none: the Members page's defaults, and the
/// reason when the filter names a work list.
fn default_columns(filter: &crate::engine::members::MemberFilter) -> Vec<crate::engine::members::Column> {
    use crate::engine::members::{Column, Condition};
    let mut columns = Column::DEFAULT.to_vec();
    if filter.all.iter().any(|c| matches!(c, Condition::WorkList { .. })) {
        columns.push(Column::Reason);
    }
    columns
}

/// `exportList(filter, format, options)`: a Promise of the file as a `Blob`, the same bytes the
/// download button saves (`format`: `'csv'` or `'xlsx'`).
fn export_list(state: AppState, i18n: I18n, filter: &JsValue, format: &JsValue, options: &JsValue) -> Promise {
    use crate::engine::export::{ExportFormat, ExportSpec};
    let reject = |what: &str, e: String| Promise::reject(&js_sys::Error::new(&format!("exportList: {what} cannot be read: {e}")));
    let filter = match from_js::<crate::engine::members::MemberFilter>(filter) {
        Ok(f) => f,
        Err(e) => return reject("the filter", e),
    };
    let format = match format.as_string().as_deref() {
        Some("csv") | None => ExportFormat::Csv,
        Some("xlsx") => ExportFormat::Xlsx,
        Some(other) => return reject("the format", format!("\"{other}\" is neither 'csv' nor 'xlsx'")),
    };
    let o = match from_js::<ExportOptions>(options) {
        Ok(o) => o,
        Err(e) => return reject("the options", e),
    };
    let spec = ExportSpec {
        columns: o.columns.unwrap_or_else(|| default_columns(&filter)),
        sort: o.sort.unwrap_or_default(),
        words: super::export_button::export_words(i18n),
        full_phones: o.full_phones,
        title: o.title.unwrap_or_else(|| t_string!(i18n, nav_members).to_string()),
        filter,
    };
    bridge::export(state, spec, format, false)
}

/// `workLists()`: a Promise of `{ analysis_date, lists: [{ key, members, available, name, rule }],
/// points_outstanding, balance_outstanding_cents, cycles }`, the names and rules in the page's
/// language with the settings in force.
fn work_lists(state: AppState, i18n: I18n) -> Promise {
    use super::worklists_page::{list_name, list_rule};
    let settings = state.settings.get_untracked();
    let (promise, settle) = bridge::new_promise();
    let Some((resolve, reject)) = settle else { return promise };
    let with_words = move |overview: JsValue| -> JsValue {
        let Ok(o) = from_js::<crate::engine::worklists::WorkListsOverview>(&overview) else { return overview };
        let lists: Vec<serde_json::Value> = o
            .lists
            .iter()
            .map(|l| {
                let mut v = serde_json::to_value(l).unwrap_or_default();
                if let Some(m) = v.as_object_mut() {
                    m.insert("name".into(), list_name(i18n, l.key).into());
                    m.insert("rule".into(), list_rule(i18n, l.key, &settings, &o.analysis_date).into());
                }
                v
            })
            .collect();
        let mut out = serde_json::to_value(&o).unwrap_or_default();
        if let Some(m) = out.as_object_mut() {
            m.insert("lists".into(), lists.into());
        }
        js_sys::JSON::parse(&out.to_string()).unwrap_or(overview)
    };
    let ok = Closure::once(move |overview: JsValue| {
        let _ = resolve.call1(&JsValue::NULL, &with_words(overview));
    });
    let failed = Closure::once(move |e: JsValue| {
        let _ = reject.call1(&JsValue::NULL, &e);
    });
    let _ = bridge::work_lists(state).then2(&ok, &failed);
    // Each runs at most once; the Promise keeps them until then.
    ok.forget();
    failed.forget();
    promise
}

/// The options of `loadApi(options)` (besides `fetchToken`, a function).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ApiOptions {
    base: String,
    #[serde(default)]
    credentials: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    page_size: Option<u32>,
    #[serde(default)]
    timeout_ms: Option<u32>,
    #[serde(default = "yes")]
    members: bool,
}

fn yes() -> bool {
    true
}

/// `loadApi({ base, credentials: 'token'|'cookie', token, fetchToken, pageSize, timeoutMs,
/// members })`: loads from an HTTP API; a Promise of the load outcome, or rejected with the
/// reason (in the words the page shows).
fn load_api(state: AppState, options: &JsValue) -> Promise {
    use crate::embed::Credentials;
    let fetch_token = Reflect::get(options, &"fetchToken".into()).ok().and_then(|f| f.dyn_into::<Function>().ok());
    // `fetchToken` is a function: JSON leaves it out, so the rest is read as data.
    let o = match from_js::<ApiOptions>(options) {
        Ok(o) => o,
        Err(e) => return Promise::reject(&js_sys::Error::new(&format!("loadApi(options): the options cannot be read: {e}"))),
    };
    let credentials = match o.credentials.as_deref() {
        None | Some("token") | Some("none") => Credentials::Token,
        Some("cookie") => Credentials::Cookie,
        Some(other) => return Promise::reject(&js_sys::Error::new(&format!("loadApi(options): credentials \"{other}\" is neither 'token' nor 'cookie'"))),
    };
    super::api_load::set_fetch_token(fetch_token);
    if let Some(t) = o.token {
        super::api_load::supply_token(t);
    }
    let mut source = super::api_load::ApiSource::new(o.base, credentials);
    source.page_size = o.page_size.unwrap_or(source.page_size);
    source.timeout_ms = o.timeout_ms.unwrap_or(source.timeout_ms).clamp(100, 600_000);
    source.members = o.members;
    super::api_load::load(state, source)
}

fn files_of(value: &JsValue) -> Vec<web_sys::File> {
    Array::from(value).iter().filter_map(|f| f.dyn_into::<web_sys::File>().ok()).collect()
}

pub fn install(state: AppState) {
    let i18n = crate::i18n::use_i18n();
    let api = Object::new();
    let load = Closure::<dyn Fn(JsValue) -> Promise>::new(move |files: JsValue| bridge::load_files(state, files_of(&files)));
    let rep = Closure::<dyn Fn() -> JsValue>::new(move || report(state, i18n));
    let demo = Closure::<dyn Fn()>::new(move || bridge::load_demo(state));
    let set_settings = Closure::<dyn Fn(JsValue) -> Promise>::new(move |partial: JsValue| {
        // Anything that is not an object (nothing, a function) is refused as not an object.
        let json = js_sys::JSON::stringify(&partial).ok().and_then(|s| s.as_string()).unwrap_or_default();
        let value = serde_json::from_str::<serde_json::Value>(&json).unwrap_or_default();
        match state.settings.get_untracked().merge_json(&value) {
            Ok(settings) => bridge::set_settings(state, settings),
            Err(e) => Promise::reject(&js_sys::Error::new(&script_text(i18n, &PageFailure::Engine(Failure::Settings(e))))),
        }
    });
    let _ = Reflect::set(&api, &"load".into(), load.as_ref().unchecked_ref::<Function>());
    let _ = Reflect::set(&api, &"report".into(), rep.as_ref().unchecked_ref::<Function>());
    let _ = Reflect::set(&api, &"loadDemo".into(), demo.as_ref().unchecked_ref::<Function>());
    let _ = Reflect::set(&api, &"setSettings".into(), set_settings.as_ref().unchecked_ref::<Function>());
    let member = Closure::<dyn Fn(JsValue) -> Promise>::new(move |id: JsValue| bridge::member(state, id.as_string().unwrap_or_default()));
    let _ = Reflect::set(&api, &"member".into(), member.as_ref().unchecked_ref::<Function>());
    member.forget();
    let bench = Closure::<dyn Fn(JsValue) -> Promise>::new(move |copies: JsValue| bridge::benchmark_fit(state, copies.as_f64().unwrap_or(1.0).max(1.0) as usize));
    let _ = Reflect::set(&api, &"benchmarkFit".into(), bench.as_ref().unchecked_ref::<Function>());
    bench.forget();
    let crash = Closure::<dyn Fn() -> Promise>::new(move || bridge::crash_worker(state));
    let _ = Reflect::set(&api, &"_crashWorker".into(), crash.as_ref().unchecked_ref::<Function>());
    crash.forget();
    let list = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(move |f: JsValue, o: JsValue| members(state, &f, &o));
    let _ = Reflect::set(&api, &"members".into(), list.as_ref().unchecked_ref::<Function>());
    list.forget();
    let export = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> Promise>::new(move |f: JsValue, fmt: JsValue, o: JsValue| export_list(state, i18n, &f, &fmt, &o));
    let _ = Reflect::set(&api, &"exportList".into(), export.as_ref().unchecked_ref::<Function>());
    export.forget();
    let api_load = Closure::<dyn Fn(JsValue) -> Promise>::new(move |options: JsValue| load_api(state, &options));
    let _ = Reflect::set(&api, &"loadApi".into(), api_load.as_ref().unchecked_ref::<Function>());
    api_load.forget();
    let token = Closure::<dyn Fn(JsValue)>::new(move |token: JsValue| super::api_load::supply_token(token.as_string().unwrap_or_default()));
    let _ = Reflect::set(&api, &"setToken".into(), token.as_ref().unchecked_ref::<Function>());
    token.forget();
    let idle = Closure::<dyn Fn() -> Promise>::new(bridge::when_idle);
    let _ = Reflect::set(&api, &"whenIdle".into(), idle.as_ref().unchecked_ref::<Function>());
    idle.forget();
    let lists = Closure::<dyn Fn() -> Promise>::new(move || work_lists(state, i18n));
    let _ = Reflect::set(&api, &"workLists".into(), lists.as_ref().unchecked_ref::<Function>());
    lists.forget();
    let _ = Reflect::set(&api, &"version".into(), &env!("CARGO_PKG_VERSION").into());
    // The page lives as long as these functions.
    load.forget();
    rep.forget();
    demo.forget();
    set_settings.forget();
    if let Some(w) = web_sys::window() {
        let _ = Reflect::set(&w, &"memberDashboard".into(), &api);
    }
}
