//! The filter builder's catalogue: every dimension of [`Condition`], grouped as the "Add filter"
//! menu shows them, with its editor kind, its choices and a condition summarised in words
//! ("RFM segment: Champions or Loyal", "Spend ≥ ¥1,000").
//!
//! A condition is edited as its JSON object (`{"by": "rfm", "any": [...]}`, the URL's form): one
//! editor per kind of field instead of one per variant keeps the page small.

use serde_json::{json, Map, Value};

use crate::engine::members::{Condition, StarSign, Zodiac};
use crate::engine::model::Gender;
use crate::engine::predict::Risk;
use crate::engine::pyramid::{LayerKey, Quadrant, TierFit};
use crate::engine::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};
use crate::engine::worklists::WorkListKey;
use crate::format::{thousands, yuan};
use crate::i18n::*;
use crate::ui::labels::{cn_name, group_name, layer_name, life_name, quadrant_name, rfm_name, risk_name, tier_fit_name, I18n};

use super::words::{gender_name, month_name, star_name, zodiac_name};
use crate::ui::worklists_page::list_name;

/// How a dimension is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editor {
    /// Chips of the dimension's values (`any`).
    Choice,
    /// Checkboxes of the twelve months (`any`).
    Months,
    /// Values as in the data, typed (`any` of strings); chips when the data lists them.
    Text,
    /// `min` / `max` numbers.
    Num,
    /// `min` / `max` in yuan.
    Money,
    /// `min` / `max` as fractions, typed as percentages.
    Percent,
    /// `from` / `to` dates.
    Date,
    /// Categories bought (`any`) and `not_since`.
    Category,
    /// `month` and `offset`.
    Cohort,
    /// One work list (`list`).
    WorkList,
    /// No value: the condition is the dimension itself.
    Flag,
}

/// The "Add filter" menu's groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Segments,
    Value,
    Profile,
    Dates,
    Money,
    Store,
    Lists,
}

/// Every dimension: its JSON name (`by`), its group and its editor.
pub const DIMENSIONS: &[(&str, Group, Editor)] = &[
    ("rfm", Group::Segments, Editor::Choice),
    ("r_score", Group::Segments, Editor::Choice),
    ("f_score", Group::Segments, Editor::Choice),
    ("m_score", Group::Segments, Editor::Choice),
    ("cn_rfm", Group::Segments, Editor::Choice),
    ("group", Group::Segments, Editor::Choice),
    ("layer", Group::Segments, Editor::Choice),
    ("quadrant", Group::Segments, Editor::Choice),
    ("lifecycle", Group::Segments, Editor::Choice),
    ("risk", Group::Value, Editor::Choice),
    ("p_alive", Group::Value, Editor::Percent),
    ("high_value_high_risk", Group::Value, Editor::Flag),
    ("gender", Group::Profile, Editor::Choice),
    ("age", Group::Profile, Editor::Num),
    ("birthday_month", Group::Profile, Editor::Months),
    ("zodiac", Group::Profile, Editor::Choice),
    ("star_sign", Group::Profile, Editor::Choice),
    ("tags", Group::Profile, Editor::Text),
    ("joined", Group::Dates, Editor::Date),
    ("membership_days", Group::Dates, Editor::Num),
    ("first_purchase", Group::Dates, Editor::Date),
    ("last_purchase", Group::Dates, Editor::Date),
    ("expiry", Group::Dates, Editor::Date),
    ("cohort", Group::Dates, Editor::Cohort),
    ("visits", Group::Money, Editor::Num),
    ("spend", Group::Money, Editor::Money),
    ("spend12m", Group::Money, Editor::Money),
    ("avg_ticket", Group::Money, Editor::Money),
    ("category", Group::Money, Editor::Category),
    ("points", Group::Money, Editor::Num),
    ("balance", Group::Money, Editor::Money),
    ("store", Group::Store, Editor::Text),
    ("tier", Group::Store, Editor::Text),
    ("tier_fit", Group::Store, Editor::Choice),
    ("work_list", Group::Lists, Editor::WorkList),
];

pub const GROUPS: [Group; 7] = [Group::Segments, Group::Value, Group::Profile, Group::Dates, Group::Money, Group::Store, Group::Lists];

/// The dimensions of `g`, in menu order.
pub fn dimensions_of(g: Group) -> impl Iterator<Item = &'static str> {
    DIMENSIONS.iter().filter(move |d| d.1 == g).map(|d| d.0)
}

pub fn editor(by: &str) -> Editor {
    DIMENSIONS.iter().find(|d| d.0 == by).map_or(Editor::Flag, |d| d.2)
}

pub fn group_label(i18n: I18n, g: Group) -> String {
    match g {
        Group::Segments => t_string!(i18n, ml_grp_segments),
        Group::Value => t_string!(i18n, ml_grp_value),
        Group::Profile => t_string!(i18n, ml_grp_profile),
        Group::Dates => t_string!(i18n, ml_grp_dates),
        Group::Money => t_string!(i18n, ml_grp_money),
        Group::Store => t_string!(i18n, ml_grp_store),
        Group::Lists => t_string!(i18n, ml_grp_lists),
    }
    .to_string()
}

pub fn label(i18n: I18n, by: &str) -> String {
    match by {
        "rfm" => t_string!(i18n, ml_dim_rfm),
        "r_score" => t_string!(i18n, col_r_score),
        "f_score" => t_string!(i18n, col_f_score),
        "m_score" => t_string!(i18n, ml_dim_m_score),
        "cn_rfm" => t_string!(i18n, col_cn_rfm),
        "group" => t_string!(i18n, ml_dim_value_group),
        "layer" => t_string!(i18n, col_layer),
        "quadrant" => t_string!(i18n, col_quadrant),
        "lifecycle" => t_string!(i18n, col_lifecycle),
        "risk" => t_string!(i18n, col_risk),
        "p_alive" => t_string!(i18n, col_p_alive),
        "high_value_high_risk" => t_string!(i18n, ml_dim_hvhr),
        "gender" => t_string!(i18n, col_gender),
        "age" => t_string!(i18n, col_age),
        "birthday_month" => t_string!(i18n, ml_dim_birthday_month),
        "zodiac" => t_string!(i18n, col_zodiac),
        "star_sign" => t_string!(i18n, col_star_sign),
        "tags" => t_string!(i18n, col_tags),
        "joined" => t_string!(i18n, col_joined),
        "membership_days" => t_string!(i18n, col_membership_days),
        "first_purchase" => t_string!(i18n, col_first_purchase),
        "last_purchase" => t_string!(i18n, col_last_purchase),
        "expiry" => t_string!(i18n, col_expiry),
        "cohort" => t_string!(i18n, ml_dim_cohort),
        "visits" => t_string!(i18n, col_visits),
        "spend" => t_string!(i18n, col_spend),
        "spend12m" => t_string!(i18n, col_spend_12m),
        "avg_ticket" => t_string!(i18n, col_avg_ticket),
        "category" => t_string!(i18n, ml_dim_category),
        "points" => t_string!(i18n, col_points),
        "balance" => t_string!(i18n, col_balance),
        "store" => t_string!(i18n, col_store),
        "tier" => t_string!(i18n, col_tier),
        "tier_fit" => t_string!(i18n, col_tier_fit),
        "work_list" => t_string!(i18n, ml_dim_work_list),
        other => other,
    }
    .to_string()
}

fn keyed<K: serde::Serialize + Copy>(keys: &[K], name: impl Fn(K) -> String) -> Vec<(Value, String)> {
    keys.iter().map(|k| (serde_json::to_value(k).unwrap_or(Value::Null), name(*k))).collect()
}

/// The values to choose from (JSON value, words). For values as in the data (tiers,
/// categories), `data`'s; empty for typed dimensions.
pub fn choices(i18n: I18n, by: &str, data: &[String]) -> Vec<(Value, String)> {
    let scores = || (1..=5u8).map(|n| (json!(n), n.to_string())).collect();
    match by {
        "rfm" => keyed(RfmSegment::ALL, |k| rfm_name(i18n, k)),
        "r_score" | "f_score" | "m_score" => scores(),
        "cn_rfm" => keyed(CnRfmClass::ALL, |k| cn_name(i18n, k)),
        "group" => keyed(ValueGroup::ALL, |k| group_name(i18n, k)),
        "layer" => keyed(&LayerKey::ALL, |k| layer_name(i18n, k)),
        "quadrant" => keyed(&Quadrant::ALL, |k| quadrant_name(i18n, k)),
        "lifecycle" => keyed(Lifecycle::ALL, |k| life_name(i18n, k)),
        "risk" => keyed(&Risk::ALL, |k| risk_name(i18n, k)),
        "tier_fit" => keyed(&[TierFit::Upgrade, TierFit::Downgrade], |k| tier_fit_name(i18n, k)),
        "gender" => keyed(&[Gender::Female, Gender::Male, Gender::Unknown], |k| gender_name(i18n, k)),
        "zodiac" => keyed(&Zodiac::ALL, |k| zodiac_name(i18n, k)),
        "star_sign" => keyed(&StarSign::ALL, |k| star_name(i18n, k)),
        "birthday_month" => (1..=12u8).map(|n| (json!(n), month_name(i18n, n))).collect(),
        "work_list" => keyed(&WorkListKey::ALL, |k| list_name(i18n, k)),
        "tier" | "category" | "store" | "tags" => data.iter().map(|t| (json!(t), t.clone())).collect(),
        _ => Vec::new(),
    }
}

/// A new, empty condition of dimension `by` as the editor holds it.
pub fn empty(by: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("by".into(), json!(by));
    match editor(by) {
        Editor::Choice | Editor::Months | Editor::Text | Editor::Category => {
            m.insert("any".into(), json!([]));
        }
        Editor::Cohort => {
            m.insert("month".into(), json!(""));
            m.insert("offset".into(), json!(0));
        }
        _ => {}
    }
    m
}

/// The condition the editor holds, once it says something (a value chosen, a bound typed).
pub fn build(draft: &Map<String, Value>) -> Option<Condition> {
    let said = match editor(draft.get("by").and_then(Value::as_str).unwrap_or_default()) {
        Editor::Choice | Editor::Months | Editor::Text | Editor::Category => {
            draft.get("any").and_then(Value::as_array).is_some_and(|a| !a.is_empty())
        }
        Editor::Num | Editor::Money | Editor::Percent => draft.contains_key("min") || draft.contains_key("max"),
        Editor::Date => draft.contains_key("from") || draft.contains_key("to"),
        Editor::Cohort => draft.get("month").and_then(Value::as_str).is_some_and(|m| m.len() == 7),
        Editor::WorkList => draft.contains_key("list"),
        Editor::Flag => true,
    };
    if !said {
        return None;
    }
    serde_json::from_value(Value::Object(draft.clone())).ok()
}

/// The condition as the editor holds it.
pub fn draft_of(c: &Condition) -> Map<String, Value> {
    match serde_json::to_value(c) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// A bound as shown: money as `¥1,000`, a share as `40%`, a whole number with separators.
pub fn bound_text(e: Editor, v: f64) -> String {
    match e {
        Editor::Money => yuan((v * 100.0).round() as i64),
        Editor::Percent => format!("{}%", trim_number(v * 100.0)),
        _ => trim_number(v),
    }
}

fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        thousands(v as i64)
    } else {
        format!("{:.2}", v).trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `≥ a`, `≤ b`, `a–b` (or `= a`).
fn range_text(lo: Option<String>, hi: Option<String>) -> String {
    match (lo, hi) {
        (Some(a), Some(b)) if a == b => format!("= {a}"),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => String::new(),
    }
}

/// The condition in words: `RFM segment: Champions or Loyal`, `Spend ≥ ¥1,000`.
pub fn summary(i18n: I18n, c: &Condition) -> String {
    let m = draft_of(c);
    let by = m.get("by").and_then(Value::as_str).unwrap_or_default();
    let name = label(i18n, by);
    let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    let num = |k: &str| m.get(k).and_then(Value::as_f64);
    let values = || {
        let options = choices(i18n, by, &[]);
        let any = m.get("any").and_then(Value::as_array).cloned().unwrap_or_default();
        any.iter()
            .map(|v| options.iter().find(|o| o.0 == *v).map(|o| o.1.clone()).unwrap_or_else(|| v.as_str().map_or(v.to_string(), str::to_string)))
            .collect::<Vec<_>>()
            .join(t_string!(i18n, ml_or))
    };
    match editor(by) {
        Editor::Choice | Editor::Months | Editor::Text => format!("{name}: {}", values()),
        Editor::Num | Editor::Money | Editor::Percent => {
            let e = editor(by);
            format!("{name} {}", range_text(num("min").map(|v| bound_text(e, v)), num("max").map(|v| bound_text(e, v))))
        }
        Editor::Date => format!("{name} {}", range_text(text("from"), text("to"))),
        Editor::Category => match text("not_since") {
            Some(d) => format!("{name}: {}, {}", values(), crate::charts::fill(t_string!(i18n, ml_not_since_summary), &[("date", &d)])),
            None => format!("{name}: {}", values()),
        },
        Editor::Cohort => crate::charts::fill(
            t_string!(i18n, cohort_cell),
            &[("month", &text("month").unwrap_or_default()), ("n", &num("offset").unwrap_or(0.0).to_string())],
        ),
        Editor::WorkList => {
            let list = m.get("list").cloned().unwrap_or(Value::Null);
            let words = choices(i18n, by, &[]).into_iter().find(|o| o.0 == list).map(|o| o.1).unwrap_or_default();
            format!("{name}: {words}")
        }
        Editor::Flag => name,
    }
}
