//! The Overview page's figures: KPI cards and the monthly revenue / active-member series.
//!
//! Store totals (revenue, orders, average ticket) include walk-in guests; member counts never do.
//! Figures are as of the end of the analysis date D; "12 months" are the 365 days ending with D
//! (see [`super::summary`]); the monthly series runs from the first transaction's month to D's
//! month, which is marked partial unless D is its last day.

use serde::{Deserialize, Serialize};

use super::churn::MonthOfDay;
use super::dates::{format_day, format_month, month_key, month_start, Day, MonthKey};
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
    /// The store figures above (revenue, orders, average ticket, walk-ins) are of the members
    /// only: the data are warehouse member summaries without the store totals of the monthly
    /// aggregates. Walk-ins are then 0 and the average ticket is net spend ÷ orders. The page
    /// says "members only".
    #[serde(default)]
    pub members_only: bool,
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

/// The KPIs and the monthly series. `days`: each member's purchase days up to D, from which the
/// members active in each month are counted (distinct members, whatever the order of the rows);
/// `None` (no transactions: a warehouse summary) leaves those counts at 0.
pub fn overview(ds: &Dataset, sums: &Summaries, days: Option<&PurchaseDays>) -> Overview {
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
    }
    // Distinct members per month from each member's purchase days, which are ascending: a member
    // counts once in a month however their rows are ordered in the file.
    let mut active = vec![0u32; n_months];
    for member_days in days.into_iter().flat_map(PurchaseDays::iter) {
        let mut last = None;
        for &d in member_days {
            let offset = month_of.of(d) - first_month;
            let Some(mi) = usize::try_from(offset).ok().filter(|&i| i < n_months) else { continue };
            if last != Some(mi) {
                active[mi] += 1;
                last = Some(mi);
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
///
/// For a length L: the current period is D − L + 1 ..= D, the previous one D − 2L + 1 ..= D − L,
/// the one a year earlier the current one moved 365 days back. One pass over the rows (store
/// totals per day back from D) and one over the members' recent purchase days serve all of them.
pub fn periods(ds: &Dataset, days: &PurchaseDays, analysis_day: Day) -> Vec<PeriodComparison> {
    let spans = all_spans(analysis_day);
    let (by_age, first_day) = sales_by_age(ds, analysis_day, &spans);
    let mut tallies: [Tally; SPANS] = Default::default();
    for (tally, span) in tallies.iter_mut().zip(&spans) {
        tally.sales = span.sales(&by_age, analysis_day);
    }
    tally_members(days, &spans, &mut tallies);
    let figures: Vec<PeriodFigures> = spans.iter().zip(&tallies).map(|(span, tally)| tally.figures(*span, first_day)).collect();
    PERIOD_DAYS
        .iter()
        .zip(figures.chunks_exact(3))
        .filter_map(|(&days, three)| match three {
            [current, previous, year_earlier] => Some(PeriodComparison {
                days,
                current: current.clone(),
                previous: previous.clone(),
                year_earlier: year_earlier.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// Current, previous and year-earlier period of each length.
const SPANS: usize = PERIOD_DAYS.len() * 3;

/// A period's first and last day, both included. In `i64`: going two periods and a year back
/// from any D cannot overflow.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Span {
    start: i64,
    end: i64,
}

/// The periods of [`PERIOD_DAYS`] in order, three per length (see [`Span::three_ending`]).
fn all_spans(analysis_day: Day) -> [Span; SPANS] {
    let mut spans = [Span::default(); SPANS];
    let all = PERIOD_DAYS.iter().flat_map(|&len| Span::three_ending(analysis_day, len));
    for (slot, span) in spans.iter_mut().zip(all) {
        *slot = span;
    }
    spans
}

impl Span {
    fn ending(end: i64, len: u32) -> Span {
        Span { start: end - len as i64 + 1, end }
    }

    /// The current period of `len` days ending with D, the one before it, the one a year back.
    fn three_ending(analysis_day: Day, len: u32) -> [Span; 3] {
        let d = analysis_day as i64;
        [Span::ending(d, len), Span::ending(d - len as i64, len), Span::ending(d - DAYS_12M as i64, len)]
    }

    fn contains(self, day: Day) -> bool {
        (self.start..=self.end).contains(&(day as i64))
    }

    /// A bound as a day (saturating: only an analysis date at the end of the day range gets there).
    fn day(bound: i64) -> Day {
        bound.clamp(Day::MIN as i64, Day::MAX as i64) as Day
    }

    /// The period's store totals from the totals per day back from D (`by_age[D − day]`).
    fn sales(self, by_age: &[Sales], analysis_day: Day) -> Sales {
        let age = |day: i64| usize::try_from(analysis_day as i64 - day).ok();
        let days = match (age(self.end), age(self.start)) {
            // The table reaches the oldest period's start, so the range is within it.
            (Some(from), Some(to)) => by_age.get(from..=to).unwrap_or(&[]),
            _ => &[],
        };
        days.iter().fold(Sales::default(), |sum, day| sum.plus(day))
    }
}

/// Store totals (members and walk-ins) of a day or a period.
#[derive(Clone, Copy, Default)]
struct Sales {
    revenue: i128,
    walk_in_revenue: i128,
    gross_paid: i128,
    orders: u32,
}

impl Sales {
    fn plus(self, other: &Sales) -> Sales {
        Sales {
            revenue: self.revenue + other.revenue,
            walk_in_revenue: self.walk_in_revenue + other.walk_in_revenue,
            gross_paid: self.gross_paid + other.gross_paid,
            orders: self.orders.saturating_add(other.orders),
        }
    }
}

/// A period's figures while they are counted.
#[derive(Clone, Default)]
struct Tally {
    sales: Sales,
    active: u32,
    new: u32,
    repeat: u32,
}

impl Tally {
    /// `first_day`: the data's first transaction day up to D (the period is covered from it on).
    fn figures(&self, span: Span, first_day: Option<Day>) -> PeriodFigures {
        let sales = &self.sales;
        let avg_ticket = if sales.orders > 0 { sales.gross_paid / sales.orders as i128 } else { 0 };
        let repeat_rate = if self.active > 0 { (self.repeat as f64 / self.active as f64).clamp(0.0, 1.0) } else { 0.0 };
        PeriodFigures {
            start: format_day(Span::day(span.start)),
            end: format_day(Span::day(span.end)),
            covered: first_day.is_some_and(|f| f as i64 <= span.start),
            revenue_cents: clamp_cents(sales.revenue),
            orders: sales.orders,
            avg_ticket_cents: clamp_cents(avg_ticket),
            active_members: self.active,
            new_members: self.new,
            repeat_rate,
            walk_in_revenue_cents: clamp_cents(sales.walk_in_revenue),
        }
    }
}

/// The store totals of each day back from D (index D − day) as far as the earliest period
/// reaches (top-ups are not sales), and the first transaction day up to D, of any kind.
fn sales_by_age(ds: &Dataset, analysis_day: Day, spans: &[Span]) -> (Vec<Sales>, Option<Day>) {
    let tx = &ds.transactions;
    let oldest = spans.iter().map(|s| analysis_day as i64 - s.start).max().unwrap_or(0);
    let mut by_age = vec![Sales::default(); usize::try_from(oldest + 1).unwrap_or(0)];
    let mut first_day: Option<Day> = None;
    for r in 0..tx.len() {
        let day = tx.day[r];
        if day > analysis_day {
            continue;
        }
        first_day = Some(first_day.map_or(day, |f| f.min(day)));
        let kind = tx.kind[r];
        let age = usize::try_from(analysis_day as i64 - day as i64).ok();
        let Some(sales) = age.and_then(|age| by_age.get_mut(age)) else { continue };
        if kind == TxKind::TopUp {
            continue;
        }
        let amount = tx.amount_cents[r];
        sales.revenue += amount as i128;
        if tx.member[r] == WALK_IN {
            sales.walk_in_revenue += amount as i128;
        }
        if kind.is_paid_order(amount) {
            sales.orders = sales.orders.saturating_add(1);
            sales.gross_paid += amount as i128;
        }
    }
    (by_age, first_day)
}

/// Counts each member's purchase days in every period: active (one or more), repeat (two or
/// more), new (the first purchase day ever is in it). Only the days since the earliest period's
/// start are read, from the last one back.
fn tally_members(days: &PurchaseDays, spans: &[Span; SPANS], tallies: &mut [Tally; SPANS]) {
    let earliest = spans.iter().map(|s| s.start).min().unwrap_or(i64::MAX);
    for member_days in days.iter() {
        let Some(&first) = member_days.first() else { continue };
        let mut counts = [0u32; SPANS];
        for &day in member_days.iter().rev().take_while(|&&d| d as i64 >= earliest) {
            for (count, span) in counts.iter_mut().zip(spans) {
                *count += span.contains(day) as u32;
            }
        }
        for ((t, span), n) in tallies.iter_mut().zip(spans).zip(counts) {
            t.active += (n >= 1) as u32;
            t.repeat += (n >= 2) as u32;
            t.new += span.contains(first) as u32;
        }
    }
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
        let d = ds.default_analysis_day().unwrap();
        let sums = summarize(&ds, d);
        let days = PurchaseDays::build(&ds, &crate::summary::RowsByMember::build(&ds), d);
        let o = overview(&ds, &sums, Some(&days));
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

    /// A member counts once in a month whatever the order of the rows: A buys in January,
    /// February and January again (a file not sorted by date), B in January. January has 2
    /// active members (A, B), February 1 (A).
    #[test]
    fn active_members_count_each_member_once_per_month_in_any_row_order() {
        let mut ds = Dataset::new("t");
        ds.add_transaction(row(Some("A"), (2024, 1, 5), 100, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2024, 2, 5), 100, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2024, 1, 20), 100, TxKind::Sale));
        ds.add_transaction(row(Some("B"), (2024, 1, 9), 100, TxKind::Sale));
        let d = ds.default_analysis_day().unwrap();
        let days = PurchaseDays::build(&ds, &crate::summary::RowsByMember::build(&ds), d);
        let o = overview(&ds, &summarize(&ds, d), Some(&days));
        let active: Vec<(&str, u32)> = o.months.iter().map(|m| (m.month.as_str(), m.active_members)).collect();
        assert_eq!(active, vec![("2024-01", 2), ("2024-02", 1)]);
    }

    /// The figures and dates of one period, for comparing with hand-worked ones.
    fn brief(f: &PeriodFigures) -> (&str, &str, bool, i64, u32, i64, u32, u32, f64, i64) {
        (
            f.start.as_str(),
            f.end.as_str(),
            f.covered,
            f.revenue_cents,
            f.orders,
            f.avg_ticket_cents,
            f.active_members,
            f.new_members,
            f.repeat_rate,
            f.walk_in_revenue_cents,
        )
    }

    fn periods_of(ds: &Dataset, analysis_day: Day) -> Vec<PeriodComparison> {
        let by_member = crate::summary::RowsByMember::build(ds);
        periods(ds, &PurchaseDays::build(ds, &by_member, analysis_day), analysis_day)
    }

    /// Analysis date D = 2024-12-31 (2024 is a leap year, so D − 365 = 2024-01-01). Rows:
    /// - A: 2023-02-01 ¥100 (the data's first row), 2023-12-10 ¥50, 2024-12-05 ¥200,
    ///   2024-12-20 ¥300 and a ¥40 refund that day;
    /// - B: 2023-12-15 ¥80 and ¥20 (one purchase day), 2024-11-10 ¥0 (a free service: a visit,
    ///   not an order), a ¥1000 top-up on 2024-12-31 (not a sale);
    /// - C: 2024-12-10 ¥500 (first purchase), 2025-01-05 ¥999 (after D: ignored);
    /// - E: 2024-08-01 ¥150, 2024-10-15 ¥150;
    /// - walk-ins: 2023-12-20 ¥70, 2024-11-20 ¥40, 2024-12-01 ¥10 (D − 30: last day of the
    ///   previous 30 days), 2024-12-31 ¥60.
    ///
    /// 30 days. Current 2024-12-02 ..= 12-31: 200 + 300 − 40 + 500 + 60 = ¥1020, orders 4
    /// (200, 300, 500, 60), ticket 1060 / 4 = 265, active A, C; new C; repeat A (2 days) → 1/2;
    /// walk-in 60. Previous 2024-11-02 ..= 12-01: B's ¥0, walk-ins 40 + 10 → ¥50, orders 2,
    /// ticket 25, active B, new none, repeat 0, walk-in 50. Year earlier 2023-12-03 ..=
    /// 2024-01-01: 50 + 80 + 20 + 70 = ¥220, orders 4, ticket 55, active A, B, new B (first
    /// 2023-12-15), repeat none (B's two rows are one day), walk-in 70.
    ///
    /// 90 days. Current 2024-10-03 ..= 12-31: the 30 days' 1020 + 0 + 40 + 10 + E's 150 = ¥1220,
    /// orders 7, ticket 1260 / 7 = 180, active A, B, C, E, new C, repeat A → 1/4, walk-in 110.
    /// Previous 2024-07-05 ..= 10-02: E's ¥150, 1 order, ticket 150, active E, new E, repeat 0.
    /// Year earlier 2023-10-04 ..= 2024-01-01: the same rows as the 30 days a year earlier.
    ///
    /// 365 days. Current 2024-01-02 ..= 12-31: 1220 + E's 150 = ¥1370, orders 8, ticket
    /// 1410 / 8 = 176.25 (17625 cents), active A, B, C, E, new C, E, repeat A, E → 2/4, walk-in
    /// 110. Previous = year earlier = 2023-01-02 (2024-01-01 − 364; 2023 has 365 days) ..=
    /// 2024-01-01: 100 + 50 + 80 + 20 + 70 = ¥320, orders 5, ticket 64, active A, B, new A, B,
    /// repeat A → 1/2, walk-in 70; not covered (the data starts 2023-02-01, after 2023-01-02).
    #[test]
    fn hand_computed_periods() {
        let mut ds = Dataset::new("t");
        ds.add_transaction(row(Some("A"), (2023, 2, 1), 100, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2023, 12, 10), 50, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2024, 12, 5), 200, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2024, 12, 20), 300, TxKind::Sale));
        ds.add_transaction(row(Some("A"), (2024, 12, 20), -40, TxKind::Refund));
        ds.add_transaction(row(Some("B"), (2023, 12, 15), 80, TxKind::Sale));
        ds.add_transaction(row(Some("B"), (2023, 12, 15), 20, TxKind::Sale));
        ds.add_transaction(row(Some("B"), (2024, 11, 10), 0, TxKind::Sale));
        ds.add_transaction(row(Some("B"), (2024, 12, 31), 1000, TxKind::TopUp));
        ds.add_transaction(row(Some("C"), (2025, 1, 5), 999, TxKind::Sale));
        ds.add_transaction(row(Some("C"), (2024, 12, 10), 500, TxKind::Sale));
        ds.add_transaction(row(Some("E"), (2024, 8, 1), 150, TxKind::Sale));
        ds.add_transaction(row(Some("E"), (2024, 10, 15), 150, TxKind::Sale));
        ds.add_transaction(row(None, (2023, 12, 20), 70, TxKind::Sale));
        ds.add_transaction(row(None, (2024, 11, 20), 40, TxKind::Sale));
        ds.add_transaction(row(None, (2024, 12, 1), 10, TxKind::Sale));
        ds.add_transaction(row(None, (2024, 12, 31), 60, TxKind::Sale));
        let p = periods_of(&ds, day_from_ymd(2024, 12, 31).unwrap());
        assert_eq!(p.iter().map(|c| c.days).collect::<Vec<_>>(), vec![30, 90, 365]);
        let (d30, d90, d365) = (&p[0], &p[1], &p[2]);
        assert_eq!(brief(&d30.current), ("2024-12-02", "2024-12-31", true, 102_000, 4, 26_500, 2, 1, 0.5, 6_000));
        assert_eq!(brief(&d30.previous), ("2024-11-02", "2024-12-01", true, 5_000, 2, 2_500, 1, 0, 0.0, 5_000));
        assert_eq!(brief(&d30.year_earlier), ("2023-12-03", "2024-01-01", true, 22_000, 4, 5_500, 2, 1, 0.0, 7_000));
        assert_eq!(brief(&d90.current), ("2024-10-03", "2024-12-31", true, 122_000, 7, 18_000, 4, 1, 0.25, 11_000));
        assert_eq!(brief(&d90.previous), ("2024-07-05", "2024-10-02", true, 15_000, 1, 15_000, 1, 1, 0.0, 0));
        assert_eq!(brief(&d90.year_earlier), ("2023-10-04", "2024-01-01", true, 22_000, 4, 5_500, 2, 1, 0.0, 7_000));
        assert_eq!(brief(&d365.current), ("2024-01-02", "2024-12-31", true, 137_000, 8, 17_625, 4, 2, 0.5, 11_000));
        let year_before = ("2023-01-02", "2024-01-01", false, 32_000, 5, 6_400, 2, 2, 0.5, 7_000);
        assert_eq!(brief(&d365.previous), year_before);
        assert_eq!(brief(&d365.year_earlier), year_before);
    }

    /// No rows, D before the first row, D at the ends of the day range: empty periods, never
    /// covered, nothing that is not a number.
    #[test]
    fn periods_without_data_are_empty_and_uncovered() {
        let empty = Dataset::new("empty");
        let mut later = Dataset::new("later");
        later.add_transaction(row(Some("A"), (2024, 6, 1), 100, TxKind::Sale));
        let mut far = Dataset::new("far");
        far.add_transaction(TxRecord { day: Day::MIN, ..row(Some("A"), (1900, 1, 1), 100, TxKind::Sale) });
        far.add_transaction(TxRecord { day: Day::MAX, ..row(None, (1900, 1, 1), 100, TxKind::Sale) });
        let cases = [
            (&empty, day_from_ymd(2024, 1, 1).unwrap()),
            (&later, day_from_ymd(2024, 5, 31).unwrap()),
            (&later, day_from_ymd(1900, 1, 1).unwrap()),
        ];
        for (ds, d) in cases {
            let p = periods_of(ds, d);
            assert_eq!(p.len(), PERIOD_DAYS.len());
            for f in p.iter().flat_map(|c| [&c.current, &c.previous, &c.year_earlier]) {
                assert!(!f.covered, "{} on {d}", ds.name);
                assert_eq!((f.revenue_cents, f.orders, f.active_members, f.new_members, f.repeat_rate), (0, 0, 0, 0, 0.0));
            }
        }
        // At the ends of the day range: each current period has the row on D; the periods
        // reaching before the first day of the range are not covered.
        let p = periods_of(&far, Day::MIN);
        assert!(p.iter().all(|c| c.current.revenue_cents == 10_000 && c.current.active_members == 1 && !c.current.covered));
        let p = periods_of(&far, Day::MAX);
        assert!(p.iter().all(|c| c.current.revenue_cents == 10_000 && c.current.covered && c.previous.covered));
        assert!(p.iter().all(|c| c.year_earlier.repeat_rate.is_finite() && c.year_earlier.revenue_cents == 0));
    }
}
