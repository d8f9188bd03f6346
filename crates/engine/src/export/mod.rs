//! A member list as a file: a table of typed cells (the XLSX writer's input, in its own crate
//! loaded only when asked) and CSV for Excel (UTF-8 with a BOM, formula-looking cells
//! neutralised). Headers and coded values (segment names, reasons) are in the page's language:
//! the page sends the words ([`ExportWords`]).

mod cells;
mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::members::{matching, Column, Condition, Ctx, MemberFilter, Sort};
use crate::worklists::WorkListKey;

pub use cells::code;
pub use text::{csv, file_name, neutralise, reason_text, sheet_name, yuan};

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

/// The words of an export, in the page's language: a column's header under `col.<snake_case
/// name>` (`"col.spend"`), a coded value under `<kind>.<code in lower case>`
/// (`"segment.champions"`, `"risk.high"`, `"gender.female"`, `"layer.a"`; kinds: segment, cn_rfm,
/// layer, quadrant, lifecycle, tier_fit, risk, gender, zodiac, star_sign), a reason under `reason.<why>` with `%field%`
/// placeholders (`"reason.replenish": "%category% runs out on %runs_out%"`; a birthday with the
/// age known uses `reason.birthday_age` when given). A missing word falls back to the code itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportWords {
    pub words: BTreeMap<String, String>,
}

impl ExportWords {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.words.get(key).map(String::as_str)
    }

    /// A column's header: its word, else its snake_case name.
    pub fn header(&self, column: Column) -> String {
        let name = code(&column);
        self.get(&format!("col.{name}")).map_or(name, str::to_string)
    }

    /// A coded value's word (`kind` `"segment"`, `code` `"champions"`), else the code.
    pub fn coded(&self, kind: &str, code: &str) -> String {
        self.get(&format!("{kind}.{code}")).unwrap_or(code).to_string()
    }
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

/// The work lists a filter names: their reasons fill the reason column.
fn lists_of(filter: &MemberFilter) -> Vec<WorkListKey> {
    filter
        .all
        .iter()
        .filter_map(|c| match c {
            Condition::WorkList { list } => Some(*list),
            _ => None,
        })
        .collect()
}

/// The table of `spec`'s list: its members in its order, one row each, the columns asked.
pub fn table(ctx: &Ctx<'_>, spec: &ExportSpec) -> ExportTable {
    let lists = lists_of(&spec.filter);
    let rows = matching(ctx, &spec.filter, spec.sort)
        .into_iter()
        .map(|m| spec.columns.iter().map(|&column| cells::cell(ctx, spec, &lists, m, column)).collect())
        .collect();
    ExportTable {
        file_name: file_name(&spec.title, ctx.sums.analysis_day),
        sheet: sheet_name(&spec.title),
        headers: spec.columns.iter().map(|&c| spec.words.header(c)).collect(),
        columns: spec.columns.clone(),
        rows,
    }
}
