//! 使用周期: each category's usage cycle and the members whose last purchase of a category runs
//! out around the analysis date.
//!
//! Two passes over the transactions, each cheap where a table of every member × category would
//! be slow to fill (a random access per row):
//! - the learned cycles read the repeat gaps (days between two consecutive purchase days of the
//!   same category by the same member) of a sample of members: all of them up to
//!   [`MAX_LEARNING_MEMBERS`], else every 2nd, 4th, 8th … member (a median of hundreds of
//!   thousands of gaps does not move with the rest);
//! - the due members come from the purchases recent enough to run out in the window: a purchase
//!   older than D − N − cycle ran out before the window, so only each member's last purchase of
//!   a category since then is kept.

use super::CategoryCycle;
use crate::dates::Day;
use crate::model::{Dataset, NONE16};
use crate::segments::rank::{i64_key, radix_sort_by_key};
use crate::settings::{Settings, MAX_CYCLE_DAYS};
use crate::summary::NO_DAY;

/// The learned cycles read the gaps of at most about this many members (a stride of a power of
/// two over the members).
pub const MAX_LEARNING_MEMBERS: usize = 12_000;

/// A cycle is learned from the members' repeat gaps only when there are at least this many.
pub const MIN_LEARNED_GAPS: u32 = 20;

/// Default usage cycles by category name (trimmed; Latin names in any case). The first three are
/// the cosmetics practice DOMAIN.md quotes (洁面 80, 柔肤水 50, 面霜 80 days); the others are
/// common shop practice for take-home products of the same kind, with their usual synonyms.
/// Services (面部护理, 美甲 …) have none: they are listed only with a cycle the user sets.
const DEFAULT_CYCLES: &[(&str, u16)] = &[
    ("洁面", 80),
    ("洁面乳", 80),
    ("洗面奶", 80),
    ("cleanser", 80),
    ("柔肤水", 50),
    ("爽肤水", 50),
    ("化妆水", 50),
    ("toner", 50),
    ("面霜", 80),
    ("cream", 80),
    ("moisturizer", 80),
    ("精华", 60),
    ("精华液", 60),
    ("serum", 60),
    ("essence", 60),
    ("面膜", 30),
    ("mask", 30),
    ("眼霜", 90),
    ("eye cream", 90),
    ("乳液", 60),
    ("lotion", 60),
    ("emulsion", 60),
    ("防晒", 60),
    ("防晒霜", 60),
    ("sunscreen", 60),
];

/// The default usage cycle of a category name, if it has one.
pub fn default_cycle(name: &str) -> Option<u16> {
    let name = name.trim();
    DEFAULT_CYCLES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, d)| d)
}

/// The members' purchases of a category up to D (sales of zero or more; refunds, top-ups,
/// walk-ins and rows without a category are not), read in day order.
pub struct Purchases<'a> {
    pub ds: &'a Dataset,
    analysis_day: Day,
    /// Whether the rows are in day order already (files are usually sorted by time).
    sorted: bool,
}

impl<'a> Purchases<'a> {
    pub fn new(ds: &'a Dataset, analysis_day: Day) -> Self {
        Purchases { ds, analysis_day, sorted: ds.transactions.day.windows(2).all(|w| w[0] <= w[1]) }
    }

    /// Row `r` as (member, category, day) when it is a purchase of a category on `from ..= D`
    /// by a member `keep` accepts.
    fn purchase(&self, r: usize, from: Day, keep: &impl Fn(u32) -> bool) -> Option<(u32, u16, Day)> {
        let tx = &self.ds.transactions;
        let m = *tx.member.get(r)?;
        // The member first: most rows are skipped by it when sampling.
        if (m as usize) >= self.ds.members.len() || !keep(m) {
            return None;
        }
        let day = *tx.day.get(r)?;
        if day < from || day > self.analysis_day || !tx.kind.get(r)?.is_purchase(*tx.amount_cents.get(r)?) {
            return None;
        }
        let c = tx.category(r);
        (c != NONE16 && (c as usize) < self.ds.categories.len()).then_some((m, c, day))
    }

    /// Calls `f(member, category, day)` for each purchase of a category on `from ..= D` by a
    /// member `keep` accepts, in day order (rows of a day in file order).
    pub fn each(&self, from: Day, keep: impl Fn(u32) -> bool, mut f: impl FnMut(u32, u16, Day)) {
        let day = &self.ds.transactions.day;
        if self.sorted {
            let start = day.partition_point(|&d| d < from);
            let end = day.partition_point(|&d| d <= self.analysis_day).max(start);
            for r in start..end {
                if let Some((m, c, d)) = self.purchase(r, from, &keep) {
                    f(m, c, d);
                }
            }
            return;
        }
        let mut rows: Vec<u32> = (0..day.len()).filter(|&r| self.purchase(r, from, &keep).is_some()).map(|r| r as u32).collect();
        radix_sort_by_key(&mut rows, |&r| i64_key(day.get(r as usize).copied().unwrap_or(0) as i64));
        for r in rows {
            if let Some((m, c, d)) = self.purchase(r as usize, from, &keep) {
                f(m, c, d);
            }
        }
    }
}

/// Each category's repeat gaps among the sampled members: the days between two consecutive
/// purchase days of the category by the same member, up to D (clamped to `u16`, far past any
/// cycle).
pub fn repeat_gaps(ds: &Dataset, purchases: &Purchases) -> Vec<Vec<u16>> {
    let (n, k) = (ds.members.len(), ds.categories.len());
    let mut gaps: Vec<Vec<u16>> = vec![Vec::new(); k];
    if k == 0 || n == 0 {
        return gaps;
    }
    // Every `stride`-th member (a power of two: a mask, not a division per row).
    let shift = (n.div_ceil(MAX_LEARNING_MEMBERS)).next_power_of_two().trailing_zeros();
    let mask = (1u32 << shift) - 1;
    let mut last = vec![NO_DAY; ((n >> shift) + 1).saturating_mul(k)];
    purchases.each(Day::MIN, |m| m & mask == 0, |m, c, day| {
        let Some(slot) = last.get_mut((m >> shift) as usize * k + c as usize) else { return };
        if *slot != NO_DAY && day > *slot {
            if let Some(g) = gaps.get_mut(c as usize) {
                g.push((day as i64 - *slot as i64).clamp(1, u16::MAX as i64) as u16);
            }
        }
        if *slot == NO_DAY || day > *slot {
            *slot = day;
        }
    });
    gaps
}

/// The median of the gaps (the mean of the two middle ones for an even count, rounded half
/// up), when there are at least [`MIN_LEARNED_GAPS`] and it is a cycle the settings allow
/// (1 ..= 3,650 days). Reorders the gaps.
pub fn learned_cycle(gaps: &mut [u16]) -> Option<u16> {
    let n = gaps.len();
    if (n as u64) < MIN_LEARNED_GAPS as u64 {
        return None;
    }
    let (_, &mut upper, _) = gaps.select_nth_unstable(n / 2);
    let median = if n % 2 == 1 {
        upper as u32
    } else {
        let lower = gaps.get(..n / 2).and_then(|below| below.iter().max()).copied().unwrap_or(upper);
        (lower as u32 + upper as u32).div_ceil(2)
    };
    (1..=MAX_CYCLE_DAYS as u32).contains(&median).then_some(median as u16)
}

/// Every category's cycles: the default by name, the learned one, and the one in force — the
/// user's for that name, else (for a category with a default) the learned one, else the
/// default. A category with neither a default nor a user's cycle (a service) has none in force
/// and is not on the list; its learned cycle is shown for the user to adopt. `due` is left 0.
pub fn category_cycles(ds: &Dataset, mut gaps: Vec<Vec<u16>>, settings: &Settings) -> Vec<CategoryCycle> {
    (0..ds.categories.len())
        .map(|c| {
            let name = ds.categories.label(c as u16);
            let gaps = gaps.get_mut(c).map(Vec::as_mut_slice).unwrap_or(&mut []);
            let learned_from = gaps.len().min(u32::MAX as usize) as u32;
            let learned_days = learned_cycle(gaps);
            let default_days = default_cycle(&name);
            let user = settings.category_cycle(&name).map(|d| d.clamp(1, MAX_CYCLE_DAYS) as u16);
            let cycle_days = user.or(default_days.and(learned_days)).or(default_days);
            CategoryCycle { category: name, default_days, learned_days, learned_from, cycle_days, due: 0 }
        })
        .collect()
}

/// A member due to replenish a category: its last purchase of it, which runs out at
/// `last + cycle`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    pub member: u32,
    pub category: u16,
    pub last: Day,
}

/// Whether a purchase on `last` with a cycle of `cycle` days runs out in the replenishment
/// window: from `window` days before D to `window − 1` days after it, D − N ..= D + N − 1.
pub fn runs_out_in_window(last: Day, cycle: u16, analysis_day: Day, window: i32) -> bool {
    let runs_out = last as i64 + cycle as i64;
    let (d, n) = (analysis_day as i64, window.max(1) as i64);
    (d - n..d + n).contains(&runs_out)
}

/// Every member's categories due, in member then category order, counting each category's due
/// members into `cycles`. Only purchases on or after D − N − cycle can run out in the window, so
/// only those are read; the last of them per member and category is the last purchase.
pub fn due(purchases: &Purchases, cycles: &mut [CategoryCycle], analysis_day: Day, window: i32) -> Vec<Due> {
    let (d, n) = (analysis_day as i64, window.max(1) as i64);
    // Per category, the first day a purchase can matter from (none without a cycle).
    let since: Vec<i64> = cycles.iter().map(|cc| cc.cycle_days.map_or(i64::MAX, |cycle| d - n - cycle as i64)).collect();
    let Some(&earliest) = since.iter().min().filter(|&&s| s != i64::MAX) else { return Vec::new() };
    let earliest = earliest.max(Day::MIN as i64) as Day;
    // Categories with a cycle, numbered 0.. (`NONE16` for the others).
    let mut column = vec![NONE16; cycles.len()];
    let with_cycle: Vec<usize> = (0..cycles.len()).filter(|&c| since.get(c).is_some_and(|&s| s != i64::MAX)).collect();
    for (i, &c) in with_cycle.iter().enumerate() {
        if let Some(col) = column.get_mut(c) {
            *col = i as u16;
        }
    }
    // Each member's last purchase of each such category since `earliest`, as days after it + 1
    // (0: none; at most N + a cycle + 1, < 2^16): a zeroed table the allocator gives cheaply.
    let k = with_cycle.len();
    let mut last = vec![0u16; purchases.ds.members.len().saturating_mul(k)];
    purchases.each(earliest, |_| true, |m, c, day| {
        let Some(&col) = column.get(c as usize).filter(|&&col| col != NONE16) else { return };
        if since.get(c as usize).is_some_and(|&s| day as i64 >= s) {
            let offset = (day as i64 - earliest as i64 + 1).clamp(1, u16::MAX as i64) as u16;
            if let Some(slot) = last.get_mut(m as usize * k + col as usize) {
                *slot = (*slot).max(offset);
            }
        }
    });
    let mut out = Vec::new();
    for (cell, &offset) in last.iter().enumerate().filter(|(_, &o)| o != 0) {
        let Some(&category) = with_cycle.get(cell % k) else { continue };
        let member = (cell / k) as u32;
        let last = (earliest as i64 + offset as i64 - 1) as Day;
        let Some(cc) = cycles.get_mut(category) else { continue };
        if cc.cycle_days.is_some_and(|cycle| runs_out_in_window(last, cycle, analysis_day, window)) {
            cc.due += 1;
            out.push(Due { member, category: category as u16, last });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_gaps() {
        let mut few: Vec<u16> = vec![30; 19];
        assert_eq!(learned_cycle(&mut few), None);
        // 21 gaps: ten of 10, one of 40, ten of 90 → 40.
        let mut odd: Vec<u16> = [vec![90; 10], vec![10; 10], vec![40]].concat();
        assert_eq!(learned_cycle(&mut odd), Some(40));
        // 20 gaps: ten of 10, ten of 15 → (10 + 15) / 2 = 12.5 → 13.
        let mut even: Vec<u16> = [vec![15; 10], vec![10; 10]].concat();
        assert_eq!(learned_cycle(&mut even), Some(13));
        let mut long: Vec<u16> = vec![4000; 25];
        assert_eq!(learned_cycle(&mut long), None);
    }

    #[test]
    fn defaults_by_name() {
        assert_eq!(default_cycle(" 洁面 "), Some(80));
        assert_eq!(default_cycle("Cleanser"), Some(80));
        assert_eq!(default_cycle("柔肤水"), Some(50));
        assert_eq!(default_cycle("面部护理"), None);
    }

    #[test]
    fn the_window_is_n_days_either_side() {
        // D = 100, N = 7: runs out on 93 ..= 106.
        assert!(runs_out_in_window(13, 80, 100, 7));
        assert!(!runs_out_in_window(12, 80, 100, 7));
        assert!(runs_out_in_window(26, 80, 100, 7));
        assert!(!runs_out_in_window(27, 80, 100, 7));
    }
}
