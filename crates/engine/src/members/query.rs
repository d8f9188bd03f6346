//! Runs a member query: filter, search, sort, then a page of rows and the totals.
//!
//! Sorting 350,000 members must take a few milliseconds: each matching member's key is read
//! once into a vector of (key, member) pairs that is then radix-sorted, instead of reading two
//! members' values at every comparison.

use super::columns::{num_key, text_key, Sort};
use super::compiled::Compiled;
use super::filter::{FilterError, MemberFilter};
use super::{row, Ctx, MemberPage};
use crate::segments::rank::radix_sort_by_key;
use crate::summary::sum_cents;
use crate::worklists::WorkReason;

/// The most rows one page holds.
pub const MAX_PAGE: u32 = 1_000;

/// The members matching `filter`, in `sort` order (member indexes); none for a filter that
/// does not validate ([`MemberFilter::validate`]).
pub fn matching(ctx: &Ctx<'_>, filter: &MemberFilter, sort: Sort) -> Vec<u32> {
    try_matching(ctx, filter, sort).unwrap_or_default()
}

/// [`matching`], or why the filter cannot run.
pub fn try_matching(ctx: &Ctx<'_>, filter: &MemberFilter, sort: Sort) -> Result<Vec<u32>, FilterError> {
    let compiled = Compiled::new(ctx, filter)?;
    let n = ctx.ds.members.len().min(u32::MAX as usize);
    let found: Vec<u32> = (0..n).filter(|&m| compiled.matches(m)).map(|m| m as u32).collect();
    Ok(sorted(ctx, found, sort))
}

/// `members` (ascending) in `sort` order: by the column's value, ties in member order, members
/// without a value last whichever the direction.
fn sorted(ctx: &Ctx<'_>, members: Vec<u32>, sort: Sort) -> Vec<u32> {
    if sort.column.is_text() {
        sorted_by_text(ctx, members, sort)
    } else {
        sorted_by_number(ctx, members, sort)
    }
}

/// An `i64` as a `u64` that orders like it; reversed for a descending sort.
fn ordered(k: i64, descending: bool) -> u64 {
    let up = (k as u64) ^ (1 << 63);
    if descending {
        !up
    } else {
        up
    }
}

fn sorted_by_number(ctx: &Ctx<'_>, members: Vec<u32>, sort: Sort) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(members.len());
    let mut without = Vec::new();
    for m in members {
        match num_key(ctx, sort.column, m as usize) {
            Some(k) => keyed.push((ordered(k, sort.descending), m)),
            None => without.push(m),
        }
    }
    // Stable, and the members come in ascending order: ties stay in member order.
    radix_sort_by_key(&mut keyed, |p| p.0);
    keyed.into_iter().map(|(_, m)| m).chain(without).collect()
}

/// The first 3 characters of a text as a number that orders like them (code points, 21 bits
/// each, in the order of their UTF-8 bytes; a shorter text padded with 0): a Chinese name of up
/// to 3 characters is its whole key.
fn prefix(text: &str) -> u64 {
    let mut chars = text.chars().map(|c| c as u64);
    let mut key = 0;
    for _ in 0..3 {
        key = (key << 21) | chars.next().unwrap_or(0);
    }
    key
}

fn sorted_by_text(ctx: &Ctx<'_>, members: Vec<u32>, sort: Sort) -> Vec<u32> {
    let text = |m: u32| text_key(ctx, sort.column, m as usize).unwrap_or("");
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(members.len());
    let mut without = Vec::new();
    for m in members {
        match text_key(ctx, sort.column, m as usize) {
            Some(k) => keyed.push((if sort.descending { !prefix(k) } else { prefix(k) }, m)),
            None => without.push(m),
        }
    }
    // By the first 3 characters (a radix sort, stable: member order within), then each run of
    // equal first characters by the whole text, unless all of it is one text (namesakes).
    radix_sort_by_key(&mut keyed, |p| p.0);
    for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 && run.windows(2).any(|w| text(w[0].1) != text(w[1].1)) {
            if sort.descending {
                run.sort_by(|a, b| text(b.1).cmp(text(a.1)));
            } else {
                run.sort_by(|a, b| text(a.1).cmp(text(b.1)));
            }
        }
    }
    keyed.into_iter().map(|(_, m)| m).chain(without).collect()
}

/// Lifetime net spend of `members`, saturating.
pub fn revenue_cents(ctx: &Ctx<'_>, members: &[u32]) -> i64 {
    sum_cents(members.iter().map(|&m| ctx.sums.members.get(m as usize).map_or(0, |s| s.net_cents)))
}

/// Why member `m` is on each work list `filter` names, in the filter's order.
pub fn reasons(ctx: &Ctx<'_>, filter: &MemberFilter, m: u32) -> Vec<WorkReason> {
    filter.work_lists().flat_map(|list| ctx.lists.reasons(ctx.ds, ctx.sums, ctx.c, list, m)).collect()
}

/// A page of the members matching `filter`, rows `offset .. offset + limit` (at most
/// [`MAX_PAGE`]), and the totals; an empty page for a filter that does not validate.
pub fn query(ctx: &Ctx<'_>, filter: &MemberFilter, sort: Sort, offset: u32, limit: u32) -> MemberPage {
    try_query(ctx, filter, sort, offset, limit).unwrap_or_else(|_| page(ctx, filter, sort, offset, &[], limit))
}

/// [`query`], or why the filter cannot run.
pub fn try_query(ctx: &Ctx<'_>, filter: &MemberFilter, sort: Sort, offset: u32, limit: u32) -> Result<MemberPage, FilterError> {
    let found = try_matching(ctx, filter, sort)?;
    Ok(page(ctx, filter, sort, offset, &found, limit))
}

fn page(ctx: &Ctx<'_>, filter: &MemberFilter, sort: Sort, offset: u32, found: &[u32], limit: u32) -> MemberPage {
    let rows = found
        .iter()
        .skip(offset as usize)
        .take(limit.min(MAX_PAGE) as usize)
        .map(|&m| row(ctx, m as usize, reasons(ctx, filter, m)))
        .collect();
    MemberPage {
        filter: filter.clone(),
        sort,
        total: found.len() as u32,
        members: ctx.ds.members.len() as u32,
        revenue_cents: revenue_cents(ctx, found),
        offset,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_keys_keep_the_order_of_i64_either_way() {
        let ks = [i64::MIN, -5, -1, 0, 1, 7, i64::MAX];
        for w in ks.windows(2) {
            assert!(ordered(w[0], false) < ordered(w[1], false));
            assert!(ordered(w[0], true) > ordered(w[1], true));
        }
    }

    #[test]
    fn text_prefixes_order_like_the_texts() {
        let texts = ["", "A", "AB", "ABC", "ABCD", "B", "Ö", "王", "王小", "王小美", "𠀀"];
        for w in texts.windows(2) {
            assert!(prefix(w[0]) <= prefix(w[1]), "{} {}", w[0], w[1]);
            assert!(w[0] < w[1], "the texts' own order");
        }
        assert_eq!(prefix("ABC"), prefix("ABCD"), "equal first 3 characters: the whole texts decide");
    }
}
