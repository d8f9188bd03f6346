//! The engine's side of a conversation with the page, as a plain type: what is loaded, the
//! settings in force, and how each [`Request`] is answered (the replies in order). The Web
//! Worker only carries messages, files and the clock to it, so all of this is tested natively.
//!
//! Rules kept here:
//! - the analysis date belongs to a data set: a new one (demo or files) starts at its own
//!   default day, whatever date the settings named before;
//! - new settings are validated, then recompute what is loaded;
//! - a load or a recompute answers with progress, then the dashboard (`Loaded`), then the
//!   predictions (`Predictions`): the page shows the dashboard while the models fit.

use crate::analysis::{add_predictions, analyse_without_predictions, Classified, Computed};
use crate::demo::{generate, DemoSpec};
use crate::import::load::{inspect_files, load, FileSource, InspectError};
use crate::import::report::FileReport;
use crate::export::{csv, table, ExportFormat, ExportSpec};
use crate::members::{detail, try_query, Ctx};
use crate::model::Dataset;
use crate::models::bgnbd::{fit, BgNbdParams};
use crate::predict::history_of;
use crate::protocol::{Exported, Failure, Progress, Request, Response, Stage};
use crate::settings::Settings;
use crate::summary::Summaries;
use crate::worklists::WorkListIndex;

/// What the host offers the session: a clock (for `BenchFit`) and the memory in use (reported
/// with each analysis). Plain function pointers: the browser's and a test's need no state.
#[derive(Clone, Copy)]
pub struct Host {
    /// Milliseconds from any fixed origin.
    pub now_ms: fn() -> f64,
    /// Bytes the engine's memory holds now (0 when unknown).
    pub memory_bytes: fn() -> u64,
}

impl Default for Host {
    /// No clock and no memory figure (both read 0).
    fn default() -> Self {
        Host { now_ms: || 0.0, memory_bytes: || 0 }
    }
}

/// A data set and what was computed on it, kept for the queries of later pages.
struct Loaded {
    /// The whole data set, whatever the store scope (a new scope is cut from it).
    dataset: Dataset,
    /// The store scope's data set when [`Settings::stores`] scopes it: every query answers from
    /// it (with the summaries and classification computed on it). `None`: the whole one.
    scoped: Option<Dataset>,
    summaries: Summaries,
    classified: Classified,
    is_demo: bool,
    files: Vec<FileReport>,
    /// The BG/NBD parameters, when trusted (for member details).
    model: Option<BgNbdParams>,
    /// Who is on which work list.
    lists: WorkListIndex,
}

/// A data set about to be analysed.
struct Fresh {
    dataset: Dataset,
    files: Vec<FileReport>,
    is_demo: bool,
}

pub struct Session {
    host: Host,
    settings: Settings,
    loaded: Option<Loaded>,
}

/// Reading progress goes out at most once per this fraction of the bytes (and at the end).
const PROGRESS_STEP: f64 = 0.01;

impl Session {
    pub fn new(host: Host) -> Self {
        Session { host, settings: Settings::default(), loaded: None }
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded.is_some()
    }

    /// Answers `request`: every reply goes to `out`, the last one final
    /// ([`Response::is_final`]). `files` are the files sent with an `Inspect` or a `Load`.
    /// A `Crash` is the host's to carry out (it stops the engine as a bug would, which plain
    /// code does not do): here it is refused as a message this session does not take.
    pub fn handle(&mut self, request: Request, files: Option<&mut dyn FileSource>, out: &mut dyn FnMut(Response)) {
        let new_data_set = request.loads_data();
        let fresh = match request {
            Request::LoadDemo { members } => {
                out(progress(Stage::Generating, 0, 0));
                let spec = DemoSpec { members, ..Default::default() };
                Fresh { dataset: generate(&spec), files: Vec::new(), is_demo: true }
            }
            Request::Load { name, plans } => {
                let Some(files) = files else { return out(Response::Failed(Failure::NoFiles)) };
                match read(&name, &plans, files, out) {
                    Ok(fresh) => fresh,
                    Err(failure) => return out(Response::Failed(failure)),
                }
            }
            Request::Inspect { .. } => return out(inspect(files)),
            Request::SetSettings { settings } => {
                // The page checks too; the engine never runs with settings it refuses.
                if let Err(e) = settings.validate() {
                    return out(Response::Failed(Failure::Settings(e)));
                }
                self.settings = settings;
                // Taken, not borrowed: the old figures are dropped before the new are computed.
                match self.loaded.take() {
                    Some(l) => Fresh { dataset: with_summaries_back(l.dataset, l.scoped.is_some(), l.summaries), files: l.files, is_demo: l.is_demo },
                    None => return out(Response::SettingsStored),
                }
            }
            Request::Members { filter, sort, offset, limit } => {
                return out(match self.ctx() {
                    Some(ctx) => match try_query(&ctx, &filter, sort, offset, limit) {
                        Ok(page) => Response::Members(page),
                        Err(e) => Response::Failed(Failure::Filter(e)),
                    },
                    None => Response::Failed(Failure::NoData),
                });
            }
            Request::WorkLists => {
                return out(match &self.loaded {
                    Some(l) => Response::WorkLists(l.lists.overview()),
                    None => Response::Failed(Failure::NoData),
                });
            }
            Request::Export { spec, format } => return out(self.export(&spec, format)),
            Request::Member { id } => return out(self.member(id)),
            Request::BenchFit { copies } => return out(self.bench_fit(copies)),
            Request::Crash => {
                return out(Response::Failed(Failure::BadMessage { detail: "a crash is the host's to carry out".into() }));
            }
        };
        if new_data_set {
            // The analysis date belongs to a data set: a new one starts at its own last day.
            self.settings.analysis_date = None;
        }
        self.analyse(fresh, out);
    }

    /// The dashboard first, then the predictions (the model fits) in a second reply; what was
    /// computed stays for later queries.
    fn analyse(&mut self, fresh: Fresh, out: &mut dyn FnMut(Response)) {
        let Fresh { dataset, files, is_demo } = fresh;
        out(progress(Stage::Summarising, 0, 0));
        let mut computed = analyse_without_predictions(&dataset, None, is_demo, &self.settings);
        let mut dashboard = computed.analysis.clone();
        dashboard.files = files.clone();
        dashboard.engine_memory_bytes = (self.host.memory_bytes)();
        out(progress(Stage::Analysing, 1, 1));
        out(Response::Loaded(Box::new(dashboard)));
        add_predictions(&dataset, &mut computed, &self.settings);
        out(Response::Predictions(Box::new(computed.analysis.predictions.clone())));
        let Computed { summaries, classified, analysis, scoped } = computed;
        let p = &analysis.predictions;
        let model = p.bgnbd.as_ref().filter(|_| p.trusted).map(|f| f.params);
        let lists = WorkListIndex::build(scoped.as_ref().unwrap_or(&dataset), &summaries, &classified, &self.settings);
        let dataset = without_summaries(dataset, scoped.is_some());
        self.loaded = Some(Loaded { dataset, scoped, summaries, classified, is_demo, files, model, lists });
    }

    /// What a member query reads, when a data set is loaded: the store scope's data.
    fn ctx(&self) -> Option<Ctx<'_>> {
        self.loaded.as_ref().map(|l| Ctx {
            ds: l.scoped.as_ref().unwrap_or(&l.dataset),
            sums: &l.summaries,
            c: &l.classified,
            lists: &l.lists,
            settings: &self.settings,
        })
    }

    /// A list as a file: CSV text, or the table for the page's XLSX writer.
    fn export(&self, spec: &ExportSpec, format: ExportFormat) -> Response {
        let Some(ctx) = self.ctx() else { return Response::Failed(Failure::NoData) };
        if let Err(e) = spec.filter.validate() {
            return Response::Failed(Failure::Filter(e));
        }
        let t = table(&ctx, spec);
        Response::Exported(Box::new(match format {
            ExportFormat::Csv => Exported::Csv { file_name: format!("{}.csv", t.file_name), text: csv(&t) },
            ExportFormat::Xlsx => Exported::Xlsx { table: t },
        }))
    }

    /// One member's detail (`None` for an unknown id).
    fn member(&self, id: String) -> Response {
        let Some(l) = &self.loaded else { return Response::Failed(Failure::NoData) };
        let Some(ctx) = self.ctx() else { return Response::Failed(Failure::NoData) };
        let d = detail(&ctx, l.model.as_ref(), &id);
        Response::Member { id, detail: d.map(Box::new) }
    }

    /// Times a BG/NBD fit on the loaded buyers' histories copied `copies` times.
    fn bench_fit(&self, copies: usize) -> Response {
        let Some(l) = &self.loaded else { return Response::Failed(Failure::NoData) };
        let d = l.summaries.analysis_day;
        let buyers: Vec<_> = l.summaries.members.iter().filter(|s| s.purchase_days > 0).map(|s| history_of(s, d)).collect();
        let data: Vec<_> = buyers.iter().cycle().take(buyers.len().saturating_mul(copies.max(1))).copied().collect();
        let start = (self.host.now_ms)();
        let found = fit(&data);
        let milliseconds = finite_or_zero((self.host.now_ms)() - start);
        Response::BenchFit { customers: data.len(), milliseconds, params: found.map(|f| f.params) }
    }
}

/// A data set of warehouse summaries without them once analysed, unless scoped: the analysis's
/// summaries are the same ones (as of the summary's fixed D, whatever the settings), so the
/// data set's copy (72 bytes a member, 360 MB for 5 million) is given back by
/// [`with_summaries_back`] before the next analysis rather than held twice.
fn without_summaries(mut ds: Dataset, scoped: bool) -> Dataset {
    if let (Some(pre), false) = (ds.precomputed.as_mut(), scoped) {
        pre.members = Vec::new();
    }
    ds
}

/// The data set as [`without_summaries`] found it: the summaries back from the analysis (the
/// analysis makes them from themselves unchanged: [`crate::from_summary::summaries`] is
/// idempotent).
fn with_summaries_back(mut ds: Dataset, scoped: bool, summaries: Summaries) -> Dataset {
    if let (Some(pre), false) = (ds.precomputed.as_mut(), scoped) {
        pre.members = summaries.members;
    }
    ds
}

fn progress(stage: Stage, done: u64, total: u64) -> Response {
    Response::Progress(Progress { stage, done, total })
}

fn finite_or_zero(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// Previews the files sent with an `Inspect`.
fn inspect(files: Option<&mut dyn FileSource>) -> Response {
    let Some(files) = files else { return Response::Failed(Failure::NoFiles) };
    match inspect_files(files) {
        Ok(previews) => Response::Inspected { previews },
        Err(InspectError::NotData { file, reason }) => Response::Failed(Failure::NotData { file, reason }),
        Err(InspectError::Load(e)) => Response::Failed(Failure::Import(e)),
    }
}

/// Reads the files of a `Load` with reading progress, a message per percent at most.
fn read(
    name: &str,
    plans: &[crate::import::plan::TablePlan],
    files: &mut dyn FileSource,
    out: &mut dyn FnMut(Response),
) -> Result<Fresh, Failure> {
    out(progress(Stage::Reading, 0, 0));
    let mut last_sent = 0.0;
    let on_progress = &mut |done: u64, total: u64| {
        let f = done as f64 / total.max(1) as f64;
        if f - last_sent >= PROGRESS_STEP || done == total {
            last_sent = f;
            out(progress(Stage::Reading, done, total));
        }
    };
    let (dataset, files) = load(name, plans, files, on_progress).map_err(Failure::Import)?;
    Ok(Fresh { dataset, files, is_demo: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::summarize;
    use crate::warehouse::Precomputed;

    /// A demo's members without rows, with their summaries as of its last day.
    fn summary_twin() -> Dataset {
        let ds = generate(&DemoSpec { members: 500, ..Default::default() });
        let day = ds.default_analysis_day().unwrap_or(0);
        let members = summarize(&ds, day).members;
        let mut t = ds.clone();
        t.transactions = Default::default();
        t.precomputed = Some(Box::new(Precomputed { analysis_day: day, members, monthly: None }));
        t
    }

    fn dashboard(s: &mut Session, request: Request) -> Box<crate::analysis::Analysis> {
        let mut loaded = None;
        s.handle(request, None, &mut |r| {
            if let Response::Loaded(a) = r {
                loaded = Some(a);
            }
        });
        loaded.unwrap()
    }

    /// A data set of warehouse summaries is held once (the analysis's copy), and new settings
    /// (scoped or not, an analysis date too) recompute from the same summaries: the figures are
    /// those of a fresh analysis with those settings, as of the summary's D.
    #[test]
    fn settings_recompute_from_the_summaries_held_once() {
        let twin = summary_twin();
        let mut s = Session::new(Host::default());
        s.analyse(Fresh { dataset: twin.clone(), files: Vec::new(), is_demo: false }, &mut |_| {});
        let held = |s: &Session| s.loaded.as_ref().and_then(|l| l.dataset.precomputed.as_ref()).map(|p| p.members.len());
        assert_eq!(held(&s), Some(0), "the data set's copy is given up");
        let store = twin.stores.names()[0].clone();
        for settings in [
            Settings { sleeping_days: 200, analysis_date: Some("2001-01-01".into()), ..Default::default() },
            Settings { stores: vec![store], ..Default::default() },
            Settings { pyramid_shares: [0.1, 0.2, 0.3], quadrant_days: 90, ..Default::default() },
        ] {
            let got = dashboard(&mut s, Request::SetSettings { settings: settings.clone() });
            let want = crate::analysis::analyse_without_predictions(&twin, None, false, &settings).analysis;
            assert_eq!((&got.segments, &got.pyramid, &got.analysis_date, &got.store_rows), (&want.segments, &want.pyramid, &want.analysis_date, &want.store_rows));
            assert_eq!(got.members, want.members);
        }
    }
}
