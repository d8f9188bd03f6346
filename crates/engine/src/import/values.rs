//! Reading one cell: dates, money and ids as store systems write them.

use serde::{Deserialize, Serialize};

use crate::dates::{day_from_ymd, Day};

/// Which number comes first in an `05/03/2024`-style date. Year-first dates never need it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

/// Folds full-width ASCII (`０１２`, `／`, `：`, the ideographic space) to half-width.
pub fn fold_width(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return s.into();
    }
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// `s.trim()`, without looking at characters when both ends are plain ASCII (the usual cell).
pub fn trim_cell(s: &str) -> &str {
    // ASCII whitespace (Unicode's White_Space) is 9..=13 and 32; other ASCII bytes above 32 are
    // not whitespace, and a byte below 128 is a whole character.
    let solid = |b: &u8| *b > b' ' && *b < 0x80;
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if solid(first) && solid(last) => s,
        _ => s.trim(),
    }
}

/// A member id as text: full-width folded, trimmed, Excel's `'` text prefix and a numeric cell's
/// `.0` removed. Leading zeros stay. Borrows when nothing changes (the usual case).
pub fn normalize_id(raw: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    // The usual id, printable ASCII without a text prefix or `.0`: as it is.
    let bytes = raw.as_bytes();
    if bytes.iter().all(|&b| b > b' ' && b < 0x7F) && bytes.first() != Some(&b'\'') && !raw.ends_with(".0") {
        return Cow::Borrowed(raw);
    }
    let strip = |s: &str| -> (usize, usize) {
        let t = trim_cell(s).trim_start_matches('\'');
        let start = t.as_ptr() as usize - s.as_ptr() as usize;
        let end = match t.strip_suffix(".0") {
            Some(int) if !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) => start + int.len(),
            _ => start + t.len(),
        };
        (start, end)
    };
    match fold_width(raw) {
        Cow::Borrowed(s) => {
            let (a, b) = strip(s);
            Cow::Borrowed(&s[a..b])
        }
        Cow::Owned(s) => {
            let (a, b) = strip(&s);
            Cow::Owned(s[a..b].to_string())
        }
    }
}

/// Why a money value could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyError {
    /// Not an amount at all.
    Unreadable,
    /// An amount beyond [`MAX_AMOUNT_CENTS`]: no store takes that much in one row, and sums of
    /// such values could overflow.
    TooLarge,
}

/// The largest amount one row may carry: ¥10,000,000,000.00.
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000_000_000;

/// Money in cents: `1,280.00`, `￥1,280`, `¥35`, `$12.5`, `35元`, `(12.00)` (negative), `-8`,
/// `￥-716.40`, `716.40-`, full-width digits. Exact decimal arithmetic, rounded half away from
/// zero at the cent. `None` when unreadable or beyond [`MAX_AMOUNT_CENTS`].
pub fn parse_money(raw: &str) -> Option<i64> {
    parse_money_checked(raw).ok()
}

/// Currency words and signs written before or after an amount. Longest first, so `HK$` is taken
/// whole before `$`.
const CURRENCY_MARKS: [&str; 12] = ["HK$", "US$", "RMB", "CNY", "USD", "HKD", "rmb", "cny", "usd", "¥", "￥", "$"];

/// Strips one currency mark from the start of `s` (then spaces).
fn strip_currency_prefix(s: &str) -> &str {
    CURRENCY_MARKS.iter().find_map(|m| s.strip_prefix(m)).map_or(s, str::trim_start)
}

/// Strips one currency mark (or `元`) from the end of `s` (then spaces).
fn strip_currency_suffix(s: &str) -> &str {
    let s = s.strip_suffix('元').unwrap_or(s).trim_end();
    CURRENCY_MARKS.iter().find_map(|m| s.strip_suffix(m)).map_or(s, str::trim_end)
}

/// Whether `c` is a sign, and a minus.
fn sign_of(c: char) -> Option<bool> {
    match c {
        '-' | '\u{2212}' => Some(true),
        '+' => Some(false),
        _ => None,
    }
}

/// Takes one sign from the start of `s`: `Some(true)` for a minus.
fn take_leading_sign(s: &mut &str) -> Option<bool> {
    let c = s.chars().next()?;
    let negative = sign_of(c)?;
    *s = s[c.len_utf8()..].trim_start();
    Some(negative)
}

/// Takes one sign from the end of `s` (`716.40-`, as some POS systems write refunds).
fn take_trailing_sign(s: &mut &str) -> Option<bool> {
    let c = s.chars().next_back()?;
    let negative = sign_of(c)?;
    *s = s[..s.len() - c.len_utf8()].trim_end();
    Some(negative)
}

/// Money in cents, or why not (the forms of [`parse_money`]). The sign may stand before or after
/// the currency mark (`-￥716.40`, `￥-716.40`, `¥ -35`, `RMB-12`) or after the number
/// (`716.40-`); one sign only, and never inside the number (`5-5`, `--5` are unreadable).
/// Thousands separators (`,` or a space) must be followed by three digits: `1 280,00` is not
/// guessed as a European decimal, it is unreadable.
pub fn parse_money_checked(raw: &str) -> Result<i64, MoneyError> {
    use MoneyError::Unreadable;
    // The usual cell, `128.00` or `-35`: no marks to look for (millions of rows take this way).
    let plain = raw.strip_prefix('-').unwrap_or(raw);
    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let cents = plain_cents(plain.as_bytes())?;
        return Ok(if plain.len() < raw.len() { -cents } else { cents });
    }
    let folded = fold_width(raw);
    // Excel's text prefix `'` is not part of the value.
    let mut s = folded.trim().trim_start_matches('\'').trim_start();
    let mut parenthesised = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        parenthesised = true;
        s = inner.trim();
    }
    // Sign and currency in either order before the number; currency and sign after it.
    let signs = [
        take_leading_sign(&mut s),
        {
            s = strip_currency_prefix(s);
            take_leading_sign(&mut s)
        },
        take_trailing_sign(&mut s),
        {
            s = strip_currency_suffix(s);
            take_trailing_sign(&mut s)
        },
    ];
    let mut given = signs.iter().flatten();
    let sign = given.next().copied();
    if given.next().is_some() || (parenthesised && sign.is_some()) {
        return Err(Unreadable);
    }
    let cents = unsigned_cents(s)?;
    let negative = parenthesised || sign == Some(true);
    Ok(if negative { -cents } else { cents })
}

/// [`unsigned_cents`] of digits and dots only, byte by byte (the usual cell).
fn plain_cents(b: &[u8]) -> Result<i64, MoneyError> {
    use MoneyError::{TooLarge, Unreadable};
    let (int_part, frac_part) = match b.iter().position(|&c| c == b'.') {
        Some(i) => (b.get(..i).unwrap_or_default(), b.get(i + 1..)),
        None => (b, None),
    };
    let mut int: i64 = 0;
    let mut significant = 0;
    for &c in int_part {
        if int > 0 || c != b'0' {
            significant += 1;
        }
        if significant > 15 {
            return Err(TooLarge);
        }
        int = int * 10 + i64::from(c - b'0');
    }
    let mut frac = [0i64; 3];
    for (i, &c) in frac_part.unwrap_or_default().iter().enumerate() {
        // A second decimal point.
        if c == b'.' {
            return Err(Unreadable);
        }
        if let Some(slot) = frac.get_mut(i) {
            *slot = i64::from(c - b'0');
        }
    }
    if int_part.is_empty() && frac_part.is_none_or(|f| f.is_empty()) {
        return Err(Unreadable);
    }
    let cents = int * 100 + frac[0] * 10 + frac[1] + i64::from(frac[2] >= 5);
    if cents > MAX_AMOUNT_CENTS {
        return Err(TooLarge);
    }
    Ok(cents)
}

/// The cents of a plain number: digits with optional thousands separators and one decimal
/// point; the third decimal rounds half up.
fn unsigned_cents(s: &str) -> Result<i64, MoneyError> {
    use MoneyError::{TooLarge, Unreadable};
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let mut int: i64 = 0;
    let mut significant = 0;
    let mut any_digit = false;
    // Digits since the last thousands separator (None before the first separator).
    let mut group: Option<usize> = None;
    for c in int_part.chars() {
        match c {
            '0'..='9' => {
                any_digit = true;
                group = group.map(|g| g + 1);
                if int > 0 || c != '0' {
                    significant += 1;
                }
                if significant > 15 {
                    return Err(TooLarge);
                }
                int = int * 10 + (c as i64 - '0' as i64);
            }
            ',' | ' ' | '\u{a0}' if any_digit && group.is_none_or(|g| g == 3) => group = Some(0),
            _ => return Err(Unreadable),
        }
    }
    if group.is_some_and(|g| g != 3) {
        return Err(Unreadable);
    }
    let mut frac = [0i64; 3];
    for (i, c) in frac_part.unwrap_or("").chars().enumerate() {
        let d = c.to_digit(10).ok_or(Unreadable)? as i64;
        any_digit = true;
        if i < 3 {
            frac[i] = d;
        }
    }
    if !any_digit {
        return Err(Unreadable);
    }
    let mut cents = int * 100 + frac[0] * 10 + frac[1];
    if frac[2] >= 5 {
        cents += 1;
    }
    if cents > MAX_AMOUNT_CENTS {
        return Err(TooLarge);
    }
    Ok(cents)
}

/// Excel's serial day 0 (1899-12-30) as a day number.
const EXCEL_EPOCH: Day = -25_569;

/// A day from an Excel serial number (days since 1899-12-30; the fraction is the time of day).
/// Only serials from 1927 to 2118 (10,000 ..= 80,000) are taken as dates.
pub fn day_from_excel_serial(serial: f64) -> Option<Day> {
    (10_000.0..=80_000.0).contains(&serial).then(|| EXCEL_EPOCH + serial.floor() as Day)
}

/// A day from the serial of a date *cell*, any year Excel can hold (0001 ..= 9999): a date cell
/// is a date even when its year is absurd, so the row is reported as out of range, not unreadable.
pub fn day_from_excel_date_cell(serial: f64) -> Option<Day> {
    (-693_593.0..=2_958_466.0).contains(&serial).then(|| EXCEL_EPOCH + serial.floor() as Day)
}

/// The years a date may fall in: anything else is a typo or a placeholder (`0001-01-01`,
/// `9999-12-31`), and would stretch every monthly series over centuries.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;

/// Why a date could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    Unreadable,
    /// A real date outside [`MIN_YEAR`] ..= [`MAX_YEAR`].
    OutOfRange,
}

/// 1900-01-01 and 2100-12-31 as day numbers (constants: this check runs on every date read).
const FIRST_DAY: Day = -25_567;
const LAST_DAY: Day = 47_846;

fn in_year_range(day: Day) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&day)
}

/// A date in [`MIN_YEAR`] ..= [`MAX_YEAR`], or why not (see [`parse_date`] for the forms read).
pub fn parse_date_checked(raw: &str, order: DateOrder) -> Result<Day, DateError> {
    match parse_date_any_year(raw, order) {
        Some(d) if in_year_range(d) => Ok(d),
        Some(_) => Err(DateError::OutOfRange),
        None => Err(DateError::Unreadable),
    }
}

/// A date as [`parse_date_checked`] reads it, `None` when unreadable or out of range.
pub fn parse_date(raw: &str, order: DateOrder) -> Option<Day> {
    parse_date_checked(raw, order).ok()
}

/// A date as store systems write it: `2024-03-05`, `2024/3/5 14:22`, `2024.3.5`, `2024年3月5日`,
/// `20240305`, `05/03/2024` (by `order`), `2024-03-05T14:22:00+08:00`, or an Excel serial
/// number such as `45356` or `45356.59`. The time and zone are ignored: the date is the one
/// written. Any year chrono knows; callers use [`parse_date_checked`].
fn parse_date_any_year(raw: &str, order: DateOrder) -> Option<Day> {
    if let Some(day) = iso_date_fast(raw.as_bytes()) {
        return Some(day);
    }
    if let Some(ymd) = compact_date_fast(raw.as_bytes()) {
        return ymd;
    }
    let folded = fold_width(raw);
    let s = folded.trim();
    if s.is_empty() {
        return None;
    }
    // 2024年3月5日 [14:22]
    if let Some((y, rest)) = s.split_once('年') {
        let (m, rest) = rest.split_once('月')?;
        let d = rest.split('日').next()?;
        return day_from_ymd(y.trim().parse().ok()?, m.trim().parse().ok()?, d.trim().parse().ok()?);
    }
    let date_part = s.split([' ', 'T']).next()?;
    if date_part.bytes().all(|b| b.is_ascii_digit()) {
        if date_part.len() == 8 {
            let n: u32 = date_part.parse().ok()?;
            return day_from_ymd((n / 10_000) as i32, n / 100 % 100, n % 100);
        }
        return day_from_excel_serial(date_part.parse().ok()?);
    }
    if let Ok(serial) = s.parse::<f64>() {
        return day_from_excel_serial(serial);
    }
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let n = |i: usize| parts[i].parse::<u32>().ok();
    if parts[0].len() == 4 {
        return day_from_ymd(n(0)? as i32, n(1)?, n(2)?);
    }
    if parts[2].len() == 4 || parts[2].len() == 2 {
        let year = if parts[2].len() == 2 { 2000 + n(2)? as i32 } else { n(2)? as i32 };
        let (a, b) = (n(0)?, n(1)?);
        // An impossible month settles the order whatever the setting says.
        let (d, m) = match order {
            _ if a > 12 => (a, b),
            _ if b > 12 => (b, a),
            DateOrder::DayFirst => (a, b),
            DateOrder::MonthFirst => (b, a),
        };
        return day_from_ymd(year, m, d);
    }
    None
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`, alone or before a time: the common case, without allocation.
fn iso_date_fast(b: &[u8]) -> Option<Day> {
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] || (b.len() > 10 && b[10] != b' ' && b[10] != b'T') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
    };
    civil_day(num(0..4)?, num(5..7)?, num(8..10)?)
}

/// `YYYYMMDD` alone, without allocation: `Some(result)` when the value has that form (the
/// slow path reads it the same way).
fn compact_date_fast(b: &[u8]) -> Option<Option<Day>> {
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = b.iter().fold(0u32, |acc, &c| acc * 10 + (c - b'0') as u32);
    Some(civil_day(n / 10_000, n / 100 % 100, n % 100))
}

/// [`day_from_ymd`] for years 0 ..= 9999 by arithmetic (the fast paths run it on every row):
/// days since 1970-01-01 by Howard Hinnant's `days_from_civil`, `None` for a date that does not
/// exist.
fn civil_day(year: u32, month: u32, day: u32) -> Option<Day> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if year > 9_999 || day == 0 || day > month_days {
        return None;
    }
    // Years start in March, so the leap day is the last of its year.
    let y = year as i32 - i32::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let day_of_year = (153 * ((month as i32 + 9) % 12) + 2) / 5 + day as i32 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// Characters that separate the tags of one cell (标签): commas, semicolons, the enumeration
/// comma 、, bars and slashes, half- and full-width.
const TAG_SEPARATORS: [char; 11] = [',', '，', ';', '；', '、', '|', '｜', '/', '／', '\n', '\r'];

/// The tags of one cell: split at [`TAG_SEPARATORS`], trimmed, empty ones dropped, each once
/// (the first time it appears), in order; at most `limit` of them, and whether the cell has
/// more (a huge cell is read once, never compared tag with tag beyond the limit).
pub fn split_tags(cell: &str, limit: usize) -> (Vec<&str>, bool) {
    let mut tags: Vec<&str> = Vec::new();
    for t in cell.split(TAG_SEPARATORS).map(str::trim) {
        if t.is_empty() || tags.contains(&t) {
            continue;
        }
        if tags.len() >= limit {
            return (tags, true);
        }
        tags.push(t);
    }
    (tags, false)
}

/// What a sample of `dd/mm/yyyy`-style values says about their order: `Some` when a value
/// settles it (a first number over 12 means day-first), `None` when every value is ambiguous or
/// none has that form.
pub fn infer_date_order<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<DateOrder> {
    for v in values {
        let folded = fold_width(v);
        let date_part = folded.trim().split([' ', 'T']).next().unwrap_or("").to_string();
        let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
        if parts.len() == 3 && parts[0].len() <= 2 && parts[1].len() <= 2 {
            let (a, b) = (parts[0].parse::<u32>().unwrap_or(0), parts[1].parse::<u32>().unwrap_or(0));
            if a > 12 && b <= 12 {
                return Some(DateOrder::DayFirst);
            }
            if b > 12 && a <= 12 {
                return Some(DateOrder::MonthFirst);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<Day> {
        day_from_ymd(y, m, d)
    }

    #[test]
    fn dates_in_every_form_of_the_issue() {
        let o = DateOrder::DayFirst;
        let march5 = ymd(2024, 3, 5);
        for s in [
            "2024-03-05",
            "2024/3/5 14:22",
            "2024.3.5",
            "2024年3月5日",
            "2024年3月5日 14:22",
            "20240305",
            "05/03/2024",
            "5/3/2024 09:00",
            "2024-03-05T14:22:00+08:00",
            "2024-03-05T23:59:59Z",
            "４５３５６",
            "45356",
            "45356.59",
            "２０２４－０３－０５",
            " 2024-03-05 ",
        ] {
            assert_eq!(parse_date(s, o), march5, "{s}");
        }
        assert_eq!(parse_date("03/05/2024", DateOrder::MonthFirst), march5);
        assert_eq!(parse_date("13/05/2024", DateOrder::MonthFirst), ymd(2024, 5, 13), "impossible month");
        for bad in ["", "yesterday", "2024-02-30", "2024-13-01", "1", "12345678901", "05/03", "2024-3-5-1"] {
            assert_eq!(parse_date(bad, o), None, "{bad}");
        }
    }

    #[test]
    fn dates_outside_1900_to_2100_are_out_of_range() {
        let o = DateOrder::DayFirst;
        for s in ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "99991231"] {
            assert_eq!(parse_date_checked(s, o), Err(DateError::OutOfRange), "{s}");
            assert_eq!(parse_date(s, o), None, "{s}");
        }
        assert_eq!(parse_date_checked("1900-01-01", o), Ok(day_from_ymd(1900, 1, 1).unwrap()));
        assert_eq!(parse_date_checked("2100-12-31", o), Ok(day_from_ymd(2100, 12, 31).unwrap()));
        assert_eq!(parse_date_checked("soon", o), Err(DateError::Unreadable));
    }

    #[test]
    fn the_arithmetic_calendar_agrees_with_chrono() {
        for year in (0..=9_999).step_by(7).chain(1_890..=2_110).chain([0, 1_600, 1_700, 1_900, 2_000, 2_100, 9_999]) {
            for month in 0..=13 {
                for day in 0..=32 {
                    assert_eq!(civil_day(year, month, day), day_from_ymd(year as i32, month, day), "{year}-{month}-{day}");
                }
            }
        }
        assert_eq!(civil_day(1970, 1, 1), Some(0));
        assert_eq!(civil_day(10_000, 1, 1), None);
    }

    #[test]
    fn the_year_range_constants_are_its_first_and_last_days() {
        assert_eq!(day_from_ymd(MIN_YEAR, 1, 1), Some(FIRST_DAY));
        assert_eq!(day_from_ymd(MAX_YEAR, 12, 31), Some(LAST_DAY));
    }

    #[test]
    fn money_beyond_the_bound_is_too_large() {
        assert_eq!(parse_money_checked("999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(parse_money_checked("99999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(parse_money_checked("10000000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(parse_money_checked("10000000000.00"), Ok(MAX_AMOUNT_CENTS));
        assert_eq!(parse_money_checked("12a"), Err(MoneyError::Unreadable));
    }

    #[test]
    fn date_order_from_a_sample() {
        assert_eq!(infer_date_order(["01/02/2024", "25/02/2024"]), Some(DateOrder::DayFirst));
        assert_eq!(infer_date_order(["01/02/2024", "02/25/2024"]), Some(DateOrder::MonthFirst));
        assert_eq!(infer_date_order(["01/02/2024", "2024-05-30"]), None);
    }

    #[test]
    fn plain_numbers_read_as_the_general_path_reads_them() {
        let mut values: Vec<String> = ["0", "00", ".", "..", "1.", ".5", "5.", "1.2.3", "0.005", "0.004", "12.344", "12.345", "1.999", "999999999999999", "99999999999999", "000000000000000000012", "10000000000.00", "10000000000.01", "10000000000.005", "1..2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Every string of up to five characters over a few digits and the point.
        let alphabet = ['0', '1', '5', '9', '.'];
        let mut level = vec![String::new()];
        for _ in 0..5 {
            level = level.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            values.extend(level.iter().cloned());
        }
        for v in &values {
            assert_eq!(plain_cents(v.as_bytes()), unsigned_cents(v), "{v}");
        }
    }

    #[test]
    fn money_in_every_form_of_the_issue() {
        for (s, cents) in [
            ("￥1,280.00", 128_000),
            ("¥35", 3_500),
            ("$12.5", 1_250),
            ("35元", 3_500),
            ("(12.00)", -1_200),
            ("-8", -800),
            ("8-", -800),
            ("１２３．４５", 12_345),
            ("RMB 99.99", 9_999),
            ("0.005", 1),
            ("12.344", 1_234),
            (".5", 50),
            ("+3", 300),
            // The sign after the currency mark, before it, or after the number.
            ("￥-716.40", -71_640),
            ("-￥716.40", -71_640),
            ("¥ -35", -3_500),
            ("- ¥35", -3_500),
            ("RMB-12.00", -1_200),
            ("RMB -12", -1_200),
            ("CNY-5", -500),
            ("716.40-", -71_640),
            ("￥716.40-", -71_640),
            ("(￥12.00)", -1_200),
            ("-$5", -500),
            ("$-5", -500),
            ("USD 5", 500),
            ("HK$5", 500),
            ("35 元", 3_500),
            ("12.00 RMB", 1_200),
            ("1 280", 128_000),
            ("'35", 3_500),
            ("0000000000000000012", 1_200),
        ] {
            assert_eq!(parse_money(s), Some(cents), "{s}");
        }
        for bad in [
            "", "abc", "1.2.3", "¥", "12,3a", "--5", "1e5", "9999999999999999", "5-5", "-5-", "-(5)", "(-5)",
            "￥ 1 280,00", "1,28", "12 34", ",5", "￥--5", "- -5", "¥-", "-", ".", "1.2-3",
        ] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
    }

    #[test]
    fn ids_keep_leading_zeros_and_fold_width() {
        assert!(matches!(normalize_id("88001"), std::borrow::Cow::Borrowed("88001")));
        assert_eq!(normalize_id(" 00123 "), "00123");
        assert_eq!(normalize_id("ＶＩＰ００１"), "VIP001");
        assert_eq!(normalize_id("'00123"), "00123");
        assert_eq!(normalize_id("8800001.0"), "8800001");
        assert_eq!(normalize_id("A.0"), "A.0");
    }
}
