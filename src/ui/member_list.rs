//! The member list opened from a chart, table row or cell: exactly the members of that segment,
//! a page at a time, highest spend first. (The full member list with search, sort and export is
//! the Members page.)

use leptos::prelude::*;

use super::bridge;
use super::state::use_state;
use crate::format::{thousands, yuan};
use crate::i18n::*;

const PAGE: u32 = 50;

#[component]
pub fn MemberListPanel() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // Ask the worker whenever the filter, the page or the data changes.
    Effect::new(move |_| {
        let offset = state.member_offset.get();
        state.analysis.track();
        if let Some((filter, _)) = state.member_filter.get() {
            bridge::query_members(filter, offset, PAGE);
        }
    });
    let node = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if state.member_filter.with(Option::is_some) {
            if let Some(el) = node.get() {
                el.scroll_into_view();
            }
        }
    });
    let title = move || state.member_filter.with(|f| f.as_ref().map(|f| f.1.clone()).unwrap_or_default());
    let total = move || state.member_page.with(|p| p.as_ref().map_or(0, |p| p.total));
    let offset = move || state.member_offset.get();
    view! {
        <Show when=move || state.member_filter.with(Option::is_some)>
            <section class="card member-list" data-testid="member-list" node_ref=node>
                <div class="member-list-head">
                    <h2>{t!(i18n, member_list_title, label = title)}</h2>
                    <button class="btn small" on:click=move |_| state.member_filter.set(None)>{t!(i18n, close)}</button>
                </div>
                <p data-testid="member-total" data-total=move || total().to_string()>
                    {t!(i18n, member_total, n = move || thousands(total() as i64))}
                </p>
                <div class="table-wrap">
                    <table class="members">
                        <thead><tr>
                            <th>{t!(i18n, col_id)}</th><th>{t!(i18n, col_name)}</th><th>{t!(i18n, col_phone)}</th>
                            <th>{t!(i18n, col_tier)}</th><th>{t!(i18n, col_last)}</th><th class="num">{t!(i18n, col_visits)}</th>
                            <th class="num">{t!(i18n, col_spend)}</th><th class="num">{t!(i18n, col_spend_12m)}</th><th>{t!(i18n, col_rfm)}</th>
                            <th class="num">{t!(i18n, col_p_alive)}</th>
                        </tr></thead>
                        <tbody>
                            {move || state.member_page.get().map(|p| p.rows.into_iter().map(|r| view! {
                                <tr>
                                    <td>{ let id = r.id.clone(); view! { <button class="link" data-testid="member-row" on:click=move |_| bridge::show_member(id.clone())>{r.id.clone()}</button> } }</td><td>{r.name}</td><td>{r.phone_masked}</td><td>{r.tier}</td>
                                    <td>{r.last_purchase}</td><td class="num">{r.purchase_days}</td>
                                    <td class="num">{yuan(r.net_cents)}</td><td class="num">{yuan(r.spend_12m_cents)}</td><td>{format!("{} {} {}", r.rfm[0], r.rfm[1], r.rfm[2])}</td>
                                    <td class="num">{r.p_alive.map(|p| format!("{:.0}%", p * 100.0)).unwrap_or_default()}</td>
                                </tr>
                            }).collect_view())}
                        </tbody>
                    </table>
                </div>
                <div class="actions pager">
                    <button class="btn small" data-testid="prev-page" disabled=move || offset() == 0
                        on:click=move |_| state.member_offset.update(|o| *o = o.saturating_sub(PAGE))>{t!(i18n, prev)}</button>
                    <span class="muted">{move || format!("{}–{} / {}", (offset() + 1).min(total()), (offset() + PAGE).min(total()), total())}</span>
                    <button class="btn small" data-testid="next-page" disabled=move || { offset() + PAGE >= total() }
                        on:click=move |_| state.member_offset.update(|o| *o += PAGE)>{t!(i18n, next)}</button>
                </div>
            </section>
        </Show>
    }
}
