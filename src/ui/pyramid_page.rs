//! The Pyramid page: A/B/C/D layers with their revenue share, the Pareto curve and Gini, the four
//! quadrants with their cut lines, and tiers with upgrade / downgrade candidates.

use leptos::prelude::*;

use super::chart::ChartClick;
use super::chart_card::ChartCard;
use super::labels::{layer_name, quadrant_name, quadrant_rule, tier_fit_name, I18n};
use super::state::use_state;
use crate::charts::pyramid::{layers, layers_table, pareto, pareto_table, quadrant_at, quadrants, quadrants_table, tier_moved, tiers_out_of_step, visits_cut, PyramidLabels};
use crate::charts::{clicked_key, fill, key_of, layer_letter};
use crate::engine::members::MemberFilter;
use crate::engine::pyramid::{LayerKey, Pyramid, Quadrants, TierFit, TierStat};
use crate::engine::settings::PyramidBasis;
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

fn labels(i18n: I18n) -> PyramidLabels {
    PyramidLabels {
        layer: t_string!(i18n, layer).to_string(),
        members: t_string!(i18n, col_members).to_string(),
        revenue: t_string!(i18n, col_revenue).to_string(),
        revenue_share: t_string!(i18n, col_revenue_share).to_string(),
        from: t_string!(i18n, col_min_value).to_string(),
        members_share: t_string!(i18n, members_share).to_string(),
        equal_line: t_string!(i18n, equal_line).to_string(),
        quadrant: t_string!(i18n, col_quadrant).to_string(),
        visits: t_string!(i18n, visits).to_string(),
        spend: t_string!(i18n, spend).to_string(),
    }
}

/// The layers' table, each layer opening its members.
#[component]
fn LayersTable(pyr: Memo<Pyramid>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    view! {
        <div class="table-wrap">
            <table class="layers" data-testid="layers-table">
                <thead><tr><th>{t!(i18n, layer)}</th><th class="num">{t!(i18n, col_members)}</th><th class="num">{t!(i18n, col_revenue)}</th><th class="num">{t!(i18n, col_revenue_share)}</th></tr></thead>
                <tbody>{move || pyr.get().layers.into_iter().map(|l| { let k = l.key; view! {
                    <tr><td><button class="link" data-testid=format!("open-layer-{}", layer_letter(k))
                        on:click=move |_| state.show_members(MemberFilter::layer(k), layer_name(i18n, k))>{layer_letter(k)}</button></td>
                    <td class="num">{thousands(l.members as i64)}</td><td class="num">{yuan(l.revenue_cents)}</td><td class="num">{percent(l.revenue_share)}</td></tr>
                } }).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
fn LayersCard(pyr: Memo<Pyramid>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let basis = move || match state.settings.get().pyramid_basis {
        PyramidBasis::Spend12m => t_string!(i18n, basis_spend_12m),
        PyramidBasis::LifetimeSpend => t_string!(i18n, basis_lifetime),
    };
    let open = Callback::new(move |c: ChartClick| {
        if let Some(k) = clicked_key::<LayerKey>(&c.data) {
            state.show_members(MemberFilter::layer(k), layer_name(i18n, k));
        }
    });
    view! {
        <ChartCard title=Signal::derive(move || format!("{} · {}", t_string!(i18n, nav_pyramid), basis()))
            option=Signal::derive(move || pyr.with(|p| layers(p, &labels(i18n))))
            table=Signal::derive(move || pyr.with(|p| layers_table(p, &labels(i18n)))) on_click=open testid="pyramid-chart">
            <LayersTable pyr=pyr />
        </ChartCard>
    }
}

#[component]
fn ParetoCard(pyr: Memo<Pyramid>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, pareto_title).to_string())
            option=Signal::derive(move || pyr.with(|p| pareto(p, &labels(i18n))))
            table=Signal::derive(move || pyr.with(|p| pareto_table(p, &labels(i18n)))) testid="pareto-chart">
            <p class="note" data-testid="pareto-summary">{t!(i18n, pareto_summary, share = move || percent(pyr.get().top20_share), gini = move || format!("{:.2}", pyr.get().gini))}</p>
        </ChartCard>
    }
}

#[component]
fn QuadrantsCard(quad: Memo<Quadrants>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let name = move |k| quadrant_name(i18n, k);
    let open = Callback::new(move |c: ChartClick| {
        if let Some(k) = quad.with_untracked(|q| quadrant_at(q, &c.data)) {
            state.show_members(MemberFilter::quadrant(k), quadrant_name(i18n, k));
        }
    });
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, quadrant_title_short).to_string())
            option=Signal::derive(move || quad.with(|q| quadrants(q, &labels(i18n))))
            table=Signal::derive(move || quad.with(|q| quadrants_table(q, &labels(i18n), name))) on_click=open testid="quadrant-chart">
            <p class="note">{t!(i18n, quadrant_title, days = move || quad.get().period_days)}</p>
            <p class="note">{t!(i18n, quadrant_cuts, f = move || visits_cut(quad.get().frequency_cut), m = move || yuan(quad.get().spend_cut_cents))}</p>
            <div class="quadrants" data-testid="quadrants">
                {move || quad.get().quadrants.into_iter().map(|s| { let k = s.key; view! {
                    <button class="quadrant" data-testid=format!("open-quadrant-{}", key_of(&k)) on:click=move |_| state.show_members(MemberFilter::quadrant(k), quadrant_name(i18n, k))>
                        <strong>{move || quadrant_name(i18n, k)}</strong>
                        <span>{move || quadrant_rule(i18n, k)}</span>
                        <span class="big" data-members=s.members>{thousands(s.members as i64)}</span>
                        <span class="muted">{yuan(s.revenue_cents)}</span>
                    </button>
                } }).collect_view()}
            </div>
        </ChartCard>
    }
}

/// The tier whose arrow was pressed last, and which way: its button takes the focus back once
/// the table is drawn again in the new order.
type Moved = RwSignal<Option<(String, bool)>>;

/// An arrow that moves a tier one place in the order (saved as `settings.tier_order`).
#[component]
fn MoveButton(tier: String, index: usize, lower: bool, order: Memo<Vec<String>>, moved: Moved) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let node = NodeRef::<leptos::html::Button>::new();
    let at_end = move || order.with(|o| tier_moved(o, index, lower).is_none());
    let name = tier.clone();
    let label = move || {
        let template = if lower { t_string!(i18n, tier_move_lower) } else { t_string!(i18n, tier_move_higher) };
        fill(template, &[("tier", &name)])
    };
    // After a move the focus goes back to the arrow pressed, or to the other arrow of the tier
    // when the move reached the end (the arrow pressed is then disabled).
    let mine = tier.clone();
    let takes_focus = move |(moved_tier, moved_lower): &(String, bool)| {
        *moved_tier == mine && order.with_untracked(|o| (*moved_lower == lower) == tier_moved(o, index, *moved_lower).is_some())
    };
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            if moved.get_untracked().as_ref().is_some_and(&takes_focus) {
                let _ = el.focus();
            }
        }
    });
    let on_click = move |_| {
        if let Some(next) = order.with_untracked(|o| tier_moved(o, index, lower)) {
            moved.set(Some((tier.clone(), lower)));
            super::settings_panel::set_tier_order(state, next);
        }
    };
    view! {
        <button type="button" class="btn small ghost tier-move" node_ref=node data-testid=format!("tier-{}-{index}", if lower { "lower" } else { "higher" })
            aria-label=label.clone() title=label disabled=at_end on:click=on_click>
            {if lower { "↑" } else { "↓" }}
        </button>
    }
}

/// One tier's row: its place in the order (movable), its expected spend (editable, in yuan).
#[component]
fn TierRow(t: TierStat, index: usize, order: Memo<Vec<String>>, moved: Moved) -> impl IntoView {
    let state = use_state();
    let tier = t.tier.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let y = if v.trim().is_empty() { None } else { v.trim().trim_start_matches('¥').parse::<f64>().ok() };
        super::settings_panel::set_tier_bar(state, &tier, y);
    };
    // Each cell names its column: on a phone the rows stack as cards and say it before the figure.
    let i18n = use_i18n();
    view! {
        <tr data-tier=t.tier.clone()>
            <td class="tier-order">
                <MoveButton tier=t.tier.clone() index=index lower=true order=order moved=moved />
                <MoveButton tier=t.tier.clone() index=index lower=false order=order moved=moved />
            </td>
            <td class="tier-name">{t.tier.clone()}</td>
            <td class="num" data-label=move || t_string!(i18n, col_members)>{thousands(t.members as i64)}</td>
            <td class="num" data-label=move || t_string!(i18n, col_mean_12m)>{yuan(t.mean_spend_12m_cents.round() as i64)}</td>
            <td class="num tier-bar" data-label=move || t_string!(i18n, col_bar)><span class="money-input"><span class="unit" aria-hidden="true">"¥"</span>
                <input class="bar-input" type="number" step="100" data-tier=t.tier.clone() aria-label=t.tier.clone()
                prop:value=(t.bar_cents as f64 / 100.0).round().to_string() on:change=on_change /></span></td>
            <td class="num" data-label=move || t_string!(i18n, col_upgrade)>{thousands(t.upgrade_candidates as i64)}</td>
            <td class="num" data-label=move || t_string!(i18n, col_downgrade)>{thousands(t.downgrade_candidates as i64)}</td></tr>
    }
}

#[component]
fn TiersCard() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let tiers = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.tiers.clone()).unwrap_or_default()));
    // The order as shown, lowest first (the engine lists the tiers in the order in force).
    let order = Memo::new(move |_| tiers.with(|t| t.iter().map(|t| t.tier.clone()).collect::<Vec<_>>()));
    let moved: Moved = RwSignal::new(None);
    let custom = move || !state.settings.with(|s| s.tier_order.is_empty());
    let open = move |fit: TierFit| state.show_members(MemberFilter::tier_fit(fit), tier_fit_name(i18n, fit));
    view! {
        <div class="card">
            <h2>{t!(i18n, tiers_title)}</h2>
            <Show when=move || !tiers.get().is_empty() fallback=move || view! { <p class="note">{t!(i18n, no_tiers)}</p> }>
                <p class="note" id="tier-order-note">{t!(i18n, tier_order_note)}</p>
                <div class="table-wrap">
                    <table class="tiers-table" data-testid="tiers-table" aria-describedby="tier-order-note">
                        <thead><tr><th>{t!(i18n, col_tier_order)}</th><th>{t!(i18n, col_tier)}</th><th class="num">{t!(i18n, col_members)}</th><th class="num">{t!(i18n, col_mean_12m)}</th>
                            <th class="num">{t!(i18n, col_bar)}</th><th class="num">{t!(i18n, col_upgrade)}</th><th class="num">{t!(i18n, col_downgrade)}</th></tr></thead>
                        <tbody>{move || tiers.get().into_iter().enumerate().map(|(i, t)| view! { <TierRow t=t index=i order=order moved=moved /> }).collect_view()}</tbody>
                    </table>
                </div>
                <p class="note screen-only">{t!(i18n, tier_bar_hint)}</p>
                // A tier ordered above one that expects as much or more has no upgrade candidates
                // from it: the zeros are explained.
                {move || tiers.with(|t| tiers_out_of_step(&t.iter().map(|t| (t.tier.clone(), t.bar_cents)).collect::<Vec<_>>()))
                    .into_iter()
                    .map(|(low, low_bar, high, high_bar)| {
                        let text = fill(t_string!(i18n, tier_out_of_step), &[("low", &low), ("low_bar", &yuan(low_bar)), ("high", &high), ("high_bar", &yuan(high_bar))]);
                        view! { <p class="note warn" data-testid="tier-out-of-step">{text}</p> }
                    })
                    .collect_view()}
                <div class="actions">
                    <button class="btn small" data-testid="open-upgrade" on:click=move |_| open(TierFit::Upgrade)>{t!(i18n, col_upgrade)}</button>
                    <button class="btn small" on:click=move |_| open(TierFit::Downgrade)>{t!(i18n, col_downgrade)}</button>
                    <Show when=custom>
                        <span class="note" data-testid="tier-order-custom">{t!(i18n, tier_order_custom)}</span>
                        <button class="btn small" data-testid="tier-order-reset" on:click=move |_| {
                            moved.set(None);
                            super::settings_panel::set_tier_order(state, Vec::new());
                        }>{t!(i18n, tier_order_reset)}</button>
                    </Show>
                </div>
            </Show>
        </div>
    }
}

#[component]
pub fn PyramidPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let pyr = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.pyramid.clone()).unwrap_or_default()));
    let quad = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.quadrants.clone()).unwrap_or_default()));
    view! {
        <section class="page pyramid-page">
            <p class="note screen-only">{t!(i18n, click_hint)}</p>
            <div class="grid-2">
                <LayersCard pyr=pyr />
                <ParetoCard pyr=pyr />
            </div>
            <QuadrantsCard quad=quad />
            <TiersCard />
        </section>
    }
}
