//! One member in a dialog: who they are, what they bought and when, every segment they are in
//! with its rule, tier fit, what the models expect of them, and the work lists they are on.
//!
//! A modal dialog: focus moves into it and stays there (Tab and Shift+Tab cycle inside), Escape,
//! the close button, the backdrop and the browser's Back button close it, and focus returns to
//! what had it before (the member list's row). Opening pushes a history entry with the same URL
//! (the pages follow `hashchange`, which a same-URL entry does not fire), so Back closes the
//! dialog and not the page; closing otherwise steps back over that entry.

// The member list's words (gender, 生肖, 星座, work lists and reasons), shared with the Members page.
use super::members_page::words;

use leptos::html::Button;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::chart::EChart;
use super::labels::{cn_name, cn_rule, group_name, layer_name, life_name, quadrant_name, quadrant_rule, rfm_name, rfm_rule, risk_name, tier_fit_name, I18n};
use super::state::{use_state, AppState};
use crate::charts::member::{membership_expired, p_alive_history, purchase_timeline, MemberLabels};
use crate::charts::fill;
use crate::engine::dates::format_day;
use crate::engine::members::{CategoryBought, MemberDetail, OnWorkList};
use crate::engine::pyramid::{LayerKey, TierFit};
use crate::engine::segments::{Lifecycle, ValueGroup};
use crate::engine::settings::PyramidBasis;
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;
use super::worklists_page::list_name;
use words::{gender_name, reason_text, star_name, zodiac_name};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = history, js_name = pushState)]
    fn history_push_state(state: &JsValue, unused: &str);
    #[wasm_bindgen(js_namespace = history, js_name = back)]
    fn history_back();
}

/// A label (said again when the language changes) and its value.
fn fact(label: impl Fn() -> String + Send + Sync + 'static, value: impl IntoView + 'static) -> impl IntoView {
    view! { <div class="fact"><span class="muted">{label}</span><strong>{value}</strong></div> }
}

fn or_dash(v: Option<String>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or_else(|| "–".into())
}

/// The phone, masked until the user presses "Show" (a toggle button).
#[component]
fn Phone(masked: String, full: String) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    if full.is_empty() {
        return view! { <strong>"–"</strong> }.into_any();
    }
    view! {
        <strong class="md-phone">
            <span data-testid="detail-phone">{move || if shown.get() { full.clone() } else { masked.clone() }}</span>
            <button type="button" class="btn small ghost" data-testid="show-phone" aria-pressed=move || shown.get().to_string()
                on:click=move |_| shown.update(|s| *s = !*s)>
                {move || if shown.get() { t_string!(i18n, detail_hide_phone) } else { t_string!(i18n, detail_show_phone) }}
            </button>
        </strong>
    }
    .into_any()
}

/// The membership's end date, marked when it has passed by the analysis day.
fn expiry_text(expiry: Option<String>) -> impl Fn() -> String + Send + Sync + 'static {
    let i18n = use_i18n();
    let state = use_state();
    move || match &expiry {
        Some(e) if state.analysis.with(|a| a.as_ref().is_some_and(|a| membership_expired(e, &a.analysis_date))) => {
            format!("{e} · {}", t_string!(i18n, detail_expired))
        }
        Some(e) => e.clone(),
        None => "–".into(),
    }
}

/// Who the member is: contact, store, tier, birthday, membership and tags.
#[component]
fn Profile(m: MemberDetail) -> impl IntoView {
    let i18n = use_i18n();
    let (gender, zodiac, star) = (m.gender, m.zodiac, m.star_sign);
    let birthday = m.birthday.clone();
    let born = move || {
        let signs: Vec<String> = zodiac.map(|z| zodiac_name(i18n, z)).into_iter().chain(star.map(|s| star_name(i18n, s))).collect();
        match &birthday {
            Some(b) if signs.is_empty() => b.clone(),
            Some(b) => format!("{b} · {}", signs.join(" · ")),
            None => "–".into(),
        }
    };
    let tags = m.tags.clone();
    view! {
        <div class="facts md-profile" data-testid="detail-profile">
            <div class="fact"><span class="muted">{t!(i18n, col_phone)}</span><Phone masked=m.phone_masked.clone() full=m.phone.clone() /></div>
            {fact(move || t_string!(i18n, col_store).to_string(), or_dash(Some(m.store.clone())))}
            {fact(move || t_string!(i18n, col_tier).to_string(), or_dash(Some(m.tier.clone())))}
            {fact(move || t_string!(i18n, col_gender).to_string(), move || gender_name(i18n, gender))}
            {fact(move || t_string!(i18n, col_age).to_string(), m.age.map(|a| a.to_string()).unwrap_or("–".into()))}
            {fact(move || t_string!(i18n, col_birthday).to_string(), born)}
            {fact(move || t_string!(i18n, col_joined).to_string(), or_dash(m.join_date.clone()))}
            {fact(move || t_string!(i18n, col_expiry).to_string(), expiry_text(m.expiry.clone()))}
        </div>
        {(!tags.is_empty()).then(|| view! {
            <div class="chips md-tags" data-testid="detail-tags">
                {tags.into_iter().map(|t| view! { <span class="chip static">{t}</span> }).collect_view()}
            </div>
        })}
    }
}

/// What the member bought, in figures.
#[component]
fn Kpis(m: MemberDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = m.summary;
    let day = |d: Option<i32>| d.map(format_day).unwrap_or("–".into());
    let last = day(s.last_day());
    let ago = m.recency_days;
    let last_text = move || match ago {
        Some(0) => format!("{last} · {}", t_string!(i18n, detail_today)),
        Some(1) => format!("{last} · {}", t_string!(i18n, detail_day_ago)),
        Some(n) => format!("{last} · {}", t_string!(i18n, detail_days_ago).replace("%n%", &thousands(n as i64))),
        None => last.clone(),
    };
    let points_expiry = m.points_expiry.clone();
    let points = move || match &points_expiry {
        Some(d) => format!("{} · {}", thousands(m.points), t_string!(i18n, detail_points_expire).replace("%date%", d)),
        None => thousands(m.points),
    };
    let gap = format!("{} / {}", s.mean_gap_days().map(|g| format!("{g:.0}")).unwrap_or("–".into()), s.longest_gap_days().map(|g| g.to_string()).unwrap_or("–".into()));
    view! {
        <div class="facts md-kpis" data-testid="detail-kpis">
            {fact(move || t_string!(i18n, detail_visits).to_string(), thousands(s.purchase_days as i64))}
            {fact(move || t_string!(i18n, detail_orders).to_string(), thousands(s.orders as i64))}
            {fact(move || t_string!(i18n, detail_net).to_string(), yuan(s.net_cents))}
            {fact(move || t_string!(i18n, detail_12m).to_string(), yuan(s.spend_12m_cents))}
            {fact(move || t_string!(i18n, detail_ticket).to_string(), yuan(s.avg_ticket_cents()))}
            {fact(move || t_string!(i18n, detail_last).to_string(), last_text)}
            {fact(move || t_string!(i18n, detail_first).to_string(), day(s.first_day()))}
            {fact(move || t_string!(i18n, detail_gap).to_string(), gap)}
            {fact(move || t_string!(i18n, detail_promo).to_string(), percent(s.promo_share()))}
            {fact(move || t_string!(i18n, col_points).to_string(), points)}
            {fact(move || t_string!(i18n, col_balance).to_string(), yuan(m.balance_cents))}
        </div>
    }
}

/// The categories bought, the most recent first, with their last day.
#[component]
fn Categories(cats: Vec<CategoryBought>) -> impl IntoView {
    let i18n = use_i18n();
    if cats.is_empty() {
        return view! { <p class="note">{t!(i18n, detail_no_categories)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="md-categories" data-testid="detail-categories">
                <thead><tr><th>{t!(i18n, detail_col_category)}</th><th class="num">{t!(i18n, detail_col_days)}</th>
                    <th class="num">{t!(i18n, col_last)}</th><th class="num">{t!(i18n, spend)}</th></tr></thead>
                <tbody>{cats.into_iter().map(|c| view! {
                    <tr><td>{c.category}</td><td class="num">{thousands(c.purchases as i64)}</td><td class="num">{c.last}</td><td class="num">{yuan(c.spend_cents)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A lifecycle state's rule with the settings in force.
fn life_rule(i18n: I18n, state: AppState, l: Lifecycle) -> AnyView {
    let s = move || state.settings.get();
    match l {
        Lifecycle::New => view! { {t!(i18n, life_new_rule, days = move || s().new_days)} }.into_any(),
        Lifecycle::Active => view! { {t!(i18n, life_active_rule)} }.into_any(),
        Lifecycle::Silent => view! { {t!(i18n, life_silent_rule, share = move || percent(s().silent_ratio))} }.into_any(),
        Lifecycle::Sleeping => view! { {t!(i18n, life_sleeping_rule, days = move || s().sleeping_days)} }.into_any(),
        Lifecycle::Lost => view! { {t!(i18n, life_lost_rule, days = move || s().lost_days)} }.into_any(),
        Lifecycle::NeverBought => view! { {t!(i18n, life_never_bought_rule)} }.into_any(),
    }
}

/// A value group's rule with the figures it came to on this data (the Segments page's words).
fn group_rule(i18n: I18n, state: AppState, g: ValueGroup) -> AnyView {
    let s = move || state.settings.get();
    let th = move || state.analysis.with(|a| a.as_ref().map(|a| a.segments.thresholds.clone()).unwrap_or_default());
    match g {
        ValueGroup::HighSpend => view! { {t!(i18n, group_high_spend_rule, value = move || yuan(th().high_spend_min_cents), share = move || percent(s().high_spend_share))} }.into_any(),
        ValueGroup::HighTicket => view! { {t!(i18n, group_high_ticket_rule, multiple = move || s().high_ticket_multiple, value = move || yuan(th().store_avg_ticket_cents))} }.into_any(),
        ValueGroup::Loyal => view! { {t!(i18n, group_loyal_rule, value = move || yuan(th().loyal_spend_min_cents), share = move || percent(s().loyal_spend_share), days = move || s().loyal_max_gap_days)} }.into_any(),
        ValueGroup::BargainRegular => view! { {t!(i18n, group_bargain_regular_rule, value = move || yuan(th().bargain_regular_min_promo_cents), share = move || percent(s().bargain_regular_share))} }.into_any(),
        ValueGroup::BargainDrifter => view! { {t!(i18n, group_bargain_drifter_rule, value = move || yuan(th().bargain_drifter_max_spend_cents), share = move || percent(s().bargain_drifter_share))} }.into_any(),
        ValueGroup::Silent => view! { {t!(i18n, group_silent_rule, share = move || percent(s().silent_ratio))} }.into_any(),
        ValueGroup::Sleeping => view! { {t!(i18n, group_sleeping_rule, days = move || s().sleeping_days)} }.into_any(),
    }
}

/// The pyramid layer's place in the ranking (`between the top 5% and the top 20%`).
fn layer_rule(i18n: I18n, state: AppState, k: LayerKey) -> String {
    let s = state.settings.get();
    let shares = s.pyramid_shares;
    let i = k as usize;
    // Folded from +0.0: an empty float sum is -0.0, shown as "-0.0%".
    let from = shares.iter().take(i).fold(0.0, |a, b| a + b).clamp(0.0, 1.0);
    let to = shares.get(i).map_or(1.0, |share| (from + share).clamp(0.0, 1.0));
    let basis = match s.pyramid_basis {
        PyramidBasis::Spend12m => t_string!(i18n, basis_spend_12m),
        PyramidBasis::LifetimeSpend => t_string!(i18n, basis_lifetime),
    };
    let template = if from == 0.0 { t_string!(i18n, detail_layer_rule_top) } else { t_string!(i18n, detail_layer_rule) };
    fill(template, &[("basis", basis), ("from", &percent(from)), ("to", &percent(to))])
}

/// Tier fit in words with the member's 12-month spend.
fn tier_fit_text(i18n: I18n, fit: Option<TierFit>, tier: &str, spend_cents: i64) -> String {
    let template = match fit {
        Some(TierFit::Upgrade) => t_string!(i18n, detail_fit_upgrade),
        Some(TierFit::Downgrade) => t_string!(i18n, detail_fit_downgrade),
        None => t_string!(i18n, detail_fit_ok),
    };
    fill(template, &[("spend", &yuan(spend_cents)), ("tier", tier)])
}

/// One row of the segments table: the segmentation, the member's place in it, its rule.
fn segment_row(by: impl Fn() -> String + Send + Sync + 'static, is: impl IntoView + 'static, rule: impl IntoView + 'static) -> impl IntoView {
    view! { <tr><th scope="row">{by}</th><td>{is}</td><td class="rule">{rule}</td></tr> }
}

/// Every segment the member is in, each with its rule in words; and tier fit.
#[component]
fn Segments(m: MemberDetail) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let [r, f, mm] = m.rfm;
    let scores = move || fill(t_string!(i18n, detail_rfm_scores), &[("r", &r.to_string()), ("f", &f.to_string()), ("m", &mm.to_string())]);
    let none = move || t_string!(i18n, detail_none).to_string();
    // A group that only repeats the lifecycle state (silent, sleeping) is not shown twice.
    let state_key = m.lifecycle.map(|l| l.key());
    let groups: Vec<ValueGroup> = m.groups.iter().copied().filter(|g| Some(g.key()) != state_key).collect();
    let quadrant_days = move || state.settings.get().quadrant_days.to_string();
    let (spend_12m, fit) = (m.summary.spend_12m_cents, m.tier_fit);
    let tier_row = (!m.tier.is_empty()).then(|| {
        let (tier, t) = (m.tier.clone(), m.tier.clone());
        segment_row(
            move || t_string!(i18n, col_tier_fit).to_string(),
            move || fit.map(|f| tier_fit_name(i18n, f)).unwrap_or_else(|| tier.clone()),
            move || tier_fit_text(i18n, fit, &t, spend_12m),
        )
    });
    view! {
        <div class="table-wrap">
            <table class="md-segments" data-testid="detail-segments">
                <thead><tr><th>{t!(i18n, detail_col_by)}</th><th>{t!(i18n, detail_col_member)}</th><th>{t!(i18n, col_rule)}</th></tr></thead>
                <tbody>
                    {m.rfm_segment.map(|k| segment_row(move || t_string!(i18n, col_segment).to_string(),
                        move || format!("{} · {}", rfm_name(i18n, k), scores()), move || rfm_rule(i18n, k)))}
                    {m.cn_rfm.map(|k| segment_row(move || t_string!(i18n, col_cn_rfm).to_string(), move || cn_name(i18n, k), move || cn_rule(i18n, k)))}
                    {groups.into_iter().map(|g| segment_row(move || t_string!(i18n, col_group).to_string(), move || group_name(i18n, g), group_rule(i18n, state, g))).collect_view()}
                    {m.layer.map(|k| segment_row(move || t_string!(i18n, col_layer).to_string(), move || layer_name(i18n, k), move || layer_rule(i18n, state, k)))}
                    {m.quadrant.map(|k| segment_row(move || t_string!(i18n, col_quadrant).to_string(), move || quadrant_name(i18n, k),
                        move || fill(t_string!(i18n, detail_quadrant_period), &[("rule", &quadrant_rule(i18n, k)), ("days", &quadrant_days())])))}
                    {m.lifecycle.map(|k| segment_row(move || t_string!(i18n, col_lifecycle).to_string(), move || life_name(i18n, k), life_rule(i18n, state, k)))}
                    {(m.rfm_segment.is_none() && m.lifecycle.is_none()).then(|| segment_row(move || t_string!(i18n, col_segment).to_string(), none, ""))}
                    {tier_row}
                </tbody>
            </table>
        </div>
    }
}

/// What the models expect of the member, or why there is nothing.
#[component]
fn Expectations(m: MemberDetail) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let days = move || state.settings.get().risk_days;
    let Some(p) = m.p_alive else {
        return view! { <p class="note">{t!(i18n, detail_no_prediction)}</p> }.into_any();
    };
    view! {
        <div class="facts predictions-facts" data-testid="detail-predictions">
            {fact(move || t_string!(i18n, detail_p_alive).to_string(), percent(p))}
            {fact(move || t_string!(i18n, col_risk).to_string(), { let risk = m.risk; move || risk.map(|r| risk_name(i18n, r)).unwrap_or_default() })}
            <div class="fact"><span class="muted">{t!(i18n, detail_expected, days = days)}</span><strong>{m.expected_purchases.map(|e| format!("{e:.2}")).unwrap_or_default()}</strong></div>
            {fact(move || t_string!(i18n, detail_next_visit).to_string(), m.next_visit.unwrap_or("–".into()))}
            {fact(move || t_string!(i18n, detail_value).to_string(), m.value_12m_cents.map(yuan).unwrap_or("–".into()))}
        </div>
        <p class="note" data-testid="rfm-vs-risk">{move || t_string!(i18n, detail_rfm_vs_risk).replace("%days%", &days().to_string())}</p>
    }
    .into_any()
}

/// The work lists the member is on, each with why.
#[component]
fn WorkLists(lists: Vec<OnWorkList>) -> impl IntoView {
    let i18n = use_i18n();
    if lists.is_empty() {
        return view! { <p class="note">{t!(i18n, detail_no_work_lists)}</p> }.into_any();
    }
    view! {
        <ul class="md-lists" data-testid="detail-work-lists">
            {lists.into_iter().map(|l| { let (key, reasons) = (l.list, l.reasons); view! {
                <li><strong>{move || list_name(i18n, key)}</strong>
                    {reasons.into_iter().map(|r| view! { <span class="md-reason">{move || reason_text(i18n, &r)}</span> }).collect_view()}</li>
            } }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The dialog's body for one member.
#[component]
fn Body(m: MemberDetail, close_ref: NodeRef<Button>, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let d = use_state().member_detail;
    let labels = move || MemberLabels {
        p_alive: t_string!(i18n, detail_p_alive).to_string(),
        purchases: t_string!(i18n, purchases).to_string(),
        spend: t_string!(i18n, detail_spend_series).to_string(),
    };
    let timeline = Signal::derive(move || d.with(|m| m.as_ref().map(|m| purchase_timeline(m, &labels())).unwrap_or_default()));
    let history = Signal::derive(move || d.with(|m| m.as_ref().map(|m| p_alive_history(m, &labels())).unwrap_or_default()));
    let title = if m.name.is_empty() { m.id.clone() } else { m.name.clone() };
    let has_history = !m.p_alive_history.is_empty();
    let has_timeline = !m.timeline.is_empty();
    let from_summary = super::summary_basis::summary_basis().with_untracked(Option::is_some);
    view! {
        <div class="md-head">
            <h2 id="member-detail-title" data-testid="detail-title">{title}" "<span class="muted md-id">{m.id.clone()}</span></h2>
            <button type="button" class="btn small" node_ref=close_ref data-testid="close-detail" aria-label=move || t_string!(i18n, detail_close_label)
                on:click=move |_| on_close.run(())>{t!(i18n, close)}</button>
        </div>
        <Profile m=m.clone() />
        <Kpis m=m.clone() />
        {has_timeline.then(|| view! {
            <h3>{t!(i18n, detail_timeline)}</h3>
            <EChart option=timeline label=Signal::derive(move || t_string!(i18n, detail_timeline).to_string()) class="md-chart" />
            <p class="note">{t!(i18n, detail_timeline_note)}</p>
        })}
        {(!has_timeline && from_summary).then(|| view! {
            <h3>{t!(i18n, detail_timeline)}</h3>
            <super::summary_basis::NeedsTransactions what=Signal::derive(move || t_string!(i18n, timeline_what).to_string()) />
        })}
        <h3>{t!(i18n, detail_categories)}</h3>
        <Categories cats=m.categories.clone() />
        <h3>{t!(i18n, detail_segments)}</h3>
        <Segments m=m.clone() />
        <h3>{t!(i18n, detail_predictions)}</h3>
        <Expectations m=m.clone() />
        {has_history.then(|| view! {
            <h3>{t!(i18n, detail_history)}</h3>
            <EChart option=history label=Signal::derive(move || t_string!(i18n, detail_history).to_string()) class="md-chart" />
            <p class="note">{t!(i18n, detail_how)}</p>
        })}
        <h3>{t!(i18n, detail_work_lists)}</h3>
        <WorkLists lists=m.work_lists />
    }
}

/// The elements Tab can reach inside `root`, in document order.
fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    const SELECTOR: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";
    let Ok(query) = js_sys::Reflect::get(root, &"querySelectorAll".into()).and_then(|f| f.dyn_into::<js_sys::Function>().map_err(JsValue::from)) else {
        return Vec::new();
    };
    let Ok(list) = query.call1(root, &SELECTOR.into()) else { return Vec::new() };
    js_sys::Array::from(&list).iter().filter_map(|e| e.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

/// Tab and Shift+Tab cycle among the dialog's own controls: at either end (or from an element
/// that is not one of them) focus wraps to the other end instead of leaving.
fn trap_tab(ev: &web_sys::KeyboardEvent, root: &web_sys::Element) {
    if ev.key() != "Tab" {
        return;
    }
    let items = focusables(root);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = document().active_element();
    let at = |e: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>());
    // Focus on something of the dialog's that is not in the list (a scrolling table box, which
    // Chromium makes focusable on a phone) is inside too: the browser moves on from it.
    let inside = items.iter().any(|e| at(e)) || active.as_ref().is_some_and(|a| root.contains(Some(a.unchecked_ref())));
    let target = match (ev.shift_key(), inside) {
        (true, false) => Some(last),
        (false, false) => Some(first),
        (true, true) if at(first) => Some(last),
        (false, true) if at(last) => Some(first),
        _ => None,
    };
    if let Some(t) = target {
        ev.prevent_default();
        let _ = t.focus();
    }
}

/// What the dialog remembers between opening and closing.
#[derive(Default)]
struct Opened {
    /// The element that had focus before the dialog opened.
    opener: Option<web_sys::HtmlElement>,
    /// A history entry was pushed for the dialog and is still there.
    pushed: bool,
    /// The next `popstate` is our own `history.back()`, not the user's.
    ignore_pop: bool,
}

#[component]
pub fn MemberDetailDialog() -> impl IntoView {
    let d = use_state().member_detail;
    let opened: StoredValue<Opened, LocalStorage> = StoredValue::new_local(Opened::default());
    let close_ref = NodeRef::<Button>::new();
    let dialog_ref = NodeRef::<leptos::html::Div>::new();
    let close = Callback::new(move |_: ()| d.set(None));

    // Opening: remember the focus, push the history entry. Closing (however it happened): step
    // back over our entry unless Back already did, and give the focus back.
    Effect::new(move |was_open: Option<bool>| {
        let open = d.with(Option::is_some);
        if open && was_open != Some(true) {
            let opener = document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            history_push_state(&js_sys::JSON::parse("{\"memberDialog\":true}").unwrap_or(JsValue::TRUE), "");
            // A step back still on its way (closed and opened again at once) stays ignored.
            opened.update_value(|o| {
                o.opener = opener;
                o.pushed = true;
            });
        } else if !open && was_open == Some(true) {
            let step_back = opened.with_value(|o| o.pushed);
            opened.update_value(|o| {
                o.pushed = false;
                o.ignore_pop = step_back;
            });
            if step_back {
                history_back();
            }
            if let Some(el) = opened.try_update_value(|o| o.opener.take()).flatten() {
                if el.is_connected() {
                    let _ = el.focus();
                }
            }
        }
        open
    });
    // Focus moves into the dialog when it appears.
    Effect::new(move |_| {
        if let Some(b) = close_ref.get() {
            let _ = b.focus();
        }
    });
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        if opened.with_value(|o| o.ignore_pop) {
            opened.update_value(|o| o.ignore_pop = false);
        } else if opened.with_value(|o| o.pushed) {
            // Back took our entry away: close without stepping back again.
            opened.update_value(|o| o.pushed = false);
            d.set(None);
        }
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && d.with_untracked(Option::is_some) {
            ev.prevent_default();
            d.set(None);
        }
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(el) = dialog_ref.get_untracked() {
            trap_tab(&ev, &el);
        }
    };
    view! {
        <Show when=move || d.with(Option::is_some)>
            <div class="dialog-backdrop" on:click=move |_| close.run(())></div>
            <div class="dialog card member-dialog" role="dialog" aria-modal="true" aria-labelledby="member-detail-title"
                data-testid="member-detail" node_ref=dialog_ref on:keydown=on_keydown>
                {move || d.get().map(|m| view! { <Body m=m close_ref=close_ref on_close=close /> })}
            </div>
        </Show>
    }
}
