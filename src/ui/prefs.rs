//! Preferences kept in the browser (language, theme) and applied to the document.

use crate::i18n::Locale;

const LANGUAGE_KEY: &str = "member-dashboard.language";
const THEME_KEY: &str = "member-dashboard.theme";

fn storage() -> Option<web_sys::Storage> {
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
