//! Property tests of the API client's plain parts (`member_engine::api`): reading a page and a
//! `Link` header never panics, whatever the bytes; a valid page gives back exactly the records
//! written, with money in cents turned into yuan that reads back as the same cents; the pages
//! joined are JSON the import reads; the pager always stops once pages come back short or
//! empty; and `yuan_text` is exact for every i64.

use member_engine::api::{file_parts, next_link, read_page, yuan_text, ApiPage, Endpoint, NextPage, PageProblem, Pager};
use member_engine::import::tables::read_json;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

// ---- An independent reading of a decimal yuan text ----

/// `"-12.50"` → -1250, exactly (i128: `i64::MIN` yuan texts fit). `None` unless the text is a
/// plain decimal with exactly two decimals.
fn cents_of(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.')?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !plain(whole) || frac.len() != 2 || !plain(frac) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    let value = whole.parse::<i128>().ok()? * 100 + frac.parse::<i128>().ok()?;
    Some(if negative { -value } else { value })
}

// ---- Strategies ----

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![Just(Endpoint::Members), Just(Endpoint::Transactions)]
}

/// A value that is not money in cents: text (with quotes, escapes, CJK), numbers, booleans,
/// null, a list of words, or a small object.
fn plain_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => any::<String>().prop_map(Value::String),
        1 => "[a-z\"\\\\/\u{4e00}-\u{4e10} ,;<>]{0,12}".prop_map(Value::String),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter("JSON has no NaN or infinity", |f| f.is_finite()).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
        2 => prop::collection::vec("[a-z\u{4e00}-\u{4e10}]{1,6}", 0..4).prop_map(|w| json!(w)),
        1 => ("[a-z]{1,5}", any::<i32>()).prop_map(|(k, v)| Value::Object(Map::from_iter([(k, Value::from(v))]))),
    ]
}

/// Cents as the contract allows them: a JSON integer or an integer in a string, or null.
fn cents_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => any::<i64>().prop_map(Value::from),
        1 => prop_oneof![Just(0i64), Just(i64::MIN), Just(i64::MAX), -1_000_000i64..1_000_000].prop_map(Value::from),
        2 => any::<i64>().prop_map(|c| Value::String(c.to_string())),
        1 => Just(Value::Null),
    ]
}

const PLAIN_KEYS: [&str; 9] = ["member_id", "date", "name", "tags", "store", "kind", "category", "备注", "x"];
const CENTS_KEYS: [&str; 4] = ["amount_cents", "paid_cents", "discount_cents", "balance_cents"];

/// One record: some of the import's keys (and others), some money in cents.
fn record() -> impl Strategy<Value = Map<String, Value>> {
    let plain = prop::collection::vec((prop::sample::select(&PLAIN_KEYS[..]), plain_value()), 0..6);
    let cents = prop::collection::vec((prop::sample::select(&CENTS_KEYS[..]), cents_value()), 0..3);
    (plain, cents).prop_map(|(plain, cents)| plain.into_iter().chain(cents).map(|(k, v)| (k.to_string(), v)).collect())
}

/// Where a page may put its `next`: absent, null, a blank or an address with spaces around it.
fn next_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        Just(Some(json!(""))),
        Just(Some(json!("   "))),
        "[ ]{0,2}[a-z0-9/?=&:.%\u{4e00}-\u{4e05}]{1,30}[ ]{0,2}".prop_map(|s| Some(Value::String(s))),
    ]
}

/// A page the contract allows, with what was written into it.
#[derive(Clone, Debug)]
struct Written {
    body: String,
    records: Vec<Map<String, Value>>,
    next: Option<Value>,
    total: Option<u64>,
}

fn valid_page() -> impl Strategy<Value = Written> {
    let key = prop::sample::select(&["data", "items", "records", "results", "members", "transactions", ""][..]);
    (prop::collection::vec(record(), 0..8), key, next_value(), prop::option::of(any::<u64>()), any::<bool>()).prop_map(|(records, key, next, total, bom)| {
        let items: Vec<Value> = records.iter().cloned().map(Value::Object).collect();
        // An empty key: a bare array (no next, no total).
        let doc = if key.is_empty() {
            Value::Array(items)
        } else {
            let mut map = Map::new();
            map.insert(key.to_string(), Value::Array(items));
            if let Some(n) = &next {
                map.insert("next".into(), n.clone());
            }
            if let Some(t) = total {
                map.insert("total".into(), json!(t));
            }
            Value::Object(map)
        };
        let (next, total) = if key.is_empty() { (None, None) } else { (next, total) };
        let body = format!("{}{}", if bom { "\u{feff}" } else { "" }, doc);
        Written { body, records, next, total }
    })
}

/// The endpoint whose own name a page may use, so that `members`/`transactions` keys count.
fn endpoint_for(w: &Written) -> Endpoint {
    if w.body.contains("{\"members\":") {
        Endpoint::Members
    } else {
        Endpoint::Transactions
    }
}

/// Byte edits: set the byte at (position mod length) to a value, or cut the body there.
#[derive(Clone, Debug)]
enum Edit {
    Set(usize, u8),
    Cut(usize),
    Insert(usize, u8),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let one = prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        2 => (any::<usize>(), prop::sample::select(&b"{}[]\",:\\0-.en"[..])).prop_map(|(i, b)| Edit::Set(i, b)),
        1 => any::<usize>().prop_map(Edit::Cut),
        2 => (any::<usize>(), prop::sample::select(&b"{}[]\",:"[..])).prop_map(|(i, b)| Edit::Insert(i, b)),
    ];
    prop::collection::vec(one, 1..6)
}

fn apply(body: &str, edits: &[Edit]) -> String {
    let mut bytes = body.as_bytes().to_vec();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *e {
            Edit::Set(i, b) if !bytes.is_empty() => {
                let i = at(i, bytes.len());
                bytes[i] = b;
            }
            Edit::Set(..) => {}
            Edit::Cut(i) => bytes.truncate(at(i, bytes.len() + 1)),
            Edit::Insert(i, b) => bytes.insert(at(i, bytes.len() + 1), b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A page's records as JSON values (they are the inside of an array).
fn records_of(page: &ApiPage) -> Vec<Value> {
    let v: Value = serde_json::from_str(&format!("[{}]", page.records_json)).unwrap_or_else(|e| panic!("records_json is not JSON ({e}): {}", page.records_json));
    v.as_array().cloned().unwrap_or_default()
}

// ---- Reading pages and Link headers never panics ----

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn read_page_takes_any_text(body in any::<String>(), e in endpoint()) {
        let _ = read_page(&body, e);
    }

    #[test]
    fn read_page_takes_any_json_like_text(body in "[\\[\\]{}\",:0-9a-z_ .\\-\\\\]{0,120}", e in endpoint()) {
        if let Ok(page) = read_page(&body, e) {
            prop_assert_eq!(records_of(&page).len() as u64, page.records);
        }
    }

    #[test]
    fn next_link_takes_any_text(header in any::<String>()) {
        let _ = next_link(&header);
    }

    #[test]
    fn next_link_takes_any_link_like_text(header in "[<>;,=\" a-zA-Z/:?]{0,80}") {
        let _ = next_link(&header);
    }
}

// ---- Mutated valid pages ----

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Bytes flipped, cut off or put in: no panic, and whatever is still read as a page is
    /// records the import can take (valid JSON objects, as many as counted).
    #[test]
    fn a_mutated_page_never_panics(w in valid_page(), edits in edits(), e in endpoint()) {
        let body = apply(&w.body, &edits);
        if let Ok(page) = read_page(&body, e) {
            let records = records_of(&page);
            prop_assert_eq!(records.len() as u64, page.records);
            prop_assert!(records.iter().all(Value::is_object));
        }
    }
}

// ---- A valid page gives back what was written ----

/// What `next` the client must follow for a written `next` value.
fn next_expected(next: &Option<Value>) -> Option<String> {
    match next {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Every `…_cents` field written comes back, without its suffix, as a yuan text of the same
/// cents (read independently by [`cents_of`]); a null one is left out.
fn money_checked(written: &Map<String, Value>, read: &Value) -> Result<(), TestCaseError> {
    for key in CENTS_KEYS {
        let field = key.trim_end_matches("_cents");
        let Some(cents) = written.get(key) else { continue };
        prop_assert!(read.get(key).is_none(), "{key} is turned into {field}");
        let cents = match cents {
            Value::Null => continue,
            Value::Number(n) => n.as_i64().map(i128::from),
            Value::String(s) => s.parse::<i128>().ok(),
            _ => None,
        };
        // A decimal of the same field written beside the cents wins.
        if written.contains_key(field) {
            continue;
        }
        let got = read.get(field).and_then(Value::as_str).and_then(cents_of);
        prop_assert_eq!(got, cents, "{} of {:?}", field, written);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_valid_page_gives_back_every_record_written(w in valid_page()) {
        let page = read_page(&w.body, endpoint_for(&w)).map_err(|p| TestCaseError::fail(format!("{p:?}: {}", w.body)))?;
        prop_assert_eq!(page.records, w.records.len() as u64);
        let read = records_of(&page);
        prop_assert_eq!(read.len(), w.records.len());
        prop_assert_eq!(page.next, next_expected(&w.next));
        prop_assert_eq!(page.total, w.total);
        for (written, got) in w.records.iter().zip(&read) {
            money_checked(written, got)?;
            // Plain fields keep their value; a list of words becomes one text of them.
            for key in PLAIN_KEYS {
                let (Some(v), Some(g)) = (written.get(key), got.get(key)) else {
                    prop_assert_eq!(written.contains_key(key), got.get(key).is_some(), "{} kept", key);
                    continue;
                };
                match v {
                    Value::Array(words) if words.iter().all(|x| x.is_string()) => {
                        let joined = words.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(",");
                        prop_assert_eq!(g.as_str(), Some(joined.as_str()));
                    }
                    other => prop_assert_eq!(g, other),
                }
            }
        }
    }

    #[test]
    fn a_cents_field_that_is_not_whole_cents_is_named(
        before in prop::collection::vec(record(), 0..4),
        bad in prop_oneof![Just(json!(1.5)), Just(json!("12.50")), Just(json!("")), Just(json!(true)), Just(json!([1])), Just(json!(u64::MAX))],
    ) {
        let mut items: Vec<Value> = before.iter().cloned().map(Value::Object).collect();
        items.push(json!({ "paid_cents": bad }));
        let body = json!({ "data": items }).to_string();
        prop_assert_eq!(
            read_page(&body, Endpoint::Transactions),
            Err(PageProblem::NotCents { record: items.len() as u64, field: "paid_cents".into() })
        );
    }

    #[test]
    fn cents_read_back_exactly(c in any::<i64>(), as_text in any::<bool>()) {
        let value = if as_text { json!(format!(" {c} ")) } else { json!(c) };
        let page = read_page(&json!({ "data": [{ "paid_cents": value }] }).to_string(), Endpoint::Transactions).unwrap();
        let read = records_of(&page);
        prop_assert_eq!(read[0]["paid"].as_str().and_then(cents_of), Some(i128::from(c)));
    }

    /// The pages joined are the file the client hands to the engine: JSON with every record
    /// once, that the import's JSON reader takes.
    #[test]
    fn pages_joined_are_one_json_file(
        members in prop::option::of(prop::collection::vec(prop::collection::vec(record(), 0..4), 0..4)),
        transactions in prop::collection::vec(prop::collection::vec(record(), 0..4), 0..4),
    ) {
        let texts = |pages: &[Vec<Map<String, Value>>]| -> Vec<String> {
            pages
                .iter()
                .map(|p| {
                    let body = json!({ "data": p.iter().cloned().map(Value::Object).collect::<Vec<_>>() }).to_string();
                    read_page(&body, Endpoint::Transactions).unwrap().records_json
                })
                .collect()
        };
        let m = members.as_deref().map(texts);
        let t = texts(&transactions);
        let file = file_parts(m.as_deref(), &t).concat();
        let doc: Value = serde_json::from_str(&file).map_err(|e| TestCaseError::fail(format!("{e}: {file}")))?;
        let count = |pages: &[Vec<Map<String, Value>>]| pages.iter().map(Vec::len).sum::<usize>();
        prop_assert_eq!(doc["transactions"].as_array().map(Vec::len), Some(count(&transactions)));
        prop_assert_eq!(doc.get("members").and_then(Value::as_array).map(Vec::len), members.as_deref().map(count));
        let tables = read_json(file.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}: {file}")))?;
        prop_assert_eq!(tables.len(), 1 + usize::from(members.is_some()));
    }
}

#[test]
fn deep_nesting_is_not_json_rather_than_a_stack_overflow() {
    for open in ["[", "{\"data\":["] {
        let body = open.repeat(100_000);
        assert!(matches!(read_page(&body, Endpoint::Members), Err(PageProblem::NotJson { .. })), "{open}");
    }
}

// ---- Link headers of several links ----

/// One link of a header: its target, its relation types, a title that may hold commas, `<`,
/// `;` and `=` (all allowed inside a quoted string).
fn link() -> impl Strategy<Value = (String, Vec<&'static str>, Option<String>)> {
    let rels = prop::collection::vec(prop::sample::select(&["next", "prev", "last", "first", "alternate", "NEXT"][..]), 1..3);
    ("[a-z0-9/?&:.%-]{1,30}", rels, prop::option::of("[a-z ,<>;=]{0,10}"))
}

fn header_of(links: &[(String, Vec<&'static str>, Option<String>)], quoted: bool) -> String {
    links
        .iter()
        .map(|(target, rels, title)| {
            let rel = rels.join(" ");
            // Unquoted, rel can hold one type only.
            let rel = if quoted || rels.len() > 1 { format!("\"{rel}\"") } else { rel };
            let title = title.as_ref().map(|t| format!("; title=\"{t}\"")).unwrap_or_default();
            format!("<{target}>{title}; rel={rel}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The first link whose `rel` lists `next` is followed, wherever it stands and whatever the
    /// titles hold (commas, `<`, `;` inside quotes).
    #[test]
    fn the_first_link_with_rel_next_is_followed(links in prop::collection::vec(link(), 0..5), quoted in any::<bool>()) {
        let header = header_of(&links, quoted);
        let want = links.iter().find(|(_, rels, _)| rels.iter().any(|r| r.eq_ignore_ascii_case("next"))).map(|(t, _, _)| t.clone());
        prop_assert_eq!(next_link(&header), want, "{}", header);
    }

    /// One link, or the next as the last link.
    #[test]
    fn a_next_as_the_last_link_is_followed(
        before in prop::collection::vec(("[a-z0-9/?&:.%-]{1,30}", prop::sample::select(&["prev", "last", "first"][..]), prop::option::of("[a-z ,<>=]{0,10}")), 0..4),
        next in "[a-z0-9/?&:.%-]{1,30}",
        quoted in any::<bool>(),
    ) {
        let mut links: Vec<_> = before.into_iter().map(|(t, r, title)| (t, vec![r], title)).collect();
        links.push((next.clone(), vec!["next"], None));
        let header = header_of(&links, quoted);
        prop_assert_eq!(next_link(&header), Some(next), "{}", header);
    }
}

#[test]
fn a_next_before_a_last_is_followed() {
    // GitHub's form: next first, then last.
    assert_eq!(next_link(r#"<https://a/p2>; rel="next", <https://a/p9>; rel="last""#).as_deref(), Some("https://a/p2"));
    assert_eq!(next_link("</p2>; rel=next, </p9>; rel=last").as_deref(), Some("/p2"));
}

#[test]
fn a_semicolon_in_a_quoted_title_is_not_a_parameter() {
    assert_eq!(next_link(r#"</p1>; title="a; rel=next"; rel="prev", </p3>; rel="next""#).as_deref(), Some("/p3"));
}

// ---- The pager stops ----

/// A page of `records` records as read.
fn page(records: u64, next: Option<String>, total: Option<u64>) -> ApiPage {
    let names_next = next.is_some();
    ApiPage { records_json: vec!["{}"; records as usize].join(","), records, next, names_next, total }
}

/// One page a server may send: how many records (up to twice the size asked), a `next` in the
/// body, one in the `Link` header, a total.
fn served_page() -> impl Strategy<Value = (u64, Option<String>, Option<String>, Option<u64>)> {
    (
        0u64..24,
        prop::option::weighted(0.3, "/c[0-9]{1,3}"),
        prop::option::weighted(0.2, "/l[0-9]{1,3}"),
        prop::option::weighted(0.3, 0u64..200),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever the pages so far, once they come back empty (or short, without a next) the pager
    /// is done at once; it follows a next exactly when there is one, and asks page numbers in
    /// order.
    #[test]
    fn the_pager_ends_once_pages_come_back_short_or_empty(size in 1u32..12, served in prop::collection::vec(served_page(), 0..30), tail_records in 0u64..12) {
        let mut pager = Pager::new(size);
        let mut sum = 0u64;
        let mut done_at = None;
        for (step, (records, next, link, total)) in served.iter().cloned().enumerate() {
            sum += records;
            let after = pager.after(&page(records, next.clone(), total), link.clone());
            prop_assert_eq!(pager.pages as usize, step + 1);
            prop_assert_eq!(pager.records, sum);
            match (&after, next.or(link)) {
                (NextPage::Url(u), Some(n)) => prop_assert_eq!(u, &n),
                (other, Some(n)) => prop_assert!(false, "a next {n} not followed: {other:?}"),
                (NextPage::Number(n), None) => {
                    prop_assert_eq!(*n as usize, step + 2);
                    prop_assert!(records >= u64::from(size), "a short page asks for more");
                    prop_assert!(total.is_none_or(|t| sum < t), "all {sum} of {total:?} there, yet it asks for more");
                }
                (NextPage::Done, None) => {}
                (NextPage::Url(u), None) => prop_assert!(false, "{u} from nowhere"),
            }
            if after == NextPage::Done {
                done_at = Some(step);
                break;
            }
        }
        if done_at.is_none() {
            // From here the server has fewer records than asked for, without a next.
            let short = tail_records % u64::from(size);
            prop_assert_eq!(pager.after(&page(short, None, None), None), NextPage::Done);
        }
    }

    #[test]
    fn paging_by_number_stops_at_the_total(size in 1u32..12, total in 0u64..100) {
        // A server that always sends full pages but says its total.
        let mut pager = Pager::new(size);
        let bound = total / u64::from(size) + 2;
        let mut steps = 0;
        loop {
            steps += 1;
            prop_assert!(steps <= bound, "more than {bound} pages for {total} records in pages of {size}");
            if pager.after(&page(u64::from(size), None, Some(total)), None) == NextPage::Done {
                break;
            }
        }
        prop_assert!(pager.records >= total);
    }
}

#[test]
fn the_pager_never_overflows_its_page_number() {
    let mut pager = Pager::new(1);
    pager.pages = u32::MAX;
    // A full page without a next: the pager must not panic (Done or a saturated number).
    let after = pager.after(&page(1, None, None), None);
    assert!(matches!(after, NextPage::Done | NextPage::Number(u32::MAX)), "{after:?}");
}

#[test]
fn a_null_decimal_beside_cents_keeps_the_cents() {
    for body in [r#"{"data":[{"amount":null,"amount_cents":12850}]}"#, r#"{"data":[{"amount_cents":12850,"amount":null}]}"#] {
        let page = read_page(body, Endpoint::Transactions).unwrap();
        assert_eq!(records_of(&page)[0]["amount"].as_str().and_then(cents_of), Some(12_850), "{body}");
    }
}

// ---- Yuan texts ----

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn yuan_text_reads_back_as_the_same_cents(c in prop_oneof![any::<i64>(), -1_000i64..1_000, Just(i64::MIN), Just(i64::MAX)]) {
        let text = yuan_text(c);
        prop_assert_eq!(cents_of(&text), Some(i128::from(c)), "{}", text);
        prop_assert!(text != "-0.00");
    }
}
