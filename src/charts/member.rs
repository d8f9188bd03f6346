//! The member detail's charts: what the member spent on each purchase day over time, and
//! P(alive) at each month end of their history with the months they bought in.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::{category_axis, frame, frame_with_legend, grid, named, value_axis, with};
use crate::engine::dates::{day_from_ymd, format_day, Day};
use crate::engine::members::MemberDetail;

pub struct MemberLabels {
    pub p_alive: String,
    pub purchases: String,
    /// The timeline's series: what the day's purchases came to (¥).
    pub spend: String,
}

/// `2024-03-05` as a day number.
fn day_of(date: &str) -> Option<Day> {
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    day_from_ymd(y as i32, m, d)
}

/// Whether a membership ending on `expiry` (valid through that day) has lapsed by the end of
/// the analysis day; false when either date does not read.
pub fn membership_expired(expiry: &str, analysis_date: &str) -> bool {
    matches!((day_of(expiry), day_of(analysis_date)), (Some(e), Some(d)) if e < d)
}

/// Time-axis labels in digits (`2024`, `2024-07`, `07-15`): ECharts' own labels name the
/// months in English ("Jul") whatever the page's language.
fn numeric_time_labels() -> Value {
    json!({ "formatter": { "year": "{yyyy}", "month": "{yyyy}-{MM}", "day": "{MM}-{dd}", "hour": "{HH}:{mm}", "minute": "{HH}:{mm}" } })
}

/// The time axis from a little before the first day to a little after the last, so that the
/// bars at either end are drawn whole (a time axis otherwise ends on them).
fn padded_time_axis(first: Option<&str>, last: Option<&str>) -> Value {
    let axis = match (first.and_then(day_of), last.and_then(day_of)) {
        (Some(a), Some(b)) => {
            let pad = ((b - a) / 40).max(3);
            json!({ "type": "time", "min": format_day(a - pad), "max": format_day(b + pad) })
        }
        _ => json!({ "type": "time" }),
    };
    with(axis, json!({ "axisLabel": numeric_time_labels() }))
}

/// Bars of the amount of each purchase day on a time axis (gaps between visits show as gaps),
/// in yuan with the cents kept.
pub fn purchase_timeline(d: &MemberDetail, l: &MemberLabels) -> Value {
    let data: Vec<Value> = d.timeline.iter().map(|(day, cents)| json!([day, *cents as f64 / 100.0])).collect();
    let first = d.timeline.first().map(|(day, _)| day.as_str());
    let last = d.timeline.last().map(|(day, _)| day.as_str());
    with(
        frame(json!({ "trigger": "axis" })),
        json!({
            "grid": grid(),
            "xAxis": padded_time_axis(first, last),
            "yAxis": named(with(value_axis(), json!({ "axisLabel": { "formatter": "¥{value}" } })), &l.spend, false),
            "series": [{ "type": "bar", "name": l.spend, "data": data, "barMinWidth": 3, "barMaxWidth": 14 }]
        }),
    )
}

pub fn p_alive_history(d: &MemberDetail, l: &MemberLabels) -> Value {
    let months: Vec<&str> = d.p_alive_history.iter().map(|(m, _)| m.as_str()).collect();
    // `2026-03-05` → `2026-03`.
    let bought: HashSet<&str> = d.purchase_dates.iter().filter_map(|day| day.get(..7)).collect();
    let marks: Vec<Value> = months.iter().map(|m| if bought.contains(m) { json!(1.0) } else { Value::Null }).collect();
    let p: Vec<f64> = d.p_alive_history.iter().map(|(_, p)| (p * 1000.0).round() / 1000.0).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid(),
            "xAxis": category_axis(months),
            "yAxis": { "type": "value", "min": 0, "max": 1 },
            "series": [
                { "type": "line", "name": l.p_alive, "data": p, "showSymbol": false, "areaStyle": { "opacity": 0.12 } },
                { "type": "scatter", "name": l.purchases, "data": marks, "symbolSize": 8 }
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{assert_labelled, series_data};

    /// A detail with only what the charts read set (the rest as a member who never bought).
    fn member(p_alive_history: Vec<(String, f64)>, purchase_dates: &[&str], timeline: Vec<(String, i64)>) -> MemberDetail {
        let mut d: MemberDetail = serde_json::from_value(json!({
            "id": "1", "name": "", "phone_masked": "", "phone": "", "gender": "unknown", "birthday": null, "age": null,
            "zodiac": null, "star_sign": null, "tier": "", "store": "", "join_date": null, "expiry": null, "points": 0,
            "points_expiry": null, "balance_cents": 0, "tags": [],
            "summary": serde_json::to_value(crate::engine::summary::MemberSummary::default()).unwrap(),
            "recency_days": null, "tenure_days": null, "t": 0, "rfm": [0, 0, 0], "rfm_segment": null, "cn_rfm": null,
            "groups": [], "lifecycle": null, "layer": null, "quadrant": null, "tier_fit": null, "p_alive": null,
            "expected_purchases": null, "p_no_purchase": null, "risk": null, "value_12m_cents": null, "next_visit": null,
            "p_alive_history": [], "purchase_dates": [], "timeline": [], "categories": [], "work_lists": []
        }))
        .expect("a blank detail");
        d.p_alive_history = p_alive_history;
        d.purchase_dates = purchase_dates.iter().map(|s| s.to_string()).collect();
        d.timeline = timeline;
        d
    }

    fn labels() -> MemberLabels {
        MemberLabels { p_alive: "L-p-alive".into(), purchases: "L-purchases".into(), spend: "L-spend".into() }
    }

    #[test]
    fn history_with_the_months_bought_in() {
        let history = vec![("2024-01".into(), 1.0), ("2024-02".into(), 0.8765), ("2024-03".into(), 0.9)];
        let d = member(history, &["2024-01-05", "2024-03-20", "2024-03-28"], vec![]);
        let o = p_alive_history(&d, &labels());
        assert_eq!(o["xAxis"]["data"], json!(["2024-01", "2024-02", "2024-03"]));
        assert_eq!(series_data(&o, 0), &vec![json!(1.0), json!(0.877), json!(0.9)]);
        assert_eq!(series_data(&o, 1), &vec![json!(1.0), Value::Null, json!(1.0)]);
        assert_labelled(&o, &["L-p-alive", "L-purchases"]);
    }

    #[test]
    fn a_long_history_is_padded_by_a_fortieth_and_no_history_not_at_all() {
        // 2020-01-01 to 2024-01-01: 1,461 days, a fortieth is 36.
        let o = padded_time_axis(Some("2020-01-01"), Some("2024-01-01"));
        assert_eq!((&o["min"], &o["max"]), (&json!("2019-11-26"), &json!("2024-02-06")));
        assert_eq!(padded_time_axis(None, None).get("min"), None);
    }

    #[test]
    fn a_membership_has_expired_after_its_last_day() {
        assert!(membership_expired("2024-12-09", "2024-12-10"));
        assert!(!membership_expired("2024-12-09", "2024-12-09"), "valid through its last day");
        assert!(!membership_expired("2025-01-01", "2024-12-10"));
        assert!(!membership_expired("", "2024-12-10"));
    }

    #[test]
    fn the_timeline_names_months_in_digits_and_its_axis_in_yuan() {
        let d = member(vec![], &["2024-07-05"], vec![("2024-07-05".into(), 12_345)]);
        let o = purchase_timeline(&d, &labels());
        let months = o["xAxis"]["axisLabel"]["formatter"]["month"].as_str().unwrap_or("");
        assert_eq!(months, "{yyyy}-{MM}");
        // No `{MMM}` (an English month name) at any level.
        assert!(!o["xAxis"]["axisLabel"].to_string().contains("MMM"));
        assert_eq!(o["yAxis"]["axisLabel"]["formatter"], "¥{value}");
        assert_eq!(o["yAxis"]["name"], "L-spend");
        assert_eq!(series_data(&o, 0), &vec![json!(["2024-07-05", 123.45])]);
    }

    #[test]
    fn timeline_bars_each_purchase_day_in_yuan() {
        let d = member(vec![], &[], vec![("2024-01-10".into(), 12_050), ("2024-03-05".into(), 0), ("2024-06-01".into(), 6_000)]);
        let o = purchase_timeline(&d, &labels());
        assert_eq!(o["xAxis"]["type"], "time");
        // 143 days from the first to the last: padded by 3 days (143 / 40 rounds to 3) each side.
        assert_eq!((o["xAxis"]["min"].as_str(), o["xAxis"]["max"].as_str()), (Some("2024-01-07"), Some("2024-06-04")));
        assert_eq!(series_data(&o, 0), &vec![json!(["2024-01-10", 120.5]), json!(["2024-03-05", 0.0]), json!(["2024-06-01", 60.0])]);
        assert_eq!(o["series"][0]["type"], "bar");
        assert_labelled(&o, &["L-spend"]);
    }
}
