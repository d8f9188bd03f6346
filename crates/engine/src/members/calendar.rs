//! 生肖 and 星座 of a birthday: filters jewellery and gift shops use.

use serde::{Deserialize, Serialize};

use chrono::Datelike;

use crate::dates::{to_date, Day};

/// The Chinese zodiac animal of the birth year (by the Gregorian year: the member files carry
/// no lunar dates, and stores file a member under the year of the birthday written).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zodiac {
    Rat,
    Ox,
    Tiger,
    Rabbit,
    Dragon,
    Snake,
    Horse,
    Goat,
    Monkey,
    Rooster,
    Dog,
    Pig,
}

/// The Western star sign of the birthday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StarSign {
    Aries,
    Taurus,
    Gemini,
    Cancer,
    Leo,
    Virgo,
    Libra,
    Scorpio,
    Sagittarius,
    Capricorn,
    Aquarius,
    Pisces,
}

impl Zodiac {
    pub const ALL: [Zodiac; 12] = [
        Zodiac::Rat,
        Zodiac::Ox,
        Zodiac::Tiger,
        Zodiac::Rabbit,
        Zodiac::Dragon,
        Zodiac::Snake,
        Zodiac::Horse,
        Zodiac::Goat,
        Zodiac::Monkey,
        Zodiac::Rooster,
        Zodiac::Dog,
        Zodiac::Pig,
    ];

    /// The animal of the birthday's Gregorian year: 2020 was a year of the Rat.
    pub fn of(birthday: Day) -> Zodiac {
        let year = to_date(birthday).year();
        Zodiac::ALL.get((year - 4).rem_euclid(12) as usize).copied().unwrap_or(Zodiac::Rat)
    }
}

impl StarSign {
    pub const ALL: [StarSign; 12] = [
        StarSign::Aries,
        StarSign::Taurus,
        StarSign::Gemini,
        StarSign::Cancer,
        StarSign::Leo,
        StarSign::Virgo,
        StarSign::Libra,
        StarSign::Scorpio,
        StarSign::Sagittarius,
        StarSign::Capricorn,
        StarSign::Aquarius,
        StarSign::Pisces,
    ];

    /// The sign of the birthday by the usual tropical dates (白羊 3-21 … 双鱼 3-20).
    pub fn of(birthday: Day) -> StarSign {
        let d = to_date(birthday);
        let md = (d.month(), d.day());
        // The sign that starts on or before the day; before 01-20, Capricorn (from 12-22).
        SIGN_STARTS.iter().rev().find(|(start, _)| *start <= md).map_or(StarSign::Capricorn, |(_, s)| *s)
    }
}

/// The first day (month, day) of each star sign in the calendar year.
const SIGN_STARTS: [((u32, u32), StarSign); 12] = [
    ((1, 20), StarSign::Aquarius),
    ((2, 19), StarSign::Pisces),
    ((3, 21), StarSign::Aries),
    ((4, 20), StarSign::Taurus),
    ((5, 21), StarSign::Gemini),
    ((6, 22), StarSign::Cancer),
    ((7, 23), StarSign::Leo),
    ((8, 23), StarSign::Virgo),
    ((9, 23), StarSign::Libra),
    ((10, 24), StarSign::Scorpio),
    ((11, 23), StarSign::Sagittarius),
    ((12, 22), StarSign::Capricorn),
];

/// Whole years from `birthday` to `day` (a birthday on 02-29 comes on 03-01 in other years);
/// `None` when the birthday is after `day`.
pub fn age_on(birthday: Day, day: Day) -> Option<u16> {
    let (b, d) = (to_date(birthday), to_date(day));
    let before_birthday = (d.month(), d.day()) < (b.month(), b.day());
    let years = d.year() - b.year() - i32::from(before_birthday);
    u16::try_from(years).ok().filter(|_| birthday <= day)
}

/// The month (1–12) of a day.
pub fn month_of(day: Day) -> u8 {
    to_date(day).month() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::day_from_ymd;

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn zodiac_by_gregorian_year() {
        assert_eq!(Zodiac::of(day(2020, 6, 1)), Zodiac::Rat);
        assert_eq!(Zodiac::of(day(2024, 1, 1)), Zodiac::Dragon);
        assert_eq!(Zodiac::of(day(1990, 12, 31)), Zodiac::Horse);
        assert_eq!(Zodiac::of(day(2031, 3, 3)), Zodiac::Pig);
    }

    #[test]
    fn star_signs_change_on_their_first_day() {
        let cases = [
            ((1, 1), StarSign::Capricorn),
            ((1, 19), StarSign::Capricorn),
            ((1, 20), StarSign::Aquarius),
            ((2, 18), StarSign::Aquarius),
            ((2, 19), StarSign::Pisces),
            ((3, 20), StarSign::Pisces),
            ((3, 21), StarSign::Aries),
            ((4, 20), StarSign::Taurus),
            ((6, 21), StarSign::Gemini),
            ((6, 22), StarSign::Cancer),
            ((8, 22), StarSign::Leo),
            ((9, 23), StarSign::Libra),
            ((10, 23), StarSign::Libra),
            ((10, 24), StarSign::Scorpio),
            ((12, 21), StarSign::Sagittarius),
            ((12, 22), StarSign::Capricorn),
            ((12, 31), StarSign::Capricorn),
        ];
        for ((m, d), sign) in cases {
            assert_eq!(StarSign::of(day(2001, m, d)), sign, "{m}-{d}");
        }
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(day(1990, 5, 10), day(2024, 5, 9)), Some(33));
        assert_eq!(age_on(day(1990, 5, 10), day(2024, 5, 10)), Some(34));
        assert_eq!(age_on(day(2000, 2, 29), day(2023, 2, 28)), Some(22));
        assert_eq!(age_on(day(2000, 2, 29), day(2023, 3, 1)), Some(23));
        assert_eq!(age_on(day(2024, 1, 2), day(2024, 1, 1)), None);
        assert_eq!(age_on(day(2024, 1, 1), day(2024, 1, 1)), Some(0));
    }
}
