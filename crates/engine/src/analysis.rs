//! One call from a loaded data set to everything the pages show. The worker runs it and sends the
//! result (aggregates only, never the raw rows) to the page; tests and benchmarks call it natively.
//!
//! # The analysis date
//! Every figure is *as of the end of day D*: transactions up to and including D count, nothing
//! after D does; recency and T are counted to D (recency = D − last purchase day, T = D − first
//! purchase day: the convention of `lifetimes`' `observation_period_end`). Every "last 12 months"
//! is the 365 days ending with D (D − 364 ..= D), the monthly series end with D's month, the
//! quadrant period is the `quadrant_days` days ending with D, and the backtest's holdout is the
//! `holdout_days` days ending with D. D is [`Settings::analysis_date`] when set, else the day of
//! the last transaction ([`Dataset::default_analysis_day`]). A D before the first transaction or after
//! the last is allowed: the figures are those of that day.
//!
//! The analyses are given sanitised settings ([`Settings::sanitized`]): a value out of range,
//! which the page should never send, falls back to its default rather than reach a computation.

use serde::{Deserialize, Serialize};

use super::churn::{churn, Churn, MonthOfDay};
use super::dates::{day_from_ymd, format_day, Day};
use super::import::values::{MAX_YEAR, MIN_YEAR};
use super::import::report::FileReport;
use super::model::Dataset;
use super::overview::{overview, Overview};
use super::predict::{backtest, predict, MemberPrediction, Predictions};
use super::pyramid::{pyramid, quadrants, tiers, Pyramid, Quadrants, TierStat};
use super::segments::{segment, Labels, Segments};
use super::settings::Settings;
use super::summary::{summarize_grouped, PurchaseDays, RowsByMember, Summaries};

/// What the page receives after a load.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub dataset_name: String,
    pub is_demo: bool,
    /// D, `2026-11-01`: the figures are as of the end of this day.
    pub analysis_date: String,
    pub members: u64,
    pub transactions: u64,
    pub overview: Overview,
    pub segments: Segments,
    pub pyramid: Pyramid,
    pub quadrants: Quadrants,
    pub tiers: Vec<TierStat>,
    pub churn: Churn,
    pub predictions: Predictions,
    /// The thresholds these figures were computed with (after [`Settings::sanitized`]).
    pub settings: Settings,
    /// What each loaded file gave (empty for the demo).
    pub files: Vec<FileReport>,
    /// The engine's memory when the result was made (the worker's WebAssembly heap), in bytes;
    /// 0 natively.
    pub engine_memory_bytes: u64,
}

/// Per-member results of the analyses, kept by the worker to answer member-list queries.
#[derive(Clone, Debug, Default)]
pub struct Classified {
    pub labels: Labels,
    /// Pyramid layer (0 = A … 3 = D), or `pyramid::NO_LAYER`.
    pub layer: Vec<u8>,
    /// `Quadrant as u8`, or `pyramid::NO_QUADRANT`.
    pub quadrant: Vec<u8>,
    /// `pyramid::TIER_FITS` / `TIER_UPGRADE` / `TIER_DOWNGRADE`.
    pub tier_fit: Vec<u8>,
    /// First-purchase month of each member (`YYYY-MM`), for cohort cells.
    pub first_month: Vec<Option<i32>>,
    /// Months with a purchase, as offsets from the first-purchase month (cohort cells):
    /// `active_offsets[m]` is member m's.
    pub active_offsets: MonthOffsets,
    pub predictions: Vec<MemberPrediction>,
}

/// Each member's months with a purchase, as offsets from their first-purchase month, ascending,
/// in one flat array (a vector per member cost more than the offsets themselves): member m's are
/// `offsets[start[m]..start[m + 1]]`, also read as `active_offsets[m]`.
#[derive(Clone, Debug, Default)]
pub struct MonthOffsets {
    start: Vec<u32>,
    offsets: Vec<u16>,
}

impl MonthOffsets {
    /// From each member's purchase days; `months` gives a day's month.
    fn build(days: &PurchaseDays, months: &MonthOfDay) -> Self {
        let mut start = Vec::with_capacity(days.members() + 1);
        let mut offsets = Vec::new();
        start.push(0);
        for d in days.iter() {
            let first = d.first().map_or(0, |&f| months.of(f));
            let from = offsets.len();
            for &x in d {
                let offset = (months.of(x) - first).clamp(0, u16::MAX as i32) as u16;
                if offsets[from..].last() != Some(&offset) {
                    offsets.push(offset);
                }
            }
            start.push(offsets.len() as u32);
        }
        MonthOffsets { start, offsets }
    }

    /// Member `m`'s offsets (empty past the members).
    pub fn of(&self, m: usize) -> &[u16] {
        match (self.start.get(m), self.start.get(m + 1)) {
            (Some(&a), Some(&b)) => self.offsets.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl std::ops::Index<usize> for MonthOffsets {
    type Output = [u16];

    fn index(&self, m: usize) -> &[u16] {
        self.of(m)
    }
}

/// Everything a load produces: the page's result and what the worker keeps.
pub struct Computed {
    pub analysis: Analysis,
    pub summaries: Summaries,
    pub classified: Classified,
}

/// The analysis date D: `settings.analysis_date` when set (and valid), else `analysis_day`,
/// else [`Dataset::default_analysis_day`]; 1970-01-01 for a data set with no dates at all. Always within
/// 1900 ..= 2100, the years a date may have.
pub fn analysis_day_of(ds: &Dataset, analysis_day: Option<Day>, settings: &Settings) -> Day {
    let earliest = day_from_ymd(MIN_YEAR, 1, 1).unwrap_or(Day::MIN);
    let latest = day_from_ymd(MAX_YEAR, 12, 31).unwrap_or(Day::MAX);
    let day = settings.analysis_day().or(analysis_day).or_else(|| ds.default_analysis_day()).unwrap_or(0);
    day.clamp(earliest, latest)
}

/// The analysis of `ds` as of the end of the analysis date (see the module docs), predictions
/// included.
pub fn analyse(ds: &Dataset, analysis_day: Option<Day>, is_demo: bool, settings: &Settings) -> Computed {
    let mut computed = analyse_without_predictions(ds, analysis_day, is_demo, settings);
    add_predictions(ds, &mut computed, settings);
    computed
}

/// Fits the models and predicts every member of an analysis made by
/// [`analyse_without_predictions`] (the worker sends the rest of the dashboard first).
pub fn add_predictions(ds: &Dataset, computed: &mut Computed, settings: &Settings) {
    let (settings, _) = settings.clone().sanitized();
    let settings = &settings;
    // The pending predictions go first: kept while the new ones are made, they would double the
    // largest per-member vector at the peak (64 bytes a member).
    computed.classified.predictions = Vec::new();
    let (mut predictions, member_predictions) = predict(&computed.summaries, &computed.classified.layer, settings);
    // The grouping is rebuilt here (about 10 ms per million rows) rather than kept with the
    // analysis: kept, it would hold 4 bytes per transaction for the life of the data set.
    let (bt, no_backtest) = match backtest(ds, &RowsByMember::build(ds), &computed.summaries, settings) {
        Ok(bt) => (Some(bt), None),
        Err(why) => (None, Some(why)),
    };
    predictions.backtest = bt;
    predictions.no_backtest = no_backtest;
    computed.analysis.predictions = predictions;
    computed.classified.predictions = member_predictions;
}

/// Everything but the predictions (which are marked pending).
pub fn analyse_without_predictions(ds: &Dataset, analysis_day: Option<Day>, is_demo: bool, settings: &Settings) -> Computed {
    let (settings, _) = settings.clone().sanitized();
    let settings = &settings;
    let day = analysis_day_of(ds, analysis_day, settings);
    let by_member = RowsByMember::build(ds);
    let sums = summarize_grouped(ds, &by_member, day);
    let (segments, labels) = segment(&sums, settings);
    let (pyramid, layer) = pyramid(&sums, settings);
    let (quadrants, quadrant) = quadrants(ds, &sums, settings);
    let (tiers, tier_fit) = tiers(ds, &sums, settings);
    let days = PurchaseDays::build(ds, &by_member, day);
    drop(by_member);
    let churn = churn(ds, &days, day, settings);
    let predictions = Predictions { pending: true, ..Default::default() };
    let member_predictions = vec![MemberPrediction { risk: super::predict::NO_RISK, ..Default::default() }; sums.members.len()];
    let first_day = days.iter().filter_map(|d| d.first().copied()).min().unwrap_or(day);
    let months = MonthOfDay::new(first_day, day);
    let first_month: Vec<Option<i32>> = days.iter().map(|d| d.first().map(|&f| months.of(f))).collect();
    let active_offsets = MonthOffsets::build(&days, &months);
    drop(days);
    let analysis = Analysis {
        dataset_name: ds.name.clone(),
        is_demo,
        analysis_date: format_day(day),
        members: ds.members.len() as u64,
        transactions: ds.transactions.len() as u64,
        overview: overview(ds, &sums),
        segments,
        pyramid,
        quadrants,
        tiers,
        churn,
        predictions,
        settings: settings.clone(),
        files: Vec::new(),
        engine_memory_bytes: 0,
    };
    Computed {
        analysis,
        summaries: sums,
        classified: Classified { labels, layer, quadrant, tier_fit, first_month, active_offsets, predictions: member_predictions },
    }
}
