//! The Data page: load files, go back to the demo, and see what the current data set is made of
//! (each file's rows read, used and skipped, and every rejected row).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::bridge;
use super::state::use_state;
use crate::format::thousands;
use crate::i18n::*;

#[component]
pub fn DataPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        // The outcome shows through the state; the Promise is for the automation interface.
        let _ = bridge::load_files(state, files);
        input.set_value("");
    };
    let files = move || state.analysis.with(|a| a.as_ref().map(|a| a.files.clone()).unwrap_or_default());
    view! {
        <section class="page data">
            <div class="card">
                <h1>{t!(i18n, data_title)}</h1>
                <p>{t!(i18n, data_intro)}</p>
                <div class="actions">
                    <label class="btn primary file-button">
                        {t!(i18n, choose_files)}
                        <input type="file" data-testid="file-input" multiple accept=".csv,.txt,.tsv" on:change=on_files />
                    </label>
                    <button class="btn" on:click=move |_| bridge::load_demo(state)>{t!(i18n, back_to_demo)}</button>
                </div>
            </div>
            <div class="card">
                <h2>{t!(i18n, current_data)}</h2>
                {move || state.analysis.with(|a| match a {
                    None => view! { <p>{t!(i18n, no_data)}</p> }.into_any(),
                    Some(a) => view! {
                        <p data-testid="current-data">{a.dataset_name.clone()}" · "{thousands(a.members as i64)}" members · "{thousands(a.transactions as i64)}" rows"</p>
                    }.into_any(),
                })}
                <For each=files key=|f| f.name.clone() let:f>
                    <div class="file-report" data-testid="file-report">
                        <h3>{f.name.clone()}</h3>
                        <p>{format!("read {} · used {} · skipped {} · walk-in {}", thousands(f.rows_read as i64), thousands(f.rows_used as i64), thousands(f.rows_skipped as i64), thousands(f.walk_in_rows as i64))}</p>
                        <Show when={let n = f.problems.len(); move || n > 0}>
                            <table class="problems">
                                <thead><tr><th>"row"</th><th>"column"</th><th>"value"</th><th>"reason"</th></tr></thead>
                                <tbody>
                                    {f.problems.iter().take(200).map(|p| view! {
                                        <tr><td>{p.row}</td><td>{p.column.clone()}</td><td>{p.value.clone()}</td><td>{p.reason.clone()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </Show>
                    </div>
                </For>
            </div>
        </section>
    }
}
