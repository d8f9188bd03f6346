//! The page's state, shared through context: what is loaded, what the worker is doing, which page
//! is open, and the display preferences.

use leptos::prelude::*;

use crate::engine::analysis::Analysis;
pub use crate::engine::import::plan::ImportDraft;
use crate::engine::members::{MemberDetail, MemberFilter, MemberPage};
use crate::engine::settings::Settings;
use crate::protocol::Progress;
use crate::requests::{PageFailure, SavedSettingNote};

/// The pages of the product; each has a URL hash (`#/churn`) so it can be linked and bookmarked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Overview,
    Segments,
    Pyramid,
    Churn,
    Members,
    WorkLists,
    Data,
}

impl Page {
    pub const ALL: [Page; 7] =
        [Page::Overview, Page::Segments, Page::Pyramid, Page::Churn, Page::Members, Page::WorkLists, Page::Data];

    pub fn slug(self) -> &'static str {
        match self {
            Page::Overview => "overview",
            Page::Segments => "segments",
            Page::Pyramid => "pyramid",
            Page::Churn => "churn",
            Page::Members => "members",
            Page::WorkLists => "work-lists",
            Page::Data => "data",
        }
    }

    /// The page a location hash (`#/churn`) names; the Overview for anything else.
    pub fn from_hash(hash: &str) -> Page {
        let slug = hash.trim_start_matches('#').trim_start_matches('/');
        Page::ALL.into_iter().find(|p| p.slug() == slug).unwrap_or(Page::Overview)
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub analysis: RwSignal<Option<Analysis>>,
    /// `Some` while the worker is busy.
    pub progress: RwSignal<Option<Progress>>,
    /// The failure shown in the banner; put into words when shown (`ui::failures`), so it is
    /// said in whatever language is chosen.
    pub error: RwSignal<Option<PageFailure>>,
    /// Something the user should know that is not an error: the saved settings reset at start
    /// (none when empty).
    pub notice: RwSignal<Vec<SavedSettingNote>>,
    pub page: RwSignal<Page>,
    pub dark: RwSignal<bool>,
    /// Files being checked on the mapping screen.
    pub import: RwSignal<Option<ImportDraft>>,
    /// The thresholds in force, or being applied (saved in the browser once the engine accepted
    /// them).
    pub settings: RwSignal<Settings>,
    /// The member list opened from a chart or table: its filter and its title.
    pub member_filter: RwSignal<Option<(MemberFilter, String)>>,
    pub member_offset: RwSignal<u32>,
    pub member_page: RwSignal<Option<MemberPage>>,
    /// The member shown in the detail panel.
    pub member_detail: RwSignal<Option<MemberDetail>>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            analysis: RwSignal::new(None),
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
            notice: RwSignal::new(Vec::new()),
            page: RwSignal::new(Page::from_hash(&window().location().hash().unwrap_or_default())),
            dark: RwSignal::new(false),
            import: RwSignal::new(None),
            settings: RwSignal::new(Settings::default()),
            member_filter: RwSignal::new(None),
            member_offset: RwSignal::new(0),
            member_page: RwSignal::new(None),
            member_detail: RwSignal::new(None),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    /// Opens the member list on `filter`, titled `label`.
    pub fn show_members(&self, filter: MemberFilter, label: String) {
        self.member_offset.set(0);
        self.member_page.set(None);
        self.member_filter.set(Some((filter, label)));
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
