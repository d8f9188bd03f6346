//! The per-member summary of DOMAIN.md, as of an analysis date: the basis of every segmentation.
//!
//! Definitions (one place, so every page agrees):
//! - figures are *as of the end of day D*, the analysis date: rows on D count, rows after D are
//!   ignored (the convention of `lifetimes`' `observation_period_end`);
//! - a *purchase* is a sale row with an amount of zero or more (a free service or a gift
//!   redemption is still a visit); refunds lower net spend only; top-ups (stored value) are
//!   never spend;
//! - an *order* is a sale row with a positive amount (tickets and spend count those);
//!   *purchase days* are the distinct days with a purchase;
//! - recency = D − last purchase day; tenure = D − first purchase or join day;
//! - the *last 12 months* are the 365 days ending with D (D − 364 ..= D), the *last 6 months*
//!   the 182 days ending with D;
//! - thresholds use the same windows ([`within_days`]): "first purchase within N days" means in
//!   D − N + 1 ..= D (T < N), "no purchase in N days" (sleeping, lost) means none in those days
//!   (recency ≥ N), so a member with no purchase in the last 12 months is exactly a sleeping one;
//! - BG/NBD inputs: `x` = purchase days − 1, `t_x` = last − first purchase day,
//!   `T` = D − first purchase day (all in days).
//!
//! Money sums saturate at the ends of `i64` instead of wrapping: the importer bounds a load's
//! total far below that, but a data set built in code is not bounded.

use super::dates::Day;
use super::model::{Dataset, TxKind, NONE16, WALK_IN};

/// Days in the "last 12 months" and "last 6 months" windows, D included.
pub const DAYS_12M: Day = 365;
pub const DAYS_6M: Day = 182;

/// Whether something `age` days before D (0: on D) falls within the `n` days ending with D,
/// D − n + 1 ..= D. The one rule behind every "in the last N days" (the 12-month window, "first
/// purchase within 90 days") and, negated on recency, every "no purchase in N days" (sleeping,
/// lost): a member whose last purchase was D − 365 has recency 365, no purchase in the 365 days
/// D − 364 ..= D, and is sleeping.
pub fn within_days(age: Day, n: Day) -> bool {
    0 <= age && age < n
}

/// Whether a member with this recency has bought nothing in the `n` days ending with D.
pub fn no_purchase_within(recency_days: Day, n: Day) -> bool {
    !within_days(recency_days, n)
}

/// Whether `day` is within the `window` days ending with `analysis_day` (both included).
pub fn in_window(day: Day, analysis_day: Day, window: Day) -> bool {
    within_days(days_between(day, analysis_day), window)
}

/// Days from `from` to `to` (`to − from`), clamped to the range of a day count.
pub fn days_between(from: Day, to: Day) -> Day {
    (to as i64 - from as i64).clamp(Day::MIN as i64, Day::MAX as i64) as Day
}

/// A sum of cents that cannot overflow: summed in `i128`, then clamped to `i64`.
pub fn sum_cents(values: impl IntoIterator<Item = i64>) -> i64 {
    clamp_cents(values.into_iter().map(i128::from).sum::<i128>())
}

/// An `i128` sum of cents as `i64`, saturating at either end.
pub fn clamp_cents(total: i128) -> i64 {
    total.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// A day that is not there (no purchase, no join date) in a [`MemberSummary`] day field; its
/// accessor reads it as `None`.
pub const NO_DAY: Day = Day::MIN;

/// [`MemberSummary::start`] of a member who is not a member yet on D.
pub const NOT_YET: Day = Day::MIN + 1;

/// One member's history as of the analysis date D, in days (from 1970-01-01) and cents.
///
/// Kept for every member while a data set is loaded, so it holds only what cannot be derived
/// (72 bytes): the figures that follow from others are methods (the average ticket, x, t_x, the
/// mean gap) and those counted to D take it as an argument (recency, T, tenure). Days that may
/// be absent are stored as [`NO_DAY`] and read as `Option` through the methods named after them.
/// On the wire (the member detail) it is a [`SummaryWire`]: the derived figures are written out.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(into = "SummaryWire", from = "SummaryWire")]
pub struct MemberSummary {
    /// First purchase day, or [`NO_DAY`]; read with [`Self::first_day`].
    pub first: Day,
    /// Last purchase day, or [`NO_DAY`]; read with [`Self::last_day`].
    pub last: Day,
    /// The first purchase or the join date (up to D), whichever is earlier: the start of the
    /// tenure. [`NO_DAY`] without either, [`NOT_YET`] for a member who is not a member yet on D
    /// (joined after D, or without a join date has only rows after D): such members are left
    /// out of the figures as of D.
    pub start: Day,
    /// Longest closed gap between two consecutive purchase days, or [`NO_DAY`].
    pub longest_gap: Day,
    pub purchase_days: u32,
    pub orders: u32,
    /// Orders in the 365 days ending with D.
    pub orders_12m: u32,
    /// Orders in the 182 days ending with D.
    pub orders_6m: u32,
    /// Sum of purchases.
    pub gross_cents: i64,
    /// Purchases minus refunds.
    pub net_cents: i64,
    /// Purchases bought with a discount (part of `gross_cents`).
    pub promo_cents: i64,
    /// Net spend in the 365 days ending with the analysis date.
    pub spend_12m_cents: i64,
    /// Purchases on the first purchase day (Gamma-Gamma averages the repeat purchases only).
    pub first_day_gross_cents: i64,
}

impl Default for MemberSummary {
    /// A member with nothing: no purchase, no join date.
    fn default() -> Self {
        MemberSummary {
            first: NO_DAY,
            last: NO_DAY,
            start: NO_DAY,
            longest_gap: NO_DAY,
            purchase_days: 0,
            orders: 0,
            orders_12m: 0,
            orders_6m: 0,
            gross_cents: 0,
            net_cents: 0,
            promo_cents: 0,
            spend_12m_cents: 0,
            first_day_gross_cents: 0,
        }
    }
}

/// A day field read as `Option` (the sentinels are `None`).
fn day_or_none(d: Day) -> Option<Day> {
    (d != NO_DAY && d != NOT_YET).then_some(d)
}

impl MemberSummary {
    pub fn first_day(&self) -> Option<Day> {
        day_or_none(self.first)
    }

    pub fn last_day(&self) -> Option<Day> {
        day_or_none(self.last)
    }

    /// See [`Self::start`].
    pub fn start_day(&self) -> Option<Day> {
        day_or_none(self.start)
    }

    pub fn longest_gap_days(&self) -> Option<Day> {
        day_or_none(self.longest_gap)
    }

    /// Not a member yet on D (see [`Self::start`]).
    pub fn not_yet(&self) -> bool {
        self.start == NOT_YET
    }

    /// BG/NBD's x: purchase days − 1 (0 without purchases).
    pub fn x(&self) -> u32 {
        self.purchase_days.saturating_sub(1)
    }

    /// BG/NBD's t_x: last − first purchase day (0 without purchases).
    pub fn t_x(&self) -> Day {
        match (self.first_day(), self.last_day()) {
            (Some(first), Some(last)) => days_between(first, last),
            _ => 0,
        }
    }

    /// BG/NBD's T: D − first purchase day (0 without purchases).
    pub fn t(&self, analysis_day: Day) -> Day {
        self.first_day().map_or(0, |first| days_between(first, analysis_day))
    }

    /// Days from the last purchase to D (0: bought on D).
    pub fn recency_days(&self, analysis_day: Day) -> Option<Day> {
        self.last_day().map(|last| days_between(last, analysis_day))
    }

    /// Days from the first purchase or the join date, whichever is earlier, to D.
    pub fn tenure_days(&self, analysis_day: Day) -> Option<Day> {
        self.start_day().map(|start| days_between(start, analysis_day))
    }

    /// Mean days between consecutive purchase days (`t_x / x`), with a repeat purchase.
    pub fn mean_gap_days(&self) -> Option<f64> {
        let x = self.x();
        (x > 0).then(|| self.t_x() as f64 / x as f64)
    }

    /// Gross spend per order, in whole cents (0 without orders).
    pub fn avg_ticket_cents(&self) -> i64 {
        if self.orders > 0 && self.gross_cents > 0 {
            self.gross_cents / self.orders as i64
        } else {
            0
        }
    }

    /// Share of gross spend bought with a discount (0..=1).
    pub fn promo_share(&self) -> f64 {
        if self.orders > 0 && self.gross_cents > 0 {
            (self.promo_cents as f64 / self.gross_cents as f64).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Mean spend per repeat purchase day, in cents (0 without repeat purchases).
    pub fn mean_repeat_spend_cents(&self) -> f64 {
        let x = self.x();
        if x == 0 {
            0.0
        } else {
            self.gross_cents.saturating_sub(self.first_day_gross_cents) as f64 / x as f64
        }
    }
}

/// A [`MemberSummary`] as the page receives it: the stored figures with absent days as `null`,
/// and the figures derived from them written out (`avg_ticket_cents`, `mean_gap_days`,
/// `promo_share`, `x`, `t_x`), which are ignored when read back.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SummaryWire {
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
    pub start_day: Option<Day>,
    pub not_yet: bool,
    pub longest_gap_days: Option<Day>,
    pub purchase_days: u32,
    pub orders: u32,
    pub orders_12m: u32,
    pub orders_6m: u32,
    pub gross_cents: i64,
    pub net_cents: i64,
    pub promo_cents: i64,
    pub spend_12m_cents: i64,
    pub first_day_gross_cents: i64,
    pub avg_ticket_cents: i64,
    pub mean_gap_days: Option<f64>,
    pub promo_share: f64,
    pub x: u32,
    pub t_x: Day,
}

impl From<MemberSummary> for SummaryWire {
    fn from(s: MemberSummary) -> Self {
        SummaryWire {
            first_day: s.first_day(),
            last_day: s.last_day(),
            start_day: s.start_day(),
            not_yet: s.not_yet(),
            longest_gap_days: s.longest_gap_days(),
            purchase_days: s.purchase_days,
            orders: s.orders,
            orders_12m: s.orders_12m,
            orders_6m: s.orders_6m,
            gross_cents: s.gross_cents,
            net_cents: s.net_cents,
            promo_cents: s.promo_cents,
            spend_12m_cents: s.spend_12m_cents,
            first_day_gross_cents: s.first_day_gross_cents,
            avg_ticket_cents: s.avg_ticket_cents(),
            mean_gap_days: s.mean_gap_days(),
            promo_share: s.promo_share(),
            x: s.x(),
            t_x: s.t_x(),
        }
    }
}

impl From<SummaryWire> for MemberSummary {
    fn from(w: SummaryWire) -> Self {
        let day = |d: Option<Day>| d.filter(|&d| d != NO_DAY && d != NOT_YET).unwrap_or(NO_DAY);
        MemberSummary {
            first: day(w.first_day),
            last: day(w.last_day),
            start: if w.not_yet { NOT_YET } else { day(w.start_day) },
            longest_gap: day(w.longest_gap_days),
            purchase_days: w.purchase_days,
            orders: w.orders,
            orders_12m: w.orders_12m,
            orders_6m: w.orders_6m,
            gross_cents: w.gross_cents,
            net_cents: w.net_cents,
            promo_cents: w.promo_cents,
            spend_12m_cents: w.spend_12m_cents,
            first_day_gross_cents: w.first_day_gross_cents,
        }
    }
}

/// Every member's summary, indexed like [`super::model::Members`].
#[derive(Clone, Debug, Default)]
pub struct Summaries {
    /// D: the figures are as of the end of this day.
    pub analysis_day: Day,
    pub members: Vec<MemberSummary>,
    /// Purchases per category: row `m` is `counts[m * n_categories ..][..n_categories]`.
    pub category_counts: Vec<u32>,
    pub n_categories: usize,
}

impl Summaries {
    pub fn purchases_in_category(&self, member: usize, category: usize) -> u32 {
        self.category_counts[member * self.n_categories + category]
    }

    /// Members with at least one purchase.
    pub fn buyers(&self) -> impl Iterator<Item = &MemberSummary> {
        self.members.iter().filter(|m| m.purchase_days > 0)
    }
}

/// Transaction row indexes grouped by member: a counting sort, O(rows), no per-member vectors.
pub struct RowsByMember {
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl RowsByMember {
    pub fn build(ds: &Dataset) -> Self {
        let n = ds.members.len();
        let member = &ds.transactions.member;
        let mut offsets = vec![0u32; n + 1];
        // A member index past the members (only a data set built by hand can have one) is
        // treated like a walk-in.
        let is_member = |m: u32| m != WALK_IN && (m as usize) < n;
        for &m in member {
            if is_member(m) {
                offsets[m as usize + 1] += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        // Member m's next slot is kept in offsets[m + 1], with no second array of cursors: it
        // starts at m's start and, once m's rows are placed, is m + 1's start, as it should be.
        let total = offsets[n] as usize;
        offsets.copy_within(0..n, 1);
        let mut rows = vec![0u32; total];
        for (row, &m) in member.iter().enumerate() {
            if is_member(m) {
                let slot = &mut offsets[m as usize + 1];
                rows[*slot as usize] = row as u32;
                *slot += 1;
            }
        }
        // Within a member, rows in day order (files are usually sorted already; check first).
        let day = &ds.transactions.day;
        for m in 0..n {
            let slice = &mut rows[offsets[m] as usize..offsets[m + 1] as usize];
            if slice.windows(2).any(|w| day[w[0] as usize] > day[w[1] as usize]) {
                slice.sort_by_key(|&r| (day[r as usize], r));
            }
        }
        RowsByMember { offsets, rows }
    }

    pub fn of(&self, member: usize) -> &[u32] {
        &self.rows[self.offsets[member] as usize..self.offsets[member + 1] as usize]
    }

    /// Members grouped (those of the data set).
    pub fn members(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Member `m`'s distinct purchase days up to and including `upto`: how many, the first and
    /// the last; `None` without one. The same days as [`PurchaseDays`], without storing them.
    pub fn purchase_span(&self, ds: &Dataset, m: usize, upto: Day) -> Option<(u32, Day, Day)> {
        let tx = &ds.transactions;
        let mut span: Option<(u32, Day, Day)> = None;
        for &r in self.of(m) {
            let r = r as usize;
            let d = tx.day[r];
            // A member's rows are in day order: the rest are after the day too.
            if d > upto {
                break;
            }
            if tx.kind[r].is_purchase(tx.amount_cents[r]) {
                span = match span {
                    None => Some((1, d, d)),
                    Some((n, first, last)) if last != d => Some((n + 1, first, d)),
                    same_day => same_day,
                };
            }
        }
        span
    }
}

/// Each member's distinct purchase days up to and including a day, ascending, in one flat array
/// (no vector per member): member m's are `days[start[m]..start[m + 1]]`. Built from the rows
/// grouped by member; churn, cohorts and the backtest's calibration histories read it.
pub struct PurchaseDays {
    start: Vec<u32>,
    days: Vec<Day>,
}

impl PurchaseDays {
    pub fn build(ds: &Dataset, by_member: &RowsByMember, analysis_day: Day) -> Self {
        let tx = &ds.transactions;
        let n = ds.members.len();
        let mut start = Vec::with_capacity(n + 1);
        let mut days: Vec<Day> = Vec::new();
        start.push(0);
        for m in 0..n {
            let first = days.len();
            for &r in by_member.of(m) {
                let r = r as usize;
                let d = tx.day[r];
                // A member's rows are in day order: the rest are after the day too.
                if d > analysis_day {
                    break;
                }
                if tx.kind[r].is_purchase(tx.amount_cents[r]) && days[first..].last() != Some(&d) {
                    days.push(d);
                }
            }
            start.push(days.len() as u32);
        }
        PurchaseDays { start, days }
    }

    /// Member `m`'s purchase days (empty for a member index past the members).
    pub fn of(&self, m: usize) -> &[Day] {
        match (self.start.get(m), self.start.get(m + 1)) {
            (Some(&a), Some(&b)) => self.days.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Every member's purchase days, in member order.
    pub fn iter(&self) -> impl Iterator<Item = &[Day]> + '_ {
        self.start.windows(2).map(|w| &self.days[w[0] as usize..w[1] as usize])
    }

    pub fn members(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Bytes held (for the benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.start.capacity() * 4 + self.days.capacity() * 4
    }
}

/// Counts a purchase (a sale of zero or more) on `day`, rows coming in day order: the first day's
/// spend, purchase days and the gaps between them.
fn add_purchase_day(s: &mut MemberSummary, day: Day, amount: i64) {
    if s.first == NO_DAY || s.first == day {
        s.first_day_gross_cents = s.first_day_gross_cents.saturating_add(amount);
    }
    if s.last == day {
        return;
    }
    if let Some(prev) = s.last_day() {
        let gap = days_between(prev, day);
        s.longest_gap = s.longest_gap_days().map_or(gap, |g| g.max(gap));
    }
    s.purchase_days += 1;
    if s.first == NO_DAY {
        s.first = day;
    }
    s.last = day;
}

/// Summarises every member as of the end of `analysis_day`.
pub fn summarize(ds: &Dataset, analysis_day: Day) -> Summaries {
    let by_member = RowsByMember::build(ds);
    summarize_grouped(ds, &by_member, analysis_day)
}

/// [`summarize`] with the grouping already built (it is shared with other analyses).
pub fn summarize_grouped(ds: &Dataset, by_member: &RowsByMember, analysis_day: Day) -> Summaries {
    let n = ds.members.len();
    let n_categories = ds.categories.len();
    let mut members = Vec::with_capacity(n);
    let mut category_counts = vec![0u32; n * n_categories];
    let tx = &ds.transactions;
    for m in 0..n {
        let mut s = MemberSummary::default();
        let mut rows_by_d = false;
        for &r in by_member.of(m) {
            let r = r as usize;
            let day = tx.day[r];
            // A member's rows are in day order: the rest are after D too.
            if day > analysis_day {
                break;
            }
            rows_by_d = true;
            let amount = tx.amount_cents[r];
            let in_12m = in_window(day, analysis_day, DAYS_12M);
            let counts_as_spend = match tx.kind[r] {
                TxKind::Sale if amount >= 0 => {
                    if amount > 0 {
                        s.orders += 1;
                        s.gross_cents = s.gross_cents.saturating_add(amount);
                        if tx.discount_cents(r) > 0 {
                            s.promo_cents = s.promo_cents.saturating_add(amount);
                        }
                        s.orders_12m += in_12m as u32;
                        s.orders_6m += in_window(day, analysis_day, DAYS_6M) as u32;
                    }
                    let c = tx.category(r);
                    if let Some(count) = category_counts.get_mut(m * n_categories + c as usize).filter(|_| c != NONE16) {
                        *count += 1;
                    }
                    add_purchase_day(&mut s, day, amount);
                    true
                }
                // A refund row, or a sale row with a negative amount (a correction).
                TxKind::Refund | TxKind::Sale => true,
                TxKind::TopUp => false,
            };
            if counts_as_spend {
                s.net_cents = s.net_cents.saturating_add(amount);
                if in_12m {
                    s.spend_12m_cents = s.spend_12m_cents.saturating_add(amount);
                }
            }
        }
        let joined = ds.members.join_day(m);
        // A member without a join date and without rows (a bare line of a members file) counts:
        // nothing says they joined later.
        let not_yet = !rows_by_d && match joined {
            Some(d) => d > analysis_day,
            None => !by_member.of(m).is_empty(),
        };
        let join = joined.filter(|&d| d <= analysis_day);
        s.start = match (s.first_day(), join) {
            _ if not_yet => NOT_YET,
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(NO_DAY),
        };
        members.push(s);
    }
    Summaries { analysis_day, members, category_counts, n_categories }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MemberRecord, TxRecord};

    fn sale<'a>(id: &'a str, day: Day, yuan: i64, discount: i64, cat: &'a str) -> TxRecord<'a> {
        TxRecord {
            member_id: Some(id),
            day,
            amount_cents: yuan * 100,
            discount_cents: discount * 100,
            category: Some(cat),
            store: None,
            kind: TxKind::Sale,
        }
    }

    /// Member A: purchases on days 10, 10, 40, 100 (¥100, ¥50 with discount, ¥300, ¥200),
    /// a refund of ¥50 on day 45 and a top-up of ¥1000 on day 50; joined on day 5.
    /// Analysis date: the end of day 399. Worked out by hand:
    /// purchase days {10, 40, 100} → 3, x = 2, t_x = 90, T = 389, recency 299, tenure 394;
    /// gaps 30 and 60 → mean 45, longest 60; orders 4, gross 650, net 600; avg ticket 162.50;
    /// max 300; promo share 50/650; 12-month window (days 35 ..= 399): 300 + 200 − 50 = 450 net,
    /// 2 orders.
    fn fixture() -> Dataset {
        let mut ds = Dataset::new("fixture");
        ds.add_member(MemberRecord { id: "A".into(), join_day: Some(5), ..Default::default() });
        ds.add_member(MemberRecord { id: "NEVER".into(), join_day: Some(7), ..Default::default() });
        ds.add_transaction(sale("A", 100, 200, 0, "面霜"));
        ds.add_transaction(sale("A", 10, 100, 0, "洁面"));
        ds.add_transaction(sale("A", 10, 50, 10, "洁面"));
        ds.add_transaction(sale("A", 40, 300, 0, "面霜"));
        ds.add_transaction(TxRecord { amount_cents: -5000, kind: TxKind::Refund, ..sale("A", 45, 0, 0, "洁面") });
        ds.add_transaction(TxRecord { amount_cents: 100_000, kind: TxKind::TopUp, ..sale("A", 50, 0, 0, "洁面") });
        // Walk-in and a row after the analysis date (day 400): both ignored for A.
        ds.add_transaction(TxRecord { member_id: None, ..sale("x", 20, 999, 0, "洁面") });
        ds.add_transaction(sale("A", 400, 7777, 0, "面霜"));
        ds
    }

    #[test]
    fn hand_computed_member() {
        let ds = fixture();
        let s = summarize(&ds, 399);
        let a = s.members[0];
        let d = s.analysis_day;
        assert_eq!(a.first_day(), Some(10));
        assert_eq!(a.last_day(), Some(100));
        assert_eq!((a.purchase_days, a.x(), a.t_x(), a.t(d)), (3, 2, 90, 389));
        // First day ¥150; repeat days ¥300 and ¥200 → mean ¥250.
        assert_eq!(a.first_day_gross_cents, 15_000);
        assert_eq!(a.mean_repeat_spend_cents(), 25_000.0);
        assert_eq!(a.recency_days(d), Some(299));
        assert_eq!(a.tenure_days(d), Some(394));
        assert_eq!(a.mean_gap_days(), Some(45.0));
        assert_eq!(a.longest_gap_days(), Some(60));
        assert_eq!(a.orders, 4);
        assert_eq!((a.gross_cents, a.net_cents), (65_000, 60_000));
        assert_eq!(a.avg_ticket_cents(), 16_250);
        assert_eq!(a.promo_cents, 5_000);
        assert!((a.promo_share() - 50.0 / 650.0).abs() < 1e-12);
        assert_eq!(a.spend_12m_cents, 45_000);
        assert_eq!(a.orders_12m, 2);
        // 6-month window is days 218 ..= 399: nothing.
        assert_eq!(a.orders_6m, 0);
        assert!(!a.not_yet());
        let cleanser = ds.categories.names().iter().position(|c| c == "洁面").unwrap();
        let cream = ds.categories.names().iter().position(|c| c == "面霜").unwrap();
        assert_eq!(s.purchases_in_category(0, cleanser), 2);
        assert_eq!(s.purchases_in_category(0, cream), 2);
    }

    /// What a summary holds per member stays small: it is kept for every member while a data set
    /// is loaded (the CDNOW log ×150 has 3.5 million).
    #[test]
    fn a_summary_is_72_bytes() {
        assert!(std::mem::size_of::<MemberSummary>() <= 72, "{}", std::mem::size_of::<MemberSummary>());
    }

    /// The page receives the derived figures written out and absent days as `null`; what it
    /// reads back is the same summary.
    #[test]
    fn the_wire_form_writes_the_derived_figures_and_reads_back_the_same() {
        let s = summarize(&fixture(), 399);
        let json = serde_json::to_value(s.members[0]).unwrap();
        // Member A by hand (see the fixture): ¥650 over 4 orders, gaps 30 and 60 over x = 2.
        assert_eq!(json["avg_ticket_cents"], 16_250);
        assert_eq!(json["mean_gap_days"], 45.0);
        assert_eq!((json["x"].as_u64(), json["t_x"].as_i64()), (Some(2), Some(90)));
        assert_eq!((json["first_day"].as_i64(), json["last_day"].as_i64(), json["longest_gap_days"].as_i64()), (Some(10), Some(100), Some(60)));
        assert!((json["promo_share"].as_f64().unwrap() - 50.0 / 650.0).abs() < 1e-12);
        let never = serde_json::to_value(s.members[1]).unwrap();
        assert!(never["first_day"].is_null() && never["last_day"].is_null() && never["mean_gap_days"].is_null());
        assert_eq!(never["start_day"], 7);
        for m in s.members {
            let back: MemberSummary = serde_json::from_value(serde_json::to_value(m).unwrap()).unwrap();
            assert_eq!(back, m);
        }
    }

    /// Joined after D: not a member yet, with no start of tenure; the flag survives the wire.
    #[test]
    fn a_member_who_joins_after_d_is_not_yet_one() {
        let mut ds = Dataset::new("t");
        ds.add_member(MemberRecord { id: "LATE".into(), join_day: Some(500), ..Default::default() });
        let late = summarize(&ds, 399).members[0];
        assert!(late.not_yet());
        assert_eq!((late.start_day(), late.tenure_days(399)), (None, None));
        let back: MemberSummary = serde_json::from_value(serde_json::to_value(late).unwrap()).unwrap();
        assert!(back.not_yet());
        assert!(!summarize(&ds, 500).members[0].not_yet());
    }

    #[test]
    fn member_who_never_bought() {
        let s = summarize(&fixture(), 399);
        let n = s.members[1];
        assert_eq!(n.purchase_days, 0);
        assert_eq!(n.recency_days(399), None);
        assert_eq!(n.tenure_days(399), Some(392));
        assert_eq!((n.first_day(), n.last_day(), n.longest_gap_days(), n.mean_gap_days()), (None, None, None, None));
        assert_eq!((n.x(), n.t_x(), n.t(399), n.avg_ticket_cents(), n.promo_share()), (0, 0, 0, 0, 0.0));
        assert_eq!(s.buyers().count(), 1);
    }

    /// A free visit (a sale of ¥0) is a purchase day but no order.
    #[test]
    fn a_free_visit_counts_as_a_visit_not_an_order() {
        let mut ds = Dataset::new("t");
        ds.add_transaction(sale("C", 10, 100, 0, "面膜"));
        ds.add_transaction(sale("C", 40, 0, 0, "面部护理"));
        let c = summarize(&ds, 50).members[0];
        assert_eq!((c.purchase_days, c.x(), c.t_x(), c.orders, c.gross_cents, c.avg_ticket_cents()), (2, 1, 30, 1, 10_000, 10_000));
        assert_eq!(c.recency_days(50), Some(10));
    }

    /// Each member's rows are exactly the rows naming them, in day order (rows of a day in file
    /// order); walk-ins are in no member's.
    #[test]
    fn rows_are_grouped_by_member_in_day_order() {
        let ds = crate::demo::generate(&crate::demo::DemoSpec { members: 200, ..Default::default() });
        let by = RowsByMember::build(&ds);
        let tx = &ds.transactions;
        let mut grouped = 0;
        for m in 0..ds.members.len() {
            let mut want: Vec<u32> = (0..tx.len() as u32).filter(|&r| tx.member[r as usize] == m as u32).collect();
            want.sort_by_key(|&r| (tx.day[r as usize], r));
            assert_eq!(by.of(m), &want[..], "member {m}");
            grouped += want.len();
        }
        assert_eq!(grouped, (0..tx.len()).filter(|&r| tx.member[r] != WALK_IN).count());
        assert_eq!(by.members(), ds.members.len());
    }

    /// A member's purchase span (how many distinct purchase days, first, last) up to a day is
    /// that of their stored purchase days, on the demo's rows at several days.
    #[test]
    fn the_purchase_span_is_that_of_the_purchase_days() {
        let ds = crate::demo::generate(&crate::demo::DemoSpec { members: 300, ..Default::default() });
        let by = RowsByMember::build(&ds);
        let (first, last) = ds.day_range().unwrap();
        let mut spans = 0;
        for upto in [first - 1, first, (first + last) / 2, last - 200, last] {
            let days = PurchaseDays::build(&ds, &by, upto);
            for m in 0..by.members() {
                let d = days.of(m);
                let want = d.first().map(|&f| (d.len() as u32, f, *d.last().unwrap()));
                assert_eq!(by.purchase_span(&ds, m, upto), want, "member {m} up to {upto}");
                spans += want.is_some() as usize;
            }
        }
        assert!(spans > 300);
    }

    /// The window rule at its edges: the 365 days ending with day 1000 are 636 ..= 1000.
    #[test]
    fn windows_include_d_and_n_days_back() {
        assert!(in_window(1000, 1000, DAYS_12M) && in_window(636, 1000, DAYS_12M));
        assert!(!in_window(635, 1000, DAYS_12M) && !in_window(1001, 1000, DAYS_12M));
        // Recency 365 (last purchase on day 635): no purchase in the 365 days; 364: one.
        assert!(no_purchase_within(365, DAYS_12M) && !no_purchase_within(364, DAYS_12M));
        // First purchase 89 days before D is within 90 days, 90 days before is not.
        assert!(within_days(89, 90) && !within_days(90, 90) && !within_days(-1, 90));
        assert!(!in_window(Day::MIN, Day::MAX, Day::MAX) && !in_window(Day::MAX, Day::MIN, 1));
    }

    #[test]
    fn one_time_buyer_has_x_zero() {
        let mut ds = Dataset::new("t");
        ds.add_transaction(sale("B", 30, 10, 0, "面膜"));
        ds.add_transaction(sale("B", 30, 20, 0, "面膜"));
        let b = summarize(&ds, 31).members[0];
        assert_eq!((b.x(), b.t_x(), b.t(31), b.purchase_days, b.orders), (0, 0, 1, 1, 2));
        assert_eq!(b.mean_gap_days(), None);
        assert_eq!(b.longest_gap_days(), None);
    }
}
