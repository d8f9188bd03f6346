//! Rows into the data set, following a [`TablePlan`]: each row becomes a member or a
//! transaction, or a [`Problem`] that says why not. Values that cannot be read in optional
//! columns are left out with a warning; the row is still used.
//!
//! Order-line exports: lines with the same order number (same member, same day) become one
//! transaction, the sum of its lines. Rows whose status means no sale (a closed or unpaid order)
//! and totals rows (合计, Total) are counted and noted, not reported as problems.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHasher};

use crate::dates::Day;
use crate::model::{id_hash, Dataset, Gender, MemberRecord, TxKind, MAX_TAGS_PER_MEMBER, MAX_TAG_CHARS, NONE16, WALK_IN};

mod quick;
mod warehouse;

use super::fields::{is_status_header, is_totals_word, normalize_phone, Field, Role};
use super::plan::{KindMeaning, MemberKey, TablePlan};
use super::report::{FileReport, Problem, Reason, TableNote};
use super::values::{normalize_id, split_tags, trim_cell, parse_date_checked, parse_money_checked, DateError, MoneyError};

/// The most money a load may hold, as the sum of every |amount|, |discount|, balance and points
/// value read: a quarter of `i64::MAX`, so that any sum over any subset of it, and the
/// difference of two such sums, fits in an `i64`.
pub const MONEY_BUDGET: i64 = i64::MAX / 4;

/// Totals rows listed by row number in the note (all are counted).
const TOTALS_ROWS_LISTED: usize = 20;

/// What the load saw of one order number: where it was first used (a use for another member
/// or day is flagged), and the status of its latest order (later lines without one take it).
#[derive(Clone, Copy)]
struct OrderSeen {
    /// Row of the first line (saturated beyond `u32::MAX`).
    first_row: u32,
    member: u32,
    day: Day,
    /// Whether a use for another member or day was already flagged: once per number is enough
    /// (receipt numbers that restart every day would flood the list otherwise).
    warned: bool,
    /// The table of the latest order with this number, and its status index (or [`NONE16`]).
    last_table: u16,
    last_status: u16,
}

/// The lines of one order: the same order number, member and day in one table.
type OrderKey = (u64, u32, Day);

/// The transactions an order's lines go to, one per kind (indexed by `TxKind as usize`).
#[derive(Clone, Copy)]
struct OrderTxs {
    tx: [u32; 3],
}

/// No transaction of that kind yet.
const NO_TX: u32 = u32::MAX;

/// State shared by the tables of one load: the data set and what joins the tables.
pub struct Loader {
    pub ds: Dataset,
    pub reports: Vec<FileReport>,
    /// Whether a members table was read (then transactions of unknown members are flagged).
    members_table_read: bool,
    /// Order number (hashed) → what was seen of it.
    orders: HashMap<u64, OrderSeen>,
    /// The orders of the table being read (lines merge within one table only).
    order_txs: HashMap<OrderKey, OrderTxs>,
    /// Tables started so far.
    tables: u16,
    /// The money read so far, as counted against [`MONEY_BUDGET`].
    money_used: i64,
    /// Whether plain rows may take the quick way (tests compare both ways).
    quick_allowed: bool,
    /// Rows that took the quick way.
    quick_rows: u64,
    /// What summary and monthly tables gave (see [`crate::warehouse`]).
    warehouse: warehouse::Warehouse,
}

impl Loader {
    pub fn new(name: impl Into<String>) -> Self {
        Loader {
            ds: Dataset::new(name),
            reports: Vec::new(),
            members_table_read: false,
            orders: HashMap::default(),
            order_txs: HashMap::default(),
            tables: 0,
            money_used: 0,
            quick_allowed: true,
            quick_rows: 0,
            warehouse: warehouse::Warehouse::default(),
        }
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
            source: Some(plan.source.clone()),
            header_row: plan.has_header.then_some(plan.skip_rows + 1),
            role: plan.role,
            ..Default::default()
        };
        let status_column = col[Field::Kind as usize].and_then(|c| plan.columns.get(c)).is_some_and(|h| is_status_header(h));
        self.tables = self.tables.saturating_add(1);
        self.order_txs.clear();
        let table_no = self.tables;
        let quick_allowed = self.quick_allowed;
        let mut ingest = TableIngest {
            loader: self,
            plan,
            col,
            report,
            first_row: plan.skip_rows as u64 + plan.has_header as u64,
            member_rows: HashMap::default(),
            statuses: Vec::new(),
            status_index: HashMap::default(),
            last_status: NONE16,
            status_column,
            orders_left_out: HashMap::default(),
            table_no,
            totals_listed: Vec::new(),
            order_rows: 0,
            recent_member: (String::new(), WALK_IN),
            quick: None,
        };
        if quick_allowed {
            ingest.quick = quick::QuickColumns::of(&ingest);
        }
        ingest
    }

    /// Reads every row the general way (for tests: the quick way must give the same).
    pub fn without_quick_rows(mut self) -> Self {
        self.quick_allowed = false;
        self
    }

    /// Rows read the quick way so far.
    pub fn quick_rows(&self) -> u64 {
        self.quick_rows
    }

    /// The data set and the reports; with a summary table, the data set's precomputed
    /// summaries (indexed like its members).
    pub fn finish(mut self) -> (Dataset, Vec<FileReport>) {
        let members = self.ds.members.len();
        self.ds.precomputed = self.warehouse.finish(members).map(Box::new);
        (self.ds, self.reports)
    }

    /// Counts `cents` against the load's money budget; false (nothing counted) when it would
    /// go beyond it.
    fn take_money(&mut self, cents: i64) -> bool {
        match self.money_used.checked_add(cents) {
            Some(total) if total <= MONEY_BUDGET => {
                self.money_used = total;
                true
            }
            _ => false,
        }
    }
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
    /// Distinct type or status values seen, with their meaning and the rows left out as not
    /// sales (exports repeat the same few values).
    statuses: Vec<(String, KindMeaning, u64)>,
    status_index: HashMap<String, u16>,
    last_status: u16,
    /// Whether the type column is an order status: then a refunded order was a sale, refunded.
    status_column: bool,
    /// Orders left out as not sales (hashed) → their status, for later lines without one.
    orders_left_out: HashMap<u64, u16>,
    table_no: u16,
    totals_listed: Vec<u64>,
    /// Rows with an order number that were used.
    order_rows: u64,
    /// The member key of the latest row with one, and its member: rows of one member often
    /// follow each other (exports sorted by member, order lines), and skip the id index then.
    recent_member: (String, u32),
    /// The columns of a plain transactions table, whose plain rows take the quick way.
    quick: Option<quick::QuickColumns>,
}

/// Why a row was skipped: (column index, reason).
type Skip = (usize, Reason);

/// What became of a row that was not skipped.
enum Outcome {
    Used,
    /// Its status says no sale happened: left out and counted.
    NotSale,
}

/// The member a transaction row names, found before anything is added.
enum Who<'f> {
    WalkIn,
    Known(u32),
    /// Not in the data set yet: added once the row is known to be used.
    New { col: usize, key: Cow<'f, str>, hash: u64 },
}

impl Who<'_> {
    /// The member's index when known (a walk-in is [`WALK_IN`]).
    fn known(&self) -> Option<u32> {
        match self {
            Who::WalkIn => Some(WALK_IN),
            Who::Known(m) => Some(*m),
            Who::New { .. } => None,
        }
    }
}

/// An order number of a row: its column, its text and its hash.
#[derive(Clone, Copy)]
struct OrderRef<'f> {
    col: usize,
    text: &'f str,
    hash: u64,
}

impl TableIngest<'_> {
    /// Reads one record; `row` is its 1-based row number in the file.
    pub fn record(&mut self, row: u64, fields: &[&str]) {
        if row <= self.first_row || self.quick_transaction(fields) {
            return;
        }
        if fields.iter().all(|f| trim_cell(f).is_empty()) {
            return;
        }
        if self.is_totals_row(fields) {
            self.report.totals_rows += 1;
            if self.totals_listed.len() < TOTALS_ROWS_LISTED {
                self.totals_listed.push(row);
            }
            return;
        }
        self.report.rows_read += 1;
        let mut warnings: Vec<Problem> = Vec::new();
        let result = match self.plan.role {
            Role::Members => self.member(row, fields, &mut warnings).map(|()| Outcome::Used),
            Role::Transactions => self.transaction(row, fields, &mut warnings),
            Role::Summary => self.summary_row(row, fields, &mut warnings).map(|()| Outcome::Used),
            Role::Monthly => self.monthly_row(fields).map(|()| Outcome::Used),
        };
        match result {
            Ok(Outcome::Used) => {
                self.report.rows_used += 1;
                if !warnings.is_empty() {
                    self.report.rows_with_warnings += 1;
                }
                for w in warnings {
                    self.report.add(w);
                }
            }
            Ok(Outcome::NotSale) => self.report.not_sale_rows += 1,
            Err((c, reason)) => {
                self.report.rows_skipped += 1;
                let value = super::report::cut_value(fields.get(c).unwrap_or(&""));
                self.report.add(Problem::new(row, self.column_name(c), value, reason, false));
            }
        }
    }

    /// Ends the table and files its report, with notes on totals rows, statuses left out and
    /// merged order lines.
    pub fn finish(mut self) {
        if self.plan.role == Role::Members {
            self.loader.members_table_read = true;
        }
        if self.report.totals_rows > 0 {
            let rows = std::mem::take(&mut self.totals_listed);
            self.report.notes.push(TableNote::TotalsRows { rows });
        }
        for (value, _, rows) in &self.statuses {
            if *rows > 0 {
                self.report.notes.push(TableNote::NotSales { value: super::report::cut_value(value), rows: *rows });
            }
        }
        if self.report.order_lines_merged > 0 {
            let orders = self.order_rows.saturating_sub(self.report.order_lines_merged);
            self.report.notes.push(TableNote::OrderLinesMerged { lines: self.order_rows, orders });
        }
        self.loader.reports.push(self.report);
    }

    /// Told about how many more rows are coming (from the bytes read so far), a transactions
    /// table makes room for them at once.
    pub fn expect_rows(&mut self, more: u64) {
        if self.plan.role == Role::Transactions {
            let tx = &mut self.loader.ds.transactions;
            let room = tx.member.capacity() - tx.len();
            let more = usize::try_from(more).unwrap_or(usize::MAX);
            if more > room {
                tx.reserve_exact(more - room);
            }
        }
    }

    pub fn note(&mut self, note: TableNote) {
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
        Some((c, fields.get(c).map_or("", |v| trim_cell(v))))
    }

    fn text(&self, fields: &[&str], f: Field) -> Option<String> {
        self.text_ref(fields, f).map(str::to_string)
    }

    /// A filled cell of an optional field, trimmed.
    fn text_ref<'f>(&self, fields: &[&'f str], f: Field) -> Option<&'f str> {
        self.get(fields, f).map(|(_, v)| v).filter(|v| !v.is_empty())
    }

    fn warn(&self, row: u64, c: usize, value: &str, reason: Reason) -> Problem {
        Problem::new(row, self.column_name(c), super::report::cut_value(value), reason, true)
    }

    /// The column of a field the plan requires (checked before reading starts).
    fn required(&self, f: Field) -> usize {
        self.col[f as usize].unwrap_or(0)
    }

    /// A totals row: some cell says 合计 / Total, and the member id and date columns are empty
    /// or say it too. The cheap test (id and date) comes first: data rows have a date.
    fn is_totals_row(&self, fields: &[&str]) -> bool {
        let empty_or_word = |f: Field| self.get(fields, f).is_none_or(|(_, v)| v.is_empty() || is_totals_word(v));
        let date_field = match self.plan.role {
            Role::Transactions => Field::Date,
            Role::Members => Field::JoinDate,
            Role::Summary => Field::AnalysisDate,
            Role::Monthly => Field::Measure,
        };
        empty_or_word(Field::MemberId) && empty_or_word(date_field) && fields.iter().any(|c| is_totals_word(c))
    }

    /// The member key of a raw id: a card number as written, or a normalised phone number.
    fn member_key<'f>(&self, raw: &'f str) -> Cow<'f, str> {
        match self.plan.member_key {
            MemberKey::Card => normalize_id(raw),
            MemberKey::Phone => Cow::Owned(normalize_phone(raw)),
        }
    }

    /// An optional date: empty is none; unreadable or out of range is none with a warning.
    fn optional_date(&self, row: u64, fields: &[&str], f: Field, warnings: &mut Vec<Problem>) -> Option<Day> {
        let (c, v) = self.get(fields, f)?;
        if v.is_empty() {
            return None;
        }
        match parse_date_checked(v, self.plan.date_order) {
            Ok(d) => Some(d),
            Err(e) => {
                let reason = match e {
                    DateError::OutOfRange => Reason::DateOutOfRange,
                    DateError::Unreadable => Reason::DateLeftOut,
                };
                warnings.push(self.warn(row, c, v, reason));
                None
            }
        }
    }

    /// An optional amount, counted against the load's money budget: empty is none; unreadable,
    /// too large or beyond the budget is none with a warning.
    fn optional_money(&mut self, row: u64, fields: &[&str], f: Field, warnings: &mut Vec<Problem>) -> Option<i64> {
        let (c, v) = self.get(fields, f)?;
        if v.is_empty() {
            return None;
        }
        let reason = match parse_money_checked(v) {
            Ok(m) if self.loader.take_money(m.saturating_abs()) => return Some(m),
            Ok(_) => Reason::TotalTooLarge,
            Err(MoneyError::TooLarge) => Reason::AmountTooLarge,
            Err(MoneyError::Unreadable) => Reason::NumberLeftOut,
        };
        warnings.push(self.warn(row, c, v, reason));
        None
    }

    /// The tags of a member row (标签): several in a cell ([`split_tags`]), each at most
    /// [`MAX_TAG_CHARS`] characters and at most [`MAX_TAGS_PER_MEMBER`] of them; a tag too long
    /// and the tags beyond the limit are left out with a warning.
    fn tags(&self, row: u64, fields: &[&str], warnings: &mut Vec<Problem>) -> Vec<String> {
        let Some((c, cell)) = self.get(fields, Field::Tags) else { return Vec::new() };
        let (found, more) = split_tags(cell, MAX_TAGS_PER_MEMBER);
        let mut tags = Vec::with_capacity(found.len());
        for t in found {
            if t.chars().count() > MAX_TAG_CHARS {
                warnings.push(self.warn(row, c, t, Reason::TagTooLong));
            } else {
                tags.push(t.to_string());
            }
        }
        if more {
            warnings.push(self.warn(row, c, cell, Reason::TooManyTags));
        }
        tags
    }

    /// The meaning of a type or status value and its index among the table's values.
    fn status(&mut self, value: &str) -> (KindMeaning, u16) {
        // Rows in a row usually share their value.
        if let Some((v, m, _)) = self.statuses.get(self.last_status as usize) {
            if v == value {
                return (*m, self.last_status);
            }
        }
        let (m, i) = self.status_lookup(value);
        self.last_status = i;
        (m, i)
    }

    fn status_lookup(&mut self, value: &str) -> (KindMeaning, u16) {
        if let Some(&i) = self.status_index.get(value) {
            if let Some((_, m, _)) = self.statuses.get(i as usize) {
                return (*m, i);
            }
        }
        let meaning = self.plan.kind_of(value);
        if self.statuses.len() >= NONE16 as usize {
            return (meaning, NONE16);
        }
        let i = self.statuses.len() as u16;
        self.statuses.push((value.to_string(), meaning, 0));
        self.status_index.insert(value.to_string(), i);
        (meaning, i)
    }

    fn member(&mut self, row: u64, fields: &[&str], warnings: &mut Vec<Problem>) -> Result<(), Skip> {
        let (id_col, id) = self.member_id(fields)?;
        if let Some(existing) = self.loader.ds.find_member(&id) {
            let reason = if self.member_rows.contains_key(&existing) {
                Reason::MemberIdRepeated
            } else {
                Reason::MemberIdInEarlierTable
            };
            return Err((id_col, reason));
        }
        let m = self.add_member_row(row, fields, id, warnings);
        self.member_rows.insert(m, row);
        Ok(())
    }

    /// The member key of a row (its column and text); a row without one is skipped.
    fn member_id(&self, fields: &[&str]) -> Result<(usize, String), Skip> {
        let id_col = self.required(Field::MemberId);
        let id = self.member_key(fields.get(id_col).unwrap_or(&"")).into_owned();
        if id.is_empty() {
            return Err((id_col, Reason::NoMemberId));
        }
        Ok((id_col, id))
    }

    /// Adds the member of a row with a new id and the attributes its columns give (values that
    /// cannot be read are left out with a warning); returns its index.
    fn add_member_row(&mut self, row: u64, fields: &[&str], id: String, warnings: &mut Vec<Problem>) -> u32 {
        let gender = match self.get(fields, Field::Gender).map(|(_, v)| v.to_lowercase()) {
            Some(g) if ["女", "f", "female", "woman", "w"].contains(&g.as_str()) => Gender::Female,
            Some(g) if ["男", "m", "male", "man"].contains(&g.as_str()) => Gender::Male,
            _ => Gender::Unknown,
        };
        // Keyed by phone without a phone column, the id is the phone.
        let phone = match self.text(fields, Field::Phone) {
            Some(p) => p,
            None if self.plan.member_key == MemberKey::Phone => id.clone(),
            None => String::new(),
        };
        let points = self.optional_money(row, fields, Field::Points, warnings).map_or(0, |c| (c + 50).div_euclid(100));
        let balance_cents = self.optional_money(row, fields, Field::Balance, warnings).unwrap_or(0);
        let record = MemberRecord {
            id,
            name: self.text(fields, Field::Name).unwrap_or_default(),
            phone: phone.clone(),
            gender,
            birthday: self.optional_date(row, fields, Field::Birthday, warnings),
            join_day: self.optional_date(row, fields, Field::JoinDate, warnings),
            tier: self.text(fields, Field::Tier),
            points,
            balance_cents,
            store: self.text(fields, Field::Store),
            expiry: self.optional_date(row, fields, Field::Expiry, warnings),
            points_expiry: self.optional_date(row, fields, Field::PointsExpiry, warnings),
            tags: self.tags(row, fields, warnings),
        };
        let tags_given = record.tags.len();
        let m = self.loader.ds.add_member(record);
        if self.loader.ds.members.tags(m as usize).len() < tags_given {
            // The data set's tag dictionary is full: the new tags could not be kept.
            if let Some((c, v)) = self.get(fields, Field::Tags) {
                warnings.push(self.warn(row, c, v, Reason::TooManyTags));
            }
        }
        self.loader.ds.index_phone(&normalize_phone(&phone), m);
        m
    }

    /// The order number of a row, if the plan maps one and the cell is filled.
    fn order_ref<'f>(&self, fields: &[&'f str]) -> Option<OrderRef<'f>> {
        let (col, text) = self.get(fields, Field::OrderNo).filter(|(_, v)| !v.is_empty())?;
        let mut h = FxHasher::default();
        text.hash(&mut h);
        Some(OrderRef { col, text, hash: h.finish() })
    }

    /// The status of the latest order with this number in this table.
    fn earlier_status(&self, order: Option<OrderRef<'_>>) -> Option<u16> {
        let seen = self.loader.orders.get(&order?.hash)?;
        (seen.last_table == self.table_no).then_some(seen.last_status)
    }

    /// Whether an earlier line of this row's order (same number, member and day) was used.
    fn order_started(&self, order: Option<OrderRef<'_>>, who: &Who<'_>, day: Day) -> bool {
        match (order, who.known()) {
            (Some(o), Some(m)) => self.loader.order_txs.contains_key(&(o.hash, m, day)),
            _ => false,
        }
    }

    fn transaction(&mut self, row: u64, fields: &[&str], warnings: &mut Vec<Problem>) -> Result<Outcome, Skip> {
        let order = self.order_ref(fields);
        // The status first: a closed order is left out whatever else its row says. A later line
        // with an empty status has its order's.
        let (meaning, status) = match self.get(fields, Field::Kind).map(|(_, v)| v).filter(|v| !v.is_empty()) {
            Some(v) => {
                let (m, i) = self.status(v);
                (Some(m), i)
            }
            None => {
                let inherited = self.earlier_status(order).or_else(|| order.and_then(|o| self.orders_left_out.get(&o.hash).copied()));
                match inherited.filter(|&s| s != NONE16) {
                    Some(s) => (self.statuses.get(s as usize).map(|x| x.1), s),
                    None => (None, NONE16),
                }
            }
        };
        if meaning == Some(KindMeaning::NotSale) {
            if let Some(s) = self.statuses.get_mut(status as usize) {
                s.2 += 1;
            }
            if let Some(o) = order {
                self.orders_left_out.entry(o.hash).or_insert(status);
            }
            return Ok(Outcome::NotSale);
        }
        let date_col = self.required(Field::Date);
        let date_raw = fields.get(date_col).map_or("", |v| trim_cell(v));
        if date_raw.is_empty() {
            return Err((date_col, Reason::NoDate));
        }
        let day = parse_date_checked(date_raw, self.plan.date_order).map_err(|e| (date_col, Reason::from(e)))?;
        // Revenue is the money paid when the file has it, else the amount.
        let money_field = if self.col[Field::Paid as usize].is_some() { Field::Paid } else { Field::Amount };
        let money_col = self.required(money_field);
        let money_raw = fields.get(money_col).map_or("", |v| trim_cell(v));
        let who = self.who(fields);
        // An order total repeated on the lines is taken from the order's first line only.
        let total_taken = self.plan.money_is_order_total && self.order_started(order, &who, day);
        let parsed = if money_raw.is_empty() {
            Err(Reason::NoAmount)
        } else {
            parse_money_checked(money_raw).map_err(Reason::from)
        };
        let mut amount = match parsed {
            Ok(_) if total_taken => 0,
            Ok(a) => a,
            Err(_) if total_taken => 0,
            Err(reason) => return Err((money_col, reason)),
        };
        let kind = match meaning {
            Some(KindMeaning::Refund) => TxKind::Refund,
            Some(KindMeaning::TopUp) => TxKind::TopUp,
            _ if amount < 0 => TxKind::Refund,
            _ => TxKind::Sale,
        };
        // An order status meaning "refunded" on a positive amount describes a sale that was then
        // refunded in full: the order is a purchase, and a refund cancels its money. A negative
        // amount is a refund row of its own (a POS's 退货 beside the sale), whatever the status.
        let refunded_order = self.status_column && meaning == Some(KindMeaning::Refund) && amount > 0;
        if kind == TxKind::Refund {
            amount = -amount.abs();
        }
        let discount = match self.optional_money(row, fields, Field::Discount, warnings) {
            Some(d) => d.abs(),
            // 应收 − 实收, when both are there (not counted against the budget: it is at most the
            // amount, and the amount is). Not when 应收 is the order's total: total − line is
            // no discount.
            None if money_field == Field::Paid && kind == TxKind::Sale && !self.plan.amount_is_order_total => {
                let gross = self.get(fields, Field::Amount).and_then(|(_, v)| parse_money_checked(v).ok());
                gross.map_or(0, |g| (g - amount).max(0).min(amount.abs()))
            }
            None => 0,
        };
        let cost = if refunded_order { amount.saturating_abs().saturating_mul(2) } else { amount.saturating_abs() };
        if !self.loader.take_money(cost.saturating_add(discount)) {
            return Err((money_col, Reason::TotalTooLarge));
        }
        let member = self.transaction_member(row, who, warnings);
        let category = self.text_ref(fields, Field::Category).map_or(NONE16, |c| self.loader.ds.categories.intern(c));
        let store = self.text_ref(fields, Field::Store).map_or(NONE16, |s| self.loader.ds.stores.intern(s));
        let line = Line { member, day, category, store, status };
        let key = order.map(|o| self.join_order(row, o, line, warnings));
        if refunded_order {
            self.put(key, line, TxKind::Sale, -amount, discount);
            self.put(key, line, TxKind::Refund, amount, 0);
        } else {
            self.put(key, line, kind, amount, discount);
        }
        Ok(Outcome::Used)
    }

    /// Counts a line of an order and flags an order number already used for another member or
    /// day (once per number; the line is kept as its own order). Returns the order's key.
    fn join_order(&mut self, row: u64, order: OrderRef<'_>, line: Line, warnings: &mut Vec<Problem>) -> OrderKey {
        let key = (order.hash, line.member, line.day);
        self.order_rows += 1;
        let started = self.loader.order_txs.contains_key(&key);
        if started {
            self.report.order_lines_merged += 1;
        } else {
            self.loader.order_txs.insert(key, OrderTxs { tx: [NO_TX; 3] });
        }
        let (table, status) = (self.table_no, line.status);
        let first_row = u32::try_from(row).unwrap_or(u32::MAX);
        let seen = self.loader.orders.entry(order.hash).or_insert(OrderSeen {
            first_row,
            member: line.member,
            day: line.day,
            warned: false,
            last_table: table,
            last_status: status,
        });
        if !started {
            seen.last_table = table;
            seen.last_status = status;
        }
        let reused = seen.member != line.member || seen.day != line.day;
        let first_warning = reused && !seen.warned;
        seen.warned |= reused;
        let other = seen.first_row as u64;
        if reused {
            self.report.duplicate_orders += 1;
        }
        if first_warning {
            let mut p = self.warn(row, order.col, order.text, Reason::OrderReused);
            p.other_row = Some(other);
            warnings.push(p);
        }
        key
    }

    /// The member a transaction row names: [`Who::WalkIn`] without a member id. Keyed by phone,
    /// a member of the members file with that phone is found first.
    fn who<'f>(&mut self, fields: &[&'f str]) -> Who<'f> {
        let Some((col, raw)) = self.get(fields, Field::MemberId).filter(|(_, v)| !v.is_empty()) else { return Who::WalkIn };
        let key = self.member_key(raw);
        if key.is_empty() {
            return Who::WalkIn;
        }
        // A key finds the same member for the whole table (the indexes only grow).
        if self.recent_member.1 != WALK_IN && self.recent_member.0 == *key {
            return Who::Known(self.recent_member.1);
        }
        let ds = &self.loader.ds;
        let hash = id_hash(&key);
        let found = match self.plan.member_key {
            MemberKey::Phone => ds.find_member_by_phone(&key).or_else(|| ds.find_member_hashed(&key, hash)),
            MemberKey::Card => ds.find_member_hashed(&key, hash),
        };
        match found {
            Some(m) => {
                self.remember_member(&key, m);
                Who::Known(m)
            }
            None => Who::New { col, key, hash },
        }
    }

    fn remember_member(&mut self, key: &str, m: u32) {
        self.recent_member.0.clear();
        self.recent_member.0.push_str(key);
        self.recent_member.1 = m;
    }

    /// The member of a used transaction row, added when new; [`WALK_IN`] without a member id.
    fn transaction_member(&mut self, row: u64, who: Who<'_>, warnings: &mut Vec<Problem>) -> u32 {
        let (c, key, hash) = match who {
            Who::WalkIn => {
                self.report.walk_in_rows += 1;
                return WALK_IN;
            }
            Who::Known(m) => return m,
            Who::New { col, key, hash } => (col, key, hash),
        };
        let by_phone = self.plan.member_key == MemberKey::Phone;
        if self.loader.members_table_read {
            self.report.unknown_members += 1;
            warnings.push(self.warn(row, c, &key, Reason::UnknownMember));
        }
        let ds = &mut self.loader.ds;
        let m = if by_phone {
            // Keyed by phone, the id is the phone. Not indexed as a phone: it is found by its
            // id (the phone index is looked at first only for the phones of a members file).
            ds.add_member(MemberRecord { id: key.to_string(), phone: key.to_string(), ..Default::default() })
        } else {
            ds.add_new_id(&key, hash)
        };
        self.remember_member(&key, m);
        m
    }

    /// Adds a line's money of one kind: to its order's transaction of that kind when an earlier
    /// line made one, else as a new transaction (the order's, when the line has an order).
    fn put(&mut self, key: Option<OrderKey>, line: Line, kind: TxKind, amount: i64, discount: i64) {
        let Some(key) = key else {
            self.push(line, kind, amount, discount);
            return;
        };
        let k = kind as usize;
        match self.loader.order_txs.get(&key).and_then(|o| o.tx.get(k)).copied() {
            Some(tx) if tx != NO_TX => self.add_to(tx, amount, discount),
            _ => {
                let tx = self.push(line, kind, amount, discount);
                if let Some(slot) = self.loader.order_txs.get_mut(&key).and_then(|o| o.tx.get_mut(k)) {
                    *slot = tx;
                }
            }
        }
    }

    /// Appends a transaction; returns its index.
    fn push(&mut self, line: Line, kind: TxKind, amount: i64, discount: i64) -> u32 {
        let ds = &mut self.loader.ds;
        let index = ds.transactions.len() as u32;
        ds.push_transaction(line.member, line.day, amount, discount, line.category, line.store, kind);
        index
    }

    /// Adds a line to an order's transaction (the load's money budget keeps the sum in range).
    fn add_to(&mut self, tx: u32, amount: i64, discount: i64) {
        self.loader.ds.transactions.add_to(tx as usize, amount, discount);
    }
}

/// What a transaction row gives besides its money.
#[derive(Clone, Copy)]
struct Line {
    member: u32,
    day: Day,
    category: u16,
    store: u16,
    status: u16,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::plan::inspect;

    fn load_text(text: &str) -> (Dataset, FileReport) {
        let previews = inspect(0, "t.csv", text.as_bytes(), true).unwrap();
        let plan = previews[0].plan();
        let mut loader = Loader::new("t");
        let mut ingest = loader.table(&plan);
        for (i, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split(',').collect();
            ingest.record(i as u64 + 1, &fields);
        }
        ingest.finish();
        let (ds, mut reports) = loader.finish();
        (ds, reports.remove(0))
    }

    #[test]
    fn order_lines_count_once_and_statuses_decide() {
        let text = "订单号,下单时间,买家手机号,商品名称,商品实付金额,订单实付金额,订单状态\n\
            A1,2024-03-01,13800000001,面霜,100,150,交易成功\n\
            A1,2024-03-01,13800000001,面膜,50,150,交易成功\n\
            A2,2024-03-02,13800000002,面膜,80,80,交易关闭\n\
            A3,2024-03-03,+86 138-0000-0001,洁面,30,30,已退款\n\
            A1,2024-03-01,13800000001,赠品,0,150,交易成功\n\
            A4,2024-03-04,13800000002,面膜,20,30,交易成功\n\
            A4,2024-03-04,13800000002,洁面,10,30,交易成功\n\
            合计,,,,290,470,\n";
        let (ds, r) = load_text(text);
        let tx = &ds.transactions;
        // A1: one order of 150 (three lines, one of them after another order); A3: a sale
        // refunded in full; A2 never paid; A4 one order of 30. The order total is no gross:
        // no discount comes of it.
        assert_eq!(tx.amount_cents, vec![15_000, 3_000, -3_000, 3_000]);
        assert!((0..4).all(|r| tx.discount_cents(r) == 0));
        assert_eq!(tx.kind, vec![TxKind::Sale, TxKind::Sale, TxKind::Refund, TxKind::Sale]);
        assert_eq!(ds.categories.label(tx.category(0)), "面霜", "the first line's category");
        assert_eq!(ds.members.ids().collect::<Vec<_>>(), ["13800000001", "13800000002"], "+86 and dashes normalised");
        assert_eq!((r.rows_read, r.rows_used, r.rows_skipped, r.not_sale_rows, r.totals_rows, r.order_lines_merged), (7, 6, 0, 1, 1, 3));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.notes.contains(&TableNote::TotalsRows { rows: vec![9] }));
        assert!(r.notes.contains(&TableNote::NotSales { value: "交易关闭".into(), rows: 1 }));
        assert!(r.notes.contains(&TableNote::OrderLinesMerged { lines: 6, orders: 3 }));
    }

    #[test]
    fn a_status_refund_with_a_negative_amount_is_only_a_refund() {
        let (ds, _) = load_text("单号,日期,会员卡号,实收金额,单据状态\nP1,2024-03-01,V001,100,正常\nP2,2024-03-02,V001,200,正常\nP3,2024-03-03,V001,-100,退货\nP4,2024-03-04,V002,50,正常\nP5,2024-03-05,V002,￥-20.00,交易成功\n");
        let tx = &ds.transactions;
        assert_eq!(tx.amount_cents, vec![10_000, 20_000, -10_000, 5_000, -2_000]);
        assert_eq!(tx.kind, vec![TxKind::Sale, TxKind::Sale, TxKind::Refund, TxKind::Sale, TxKind::Refund]);
        // An order-level 已退款 on a positive amount: a purchase, then its refund.
        let (ds, _) = load_text("订单号,下单时间,会员卡号,实付金额,订单状态\nA,2024-03-01,V1,80,已退款\n");
        assert_eq!((ds.transactions.amount_cents.clone(), ds.transactions.kind.clone()), (vec![8_000, -8_000], vec![TxKind::Sale, TxKind::Refund]));
    }

    #[test]
    fn receipt_numbers_restarting_every_day_merge_within_each_day() {
        // Receipts 1 and 2 on two days, two lines each, for other members each day.
        let text = "小票号,日期,会员卡号,实收金额\n1,2024-03-01,A,10\n1,2024-03-01,A,5\n2,2024-03-01,B,7\n2,2024-03-01,B,1\n\
            1,2024-03-02,C,20\n1,2024-03-02,C,2\n2,2024-03-02,A,30\n2,2024-03-02,A,3\n";
        let (ds, r) = load_text(text);
        assert_eq!(ds.transactions.amount_cents, vec![1_500, 800, 2_200, 3_300]);
        assert_eq!(r.order_lines_merged, 4);
        // Flagged once per number, the rows of day 2 counted.
        let flagged: Vec<u64> = r.problems.iter().filter(|p| p.code == Reason::OrderReused).map(|p| p.row).collect();
        assert_eq!(flagged, vec![6, 8]);
        assert_eq!(r.duplicate_orders, 4);
    }

    #[test]
    fn the_load_money_budget_stops_sums_that_could_overflow() {
        let row = "A,2024-01-01,9999999999\n";
        let mut loader = Loader::new("t");
        loader.money_used = MONEY_BUDGET - 999_999_999_900 * 2;
        let previews = inspect(0, "t.csv", format!("id,date,amount\n{row}{row}{row}").as_bytes(), true).unwrap();
        let plan = previews[0].plan();
        let mut ingest = loader.table(&plan);
        for r in 2..=4 {
            ingest.record(r, &["A", "2024-01-01", "9999999999"]);
        }
        assert_eq!(ingest.report().rows_used, 2);
        assert_eq!(ingest.report().problems[0].code, Reason::TotalTooLarge);
        assert_eq!(ingest.report().problems[0].row, 4);
    }

    #[test]
    fn dates_out_of_range_and_huge_amounts_are_their_own_problems() {
        let (ds, r) = load_text("id,date,amount\nA,9999-12-31,5\nA,2024-01-01,99999999999999\nA,2024-01-02,5\n");
        assert_eq!(ds.transactions.len(), 1);
        let codes: Vec<Reason> = r.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, vec![Reason::DateOutOfRange, Reason::AmountTooLarge]);
    }
}
