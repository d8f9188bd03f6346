//! The columns of the member list: what the user can show, sort by and export.

use serde::{Deserialize, Serialize};

use super::calendar::{age_on, StarSign, Zodiac};
use super::Ctx;
use crate::model::Gender;
use crate::predict::NO_RISK;
use crate::pyramid::TierFit;
use crate::segments::NO_LABEL;

/// A column of the member list, export and sort key. As JSON its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Id,
    Name,
    Phone,
    Gender,
    Age,
    Birthday,
    Zodiac,
    StarSign,
    Store,
    Tier,
    Joined,
    MembershipDays,
    FirstPurchase,
    LastPurchase,
    Recency,
    Visits,
    Orders,
    Spend,
    Spend12m,
    AvgTicket,
    Points,
    Balance,
    Expiry,
    Tags,
    Rfm,
    Segment,
    CnRfm,
    Layer,
    Quadrant,
    Lifecycle,
    TierFit,
    PAlive,
    Risk,
    Value12m,
    /// Why the member is on the work list (work lists only).
    Reason,
}

impl Column {
    pub const ALL: [Column; 35] = [
        Column::Id,
        Column::Name,
        Column::Phone,
        Column::Gender,
        Column::Age,
        Column::Birthday,
        Column::Zodiac,
        Column::StarSign,
        Column::Store,
        Column::Tier,
        Column::Joined,
        Column::MembershipDays,
        Column::FirstPurchase,
        Column::LastPurchase,
        Column::Recency,
        Column::Visits,
        Column::Orders,
        Column::Spend,
        Column::Spend12m,
        Column::AvgTicket,
        Column::Points,
        Column::Balance,
        Column::Expiry,
        Column::Tags,
        Column::Rfm,
        Column::Segment,
        Column::CnRfm,
        Column::Layer,
        Column::Quadrant,
        Column::Lifecycle,
        Column::TierFit,
        Column::PAlive,
        Column::Risk,
        Column::Value12m,
        Column::Reason,
    ];

    /// Whether the column sorts by its text (ids, names, labels) rather than as a number.
    pub fn is_text(self) -> bool {
        matches!(self, Column::Id | Column::Name | Column::Phone | Column::Store | Column::Tier | Column::Tags)
    }

    /// The columns a new user sees.
    pub const DEFAULT: [Column; 9] = [
        Column::Name,
        Column::Id,
        Column::Phone,
        Column::Tier,
        Column::LastPurchase,
        Column::Visits,
        Column::Spend,
        Column::Segment,
        Column::Risk,
    ];
}

/// The order of the list: a column and its direction. Ties keep member order (the file's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub column: Column,
    #[serde(default)]
    pub descending: bool,
}

impl Default for Sort {
    /// Highest lifetime spend first.
    fn default() -> Self {
        Sort { column: Column::Spend, descending: true }
    }
}

/// Member `m`'s value in a text column ([`Column::is_text`]); `None` when empty (and for the
/// other columns).
pub(super) fn text_key<'a>(ctx: &Ctx<'a>, column: Column, m: usize) -> Option<&'a str> {
    let ds = ctx.ds;
    let text = match column {
        Column::Id => ds.members.id(m),
        Column::Name => ds.members.name(m),
        Column::Phone => ds.members.phone(m),
        Column::Store => ds.stores.name(ds.members.store(m)).unwrap_or(""),
        Column::Tier => ds.tiers.name(ds.members.tier(m)).unwrap_or(""),
        Column::Tags => ds.members.tags(m).first().and_then(|&t| ds.tags.name(t)).unwrap_or(""),
        _ => "",
    };
    Some(text).filter(|t| !t.is_empty())
}

/// A label as a sort key (`None` for "no label").
fn label(labels: &[u8], m: usize, none: u8) -> Option<i64> {
    labels.get(m).copied().filter(|&v| v != none).map(i64::from)
}

/// A float as an `i64` that orders like it (a total order: the IEEE bits, negatives flipped).
fn float_key(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// A probability as a whole number of billionths: a key of 30 bits sorts in two radix passes
/// where the float's bits take four (closer probabilities tie, in member order).
fn probability_key(p: f64) -> i64 {
    if p.is_finite() {
        (p.clamp(0.0, 1.0) * 1e9).round() as i64
    } else {
        float_key(p)
    }
}

/// Member `m`'s value in a column that is not text, as a number that orders like it; `None`
/// when the member has no value (and for text columns and the reason column).
pub(super) fn num_key(ctx: &Ctx<'_>, column: Column, m: usize) -> Option<i64> {
    let (ds, c, day) = (ctx.ds, ctx.c, ctx.sums.analysis_day);
    let members = &ds.members;
    let s = ctx.sums.members.get(m)?;
    let l = &c.labels;
    let birthday = || members.birthday(m);
    match column {
        Column::Gender => Some(members.gender(m)).filter(|g| *g != Gender::Unknown).map(|g| g as i64),
        Column::Age => birthday().and_then(|b| age_on(b, day)).map(i64::from),
        Column::Birthday => birthday().map(i64::from),
        Column::Zodiac => birthday().map(|b| Zodiac::of(b) as i64),
        Column::StarSign => birthday().map(|b| StarSign::of(b) as i64),
        Column::Joined => members.join_day(m).map(i64::from),
        Column::MembershipDays => s.tenure_days(day).map(i64::from),
        Column::FirstPurchase => s.first_day().map(i64::from),
        Column::LastPurchase => s.last_day().map(i64::from),
        Column::Recency => s.recency_days(day).map(i64::from),
        Column::Visits => Some(i64::from(s.purchase_days)),
        Column::Orders => Some(i64::from(s.orders)),
        Column::Spend => Some(s.net_cents),
        Column::Spend12m => Some(s.spend_12m_cents),
        Column::AvgTicket => Some(s.avg_ticket_cents()),
        Column::Points => Some(members.points(m)),
        Column::Balance => Some(members.balance_cents(m)),
        Column::Expiry => members.expiry(m).map(i64::from),
        Column::Rfm => {
            let score = |v: &[u8]| i64::from(v.get(m).copied().unwrap_or(0));
            let rfm = score(&l.r) * 100 + score(&l.f) * 10 + score(&l.m);
            Some(rfm).filter(|&v| v > 0)
        }
        Column::Segment => label(&l.rfm_segment, m, NO_LABEL),
        Column::CnRfm => label(&l.cn_class, m, NO_LABEL),
        Column::Layer => label(&c.layer, m, crate::pyramid::NO_LAYER),
        Column::Quadrant => label(&c.quadrant, m, crate::pyramid::NO_QUADRANT),
        Column::Lifecycle => label(&l.lifecycle, m, NO_LABEL),
        Column::TierFit => c.tier_fit.get(m).and_then(|&f| TierFit::from_index(f)).map(|f| f as i64),
        Column::PAlive => c.predictions.get(m).map(|p| probability_key(p.p_alive)),
        Column::Risk => Some(c.predictions.risk(m)).filter(|&r| r != NO_RISK).map(i64::from),
        Column::Value12m => c.predictions.get(m).and_then(|p| p.value_12m_cents),
        Column::Id | Column::Name | Column::Phone | Column::Store | Column::Tier | Column::Tags | Column::Reason => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_keys_order_like_the_floats() {
        let values = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 1e-300, 0.25, 0.5, 1.0, f64::INFINITY];
        for w in values.windows(2) {
            assert!(float_key(w[0]) <= float_key(w[1]), "{} {}", w[0], w[1]);
        }
        assert!(float_key(0.25) < float_key(0.5));
        assert!(float_key(-1.0) < float_key(-0.5));
    }
}
