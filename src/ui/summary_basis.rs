//! When the data are member summaries made in a warehouse (`Analysis::from_summary`): a banner
//! that says so and what needs the transactions, and the note a page shows in place of a chart
//! or a list the summary cannot give.

use leptos::prelude::*;

use super::labels::I18n;
use super::state::use_state;
use crate::engine::analysis::SummaryBasis;
use crate::i18n::*;

/// The summary basis of the figures shown, `None` for figures from transactions.
pub fn summary_basis() -> Signal<Option<SummaryBasis>> {
    let state = use_state();
    Signal::derive(move || state.analysis.with(|a| a.as_ref().and_then(|a| a.from_summary.clone())))
}

/// What the page cannot show from this summary, in the page's language.
fn missing_parts(i18n: I18n, basis: &SummaryBasis) -> Vec<String> {
    let mut parts = vec![
        t_string!(i18n, summary_missing_periods).to_string(),
        t_string!(i18n, summary_missing_replenish).to_string(),
        t_string!(i18n, summary_missing_backtest).to_string(),
        t_string!(i18n, summary_missing_timeline).to_string(),
        t_string!(i18n, summary_missing_expiry).to_string(),
    ];
    if !basis.monthly {
        parts.push(t_string!(i18n, summary_missing_monthly).to_string());
    }
    parts
}

/// "Working from a member summary as of D …": what is complete and what needs transactions.
#[component]
pub fn SummaryBanner() -> impl IntoView {
    let i18n = use_i18n();
    let basis = summary_basis();
    let text = move || {
        basis.get().map(|b| {
            let list = missing_parts(i18n, &b).join(t_string!(i18n, list_separator));
            t_string!(i18n, summary_banner).replace("%date%", &b.analysis_date).replace("%missing%", &list)
        })
    };
    let differ = move || {
        let state = use_state();
        let now = state.settings.with(|s| s.sleeping_days);
        basis.get().and_then(|b| b.monthly_sleeping_days_differ).map(|then| {
            t_string!(i18n, summary_sleeping_differ).replace("%then%", &then.to_string()).replace("%now%", &now.to_string())
        })
    };
    view! {
        <Show when=move || basis.with(Option::is_some)>
            <div class="banner info" role="status" data-testid="summary-banner">
                <span>{text}</span>
                {move || differ().map(|d| view! { <span class="summary-differ" data-testid="summary-sleeping-differ">" "{d}</span> })}
            </div>
        </Show>
    }
}

/// In place of what the summary cannot give: says that `what` needs the transactions (and, for
/// the monthly figures, that the warehouse's monthly aggregates give them).
#[component]
pub fn NeedsTransactions(#[prop(into)] what: Signal<String>, #[prop(optional)] monthly: bool) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let key = if monthly { t_string!(i18n, summary_needs_monthly) } else { t_string!(i18n, summary_needs_transactions) };
        key.replace("%what%", &what.get())
    };
    view! { <p class="note needs-transactions" data-testid="needs-transactions">{text}</p> }
}

/// A card in place of a chart the summary cannot give: its title and why it is missing.
#[component]
pub fn MissingCard(#[prop(into)] title: Signal<String>, #[prop(optional)] monthly: bool) -> impl IntoView {
    view! {
        <div class="card missing-card">
            <h2>{move || title.get()}</h2>
            <NeedsTransactions what=title monthly=monthly />
        </div>
    }
}
