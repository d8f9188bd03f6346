//! A card with a chart and the same numbers as a table (accessible, copyable), behind a
//! "Table" toggle. Charts download as PNG from their toolbox.

use leptos::prelude::*;

use super::chart::{ChartClick, ChartOption, EChart};
use crate::i18n::*;

#[component]
pub fn ChartCard(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] option: Signal<ChartOption>,
    #[prop(into)] head: Signal<Vec<String>>,
    #[prop(into)] rows: Signal<Vec<Vec<String>>>,
    #[prop(optional)] on_click: Option<Callback<ChartClick>>,
    #[prop(optional)] testid: &'static str,
    #[prop(optional)] tall: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chart = match on_click {
        Some(cb) => view! { <EChart option=option label=title on_click=cb class=if tall { "tall" } else { "" } /> }.into_any(),
        None => view! { <EChart option=option label=title class=if tall { "tall" } else { "" } /> }.into_any(),
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
                        <thead><tr>{move || head.get().into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {move || rows.get().into_iter().map(|r| view! {
                                <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </div>
    }
}
