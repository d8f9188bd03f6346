//! The Segments page: the RFM heat map and treemap, the segment tables (with each rule in words
//! and a suggested action), the Chinese 8-class RFM, the value groups, and the thresholds.

use leptos::prelude::*;

use super::chart::ChartClick;
use super::chart_card::ChartCard;
use super::labels::{cn_name, cn_rule, group_name, rfm_action, rfm_name, rfm_rule, I18n};
use super::settings_panel::SettingsPanel;
use super::state::use_state;
use crate::charts::segments::{groups_bar, groups_table, heat_cell_at, rfm_heat, rfm_heat_table, rfm_heat_table_clicks, rfm_table, rfm_treemap, SegmentLabels};
use crate::charts::{clicked_key, fill, key_of};
use crate::engine::members::{Condition, MemberFilter};
use crate::engine::segments::{RfmSegment, SegmentStat, Segments, ValueGroup};
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

fn labels(i18n: I18n) -> SegmentLabels {
    SegmentLabels {
        recency_score: t_string!(i18n, recency_score).to_string(),
        frequency_score: t_string!(i18n, frequency_score).to_string(),
        r_score: t_string!(i18n, col_r_score).to_string(),
        f_score: t_string!(i18n, col_f_score).to_string(),
        segment: t_string!(i18n, col_segment).to_string(),
        segments: t_string!(i18n, rfm_treemap).to_string(),
        group: t_string!(i18n, col_group).to_string(),
        members: t_string!(i18n, col_members).to_string(),
        share: t_string!(i18n, col_share).to_string(),
        revenue: t_string!(i18n, col_revenue).to_string(),
        spend_12m: t_string!(i18n, col_spend_12m).to_string(),
        mean_spend: t_string!(i18n, col_mean_m).to_string(),
    }
}

/// The members of one cell of the RFM heat map: recency score `r` and frequency score `f`.
fn rf_cell_filter(r: u8, f: u8) -> MemberFilter {
    MemberFilter { all: vec![Condition::RScore { any: vec![r] }, Condition::FScore { any: vec![f] }], search: String::new() }
}

/// A segment table whose rows open the member list.
#[component]
fn SegmentTable<K>(
    #[prop(into)] stats: Signal<Vec<SegmentStat<K>>>,
    name: fn(I18n, K) -> String,
    rule: fn(I18n, K) -> String,
    action: Option<fn(I18n, K) -> String>,
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
                        let key = key_of(&k);
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
                                // Clamped on a phone (segments.css) so rows keep like heights; the
                                // whole text stays in the cell for screen readers and its title.
                                <td class="rule" title=move || rule(i18n, k)><span class="clamp">{move || rule(i18n, k)}</span></td>
                                {action.map(|a| view! { <td class="rule" title=move || a(i18n, k)><span class="clamp">{move || a(i18n, k)}</span></td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The heat map and the treemap of the RFM segments, side by side.
#[component]
fn RfmCharts(seg: Memo<Segments>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let name = move |k| rfm_name(i18n, k);
    let open = Callback::new(move |c: ChartClick| {
        if let Some(k) = clicked_key::<RfmSegment>(&c.data) {
            state.show_members(MemberFilter::rfm(k), rfm_name(i18n, k));
        }
    });
    // A heat-map cell lists the members with its R and F scores.
    let open_cell = Callback::new(move |c: ChartClick| {
        if let Some((r, f)) = heat_cell_at(&c.data) {
            let label = fill(t_string!(i18n, heat_cell_origin), &[("r", &r.to_string()), ("f", &f.to_string())]);
            state.show_members(rf_cell_filter(r, f), label);
        }
    });
    view! {
        <div class="grid-2">
            <ChartCard title=Signal::derive(move || t_string!(i18n, rfm_heatmap).to_string())
                option=Signal::derive(move || seg.with(|s| rfm_heat(s, &labels(i18n))))
                table=Signal::derive(move || seg.with(|s| rfm_heat_table(s, &labels(i18n)))) on_click=open_cell
                cell_clicks=Signal::derive(move || seg.with(rfm_heat_table_clicks)) testid="rfm-heatmap">
                <p class="note screen-only">{t!(i18n, heat_click_hint)}</p>
            </ChartCard>
            <ChartCard title=Signal::derive(move || t_string!(i18n, rfm_treemap).to_string())
                option=Signal::derive(move || seg.with(|s| rfm_treemap(s, &labels(i18n), name)))
                table=Signal::derive(move || seg.with(|s| rfm_table(s, &labels(i18n), name))) on_click=open testid="rfm-treemap" />
        </div>
    }
}

/// The Chinese 8-class RFM with the buyers' means it cuts at.
#[component]
fn CnRfmCard(seg: Memo<Segments>) -> impl IntoView {
    let i18n = use_i18n();
    let th = move || seg.with(|s| s.thresholds.clone());
    view! {
        <div class="card">
            <h2>{t!(i18n, cn_rfm_title)}</h2>
            <p class="note">{t!(i18n, cn_rfm_means, r = move || format!("{:.0}", th().mean_recency_days),
                f = move || format!("{:.1}", th().mean_frequency), m = move || yuan(th().mean_monetary_cents.round() as i64))}</p>
            <SegmentTable stats=Signal::derive(move || seg.get().cn_rfm) name=cn_name rule=cn_rule action=None
                filter=MemberFilter::cn_rfm testid="cn-rfm-table" />
        </div>
    }
}

/// Each value group's rule with the figures it came to on this data.
#[component]
fn GroupRules(seg: Memo<Segments>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let settings = move || state.settings.get();
    let th = move || seg.with(|s| s.thresholds.clone());
    view! {
        <ul class="rules" data-testid="group-rules">
            <li><strong>{t!(i18n, group_high_spend)}</strong>": "{t!(i18n, group_high_spend_rule, value = move || yuan(th().high_spend_min_cents), share = move || percent(settings().high_spend_share))}</li>
            <li><strong>{t!(i18n, group_high_ticket)}</strong>": "{t!(i18n, group_high_ticket_rule, multiple = move || settings().high_ticket_multiple, value = move || yuan(th().store_avg_ticket_cents))}</li>
            <li><strong>{t!(i18n, group_loyal)}</strong>": "{t!(i18n, group_loyal_rule, value = move || yuan(th().loyal_spend_min_cents), share = move || percent(settings().loyal_spend_share), days = move || settings().loyal_max_gap_days)}</li>
            <li><strong>{t!(i18n, group_bargain_regular)}</strong>": "{t!(i18n, group_bargain_regular_rule, value = move || yuan(th().bargain_regular_min_promo_cents), share = move || percent(settings().bargain_regular_share))}</li>
            <li><strong>{t!(i18n, group_bargain_drifter)}</strong>": "{t!(i18n, group_bargain_drifter_rule, value = move || yuan(th().bargain_drifter_max_spend_cents), share = move || percent(settings().bargain_drifter_share))}</li>
            <li><strong>{t!(i18n, group_silent)}</strong>": "{t!(i18n, group_silent_rule, share = move || percent(settings().silent_ratio))}</li>
            <li><strong>{t!(i18n, group_sleeping)}</strong>": "{t!(i18n, group_sleeping_rule, days = move || settings().sleeping_days)}</li>
        </ul>
    }
}

#[component]
fn GroupsCard(seg: Memo<Segments>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let name = move |k| group_name(i18n, k);
    let open = Callback::new(move |c: ChartClick| {
        if let Some(k) = clicked_key::<ValueGroup>(&c.data) {
            state.show_members(MemberFilter::group(k), group_name(i18n, k));
        }
    });
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, groups_title).to_string())
            option=Signal::derive(move || seg.with(|s| groups_bar(s, &labels(i18n), name)))
            table=Signal::derive(move || seg.with(|s| groups_table(s, &labels(i18n), name))) on_click=open testid="groups-chart">
            <GroupRules seg=seg />
        </ChartCard>
    }
}

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let seg = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.segments.clone()).unwrap_or_default()));
    view! {
        <section class="page segments-page">
            <p class="note screen-only">{t!(i18n, click_hint)}</p>
            <RfmCharts seg=seg />
            <div class="card">
                <h2>{t!(i18n, rfm_table)}</h2>
                <SegmentTable stats=Signal::derive(move || seg.get().rfm) name=rfm_name rule=rfm_rule action=Some(rfm_action)
                    filter=MemberFilter::rfm testid="rfm-table" />
            </div>
            <CnRfmCard seg=seg />
            <GroupsCard seg=seg />
            <SettingsPanel />
        </section>
    }
}
