//! Everything that computes. Plain Rust: no browser crate is imported anywhere under here, so
//! the whole engine is tested and benchmarked natively.

pub mod analysis;
pub mod churn;
pub mod dates;
pub mod import;
pub mod members;
pub mod models;
pub mod demo;
pub mod model;
pub mod overview;
pub mod predict;
pub mod pyramid;
pub mod rng;
pub mod segments;
pub mod settings;
pub mod summary;
