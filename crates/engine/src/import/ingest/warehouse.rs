//! Rows of a warehouse's member summary (sql/member_summary.sql) and monthly aggregates
//! (sql/monthly_aggregates.sql) into [`Precomputed`]. A summary row is a member (its id and any
//! attribute columns read like a members table row) and a [`MemberSummary`]; every value that
//! cannot be read and every row whose figures contradict each other is a row problem, and the
//! row is skipped.

use std::collections::BTreeMap;

use crate::dates::{month_key, Day, MonthKey};
use crate::model::WALK_IN;
use crate::summary::{MemberSummary, NO_DAY};
use crate::warehouse::{MonthlyAggregates, Precomputed, Store12m};

use super::super::fields::Field;
use super::super::report::{Problem, Reason};
use super::super::values::{parse_date_checked, parse_money_checked, trim_cell, DateOrder};
use super::{Skip, TableIngest};

/// What the load gathered from summary and monthly tables.
#[derive(Default)]
pub(super) struct Warehouse {
    /// Indexed by member (members without a summary row hold the default).
    summaries: Vec<MemberSummary>,
    /// The table whose row summarised each member (0: none yet), for repeated ids.
    summary_table: Vec<u16>,
    /// The analysis date of the first readable summary row.
    analysis_day: Option<Day>,
    monthly: Option<MonthlyBuilder>,
}

impl Warehouse {
    /// The precomputed summaries of the load, when a summary gave an analysis date; `members`
    /// is how many members the data set holds.
    pub(super) fn finish(self, members: usize) -> Option<Precomputed> {
        let analysis_day = self.analysis_day?;
        let mut summaries = self.summaries;
        summaries.resize(members, MemberSummary::default());
        Some(Precomputed { analysis_day, members: summaries, monthly: self.monthly.map(MonthlyBuilder::build) })
    }
}

/// Whether a cell holds no value: empty, or a warehouse's NULL as CSV exports write it.
fn is_null(v: &str) -> bool {
    v.is_empty() || v.eq_ignore_ascii_case("null") || v == "\\N"
}

/// A whole number: digits with an optional sign, and `.0…` (a double column) allowed. `None`
/// for an empty or NULL cell.
fn whole_number(v: &str) -> Result<Option<i64>, Reason> {
    if is_null(v) {
        return Ok(None);
    }
    let (negative, unsigned) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !frac.bytes().all(|b| b == b'0') {
        return Err(Reason::NotAWholeNumber);
    }
    let n: i64 = int.parse().map_err(|_| Reason::CountOutOfRange)?;
    Ok(Some(if negative { -n } else { n }))
}

/// A count: 0 when empty, else a whole number from 0 to `u32::MAX`.
fn count(v: &str) -> Result<u32, Reason> {
    match whole_number(v)? {
        None => Ok(0),
        Some(n) => u32::try_from(n).map_err(|_| Reason::CountOutOfRange),
    }
}

/// A date of the summary; `None` when empty or NULL.
fn summary_date(v: &str, order: DateOrder) -> Result<Option<Day>, Reason> {
    if is_null(v) {
        return Ok(None);
    }
    parse_date_checked(v, order).map(Some).map_err(Reason::from)
}

/// Money in yuan as cents: 0 when empty or NULL (a warehouse's sum over no rows).
fn money(v: &str) -> Result<i64, Reason> {
    if is_null(v) {
        return Ok(0);
    }
    parse_money_checked(v).map_err(Reason::from)
}

/// A month: `2024-03` (or `2024/03`, or a date in it, as a warehouse may write a DATE).
fn month(v: &str, order: DateOrder) -> Option<MonthKey> {
    let (y, m) = v.split_once(['-', '/'])?;
    if y.len() == 4 && (1..=2).contains(&m.len()) && y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        let (year, month): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
        return ((1900..=2100).contains(&year) && (1..=12).contains(&month)).then_some(year * 12 + month - 1);
    }
    parse_date_checked(v, order).ok().map(month_key)
}

/// The first-year visits buckets of the second-year renewal, in [`MonthlyAggregates::second_year`]'s order.
const VISITS_BUCKETS: [&str; 6] = ["1", "2", "3", "4-5", "6-9", "10+"];

/// The measures of sql/monthly_aggregates.sql.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Measure {
    SleepingDays,
    ActiveAtStart,
    TurnedSleeping,
    Revenue,
    ActiveMembers,
    CohortMembers,
    CohortActive,
    FirstYearMembers,
    SecondYearRenewed,
    Revenue12m,
    Orders12m,
    Gross12m,
    WalkInRevenue12m,
}

impl Measure {
    fn parse(v: &str) -> Option<Measure> {
        const NAMES: [(&str, Measure); 13] = [
            ("sleeping_days", Measure::SleepingDays),
            ("active_at_start", Measure::ActiveAtStart),
            ("turned_sleeping", Measure::TurnedSleeping),
            ("revenue", Measure::Revenue),
            ("active_members", Measure::ActiveMembers),
            ("cohort_members", Measure::CohortMembers),
            ("cohort_active", Measure::CohortActive),
            ("first_year_members", Measure::FirstYearMembers),
            ("second_year_renewed", Measure::SecondYearRenewed),
            ("revenue_12m", Measure::Revenue12m),
            ("orders_12m", Measure::Orders12m),
            ("gross_12m", Measure::Gross12m),
            ("walk_in_revenue_12m", Measure::WalkInRevenue12m),
        ];
        NAMES.iter().find(|(name, _)| name.eq_ignore_ascii_case(v)).map(|(_, m)| *m)
    }

    fn is_money(self) -> bool {
        matches!(self, Measure::Revenue | Measure::Revenue12m | Measure::Gross12m | Measure::WalkInRevenue12m)
    }
}

/// The monthly aggregates as their rows arrive (each measure of each month once).
#[derive(Default)]
struct MonthlyBuilder {
    sleeping_days: Option<Day>,
    churn: BTreeMap<MonthKey, [Option<u32>; 2]>,
    revenue: BTreeMap<MonthKey, i64>,
    active_members: BTreeMap<MonthKey, u32>,
    cohort_members: BTreeMap<MonthKey, u32>,
    cohort_active: BTreeMap<(MonthKey, u16), u32>,
    second_year: [[Option<u32>; 2]; 6],
    /// revenue, orders, gross and walk-in revenue of the last 12 months.
    store_12m: [Option<i64>; 4],
}

/// Where a monthly row's value goes, found before it is stored.
enum Slot {
    SleepingDays,
    Churn(MonthKey, usize),
    Revenue(MonthKey),
    ActiveMembers(MonthKey),
    CohortMembers(MonthKey),
    CohortActive(MonthKey, u16),
    SecondYear(usize, usize),
    Store(usize),
}

impl MonthlyBuilder {
    /// Whether the slot already holds a value (a repeated row).
    fn taken(&self, slot: &Slot) -> bool {
        match *slot {
            Slot::SleepingDays => self.sleeping_days.is_some(),
            Slot::Churn(m, i) => self.churn.get(&m).is_some_and(|c| c[i].is_some()),
            Slot::Revenue(m) => self.revenue.contains_key(&m),
            Slot::ActiveMembers(m) => self.active_members.contains_key(&m),
            Slot::CohortMembers(m) => self.cohort_members.contains_key(&m),
            Slot::CohortActive(m, o) => self.cohort_active.contains_key(&(m, o)),
            Slot::SecondYear(b, i) => self.second_year[b][i].is_some(),
            Slot::Store(i) => self.store_12m[i].is_some(),
        }
    }

    /// Stores a value read for its slot (money in cents, else a count or day count).
    fn put(&mut self, slot: Slot, value: i64) {
        let n = u32::try_from(value).unwrap_or(0);
        match slot {
            Slot::SleepingDays => self.sleeping_days = Day::try_from(value).ok(),
            Slot::Churn(m, i) => self.churn.entry(m).or_default()[i] = Some(n),
            Slot::Revenue(m) => {
                self.revenue.insert(m, value);
            }
            Slot::ActiveMembers(m) => {
                self.active_members.insert(m, n);
            }
            Slot::CohortMembers(m) => {
                self.cohort_members.insert(m, n);
            }
            Slot::CohortActive(m, o) => {
                self.cohort_active.insert((m, o), n);
            }
            Slot::SecondYear(b, i) => self.second_year[b][i] = Some(n),
            Slot::Store(i) => self.store_12m[i] = Some(value),
        }
    }

    /// The engine's shapes, by month; a figure of a pair not given is 0.
    fn build(self) -> MonthlyAggregates {
        let mut months: BTreeMap<MonthKey, (i64, u32)> = BTreeMap::new();
        for (m, r) in self.revenue {
            months.entry(m).or_default().0 = r;
        }
        for (m, a) in self.active_members {
            months.entry(m).or_default().1 = a;
        }
        let given = self.store_12m.iter().any(Option::is_some);
        let [revenue, orders, gross, walk_in] = self.store_12m.map(|v| v.unwrap_or(0));
        MonthlyAggregates {
            sleeping_days: self.sleeping_days,
            churn: self.churn.into_iter().map(|(m, [a, t])| (m, a.unwrap_or(0), t.unwrap_or(0))).collect(),
            months: months.into_iter().map(|(m, (r, a))| (m, r, a)).collect(),
            cohort_members: self.cohort_members.into_iter().collect(),
            cohort_active: self.cohort_active.into_iter().map(|((m, o), n)| (m, o, n)).collect(),
            second_year: self.second_year.map(|[f, r]| (f.unwrap_or(0), r.unwrap_or(0))),
            store_12m: given.then(|| Store12m {
                revenue_cents: revenue,
                orders: u32::try_from(orders).unwrap_or(0),
                gross_cents: gross,
                walk_in_revenue_cents: walk_in,
            }),
        }
    }
}

/// The longest analysis window a `sleeping_days` may name (100 years).
const MAX_SLEEPING_DAYS: i64 = 36_525;

/// A summary row's figures as read, before they are checked against each other.
struct SummaryCells {
    analysis: Day,
    first: Option<Day>,
    last: Option<Day>,
    purchase_days: u32,
    orders: u32,
    orders_12m: u32,
    orders_6m: u32,
    /// gross, net, promo, spend in 12 months, first-day spend.
    money: [i64; 5],
    longest_gap: Option<Day>,
}

/// The money columns of a summary, in [`SummaryCells::money`]'s order.
const MONEY_FIELDS: [Field; 5] = [Field::GrossSpend, Field::NetSpend, Field::PromoSpend, Field::Spend12m, Field::FirstDaySpend];

impl TableIngest<'_> {
    /// A mapped cell: its column and trimmed text ("" when the row is short).
    fn cell<'f>(&self, fields: &[&'f str], f: Field) -> (usize, &'f str) {
        let c = self.required(f);
        (c, fields.get(c).map_or("", |v| trim_cell(v)))
    }

    /// Reads a cell with `parse`; an error names the cell's column.
    fn read<'f, T>(&self, fields: &[&'f str], f: Field, parse: impl Fn(&'f str) -> Result<T, Reason>) -> Result<T, Skip> {
        let (c, v) = self.cell(fields, f);
        parse(v).map_err(|reason| (c, reason))
    }

    /// One row of a member summary: the member (new, or joined to a members table's by id) and
    /// its figures.
    pub(super) fn summary_row(&mut self, row: u64, fields: &[&str], warnings: &mut Vec<Problem>) -> Result<(), Skip> {
        let (id_col, id) = self.member_id(fields)?;
        let cells = self.summary_cells(fields)?;
        self.check_summary(fields, &cells)?;
        let existing = self.loader.ds.find_member(&id);
        if let Some(m) = existing {
            if let Some(&table) = self.loader.warehouse.summary_table.get(m as usize).filter(|&&t| t != 0) {
                let reason = if table == self.table_no { Reason::MemberIdRepeated } else { Reason::MemberIdInEarlierTable };
                return Err((id_col, reason));
            }
        }
        let spent = cells.money.iter().fold(0i64, |sum, c| sum.saturating_add(c.saturating_abs()));
        if !self.loader.take_money(spent) {
            return Err((self.required(Field::GrossSpend), Reason::TotalTooLarge));
        }
        let m = match existing {
            Some(m) => m,
            None => {
                if self.loader.members_table_read {
                    self.report.unknown_members += 1;
                    warnings.push(self.warn(row, id_col, &id, Reason::UnknownMember));
                }
                self.add_member_row(row, fields, id, warnings)
            }
        };
        if m == WALK_IN {
            return Err((id_col, Reason::TotalTooLarge));
        }
        let w = &mut self.loader.warehouse;
        w.analysis_day.get_or_insert(cells.analysis);
        let i = m as usize;
        if w.summaries.len() <= i {
            w.summaries.resize(i + 1, MemberSummary::default());
            w.summary_table.resize(i + 1, 0);
        }
        w.summary_table[i] = self.table_no;
        w.summaries[i] = summary_of(&cells);
        Ok(())
    }

    /// Reads every figure of a summary row (the first value that cannot be read skips it).
    fn summary_cells(&self, fields: &[&str]) -> Result<SummaryCells, Skip> {
        let order = self.plan.date_order;
        let date = |f: Field| self.read(fields, f, |v| summary_date(v, order));
        let (analysis_col, _) = self.cell(fields, Field::AnalysisDate);
        let analysis = date(Field::AnalysisDate)?.ok_or((analysis_col, Reason::NoDate))?;
        let first = date(Field::FirstPurchase)?;
        let last = date(Field::LastPurchase)?;
        let counts = |f: Field| self.read(fields, f, count);
        let (purchase_days, orders, orders_12m, orders_6m) =
            (counts(Field::PurchaseDays)?, counts(Field::Orders)?, counts(Field::Orders12m)?, counts(Field::Orders6m)?);
        let mut cents = [0i64; 5];
        for (slot, f) in cents.iter_mut().zip(MONEY_FIELDS) {
            *slot = self.read(fields, f, money)?;
        }
        let gap = self.read(fields, Field::LongestGapDays, whole_number)?;
        let longest_gap = match gap {
            None => None,
            Some(g) => Some(Day::try_from(g).ok().filter(|&g| g >= 0).ok_or((self.required(Field::LongestGapDays), Reason::CountOutOfRange))?),
        };
        Ok(SummaryCells { analysis, first, last, purchase_days, orders, orders_12m, orders_6m, money: cents, longest_gap })
    }

    /// The figures of a row against each other and the load's analysis date; the first
    /// contradiction skips the row, naming the column that shows it.
    fn check_summary(&self, fields: &[&str], s: &SummaryCells) -> Result<(), Skip> {
        let at = |f: Field| self.cell(fields, f).0;
        if self.loader.warehouse.analysis_day.is_some_and(|d| d != s.analysis) {
            return Err((at(Field::AnalysisDate), Reason::AnalysisDateDiffers));
        }
        let bought = s.purchase_days > 0;
        if bought != s.first.is_some() || bought != s.last.is_some() {
            let col = if bought { at(if s.first.is_none() { Field::FirstPurchase } else { Field::LastPurchase }) } else { at(Field::PurchaseDays) };
            return Err((col, Reason::PurchaseWithoutDates));
        }
        // An order is a purchase with a positive amount: orders need purchase days.
        if s.orders > 0 && !bought {
            return Err((at(Field::Orders), Reason::PurchaseWithoutDates));
        }
        // A gap is between two purchase days.
        if s.longest_gap.is_some() != (s.purchase_days >= 2) {
            return Err((at(Field::LongestGapDays), Reason::PurchaseWithoutDates));
        }
        if let (Some(first), Some(last)) = (s.first, s.last) {
            if last < first {
                return Err((at(Field::LastPurchase), Reason::LastBeforeFirst));
            }
            if s.longest_gap.is_some_and(|g| g > last - first) {
                return Err((at(Field::LongestGapDays), Reason::LastBeforeFirst));
            }
            if last > s.analysis {
                return Err((at(Field::LastPurchase), Reason::AfterAnalysisDate));
            }
        }
        if s.orders_12m > s.orders {
            return Err((at(Field::Orders12m), Reason::CountAboveTotal));
        }
        if s.orders_6m > s.orders_12m {
            return Err((at(Field::Orders6m), Reason::CountAboveTotal));
        }
        Ok(())
    }

    /// One row of the monthly aggregates.
    pub(super) fn monthly_row(&mut self, fields: &[&str]) -> Result<(), Skip> {
        let (measure_col, name) = self.cell(fields, Field::Measure);
        let measure = Measure::parse(name).ok_or((measure_col, Reason::UnknownMeasure))?;
        let slot = self.monthly_slot(fields, measure)?;
        let (value_col, raw) = self.cell(fields, Field::MeasureValue);
        let value = self.monthly_value(measure, raw).map_err(|r| (value_col, r))?;
        let builder = self.loader.warehouse.monthly.get_or_insert_with(MonthlyBuilder::default);
        if builder.taken(&slot) {
            return Err((measure_col, Reason::MeasureRepeated));
        }
        if measure.is_money() && !self.loader.take_money(value.saturating_abs()) {
            return Err((value_col, Reason::TotalTooLarge));
        }
        if let Some(b) = self.loader.warehouse.monthly.as_mut() {
            b.put(slot, value);
        }
        Ok(())
    }

    /// Where a measure's value goes: its month, month offset or visits bucket as it needs.
    fn monthly_slot(&self, fields: &[&str], measure: Measure) -> Result<Slot, Skip> {
        let optional = |f: Field| self.get(fields, f).unwrap_or((self.required(Field::Measure), ""));
        let month_of = || {
            let (c, v) = optional(Field::Month);
            month(v, self.plan.date_order).ok_or((c, Reason::NotAMonth))
        };
        let offset = || {
            let (c, v) = optional(Field::MonthOffset);
            match whole_number(v).map_err(|r| (c, r))? {
                Some(n) => u16::try_from(n).map_err(|_| (c, Reason::CountOutOfRange)),
                None => Err((c, Reason::NotAWholeNumber)),
            }
        };
        let bucket = || {
            let (c, v) = optional(Field::Visits);
            VISITS_BUCKETS.iter().position(|b| *b == v).ok_or((c, Reason::UnknownVisits))
        };
        Ok(match measure {
            Measure::SleepingDays => Slot::SleepingDays,
            Measure::ActiveAtStart => Slot::Churn(month_of()?, 0),
            Measure::TurnedSleeping => Slot::Churn(month_of()?, 1),
            Measure::Revenue => Slot::Revenue(month_of()?),
            Measure::ActiveMembers => Slot::ActiveMembers(month_of()?),
            Measure::CohortMembers => Slot::CohortMembers(month_of()?),
            Measure::CohortActive => Slot::CohortActive(month_of()?, offset()?),
            Measure::FirstYearMembers => Slot::SecondYear(bucket()?, 0),
            Measure::SecondYearRenewed => Slot::SecondYear(bucket()?, 1),
            Measure::Revenue12m => Slot::Store(0),
            Measure::Orders12m => Slot::Store(1),
            Measure::Gross12m => Slot::Store(2),
            Measure::WalkInRevenue12m => Slot::Store(3),
        })
    }

    /// A measure's value: cents for money (yuan in the file), a day count for `sleeping_days`,
    /// else a count.
    fn monthly_value(&self, measure: Measure, raw: &str) -> Result<i64, Reason> {
        if measure.is_money() {
            if is_null(raw) {
                return Err(Reason::NoAmount);
            }
            return money(raw);
        }
        if measure == Measure::SleepingDays {
            let days = whole_number(raw)?.ok_or(Reason::NotAWholeNumber)?;
            return if (1..=MAX_SLEEPING_DAYS).contains(&days) { Ok(days) } else { Err(Reason::CountOutOfRange) };
        }
        if is_null(raw) {
            return Err(Reason::NotAWholeNumber);
        }
        count(raw).map(i64::from)
    }
}

/// The [`MemberSummary`] of a checked row; `start` is the first purchase (the analysis puts the
/// join date in when a members file gives one).
fn summary_of(s: &SummaryCells) -> MemberSummary {
    let [gross_cents, net_cents, promo_cents, spend_12m_cents, first_day_gross_cents] = s.money;
    let first = s.first.unwrap_or(NO_DAY);
    MemberSummary {
        first,
        last: s.last.unwrap_or(NO_DAY),
        start: first,
        longest_gap: s.longest_gap.unwrap_or(NO_DAY),
        purchase_days: s.purchase_days,
        orders: s.orders,
        orders_12m: s.orders_12m,
        orders_6m: s.orders_6m,
        gross_cents,
        net_cents,
        promo_cents,
        spend_12m_cents,
        first_day_gross_cents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ingest::{Loader, MONEY_BUDGET};
    use crate::import::plan::inspect;

    #[test]
    fn summary_money_counts_against_the_load_budget() {
        let head = "member_id,analysis_date,first_purchase,last_purchase,purchase_days,orders,orders_12m,orders_6m,gross_spend,net_spend,promo_spend,spend_12m,first_day_spend,longest_gap_days";
        let big = "9999999999.99";
        let row = |id: &'static str| [id, "2024-06-30", "2024-01-01", "2024-01-01", "1", "1", "1", "1", big, big, big, big, big, ""];
        let plan = inspect(0, "s.csv", format!("{head}\n").as_bytes(), true).unwrap()[0].plan();
        let mut loader = Loader::new("t");
        // Room for two rows of five such amounts, not three.
        loader.money_used = MONEY_BUDGET - 5 * 999_999_999_999 * 2;
        let mut ingest = loader.table(&plan);
        for (r, id) in [(2, "A"), (3, "B"), (4, "C")] {
            ingest.record(r, &row(id));
        }
        let report = ingest.report().clone();
        ingest.finish();
        assert_eq!((report.rows_used, report.rows_skipped), (2, 1));
        let p = &report.problems[0];
        assert_eq!((p.row, p.column.as_str(), p.code), (4, "gross_spend", Reason::TotalTooLarge));
        let (ds, _) = loader.finish();
        // The member of the refused row was not added.
        assert_eq!(ds.members.ids().collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(ds.precomputed.unwrap().members.iter().map(|s| s.gross_cents).sum::<i64>(), 2 * 999_999_999_999);
    }

    #[test]
    fn whole_numbers_and_counts() {
        assert_eq!(whole_number(""), Ok(None));
        assert_eq!(whole_number("NULL"), Ok(None));
        assert_eq!(whole_number("12"), Ok(Some(12)));
        assert_eq!(whole_number("12.00"), Ok(Some(12)));
        assert_eq!(whole_number("-3"), Ok(Some(-3)));
        assert_eq!(whole_number("1.5"), Err(Reason::NotAWholeNumber));
        assert_eq!(whole_number("x"), Err(Reason::NotAWholeNumber));
        assert_eq!(whole_number("."), Err(Reason::NotAWholeNumber));
        assert_eq!(whole_number("99999999999999999999"), Err(Reason::CountOutOfRange));
        assert_eq!(count("4294967295"), Ok(u32::MAX));
        assert_eq!(count("4294967296"), Err(Reason::CountOutOfRange));
        assert_eq!(count("-1"), Err(Reason::CountOutOfRange));
    }

    #[test]
    fn months_are_year_and_month() {
        let order = DateOrder::default();
        assert_eq!(month("2024-03", order), Some(2024 * 12 + 2));
        assert_eq!(month("2024-3", order), Some(2024 * 12 + 2));
        assert_eq!(month("2024-03-01", order), Some(2024 * 12 + 2));
        assert_eq!(month("2024-13", order), None);
        assert_eq!(month("", order), None);
        assert_eq!(month("march", order), None);
    }
}
