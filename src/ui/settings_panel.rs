//! The thresholds, editable: a change is saved in the browser and every analysis recomputed in
//! the worker.

use leptos::prelude::*;

use super::bridge;
use super::state::use_state;
use crate::engine::settings::Settings;
use crate::i18n::*;

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
        match s.validate() {
            Ok(()) => {
                let _ = bridge::set_settings(state, s);
            }
            Err(e) => state.error.set(Some(e)),
        }
    };
    view! {
        <label class="setting">
            <span>{move || label.get()}</span>
            <input type="number" step=step data-setting=key prop:value=move || get(&state.settings.get()).to_string() on:change=on_change />
        </label>
    }
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
            </div>
            <button class="btn small" data-testid="settings-reset" on:click=move |_| { let _ = bridge::set_settings(state, Settings::default()); }>
                {t!(i18n, settings_reset)}
            </button>
        </div>
    }
}
