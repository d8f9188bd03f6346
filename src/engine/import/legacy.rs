//! Reading a transactions export: delimited text with a header row, streamed in chunks straight
//! into the columnar store. Every row that cannot be used becomes a [`Problem`] naming its row,
//! column, raw value and reason; nothing is dropped silently.
//!
//! This first reader takes UTF-8 comma- or tab-separated text whose header names the columns
//! (Chinese or English synonyms). Encodings, Excel, JSON and the mapping screen build on it.

use serde::{Deserialize, Serialize};

use crate::engine::dates::{day_from_ymd, Day};
use crate::engine::model::{Dataset, TxKind, TxRecord};

/// The fields a transactions file can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxField {
    MemberId,
    Date,
    Amount,
    Discount,
    Category,
    Store,
    Kind,
}

impl TxField {
    pub const ALL: [TxField; 7] = [
        TxField::MemberId,
        TxField::Date,
        TxField::Amount,
        TxField::Discount,
        TxField::Category,
        TxField::Store,
        TxField::Kind,
    ];

    /// Header names that mean this field, compared after trimming and lower-casing.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            TxField::MemberId => &["会员卡号", "会员编号", "会员号", "卡号", "会员id", "member_id", "member id", "member", "customer_id", "customer id", "card_no", "card"],
            TxField::Date => &["消费时间", "交易时间", "消费日期", "交易日期", "日期", "时间", "date", "time", "datetime", "order_date", "purchase_date"],
            TxField::Amount => &["实收金额", "实收", "消费金额", "金额", "应收", "amount", "paid", "sales", "total", "price"],
            TxField::Discount => &["优惠金额", "优惠", "折扣金额", "折扣", "discount"],
            TxField::Category => &["项目", "商品类别", "品类", "类别", "商品", "category", "item", "product"],
            TxField::Store => &["门店", "所属门店", "店铺", "store", "shop", "branch"],
            TxField::Kind => &["类型", "消费类型", "交易类型", "type", "kind"],
        }
    }

    /// The field's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            TxField::MemberId => "member id",
            TxField::Date => "date",
            TxField::Amount => "amount",
            TxField::Discount => "discount",
            TxField::Category => "category",
            TxField::Store => "store",
            TxField::Kind => "type",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, TxField::Date | TxField::Amount)
    }
}

/// One row that could not be used, or a value that could not be read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Line number in the file, 1 = the header.
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// What a load did with one file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub name: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_skipped: u64,
    pub walk_in_rows: u64,
    /// The first [`MAX_PROBLEMS_KEPT`] problems; `rows_skipped` counts them all.
    pub problems: Vec<Problem>,
}

pub const MAX_PROBLEMS_KEPT: usize = 10_000;

/// Streams one transactions file into a [`Dataset`]: feed it chunks with [`Self::push`], then
/// call [`Self::finish`].
pub struct TransactionReader {
    report: FileReport,
    /// Column index of each field, once the header is read.
    columns: Option<Vec<(TxField, usize)>>,
    header: Vec<String>,
    delimiter: u8,
    /// Bytes of an unfinished line carried to the next chunk.
    carry: Vec<u8>,
    line_no: u64,
    fatal: Option<String>,
}

impl TransactionReader {
    pub fn new(name: &str) -> Self {
        TransactionReader {
            report: FileReport { name: name.to_string(), ..Default::default() },
            columns: None,
            header: Vec::new(),
            delimiter: b',',
            carry: Vec::new(),
            line_no: 0,
            fatal: None,
        }
    }

    /// Reads every complete line of `chunk` (plus what was carried from the last chunk).
    pub fn push(&mut self, ds: &mut Dataset, chunk: &[u8]) {
        self.carry.extend_from_slice(chunk);
        let buf = std::mem::take(&mut self.carry);
        let mut start = 0;
        let mut in_quotes = false;
        for (i, &b) in buf.iter().enumerate() {
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' if !in_quotes => {
                    self.line(ds, &buf[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        self.carry = buf[start..].to_vec();
    }

    /// Reads the last line and returns the report, or an error that makes the file unusable.
    pub fn finish(mut self, ds: &mut Dataset) -> Result<FileReport, String> {
        let rest = std::mem::take(&mut self.carry);
        if !rest.is_empty() {
            self.line(ds, &rest);
        }
        if let Some(e) = self.fatal {
            return Err(e);
        }
        if self.columns.is_none() {
            return Err(format!("{}: the file is empty", self.report.name));
        }
        Ok(self.report)
    }

    fn line(&mut self, ds: &mut Dataset, raw: &[u8]) {
        self.line_no += 1;
        if self.fatal.is_some() {
            return;
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if self.line_no == 1 { raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw) } else { raw };
        let text = String::from_utf8_lossy(raw);
        if self.columns.is_none() {
            self.read_header(&text);
            return;
        }
        if text.trim().is_empty() {
            return;
        }
        self.report.rows_read += 1;
        let fields = split_fields(&text, self.delimiter);
        match self.parse_row(&fields) {
            Ok(tx) => {
                if tx.member_id.is_none() {
                    self.report.walk_in_rows += 1;
                }
                ds.add_transaction(tx);
                self.report.rows_used += 1;
            }
            Err(p) => {
                self.report.rows_skipped += 1;
                if self.report.problems.len() < MAX_PROBLEMS_KEPT {
                    self.report.problems.push(p);
                }
            }
        }
    }

    fn read_header(&mut self, text: &str) {
        self.delimiter = if text.matches('\t').count() > text.matches(',').count() { b'\t' } else { b',' };
        self.header = split_fields(text, self.delimiter).into_iter().map(|h| h.trim().to_string()).collect();
        let mut columns = Vec::new();
        let mut missing = Vec::new();
        for field in TxField::ALL {
            let found = self.header.iter().position(|h| {
                let h = h.to_lowercase();
                field.synonyms().iter().any(|s| h == *s)
            });
            match found {
                Some(i) => columns.push((field, i)),
                None if field.required() => missing.push(format!(
                    "no {} column (expected one of: {})",
                    field.label(),
                    field.synonyms().join(", ")
                )),
                None => {}
            }
        }
        if !missing.is_empty() {
            self.fatal = Some(format!(
                "{}: the header ({}) has {}",
                self.report.name,
                self.header.join(", "),
                missing.join("; ")
            ));
        }
        self.columns = Some(columns);
    }

    fn parse_row<'a>(&self, fields: &'a [String]) -> Result<TxRecord<'a>, Problem> {
        let row = self.line_no;
        let columns = self.columns.as_deref().unwrap_or(&[]);
        let get = |f: TxField| -> Option<(&'a str, &str)> {
            columns.iter().find(|c| c.0 == f).map(|&(_, i)| {
                (fields.get(i).map(|s| s.trim()).unwrap_or(""), self.header[i].as_str())
            })
        };
        let problem = |column: &str, value: &str, reason: &str| Problem {
            row,
            column: column.to_string(),
            value: value.to_string(),
            reason: reason.to_string(),
        };
        let (date_raw, date_col) = get(TxField::Date).unwrap_or(("", ""));
        let day = parse_day(date_raw).ok_or_else(|| problem(date_col, date_raw, "not a date"))?;
        let (amount_raw, amount_col) = get(TxField::Amount).unwrap_or(("", ""));
        let mut amount = parse_cents(amount_raw).ok_or_else(|| problem(amount_col, amount_raw, "not an amount"))?;
        let discount = match get(TxField::Discount) {
            Some((raw, _)) if raw.is_empty() => 0,
            Some((raw, col)) => parse_cents(raw).ok_or_else(|| problem(col, raw, "not an amount"))?.abs(),
            None => 0,
        };
        let kind_text = get(TxField::Kind).map(|k| k.0.to_lowercase()).unwrap_or_default();
        let kind = if kind_text.contains("退") || kind_text.contains("refund") || amount < 0 {
            amount = -amount.abs();
            TxKind::Refund
        } else if kind_text.contains("充值") || kind_text.contains("top") || kind_text.contains("recharge") {
            TxKind::TopUp
        } else {
            TxKind::Sale
        };
        let member_id = get(TxField::MemberId).map(|m| m.0).filter(|m| !m.is_empty());
        Ok(TxRecord {
            member_id,
            day,
            amount_cents: amount,
            discount_cents: discount,
            category: get(TxField::Category).map(|c| c.0).filter(|c| !c.is_empty()),
            store: get(TxField::Store).map(|c| c.0).filter(|c| !c.is_empty()),
            kind,
        })
    }
}

/// Splits one line on `delimiter`, honouring double quotes (`""` inside quotes is a quote).
pub fn split_fields(line: &str, delimiter: u8) -> Vec<String> {
    let delimiter = delimiter as char;
    let mut out = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            c if c == delimiter && !in_quotes => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

/// `2024-03-05`, `2024/3/5 14:22`, `20240305`, `2024-03-05T14:22:00+08:00` → day number.
pub fn parse_day(s: &str) -> Option<Day> {
    let s = s.trim();
    let date_part = s.split([' ', 'T']).next()?;
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = date_part.parse().ok()?;
        return day_from_ymd((n / 10_000) as i32, n / 100 % 100, n % 100);
    }
    let mut parts = date_part.split(['-', '/', '.']);
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1900..=2200).contains(&y) {
        return None;
    }
    day_from_ymd(y, m, d)
}

/// `1,280.00`, `¥35`, `￥12.5`, `-8` → cents.
pub fn parse_cents(s: &str) -> Option<i64> {
    let cleaned: String = s.chars().filter(|c| !matches!(c, '¥' | '￥' | '$' | '元' | ',' | ' ')).collect();
    if cleaned.is_empty() {
        return None;
    }
    let v: f64 = cleaned.parse().ok()?;
    v.is_finite().then(|| (v * 100.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::WALK_IN;

    fn read(text: &str, chunk: usize) -> (Dataset, Result<FileReport, String>) {
        let mut ds = Dataset::new("t");
        let mut r = TransactionReader::new("t.csv");
        for c in text.as_bytes().chunks(chunk) {
            r.push(&mut ds, c);
        }
        let rep = r.finish(&mut ds);
        (ds, rep)
    }

    const FILE: &str = "\u{feff}会员卡号,消费时间,实收金额,优惠金额,项目,门店,类型\r\n\
        8800001,2024-03-05 14:22,\"1,280.00\",20,面霜,静安店,消费\r\n\
        ,2024/3/6,￥35,,面膜,静安店,消费\r\n\
        8800002,20240307,99,0,洁面,徐汇店,退款\r\n\
        8800001,yesterday,10,0,洁面,静安店,消费\r\n\
        8800003,2024-03-08,abc,0,洁面,静安店,消费\r\n\
        8800002,2024-03-09,500,0,,徐汇店,充值\r\n";

    #[test]
    fn reads_rows_and_reports_each_rejected_row() {
        for chunk in [1, 7, 4096] {
            let (ds, rep) = read(FILE, chunk);
            let rep = rep.unwrap();
            assert_eq!((rep.rows_read, rep.rows_used, rep.rows_skipped, rep.walk_in_rows), (6, 4, 2, 1), "chunk {chunk}");
            assert_eq!(
                rep.problems,
                vec![
                    Problem { row: 5, column: "消费时间".into(), value: "yesterday".into(), reason: "not a date".into() },
                    Problem { row: 6, column: "实收金额".into(), value: "abc".into(), reason: "not an amount".into() },
                ]
            );
            let tx = &ds.transactions;
            assert_eq!(tx.amount_cents, vec![128_000, 3_500, -9_900, 50_000]);
            assert_eq!(tx.discount_cents, vec![2_000, 0, 0, 0]);
            assert_eq!(tx.kind, vec![TxKind::Sale, TxKind::Sale, TxKind::Refund, TxKind::TopUp]);
            assert_eq!(tx.member[1], WALK_IN);
            assert_eq!(ds.members.id, vec!["8800001", "8800002"]);
            assert_eq!(tx.day[0], day_from_ymd(2024, 3, 5).unwrap());
            assert_eq!(tx.day[2], day_from_ymd(2024, 3, 7).unwrap());
        }
    }

    #[test]
    fn missing_required_column_is_a_clear_error() {
        let (_, rep) = read("member,foo\n1,2\n", 64);
        let e = rep.unwrap_err();
        assert!(e.contains("no date column") && e.contains("no amount column") && e.contains("(member, foo)"), "{e}");
        let (_, rep) = read("", 64);
        assert!(rep.unwrap_err().contains("empty"));
    }

    #[test]
    fn values() {
        assert_eq!(parse_cents("(12)"), None);
        assert_eq!(parse_cents("12.345"), Some(1235));
        assert_eq!(parse_day("2024-02-30"), None);
        assert_eq!(parse_day("2024-03-05T10:00:00+08:00"), day_from_ymd(2024, 3, 5));
        assert_eq!(split_fields("a,\"b,\"\"c\"\"\",d", b','), vec!["a", "b,\"c\"", "d"]);
    }
}
