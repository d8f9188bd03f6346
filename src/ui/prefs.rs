//! Preferences kept in the browser (language, theme, mappings, settings) and applied to the
//! document.

use crate::i18n::Locale;

const LANGUAGE_KEY: &str = "member-dashboard.language";
const THEME_KEY: &str = "member-dashboard.theme";

/// The browser's localStorage (`None` in private modes that refuse it).
pub(super) fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn saved_language() -> Option<Locale> {
    match storage()?.get_item(LANGUAGE_KEY).ok()??.as_str() {
        "en" => Some(Locale::en),
        "zh-CN" => Some(Locale::zh_CN),
        _ => None,
    }
}

pub fn save_language(locale: Locale) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANGUAGE_KEY, if locale == Locale::en { "en" } else { "zh-CN" });
    }
}

/// Dark if saved so, else the system's preference.
pub fn initial_dark() -> bool {
    if let Some(saved) = storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten()) {
        return saved == "dark";
    }
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

pub fn apply_theme(dark: bool) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

pub fn save_theme(dark: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item(THEME_KEY, if dark { "dark" } else { "light" });
    }
}

use serde::{Deserialize, Serialize};

use crate::engine::import::fields::{ColumnMapping, Field, Role};
use crate::engine::import::plan::{KindMeaning, TablePlan, TablePreview};
use crate::engine::import::values::DateOrder;

/// A confirmed mapping, remembered for files with the same header.
#[derive(Serialize, Deserialize)]
struct SavedMapping {
    columns: Vec<String>,
    role: Role,
    fields: Vec<Option<Field>>,
    date_order: DateOrder,
    kind_values: Vec<(String, KindMeaning)>,
}

fn mapping_key(columns: &[String]) -> String {
    // FNV-1a over the header cells: short keys, one per header.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in columns.join("\u{1f}").bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    format!("member-dashboard.mapping.{h:016x}")
}

pub fn save_mapping(plan: &TablePlan) {
    if !plan.has_header {
        return;
    }
    let saved = SavedMapping {
        columns: plan.columns.clone(),
        role: plan.role,
        fields: plan.fields.clone(),
        date_order: plan.date_order,
        kind_values: plan.kind_values.clone(),
    };
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&saved)) {
        let _ = s.set_item(&mapping_key(&plan.columns), &json);
    }
}

/// Applies the mapping remembered for this header, if there is one.
pub fn apply_saved_mapping(preview: &mut TablePreview) {
    if !preview.has_header {
        return;
    }
    let Some(json) = storage().and_then(|s| s.get_item(&mapping_key(&preview.columns)).ok().flatten()) else { return };
    let Ok(saved) = serde_json::from_str::<SavedMapping>(&json) else { return };
    if saved.columns != preview.columns || saved.fields.len() != preview.mapping.len() {
        return;
    }
    preview.mapping = saved.fields.iter().map(|f| ColumnMapping { field: *f, confidence: 1.0 }).collect();
    preview.role = saved.role;
    preview.date_order = saved.date_order;
    preview.date_order_ambiguous = false;
    for (value, meaning) in saved.kind_values {
        match preview.kind_values.iter_mut().find(|(v, _)| *v == value) {
            Some(slot) => slot.1 = meaning,
            None => preview.kind_values.push((value, meaning)),
        }
    }
    preview.notes.push(crate::engine::import::report::TableNote::MappingRemembered);
}

const SETTINGS_KEY: &str = "member-dashboard.settings";

thread_local! {
    /// What [`saved_settings`] had to reset, for the page to say (taken by the bridge at start).
    static SETTINGS_NOTES: std::cell::RefCell<Vec<crate::requests::SavedSettingNote>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The settings saved by an earlier visit, checked by the engine: a value it refuses (say one
/// saved by an older version) falls back to its default, and [`take_settings_notes`] says which.
pub fn saved_settings() -> crate::engine::settings::Settings {
    let Some(json) = storage().and_then(|s| s.get_item(SETTINGS_KEY).ok().flatten()) else {
        return crate::engine::settings::Settings::default();
    };
    let (settings, notes) = crate::requests::settings_from_saved(&json);
    if !notes.is_empty() {
        // Saved back as reset, so the note is shown once, not on every start.
        save_settings(&settings);
    }
    SETTINGS_NOTES.with(|n| *n.borrow_mut() = notes);
    settings
}

/// The notes of the last [`saved_settings`], once.
pub fn take_settings_notes() -> Vec<crate::requests::SavedSettingNote> {
    SETTINGS_NOTES.with(|n| std::mem::take(&mut *n.borrow_mut()))
}

/// Saves settings the engine has accepted (never before: a refused value saved would be read
/// again at the next start).
pub fn save_settings(settings: &crate::engine::settings::Settings) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(settings)) {
        let _ = s.set_item(SETTINGS_KEY, &json);
    }
}
