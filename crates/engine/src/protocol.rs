//! The messages between the page and the engine's Web Worker (plain serde types; both sides
//! encode them as JSON text). A dropped file travels next to the request as its `File` handle
//! (structured clone, no copy); the worker reads it in slices.
//!
//! Every request carries an id ([`Envelope`]) and every reply names the request it answers
//! ([`Reply`]), so that replies to calls made together never mix.

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::import::plan::{TablePlan, TablePreview};
use crate::members::{MemberDetail, MemberFilter, MemberPage};
use crate::settings::Settings;

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Generate and analyse the built-in demo with this many members.
    LoadDemo { members: usize },
    /// Preview the files sent alongside: format, header, sample rows, proposed mapping.
    Inspect { names: Vec<String> },
    /// Read the files sent alongside (the same as inspected) by these plans, then analyse.
    Load { name: String, plans: Vec<TablePlan> },
    /// Use these thresholds from now on (and recompute what is loaded).
    SetSettings { settings: Settings },
    /// A page of the member list.
    Members { filter: MemberFilter, offset: u32, limit: u32 },
    /// One member's detail.
    Member { id: String },
    /// Benchmark: fit BG/NBD on the loaded buyers' histories copied `copies` times.
    BenchFit { copies: usize },
    /// Stop the engine as a bug would (a panic), to test that the page recovers.
    Crash,
}

/// The number of a request, unique for the page's lifetime (across worker restarts).
pub type RequestId = u64;

/// Page → worker: a request and its id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: RequestId,
    pub request: Request,
}

/// Worker → page: a response and the request it answers (`None` for `Ready`, and for a message
/// whose id could not be read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: Option<RequestId>,
    pub response: Response,
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
    Predictions(Box<crate::predict::Predictions>),
    Members(MemberPage),
    /// The detail asked for; `detail` is `None` for an unknown id.
    Member { id: String, detail: Option<Box<MemberDetail>> },
    /// A benchmark fit: customers, milliseconds in the worker, the parameters found.
    BenchFit { customers: usize, milliseconds: f64, params: Option<crate::models::bgnbd::BgNbdParams> },
    /// The new settings are in force; nothing was loaded to recompute.
    SettingsStored,
    /// The request failed; the message is for the user.
    Failed { message: String },
    /// A file is not data (an image, binary, a header without rows): the page says why in its
    /// language.
    Refused { file: String, reason: crate::import::refuse::NotData },
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What the worker is doing while it answers this request, for messages such as "the
    /// analysis engine stopped while reading a.csv".
    pub fn doing(&self) -> String {
        match self {
            Request::LoadDemo { .. } => "loading the demo".into(),
            Request::Inspect { names } => format!("looking at {}", names.join(", ")),
            Request::Load { name, .. } => format!("reading {name}"),
            Request::SetSettings { .. } => "recomputing with new settings".into(),
            Request::Members { .. } => "listing members".into(),
            Request::Member { id } => format!("opening member {id}"),
            Request::BenchFit { .. } => "timing a model fit".into(),
            Request::Crash => "stopping on request (a test)".into(),
        }
    }

    /// Whether this request loads or recomputes a data set (the page shows progress meanwhile).
    pub fn is_heavy(&self) -> bool {
        matches!(self, Request::LoadDemo { .. } | Request::Inspect { .. } | Request::Load { .. } | Request::SetSettings { .. })
    }

    /// Whether this request replaces the data set shown (as opposed to recomputing it).
    pub fn loads_data(&self) -> bool {
        matches!(self, Request::LoadDemo { .. } | Request::Load { .. })
    }
}

impl Envelope {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a message from the page: the envelope, or the reason it cannot be read with the
    /// id when that much could be read (so the failure still answers its request).
    pub fn from_json(text: &str) -> Result<Envelope, (Option<RequestId>, String)> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| (None, format!("the worker got a message it does not understand: {e}")))?;
        let id = value.get("id").and_then(serde_json::Value::as_u64);
        serde_json::from_value(value).map_err(|e| (id, format!("the worker got a request it does not understand: {e}")))
    }
}

impl Response {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"type":"failed","message":"could not encode the result: {e}"}}"#)
        })
    }

    /// Whether this is the last reply to its request. `Loaded` is followed by `Predictions`;
    /// `Progress` by anything.
    pub fn is_final(&self) -> bool {
        !matches!(self, Response::Ready | Response::Progress(_) | Response::Loaded(_))
    }
}

impl Reply {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            let id = self.id.map_or("null".to_string(), |i| i.to_string());
            // The message is plain words, so it needs no escaping beyond quotes.
            let message = format!("could not encode the result: {e}").replace('"', "'");
            format!(r#"{{"id":{id},"response":{{"type":"failed","message":"{message}"}}}}"#)
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

    #[test]
    fn envelopes_and_replies_carry_the_request_id() {
        let e = Envelope { id: 7, request: Request::Member { id: "A1".into() } };
        assert_eq!(e.to_json(), r#"{"id":7,"request":{"type":"member","id":"A1"}}"#);
        assert_eq!(Envelope::from_json(&e.to_json()), Ok(e));
        let r = Reply { id: Some(7), response: Response::Failed { message: "x".into() } };
        assert_eq!(r.to_json(), r#"{"id":7,"response":{"type":"failed","message":"x"}}"#);
        let back: Reply = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn an_unreadable_request_keeps_its_id_when_it_can() {
        let (id, message) = Envelope::from_json(r#"{"id":9,"request":{"type":"no_such"}}"#).unwrap_err();
        assert_eq!(id, Some(9));
        assert!(message.contains("does not understand"), "{message}");
        let (id, _) = Envelope::from_json("not json").unwrap_err();
        assert_eq!(id, None);
    }

    #[test]
    fn a_load_ends_with_its_predictions_not_with_the_dashboard() {
        assert!(!Response::Progress(Progress { stage: Stage::Reading, done: 0, total: 0 }).is_final());
        assert!(Response::Failed { message: String::new() }.is_final());
        assert!(Response::SettingsStored.is_final());
        assert!(!Response::Ready.is_final());
    }
}
