//! A member list as a file: a table of typed cells (the XLSX writer's input, in its own crate
//! loaded only when asked) and CSV for Excel (UTF-8 with a BOM, formula-looking cells
//! neutralised). Headers and coded values (segment names, reasons) are in the page's language:
//! the page sends the words ([`ExportWords`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::members::{Column, Ctx, MemberFilter, Sort};

/// A typed cell: numbers stay numbers and dates dates in XLSX.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// Money in cents (written as yuan with two decimals).
    Money(i64),
    /// A fraction 0–1 (written as a percentage).
    Percent(f64),
    /// A date, days since 1970-01-01.
    Date(i32),
}

/// The words of an export, in the page's language: a column's header under its snake_case name
/// (`"spend"`), a coded value under `<kind>.<code>` (`"segment.champions"`, `"risk.high"`,
/// `"gender.female"`), a reason under `reason.<why>` with `%field%` placeholders
/// (`"reason.replenish": "%category% runs out on %runs_out%"`). A missing word falls back to
/// the code itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportWords {
    pub words: BTreeMap<String, String>,
}

/// A list as a table: headers and rows of typed cells, and the file name (without extension).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportTable {
    pub file_name: String,
    pub sheet: String,
    pub headers: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// What to export: the list (filter and order), the columns shown, the words, whether phones
/// go out in full, and the list's title for the file name (`"work list Birthdays"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportSpec {
    pub filter: MemberFilter,
    #[serde(default)]
    pub sort: Sort,
    pub columns: Vec<Column>,
    #[serde(default)]
    pub words: ExportWords,
    #[serde(default)]
    pub full_phones: bool,
    pub title: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// The table of `spec`'s list.
pub fn table(ctx: &Ctx<'_>, spec: &ExportSpec) -> ExportTable {
    let _ = (ctx, spec);
    ExportTable::default()
}

/// The table as CSV text for Excel: a BOM, CRLF line ends, cells that a spreadsheet would read
/// as a formula prefixed with `'`.
pub fn csv(table: &ExportTable) -> String {
    let _ = table;
    String::new()
}
