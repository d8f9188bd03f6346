//! Predictions for every member from BG/NBD and Gamma-Gamma: P(alive), expected purchases,
//! churn risk (no purchase in the next `risk_days`), the expected next visit and the value of
//! the next 12 months; with the rules that decide whether the models can be trusted, and a
//! backtest on the data's own last months.
//!
//! Nothing that is not a finite number leaves here: a fit whose estimates or likelihood are not
//! finite is dropped and the models are not trusted ([`Distrust::NoConvergence`]); a backtest
//! that cannot be computed is absent with a [`NoBacktest`] reason.

use serde::{Deserialize, Serialize};

use super::dates::{format_day, Day};
use super::model::Dataset;
use super::models::bgnbd::{self, BgNbdFit, BgNbdParams, History};
use super::models::gamma_gamma::{self, GammaGammaFit, GammaGammaParams};
use super::settings::{Settings, MAX_DAYS, MAX_HOLDOUT_DAYS, MAX_RISK_DAYS};
use super::summary::{days_between, MemberSummary, RowsByMember, Summaries};

pub mod histories;
use histories::HistoryGroups;

/// Why the models are not trusted (the UI says it in words and shows no numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distrust {
    /// Fewer repeat buyers than `Settings::min_repeat_buyers` (the count is `repeat_buyers`).
    TooFewRepeatBuyers,
    NoConvergence,
    /// A parameter ran to the edge of its range: the data do not pin the model down.
    ParameterAtBound,
    /// The engine stopped before the predictions were done (the page sets this).
    NotComputed,
}

/// Churn-risk band: the chance of no purchase in the risk window, < 33% low, > 66% high.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    #[default]
    Low,
    Medium,
    High,
}

impl Risk {
    pub const ALL: [Risk; 3] = [Risk::Low, Risk::Medium, Risk::High];

    /// From [`MemberPrediction::risk`]; `None` for [`NO_RISK`].
    pub fn from_index(i: u8) -> Option<Risk> {
        Risk::ALL.get(i as usize).copied()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskBand {
    pub key: Risk,
    pub members: u32,
    pub revenue_12m_cents: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrequencyCheck {
    /// Calibration repeat purchases: `0` … `6`, `7+`.
    pub x: String,
    pub customers: u32,
    pub predicted_mean: f64,
    pub actual_mean: f64,
}

/// Why there is no backtest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoBacktest {
    /// No purchase before the held-out days: the data are shorter than the holdout.
    TooShort,
    /// The models fitted on the days before the holdout fail the trust rules (too few repeat
    /// buyers then, no convergence, a parameter at its bound) or give no finite prediction: a
    /// comparison with such a fit would say nothing.
    NoFit,
    /// The data are member summaries made elsewhere: checking predictions against held-out
    /// days needs the transactions (load them, or the summary of an earlier day and compare).
    NeedsTransactions,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// The last calibration day (the analysis date minus the held-out days); the holdout is the
    /// days after it up to and including the analysis date.
    pub calibration_end: String,
    pub holdout_days: i32,
    pub customers: u32,
    /// Whether the calibration fit itself passed the trust rules (always, now: without it there
    /// is no backtest but a [`NoBacktest::NoFit`]).
    pub trusted: bool,
    pub predicted_total: f64,
    pub actual_total: u64,
    pub by_frequency: Vec<FrequencyCheck>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Predictions {
    /// Still being computed: the page shows the rest of the dashboard meanwhile.
    #[serde(default)]
    pub pending: bool,
    /// Whether BG/NBD passed the trust rules; without it no prediction is shown.
    pub trusted: bool,
    /// Why not, when not trusted (the page says it in words).
    pub distrust: Option<Distrust>,
    pub repeat_buyers: u32,
    pub bgnbd: Option<BgNbdFit>,
    pub gamma_gamma: Option<GammaGammaFit>,
    /// Whether spend predictions (Gamma-Gamma) can be shown.
    pub value_trusted: bool,
    pub risk_days: i32,
    pub risk_bands: Vec<RiskBand>,
    /// Buyers by P(alive), in ten bins of 10%.
    pub p_alive_histogram: Vec<u32>,
    /// Sum over members of the expected purchases in the next `risk_days`.
    pub expected_purchases: f64,
    /// Sum over members of the discounted value of the next 12 months, in cents.
    pub predicted_value_12m_cents: i64,
    /// Members in pyramid layers A or B at high risk ("can't lose them").
    pub high_value_high_risk: u32,
    pub backtest: Option<Backtest>,
    /// Why `backtest` is absent (`None` while it is there or still pending).
    #[serde(default)]
    pub no_backtest: Option<NoBacktest>,
}

/// One member's predictions, as [`MemberPredictions::get`] reads them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MemberPrediction {
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub p_no_purchase: f64,
    /// 0 low, 1 medium, 2 high ([`Risk`] as u8).
    pub risk: u8,
    pub value_12m_cents: Option<i64>,
    /// Days from the analysis date to the expected next visit (for members likely alive).
    pub next_visit_days: Option<f64>,
}

/// The risk of a member without a prediction (no trusted model, no purchase, not made yet).
pub const NO_RISK: u8 = u8::MAX;

/// [`MemberPredictions`]' 12-month value of a member without one.
const NO_VALUE: i64 = i64::MIN;

/// What BG/NBD predicts for every member who has one history (x, t_x, T).
#[derive(Clone, Copy, Debug, PartialEq)]
struct HistoryPrediction {
    p_alive: f64,
    expected_purchases: f64,
    p_no_purchase: f64,
    risk: u8,
    next_visit_days: Option<f64>,
}

/// Every member's predictions, kept while the data set is loaded: 12 bytes a member (the
/// member's history group and 12-month value); the figures of BG/NBD are kept once per distinct
/// history. Empty (every member without a prediction) until the predictions are made, and when
/// the model is not trusted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberPredictions {
    /// Each member's index into `histories`, or [`histories::NO_GROUP`].
    group: Vec<u32>,
    histories: Vec<HistoryPrediction>,
    /// Each member's 12-month value in cents, or [`NO_VALUE`]; empty without a value model.
    value_12m_cents: Vec<i64>,
}

impl MemberPredictions {
    /// Member `m`'s predictions; `None` without one.
    pub fn get(&self, m: usize) -> Option<MemberPrediction> {
        let h = self.history(m)?;
        Some(MemberPrediction {
            p_alive: h.p_alive,
            expected_purchases: h.expected_purchases,
            p_no_purchase: h.p_no_purchase,
            risk: h.risk,
            value_12m_cents: self.value_12m_cents.get(m).copied().filter(|&v| v != NO_VALUE),
            next_visit_days: h.next_visit_days,
        })
    }

    fn history(&self, m: usize) -> Option<&HistoryPrediction> {
        self.group.get(m).and_then(|&g| self.histories.get(g as usize))
    }

    /// Member `m`'s risk band, [`NO_RISK`] without a prediction.
    pub fn risk(&self, m: usize) -> u8 {
        self.history(m).map_or(NO_RISK, |h| h.risk)
    }

    /// Whether no member has a prediction.
    pub fn is_empty(&self) -> bool {
        self.histories.is_empty()
    }

    /// Bytes held (for the benchmarks).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.group.capacity() * 4 + self.histories.capacity() * size_of::<HistoryPrediction>() + self.value_12m_cents.capacity() * 8
    }
}

/// "Can't lose them": pyramid layer A or B (`layer` 0 or 1) at high churn risk. The one rule
/// behind the Churn page's count and the member list's filter.
pub fn high_value_at_high_risk(layer: u8, risk: u8) -> bool {
    risk == Risk::High as u8 && layer <= 1
}

/// A member's BG/NBD history as of the analysis date.
pub fn history_of(s: &MemberSummary, analysis_day: Day) -> History {
    History { x: s.x() as f64, t_x: s.t_x() as f64, t: s.t(analysis_day) as f64 }
}

/// Whether a BG/NBD fit is usable at all: its estimates and likelihood are finite numbers.
fn bgnbd_is_finite(f: &BgNbdFit) -> bool {
    let p = f.params;
    [p.r, p.alpha, p.a, p.b, f.log_likelihood].iter().all(|v| v.is_finite())
}

fn gamma_gamma_is_finite(f: &GammaGammaFit) -> bool {
    let p = f.params;
    [p.p, p.q, p.gamma].iter().all(|v| v.is_finite())
}

fn judge(fit: &Option<BgNbdFit>, repeat_buyers: u32, settings: &Settings) -> Option<Distrust> {
    if repeat_buyers < settings.min_repeat_buyers {
        return Some(Distrust::TooFewRepeatBuyers);
    }
    let Some(f) = fit else { return Some(Distrust::TooFewRepeatBuyers) };
    if !f.converged || !bgnbd_is_finite(f) {
        return Some(Distrust::NoConvergence);
    }
    let p = f.params;
    if [p.r, p.alpha, p.a, p.b].iter().any(|v| *v < 1e-6 || *v > 1e6) {
        return Some(Distrust::ParameterAtBound);
    }
    None
}

/// Buyers grouped by history (x, t_x, T).
fn buyer_histories(sums: &Summaries) -> HistoryGroups {
    let (ms, d) = (&sums.members, sums.analysis_day);
    HistoryGroups::build(ms.len(), |m| ms.get(m).filter(|s| s.purchase_days > 0).map(|s| (s.x(), s.t_x(), s.t(d))))
}

/// BG/NBD fitted on the distinct histories; and the number of repeat buyers.
fn fit_groups(groups: &HistoryGroups) -> (Option<BgNbdFit>, u32) {
    (bgnbd::fit_groups(&groups.groups), groups.repeat_buyers())
}

fn risk_band(p_no_purchase: f64) -> u8 {
    if p_no_purchase < 0.33 {
        0
    } else if p_no_purchase > 0.66 {
        2
    } else {
        1
    }
}

/// Months of the 12-month value (30 days each).
const VALUE_MONTHS: usize = 12;

/// What BG/NBD says of one history: the same for every member who has it.
#[derive(Clone, Copy)]
struct HistoryFigures {
    p_alive: f64,
    expected: f64,
    p_none: f64,
    /// The 12-month value per cent of expected spend per purchase: Σ over the next 12 months
    /// (30 days each) of the expected purchases in the month ÷ (1 + d)^month.
    value_per_spend: f64,
}

/// The figures of one history from trusted BG/NBD estimates; `None` when one is not a finite
/// number (the caller then trusts nothing). The risk horizon and the 12 month ends are computed
/// in one pass of the series; `discounts` are (1 + d)^month.
fn history_figures(bg: &BgNbdParams, h: &History, horizon: f64, discounts: &[f64; VALUE_MONTHS]) -> Option<HistoryFigures> {
    let p_alive = bg.conditional_probability_alive(h);
    let mut times = [0.0; VALUE_MONTHS + 1];
    times[0] = horizon;
    for (month, t) in times[1..].iter_mut().enumerate() {
        *t = 30.0 * (month + 1) as f64;
    }
    let mut expected = [0.0; VALUE_MONTHS + 1];
    bg.conditional_expected_number_of_purchases_at_times(&times, h, &mut expected);
    let p_none = bg.probability_no_purchase(horizon, h);
    let is_probability = |p: f64| (0.0..=1.0).contains(&p);
    if !is_probability(p_alive) || !is_probability(p_none) || !expected[0].is_finite() || expected[0] < 0.0 {
        return None;
    }
    let mut value_per_spend = 0.0;
    let mut before = 0.0;
    for (&upto, &discount) in expected[1..].iter().zip(discounts) {
        value_per_spend += (upto - before) / discount;
        before = upto;
    }
    Some(HistoryFigures { p_alive, expected: expected[0], p_none, value_per_spend })
}

/// Whole cents of a value, when it is a finite number of them.
fn to_cents(value: f64) -> Option<i64> {
    let cents = value.round();
    (cents.is_finite() && cents.abs() < i64::MAX as f64).then_some(cents as i64)
}

impl HistoryPrediction {
    /// What is shown of a history from its figures: the risk band, and the expected next visit
    /// for members likely still customers, within a sensible horizon.
    fn of(bg: &BgNbdParams, f: &HistoryFigures, h: &History) -> Self {
        let next_visit_days = Some((bg.alpha + h.t) / (bg.r + h.x)).filter(|d| f.p_alive >= 0.5 && d.is_finite() && *d <= MAX_DAYS as f64);
        HistoryPrediction {
            p_alive: f.p_alive,
            expected_purchases: f.expected,
            p_no_purchase: f.p_none,
            risk: risk_band(f.p_none),
            next_visit_days,
        }
    }
}

/// One member's 12-month value in cents from their history's value per spend and (if usable)
/// Gamma-Gamma.
fn member_value(f: &HistoryFigures, gg: Option<&GammaGammaParams>, s: &MemberSummary) -> Option<i64> {
    let spend = gg.and_then(|g| g.conditional_expected_average_spend(s.x() as f64, s.mean_repeat_spend_cents()))?;
    Some(spend).filter(|m| m.is_finite()).and_then(|m| to_cents(m * f.value_per_spend))
}

/// Fits the models on the summaries and predicts every member. `layer` is the pyramid layer of
/// each member (for the high-value-at-high-risk count).
///
/// Members sharing a history (x, t_x, T) share every BG/NBD figure: those are computed and kept
/// once per distinct history.
pub fn predict(sums: &Summaries, layer: &[u8], settings: &Settings) -> (Predictions, MemberPredictions) {
    let histories = buyer_histories(sums);
    let (fit, repeat_buyers) = fit_groups(&histories);
    let distrust = judge(&fit, repeat_buyers, settings);
    let risk_days = settings.risk_days.clamp(1, MAX_RISK_DAYS);
    let base = |distrust: Option<Distrust>, fit: Option<BgNbdFit>| Predictions {
        trusted: distrust.is_none(),
        distrust,
        repeat_buyers,
        bgnbd: fit.filter(bgnbd_is_finite),
        risk_days,
        risk_bands: Risk::ALL.iter().map(|&key| RiskBand { key, ..Default::default() }).collect(),
        p_alive_histogram: vec![0; 10],
        ..Default::default()
    };
    let mut out = base(distrust, fit.clone());
    let (Some(f), None) = (&fit, distrust) else { return (out, MemberPredictions::default()) };
    let bg = f.params;
    // One entry per repeat buyer, reserved at once (collected from a filter, it grew by doubling).
    let mut gg_input: Vec<(f64, f64)> = Vec::with_capacity(repeat_buyers as usize);
    gg_input.extend(sums.members.iter().filter(|s| s.x() > 0).map(|s| (s.x() as f64, s.mean_repeat_spend_cents())));
    let gg = gamma_gamma::fit(&gg_input).filter(gamma_gamma_is_finite);
    drop(gg_input);
    let gg_params: Option<GammaGammaParams> =
        gg.as_ref().filter(|g| g.converged && g.params.q > 1.0).map(|g| g.params);
    out.value_trusted = gg_params.is_some();
    out.gamma_gamma = gg;
    let horizon = risk_days as f64;
    let discount = if settings.monthly_discount_rate.is_finite() { settings.monthly_discount_rate.max(0.0) } else { 0.0 };
    let mut discounts = [1.0; VALUE_MONTHS];
    for (month, d) in discounts.iter_mut().enumerate() {
        *d = (1.0 + discount).powi(month as i32 + 1);
    }
    // The figures of each distinct history (a few thousand, where members are hundreds of
    // thousands), then the members in their own order: reading the summaries in order is what
    // keeps this fast as members grow.
    let mut figures = Vec::with_capacity(histories.groups.len());
    let mut shown = Vec::with_capacity(histories.groups.len());
    for (h, _) in &histories.groups {
        let Some(f) = history_figures(&bg, h, horizon, &discounts) else {
            return (base(Some(Distrust::NoConvergence), None), MemberPredictions::default());
        };
        figures.push(f);
        shown.push(HistoryPrediction::of(&bg, &f, h));
    }
    let mut values = Vec::with_capacity(if gg_params.is_some() { sums.members.len() } else { 0 });
    for (i, (s, &g)) in sums.members.iter().zip(&histories.of_member).enumerate() {
        let (Some(f), Some(p)) = (figures.get(g as usize), shown.get(g as usize)) else {
            if gg_params.is_some() {
                values.push(NO_VALUE);
            }
            continue;
        };
        let value = member_value(f, gg_params.as_ref(), s);
        if gg_params.is_some() {
            values.push(value.unwrap_or(NO_VALUE));
        }
        out.p_alive_histogram[((p.p_alive * 10.0) as usize).min(9)] += 1;
        out.expected_purchases += p.expected_purchases;
        out.predicted_value_12m_cents = out.predicted_value_12m_cents.saturating_add(value.unwrap_or(0));
        let band = &mut out.risk_bands[p.risk as usize];
        band.members += 1;
        band.revenue_12m_cents = band.revenue_12m_cents.saturating_add(s.spend_12m_cents);
        if layer.get(i).is_some_and(|&l| high_value_at_high_risk(l, p.risk)) {
            out.high_value_high_risk += 1;
        }
    }
    if !out.expected_purchases.is_finite() {
        return (base(Some(Distrust::NoConvergence), None), MemberPredictions::default());
    }
    (out, MemberPredictions { group: histories.of_member, histories: shown, value_12m_cents: values })
}

const CHECK_BUCKETS: usize = 8;

/// Fits on the days up to the analysis date minus `holdout_days` and compares the predicted
/// repeat purchases in the holdout (the `holdout_days` days ending with the analysis date) with
/// what happened; why not, when there is nothing to compare or no finite prediction.
///
/// The calibration histories come from the members' purchase days up to the calibration end
/// (read through the same grouping of rows as the summary), not from a second full summary; the
/// expected purchases are computed once per distinct history.
pub fn backtest(ds: &Dataset, by_member: &RowsByMember, full: &Summaries, settings: &Settings) -> Result<Backtest, NoBacktest> {
    let holdout_days = settings.holdout_days.clamp(1, MAX_HOLDOUT_DAYS);
    let cal_end: Day = full.analysis_day.saturating_sub(holdout_days);
    let (first, _) = ds.day_range().ok_or(NoBacktest::TooShort)?;
    if cal_end < first {
        return Err(NoBacktest::TooShort);
    }
    // Each member's history straight from their rows: no copy of their purchase days is kept.
    let cal = HistoryGroups::build(by_member.members(), |m| {
        let (days, first, last) = by_member.purchase_span(ds, m, cal_end)?;
        Some((days - 1, days_between(first, last), days_between(first, cal_end)))
    });
    if cal.groups.is_empty() {
        return Err(NoBacktest::TooShort);
    }
    let (fit, repeat) = fit_groups(&cal);
    if judge(&fit, repeat, settings).is_some() {
        return Err(NoBacktest::NoFit);
    }
    let params = fit.filter(bgnbd_is_finite).map(|f| f.params).ok_or(NoBacktest::NoFit)?;
    let mut predicted_of = Vec::with_capacity(cal.groups.len());
    for (h, _) in &cal.groups {
        let predicted = params.conditional_expected_number_of_purchases_up_to_time(holdout_days as f64, h);
        if !predicted.is_finite() || predicted < 0.0 {
            return Err(NoBacktest::NoFit);
        }
        predicted_of.push(predicted);
    }
    let mut bt = Backtest { calibration_end: format_day(cal_end), holdout_days, trusted: true, ..Default::default() };
    let mut sums = [(0u32, 0.0f64, 0u64); CHECK_BUCKETS];
    for (m, &g) in cal.of_member.iter().enumerate() {
        let (Some(&predicted), Some((h, _)), Some(f)) = (predicted_of.get(g as usize), cal.groups.get(g as usize), full.members.get(m)) else { continue };
        let cal_days = h.x as u32 + 1;
        let actual = f.purchase_days.saturating_sub(cal_days) as u64;
        bt.customers += 1;
        bt.actual_total += actual;
        bt.predicted_total += predicted;
        let b = (cal_days.saturating_sub(1) as usize).min(CHECK_BUCKETS - 1);
        sums[b].0 += 1;
        sums[b].1 += predicted;
        sums[b].2 += actual;
    }
    if !bt.predicted_total.is_finite() {
        return Err(NoBacktest::NoFit);
    }
    bt.by_frequency = sums
        .iter()
        .enumerate()
        .map(|(b, &(n, p, a))| FrequencyCheck {
            x: if b == CHECK_BUCKETS - 1 { format!("{}+", b) } else { b.to_string() },
            customers: n,
            predicted_mean: if n > 0 { p / n as f64 } else { 0.0 },
            actual_mean: if n > 0 { a as f64 / n as f64 } else { 0.0 },
        })
        .collect();
    Ok(bt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoSpec};
    use crate::model::{TxKind, TxRecord};
    use crate::summary::{summarize, summarize_grouped};

    #[test]
    fn too_few_repeat_buyers_means_no_numbers() {
        let mut ds = Dataset::new("t");
        for (id, day) in [("A", 1), ("A", 20), ("B", 5)] {
            ds.add_transaction(TxRecord { member_id: Some(id), day, amount_cents: 100, discount_cents: 0, category: None, store: None, kind: TxKind::Sale });
        }
        let sums = summarize(&ds, 100);
        let (p, per) = predict(&sums, &[0, 0], &Settings::default());
        assert!(!p.trusted);
        assert_eq!(p.distrust, Some(Distrust::TooFewRepeatBuyers));
        assert_eq!(p.repeat_buyers, 1);
        assert!(per.is_empty() && (0..3).all(|m| per.get(m).is_none() && per.risk(m) == NO_RISK));
        assert_eq!(p.risk_bands.iter().map(|b| b.members).sum::<u32>(), 0);
    }

    /// On the demo, the models are trusted, every buyer gets a band, and the backtest predicts
    /// the held-out half-year's visits within 20%.
    #[test]
    fn demo_predictions_and_backtest() {
        let ds = generate(&DemoSpec { members: 1500, ..Default::default() });
        let by = RowsByMember::build(&ds);
        let day = ds.default_analysis_day().unwrap();
        let sums = summarize_grouped(&ds, &by, day);
        let layer = vec![0u8; sums.members.len()];
        let (p, per) = predict(&sums, &layer, &Settings::default());
        assert!(p.trusted, "{:?}", p.distrust);
        assert!(p.value_trusted);
        let buyers = sums.members.iter().filter(|s| s.purchase_days > 0).count() as u32;
        assert_eq!(p.risk_bands.iter().map(|b| b.members).sum::<u32>(), buyers);
        assert_eq!(p.p_alive_histogram.iter().sum::<u32>(), buyers);
        // Every buyer has a prediction, nobody else.
        let per: Vec<_> = (0..sums.members.len()).map(|i| per.get(i)).collect();
        assert!(per.iter().zip(&sums.members).all(|(m, s)| match m {
            Some(m) => s.purchase_days > 0 && (0.0..=1.0).contains(&m.p_alive),
            None => s.purchase_days == 0,
        }));
        // Regular buyers silent for a year and four of their usual gaps are high risk; members
        // who come every few weeks and came last week are low risk.
        let recency = |s: &MemberSummary| s.recency_days(day);
        let (gone, recent): (Vec<_>, Vec<_>) = sums
            .members
            .iter()
            .zip(&per)
            .filter_map(|(s, m)| Some((s, (*m)?)))
            .filter(|(s, _)| s.x() >= 5)
            .partition(|(s, _)| recency(s).unwrap_or(0) as f64 > (4.0 * s.mean_gap_days().unwrap_or(0.0)).max(365.0));
        assert!(gone.len() > 20 && gone.iter().all(|(_, m)| m.risk == 2));
        let regulars: Vec<_> = recent.iter().filter(|(s, _)| recency(s).unwrap_or(99) < 10 && s.mean_gap_days().unwrap_or(99.0) < 30.0).collect();
        assert!(regulars.len() > 20 && regulars.iter().all(|(_, m)| m.risk == 0));
        let bt = backtest(&ds, &by, &sums, &Settings::default()).unwrap();
        assert!(bt.trusted);
        let ratio = bt.predicted_total / bt.actual_total as f64;
        assert!((0.8..1.2).contains(&ratio), "predicted {} vs actual {}", bt.predicted_total, bt.actual_total);
    }

    /// What is kept per member (a history group and a value) gives every member the figures of
    /// the models for their own history: P(alive), the chance of no purchase and the risk band
    /// bit for bit as the page showed them when each member kept their own copy, the expected
    /// purchases and the next visit from the model's formulas, and the value month by month.
    #[test]
    fn the_kept_predictions_are_each_members_own() {
        let ds = generate(&DemoSpec { members: 1500, ..Default::default() });
        let day = ds.default_analysis_day().unwrap();
        let sums = summarize(&ds, day);
        let settings = Settings::default();
        let (p, per) = predict(&sums, &vec![0u8; sums.members.len()], &settings);
        let bg = p.bgnbd.as_ref().unwrap().params;
        let gg = p.gamma_gamma.as_ref().unwrap().params;
        let horizon = settings.risk_days as f64;
        let mut valued = 0;
        for (m, s) in sums.members.iter().enumerate() {
            let Some(got) = per.get(m) else {
                assert_eq!((s.purchase_days, per.risk(m)), (0, NO_RISK));
                continue;
            };
            let h = history_of(s, day);
            let p_alive = bg.conditional_probability_alive(&h);
            let p_none = bg.probability_no_purchase(horizon, &h);
            assert_eq!((got.p_alive.to_bits(), got.p_no_purchase.to_bits()), (p_alive.to_bits(), p_none.to_bits()), "member {m}");
            // The percent with one decimal the page shows.
            assert_eq!(format!("{:.1}", got.p_alive * 100.0), format!("{:.1}", p_alive * 100.0));
            let band = if p_none < 0.33 { 0 } else if p_none > 0.66 { 2 } else { 1 };
            assert_eq!((got.risk, per.risk(m)), (band, band));
            let expected = bg.conditional_expected_number_of_purchases_up_to_time(horizon, &h);
            assert!((got.expected_purchases - expected).abs() <= 1e-12 * expected.max(1.0), "member {m}");
            let next = (bg.alpha + h.t) / (bg.r + h.x);
            assert_eq!(got.next_visit_days, (p_alive >= 0.5 && next <= MAX_DAYS as f64).then_some(next));
            let spend = gg.conditional_expected_average_spend(h.x, s.mean_repeat_spend_cents()).unwrap();
            let value = value_12m_month_by_month(&bg, &h, spend, settings.monthly_discount_rate);
            assert!((got.value_12m_cents.unwrap() - value.round() as i64).abs() <= 1, "member {m}");
            valued += 1;
        }
        assert_eq!(valued, sums.members.iter().filter(|s| s.purchase_days > 0).count());
        // 12 bytes a member, and the figures once per history.
        let histories = buyer_histories(&sums).groups.len();
        assert!(per.heap_bytes() <= 12 * sums.members.len() + histories * std::mem::size_of::<HistoryPrediction>());
    }

    /// The 12-month value as it was computed before (one series per month end, the spend inside
    /// the sum), for comparison.
    fn value_12m_month_by_month(bg: &BgNbdParams, h: &History, spend: f64, d: f64) -> f64 {
        let mut total = 0.0;
        let mut before = 0.0;
        for month in 1..=12 {
            let upto = bg.conditional_expected_number_of_purchases_up_to_time(30.0 * month as f64, h);
            total += (upto - before) * spend / (1.0 + d).powi(month);
            before = upto;
        }
        total
    }

    /// The value per cent of spend, from one pass over the month ends, times the spend, equals the
    /// month-by-month sum within rounding, on a grid of parameters, histories, spends and rates.
    #[test]
    fn the_value_per_spend_gives_the_month_by_month_value() {
        let histories = [
            History { x: 0.0, t_x: 0.0, t: 3.0 },
            History { x: 2.0, t_x: 30.0, t: 200.0 },
            History { x: 9.0, t_x: 340.0, t: 350.0 },
            History { x: 60.0, t_x: 100.0, t: 720.0 },
        ];
        for (r, alpha, a, b) in [(0.243, 4.414, 0.793, 2.426), (0.8, 40.0, 1.0, 2.5), (2.0, 15.0, 3.0, 0.5), (0.1, 200.0, 0.3, 9.0)] {
            let bg = BgNbdParams { r, alpha, a, b };
            for d in [0.0f64, 0.01, 0.08] {
                let mut discounts = [1.0; VALUE_MONTHS];
                for (m, v) in discounts.iter_mut().enumerate() {
                    *v = (1.0 + d).powi(m as i32 + 1);
                }
                for h in &histories {
                    let f = history_figures(&bg, h, 90.0, &discounts).unwrap();
                    for spend in [1.0, 4_321.5, 2e7] {
                        let before = value_12m_month_by_month(&bg, h, spend, d);
                        let now = spend * f.value_per_spend;
                        assert!((now - before).abs() <= 1e-12 * before.abs().max(1.0), "{bg:?} {h:?} {spend} {d}: {now} vs {before}");
                        assert!((to_cents(now).unwrap() - before.round() as i64).abs() <= 1);
                    }
                }
            }
        }
    }

    /// The backtest from purchase days and grouped histories equals the backtest computed the
    /// way it was: a second summary as of the calibration end, one member at a time.
    #[test]
    fn the_backtest_equals_a_second_summary_member_by_member() {
        let ds = generate(&DemoSpec { members: 1200, ..Default::default() });
        let by = RowsByMember::build(&ds);
        let full = summarize_grouped(&ds, &by, ds.default_analysis_day().unwrap());
        let settings = Settings::default();
        let bt = backtest(&ds, &by, &full, &settings).unwrap();

        let cal_end = full.analysis_day - settings.holdout_days;
        let cal = summarize_grouped(&ds, &by, cal_end);
        let histories: Vec<History> = cal.members.iter().filter(|s| s.purchase_days > 0).map(|s| history_of(s, cal_end)).collect();
        let params = bgnbd::fit(&histories).unwrap().params;
        let (mut customers, mut predicted, mut actual) = (0u32, 0.0f64, 0u64);
        let mut by_x = [(0u32, 0u64); CHECK_BUCKETS];
        for (c, f) in cal.members.iter().zip(&full.members).filter(|(c, _)| c.purchase_days > 0) {
            let a = (f.purchase_days - c.purchase_days) as u64;
            customers += 1;
            predicted += params.conditional_expected_number_of_purchases_up_to_time(settings.holdout_days as f64, &history_of(c, cal_end));
            actual += a;
            let b = (c.x() as usize).min(CHECK_BUCKETS - 1);
            by_x[b].0 += 1;
            by_x[b].1 += a;
        }
        assert_eq!((bt.customers, bt.actual_total), (customers, actual));
        assert_eq!(bt.predicted_total.to_bits(), predicted.to_bits());
        for (check, (n, a)) in bt.by_frequency.iter().zip(by_x) {
            assert_eq!(check.customers, n);
            assert_eq!(check.actual_mean, if n > 0 { a as f64 / n as f64 } else { 0.0 });
        }
    }
}
