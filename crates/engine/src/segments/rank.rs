//! Ranking hundreds of thousands of members without comparison sorts: a counting sort where the
//! values are small whole numbers (days, visits), a radix sort of 64-bit keys otherwise, and
//! selection instead of sorting where only one rank is wanted (a median, a top share's cut).

/// A key whose unsigned order is `f64::total_cmp`'s order.
pub fn total_order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    // Negative numbers: flip every bit (larger magnitude first); others: flip the sign bit.
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// A key whose unsigned order is the order of `v`.
pub fn i64_key(v: i64) -> u64 {
    (v as u64) ^ (1 << 63)
}

/// Sorts `items` by `key`, stably (equal keys keep their order): a least-significant-digit radix
/// sort, 16 bits a pass, skipping the digits every key shares. O(n), where a comparison sort of
/// a million keys takes several times longer.
pub fn radix_sort_by_key<T: Copy>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let (mut all_and, mut all_or) = (u64::MAX, 0u64);
    for it in items.iter() {
        let k = key(it);
        all_and &= k;
        all_or |= k;
    }
    let mut buffer: Vec<T> = Vec::with_capacity(n);
    let mut counts = vec![0usize; 1 << 16];
    for shift in (0..64).step_by(16) {
        // Every key has the same digit here: this pass would not move anything.
        if (all_and >> shift) & 0xFFFF == (all_or >> shift) & 0xFFFF {
            continue;
        }
        counts.iter_mut().for_each(|c| *c = 0);
        let digit = |it: &T| ((key(it) >> shift) & 0xFFFF) as usize;
        for it in items.iter() {
            counts[digit(it)] += 1;
        }
        let mut next = 0;
        for c in counts.iter_mut() {
            let here = *c;
            *c = next;
            next += here;
        }
        // Every slot is written exactly once: fill the buffer in place of pushes in digit order.
        buffer.clear();
        buffer.extend_from_slice(items);
        for it in buffer.iter() {
            let d = digit(it);
            items[counts[d]] = *it;
            counts[d] += 1;
        }
    }
}

/// 1–5 scores by quintile of `values` (higher value → higher score): a value's score comes from
/// the rank of its first occurrence in ascending order, `1 + 5 · rank / n`, so equal values
/// always get the same score.
pub fn quintile_scores(values: &[f64]) -> Vec<u8> {
    let n = values.len();
    let mut scores = vec![0u8; n];
    let score = |rank: usize| (1 + (5 * rank / n.max(1)) as u8).min(5);
    if let Some((min, span)) = small_whole_span(values) {
        // Counting: the rank of a value's first occurrence is how many values are below it.
        let mut below = vec![0u32; span + 2];
        for &v in values {
            below[(v - min) as usize + 1] += 1;
        }
        for k in 1..below.len() {
            below[k] += below[k - 1];
        }
        for (s, &v) in scores.iter_mut().zip(values) {
            *s = score(below[(v - min) as usize] as usize);
        }
        return scores;
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    radix_sort_by_key(&mut order, |&i| total_order_key(values[i as usize]));
    let mut i = 0;
    while i < n {
        let first = values[order[i] as usize];
        let mut j = i;
        while j + 1 < n && values[order[j + 1] as usize] == first {
            j += 1;
        }
        for &k in &order[i..=j] {
            scores[k as usize] = score(i);
        }
        i = j + 1;
    }
    scores
}

/// The least value and the span (max − min) when every value is a whole number and the span is
/// small enough to count in an array (at most 4 per value, or 65,536).
fn small_whole_span(values: &[f64]) -> Option<(f64, usize)> {
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in values {
        if !v.is_finite() || v.fract() != 0.0 {
            return None;
        }
        min = min.min(v);
        max = max.max(v);
    }
    let span = max - min;
    let limit = (4 * values.len()).max(1 << 16) as f64;
    (span >= 0.0 && span <= limit).then_some((min, span as usize))
}

/// The `k`-th largest of `values` (k from 1), reordering them; `None` when k is out of range.
pub fn kth_largest(values: &mut [i64], k: usize) -> Option<i64> {
    let i = k.checked_sub(1).filter(|&i| i < values.len())?;
    Some(*values.select_nth_unstable_by(i, |a, b| b.cmp(a)).1)
}

/// The `k`-th smallest of `values` (k from 1), reordering them; `None` when k is out of range.
pub fn kth_smallest(values: &mut [i64], k: usize) -> Option<i64> {
    let i = k.checked_sub(1).filter(|&i| i < values.len())?;
    Some(*values.select_nth_unstable(i).1)
}

/// The median of `values` (the mean of the two middle ones for an even count), reordering them;
/// 0 for none. Selection, not a sort: the same number a sort would give.
pub fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    let (left, &mut upper, _) = values.select_nth_unstable_by(n / 2, |a, b| a.total_cmp(b));
    if n % 2 == 1 {
        return upper;
    }
    let lower = left.iter().copied().max_by(|a, b| a.total_cmp(b)).unwrap_or(upper);
    (lower + upper) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// The scores of the comparison sort the counting and radix paths replace.
    fn quintiles_by_sorting(values: &[f64]) -> Vec<u8> {
        let n = values.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let mut scores = vec![0u8; n];
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j + 1 < n && values[order[j + 1]] == values[order[i]] {
                j += 1;
            }
            for &k in &order[i..=j] {
                scores[k] = (1 + (5 * i / n) as u8).min(5);
            }
            i = j + 1;
        }
        scores
    }

    #[test]
    fn quintiles_agree_with_sorting_on_small_and_large_values() {
        let mut rng = Rng::new(11);
        for round in 0..40 {
            let n = 1 + (rng.next_u64() % 3000) as usize;
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    let r = rng.next_u64();
                    match round % 4 {
                        // Days and visits: small whole numbers, negative too (−recency), ±0.
                        0 => -((r % 800) as f64),
                        1 => (r % 12) as f64,
                        // Money: a wide span, many ties.
                        2 => ((r % 50) as i64 * 1_000_003 - 7_000_000) as f64,
                        _ => (r as f64 / u64::MAX as f64 - 0.5) * 1e9,
                    }
                })
                .collect();
            assert_eq!(quintile_scores(&values), quintiles_by_sorting(&values), "round {round}");
        }
        let odd = [0.0, -0.0, f64::NAN, 1e300, -1e300, 0.5, f64::INFINITY, 3.0, 3.0];
        assert_eq!(quintile_scores(&odd), quintiles_by_sorting(&odd));
    }

    #[test]
    fn radix_sort_is_a_stable_sort() {
        let mut rng = Rng::new(3);
        let items: Vec<(i64, u32)> = (0..5000).map(|i| ((rng.next_u64() % 300) as i64 * 70_001 - 9_000_000, i)).collect();
        let mut by_radix = items.clone();
        radix_sort_by_key(&mut by_radix, |it| i64_key(it.0));
        let mut by_std = items;
        by_std.sort_by_key(|it| it.0);
        assert_eq!(by_radix, by_std);
        let mut floats: Vec<f64> = vec![3.5, -0.0, 0.0, -2.0, f64::INFINITY, -1e-300, 1e300];
        radix_sort_by_key(&mut floats, |&v| total_order_key(v));
        assert_eq!(floats.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), [-2.0, -1e-300, -0.0, 0.0, 3.5, 1e300, f64::INFINITY].iter().map(|v: &f64| v.to_bits()).collect::<Vec<_>>());
    }

    #[test]
    fn selection_gives_the_sorted_ranks() {
        let v = [5i64, -3, 9, 9, 0, 7];
        assert_eq!(kth_largest(&mut v.clone(), 1), Some(9));
        assert_eq!(kth_largest(&mut v.clone(), 3), Some(7));
        assert_eq!(kth_smallest(&mut v.clone(), 2), Some(0));
        assert_eq!(kth_largest(&mut v.clone(), 0), None);
        assert_eq!(kth_smallest(&mut v.clone(), 7), None);
        assert_eq!(median(&mut [4.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 10.0]), 3.5);
        assert_eq!(median(&mut []), 0.0);
    }
}
