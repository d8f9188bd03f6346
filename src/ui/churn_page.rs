//! The Churn page: lifecycle states, members turning sleeping each month, cohort retention, the
//! first-year visits vs renewal chart, and renewal around membership expiry.

use leptos::prelude::*;
use serde_json::json;

use super::chart::ChartClick;
use super::chart_card::ChartCard;
use super::labels::life_name;
use super::state::use_state;
use crate::engine::members::MemberFilter;
use crate::engine::segments::Lifecycle;
use crate::format::{percent, thousands};
use crate::i18n::*;

#[component]
pub fn ChurnPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let churn = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.churn.clone()).unwrap_or_default()));
    let life = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.segments.lifecycle.clone()).unwrap_or_default()));
    let head = |keys: Vec<&'static str>| Signal::derive(move || keys.iter().map(|k| k.to_string()).collect::<Vec<_>>());

    let life_chart = Signal::derive(move || {
        let l = life.get();
        // A funnel in the order members move through (new → … → lost); never-bought apart.
        let data: Vec<serde_json::Value> = l
            .iter()
            .filter(|s| s.key != Lifecycle::NeverBought)
            .map(|s| json!({ "name": life_name(i18n, s.key), "value": s.members, "key": s.key }))
            .collect();
        json!({
            "tooltip": { "trigger": "item", "formatter": "{b}: {c}" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "series": [{ "type": "funnel", "name": t_string!(i18n, lifecycle_title).to_string(), "sort": "none", "top": 56, "bottom": 8,
                "left": "10%", "width": "80%", "minSize": "8%", "gap": 2, "label": { "show": true, "position": "inside", "formatter": "{b} {c}" }, "data": data }]
        })
        .into()
    });
    let life_rows = Signal::derive(move || life.get().iter().map(|s| vec![life_name(i18n, s.key), thousands(s.members as i64), percent(s.share)]).collect::<Vec<_>>());
    let open_state = Callback::new(move |c: ChartClick| {
        if let Some(key) = c.data.get("key").and_then(|k| k.as_str()).and_then(Lifecycle::from_key) {
            state.show_members(MemberFilter::Lifecycle(key), life_name(i18n, key));
        }
    });

    let months_chart = Signal::derive(move || {
        let c = churn.get();
        let months: Vec<&str> = c.months.iter().map(|m| m.month.as_str()).collect();
        json!({
            "tooltip": { "trigger": "axis" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 4, "right": 4, "top": 40, "bottom": 4, "containLabel": true },
            "xAxis": { "type": "category", "data": months },
            "yAxis": [{ "type": "value" }, { "type": "value", "axisLabel": { "formatter": "{value}%" } }],
            "series": [
                { "type": "bar", "name": t_string!(i18n, turned_sleeping).to_string(), "data": c.months.iter().map(|m| m.turned_sleeping).collect::<Vec<_>>() },
                { "type": "line", "name": t_string!(i18n, active_at_start).to_string(), "data": c.months.iter().map(|m| m.active_at_start).collect::<Vec<_>>(), "showSymbol": false },
                { "type": "line", "name": t_string!(i18n, churn_rate).to_string(), "yAxisIndex": 1, "showSymbol": false,
                  "data": c.months.iter().map(|m| (m.churn_rate * 1000.0).round() / 10.0).collect::<Vec<_>>() }
            ]
        })
        .into()
    });
    let months_rows = Signal::derive(move || {
        churn.get().months.iter().map(|m| vec![m.month.clone(), thousands(m.active_at_start as i64), thousands(m.turned_sleeping as i64), percent(m.churn_rate)]).collect::<Vec<_>>()
    });

    let cohort_chart = Signal::derive(move || {
        let c = churn.get();
        let months: Vec<&str> = c.cohorts.iter().map(|k| k.month.as_str()).collect();
        let max_off = c.cohorts.iter().map(|k| k.retention.len()).max().unwrap_or(0);
        let mut data = Vec::new();
        for (y, k) in c.cohorts.iter().enumerate() {
            // Month 0 is 100% by definition: left out, so the colours show the months after.
            for (x, r) in k.retention.iter().enumerate().skip(1) {
                data.push(json!([x, y, (r * 1000.0).round() / 10.0]));
            }
        }
        json!({
            "tooltip": { "position": "top" },
            "toolbox": { "right": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 64, "right": 90, "top": 32, "bottom": 48 },
            "xAxis": { "type": "category", "data": (0..max_off).map(|i| i.to_string()).collect::<Vec<_>>(), "name": t_string!(i18n, month_offset).to_string(), "nameLocation": "middle", "nameGap": 26 },
            "yAxis": { "type": "category", "data": months, "inverse": true },
            "visualMap": { "min": 0, "max": 50, "dimension": 2, "calculable": true, "orient": "vertical", "right": 0, "top": "middle", "itemHeight": 160, "formatter": "{value}%" },
            "series": [{ "type": "heatmap", "name": t_string!(i18n, cohort_title).to_string(), "data": data }]
        })
        .into()
    });
    let cohort_rows = Signal::derive(move || {
        churn.get().cohorts.iter().map(|k| {
            let mut row = vec![k.month.clone(), thousands(k.members as i64)];
            row.extend(k.retention.iter().take(13).map(|r| percent(*r)));
            row
        }).collect::<Vec<_>>()
    });
    let open_cell = Callback::new(move |c: ChartClick| {
        let ch = churn.get_untracked();
        let x = c.data.get(0).and_then(|v| v.as_u64()).unwrap_or(0) as u16;
        let y = c.data.get(1).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
        if let Some(k) = ch.cohorts.get(y) {
            let label = format!("{} +{}", k.month, x);
            state.show_members(MemberFilter::Cohort(k.month.clone(), x), label);
        }
    });

    let second_chart = Signal::derive(move || {
        let c = churn.get();
        json!({
            "tooltip": { "trigger": "axis" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": { "type": "category", "data": c.second_year.iter().map(|b| b.visits.clone()).collect::<Vec<_>>(), "name": t_string!(i18n, first_year_visits).to_string(), "nameLocation": "middle", "nameGap": 26 },
            "yAxis": { "type": "value", "max": 100, "axisLabel": { "formatter": "{value}%" } },
            "series": [{ "type": "bar", "name": t_string!(i18n, renewal_rate).to_string(), "label": { "show": true, "position": "top", "formatter": "{c}%" },
                "data": c.second_year.iter().map(|b| (b.rate * 1000.0).round() / 10.0).collect::<Vec<_>>() }]
        })
        .into()
    });
    let second_rows = Signal::derive(move || {
        churn.get().second_year.iter().map(|b| vec![b.visits.clone(), thousands(b.members as i64), thousands(b.renewed as i64), percent(b.rate)]).collect::<Vec<_>>()
    });

    let expiry_chart = Signal::derive(move || {
        let e = churn.get().expiry.unwrap_or_default();
        json!({
            "tooltip": { "trigger": "axis" },
            "legend": { "left": 0, "top": 0 },
            "toolbox": { "right": 0, "top": 0, "feature": { "saveAsImage": {} } },
            "grid": { "left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": true },
            "xAxis": { "type": "category", "data": (-6..=6).map(|i: i32| i.to_string()).collect::<Vec<_>>(), "name": t_string!(i18n, months_from_expiry).to_string(), "nameLocation": "middle", "nameGap": 26 },
            "yAxis": { "type": "value", "axisLabel": { "formatter": "{value}%" } },
            "series": [{ "type": "line", "name": t_string!(i18n, active_share).to_string(), "markLine": { "symbol": "none", "data": [{ "xAxis": "0" }] },
                "data": e.active_by_month.iter().map(|v| (v * 1000.0).round() / 10.0).collect::<Vec<_>>() }]
        })
        .into()
    });
    let expiry_rows = Signal::derive(move || {
        churn.get().expiry.map(|e| e.active_by_month.iter().enumerate().map(|(i, v)| vec![(i as i32 - 6).to_string(), percent(*v)]).collect::<Vec<_>>()).unwrap_or_default()
    });
    let has_expiry = move || churn.with(|c| c.expiry.as_ref().is_some_and(|e| e.expired > 0));
    view! {
        <section class="page churn-page">
            <p class="note">{t!(i18n, click_hint)}</p>
            <super::predictions::PredictionsSection />
            <div class="grid-2">
                <ChartCard title=Signal::derive(move || t_string!(i18n, lifecycle_title).to_string()) option=life_chart
                    head=head(vec!["state", "members", "share"]) rows=life_rows on_click=open_state testid="lifecycle-chart">
                    <div class="chips">
                        {move || life.get().into_iter().map(|s| { let k = s.key; view! {
                            <button class="chip" data-testid=format!("open-life-{}", k.key()) data-members=s.members
                                on:click=move |_| state.show_members(MemberFilter::Lifecycle(k), life_name(i18n, k))>
                                {move || life_name(i18n, k)}" "{thousands(s.members as i64)}</button>
                        } }).collect_view()}
                    </div>
                </ChartCard>
                <ChartCard title=Signal::derive(move || t_string!(i18n, second_year_title).to_string()) option=second_chart
                    head=head(vec!["first-year visits", "members", "came back", "rate"]) rows=second_rows testid="second-year-chart">
                    <p class="note">{t!(i18n, second_year_note)}</p>
                </ChartCard>
            </div>
            <ChartCard title=Signal::derive(move || t_string!(i18n, churn_months_title).to_string()) option=months_chart
                head=head(vec!["month", "active at start", "turned sleeping", "churn rate"]) rows=months_rows testid="churn-months-chart" />
            <ChartCard title=Signal::derive(move || t_string!(i18n, cohort_title).to_string()) option=cohort_chart
                head=head(vec!["cohort", "members", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12"])
                rows=cohort_rows on_click=open_cell testid="cohort-chart" tall=true />
            <Show when=has_expiry fallback=move || view! { <div class="card"><h2>{t!(i18n, expiry_title)}</h2><p class="note">{t!(i18n, expiry_none)}</p></div> }>
                <ChartCard title=Signal::derive(move || t_string!(i18n, expiry_title).to_string()) option=expiry_chart
                    head=head(vec!["months from expiry", "share buying"]) rows=expiry_rows testid="expiry-chart">
                    {move || churn.get().expiry.map(|e| view! {
                        <p class="note">{t!(i18n, expiry_summary, stayed = move || thousands(e.stayed as i64), expired = move || thousands(e.expired as i64), rate = move || percent(e.stay_rate))}</p>
                    })}
                </ChartCard>
            </Show>
            <super::settings_panel::SettingsPanel />
        </section>
    }
}
