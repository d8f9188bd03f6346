//! The daily work lists (DOMAIN.md "Daily work lists"): who to call today and why. Each list is
//! a member filter (`Condition::WorkList`), says why each member is on it ([`WorkReason`]), and
//! is counted for the "today" view ([`WorkListsOverview`]).

mod calendar;
mod cycles;
mod rules;

use serde::{Deserialize, Serialize};

use crate::analysis::Classified;
use crate::dates::{format_day, Day};
use crate::model::Dataset;
use crate::pyramid::NO_LAYER;
use crate::settings::Settings;
use crate::summary::{clamp_cents, Summaries};

pub use cycles::{default_cycle, MIN_LEARNED_GAPS};
pub use rules::FOLLOW_UP_DAYS;
use cycles::{category_cycles, repeat_gaps, Due, Purchases};
use rules::{Judge, Rules};

/// A work list. As JSON its snake_case name (`"follow_up_3_days"`). Each variant's comment is
/// its rule as of the analysis date D (the end of that day); the page words the same rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkListKey {
    /// 使用周期: for a category with a usage cycle in force ([`CategoryCycle`]), the member's
    /// last purchase of it up to D (a sale of zero or more; refunds and top-ups are not
    /// purchases) plus the cycle falls from N days before D to N − 1 days after it (N =
    /// `replenish_window_days`): it runs out within the next N days, today included, or ran out
    /// within the last N days and nothing was bought since. One reason per category due.
    Replenish,
    /// 333 follow-up: the first purchase was exactly 3 days before D.
    #[serde(rename = "follow_up_3_days")]
    FollowUp3Days,
    /// 333 follow-up: the first purchase was exactly 21 days (3 weeks) before D.
    #[serde(rename = "follow_up_3_weeks")]
    FollowUp3Weeks,
    /// 333 follow-up: the first purchase was exactly 90 days (3 months) before D.
    #[serde(rename = "follow_up_3_months")]
    FollowUp3Months,
    /// The birthday (month and day; Feb 29 on Feb 28 in a common year) falls in D ..= D + 6.
    BirthdayWeek,
    /// The birthday falls in D's calendar month (before or after D).
    BirthdayMonth,
    /// The join date's month and day fall in D ..= D + 6, at least one whole year after joining.
    AnniversaryWeek,
    /// The join date's month and day fall in D's calendar month, at least one whole year after
    /// joining.
    AnniversaryMonth,
    /// Points balance at least `large_points`.
    PointsLarge,
    /// Points above zero that expire in D ..= D + `expiring_days` (when the data has a points
    /// expiry).
    PointsExpiring,
    /// Stored value at least `large_balance_cents` (a liability the store should see used).
    BalanceLarge,
    /// Membership expiring in D ..= D + `expiring_days` (when the data has an expiry).
    MembershipExpiring,
    /// 12-month spend reaches the bar of a higher tier (the Pyramid page's tier rule).
    TierUpgrade,
    /// 12-month spend under the member's own tier's bar and the bar of the tier below.
    TierDowngrade,
    /// High value — pyramid layer A or B with a value above zero, or lifetime net spend among
    /// the top (A + B share) of buyers by lifetime net spend — and now silent, sleeping or lost.
    WinBack,
    /// Pyramid layer A or B at high predicted churn risk (only with a trusted model).
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
    /// Pyramid layer and lifecycle state, days since the last purchase, lifetime net spend.
    WinBack { layer: crate::pyramid::LayerKey, lifecycle: crate::segments::Lifecycle, recency_days: i32, net_cents: i64 },
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
    /// The data are warehouse member summaries ([`Dataset::precomputed`]): replenishment by
    /// category (and its cycles) needs the transactions, so it is unavailable for that reason
    /// rather than for want of categories. The page says what to load.
    #[serde(default)]
    pub replenish_needs_transactions: bool,
}

/// Who is on which list, computed once per analysis (after the predictions) so that a filter by
/// list is as fast as any other; also what the reasons need that the data set does not hold.
#[derive(Clone, Debug, Default)]
pub struct WorkListIndex {
    /// Per list (in [`WorkListKey::ALL`] order), the members on it, ascending.
    members: Vec<Vec<u32>>,
    /// Per list, whether the data has what it needs.
    available: Vec<bool>,
    /// The rules' figures as of the build.
    rules: Rules,
    /// Replenishment: every member's categories due, in member order.
    due: Vec<Due>,
    cycles: Vec<CategoryCycle>,
    points_outstanding: i64,
    balance_outstanding_cents: i64,
    /// See [`WorkListsOverview::replenish_needs_transactions`].
    replenish_needs_transactions: bool,
}

impl WorkListIndex {
    pub fn build(ds: &Dataset, sums: &Summaries, c: &Classified, settings: &Settings) -> Self {
        let (settings, _) = settings.clone().sanitized();
        let rules = Rules::new(ds, sums, &settings);
        let purchases = Purchases::new(ds, rules.day);
        let gaps = repeat_gaps(ds, &purchases);
        let mut cycles = category_cycles(ds, gaps, &settings);
        let due = cycles::due(&purchases, &mut cycles, rules.day, rules.window_days);
        let mut members = vec![Vec::new(); WorkListKey::ALL.len()];
        if let Some(replenish) = members.get_mut(WorkListKey::Replenish as usize) {
            *replenish = due.iter().map(|d| d.member).collect();
            replenish.dedup();
        }
        let available: Vec<bool> = WorkListKey::ALL.iter().map(|&k| available(k, ds, sums, c, &cycles)).collect();
        let judge = Judge { ds, sums, c, rules: &rules };
        let n = ds.members.len();
        for ((list, on), &can) in WorkListKey::ALL.iter().zip(members.iter_mut()).zip(&available).skip(1) {
            // A list the data cannot fill is empty (its rule could not hold for anyone).
            if can {
                *on = judge.members_on(*list);
            }
        }
        WorkListIndex {
            members,
            available,
            rules,
            due,
            cycles,
            points_outstanding: clamp_cents((0..n).map(|m| ds.members.points(m).max(0) as i128).sum()),
            balance_outstanding_cents: clamp_cents((0..n).map(|m| ds.members.balance_cents(m).max(0) as i128).sum()),
            replenish_needs_transactions: ds.precomputed.is_some(),
        }
    }

    /// Whether member `m` is on `list`.
    pub fn contains(&self, list: WorkListKey, m: u32) -> bool {
        self.members.get(list as usize).is_some_and(|v| v.binary_search(&m).is_ok())
    }

    /// The members on `list`, ascending.
    pub fn members(&self, list: WorkListKey) -> &[u32] {
        self.members.get(list as usize).map_or(&[], Vec::as_slice)
    }

    /// Why member `m` is on `list` (empty: not on it), by the settings of the build (the index is
    /// rebuilt when they change).
    pub fn reasons(&self, ds: &Dataset, sums: &Summaries, c: &Classified, list: WorkListKey, m: u32) -> Vec<WorkReason> {
        if !self.contains(list, m) {
            return Vec::new();
        }
        if list == WorkListKey::Replenish {
            return self.replenish_reasons(ds, m);
        }
        let judge = Judge { ds, sums, c, rules: &self.rules };
        judge.hit(list, m as usize).map(|h| h.reason(ds)).into_iter().collect()
    }

    /// One reason per category member `m` is due to replenish.
    fn replenish_reasons(&self, ds: &Dataset, m: u32) -> Vec<WorkReason> {
        let from = self.due.partition_point(|d| d.member < m);
        let to = self.due.partition_point(|d| d.member <= m);
        let due = self.due.get(from..to).unwrap_or(&[]);
        due.iter()
            .filter_map(|d| {
                let cycle_days = self.cycles.get(d.category as usize)?.cycle_days?;
                Some(WorkReason::Replenish {
                    category: ds.categories.label(d.category),
                    last: format_day(d.last),
                    cycle_days,
                    runs_out: format_day(d.last.saturating_add(cycle_days as Day)),
                })
            })
            .collect()
    }

    /// The counts of every list, the money figures and the category cycles.
    pub fn overview(&self) -> WorkListsOverview {
        let lists = WorkListKey::ALL
            .iter()
            .map(|&key| WorkListCount {
                key,
                members: self.members(key).len().min(u32::MAX as usize) as u32,
                available: self.available.get(key as usize).copied().unwrap_or(false),
            })
            .collect();
        WorkListsOverview {
            analysis_date: format_day(self.rules.day),
            lists,
            points_outstanding: self.points_outstanding,
            balance_outstanding_cents: self.balance_outstanding_cents,
            cycles: self.cycles.clone(),
            replenish_needs_transactions: self.replenish_needs_transactions,
        }
    }
}

/// Whether the data has what `list` needs: birthdays, join dates, points, a points expiry, a
/// membership expiry, a category with a cycle, at least two tiers, ranked buyers, a trusted model.
fn available(list: WorkListKey, ds: &Dataset, sums: &Summaries, c: &Classified, cycles: &[CategoryCycle]) -> bool {
    let m = &ds.members;
    let any = |f: &dyn Fn(usize) -> bool| (0..m.len()).any(f);
    use WorkListKey as K;
    match list {
        K::Replenish => cycles.iter().any(|cc| cc.cycle_days.is_some()),
        K::FollowUp3Days | K::FollowUp3Weeks | K::FollowUp3Months => sums.members.iter().any(|s| s.first_day().is_some()),
        K::BirthdayWeek | K::BirthdayMonth => any(&|i| m.birthday(i).is_some()),
        K::AnniversaryWeek | K::AnniversaryMonth => any(&|i| m.join_day(i).is_some()),
        K::PointsLarge => any(&|i| m.points(i) != 0),
        K::PointsExpiring => m.has_points_expiry(),
        K::BalanceLarge => any(&|i| m.balance_cents(i) != 0),
        K::MembershipExpiring => m.has_expiry(),
        K::TierUpgrade | K::TierDowngrade => ds.tiers.len() >= 2,
        K::WinBack => c.layer.iter().any(|&l| l != NO_LAYER),
        K::HighValueHighRisk => !c.predictions.is_empty(),
    }
}


