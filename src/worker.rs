//! The Web Worker that runs the engine, so that long work never freezes the page.
//!
//! Messages in are `{ request: "<Envelope as JSON>", files?: File[] }` (the files of an `Inspect`
//! or a `Load`); messages out are `Reply` JSON strings naming the request they answer. The loaded
//! data set stays here; the page only gets aggregates.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::analysis::{add_predictions, analyse_without_predictions, Classified, Computed};
use crate::engine::import::report::FileReport;
use crate::engine::members::{detail, list};
use crate::engine::settings::Settings;
use crate::engine::demo::{generate, DemoSpec};
use crate::engine::model::Dataset;
use crate::engine::summary::Summaries;
use crate::protocol::{Envelope, Progress, Reply, Request, RequestId, Response, Stage};

use crate::engine::import::load::{inspect_files, load, InspectError};
use crate::worker_files::BrowserFiles;

/// What the worker keeps between requests (for the queries of later pages).
struct Loaded {
    dataset: Dataset,
    summaries: Summaries,
    classified: Classified,
    is_demo: bool,
    files: Vec<FileReport>,
    /// The BG/NBD parameters, when trusted (for member details).
    model: Option<crate::engine::models::bgnbd::BgNbdParams>,
}

thread_local! {
    static LOADED: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    static SETTINGS: RefCell<Settings> = RefCell::new(Settings::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post_reply(id: Option<RequestId>, response: Response) {
    // A failed post means the page is gone; there is nobody left to tell.
    let _ = scope().post_message(&JsValue::from_str(&Reply { id, response }.to_json()));
}

/// Entry point of the worker binary.
pub fn start() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let data = ev.data();
        let text = js_sys::Reflect::get(&data, &JsValue::from_str("request")).ok().and_then(|v| v.as_string()).unwrap_or_default();
        let files = js_sys::Reflect::get(&data, &JsValue::from_str("files")).unwrap_or(JsValue::UNDEFINED);
        match Envelope::from_json(&text) {
            Ok(Envelope { id, request }) => handle(&Replier { id }, request, files),
            Err((id, message)) => post_reply(id, Response::Failed { message }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post_reply(None, Response::Ready);
}

/// Posts the replies to one request.
struct Replier {
    id: RequestId,
}

impl Replier {
    fn post(&self, response: Response) {
        post_reply(Some(self.id), response);
    }

    fn progress(&self, stage: Stage, done: u64, total: u64) {
        self.post(Response::Progress(Progress { stage, done, total }));
    }
}

fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0)
}

fn handle(reply: &Replier, req: Request, files: JsValue) {
    // The analysis date belongs to a data set: a new one starts at its own last day.
    let new_data_set = req.loads_data();
    let result = match req {
        Request::LoadDemo { members } => {
            reply.progress(Stage::Generating, 0, 0);
            let spec = DemoSpec { members, ..Default::default() };
            Ok((generate(&spec), Vec::new(), true))
        }
        Request::Inspect { .. } => {
            match BrowserFiles::from_js(&files).map_err(InspectError::Other).and_then(|mut f| inspect_files(&mut f)) {
                Ok(previews) => reply.post(Response::Inspected { previews }),
                Err(InspectError::NotData { file, reason }) => reply.post(Response::Refused { file, reason }),
                Err(InspectError::Other(message)) => reply.post(Response::Failed { message }),
            }
            return;
        }
        Request::SetSettings { settings } => {
            // The page checks too; the engine never runs with settings it refuses.
            if let Err(e) = settings.validate() {
                return reply.post(Response::Failed { message: e.to_string() });
            }
            SETTINGS.with(|s| *s.borrow_mut() = settings);
            // Recompute what is loaded with the new thresholds.
            let reloaded = LOADED.with(|l| l.borrow_mut().take());
            match reloaded {
                Some(l) => Ok((l.dataset, l.files, l.is_demo)),
                None => return reply.post(Response::SettingsStored),
            }
        }
        Request::Members { filter, offset, limit } => {
            LOADED.with(|l| match l.borrow().as_ref() {
                Some(l) => reply.post(Response::Members(list(&l.dataset, &l.summaries, &l.classified, &filter, offset, limit))),
                None => reply.post(Response::Failed { message: "no data is loaded".into() }),
            });
            return;
        }
        Request::Member { id } => {
            LOADED.with(|l| {
                let d = l.borrow().as_ref().and_then(|l| {
                    detail(&l.dataset, &l.summaries, &l.classified, l.model.as_ref(), &id)
                });
                reply.post(Response::Member { id, detail: d.map(Box::new) });
            });
            return;
        }
        Request::BenchFit { copies } => {
            LOADED.with(|l| {
                let Some(l) = l.borrow().as_ref().map(|l| {
                    l.summaries.members.iter().filter(|s| s.purchase_days > 0).map(crate::engine::predict::history_of).collect::<Vec<_>>()
                }) else {
                    return reply.post(Response::Failed { message: "no data is loaded".into() });
                };
                let data: Vec<_> = l.iter().cycle().take(l.len() * copies.max(1)).copied().collect();
                let clock = || js_sys::Reflect::get(&js_sys::global(), &"performance".into())
                    .ok()
                    .and_then(|p| js_sys::Reflect::get(&p, &"now".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()).and_then(|f| f.call0(&p).ok()))
                    .and_then(|v| v.as_f64())
                    .unwrap_or(0.0);
                let start = clock();
                let fit = crate::engine::models::bgnbd::fit(&data);
                let milliseconds = clock() - start;
                reply.post(Response::BenchFit { customers: data.len(), milliseconds, params: fit.map(|f| f.params) });
            });
            return;
        }
        Request::Load { name, plans } => match BrowserFiles::from_js(&files) {
            Err(_) => Err("no files to read: choose them again".to_string()),
            Ok(mut files) => {
                reply.progress(Stage::Reading, 0, 0);
                let mut last_posted = 0.0;
                load(&name, &plans, &mut files, &mut |done, total| {
                    // A progress message per percent is plenty.
                    let f = done as f64 / total.max(1) as f64;
                    if f - last_posted >= 0.01 || done == total {
                        last_posted = f;
                        reply.progress(Stage::Reading, done, total);
                    }
                })
                .map(|(ds, reports)| (ds, reports, false))
            }
        },
        Request::Crash => panic!("the page asked the engine to stop (a test of the recovery)"),
    };
    match result {
        Ok((dataset, reports, is_demo)) => {
            reply.progress(Stage::Summarising, 0, 0);
            if new_data_set {
                SETTINGS.with(|s| s.borrow_mut().analysis_date = None);
            }
            let settings = SETTINGS.with(|s| s.borrow().clone());
            let mut computed = analyse_without_predictions(&dataset, None, is_demo, &settings);
            let mut analysis = computed.analysis.clone();
            analysis.files = reports.clone();
            analysis.engine_memory_bytes = wasm_memory_bytes();
            reply.progress(Stage::Analysing, 1, 1);
            // The dashboard first; the predictions (model fits) follow in a second message.
            reply.post(Response::Loaded(Box::new(analysis)));
            add_predictions(&dataset, &mut computed, &settings);
            reply.post(Response::Predictions(Box::new(computed.analysis.predictions.clone())));
            let Computed { summaries, classified, analysis: done } = computed;
            let model = done.predictions.bgnbd.as_ref().filter(|_| done.predictions.trusted).map(|f| f.params);
            LOADED.with(|l| {
                *l.borrow_mut() = Some(Loaded { dataset, summaries, classified, is_demo, files: reports, model });
            });
        }
        Err(message) => reply.post(Response::Failed { message }),
    }
}
