//! The Overview page's figures: KPI cards and the monthly revenue / active-member series.
//!
//! Store totals (revenue, orders, average ticket) include walk-in guests; member counts never do.
//! Figures are as of the end of the analysis date D; "12 months" are the 365 days ending with D
//! (see [`super::summary`]); the monthly series runs from the first transaction's month to D's
//! month, which is marked partial unless D is its last day.

use serde::{Deserialize, Serialize};

use super::churn::MonthOfDay;
use super::dates::{format_month, month_key, month_start, Day, MonthKey};
use super::model::{Dataset, TxKind, WALK_IN};
use super::summary::{clamp_cents, in_window, PurchaseDays, Summaries, DAYS_12M};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    /// Members in the data set (from the members file, or the distinct ids of transactions).
    pub members: u32,
    /// Members with at least one purchase up to the analysis date.
    pub buyers: u32,
    /// Members with a purchase in the 365 days ending with the analysis date.
    pub active_members_12m: u32,
    /// Net sales (purchases minus refunds, members and walk-ins) in the 365 days ending with the
    /// analysis date, in cents.
    pub revenue_12m_cents: i64,
    /// Purchase rows in the last 365 days (members and walk-ins).
    pub orders_12m: u32,
    /// Gross purchases ÷ purchase rows in the last 365 days, in cents.
    pub avg_ticket_12m_cents: i64,
    /// Share of buyers with purchases on two or more days (0..=1).
    pub repeat_purchase_rate: f64,
    /// Net sales to walk-in guests in the last 365 days, in cents.
    pub walk_in_revenue_12m_cents: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthPoint {
    /// `2024-03`.
    pub month: String,
    /// Net sales in the month (members and walk-ins), in cents.
    pub revenue_cents: i64,
    /// Distinct members with a purchase in the month.
    pub active_members: u32,
    /// Whether the month is cut by the analysis date (its figures are not comparable).
    pub partial: bool,
}

/// The store figures of one period: `days` days ending with `end` (both `YYYY-MM-DD`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodFigures {
    /// First and last day of the period.
    pub start: String,
    pub end: String,
    /// Whether the data reaches back to the period's start (its first transaction is on or
    /// before `start`); a period the data only partly covers is not comparable.
    pub covered: bool,
    /// Net sales (members and walk-ins), in cents.
    pub revenue_cents: i64,
    /// Paid purchase rows (members and walk-ins).
    pub orders: u32,
    /// Gross paid purchases ÷ orders, in cents (0 without orders).
    pub avg_ticket_cents: i64,
    /// Distinct members with a purchase in the period.
    pub active_members: u32,
    /// Members whose first purchase ever falls in the period.
    pub new_members: u32,
    /// Of the active members, the share with purchases on two or more days of the period (0..=1).
    pub repeat_rate: f64,
    /// Net sales to walk-in guests, in cents.
    pub walk_in_revenue_cents: i64,
}

/// One period length compared: the period ending with D, the one just before it, and the one a
/// year earlier (the same days 365 days back).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodComparison {
    /// The period's length in days (30, 90, 365 …).
    pub days: u32,
    pub current: PeriodFigures,
    pub previous: PeriodFigures,
    pub year_earlier: PeriodFigures,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub kpis: Kpis,
    pub months: Vec<MonthPoint>,
    /// The KPI periods the Overview offers ([`PERIOD_DAYS`]), each with its comparisons.
    pub periods: Vec<PeriodComparison>,
}

/// The period lengths the Overview compares: 30 days, 90 days, 12 months.
pub const PERIOD_DAYS: [u32; 3] = [30, 90, 365];

/// At most this many months in a series: 1900-01 to 2100-12. Only a data set built by hand can
/// span more; its older months are left out of the series.
pub const MAX_MONTHS: i32 = 201 * 12;

/// The first and last month of the series: the first transaction's month (at most
/// [`MAX_MONTHS`] back) to the month of the analysis date D; `None` without a row up to D.
pub fn month_range(days: impl Iterator<Item = Day>, analysis_day: Day) -> Option<(MonthKey, MonthKey)> {
    let first_day = days.filter(|&d| d <= analysis_day).min()?;
    let last_month = month_key(analysis_day);
    Some((month_key(first_day).max(last_month - (MAX_MONTHS - 1)), last_month))
}

/// Whether the month of D is cut short by it (D is not the month's last day).
pub fn month_is_partial(analysis_day: Day) -> bool {
    month_key(analysis_day.saturating_add(1)) == month_key(analysis_day)
}

pub fn overview(ds: &Dataset, sums: &Summaries) -> Overview {
    let analysis_day = sums.analysis_day;
    let tx = &ds.transactions;
    // Members as of D: those who joined later are not counted yet.
    let members_by_d = sums.members.iter().filter(|s| !s.not_yet()).count();
    let mut kpis = Kpis { members: members_by_d as u32, ..Default::default() };
    for s in &sums.members {
        if s.purchase_days > 0 {
            kpis.buyers += 1;
            if s.x() > 0 {
                kpis.repeat_purchase_rate += 1.0;
            }
            if s.last_day().is_some_and(|d| in_window(d, analysis_day, DAYS_12M)) {
                kpis.active_members_12m += 1;
            }
        }
    }
    if kpis.buyers > 0 {
        kpis.repeat_purchase_rate /= kpis.buyers as f64;
    }

    let (mut revenue_12m, mut walk_in_12m, mut gross_12m) = (0i128, 0i128, 0i128);
    let range = month_range(tx.day.iter().copied(), analysis_day);
    let (first_month, last_month) = range.unwrap_or((0, -1));
    let n_months = (last_month - first_month + 1).max(0) as usize;
    let mut revenue = vec![0i128; n_months];
    // Distinct members per month: remember the last month each member was counted in.
    let mut active = vec![0u32; n_months];
    let mut counted_in = vec![u32::MAX; ds.members.len()];
    // Month of a day from a table over the series' days: rows are often in member order, where
    // the day changes from one row to the next and a calendar conversion per row would dominate.
    let month_of = if n_months > 0 { MonthOfDay::new(month_start(first_month), analysis_day) } else { MonthOfDay::new(0, -1) };
    let mut month_of_day_cache: (Day, Option<usize>) = (Day::MIN, None);
    for r in 0..tx.len() {
        let day = tx.day[r];
        if day > analysis_day {
            continue;
        }
        let kind = tx.kind[r];
        if kind == TxKind::TopUp {
            continue;
        }
        let amount = tx.amount_cents[r];
        let in_12m = in_window(day, analysis_day, DAYS_12M);
        let m = tx.member[r];
        if in_12m {
            revenue_12m += amount as i128;
            if m == WALK_IN {
                walk_in_12m += amount as i128;
            }
        }
        // Month index; consecutive rows usually share a day, so cache the last lookup.
        let mi = if month_of_day_cache.0 == day {
            month_of_day_cache.1
        } else {
            let offset = month_of.of(day) - first_month;
            let mi = (offset >= 0).then_some(offset as usize).filter(|&i| i < n_months);
            month_of_day_cache = (day, mi);
            mi
        };
        // Visits count any sale (a free service too); orders and tickets, paid ones only.
        let is_visit = kind.is_purchase(amount);
        if is_visit && in_12m && amount > 0 {
            kpis.orders_12m += 1;
            gross_12m += amount as i128;
        }
        let Some(mi) = mi else { continue };
        revenue[mi] += amount as i128;
        if is_visit && m != WALK_IN {
            if let Some(slot) = counted_in.get_mut(m as usize).filter(|slot| **slot != mi as u32) {
                *slot = mi as u32;
                active[mi] += 1;
            }
        }
    }
    kpis.revenue_12m_cents = clamp_cents(revenue_12m);
    kpis.walk_in_revenue_12m_cents = clamp_cents(walk_in_12m);
    if kpis.orders_12m > 0 {
        kpis.avg_ticket_12m_cents = clamp_cents(gross_12m / kpis.orders_12m as i128);
    }
    let last_is_partial = month_is_partial(analysis_day);
    let months = (0..n_months)
        .map(|i| MonthPoint {
            month: format_month(first_month + i as i32),
            revenue_cents: clamp_cents(revenue[i]),
            active_members: active[i],
            partial: i + 1 == n_months && last_is_partial,
        })
        .collect();
    Overview { kpis, months, periods: Vec::new() }
}

/// The figures of each period length in [`PERIOD_DAYS`] ending with D, with the period before
/// and the one a year earlier. `days`: each member's purchase days up to D.
pub fn periods(ds: &Dataset, days: &PurchaseDays, analysis_day: Day) -> Vec<PeriodComparison> {
    let _ = (ds, days, analysis_day);
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::day_from_ymd;
    use crate::model::TxRecord;
    use crate::summary::summarize;

    fn row<'a>(id: Option<&'a str>, ymd: (i32, u32, u32), yuan: i64, kind: TxKind) -> TxRecord<'a> {
        TxRecord {
            member_id: id,
            day: day_from_ymd(ymd.0, ymd.1, ymd.2).unwrap(),
            amount_cents: yuan * 100,
            discount_cents: 0,
            category: None,
            store: None,
            kind,
        }
    }

    /// Analysis date 2024-12-31 (the day of the last row). Hand-worked:
    /// - A buys 2023-06-10 (¥100) and 2024-03-01 (¥200), refunds ¥50 on 2024-03-05;
    /// - B buys 2024-03-20 (¥400), twice that day (¥100 more), and tops up ¥1000 (not a sale);
    /// - a walk-in buys ¥60 on 2024-12-31.
    ///   Members 2, buyers 2, active in 12 months 2 (both bought from 2024-01-02 on, the first
    ///   of the 365 days ending 2024-12-31);
    ///   repeat rate: A on 2 days, B on 1 → 1/2.
    ///   Revenue 12m = 200 − 50 + 400 + 100 + 60 = 710; orders 12m = 4 (200, 400, 100, 60);
    ///   average ticket = (200 + 400 + 100 + 60) / 4 = 190; walk-in revenue 60.
    #[test]
    fn hand_computed_kpis_and_months() {
        let mut ds = Dataset::new("t");
        ds.add_transaction(row(Some("A"), (2023, 6, 10), 100, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2024, 3, 1), 200, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2024, 3, 5), -50, TxKind::Refund));
        ds.add_transaction(row(Some("B"), (2024, 3, 20), 400, TxKind::Sale));
        ds.add_transaction(row(Some("B"), (2024, 3, 20), 100, TxKind::Sale));
        ds.add_transaction(row(Some("B"), (2024, 3, 21), 1000, TxKind::TopUp));
        ds.add_transaction(row(None, (2024, 12, 31), 60, TxKind::Sale));
        let sums = summarize(&ds, ds.default_analysis_day().unwrap());
        let o = overview(&ds, &sums);
        let k = &o.kpis;
        assert_eq!((k.members, k.buyers, k.active_members_12m), (2, 2, 2));
        assert_eq!(k.repeat_purchase_rate, 0.5);
        assert_eq!(k.revenue_12m_cents, 71_000);
        assert_eq!(k.orders_12m, 4);
        assert_eq!(k.avg_ticket_12m_cents, 19_000);
        assert_eq!(k.walk_in_revenue_12m_cents, 6_000);
        // 2023-06 .. 2024-12: 19 months, none partial (the analysis date ends its month).
        assert_eq!(o.months.len(), 19);
        assert_eq!(o.months[0].month, "2023-06");
        assert_eq!((o.months[0].revenue_cents, o.months[0].active_members), (10_000, 1));
        let march = o.months.iter().find(|m| m.month == "2024-03").unwrap();
        assert_eq!((march.revenue_cents, march.active_members), (65_000, 2));
        let dec = o.months.last().unwrap();
        assert_eq!((dec.month.as_str(), dec.revenue_cents, dec.active_members, dec.partial), ("2024-12", 6_000, 0, false));
    }
}
