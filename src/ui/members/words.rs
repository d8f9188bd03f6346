//! Words for the member list's coded values that the shared labels do not cover: gender, 生肖,
//! 星座, months and why a member is on a work list.

use crate::charts::fill;
use crate::engine::members::{StarSign, Zodiac};
use crate::engine::model::Gender;
use crate::engine::worklists::WorkReason;
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;
use crate::ui::labels::{life_name, I18n};

pub fn gender_name(i18n: I18n, g: Gender) -> String {
    match g {
        Gender::Female => t_string!(i18n, gender_female),
        Gender::Male => t_string!(i18n, gender_male),
        Gender::Unknown => t_string!(i18n, gender_unknown),
    }
    .to_string()
}

pub fn zodiac_name(i18n: I18n, z: Zodiac) -> String {
    use Zodiac as Z;
    match z {
        Z::Rat => t_string!(i18n, zodiac_rat),
        Z::Ox => t_string!(i18n, zodiac_ox),
        Z::Tiger => t_string!(i18n, zodiac_tiger),
        Z::Rabbit => t_string!(i18n, zodiac_rabbit),
        Z::Dragon => t_string!(i18n, zodiac_dragon),
        Z::Snake => t_string!(i18n, zodiac_snake),
        Z::Horse => t_string!(i18n, zodiac_horse),
        Z::Goat => t_string!(i18n, zodiac_goat),
        Z::Monkey => t_string!(i18n, zodiac_monkey),
        Z::Rooster => t_string!(i18n, zodiac_rooster),
        Z::Dog => t_string!(i18n, zodiac_dog),
        Z::Pig => t_string!(i18n, zodiac_pig),
    }
    .to_string()
}

pub fn star_name(i18n: I18n, s: StarSign) -> String {
    use StarSign as S;
    match s {
        S::Aries => t_string!(i18n, star_aries),
        S::Taurus => t_string!(i18n, star_taurus),
        S::Gemini => t_string!(i18n, star_gemini),
        S::Cancer => t_string!(i18n, star_cancer),
        S::Leo => t_string!(i18n, star_leo),
        S::Virgo => t_string!(i18n, star_virgo),
        S::Libra => t_string!(i18n, star_libra),
        S::Scorpio => t_string!(i18n, star_scorpio),
        S::Sagittarius => t_string!(i18n, star_sagittarius),
        S::Capricorn => t_string!(i18n, star_capricorn),
        S::Aquarius => t_string!(i18n, star_aquarius),
        S::Pisces => t_string!(i18n, star_pisces),
    }
    .to_string()
}

/// Month `n` (1–12) as `Mar` / `3月`.
pub fn month_name(i18n: I18n, n: u8) -> String {
    let names = t_string!(i18n, ml_months).to_string();
    names.split(',').nth(usize::from(n).saturating_sub(1)).unwrap_or_default().to_string()
}

/// Why a member is on a work list, in words (`Birthday on 2026-11-03, turning 40`).
pub fn reason_text(i18n: I18n, r: &WorkReason) -> String {
    // The templates carry `¥` themselves where they name money: the figure goes in bare.
    let bare_yuan = |cents: i64| yuan(cents).trim_start_matches('¥').to_string();
    match r {
        WorkReason::Replenish { category, last, cycle_days, runs_out } => fill(
            t_string!(i18n, reason_replenish),
            &[("category", category), ("last", last), ("cycle_days", &cycle_days.to_string()), ("runs_out", runs_out)],
        ),
        WorkReason::FollowUp { first, days } => fill(t_string!(i18n, reason_follow_up), &[("first", first), ("days", &days.to_string())]),
        WorkReason::Birthday { date, age: Some(age) } => fill(t_string!(i18n, reason_birthday_age), &[("date", date), ("age", &age.to_string())]),
        WorkReason::Birthday { date, age: None } => fill(t_string!(i18n, reason_birthday), &[("date", date)]),
        WorkReason::Anniversary { joined, date, years } => {
            fill(t_string!(i18n, reason_anniversary), &[("joined", joined), ("date", date), ("years", &years.to_string())])
        }
        WorkReason::Points { points } => fill(t_string!(i18n, reason_points), &[("points", &thousands(*points))]),
        WorkReason::PointsExpiring { points, on } => fill(t_string!(i18n, reason_points_expiring), &[("points", &thousands(*points)), ("on", on)]),
        WorkReason::Balance { balance_cents } => fill(t_string!(i18n, reason_balance), &[("balance", &bare_yuan(*balance_cents))]),
        WorkReason::MembershipExpiring { on } => fill(t_string!(i18n, reason_membership_expiring), &[("on", on)]),
        WorkReason::TierUpgrade { tier, fits, spend_12m_cents } => {
            fill(t_string!(i18n, reason_tier_upgrade), &[("tier", tier), ("fits", fits), ("spend_12m", &bare_yuan(*spend_12m_cents))])
        }
        WorkReason::TierDowngrade { tier, fits, spend_12m_cents } => {
            fill(t_string!(i18n, reason_tier_downgrade), &[("tier", tier), ("fits", fits), ("spend_12m", &bare_yuan(*spend_12m_cents))])
        }
        WorkReason::WinBack { layer, lifecycle, recency_days, .. } => fill(
            t_string!(i18n, reason_win_back),
            &[("layer", crate::charts::layer_letter(*layer)), ("lifecycle", &life_name(i18n, *lifecycle)), ("recency_days", &recency_days.to_string())],
        ),
        WorkReason::HighValueHighRisk { layer, p_alive } => {
            fill(t_string!(i18n, reason_high_value_high_risk), &[("layer", crate::charts::layer_letter(*layer)), ("p_alive", &percent(*p_alive))])
        }
    }
}
