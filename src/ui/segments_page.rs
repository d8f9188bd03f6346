//! The Segments page: the RFM heat map and treemap, the segment tables (with each rule in words
//! and a suggested action), the Chinese 8-class RFM, the value groups, and the thresholds.

use leptos::prelude::*;
use serde_json::json;

use super::chart::ChartClick;
use super::chart_card::ChartCard;
use super::labels::{cn_name, cn_rule, group_name, rfm_action, rfm_name, rfm_rule};
use super::settings_panel::SettingsPanel;
use super::state::use_state;
use crate::engine::members::MemberFilter;
use crate::engine::segments::{RfmSegment, SegmentStat, ValueGroup};
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

fn yuan_value(cents: f64) -> f64 {
    (cents / 100.0).round()
}

/// A segment table whose rows open the member list.
#[component]
fn SegmentTable<K>(
    #[prop(into)] stats: Signal<Vec<SegmentStat<K>>>,
    name: fn(super::labels::I18n, K) -> String,
    rule: fn(super::labels::I18n, K) -> String,
    action: Option<fn(super::labels::I18n, K) -> String>,
    filter: fn(K) -> MemberFilter,
    testid: &'static str,
) -> impl IntoView
where
    K: Copy + serde::Serialize + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <div class="table-wrap">
            <table class="segments" data-testid=testid>
                <thead><tr>
                    <th>{t!(i18n, col_segment)}</th><th class="num">{t!(i18n, col_members)}</th><th class="num">{t!(i18n, col_share)}</th>
                    <th class="num">{t!(i18n, col_revenue)}</th><th class="num">{t!(i18n, col_mean_r)}</th><th class="num">{t!(i18n, col_mean_f)}</th>
                    <th class="num">{t!(i18n, col_mean_m)}</th><th>{t!(i18n, col_rule)}</th>
                    {action.is_some().then(|| view! { <th>{t!(i18n, col_action)}</th> })}
                </tr></thead>
                <tbody>
                    {move || stats.get().into_iter().map(|s| {
                        let k = s.key;
                        let key = crate::charts::key_of(&k);
                        view! {
                            <tr data-key=key.clone()>
                                <td><button class="link" data-testid=format!("open-{key}")
                                    on:click=move |_| state.show_members(filter(k), name(i18n, k))>
                                    {move || name(i18n, k)}</button></td>
                                <td class="num" data-members=s.members>{thousands(s.members as i64)}</td>
                                <td class="num">{percent(s.share)}</td>
                                <td class="num">{yuan(s.revenue_cents)}</td>
                                <td class="num">{format!("{:.0}", s.mean_recency_days)}</td>
                                <td class="num">{format!("{:.1}", s.mean_frequency)}</td>
                                <td class="num">{yuan(s.mean_monetary_cents.round() as i64)}</td>
                                <td class="rule">{move || rule(i18n, k)}</td>
                                {action.map(|a| view! { <td class="rule">{move || a(i18n, k)}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let seg = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.segments.clone()).unwrap_or_default()));
    let settings = move || state.settings.get();

    let heat = Signal::derive(move || {
        let s = seg.get();
        let data: Vec<serde_json::Value> = s.rfm_grid.iter().map(|c| json!([c.f - 1, c.r - 1, yuan_value(c.mean_monetary_cents), c.members])).collect();
        let max = s.rfm_grid.iter().map(|c| yuan_value(c.mean_monetary_cents)).fold(1.0, f64::max);
        json!({
            "tooltip": { "position": "top" },
            "toolbox": { "right": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 48, "right": 90, "top": 32, "bottom": 48 },
            "xAxis": { "type": "category", "data": ["1","2","3","4","5"], "name": t_string!(i18n, frequency_score).to_string(), "nameLocation": "middle", "nameGap": 26 },
            "yAxis": { "type": "category", "data": ["1","2","3","4","5"], "name": t_string!(i18n, recency_score).to_string() },
            "visualMap": { "min": 0, "max": max, "dimension": 2, "calculable": true, "orient": "vertical", "right": 0, "top": "middle", "itemHeight": 140 },
            "series": [{ "type": "heatmap", "name": t_string!(i18n, col_mean_m).to_string(), "data": data, "label": { "show": true },
                "emphasis": { "itemStyle": { "shadowBlur": 8 } } }]
        })
        .into()
    });
    let heat_rows = Signal::derive(move || {
        seg.get().rfm_grid.iter().map(|c| vec![c.r.to_string(), c.f.to_string(), thousands(c.members as i64), yuan(c.mean_monetary_cents.round() as i64)]).collect::<Vec<_>>()
    });

    let treemap = Signal::derive(move || {
        let data: Vec<serde_json::Value> = seg
            .get()
            .rfm
            .iter()
            .filter(|s| s.members > 0)
            .map(|s| json!({ "name": rfm_name(i18n, s.key), "value": s.members, "key": s.key }))
            .collect();
        json!({
            "tooltip": {},
            "toolbox": { "right": 0, "feature": { "saveAsImage": {} } },
            "series": [{ "type": "treemap", "name": t_string!(i18n, rfm_treemap).to_string(), "roam": false, "nodeClick": false,
                "breadcrumb": { "show": false }, "top": 30, "left": 0, "right": 0, "bottom": 0, "data": data,
                "label": { "show": true, "formatter": "{b}\n{c}" } }]
        })
        .into()
    });
    let seg_rows = Signal::derive(move || {
        seg.get().rfm.iter().map(|s| vec![rfm_name(i18n, s.key), thousands(s.members as i64), percent(s.share), yuan(s.revenue_cents)]).collect::<Vec<_>>()
    });
    let open_rfm = Callback::new(move |c: ChartClick| {
        if let Some(key) = c.data.get("key").and_then(|k| k.as_str()).and_then(RfmSegment::from_key) {
            state.show_members(MemberFilter::Rfm(key), rfm_name(i18n, key));
        }
    });

    let groups_chart = Signal::derive(move || {
        let g = seg.get().groups;
        let names: Vec<String> = g.iter().map(|s| group_name(i18n, s.key)).collect();
        let values: Vec<serde_json::Value> = g.iter().map(|s| json!({ "value": s.members, "key": s.key })).collect();
        json!({
            "tooltip": { "trigger": "axis" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 8, "right": 40, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": { "type": "value" },
            "yAxis": { "type": "category", "data": names, "inverse": true },
            "series": [{ "type": "bar", "name": t_string!(i18n, col_members).to_string(), "data": values, "label": { "show": true, "position": "right" } }]
        })
        .into()
    });
    let group_rows = Signal::derive(move || {
        seg.get().groups.iter().map(|s| vec![group_name(i18n, s.key), thousands(s.members as i64), percent(s.share), yuan(s.revenue_12m_cents)]).collect::<Vec<_>>()
    });
    let open_group = Callback::new(move |c: ChartClick| {
        if let Some(key) = c.data.get("key").and_then(|k| k.as_str()).and_then(ValueGroup::from_key) {
            state.show_members(MemberFilter::Group(key), group_name(i18n, key));
        }
    });

    let head = |keys: Vec<String>| Signal::derive(move || keys.clone());
    let th = move || seg.get().thresholds;
    view! {
        <section class="page segments-page">
            <p class="note">{t!(i18n, click_hint)}</p>
            <div class="grid-2">
                <ChartCard title=Signal::derive(move || t_string!(i18n, rfm_heatmap).to_string()) option=heat
                    head=head(vec!["R".into(), "F".into(), "members".into(), "mean spend".into()]) rows=heat_rows testid="rfm-heatmap" />
                <ChartCard title=Signal::derive(move || t_string!(i18n, rfm_treemap).to_string()) option=treemap
                    head=head(vec!["segment".into(), "members".into(), "share".into(), "revenue".into()]) rows=seg_rows on_click=open_rfm testid="rfm-treemap" />
            </div>
            <div class="card">
                <h2>{t!(i18n, rfm_table)}</h2>
                <SegmentTable stats=Signal::derive(move || seg.get().rfm) name=rfm_name rule=rfm_rule action=Some(rfm_action)
                    filter=MemberFilter::Rfm testid="rfm-table" />
            </div>
            <div class="card">
                <h2>{t!(i18n, cn_rfm_title)}</h2>
                <p class="note">{move || format!("R: {:.0} · F: {:.1} · M: {}", th().mean_recency_days, th().mean_frequency, yuan(th().mean_monetary_cents.round() as i64))}</p>
                <SegmentTable stats=Signal::derive(move || seg.get().cn_rfm) name=cn_name rule=cn_rule action=None
                    filter=MemberFilter::CnRfm testid="cn-rfm-table" />
            </div>
            <ChartCard title=Signal::derive(move || t_string!(i18n, groups_title).to_string()) option=groups_chart
                head=head(vec!["group".into(), "members".into(), "share".into(), "12-month spend".into()]) rows=group_rows on_click=open_group testid="groups-chart">
                <ul class="rules" data-testid="group-rules">
                    <li><strong>{t!(i18n, group_high_spend)}</strong>": "{t!(i18n, group_high_spend_rule, value = move || yuan(th().high_spend_min_cents), share = move || percent(settings().high_spend_share))}</li>
                    <li><strong>{t!(i18n, group_high_ticket)}</strong>": "{t!(i18n, group_high_ticket_rule, multiple = move || settings().high_ticket_multiple, value = move || yuan(th().store_avg_ticket_cents))}</li>
                    <li><strong>{t!(i18n, group_loyal)}</strong>": "{t!(i18n, group_loyal_rule, value = move || yuan(th().loyal_spend_min_cents), share = move || percent(settings().loyal_spend_share), days = move || settings().loyal_max_gap_days)}</li>
                    <li><strong>{t!(i18n, group_bargain_regular)}</strong>": "{t!(i18n, group_bargain_regular_rule, value = move || yuan(th().bargain_regular_min_promo_cents), share = move || percent(settings().bargain_regular_share))}</li>
                    <li><strong>{t!(i18n, group_bargain_drifter)}</strong>": "{t!(i18n, group_bargain_drifter_rule, value = move || yuan(th().bargain_drifter_max_spend_cents), share = move || percent(settings().bargain_drifter_share))}</li>
                    <li><strong>{t!(i18n, group_silent)}</strong>": "{t!(i18n, group_silent_rule, share = move || percent(settings().silent_ratio))}</li>
                    <li><strong>{t!(i18n, group_sleeping)}</strong>": "{t!(i18n, group_sleeping_rule, days = move || settings().sleeping_days)}</li>
                </ul>
            </ChartCard>
            <SettingsPanel />
        </section>
    }
}
