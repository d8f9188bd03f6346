//! Looking at a file before reading it: its format, where the header is, a sample of rows and
//! the proposed mapping ([`TablePreview`]); and what the user settles on ([`TablePlan`]), which
//! the readers follow.

use serde::{Deserialize, Serialize};

use super::decode::{decode_all, sniff_encoding, TextEncoding};
use super::delimited::{leading_title_rows, sample_records, sniff_delimiter, Delimiter};
use super::report::TableNote;
use super::fields::{auto_map, header_key, infer_role, ColumnMapping, Field, Role};
use super::tables::{is_excel, is_json, read_excel, read_json, Table};
use super::values::{infer_date_order, parse_date, parse_money, DateOrder};

/// How a table's bytes are read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Source {
    Delimited { encoding: TextEncoding, delimiter: Delimiter },
    /// A worksheet of a workbook.
    Excel { sheet: String },
    /// A JSON array; `key` is `members` / `transactions` inside an object, `None` for a top-level
    /// array.
    Json { key: Option<String> },
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Delimited { encoding, delimiter } => {
                let d = match delimiter {
                    Delimiter::Comma => "comma-separated",
                    Delimiter::Tab => "tab-separated",
                    Delimiter::Semicolon => "semicolon-separated",
                    Delimiter::Pipe => "pipe-separated",
                    Delimiter::Whitespace => "space-separated",
                };
                format!("{}, {d}", encoding.label())
            }
            Source::Excel { sheet } => format!("Excel, sheet {sheet}"),
            Source::Json { key: Some(k) } => format!("JSON, \"{k}\""),
            Source::Json { key: None } => "JSON".to_string(),
        }
    }
}

/// What a value of the type column means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindMeaning {
    Sale,
    Refund,
    TopUp,
    /// No sale happened (a closed, cancelled or unpaid order): the row is left out and counted.
    NotSale,
}

/// The meaning a type value has unless the user says otherwise.
pub fn default_kind_meaning(value: &str) -> KindMeaning {
    let v = value.trim().to_lowercase();
    if v.contains('退') || v.contains("refund") || v.contains("return") || v.contains("void") || v.contains("撤销") {
        KindMeaning::Refund
    } else if v.contains("充值") || v.contains("储值") || v.contains("儲值") || v.contains("top") || v.contains("recharge") || v.contains("deposit") {
        KindMeaning::TopUp
    } else {
        KindMeaning::Sale
    }
}

/// A table as first seen: everything the mapping screen shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TablePreview {
    /// Index of the file among those given.
    pub file_index: usize,
    /// `sales.csv`, or `book.xlsx · 消费`.
    pub name: String,
    pub source: Source,
    /// Title rows above the header (or above the first data row).
    pub skip_rows: usize,
    pub has_header: bool,
    /// Header cells, or `Column 1`, `Column 2` … without a header.
    pub columns: Vec<String>,
    /// Up to 20 data rows.
    pub sample: Vec<Vec<String>>,
    pub mapping: Vec<ColumnMapping>,
    pub role: Role,
    pub date_order: DateOrder,
    /// True when no sample date settles day-first against month-first.
    pub date_order_ambiguous: bool,
    /// Distinct values of the type column in the sample, with their proposed meaning.
    pub kind_values: Vec<(String, KindMeaning)>,
    /// Whether to read this table by default (a workbook's empty sheets are not).
    pub include: bool,
    /// Things the user should know (bytes not valid in the encoding, a duplicate header).
    pub notes: Vec<TableNote>,
}

/// What to read and how: a preview as the user confirmed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TablePlan {
    pub file_index: usize,
    pub name: String,
    pub source: Source,
    pub skip_rows: usize,
    pub has_header: bool,
    pub columns: Vec<String>,
    pub fields: Vec<Option<Field>>,
    pub role: Role,
    pub date_order: DateOrder,
    /// Type values and their meaning; values not listed get [`default_kind_meaning`].
    pub kind_values: Vec<(String, KindMeaning)>,
}

impl TablePreview {
    /// The plan that follows the preview's proposals.
    pub fn plan(&self) -> TablePlan {
        TablePlan {
            file_index: self.file_index,
            name: self.name.clone(),
            source: self.source.clone(),
            skip_rows: self.skip_rows,
            has_header: self.has_header,
            columns: self.columns.clone(),
            fields: self.mapping.iter().map(|m| m.field).collect(),
            role: self.role,
            date_order: self.date_order,
            kind_values: self.kind_values.clone(),
        }
    }
}

impl TablePlan {
    /// The fields this plan cannot do without, and whether each is mapped; the first missing one
    /// is an error the mapping screen shows before reading.
    pub fn missing_fields(&self) -> Vec<Field> {
        let has = |f: Field| self.fields.contains(&Some(f));
        let mut missing = Vec::new();
        match self.role {
            Role::Members => {
                if !has(Field::MemberId) {
                    missing.push(Field::MemberId);
                }
            }
            Role::Transactions => {
                if !has(Field::Date) {
                    missing.push(Field::Date);
                }
                if !has(Field::Paid) && !has(Field::Amount) {
                    missing.push(Field::Paid);
                }
            }
        }
        missing
    }

    pub fn kind_of(&self, value: &str) -> KindMeaning {
        let v = value.trim();
        self.kind_values.iter().find(|(k, _)| k == v).map_or_else(|| default_kind_meaning(v), |(_, m)| *m)
    }
}

const SAMPLE_ROWS: usize = 20;

/// Builds the preview of one table from its first records.
fn preview_from_records(file_index: usize, name: String, source: Source, records: &[Vec<String>], mut notes: Vec<TableNote>) -> TablePreview {
    let skip_rows = leading_title_rows(records);
    let body = &records[skip_rows.min(records.len())..];
    let n_columns = body.iter().map(Vec::len).max().unwrap_or(0);
    let has_header = looks_like_header(body);
    let (columns, data) = if has_header && !body.is_empty() {
        let mut cols: Vec<String> = body[0].iter().map(|c| c.trim().to_string()).collect();
        cols.resize(n_columns, String::new());
        for (i, c) in cols.iter_mut().enumerate() {
            if c.is_empty() {
                *c = format!("Column {}", i + 1);
            }
        }
        (cols, &body[1..])
    } else {
        ((1..=n_columns).map(|i| format!("Column {i}")).collect(), body)
    };
    let sample: Vec<Vec<String>> = data.iter().take(SAMPLE_ROWS).cloned().collect();
    let order_guess = {
        // Dates of the sample, from any column, settle the order when one can.
        let all: Vec<&str> = sample.iter().flatten().map(String::as_str).collect();
        infer_date_order(all)
    };
    let date_order = order_guess.unwrap_or_default();
    let mut mapping = auto_map(has_header.then_some(&columns[..]), &sample, n_columns, date_order);
    let role = match &source {
        Source::Json { key: Some(k) } if k == "members" => Role::Members,
        Source::Json { key: Some(k) } if k == "transactions" => Role::Transactions,
        _ => infer_role(&mapping),
    };
    // A transactions table has no use for a name column, a members table none for a date.
    for m in mapping.iter_mut() {
        if m.field.is_some_and(|f| !Field::for_role(role).contains(&f)) {
            *m = ColumnMapping::default();
        }
    }
    let date_cols: Vec<usize> = mapping
        .iter()
        .enumerate()
        .filter(|(_, m)| matches!(m.field, Some(Field::Date | Field::Birthday | Field::JoinDate | Field::Expiry)))
        .map(|(i, _)| i)
        .collect();
    let date_order_ambiguous = order_guess.is_none()
        && sample.iter().any(|r| date_cols.iter().any(|&c| r.get(c).is_some_and(|v| is_dmy_like(v))));
    let kind_col = mapping.iter().position(|m| m.field == Some(Field::Kind));
    let mut kind_values: Vec<(String, KindMeaning)> = Vec::new();
    if let Some(c) = kind_col {
        for r in data.iter().take(2000) {
            if let Some(v) = r.get(c).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                if !kind_values.iter().any(|(k, _)| k == v) && kind_values.len() < 50 {
                    kind_values.push((v.to_string(), default_kind_meaning(v)));
                }
            }
        }
    }
    if body.is_empty() {
        notes.push(TableNote::Empty);
    }
    let useful = mapping.iter().any(|m| m.field.is_some()) && !sample.is_empty();
    TablePreview {
        file_index,
        name,
        source,
        skip_rows,
        has_header,
        columns,
        sample,
        mapping,
        role,
        date_order,
        date_order_ambiguous,
        kind_values,
        include: useful,
        notes,
    }
}

fn is_dmy_like(v: &str) -> bool {
    let parts: Vec<&str> = v.trim().split([' ', 'T']).next().unwrap_or("").split(['/', '-', '.']).collect();
    parts.len() == 3 && parts[0].len() <= 2 && parts[1].len() <= 2
}

/// A first row is a header when it names a known field, or when it holds no number or date
/// while the rows below do.
fn looks_like_header(body: &[Vec<String>]) -> bool {
    let Some(first) = body.first() else { return false };
    let named = first.iter().any(|c| {
        let key = header_key(c);
        Field::ALL.iter().any(|f| f.synonyms().iter().any(|s| s.to_lowercase() == key))
    });
    if named {
        return true;
    }
    let typed = |v: &str| parse_money(v).is_some() || parse_date(v, DateOrder::DayFirst).is_some();
    let first_typed = first.iter().filter(|c| typed(c)).count();
    let rest_typed = body[1..].iter().any(|r| r.iter().any(|c| typed(c)));
    first_typed == 0 && rest_typed && first.iter().any(|c| !c.trim().is_empty())
}

/// How many bytes of a delimited file the preview reads.
pub const PREVIEW_BYTES: usize = 256 * 1024;

/// Whether a file must be read whole to be previewed (workbooks and JSON).
pub fn needs_whole_file(head: &[u8]) -> bool {
    is_excel(head) || is_json(head)
}

/// Previews the tables of one file from its first bytes (`complete` when `head` is the whole
/// file; workbooks and JSON must be given whole).
pub fn inspect(file_index: usize, file_name: &str, head: &[u8], complete: bool) -> Result<Vec<TablePreview>, String> {
    if head.is_empty() {
        return Err(format!("{file_name}: the file is empty"));
    }
    let whole_tables = |tables: Vec<Table>, source: &dyn Fn(&Table) -> Source| -> Vec<TablePreview> {
        tables
            .iter()
            .map(|t| {
                let name = match &t.name {
                    Some(n) => format!("{file_name} · {n}"),
                    None => file_name.to_string(),
                };
                let records: Vec<Vec<String>> = t.rows.iter().take(60).cloned().collect();
                preview_from_records(file_index, name, source(t), &records, Vec::new())
            })
            .collect()
    };
    if is_excel(head) {
        if !complete {
            return Err(format!("{file_name}: a workbook must be read whole"));
        }
        let tables = read_excel(head).map_err(|e| format!("{file_name}: {e}"))?;
        let mut previews = whole_tables(tables, &|t| Source::Excel { sheet: t.name.clone().unwrap_or_default() });
        // Without any sheet that maps, offer the first one anyway.
        if !previews.iter().any(|p| p.include) {
            if let Some(p) = previews.first_mut() {
                p.include = true;
            }
        }
        return Ok(previews);
    }
    if is_json(head) && complete {
        let tables = read_json(head).map_err(|e| format!("{file_name}: {e}"))?;
        return Ok(whole_tables(tables, &|t| Source::Json { key: t.name.clone() }));
    }
    let encoding = sniff_encoding(head);
    let (text, had_errors) = decode_all(head, encoding);
    let delimiter = sniff_delimiter(&text, complete);
    let records = sample_records(&text, delimiter, 60, complete);
    let mut notes = Vec::new();
    // The head may end inside a character; only errors before that count.
    if had_errors && text.trim_end_matches('\u{FFFD}').contains('\u{FFFD}') {
        notes.push(TableNote::InvalidBytes { encoding: encoding.label().to_string() });
    }
    Ok(vec![preview_from_records(file_index, file_name.to_string(), Source::Delimited { encoding, delimiter }, &records, notes)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_csv_with_a_title_row() {
        let text = "丽颜美容消费明细（2024）\n会员卡号,消费时间,实收金额,类型\n8800001,2024-03-05,128,消费\n8800002,2024-03-06,-20,退款\n,2024-03-06,50,充值\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let p = &inspect(0, "sales.csv", &gbk, true).unwrap()[0];
        assert_eq!(p.source, Source::Delimited { encoding: TextEncoding::Gb18030, delimiter: Delimiter::Comma });
        assert_eq!(p.skip_rows, 1);
        assert!(p.has_header);
        assert_eq!(p.columns, vec!["会员卡号", "消费时间", "实收金额", "类型"]);
        assert_eq!(p.sample.len(), 3);
        assert_eq!(p.role, Role::Transactions);
        assert_eq!(
            p.kind_values,
            vec![("消费".into(), KindMeaning::Sale), ("退款".into(), KindMeaning::Refund), ("充值".into(), KindMeaning::TopUp)]
        );
        assert!(p.include);
        assert!(p.plan().missing_fields().is_empty());
    }

    #[test]
    fn cdnow_without_header() {
        let text = "00001 19970101 1 11.77\n00002 19970112 1 12.00\n00002 19970112 5 77.00\n00003 19970102 2 20.76\n";
        let p = &inspect(0, "CDNOW_master.txt", text.as_bytes(), true).unwrap()[0];
        assert!(!p.has_header);
        assert_eq!(p.columns, vec!["Column 1", "Column 2", "Column 3", "Column 4"]);
        assert_eq!(p.sample.len(), 4);
        assert_eq!(p.plan().fields, vec![Some(Field::MemberId), Some(Field::Date), None, Some(Field::Amount)]);
        assert_eq!(p.role, Role::Transactions);
    }

    #[test]
    fn ambiguous_day_month() {
        let p = &inspect(0, "x.csv", b"id,date,amount\n1,01/02/2024,5\n2,03/04/2024,6\n", true).unwrap()[0];
        assert!(p.date_order_ambiguous);
        let p = &inspect(0, "x.csv", b"id,date,amount\n1,01/02/2024,5\n2,03/14/2024,6\n", true).unwrap()[0];
        assert!(!p.date_order_ambiguous);
        assert_eq!(p.date_order, DateOrder::MonthFirst);
    }

    #[test]
    fn json_members_and_transactions() {
        let doc = r#"{"members":[{"卡号":"A","姓名":"王静"}],"transactions":[{"卡号":"A","日期":"2024-01-01","金额":5}]}"#;
        let ps = inspect(0, "export.json", doc.as_bytes(), true).unwrap();
        assert_eq!(ps.len(), 2);
        assert_eq!((ps[0].role, ps[1].role), (Role::Members, Role::Transactions));
        assert_eq!(ps[1].name, "export.json · transactions");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(inspect(0, "e.csv", b"", true).unwrap_err().contains("empty"));
    }
}

/// The tables of a load while the user checks them on the mapping screen: the previews as
/// seen, the plans as edited, and which tables to read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportDraft {
    pub previews: Vec<TablePreview>,
    pub plans: Vec<TablePlan>,
    pub include: Vec<bool>,
}

impl ImportDraft {
    pub fn new(previews: Vec<TablePreview>) -> Self {
        let plans = previews.iter().map(TablePreview::plan).collect();
        let include = previews.iter().map(|p| p.include).collect();
        ImportDraft { previews, plans, include }
    }

    /// The plans of the tables to read.
    pub fn chosen_plans(&self) -> Vec<TablePlan> {
        self.plans.iter().zip(&self.include).filter(|(_, &inc)| inc).map(|(p, _)| p.clone()).collect()
    }

    /// The data set's name: the files read.
    pub fn name(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for (p, prev) in self.plans.iter().zip(&self.previews).zip(&self.include).filter(|(_, &inc)| inc).map(|(pp, _)| pp) {
            let file = prev.name.split(" · ").next().unwrap_or(&p.name).to_string();
            if !names.contains(&file) {
                names.push(file);
            }
        }
        names.join(", ")
    }

    /// Why the draft cannot be read yet, one sentence each; empty when it can.
    pub fn problems(&self) -> Vec<String> {
        let chosen = self.chosen_plans();
        if chosen.is_empty() {
            return vec!["choose at least one table to read".into()];
        }
        let mut out = Vec::new();
        for p in &chosen {
            for f in p.missing_fields() {
                out.push(format!("{}: no column is mapped to {}", p.name, f.label()));
            }
            let mut seen: Vec<Field> = Vec::new();
            for f in p.fields.iter().flatten() {
                if seen.contains(f) {
                    out.push(format!("{}: two columns are mapped to {}", p.name, f.label()));
                } else {
                    seen.push(*f);
                }
            }
        }
        out
    }

    /// Changes a table's role; fields the new role cannot have are unmapped.
    pub fn set_role(&mut self, table: usize, role: Role) {
        let plan = &mut self.plans[table];
        plan.role = role;
        let allowed = Field::for_role(role);
        for f in plan.fields.iter_mut() {
            if f.is_some_and(|x| !allowed.contains(&x)) {
                *f = None;
            }
        }
    }

    /// Maps a column to a field (or to nothing); another column of the same table that had the
    /// field loses it.
    pub fn set_field(&mut self, table: usize, column: usize, field: Option<Field>) {
        let plan = &mut self.plans[table];
        if let Some(f) = field {
            for other in plan.fields.iter_mut() {
                if *other == Some(f) {
                    *other = None;
                }
            }
        }
        if let Some(slot) = plan.fields.get_mut(column) {
            *slot = field;
        }
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;

    #[test]
    fn draft_validation_and_edits() {
        let previews = inspect(0, "a.csv", "会员卡号,消费时间,实收金额,姓名\n1,2024-01-01,5,王\n".as_bytes(), true).unwrap();
        let mut d = ImportDraft::new(previews);
        assert!(d.problems().is_empty());
        assert_eq!(d.name(), "a.csv");
        d.set_field(0, 2, None);
        assert_eq!(d.problems(), vec!["a.csv: no column is mapped to paid"]);
        d.set_field(0, 2, Some(Field::Amount));
        assert!(d.problems().is_empty());
        // Mapping a field already used moves it.
        d.set_field(0, 3, Some(Field::Amount));
        assert_eq!(d.plans[0].fields[2], None);
        // As a members table, the date and amount columns are unmapped.
        d.set_role(0, Role::Members);
        assert_eq!(d.plans[0].fields, vec![Some(Field::MemberId), None, None, None]);
        d.include[0] = false;
        assert_eq!(d.problems(), vec!["choose at least one table to read"]);
    }
}
