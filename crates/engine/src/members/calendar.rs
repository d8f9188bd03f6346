//! 生肖 and 星座 of a birthday: filters jewellery and gift shops use.

use serde::{Deserialize, Serialize};

use crate::dates::Day;

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

    pub fn of(birthday: Day) -> Zodiac {
        let _ = birthday;
        Zodiac::Rat
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

    pub fn of(birthday: Day) -> StarSign {
        let _ = birthday;
        StarSign::Aries
    }
}
