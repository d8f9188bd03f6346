//! Names, rules and suggested actions of segments, groups, states, quadrants, layers and risk
//! bands, in the page's language (leptos_i18n keys are compile-time, so each key is spelled out
//! here once).

use crate::charts::fill;
use crate::i18n::*;

use crate::engine::predict::{Distrust, Risk};
use crate::engine::pyramid::{LayerKey, Quadrant, TierFit};
use crate::engine::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};

pub type I18n = leptos_i18n::I18nContext<Locale>;

/// One translated text per variant: leptos_i18n keys are compile-time, so each is spelled out.
macro_rules! lookup {
    ($i18n:expr, $key:expr, $ty:ident { $($v:ident => $t:ident),+ $(,)? }) => {
        match $key {
            $($ty::$v => t_string!($i18n, $t).to_string(),)+
        }
    };
}

pub fn rfm_name(i18n: I18n, key: RfmSegment) -> String {
    lookup!(i18n, key, RfmSegment {
        Champions => seg_champions, Loyal => seg_loyal, PotentialLoyalist => seg_potential_loyalist,
        New => seg_new, Promising => seg_promising, NeedAttention => seg_need_attention,
        AboutToSleep => seg_about_to_sleep, AtRisk => seg_at_risk, CantLose => seg_cant_lose,
        Hibernating => seg_hibernating, Lost => seg_lost,
    })
}

pub fn rfm_rule(i18n: I18n, key: RfmSegment) -> String {
    lookup!(i18n, key, RfmSegment {
        Champions => seg_champions_rule, Loyal => seg_loyal_rule, PotentialLoyalist => seg_potential_loyalist_rule,
        New => seg_new_rule, Promising => seg_promising_rule, NeedAttention => seg_need_attention_rule,
        AboutToSleep => seg_about_to_sleep_rule, AtRisk => seg_at_risk_rule, CantLose => seg_cant_lose_rule,
        Hibernating => seg_hibernating_rule, Lost => seg_lost_rule,
    })
}

pub fn rfm_action(i18n: I18n, key: RfmSegment) -> String {
    lookup!(i18n, key, RfmSegment {
        Champions => seg_champions_action, Loyal => seg_loyal_action, PotentialLoyalist => seg_potential_loyalist_action,
        New => seg_new_action, Promising => seg_promising_action, NeedAttention => seg_need_attention_action,
        AboutToSleep => seg_about_to_sleep_action, AtRisk => seg_at_risk_action, CantLose => seg_cant_lose_action,
        Hibernating => seg_hibernating_action, Lost => seg_lost_action,
    })
}

pub fn cn_name(i18n: I18n, key: CnRfmClass) -> String {
    lookup!(i18n, key, CnRfmClass {
        ImportantValue => cn_important_value, ImportantDevelop => cn_important_develop,
        ImportantKeep => cn_important_keep, ImportantRetain => cn_important_retain,
        GeneralValue => cn_general_value, GeneralDevelop => cn_general_develop,
        GeneralKeep => cn_general_keep, GeneralRetain => cn_general_retain,
    })
}

pub fn cn_rule(i18n: I18n, key: CnRfmClass) -> String {
    lookup!(i18n, key, CnRfmClass {
        ImportantValue => cn_important_value_rule, ImportantDevelop => cn_important_develop_rule,
        ImportantKeep => cn_important_keep_rule, ImportantRetain => cn_important_retain_rule,
        GeneralValue => cn_general_value_rule, GeneralDevelop => cn_general_develop_rule,
        GeneralKeep => cn_general_keep_rule, GeneralRetain => cn_general_retain_rule,
    })
}

pub fn group_name(i18n: I18n, key: ValueGroup) -> String {
    lookup!(i18n, key, ValueGroup {
        HighSpend => group_high_spend, HighTicket => group_high_ticket, Loyal => group_loyal,
        BargainRegular => group_bargain_regular, BargainDrifter => group_bargain_drifter,
        Silent => group_silent, Sleeping => group_sleeping,
    })
}

pub fn life_name(i18n: I18n, key: Lifecycle) -> String {
    lookup!(i18n, key, Lifecycle {
        New => life_new, Active => life_active, Silent => life_silent, Sleeping => life_sleeping,
        Lost => life_lost, NeverBought => life_never_bought,
    })
}

pub fn quadrant_name(i18n: I18n, key: Quadrant) -> String {
    lookup!(i18n, key, Quadrant {
        TrueFriend => quad_true_friend, Butterfly => quad_butterfly, Barnacle => quad_barnacle, Stranger => quad_stranger,
    })
}

pub fn quadrant_rule(i18n: I18n, key: Quadrant) -> String {
    lookup!(i18n, key, Quadrant {
        TrueFriend => quad_true_friend_rule, Butterfly => quad_butterfly_rule,
        Barnacle => quad_barnacle_rule, Stranger => quad_stranger_rule,
    })
}

pub fn risk_name(i18n: I18n, key: Risk) -> String {
    lookup!(i18n, key, Risk { Low => risk_low, Medium => risk_medium, High => risk_high })
}

pub fn tier_fit_name(i18n: I18n, key: TierFit) -> String {
    lookup!(i18n, key, TierFit { Upgrade => col_upgrade, Downgrade => col_downgrade })
}

/// `Layer · A`.
pub fn layer_name(i18n: I18n, key: LayerKey) -> String {
    format!("{} · {}", t_string!(i18n, layer), crate::charts::layer_letter(key))
}

/// Why the predictions are not shown, in the page's language.
pub fn distrust_text(i18n: I18n, d: Distrust) -> String {
    lookup!(i18n, d, Distrust {
        TooFewRepeatBuyers => distrust_too_few, NoConvergence => distrust_no_convergence,
        ParameterAtBound => distrust_at_bound, NotComputed => distrust_not_computed,
    })
}

/// A setting's name as the settings panel labels it (the key itself where the panel has none).
pub fn setting_name(i18n: I18n, key: &str) -> String {
    match key {
        "sleeping_days" => t_string!(i18n, set_sleeping_days),
        "lost_days" => t_string!(i18n, set_lost_days),
        "new_days" => t_string!(i18n, set_new_days),
        "high_spend_share" => t_string!(i18n, set_high_spend_share),
        "high_ticket_multiple" => t_string!(i18n, set_high_ticket_multiple),
        "loyal_max_gap_days" => t_string!(i18n, set_loyal_max_gap_days),
        "silent_ratio" => t_string!(i18n, set_silent_ratio),
        "quadrant_days" => t_string!(i18n, set_quadrant_days),
        "quadrant_frequency_cut" => t_string!(i18n, set_quadrant_frequency_cut),
        "quadrant_spend_cut_cents" => t_string!(i18n, set_quadrant_spend_cut),
        "pyramid_basis" => t_string!(i18n, set_pyramid_basis),
        "monthly_discount_rate" => t_string!(i18n, set_monthly_discount_rate),
        "risk_days" => t_string!(i18n, set_risk_days),
        "holdout_days" => t_string!(i18n, set_holdout_days),
        "analysis_date" => t_string!(i18n, analysis_date),
        "replenish_window_days" => t_string!(i18n, wl_window),
        "category_cycles" => t_string!(i18n, set_category_cycles),
        "large_points" => t_string!(i18n, wl_set_large_points),
        "large_balance_cents" => t_string!(i18n, wl_set_large_balance),
        "expiring_days" => t_string!(i18n, set_expiring_days),
        other => other,
    }
    .to_string()
}

/// Why a setting was refused, in the page's language.
pub fn settings_error_text(i18n: I18n, e: &crate::engine::settings::SettingsError) -> String {
    use crate::engine::settings::SettingsError as E;
    let name = |k: &str| setting_name(i18n, k.split('[').next().unwrap_or(k));
    let num = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { crate::format::thousands(v as i64) } else { format!("{v}") };
    match e {
        E::OutOfRange { key, min, max } => fill(t_string!(i18n, settings_err_range), &[("name", &name(key)), ("min", &num(*min)), ("max", &num(*max))]),
        E::NotLongerThan { key, shorter } => fill(t_string!(i18n, settings_err_order), &[("name", &name(key)), ("shorter", &name(shorter))]),
        E::SharesOverOne { key } => fill(t_string!(i18n, settings_err_shares), &[("name", &name(key))]),
        E::NotADate { key } => fill(t_string!(i18n, settings_err_date), &[("name", &name(key))]),
        E::NotFinite { key } | E::WrongType { key } => fill(t_string!(i18n, settings_err_value), &[("name", &name(key))]),
        // The next four come only from the automation interface: keys as scripts spell them.
        E::NotAnObject => t_string!(i18n, settings_err_not_object).to_string(),
        E::UnknownKey { key } => {
            fill(t_string!(i18n, settings_err_unknown), &[("name", key), ("known", &crate::engine::settings::Settings::KEYS.join(", "))])
        }
        E::TooMany { key, max } => fill(t_string!(i18n, settings_err_too_many), &[("name", &name(key)), ("max", &max.to_string())]),
        E::BadName { key, max_chars } => fill(t_string!(i18n, settings_err_bad_name), &[("name", &name(key)), ("max", &max_chars.to_string())]),
    }
}

/// A saved setting reset at start, in the page's language (`“Sleeping after …”: 2147483647 → 365`).
pub fn saved_setting_note(i18n: I18n, note: &crate::requests::SavedSettingNote) -> String {
    use crate::requests::SavedSettingNote as N;
    match note {
        N::Unreadable => t_string!(i18n, saved_settings_unreadable).to_string(),
        N::Reset { key, saved, default } => format!("“{}”: {saved} → {default}", setting_name(i18n, key)),
    }
}
