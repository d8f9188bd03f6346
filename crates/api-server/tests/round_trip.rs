//! What the server serves reads back through the app's import as the same data: the demo's
//! pages, put into one JSON document the way the client does, load with every record used.
//! The expected figures are counted from the served records themselves.

mod common;

use common::*;
use member_engine::model::{TxKind, WALK_IN};
use serde_json::Value;

fn all_records(s: &Server, list: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut target = format!("/api/{list}?page=1&size=300");
    loop {
        let r = s.get(&target);
        assert_eq!(r.status, 200);
        let v = r.json();
        out.extend(v["data"].as_array().unwrap().iter().cloned());
        match v["next"].as_str() {
            Some(next) => target = next.to_string(),
            None => return out,
        }
    }
}

#[test]
fn the_demo_served_loads_back_through_the_import() {
    let s = Server::start(&["--demo-members", "60"]);
    let members = all_records(&s, "members");
    let transactions = all_records(&s, "transactions");
    assert_eq!(members.len(), 60);

    let dir = temp_dir("round-trip");
    let path = dir.join("api.json");
    // The client joins a list of tags into one text, as a file has them (api.rs plain_record).
    let as_file: Vec<Value> = members
        .iter()
        .map(|m| {
            let mut m = m.clone();
            if let Some(list) = m["tags"].as_array() {
                let words: Vec<&str> = list.iter().map(|t| t.as_str().unwrap()).collect();
                m["tags"] = Value::String(words.join(","));
            }
            m
        })
        .collect();
    let doc = serde_json::json!({ "members": as_file, "transactions": transactions });
    std::fs::write(&path, doc.to_string()).unwrap();
    let (ds, has_members) = member_api_server::source::read_files(Some(&path), None).expect("the import reads it");
    assert!(has_members);

    let paid: i64 = transactions.iter().map(|t| yuan_to_cents(t["paid"].as_str().unwrap())).sum();
    let discounts: i64 = transactions.iter().map(|t| yuan_to_cents(t["discount"].as_str().unwrap())).sum();
    let count = |kind: &str| transactions.iter().filter(|t| t["kind"] == kind).count();
    let walk_ins = transactions.iter().filter(|t| t["member_id"].is_null()).count();
    let tags: usize = members.iter().map(|m| m["tags"].as_array().map_or(0, Vec::len)).sum();
    let balances: i64 = members.iter().map(|m| yuan_to_cents(m["balance"].as_str().unwrap())).sum();

    let tx = &ds.transactions;
    assert_eq!(ds.members.len(), members.len());
    assert_eq!(tx.len(), transactions.len());
    assert_eq!(tx.amount_cents.iter().sum::<i64>(), paid);
    assert_eq!((0..tx.len()).map(|r| tx.discount_cents(r)).sum::<i64>(), discounts);
    assert_eq!(tx.kind.iter().filter(|&&k| k == TxKind::TopUp).count(), count("top_up"));
    assert_eq!(tx.kind.iter().filter(|&&k| k == TxKind::Refund).count(), count("refund"));
    assert_eq!(tx.member.iter().filter(|&&m| m == WALK_IN).count(), walk_ins);
    assert_eq!((0..ds.members.len()).map(|m| ds.members.tags(m).len()).sum::<usize>(), tags);
    assert_eq!((0..ds.members.len()).map(|m| ds.members.balance_cents(m)).sum::<i64>(), balances);
    assert!(count("top_up") > 0 && count("refund") + walk_ins > 0, "the demo has every kind of row");
}
