//! A table's notes ([`TableNote`]) in the page's language: what the reader recognised or could
//! not read, shown on the mapping screen and in the load report.

use leptos::prelude::*;

use crate::engine::import::decode::TextEncoding;
use crate::engine::import::delimited::Delimiter;
use crate::engine::import::plan::Source;
use crate::engine::import::refuse::NotData;
use crate::engine::import::report::FileReport;
use crate::engine::import::report::TableNote;
use crate::i18n::*;

type I18n = leptos_i18n::I18nContext<Locale>;

/// Up to this many rows are listed in a note; the rest are counted.
const ROWS_LISTED: usize = 10;

fn row_list(rows: &[u64]) -> String {
    let mut s: Vec<String> = rows.iter().take(ROWS_LISTED).map(u64::to_string).collect();
    if rows.len() > ROWS_LISTED {
        s.push("…".into());
    }
    s.join(", ")
}

pub fn note_view(i18n: I18n, note: &TableNote) -> AnyView {
    match note.clone() {
        TableNote::Empty => view! { {t!(i18n, note_empty)} }.into_any(),
        TableNote::InvalidBytes { encoding } => view! { {t!(i18n, note_invalid_bytes, encoding = move || encoding.clone())} }.into_any(),
        TableNote::EncodingChanged { from, to, row } => {
            view! { {t!(i18n, note_encoding_changed, from = move || from.clone(), to = move || to.clone(), row = move || row)} }.into_any()
        }
        TableNote::UnclosedQuote { row } => view! { {t!(i18n, note_unclosed_quote, row = move || row)} }.into_any(),
        TableNote::DuplicateHeader { header, column, other } => {
            view! { {t!(i18n, note_duplicate_header, header = move || header.clone(), column = move || column, other = move || other)} }.into_any()
        }
        TableNote::TotalsRows { rows } => {
            let list = row_list(&rows);
            view! { {t!(i18n, note_totals_rows, rows = move || list.clone())} }.into_any()
        }
        TableNote::OrderLinesMerged { lines, orders } => {
            view! { {t!(i18n, note_order_lines_merged, lines = move || lines, orders = move || orders)} }.into_any()
        }
        TableNote::OrderTotalColumn { header } => view! { {t!(i18n, note_order_total_column, header = move || header.clone())} }.into_any(),
        TableNote::NotSales { value, rows } => view! { {t!(i18n, note_not_sales, value = move || value.clone(), rows = move || rows)} }.into_any(),
        TableNote::PhoneAsMemberId { header } => view! { {t!(i18n, note_phone_as_member_id, header = move || header.clone())} }.into_any(),
        TableNote::MappingRemembered => view! { {t!(i18n, note_mapping_remembered)} }.into_any(),
    }
}

/// `file: why it is not read`, in the page's language (`%n%` filled by hand: leptos_i18n's string form cannot interpolate).
pub fn refusal_text(i18n: I18n, file: &str, reason: &NotData) -> String {
    let why = match reason {
        NotData::Format { format } => t_string!(i18n, refused_format).replace("%format%", &format_name(i18n, format)),
        NotData::Binary => t_string!(i18n, refused_binary).to_string(),
        NotData::Empty => t_string!(i18n, refused_empty).to_string(),
        NotData::TooShort { bytes } => t_string!(i18n, refused_too_short).replace("%n%", &bytes.to_string()),
        NotData::NoLineBreak { bytes } => t_string!(i18n, refused_no_line_break).replace("%n%", &(bytes / 1024).to_string()),
        NotData::HeaderOnly => t_string!(i18n, refused_header_only).to_string(),
        NotData::NoTable => t_string!(i18n, refused_no_table).to_string(),
    };
    format!("{file}: {why}")
}

/// A binary format's name (`PNG image`) with its kind word in the page's language.
fn format_name(i18n: I18n, format: &str) -> String {
    if i18n.get_locale_untracked() != Locale::zh_CN {
        return format.to_string();
    }
    const KINDS: [(&str, &str); 8] = [
        ("image", "图片"), ("document", "文档"), ("archive", "压缩包"), ("audio", "音频"),
        ("video", "视频"), ("database", "数据库"), ("program", "程序"), ("module", "模块"),
    ];
    KINDS.iter().fold(format.to_string(), |s, (en, zh)| s.replace(en, zh))
}

/// How a table is read (`GBK/GB18030, comma-separated`), in the page's language.
pub fn source_text(i18n: I18n, source: &Source) -> String {
    match source {
        Source::Delimited { encoding, delimiter } => {
            let d = match delimiter {
                Delimiter::Comma => t_string!(i18n, delim_comma),
                Delimiter::Tab => t_string!(i18n, delim_tab),
                Delimiter::Semicolon => t_string!(i18n, delim_semicolon),
                Delimiter::Pipe => t_string!(i18n, delim_pipe),
                Delimiter::Whitespace => t_string!(i18n, delim_spaces),
            };
            let e = match encoding {
                TextEncoding::Gb18030 => "GBK/GB18030",
                other => other.label(),
            };
            format!("{e}{}{d}", t_string!(i18n, comma))
        }
        Source::Excel { sheet } => t_string!(i18n, source_excel).replace("%sheet%", sheet),
        Source::Json { key: Some(k) } => format!("JSON, \"{k}\""),
        Source::Json { key: None } => "JSON".to_string(),
    }
}

/// The name `api_load` gives the records of an API (`API host`, then ` · members` /
/// ` · transactions` for each array); a user's JSON file keeps its `.json`.
fn from_api(r: &FileReport) -> bool {
    r.name.starts_with("API ") && !r.name.to_ascii_lowercase().contains(".json")
}

/// A load report's "read as" line in the page's language: an API's records are said to come
/// from the API (their JSON header row means nothing to the user).
pub fn format_text(i18n: I18n, r: &FileReport) -> String {
    let Some(source) = &r.source else { return String::new() };
    if matches!(source, Source::Json { .. }) && from_api(r) {
        return t_string!(i18n, source_api).to_string();
    }
    let header = match r.header_row {
        Some(row) => t_string!(i18n, header_on_row).replace("%n%", &row.to_string()),
        None => t_string!(i18n, no_header_row).to_string(),
    };
    format!("{}{}{header}", source_text(i18n, source), t_string!(i18n, comma))
}
