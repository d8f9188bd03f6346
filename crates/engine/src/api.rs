//! Loading from an HTTP API, the parts that are not the browser's: where the next page is (a
//! `next` in the body, an RFC 8288 `Link` header, or the next page number), reading one page's
//! records, and what went wrong, as codes the page translates. The page fetches; the records
//! then become one JSON file that goes through the same import, validation and load report as a
//! file the user drops (the contract is `api/openapi.yaml`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The two lists an API serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Members,
    Transactions,
}

impl Endpoint {
    pub const ALL: [Endpoint; 2] = [Endpoint::Members, Endpoint::Transactions];

    /// The path after the base address, and the key of the JSON file the records go into.
    pub fn key(self) -> &'static str {
        match self {
            Endpoint::Members => "members",
            Endpoint::Transactions => "transactions",
        }
    }
}

/// Records asked for per page, and the most the client accepts in one page (a page is held in
/// memory whole while it is read).
pub const DEFAULT_PAGE_SIZE: u32 = 1000;
pub const MAX_PAGE_SIZE: u32 = 10_000;
pub const MAX_RECORDS_PER_PAGE: usize = 100_000;
/// Pages per endpoint before the client gives up (a server whose `next` never ends).
pub const MAX_PAGES: u32 = 100_000;

/// Why a page cannot be read. `record` counts from 1 within the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PageProblem {
    /// Not JSON; where the parser stopped.
    NotJson { line: u64, column: u64 },
    /// JSON, but no array of records (`data`, `items`, `records`, `results`, the endpoint's
    /// name, or a top-level array).
    NoRecords,
    NotAnObject { record: u64 },
    /// A `…_cents` field that is not a whole number of cents.
    NotCents { record: u64, field: String },
    TooManyRecords { records: u64 },
    /// `next` is there but is not a string.
    BadNext,
}

/// What went wrong while fetching; `url` is the address asked for (never with a token: tokens
/// travel in a header).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ApiFailure {
    /// The base address is not an http(s) URL.
    BadAddress { address: String },
    /// 401 to a request that carried no credentials: the API wants a sign-in.
    NeedsSignIn { url: String },
    /// 401, also after asking the host for a fresh token.
    Unauthorized { url: String },
    /// 403; `detail` is the server's own words, when it gave some.
    Forbidden { url: String, detail: Option<String> },
    /// 404.
    NotFound { url: String },
    /// Any other status that is not a success; `detail` is the server's own words.
    Status { url: String, status: u16, detail: Option<String> },
    /// The server answered, but not with CORS headers that let this page read the answer:
    /// `origin` is the page's origin, which the server must allow.
    Cors { url: String, origin: String },
    /// This page's Content-Security-Policy does not allow connecting to the API's origin.
    BlockedByPolicy { url: String },
    /// No answer at all (address wrong, server down, offline).
    Unreachable { url: String },
    /// No answer within `seconds`.
    Timeout { url: String, seconds: u32 },
    /// A page that cannot be read (page numbers count from 1 per endpoint).
    Malformed { url: String, endpoint: Endpoint, page: u32, problem: PageProblem },
    /// `next` kept coming after [`MAX_PAGES`] pages.
    TooManyPages { endpoint: Endpoint },
    /// `next` named a page already read: the paging would never end.
    PagingLoops { url: String, endpoint: Endpoint },
}

/// One page read: its records as JSON object texts joined by commas (the inside of an array),
/// ready to be put into the file the import reads, and where the next page is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiPage {
    pub records_json: String,
    pub records: u64,
    /// The body's `next`, as written (absolute or relative to the request's address).
    pub next: Option<String>,
    /// The body has a `next` key, even `null`: the server pages by cursor, and `null` means
    /// this was the last page.
    pub names_next: bool,
    /// The body's `total`, when the server says how many records there are.
    pub total: Option<u64>,
}

/// Reads one page's body. Records may be in `data`, `items`, `records`, `results`, under the
/// endpoint's own name, or be the body itself (a top-level array).
pub fn read_page(body: &str, endpoint: Endpoint) -> Result<ApiPage, PageProblem> {
    let doc: Value = serde_json::from_str(body.trim_start_matches('\u{feff}'))
        .map_err(|e| PageProblem::NotJson { line: e.line() as u64, column: e.column() as u64 })?;
    let (items, next, names_next, total) = match doc {
        Value::Array(items) => (items, None, false, None),
        Value::Object(mut map) => {
            let key = ["data", "items", "records", "results", endpoint.key()].into_iter().find(|k| map.get(*k).is_some_and(Value::is_array));
            let Some(Value::Array(items)) = key.and_then(|k| map.remove(k)) else { return Err(PageProblem::NoRecords) };
            let next = match map.get("next") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.trim().is_empty() => None,
                Some(Value::String(s)) => Some(s.trim().to_string()),
                Some(_) => return Err(PageProblem::BadNext),
            };
            (items, next, map.contains_key("next"), map.get("total").and_then(Value::as_u64))
        }
        _ => return Err(PageProblem::NoRecords),
    };
    if items.len() > MAX_RECORDS_PER_PAGE {
        return Err(PageProblem::TooManyRecords { records: items.len() as u64 });
    }
    let records = items.len() as u64;
    let mut records_json = String::with_capacity(body.len());
    for (i, item) in items.into_iter().enumerate() {
        let record = i as u64 + 1;
        let Value::Object(map) = item else { return Err(PageProblem::NotAnObject { record }) };
        let map = plain_record(map, record)?;
        if i > 0 {
            records_json.push(',');
        }
        // A map of JSON values always serialises.
        records_json.push_str(&serde_json::to_string(&map).unwrap_or_default());
    }
    Ok(ApiPage { records_json, records, next, names_next, total })
}

/// A record as the import reads it: `amount_cents: 12850` becomes `amount: "128.50"` (unless
/// `amount` is there too), and a list of words (tags) becomes one comma-separated text.
fn plain_record(map: Map<String, Value>, record: u64) -> Result<Map<String, Value>, PageProblem> {
    let mut out = Map::with_capacity(map.len());
    let mut in_cents = Vec::new();
    for (key, value) in map {
        if let Some(field) = key.strip_suffix("_cents").filter(|f| !f.is_empty()) {
            let cents = match &value {
                Value::Null => continue,
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            let Some(cents) = cents else { return Err(PageProblem::NotCents { record, field: key }) };
            in_cents.push((field.to_string(), cents));
            continue;
        }
        let value = match value {
            Value::Array(items) if items.iter().all(|v| !v.is_array() && !v.is_object()) => {
                Value::String(items.iter().map(scalar_text).collect::<Vec<_>>().join(","))
            }
            other => other,
        };
        out.insert(key, value);
    }
    // A decimal given too wins; a null one counts as not given.
    for (field, cents) in in_cents {
        if out.get(&field).is_none_or(Value::is_null) {
            out.insert(field, Value::String(yuan_text(cents)));
        }
    }
    Ok(out)
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Cents as a decimal text in yuan: `-1250` → `"-12.50"`.
pub fn yuan_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The `rel="next"` target of an RFC 8288 `Link` header (`<https://…?cursor=b>; rel="next",
/// <…>; rel="prev"`), as written. `rel` may list several relation types and be unquoted.
pub fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = rest[start + 1..end].trim();
        let after = &rest[end + 1..];
        // The parameters run to the next link (a comma outside quotes before a '<').
        let params_end = next_link_start(after);
        if params_have_rel_next(&after[..params_end]) {
            return Some(target.to_string());
        }
        rest = &after[params_end..];
    }
}

/// Where the next link starts: the comma (outside quotes) before its '<'.
fn next_link_start(s: &str) -> usize {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted && s[i + 1..].trim_start().starts_with('<') => return i,
            _ => {}
        }
    }
    s.len()
}

/// `params` split at the semicolons outside quotes.
fn split_params(params: &str) -> Vec<&str> {
    let (mut parts, mut start, mut quoted) = (Vec::new(), 0, false);
    for (i, c) in params.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&params[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&params[start..]);
    parts
}

fn params_have_rel_next(params: &str) -> bool {
    split_params(params).into_iter().any(|p| {
        let Some((name, value)) = p.split_once('=') else { return false };
        name.trim().eq_ignore_ascii_case("rel")
            && value.trim().trim_matches('"').split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
    })
}

/// Where the client goes after a page that had `records` records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextPage {
    /// Follow this address (a cursor, from the body or the `Link` header; relative to the
    /// request's address).
    Url(String),
    /// Ask for this page number with the same size.
    Number(u32),
    Done,
}

/// How the pages of one endpoint go on. The first request asks for page 1 with `size`; if the
/// answer names a next page (body or `Link`), the server pages by cursor and the client follows
/// it; if not, it pages by number until a page is short or empty, or `total` is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pager {
    pub size: u32,
    /// Pages read so far.
    pub pages: u32,
    pub records: u64,
    by_cursor: bool,
}

impl Pager {
    pub fn new(size: u32) -> Self {
        Pager { size: size.clamp(1, MAX_PAGE_SIZE), pages: 0, records: 0, by_cursor: false }
    }

    /// Counts `page` and says what comes after it (`link` is the `Link` header's next).
    pub fn after(&mut self, page: &ApiPage, link: Option<String>) -> NextPage {
        self.pages = self.pages.saturating_add(1);
        self.records = self.records.saturating_add(page.records);
        if let Some(url) = page.next.clone().or(link) {
            self.by_cursor = true;
            return NextPage::Url(url);
        }
        // `"next": null`: a cursor server's last page.
        self.by_cursor |= page.names_next;
        let short = page.records < u64::from(self.size);
        let all_there = page.total.is_some_and(|t| self.records >= t);
        if self.by_cursor || short || all_there {
            NextPage::Done
        } else {
            NextPage::Number(self.pages.saturating_add(1))
        }
    }
}

/// The JSON file the import reads: `{"members":[…],"transactions":[…]}` from the pages' texts
/// (a key only when its endpoint was asked for).
pub fn file_parts<'a>(members: Option<&'a [String]>, transactions: &'a [String]) -> Vec<&'a str> {
    let mut parts = vec!["{"];
    let mut push_list = |key: &'static str, pages: &'a [String], first: bool| {
        if !first {
            parts.push(",");
        }
        parts.push(key);
        let mut any = false;
        for p in pages.iter().filter(|p| !p.is_empty()) {
            if any {
                parts.push(",");
            }
            parts.push(p);
            any = true;
        }
        parts.push("]");
    };
    if let Some(m) = members {
        push_list("\"members\":[", m, true);
    }
    push_list("\"transactions\":[", transactions, members.is_none());
    parts.push("}");
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_of_several_shapes() {
        assert_eq!(next_link(r#"<https://a.example/t?cursor=b>; rel="next""#).as_deref(), Some("https://a.example/t?cursor=b"));
        assert_eq!(next_link(r#"<https://a/t?p=1>; rel="prev", <https://a/t?p=3>; rel="next""#).as_deref(), Some("https://a/t?p=3"));
        assert_eq!(next_link(r#"</t?c=x>; rel=next"#).as_deref(), Some("/t?c=x"));
        assert_eq!(next_link(r#"</t?c=x>; title="a, <b>"; rel="last next""#).as_deref(), Some("/t?c=x"));
        assert_eq!(next_link(r#"</t?c=x>; rel="prev""#), None);
        assert_eq!(next_link(r#"<https://a/p2>; rel="next", <https://a/p9>; rel="last""#).as_deref(), Some("https://a/p2"));
        assert_eq!(next_link(r#"</p1>; title="a; rel=next"; rel="prev", </p3>; rel="next""#).as_deref(), Some("/p3"));
        assert_eq!(next_link(""), None);
        assert_eq!(next_link("<unclosed; rel=next"), None);
    }

    #[test]
    fn records_in_data_with_a_next_and_cents() {
        let body = r#"{"data":[{"member_id":"M1","amount_cents":12850,"tags":["vip","new"]},{"member_id":"M2","amount":"3.00","amount_cents":1}],"next":"/api/t?cursor=2"}"#;
        let page = read_page(body, Endpoint::Transactions).unwrap();
        assert_eq!(page.records, 2);
        assert_eq!(page.next.as_deref(), Some("/api/t?cursor=2"));
        let v: Value = serde_json::from_str(&format!("[{}]", page.records_json)).unwrap();
        assert_eq!(v[0]["amount"], "128.50");
        assert_eq!(v[0]["tags"], "vip,new");
        assert!(v[0].get("amount_cents").is_none());
        // A decimal amount given too wins over the cents.
        assert_eq!(v[1]["amount"], "3.00");
    }

    #[test]
    fn every_accepted_shape_and_every_problem() {
        for body in [r#"[{"a":1}]"#, r#"{"items":[{"a":1}]}"#, r#"{"members":[{"a":1}],"total":1}"#, r#"{"results":[{"a":1}],"next":null}"#] {
            assert_eq!(read_page(body, Endpoint::Members).map(|p| p.records), Ok(1), "{body}");
        }
        assert!(matches!(read_page(r#"{"data":[{"a":1},"#, Endpoint::Members), Err(PageProblem::NotJson { line: 1, .. })));
        assert_eq!(read_page(r#"{"rows":[]}"#, Endpoint::Members), Err(PageProblem::NoRecords));
        assert_eq!(read_page(r#"{"data":[{"a":1},{"b":2},"x"]}"#, Endpoint::Members), Err(PageProblem::NotAnObject { record: 3 }));
        assert_eq!(
            read_page(r#"{"data":[{"paid_cents":"12.5"}]}"#, Endpoint::Members),
            Err(PageProblem::NotCents { record: 1, field: "paid_cents".into() })
        );
        assert_eq!(read_page(r#"{"data":[],"next":5}"#, Endpoint::Members), Err(PageProblem::BadNext));
        assert_eq!(read_page(r#"{"data":[]}"#, Endpoint::Members).map(|p| (p.records, p.records_json)), Ok((0, String::new())));
    }

    #[test]
    fn yuan_texts() {
        assert_eq!(yuan_text(0), "0.00");
        assert_eq!(yuan_text(5), "0.05");
        assert_eq!(yuan_text(-1250), "-12.50");
        assert_eq!(yuan_text(i64::MIN), "-92233720368547758.08");
    }

    fn page(records: u64, next: Option<&str>, total: Option<u64>) -> ApiPage {
        ApiPage { records_json: vec!["{}"; records as usize].join(","), records, next: next.map(str::to_string), names_next: next.is_some(), total }
    }

    #[test]
    fn paging_by_number_stops_at_a_short_page_or_the_total() {
        let mut p = Pager::new(2);
        assert_eq!(p.after(&page(2, None, None), None), NextPage::Number(2));
        assert_eq!(p.after(&page(2, None, None), None), NextPage::Number(3));
        assert_eq!(p.after(&page(1, None, None), None), NextPage::Done);
        assert_eq!(p.records, 5);
        let mut p = Pager::new(2);
        assert_eq!(p.after(&page(2, None, Some(4)), None), NextPage::Number(2));
        assert_eq!(p.after(&page(2, None, Some(4)), None), NextPage::Done);
        let mut p = Pager::new(2);
        assert_eq!(p.after(&page(0, None, None), None), NextPage::Done);
    }

    #[test]
    fn an_explicit_null_next_is_a_cursor_servers_last_page() {
        let mut p = Pager::new(2);
        let last = ApiPage { records_json: "{},{}".into(), records: 2, next: None, names_next: true, total: None };
        assert_eq!(p.after(&last, None), NextPage::Done);
        let page = read_page(r#"{"results":[{"a":1},{"a":2}],"next":null}"#, Endpoint::Members).unwrap();
        assert!(page.names_next);
        assert_eq!(Pager::new(2).after(&page, None), NextPage::Done);
    }

    #[test]
    fn a_null_decimal_beside_cents_keeps_the_cents() {
        for body in [r#"[{"amount":null,"amount_cents":12850}]"#, r#"[{"amount_cents":12850,"amount":null}]"#] {
            let page = read_page(body, Endpoint::Transactions).unwrap();
            assert_eq!(page.records_json, r#"{"amount":"128.50"}"#, "{body}");
        }
    }

    #[test]
    fn paging_by_cursor_follows_the_body_or_the_link_and_stops_without_one() {
        let mut p = Pager::new(2);
        assert_eq!(p.after(&page(2, Some("/b"), None), Some("/ignored".into())), NextPage::Url("/b".into()));
        assert_eq!(p.after(&page(2, None, None), Some("/c".into())), NextPage::Url("/c".into()));
        // A full last page without a next: a cursor server is done (no page numbers).
        assert_eq!(p.after(&page(2, None, None), None), NextPage::Done);
    }

    #[test]
    fn the_file_is_the_json_the_import_reads() {
        let members = vec!["{\"member_id\":\"M1\"}".to_string(), String::new(), "{\"member_id\":\"M2\"}".to_string()];
        let tx = vec!["{\"member_id\":\"M1\",\"amount\":\"1.00\"}".to_string()];
        let text: String = file_parts(Some(&members), &tx).concat();
        let tables = crate::import::tables::read_json(text.as_bytes()).unwrap();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].rows.len(), 3);
        assert_eq!(tables[1].rows.len(), 2);
        let only_tx: String = file_parts(None, &[]).concat();
        assert_eq!(only_tx, "{\"transactions\":[]}");
    }
}
