//! What the browser's storage refused ("Keep this data on this device", "Forget all data") and
//! its words in English and Chinese (plain, so tested natively; the storage panel and the banner
//! say them, see `ui::keep`).

use super::words::Lang;

/// Why the browser's storage could not keep, read or remove something. Never fatal: what is
/// loaded stays loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageProblem {
    /// The browser offers no storage here or refuses it (private browsing, storage turned off,
    /// a sandboxed frame); `detail` is its words.
    Unavailable { detail: String },
    /// The browser's storage for this site is full.
    Full,
    /// Another tab of this app holds the stored data open.
    Blocked,
    /// Nothing is stored any more (the browser's site data was cleared).
    Missing,
    /// The kept files could not be read again; `detail` says why.
    Unreadable { detail: String },
    /// Any other refusal; `detail` is the browser's words.
    Failed { detail: String },
}

impl StorageProblem {
    /// Sorts a browser error (a `DOMException`'s or an `Error`'s `name` and `message`).
    pub fn from_browser(name: &str, message: &str) -> Self {
        let detail = if message.is_empty() { name.to_string() } else { format!("{name}: {message}") };
        match name {
            "QuotaExceededError" => StorageProblem::Full,
            // Storage refused outright: an opaque origin, cookies blocked, some private modes.
            "SecurityError" | "InvalidAccessError" | "NotSupportedError" => StorageProblem::Unavailable { detail },
            "NotFoundError" => StorageProblem::Missing,
            _ => StorageProblem::Failed { detail },
        }
    }
}

/// The words for `p` in `lang` (the browser's own words after a colon, when it gave some).
pub fn storage_words(lang: Lang, p: &StorageProblem) -> String {
    let (en, zh, detail) = match p {
        StorageProblem::Unavailable { detail } => (
            "this browser does not allow storing data here (private browsing, or storage turned off?)",
            "此浏览器不允许在此保存数据（是否为无痕模式或已关闭存储？）",
            detail.as_str(),
        ),
        StorageProblem::Full => ("the browser's storage for this site is full", "浏览器为本站提供的存储空间已满", ""),
        StorageProblem::Blocked => (
            "another tab of this app holds the stored data open: close it and try again",
            "本应用的另一个标签页正在使用已保存的数据：请关闭它后重试",
            "",
        ),
        StorageProblem::Missing => ("nothing is stored any more (the browser's site data was cleared?)", "已没有保存的数据（浏览器的网站数据是否已被清除？）", ""),
        StorageProblem::Unreadable { detail } => ("the kept files could not be read again", "无法再次读取保留的文件", detail.as_str()),
        StorageProblem::Failed { detail } => ("the browser's storage refused", "浏览器存储拒绝了操作", detail.as_str()),
    };
    let words = pick(lang, en, zh);
    match (detail.is_empty(), lang) {
        (true, _) => words.to_string(),
        (false, Lang::En) => format!("{words}: {detail}"),
        (false, Lang::ZhCn) => format!("{words}：{detail}"),
    }
}

/// The banner's words when the data set kept on this device could not be brought back at start.
pub fn kept_not_restored_words(lang: Lang, name: &str, why: &StorageProblem) -> String {
    pick(
        lang,
        "the data set kept on this device (%name%) could not be opened again: %why%; the demo is shown instead",
        "无法重新打开保留在本设备上的数据集（%name%）：%why%；已改为显示演示数据",
    )
    .replace("%name%", name)
    .replace("%why%", &storage_words(lang, why))
}

/// A size in bytes as the panel shows it: `850 B`, `12.4 KB`, `3.1 MB` (units of 1,024).
pub fn size_words(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn pick(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::ZhCn => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_errors_are_sorted_by_name() {
        assert_eq!(StorageProblem::from_browser("QuotaExceededError", "full"), StorageProblem::Full);
        assert_eq!(
            StorageProblem::from_browser("SecurityError", "access denied"),
            StorageProblem::Unavailable { detail: "SecurityError: access denied".into() }
        );
        assert_eq!(StorageProblem::from_browser("NotFoundError", "x"), StorageProblem::Missing);
        assert_eq!(StorageProblem::from_browser("UnknownError", ""), StorageProblem::Failed { detail: "UnknownError".into() });
    }

    #[test]
    fn a_kept_data_set_not_restored_names_it_and_why() {
        let words = kept_not_restored_words(Lang::En, "sales.csv", &StorageProblem::Full);
        assert_eq!(words, "the data set kept on this device (sales.csv) could not be opened again: the browser's storage for this site is full; the demo is shown instead");
        let zh = kept_not_restored_words(Lang::ZhCn, "sales.csv", &StorageProblem::Missing);
        assert_eq!(zh, "无法重新打开保留在本设备上的数据集（sales.csv）：已没有保存的数据（浏览器的网站数据是否已被清除？）；已改为显示演示数据");
        let refused = StorageProblem::Unavailable { detail: "SecurityError: denied".into() };
        assert_eq!(storage_words(Lang::En, &refused), "this browser does not allow storing data here (private browsing, or storage turned off?): SecurityError: denied");
        assert_eq!(storage_words(Lang::En, &StorageProblem::Unavailable { detail: String::new() }), "this browser does not allow storing data here (private browsing, or storage turned off?)");
    }

    /// Chinese words carry no English beyond the values put in them, and no placeholder is left.
    #[test]
    fn every_problem_has_words_in_both_languages() {
        let all = [
            StorageProblem::Unavailable { detail: String::new() },
            StorageProblem::Full,
            StorageProblem::Blocked,
            StorageProblem::Missing,
            StorageProblem::Unreadable { detail: String::new() },
            StorageProblem::Failed { detail: String::new() },
        ];
        for p in &all {
            let (en, zh) = (storage_words(Lang::En, p), storage_words(Lang::ZhCn, p));
            assert!(!en.is_empty() && !en.contains('%'), "{p:?}: {en}");
            assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()) && !zh.contains('%'), "{p:?}: {zh}");
        }
    }

    #[test]
    fn sizes_are_in_binary_units_with_one_decimal() {
        assert_eq!(size_words(0), "0 B");
        assert_eq!(size_words(1023), "1023 B");
        assert_eq!(size_words(1024), "1.0 KB");
        assert_eq!(size_words(1536), "1.5 KB");
        assert_eq!(size_words(5 * 1024 * 1024 + 512 * 1024), "5.5 MB");
        assert_eq!(size_words(3 * 1024 * 1024 * 1024), "3.0 GB");
        // 2^64 bytes are 2^24 TB: the largest unit stays.
        assert_eq!(size_words(u64::MAX), "16777216.0 TB");
    }
}
