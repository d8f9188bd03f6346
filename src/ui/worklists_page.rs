//! The Work lists page: the "today" view first (every list's count as of the analysis date, its
//! rule in words with the settings in force, and what the data lacks when a list cannot be
//! made), then the replenishment list's usage cycles and the lists' settings. Each list opens
//! the Members page filtered by it and exports as today's call list; no member rows here.

#[path = "worklists/cycles.rs"]
mod cycles;
#[path = "worklists/settings_json.rs"]
mod settings_json;
#[path = "worklists/words.rs"]
mod words;

use std::cell::OnceCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::bridge;
use super::state::{use_state, AppState};
use crate::charts::{fill, key_of};
use super::export_button::ExportButton;
use crate::engine::members::{Column, MemberFilter, Sort};
use crate::engine::worklists::{WorkListCount, WorkListKey, WorkListsOverview};
use crate::format::{thousands, yuan};
use crate::i18n::*;

pub use words::{list_name, list_rule, missing_text};

thread_local! {
    /// One handler for every work-list Promise the page drops: a rejection (the engine stopped)
    /// is shown in the banner already, and must not also be an uncaught error.
    static IGNORE: OnceCell<Closure<dyn FnMut(JsValue)>> = const { OnceCell::new() };
}

/// Asks the worker for the lists' counts; the answer lands in `state.work_lists`.
fn request(state: AppState) {
    let promise = bridge::work_lists(state);
    IGNORE.with(|c| {
        let _ = promise.catch(c.get_or_init(|| Closure::new(|_: JsValue| {})));
    });
}

/// Asks again whenever the analysis changes: a load, new settings, and the predictions
/// arriving after the figures (the risk list depends on them).
fn follow_analysis(state: AppState) {
    Effect::new(move |_| {
        if state.analysis.with(Option::is_some) {
            request(state);
        }
    });
}

/// The groups of the "today" view: calls to make, the money members hold, value at stake.
const CALLS: [WorkListKey; 5] = [
    WorkListKey::Replenish,
    WorkListKey::BirthdayWeek,
    WorkListKey::BirthdayMonth,
    WorkListKey::AnniversaryWeek,
    WorkListKey::AnniversaryMonth,
];
const FOLLOW_UP: [WorkListKey; 3] = [WorkListKey::FollowUp3Days, WorkListKey::FollowUp3Weeks, WorkListKey::FollowUp3Months];
const MONEY: [WorkListKey; 4] =
    [WorkListKey::PointsLarge, WorkListKey::PointsExpiring, WorkListKey::BalanceLarge, WorkListKey::MembershipExpiring];
const VALUE: [WorkListKey; 4] =
    [WorkListKey::WinBack, WorkListKey::HighValueHighRisk, WorkListKey::TierUpgrade, WorkListKey::TierDowngrade];

/// A list's count in the overview (`None`: not counted, shown as not available).
fn count_of(o: &WorkListsOverview, key: WorkListKey) -> Option<WorkListCount> {
    o.lists.iter().find(|l| l.key == key && l.available).cloned()
}

/// The rule's figures: the settings the shown counts were computed with (the settings being
/// applied only once they are).
fn with_counted_settings<R>(state: AppState, f: impl FnOnce(&crate::engine::settings::Settings) -> R) -> R {
    match state.analysis.with(|a| a.as_ref().map(|a| a.settings.clone())) {
        Some(s) => f(&s),
        None => state.settings.with(f),
    }
}

fn predictions_pending(state: AppState) -> bool {
    state.analysis.with(|a| a.as_ref().is_some_and(|a| a.predictions.pending))
}

/// Opens the Members page on the list.
fn open(state: AppState, i18n: super::labels::I18n, key: WorkListKey) {
    state.show_members(MemberFilter::work_list(key), list_name(i18n, key));
}

/// What a call list needs: who, how to reach them, and why they are on it.
const CALL_COLUMNS: [Column; 7] =
    [Column::Name, Column::Id, Column::Phone, Column::Tier, Column::Store, Column::LastPurchase, Column::Reason];

/// The export shortcut of a list: today's call list as a file named after the list.
fn export_action(i18n: super::labels::I18n, key: WorkListKey) -> impl IntoView {
    view! {
        <ExportButton filter=MemberFilter::work_list(key) sort=Sort::default() columns=CALL_COLUMNS.to_vec()
            title=Signal::derive(move || list_name(i18n, key)) />
    }
}

/// A list's count, or a dash when it is not available.
fn count_view(count: &Option<WorkListCount>) -> impl IntoView {
    match count {
        Some(c) => view! { <span class="wl-number" data-count=c.members>{thousands(c.members as i64)}</span> }.into_any(),
        None => view! { <span class="wl-number wl-none">"—"</span> }.into_any(),
    }
}

/// "Open list" and the export, for an available list.
fn actions(state: AppState, i18n: super::labels::I18n, key: WorkListKey, slug: &str) -> impl IntoView {
    view! {
        <div class="wl-actions">
            <button class="btn small primary" data-testid=format!("open-{slug}")
                aria-label=move || fill(t_string!(i18n, wl_open_named), &[("name", &list_name(i18n, key))])
                on:click=move |_| open(state, i18n, key)>
                {t!(i18n, wl_open)}
            </button>
            {export_action(i18n, key)}
        </div>
    }
}

/// One list: its name, count, rule (or what the data lacks) and actions.
#[component]
fn ListCard(key: WorkListKey, count: Option<WorkListCount>, date: String, has_categories: bool) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let slug = key_of(&key);
    let available = count.is_some();
    let text = move || match available {
        true => with_counted_settings(state, |s| list_rule(i18n, key, s, &date)),
        false => missing_text(i18n, key, has_categories, predictions_pending(state), state.analysis.with(|a| a.as_ref().is_some_and(|a| a.from_summary.is_some()))),
    };
    view! {
        <article class="wl-card" class:wl-off=!available data-list=slug.clone() data-available=available.to_string()>
            <h3 class="wl-name">{move || list_name(i18n, key)}</h3>
            <div class="wl-count">
                {count_view(&count)}
                {available.then(|| view! { <span class="wl-unit">{t!(i18n, wl_members)}</span> })}
            </div>
            <p class="wl-rule">{text}</p>
            {available.then(|| actions(state, i18n, key, &slug))}
        </article>
    }
}

/// 3-3-3 follow-up as one card with its three counts (one list each), so that it does not read
/// as "333 calls".
#[component]
fn FollowUpCard(overview: WorkListsOverview) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let date = overview.analysis_date.clone();
    view! {
        <article class="wl-card wl-follow-up" data-group="follow_up">
            <h3 class="wl-name">{t!(i18n, wl_name_follow_up)}</h3>
            <p class="wl-rule">{t!(i18n, wl_follow_up_parts)}</p>
            <ul class="wl-parts">
                {FOLLOW_UP.into_iter().map(|key| {
                    let count = count_of(&overview, key);
                    let slug = key_of(&key);
                    let available = count.is_some();
                    let date = date.clone();
                    view! {
                        <li class="wl-part" class:wl-off=!available data-list=slug.clone() data-available=available.to_string()>
                            <span class="wl-part-name">{move || words::follow_up_part(i18n, key)}</span>
                            {count_view(&count)}
                            <span class="wl-part-rule">{move || with_counted_settings(state, |s| list_rule(i18n, key, s, &date))}</span>
                            {available.then(|| actions(state, i18n, key, &slug))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </article>
    }
}

/// The cards of `keys`.
fn cards(keys: &[WorkListKey], o: &WorkListsOverview) -> impl IntoView {
    let has_categories = !o.cycles.is_empty();
    keys.iter()
        .map(|&key| view! { <ListCard key=key count=count_of(o, key) date=o.analysis_date.clone() has_categories=has_categories /> })
        .collect_view()
}

/// The money members hold: outstanding points and stored value (a liability).
fn money(i18n: super::labels::I18n, o: &WorkListsOverview) -> impl IntoView {
    let has = |key| count_of(o, key).is_some();
    let points = (has(WorkListKey::PointsLarge) || o.points_outstanding != 0).then(|| {
        view! {
            <div class="kpi" data-kpi="points-outstanding">
                <div class="kpi-label">{t!(i18n, wl_points_outstanding)}</div>
                <div class="kpi-value" data-value=o.points_outstanding>{thousands(o.points_outstanding)}</div>
                <div class="kpi-hint">{t!(i18n, wl_points_outstanding_hint)}</div>
            </div>
        }
    });
    let balance = (has(WorkListKey::BalanceLarge) || o.balance_outstanding_cents != 0).then(|| {
        view! {
            <div class="kpi" data-kpi="balance-outstanding">
                <div class="kpi-label">{t!(i18n, wl_balance_outstanding)}</div>
                <div class="kpi-value" data-value=o.balance_outstanding_cents>{yuan(o.balance_outstanding_cents)}</div>
                <div class="kpi-hint">{t!(i18n, wl_balance_outstanding_hint)}</div>
            </div>
        }
    });
    view! { <div class="kpis wl-money">{points}{balance}</div> }
}

/// Every list's count as of the analysis date: the first thing a manager sees.
#[component]
fn TodayView() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let date = move || {
        state.work_lists.with(|w| w.as_ref().map(|w| w.analysis_date.clone()).filter(|d| !d.is_empty())).or_else(|| {
            state.analysis.with(|a| a.as_ref().map(|a| a.analysis_date.clone()))
        })
    };
    let body = move || {
        let Some(o) = state.work_lists.get() else {
            let waiting = state.analysis.with(Option::is_some);
            return view! {
                <p class="muted" data-testid="wl-waiting">
                    {move || if waiting { t_string!(i18n, wl_counting) } else { t_string!(i18n, wl_no_data) }}
                </p>
            }
            .into_any();
        };
        view! {
            <h2 class="wl-group">{t!(i18n, wl_group_calls)}</h2>
            <div class="wl-grid">
                {cards(&CALLS[..1], &o)}
                <FollowUpCard overview=o.clone() />
                {cards(&CALLS[1..], &o)}
            </div>
            <h2 class="wl-group">{t!(i18n, wl_group_money)}</h2>
            {money(i18n, &o)}
            <div class="wl-grid">{cards(&MONEY, &o)}</div>
            <h2 class="wl-group">{t!(i18n, wl_group_value)}</h2>
            <div class="wl-grid">{cards(&VALUE, &o)}</div>
        }
        .into_any()
    };
    view! {
        <div class="wl-today" data-testid="wl-today">
            <div class="wl-head">
                <h1>{t!(i18n, wl_title)}</h1>
                <span class="wl-date" data-testid="wl-date" data-date=move || date().unwrap_or_default()>
                    {move || date().map(|d| fill(t_string!(i18n, wl_as_of), &[("date", &d)])).unwrap_or_default()}
                </span>
            </div>
            <p class="note">{t!(i18n, wl_intro)}</p>
            {body}
        </div>
    }
}

#[component]
pub fn WorkListsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    follow_analysis(state);
    view! {
        <section class="page worklists-page" data-testid="worklists-page">
            <TodayView />
            // A warehouse summary has no purchases by category: no cycles to learn or set.
            <Show when=move || state.analysis.with(|a| a.as_ref().is_none_or(|a| a.from_summary.is_none()))
                fallback=move || view! { <super::summary_basis::MissingCard title=Signal::derive(move || t_string!(i18n, wl_cycles_title).to_string()) /> }>
                <cycles::CyclesCard />
            </Show>
            <cycles::ListSettings />
        </section>
    }
}
