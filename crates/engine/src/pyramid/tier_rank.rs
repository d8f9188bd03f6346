//! A tier's place on the usual ladder of tier names (普通 < 银 < 金 < 白金 < 钻石 < 黑金,
//! basic < silver < gold < platinum < diamond < black, VIP1 < VIP2 …), read from its name.
//!
//! Ranks: named ranks are small numbers (basic 10 … black 60); a bare "VIP" or 贵宾 (no number)
//! is 11, just above basic and below silver; 会员 / 会员卡 alone are basic; numbered names (VIP3, V3, LV3, Level 3, 会员3, 3级, 3星, 三星) are
//! 1000 + the number, so they rank above every named rank. A name with a rank word and a
//! number ("黄金VIP3") takes the rank word. Full-width letters and digits, case and spaces do
//! not matter.

/// Named ranks.
const BASIC: u32 = 10;
const BARE_VIP: u32 = 11;
const SILVER: u32 = 20;
const GOLD: u32 = 30;
const PLATINUM: u32 = 40;
const DIAMOND: u32 = 50;
const BLACK: u32 = 60;
/// Numbered names rank above every named rank.
const NUMBERED: u32 = 1000;
/// Larger level numbers are all the same (no overflow from a long run of digits).
const MAX_LEVEL: u32 = 1_000_000;

/// Rank words found anywhere in a name, checked in this order (黑金 and 白金 before 金, 黑钻
/// before 钻).
const WORDS: [(&str, u32); 24] = [
    ("黑金", BLACK),
    ("黑卡", BLACK),
    ("黑钻", BLACK),
    ("至尊", BLACK),
    ("black", BLACK),
    ("白金", PLATINUM),
    ("铂金", PLATINUM),
    ("platinum", PLATINUM),
    ("钻", DIAMOND),
    ("diamond", DIAMOND),
    ("金", GOLD),
    ("gold", GOLD),
    ("银", SILVER),
    ("silver", SILVER),
    ("普通", BASIC),
    ("普卡", BASIC),
    ("大众", BASIC),
    ("基础", BASIC),
    ("标准", BASIC),
    ("basic", BASIC),
    ("regular", BASIC),
    ("standard", BASIC),
    ("classic", BASIC),
    ("normal", BASIC),
];
/// Names with a rank only as a whole (会员 in 金卡会员 says nothing; 会员3 is numbered).
const WHOLE_NAMES: [(&str, u32); 8] = [
    ("会员卡", BASIC),
    ("会员", BASIC),
    ("vip", BARE_VIP),
    ("vip会员", BARE_VIP),
    ("vip卡", BARE_VIP),
    ("贵宾", BARE_VIP),
    ("贵宾卡", BARE_VIP),
    ("贵宾会员", BARE_VIP),
];

/// The tier's rank on the usual ladder, `None` when its name has no recognised rank.
pub fn tier_rank(name: &str) -> Option<u32> {
    let n = normalise(name);
    if let Some(&(_, rank)) = WORDS.iter().find(|(w, _)| n.contains(w)) {
        return Some(rank);
    }
    if let Some(level) = level_number(&n) {
        return Some(NUMBERED + level);
    }
    WHOLE_NAMES.iter().find(|(w, _)| n == *w).map(|&(_, rank)| rank)
}

/// Lower case, half-width letters and digits, no spaces.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // Full-width ASCII (！ … ～) to ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The level number of a numbered name: a prefix (vip, v, lv, level, 会员) then a number, or a
/// number then 级 or 星; the number in digits or one Chinese numeral (一 … 十).
fn level_number(n: &str) -> Option<u32> {
    for prefix in ["vip", "level", "lv", "v", "会员"] {
        if let Some(rest) = n.strip_prefix(prefix) {
            let rest = rest.trim_start_matches(['.', '-', '_', ':', '：', '#']);
            if let Some((level, _)) = leading_number(rest) {
                return Some(level);
            }
        }
    }
    let (level, rest) = leading_number(n)?;
    (rest.starts_with('级') || rest.starts_with('星')).then_some(level)
}

/// The number a text starts with (digits, or one Chinese numeral) and the text after it.
fn leading_number(s: &str) -> Option<(u32, &str)> {
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let level = s[..digits].bytes().fold(0u32, |acc, b| acc.saturating_mul(10).saturating_add((b - b'0') as u32));
        return Some((level.min(MAX_LEVEL), &s[digits..]));
    }
    let c = s.chars().next()?;
    let level = "一二三四五六七八九十".chars().position(|x| x == c)? as u32 + 1;
    Some((level, &s[c.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_rank_words() {
        for (name, want) in [
            ("普通会员", BASIC),
            ("普卡", BASIC),
            ("大众会员", BASIC),
            ("基础卡", BASIC),
            ("标准会员", BASIC),
            ("会员卡", BASIC),
            ("会员", BASIC),
            ("银卡", SILVER),
            ("银卡会员", SILVER),
            ("金卡", GOLD),
            ("金卡会员", GOLD),
            ("黄金会员", GOLD),
            ("白金卡", PLATINUM),
            ("铂金会员", PLATINUM),
            ("钻石卡", DIAMOND),
            ("钻石VIP", DIAMOND),
            ("钻卡", DIAMOND),
            ("黑金卡", BLACK),
            ("黑钻会员", BLACK),
            ("至尊会员", BLACK),
            (" 金 卡 ", GOLD),
        ] {
            assert_eq!(tier_rank(name), Some(want), "{name}");
        }
    }

    #[test]
    fn english_rank_words_any_case() {
        for (name, want) in [
            ("Basic", BASIC),
            ("REGULAR member", BASIC),
            ("Standard", BASIC),
            ("classic card", BASIC),
            ("Silver", SILVER),
            ("gold", GOLD),
            ("Gold Member", GOLD),
            ("ＧＯＬＤ", GOLD),
            ("Platinum", PLATINUM),
            ("Diamond VIP", DIAMOND),
            ("Black Card", BLACK),
            ("VIP", BARE_VIP),
            ("vip会员", BARE_VIP),
            ("贵宾卡", BARE_VIP),
        ] {
            assert_eq!(tier_rank(name), Some(want), "{name}");
        }
    }

    #[test]
    fn numbered_names_rank_by_number() {
        for (name, level) in [
            ("VIP1", 1),
            ("vip 2", 2),
            ("VIP10", 10),
            ("ＶＩＰ１２", 12),
            ("V3", 3),
            ("v3会员", 3),
            ("LV4", 4),
            ("Lv.5", 5),
            ("Level 6", 6),
            ("level-7", 7),
            ("会员3", 3),
            ("会员１", 1),
            ("3级会员", 3),
            ("１２级", 12),
            ("5星", 5),
            ("五星会员", 5),
            ("三级", 3),
            ("十星", 10),
            ("VIP99999999999999999999", MAX_LEVEL),
        ] {
            assert_eq!(tier_rank(name), Some(NUMBERED + level), "{name}");
        }
        // A rank word wins over a number.
        assert_eq!(tier_rank("黄金VIP3"), Some(GOLD));
        assert!(tier_rank("VIP2") < tier_rank("VIP10"));
    }

    #[test]
    fn unrecognised_names() {
        for name in ["", "会员A", "Visa", "V", "新客", "Staff", "3", "三", "Level", "员工卡"] {
            assert_eq!(tier_rank(name), None, "{name}");
        }
    }
}
