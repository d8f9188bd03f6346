//! Excel workbooks and JSON documents, read whole into tables of text cells (the readers of
//! delimited text stream instead; these formats cannot be read in pieces).

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, DataRef, Reader, Sheets, Xls, Xlsx};
use serde_json::Value;

use crate::engine::dates::format_day;

use super::values::day_from_excel_date_cell;

/// One table of a file: a worksheet, or one array of a JSON document.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Sheet name, or the JSON key (`members`, `transactions`); `None` for a top-level array.
    pub name: Option<String>,
    pub rows: Vec<Vec<String>>,
}

/// Columns of a worksheet that are read: members and transactions never need more, and a cell
/// at column XFD must not make every row 16,384 cells wide. Cells beyond it are left out.
pub const MAX_SHEET_COLUMNS: u32 = 1_000;

/// The most cells the rows of a sheet may hold, counting each row up to its last filled cell.
pub const MAX_SHEET_CELLS: u64 = 20_000_000;

/// The most cells an `.xls` sheet may span (rows × columns of its declared dimensions): calamine
/// builds each `.xls` sheet as one dense grid, so a sheet declaring more is refused.
pub const MAX_XLS_CELLS: u64 = 4_000_000;

/// Whether the bytes are an Excel workbook (xlsx is a zip, xls an OLE2 compound file).
pub fn is_excel(head: &[u8]) -> bool {
    is_zip(head) || is_ole2(head)
}

fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

fn is_ole2(head: &[u8]) -> bool {
    head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Whether the bytes look like a JSON document (first non-blank character `[` or `{`).
pub fn is_json(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    matches!(head.iter().find(|b| !b.is_ascii_whitespace()), Some(b'[') | Some(b'{'))
}

/// A number as a cell shows it: whole numbers without `.0`.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        // A date cell becomes an ISO date, so it parses like every other date (and a year such
        // as 9999 is then reported as out of range).
        Data::DateTime(dt) => match day_from_excel_date_cell(dt.as_f64()) {
            Some(day) => format_day(day),
            None => float_text(dt.as_f64()),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn cell_ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::SharedString(s) => s.to_string(),
        other => cell_text(&Data::from(other.clone())),
    }
}

/// Rows built from cells given one by one, in any order. Like calamine's ranges, the table
/// starts at the first used row and column; only rows up to the last non-empty one exist, and
/// columns beyond [`MAX_SHEET_COLUMNS`] from the first are left out.
#[derive(Default)]
struct SparseRows {
    cells: Vec<(u32, u32, String)>,
}

impl SparseRows {
    fn put(&mut self, row: u32, col: u32, text: String) {
        if !text.is_empty() {
            self.cells.push((row, col, text));
        }
    }

    /// The rows; `Err` when they would hold more than [`MAX_SHEET_CELLS`] cells, empty ones
    /// between the filled ones included (a sparse sheet must not become a huge dense one).
    fn finish(mut self) -> Result<Vec<Vec<String>>, String> {
        let first_row = self.cells.iter().map(|c| c.0).min().unwrap_or(0);
        let first_col = self.cells.iter().map(|c| c.1).min().unwrap_or(0);
        self.cells.retain(|c| c.1 - first_col < MAX_SHEET_COLUMNS);
        // Row by row, each row as wide as its last filled cell (rows may differ, as in text).
        self.cells.sort_unstable_by_key(|c| (c.0, c.1));
        let mut widths: Vec<(usize, usize)> = Vec::new();
        for (r, c, _) in &self.cells {
            let (r, w) = ((r - first_row) as usize, (c - first_col) as usize + 1);
            match widths.last_mut() {
                Some((last, width)) if *last == r => *width = w.max(*width),
                _ => widths.push((r, w)),
            }
        }
        let total: u64 = widths.iter().map(|&(_, w)| w as u64).sum();
        if total > MAX_SHEET_CELLS {
            return Err(format!("the sheet spans more than {MAX_SHEET_CELLS} cells"));
        }
        let height = widths.last().map_or(0, |&(r, _)| r + 1);
        // Empty rows in between cost no allocation of their own.
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); height];
        for &(r, w) in &widths {
            if let Some(row) = rows.get_mut(r) {
                row.resize(w, String::new());
            }
        }
        for (r, c, text) in self.cells {
            if let Some(slot) = rows.get_mut((r - first_row) as usize).and_then(|row| row.get_mut((c - first_col) as usize)) {
                *slot = text;
            }
        }
        Ok(rows)
    }
}

/// Every worksheet of a workbook, in workbook order.
pub fn read_excel(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let tables = if is_zip(bytes) {
        read_xlsx(bytes)?
    } else {
        check_xls_dimensions(bytes)?;
        let book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| format!("not a readable Excel workbook ({e})"))?;
        read_dense(Sheets::Xls(book))?
    };
    if tables.is_empty() {
        return Err("the workbook has no sheets".into());
    }
    Ok(tables)
}

/// An `.xlsx` read cell by cell (never as a dense grid: a sheet whose only cells are A1 and
/// XFD1048576 would need 17 billion of them).
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| format!("a ZIP archive that is not a readable Excel workbook ({e})"))?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let mut cells = book.worksheet_cells_reader(&name).map_err(|e| format!("sheet {name}: {e}"))?;
        let mut rows = SparseRows::default();
        while let Some(cell) = cells.next_cell().map_err(|e| format!("sheet {name}: {e}"))? {
            let (r, c) = cell.get_position();
            rows.put(r, c, cell_ref_text(cell.get_value()));
        }
        let rows = rows.finish().map_err(|e| format!("sheet {name}: {e}"))?;
        tables.push(Table { name: Some(name), rows });
    }
    Ok(tables)
}

/// Workbooks calamine can only give as ranges.
fn read_dense<RS: std::io::Read + std::io::Seek>(mut book: Sheets<RS>) -> Result<Vec<Table>, String> {
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| format!("sheet {name}: {e}"))?;
        let mut rows = SparseRows::default();
        for (r, c, cell) in range.used_cells() {
            rows.put(u32::try_from(r).unwrap_or(u32::MAX), u32::try_from(c).unwrap_or(u32::MAX), cell_text(cell));
        }
        let rows = rows.finish().map_err(|e| format!("sheet {name}: {e}"))?;
        tables.push(Table { name: Some(name), rows });
    }
    Ok(tables)
}

/// Refuses an `.xls` whose sheets declare absurd dimensions, before calamine builds them as
/// dense grids. BIFF8's DIMENSIONS record (id 0x0200, 14 bytes): first row, last row + 1 (u32),
/// first column, last column + 1 (u16). Found by its header in the raw bytes: a heuristic that
/// catches what Excel and other writers declare.
fn check_xls_dimensions(bytes: &[u8]) -> Result<(), String> {
    const HEADER: [u8; 4] = [0x00, 0x02, 0x0E, 0x00];
    let u32_at = |b: &[u8], i: usize| b.get(i..i + 4).map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]));
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map_or(0, |x| u16::from_le_bytes([x[0], x[1]]));
    for (i, w) in bytes.windows(4).enumerate() {
        if w != HEADER {
            continue;
        }
        let body = &bytes[i + 4..];
        let (row_first, row_end) = (u32_at(body, 0), u32_at(body, 4));
        let (col_first, col_end) = (u16_at(body, 8), u16_at(body, 10));
        let cells = u64::from(row_end.saturating_sub(row_first)) * u64::from(col_end.saturating_sub(col_first));
        if cells > MAX_XLS_CELLS {
            return Err(format!(
                "a worksheet spans {} rows × {} columns, more than can be read (at most {MAX_XLS_CELLS} cells)",
                row_end.saturating_sub(row_first),
                col_end.saturating_sub(col_first)
            ));
        }
    }
    Ok(())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// An array of objects as a table: the header is every key, in order of first appearance.
fn objects_table(name: Option<String>, items: &[Value]) -> Result<Table, String> {
    let mut header: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(format!("item {} of {} is not an object", i + 1, name.as_deref().unwrap_or("the array")));
        };
        for k in map.keys() {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
    }
    let mut rows = Vec::with_capacity(items.len() + 1);
    rows.push(header.clone());
    for item in items {
        let map = item.as_object();
        rows.push(header.iter().map(|k| map.and_then(|m| m.get(k)).map(value_text).unwrap_or_default()).collect());
    }
    Ok(Table { name, rows })
}

/// A JSON document: an array of objects, or `{ "members": [...], "transactions": [...] }`.
pub fn read_json(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    match &doc {
        Value::Array(items) => Ok(vec![objects_table(None, items)?]),
        Value::Object(map) => {
            let mut tables = Vec::new();
            for key in ["members", "transactions"] {
                if let Some(v) = map.get(key) {
                    let Value::Array(items) = v else { return Err(format!("\"{key}\" is not an array")) };
                    tables.push(objects_table(Some(key.to_string()), items)?);
                }
            }
            if tables.is_empty() {
                return Err("expected an array of objects, or an object with \"members\" and/or \"transactions\" arrays".into());
            }
            Ok(tables)
        }
        _ => Err("expected an array of objects, or an object with \"members\" and/or \"transactions\" arrays".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shapes() {
        let t = read_json(br#"[{"id":"A","amount":12.5},{"id":"B","date":"2024-01-01","amount":null}]"#).unwrap();
        assert_eq!(t[0].rows, vec![vec!["id", "amount", "date"], vec!["A", "12.5", ""], vec!["B", "", "2024-01-01"]]);
        let t = read_json(br#"{"members":[{"id":"A"}],"transactions":[{"id":"A","n":1}]}"#).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].name.as_deref(), Some("transactions"));
        assert!(read_json(b"[1,2]").unwrap_err().contains("not an object"));
        assert!(read_json(b"{\"x\":1}").unwrap_err().contains("members"));
        assert!(read_json(b"[{").unwrap_err().contains("not valid JSON"));
    }

    #[test]
    fn excel_cells_from_a_workbook_written_here() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("消费").unwrap();
        ws.write_string(0, 0, "会员卡号").unwrap();
        ws.write_string(0, 1, "消费时间").unwrap();
        ws.write_string(0, 2, "实收金额").unwrap();
        ws.write_number(1, 0, 8800001.0).unwrap();
        let date = ExcelDateTime::from_ymd(2024, 3, 5).unwrap();
        ws.write_datetime_with_format(1, 1, &date, &Format::new().set_num_format("yyyy-mm-dd")).unwrap();
        ws.write_number(1, 2, 1280.5).unwrap();
        ws.write_string(2, 0, "00123").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        assert!(is_excel(&bytes));
        let t = read_excel(&bytes).unwrap();
        assert_eq!(t[0].name.as_deref(), Some("消费"));
        assert_eq!(t[0].rows[1], vec!["8800001", "2024-03-05", "1280.5"]);
        assert_eq!(t[0].rows[2][0], "00123");
        assert!(read_excel(b"PK\x03\x04garbage").is_err());
    }
}
