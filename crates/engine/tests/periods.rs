//! The Overview's period comparison (30/90/365 days: current, previous, a year earlier) against a
//! plain recount from the generated rows: each period's figures are sums over the rows whose day
//! falls in it, and member counts come from each member's own purchase days.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use member_engine::analysis::analyse_without_predictions;
use member_engine::dates::{day_from_ymd, format_day, Day};
use member_engine::model::{Dataset, TxKind, TxRecord};
use member_engine::overview::{periods, PeriodComparison, PeriodFigures};
use member_engine::settings::Settings;
use member_engine::summary::{PurchaseDays, RowsByMember};

/// One generated row: member (None = walk-in), day, cents, kind.
#[derive(Clone, Debug)]
struct Row {
    member: Option<u8>,
    day: Day,
    cents: i64,
    kind: TxKind,
}

fn amount() -> impl Strategy<Value = i64> {
    // The extremes make the sums overflow i64: the figures must saturate, not wrap.
    prop_oneof![Just(0i64), Just(i64::MAX), Just(i64::MIN), 1i64..100_000, -100_000i64..0, any::<i64>()]
}

fn kind() -> impl Strategy<Value = TxKind> {
    prop_oneof![4 => Just(TxKind::Sale), 1 => Just(TxKind::Refund), 1 => Just(TxKind::TopUp)]
}

/// Rows over about two and a half years from a base day in 1900..2098, and an analysis date
/// from a little before the first possible row to after the last.
fn case() -> impl Strategy<Value = (Vec<Row>, Day)> {
    let first = day_from_ymd(1900, 1, 1).unwrap();
    let last_base = day_from_ymd(2098, 1, 1).unwrap();
    (first..=last_base, -60i32..1000).prop_flat_map(move |(base, d_offset)| {
        let row = (prop::option::weighted(0.8, 0u8..8), 0i32..900, amount(), kind())
            .prop_map(move |(member, offset, cents, kind)| Row { member, day: base + offset, cents, kind });
        (prop::collection::vec(row, 0..120), Just((base + d_offset).max(first)))
    })
}

fn dataset(rows: &[Row]) -> Dataset {
    let mut ds = Dataset::new("generated");
    for r in rows {
        let id = r.member.map(|m| format!("m{m}"));
        ds.add_transaction(TxRecord {
            member_id: id.as_deref(),
            day: r.day,
            amount_cents: r.cents,
            discount_cents: 0,
            category: None,
            store: None,
            kind: r.kind,
        });
    }
    ds
}

fn clamp(total: i128) -> i64 {
    total.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// A period's figures recounted from the rows: `start ..= end` as days, D the analysis date.
fn recount(rows: &[Row], d: Day, start: Day, end: Day) -> PeriodFigures {
    let upto_d: Vec<&Row> = rows.iter().filter(|r| r.day <= d).collect();
    let in_period: Vec<&Row> = upto_d.iter().copied().filter(|r| (start..=end).contains(&r.day) && r.kind != TxKind::TopUp).collect();
    let revenue: i128 = in_period.iter().map(|r| r.cents as i128).sum();
    let walk_in: i128 = in_period.iter().filter(|r| r.member.is_none()).map(|r| r.cents as i128).sum();
    let paid: Vec<i64> = in_period.iter().filter(|r| r.kind == TxKind::Sale && r.cents > 0).map(|r| r.cents).collect();
    let gross: i128 = paid.iter().map(|&c| c as i128).sum();
    // Each member's distinct purchase days (sales of zero or more) up to D.
    let mut purchase_days: BTreeMap<u8, BTreeSet<Day>> = BTreeMap::new();
    for r in &upto_d {
        if let (Some(m), TxKind::Sale, true) = (r.member, r.kind, r.cents >= 0) {
            purchase_days.entry(m).or_default().insert(r.day);
        }
    }
    let in_span = |days: &BTreeSet<Day>| days.iter().filter(|d| (start..=end).contains(*d)).count();
    let active = purchase_days.values().filter(|days| in_span(days) >= 1).count() as u32;
    let repeat = purchase_days.values().filter(|days| in_span(days) >= 2).count() as u32;
    let new = purchase_days.values().filter(|days| days.first().is_some_and(|f| (start..=end).contains(f))).count() as u32;
    PeriodFigures {
        start: format_day(start),
        end: format_day(end),
        covered: upto_d.iter().map(|r| r.day).min().is_some_and(|first| first <= start),
        revenue_cents: clamp(revenue),
        orders: paid.len() as u32,
        avg_ticket_cents: if paid.is_empty() { 0 } else { clamp(gross / paid.len() as i128) },
        active_members: active,
        new_members: new,
        repeat_rate: if active == 0 { 0.0 } else { repeat as f64 / active as f64 },
        walk_in_revenue_cents: clamp(walk_in),
    }
}

fn expected(rows: &[Row], d: Day) -> Vec<PeriodComparison> {
    [30, 90, 365]
        .into_iter()
        .map(|len: Day| PeriodComparison {
            days: len as u32,
            current: recount(rows, d, d - len + 1, d),
            previous: recount(rows, d, d - 2 * len + 1, d - len),
            year_earlier: recount(rows, d, d - 365 - len + 1, d - 365),
        })
        .collect()
}

fn sane(p: &[PeriodComparison]) -> Result<(), TestCaseError> {
    for f in p.iter().flat_map(|c| [&c.current, &c.previous, &c.year_earlier]) {
        prop_assert!(f.repeat_rate.is_finite() && (0.0..=1.0).contains(&f.repeat_rate), "{f:?}");
        // A member whose first purchase is in the period bought in it.
        prop_assert!(f.new_members <= f.active_members, "{f:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn periods_match_a_recount_of_the_rows((rows, d) in case()) {
        let ds = dataset(&rows);
        let days = PurchaseDays::build(&ds, &RowsByMember::build(&ds), d);
        let got = periods(&ds, &days, d);
        sane(&got)?;
        prop_assert_eq!(got, expected(&rows, d));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The analysis the page receives carries the same periods (all stores: the default scope).
    #[test]
    fn the_analysis_carries_the_periods((rows, d) in case()) {
        let ds = dataset(&rows);
        let computed = analyse_without_predictions(&ds, Some(d), false, &Settings::default());
        prop_assert_eq!(&computed.analysis.overview.periods, &expected(&rows, d));
    }
}
