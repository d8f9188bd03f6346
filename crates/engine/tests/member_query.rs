//! The member query: every filter condition on a hand-built data set, with the expected members
//! worked out here from the rows and attributes this test writes (its own sums, its own calendar
//! arithmetic with chrono); search, sort, paging and totals; on the demo, every click-through
//! lists as many members as the analysis counts and random filters agree with a predicate this
//! test evaluates from the figures it reads directly.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use member_engine::analysis::{analyse, Computed};
use member_engine::dates::{day_from_ymd, Day};
use member_engine::members::{
    matching, query, try_query, Column, Condition, Ctx, DateRange, FilterError, FilterField, FilterProblem, MemberFilter, NumRange,
    Sort, StarSign, Zodiac,
};
use member_engine::model::{Dataset, Gender, MemberRecord, TxKind, TxRecord};
use member_engine::predict::Risk;
use member_engine::pyramid::{LayerKey, Quadrant, TierFit};
use member_engine::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};
use member_engine::settings::Settings;
use member_engine::worklists::{WorkListIndex, WorkListKey};

type Ymd = (i32, u32, u32);

/// A member as this test writes it.
struct M {
    id: &'static str,
    name: &'static str,
    phone: &'static str,
    gender: Gender,
    birthday: Option<Ymd>,
    joined: Option<Ymd>,
    tier: Option<&'static str>,
    points: i64,
    balance_cents: i64,
    store: Option<&'static str>,
    expiry: Option<Ymd>,
    tags: &'static [&'static str],
}

/// The analysis date of the fixture.
const D: Ymd = (2024, 6, 30);

const MEMBERS: &[M] = &[
    M { id: "A1", name: "王小美", phone: "13812345678", gender: Gender::Female, birthday: Some((1990, 5, 10)), joined: Some((2020, 1, 15)), tier: Some("金卡"), points: 1200, balance_cents: 50_000, store: Some("东门店"), expiry: Some((2025, 1, 15)), tags: &["VIP", "敏感肌"] },
    M { id: "A2", name: "Anna Lee", phone: "+86 139-0000-1111", gender: Gender::Female, birthday: Some((2000, 2, 29)), joined: Some((2023, 3, 1)), tier: Some("银卡"), points: 300, balance_cents: 0, store: Some("西门店"), expiry: Some((2024, 3, 1)), tags: &["敏感肌"] },
    M { id: "A3", name: "李雷", phone: "13700001234", gender: Gender::Male, birthday: Some((1985, 12, 25)), joined: Some((2024, 5, 1)), tier: Some("普通会员"), points: 0, balance_cents: 200_000, store: Some("东门店"), expiry: None, tags: &[] },
    M { id: "VIP-0042", name: "赵敏", phone: "", gender: Gender::Unknown, birthday: None, joined: None, tier: Some("金卡"), points: 50, balance_cents: 0, store: None, expiry: None, tags: &["VIP"] },
    M { id: "A5", name: "陈静", phone: "15800002222", gender: Gender::Female, birthday: Some((1996, 8, 23)), joined: Some((2019, 6, 30)), tier: Some("普通会员"), points: 5000, balance_cents: 5_055, store: Some("西门店"), expiry: Some((2024, 6, 30)), tags: &[] },
    M { id: "A6", name: "刘洋", phone: "18600003333", gender: Gender::Male, birthday: Some((2004, 7, 1)), joined: Some((2022, 1, 1)), tier: Some("银卡"), points: 0, balance_cents: 0, store: Some("东门店"), expiry: None, tags: &[] },
    M { id: "A7", name: "周杰", phone: "13900004444", gender: Gender::Male, birthday: Some((1976, 3, 21)), joined: Some((2018, 2, 10)), tier: None, points: 10, balance_cents: 100_000, store: Some("西门店"), expiry: None, tags: &[] },
    M { id: "A8", name: "孙丽", phone: "13800005555", gender: Gender::Female, birthday: Some((1988, 1, 19)), joined: Some((2021, 9, 9)), tier: Some("金卡"), points: 800, balance_cents: 0, store: Some("东门店"), expiry: Some((2023, 9, 9)), tags: &[] },
];

/// Member, date, cents, discount cents, category, kind.
type Row = (Option<&'static str>, Ymd, i64, i64, Option<&'static str>, TxKind);

const ROWS: &[Row] = &[
    (Some("A1"), (2023, 12, 1), 10_000, 0, Some("洁面"), TxKind::Sale),
    (Some("A1"), (2024, 3, 1), 20_000, 0, Some("洁面"), TxKind::Sale),
    (Some("A1"), (2024, 6, 20), 30_000, 0, Some("面霜"), TxKind::Sale),
    (Some("A2"), (2024, 6, 29), 8_000, 0, Some("柔肤水"), TxKind::Sale),
    (Some("A2"), (2024, 6, 29), 2_000, 0, Some("洁面"), TxKind::Sale),
    (Some("A2"), (2024, 6, 30), -2_000, 0, Some("洁面"), TxKind::Refund),
    (Some("A3"), (2024, 5, 10), 150_000, 0, Some("面霜"), TxKind::Sale),
    // After the analysis date: counts for nothing.
    (Some("A3"), (2024, 7, 5), 99_900, 0, Some("洁面"), TxKind::Sale),
    (Some("VIP-0042"), (2022, 1, 10), 5_000, 0, Some("洁面"), TxKind::Sale),
    (Some("A5"), (2023, 4, 1), 10_000, 0, Some("柔肤水"), TxKind::Sale),
    (Some("A5"), (2023, 5, 1), 40_000, 0, Some("面霜"), TxKind::Sale),
    (Some("A6"), (2024, 1, 15), 25_050, 0, Some("柔肤水"), TxKind::Sale),
    (Some("A6"), (2024, 4, 15), 25_050, 0, Some("柔肤水"), TxKind::Sale),
    // A free service: a visit, not an order.
    (Some("A6"), (2024, 6, 1), 0, 0, Some("洁面"), TxKind::Sale),
    // A top-up is not a purchase: A7 never bought.
    (Some("A7"), (2024, 1, 1), 100_000, 0, None, TxKind::TopUp),
    (Some("A8"), (2023, 7, 1), 70_000, 0, Some("洁面"), TxKind::Sale),
    (Some("A8"), (2024, 6, 30), 10_000, 2_000, Some("面霜"), TxKind::Sale),
    (None, (2024, 6, 30), 99_900, 0, Some("面霜"), TxKind::Sale),
];

fn date(d: Ymd) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.0, d.1, d.2).unwrap()
}

fn day(d: Ymd) -> Day {
    day_from_ymd(d.0, d.1, d.2).unwrap()
}

/// Days from `a` to `b`, by chrono.
fn days(a: Ymd, b: Ymd) -> i64 {
    (date(b) - date(a)).num_days()
}

/// A member's figures as of D, summed here from [`ROWS`].
#[derive(Default, Clone)]
struct Fig {
    purchase_days: BTreeSet<Ymd>,
    orders: u32,
    gross: i64,
    net: i64,
    net_12m: i64,
    orders_12m: u32,
}

impl Fig {
    fn first(&self) -> Option<Ymd> {
        self.purchase_days.iter().next().copied()
    }
    fn last(&self) -> Option<Ymd> {
        self.purchase_days.iter().next_back().copied()
    }
    fn recency(&self) -> Option<i64> {
        self.last().map(|l| days(l, D))
    }
    fn bought(&self) -> bool {
        !self.purchase_days.is_empty()
    }
}

fn figures() -> BTreeMap<&'static str, Fig> {
    let mut out: BTreeMap<&'static str, Fig> = MEMBERS.iter().map(|m| (m.id, Fig::default())).collect();
    for &(id, d, cents, _, _, kind) in ROWS {
        let Some(id) = id else { continue };
        if date(d) > date(D) {
            continue;
        }
        let f = out.get_mut(id).unwrap();
        let in_12m = days(d, D) < 365;
        match kind {
            TxKind::Sale if cents >= 0 => {
                f.purchase_days.insert(d);
                f.gross += cents;
                f.net += cents;
                if in_12m {
                    f.net_12m += cents;
                }
                if cents > 0 {
                    f.orders += 1;
                    f.orders_12m += in_12m as u32;
                }
            }
            TxKind::Refund | TxKind::Sale => {
                f.net += cents;
                if in_12m {
                    f.net_12m += cents;
                }
            }
            TxKind::TopUp => {}
        }
    }
    out
}

/// The fixture's settings: the analysis date, quadrant cuts (more than 1 order, over ¥500) and
/// tier bars (¥0, ¥500, ¥1,000 in 12 months).
fn settings() -> Settings {
    Settings {
        analysis_date: Some("2024-06-30".into()),
        quadrant_frequency_cut: Some(1.0),
        quadrant_spend_cut_cents: Some(50_000),
        tier_min_spend_cents: vec![("普通会员".into(), 0), ("银卡".into(), 50_000), ("金卡".into(), 100_000)],
        ..Settings::default()
    }
}

fn dataset() -> Dataset {
    let mut ds = Dataset::new("fixture");
    for m in MEMBERS {
        ds.add_member(MemberRecord {
            id: m.id.into(),
            name: m.name.into(),
            phone: m.phone.into(),
            gender: m.gender,
            birthday: m.birthday.map(day),
            join_day: m.joined.map(day),
            tier: m.tier.map(str::to_string),
            points: m.points,
            balance_cents: m.balance_cents,
            store: m.store.map(str::to_string),
            expiry: m.expiry.map(day),
            tags: m.tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        });
    }
    for &(id, d, amount_cents, discount_cents, category, kind) in ROWS {
        ds.add_transaction(TxRecord { member_id: id, day: day(d), amount_cents, discount_cents, category, store: None, kind });
    }
    ds
}

struct Fixture {
    ds: Dataset,
    c: Computed,
    lists: WorkListIndex,
    settings: Settings,
}

impl Fixture {
    fn new() -> Self {
        let ds = dataset();
        let settings = settings();
        let c = analyse(&ds, None, false, &settings);
        let lists = WorkListIndex::build(&ds, &c.summaries, &c.classified, &c.analysis.settings);
        Fixture { ds, c, lists, settings }
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx { ds: &self.ds, sums: &self.c.summaries, c: &self.c.classified, lists: &self.lists, settings: &self.settings }
    }

    /// The ids the engine lists for `filter`.
    fn ids(&self, filter: &MemberFilter) -> BTreeSet<&'static str> {
        let found = matching(&self.ctx(), filter, Sort::default());
        found.iter().map(|&m| MEMBERS[m as usize].id).collect()
    }

    fn one(&self, c: Condition) -> BTreeSet<&'static str> {
        self.ids(&MemberFilter::only(c))
    }
}

/// The ids of the members for which `keep` holds (given the member and its figures).
fn expect(keep: impl Fn(&M, &Fig) -> bool) -> BTreeSet<&'static str> {
    let figs = figures();
    MEMBERS.iter().filter(|m| keep(m, &figs[m.id])).map(|m| m.id).collect()
}

fn set(ids: &[&'static str]) -> BTreeSet<&'static str> {
    ids.iter().copied().collect()
}

fn range(min: Option<f64>, max: Option<f64>) -> NumRange {
    NumRange { min, max }
}

fn dates(from: Option<&str>, to: Option<&str>) -> DateRange {
    DateRange { from: from.map(str::to_string), to: to.map(str::to_string) }
}

fn ymd_text(d: Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

/// Whole years from `b` to D, by the calendar.
fn age(b: Ymd) -> i64 {
    let (b, d) = (date(b), date(D));
    (d.year() - b.year() - ((d.month(), d.day()) < (b.month(), b.day())) as i32) as i64
}

// ---- Attributes -------------------------------------------------------------------------------

#[test]
fn tier_store_gender_and_tags_match_by_label() {
    let f = Fixture::new();
    assert_eq!(f.one(Condition::Tier { any: vec!["金卡".into()] }), expect(|m, _| m.tier == Some("金卡")));
    assert_eq!(f.one(Condition::Tier { any: vec!["金卡".into(), "银卡".into()] }), set(&["A1", "A2", "VIP-0042", "A6", "A8"]));
    assert_eq!(f.one(Condition::Tier { any: vec!["钻石卡".into()] }), set(&[]), "a tier not in the data");
    assert_eq!(f.one(Condition::Store { any: vec!["西门店".into()] }), expect(|m, _| m.store == Some("西门店")));
    assert_eq!(f.one(Condition::Gender { any: vec![Gender::Male] }), set(&["A3", "A6", "A7"]));
    assert_eq!(f.one(Condition::Gender { any: vec![Gender::Unknown, Gender::Male] }), set(&["A3", "VIP-0042", "A6", "A7"]));
    assert_eq!(f.one(Condition::Tags { any: vec!["VIP".into()] }), expect(|m, _| m.tags.contains(&"VIP")));
    assert_eq!(f.one(Condition::Tags { any: vec!["VIP".into(), "敏感肌".into()] }), set(&["A1", "A2", "VIP-0042"]));
}

#[test]
fn age_birthday_month_zodiac_and_star_sign_come_from_the_birthday() {
    let f = Fixture::new();
    // A6 turns 20 the day after D; A2 (born on 02-29) is 24.
    let expected = expect(|m, _| m.birthday.is_some_and(|b| (20..=30).contains(&age(b))));
    assert_eq!(f.one(Condition::Age(range(Some(20.0), Some(30.0)))), expected);
    assert_eq!(expected, set(&["A2", "A5"]));
    assert_eq!(f.one(Condition::Age(range(None, Some(19.0)))), set(&["A6"]));
    assert_eq!(f.one(Condition::BirthdayMonth { any: vec![5, 12] }), expect(|m, _| m.birthday.is_some_and(|b| b.1 == 5 || b.1 == 12)));
    assert_eq!(f.one(Condition::BirthdayMonth { any: vec![13] }), set(&[]));
    // 生肖 by (year − 4) mod 12 from Rat: 1990 Horse, 2000 Dragon, 1988 Dragon, 1976 Dragon.
    let animal = |y: i32| Zodiac::ALL[(y - 4).rem_euclid(12) as usize];
    assert_eq!(f.one(Condition::Zodiac { any: vec![Zodiac::Dragon] }), expect(|m, _| m.birthday.is_some_and(|b| animal(b.0) == Zodiac::Dragon)));
    assert_eq!(f.one(Condition::Zodiac { any: vec![Zodiac::Dragon] }), set(&["A2", "A7", "A8"]));
    assert_eq!(f.one(Condition::Zodiac { any: vec![Zodiac::Horse, Zodiac::Ox] }), set(&["A1", "A3"]));
    // 星座: 03-21 Aries (A7), 08-23 Virgo (A5), 01-19 Capricorn (A8), 12-25 Capricorn (A3),
    // 05-10 Taurus (A1), 02-29 Pisces (A2), 07-01 Cancer (A6).
    assert_eq!(f.one(Condition::StarSign { any: vec![StarSign::Capricorn] }), set(&["A3", "A8"]));
    assert_eq!(f.one(Condition::StarSign { any: vec![StarSign::Aries, StarSign::Virgo, StarSign::Pisces] }), set(&["A2", "A5", "A7"]));
    assert_eq!(f.one(Condition::StarSign { any: vec![StarSign::Taurus, StarSign::Cancer] }), set(&["A1", "A6"]));
}

#[test]
fn join_date_expiry_and_membership_length() {
    let f = Fixture::new();
    let within = |d: Option<Ymd>, a: Ymd, b: Ymd| d.is_some_and(|d| date(d) >= date(a) && date(d) <= date(b));
    assert_eq!(f.one(Condition::Joined(dates(Some("2021-09-09"), Some("2023-03-01")))), expect(|m, _| within(m.joined, (2021, 9, 9), (2023, 3, 1))));
    assert_eq!(f.one(Condition::Joined(dates(Some("2021-09-09"), Some("2023-03-01")))), set(&["A2", "A6", "A8"]), "bounds inclusive");
    assert_eq!(f.one(Condition::Joined(dates(None, Some("2019-06-30")))), set(&["A5", "A7"]));
    assert_eq!(f.one(Condition::Expiry(dates(Some("2024-06-30"), None))), set(&["A1", "A5"]));
    assert_eq!(f.one(Condition::Expiry(dates(None, Some("2024-06-29")))), set(&["A2", "A8"]));
    // Membership starts at joining or at the first purchase if earlier; A4 (no join date) starts
    // at its first purchase, A7 (never bought) at joining.
    let figs = figures();
    let start = |m: &M| -> Option<Ymd> {
        let first = figs[m.id].first();
        match (m.joined, first) {
            (Some(j), Some(f)) => Some(if date(j) < date(f) { j } else { f }),
            (j, f) => j.or(f),
        }
    };
    let tenure = |m: &M| start(m).map(|s| days(s, D));
    let expected: BTreeSet<_> = MEMBERS.iter().filter(|m| tenure(m).is_some_and(|t| (365..=1000).contains(&t))).map(|m| m.id).collect();
    assert_eq!(f.one(Condition::MembershipDays(range(Some(365.0), Some(1000.0)))), expected);
    assert!(!expected.is_empty());
    let long: BTreeSet<_> = MEMBERS.iter().filter(|m| tenure(m).is_some_and(|t| t >= 2000)).map(|m| m.id).collect();
    assert_eq!(f.one(Condition::MembershipDays(range(Some(2000.0), None))), long);
    assert_eq!(long, set(&["A7"]), "A5 joined 1,827 days before D");
}

#[test]
fn points_and_stored_value() {
    let f = Fixture::new();
    assert_eq!(f.one(Condition::Points(range(Some(300.0), Some(1200.0)))), expect(|m, _| (300..=1200).contains(&m.points)));
    assert_eq!(f.one(Condition::Points(range(Some(300.0), Some(1200.0)))), set(&["A1", "A2", "A8"]));
    // Yuan bounds, compared in cents: ¥50.55 is A5's balance exactly.
    assert_eq!(f.one(Condition::Balance(range(Some(50.55), Some(500.0)))), set(&["A1", "A5"]));
    assert_eq!(f.one(Condition::Balance(range(Some(50.551), None))), set(&["A1", "A3", "A5", "A7"]), "a bound rounds to the cent");
    assert_eq!(f.one(Condition::Balance(range(Some(50.56), None))), set(&["A1", "A3", "A7"]));
    assert_eq!(f.one(Condition::Balance(range(None, Some(0.0)))), expect(|m, _| m.balance_cents <= 0));
}

// ---- Purchases --------------------------------------------------------------------------------

#[test]
fn purchase_dates_visits_and_money_come_from_the_rows_up_to_d() {
    let f = Fixture::new();
    let between = |d: Option<Ymd>, a: Ymd, b: Ymd| d.is_some_and(|d| date(d) >= date(a) && date(d) <= date(b));
    assert_eq!(
        f.one(Condition::FirstPurchase(dates(Some("2023-07-01"), Some("2024-01-15")))),
        expect(|_, g| between(g.first(), (2023, 7, 1), (2024, 1, 15)))
    );
    assert_eq!(f.one(Condition::FirstPurchase(dates(Some("2023-07-01"), Some("2024-01-15")))), set(&["A1", "A6", "A8"]));
    // A3's row of 2024-07-05 is after D: its last purchase is 2024-05-10.
    assert_eq!(f.one(Condition::LastPurchase(dates(Some("2024-05-01"), None))), expect(|_, g| between(g.last(), (2024, 5, 1), D)));
    assert_eq!(f.one(Condition::LastPurchase(dates(Some("2024-05-01"), None))), set(&["A1", "A2", "A3", "A6", "A8"]));
    assert_eq!(f.one(Condition::LastPurchase(dates(None, Some("2023-12-31")))), set(&["VIP-0042", "A5"]));
    // Visits are purchase days: A2's two rows on one day are one visit, A6's free service is one.
    assert_eq!(f.one(Condition::Visits(range(Some(3.0), None))), expect(|_, g| g.purchase_days.len() >= 3));
    assert_eq!(f.one(Condition::Visits(range(Some(3.0), None))), set(&["A1", "A6"]));
    assert_eq!(f.one(Condition::Visits(range(None, Some(0.0)))), set(&["A7"]));
    // Spend: net of refunds, yuan bounds.
    assert_eq!(f.one(Condition::Spend(range(Some(500.0), Some(800.0)))), expect(|_, g| (50_000..=80_000).contains(&g.net)));
    assert_eq!(f.one(Condition::Spend(range(Some(500.0), Some(800.0)))), set(&["A1", "A5", "A6", "A8"]));
    assert_eq!(f.one(Condition::Spend(range(Some(501.0), Some(501.0)))), set(&["A6"]));
    assert_eq!(f.one(Condition::Spend12m(range(Some(100.0), None))), expect(|_, g| g.net_12m >= 10_000));
    assert_eq!(f.one(Condition::Spend12m(range(Some(100.0), None))), set(&["A1", "A3", "A6", "A8"]));
    // Average ticket: gross per paid order (A6: ¥501 over 2 orders, the free visit is no order).
    let avg = |g: &Fig| if g.orders > 0 { g.gross / g.orders as i64 } else { 0 };
    assert_eq!(f.one(Condition::AvgTicket(range(Some(250.5), None))), expect(|_, g| avg(g) >= 25_050));
    assert_eq!(f.one(Condition::AvgTicket(range(Some(250.5), None))), set(&["A3", "A6", "A8"]), "A5: ¥500 over 2 orders");
}

#[test]
fn category_bought_and_not_since() {
    let f = Fixture::new();
    // Purchases of the categories up to D, per member, from the rows.
    let last_of = |cats: &[&str]| -> BTreeMap<&str, Ymd> {
        let mut last = BTreeMap::new();
        for &(id, d, cents, _, cat, kind) in ROWS {
            let (Some(id), Some(cat)) = (id, cat) else { continue };
            if kind == TxKind::Sale && cents >= 0 && date(d) <= date(D) && cats.contains(&cat) {
                let e = last.entry(id).or_insert(d);
                if date(d) > date(*e) {
                    *e = d;
                }
            }
        }
        last
    };
    let bought = |cats: &[&str], not_since: Option<Ymd>| -> BTreeSet<&'static str> {
        let last = last_of(cats);
        MEMBERS.iter().filter(|m| last.get(m.id).is_some_and(|&d| not_since.is_none_or(|s| date(d) < date(s)))).map(|m| m.id).collect()
    };
    let cat = |any: &[&str], not_since: Option<Ymd>| Condition::Category { any: any.iter().map(|s| s.to_string()).collect(), not_since: not_since.map(ymd_text) };
    assert_eq!(f.one(cat(&["面霜"], None)), bought(&["面霜"], None));
    assert_eq!(f.one(cat(&["面霜"], None)), set(&["A1", "A3", "A5", "A8"]), "the walk-in's 面霜 is nobody's");
    // A3's 洁面 is after D; A6's free 洁面 is a purchase.
    assert_eq!(f.one(cat(&["洁面"], None)), set(&["A1", "A2", "VIP-0042", "A6", "A8"]));
    assert_eq!(f.one(cat(&["面霜", "柔肤水"], Some((2024, 1, 1)))), bought(&["面霜", "柔肤水"], Some((2024, 1, 1))));
    assert_eq!(f.one(cat(&["面霜", "柔肤水"], Some((2024, 1, 1)))), set(&["A5"]));
    assert_eq!(f.one(cat(&["洁面"], Some((2024, 6, 1)))), set(&["A1", "VIP-0042", "A8"]), "not since: on or after that day");
    assert_eq!(f.one(cat(&["no such"], None)), set(&[]));
}

// ---- Analyses ---------------------------------------------------------------------------------

/// 1–5 by quintile: 1 + 5 · (buyers with a lower value) / buyers.
fn quintile(values: &BTreeMap<&'static str, f64>, id: &str) -> u8 {
    let v = values[id];
    let below = values.values().filter(|&&w| w < v).count();
    (1 + 5 * below / values.len()).min(5) as u8
}

#[test]
fn rfm_scores_segments_and_the_chinese_classes() {
    let f = Fixture::new();
    let figs = figures();
    let buyers: Vec<&'static str> = MEMBERS.iter().filter(|m| figs[m.id].bought()).map(|m| m.id).collect();
    let column = |v: &dyn Fn(&Fig) -> f64| -> BTreeMap<&'static str, f64> { buyers.iter().map(|&id| (id, v(&figs[id]))).collect() };
    let (r, fr, mo) = (
        column(&|g| -(g.recency().unwrap() as f64)),
        column(&|g| g.purchase_days.len() as f64),
        column(&|g| g.net as f64),
    );
    for score in 1..=5u8 {
        let want = |col: &BTreeMap<&'static str, f64>| -> BTreeSet<&'static str> { buyers.iter().copied().filter(|id| quintile(col, id) == score).collect() };
        assert_eq!(f.one(Condition::RScore { any: vec![score] }), want(&r), "R {score}");
        assert_eq!(f.one(Condition::FScore { any: vec![score] }), want(&fr), "F {score}");
        assert_eq!(f.one(Condition::MScore { any: vec![score] }), want(&mo), "M {score}");
    }
    assert_eq!(f.one(Condition::RScore { any: vec![4, 5] }), buyers.iter().copied().filter(|id| quintile(&r, id) >= 4).collect());
    let segment = |id: &str| {
        let fm = ((quintile(&fr, id) as f64 + quintile(&mo, id) as f64) / 2.0).round() as u8;
        RfmSegment::of(quintile(&r, id), fm)
    };
    let mut seen = 0;
    for &k in RfmSegment::ALL {
        let want: BTreeSet<_> = buyers.iter().copied().filter(|id| segment(id) == k).collect();
        seen += want.len();
        assert_eq!(f.one(Condition::Rfm { any: vec![k] }), want, "{k:?}");
    }
    assert_eq!(seen, buyers.len());
    // The Chinese classes: against the buyers' means (R↑: fewer days than the mean).
    let mean = |col: &BTreeMap<&'static str, f64>| col.values().sum::<f64>() / col.len() as f64;
    let (mr, mf, mm) = (mean(&r), mean(&fr), mean(&mo));
    let class = |id: &str| CnRfmClass::of(r[id] > mr, fr[id] > mf, mo[id] > mm);
    for &k in CnRfmClass::ALL {
        let want: BTreeSet<_> = buyers.iter().copied().filter(|id| class(id) == k).collect();
        assert_eq!(f.one(Condition::CnRfm { any: vec![k] }), want, "{k:?}");
    }
    let two = [CnRfmClass::ImportantValue, CnRfmClass::GeneralRetain];
    assert_eq!(f.one(Condition::CnRfm { any: two.to_vec() }), buyers.iter().copied().filter(|id| two.contains(&class(id))).collect());
}

#[test]
fn lifecycle_and_value_groups() {
    let f = Fixture::new();
    let s = Settings::default();
    // By the rules: lost (no purchase in 730 days), sleeping (365), new (first purchase within
    // 90 days), none of the rest is silent here, so active.
    let figs = figures();
    let state = |id: &str| {
        let g = &figs[id];
        match g.recency() {
            None => Lifecycle::NeverBought,
            Some(r) if r >= s.lost_days as i64 => Lifecycle::Lost,
            Some(r) if r >= s.sleeping_days as i64 => Lifecycle::Sleeping,
            Some(_) if days(g.first().unwrap(), D) < s.new_days as i64 => Lifecycle::New,
            Some(_) => Lifecycle::Active,
        }
    };
    for &k in Lifecycle::ALL {
        assert_eq!(f.one(Condition::Lifecycle { any: vec![k] }), expect(|m, _| state(m.id) == k), "{k:?}");
    }
    assert_eq!(f.one(Condition::Lifecycle { any: vec![Lifecycle::New, Lifecycle::Lost] }), set(&["A2", "A3", "VIP-0042"]));
    // 睡眠会员: no purchase in 365 days (lost members too).
    let sleeping = expect(|_, g| g.recency().is_some_and(|r| r >= 365));
    assert_eq!(f.one(Condition::Group { any: vec![ValueGroup::Sleeping] }), sleeping);
    // 高消费总额: the top 20% (rounded up) of the positive 12-month spends, ties included.
    let mut spends: Vec<i64> = figs.values().map(|g| g.net_12m).filter(|&v| v > 0).collect();
    spends.sort_unstable_by(|a, b| b.cmp(a));
    let k = ((spends.len() as f64 * s.high_spend_share).ceil() as usize).clamp(1, spends.len());
    let bar = spends[k - 1];
    let high = expect(|_, g| g.bought() && g.net_12m >= bar && g.net_12m > 0);
    assert_eq!(high, set(&["A3"]));
    assert_eq!(f.one(Condition::Group { any: vec![ValueGroup::HighSpend] }), high);
    assert_eq!(f.one(Condition::Group { any: vec![ValueGroup::HighSpend, ValueGroup::Sleeping] }), &high | &sleeping);
}

#[test]
fn pyramid_layers_quadrants_and_tier_fit() {
    let f = Fixture::new();
    let s = settings();
    let figs = figures();
    // Buyers ranked by 12-month spend (negative as 0), ties in member order; the layers end at
    // the rounded cumulative shares.
    let mut ranked: Vec<(i64, usize)> =
        MEMBERS.iter().enumerate().filter(|(_, m)| figs[m.id].bought()).map(|(i, m)| (-figs[m.id].net_12m.max(0), i)).collect();
    ranked.sort();
    let n = ranked.len() as f64;
    let mut ends = Vec::new();
    let mut acc = 0.0;
    for share in Settings::default().pyramid_shares {
        acc += share;
        ends.push((n * acc).round() as usize);
    }
    ends.push(ranked.len());
    let layer_of = |k: usize| ends.iter().position(|&e| k < e).unwrap();
    for (li, key) in LayerKey::ALL.iter().enumerate() {
        let want: BTreeSet<_> = ranked.iter().enumerate().filter(|(k, _)| layer_of(*k) == li).map(|(_, &(_, i))| MEMBERS[i].id).collect();
        assert_eq!(f.one(Condition::Layer { any: vec![*key] }), want, "{key:?}");
    }
    assert_eq!(f.one(Condition::Layer { any: vec![LayerKey::A, LayerKey::B] }), set(&["A1", "A3"]));
    // Quadrants of the members with an order in 12 months: more than 1 order, over ¥500.
    let quadrant = |g: &Fig| Quadrant::of(g.orders_12m as f64 > 1.0, g.net_12m > 50_000);
    for q in Quadrant::ALL {
        assert_eq!(f.one(Condition::Quadrant { any: vec![q] }), expect(|_, g| g.orders_12m > 0 && quadrant(g) == q), "{q:?}");
    }
    assert_eq!(f.one(Condition::Quadrant { any: vec![Quadrant::TrueFriend] }), set(&["A1", "A6"]));
    // Tier fit against the bars 普通会员 ¥0 < 银卡 ¥500 < 金卡 ¥1,000: upgrade when the 12-month
    // spend reaches the next bar; downgrade when under the own bar and the bar below (at least 1 cent).
    let bars: Vec<(&str, i64)> = s.tier_min_spend_cents.iter().map(|(t, b)| (t.as_str(), *b)).collect();
    let fit = |m: &M, g: &Fig| -> Option<TierFit> {
        let k = bars.iter().position(|(t, _)| Some(*t) == m.tier)?;
        let spend = g.net_12m;
        if k + 1 < bars.len() && spend >= bars[k + 1].1 {
            Some(TierFit::Upgrade)
        } else if k > 0 && spend < bars[k].1 && spend < bars[k - 1].1.max(1) {
            Some(TierFit::Downgrade)
        } else {
            None
        }
    };
    assert_eq!(f.one(Condition::TierFit { any: vec![TierFit::Upgrade] }), expect(|m, g| fit(m, g) == Some(TierFit::Upgrade)));
    assert_eq!(f.one(Condition::TierFit { any: vec![TierFit::Upgrade] }), set(&["A3"]));
    assert_eq!(f.one(Condition::TierFit { any: vec![TierFit::Downgrade] }), expect(|m, g| fit(m, g) == Some(TierFit::Downgrade)));
    assert_eq!(f.one(Condition::TierFit { any: vec![TierFit::Downgrade] }), set(&["VIP-0042", "A8"]));
}

#[test]
fn cohort_cells_follow_the_months_with_a_purchase() {
    let f = Fixture::new();
    let figs = figures();
    let month = |d: Ymd| d.0 * 12 + d.1 as i32 - 1;
    let in_cell = |g: &Fig, first: &str, offset: i32| {
        g.first().is_some_and(|fd| format!("{:04}-{:02}", fd.0, fd.1) == first && g.purchase_days.iter().any(|&d| month(d) - month(fd) == offset))
    };
    for (first, offset) in [("2023-12", 0), ("2023-12", 3), ("2023-12", 6), ("2023-12", 1), ("2023-07", 11), ("2024-01", 3)] {
        let want: BTreeSet<_> = MEMBERS.iter().filter(|m| in_cell(&figs[m.id], first, offset)).map(|m| m.id).collect();
        assert_eq!(f.one(Condition::Cohort { month: first.into(), offset: offset as u16 }), want, "{first} +{offset}");
    }
    assert_eq!(f.one(Condition::Cohort { month: "2023-12".into(), offset: 3 }), set(&["A1"]));
    assert_eq!(f.one(Condition::Cohort { month: "2024-01".into(), offset: 3 }), set(&["A6"]));
}

#[test]
fn predictions_conditions_never_match_members_without_a_prediction() {
    let f = Fixture::new();
    let p = &f.c.classified.predictions;
    let with: BTreeSet<&str> = (0..MEMBERS.len()).filter(|&m| p.get(m).is_some()).map(|m| MEMBERS[m].id).collect();
    let all_bands = f.one(Condition::Risk { any: Risk::ALL.to_vec() });
    assert_eq!(all_bands, with);
    assert!(!all_bands.contains("A7"), "never bought: no prediction");
    assert_eq!(f.one(Condition::PAlive(range(Some(0.0), Some(1.0)))), with);
    assert!(f.one(Condition::HighValueHighRisk).is_subset(&with));
}

#[test]
fn work_lists_filter_and_give_their_reasons() {
    let f = Fixture::new();
    let ctx = f.ctx();
    for list in WorkListKey::ALL {
        let want: BTreeSet<&str> = (0..MEMBERS.len()).filter(|&m| f.lists.contains(list, m as u32)).map(|m| MEMBERS[m].id).collect();
        let filter = MemberFilter::work_list(list);
        assert_eq!(f.ids(&filter), want, "{list:?}");
        let page = query(&ctx, &filter, Sort::default(), 0, 100);
        for row in &page.rows {
            let m = f.ds.find_member(&row.id).unwrap();
            assert_eq!(row.reasons, f.lists.reasons(&f.ds, &f.c.summaries, &f.c.classified, list, m), "{list:?} {}", row.id);
        }
    }
    // Without a work list in the filter, no reasons.
    assert!(query(&ctx, &MemberFilter::everyone(), Sort::default(), 0, 100).rows.iter().all(|r| r.reasons.is_empty()));
}

// ---- Combining, search, sort, paging, totals ------------------------------------------------

#[test]
fn values_within_a_condition_or_and_conditions_and() {
    let f = Fixture::new();
    let gold_or_silver = Condition::Tier { any: vec!["金卡".into(), "银卡".into()] };
    let east = Condition::Store { any: vec!["东门店".into()] };
    let female = Condition::Gender { any: vec![Gender::Female] };
    let filter = MemberFilter { all: vec![gold_or_silver, east, female], search: String::new() };
    let want = expect(|m, _| matches!(m.tier, Some("金卡") | Some("银卡")) && m.store == Some("东门店") && m.gender == Gender::Female);
    assert_eq!(f.ids(&filter), want);
    assert_eq!(want, set(&["A1", "A8"]));
    assert_eq!(f.ids(&MemberFilter::everyone()).len(), MEMBERS.len());
    // An empty list of values matches nobody (no value is "any of" none).
    assert_eq!(f.one(Condition::Tier { any: vec![] }), set(&[]));
}

#[test]
fn search_finds_names_ids_and_phone_digits() {
    let f = Fixture::new();
    let search = |text: &str| f.ids(&MemberFilter { all: vec![], search: text.into() });
    assert_eq!(search("anna"), set(&["A2"]), "name, any case");
    assert_eq!(search("小美"), set(&["A1"]));
    assert_eq!(search("vip-00"), set(&["VIP-0042"]), "id, any case");
    // Digits of the phone, whatever its punctuation: A2's is +86 139-0000-1111.
    assert_eq!(search("0000-111"), set(&["A2"]));
    let digits_in_phone = |d: &str| expect(|m, _| m.phone.chars().filter(char::is_ascii_digit).collect::<String>().contains(d) || m.id.contains(d));
    assert_eq!(search("138"), digits_in_phone("138"));
    assert_eq!(search("138"), set(&["A1", "A8"]));
    assert_eq!(search("00"), set(&["VIP-0042"]), "two digits: ids only, not phones");
    assert_eq!(search("  "), search(""), "a blank search is none");
    // "a" in A1, A2 (Anna), A5, A8 and the men A3, A6, A7; the women of them.
    let with_condition = MemberFilter { all: vec![Condition::Gender { any: vec![Gender::Female] }], search: "a".into() };
    assert_eq!(f.ids(&with_condition), set(&["A1", "A2", "A5", "A8"]));
}

#[test]
fn sort_by_columns_both_ways_with_members_without_a_value_last() {
    let f = Fixture::new();
    let figs = figures();
    let ctx = f.ctx();
    let order = |column: Column, descending: bool| -> Vec<&'static str> {
        matching(&ctx, &MemberFilter::everyone(), Sort { column, descending }).iter().map(|&m| MEMBERS[m as usize].id).collect()
    };
    // Expected: members with a value by it (ties in member order), then those without, in member order.
    fn want<K: Ord + Copy>(key: impl Fn(usize) -> Option<K>, descending: bool) -> Vec<&'static str> {
        let mut with: Vec<(K, usize)> = (0..MEMBERS.len()).filter_map(|i| key(i).map(|k| (k, i))).collect();
        with.sort_by(|a, b| if descending { b.0.cmp(&a.0).then(a.1.cmp(&b.1)) } else { a.cmp(b) });
        let without = (0..MEMBERS.len()).filter(|&i| key(i).is_none());
        with.into_iter().map(|(_, i)| i).chain(without).map(|i| MEMBERS[i].id).collect()
    }
    for descending in [false, true] {
        assert_eq!(order(Column::Spend, descending), want(|i| Some(figs[MEMBERS[i].id].net), descending));
        assert_eq!(order(Column::LastPurchase, descending), want(|i| figs[MEMBERS[i].id].last().map(date), descending));
        assert_eq!(order(Column::Age, descending), want(|i| MEMBERS[i].birthday.map(age), descending));
        assert_eq!(order(Column::Name, descending), want(|i| Some(MEMBERS[i].name).filter(|n| !n.is_empty()), descending));
        assert_eq!(order(Column::Tier, descending), want(|i| MEMBERS[i].tier, descending));
        assert_eq!(order(Column::Expiry, descending), want(|i| MEMBERS[i].expiry.map(date), descending));
        assert_eq!(order(Column::Points, descending), want(|i| Some(MEMBERS[i].points), descending));
        assert_eq!(order(Column::Recency, descending), want(|i| figs[MEMBERS[i].id].recency(), descending));
    }
    // The never-bought member is last both ways by last purchase.
    assert_eq!(order(Column::LastPurchase, false).last(), Some(&"A7"));
    assert_eq!(order(Column::LastPurchase, true).last(), Some(&"A7"));
}

#[test]
fn pages_totals_and_revenue() {
    let f = Fixture::new();
    let ctx = f.ctx();
    let figs = figures();
    let filter = MemberFilter::only(Condition::Visits(range(Some(1.0), None)));
    let buyers = expect(|_, g| g.bought());
    let page = query(&ctx, &filter, Sort::default(), 2, 3);
    assert_eq!(page.total as usize, buyers.len());
    assert_eq!(page.members as usize, MEMBERS.len());
    assert_eq!(page.revenue_cents, buyers.iter().map(|id| figs[id].net).sum::<i64>());
    assert_eq!((page.offset, page.rows.len()), (2, 3));
    // Rows 2..5 of the buyers by spend, highest first.
    let mut by_spend: Vec<(i64, &str)> = buyers.iter().map(|id| (-figs[id].net, *id)).collect();
    by_spend.sort();
    let ids: Vec<&str> = page.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, by_spend[2..5].iter().map(|p| p.1).collect::<Vec<_>>());
    // A row carries the member's figures, the phone masked.
    let a1 = query(&ctx, &MemberFilter { all: vec![], search: "A1".into() }, Sort::default(), 0, 10).rows.remove(0);
    assert_eq!((a1.net_cents, a1.purchase_days, a1.orders), (60_000, 3, 3));
    assert_eq!((a1.phone_masked.as_str(), a1.age, a1.zodiac, a1.star_sign), ("138****5678", Some(34), Some(Zodiac::Horse), Some(StarSign::Taurus)));
    assert_eq!((a1.first_purchase.as_deref(), a1.last_purchase.as_deref(), a1.recency_days), (Some("2023-12-01"), Some("2024-06-20"), Some(10)));
    assert_eq!(a1.tags, vec!["VIP".to_string(), "敏感肌".to_string()]);
    // Past the end: no rows, the totals still there; the limit is capped.
    let past = query(&ctx, &filter, Sort::default(), 100, 10);
    assert!(past.rows.is_empty() && past.total as usize == buyers.len());
    let everyone = query(&ctx, &MemberFilter::everyone(), Sort::default(), 0, u32::MAX);
    assert_eq!(everyone.rows.len(), MEMBERS.len());
}

#[test]
fn a_filter_with_an_unreadable_bound_is_refused_with_its_place() {
    let f = Fixture::new();
    let ctx = f.ctx();
    let bad = MemberFilter {
        all: vec![Condition::Visits(range(Some(1.0), None)), Condition::Joined(dates(Some("2024-01-01"), Some("2024-13-01")))],
        search: String::new(),
    };
    assert_eq!(bad.validate(), Err(FilterError { condition: 1, field: FilterField::To, problem: FilterProblem::NotADate }));
    assert_eq!(try_query(&ctx, &bad, Sort::default(), 0, 10), Err(FilterError { condition: 1, field: FilterField::To, problem: FilterProblem::NotADate }));
    let page = query(&ctx, &bad, Sort::default(), 0, 10);
    assert!(page.total == 0 && page.rows.is_empty() && page.revenue_cents == 0, "an invalid filter lists nobody");
    let cohort = MemberFilter::cohort("2024/03".into(), 0);
    assert_eq!(cohort.validate().unwrap_err().problem, FilterProblem::NotAMonth);
    let since = MemberFilter::only(Condition::Category { any: vec!["面霜".into()], not_since: Some("yesterday".into()) });
    assert_eq!(since.validate().unwrap_err().field, FilterField::NotSince);
    let nan = MemberFilter::only(Condition::Spend(range(None, Some(f64::NAN))));
    assert_eq!(nan.validate(), Err(FilterError { condition: 0, field: FilterField::Max, problem: FilterProblem::NotFinite }));
    assert!(MemberFilter::rfm(RfmSegment::Champions).validate().is_ok());
}

#[test]
fn filters_read_and_write_json() {
    let readme: MemberFilter =
        serde_json::from_str(r#"{"all":[{"by":"rfm","any":["champions"]},{"by":"spend","min":1000}],"search":"138"}"#).unwrap();
    assert_eq!(
        readme,
        MemberFilter {
            all: vec![Condition::Rfm { any: vec![RfmSegment::Champions] }, Condition::Spend(range(Some(1000.0), None))],
            search: "138".into()
        }
    );
    let every_kind = MemberFilter {
        all: vec![
            Condition::Joined(dates(Some("2024-01-01"), None)),
            Condition::Category { any: vec!["面霜".into()], not_since: Some("2024-05-01".into()) },
            Condition::Cohort { month: "2024-03".into(), offset: 2 },
            Condition::HighValueHighRisk,
            Condition::WorkList { list: WorkListKey::BirthdayWeek },
            Condition::Zodiac { any: vec![Zodiac::Dragon] },
            Condition::Risk { any: vec![Risk::High] },
            Condition::PAlive(range(Some(0.2), Some(0.8))),
        ],
        search: "王".into(),
    };
    let json = serde_json::to_string(&every_kind).unwrap();
    assert_eq!(serde_json::from_str::<MemberFilter>(&json).unwrap(), every_kind);
    assert!(json.contains(r#"{"by":"joined","from":"2024-01-01"}"#), "{json}");
    assert_eq!(serde_json::to_string(&MemberFilter::everyone()).unwrap(), "{}");
    assert_eq!(serde_json::from_str::<MemberFilter>("{}").unwrap(), MemberFilter::everyone());
}
