//! The daily work lists on hand-worked fixtures: who is on each list as of an analysis date D and
//! with which figures. Expected members and figures are worked out here from the rows the test
//! writes (with chrono for the calendar), never by asking the engine.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use member_engine::analysis::{analyse, Computed};
use member_engine::dates::day_from_ymd;
use member_engine::demo::{generate, DemoSpec};
use member_engine::model::{Dataset, MemberRecord, TxKind, TxRecord};
use member_engine::predict::high_value_at_high_risk;
use member_engine::pyramid::{LayerKey, TIER_UPGRADE};
use member_engine::segments::Lifecycle;
use member_engine::settings::Settings;
use member_engine::worklists::{WorkListIndex, WorkListKey as K, WorkReason};

fn day(y: i32, m: u32, d: u32) -> i32 {
    day_from_ymd(y, m, d).unwrap()
}

/// `YYYY-MM-DD` of a day number, by chrono.
fn date(d: i32) -> String {
    chrono_date(d).format("%Y-%m-%d").to_string()
}

/// The analysis date of the main fixture: a Saturday three days before the year's end, so that
/// "this week" (D ..= D + 6) runs into January.
const DY: (i32, u32, u32) = (2024, 12, 28);

fn dd() -> i32 {
    day(DY.0, DY.1, DY.2)
}

/// One transaction as the test writes it: member id (None: walk-in), day, yuan, kind, category.
#[derive(Clone, Debug)]
struct Row {
    id: Option<String>,
    day: i32,
    yuan: i64,
    kind: TxKind,
    category: Option<&'static str>,
}

#[derive(Clone, Debug, Default)]
struct Fixture {
    members: Vec<MemberRecord>,
    rows: Vec<Row>,
}

impl Fixture {
    fn member(&mut self, m: MemberRecord) {
        self.members.push(m);
    }
    fn id(&mut self, id: &str) {
        self.members.push(MemberRecord { id: id.into(), ..Default::default() });
    }
    fn buy(&mut self, id: &str, day: i32, yuan: i64, category: Option<&'static str>) {
        self.rows.push(Row { id: Some(id.into()), day, yuan, kind: TxKind::Sale, category });
    }
    fn row(&mut self, r: Row) {
        self.rows.push(r);
    }
    fn dataset(&self) -> Dataset {
        let mut ds = Dataset::new("work lists");
        for m in &self.members {
            ds.add_member(m.clone());
        }
        for r in &self.rows {
            ds.add_transaction(TxRecord {
                member_id: r.id.as_deref(),
                day: r.day,
                amount_cents: r.yuan * 100,
                discount_cents: 0,
                category: r.category,
                store: None,
                kind: r.kind,
            });
        }
        ds
    }
    fn is_purchase(r: &Row, d: i32) -> bool {
        r.kind == TxKind::Sale && r.yuan >= 0 && r.day <= d && r.id.is_some()
    }
    /// Each (member, category)'s distinct purchase days up to D, ascending.
    fn category_days(&self, d: i32) -> BTreeMap<(String, &'static str), Vec<i32>> {
        let mut out: BTreeMap<(String, &'static str), BTreeSet<i32>> = BTreeMap::new();
        for r in self.rows.iter().filter(|r| Self::is_purchase(r, d)) {
            if let (Some(id), Some(c)) = (&r.id, r.category) {
                out.entry((id.clone(), c)).or_default().insert(r.day);
            }
        }
        out.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect()
    }
    /// Per category, the repeat gaps: days between consecutive purchase days of one member.
    fn gaps(&self, d: i32) -> BTreeMap<&'static str, Vec<i32>> {
        let mut out: BTreeMap<&'static str, Vec<i32>> = BTreeMap::new();
        for ((_, c), days) in self.category_days(d) {
            out.entry(c).or_default().extend(days.windows(2).map(|w| w[1] - w[0]));
        }
        out
    }
    fn first_purchase(&self, id: &str, d: i32) -> Option<i32> {
        self.rows.iter().filter(|r| Self::is_purchase(r, d) && r.id.as_deref() == Some(id)).map(|r| r.day).min()
    }
}

/// The test's own defaults (DOMAIN.md's three and the common ones the fixture uses).
fn default_cycle(c: &str) -> Option<i32> {
    match c {
        "洁面" | "面霜" => Some(80),
        "柔肤水" => Some(50),
        "精华" => Some(60),
        _ => None,
    }
}

/// The median of at least 20 gaps (the mean of the middle two, rounded half up).
fn learned(gaps: &[i32]) -> Option<i32> {
    if gaps.len() < 20 {
        return None;
    }
    let mut g = gaps.to_vec();
    g.sort();
    let n = g.len();
    Some(if n % 2 == 1 { g[n / 2] } else { (g[n / 2 - 1] + g[n / 2] + 1) / 2 })
}

/// The replenishment list worked out from the rows: (member, category, last, cycle).
fn expected_replenish(f: &Fixture, d: i32, window: i32, user: &[(String, i32)]) -> BTreeSet<(String, &'static str, i32, i32)> {
    let gaps = f.gaps(d);
    let mut out = BTreeSet::new();
    for ((id, c), days) in f.category_days(d) {
        let user_cycle = user.iter().find(|(n, _)| n == c).map(|&(_, x)| x);
        let learned = gaps.get(c).and_then(|g| learned(g));
        let Some(cycle) = user_cycle.or(default_cycle(c).and(learned)).or(default_cycle(c)) else { continue };
        let last = *days.last().unwrap();
        if (d - window..d + window).contains(&(last + cycle)) {
            out.insert((id, c, last, cycle));
        }
    }
    out
}

struct Built {
    ds: Dataset,
    c: Computed,
    index: WorkListIndex,
}

impl Built {
    fn new(ds: Dataset, settings: Settings) -> Self {
        let c = analyse(&ds, None, false, &settings);
        let index = WorkListIndex::build(&ds, &c.summaries, &c.classified, &settings);
        Built { ds, c, index }
    }
    fn ids(&self, list: K) -> BTreeSet<String> {
        self.index.members(list).iter().map(|&m| self.ds.members.id(m as usize).to_string()).collect()
    }
    fn reasons(&self, list: K, id: &str) -> Vec<WorkReason> {
        let m = self.ds.find_member(id).expect("member");
        self.index.reasons(&self.ds, &self.c.summaries, &self.c.classified, list, m)
    }
    fn available(&self, list: K) -> bool {
        let o = self.index.overview();
        o.lists.iter().find(|l| l.key == list).unwrap().available
    }
    /// Every list: its count in the overview is its length, each member on it has a reason and
    /// no member off it has one.
    fn check_consistent(&self) {
        let o = self.index.overview();
        assert_eq!(o.lists.len(), K::ALL.len());
        for l in &o.lists {
            let on = self.index.members(l.key);
            assert_eq!(l.members as usize, on.len(), "{:?}", l.key);
            assert!(on.windows(2).all(|w| w[0] < w[1]), "{:?} ascending", l.key);
            for m in 0..self.ds.members.len() as u32 {
                let r = self.index.reasons(&self.ds, &self.c.summaries, &self.c.classified, l.key, m);
                assert_eq!(self.index.contains(l.key, m), !r.is_empty(), "{:?} member {m}", l.key);
            }
        }
        let due: u32 = o.cycles.iter().map(|c| c.due).sum();
        let reasons: usize = self.index.members(K::Replenish).iter().map(|&m| self.reasons_of(K::Replenish, m).len()).sum();
        assert_eq!(due as usize, reasons, "one reason per category due");
    }
    fn reasons_of(&self, list: K, m: u32) -> Vec<WorkReason> {
        self.index.reasons(&self.ds, &self.c.summaries, &self.c.classified, list, m)
    }
}

fn member(id: &str) -> MemberRecord {
    MemberRecord { id: id.into(), ..Default::default() }
}

/// The main fixture (D = 2024-12-28). Amounts are ¥50 or more except W2's ¥10.
fn fixture() -> Fixture {
    let d = dd();
    let mut f = Fixture::default();
    // Replenishment (N = 7: runs out in D − 7 ..= D + 6).
    f.id("R1"); // 洁面 on D − 200 and D − 83 (+80 → D − 3: due); a purchase after D is not seen.
    f.buy("R1", d - 200, 168, Some("洁面"));
    f.buy("R1", d - 83, 168, Some("洁面"));
    f.buy("R1", d + 2, 168, Some("洁面"));
    f.id("R2"); // 洁面 on D − 82 (→ D − 2) and again on D − 10: only the last counts, not due.
    f.buy("R2", d - 82, 168, Some("洁面"));
    f.buy("R2", d - 10, 168, Some("洁面"));
    f.id("R3"); // 柔肤水 on D − 44 → D + 6, the window's last day: due.
    f.buy("R3", d - 44, 198, Some("柔肤水"));
    f.id("R4"); // 柔肤水 on D − 43 → D + 7: not due.
    f.buy("R4", d - 43, 198, Some("柔肤水"));
    f.id("R5"); // 面霜 on D − 87 → D − 7, the window's first day: due.
    f.buy("R5", d - 87, 368, Some("面霜"));
    f.id("R6"); // 面霜 on D − 88 → D − 8: not due.
    f.buy("R6", d - 88, 368, Some("面霜"));
    f.id("R7"); // 洁面 bought on D − 150; a refund and a negative sale on D − 80 are not purchases.
    f.buy("R7", d - 150, 168, Some("洁面"));
    f.row(Row { id: Some("R7".into()), day: d - 80, yuan: -168, kind: TxKind::Refund, category: Some("洁面") });
    f.row(Row { id: Some("R7".into()), day: d - 81, yuan: -50, kind: TxKind::Sale, category: Some("洁面") });
    f.id("R8"); // 面部护理 (a service: no default cycle) on D − 42.
    f.buy("R8", d - 42, 298, Some("面部护理"));
    f.id("R90"); // 洁面 on D − 90 → D − 10 at 80 days; due at a user's 90 days.
    f.buy("R90", d - 90, 168, Some("洁面"));
    f.id("RM"); // Two categories due: 洁面 D − 80 → D, 面霜 D − 75 → D + 5.
    f.buy("RM", d - 80, 168, Some("洁面"));
    f.buy("RM", d - 75, 368, Some("面霜"));
    // A walk-in's 洁面 is nobody's.
    f.row(Row { id: None, day: d - 80, yuan: 168, kind: TxKind::Sale, category: Some("洁面") });
    // Learned cycle of 精华: ten members, three purchases each, gaps 30, 31, …, 49 (median 39.5
    // → 40). L0's last purchase is on D − 40: due at the learned 40 days, not at the default 60.
    for i in 0..10 {
        let id = format!("L{i}");
        f.id(&id);
        let (g1, g2) = (30 + 2 * i, 31 + 2 * i);
        let last = if i == 0 { d - 40 } else { d - 100 - i };
        for day in [last - g2 - g1, last - g2, last] {
            f.buy(&id, day, 580, Some("精华"));
        }
    }
    // 333 follow-up: first purchases on D − 3, D − 21 (and again D − 5), D − 90, D − 4.
    for (id, first) in [("F3", 3), ("F21", 21), ("F90", 90), ("F4", 4)] {
        f.id(id);
        f.buy(id, d - first, 100, None);
    }
    f.buy("F21", d - 5, 100, None);
    f.id("FR"); // Only a refund three days ago: no first purchase.
    f.row(Row { id: Some("FR".into()), day: d - 3, yuan: -100, kind: TxKind::Refund, category: None });
    // Birthdays: the week is 2024-12-28 ..= 2025-01-03.
    for (id, b) in [
        ("B1", day(1990, 12, 28)),
        ("B2", day(1985, 1, 3)),
        ("B3", day(1985, 1, 4)),
        ("B4", day(2000, 12, 1)),
        ("B5", day(1990, 12, 27)),
        ("B6", day(1900, 12, 30)),
    ] {
        f.member(MemberRecord { birthday: Some(b), ..member(id) });
    }
    // Join anniversaries.
    for (id, j) in [("A1", day(2020, 12, 30)), ("A2", day(2024, 12, 29)), ("A3", day(2023, 1, 2)), ("A4", day(2022, 12, 5)), ("A5", day(2025, 1, 1))] {
        f.member(MemberRecord { join_day: Some(j), ..member(id) });
    }
    // Points, stored value, expiries.
    f.member(MemberRecord { points: 5_000, ..member("PT1") });
    f.member(MemberRecord { points: 4_999, ..member("PT2") });
    f.member(MemberRecord { points: 100, points_expiry: Some(d + 30), ..member("PX1") });
    f.member(MemberRecord { points: 0, points_expiry: Some(d + 1), ..member("PX2") });
    f.member(MemberRecord { points: 50, points_expiry: Some(d + 31), ..member("PX3") });
    f.member(MemberRecord { points: 70, points_expiry: Some(d - 1), ..member("PX4") });
    f.member(MemberRecord { balance_cents: 200_000, ..member("BL1") });
    f.member(MemberRecord { balance_cents: 199_999, ..member("BL2") });
    f.member(MemberRecord { balance_cents: -500, ..member("BL3") });
    for (id, e) in [("E1", d), ("E2", d + 30), ("E3", d + 31), ("E4", d - 1)] {
        f.member(MemberRecord { expiry: Some(e), ..member(id) });
    }
    // Tiers, with bars set by the settings: 普通会员 0, 银卡 ¥1,000, 金卡 ¥5,000.
    for (id, tier) in [("T0", "普通会员"), ("T1", "银卡"), ("T2", "金卡"), ("T3", "金卡")] {
        f.member(MemberRecord { tier: Some(tier.into()), ..member(id) });
    }
    f.buy("T1", d - 10, 6_000, None);
    f.buy("T2", d - 20, 500, None);
    f.buy("T3", d - 30, 3_000, None);
    // Win-back: W1 and W4 were the biggest spenders, now sleeping (400 days) and lost (800);
    // W2 sleeps too but spent ¥10; W3 spends big now.
    for id in ["W1", "W2", "W3", "W4"] {
        f.id(id);
    }
    f.buy("W1", d - 400, 50_000, None);
    f.buy("W2", d - 400, 10, None);
    f.buy("W3", d - 5, 40_000, None);
    f.buy("W4", d - 800, 45_000, None);
    f
}

fn settings_at(d: (i32, u32, u32)) -> Settings {
    Settings {
        analysis_date: Some(format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)),
        tier_min_spend_cents: vec![("普通会员".into(), 0), ("银卡".into(), 100_000), ("金卡".into(), 500_000)],
        ..Default::default()
    }
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn replenishment_by_hand() {
    let f = fixture();
    let d = dd();
    let b = Built::new(f.dataset(), settings_at(DY));
    let expected = expected_replenish(&f, d, 7, &[]);
    let ids: BTreeSet<String> = expected.iter().map(|e| e.0.clone()).collect();
    assert_eq!(b.ids(K::Replenish), ids);
    assert_eq!(ids, set(&["L0", "R1", "R3", "R5", "RM"]), "worked out by hand");
    assert_eq!(
        b.reasons(K::Replenish, "R1"),
        vec![WorkReason::Replenish { category: "洁面".into(), last: date(d - 83), cycle_days: 80, runs_out: date(d - 3) }]
    );
    assert_eq!(
        b.reasons(K::Replenish, "L0"),
        vec![WorkReason::Replenish { category: "精华".into(), last: date(d - 40), cycle_days: 40, runs_out: date(d) }]
    );
    let mut rm = b.reasons(K::Replenish, "RM");
    rm.sort_by_key(|r| format!("{r:?}"));
    let mut want = vec![
        WorkReason::Replenish { category: "洁面".into(), last: date(d - 80), cycle_days: 80, runs_out: date(d) },
        WorkReason::Replenish { category: "面霜".into(), last: date(d - 75), cycle_days: 80, runs_out: date(d + 5) },
    ];
    want.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(rm, want);
    assert!(b.reasons(K::Replenish, "R2").is_empty());
    // The cycles: defaults, the learned one (from the gaps written) and the counts due.
    let o = b.index.overview();
    let gaps = f.gaps(d);
    for cc in &o.cycles {
        let c = cc.category.as_str();
        let written = gaps.get(c).cloned().unwrap_or_default();
        assert_eq!(cc.learned_from as usize, written.len(), "{c}");
        assert_eq!(cc.learned_days.map(i32::from), learned(&written), "{c}");
        assert_eq!(cc.default_days.map(i32::from), default_cycle(c), "{c}");
        assert_eq!(cc.due as usize, expected.iter().filter(|e| e.1 == c).count(), "{c}");
    }
    let jing = o.cycles.iter().find(|c| c.category == "精华").unwrap();
    assert_eq!((jing.learned_days, jing.learned_from, jing.cycle_days), (Some(40), 20, Some(40)));
    // A service has no cycle in force without the user's.
    let service = o.cycles.iter().find(|c| c.category == "面部护理").unwrap();
    assert_eq!((service.default_days, service.cycle_days, service.due), (None, None, 0));
    assert!(b.available(K::Replenish));
    b.check_consistent();
    // The rows in day order (as most files come) give the same lists and reasons.
    let mut sorted = f.clone();
    sorted.rows.sort_by_key(|r| r.day);
    let s = Built::new(sorted.dataset(), settings_at(DY));
    for list in K::ALL {
        assert_eq!(s.ids(list), b.ids(list), "{list:?}");
    }
    assert_eq!(s.reasons(K::Replenish, "RM").len(), 2);
    let by_name = |mut v: Vec<member_engine::worklists::CategoryCycle>| {
        v.sort_by(|a, b| a.category.cmp(&b.category));
        v
    };
    assert_eq!(by_name(s.index.overview().cycles), by_name(o.cycles.clone()));
}

#[test]
fn a_users_cycle_overrides_and_lists_a_service() {
    let f = fixture();
    let d = dd();
    let user = vec![("洁面".to_string(), 90), ("面部护理".to_string(), 40), ("精华".to_string(), 60)];
    let b = Built::new(f.dataset(), Settings { category_cycles: user.clone(), replenish_window_days: 3, ..settings_at(DY) });
    let expected = expected_replenish(&f, d, 3, &user);
    let ids: BTreeSet<String> = expected.iter().map(|e| e.0.clone()).collect();
    assert_eq!(b.ids(K::Replenish), ids);
    // 洁面 at 90 days: R90 (D − 90 → D) is due, R1 (D − 83 → D + 7) and RM (D − 80 → D + 10) not;
    // 面部护理 at 40: R8 (D − 42 → D − 2); 精华 at the user's 60 (not the learned 40): none.
    // 面霜 at 80 with N = 3 (D − 3 ..= D + 2): R5 (→ D − 7) and RM (→ D + 5) are outside.
    assert_eq!(ids, set(&["R8", "R90"]));
    assert_eq!(
        b.reasons(K::Replenish, "R8"),
        vec![WorkReason::Replenish { category: "面部护理".into(), last: date(d - 42), cycle_days: 40, runs_out: date(d - 2) }]
    );
    b.check_consistent();
}

#[test]
fn follow_up_333() {
    let f = fixture();
    let d = dd();
    let b = Built::new(f.dataset(), settings_at(DY));
    for (list, days) in [(K::FollowUp3Days, 3), (K::FollowUp3Weeks, 21), (K::FollowUp3Months, 90)] {
        let want: BTreeSet<String> =
            f.members.iter().map(|m| m.id.clone()).filter(|id| f.first_purchase(id, d) == Some(d - days)).collect();
        assert_eq!(b.ids(list), want, "{list:?}");
    }
    assert_eq!(b.ids(K::FollowUp3Days), set(&["F3"]));
    assert_eq!(b.ids(K::FollowUp3Weeks), set(&["F21"]));
    assert_eq!(b.ids(K::FollowUp3Months), set(&["F90", "R90"]));
    assert_eq!(b.reasons(K::FollowUp3Weeks, "F21"), vec![WorkReason::FollowUp { first: date(d - 21), days: 21 }]);
}

#[test]
fn birthdays_and_anniversaries_across_the_year_end() {
    let f = fixture();
    let b = Built::new(f.dataset(), settings_at(DY));
    assert_eq!(b.ids(K::BirthdayWeek), set(&["B1", "B2", "B6"]));
    assert_eq!(b.ids(K::BirthdayMonth), set(&["B1", "B4", "B5", "B6"]));
    assert_eq!(b.reasons(K::BirthdayWeek, "B2"), vec![WorkReason::Birthday { date: "2025-01-03".into(), age: Some(40) }]);
    assert_eq!(b.reasons(K::BirthdayWeek, "B1"), vec![WorkReason::Birthday { date: "2024-12-28".into(), age: Some(34) }]);
    // A placeholder year (1900) gives no age.
    assert_eq!(b.reasons(K::BirthdayWeek, "B6"), vec![WorkReason::Birthday { date: "2024-12-30".into(), age: None }]);
    assert_eq!(b.reasons(K::BirthdayMonth, "B4"), vec![WorkReason::Birthday { date: "2024-12-01".into(), age: Some(24) }]);
    // Anniversaries need a whole year: A2 joined this week a year too late, A5 after D.
    assert_eq!(b.ids(K::AnniversaryWeek), set(&["A1", "A3"]));
    assert_eq!(b.ids(K::AnniversaryMonth), set(&["A1", "A4"]));
    assert_eq!(
        b.reasons(K::AnniversaryWeek, "A3"),
        vec![WorkReason::Anniversary { joined: "2023-01-02".into(), date: "2025-01-02".into(), years: 2 }]
    );
    assert_eq!(
        b.reasons(K::AnniversaryMonth, "A4"),
        vec![WorkReason::Anniversary { joined: "2022-12-05".into(), date: "2024-12-05".into(), years: 2 }]
    );
    // The same rule worked out with chrono for every member and every day of a year: the week.
    for offset in (0..366).step_by(5) {
        let d = dd() + offset;
        let mut s = settings_at(DY);
        s.set_analysis_day(Some(d));
        let b = Built::new(f.dataset(), s);
        let want: BTreeSet<String> = f
            .members
            .iter()
            .filter(|m| m.birthday.is_some_and(|bd| (0..7).any(|k| same_month_day(bd, d + k))))
            .map(|m| m.id.clone())
            .collect();
        assert_eq!(b.ids(K::BirthdayWeek), want, "D = {}", date(d));
    }
}

/// Whether `on` is the yearly date of `origin` (Feb 29 on Feb 28 in a common year).
fn same_month_day(origin: i32, on: i32) -> bool {
    let (o, x) = (chrono_date(origin), chrono_date(on));
    let leap = NaiveDate::from_ymd_opt(x.year(), 2, 29).is_some();
    let (om, od) = if (o.month(), o.day()) == (2, 29) && !leap { (2, 28) } else { (o.month(), o.day()) };
    (om, od) == (x.month(), x.day())
}

fn chrono_date(d: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap().checked_add_signed(chrono::Duration::days(d as i64)).unwrap()
}

#[test]
fn feb_29_falls_on_feb_28_in_a_common_year() {
    let mut f = Fixture::default();
    f.member(MemberRecord { birthday: Some(day(2000, 2, 29)), join_day: Some(day(2020, 2, 29)), ..member("P") });
    f.member(MemberRecord { birthday: Some(day(2000, 3, 1)), ..member("Q") });
    let b = Built::new(f.dataset(), settings_at((2023, 2, 25)));
    assert_eq!(b.ids(K::BirthdayWeek), set(&["P", "Q"]));
    assert_eq!(b.reasons(K::BirthdayWeek, "P"), vec![WorkReason::Birthday { date: "2023-02-28".into(), age: Some(23) }]);
    assert_eq!(b.reasons(K::BirthdayMonth, "P"), vec![WorkReason::Birthday { date: "2023-02-28".into(), age: Some(23) }]);
    assert_eq!(b.ids(K::BirthdayMonth), set(&["P"]));
    assert_eq!(
        b.reasons(K::AnniversaryWeek, "P"),
        vec![WorkReason::Anniversary { joined: "2020-02-29".into(), date: "2023-02-28".into(), years: 3 }]
    );
    let b = Built::new(f.dataset(), settings_at((2024, 2, 25)));
    assert_eq!(b.reasons(K::BirthdayWeek, "P"), vec![WorkReason::Birthday { date: "2024-02-29".into(), age: Some(24) }]);
    assert_eq!(b.ids(K::BirthdayWeek), set(&["P", "Q"]));
    // Members alone: no transactions, so no follow-up, replenishment or win-back to fill.
    assert!(!b.available(K::Replenish) && !b.available(K::FollowUp3Days) && !b.available(K::WinBack));
    b.check_consistent();
}

#[test]
fn points_balances_and_expiries() {
    let f = fixture();
    let d = dd();
    let b = Built::new(f.dataset(), settings_at(DY));
    assert_eq!(b.ids(K::PointsLarge), set(&["PT1"]));
    assert_eq!(b.reasons(K::PointsLarge, "PT1"), vec![WorkReason::Points { points: 5_000 }]);
    assert_eq!(b.ids(K::PointsExpiring), set(&["PX1"]));
    assert_eq!(b.reasons(K::PointsExpiring, "PX1"), vec![WorkReason::PointsExpiring { points: 100, on: date(d + 30) }]);
    assert_eq!(b.ids(K::BalanceLarge), set(&["BL1"]));
    assert_eq!(b.reasons(K::BalanceLarge, "BL1"), vec![WorkReason::Balance { balance_cents: 200_000 }]);
    assert_eq!(b.ids(K::MembershipExpiring), set(&["E1", "E2"]));
    assert_eq!(b.reasons(K::MembershipExpiring, "E2"), vec![WorkReason::MembershipExpiring { on: date(d + 30) }]);
    let o = b.index.overview();
    let points: i64 = f.members.iter().map(|m| m.points.max(0)).sum();
    let balance: i64 = f.members.iter().map(|m| m.balance_cents.max(0)).sum();
    assert_eq!((o.points_outstanding, o.balance_outstanding_cents), (points, balance));
    assert_eq!(o.analysis_date, "2024-12-28");
    // Other thresholds.
    let s = Settings { large_points: 100, large_balance_cents: 1, expiring_days: 31, ..settings_at(DY) };
    let b = Built::new(f.dataset(), s);
    assert_eq!(b.ids(K::PointsLarge), set(&["PT1", "PT2", "PX1"]));
    assert_eq!(b.ids(K::PointsExpiring), set(&["PX1", "PX3"]));
    assert_eq!(b.ids(K::BalanceLarge), set(&["BL1", "BL2"]));
    assert_eq!(b.ids(K::MembershipExpiring), set(&["E1", "E2", "E3"]));
    b.check_consistent();
}

#[test]
fn tiers_win_back_and_risk() {
    let f = fixture();
    let d = dd();
    let b = Built::new(f.dataset(), settings_at(DY));
    // 银卡 at ¥6,000 reaches 金卡's ¥5,000; 金卡 at ¥500 is under 银卡's ¥1,000 too (fits 普通会员);
    // 金卡 at ¥3,000 is under its bar but over 银卡's: no change.
    assert_eq!(b.ids(K::TierUpgrade), set(&["T1"]));
    assert_eq!(
        b.reasons(K::TierUpgrade, "T1"),
        vec![WorkReason::TierUpgrade { tier: "银卡".into(), fits: "金卡".into(), spend_12m_cents: 600_000 }]
    );
    assert_eq!(b.ids(K::TierDowngrade), set(&["T2"]));
    assert_eq!(
        b.reasons(K::TierDowngrade, "T2"),
        vec![WorkReason::TierDowngrade { tier: "金卡".into(), fits: "普通会员".into(), spend_12m_cents: 50_000 }]
    );
    // W1 and W4 are among the top 30% of buyers by lifetime spend and no longer buy; they have
    // no 12-month spend, so the pyramid (12-month spend) puts them in D.
    assert_eq!(b.ids(K::WinBack), set(&["W1", "W4"]));
    assert_eq!(
        b.reasons(K::WinBack, "W1"),
        vec![WorkReason::WinBack { layer: LayerKey::D, lifecycle: Lifecycle::Sleeping, recency_days: 400, net_cents: 5_000_000 }]
    );
    assert_eq!(
        b.reasons(K::WinBack, "W4"),
        vec![WorkReason::WinBack { layer: LayerKey::D, lifecycle: Lifecycle::Lost, recency_days: 800, net_cents: 4_500_000 }]
    );
    let _ = d;
    // Too few repeat buyers for a trusted model: the risk list is not available and empty.
    assert!(!b.available(K::HighValueHighRisk));
    assert!(b.ids(K::HighValueHighRisk).is_empty());
    b.check_consistent();
    // Without tier rules nor a second tier the tier lists are not available.
    let mut g = Fixture::default();
    g.member(MemberRecord { tier: Some("金卡".into()), ..member("X") });
    g.buy("X", d - 1, 100, None);
    let b = Built::new(g.dataset(), settings_at(DY));
    assert!(!b.available(K::TierUpgrade) && !b.available(K::TierDowngrade));
}

/// The demo at several analysis dates (before its first day, inside, its last day, after):
/// never a panic, every count its list's length, a reason for each member on a list, and the
/// lists that follow a shared rule agree with it.
#[test]
fn the_demo_at_several_dates() {
    let ds = generate(&DemoSpec { members: 1_500, ..Default::default() });
    let (first, last) = ds.day_range().unwrap();
    for d in [first - 30, first + 100, last - 200, last - 17, last, last + 45] {
        let mut s = Settings::default();
        s.set_analysis_day(Some(d));
        let b = Built::new(ds.clone(), s);
        b.check_consistent();
        let n = ds.members.len();
        let risk: Vec<u32> = (0..n)
            .filter(|&m| high_value_at_high_risk(b.c.classified.layer[m], b.c.classified.predictions.risk(m)))
            .map(|m| m as u32)
            .collect();
        assert_eq!(b.index.members(K::HighValueHighRisk), risk.as_slice());
        for &m in b.index.members(K::WinBack) {
            let l = Lifecycle::ALL[b.c.classified.labels.lifecycle[m as usize] as usize];
            assert!(matches!(l, Lifecycle::Silent | Lifecycle::Sleeping | Lifecycle::Lost));
        }
        let ups: Vec<u32> = (0..n as u32).filter(|&m| b.c.classified.tier_fit[m as usize] == TIER_UPGRADE).collect();
        assert_eq!(b.index.members(K::TierUpgrade), ups.as_slice());
    }
}

/// A small random data set: members with random birthdays (Feb 29 among them), join days,
/// points and expiries; purchases, refunds and top-ups in any row order.
fn arb_fixture() -> impl Strategy<Value = (Fixture, i32, i32)> {
    let one = (0u32..4, proptest::option::of(0i32..20_000), proptest::option::of(-5_000i32..400), -10i64..10_000, proptest::option::of(-40i32..60));
    let row = (0usize..12, -400i32..40, -50i64..500, 0u8..6, 0usize..4);
    (proptest::collection::vec(one, 1..12), proptest::collection::vec(row, 0..80), 1i32..20, 0i32..3)
        .prop_map(|(members, rows, window, pick)| {
            let d = day(2024, 2, 27) + pick;
            let mut f = Fixture::default();
            for (i, (_, birthday, join, points, expiry)) in members.iter().enumerate() {
                f.member(MemberRecord {
                    birthday: birthday.map(|b| if b % 7 == 0 { day(1996, 2, 29) } else { b }),
                    join_day: join.map(|j| d + j - 400),
                    points: *points,
                    points_expiry: expiry.map(|e| d + e),
                    expiry: expiry.map(|e| d + 2 * e),
                    tier: Some(["金卡", "银卡", "普通会员"][i % 3].into()),
                    ..member(&format!("M{i}"))
                });
            }
            let cats = [Some("洁面"), Some("柔肤水"), Some("面部护理"), None];
            for (who, when, yuan, kind, cat) in rows {
                let id = (who < members.len()).then(|| format!("M{who}"));
                let kind = match kind {
                    0 => TxKind::Refund,
                    1 => TxKind::TopUp,
                    _ => TxKind::Sale,
                };
                f.row(Row { id, day: d + when, yuan, kind, category: cats[cat] });
            }
            (f, d, window)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Never a panic; the replenishment list and its reasons are those worked out from the rows
    /// (in whatever order the rows come); the birthday week is chrono's.
    #[test]
    fn random_data_sets((f, d, window) in arb_fixture()) {
        let mut s = Settings { replenish_window_days: window, ..Default::default() };
        s.set_analysis_day(Some(d));
        let b = Built::new(f.dataset(), s);
        b.check_consistent();
        let expected = expected_replenish(&f, d, window, &[]);
        let ids: BTreeSet<String> = expected.iter().map(|e| e.0.clone()).collect();
        prop_assert_eq!(b.ids(K::Replenish), ids);
        for (id, c, last, cycle) in &expected {
            let r = WorkReason::Replenish { category: c.to_string(), last: date(*last), cycle_days: *cycle as u16, runs_out: date(last + cycle) };
            prop_assert!(b.reasons(K::Replenish, id).contains(&r));
        }
        let week: BTreeSet<String> = f.members.iter()
            .filter(|m| m.birthday.is_some_and(|bd| (0..7).any(|k| same_month_day(bd, d + k))))
            .map(|m| m.id.clone()).collect();
        prop_assert_eq!(b.ids(K::BirthdayWeek), week);
        let follow: BTreeSet<String> = f.members.iter().map(|m| m.id.clone()).filter(|id| f.first_purchase(id, d) == Some(d - 3)).collect();
        prop_assert_eq!(b.ids(K::FollowUp3Days), follow);
    }
}
