//! The member detail's chart: P(alive) at each month end of the member's history, with the
//! months they bought in.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::{category_axis, frame_with_legend, grid, with};
use crate::engine::members::MemberDetail;

pub struct MemberLabels {
    pub p_alive: String,
    pub purchases: String,
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
    use crate::engine::summary::MemberSummary;

    #[test]
    fn history_with_the_months_bought_in() {
        let d = MemberDetail {
            id: "1".into(),
            name: String::new(),
            phone_masked: String::new(),
            tier: String::new(),
            store: String::new(),
            join_date: None,
            summary: MemberSummary::default(),
            recency_days: None,
            tenure_days: None,
            t: 0,
            rfm: [0; 3],
            rfm_segment: None,
            cn_rfm: None,
            groups: vec![],
            lifecycle: None,
            layer: None,
            quadrant: None,
            p_alive: None,
            expected_purchases: None,
            p_no_purchase: None,
            risk: None,
            value_12m_cents: None,
            next_visit: None,
            p_alive_history: vec![("2024-01".into(), 1.0), ("2024-02".into(), 0.8765), ("2024-03".into(), 0.9)],
            purchase_dates: vec!["2024-01-05".into(), "2024-03-20".into(), "2024-03-28".into()],
        };
        let l = MemberLabels { p_alive: "L-p-alive".into(), purchases: "L-purchases".into() };
        let o = p_alive_history(&d, &l);
        assert_eq!(o["xAxis"]["data"], json!(["2024-01", "2024-02", "2024-03"]));
        assert_eq!(series_data(&o, 0), &vec![json!(1.0), json!(0.877), json!(0.9)]);
        assert_eq!(series_data(&o, 1), &vec![json!(1.0), Value::Null, json!(1.0)]);
        assert_labelled(&o, &["L-p-alive", "L-purchases"]);
    }
}
