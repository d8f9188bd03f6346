//! Reading what store systems export: delimited text in any common encoding, Excel, JSON; with
//! or without a header; members and transactions. Every row that cannot be used is reported.

pub mod decode;
pub mod delimited;
pub mod fields;
pub mod legacy;
pub mod plan;
pub mod report;
pub mod tables;
pub mod values;

pub use legacy::*;
