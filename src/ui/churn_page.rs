//! The Churn page: the predictions, lifecycle states, members turning sleeping each month,
//! cohort retention, the first-year visits vs renewal chart, and renewal around membership
//! expiry. Its sections fold so the page opens short: the answer (risk bands) open, the rest
//! closed unless the user left them open (remembered in the browser); the report opens them all.

use leptos::prelude::*;

use super::chart::ChartClick;
use super::chart_card::ChartCard;
use super::summary_basis::{summary_basis, MissingCard};
use super::labels::{life_name, I18n};
use super::state::{use_state, Page};
use crate::charts::churn::{
    cohort_at, cohort_table_clicks, cohorts, cohorts_table, expiry, expiry_table, first_measured_after_gap, has_unmeasurable, lifecycle, lifecycle_table, months, months_table, second_year,
    second_year_table, ChurnLabels,
};
use crate::charts::{clicked_key, fill, key_of};
use crate::engine::churn::Churn;
use crate::engine::members::MemberFilter;
use crate::engine::segments::{Lifecycle, SegmentStat, ValueGroup};
use crate::engine::settings::Settings;
use crate::format::{percent, thousands};
use crate::i18n::*;

fn labels(i18n: I18n) -> ChurnLabels {
    ChurnLabels {
        lifecycle: t_string!(i18n, lifecycle_title).to_string(),
        state: t_string!(i18n, col_state).to_string(),
        members: t_string!(i18n, col_members).to_string(),
        share: t_string!(i18n, col_share).to_string(),
        month: t_string!(i18n, col_month).to_string(),
        active_at_start: t_string!(i18n, active_at_start).to_string(),
        turned_sleeping: t_string!(i18n, turned_sleeping).to_string(),
        churn_rate: t_string!(i18n, churn_rate).to_string(),
        cohort: t_string!(i18n, cohort_month).to_string(),
        cohorts: t_string!(i18n, cohort_title).to_string(),
        month_offset: t_string!(i18n, month_offset).to_string(),
        month_n: t_string!(i18n, col_month_n).to_string(),
        first_year_visits: t_string!(i18n, first_year_visits).to_string(),
        renewed: t_string!(i18n, col_renewed).to_string(),
        renewal_rate: t_string!(i18n, renewal_rate).to_string(),
        months_from_expiry: t_string!(i18n, months_from_expiry).to_string(),
        active_share: t_string!(i18n, active_share).to_string(),
        not_measurable: t_string!(i18n, not_measurable).to_string(),
        first_measured: t_string!(i18n, churn_first_measured).to_string(),
        expiry: t_string!(i18n, expiry_marker).to_string(),
    }
}

/// A lifecycle state's name on this page: Sleeping and Lost carry their day ranges, so they
/// cannot be taken for the value group "Sleeping members", which counts both.
fn state_name(i18n: I18n, key: Lifecycle, s: &Settings) -> String {
    let (sleeping, lost, last_sleeping) = (s.sleeping_days.to_string(), s.lost_days.to_string(), (s.lost_days - 1).to_string());
    match key {
        Lifecycle::Sleeping => fill(t_string!(i18n, life_sleeping_named), &[("from", &sleeping), ("to", &last_sleeping)]),
        Lifecycle::Lost => fill(t_string!(i18n, life_lost_named), &[("days", &lost)]),
        _ => life_name(i18n, key),
    }
}

/// The browser key that remembers whether a section was left open.
fn fold_key(id: &str) -> String {
    format!("member-dashboard.churn-fold.{id}")
}

fn remembered_open(id: &str) -> Option<bool> {
    let saved = super::prefs::storage()?.get_item(&fold_key(id)).ok()??;
    Some(saved == "open")
}

fn remember_open(id: &str, open: bool) {
    if let Some(s) = super::prefs::storage() {
        let _ = s.set_item(&fold_key(id), if open { "open" } else { "closed" });
    }
}

/// A section that folds under its heading (a `<details>`: the summary takes Enter and Space).
/// Open as the user left it, else as `open` says; always open in the printed report.
#[component]
pub(super) fn Fold(id: &'static str, #[prop(into)] title: Signal<String>, #[prop(optional)] open: bool, children: Children) -> impl IntoView {
    let state = use_state();
    let in_report = state.page.get_untracked() == Page::Report;
    let initially = in_report || remembered_open(id).unwrap_or(open);
    let on_toggle = move |ev: leptos::ev::Event| {
        if !in_report {
            remember_open(id, event_target::<web_sys::Element>(&ev).has_attribute("open"));
        }
    };
    view! {
        <details class="fold" data-testid=format!("fold-{id}") open=initially on:toggle=on_toggle>
            <summary><h2>{move || title.get()}</h2></summary>
            <div class="fold-body">{children()}</div>
        </details>
    }
}

#[component]
fn LifecycleCard(life: Memo<Vec<SegmentStat<Lifecycle>>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let name = move |k| state.settings.with(|s| state_name(i18n, k, s));
    let open = move |k: Lifecycle| state.show_members(MemberFilter::lifecycle(k), name(k));
    let on_click = Callback::new(move |c: ChartClick| {
        if let Some(k) = clicked_key::<Lifecycle>(&c.data) {
            open(k);
        }
    });
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, lifecycle_title).to_string())
            option=Signal::derive(move || life.with(|l| lifecycle(l, &labels(i18n), name)))
            table=Signal::derive(move || life.with(|l| lifecycle_table(l, &labels(i18n), name))) on_click=on_click testid="lifecycle-chart">
            <div class="chips">
                {move || life.get().into_iter().map(|s| { let k = s.key; view! {
                    <button class="chip" data-testid=format!("open-life-{}", key_of(&k)) data-members=s.members on:click=move |_| open(k)>
                        {move || name(k)}" "{thousands(s.members as i64)}</button>
                } }).collect_view()}
            </div>
            <LifeVsGroup life=life />
        </ChartCard>
    }
}

/// One line that tells the lifecycle's Sleeping and Lost from the value group "Sleeping
/// members" (Segments page), with the current thresholds and counts.
#[component]
fn LifeVsGroup(life: Memo<Vec<SegmentStat<Lifecycle>>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let count = move |k: Lifecycle| life.with(|l| l.iter().find(|s| s.key == k).map_or(0, |s| s.members));
    let group = move || {
        state.analysis.with(|a| a.as_ref().and_then(|a| a.segments.groups.iter().find(|g| g.key == ValueGroup::Sleeping).map(|g| g.members)).unwrap_or(0))
    };
    let text = move || {
        let s = state.settings.get();
        let n = |v: u32| thousands(v as i64);
        fill(
            t_string!(i18n, life_vs_group),
            &[
                ("from", &s.sleeping_days.to_string()),
                ("to", &(s.lost_days - 1).to_string()),
                ("lost_days", &s.lost_days.to_string()),
                ("sleeping", &n(count(Lifecycle::Sleeping))),
                ("lost", &n(count(Lifecycle::Lost))),
                ("group_name", t_string!(i18n, group_sleeping)),
                ("group", &n(group())),
            ],
        )
    };
    view! { <p class="note" data-testid="life-vs-group">{text}</p> }
}

/// Members turning sleeping each month; months the data cannot measure yet are said so.
#[component]
fn MonthsCard(churn: Memo<Churn>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let note = move || fill(t_string!(i18n, churn_not_measurable_note), &[("days", &state.settings.with(|s| s.sleeping_days).to_string())]);
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, churn_months_title).to_string())
            option=Signal::derive(move || churn.with(|c| months(c, &labels(i18n))))
            table=Signal::derive(move || churn.with(|c| months_table(c, &labels(i18n)))) testid="churn-months-chart">
            <Show when=move || churn.with(has_unmeasurable)>
                <p class="note" data-testid="not-measurable-note">{note}</p>
            </Show>
            {move || churn.with(|c| first_measured_after_gap(c).map(|m| m.month.clone())).map(|month| {
                let days = state.settings.with(|s| s.sleeping_days).to_string();
                view! { <p class="note" data-testid="first-measured-note">{fill(t_string!(i18n, churn_first_month_note), &[("month", &month), ("days", &days)])}</p> }
            })}
        </ChartCard>
    }
}

#[component]
fn SecondYearCard(churn: Memo<Churn>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, second_year_title).to_string())
            option=Signal::derive(move || churn.with(|c| second_year(c, &labels(i18n))))
            table=Signal::derive(move || churn.with(|c| second_year_table(c, &labels(i18n)))) testid="second-year-chart">
            <p class="note">{t!(i18n, second_year_note)}</p>
        </ChartCard>
    }
}

#[component]
fn CohortCard(churn: Memo<Churn>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // From a warehouse summary the months each member bought in are unknown: cells open nothing.
    let from_summary = summary_basis();
    let open = Callback::new(move |c: ChartClick| {
        if from_summary.with_untracked(Option::is_some) {
            return;
        }
        if let Some((month, offset)) = churn.with_untracked(|ch| cohort_at(ch, &c.data)) {
            let label = fill(t_string!(i18n, cohort_cell), &[("month", &month), ("n", &offset.to_string())]);
            state.show_members(MemberFilter::cohort(month, offset), label);
        }
    });
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, cohort_title).to_string())
            option=Signal::derive(move || churn.with(|c| cohorts(c, &labels(i18n))))
            table=Signal::derive(move || churn.with(|c| cohorts_table(c, &labels(i18n))))
            cell_clicks=Signal::derive(move || if from_summary.with(Option::is_some) { Vec::new() } else { churn.with(cohort_table_clicks) })
            on_click=open testid="cohort-chart" tall=true />
    }
}

#[component]
fn ExpiryCard(churn: Memo<Churn>) -> impl IntoView {
    let i18n = use_i18n();
    let e = Memo::new(move |_| churn.with(|c| c.expiry.clone().unwrap_or_default()));
    let has_expiry = move || e.with(|e| e.expired > 0);
    view! {
        <Show when=has_expiry fallback=move || view! { <div class="card"><h2>{t!(i18n, expiry_title)}</h2><p class="note">{t!(i18n, expiry_none)}</p></div> }>
            <ChartCard title=Signal::derive(move || t_string!(i18n, expiry_title).to_string())
                option=Signal::derive(move || e.with(|e| expiry(e, &labels(i18n))))
                table=Signal::derive(move || e.with(|e| expiry_table(e, &labels(i18n)))) testid="expiry-chart">
                <p class="note">{t!(i18n, expiry_summary, stayed = move || thousands(e.get().stayed as i64), expired = move || thousands(e.get().expired as i64),
                    rate = move || percent(e.get().stay_rate))}</p>
            </ChartCard>
        </Show>
    }
}

#[component]
pub fn ChurnPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let churn = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.churn.clone()).unwrap_or_default()));
    let life = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.segments.lifecycle.clone()).unwrap_or_default()));
    // From a warehouse summary, a part the engine left empty is missing, not zero.
    let basis = summary_basis();
    // Parts from the monthly aggregates are missing only when those were not loaded (loaded,
    // an empty part is the data's: a second year not reached yet).
    let missing = move |empty: bool| empty && basis.with(|b| b.as_ref().is_some_and(|b| !b.monthly));
    view! {
        <section class="page churn-page">
            <p class="note screen-only">{t!(i18n, click_hint)}</p>
            <Fold id="risk" title=Signal::derive(move || t_string!(i18n, fold_risk).to_string()) open=true>
                <super::predictions::PredictionsSection />
            </Fold>
            <Fold id="lifecycle" title=Signal::derive(move || t_string!(i18n, fold_lifecycle).to_string())>
                <LifecycleCard life=life />
                <Show when=move || !missing(churn.with(|c| c.months.is_empty()))
                    fallback=move || view! { <MissingCard title=Signal::derive(move || t_string!(i18n, churn_months_title).to_string()) monthly=true /> }>
                    <MonthsCard churn=churn />
                </Show>
            </Fold>
            <Fold id="retention" title=Signal::derive(move || t_string!(i18n, fold_retention).to_string())>
                <Show when=move || !missing(churn.with(|c| c.cohorts.is_empty()))
                    fallback=move || view! { <MissingCard title=Signal::derive(move || t_string!(i18n, cohort_title).to_string()) monthly=true /> }>
                    <CohortCard churn=churn />
                </Show>
                <div class="grid-2">
                    <Show when=move || !missing(churn.with(|c| c.second_year.iter().all(|b| b.members == 0)))
                        fallback=move || view! { <MissingCard title=Signal::derive(move || t_string!(i18n, second_year_title).to_string()) monthly=true /> }>
                        <SecondYearCard churn=churn />
                    </Show>
                    <Show when=move || !basis.with(Option::is_some)
                        fallback=move || view! { <MissingCard title=Signal::derive(move || t_string!(i18n, expiry_title).to_string()) /> }>
                        <ExpiryCard churn=churn />
                    </Show>
                </div>
            </Fold>
            <super::predictions::ModelChecks />
            <super::settings_panel::SettingsPanel />
        </section>
    }
}
