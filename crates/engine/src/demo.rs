//! The built-in demo: a deterministic beauty-salon chain (丽颜美容, three stores) with members
//! who behave the way the segments expect to find them: loyal regulars, high-ticket members who
//! come rarely, bargain hunters who come for promotions, members who fade and stop, one-time
//! buyers; plus promotions, refunds, stored-value top-ups and walk-in guests.
//!
//! The same spec and seed give the same data set everywhere, so tests and benchmarks use it at
//! any size (`DemoSpec::with_transactions(1_000_000)`).

use super::dates::{day_from_ymd, to_date, Day};
use super::model::{Dataset, Gender, MemberRecord, TxKind, NONE16, WALK_IN};
use super::rng::Rng;
use chrono::Datelike;

/// A demo product or service category: name, typical price in yuan, and whether it is a
/// take-home product (the ones with a usage cycle) or a service.
pub struct DemoCategory {
    pub name: &'static str,
    pub price_yuan: f64,
    /// Days a take-home product lasts (DOMAIN.md's usage cycles); 0 for services.
    pub usage_cycle_days: u32,
}

pub const CATEGORIES: &[DemoCategory] = &[
    DemoCategory { name: "洁面", price_yuan: 168.0, usage_cycle_days: 80 },
    DemoCategory { name: "柔肤水", price_yuan: 198.0, usage_cycle_days: 50 },
    DemoCategory { name: "面霜", price_yuan: 368.0, usage_cycle_days: 80 },
    DemoCategory { name: "精华", price_yuan: 580.0, usage_cycle_days: 60 },
    DemoCategory { name: "面膜", price_yuan: 128.0, usage_cycle_days: 30 },
    DemoCategory { name: "面部护理", price_yuan: 298.0, usage_cycle_days: 0 },
    DemoCategory { name: "身体护理", price_yuan: 398.0, usage_cycle_days: 0 },
    DemoCategory { name: "美甲", price_yuan: 158.0, usage_cycle_days: 0 },
    DemoCategory { name: "疗程套餐", price_yuan: 2980.0, usage_cycle_days: 0 },
];

const STORES: &[&str] = &["静安店", "徐汇店", "浦东店"];
const STORE_WEIGHTS: &[f64] = &[0.42, 0.33, 0.25];
const TIERS: &[(&str, i64)] =
    &[("钻石卡", 30_000), ("白金卡", 15_000), ("金卡", 6_000), ("银卡", 2_000), ("普通会员", 0)];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤";
const FEMALE_GIVEN: &str = "静丽敏燕艳娟霞芳娜婷雪慧琳洁颖晶佳欣怡雯倩璐瑶萍红玲梅丹琪萱悦妍";
const MALE_GIVEN: &str = "伟强磊军洋勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆";

/// Member tags (标签) a salon puts on its customers: skin types, concerns, how they came.
const SKIN_TAGS: &[&str] = &["敏感肌", "油性肌", "干性肌"];
const TAG_ANTI_AGEING: &str = "抗衰";
const TAG_WHITENING: &str = "美白";
const TAG_NEW_CUSTOMER_OFFER: &str = "新客活动";
const TAG_REFERRED: &str = "老带新";
const TAG_VIP_SALON: &str = "VIP沙龙";
/// The most tags a demo member gets.
const DEMO_MAX_TAGS: usize = 3;

/// Added to the spec's seed for the stream that draws the attributes added after the demo's
/// figures were fixed (tags): the main stream, and with it every transaction and figure of the
/// demo, stays as it was.
const ATTRIBUTE_STREAM: u64 = 0x7A67_5F31_0000_0001;

/// How one kind of member behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Archetype {
    /// Comes every three weeks or so and stays.
    Regular,
    /// Comes a few times a year and spends a lot (course packages, serums).
    HighTicket,
    /// Comes mostly in promotions, buys discounted small items.
    Bargain,
    /// Starts like a regular, then stops after a few months to a year and a half.
    Fader,
    /// One visit only.
    OneTime,
    /// Comes now and then.
    Occasional,
}

const ARCHETYPES: &[(Archetype, f64)] = &[
    (Archetype::Regular, 0.20),
    (Archetype::HighTicket, 0.08),
    (Archetype::Bargain, 0.15),
    (Archetype::Fader, 0.25),
    (Archetype::OneTime, 0.20),
    (Archetype::Occasional, 0.12),
];

/// Which demo to generate.
#[derive(Clone, Debug)]
pub struct DemoSpec {
    pub members: usize,
    pub seed: u64,
    /// The last day with transactions, which is the default analysis date.
    pub last_day: Day,
    pub years: i32,
}

/// Average transaction rows per member the generator produces (measured on the default demo:
/// members' rows plus walk-ins); used to size a demo by its number of transactions.
const ROWS_PER_MEMBER: f64 = 22.0;

impl Default for DemoSpec {
    /// The app's built-in demo: about 2,000 members and 40,000 transactions over three years.
    fn default() -> Self {
        DemoSpec {
            members: 2_000,
            seed: 2026,
            last_day: day_from_ymd(2026, 10, 31).unwrap_or(20_392),
            years: 3,
        }
    }
}

impl DemoSpec {
    /// A demo of roughly `n` transaction rows (members scale with it).
    pub fn with_transactions(n: usize) -> Self {
        DemoSpec { members: ((n as f64 / ROWS_PER_MEMBER).round() as usize).max(1), ..Default::default() }
    }
}

/// The largest demo: 5 million members (about 110 million rows) is already beyond a browser tab.
pub const MAX_DEMO_MEMBERS: usize = 5_000_000;
pub const MAX_DEMO_YEARS: i32 = 50;
/// The demo's last day lies in 1951 ..= 2100, so its first day (up to 50 years and a join year
/// earlier) stays after 1900.
const DEMO_LAST_DAY_RANGE: (Day, Day) = (-6_940, 47_846);

/// Promotion windows of each year: (month, first day, last day, discount share).
const PROMOTIONS: &[(u32, u32, u32, f64)] = &[
    (1, 15, 31, 0.20), // 年货节 before the New Year
    (3, 1, 8, 0.25),   // 三八女神节
    (6, 1, 18, 0.20),  // 618
    (9, 10, 20, 0.15), // 店庆 anniversary
    (11, 1, 11, 0.30), // 双11
];

fn promotion_discount(day: Day) -> f64 {
    let d = to_date(day);
    PROMOTIONS
        .iter()
        .find(|(m, a, b, _)| d.month() == *m && (*a..=*b).contains(&d.day()))
        .map_or(0.0, |p| p.3)
}

/// Raw row before sorting by day.
struct Row {
    day: Day,
    member: u32,
    amount: i64,
    discount: i64,
    category: u16,
    store: u16,
    kind: TxKind,
}

pub fn generate(spec: &DemoSpec) -> Dataset {
    let mut rng = Rng::new(spec.seed);
    let mut attributes = Rng::new(spec.seed.wrapping_add(ATTRIBUTE_STREAM));
    let mut ds = Dataset::new("丽颜美容 · Liyan Beauty");
    for c in CATEGORIES {
        ds.categories.intern(c.name);
    }
    for s in STORES {
        ds.stores.intern(s);
    }
    // Bounded so that no spec can overflow a day or an allocation.
    let members = spec.members.min(MAX_DEMO_MEMBERS);
    let years = spec.years.clamp(1, MAX_DEMO_YEARS);
    let end = spec.last_day.clamp(DEMO_LAST_DAY_RANGE.0, DEMO_LAST_DAY_RANGE.1);
    let start = end - 365 * years + 1;
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let female: Vec<char> = FEMALE_GIVEN.chars().collect();
    let male: Vec<char> = MALE_GIVEN.chars().collect();
    let weights: Vec<f64> = ARCHETYPES.iter().map(|a| a.1).collect();

    let mut rows: Vec<Row> = Vec::with_capacity((members as f64 * ROWS_PER_MEMBER * 1.1) as usize);
    for i in 0..members {
        let archetype = ARCHETYPES[rng.weighted(&weights)].0;
        let gender = if rng.chance(0.88) { Gender::Female } else { Gender::Male };
        let given = if gender == Gender::Female { &female } else { &male };
        let mut name = String::new();
        name.push(*rng.pick(&surnames));
        name.push(*rng.pick(given));
        if rng.chance(0.6) {
            name.push(*rng.pick(given));
        }
        // Members joined from a year before the data starts until two weeks before its end.
        let join = rng.range((start - 365) as i64, (end - 14) as i64) as Day;
        let birth_year = rng.range(1966, 2004) as i32;
        let birthday = day_from_ymd(birth_year, rng.range(1, 12) as u32, rng.range(1, 28) as u32);
        let home = rng.weighted(STORE_WEIGHTS) as u16;
        let m = i as u32;
        let first_rows = rows.len();
        simulate_member(&mut rng, archetype, m, home, join.max(start), end, &mut rows);

        let gross: i64 = rows[first_rows..].iter().filter(|r| r.kind == TxKind::Sale).map(|r| r.amount).sum();
        let tier = TIERS.iter().find(|t| gross / 100 >= t.1).map(|t| t.0);
        let points = (gross / 100) * rng.range(50, 100) / 100;
        let balance_cents = match archetype {
            Archetype::Regular | Archetype::HighTicket if rng.chance(0.5) => rng.range(2, 60) * 10_000,
            Archetype::Fader if rng.chance(0.3) => rng.range(1, 30) * 10_000,
            _ => 0,
        };
        if balance_cents > 0 {
            let day = rng.range(join.max(start) as i64, end as i64) as Day;
            let amount = (balance_cents / 100_000 + 1) * 100_000;
            rows.push(Row { day, member: m, amount, discount: 0, category: NONE16, store: home, kind: TxKind::TopUp });
        }
        let tags = demo_tags(&mut attributes, archetype, birth_year, join, end, tier);
        let points_expiry = if points > 0 { next_anniversary(join, end) } else { None };
        ds.add_member(MemberRecord {
            id: format!("8800{:06}", i + 1),
            name,
            phone: format!("1{}{:09}", rng.pick(&['3', '5', '7', '8', '9']), rng.range(0, 999_999_999)),
            gender,
            birthday,
            join_day: Some(join),
            tier: tier.map(str::to_string),
            points,
            balance_cents,
            store: Some(STORES[home as usize].to_string()),
            // Paid cards (银卡 and up) run two years from joining.
            expiry: tier.filter(|t| *t != "普通会员").map(|_| join + 730),
            points_expiry,
            tags,
        });
    }

    // Walk-in guests: about 7% of rows, spread over the period and the stores.
    let walk_ins = rows.len() * 7 / 100;
    for _ in 0..walk_ins {
        let day = rng.range(start as i64, end as i64) as Day;
        let category = rng.weighted(&[3.0, 2.0, 1.0, 0.5, 4.0, 3.0, 1.0, 4.0, 0.0]) as u16;
        let (amount, discount) = price(&mut rng, category, day, 1.0);
        let store = rng.weighted(STORE_WEIGHTS) as u16;
        rows.push(Row { day, member: WALK_IN, amount, discount, category, store, kind: TxKind::Sale });
    }

    // Exports come in time order.
    rows.sort_by_key(|r| r.day);
    ds.transactions.reserve(rows.len());
    for r in rows {
        ds.push_transaction(r.member, r.day, r.amount, r.discount, r.category, r.store, r.kind);
    }
    ds
}

/// A member's tags, drawn from the attribute stream: a skin type for half of them, concerns
/// and how they came as their kind makes likely; at most [`DEMO_MAX_TAGS`].
fn demo_tags(rng: &mut Rng, a: Archetype, birth_year: i32, join: Day, end: Day, tier: Option<&str>) -> Vec<String> {
    use Archetype::*;
    let top_tier = matches!(tier, Some("钻石卡" | "白金卡"));
    let mut tags: Vec<&str> = Vec::new();
    if rng.chance(0.5) {
        tags.push(*rng.pick(SKIN_TAGS));
    }
    let anti_ageing = match a {
        HighTicket => 0.5,
        _ if birth_year < 1985 => 0.3,
        Regular => 0.2,
        _ => 0.08,
    };
    let new_offer = match a {
        _ if end - join < 180 => 0.5,
        OneTime | Bargain => 0.3,
        _ => 0.05,
    };
    let referred = if a == Regular { 0.2 } else { 0.05 };
    let vip_salon = match a {
        HighTicket => 0.5,
        _ if top_tier => 0.35,
        _ => 0.0,
    };
    for (tag, p) in [(TAG_ANTI_AGEING, anti_ageing), (TAG_WHITENING, 0.15), (TAG_NEW_CUSTOMER_OFFER, new_offer), (TAG_REFERRED, referred), (TAG_VIP_SALON, vip_salon)] {
        if rng.chance(p) {
            tags.push(tag);
        }
    }
    tags.truncate(DEMO_MAX_TAGS);
    tags.into_iter().map(str::to_string).collect()
}

/// When a member's points expire: the points held clear on the next anniversary of joining
/// after `end` (积分按会员年度清零; a Feb 29 join clears on Feb 28).
fn next_anniversary(join: Day, end: Day) -> Option<Day> {
    let (j, year) = (to_date(join), to_date(end).year());
    [year, year + 1]
        .into_iter()
        .filter_map(|y| day_from_ymd(y, j.month(), j.day()).or_else(|| day_from_ymd(y, j.month(), 28)))
        .find(|&d| d > end)
}

/// Paid amount and discount for one item of `category` bought on `day`.
fn price(rng: &mut Rng, category: u16, day: Day, spend_factor: f64) -> (i64, i64) {
    let list = CATEGORIES[category as usize].price_yuan * spend_factor * rng.lognormal(1.0, 0.18);
    let list_cents = (list.round() as i64).max(1) * 100;
    let share = promotion_discount(day);
    let discount = (list_cents as f64 * share).round() as i64 / 100 * 100;
    (list_cents - discount, discount)
}

fn simulate_member(rng: &mut Rng, a: Archetype, m: u32, home: u16, from: Day, end: Day, rows: &mut Vec<Row>) {
    use Archetype::*;
    // (mean days between visits, spend factor, category weights)
    let (interval, spend, cats): (f64, f64, &[f64]) = match a {
        Regular => (22.0, 1.0, &[2.0, 2.0, 2.0, 1.0, 2.0, 5.0, 2.0, 2.0, 0.2]),
        HighTicket => (75.0, 1.8, &[0.5, 0.5, 1.5, 3.0, 0.2, 2.0, 2.0, 0.3, 3.0]),
        Bargain => (70.0, 0.8, &[3.0, 2.0, 1.0, 0.3, 5.0, 1.0, 0.3, 3.0, 0.0]),
        Fader => (30.0, 1.0, &[2.0, 2.0, 2.0, 1.0, 2.0, 4.0, 2.0, 2.0, 0.2]),
        OneTime => (0.0, 1.0, &[2.0, 1.0, 1.0, 0.5, 2.0, 4.0, 1.0, 3.0, 0.1]),
        Occasional => (110.0, 1.0, &[2.0, 2.0, 2.0, 1.0, 2.0, 4.0, 2.0, 2.0, 0.2]),
    };
    let stop = match a {
        Fader => from + rng.range(90, 540) as Day,
        _ => Day::MAX,
    };
    let mut day = from + rng.exp(10.0) as Day;
    while day <= end && day < stop {
        let promo = promotion_discount(day) > 0.0;
        // Bargain hunters skip most visits outside promotions.
        let visits = !(a == Bargain && !promo && rng.chance(0.75));
        if visits {
            let store = if rng.chance(0.9) { home } else { rng.weighted(STORE_WEIGHTS) as u16 };
            let items = 1 + rng.weighted(&[0.55, 0.3, 0.15]);
            for _ in 0..items {
                let category = rng.weighted(cats) as u16;
                let (amount, discount) = price(rng, category, day, spend);
                rows.push(Row { day, member: m, amount, discount, category, store, kind: TxKind::Sale });
                if rng.chance(0.015) {
                    let refund_day = (day + rng.range(1, 10) as Day).min(end);
                    rows.push(Row {
                        day: refund_day,
                        member: m,
                        amount: -amount,
                        discount: 0,
                        category,
                        store,
                        kind: TxKind::Refund,
                    });
                }
            }
        }
        if a == OneTime {
            break;
        }
        // Bargain hunters time their next visit for a promotion more often than not.
        let gap = if a == Bargain { rng.exp(interval / 3.0) } else { rng.exp(interval) };
        day += gap.max(1.0) as Day;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data() {
        let spec = DemoSpec { members: 200, ..Default::default() };
        let a = generate(&spec);
        let b = generate(&spec);
        assert_eq!(a.transactions.amount_cents, b.transactions.amount_cents);
        assert!((0..a.members.len()).all(|m| a.members.name(m) == b.members.name(m)));
    }

    #[test]
    fn default_demo_has_the_promised_shape() {
        let ds = generate(&DemoSpec::default());
        let tx = &ds.transactions;
        assert_eq!(ds.members.len(), 2_000);
        assert!((30_000..=50_000).contains(&tx.len()), "{} transactions", tx.len());
        assert_eq!(ds.stores.len(), 3);
        assert!(tx.day.windows(2).all(|w| w[0] <= w[1]), "rows in time order");
        let (first, last) = ds.day_range().unwrap();
        assert!(last - first > 3 * 365 - 30);
        let walk_ins = tx.member.iter().filter(|&&m| m == WALK_IN).count();
        let refunds = tx.kind.iter().filter(|&&k| k == TxKind::Refund).count();
        let top_ups = tx.kind.iter().filter(|&&k| k == TxKind::TopUp).count();
        let discounted = (0..tx.len()).filter(|&r| tx.discount_cents(r) > 0).count();
        assert!(walk_ins > tx.len() / 20, "walk-ins {walk_ins}");
        assert!(refunds > 100, "refunds {refunds}");
        assert!(top_ups > 100, "top-ups {top_ups}");
        assert!(discounted > tx.len() / 10, "discounted {discounted}");
        assert!(tx.amount_cents.iter().zip(&tx.kind).all(|(a, k)| (*a < 0) == (*k == TxKind::Refund)));
        assert!((0..ds.members.len()).all(|m| ds.members.name(m).chars().count() >= 2));
    }

    #[test]
    fn sized_by_transactions() {
        let ds = generate(&DemoSpec::with_transactions(100_000));
        let n = ds.transactions.len();
        assert!((80_000..=120_000).contains(&n), "{n}");
    }
}
