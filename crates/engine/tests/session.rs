//! The engine's session as the worker drives it: requests in, replies out in order, state kept
//! between requests (what is loaded, the settings in force, the analysis date of a data set).
//! Expected figures are worked out here from the rows the tests write.

use std::sync::atomic::{AtomicU64, Ordering};

use member_engine::import::load::{inspect_files, MemoryFiles};
use member_engine::import::plan::{ImportDraft, TablePlan};
use member_engine::import::refuse::NotData;
use member_engine::members::{MemberFilter, Sort};
use member_engine::protocol::{Failure, Request, Response, Stage};
use member_engine::session::{Host, Session};
use member_engine::settings::{Settings, SettingsError};

/// Member, date, yuan: F2 buys twice, the last row is on 2025-01-09.
const ROWS: [(&str, &str, i64); 4] =
    [("F1", "2025-01-05", 100), ("F2", "2025-01-06", 200), ("F3", "2025-01-07", 300), ("F2", "2025-01-09", 50)];

fn csv(rows: &[(&str, &str, i64)]) -> Vec<u8> {
    let mut text = String::from("会员卡号,消费时间,实收金额\n");
    for (member, date, yuan) in rows {
        text.push_str(&format!("{member},{date},{yuan}\n"));
    }
    text.into_bytes()
}

fn files(name: &str, rows: &[(&str, &str, i64)]) -> MemoryFiles {
    MemoryFiles(vec![(name.to_string(), csv(rows))])
}

/// The plans the mapping screen proposes for `files`.
fn plans(files: &mut MemoryFiles) -> Vec<TablePlan> {
    ImportDraft::new(inspect_files(files).expect("the test file is a table")).chosen_plans()
}

/// Every reply to one request, in order.
fn ask(session: &mut Session, request: Request, files: Option<&mut MemoryFiles>) -> Vec<Response> {
    let mut replies = Vec::new();
    let files = files.map(|f| f as &mut dyn member_engine::import::load::FileSource);
    session.handle(request, files, &mut |r| replies.push(r));
    replies
}

/// The one reply of a query.
fn one(session: &mut Session, request: Request) -> Response {
    let mut replies = ask(session, request, None);
    assert_eq!(replies.len(), 1, "{replies:?}");
    replies.remove(0)
}

fn load_rows(session: &mut Session, name: &str, rows: &[(&str, &str, i64)]) -> Vec<Response> {
    let mut f = files(name, rows);
    let plans = plans(&mut f);
    ask(session, Request::Load { name: name.to_string(), plans }, Some(&mut f))
}

/// The dashboard sent among `replies`.
fn dashboard(replies: &[Response]) -> &member_engine::analysis::Analysis {
    replies.iter().find_map(|r| if let Response::Loaded(a) = r { Some(a.as_ref()) } else { None }).expect("a dashboard")
}

fn net_cents_of(session: &mut Session, id: &str) -> (i64, u32) {
    match one(session, Request::Member { id: id.into() }) {
        Response::Member { detail: Some(d), .. } => (d.summary.net_cents, d.summary.purchase_days),
        other => panic!("{other:?}"),
    }
}

/// Rows of `member` up to and including `day` (ISO dates compare as text): net cents and days.
fn expected(member: &str, day: &str) -> (i64, u32) {
    let rows: Vec<_> = ROWS.iter().filter(|r| r.0 == member && r.1 <= day).collect();
    (rows.iter().map(|r| r.2 * 100).sum(), rows.len() as u32)
}

#[test]
fn a_load_answers_progress_then_the_dashboard_then_the_predictions() {
    let mut s = Session::new(Host::default());
    let replies = load_rows(&mut s, "f.csv", &ROWS);
    let kinds: Vec<&str> = replies
        .iter()
        .map(|r| match r {
            Response::Progress(_) => "progress",
            Response::Loaded(_) => "loaded",
            Response::Predictions(_) => "predictions",
            _ => "other",
        })
        .collect();
    let loaded_at = kinds.iter().position(|k| *k == "loaded").expect("a dashboard");
    assert!(kinds[..loaded_at].iter().all(|k| *k == "progress") && loaded_at >= 2, "{kinds:?}");
    assert_eq!(&kinds[loaded_at..], ["loaded", "predictions"]);
    // Only the last reply ends the request.
    assert!(replies.iter().rev().skip(1).all(|r| !r.is_final()));
    assert!(replies.last().is_some_and(Response::is_final));
    // Reading progress ends at all the bytes; summarising follows it.
    let stages: Vec<_> = replies.iter().filter_map(|r| if let Response::Progress(p) = r { Some(*p) } else { None }).collect();
    assert_eq!(stages.first().map(|p| p.stage), Some(Stage::Reading));
    let size = csv(&ROWS).len() as u64;
    assert!(stages.iter().any(|p| p.stage == Stage::Reading && p.done == size && p.total == size), "{stages:?}");
    assert_eq!(stages.last().map(|p| p.stage), Some(Stage::Analysing));

    let d = dashboard(&replies);
    assert_eq!(d.dataset_name, "f.csv");
    assert!(!d.is_demo);
    assert_eq!((d.members, d.transactions), (3, ROWS.len() as u64));
    assert_eq!(d.analysis_date, "2025-01-09", "by default, the day of the last row");
    assert!(d.predictions.pending, "the dashboard goes before its predictions");
    assert!(matches!(replies.last(), Some(Response::Predictions(p)) if !p.pending));
    assert_eq!(d.files.len(), 1);
    assert_eq!(d.files[0].rows_used, ROWS.len() as u64);
}

#[test]
fn the_demo_then_member_queries() {
    let mut s = Session::new(Host::default());
    let replies = ask(&mut s, Request::LoadDemo { members: 300 }, None);
    assert!(matches!(replies.first(), Some(Response::Progress(p)) if p.stage == Stage::Generating));
    assert!(dashboard(&replies).is_demo);
    assert_eq!(dashboard(&replies).members, 300);
    assert!(s.is_loaded());

    let Response::Members(page) = one(&mut s, Request::Members { filter: MemberFilter::everyone(), sort: Sort::default(), offset: 0, limit: 10 }) else {
        panic!("a page of members")
    };
    assert_eq!(page.total, 300);
    assert_eq!(page.rows.len(), 10);
    assert!(page.rows.windows(2).all(|w| w[0].net_cents >= w[1].net_cents), "highest spend first");

    let first = page.rows[0].id.clone();
    match one(&mut s, Request::Member { id: first.clone() }) {
        Response::Member { id, detail: Some(d) } => {
            assert_eq!((id.as_str(), d.id.as_str()), (first.as_str(), first.as_str()));
            assert_eq!(d.summary.net_cents, page.rows[0].net_cents);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(one(&mut s, Request::Member { id: "no such member".into() }), Response::Member { id: "no such member".into(), detail: None });
}

#[test]
fn new_settings_recompute_what_is_loaded_as_of_the_date_they_name() {
    let mut s = Session::new(Host::default());
    load_rows(&mut s, "f.csv", &ROWS);
    assert_eq!(net_cents_of(&mut s, "F2"), expected("F2", "2025-01-09"));

    let settings = Settings { analysis_date: Some("2025-01-06".into()), sleeping_days: 300, ..Settings::default() };
    let replies = ask(&mut s, Request::SetSettings { settings: settings.clone() }, None);
    assert!(matches!(replies.last(), Some(Response::Predictions(_))), "{replies:?}");
    let d = dashboard(&replies);
    assert_eq!(d.analysis_date, "2025-01-06");
    assert_eq!(d.settings.sleeping_days, 300);
    assert_eq!(d.dataset_name, "f.csv", "the same data set, recomputed");
    assert_eq!(d.files.len(), 1, "its load report stays with it");
    assert_eq!(s.settings(), &settings);
    // Queries answer as of the new date: F2's second purchase is after it.
    assert_eq!(net_cents_of(&mut s, "F2"), expected("F2", "2025-01-06"));
    assert_eq!(expected("F2", "2025-01-06"), (20_000, 1));
}

#[test]
fn a_new_data_set_starts_at_its_own_date_and_keeps_the_other_settings() {
    let mut s = Session::new(Host::default());
    load_rows(&mut s, "f.csv", &ROWS);
    let settings = Settings { analysis_date: Some("2025-01-06".into()), sleeping_days: 300, ..Settings::default() };
    ask(&mut s, Request::SetSettings { settings }, None);

    let later = [("G1", "2025-01-20", 10), ("G2", "2025-02-01", 20)];
    let replies = load_rows(&mut s, "g.csv", &later);
    let d = dashboard(&replies);
    assert_eq!(d.analysis_date, "2025-02-01");
    assert_eq!(d.settings.sleeping_days, 300);
    assert_eq!(s.settings().analysis_date, None);

    // The demo too.
    ask(&mut s, Request::SetSettings { settings: Settings { analysis_date: Some("2025-01-06".into()), ..Settings::default() } }, None);
    let demo = ask(&mut s, Request::LoadDemo { members: 50 }, None);
    assert_ne!(dashboard(&demo).analysis_date, "2025-01-06");
    assert_eq!(s.settings().analysis_date, None);
}

#[test]
fn settings_the_engine_refuses_change_nothing() {
    let mut s = Session::new(Host::default());
    load_rows(&mut s, "f.csv", &ROWS);
    let before = s.settings().clone();
    let bad = Settings { sleeping_days: 800, lost_days: 700, ..Settings::default() };
    let reply = one(&mut s, Request::SetSettings { settings: bad });
    assert_eq!(
        reply,
        Response::Failed(Failure::Settings(SettingsError::NotLongerThan { key: "lost_days".into(), shorter: "sleeping_days".into() }))
    );
    assert_eq!(s.settings(), &before);
    // What was loaded is still there, as it was.
    assert_eq!(net_cents_of(&mut s, "F2"), expected("F2", "2025-01-09"));
}

#[test]
fn queries_before_anything_is_loaded_fail_with_no_data() {
    let mut s = Session::new(Host::default());
    assert!(!s.is_loaded());
    assert_eq!(one(&mut s, Request::Members { filter: MemberFilter::everyone(), sort: Sort::default(), offset: 0, limit: 5 }), Response::Failed(Failure::NoData));
    assert_eq!(one(&mut s, Request::Member { id: "F1".into() }), Response::Failed(Failure::NoData));
    assert_eq!(one(&mut s, Request::BenchFit { copies: 1 }), Response::Failed(Failure::NoData));
    // Settings before the first load are stored and used by it.
    let settings = Settings { sleeping_days: 300, ..Settings::default() };
    assert_eq!(one(&mut s, Request::SetSettings { settings }), Response::SettingsStored);
    let replies = load_rows(&mut s, "f.csv", &ROWS);
    assert_eq!(dashboard(&replies).settings.sleeping_days, 300);
}

#[test]
fn files_missing_or_not_data_are_typed_failures() {
    let mut s = Session::new(Host::default());
    assert_eq!(one(&mut s, Request::Inspect { names: vec!["a.csv".into()] }), Response::Failed(Failure::NoFiles));
    assert_eq!(one(&mut s, Request::Load { name: "a.csv".into(), plans: Vec::new() }), Response::Failed(Failure::NoFiles));

    let mut png = MemoryFiles(vec![("photo.csv".into(), b"\x89PNG\r\n\x1a\n0000000000000000".to_vec())]);
    let reply = ask(&mut s, Request::Inspect { names: vec!["photo.csv".into()] }, Some(&mut png));
    assert_eq!(
        reply,
        vec![Response::Failed(Failure::NotData { file: "photo.csv".into(), reason: NotData::Format { format: "PNG image".into() } })]
    );
    // No table chosen: the import's failure, and nothing is loaded.
    let mut f = files("f.csv", &ROWS);
    let reply = ask(&mut s, Request::Load { name: "f.csv".into(), plans: Vec::new() }, Some(&mut f));
    assert!(matches!(reply.last(), Some(Response::Failed(Failure::Import { .. }))), "{reply:?}");
    assert!(reply.iter().rev().skip(1).all(|r| matches!(r, Response::Progress(_))));
    assert!(!s.is_loaded());
}

#[test]
fn a_failed_load_keeps_the_data_set_before_it() {
    let mut s = Session::new(Host::default());
    load_rows(&mut s, "f.csv", &ROWS);
    let mut f = files("g.csv", &ROWS);
    let reply = ask(&mut s, Request::Load { name: "g.csv".into(), plans: Vec::new() }, Some(&mut f));
    assert!(matches!(reply.last(), Some(Response::Failed(Failure::Import { .. }))));
    assert_eq!(net_cents_of(&mut s, "F1"), expected("F1", "2025-01-09"));
}

#[test]
fn an_inspect_previews_the_files() {
    let mut s = Session::new(Host::default());
    let mut f = files("f.csv", &ROWS);
    match one_with(&mut s, Request::Inspect { names: vec!["f.csv".into()] }, &mut f) {
        Response::Inspected { previews } => {
            assert_eq!(previews.len(), 1);
            assert_eq!(previews[0].name, "f.csv");
        }
        other => panic!("{other:?}"),
    }
}

fn one_with(session: &mut Session, request: Request, files: &mut MemoryFiles) -> Response {
    let mut replies = ask(session, request, Some(files));
    assert_eq!(replies.len(), 1, "{replies:?}");
    replies.remove(0)
}

static TICKS: AtomicU64 = AtomicU64::new(0);

/// A clock that moves 5 ms each time it is read.
fn ticking() -> f64 {
    (TICKS.fetch_add(5, Ordering::SeqCst) + 5) as f64
}

#[test]
fn a_benchmark_fit_uses_the_host_clock_and_copies_the_buyers() {
    let mut s = Session::new(Host { now_ms: ticking, memory_bytes: || 4096 });
    let replies = load_rows(&mut s, "f.csv", &ROWS);
    assert_eq!(dashboard(&replies).engine_memory_bytes, 4096);
    match one(&mut s, Request::BenchFit { copies: 2 }) {
        Response::BenchFit { customers, milliseconds, .. } => {
            // Three members bought; two copies of each.
            assert_eq!(customers, 3 * 2);
            assert_eq!(milliseconds, 5.0);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_crash_is_left_to_the_host() {
    let mut s = Session::new(Host::default());
    assert!(matches!(one(&mut s, Request::Crash), Response::Failed(Failure::BadMessage { .. })));
}
