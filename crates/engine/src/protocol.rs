//! The messages between the page and the engine's Web Worker (plain serde types; both sides
//! encode them as JSON text). A dropped file travels next to the request as its `File` handle
//! (structured clone, no copy); the worker reads it in slices.
//!
//! Every request carries an id ([`Envelope`]) and every reply names the request it answers
//! ([`Reply`]), so that replies to calls made together never mix.

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::import::plan::{TablePlan, TablePreview};
use crate::import::refuse::NotData;
use crate::export::{ExportFormat, ExportSpec, ExportTable};
use crate::members::{MemberDetail, MemberFilter, MemberPage, Sort};
use crate::worklists::WorkListsOverview;
use crate::settings::{Settings, SettingsError};

/// Page → worker. Externally tagged (`{"load_demo": {"members": 2000}}`), as are `Response`,
/// `Exported` and `Failure`: serde decodes an internally tagged enum through a buffered copy,
/// with a second, large decoder for everything inside it (the page's wasm weighs it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Generate and analyse the built-in demo with this many members.
    LoadDemo { members: usize },
    /// Preview the files sent alongside: format, header, sample rows, proposed mapping.
    Inspect { names: Vec<String> },
    /// Read the files sent alongside (the same as inspected) by these plans, then analyse.
    Load { name: String, plans: Vec<TablePlan> },
    /// Use these thresholds from now on (and recompute what is loaded).
    SetSettings { settings: Settings },
    /// A page of the member list, in `sort` order, and the totals of the filtered list.
    Members {
        filter: MemberFilter,
        #[serde(default)]
        sort: Sort,
        offset: u32,
        limit: u32,
    },
    /// The work lists' counts for the "today" view.
    WorkLists,
    /// A list as a file.
    Export { spec: ExportSpec, format: ExportFormat },
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
    /// Pages arriving from an API (`done`: records so far; `total` when the server says it).
    Fetching,
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
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The worker's engine is loaded and takes requests.
    Ready,
    Progress(Progress),
    Inspected { previews: Vec<TablePreview> },
    Loaded(Box<Analysis>),
    /// The predictions of the analysis just sent (computed after it).
    Predictions(Box<crate::predict::Predictions>),
    Members(MemberPage),
    WorkLists(WorkListsOverview),
    Exported(Box<Exported>),
    /// The detail asked for; `detail` is `None` for an unknown id.
    Member { id: String, detail: Option<Box<MemberDetail>> },
    /// A benchmark fit: customers, milliseconds in the worker, the parameters found.
    BenchFit { customers: usize, milliseconds: f64, params: Option<crate::models::bgnbd::BgNbdParams> },
    /// The new settings are in force; nothing was loaded to recompute.
    SettingsStored,
    /// The request failed; the page says why in its language.
    Failed(Failure),
}

/// A list as a file: CSV is written by the engine; XLSX goes to the XLSX writer (a module the
/// page loads only when asked) as a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exported {
    Csv { file_name: String, text: String },
    Xlsx { table: ExportTable },
}

/// Why a request failed: a code and the figures the page needs to say it in words (never a
/// sentence). As JSON: `{"failed": "no_data"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// A query that needs a data set came before any was loaded.
    NoData,
    /// An inspect or a load came without files (or the browser could not hand them over).
    NoFiles,
    /// Settings the engine refuses (it keeps those in force).
    Settings(SettingsError),
    /// A file is not data (an image, binary, a header without rows).
    NotData { file: String, reason: NotData },
    /// Reading the files failed: which file or table, and why.
    Import(crate::import::error::LoadError),
    /// A member filter the engine cannot run (a date that is not a date …): which condition and
    /// field.
    Filter(crate::members::FilterError),
    /// The worker got a message it cannot read (a bug of the page); `detail` is the decoder's.
    BadMessage { detail: String },
    /// The result could not be encoded for the page (a bug of the engine); `detail` is the
    /// encoder's.
    Unencodable { detail: String },
}

/// What the worker was doing for a request, for messages such as "the analysis engine stopped
/// while reading a.csv" (the page says it in its language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Doing {
    LoadingDemo,
    Inspecting { names: Vec<String> },
    Reading { name: String },
    Recomputing,
    ListingMembers,
    CountingWorkLists,
    Exporting,
    OpeningMember { id: String },
    TimingFit,
    StoppingOnRequest,
}

/// A message from the page that could not be read: the failure to answer with, and the id of
/// the request it answers when that much could be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    pub id: Option<RequestId>,
    pub failure: Failure,
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What the worker is doing while it answers this request.
    pub fn doing(&self) -> Doing {
        match self {
            Request::LoadDemo { .. } => Doing::LoadingDemo,
            Request::Inspect { names } => Doing::Inspecting { names: names.clone() },
            Request::Load { name, .. } => Doing::Reading { name: name.clone() },
            Request::SetSettings { .. } => Doing::Recomputing,
            Request::Members { .. } => Doing::ListingMembers,
            Request::WorkLists => Doing::CountingWorkLists,
            Request::Export { .. } => Doing::Exporting,
            Request::Member { id } => Doing::OpeningMember { id: id.clone() },
            Request::BenchFit { .. } => Doing::TimingFit,
            Request::Crash => Doing::StoppingOnRequest,
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

    /// Reads a message from the page: the envelope, or why it cannot be read with the id when
    /// that much could be read (so the failure still answers its request).
    pub fn from_json(text: &str) -> Result<Envelope, Unreadable> {
        let bad = |id, e: serde_json::Error| Unreadable { id, failure: Failure::BadMessage { detail: e.to_string() } };
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(None, e))?;
        let id = value.get("id").and_then(serde_json::Value::as_u64);
        serde_json::from_value(value).map_err(|e| bad(id, e))
    }
}

/// The JSON of a failure to encode `e`, itself always encodable (a code and a string).
fn unencodable_json(id: Option<RequestId>, e: &serde_json::Error) -> String {
    let failed = Response::Failed(Failure::Unencodable { detail: e.to_string() });
    serde_json::to_string(&Reply { id, response: failed }).unwrap_or_default()
}

impl Response {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            let failed = Response::Failed(Failure::Unencodable { detail: e.to_string() });
            serde_json::to_string(&failed).unwrap_or_default()
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
        serde_json::to_string(self).unwrap_or_else(|e| unencodable_json(self.id, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_as_json() {
        let r = Request::LoadDemo { members: 2000 };
        assert_eq!(r.to_json(), r#"{"load_demo":{"members":2000}}"#);
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
        assert_eq!(e.to_json(), r#"{"id":7,"request":{"member":{"id":"A1"}}}"#);
        assert_eq!(Envelope::from_json(&e.to_json()), Ok(e));
        let r = Reply { id: Some(7), response: Response::Failed(Failure::NoData) };
        assert_eq!(r.to_json(), r#"{"id":7,"response":{"failed":"no_data"}}"#);
        let back: Reply = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back, r);
    }

    /// Every failure travels as a code with its figures and comes back the same, the settings
    /// error and the refusal reason inside included.
    #[test]
    fn failures_are_codes_that_round_trip() {
        let all = [
            Failure::NoData,
            Failure::NoFiles,
            Failure::Settings(SettingsError::OutOfRange { key: "sleeping_days".into(), min: 1.0, max: 36500.0 }),
            Failure::Settings(SettingsError::NotAnObject),
            Failure::NotData { file: "photo.csv".into(), reason: NotData::Format { format: "PNG image".into() } },
            Failure::NotData { file: "one.csv".into(), reason: NotData::TooShort { bytes: 1 } },
            Failure::Import(crate::import::error::LoadError::TableGone { table: "x.csv".into() }),
            Failure::BadMessage { detail: "eof".into() },
            Failure::Filter(crate::members::FilterError {
                condition: 1,
                field: crate::members::FilterField::From,
                problem: crate::members::FilterProblem::NotADate,
            }),
            Failure::Unencodable { detail: "key".into() },
        ];
        for f in all {
            let json = Response::Failed(f.clone()).to_json();
            let back: Response = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(back, Response::Failed(f), "{json}");
        }
        let json = Response::Failed(Failure::Settings(SettingsError::UnknownKey { key: "sleepy".into() })).to_json();
        assert_eq!(json, r#"{"failed":{"settings":{"error":"unknown_key","key":"sleepy"}}}"#);
    }

    #[test]
    fn an_unreadable_request_keeps_its_id_when_it_can() {
        let bad = Envelope::from_json(r#"{"id":9,"request":{"no_such":{}}}"#).unwrap_err();
        assert_eq!(bad.id, Some(9));
        assert!(matches!(&bad.failure, Failure::BadMessage { detail } if detail.contains("no_such")), "{bad:?}");
        let bad = Envelope::from_json("not json").unwrap_err();
        assert_eq!(bad.id, None);
        assert!(matches!(bad.failure, Failure::BadMessage { .. }));
    }

    #[test]
    fn each_request_says_what_the_worker_is_doing() {
        assert_eq!(Request::Load { name: "a.csv".into(), plans: Vec::new() }.doing(), Doing::Reading { name: "a.csv".into() });
        assert_eq!(Request::Member { id: "7".into() }.doing(), Doing::OpeningMember { id: "7".into() });
        assert_eq!(Request::Crash.doing(), Doing::StoppingOnRequest);
    }

    #[test]
    fn a_load_ends_with_its_predictions_not_with_the_dashboard() {
        assert!(!Response::Progress(Progress { stage: Stage::Reading, done: 0, total: 0 }).is_final());
        assert!(!Response::Loaded(Box::default()).is_final());
        assert!(Response::Failed(Failure::NoData).is_final());
        assert!(Response::SettingsStored.is_final());
        assert!(!Response::Ready.is_final());
    }
}
