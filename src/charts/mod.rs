//! ECharts options and the "Table" view rows, built by plain functions from the engine's result
//! types: one module per page, the pieces every chart shares here. Labels come in already
//! translated, so all of this compiles and is tested natively; the components only place the
//! charts and wire their clicks.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::engine::pyramid::LayerKey;

/// A key's JSON name (`"champions"`, `"A"`, `"high"`), the same the member filters use; chart
/// items carry it so a click can say which key it was.
pub fn key_of<K: Serialize>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The key a chart item carried, back as its type (`None` for anything else).
pub fn parse_key<K: DeserializeOwned>(key: &str) -> Option<K> {
    serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
}

/// `A` … `D`.
pub fn layer_letter(key: LayerKey) -> &'static str {
    match key {
        LayerKey::A => "A",
        LayerKey::B => "B",
        LayerKey::C => "C",
        LayerKey::D => "D",
    }
}
