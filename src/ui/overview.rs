//! The Overview page: KPI cards and revenue / active members per month.

use charming::component::{Axis, Feature, Grid, Legend, SaveAsImage, Toolbox};
use charming::element::{AxisType, Tooltip, Trigger};
use charming::series::{Bar, Line};
use charming::Chart;
use leptos::prelude::*;

use super::chart::EChart;
use super::state::use_state;
use crate::engine::overview::Overview;
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

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

fn monthly_chart(o: &Overview, revenue_label: &str, active_label: &str) -> Chart {
    let months: Vec<String> = o.months.iter().map(|m| m.month.clone()).collect();
    let revenue: Vec<f64> = o.months.iter().map(|m| (m.revenue_cents as f64 / 100.0).round()).collect();
    let active: Vec<f64> = o.months.iter().map(|m| m.active_members as f64).collect();
    Chart::new()
        .background_color("transparent")
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        // Legend left, save-as-PNG right, on one line above the plot; the legend names the axes.
        .legend(Legend::new().left("0").top("0"))
        .toolbox(Toolbox::new().right("0").top("0").feature(Feature::new().save_as_image(SaveAsImage::new())))
        .grid(Grid::new().left("4").right("4").bottom("4").top("40").contain_label(true))
        .x_axis(Axis::new().type_(AxisType::Category).data(months))
        .y_axis(Axis::new().type_(AxisType::Value))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(Bar::new().name(revenue_label).data(revenue))
        .series(Line::new().name(active_label).y_axis_index(1.0).data(active))
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let overview = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.overview.clone())));
    let kpis = move || overview.get().map(|o| o.kpis).unwrap_or_default();

    let chart = Signal::derive(move || -> super::chart::ChartOption {
        let o = overview.get().unwrap_or_default();
        monthly_chart(&o, &t_string!(i18n, chart_revenue).to_string(), &t_string!(i18n, chart_active).to_string()).into()
    });
    let has_partial = move || overview.with(|o| o.as_ref().is_some_and(|o| o.months.last().is_some_and(|m| m.partial)));

    view! {
        <section class="page overview" aria-labelledby="overview-title">
            <h1 id="overview-title" class="visually-hidden">{t!(i18n, nav_overview)}</h1>
            <div class="kpis">
                <Kpi id="members"
                    label=Signal::derive(move || t_string!(i18n, kpi_members).to_string())
                    text=Signal::derive(move || thousands(kpis().members as i64))
                    value=Signal::derive(move || kpis().members.to_string())
                >{t!(i18n, kpi_members_hint, buyers = move || thousands(kpis().buyers as i64))}</Kpi>
                <Kpi id="active_members_12m"
                    label=Signal::derive(move || t_string!(i18n, kpi_active_12m).to_string())
                    text=Signal::derive(move || thousands(kpis().active_members_12m as i64))
                    value=Signal::derive(move || kpis().active_members_12m.to_string())
                    >{t!(i18n, kpi_active_12m_hint)}</Kpi>
                <Kpi id="revenue_12m_cents"
                    label=Signal::derive(move || t_string!(i18n, kpi_revenue_12m).to_string())
                    text=Signal::derive(move || yuan(kpis().revenue_12m_cents))
                    value=Signal::derive(move || kpis().revenue_12m_cents.to_string())
                    >{t!(i18n, kpi_revenue_12m_hint)}</Kpi>
                <Kpi id="avg_ticket_12m_cents"
                    label=Signal::derive(move || t_string!(i18n, kpi_avg_ticket).to_string())
                    text=Signal::derive(move || yuan(kpis().avg_ticket_12m_cents))
                    value=Signal::derive(move || kpis().avg_ticket_12m_cents.to_string())
                    >{t!(i18n, kpi_avg_ticket_hint)}</Kpi>
                <Kpi id="repeat_purchase_rate"
                    label=Signal::derive(move || t_string!(i18n, kpi_repeat_rate).to_string())
                    text=Signal::derive(move || percent(kpis().repeat_purchase_rate))
                    value=Signal::derive(move || kpis().repeat_purchase_rate.to_string())
                    >{t!(i18n, kpi_repeat_rate_hint)}</Kpi>
            </div>
            <div class="card">
                <h2>{t!(i18n, chart_monthly_title)}</h2>
                <EChart option=chart label=Signal::derive(move || t_string!(i18n, chart_monthly_title).to_string()) />
                <Show when=has_partial>
                    <p class="note">{t!(i18n, chart_partial_note)}</p>
                </Show>
            </div>
        </section>
    }
}
