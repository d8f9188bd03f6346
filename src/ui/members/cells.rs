//! Each column of the member list: its header (the `col_<name>` words), its width, whether it
//! holds a figure (right-aligned, sorted highest first at the first click) and a row's cell text.

use crate::engine::members::{Column, MemberRow};
use crate::format::{percent, thousands, yuan};
use crate::i18n::*;
use crate::ui::labels::{cn_name, life_name, quadrant_name, rfm_name, risk_name, tier_fit_name, I18n};

use super::words::{gender_name, reason_text, star_name, zodiac_name};
use crate::engine::model::Gender;

pub fn header(i18n: I18n, c: Column) -> String {
    use Column as C;
    match c {
        C::Id => t_string!(i18n, col_id),
        C::Name => t_string!(i18n, col_name),
        C::Phone => t_string!(i18n, col_phone),
        C::Gender => t_string!(i18n, col_gender),
        C::Age => t_string!(i18n, col_age),
        C::Birthday => t_string!(i18n, col_birthday),
        C::Zodiac => t_string!(i18n, col_zodiac),
        C::StarSign => t_string!(i18n, col_star_sign),
        C::Store => t_string!(i18n, col_store),
        C::Tier => t_string!(i18n, col_tier),
        C::Joined => t_string!(i18n, col_joined),
        C::MembershipDays => t_string!(i18n, col_membership_days),
        C::FirstPurchase => t_string!(i18n, col_first_purchase),
        C::LastPurchase => t_string!(i18n, col_last_purchase),
        C::Recency => t_string!(i18n, col_recency),
        C::Visits => t_string!(i18n, col_visits),
        C::Orders => t_string!(i18n, col_orders),
        C::Spend => t_string!(i18n, col_spend),
        C::Spend12m => t_string!(i18n, col_spend_12m),
        C::AvgTicket => t_string!(i18n, col_avg_ticket),
        C::Points => t_string!(i18n, col_points),
        C::Balance => t_string!(i18n, col_balance),
        C::Expiry => t_string!(i18n, col_expiry),
        C::Tags => t_string!(i18n, col_tags),
        C::Rfm => t_string!(i18n, col_rfm),
        C::Segment => t_string!(i18n, col_segment),
        C::CnRfm => t_string!(i18n, col_cn_rfm),
        C::Layer => t_string!(i18n, col_layer),
        C::Quadrant => t_string!(i18n, col_quadrant),
        C::Lifecycle => t_string!(i18n, col_lifecycle),
        C::TierFit => t_string!(i18n, col_tier_fit),
        C::PAlive => t_string!(i18n, col_p_alive),
        C::Risk => t_string!(i18n, col_risk),
        C::Value12m => t_string!(i18n, col_value_12m),
        C::Reason => t_string!(i18n, col_reason),
    }
    .to_string()
}

/// Columns of figures: right-aligned, and sorted highest first when first clicked.
pub fn is_figure(c: Column) -> bool {
    use Column as C;
    matches!(
        c,
        C::Age | C::MembershipDays | C::Recency | C::Visits | C::Orders | C::Spend | C::Spend12m | C::AvgTicket
            | C::Points | C::Balance | C::PAlive | C::Value12m
    )
}

/// The narrowest the column gets, in CSS pixels (wider screens share out the rest).
pub fn min_width(c: Column) -> u32 {
    use Column as C;
    match c {
        C::Gender | C::Age | C::Layer | C::Rfm => 72,
        C::Zodiac | C::Visits | C::Orders | C::Points | C::PAlive | C::Risk => 88,
        C::Id | C::Phone | C::Birthday | C::Joined | C::FirstPurchase | C::LastPurchase | C::Expiry | C::StarSign => 112,
        C::Name | C::Store | C::Tier | C::Spend | C::Spend12m | C::AvgTicket | C::Balance | C::Quadrant | C::Lifecycle | C::TierFit => 112,
        C::MembershipDays | C::Recency | C::Value12m => 120,
        C::Segment | C::CnRfm | C::Tags => 150,
        C::Reason => 300,
    }
}

/// `grid-template-columns` for these columns and the width they need together.
pub fn grid(columns: &[Column]) -> (String, u32) {
    let template = columns.iter().map(|c| format!("minmax({}px,1fr)", min_width(*c))).collect::<Vec<_>>().join(" ");
    (template, columns.iter().map(|c| min_width(*c)).sum())
}

fn date(d: &Option<String>) -> String {
    d.clone().unwrap_or_default()
}

fn whole(n: Option<i64>) -> String {
    n.map(thousands).unwrap_or_default()
}

/// What row `r` shows in column `c`.
pub fn text(i18n: I18n, c: Column, r: &MemberRow) -> String {
    use Column as C;
    match c {
        C::Id => r.id.clone(),
        C::Name => r.name.clone(),
        C::Phone => r.phone_masked.clone(),
        C::Gender => (r.gender != Gender::Unknown).then(|| gender_name(i18n, r.gender)).unwrap_or_default(),
        C::Age => whole(r.age.map(i64::from)),
        C::Birthday => date(&r.birthday),
        C::Zodiac => r.zodiac.map(|z| zodiac_name(i18n, z)).unwrap_or_default(),
        C::StarSign => r.star_sign.map(|s| star_name(i18n, s)).unwrap_or_default(),
        C::Store => r.store.clone(),
        C::Tier => r.tier.clone(),
        C::Joined => date(&r.joined),
        C::MembershipDays => whole(r.membership_days.map(i64::from)),
        C::FirstPurchase => date(&r.first_purchase),
        C::LastPurchase => date(&r.last_purchase),
        C::Recency => whole(r.recency_days.map(i64::from)),
        C::Visits => thousands(i64::from(r.purchase_days)),
        C::Orders => thousands(i64::from(r.orders)),
        C::Spend => yuan(r.net_cents),
        C::Spend12m => yuan(r.spend_12m_cents),
        C::AvgTicket => yuan(r.avg_ticket_cents),
        C::Points => thousands(r.points),
        C::Balance => yuan(r.balance_cents),
        C::Expiry => date(&r.expiry),
        C::Tags => r.tags.join(", "),
        C::Rfm => (r.rfm != [0, 0, 0]).then(|| format!("{} {} {}", r.rfm[0], r.rfm[1], r.rfm[2])).unwrap_or_default(),
        C::Segment => r.segment.map(|k| rfm_name(i18n, k)).unwrap_or_default(),
        C::CnRfm => r.cn_rfm.map(|k| cn_name(i18n, k)).unwrap_or_default(),
        C::Layer => r.layer.map(|k| crate::charts::layer_letter(k).to_string()).unwrap_or_default(),
        C::Quadrant => r.quadrant.map(|k| quadrant_name(i18n, k)).unwrap_or_default(),
        C::Lifecycle => r.lifecycle.map(|k| life_name(i18n, k)).unwrap_or_default(),
        C::TierFit => r.tier_fit.map(|k| tier_fit_name(i18n, k)).unwrap_or_default(),
        C::PAlive => r.p_alive.map(percent).unwrap_or_default(),
        C::Risk => r.risk.map(|k| risk_name(i18n, k)).unwrap_or_default(),
        C::Value12m => r.value_12m_cents.map(yuan).unwrap_or_default(),
        C::Reason => r.reasons.iter().map(|w| reason_text(i18n, w)).collect::<Vec<_>>().join("; "),
    }
}
