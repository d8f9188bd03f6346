//! Every threshold of the analyses, in one place, with the defaults of DOMAIN.md. The UI edits
//! and saves it; the worker recomputes when it changes; each segment shows its rule with these
//! numbers in it.
//!
//! The engine validates settings ([`Settings::validate`], [`Settings::merge_json`]): every value
//! has a range, and an error ([`SettingsError`]) names the key and the bound so the page can say
//! it in the user's language. A saved setting that no longer passes falls back to its default
//! ([`Settings::sanitized`], [`Settings::from_saved_json`]). The analyses also sanitise what they
//! are given, so no value, validated or not, can make them panic.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::dates::{day_from_ymd, format_day, Day};
use super::import::values::{MAX_YEAR, MIN_YEAR};

/// What ranks members in the pyramid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PyramidBasis {
    /// Net spend in the last 12 months (the default).
    Spend12m,
    /// Net spend over the whole history.
    LifetimeSpend,
}

/// Longest period any day setting may name: a hundred years.
pub const MAX_DAYS: i32 = 36_500;
/// Churn risk looks at most two years ahead (the models' horizon grows slow and meaningless).
pub const MAX_RISK_DAYS: i32 = 730;
/// The backtest holds out at most ten years.
pub const MAX_HOLDOUT_DAYS: i32 = 3_650;
/// Largest spend a cut or a tier rule may name, in cents (¥10 trillion).
pub const MAX_CUT_CENTS: i64 = 1_000_000_000_000_000;
/// Largest frequency cut (orders in the quadrant period).
pub const MAX_FREQUENCY_CUT: f64 = 1_000_000.0;
pub const MAX_TICKET_MULTIPLE: f64 = 100.0;
pub const MAX_DISCOUNT_RATE: f64 = 0.5;
pub const MAX_TIER_RULES: usize = 50;
pub const MAX_TIER_NAME_CHARS: usize = 50;
pub const MAX_MIN_REPEAT_BUYERS: u32 = 1_000_000;
/// Work lists: the replenishment window looks at most a year either side of D.
pub const MAX_REPLENISH_WINDOW_DAYS: i32 = 365;
/// A usage cycle (and the expiry horizon) is at most ten years.
pub const MAX_CYCLE_DAYS: i32 = 3_650;
pub const MAX_EXPIRING_DAYS: i32 = 3_650;
/// User-set usage cycles: at most this many categories.
pub const MAX_CATEGORY_CYCLES: usize = 500;
pub const MAX_CATEGORY_NAME_CHARS: usize = 100;
/// Largest "large points balance" threshold.
pub const MAX_LARGE_POINTS: i64 = 1_000_000_000_000;
/// Store scope and tier order: at most this many names, each at most [`MAX_NAME_LIST_CHARS`].
pub const MAX_NAME_LIST: usize = 1_000;
pub const MAX_NAME_LIST_CHARS: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// 高消费总额会员: the top share of members by 12-month spend (DOMAIN: 15–20%).
    pub high_spend_share: f64,
    /// 高单价会员: average ticket at least this multiple of the store's average ticket.
    pub high_ticket_multiple: f64,
    /// 高忠诚度会员: within this top share by 12-month spend …
    pub loyal_spend_share: f64,
    /// … and no gap between visits (nor since the last one) longer than this many days.
    pub loyal_max_gap_days: i32,
    /// 低价高频会员: the top share of members by spend on promotion.
    pub bargain_regular_share: f64,
    /// 低价低频会员: the bottom share, by spend, of the members who buy on promotion.
    pub bargain_drifter_share: f64,
    /// 沉默会员: purchases in the last 6 months below this share of the member's usual rate.
    pub silent_ratio: f64,
    /// New: first purchase within this many days.
    pub new_days: i32,
    /// 睡眠会员: no purchase in this many days.
    pub sleeping_days: i32,
    /// Lost: no purchase in this many days.
    pub lost_days: i32,
    /// Pyramid layers A, B, C as shares of members (D is the rest).
    pub pyramid_shares: [f64; 3],
    pub pyramid_basis: PyramidBasis,
    /// Four quadrants: the period, in days up to and including the analysis date.
    pub quadrant_days: i32,
    /// Four quadrants: cut of frequency (orders in the period); `None` = the median.
    pub quadrant_frequency_cut: Option<f64>,
    /// Four quadrants: cut of spend in the period, in cents; `None` = the median.
    pub quadrant_spend_cut_cents: Option<i64>,
    /// Tier rules: the least 12-month spend (cents) each tier should show. Empty: each tier's
    /// median 12-month spend is its bar.
    pub tier_min_spend_cents: Vec<(String, i64)>,
    /// Predicted value: the monthly discount rate (1% by default).
    pub monthly_discount_rate: f64,
    /// Churn risk: the chance of no purchase in this many days ahead.
    pub risk_days: i32,
    /// Backtest: the last this many days up to the analysis date are held out and predicted
    /// from the days before.
    pub holdout_days: i32,
    /// The models are trusted only with at least this many repeat buyers.
    pub min_repeat_buyers: u32,
    /// The analysis date D (`YYYY-MM-DD`): figures are as of the end of that day. `None`: the day
    /// of the last transaction.
    pub analysis_date: Option<String>,
    /// Work lists, replenishment: N, the window around D (see `worklists`) in which a purchase
    /// runs out.
    pub replenish_window_days: i32,
    /// Work lists: usage cycles set by the user, (category name, days); they override the
    /// default and the learned cycle of that category. Empty: defaults and learned cycles.
    pub category_cycles: Vec<(String, i32)>,
    /// Work lists: a points balance at least this large is "large".
    pub large_points: i64,
    /// Work lists: a stored-value balance at least this large (cents) is "large".
    pub large_balance_cents: i64,
    /// Work lists: points or a membership expiring within this many days from D are "expiring".
    pub expiring_days: i32,
    /// Store scope: the stores whose members (and walk-ins) every figure is about. Empty: all
    /// stores. `""` names the members and walk-ins without a store. See `scope`.
    pub stores: Vec<String>,
    /// The tiers from lowest to highest, as the user ordered them. Empty (or a tier not named
    /// here): the order of the tiers' rank names (普通 < 银 < 金 < 白金 < 钻石, VIP1 < VIP2 …),
    /// else of their spend. See `pyramid::tier_order`.
    pub tier_order: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            high_spend_share: 0.20,
            high_ticket_multiple: 2.0,
            loyal_spend_share: 0.50,
            loyal_max_gap_days: 180,
            bargain_regular_share: 0.20,
            bargain_drifter_share: 0.20,
            silent_ratio: 0.50,
            new_days: 90,
            sleeping_days: 365,
            lost_days: 730,
            pyramid_shares: [0.10, 0.20, 0.30],
            pyramid_basis: PyramidBasis::Spend12m,
            quadrant_days: 365,
            quadrant_frequency_cut: None,
            quadrant_spend_cut_cents: None,
            tier_min_spend_cents: Vec::new(),
            monthly_discount_rate: 0.01,
            risk_days: 90,
            holdout_days: 180,
            min_repeat_buyers: 50,
            analysis_date: None,
            replenish_window_days: 7,
            category_cycles: Vec::new(),
            large_points: 5_000,
            large_balance_cents: 200_000,
            expiring_days: 30,
            stores: Vec::new(),
            tier_order: Vec::new(),
        }
    }
}

/// Why a setting was refused. `key` is the setting's name as in JSON (`sleeping_days`), with an
/// index for list entries (`pyramid_shares[1]`, `tier_min_spend_cents[3]`); the page translates
/// the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum SettingsError {
    /// The update is not a JSON object such as `{"sleeping_days": 300}`.
    NotAnObject,
    UnknownKey { key: String },
    /// A value of the wrong type (text for a number, a fraction for a whole number, a number too
    /// large for its type …).
    WrongType { key: String },
    NotFinite { key: String },
    /// Outside `min ..= max`.
    OutOfRange { key: String, min: f64, max: f64 },
    /// `key` must be longer (larger) than `shorter`: new < sleeping < lost.
    NotLongerThan { key: String, shorter: String },
    /// The pyramid's layer shares add up to more than 1.
    SharesOverOne { key: String },
    /// Not a real `YYYY-MM-DD` date in 1900 ..= 2100.
    NotADate { key: String },
    TooMany { key: String, max: u32 },
    /// A tier rule's name is empty or longer than `max_chars`.
    BadName { key: String, max_chars: u32 },
}

impl SettingsError {
    /// The settings the error is about, without list indexes (what [`Settings::reset_key`] takes).
    pub fn keys(&self) -> Vec<&str> {
        fn strip(k: &str) -> &str {
            k.split('[').next().unwrap_or(k)
        }
        match self {
            SettingsError::NotAnObject => Vec::new(),
            SettingsError::NotLongerThan { key, shorter } => vec![strip(key), strip(shorter)],
            SettingsError::UnknownKey { key }
            | SettingsError::WrongType { key }
            | SettingsError::NotFinite { key }
            | SettingsError::OutOfRange { key, .. }
            | SettingsError::SharesOverOne { key }
            | SettingsError::NotADate { key }
            | SettingsError::TooMany { key, .. }
            | SettingsError::BadName { key, .. } => vec![strip(key)],
        }
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::NotAnObject => write!(f, "settings must be an object such as {{\"sleeping_days\": 300}}"),
            SettingsError::UnknownKey { key } => {
                write!(f, "unknown setting \"{key}\"; known: {}", Settings::KEYS.join(", "))
            }
            SettingsError::WrongType { key } => write!(f, "invalid value for {key}: wrong type or too large"),
            SettingsError::NotFinite { key } => write!(f, "{key} must be a finite number"),
            SettingsError::OutOfRange { key, min, max } => write!(f, "{key} must be between {min} and {max}"),
            SettingsError::NotLongerThan { key, shorter } => write!(f, "{key} must be longer than {shorter}"),
            SettingsError::SharesOverOne { key } => write!(f, "{key} add up to more than 1"),
            SettingsError::NotADate { key } => {
                write!(f, "{key} must be a date written YYYY-MM-DD between {MIN_YEAR} and {MAX_YEAR}")
            }
            SettingsError::TooMany { key, max } => write!(f, "{key} may have at most {max} entries"),
            SettingsError::BadName { key, max_chars } => {
                write!(f, "{key} needs a name of 1 to {max_chars} characters")
            }
        }
    }
}

impl std::error::Error for SettingsError {}

/// A list of names (stores, tiers): at most [`MAX_NAME_LIST`], each 1 ..= [`MAX_NAME_LIST_CHARS`]
/// characters (`""` too where `empty_allowed`: the "no store" scope).
fn name_list_errors(key: &str, names: &[String], empty_allowed: bool) -> Vec<SettingsError> {
    if names.len() > MAX_NAME_LIST {
        return vec![SettingsError::TooMany { key: key.into(), max: MAX_NAME_LIST as u32 }];
    }
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            let chars = n.chars().count();
            chars > MAX_NAME_LIST_CHARS || (chars == 0 && !empty_allowed) || (chars > 0 && n.trim().is_empty())
        })
        .map(|(i, _)| SettingsError::BadName { key: format!("{key}[{i}]"), max_chars: MAX_NAME_LIST_CHARS as u32 })
        .collect()
}

/// `YYYY-MM-DD` as a day number, when it is a real date in [`MIN_YEAR`] ..= [`MAX_YEAR`].
pub fn parse_analysis_date(text: &str) -> Option<Day> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    day_from_ymd(year, m.parse().ok()?, d.parse().ok()?)
}

/// Checks one key's value; `Err` names the key and the rule.
fn check_share(key: &str, v: f64) -> Result<(), SettingsError> {
    check_f64(key, v, 0.0, 1.0)
}

fn check_f64(key: &str, v: f64, min: f64, max: f64) -> Result<(), SettingsError> {
    if !v.is_finite() {
        return Err(SettingsError::NotFinite { key: key.into() });
    }
    if !(min..=max).contains(&v) {
        return Err(SettingsError::OutOfRange { key: key.into(), min, max });
    }
    Ok(())
}

fn check_days(key: &str, v: i32, max: i32) -> Result<(), SettingsError> {
    if !(1..=max).contains(&v) {
        return Err(SettingsError::OutOfRange { key: key.into(), min: 1.0, max: max as f64 });
    }
    Ok(())
}

fn check_cents(key: &str, v: i64) -> Result<(), SettingsError> {
    if !(0..=MAX_CUT_CENTS).contains(&v) {
        return Err(SettingsError::OutOfRange { key: key.into(), min: 0.0, max: MAX_CUT_CENTS as f64 });
    }
    Ok(())
}

impl Settings {
    /// Every setting's key, as in JSON.
    pub const KEYS: &'static [&'static str] = &[
        "high_spend_share",
        "high_ticket_multiple",
        "loyal_spend_share",
        "loyal_max_gap_days",
        "bargain_regular_share",
        "bargain_drifter_share",
        "silent_ratio",
        "new_days",
        "sleeping_days",
        "lost_days",
        "pyramid_shares",
        "pyramid_basis",
        "quadrant_days",
        "quadrant_frequency_cut",
        "quadrant_spend_cut_cents",
        "tier_min_spend_cents",
        "monthly_discount_rate",
        "risk_days",
        "holdout_days",
        "min_repeat_buyers",
        "analysis_date",
        "replenish_window_days",
        "category_cycles",
        "large_points",
        "large_balance_cents",
        "expiring_days",
        "stores",
        "tier_order",
    ];

    /// Applies a partial update given as JSON (`{"sleeping_days": 300}`): known keys replace
    /// their value; an unknown key, a value of the wrong type or out of range is an error naming
    /// the key.
    pub fn merge_json(&self, partial: &serde_json::Value) -> Result<Settings, SettingsError> {
        let serde_json::Value::Object(changes) = partial else { return Err(SettingsError::NotAnObject) };
        let mut merged = self.clone();
        for (key, value) in changes {
            merged = merged.with_json_value(key, value)?;
        }
        merged.validate()?;
        Ok(merged)
    }

    /// This with one key replaced by a JSON value (type-checked, not range-checked).
    fn with_json_value(&self, key: &str, value: &serde_json::Value) -> Result<Settings, SettingsError> {
        if !Settings::KEYS.contains(&key) {
            return Err(SettingsError::UnknownKey { key: key.into() });
        }
        let wrong_type = || SettingsError::WrongType { key: key.into() };
        let mut fields = serde_json::to_value(self).map_err(|_| wrong_type())?;
        let serde_json::Value::Object(map) = &mut fields else { return Err(wrong_type()) };
        map.insert(key.to_string(), value.clone());
        serde_json::from_value(fields).map_err(|_| wrong_type())
    }

    /// The day number of [`Settings::analysis_date`], when it is set and valid.
    pub fn analysis_day(&self) -> Option<Day> {
        self.analysis_date.as_deref().and_then(parse_analysis_date)
    }

    /// Sets [`Settings::analysis_date`] from a day number (`None`: the default).
    pub fn set_analysis_day(&mut self, day: Option<Day>) {
        self.analysis_date = day.map(format_day);
    }

    /// The first rule a value breaks, if any.
    pub fn validate(&self) -> Result<(), SettingsError> {
        match self.errors().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every rule a value breaks: each value in its range (shares in 0..=1, days in 1..=36,500
    /// …), new < sleeping < lost days, the pyramid's layers at most 100% together, tier rules few
    /// and named, the analysis date a real date in 1900..=2100.
    pub fn errors(&self) -> Vec<SettingsError> {
        let mut errors: Vec<SettingsError> = Vec::new();
        let mut push = |r: Result<(), SettingsError>| {
            if let Err(e) = r {
                errors.push(e);
            }
        };
        push(check_share("high_spend_share", self.high_spend_share));
        push(check_share("loyal_spend_share", self.loyal_spend_share));
        push(check_share("bargain_regular_share", self.bargain_regular_share));
        push(check_share("bargain_drifter_share", self.bargain_drifter_share));
        push(check_share("silent_ratio", self.silent_ratio));
        push(check_f64("high_ticket_multiple", self.high_ticket_multiple, 1.0, MAX_TICKET_MULTIPLE));
        push(check_f64("monthly_discount_rate", self.monthly_discount_rate, 0.0, MAX_DISCOUNT_RATE));
        for (i, &s) in self.pyramid_shares.iter().enumerate() {
            push(check_share(&format!("pyramid_shares[{i}]"), s));
        }
        if self.pyramid_shares.iter().all(|s| s.is_finite()) && self.pyramid_shares.iter().sum::<f64>() > 1.0 + 1e-9 {
            push(Err(SettingsError::SharesOverOne { key: "pyramid_shares".into() }));
        }
        for (key, days, max) in [
            ("loyal_max_gap_days", self.loyal_max_gap_days, MAX_DAYS),
            ("new_days", self.new_days, MAX_DAYS),
            ("sleeping_days", self.sleeping_days, MAX_DAYS),
            ("lost_days", self.lost_days, MAX_DAYS),
            ("quadrant_days", self.quadrant_days, MAX_DAYS),
            ("risk_days", self.risk_days, MAX_RISK_DAYS),
            ("holdout_days", self.holdout_days, MAX_HOLDOUT_DAYS),
            ("replenish_window_days", self.replenish_window_days, MAX_REPLENISH_WINDOW_DAYS),
            ("expiring_days", self.expiring_days, MAX_EXPIRING_DAYS),
        ] {
            push(check_days(key, days, max));
        }
        if self.sleeping_days <= self.new_days {
            push(Err(SettingsError::NotLongerThan { key: "sleeping_days".into(), shorter: "new_days".into() }));
        }
        if self.lost_days <= self.sleeping_days {
            push(Err(SettingsError::NotLongerThan { key: "lost_days".into(), shorter: "sleeping_days".into() }));
        }
        if let Some(cut) = self.quadrant_frequency_cut {
            push(check_f64("quadrant_frequency_cut", cut, 0.0, MAX_FREQUENCY_CUT));
        }
        if let Some(cut) = self.quadrant_spend_cut_cents {
            push(check_cents("quadrant_spend_cut_cents", cut));
        }
        if self.tier_min_spend_cents.len() > MAX_TIER_RULES {
            push(Err(SettingsError::TooMany { key: "tier_min_spend_cents".into(), max: MAX_TIER_RULES as u32 }));
        }
        for (i, (name, cents)) in self.tier_min_spend_cents.iter().enumerate() {
            let key = format!("tier_min_spend_cents[{i}]");
            let chars = name.trim().chars().count();
            if chars == 0 || name.chars().count() > MAX_TIER_NAME_CHARS {
                push(Err(SettingsError::BadName { key: key.clone(), max_chars: MAX_TIER_NAME_CHARS as u32 }));
            }
            push(check_cents(&key, *cents));
        }
        if !(1..=MAX_MIN_REPEAT_BUYERS).contains(&self.min_repeat_buyers) {
            push(Err(SettingsError::OutOfRange {
                key: "min_repeat_buyers".into(),
                min: 1.0,
                max: MAX_MIN_REPEAT_BUYERS as f64,
            }));
        }
        if self.analysis_date.is_some() && self.analysis_day().is_none() {
            push(Err(SettingsError::NotADate { key: "analysis_date".into() }));
        }
        for e in self.work_list_errors() {
            push(Err(e));
        }
        for e in name_list_errors("stores", &self.stores, true).into_iter().chain(name_list_errors("tier_order", &self.tier_order, false)) {
            push(Err(e));
        }
        errors
    }

    /// The rules of the work lists' settings: the usage cycles few, named and 1 ..= 3,650 days;
    /// the large points and balance at least 1 (0 would list everyone).
    fn work_list_errors(&self) -> Vec<SettingsError> {
        let mut errors = Vec::new();
        if self.category_cycles.len() > MAX_CATEGORY_CYCLES {
            errors.push(SettingsError::TooMany { key: "category_cycles".into(), max: MAX_CATEGORY_CYCLES as u32 });
        }
        for (i, (name, days)) in self.category_cycles.iter().enumerate() {
            let key = format!("category_cycles[{i}]");
            if name.trim().is_empty() || name.chars().count() > MAX_CATEGORY_NAME_CHARS {
                errors.push(SettingsError::BadName { key: key.clone(), max_chars: MAX_CATEGORY_NAME_CHARS as u32 });
            }
            if let Err(e) = check_days(&key, *days, MAX_CYCLE_DAYS) {
                errors.push(e);
            }
        }
        if !(1..=MAX_LARGE_POINTS).contains(&self.large_points) {
            errors.push(SettingsError::OutOfRange { key: "large_points".into(), min: 1.0, max: MAX_LARGE_POINTS as f64 });
        }
        if !(1..=MAX_CUT_CENTS).contains(&self.large_balance_cents) {
            errors.push(SettingsError::OutOfRange { key: "large_balance_cents".into(), min: 1.0, max: MAX_CUT_CENTS as f64 });
        }
        errors
    }

    /// The usage cycle the user set for a category (its name trimmed), if any; the first entry
    /// of a name wins.
    pub fn category_cycle(&self, category: &str) -> Option<i32> {
        let name = category.trim();
        self.category_cycles.iter().find(|(n, _)| n.trim() == name).map(|&(_, d)| d)
    }

    /// Puts one setting (a key of [`Settings::KEYS`]) back to its default.
    pub fn reset_key(&mut self, key: &str) {
        let d = Settings::default();
        match key {
            "high_spend_share" => self.high_spend_share = d.high_spend_share,
            "high_ticket_multiple" => self.high_ticket_multiple = d.high_ticket_multiple,
            "loyal_spend_share" => self.loyal_spend_share = d.loyal_spend_share,
            "loyal_max_gap_days" => self.loyal_max_gap_days = d.loyal_max_gap_days,
            "bargain_regular_share" => self.bargain_regular_share = d.bargain_regular_share,
            "bargain_drifter_share" => self.bargain_drifter_share = d.bargain_drifter_share,
            "silent_ratio" => self.silent_ratio = d.silent_ratio,
            "new_days" => self.new_days = d.new_days,
            "sleeping_days" => self.sleeping_days = d.sleeping_days,
            "lost_days" => self.lost_days = d.lost_days,
            "pyramid_shares" => self.pyramid_shares = d.pyramid_shares,
            "pyramid_basis" => self.pyramid_basis = d.pyramid_basis,
            "quadrant_days" => self.quadrant_days = d.quadrant_days,
            "quadrant_frequency_cut" => self.quadrant_frequency_cut = d.quadrant_frequency_cut,
            "quadrant_spend_cut_cents" => self.quadrant_spend_cut_cents = d.quadrant_spend_cut_cents,
            "tier_min_spend_cents" => self.tier_min_spend_cents = d.tier_min_spend_cents,
            "monthly_discount_rate" => self.monthly_discount_rate = d.monthly_discount_rate,
            "risk_days" => self.risk_days = d.risk_days,
            "holdout_days" => self.holdout_days = d.holdout_days,
            "min_repeat_buyers" => self.min_repeat_buyers = d.min_repeat_buyers,
            "analysis_date" => self.analysis_date = d.analysis_date,
            "replenish_window_days" => self.replenish_window_days = d.replenish_window_days,
            "category_cycles" => self.category_cycles = d.category_cycles,
            "large_points" => self.large_points = d.large_points,
            "large_balance_cents" => self.large_balance_cents = d.large_balance_cents,
            "expiring_days" => self.expiring_days = d.expiring_days,
            "stores" => self.stores = d.stores,
            "tier_order" => self.tier_order = d.tier_order,
            _ => {}
        }
    }

    /// These settings with every value that fails validation put back to its default, and the
    /// keys that were reset (for a note on the page). Two passes suffice: the defaults are valid,
    /// and a reset can only break an order rule (new < sleeping < lost) whose keys the second
    /// pass resets together.
    pub fn sanitized(self) -> (Settings, Vec<String>) {
        let mut s = self;
        let mut reset: Vec<String> = Vec::new();
        for _ in 0..3 {
            let errors = s.errors();
            if errors.is_empty() {
                return (s, reset);
            }
            for e in &errors {
                for key in e.keys() {
                    s.reset_key(key);
                    if !reset.iter().any(|k| k == key) {
                        reset.push(key.to_string());
                    }
                }
            }
        }
        if s.errors().is_empty() {
            (s, reset)
        } else {
            (Settings::default(), Settings::KEYS.iter().map(|k| k.to_string()).collect())
        }
    }

    /// Settings saved by an earlier session (JSON): each known key that reads and passes
    /// validation is kept, every other falls back to its default; also returns the keys reset.
    /// Unknown keys (from another version) are ignored.
    pub fn from_saved_json(json: &str) -> (Settings, Vec<String>) {
        let Ok(serde_json::Value::Object(saved)) = serde_json::from_str::<serde_json::Value>(json) else {
            return (Settings::default(), Settings::KEYS.iter().map(|k| k.to_string()).collect());
        };
        let mut s = Settings::default();
        let mut reset: Vec<String> = Vec::new();
        for (key, value) in &saved {
            if !Settings::KEYS.contains(&key.as_str()) {
                continue;
            }
            match s.with_json_value(key, value) {
                Ok(next) => s = next,
                Err(_) => reset.push(key.clone()),
            }
        }
        let (s, more) = s.sanitized();
        for k in more {
            if !reset.contains(&k) {
                reset.push(k);
            }
        }
        (s, reset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn merge(v: serde_json::Value) -> Result<Settings, SettingsError> {
        Settings::default().merge_json(&v)
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Settings::default().validate(), Ok(()));
        assert_eq!(Settings::default().errors(), Vec::new());
    }

    #[test]
    fn partial_updates() {
        let s = merge(json!({"sleeping_days": 300})).unwrap();
        assert_eq!(s.sleeping_days, 300);
        assert_eq!(s.lost_days, 730);
        let e = merge(json!({"sleepy": 3})).unwrap_err();
        assert_eq!(e, SettingsError::UnknownKey { key: "sleepy".into() });
        assert!(e.to_string().contains("unknown setting \"sleepy\""), "{e}");
        assert_eq!(merge(json!({"sleeping_days": "x"})), Err(SettingsError::WrongType { key: "sleeping_days".into() }));
        assert_eq!(merge(json!({"high_spend_share": 2})), Err(SettingsError::OutOfRange { key: "high_spend_share".into(), min: 0.0, max: 1.0 }));
        assert!(merge(json!({"high_spend_share": 2})).unwrap_err().to_string().contains("between 0 and 1"));
        assert_eq!(
            merge(json!({"lost_days": 100})),
            Err(SettingsError::NotLongerThan { key: "lost_days".into(), shorter: "sleeping_days".into() })
        );
        assert_eq!(merge(json!([1])), Err(SettingsError::NotAnObject));
    }

    /// The values of the issue: an error, never a panic, and nothing changed.
    #[test]
    fn huge_days_are_refused() {
        let e = merge(json!({"sleeping_days": 2147483647, "lost_days": 2147483647})).unwrap_err();
        assert_eq!(e, SettingsError::OutOfRange { key: "sleeping_days".into(), min: 1.0, max: 36_500.0 });
        assert_eq!(merge(json!({"sleeping_days": 2147483648i64})), Err(SettingsError::WrongType { key: "sleeping_days".into() }));
        assert_eq!(merge(json!({"new_days": 0})), Err(SettingsError::OutOfRange { key: "new_days".into(), min: 1.0, max: 36_500.0 }));
        assert!(merge(json!({"min_repeat_buyers": -1})).is_err());
        assert!(merge(json!({"risk_days": 731})).is_err());
        assert!(merge(json!({"holdout_days": 3651})).is_err());
        // Both edges of a range are allowed.
        let s = merge(json!({"new_days": 1, "sleeping_days": 36_499, "lost_days": 36_500, "holdout_days": 3650, "risk_days": 730})).unwrap();
        assert_eq!((s.new_days, s.sleeping_days, s.lost_days), (1, 36_499, 36_500));
    }

    #[test]
    fn shares_multiples_cuts_and_tiers() {
        assert_eq!(merge(json!({"pyramid_shares": [0.5, 0.4, 0.2]})), Err(SettingsError::SharesOverOne { key: "pyramid_shares".into() }));
        assert_eq!(
            merge(json!({"pyramid_shares": [0.5, -0.1, 0.2]})),
            Err(SettingsError::OutOfRange { key: "pyramid_shares[1]".into(), min: 0.0, max: 1.0 })
        );
        assert!(merge(json!({"pyramid_shares": [0.5, 0.3, 0.2]})).is_ok());
        assert!(merge(json!({"high_ticket_multiple": 0})).is_err());
        assert!(merge(json!({"high_ticket_multiple": 101})).is_err());
        assert!(merge(json!({"monthly_discount_rate": 0.6})).is_err());
        assert!(merge(json!({"quadrant_frequency_cut": -1})).is_err());
        assert!(merge(json!({"quadrant_spend_cut_cents": -1})).is_err());
        assert!(merge(json!({"quadrant_frequency_cut": null, "quadrant_spend_cut_cents": 0})).is_ok());
        assert_eq!(
            merge(json!({"tier_min_spend_cents": [["金卡", 100], [" ", 5]]})),
            Err(SettingsError::BadName { key: "tier_min_spend_cents[1]".into(), max_chars: 50 })
        );
        assert_eq!(
            merge(json!({"tier_min_spend_cents": [["金卡", -5]]})),
            Err(SettingsError::OutOfRange { key: "tier_min_spend_cents[0]".into(), min: 0.0, max: 1e15 })
        );
        let many: Vec<(String, i64)> = (0..51).map(|i| (format!("t{i}"), 0)).collect();
        assert_eq!(merge(json!({ "tier_min_spend_cents": many })), Err(SettingsError::TooMany { key: "tier_min_spend_cents".into(), max: 50 }));
    }

    /// JSON cannot carry NaN, but a Settings built in code can: validation refuses it.
    #[test]
    fn non_finite_numbers_are_refused() {
        let s = Settings { silent_ratio: f64::NAN, quadrant_frequency_cut: Some(f64::INFINITY), ..Default::default() };
        let errors = s.errors();
        assert!(errors.contains(&SettingsError::NotFinite { key: "silent_ratio".into() }), "{errors:?}");
        assert!(errors.contains(&SettingsError::NotFinite { key: "quadrant_frequency_cut".into() }), "{errors:?}");
        let s = Settings { pyramid_shares: [f64::NAN, 0.1, 0.1], ..Default::default() };
        assert_eq!(s.validate(), Err(SettingsError::NotFinite { key: "pyramid_shares[0]".into() }));
    }

    #[test]
    fn analysis_date_is_a_real_date_in_range() {
        let s = merge(json!({"analysis_date": "2024-02-29"})).unwrap();
        assert_eq!(s.analysis_day(), day_from_ymd(2024, 2, 29));
        for bad in ["2023-02-29", "1899-12-31", "2101-01-01", "9999-12-31", "2024-1-5", "yesterday", ""] {
            assert_eq!(merge(json!({ "analysis_date": bad })), Err(SettingsError::NotADate { key: "analysis_date".into() }), "{bad}");
        }
        assert_eq!(merge(json!({"analysis_date": "2100-12-31"})).unwrap().analysis_day(), day_from_ymd(2100, 12, 31));
        assert_eq!(merge(json!({"analysis_date": null})).unwrap().analysis_date, None);
        let mut s = Settings::default();
        s.set_analysis_day(day_from_ymd(1900, 1, 1));
        assert_eq!(s.analysis_date.as_deref(), Some("1900-01-01"));
    }

    #[test]
    fn sanitized_resets_only_the_bad_keys() {
        let s = Settings { sleeping_days: i32::MAX, lost_days: i32::MAX, silent_ratio: 0.3, high_spend_share: f64::NAN, ..Default::default() };
        let (clean, reset) = s.sanitized();
        assert_eq!(clean.validate(), Ok(()));
        assert_eq!((clean.sleeping_days, clean.lost_days, clean.silent_ratio), (365, 730, 0.3));
        assert!(clean.high_spend_share == 0.2);
        let mut reset_sorted = reset.clone();
        reset_sorted.sort();
        assert_eq!(reset_sorted, vec!["high_spend_share", "lost_days", "sleeping_days"]);
        // An order broken by valid values: the keys of the rule go back together.
        let (clean, reset) = Settings { sleeping_days: 800, ..Default::default() }.sanitized();
        assert_eq!((clean.sleeping_days, clean.lost_days), (365, 730));
        assert!(reset.contains(&"sleeping_days".to_string()) && reset.contains(&"lost_days".to_string()));
        // A valid one is untouched.
        let fine = Settings { sleeping_days: 300, ..Default::default() };
        assert_eq!(fine.clone().sanitized(), (fine, Vec::new()));
    }

    #[test]
    fn saved_json_falls_back_key_by_key() {
        let (s, reset) = Settings::from_saved_json(r#"{"sleeping_days": 2147483647, "lost_days": 2147483647, "silent_ratio": 0.4, "risk_days": "x", "old_key": 1}"#);
        assert_eq!((s.sleeping_days, s.lost_days, s.silent_ratio, s.risk_days), (365, 730, 0.4, 90));
        let mut reset = reset;
        reset.sort();
        assert_eq!(reset, vec!["lost_days", "risk_days", "sleeping_days"]);
        let (s, reset) = Settings::from_saved_json("not json");
        assert_eq!(s, Settings::default());
        assert!(!reset.is_empty());
        let saved = serde_json::to_string(&Settings { new_days: 30, ..Default::default() }).unwrap();
        assert_eq!(Settings::from_saved_json(&saved), (Settings { new_days: 30, ..Default::default() }, Vec::new()));
    }

    /// The work lists' settings: defaults, edges of each range, the coded error past them.
    #[test]
    fn work_list_settings() {
        let d = Settings::default();
        assert_eq!((d.replenish_window_days, d.large_points, d.large_balance_cents, d.expiring_days), (7, 5_000, 200_000, 30));
        assert!(d.category_cycles.is_empty());
        let s = merge(json!({"replenish_window_days": 365, "expiring_days": 3650, "large_points": 1, "large_balance_cents": 1})).unwrap();
        assert_eq!((s.replenish_window_days, s.expiring_days, s.large_points, s.large_balance_cents), (365, 3650, 1, 1));
        let range = |key: &str, min: f64, max: f64| Err(SettingsError::OutOfRange { key: key.into(), min, max });
        assert_eq!(merge(json!({"replenish_window_days": 0})), range("replenish_window_days", 1.0, 365.0));
        assert_eq!(merge(json!({"replenish_window_days": 366})), range("replenish_window_days", 1.0, 365.0));
        assert_eq!(merge(json!({"expiring_days": 3651})), range("expiring_days", 1.0, 3650.0));
        assert_eq!(merge(json!({"large_points": 0})), range("large_points", 1.0, 1e12));
        assert_eq!(merge(json!({"large_points": 1_000_000_000_001i64})), range("large_points", 1.0, 1e12));
        assert_eq!(merge(json!({"large_balance_cents": 0})), range("large_balance_cents", 1.0, 1e15));
        assert_eq!(merge(json!({"large_points": 1.5})), Err(SettingsError::WrongType { key: "large_points".into() }));
    }

    #[test]
    fn category_cycles_are_checked_entry_by_entry() {
        let s = merge(json!({"category_cycles": [["洁面", 90], ["精华", 1], ["面膜", 3650]]})).unwrap();
        assert_eq!(s.category_cycle(" 洁面 "), Some(90));
        assert_eq!(s.category_cycle("面膜"), Some(3650));
        assert_eq!(s.category_cycle("面霜"), None);
        assert_eq!(
            merge(json!({"category_cycles": [["洁面", 90], ["精华", 0]]})),
            Err(SettingsError::OutOfRange { key: "category_cycles[1]".into(), min: 1.0, max: 3650.0 })
        );
        assert_eq!(
            merge(json!({"category_cycles": [["洁面", 3651]]})),
            Err(SettingsError::OutOfRange { key: "category_cycles[0]".into(), min: 1.0, max: 3650.0 })
        );
        assert_eq!(merge(json!({"category_cycles": [["  ", 30]]})), Err(SettingsError::BadName { key: "category_cycles[0]".into(), max_chars: 100 }));
        let long = "面".repeat(101);
        assert_eq!(merge(json!({"category_cycles": [[long, 30]]})), Err(SettingsError::BadName { key: "category_cycles[0]".into(), max_chars: 100 }));
        assert_eq!(merge(json!({"category_cycles": [["洁面", "x"]]})), Err(SettingsError::WrongType { key: "category_cycles".into() }));
        let many: Vec<(String, i32)> = (0..501).map(|i| (format!("c{i}"), 30)).collect();
        assert_eq!(merge(json!({ "category_cycles": many })), Err(SettingsError::TooMany { key: "category_cycles".into(), max: 500 }));
        // A bad entry saved by an earlier visit resets the whole list, not the other settings.
        let (s, reset) = Settings::from_saved_json(r#"{"category_cycles": [["洁面", 0]], "expiring_days": 60}"#);
        assert_eq!((s.category_cycles.len(), s.expiring_days), (0, 60));
        assert_eq!(reset, vec!["category_cycles"]);
    }

    #[test]
    fn every_key_can_be_reset() {
        let json = serde_json::to_value(Settings::default()).unwrap();
        let serde_json::Value::Object(map) = json else { panic!("settings are an object") };
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(keys, Settings::KEYS);
    }
}
