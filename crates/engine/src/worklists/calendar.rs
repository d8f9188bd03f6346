//! Yearly dates (birthdays, join anniversaries) against the analysis date: the week from D and
//! D's calendar month. A Feb 29 falls on Feb 28 in a common year.
//!
//! Every member's date is judged, so the windows are worked out once per analysis date for each
//! (month, day) of the year, and a member's date is split into year, month and day by integer
//! arithmetic (no calendar library call per member).

use chrono::Datelike;

use crate::dates::{day_from_ymd, to_date, Day};

/// Days in "this week": D and the six days after it.
pub const WEEK_DAYS: i32 = 7;

/// The day a yearly date (`month`, `day` of a birthday or a join date) falls on in `year`:
/// Feb 29 is kept on Feb 28 in a common year. `None` outside the calendar's range.
pub fn yearly_on(month: u32, day: u32, year: i32) -> Option<Day> {
    day_from_ymd(year, month, day).or_else(|| (month == 2 && day == 29).then(|| day_from_ymd(year, 2, 28)).flatten())
}

/// Year, month (1–12) and day (1–31) of a day number, by the proleptic Gregorian arithmetic of
/// H. Hinnant's `civil_from_days` (the same dates as chrono, without a library call).
pub fn ymd(day: Day) -> (i64, u32, u32) {
    let z = day as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

/// Where each (month, day) of the year falls around an analysis date D: its next occurrence in
/// D ..= D + 6, and its occurrence in D's calendar month (day and year of each).
#[derive(Clone, Debug, Default)]
pub struct YearlyWindows {
    week: Vec<Option<(Day, i32)>>,
    month: Vec<Option<(Day, i32)>>,
}

fn slot(month: u32, day: u32) -> usize {
    (month as usize) * 32 + day as usize
}

impl YearlyWindows {
    pub fn new(analysis_day: Day) -> Self {
        let today = to_date(analysis_day);
        let mut week = vec![None; 13 * 32];
        let mut month = vec![None; 13 * 32];
        for m in 1..=12u32 {
            for d in 1..=31u32 {
                // Dates that exist in some year (Feb 29 included).
                if day_from_ymd(2000, m, d).is_none() {
                    continue;
                }
                let next = [today.year(), today.year() + 1]
                    .into_iter()
                    .filter_map(|y| yearly_on(m, d, y).map(|on| (on, y)))
                    .find(|&(on, _)| on >= analysis_day);
                week[slot(m, d)] = next.filter(|&(on, _)| (on as i64 - analysis_day as i64) < WEEK_DAYS as i64);
                if m == today.month() {
                    month[slot(m, d)] = yearly_on(m, d, today.year()).map(|on| (on, today.year()));
                }
            }
        }
        YearlyWindows { week, month }
    }

    /// The yearly date of `origin` (a birthday, a join day) in the week D ..= D + 6: the day it
    /// falls on and its year.
    pub fn in_week(&self, origin: Day) -> Option<(Day, i32)> {
        let (_, m, d) = ymd(origin);
        self.week.get(slot(m, d)).copied().flatten()
    }

    /// The yearly date of `origin` in D's calendar month (before or after D).
    pub fn in_month(&self, origin: Day) -> Option<(Day, i32)> {
        let (_, m, d) = ymd(origin);
        self.month.get(slot(m, d)).copied().flatten()
    }
}

/// Whole years from `origin` to a yearly date of it in `year` (a birthday's age, a membership's
/// years).
pub fn years_since(origin: Day, year: i32) -> i64 {
    year as i64 - ymd(origin).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn arithmetic_dates_are_chronos() {
        let (from, to) = (day(1890, 1, 1), day(2110, 12, 31));
        for x in (from..=to).chain([-1_000_000, 1_000_000]) {
            let c = to_date(x);
            assert_eq!(ymd(x), (c.year() as i64, c.month(), c.day()), "{x}");
        }
    }

    #[test]
    fn feb_29_in_common_and_leap_years() {
        assert_eq!(yearly_on(2, 29, 2023), Some(day(2023, 2, 28)));
        assert_eq!(yearly_on(2, 29, 2024), Some(day(2024, 2, 29)));
        assert_eq!(yearly_on(2, 30, 2024), None);
        let w = YearlyWindows::new(day(2023, 2, 25));
        assert_eq!(w.in_week(day(2000, 2, 29)), Some((day(2023, 2, 28), 2023)));
        assert_eq!(w.in_month(day(2000, 2, 29)), Some((day(2023, 2, 28), 2023)));
    }

    #[test]
    fn weeks_cross_the_year_end() {
        let d = day(2024, 12, 28);
        let w = YearlyWindows::new(d);
        assert_eq!(w.in_week(day(1990, 1, 3)), Some((day(2025, 1, 3), 2025)));
        assert_eq!(w.in_week(day(1990, 1, 4)), None);
        assert_eq!(w.in_week(day(1990, 12, 27)), None);
        assert_eq!(w.in_week(day(1990, 12, 28)), Some((d, 2024)));
        assert_eq!(w.in_month(day(1990, 12, 1)), Some((day(2024, 12, 1), 2024)));
        assert_eq!(w.in_month(day(1990, 1, 3)), None);
        assert_eq!(years_since(day(1990, 1, 3), 2025), 35);
    }
}
