//! The store scope: which store each member and walk-in belongs to, the data set of the stores
//! in scope, and the per-store comparison rows.
//!
//! A member belongs to the store of their card; without one, to the store of most of their net
//! purchase spend (sales minus refunds, top-ups aside; a tie goes to the lower store index);
//! without either, to no store (`""`). A walk-in row belongs to its own store. A member's
//! figures go with the member: a scoped data set holds its members' rows wherever they bought.

use super::analysis::StoreRow;
use super::model::{Dataset, MemberRecord, TxKind, NONE16, WALK_IN};
use super::segments::is_sleeping;
use super::settings::Settings;
use super::summary::{clamp_cents, in_window, RowsByMember, Summaries, DAYS_12M};
use super::warehouse::Precomputed;

/// Each member's store (an index into [`Dataset::stores`], or [`NONE16`]), in member order.
pub type HomeStores = Vec<u16>;

/// Each member's store: the card's, else the one of most of their net purchase spend, else none.
pub fn home_stores(ds: &Dataset, by_member: &RowsByMember) -> HomeStores {
    let tx = &ds.transactions;
    // Net spend per store of one member at a time: a scratch sum per store, reset after use.
    let mut net = vec![0i128; ds.stores.len()];
    let mut seen = vec![false; ds.stores.len()];
    let mut touched: Vec<u16> = Vec::new();
    (0..ds.members.len())
        .map(|m| {
            let card = ds.members.store(m);
            if card != NONE16 {
                return card;
            }
            for &r in by_member.of(m) {
                let r = r as usize;
                let (Some(&kind), Some(&amount)) = (tx.kind.get(r), tx.amount_cents.get(r)) else { continue };
                let store = tx.store(r);
                if kind == TxKind::TopUp || store == NONE16 {
                    continue;
                }
                if let (Some(sum), Some(was_seen)) = (net.get_mut(store as usize), seen.get_mut(store as usize)) {
                    *sum += amount as i128;
                    if !*was_seen {
                        *was_seen = true;
                        touched.push(store);
                    }
                }
            }
            most_spent_at(&mut touched, &mut net, &mut seen)
        })
        .collect()
}

/// The store with the highest sum among `touched` (the lowest index on a tie; [`NONE16`] when
/// none), resetting the scratch sums for the next member.
fn most_spent_at(touched: &mut Vec<u16>, net: &mut [i128], seen: &mut [bool]) -> u16 {
    let mut best: Option<(i128, u16)> = None;
    for &s in touched.iter() {
        let sum = net.get(s as usize).copied().unwrap_or(0);
        let better = match best {
            None => true,
            Some((b, bs)) => sum > b || (sum == b && s < bs),
        };
        if better {
            best = Some((sum, s));
        }
        if let (Some(n), Some(f)) = (net.get_mut(s as usize), seen.get_mut(s as usize)) {
            *n = 0;
            *f = false;
        }
    }
    touched.clear();
    best.map_or(NONE16, |(_, s)| s)
}

/// The store a transaction row counts in: its member's, or its own for a walk-in (or a member
/// index past the members, which only a data set built by hand has).
fn row_store(ds: &Dataset, homes: &[u16], r: usize) -> u16 {
    match ds.transactions.member.get(r) {
        Some(&m) if m != WALK_IN => homes.get(m as usize).copied().unwrap_or_else(|| ds.transactions.store(r)),
        _ => ds.transactions.store(r),
    }
}

fn is_walk_in_row(ds: &Dataset, r: usize) -> bool {
    ds.transactions.member.get(r).is_none_or(|&m| m == WALK_IN || m as usize >= ds.members.len())
}

/// Whether some member or walk-in row has no store: the data then has a `""` store.
fn has_storeless(ds: &Dataset, homes: &[u16]) -> bool {
    homes.contains(&NONE16) || (0..ds.transactions.len()).any(|r| is_walk_in_row(ds, r) && ds.transactions.store(r) == NONE16)
}

/// The stores a scope takes, as asked for by [`Settings::stores`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// The names of the data (in the order asked, each once); empty: all stores.
    pub names: Vec<String>,
    /// The names asked for that the data has no store of.
    pub unknown: Vec<String>,
    /// Whether store index i is in scope (empty: all are).
    stores: Vec<bool>,
    /// Whether the members and walk-ins without a store are in scope.
    storeless: bool,
}

impl Scope {
    /// The scope `names` asks for in `ds` (`""`: no store). With none of the names in the data,
    /// the scope is all stores (and every name is in `unknown`).
    pub fn resolve(ds: &Dataset, homes: &[u16], names: &[String]) -> Scope {
        let mut scope = Scope { stores: vec![false; ds.stores.len()], ..Default::default() };
        let storeless_exists = has_storeless(ds, homes);
        for name in names {
            if scope.names.contains(name) || scope.unknown.contains(name) {
                continue;
            }
            let index = ds.stores.names().iter().position(|s| s == name);
            match index {
                Some(i) => {
                    if let Some(slot) = scope.stores.get_mut(i) {
                        *slot = true;
                    }
                }
                None if name.is_empty() && storeless_exists => scope.storeless = true,
                None => {
                    scope.unknown.push(name.clone());
                    continue;
                }
            }
            scope.names.push(name.clone());
        }
        if scope.names.is_empty() {
            scope.stores.clear();
        }
        scope
    }

    /// All stores: nothing to leave out.
    pub fn is_all(&self) -> bool {
        self.names.is_empty()
    }

    /// Whether store `s` (or none, [`NONE16`]) is in scope.
    pub fn takes(&self, s: u16) -> bool {
        if self.is_all() {
            return true;
        }
        if s == NONE16 {
            return self.storeless;
        }
        self.stores.get(s as usize).copied().unwrap_or(false)
    }
}

/// The data set of the stores in `scope`: its members (with all their rows) and the walk-ins
/// of its stores. The dictionaries of stores, categories and tags are the whole one's (so the
/// filter builder offers every store); tiers are those of the members in scope.
pub fn scoped_dataset(ds: &Dataset, homes: &[u16], scope: &Scope) -> Dataset {
    let mut out = Dataset::new(ds.name.clone());
    out.stores = ds.stores.clone();
    out.categories = ds.categories.clone();
    out.tags = ds.tags.clone();
    let new_index: Vec<u32> = (0..ds.members.len())
        .map(|m| if scope.takes(homes.get(m).copied().unwrap_or(NONE16)) { out.add_member(record_of(ds, m)) } else { WALK_IN })
        .collect();
    out.precomputed = ds.precomputed.as_ref().map(|pre| Box::new(scoped_precomputed(pre, &new_index)));
    let tx = &ds.transactions;
    let member_of = |r: usize| -> Option<u32> {
        if is_walk_in_row(ds, r) {
            scope.takes(tx.store(r)).then_some(WALK_IN)
        } else {
            let m = new_index.get(*tx.member.get(r)? as usize).copied()?;
            (m != WALK_IN).then_some(m)
        }
    };
    let kept = (0..tx.len()).filter(|&r| member_of(r).is_some()).count();
    out.transactions.reserve_exact(kept);
    for r in 0..tx.len() {
        let Some(m) = member_of(r) else { continue };
        let (Some(&day), Some(&amount), Some(&kind)) = (tx.day.get(r), tx.amount_cents.get(r), tx.kind.get(r)) else { continue };
        out.push_transaction(m, day, amount, tx.discount_cents(r), tx.category(r), tx.store(r), kind);
    }
    out
}

/// The warehouse summaries of the members in scope (`new_index[m]` is member m's index in the
/// scoped data set, [`WALK_IN`] when out of it). The monthly aggregates are of the whole store
/// and have no store column: a scope has none (its churn series, cohorts and monthly revenue
/// are absent, as without aggregates).
fn scoped_precomputed(pre: &Precomputed, new_index: &[u32]) -> Precomputed {
    let members = new_index
        .iter()
        .enumerate()
        .filter(|(_, &n)| n != WALK_IN)
        .map(|(m, _)| pre.members.get(m).copied().unwrap_or_default())
        .collect();
    Precomputed { analysis_day: pre.analysis_day, members, monthly: None }
}

/// Member `m`'s attributes, to add them to another data set.
fn record_of(ds: &Dataset, m: usize) -> MemberRecord {
    let p = &ds.members;
    let name_of = |d: &super::model::Dictionary, i: u16| (i != NONE16).then(|| d.label(i));
    MemberRecord {
        id: p.id(m).to_string(),
        name: p.name(m).to_string(),
        phone: p.phone(m).to_string(),
        gender: p.gender(m),
        birthday: p.birthday(m),
        join_day: p.join_day(m),
        tier: name_of(&ds.tiers, p.tier(m)),
        points: p.points(m),
        balance_cents: p.balance_cents(m),
        store: name_of(&ds.stores, p.store(m)),
        expiry: p.expiry(m),
        points_expiry: p.points_expiry(m),
        tags: p.tags(m).iter().map(|&t| ds.tags.label(t)).collect(),
    }
}

/// One store's sums while the rows are counted.
#[derive(Default)]
struct Tally {
    members: u32,
    active: u32,
    buyers: u32,
    repeaters: u32,
    churned: u32,
    revenue: i128,
    gross: i128,
    orders: u64,
    /// Whether the row is shown: a store of the data, or `""` when something has no store.
    shown: bool,
}

/// Every store compared, on the whole data set `ds` with its summaries `sums` (see
/// [`StoreRow`]): a row per store, and a `""` row when some member or walk-in has no store,
/// by revenue (highest first). The rows add up to the whole data set's figures.
///
/// From warehouse member summaries ([`Dataset::precomputed`]) a store's revenue and orders are
/// its members' 12-month net spend and orders (no walk-ins: they are in no member's row), and
/// its average ticket is that net spend ÷ orders (the summary has no 12-month gross).
pub fn store_rows(ds: &Dataset, homes: &[u16], sums: &Summaries, settings: &Settings) -> Vec<StoreRow> {
    let n = ds.stores.len();
    // Slot n holds the storeless.
    let mut tally: Vec<Tally> = (0..=n).map(|i| Tally { shown: i < n, ..Default::default() }).collect();
    let slot = |s: u16| if s == NONE16 || s as usize >= n { n } else { s as usize };
    let day = sums.analysis_day;
    let from_summaries = ds.precomputed.is_some();
    for (m, s) in sums.members.iter().enumerate() {
        let Some(t) = tally.get_mut(slot(homes.get(m).copied().unwrap_or(NONE16))) else { continue };
        t.shown = true;
        if s.not_yet() {
            continue;
        }
        t.members += 1;
        if s.purchase_days == 0 {
            continue;
        }
        t.buyers += 1;
        t.repeaters += (s.x() > 0) as u32;
        t.active += s.last_day().is_some_and(|d| in_window(d, day, DAYS_12M)) as u32;
        t.churned += is_sleeping(s, day, settings) as u32;
        if from_summaries {
            // Warehouse summaries have no rows: the member's 12 months (net spend, orders).
            t.revenue += s.spend_12m_cents as i128;
            t.gross += s.spend_12m_cents as i128;
            t.orders += s.orders_12m as u64;
        }
    }
    let tx = &ds.transactions;
    for r in 0..tx.len() {
        let (Some(&d), Some(&amount), Some(&kind)) = (tx.day.get(r), tx.amount_cents.get(r), tx.kind.get(r)) else { continue };
        let Some(t) = tally.get_mut(slot(row_store(ds, homes, r))) else { continue };
        if is_walk_in_row(ds, r) {
            t.shown = true;
        }
        if kind == TxKind::TopUp || !in_window(d, day, DAYS_12M) {
            continue;
        }
        t.revenue += amount as i128;
        if kind.is_paid_order(amount) {
            t.orders += 1;
            t.gross += amount as i128;
        }
    }
    let mut rows: Vec<StoreRow> = tally
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.shown)
        .map(|(i, t)| StoreRow {
            store: if i < n { ds.stores.label(i as u16) } else { String::new() },
            members: t.members,
            active_members_12m: t.active,
            revenue_12m_cents: clamp_cents(t.revenue),
            avg_ticket_12m_cents: if t.orders > 0 { clamp_cents(t.gross / t.orders as i128) } else { 0 },
            repeat_rate: share(t.repeaters, t.buyers),
            churn_rate: share(t.churned, t.buyers),
        })
        .collect();
    // Stable: equal revenues keep the stores' order, the storeless last.
    rows.sort_by_key(|r| std::cmp::Reverse(r.revenue_12m_cents));
    rows
}

/// `part ÷ whole` (0 for an empty whole): always within 0..=1.
fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The highest sum wins, a tie goes to the lower index, and the scratch sums are reset.
    #[test]
    fn the_store_of_most_spend() {
        let (mut net, mut seen) = (vec![0i128; 4], vec![false; 4]);
        let mut touched = vec![3, 1];
        (net[3], net[1]) = (500, 500);
        (seen[3], seen[1]) = (true, true);
        assert_eq!(most_spent_at(&mut touched, &mut net, &mut seen), 1);
        assert!(touched.is_empty() && net.iter().all(|&n| n == 0) && seen.iter().all(|&f| !f));
        assert_eq!(most_spent_at(&mut touched, &mut net, &mut seen), NONE16);
        let mut touched = vec![2, 0];
        (net[2], net[0]) = (-100, -300);
        assert_eq!(most_spent_at(&mut touched, &mut net, &mut seen), 2, "the least negative");
    }

    /// `""` is in the data only when something has no store; unknown and repeated names.
    #[test]
    fn names_resolve_against_the_data() {
        let mut ds = Dataset::new("t");
        ds.stores.intern("A");
        ds.stores.intern("B");
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let s = Scope::resolve(&ds, &[0, 1], &names(&["B", "", "B", "C"]));
        assert_eq!((s.names.clone(), s.unknown.clone()), (names(&["B"]), names(&["", "C"])));
        assert!(s.takes(1) && !s.takes(0) && !s.takes(NONE16));
        let s = Scope::resolve(&ds, &[0, NONE16], &names(&[""]));
        assert!(s.takes(NONE16) && !s.takes(0) && !s.takes(1));
        let s = Scope::resolve(&ds, &[0], &names(&["X"]));
        assert!(s.is_all() && s.takes(0) && s.takes(NONE16));
    }
}
