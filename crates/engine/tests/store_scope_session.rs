//! The store scope through the session, as the page drives it: a file of sales at two stores
//! (members without a card, so each belongs to the store of most of their spend); with a scope
//! set, the dashboard, member lists, member details and exports are of that store alone.

use member_engine::export::{ExportFormat, ExportSpec, ExportWords};
use member_engine::import::load::{inspect_files, FileSource, MemoryFiles};
use member_engine::import::plan::ImportDraft;
use member_engine::members::{Column, MemberFilter, Sort};
use member_engine::protocol::{Exported, Request, Response};
use member_engine::session::{Host, Session};
use member_engine::settings::Settings;

/// Member (empty: walk-in), date, yuan, store. S3 spends 10 at A and 50 at B: B's.
const ROWS: [(&str, &str, i64, &str); 6] = [
    ("S1", "2025-01-05", 100, "A店"),
    ("S2", "2025-01-06", 200, "B店"),
    ("S3", "2025-01-07", 10, "A店"),
    ("S3", "2025-01-08", 50, "B店"),
    ("", "2025-01-09", 30, "A店"),
    ("S1", "2025-01-10", 20, "B店"),
];

fn ask(s: &mut Session, request: Request, files: Option<&mut MemoryFiles>) -> Vec<Response> {
    let mut replies = Vec::new();
    s.handle(request, files.map(|f| f as &mut dyn FileSource), &mut |r| replies.push(r));
    replies
}

fn one(s: &mut Session, request: Request) -> Response {
    let mut replies = ask(s, request, None);
    assert_eq!(replies.len(), 1, "{replies:?}");
    replies.remove(0)
}

fn dashboard(replies: &[Response]) -> &member_engine::analysis::Analysis {
    replies.iter().find_map(|r| if let Response::Loaded(a) = r { Some(a.as_ref()) } else { None }).expect("a dashboard")
}

fn loaded() -> Session {
    let mut text = String::from("会员卡号,消费时间,实收金额,门店\n");
    for (m, d, yuan, store) in ROWS {
        text.push_str(&format!("{m},{d},{yuan},{store}\n"));
    }
    let mut files = MemoryFiles(vec![("sales.csv".into(), text.into_bytes())]);
    let plans = ImportDraft::new(inspect_files(&mut files).expect("a table")).chosen_plans();
    let mut s = Session::new(Host::default());
    let replies = ask(&mut s, Request::Load { name: "two stores".into(), plans }, Some(&mut files));
    assert_eq!(dashboard(&replies).members, 3);
    s
}

fn set_stores(s: &mut Session, stores: &[&str]) -> member_engine::analysis::Analysis {
    let settings = Settings { stores: stores.iter().map(|x| x.to_string()).collect(), ..s.settings().clone() };
    dashboard(&ask(s, Request::SetSettings { settings }, None)).clone()
}

/// The ids of every member the list shows, in id order.
fn listed(s: &mut Session) -> Vec<String> {
    let sort = Sort { column: Column::Id, descending: false };
    match one(s, Request::Members { filter: MemberFilter::everyone(), sort, offset: 0, limit: 100 }) {
        Response::Members(page) => page.rows.into_iter().map(|r| r.id).collect(),
        other => panic!("{other:?}"),
    }
}

fn exported(s: &mut Session) -> String {
    let spec = ExportSpec {
        filter: MemberFilter::everyone(),
        sort: Sort { column: Column::Id, descending: false },
        columns: vec![Column::Id],
        words: ExportWords::default(),
        full_phones: false,
        title: "All members".into(),
    };
    match one(s, Request::Export { spec, format: ExportFormat::Csv }) {
        Response::Exported(e) => match *e {
            Exported::Csv { text, .. } => text,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

fn has_detail(s: &mut Session, id: &str) -> bool {
    matches!(one(s, Request::Member { id: id.into() }), Response::Member { detail: Some(_), .. })
}

#[test]
fn a_scope_scopes_the_dashboard_the_lists_the_details_and_the_exports() {
    let mut s = loaded();
    assert_eq!(listed(&mut s), vec!["S1", "S2", "S3"]);

    // A: S1 (120 yuan, 20 of them at B) and the 30-yuan walk-in.
    let a = set_stores(&mut s, &["A店"]);
    assert_eq!((a.members, a.overview.kpis.members, a.overview.kpis.revenue_12m_cents), (1, 1, 15_000));
    assert_eq!(a.scope, vec!["A店"]);
    assert_eq!(a.analysis_date, "2025-01-10");
    assert_eq!(listed(&mut s), vec!["S1"]);
    let csv = exported(&mut s);
    assert!(csv.contains("S1") && !csv.contains("S2") && !csv.contains("S3"), "{csv}");
    assert!(has_detail(&mut s, "S1") && !has_detail(&mut s, "S2"));

    // B: S2 and S3 (260 yuan); its last row is 2025-01-08, the analysis date stays the data's.
    let b = set_stores(&mut s, &["B店"]);
    assert_eq!((b.overview.kpis.members, b.overview.kpis.revenue_12m_cents), (2, 26_000));
    assert_eq!(b.analysis_date, "2025-01-10");
    assert_eq!(b.stores, vec!["A店", "B店"], "every store offered while scoped");
    assert_eq!(listed(&mut s), vec!["S2", "S3"]);
    assert!(has_detail(&mut s, "S3") && !has_detail(&mut s, "S1"));

    // All stores again.
    let all = set_stores(&mut s, &[]);
    assert_eq!((all.overview.kpis.members, all.overview.kpis.revenue_12m_cents), (3, 41_000));
    assert!(all.scope.is_empty());
    assert_eq!(listed(&mut s), vec!["S1", "S2", "S3"]);
    let rows: Vec<(String, u32, i64)> = all.store_rows.iter().map(|r| (r.store.clone(), r.members, r.revenue_12m_cents)).collect();
    assert_eq!(rows, vec![("B店".to_string(), 2, 26_000), ("A店".to_string(), 1, 15_000)]);
}
