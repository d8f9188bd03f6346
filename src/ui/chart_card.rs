//! A card with a chart and the same numbers as a table (accessible, copyable), behind a
//! "Table" toggle. Charts download as PNG from their button.

use leptos::prelude::*;

use super::chart::{ChartClick, EChart};
use crate::charts::Table;
use crate::i18n::*;

#[component]
pub fn ChartCard(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] option: Signal<serde_json::Value>,
    #[prop(into)] table: Signal<Table>,
    #[prop(optional)] on_click: Option<Callback<ChartClick>>,
    /// For the table view: per cell (rows × columns of `table`), the data a click on the same
    /// item of the chart gives; such cells become buttons calling `on_click`, so what a chart
    /// click opens is reachable from the table too (and by keyboard).
    #[prop(optional, into)]
    cell_clicks: Option<Signal<Vec<Vec<Option<serde_json::Value>>>>>,
    #[prop(optional)] testid: &'static str,
    #[prop(optional)] tall: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = if tall { "tall" } else { "" };
    let chart = match on_click {
        Some(cb) => view! { <EChart option=option label=title on_click=cb class=class /> }.into_any(),
        None => view! { <EChart option=option label=title class=class /> }.into_any(),
    };
    view! {
        <div class="card chart-card" data-testid=testid>
            <h2>{move || title.get()}</h2>
            {children.map(|c| c())}
            {chart}
            <details class="table-view">
                <summary>{t!(i18n, show_table)}</summary>
                <div class="table-wrap">
                    <table>
                        <thead><tr>{move || table.with(|t| t.head.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view())}</tr></thead>
                        <tbody>
                            {move || {
                                let clicks = cell_clicks.map(|c| c.get()).unwrap_or_default();
                                table.with(|t| t.rows.iter().enumerate().map(|(y, r)| view! {
                                    <tr>{r.iter().enumerate().map(|(x, c)| {
                                        let click = clicks.get(y).and_then(|row| row.get(x)).cloned().flatten().zip(on_click);
                                        match click {
                                            Some((data, cb)) => view! { <td><button type="button" class="cell-link" data-testid="table-cell-link"
                                                on:click=move |_| cb.run(ChartClick { data: data.clone() })>{c.clone()}</button></td> }.into_any(),
                                            None => view! { <td>{c.clone()}</td> }.into_any(),
                                        }
                                    }).collect_view()}</tr>
                                }).collect_view())
                            }}
                        </tbody>
                    </table>
                </div>
            </details>
        </div>
    }
}
