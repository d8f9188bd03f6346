//! Browser glue: a message in is an [`ExportTable`] as JSON text; the reply is
//! `{ ok: Uint8Array }` (its buffer transferred, not copied) or `{ error: "<why>" }`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use member_engine::export::ExportTable;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// A reply object `{ <key>: value }`.
fn reply(key: &str, value: &JsValue) -> js_sys::Object {
    let o = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&o, &JsValue::from_str(key), value);
    o
}

fn answer(text: &str) {
    let workbook = serde_json::from_str::<ExportTable>(text)
        .map_err(|e| format!("the export table could not be read: {e}"))
        .and_then(|t| member_xlsx::write(&t));
    // A failed post means the page is gone; there is nobody left to tell.
    let _ = match workbook {
        Ok(bytes) => {
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            drop(bytes);
            let transfer = js_sys::Array::of1(&array.buffer());
            scope().post_message_with_transfer(&reply("ok", &array), &transfer)
        }
        Err(e) => scope().post_message(&reply("error", &JsValue::from_str(&e))),
    };
}

/// Entry point of the worker binary: answers every message, then says it is ready.
pub fn start() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| match ev.data().as_string() {
        Some(text) => answer(&text),
        None => {
            let _ = scope().post_message(&reply("error", &JsValue::from_str("the message was not text")));
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope().post_message(&reply("ready", &JsValue::TRUE));
}
