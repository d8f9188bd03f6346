//! One member's detail: attributes, summary, segments, predictions and history.

use serde::{Deserialize, Serialize};

use super::{age_on, mask_phone, Ctx, StarSign, Zodiac};
use crate::dates::{format_day, format_month, month_key, month_start, Day};
use crate::model::{Dataset, Gender, NONE16};
use crate::models::bgnbd::{BgNbdParams, History};
use crate::overview::MAX_MONTHS;
use crate::predict::Risk;
use crate::pyramid::{LayerKey, Quadrant, TierFit};
use crate::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};
use crate::summary::{clamp_cents, days_between, MemberSummary};
use crate::worklists::{WorkListKey, WorkReason};

/// Everything about one member: attributes, summary, segments and predictions, with P(alive)
/// at the end of each month of their history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberDetail {
    pub id: String,
    pub name: String,
    pub phone_masked: String,
    /// The full number: the page shows it only when the user asks ("Show").
    pub phone: String,
    pub gender: Gender,
    pub birthday: Option<String>,
    /// Whole years on the analysis date.
    pub age: Option<u16>,
    pub zodiac: Option<Zodiac>,
    pub star_sign: Option<StarSign>,
    pub tier: String,
    pub store: String,
    pub join_date: Option<String>,
    /// Membership expiry.
    pub expiry: Option<String>,
    pub points: i64,
    /// When the points expire, when the data says.
    pub points_expiry: Option<String>,
    /// Stored-value balance (储值余额).
    pub balance_cents: i64,
    pub tags: Vec<String>,
    /// The member's history as of the analysis date (days since 1970-01-01, cents).
    pub summary: MemberSummary,
    /// The summary's figures counted to the analysis date D: days since the last purchase, since
    /// the first purchase or joining, and BG/NBD's T (days since the first purchase; 0 without).
    pub recency_days: Option<i32>,
    pub tenure_days: Option<i32>,
    pub t: i32,
    pub rfm: [u8; 3],
    pub rfm_segment: Option<RfmSegment>,
    pub cn_rfm: Option<CnRfmClass>,
    pub groups: Vec<ValueGroup>,
    pub lifecycle: Option<Lifecycle>,
    pub layer: Option<LayerKey>,
    pub quadrant: Option<Quadrant>,
    /// Upgrade or downgrade candidate; `None`: the spend fits the tier (or no tiers).
    pub tier_fit: Option<TierFit>,
    /// Predictions, when the model is trusted.
    pub p_alive: Option<f64>,
    pub expected_purchases: Option<f64>,
    pub p_no_purchase: Option<f64>,
    pub risk: Option<Risk>,
    pub value_12m_cents: Option<i64>,
    /// The expected next visit (`2026-11-20`), for members likely still customers.
    pub next_visit: Option<String>,
    /// (month end, P(alive) as of that day) from the first purchase to the analysis date.
    pub p_alive_history: Vec<(String, f64)>,
    /// Purchase days (`2026-03-05`), for the history chart.
    pub purchase_dates: Vec<String>,
    /// (purchase day, what the purchases of that day came to in cents), ascending by day, up to
    /// the analysis date: the purchase timeline.
    pub timeline: Vec<(String, i64)>,
    /// The categories the member bought, the most recently bought first.
    pub categories: Vec<CategoryBought>,
    /// The work lists the member is on, each with why.
    pub work_lists: Vec<OnWorkList>,
}

/// A category a member bought, up to the analysis date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryBought {
    pub category: String,
    /// Days the category was bought on (two rows of one day are one purchase).
    pub purchases: u32,
    /// The last day it was bought (`2026-03-05`).
    pub last: String,
    /// What its purchases came to, cents.
    pub spend_cents: i64,
}

/// A work list the member is on and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnWorkList {
    pub list: WorkListKey,
    pub reasons: Vec<WorkReason>,
}

/// One purchase row of a member: day, amount (cents, ≥ 0) and category index (or `NONE16`).
#[derive(Clone, Copy)]
struct Purchase {
    day: Day,
    cents: i64,
    category: u16,
}

/// Member `m`'s purchases (sales of zero or more) up to and including the analysis day, by day.
fn purchases_of(ds: &Dataset, m: u32, analysis_day: Day) -> Vec<Purchase> {
    let tx = &ds.transactions;
    let mut rows: Vec<Purchase> = (0..tx.len())
        .filter(|&r| tx.member[r] == m && tx.kind[r].is_purchase(tx.amount_cents[r]) && tx.day[r] <= analysis_day)
        .map(|r| Purchase { day: tx.day[r], cents: tx.amount_cents[r], category: tx.category(r) })
        .collect();
    rows.sort_unstable_by_key(|p| p.day);
    rows
}

/// Per purchase day (ascending), what the day's purchases came to. `rows` sorted by day.
fn spend_by_day(rows: &[Purchase]) -> Vec<(Day, i64)> {
    rows.chunk_by(|a, b| a.day == b.day)
        .filter_map(|day| Some((day.first()?.day, clamp_cents(day.iter().map(|p| i128::from(p.cents)).sum()))))
        .collect()
}

/// Each category bought: purchase days, last day and spend, the most recent first (then by name).
fn categories_bought(ds: &Dataset, rows: &[Purchase]) -> Vec<CategoryBought> {
    let mut cats: Vec<Purchase> = rows.iter().copied().filter(|p| p.category != NONE16).collect();
    // By category, then day: a category's rows together, its days in order.
    cats.sort_unstable_by_key(|p| (p.category, p.day));
    let mut out: Vec<(Day, CategoryBought)> = cats
        .chunk_by(|a, b| a.category == b.category)
        .filter_map(|c| {
            let last = c.last()?.day;
            let days = c.chunk_by(|a, b| a.day == b.day).count() as u32;
            let spend = clamp_cents(c.iter().map(|p| i128::from(p.cents)).sum());
            let category = ds.categories.label(c.first()?.category);
            Some((last, CategoryBought { category, purchases: days, last: format_day(last), spend_cents: spend }))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.category.cmp(&b.1.category)));
    out.into_iter().map(|(_, c)| c).collect()
}

/// The work lists member `m` is on, each with its reasons.
fn work_lists_of(ctx: &Ctx<'_>, m: u32) -> Vec<OnWorkList> {
    WorkListKey::ALL
        .iter()
        .filter(|&&list| ctx.lists.contains(list, m))
        .map(|&list| OnWorkList { list, reasons: ctx.lists.reasons(ctx.ds, ctx.sums, ctx.c, list, m) })
        .collect()
}

/// P(alive) as of the end of each month from the first purchase's to the analysis date's (the
/// last point is as of the analysis date itself). `days`: the member's purchase days up to the
/// analysis date, ascending and distinct, the first being `first`. A point that is not a finite
/// probability is left out.
fn p_alive_by_month(params: &BgNbdParams, days: &[Day], first: Day, analysis_day: Day) -> Vec<(String, f64)> {
    let mut history = Vec::new();
    let last_month = month_key(analysis_day);
    // A history longer than any real one (a data set built by hand) shows its last months.
    for k in month_key(first).max(last_month - (MAX_MONTHS - 1))..=last_month {
        let as_of = month_start(k + 1).saturating_sub(1).min(analysis_day);
        let seen = days.partition_point(|&d| d <= as_of);
        let Some(&last_seen) = days.get(seen.wrapping_sub(1)) else { continue };
        let h = History { x: (seen - 1) as f64, t_x: days_between(first, last_seen) as f64, t: days_between(first, as_of) as f64 };
        let p = params.conditional_probability_alive(&h);
        if (0.0..=1.0).contains(&p) {
            history.push((format_month(k), p));
        }
    }
    history
}

/// One member's detail; `None` for an unknown id. `model`: the BG/NBD parameters, when trusted.
pub fn detail(ctx: &Ctx<'_>, model: Option<&BgNbdParams>, id: &str) -> Option<MemberDetail> {
    let (ds, sums, c) = (ctx.ds, ctx.sums, ctx.c);
    let m = ds.find_member(&crate::import::values::normalize_id(id))?;
    let mi = m as usize;
    let s = sums.members.get(mi)?;
    let l = &c.labels;
    let p = c.predictions.get(mi);
    let d = sums.analysis_day;
    let rows = purchases_of(ds, m, d);
    let timeline = spend_by_day(&rows);
    let days: Vec<Day> = timeline.iter().map(|&(day, _)| day).collect();
    let history = match (model.filter(|_| p.is_some()), days.first()) {
        (Some(params), Some(&first)) => p_alive_by_month(params, &days, first, d),
        _ => Vec::new(),
    };
    let birthday = ds.members.birthday(mi);
    let label = |v: &[u8], i| v.get(i).copied();
    Some(MemberDetail {
        id: ds.members.id(mi).to_string(),
        name: ds.members.name(mi).to_string(),
        phone_masked: mask_phone(ds.members.phone(mi)),
        phone: ds.members.phone(mi).to_string(),
        gender: ds.members.gender(mi),
        birthday: birthday.map(format_day),
        age: birthday.and_then(|b| age_on(b, d)),
        zodiac: birthday.map(Zodiac::of),
        star_sign: birthday.map(StarSign::of),
        tier: ds.tiers.label(ds.members.tier(mi)),
        store: ds.stores.label(ds.members.store(mi)),
        join_date: ds.members.join_day(mi).map(format_day),
        expiry: ds.members.expiry(mi).map(format_day),
        points: ds.members.points(mi),
        points_expiry: ds.members.points_expiry(mi).map(format_day),
        balance_cents: ds.members.balance_cents(mi),
        tags: ds.members.tags(mi).iter().map(|&t| ds.tags.label(t)).collect(),
        summary: *s,
        recency_days: s.recency_days(d),
        tenure_days: s.tenure_days(d),
        t: s.t(d),
        rfm: [label(&l.r, mi).unwrap_or(0), label(&l.f, mi).unwrap_or(0), label(&l.m, mi).unwrap_or(0)],
        rfm_segment: label(&l.rfm_segment, mi).and_then(|i| RfmSegment::ALL.get(i as usize).copied()),
        cn_rfm: label(&l.cn_class, mi).and_then(|i| CnRfmClass::ALL.get(i as usize).copied()),
        groups: ValueGroup::ALL.iter().copied().filter(|g| label(&l.groups, mi).is_some_and(|b| b & g.bit() != 0)).collect(),
        lifecycle: label(&l.lifecycle, mi).and_then(|i| Lifecycle::ALL.get(i as usize).copied()),
        layer: label(&c.layer, mi).and_then(LayerKey::from_index),
        quadrant: label(&c.quadrant, mi).and_then(|i| Quadrant::ALL.get(i as usize).copied()),
        tier_fit: label(&c.tier_fit, mi).and_then(TierFit::from_index),
        p_alive: p.map(|p| p.p_alive),
        expected_purchases: p.map(|p| p.expected_purchases),
        p_no_purchase: p.map(|p| p.p_no_purchase),
        risk: p.and_then(|p| Risk::from_index(p.risk)),
        value_12m_cents: p.and_then(|p| p.value_12m_cents),
        next_visit: p.and_then(|p| p.next_visit_days).map(|n| format_day(d.saturating_add(n.round() as i32))),
        p_alive_history: history,
        purchase_dates: days.iter().map(|&day| format_day(day)).collect(),
        timeline: timeline.into_iter().map(|(day, cents)| (format_day(day), cents)).collect(),
        categories: categories_bought(ds, &rows),
        work_lists: work_lists_of(ctx, m),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse, Computed};
    use crate::dates::day_from_ymd;
    use crate::demo::{generate, DemoSpec};
    use crate::model::{MemberRecord, TxKind, TxRecord};
    use crate::settings::Settings;
    use crate::worklists::WorkListIndex;

    fn ctx<'a>(ds: &'a Dataset, c: &'a Computed, lists: &'a WorkListIndex, settings: &'a Settings) -> Ctx<'a> {
        Ctx { ds, sums: &c.summaries, c: &c.classified, lists, settings }
    }

    #[test]
    fn a_members_detail_agrees_with_the_summary_and_the_model() {
        let ds = generate(&DemoSpec { members: 600, ..Default::default() });
        let settings = Settings::default();
        let c = analyse(&ds, None, true, &settings);
        let lists = WorkListIndex::build(&ds, &c.summaries, &c.classified, &settings);
        let params = c.analysis.predictions.bgnbd.as_ref().map(|f| f.params);
        // The top spender: a member with a long history and a prediction.
        let top = (0..ds.members.len()).max_by_key(|&m| c.summaries.members[m].net_cents).unwrap();
        let s = c.summaries.members[top];
        let d = detail(&ctx(&ds, &c, &lists, &settings), params.as_ref(), ds.members.id(top)).unwrap();
        assert_eq!((d.id.as_str(), d.summary.net_cents, d.summary.purchase_days), (ds.members.id(top), s.net_cents, s.purchase_days));
        assert_eq!(d.purchase_dates.len() as u32, s.purchase_days);
        assert_eq!(d.timeline.len() as u32, s.purchase_days);
        assert_eq!(d.p_alive, c.classified.predictions.get(top).map(|p| p.p_alive));
        // The last point of the history is P(alive) as of the analysis date.
        let last = d.p_alive_history.last().unwrap().1;
        assert!((last - d.p_alive.unwrap()).abs() < 1e-12);
        assert_eq!(d.p_alive_history.first().unwrap().0, format_day(s.first_day().unwrap())[..7]);
        assert!(detail(&ctx(&ds, &c, &lists, &settings), params.as_ref(), "no such id").is_none());
    }

    /// One row as written: member, date, yuan, category, kind.
    type Row = (Option<&'static str>, (i32, u32, u32), i64, Option<&'static str>, TxKind);

    /// Member A: two rows of 面膜 on one day, a zero-priced 护理, a refund of 面霜 (not a
    /// purchase), a top-up (not a purchase), a row after the analysis date (not counted) and a
    /// row without a category. B bought once. A walk-in bought 面膜 on A's last day.
    const ROWS: &[Row] = &[
        (Some("A"), (2024, 1, 10), 120, Some("面霜"), TxKind::Sale),
        (Some("A"), (2024, 3, 5), 80, Some("面膜"), TxKind::Sale),
        (Some("A"), (2024, 3, 5), 40, Some("面膜"), TxKind::Sale),
        (Some("A"), (2024, 3, 5), 15, None, TxKind::Sale),
        (Some("A"), (2024, 4, 2), 0, Some("护理"), TxKind::Sale),
        (Some("A"), (2024, 5, 20), -120, Some("面霜"), TxKind::Refund),
        (Some("A"), (2024, 5, 21), 1000, None, TxKind::TopUp),
        (Some("A"), (2024, 6, 1), 60, Some("面膜"), TxKind::Sale),
        (Some("A"), (2024, 7, 15), 300, Some("面霜"), TxKind::Sale),
        (Some("B"), (2024, 2, 1), 50, Some("洁面"), TxKind::Sale),
        (None, (2024, 6, 1), 30, Some("面膜"), TxKind::Sale),
    ];
    const D: (i32, u32, u32) = (2024, 6, 30);

    fn day(ymd: (i32, u32, u32)) -> Day {
        day_from_ymd(ymd.0, ymd.1, ymd.2).unwrap()
    }

    fn hand_built() -> Dataset {
        let mut ds = Dataset::new("detail");
        ds.add_member(MemberRecord {
            id: "A".into(),
            name: "王静".into(),
            phone: "13800000001".into(),
            birthday: Some(day((1990, 7, 1))),
            points: 1280,
            balance_cents: 50_000,
            expiry: Some(day((2025, 1, 31))),
            ..Default::default()
        });
        ds.add_member(MemberRecord { id: "B".into(), birthday: Some(day((1990, 6, 30))), ..Default::default() });
        for &(member_id, ymd, yuan, category, kind) in ROWS {
            ds.add_transaction(TxRecord { member_id, day: day(ymd), amount_cents: yuan * 100, discount_cents: 0, category, store: None, kind });
        }
        ds
    }

    /// What the test expects of a member from ROWS alone: the purchase rows up to D.
    fn purchases(id: &str) -> Vec<&'static Row> {
        ROWS.iter().filter(|r| r.0 == Some(id) && r.4 == TxKind::Sale && r.2 >= 0 && r.1 <= D).collect()
    }

    fn ymd_text(ymd: (i32, u32, u32)) -> String {
        format!("{:04}-{:02}-{:02}", ymd.0, ymd.1, ymd.2)
    }

    #[test]
    fn categories_and_timeline_come_from_the_purchases_up_to_the_analysis_date() {
        let ds = hand_built();
        let settings = Settings { analysis_date: Some(ymd_text(D)), ..Default::default() };
        let c = analyse(&ds, None, false, &settings);
        let lists = WorkListIndex::default();
        let d = detail(&ctx(&ds, &c, &lists, &settings), None, "A").unwrap();
        let rows = purchases("A");

        // Timeline: each purchase day once, with the sum of its purchase rows.
        let mut expected_timeline: Vec<(String, i64)> = Vec::new();
        for r in &rows {
            match expected_timeline.iter_mut().find(|(t, _)| *t == ymd_text(r.1)) {
                Some((_, cents)) => *cents += r.2 * 100,
                None => expected_timeline.push((ymd_text(r.1), r.2 * 100)),
            }
        }
        expected_timeline.sort();
        assert_eq!(d.timeline, expected_timeline);
        assert_eq!(d.timeline, vec![
            ("2024-01-10".to_string(), 12_000),
            ("2024-03-05".to_string(), 13_500),
            ("2024-04-02".to_string(), 0),
            ("2024-06-01".to_string(), 6_000),
        ]);

        // Categories: purchase days, last day and spend, most recent first; the refunded 面霜
        // keeps its purchase of January; 面霜 of July is after D.
        let mut expected: Vec<(String, u32, String, i64)> = Vec::new();
        for cat in ["面霜", "面膜", "护理"] {
            let of: Vec<_> = rows.iter().filter(|r| r.3 == Some(cat)).collect();
            let mut days: Vec<String> = of.iter().map(|r| ymd_text(r.1)).collect();
            days.sort();
            days.dedup();
            expected.push((cat.to_string(), days.len() as u32, days.last().unwrap().clone(), of.iter().map(|r| r.2 * 100).sum()));
        }
        expected.sort_by(|a, b| b.2.cmp(&a.2));
        let got: Vec<_> = d.categories.iter().map(|c| (c.category.clone(), c.purchases, c.last.clone(), c.spend_cents)).collect();
        assert_eq!(got, expected);
        assert_eq!(got[0], ("面膜".to_string(), 2, "2024-06-01".to_string(), 18_000));

        // Attributes as written; 34 on 1 July 2024, so 33 on 30 June.
        assert_eq!((d.phone.as_str(), d.phone_masked.as_str()), ("13800000001", "138****0001"));
        assert_eq!((d.age, d.birthday.as_deref(), d.expiry.as_deref()), (Some(33), Some("1990-07-01"), Some("2025-01-31")));
        assert_eq!((d.points, d.balance_cents), (1280, 50_000));
        // B turns 34 on D itself.
        let b = detail(&ctx(&ds, &c, &lists, &settings), None, "B").unwrap();
        assert_eq!(b.age, Some(34));
        assert_eq!(b.timeline, vec![("2024-02-01".to_string(), 5_000)]);
    }

    #[test]
    fn a_member_who_never_bought_has_an_empty_history() {
        let mut ds = hand_built();
        ds.add_member(MemberRecord { id: "N".into(), ..Default::default() });
        let settings = Settings::default();
        let c = analyse(&ds, None, false, &settings);
        let lists = WorkListIndex::default();
        let d = detail(&ctx(&ds, &c, &lists, &settings), None, "N").unwrap();
        assert!(d.timeline.is_empty() && d.categories.is_empty() && d.purchase_dates.is_empty());
        assert_eq!((d.age, d.zodiac, d.star_sign, d.rfm_segment), (None, None, None, None));
    }
}
