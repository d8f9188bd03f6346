//! The Overview page: KPI cards and revenue / active members per month.

use leptos::prelude::*;

use super::chart_card::ChartCard;
use super::labels::I18n;
use super::state::use_state;
use crate::charts::overview::{monthly, monthly_table, OverviewLabels};
use crate::engine::overview::{Kpis, Overview};
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

fn labels(i18n: I18n) -> OverviewLabels {
    OverviewLabels {
        month: t_string!(i18n, col_month).to_string(),
        revenue: t_string!(i18n, chart_revenue).to_string(),
        active: t_string!(i18n, chart_active).to_string(),
    }
}

/// One KPI card. `value` is the exact figure (for the automation tests), `text` what people read.
#[component]
fn Kpi(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(into)] value: Signal<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="kpi" data-kpi=id data-value=move || value.get()>
            <div class="kpi-label">{move || label.get()}</div>
            <div class="kpi-value">{move || text.get()}</div>
            <div class="kpi-hint">{children()}</div>
        </div>
    }
}

#[component]
fn KpiCards(kpis: Signal<Kpis>) -> impl IntoView {
    let i18n = use_i18n();
    let k = move || kpis.get();
    view! {
        <div class="kpis">
            <Kpi id="members"
                label=Signal::derive(move || t_string!(i18n, kpi_members).to_string())
                text=Signal::derive(move || thousands(k().members as i64))
                value=Signal::derive(move || k().members.to_string())
            >{t!(i18n, kpi_members_hint, buyers = move || thousands(k().buyers as i64))}</Kpi>
            <Kpi id="active_members_12m"
                label=Signal::derive(move || t_string!(i18n, kpi_active_12m).to_string())
                text=Signal::derive(move || thousands(k().active_members_12m as i64))
                value=Signal::derive(move || k().active_members_12m.to_string())
                >{t!(i18n, kpi_active_12m_hint)}</Kpi>
            <Kpi id="revenue_12m_cents"
                label=Signal::derive(move || t_string!(i18n, kpi_revenue_12m).to_string())
                text=Signal::derive(move || yuan(k().revenue_12m_cents))
                value=Signal::derive(move || k().revenue_12m_cents.to_string())
                >{t!(i18n, kpi_revenue_12m_hint)}</Kpi>
            <Kpi id="avg_ticket_12m_cents"
                label=Signal::derive(move || t_string!(i18n, kpi_avg_ticket).to_string())
                text=Signal::derive(move || yuan(k().avg_ticket_12m_cents))
                value=Signal::derive(move || k().avg_ticket_12m_cents.to_string())
                >{t!(i18n, kpi_avg_ticket_hint)}</Kpi>
            <Kpi id="repeat_purchase_rate"
                label=Signal::derive(move || t_string!(i18n, kpi_repeat_rate).to_string())
                text=Signal::derive(move || percent(k().repeat_purchase_rate))
                value=Signal::derive(move || k().repeat_purchase_rate.to_string())
                >{t!(i18n, kpi_repeat_rate_hint)}</Kpi>
        </div>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let overview = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.overview.clone()).unwrap_or_default()));
    let kpis = Signal::derive(move || overview.with(|o| o.kpis.clone()));
    let chart = Signal::derive(move || overview.with(|o| monthly(o, &labels(i18n))));
    let table = Signal::derive(move || overview.with(|o| monthly_table(o, &labels(i18n))));
    let has_partial = move || overview.with(|o: &Overview| o.months.last().is_some_and(|m| m.partial));
    view! {
        <section class="page overview" aria-labelledby="overview-title">
            <h1 id="overview-title" class="visually-hidden">{t!(i18n, nav_overview)}</h1>
            <KpiCards kpis=kpis />
            <ChartCard title=Signal::derive(move || t_string!(i18n, chart_monthly_title).to_string()) option=chart table=table testid="monthly-chart">
                <Show when=has_partial>
                    <p class="note">{t!(i18n, chart_partial_note)}</p>
                </Show>
            </ChartCard>
        </section>
    }
}
