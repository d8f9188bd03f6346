//! The member query on the demo: every click-through filter lists exactly as many members as
//! the analysis counts, and random filters of 1–3 conditions list exactly the members a
//! predicate of this test accepts, evaluated from the attributes, rows and summary figures it
//! reads directly (its own calendar arithmetic with chrono, its own pass over the rows).

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use member_engine::analysis::{analyse, Computed};
use member_engine::demo::{generate, DemoSpec};
use member_engine::members::{matching, query, Column, Condition, Ctx, DateRange, MemberFilter, NumRange, Sort, StarSign, Zodiac};
use member_engine::model::{Dataset, Gender, TxKind, WALK_IN};
use member_engine::pyramid::{LayerKey, TierFit};
use member_engine::segments::{Lifecycle, RfmSegment};
use member_engine::settings::Settings;
use member_engine::worklists::WorkListIndex;

struct Demo {
    ds: Dataset,
    c: Computed,
    lists: WorkListIndex,
    settings: Settings,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let ds = generate(&DemoSpec { members: 600, ..Default::default() });
        let settings = Settings::default();
        let c = analyse(&ds, None, true, &settings);
        let lists = WorkListIndex::build(&ds, &c.summaries, &c.classified, &settings);
        Demo { ds, c, lists, settings }
    })
}

impl Demo {
    fn ctx(&self) -> Ctx<'_> {
        Ctx { ds: &self.ds, sums: &self.c.summaries, c: &self.c.classified, lists: &self.lists, settings: &self.settings }
    }

    fn count(&self, filter: MemberFilter) -> u32 {
        query(&self.ctx(), &filter, Sort::default(), 0, 10).total
    }
}

/// Every filter a chart opens lists exactly as many members as the chart counts.
#[test]
fn lists_agree_with_the_counts() {
    let d = demo();
    let a = &d.c.analysis;
    for s in &a.segments.rfm {
        assert_eq!(d.count(MemberFilter::rfm(s.key)), s.members, "{:?}", s.key);
    }
    for s in &a.segments.cn_rfm {
        assert_eq!(d.count(MemberFilter::cn_rfm(s.key)), s.members, "{:?}", s.key);
    }
    for s in &a.segments.groups {
        assert_eq!(d.count(MemberFilter::group(s.key)), s.members, "{:?}", s.key);
    }
    for s in &a.segments.lifecycle {
        assert_eq!(d.count(MemberFilter::lifecycle(s.key)), s.members, "{:?}", s.key);
    }
    for l in &a.pyramid.layers {
        assert_eq!(d.count(MemberFilter::layer(l.key)), l.members, "{:?}", l.key);
    }
    for q in &a.quadrants.quadrants {
        assert_eq!(d.count(MemberFilter::quadrant(q.key)), q.members, "{:?}", q.key);
    }
    let up: u32 = a.tiers.iter().map(|t| t.upgrade_candidates).sum();
    let down: u32 = a.tiers.iter().map(|t| t.downgrade_candidates).sum();
    assert_eq!(d.count(MemberFilter::tier_fit(TierFit::Upgrade)), up);
    assert_eq!(d.count(MemberFilter::tier_fit(TierFit::Downgrade)), down);
    let cohort = &a.churn.cohorts[0];
    for (k, share) in cohort.retention.iter().enumerate().take(6) {
        let n = d.count(MemberFilter::cohort(cohort.month.clone(), k as u16));
        assert_eq!(n, (share * cohort.members as f64).round() as u32, "cohort {} +{k}", cohort.month);
    }
    assert_eq!(d.count(MemberFilter::everyone()), d.ds.members.len() as u32);
    assert!(!a.predictions.risk_bands.is_empty(), "the demo has predictions");
    for b in &a.predictions.risk_bands {
        assert_eq!(d.count(MemberFilter::risk(b.key)), b.members, "{:?}", b.key);
    }
    assert_eq!(d.count(MemberFilter::only(Condition::HighValueHighRisk)), a.predictions.high_value_high_risk);
    // The segments' revenue is the filtered list's revenue.
    for s in &a.segments.rfm {
        let page = query(&d.ctx(), &MemberFilter::rfm(s.key), Sort::default(), 0, 1);
        assert_eq!(page.revenue_cents, s.revenue_cents, "{:?}", s.key);
    }
}

/// Sorted by P(alive) either way, the members without a prediction (never bought) come last.
#[test]
fn members_without_a_value_sort_last_on_the_demo() {
    let d = demo();
    let ctx = d.ctx();
    let p = &d.c.classified.predictions;
    for descending in [false, true] {
        let order = matching(&ctx, &MemberFilter::everyone(), Sort { column: Column::PAlive, descending });
        let values: Vec<Option<f64>> = order.iter().map(|&m| p.get(m as usize).map(|x| x.p_alive)).collect();
        let with = values.iter().take_while(|v| v.is_some()).count();
        assert!(with > 0 && with < values.len(), "the demo has members with and without a prediction");
        assert!(values[with..].iter().all(Option::is_none), "no value: last");
        let probs: Vec<f64> = values[..with].iter().map(|v| v.unwrap()).collect();
        // Keys are billionths: neighbours may differ by less than that in either order.
        assert!(probs.windows(2).all(|w| if descending { w[0] >= w[1] - 1e-9 } else { w[0] <= w[1] + 1e-9 }));
    }
}

// ---- Random filters against an independent predicate ---------------------------------------

fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(day as i64)
}

fn text_day(day: i32) -> String {
    date_of(day).format("%Y-%m-%d").to_string()
}

/// Whole years from `birthday` to `day`, by the calendar.
fn years(birthday: i32, day: i32) -> i64 {
    let (b, d) = (date_of(birthday), date_of(day));
    (d.year() - b.year() - ((d.month(), d.day()) < (b.month(), b.day())) as i32) as i64
}

fn sign_of(day: i32) -> StarSign {
    let d = date_of(day);
    let md = d.month() * 100 + d.day();
    match md {
        321..=419 => StarSign::Aries,
        420..=520 => StarSign::Taurus,
        521..=621 => StarSign::Gemini,
        622..=722 => StarSign::Cancer,
        723..=822 => StarSign::Leo,
        823..=922 => StarSign::Virgo,
        923..=1023 => StarSign::Libra,
        1024..=1122 => StarSign::Scorpio,
        1123..=1221 => StarSign::Sagittarius,
        120..=218 => StarSign::Aquarius,
        219..=320 => StarSign::Pisces,
        _ => StarSign::Capricorn,
    }
}

fn in_range(r: &NumRange, v: f64) -> bool {
    r.min.is_none_or(|a| v >= a) && r.max.is_none_or(|b| v <= b)
}

fn in_cents(r: &NumRange, cents: i64) -> bool {
    r.min.is_none_or(|a| cents >= (a * 100.0).round() as i64) && r.max.is_none_or(|b| cents <= (b * 100.0).round() as i64)
}

fn in_dates(r: &DateRange, day: Option<i32>) -> bool {
    let Some(day) = day else { return false };
    let text = text_day(day);
    r.from.as_ref().is_none_or(|f| text >= *f) && r.to.as_ref().is_none_or(|t| text <= *t)
}

/// Whether member `m` meets `c`, from what this test reads itself.
fn holds(d: &Demo, c: &Condition, m: usize) -> bool {
    let (ds, s) = (&d.ds, &d.c.summaries.members[m]);
    let day = d.c.summaries.analysis_day;
    let l = &d.c.classified.labels;
    let birthday = ds.members.birthday(m);
    match c {
        Condition::Rfm { any } => any.iter().any(|k| l.rfm_segment[m] == *k as u8),
        Condition::RScore { any } => any.contains(&l.r[m]),
        Condition::Layer { any } => any.iter().any(|k| d.c.classified.layer[m] == *k as u8),
        Condition::Lifecycle { any } => any.iter().any(|k| l.lifecycle[m] == *k as u8),
        Condition::Tier { any } => any.iter().any(|t| ds.tiers.name(ds.members.tier(m)) == Some(t.as_str())),
        Condition::Store { any } => any.iter().any(|t| ds.stores.name(ds.members.store(m)) == Some(t.as_str())),
        Condition::Gender { any } => any.contains(&ds.members.gender(m)),
        Condition::Age(r) => birthday.is_some_and(|b| b <= day && in_range(r, years(b, day) as f64)),
        Condition::BirthdayMonth { any } => birthday.is_some_and(|b| any.contains(&(date_of(b).month() as u8))),
        Condition::Zodiac { any } => birthday.is_some_and(|b| any.contains(&Zodiac::ALL[(date_of(b).year() - 4).rem_euclid(12) as usize])),
        Condition::StarSign { any } => birthday.is_some_and(|b| any.contains(&sign_of(b))),
        Condition::Joined(r) => in_dates(r, ds.members.join_day(m)),
        Condition::LastPurchase(r) => in_dates(r, s.last_day()),
        Condition::Visits(r) => in_range(r, s.purchase_days as f64),
        Condition::Spend(r) => in_cents(r, s.net_cents),
        Condition::Spend12m(r) => in_cents(r, s.spend_12m_cents),
        Condition::Points(r) => in_range(r, ds.members.points(m) as f64),
        Condition::Balance(r) => in_cents(r, ds.members.balance_cents(m)),
        Condition::Expiry(r) => in_dates(r, ds.members.expiry(m)),
        Condition::Category { any, not_since } => {
            let tx = &ds.transactions;
            let days: Vec<i32> = (0..tx.len())
                .filter(|&r| tx.member[r] == m as u32 && tx.member[r] != WALK_IN && tx.kind[r] == TxKind::Sale && tx.amount_cents[r] >= 0)
                .filter(|&r| tx.day[r] <= day && any.iter().any(|c| ds.categories.name(tx.category(r)) == Some(c.as_str())))
                .map(|r| tx.day[r])
                .collect();
            !days.is_empty() && not_since.as_ref().is_none_or(|since| days.iter().all(|&x| text_day(x) < *since))
        }
        other => panic!("no predicate for {other:?}"),
    }
}

fn some_of<T: Clone + std::fmt::Debug + 'static>(values: Vec<T>) -> impl Strategy<Value = Vec<T>> {
    let n = values.len();
    prop::sample::subsequence(values, 1..=n.min(3))
}

fn num(lo: f64, hi: f64) -> impl Strategy<Value = NumRange> {
    (prop::option::of(lo..hi), prop::option::of(lo..hi)).prop_map(|(min, max)| NumRange { min, max })
}

fn days_range() -> impl Strategy<Value = DateRange> {
    let d = demo();
    let (first, last) = d.ds.day_range().unwrap();
    let day = move || prop::option::of((first - 400..=last).prop_map(text_day));
    (day(), day()).prop_map(|(from, to)| DateRange { from, to })
}

fn condition() -> impl Strategy<Value = Condition> {
    let d = demo();
    let tiers: Vec<String> = d.ds.tiers.names().to_vec();
    let stores: Vec<String> = d.ds.stores.names().to_vec();
    let categories: Vec<String> = d.ds.categories.names().to_vec();
    let (first, last) = d.ds.day_range().unwrap();
    prop_oneof![
        some_of(RfmSegment::ALL.to_vec()).prop_map(|any| Condition::Rfm { any }),
        some_of(vec![1u8, 2, 3, 4, 5]).prop_map(|any| Condition::RScore { any }),
        some_of(LayerKey::ALL.to_vec()).prop_map(|any| Condition::Layer { any }),
        some_of(Lifecycle::ALL.to_vec()).prop_map(|any| Condition::Lifecycle { any }),
        some_of(tiers).prop_map(|any| Condition::Tier { any }),
        some_of(stores).prop_map(|any| Condition::Store { any }),
        some_of(vec![Gender::Female, Gender::Male, Gender::Unknown]).prop_map(|any| Condition::Gender { any }),
        num(15.0, 65.0).prop_map(Condition::Age),
        some_of((1u8..=12).collect()).prop_map(|any| Condition::BirthdayMonth { any }),
        some_of(Zodiac::ALL.to_vec()).prop_map(|any| Condition::Zodiac { any }),
        some_of(StarSign::ALL.to_vec()).prop_map(|any| Condition::StarSign { any }),
        days_range().prop_map(Condition::Joined),
        days_range().prop_map(Condition::LastPurchase),
        days_range().prop_map(Condition::Expiry),
        num(0.0, 60.0).prop_map(Condition::Visits),
        num(0.0, 30_000.0).prop_map(Condition::Spend),
        num(0.0, 10_000.0).prop_map(Condition::Spend12m),
        num(0.0, 20_000.0).prop_map(Condition::Points),
        num(0.0, 6_000.0).prop_map(Condition::Balance),
        (some_of(categories), prop::option::of((first..=last).prop_map(text_day))).prop_map(|(any, not_since)| Condition::Category { any, not_since }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_filters_list_exactly_the_members_that_meet_them(all in prop::collection::vec(condition(), 1..=3)) {
        let d = demo();
        let filter = MemberFilter { all, search: String::new() };
        let got = matching(&d.ctx(), &filter, Sort { column: Column::Id, descending: false });
        let mut got_sorted = got.clone();
        got_sorted.sort_unstable();
        let want: Vec<u32> = (0..d.ds.members.len()).filter(|&m| filter.all.iter().all(|c| holds(d, c, m))).map(|m| m as u32).collect();
        prop_assert_eq!(&got_sorted, &want, "{:?}", filter);
        // By id, ascending (the demo's ids are in member order).
        prop_assert!(got.windows(2).all(|w| d.ds.members.id(w[0] as usize) < d.ds.members.id(w[1] as usize)));
    }
}
