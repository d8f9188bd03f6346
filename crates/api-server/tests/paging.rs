//! Paging by cursor (body and Link) and by page number gives every record exactly once: the
//! records collected are compared with the rows the test wrote, by count and by sum.

mod common;

use common::*;
use serde_json::Value;

/// What a served transaction says, in the fixture's terms.
fn row_of(v: &Value) -> Row {
    Row {
        member: v["member_id"].as_str().unwrap().to_string(),
        date: v["date"].as_str().unwrap().to_string(),
        paid_cents: yuan_to_cents(v["paid"].as_str().unwrap()),
        discount_cents: yuan_to_cents(v["discount"].as_str().unwrap()),
    }
}

fn assert_same_rows(mut got: Vec<Row>) {
    let mut want = fixture_rows();
    assert_eq!(got.len(), want.len(), "every record once");
    let sum = |rows: &[Row]| rows.iter().map(|r| r.paid_cents).sum::<i64>();
    assert_eq!(sum(&got), sum(&want));
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn cursor_in_the_body_gives_every_record_once() {
    let dir = temp_dir("cursor-body");
    let csv = write_transactions_csv(&dir);
    let s = Server::start(&[csv.to_str().unwrap(), "--next", "body"]);
    let mut target = "/api/transactions?page=1&size=5".to_string();
    let (mut rows, mut pages) = (Vec::new(), 0);
    loop {
        let r = s.get(&target);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.header("link"), None, "--next body sends no Link header");
        assert!(r.header("content-type").unwrap().starts_with("application/json"));
        let v = r.json();
        let data = v["data"].as_array().unwrap();
        pages += 1;
        assert!(data.len() <= 5);
        rows.extend(data.iter().map(row_of));
        match &v["next"] {
            Value::String(next) => target = next.clone(),
            Value::Null => break,
            other => panic!("next is {other}"),
        }
        assert!(pages < 20, "next never ends");
    }
    assert_eq!(pages, 5, "23 records in pages of 5");
    assert_same_rows(rows);
}

#[test]
fn cursor_in_the_link_header_gives_every_record_once_and_cursors_are_stable() {
    let dir = temp_dir("cursor-link");
    let csv = write_transactions_csv(&dir);
    let s = Server::start(&[csv.to_str().unwrap(), "--next", "link", "--page-size", "4"]);
    // No size: the server's --page-size.
    let mut target = "/api/transactions?page=1".to_string();
    let (mut rows, mut links) = (Vec::new(), Vec::new());
    loop {
        let r = s.get(&target);
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert!(v.get("next").is_none(), "--next link keeps next out of the body");
        rows.extend(v["data"].as_array().unwrap().iter().map(row_of));
        match r.header("link").and_then(link_next) {
            Some(next) => {
                links.push(next.clone());
                target = next;
            }
            None => break,
        }
        assert!(links.len() < 20);
    }
    assert_eq!(links.len(), 5, "23 records in pages of 4: five links");
    assert_same_rows(rows);
    // Asking the same page again gives the same next page.
    let again = s.get("/api/transactions?page=1");
    assert_eq!(again.header("link").and_then(link_next).as_deref(), Some(links[0].as_str()));
    let second = s.get(&links[0]);
    assert_eq!(second.header("link").and_then(link_next).as_deref(), Some(links[1].as_str()));
}

#[test]
fn both_places_agree_and_an_absolute_next_names_the_host() {
    let dir = temp_dir("cursor-both");
    let csv = write_transactions_csv(&dir);
    let s = Server::start(&[csv.to_str().unwrap(), "--next-absolute"]);
    let r = s.get("/api/transactions?page=1&size=10");
    let body_next = r.json()["next"].as_str().unwrap().to_string();
    assert_eq!(r.header("link").and_then(link_next).as_deref(), Some(body_next.as_str()));
    let prefix = format!("http://127.0.0.1:{}/api/transactions?cursor=", s.port);
    assert!(body_next.starts_with(&prefix), "{body_next}");
    let path = body_next.strip_prefix(&format!("http://127.0.0.1:{}", s.port)).unwrap();
    let second = s.get(path).json();
    assert_eq!(second["data"].as_array().unwrap().len(), 10);
    let third = s.get(second["next"].as_str().unwrap().strip_prefix(&format!("http://127.0.0.1:{}", s.port)).unwrap()).json();
    assert_eq!(third["data"].as_array().unwrap().len(), 3);
    assert_eq!(third["next"], Value::Null);
}

#[test]
fn page_style_pages_by_number_with_the_total() {
    let dir = temp_dir("page");
    let csv = write_transactions_csv(&dir);
    let s = Server::start(&[csv.to_str().unwrap(), "--paging", "page"]);
    let mut rows = Vec::new();
    for page in 1.. {
        let r = s.get(&format!("/api/transactions?page={page}&size=6"));
        assert_eq!(r.status, 200);
        assert_eq!(r.header("link"), None);
        let v = r.json();
        assert_eq!((v["page"].as_u64(), v["size"].as_u64(), v["total"].as_u64()), (Some(page), Some(6), Some(23)));
        assert!(v.get("next").is_none());
        let data = v["data"].as_array().unwrap();
        rows.extend(data.iter().map(row_of));
        if data.len() < 6 {
            assert_eq!(page, 4);
            break;
        }
    }
    assert_same_rows(rows);
    let past = s.get("/api/transactions?page=9&size=6").json();
    assert_eq!(past["data"].as_array().unwrap().len(), 0, "past the end: an empty page");
}

#[test]
fn array_style_is_a_bare_array_per_page() {
    let dir = temp_dir("array");
    let csv = write_transactions_csv(&dir);
    let s = Server::start(&[csv.to_str().unwrap(), "--paging", "array"]);
    let mut rows = Vec::new();
    for page in 1..=3 {
        let v = s.get(&format!("/api/transactions?page={page}&size=10")).json();
        rows.extend(v.as_array().expect("a bare array").iter().map(row_of));
    }
    assert_same_rows(rows);
}

#[test]
fn money_in_cents_when_asked() {
    let dir = temp_dir("cents");
    let csv = write_transactions_csv(&dir);
    let s = Server::start(&[csv.to_str().unwrap(), "--money", "cents", "--paging", "page"]);
    let v = s.get("/api/transactions?page=1&size=100").json();
    let data = v["data"].as_array().unwrap();
    assert!(data.iter().all(|r| r.get("paid").is_none() && r["paid_cents"].is_i64()));
    let sum: i64 = data.iter().map(|r| r["paid_cents"].as_i64().unwrap()).sum();
    let gross: i64 = data.iter().map(|r| r["amount_cents"].as_i64().unwrap()).sum();
    let want: i64 = fixture_rows().iter().map(|r| r.paid_cents).sum();
    let want_discounts: i64 = fixture_rows().iter().map(|r| r.discount_cents).sum();
    assert_eq!(sum, want);
    assert_eq!(gross, want + want_discounts, "amount is the price before the discount");
}

#[test]
fn members_from_a_members_file_and_none_without_one() {
    let dir = temp_dir("members");
    let tx = write_transactions_csv(&dir);
    let members = write_members_csv(&dir);
    let s = Server::start(&["--transactions", tx.to_str().unwrap(), "--members", members.to_str().unwrap(), "--paging", "page"]);
    let v = s.get("/api/members?page=1&size=100").json();
    let data = v["data"].as_array().unwrap();
    let want_ids: Vec<String> = MEMBERS_CSV.lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect();
    let ids: Vec<&str> = data.iter().map(|m| m["member_id"].as_str().unwrap()).collect();
    assert_eq!(ids, want_ids);
    let m1 = &data[0];
    assert_eq!((m1["name"].as_str(), m1["gender"].as_str(), m1["birthday"].as_str()), (Some("王静"), Some("female"), Some("1990-01-02")));
    assert_eq!((m1["balance"].as_str(), m1["points"].as_i64(), m1["tier"].as_str()), (Some("100.50"), Some(120), Some("金卡")));
    assert_eq!(m1["tags"], serde_json::json!(["敏感肌", "抗衰"]));
    let balances: i64 = data.iter().map(|m| yuan_to_cents(m["balance"].as_str().unwrap())).sum();
    assert_eq!(balances, 10_050 + 2_000 + 100_000 + 5);
    assert_eq!(data[6]["name"], "黄娜");
    assert_eq!(data[6]["join_date"], Value::Null);
    assert_eq!(s.get("/api/transactions?page=1&size=100").json()["total"], 23);

    let only_tx = Server::start(&[tx.to_str().unwrap(), "--paging", "page"]);
    let v = only_tx.get("/api/members?page=1&size=100").json();
    assert_eq!((v["data"].as_array().unwrap().len(), v["total"].as_u64()), (0, Some(0)));
}

#[test]
fn a_json_file_is_read_by_the_import_too() {
    let dir = temp_dir("json");
    let records: Vec<Value> = fixture_rows()
        .iter()
        .map(|r| serde_json::json!({ "member_id": r.member, "date": r.date, "paid": r.paid_cents as f64 / 100.0, "discount": r.discount_cents as f64 / 100.0 }))
        .collect();
    let path = dir.join("sales.json");
    std::fs::write(&path, serde_json::to_string(&records).unwrap()).unwrap();
    let s = Server::start(&[path.to_str().unwrap(), "--paging", "page"]);
    let v = s.get("/api/transactions?page=1&size=50").json();
    assert_same_rows(v["data"].as_array().unwrap().iter().map(row_of).collect());
}

#[test]
fn the_demo_serves_every_field_of_each_role() {
    let s = Server::start(&["--demo-members", "40", "--paging", "page"]);
    let m = s.get("/api/members?page=1&size=100").json();
    assert_eq!(m["total"], 40);
    let first = m["data"][0].as_object().unwrap();
    for key in ["member_id", "name", "phone", "gender", "birthday", "join_date", "tier", "points", "balance", "expiry", "store", "tags", "points_expiry"] {
        assert!(first.contains_key(key), "members lack {key}");
    }
    let t = s.get("/api/transactions?page=1&size=10000").json();
    let data = t["data"].as_array().unwrap();
    assert_eq!(t["total"].as_u64(), Some(data.len() as u64));
    assert!(data.len() > 100);
    let kinds: std::collections::BTreeSet<&str> = data.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains("sale"));
    let days: Vec<&str> = data.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert!(days.iter().all(|d| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-'), "ISO dates");
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "in time order");
}

#[test]
fn the_listening_line_and_a_bad_option() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_api-server")).args(["--paging", "sideways"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--paging"));
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_api-server")).args(["/no/such/file.csv", "--port", "0"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(missing.stdout.is_empty(), "no listening line when nothing is served");
}
