//! The Overview page's chart: revenue and active members per month.

use serde_json::{json, Value};

use super::{category_axis, frame_with_legend, grid, value_axis, with, yuan_value, Table};
use crate::engine::overview::Overview;
use crate::format::{thousands, yuan};

pub struct OverviewLabels {
    pub month: String,
    pub revenue: String,
    pub active: String,
}

/// Revenue (bars, left axis) and active members (line, right axis) per month.
pub fn monthly(o: &Overview, l: &OverviewLabels) -> Value {
    let months: Vec<&str> = o.months.iter().map(|m| m.month.as_str()).collect();
    let revenue: Vec<f64> = o.months.iter().map(|m| yuan_value(m.revenue_cents as f64)).collect();
    let active: Vec<u32> = o.months.iter().map(|m| m.active_members).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid(),
            "xAxis": category_axis(months),
            "yAxis": [value_axis(), value_axis()],
            "series": [
                { "type": "bar", "name": l.revenue, "data": revenue },
                { "type": "line", "name": l.active, "yAxisIndex": 1, "data": active }
            ]
        }),
    )
}

pub fn monthly_table(o: &Overview, l: &OverviewLabels) -> Table {
    Table {
        head: vec![l.month.clone(), l.revenue.clone(), l.active.clone()],
        rows: o.months.iter().map(|m| vec![m.month.clone(), yuan(m.revenue_cents), thousands(m.active_members as i64)]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{assert_labelled, series_data};
    use crate::engine::overview::MonthPoint;

    fn labels() -> OverviewLabels {
        OverviewLabels { month: "L-month".into(), revenue: "L-revenue".into(), active: "L-active".into() }
    }

    fn two_months() -> Overview {
        let m = |month: &str, revenue_cents, active_members| MonthPoint { month: month.into(), revenue_cents, active_members, partial: false };
        Overview { months: vec![m("2024-01", 123_450, 7), m("2024-02", 9_949, 3)], ..Default::default() }
    }

    #[test]
    fn revenue_in_yuan_and_active_members_by_month() {
        let o = monthly(&two_months(), &labels());
        assert_eq!(o["xAxis"]["data"], json!(["2024-01", "2024-02"]));
        // ¥1,234.50 and ¥99.49, rounded to whole yuan.
        assert_eq!(series_data(&o, 0), &vec![json!(1235.0), json!(99.0)]);
        assert_eq!(series_data(&o, 1), &vec![json!(7), json!(3)]);
        assert_eq!(o["series"][1]["yAxisIndex"], 1);
        assert_labelled(&o, &["L-revenue", "L-active"]);
    }

    #[test]
    fn table_says_the_same() {
        let t = monthly_table(&two_months(), &labels());
        assert_eq!(t.head, vec!["L-month", "L-revenue", "L-active"]);
        assert_eq!(t.rows[0], vec!["2024-01", "¥1,235", "7"]);
        assert_eq!(t.rows[1], vec!["2024-02", "¥99", "3"]);
    }
}
