//! Which records a request asks for: `?page=P&size=N` or `?cursor=C&size=N`, and the cursors
//! themselves. A cursor is an opaque, stable encoding of the offset of the next record and the
//! list it belongs to, with a check so that a mangled one is refused rather than misread.

use crate::options::{List, MAX_PAGE_SIZE};

/// A request's window: records `offset .. offset + size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub offset: usize,
    pub size: usize,
}

impl Window {
    /// The page number the window is (from 1), for faults set per page.
    pub fn page(&self) -> u64 {
        (self.offset / self.size.max(1)) as u64 + 1
    }

    /// The records of the window among `len` (empty past the end).
    pub fn range(&self, len: usize) -> std::ops::Range<usize> {
        let start = self.offset.min(len);
        start..self.offset.saturating_add(self.size).min(len)
    }
}

/// Reads the query. Unknown parameters are ignored; a bad page, size or cursor is an error
/// (its message is the answer's `error`). A size above [`MAX_PAGE_SIZE`] is lowered to it.
pub fn window(query: Option<&str>, default_size: u32, list: List) -> Result<Window, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or("")).map_err(|_| "the query string is not form-encoded".to_string())?;
    let get = |name: &str| -> Result<Option<&str>, String> {
        let mut found = pairs.iter().filter(|(k, _)| k == name);
        let first = found.next().map(|(_, v)| v.as_str());
        if found.next().is_some() {
            return Err(format!("{name} is given twice"));
        }
        Ok(first)
    };
    let size = match get("size")? {
        Some(s) => positive(s).ok_or_else(|| format!("size must be a whole number from 1, not {s:?}"))?.min(MAX_PAGE_SIZE as u64) as usize,
        None => default_size as usize,
    };
    match (get("cursor")?, get("page")?) {
        (Some(_), Some(_)) => Err("give a cursor or a page, not both".into()),
        (Some(c), None) => decode_cursor(c, list).map(|offset| Window { offset, size }).ok_or_else(|| "the cursor is not one this server gave".into()),
        (None, Some(p)) => {
            let page = positive(p).ok_or_else(|| format!("page must be a whole number from 1, not {p:?}"))?;
            let offset = (page - 1).checked_mul(size as u64).and_then(|o| usize::try_from(o).ok()).ok_or("page is too large")?;
            Ok(Window { offset, size })
        }
        (None, None) => Ok(Window { offset: 0, size }),
    }
}

/// A whole number ≥ 1 written plainly (digits only, at most 18 of them).
fn positive(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u64>().ok().filter(|&n| n >= 1)
}

/// Scrambles offsets so that cursors do not read as numbers a client might compute.
const MASK: u64 = 0x9E37_79B9_7F4A_7C15;

fn list_letter(list: List) -> char {
    match list {
        List::Members => 'm',
        List::Transactions => 't',
    }
}

fn check_digits(list: List, scrambled: u64) -> u8 {
    let mut sum = list_letter(list) as u64;
    for b in scrambled.to_le_bytes() {
        sum = sum.wrapping_mul(31).wrapping_add(b as u64);
    }
    (sum % 251) as u8
}

/// The cursor of the record at `offset` of `list`: the same offset always gives the same cursor.
pub fn encode_cursor(list: List, offset: usize) -> String {
    let scrambled = (offset as u64) ^ MASK;
    format!("{}{:016x}{:02x}", list_letter(list), scrambled, check_digits(list, scrambled))
}

pub fn decode_cursor(cursor: &str, list: List) -> Option<usize> {
    let rest = cursor.strip_prefix(list_letter(list))?;
    if rest.len() != 18 || !rest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let scrambled = u64::from_str_radix(rest.get(..16)?, 16).ok()?;
    let check = u8::from_str_radix(rest.get(16..)?, 16).ok()?;
    if check != check_digits(list, scrambled) {
        return None;
    }
    usize::try_from(scrambled ^ MASK).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_are_stable_and_refuse_garbage() {
        for offset in [0, 1, 499, 500, 123_456_789] {
            let c = encode_cursor(List::Transactions, offset);
            assert_eq!(c, encode_cursor(List::Transactions, offset));
            assert_eq!(decode_cursor(&c, List::Transactions), Some(offset));
            assert_eq!(decode_cursor(&c, List::Members), None, "a transactions cursor is not a members cursor");
            let mut mangled = c.clone().into_bytes();
            mangled[5] = if mangled[5] == b'0' { b'1' } else { b'0' };
            assert_eq!(decode_cursor(std::str::from_utf8(&mangled).unwrap(), List::Transactions), None);
        }
        for bad in ["", "t", "t123", "x0000000000000000", "t\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}"] {
            assert_eq!(decode_cursor(bad, List::Transactions), None, "{bad}");
        }
    }

    #[test]
    fn windows_from_queries() {
        let w = |q: &str| window(Some(q), 500, List::Transactions);
        assert_eq!(w(""), Ok(Window { offset: 0, size: 500 }));
        assert_eq!(w("page=3&size=10"), Ok(Window { offset: 20, size: 10 }));
        assert_eq!(w("page=1&size=99999").map(|w| w.size), Ok(MAX_PAGE_SIZE as usize));
        let c = encode_cursor(List::Transactions, 40);
        assert_eq!(w(&format!("cursor={c}&size=20")), Ok(Window { offset: 40, size: 20 }));
        assert_eq!(Window { offset: 40, size: 20 }.page(), 3);
        assert_eq!(Window { offset: 40, size: 20 }.range(45), 40..45);
        assert_eq!(Window { offset: 60, size: 20 }.range(45), 45..45);
        assert_eq!(Window { offset: usize::MAX, size: 20 }.range(45), 45..45);
        for bad in ["page=0", "page=-1", "page=abc", "size=0", "size=1.5", "page=99999999999999999999", "page=1&page=2", "cursor=zz", "cursor=x&page=1", "page=%FF"] {
            assert!(w(bad).is_err(), "{bad}");
        }
        assert!(w("page=999999999999999999&size=10000").is_err(), "an offset past u64 is refused");
    }
}
