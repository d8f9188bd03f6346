//! IndexedDB as "Keep this data on this device" needs it: one database, one store, one entry
//! (the files themselves — IndexedDB stores `File`s — with the name and plans to read them
//! again). Each step opens the database and closes it when done, so no connection of this tab
//! ever holds up "Forget all data" in another.

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::requests::keep_words::StorageProblem;

const DATABASE: &str = "member-dashboard";
const STORE: &str = "kept";
const ENTRY: &str = "dataset";
/// What a deletion's promise rejects with when another connection holds the database open.
const BLOCKED: &str = "blocked";

/// The data set kept: what `bridge::replay_files` needs to read it again.
pub struct Entry {
    pub name: String,
    /// The table plans as JSON (as the page's serde writes them).
    pub plans_json: String,
    /// The `File`s.
    pub files: Array,
}

/// Stores `entry`, replacing what was kept.
pub async fn put(entry: &Entry) -> Result<(), StorageProblem> {
    let db = open().await?;
    let written = write(&db, entry).await;
    db.close();
    written
}

/// The entry kept; [`StorageProblem::Missing`] when there is none.
pub async fn get() -> Result<Entry, StorageProblem> {
    let db = open().await?;
    let read = read(&db).await;
    db.close();
    read
}

/// Deletes the whole database (nothing of ours is left in IndexedDB).
pub async fn delete_all() -> Result<(), StorageProblem> {
    let request = factory()?.delete_database(DATABASE).map_err(problem)?;
    settled(&request, Some(&request)).await.map(|_| ())
}

/// The browser's words for a refusal, sorted.
pub fn problem(e: JsValue) -> StorageProblem {
    if e.as_string().as_deref() == Some(BLOCKED) {
        return StorageProblem::Blocked;
    }
    let text = |key: &str| Reflect::get(&e, &key.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let name = text("name");
    if name.is_empty() {
        return StorageProblem::Failed { detail: e.as_string().unwrap_or_default() };
    }
    StorageProblem::from_browser(&name, &text("message"))
}

fn factory() -> Result<IdbFactory, StorageProblem> {
    let window = web_sys::window().ok_or(StorageProblem::Unavailable { detail: String::new() })?;
    match window.indexed_db() {
        Ok(Some(factory)) => Ok(factory),
        // No IndexedDB at all (some private modes, an old browser).
        Ok(None) => Err(StorageProblem::Unavailable { detail: String::new() }),
        Err(e) => Err(match problem(e) {
            StorageProblem::Failed { detail } => StorageProblem::Unavailable { detail },
            other => other,
        }),
    }
}

async fn open() -> Result<IdbDatabase, StorageProblem> {
    let request = factory()?.open_with_u32(DATABASE, 1).map_err(problem)?;
    // First use (or after a deletion): the store is made before `success`.
    let target = request.clone();
    let on_upgrade = Closure::once_into_js(move |_: Event| {
        if let Some(db) = target.result().ok().and_then(|db| db.dyn_into::<IdbDatabase>().ok()) {
            let _ = db.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db = settled(&request, None).await?;
    db.dyn_into::<IdbDatabase>().map_err(|_| StorageProblem::Failed { detail: String::new() })
}

async fn write(db: &IdbDatabase, entry: &Entry) -> Result<(), StorageProblem> {
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).map_err(problem)?;
    let value = Object::new();
    let fields: [(&str, JsValue); 3] = [("name", entry.name.as_str().into()), ("plans", entry.plans_json.as_str().into()), ("files", entry.files.clone().into())];
    for (key, field) in fields {
        Reflect::set(&value, &key.into(), &field).map_err(problem)?;
    }
    tx.object_store(STORE).map_err(problem)?.put_with_key(&value, &ENTRY.into()).map_err(problem)?;
    // Written only once the transaction completes (a full disk aborts it there).
    committed(&tx).await
}

async fn read(db: &IdbDatabase) -> Result<Entry, StorageProblem> {
    let tx = db.transaction_with_str(STORE).map_err(problem)?;
    let request = tx.object_store(STORE).map_err(problem)?.get(&ENTRY.into()).map_err(problem)?;
    let value = settled(&request, None).await?;
    if value.is_undefined() || value.is_null() {
        return Err(StorageProblem::Missing);
    }
    let field = |key: &str| Reflect::get(&value, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let (name, plans_json, files) = (field("name").as_string(), field("plans").as_string(), field("files"));
    match (name, plans_json, Array::is_array(&files)) {
        (Some(name), Some(plans_json), true) => Ok(Entry { name, plans_json, files: files.unchecked_into() }),
        _ => Err(StorageProblem::Unreadable { detail: String::new() }),
    }
}

/// A request's result once it succeeds; its error once it fails (or [`BLOCKED`] for an open or
/// a deletion another connection holds up).
async fn settled(request: &IdbRequest, blockable: Option<&IdbOpenDbRequest>) -> Result<JsValue, StorageProblem> {
    let promise = Promise::new(&mut |resolve, reject| {
        let (ok, bad) = (request.clone(), request.clone());
        let on_success = Closure::once_into_js(move |_: Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let reject_blocked = reject.clone();
        let on_error = Closure::once_into_js(move |_: Event| {
            let _ = reject.call1(&JsValue::NULL, &Reflect::get(&bad, &"error".into()).unwrap_or(JsValue::NULL));
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
        if let Some(open) = blockable {
            let on_blocked = Closure::once_into_js(move |_: Event| {
                let _ = reject_blocked.call1(&JsValue::NULL, &BLOCKED.into());
            });
            open.set_onblocked(Some(on_blocked.unchecked_ref()));
        }
    });
    JsFuture::from(promise).await.map_err(problem)
}

/// Resolves when `tx` has completed; fails with its error when it aborts.
async fn committed(tx: &IdbTransaction) -> Result<(), StorageProblem> {
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let aborted = tx.clone();
        let on_abort = Closure::once_into_js(move |_: Event| {
            let _ = reject.call1(&JsValue::NULL, &Reflect::get(&aborted, &"error".into()).unwrap_or(JsValue::NULL));
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(problem)
}
