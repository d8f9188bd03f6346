//! An export table ([`member_engine::export::ExportTable`]) as an Excel workbook: typed cells
//! (numbers as numbers, money with two decimals, percentages, real dates), a bold frozen header
//! with a filter, and column widths from the content. Text is always written as text, so a name
//! that looks like a formula stays a name.

use member_engine::dates::format_day;
use member_engine::export::{Cell, ExportTable};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Excel's serial number of 1970-01-01 (its day 0 is 1899-12-30 for dates after February 1900).
const EXCEL_1970: i64 = 25_569;
/// 1900-03-01 and 9999-12-31: outside, Excel has no date (its 1900 leap-year bug lies before).
const FIRST_SERIAL: i64 = 61;
const LAST_SERIAL: i64 = 2_958_465;
/// Longest text a cell holds.
const MAX_TEXT: usize = 32_767;
/// Widest column, in characters.
const MAX_WIDTH: usize = 50;

struct Formats {
    header: Format,
    money: Format,
    percent: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new().set_bold(),
            money: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

/// Display width of text: CJK and other wide characters count double.
fn text_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Digits of a whole number with its sign and thousands separators (`-1,234`).
fn number_width(n: i64, grouped: bool) -> usize {
    let digits = n.unsigned_abs().checked_ilog10().map_or(1, |l| l as usize + 1);
    digits + usize::from(n < 0) + if grouped { (digits - 1) / 3 } else { 0 }
}

/// How wide a cell shows, in characters.
fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) => text_width(s),
        Cell::Int(n) => number_width(*n, false),
        Cell::Money(c) => number_width(c / 100, true) + 3,
        Cell::Percent(_) => 6,
        Cell::Date(_) => 10,
    }
}

/// Each column's width: its widest cell or header, a little room, at most [`MAX_WIDTH`].
fn widths(table: &ExportTable) -> Vec<f64> {
    let mut w: Vec<usize> = table.headers.iter().map(|h| text_width(h) + 2).collect();
    for row in &table.rows {
        for (k, cell) in row.iter().enumerate() {
            if let Some(slot) = w.get_mut(k) {
                *slot = (*slot).max(cell_width(cell));
            }
        }
    }
    w.into_iter().map(|n| (n + 2).clamp(6, MAX_WIDTH) as f64).collect()
}

/// Text cut to what a cell holds (at a character boundary).
fn cell_text(s: &str) -> &str {
    match s.char_indices().nth(MAX_TEXT) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: &Cell, f: &Formats) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        // write_string: never parsed, so `=1+1` stays text.
        Cell::Text(s) => {
            ws.write_string(row, col, cell_text(s))?;
        }
        Cell::Int(n) => {
            ws.write_number(row, col, *n as f64)?;
        }
        Cell::Money(c) => {
            ws.write_number_with_format(row, col, *c as f64 / 100.0, &f.money)?;
        }
        Cell::Percent(p) if p.is_finite() => {
            ws.write_number_with_format(row, col, *p, &f.percent)?;
        }
        Cell::Percent(_) => {}
        Cell::Date(d) => {
            let serial = i64::from(*d) + EXCEL_1970;
            if (FIRST_SERIAL..=LAST_SERIAL).contains(&serial) {
                ws.write_number_with_format(row, col, serial as f64, &f.date)?;
            } else {
                ws.write_string(row, col, format_day(*d))?;
            }
        }
    }
    Ok(())
}

fn fill(ws: &mut Worksheet, table: &ExportTable) -> Result<(), XlsxError> {
    let f = Formats::new();
    ws.set_name(&table.sheet)?;
    for (k, h) in table.headers.iter().enumerate() {
        ws.write_string_with_format(0, col(k)?, cell_text(h), &f.header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (k, cell) in row.iter().enumerate() {
            write_cell(ws, r, col(k)?, cell, &f)?;
        }
    }
    for (k, w) in widths(table).into_iter().enumerate() {
        ws.set_column_width(col(k)?, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if let Some(last) = table.headers.len().checked_sub(1) {
        let last_row = u32::try_from(table.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.autofilter(0, 0, last_row, col(last)?)?;
    }
    Ok(())
}

fn col(k: usize) -> Result<u16, XlsxError> {
    u16::try_from(k).map_err(|_| XlsxError::RowColumnLimitError)
}

/// The table as the bytes of an `.xlsx` file; `Err` says why not (too many rows for Excel …).
pub fn write(table: &ExportTable) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    fill(ws, table).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_wide_characters_double_and_stop_at_fifty() {
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("张三丰"), 6);
        assert_eq!(text_width("A张"), 3);
        assert_eq!(number_width(-1234567, true), 10);
        assert_eq!(number_width(0, false), 1);
        assert_eq!(number_width(i64::MIN, true), 26);
        let t = ExportTable {
            headers: vec!["名".into(), "x".into()],
            rows: vec![vec![Cell::Text("张".repeat(40)), Cell::Money(123_456_789)]],
            ..Default::default()
        };
        // 80 display characters cut to 50; "1,234,567.89" is 12 wide, plus 2.
        assert_eq!(widths(&t), vec![50.0, 14.0]);
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let s = "张".repeat(MAX_TEXT + 5);
        assert_eq!(cell_text(&s).chars().count(), MAX_TEXT);
        assert_eq!(cell_text("ab"), "ab");
    }
}
