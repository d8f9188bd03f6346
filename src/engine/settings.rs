//! Every threshold of the analyses, in one place, with the defaults of DOMAIN.md. The UI edits
//! and saves it; the worker recomputes when it changes; each segment shows its rule with these
//! numbers in it.

use serde::{Deserialize, Serialize};

/// What ranks members in the pyramid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PyramidBasis {
    /// Net spend in the last 12 months (the default).
    Spend12m,
    /// Net spend over the whole history.
    LifetimeSpend,
}

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
    /// Four quadrants: the period, in days before the analysis date.
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
    /// Backtest: the last this many days are held out and predicted from the rest.
    pub holdout_days: i32,
    /// The models are trusted only with at least this many repeat buyers.
    pub min_repeat_buyers: u32,
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
        }
    }
}

impl Settings {
    /// Applies a partial update given as JSON (`{"sleeping_days": 300}`): known keys replace
    /// their value, and an unknown key or a value of the wrong type is an error naming it.
    pub fn merge_json(&self, partial: &serde_json::Value) -> Result<Settings, String> {
        let serde_json::Value::Object(changes) = partial else {
            return Err("settings must be an object such as {\"sleeping_days\": 300}".into());
        };
        let mut current = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let serde_json::Value::Object(fields) = &mut current else { return Err("settings are not an object".into()) };
        for (k, v) in changes {
            if !fields.contains_key(k) {
                let known: Vec<&String> = fields.keys().collect();
                return Err(format!("unknown setting \"{k}\"; known: {}", known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")));
            }
            fields.insert(k.clone(), v.clone());
        }
        let merged: Settings = serde_json::from_value(current).map_err(|e| format!("invalid settings: {e}"))?;
        merged.validate()?;
        Ok(merged)
    }

    /// Checks that every value makes sense (shares in 0..1, days positive, layers ≤ 100%).
    pub fn validate(&self) -> Result<(), String> {
        let share = |name: &str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("{name} must be between 0 and 1, not {v}"))
            }
        };
        share("high_spend_share", self.high_spend_share)?;
        share("loyal_spend_share", self.loyal_spend_share)?;
        share("bargain_regular_share", self.bargain_regular_share)?;
        share("bargain_drifter_share", self.bargain_drifter_share)?;
        share("silent_ratio", self.silent_ratio)?;
        for (i, s) in self.pyramid_shares.iter().enumerate() {
            share(&format!("pyramid_shares[{i}]"), *s)?;
        }
        if self.pyramid_shares.iter().sum::<f64>() > 1.0 + 1e-9 {
            return Err("pyramid_shares add up to more than 1".into());
        }
        for (name, d) in [
            ("loyal_max_gap_days", self.loyal_max_gap_days),
            ("new_days", self.new_days),
            ("sleeping_days", self.sleeping_days),
            ("lost_days", self.lost_days),
            ("quadrant_days", self.quadrant_days),
            ("risk_days", self.risk_days),
            ("holdout_days", self.holdout_days),
        ] {
            if d <= 0 {
                return Err(format!("{name} must be a positive number of days, not {d}"));
            }
        }
        if self.lost_days < self.sleeping_days {
            return Err("lost_days must not be shorter than sleeping_days".into());
        }
        if !(0.0..1.0).contains(&self.monthly_discount_rate) {
            return Err(format!("monthly_discount_rate must be at least 0 and below 1, not {}", self.monthly_discount_rate));
        }
        if self.high_ticket_multiple <= 0.0 {
            return Err("high_ticket_multiple must be positive".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_updates() {
        let s = Settings::default().merge_json(&serde_json::json!({"sleeping_days": 300})).unwrap();
        assert_eq!(s.sleeping_days, 300);
        assert_eq!(s.lost_days, 730);
        let e = Settings::default().merge_json(&serde_json::json!({"sleepy": 3})).unwrap_err();
        assert!(e.contains("unknown setting \"sleepy\""), "{e}");
        assert!(Settings::default().merge_json(&serde_json::json!({"sleeping_days": "x"})).unwrap_err().contains("invalid"));
        assert!(Settings::default().merge_json(&serde_json::json!({"high_spend_share": 2})).unwrap_err().contains("between 0 and 1"));
        assert!(Settings::default().merge_json(&serde_json::json!({"lost_days": 100})).unwrap_err().contains("lost_days"));
    }
}
