//! The Overview page: KPI cards for a chosen period compared with before, revenue / active
//! members per month (optionally over last year's), and the stores compared.

use leptos::prelude::*;

use super::chart_card::ChartCard;
use super::labels::I18n;
use super::prefs::storage;
use super::state::use_state;
use super::summary_basis::{summary_basis, NeedsTransactions};
use crate::charts::fill;
use crate::charts::overview::{
    change_text, compare, marked_in_scope, monthly, monthly_table, period, store_name, store_revenue, store_table, year_earlier_differs, Compared,
    OverviewLabels, PeriodKpi, StoreLabels, Unit, PERIOD_KPIS,
};
use crate::engine::analysis::StoreRow;
use crate::engine::overview::{Kpis, Overview, PeriodComparison, PeriodFigures};
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;

const PERIOD_KEY: &str = "member-dashboard.overview.period";
const LAST_YEAR_KEY: &str = "member-dashboard.overview.last-year";
const PERIODS: [u32; 3] = [30, 90, 365];

fn saved_period() -> u32 {
    storage()
        .and_then(|s| s.get_item(PERIOD_KEY).ok().flatten())
        .and_then(|v| v.parse().ok())
        .filter(|d| PERIODS.contains(d))
        .unwrap_or(365)
}

fn save_item(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

fn labels(i18n: I18n) -> OverviewLabels {
    OverviewLabels {
        month: t_string!(i18n, col_month).to_string(),
        revenue: t_string!(i18n, chart_revenue).to_string(),
        active: t_string!(i18n, chart_active).to_string(),
        revenue_last_year: t_string!(i18n, ov_revenue_last_year).to_string(),
    }
}

fn store_labels(i18n: I18n) -> StoreLabels {
    StoreLabels {
        store: t_string!(i18n, col_store).to_string(),
        members: t_string!(i18n, col_members).to_string(),
        active: t_string!(i18n, ov_col_active).to_string(),
        revenue: t_string!(i18n, ov_col_revenue).to_string(),
        avg_ticket: t_string!(i18n, col_avg_ticket).to_string(),
        repeat_rate: t_string!(i18n, ov_col_repeat).to_string(),
        churn_rate: t_string!(i18n, ov_col_churn).to_string(),
        no_store: t_string!(i18n, ov_store_none).to_string(),
        in_scope: t_string!(i18n, ov_store_in_scope).to_string(),
    }
}

/// One KPI card. `value` is the exact figure (for the automation tests), `text` what people read.
#[component]
fn Kpi(
    #[prop(into)] id: Signal<String>,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(into)] value: Signal<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="kpi" data-kpi=move || id.get() data-value=move || value.get()>
            <div class="kpi-label">{move || label.get()}</div>
            <div class="kpi-value">{move || text.get()}</div>
            <div class="kpi-hint">{children()}</div>
        </div>
    }
}

/// The cards that do not depend on the period: members, and the all-time repeat purchase rate.
#[component]
fn StandingCards(kpis: Signal<Kpis>) -> impl IntoView {
    let i18n = use_i18n();
    let k = move || kpis.get();
    view! {
        <div class="kpis standing-kpis">
            <Kpi id="members"
                label=Signal::derive(move || t_string!(i18n, kpi_members).to_string())
                text=Signal::derive(move || thousands(k().members as i64))
                value=Signal::derive(move || k().members.to_string())
            >{t!(i18n, kpi_members_hint, buyers = move || thousands(k().buyers as i64))}</Kpi>
            <Kpi id="repeat_purchase_rate"
                label=Signal::derive(move || t_string!(i18n, ov_repeat_all_time).to_string())
                text=Signal::derive(move || percent(k().repeat_purchase_rate))
                value=Signal::derive(move || k().repeat_purchase_rate.to_string())
                >{t!(i18n, kpi_repeat_rate_hint)}</Kpi>
        </div>
    }
}

fn kpi_label(i18n: I18n, kpi: PeriodKpi) -> String {
    match kpi {
        PeriodKpi::Revenue => t_string!(i18n, ov_revenue),
        PeriodKpi::Orders => t_string!(i18n, ov_orders),
        PeriodKpi::AvgTicket => t_string!(i18n, ov_avg_ticket),
        PeriodKpi::Active => t_string!(i18n, ov_active),
        PeriodKpi::New => t_string!(i18n, ov_new),
        PeriodKpi::RepeatRate => t_string!(i18n, ov_repeat),
    }
    .to_string()
}

/// `members_only`: the figures are the members' alone (a warehouse summary without its monthly
/// aggregates): no walk-ins, the ticket is net spend per order.
fn kpi_hint(i18n: I18n, kpi: PeriodKpi, members_only: bool) -> String {
    match kpi {
        PeriodKpi::Revenue if members_only => t_string!(i18n, kpi_revenue_members_hint),
        PeriodKpi::AvgTicket if members_only => t_string!(i18n, kpi_avg_ticket_members_hint),
        PeriodKpi::Revenue => t_string!(i18n, kpi_revenue_12m_hint),
        PeriodKpi::AvgTicket => t_string!(i18n, kpi_avg_ticket_hint_period),
        PeriodKpi::New => t_string!(i18n, ov_new_hint),
        PeriodKpi::RepeatRate => t_string!(i18n, ov_repeat_hint),
        PeriodKpi::Orders | PeriodKpi::Active => "",
    }
    .to_string()
}

/// One "▲ 12.3% (+¥4,210) vs previous 30 days" line.
fn delta_line(i18n: I18n, kpi: PeriodKpi, now: &PeriodFigures, before: &PeriodFigures, against: String, which: &'static str) -> impl IntoView {
    let (class, text) = match compare(kpi, now, before) {
        Compared::NotComparable => ("delta na".to_string(), t_string!(i18n, ov_not_comparable).to_string()),
        Compared::Change(c) => {
            let points = if kpi.unit() == Unit::Share { t_string!(i18n, ov_pp).to_string() } else { String::new() };
            (format!("delta {}", c.arrow.class()), format!("{} {against}", change_text(&c, &points)))
        }
    };
    view! { <div class=class data-compare=which>{text}</div> }
}

/// The six period cards, each with its comparison lines.
fn period_cards(i18n: I18n, p: PeriodComparison) -> impl IntoView {
    let days = p.days;
    let previous = if days == 365 {
        t_string!(i18n, ov_vs_previous_12m).to_string()
    } else {
        fill(t_string!(i18n, ov_vs_previous_days), &[("n", &days.to_string())])
    };
    let year = t_string!(i18n, ov_vs_year_earlier).to_string();
    let both = year_earlier_differs(&p);
    PERIOD_KPIS
        .iter()
        .map(|&kpi| {
            let cur = &p.current;
            view! {
                <div class="kpi period-kpi" data-kpi=kpi.id(days) data-value=kpi.value(cur)>
                    <div class="kpi-label">{kpi_label(i18n, kpi)}</div>
                    <div class="kpi-value">{kpi.text(cur)}</div>
                    <div class="kpi-hint">{kpi_hint(i18n, kpi, false)}</div>
                    {delta_line(i18n, kpi, cur, &p.previous, previous.clone(), "previous")}
                    {both.then(|| delta_line(i18n, kpi, cur, &p.year_earlier, year.clone(), "year"))}
                </div>
            }
        })
        .collect_view()
}

/// Before the engine gives periods (or without data): the 12-month figures of the KPIs, with
/// nothing to compare.
fn kpis_as_period(k: &Kpis) -> PeriodComparison {
    let current = PeriodFigures {
        revenue_cents: k.revenue_12m_cents,
        orders: k.orders_12m,
        avg_ticket_cents: k.avg_ticket_12m_cents,
        active_members: k.active_members_12m,
        ..Default::default()
    };
    PeriodComparison { days: 365, current, ..Default::default() }
}

#[component]
fn PeriodSwitch(days: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let name = move |d: u32| match d {
        30 => t_string!(i18n, ov_period_30),
        90 => t_string!(i18n, ov_period_90),
        _ => t_string!(i18n, ov_period_365),
    };
    view! {
        <div class="period-switch" role="group" aria-label=move || t_string!(i18n, ov_period_label) data-testid="period-switch">
            <span class="period-switch-label">{t!(i18n, ov_period_label)}</span>
            {PERIODS.iter().map(|&d| view! {
                <button type="button" class="btn small" data-period=d.to_string()
                    class:selected=move || days.get() == d
                    aria-pressed=move || (days.get() == d).to_string()
                    on:click=move |_| { days.set(d); save_item(PERIOD_KEY, &d.to_string()); }
                >{move || name(d)}</button>
            }).collect_view()}
        </div>
    }
}

/// "The 12 months to D", D the analysis date; empty before a data set is loaded.
fn twelve_months_to(i18n: I18n) -> String {
    let state = use_state();
    state.analysis.with(|a| a.as_ref().map(|a| t_string!(i18n, ov_twelve_months_to).replace("%date%", &a.analysis_date)).unwrap_or_default())
}

#[component]
fn PeriodCards(overview: Memo<Overview>) -> impl IntoView {
    let i18n = use_i18n();
    let days = RwSignal::new(saved_period());
    let chosen = Memo::new(move |_| overview.with(|o| period(o, days.get()).cloned()));
    let range = move || {
        chosen.get().filter(|p| !p.current.start.is_empty()).map(|p| fill(t_string!(i18n, ov_period_range), &[("start", &p.current.start), ("end", &p.current.end)]))
    };
    view! {
        <Show when=move || overview.with(|o| !o.periods.is_empty()) fallback=move || view! {
            // Without the period comparison (a warehouse summary), the cards are the 12 months to D.
            <div class="period-bar">
                <span class="period-range" data-testid="period-range">{move || twelve_months_to(i18n)}</span>
            </div>
        }>
            <div class="period-bar">
                <PeriodSwitch days=days />
                <span class="period-range" data-testid="period-range">{range}</span>
            </div>
        </Show>
        <div class="kpis period-kpis" data-testid="period-cards" data-days=move || days.get().to_string()>
            {move || match chosen.get() {
                Some(p) => period_cards(i18n, p).into_any(),
                None => overview.with(|o| period_cards_without_comparison(i18n, kpis_as_period(&o.kpis), o.kpis.members_only)).into_any(),
            }}
        </div>
    }
}

/// The 12-month cards the KPIs can fill (no new members or period repeat rate there).
fn period_cards_without_comparison(i18n: I18n, p: PeriodComparison, members_only: bool) -> impl IntoView {
    [PeriodKpi::Revenue, PeriodKpi::Orders, PeriodKpi::AvgTicket, PeriodKpi::Active]
        .into_iter()
        .map(|kpi| {
            view! {
                <div class="kpi period-kpi" data-kpi=kpi.id(365) data-value=kpi.value(&p.current)>
                    <div class="kpi-label">{kpi_label(i18n, kpi)}</div>
                    <div class="kpi-value">{kpi.text(&p.current)}</div>
                    <div class="kpi-hint">{kpi_hint(i18n, kpi, members_only)}</div>
                </div>
            }
        })
        .collect_view()
}

#[component]
fn StoreComparison(rows: Signal<Vec<StoreRow>>, scope: Signal<Vec<String>>) -> impl IntoView {
    let state = use_state();
    let i18n = use_i18n();
    let option = Signal::derive(move || rows.with(|r| store_revenue(r, &store_labels(i18n))));
    let table = Signal::derive(move || rows.with(|r| scope.with(|s| store_table(r, s, &store_labels(i18n)))));
    view! {
        <div class="card store-compare" data-testid="store-compare">
            <h2>{t!(i18n, ov_stores_title)}</h2>
            <div class="table-wrap">
                <table class="store-table" data-testid="store-table">
                    <thead><tr>{move || table.with(|t| t.head.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view())}</tr></thead>
                    <tbody>
                        {move || {
                            let l = store_labels(i18n);
                            rows.get().into_iter().map(|r| {
                                let marked = scope.with(|s| marked_in_scope(&r, s));
                                view! {
                                    <tr data-store=r.store.clone() class:in-scope=marked>
                                        <th scope="row">{store_name(&r, &l)}
                                            {marked.then(|| view! { <span class="scope-badge">{l.in_scope.clone()}</span> })}
                                        </th>
                                        <td data-col="members">{thousands(r.members as i64)}</td>
                                        <td data-col="active">{thousands(r.active_members_12m as i64)}</td>
                                        <td data-col="revenue">{yuan(r.revenue_12m_cents)}</td>
                                        <td data-col="avg_ticket">{yuan(r.avg_ticket_12m_cents)}</td>
                                        <td data-col="repeat_rate">{percent(r.repeat_rate)}</td>
                                        <td data-col="churn_rate">{percent(r.churn_rate)}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <p class="note" data-testid="store-note">{move || {
                let days = state.analysis.with(|a| a.as_ref().map_or(365, |a| a.settings.sleeping_days));
                t_string!(i18n, ov_stores_note).replace("%days%", &thousands(days as i64))
            }}</p>
        </div>
        <ChartCard title=Signal::derive(move || t_string!(i18n, ov_stores_chart_title).to_string()) option=option table=table testid="store-chart" />
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let overview = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.overview.clone()).unwrap_or_default()));
    let store_rows = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.store_rows.clone()).unwrap_or_default()));
    let scope = Signal::derive(move || state.analysis.with(|a| a.as_ref().map(|a| a.scope.clone()).unwrap_or_default()));
    let kpis = Signal::derive(move || overview.with(|o| o.kpis.clone()));
    let last_year = RwSignal::new(storage().and_then(|s| s.get_item(LAST_YEAR_KEY).ok().flatten()).as_deref() == Some("1"));
    let chart = Signal::derive(move || overview.with(|o| monthly(o, &labels(i18n), last_year.get())));
    let table = Signal::derive(move || overview.with(|o| monthly_table(o, &labels(i18n), last_year.get())));
    // A warehouse summary without its monthly aggregates has no monthly series.
    let basis = summary_basis();
    let no_monthly_series = move || basis.with(Option::is_some) && overview.with(|o| o.months.is_empty());
    let has_partial = move || overview.with(|o: &Overview| o.months.last().is_some_and(|m| m.partial));
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        last_year.set(on);
        save_item(LAST_YEAR_KEY, if on { "1" } else { "0" });
    };
    view! {
        <section class="page overview" aria-labelledby="overview-title">
            <h1 id="overview-title" class="visually-hidden">{t!(i18n, nav_overview)}</h1>
            <StandingCards kpis=kpis />
            <PeriodCards overview=overview />
            <Show when=move || kpis.with(|k| k.members_only)>
                <p class="note" data-testid="members-only-note">{t!(i18n, ov_members_only)}</p>
            </Show>
            <Show when=move || no_monthly_series() fallback=move || view! {
            <ChartCard title=Signal::derive(move || t_string!(i18n, chart_monthly_title).to_string()) option=chart table=table testid="monthly-chart">
                <label class="compare-toggle">
                    <input type="checkbox" data-testid="compare-last-year" prop:checked=move || last_year.get() on:change=toggle />
                    {t!(i18n, ov_compare_last_year)}
                </label>
                <Show when=has_partial>
                    <p class="note">{t!(i18n, chart_partial_note)}</p>
                </Show>
            </ChartCard>
            }>
                <div class="card">
                    <h2>{t!(i18n, chart_monthly_title)}</h2>
                    <NeedsTransactions what=Signal::derive(move || t_string!(i18n, chart_monthly_title).to_string()) monthly=true />
                </div>
            </Show>
            <Show when=move || store_rows.with(|r| r.len() >= 2)>
                <StoreComparison rows=Signal::derive(move || store_rows.get()) scope=scope />
            </Show>
        </section>
    }
}
