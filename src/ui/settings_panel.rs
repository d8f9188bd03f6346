//! The thresholds, editable: a change is saved in the browser and every analysis recomputed in
//! the worker.

use leptos::prelude::*;

use super::bridge;
use super::state::use_state;
use crate::engine::settings::{PyramidBasis, Settings};
use crate::i18n::*;
use crate::protocol::Failure;
use crate::requests::PageFailure;

#[component]
fn NumberSetting(
    #[prop(into)] label: Signal<String>,
    key: &'static str,
    get: fn(&Settings) -> f64,
    set: fn(&mut Settings, f64),
    step: f64,
) -> impl IntoView {
    let state = use_state();
    let on_change = move |ev: leptos::ev::Event| {
        let Ok(v) = event_target_value(&ev).trim().parse::<f64>() else { return };
        let mut s = state.settings.get_untracked();
        set(&mut s, v);
        apply(state, s);
    };
    view! {
        <label class="setting">
            <span>{move || label.get()}</span>
            <input type="number" step=step data-setting=key prop:value=move || get(&state.settings.get()).to_string() on:change=on_change />
        </label>
    }
}

/// Uses new settings, or shows why the engine refuses them. Checked here first, so that no
/// Promise is left rejected with nobody to hear it (`bridge::set_settings` checks too, for the
/// automation interface).
pub fn apply(state: super::state::AppState, settings: Settings) {
    match settings.validate() {
        Ok(()) => {
            let _ = bridge::set_settings(state, settings);
        }
        Err(e) => state.error.set(Some(PageFailure::Engine(Failure::Settings(e)))),
    }
}

/// A threshold that may be left empty (then the data decides: the median).
#[component]
fn OptionalSetting(
    #[prop(into)] label: Signal<String>,
    key: &'static str,
    get: fn(&Settings) -> Option<f64>,
    set: fn(&mut Settings, Option<f64>),
    #[prop(into)] placeholder: Signal<String>,
) -> impl IntoView {
    let state = use_state();
    let on_change = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let value = match text.trim() {
            "" => None,
            t => match t.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => return,
            },
        };
        let mut s = state.settings.get_untracked();
        set(&mut s, value);
        apply(state, s);
    };
    view! {
        <label class="setting">
            <span>{move || label.get()}</span>
            <input type="number" data-setting=key placeholder=move || placeholder.get()
                prop:value=move || get(&state.settings.get()).map(|v| v.to_string()).unwrap_or_default() on:change=on_change />
        </label>
    }
}

/// Changes one tier's expected 12-month spend (in yuan); empty goes back to the tier's median.
pub fn set_tier_bar(state: super::state::AppState, tier: &str, yuan: Option<f64>) {
    let mut s = state.settings.get_untracked();
    s.tier_min_spend_cents.retain(|(t, _)| t != tier);
    if let Some(v) = yuan {
        s.tier_min_spend_cents.push((tier.to_string(), (v * 100.0).round() as i64));
    }
    let _ = bridge::set_settings(state, s);
}

#[component]
pub fn SettingsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <div class="card settings" data-testid="settings">
            <h2>{t!(i18n, settings_title)}</h2>
            <p class="note">{t!(i18n, settings_intro)}</p>
            <div class="settings-grid">
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_sleeping_days).to_string()) key="sleeping_days" step=1.0
                    get=|s| s.sleeping_days as f64 set=|s, v| s.sleeping_days = v.round() as i32 />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_lost_days).to_string()) key="lost_days" step=1.0
                    get=|s| s.lost_days as f64 set=|s, v| s.lost_days = v.round() as i32 />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_new_days).to_string()) key="new_days" step=1.0
                    get=|s| s.new_days as f64 set=|s, v| s.new_days = v.round() as i32 />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_high_spend_share).to_string()) key="high_spend_share" step=0.01
                    get=|s| s.high_spend_share set=|s, v| s.high_spend_share = v />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_high_ticket_multiple).to_string()) key="high_ticket_multiple" step=0.1
                    get=|s| s.high_ticket_multiple set=|s, v| s.high_ticket_multiple = v />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_loyal_max_gap_days).to_string()) key="loyal_max_gap_days" step=1.0
                    get=|s| s.loyal_max_gap_days as f64 set=|s, v| s.loyal_max_gap_days = v.round() as i32 />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_silent_ratio).to_string()) key="silent_ratio" step=0.05
                    get=|s| s.silent_ratio set=|s, v| s.silent_ratio = v />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_risk_days).to_string()) key="risk_days" step=1.0
                    get=|s| s.risk_days as f64 set=|s, v| s.risk_days = v.round() as i32 />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_holdout_days).to_string()) key="holdout_days" step=1.0
                    get=|s| s.holdout_days as f64 set=|s, v| s.holdout_days = v.round() as i32 />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_monthly_discount_rate).to_string()) key="monthly_discount_rate" step=0.005
                    get=|s| s.monthly_discount_rate set=|s, v| s.monthly_discount_rate = v />
                <NumberSetting label=Signal::derive(move || t_string!(i18n, set_quadrant_days).to_string()) key="quadrant_days" step=1.0
                    get=|s| s.quadrant_days as f64 set=|s, v| s.quadrant_days = v.round() as i32 />
                <OptionalSetting label=Signal::derive(move || t_string!(i18n, set_quadrant_frequency_cut).to_string()) key="quadrant_frequency_cut"
                    placeholder=Signal::derive(move || t_string!(i18n, median).to_string())
                    get=|s| s.quadrant_frequency_cut set=|s, v| s.quadrant_frequency_cut = v />
                <OptionalSetting label=Signal::derive(move || t_string!(i18n, set_quadrant_spend_cut).to_string()) key="quadrant_spend_cut"
                    placeholder=Signal::derive(move || t_string!(i18n, median).to_string())
                    get=|s| s.quadrant_spend_cut_cents.map(|c| c as f64 / 100.0) set=|s, v| s.quadrant_spend_cut_cents = v.map(|y| (y * 100.0).round() as i64) />
                <label class="setting">
                    <span>{t!(i18n, set_pyramid_basis)}</span>
                    <select data-setting="pyramid_basis" on:change=move |ev| {
                        let mut s = state.settings.get_untracked();
                        s.pyramid_basis = if event_target_value(&ev) == "lifetime" { PyramidBasis::LifetimeSpend } else { PyramidBasis::Spend12m };
                        let _ = bridge::set_settings(state, s);
                    }>
                        <option value="spend_12m" selected=move || state.settings.get().pyramid_basis == PyramidBasis::Spend12m>{t!(i18n, basis_spend_12m)}</option>
                        <option value="lifetime" selected=move || state.settings.get().pyramid_basis == PyramidBasis::LifetimeSpend>{t!(i18n, basis_lifetime)}</option>
                    </select>
                </label>
            </div>
            <button class="btn small" data-testid="settings-reset" on:click=move |_| { let _ = bridge::set_settings(state, Settings::default()); }>
                {t!(i18n, settings_reset)}
            </button>
        </div>
    }
}
