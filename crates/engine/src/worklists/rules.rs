//! Each list's rule for one member (replenishment aside, see `cycles`): whether the member is on
//! it and with which figures. Membership is "the rule gives a [`Hit`]", so the list and its
//! reasons cannot disagree.

use super::calendar::{years_since, YearlyWindows};
use super::{WorkListKey, WorkReason};
use crate::analysis::Classified;
use crate::dates::{format_day, Day};
use crate::model::{Dataset, NONE16};
use crate::predict::{high_value_at_high_risk, Risk};
use crate::pyramid::{tier_fitting, tier_ladder, value_of, LayerKey, TIER_DOWNGRADE, TIER_UPGRADE};
use crate::segments::rank::kth_largest;
use crate::segments::Lifecycle;
use crate::settings::{PyramidBasis, Settings};
use crate::summary::{days_between, Summaries};

/// 333 follow-up: days after the first purchase.
pub const FOLLOW_UP_DAYS: [i32; 3] = [3, 21, 90];
/// An age above this is a placeholder birth year (1900-01-01 and the like), not shown.
const MAX_AGE: i64 = 120;

/// The figures the rules use, fixed at the build (the index is rebuilt when settings change).
#[derive(Clone, Debug, Default)]
pub struct Rules {
    /// The analysis date D.
    pub day: Day,
    pub window_days: i32,
    pub large_points: i64,
    pub large_balance_cents: i64,
    pub expiring_days: i32,
    pub basis: Basis,
    /// Each tier's bar (indexed like the tiers) and the tiers from the lowest up
    /// (`pyramid::tier_order`, as the tiers table).
    pub tier_bars: Vec<i64>,
    pub tier_order: Vec<usize>,
    /// Where birthdays and anniversaries fall this week and this month.
    pub yearly: YearlyWindows,
    /// Win-back: the least lifetime net spend among the top (A + B share) of buyers ranked by
    /// it; `None` without buyers.
    pub top_net_cents: Option<i64>,
}

/// The pyramid's basis, with a default for an empty index.
#[derive(Clone, Copy, Debug)]
pub struct Basis(pub PyramidBasis);

impl Default for Basis {
    fn default() -> Self {
        Basis(PyramidBasis::Spend12m)
    }
}

impl Rules {
    /// `settings` sanitised.
    pub fn new(ds: &Dataset, sums: &Summaries, settings: &Settings) -> Self {
        let (tier_bars, tier_order) = tier_ladder(ds, sums, settings);
        Rules {
            day: sums.analysis_day,
            window_days: settings.replenish_window_days,
            large_points: settings.large_points,
            large_balance_cents: settings.large_balance_cents,
            expiring_days: settings.expiring_days,
            basis: Basis(settings.pyramid_basis),
            tier_bars,
            tier_order,
            yearly: YearlyWindows::new(sums.analysis_day),
            top_net_cents: top_net_cut(sums, settings.pyramid_shares[0] + settings.pyramid_shares[1]),
        }
    }

    /// Whether `day` is in D ..= D + `expiring_days`.
    fn expires_soon(&self, day: Day) -> bool {
        let (d, n) = (self.day as i64, self.expiring_days.max(0) as i64);
        (d..=d + n).contains(&(day as i64))
    }
}

/// The least lifetime net spend among the top `share` of buyers by it (as the pyramid counts a
/// share of buyers: rounded).
fn top_net_cut(sums: &Summaries, share: f64) -> Option<i64> {
    let mut net: Vec<i64> = sums.buyers().map(|s| s.net_cents).collect();
    let k = ((net.len() as f64 * share.clamp(0.0, 1.0)).round() as usize).min(net.len());
    kth_largest(&mut net, k)
}

/// Why a member is on a list, in day numbers (made into a [`WorkReason`] only when asked).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hit {
    FollowUp { first: Day, days: i32 },
    Birthday { on: Day, age: Option<u16> },
    Anniversary { joined: Day, on: Day, years: u16 },
    Points(i64),
    PointsExpiring { points: i64, on: Day },
    Balance(i64),
    MembershipExpiring(Day),
    Tier { upgrade: bool, tier: u16, fits: u16, spend_12m_cents: i64 },
    WinBack { layer: LayerKey, lifecycle: Lifecycle, recency_days: i32, net_cents: i64 },
    HighValueHighRisk { layer: LayerKey, p_alive: f64 },
}

impl Hit {
    pub fn reason(self, ds: &Dataset) -> WorkReason {
        match self {
            Hit::FollowUp { first, days } => WorkReason::FollowUp { first: format_day(first), days },
            Hit::Birthday { on, age } => WorkReason::Birthday { date: format_day(on), age },
            Hit::Anniversary { joined, on, years } => WorkReason::Anniversary { joined: format_day(joined), date: format_day(on), years },
            Hit::Points(points) => WorkReason::Points { points },
            Hit::PointsExpiring { points, on } => WorkReason::PointsExpiring { points, on: format_day(on) },
            Hit::Balance(balance_cents) => WorkReason::Balance { balance_cents },
            Hit::MembershipExpiring(on) => WorkReason::MembershipExpiring { on: format_day(on) },
            Hit::Tier { upgrade, tier, fits, spend_12m_cents } => {
                let (tier, fits) = (ds.tiers.label(tier), ds.tiers.label(fits));
                if upgrade {
                    WorkReason::TierUpgrade { tier, fits, spend_12m_cents }
                } else {
                    WorkReason::TierDowngrade { tier, fits, spend_12m_cents }
                }
            }
            Hit::WinBack { layer, lifecycle, recency_days, net_cents } => WorkReason::WinBack { layer, lifecycle, recency_days, net_cents },
            Hit::HighValueHighRisk { layer, p_alive } => WorkReason::HighValueHighRisk { layer, p_alive },
        }
    }
}

/// This week's or this month's occurrence of a yearly date.
type Window = fn(&YearlyWindows, Day) -> Option<(Day, i32)>;

/// The rules applied to one member.
pub struct Judge<'a> {
    pub ds: &'a Dataset,
    pub sums: &'a Summaries,
    pub c: &'a Classified,
    pub rules: &'a Rules,
}

impl Judge<'_> {
    /// The members on `list`, ascending (replenishment aside). One loop per list with the list
    /// fixed, so that its rule is inlined rather than chosen again for every member.
    pub fn members_on(&self, list: WorkListKey) -> Vec<u32> {
        let n = self.ds.members.len() as u32;
        macro_rules! each_list {
            ($($k:ident),*) => {
                match list {
                    $(WorkListKey::$k => (0..n).filter(|&m| self.hit(WorkListKey::$k, m as usize).is_some()).collect(),)*
                }
            };
        }
        each_list!(
            Replenish, FollowUp3Days, FollowUp3Weeks, FollowUp3Months, BirthdayWeek, BirthdayMonth, AnniversaryWeek,
            AnniversaryMonth, PointsLarge, PointsExpiring, BalanceLarge, MembershipExpiring, TierUpgrade, TierDowngrade,
            WinBack, HighValueHighRisk
        )
    }

    /// Member `m` on `list`, with the figures; `None`: not on it (replenishment is not judged
    /// here).
    #[inline(always)]
    pub fn hit(&self, list: WorkListKey, m: usize) -> Option<Hit> {
        use WorkListKey as K;
        let members = &self.ds.members;
        match list {
            K::Replenish => None,
            K::FollowUp3Days => self.follow_up(m, FOLLOW_UP_DAYS[0]),
            K::FollowUp3Weeks => self.follow_up(m, FOLLOW_UP_DAYS[1]),
            K::FollowUp3Months => self.follow_up(m, FOLLOW_UP_DAYS[2]),
            K::BirthdayWeek => self.birthday(m, YearlyWindows::in_week),
            K::BirthdayMonth => self.birthday(m, YearlyWindows::in_month),
            K::AnniversaryWeek => self.anniversary(m, YearlyWindows::in_week),
            K::AnniversaryMonth => self.anniversary(m, YearlyWindows::in_month),
            K::PointsLarge => Some(members.points(m)).filter(|&p| p >= self.rules.large_points).map(Hit::Points),
            K::PointsExpiring => {
                let points = members.points(m);
                let on = members.points_expiry(m).filter(|&e| points > 0 && self.rules.expires_soon(e))?;
                Some(Hit::PointsExpiring { points, on })
            }
            K::BalanceLarge => Some(members.balance_cents(m)).filter(|&b| b >= self.rules.large_balance_cents).map(Hit::Balance),
            K::MembershipExpiring => members.expiry(m).filter(|&e| self.rules.expires_soon(e)).map(Hit::MembershipExpiring),
            K::TierUpgrade => self.tier(m, TIER_UPGRADE),
            K::TierDowngrade => self.tier(m, TIER_DOWNGRADE),
            K::WinBack => self.win_back(m),
            K::HighValueHighRisk => {
                let layer = *self.c.layer.get(m)?;
                // The risk is looked up only for a layer the rule can take at all.
                if !high_value_at_high_risk(layer, Risk::High as u8) || !high_value_at_high_risk(layer, self.c.predictions.risk(m)) {
                    return None;
                }
                let p_alive = self.c.predictions.get(m)?.p_alive;
                Some(Hit::HighValueHighRisk { layer: LayerKey::from_index(layer)?, p_alive })
            }
        }
    }

    fn follow_up(&self, m: usize, days: i32) -> Option<Hit> {
        let first = self.sums.members.get(m)?.first_day()?;
        (days_between(first, self.rules.day) == days).then_some(Hit::FollowUp { first, days })
    }

    fn birthday(&self, m: usize, window: Window) -> Option<Hit> {
        let born = self.ds.members.birthday(m)?;
        let (on, year) = window(&self.rules.yearly, born)?;
        let age = years_since(born, year);
        Some(Hit::Birthday { on, age: (0..=MAX_AGE).contains(&age).then_some(age as u16) })
    }

    fn anniversary(&self, m: usize, window: Window) -> Option<Hit> {
        let joined = self.ds.members.join_day(m)?;
        let (on, year) = window(&self.rules.yearly, joined)?;
        let years = years_since(joined, year);
        (years >= 1).then_some(Hit::Anniversary { joined, on, years: years.min(u16::MAX as i64) as u16 })
    }

    fn tier(&self, m: usize, fit: u8) -> Option<Hit> {
        if self.c.tier_fit.get(m) != Some(&fit) {
            return None;
        }
        let tier = Some(self.ds.members.tier(m)).filter(|&t| t != NONE16)?;
        let spend_12m_cents = self.sums.members.get(m)?.spend_12m_cents;
        let fits = tier_fitting(&self.rules.tier_bars, &self.rules.tier_order, tier as usize, spend_12m_cents)?;
        Some(Hit::Tier { upgrade: fit == TIER_UPGRADE, tier, fits: fits as u16, spend_12m_cents })
    }

    fn win_back(&self, m: usize) -> Option<Hit> {
        let lifecycle = *Lifecycle::ALL.get(*self.c.labels.lifecycle.get(m)? as usize)?;
        if !matches!(lifecycle, Lifecycle::Silent | Lifecycle::Sleeping | Lifecycle::Lost) {
            return None;
        }
        let layer = LayerKey::from_index(*self.c.layer.get(m)?)?;
        let s = self.sums.members.get(m)?;
        let top_layer = matches!(layer, LayerKey::A | LayerKey::B) && value_of(s, self.rules.basis.0) > 0;
        let top_spender = self.rules.top_net_cents.is_some_and(|cut| s.net_cents > 0 && s.net_cents >= cut);
        if !(top_layer || top_spender) {
            return None;
        }
        let recency_days = s.recency_days(self.rules.day)?;
        Some(Hit::WinBack { layer, lifecycle, recency_days, net_cents: s.net_cents })
    }
}
