//! One member in a dialog: who they are, what they bought, their segments, and what the models
//! expect of them, with P(alive) over their history. Escape or the close button shuts it.

use leptos::prelude::*;

use super::chart::EChart;
use super::labels::{group_name, layer_name, life_name, rfm_name, risk_name};
use super::state::use_state;
use crate::charts::member::{p_alive_history, MemberLabels};
use crate::engine::dates::format_day;
use crate::engine::members::MemberDetail;
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

/// A label (said again when the language changes) and its value.
fn fact(label: impl Fn() -> String + Send + Sync + 'static, value: impl IntoView + 'static) -> impl IntoView {
    view! { <div class="fact"><span class="muted">{label}</span><strong>{value}</strong></div> }
}

/// The member's segments, state, groups and layer as chips.
#[component]
fn Chips(m: MemberDetail) -> impl IntoView {
    let i18n = use_i18n();
    // A group that only repeats the lifecycle state (silent, sleeping) is not shown twice.
    let state_key = m.lifecycle.map(|l| l.key());
    let groups: Vec<_> = m.groups.iter().copied().filter(|g| Some(g.key()) != state_key).collect();
    view! {
        <div class="chips">
            {m.rfm_segment.map(|s| view! { <span class="chip">{move || rfm_name(i18n, s)}</span> })}
            {m.lifecycle.map(|s| view! { <span class="chip">{move || life_name(i18n, s)}</span> })}
            {groups.into_iter().map(|g| view! { <span class="chip">{move || group_name(i18n, g)}</span> }).collect_view()}
            {m.layer.map(|l| view! { <span class="chip">{move || layer_name(i18n, l)}</span> })}
        </div>
    }
}

/// What the member bought, from their summary.
#[component]
fn Facts(m: MemberDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = m.summary;
    let day = |d: Option<i32>| d.map(format_day).unwrap_or_default();
    let gap = format!("{} / {}", s.mean_gap_days().map(|g| format!("{g:.0}")).unwrap_or("–".into()), s.longest_gap_days().map(|g| g.to_string()).unwrap_or("–".into()));
    view! {
        <div class="facts">
            {fact(move || t_string!(i18n, detail_join).to_string(), m.join_date.unwrap_or_default())}
            {fact(move || t_string!(i18n, detail_first).to_string(), day(s.first_day()))}
            {fact(move || t_string!(i18n, detail_last).to_string(), day(s.last_day()))}
            {fact(move || t_string!(i18n, detail_visits).to_string(), thousands(s.purchase_days as i64))}
            {fact(move || t_string!(i18n, detail_net).to_string(), yuan(s.net_cents))}
            {fact(move || t_string!(i18n, detail_ticket).to_string(), yuan(s.avg_ticket_cents()))}
            {fact(move || t_string!(i18n, detail_12m).to_string(), yuan(s.spend_12m_cents))}
            {fact(move || t_string!(i18n, detail_gap).to_string(), gap)}
            {fact(move || t_string!(i18n, detail_promo).to_string(), percent(s.promo_share()))}
        </div>
    }
}

/// What the models expect of the member, or why there is nothing.
#[component]
fn Expectations(m: MemberDetail) -> impl IntoView {
    let i18n = use_i18n();
    let days = use_state().settings.get_untracked().risk_days;
    let Some(p) = m.p_alive else {
        return view! { <p class="note">{t!(i18n, detail_no_prediction)}</p> }.into_any();
    };
    view! {
        <div class="facts predictions-facts" data-testid="detail-predictions">
            {fact(move || t_string!(i18n, detail_p_alive).to_string(), percent(p))}
            {fact(move || t_string!(i18n, col_risk).to_string(), { let risk = m.risk; move || risk.map(|r| risk_name(i18n, r)).unwrap_or_default() })}
            <div class="fact"><span class="muted">{t!(i18n, detail_expected, days = move || days)}</span><strong>{m.expected_purchases.map(|e| format!("{e:.2}")).unwrap_or_default()}</strong></div>
            {fact(move || t_string!(i18n, detail_next_visit).to_string(), m.next_visit.unwrap_or("–".into()))}
            {fact(move || t_string!(i18n, detail_value).to_string(), m.value_12m_cents.map(yuan).unwrap_or("–".into()))}
        </div>
    }
    .into_any()
}

#[component]
pub fn MemberDetailDialog() -> impl IntoView {
    let i18n = use_i18n();
    let d = use_state().member_detail;
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            d.set(None);
        }
    });
    let chart = Signal::derive(move || {
        let labels = MemberLabels { p_alive: t_string!(i18n, detail_p_alive).to_string(), purchases: t_string!(i18n, purchases).to_string() };
        d.with(|m| m.as_ref().map(|m| p_alive_history(m, &labels)).unwrap_or_default())
    });
    view! {
        <Show when=move || d.with(Option::is_some)>
            <div class="dialog-backdrop" on:click=move |_| d.set(None)></div>
            <div class="dialog card" role="dialog" aria-modal="true" data-testid="member-detail">
                {move || d.get().map(|m| view! {
                    <div class="member-list-head">
                        <h2>{m.name.clone()}" · "{m.id.clone()}</h2>
                        <button class="btn small" data-testid="close-detail" on:click=move |_| d.set(None)>{t!(i18n, close)}</button>
                    </div>
                    <p class="muted">{m.phone_masked.clone()}" · "{m.tier.clone()}" · "{m.store.clone()}</p>
                    <Chips m=m.clone() />
                    <Facts m=m.clone() />
                    <Expectations m=m />
                })}
                <Show when=move || d.with(|m| m.as_ref().is_some_and(|m| !m.p_alive_history.is_empty()))>
                    <h3>{t!(i18n, detail_history)}</h3>
                    <EChart option=chart label=Signal::derive(move || t_string!(i18n, detail_history).to_string()) />
                    <p class="note">{t!(i18n, detail_how)}</p>
                </Show>
            </div>
        </Show>
    }
}
