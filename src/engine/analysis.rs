//! One call from a loaded data set to everything the pages show. The worker runs it and sends the
//! result (aggregates only, never the raw rows) to the page; tests and benchmarks call it natively.

use serde::{Deserialize, Serialize};

use super::dates::{format_day, Day};
use super::import::report::FileReport;
use super::model::Dataset;
use super::overview::{overview, Overview};
use super::summary::{summarize_grouped, RowsByMember, Summaries};

/// What the page receives after a load.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub dataset_name: String,
    pub is_demo: bool,
    /// `2026-11-01`.
    pub analysis_date: String,
    pub members: u64,
    pub transactions: u64,
    pub overview: Overview,
    /// What each loaded file gave (empty for the demo).
    pub files: Vec<FileReport>,
    /// The engine's memory when the result was made (the worker's WebAssembly heap), in bytes;
    /// 0 natively.
    pub engine_memory_bytes: u64,
}

/// The analysis of `ds` as of `analysis_day` (default: the day after the last transaction),
/// with the summaries it was built from (kept by the worker for later queries).
pub fn analyse(ds: &Dataset, analysis_day: Option<Day>, is_demo: bool) -> (Analysis, Summaries) {
    let day = analysis_day.or_else(|| ds.default_analysis_day()).unwrap_or(0);
    let by_member = RowsByMember::build(ds);
    let sums = summarize_grouped(ds, &by_member, day);
    let analysis = Analysis {
        dataset_name: ds.name.clone(),
        is_demo,
        analysis_date: format_day(day),
        members: ds.members.len() as u64,
        transactions: ds.transactions.len() as u64,
        overview: overview(ds, &sums),
        files: Vec::new(),
        engine_memory_bytes: 0,
    };
    (analysis, sums)
}
