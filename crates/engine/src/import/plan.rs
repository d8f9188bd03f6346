//! Looking at a file before reading it: its format, where the header is, a sample of rows and
//! the proposed mapping ([`TablePreview`]); and what the user settles on ([`TablePlan`]), which
//! the readers follow.

use serde::{Deserialize, Serialize};

use super::decode::{decode_all, sniff_encoding, TextEncoding};
use super::delimited::{leading_title_rows, sample_records, sniff_delimiter, Delimiter};
use super::error::LoadError;
use super::report::TableNote;
use super::fields::{
    auto_map, filled_share, header_key, infer_role, is_mobile_number, is_money_column, is_phone_header, is_totals_word, order_total_columns,
    ColumnMapping, Field, Role,
};
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

/// Status values (订单状态, `Financial Status`) whose meaning is not what the words in them
/// suggest, compared after [`status_key`]. 退款中 (a refund in progress) is still a sale: the
/// money has not gone back; a refund that was closed or failed leaves the sale standing.
const SALE_STATUSES: [&str; 30] = [
    "交易成功", "交易完成", "已完成", "完成", "已付款", "已支付", "支付成功", "已发货", "待发货", "待收货", "已收货", "已签收",
    "退款中", "退款关闭", "退款失败", "部分退款", "交易成功(部分退款)", "已發貨", "待發貨", "已簽收",
    "completed", "complete", "paid", "shipped", "fulfilled", "delivered", "authorized", "partiallypaid", "partiallyrefunded", "success",
];
/// Statuses of orders that were never paid or were called off.
const NOT_SALE_STATUSES: [&str; 24] = [
    "交易关闭", "已关闭", "关闭", "订单关闭", "交易取消", "已取消", "取消", "待付款", "未付款", "等待买家付款", "待支付", "未支付",
    "已失效", "失效", "交易關閉", "已關閉", "已取消訂單",
    "cancelled", "canceled", "closed", "unpaid", "pendingpayment", "pending", "voided",
];
/// Statuses of orders refunded in full.
const REFUND_STATUSES: [&str; 5] = ["已退款", "退款成功", "全额退款", "全額退款", "refunded"];

/// A status as compared with the lists above: lower-case, without spaces, `_` and `-`.
fn status_key(value: &str) -> String {
    value.trim().to_lowercase().chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect()
}

/// The meaning a type or status value has unless the user says otherwise.
pub fn default_kind_meaning(value: &str) -> KindMeaning {
    let key = status_key(value);
    if SALE_STATUSES.contains(&key.as_str()) {
        return KindMeaning::Sale;
    }
    if NOT_SALE_STATUSES.contains(&key.as_str()) {
        return KindMeaning::NotSale;
    }
    if REFUND_STATUSES.contains(&key.as_str()) {
        return KindMeaning::Refund;
    }
    let v = value.trim().to_lowercase();
    if v.contains('退') || v.contains("refund") || v.contains("return") || v.contains("void") || v.contains("撤销") {
        KindMeaning::Refund
    } else if v.contains("充值") || v.contains("储值") || v.contains("儲值") || v.contains("top") || v.contains("recharge") || v.contains("deposit") {
        KindMeaning::TopUp
    } else {
        KindMeaning::Sale
    }
}

/// How the member id column's values are compared and joined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKey {
    /// A card number or member code, compared as written (see [`super::values::normalize_id`]).
    #[default]
    Card,
    /// A phone number, normalised first ([`normalize_phone`]: `+86`, spaces, dashes); joins a
    /// members file by its phone column too.
    Phone,
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
    /// Up to 20 data rows (totals rows left out).
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
    /// The first rows below the title rows, header row included: what the preview was made from,
    /// kept so that it can be made again with or without a header.
    #[serde(default)]
    pub head_rows: Vec<Vec<String>>,
    /// Columns holding phone numbers (by header or by value): a member id there is a phone.
    #[serde(default)]
    pub phone_columns: Vec<usize>,
    /// Columns repeating the order's total on each of its lines (never summed per line).
    #[serde(default)]
    pub order_total_columns: Vec<usize>,
    /// Whether [`TablePreview::head_rows`] hold the whole table (else its last order may be cut).
    #[serde(default)]
    pub head_is_whole: bool,
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
    /// What the member id column holds.
    #[serde(default)]
    pub member_key: MemberKey,
    /// The money column read is an order total repeated on each line: it is taken once per
    /// order, never summed over the lines.
    #[serde(default)]
    pub money_is_order_total: bool,
    /// The amount column is an order total: beside a paid column per line, 应收 − 实收 is then
    /// no discount.
    #[serde(default)]
    pub amount_is_order_total: bool,
}

impl TablePreview {
    /// The plan that follows the preview's proposals.
    pub fn plan(&self) -> TablePlan {
        let mut plan = TablePlan {
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
            member_key: MemberKey::Card,
            money_is_order_total: false,
            amount_is_order_total: false,
        };
        plan.settle(self);
        plan
    }

    /// The data rows the preview kept: below the header, totals rows left out.
    fn data_rows(&self) -> impl Iterator<Item = &Vec<String>> {
        self.head_rows.iter().skip(self.has_header as usize).filter(|r| !looks_like_totals_row(r))
    }

    /// The distinct values of a column in the rows kept (up to 50), each with its default
    /// meaning.
    fn values_with_meaning(&self, column: usize) -> Vec<(String, KindMeaning)> {
        let mut out: Vec<(String, KindMeaning)> = Vec::new();
        for r in self.data_rows() {
            if let Some(v) = r.get(column).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                if !out.iter().any(|(k, _)| k == v) && out.len() < 50 {
                    out.push((v.to_string(), default_kind_meaning(v)));
                }
            }
        }
        out
    }

    /// Makes the columns, sample, mapping and notes again from [`TablePreview::head_rows`], with
    /// or without a header as [`TablePreview::has_header`] says.
    fn derive(&mut self) {
        self.notes.retain(|n| !is_derived_note(n));
        let body = &self.head_rows;
        let n_columns = body.iter().map(Vec::len).max().unwrap_or(0);
        let (columns, rows) = if self.has_header && !body.is_empty() {
            (header_columns(&body[0], n_columns), &body[1..])
        } else {
            ((1..=n_columns).map(|i| format!("Column {i}")).collect(), &body[..])
        };
        // Totals rows say nothing about the columns.
        let data: Vec<Vec<String>> = rows.iter().filter(|r| !looks_like_totals_row(r)).cloned().collect();
        let sample: Vec<Vec<String>> = data.iter().take(SAMPLE_ROWS).cloned().collect();
        let order_guess = infer_date_order(sample.iter().flatten().map(String::as_str));
        let date_order = order_guess.unwrap_or_default();
        let header = self.has_header.then_some(&columns[..]);
        let mut mapping = auto_map(header, &sample, n_columns, date_order);
        let mut notes = Vec::new();
        if self.has_header {
            notes.extend(unmap_duplicate_headers(&columns, &mut mapping));
        }
        if let Some(note) = phone_as_member_id(&columns, &data, &mut mapping) {
            notes.push(note);
        }
        let role = match &self.source {
            Source::Json { key: Some(k) } if k == "members" => Role::Members,
            Source::Json { key: Some(k) } if k == "transactions" => Role::Transactions,
            _ => infer_role(&mapping),
        };
        let phone_columns = phone_columns(&columns, &data, self.has_header);
        // A transactions table has no use for a name column, a members table none for a date.
        for m in mapping.iter_mut() {
            if m.field.is_some_and(|f| !Field::for_role(role).contains(&f)) {
                *m = ColumnMapping::default();
            }
        }
        let mut order_total_columns = Vec::new();
        if role == Role::Transactions {
            for (total, line) in find_order_totals(&data, &mapping, &phone_columns, self.head_is_whole) {
                move_money_to_line(&mut mapping, total, line);
                notes.push(TableNote::OrderTotalColumn { header: columns.get(total).cloned().unwrap_or_default() });
                order_total_columns.push(total);
            }
        }
        let date_cols: Vec<usize> = mapping
            .iter()
            .enumerate()
            .filter(|(_, m)| matches!(m.field, Some(Field::Date | Field::Birthday | Field::JoinDate | Field::Expiry | Field::PointsExpiry)))
            .map(|(i, _)| i)
            .collect();
        self.date_order_ambiguous = order_guess.is_none()
            && sample.iter().any(|r| date_cols.iter().any(|&c| r.get(c).is_some_and(|v| is_dmy_like(v))));
        if body.is_empty() {
            notes.push(TableNote::Empty);
        }
        self.include = mapping.iter().any(|m| m.field.is_some()) && !sample.is_empty();
        self.columns = columns;
        self.sample = sample;
        self.mapping = mapping;
        self.role = role;
        self.date_order = date_order;
        self.phone_columns = phone_columns;
        self.order_total_columns = order_total_columns;
        self.notes.extend(notes);
        self.kind_values = match self.mapping.iter().position(|m| m.field == Some(Field::Kind)) {
            Some(c) => self.values_with_meaning(c),
            None => Vec::new(),
        };
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
            // Every figure of the summary: none can be derived from the others.
            Role::Summary => {
                missing.extend([Field::MemberId].into_iter().chain(Field::SUMMARY).filter(|&f| !has(f)));
            }
            Role::Monthly => {
                missing.extend([Field::Measure, Field::MeasureValue].into_iter().filter(|&f| !has(f)));
            }
        }
        missing
    }

    pub fn kind_of(&self, value: &str) -> KindMeaning {
        let v = value.trim();
        self.kind_values.iter().find(|(k, _)| k == v).map_or_else(|| default_kind_meaning(v), |(_, m)| *m)
    }

    fn column_of(&self, field: Field) -> Option<usize> {
        self.fields.iter().position(|f| *f == Some(field))
    }

    /// The column whose money is the revenue: the paid column when mapped, else the amount.
    pub fn money_column(&self) -> Option<usize> {
        self.column_of(Field::Paid).or_else(|| self.column_of(Field::Amount))
    }

    /// Sets what follows from the mapping and the preview: whether the member id is a phone
    /// number, and whether the money column read is a repeated order total.
    fn settle(&mut self, preview: &TablePreview) {
        self.member_key = match self.column_of(Field::MemberId) {
            Some(c) if preview.phone_columns.contains(&c) => MemberKey::Phone,
            _ => MemberKey::Card,
        };
        self.money_is_order_total = self.money_column().is_some_and(|c| preview.order_total_columns.contains(&c));
        self.amount_is_order_total = self.column_of(Field::Amount).is_some_and(|c| preview.order_total_columns.contains(&c));
    }
}

const SAMPLE_ROWS: usize = 20;
/// Rows of a table the preview keeps to work from: enough orders of an order-line export to
/// recognise a repeated order total.
const HEAD_ROWS: usize = 200;
/// Records read for a preview: the head rows and title rows above them.
const PREVIEW_RECORDS: usize = HEAD_ROWS + 20;

/// Builds the preview of one table from its first records; `whole` when they are all the
/// table's records.
fn preview_from_records(file_index: usize, name: String, source: Source, records: &[Vec<String>], whole: bool, notes: Vec<TableNote>) -> TablePreview {
    let skip_rows = leading_title_rows(records);
    let head_is_whole = whole && records.len().saturating_sub(skip_rows) <= HEAD_ROWS;
    let body: Vec<Vec<String>> = records.iter().skip(skip_rows).take(HEAD_ROWS).cloned().collect();
    let has_header = looks_like_header(&body);
    let mut preview = TablePreview {
        file_index,
        name,
        source,
        skip_rows,
        has_header,
        columns: Vec::new(),
        sample: Vec::new(),
        mapping: Vec::new(),
        role: Role::Transactions,
        date_order: DateOrder::default(),
        date_order_ambiguous: false,
        kind_values: Vec::new(),
        include: false,
        notes,
        head_rows: body,
        phone_columns: Vec::new(),
        order_total_columns: Vec::new(),
        head_is_whole,
    };
    preview.derive();
    preview
}

/// Notes the preview makes from the rows (made again when the header switch changes); the
/// others come from the bytes.
fn is_derived_note(note: &TableNote) -> bool {
    matches!(
        note,
        TableNote::Empty
            | TableNote::DuplicateHeader { .. }
            | TableNote::OrderTotalColumn { .. }
            | TableNote::PhoneAsMemberId { .. }
            | TableNote::MappingRemembered
    )
}

/// Header cells, trimmed; empty ones named `Column 3`.
fn header_columns(row: &[String], n_columns: usize) -> Vec<String> {
    let mut cols: Vec<String> = row.iter().map(|c| c.trim().to_string()).collect();
    cols.resize(n_columns, String::new());
    for (i, c) in cols.iter_mut().enumerate() {
        if c.is_empty() {
            *c = format!("Column {}", i + 1);
        }
    }
    cols
}

/// A totals row as the preview sees it, before any column is mapped: a cell says 合计 / Total
/// and no cell is a date.
fn looks_like_totals_row(row: &[String]) -> bool {
    row.iter().any(|c| is_totals_word(c)) && !row.iter().any(|c| parse_date(c, DateOrder::DayFirst).is_some())
}

/// Two columns with the same header: the first is read, the later ones are left unmapped, and
/// a note says so.
fn unmap_duplicate_headers(columns: &[String], mapping: &mut [ColumnMapping]) -> Vec<TableNote> {
    let keys: Vec<String> = columns.iter().map(|c| header_key(c)).collect();
    let mut notes = Vec::new();
    for (later, key) in keys.iter().enumerate() {
        if key.is_empty() {
            continue;
        }
        if let Some(first) = keys[..later].iter().position(|k| k == key) {
            if let Some(m) = mapping.get_mut(later) {
                *m = ColumnMapping::default();
            }
            notes.push(TableNote::DuplicateHeader { header: columns[later].clone(), column: first + 1, other: later + 1 });
        }
    }
    notes
}

/// When the member id column is mostly empty (under half the rows) and a phone column is
/// filled (nine rows in ten), the phone becomes the member id: online stores key buyers by phone
/// and leave the card number empty. The card column is then left unmapped (two columns cannot
/// both be the id; the user can map it back). Without any member id column, a phone column
/// filled in half the rows is enough: otherwise every row would be a walk-in.
fn phone_as_member_id(columns: &[String], data: &[Vec<String>], mapping: &mut [ColumnMapping]) -> Option<TableNote> {
    let phone = mapping.iter().position(|m| m.field == Some(Field::Phone))?;
    let id = mapping.iter().position(|m| m.field == Some(Field::MemberId));
    let phone_needed = if id.is_some() { 0.9 } else { 0.5 };
    if id.is_some_and(|c| filled_share(data, c) >= 0.5) || filled_share(data, phone) < phone_needed {
        return None;
    }
    if let Some(c) = id {
        mapping[c] = ColumnMapping::default();
    }
    mapping[phone] = ColumnMapping { field: Some(Field::MemberId), confidence: 0.9 };
    Some(TableNote::PhoneAsMemberId { header: columns.get(phone).cloned().unwrap_or_default() })
}

/// Columns holding phone numbers: named so by the header, or nine in ten filled values are
/// mobile numbers once normalised.
fn phone_columns(columns: &[String], data: &[Vec<String>], has_header: bool) -> Vec<usize> {
    (0..columns.len())
        .filter(|&c| {
            if has_header && is_phone_header(&columns[c]) {
                return true;
            }
            let filled: Vec<&str> = data.iter().filter_map(|r| r.get(c)).map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
            !filled.is_empty() && filled.iter().filter(|v| is_mobile_number(v)).count() * 10 >= filled.len() * 9
        })
        .collect()
}

/// Order-total columns of the sample, with the line column each totals (see
/// [`order_total_columns`]).
fn find_order_totals(data: &[Vec<String>], mapping: &[ColumnMapping], phone_columns: &[usize], whole: bool) -> Vec<(usize, usize)> {
    let Some(order_col) = mapping.iter().position(|m| m.field == Some(Field::OrderNo)) else { return Vec::new() };
    // A money column named like a category (`Lineitem price` has "item" in it) is money.
    let money_like = |c: usize| {
        matches!(mapping[c].field, None | Some(Field::Paid | Field::Amount | Field::Category))
            && !phone_columns.contains(&c)
            && is_money_column(data, c)
    };
    let candidates: Vec<usize> = (0..mapping.len()).filter(|&c| money_like(c)).collect();
    let lines_first: Vec<usize> = [Field::Paid, Field::Amount]
        .iter()
        .filter_map(|f| mapping.iter().position(|m| m.field == Some(*f)))
        .collect();
    // Lines of one order share the member and the day too (receipt numbers restart daily).
    let same: Vec<usize> = [Field::MemberId, Field::Date].iter().filter_map(|f| mapping.iter().position(|m| m.field == Some(*f))).collect();
    order_total_columns(data, order_col, &same, &candidates, &lines_first, whole)
}

/// An order-total column loses its money field; the line column it totals is read instead, with
/// the total's field unless it already had a money field (paid stays paid; an amount becomes
/// paid when the total was the paid column).
fn move_money_to_line(mapping: &mut [ColumnMapping], total: usize, line: usize) {
    let Some(field) = mapping[total].field.filter(|f| matches!(f, Field::Paid | Field::Amount)) else { return };
    mapping[total] = ColumnMapping::default();
    let line_field = mapping[line].field;
    let promote = match line_field {
        Some(Field::Paid) => false,
        Some(Field::Amount) => field == Field::Paid,
        _ => true,
    };
    if promote {
        mapping[line] = ColumnMapping { field: Some(field), confidence: 0.9 };
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
pub fn inspect(file_index: usize, file_name: &str, head: &[u8], complete: bool) -> Result<Vec<TablePreview>, LoadError> {
    if head.is_empty() {
        return Err(LoadError::Empty { file: file_name.to_string() });
    }
    let whole_tables = |tables: Vec<Table>, source: &dyn Fn(&Table) -> Source| -> Vec<TablePreview> {
        tables
            .iter()
            .map(|t| {
                let name = match &t.name {
                    Some(n) => format!("{file_name} · {n}"),
                    None => file_name.to_string(),
                };
                let records: Vec<Vec<String>> = t.rows.iter().take(PREVIEW_RECORDS).cloned().collect();
                let whole = t.rows.len() <= PREVIEW_RECORDS;
                preview_from_records(file_index, name, source(t), &records, whole, Vec::new())
            })
            .collect()
    };
    if is_excel(head) {
        if !complete {
            return Err(LoadError::NotWhole { file: file_name.to_string() });
        }
        let tables = read_excel(head).map_err(|problem| LoadError::Unreadable { file: file_name.to_string(), problem })?;
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
        let tables = read_json(head).map_err(|problem| LoadError::Unreadable { file: file_name.to_string(), problem })?;
        return Ok(whole_tables(tables, &|t| Source::Json { key: t.name.clone() }));
    }
    let encoding = sniff_encoding(head);
    let (text, had_errors) = decode_all(head, encoding);
    let delimiter = sniff_delimiter(&text, complete);
    let records = sample_records(&text, delimiter, PREVIEW_RECORDS, complete);
    // Fewer records than asked for from the whole file: they are the whole table.
    let whole = complete && records.len() < PREVIEW_RECORDS;
    let mut notes = Vec::new();
    // The head may end inside a character; only errors before that count.
    if had_errors && text.trim_end_matches('\u{FFFD}').contains('\u{FFFD}') {
        notes.push(TableNote::InvalidBytes { encoding: encoding.label().to_string() });
    }
    Ok(vec![preview_from_records(file_index, file_name.to_string(), Source::Delimited { encoding, delimiter }, &records, whole, notes)])
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
        assert_eq!(inspect(0, "e.csv", b"", true).unwrap_err(), LoadError::Empty { file: "e.csv".into() });
    }

    /// The import draft: validation and edits on the mapping screen.
    mod draft {
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

        #[test]
        fn the_header_switch_makes_the_preview_again() {
            let text = "会员卡号,消费时间,实收金额\n8801,2024-01-01,5\n8802,2024-01-02,6\n";
            let mut d = ImportDraft::new(inspect(0, "a.csv", text.as_bytes(), true).unwrap());
            assert!(d.previews[0].has_header);
            d.set_has_header(0, false);
            let p = &d.previews[0];
            assert_eq!(p.columns, vec!["Column 1", "Column 2", "Column 3"]);
            assert_eq!(p.sample.len(), 3, "the header row is now a data row");
            assert_eq!(p.sample[0][0], "会员卡号");
            assert!(!d.plans[0].has_header);
            assert_eq!(d.plans[0].columns, p.columns);
            d.set_has_header(0, true);
            assert_eq!(d.previews[0].columns, vec!["会员卡号", "消费时间", "实收金额"]);
            assert_eq!(d.plans[0].fields, vec![Some(Field::MemberId), Some(Field::Date), Some(Field::Paid)]);
            assert_eq!(d.previews[0].sample.len(), 2);
            // A file read without a header can be given one.
            let mut d = ImportDraft::new(inspect(0, "b.csv", b"id,day,money\n1,2024-01-01,5\n", true).unwrap());
            d.set_has_header(0, false);
            assert_eq!(d.previews[0].sample.len(), 2);
            d.set_has_header(0, true);
            assert_eq!(d.plans[0].columns, vec!["id", "day", "money"]);
            d.set_has_header(7, true); // no such table: nothing happens
        }

        #[test]
        fn duplicate_headers_are_said_and_the_first_is_read() {
            let p = &inspect(0, "a.csv", "会员卡号,日期,金额,金额\n1,2024-01-01,5,6\n".as_bytes(), true).unwrap()[0];
            assert_eq!(p.notes, vec![TableNote::DuplicateHeader { header: "金额".into(), column: 3, other: 4 }]);
            assert_eq!(p.plan().fields, vec![Some(Field::MemberId), Some(Field::Date), Some(Field::Amount), None]);
        }

        #[test]
        fn a_filled_phone_column_becomes_the_member_key() {
            let text = "订单号,下单时间,会员卡号,买家手机号,实付金额\n1,2024-01-01,,13800000001,5\n2,2024-01-01,,+86 13800000002,5\n3,2024-01-02,VIP1,13800000003,5\n";
            let mut d = ImportDraft::new(inspect(0, "a.csv", text.as_bytes(), true).unwrap());
            let p = &d.previews[0];
            assert!(p.notes.contains(&TableNote::PhoneAsMemberId { header: "买家手机号".into() }));
            assert_eq!(d.plans[0].fields[2..4], [None, Some(Field::MemberId)]);
            assert_eq!(d.plans[0].member_key, MemberKey::Phone);
            // The user can take the card column back.
            d.set_field(0, 2, Some(Field::MemberId));
            assert_eq!(d.plans[0].member_key, MemberKey::Card);
            // With the card filled, the card stays the key.
            let text = "会员卡号,下单时间,买家手机号,实付金额\nA,2024-01-01,13800000001,5\nB,2024-01-01,13800000002,5\n";
            let p = &inspect(0, "a.csv", text.as_bytes(), true).unwrap()[0];
            assert_eq!(p.plan().member_key, MemberKey::Card);
            assert!(p.notes.is_empty());
        }

        #[test]
        fn the_order_total_column_is_not_the_revenue() {
            let text = "订单号,下单时间,买家手机号,订单实付金额,商品实付金额,订单状态\n\
                A,2024-01-01,13800000001,150,100,交易成功\n\
                A,2024-01-01,13800000001,150,50,交易成功\n\
                B,2024-01-02,13800000002,80,80,交易关闭\n\
                C,2024-01-03,13800000003,30,10,交易成功\n\
                C,2024-01-03,13800000003,30,20,交易成功\n";
            let mut d = ImportDraft::new(inspect(0, "a.csv", text.as_bytes(), true).unwrap());
            let p = &d.previews[0];
            assert!(p.head_is_whole);
            assert!(p.notes.contains(&TableNote::OrderTotalColumn { header: "订单实付金额".into() }));
            assert_eq!(p.order_total_columns, vec![3]);
            assert_eq!(d.plans[0].fields[3..5], [None, Some(Field::Paid)]);
            assert!(!d.plans[0].money_is_order_total);
            assert_eq!(d.plans[0].kind_values, vec![("交易成功".into(), KindMeaning::Sale), ("交易关闭".into(), KindMeaning::NotSale)]);
            // Mapped anyway, the total is known for what it is.
            d.set_field(0, 3, Some(Field::Paid));
            assert!(d.plans[0].money_is_order_total);
            d.set_field(0, 4, Some(Field::Paid));
            assert!(!d.plans[0].money_is_order_total);
            // As the amount beside a paid line column, it is no gross of the line either.
            d.set_field(0, 3, Some(Field::Amount));
            assert!(d.plans[0].amount_is_order_total && !d.plans[0].money_is_order_total);
        }

        #[test]
        fn a_total_with_shipping_and_a_sample_cut_inside_an_order() {
            // Orders of 4 lines, the total 500 cents of shipping above the lines, in a file longer
            // than the preview's head: the head ends inside an order (199 data rows: three lines
            // of the 50th order).
            let mut text = String::from("订单号,下单时间,买家手机号,订单实付金额,商品实付金额\n");
            let lines = [1_000, 2_050, 300, 125];
            let total: i64 = lines.iter().sum::<i64>() + 500;
            for o in 0..(HEAD_ROWS / 4 + 5) {
                for l in lines {
                    text.push_str(&format!("O{o},2024-01-01,138{o:08},{}.{:02},{}.{:02}\n", total / 100, total % 100, l / 100, l % 100));
                }
            }
            let p = &inspect(0, "a.csv", text.as_bytes(), true).unwrap()[0];
            assert!(!p.head_is_whole);
            assert_eq!(p.order_total_columns, vec![3]);
            assert_eq!(p.plan().fields[3..5], [None, Some(Field::Paid)]);
        }

        #[test]
        fn mapping_the_type_to_another_column_lists_its_values() {
            let text = "会员卡号,日期,金额,类型,交易状态\n1,2024-01-01,5,消费,交易成功\n1,2024-01-02,5,消费,已取消\n";
            let mut d = ImportDraft::new(inspect(0, "a.csv", text.as_bytes(), true).unwrap());
            assert_eq!(d.plans[0].fields[3], Some(Field::Kind));
            d.plans[0].kind_values[0].1 = KindMeaning::Refund;
            d.set_field(0, 4, Some(Field::Kind));
            assert_eq!(d.plans[0].fields[3], None);
            assert_eq!(d.previews[0].kind_values, vec![("交易成功".into(), KindMeaning::Sale), ("已取消".into(), KindMeaning::NotSale)]);
            assert_eq!(d.plans[0].kind_values, d.previews[0].kind_values);
        }

        #[test]
        fn default_meanings_of_statuses() {
            for v in ["交易成功", "已完成", "已付款", "已发货", "待发货", "待收货", "已签收", "completed", "paid", "Shipped", "退款中", "partially_refunded", "消费"] {
                assert_eq!(default_kind_meaning(v), KindMeaning::Sale, "{v}");
            }
            for v in ["交易关闭", "已关闭", "已取消", "取消", "待付款", "未付款", "等待买家付款", "已失效", "cancelled", "canceled", "closed", "unpaid", "pending payment", "voided"] {
                assert_eq!(default_kind_meaning(v), KindMeaning::NotSale, "{v}");
            }
            for v in ["已退款", "退款成功", "全额退款", "refunded", "退款", "退货", "Refund"] {
                assert_eq!(default_kind_meaning(v), KindMeaning::Refund, "{v}");
            }
            assert_eq!(default_kind_meaning("储值充值"), KindMeaning::TopUp);
        }
    }
}

/// Why a draft cannot be read yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftProblem {
    /// No table is ticked.
    NoTable,
    /// A field the table's role needs has no column.
    Missing { table: String, field: Field },
    /// Two columns of the table are mapped to one field.
    Twice { table: String, field: Field },
    /// A member summary and a transactions table in one load: their figures would disagree
    /// (load either transactions or a summary).
    SummaryWithTransactions { summary: String, transactions: String },
    /// Monthly aggregates without the member summary they go with.
    MonthlyWithoutSummary { table: String },
}

impl DraftProblem {
    pub fn text(&self) -> String {
        match self {
            DraftProblem::NoTable => "choose at least one table to read".into(),
            DraftProblem::Missing { table, field } => format!("{table}: no column is mapped to {}", field.label()),
            DraftProblem::Twice { table, field } => format!("{table}: two columns are mapped to {}", field.label()),
            DraftProblem::SummaryWithTransactions { summary, transactions } => {
                format!("{summary} is a member summary and {transactions} holds transactions: load either transactions or a summary")
            }
            DraftProblem::MonthlyWithoutSummary { table } => format!("{table}: monthly aggregates need the member summary they go with"),
        }
    }
}

/// Tables that cannot be read together: a member summary beside transactions (the summary's
/// figures and those of the transactions would disagree), monthly aggregates without a summary.
pub fn refused_combination(plans: &[TablePlan]) -> Option<DraftProblem> {
    let first = |role: Role| plans.iter().find(|p| p.role == role).map(|p| p.name.clone());
    let summary = first(Role::Summary);
    if let (Some(summary), Some(transactions)) = (summary.clone(), first(Role::Transactions)) {
        return Some(DraftProblem::SummaryWithTransactions { summary, transactions });
    }
    match (summary, first(Role::Monthly)) {
        (None, Some(table)) => Some(DraftProblem::MonthlyWithoutSummary { table }),
        _ => None,
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

    /// Why the draft cannot be read yet, one sentence each in English (the automation
    /// interface); empty when it can. The page translates [`Self::draft_problems`].
    pub fn problems(&self) -> Vec<String> {
        self.draft_problems().iter().map(DraftProblem::text).collect()
    }

    /// Why the draft cannot be read yet; empty when it can.
    pub fn draft_problems(&self) -> Vec<DraftProblem> {
        let chosen = self.chosen_plans();
        if chosen.is_empty() {
            return vec![DraftProblem::NoTable];
        }
        let mut out = Vec::new();
        for p in &chosen {
            for f in p.missing_fields() {
                out.push(DraftProblem::Missing { table: p.name.clone(), field: f });
            }
            let mut seen: Vec<Field> = Vec::new();
            for f in p.fields.iter().flatten() {
                if seen.contains(f) {
                    out.push(DraftProblem::Twice { table: p.name.clone(), field: *f });
                } else {
                    seen.push(*f);
                }
            }
        }
        out.extend(refused_combination(&chosen));
        out
    }

    /// Changes a table's role; fields the new role cannot have are unmapped.
    pub fn set_role(&mut self, table: usize, role: Role) {
        let Some(plan) = self.plans.get_mut(table) else { return };
        plan.role = role;
        let allowed = Field::for_role(role);
        for f in plan.fields.iter_mut() {
            if f.is_some_and(|x| !allowed.contains(&x)) {
                *f = None;
            }
        }
        self.settle(table);
    }

    /// Maps a column to a field (or to nothing); another column of the same table that had the
    /// field loses it. A column mapped to the type lists its values (a status column too).
    pub fn set_field(&mut self, table: usize, column: usize, field: Option<Field>) {
        let (Some(plan), Some(preview)) = (self.plans.get_mut(table), self.previews.get_mut(table)) else { return };
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
        if field == Some(Field::Kind) {
            // The new column's values, keeping any meaning the user already chose for a value.
            let values = preview.values_with_meaning(column);
            plan.kind_values = values
                .iter()
                .map(|(v, m)| (v.clone(), plan.kind_values.iter().find(|(k, _)| k == v).map_or(*m, |(_, chosen)| *chosen)))
                .collect();
            preview.kind_values = values;
        }
        self.settle(table);
    }

    /// Says whether the table's first row (below any title rows) is a header, and proposes the
    /// columns, sample and mapping again from the rows the preview kept.
    pub fn set_has_header(&mut self, table: usize, has_header: bool) {
        let Some(preview) = self.previews.get_mut(table) else { return };
        preview.has_header = has_header;
        preview.derive();
        if let Some(plan) = self.plans.get_mut(table) {
            *plan = preview.plan();
        }
    }

    fn settle(&mut self, table: usize) {
        if let (Some(plan), Some(preview)) = (self.plans.get_mut(table), self.previews.get(table)) {
            plan.settle(preview);
        }
    }
}
