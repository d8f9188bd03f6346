//! Rows into the data set, following a [`TablePlan`]: each row becomes a member or a
//! transaction, or a [`Problem`] that says why not. Values that cannot be read in optional
//! columns are left out with a warning; the row is still used.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHasher};

use crate::engine::dates::Day;
use crate::engine::model::{Dataset, Gender, MemberRecord, TxKind, TxRecord, WALK_IN};

use super::fields::{Field, Role};
use super::plan::{KindMeaning, TablePlan};
use super::report::{FileReport, Problem, Reason};
use super::values::{normalize_id, parse_date, parse_money};

/// State shared by the tables of one load: the data set and what joins the tables.
pub struct Loader {
    pub ds: Dataset,
    pub reports: Vec<FileReport>,
    /// Whether a members table was read (then transactions of unknown members are flagged).
    members_table_read: bool,
    /// Order number (hashed) → first row, member and day seen with it.
    orders: HashMap<u64, (u64, u32, Day)>,
}

impl Loader {
    pub fn new(name: impl Into<String>) -> Self {
        Loader { ds: Dataset::new(name), reports: Vec::new(), members_table_read: false, orders: HashMap::default() }
    }

    /// Starts reading one table.
    pub fn table<'a>(&'a mut self, plan: &'a TablePlan) -> TableIngest<'a> {
        let mut col = [None; Field::ALL.len()];
        for (i, f) in plan.fields.iter().enumerate() {
            if let Some(f) = f {
                col[*f as usize].get_or_insert(i);
            }
        }
        let report = FileReport {
            name: plan.name.clone(),
            format: format_words(plan),
            role: match plan.role {
                Role::Members => "members".into(),
                Role::Transactions => "transactions".into(),
            },
            ..Default::default()
        };
        TableIngest { loader: self, plan, col, report, first_row: plan.skip_rows as u64 + plan.has_header as u64, member_rows: HashMap::default(), last_kind: None }
    }

    pub fn finish(self) -> (Dataset, Vec<FileReport>) {
        (self.ds, self.reports)
    }
}

fn format_words(plan: &TablePlan) -> String {
    let header = if plan.has_header {
        format!("header on row {}", plan.skip_rows + 1)
    } else {
        "no header".to_string()
    };
    format!("{}, {header}", plan.source.describe())
}

/// One table being read.
pub struct TableIngest<'a> {
    loader: &'a mut Loader,
    plan: &'a TablePlan,
    /// Column of each field (indexed by `Field as usize`).
    col: [Option<usize>; Field::ALL.len()],
    report: FileReport,
    /// Rows up to this one are titles and the header.
    first_row: u64,
    /// Member → the row of this table that added it (duplicate ids).
    member_rows: HashMap<u32, u64>,
    /// The last type value and its meaning (exports repeat the same few values).
    last_kind: Option<(String, KindMeaning)>,
}

/// Why a row was skipped: (column index, reason).
type Skip = (usize, Reason);

impl TableIngest<'_> {
    /// Reads one record; `row` is its 1-based row number in the file.
    pub fn record(&mut self, row: u64, fields: &[&str]) {
        if row <= self.first_row {
            return;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        self.report.rows_read += 1;
        let mut warnings: Vec<Problem> = Vec::new();
        let result = match self.plan.role {
            Role::Members => self.member(row, fields, &mut warnings),
            Role::Transactions => self.transaction(row, fields, &mut warnings),
        };
        match result {
            Ok(()) => {
                self.report.rows_used += 1;
                if !warnings.is_empty() {
                    self.report.rows_with_warnings += 1;
                }
                for w in warnings {
                    self.report.add(w);
                }
            }
            Err((c, reason)) => {
                self.report.rows_skipped += 1;
                let value = fields.get(c).unwrap_or(&"").to_string();
                self.report.add(Problem::new(row, self.column_name(c), value, reason, false));
            }
        }
    }

    /// Ends the table and files its report.
    pub fn finish(self) {
        if self.plan.role == Role::Members {
            self.loader.members_table_read = true;
        }
        self.loader.reports.push(self.report);
    }

    pub fn note(&mut self, note: super::report::TableNote) {
        self.report.notes.push(note);
    }

    pub fn report(&self) -> &FileReport {
        &self.report
    }

    fn column_name(&self, c: usize) -> String {
        self.plan.columns.get(c).cloned().unwrap_or_else(|| format!("Column {}", c + 1))
    }

    fn get<'f>(&self, fields: &[&'f str], f: Field) -> Option<(usize, &'f str)> {
        let c = self.col[f as usize]?;
        Some((c, fields.get(c).map_or("", |v| v.trim())))
    }

    fn text(&self, fields: &[&str], f: Field) -> Option<String> {
        self.get(fields, f).map(|(_, v)| v).filter(|v| !v.is_empty()).map(str::to_string)
    }

    fn warn(&self, row: u64, c: usize, value: &str, reason: Reason) -> Problem {
        Problem::new(row, self.column_name(c), value.to_string(), reason, true)
    }

    /// The column of a field the plan requires (checked before reading starts).
    fn required(&self, f: Field) -> usize {
        self.col[f as usize].unwrap_or(0)
    }

    /// An optional date: empty is none; unreadable is none with a warning.
    fn optional_date(&self, row: u64, fields: &[&str], f: Field, warnings: &mut Vec<Problem>) -> Option<Day> {
        let (c, v) = self.get(fields, f)?;
        if v.is_empty() {
            return None;
        }
        let d = parse_date(v, self.plan.date_order);
        if d.is_none() {
            warnings.push(self.warn(row, c, v, Reason::DateLeftOut));
        }
        d
    }

    fn optional_money(&self, row: u64, fields: &[&str], f: Field, warnings: &mut Vec<Problem>) -> Option<i64> {
        let (c, v) = self.get(fields, f)?;
        if v.is_empty() {
            return None;
        }
        let m = parse_money(v);
        if m.is_none() {
            warnings.push(self.warn(row, c, v, Reason::NumberLeftOut));
        }
        m
    }

    fn kind_meaning(&mut self, value: &str) -> KindMeaning {
        match &self.last_kind {
            Some((v, m)) if v == value => *m,
            _ => {
                let m = self.plan.kind_of(value);
                self.last_kind = Some((value.to_string(), m));
                m
            }
        }
    }

    fn member(&mut self, row: u64, fields: &[&str], warnings: &mut Vec<Problem>) -> Result<(), Skip> {
        let id_col = self.required(Field::MemberId);
        let id = normalize_id(fields.get(id_col).unwrap_or(&"")).into_owned();
        if id.is_empty() {
            return Err((id_col, Reason::NoMemberId));
        }
        if let Some(existing) = self.loader.ds.find_member(&id) {
            let reason = if self.member_rows.contains_key(&existing) {
                Reason::MemberIdRepeated
            } else {
                Reason::MemberIdInEarlierTable
            };
            return Err((id_col, reason));
        }
        let gender = match self.get(fields, Field::Gender).map(|(_, v)| v.to_lowercase()) {
            Some(g) if ["女", "f", "female", "woman", "w"].contains(&g.as_str()) => Gender::Female,
            Some(g) if ["男", "m", "male", "man"].contains(&g.as_str()) => Gender::Male,
            _ => Gender::Unknown,
        };
        let record = MemberRecord {
            id,
            name: self.text(fields, Field::Name).unwrap_or_default(),
            phone: self.text(fields, Field::Phone).unwrap_or_default(),
            gender,
            birthday: self.optional_date(row, fields, Field::Birthday, warnings),
            join_day: self.optional_date(row, fields, Field::JoinDate, warnings),
            tier: self.text(fields, Field::Tier),
            points: self.optional_money(row, fields, Field::Points, warnings).map_or(0, |c| (c + 50).div_euclid(100)),
            balance_cents: self.optional_money(row, fields, Field::Balance, warnings).unwrap_or(0),
            store: self.text(fields, Field::Store),
            expiry: self.optional_date(row, fields, Field::Expiry, warnings),
        };
        let m = self.loader.ds.add_member(record);
        self.member_rows.insert(m, row);
        Ok(())
    }

    fn transaction(&mut self, row: u64, fields: &[&str], warnings: &mut Vec<Problem>) -> Result<(), Skip> {
        let date_col = self.required(Field::Date);
        let date_raw = fields.get(date_col).map_or("", |v| v.trim());
        if date_raw.is_empty() {
            return Err((date_col, Reason::NoDate));
        }
        let day = parse_date(date_raw, self.plan.date_order).ok_or((date_col, Reason::NotADate))?;
        // Revenue is the money paid when the file has it, else the amount.
        let money_field = if self.col[Field::Paid as usize].is_some() { Field::Paid } else { Field::Amount };
        let money_col = self.required(money_field);
        let money_raw = fields.get(money_col).map_or("", |v| v.trim());
        if money_raw.is_empty() {
            return Err((money_col, Reason::NoAmount));
        }
        let mut amount = parse_money(money_raw).ok_or((money_col, Reason::NotAnAmount))?;
        let kind = match self.get(fields, Field::Kind).map(|(_, v)| self.kind_meaning(v)) {
            Some(KindMeaning::Refund) => TxKind::Refund,
            Some(KindMeaning::TopUp) => TxKind::TopUp,
            _ if amount < 0 => TxKind::Refund,
            _ => TxKind::Sale,
        };
        if kind == TxKind::Refund {
            amount = -amount.abs();
        }
        let discount = match self.optional_money(row, fields, Field::Discount, warnings) {
            Some(d) => d.abs(),
            None if money_field == Field::Paid && kind == TxKind::Sale => {
                // 应收 − 实收, when both are there.
                let gross = self.get(fields, Field::Amount).and_then(|(_, v)| parse_money(v));
                gross.map_or(0, |g| (g - amount).max(0))
            }
            None => 0,
        };
        let member_id = self.get(fields, Field::MemberId).map(|(_, v)| normalize_id(v)).filter(|v| !v.is_empty());
        if let Some(id) = &member_id {
            if self.loader.members_table_read && self.loader.ds.find_member(id).is_none() {
                self.report.unknown_members += 1;
                let c = self.col[Field::MemberId as usize].unwrap_or(0);
                warnings.push(self.warn(row, c, id, Reason::UnknownMember));
            }
        } else {
            self.report.walk_in_rows += 1;
        }
        let category = self.text(fields, Field::Category);
        let store = self.text(fields, Field::Store);
        self.loader.ds.add_transaction(TxRecord {
            member_id: member_id.as_deref(),
            day,
            amount_cents: amount,
            discount_cents: discount,
            category: category.as_deref(),
            store: store.as_deref(),
            kind,
        });
        if let Some((c, order)) = self.get(fields, Field::OrderNo).filter(|(_, v)| !v.is_empty()) {
            let member = *self.loader.ds.transactions.member.last().unwrap_or(&WALK_IN);
            let mut h = FxHasher::default();
            order.hash(&mut h);
            match self.loader.orders.get(&h.finish()) {
                Some(&(first_row, m, d)) if m != member || d != day => {
                    self.report.duplicate_orders += 1;
                    let mut p = self.warn(row, c, order, Reason::OrderReused);
                    p.reason = Reason::OrderReused.text(Some(first_row));
                    p.other_row = Some(first_row);
                    warnings.push(p);
                }
                Some(_) => {}
                None => {
                    self.loader.orders.insert(h.finish(), (row, member, day));
                }
            }
        }
        Ok(())
    }
}
