//! The member list: every member as a row, a filter over every dimension the engine knows
//! (segments, layers, dates, money, attributes, work lists), free-text search, sort by any
//! column, a page at a time. The page asks, the worker answers.

mod calendar;
mod columns;
mod compiled;
mod detail;
mod filter;
mod query;

use serde::{Deserialize, Serialize};

use crate::analysis::Classified;
use crate::dates::format_day;
use crate::model::{Dataset, Gender};
use crate::predict::Risk;
use crate::pyramid::{LayerKey, Quadrant, TierFit};
use crate::segments::{CnRfmClass, Lifecycle, RfmSegment};
use crate::settings::Settings;
use crate::summary::Summaries;
use crate::worklists::{WorkListIndex, WorkReason};

pub use calendar::{age_on, StarSign, Zodiac};
pub use columns::{Column, Sort};
pub use detail::{detail, CategoryBought, MemberDetail, OnWorkList};
pub use filter::{matches, parse_month, Condition, DateRange, FilterError, FilterField, FilterProblem, MemberFilter, NumRange};
pub use query::{matching, query, reasons, revenue_cents, try_matching, try_query, MAX_PAGE};

/// What a member query reads: the data set, what was computed on it, the work lists and the
/// settings in force. Built by the session for each query (all borrowed).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub sums: &'a Summaries,
    pub c: &'a Classified,
    pub lists: &'a WorkListIndex,
    pub settings: &'a Settings,
}

/// One member as a row of the list: every column the user can choose (the page shows some).
/// Dates are `YYYY-MM-DD`, money in cents; `None` where the member has no value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    /// `138****0001`: shown masked; the full number is revealed on request (the detail).
    pub phone_masked: String,
    pub gender: Gender,
    /// Whole years on the analysis date.
    pub age: Option<u16>,
    pub birthday: Option<String>,
    pub zodiac: Option<Zodiac>,
    pub star_sign: Option<StarSign>,
    pub store: String,
    pub tier: String,
    pub joined: Option<String>,
    /// Days from joining (or the first purchase, if earlier) to the analysis date.
    pub membership_days: Option<i32>,
    pub first_purchase: Option<String>,
    pub last_purchase: Option<String>,
    pub recency_days: Option<i32>,
    /// Visits: distinct purchase days.
    pub purchase_days: u32,
    pub orders: u32,
    pub net_cents: i64,
    pub spend_12m_cents: i64,
    pub avg_ticket_cents: i64,
    pub points: i64,
    pub balance_cents: i64,
    /// Membership expiry.
    pub expiry: Option<String>,
    pub tags: Vec<String>,
    /// R, F and M scores, `[0, 0, 0]` for members who never bought.
    pub rfm: [u8; 3],
    pub segment: Option<RfmSegment>,
    pub cn_rfm: Option<CnRfmClass>,
    pub layer: Option<LayerKey>,
    pub quadrant: Option<Quadrant>,
    pub lifecycle: Option<Lifecycle>,
    pub tier_fit: Option<TierFit>,
    /// P(alive) and churn risk band, when the model is trusted.
    pub p_alive: Option<f64>,
    pub risk: Option<Risk>,
    pub value_12m_cents: Option<i64>,
    /// Why the member is on the work lists the filter names (empty without one).
    pub reasons: Vec<WorkReason>,
}

/// A page of the member list and what the whole filtered list adds up to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberPage {
    pub filter: MemberFilter,
    pub sort: Sort,
    /// Members matching the filter.
    pub total: u32,
    /// Members in the data set (the share is `total / members`).
    pub members: u32,
    /// Lifetime net spend of the matching members.
    pub revenue_cents: i64,
    pub offset: u32,
    pub rows: Vec<MemberRow>,
}

/// Member `m` as a row of the list, with `reasons` for the reason column.
pub fn row(ctx: &Ctx<'_>, m: usize, reasons: Vec<WorkReason>) -> MemberRow {
    let Ctx { ds, sums, c, .. } = *ctx;
    let members = &ds.members;
    let day = sums.analysis_day;
    let s = sums.members.get(m).copied().unwrap_or_default();
    let l = &c.labels;
    let label = |v: &[u8]| v.get(m).copied().unwrap_or(u8::MAX);
    let birthday = members.birthday(m);
    let p = c.predictions.get(m);
    MemberRow {
        id: members.id(m).to_string(),
        name: members.name(m).to_string(),
        phone_masked: mask_phone(members.phone(m)),
        gender: members.gender(m),
        age: birthday.and_then(|b| age_on(b, day)),
        birthday: birthday.map(format_day),
        zodiac: birthday.map(Zodiac::of),
        star_sign: birthday.map(StarSign::of),
        store: ds.stores.label(members.store(m)),
        tier: ds.tiers.label(members.tier(m)),
        joined: members.join_day(m).map(format_day),
        membership_days: s.tenure_days(day),
        first_purchase: s.first_day().map(format_day),
        last_purchase: s.last_day().map(format_day),
        recency_days: s.recency_days(day),
        purchase_days: s.purchase_days,
        orders: s.orders,
        net_cents: s.net_cents,
        spend_12m_cents: s.spend_12m_cents,
        avg_ticket_cents: s.avg_ticket_cents(),
        points: members.points(m),
        balance_cents: members.balance_cents(m),
        expiry: members.expiry(m).map(format_day),
        tags: members.tags(m).iter().map(|&t| ds.tags.label(t)).collect(),
        rfm: [label(&l.r), label(&l.f), label(&l.m)].map(|v| if v == u8::MAX { 0 } else { v }),
        segment: RfmSegment::ALL.get(label(&l.rfm_segment) as usize).copied(),
        cn_rfm: CnRfmClass::ALL.get(label(&l.cn_class) as usize).copied(),
        layer: LayerKey::from_index(label(&c.layer)),
        quadrant: Quadrant::ALL.get(label(&c.quadrant) as usize).copied(),
        lifecycle: Lifecycle::ALL.get(label(&l.lifecycle) as usize).copied(),
        tier_fit: TierFit::from_index(label(&c.tier_fit)),
        p_alive: p.map(|p| p.p_alive),
        risk: p.and_then(|p| Risk::from_index(p.risk)),
        value_12m_cents: p.and_then(|p| p.value_12m_cents),
        reasons,
    }
}

/// `13812345678` → `138****5678`; short numbers keep only their last two digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n >= 7 => format!("{}****{}", chars[..3].iter().collect::<String>(), chars[n - 4..].iter().collect::<String>()),
        n => format!("{}{}", "*".repeat(n.saturating_sub(2)), chars[n.saturating_sub(2)..].iter().collect::<String>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone(""), "");
    }
}
