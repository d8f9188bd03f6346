//! The data set in columns. A transaction is one entry in each of a handful of primitive vectors
//! (member index, day, amount in cents, discount, category, store, kind), so ten million of them
//! fit in a browser tab; text lives once in a [`Dictionary`].

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::dates::Day;

/// Member index of a transaction without a member id: a walk-in guest (散客).
pub const WALK_IN: u32 = u32::MAX;
/// "No value" for the small dictionary indexes (category, store, tier).
pub const NONE16: u16 = u16::MAX;

/// What a transaction row is. Refunds carry negative amounts; top-ups of stored value (充值) are
/// money in, not sales, and are left out of every spend figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u8)]
pub enum TxKind {
    Sale = 0,
    Refund = 1,
    TopUp = 2,
}

impl TxKind {
    /// A purchase (a visit): a sale of zero or more (a free service counts); refunds, top-ups
    /// and negative sales do not. The one rule every analysis asks (with "on or before the
    /// analysis date" applied by the caller's window).
    pub fn is_purchase(self, amount_cents: i64) -> bool {
        self == TxKind::Sale && amount_cents >= 0
    }

    /// A paid order: a purchase above zero (orders, tickets).
    pub fn is_paid_order(self, amount_cents: i64) -> bool {
        self == TxKind::Sale && amount_cents > 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[repr(u8)]
pub enum Gender {
    #[default]
    Unknown = 0,
    Female = 1,
    Male = 2,
}

/// Interned strings: each distinct text once, referred to by a small index.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    names: Vec<String>,
    index: HashMap<String, u16>,
}

impl Dictionary {
    /// The index of `name`, adding it if new. Returns [`NONE16`] once the dictionary is full
    /// (65,535 distinct values is far beyond any store's categories or branches).
    pub fn intern(&mut self, name: &str) -> u16 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        if self.names.len() >= NONE16 as usize {
            return NONE16;
        }
        let i = self.names.len() as u16;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    pub fn name(&self, i: u16) -> Option<&str> {
        self.names.get(i as usize).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The name at `i` as an owned string; empty for [`NONE16`] or an index out of range.
    pub fn label(&self, i: u16) -> String {
        self.name(i).unwrap_or("").to_string()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Member attributes, one vector per attribute, all of the same length.
#[derive(Clone, Debug, Default)]
pub struct Members {
    pub id: Vec<String>,
    pub name: Vec<String>,
    pub phone: Vec<String>,
    pub gender: Vec<Gender>,
    pub birthday: Vec<Option<Day>>,
    pub join_day: Vec<Option<Day>>,
    /// Index into [`Dataset::tiers`], or [`NONE16`].
    pub tier: Vec<u16>,
    pub points: Vec<i64>,
    pub balance_cents: Vec<i64>,
    /// Index into [`Dataset::stores`], or [`NONE16`].
    pub store: Vec<u16>,
    /// Membership expiry (到期日), when the members file has it.
    pub expiry: Vec<Option<Day>>,
}

impl Members {
    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

/// One member's attributes, for building a data set row by row.
#[derive(Clone, Debug, Default)]
pub struct MemberRecord {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub gender: Gender,
    pub birthday: Option<Day>,
    pub join_day: Option<Day>,
    pub tier: Option<String>,
    pub points: i64,
    pub balance_cents: i64,
    pub store: Option<String>,
    pub expiry: Option<Day>,
}

/// Transactions in columns, all vectors of the same length.
#[derive(Clone, Debug, Default)]
pub struct Transactions {
    /// Index into [`Members`], or [`WALK_IN`].
    pub member: Vec<u32>,
    pub day: Vec<Day>,
    /// Money paid (实收) in cents; negative for refunds.
    pub amount_cents: Vec<i64>,
    /// Discount given on the row, in cents (≥ 0). A row with a discount counts as a promotion buy.
    pub discount_cents: Vec<i64>,
    /// Index into [`Dataset::categories`], or [`NONE16`].
    pub category: Vec<u16>,
    /// Index into [`Dataset::stores`], or [`NONE16`].
    pub store: Vec<u16>,
    pub kind: Vec<TxKind>,
}

impl Transactions {
    pub fn len(&self) -> usize {
        self.member.len()
    }

    pub fn is_empty(&self) -> bool {
        self.member.is_empty()
    }

    pub fn reserve(&mut self, n: usize) {
        self.member.reserve(n);
        self.day.reserve(n);
        self.amount_cents.reserve(n);
        self.discount_cents.reserve(n);
        self.category.reserve(n);
        self.store.reserve(n);
        self.kind.reserve(n);
    }
}

/// Everything loaded: members, transactions and the dictionaries their indexes point into.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub name: String,
    pub members: Members,
    pub transactions: Transactions,
    pub categories: Dictionary,
    pub stores: Dictionary,
    pub tiers: Dictionary,
    member_index: HashMap<String, u32>,
    /// Normalised phone number → member (the first member with that phone), so that a
    /// transactions file keyed by phone joins a members file keyed by card.
    phone_index: HashMap<String, u32>,
}

/// A transaction as the builder takes it.
#[derive(Clone, Debug)]
pub struct TxRecord<'a> {
    /// `None` for a walk-in guest.
    pub member_id: Option<&'a str>,
    pub day: Day,
    pub amount_cents: i64,
    pub discount_cents: i64,
    pub category: Option<&'a str>,
    pub store: Option<&'a str>,
    pub kind: TxKind,
}

impl Dataset {
    pub fn new(name: impl Into<String>) -> Self {
        Dataset { name: name.into(), ..Default::default() }
    }

    /// Adds a member, or returns the index of the member with that id if there is one already
    /// (the attributes given first are kept).
    pub fn add_member(&mut self, m: MemberRecord) -> u32 {
        if let Some(&i) = self.member_index.get(&m.id) {
            return i;
        }
        let i = self.members.len() as u32;
        let tier = m.tier.as_deref().map_or(NONE16, |t| self.tiers.intern(t));
        let store = m.store.as_deref().map_or(NONE16, |s| self.stores.intern(s));
        let ms = &mut self.members;
        self.member_index.insert(m.id.clone(), i);
        ms.id.push(m.id);
        ms.name.push(m.name);
        ms.phone.push(m.phone);
        ms.gender.push(m.gender);
        ms.birthday.push(m.birthday);
        ms.join_day.push(m.join_day);
        ms.tier.push(tier);
        ms.points.push(m.points);
        ms.balance_cents.push(m.balance_cents);
        ms.store.push(store);
        ms.expiry.push(m.expiry);
        i
    }

    /// The index of the member with this id, adding a bare member (id only) when the id is new:
    /// with a transactions file alone, members are the distinct ids.
    pub fn member_for_id(&mut self, id: &str) -> u32 {
        match self.member_index.get(id) {
            Some(&i) => i,
            None => self.add_member(MemberRecord { id: id.to_string(), ..Default::default() }),
        }
    }

    pub fn find_member(&self, id: &str) -> Option<u32> {
        self.member_index.get(id).copied()
    }

    /// Remembers a member's normalised phone number for joining; the first member with a phone
    /// keeps it.
    pub fn index_phone(&mut self, phone: &str, member: u32) {
        if !phone.is_empty() && !self.phone_index.contains_key(phone) {
            self.phone_index.insert(phone.to_string(), member);
        }
    }

    /// The member with this normalised phone number, if one was indexed.
    pub fn find_member_by_phone(&self, phone: &str) -> Option<u32> {
        self.phone_index.get(phone).copied()
    }

    pub fn add_transaction(&mut self, t: TxRecord<'_>) {
        let member = match t.member_id {
            Some(id) => self.member_for_id(id),
            None => WALK_IN,
        };
        let category = t.category.map_or(NONE16, |c| self.categories.intern(c));
        let store = t.store.map_or(NONE16, |s| self.stores.intern(s));
        self.push_transaction(member, t.day, t.amount_cents, t.discount_cents, category, store, t.kind);
    }

    /// Appends one transaction by indexes (the fast path of the demo generator and the readers).
    #[allow(clippy::too_many_arguments)]
    pub fn push_transaction(
        &mut self,
        member: u32,
        day: Day,
        amount_cents: i64,
        discount_cents: i64,
        category: u16,
        store: u16,
        kind: TxKind,
    ) {
        let tx = &mut self.transactions;
        tx.member.push(member);
        tx.day.push(day);
        tx.amount_cents.push(amount_cents);
        tx.discount_cents.push(discount_cents);
        tx.category.push(category);
        tx.store.push(store);
        tx.kind.push(kind);
    }

    /// First and last transaction day, if there are transactions.
    pub fn day_range(&self) -> Option<(Day, Day)> {
        let days = &self.transactions.day;
        let min = *days.iter().min()?;
        let max = *days.iter().max()?;
        Some((min, max))
    }

    /// The default analysis date D of DOMAIN.md (figures as of the end of D): the day of the
    /// last transaction; with no transactions, the latest join date.
    pub fn default_analysis_day(&self) -> Option<Day> {
        match self.day_range() {
            Some((_, last)) => Some(last),
            None => self.members.join_day.iter().flatten().max().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_distinct_ids_and_walk_ins_are_not_members() {
        let mut ds = Dataset::new("t");
        for id in [Some("A"), None, Some("B"), Some("A")] {
            ds.add_transaction(TxRecord {
                member_id: id,
                day: 10,
                amount_cents: 100,
                discount_cents: 0,
                category: Some("洁面"),
                store: None,
                kind: TxKind::Sale,
            });
        }
        assert_eq!(ds.members.len(), 2);
        assert_eq!(ds.transactions.member, vec![0, WALK_IN, 1, 0]);
        assert_eq!(ds.categories.len(), 1);
        assert_eq!(ds.transactions.store, vec![NONE16; 4]);
    }

    #[test]
    fn a_phone_finds_its_member_and_the_first_member_keeps_it() {
        let mut ds = Dataset::new("t");
        let a = ds.add_member(MemberRecord { id: "A".into(), ..Default::default() });
        let b = ds.add_member(MemberRecord { id: "B".into(), ..Default::default() });
        ds.index_phone("13800000001", a);
        ds.index_phone("13800000001", b);
        ds.index_phone("", b);
        assert_eq!(ds.find_member_by_phone("13800000001"), Some(a));
        assert_eq!(ds.find_member_by_phone(""), None);
        assert_eq!(ds.find_member_by_phone("13800000002"), None);
    }

    #[test]
    fn analysis_day_defaults_to_the_last_transaction_day() {
        let mut ds = Dataset::new("t");
        assert_eq!(ds.default_analysis_day(), None);
        ds.push_transaction(WALK_IN, 5, 1, 0, NONE16, NONE16, TxKind::Sale);
        ds.push_transaction(WALK_IN, 9, 1, 0, NONE16, NONE16, TxKind::Sale);
        assert_eq!(ds.default_analysis_day(), Some(9));
    }
}
