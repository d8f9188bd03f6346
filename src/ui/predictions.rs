//! The predictions on the Churn page: P(alive), churn-risk bands with the revenue at risk, the
//! high-value members at high risk, the predicted value, and the backtest that says how far to
//! trust it all. With an untrusted model, the reason in words and no numbers. The answer (risk
//! bands, value) is one section of the Churn page; the checks of the model fold apart.

use leptos::prelude::*;

use super::chart_card::ChartCard;
use super::labels::{distrust_text, risk_name, I18n};
use super::state::use_state;
use crate::charts::{fill, key_of};
use crate::charts::predictions::{backtest, backtest_table, p_alive, p_alive_table, PredictionLabels};
use crate::engine::members::MemberFilter;
use crate::engine::predict::{NoBacktest, Predictions};
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

fn labels(i18n: I18n) -> PredictionLabels {
    let mean = t_string!(i18n, mean_visits);
    PredictionLabels {
        p_alive: t_string!(i18n, col_p_alive_zh).to_string(),
        members: t_string!(i18n, col_members).to_string(),
        repeat_purchases_before: t_string!(i18n, calibration_x).to_string(),
        predicted: t_string!(i18n, predicted).to_string(),
        actual: t_string!(i18n, actual).to_string(),
        // The language's own brackets: full-width （） in Chinese.
        predicted_mean: fill(t_string!(i18n, name_with_unit), &[("name", t_string!(i18n, predicted)), ("unit", mean)]),
        actual_mean: fill(t_string!(i18n, name_with_unit), &[("name", t_string!(i18n, actual)), ("unit", mean)]),
    }
}

/// The fitted BG/NBD parameters.
#[component]
fn ModelParams(pred: Memo<Predictions>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        pred.get().bgnbd.map(|f| {
            let (p, n) = (f.params, f.customers);
            view! {
                <p class="note" data-testid="model-params">{t!(i18n, model_params, r = move || format!("{:.3}", p.r), alpha = move || format!("{:.2}", p.alpha),
                    a = move || format!("{:.3}", p.a), b = move || format!("{:.3}", p.b), n = move || thousands(n as i64))}</p>
            }
        })
    }
}

/// The risk bands, each opening its members, and the high-value members at high risk.
#[component]
fn RiskBands(pred: Memo<Predictions>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <h3>{t!(i18n, risk_title, days = move || pred.get().risk_days)}</h3>
        <div class="quadrants risk-bands" data-testid="risk-bands">
            {move || pred.get().risk_bands.into_iter().map(|b| { let k = b.key; let key = key_of(&k); let rev = yuan(b.revenue_12m_cents); view! {
                <button class=format!("quadrant risk-{key}") data-testid=format!("open-risk-{key}") data-members=b.members
                    on:click=move |_| state.show_members(MemberFilter::risk(k), risk_name(i18n, k))>
                    <strong>{move || risk_name(i18n, k)}</strong>
                    <span class="big">{thousands(b.members as i64)}</span>
                    <span>{t!(i18n, risk_revenue, value = move || rev.clone())}</span>
                </button>
            } }).collect_view()}
        </div>
        <p class="note">{t!(i18n, risk_note, days = move || pred.get().risk_days)}</p>
        <button class="btn primary small" data-testid="open-cant-lose"
            on:click=move |_| state.show_members(MemberFilter::only(crate::engine::members::Condition::HighValueHighRisk), t_string!(i18n, cant_lose_label).to_string())>
            {t!(i18n, cant_lose_button, n = move || thousands(pred.get().high_value_high_risk as i64))}
        </button>
    }
}

/// Expected purchases and the value of the next 12 months, when spend could be modelled.
#[component]
fn ValueNote(pred: Memo<Predictions>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <p class="note">
            {move || if pred.get().value_trusted {
                let p = pred.get();
                let (days, n, value, rate) = (p.risk_days, thousands(p.expected_purchases.round() as i64), yuan(p.predicted_value_12m_cents), percent(state.settings.get().monthly_discount_rate));
                view! { <span>{t!(i18n, value_note, days = move || days, n = move || n.clone(), value = move || value.clone(), rate = move || rate.clone())}</span> }.into_any()
            } else {
                view! { <span>{t!(i18n, value_untrusted)}</span> }.into_any()
            }}
        </p>
    }
}

/// The backtest's verdict, or why there is none.
#[component]
fn BacktestVerdict(pred: Memo<Predictions>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        {move || match pred.get().backtest {
            Some(b) => {
                let (p, a, d) = (thousands(b.predicted_total.round() as i64), thousands(b.actual_total as i64), b.calibration_end.clone());
                view! { <p class="verdict" data-testid="backtest-verdict">{t!(i18n, backtest_verdict, predicted = move || p.clone(), actual = move || a.clone(), date = move || d.clone())}</p> }.into_any()
            }
            None if pred.get().no_backtest == Some(NoBacktest::NoFit) => {
                view! { <p class="note" data-testid="backtest-none">{t!(i18n, backtest_no_fit)}</p> }.into_any()
            }
            None => view! { <p class="note" data-testid="backtest-none">{t!(i18n, backtest_none)}</p> }.into_any(),
        }}
        <p class="note">{t!(i18n, backtest_title, days = move || state.settings.get().holdout_days)}" "{t!(i18n, backtest_note)}</p>
    }
}

#[component]
fn PredictionCharts(pred: Memo<Predictions>) -> impl IntoView {
    let i18n = use_i18n();
    let bt = Memo::new(move |_| pred.with(|p| p.backtest.clone().unwrap_or_default()));
    view! {
        <div class="grid-2">
            <ChartCard title=Signal::derive(move || t_string!(i18n, p_alive_heading).to_string())
                option=Signal::derive(move || pred.with(|p| p_alive(p, &labels(i18n))))
                table=Signal::derive(move || pred.with(|p| p_alive_table(p, &labels(i18n)))) testid="p-alive-chart">
                <p class="note">{t!(i18n, p_alive_how)}</p>
            </ChartCard>
            <Show when=move || pred.with(|p| p.no_backtest != Some(NoBacktest::NeedsTransactions))
                fallback=move || view! { <super::summary_basis::MissingCard title=Signal::derive(move || t_string!(i18n, backtest_heading).to_string()) /> }>
                <ChartCard title=Signal::derive(move || t_string!(i18n, backtest_heading).to_string())
                    option=Signal::derive(move || bt.with(|b| backtest(b, &labels(i18n))))
                    table=Signal::derive(move || bt.with(|b| backtest_table(b, &labels(i18n)))) testid="backtest-chart">
                    <BacktestVerdict pred=pred />
                </ChartCard>
            </Show>
        </div>
    }
}

fn predictions(state: super::state::AppState) -> Memo<Predictions> {
    Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.predictions.clone()).unwrap_or_default()))
}

/// The members by P(alive) and the backtest, in a folding section, when the model is trusted.
#[component]
pub fn ModelChecks() -> impl IntoView {
    let i18n = use_i18n();
    let pred = predictions(use_state());
    view! {
        <Show when=move || pred.get().trusted>
            <super::churn_page::Fold id="model" title=Signal::derive(move || t_string!(i18n, fold_model).to_string())>
                <PredictionCharts pred=pred />
            </super::churn_page::Fold>
        </Show>
    }
}

#[component]
pub fn PredictionsSection() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let pred = predictions(state);
    let reason = move || pred.get().distrust.map(|d| distrust_text(i18n, d)).unwrap_or_default();
    view! {
        <div class="card" data-testid="predictions">
            <h2>{t!(i18n, pred_title)}</h2>
            <Show when=move || pred.get().trusted
                // Reactive inside: `when` stays false while the pending predictions turn untrusted.
                fallback=move || view! { {move || if pred.get().pending {
                    view! { <p class="note" data-testid="predictions-pending">{t!(i18n, pred_pending)}</p> }.into_any()
                } else {
                    view! { <p class="warning" data-testid="untrusted">{t!(i18n, pred_untrusted, reason = reason)}</p> }.into_any()
                }} }>
                // The answer first; the fitted parameters are for those who ask.
                <RiskBands pred=pred />
                <ValueNote pred=pred />
                <details class="model-details">
                    <summary>{t!(i18n, model_details)}</summary>
                    <ModelParams pred=pred />
                </details>
            </Show>
        </div>
    }
}
