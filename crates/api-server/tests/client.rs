//! The page's API client logic (member_engine::api: `read_page`, `next_link`, `Pager`,
//! `file_parts`) against the reference server, in every paging and money style: the pages are
//! fetched the way the browser client fetches them, joined into the file it hands to the
//! engine, and that file is loaded by the engine's own import as an automatic load does. The
//! figures expected are computed from the CSV rows this test writes, never by the engine.

mod common;

use common::*;
use member_engine::api::{file_parts, next_link, read_page, Endpoint, NextPage, PageProblem, Pager};
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::import::plan::ImportDraft;
use member_engine::import::report::FileReport;
use member_engine::model::{Dataset, TxKind, WALK_IN};

/// Records per page: small, so that every list takes several pages.
const SIZE: u32 = 3;

/// One transaction row as written to the CSV.
struct Tx {
    member: Option<String>,
    date: String,
    paid_cents: i64,
    discount_cents: i64,
    kind: &'static str,
}

/// Row of the refund, the top-up and the walk-in guest among [`transactions`].
const REFUND: usize = 7;
const TOP_UP: usize = 12;
const WALK_IN_ROW: usize = 15;

/// 21 transactions (a multiple of [`SIZE`], so that a client paging by number without a total
/// must ask one empty page) of the seven members of [`MEMBERS_CSV`], with one refund, one
/// top-up and one walk-in guest.
fn transactions() -> Vec<Tx> {
    (0..21usize)
        .map(|i| {
            let kind = match i {
                REFUND => "refund",
                TOP_UP => "top_up",
                _ => "sale",
            };
            let n = i as i64;
            Tx {
                member: (i != WALK_IN_ROW).then(|| format!("M{:02}", i % 7 + 1)),
                date: format!("2024-{:02}-{:02}", i / 10 + 3, i % 10 + 1),
                paid_cents: if kind == "refund" { -3_550 } else { 1_000 + n * 211 + (n % 4) * 7 },
                discount_cents: if kind == "sale" && i % 3 == 0 { 300 } else { 0 },
                kind,
            }
        })
        .collect()
}

fn yuan(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

fn write_fixture(dir: &std::path::Path) -> (String, String) {
    let mut csv = String::from("member_id,date,paid,discount,category,kind\n");
    for t in transactions() {
        let member = t.member.as_deref().unwrap_or("");
        csv.push_str(&format!("{member},{},{},{},面膜,{}\n", t.date, yuan(t.paid_cents), yuan(t.discount_cents), t.kind));
    }
    let tx = dir.join("sales.csv");
    std::fs::write(&tx, csv).unwrap();
    let members = write_members_csv(dir);
    (tx.to_str().unwrap().to_string(), members.to_str().unwrap().to_string())
}

/// A member's column of [`MEMBERS_CSV`] (no cell there is quoted).
fn members_column(name: &str) -> Vec<(String, String)> {
    let mut lines = MEMBERS_CSV.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_string(), cells[at].to_string())
        })
        .collect()
}

// ---- The client, as src/ui/api_load.rs drives the engine's parts ----

/// `next` resolved against the address of the page that named it (absolute, root-relative,
/// query-only or path-relative; the server writes no dot segments).
fn resolve(next: &str, against: &str) -> String {
    if next.starts_with("http://") || next.starts_with("https://") {
        return next.to_string();
    }
    let (scheme, rest) = against.split_once("://").unwrap();
    let origin_end = rest.find('/').map_or(against.len(), |i| scheme.len() + 3 + i);
    let (origin, path_and_query) = against.split_at(origin_end);
    let path = path_and_query.split(['?', '#']).next().unwrap_or("");
    if let Some(rest) = next.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else if next.starts_with('/') {
        format!("{origin}{next}")
    } else if next.starts_with('?') {
        format!("{origin}{path}{next}")
    } else {
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        format!("{origin}{dir}{next}")
    }
}

/// The same address asking for page `n` of `size` (other parameters kept).
fn with_page_number(url: &str, n: u32, size: u32) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<String> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("page=") && !p.starts_with("size=")).map(str::to_string).collect();
    params.push(format!("page={n}"));
    params.push(format!("size={size}"));
    format!("{path}?{}", params.join("&"))
}

/// The request target of an address on this server (another origin would be a bug here).
fn target_on<'a>(s: &Server, url: &'a str) -> &'a str {
    let origin = format!("http://127.0.0.1:{}", s.port);
    url.strip_prefix(origin.as_str()).unwrap_or_else(|| panic!("{url} is not on {origin}"))
}

/// One list fetched in full.
struct Fetched {
    texts: Vec<String>,
    pages: u32,
    records: u64,
    /// Addresses that failed and were asked again, with the status they gave.
    failures: Vec<(String, u16)>,
}

/// A page that could not be read: its number (from 1) and the problem.
type Unreadable = (u32, PageProblem);

/// Fetches every page of `endpoint`: first `?page=1&size=SIZE`, then wherever the pager says.
/// With `retry`, an answer that is not a success is asked for once more (the page's Retry).
fn fetch_list(s: &Server, endpoint: Endpoint, retry: bool) -> Result<Fetched, Unreadable> {
    fetch_list_in_pages_of(s, endpoint, SIZE, retry)
}

fn fetch_list_in_pages_of(s: &Server, endpoint: Endpoint, size: u32, retry: bool) -> Result<Fetched, Unreadable> {
    let mut pager = Pager::new(size);
    let mut next = Some(format!("http://127.0.0.1:{}/api/{}?page=1&size={}", s.port, endpoint.key(), pager.size));
    let (mut texts, mut failures) = (Vec::new(), Vec::new());
    while let Some(url) = next {
        let number = pager.pages + 1;
        assert!(number <= 50, "{:?}: the pages never end", endpoint);
        let mut r = s.get(target_on(s, &url));
        if r.status != 200 && retry && !failures.iter().any(|(u, _)| *u == url) {
            failures.push((url.clone(), r.status));
            r = s.get(target_on(s, &url));
        }
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        let link = r.header("link").and_then(next_link);
        let page = read_page(&r.body, endpoint).map_err(|p| (number, p))?;
        next = match pager.after(&page, link) {
            NextPage::Url(n) => Some(resolve(&n, &url)),
            NextPage::Number(n) => Some(with_page_number(&url, n, pager.size)),
            NextPage::Done => None,
        };
        texts.push(page.records_json);
    }
    Ok(Fetched { texts, pages: pager.pages, records: pager.records, failures })
}

/// Both lists fetched and joined into the file the client hands to the engine.
fn fetch_file(s: &Server, retry: bool) -> (String, Fetched, Fetched) {
    let members = fetch_list(s, Endpoint::Members, retry).unwrap_or_else(|e| panic!("members page {e:?}"));
    let tx = fetch_list(s, Endpoint::Transactions, retry).unwrap_or_else(|e| panic!("transactions page {e:?}"));
    let text = file_parts(Some(&members.texts), &tx.texts).concat();
    (text, members, tx)
}

/// The file loaded as `load_files` does in the worker: previews, the proposed plans, no problem
/// in the draft, then the load.
fn load_as_the_app_does(text: &str) -> (Dataset, Vec<FileReport>) {
    let mut files = MemoryFiles(vec![("API 127.0.0.1.json".to_string(), text.as_bytes().to_vec())]);
    let draft = ImportDraft::new(inspect_files(&mut files).expect("inspect"));
    let problems = draft.draft_problems();
    assert!(problems.is_empty(), "the automatic load would stop at the mapping: {problems:?}");
    load(&draft.name(), &draft.chosen_plans(), &mut files, &mut |_, _| {}).expect("load")
}

// ---- Checks ----

/// The loaded data set holds exactly the rows the fixture wrote.
fn assert_same_as_the_fixture(ds: &Dataset, reports: &[FileReport], what: &str) {
    let rows = transactions();
    let want_members = MEMBERS_CSV.lines().count() - 1;
    assert_eq!(ds.members.len(), want_members, "{what}: members");
    let tx = &ds.transactions;
    assert_eq!(tx.len(), rows.len(), "{what}: transactions");
    assert_eq!(tx.amount_cents.iter().sum::<i64>(), rows.iter().map(|r| r.paid_cents).sum::<i64>(), "{what}: money paid");
    assert_eq!((0..tx.len()).map(|r| tx.discount_cents(r)).sum::<i64>(), rows.iter().map(|r| r.discount_cents).sum::<i64>(), "{what}: discounts");
    let kinds = |k: TxKind| tx.kind.iter().filter(|&&x| x == k).count();
    assert_eq!((kinds(TxKind::Refund), kinds(TxKind::TopUp)), (1, 1), "{what}: a refund and a top-up");
    let refund = tx.kind.iter().position(|&k| k == TxKind::Refund).unwrap();
    assert_eq!(tx.amount_cents[refund], rows[REFUND].paid_cents, "{what}: the refund's money");
    assert_eq!(tx.member.iter().filter(|&&m| m == WALK_IN).count(), 1, "{what}: one walk-in guest");
    assert_eq!(reports.iter().map(|r| r.walk_in_rows).sum::<u64>(), 1, "{what}: the report's walk-in");
    assert_eq!(reports.iter().map(|r| r.rows_skipped).sum::<u64>(), 0, "{what}: nothing skipped");
    assert_eq!(reports.iter().map(|r| r.rows_used).sum::<u64>(), (rows.len() + want_members) as u64, "{what}: every record used");

    let balances: i64 = members_column("balance").iter().filter(|(_, b)| !b.is_empty()).map(|(_, b)| yuan_to_cents(b)).sum();
    assert_eq!((0..ds.members.len()).map(|m| ds.members.balance_cents(m)).sum::<i64>(), balances, "{what}: balances");
    for (id, cell) in members_column("tags") {
        let want: Vec<&str> = cell.split(';').filter(|t| !t.is_empty()).collect();
        let m = ds.members.ids().position(|i| i == id).unwrap_or_else(|| panic!("{what}: member {id} missing"));
        let got: Vec<&str> = ds.members.tags(m).iter().filter_map(|&t| ds.tags.name(t)).collect();
        assert_eq!(got, want, "{what}: tags of {id}");
    }
}

/// Pages a list of `n` records takes: by cursor or with a total the last record ends it; paging
/// by number without a total needs an empty page after a full last one.
fn pages_for(n: u64, empty_page_after_full: bool) -> u32 {
    let full = n.div_ceil(SIZE as u64) as u32;
    full + u32::from(empty_page_after_full && n.is_multiple_of(SIZE as u64))
}

fn load_in_style(style: &[&str], array: bool) {
    let dir = temp_dir("client");
    let (tx, members) = write_fixture(&dir);
    for money in ["yuan", "cents"] {
        let what = format!("{style:?} --money {money}");
        let mut args = vec!["--transactions", tx.as_str(), "--members", members.as_str(), "--money", money];
        args.extend_from_slice(style);
        let s = Server::start(&args);
        let (text, m, t) = fetch_file(&s, false);
        let want_members = (MEMBERS_CSV.lines().count() - 1) as u64;
        let want_tx = transactions().len() as u64;
        assert_eq!((m.records, t.records), (want_members, want_tx), "{what}: records counted by the pager");
        assert_eq!((m.pages, t.pages), (pages_for(want_members, array), pages_for(want_tx, array)), "{what}: pages asked");
        let (ds, reports) = load_as_the_app_does(&text);
        assert_same_as_the_fixture(&ds, &reports, &what);
    }
}

#[test]
fn cursor_in_the_body() {
    load_in_style(&["--paging", "cursor", "--next", "body"], false);
}

#[test]
fn cursor_in_the_link_header() {
    load_in_style(&["--paging", "cursor", "--next", "link"], false);
}

#[test]
fn cursor_in_both() {
    load_in_style(&["--paging", "cursor", "--next", "both"], false);
}

#[test]
fn cursor_as_an_absolute_address() {
    load_in_style(&["--paging", "cursor", "--next-absolute"], false);
}

#[test]
fn cursor_as_an_absolute_address_in_the_link_only() {
    load_in_style(&["--paging", "cursor", "--next", "link", "--next-absolute"], false);
}

#[test]
fn page_numbers_with_a_total() {
    load_in_style(&["--paging", "page"], false);
}

#[test]
fn page_numbers_of_bare_arrays() {
    load_in_style(&["--paging", "array"], true);
}

#[test]
fn a_list_that_fills_exactly_one_page_is_read_once() {
    let dir = temp_dir("client-one-page");
    let (tx, members) = write_fixture(&dir);
    let want = (MEMBERS_CSV.lines().count() - 1) as u64;
    for style in [&["--next", "body"][..], &["--next", "link"], &["--paging", "page"], &["--paging", "array"]] {
        let mut args = vec!["--transactions", tx.as_str(), "--members", members.as_str()];
        args.extend_from_slice(style);
        let s = Server::start(&args);
        let m = fetch_list_in_pages_of(&s, Endpoint::Members, want as u32, false).unwrap();
        assert_eq!(m.records, want, "{style:?}: every member once");
        // A full first page without a next is followed by a request for page 2 (empty here;
        // see the report: `"next": null` does not tell the pager the server pages by cursor).
        assert!(m.pages <= 2, "{style:?}: {} pages", m.pages);
    }
}

// ---- Broken pages and failures ----

fn transactions_page_problem(style: &[&str], how: &str) -> Unreadable {
    let dir = temp_dir("client-broken");
    let (tx, members) = write_fixture(&dir);
    let broken = format!("transactions:2:{how}");
    let mut args = vec!["--transactions", tx.as_str(), "--members", members.as_str(), "--malformed", broken.as_str()];
    args.extend_from_slice(style);
    let s = Server::start(&args);
    assert!(fetch_list(&s, Endpoint::Members, false).is_ok(), "members are not broken");
    match fetch_list(&s, Endpoint::Transactions, false) {
        Ok(f) => panic!("{style:?} {how}: a broken page read as {} records", f.records),
        Err(e) => e,
    }
}

const STYLES: [&[&str]; 3] = [&["--paging", "cursor"], &["--paging", "page"], &["--paging", "array"]];

#[test]
fn a_record_that_is_not_an_object_is_named() {
    for style in STYLES {
        // The server breaks the page's third record (or its last): with pages of 3, record 3.
        assert_eq!(transactions_page_problem(style, "record"), (2, PageProblem::NotAnObject { record: 3 }), "{style:?}");
    }
}

#[test]
fn a_page_cut_short_is_not_json() {
    for style in STYLES {
        let (page, problem) = transactions_page_problem(style, "json");
        assert_eq!(page, 2, "{style:?}");
        assert!(matches!(problem, PageProblem::NotJson { line: 1, column } if column > 1), "{style:?}: {problem:?}");
    }
}

#[test]
fn an_html_page_is_not_records() {
    for style in STYLES {
        let (page, problem) = transactions_page_problem(style, "html");
        assert_eq!(page, 2, "{style:?}");
        assert!(matches!(problem, PageProblem::NotJson { .. } | PageProblem::NoRecords), "{style:?}: {problem:?}");
    }
}

#[test]
fn a_failed_page_asked_again_leaves_the_total_exact() {
    let dir = temp_dir("client-fail");
    let (tx, members) = write_fixture(&dir);
    for style in STYLES {
        let mut args = vec!["--transactions", tx.as_str(), "--members", members.as_str(), "--fail", "transactions:2:500:once"];
        args.extend_from_slice(style);
        let s = Server::start(&args);
        let (text, m, t) = fetch_file(&s, true);
        assert!(m.failures.is_empty(), "{style:?}: members did not fail");
        assert_eq!(t.failures.len(), 1, "{style:?}: one failure");
        let (url, status) = &t.failures[0];
        assert_eq!(*status, 500, "{style:?}");
        // The second page: by number, or the cursor the first page named.
        assert!(url.contains("page=2") || url.contains("cursor="), "{style:?}: {url}");
        assert_eq!(t.records, transactions().len() as u64, "{style:?}: no record twice or lost");
        let (ds, reports) = load_as_the_app_does(&text);
        assert_same_as_the_fixture(&ds, &reports, &format!("{style:?} after a retry"));
    }
}

// ---- The test's own resolver ----

#[test]
fn the_resolver_follows_each_form_of_address() {
    let at = "http://127.0.0.1:9/api/transactions?page=1&size=3";
    assert_eq!(resolve("http://x:1/a?b", at), "http://x:1/a?b");
    assert_eq!(resolve("//y:2/a", at), "http://y:2/a");
    assert_eq!(resolve("/api/t?cursor=c", at), "http://127.0.0.1:9/api/t?cursor=c");
    assert_eq!(resolve("?cursor=c", at), "http://127.0.0.1:9/api/transactions?cursor=c");
    assert_eq!(resolve("members?cursor=c", at), "http://127.0.0.1:9/api/members?cursor=c");
    assert_eq!(with_page_number(at, 4, 3), "http://127.0.0.1:9/api/transactions?page=4&size=3");
    assert_eq!(with_page_number("http://h/api/t?token_hint=a&page=2&size=3", 3, 3), "http://h/api/t?token_hint=a&page=3&size=3");
}
