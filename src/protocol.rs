//! The messages between the page and the engine's Web Worker (plain serde types; both sides
//! encode them as JSON text). A dropped file travels next to the request as its `File` handle
//! (structured clone, no copy); the worker reads it in slices.

use serde::{Deserialize, Serialize};

use crate::engine::analysis::Analysis;
use crate::engine::import::plan::{TablePlan, TablePreview};
use crate::engine::members::{MemberDetail, MemberFilter, MemberPage};
use crate::engine::settings::Settings;

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Generate and analyse the built-in demo with this many members.
    LoadDemo { members: usize },
    /// Preview the files sent alongside: format, header, sample rows, proposed mapping. The
    /// worker keeps the files for the `Load` that follows.
    Inspect { names: Vec<String> },
    /// Read the inspected files by these plans, then analyse.
    Load { name: String, plans: Vec<TablePlan> },
    /// Use these thresholds from now on (and recompute what is loaded).
    SetSettings { settings: Settings },
    /// A page of the member list.
    Members { filter: MemberFilter, offset: u32, limit: u32 },
    /// One member's detail.
    Member { id: String },
    /// Benchmark: fit BG/NBD on the loaded buyers' histories copied `copies` times.
    BenchFit { copies: usize },
}

/// What the worker is doing, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Generating,
    Reading,
    Summarising,
    Analysing,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub stage: Stage,
    /// Work done and total, in the stage's unit (bytes while reading); `total` 0 if unknown.
    pub done: u64,
    pub total: u64,
}

impl Progress {
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0).then(|| (self.done as f64 / self.total as f64).clamp(0.0, 1.0))
    }
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The worker's engine is loaded and takes requests.
    Ready,
    Progress(Progress),
    Inspected { previews: Vec<TablePreview> },
    Loaded(Box<Analysis>),
    /// The predictions of the analysis just sent (computed after it).
    Predictions(Box<crate::engine::predict::Predictions>),
    Members(MemberPage),
    /// The detail asked for; `detail` is `None` for an unknown id.
    Member { id: String, detail: Option<Box<MemberDetail>> },
    /// A benchmark fit: customers, milliseconds in the worker, the parameters found.
    BenchFit { customers: usize, milliseconds: f64, params: Option<crate::engine::models::bgnbd::BgNbdParams> },
    /// The request failed; the message is for the user.
    Failed { message: String },
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Response {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"type":"failed","message":"could not encode the result: {e}"}}"#)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_as_json() {
        let r = Request::LoadDemo { members: 2000 };
        assert_eq!(r.to_json(), r#"{"type":"load_demo","members":2000}"#);
        let back: Request = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back, r);
        let p = Response::Progress(Progress { stage: Stage::Reading, done: 5, total: 10 });
        let back: Response = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(back, p);
        assert_eq!(Progress { stage: Stage::Reading, done: 5, total: 10 }.fraction(), Some(0.5));
    }
}
