//! The analysis side of warehouse-made member summaries ([`crate::warehouse::Precomputed`]):
//! the engine's [`Summaries`] from them, and the churn and overview figures from the monthly
//! aggregates that come with them.
//!
//! A summary file is read as given, but what reaches an analysis is made consistent first
//! ([`consistent`]): a summary made by the SQL of `sql/` passes unchanged, a hostile one cannot
//! push a day out of range or a count past what its days allow.

use std::collections::HashMap;

use super::churn::{first_measurable_month, Churn, ChurnMonth, Cohort, FrequencyRenewal, MAX_COHORTS, VISIT_BUCKETS};
use super::dates::{day_from_ymd, format_month, month_key, Day, MonthKey};
use super::import::values::{MAX_YEAR, MIN_YEAR};
use super::model::Dataset;
use super::overview::{month_is_partial, month_range, MonthPoint, Overview};
use super::settings::{Settings, MAX_DAYS};
use super::summary::{clamp_cents, days_between, MemberSummary, Summaries, NOT_YET, NO_DAY};
use super::warehouse::{MonthlyAggregates, Precomputed};

/// The sleeping days sql/monthly_aggregates.sql counts with unless told otherwise (its
/// parameter's default), taken when the aggregates do not say.
pub const DEFAULT_SLEEPING_DAYS: Day = 365;

/// The first and last day a date may have (1900-01-01, 2100-12-31).
fn day_bounds() -> (Day, Day) {
    (day_from_ymd(MIN_YEAR, 1, 1).unwrap_or(Day::MIN), day_from_ymd(MAX_YEAR, 12, 31).unwrap_or(Day::MAX))
}

/// D of a precomputed data set: the summary's analysis date, within the years a date may have.
pub fn analysis_day(pre: &Precomputed) -> Day {
    let (earliest, latest) = day_bounds();
    pre.analysis_day.clamp(earliest, latest)
}

/// The summaries of `ds`'s members as of D, indexed like the members: the warehouse's rows
/// (a member without one has none; rows past the members are left out), each made
/// [`consistent`], with the start of tenure and "not a member yet" put in from the join dates
/// as [`crate::summary::summarize`] does. No category counts (they need the rows).
pub fn summaries(ds: &Dataset, pre: &Precomputed) -> Summaries {
    let day = analysis_day(pre);
    let members = (0..ds.members.len())
        .map(|m| {
            let s = consistent(pre.members.get(m).copied().unwrap_or_default(), day);
            with_start(s, ds.members.join_day(m), day)
        })
        .collect();
    Summaries { analysis_day: day, members, category_counts: Vec::new(), n_categories: 0 }
}

/// `s` with what a summary made from rows up to `day` always has: purchase days within
/// 1900-01-01 ..= D, first ≤ last, no purchase days without them (and none without purchase
/// days), at most one purchase day per day between the first and the last, a longest gap
/// within that span, orders of the last 6 months ≤ of 12 ≤ all. Identity on a genuine summary.
pub fn consistent(mut s: MemberSummary, day: Day) -> MemberSummary {
    let (earliest, _) = day_bounds();
    let in_range = |d: Day| d.clamp(earliest, day.max(earliest));
    match (s.first_day(), s.last_day()) {
        (Some(a), Some(b)) if s.purchase_days > 0 => {
            let (a, b) = (in_range(a.min(b)), in_range(a.max(b)));
            s.first = a;
            s.last = b;
            let span = days_between(a, b);
            let most_days = u32::try_from(span).unwrap_or(0).saturating_add(1);
            s.purchase_days = s.purchase_days.min(most_days);
            s.longest_gap = match s.longest_gap_days() {
                Some(g) if s.purchase_days > 1 => g.clamp(1.min(span), span),
                _ => NO_DAY,
            };
        }
        _ => {
            s.first = NO_DAY;
            s.last = NO_DAY;
            s.purchase_days = 0;
            s.longest_gap = NO_DAY;
        }
    }
    s.orders_12m = s.orders_12m.min(s.orders);
    s.orders_6m = s.orders_6m.min(s.orders_12m);
    s
}

/// Whether a summary row says the member had any row up to D (a purchase, a refund, an order).
fn has_rows(s: &MemberSummary) -> bool {
    s.purchase_days > 0 || s.orders > 0 || s.gross_cents != 0 || s.net_cents != 0
}

/// The start of tenure: the first purchase or the join date up to D, whichever is earlier;
/// [`NOT_YET`] for a member without rows up to D who joined after D. (A member without a join
/// date whose rows all fall after D has no summary row: counted, unlike from transactions.)
fn with_start(mut s: MemberSummary, joined: Option<Day>, day: Day) -> MemberSummary {
    let not_yet = !has_rows(&s) && joined.is_some_and(|j| j > day);
    let join = joined.filter(|&j| j <= day);
    s.start = match (s.first_day(), join) {
        _ if not_yet => NOT_YET,
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(NO_DAY),
    };
    s
}

/// The data's first purchase day (the earliest over the summaries).
fn first_purchase(sums: &Summaries) -> Option<Day> {
    sums.members.iter().filter_map(MemberSummary::first_day).min()
}

/// The churn page from the monthly aggregates: the monthly churn series (only when the
/// aggregates were counted with the settings' sleeping days; else empty, and the warehouse's
/// sleeping days are returned), the last 36 cohorts (as churn.rs keeps) and the second-year renewal.
/// Renewal around expiry needs the rows: `None`. Without aggregates, everything is empty.
pub fn churn(pre: &Precomputed, sums: &Summaries, settings: &Settings) -> (Churn, Option<Day>) {
    let Some(agg) = &pre.monthly else { return (Churn::default(), None) };
    let day = sums.analysis_day;
    let sleep = settings.sleeping_days.clamp(1, MAX_DAYS);
    let warehouse_sleep = agg.sleeping_days.unwrap_or(DEFAULT_SLEEPING_DAYS);
    let second_year = second_year(agg);
    let Some((first_month, last_month)) = month_range(sums.members.iter().filter_map(MemberSummary::first_day), day) else {
        return (Churn { second_year, ..Default::default() }, None);
    };
    let n_months = (last_month - first_month + 1).max(1);
    let (months, differ) = if warehouse_sleep == sleep {
        let measurable_from = first_purchase(sums).and_then(|f| first_measurable_month(f, sleep, day));
        (churn_months(agg, first_month, n_months, measurable_from), None)
    } else {
        (Vec::new(), Some(warehouse_sleep))
    };
    let cohorts = cohorts(agg, first_month, n_months);
    (Churn { months, cohorts, second_year, expiry: None }, differ)
}

/// `part ÷ whole` within 0..=1 (0 for an empty whole).
fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 { 0.0 } else { (part.min(whole) as f64 / whole as f64).clamp(0.0, 1.0) }
}

/// Every month from `first_month` on (`n_months` of them), a month the aggregates lack as 0.
fn churn_months(agg: &MonthlyAggregates, first_month: MonthKey, n_months: i32, measurable_from: Option<MonthKey>) -> Vec<ChurnMonth> {
    let by_month: HashMap<MonthKey, (u32, u32)> = agg.churn.iter().map(|&(m, a, t)| (m, (a, t))).collect();
    (0..n_months)
        .map(|i| {
            let month = first_month + i;
            let (active_at_start, turned_sleeping) = by_month.get(&month).copied().unwrap_or((0, 0));
            let measurable = measurable_from.is_some_and(|from| month >= from);
            ChurnMonth {
                month: format_month(month),
                active_at_start,
                turned_sleeping,
                churn_rate: if measurable { share(turned_sleeping, active_at_start) } else { 0.0 },
                measurable,
            }
        })
        .collect()
}

/// The cohorts of the last `MAX_COHORTS` months of the series that have members, each with
/// its share active in every month from its first to D's, as churn.rs shows them.
fn cohorts(agg: &MonthlyAggregates, first_month: MonthKey, n_months: i32) -> Vec<Cohort> {
    let members: HashMap<MonthKey, u32> = agg.cohort_members.iter().copied().collect();
    let active: HashMap<(MonthKey, u16), u32> = agg.cohort_active.iter().map(|&(m, o, n)| ((m, o), n)).collect();
    let first_cohort = (n_months - MAX_COHORTS as i32).max(0);
    (first_cohort..n_months)
        .filter_map(|c| {
            let month = first_month + c;
            let size = members.get(&month).copied().filter(|&n| n > 0)?;
            let offsets = (n_months - c).clamp(0, u16::MAX as i32);
            let retention = (0..offsets).map(|o| share(active.get(&(month, o as u16)).copied().unwrap_or(0), size)).collect();
            Some(Cohort { month: format_month(month), members: size, retention })
        })
        .collect()
}

/// Second-year renewal by first-year visits, from the aggregates' buckets.
fn second_year(agg: &MonthlyAggregates) -> Vec<FrequencyRenewal> {
    VISIT_BUCKETS
        .iter()
        .zip(agg.second_year.iter())
        .map(|(b, &(members, renewed))| FrequencyRenewal {
            visits: b.2.to_string(),
            members,
            renewed: renewed.min(members),
            rate: share(renewed, members),
        })
        .collect()
}

/// The Overview from the summaries: the member KPIs as from transactions; the store totals of
/// the last 12 months from the aggregates' `store_12m` when given, else from the members' own
/// figures ([`crate::overview::Kpis::members_only`]: no walk-ins, and the average ticket is net
/// spend ÷ orders, the summary having no gross of the 12 months); the monthly series from the
/// aggregates (empty without them). No period comparisons: they need the rows.
pub fn overview(ds: &Dataset, pre: &Precomputed, sums: &Summaries) -> Overview {
    // `overview` on a data set without transactions gives the member figures only.
    let mut o = super::overview::overview(&without_rows_view(ds), sums, None);
    let k = &mut o.kpis;
    match pre.monthly.as_ref().and_then(|m| m.store_12m) {
        Some(t) => {
            k.revenue_12m_cents = t.revenue_cents;
            k.orders_12m = t.orders;
            k.avg_ticket_12m_cents = if t.orders > 0 { t.gross_cents / t.orders as i64 } else { 0 };
            k.walk_in_revenue_12m_cents = t.walk_in_revenue_cents;
        }
        None => {
            let (revenue, orders) = members_12m(sums);
            k.revenue_12m_cents = revenue;
            k.orders_12m = orders;
            k.avg_ticket_12m_cents = if orders > 0 { revenue / orders as i64 } else { 0 };
            k.walk_in_revenue_12m_cents = 0;
            k.members_only = true;
        }
    }
    o.months = pre.monthly.as_ref().map(|agg| monthly_series(agg, sums.analysis_day)).unwrap_or_default();
    o.periods = Vec::new();
    o
}

/// The members' net spend and orders of the last 12 months, summed without overflow.
pub fn members_12m(sums: &Summaries) -> (i64, u32) {
    let revenue = clamp_cents(sums.members.iter().map(|s| s.spend_12m_cents as i128).sum());
    let orders = sums.members.iter().map(|s| s.orders_12m as u64).sum::<u64>().min(u32::MAX as u64) as u32;
    (revenue, orders)
}

/// A data set with `ds`'s members and dictionaries but no rows, for the figures of the members
/// alone (an empty one when `ds` already has no rows is cheap: only the members are cloned when
/// needed). Borrowed when there is nothing to leave out.
fn without_rows_view(ds: &Dataset) -> std::borrow::Cow<'_, Dataset> {
    if ds.transactions.is_empty() {
        std::borrow::Cow::Borrowed(ds)
    } else {
        let mut copy = ds.clone();
        copy.transactions = Default::default();
        std::borrow::Cow::Owned(copy)
    }
}

/// The monthly revenue and active members, from the aggregates' first month to D's month (a
/// month the aggregates lack as 0), the last one partial unless D ends it.
fn monthly_series(agg: &MonthlyAggregates, day: Day) -> Vec<MonthPoint> {
    let Some((first_month, last_month)) = month_range(agg.months.iter().map(|&(m, _, _)| super::dates::month_start(m)), day) else {
        return Vec::new();
    };
    let by_month: HashMap<MonthKey, (i64, u32)> = agg.months.iter().map(|&(m, r, a)| (m, (r, a))).collect();
    let n = (last_month - first_month + 1).max(0);
    let partial = month_is_partial(day);
    (0..n)
        .map(|i| {
            let month = first_month + i;
            let (revenue_cents, active_members) = by_month.get(&month).copied().unwrap_or((0, 0));
            MonthPoint { month: format_month(month), revenue_cents, active_members, partial: i + 1 == n && partial }
        })
        .collect()
}

/// Each member's first-purchase month key ([`crate::analysis::NO_MONTH`] without a purchase).
pub fn first_months(sums: &Summaries) -> Vec<i32> {
    sums.members.iter().map(|s| s.first_day().map_or(crate::analysis::NO_MONTH, month_key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A genuine summary passes unchanged; a hostile one is brought within what rows allow.
    #[test]
    fn consistency_is_identity_on_genuine_summaries() {
        let genuine = MemberSummary {
            first: 100,
            last: 200,
            start: 100,
            longest_gap: 60,
            purchase_days: 4,
            orders: 5,
            orders_12m: 3,
            orders_6m: 1,
            gross_cents: 1000,
            net_cents: 900,
            promo_cents: 10,
            spend_12m_cents: 500,
            first_day_gross_cents: 100,
        };
        assert_eq!(consistent(genuine, 300), genuine);
        let hostile = MemberSummary { first: 250, last: 240, purchase_days: u32::MAX, longest_gap: 9999, orders_6m: 9, ..genuine };
        let s = consistent(hostile, 245);
        assert_eq!((s.first, s.last, s.purchase_days, s.longest_gap, s.orders_12m, s.orders_6m), (240, 245, 6, 5, 3, 3));
        let no_days = consistent(MemberSummary { first: NO_DAY, ..genuine }, 300);
        assert_eq!((no_days.purchase_days, no_days.last_day(), no_days.longest_gap_days()), (0, None, None));
    }

    /// A member without rows who joined after D is not a member yet; one who joined before D
    /// starts on the join date (earlier than the first purchase).
    #[test]
    fn the_start_of_tenure_comes_from_the_join_date() {
        let s = with_start(MemberSummary::default(), Some(50), 40);
        assert!(s.not_yet());
        let s = with_start(MemberSummary { first: 30, last: 30, purchase_days: 1, ..Default::default() }, Some(20), 40);
        assert_eq!(s.start_day(), Some(20));
        let s = with_start(MemberSummary { first: 30, last: 30, purchase_days: 1, ..Default::default() }, Some(35), 40);
        assert_eq!(s.start_day(), Some(30));
        assert_eq!(with_start(MemberSummary::default(), None, 40).start_day(), None);
    }
}
