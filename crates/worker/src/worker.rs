//! The Web Worker that runs the engine, so that long work never freezes the page. Browser glue
//! only: what to answer is [`member_engine::session::Session`]'s (plain, tested natively).
//!
//! Messages in are `{ request: "<Envelope as JSON>", files?: File[] }` (the files of an `Inspect`
//! or a `Load`); messages out are `Reply` JSON strings naming the request they answer. The loaded
//! data set stays here; the page only gets aggregates.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use member_engine::import::load::FileSource;
use member_engine::session::{Host, Session};
use member_engine::protocol::{Envelope, Reply, Request, RequestId, Response};
use crate::files::BrowserFiles;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new(Host { now_ms, memory_bytes: wasm_memory_bytes }));
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
            Ok(Envelope { id, request }) => handle(id, request, &files),
            Err(bad) => post_reply(bad.id, Response::Failed(bad.failure)),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post_reply(None, Response::Ready);
}

fn handle(id: RequestId, request: Request, files: &JsValue) {
    if request == Request::Crash {
        panic!("the page asked the engine to stop (a test of the recovery)");
    }
    // Only an inspect or a load reads files (a query never needs a FileReaderSync).
    let mut files = matches!(request, Request::Inspect { .. } | Request::Load { .. })
        .then(|| BrowserFiles::from_js(files))
        .flatten();
    let files = files.as_mut().map(|f| f as &mut dyn FileSource);
    SESSION.with(|s| s.borrow_mut().handle(request, files, &mut |response| post_reply(Some(id), response)));
}

fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            now.call0(&p).ok()
        })
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0)
}
