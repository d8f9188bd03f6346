//! The Data page: choose files (then the mapping screen), go back to the demo, and see what the
//! current data set is made of: each table's rows read, used and skipped, and every problem,
//! downloadable as CSV.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::bridge;
use super::mapping::MappingScreen;
use super::state::use_state;
use crate::engine::import::report::{problems_csv, CsvWords, FileReport, Problem, Reason};
use crate::format::thousands;
use crate::i18n::*;

/// Offers text as a file download (a Blob URL on a temporary link).
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = document().create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A table's title: a JSON document's `members` / `transactions` arrays (also an API's records)
/// named in the page's language.
fn table_title(i18n: leptos_i18n::I18nContext<Locale>, name: &str) -> String {
    if let Some(file) = name.strip_suffix(" · members") {
        return format!("{file} · {}", t_string!(i18n, role_members));
    }
    if let Some(file) = name.strip_suffix(" · transactions") {
        return format!("{file} · {}", t_string!(i18n, role_transactions));
    }
    name.to_string()
}

/// A problem's reason in the page's language.
pub fn reason_text(i18n: leptos_i18n::I18nContext<Locale>, p: &Problem) -> String {
    match p.code {
        Reason::OrderReused => t_string!(i18n, reason_order_reused).replace("%row%", &p.other_row.unwrap_or(0).to_string()),
        Reason::NoDate => t_string!(i18n, reason_no_date).to_string(),
        Reason::NotADate => t_string!(i18n, reason_not_a_date).to_string(),
        Reason::NoAmount => t_string!(i18n, reason_no_amount).to_string(),
        Reason::NotAnAmount => t_string!(i18n, reason_not_an_amount).to_string(),
        Reason::NoMemberId => t_string!(i18n, reason_no_member_id).to_string(),
        Reason::MemberIdRepeated => t_string!(i18n, reason_member_id_repeated).to_string(),
        Reason::MemberIdInEarlierTable => t_string!(i18n, reason_member_id_in_earlier_table).to_string(),
        Reason::DateLeftOut => t_string!(i18n, reason_date_left_out).to_string(),
        Reason::NumberLeftOut => t_string!(i18n, reason_number_left_out).to_string(),
        Reason::DateOutOfRange => t_string!(i18n, reason_date_out_of_range).to_string(),
        Reason::AmountTooLarge => t_string!(i18n, reason_amount_too_large).to_string(),
        Reason::TotalTooLarge => t_string!(i18n, reason_total_too_large).to_string(),
        Reason::UnknownMember => t_string!(i18n, reason_unknown_member).to_string(),
        Reason::TooManyTags => t_string!(i18n, reason_too_many_tags).to_string(),
        Reason::TagTooLong => t_string!(i18n, reason_tag_too_long).to_string(),
        Reason::NotAWholeNumber => t_string!(i18n, reason_not_a_whole_number).to_string(),
        Reason::CountOutOfRange => t_string!(i18n, reason_count_out_of_range).to_string(),
        Reason::AnalysisDateDiffers => t_string!(i18n, reason_analysis_date_differs).to_string(),
        Reason::PurchaseWithoutDates => t_string!(i18n, reason_purchase_without_dates).to_string(),
        Reason::LastBeforeFirst => t_string!(i18n, reason_last_before_first).to_string(),
        Reason::CountAboveTotal => t_string!(i18n, reason_count_above_total).to_string(),
        Reason::AfterAnalysisDate => t_string!(i18n, reason_after_analysis_date).to_string(),
        Reason::UnknownMeasure => t_string!(i18n, reason_unknown_measure).to_string(),
        Reason::NotAMonth => t_string!(i18n, reason_not_a_month).to_string(),
        Reason::UnknownVisits => t_string!(i18n, reason_unknown_visits).to_string(),
        Reason::MeasureRepeated => t_string!(i18n, reason_measure_repeated).to_string(),
    }
}

/// The problems of every table as CSV, in the page's language.
fn problems_download(i18n: leptos_i18n::I18nContext<Locale>, reports: &[FileReport]) -> String {
    let head = [
        t_string!(i18n, col_file).to_string(),
        t_string!(i18n, col_row).to_string(),
        t_string!(i18n, col_column).to_string(),
        t_string!(i18n, col_value).to_string(),
        t_string!(i18n, col_reason).to_string(),
        t_string!(i18n, col_kept).to_string(),
    ];
    let (yes, no) = (t_string!(i18n, yes).to_string(), t_string!(i18n, no).to_string());
    let reason = |p: &Problem| reason_text(i18n, p);
    let words = CsvWords { head: head.each_ref().map(String::as_str), yes: &yes, no: &no, reason: &reason };
    problems_csv(reports, &words)
}

#[component]
fn FileReportView(report: FileReport) -> impl IntoView {
    let i18n = use_i18n();
    let r = report;
    let n = |v: u64| thousands(v as i64);
    let (read, used, skipped, walkin, warnings) = (n(r.rows_read), n(r.rows_used), n(r.rows_skipped), n(r.walk_in_rows), n(r.rows_with_warnings));
    let unknown = r.unknown_members;
    let dups = r.duplicate_orders;
    let more = r.problems_not_listed;
    let problems = r.problems.clone();
    let has_problems = !r.problems.is_empty();
    view! {
        <div class="file-report" data-testid="file-report" data-name=r.name.clone()>
            <h3>{let name = r.name.clone(); move || table_title(i18n, &name)}</h3>
            <p class="muted">{t!(i18n, report_format)}{t!(i18n, colon)}{let read_as = r.clone(); move || super::notes::format_text(i18n, &read_as)}" · "
                {let role = r.role; move || super::mapping::role_label(i18n, role)}</p>
            <p data-testid="report-counts">{t!(i18n, report_counts, read = move || read.clone(), used = move || used.clone(), skipped = move || skipped.clone(), walkin = move || walkin.clone(), warnings = move || warnings.clone())}</p>
            {(unknown > 0).then(|| view! { <p class="warning">{t!(i18n, report_unknown_members, n = move || thousands(unknown as i64))}</p> })}
            {(dups > 0).then(|| view! { <p class="warning">{t!(i18n, report_duplicate_orders, n = move || thousands(dups as i64))}</p> })}
            {r.notes.iter().map(|n| view! { <p class="warning" data-testid="table-note">{super::notes::note_view(i18n, n)}</p> }).collect_view()}
            {has_problems.then(|| view! { <super::problem_list::ProblemList problems=problems reason_text=reason_text /> })}
            {(more > 0).then(|| view! { <p class="note">{t!(i18n, report_more_problems, n = move || thousands(more as i64))}</p> })}
        </div>
    }
}

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
        bridge::inspect_for_mapping(state, files);
        input.set_value("");
    };
    let reports = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.files.clone()).unwrap_or_default()));
    let any_problem = move || reports.with(|r| r.iter().any(|f| !f.problems.is_empty()));
    let download_problems = move |_| {
        let csv = problems_download(i18n, &reports.get_untracked());
        download("problems.csv", "text/csv;charset=utf-8", &csv);
    };
    view! {
        <section class="page data">
            <div class="card">
                <h1>{t!(i18n, data_title)}</h1>
                <p>{t!(i18n, data_intro)}</p>
                <div class="actions">
                    <label class="btn primary file-button" tabindex="0"
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                if let Some(input) = document().query_selector("[data-testid=file-input]").ok().flatten() {
                                    if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() { input.click(); }
                                }
                            }
                        }>
                        {t!(i18n, choose_files)}
                        <input type="file" data-testid="file-input" multiple
                            accept=".csv,.txt,.tsv,.tab,.xlsx,.xls,.json,.parquet" on:change=on_files />
                    </label>
                    <button class="btn" on:click=move |_| bridge::load_demo(state)>{t!(i18n, back_to_demo)}</button>
                </div>
                <p class="muted drop-hint">{t!(i18n, drop_files_hint)}</p>
            </div>
            <super::api_panel::ApiPanel />
            <MappingScreen />
            <div class="card">
                <h2>{t!(i18n, current_data)}</h2>
                {move || state.analysis.with(|a| match a {
                    None => view! { <p>{t!(i18n, no_data)}</p> }.into_any(),
                    Some(a) => {
                        let (m, t) = (thousands(a.members as i64), thousands(a.transactions as i64));
                        let counts = if a.from_summary.is_some() {
                            t!(i18n, members_from_summary, members = move || m.clone()).into_any()
                        } else {
                            t!(i18n, members_and_rows, members = move || m.clone(), rows = move || t.clone()).into_any()
                        };
                        view! {
                            <p data-testid="current-data"><strong>{a.dataset_name.clone()}</strong>" · "{counts}</p>
                        }.into_any()
                    }
                })}
                <Show when=any_problem>
                    <button class="btn small" data-testid="download-problems" on:click=download_problems>{t!(i18n, report_download)}</button>
                </Show>
                <For each=move || reports.get() key=|f| f.name.clone() let:f>
                    <FileReportView report=f />
                </For>
            </div>
            <super::storage_panel::StoragePanel />
        </section>
    }
}
