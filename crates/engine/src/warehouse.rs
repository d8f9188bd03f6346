//! Member summaries made in the customer's warehouse (DuckDB, Spark) by the SQL of `sql/`, and
//! the monthly aggregates that go with them: a data set too large for a browser tab arrives as
//! one row per member, already summarised as of the query's analysis date, and every analysis
//! that needs only the summary (segments, pyramid, quadrants, tiers, predictions, lists, work
//! lists from the summary and the member attributes, exports) runs on it. What needs the raw
//! transactions (replenishment by category, the backtest, period comparisons, the member
//! timeline) is absent and says why (see [`crate::analysis::SummaryBasis`]).

use serde::{Deserialize, Serialize};

use crate::dates::{Day, MonthKey};
use crate::summary::MemberSummary;

/// A data set's member summaries, made elsewhere: kept in [`crate::model::Dataset::precomputed`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Precomputed {
    /// D of the summary (its `analysis_date` column): the figures are as of the end of it, and
    /// the analysis date cannot be moved (the query must be run again for another day).
    pub analysis_day: Day,
    /// Indexed like the members: a member of a members file without a summary row has the
    /// default summary (no purchase). `start` is the first purchase; the analysis puts the join
    /// date in when a members file gives one.
    pub members: Vec<MemberSummary>,
    /// The monthly aggregates, when a file of them was loaded with the summary.
    pub monthly: Option<MonthlyAggregates>,
}

/// The small tables sql/monthly_aggregates.sql makes (one long table of measure, month, month
/// offset, visits bucket and value), read back into the engine's shapes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthlyAggregates {
    /// The `sleeping_days` the warehouse counted monthly churn with (its `sleeping_days`
    /// measure); the churn series is shown only while the settings use the same.
    pub sleeping_days: Option<Day>,
    /// `active_at_start` and `turned_sleeping` by month.
    pub churn: Vec<(MonthKey, u32, u32)>,
    /// `revenue` (cents, members and walk-ins) and `active_members` by month.
    pub months: Vec<(MonthKey, i64, u32)>,
    /// Cohort sizes by first-purchase month (`cohort_members`).
    pub cohort_members: Vec<(MonthKey, u32)>,
    /// Members of a cohort with a purchase in month `offset` after the first (`cohort_active`):
    /// (cohort month, offset, members).
    pub cohort_active: Vec<(MonthKey, u16, u32)>,
    /// `first_year_members` and `second_year_renewed` by first-year visits bucket, in the order
    /// `1`, `2`, `3`, `4-5`, `6-9`, `10+`.
    pub second_year: [(u32, u32); 6],
    /// The store's figures over the 365 days ending with D, walk-ins included
    /// (`revenue_12m`, `orders_12m`, `gross_12m`, `walk_in_revenue_12m`), when given.
    pub store_12m: Option<Store12m>,
}

/// The store totals of the last 12 months a member summary cannot give (walk-ins are in no
/// member's row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Store12m {
    pub revenue_cents: i64,
    pub orders: u32,
    pub gross_cents: i64,
    pub walk_in_revenue_cents: i64,
}
