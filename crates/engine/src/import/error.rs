//! Why reading could not go on, as codes the page says in its language. Problems with single
//! rows are not errors: they are listed in the load report (`report::Problem`, with row, column
//! and value) and the load goes on. `Display` gives the English (tests, the automation interface).

use serde::{Deserialize, Serialize};

use super::fields::Field;

/// Why a file that is data cannot be read as tables (a broken workbook or JSON document).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum TableProblem {
    /// Not a workbook the reader understands; `detail` is the reader's (calamine's) own words.
    NotAWorkbook { detail: String },
    /// A sheet could not be read; `detail` is the reader's words.
    BadSheet { sheet: String, detail: String },
    /// A sheet holds more cells than the reader allows.
    TooManyCells { sheet: Option<String>, max: u64 },
    /// An `.xls` sheet declares a range beyond what the format allows, or an impossible one.
    ImpossibleDimensions { rows: u64, columns: u64 },
    NoSheets,
    /// Not valid JSON; `detail` is the parser's words (with line and column).
    NotJson { detail: String },
    /// Item `item` (from 1) of an array is not an object.
    NotAnObject { item: u64, array: Option<String> },
    /// `key` of the document is not an array.
    NotAnArray { key: String },
    /// Neither an array of objects nor an object with `members` / `transactions` arrays.
    NoRecords,
}

/// Why a load or a preview stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum LoadError {
    /// No table was chosen.
    NoTable,
    /// A table has no column for a field it needs.
    Unmapped { table: String, field: Field },
    /// The file could not be read (the browser's or system's words in `detail`).
    Read { file: String, detail: String },
    /// The file is data but broken.
    Unreadable { file: String, problem: TableProblem },
    /// A sheet or JSON array chosen on the mapping screen is not in the file any more.
    TableGone { table: String },
    Empty { file: String },
    /// A workbook was given in part (the page always sends workbooks whole).
    NotWhole { file: String },
    /// A member summary and a transactions table in one load (load either).
    SummaryWithTransactions { summary: String, transactions: String },
    /// Monthly aggregates without the member summary they go with.
    MonthlyWithoutSummary { table: String },
}

impl std::fmt::Display for TableProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableProblem::NotAWorkbook { detail } => write!(f, "not a readable Excel workbook ({detail})"),
            TableProblem::BadSheet { sheet, detail } => write!(f, "sheet {sheet}: {detail}"),
            TableProblem::TooManyCells { sheet: Some(sheet), max } => write!(f, "sheet {sheet} spans more than {max} cells"),
            TableProblem::TooManyCells { sheet: None, max } => write!(f, "a sheet spans more than {max} cells"),
            TableProblem::ImpossibleDimensions { rows, columns } => {
                write!(f, "a worksheet declares {rows} rows × {columns} columns, more than an .xls sheet can hold")
            }
            TableProblem::NoSheets => f.write_str("the workbook has no sheets"),
            TableProblem::NotJson { detail } => write!(f, "not valid JSON: {detail}"),
            TableProblem::NotAnObject { item, array } => write!(f, "item {item} of {} is not an object", array.as_deref().unwrap_or("the array")),
            TableProblem::NotAnArray { key } => write!(f, "\"{key}\" is not an array"),
            TableProblem::NoRecords => {
                f.write_str("expected an array of objects, or an object with \"members\" and/or \"transactions\" arrays")
            }
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NoTable => f.write_str("nothing to read: no table was chosen"),
            LoadError::Unmapped { table, field } => write!(f, "{table}: no column is mapped to {}", field.label()),
            LoadError::Read { file, detail } => write!(f, "{file}: could not be read ({detail})"),
            LoadError::Unreadable { file, problem } => write!(f, "{file}: {problem}"),
            LoadError::TableGone { table } => write!(f, "{table}: the table is no longer in the file"),
            LoadError::Empty { file } => write!(f, "{file}: the file is empty"),
            LoadError::NotWhole { file } => write!(f, "{file}: a workbook must be read whole"),
            LoadError::SummaryWithTransactions { summary, transactions } => {
                write!(f, "{summary} is a member summary and {transactions} holds transactions: load either transactions or a summary")
            }
            LoadError::MonthlyWithoutSummary { table } => write!(f, "{table}: monthly aggregates need the member summary they go with"),
        }
    }
}

impl std::error::Error for LoadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_codes_and_read_as_english() {
        let e = LoadError::Unmapped { table: "wrong.csv".into(), field: Field::MemberId };
        assert_eq!(e.to_string(), "wrong.csv: no column is mapped to member id");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "unmapped");
        assert_eq!(json["field"], "member_id");
        let e = LoadError::Unreadable { file: "a.json".into(), problem: TableProblem::NotAnObject { item: 3, array: Some("members".into()) } };
        assert_eq!(e.to_string(), "a.json: item 3 of members is not an object");
        let back: LoadError = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }
}
