//! The member list behind every chart: a filter (a segment, layer, quadrant, state, cohort cell
//! …) and a page of rows, sorted by spend. The page asks, the worker answers.

use serde::{Deserialize, Serialize};

use super::analysis::Classified;
use super::dates::format_day;
use super::model::{Dataset, NONE16};
use super::pyramid::{Quadrant, TIER_DOWNGRADE, TIER_UPGRADE};
use super::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};
use super::summary::Summaries;

/// Which members to list. Keys are the ones the analyses report (`champions`, `A`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "key", rename_all = "snake_case")]
pub enum MemberFilter {
    All,
    Rfm(String),
    CnRfm(String),
    Group(String),
    Layer(String),
    Quadrant(String),
    Lifecycle(String),
    /// `upgrade` or `downgrade` candidates.
    TierFit(String),
    /// A cohort cell: first-purchase month `YYYY-MM` and the month offset.
    Cohort(String, u16),
    /// A churn-risk band: `low`, `medium`, `high`.
    Risk(String),
    /// Pyramid layers A and B at high risk: can't lose them.
    HighValueHighRisk,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    /// `138****0001`: shown masked; the full number is revealed on request.
    pub phone_masked: String,
    pub tier: String,
    pub last_purchase: String,
    pub recency_days: Option<i32>,
    pub purchase_days: u32,
    pub net_cents: i64,
    pub spend_12m_cents: i64,
    /// `R F M` scores, `0 0 0` for members who never bought.
    pub rfm: String,
    pub segment: String,
    /// P(alive) and churn risk band, when the model is trusted.
    pub p_alive: Option<f64>,
    pub risk: Option<String>,
    pub value_12m_cents: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberPage {
    pub filter: MemberFilter,
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<MemberRow>,
}

/// `13812345678` → `138****5678`; short numbers keep only their last two digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n >= 7 => format!("{}****{}", chars[..3].iter().collect::<String>(), chars[n - 4..].iter().collect::<String>()),
        n => format!("{}{}", "*".repeat(n.saturating_sub(2)), chars[n.saturating_sub(2)..].iter().collect::<String>()),
    }
}

fn matches(filter: &MemberFilter, c: &Classified, i: usize) -> bool {
    let l = &c.labels;
    match filter {
        MemberFilter::All => true,
        MemberFilter::Rfm(k) => RfmSegment::from_key(k).is_some_and(|s| l.rfm_segment[i] == s as u8),
        MemberFilter::CnRfm(k) => CnRfmClass::from_key(k).is_some_and(|s| l.cn_class[i] == s as u8),
        MemberFilter::Group(k) => ValueGroup::from_key(k).is_some_and(|g| l.groups[i] & g.bit() != 0),
        MemberFilter::Lifecycle(k) => Lifecycle::from_key(k).is_some_and(|s| l.lifecycle[i] == s as u8),
        MemberFilter::Layer(k) => ["A", "B", "C", "D"].iter().position(|x| x == k).is_some_and(|p| c.layer[i] == p as u8),
        MemberFilter::Quadrant(k) => Quadrant::ALL.iter().find(|q| q.key() == k).is_some_and(|q| c.quadrant[i] == *q as u8),
        MemberFilter::TierFit(k) => match k.as_str() {
            "upgrade" => c.tier_fit[i] == TIER_UPGRADE,
            "downgrade" => c.tier_fit[i] == TIER_DOWNGRADE,
            _ => false,
        },
        MemberFilter::Risk(k) => {
            super::predict::RISK_KEYS.iter().position(|x| x == k).is_some_and(|p| c.predictions[i].risk == p as u8)
        }
        MemberFilter::HighValueHighRisk => c.predictions[i].risk == 2 && c.layer[i] <= 1,
        MemberFilter::Cohort(month, offset) => {
            c.first_month[i].is_some_and(|f| super::dates::format_month(f) == *month) && c.active_offsets[i].contains(offset)
        }
    }
}

/// The members matching `filter`, highest lifetime spend first, rows `offset .. offset + limit`.
pub fn list(ds: &Dataset, sums: &Summaries, c: &Classified, filter: &MemberFilter, offset: u32, limit: u32) -> MemberPage {
    let ms = &sums.members;
    let mut idx: Vec<usize> = (0..ms.len()).filter(|&i| matches(filter, c, i)).collect();
    idx.sort_by(|&a, &b| ms[b].net_cents.cmp(&ms[a].net_cents).then(a.cmp(&b)));
    let total = idx.len() as u32;
    let rows = idx
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|&i| {
            let s = &ms[i];
            let seg = c.labels.rfm_segment[i];
            MemberRow {
                id: ds.members.id[i].clone(),
                name: ds.members.name[i].clone(),
                phone_masked: mask_phone(&ds.members.phone[i]),
                tier: match ds.members.tier[i] {
                    NONE16 => String::new(),
                    t => ds.tiers.name(t).unwrap_or("").to_string(),
                },
                last_purchase: s.last_day.map(format_day).unwrap_or_default(),
                recency_days: s.recency_days,
                purchase_days: s.purchase_days,
                net_cents: s.net_cents,
                spend_12m_cents: s.spend_12m_cents,
                rfm: format!("{} {} {}", c.labels.r[i], c.labels.f[i], c.labels.m[i]),
                segment: RfmSegment::ALL.get(seg as usize).map(|s| s.key().to_string()).unwrap_or_default(),
                p_alive: (c.predictions[i].risk != super::predict::NO_RISK).then_some(c.predictions[i].p_alive),
                risk: super::predict::RISK_KEYS.get(c.predictions[i].risk as usize).map(|k| k.to_string()),
                value_12m_cents: c.predictions[i].value_12m_cents,
            }
        })
        .collect();
    MemberPage { filter: filter.clone(), total, offset, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::analysis::analyse;
    use crate::engine::demo::{generate, DemoSpec};
    use crate::engine::settings::Settings;

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone(""), "");
    }

    /// Every filter lists exactly as many members as the analysis counts for it.
    #[test]
    fn lists_agree_with_the_counts() {
        let ds = generate(&DemoSpec { members: 600, ..Default::default() });
        let c = analyse(&ds, None, true, &Settings::default());
        let a = &c.analysis;
        let count = |f: MemberFilter| list(&ds, &c.summaries, &c.classified, &f, 0, 10).total;
        for s in &a.segments.rfm {
            assert_eq!(count(MemberFilter::Rfm(s.key.clone())), s.members, "{}", s.key);
        }
        for s in &a.segments.cn_rfm {
            assert_eq!(count(MemberFilter::CnRfm(s.key.clone())), s.members, "{}", s.key);
        }
        for s in &a.segments.groups {
            assert_eq!(count(MemberFilter::Group(s.key.clone())), s.members, "{}", s.key);
        }
        for s in &a.segments.lifecycle {
            assert_eq!(count(MemberFilter::Lifecycle(s.key.clone())), s.members, "{}", s.key);
        }
        for l in &a.pyramid.layers {
            assert_eq!(count(MemberFilter::Layer(l.key.clone())), l.members, "{}", l.key);
        }
        for q in &a.quadrants.quadrants {
            assert_eq!(count(MemberFilter::Quadrant(q.key.clone())), q.members, "{}", q.key);
        }
        let up: u32 = a.tiers.iter().map(|t| t.upgrade_candidates).sum();
        assert_eq!(count(MemberFilter::TierFit("upgrade".into())), up);
        let cohort = &a.churn.cohorts[0];
        for (k, share) in cohort.retention.iter().enumerate().take(6) {
            let n = count(MemberFilter::Cohort(cohort.month.clone(), k as u16));
            assert_eq!(n, (share * cohort.members as f64).round() as u32);
        }
        assert_eq!(count(MemberFilter::All), ds.members.len() as u32);
        for b in &a.predictions.risk_bands {
            assert_eq!(count(MemberFilter::Risk(b.key.clone())), b.members, "{}", b.key);
        }
        assert_eq!(count(MemberFilter::HighValueHighRisk), a.predictions.high_value_high_risk);
        // Sorted by spend, paged.
        let page = list(&ds, &c.summaries, &c.classified, &MemberFilter::All, 5, 3);
        assert_eq!(page.rows.len(), 3);
        assert!(page.rows[0].net_cents >= page.rows[2].net_cents);
        assert!(page.rows.iter().all(|r| r.phone_masked.contains("****")));
    }
}
