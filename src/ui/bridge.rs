//! The page's side of the worker protocol: spawns the engine's Web Worker, queues requests until
//! it is ready, and turns its responses into state changes (and settles the Promises handed out
//! by the automation interface).

use std::cell::RefCell;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::{File, MessageEvent, Worker};

use leptos::prelude::*;

use super::state::AppState;
use crate::protocol::{Progress, Request, Response, Stage};

struct Bridge {
    worker: Worker,
    ready: bool,
    queue: Vec<JsValue>,
    /// (resolve, reject) of every pending `load` Promise.
    waiters: Vec<(Function, Function)>,
    // Kept alive as long as the worker: dropping them would silently drop every reply.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static BRIDGE: RefCell<Option<Bridge>> = const { RefCell::new(None) };
}

/// Starts the worker. Called once, when the app mounts.
pub fn start(state: AppState) -> Result<(), JsValue> {
    let worker = Worker::new("./worker_loader.js")?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else { return };
        match serde_json::from_str::<Response>(&text) {
            Ok(response) => on_response(state, response),
            Err(e) => state.error.set(Some(format!("unreadable message from the worker: {e}"))),
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        let message = format!("the analysis engine stopped: {}", ev.message());
        state.progress.set(None);
        state.error.set(Some(message.clone()));
        settle(Err(message));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    BRIDGE.with(|b| {
        *b.borrow_mut() = Some(Bridge {
            worker,
            ready: false,
            queue: Vec::new(),
            waiters: Vec::new(),
            _on_message: on_message,
            _on_error: on_error,
        })
    });
    Ok(())
}

fn on_response(state: AppState, response: Response) {
    match response {
        Response::Ready => BRIDGE.with(|b| {
            if let Some(bridge) = b.borrow_mut().as_mut() {
                bridge.ready = true;
                for msg in bridge.queue.drain(..) {
                    let _ = bridge.worker.post_message(&msg);
                }
            }
        }),
        Response::Progress(p) => state.progress.set(Some(p)),
        Response::Loaded(analysis) => {
            let outcome = load_outcome(&analysis);
            state.analysis.set(Some(*analysis));
            state.progress.set(None);
            state.error.set(None);
            settle(Ok(outcome));
        }
        Response::Failed { message } => {
            state.progress.set(None);
            state.error.set(Some(message.clone()));
            settle(Err(message));
        }
    }
}

/// What `memberDashboard.load()` resolves with.
fn load_outcome(a: &crate::engine::analysis::Analysis) -> JsValue {
    let json = serde_json::json!({
        "ok": true,
        "dataset": a.dataset_name,
        "members": a.members,
        "transactions": a.transactions,
        "files": a.files,
    });
    js_sys::JSON::parse(&json.to_string()).unwrap_or(JsValue::NULL)
}

fn settle(result: Result<JsValue, String>) {
    let waiters = BRIDGE.with(|b| b.borrow_mut().as_mut().map(|b| std::mem::take(&mut b.waiters)).unwrap_or_default());
    for (resolve, reject) in waiters {
        let _ = match &result {
            Ok(v) => resolve.call1(&JsValue::NULL, v),
            Err(e) => reject.call1(&JsValue::NULL, &js_sys::Error::new(e)),
        };
    }
}

fn send(request: &Request, files: Option<Array>) {
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"request".into(), &request.to_json().into());
    if let Some(files) = files {
        let _ = js_sys::Reflect::set(&msg, &"files".into(), &files);
    }
    BRIDGE.with(|b| {
        if let Some(bridge) = b.borrow_mut().as_mut() {
            if bridge.ready {
                let _ = bridge.worker.post_message(&msg);
            } else {
                bridge.queue.push(msg.into());
            }
        }
    });
}

fn begin(state: AppState, stage: Stage) {
    state.error.set(None);
    state.progress.set(Some(Progress { stage, done: 0, total: 0 }));
}

/// Loads the built-in demo.
pub fn load_demo(state: AppState) {
    begin(state, Stage::Generating);
    send(&Request::LoadDemo { members: crate::engine::demo::DemoSpec::default().members }, None);
}

/// Loads files; the Promise settles when the worker has analysed them (or failed).
pub fn load_files(state: AppState, files: Vec<File>) -> Promise {
    let mut executor = |resolve: Function, reject: Function| {
        BRIDGE.with(|b| {
            if let Some(bridge) = b.borrow_mut().as_mut() {
                bridge.waiters.push((resolve, reject));
            }
        })
    };
    let promise = Promise::new(&mut executor);
    if files.is_empty() {
        settle(Err("no file was given".into()));
        return promise;
    }
    begin(state, Stage::Reading);
    let names = files.iter().map(|f| f.name()).collect();
    let array: Array = files.into_iter().collect();
    send(&Request::LoadFiles { names }, Some(array));
    promise
}
