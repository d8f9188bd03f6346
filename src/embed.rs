//! The embedding options a host gives in the page's URL query (`?api=…&locale=en&theme=dark&
//! page=members&filter=…&stores=徐汇店,静安店&hide=header,nav,banner&origins=https://portal.example`), read once at
//! start, and the commands a host sends by `postMessage`, checked field by field. Plain Rust,
//! tested natively; `ui::host` does the browser's part.
//!
//! Tokens and data never come in the URL: they arrive by `postMessage` (a `token` parameter is
//! ignored and reported).

use std::fmt;

use serde_json::{Map, Value};

use crate::engine::members::MemberFilter;
use crate::route::{percent_decode, Page};

/// What every message to and from the host carries as `source`.
pub const SOURCE: &str = "member-dashboard";

/// Which parts of the frame the host hides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hide {
    pub header: bool,
    pub nav: bool,
    pub banner: bool,
}

/// How API requests carry credentials.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Credentials {
    /// No credentials (a bearer token may still be supplied by the host).
    #[default]
    Token,
    /// The portal's own cookie: `fetch(…, { credentials: 'include' })`.
    Cookie,
}

/// The languages the page speaks, as the options and commands spell them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    En,
    ZhCn,
}

impl Language {
    /// `en` or `zh-CN` (any case; `zh` alone is Chinese too).
    pub fn parse(text: &str) -> Option<Language> {
        match text.to_ascii_lowercase().as_str() {
            "en" => Some(Language::En),
            "zh-cn" | "zh" => Some(Language::ZhCn),
            _ => None,
        }
    }
}

/// `dark` or `light`: `Some(true)` for dark.
fn parse_theme(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "dark" => Some(true),
        "light" => Some(false),
        _ => None,
    }
}

fn parse_page(slug: &str) -> Option<Page> {
    Page::ALL.into_iter().find(|p| p.slug() == slug)
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmbedOptions {
    /// The API's base address (`https://api.example.com/v1`, or `/api` on the page's origin):
    /// the app loads `<api>/members` and `<api>/transactions` at start.
    pub api: Option<String>,
    pub credentials: Credentials,
    pub locale: Option<Language>,
    /// `Some(true)` for dark.
    pub dark: Option<bool>,
    /// The page to open (the Members page when only a filter is given).
    pub page: Option<Page>,
    pub filter: Option<MemberFilter>,
    pub hide: Hide,
    /// The origins allowed to send commands and to receive events (none by default), each an
    /// exact `scheme://host[:port]`, lower case, default port left out (as browsers write
    /// `MessageEvent.origin`).
    pub origins: Vec<String>,
    /// `demo=off`: start with no data set (the host sends rows) instead of the demo.
    pub no_demo: bool,
    /// `stores=徐汇店,静安店`: the store scope to start with (for this visit, not saved);
    /// `stores=all` gives `Some(vec![])`, all stores whatever scope was saved.
    pub stores: Option<Vec<String>>,
}

/// A URL option left out, and why (shown to the integrator in the console and as an `error`
/// event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionProblem {
    /// A parameter the dashboard does not know.
    Unknown { name: String },
    /// A known parameter whose value cannot be used (`expected` says what can).
    Bad { name: String, value: String, expected: &'static str },
    /// A token in the URL: ignored, since URLs end up in logs and histories.
    TokenInUrl,
}

impl fmt::Display for OptionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionProblem::Unknown { name } => write!(f, "URL option `{name}` is unknown and was ignored"),
            OptionProblem::Bad { name, value, expected } => {
                write!(f, "URL option `{name}={value}` was ignored: expected {expected}")
            }
            OptionProblem::TokenInUrl => {
                write!(f, "URL option `token` was ignored: tokens never go in a URL; send the setToken command instead")
            }
        }
    }
}

impl EmbedOptions {
    /// Reads the options from a URL query (`?a=b&…`, the `?` optional). Unknown or unreadable
    /// parameters are left out and listed in the second value; an empty value counts as not
    /// given. A repeated parameter: the last wins (`origins` add up).
    pub fn from_query(query: &str) -> (EmbedOptions, Vec<OptionProblem>) {
        let mut o = EmbedOptions::default();
        let mut problems = Vec::new();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = percent_decode(raw_name).unwrap_or_else(|| raw_name.to_string());
            let Some(value) = percent_decode(raw_value) else {
                problems.push(OptionProblem::Bad { name, value: raw_value.to_string(), expected: "valid percent-encoding" });
                continue;
            };
            if name == "token" {
                // Reported whatever its value, and never echoed.
                problems.push(OptionProblem::TokenInUrl);
                continue;
            }
            if value.trim().is_empty() {
                continue;
            }
            if let Err(p) = o.apply(&name, value.trim()) {
                problems.extend(p);
            }
        }
        if o.filter.is_some() && o.page.is_none() {
            o.page = Some(Page::Members);
        }
        (o, problems)
    }

    /// Takes one parameter; `Err` with what was left out.
    fn apply(&mut self, name: &str, value: &str) -> Result<(), Vec<OptionProblem>> {
        let bad = |expected| vec![OptionProblem::Bad { name: name.to_string(), value: value.to_string(), expected }];
        match name {
            "api" => self.api = Some(api_base(value).ok_or_else(|| bad("an http(s) URL or a path starting with /"))?),
            "credentials" => {
                self.credentials = match value.to_ascii_lowercase().as_str() {
                    "cookie" | "include" => Credentials::Cookie,
                    "token" | "omit" | "none" => Credentials::Token,
                    _ => return Err(bad("cookie or token")),
                }
            }
            "locale" => self.locale = Some(Language::parse(value).ok_or_else(|| bad("en or zh-CN"))?),
            "theme" => self.dark = Some(parse_theme(value).ok_or_else(|| bad("dark or light"))?),
            "page" => self.page = Some(parse_page(value).ok_or_else(|| bad(PAGE_SLUGS))?),
            "filter" => self.filter = Some(parse_filter_json(value).map_err(|_| bad("a member filter as JSON"))?),
            "demo" => {
                self.no_demo = match value.to_ascii_lowercase().as_str() {
                    "off" | "no" | "false" | "0" => true,
                    "on" | "yes" | "true" | "1" => false,
                    _ => return Err(bad("on or off")),
                }
            }
            "stores" => self.stores = Some(parse_stores(value).ok_or_else(|| bad(STORES_EXPECTED))?),
            "hide" => return self.apply_hide(name, value),
            "origins" => return self.apply_origins(name, value),
            _ => return Err(vec![OptionProblem::Unknown { name: name.to_string() }]),
        }
        Ok(())
    }

    fn apply_hide(&mut self, name: &str, value: &str) -> Result<(), Vec<OptionProblem>> {
        let mut problems = Vec::new();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "header" => self.hide.header = true,
                "nav" => self.hide.nav = true,
                "banner" => self.hide.banner = true,
                _ => problems.push(OptionProblem::Bad { name: name.into(), value: part.into(), expected: "header, nav or banner" }),
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    fn apply_origins(&mut self, name: &str, value: &str) -> Result<(), Vec<OptionProblem>> {
        let mut problems = Vec::new();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match exact_origin(part) {
                Some(origin) if !self.origins.contains(&origin) => self.origins.push(origin),
                Some(_) => {}
                None => problems.push(OptionProblem::Bad {
                    name: name.into(),
                    value: part.into(),
                    expected: "exact origins scheme://host[:port], comma-separated, without path or *",
                }),
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// Whether messages from `origin` (a `MessageEvent.origin`) are taken.
    pub fn allows(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
    }
}

/// The query without its `token` parameters (`?a=1&token=x` → `?a=1`), when it has one: the
/// page takes a token out of its address, so that what it loads later does not carry it in the
/// `Referer`, nor a copied link.
pub fn query_without_token(query: &str) -> Option<String> {
    let pairs: Vec<&str> = query.strip_prefix('?').unwrap_or(query).split('&').filter(|p| !p.is_empty()).collect();
    let is_token = |pair: &&str| pair.split('=').next().and_then(percent_decode).is_some_and(|name| name == "token");
    if !pairs.iter().any(is_token) {
        return None;
    }
    let kept: Vec<&str> = pairs.into_iter().filter(|p| !is_token(p)).collect();
    Some(if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) })
}

const STORES_EXPECTED: &str = "store names, comma-separated (each at most 100 characters), or all";

/// `徐汇店, 静安店` → the names, trimmed, each once; `all` → none (all stores). `None` when a
/// name is longer than the engine takes or there are more names than it takes.
fn parse_stores(value: &str) -> Option<Vec<String>> {
    use crate::engine::settings::{MAX_NAME_LIST, MAX_NAME_LIST_CHARS};
    if value.eq_ignore_ascii_case("all") {
        return Some(Vec::new());
    }
    let mut names: Vec<String> = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if name.chars().count() > MAX_NAME_LIST_CHARS {
            return None;
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    (!names.is_empty() && names.len() <= MAX_NAME_LIST).then_some(names)
}

const PAGE_SLUGS: &str = "overview, segments, pyramid, churn, members, work-lists, data or report";

/// An API base: an absolute http(s) URL, or a path on the page's own origin (`/api`); the
/// trailing `/` is left out so that `<api>/members` has one.
fn api_base(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let absolute = ["http://", "https://"].iter().any(|s| lower.starts_with(s) && lower.len() > s.len());
    let path = value.starts_with('/') && !value.starts_with("//");
    if !(absolute || path) || value.chars().any(char::is_whitespace) {
        return None;
    }
    let trimmed = value.trim_end_matches('/');
    Some(if trimmed.is_empty() || trimmed.ends_with(':') { value.to_string() } else { trimmed.to_string() })
}

/// `value` as a browser writes an origin (`https://portal.example`, `http://127.0.0.1:8080`):
/// scheme and host in lower case, a default port left out; `None` for anything else (a path,
/// even `/`, a query, user info, `*`, `null`, another scheme).
pub fn exact_origin(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let (host, port) = split_host_port(rest)?;
    let host = host.to_ascii_lowercase();
    let host_ok = if host.starts_with('[') {
        host.ends_with(']') && host.len() > 2 && host[1..host.len() - 1].chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !host.starts_with('.')
            && !host.ends_with('.')
    };
    if !host_ok {
        return None;
    }
    match port {
        None => Some(format!("{scheme}://{host}")),
        Some(p) if p.parse::<u16>().is_ok_and(|n| n > 0) && p.chars().all(|c| c.is_ascii_digit()) => {
            let p = p.trim_start_matches('0');
            if p == default_port { Some(format!("{scheme}://{host}")) } else { Some(format!("{scheme}://{host}:{p}")) }
        }
        Some(_) => None,
    }
}

/// `host[:port]` (an IPv6 host in brackets); `None` if anything follows.
fn split_host_port(rest: &str) -> Option<(&str, Option<&str>)> {
    if rest.starts_with('[') {
        let end = rest.find(']')?;
        let (host, after) = rest.split_at(end + 1);
        return match after.strip_prefix(':') {
            Some(port) => Some((host, Some(port))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match rest.split_once(':') {
        Some((host, port)) => Some((host, Some(port))),
        None => Some((rest, None)),
    }
}

/// A member filter as JSON, checked (an unreadable bound is refused, not left to list nobody).
fn parse_filter_json(json: &str) -> Result<MemberFilter, String> {
    let filter: MemberFilter = serde_json::from_str(json).map_err(|e| e.to_string())?;
    check_filter(filter)
}

fn parse_filter_value(value: &Value) -> Result<MemberFilter, String> {
    let filter: MemberFilter = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    check_filter(filter)
}

fn check_filter(filter: MemberFilter) -> Result<MemberFilter, String> {
    filter.validate().map_err(|e| format!("condition {} ({}): {}", e.condition, serde_name(&e.field), serde_name(&e.problem)))?;
    Ok(filter)
}

/// The name serde gives a unit variant (`not_a_date`).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A command from the host, checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Load these records: `file` is the JSON document (`{"members":[…],"transactions":[…]}`)
    /// read as a file named `name`.
    Load { name: String, file: String },
    SetFilter(MemberFilter),
    Navigate(Page),
    SetLocale(Language),
    SetTheme { dark: bool },
    SetToken(String),
}

impl Command {
    /// The command's name as the host spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Load { .. } => "load",
            Command::SetFilter(_) => "setFilter",
            Command::Navigate(_) => "navigate",
            Command::SetLocale(_) => "setLocale",
            Command::SetTheme { .. } => "setTheme",
            Command::SetToken(_) => "setToken",
        }
    }
}

/// What a message from an allowed origin turns out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// Not meant for the dashboard (another `source`): ignored without an answer.
    NotOurs,
    /// A command to carry out, then answer `commandDone` with `id`.
    Command { id: Option<Value>, command: Command },
    /// Refused: answered with an `error` event naming what was wrong (and `id`, if readable).
    Bad { id: Option<Value>, command: Option<String>, detail: String },
}

const COMMANDS: &str = "load, setFilter, navigate, setLocale, setTheme or setToken";

/// Reads a message's data (as JSON) into a command, checking its type and fields.
pub fn read_command(data: &Value) -> Incoming {
    let Value::Object(m) = data else {
        return Incoming::Bad { id: None, command: None, detail: "a message must be an object with a `command` field".into() };
    };
    match m.get("source") {
        None => {}
        Some(Value::String(s)) if s == SOURCE => {}
        Some(_) => return Incoming::NotOurs,
    }
    let id = m.get("id").cloned();
    let name = m.get("command").and_then(Value::as_str).map(str::to_string);
    let bad = |detail: String| Incoming::Bad { id: id.clone(), command: name.clone(), detail };
    if id.as_ref().is_some_and(|id| !(id.is_string() || id.is_number())) {
        return bad("`id` must be a string or a number".into());
    }
    let Some(command) = name.as_deref() else {
        return bad(format!("`command` must be one of {COMMANDS}"));
    };
    let parsed = match command {
        "load" => load_command(m),
        "setFilter" => match m.get("filter") {
            Some(f) => parse_filter_value(f).map(Command::SetFilter).map_err(|e| format!("`filter` is not a member filter: {e}")),
            None => Err("`filter` is missing".into()),
        },
        "navigate" => string_field(m, "page")
            .and_then(|p| parse_page(p).ok_or_else(|| format!("`page` must be one of {PAGE_SLUGS}")))
            .map(Command::Navigate),
        "setLocale" => string_field(m, "locale")
            .and_then(|l| Language::parse(l).ok_or_else(|| "`locale` must be en or zh-CN".to_string()))
            .map(Command::SetLocale),
        "setTheme" => string_field(m, "theme")
            .and_then(|t| parse_theme(t).ok_or_else(|| "`theme` must be dark or light".to_string()))
            .map(|dark| Command::SetTheme { dark }),
        // The token is never repeated in an answer.
        "setToken" => string_field(m, "token").map(|t| Command::SetToken(t.to_string())),
        _ => Err(format!("`command` must be one of {COMMANDS}")),
    };
    match parsed {
        Ok(command) => Incoming::Command { id, command },
        Err(detail) => bad(detail),
    }
}

/// A non-empty string field.
fn string_field<'a>(m: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    match m.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        Some(_) => Err(format!("`{key}` must be a non-empty string")),
        None => Err(format!("`{key}` is missing")),
    }
}

/// `{ rows: { members?: [ {…} ], transactions?: [ {…} ] }, name?: string }` → one JSON file.
fn load_command(m: &Map<String, Value>) -> Result<Command, String> {
    let name = match m.get("name") {
        None => "rows.json".to_string(),
        Some(_) => string_field(m, "name")?.to_string(),
    };
    let Some(Value::Object(rows)) = m.get("rows") else {
        return Err("`rows` must be an object { members?: [...], transactions?: [...] }".into());
    };
    if let Some(other) = rows.keys().find(|k| *k != "members" && *k != "transactions") {
        return Err(format!("`rows.{other}` is not members or transactions"));
    }
    let mut doc = Map::new();
    for key in ["members", "transactions"] {
        let Some(table) = rows.get(key) else { continue };
        let Value::Array(items) = table else { return Err(format!("`rows.{key}` must be an array of objects")) };
        if let Some(i) = items.iter().position(|item| !item.is_object()) {
            return Err(format!("`rows.{key}[{i}]` is not an object"));
        }
        doc.insert(key.to_string(), table.clone());
    }
    if doc.is_empty() {
        return Err("`rows` has neither members nor transactions".into());
    }
    Ok(Command::Load { name, file: Value::Object(doc).to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::members::Condition;
    use crate::route::percent_encode;
    use serde_json::json;

    #[test]
    fn demo_off_starts_without_the_demo() {
        assert!(EmbedOptions::from_query("?demo=off").0.no_demo);
        assert!(!EmbedOptions::from_query("?demo=on").0.no_demo);
        assert!(!EmbedOptions::from_query("").0.no_demo);
        let (o, problems) = EmbedOptions::from_query("?demo=maybe");
        assert!(!o.no_demo);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn every_option() {
        let filter = r#"{"all":[{"by":"rfm","any":["champions"]}]}"#;
        let q = format!(
            "?api=https%3A%2F%2Fapi.example.com%2Fv1%2F&credentials=cookie&locale=zh-CN&theme=dark&page=churn&filter={}&hide=header,nav,banner&origins=https://a.example,http://127.0.0.1:8080",
            percent_encode(filter)
        );
        let (o, problems) = EmbedOptions::from_query(&q);
        assert_eq!(problems, vec![]);
        assert_eq!(o.api.as_deref(), Some("https://api.example.com/v1"));
        assert_eq!(o.credentials, Credentials::Cookie);
        assert_eq!(o.locale, Some(Language::ZhCn));
        assert_eq!(o.dark, Some(true));
        assert_eq!(o.page, Some(Page::Churn), "a page given beats the filter's Members page");
        assert_eq!(o.filter, Some(MemberFilter::only(Condition::Rfm { any: vec![crate::engine::segments::RfmSegment::Champions] })));
        assert_eq!(o.hide, Hide { header: true, nav: true, banner: true });
        assert_eq!(o.origins, vec!["https://a.example", "http://127.0.0.1:8080"]);
        assert!(o.allows("https://a.example"));
        assert!(!o.allows("https://b.example"));
    }

    #[test]
    fn stores_are_a_comma_separated_scope() {
        let (o, problems) = EmbedOptions::from_query(&format!("stores={}", percent_encode("徐汇店, 静安店,,徐汇店")));
        assert_eq!(problems, vec![]);
        assert_eq!(o.stores, Some(vec!["徐汇店".to_string(), "静安店".to_string()]), "trimmed, each once, empty parts left out");
        assert_eq!(EmbedOptions::from_query("stores=ALL").0.stores, Some(vec![]), "all stores, whatever was saved");
        assert_eq!(EmbedOptions::from_query("stores=").0.stores, None, "empty: not given");
        let long = "店".repeat(101);
        let (o, problems) = EmbedOptions::from_query(&format!("stores=A,{}", percent_encode(&long)));
        assert_eq!(o.stores, None);
        assert_eq!(problems.len(), 1);
        let (o, problems) = EmbedOptions::from_query("stores=,%20,");
        assert_eq!((o.stores, problems.len()), (None, 1), "only commas and spaces name no store");
    }

    #[test]
    fn nothing_given_is_the_plain_app() {
        assert_eq!(EmbedOptions::from_query(""), (EmbedOptions::default(), vec![]));
        assert_eq!(EmbedOptions::from_query("?"), (EmbedOptions::default(), vec![]));
        // Empty values count as not given.
        assert_eq!(EmbedOptions::from_query("?locale=&api=&hide="), (EmbedOptions::default(), vec![]));
    }

    #[test]
    fn a_filter_alone_opens_the_members_page() {
        let (o, problems) = EmbedOptions::from_query(&format!("filter={}", percent_encode(r#"{"search":"王"}"#)));
        assert_eq!(problems, vec![]);
        assert_eq!(o.page, Some(Page::Members));
        assert_eq!(o.filter.map(|f| f.search), Some("王".to_string()));
    }

    #[test]
    fn bad_values_are_listed_and_the_rest_kept() {
        let (o, problems) = EmbedOptions::from_query("locale=fr&theme=pink&page=nowhere&hide=header,footer&credentials=maybe&api=ftp://x&filter=%7Bnot&origins=*&utm_source=mail&locale=en");
        assert_eq!(o.locale, Some(Language::En), "the last value wins");
        assert_eq!(o.hide, Hide { header: true, ..Hide::default() });
        assert_eq!((o.dark, o.page, o.api, o.filter, o.origins.len()), (None, None, None, None, 0));
        let names: Vec<String> = problems
            .iter()
            .map(|p| match p {
                OptionProblem::Bad { name, value, .. } => format!("{name}={value}"),
                OptionProblem::Unknown { name } => format!("?{name}"),
                OptionProblem::TokenInUrl => "token".into(),
            })
            .collect();
        assert_eq!(names, ["locale=fr", "theme=pink", "page=nowhere", "hide=footer", "credentials=maybe", "api=ftp://x", "filter={not", "origins=*", "?utm_source"]);
        assert!(problems[0].to_string().contains("expected en or zh-CN"), "{}", problems[0]);
    }

    #[test]
    fn a_filter_with_an_unreadable_bound_is_refused() {
        let bad = percent_encode(r#"{"all":[{"by":"joined","from":"2024-13-40"}]}"#);
        let (o, problems) = EmbedOptions::from_query(&format!("filter={bad}"));
        assert_eq!((o.filter, o.page), (None, None));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn a_token_in_the_url_is_ignored_and_reported_without_its_value() {
        let (o, problems) = EmbedOptions::from_query("token=s3cret&locale=en");
        assert_eq!(o.locale, Some(Language::En));
        assert_eq!(problems, vec![OptionProblem::TokenInUrl]);
        assert!(!problems[0].to_string().contains("s3cret"));
    }

    #[test]
    fn a_token_is_taken_out_of_the_query() {
        assert_eq!(query_without_token("?locale=en&token=abc&theme=dark").as_deref(), Some("?locale=en&theme=dark"));
        assert_eq!(query_without_token("?token=abc").as_deref(), Some(""));
        assert_eq!(query_without_token("?to%6Ben=abc&token&page=churn").as_deref(), Some("?page=churn"), "however it is spelled");
        assert_eq!(query_without_token("?locale=en&tokens=1"), None);
        assert_eq!(query_without_token(""), None);
    }

    #[test]
    fn origins_are_exact() {
        assert_eq!(exact_origin("https://Portal.Example").as_deref(), Some("https://portal.example"));
        assert_eq!(exact_origin("HTTPS://a.example:443").as_deref(), Some("https://a.example"), "default port as browsers write it");
        assert_eq!(exact_origin("http://a.example:80").as_deref(), Some("http://a.example"));
        assert_eq!(exact_origin("http://localhost:8081").as_deref(), Some("http://localhost:8081"));
        assert_eq!(exact_origin("http://[::1]:3000").as_deref(), Some("http://[::1]:3000"));
        for bad in [
            "*",
            "null",
            "https://a.example/",
            "https://a.example/path",
            "https://a.example?x=1",
            "https://user@a.example",
            "https://*.example",
            "a.example",
            "ftp://a.example",
            "https://",
            "https://a.example:",
            "https://a.example:99999",
            "https://a.example:0",
            "https://a.example:+80",
            "javascript://a.example",
            "https://[::1",
            "https://[::1]x",
        ] {
            assert_eq!(exact_origin(bad), None, "{bad}");
        }
        let (o, problems) = EmbedOptions::from_query("origins=https://a.example,https://a.example/x,%20https://b.example%20,https://a.example");
        assert_eq!(o.origins, vec!["https://a.example", "https://b.example"], "kept once each");
        assert_eq!(problems.len(), 1);
        // Repeated parameters add up.
        let (o, _) = EmbedOptions::from_query("origins=https://a.example&origins=https://b.example");
        assert_eq!(o.origins.len(), 2);
    }

    #[test]
    fn api_bases() {
        assert_eq!(api_base("/api/").as_deref(), Some("/api"));
        assert_eq!(api_base("/").as_deref(), Some("/"));
        assert_eq!(api_base("http://127.0.0.1:9000").as_deref(), Some("http://127.0.0.1:9000"));
        for bad in ["//evil.example/api", "javascript:alert(1)", "api", "https://", "https://a b"] {
            assert_eq!(api_base(bad), None, "{bad}");
        }
    }

    fn bad_detail(data: Value) -> (Option<Value>, String) {
        match read_command(&data) {
            Incoming::Bad { id, detail, .. } => (id, detail),
            other => panic!("{data} was taken: {other:?}"),
        }
    }

    #[test]
    fn commands_are_read() {
        let cmd = |v: Value| match read_command(&v) {
            Incoming::Command { id, command } => (id, command),
            other => panic!("{v} was refused: {other:?}"),
        };
        assert_eq!(cmd(json!({"command": "navigate", "page": "churn", "id": 3})), (Some(json!(3)), Command::Navigate(Page::Churn)));
        assert_eq!(cmd(json!({"source": "member-dashboard", "command": "setLocale", "locale": "zh-CN"})).1, Command::SetLocale(Language::ZhCn));
        assert_eq!(cmd(json!({"command": "setTheme", "theme": "light", "id": "t"})), (Some(json!("t")), Command::SetTheme { dark: false }));
        assert_eq!(cmd(json!({"command": "setToken", "token": "abc"})).1, Command::SetToken("abc".into()));
        let f = cmd(json!({"command": "setFilter", "filter": {"search": "8801"}})).1;
        assert_eq!(f, Command::SetFilter(MemberFilter { all: vec![], search: "8801".into() }));
    }

    #[test]
    fn load_makes_one_json_file() {
        let v = json!({"command": "load", "id": 1, "rows": {
            "members": [{"member_id": "A", "name": "王静"}],
            "transactions": [{"member_id": "A", "date": "2024-01-01", "amount": 5}],
        }});
        let Incoming::Command { command: Command::Load { name, file }, .. } = read_command(&v) else { panic!("refused") };
        assert_eq!(name, "rows.json");
        let doc: Value = serde_json::from_str(&file).unwrap();
        assert_eq!(doc, json!({"members": [{"member_id": "A", "name": "王静"}], "transactions": [{"member_id": "A", "date": "2024-01-01", "amount": 5}]}));
        // Transactions alone, under a name.
        let v = json!({"command": "load", "name": "march.json", "rows": {"transactions": []}});
        let Incoming::Command { command: Command::Load { name, file }, .. } = read_command(&v) else { panic!("refused") };
        assert_eq!((name.as_str(), file.as_str()), ("march.json", r#"{"transactions":[]}"#));
    }

    #[test]
    fn bad_commands_say_what_is_wrong() {
        assert_eq!(bad_detail(json!("load")).1, "a message must be an object with a `command` field");
        assert_eq!(bad_detail(json!({"id": 7})), (Some(json!(7)), format!("`command` must be one of {COMMANDS}")));
        assert_eq!(bad_detail(json!({"command": "explode", "id": "x"})).0, Some(json!("x")));
        assert!(bad_detail(json!({"command": "navigate", "id": {"a": 1}})).1.contains("`id`"));
        assert_eq!(bad_detail(json!({"command": "navigate"})).1, "`page` is missing");
        assert!(bad_detail(json!({"command": "navigate", "page": "nowhere"})).1.starts_with("`page` must be one of"));
        assert_eq!(bad_detail(json!({"command": "setLocale", "locale": 5})).1, "`locale` must be a non-empty string");
        assert_eq!(bad_detail(json!({"command": "setTheme", "theme": "pink"})).1, "`theme` must be dark or light");
        assert_eq!(bad_detail(json!({"command": "setToken", "token": ""})).1, "`token` must be a non-empty string");
        assert_eq!(bad_detail(json!({"command": "setFilter"})).1, "`filter` is missing");
        assert!(bad_detail(json!({"command": "setFilter", "filter": "champions"})).1.starts_with("`filter` is not a member filter"));
        let detail = bad_detail(json!({"command": "setFilter", "filter": {"all": [{"by": "joined", "from": "2024-02-30"}]}})).1;
        assert_eq!(detail, "`filter` is not a member filter: condition 0 (from): not_a_date");
        assert!(bad_detail(json!({"command": "load"})).1.starts_with("`rows` must be an object"));
        assert_eq!(bad_detail(json!({"command": "load", "rows": {}})).1, "`rows` has neither members nor transactions");
        assert_eq!(bad_detail(json!({"command": "load", "rows": {"orders": []}})).1, "`rows.orders` is not members or transactions");
        assert_eq!(bad_detail(json!({"command": "load", "rows": {"members": {}}})).1, "`rows.members` must be an array of objects");
        assert_eq!(bad_detail(json!({"command": "load", "rows": {"transactions": [{}, 3]}})).1, "`rows.transactions[1]` is not an object");
        assert_eq!(bad_detail(json!({"command": "load", "name": 3, "rows": {"members": []}})).1, "`name` must be a non-empty string");
    }

    #[test]
    fn messages_of_others_are_not_answered() {
        assert_eq!(read_command(&json!({"source": "react-devtools", "command": "load"})), Incoming::NotOurs);
        assert_eq!(read_command(&json!({"source": 3})), Incoming::NotOurs);
    }
}
