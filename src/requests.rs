//! The page's book of requests to the engine's worker, as a plain type (tested natively): the
//! ids, the order in which requests go out, which reply answers which request, and what to load
//! again after the worker stops (a crash or a cancel) without ever looping.
//!
//! `T` is what the page keeps with a request (the Promise to settle, the screen to show);
//! `F` is the files posted with it (a JS array in the browser).

use std::collections::VecDeque;

pub mod api_words;
pub mod keep_words;
pub mod words;

use crate::engine::analysis::Analysis;
use crate::engine::import::plan::{DraftProblem, TablePlan};
use crate::engine::predict::Distrust;
use crate::engine::settings::Settings;
use crate::protocol::{Doing, Failure, Request, RequestId};

/// A data set that can be loaded again.
#[derive(Clone, Debug, PartialEq)]
pub enum Source<F> {
    Demo,
    Files { files: F, name: String, plans: Vec<TablePlan> },
}

/// A request as the page makes it.
pub struct New<T, F> {
    pub request: Request,
    pub files: Option<F>,
    pub ticket: T,
    /// Nothing made later goes out before this request's reply has been answered with a
    /// follow-up: an inspect whose load follows at once, so that a `setSettings` made meanwhile
    /// recomputes the files being loaded, not the data set before them.
    pub holds: bool,
    /// Part of bringing back a data set after the worker stopped.
    pub restoring: bool,
}

impl<T, F> New<T, F> {
    pub fn plain(request: Request, files: Option<F>, ticket: T) -> Self {
        New { request, files, ticket, holds: false, restoring: false }
    }
}

/// A request from the moment the page makes it until its last reply.
pub struct Pending<T, F> {
    pub id: RequestId,
    pub request: Request,
    pub files: Option<F>,
    pub ticket: T,
    /// The first reply (`Loaded`) has come; only its follow-up (the predictions) is missing.
    pub answered: bool,
    pub holds: bool,
    pub restoring: bool,
}

/// What to do after the worker stopped.
#[derive(Debug, PartialEq)]
pub enum Restore<F> {
    /// Start a new worker and load this data set again (the last one loaded in full).
    Replay(Source<F>),
    /// Bringing a data set back stopped the worker again: start a new one with the demo.
    DemoInstead,
    /// Even the demo stopped it: start a new worker and load nothing.
    Nothing,
    /// The worker stopped before it was ever ready (it cannot start): start none until the
    /// page asks for something again.
    GiveUp,
}

/// Everything a stopped worker leaves behind.
pub struct Stopped<T, F> {
    /// Every request not answered in full, oldest first: the page settles each.
    pub unsettled: Vec<Pending<T, F>>,
    /// What the worker was doing (its oldest request), for the message.
    pub doing: Option<Doing>,
    pub restore: Restore<F>,
}

impl<F> Restore<F> {
    /// What the page will show next, for the message.
    pub fn next(&self) -> Next {
        match self {
            Restore::Replay(_) => Next::Restored,
            Restore::DemoInstead => Next::DemoInstead,
            Restore::Nothing => Next::Nothing,
            Restore::GiveUp => Next::GiveUp,
        }
    }
}

/// What the page shows after a stop or a failed restore (the end of the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// The last data set loaded in full is loaded again.
    Restored,
    /// Bringing it back failed: the demo is shown instead.
    DemoInstead,
    /// Even the demo failed: nothing is loaded.
    Nothing,
    /// The engine cannot start again: the page must be reloaded.
    GiveUp,
}

/// One request that brings a data set back after a stop, in the order sent.
#[derive(Clone, Debug, PartialEq)]
pub enum RestoreStep<F> {
    /// The settings last accepted (not saved again).
    Settings(Settings),
    /// Preview these files, then load them with these plans.
    Files { files: F, name: String, plans: Vec<TablePlan> },
    Demo,
}

/// The requests that bring back what `restore` says, with the settings last accepted. A data
/// set loaded again starts at its default analysis date (as any new load does), so a date the
/// user had chosen is sent once more after it. After a failed restore (the demo instead) the
/// date is not: it belonged to the data set that failed.
pub fn restore_steps<F>(restore: Restore<F>, accepted: &Settings) -> Vec<RestoreStep<F>> {
    let mut steps = vec![RestoreStep::Settings(accepted.clone())];
    let replay = matches!(restore, Restore::Replay(_));
    match restore {
        Restore::GiveUp => return Vec::new(),
        Restore::Nothing => return steps,
        Restore::Replay(Source::Files { files, name, plans }) => steps.push(RestoreStep::Files { files, name, plans }),
        Restore::Replay(Source::Demo) | Restore::DemoInstead => steps.push(RestoreStep::Demo),
    }
    if replay && accepted.analysis_date.is_some() {
        steps.push(RestoreStep::Settings(accepted.clone()));
    }
    steps
}

/// Why a request failed or the engine stopped, as the page keeps it: put into words only when
/// shown, in the language chosen then (`ui::failures`: the banner in the page's own words; the
/// automation interface in the engine's English words, which scripts match on, or in Chinese).
#[derive(Clone, Debug, PartialEq)]
pub enum PageFailure {
    /// The engine answered with this failure.
    Engine(Failure),
    /// An automatic load cannot read the files as proposed (a column is missing …).
    Draft(DraftProblem),
    /// The user cancelled: the work in progress was stopped.
    Cancelled,
    /// The engine stopped (a crash): what it was doing, the browser's words, what comes next.
    Stopped { doing: Option<Doing>, reason: String, next: Next },
    /// Bringing the last data set back failed without stopping the engine.
    NotRestored { why: Box<PageFailure>, next: Next },
    /// The engine could not start (`again`: after a stop); `detail` is the browser's words.
    NoEngine { again: bool, detail: String },
    /// A reply of the engine could not be read; `detail` is the decoder's words.
    UnreadableReply { detail: String },
    /// A list could not be made into a file (the XLSX writer could not load or failed);
    /// `detail` is its words.
    ExportFailed { detail: String },
    /// The data set kept on this device could not be brought back at start: the demo is shown
    /// instead.
    KeptNotRestored { name: String, why: keep_words::StorageProblem },
    /// Loading from an API failed (the page offers to try again from where it stopped).
    Api(crate::engine::api::ApiFailure),
}

/// What a failed request leaves to do.
pub struct Failed<T, F> {
    pub pending: Pending<T, F>,
    /// Its figures had come and are kept: only what followed them (the predictions) failed.
    pub after_figures: bool,
    /// The figures shown will get no predictions (they were this request's).
    pub predictions_lost: bool,
    /// It was bringing a data set back: what to try next.
    pub restore: Option<Restore<F>>,
}

/// The figures shown will get no predictions: say so instead of waiting for ever.
pub fn predictions_not_coming(analysis: &mut Analysis) {
    if analysis.predictions.pending {
        analysis.predictions.pending = false;
        analysis.predictions.distrust = Some(Distrust::NotComputed);
    }
}

/// Which kind of data set is being brought back.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Restoring {
    Files,
    Demo,
}

pub struct Requests<T, F> {
    next_id: RequestId,
    /// The worker said it is ready: requests may go out.
    ready: bool,
    /// Made, not yet posted.
    queued: VecDeque<Pending<T, F>>,
    /// Posted, waiting for their last reply; in the order posted, which is the order the worker
    /// answers them.
    sent: Vec<Pending<T, F>>,
    /// The posted request that keeps the queue waiting (see [`New::holds`]).
    holding: Option<RequestId>,
    /// The request whose figures the page shows.
    shown: Option<RequestId>,
    /// The last data set whose analysis came back in full.
    last_good: Option<Source<F>>,
    restoring: Option<Restoring>,
    /// Crashes since the user last loaded a data set: the last data set is brought back after
    /// the first only, so a crash that the page itself sets off again (a query it makes after
    /// every load) cannot loop.
    crashes: u32,
}

impl<T, F: Clone> Default for Requests<T, F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, F: Clone> Requests<T, F> {
    pub fn new() -> Self {
        Requests {
            next_id: 1,
            ready: false,
            queued: VecDeque::new(),
            sent: Vec::new(),
            holding: None,
            shown: None,
            last_good: None,
            restoring: None,
            crashes: 0,
        }
    }

    fn pending(&mut self, new: New<T, F>) -> Pending<T, F> {
        let id = self.next_id;
        self.next_id += 1;
        if new.restoring {
            self.restoring = Some(if matches!(new.request, Request::LoadDemo { .. }) { Restoring::Demo } else { Restoring::Files });
        }
        Pending { id, request: new.request, files: new.files, ticket: new.ticket, answered: false, holds: new.holds, restoring: new.restoring }
    }

    /// Queues a request; it goes out with the next [`Self::take_postable`].
    pub fn submit(&mut self, new: New<T, F>) -> RequestId {
        let p = self.pending(new);
        let id = p.id;
        self.queued.push_back(p);
        id
    }

    /// Queues the request that continues `after` (the load after its inspect) ahead of anything
    /// made meanwhile.
    pub fn follow_up(&mut self, after: RequestId, new: New<T, F>) -> RequestId {
        if self.holding == Some(after) {
            self.holding = None;
        }
        let p = self.pending(new);
        let id = p.id;
        self.queued.push_front(p);
        id
    }

    /// The worker is ready for requests.
    pub fn set_ready(&mut self) {
        self.ready = true;
    }

    /// The requests to post now, in order: none before the worker is ready, none behind a
    /// request that holds the queue.
    pub fn take_postable(&mut self) -> Vec<(RequestId, Request, Option<F>)> {
        let mut out = Vec::new();
        while self.ready && self.holding.is_none() {
            let Some(p) = self.queued.pop_front() else { break };
            out.push((p.id, p.request.clone(), p.files.clone()));
            if p.holds {
                self.holding = Some(p.id);
            }
            self.sent.push(p);
        }
        out
    }

    /// Whether `id` was posted and not yet answered in full (replies to anything else are
    /// stale: from a stopped worker, or for a request already settled).
    pub fn is_waiting(&self, id: RequestId) -> bool {
        self.sent.iter().any(|p| p.id == id)
    }

    /// The figures of `id` arrived and are shown; predictions of any other request no longer
    /// belong to what is shown.
    pub fn loaded(&mut self, id: RequestId) -> Option<&mut Pending<T, F>> {
        let p = self.sent.iter_mut().find(|p| p.id == id)?;
        p.answered = true;
        self.shown = Some(id);
        Some(p)
    }

    /// The data set loaded in full last (what a stop brings back).
    pub fn last_good(&self) -> Option<&Source<F>> {
        self.last_good.as_ref()
    }

    /// Whether `id` is the request whose figures are shown.
    pub fn is_shown(&self, id: RequestId) -> bool {
        self.shown == Some(id)
    }

    /// The last reply to `id` came (`ok`: not a failure). A data set loaded in full becomes the
    /// one to bring back after a stop.
    pub fn finish(&mut self, id: RequestId, ok: bool) -> Option<Pending<T, F>> {
        let at = self.sent.iter().position(|p| p.id == id)?;
        let p = self.sent.remove(at);
        if self.holding == Some(id) {
            // An inspect that failed has no follow-up; one that worked gets it before the queue moves.
            self.holding = None;
        }
        if ok && p.request.loads_data() {
            let source = match (&p.request, &p.files) {
                (Request::Load { name, plans }, Some(files)) => Some(Source::Files { files: files.clone(), name: name.clone(), plans: plans.clone() }),
                (Request::LoadDemo { .. }, _) => Some(Source::Demo),
                _ => None,
            };
            if source.is_some() {
                self.last_good = source;
            }
            if p.restoring {
                self.restoring = None;
            } else {
                self.crashes = 0;
            }
        }
        Some(p)
    }

    /// The worker answered `id` with a failure. A request whose figures had come keeps them (it
    /// counts as answered in full: its data set is one to bring back); one that was bringing a
    /// data set back says what to try next.
    pub fn fail(&mut self, id: RequestId) -> Option<Failed<T, F>> {
        let after_figures = self.sent.iter().find(|p| p.id == id)?.answered;
        let predictions_lost = after_figures && self.is_shown(id);
        let pending = self.finish(id, after_figures)?;
        // Bringing a data set back failed without stopping the worker (its files cannot be read
        // any more): what to try next.
        let restore = (!after_figures && pending.restoring).then(|| self.next_after_failed_restore());
        Some(Failed { pending, after_figures, predictions_lost, restore })
    }

    fn next_after_failed_restore(&mut self) -> Restore<F> {
        match self.restoring.take() {
            Some(Restoring::Files) => Restore::DemoInstead,
            Some(Restoring::Demo) => Restore::Nothing,
            None if self.crashes >= 3 => Restore::Nothing,
            None if self.crashes == 2 => Restore::DemoInstead,
            None => Restore::Replay(self.last_good.clone().unwrap_or(Source::Demo)),
        }
    }

    /// Whether a request that loads or recomputes a data set has not yet shown its figures.
    pub fn busy(&self) -> bool {
        self.queued.iter().chain(self.sent.iter()).any(|p| p.request.is_heavy() && !p.answered)
    }

    /// Whether any request not yet answered in full matches `f`.
    pub fn any(&self, f: impl Fn(&Pending<T, F>) -> bool) -> bool {
        self.queued.iter().chain(self.sent.iter()).any(f)
    }

    /// Whether any request waits for its last reply (predictions included).
    pub fn is_idle(&self) -> bool {
        self.queued.is_empty() && self.sent.is_empty()
    }

    /// The worker stopped: by a crash (`crashed`), or terminated by a cancel. Every request is
    /// handed back to be settled, and the answer says what to load in the next worker: after a
    /// crash while bringing a data set back, the demo; after a crash of the demo, nothing.
    pub fn stop(&mut self, crashed: bool) -> Stopped<T, F> {
        let doing = self.sent.first().map(|p| p.request.doing());
        let mut unsettled: Vec<_> = self.sent.drain(..).collect();
        unsettled.extend(self.queued.drain(..));
        let restore = if crashed && !self.ready {
            self.restoring = None;
            Restore::GiveUp
        } else if crashed {
            self.crashes += 1;
            self.next_after_failed_restore()
        } else {
            // A cancel is the user's choice, not a failure of the data: bring back the last data set.
            self.restoring = None;
            Restore::Replay(self.last_good.clone().unwrap_or(Source::Demo))
        };
        self.ready = false;
        self.holding = None;
        self.shown = None;
        Stopped { unsettled, doing, restore }
    }
}

/// What happened to saved settings at start (the page says it in its language; `Display` is
/// the English of `report().notice`).
#[derive(Clone, Debug, PartialEq)]
pub enum SavedSettingNote {
    /// The saved text is not settings at all: every setting is back to its default.
    Unreadable,
    /// `key` was saved as `saved` (JSON), which the engine refuses: it is `default` again.
    Reset { key: String, saved: String, default: String },
}

impl std::fmt::Display for SavedSettingNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SavedSettingNote::Unreadable => f.write_str("the saved settings could not be read and were reset to the defaults"),
            SavedSettingNote::Reset { key, saved, default } => {
                write!(f, "saved setting {key} = {saved} was not accepted and was reset to {default}")
            }
        }
    }
}

/// Settings saved by an earlier visit (perhaps by an older version), checked by the engine
/// ([`Settings::from_saved_json`]): a saved value it refuses falls back to its default, and a note
/// names it, so that a bad saved setting can never keep the app from starting.
pub fn settings_from_saved(json: &str) -> (Settings, Vec<SavedSettingNote>) {
    let Ok(serde_json::Value::Object(saved)) = serde_json::from_str::<serde_json::Value>(json) else {
        return (Settings::default(), vec![SavedSettingNote::Unreadable]);
    };
    let (settings, reset) = Settings::from_saved_json(json);
    let defaults = serde_json::to_value(Settings::default()).unwrap_or_default();
    let notes = reset
        .iter()
        // A key reset only because a rule ties it to another (lost_days ≥ sleeping_days) and not
        // saved differently from its default changed nothing worth a note.
        .filter_map(|key| {
            let value = saved.get(key)?;
            let default = defaults.get(key)?;
            (value != default).then(|| SavedSettingNote::Reset { key: key.to_string(), saved: value.to_string(), default: default.to_string() })
        })
        .collect();
    (settings, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Book = Requests<&'static str, &'static str>;

    fn inspect(name: &str) -> Request {
        Request::Inspect { names: vec![name.to_string()] }
    }

    fn load(name: &str) -> Request {
        Request::Load { name: name.to_string(), plans: Vec::new() }
    }

    fn settings() -> Request {
        Request::SetSettings { settings: crate::engine::settings::Settings::default() }
    }

    fn held(request: Request, files: &'static str, ticket: &'static str) -> New<&'static str, &'static str> {
        New { request, files: Some(files), ticket, holds: true, restoring: false }
    }

    fn ids(posted: &[(RequestId, Request, Option<&'static str>)]) -> Vec<RequestId> {
        posted.iter().map(|p| p.0).collect()
    }

    #[test]
    fn nothing_goes_out_before_the_worker_is_ready_then_all_in_order() {
        let mut book = Book::new();
        let a = book.submit(New::plain(settings(), None, "settings"));
        let b = book.submit(New::plain(Request::LoadDemo { members: 10 }, None, "demo"));
        assert_ne!(a, b);
        assert!(book.take_postable().is_empty());
        book.set_ready();
        assert_eq!(ids(&book.take_postable()), vec![a, b]);
        assert!(book.take_postable().is_empty(), "each request goes out once");
    }

    #[test]
    fn two_loads_started_together_each_read_their_own_files() {
        let mut book = Book::new();
        book.set_ready();
        let ia = book.submit(held(inspect("a.csv"), "files a", "load a"));
        let ib = book.submit(held(inspect("b.csv"), "files b", "load b"));
        // The inspect of b waits until a's load is out.
        assert_eq!(ids(&book.take_postable()), vec![ia]);
        let done = book.finish(ia, true).unwrap();
        let la = book.follow_up(ia, New::plain(load("a.csv"), done.files, done.ticket));
        let posted = book.take_postable();
        assert_eq!(ids(&posted), vec![la, ib]);
        assert_eq!(posted[0].2, Some("files a"));
        assert_eq!(posted[1].2, Some("files b"));
        let done = book.finish(ib, true).unwrap();
        let lb = book.follow_up(ib, New::plain(load("b.csv"), done.files, done.ticket));
        assert_eq!(ids(&book.take_postable()), vec![lb]);
        // Each load's figures answer its own request.
        assert_eq!(book.loaded(la).map(|p| p.ticket), Some("load a"));
        assert_eq!(book.loaded(lb).map(|p| p.ticket), Some("load b"));
    }

    #[test]
    fn settings_changed_during_a_load_recompute_the_files_being_loaded() {
        let mut book = Book::new();
        book.set_ready();
        let i = book.submit(held(inspect("f.csv"), "files f", "load f"));
        let s = book.submit(New::plain(settings(), None, "settings"));
        assert_eq!(ids(&book.take_postable()), vec![i]);
        book.finish(i, true);
        let l = book.follow_up(i, New::plain(load("f.csv"), Some("files f"), "load f"));
        assert_eq!(ids(&book.take_postable()), vec![l, s], "the load goes out before the settings");
    }

    #[test]
    fn an_inspect_that_failed_lets_the_queue_move() {
        let mut book = Book::new();
        book.set_ready();
        let i = book.submit(held(inspect("bad.png"), "files", "load"));
        let m = book.submit(New::plain(Request::Member { id: "1".into() }, None, "member"));
        assert_eq!(ids(&book.take_postable()), vec![i]);
        book.finish(i, false);
        assert_eq!(ids(&book.take_postable()), vec![m]);
    }

    #[test]
    fn predictions_apply_only_to_the_figures_shown() {
        let mut book = Book::new();
        book.set_ready();
        let a = book.submit(New::plain(Request::LoadDemo { members: 1 }, None, "a"));
        let b = book.submit(New::plain(load("b.csv"), Some("files b"), "b"));
        book.take_postable();
        book.loaded(a);
        assert!(book.is_shown(a));
        book.loaded(b);
        assert!(!book.is_shown(a), "a's predictions arriving now are stale");
        assert!(book.is_shown(b));
    }

    #[test]
    fn busy_until_every_load_has_shown_its_figures() {
        let mut book = Book::new();
        book.set_ready();
        assert!(!book.busy());
        let a = book.submit(New::plain(Request::LoadDemo { members: 1 }, None, "a"));
        let m = book.submit(New::plain(Request::Member { id: "1".into() }, None, "m"));
        book.take_postable();
        assert!(book.busy());
        book.loaded(a);
        assert!(!book.busy(), "a member query is not a load");
        assert!(!book.is_idle());
        book.finish(a, true);
        book.finish(m, true);
        assert!(book.is_idle());
    }

    #[test]
    fn a_crash_settles_everything_and_brings_back_the_last_data_set_loaded_in_full() {
        let mut book = Book::new();
        book.set_ready();
        let f = book.submit(New::plain(load("f.csv"), Some("files f"), "f"));
        book.take_postable();
        book.loaded(f);
        // Figures shown, predictions not yet: f is not yet a data set to bring back.
        let g = book.submit(New::plain(load("g.csv"), Some("files g"), "g"));
        let m = book.submit(New::plain(Request::Member { id: "7".into() }, None, "m"));
        book.take_postable();
        let stopped = book.stop(true);
        assert_eq!(stopped.unsettled.iter().map(|p| p.id).collect::<Vec<_>>(), vec![f, g, m]);
        assert_eq!(stopped.doing, Some(Doing::Reading { name: "f.csv".into() }));
        assert_eq!(stopped.restore, Restore::Replay(Source::Demo));
        assert!(!book.is_waiting(f));
        assert!(book.take_postable().is_empty(), "nothing goes to the next worker before it is ready");

        // Next worker: f loads in full, then a crash brings f back.
        book.set_ready();
        let f2 = book.submit(New::plain(load("f.csv"), Some("files f"), "f"));
        book.take_postable();
        book.finish(f2, true);
        let stopped = book.stop(true);
        assert!(stopped.unsettled.is_empty());
        assert_eq!(stopped.restore, Restore::Replay(Source::Files { files: "files f", name: "f.csv".into(), plans: Vec::new() }));
    }

    #[test]
    fn a_data_set_that_stops_the_worker_again_gives_way_to_the_demo_then_to_nothing() {
        let mut book = Book::new();
        book.set_ready();
        let f = book.submit(New::plain(load("f.csv"), Some("files f"), "f"));
        book.take_postable();
        book.finish(f, true);
        assert!(matches!(book.stop(true).restore, Restore::Replay(Source::Files { .. })));
        // The replay of f crashes too.
        book.set_ready();
        book.submit(New { request: inspect("f.csv"), files: Some("files f"), ticket: "replay", holds: true, restoring: true });
        book.take_postable();
        assert_eq!(book.stop(true).restore, Restore::DemoInstead);
        // And so does the demo: load nothing, and never loop.
        book.set_ready();
        book.submit(New { request: Request::LoadDemo { members: 1 }, files: None, ticket: "demo", holds: false, restoring: true });
        book.take_postable();
        assert_eq!(book.stop(true).restore, Restore::Nothing);
        // A later crash (after the user loaded something else) restores again.
        book.set_ready();
        let d = book.submit(New::plain(Request::LoadDemo { members: 1 }, None, "demo"));
        book.take_postable();
        book.finish(d, true);
        assert_eq!(book.stop(true).restore, Restore::Replay(Source::Demo));
    }

    /// A crash that comes back after every restore (set off by a query the page makes after
    /// each load) does not loop: the data set once, then the demo, then nothing.
    #[test]
    fn crashes_in_a_row_end_in_the_demo_then_nothing() {
        let mut book: Requests<&str, &str> = Requests::new();
        book.set_ready();
        let load = book.submit(New { request: Request::LoadDemo { members: 1 }, files: None, ticket: "user", holds: false, restoring: false });
        book.take_postable();
        book.finish(load, true);
        let mut seen = Vec::new();
        for _ in 0..4 {
            let stopped = book.stop(true);
            book.set_ready();
            seen.push(match stopped.restore {
                Restore::Replay(_) => "replay",
                Restore::DemoInstead => "demo",
                Restore::Nothing => "nothing",
                Restore::GiveUp => "give up",
            });
            if matches!(stopped.restore, Restore::Nothing) {
                break;
            }
            // The restore works, then the page's own query crashes the worker again.
            let again = book.submit(New { request: Request::LoadDemo { members: 1 }, files: None, ticket: "restore", holds: false, restoring: true });
            book.take_postable();
            book.finish(again, true);
        }
        assert_eq!(seen, vec!["replay", "demo", "nothing"]);
    }

    #[test]
    fn a_restore_that_worked_ends_the_restoring() {
        let mut book = Book::new();
        book.set_ready();
        let d = book.submit(New { request: Request::LoadDemo { members: 1 }, files: None, ticket: "demo", holds: false, restoring: true });
        book.take_postable();
        book.finish(d, true);
        assert_eq!(book.stop(true).restore, Restore::Replay(Source::Demo));
    }

    #[test]
    fn a_worker_that_never_started_is_not_restarted() {
        let mut book = Book::new();
        book.submit(New::plain(Request::LoadDemo { members: 1 }, None, "demo"));
        let stopped = book.stop(true);
        assert_eq!(stopped.restore, Restore::GiveUp);
        assert_eq!(stopped.unsettled.len(), 1, "the demo request is settled, not left hanging");
        assert_eq!(stopped.doing, None);
    }

    #[test]
    fn a_cancel_brings_back_the_last_data_set_even_while_restoring() {
        let mut book = Book::new();
        book.set_ready();
        book.submit(New { request: inspect("f.csv"), files: Some("f"), ticket: "replay", holds: true, restoring: true });
        book.take_postable();
        assert_eq!(book.stop(false).restore, Restore::Replay(Source::Demo));
    }

    #[test]
    fn saved_settings_that_are_valid_are_kept() {
        let (s, notes) = settings_from_saved(r#"{"sleeping_days": 800, "lost_days": 1000, "from_a_newer_version": 1}"#);
        assert_eq!((s.sleeping_days, s.lost_days), (800, 1000));
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn a_bad_saved_setting_falls_back_to_its_default_with_a_note() {
        let (s, notes) = settings_from_saved(r#"{"sleeping_days": 800, "lost_days": 1000, "high_spend_share": 5}"#);
        assert_eq!((s.sleeping_days, s.lost_days), (800, 1000), "the good values stay, in any order");
        assert_eq!(s.high_spend_share, Settings::default().high_spend_share);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].to_string(), "saved setting high_spend_share = 5 was not accepted and was reset to 0.2");
    }

    #[test]
    fn saved_days_beyond_every_range_fall_back_and_the_rest_is_valid() {
        let (s, notes) = settings_from_saved(r#"{"sleeping_days": 2147483647, "lost_days": -5}"#);
        assert_eq!(s.sleeping_days, 365);
        assert_eq!(s.lost_days, 730);
        assert!(s.validate().is_ok());
        assert!(notes.iter().map(ToString::to_string).any(|n| n.contains("sleeping_days") && n.ends_with("reset to 365")), "{notes:?}");
        assert!(notes.iter().map(ToString::to_string).any(|n| n.contains("lost_days") && n.ends_with("reset to 730")), "{notes:?}");
    }

    #[test]
    fn unreadable_saved_settings_give_the_defaults_and_say_so() {
        let (s, notes) = settings_from_saved("{not json");
        assert_eq!(s, Settings::default());
        assert_eq!(notes.len(), 1);
        let (_, notes) = settings_from_saved(r#"{"sleeping_days": "soon"}"#);
        assert!(notes[0].to_string().contains("sleeping_days"), "{notes:?}");
    }

    #[test]
    fn a_failure_after_the_figures_keeps_them_and_loses_only_the_predictions() {
        let mut book = Book::new();
        book.set_ready();
        let f = book.submit(New::plain(load("f.csv"), Some("files f"), "f"));
        book.take_postable();
        book.loaded(f);
        let failed = book.fail(f).expect("f was waiting");
        assert!(failed.after_figures && failed.predictions_lost);
        assert!(failed.restore.is_none());
        assert!(!book.is_waiting(f), "settled");
        // Its figures are the data set to bring back after a stop.
        assert_eq!(book.stop(true).restore, Restore::Replay(Source::Files { files: "files f", name: "f.csv".into(), plans: Vec::new() }));
    }

    #[test]
    fn a_failure_after_figures_no_longer_shown_loses_no_predictions() {
        let mut book = Book::new();
        book.set_ready();
        let a = book.submit(New::plain(Request::LoadDemo { members: 1 }, None, "a"));
        let b = book.submit(New::plain(load("b.csv"), Some("files b"), "b"));
        book.take_postable();
        book.loaded(a);
        book.loaded(b);
        let failed = book.fail(a).unwrap();
        assert!(failed.after_figures);
        assert!(!failed.predictions_lost, "b's figures are shown, and b's predictions may still come");
    }

    #[test]
    fn a_failure_before_the_figures_is_a_failure_and_a_failed_restore_says_what_next() {
        let mut book = Book::new();
        book.set_ready();
        let m = book.submit(New::plain(Request::Member { id: "1".into() }, None, "m"));
        let i = book.submit(New { request: inspect("gone.csv"), files: Some("f"), ticket: "replay", holds: true, restoring: true });
        book.take_postable();
        let failed = book.fail(m).unwrap();
        assert!(!failed.after_figures && !failed.predictions_lost && failed.restore.is_none());
        let failed = book.fail(i).unwrap();
        assert_eq!(failed.pending.ticket, "replay");
        assert_eq!(failed.restore, Some(Restore::DemoInstead));
        assert!(book.fail(i).is_none(), "a request fails once");
        // A failed request is no data set to bring back.
        assert_eq!(book.stop(false).restore, Restore::Replay(Source::Demo));
    }

    #[test]
    fn a_restore_sends_the_accepted_settings_first_and_a_chosen_date_again_after_a_replay() {
        let dated = Settings { analysis_date: Some("2025-01-31".into()), sleeping_days: 300, ..Settings::default() };
        let files = Restore::Replay(Source::Files { files: "f", name: "f.csv".into(), plans: Vec::new() });
        assert_eq!(
            restore_steps(files, &dated),
            vec![
                RestoreStep::Settings(dated.clone()),
                RestoreStep::Files { files: "f", name: "f.csv".into(), plans: Vec::new() },
                RestoreStep::Settings(dated.clone()),
            ]
        );
        assert_eq!(
            restore_steps(Restore::<&str>::Replay(Source::Demo), &dated),
            vec![RestoreStep::Settings(dated.clone()), RestoreStep::Demo, RestoreStep::Settings(dated.clone())]
        );
        // Without a chosen date, the new load's own date stands: nothing to send again.
        let undated = Settings { sleeping_days: 300, ..Settings::default() };
        assert_eq!(restore_steps(Restore::<&str>::Replay(Source::Demo), &undated), vec![RestoreStep::Settings(undated.clone()), RestoreStep::Demo]);
        // The demo instead of a data set that failed: its date does not apply.
        assert_eq!(restore_steps(Restore::<&str>::DemoInstead, &dated), vec![RestoreStep::Settings(dated.clone()), RestoreStep::Demo]);
        assert_eq!(restore_steps(Restore::<&str>::Nothing, &dated), vec![RestoreStep::Settings(dated.clone())]);
        assert_eq!(restore_steps(Restore::<&str>::GiveUp, &dated), Vec::new());
    }

    #[test]
    fn each_restore_names_what_the_page_shows_next() {
        assert_eq!(Restore::Replay(Source::<&str>::Demo).next(), Next::Restored);
        assert_eq!(Restore::<&str>::DemoInstead.next(), Next::DemoInstead);
        assert_eq!(Restore::<&str>::Nothing.next(), Next::Nothing);
        assert_eq!(Restore::<&str>::GiveUp.next(), Next::GiveUp);
    }

    #[test]
    fn predictions_that_will_not_come_stop_being_pending_with_a_reason() {
        let mut a = Analysis::default();
        a.predictions.pending = true;
        predictions_not_coming(&mut a);
        assert!(!a.predictions.pending);
        assert_eq!(a.predictions.distrust, Some(Distrust::NotComputed));
        // Predictions that came are left as they are.
        let mut done = Analysis::default();
        done.predictions.trusted = true;
        predictions_not_coming(&mut done);
        assert_eq!(done.predictions.distrust, None);
        assert!(done.predictions.trusted);
    }
}
