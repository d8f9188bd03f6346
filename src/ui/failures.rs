//! Failures ([`PageFailure`]) in the page's language, said when they are shown (the page keeps
//! the failure, not its words, so a change of language says it again): the words are plain
//! ([`crate::requests::words`], tested natively); here the page's own helpers add what they
//! already translate (a refused setting by its name, a refused file, a mapping problem) and the
//! language is picked.

use crate::i18n::Locale;
use crate::protocol::Failure;
use crate::requests::words::{failure_words, load_error_words, Lang};
use crate::requests::PageFailure;

use super::labels::{settings_error_text, I18n};
use super::mapping::{draft_problem_text, field_label};
use super::notes::refusal_text;

/// Who reads the words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// The banner.
    Person,
    /// The automation interface: a Promise's rejection and `report().error`.
    Script,
}

/// What the banner says about `f`, in the page's language now (read tracked, so a view that
/// shows it follows a change of language).
pub fn failure_text(i18n: I18n, f: &PageFailure) -> String {
    words_for(i18n, f, Reader::Person)
}

/// What the automation interface says about `f`: in English the engine's words, which scripts
/// match on and the README documents (a setting by its key, `wrong.csv: no column is mapped to
/// member id`); in Chinese the banner's.
pub fn script_text(i18n: I18n, f: &PageFailure) -> String {
    words_for(i18n, f, Reader::Script)
}

fn words_for(i18n: I18n, f: &PageFailure, reader: Reader) -> String {
    let lang = match i18n.get_locale() {
        Locale::en => Lang::En,
        Locale::zh_CN => Lang::ZhCn,
    };
    let engine_english = reader == Reader::Script && lang == Lang::En;
    failure_words(lang, f, &|f| if engine_english { None } else { own_words(i18n, lang, f) })
}

/// What the page's helpers translate (also inside another failure: a restore that failed).
fn own_words(i18n: I18n, lang: Lang, f: &PageFailure) -> Option<String> {
    match f {
        PageFailure::Engine(Failure::Import(e)) => Some(load_error_words(lang, e, Some(&|field| field_label(i18n, field)))),
        PageFailure::Engine(Failure::Settings(e)) => Some(settings_error_text(i18n, e)),
        PageFailure::Engine(Failure::NotData { file, reason }) => Some(refusal_text(i18n, file, reason)),
        PageFailure::Draft(problem) => Some(draft_problem_text(i18n, problem)),
        _ => None,
    }
}
