//! The predictions on the Churn page: P(alive), churn-risk bands with the revenue at risk, the
//! high-value members at high risk, the predicted value, and the backtest that says how far to
//! trust it all. With an untrusted model, the reason in words and no numbers.

use leptos::prelude::*;
use serde_json::json;

use super::chart_card::ChartCard;
use super::state::use_state;
use crate::engine::members::MemberFilter;
use super::labels::{distrust_text, risk_name};
use crate::charts::key_of;
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

#[component]
pub fn PredictionsSection() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let pred = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.predictions.clone()).unwrap_or_default()));
    let head = |keys: Vec<&'static str>| Signal::derive(move || keys.iter().map(|k| k.to_string()).collect::<Vec<_>>());
    let reason = move || pred.get().distrust.map(|d| distrust_text(i18n, d)).unwrap_or_default();

    let alive_chart = Signal::derive(move || {
        let h = pred.get().p_alive_histogram;
        json!({
            "tooltip": { "trigger": "axis" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": { "type": "category", "data": (0..10).map(|i| format!("{}–{}%", i * 10, i * 10 + 10)).collect::<Vec<_>>() },
            "yAxis": { "type": "value" },
            "series": [{ "type": "bar", "name": t_string!(i18n, col_members).to_string(), "data": h }]
        })
        .into()
    });
    let alive_rows = Signal::derive(move || pred.get().p_alive_histogram.iter().enumerate().map(|(i, n)| vec![format!("{}–{}%", i * 10, i * 10 + 10), thousands(*n as i64)]).collect::<Vec<_>>());

    let backtest_chart = Signal::derive(move || {
        let bt = pred.get().backtest.unwrap_or_default();
        let xs: Vec<String> = bt.by_frequency.iter().map(|c| c.x.clone()).collect();
        json!({
            "tooltip": { "trigger": "axis" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": { "type": "category", "data": xs, "name": t_string!(i18n, calibration_x).to_string(), "nameLocation": "middle", "nameGap": 26 },
            "yAxis": { "type": "value" },
            "series": [
                { "type": "line", "name": format!("{} ({})", t_string!(i18n, actual), t_string!(i18n, mean_visits)), "data": bt.by_frequency.iter().map(|c| (c.actual_mean * 100.0).round() / 100.0).collect::<Vec<_>>() },
                { "type": "line", "name": format!("{} ({})", t_string!(i18n, predicted), t_string!(i18n, mean_visits)), "lineStyle": { "type": "dashed" }, "data": bt.by_frequency.iter().map(|c| (c.predicted_mean * 100.0).round() / 100.0).collect::<Vec<_>>() }
            ]
        })
        .into()
    });
    let backtest_rows = Signal::derive(move || {
        pred.get().backtest.map(|b| b.by_frequency.iter().map(|c| vec![c.x.clone(), thousands(c.customers as i64), format!("{:.2}", c.predicted_mean), format!("{:.2}", c.actual_mean)]).collect::<Vec<_>>()).unwrap_or_default()
    });

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
                {move || pred.get().bgnbd.map(|f| { let p = f.params; let n = f.customers; view! {
                    <p class="note" data-testid="model-params">{t!(i18n, model_params, r = move || format!("{:.3}", p.r), alpha = move || format!("{:.2}", p.alpha),
                        a = move || format!("{:.3}", p.a), b = move || format!("{:.3}", p.b), n = move || thousands(n as i64))}</p>
                } })}
                <h3>{t!(i18n, risk_title, days = move || pred.get().risk_days)}</h3>
                <div class="quadrants risk-bands" data-testid="risk-bands">
                    {move || pred.get().risk_bands.into_iter().map(|b| { let k = b.key; let key = key_of(&k); let rev = yuan(b.revenue_12m_cents); view! {
                        <button class=format!("quadrant risk-{key}") data-testid=format!("open-risk-{key}") data-members=b.members
                            on:click=move |_| state.show_members(MemberFilter::Risk(k), risk_name(i18n, k))>
                            <strong>{move || risk_name(i18n, k)}</strong>
                            <span class="big">{thousands(b.members as i64)}</span>
                            <span>{t!(i18n, risk_revenue, value = move || rev.clone())}</span>
                        </button>
                    } }).collect_view()}
                </div>
                <p class="note">{t!(i18n, risk_note, days = move || pred.get().risk_days)}</p>
                <button class="btn primary small" data-testid="open-cant-lose"
                    on:click=move |_| state.show_members(MemberFilter::HighValueHighRisk, t_string!(i18n, cant_lose_label).to_string())>
                    {t!(i18n, cant_lose_button, n = move || thousands(pred.get().high_value_high_risk as i64))}
                </button>
                <p class="note">
                    {move || if pred.get().value_trusted {
                        let p = pred.get();
                        let (days, n, value, rate) = (p.risk_days, format!("{:.0}", p.expected_purchases), yuan(p.predicted_value_12m_cents), percent(state.settings.get().monthly_discount_rate));
                        view! { <span>{t!(i18n, value_note, days = move || days, n = move || n.clone(), value = move || value.clone(), rate = move || rate.clone())}</span> }.into_any()
                    } else {
                        view! { <span>{t!(i18n, value_untrusted)}</span> }.into_any()
                    }}
                </p>
            </Show>
        </div>
        <Show when=move || pred.get().trusted>
            <div class="grid-2">
                <ChartCard title=Signal::derive(move || t_string!(i18n, p_alive_title).to_string()) option=alive_chart
                    head=head(vec!["P(alive)", "members"]) rows=alive_rows testid="p-alive-chart">
                    <p class="note">{t!(i18n, p_alive_note)}</p>
                </ChartCard>
                <ChartCard title=Signal::derive(move || t_string!(i18n, backtest_heading).to_string()) option=backtest_chart
                    head=head(vec!["repeat purchases before", "members", "predicted", "actual"]) rows=backtest_rows testid="backtest-chart">
                    {move || match pred.get().backtest {
                        Some(b) => {
                            let (p, a, d) = (thousands(b.predicted_total.round() as i64), thousands(b.actual_total as i64), b.calibration_end.clone());
                            view! { <p class="verdict" data-testid="backtest-verdict">{t!(i18n, backtest_verdict, predicted = move || p.clone(), actual = move || a.clone(), date = move || d.clone())}</p> }.into_any()
                        }
                        None if pred.get().no_backtest == Some(crate::engine::predict::NoBacktest::NoFit) => {
                            view! { <p class="note" data-testid="backtest-none">{t!(i18n, backtest_no_fit)}</p> }.into_any()
                        }
                        None => view! { <p class="note" data-testid="backtest-none">{t!(i18n, backtest_none)}</p> }.into_any(),
                    }}
                    <p class="note">{t!(i18n, backtest_title, days = move || state.settings.get().holdout_days)}" "{t!(i18n, backtest_note)}</p>
                </ChartCard>
            </div>
        </Show>
    }
}
