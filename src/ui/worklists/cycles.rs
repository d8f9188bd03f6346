//! The replenishment list's usage cycles per category (usual, learned, in force — editable —
//! and members due), its reminder window, and the other lists' thresholds in a fold.

use leptos::prelude::*;

use super::settings_json::{known, number, set_cycle, set_whole};
use crate::charts::fill;
use crate::engine::worklists::CategoryCycle;
use crate::format::thousands;
use crate::i18n::*;
use crate::ui::state::use_state;

/// A whole-number setting named by its JSON key, shown divided by `scale` (cents as yuan);
/// offered only when the engine has it.
#[component]
fn WholeSetting(#[prop(into)] label: Signal<String>, key: &'static str, #[prop(default = 1.0)] scale: f64) -> impl IntoView {
    let state = use_state();
    let on_change = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
            if v.is_finite() {
                set_whole(state, key, (v * scale).round() as i64);
            }
        }
    };
    let shown = move || number(&state.settings.get(), key).map(|v| (v / scale).to_string()).unwrap_or_default();
    known(key).then(|| {
        view! {
            <label class="setting">
                <span>{move || label.get()}</span>
                <input type="number" min="0" step="1" inputmode="numeric" data-setting=key prop:value=shown on:change=on_change />
            </label>
        }
    })
}

/// Days as words (`80 days`), `—` when unknown.
fn days_text(i18n: crate::ui::labels::I18n, days: Option<u16>) -> String {
    match days {
        Some(d) => fill(t_string!(i18n, wl_days), &[("days", &d.to_string())]),
        None => "—".to_string(),
    }
}

/// One category's row: the cycle in force is an input (empty: the user's cycle removed).
#[component]
fn CycleRow(cycle: CategoryCycle, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let category = cycle.category.clone();
    let cat = category.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match text.trim() {
            "" => set_cycle(state, &cat, None),
            t => {
                if let Ok(v) = t.parse::<f64>() {
                    if v.is_finite() {
                        set_cycle(state, &cat, Some(v.round().clamp(0.0, u16::MAX as f64) as u16));
                    }
                }
            }
        }
    };
    let learned = cycle.learned_days;
    let cat = category.clone();
    let use_learned = move |_| set_cycle(state, &cat, learned);
    let same = learned.is_none() || learned == cycle.cycle_days;
    let cat = category.clone();
    let input_label = move || fill(t_string!(i18n, wl_cycle_of), &[("category", &cat)]);
    view! {
        <tr data-category=category.clone()>
            <td class="wl-c-cat">{category.clone()}</td>
            <td class="num wl-c-usual" data-label=move || t_string!(i18n, wl_col_default)>{move || days_text(i18n, cycle.default_days)}</td>
            <td class="num wl-c-learned" data-label=move || t_string!(i18n, wl_col_learned)>
                {move || days_text(i18n, learned)}
                {learned.is_some().then(|| view! {
                    <span class="wl-from">{move || fill(t_string!(i18n, wl_learned_from), &[("n", &thousands(cycle.learned_from as i64))])}</span>
                })}
            </td>
            <td class="num wl-c-input">
                <input class="bar-input" type="number" min="1" step="1" inputmode="numeric" data-testid=format!("cycle-{index}")
                    aria-label=input_label prop:value=cycle.cycle_days.map(|d| d.to_string()).unwrap_or_default()
                    disabled=!known("category_cycles") on:change=on_change />
            </td>
            <td class="num wl-c-due" data-label=move || t_string!(i18n, wl_col_due) data-due=cycle.due>{thousands(cycle.due as i64)}</td>
            <td class="wl-c-action">
                <button class="btn small" data-testid=format!("use-learned-{index}") disabled=same || !known("category_cycles")
                    on:click=use_learned>{t!(i18n, wl_use_learned)}</button>
            </td>
        </tr>
    }
}

#[component]
pub fn CyclesCard() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let window = move || number(&state.settings.get(), "replenish_window_days").map(|d| thousands(d.round() as i64)).unwrap_or_else(|| "—".into());
    let cycles = move || state.work_lists.with(|w| w.as_ref().map(|w| w.cycles.clone()).unwrap_or_default());
    view! {
        <div class="card wl-cycles" data-testid="wl-cycles">
            <h2>{t!(i18n, wl_cycles_title)}</h2>
            <p class="note">{move || fill(t_string!(i18n, wl_cycles_intro), &[("days", &window())])}</p>
            <div class="settings-grid wl-window">
                <WholeSetting label=Signal::derive(move || t_string!(i18n, wl_window).to_string()) key="replenish_window_days" />
            </div>
            {move || {
                let cycles = cycles();
                if cycles.is_empty() {
                    return view! { <p class="muted" data-testid="wl-cycles-none">{t!(i18n, wl_cycles_none)}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table class="wl-cycle-table">
                            <thead><tr>
                                <th>{t!(i18n, wl_col_category)}</th><th class="num">{t!(i18n, wl_col_default)}</th>
                                <th class="num">{t!(i18n, wl_col_learned)}</th><th class="num">{t!(i18n, wl_col_in_force)}</th>
                                <th class="num">{t!(i18n, wl_col_due)}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {cycles.into_iter().enumerate().map(|(index, cycle)| view! { <CycleRow cycle=cycle index=index /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </div>
    }
}

/// The thresholds of the points, stored-value and expiry lists, folded away.
#[component]
pub fn ListSettings() -> impl IntoView {
    let i18n = use_i18n();
    let any = ["large_points", "large_balance_cents", "expiring_days"].into_iter().any(known);
    any.then(|| {
        view! {
            <details class="card wl-settings" data-testid="wl-settings">
                <summary>{t!(i18n, wl_settings_title)}</summary>
                <div class="settings-grid">
                    <WholeSetting label=Signal::derive(move || t_string!(i18n, wl_set_large_points).to_string()) key="large_points" />
                    <WholeSetting label=Signal::derive(move || t_string!(i18n, wl_set_large_balance).to_string()) key="large_balance_cents" scale=100.0 />
                    <WholeSetting label=Signal::derive(move || t_string!(i18n, wl_set_expiring_days).to_string()) key="expiring_days" />
                </div>
            </details>
        }
    })
}
