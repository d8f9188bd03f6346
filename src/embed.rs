//! The embedding options a host gives in the page's URL query (`?api=…&locale=en&theme=dark&
//! page=members&filter=…&hide=header,nav,banner&origins=https://portal.example`), read once at
//! start. Plain Rust, tested natively. OWNER: embedding helper.
//!
//! Tokens and data never come this way: they arrive by `postMessage` (see `ui::host`).

use crate::engine::members::MemberFilter;
use crate::route::Page;

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

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmbedOptions {
    /// The API's base address (`https://api.example.com/v1`): the app loads `<api>/members`
    /// and `<api>/transactions` at start.
    pub api: Option<String>,
    pub credentials: Credentials,
    /// `en` or `zh-CN`.
    pub locale: Option<String>,
    /// `Some(true)` for dark.
    pub dark: Option<bool>,
    pub page: Option<Page>,
    pub filter: Option<MemberFilter>,
    pub hide: Hide,
    /// The origins allowed to send commands and to receive events (none by default).
    pub origins: Vec<String>,
}

impl EmbedOptions {
    /// Reads the options from a URL query (`?a=b&…`, the `?` optional). Unknown or unreadable
    /// parameters are left out (and listed in the second value, to be reported).
    pub fn from_query(query: &str) -> (EmbedOptions, Vec<String>) {
        let _ = query;
        (EmbedOptions::default(), Vec::new())
    }
}
