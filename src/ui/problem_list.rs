//! A table's problems on the Data page, grouped by reason with counts and paged: a file with
//! thousands of bad rows listed them all inline (17,000 px); now each reason is one folded
//! group, the largest first, showing [`PAGE_ROWS`] rows at a time.

use leptos::prelude::*;

use super::labels::I18n;
use crate::engine::import::report::{problems_by_reason, Problem, Reason};
use crate::format::thousands;
use crate::i18n::*;

/// Rows shown at once in a group.
pub const PAGE_ROWS: usize = 50;

/// One reason's rows, a page at a time.
#[component]
fn ProblemGroup(reason: Reason, problems: Vec<Problem>, open: bool, reason_text: fn(I18n, &Problem) -> String) -> impl IntoView {
    let i18n = use_i18n();
    let total = problems.len();
    let skipped = problems.iter().filter(|p| !p.kept).count();
    let first = problems.first().cloned();
    let problems = StoredValue::new(problems);
    let page = RwSignal::new(0usize);
    let pages = total.div_ceil(PAGE_ROWS).max(1);
    let rows = move || {
        let start = page.get() * PAGE_ROWS;
        problems.with_value(|ps| {
            ps.iter()
                .skip(start)
                .take(PAGE_ROWS)
                .map(|p| {
                    let kept = p.kept;
                    let text = { let p = p.clone(); move || reason_text(i18n, &p) };
                    view! {
                        <tr class:kept=kept>
                            <td>{p.row}</td><td>{p.column.clone()}</td><td>{p.value.clone()}</td><td>{text}</td>
                            <td>{move || if kept { t_string!(i18n, yes) } else { t_string!(i18n, no) }}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let range = move || {
        let start = page.get() * PAGE_ROWS;
        let (from, to, of) = (thousands(start as i64 + 1), thousands((start + PAGE_ROWS).min(total) as i64), thousands(total as i64));
        t_string!(i18n, problems_range).replace("%from%", &from).replace("%to%", &to).replace("%of%", &of)
    };
    let summary = move || {
        let name = first.as_ref().map(|p| reason_text(i18n, p)).unwrap_or_default();
        let counts = t_string!(i18n, problems_group_counts)
            .replace("%rows%", &thousands(total as i64))
            .replace("%skipped%", &thousands(skipped as i64));
        format!("{name} · {counts}")
    };
    view! {
        <details class="problem-group" open=open data-testid="problem-group" data-reason=format!("{reason:?}") data-count=total>
            <summary>{summary}</summary>
            <div class="table-wrap">
                <table class="problems">
                    <thead><tr>
                        <th>{t!(i18n, col_row)}</th><th>{t!(i18n, col_column)}</th><th>{t!(i18n, col_value)}</th>
                        <th>{t!(i18n, col_reason)}</th><th>{t!(i18n, col_kept)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(pages > 1).then(|| view! {
                <div class="pager" data-testid="problem-pager">
                    <button class="btn small" data-testid="problems-prev" disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{t!(i18n, prev)}</button>
                    <span aria-live="polite">{range}</span>
                    <button class="btn small" data-testid="problems-next" disabled=move || { page.get() + 1 >= pages }
                        on:click=move |_| page.update(|p| *p = (*p + 1).min(pages - 1))>{t!(i18n, next)}</button>
                </div>
            })}
        </details>
    }
}

/// The problems of one table: grouped, folded (the largest group open), paged.
#[component]
pub fn ProblemList(problems: Vec<Problem>, reason_text: fn(I18n, &Problem) -> String) -> impl IntoView {
    let groups = problems_by_reason(&problems);
    groups
        .into_iter()
        .enumerate()
        .map(|(i, (reason, list))| view! { <ProblemGroup reason problems=list open={i == 0} reason_text /> })
        .collect_view()
}
