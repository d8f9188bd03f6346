//! The Segments page's charts: the recency × frequency heat map, the RFM treemap and the value
//! groups.

use serde_json::{json, Value};

use super::{category_axis, frame, frame_with_legend, heat_grid, heat_scale, key_of, named, value_axis, with, yuan_value, Table};
use crate::engine::segments::{RfmSegment, Segments, ValueGroup};
use crate::format::{percent, thousands, yuan};

pub struct SegmentLabels {
    pub recency_score: String,
    pub frequency_score: String,
    pub r_score: String,
    pub f_score: String,
    pub segment: String,
    pub segments: String,
    pub group: String,
    pub members: String,
    pub share: String,
    pub revenue: String,
    pub spend_12m: String,
    pub mean_spend: String,
}

const SCORES: [&str; 5] = ["1", "2", "3", "4", "5"];

/// Below this chart width (a phone) the heat map's cells are too narrow for their figures,
/// which ran together: the cells go unlabelled and the tooltip and the table view say them.
pub const HEAT_LABELS_MIN_WIDTH: u32 = 520;

/// Frequency score across, recency score up, coloured by mean spend; each item is
/// `[f - 1, r - 1, mean spend in yuan, members]` (a click reads the cell back with
/// [`heat_cell_at`]). Built as ECharts' `baseOption` with a `media` rule for narrow charts.
pub fn rfm_heat(s: &Segments, l: &SegmentLabels) -> Value {
    let data: Vec<Value> = s
        .rfm_grid
        .iter()
        .map(|c| {
            let mean = yuan_value(c.mean_monetary_cents);
            // Each cell's label written as the page writes money (¥19,717): ECharts' templates
            // have no thousands separator.
            json!({ "value": [c.f.saturating_sub(1), c.r.saturating_sub(1), mean, c.members], "label": { "formatter": yuan_of(mean) } })
        })
        .collect();
    let max = s.rfm_grid.iter().map(|c| yuan_value(c.mean_monetary_cents)).fold(1.0, f64::max);
    let base = with(
        frame(json!({ "position": "top" })),
        json!({
            // Room at the right for the scale and its end labels ("¥19,717").
            "grid": with(heat_grid(48), json!({ "right": HEAT_SCALE_ROOM })),
            "xAxis": named(category_axis(SCORES), &l.frequency_score, true),
            "yAxis": named(category_axis(SCORES), &l.recency_score, false),
            // Mean spend is money: the cells and the colour scale say ¥.
            // Its ends written as the page writes money; no drag handles, whose labels could only
            // say "¥19717".
            "visualMap": with(heat_scale(max, 140), json!({ "calculable": false, "text": [yuan_of(max), "¥0"], "right": 8 })),
            "series": [{ "type": "heatmap", "name": l.mean_spend, "data": data,
                // The tooltip names the cell's mean spend and members (the scores are on the axes).
                "dimensions": [l.frequency_score, l.recency_score, l.mean_spend, l.members],
                "encode": { "x": 0, "y": 1, "tooltip": [2, 3] },
                "label": { "show": true },
                "emphasis": { "itemStyle": { "shadowBlur": 8 } } }]
        }),
    );
    let narrow = json!({
        "query": { "maxWidth": HEAT_LABELS_MIN_WIDTH },
        "option": { "series": [{ "label": { "show": false } }], "grid": { "right": HEAT_SCALE_ROOM_NARROW }, "visualMap": { "itemWidth": 12, "right": 4 } }
    });
    json!({ "baseOption": base, "media": [narrow] })
}

/// Whole yuan (as plotted) written as the page writes money: `19717.0` → `¥19,717`.
fn yuan_of(whole_yuan: f64) -> String {
    yuan((whole_yuan * 100.0).round() as i64)
}

/// The heat map's right margin for its colour scale, wide and on a phone.
const HEAT_SCALE_ROOM: u32 = 100;
const HEAT_SCALE_ROOM_NARROW: u32 = 72;

/// The (R, F) scores of a clicked cell of [`rfm_heat`] (the item, or its `value`).
pub fn heat_cell_at(point: &Value) -> Option<(u8, u8)> {
    let point = point.get("value").unwrap_or(point);
    let score = |i: usize| point.get(i)?.as_u64().filter(|v| *v < 5).map(|v| v as u8 + 1);
    Some((score(1)?, score(0)?))
}

pub fn rfm_heat_table(s: &Segments, l: &SegmentLabels) -> Table {
    Table {
        head: vec![l.r_score.clone(), l.f_score.clone(), l.members.clone(), l.mean_spend.clone()],
        rows: s
            .rfm_grid
            .iter()
            .map(|c| vec![c.r.to_string(), c.f.to_string(), thousands(c.members as i64), yuan(c.mean_monetary_cents.round() as i64)])
            .collect(),
    }
}

/// For the heat map's table view: each row's members cell opens that cell's members, as a
/// click on the chart does (and by keyboard); empty cells open nothing.
pub fn rfm_heat_table_clicks(s: &Segments) -> Vec<Vec<Option<Value>>> {
    s.rfm_grid
        .iter()
        .map(|c| vec![None, None, (c.members > 0).then(|| json!([c.f.saturating_sub(1), c.r.saturating_sub(1)])), None])
        .collect()
}

/// Segments below this share of the members get no label in the treemap: their boxes are too
/// small for a name ("Pr…"); the tooltip and the segment table below the charts name them.
pub const TREEMAP_LABEL_MIN_SHARE: f64 = 0.025;

/// The RFM segments with members, sized by members; each item carries its segment's key. Names
/// wrap inside their box rather than being cut. Built as `baseOption` with a rule for phones.
pub fn rfm_treemap(s: &Segments, l: &SegmentLabels, name: impl Fn(RfmSegment) -> String) -> Value {
    let total: u32 = s.rfm.iter().map(|s| s.members).sum();
    let data: Vec<Value> = s
        .rfm
        .iter()
        .filter(|s| s.members > 0)
        .map(|s| {
            let labelled = s.members as f64 >= TREEMAP_LABEL_MIN_SHARE * total as f64;
            json!({ "name": name(s.key), "value": s.members, "key": key_of(&s.key), "label": { "show": labelled } })
        })
        .collect();
    let base = with(
        frame(json!({})),
        json!({
            "series": [{ "type": "treemap", "name": l.segments, "roam": false, "nodeClick": false,
                "breadcrumb": { "show": false }, "top": 30, "left": 0, "right": 0, "bottom": 0, "data": data,
                // White names outlined in dark read on every fill, the light yellow one too.
                "label": { "show": true, "formatter": "{b}\n{c}", "fontSize": 12, "overflow": "break", "lineOverflow": "truncate",
                    "color": "#fff", "textBorderColor": "rgba(0, 0, 0, 0.6)", "textBorderWidth": 2 } }]
        }),
    );
    // On a phone the boxes are narrow: smaller names fit whole ("即将沉睡" was cut).
    let narrow = json!({ "query": { "maxWidth": HEAT_LABELS_MIN_WIDTH }, "option": { "series": [{ "label": { "fontSize": 10 } }] } });
    json!({ "baseOption": base, "media": [narrow] })
}

pub fn rfm_table(s: &Segments, l: &SegmentLabels, name: impl Fn(RfmSegment) -> String) -> Table {
    Table {
        head: vec![l.segment.clone(), l.members.clone(), l.share.clone(), l.revenue.clone()],
        rows: s.rfm.iter().map(|s| vec![name(s.key), thousands(s.members as i64), percent(s.share), yuan(s.revenue_cents)]).collect(),
    }
}

/// Members per value group, as bars; each bar carries its group's key.
pub fn groups_bar(s: &Segments, l: &SegmentLabels, name: impl Fn(ValueGroup) -> String) -> Value {
    let names: Vec<String> = s.groups.iter().map(|g| name(g.key)).collect();
    let values: Vec<Value> = s.groups.iter().map(|g| json!({ "value": g.members, "key": key_of(&g.key) })).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": { "left": 8, "right": 40, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": value_axis(),
            "yAxis": with(category_axis(names), json!({ "inverse": true })),
            "series": [{ "type": "bar", "name": l.members, "data": values, "label": { "show": true, "position": "right" } }]
        }),
    )
}

pub fn groups_table(s: &Segments, l: &SegmentLabels, name: impl Fn(ValueGroup) -> String) -> Table {
    Table {
        head: vec![l.group.clone(), l.members.clone(), l.share.clone(), l.spend_12m.clone()],
        rows: s.groups.iter().map(|g| vec![name(g.key), thousands(g.members as i64), percent(g.share), yuan(g.revenue_12m_cents)]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::clicked_key;
    use crate::charts::testing::{assert_labelled, series_data};
    use crate::engine::segments::{GridCell, SegmentStat};

    fn labels() -> SegmentLabels {
        let l = |s: &str| format!("L-{s}");
        SegmentLabels {
            recency_score: l("recency"),
            frequency_score: l("frequency"),
            r_score: l("r"),
            f_score: l("f"),
            segment: l("segment"),
            segments: l("segments"),
            group: l("group"),
            members: l("members"),
            share: l("share"),
            revenue: l("revenue"),
            spend_12m: l("spend12m"),
            mean_spend: l("mean-spend"),
        }
    }

    fn stat<K>(key: K, members: u32, share: f64, revenue_cents: i64) -> SegmentStat<K> {
        SegmentStat {
            key,
            members,
            share,
            revenue_cents,
            revenue_12m_cents: revenue_cents / 2,
            mean_recency_days: 0.0,
            mean_frequency: 0.0,
            mean_monetary_cents: 0.0,
        }
    }

    /// Three buyers: two champions, one lost; one RFM cell with spend.
    fn segments() -> Segments {
        Segments {
            buyers: 3,
            rfm: vec![stat(RfmSegment::Champions, 2, 2.0 / 3.0, 50_000), stat(RfmSegment::Loyal, 0, 0.0, 0), stat(RfmSegment::Lost, 1, 1.0 / 3.0, 1_000)],
            rfm_grid: vec![
                GridCell { r: 5, f: 4, members: 2, mean_monetary_cents: 25_000.0 },
                GridCell { r: 1, f: 1, members: 1, mean_monetary_cents: 1_049.0 },
            ],
            groups: vec![stat(ValueGroup::HighSpend, 1, 1.0 / 3.0, 40_000), stat(ValueGroup::Sleeping, 1, 1.0 / 3.0, 0)],
            ..Default::default()
        }
    }

    #[test]
    fn heat_map_places_cells_by_scores() {
        let whole = rfm_heat(&segments(), &labels());
        let o = &whole["baseOption"];
        // F 4, R 5 → column 3, row 4; ¥250 mean spend, 2 members. ¥10.49 rounds to ¥10.
        let values: Vec<Value> = series_data(o, 0).iter().map(|d| d["value"].clone()).collect();
        assert_eq!(values, vec![json!([3, 4, 250.0, 2]), json!([0, 0, 10.0, 1])]);
        assert_eq!(series_data(o, 0)[1]["label"]["formatter"], "¥10");
        assert_eq!(o["visualMap"]["max"], json!(250.0));
        assert_eq!(o["visualMap"]["text"], json!(["¥250", "¥0"]));
        assert_labelled(o, &["L-recency", "L-frequency", "L-mean-spend", "L-members"]);
        // A click on a cell gives back its scores (R, F).
        assert_eq!(heat_cell_at(&series_data(o, 0)[0]), Some((5, 4)));
        assert_eq!(heat_cell_at(&series_data(o, 0)[1]), Some((1, 1)));
        assert_eq!(heat_cell_at(&json!([5, 0, 1.0, 1])), None, "no score 6");
        assert_eq!(heat_cell_at(&json!({ "key": "x" })), None);
        let t = rfm_heat_table(&segments(), &labels());
        assert_eq!(t.head, vec!["L-r", "L-f", "L-members", "L-mean-spend"]);
        assert_eq!(t.rows[1], vec!["1", "1", "1", "¥10"]);
        // In the table view the members cell of a row opens the same cell as the chart.
        let clicks = rfm_heat_table_clicks(&segments());
        assert_eq!(clicks.len(), t.rows.len());
        assert_eq!(clicks[0][2].as_ref().and_then(heat_cell_at), Some((5, 4)));
        assert_eq!(clicks[1][2].as_ref().and_then(heat_cell_at), Some((1, 1)));
        assert!(clicks.iter().all(|row| row.len() == t.head.len() && row[0].is_none()));
    }

    #[test]
    fn heat_map_money_has_thousands_separators_and_its_scale_room() {
        let big = Segments { rfm_grid: vec![GridCell { r: 3, f: 3, members: 4, mean_monetary_cents: 1_971_700.0 }], ..Default::default() };
        let o = &rfm_heat(&big, &labels())["baseOption"];
        assert_eq!(series_data(o, 0)[0]["label"]["formatter"], "¥19,717");
        assert_eq!(o["visualMap"]["text"][0], "¥19,717");
        // The scale's labels (about 60 px) stand right of the plot, not on it.
        assert!(o["grid"]["right"].as_u64() >= Some(o["visualMap"]["right"].as_u64().unwrap_or(0) + 80));
    }

    #[test]
    fn heat_map_cells_go_unlabelled_on_a_narrow_chart() {
        let o = rfm_heat(&segments(), &labels());
        let media = o["media"].as_array().expect("media rules");
        assert_eq!(media.len(), 1);
        assert_eq!(media[0]["query"]["maxWidth"], json!(HEAT_LABELS_MIN_WIDTH));
        assert_eq!(media[0]["option"]["series"][0]["label"]["show"], json!(false));
        // Wide, the cells say their figures.
        assert_eq!(o["baseOption"]["series"][0]["label"]["show"], json!(true));
        // The tooltip says the mean spend and the members, named.
        assert_eq!(o["baseOption"]["series"][0]["encode"]["tooltip"], json!([2, 3]));
        assert_eq!(o["baseOption"]["series"][0]["dimensions"][3], "L-members");
    }

    #[test]
    fn treemap_has_the_segments_with_members_and_their_keys() {
        let name = |k: RfmSegment| format!("N-{}", k.key());
        let whole = rfm_treemap(&segments(), &labels(), name);
        let o = &whole["baseOption"];
        let data = series_data(o, 0);
        assert_eq!(data.len(), 2, "the empty segment is left out");
        assert_eq!(data[0]["name"], "N-champions");
        assert_eq!(data[0]["value"], 2);
        assert_eq!(data[1]["value"], 1);
        assert_eq!(clicked_key::<RfmSegment>(&data[1]), Some(RfmSegment::Lost));
        // Names wrap in their box instead of being cut to "Need att…".
        assert_eq!(o["series"][0]["label"]["overflow"], "break");
        assert_eq!(data[0]["label"]["show"], json!(true));
        // Outlined names: readable on light fills too; smaller on a phone.
        assert_eq!(o["series"][0]["label"]["textBorderWidth"], json!(2));
        assert_eq!(whole["media"][0]["option"]["series"][0]["label"]["fontSize"], json!(10));
        assert_labelled(o, &["L-segments", "N-champions", "N-lost"]);
        let t = rfm_table(&segments(), &labels(), name);
        assert_eq!(t.head, vec!["L-segment", "L-members", "L-share", "L-revenue"]);
        assert_eq!(t.rows[0], vec!["N-champions", "2", "66.7%", "¥500"]);
        assert_eq!(t.rows.len(), 3, "the table lists every segment");
    }

    #[test]
    fn treemap_leaves_boxes_too_small_for_a_name_unlabelled() {
        // 97 + 3 members: 3% keeps its label; with 99 + 1, the 1% box has none.
        let seg = |big, small| Segments {
            rfm: vec![stat(RfmSegment::Champions, big, 0.0, 0), stat(RfmSegment::Promising, small, 0.0, 0)],
            ..Default::default()
        };
        let shown = |o: &Value| series_data(&o["baseOption"], 0).iter().map(|d| d["label"]["show"].clone()).collect::<Vec<_>>();
        let name = |k: RfmSegment| k.key().to_string();
        assert_eq!(shown(&rfm_treemap(&seg(97, 3), &labels(), name)), vec![json!(true), json!(true)]);
        assert_eq!(shown(&rfm_treemap(&seg(99, 1), &labels(), name)), vec![json!(true), json!(false)]);
    }

    #[test]
    fn groups_bars_carry_their_keys() {
        let name = |k: ValueGroup| format!("N-{}", k.key());
        let o = groups_bar(&segments(), &labels(), name);
        assert_eq!(o["yAxis"]["data"], json!(["N-high_spend", "N-sleeping"]));
        let data = series_data(&o, 0);
        assert_eq!(data.iter().map(|d| d["value"].clone()).collect::<Vec<_>>(), vec![json!(1), json!(1)]);
        assert_eq!(clicked_key::<ValueGroup>(&data[0]), Some(ValueGroup::HighSpend));
        assert_eq!(clicked_key::<ValueGroup>(&data[1]), Some(ValueGroup::Sleeping));
        assert_labelled(&o, &["L-members"]);
        let t = groups_table(&segments(), &labels(), name);
        assert_eq!(t.head, vec!["L-group", "L-members", "L-share", "L-spend12m"]);
        assert_eq!(t.rows[0], vec!["N-high_spend", "1", "33.3%", "¥200"]);
    }
}
