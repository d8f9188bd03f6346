//! The page's state, shared through context: what is loaded, what the worker is doing, which page
//! is open, and the display preferences.

use leptos::prelude::*;

use crate::engine::analysis::Analysis;
pub use crate::engine::import::plan::ImportDraft;
use crate::engine::members::{MemberDetail, MemberFilter, MemberPage};
use crate::engine::worklists::WorkListsOverview;
use crate::route::Route;
use crate::engine::settings::Settings;
use crate::protocol::Progress;
use crate::requests::{PageFailure, SavedSettingNote};

pub use crate::route::Page;

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
    /// The Members page's filter: set from the URL (`#/members?filter=…`) and by the filter
    /// builder, which writes it back to the URL.
    pub member_filter: RwSignal<MemberFilter>,
    /// Where the list was opened from (`Champions`), shown above it; empty when built by hand.
    pub member_origin: RwSignal<String>,
    /// The last page of the member list the worker sent.
    pub member_page: RwSignal<Option<MemberPage>>,
    /// The work lists' counts for the analysis in force.
    pub work_lists: RwSignal<Option<WorkListsOverview>>,
    /// The member shown in the detail panel.
    pub member_detail: RwSignal<Option<MemberDetail>>,
    /// Counts "Forget all data": what holds the user's input in memory clears it when it moves.
    pub forgets: RwSignal<u32>,
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
            member_filter: RwSignal::new(Route::parse(&window().location().hash().unwrap_or_default()).filter.unwrap_or_default()),
            member_origin: RwSignal::new(String::new()),
            member_page: RwSignal::new(None),
            work_lists: RwSignal::new(None),
            member_detail: RwSignal::new(None),
            forgets: RwSignal::new(0),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    /// Opens the Members page on `filter` (a click-through titled `label`): a new history entry,
    /// so the back button returns to the chart; the page opens at its top.
    pub fn show_members(&self, filter: MemberFilter, label: String) {
        self.member_origin.set(label);
        let _ = window().location().set_hash(&Route::members(filter).to_hash());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
