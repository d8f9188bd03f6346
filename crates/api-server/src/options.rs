//! The command line: what to serve, how to page, who may ask, and the faults to put in for tests.

use std::path::PathBuf;

/// The two lists the API serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum List {
    Members,
    Transactions,
}

impl List {
    pub const ALL: [List; 2] = [List::Members, List::Transactions];

    /// The path segment after `/api/`.
    pub fn key(self) -> &'static str {
        match self {
            List::Members => "members",
            List::Transactions => "transactions",
        }
    }

    pub fn from_key(key: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.key() == key)
    }
}

/// How pages are asked for and answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// `{"data":[…],"next":…}` and/or a `Link` header; the client follows them.
    Cursor,
    /// `{"data":[…],"page":p,"size":s,"total":t}`; the client asks page 2, 3, …
    Page,
    /// A bare JSON array per page, paged by number like [`Paging::Page`].
    Array,
}

/// Where the cursor style says where the next page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextIn {
    Body,
    Link,
    Both,
}

impl NextIn {
    pub fn in_body(self) -> bool {
        matches!(self, NextIn::Body | NextIn::Both)
    }

    pub fn in_link(self) -> bool {
        matches!(self, NextIn::Link | NextIn::Both)
    }
}

/// How money fields are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Money {
    /// `"amount": "128.50"`.
    Yuan,
    /// `"amount_cents": 12850`.
    Cents,
}

/// How a page is broken by `--malformed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breakage {
    /// The page's third record (or its last, on a shorter page) is a JSON string.
    Record,
    /// The body stops halfway, in the middle of the JSON.
    Json,
    /// A 200 answer with an HTML page (a proxy's sign-in page) instead of JSON.
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    pub list: List,
    pub page: u64,
    pub how: Breakage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fail {
    pub list: List,
    pub page: u64,
    pub status: u16,
    /// Only the first request for that page fails (a retry then succeeds).
    pub once: bool,
}

/// The cookie that authenticates as well as a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    pub name: String,
    pub value: String,
}

/// The most records one page may hold: the client asks for up to 10,000.
pub const MAX_PAGE_SIZE: u32 = 10_000;
pub const DEFAULT_PAGE_SIZE: u32 = 500;
/// Longest `--delay-ms`: ten minutes is beyond any client's timeout.
const MAX_DELAY_MS: u64 = 600_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub transactions: Option<PathBuf>,
    pub members: Option<PathBuf>,
    /// Members of the generated demo (its default when not given).
    pub demo_members: Option<usize>,
    pub page_size: u32,
    pub paging: Paging,
    pub next: NextIn,
    /// Write `next` as an absolute URL (from the request's Host) instead of a relative one.
    pub next_absolute: bool,
    pub money: Money,
    pub tokens: Vec<String>,
    pub cookie: Option<Cookie>,
    /// Each token is accepted for this many requests, then answered 401 as expired.
    pub token_max_uses: Option<u64>,
    pub allow_origins: Vec<String>,
    pub malformed: Vec<Malformed>,
    pub fails: Vec<Fail>,
    pub delay_ms: u64,
    pub dist: Option<PathBuf>,
    pub frame_ancestors: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 8090,
            transactions: None,
            members: None,
            demo_members: None,
            page_size: DEFAULT_PAGE_SIZE,
            paging: Paging::Cursor,
            next: NextIn::Both,
            next_absolute: false,
            money: Money::Yuan,
            tokens: Vec::new(),
            cookie: None,
            token_max_uses: None,
            allow_origins: Vec::new(),
            malformed: Vec::new(),
            fails: Vec::new(),
            delay_ms: 0,
            dist: None,
            frame_ancestors: None,
        }
    }
}

impl Options {
    /// Whether requests must authenticate.
    pub fn needs_auth(&self) -> bool {
        !self.tokens.is_empty() || self.cookie.is_some()
    }
}

pub const USAGE: &str = "\
usage: api-server [FILE] [options]
  FILE, --transactions FILE   transactions (CSV, XLSX/XLS or JSON, read by the app's own import)
  --members FILE              members file; without any file the built-in demo is served
  --demo-members N            size of the demo (default 2000 members)
  --host H                    address to bind (default 127.0.0.1)
  --port P                    port (default 8090; 0 = any free port)
  --page-size N               records per page when the request gives no size (default 500, at most 10000)
  --paging cursor|page|array  cursor: {data,next} + Link; page: {data,page,size,total}; array: bare array (default cursor)
  --next body|link|both       where the cursor style puts the next page (default both)
  --next-absolute             next as an absolute URL (default relative: /api/…?cursor=…)
  --money yuan|cents          \"amount\":\"128.50\" or \"amount_cents\":12850 (default yuan)
  --token T                   require Authorization: Bearer T (repeatable: any of them)
  --cookie NAME=VALUE         this cookie authenticates too
  --token-max-uses N          each token expires after N requests (401, for refresh tests)
  --allow-origin O            allow this origin by CORS, with credentials (repeatable; default none)
  --malformed KIND:PAGE[:record|json|html]   break that page (KIND = members|transactions)
  --fail KIND:PAGE:STATUS[:once]             that page answers STATUS (once: the first time only)
  --delay-ms N                every API answer waits N ms
  --dist DIR                  serve the built app from DIR at / (same origin as the API)
  --frame-ancestors \"…\"       with --dist: Content-Security-Policy: frame-ancestors …
  --help                      this text";

/// Reads the arguments (without the program's name). `Err` carries the message to print.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut o = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if !arg.starts_with("--") {
            if o.transactions.is_some() {
                return Err(format!("a second file {arg:?}: give members with --members"));
            }
            o.transactions = Some(PathBuf::from(arg));
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_string());
        }
        if flag == "--next-absolute" {
            o.next_absolute = true;
            continue;
        }
        let value = match inline.or_else(|| args.next()) {
            Some(v) => v,
            None => return Err(format!("{flag} needs a value")),
        };
        apply(&mut o, &flag, value)?;
    }
    if o.frame_ancestors.is_some() && o.dist.is_none() {
        return Err("--frame-ancestors applies to the app served by --dist".into());
    }
    Ok(o)
}

fn apply(o: &mut Options, flag: &str, value: String) -> Result<(), String> {
    match flag {
        "--transactions" => o.transactions = Some(PathBuf::from(value)),
        "--members" => o.members = Some(PathBuf::from(value)),
        "--demo-members" => o.demo_members = Some(number(flag, &value, 1, member_engine::demo::MAX_DEMO_MEMBERS as u64)? as usize),
        "--host" => o.host = value,
        "--port" => o.port = number(flag, &value, 0, u16::MAX as u64)? as u16,
        "--page-size" => o.page_size = number(flag, &value, 1, MAX_PAGE_SIZE as u64)? as u32,
        "--paging" => {
            o.paging = match value.as_str() {
                "cursor" => Paging::Cursor,
                "page" => Paging::Page,
                "array" => Paging::Array,
                _ => return Err(format!("--paging is cursor, page or array, not {value:?}")),
            }
        }
        "--next" => {
            o.next = match value.as_str() {
                "body" => NextIn::Body,
                "link" => NextIn::Link,
                "both" => NextIn::Both,
                _ => return Err(format!("--next is body, link or both, not {value:?}")),
            }
        }
        "--money" => {
            o.money = match value.as_str() {
                "yuan" => Money::Yuan,
                "cents" => Money::Cents,
                _ => return Err(format!("--money is yuan or cents, not {value:?}")),
            }
        }
        // The token itself is never repeated in a message.
        "--token" => {
            if !is_token68(&value) {
                return Err("--token: a bearer token is letters, digits and -._~+/ (then =)".into());
            }
            o.tokens.push(value);
        }
        "--cookie" => o.cookie = Some(cookie(&value)?),
        "--token-max-uses" => o.token_max_uses = Some(number(flag, &value, 1, u64::MAX)?),
        "--allow-origin" => o.allow_origins.push(origin(&value)?),
        "--malformed" => o.malformed.push(malformed(&value)?),
        "--fail" => o.fails.push(fail(&value)?),
        "--delay-ms" => o.delay_ms = number(flag, &value, 0, MAX_DELAY_MS)?,
        "--dist" => o.dist = Some(PathBuf::from(value)),
        "--frame-ancestors" => {
            if value.chars().any(|c| c.is_control() || c == ';' || c == ',') {
                return Err("--frame-ancestors: sources separated by spaces, no ';', ',' or line breaks".into());
            }
            o.frame_ancestors = Some(value);
        }
        _ => return Err(format!("unknown option {flag}\n{USAGE}")),
    }
    Ok(())
}

fn number(flag: &str, value: &str, min: u64, max: u64) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("{flag} is a whole number from {min} to {max}, not {value:?}")),
    }
}

/// RFC 6750's token68: what a bearer token may be made of.
fn is_token68(t: &str) -> bool {
    let body = t.trim_end_matches('=');
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

fn cookie(value: &str) -> Result<Cookie, String> {
    let bad = "--cookie is NAME=VALUE (no spaces, ';' or ',')";
    let (name, v) = value.split_once('=').ok_or(bad)?;
    let clean = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && !b";,\"\\".contains(&b));
    if !clean(name) || !clean(v) || name.contains('=') {
        return Err(bad.into());
    }
    Ok(Cookie { name: name.into(), value: v.into() })
}

/// An origin as browsers send it: `scheme://host[:port]`, no path.
fn origin(value: &str) -> Result<String, String> {
    let v = value.trim().trim_end_matches('/');
    let rest = v.strip_prefix("http://").or_else(|| v.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ', '*']) => Ok(v.to_string()),
        _ => Err(format!("--allow-origin is an origin such as http://localhost:8080, not {value:?}")),
    }
}

fn list(value: &str) -> Result<List, String> {
    List::from_key(value).ok_or_else(|| format!("{value:?} is not members or transactions"))
}

fn malformed(value: &str) -> Result<Malformed, String> {
    let parts: Vec<&str> = value.split(':').collect();
    let (l, p, how) = match parts.as_slice() {
        [l, p] => (*l, *p, "record"),
        [l, p, how] => (*l, *p, *how),
        _ => return Err(format!("--malformed is KIND:PAGE[:record|json|html], not {value:?}")),
    };
    let how = match how {
        "record" => Breakage::Record,
        "json" => Breakage::Json,
        "html" => Breakage::Html,
        _ => return Err(format!("--malformed breaks a record, the json or sends html, not {how:?}")),
    };
    Ok(Malformed { list: list(l)?, page: number("--malformed page", p, 1, u64::MAX)?, how })
}

fn fail(value: &str) -> Result<Fail, String> {
    let parts: Vec<&str> = value.split(':').collect();
    let (l, p, s, once) = match parts.as_slice() {
        [l, p, s] => (*l, *p, *s, false),
        [l, p, s, "once"] => (*l, *p, *s, true),
        _ => return Err(format!("--fail is KIND:PAGE:STATUS[:once], not {value:?}")),
    };
    let status = number("--fail status", s, 400, 599)? as u16;
    Ok(Fail { list: list(l)?, page: number("--fail page", p, 1, u64::MAX)?, status, once })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Result<Options, String> {
        parse(a.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_and_defaults() {
        let o = args(&[]).unwrap();
        assert_eq!((o.paging, o.next, o.page_size, o.host.as_str()), (Paging::Cursor, NextIn::Both, 500, "127.0.0.1"));
        let o = args(&["tx.csv", "--port=0", "--token", "abc", "--token", "def", "--fail", "transactions:2:500:once", "--malformed", "members:3"]).unwrap();
        assert_eq!(o.transactions, Some(PathBuf::from("tx.csv")));
        assert_eq!(o.port, 0);
        assert_eq!(o.tokens, vec!["abc", "def"]);
        assert_eq!(o.fails, vec![Fail { list: List::Transactions, page: 2, status: 500, once: true }]);
        assert_eq!(o.malformed, vec![Malformed { list: List::Members, page: 3, how: Breakage::Record }]);
    }

    #[test]
    fn bad_values_are_refused_without_echoing_tokens() {
        for bad in [
            &["--port", "70000"][..],
            &["--page-size", "0"],
            &["--page-size", "10001"],
            &["--paging", "offset"],
            &["--fail", "orders:1:500"],
            &["--fail", "transactions:0:500"],
            &["--fail", "transactions:1:200"],
            &["--malformed", "transactions:x"],
            &["--cookie", "novalue"],
            &["--allow-origin", "localhost:8080"],
            &["--allow-origin", "*"],
            &["--delay-ms"],
            &["--frame-ancestors", "'self'"],
            &["a.csv", "b.csv"],
            &["--bogus", "1"],
        ] {
            assert!(args(bad).is_err(), "{bad:?}");
        }
        let e = args(&["--token", "secret value"]).unwrap_err();
        assert!(!e.contains("secret"), "{e}");
    }
}
