//! Which members to list: conditions over every dimension the engine knows. Values inside a
//! condition combine with OR ("any of"), conditions with AND. The same JSON object is the
//! page's URL state, the worker's request and `memberDashboard.members(filter)`'s argument:
//!
//! `{"all": [{"by": "rfm", "any": ["champions", "loyal"]}, {"by": "spend", "min": 1000}], "search": "138"}`
//!
//! Money bounds are in yuan (decimal), dates `YYYY-MM-DD`, bounds inclusive, an absent bound open.

use serde::{Deserialize, Serialize};

use super::calendar::{StarSign, Zodiac};
use crate::dates::{Day, MonthKey};
use crate::model::Gender;
use crate::predict::Risk;
use crate::pyramid::{LayerKey, Quadrant, TierFit};
use crate::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};
use crate::settings::parse_analysis_date;
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
    /// The first bound that cannot be read (a date that is not `YYYY-MM-DD`, a cohort month
    /// that is not `YYYY-MM`, a number that is not finite), if any: such a filter lists nobody.
    pub fn validate(&self) -> Result<(), FilterError> {
        self.all.iter().enumerate().try_for_each(|(i, c)| c.validate().map_err(|(field, problem)| FilterError { condition: i, field, problem }))
    }

    /// The work lists the filter names, in its order (their reasons go with the rows).
    pub fn work_lists(&self) -> impl Iterator<Item = WorkListKey> + '_ {
        self.all.iter().filter_map(|c| match c {
            Condition::WorkList { list } => Some(*list),
            _ => None,
        })
    }

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

impl NumRange {
    /// Whether `v` is within the bounds.
    pub fn holds(&self, v: f64) -> bool {
        self.min.is_none_or(|min| v >= min) && self.max.is_none_or(|max| v <= max)
    }

    /// The bounds as cents, the bounds being yuan rounded to the cent (an open bound is the end
    /// of `i64`).
    pub fn cents(&self) -> std::ops::RangeInclusive<i64> {
        // `as` saturates: a bound beyond any sum of cents stays beyond it.
        let cents = |yuan: f64| (yuan * 100.0).round() as i64;
        self.min.map_or(i64::MIN, cents)..=self.max.map_or(i64::MAX, cents)
    }

    fn validate(&self) -> Result<(), (FilterField, FilterProblem)> {
        let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
        match (finite(self.min), finite(self.max)) {
            (false, _) => Err((FilterField::Min, FilterProblem::NotFinite)),
            (_, false) => Err((FilterField::Max, FilterProblem::NotFinite)),
            _ => Ok(()),
        }
    }
}

impl DateRange {
    /// The bounds as days (an open bound is the end of [`Day`]); `None` when a bound is not a
    /// date.
    pub fn days(&self) -> Option<std::ops::RangeInclusive<Day>> {
        let from = self.from.as_deref().map_or(Some(Day::MIN), parse_analysis_date)?;
        let to = self.to.as_deref().map_or(Some(Day::MAX), parse_analysis_date)?;
        Some(from..=to)
    }

    fn validate(&self) -> Result<(), (FilterField, FilterProblem)> {
        let bad = |d: &Option<String>| d.as_deref().is_some_and(|d| parse_analysis_date(d).is_none());
        match (bad(&self.from), bad(&self.to)) {
            (true, _) => Err((FilterField::From, FilterProblem::NotADate)),
            (_, true) => Err((FilterField::To, FilterProblem::NotADate)),
            _ => Ok(()),
        }
    }
}

/// A cohort month `YYYY-MM` as a month key (`year * 12 + month0`), within the years a date may
/// have.
pub fn parse_month(text: &str) -> Option<MonthKey> {
    let day = parse_analysis_date(&format!("{}-01", text.trim()))?;
    Some(crate::dates::month_key(day))
}

impl Condition {
    /// The field that cannot be read and why.
    fn validate(&self) -> Result<(), (FilterField, FilterProblem)> {
        match self {
            Condition::PAlive(r)
            | Condition::Age(r)
            | Condition::MembershipDays(r)
            | Condition::Visits(r)
            | Condition::Spend(r)
            | Condition::Spend12m(r)
            | Condition::AvgTicket(r)
            | Condition::Points(r)
            | Condition::Balance(r) => r.validate(),
            Condition::Joined(r) | Condition::FirstPurchase(r) | Condition::LastPurchase(r) | Condition::Expiry(r) => r.validate(),
            Condition::Category { not_since: Some(d), .. } if parse_analysis_date(d).is_none() => {
                Err((FilterField::NotSince, FilterProblem::NotADate))
            }
            Condition::Cohort { month, .. } if parse_month(month).is_none() => Err((FilterField::Month, FilterProblem::NotAMonth)),
            _ => Ok(()),
        }
    }
}

/// A filter the engine cannot run: condition `condition` (its index in `all`) has a `field`
/// it cannot read. As JSON `{"condition": 1, "field": "from", "problem": "not_a_date"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterError {
    pub condition: usize,
    pub field: FilterField,
    pub problem: FilterProblem,
}

/// The field of a condition a [`FilterError`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterField {
    Min,
    Max,
    From,
    To,
    NotSince,
    Month,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterProblem {
    /// Not a real `YYYY-MM-DD` date in 1900 ..= 2100.
    NotADate,
    /// Not a `YYYY-MM` month in 1900 ..= 2100.
    NotAMonth,
    /// A number bound that is NaN or infinite.
    NotFinite,
}

/// Whether member `m` meets every condition and the search of `filter` (never, for a filter
/// that does not validate). The filter is prepared for this one member: to test many, use
/// [`super::matching`].
pub fn matches(ctx: &super::Ctx<'_>, filter: &MemberFilter, m: usize) -> bool {
    super::compiled::Compiled::new(ctx, filter).is_ok_and(|f| f.matches(m))
}
