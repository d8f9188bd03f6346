//! Runs a member query: filter, search, sort, then a page of rows and the totals.
//!
//! Sorting 350,000 members must take a few milliseconds: each matching member's key is read
//! once into a vector of (key, member) pairs that is then sorted, instead of reading two
//! members' values at every comparison.

use super::columns::{num_key, text_key, Sort};
use super::compiled::Compiled;
use super::filter::{FilterError, MemberFilter};
use super::{row, Ctx, MemberPage};
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

fn sorted_by_number(ctx: &Ctx<'_>, members: Vec<u32>, sort: Sort) -> Vec<u32> {
    let mut keyed: Vec<(i64, u32)> = Vec::with_capacity(members.len());
    let mut without = Vec::new();
    for m in members {
        match num_key(ctx, sort.column, m as usize) {
            // `!k` reverses the order of every i64 (no overflow, unlike `-k`): the pairs then
            // sort ascending either way, ties by member.
            Some(k) => keyed.push((if sort.descending { !k } else { k }, m)),
            None => without.push(m),
        }
    }
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, m)| m).chain(without).collect()
}

fn sorted_by_text(ctx: &Ctx<'_>, members: Vec<u32>, sort: Sort) -> Vec<u32> {
    let mut keyed: Vec<(&str, u32)> = Vec::with_capacity(members.len());
    let mut without = Vec::new();
    for m in members {
        match text_key(ctx, sort.column, m as usize) {
            Some(k) => keyed.push((k, m)),
            None => without.push(m),
        }
    }
    if sort.descending {
        keyed.sort_unstable_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
    } else {
        keyed.sort_unstable();
    }
    keyed.into_iter().map(|(_, m)| m).chain(without).collect()
}

/// Lifetime net spend of `members`, saturating.
pub fn revenue_cents(ctx: &Ctx<'_>, members: &[u32]) -> i64 {
    sum_cents(members.iter().map(|&m| ctx.sums.members.get(m as usize).map_or(0, |s| s.net_cents)))
}

/// Why member `m` is on each work list `filter` names, in the filter's order.
pub fn reasons(ctx: &Ctx<'_>, filter: &MemberFilter, m: u32) -> Vec<WorkReason> {
    filter.work_lists().flat_map(|list| ctx.lists.reasons(ctx.ds, ctx.sums, ctx.c, ctx.settings, list, m)).collect()
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
