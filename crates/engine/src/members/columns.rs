//! The columns of the member list: what the user can show, sort by and export.

use serde::{Deserialize, Serialize};

/// A column of the member list, export and sort key. As JSON its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Id,
    Name,
    Phone,
    Gender,
    Age,
    Birthday,
    Zodiac,
    StarSign,
    Store,
    Tier,
    Joined,
    MembershipDays,
    FirstPurchase,
    LastPurchase,
    Recency,
    Visits,
    Orders,
    Spend,
    Spend12m,
    AvgTicket,
    Points,
    Balance,
    Expiry,
    Tags,
    Rfm,
    Segment,
    CnRfm,
    Layer,
    Quadrant,
    Lifecycle,
    TierFit,
    PAlive,
    Risk,
    Value12m,
    /// Why the member is on the work list (work lists only).
    Reason,
}

impl Column {
    pub const ALL: [Column; 35] = [
        Column::Id,
        Column::Name,
        Column::Phone,
        Column::Gender,
        Column::Age,
        Column::Birthday,
        Column::Zodiac,
        Column::StarSign,
        Column::Store,
        Column::Tier,
        Column::Joined,
        Column::MembershipDays,
        Column::FirstPurchase,
        Column::LastPurchase,
        Column::Recency,
        Column::Visits,
        Column::Orders,
        Column::Spend,
        Column::Spend12m,
        Column::AvgTicket,
        Column::Points,
        Column::Balance,
        Column::Expiry,
        Column::Tags,
        Column::Rfm,
        Column::Segment,
        Column::CnRfm,
        Column::Layer,
        Column::Quadrant,
        Column::Lifecycle,
        Column::TierFit,
        Column::PAlive,
        Column::Risk,
        Column::Value12m,
        Column::Reason,
    ];

    /// The columns a new user sees.
    pub const DEFAULT: [Column; 9] = [
        Column::Name,
        Column::Id,
        Column::Phone,
        Column::Tier,
        Column::LastPurchase,
        Column::Visits,
        Column::Spend,
        Column::Segment,
        Column::Risk,
    ];
}

/// The order of the list: a column and its direction. Ties keep member order (the file's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub column: Column,
    #[serde(default)]
    pub descending: bool,
}

impl Default for Sort {
    /// Highest lifetime spend first.
    fn default() -> Self {
        Sort { column: Column::Spend, descending: true }
    }
}
