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
#[serde(rename_all = "snake_case")]
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

    fn heap_bytes(&self) -> u64 {
        let strings = vec_bytes(&self.names) + self.names.iter().map(|s| s.capacity() as u64).sum::<u64>();
        let index = self.index.capacity() * (std::mem::size_of::<(String, u16)>() + 1);
        strings + index as u64 + self.index.keys().map(|k| k.capacity() as u64).sum::<u64>()
    }
}

fn vec_bytes<T>(v: &Vec<T>) -> u64 {
    (v.capacity() * std::mem::size_of::<T>()) as u64
}

/// Texts one after another in one buffer (no allocation per text): text `i` ends at `ends[i]`.
/// Filled lazily: while every text given is empty, nothing is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextColumn {
    bytes: String,
    ends: Vec<u32>,
}

impl TextColumn {
    /// Text `i`; empty past the texts stored.
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else { return "" };
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        self.bytes.get(start as usize..end as usize).unwrap_or("")
    }

    /// Whether `text` fits (the buffer is indexed by `u32`: 4 GB of text).
    fn has_room(&self, text: &str) -> bool {
        self.bytes.len().saturating_add(text.len()) <= u32::MAX as usize
    }

    /// Sets text `i`, the one after the last set (texts in between are empty). A text that does
    /// not fit is stored empty.
    fn push(&mut self, i: usize, text: &str) {
        if text.is_empty() && self.ends.is_empty() {
            return;
        }
        let end = self.bytes.len() as u32;
        self.ends.resize(i, end);
        if self.has_room(text) {
            self.bytes.push_str(text);
        }
        self.ends.push(self.bytes.len() as u32);
    }

    fn reserve(&mut self, texts: usize, bytes: usize) {
        self.ends.reserve(texts);
        self.bytes.reserve(bytes);
    }

    fn heap_bytes(&self) -> u64 {
        (self.bytes.capacity() + self.ends.capacity() * 4) as u64
    }
}

/// A column filled lazily (a member attribute, or a transaction's discount, category or
/// store): while every value given is the default (a file of transactions alone gives no tiers,
/// points or birthdays; CDNOW's log no discounts or categories), nothing is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LazyColumn<T> {
    values: Vec<T>,
}

impl<T: Copy + Default + PartialEq> LazyColumn<T> {
    /// The value of member `i` (the default past the values stored).
    pub fn get(&self, i: usize) -> T {
        self.values.get(i).copied().unwrap_or_default()
    }

    /// Sets the value of member `i`, the one after the last set.
    fn push(&mut self, i: usize, v: T) {
        if v == T::default() && self.values.is_empty() {
            return;
        }
        // Grown by a quarter, not doubled (see `Transactions::make_room`).
        let len = self.values.len();
        if len == self.values.capacity() || i > len {
            self.values.reserve_exact(i.saturating_sub(len) + len / 4 + 1024);
        }
        self.values.resize(i, T::default());
        self.values.push(v);
    }

    /// Adds `v` to the value at `i` (a value already set or a default before the last set).
    fn add(&mut self, i: usize, v: i64)
    where
        T: Into<i64> + TryFrom<i64>,
    {
        let current: i64 = self.get(i).into();
        let Ok(sum) = T::try_from(current.saturating_add(v)) else { return };
        if sum == T::default() && i >= self.values.len() {
            return;
        }
        if i >= self.values.len() {
            self.values.resize(i + 1, T::default());
        }
        if let Some(slot) = self.values.get_mut(i) {
            *slot = sum;
        }
    }

    /// Whether some value is other than the default.
    pub fn any(&self) -> bool {
        self.values.iter().any(|v| *v != T::default())
    }

    fn heap_bytes(&self) -> u64 {
        vec_bytes(&self.values)
    }
}

/// The most tags a member keeps (标签: a few words a shop puts on a customer, not a text field).
pub const MAX_TAGS_PER_MEMBER: usize = 32;
/// The longest tag kept, in characters.
pub const MAX_TAG_CHARS: usize = 64;

/// Each member's tags in one flat array (no vector per member): member i's are
/// `tags[ends[i - 1]..ends[i]]`, indexes into [`Dataset::tags`]. Filled lazily: while no member
/// has a tag, nothing is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct TagColumn {
    tags: Vec<u16>,
    ends: Vec<u32>,
}

impl TagColumn {
    /// Member `i`'s tags; empty past the members stored.
    fn get(&self, i: usize) -> &[u16] {
        let Some(&end) = self.ends.get(i) else { return &[] };
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        self.tags.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// Sets the tags of member `i`, the one after the last set (members in between have none).
    /// Tags that would take the array past `u32` indexes are not stored.
    fn push(&mut self, i: usize, tags: &[u16]) {
        if tags.is_empty() && self.ends.is_empty() {
            return;
        }
        let end = self.tags.len() as u32;
        if i > self.ends.len() {
            self.ends.reserve_exact(i - self.ends.len() + i / 4 + 1024);
        }
        self.ends.resize(i, end);
        if self.tags.len().saturating_add(tags.len()) <= u32::MAX as usize {
            self.tags.extend_from_slice(tags);
        }
        self.ends.push(self.tags.len() as u32);
    }

    fn any(&self) -> bool {
        !self.tags.is_empty()
    }

    fn heap_bytes(&self) -> u64 {
        vec_bytes(&self.tags) + vec_bytes(&self.ends)
    }
}

/// The hash of a member id, as the data set's id index computes it (callers that look an id up
/// and may then add it compute it once).
pub fn id_hash(id: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut h, id.as_bytes());
    // Fx leaves the low bits (the table's slot) weak for ids that differ in their last
    // digits: mix every bit into them (MurmurHash3's finaliser).
    let mut x = std::hash::Hasher::finish(&h);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Member ids → member: an open-addressing table of member indexes over the ids themselves
/// (each id is stored once, in [`Members`]). Each slot has a tag byte (8 bits of the id's hash,
/// 0 for an empty slot), so a probe reads an id only when its tag matches.
#[derive(Clone, Debug, Default)]
struct IdIndex {
    /// A power of two long (or empty), like `members`.
    tags: Vec<u8>,
    members: Vec<u32>,
    len: usize,
}

/// The tag of a hash: its top 8 bits, never 0 (an empty slot).
fn tag_of(hash: u64) -> u8 {
    ((hash >> 56) as u8).max(1)
}

impl IdIndex {
    fn find(&self, ids: &TextColumn, id: &str, hash: u64) -> Option<u32> {
        if self.tags.is_empty() {
            return None;
        }
        let mask = self.tags.len() - 1;
        let tag = tag_of(hash);
        let mut i = hash as usize & mask;
        loop {
            let t = *self.tags.get(i)?;
            if t == 0 {
                return None;
            }
            if t == tag {
                let m = *self.members.get(i)?;
                if ids.get(m as usize) == id {
                    return Some(m);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `member` (not in the table yet, and the last member of `ids`) under `hash`.
    fn insert(&mut self, ids: &TextColumn, member: u32, hash: u64) {
        if self.too_full(self.len + 1) {
            self.grow(ids, self.tags.len() * 2);
        }
        self.place(member, hash);
        self.len += 1;
    }

    /// At most 70% full: probe runs stay short.
    fn too_full(&self, n: usize) -> bool {
        n.saturating_mul(10) > self.tags.len().saturating_mul(7)
    }

    fn place(&mut self, member: u32, hash: u64) {
        let mask = self.tags.len() - 1;
        let mut i = hash as usize & mask;
        while self.tags.get(i).is_some_and(|&t| t != 0) {
            i = (i + 1) & mask;
        }
        if let (Some(t), Some(m)) = (self.tags.get_mut(i), self.members.get_mut(i)) {
            *t = tag_of(hash);
            *m = member;
        }
    }

    /// Rebuilds the table with `size` slots (at least 1,024, a power of two).
    fn grow(&mut self, ids: &TextColumn, size: usize) {
        let size = size.max(1024).next_power_of_two();
        self.tags = vec![0; size];
        self.members = vec![0; size];
        for m in 0..self.len {
            self.place(m as u32, id_hash(ids.get(m)));
        }
    }

    /// Room for `n` members in all without growing.
    fn reserve(&mut self, ids: &TextColumn, n: usize) {
        if self.too_full(n) {
            self.grow(ids, n.saturating_mul(10) / 7 + 1);
        }
    }

    fn heap_bytes(&self) -> u64 {
        vec_bytes(&self.tags) + vec_bytes(&self.members)
    }
}

/// Member attributes, one column per attribute. The ids are stored for every member; the other
/// attributes only once some member has a value (see [`LazyColumn`]): read them by member index
/// with the methods of the same name.
#[derive(Clone, Debug, Default)]
pub struct Members {
    id: TextColumn,
    name: TextColumn,
    phone: TextColumn,
    gender: LazyColumn<Gender>,
    birthday: LazyColumn<Option<Day>>,
    join_day: LazyColumn<Option<Day>>,
    /// Index into [`Dataset::tiers`] + 1 (0 is none, so members without a tier store nothing).
    tier: LazyColumn<u16>,
    points: LazyColumn<i64>,
    balance_cents: LazyColumn<i64>,
    /// Index into [`Dataset::stores`] + 1.
    store: LazyColumn<u16>,
    /// Membership expiry (到期日), when the members file has it.
    expiry: LazyColumn<Option<Day>>,
    /// When the member's points expire (积分到期日), when the members file has it.
    points_expiry: LazyColumn<Option<Day>>,
    tags: TagColumn,
    len: usize,
}

/// A dictionary index as an attribute value: 0 is none.
fn index_in(i: u16) -> u16 {
    if i == NONE16 {
        0
    } else {
        i + 1
    }
}

fn index_out(v: u16) -> u16 {
    v.checked_sub(1).unwrap_or(NONE16)
}

impl Members {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The id of member `m` (empty for an index out of range).
    pub fn id(&self, m: usize) -> &str {
        self.id.get(m)
    }

    /// Every member's id, in member order.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len).map(|m| self.id.get(m))
    }

    pub fn name(&self, m: usize) -> &str {
        self.name.get(m)
    }

    pub fn phone(&self, m: usize) -> &str {
        self.phone.get(m)
    }

    pub fn gender(&self, m: usize) -> Gender {
        self.gender.get(m)
    }

    pub fn birthday(&self, m: usize) -> Option<Day> {
        self.birthday.get(m)
    }

    pub fn join_day(&self, m: usize) -> Option<Day> {
        self.join_day.get(m)
    }

    /// Index into [`Dataset::tiers`], or [`NONE16`].
    pub fn tier(&self, m: usize) -> u16 {
        index_out(self.tier.get(m))
    }

    pub fn points(&self, m: usize) -> i64 {
        self.points.get(m)
    }

    pub fn balance_cents(&self, m: usize) -> i64 {
        self.balance_cents.get(m)
    }

    /// Index into [`Dataset::stores`], or [`NONE16`].
    pub fn store(&self, m: usize) -> u16 {
        index_out(self.store.get(m))
    }

    pub fn expiry(&self, m: usize) -> Option<Day> {
        self.expiry.get(m)
    }

    /// Whether some member has a membership expiry.
    pub fn has_expiry(&self) -> bool {
        self.expiry.any()
    }

    /// Member m's tags (标签), as indexes into [`Dataset::tags`]; empty without.
    pub fn tags(&self, m: usize) -> &[u16] {
        self.tags.get(m)
    }

    /// Whether some member has a tag.
    pub fn has_tags(&self) -> bool {
        self.tags.any()
    }

    /// When member m's points expire (积分到期日), when the members file has it.
    pub fn points_expiry(&self, m: usize) -> Option<Day> {
        self.points_expiry.get(m)
    }

    /// Whether some member has a points expiry.
    pub fn has_points_expiry(&self) -> bool {
        self.points_expiry.any()
    }

    /// Appends a member (its id not checked: the data set does that), with its tags already
    /// interned.
    fn push(&mut self, m: &MemberRecord, tier: u16, store: u16, tags: &[u16]) {
        let i = self.len;
        self.id.push(i, &m.id);
        self.name.push(i, &m.name);
        self.phone.push(i, &m.phone);
        self.gender.push(i, m.gender);
        self.birthday.push(i, m.birthday);
        self.join_day.push(i, m.join_day);
        self.tier.push(i, index_in(tier));
        self.points.push(i, m.points);
        self.balance_cents.push(i, m.balance_cents);
        self.store.push(i, index_in(store));
        self.expiry.push(i, m.expiry);
        self.points_expiry.push(i, m.points_expiry);
        self.tags.push(i, tags);
        self.len += 1;
    }

    /// Appends a member known by its id alone.
    fn push_id(&mut self, id: &str) {
        self.id.push(self.len, id);
        self.len += 1;
    }

    fn heap_bytes(&self) -> u64 {
        self.id.heap_bytes()
            + self.name.heap_bytes()
            + self.phone.heap_bytes()
            + self.gender.heap_bytes()
            + self.birthday.heap_bytes()
            + self.join_day.heap_bytes()
            + self.tier.heap_bytes()
            + self.points.heap_bytes()
            + self.balance_cents.heap_bytes()
            + self.store.heap_bytes()
            + self.expiry.heap_bytes()
            + self.points_expiry.heap_bytes()
            + self.tags.heap_bytes()
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
    /// When the points expire (积分到期日).
    pub points_expiry: Option<Day>,
    /// Tags (标签), in the order given; repeats are kept once, and at most
    /// [`MAX_TAGS_PER_MEMBER`] tags of at most [`MAX_TAG_CHARS`] characters are kept.
    pub tags: Vec<String>,
}

/// Transactions in columns, all vectors of the same length.
#[derive(Clone, Debug, Default)]
pub struct Transactions {
    /// Index into [`Members`], or [`WALK_IN`].
    pub member: Vec<u32>,
    pub day: Vec<Day>,
    /// Money paid (实收) in cents; negative for refunds.
    pub amount_cents: Vec<i64>,
    /// Discount given on the row, in cents (≥ 0): read with
    /// [`discount_cents`](Transactions::discount_cents).
    discount_cents: LazyColumn<i64>,
    /// Index into [`Dataset::categories`] + 1 (0 is none): read with
    /// [`category`](Transactions::category).
    category: LazyColumn<u16>,
    /// Index into [`Dataset::stores`] + 1: read with [`store`](Transactions::store).
    store: LazyColumn<u16>,
    pub kind: Vec<TxKind>,
}

impl Transactions {
    pub fn len(&self) -> usize {
        self.member.len()
    }

    pub fn is_empty(&self) -> bool {
        self.member.is_empty()
    }

    /// Discount given on row `r`, in cents (≥ 0). A row with a discount counts as a promotion buy.
    pub fn discount_cents(&self, r: usize) -> i64 {
        self.discount_cents.get(r)
    }

    /// Index into [`Dataset::categories`] of row `r`, or [`NONE16`].
    pub fn category(&self, r: usize) -> u16 {
        index_out(self.category.get(r))
    }

    /// Index into [`Dataset::stores`] of row `r`, or [`NONE16`].
    pub fn store(&self, r: usize) -> u16 {
        index_out(self.store.get(r))
    }

    /// Adds to the amount and the discount of row `r` (the lines of one order).
    pub fn add_to(&mut self, r: usize, amount_cents: i64, discount_cents: i64) {
        if let Some(a) = self.amount_cents.get_mut(r) {
            *a = a.saturating_add(amount_cents);
        }
        if r < self.len() {
            self.discount_cents.add(r, discount_cents);
        }
    }

    pub fn reserve(&mut self, n: usize) {
        self.member.reserve(n);
        self.day.reserve(n);
        self.amount_cents.reserve(n);
        self.kind.reserve(n);
    }

    /// Room for exactly `n` more transactions (a reader that knows about how many rows are
    /// coming: the columns are not doubled past them). The lazy columns grow as they fill.
    pub fn reserve_exact(&mut self, n: usize) {
        self.member.reserve_exact(n);
        self.day.reserve_exact(n);
        self.amount_cents.reserve_exact(n);
        self.kind.reserve_exact(n);
    }

    /// Before a push into full columns: grows them by a quarter (not double), so ten million
    /// rows never hold room for ten million more.
    fn make_room(&mut self) {
        let len = self.member.len();
        if len == self.member.capacity() {
            self.reserve_exact(len / 4 + 1024);
        }
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
    /// Member tags (标签), each distinct tag once.
    pub tags: Dictionary,
    member_index: IdIndex,
    /// Normalised phone number → member (the first member with that phone), so that a
    /// transactions file keyed by phone joins a members file keyed by card.
    phone_index: HashMap<String, u32>,
    /// Member summaries made in a warehouse (a summary file was loaded): the analyses take them
    /// instead of summarising transactions (there are none then).
    pub precomputed: Option<Box<crate::warehouse::Precomputed>>,
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
        let hash = id_hash(&m.id);
        if let Some(i) = self.member_index.find(&self.members.id, &m.id, hash) {
            return i;
        }
        let Some(i) = self.new_member_index(&m.id) else { return WALK_IN };
        let tier = m.tier.as_deref().map_or(NONE16, |t| self.tiers.intern(t));
        let store = m.store.as_deref().map_or(NONE16, |s| self.stores.intern(s));
        let tags = self.intern_tags(&m.tags);
        self.members.push(&m, tier, store, &tags);
        self.member_index.insert(&self.members.id, i, hash);
        i
    }

    /// A member's tags as dictionary indexes: each once, in order, within the limits (a tag too
    /// long, or one more than the dictionary holds, is left out; the reader reports them).
    fn intern_tags(&mut self, tags: &[String]) -> Vec<u16> {
        let mut out: Vec<u16> = Vec::new();
        for t in tags.iter().map(|t| t.trim()) {
            if out.len() >= MAX_TAGS_PER_MEMBER {
                break;
            }
            if t.is_empty() || t.chars().count() > MAX_TAG_CHARS {
                continue;
            }
            let i = self.tags.intern(t);
            if i != NONE16 && !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    /// The index a new member with this id gets; `None` when no more members fit (4 billion
    /// members, or 4 GB of ids: beyond any browser's memory).
    fn new_member_index(&self, id: &str) -> Option<u32> {
        let i = u32::try_from(self.members.len()).ok().filter(|&i| i < WALK_IN)?;
        self.members.id.has_room(id).then_some(i)
    }

    /// Adds a member known by its id alone, whose id is not in the data set yet and hashes to
    /// `hash` ([`id_hash`]): the readers' path, one hash per new member and no allocation.
    /// Returns [`WALK_IN`] when no more members fit.
    pub fn add_new_id(&mut self, id: &str, hash: u64) -> u32 {
        let Some(i) = self.new_member_index(id) else { return WALK_IN };
        self.members.push_id(id);
        self.member_index.insert(&self.members.id, i, hash);
        i
    }

    /// The index of the member with this id, adding a bare member (id only) when the id is new:
    /// with a transactions file alone, members are the distinct ids.
    pub fn member_for_id(&mut self, id: &str) -> u32 {
        let hash = id_hash(id);
        match self.member_index.find(&self.members.id, id, hash) {
            Some(i) => i,
            None => self.add_new_id(id, hash),
        }
    }

    pub fn find_member(&self, id: &str) -> Option<u32> {
        self.find_member_hashed(id, id_hash(id))
    }

    /// [`find_member`](Self::find_member) with the id's hash already computed ([`id_hash`]).
    pub fn find_member_hashed(&self, id: &str, hash: u64) -> Option<u32> {
        self.member_index.find(&self.members.id, id, hash)
    }

    /// Room for `members` members in all, and `id_bytes` more bytes of ids, without growing.
    pub fn reserve_members(&mut self, members: usize, id_bytes: usize) {
        let more = members.saturating_sub(self.members.len());
        self.members.id.reserve(more, id_bytes);
        self.member_index.reserve(&self.members.id, members);
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
        tx.make_room();
        let r = tx.len();
        tx.discount_cents.push(r, discount_cents);
        tx.category.push(r, index_in(category));
        tx.store.push(r, index_in(store));
        tx.member.push(member);
        tx.day.push(day);
        tx.amount_cents.push(amount_cents);
        tx.kind.push(kind);
    }

    /// Approximate heap bytes the data set holds (vector capacities, text buffers, index
    /// slots), for benchmarks and the page's memory figure.
    pub fn heap_bytes(&self) -> u64 {
        let tx = &self.transactions;
        let transactions = vec_bytes(&tx.member)
            + vec_bytes(&tx.day)
            + vec_bytes(&tx.amount_cents)
            + tx.discount_cents.heap_bytes()
            + tx.category.heap_bytes()
            + tx.store.heap_bytes()
            + vec_bytes(&tx.kind);
        let dictionaries = self.categories.heap_bytes() + self.stores.heap_bytes() + self.tiers.heap_bytes() + self.tags.heap_bytes();
        let phones = self.phone_index.capacity() * (std::mem::size_of::<(String, u32)>() + 1);
        let phone_text: u64 = self.phone_index.keys().map(|k| k.capacity() as u64).sum();
        self.members.heap_bytes() + self.member_index.heap_bytes() + transactions + dictionaries + phones as u64 + phone_text
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
            None => (0..self.members.len()).filter_map(|m| self.members.join_day(m)).max(),
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
        assert!((0..4).all(|r| ds.transactions.store(r) == NONE16));
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
    fn ids_are_found_through_growth_and_each_is_stored_once() {
        let mut ds = Dataset::new("t");
        let ids: Vec<String> = (0..50_000).map(|i| if i % 3 == 0 { format!("{i:05}") } else { format!("VIP-{i}") }).collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(ds.member_for_id(id), i as u32);
        }
        ds.reserve_members(120_000, 0);
        for (i, id) in ids.iter().enumerate().rev() {
            assert_eq!(ds.find_member(id), Some(i as u32), "{id}");
            assert_eq!(ds.member_for_id(id), i as u32);
        }
        assert_eq!(ds.members.len(), 50_000);
        assert_eq!(ds.members.id(7), "VIP-7");
        assert_eq!(ds.members.id(50_000), "", "out of range");
        assert_eq!(ds.find_member("VIP-50000"), None);
        assert_eq!(ds.find_member(""), None);
        let id_bytes: usize = ids.iter().map(String::len).sum();
        assert!(ds.members.id.bytes.len() == id_bytes, "one copy of each id");
    }

    #[test]
    fn lazy_columns_store_nothing_until_a_value_is_given() {
        let mut ds = Dataset::new("t");
        for r in 0..10 {
            let (discount, category) = if r == 6 { (250, ds.categories.intern("面霜")) } else { (0, NONE16) };
            ds.push_transaction(WALK_IN, r, 100, discount, category, NONE16, TxKind::Sale);
        }
        let tx = &ds.transactions;
        assert!(tx.discount_cents.values.len() == 10 && tx.store.values.is_empty(), "stored once some row has a value");
        let discounts: Vec<i64> = (0..10).map(|r| tx.discount_cents(r)).collect();
        assert_eq!(discounts, [0, 0, 0, 0, 0, 0, 250, 0, 0, 0]);
        assert_eq!((tx.category(6), tx.category(5), tx.store(6)), (0, NONE16, NONE16));
        ds.transactions.add_to(2, 50, 30);
        ds.transactions.add_to(9, 0, 0);
        assert_eq!((ds.transactions.amount_cents[2], ds.transactions.discount_cents(2)), (150, 30));
        assert_eq!(ds.transactions.discount_cents(9), 0);
        let mut m = Dataset::new("m");
        m.add_member(MemberRecord { id: "A".into(), ..Default::default() });
        m.add_member(MemberRecord { id: "B".into(), tier: Some("金卡".into()), points: 12, ..Default::default() });
        assert!(m.members.points.values.len() == 2 && m.members.name.ends.is_empty());
        assert_eq!((m.members.tier(0), m.members.tier(1), m.members.points(1), m.members.name(1)), (NONE16, 0, 12, ""));
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
