//! The export's words as text: CSV, file and sheet names, money and reasons.

use serde_json::Value;

use super::{Cell, ExportTable};
use crate::dates::{format_day, Day};
use crate::worklists::WorkReason;

/// Cents as yuan with two decimals, no grouping (`-123450` → `"-1234.50"`); never overflows.
pub fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A fraction as a percentage with one decimal (`0.123` → `"12.3%"`); empty if not finite.
fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p.is_finite() {
        format!("{p:.1}%")
    } else {
        String::new()
    }
}

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, also after leading
/// spaces; or a tab or CR first) gets a leading `'`, which makes it plain text.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    let risky_start = text.starts_with(['\t', '\r']);
    let risky_sign = text.trim_start().starts_with(['=', '+', '-', '@']);
    if risky_start || risky_sign {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A cell as CSV text (before quoting): money in yuan, percentages, dates `YYYY-MM-DD`; text
/// neutralised (numbers never are: a refund stays `-12.00`).
fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => neutralise(s).into_owned(),
        Cell::Int(n) => n.to_string(),
        Cell::Money(c) => yuan(*c),
        Cell::Percent(f) => percent(*f),
        Cell::Date(d) => format_day(*d),
    }
}

/// RFC 4180: a field with a comma, a quote or a line break goes in quotes, quotes doubled.
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

fn push_line<'a>(out: &mut String, fields: impl Iterator<Item = std::borrow::Cow<'a, str>>) {
    for (k, f) in fields.enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_field(out, &f);
    }
    out.push_str("\r\n");
}

/// The table as CSV text for Excel: a BOM, CRLF line ends, cells that a spreadsheet would read
/// as a formula prefixed with `'`.
pub fn csv(table: &ExportTable) -> String {
    let mut out = String::from('\u{feff}');
    push_line(&mut out, table.headers.iter().map(|h| neutralise(h)));
    for row in &table.rows {
        push_line(&mut out, row.iter().map(|c| csv_text(c).into()));
    }
    out
}

/// Characters no file name may hold on Windows, macOS or Linux become `_`.
fn safe_file_char(c: char) -> char {
    if c.is_control() || "/\\:*?\"<>|".contains(c) {
        '_'
    } else {
        c
    }
}

/// `"<title> <analysis date>"`, safe as a file name (without extension).
pub fn file_name(title: &str, analysis_day: Day) -> String {
    let title: String = title.trim().chars().map(safe_file_char).collect();
    let date = format_day(analysis_day);
    if title.is_empty() {
        date
    } else {
        format!("{title} {date}")
    }
}

/// A name Excel takes for a sheet: at most 31 characters, none of `[]:*?/\`, not starting or
/// ending with `'`, not empty, not the reserved "History".
pub fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if c.is_control() || "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let name: String = cleaned.trim().trim_matches('\'').chars().take(31).collect();
    let name = name.trim_end_matches('\'').trim_end().to_string();
    if name.is_empty() {
        "Sheet1".to_string()
    } else if name.eq_ignore_ascii_case("history") {
        format!("{name}_")
    } else {
        name
    }
}

/// A reason field as the reason's text says it: money in yuan, P(alive) as a percentage, the
/// lifecycle state in words, dates as written.
fn field_text(name: &str, value: &Value, word: &dyn Fn(&str) -> Option<String>) -> String {
    match value {
        Value::String(s) if name == "lifecycle" => word(&format!("lifecycle.{s}")).unwrap_or_else(|| s.clone()),
        Value::String(s) => s.clone(),
        Value::Number(n) if name.ends_with("_cents") => n.as_i64().map(yuan).unwrap_or_default(),
        Value::Number(n) if name == "p_alive" => n.as_f64().map(percent).unwrap_or_default(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// Why a member is on a list, in words: the template `word("reason.<why>")` (for a birthday
/// with the age known, `reason.birthday_age` first) with each `%field%` replaced by the reason's
/// field (a field in cents as `%name%` without `_cents`, in yuan). Without a template: the code
/// and the fields. The page's reason text and the export's reason column both come from here.
pub fn reason_text(reason: &WorkReason, word: &dyn Fn(&str) -> Option<String>) -> String {
    let Ok(Value::Object(fields)) = serde_json::to_value(reason) else { return String::new() };
    let why = fields.get("why").and_then(Value::as_str).unwrap_or_default();
    let fields: Vec<(&str, String)> = fields
        .iter()
        .filter(|(k, _)| k.as_str() != "why")
        .map(|(k, v)| (k.strip_suffix("_cents").unwrap_or(k), field_text(k, v, word)))
        .collect();
    let with_age = why == "birthday" && fields.iter().any(|(k, v)| *k == "age" && !v.is_empty());
    let template = with_age.then(|| word("reason.birthday_age")).flatten().or_else(|| word(&format!("reason.{why}")));
    match template {
        Some(t) => fields.iter().fold(t, |t, (k, v)| t.replace(&format!("%{k}%"), v)),
        None => {
            let said: Vec<String> = fields.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k} {v}")).collect();
            format!("{why}: {}", said.join(", "))
        }
    }
}
