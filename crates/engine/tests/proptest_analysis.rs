//! The whole analysis on generated data sets and settings: it never panics, and what it sends to
//! the page survives JSON (a NaN or an infinity would become `null` and fail to read back, which
//! is how the page once waited forever), so every number in it is finite.

use proptest::prelude::*;

use member_engine::analysis::{analyse, Analysis, Computed};
use member_engine::dates::{day_from_ymd, Day};
use member_engine::members::{detail, query, Ctx, MemberDetail, MemberFilter, MemberPage, Sort};
use member_engine::model::{Dataset, MemberRecord, TxKind, TxRecord};
use member_engine::predict::NoBacktest;
use member_engine::settings::{PyramidBasis, Settings};
use member_engine::worklists::WorkListIndex;

/// ¥10bn: the largest amount one row may carry.
const MAX_ROW_CENTS: i64 = 1_000_000_000_000;

fn first_day() -> Day {
    day_from_ymd(1900, 1, 1).unwrap()
}

fn last_day() -> Day {
    day_from_ymd(2100, 12, 31).unwrap()
}

/// One transaction as generated: member (None = walk-in), day offset, cents, discount, kind,
/// category, store.
type GenRow = (Option<u8>, u32, i64, i64, u8, Option<u8>, Option<u8>);

fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0i64),
        Just(MAX_ROW_CENTS),
        Just(-MAX_ROW_CENTS),
        1i64..100_000,
        -MAX_ROW_CENTS..=MAX_ROW_CENTS,
    ]
}

fn row(members: u8) -> impl Strategy<Value = GenRow> {
    (
        prop::option::weighted(0.9, 0..members.max(1)),
        any::<u32>(),
        amount(),
        prop_oneof![Just(0i64), 0i64..1_000_000],
        0u8..3,
        prop::option::of(0u8..4),
        prop::option::of(0u8..3),
    )
}

/// How the rows' days spread: all on one day, over about six months, over a couple of years, or
/// anywhere in 1900–2100.
fn spread() -> impl Strategy<Value = u32> {
    prop_oneof![Just(1u32), Just(183), Just(800), Just((last_day() - first_day() + 1) as u32)]
}

/// Members with attributes (join, expiry, tier), some of whom never buy.
type GenMember = (Option<u32>, Option<u32>, Option<u8>);

fn dataset() -> BoxedStrategy<Dataset> {
    (0u8..50, first_day()..=last_day(), spread())
        .prop_flat_map(|(members, base, spread)| {
            let member = (prop::option::of(any::<u32>()), prop::option::of(any::<u32>()), prop::option::of(0u8..4));
            (
                Just(base),
                Just(spread),
                prop::collection::vec(member, members as usize),
                prop::collection::vec(row(members), 0..150),
            )
        })
        .prop_map(|(base, spread, members, rows)| build(base, spread, &members, &rows))
        .boxed()
}

fn build(base: Day, spread: u32, members: &[GenMember], rows: &[GenRow]) -> Dataset {
    let day_of = |offset: u32| (base + (offset % spread) as Day).min(last_day());
    let mut ds = Dataset::new("generated");
    for (i, &(join, expiry, tier)) in members.iter().enumerate() {
        ds.add_member(MemberRecord {
            id: format!("M{i}"),
            join_day: join.map(day_of),
            expiry: expiry.map(day_of),
            tier: tier.map(|t| ["普通", "银卡", "金卡", "钻石"][t as usize].to_string()),
            ..Default::default()
        });
    }
    let ids: Vec<String> = (0..50).map(|i| format!("M{i}")).collect();
    for &(member, offset, cents, discount, kind, category, store) in rows {
        let kind = [TxKind::Sale, TxKind::Refund, TxKind::TopUp][kind as usize];
        ds.add_transaction(TxRecord {
            member_id: member.map(|m| ids[m as usize].as_str()),
            day: day_of(offset),
            amount_cents: cents,
            discount_cents: discount,
            category: category.map(|c| ["洁面", "面霜", "面膜", "护理"][c as usize]),
            store: store.map(|s| ["静安店", "徐汇店", "浦东店"][s as usize]),
            kind,
        });
    }
    ds
}

/// Day counts: ordinary, at the edges of their ranges, and far beyond them.
fn days() -> BoxedStrategy<i32> {
    prop_oneof![1i32..1000, Just(0), Just(1), Just(36_500), Just(36_501), Just(i32::MAX), Just(i32::MIN), any::<i32>()].boxed()
}

/// Numbers for shares, multiples and rates: ordinary, edges, and what validation refuses.
fn number() -> BoxedStrategy<f64> {
    prop_oneof![
        0.0f64..=1.0,
        Just(0.0),
        Just(1.0),
        Just(-1.0),
        Just(100.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        any::<f64>(),
    ]
    .boxed()
}

fn analysis_date() -> BoxedStrategy<Option<String>> {
    prop_oneof![
        Just(None),
        (first_day()..=last_day()).prop_map(|d| Some(member_engine::dates::format_day(d))),
        Just(Some("9999-12-31".to_string())),
        Just(Some("not a date".to_string())),
    ]
    .boxed()
}

fn settings() -> BoxedStrategy<Settings> {
    // Boxed parts keep proptest's value trees off the stack (a debug build overflows it otherwise).
    let shares = (number(), number(), number(), number(), number(), number(), [number(), number(), number()]).boxed();
    let day_counts = (days(), days(), days(), days(), days(), days(), days()).boxed();
    let rest = (
        prop::option::of(number()),
        prop::option::of(prop_oneof![any::<i64>(), 0i64..1_000_000]),
        prop::collection::vec((prop_oneof![Just(String::new()), Just("金卡".to_string()), "[a-z]{0,60}"], any::<i64>()), 0..3),
        prop_oneof![Just(0u32), Just(1), Just(50), any::<u32>()],
        analysis_date(),
        any::<bool>(),
    )
        .boxed();
    (shares, day_counts, rest).prop_map(|(sh, d, r)| Settings {
        high_spend_share: sh.0,
        high_ticket_multiple: sh.1,
        loyal_spend_share: sh.2,
        bargain_regular_share: sh.3,
        bargain_drifter_share: sh.4,
        silent_ratio: sh.5,
        pyramid_shares: sh.6,
        monthly_discount_rate: sh.0 * 0.1,
        loyal_max_gap_days: d.0,
        new_days: d.1,
        sleeping_days: d.2,
        lost_days: d.3,
        quadrant_days: d.4,
        risk_days: d.5,
        holdout_days: d.6,
        quadrant_frequency_cut: r.0,
        quadrant_spend_cut_cents: r.1,
        tier_min_spend_cents: r.2,
        min_repeat_buyers: r.3,
        analysis_date: r.4,
        pyramid_basis: if r.5 { PyramidBasis::Spend12m } else { PyramidBasis::LifetimeSpend },
        // The work lists' settings keep their defaults here.
        ..Settings::default()
    })
    .boxed()
}

/// A value survives a JSON round trip unchanged (so no NaN or infinity is in it: they would be
/// written as `null`, which either fails to read back or reads back as something else).
fn round_trips<T>(value: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).map_err(|e| TestCaseError::fail(format!("not serialisable: {e}")))?;
    let back: T = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("does not read back: {e}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

/// Everything the page can receive from one analysis: the result, member pages and details.
fn check_everything(ds: &Dataset, c: &Computed) -> Result<(), TestCaseError> {
    round_trips::<Analysis>(&c.analysis)?;
    prop_assert!(c.analysis.settings.validate().is_ok(), "the figures were made with valid settings");
    for p in (0..c.summaries.members.len()).filter_map(|m| c.classified.predictions.get(m)) {
        let numbers = [p.p_alive, p.expected_purchases, p.p_no_purchase, p.next_visit_days.unwrap_or(0.0)];
        prop_assert!(numbers.iter().all(|v| v.is_finite()), "{:?}", p);
    }
    let settings = &c.analysis.settings;
    let lists = WorkListIndex::build(ds, &c.summaries, &c.classified, settings);
    let ctx = Ctx { ds, sums: &c.summaries, c: &c.classified, lists: &lists, settings };
    let page = query(&ctx, &MemberFilter::everyone(), Sort::default(), 0, 100);
    round_trips::<MemberPage>(&page)?;
    let model = c.analysis.predictions.bgnbd.as_ref().filter(|_| c.analysis.predictions.trusted).map(|f| f.params);
    for row in page.rows.iter().take(10) {
        let d = detail(&ctx, model.as_ref(), &row.id);
        prop_assert!(d.is_some(), "{}", row.id);
        if let Some(d) = d {
            round_trips::<MemberDetail>(&d)?;
        }
    }
    Ok(())
}

/// The demo (made once): members who behave as the models expect, so that the trusted paths
/// (predictions, Gamma-Gamma, the backtest) are exercised too.
fn demo() -> &'static Dataset {
    static DEMO: std::sync::OnceLock<Dataset> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| member_engine::demo::generate(&member_engine::demo::DemoSpec { members: 400, ..Default::default() }))
}

/// The demo's rows from day `from` to day `to` (both included), as a data set of its own.
fn demo_window(from: Day, to: Day) -> Dataset {
    let demo = demo();
    let tx = &demo.transactions;
    let mut ds = Dataset::new("demo window");
    for r in (0..tx.len()).filter(|&r| (from..=to).contains(&tx.day[r])) {
        ds.add_transaction(TxRecord {
            member_id: ((tx.member[r] as usize) < demo.members.len()).then(|| demo.members.id(tx.member[r] as usize)),
            day: tx.day[r],
            amount_cents: tx.amount_cents[r],
            discount_cents: tx.discount_cents(r),
            category: demo.categories.name(tx.category(r)),
            store: demo.stores.name(tx.store(r)),
            kind: tx.kind[r],
        });
    }
    ds
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_data_and_any_settings_give_finite_figures(ds in dataset(), settings in settings()) {
        let c = analyse(&ds, None, false, &settings);
        check_everything(&ds, &c)?;
    }

    #[test]
    fn any_analysis_day_parameter(ds in dataset(), day in prop_oneof![first_day()..=last_day(), Just(i32::MIN), Just(i32::MAX)]) {
        let c = analyse(&ds, Some(day), false, &Settings::default());
        check_everything(&ds, &c)?;
        // D is always a date of 1900 ..= 2100, whatever the caller asks.
        let year: i32 = c.analysis.analysis_date[..4].parse().unwrap_or(0);
        prop_assert!((1900..=2100).contains(&year), "{}", c.analysis.analysis_date);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// A window of the demo (a day to three years), any analysis date in or around it, and
    /// settings that are valid but at their edges, or invalid. Fewer cases: each fits the models
    /// on hundreds of members.
    #[test]
    fn windows_of_the_demo_with_any_settings(
        start in prop_oneof![Just(0i32), 0i32..1095],
        length in prop_oneof![1 => Just(0i32), 1 => 1..200, 4 => 300..1095],
        d_offset in prop_oneof![Just(0i32), -400i32..400],
        settings in settings(),
        min_repeat_buyers in prop_oneof![Just(1u32), Just(5), Just(50)],
    ) {
        let first = demo().day_range().map_or(0, |r| r.0);
        let (from, to) = (first + start, first + start + length);
        let ds = demo_window(from, to);
        let settings = Settings { min_repeat_buyers, analysis_date: Some(member_engine::dates::format_day(to + d_offset)), ..settings };
        let c = analyse(&ds, None, false, &settings);
        check_everything(&ds, &c)?;
    }
}

/// Many members with all of a load's money: totals saturate instead of wrapping negative.
#[test]
fn money_at_the_bound_never_wraps() {
    let mut ds = Dataset::new("rich");
    let day = day_from_ymd(2024, 3, 5).unwrap();
    for m in 0..4 {
        for _ in 0..4_000 {
            let id = format!("R{m}");
            ds.add_transaction(TxRecord {
                member_id: Some(&id),
                day,
                amount_cents: MAX_ROW_CENTS,
                discount_cents: MAX_ROW_CENTS,
                category: Some("金饰"),
                store: None,
                kind: TxKind::Sale,
            });
        }
    }
    // 16,000 rows of ¥10bn: 1.6e16 cents, within i64; the store totals are exact.
    let c = analyse(&ds, None, false, &Settings::default());
    check_everything(&ds, &c).unwrap();
    assert_eq!(c.analysis.overview.kpis.revenue_12m_cents, 16_000 * MAX_ROW_CENTS);
    assert!(c.analysis.pyramid.layers.iter().all(|l| l.revenue_cents >= 0));
    // Far beyond what a load may hold (a data set built in code): saturated, never negative.
    let mut huge = Dataset::new("huge");
    for _ in 0..3 {
        huge.add_transaction(TxRecord { member_id: Some("H"), day, amount_cents: i64::MAX, discount_cents: 0, category: None, store: None, kind: TxKind::Sale });
    }
    let c = analyse(&huge, None, false, &Settings::default());
    check_everything(&huge, &c).unwrap();
    assert_eq!(c.summaries.members[0].net_cents, i64::MAX);
    assert_eq!(c.analysis.overview.kpis.revenue_12m_cents, i64::MAX);
    assert_eq!(c.analysis.segments.lifecycle.iter().map(|s| s.revenue_cents).max(), Some(i64::MAX));
}

/// The demo's last six months (its members come, fade and stop as BG/NBD expects), as a data
/// set of its own.
fn last_six_months_of_the_demo() -> Dataset {
    use member_engine::demo::{generate, DemoSpec};
    let demo = generate(&DemoSpec { members: 2_000, ..Default::default() });
    let tx = &demo.transactions;
    let last = tx.day.iter().copied().max().unwrap();
    let mut ds = Dataset::new("six months");
    for r in 0..tx.len() {
        if tx.day[r] <= last - 184 {
            continue;
        }
        let id = ((tx.member[r] as usize) < demo.members.len()).then(|| demo.members.id(tx.member[r] as usize));
        ds.add_transaction(TxRecord {
            member_id: id,
            day: tx.day[r],
            amount_cents: tx.amount_cents[r],
            discount_cents: tx.discount_cents(r),
            category: None,
            store: None,
            kind: tx.kind[r],
        });
    }
    ds
}

/// A data set spanning six months with plenty of repeat buyers: the backtest's 180 held-out days
/// leave five days before them, in which hardly anybody bought twice. Once a NaN that froze the
/// page; now every prediction is finite and the backtest is absent with its reason.
#[test]
fn six_months_of_data_give_finite_predictions() {
    let ds = last_six_months_of_the_demo();
    let c = analyse(&ds, None, false, &Settings::default());
    check_everything(&ds, &c).unwrap();
    let p = &c.analysis.predictions;
    assert!(p.repeat_buyers >= 60, "{}", p.repeat_buyers);
    assert!(!p.pending && p.trusted, "{:?}", p.distrust);
    assert!(p.expected_purchases.is_finite() && p.expected_purchases > 0.0);
    assert_eq!((p.backtest.is_some(), p.no_backtest), (false, Some(NoBacktest::NoFit)));
    // With 60 days held out, the 125 days before them do not pin the drop-out down either (b runs
    // past 10^6): still no backtest, for the same reason.
    let c = analyse(&ds, None, false, &Settings { holdout_days: 60, ..Default::default() });
    check_everything(&ds, &c).unwrap();
    assert_eq!(c.analysis.predictions.no_backtest, Some(NoBacktest::NoFit));
    // Held out longer than the data: nothing before the holdout.
    let c = analyse(&ds, None, false, &Settings { holdout_days: 400, ..Default::default() });
    assert_eq!(c.analysis.predictions.no_backtest, Some(NoBacktest::TooShort));
}

/// The holdout is the `holdout_days` days ending with the analysis date: on the demo (three
/// years, a trusted fit before the holdout), the calibration ends 180 days before D.
#[test]
fn the_holdout_ends_with_the_analysis_date() {
    use member_engine::demo::{generate, DemoSpec};
    let ds = generate(&DemoSpec { members: 1_500, ..Default::default() });
    let last = ds.transactions.day.iter().copied().max().unwrap();
    let c = analyse(&ds, None, true, &Settings::default());
    check_everything(&ds, &c).unwrap();
    let bt = c.analysis.predictions.backtest.as_ref().unwrap_or_else(|| panic!("{:?}", c.analysis.predictions.no_backtest));
    assert_eq!(bt.calibration_end, member_engine::dates::format_day(last - 180));
    // An earlier D moves the holdout with it.
    let d = last - 100;
    let s = Settings { analysis_date: Some(member_engine::dates::format_day(d)), ..Default::default() };
    let c = analyse(&ds, None, true, &s);
    check_everything(&ds, &c).unwrap();
    let bt = c.analysis.predictions.backtest.as_ref().unwrap_or_else(|| panic!("{:?}", c.analysis.predictions.no_backtest));
    assert_eq!(bt.calibration_end, member_engine::dates::format_day(d - 180));
    assert!(bt.predicted_total.is_finite() && bt.predicted_total > 0.0);
}

/// Calibration days in which every buyer bought once: BG/NBD cannot learn a or b from them (the
/// fit stays at a = 1, where the expected purchases are 0/0). No backtest, and it says why.
#[test]
fn one_time_buyers_before_the_holdout_give_no_backtest() {
    let start = day_from_ymd(2024, 1, 1).unwrap();
    let mut ds = Dataset::new("one-timers before the holdout");
    for m in 0..100 {
        let id = format!("O{m}");
        for d in [start + (m % 10) as Day, start + 190 + (m % 7) as Day] {
            ds.add_transaction(TxRecord { member_id: Some(&id), day: d, amount_cents: 5_000, discount_cents: 0, category: None, store: None, kind: TxKind::Sale });
        }
    }
    let c = analyse(&ds, None, false, &Settings { min_repeat_buyers: 1, ..Default::default() });
    check_everything(&ds, &c).unwrap();
    assert_eq!(c.analysis.predictions.no_backtest, Some(NoBacktest::NoFit));
}

/// Every setting at the edges the issue names, and beyond: never a panic, always finite.
#[test]
fn settings_at_and_beyond_their_edges() {
    let ds = member_engine::demo::generate(&member_engine::demo::DemoSpec { members: 300, ..Default::default() });
    let extremes = [
        Settings { sleeping_days: i32::MAX, lost_days: i32::MAX, ..Default::default() },
        Settings { sleeping_days: i32::MIN, lost_days: i32::MIN, new_days: i32::MIN, ..Default::default() },
        Settings { holdout_days: i32::MAX, risk_days: i32::MAX, quadrant_days: i32::MAX, loyal_max_gap_days: i32::MAX, ..Default::default() },
        Settings { holdout_days: -5, risk_days: 0, quadrant_days: i32::MIN, ..Default::default() },
        Settings { pyramid_shares: [1.0, 1.0, 1.0], high_spend_share: f64::NAN, monthly_discount_rate: f64::INFINITY, ..Default::default() },
        Settings { quadrant_frequency_cut: Some(f64::NAN), quadrant_spend_cut_cents: Some(i64::MIN), min_repeat_buyers: 0, ..Default::default() },
        Settings { tier_min_spend_cents: vec![(String::new(), i64::MAX), ("金卡".into(), i64::MIN)], ..Default::default() },
        Settings { new_days: 1, sleeping_days: 36_499, lost_days: 36_500, holdout_days: 3_650, risk_days: 730, ..Default::default() },
    ];
    for s in &extremes {
        let c = analyse(&ds, None, true, s);
        check_everything(&ds, &c).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
}
