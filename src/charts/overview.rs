//! The Overview page's figures: the KPI cards' changes against earlier periods, revenue and
//! active members per month (optionally with last year's revenue), and the per-store comparison.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{category_axis, frame, frame_with_legend, grid, value_axis, with, yuan_value, Table};
use crate::engine::analysis::StoreRow;
use crate::engine::overview::{Overview, PeriodComparison, PeriodFigures};
use crate::format::{percent, thousands, yuan};

pub struct OverviewLabels {
    pub month: String,
    pub revenue: String,
    pub active: String,
    /// Last year's revenue in the same month (the overlay's series and column).
    pub revenue_last_year: String,
}

/// Revenue (bars, left axis) and active members (line, right axis) per month; with
/// The year-earlier line's colour.
const LAST_YEAR_COLOUR: &str = "#8a94a6";

/// `last_year`, also the revenue of the same month a year earlier (dashed line, left axis).
pub fn monthly(o: &Overview, l: &OverviewLabels, last_year: bool) -> Value {
    let months: Vec<&str> = o.months.iter().map(|m| m.month.as_str()).collect();
    let revenue: Vec<f64> = o.months.iter().map(|m| yuan_value(m.revenue_cents as f64)).collect();
    let active: Vec<u32> = o.months.iter().map(|m| m.active_members).collect();
    let mut series = vec![
        json!({ "type": "bar", "name": l.revenue, "data": revenue }),
        json!({ "type": "line", "name": l.active, "yAxisIndex": 1, "data": active }),
    ];
    if last_year {
        let earlier: Vec<Option<f64>> = year_earlier_revenue(o).into_iter().map(|c| c.map(|c| yuan_value(c as f64))).collect();
        series.push(json!({
            "type": "line", "name": l.revenue_last_year, "data": earlier, "connectNulls": false,
            // A mid grey that reads on the light and on the dark card (the palette's third
            // colour is a dark slate, invisible in dark mode).
            "lineStyle": { "type": "dashed", "color": LAST_YEAR_COLOUR }, "itemStyle": { "color": LAST_YEAR_COLOUR }, "symbol": "none"
        }));
    }
    with(
        frame_with_legend(json!({ "trigger": "axis" })),
        json!({ "grid": grid(), "xAxis": category_axis(months), "yAxis": [value_axis(), value_axis()], "series": series }),
    )
}

/// For each month of the series, the revenue of the same month a year earlier (`None` before
/// the series starts). Looked up by name, so a gap in the series cannot shift the months.
pub fn year_earlier_revenue(o: &Overview) -> Vec<Option<i64>> {
    let by_month: HashMap<&str, i64> = o.months.iter().map(|m| (m.month.as_str(), m.revenue_cents)).collect();
    o.months.iter().map(|m| year_before(&m.month).and_then(|k| by_month.get(k.as_str()).copied())).collect()
}

/// `2024-03` → `2023-03`.
fn year_before(month: &str) -> Option<String> {
    let (year, rest) = month.split_once('-')?;
    let year: i32 = year.parse().ok()?;
    Some(format!("{:04}-{rest}", year - 1))
}

pub fn monthly_table(o: &Overview, l: &OverviewLabels, last_year: bool) -> Table {
    let mut head = vec![l.month.clone(), l.revenue.clone(), l.active.clone()];
    let earlier = year_earlier_revenue(o);
    if last_year {
        head.push(l.revenue_last_year.clone());
    }
    let rows = o
        .months
        .iter()
        .zip(earlier)
        .map(|(m, e)| {
            let mut row = vec![m.month.clone(), yuan(m.revenue_cents), thousands(m.active_members as i64)];
            if last_year {
                row.push(e.map(yuan).unwrap_or_default());
            }
            row
        })
        .collect();
    Table { head, rows }
}

// ---- Changes against earlier periods -------------------------------------------------------

/// Which way a figure went, as the cards draw it (▲ green, ▼ red, = grey).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrow {
    Up,
    Down,
    Same,
}

impl Arrow {
    pub fn symbol(self) -> &'static str {
        match self {
            Arrow::Up => "▲",
            Arrow::Down => "▼",
            Arrow::Same => "=",
        }
    }

    /// The CSS class that colours it.
    pub fn class(self) -> &'static str {
        match self {
            Arrow::Up => "up",
            Arrow::Down => "down",
            Arrow::Same => "same",
        }
    }

    fn of(difference: f64) -> Arrow {
        if difference > 0.0 {
            Arrow::Up
        } else if difference < 0.0 {
            Arrow::Down
        } else {
            Arrow::Same
        }
    }
}

/// How a figure is written: money in whole yuan, a count, or a share (changes in percentage
/// points, not percent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Cents,
    Count,
    Share,
}

/// A figure's change against an earlier period, in the units the card shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub arrow: Arrow,
    /// Relative change in percent, one decimal; `None` for shares (their change is in points)
    /// and when the earlier value is 0 (no percentage of nothing).
    pub percent: Option<f64>,
    /// The difference as written: `+¥4,210`, `-12`, `+1.5` (percentage points, unit added by
    /// the page).
    pub absolute: String,
}

/// The change from `before` to `now`. The arrow follows the difference as shown (a change
/// under ¥0.50 or 0.05 points is "="), so it never contradicts the figure next to it.
pub fn change(now: f64, before: f64, unit: Unit) -> Change {
    let shown = match unit {
        Unit::Cents => yuan_value(now - before),
        Unit::Count => (now - before).round(),
        Unit::Share => ((now - before) * 1000.0).round() / 10.0,
    };
    let arrow = Arrow::of(shown);
    let sign = if shown > 0.0 { "+" } else { "" };
    let absolute = match unit {
        // `yuan` writes minus signs itself; whole yuan already, so ×100 is exact.
        Unit::Cents => format!("{sign}{}", yuan((shown * 100.0) as i64)),
        Unit::Count => format!("{sign}{}", thousands(shown as i64)),
        Unit::Share => format!("{sign}{shown:.1}"),
    };
    let percent = match unit {
        Unit::Share => None,
        _ if before == 0.0 || arrow == Arrow::Same => None,
        _ => Some(round1((now - before) / before.abs() * 100.0)),
    };
    Change { arrow, percent: percent.filter(|p| p.is_finite()), absolute }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One comparison line of a card: a change, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Compared {
    Change(Change),
    /// The data does not reach back to the earlier period's start.
    NotComparable,
}

/// The six figures a period card shows, in the card order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodKpi {
    Revenue,
    Orders,
    AvgTicket,
    Active,
    New,
    RepeatRate,
}

pub const PERIOD_KPIS: [PeriodKpi; 6] =
    [PeriodKpi::Revenue, PeriodKpi::Orders, PeriodKpi::AvgTicket, PeriodKpi::Active, PeriodKpi::New, PeriodKpi::RepeatRate];

impl PeriodKpi {
    pub fn unit(self) -> Unit {
        match self {
            PeriodKpi::Revenue | PeriodKpi::AvgTicket => Unit::Cents,
            PeriodKpi::Orders | PeriodKpi::Active | PeriodKpi::New => Unit::Count,
            PeriodKpi::RepeatRate => Unit::Share,
        }
    }

    /// The figure in a period (cents, a count, or a share 0..=1).
    pub fn of(self, p: &PeriodFigures) -> f64 {
        match self {
            PeriodKpi::Revenue => p.revenue_cents as f64,
            PeriodKpi::Orders => p.orders as f64,
            PeriodKpi::AvgTicket => p.avg_ticket_cents as f64,
            PeriodKpi::Active => p.active_members as f64,
            PeriodKpi::New => p.new_members as f64,
            PeriodKpi::RepeatRate => p.repeat_rate,
        }
    }

    /// The card's `data-kpi` id. The 12-month cards keep the ids of the figures the engine's
    /// KPIs had (`revenue_12m_cents` …), so scripts reading them keep working.
    pub fn id(self, days: u32) -> String {
        let span = if days == 365 { "12m".to_string() } else { format!("{days}d") };
        match self {
            PeriodKpi::Revenue => format!("revenue_{span}_cents"),
            PeriodKpi::Orders => format!("orders_{span}"),
            PeriodKpi::AvgTicket => format!("avg_ticket_{span}_cents"),
            PeriodKpi::Active => format!("active_members_{span}"),
            PeriodKpi::New => format!("new_members_{span}"),
            PeriodKpi::RepeatRate => format!("repeat_rate_{span}"),
        }
    }

    /// The exact figure for `data-value` (cents and counts as integers).
    pub fn value(self, p: &PeriodFigures) -> String {
        match self.unit() {
            Unit::Share => p.repeat_rate.to_string(),
            _ => format!("{}", self.of(p) as i64),
        }
    }

    /// The figure as people read it.
    pub fn text(self, p: &PeriodFigures) -> String {
        match self.unit() {
            Unit::Cents => yuan(self.of(p) as i64),
            Unit::Count => thousands(self.of(p) as i64),
            Unit::Share => percent(self.of(p)),
        }
    }
}

/// `kpi` now against an earlier period: not comparable unless the data covers the earlier one.
pub fn compare(kpi: PeriodKpi, now: &PeriodFigures, before: &PeriodFigures) -> Compared {
    if !before.covered {
        return Compared::NotComparable;
    }
    Compared::Change(change(kpi.of(now), kpi.of(before), kpi.unit()))
}

/// The comparison of `days` days, if the engine gave one.
pub fn period(o: &Overview, days: u32) -> Option<&PeriodComparison> {
    o.periods.iter().find(|p| p.days == days)
}

/// Whether the year-earlier line says something the previous-period line does not: with 12
/// months the period before and the one a year earlier are the same days.
pub fn year_earlier_differs(p: &PeriodComparison) -> bool {
    p.previous.start != p.year_earlier.start || p.previous.end != p.year_earlier.end
}

/// A change written for a card line, without what it is compared with: `▲ 12.3% (+¥4,210)`,
/// `▲ +¥4,210` (the earlier value was 0), `▼ 1.5` + `points` for shares.
pub fn change_text(c: &Change, points: &str) -> String {
    match c.percent {
        Some(p) => format!("{} {:.1}% ({})", c.arrow.symbol(), p.abs(), c.absolute),
        None if points.is_empty() => format!("{} {}", c.arrow.symbol(), c.absolute),
        None => format!("{} {} {points}", c.arrow.symbol(), c.absolute),
    }
}

// ---- Per-store comparison ------------------------------------------------------------------

pub struct StoreLabels {
    pub store: String,
    pub members: String,
    pub active: String,
    pub revenue: String,
    pub avg_ticket: String,
    pub repeat_rate: String,
    pub churn_rate: String,
    /// The name of the "" row (members and walk-ins without a store).
    pub no_store: String,
    /// Added after the name of a store in the current scope.
    pub in_scope: String,
}

/// A store's name as shown (`""` is "without a store").
pub fn store_name(row: &StoreRow, l: &StoreLabels) -> String {
    if row.store.is_empty() {
        l.no_store.clone()
    } else {
        row.store.clone()
    }
}

/// Whether a store is in a narrowed scope (an empty scope is all stores: nothing is marked).
pub fn marked_in_scope(row: &StoreRow, scope: &[String]) -> bool {
    !scope.is_empty() && scope.iter().any(|s| *s == row.store)
}

/// Revenue in the last 12 months per store (bars).
pub fn store_revenue(rows: &[StoreRow], l: &StoreLabels) -> Value {
    let names: Vec<String> = rows.iter().map(|r| store_name(r, l)).collect();
    let revenue: Vec<f64> = rows.iter().map(|r| yuan_value(r.revenue_12m_cents as f64)).collect();
    with(
        frame(json!({ "trigger": "axis" })),
        json!({
            "grid": with(grid(), json!({ "top": 24 })),
            "xAxis": with(category_axis(names), json!({ "axisLabel": { "interval": 0, "hideOverlap": true } })),
            "yAxis": value_axis(),
            "series": [{ "type": "bar", "name": l.revenue, "data": revenue }]
        }),
    )
}

pub fn store_table(rows: &[StoreRow], scope: &[String], l: &StoreLabels) -> Table {
    Table {
        head: vec![
            l.store.clone(),
            l.members.clone(),
            l.active.clone(),
            l.revenue.clone(),
            l.avg_ticket.clone(),
            l.repeat_rate.clone(),
            l.churn_rate.clone(),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let name = store_name(r, l);
                let name = if marked_in_scope(r, scope) { format!("{name} ({})", l.in_scope) } else { name };
                vec![
                    name,
                    thousands(r.members as i64),
                    thousands(r.active_members_12m as i64),
                    yuan(r.revenue_12m_cents),
                    yuan(r.avg_ticket_12m_cents),
                    percent(r.repeat_rate),
                    percent(r.churn_rate),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{assert_labelled, series_data};
    use crate::engine::overview::MonthPoint;

    fn labels() -> OverviewLabels {
        OverviewLabels {
            month: "L-month".into(),
            revenue: "L-revenue".into(),
            active: "L-active".into(),
            revenue_last_year: "L-last-year".into(),
        }
    }

    fn m(month: &str, revenue_cents: i64, active_members: u32) -> MonthPoint {
        MonthPoint { month: month.into(), revenue_cents, active_members, partial: false }
    }

    fn two_months() -> Overview {
        Overview { months: vec![m("2024-01", 123_450, 7), m("2024-02", 9_949, 3)], ..Default::default() }
    }

    #[test]
    fn revenue_in_yuan_and_active_members_by_month() {
        let o = monthly(&two_months(), &labels(), false);
        assert_eq!(o["xAxis"]["data"], json!(["2024-01", "2024-02"]));
        // ¥1,234.50 and ¥99.49, rounded to whole yuan.
        assert_eq!(series_data(&o, 0), &vec![json!(1235.0), json!(99.0)]);
        assert_eq!(series_data(&o, 1), &vec![json!(7), json!(3)]);
        assert_eq!(o["series"][1]["yAxisIndex"], 1);
        assert_eq!(o["series"].as_array().unwrap().len(), 2);
        assert_labelled(&o, &["L-revenue", "L-active"]);
    }

    #[test]
    fn table_says_the_same() {
        let t = monthly_table(&two_months(), &labels(), false);
        assert_eq!(t.head, vec!["L-month", "L-revenue", "L-active"]);
        assert_eq!(t.rows[0], vec!["2024-01", "¥1,235", "7"]);
        assert_eq!(t.rows[1], vec!["2024-02", "¥99", "3"]);
    }

    /// 2023-11 … 2025-01: the overlay shows 2023-11 … 2024-01 under 2024-11 … 2025-01.
    #[test]
    fn last_year_overlay_takes_the_same_month_a_year_earlier() {
        let months: Vec<MonthPoint> = (0..15)
            .map(|i| {
                let (y, mo) = (2023 + (10 + i) / 12, (10 + i) % 12 + 1);
                m(&format!("{y:04}-{mo:02}"), (i as i64 + 1) * 10_000, 1)
            })
            .collect();
        let o = Overview { months, ..Default::default() };
        assert_eq!(o.months[12].month, "2024-11");
        let earlier = year_earlier_revenue(&o);
        assert!(earlier[..12].iter().all(Option::is_none));
        assert_eq!(&earlier[12..], &[Some(10_000), Some(20_000), Some(30_000)]);
        let c = monthly(&o, &labels(), true);
        let overlay = series_data(&c, 2);
        assert_eq!(overlay[11], Value::Null);
        assert_eq!(overlay[12..], [json!(100.0), json!(200.0), json!(300.0)]);
        assert_eq!(c["series"][2]["lineStyle"]["type"], "dashed");
        assert_eq!(c["series"][2]["yAxisIndex"], Value::Null, "on the revenue axis");
        assert_labelled(&c, &["L-revenue", "L-active", "L-last-year"]);
        let t = monthly_table(&o, &labels(), true);
        assert_eq!(t.head[3], "L-last-year");
        assert_eq!(t.rows[0][3], "");
        assert_eq!(t.rows[14], vec!["2025-01", "¥1,500", "1", "¥300"]);
    }

    #[test]
    fn money_changes_in_percent_and_yuan() {
        // ¥1,000 → ¥1,123.45: +12.3%, +¥123.
        let c = change(112_345.0, 100_000.0, Unit::Cents);
        assert_eq!(c, Change { arrow: Arrow::Up, percent: Some(12.3), absolute: "+¥123".into() });
        assert_eq!(change_text(&c, "pp"), "▲ 12.3% (+¥123)");
        let down = change(50_000.0, 200_000.0, Unit::Cents);
        assert_eq!(down, Change { arrow: Arrow::Down, percent: Some(-75.0), absolute: "-¥1,500".into() });
        assert_eq!(change_text(&down, "pp"), "▼ 75.0% (-¥1,500)");
    }

    #[test]
    fn from_zero_only_the_absolute_change() {
        let c = change(4_210.0, 0.0, Unit::Count);
        assert_eq!(c, Change { arrow: Arrow::Up, percent: None, absolute: "+4,210".into() });
        assert_eq!(change_text(&c, ""), "▲ +4,210");
    }

    #[test]
    fn no_shown_change_is_equal() {
        // 40 cents is ¥0 as shown: "=", not an up arrow beside "+¥0".
        let c = change(100_040.0, 100_000.0, Unit::Cents);
        assert_eq!((c.arrow, c.percent, c.absolute.as_str()), (Arrow::Same, None, "¥0"));
        assert_eq!(change(7.0, 7.0, Unit::Count).arrow, Arrow::Same);
        assert_eq!(change_text(&change(0.0, 0.0, Unit::Count), ""), "= 0");
    }

    #[test]
    fn shares_change_in_points() {
        // 25% → 31.25%: 6.3 points (not +25%).
        let c = change(0.3125, 0.25, Unit::Share);
        assert_eq!(c, Change { arrow: Arrow::Up, percent: None, absolute: "+6.3".into() });
        assert_eq!(change_text(&c, "pp"), "▲ +6.3 pp");
        let d = change(0.1, 0.4, Unit::Share);
        assert_eq!((d.arrow, d.absolute.as_str()), (Arrow::Down, "-30.0"));
        assert_eq!(change_text(&d, "个百分点"), "▼ -30.0 个百分点");
    }

    fn figures(covered: bool, revenue_cents: i64, repeat_rate: f64) -> PeriodFigures {
        PeriodFigures { covered, revenue_cents, orders: 4, repeat_rate, ..Default::default() }
    }

    #[test]
    fn an_uncovered_period_is_not_comparable() {
        let now = figures(true, 20_000, 0.5);
        assert_eq!(compare(PeriodKpi::Revenue, &now, &figures(false, 10_000, 0.5)), Compared::NotComparable);
        let Compared::Change(c) = compare(PeriodKpi::Revenue, &now, &figures(true, 10_000, 0.5)) else { panic!("comparable") };
        assert_eq!((c.arrow, c.percent), (Arrow::Up, Some(100.0)));
        let Compared::Change(r) = compare(PeriodKpi::RepeatRate, &now, &figures(true, 10_000, 0.25)) else { panic!("comparable") };
        assert_eq!(r.absolute, "+25.0");
    }

    #[test]
    fn card_ids_values_and_texts() {
        let p = PeriodFigures { revenue_cents: 123_450, orders: 1234, avg_ticket_cents: 9_950, active_members: 5, new_members: 2, repeat_rate: 0.25, ..Default::default() };
        let ids: Vec<String> = PERIOD_KPIS.iter().map(|k| k.id(365)).collect();
        assert_eq!(ids, ["revenue_12m_cents", "orders_12m", "avg_ticket_12m_cents", "active_members_12m", "new_members_12m", "repeat_rate_12m"]);
        assert_eq!(PeriodKpi::Revenue.id(30), "revenue_30d_cents");
        let values: Vec<String> = PERIOD_KPIS.iter().map(|k| k.value(&p)).collect();
        assert_eq!(values, ["123450", "1234", "9950", "5", "2", "0.25"]);
        let texts: Vec<String> = PERIOD_KPIS.iter().map(|k| k.text(&p)).collect();
        assert_eq!(texts, ["¥1,235", "1,234", "¥100", "5", "2", "25.0%"]);
    }

    #[test]
    fn twelve_months_have_one_earlier_period() {
        let f = |start: &str, end: &str| PeriodFigures { start: start.into(), end: end.into(), ..Default::default() };
        let year = PeriodComparison { days: 365, current: f("2024-01-01", "2024-12-30"), previous: f("2023-01-01", "2023-12-31"), year_earlier: f("2023-01-01", "2023-12-31") };
        assert!(!year_earlier_differs(&year));
        let month = PeriodComparison { days: 30, current: f("2024-12-01", "2024-12-30"), previous: f("2024-11-01", "2024-11-30"), year_earlier: f("2023-12-02", "2023-12-31") };
        assert!(year_earlier_differs(&month));
        let o = Overview { periods: vec![year.clone(), month], ..Default::default() };
        assert_eq!(period(&o, 365), Some(&year));
        assert_eq!(period(&o, 90), None);
    }

    fn store(name: &str, members: u32, revenue_12m_cents: i64) -> StoreRow {
        StoreRow { store: name.into(), members, active_members_12m: members / 2, revenue_12m_cents, avg_ticket_12m_cents: 12_345, repeat_rate: 0.5, churn_rate: 0.125 }
    }

    fn store_labels() -> StoreLabels {
        StoreLabels {
            store: "L-store".into(),
            members: "L-members".into(),
            active: "L-active".into(),
            revenue: "L-revenue".into(),
            avg_ticket: "L-ticket".into(),
            repeat_rate: "L-repeat".into(),
            churn_rate: "L-churn".into(),
            no_store: "L-none".into(),
            in_scope: "L-in".into(),
        }
    }

    #[test]
    fn stores_compared_in_a_table_and_bars() {
        let rows = vec![store("徐汇店", 10, 500_000), store("", 4, 12_300)];
        let l = store_labels();
        let t = store_table(&rows, &["徐汇店".to_string()], &l);
        assert_eq!(t.head, ["L-store", "L-members", "L-active", "L-revenue", "L-ticket", "L-repeat", "L-churn"]);
        assert_eq!(t.rows[0], ["徐汇店 (L-in)", "10", "5", "¥5,000", "¥123", "50.0%", "12.5%"]);
        assert_eq!(t.rows[1][0], "L-none");
        // All stores in scope: none is marked.
        assert_eq!(store_table(&rows, &[], &l).rows[0][0], "徐汇店");
        let c = store_revenue(&rows, &l);
        assert_eq!(c["xAxis"]["data"], json!(["徐汇店", "L-none"]));
        assert_eq!(series_data(&c, 0), &vec![json!(5000.0), json!(123.0)]);
        assert_labelled(&c, &["L-revenue"]);
    }
}
