//! Failures ([`PageFailure`]) in the page's language: the words are plain
//! ([`crate::requests::words`], tested natively); here the page's own helpers add what they
//! already translate (a refused setting by its name, a refused file) and the language is picked.
//! The automation interface rejects with the same words as the banner.

use crate::i18n::Locale;
use crate::protocol::Failure;
use crate::requests::words::{failure_words, Lang};
use crate::requests::PageFailure;

use super::labels::{settings_error_text, I18n};
use super::notes::refusal_text;

/// The words for `f` in the page's language now.
pub fn failure_text(i18n: I18n, f: &PageFailure) -> String {
    let lang = match i18n.get_locale_untracked() {
        Locale::en => Lang::En,
        Locale::zh_CN => Lang::ZhCn,
    };
    failure_words(lang, f, &|f| own_words(i18n, lang, f))
}

/// In Chinese, what the page's helpers translate. English keeps the engine's words: setting
/// keys (scripts set and match them) and the refusal the banner re-translates live
/// (`shell::ErrorBox`). Draft problems wait for the mapping screen's translation to be shared.
fn own_words(i18n: I18n, lang: Lang, f: &PageFailure) -> Option<String> {
    match (lang, f) {
        (Lang::ZhCn, PageFailure::Engine(Failure::Settings(e))) => Some(settings_error_text(i18n, e)),
        (Lang::ZhCn, PageFailure::Engine(Failure::NotData { file, reason })) => Some(refusal_text(i18n, file, reason)),
        _ => None,
    }
}
