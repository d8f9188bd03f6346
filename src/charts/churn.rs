//! The Churn page's charts: lifecycle states, members turning sleeping each month, cohort
//! retention, second-year renewal by first-year visits, and buying around membership expiry.

use serde_json::{json, Value};

use super::{category_axis, fill, frame, frame_with_legend, grid, grid_with_x_name, heat_grid, heat_scale, key_of, named, percent_axis, percent_value, value_axis, with, Table};
use crate::engine::churn::{Churn, ChurnMonth, ExpiryRenewal};
use crate::engine::segments::{Lifecycle, SegmentStat};
use crate::format::{percent, thousands};

pub struct ChurnLabels {
    pub lifecycle: String,
    pub state: String,
    pub members: String,
    pub share: String,
    pub month: String,
    pub active_at_start: String,
    pub turned_sleeping: String,
    pub churn_rate: String,
    pub cohort: String,
    pub cohorts: String,
    pub month_offset: String,
    /// `Month %n%`: a cohort table column.
    pub month_n: String,
    pub first_year_visits: String,
    pub renewed: String,
    pub renewal_rate: String,
    pub months_from_expiry: String,
    pub active_share: String,
    /// A month's turned-sleeping figure and rate when the data does not reach back far enough.
    pub not_measurable: String,
    /// The first measurable month's mark: its figure also holds the lapses from before.
    pub first_measured: String,
    /// The expiry chart's marker at month 0.
    pub expiry: String,
}

/// Cohort table columns after the cohort's size: months 0 to 12.
const COHORT_TABLE_MONTHS: usize = 13;
/// Months before and after expiry in [`ExpiryRenewal::active_by_month`].
const EXPIRY_SPAN: i32 = 6;

/// The states in the order members move through them (new → … → lost), top to bottom, as
/// bars: the states do not nest, so a funnel would draw New as wide as Active. Never-bought
/// stays apart. Each item carries its state's key.
pub fn lifecycle(states: &[SegmentStat<Lifecycle>], l: &ChurnLabels, name: impl Fn(Lifecycle) -> String) -> Value {
    let shown: Vec<&SegmentStat<Lifecycle>> = states.iter().filter(|s| s.key != Lifecycle::NeverBought).collect();
    let names: Vec<String> = shown.iter().map(|s| name(s.key)).collect();
    let data: Vec<Value> = shown.iter().map(|s| json!({ "value": s.members, "key": key_of(&s.key) })).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid(),
            // Long state names (with their day ranges) wrap, and the counts' labels thin out,
            // so a phone keeps room for the bars.
            "xAxis": with(value_axis(), json!({ "axisLabel": { "hideOverlap": true } })),
            "yAxis": with(category_axis(names), json!({ "inverse": true, "axisLabel": { "width": 120, "overflow": "break" } })),
            "series": [{ "type": "bar", "name": l.lifecycle, "label": { "show": true, "position": "right" }, "data": data }]
        }),
    )
}

pub fn lifecycle_table(states: &[SegmentStat<Lifecycle>], l: &ChurnLabels, name: impl Fn(Lifecycle) -> String) -> Table {
    Table {
        head: vec![l.state.clone(), l.members.clone(), l.share.clone()],
        rows: states.iter().map(|s| vec![name(s.key), thousands(s.members as i64), percent(s.share)]).collect(),
    }
}

/// Members turning sleeping (bars) and active at the month's start (line), with the churn rate
/// on a percentage axis at the right. Months the data cannot measure yet are gaps (null), not
/// 0, left of a line labelled [`ChurnLabels::not_measurable`].
pub fn months(c: &Churn, l: &ChurnLabels) -> Value {
    let months: Vec<&str> = c.months.iter().map(|m| m.month.as_str()).collect();
    let measured = |m: &ChurnMonth, v: Value| if m.measurable { v } else { Value::Null };
    let first = first_measured_after_gap(c).map(|m| m.month.as_str());
    let turned: Vec<Value> = c.months.iter().map(|m| measured(m, json!(m.turned_sleeping))).collect();
    // The first measured month stays out of the rate line, whose later months it would dwarf;
    // its bar is labelled (the table and the note give its figures).
    let rate: Vec<Value> =
        c.months.iter().map(|m| if Some(m.month.as_str()) == first { Value::Null } else { measured(m, json!(percent_value(m.churn_rate))) }).collect();
    let mut bars = json!({ "type": "bar", "name": l.turned_sleeping, "data": turned });
    if let Some(band) = unmeasurable_band(c, l) {
        bars = with(bars, json!({ "markLine": band }));
    }
    if let Some(m) = first_measured_after_gap(c) {
        // Labelled above its bar (the bars stay plain figures).
        bars = with(bars, json!({ "markPoint": { "silent": true, "symbol": "circle", "symbolSize": 1,
            "label": { "show": true, "position": "top", "formatter": l.first_measured, "color": "#888" },
            "data": [{ "coord": [m.month, m.turned_sleeping] }] } }));
    }
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid(),
            "xAxis": category_axis(months),
            "yAxis": [value_axis(), percent_axis()],
            "series": [
                bars,
                { "type": "line", "name": l.active_at_start, "data": c.months.iter().map(|m| m.active_at_start).collect::<Vec<_>>(), "showSymbol": false },
                { "type": "line", "name": l.churn_rate, "yAxisIndex": 1, "showSymbol": false, "data": rate }
            ]
        }),
    )
}

/// The first measurable month when months before it could not be measured: the first month in
/// which the members seen only at the data's start can turn sleeping, so its figure also holds
/// those who had stopped coming before the data begins (it reads several times the later months).
pub fn first_measured_after_gap(c: &Churn) -> Option<&ChurnMonth> {
    c.months.first().filter(|m| !m.measurable)?;
    c.months.iter().find(|m| m.measurable)
}

/// Whether some month cannot be measured yet (the page then says why).
pub fn has_unmeasurable(c: &Churn) -> bool {
    c.months.iter().any(|m| !m.measurable)
}

/// A dashed line where the measurable months start, labelled "← not measurable" (the months
/// to its left are gaps); none when every month, or none, can be measured.
fn unmeasurable_band(c: &Churn, l: &ChurnLabels) -> Option<Value> {
    c.months.iter().find(|m| !m.measurable)?;
    let first_measured = c.months.iter().find(|m| m.measurable)?;
    Some(json!({
        "silent": true,
        "symbol": "none",
        "lineStyle": { "type": "dashed", "color": "#888" },
        "label": { "position": "end", "formatter": format!("← {}", l.not_measurable), "color": "#888" },
        "data": [{ "xAxis": first_measured.month }]
    }))
}

pub fn months_table(c: &Churn, l: &ChurnLabels) -> Table {
    let cell = |m: &ChurnMonth, text: String| if m.measurable { text } else { l.not_measurable.clone() };
    Table {
        head: vec![l.month.clone(), l.active_at_start.clone(), l.turned_sleeping.clone(), l.churn_rate.clone()],
        rows: c
            .months
            .iter()
            .map(|m| {
                vec![m.month.clone(), thousands(m.active_at_start as i64), cell(m, thousands(m.turned_sleeping as i64)), cell(m, percent(m.churn_rate))]
            })
            .collect(),
    }
}

/// Retention by cohort (rows) and months after the first purchase (columns); each cell is
/// `[month offset, cohort index, retention %]`. Month 0 is 100% by definition: left out, so the
/// colours show the months after.
pub fn cohorts(c: &Churn, l: &ChurnLabels) -> Value {
    let months: Vec<&str> = c.cohorts.iter().map(|k| k.month.as_str()).collect();
    let max_offset = c.cohorts.iter().map(|k| k.retention.len()).max().unwrap_or(0);
    let data: Vec<Value> = c
        .cohorts
        .iter()
        .enumerate()
        .flat_map(|(y, k)| k.retention.iter().enumerate().skip(1).map(move |(x, r)| json!([x, y, percent_value(*r)])))
        .collect();
    with(
        frame(json!({ "position": "top" })),
        json!({
            "grid": heat_grid(64),
            "xAxis": named(category_axis((0..max_offset).map(|i| i.to_string()).collect::<Vec<_>>()), &l.month_offset, true),
            "yAxis": with(category_axis(months), json!({ "inverse": true })),
            "visualMap": with(heat_scale(50.0, 160), json!({ "formatter": "{value}%" })),
            "series": [{ "type": "heatmap", "name": l.cohorts, "data": data }]
        }),
    )
}

/// The cohort month and month offset of a clicked cell of [`cohorts`].
pub fn cohort_at(c: &Churn, cell: &Value) -> Option<(String, u16)> {
    let offset = u16::try_from(cell.get(0)?.as_u64()?).ok()?;
    let cohort = c.cohorts.get(usize::try_from(cell.get(1)?.as_u64()?).ok()?)?;
    Some((cohort.month.clone(), offset))
}

pub fn cohorts_table(c: &Churn, l: &ChurnLabels) -> Table {
    let columns = c.cohorts.iter().map(|k| k.retention.len()).max().unwrap_or(0).min(COHORT_TABLE_MONTHS);
    let mut head = vec![l.cohort.clone(), l.members.clone()];
    head.extend((0..columns).map(|i| fill(&l.month_n, &[("n", &i.to_string())])));
    let rows = c
        .cohorts
        .iter()
        .map(|k| {
            let mut row = vec![k.month.clone(), thousands(k.members as i64)];
            row.extend(k.retention.iter().take(columns).map(|r| percent(*r)));
            row
        })
        .collect();
    Table { head, rows }
}

/// For the cohort table's cells, what a click on the same cell of the chart gives
/// (`[month offset, cohort index]`, read by [`cohort_at`]): the retention cells open the members
/// active in that month; the members cell, the whole cohort (month 0).
pub fn cohort_table_clicks(c: &Churn) -> Vec<Vec<Option<Value>>> {
    let columns = c.cohorts.iter().map(|k| k.retention.len()).max().unwrap_or(0).min(COHORT_TABLE_MONTHS);
    c.cohorts
        .iter()
        .enumerate()
        .map(|(y, k)| {
            let mut row = vec![None, Some(json!([0, y]))];
            row.extend((0..k.retention.len().min(columns)).map(|x| Some(json!([x, y]))));
            row
        })
        .collect()
}

/// The share of members who came back in their second year, by visits in their first.
pub fn second_year(c: &Churn, l: &ChurnLabels) -> Value {
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid_with_x_name(),
            "xAxis": named(category_axis(c.second_year.iter().map(|b| b.visits.as_str()).collect::<Vec<_>>()), &l.first_year_visits, true),
            "yAxis": with(percent_axis(), json!({ "max": 100 })),
            "series": [{ "type": "bar", "name": l.renewal_rate, "label": { "show": true, "position": "top", "formatter": "{c}%" },
                "data": c.second_year.iter().map(|b| percent_value(b.rate)).collect::<Vec<_>>() }]
        }),
    )
}

pub fn second_year_table(c: &Churn, l: &ChurnLabels) -> Table {
    Table {
        head: vec![l.first_year_visits.clone(), l.members.clone(), l.renewed.clone(), l.renewal_rate.clone()],
        rows: c
            .second_year
            .iter()
            .map(|b| vec![b.visits.clone(), thousands(b.members as i64), thousands(b.renewed as i64), percent(b.rate)])
            .collect(),
    }
}

/// The share of expired members buying in each month from 6 before to 6 after expiry.
pub fn expiry(e: &ExpiryRenewal, l: &ChurnLabels) -> Value {
    let offsets: Vec<String> = (-EXPIRY_SPAN..=EXPIRY_SPAN).map(|i| i.to_string()).collect();
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({
            "grid": grid_with_x_name(),
            "xAxis": named(category_axis(offsets), &l.months_from_expiry, true),
            "yAxis": percent_axis(),
            "series": [{ "type": "line", "name": l.active_share, "markLine": { "symbol": "none", "label": { "formatter": l.expiry }, "data": [{ "xAxis": "0" }] },
                "data": e.active_by_month.iter().map(|v| percent_value(*v)).collect::<Vec<_>>() }]
        }),
    )
}

pub fn expiry_table(e: &ExpiryRenewal, l: &ChurnLabels) -> Table {
    Table {
        head: vec![l.months_from_expiry.clone(), l.active_share.clone()],
        rows: e.active_by_month.iter().zip(-EXPIRY_SPAN..).map(|(v, i)| vec![i.to_string(), percent(*v)]).collect(),
    }
}

/// Fails unless the x-axis name of `option` fits under its axis inside the canvas: ECharts
/// draws a centred name `nameGap` px below the axis line, past the labels (about 20 px deep),
/// and `containLabel` keeps only the labels inside the grid, not the name.
#[cfg(test)]
pub(crate) fn assert_x_name_inside(option: &Value) {
    const LABEL_DEPTH: f64 = 20.0;
    const NAME_HEIGHT: f64 = 14.0;
    let (axis, grid) = (&option["xAxis"], &option["grid"]);
    assert!(axis["name"].as_str().is_some_and(|n| !n.is_empty()), "no x-axis name in {option}");
    assert_eq!(axis["nameLocation"], "middle", "a name at the axis end runs off the right edge");
    let gap = axis["nameGap"].as_f64().expect("nameGap");
    let bottom = grid["bottom"].as_f64().expect("grid bottom in px");
    let needed = if grid["containLabel"] == json!(true) { gap + NAME_HEIGHT - LABEL_DEPTH } else { gap + NAME_HEIGHT };
    assert!(gap >= LABEL_DEPTH, "the name would overlap the labels: nameGap {gap}");
    assert!(bottom >= needed, "grid bottom {bottom} leaves no room for the name ({needed} needed)");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::clicked_key;
    use crate::charts::testing::{assert_labelled, series_data};
    use crate::engine::churn::{Cohort, FrequencyRenewal};

    fn labels() -> ChurnLabels {
        let l = |s: &str| format!("L-{s}");
        ChurnLabels {
            lifecycle: l("lifecycle"),
            state: l("state"),
            members: l("members"),
            share: l("share"),
            month: l("month"),
            active_at_start: l("active-at-start"),
            turned_sleeping: l("turned-sleeping"),
            churn_rate: l("churn-rate"),
            cohort: l("cohort"),
            cohorts: l("cohorts"),
            month_offset: l("month-offset"),
            month_n: "M%n%".into(),
            first_year_visits: l("first-year-visits"),
            renewed: l("renewed"),
            renewal_rate: l("renewal-rate"),
            months_from_expiry: l("months-from-expiry"),
            active_share: l("active-share"),
            not_measurable: l("not-measurable"),
            first_measured: l("first-measured"),
            expiry: l("expiry"),
        }
    }

    fn state(key: Lifecycle, members: u32, share: f64) -> SegmentStat<Lifecycle> {
        SegmentStat { key, members, share, revenue_cents: 0, revenue_12m_cents: 0, mean_recency_days: 0.0, mean_frequency: 0.0, mean_monetary_cents: 0.0 }
    }

    fn churn() -> Churn {
        Churn {
            months: vec![ChurnMonth { month: "2024-01".into(), active_at_start: 8, turned_sleeping: 2, churn_rate: 0.25, measurable: true }],
            cohorts: vec![
                Cohort { month: "2024-01".into(), members: 4, retention: vec![1.0, 0.5, 0.25] },
                Cohort { month: "2024-02".into(), members: 3, retention: vec![1.0, 1.0 / 3.0] },
            ],
            second_year: vec![FrequencyRenewal { visits: "1".into(), members: 5, renewed: 1, rate: 0.2 }],
            expiry: Some(ExpiryRenewal { expired: 2, stayed: 1, stay_rate: 0.5, active_by_month: (0..13).map(|i| i as f64 / 100.0).collect() }),
        }
    }

    #[test]
    fn lifecycle_bars_leave_never_bought_apart() {
        let states = vec![state(Lifecycle::New, 3, 0.3), state(Lifecycle::Lost, 5, 0.5), state(Lifecycle::NeverBought, 2, 0.2)];
        let name = |k: Lifecycle| format!("N-{}", k.key());
        let o = lifecycle(&states, &labels(), name);
        // Bars on a category axis, one per state: the states do not nest, a funnel would lie.
        assert_eq!(o["series"][0]["type"], "bar");
        assert_eq!(o["yAxis"]["data"], json!(["N-new", "N-lost"]));
        assert_eq!(o["xAxis"]["type"], "value");
        assert_eq!(o["yAxis"]["axisLabel"]["overflow"], "break", "long names wrap");
        let data = series_data(&o, 0);
        assert_eq!(data.len(), 2);
        assert_eq!((data[0]["value"].clone(), data[1]["value"].clone()), (json!(3), json!(5)));
        assert_eq!(clicked_key::<Lifecycle>(&data[1]), Some(Lifecycle::Lost));
        assert_labelled(&o, &["L-lifecycle", "N-new", "N-lost"]);
        let t = lifecycle_table(&states, &labels(), name);
        assert_eq!(t.head, vec!["L-state", "L-members", "L-share"]);
        assert_eq!(t.rows[2], vec!["N-never_bought", "2", "20.0%"]);
    }

    #[test]
    fn months_with_churn_rate_in_percent() {
        let o = months(&churn(), &labels());
        assert_eq!(series_data(&o, 0), &vec![json!(2)]);
        assert_eq!(series_data(&o, 1), &vec![json!(8)]);
        assert_eq!(series_data(&o, 2), &vec![json!(25.0)]);
        assert_labelled(&o, &["L-turned-sleeping", "L-active-at-start", "L-churn-rate"]);
        let t = months_table(&churn(), &labels());
        assert_eq!(t.head, vec!["L-month", "L-active-at-start", "L-turned-sleeping", "L-churn-rate"]);
        assert_eq!(t.rows[0], vec!["2024-01", "8", "2", "25.0%"]);
        assert!(o["series"][0].get("markLine").is_none(), "no line when every month is measured");
        assert!(!has_unmeasurable(&churn()));
    }

    #[test]
    fn unmeasurable_months_are_gaps_not_zero() {
        let month = |m: &str, active, turned, rate, measurable| ChurnMonth { month: m.into(), active_at_start: active, turned_sleeping: turned, churn_rate: rate, measurable };
        let c = Churn {
            months: vec![month("2023-01", 0, 0, 0.0, false), month("2023-02", 5, 0, 0.0, false), month("2023-03", 10, 3, 0.3, true)],
            ..churn()
        };
        assert!(has_unmeasurable(&c));
        let o = months(&c, &labels());
        assert_eq!(series_data(&o, 0), &vec![Value::Null, Value::Null, json!(3)]);
        // The first measured month: labelled above its bar, its rate out of the line.
        let mark = &o["series"][0]["markPoint"];
        assert_eq!(mark["data"][0]["coord"], json!(["2023-03", 3]));
        assert_eq!(mark["label"]["formatter"], "L-first-measured");
        assert_eq!(series_data(&o, 2), &vec![Value::Null, Value::Null, Value::Null]);
        // The members active at the start are a count, shown for every month.
        assert_eq!(series_data(&o, 1), &vec![json!(0), json!(5), json!(10)]);
        let line = &o["series"][0]["markLine"];
        assert_eq!(line["data"][0]["xAxis"], "2023-03", "the line where measuring starts");
        assert_eq!(line["label"]["formatter"], "← L-not-measurable");
        let t = months_table(&c, &labels());
        assert_eq!(t.rows[1], vec!["2023-02", "5", "L-not-measurable", "L-not-measurable"]);
        assert_eq!(t.rows[2], vec!["2023-03", "10", "3", "30.0%"]);
        assert_eq!(first_measured_after_gap(&c).map(|m| m.month.as_str()), Some("2023-03"));
        // A later month is plotted as it is.
        let later = Churn { months: [c.months.clone(), vec![month("2023-04", 9, 1, 1.0 / 9.0, true)]].concat(), ..churn() };
        let o = months(&later, &labels());
        assert_eq!(series_data(&o, 0)[3], json!(1));
        assert_eq!(series_data(&o, 2)[3], json!(11.1));
        // With no month before it unmeasurable, the first month is not singled out.
        assert_eq!(first_measured_after_gap(&churn()), None);
    }

    #[test]
    fn x_axis_names_fit_inside_the_canvas() {
        let c = churn();
        assert_x_name_inside(&second_year(&c, &labels()));
        assert_x_name_inside(&expiry(&c.expiry.clone().unwrap(), &labels()));
        assert_x_name_inside(&cohorts(&c, &labels()));
    }

    #[test]
    fn cohort_cells_after_month_zero_and_their_clicks() {
        let c = churn();
        let o = cohorts(&c, &labels());
        let data = series_data(&o, 0);
        assert_eq!(data, &vec![json!([1, 0, 50.0]), json!([2, 0, 25.0]), json!([1, 1, 33.3])]);
        assert_eq!(o["xAxis"]["data"], json!(["0", "1", "2"]));
        assert_eq!(cohort_at(&c, &data[2]), Some(("2024-02".to_string(), 1)));
        assert_eq!(cohort_at(&c, &json!([1, 9, 0.0])), None);
        assert_labelled(&o, &["L-month-offset", "L-cohorts"]);
        let t = cohorts_table(&c, &labels());
        assert_eq!(t.head, vec!["L-cohort", "L-members", "M0", "M1", "M2"]);
        assert_eq!(t.rows[1], vec!["2024-02", "3", "100.0%", "33.3%"]);
        // The table's cells open what the chart's cells open: each cell's click is read back as
        // that row's cohort and that column's month; the cohort's name is not clickable.
        let clicks = cohort_table_clicks(&c);
        assert_eq!(clicks.len(), t.rows.len());
        assert_eq!(clicks[1].len(), t.rows[1].len());
        assert_eq!(clicks[1][0], None);
        assert_eq!(cohort_at(&c, clicks[1][1].as_ref().unwrap()), Some(("2024-02".to_string(), 0)));
        assert_eq!(cohort_at(&c, clicks[1][3].as_ref().unwrap()), Some(("2024-02".to_string(), 1)));
        assert_eq!(cohort_at(&c, clicks[0][4].as_ref().unwrap()), Some(("2024-01".to_string(), 2)));
    }

    #[test]
    fn second_year_and_expiry() {
        let c = churn();
        let o = second_year(&c, &labels());
        assert_eq!(series_data(&o, 0), &vec![json!(20.0)]);
        assert_labelled(&o, &["L-first-year-visits", "L-renewal-rate"]);
        assert_eq!(second_year_table(&c, &labels()).rows[0], vec!["1", "5", "1", "20.0%"]);
        let e = c.expiry.unwrap();
        let o = expiry(&e, &labels());
        assert_eq!(o["xAxis"]["data"][0], "-6");
        assert_eq!(o["xAxis"]["data"][12], "6");
        assert_eq!(series_data(&o, 0)[7], json!(7.0));
        assert_labelled(&o, &["L-months-from-expiry", "L-active-share"]);
        // The dashed marker at month 0 says what it is, not "0".
        assert_eq!(o["series"][0]["markLine"]["label"]["formatter"], "L-expiry");
        let t = expiry_table(&e, &labels());
        assert_eq!(t.rows[0], vec!["-6", "0.0%"]);
        assert_eq!(t.rows[12], vec!["6", "12.0%"]);
    }
}
