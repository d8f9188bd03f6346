//! The store scope: a two-store data set written here, each store's figures worked out by the
//! test from its own rows, the scoped analyses adding up to the whole, the per-store rows, names
//! the data does not have, and the session answering lists and exports from the scope.

use member_engine::analysis::{analyse_without_predictions, Analysis};
use member_engine::dates::{day_from_ymd, Day};
use member_engine::model::{Dataset, MemberRecord, TxKind, TxRecord};
use member_engine::overview::Kpis;
use member_engine::scope::home_stores;
use member_engine::settings::Settings;
use member_engine::summary::RowsByMember;

const A: &str = "A店";
const B: &str = "B店";

/// A member: id, card store, join date, and the store they belong to, worked out by hand.
struct M {
    id: &'static str,
    card: Option<&'static str>,
    join: Option<(i32, u32, u32)>,
    home: &'static str,
}

/// A row: member (`None`: walk-in), date, cents, store, kind.
type Row = (Option<&'static str>, (i32, u32, u32), i64, Option<&'static str>, TxKind);

const MEMBERS: [M; 10] = [
    M { id: "M1", card: Some(A), join: None, home: A },
    M { id: "M2", card: Some(B), join: None, home: B },
    // No card: most of the spend is at B.
    M { id: "M3", card: None, join: None, home: B },
    M { id: "M4", card: Some(A), join: None, home: A },
    // Bought only where no store was written.
    M { id: "M5", card: None, join: None, home: "" },
    // Joined, never bought.
    M { id: "M6", card: None, join: Some((2024, 1, 1)), home: "" },
    // As much at A as at B: the lower store index (A, the first store the data names).
    M { id: "M7", card: None, join: None, home: A },
    // Top-ups only: no spend, no store.
    M { id: "M8", card: None, join: None, home: "" },
    // Joins after D: not a member yet.
    M { id: "M9", card: Some(B), join: Some((2025, 7, 15)), home: B },
    // A refund at A outweighs nothing: the net spend is higher at B.
    M { id: "M10", card: None, join: None, home: B },
];

use TxKind::{Refund, Sale, TopUp};

const ROWS: [Row; 21] = [
    (Some("M1"), (2025, 6, 1), 10_000, Some(A), Sale),
    (Some("M1"), (2025, 5, 1), 5_000, Some(B), Sale),
    (Some("M2"), (2025, 6, 30), 20_000, Some(B), Sale),
    (Some("M2"), (2023, 1, 10), 8_000, Some(B), Sale),
    (Some("M2"), (2025, 6, 10), -3_000, Some(B), Refund),
    (Some("M2"), (2025, 6, 15), 50_000, Some(B), TopUp),
    (Some("M3"), (2025, 3, 1), 4_000, Some(A), Sale),
    (Some("M3"), (2025, 4, 1), 30_000, Some(B), Sale),
    (Some("M4"), (2023, 5, 5), 6_000, Some(A), Sale),
    (Some("M5"), (2025, 2, 2), 7_000, None, Sale),
    (Some("M7"), (2025, 1, 1), 10_000, Some(B), Sale),
    (Some("M7"), (2025, 1, 2), 10_000, Some(A), Sale),
    (Some("M8"), (2025, 5, 5), 90_000, Some(B), TopUp),
    (Some("M10"), (2025, 3, 3), -2_000, Some(A), Refund),
    (Some("M10"), (2025, 3, 4), 1_000, Some(B), Sale),
    (None, (2025, 6, 20), 2_500, Some(A), Sale),
    (None, (2025, 6, 21), 3_500, Some(B), Sale),
    (None, (2025, 6, 22), -500, Some(B), Refund),
    (None, (2025, 6, 22), 1_500, None, Sale),
    // D − 365: just outside the 12 months.
    (None, (2024, 6, 30), 999, Some(A), Sale),
    (None, (2025, 6, 25), 0, Some(A), Sale),
];

fn day((y, m, d): (i32, u32, u32)) -> Day {
    day_from_ymd(y, m, d).expect("a test date")
}

/// D: the last row's day.
fn d() -> Day {
    day((2025, 6, 30))
}

fn dataset() -> Dataset {
    let mut ds = Dataset::new("two stores");
    for m in &MEMBERS {
        ds.add_member(MemberRecord {
            id: m.id.into(),
            store: m.card.map(str::to_string),
            join_day: m.join.map(day),
            ..Default::default()
        });
    }
    for &(member, date, cents, store, kind) in &ROWS {
        ds.add_transaction(TxRecord { member_id: member, day: day(date), amount_cents: cents, discount_cents: 0, category: None, store, kind });
    }
    ds
}

/// The store a row counts in: its member's, or a walk-in's own.
fn owner(row: &Row) -> &'static str {
    match row.0 {
        Some(id) => MEMBERS.iter().find(|m| m.id == id).map_or("", |m| m.home),
        None => row.3.unwrap_or(""),
    }
}

fn in_12m(d_: Day) -> bool {
    d_ <= d() && d_ >= d() - 364
}

/// What the test expects of the members and rows of the stores `stores`.
#[derive(Debug, Default, PartialEq)]
struct Want {
    members: u32,
    active: u32,
    revenue: i64,
    orders: u32,
    buyers: u32,
    churned: u32,
}

fn want(stores: &[&str]) -> Want {
    let mut w = Want::default();
    for m in MEMBERS.iter().filter(|m| stores.contains(&m.home)) {
        if m.join.is_some_and(|j| day(j) > d()) {
            continue;
        }
        w.members += 1;
        let purchases: Vec<Day> = ROWS.iter().filter(|r| r.0 == Some(m.id) && r.4 == Sale && r.2 >= 0 && day(r.1) <= d()).map(|r| day(r.1)).collect();
        if let Some(&last) = purchases.iter().max() {
            w.buyers += 1;
            w.active += in_12m(last) as u32;
            w.churned += !in_12m(last) as u32;
        }
    }
    for r in ROWS.iter().filter(|r| stores.contains(&owner(r)) && r.4 != TopUp && in_12m(day(r.1))) {
        w.revenue += r.2;
        w.orders += (r.4 == Sale && r.2 > 0) as u32;
    }
    w
}

fn scoped(ds: &Dataset, stores: &[&str]) -> Analysis {
    let settings = Settings { stores: stores.iter().map(|s| s.to_string()).collect(), ..Default::default() };
    analyse_without_predictions(ds, None, false, &settings).analysis
}

fn figures(k: &Kpis) -> (u32, u32, i64, u32) {
    (k.members, k.active_members_12m, k.revenue_12m_cents, k.orders_12m)
}

fn wanted(w: &Want) -> (u32, u32, i64, u32) {
    (w.members, w.active, w.revenue, w.orders)
}

#[test]
fn members_belong_to_their_card_store_else_to_most_of_their_spend() {
    let ds = dataset();
    let homes = home_stores(&ds, &RowsByMember::build(&ds));
    let names: Vec<String> = homes.iter().map(|&s| ds.stores.label(s)).collect();
    let want: Vec<&str> = MEMBERS.iter().map(|m| m.home).collect();
    assert_eq!(names, want);
}

#[test]
fn each_store_scope_has_its_own_figures_and_they_add_up_to_the_whole() {
    let ds = dataset();
    let whole = scoped(&ds, &[]);
    let all = want(&[A, B, ""]);
    assert_eq!(figures(&whole.overview.kpis), wanted(&all));
    // By hand: members M1–M8 and M10 (M9 joins after D); revenue 10,000 + 5,000 + 20,000 −
    // 3,000 + 4,000 + 30,000 + 7,000 + 20,000 − 2,000 + 1,000 + 2,500 + 3,500 − 500 + 1,500.
    assert_eq!(wanted(&all), (9, 6, 99_000, 12));
    let mut sum = (0, 0, 0, 0);
    for s in [A, B, ""] {
        let a = scoped(&ds, &[s]);
        let k = figures(&a.overview.kpis);
        assert_eq!(k, wanted(&want(&[s])), "store {s:?}");
        assert_eq!(a.scope, vec![s.to_string()]);
        assert!(a.scope_unknown.is_empty());
        assert_eq!(a.analysis_date, "2025-06-30", "the whole data set's D, not the scope's last row");
        assert_eq!(a.analysis_date, whole.analysis_date);
        assert_eq!(a.stores, vec![A.to_string(), B.to_string()], "every store offered");
        assert_eq!(a.store_rows, whole.store_rows, "the comparison is of the whole data set");
        sum = (sum.0 + k.0, sum.1 + k.1, sum.2 + k.2, sum.3 + k.3);
    }
    assert_eq!(sum, figures(&whole.overview.kpis));
    // By hand for A: M1, M4, M7; revenue 10,000 + 5,000 (M1 at B goes with M1) + 20,000 + 2,500.
    assert_eq!(wanted(&want(&[A])), (3, 2, 37_500, 5));
    let two = scoped(&ds, &[A, B]);
    let (a, b) = (want(&[A]), want(&[B]));
    assert_eq!(figures(&two.overview.kpis), (a.members + b.members, a.active + b.active, a.revenue + b.revenue, a.orders + b.orders));
}

#[test]
fn store_rows_compare_every_store_and_match_the_scoped_figures() {
    let ds = dataset();
    let whole = scoped(&ds, &[]);
    let rows = &whole.store_rows;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.windows(2).all(|w| w[0].revenue_12m_cents >= w[1].revenue_12m_cents), "by revenue");
    for s in [A, B, ""] {
        let row = rows.iter().find(|r| r.store == s).expect("a row per store");
        let w = want(&[s]);
        assert_eq!((row.members, row.active_members_12m, row.revenue_12m_cents), (w.members, w.active, w.revenue), "{s:?}");
        let churn = if w.buyers == 0 { 0.0 } else { w.churned as f64 / w.buyers as f64 };
        assert!((row.churn_rate - churn).abs() < 1e-12, "{s:?}: {} vs {churn}", row.churn_rate);
        let k = scoped(&ds, &[s]).overview.kpis;
        assert_eq!(row.avg_ticket_12m_cents, k.avg_ticket_12m_cents, "{s:?}");
        assert!((row.repeat_rate - k.repeat_purchase_rate).abs() < 1e-12, "{s:?}");
    }
    // A: M4 bought last in 2023 (churned) of its 3 buyers.
    let a = rows.iter().find(|r| r.store == A).expect("A");
    assert!((a.churn_rate - 1.0 / 3.0).abs() < 1e-12);
    let k = &whole.overview.kpis;
    assert_eq!(rows.iter().map(|r| r.members).sum::<u32>(), k.members);
    assert_eq!(rows.iter().map(|r| r.active_members_12m).sum::<u32>(), k.active_members_12m);
    assert_eq!(rows.iter().map(|r| r.revenue_12m_cents).sum::<i64>(), k.revenue_12m_cents);
}

#[test]
fn names_the_data_does_not_have_are_said_and_none_found_means_all_stores() {
    let ds = dataset();
    let whole = scoped(&ds, &[]);
    let none = scoped(&ds, &["C店"]);
    assert_eq!((none.scope.clone(), none.scope_unknown.clone()), (Vec::<String>::new(), vec!["C店".to_string()]));
    assert_eq!(figures(&none.overview.kpis), figures(&whole.overview.kpis));
    assert_eq!(none.store_rows, whole.store_rows);
    let some = scoped(&ds, &["C店", A, A]);
    assert_eq!((some.scope.clone(), some.scope_unknown.clone()), (vec![A.to_string()], vec!["C店".to_string()]));
    assert_eq!(figures(&some.overview.kpis), wanted(&want(&[A])));
}

#[test]
fn a_named_analysis_date_holds_for_the_scope() {
    let ds = dataset();
    let settings = Settings { stores: vec![A.into()], analysis_date: Some("2025-06-01".into()), ..Default::default() };
    let a = analyse_without_predictions(&ds, None, false, &settings).analysis;
    assert_eq!(a.analysis_date, "2025-06-01");
    // As of 2025-06-01, A's 12 months (2024-06-02 ..= 2025-06-01) hold M1's 10,000 and 5,000,
    // M7's 20,000 and the walk-in's 999 of 2024-06-30; the other walk-ins came later.
    assert_eq!(a.overview.kpis.revenue_12m_cents, 35_999);
}
