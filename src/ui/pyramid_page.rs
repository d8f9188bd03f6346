//! The Pyramid page: A/B/C/D layers with their revenue share, the Pareto curve and Gini, the four
//! quadrants with their cut lines, and tiers with upgrade / downgrade candidates.

use leptos::prelude::*;
use serde_json::json;

use super::chart::ChartClick;
use super::chart_card::ChartCard;
use super::labels::{layer_name, quadrant_name, quadrant_rule, tier_fit_name};
use crate::charts::{layer_letter, parse_key};
use super::state::use_state;
use crate::engine::members::MemberFilter;
use crate::engine::pyramid::{LayerKey, Quadrant, TierFit};
use crate::engine::settings::PyramidBasis;
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

#[component]
pub fn PyramidPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let pyr = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.pyramid.clone()).unwrap_or_default()));
    let quad = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.quadrants.clone()).unwrap_or_default()));
    let tiers = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.tiers.clone()).unwrap_or_default()));

    let pyramid_chart = Signal::derive(move || {
        let p = pyr.get();
        // Drawn as a funnel sorted small-on-top: the top layer (A, the fewest and most valuable
        // members) is the peak.
        let data: Vec<serde_json::Value> = p
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| json!({ "name": layer_letter(l.key), "value": i + 1, "key": l.key, "members": l.members,
                "label": { "formatter": format!("{}  {} · {}", layer_letter(l.key), thousands(l.members as i64), percent(l.revenue_share)) } }))
            .collect();
        json!({
            "tooltip": { "formatter": "{b}" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "series": [{ "type": "funnel", "name": t_string!(i18n, layer).to_string(), "sort": "ascending", "gap": 2, "top": 40, "bottom": 10,
                "left": "10%", "width": "80%", "minSize": "15%", "label": { "show": true, "position": "inside" }, "data": data }]
        })
        .into()
    });
    let layer_rows = Signal::derive(move || {
        pyr.get().layers.iter().map(|l| vec![layer_letter(l.key).to_string(), thousands(l.members as i64), yuan(l.revenue_cents), percent(l.revenue_share), yuan(l.min_value_cents)]).collect::<Vec<_>>()
    });
    let open_layer = Callback::new(move |c: ChartClick| {
        if let Some(key) = c.data.get("key").and_then(|k| k.as_str()).and_then(parse_key::<LayerKey>) {
            state.show_members(MemberFilter::Layer(key), layer_name(i18n, key));
        }
    });

    let pareto_chart = Signal::derive(move || {
        let p = pyr.get();
        let pts: Vec<serde_json::Value> = p.pareto.iter().map(|(x, y)| json!([(x * 1000.0).round() / 10.0, (y * 1000.0).round() / 10.0])).collect();
        json!({
            "tooltip": { "trigger": "axis" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": { "type": "value", "max": 100, "axisLabel": { "formatter": "{value}%" } },
            "yAxis": { "type": "value", "max": 100, "axisLabel": { "formatter": "{value}%" } },
            "series": [
                { "type": "line", "name": t_string!(i18n, revenue_share).to_string(), "data": pts, "showSymbol": false, "areaStyle": { "opacity": 0.15 },
                  "markLine": { "silent": true, "symbol": "none", "lineStyle": { "type": "dashed" }, "data": [{ "xAxis": 20 }] } },
                { "type": "line", "name": t_string!(i18n, equal_line).to_string(), "data": [[0, 0], [100, 100]], "showSymbol": false, "lineStyle": { "type": "dotted", "width": 1 } }
            ]
        })
        .into()
    });
    let pareto_rows = Signal::derive(move || pyr.get().pareto.iter().map(|(x, y)| vec![percent(*x), percent(*y)]).collect::<Vec<_>>());

    let quad_chart = Signal::derive(move || {
        let q = quad.get();
        let pts: Vec<serde_json::Value> = q.points.iter().map(|(f, m)| json!([f, (*m as f64 / 100.0).round()])).collect();
        json!({
            "tooltip": { "trigger": "item" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 8, "right": 24, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": { "type": "log", "name": t_string!(i18n, visits).to_string(), "nameLocation": "middle", "nameGap": 24, "min": 1 },
            "yAxis": { "type": "log", "name": t_string!(i18n, spend).to_string() + " ¥", "min": 1 },
            "series": [{ "type": "scatter", "name": t_string!(i18n, spend).to_string(), "symbolSize": 5, "data": pts, "itemStyle": { "opacity": 0.55 },
                "markLine": { "silent": true, "symbol": "none", "lineStyle": { "type": "dashed" },
                    "data": [{ "xAxis": q.frequency_cut.max(1.0) }, { "yAxis": (q.spend_cut_cents as f64 / 100.0).max(1.0) }] } }]
        })
        .into()
    });
    let quad_rows = Signal::derive(move || {
        quad.get().quadrants.iter().map(|s| vec![quadrant_name(i18n, s.key), thousands(s.members as i64), yuan(s.revenue_cents)]).collect::<Vec<_>>()
    });
    let open_point = Callback::new(move |c: ChartClick| {
        let q = quad.get_untracked();
        let f = c.data.get(0).and_then(|v| v.as_f64()).unwrap_or(0.0);
        let m = c.data.get(1).and_then(|v| v.as_f64()).unwrap_or(0.0) * 100.0;
        let key = Quadrant::of(f > q.frequency_cut, m > q.spend_cut_cents as f64);
        state.show_members(MemberFilter::Quadrant(key), quadrant_name(i18n, key));
    });
    let basis = move || match state.settings.get().pyramid_basis {
        PyramidBasis::Spend12m => t_string!(i18n, basis_spend_12m).to_string(),
        PyramidBasis::LifetimeSpend => t_string!(i18n, basis_lifetime).to_string(),
    };
    let head = |keys: Vec<&'static str>| Signal::derive(move || keys.iter().map(|k| k.to_string()).collect::<Vec<_>>());
    view! {
        <section class="page pyramid-page">
            <p class="note">{t!(i18n, click_hint)}</p>
            <div class="grid-2">
                <ChartCard title=Signal::derive(move || { let b = basis(); format!("{} · {}", t_string!(i18n, nav_pyramid), b) }) option=pyramid_chart
                    head=head(vec!["layer", "members", "revenue", "revenue share", "from"]) rows=layer_rows on_click=open_layer testid="pyramid-chart">
                    <div class="table-wrap">
                        <table class="layers" data-testid="layers-table">
                            <thead><tr><th>{t!(i18n, layer)}</th><th class="num">{t!(i18n, col_members)}</th><th class="num">{t!(i18n, col_revenue)}</th><th class="num">{t!(i18n, col_revenue_share)}</th></tr></thead>
                            <tbody>{move || pyr.get().layers.into_iter().map(|l| { let k = l.key; view! {
                                <tr><td><button class="link" data-testid=format!("open-layer-{}", layer_letter(k)) on:click=move |_| state.show_members(MemberFilter::Layer(k), layer_name(i18n, k))>{layer_letter(k)}</button></td>
                                <td class="num">{thousands(l.members as i64)}</td><td class="num">{yuan(l.revenue_cents)}</td><td class="num">{percent(l.revenue_share)}</td></tr>
                            } }).collect_view()}</tbody>
                        </table>
                    </div>
                </ChartCard>
                <ChartCard title=Signal::derive(move || t_string!(i18n, pareto_title).to_string()) option=pareto_chart
                    head=head(vec!["members", "revenue"]) rows=pareto_rows testid="pareto-chart">
                    <p class="note" data-testid="pareto-summary">{t!(i18n, pareto_summary, share = move || percent(pyr.get().top20_share), gini = move || format!("{:.2}", pyr.get().gini))}</p>
                </ChartCard>
            </div>
            <ChartCard title=Signal::derive(move || t_string!(i18n, quadrant_title_short).to_string()) option=quad_chart
                head=head(vec!["quadrant", "members", "spend"]) rows=quad_rows on_click=open_point testid="quadrant-chart">
                <p class="note">{t!(i18n, quadrant_title, days = move || quad.get().period_days)}</p>
                <p class="note">{t!(i18n, quadrant_cuts, f = move || format!("{:.1}", quad.get().frequency_cut), m = move || yuan(quad.get().spend_cut_cents))}</p>
                <div class="quadrants" data-testid="quadrants">
                    {move || quad.get().quadrants.into_iter().map(|s| { let k = s.key; view! {
                        <button class="quadrant" data-testid=format!("open-quadrant-{}", k.key()) on:click=move |_| state.show_members(MemberFilter::Quadrant(k), quadrant_name(i18n, k))>
                            <strong>{move || quadrant_name(i18n, k)}</strong>
                            <span>{move || quadrant_rule(i18n, k)}</span>
                            <span class="big" data-members=s.members>{thousands(s.members as i64)}</span>
                            <span class="muted">{yuan(s.revenue_cents)}</span>
                        </button>
                    } }).collect_view()}
                </div>
            </ChartCard>
            <div class="card">
                <h2>{t!(i18n, tiers_title)}</h2>
                <Show when=move || !tiers.get().is_empty() fallback=move || view! { <p class="note">{t!(i18n, no_tiers)}</p> }>
                    <div class="table-wrap">
                        <table data-testid="tiers-table">
                            <thead><tr><th>{t!(i18n, col_tier)}</th><th class="num">{t!(i18n, col_members)}</th><th class="num">{t!(i18n, col_mean_12m)}</th>
                                <th class="num">{t!(i18n, col_bar)}</th><th class="num">{t!(i18n, col_upgrade)}</th><th class="num">{t!(i18n, col_downgrade)}</th></tr></thead>
                            <tbody>{move || tiers.get().into_iter().map(|t| view! {
                                <tr><td>{t.tier.clone()}</td><td class="num">{thousands(t.members as i64)}</td><td class="num">{yuan(t.mean_spend_12m_cents.round() as i64)}</td>
                                <td class="num">{
                                    let tier = t.tier.clone();
                                    view! { <input class="bar-input" type="number" step="100" data-tier=t.tier.clone() aria-label=t.tier.clone()
                                        prop:value=(t.bar_cents as f64 / 100.0).round().to_string()
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev);
                                            let y = if v.trim().is_empty() { None } else { v.trim().parse::<f64>().ok() };
                                            super::settings_panel::set_tier_bar(state, &tier, y);
                                        } /> }
                                }</td><td class="num">{thousands(t.upgrade_candidates as i64)}</td><td class="num">{thousands(t.downgrade_candidates as i64)}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                    <p class="note">{t!(i18n, tier_bar_hint)}</p>
                    <div class="actions">
                        <button class="btn small" data-testid="open-upgrade" on:click=move |_| state.show_members(MemberFilter::TierFit(TierFit::Upgrade), tier_fit_name(i18n, TierFit::Upgrade))>{t!(i18n, col_upgrade)}</button>
                        <button class="btn small" on:click=move |_| state.show_members(MemberFilter::TierFit(TierFit::Downgrade), tier_fit_name(i18n, TierFit::Downgrade))>{t!(i18n, col_downgrade)}</button>
                    </div>
                </Show>
            </div>
        </section>
    }
}
