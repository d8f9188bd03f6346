//! The browser's localStorage for the Members page's choices (columns, saved filters). Anything
//! unreadable reads as nothing: a bad entry never stops the page.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::ui::prefs::storage as local;

/// The value saved under `key`, `None` when absent or not valid JSON of that shape.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = local()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(json)) = (local(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &json);
    }
}
