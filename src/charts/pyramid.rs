//! The Pyramid page's charts: the A/B/C/D layers, the Pareto curve and the four quadrants.

use serde_json::{json, Value};

use super::{frame, frame_with_legend, grid_with_x_name, key_of, layer_letter, named, percent_value, with, yuan_value, Table};
use crate::engine::pyramid::{LayerKey, Pyramid, Quadrant, Quadrants};
use crate::format::{percent, thousands, yuan};

pub struct PyramidLabels {
    pub layer: String,
    pub members: String,
    pub revenue: String,
    pub revenue_share: String,
    pub from: String,
    pub members_share: String,
    pub equal_line: String,
    pub quadrant: String,
    pub visits: String,
    pub spend: String,
}

/// Each layer's fill and the colour of the text written on it, the same in both themes (the
/// dark theme's own palette put light grey text on lime and orange): white on the dark blue top
/// layer, near-black on the light fills below.
fn layer_colours(key: LayerKey) -> (&'static str, &'static str) {
    match key {
        LayerKey::A => ("#3f5fb8", "#ffffff"),
        LayerKey::B => ("#91cc75", "#1a1a1a"),
        LayerKey::C => ("#fac858", "#1a1a1a"),
        LayerKey::D => ("#f08a5d", "#1a1a1a"),
    }
}

/// The layers as a funnel sorted small-on-top, so the top layer (A, the fewest and most
/// valuable members) is the peak; each item carries its layer's key.
pub fn layers(p: &Pyramid, l: &PyramidLabels) -> Value {
    let data: Vec<Value> = p
        .layers
        .iter()
        .enumerate()
        .map(|(i, layer)| {
            let letter = layer_letter(layer.key);
            let (fill, text) = layer_colours(layer.key);
            json!({ "name": letter, "value": i + 1, "key": key_of(&layer.key), "members": layer.members,
                "itemStyle": { "color": fill },
                "label": { "color": text, "formatter": format!("{letter}  {} · {}", thousands(layer.members as i64), percent(layer.revenue_share)) } })
        })
        .collect();
    with(
        frame_with_legend(json!({ "formatter": "{b}" })),
        json!({
            "series": [{ "type": "funnel", "name": l.layer, "sort": "ascending", "gap": 2, "top": 40, "bottom": 10,
                "left": "10%", "width": "80%", "minSize": "15%", "label": { "show": true, "position": "inside" }, "data": data }]
        }),
    )
}

pub fn layers_table(p: &Pyramid, l: &PyramidLabels) -> Table {
    Table {
        head: vec![l.layer.clone(), l.members.clone(), l.revenue.clone(), l.revenue_share.clone(), l.from.clone()],
        rows: p
            .layers
            .iter()
            .map(|x| vec![layer_letter(x.key).to_string(), thousands(x.members as i64), yuan(x.revenue_cents), percent(x.revenue_share), yuan(x.min_value_cents)])
            .collect(),
    }
}

fn percent_to_100() -> Value {
    json!({ "type": "value", "max": 100, "axisLabel": { "formatter": "{value}%" } })
}

/// Share of revenue (up) by share of members (across), biggest first, against everyone equal.
pub fn pareto(p: &Pyramid, l: &PyramidLabels) -> Value {
    let points: Vec<Value> = p.pareto.iter().map(|(x, y)| json!([percent_value(*x), percent_value(*y)])).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid_with_x_name(),
            "xAxis": named(percent_to_100(), &l.members_share, true),
            "yAxis": percent_to_100(),
            "series": [
                { "type": "line", "name": l.revenue_share, "data": points, "showSymbol": false, "areaStyle": { "opacity": 0.15 },
                  "markLine": { "silent": true, "symbol": "none", "lineStyle": { "type": "dashed" }, "label": { "formatter": "{c}%" }, "data": [{ "xAxis": 20 }] } },
                { "type": "line", "name": l.equal_line, "data": [[0, 0], [100, 100]], "showSymbol": false, "lineStyle": { "type": "dotted", "width": 1 } }
            ]
        }),
    )
}

pub fn pareto_table(p: &Pyramid, l: &PyramidLabels) -> Table {
    Table { head: vec![l.members_share.clone(), l.revenue_share.clone()], rows: p.pareto.iter().map(|(x, y)| vec![percent(*x), percent(*y)]).collect() }
}

/// The quadrant chart's margins: the y name (one line, ~14 px, `nameGap` above the plot) under
/// the top edge, the x name (`QUADRANT_X_NAME_GAP` under the axis line, below ~20 px of tick
/// labels) over the bottom edge.
const QUADRANT_GRID_TOP: u32 = 36;
const QUADRANT_GRID_BOTTOM: u32 = 36;
const QUADRANT_X_NAME_GAP: u32 = 30;

/// Visits × spend of the sampled members on log axes, with the cut lines; each point is
/// `[visits, spend in yuan, spend in cents]` (the cents say the quadrant of a click exactly).
pub fn quadrants(q: &Quadrants, l: &PyramidLabels) -> Value {
    let points: Vec<Value> = q.points.iter().map(|(f, m)| json!([f, yuan_value(*m as f64), m])).collect();
    let visits_floor = power_of_ten_below(q.points.iter().map(|(f, _)| *f as f64));
    let spend_floor = power_of_ten_below(q.points.iter().map(|(_, m)| yuan_value(*m as f64)));
    let log_axis = |min: f64| json!({ "type": "log", "min": min });
    // One series: no legend, which sat on the y-axis name. The y name stands above the axis,
    // written rightwards from it (centred on the axis it ran off the canvas' left edge); the
    // x name under the tick labels, with room below (`containLabel` leaves names out).
    let y_name = with(named(log_axis(spend_floor), &format!("{} ¥", l.spend), false), json!({ "nameGap": 12, "nameTextStyle": { "align": "left" } }));
    with(
        frame(json!({ "trigger": "item" })),
        json!({
            "grid": { "left": 8, "right": 24, "top": QUADRANT_GRID_TOP, "bottom": QUADRANT_GRID_BOTTOM, "containLabel": true },
            "xAxis": with(named(log_axis(visits_floor), &l.visits, true), json!({ "nameGap": QUADRANT_X_NAME_GAP })),
            "yAxis": y_name,
            "series": [{ "type": "scatter", "name": l.spend, "symbolSize": 5, "data": points, "itemStyle": { "opacity": 0.55 },
                "markLine": { "silent": true, "symbol": "none", "lineStyle": { "type": "dashed" },
                    // The spend cut is money: labelled as the page writes it (¥2,407), not 2407,
                    // inside the plot (past the line's end it was cut off at the canvas' edge).
                    "data": [{ "xAxis": q.frequency_cut.max(1.0), "label": { "formatter": visits_cut(q.frequency_cut) } },
                             { "yAxis": (q.spend_cut_cents as f64 / 100.0).max(1.0), "label": { "formatter": yuan(q.spend_cut_cents), "position": "insideEndTop" } }] } }]
        }),
    )
}

/// The largest power of ten at or below the smallest positive value (1 when there is none): a
/// log axis starting there begins near the data, not at 1 under a cloud at ¥100 and up.
fn power_of_ten_below(values: impl Iterator<Item = f64>) -> f64 {
    let least = values.filter(|v| v.is_finite() && *v >= 1.0).fold(f64::INFINITY, f64::min);
    if least.is_finite() { 10f64.powi(least.log10().floor() as i32) } else { 1.0 }
}

/// The visits cut as the chart's line and the page's text both write it: `9` for 9.0, `2.5`.
pub fn visits_cut(cut: f64) -> String {
    if cut.fract() == 0.0 { format!("{cut:.0}") } else { format!("{cut:.1}") }
}

/// The quadrant of a clicked point of [`quadrants`].
pub fn quadrant_at(q: &Quadrants, point: &Value) -> Option<Quadrant> {
    let visits = point.get(0)?.as_f64()?;
    let cents = point.get(2)?.as_i64()?;
    Some(Quadrant::of(visits > q.frequency_cut, cents > q.spend_cut_cents))
}

pub fn quadrants_table(q: &Quadrants, l: &PyramidLabels, name: impl Fn(Quadrant) -> String) -> Table {
    Table {
        head: vec![l.quadrant.clone(), l.members.clone(), l.spend.clone()],
        rows: q.quadrants.iter().map(|s| vec![name(s.key), thousands(s.members as i64), yuan(s.revenue_cents)]).collect(),
    }
}

/// The tier order (names, lowest first) after moving the tier at `index` one place: towards the
/// lowest when `lower`, else towards the highest. `None` when it is already at that end.
pub fn tier_moved(names: &[String], index: usize, lower: bool) -> Option<Vec<String>> {
    let other = if lower { index.checked_sub(1)? } else { index.checked_add(1)? };
    if index >= names.len() || other >= names.len() {
        return None;
    }
    let mut order = names.to_vec();
    order.swap(index, other);
    Some(order)
}

/// Neighbouring tiers (listed lowest first, with their expected spends) where the higher one
/// expects no more than the one under it: no member can be an upgrade candidate from the lower
/// into the higher (the engine's fit rules need the higher bar above the lower), which shows as
/// zeros the user should be told about. Each as `(lower, its bar, higher, its bar)` in cents.
pub fn tiers_out_of_step(tiers: &[(String, i64)]) -> Vec<(String, i64, String, i64)> {
    tiers
        .windows(2)
        .filter_map(|w| match w {
            [(low, low_bar), (high, high_bar)] if high_bar <= low_bar => Some((low.clone(), *low_bar, high.clone(), *high_bar)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::clicked_key;
    use crate::charts::testing::{assert_labelled, series_data};
    use crate::engine::pyramid::{Layer, QuadrantStat};

    fn labels() -> PyramidLabels {
        let l = |s: &str| format!("L-{s}");
        PyramidLabels {
            layer: l("layer"),
            members: l("members"),
            revenue: l("revenue"),
            revenue_share: l("revenue-share"),
            from: l("from"),
            members_share: l("members-share"),
            equal_line: l("equal"),
            quadrant: l("quadrant"),
            visits: l("visits"),
            spend: l("spend"),
        }
    }

    fn pyramid() -> Pyramid {
        let layer = |key, members, revenue_cents, revenue_share, min_value_cents| Layer { key, members, revenue_cents, revenue_share, min_value_cents };
        Pyramid {
            layers: vec![layer(LayerKey::A, 1, 80_000, 0.8, 80_000), layer(LayerKey::B, 3, 20_000, 0.2, 5_000)],
            ranked: 4,
            pareto: vec![(0.0, 0.0), (0.25, 0.8), (1.0, 1.0)],
            gini: 0.5,
            top20_share: 0.8,
        }
    }

    #[test]
    fn layers_from_the_top_with_their_keys() {
        let o = layers(&pyramid(), &labels());
        let data = series_data(&o, 0);
        assert_eq!(data[0]["name"], "A");
        assert_eq!(data[1]["members"], 3);
        // Ascending funnel values put A, the first layer, at the peak.
        assert!(data[0]["value"].as_u64() < data[1]["value"].as_u64());
        assert_eq!(data[1]["label"]["formatter"], "B  3 · 20.0%");
        // Text and fill set together (not left to the theme): light text on the dark top layer,
        // dark text on the light B fill.
        assert_eq!((&data[0]["label"]["color"], &data[0]["itemStyle"]["color"]), (&json!("#ffffff"), &json!("#3f5fb8")));
        assert_eq!((&data[1]["label"]["color"], &data[1]["itemStyle"]["color"]), (&json!("#1a1a1a"), &json!("#91cc75")));
        assert_eq!(clicked_key::<LayerKey>(&data[0]), Some(LayerKey::A));
        assert_eq!(clicked_key::<LayerKey>(&data[1]), Some(LayerKey::B));
        assert_labelled(&o, &["L-layer"]);
        let t = layers_table(&pyramid(), &labels());
        assert_eq!(t.head, vec!["L-layer", "L-members", "L-revenue", "L-revenue-share", "L-from"]);
        assert_eq!(t.rows[1], vec!["B", "3", "¥200", "20.0%", "¥50"]);
    }

    #[test]
    fn tiers_move_one_place_at_a_time() {
        let names: Vec<String> = ["普通会员", "银卡", "金卡"].map(String::from).to_vec();
        let order = |v: Option<Vec<String>>| v.map(|v| v.join(" < "));
        assert_eq!(order(tier_moved(&names, 1, true)), Some("银卡 < 普通会员 < 金卡".into()));
        assert_eq!(order(tier_moved(&names, 1, false)), Some("普通会员 < 金卡 < 银卡".into()));
        assert_eq!(tier_moved(&names, 0, true), None, "the lowest cannot go lower");
        assert_eq!(tier_moved(&names, 2, false), None, "the highest cannot go higher");
        assert_eq!(tier_moved(&names, 7, true), None);
        assert_eq!(tier_moved(&[], 0, false), None);
    }

    #[test]
    fn a_higher_tier_expecting_no_more_than_the_one_below_is_named() {
        let tiers: Vec<(String, i64)> = vec![("普通".into(), 0), ("银卡".into(), 150_000), ("金卡".into(), 90_000), ("钻石".into(), 500_000), ("黑卡".into(), 500_000)];
        let out = tiers_out_of_step(&tiers);
        assert_eq!(
            out,
            vec![("银卡".to_string(), 150_000, "金卡".to_string(), 90_000), ("钻石".to_string(), 500_000, "黑卡".to_string(), 500_000)]
        );
        assert!(tiers_out_of_step(&tiers[..2]).is_empty(), "rising bars are in step");
        assert!(tiers_out_of_step(&[]).is_empty());
    }

    #[test]
    fn log_axes_start_near_the_data_and_the_visits_cut_reads_alike() {
        assert_eq!(power_of_ten_below([350.0, 120.0, 9_000.0].into_iter()), 100.0);
        assert_eq!(power_of_ten_below([3.0, 12.0].into_iter()), 1.0);
        assert_eq!(power_of_ten_below([0.0, 0.4].into_iter()), 1.0, "nothing at 1 or more");
        assert_eq!(power_of_ten_below(std::iter::empty()), 1.0);
        assert_eq!(visits_cut(9.0), "9");
        assert_eq!(visits_cut(2.5), "2.5");
    }

    #[test]
    fn pareto_in_percent() {
        let o = pareto(&pyramid(), &labels());
        assert_eq!(series_data(&o, 0), &vec![json!([0.0, 0.0]), json!([25.0, 80.0]), json!([100.0, 100.0])]);
        assert_labelled(&o, &["L-members-share", "L-revenue-share", "L-equal"]);
        // The top-20% marker reads as a share ("20%"), not a bare 20.
        assert_eq!(o["series"][0]["markLine"]["label"]["formatter"], "{c}%");
        let t = pareto_table(&pyramid(), &labels());
        assert_eq!(t.rows[1], vec!["25.0%", "80.0%"]);
    }

    #[test]
    fn quadrant_points_and_clicks() {
        let q = Quadrants {
            period_days: 365,
            frequency_cut: 2.0,
            spend_cut_cents: 10_000,
            quadrants: vec![QuadrantStat { key: Quadrant::TrueFriend, members: 1, revenue_cents: 30_000 }],
            // Spend ¥100.40 is above a ¥100.00 cut though it plots at ¥100.
            points: vec![(3, 10_040), (1, 10_000), (5, 250)],
        };
        let o = quadrants(&q, &labels());
        let data = series_data(&o, 0);
        assert_eq!(data[0], json!([3, 100.0, 10_040]));
        assert_eq!(quadrant_at(&q, &data[0]), Some(Quadrant::TrueFriend));
        assert_eq!(quadrant_at(&q, &data[1]), Some(Quadrant::Stranger));
        assert_eq!(quadrant_at(&q, &data[2]), Some(Quadrant::Barnacle));
        assert_eq!(quadrant_at(&q, &json!({ "key": "x" })), None);
        assert_labelled(&o, &["L-visits", "L-spend ¥", "L-spend"]);
        // Names clear of each other and inside the canvas: no legend on the y name's corner, the
        // y name written rightwards from the axis, room under the x name.
        assert!(o.get("legend").is_none(), "a single series needs no legend");
        assert_eq!(o["yAxis"]["nameTextStyle"]["align"], "left");
        assert_eq!(o["grid"]["containLabel"], json!(true));
        let (top, gap_y) = (o["grid"]["top"].as_u64().unwrap(), o["yAxis"]["nameGap"].as_u64().unwrap());
        assert!(top >= gap_y + 14, "the y name ({gap_y} px above the plot, one 14 px line) fits under the top edge ({top} px)");
        let (bottom, gap_x) = (o["grid"]["bottom"].as_u64().unwrap(), o["xAxis"]["nameGap"].as_u64().unwrap());
        // containLabel keeps the ~20 px tick labels inside the grid; the name's line starts gap_x under the axis.
        assert!(bottom + 20 >= gap_x + 14, "the x name ends inside the canvas");
        assert_eq!(o["xAxis"]["nameLocation"], "middle");
        assert_eq!(o["series"][0]["markLine"]["data"][1]["label"]["formatter"], "¥100");
        assert_eq!(o["series"][0]["markLine"]["data"][0]["label"]["formatter"], "2");
        // Axes start at the power of ten under the data: visits from 1, spend (¥2.50 up) from 1.
        assert_eq!((&o["xAxis"]["min"], &o["yAxis"]["min"]), (&json!(1.0), &json!(1.0)));
        // Written inside the plot above its line: at the line's end it ran off the canvas.
        assert_eq!(o["series"][0]["markLine"]["data"][1]["label"]["position"], "insideEndTop");
        let t = quadrants_table(&q, &labels(), |k| format!("N-{}", k.key()));
        assert_eq!(t.head, vec!["L-quadrant", "L-members", "L-spend"]);
        assert_eq!(t.rows[0], vec!["N-true_friend", "1", "¥300"]);
    }
}
