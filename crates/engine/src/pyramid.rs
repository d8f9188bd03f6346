//! Value concentration: the member pyramid (A/B/C/D by value, with each layer's revenue share),
//! the Pareto (Lorenz) curve and its Gini; the four quadrants of frequency × spend; and tiers
//! with the members whose behaviour no longer fits their tier.

use serde::{Deserialize, Serialize};

use super::model::{Dataset, NONE16};
use super::segments::rank::{self, i64_key, radix_sort_by_key};
use super::settings::{PyramidBasis, Settings};
use super::summary::{clamp_cents, in_window, sum_cents, MemberSummary, Summaries};

mod tier_rank;
pub use tier_rank::tier_rank;

/// Layer index of a member with no value (never bought).
pub const NO_LAYER: u8 = u8::MAX;

/// A pyramid layer, from the top: A (the most valuable), B, C, D.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LayerKey {
    #[default]
    A,
    B,
    C,
    D,
}

impl LayerKey {
    pub const ALL: [LayerKey; 4] = [LayerKey::A, LayerKey::B, LayerKey::C, LayerKey::D];

    /// From a per-member layer index; `None` for [`NO_LAYER`].
    pub fn from_index(i: u8) -> Option<LayerKey> {
        LayerKey::ALL.get(i as usize).copied()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    pub key: LayerKey,
    pub members: u32,
    pub revenue_cents: i64,
    /// Share of the ranked members' total value (0..=1).
    pub revenue_share: f64,
    /// Least value in the layer, in cents.
    pub min_value_cents: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pyramid {
    pub layers: Vec<Layer>,
    /// Members ranked (buyers).
    pub ranked: u32,
    /// Lorenz curve from the top: (share of members, share of value), from (0,0) to (1,1).
    pub pareto: Vec<(f64, f64)>,
    pub gini: f64,
    /// Share of value bought by the top 20% of members.
    pub top20_share: f64,
}

/// A buyer's value on the pyramid's basis.
pub fn value_of(s: &MemberSummary, basis: PyramidBasis) -> i64 {
    match basis {
        PyramidBasis::Spend12m => s.spend_12m_cents,
        PyramidBasis::LifetimeSpend => s.net_cents,
    }
}

/// Gini of non-negative values: 0 when everyone buys the same, → 1 when one member buys all.
pub fn gini(values: &[i64]) -> f64 {
    let mut v: Vec<f64> = values.iter().map(|&x| x.max(0) as f64).collect();
    let n = v.len();
    let total: f64 = v.iter().sum();
    if n == 0 || total <= 0.0 {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    // G = (2 Σ i·x_i) / (n Σ x) − (n + 1) / n, with i = 1..n over ascending values.
    let weighted: f64 = v.iter().enumerate().map(|(i, x)| (i + 1) as f64 * x).sum();
    2.0 * weighted / (n as f64 * total) - (n as f64 + 1.0) / n as f64
}

/// [`gini`] of values already in descending order (no second sort): the same sums in the same
/// order.
fn gini_of_descending(values: impl DoubleEndedIterator<Item = i64> + ExactSizeIterator + Clone) -> f64 {
    let n = values.len();
    let total: f64 = values.clone().map(|x| x.max(0) as f64).sum();
    if n == 0 || total <= 0.0 {
        return 0.0;
    }
    let weighted: f64 = values.rev().enumerate().map(|(i, x)| (i + 1) as f64 * x.max(0) as f64).sum();
    2.0 * weighted / (n as f64 * total) - (n as f64 + 1.0) / n as f64
}

/// The buyers ranked by value, highest first, ties in member order. Where the values leave
/// room for a member index in 64 bits (below ¥40 billion a member with 4 million members), each
/// buyer is one packed number: 16 bytes a buyer at the sort's peak, where (member, value) pairs
/// took 32; otherwise pairs.
enum Ranked {
    /// `(MAX − value) << bits | member`, ascending.
    Packed { keys: Vec<u64>, bits: u32 },
    Pairs(Vec<(u32, i64)>),
}

impl Ranked {
    fn of(ms: &[MemberSummary], basis: PyramidBasis) -> Self {
        let buyers = || {
            ms.iter().enumerate().filter(|(_, s)| s.purchase_days > 0).map(move |(i, s)| (i as u32, value_of(s, basis).max(0)))
        };
        // Bits for a member index (indexes are u32).
        let bits = (u64::BITS - (ms.len() as u64).leading_zeros()).clamp(1, 32);
        let room = u64::MAX >> bits;
        if buyers().all(|(_, v)| v as u64 <= room) {
            let mut keys: Vec<u64> = buyers().map(|(i, v)| ((room - v as u64) << bits) | i as u64).collect();
            radix_sort_by_key(&mut keys, |&k| k);
            return Ranked::Packed { keys, bits };
        }
        let mut pairs: Vec<(u32, i64)> = buyers().collect();
        radix_sort_by_key(&mut pairs, |r| !i64_key(r.1));
        Ranked::Pairs(pairs)
    }

    fn len(&self) -> usize {
        match self {
            Ranked::Packed { keys, .. } => keys.len(),
            Ranked::Pairs(pairs) => pairs.len(),
        }
    }

    /// The `k`-th buyer from the top: (member, value); `(0, 0)` past the end.
    fn get(&self, k: usize) -> (u32, i64) {
        match self {
            Ranked::Packed { keys, bits } => keys.get(k).map_or((0, 0), |&key| {
                let room = u64::MAX >> bits;
                ((key & ((1u64 << bits) - 1)) as u32, (room - (key >> bits)) as i64)
            }),
            Ranked::Pairs(pairs) => pairs.get(k).copied().unwrap_or((0, 0)),
        }
    }

    /// Buyers `range` of the ranking, from the top.
    fn slice(&self, range: std::ops::Range<usize>) -> impl DoubleEndedIterator<Item = (u32, i64)> + ExactSizeIterator + Clone + '_ {
        range.map(move |k| self.get(k))
    }
}

/// The pyramid of the buyers; returns per-member layer indexes (0 = A … 3 = D).
pub fn pyramid(sums: &Summaries, settings: &Settings) -> (Pyramid, Vec<u8>) {
    let ms = &sums.members;
    let ranked = Ranked::of(ms, settings.pyramid_basis);
    let n = ranked.len();
    let total: i128 = ranked.slice(0..n).map(|r| r.1 as i128).sum();
    let mut layer_of = vec![NO_LAYER; ms.len()];
    let mut bounds = Vec::new();
    let mut acc = 0.0;
    for share in settings.pyramid_shares {
        acc += share;
        bounds.push(((n as f64 * acc).round() as usize).min(n));
    }
    bounds.push(n);
    let mut layers = Vec::new();
    let mut start = 0;
    for (li, &end) in bounds.iter().enumerate() {
        let slice = ranked.slice(start..end.max(start));
        let revenue: i128 = slice.clone().map(|r| r.1 as i128).sum();
        for r in slice.clone() {
            layer_of[r.0 as usize] = li as u8;
        }
        layers.push(Layer {
            key: LayerKey::ALL[li.min(3)],
            members: slice.len() as u32,
            revenue_cents: clamp_cents(revenue),
            revenue_share: if total > 0 { revenue as f64 / total as f64 } else { 0.0 },
            min_value_cents: slice.last().map_or(0, |r| r.1),
        });
        start = end.max(start);
    }
    // Lorenz from the top, at most 101 points.
    let mut pareto = vec![(0.0, 0.0)];
    if n > 0 && total > 0 {
        let step = (n / 100).max(1);
        let mut cum = 0i128;
        for (k, r) in ranked.slice(0..n).enumerate() {
            cum += r.1 as i128;
            if (k + 1) % step == 0 || k + 1 == n {
                pareto.push(((k + 1) as f64 / n as f64, cum as f64 / total as f64));
            }
        }
    }
    let top20 = ((n as f64 * 0.2).round() as usize).min(n);
    let top20_total: i128 = ranked.slice(0..top20).map(|r| r.1 as i128).sum();
    let top20_share = if total > 0 { top20_total as f64 / total as f64 } else { 0.0 };
    let gini = gini_of_descending(ranked.slice(0..n).map(|r| r.1));
    (Pyramid { layers, ranked: n as u32, pareto, gini, top20_share }, layer_of)
}

/// The four quadrants of DOMAIN.md.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    #[default]
    /// 知己: high frequency, high spend.
    TrueFriend,
    /// 蝴蝶: low frequency, high spend.
    Butterfly,
    /// 藤壶: high frequency, low spend.
    Barnacle,
    /// 过客: low frequency, low spend.
    Stranger,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [Quadrant::TrueFriend, Quadrant::Butterfly, Quadrant::Barnacle, Quadrant::Stranger];

    pub fn key(self) -> &'static str {
        match self {
            Quadrant::TrueFriend => "true_friend",
            Quadrant::Butterfly => "butterfly",
            Quadrant::Barnacle => "barnacle",
            Quadrant::Stranger => "stranger",
        }
    }

    pub fn of(frequent: bool, big: bool) -> Quadrant {
        match (frequent, big) {
            (true, true) => Quadrant::TrueFriend,
            (false, true) => Quadrant::Butterfly,
            (true, false) => Quadrant::Barnacle,
            (false, false) => Quadrant::Stranger,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuadrantStat {
    pub key: Quadrant,
    pub members: u32,
    pub revenue_cents: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quadrants {
    pub period_days: i32,
    /// The cuts used: high means above them.
    pub frequency_cut: f64,
    pub spend_cut_cents: i64,
    pub quadrants: Vec<QuadrantStat>,
    /// Up to 2,000 (orders, spend in cents) points for the scatter, evenly sampled.
    pub points: Vec<(u32, i64)>,
}

/// The mean of some cents, as a number (0 for none).
fn mean_cents(values: &[i64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().map(|&v| v as i128).sum::<i128>() as f64 / values.len() as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    rank::median(&mut v)
}

/// Frequency and spend over the quadrant period of each member with an order in it: (member,
/// orders, spend in cents), in member order. The summary has 12-month figures (read without a
/// copy per member); other periods come from the transactions.
fn period_figures(ds: &Dataset, sums: &Summaries, days: i32) -> Vec<(u32, u32, i64)> {
    let active = |(i, (orders, spend)): (usize, (u32, i64))| (orders > 0).then_some((i as u32, orders, spend));
    if days == super::summary::DAYS_12M {
        return sums.members.iter().map(|s| (s.orders_12m, s.spend_12m_cents)).enumerate().filter_map(active).collect();
    }
    let mut out = vec![(0u32, 0i64); ds.members.len()];
    let tx = &ds.transactions;
    for r in 0..tx.len() {
        let (m, day) = (tx.member[r], tx.day[r]);
        if !in_window(day, sums.analysis_day, days) || tx.kind[r] == super::model::TxKind::TopUp {
            continue;
        }
        // Walk-ins (and any index past the members) have no entry.
        let Some(e) = out.get_mut(m as usize) else { continue };
        if tx.kind[r].is_paid_order(tx.amount_cents[r]) {
            e.0 += 1;
        }
        e.1 = e.1.saturating_add(tx.amount_cents[r]);
    }
    out.into_iter().enumerate().filter_map(active).collect()
}

pub const NO_QUADRANT: u8 = u8::MAX;

/// The four quadrants; returns per-member quadrant indexes.
///
/// Warehouse member summaries ([`Dataset::precomputed`]) hold the 12-month figures only (the
/// 6-month spend is not in them): any other quadrant period falls back to 12 months, and
/// [`Quadrants::period_days`] says 365 so the page shows the period used.
pub fn quadrants(ds: &Dataset, sums: &Summaries, settings: &Settings) -> (Quadrants, Vec<u8>) {
    let period_days = if ds.precomputed.is_some() { super::summary::DAYS_12M } else { settings.quadrant_days };
    let active = period_figures(ds, sums, period_days);
    // A cut that is not a finite number (never valid) counts as no cut: the median.
    let f_cut = settings.quadrant_frequency_cut.filter(|c| c.is_finite()).unwrap_or_else(|| median(active.iter().map(|a| a.1 as f64).collect()));
    let m_cut = settings
        .quadrant_spend_cut_cents
        .unwrap_or_else(|| median(active.iter().map(|a| a.2 as f64).collect()).round() as i64);
    // Indexed like the figures' source: the summaries, or the members for another period.
    let n = if period_days == super::summary::DAYS_12M { sums.members.len() } else { ds.members.len() };
    let mut of = vec![NO_QUADRANT; n];
    let mut stats: Vec<QuadrantStat> = Quadrant::ALL.iter().map(|q| QuadrantStat { key: *q, ..Default::default() }).collect();
    for &(i, orders, spend) in &active {
        let q = Quadrant::of(orders as f64 > f_cut, spend > m_cut);
        if let Some(slot) = of.get_mut(i as usize) {
            *slot = q as u8;
        }
        stats[q as usize].members += 1;
        stats[q as usize].revenue_cents = stats[q as usize].revenue_cents.saturating_add(spend);
    }
    let step = (active.len() / 2000).max(1);
    let points = active.iter().step_by(step).map(|&(_, orders, spend)| (orders, spend)).collect();
    (
        Quadrants { period_days, frequency_cut: f_cut, spend_cut_cents: m_cut, quadrants: stats, points },
        of,
    )
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TierStat {
    pub tier: String,
    pub members: u32,
    pub spend_12m_cents: i64,
    pub mean_spend_12m_cents: f64,
    /// The 12-month spend members of this tier are expected to show (the rule in force).
    pub bar_cents: i64,
    /// Members whose spend reaches the bar of a higher tier.
    pub upgrade_candidates: u32,
    /// Members whose spend is under their own tier's bar.
    pub downgrade_candidates: u32,
}

/// A member's fit with their tier (per member as `u8`: [`TIER_FITS`], [`TIER_UPGRADE`],
/// [`TIER_DOWNGRADE`]).
pub const TIER_FITS: u8 = 0;
pub const TIER_UPGRADE: u8 = 1;
pub const TIER_DOWNGRADE: u8 = 2;

/// Members whose spend does not fit their tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierFit {
    /// Spend reaches the bar of a higher tier.
    Upgrade,
    /// Spend is under their own tier's bar.
    Downgrade,
}

impl TierFit {
    pub fn from_index(i: u8) -> Option<TierFit> {
        match i {
            TIER_UPGRADE => Some(TierFit::Upgrade),
            TIER_DOWNGRADE => Some(TierFit::Downgrade),
            _ => None,
        }
    }
}

/// Each member's 12-month spend, grouped by their tier (indexed like [`Dataset::tiers`]).
fn spend_by_tier(ds: &Dataset, sums: &Summaries) -> Vec<Vec<i64>> {
    let mut by_tier: Vec<Vec<i64>> = vec![Vec::new(); ds.tiers.len()];
    for i in 0..ds.members.len() {
        let t = ds.members.tier(i);
        if let (Some(list), Some(s)) = (by_tier.get_mut(t as usize), sums.members.get(i)) {
            list.push(s.spend_12m_cents);
        }
    }
    by_tier
}

/// Each tier's bar from the members' spends: the user's rule (least 12-month spend) for the
/// tier's name, else the tier's median 12-month spend.
fn bars_of(ds: &Dataset, spend_by_tier: &[Vec<i64>], settings: &Settings) -> Vec<i64> {
    let bar = |t: usize| -> i64 {
        let name = ds.tiers.name(t as u16).unwrap_or("");
        match settings.tier_min_spend_cents.iter().find(|(n, _)| n == name) {
            Some((_, v)) => *v,
            None => median(spend_by_tier[t].iter().map(|&v| v as f64).collect()).round() as i64,
        }
    };
    (0..spend_by_tier.len()).map(bar).collect()
}

/// Tier indexes (of `names`, indexed like [`Dataset::tiers`]) from the lowest tier to the
/// highest. The tiers named in `user_order` (the user's order, lowest first) come in that order;
/// the others keep their place in the default order: by [`tier_rank`] when every tier's name
/// has a rank (ties by bar), else by the bars (today's spend rule). Each tier takes one slot of
/// the default order; the slots of the user's tiers are refilled in the user's order.
pub fn tier_order(names: &[String], bars: &[i64], user_order: &[String]) -> Vec<usize> {
    let n = names.len().min(bars.len());
    let mut order: Vec<usize> = (0..n).collect();
    let ranks: Option<Vec<u32>> = names[..n].iter().map(|name| tier_rank(name)).collect();
    match ranks {
        Some(ranks) => order.sort_by_key(|&t| (ranks[t], bars[t], t)),
        None => order.sort_by_key(|&t| (bars[t], t)),
    }
    let user_position = |t: usize| user_order.iter().position(|u| *u == names[t]);
    let mut by_user: Vec<usize> = order.iter().copied().filter(|&t| user_position(t).is_some()).collect();
    by_user.sort_by_key(|&t| user_position(t));
    let mut by_user = by_user.into_iter();
    for slot in order.iter_mut() {
        if user_position(*slot).is_some() {
            *slot = by_user.next().unwrap_or(*slot);
        }
    }
    order
}

/// The tiers in [`tier_order`] for a data set and settings, with each tier's bar.
pub fn tier_ladder(ds: &Dataset, sums: &Summaries, settings: &Settings) -> (Vec<i64>, Vec<usize>) {
    let bars = tier_bars(ds, sums, settings);
    let order = tier_order(ds.tiers.names(), &bars, &settings.tier_order);
    (bars, order)
}

/// The bars [`tiers`] judges members by, indexed like [`Dataset::tiers`] (for the work lists'
/// reasons: which tier a member's spend fits).
pub fn tier_bars(ds: &Dataset, sums: &Summaries, settings: &Settings) -> Vec<i64> {
    bars_of(ds, &spend_by_tier(ds, sums), settings)
}

/// Whether a member of the tier at `k` in `order` (of [`tier_order`]) spending
/// `spend_12m_cents` fits it, is an upgrade or a downgrade candidate.
fn fit_at(bars: &[i64], order: &[usize], k: usize, spend_12m_cents: i64) -> u8 {
    let bar_at = |k: usize| order.get(k).and_then(|&t| bars.get(t)).copied();
    let (Some(own), next, below) = (bar_at(k), bar_at(k + 1), k.checked_sub(1).and_then(bar_at)) else { return TIER_FITS };
    if next.is_some_and(|next| spend_12m_cents >= next && next > own) {
        TIER_UPGRADE
    } else if below.is_some_and(|below| spend_12m_cents < own && spend_12m_cents < below.max(1)) {
        // Spending like the tier below: under that tier's bar too.
        TIER_DOWNGRADE
    } else {
        TIER_FITS
    }
}

/// The tier the 12-month spend of a member of `tier` fits: for an upgrade candidate, climbing
/// `order` from their tier while the spend reaches the next tier's bar; for a downgrade
/// candidate, going down from it while the spend is under the tier's bar (at least the lowest
/// tier); else their tier. `None` for a tier not in `order`.
pub fn tier_fitting(bars: &[i64], order: &[usize], tier: usize, spend_12m_cents: i64) -> Option<usize> {
    let mut k = order.iter().position(|&t| t == tier)?;
    let bar_at = |k: usize| order.get(k).and_then(|&t| bars.get(t)).copied();
    match fit_at(bars, order, k, spend_12m_cents) {
        TIER_UPGRADE => {
            while bar_at(k + 1).is_some_and(|next| spend_12m_cents >= next) {
                k += 1;
            }
        }
        TIER_DOWNGRADE => {
            while k > 0 && bar_at(k).is_some_and(|own| spend_12m_cents < own) {
                k -= 1;
            }
        }
        _ => {}
    }
    order.get(k).copied()
}

/// Tier figures, ordered from the lowest tier to the highest ([`tier_order`]); per member,
/// fits / upgrade / downgrade.
pub fn tiers(ds: &Dataset, sums: &Summaries, settings: &Settings) -> (Vec<TierStat>, Vec<u8>) {
    let n_tiers = ds.tiers.len();
    let mut fit = vec![TIER_FITS; ds.members.len()];
    if n_tiers == 0 {
        return (Vec::new(), fit);
    }
    let spend_by_tier = spend_by_tier(ds, sums);
    let bars = bars_of(ds, &spend_by_tier, settings);
    let order = tier_order(ds.tiers.names(), &bars, &settings.tier_order);
    let rank_of: Vec<usize> = {
        let mut r = vec![0; n_tiers];
        for (k, &t) in order.iter().enumerate() {
            r[t] = k;
        }
        r
    };
    let mut stats: Vec<TierStat> = order
        .iter()
        .map(|&t| TierStat {
            tier: ds.tiers.name(t as u16).unwrap_or("").to_string(),
            members: spend_by_tier[t].len() as u32,
            spend_12m_cents: sum_cents(spend_by_tier[t].iter().copied()),
            mean_spend_12m_cents: mean_cents(&spend_by_tier[t]),
            bar_cents: bars[t],
            ..Default::default()
        })
        .collect();
    for (i, t) in (0..ds.members.len()).map(|i| (i, ds.members.tier(i))) {
        if t == NONE16 {
            continue;
        }
        let (Some(&k), Some(m)) = (rank_of.get(t as usize), sums.members.get(i)) else { continue };
        let f = fit_at(&bars, &order, k, m.spend_12m_cents);
        fit[i] = f;
        if let Some(stat) = stats.get_mut(k) {
            stat.upgrade_candidates += (f == TIER_UPGRADE) as u32;
            stat.downgrade_candidates += (f == TIER_DOWNGRADE) as u32;
        }
    }
    (stats, fit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MemberRecord;

    fn sums_with(spend_12m: &[i64]) -> Summaries {
        let members = spend_12m
            .iter()
            .map(|&s| MemberSummary { purchase_days: 1, spend_12m_cents: s, net_cents: s, orders_12m: 1, ..Default::default() })
            .collect();
        Summaries { analysis_day: 1000, members, category_counts: vec![], n_categories: 0 }
    }

    #[test]
    fn gini_by_hand() {
        assert_eq!(gini(&[5, 5, 5, 5]), 0.0);
        // One of four buys everything: G = 2·4·x/(4x) − 5/4 = 0.75.
        assert!((gini(&[0, 0, 0, 100]) - 0.75).abs() < 1e-12);
        // 1,2,3,4: Σ i·x = 1+4+9+16 = 30; G = 60/40 − 5/4 = 0.25.
        assert!((gini(&[4, 1, 3, 2]) - 0.25).abs() < 1e-12);
        assert_eq!(gini(&[]), 0.0);
    }

    /// The Gini of values already ranked (no second sort) is the Gini of the values.
    #[test]
    fn gini_of_ranked_values_is_the_gini() {
        let mut v: Vec<i64> = (0..997).map(|i| (i * 7919 % 1000) as i64 - 50).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(gini_of_descending(v.iter().copied()).to_bits(), gini(&v).to_bits());
        assert_eq!(gini_of_descending(std::iter::empty()), 0.0);
    }

    /// Buyers rank by value, highest first, ties in member order, whether value and member are
    /// packed in one number (values that leave room) or not (values too large for that);
    /// members who never bought are not ranked and negative values count as zero.
    #[test]
    fn buyers_rank_by_value_then_member_packed_or_not() {
        for big in [false, true] {
            let unit: i64 = if big { 1 << 55 } else { 1000 };
            let mut sums = sums_with(&(0..500).map(|i| (i * 7919 % 97 - 5) * unit).collect::<Vec<i64>>());
            for s in sums.members.iter_mut().step_by(7) {
                s.purchase_days = 0;
            }
            let ms = &sums.members;
            let mut want: Vec<(u32, i64)> =
                (0..ms.len()).filter(|&i| ms[i].purchase_days > 0).map(|i| (i as u32, ms[i].spend_12m_cents.max(0))).collect();
            want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let ranked = Ranked::of(ms, PyramidBasis::Spend12m);
            assert_eq!(matches!(ranked, Ranked::Pairs(_)), big);
            assert_eq!(ranked.slice(0..ranked.len()).collect::<Vec<_>>(), want);
        }
    }

    /// Ten buyers spending 100, 90, …, 10 (total 550): A = top 1 (100 = 18.2%), B = next 2
    /// (90 + 80 = 170), C = next 3 (70 + 60 + 50 = 180), D = last 4 (40 + 30 + 20 + 10 = 100).
    #[test]
    fn pyramid_by_hand() {
        let spend: Vec<i64> = (1..=10).rev().map(|k| k * 10).collect();
        let (p, layer_of) = pyramid(&sums_with(&spend), &Settings::default());
        let got: Vec<(u32, i64)> = p.layers.iter().map(|l| (l.members, l.revenue_cents)).collect();
        assert_eq!(got, vec![(1, 100), (2, 170), (3, 180), (4, 100)]);
        assert!((p.layers[0].revenue_share - 100.0 / 550.0).abs() < 1e-12);
        assert_eq!(layer_of, vec![0, 1, 1, 2, 2, 2, 3, 3, 3, 3]);
        // Top 20% = 2 members: 190 / 550.
        assert!((p.top20_share - 190.0 / 550.0).abs() < 1e-12);
        assert_eq!(p.pareto.first(), Some(&(0.0, 0.0)));
        assert_eq!(p.pareto.last(), Some(&(1.0, 1.0)));
        assert_eq!(p.pareto.len(), 11);
    }

    /// Orders (12 months) 1, 2, 3, 4, 5 and spend 500, 100, 400, 200, 300: medians 3 and 300.
    /// High = above the median: (1,500) butterfly, (2,100) stranger, (3,400) butterfly,
    /// (4,200) barnacle, (5,300) barnacle (5 > 3 is frequent; 300 is not above 300).
    #[test]
    fn quadrants_by_hand() {
        let mut sums = sums_with(&[500, 100, 400, 200, 300]);
        for (i, m) in sums.members.iter_mut().enumerate() {
            m.orders_12m = i as u32 + 1;
        }
        let mut ds = Dataset::new("t");
        for i in 0..5 {
            ds.add_member(MemberRecord { id: i.to_string(), ..Default::default() });
        }
        let (q, of) = quadrants(&ds, &sums, &Settings::default());
        assert_eq!((q.frequency_cut, q.spend_cut_cents), (3.0, 300));
        use Quadrant::*;
        assert_eq!(of, vec![Butterfly as u8, Stranger as u8, Butterfly as u8, Barnacle as u8, Barnacle as u8]);
        let counts: Vec<u32> = q.quadrants.iter().map(|s| s.members).collect();
        assert_eq!(counts, vec![0, 2, 2, 1]);
        // A chosen cut replaces the median.
        let s = Settings { quadrant_frequency_cut: Some(1.0), quadrant_spend_cut_cents: Some(150), ..Default::default() };
        let (_, of) = quadrants(&ds, &sums, &s);
        assert_eq!(of, vec![Butterfly as u8, Barnacle as u8, TrueFriend as u8, TrueFriend as u8, TrueFriend as u8]);
    }

    /// 银卡 members spend 100, 200, 300 (median 200); 金卡 members 600, 50, 700 (median 600).
    /// Silver 300 < 600: fits. Gold 50 < 600 and < 200: downgrade. Silver 200… fits.
    /// With a rule 金卡 ≥ 250: silver 300 is an upgrade candidate.
    #[test]
    fn tiers_by_hand() {
        let mut ds = Dataset::new("t");
        let names = ["银卡", "银卡", "银卡", "金卡", "金卡", "金卡"];
        for (i, t) in names.iter().enumerate() {
            ds.add_member(MemberRecord { id: i.to_string(), tier: Some(t.to_string()), ..Default::default() });
        }
        let sums = sums_with(&[100, 200, 300, 600, 50, 700]);
        let (stats, fit) = tiers(&ds, &sums, &Settings::default());
        assert_eq!(stats.iter().map(|s| s.tier.as_str()).collect::<Vec<_>>(), vec!["银卡", "金卡"]);
        assert_eq!(stats.iter().map(|s| s.bar_cents).collect::<Vec<_>>(), vec![200, 600]);
        assert_eq!(fit, vec![TIER_FITS, TIER_FITS, TIER_FITS, TIER_FITS, TIER_DOWNGRADE, TIER_FITS]);
        let s = Settings { tier_min_spend_cents: vec![("金卡".into(), 250)], ..Default::default() };
        let (stats, fit) = tiers(&ds, &sums, &s);
        assert_eq!(fit[2], TIER_UPGRADE);
        assert_eq!(stats[0].upgrade_candidates, 1);
    }
}
