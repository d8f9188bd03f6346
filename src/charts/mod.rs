//! ECharts options and the "Table" view rows, built by plain functions from the engine's result
//! types: one module per page, the pieces every chart shares here. Labels come in already
//! translated, so all of this compiles and is tested natively; the components only place the
//! charts and wire their clicks.

pub mod churn;
pub mod member;
pub mod overview;
pub mod predictions;
pub mod pyramid;
pub mod segments;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::engine::pyramid::LayerKey;

/// A key's JSON name (`"champions"`, `"A"`, `"high"`), the same the member filters use; chart
/// items carry it so a click can say which key it was.
pub fn key_of<K: Serialize>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The key a chart item carried, back as its type (`None` for anything else).
pub fn parse_key<K: DeserializeOwned>(key: &str) -> Option<K> {
    serde_json::from_value(Value::String(key.to_string())).ok()
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

/// The numbers of a chart as a table (the "Table" view under it): translated headers, rows of
/// formatted cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The tooltip every chart has. (Saving as PNG is the chart box's own button, not ECharts'
/// toolbox, which would add 15 KB gzip to the page.)
pub fn frame(tooltip: Value) -> Value {
    // Transparent: in dark mode the card shows through instead of ECharts' own dark box.
    json!({ "tooltip": tooltip, "backgroundColor": "transparent" })
}

/// [`frame`] with the series legend on the top line, at the left (the PNG button is at the right).
pub fn frame_with_legend(tooltip: Value) -> Value {
    with(frame(tooltip), json!({ "legend": { "left": 0, "top": 0 } }))
}

/// A plot under the legend line, its axis labels inside the box.
pub fn grid() -> Value {
    json!({ "left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": true })
}

/// [`grid`] with room below for an x-axis name written under the axis ([`named`] in the middle):
/// `containLabel` leaves axis names out.
pub fn grid_with_x_name() -> Value {
    with(grid(), json!({ "bottom": 32 }))
}

/// A heat map's plot: fixed margins, room for the axis names and the colour scale at the right.
pub fn heat_grid(left: u32) -> Value {
    json!({ "left": left, "right": 90, "top": 32, "bottom": 48 })
}

/// The colour scale of a heat map whose third value is coloured, from 0 to `max`.
pub fn heat_scale(max: f64, item_height: u32) -> Value {
    json!({ "min": 0, "max": max, "dimension": 2, "calculable": true, "orient": "vertical", "right": 0, "top": "middle", "itemHeight": item_height })
}

pub fn category_axis<T: Serialize>(data: T) -> Value {
    json!({ "type": "category", "data": data })
}

pub fn value_axis() -> Value {
    json!({ "type": "value" })
}

/// A value axis of percentages (the data are 0–100).
pub fn percent_axis() -> Value {
    json!({ "type": "value", "axisLabel": { "formatter": "{value}%" } })
}

/// An axis with its name centred along it (x axes), or at its end (`middle` false: y axes).
pub fn named(axis: Value, name: &str, middle: bool) -> Value {
    if middle {
        with(axis, json!({ "name": name, "nameLocation": "middle", "nameGap": 26 }))
    } else {
        with(axis, json!({ "name": name }))
    }
}

/// `base` with the keys of `more` added (or replaced).
pub fn with(mut base: Value, more: Value) -> Value {
    if let (Value::Object(b), Value::Object(m)) = (&mut base, more) {
        b.extend(m);
    }
    base
}

/// A share (0..=1) as a percentage with one decimal, as the charts plot it: `0.1234` → `12.3`.
pub fn percent_value(share: f64) -> f64 {
    (share * 1000.0).round() / 10.0
}

/// Cents as whole yuan, as the charts plot them.
pub fn yuan_value(cents: f64) -> f64 {
    (cents / 100.0).round()
}

/// The key a clicked item carries (`{"key": "champions", …}`), as its type.
pub fn clicked_key<K: DeserializeOwned>(data: &Value) -> Option<K> {
    data.get("key").and_then(Value::as_str).and_then(parse_key)
}

/// `%n%`-style placeholders filled in, for texts built outside a view: leptos_i18n's own `{{ }}`
/// interpolation builds views, and its string form needs an option `load_locales!` cannot set.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |s, (k, v)| s.replace(&format!("%{k}%"), v))
}

#[cfg(test)]
pub(crate) mod testing {
    use serde_json::Value;

    /// Every `name` in the option (axes, series, items) that is an empty string, by path.
    pub fn empty_names(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "name" && x.as_str() == Some("") {
                        out.push(path.to_string());
                    }
                    empty_names(x, &format!("{path}.{k}"), out);
                }
            }
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| empty_names(x, &format!("{path}[{i}]"), out)),
            _ => {}
        }
    }

    /// Fails unless each label is somewhere in the option and no name in it is empty.
    pub fn assert_labelled(option: &Value, labels: &[&str]) {
        let text = option.to_string();
        for l in labels {
            assert!(text.contains(&format!("\"{l}\"")), "label {l:?} missing from {text}");
        }
        let mut empty = Vec::new();
        empty_names(option, "", &mut empty);
        assert!(empty.is_empty(), "empty names at {empty:?}");
    }

    /// The series' `data` of the option, by series index.
    pub fn series_data(option: &Value, i: usize) -> &Vec<Value> {
        option["series"][i]["data"].as_array().expect("series data")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::predict::Risk;
    use crate::engine::pyramid::Quadrant;
    use crate::engine::segments::RfmSegment;

    #[test]
    fn keys_go_out_and_back() {
        assert_eq!(key_of(&RfmSegment::PotentialLoyalist), "potential_loyalist");
        assert_eq!(key_of(&LayerKey::C), "C");
        assert_eq!(key_of(&Risk::High), "high");
        for q in Quadrant::ALL {
            assert_eq!(parse_key::<Quadrant>(&key_of(&q)), Some(q));
            assert_eq!(key_of(&q), q.key());
        }
        for k in LayerKey::ALL {
            assert_eq!(key_of(&k), layer_letter(k));
        }
        assert_eq!(parse_key::<Risk>("nonsense"), None);
        assert_eq!(clicked_key::<RfmSegment>(&json!({ "key": "lost", "value": 3 })), Some(RfmSegment::Lost));
        assert_eq!(clicked_key::<RfmSegment>(&json!([1, 2])), None);
    }

    #[test]
    fn shared_pieces() {
        assert_eq!(percent_value(0.12345), 12.3);
        assert_eq!(yuan_value(12_350.0), 124.0);
        let axis = named(value_axis(), "Visits", true);
        assert_eq!(axis, json!({ "type": "value", "name": "Visits", "nameLocation": "middle", "nameGap": 26 }));
        assert_eq!(fill("Month %n%", &[("n", "3")]), "Month 3");
        let f = frame_with_legend(json!({ "trigger": "axis" }));
        assert!(f["legend"].is_object() && f["tooltip"].is_object() && f.get("toolbox").is_none());
    }
}
