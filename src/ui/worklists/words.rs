//! Each work list's name, its rule in the user's words with the figures of the settings in
//! force, and why it is not available, in the page's language.

use crate::charts::fill;
use crate::engine::dates::format_day;
use crate::engine::settings::{parse_analysis_date, Settings};
use crate::engine::worklists::{WorkListKey, FOLLOW_UP_DAYS};
use crate::format::{thousands, yuan};
use crate::i18n::*;
use crate::ui::labels::I18n;

use super::settings_json::number;

/// The list's name (`Birthdays this week`); the 3-3-3 parts as `3-3-3 follow-up · 3 days`.
pub fn list_name(i18n: I18n, key: WorkListKey) -> String {
    use WorkListKey as K;
    let follow_up = |part: &str| format!("{} · {part}", t_string!(i18n, wl_name_follow_up));
    match key {
        K::Replenish => t_string!(i18n, wl_name_replenish).to_string(),
        K::FollowUp3Days => follow_up(t_string!(i18n, wl_name_follow_up_3_days)),
        K::FollowUp3Weeks => follow_up(t_string!(i18n, wl_name_follow_up_3_weeks)),
        K::FollowUp3Months => follow_up(t_string!(i18n, wl_name_follow_up_3_months)),
        K::BirthdayWeek => t_string!(i18n, wl_name_birthday_week).to_string(),
        K::BirthdayMonth => t_string!(i18n, wl_name_birthday_month).to_string(),
        K::AnniversaryWeek => t_string!(i18n, wl_name_anniversary_week).to_string(),
        K::AnniversaryMonth => t_string!(i18n, wl_name_anniversary_month).to_string(),
        K::PointsLarge => t_string!(i18n, wl_name_points_large).to_string(),
        K::PointsExpiring => t_string!(i18n, wl_name_points_expiring).to_string(),
        K::BalanceLarge => t_string!(i18n, wl_name_balance_large).to_string(),
        K::MembershipExpiring => t_string!(i18n, wl_name_membership_expiring).to_string(),
        K::TierUpgrade => t_string!(i18n, wl_name_tier_upgrade).to_string(),
        K::TierDowngrade => t_string!(i18n, wl_name_tier_downgrade).to_string(),
        K::WinBack => t_string!(i18n, wl_name_win_back).to_string(),
        K::HighValueHighRisk => t_string!(i18n, wl_name_high_value_high_risk).to_string(),
    }
}

/// A 3-3-3 part's short name (`3 days`), shown inside the follow-up card.
pub fn follow_up_part(i18n: I18n, key: WorkListKey) -> String {
    match key {
        WorkListKey::FollowUp3Days => t_string!(i18n, wl_name_follow_up_3_days),
        WorkListKey::FollowUp3Weeks => t_string!(i18n, wl_name_follow_up_3_weeks),
        _ => t_string!(i18n, wl_name_follow_up_3_months),
    }
    .to_string()
}

/// The month of a `YYYY-MM-DD` date in words (`November`, `11月`); empty if it is not a date.
fn month_name(i18n: I18n, date: &str) -> String {
    let month = date.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(0);
    t_string!(i18n, wl_month_names).split(',').nth(month.wrapping_sub(1)).unwrap_or_default().to_string()
}

/// The day of the 3-3-3 follow-up part `part` before the analysis date `date` (the engine's
/// days, so the words and the list agree); empty if `date` is not a date.
fn days_before(date: &str, part: usize) -> String {
    let back = FOLLOW_UP_DAYS.get(part).copied().unwrap_or(0);
    parse_analysis_date(date).map(|d| format_day(d.saturating_sub(back))).unwrap_or_default()
}

/// A whole-number setting divided by `scale` (`None`: the engine has no such setting).
fn whole(settings: &Settings, key: &str, scale: f64) -> Option<i64> {
    number(settings, key).map(|v| (v / scale).round() as i64)
}

/// The list's rule in the user's words with the figures in force (`Points ≥ 5,000`); `date` is
/// the analysis date.
pub fn list_rule(i18n: I18n, key: WorkListKey, settings: &Settings, date: &str) -> String {
    use WorkListKey as K;
    let days = |k: &str| whole(settings, k, 1.0).map(thousands).unwrap_or_else(|| "—".into());
    match key {
        K::Replenish => fill(t_string!(i18n, wl_rule_replenish), &[("days", &days("replenish_window_days"))]),
        K::FollowUp3Days => fill(t_string!(i18n, wl_rule_follow_up_3_days), &[("date", &days_before(date, 0))]),
        K::FollowUp3Weeks => fill(t_string!(i18n, wl_rule_follow_up_3_weeks), &[("date", &days_before(date, 1))]),
        K::FollowUp3Months => fill(t_string!(i18n, wl_rule_follow_up_3_months), &[("date", &days_before(date, 2))]),
        K::BirthdayWeek => fill(t_string!(i18n, wl_rule_birthday_week), &[("date", date)]),
        K::BirthdayMonth => fill(t_string!(i18n, wl_rule_birthday_month), &[("month", &month_name(i18n, date))]),
        K::AnniversaryWeek => fill(t_string!(i18n, wl_rule_anniversary_week), &[("date", date)]),
        K::AnniversaryMonth => fill(t_string!(i18n, wl_rule_anniversary_month), &[("month", &month_name(i18n, date))]),
        K::PointsLarge => fill(t_string!(i18n, wl_rule_points_large), &[("points", &days("large_points"))]),
        K::PointsExpiring => fill(t_string!(i18n, wl_rule_points_expiring), &[("days", &days("expiring_days"))]),
        K::BalanceLarge => {
            let amount = whole(settings, "large_balance_cents", 1.0).map(yuan).unwrap_or_else(|| "—".into());
            fill(t_string!(i18n, wl_rule_balance_large), &[("amount", &amount)])
        }
        K::MembershipExpiring => fill(t_string!(i18n, wl_rule_membership_expiring), &[("days", &days("expiring_days"))]),
        K::TierUpgrade => t_string!(i18n, wl_rule_tier_upgrade).to_string(),
        K::TierDowngrade => t_string!(i18n, wl_rule_tier_downgrade).to_string(),
        K::WinBack => t_string!(i18n, wl_rule_win_back).to_string(),
        K::HighValueHighRisk => fill(t_string!(i18n, wl_rule_high_value_high_risk), &[("days", &thousands(settings.risk_days as i64))]),
    }
}

/// Why a list is not available: what the data lacks (`The data has no birthdays`);
/// `has_categories`: the data has categories, only no cycle is known; `predictions_pending`:
/// the risk list is still to come rather than missing; `from_summary`: the data are warehouse
/// member summaries (replenishment needs the transactions).
pub fn missing_text(i18n: I18n, key: WorkListKey, has_categories: bool, predictions_pending: bool, from_summary: bool) -> String {
    use WorkListKey as K;
    match key {
        K::Replenish if from_summary => t_string!(i18n, wl_missing_replenish_summary),
        K::Replenish if has_categories => t_string!(i18n, wl_missing_cycles),
        K::Replenish => t_string!(i18n, wl_missing_replenish),
        K::BirthdayWeek | K::BirthdayMonth => t_string!(i18n, wl_missing_birthday),
        K::AnniversaryWeek | K::AnniversaryMonth => t_string!(i18n, wl_missing_anniversary),
        K::PointsLarge => t_string!(i18n, wl_missing_points),
        K::PointsExpiring => t_string!(i18n, wl_missing_points_expiry),
        K::BalanceLarge => t_string!(i18n, wl_missing_balance),
        K::MembershipExpiring => t_string!(i18n, wl_missing_membership_expiry),
        K::TierUpgrade | K::TierDowngrade => t_string!(i18n, wl_missing_tier),
        K::HighValueHighRisk if predictions_pending => t_string!(i18n, wl_predictions_pending),
        K::HighValueHighRisk => t_string!(i18n, wl_missing_predictions),
        K::FollowUp3Days | K::FollowUp3Weeks | K::FollowUp3Months | K::WinBack => t_string!(i18n, wl_missing_other),
    }
    .to_string()
}
