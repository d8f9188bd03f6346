//! Failures ([`PageFailure`], with the engine's [`Failure`] codes inside) in the page's
//! language. The automation interface rejects with the same words as the banner, so scripts
//! (and the browser tests) see the English below exactly as before the failures were typed.
//!
//! The strings are a Rust match on the locale, not entries of `locales/*.json`: those files
//! were being reworked by another change when these were written, and leptos_i18n 0.6's
//! `t_string!` with arguments does not compile here anyway. The templates use `%name%`
//! placeholders as the rest of the page does, so they can move to the locale files as they are.

use crate::engine::import::refuse::NotData;
use crate::i18n::Locale;
use crate::protocol::{Doing, Failure};
use crate::requests::{Next, PageFailure};

use super::labels::{settings_error_text, I18n};
use super::notes::refusal_text;

/// The words for `f` in the page's language now.
pub fn failure_text(i18n: I18n, f: &PageFailure) -> String {
    let locale = i18n.get_locale_untracked();
    match f {
        PageFailure::Engine(e) => engine_text(i18n, e),
        // Until the mapping screen's translation of a draft problem is shared, its English words.
        PageFailure::Draft(problem) => problem.text(),
        PageFailure::Cancelled => pick(locale, "cancelled", "已取消").to_string(),
        PageFailure::Stopped { doing, reason, next } => stopped_text(locale, doing.as_ref(), reason, *next),
        PageFailure::NotRestored { why, next } => {
            let after = match next {
                Next::DemoInstead => pick(locale, "the demo is shown instead", "已改为显示演示数据"),
                _ => pick(locale, "nothing is loaded", "当前未加载数据"),
            };
            pick(locale, "the last data set could not be loaded again (%why%); %after%", "无法重新加载上次的数据集（%why%）；%after%")
                .replace("%why%", &failure_text(i18n, why))
                .replace("%after%", after)
        }
        PageFailure::NoEngine { again, detail } => {
            let template = match again {
                false => pick(locale, "the analysis engine could not start: %detail%", "分析引擎无法启动：%detail%"),
                true => pick(locale, "the analysis engine could not start again: %detail%", "分析引擎无法重新启动：%detail%"),
            };
            template.replace("%detail%", detail)
        }
        PageFailure::UnreadableReply { detail } => {
            pick(locale, "unreadable message from the worker: %detail%", "无法读取分析引擎的消息：%detail%").replace("%detail%", detail)
        }
    }
}

/// The engine's failure codes in words.
fn engine_text(i18n: I18n, f: &Failure) -> String {
    let locale = i18n.get_locale_untracked();
    match f {
        Failure::NoData => pick(locale, "no data is loaded", "尚未加载数据").to_string(),
        Failure::NoFiles => pick(locale, "no files to read: choose them again", "没有可读取的文件：请重新选择").to_string(),
        Failure::Settings(e) => match locale {
            // English names the keys, as scripts that set them do (and match on them).
            Locale::en => e.to_string(),
            Locale::zh_CN => settings_error_text(i18n, e),
        },
        Failure::NotData { file, reason } => refusal(i18n, file, reason),
        // The import's own words until its errors are typed.
        Failure::Import { message } => message.clone(),
        Failure::BadMessage { detail } => {
            pick(locale, "the worker got a request it does not understand: %detail%", "分析引擎收到了无法理解的请求：%detail%").replace("%detail%", detail)
        }
        Failure::Unencodable { detail } => pick(locale, "could not encode the result: %detail%", "无法编码结果：%detail%").replace("%detail%", detail),
    }
}

/// A refusal: English as `NotData::message` (the banner translates it live while it is shown,
/// see `shell::ErrorBox`), other languages by the page's refusal words.
fn refusal(i18n: I18n, file: &str, reason: &NotData) -> String {
    match i18n.get_locale_untracked() {
        Locale::en => reason.message(file),
        Locale::zh_CN => refusal_text(i18n, file, reason),
    }
}

/// `the analysis engine stopped while reading a.csv: <reason>; the last data set was restored`.
fn stopped_text(locale: Locale, doing: Option<&Doing>, reason: &str, next: Next) -> String {
    let after = match next {
        Next::Restored => pick(locale, "the last data set was restored", "已恢复上次的数据集"),
        Next::DemoInstead => pick(
            locale,
            "bringing back the last data set stopped it again, so the demo is shown instead",
            "恢复上次的数据集时再次停止，已改为显示演示数据",
        ),
        Next::Nothing => pick(
            locale,
            "it stopped again with the demo, so nothing is loaded: load a file to go on",
            "加载演示数据时再次停止，当前未加载数据：请加载文件继续",
        ),
        Next::GiveUp => pick(locale, "it could not start again: reload the page", "无法重新启动：请刷新页面"),
    };
    let template = match doing {
        Some(_) => pick(locale, "the analysis engine stopped while %doing%: %reason%; %after%", "分析引擎在%doing%时停止：%reason%；%after%"),
        None => pick(locale, "the analysis engine stopped: %reason%; %after%", "分析引擎停止：%reason%；%after%"),
    };
    let doing = doing.map(|d| doing_text(locale, d)).unwrap_or_default();
    template.replace("%doing%", &doing).replace("%reason%", reason).replace("%after%", after)
}

/// What the engine was doing, as a phrase (`reading a.csv`).
pub fn doing_text(locale: Locale, d: &Doing) -> String {
    let (en, zh, value) = match d {
        Doing::LoadingDemo => ("loading the demo", "加载演示数据", String::new()),
        Doing::Inspecting { names } => ("looking at %value%", "查看 %value%", names.join(", ")),
        Doing::Reading { name } => ("reading %value%", "读取 %value% ", name.clone()),
        Doing::Recomputing => ("recomputing with new settings", "按新设置重新计算", String::new()),
        Doing::ListingMembers => ("listing members", "列出会员", String::new()),
        Doing::OpeningMember { id } => ("opening member %value%", "打开会员 %value% ", id.clone()),
        Doing::TimingFit => ("timing a model fit", "测定模型拟合耗时", String::new()),
        Doing::StoppingOnRequest => ("stopping on request (a test)", "按请求停止（测试）", String::new()),
    };
    pick(locale, en, zh).replace("%value%", &value)
}

fn pick(locale: Locale, en: &'static str, zh: &'static str) -> &'static str {
    match locale {
        Locale::en => en,
        Locale::zh_CN => zh,
    }
}
