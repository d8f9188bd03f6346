//! The daily work lists (DOMAIN.md "Daily work lists"): who to call today and why. Each list is
//! a member filter (`Condition::WorkList`), says why each member is on it ([`WorkReason`]), and
//! is counted for the "today" view ([`WorkListsOverview`]).

use serde::{Deserialize, Serialize};

use crate::analysis::Classified;
use crate::model::Dataset;
use crate::settings::Settings;
use crate::summary::Summaries;

/// A work list. As JSON its snake_case name (`"follow_up_3_days"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkListKey {
    /// 使用周期: the last purchase of a category runs out within the next N days.
    Replenish,
    /// 333 follow-up: the first purchase was 3 days, 3 weeks, 3 months ago.
    FollowUp3Days,
    FollowUp3Weeks,
    FollowUp3Months,
    /// Birthdays in the 7 days from the analysis date / in its calendar month.
    BirthdayWeek,
    BirthdayMonth,
    /// Join anniversaries (whole years) in the 7 days from the analysis date / in its month.
    AnniversaryWeek,
    AnniversaryMonth,
    /// Points balance at least the setting's threshold.
    PointsLarge,
    /// Points that expire within the next N days (when the data has a points expiry).
    PointsExpiring,
    /// Stored value at least the setting's threshold (a liability the store should see used).
    BalanceLarge,
    /// Membership expiring within the next N days (when the data has an expiry).
    MembershipExpiring,
    TierUpgrade,
    TierDowngrade,
    /// High value (pyramid A/B) now silent, sleeping or lost.
    WinBack,
    /// Pyramid A/B at high predicted risk.
    HighValueHighRisk,
}

impl WorkListKey {
    pub const ALL: [WorkListKey; 16] = [
        WorkListKey::Replenish,
        WorkListKey::FollowUp3Days,
        WorkListKey::FollowUp3Weeks,
        WorkListKey::FollowUp3Months,
        WorkListKey::BirthdayWeek,
        WorkListKey::BirthdayMonth,
        WorkListKey::AnniversaryWeek,
        WorkListKey::AnniversaryMonth,
        WorkListKey::PointsLarge,
        WorkListKey::PointsExpiring,
        WorkListKey::BalanceLarge,
        WorkListKey::MembershipExpiring,
        WorkListKey::TierUpgrade,
        WorkListKey::TierDowngrade,
        WorkListKey::WinBack,
        WorkListKey::HighValueHighRisk,
    ];
}

/// Why a member is on a list: a code with its figures (the page words it). Dates `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum WorkReason {
    /// Bought `category` on `last`; at a cycle of `cycle_days` it runs out on `runs_out`.
    Replenish { category: String, last: String, cycle_days: u16, runs_out: String },
    /// First purchase on `first`, `days` days before the analysis date.
    FollowUp { first: String, days: i32 },
    /// Birthday on `date` (this year's), turning `age` when the year is known.
    Birthday { date: String, age: Option<u16> },
    /// Joined on `joined`; `years` years on `date`.
    Anniversary { joined: String, date: String, years: u16 },
    Points { points: i64 },
    PointsExpiring { points: i64, on: String },
    Balance { balance_cents: i64 },
    MembershipExpiring { on: String },
    /// Spend of the last 12 months against the tier's bar (`tier` the member's, `fits` the
    /// tier the spend fits).
    TierUpgrade { tier: String, fits: String, spend_12m_cents: i64 },
    TierDowngrade { tier: String, fits: String, spend_12m_cents: i64 },
    /// Pyramid layer and lifecycle state, days since the last purchase.
    WinBack { layer: crate::pyramid::LayerKey, lifecycle: crate::segments::Lifecycle, recency_days: i32 },
    HighValueHighRisk { layer: crate::pyramid::LayerKey, p_alive: f64 },
}

/// A list's size for the "today" view; `available` is false when the data lacks what the list
/// needs (no birthdays, no points expiry, no predictions …), and the page says so.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkListCount {
    pub key: WorkListKey,
    pub members: u32,
    pub available: bool,
}

/// A category's usage cycle: the default (DOMAIN.md's, by name), the one learned from members'
/// own repeat gaps (the median gap between purchases of the category, when at least
/// `learned_from` gaps exist), and the one in force (the user's, else learned, else default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryCycle {
    pub category: String,
    pub default_days: Option<u16>,
    pub learned_days: Option<u16>,
    /// Repeat gaps the learned cycle was taken from.
    pub learned_from: u32,
    /// The cycle used; `None`: no cycle known, the category is not on the list.
    pub cycle_days: Option<u16>,
    /// Members due for this category.
    pub due: u32,
}

/// The "today" view: every list's count as of the analysis date, and the money figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkListsOverview {
    pub analysis_date: String,
    pub lists: Vec<WorkListCount>,
    /// Outstanding points of all members.
    pub points_outstanding: i64,
    /// Outstanding stored value (a liability), cents.
    pub balance_outstanding_cents: i64,
    pub cycles: Vec<CategoryCycle>,
}

/// Who is on which list, computed once per analysis (and when predictions arrive) so that a
/// filter by list is as fast as any other.
#[derive(Clone, Debug, Default)]
pub struct WorkListIndex {
    /// Per list (in [`WorkListKey::ALL`] order), the members on it, ascending.
    members: Vec<Vec<u32>>,
}

impl WorkListIndex {
    pub fn build(ds: &Dataset, sums: &Summaries, c: &Classified, settings: &Settings) -> Self {
        let _ = (ds, sums, c, settings);
        WorkListIndex { members: vec![Vec::new(); WorkListKey::ALL.len()] }
    }

    /// Whether member `m` is on `list`.
    pub fn contains(&self, list: WorkListKey, m: u32) -> bool {
        self.members.get(list as usize).is_some_and(|v| v.binary_search(&m).is_ok())
    }

    /// Why member `m` is on `list` (empty: not on it).
    pub fn reasons(&self, ds: &Dataset, sums: &Summaries, c: &Classified, settings: &Settings, list: WorkListKey, m: u32) -> Vec<WorkReason> {
        let _ = (ds, sums, c, settings, list, m);
        Vec::new()
    }

    /// The counts of every list, the money figures and the category cycles.
    pub fn overview(&self, ds: &Dataset, sums: &Summaries, c: &Classified, settings: &Settings) -> WorkListsOverview {
        let _ = (ds, sums, c, settings);
        WorkListsOverview::default()
    }
}
