//! The predictions' charts on the Churn page: members by P(alive), and the backtest's predicted
//! against actual visits.

use serde_json::{json, Value};

use super::{category_axis, frame_with_legend, grid, grid_with_x_name, named, value_axis, with, Table};
use crate::engine::predict::{Backtest, Predictions};
use crate::format::thousands;

pub struct PredictionLabels {
    pub p_alive: String,
    pub members: String,
    pub repeat_purchases_before: String,
    pub predicted: String,
    pub actual: String,
    /// `Predicted (mean visits per member)`: the backtest's series.
    pub predicted_mean: String,
    pub actual_mean: String,
}

/// `20–30%`: the histogram's bins of 10%.
fn bin_label(i: usize) -> String {
    format!("{}–{}%", i * 10, i * 10 + 10)
}

fn two_decimals(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

pub fn p_alive(p: &Predictions, l: &PredictionLabels) -> Value {
    let bins: Vec<String> = (0..p.p_alive_histogram.len()).map(bin_label).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid(),
            "xAxis": category_axis(bins),
            "yAxis": value_axis(),
            "series": [{ "type": "bar", "name": l.members, "data": p.p_alive_histogram }]
        }),
    )
}

pub fn p_alive_table(p: &Predictions, l: &PredictionLabels) -> Table {
    Table {
        head: vec![l.p_alive.clone(), l.members.clone()],
        rows: p.p_alive_histogram.iter().enumerate().map(|(i, n)| vec![bin_label(i), thousands(*n as i64)]).collect(),
    }
}

/// Mean visits in the held-out days, actual (line) and predicted (dashed), by repeat purchases
/// before them.
pub fn backtest(b: &Backtest, l: &PredictionLabels) -> Value {
    let xs: Vec<&str> = b.by_frequency.iter().map(|c| c.x.as_str()).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid_with_x_name(),
            "xAxis": named(category_axis(xs), &l.repeat_purchases_before, true),
            "yAxis": value_axis(),
            "series": [
                { "type": "line", "name": l.actual_mean, "data": b.by_frequency.iter().map(|c| two_decimals(c.actual_mean)).collect::<Vec<_>>() },
                { "type": "line", "name": l.predicted_mean, "lineStyle": { "type": "dashed" },
                  "data": b.by_frequency.iter().map(|c| two_decimals(c.predicted_mean)).collect::<Vec<_>>() }
            ]
        }),
    )
}

pub fn backtest_table(b: &Backtest, l: &PredictionLabels) -> Table {
    Table {
        head: vec![l.repeat_purchases_before.clone(), l.members.clone(), l.predicted.clone(), l.actual.clone()],
        rows: b
            .by_frequency
            .iter()
            .map(|c| vec![c.x.clone(), thousands(c.customers as i64), format!("{:.2}", c.predicted_mean), format!("{:.2}", c.actual_mean)])
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{assert_labelled, series_data};
    use crate::engine::predict::FrequencyCheck;

    fn labels() -> PredictionLabels {
        let l = |s: &str| format!("L-{s}");
        PredictionLabels {
            p_alive: l("p-alive"),
            members: l("members"),
            repeat_purchases_before: l("before"),
            predicted: l("predicted"),
            actual: l("actual"),
            predicted_mean: l("predicted-mean"),
            actual_mean: l("actual-mean"),
        }
    }

    #[test]
    fn histogram_in_ten_bins() {
        let p = Predictions { p_alive_histogram: vec![1, 0, 0, 0, 0, 0, 0, 0, 2, 1234], ..Default::default() };
        let o = p_alive(&p, &labels());
        assert_eq!(o["xAxis"]["data"][0], "0–10%");
        assert_eq!(o["xAxis"]["data"][9], "90–100%");
        assert_eq!(series_data(&o, 0)[9], json!(1234));
        assert_labelled(&o, &["L-members"]);
        let t = p_alive_table(&p, &labels());
        assert_eq!(t.head, vec!["L-p-alive", "L-members"]);
        assert_eq!(t.rows[9], vec!["90–100%", "1,234"]);
    }

    #[test]
    fn backtest_actual_and_predicted_means() {
        let check = |x: &str, customers, predicted_mean, actual_mean| FrequencyCheck { x: x.into(), customers, predicted_mean, actual_mean };
        let b = Backtest { by_frequency: vec![check("0", 10, 0.456, 0.5), check("7+", 2, 3.0, 2.994)], ..Default::default() };
        let o = backtest(&b, &labels());
        assert_eq!(o["xAxis"]["data"], json!(["0", "7+"]));
        assert_eq!(series_data(&o, 0), &vec![json!(0.5), json!(2.99)]);
        assert_eq!(series_data(&o, 1), &vec![json!(0.46), json!(3.0)]);
        assert_labelled(&o, &["L-before", "L-actual-mean", "L-predicted-mean"]);
        crate::charts::churn::assert_x_name_inside(&o);
        let t = backtest_table(&b, &labels());
        assert_eq!(t.head, vec!["L-before", "L-members", "L-predicted", "L-actual"]);
        assert_eq!(t.rows[0], vec!["0", "10", "0.46", "0.50"]);
    }
}
