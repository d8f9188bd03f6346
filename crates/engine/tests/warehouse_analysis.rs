//! The analyses of warehouse-made member summaries (`Dataset::precomputed`, no transactions):
//! a "twin" of a transactions data set, its members' summaries made as of D and the monthly
//! aggregates written from the transactions analysis, gives the same segments, pyramid,
//! quadrants, tiers, predictions, member lists, work lists (replenishment aside) and churn; what
//! needs rows says so; hostile summary content never panics nor yields a non-finite number.

use std::sync::OnceLock;

use proptest::prelude::*;

use member_engine::analysis::{add_predictions, analyse, analyse_without_predictions, Computed};
use member_engine::churn::Churn;
use member_engine::dates::{day_from_ymd, Day, MonthKey};
use member_engine::demo::{generate, DemoSpec};
use member_engine::export::{table, ExportSpec};
use member_engine::members::{detail, query, Column, Ctx, MemberFilter, Sort};
use member_engine::model::Dataset;
use member_engine::overview::Overview;
use member_engine::predict::NoBacktest;
use member_engine::pyramid::LayerKey;
use member_engine::segments::{Lifecycle, RfmSegment};
use member_engine::settings::Settings;
use member_engine::summary::{summarize, MemberSummary};
use member_engine::warehouse::{MonthlyAggregates, Precomputed, Store12m};
use member_engine::worklists::{WorkListIndex, WorkListKey};

/// `2024-03` → its month key (year × 12 + month − 1), parsed here.
fn month(text: &str) -> MonthKey {
    let (y, m) = text.split_once('-').unwrap();
    y.parse::<i32>().unwrap() * 12 + m.parse::<i32>().unwrap() - 1
}

/// The monthly aggregates a warehouse would write for this analysis (its figures, as counts).
fn aggregates(churn: &Churn, overview: &Overview, sleeping_days: Day) -> MonthlyAggregates {
    let k = &overview.kpis;
    let mut second_year = [(0u32, 0u32); 6];
    for (slot, b) in second_year.iter_mut().zip(&churn.second_year) {
        *slot = (b.members, b.renewed);
    }
    MonthlyAggregates {
        sleeping_days: Some(sleeping_days),
        churn: churn.months.iter().map(|m| (month(&m.month), m.active_at_start, m.turned_sleeping)).collect(),
        months: overview.months.iter().map(|m| (month(&m.month), m.revenue_cents, m.active_members)).collect(),
        cohort_members: churn.cohorts.iter().map(|c| (month(&c.month), c.members)).collect(),
        cohort_active: churn
            .cohorts
            .iter()
            .flat_map(|c| c.retention.iter().enumerate().map(move |(o, r)| (month(&c.month), o as u16, (r * c.members as f64).round() as u32)))
            .collect(),
        second_year,
        store_12m: Some(Store12m {
            revenue_cents: k.revenue_12m_cents,
            orders: k.orders_12m,
            gross_cents: k.avg_ticket_12m_cents * k.orders_12m as i64,
            walk_in_revenue_cents: k.walk_in_revenue_12m_cents,
        }),
    }
}

/// The same members (ids and attributes) without rows, with their summaries as of D.
fn twin(ds: &Dataset, day: Day, monthly: Option<MonthlyAggregates>) -> Dataset {
    let sums = summarize(ds, day);
    // The warehouse's summary has the first purchase as the start: the join date is put in by
    // the analysis.
    let members = sums.members.iter().map(|s| MemberSummary { start: s.first, ..*s }).collect();
    let mut t = ds.clone();
    t.transactions = Default::default();
    t.precomputed = Some(Box::new(Precomputed { analysis_day: day, members, monthly }));
    t
}

struct Pair {
    ds: Dataset,
    twin: Dataset,
    from_rows: Computed,
    from_summary: Computed,
    settings: Settings,
}

fn pair(ds: Dataset) -> Pair {
    let settings = Settings::default();
    let day = ds.default_analysis_day().unwrap();
    let from_rows = analyse(&ds, None, false, &settings);
    let monthly = aggregates(&from_rows.analysis.churn, &from_rows.analysis.overview, settings.sleeping_days);
    let twin = twin(&ds, day, Some(monthly));
    let from_summary = analyse(&twin, None, false, &settings);
    Pair { ds, twin, from_rows, from_summary, settings }
}

fn demo_pair() -> &'static Pair {
    static P: OnceLock<Pair> = OnceLock::new();
    P.get_or_init(|| pair(generate(&DemoSpec { members: 1500, ..Default::default() })))
}

fn cdnow_pair() -> &'static Pair {
    use member_engine::import::load::{inspect_files, load, MemoryFiles};
    static P: OnceLock<Pair> = OnceLock::new();
    P.get_or_init(|| {
        let log = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/CDNOW_master.txt")).unwrap();
        let mut files = MemoryFiles(vec![("CDNOW_master.txt".into(), log)]);
        let plans: Vec<_> = inspect_files(&mut files).unwrap().iter().map(|p| p.plan()).collect();
        let (ds, _) = load("cdnow", &plans, &mut files, &mut |_, _| {}).unwrap();
        pair(ds)
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn same_analysis(p: &Pair) {
    let (a, b) = (&p.from_rows, &p.from_summary);
    let (x, y) = (&a.analysis, &b.analysis);
    assert_eq!(x.analysis_date, y.analysis_date);
    assert_eq!(a.summaries.members, b.summaries.members, "summaries, start of tenure included");
    assert_eq!(x.segments, y.segments);
    let (l, m) = (&a.classified.labels, &b.classified.labels);
    assert_eq!((&l.r, &l.f, &l.m, &l.rfm_segment, &l.cn_class, &l.groups, &l.lifecycle), (&m.r, &m.f, &m.m, &m.rfm_segment, &m.cn_class, &m.groups, &m.lifecycle));
    assert_eq!(x.pyramid, y.pyramid);
    assert_eq!(a.classified.layer, b.classified.layer);
    assert_eq!(x.quadrants, y.quadrants);
    assert_eq!(a.classified.quadrant, b.classified.quadrant);
    assert_eq!(x.tiers, y.tiers);
    assert_eq!(a.classified.tier_fit, b.classified.tier_fit);
    assert_eq!(a.classified.first_month, b.classified.first_month);
    // Predictions: the fits and every member's figures.
    let (pa, pb) = (&x.predictions, &y.predictions);
    assert!(pa.trusted && pb.trusted);
    assert_eq!(pa.bgnbd, pb.bgnbd);
    assert_eq!(pa.gamma_gamma, pb.gamma_gamma);
    assert_eq!((pa.risk_bands.clone(), pa.p_alive_histogram.clone(), pa.high_value_high_risk), (pb.risk_bands.clone(), pb.p_alive_histogram.clone(), pb.high_value_high_risk));
    assert!(close(pa.expected_purchases, pb.expected_purchases));
    for m in 0..p.ds.members.len() {
        let (u, v) = (a.classified.predictions.get(m), b.classified.predictions.get(m));
        assert_eq!(u.is_some(), v.is_some(), "member {m}");
        if let (Some(u), Some(v)) = (u, v) {
            assert!(close(u.p_alive, v.p_alive) && close(u.expected_purchases, v.expected_purchases), "member {m}");
            assert_eq!((u.risk, u.value_12m_cents), (v.risk, v.value_12m_cents), "member {m}");
        }
    }
    assert!(pa.backtest.is_some() || pa.no_backtest.is_some());
    assert_eq!((pb.backtest.as_ref(), pb.no_backtest), (None, Some(NoBacktest::NeedsTransactions)));
    // Churn by month, cohorts, second year (expiry renewal needs rows).
    assert_eq!(x.churn.months, y.churn.months);
    assert_eq!(x.churn.cohorts, y.churn.cohorts);
    assert_eq!(x.churn.second_year, y.churn.second_year);
    assert!(y.churn.expiry.is_none());
    // The Overview: the KPIs (store totals from the aggregates) and the monthly series.
    assert_eq!(x.overview.kpis, y.overview.kpis);
    assert_eq!(x.overview.months, y.overview.months);
    assert!(y.overview.periods.is_empty() && !x.overview.periods.is_empty());
    let basis = y.from_summary.as_ref().unwrap();
    assert_eq!((basis.analysis_date.as_str(), basis.monthly, basis.monthly_sleeping_days_differ), (x.analysis_date.as_str(), true, None));
    assert!(x.from_summary.is_none());
    // Store rows: the member figures agree (revenue differs: walk-ins are in no summary).
    let member_figures = |rows: &[member_engine::analysis::StoreRow]| {
        let mut v: Vec<_> = rows.iter().map(|r| (r.store.clone(), r.members, r.active_members_12m, r.repeat_rate, r.churn_rate)).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(member_figures(&x.store_rows), member_figures(&y.store_rows));
}

fn same_lists(p: &Pair) {
    let (a, b) = (&p.from_rows, &p.from_summary);
    let la = WorkListIndex::build(&p.ds, &a.summaries, &a.classified, &p.settings);
    let lb = WorkListIndex::build(&p.twin, &b.summaries, &b.classified, &p.settings);
    for &list in WorkListKey::ALL.iter().filter(|&&k| k != WorkListKey::Replenish) {
        assert_eq!(la.members(list), lb.members(list), "{list:?}");
    }
    let ob = lb.overview();
    assert!(ob.replenish_needs_transactions && !la.overview().replenish_needs_transactions);
    assert!(lb.members(WorkListKey::Replenish).is_empty());
    let ca = Ctx { ds: &p.ds, sums: &a.summaries, c: &a.classified, lists: &la, settings: &p.settings };
    let cb = Ctx { ds: &p.twin, sums: &b.summaries, c: &b.classified, lists: &lb, settings: &p.settings };
    let mut filters = vec![MemberFilter::everyone()];
    filters.extend(RfmSegment::ALL.iter().map(|&k| MemberFilter::rfm(k)));
    filters.extend(Lifecycle::ALL.iter().map(|&k| MemberFilter::lifecycle(k)));
    filters.extend(LayerKey::ALL.iter().map(|&k| MemberFilter::layer(k)));
    filters.extend(WorkListKey::ALL.iter().filter(|&&k| k != WorkListKey::Replenish).map(|&k| MemberFilter::work_list(k)));
    let sorts = [Sort::default(), Sort { column: Column::Recency, descending: false }, Sort { column: Column::Visits, descending: true }, Sort { column: Column::Id, descending: false }];
    let mut nonempty = 0;
    for f in &filters {
        for &s in &sorts {
            let (qa, qb) = (query(&ca, f, s, 0, 50), query(&cb, f, s, 0, 50));
            nonempty += (qa.total > 0) as usize;
            assert_eq!(qa, qb, "{f:?} {s:?}");
        }
    }
    assert!(nonempty > 10, "the queries list members");
    // Exports of a list: every column, the same table.
    for f in filters.iter().take(6) {
        let spec = ExportSpec { filter: f.clone(), sort: Sort::default(), columns: Column::ALL.to_vec(), words: Default::default(), full_phones: false, title: "t".into() };
        assert_eq!(table(&ca, &spec), table(&cb, &spec), "{f:?}");
    }
    // A member's detail: the summary, labels and predictions as from rows; no purchase
    // timeline (it needs the rows).
    let model = |c: &Computed| c.analysis.predictions.bgnbd.as_ref().map(|f| f.params);
    let mut buyers = 0;
    for m in (0..p.ds.members.len()).step_by(37) {
        let id = p.ds.members.id(m).to_string();
        let (da, db) = (detail(&ca, model(a).as_ref(), &id).unwrap(), detail(&cb, model(b).as_ref(), &id).unwrap());
        assert_eq!(da.summary, db.summary);
        assert_eq!((da.rfm_segment, da.lifecycle, da.layer, da.risk, da.value_12m_cents), (db.rfm_segment, db.lifecycle, db.layer, db.risk, db.value_12m_cents));
        assert_eq!((da.recency_days, da.tenure_days, da.t), (db.recency_days, db.tenure_days, db.t));
        assert!(db.timeline.is_empty() && db.purchase_dates.is_empty() && db.categories.is_empty());
        buyers += (!da.timeline.is_empty()) as usize;
    }
    assert!(buyers > 0);
}

#[test]
fn the_demo_from_its_summary_equals_the_demo_from_transactions() {
    let p = demo_pair();
    same_analysis(p);
    same_lists(p);
}

#[test]
fn the_cdnow_log_from_its_summary_equals_the_log() {
    let p = cdnow_pair();
    assert_eq!(p.from_summary.analysis.members, 23_570);
    same_analysis(p);
    same_lists(p);
}

/// With other sleeping days than the warehouse counted with, the churn series is absent and the
/// warehouse's figure is given; the cohorts and second year do not depend on it.
#[test]
fn other_sleeping_days_leave_the_churn_series_out() {
    let p = demo_pair();
    let settings = Settings { sleeping_days: 200, ..Default::default() };
    let c = analyse_without_predictions(&p.twin, None, false, &settings);
    let a = &c.analysis;
    assert!(a.churn.months.is_empty());
    assert_eq!(a.from_summary.as_ref().unwrap().monthly_sleeping_days_differ, Some(365));
    assert_eq!(a.churn.cohorts, p.from_rows.analysis.churn.cohorts);
    assert_eq!(a.churn.second_year, p.from_rows.analysis.churn.second_year);
}

/// The analysis date setting does not move a summary's D.
#[test]
fn the_analysis_date_setting_is_ignored() {
    let p = demo_pair();
    let settings = Settings { analysis_date: Some("2020-01-01".into()), ..Default::default() };
    let c = analyse_without_predictions(&p.twin, None, false, &settings);
    assert_eq!(c.analysis.analysis_date, p.from_rows.analysis.analysis_date);
    assert_eq!(c.analysis.segments, p.from_rows.analysis.segments);
}

/// Without monthly aggregates: no churn, no monthly series, members-only store totals (the
/// members' 12-month net spend and orders, summed here).
#[test]
fn without_aggregates_the_store_totals_are_the_members() {
    let p = demo_pair();
    let day = p.ds.default_analysis_day().unwrap();
    let t = twin(&p.ds, day, None);
    let c = analyse_without_predictions(&t, None, false, &Settings::default());
    let a = &c.analysis;
    assert_eq!(a.churn, Churn::default());
    assert!(a.overview.months.is_empty());
    let k = &a.overview.kpis;
    let sums = summarize(&p.ds, day);
    let revenue: i64 = sums.members.iter().map(|s| s.spend_12m_cents).sum();
    let orders: u32 = sums.members.iter().map(|s| s.orders_12m).sum();
    assert!(k.members_only && k.walk_in_revenue_12m_cents == 0);
    assert_eq!((k.revenue_12m_cents, k.orders_12m, k.avg_ticket_12m_cents), (revenue, orders, revenue / orders as i64));
    assert!(!a.from_summary.as_ref().unwrap().monthly);
    assert!(!p.from_rows.analysis.overview.kpis.members_only);
}

/// A store scope keeps its members' summaries: the figures are those of the members whose card
/// is of that store.
#[test]
fn a_store_scope_takes_its_members_summaries() {
    let p = demo_pair();
    let store = p.ds.stores.names()[0].clone();
    let settings = Settings { stores: vec![store.clone()], ..Default::default() };
    let c = analyse_without_predictions(&p.twin, None, false, &settings);
    let a = &c.analysis;
    assert_eq!(a.scope, vec![store.clone()]);
    let idx = p.ds.stores.names().iter().position(|s| *s == store).unwrap() as u16;
    let want: Vec<MemberSummary> = (0..p.ds.members.len())
        .filter(|&m| p.ds.members.store(m) == idx)
        .map(|m| p.from_rows.summaries.members[m])
        .collect();
    assert!(!want.is_empty());
    assert_eq!(c.summaries.members, want);
    assert_eq!(a.members as usize, want.len());
    let row = a.store_rows.iter().find(|r| r.store == store).unwrap();
    let revenue: i64 = want.iter().map(|s| s.spend_12m_cents).sum();
    assert_eq!(row.revenue_12m_cents, revenue);
}

fn summary_strategy() -> impl Strategy<Value = MemberSummary> {
    let day = prop_oneof![Just(Day::MIN), Just(Day::MAX), Just(Day::MIN + 1), any::<i32>(), 9000..12000i32];
    let count = prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>(), 0..20u32];
    let money = prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>(), -100_000..100_000i64];
    (
        (day.clone(), day.clone(), day.clone(), day),
        (count.clone(), count.clone(), count.clone(), count),
        (money.clone(), money.clone(), money.clone(), money.clone(), money),
    )
        .prop_map(|((first, last, start, longest_gap), (purchase_days, orders, orders_12m, orders_6m), (g, n, p, s12, f))| MemberSummary {
            first,
            last,
            start,
            longest_gap,
            purchase_days,
            orders,
            orders_12m,
            orders_6m,
            gross_cents: g,
            net_cents: n,
            promo_cents: p,
            spend_12m_cents: s12,
            first_day_gross_cents: f,
        })
}

fn monthly_strategy() -> impl Strategy<Value = Option<MonthlyAggregates>> {
    let key = prop_oneof![any::<i32>(), 23_000..24_400i32];
    let n = prop_oneof![Just(u32::MAX), any::<u32>(), 0..50u32];
    let money = prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()];
    proptest::option::of(
        (
            proptest::option::of(any::<i32>()),
            proptest::collection::vec((key.clone(), n.clone(), n.clone()), 0..6),
            proptest::collection::vec((key.clone(), money.clone(), n.clone()), 0..6),
            proptest::collection::vec((key.clone(), n.clone()), 0..6),
            proptest::collection::vec((key, any::<u16>(), n.clone()), 0..6),
            (n.clone(), n.clone(), n.clone()),
            proptest::option::of((money.clone(), n, money.clone(), money)),
        )
            .prop_map(|(sleeping_days, churn, months, cohort_members, cohort_active, (a, b, c), store)| MonthlyAggregates {
                sleeping_days,
                churn,
                months,
                cohort_members,
                cohort_active,
                second_year: [(a, b), (b, a), (c, c), (0, c), (c, 0), (a, a)],
                store_12m: store.map(|(revenue_cents, orders, gross_cents, walk_in_revenue_cents)| Store12m { revenue_cents, orders, gross_cents, walk_in_revenue_cents }),
            }),
    )
}

/// A value survives a JSON round trip unchanged: a NaN or an infinity would be written as
/// `null` and fail to read back as a number (or differ from itself).
fn round_trips<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq>(v: &T) -> bool {
    let text = serde_json::to_string(v).unwrap();
    serde_json::from_str::<T>(&text).is_ok_and(|back| back == *v)
}

/// The analysis's floats, gathered from the figures most likely to divide by a hostile count.
fn floats(a: &member_engine::analysis::Analysis) -> Vec<f64> {
    let mut v = vec![a.overview.kpis.repeat_purchase_rate, a.quadrants.frequency_cut, a.predictions.expected_purchases];
    v.extend(a.segments.rfm.iter().map(|s| s.share));
    v.extend(a.churn.months.iter().map(|m| m.churn_rate));
    v.extend(a.churn.cohorts.iter().flat_map(|c| c.retention.iter().copied()));
    v.extend(a.churn.second_year.iter().map(|b| b.rate));
    v.extend(a.store_rows.iter().flat_map(|r| [r.repeat_rate, r.churn_rate]));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Hostile summaries (extreme days, counts and money; more or fewer rows than members) and
    /// aggregates: the analysis, predictions, work lists and lists never panic, and every
    /// number is finite.
    #[test]
    fn hostile_summaries_never_panic_nor_give_non_finite_numbers(
        summaries in proptest::collection::vec(summary_strategy(), 0..40),
        members in 0usize..30,
        day in prop_oneof![Just(Day::MIN), Just(Day::MAX), any::<i32>(), 9000..12000i32],
        monthly in monthly_strategy(),
        sleeping_days in prop_oneof![Just(365), 1..1000i32],
    ) {
        let mut ds = Dataset::new("hostile");
        for m in 0..members {
            ds.add_member(member_engine::model::MemberRecord {
                id: format!("M{m}"),
                join_day: (m % 3 == 0).then_some(day_from_ymd(2000, 1, 1).unwrap() + m as i32 * 400),
                ..Default::default()
            });
        }
        ds.precomputed = Some(Box::new(Precomputed { analysis_day: day, members: summaries, monthly }));
        let settings = Settings { sleeping_days, ..Default::default() };
        let mut c = analyse_without_predictions(&ds, None, false, &settings);
        add_predictions(&ds, &mut c, &settings);
        let a = &c.analysis;
        prop_assert!(floats(a).iter().all(|f| f.is_finite()));
        prop_assert!(round_trips(a), "the analysis survives JSON");
        prop_assert_eq!(a.predictions.no_backtest, Some(NoBacktest::NeedsTransactions));
        let summaries_seen = c.summaries.members.len();
        prop_assert_eq!(summaries_seen, members);
        let lists = WorkListIndex::build(&ds, &c.summaries, &c.classified, &settings);
        let ctx = Ctx { ds: &ds, sums: &c.summaries, c: &c.classified, lists: &lists, settings: &settings };
        for column in [Column::Spend, Column::Recency, Column::AvgTicket, Column::MembershipDays] {
            let page = query(&ctx, &MemberFilter::everyone(), Sort { column, descending: true }, 0, 20);
            prop_assert_eq!(page.total as usize, members);
            prop_assert!(round_trips(&page), "the page survives JSON");
        }
    }
}

/// Another quadrant period than 12 months needs the rows: a summary's quadrants are of the 12
/// months, and say so.
#[test]
fn quadrants_fall_back_to_twelve_months() {
    let p = demo_pair();
    let settings = Settings { quadrant_days: 90, ..Default::default() };
    let c = analyse_without_predictions(&p.twin, None, false, &settings);
    assert_eq!(c.analysis.quadrants, p.from_rows.analysis.quadrants);
    assert_eq!(c.analysis.quadrants.period_days, 365);
    let rows = analyse_without_predictions(&p.ds, None, false, &settings);
    assert_eq!(rows.analysis.quadrants.period_days, 90);
}
