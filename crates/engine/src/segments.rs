//! Who is who: RFM scores and their two named schemes, the seven value groups of a jewellery
//! chain's practice, and each member's lifecycle state. Computed once per analysis into
//! per-member labels (for filtering the member list) and per-segment figures (for the pages).

use serde::{Deserialize, Serialize};

use super::dates::Day;
use super::settings::Settings;
use super::summary::{clamp_cents, no_purchase_within, within_days, MemberSummary, Summaries, DAYS_12M, DAYS_6M};

pub mod rank;
pub use rank::quintile_scores;

macro_rules! keyed_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Stable name (translations, the automation interface).
            pub fn key(self) -> &'static str { match self { $($name::$variant => $key),+ } }
            pub fn from_key(key: &str) -> Option<$name> { Self::ALL.iter().copied().find(|v| v.key() == key) }
            pub fn index(self) -> usize { self as usize }
        }
    };
}

keyed_enum! {
    /// The usual named RFM segments, from the R score and the mean of the F and M scores.
    RfmSegment {
        Champions = "champions",
        Loyal = "loyal",
        PotentialLoyalist = "potential_loyalist",
        New = "new",
        Promising = "promising",
        NeedAttention = "need_attention",
        AboutToSleep = "about_to_sleep",
        AtRisk = "at_risk",
        CantLose = "cant_lose",
        Hibernating = "hibernating",
        Lost = "lost",
    }
}

impl RfmSegment {
    /// The segment of an R score and an FM score (both 1–5); every pair has exactly one.
    pub fn of(r: u8, fm: u8) -> RfmSegment {
        use RfmSegment::*;
        // One row of the grid per R score; FM picks the column.
        match r {
            5 => match fm {
                4..=5 => Champions,
                2..=3 => PotentialLoyalist,
                _ => New,
            },
            4 => match fm {
                4..=5 => Loyal,
                2..=3 => PotentialLoyalist,
                _ => Promising,
            },
            3 => match fm {
                4..=5 => Loyal,
                3 => NeedAttention,
                _ => AboutToSleep,
            },
            2 => match fm {
                5 => CantLose,
                3..=4 => AtRisk,
                _ => Hibernating,
            },
            _ => match fm {
                5 => CantLose,
                3..=4 => AtRisk,
                _ => Lost,
            },
        }
    }
}

keyed_enum! {
    /// The Chinese 8-class RFM: R, F and M each high (↑) or low (↓) against the buyers' mean;
    /// R↑ means recent.
    CnRfmClass {
        ImportantValue = "important_value",
        ImportantDevelop = "important_develop",
        ImportantKeep = "important_keep",
        ImportantRetain = "important_retain",
        GeneralValue = "general_value",
        GeneralDevelop = "general_develop",
        GeneralKeep = "general_keep",
        GeneralRetain = "general_retain",
    }
}

impl CnRfmClass {
    pub fn of(recent: bool, frequent: bool, big: bool) -> CnRfmClass {
        use CnRfmClass::*;
        match (big, recent, frequent) {
            (true, true, true) => ImportantValue,
            (true, true, false) => ImportantDevelop,
            (true, false, true) => ImportantKeep,
            (true, false, false) => ImportantRetain,
            (false, true, true) => GeneralValue,
            (false, true, false) => GeneralDevelop,
            (false, false, true) => GeneralKeep,
            (false, false, false) => GeneralRetain,
        }
    }

    /// 重要价值客户 …: the name the sources use.
    pub fn chinese_name(self) -> &'static str {
        use CnRfmClass::*;
        match self {
            ImportantValue => "重要价值客户",
            ImportantDevelop => "重要发展客户",
            ImportantKeep => "重要保持客户",
            ImportantRetain => "重要挽留客户",
            GeneralValue => "一般价值客户",
            GeneralDevelop => "一般发展客户",
            GeneralKeep => "一般保持客户",
            GeneralRetain => "一般挽留客户",
        }
    }
}

keyed_enum! {
    /// The value groups (会员分组); a member can be in several.
    ValueGroup {
        HighSpend = "high_spend",
        HighTicket = "high_ticket",
        Loyal = "loyal",
        BargainRegular = "bargain_regular",
        BargainDrifter = "bargain_drifter",
        Silent = "silent",
        Sleeping = "sleeping",
    }
}

impl ValueGroup {
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

keyed_enum! {
    /// Where a member is in their life with the store (one state each).
    Lifecycle {
        New = "new",
        Active = "active",
        Silent = "silent",
        Sleeping = "sleeping",
        Lost = "lost",
        NeverBought = "never_bought",
    }
}

/// No label (a member who never bought has no RFM segment).
pub const NO_LABEL: u8 = u8::MAX;

/// Per-member labels, indexed like the members.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    pub r: Vec<u8>,
    pub f: Vec<u8>,
    pub m: Vec<u8>,
    pub rfm_segment: Vec<u8>,
    pub cn_class: Vec<u8>,
    /// [`ValueGroup::bit`]s.
    pub groups: Vec<u8>,
    pub lifecycle: Vec<u8>,
}

/// One segment's figures for the pages; `K` is the scheme ([`RfmSegment`], [`CnRfmClass`],
/// [`ValueGroup`], [`Lifecycle`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentStat<K> {
    pub key: K,
    pub members: u32,
    /// Share of the members the scheme covers (buyers for RFM, all members for lifecycle).
    pub share: f64,
    /// Net spend over the whole history, in cents.
    pub revenue_cents: i64,
    pub revenue_12m_cents: i64,
    pub mean_recency_days: f64,
    pub mean_frequency: f64,
    pub mean_monetary_cents: f64,
}

/// One cell of the recency × frequency heat map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub r: u8,
    pub f: u8,
    pub members: u32,
    pub mean_monetary_cents: f64,
}

/// The numbers the group rules came to on this data (shown next to each rule).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupThresholds {
    /// Least 12-month spend of the high-spend group, in cents.
    pub high_spend_min_cents: i64,
    /// The store's average ticket, in cents (high ticket is a multiple of it).
    pub store_avg_ticket_cents: i64,
    pub loyal_spend_min_cents: i64,
    pub bargain_regular_min_promo_cents: i64,
    pub bargain_drifter_max_spend_cents: i64,
    /// Buyers' mean recency (days), frequency (purchase days) and spend (cents): the cuts of the
    /// Chinese 8-class RFM.
    pub mean_recency_days: f64,
    pub mean_frequency: f64,
    pub mean_monetary_cents: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Segments {
    pub buyers: u32,
    pub rfm: Vec<SegmentStat<RfmSegment>>,
    pub rfm_grid: Vec<GridCell>,
    pub cn_rfm: Vec<SegmentStat<CnRfmClass>>,
    pub groups: Vec<SegmentStat<ValueGroup>>,
    pub lifecycle: Vec<SegmentStat<Lifecycle>>,
    pub thresholds: GroupThresholds,
}

/// Each key of a scheme with its sums, as the page's figures.
fn finish<K: Copy>(keys: &[K], acc: Vec<StatSums>, total: usize) -> Vec<SegmentStat<K>> {
    keys.iter().zip(acc).map(|(&k, a)| a.stat(k, total)).collect()
}

/// Running sums behind one [`SegmentStat`].
#[derive(Clone, Copy, Default)]
struct StatSums {
    members: u32,
    revenue: i128,
    revenue_12m: i128,
    recency: f64,
    frequency: f64,
    monetary: f64,
}

impl StatSums {
    fn add(&mut self, s: &MemberSummary, analysis_day: Day) {
        self.members += 1;
        self.revenue += s.net_cents as i128;
        self.revenue_12m += s.spend_12m_cents as i128;
        self.recency += s.recency_days(analysis_day).unwrap_or(0) as f64;
        self.frequency += s.purchase_days as f64;
        self.monetary += s.net_cents as f64;
    }

    fn stat<K>(self, key: K, total: usize) -> SegmentStat<K> {
        let k = self.members.max(1) as f64;
        SegmentStat {
            key,
            members: self.members,
            share: if total > 0 { self.members as f64 / total as f64 } else { 0.0 },
            revenue_cents: clamp_cents(self.revenue),
            revenue_12m_cents: clamp_cents(self.revenue_12m),
            mean_recency_days: self.recency / k,
            mean_frequency: self.frequency / k,
            mean_monetary_cents: self.monetary / k,
        }
    }
}

/// How many of `len` values a share takes (at least one).
fn share_count(len: usize, share: f64) -> usize {
    ((len as f64 * share).ceil() as usize).clamp(1, len)
}

/// The value at which the top `share` of `values` starts (ties with it included), or `None`
/// when there is nothing to rank. Reorders `values`.
fn top_share_min(values: &mut [i64], share: f64) -> Option<i64> {
    if values.is_empty() || share <= 0.0 {
        return None;
    }
    rank::kth_largest(values, share_count(values.len(), share))
}

fn bottom_share_max(values: &mut [i64], share: f64) -> Option<i64> {
    if values.is_empty() || share <= 0.0 {
        return None;
    }
    rank::kth_smallest(values, share_count(values.len(), share))
}

/// 睡眠会员: no purchase in the last `sleeping_days` (D − sleeping_days + 1 ..= D).
pub fn is_sleeping(s: &MemberSummary, analysis_day: Day, settings: &Settings) -> bool {
    s.recency_days(analysis_day).is_some_and(|r| no_purchase_within(r, settings.sleeping_days))
}

/// Whether a member buys at under `ratio` of their usual rate in the last 6 months: their
/// purchases per half-year over their history (a year at least) against the last half-year.
/// Both periods count their days the same way, first and last included.
pub fn is_silent(s: &MemberSummary, analysis_day: Day, settings: &Settings) -> bool {
    let Some(tenure) = s.tenure_days(analysis_day) else { return false };
    let history_days = tenure.saturating_add(1).max(1);
    if s.orders == 0 || history_days < DAYS_12M || is_sleeping(s, analysis_day, settings) {
        return false;
    }
    let usual_per_half_year = s.orders as f64 * DAYS_6M as f64 / history_days as f64;
    (s.orders_6m as f64) < settings.silent_ratio * usual_per_half_year
}

pub fn lifecycle_of(s: &MemberSummary, analysis_day: Day, settings: &Settings) -> Lifecycle {
    match s.recency_days(analysis_day) {
        None => Lifecycle::NeverBought,
        Some(r) if no_purchase_within(r, settings.lost_days) => Lifecycle::Lost,
        Some(_) if is_sleeping(s, analysis_day, settings) => Lifecycle::Sleeping,
        Some(_) if within_days(s.t(analysis_day), settings.new_days) => Lifecycle::New,
        Some(_) if is_silent(s, analysis_day, settings) => Lifecycle::Silent,
        Some(_) => Lifecycle::Active,
    }
}

/// What the cuts of the segments need from the buyers, gathered in one pass over the summaries:
/// a summary is large, so each pass over them costs more than the work done on the way. The RFM
/// values are read again per score ([`rfm_column`]): held together, three columns of a float
/// per buyer were the largest part of the analysis' peak memory.
#[derive(Default)]
struct BuyerColumns {
    index: Vec<u32>,
    /// Positive 12-month spends.
    spend_12m: Vec<i64>,
    gross: i128,
    orders: i128,
    /// Promotion spend and net spend of the buyers who bought on promotion.
    promo: Vec<i64>,
    promo_net: Vec<i64>,
}

impl BuyerColumns {
    fn gather(ms: &[MemberSummary]) -> Self {
        // At most one buyer a member, reserved at once: a column grown by doubling holds up to
        // three times its size while it moves.
        let mut c = BuyerColumns { index: Vec::with_capacity(ms.len()), ..Default::default() };
        for (i, s) in ms.iter().enumerate().filter(|(_, s)| s.purchase_days > 0) {
            c.index.push(i as u32);
            if s.spend_12m_cents > 0 {
                c.spend_12m.push(s.spend_12m_cents);
            }
            c.gross += s.gross_cents as i128;
            c.orders += s.orders as i128;
            let promo = s.promo_cents;
            if promo > 0 {
                c.promo.push(promo);
                c.promo_net.push(s.net_cents);
            }
        }
        c
    }
}

/// The RFM values, by index in [`rfm_value`].
const RECENCY: usize = 0;
const FREQUENCY: usize = 1;
const MONETARY: usize = 2;

/// A buyer's RFM value: −recency (fewer days is better), purchase days or lifetime net spend.
fn rfm_value(s: &MemberSummary, analysis_day: Day, value: usize) -> f64 {
    match value {
        RECENCY => -(s.recency_days(analysis_day).unwrap_or(0) as f64),
        FREQUENCY => s.purchase_days as f64,
        _ => s.net_cents as f64,
    }
}

/// One RFM value of each buyer (`index`: the buyers), in their order.
fn rfm_column(ms: &[MemberSummary], index: &[u32], analysis_day: Day, value: usize) -> Vec<f64> {
    index.iter().map(|&i| ms.get(i as usize).map_or(0.0, |s| rfm_value(s, analysis_day, value))).collect()
}

/// The cuts of the value groups on this data.
struct GroupCuts {
    high_spend_min: Option<i64>,
    loyal_min: Option<i64>,
    store_avg_ticket: i64,
    bargain_regular_min: Option<i64>,
    bargain_drifter_max: Option<i64>,
}

impl GroupCuts {
    fn of(b: &mut BuyerColumns, settings: &Settings) -> Self {
        GroupCuts {
            high_spend_min: top_share_min(&mut b.spend_12m, settings.high_spend_share),
            loyal_min: top_share_min(&mut b.spend_12m, settings.loyal_spend_share),
            store_avg_ticket: if b.orders > 0 { clamp_cents(b.gross / b.orders) } else { 0 },
            bargain_regular_min: top_share_min(&mut b.promo, settings.bargain_regular_share),
            bargain_drifter_max: bottom_share_max(&mut b.promo_net, settings.bargain_drifter_share),
        }
    }

    /// A buyer's value groups ([`ValueGroup::bit`]s).
    fn groups_of(&self, s: &MemberSummary, analysis_day: Day, settings: &Settings) -> u8 {
        let mut g = 0u8;
        if self.high_spend_min.is_some_and(|t| s.spend_12m_cents > 0 && s.spend_12m_cents >= t) {
            g |= ValueGroup::HighSpend.bit();
        }
        if self.store_avg_ticket > 0 && s.avg_ticket_cents() as f64 >= settings.high_ticket_multiple * self.store_avg_ticket as f64 {
            g |= ValueGroup::HighTicket.bit();
        }
        // A gap of g days between visits reaches a recency of g − 1 at most, so "no gap over N"
        // is "never N days without a purchase", which for the open gap is recency < N.
        let steady = s.x() >= 1
            && s.longest_gap_days().is_some_and(|gap| gap <= settings.loyal_max_gap_days)
            && s.recency_days(analysis_day).is_some_and(|r| within_days(r, settings.loyal_max_gap_days));
        if steady && self.loyal_min.is_some_and(|t| s.spend_12m_cents > 0 && s.spend_12m_cents >= t) {
            g |= ValueGroup::Loyal.bit();
        }
        let promo = s.promo_cents;
        if promo > 0 {
            if self.bargain_regular_min.is_some_and(|t| promo >= t) {
                g |= ValueGroup::BargainRegular.bit();
            }
            if self.bargain_drifter_max.is_some_and(|t| s.net_cents <= t) {
                g |= ValueGroup::BargainDrifter.bit();
            }
        }
        if is_silent(s, analysis_day, settings) {
            g |= ValueGroup::Silent.bit();
        }
        if is_sleeping(s, analysis_day, settings) {
            g |= ValueGroup::Sleeping.bit();
        }
        g
    }
}

pub fn segment(sums: &Summaries, settings: &Settings) -> (Segments, Labels) {
    let ms = &sums.members;
    let d = sums.analysis_day;
    let n = ms.len();
    let mut labels = Labels {
        r: vec![0; n],
        f: vec![0; n],
        m: vec![0; n],
        rfm_segment: vec![NO_LABEL; n],
        cn_class: vec![NO_LABEL; n],
        groups: vec![0; n],
        lifecycle: vec![NO_LABEL; n],
    };
    let mut b = BuyerColumns::gather(ms);
    let buyers = b.index.len();
    // RFM over buyers: recency (fewer days is better), purchase days, lifetime net spend; the
    // scores and the buyers' means, one column at a time.
    let nb = buyers.max(1) as f64;
    let mut means = [0.0; 3];
    for (value, mean) in means.iter_mut().enumerate() {
        let column = rfm_column(ms, &b.index, d, value);
        let scores = quintile_scores(&column);
        *mean = column.iter().sum::<f64>() / nb;
        let label = match value {
            RECENCY => &mut labels.r,
            FREQUENCY => &mut labels.f,
            _ => &mut labels.m,
        };
        for (&i, &score) in b.index.iter().zip(&scores) {
            label[i as usize] = score;
        }
    }
    // The recency column is −recency (a higher score is more recent): its mean is −the mean.
    let [mean_r, mean_f, mean_m] = [-means[RECENCY], means[FREQUENCY], means[MONETARY]];
    for &i in &b.index {
        let i = i as usize;
        let (r, f, m) = (labels.r[i], labels.f[i], labels.m[i]);
        let fm = ((f as f64 + m as f64) / 2.0).round() as u8;
        labels.rfm_segment[i] = RfmSegment::of(r, fm) as u8;
        let [recency, frequency, monetary] = [RECENCY, FREQUENCY, MONETARY].map(|v| rfm_value(&ms[i], d, v));
        labels.cn_class[i] = CnRfmClass::of(-recency < mean_r, frequency > mean_f, monetary > mean_m) as u8;
    }
    let cuts = GroupCuts::of(&mut b, settings);
    drop(b);

    // One pass over the members: value groups, lifecycle, and every scheme's sums (a scan per
    // segment was 55 scans).
    let mut rfm_acc = vec![StatSums::default(); RfmSegment::ALL.len()];
    let mut cn_acc = vec![StatSums::default(); CnRfmClass::ALL.len()];
    let mut group_acc = vec![StatSums::default(); ValueGroup::ALL.len()];
    let mut life_acc = vec![StatSums::default(); Lifecycle::ALL.len()];
    let mut grid = vec![(0u32, 0f64); 25];
    let mut members_by_d = 0;
    for (i, s) in ms.iter().enumerate() {
        if s.purchase_days > 0 {
            labels.groups[i] = cuts.groups_of(s, d, settings);
        }
        // Members who join after D have no state as of D (not "never bought").
        labels.lifecycle[i] = if s.not_yet() { NO_LABEL } else { lifecycle_of(s, d, settings) as u8 };
        members_by_d += !s.not_yet() as usize;
        let add = |acc: &mut Vec<StatSums>, k: u8| {
            if let Some(a) = acc.get_mut(k as usize) {
                a.add(s, d);
            }
        };
        add(&mut rfm_acc, labels.rfm_segment[i]);
        add(&mut cn_acc, labels.cn_class[i]);
        add(&mut life_acc, labels.lifecycle[i]);
        for g in ValueGroup::ALL {
            if labels.groups[i] & g.bit() != 0 {
                group_acc[g.index()].add(s, d);
            }
        }
        let (r, f) = (labels.r[i], labels.f[i]);
        if (1..=5).contains(&r) && (1..=5).contains(&f) {
            let cell = &mut grid[(r as usize - 1) * 5 + f as usize - 1];
            cell.0 += 1;
            cell.1 += s.net_cents as f64;
        }
    }
    let rfm = finish(RfmSegment::ALL, rfm_acc, buyers);
    let cn_rfm = finish(CnRfmClass::ALL, cn_acc, buyers);
    let groups = finish(ValueGroup::ALL, group_acc, buyers);
    let lifecycle = finish(Lifecycle::ALL, life_acc, members_by_d);
    let rfm_grid = (0..25)
        .map(|c| {
            let (members, sum) = grid[c];
            let mean = if members == 0 { 0.0 } else { sum / members as f64 };
            GridCell { r: 1 + (c / 5) as u8, f: 1 + (c % 5) as u8, members, mean_monetary_cents: mean }
        })
        .collect();
    let thresholds = GroupThresholds {
        high_spend_min_cents: cuts.high_spend_min.unwrap_or(0),
        store_avg_ticket_cents: cuts.store_avg_ticket,
        loyal_spend_min_cents: cuts.loyal_min.unwrap_or(0),
        bargain_regular_min_promo_cents: cuts.bargain_regular_min.unwrap_or(0),
        bargain_drifter_max_spend_cents: cuts.bargain_drifter_max.unwrap_or(0),
        mean_recency_days: mean_r,
        mean_frequency: mean_f,
        mean_monetary_cents: mean_m,
    };
    (Segments { buyers: buyers as u32, rfm, rfm_grid, cn_rfm, groups, lifecycle, thresholds }, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_keep_ties_together() {
        // Ten values: ranks 0..9 → scores 1,1,2,2,3,3,4,4,5,5; the three 7s share rank 4's score.
        let v = [1.0, 2.0, 3.0, 4.0, 7.0, 7.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(quintile_scores(&v), vec![1, 1, 2, 2, 3, 3, 3, 4, 5, 5]);
        // Half the members on the same value: all of them score 1.
        let v = [1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_eq!(quintile_scores(&v), vec![1, 1, 1, 1, 1, 3, 4, 4, 5, 5]);
        assert_eq!(quintile_scores(&[]), Vec::<u8>::new());
        assert_eq!(quintile_scores(&[3.0]), vec![1]);
    }

    #[test]
    fn every_score_pair_has_one_segment() {
        use RfmSegment::*;
        let grid: Vec<Vec<RfmSegment>> = (1..=5).rev().map(|r| (1..=5).map(|fm| RfmSegment::of(r, fm)).collect()).collect();
        assert_eq!(
            grid,
            vec![
                vec![New, PotentialLoyalist, PotentialLoyalist, Champions, Champions],
                vec![Promising, PotentialLoyalist, PotentialLoyalist, Loyal, Loyal],
                vec![AboutToSleep, AboutToSleep, NeedAttention, Loyal, Loyal],
                vec![Hibernating, Hibernating, AtRisk, AtRisk, CantLose],
                vec![Lost, Lost, AtRisk, AtRisk, CantLose],
            ]
        );
        for s in RfmSegment::ALL {
            assert!(grid.iter().flatten().any(|x| x == s), "{s:?} reachable");
        }
    }

    /// The analysis date of the hand-made summaries.
    const D: Day = 1000;

    /// A buyer whose first purchase (and start) was `t` days before [`D`], the last `recency`.
    fn bought(t: i32, recency: i32) -> MemberSummary {
        MemberSummary { first: D - t, last: D - recency, start: D - t, ..Default::default() }
    }

    fn member(recency: i32, purchase_days: u32, net: i64, spend_12m: i64) -> MemberSummary {
        MemberSummary {
            purchase_days,
            orders: purchase_days,
            net_cents: net,
            gross_cents: net,
            spend_12m_cents: spend_12m,
            ..bought(1000, recency)
        }
    }

    /// Five buyers and one member who never bought, worked out by hand:
    /// recency 10, 20, 400, 800, 30 days; purchase days 10, 2, 5, 1, 1; net ¥1000, ¥200, ¥800,
    /// ¥50, ¥100. Means: recency 252, frequency 3.8, spend ¥430.
    /// A: recent, frequent, big → 重要价值. B: recent, not frequent, small → 一般发展.
    /// C: not recent (400 > 252), frequent, big → 重要保持. D: not recent, not frequent, small →
    /// 一般挽留. E: recent, small, 1 day → 一般发展.
    #[test]
    fn chinese_classes_and_lifecycle_by_hand() {
        let mut ms = vec![
            member(10, 10, 100_000, 60_000),
            member(20, 2, 20_000, 20_000),
            member(400, 5, 80_000, 0),
            member(800, 1, 5_000, 0),
            member(30, 1, 10_000, 10_000),
            MemberSummary::default(),
        ];
        ms[4].first = D - 30; // first purchase 30 days ago: new
        // A and B bought in the last half-year at their usual rate (not silent).
        ms[0].orders_6m = 5;
        ms[1].orders_6m = 2;
        let sums = Summaries { analysis_day: D, members: ms, category_counts: vec![], n_categories: 0 };
        let (seg, labels) = segment(&sums, &Settings::default());
        use CnRfmClass::*;
        let classes: Vec<u8> = labels.cn_class.clone();
        assert_eq!(
            classes,
            vec![ImportantValue as u8, GeneralDevelop as u8, ImportantKeep as u8, GeneralRetain as u8, GeneralDevelop as u8, NO_LABEL]
        );
        assert_eq!(seg.buyers, 5);
        assert!((seg.thresholds.mean_recency_days - 252.0).abs() < 1e-9);
        assert!((seg.thresholds.mean_frequency - 3.8).abs() < 1e-9);
        use Lifecycle as L;
        assert_eq!(labels.lifecycle, vec![L::Active as u8, L::Active as u8, L::Sleeping as u8, L::Lost as u8, L::New as u8, L::NeverBought as u8]);
        let lc: Vec<u32> = seg.lifecycle.iter().map(|s| s.members).collect();
        assert_eq!(lc, vec![1, 2, 0, 1, 1, 1]);
        // Recency scores: E(30)… ranks by −recency ascending: D(−800)=0, C(−400)=1, E(−30)=2,
        // B(−20)=3, A(−10)=4 → scores 1, 1+5·1/5=2, 3, 4, 5.
        assert_eq!(labels.r[..5], [5, 4, 2, 1, 3]);
        // Value groups: 12-month spend > 0 for A, B, E; top 20% of 3 → 1 member: A (¥600).
        assert_eq!(seg.thresholds.high_spend_min_cents, 60_000);
        assert!(labels.groups[0] & ValueGroup::HighSpend.bit() != 0);
        assert!(labels.groups[1] & ValueGroup::HighSpend.bit() == 0);
        // Sleeping group: no purchase in 365 days: C and D.
        let sleeping: Vec<bool> = labels.groups.iter().map(|g| g & ValueGroup::Sleeping.bit() != 0).collect();
        assert_eq!(sleeping, vec![false, false, true, true, false, false]);
        // Store average ticket: gross 2150 over 19 orders = ¥113.15…; high ticket ≥ 2× = ¥226.3:
        // A (¥100/visit) no, B (¥100) no, C (¥160) no, D (¥50) no, E (¥100) no.
        assert_eq!(seg.thresholds.store_avg_ticket_cents, 215_000 / 19);
        assert!(labels.groups.iter().all(|g| g & ValueGroup::HighTicket.bit() == 0));
    }

    /// The thresholds at their edges with the default settings (new 90, sleeping 365, lost 730,
    /// loyal gap 180 days): "no purchase in N days" is none in D − N + 1 ..= D (recency ≥ N),
    /// "first purchase within N days" is one in those days (T < N).
    #[test]
    fn thresholds_agree_with_the_windows_at_their_edges() {
        let settings = Settings::default();
        // One purchase, `recency` days before D, the first `t` days before D.
        let buyer = |recency: i32, t: i32| MemberSummary { orders: 1, purchase_days: 1, ..bought(t, recency) };
        use Lifecycle as L;
        let life = |s: MemberSummary| lifecycle_of(&s, D, &settings);
        assert_eq!(life(buyer(365, 365)), L::Sleeping);
        // Bought on D − 364, the first day of the 12 months: not sleeping; one order in a year
        // and none in the last half-year is under half the usual rate.
        assert_eq!(life(buyer(364, 364)), L::Silent);
        assert!(is_sleeping(&buyer(365, 365), D, &settings) && !is_sleeping(&buyer(364, 364), D, &settings));
        assert_eq!(life(buyer(730, 730)), L::Lost);
        assert_eq!(life(buyer(729, 729)), L::Sleeping);
        assert_eq!(life(buyer(89, 89)), L::New);
        assert_eq!(life(buyer(0, 89)), L::New);
        // First purchase D − 90: 91 days of history, not within the 90 days; too new for silent.
        assert_eq!(life(buyer(90, 90)), L::Active);

        // Silent needs a year of history: T = 364 is 365 days with D, T = 363 only 364.
        let quiet = |tenure: i32| MemberSummary { orders: 2, orders_6m: 0, ..bought(tenure, 300) };
        assert!(is_silent(&quiet(364), D, &settings) && !is_silent(&quiet(363), D, &settings));

        // Loyal: gaps of at most 180 days, and not 180 days without a purchase since the last.
        let steady = |recency: i32| MemberSummary {
            longest_gap: 180,
            spend_12m_cents: 10_000,
            net_cents: 10_000,
            gross_cents: 10_000,
            orders: 2,
            orders_6m: 1,
            purchase_days: 2,
            ..bought(500, recency)
        };
        let sums = Summaries { analysis_day: D, members: vec![steady(179), steady(180)], category_counts: vec![], n_categories: 0 };
        let (_, labels) = segment(&sums, &settings);
        let loyal: Vec<bool> = labels.groups.iter().map(|g| g & ValueGroup::Loyal.bit() != 0).collect();
        assert_eq!(loyal, vec![true, false]);
    }

    #[test]
    fn silent_means_buying_at_under_half_the_usual_rate() {
        let settings = Settings::default();
        // 20 orders over 730 days = 5 per half-year; 2 in the last half-year < 2.5 → silent.
        let mut s = MemberSummary { orders: 20, orders_6m: 2, ..bought(730, 100) };
        assert!(is_silent(&s, D, &settings));
        s.orders_6m = 3;
        assert!(!is_silent(&s, D, &settings));
        // Too new to tell.
        s = MemberSummary { orders: 20, orders_6m: 0, ..bought(200, 100) };
        assert!(!is_silent(&s, D, &settings));
    }
}
