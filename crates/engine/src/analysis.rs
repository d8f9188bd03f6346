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
//! # Warehouse member summaries
//! A data set of member summaries made in a warehouse ([`Dataset::precomputed`], no
//! transactions) is analysed as of the summary's own analysis date, whatever the setting says
//! ([`SummaryBasis`] tells the page). Segments, pyramid, tiers, predictions, lists and work
//! lists come from the summaries as from transactions; churn, cohorts, second-year renewal and
//! the monthly series from the monthly aggregates when they were loaded
//! ([`crate::from_summary`]); quadrants use the 12 months whatever the period setting; period
//! comparisons, replenishment, the backtest, renewal around expiry, cohort cells by member and
//! the member timeline need the rows and are empty.
//!
//! The analyses are given sanitised settings ([`Settings::sanitized`]): a value out of range,
//! which the page should never send, falls back to its default rather than reach a computation.

use serde::{Deserialize, Serialize};

use super::churn::{churn, Churn, MonthOfDay};
use super::dates::{day_from_ymd, format_day, Day};
use super::import::values::{MAX_YEAR, MIN_YEAR};
use super::import::report::FileReport;
use super::model::Dataset;
use super::overview::{overview, periods, Overview};
use super::from_summary;
use super::predict::{backtest, predict, MemberPredictions, NoBacktest, Predictions};
use super::pyramid::{pyramid, quadrants, tiers, Pyramid, Quadrants, TierStat};
use super::scope::{home_stores, scoped_dataset, store_rows, HomeStores, Scope};
use super::segments::{segment, Labels, Segments};
use super::settings::Settings;
use super::warehouse::Precomputed;
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
    /// The stores, member tags and product categories of the data, for the filter builder's
    /// choices; a list longer than [`MAX_CHOICES`] is left empty (the builder then takes typed
    /// text rather than offer a part of them).
    pub stores: Vec<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    /// The store scope these figures are about (the stores of [`Settings::stores`] that the data
    /// has); empty: all stores.
    pub scope: Vec<String>,
    /// Names in [`Settings::stores`] that this data set has no store of (the page says so; with
    /// none of the names found, the figures are of all stores).
    pub scope_unknown: Vec<String>,
    /// Every store of the whole data set compared (whatever the scope), in the order of their
    /// revenue; a row with store `""` holds the members and walk-ins without a store. The rows
    /// add up to the whole.
    pub store_rows: Vec<StoreRow>,
    /// `Some` when the figures come from member summaries made in a warehouse rather than from
    /// transactions: the page then says which parts need the transactions.
    pub from_summary: Option<SummaryBasis>,
}

/// What a data set of warehouse-made member summaries ([`crate::warehouse`]) can and cannot
/// show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryBasis {
    /// The summary's analysis date (`YYYY-MM-DD`): fixed, the analysis date setting is not used.
    pub analysis_date: String,
    /// Whether monthly aggregates came with it (churn by month, cohorts, second-year renewal,
    /// the monthly revenue series).
    pub monthly: bool,
    /// The sleeping days the monthly churn was counted with, when they differ from the
    /// settings' (the churn series is then not shown: the query must be run again).
    pub monthly_sleeping_days_differ: Option<i32>,
}

/// One store's figures on the Overview's comparison table. Members belong to the store of
/// their card (else of most of their spend); walk-ins to the store of the sale. Figures as of
/// the end of D, "12 months" the 365 days ending with D.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreRow {
    /// The store's name; `""` for members and walk-ins without a store.
    pub store: String,
    pub members: u32,
    /// Members with a purchase in the 12 months.
    pub active_members_12m: u32,
    /// Net sales in the 12 months (its members' everywhere, and its walk-ins'), in cents.
    pub revenue_12m_cents: i64,
    /// Gross paid purchases ÷ paid purchase rows in the 12 months, in cents.
    pub avg_ticket_12m_cents: i64,
    /// Of its buyers, the share with purchases on two or more days (0..=1).
    pub repeat_rate: f64,
    /// Of its buyers, the share with no purchase in the last `sleeping_days` (0..=1): sleeping
    /// or lost, the churned.
    pub churn_rate: f64,
}

/// The most values of a dictionary [`Analysis`] lists as choices.
pub const MAX_CHOICES: usize = 500;

/// A dictionary's names as choices (empty when there are more than [`MAX_CHOICES`]).
fn choices(d: &super::model::Dictionary) -> Vec<String> {
    if d.len() > MAX_CHOICES {
        Vec::new()
    } else {
        d.names().to_vec()
    }
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
    /// First-purchase month of each member (a month key), [`NO_MONTH`] without a purchase:
    /// read with [`Classified::first_month_of`].
    pub first_month: Vec<i32>,
    /// Months with a purchase, as offsets from the first-purchase month (cohort cells):
    /// `active_offsets[m]` is member m's.
    pub active_offsets: MonthOffsets,
    /// Empty until the predictions are made (and without a trusted model): a member without
    /// one has no risk.
    pub predictions: MemberPredictions,
}

/// [`Classified::first_month`] of a member who never bought.
pub const NO_MONTH: i32 = i32::MIN;

impl Classified {
    /// Member `m`'s first-purchase month key (`None`: never bought, or past the members).
    pub fn first_month_of(&self, m: usize) -> Option<i32> {
        self.first_month.get(m).copied().filter(|&k| k != NO_MONTH)
    }
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
    /// The data set of the store scope these figures are of, when scoped: the summaries and
    /// member indexes refer to it, not to the whole data set given. `None`: the whole one.
    pub scoped: Option<Dataset>,
}

impl Computed {
    /// The data set these figures are of: the scoped one, else `whole` (the one analysed).
    pub fn dataset<'a>(&'a self, whole: &'a Dataset) -> &'a Dataset {
        self.scoped.as_ref().unwrap_or(whole)
    }
}

/// The analysis date D: `settings.analysis_date` when set (and valid), else `analysis_day`,
/// else [`Dataset::default_analysis_day`]; 1970-01-01 for a data set with no dates at all. Always within
/// 1900 ..= 2100, the years a date may have.
///
/// Warehouse member summaries ([`Dataset::precomputed`]) are as of their own analysis date: it
/// is D whatever the setting says (the query must be run again for another day).
pub fn analysis_day_of(ds: &Dataset, analysis_day: Option<Day>, settings: &Settings) -> Day {
    if let Some(pre) = &ds.precomputed {
        return from_summary::analysis_day(pre);
    }
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
    // The predictions of earlier settings go first: kept while the new ones are made, they would
    // be held twice at the peak.
    computed.classified.predictions = MemberPredictions::default();
    let scoped = computed.scoped.take();
    let ds = scoped.as_ref().unwrap_or(ds);
    // The grouping is rebuilt here (about 10 ms per million rows) rather than kept with the
    // analysis: kept, it would hold 4 bytes per transaction for the life of the data set. The
    // backtest goes first, so that the grouping is gone before the per-member predictions exist.
    // Warehouse summaries have no holdout to test on: the backtest needs the transactions.
    let tested = match ds.precomputed {
        Some(_) => Err(NoBacktest::NeedsTransactions),
        None => backtest(ds, &RowsByMember::build(ds), &computed.summaries, settings),
    };
    let (bt, no_backtest) = match tested {
        Ok(bt) => (Some(bt), None),
        Err(why) => (None, Some(why)),
    };
    let (mut predictions, member_predictions) = predict(&computed.summaries, &computed.classified.layer, settings);
    predictions.backtest = bt;
    predictions.no_backtest = no_backtest;
    computed.analysis.predictions = predictions;
    computed.classified.predictions = member_predictions;
    computed.scoped = scoped;
}

/// Everything but the predictions (which are marked pending). With a store scope
/// ([`Settings::stores`]), the figures are those of the scoped data set (kept in
/// [`Computed::scoped`]) as of the whole data set's analysis date; the store rows and the store
/// choices are the whole one's.
pub fn analyse_without_predictions(ds: &Dataset, analysis_day: Option<Day>, is_demo: bool, settings: &Settings) -> Computed {
    let (settings, _) = settings.clone().sanitized();
    let settings = &settings;
    // The whole data set's D, whatever the scope: a store's figures are as of the same day.
    let day = analysis_day_of(ds, analysis_day, settings);
    if settings.stores.is_empty() {
        return analyse_at(ds, day, is_demo, settings, None);
    }
    let by_member = RowsByMember::build(ds);
    let homes = home_stores(ds, &by_member);
    let scope = Scope::resolve(ds, &homes, &settings.stores);
    if scope.is_all() {
        drop(by_member);
        let mut c = analyse_at(ds, day, is_demo, settings, Some(&homes));
        c.analysis.scope_unknown = scope.unknown;
        return c;
    }
    let rows = {
        let whole_sums = match &ds.precomputed {
            Some(pre) => from_summary::summaries(ds, pre),
            None => summarize_grouped(ds, &by_member, day),
        };
        drop(by_member);
        store_rows(ds, &homes, &whole_sums, settings)
    };
    let scoped = scoped_dataset(ds, &homes, &scope);
    drop(homes);
    let mut c = analyse_at(&scoped, day, is_demo, settings, None);
    c.analysis.store_rows = rows;
    c.analysis.stores = choices(&ds.stores);
    c.analysis.scope = scope.names;
    c.analysis.scope_unknown = scope.unknown;
    c.scoped = Some(scoped);
    c
}

/// The analysis of `ds` as of the end of `day`; the store rows from `homes` (each member's
/// store, computed here when not given).
fn analyse_at(ds: &Dataset, day: Day, is_demo: bool, settings: &Settings, homes: Option<&HomeStores>) -> Computed {
    if let Some(pre) = &ds.precomputed {
        return analyse_precomputed(ds, pre, is_demo, settings, homes);
    }
    // What needs the rows grouped by member first, so that the grouping and the purchase days
    // are gone before the other analyses add theirs to the peak of memory.
    let by_member = RowsByMember::build(ds);
    let sums = summarize_grouped(ds, &by_member, day);
    let store_rows = match homes {
        Some(h) => store_rows(ds, h, &sums, settings),
        None => store_rows(ds, &home_stores(ds, &by_member), &sums, settings),
    };
    let days = PurchaseDays::build(ds, &by_member, day);
    drop(by_member);
    let churn = churn(ds, &days, day, settings);
    let periods = periods(ds, &days, day);
    let first_day = days.iter().filter_map(|d| d.first().copied()).min().unwrap_or(day);
    let months = MonthOfDay::new(first_day, day);
    let first_month: Vec<i32> = days.iter().map(|d| d.first().map_or(NO_MONTH, |&f| months.of(f))).collect();
    let active_offsets = MonthOffsets::build(&days, &months);
    let overview = Overview { periods, ..overview(ds, &sums, Some(&days)) };
    drop(days);
    let by_rows = BySource { overview, churn, store_rows, first_month, active_offsets, from_summary: None };
    assemble(ds, sums, is_demo, settings, by_rows)
}

/// What the analyses take from the data's source (transactions, or warehouse summaries); the
/// rest ([`assemble`]) needs only the summaries.
struct BySource {
    overview: Overview,
    churn: Churn,
    store_rows: Vec<StoreRow>,
    first_month: Vec<i32>,
    active_offsets: MonthOffsets,
    from_summary: Option<SummaryBasis>,
}

/// The analyses of the summaries (segments, pyramid, quadrants, tiers) and the page's result,
/// the predictions pending.
fn assemble(ds: &Dataset, sums: Summaries, is_demo: bool, settings: &Settings, s: BySource) -> Computed {
    let (segments, labels) = segment(&sums, settings);
    let (pyramid, layer) = pyramid(&sums, settings);
    let (quadrants, quadrant) = quadrants(ds, &sums, settings);
    let (tiers, tier_fit) = tiers(ds, &sums, settings);
    let analysis = Analysis {
        dataset_name: ds.name.clone(),
        is_demo,
        analysis_date: format_day(sums.analysis_day),
        members: ds.members.len() as u64,
        transactions: ds.transactions.len() as u64,
        overview: s.overview,
        segments,
        pyramid,
        quadrants,
        tiers,
        churn: s.churn,
        predictions: Predictions { pending: true, ..Default::default() },
        settings: settings.clone(),
        files: Vec::new(),
        engine_memory_bytes: 0,
        stores: choices(&ds.stores),
        tags: choices(&ds.tags),
        categories: choices(&ds.categories),
        scope: Vec::new(),
        scope_unknown: Vec::new(),
        store_rows: s.store_rows,
        from_summary: s.from_summary,
    };
    let classified = Classified {
        labels,
        layer,
        quadrant,
        tier_fit,
        first_month: s.first_month,
        active_offsets: s.active_offsets,
        predictions: MemberPredictions::default(),
    };
    Computed { analysis, summaries: sums, classified, scoped: None }
}

/// The analysis of warehouse member summaries ([`crate::from_summary`]), as of their analysis
/// date: what needs only the summaries as from transactions, churn and the monthly series from
/// the monthly aggregates (when given), no period comparisons, no cohort cells by member.
fn analyse_precomputed(ds: &Dataset, pre: &Precomputed, is_demo: bool, settings: &Settings, homes: Option<&HomeStores>) -> Computed {
    let sums = from_summary::summaries(ds, pre);
    let store_rows = match homes {
        Some(h) => store_rows(ds, h, &sums, settings),
        None => store_rows(ds, &home_stores(ds, &RowsByMember::build(ds)), &sums, settings),
    };
    let (churn, sleeping_days_differ) = from_summary::churn(pre, &sums, settings);
    let first_month = from_summary::first_months(&sums);
    let from_summary = Some(SummaryBasis {
        analysis_date: format_day(sums.analysis_day),
        monthly: pre.monthly.is_some(),
        monthly_sleeping_days_differ: sleeping_days_differ,
    });
    let overview = from_summary::overview(ds, pre, &sums);
    // The months with a purchase (cohort cells by member) need the rows: none.
    let active_offsets = MonthOffsets::default();
    assemble(ds, sums, is_demo, settings, BySource { overview, churn, store_rows, first_month, active_offsets, from_summary })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoSpec, CATEGORIES};
    use crate::predict::NO_RISK;

    /// The filter builder's choices are the data's own values, and none past the cap.
    #[test]
    fn the_data_values_are_offered_as_choices() {
        let ds = generate(&DemoSpec { members: 300, ..Default::default() });
        let a = analyse(&ds, None, true, &Settings::default()).analysis;
        let mut stores = a.stores.clone();
        stores.sort();
        assert_eq!(stores, vec!["徐汇店", "浦东店", "静安店"]);
        assert!(a.categories.iter().all(|c| CATEGORIES.iter().any(|d| d.name == c)) && !a.categories.is_empty());
        assert!(!a.tags.is_empty());
        let mut many = crate::model::Dictionary::default();
        for i in 0..=MAX_CHOICES {
            many.intern(&format!("store {i}"));
        }
        assert!(choices(&many).is_empty());
    }

    /// No per-member prediction is held before the predictions are made: every member reads as
    /// without one (no risk), and they are there after.
    #[test]
    fn no_predictions_are_kept_until_they_are_made() {
        let ds = generate(&DemoSpec { members: 400, ..Default::default() });
        let settings = Settings::default();
        let mut c = analyse_without_predictions(&ds, None, true, &settings);
        let n = c.summaries.members.len();
        assert!(c.classified.predictions.is_empty() && c.classified.predictions.heap_bytes() == 0);
        assert!((0..n).all(|m| c.classified.predictions.get(m).is_none() && c.classified.predictions.risk(m) == NO_RISK));
        add_predictions(&ds, &mut c, &settings);
        assert!(c.analysis.predictions.trusted);
        let buyers = c.summaries.members.iter().filter(|s| s.purchase_days > 0).count();
        assert_eq!((0..n).filter(|&m| c.classified.predictions.get(m).is_some()).count(), buyers);
    }

    /// A member's first-purchase month is the month of their first purchase day; none for a
    /// member who never bought.
    #[test]
    fn first_months_follow_the_first_purchase() {
        let ds = generate(&DemoSpec { members: 400, ..Default::default() });
        let c = analyse_without_predictions(&ds, None, true, &Settings::default());
        let mut never = 0;
        for (m, s) in c.summaries.members.iter().enumerate() {
            let want = s.first_day().map(crate::dates::month_key);
            assert_eq!(c.classified.first_month_of(m), want, "member {m}");
            never += want.is_none() as usize;
        }
        assert!(never > 0, "the demo has members who never bought");
        assert_eq!(c.classified.first_month_of(c.summaries.members.len()), None);
    }
}
