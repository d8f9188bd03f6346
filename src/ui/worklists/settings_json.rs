//! The work lists' settings read and changed by their JSON names (`replenish_window_days`,
//! `category_cycles` …) through [`Settings::merge_json`], the same checked path as
//! `memberDashboard.setSettings`. A key the engine does not know is simply not offered.

use leptos::prelude::*;
use serde_json::{json, Value};

use crate::engine::settings::{Settings, SettingsError};
use crate::protocol::Failure;
use crate::requests::PageFailure;
use crate::ui::state::AppState;

/// Whether the engine has the setting `key`.
pub fn known(key: &str) -> bool {
    Settings::KEYS.contains(&key)
}

/// A setting's value as JSON (`None`: no such setting).
fn value(settings: &Settings, key: &str) -> Option<Value> {
    match serde_json::to_value(settings) {
        Ok(Value::Object(mut map)) => map.remove(key),
        _ => None,
    }
}

/// A numeric setting's value.
pub fn number(settings: &Settings, key: &str) -> Option<f64> {
    value(settings, key).and_then(|v| v.as_f64())
}

/// Uses the settings in force with `key` set to `value` (a whole number: every work-list
/// setting counts days, points or cents), or shows why the engine refuses it.
pub fn set_whole(state: AppState, key: &str, value: i64) {
    merge_and_apply(state, json!({ key: value }));
}

/// Uses the settings in force with `category`'s usage cycle set to `days` (`None`: the user's
/// cycle removed, the learned or usual one applies again).
pub fn set_cycle(state: AppState, category: &str, days: Option<u16>) {
    let settings = state.settings.get_untracked();
    if let Some(cycles) = value(&settings, "category_cycles").and_then(|c| with_cycle(c, category, days)) {
        merge_and_apply(state, json!({ "category_cycles": cycles }));
    }
}

/// `cycles` (a map `{"洁面": 80}` or a list of pairs `[["洁面", 80]]`, as the engine keeps
/// them) with `category`'s entry replaced or removed.
fn with_cycle(cycles: Value, category: &str, days: Option<u16>) -> Option<Value> {
    match cycles {
        Value::Object(mut map) => {
            match days {
                Some(d) => map.insert(category.to_string(), json!(d)),
                None => map.remove(category),
            };
            Some(Value::Object(map))
        }
        Value::Array(list) => {
            let mut kept: Vec<Value> =
                list.into_iter().filter(|pair| pair.get(0).and_then(Value::as_str) != Some(category)).collect();
            if let Some(d) = days {
                kept.push(json!([category, d]));
            }
            Some(Value::Array(kept))
        }
        _ => None,
    }
}

fn merge_and_apply(state: AppState, change: Value) {
    match state.settings.get_untracked().merge_json(&change) {
        Ok(settings) => crate::ui::settings_panel::apply(state, settings),
        Err(e) => refuse(state, e),
    }
}

fn refuse(state: AppState, e: SettingsError) {
    state.error.set(Some(PageFailure::Engine(Failure::Settings(e))));
}
