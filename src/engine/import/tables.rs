//! Excel workbooks and JSON documents, read whole into tables of text cells (the readers of
//! delimited text stream instead; these formats cannot be read in pieces).

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use serde_json::Value;

use crate::engine::dates::format_day;

use super::values::day_from_excel_serial;

/// One table of a file: a worksheet, or one array of a JSON document.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Sheet name, or the JSON key (`members`, `transactions`); `None` for a top-level array.
    pub name: Option<String>,
    pub rows: Vec<Vec<String>>,
}

/// Whether the bytes are an Excel workbook (xlsx is a zip, xls an OLE2 compound file).
pub fn is_excel(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Whether the bytes look like a JSON document (first non-blank character `[` or `{`).
pub fn is_json(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    matches!(head.iter().find(|b| !b.is_ascii_whitespace()), Some(b'[') | Some(b'{'))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        // A date cell becomes an ISO date, so it parses like every other date.
        Data::DateTime(dt) => match day_from_excel_serial(dt.as_f64()) {
            Some(day) => format_day(day),
            None => dt.as_f64().to_string(),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Every worksheet of a workbook, in workbook order.
pub fn read_excel(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a readable Excel workbook ({e})"))?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| format!("sheet {name}: {e}"))?;
        let rows = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        tables.push(Table { name: Some(name), rows });
    }
    if tables.is_empty() {
        return Err("the workbook has no sheets".into());
    }
    Ok(tables)
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
