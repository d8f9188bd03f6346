//! Excel workbooks and JSON documents, read whole into tables of text cells (the readers of
//! delimited text stream instead; these formats cannot be read in pieces).

use super::error::TableProblem;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, DataRef, Reader, Sheets, Xls, Xlsx};
use serde_json::Value;

use crate::dates::format_day;

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

/// The most cells an `.xls` sheet may span: the format's own limit, 65,536 rows × 256 columns,
/// so no sheet Excel can write is refused. Only a sheet declaring (or placing cells) beyond it
/// is: calamine reserves a sheet's declared cells before reading it and builds its cells as one
/// dense grid, and past this limit (up to 4 billion cells) that fails and takes the page down.
/// At the limit, the reservation is address space that is never written (about 0.7 GB of it at
/// most, within wasm32's 4 GB), and the grid holds the cells of the sheet's used area, which a
/// real export fills: memory then follows the size of the data, as for any other file.
pub const MAX_XLS_CELLS: u64 = 65_536 * 256;

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
    fn finish(mut self) -> Result<Vec<Vec<String>>, TableProblem> {
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
            return Err(TableProblem::TooManyCells { sheet: None, max: MAX_SHEET_CELLS });
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

/// A sheet's problem with the sheet named.
fn in_sheet(problem: TableProblem, name: &str) -> TableProblem {
    match problem {
        TableProblem::TooManyCells { sheet: None, max } => TableProblem::TooManyCells { sheet: Some(name.to_string()), max },
        other => other,
    }
}

/// Every worksheet of a workbook, in workbook order.
pub fn read_excel(bytes: &[u8]) -> Result<Vec<Table>, TableProblem> {
    let tables = if is_zip(bytes) {
        read_xlsx(bytes)?
    } else {
        check_xls_dimensions(bytes)?;
        let book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsError| TableProblem::NotAWorkbook { detail: e.to_string() })?;
        read_dense(Sheets::Xls(book))?
    };
    if tables.is_empty() {
        return Err(TableProblem::NoSheets);
    }
    Ok(tables)
}

/// An `.xlsx` read cell by cell (never as a dense grid: a sheet whose only cells are A1 and
/// XFD1048576 would need 17 billion of them).
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Table>, TableProblem> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| TableProblem::NotAWorkbook { detail: e.to_string() })?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let mut cells = book.worksheet_cells_reader(&name).map_err(|e| TableProblem::BadSheet { sheet: name.clone(), detail: e.to_string() })?;
        let mut rows = SparseRows::default();
        while let Some(cell) = cells.next_cell().map_err(|e| TableProblem::BadSheet { sheet: name.clone(), detail: e.to_string() })? {
            let (r, c) = cell.get_position();
            rows.put(r, c, cell_ref_text(cell.get_value()));
        }
        let rows = rows.finish().map_err(|e| in_sheet(e, &name))?;
        tables.push(Table { name: Some(name), rows });
    }
    Ok(tables)
}

/// Workbooks calamine can only give as ranges.
fn read_dense<RS: std::io::Read + std::io::Seek>(mut book: Sheets<RS>) -> Result<Vec<Table>, TableProblem> {
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| TableProblem::BadSheet { sheet: name.clone(), detail: e.to_string() })?;
        let mut rows = SparseRows::default();
        for (r, c, cell) in range.used_cells() {
            rows.put(u32::try_from(r).unwrap_or(u32::MAX), u32::try_from(c).unwrap_or(u32::MAX), cell_text(cell));
        }
        let rows = rows.finish().map_err(|e| in_sheet(e, &name))?;
        tables.push(Table { name: Some(name), rows });
    }
    Ok(tables)
}

/// Refuses an `.xls` whose sheets declare dimensions or place cells beyond the format's limit
/// ([`MAX_XLS_CELLS`]), or declare a range calamine would compute with an overflow, before
/// calamine builds them. The records are found by walking the Workbook stream of the compound
/// file, so bytes of data that happen to look like a record never count. A container that cannot
/// be walked is left to calamine, which says what is wrong with it.
fn check_xls_dimensions(bytes: &[u8]) -> Result<(), TableProblem> {
    let Some(stream) = cfb::workbook_stream(bytes) else { return Ok(()) };
    for start in biff::sheet_offsets(&stream) {
        let Some(sheet) = stream.get(start..) else { continue };
        biff::check_sheet(sheet)?;
    }
    Ok(())
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i.checked_add(2)?).map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i.checked_add(4)?).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// Just enough of the OLE2 compound file format ([MS-CFB]) to take a stream out of it.
mod cfb {
    use super::{u16_at, u32_at};

    /// Sector ids from here up are markers (end of chain, free, FAT or DIFAT sector).
    const MARKERS: u32 = 0xFFFF_FFFA;
    const MINI_SECTOR: usize = 64;

    /// The `Workbook` (BIFF8) or `Book` (BIFF5) stream, as calamine looks for it.
    pub fn workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
        let header = file.get(..512)?;
        let sector = match u16_at(header, 30)? {
            9 => 512,
            12 => 4096,
            _ => return None,
        };
        let sectors = Sectors { file, size: sector };
        let fat = sectors.fat(header)?;
        let directory = sectors.chain(u32_at(header, 48)?, &fat);
        let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
        let entry = ["Workbook", "Book"].iter().find_map(|name| entries.iter().find(|e| entry_name(e).eq_ignore_ascii_case(name)))?;
        let (start, len) = (u32_at(entry, 116)?, u32_at(entry, 120)? as usize);
        let mut stream = if len < u32_at(header, 56)? as usize {
            // A small stream lives in the mini stream (the root entry's data), in 64-byte sectors.
            let root = entries.first()?;
            let mini_stream = sectors.chain(u32_at(root, 116)?, &fat);
            let mini_fat = to_u32s(&sectors.chain(u32_at(header, 60)?, &fat));
            follow(start, &mini_fat).iter().filter_map(|&id| mini_stream.get((id as usize).checked_mul(MINI_SECTOR)?..)).flat_map(|s| &s[..s.len().min(MINI_SECTOR)]).copied().collect()
        } else {
            sectors.chain(start, &fat)
        };
        stream.truncate(len);
        Some(stream)
    }

    fn entry_name(entry: &[u8]) -> String {
        let len = u16_at(entry, 64).map_or(0, |n| usize::from(n).min(64)).saturating_sub(2);
        let units: Vec<u16> = entry[..len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    }

    fn to_u32s(bytes: &[u8]) -> Vec<u32> {
        bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
    }

    /// The ids of a chain, from `start` through `next`; a loop or an id out of range ends it.
    fn follow(start: u32, next: &[u32]) -> Vec<u32> {
        let mut ids = Vec::new();
        let mut id = start;
        while id < MARKERS && (id as usize) < next.len() && ids.len() < next.len() {
            ids.push(id);
            id = next[id as usize];
        }
        ids
    }

    struct Sectors<'a> {
        file: &'a [u8],
        size: usize,
    }

    impl Sectors<'_> {
        /// Sector `id` (the header takes the first sector's place); shorter at the end of the file.
        fn get(&self, id: u32) -> Option<&[u8]> {
            let start = (id as usize).checked_add(1)?.checked_mul(self.size)?;
            let end = start.checked_add(self.size)?.min(self.file.len());
            self.file.get(start..end)
        }

        fn chain(&self, start: u32, fat: &[u32]) -> Vec<u8> {
            follow(start, fat).iter().filter_map(|&id| self.get(id)).flatten().copied().collect()
        }

        /// The file allocation table: its sectors are listed by the DIFAT, 109 in the header
        /// and the rest in a chain of DIFAT sectors (each ending with the next one's id).
        fn fat(&self, header: &[u8]) -> Option<Vec<u32>> {
            let mut fat_sectors = to_u32s(header.get(76..512)?);
            let mut difat = u32_at(header, 68)?;
            let most = self.file.len() / self.size + 1;
            let mut seen = 0;
            while difat < MARKERS && seen < most {
                seen += 1;
                let ids = to_u32s(self.get(difat)?);
                let (last, listed) = ids.split_last()?;
                fat_sectors.extend_from_slice(listed);
                difat = *last;
            }
            Some(fat_sectors.iter().filter(|&&id| id < MARKERS).filter_map(|&id| self.get(id)).flat_map(to_u32s).collect())
        }
    }
}

/// The records of a BIFF stream ([MS-XLS]): `[type u16][length u16][data]`, one after another.
mod biff {
    use super::{u16_at, u32_at, TableProblem, MAX_XLS_CELLS};

    const BOF: u16 = 0x0809;
    const EOF: u16 = 0x000A;
    const BOUNDSHEET: u16 = 0x0085;
    const DIMENSIONS: u16 = 0x0200;
    /// Records of one cell whose data starts with its row and column (u16 each): Number,
    /// Label, RString, BoolErr, RK, LabelSst, Formula.
    const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
    /// A run of RK cells in one row: row, first column, …, last column (last u16).
    const MUL_RK: u16 = 0x00BD;

    struct Records<'a>(&'a [u8]);

    impl<'a> Iterator for Records<'a> {
        type Item = (u16, &'a [u8]);
        fn next(&mut self) -> Option<Self::Item> {
            let kind = u16_at(self.0, 0)?;
            let len = usize::from(u16_at(self.0, 2)?);
            let data = self.0.get(4..4 + len)?;
            self.0 = &self.0[4 + len..];
            Some((kind, data))
        }
    }

    /// Where each sheet's records start in the stream, from the BoundSheet records of the
    /// workbook globals (the part before the first EOF).
    pub fn sheet_offsets(stream: &[u8]) -> Vec<usize> {
        Records(stream).take_while(|&(kind, _)| kind != EOF).filter(|&(kind, _)| kind == BOUNDSHEET).filter_map(|(_, data)| u32_at(data, 0)).map(|p| p as usize).collect()
    }

    /// Checks one sheet's records (up to its EOF; embedded charts skipped, as calamine does).
    pub fn check_sheet(sheet: &[u8]) -> Result<(), TableProblem> {
        let mut depth = 0usize;
        let mut used = UsedArea::default();
        for (kind, data) in Records(sheet) {
            match kind {
                BOF => depth += 1,
                EOF if depth <= 1 => break,
                EOF => depth -= 1,
                _ if depth > 1 => {}
                DIMENSIONS => check_dimensions(data)?,
                MUL_RK => {
                    if let (Some(row), Some(first), Some(last)) = (u16_at(data, 0), u16_at(data, 2), data.len().checked_sub(2).and_then(|i| u16_at(data, i))) {
                        used.add(row, first);
                        used.add(row, last);
                    }
                }
                _ if CELLS.contains(&kind) => {
                    if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                        used.add(row, col);
                    }
                }
                _ => {}
            }
        }
        let cells = used.cells();
        if cells > MAX_XLS_CELLS {
            return Err(TableProblem::TooManyCells { sheet: None, max: MAX_XLS_CELLS });
        }
        Ok(())
    }

    /// The rectangle the cells of a sheet cover (calamine makes a grid of it).
    #[derive(Default)]
    struct UsedArea(Option<(u16, u16, u16, u16)>);

    impl UsedArea {
        fn add(&mut self, row: u16, col: u16) {
            self.0 = Some(match self.0 {
                None => (row, row, col, col),
                Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
            });
        }

        fn cells(&self) -> u64 {
            self.0.map_or(0, |(r0, r1, c0, c1)| (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1))
        }
    }

    /// DIMENSIONS: first row, last row + 1, first column, last column + 1 (u32 rows in BIFF8's
    /// 14 bytes, some writers add 2; u16 everywhere in BIFF5's 10). A sheet with cells declares
    /// a non-empty range; calamine reserves room for every cell of it.
    fn check_dimensions(data: &[u8]) -> Result<(), TableProblem> {
        let (row_first, row_end, col_first, col_end) = match data.len() {
            10 => (u32::from(u16_at(data, 0).unwrap_or(0)), u32::from(u16_at(data, 2).unwrap_or(0)), u16_at(data, 4), u16_at(data, 6)),
            14 | 16 => (u32_at(data, 0).unwrap_or(0), u32_at(data, 4).unwrap_or(0), u16_at(data, 8), u16_at(data, 10)),
            // calamine refuses other lengths itself.
            _ => return Ok(()),
        };
        let (col_first, col_end) = (col_first.unwrap_or(0), col_end.unwrap_or(0));
        // calamine's reading: an empty range when either end is 0, a first column past 255
        // or past the end taken as 0.
        if row_end == 0 || col_end == 0 {
            return Ok(());
        }
        let col_first = if col_first > 0xFF || col_end < col_first { 0 } else { col_first };
        if row_first >= row_end || col_first >= col_end {
            let (rows, columns) = (u64::from(row_end.saturating_sub(row_first)), u64::from(col_end.saturating_sub(col_first)));
            return Err(TableProblem::ImpossibleDimensions { rows, columns });
        }
        let (rows, cols) = (u64::from(row_end - row_first), u64::from(col_end - col_first));
        if rows * cols > MAX_XLS_CELLS {
            return Err(TableProblem::ImpossibleDimensions { rows, columns: cols });
        }
        Ok(())
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        // A list of plain values (tags) as the words a cell would hold: `["vip","new"]` → `vip,new`.
        Value::Array(items) if items.iter().all(|v| !v.is_array() && !v.is_object()) => {
            items.iter().map(value_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(",")
        }
        other => other.to_string(),
    }
}

/// An array of objects as a table: the header is every key, in order of first appearance.
fn objects_table(name: Option<String>, items: &[Value]) -> Result<Table, TableProblem> {
    let mut header: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(TableProblem::NotAnObject { item: i as u64 + 1, array: name.clone() });
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
pub fn read_json(bytes: &[u8]) -> Result<Vec<Table>, TableProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| TableProblem::NotJson { detail: e.to_string() })?;
    match &doc {
        Value::Array(items) => Ok(vec![objects_table(None, items)?]),
        Value::Object(map) => {
            let mut tables = Vec::new();
            for key in ["members", "transactions"] {
                if let Some(v) = map.get(key) {
                    let Value::Array(items) = v else { return Err(TableProblem::NotAnArray { key: key.to_string() }) };
                    tables.push(objects_table(Some(key.to_string()), items)?);
                }
            }
            if tables.is_empty() {
                return Err(TableProblem::NoRecords);
            }
            Ok(tables)
        }
        _ => Err(TableProblem::NoRecords),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_list_of_words_is_one_cell_of_words() {
        let tables = read_json(br#"[{"id":"1","tags":["vip","new"]},{"id":"2","tags":[]},{"id":"3","tags":[{"x":1}]}]"#).unwrap();
        let cells: Vec<&str> = tables[0].rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(cells, ["vip,new", "", r#"[{"x":1}]"#]);
    }

    #[test]
    fn json_shapes() {
        let t = read_json(br#"[{"id":"A","amount":12.5},{"id":"B","date":"2024-01-01","amount":null}]"#).unwrap();
        assert_eq!(t[0].rows, vec![vec!["id", "amount", "date"], vec!["A", "12.5", ""], vec!["B", "", "2024-01-01"]]);
        let t = read_json(br#"{"members":[{"id":"A"}],"transactions":[{"id":"A","n":1}]}"#).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].name.as_deref(), Some("transactions"));
        assert_eq!(read_json(b"[1,2]").unwrap_err(), TableProblem::NotAnObject { item: 1, array: None });
        assert_eq!(read_json(b"{\"x\":1}").unwrap_err(), TableProblem::NoRecords);
        assert!(matches!(read_json(b"[{").unwrap_err(), TableProblem::NotJson { .. }));
    }

    fn legacy_xls() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/members-legacy.xls")).unwrap()
    }

    /// Where the sheet's DIMENSIONS record starts in the file (xlwt writes one, 14 bytes long).
    fn dimensions_at(file: &[u8]) -> usize {
        let at: Vec<usize> = (0..file.len() - 4).filter(|&i| file[i..i + 4] == [0x00, 0x02, 0x0E, 0x00]).collect();
        assert_eq!(at.len(), 1);
        at[0]
    }

    fn with_dimensions(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
        let mut file = legacy_xls();
        let body = dimensions_at(&file) + 4;
        file[body..body + 4].copy_from_slice(&rows.0.to_le_bytes());
        file[body + 4..body + 8].copy_from_slice(&rows.1.to_le_bytes());
        file[body + 8..body + 10].copy_from_slice(&cols.0.to_le_bytes());
        file[body + 10..body + 12].copy_from_slice(&cols.1.to_le_bytes());
        file
    }

    #[test]
    fn the_dimensions_record_is_found_by_walking_the_workbook_stream() {
        let file = legacy_xls();
        let stream = cfb::workbook_stream(&file).expect("the Workbook stream");
        let sheets = biff::sheet_offsets(&stream);
        assert_eq!(sheets.len(), 1);
        // The walk reaches the same record the file holds: the sheet's 5 rows × 5 columns.
        let body = dimensions_at(&file) + 4;
        let declared = &file[body..body + 14];
        assert!(stream.windows(14).any(|w| w == declared));
        assert_eq!(&declared[..12], [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 5, 0]);
        assert_eq!(check_xls_dimensions(&file), Ok(()));
        // Declared over the limit, the same record is refused: the walk reads it.
        assert!(check_xls_dimensions(&with_dimensions((0, 70_000), (0, 256))).is_err());
    }

    #[test]
    fn every_size_an_xls_sheet_can_have_is_accepted() {
        // A 60,000 × 70 export (4.2 million cells), and the format's maximum.
        for (rows, cols) in [(60_000, 70), (65_536, 256)] {
            let file = with_dimensions((0, rows), (0, cols));
            assert_eq!(check_xls_dimensions(&file), Ok(()), "{rows} × {cols}");
        }
        let t = read_excel(&with_dimensions((0, 60_000), (0, 70))).expect("read");
        assert_eq!(t[0].rows[2][1], "陈静");
    }

    #[test]
    fn dimensions_beyond_the_format_or_inverted_are_refused() {
        for (rows, cols) in [((0, 65_537), (0, 256)), ((0, u32::MAX), (0, 5)), ((0, 70_000), (0, 300)), ((9, 5), (0, 5)), ((0, 5), (4, 4))] {
            let e = check_xls_dimensions(&with_dimensions(rows, cols)).expect_err("refused");
            assert!(matches!(e, TableProblem::ImpossibleDimensions { .. }), "{e}");
            assert!(read_excel(&with_dimensions(rows, cols)).is_err());
        }
    }

    #[test]
    fn a_chance_match_in_cell_text_refuses_nothing() {
        let mut file = legacy_xls();
        // The title cell's text (UTF-16 in the shared strings) made to hold the DIMENSIONS
        // pattern followed by 10,000,000 rows × 256 columns.
        let title: Vec<u8> = "会员名单（旧版系统导出）".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let at = (0..file.len() - title.len()).find(|&i| file[i..i + title.len()] == title[..]).expect("the title");
        let mut fake = vec![0x00, 0x02, 0x0E, 0x00];
        fake.extend_from_slice(&0u32.to_le_bytes());
        fake.extend_from_slice(&10_000_000u32.to_le_bytes());
        fake.extend_from_slice(&[0, 0, 0, 1, 0, 0]);
        file[at..at + fake.len()].copy_from_slice(&fake);
        assert_eq!(check_xls_dimensions(&file), Ok(()));
        let t = read_excel(&file).expect("read");
        assert_eq!(t[0].rows[1][0], "会员编号");
    }

    #[test]
    fn cells_placed_beyond_the_format_are_refused() {
        let mut file = legacy_xls();
        // The first LabelSst cell (the title at A1) moved to row 65,536, column 1,001.
        let at = (0..file.len() - 4).find(|&i| file[i..i + 4] == [0xFD, 0x00, 0x0A, 0x00]).expect("a LabelSst record");
        file[at + 4..at + 6].copy_from_slice(&65_535u16.to_le_bytes());
        file[at + 6..at + 8].copy_from_slice(&1_000u16.to_le_bytes());
        let e = check_xls_dimensions(&file).expect_err("refused");
        assert_eq!(e, TableProblem::TooManyCells { sheet: None, max: MAX_XLS_CELLS });
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
