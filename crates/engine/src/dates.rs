//! Day numbers: every date in the engine is an `i32` count of days since 1970-01-01, parsed once
//! at load. Arithmetic on them is plain integer arithmetic; chrono is used only at the edges.

use chrono::{Datelike, NaiveDate};

/// Days since 1970-01-01.
pub type Day = i32;

const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// The day number of a calendar date, or `None` if the date does not exist.
pub fn day_from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    NaiveDate::from_ymd_opt(year, month, day).map(|d| d.num_days_from_ce() - UNIX_EPOCH_FROM_CE)
}

/// The calendar date of a day number.
pub fn to_date(day: Day) -> NaiveDate {
    day.checked_add(UNIX_EPOCH_FROM_CE).and_then(NaiveDate::from_num_days_from_ce_opt).unwrap_or(NaiveDate::MIN)
}

/// `2024-03-05`.
pub fn format_day(day: Day) -> String {
    to_date(day).format("%Y-%m-%d").to_string()
}

/// A month as one integer (`year * 12 + month0`), so months subtract and compare.
pub type MonthKey = i32;

pub fn month_key(day: Day) -> MonthKey {
    let d = to_date(day);
    d.year() * 12 + d.month0() as i32
}

/// `2024-03`.
pub fn format_month(key: MonthKey) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// The first day of a month key.
pub fn month_start(key: MonthKey) -> Day {
    day_from_ymd(key.div_euclid(12), key.rem_euclid(12) as u32 + 1, 1).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_round_trip() {
        assert_eq!(day_from_ymd(1970, 1, 1), Some(0));
        assert_eq!(day_from_ymd(1970, 1, 2), Some(1));
        assert_eq!(day_from_ymd(2024, 2, 30), None);
        let d = day_from_ymd(2024, 3, 5).unwrap();
        assert_eq!(format_day(d), "2024-03-05");
        assert_eq!(format_day(d - 5), "2024-02-29");
    }

    #[test]
    fn extreme_day_numbers_do_not_panic() {
        for d in [Day::MIN, Day::MAX, -1_000_000_000, 1_000_000_000] {
            let _ = format_day(d);
            let _ = month_start(month_key(d));
        }
    }

    #[test]
    fn months() {
        let d = day_from_ymd(2024, 12, 31).unwrap();
        let k = month_key(d);
        assert_eq!(format_month(k), "2024-12");
        assert_eq!(format_month(k + 1), "2025-01");
        assert_eq!(format_day(month_start(k + 1)), "2025-01-01");
    }
}
