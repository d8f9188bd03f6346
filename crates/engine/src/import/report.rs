//! The load report: per table, rows read, used and skipped, and every problem with its row,
//! column, raw value and reason; downloadable as CSV.

use serde::{Deserialize, Serialize};

/// Why a value or row could not be used as it was (the UI translates by this code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    NoDate,
    NotADate,
    NoAmount,
    NotAnAmount,
    NoMemberId,
    /// The same member id on an earlier row of the table.
    MemberIdRepeated,
    /// The member id is in an earlier members table.
    MemberIdInEarlierTable,
    /// An optional date that could not be read (the row is kept without it).
    DateLeftOut,
    /// An optional number that could not be read (the row is kept without it).
    NumberLeftOut,
    /// A transaction of a member who is not in the members file (kept).
    UnknownMember,
    /// An order number used before for another member or date (kept); see `other_row`.
    OrderReused,
    /// A real date, but before 1900 or after 2100 (a typo or a placeholder such as 9999-12-31).
    DateOutOfRange,
    /// An amount beyond ¥10,000,000,000 in one row.
    AmountTooLarge,
    /// The amounts of the load would add up beyond what the engine sums exactly.
    TotalTooLarge,
    /// More tags in the cell than a member keeps (32; or the data set holds 65,535 distinct
    /// tags already): the first ones are kept, the rest left out (the row is kept).
    TooManyTags,
    /// A tag longer than 64 characters: left out (the row is kept); the value is the tag.
    TagTooLong,
    // A warehouse's member summary or monthly aggregates (sql/): the row is skipped.
    /// A count (orders, purchase days, a gap, a month offset) that is not a whole number.
    NotAWholeNumber,
    /// A count below zero or beyond what the engine keeps (4,294,967,295; a month offset 65,535).
    CountOutOfRange,
    /// An analysis date other than the first row's (one summary is as of one day).
    AnalysisDateDiffers,
    /// Purchase days without a first and last purchase date, or purchase dates without
    /// purchase days.
    PurchaseWithoutDates,
    /// The last purchase is before the first, or the longest gap longer than the two apart.
    LastBeforeFirst,
    /// A count above the one it is part of: orders in 12 months above all orders, orders in 6
    /// months above those in 12.
    CountAboveTotal,
    /// A purchase date after the summary's analysis date.
    AfterAnalysisDate,
    /// A measure the monthly aggregates do not have (see sql/monthly_aggregates.sql).
    UnknownMeasure,
    /// A month that is not written YYYY-MM (or none where the measure needs one).
    NotAMonth,
    /// A visits bucket other than 1, 2, 3, 4-5, 6-9, 10+ (or none where the measure needs one).
    UnknownVisits,
    /// The same measure for the same month (and offset or bucket) on an earlier row; the first
    /// is kept.
    MeasureRepeated,
}

impl From<super::values::MoneyError> for Reason {
    /// Why a required amount could not be read.
    fn from(e: super::values::MoneyError) -> Self {
        match e {
            super::values::MoneyError::TooLarge => Reason::AmountTooLarge,
            super::values::MoneyError::Unreadable => Reason::NotAnAmount,
        }
    }
}

impl From<super::values::DateError> for Reason {
    /// Why a required date could not be read (an optional one is left out instead).
    fn from(e: super::values::DateError) -> Self {
        match e {
            super::values::DateError::OutOfRange => Reason::DateOutOfRange,
            super::values::DateError::Unreadable => Reason::NotADate,
        }
    }
}

impl Reason {
    /// The reason in English words (CSV downloads, the automation interface).
    pub fn text(self, other_row: Option<u64>) -> String {
        match self {
            Reason::NoDate => "no date".into(),
            Reason::NotADate => "not a date".into(),
            Reason::NoAmount => "no amount".into(),
            Reason::NotAnAmount => "not an amount".into(),
            Reason::NoMemberId => "no member id".into(),
            Reason::MemberIdRepeated => "member id already on an earlier row; the first is kept".into(),
            Reason::MemberIdInEarlierTable => "member id already in an earlier members table; the first is kept".into(),
            Reason::DateLeftOut => "not a date; left out".into(),
            Reason::NumberLeftOut => "not a number; left out".into(),
            Reason::UnknownMember => "member not in the members file; added from the transactions".into(),
            Reason::DateOutOfRange => "date before 1900 or after 2100".into(),
            Reason::AmountTooLarge => "amount larger than 10,000,000,000".into(),
            Reason::TotalTooLarge => "the amounts of this load add up to more than can be summed".into(),
            Reason::TooManyTags => format!("more than {} tags; the first are kept, the rest left out", crate::model::MAX_TAGS_PER_MEMBER),
            Reason::TagTooLong => format!("tag longer than {} characters; left out", crate::model::MAX_TAG_CHARS),
            Reason::NotAWholeNumber => "not a whole number".into(),
            Reason::CountOutOfRange => "a count below zero or too large".into(),
            Reason::AnalysisDateDiffers => "analysis date differs from the first row's".into(),
            Reason::PurchaseWithoutDates => "purchase days and first/last purchase dates do not agree".into(),
            Reason::LastBeforeFirst => "last purchase before the first, or a gap longer than first to last".into(),
            Reason::CountAboveTotal => "orders in 12 months above all orders, or in 6 months above 12 months".into(),
            Reason::AfterAnalysisDate => "purchase date after the analysis date".into(),
            Reason::UnknownMeasure => "not a measure of the monthly aggregates".into(),
            Reason::NotAMonth => "not a month (YYYY-MM)".into(),
            Reason::UnknownVisits => "not a visits bucket (1, 2, 3, 4-5, 6-9, 10+)".into(),
            Reason::MeasureRepeated => "this measure and month already on an earlier row; the first is kept".into(),
            Reason::OrderReused => format!(
                "order number already used on row {} for another member or date",
                other_row.unwrap_or(0)
            ),
        }
    }
}

/// A remark about a whole table (the page translates by the variant; `text` gives English).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum TableNote {
    /// The table has no rows below its header (or none at all).
    Empty,
    /// Bytes that are not valid in the encoding were replaced by U+FFFD.
    InvalidBytes { encoding: String },
    /// The text is in one encoding up to about `row` and in another after it (two exports
    /// pasted together); the rows after it may read wrongly.
    EncodingChanged { from: String, to: String, row: u64 },
    /// A quote opened on `row` is never closed: everything after it ran into one field.
    UnclosedQuote { row: u64 },
    /// Two columns have the same header; `column` (1-based) is read, `other` is not.
    DuplicateHeader { header: String, column: usize, other: usize },
    /// Totals rows (合计, 总计, Total) at these rows were recognised and not read as data.
    TotalsRows { rows: Vec<u64> },
    /// Order lines: `lines` rows made `orders` orders (by order number), each counted once
    /// with the sum of its lines.
    OrderLinesMerged { lines: u64, orders: u64 },
    /// `header` repeats the order's total on every line; it is not summed per line.
    OrderTotalColumn { header: String },
    /// Rows whose type or status means no sale happened (closed, cancelled, unpaid orders).
    NotSales { value: String, rows: u64 },
    /// The member id is the phone number in `header` (the card column was mostly empty);
    /// phone numbers are normalised (+86, spaces, dashes) before joining.
    PhoneAsMemberId { header: String },
    /// The mapping was remembered from an earlier load of a file with this header.
    MappingRemembered,
}

impl TableNote {
    /// The note in English words (the automation interface, CSV).
    pub fn text(&self) -> String {
        match self {
            TableNote::Empty => "the table is empty".into(),
            TableNote::InvalidBytes { encoding } => format!("some bytes are not valid {encoding} and were replaced by \u{FFFD}; check the encoding"),
            TableNote::EncodingChanged { from, to, row } => format!("the text changes from {from} to {to} near row {row}; the rows after it may read wrongly"),
            TableNote::UnclosedQuote { row } => format!("a quote opened on row {row} is not closed where it should be; that row was read without quotes and the rows after it as usual"),
            TableNote::DuplicateHeader { header, column, other } => format!("two columns are headed \"{header}\": column {column} is read, column {other} is not"),
            TableNote::TotalsRows { rows } => format!("totals rows recognised and not read as data: {}", rows.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")),
            TableNote::OrderLinesMerged { lines, orders } => format!("{lines} order lines made {orders} orders; each order counts once, with the sum of its lines"),
            TableNote::OrderTotalColumn { header } => format!("\"{header}\" repeats the order total on every line and is not summed per line"),
            TableNote::NotSales { value, rows } => format!("{rows} rows with status \"{value}\" are not sales and were left out"),
            TableNote::PhoneAsMemberId { header } => format!("members are identified by the phone number in \"{header}\" (the card number is mostly empty)"),
            TableNote::MappingRemembered => "mapping remembered from an earlier load of a file with this header".into(),
        }
    }
}

/// One value or row that could not be used as it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// The row in the file, 1 = the first row (as a spreadsheet numbers them; blank lines of a
    /// text file are not counted).
    pub row: u64,
    /// The column's header (or `Column 3` without a header); empty for a whole-row problem.
    pub column: String,
    pub value: String,
    /// `true`: the row was still used (the value was left out, or this is a warning);
    /// `false`: the row was skipped.
    pub kept: bool,
    pub code: Reason,
    /// The other row a problem refers to (the first use of a reused order number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_row: Option<u64>,
}

/// The most characters of a value a problem keeps: a 50 MB cell must not be listed, rendered
/// and downloaded whole.
pub const MAX_PROBLEM_VALUE_CHARS: usize = 200;

/// `s` cut to `max` characters (on a character boundary), with `…` when something was cut.
pub fn cut_text(mut s: String, max: usize) -> String {
    if let Some((end, _)) = s.char_indices().nth(max) {
        s.truncate(end);
        s.shrink_to_fit();
        s.push('…');
    }
    s
}

/// The first [`MAX_PROBLEM_VALUE_CHARS`] characters of a cell as an owned value for a
/// [`Problem`], copying no more than that (a 50 MB cell is never copied whole).
pub fn cut_value(s: &str) -> String {
    match s.char_indices().nth(MAX_PROBLEM_VALUE_CHARS) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

impl Problem {
    /// A problem; the value is cut to [`MAX_PROBLEM_VALUE_CHARS`] and the column name too.
    pub fn new(row: u64, column: String, value: String, code: Reason, kept: bool) -> Self {
        Problem {
            row,
            column: cut_text(column, MAX_PROBLEM_VALUE_CHARS),
            value: cut_text(value, MAX_PROBLEM_VALUE_CHARS),
            kept,
            code,
            other_row: None,
        }
    }
}

/// What a load did with one table (a file, a worksheet or a JSON array).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    /// `sales.csv`, or `book.xlsx · 消费` for a worksheet.
    pub name: String,
    /// How it was read, for the page to say in its language: the source (encoding and
    /// delimiter, sheet, JSON array) and the header's row (1-based; `None` without a header).
    #[serde(default)]
    pub source: Option<super::plan::Source>,
    #[serde(default)]
    pub header_row: Option<usize>,
    pub role: super::fields::Role,
    /// Data rows (the header and title rows not counted).
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_skipped: u64,
    /// Transaction rows without a member id: walk-in guests, in store totals only.
    pub walk_in_rows: u64,
    /// Rows used with a warning (a value left out, an unknown member, a reused order number).
    pub rows_with_warnings: u64,
    /// Transactions whose member id is not in the members file (when one was loaded).
    pub unknown_members: u64,
    /// Rows whose order number was already used for another member or date.
    pub duplicate_orders: u64,
    /// The first [`MAX_PROBLEMS_KEPT`] problems; the counts above count them all.
    pub problems: Vec<Problem>,
    /// Problems beyond the ones kept in `problems`.
    pub problems_not_listed: u64,
    /// Totals rows (合计, 总计, Total) recognised and not read as data.
    #[serde(default)]
    pub totals_rows: u64,
    /// Rows whose type or status means no sale (closed, cancelled, unpaid orders), left out.
    #[serde(default)]
    pub not_sale_rows: u64,
    /// Order lines added to an earlier line of the same order (one order, one transaction).
    #[serde(default)]
    pub order_lines_merged: u64,
    /// Remarks about the whole table (an encoding problem, totals rows, order lines).
    pub notes: Vec<TableNote>,
}

pub const MAX_PROBLEMS_KEPT: usize = 10_000;

impl FileReport {
    pub fn add(&mut self, p: Problem) {
        if self.problems.len() < MAX_PROBLEMS_KEPT {
            self.problems.push(p);
        } else {
            self.problems_not_listed += 1;
        }
    }
}

/// A cell made safe for a spreadsheet: quoted, and a cell that a spreadsheet could take as a
/// formula defused with an apostrophe (formula injection): one beginning with `=`, `+`, `-`,
/// `@`, a tab or a CR, also after leading spaces or tabs (`\t=HYPERLINK(…)`, ` =1+1`).
pub fn csv_cell(s: &str) -> String {
    let defused = if could_be_formula(s) { format!("'{s}") } else { s.to_string() };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn could_be_formula(s: &str) -> bool {
    if s.starts_with(['\t', '\r']) {
        return true;
    }
    s.trim_start_matches([' ', '\t', '\u{a0}', '\u{3000}']).starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

/// The words of a problems CSV, in the page's language.
pub struct CsvWords<'a> {
    /// file, row, column, value, reason, row used.
    pub head: [&'a str; 6],
    pub yes: &'a str,
    pub no: &'a str,
    pub reason: &'a dyn Fn(&Problem) -> String,
}

impl CsvWords<'static> {
    /// English, with [`Reason::text`] (tests, scripts).
    pub fn english() -> Self {
        CsvWords {
            head: ["file", "row", "column", "value", "reason", "row used"],
            yes: "yes",
            no: "no",
            reason: &|p: &Problem| p.code.text(p.other_row),
        }
    }
}

/// A table's problems grouped by reason (for the Data page, which folds and pages each group):
/// the largest group first, ties in the order they first occur, rows in file order within each.
pub fn problems_by_reason(problems: &[Problem]) -> Vec<(Reason, Vec<Problem>)> {
    let mut groups: Vec<(Reason, Vec<Problem>)> = Vec::new();
    for p in problems {
        match groups.iter_mut().find(|(r, _)| *r == p.code) {
            Some((_, list)) => list.push(p.clone()),
            None => groups.push((p.code, vec![p.clone()])),
        }
    }
    // A stable sort keeps first-occurrence order among equal counts.
    groups.sort_by_key(|(_, list)| std::cmp::Reverse(list.len()));
    groups
}

/// Every problem of every table as CSV (UTF-8 with BOM, so Excel shows Chinese right).
pub fn problems_csv(reports: &[FileReport], words: &CsvWords<'_>) -> String {
    let head: Vec<String> = words.head.iter().map(|h| csv_cell(h)).collect();
    let mut out = format!("\u{feff}{}\r\n", head.join(","));
    for r in reports {
        for p in &r.problems {
            out.push_str(&format!(
                "{},{},{},{},{},{}\r\n",
                csv_cell(&r.name),
                p.row,
                csv_cell(&p.column),
                csv_cell(&p.value),
                csv_cell(&(words.reason)(p)),
                if p.kept { words.yes } else { words.no }
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {

    fn problem(row: u64, code: Reason) -> Problem {
        Problem { row, column: "c".into(), value: "v".into(), kept: false, code, other_row: None }
    }

    #[test]
    fn problems_group_by_reason_largest_first_in_file_order() {
        let ps = [
            problem(3, Reason::NotADate),
            problem(4, Reason::NotAnAmount),
            problem(7, Reason::NotAnAmount),
            problem(9, Reason::NoMemberId),
            problem(12, Reason::NotAnAmount),
        ];
        let groups = problems_by_reason(&ps);
        let shape: Vec<(Reason, Vec<u64>)> = groups.iter().map(|(r, l)| (*r, l.iter().map(|p| p.row).collect())).collect();
        assert_eq!(shape, vec![
            (Reason::NotAnAmount, vec![4, 7, 12]),
            (Reason::NotADate, vec![3]),
            (Reason::NoMemberId, vec![9]),
        ]);
        assert!(problems_by_reason(&[]).is_empty());
    }

    use super::*;

    #[test]
    fn problem_values_are_cut_on_a_character_boundary() {
        let long = "金".repeat(1_000_000);
        let p = Problem::new(1, "实收金额".into(), long, Reason::NotAnAmount, false);
        assert_eq!(p.value.chars().count(), MAX_PROBLEM_VALUE_CHARS + 1);
        assert!(p.value.ends_with('…'));
        assert!(p.value.len() < 1000);
        let short = Problem::new(1, "c".into(), "12a".into(), Reason::NotAnAmount, false);
        assert_eq!(short.value, "12a");
        let huge = "x".repeat(10_000);
        assert_eq!(cut_value(&huge), cut_text(huge.clone(), MAX_PROBLEM_VALUE_CHARS));
        assert_eq!(cut_value("12a"), "12a");
        let exact = "x".repeat(MAX_PROBLEM_VALUE_CHARS);
        assert_eq!(cut_text(exact.clone(), MAX_PROBLEM_VALUE_CHARS), exact);
    }

    #[test]
    fn csv_is_safe_for_excel() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("a,\"b\""), "\"a,\"\"b\"\"\"");
        for formula in ["\t=HYPERLINK(\"http://x\")", " =1+1", "  +1", "\r=1", " \t@SUM(A1)", "\tplain", "＝1+1"] {
            assert!(csv_cell(formula).trim_start_matches('"').starts_with('\''), "{formula:?} -> {}", csv_cell(formula));
        }
        assert_eq!(csv_cell("plain text"), "plain text");
        assert_eq!(csv_cell(" 12"), " 12");
        let r = FileReport {
            name: "x.csv".into(),
            problems: vec![Problem::new(3, "金额".into(), "@x".into(), Reason::NotAnAmount, false)],
            ..Default::default()
        };
        assert_eq!(problems_csv(&[r], &CsvWords::english()), "\u{feff}file,row,column,value,reason,row used\r\nx.csv,3,金额,'@x,not an amount,no\r\n");
    }
}
