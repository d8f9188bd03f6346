//! Reading what store systems export: delimited text in any common encoding, Excel, JSON; with
//! or without a header; members and transactions. Every row that cannot be used is reported.
//!
//! The flow: [`load::inspect_files`] previews each table and proposes a mapping
//! ([`plan::TablePreview`]); the user (or the automation interface) confirms a
//! [`plan::TablePlan`] per table; [`load::load`] reads them into one data set with a
//! [`report::FileReport`] per table.

pub mod decode;
pub mod delimited;
pub mod error;
pub mod fields;
pub mod ingest;
pub mod load;
pub mod plan;
pub mod refuse;
pub mod report;
pub mod tables;
pub mod values;
