//! A filter made ready to run over every member: bounds read once, labels turned into
//! dictionary indexes and bit masks, and the category condition's purchases found in one pass
//! over the rows (not per member). Each condition becomes a test of a member index.

use super::calendar::{age_on, month_of, StarSign, Zodiac};
use super::filter::{parse_month, Condition, DateRange, FilterError, MemberFilter, NumRange};
use super::Ctx;
use crate::dates::Day;
use crate::model::{Dictionary, NONE16, WALK_IN};
use crate::predict::high_value_at_high_risk;
use crate::pyramid::{TierFit, TIER_DOWNGRADE, TIER_UPGRADE};
use crate::summary::MemberSummary;

/// One condition as a test of a member index.
type Test<'a> = Box<dyn Fn(usize) -> bool + 'a>;

/// A validated filter over one data set, ready to test members.
pub(super) struct Compiled<'a> {
    tests: Vec<Test<'a>>,
    search: Option<Search>,
    ctx: Ctx<'a>,
}

impl<'a> Compiled<'a> {
    pub(super) fn new(ctx: &Ctx<'a>, filter: &MemberFilter) -> Result<Self, FilterError> {
        filter.validate()?;
        let tests = filter.all.iter().map(|c| test(ctx, c)).collect();
        Ok(Compiled { tests, search: Search::new(&filter.search), ctx: *ctx })
    }

    /// Whether member `m` meets every condition and the search.
    pub(super) fn matches(&self, m: usize) -> bool {
        self.tests.iter().all(|t| t(m)) && self.search.as_ref().is_none_or(|s| s.finds(&self.ctx, m))
    }
}

/// A per-member label (`u8` column of the analysis), `u8::MAX` past the members.
fn at(labels: &[u8], m: usize) -> u8 {
    labels.get(m).copied().unwrap_or(u8::MAX)
}

/// The bit mask of label values (values of 64 and over, the "no label" codes, are never in it).
fn mask(values: impl IntoIterator<Item = u8>) -> u64 {
    values.into_iter().filter(|&v| v < 64).fold(0, |mask, v| mask | 1 << v)
}

fn in_mask(mask: u64, v: u8) -> bool {
    v < 64 && (mask >> v) & 1 == 1
}

/// Members whose label in `labels` is one of `values`.
fn label_in<'a>(labels: &'a [u8], values: impl IntoIterator<Item = u8>) -> Test<'a> {
    let mask = mask(values);
    Box::new(move |m| in_mask(mask, at(labels, m)))
}

/// The dictionary indexes of `names` (names not in the dictionary are left out).
fn indexes_of(dict: &Dictionary, names: &[String]) -> Vec<u16> {
    names.iter().filter_map(|n| dict.names().iter().position(|d| d == n)).filter_map(|i| u16::try_from(i).ok()).collect()
}

/// Members whose value (a dictionary index, [`NONE16`] for none) is one of `names`.
fn named_in<'a>(dict: &Dictionary, names: &[String], value: impl Fn(usize) -> u16 + 'a) -> Test<'a> {
    let set = indexes_of(dict, names);
    Box::new(move |m| {
        let v = value(m);
        v != NONE16 && set.contains(&v)
    })
}

/// Members whose day (when they have one) is within `range`; nobody when a bound is not a date.
fn day_in<'a>(range: &DateRange, day: impl Fn(usize) -> Option<Day> + 'a) -> Test<'a> {
    match range.days() {
        Some(r) => Box::new(move |m| day(m).is_some_and(|d| r.contains(&d))),
        None => Box::new(|_| false),
    }
}

/// Members whose number (when they have one) is within `range`.
fn number_in<'a>(range: &NumRange, value: impl Fn(usize) -> Option<f64> + 'a) -> Test<'a> {
    let r = *range;
    Box::new(move |m| value(m).is_some_and(|v| r.holds(v)))
}

/// Members whose money figure in cents is within `range` (yuan, rounded to the cent).
fn cents_in<'a>(range: &NumRange, cents: impl Fn(usize) -> i64 + 'a) -> Test<'a> {
    let r = range.cents();
    Box::new(move |m| r.contains(&cents(m)))
}

fn tier_fit_code(f: TierFit) -> u8 {
    match f {
        TierFit::Upgrade => TIER_UPGRADE,
        TierFit::Downgrade => TIER_DOWNGRADE,
    }
}

/// The test of one condition.
fn test<'a>(ctx: &Ctx<'a>, condition: &Condition) -> Test<'a> {
    let Ctx { ds, sums, c, lists, .. } = *ctx;
    let l = &c.labels;
    let members = &ds.members;
    let day = sums.analysis_day;
    let summary = move |m: usize| -> Option<&'a MemberSummary> { sums.members.get(m) };
    let summary_or_none = move |m: usize| summary(m).copied().unwrap_or_default();
    match condition {
        Condition::Rfm { any } => label_in(&l.rfm_segment, any.iter().map(|k| *k as u8)),
        Condition::RScore { any } => label_in(&l.r, any.iter().copied()),
        Condition::FScore { any } => label_in(&l.f, any.iter().copied()),
        Condition::MScore { any } => label_in(&l.m, any.iter().copied()),
        Condition::CnRfm { any } => label_in(&l.cn_class, any.iter().map(|k| *k as u8)),
        Condition::Group { any } => {
            let bits = any.iter().fold(0u8, |b, g| b | g.bit());
            Box::new(move |m| l.groups.get(m).is_some_and(|g| g & bits != 0))
        }
        Condition::Layer { any } => label_in(&c.layer, any.iter().map(|k| *k as u8)),
        Condition::Quadrant { any } => label_in(&c.quadrant, any.iter().map(|k| *k as u8)),
        Condition::Lifecycle { any } => label_in(&l.lifecycle, any.iter().map(|k| *k as u8)),
        Condition::Risk { any } => {
            let mask = mask(any.iter().map(|k| *k as u8));
            Box::new(move |m| in_mask(mask, c.predictions.risk(m)))
        }
        Condition::PAlive(r) => number_in(r, move |m| c.predictions.get(m).map(|p| p.p_alive)),
        Condition::Tier { any } => named_in(&ds.tiers, any, move |m| members.tier(m)),
        Condition::TierFit { any } => label_in(&c.tier_fit, any.iter().map(|f| tier_fit_code(*f))),
        Condition::Store { any } => named_in(&ds.stores, any, move |m| members.store(m)),
        Condition::Gender { any } => {
            let any = any.clone();
            Box::new(move |m| m < members.len() && any.contains(&members.gender(m)))
        }
        Condition::Age(r) => number_in(r, move |m| members.birthday(m).and_then(|b| age_on(b, day)).map(f64::from)),
        Condition::BirthdayMonth { any } => {
            let mask = mask(any.iter().copied());
            Box::new(move |m| members.birthday(m).is_some_and(|b| in_mask(mask, month_of(b))))
        }
        Condition::Zodiac { any } => {
            let mask = mask(any.iter().map(|k| *k as u8));
            Box::new(move |m| members.birthday(m).is_some_and(|b| in_mask(mask, Zodiac::of(b) as u8)))
        }
        Condition::StarSign { any } => {
            let mask = mask(any.iter().map(|k| *k as u8));
            Box::new(move |m| members.birthday(m).is_some_and(|b| in_mask(mask, StarSign::of(b) as u8)))
        }
        Condition::Joined(r) => day_in(r, move |m| members.join_day(m)),
        Condition::MembershipDays(r) => number_in(r, move |m| summary(m).and_then(|s| s.tenure_days(day)).map(f64::from)),
        Condition::FirstPurchase(r) => day_in(r, move |m| summary(m).and_then(MemberSummary::first_day)),
        Condition::LastPurchase(r) => day_in(r, move |m| summary(m).and_then(MemberSummary::last_day)),
        Condition::Visits(r) => number_in(r, move |m| summary(m).map(|s| f64::from(s.purchase_days))),
        Condition::Spend(r) => cents_in(r, move |m| summary_or_none(m).net_cents),
        Condition::Spend12m(r) => cents_in(r, move |m| summary_or_none(m).spend_12m_cents),
        Condition::AvgTicket(r) => cents_in(r, move |m| summary_or_none(m).avg_ticket_cents()),
        Condition::Category { any, not_since } => category_test(ctx, any, not_since.as_deref()),
        Condition::Points(r) => number_in(r, move |m| (m < members.len()).then(|| members.points(m) as f64)),
        Condition::Balance(r) => cents_in(r, move |m| members.balance_cents(m)),
        Condition::Tags { any } => {
            let set = indexes_of(&ds.tags, any);
            Box::new(move |m| members.tags(m).iter().any(|t| set.contains(t)))
        }
        Condition::Expiry(r) => day_in(r, move |m| members.expiry(m)),
        Condition::Cohort { month, offset } => match parse_month(month) {
            Some(key) => {
                let offset = *offset;
                Box::new(move |m| c.first_month_of(m) == Some(key) && c.active_offsets.of(m).contains(&offset))
            }
            None => Box::new(|_| false),
        },
        Condition::HighValueHighRisk => Box::new(move |m| high_value_at_high_risk(at(&c.layer, m), c.predictions.risk(m))),
        Condition::WorkList { list } => {
            let list = *list;
            Box::new(move |m| u32::try_from(m).is_ok_and(|m| lists.contains(list, m)))
        }
    }
}

/// Members who bought any of the categories `names` (a purchase on or before the analysis
/// date: the summaries count them), and with `not_since` none of them on or after that day
/// (found in one pass over the rows).
fn category_test<'a>(ctx: &Ctx<'a>, names: &[String], not_since: Option<&str>) -> Test<'a> {
    let since = match not_since.map(crate::settings::parse_analysis_date) {
        Some(None) => return Box::new(|_| false),
        Some(Some(d)) => Some(d),
        None => None,
    };
    let categories = indexes_of(&ctx.ds.categories, names);
    let sums = ctx.sums;
    let bought = move |m: usize| {
        let row = m.checked_mul(sums.n_categories).and_then(|start| sums.category_counts.get(start..start + sums.n_categories));
        row.is_some_and(|counts| categories.iter().any(|&k| counts.get(k as usize).is_some_and(|&n| n > 0)))
    };
    match since {
        Some(since) => {
            let recent = bought_between(ctx, &indexes_of(&ctx.ds.categories, names), since);
            Box::new(move |m| bought(m) && !recent.get(m).copied().unwrap_or(false))
        }
        None => Box::new(bought),
    }
}

/// Which members bought any of `categories` from `since` to the analysis date (both included).
fn bought_between(ctx: &Ctx<'_>, categories: &[u16], since: Day) -> Vec<bool> {
    let mut bought = vec![false; ctx.ds.members.len()];
    let day = ctx.sums.analysis_day;
    if categories.is_empty() || since > day {
        return bought;
    }
    let mut wanted = vec![false; ctx.ds.categories.len()];
    for &k in categories {
        if let Some(w) = wanted.get_mut(k as usize) {
            *w = true;
        }
    }
    let tx = &ctx.ds.transactions;
    // Member and day first: the other columns are read only for rows in the window.
    for (r, (&m, &d)) in tx.member.iter().zip(&tx.day).enumerate() {
        if d < since || d > day || m == WALK_IN {
            continue;
        }
        let purchase = tx.kind.get(r).zip(tx.amount_cents.get(r)).is_some_and(|(k, &a)| k.is_purchase(a));
        if purchase && wanted.get(tx.category(r) as usize).copied().unwrap_or(false) {
            if let Some(b) = bought.get_mut(m as usize) {
                *b = true;
            }
        }
    }
    bought
}

/// The free-text search: a case-insensitive part of the name or the id, or, for a search that
/// looks like a phone number (digits with spaces, `+`, `-`, brackets; at least 3 digits), its
/// digits within the phone's digits.
struct Search {
    /// Lower case.
    text: String,
    /// Whether the text has a lower-case letter (else case does not matter: digits, Chinese).
    cased: bool,
    /// The digits of a phone-like search (empty: the phone is not searched).
    digits: Vec<u8>,
}

/// Fewer digits than this match too many phones to mean one.
const MIN_PHONE_DIGITS: usize = 3;

impl Search {
    /// `None` for an empty (or blank) search.
    fn new(search: &str) -> Option<Search> {
        let text = search.trim().to_lowercase();
        if text.is_empty() {
            return None;
        }
        let phone_like = text.chars().all(|ch| ch.is_ascii_digit() || " +-()".contains(ch));
        let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_digit).collect();
        let digits = if phone_like && digits.len() >= MIN_PHONE_DIGITS { digits } else { Vec::new() };
        Some(Search { cased: text.chars().any(char::is_lowercase), text, digits })
    }

    fn finds(&self, ctx: &Ctx<'_>, m: usize) -> bool {
        let members = &ctx.ds.members;
        let found = |hay: &str| if self.cased { contains_folded(hay, &self.text) } else { contains_bytes(hay.as_bytes(), self.text.as_bytes()) };
        found(members.name(m))
            || found(members.id(m))
            || (!self.digits.is_empty() && digits_contain(members.phone(m), &self.digits))
    }
}

/// Whether `hay` contains `needle`, byte for byte (UTF-8 texts: a byte match is a character
/// match). For the short texts of names and ids this is faster than `str::contains`, which
/// prepares a searcher each call.
fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return true };
    let Some(starts) = hay.len().checked_sub(rest.len()) else { return false };
    hay.iter().take(starts).enumerate().any(|(i, &b)| b == first && hay.get(i + 1..i + 1 + rest.len()) == Some(rest))
}

/// Whether `hay` contains `needle` (lower case) ignoring case, without allocating for the
/// usual texts (digits, Chinese, ASCII letters, names without capital letters).
fn contains_folded(hay: &str, needle: &str) -> bool {
    // Without a lower-case letter in the search (digits, Chinese), case cannot matter.
    if !needle.chars().any(char::is_lowercase) {
        return contains_bytes(hay.as_bytes(), needle.as_bytes());
    }
    if needle.is_ascii() {
        // ASCII bytes never occur inside a multi-byte character, so a byte window is a match.
        let n = needle.as_bytes();
        return hay.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.contains(needle) || (hay.chars().any(char::is_uppercase) && hay.to_lowercase().contains(needle))
}

/// Whether the digits of `phone` contain `digits` (the first 32 digits of the phone are read:
/// longer is not a phone number).
fn digits_contain(phone: &str, digits: &[u8]) -> bool {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for b in phone.bytes().filter(u8::is_ascii_digit) {
        let Some(slot) = buf.get_mut(n) else { break };
        *slot = b;
        n += 1;
    }
    buf.get(..n).is_some_and(|have| contains_bytes(have, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_fold_case_and_read_phone_digits() {
        assert!(contains_folded("Anna Lee", "lee"));
        assert!(contains_folded("VIP-0042", "vip-00"));
        assert!(!contains_folded("王小美", "lee"));
        assert!(contains_folded("王小美", "小美"));
        assert!(contains_folded("王小美", "王小美") && !contains_folded("王小", "王小美") && contains_folded("", ""));
        assert!(contains_folded("8800000123", "0123") && !contains_folded("8800000123", "01234"));
        assert!(contains_folded("ÉLISE 王", "élise"));
        assert!(digits_contain("+86 138-1234-5678", b"1381234"));
        assert!(!digits_contain("138 1234 5678", b"999"));
        assert!(!digits_contain("", b"138"));
        let s = Search::new(" 138-12 ").unwrap();
        assert_eq!((s.text.as_str(), s.digits.as_slice()), ("138-12", &b"13812"[..]));
        assert!(Search::new("13").unwrap().digits.is_empty(), "too few digits for a phone");
        assert!(Search::new("VIP138").unwrap().digits.is_empty(), "an id, not a phone");
        assert!(Search::new("   ").is_none());
    }

    #[test]
    fn masks_hold_their_values_only() {
        let m = mask([0, 3, 63, 200]);
        assert!(in_mask(m, 0) && in_mask(m, 3) && in_mask(m, 63));
        assert!(!in_mask(m, 1) && !in_mask(m, 200) && !in_mask(m, u8::MAX));
    }
}
