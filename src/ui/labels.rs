//! Names, rules and suggested actions of segments, groups, states and quadrants, in the page's
//! language (leptos_i18n keys are compile-time, so each key is spelled out here once).

use crate::i18n::*;

pub type I18n = leptos_i18n::I18nContext<Locale>;

macro_rules! lookup {
    ($i18n:expr, $key:expr, { $($k:literal => $t:ident),+ $(,)? }) => {
        match $key {
            $($k => t_string!($i18n, $t).to_string(),)+
            other => other.to_string(),
        }
    };
}

pub fn rfm_name(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "champions" => seg_champions, "loyal" => seg_loyal, "potential_loyalist" => seg_potential_loyalist,
        "new" => seg_new, "promising" => seg_promising, "need_attention" => seg_need_attention,
        "about_to_sleep" => seg_about_to_sleep, "at_risk" => seg_at_risk, "cant_lose" => seg_cant_lose,
        "hibernating" => seg_hibernating, "lost" => seg_lost,
    })
}

pub fn rfm_rule(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "champions" => seg_champions_rule, "loyal" => seg_loyal_rule, "potential_loyalist" => seg_potential_loyalist_rule,
        "new" => seg_new_rule, "promising" => seg_promising_rule, "need_attention" => seg_need_attention_rule,
        "about_to_sleep" => seg_about_to_sleep_rule, "at_risk" => seg_at_risk_rule, "cant_lose" => seg_cant_lose_rule,
        "hibernating" => seg_hibernating_rule, "lost" => seg_lost_rule,
    })
}

pub fn rfm_action(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "champions" => seg_champions_action, "loyal" => seg_loyal_action, "potential_loyalist" => seg_potential_loyalist_action,
        "new" => seg_new_action, "promising" => seg_promising_action, "need_attention" => seg_need_attention_action,
        "about_to_sleep" => seg_about_to_sleep_action, "at_risk" => seg_at_risk_action, "cant_lose" => seg_cant_lose_action,
        "hibernating" => seg_hibernating_action, "lost" => seg_lost_action,
    })
}

pub fn cn_name(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "important_value" => cn_important_value, "important_develop" => cn_important_develop,
        "important_keep" => cn_important_keep, "important_retain" => cn_important_retain,
        "general_value" => cn_general_value, "general_develop" => cn_general_develop,
        "general_keep" => cn_general_keep, "general_retain" => cn_general_retain,
    })
}

pub fn cn_rule(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "important_value" => cn_important_value_rule, "important_develop" => cn_important_develop_rule,
        "important_keep" => cn_important_keep_rule, "important_retain" => cn_important_retain_rule,
        "general_value" => cn_general_value_rule, "general_develop" => cn_general_develop_rule,
        "general_keep" => cn_general_keep_rule, "general_retain" => cn_general_retain_rule,
    })
}

pub fn group_name(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "high_spend" => group_high_spend, "high_ticket" => group_high_ticket, "loyal" => group_loyal,
        "bargain_regular" => group_bargain_regular, "bargain_drifter" => group_bargain_drifter,
        "silent" => group_silent, "sleeping" => group_sleeping,
    })
}

pub fn life_name(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "new" => life_new, "active" => life_active, "silent" => life_silent, "sleeping" => life_sleeping,
        "lost" => life_lost, "never_bought" => life_never_bought,
    })
}

pub fn quadrant_name(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "true_friend" => quad_true_friend, "butterfly" => quad_butterfly, "barnacle" => quad_barnacle, "stranger" => quad_stranger,
    })
}

pub fn quadrant_rule(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "true_friend" => quad_true_friend_rule, "butterfly" => quad_butterfly_rule,
        "barnacle" => quad_barnacle_rule, "stranger" => quad_stranger_rule,
    })
}

/// A setting's name as the settings panel labels it (the key itself where the panel has none).
pub fn setting_name(i18n: I18n, key: &str) -> String {
    lookup!(i18n, key, {
        "sleeping_days" => set_sleeping_days, "lost_days" => set_lost_days, "new_days" => set_new_days,
        "high_spend_share" => set_high_spend_share, "high_ticket_multiple" => set_high_ticket_multiple,
        "loyal_max_gap_days" => set_loyal_max_gap_days, "silent_ratio" => set_silent_ratio,
        "quadrant_days" => set_quadrant_days, "quadrant_frequency_cut" => set_quadrant_frequency_cut,
        "quadrant_spend_cut_cents" => set_quadrant_spend_cut, "pyramid_basis" => set_pyramid_basis,
        "monthly_discount_rate" => set_monthly_discount_rate, "risk_days" => set_risk_days,
        "holdout_days" => set_holdout_days, "analysis_date" => analysis_date,
    })
}

/// `%name%` placeholders filled in: leptos_i18n's own `{{ }}` interpolation builds views, and its
/// string form needs an option `load_locales!` cannot set.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_string(), |s, (k, v)| s.replace(&format!("%{k}%"), v))
}

/// Why a setting was refused, in the page's language.
pub fn settings_error_text(i18n: I18n, e: &crate::engine::settings::SettingsError) -> String {
    use crate::engine::settings::SettingsError as E;
    let name = |k: &str| setting_name(i18n, k.split('[').next().unwrap_or(k));
    let num = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { crate::format::thousands(v as i64) } else { format!("{v}") };
    match e {
        E::OutOfRange { key, min, max } => fill(t_string!(i18n, settings_err_range), &[("name", name(key)), ("min", num(*min)), ("max", num(*max))]),
        E::NotLongerThan { key, shorter } => fill(t_string!(i18n, settings_err_order), &[("name", name(key)), ("shorter", name(shorter))]),
        E::SharesOverOne { key } => fill(t_string!(i18n, settings_err_shares), &[("name", name(key))]),
        E::NotADate { key } => fill(t_string!(i18n, settings_err_date), &[("name", name(key))]),
        E::NotFinite { key } | E::WrongType { key } => fill(t_string!(i18n, settings_err_value), &[("name", name(key))]),
        // Only the automation interface and saved settings can produce these; English is fine.
        other => other.to_string(),
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
