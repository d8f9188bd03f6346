//! Churn over time: members turning sleeping each month against the active base, retention of
//! monthly cohorts, second-year retention by first-year visits, and renewal around membership
//! expiry.

use serde::{Deserialize, Serialize};

use super::dates::{format_month, month_key, Day, MonthKey};
use super::model::Dataset;
use super::overview::month_range;
use super::settings::{Settings, MAX_DAYS};
use super::summary::PurchaseDays;

/// Month keys of days from a table made once for a span of days: the calendar arithmetic once
/// per day of the span, not once per purchase. Days outside the span are computed.
pub struct MonthOfDay {
    first: Day,
    months: Vec<MonthKey>,
}

/// The longest span tabled (about 270 years, more than the 1900 ..= 2100 a date may have).
const MAX_TABLED_DAYS: i64 = 100_000;

impl MonthOfDay {
    pub fn new(first: Day, last: Day) -> Self {
        let len = (last as i64 - first as i64 + 1).clamp(0, MAX_TABLED_DAYS);
        MonthOfDay { first, months: (0..len).map(|i| month_key((first as i64 + i) as Day)).collect() }
    }

    pub fn of(&self, day: Day) -> MonthKey {
        let i = day as i64 - self.first as i64;
        usize::try_from(i).ok().and_then(|i| self.months.get(i)).copied().unwrap_or_else(|| month_key(day))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChurnMonth {
    pub month: String,
    /// Members not sleeping at the end of the day before the month's first day: a purchase in
    /// the `sleeping_days` days ending then.
    pub active_at_start: u32,
    /// Of them, members sleeping (or lost) at the end of the month, or of D in D's month: the
    /// lifecycle state's change over the month. A member turns sleeping on the day their
    /// recency reaches `sleeping_days`; one who comes back within the same month is not counted.
    pub turned_sleeping: u32,
    /// `turned_sleeping / active_at_start`.
    pub churn_rate: f64,
    /// Whether the month can be measured: the data reaches back `sleeping_days` before the
    /// month's end, so a member could have turned sleeping in it. The first months of a data
    /// set cannot (their 0 is not a figure); the page shows them as not measurable.
    pub measurable: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// First-purchase month.
    pub month: String,
    pub members: u32,
    /// Share of the cohort with a purchase in month 0, 1, 2 … after the first (up to the
    /// month before the analysis date).
    pub retention: Vec<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrequencyRenewal {
    /// `1`, `2`, `3`, `4-5`, `6-9`, `10+` visits (purchase days) in the first year.
    pub visits: String,
    pub members: u32,
    /// Of them, members with a purchase in their second year.
    pub renewed: u32,
    pub rate: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExpiryRenewal {
    /// Members whose membership expired at least 90 days before the analysis date.
    pub expired: u32,
    /// Of them, members with a purchase in the 90 days after their expiry.
    pub stayed: u32,
    pub stay_rate: f64,
    /// Share of those members with a purchase in each month from 6 before to 6 after expiry
    /// (index 0 = month −6).
    pub active_by_month: Vec<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Churn {
    pub months: Vec<ChurnMonth>,
    pub cohorts: Vec<Cohort>,
    pub second_year: Vec<FrequencyRenewal>,
    /// `None` when the data has no expiry dates.
    pub expiry: Option<ExpiryRenewal>,
}

pub(crate) const VISIT_BUCKETS: [(u32, u32, &str); 6] = [(1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 5, "4-5"), (6, 9, "6-9"), (10, u32::MAX, "10+")];
/// Cohorts shown: the most recent this many months.
pub(crate) const MAX_COHORTS: usize = 36;

/// A member's active spells, each (first purchase, the day the member turns sleeping), from
/// their purchase days (ascending), given to `each` with the first purchase of the next spell.
/// Last purchase d → sleeping on day d + `sleep`, when the recency reaches `sleep` (no purchase
/// in d + 1 ..= d + sleep), the rule of the lifecycle state; a purchase on or before that day
/// continues the spell. No vector: spells are handed over as they close.
fn for_each_spell(days: &[Day], sleep: Day, mut each: impl FnMut((Day, Day), Option<Day>)) {
    let mut spell: Option<(Day, Day)> = None;
    for &d in days {
        let sleeps_on = d.saturating_add(sleep);
        spell = match spell {
            Some((a, s)) if d <= s => Some((a, sleeps_on)),
            Some(closed) => {
                each(closed, Some(d));
                Some((d, sleeps_on))
            }
            None => Some((d, sleeps_on)),
        };
    }
    if let Some(last) = spell {
        each(last, None);
    }
}

/// The first month that can be measured: the month of the first day a member could turn
/// sleeping (the data's first purchase + `sleep` days), when that day is no later than D. Before
/// it, the data does not reach back `sleep` days from the month's end (or from D in D's month),
/// so nobody could have turned sleeping and the month's 0 is not a figure. `None`: no month yet.
pub(crate) fn first_measurable_month(first_purchase: Day, sleep: Day, analysis_day: Day) -> Option<MonthKey> {
    let first_sleeping = first_purchase.checked_add(sleep)?;
    (first_sleeping <= analysis_day).then(|| month_key(first_sleeping))
}

pub fn churn(ds: &Dataset, days: &PurchaseDays, analysis_day: Day, settings: &Settings) -> Churn {
    // Clamped so that no setting, validated or not, can push a day out of range.
    let sleep = settings.sleeping_days.clamp(1, MAX_DAYS);
    let Some((first_month, last_month)) = month_range(days.iter().filter_map(|d| d.first().copied()), analysis_day) else {
        return Churn::default();
    };
    let n_months = (last_month - first_month + 1).max(1) as usize;
    let first_day = days.iter().filter_map(|d| d.first().copied()).min().unwrap_or(analysis_day);
    let month_of = MonthOfDay::new(first_day, analysis_day.saturating_add(sleep));

    // Active at each month start, and members turning sleeping in each month.
    let mut active = vec![0i64; n_months + 1];
    let mut turned = vec![0u32; n_months];
    // Days before the series (only in data spanning centuries) fall in its first month.
    let month_index = |d: Day| (month_of.of(d) - first_month).clamp(0, n_months as i32 - 1) as usize;
    for member_days in days.iter() {
        for_each_spell(member_days, sleep, |(a, s), next| {
            // Active at the start of a month, the end of the day before its first day m, when
            // a < m ≤ s: counted on a difference array over month starts.
            let from = month_index(a) + 1;
            let to = month_index(s.min(analysis_day)) + 1;
            if from < to {
                active[from] += 1;
                active[to.min(n_months)] -= 1;
            }
            // Sleeping by the end of s's month when s is no later than D, the member was
            // active at that month's start and does not come back within it.
            let month = month_index(s);
            let back_within_month = next.is_some_and(|next| month_index(next) == month);
            if s <= analysis_day && from <= month && !back_within_month {
                turned[month] += 1;
            }
        });
    }
    let measurable_from = first_measurable_month(first_day, sleep, analysis_day);
    let mut running = 0i64;
    let months = (0..n_months)
        .map(|i| {
            running += active[i];
            let base = running.max(0) as u32;
            let month = first_month + i as i32;
            let measurable = measurable_from.is_some_and(|from| month >= from);
            ChurnMonth {
                month: format_month(month),
                active_at_start: base,
                turned_sleeping: turned[i],
                churn_rate: if measurable && base > 0 { turned[i] as f64 / base as f64 } else { 0.0 },
                measurable,
            }
        })
        .collect();

    // Cohorts by first-purchase month: only the last MAX_COHORTS are shown, so only they are
    // counted.
    let first_cohort = n_months.saturating_sub(MAX_COHORTS);
    let mut cohort_members: Vec<u32> = vec![0; n_months - first_cohort];
    let mut cohort_active: Vec<Vec<u32>> = (first_cohort..n_months).map(|c| vec![0; n_months - c]).collect();
    for member_days in days.iter() {
        let Some(&f) = member_days.first() else { continue };
        let c = month_index(f);
        let Some(k) = c.checked_sub(first_cohort) else { continue };
        cohort_members[k] += 1;
        let mut last_offset = usize::MAX;
        for &d in member_days {
            let off = month_index(d).saturating_sub(c);
            if off != last_offset {
                if let Some(cell) = cohort_active[k].get_mut(off) {
                    *cell += 1;
                }
                last_offset = off;
            }
        }
    }
    let cohorts = (first_cohort..n_months)
        .zip(cohort_members.iter().zip(&cohort_active))
        .filter(|(_, (&members, _))| members > 0)
        .map(|(c, (&members, active))| Cohort {
            month: format_month(first_month + c as i32),
            members,
            retention: active.iter().map(|&a| a as f64 / members as f64).collect(),
        })
        .collect();

    // Second-year renewal by first-year visits, for members first seen two full years ago.
    let mut buckets: Vec<FrequencyRenewal> =
        VISIT_BUCKETS.iter().map(|b| FrequencyRenewal { visits: b.2.to_string(), ..Default::default() }).collect();
    for member_days in days.iter() {
        let Some(&f) = member_days.first() else { continue };
        // The second year (f + 365 .. f + 730) must have ended by D.
        if f.saturating_add(729) > analysis_day {
            continue;
        }
        let first_year = member_days.iter().filter(|&&d| d < f.saturating_add(365)).count() as u32;
        let renewed = member_days.iter().any(|&d| d >= f.saturating_add(365) && d < f.saturating_add(730));
        if let Some(b) = VISIT_BUCKETS.iter().position(|b| (b.0..=b.1).contains(&first_year)) {
            buckets[b].members += 1;
            buckets[b].renewed += renewed as u32;
        }
    }
    for b in buckets.iter_mut() {
        b.rate = if b.members > 0 { b.renewed as f64 / b.members as f64 } else { 0.0 };
    }

    // Renewal around expiry.
    let expiry = if ds.members.has_expiry() {
        let mut e = ExpiryRenewal { active_by_month: vec![0.0; 13], ..Default::default() };
        for m in 0..ds.members.len() {
            let Some(x) = ds.members.expiry(m) else { continue };
            // The 90 days from the expiry (x .. x + 89) must have ended by D.
            if x.saturating_add(89) > analysis_day {
                continue;
            }
            if m >= days.members() {
                continue;
            }
            let member_days = days.of(m);
            e.expired += 1;
            if member_days.iter().any(|&d| d >= x && d < x.saturating_add(90)) {
                e.stayed += 1;
            }
            let xm = month_key(x);
            let mut seen = [false; 13];
            for &d in member_days {
                let off = month_of.of(d) - xm + 6;
                if (0..13).contains(&off) {
                    seen[off as usize] = true;
                }
            }
            for (k, s) in seen.iter().enumerate() {
                e.active_by_month[k] += *s as u8 as f64;
            }
        }
        if e.expired > 0 {
            e.stay_rate = e.stayed as f64 / e.expired as f64;
            for v in e.active_by_month.iter_mut() {
                *v /= e.expired as f64;
            }
        }
        Some(e)
    } else {
        None
    };
    Churn { months, cohorts, second_year: buckets, expiry }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::day_from_ymd;
    use crate::model::{MemberRecord, TxKind, TxRecord};
    use crate::summary::{PurchaseDays, RowsByMember};

    fn d(y: i32, m: u32, day: u32) -> Day {
        day_from_ymd(y, m, day).unwrap()
    }

    fn dataset(purchases: &[(&str, Day)], expiry: &[(&str, Day)]) -> Dataset {
        let mut ds = Dataset::new("t");
        for (id, x) in expiry {
            ds.add_member(MemberRecord { id: id.to_string(), expiry: Some(*x), ..Default::default() });
        }
        for (id, day) in purchases {
            ds.add_transaction(TxRecord {
                member_id: Some(id),
                day: *day,
                amount_cents: 100,
                discount_cents: 0,
                category: None,
                store: None,
                kind: TxKind::Sale,
            });
        }
        ds
    }

    /// Sleeping once the recency reaches 365 days. A buys 2023-01-10 only → sleeping on
    /// 2024-01-10 (January 2024).
    /// B buys 2023-01-20 and 2023-06-01 → sleeping on 2024-05-31 (May 2024).
    /// Analysis date 2024-06-30. Active at the start of 2023-02: A and B (2); of 2024-01: A and B;
    /// of 2024-02: B only; of 2024-06: none.
    #[test]
    fn monthly_churn_by_hand() {
        let ds = dataset(&[("A", d(2023, 1, 10)), ("B", d(2023, 1, 20)), ("B", d(2023, 6, 1))], &[]);
        let analysis = d(2024, 6, 30);
        let days = PurchaseDays::build(&ds, &RowsByMember::build(&ds), analysis);
        let c = churn(&ds, &days, analysis, &Settings::default());
        let get = |m: &str| c.months.iter().find(|x| x.month == m).unwrap().clone();
        assert_eq!(c.months.first().unwrap().month, "2023-01");
        assert_eq!(c.months.len(), 18);
        assert_eq!(get("2023-01").active_at_start, 0);
        assert_eq!(get("2023-02").active_at_start, 2);
        assert_eq!((get("2024-01").active_at_start, get("2024-01").turned_sleeping), (2, 1));
        assert_eq!(get("2024-01").churn_rate, 0.5);
        assert_eq!((get("2024-02").active_at_start, get("2024-02").turned_sleeping), (1, 0));
        assert_eq!((get("2024-05").active_at_start, get("2024-05").turned_sleeping), (1, 1));
        assert_eq!(get("2024-06").active_at_start, 0);
    }

    /// The data's first purchase is 2023-01-10; with 365 sleeping days nobody can turn sleeping
    /// before 2024-01-10 (2023 has 365 days). Rule: a month is measurable when that day falls on
    /// or before its last day (D in D's month): 2023-01 … 2023-12 are not, 2024-01 on are. With
    /// D = 2024-01-09 no month is; with D = 2024-01-10 January 2024 is.
    #[test]
    fn months_before_anyone_could_sleep_are_not_measurable() {
        let ds = dataset(&[("A", d(2023, 1, 10)), ("B", d(2023, 3, 1)), ("B", d(2023, 9, 1))], &[]);
        let analysis = d(2024, 6, 30);
        let days = PurchaseDays::build(&ds, &RowsByMember::build(&ds), analysis);
        let c = churn(&ds, &days, analysis, &Settings::default());
        let unmeasurable: Vec<&str> = c.months.iter().filter(|m| !m.measurable).map(|m| m.month.as_str()).collect();
        let want: Vec<String> = (1..=12).map(|m| format!("2023-{m:02}")).collect();
        assert_eq!(unmeasurable, want);
        assert_eq!(c.months.iter().filter(|m| m.measurable).count(), 6);
        assert!(c.months.iter().filter(|m| !m.measurable).all(|m| m.churn_rate == 0.0 && m.turned_sleeping == 0));
        // January 2024: A and B active at its start, A turns sleeping on the 10th.
        let jan = c.months.iter().find(|m| m.month == "2024-01").unwrap();
        assert_eq!((jan.active_at_start, jan.turned_sleeping, jan.churn_rate), (2, 1, 0.5));
        assert!(c.months.iter().all(|m| m.churn_rate.is_finite()));

        for (analysis, jan_measurable) in [(d(2024, 1, 9), false), (d(2024, 1, 10), true)] {
            let days = PurchaseDays::build(&ds, &RowsByMember::build(&ds), analysis);
            let c = churn(&ds, &days, analysis, &Settings::default());
            assert_eq!(c.months.last().map(|m| (m.month.as_str(), m.measurable)), Some(("2024-01", jan_measurable)));
            assert_eq!(c.months.iter().filter(|m| m.measurable).count(), jan_measurable as usize);
        }
    }

    /// Cohort 2023-01: A (Jan, Mar) and B (Jan, Feb): month 0 → 2/2, month 1 → 1/2 (B),
    /// month 2 → 1/2 (A). Cohort 2023-02: C (Feb) → 1.
    #[test]
    fn cohorts_by_hand() {
        let ds = dataset(
            &[("A", d(2023, 1, 5)), ("A", d(2023, 3, 5)), ("B", d(2023, 1, 9)), ("B", d(2023, 2, 1)), ("C", d(2023, 2, 2))],
            &[],
        );
        let analysis = d(2023, 3, 31);
        let days = PurchaseDays::build(&ds, &RowsByMember::build(&ds), analysis);
        let c = churn(&ds, &days, analysis, &Settings::default());
        assert_eq!(c.cohorts.len(), 2);
        assert_eq!(c.cohorts[0].month, "2023-01");
        assert_eq!(c.cohorts[0].retention, vec![1.0, 0.5, 0.5]);
        assert_eq!((c.cohorts[1].members, c.cohorts[1].retention.clone()), (1, vec![1.0, 0.0]));
        assert!(c.expiry.is_none());
    }

    /// First-year visits: A 1 visit, no second year; B 4 visits, back in year two; C 4 visits,
    /// not back; D first bought too recently to count.
    #[test]
    fn second_year_by_first_year_visits() {
        let start = d(2021, 1, 1);
        let mut p = vec![("A", start), ("D", d(2023, 6, 1))];
        for k in 0..4 {
            p.push(("B", start + 30 * k));
            p.push(("C", start + 30 * k));
        }
        p.push(("B", start + 400));
        let ds = dataset(&p, &[]);
        let analysis = d(2023, 12, 31);
        let days = PurchaseDays::build(&ds, &RowsByMember::build(&ds), analysis);
        let c = churn(&ds, &days, analysis, &Settings::default());
        let one = &c.second_year[0];
        let four = &c.second_year[3];
        assert_eq!((one.visits.as_str(), one.members, one.renewed), ("1", 1, 0));
        assert_eq!((four.visits.as_str(), four.members, four.renewed, four.rate), ("4-5", 2, 1, 0.5));
        assert_eq!(c.second_year.iter().map(|b| b.members).sum::<u32>(), 3);
    }

    /// Expiry: A expires 2023-06-30 and buys 2023-07-15 (stayed); B expires 2023-06-30, last buys
    /// 2023-05-01 (left); C expires 2024-01-01, too recent to judge.
    #[test]
    fn renewal_around_expiry() {
        let ds = dataset(
            &[("A", d(2023, 7, 15)), ("B", d(2023, 5, 1)), ("C", d(2023, 11, 1))],
            &[("A", d(2023, 6, 30)), ("B", d(2023, 6, 30)), ("C", d(2024, 1, 1))],
        );
        let analysis = d(2024, 1, 31);
        let days = PurchaseDays::build(&ds, &RowsByMember::build(&ds), analysis);
        let e = churn(&ds, &days, analysis, &Settings::default()).expiry.unwrap();
        assert_eq!((e.expired, e.stayed, e.stay_rate), (2, 1, 0.5));
        // Month −1 (May): B; month +1 (July): A.
        assert_eq!(e.active_by_month[5], 0.5);
        assert_eq!(e.active_by_month[7], 0.5);
        assert_eq!(e.active_by_month[6], 0.0);
    }
}
