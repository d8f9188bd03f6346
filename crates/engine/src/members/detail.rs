//! One member's detail: attributes, summary, segments, predictions and history.

use serde::{Deserialize, Serialize};

use super::mask_phone;
use crate::analysis::Classified;
use crate::dates::{format_day, format_month, month_key, month_start, Day};
use crate::model::Dataset;
use crate::models::bgnbd::{BgNbdParams, History};
use crate::overview::MAX_MONTHS;
use crate::predict::Risk;
use crate::pyramid::{LayerKey, Quadrant};
use crate::segments::{CnRfmClass, Lifecycle, RfmSegment, ValueGroup};
use crate::summary::{days_between, MemberSummary, Summaries};

/// Everything about one member: attributes, summary, segments and predictions, with P(alive)
/// at the end of each month of their history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberDetail {
    pub id: String,
    pub name: String,
    pub phone_masked: String,
    pub tier: String,
    pub store: String,
    pub join_date: Option<String>,
    /// The member's history as of the analysis date (days since 1970-01-01, cents).
    pub summary: MemberSummary,
    /// The summary's figures counted to the analysis date D: days since the last purchase, since
    /// the first purchase or joining, and BG/NBD's T (days since the first purchase; 0 without).
    pub recency_days: Option<i32>,
    pub tenure_days: Option<i32>,
    pub t: i32,
    pub rfm: [u8; 3],
    pub rfm_segment: Option<RfmSegment>,
    pub cn_rfm: Option<CnRfmClass>,
    pub groups: Vec<ValueGroup>,
    pub lifecycle: Option<Lifecycle>,
    pub layer: Option<LayerKey>,
    pub quadrant: Option<Quadrant>,
    /// Predictions, when the model is trusted.
    pub p_alive: Option<f64>,
    pub expected_purchases: Option<f64>,
    pub p_no_purchase: Option<f64>,
    pub risk: Option<Risk>,
    pub value_12m_cents: Option<i64>,
    /// The expected next visit (`2026-11-20`), for members likely still customers.
    pub next_visit: Option<String>,
    /// (month end, P(alive) as of that day) from the first purchase to the analysis date.
    pub p_alive_history: Vec<(String, f64)>,
    /// Purchase days (`2026-03-05`), for the history chart.
    pub purchase_dates: Vec<String>,
}

/// P(alive) as of the end of each month from the first purchase's to the analysis date's (the
/// last point is as of the analysis date itself). `days`: the member's purchase days up to the
/// analysis date, ascending and distinct, the first being `first`. A point that is not a finite
/// probability is left out.
fn p_alive_by_month(params: &BgNbdParams, days: &[Day], first: Day, analysis_day: Day) -> Vec<(String, f64)> {
    let mut history = Vec::new();
    let last_month = month_key(analysis_day);
    // A history longer than any real one (a data set built by hand) shows its last months.
    for k in month_key(first).max(last_month - (MAX_MONTHS - 1))..=last_month {
        let as_of = month_start(k + 1).saturating_sub(1).min(analysis_day);
        let seen = days.partition_point(|&d| d <= as_of);
        let Some(&last_seen) = days.get(seen.wrapping_sub(1)) else { continue };
        let h = History { x: (seen - 1) as f64, t_x: days_between(first, last_seen) as f64, t: days_between(first, as_of) as f64 };
        let p = params.conditional_probability_alive(&h);
        if (0.0..=1.0).contains(&p) {
            history.push((format_month(k), p));
        }
    }
    history
}

/// One member's detail; `None` for an unknown id.
pub fn detail(
    ds: &Dataset,
    sums: &Summaries,
    c: &Classified,
    model: Option<&BgNbdParams>,
    id: &str,
) -> Option<MemberDetail> {
    let m = ds.find_member(&crate::import::values::normalize_id(id))? as usize;
    let s = sums.members.get(m)?;
    let l = &c.labels;
    let p = c.predictions.get(m);
    // The member's purchase days (sales of zero or more), up to and including the analysis day.
    let tx = &ds.transactions;
    let mut days: Vec<i32> = (0..tx.len())
        .filter(|&r| {
            tx.member[r] == m as u32 && tx.kind[r].is_purchase(tx.amount_cents[r]) && tx.day[r] <= sums.analysis_day
        })
        .map(|r| tx.day[r])
        .collect();
    days.sort_unstable();
    days.dedup();
    let history = match (model.filter(|_| p.is_some()), days.first()) {
        (Some(params), Some(&first)) => p_alive_by_month(params, &days, first, sums.analysis_day),
        _ => Vec::new(),
    };
    Some(MemberDetail {
        id: ds.members.id(m).to_string(),
        name: ds.members.name(m).to_string(),
        phone_masked: mask_phone(ds.members.phone(m)),
        tier: ds.tiers.label(ds.members.tier(m)),
        store: ds.stores.label(ds.members.store(m)),
        join_date: ds.members.join_day(m).map(format_day),
        summary: *s,
        recency_days: s.recency_days(sums.analysis_day),
        tenure_days: s.tenure_days(sums.analysis_day),
        t: s.t(sums.analysis_day),
        rfm: [l.r[m], l.f[m], l.m[m]],
        rfm_segment: RfmSegment::ALL.get(l.rfm_segment[m] as usize).copied(),
        cn_rfm: CnRfmClass::ALL.get(l.cn_class[m] as usize).copied(),
        groups: ValueGroup::ALL.iter().copied().filter(|g| l.groups[m] & g.bit() != 0).collect(),
        lifecycle: Lifecycle::ALL.get(l.lifecycle[m] as usize).copied(),
        layer: LayerKey::from_index(c.layer[m]),
        quadrant: Quadrant::ALL.get(c.quadrant[m] as usize).copied(),
        p_alive: p.map(|p| p.p_alive),
        expected_purchases: p.map(|p| p.expected_purchases),
        p_no_purchase: p.map(|p| p.p_no_purchase),
        risk: p.and_then(|p| Risk::from_index(p.risk)),
        value_12m_cents: p.and_then(|p| p.value_12m_cents),
        next_visit: p.and_then(|p| p.next_visit_days).map(|d| format_day(sums.analysis_day.saturating_add(d.round() as i32))),
        p_alive_history: history,
        purchase_dates: days.iter().map(|&d| format_day(d)).collect(),
    })
}

#[cfg(test)]
mod detail_tests {
    use super::*;
    use crate::analysis::analyse;
    use crate::demo::{generate, DemoSpec};
    use crate::settings::Settings;

    #[test]
    fn a_members_detail_agrees_with_the_lists_and_the_model() {
        let ds = generate(&DemoSpec { members: 600, ..Default::default() });
        let c = analyse(&ds, None, true, &Settings::default());
        let params = c.analysis.predictions.bgnbd.as_ref().map(|f| f.params);
        let top = list(&ds, &c.summaries, &c.classified, &MemberFilter::All, 0, 1).rows.remove(0);
        let d = detail(&ds, &c.summaries, &c.classified, params.as_ref(), &top.id).unwrap();
        assert_eq!((d.id.as_str(), d.summary.net_cents, d.summary.purchase_days), (top.id.as_str(), top.net_cents, top.purchase_days));
        assert_eq!(d.purchase_dates.len() as u32, d.summary.purchase_days);
        assert_eq!(d.p_alive, top.p_alive);
        // The last point of the history is P(alive) as of the analysis date.
        let last = d.p_alive_history.last().unwrap().1;
        assert!((last - d.p_alive.unwrap()).abs() < 1e-12);
        assert_eq!(d.p_alive_history.first().unwrap().0, format_day(d.summary.first_day().unwrap())[..7]);
        assert!(detail(&ds, &c.summaries, &c.classified, params.as_ref(), "no such id").is_none());
    }
}
