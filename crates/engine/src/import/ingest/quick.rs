//! The quick way through a transaction row: the plain row of a plain export (a member id as
//! written, a date, an amount; perhaps a discount, a gross amount, a category and a store; no
//! order number and no type column) read with no more work than it needs. Anything else — an
//! empty or unreadable date or amount, an id that needs cleaning, a new member when a members
//! table was read, a load whose money budget is half used — goes the general way
//! ([`TableIngest::record`]), which reports it. Both ways give the same data set and report
//! (tested in `load.rs`).

use crate::import::fields::{Field, Role};
use crate::import::plan::MemberKey;
use crate::import::values::{parse_date_checked, parse_money_checked, trim_cell};
use crate::model::{id_hash, TxKind, NONE16, WALK_IN};

use super::{Line, TableIngest, MONEY_BUDGET};

/// The columns a plain transactions table reads, when it is one.
#[derive(Clone, Copy, Debug)]
pub(super) struct QuickColumns {
    id: Option<usize>,
    date: usize,
    /// Paid (实收) when mapped, else the amount.
    money: usize,
    /// The amount (应收) when the money is the paid column: gross − paid is the discount.
    gross: Option<usize>,
    discount: Option<usize>,
    category: Option<usize>,
    store: Option<usize>,
}

impl QuickColumns {
    /// The columns of `plan` when its rows can take the quick way.
    pub(super) fn of(ingest: &TableIngest<'_>) -> Option<QuickColumns> {
        let plan = ingest.plan;
        let col = |f: Field| ingest.col[f as usize];
        let plain = plan.role == Role::Transactions
            && plan.member_key == MemberKey::Card
            && col(Field::OrderNo).is_none()
            && col(Field::Kind).is_none();
        if !plain {
            return None;
        }
        let paid = col(Field::Paid);
        Some(QuickColumns {
            id: col(Field::MemberId),
            date: col(Field::Date)?,
            money: paid.or(col(Field::Amount))?,
            gross: if paid.is_some() && !plan.amount_is_order_total { col(Field::Amount) } else { None },
            discount: col(Field::Discount),
            category: col(Field::Category),
            store: col(Field::Store),
        })
    }
}

/// A member id that [`normalize_id`](crate::import::values::normalize_id) leaves as it is:
/// printable ASCII, no text prefix `'`, no `.0` of a numeric cell.
fn plain_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.iter().all(|&b| b > b' ' && b < 0x7F) && bytes.first() != Some(&b'\'') && !id.ends_with(".0")
}

/// Money of a row: the amount and the discount, as the general way computes them.
struct Money {
    amount: i64,
    /// The discount column's value (counted against the budget on its own, as the general
    /// way's optional read does).
    discount_cell: Option<i64>,
    discount: i64,
    kind: TxKind,
}

impl TableIngest<'_> {
    /// Reads a transaction row the quick way; false (nothing done) when the row must go the
    /// general way.
    pub(super) fn quick_transaction(&mut self, fields: &[&str]) -> bool {
        let Some(q) = self.quick else { return false };
        // Far from the budget, no sum of one row can reach it (each value is at most
        // `MAX_AMOUNT_CENTS`): the general way's checks cannot fail.
        if self.loader.money_used > MONEY_BUDGET / 2 {
            return false;
        }
        let cell = |c: usize| fields.get(c).map_or("", |v| trim_cell(v));
        // A readable date also means the row is neither blank nor a totals row.
        let Ok(day) = parse_date_checked(cell(q.date), self.plan.date_order) else { return false };
        let Some(money) = quick_money(&q, &cell) else { return false };
        let id = q.id.map_or("", cell);
        let member = if id.is_empty() {
            None
        } else {
            if !plain_id(id) {
                return false;
            }
            match self.quick_member(id) {
                Some(m) => Some(m),
                None => return false,
            }
        };
        // The row is used: the general way's effects, in its order.
        self.report.rows_read += 1;
        self.report.rows_used += 1;
        let cost = money.amount.abs() + money.discount;
        self.loader.money_used += money.discount_cell.map_or(0, i64::abs) + cost;
        let member = match member {
            None => {
                self.report.walk_in_rows += 1;
                WALK_IN
            }
            Some(Ok(m)) => m,
            Some(Err(hash)) => {
                let m = self.loader.ds.add_new_id(id, hash);
                self.remember_member(id, m);
                m
            }
        };
        let category = q.category.map(cell).filter(|c| !c.is_empty()).map_or(NONE16, |c| self.loader.ds.categories.intern(c));
        let store = q.store.map(cell).filter(|s| !s.is_empty()).map_or(NONE16, |s| self.loader.ds.stores.intern(s));
        let line = Line { member, day, category, store, status: NONE16 };
        self.push(line, money.kind, money.amount, money.discount);
        self.loader.quick_rows += 1;
        true
    }

    /// The member of an id: `Ok(member)` when known, `Err(hash)` when new (added once the row
    /// is used); `None` when a new member must be reported (a members table was read).
    fn quick_member(&mut self, id: &str) -> Option<Result<u32, u64>> {
        if self.recent_member.1 != WALK_IN && self.recent_member.0 == id {
            return Some(Ok(self.recent_member.1));
        }
        let hash = id_hash(id);
        match self.loader.ds.find_member_hashed(id, hash) {
            Some(m) => {
                self.remember_member(id, m);
                Some(Ok(m))
            }
            None if self.loader.members_table_read => None,
            None => Some(Err(hash)),
        }
    }
}

/// The amount, discount and kind of a row; `None` when a value is missing or unreadable (the
/// general way reports it).
fn quick_money<'f>(q: &QuickColumns, cell: &impl Fn(usize) -> &'f str) -> Option<Money> {
    let raw = cell(q.money);
    if raw.is_empty() {
        return None;
    }
    let amount = parse_money_checked(raw).ok()?;
    // A negative amount is a refund (its amount stays negative).
    let kind = if amount < 0 { TxKind::Refund } else { TxKind::Sale };
    let discount_cell = match q.discount.map(cell).filter(|d| !d.is_empty()) {
        Some(d) => Some(parse_money_checked(d).ok()?.abs()),
        None => None,
    };
    let discount = match (discount_cell, q.gross) {
        (Some(d), _) => d,
        (None, Some(g)) if kind == TxKind::Sale => parse_money_checked(cell(g)).map_or(0, |gross| (gross - amount).max(0).min(amount.abs())),
        (None, _) => 0,
    };
    Some(Money { amount, discount_cell, discount, kind })
}
