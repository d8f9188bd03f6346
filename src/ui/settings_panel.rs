//! The thresholds, editable: a change is saved in the browser and every analysis recomputed in
//! the worker. Shares (0–1 in the engine) are shown and typed as percentages. A value the engine
//! refuses is said next to its field, in the page's language; the field keeps what was typed and
//! the figures stay at the settings last accepted.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;

use super::bridge;
use super::labels::{settings_error_text, I18n};
use super::state::{use_state, AppState};
use crate::engine::settings::{PyramidBasis, Settings, SettingsError};
use crate::i18n::*;
use crate::protocol::Failure;
use crate::requests::PageFailure;

/// A value refused in one field: what the user typed (kept in the field) and why.
#[derive(Clone, Debug, PartialEq)]
struct Refused {
    typed: String,
    error: SettingsError,
}

/// The refused values of one panel, by setting key; the Reset button clears them all.
type Problems = RwSignal<BTreeMap<&'static str, Refused>>;

/// How a field shows its number: as stored, or as a percentage of a 0–1 share.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Plain,
    Percent,
}

impl Unit {
    fn shown(self, v: f64) -> String {
        match self {
            Unit::Plain => v.to_string(),
            // Rounded so that 0.15 shows as 15, not 15.000000000000002.
            Unit::Percent => ((v * 100.0 * 1e6).round() / 1e6).to_string(),
        }
    }

    fn stored(self, typed: f64) -> f64 {
        match self {
            Unit::Plain => typed,
            Unit::Percent => typed / 100.0,
        }
    }
}

/// Each panel on the page (the report shows two) gets its own element ids.
fn next_panel_id() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A typed number, `None` when it is not one (a number input gives "" for "abc"). A trailing "%"
/// is allowed.
fn parse_typed(text: &str) -> Option<f64> {
    text.trim().trim_end_matches('%').trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The engine's name of a field's setting (the spend cut is typed in yuan, kept in cents).
fn engine_key(field: &'static str) -> &'static str {
    match field {
        "quadrant_spend_cut" => "quadrant_spend_cut_cents",
        other => other,
    }
}

/// The first rule `settings` break that concerns `key` (else the first of all), if any.
fn refusal_for(settings: &Settings, key: &str) -> Option<SettingsError> {
    let errors = settings.errors();
    let about_key = errors.iter().position(|e| e.keys().contains(&key)).unwrap_or(0);
    errors.into_iter().nth(about_key)
}

/// Uses `settings` for a change typed into field `key`, or records why they are refused next to
/// the field (not in the page's banner).
fn change_from_field(state: AppState, problems: Problems, key: &'static str, typed: String, settings: Settings) {
    match refusal_for(&settings, engine_key(key)) {
        None => {
            problems.update(|p| {
                p.remove(key);
            });
            let _ = bridge::set_settings(state, settings);
        }
        Some(error) => problems.update(|p| {
            p.insert(key, Refused { typed, error });
        }),
    }
}

/// The message of a refused value, in the page's language; a share's bounds said in percent.
fn refusal_text(i18n: I18n, error: &SettingsError, unit: Unit) -> String {
    match (error, unit) {
        (SettingsError::OutOfRange { key, min, max }, Unit::Percent) => {
            let name = super::labels::setting_name(i18n, key.split('[').next().unwrap_or(key));
            let pct = |v: f64| format!("{}%", Unit::Percent.shown(v));
            crate::charts::fill(t_string!(i18n, settings_err_range), &[("name", &name), ("min", &pct(*min)), ("max", &pct(*max))])
        }
        _ => settings_error_text(i18n, error),
    }
}

/// The inline message under a field, with the id its input points to (aria-describedby).
#[component]
fn FieldMessage(key: &'static str, id: String, problems: Problems, unit: Unit) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || problems.with(|p| p.get(key).map(|r| refusal_text(i18n, &r.error, unit)));
    view! {
        <Show when=move || problems.with(|p| p.contains_key(key))>
            <span class="setting-error" id=id.clone() role="alert" data-testid=format!("setting-error-{key}")>{text}</span>
        </Show>
    }
}

#[component]
fn NumberSetting(
    #[prop(into)] label: Signal<String>,
    key: &'static str,
    get: fn(&Settings) -> f64,
    set: fn(&mut Settings, f64),
    step: &'static str,
    #[prop(optional)] percent: bool,
    problems: Problems,
    panel: u32,
) -> impl IntoView {
    let state = use_state();
    let unit = if percent { Unit::Percent } else { Unit::Plain };
    let message_id = format!("setting-error-{panel}-{key}");
    let on_change = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        let mut s = state.settings.get_untracked();
        match parse_typed(&typed) {
            Some(v) => set(&mut s, unit.stored(v)),
            None => {
                problems.update(|p| {
                    p.insert(key, Refused { typed, error: SettingsError::WrongType { key: engine_key(key).to_string() } });
                });
                return;
            }
        }
        change_from_field(state, problems, key, typed, s);
    };
    let refused = move || problems.with(|p| p.contains_key(key));
    // A memo: the field is written only when what it shows changes, not on every settings update
    // (which would overwrite what the user is typing when figures arrive).
    let shown = Memo::new(move |_| {
        problems.with(|p| p.get(key).map(|r| r.typed.clone())).unwrap_or_else(|| unit.shown(get(&state.settings.get())))
    });
    view! {
        <label class="setting">
            <span>{move || label.get()}</span>
            <span class="setting-input" class:percent=percent>
                <input type="number" step=step data-setting=key prop:value=shown on:change=on_change
                    aria-invalid=move || refused().then_some("true")
                    aria-describedby={let id = message_id.clone(); move || refused().then(|| id.clone())} />
                {percent.then(|| view! { <span class="unit" aria-hidden="true">"%"</span> })}
            </span>
            <FieldMessage key=key id=message_id.clone() problems=problems unit=unit />
        </label>
    }
}

/// Uses new settings, or shows why the engine refuses them in the page's banner (for callers
/// outside the panel: the date picker, kept settings). Checked here first, so that no Promise is
/// left rejected with nobody to hear it (`bridge::set_settings` checks too, for the automation
/// interface).
pub fn apply(state: AppState, settings: Settings) {
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
    problems: Problems,
    panel: u32,
) -> impl IntoView {
    let state = use_state();
    let message_id = format!("setting-error-{panel}-{key}");
    let on_change = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        let value = match typed.trim() {
            "" => None,
            t => match parse_typed(t) {
                Some(v) => Some(v),
                None => {
                    problems.update(|p| {
                        p.insert(key, Refused { typed, error: SettingsError::WrongType { key: engine_key(key).to_string() } });
                    });
                    return;
                }
            },
        };
        let mut s = state.settings.get_untracked();
        set(&mut s, value);
        change_from_field(state, problems, key, typed, s);
    };
    let refused = move || problems.with(|p| p.contains_key(key));
    // A memo, as in NumberSetting: written only when what it shows changes.
    let shown = Memo::new(move |_| {
        problems
            .with(|p| p.get(key).map(|r| r.typed.clone()))
            .unwrap_or_else(|| get(&state.settings.get()).map(|v| v.to_string()).unwrap_or_default())
    });
    view! {
        <label class="setting">
            <span>{move || label.get()}</span>
            <input type="number" data-setting=key placeholder=move || placeholder.get() prop:value=shown on:change=on_change
                aria-invalid=move || refused().then_some("true")
                aria-describedby={let id = message_id.clone(); move || refused().then(|| id.clone())} />
            <FieldMessage key=key id=message_id.clone() problems=problems unit=Unit::Plain />
        </label>
    }
}

/// Changes one tier's expected 12-month spend (in yuan); empty goes back to the tier's median.
pub fn set_tier_bar(state: AppState, tier: &str, yuan: Option<f64>) {
    let mut s = state.settings.get_untracked();
    s.tier_min_spend_cents.retain(|(t, _)| t != tier);
    if let Some(v) = yuan {
        s.tier_min_spend_cents.push((tier.to_string(), (v * 100.0).round() as i64));
    }
    let _ = bridge::set_settings(state, s);
}

/// Uses the user's tier order (names, lowest first; empty: the default order), saved with the
/// other settings.
pub fn set_tier_order(state: AppState, order: Vec<String>) {
    let mut s = state.settings.get_untracked();
    s.tier_order = order;
    apply(state, s);
}

#[component]
pub fn SettingsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let problems: Problems = RwSignal::new(BTreeMap::new());
    let panel = next_panel_id();
    view! {
        <div class="card settings" data-testid="settings">
            <h2>{t!(i18n, settings_title)}</h2>
            <p class="note">{t!(i18n, settings_intro)}</p>
            <div class="settings-grid">
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_sleeping_days).to_string()) key="sleeping_days" step="1"
                    get=|s| s.sleeping_days as f64 set=|s, v| s.sleeping_days = v.round() as i32 />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_lost_days).to_string()) key="lost_days" step="1"
                    get=|s| s.lost_days as f64 set=|s, v| s.lost_days = v.round() as i32 />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_new_days).to_string()) key="new_days" step="1"
                    get=|s| s.new_days as f64 set=|s, v| s.new_days = v.round() as i32 />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_high_spend_share).to_string()) key="high_spend_share" step="any" percent=true
                    get=|s| s.high_spend_share set=|s, v| s.high_spend_share = v />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_high_ticket_multiple).to_string()) key="high_ticket_multiple" step="0.1"
                    get=|s| s.high_ticket_multiple set=|s, v| s.high_ticket_multiple = v />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_loyal_max_gap_days).to_string()) key="loyal_max_gap_days" step="1"
                    get=|s| s.loyal_max_gap_days as f64 set=|s, v| s.loyal_max_gap_days = v.round() as i32 />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_silent_ratio).to_string()) key="silent_ratio" step="any" percent=true
                    get=|s| s.silent_ratio set=|s, v| s.silent_ratio = v />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_risk_days).to_string()) key="risk_days" step="1"
                    get=|s| s.risk_days as f64 set=|s, v| s.risk_days = v.round() as i32 />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_holdout_days).to_string()) key="holdout_days" step="1"
                    get=|s| s.holdout_days as f64 set=|s, v| s.holdout_days = v.round() as i32 />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_monthly_discount_rate).to_string()) key="monthly_discount_rate" step="any" percent=true
                    get=|s| s.monthly_discount_rate set=|s, v| s.monthly_discount_rate = v />
                <NumberSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_quadrant_days).to_string()) key="quadrant_days" step="1"
                    get=|s| s.quadrant_days as f64 set=|s, v| s.quadrant_days = v.round() as i32 />
                <OptionalSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_quadrant_frequency_cut).to_string()) key="quadrant_frequency_cut"
                    placeholder=Signal::derive(move || t_string!(i18n, median).to_string())
                    get=|s| s.quadrant_frequency_cut set=|s, v| s.quadrant_frequency_cut = v />
                <OptionalSetting problems=problems panel=panel label=Signal::derive(move || t_string!(i18n, set_quadrant_spend_cut).to_string()) key="quadrant_spend_cut"
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
            <button class="btn small" data-testid="settings-reset" on:click=move |_| {
                problems.set(BTreeMap::new());
                let _ = bridge::set_settings(state, Settings::default());
            }>
                {t!(i18n, settings_reset)}
            </button>
        </div>
    }
}
