//! The Churn page: the predictions, lifecycle states, members turning sleeping each month,
//! cohort retention, the first-year visits vs renewal chart, and renewal around membership
//! expiry.

use leptos::prelude::*;

use super::chart::ChartClick;
use super::chart_card::ChartCard;
use super::labels::{life_name, I18n};
use super::state::use_state;
use crate::charts::churn::{
    cohort_at, cohorts, cohorts_table, expiry, expiry_table, lifecycle, lifecycle_table, months, months_table, second_year, second_year_table,
    ChurnLabels,
};
use crate::charts::{clicked_key, fill, key_of};
use crate::engine::churn::Churn;
use crate::engine::members::MemberFilter;
use crate::engine::segments::{Lifecycle, SegmentStat};
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
    }
}

#[component]
fn LifecycleCard(life: Memo<Vec<SegmentStat<Lifecycle>>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let name = move |k| life_name(i18n, k);
    let open = move |k: Lifecycle| state.show_members(MemberFilter::lifecycle(k), life_name(i18n, k));
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
                        {move || life_name(i18n, k)}" "{thousands(s.members as i64)}</button>
                } }).collect_view()}
            </div>
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
    let open = Callback::new(move |c: ChartClick| {
        if let Some((month, offset)) = churn.with_untracked(|ch| cohort_at(ch, &c.data)) {
            let label = fill(t_string!(i18n, cohort_cell), &[("month", &month), ("n", &offset.to_string())]);
            state.show_members(MemberFilter::cohort(month, offset), label);
        }
    });
    view! {
        <ChartCard title=Signal::derive(move || t_string!(i18n, cohort_title).to_string())
            option=Signal::derive(move || churn.with(|c| cohorts(c, &labels(i18n))))
            table=Signal::derive(move || churn.with(|c| cohorts_table(c, &labels(i18n)))) on_click=open testid="cohort-chart" tall=true />
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
    view! {
        <section class="page churn-page">
            <p class="note screen-only">{t!(i18n, click_hint)}</p>
            <super::predictions::PredictionsSection />
            <div class="grid-2">
                <LifecycleCard life=life />
                <SecondYearCard churn=churn />
            </div>
            <ChartCard title=Signal::derive(move || t_string!(i18n, churn_months_title).to_string())
                option=Signal::derive(move || churn.with(|c| months(c, &labels(i18n))))
                table=Signal::derive(move || churn.with(|c| months_table(c, &labels(i18n)))) testid="churn-months-chart" />
            <CohortCard churn=churn />
            <ExpiryCard churn=churn />
            <super::settings_panel::SettingsPanel />
        </section>
    }
}
