//! Everything that computes, and the messages the page and the worker exchange about it. Plain
//! Rust: no browser crate is in this crate's dependency tree, so it is tested and benchmarked natively.

pub mod analysis;
pub mod api;
pub mod churn;
pub mod dates;
pub mod export;
pub mod from_summary;
pub mod import;
pub mod members;
pub mod models;
pub mod demo;
pub mod model;
pub mod overview;
pub mod protocol;
pub mod predict;
pub mod pyramid;
pub mod rng;
pub mod scope;
pub mod segments;
pub mod session;
pub mod settings;
pub mod summary;
pub mod warehouse;
pub mod worklists;
