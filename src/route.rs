//! Where the page is, as its URL hash: the page (`#/churn`) and, on the Members page, the filter
//! (`#/members?filter=<JSON, percent-encoded>`), so that a link reproduces the view and the
//! back button returns to the chart a list was opened from. Plain Rust, tested natively.

use crate::engine::members::MemberFilter;

/// The pages of the product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Overview,
    Segments,
    Pyramid,
    Churn,
    Members,
    WorkLists,
    Data,
    /// The printable report (reached from the header, not the navigation).
    Report,
}

impl Page {
    /// The pages of the navigation, in its order.
    pub const NAV: [Page; 7] =
        [Page::Overview, Page::Segments, Page::Pyramid, Page::Churn, Page::Members, Page::WorkLists, Page::Data];
    pub const ALL: [Page; 8] = [
        Page::Overview,
        Page::Segments,
        Page::Pyramid,
        Page::Churn,
        Page::Members,
        Page::WorkLists,
        Page::Data,
        Page::Report,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Page::Overview => "overview",
            Page::Segments => "segments",
            Page::Pyramid => "pyramid",
            Page::Churn => "churn",
            Page::Members => "members",
            Page::WorkLists => "work-lists",
            Page::Data => "data",
            Page::Report => "report",
        }
    }

    /// The page a location hash (`#/churn`, `#/members?filter=…`) names; the Overview for
    /// anything else.
    pub fn from_hash(hash: &str) -> Page {
        Route::parse(hash).page
    }
}

/// A page and the member filter the hash carries (the Members page's).
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub page: Page,
    /// `None`: no filter in the URL (or one that cannot be read: the list shows everyone).
    pub filter: Option<MemberFilter>,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (slug, query) = path.split_once('?').unwrap_or((path, ""));
        let page = Page::ALL.into_iter().find(|p| p.slug() == slug).unwrap_or(Page::Overview);
        let filter = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("filter="))
            .and_then(percent_decode)
            .and_then(|json| serde_json::from_str::<MemberFilter>(&json).ok());
        Route { page, filter }
    }

    /// The hash of this route (`#/members?filter=%7B…%7D`); an empty filter is left out.
    pub fn to_hash(&self) -> String {
        match self.filter.as_ref().filter(|f| **f != MemberFilter::default()) {
            Some(f) => format!("#/{}?filter={}", self.page.slug(), percent_encode(&serde_json::to_string(f).unwrap_or_default())),
            None => format!("#/{}", self.page.slug()),
        }
    }

    /// The Members page showing `filter`.
    pub fn members(filter: MemberFilter) -> Route {
        Route { page: Page::Members, filter: Some(filter) }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space); `None` for a broken escape or text that is not
/// UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::members::Condition;
    use crate::engine::segments::RfmSegment;

    #[test]
    fn pages_come_from_their_hash() {
        assert_eq!(Page::from_hash("#/churn"), Page::Churn);
        assert_eq!(Page::from_hash("#/work-lists"), Page::WorkLists);
        assert_eq!(Page::from_hash("#/report"), Page::Report);
        assert!(!Page::NAV.contains(&Page::Report));
        assert_eq!(Page::from_hash(""), Page::Overview);
        assert_eq!(Page::from_hash("#/nowhere"), Page::Overview);
        assert_eq!(Page::from_hash("#/members?filter=%7B%7D"), Page::Members);
    }

    /// A filter survives the trip through the URL, Chinese text and all.
    #[test]
    fn a_filter_round_trips_through_the_hash() {
        let filter = MemberFilter {
            all: vec![Condition::Rfm { any: vec![RfmSegment::Champions] }, Condition::Store { any: vec!["徐汇店 & 1".into()] }],
            search: "王 138".into(),
        };
        let hash = Route::members(filter.clone()).to_hash();
        assert!(hash.starts_with("#/members?filter=%7B"), "{hash}");
        assert!(!hash.contains(' ') && !hash.contains('&'), "{hash}");
        assert_eq!(Route::parse(&hash), Route { page: Page::Members, filter: Some(filter) });
    }

    #[test]
    fn a_broken_filter_reads_as_none() {
        assert_eq!(Route::parse("#/members?filter=%7Bnot").filter, None);
        assert_eq!(Route::parse("#/members?filter=%E4%B8").filter, None);
        assert_eq!(Route::parse("#/members?filter=%zz").filter, None);
        assert_eq!(Route::members(MemberFilter::default()).to_hash(), "#/members");
    }
}
