//! The words of a [`PageFailure`] in English and Chinese (plain, so tested natively; the page
//! picks the language and supplies the words its own helpers already have, see
//! `ui::failures`).
//!
//! The strings live here rather than in `locales/*.json`: those files belonged to another
//! change when these were written, and leptos_i18n 0.6's `t_string!` with arguments does not
//! compile here anyway. They are `%name%` templates as the rest of the page uses, so they can
//! move to the locale files as they are. The English is exactly what the automation interface
//! rejected with before failures were typed (scripts and the browser tests match on it).

use crate::engine::import::error::{LoadError, TableProblem};
use crate::engine::import::fields::Field;
use crate::protocol::{Doing, Failure};

use super::{Next, PageFailure};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhCn,
}

/// The words for `f` in `lang`. `own` is asked first, for `f` and for any failure inside it:
/// the page answers the ones its helpers translate (a refused setting by its name, a refused
/// file, a mapping problem); `None` leaves them to the words here: the engine's English for
/// those, which the automation interface gives in English (scripts match on setting keys).
pub fn failure_words(lang: Lang, f: &PageFailure, own: &dyn Fn(&PageFailure) -> Option<String>) -> String {
    if let Some(words) = own(f) {
        return words;
    }
    match f {
        PageFailure::Engine(e) => engine_words(lang, e),
        PageFailure::Draft(problem) => problem.text(),
        PageFailure::Cancelled => pick(lang, "cancelled", "已取消").to_string(),
        PageFailure::Stopped { doing, reason, next } => stopped_words(lang, doing.as_ref(), reason, *next),
        PageFailure::NotRestored { why, next } => {
            let after = match next {
                Next::DemoInstead => pick(lang, "the demo is shown instead", "已改为显示演示数据"),
                _ => pick(lang, "nothing is loaded", "当前未加载数据"),
            };
            pick(lang, "the last data set could not be loaded again (%why%); %after%", "无法重新加载上次的数据集（%why%）；%after%")
                .replace("%why%", &failure_words(lang, why, own))
                .replace("%after%", after)
        }
        PageFailure::NoEngine { again: false, detail } => {
            pick(lang, "the analysis engine could not start: %detail%", "分析引擎无法启动：%detail%").replace("%detail%", detail)
        }
        PageFailure::NoEngine { again: true, detail } => {
            pick(lang, "the analysis engine could not start again: %detail%", "分析引擎无法重新启动：%detail%").replace("%detail%", detail)
        }
        PageFailure::UnreadableReply { detail } => {
            pick(lang, "unreadable message from the worker: %detail%", "无法读取分析引擎的消息：%detail%").replace("%detail%", detail)
        }
        PageFailure::ExportFailed { detail } => {
            pick(lang, "the file could not be written: %detail%", "无法生成文件：%detail%").replace("%detail%", detail)
        }
        PageFailure::KeptNotRestored { name, why } => super::keep_words::kept_not_restored_words(lang, name, why),
        PageFailure::Api(failure) => super::api_words::api_failure_words(lang, failure),
    }
}

/// The engine's failure codes in words (a refused setting or file in the engine's English).
fn engine_words(lang: Lang, f: &Failure) -> String {
    match f {
        Failure::NoData => pick(lang, "no data is loaded", "尚未加载数据").to_string(),
        Failure::NoFiles => pick(lang, "no files to read: choose them again", "没有可读取的文件：请重新选择").to_string(),
        Failure::Settings(e) => e.to_string(),
        Failure::NotData { file, reason } => reason.message(file),
        Failure::Import(e) => load_error_words(lang, e, None),
        Failure::BadMessage { detail } => {
            pick(lang, "the worker got a request it does not understand: %detail%", "分析引擎收到了无法理解的请求：%detail%").replace("%detail%", detail)
        }
        Failure::Unencodable { detail } => pick(lang, "could not encode the result: %detail%", "无法编码结果：%detail%").replace("%detail%", detail),
        Failure::Filter(e) => filter_words(lang, e),
    }
}

/// Why reading stopped, in words. `field` names a field in the page's words; without it, English
/// is the engine's own (what scripts see) and other languages name fields by their keys.
pub fn load_error_words(lang: Lang, e: &LoadError, field: Option<&dyn Fn(Field) -> String>) -> String {
    let Some(field) = field else {
        if lang == Lang::En {
            return e.to_string();
        }
        return load_error_words(lang, e, Some(&|f: Field| f.label().to_string()));
    };
    let (template, file, value) = match e {
        LoadError::NoTable => (pick(lang, "nothing to read: no table was chosen", "没有可读取的内容：未选择任何表"), "", String::new()),
        LoadError::Unmapped { table, field: f } => (pick(lang, "%file%: no column is mapped to “%value%”", "%file%：没有列对应“%value%”"), table.as_str(), field(*f)),
        LoadError::Read { file, detail } => (pick(lang, "%file%: could not be read (%value%)", "%file%：无法读取（%value%）"), file.as_str(), detail.clone()),
        LoadError::Unreadable { file, problem } => (pick(lang, "%file%: %value%", "%file%：%value%"), file.as_str(), table_problem_words(lang, problem)),
        LoadError::TableGone { table } => (pick(lang, "%file%: the table is no longer in the file", "%file%：文件中已没有这张表"), table.as_str(), String::new()),
        LoadError::Empty { file } => (pick(lang, "%file%: the file is empty", "%file%：文件是空的"), file.as_str(), String::new()),
        LoadError::NotWhole { file } => (pick(lang, "%file%: a workbook must be read whole", "%file%：工作簿须整份读取"), file.as_str(), String::new()),
        LoadError::SummaryWithTransactions { summary, transactions } => (
            pick(lang, "%file% is a member summary and %value% holds transactions: load either transactions or a summary", "%file% 是会员汇总，%value% 是交易流水：请只加载交易流水或会员汇总其中之一"),
            summary.as_str(),
            transactions.clone(),
        ),
        LoadError::MonthlyWithoutSummary { table } => {
            (pick(lang, "%file%: monthly aggregates need the member summary they go with", "%file%：月度汇总需要与之配套的会员汇总文件"), table.as_str(), String::new())
        }
    };
    template.replace("%file%", file).replace("%value%", &value)
}

/// Why a workbook or JSON document cannot be read as tables, in words.
fn table_problem_words(lang: Lang, p: &TableProblem) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    match p {
        TableProblem::NotAWorkbook { detail } => format!("不是可读取的 Excel 工作簿（{detail}）"),
        TableProblem::BadSheet { sheet, detail } => format!("工作表 {sheet}：{detail}"),
        TableProblem::TooManyCells { sheet: Some(sheet), max } => format!("工作表 {sheet} 超过 {max} 个单元格"),
        TableProblem::TooManyCells { sheet: None, max } => format!("有工作表超过 {max} 个单元格"),
        TableProblem::ImpossibleDimensions { rows, columns } => format!("工作表声明了 {rows} 行 × {columns} 列，超出 .xls 的上限"),
        TableProblem::NoSheets => "工作簿中没有工作表".to_string(),
        TableProblem::NotJson { detail } => format!("不是有效的 JSON：{detail}"),
        TableProblem::NotAnObject { item, array } => format!("{} 的第 {item} 项不是对象", array.as_deref().unwrap_or("数组")),
        TableProblem::NotAnArray { key } => format!("“{key}”不是数组"),
        TableProblem::NoRecords => "应为对象数组，或含 members 和/或 transactions 数组的对象".to_string(),
    }
}

/// `the analysis engine stopped while reading a.csv: <reason>; the last data set was restored`.
fn stopped_words(lang: Lang, doing: Option<&Doing>, reason: &str, next: Next) -> String {
    let after = match next {
        Next::Restored => pick(lang, "the last data set was restored", "已恢复上次的数据集"),
        Next::DemoInstead => pick(
            lang,
            "bringing back the last data set stopped it again, so the demo is shown instead",
            "恢复上次的数据集时再次停止，已改为显示演示数据",
        ),
        Next::Nothing => pick(
            lang,
            "it stopped again with the demo, so nothing is loaded: load a file to go on",
            "加载演示数据时再次停止，当前未加载数据：请加载文件继续",
        ),
        Next::GiveUp => pick(lang, "it could not start again: reload the page", "无法重新启动：请刷新页面"),
    };
    let template = match doing {
        Some(_) => pick(lang, "the analysis engine stopped while %doing%: %reason%; %after%", "分析引擎在%doing%时停止：%reason%；%after%"),
        None => pick(lang, "the analysis engine stopped: %reason%; %after%", "分析引擎停止：%reason%；%after%"),
    };
    let doing = doing.map(|d| doing_words(lang, d)).unwrap_or_default();
    template.replace("%doing%", &doing).replace("%reason%", reason).replace("%after%", after)
}

/// A filter the engine cannot run, naming the condition (counted from 1) and its field.
fn filter_words(lang: Lang, e: &crate::engine::members::FilterError) -> String {
    use crate::engine::members::{FilterField as F, FilterProblem as P};
    let field = match e.field {
        F::Min => "min",
        F::Max => "max",
        F::From => "from",
        F::To => "to",
        F::NotSince => "not_since",
        F::Month => "month",
    };
    let problem = match e.problem {
        P::NotADate => pick(lang, "is not a date YYYY-MM-DD in 1900–2100", "不是 1900–2100 年间的日期（YYYY-MM-DD）"),
        P::NotAMonth => pick(lang, "is not a month YYYY-MM in 1900–2100", "不是 1900–2100 年间的月份（YYYY-MM）"),
        P::NotFinite => pick(lang, "is not a number", "不是数字"),
    };
    pick(lang, "filter condition %n%: \"%field%\" %problem%", "筛选条件 %n%：“%field%”%problem%")
        .replace("%n%", &(e.condition + 1).to_string())
        .replace("%field%", field)
        .replace("%problem%", problem)
}

/// What the engine was doing, as a phrase (`reading a.csv`).
pub fn doing_words(lang: Lang, d: &Doing) -> String {
    let (en, zh, value) = match d {
        Doing::LoadingDemo => ("loading the demo", "加载演示数据", String::new()),
        Doing::Inspecting { names } => ("looking at %value%", "查看 %value% ", names.join(", ")),
        Doing::Reading { name } => ("reading %value%", "读取 %value% ", name.clone()),
        Doing::Recomputing => ("recomputing with new settings", "按新设置重新计算", String::new()),
        Doing::ListingMembers => ("listing members", "列出会员", String::new()),
        Doing::CountingWorkLists => ("counting the work lists", "统计工作清单", String::new()),
        Doing::Exporting => ("writing an export", "生成导出文件", String::new()),
        Doing::OpeningMember { id } => ("opening member %value%", "打开会员 %value% ", id.clone()),
        Doing::TimingFit => ("timing a model fit", "测定模型拟合耗时", String::new()),
        Doing::StoppingOnRequest => ("stopping on request (a test)", "按请求停止（测试）", String::new()),
    };
    pick(lang, en, zh).replace("%value%", &value)
}

pub(super) fn pick(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::ZhCn => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::import::refuse::NotData;
    use crate::engine::settings::SettingsError;

    fn none(_: &PageFailure) -> Option<String> {
        None
    }

    fn en(f: &PageFailure) -> String {
        failure_words(Lang::En, f, &none)
    }

    /// Load errors: the engine's English for scripts; the page's field names and Chinese for people.
    #[test]
    fn load_errors_in_words() {
        let e = LoadError::Unmapped { table: "wrong.csv".into(), field: Field::MemberId };
        assert_eq!(load_error_words(Lang::En, &e, None), "wrong.csv: no column is mapped to member id");
        let label = |f: Field| if f == Field::MemberId { "会员号".to_string() } else { String::new() };
        assert_eq!(load_error_words(Lang::ZhCn, &e, Some(&label)), "wrong.csv：没有列对应“会员号”");
        let broken = LoadError::Unreadable { file: "a.json".into(), problem: TableProblem::NotAnObject { item: 2, array: Some("members".into()) } };
        assert_eq!(load_error_words(Lang::En, &broken, None), "a.json: item 2 of members is not an object");
        assert_eq!(load_error_words(Lang::ZhCn, &broken, None), "a.json：members 的第 2 项不是对象");
        // Nothing English is left in the Chinese words but the file's own name and the keys.
        for e in [LoadError::NoTable, LoadError::Empty { file: "x".into() }, LoadError::TableGone { table: "x".into() }] {
            let zh = load_error_words(Lang::ZhCn, &e, None);
            assert!(!zh.chars().any(|c| c.is_ascii_alphabetic() && c != 'x'), "{zh}");
        }
    }

    /// The words the automation interface rejected with before, which scripts match on.
    #[test]
    fn english_is_what_scripts_saw_before() {
        let crash = PageFailure::Stopped { doing: Some(Doing::StoppingOnRequest), reason: "RuntimeError: unreachable".into(), next: Next::Restored };
        assert_eq!(
            en(&crash),
            "the analysis engine stopped while stopping on request (a test): RuntimeError: unreachable; the last data set was restored"
        );
        assert_eq!(en(&PageFailure::Cancelled), "cancelled");
        assert_eq!(en(&PageFailure::Engine(Failure::NoFiles)), "no files to read: choose them again");
        assert_eq!(en(&PageFailure::Engine(Failure::NoData)), "no data is loaded");
        let bad_filter = crate::engine::members::FilterError {
            condition: 1,
            field: crate::engine::members::FilterField::From,
            problem: crate::engine::members::FilterProblem::NotADate,
        };
        assert_eq!(en(&PageFailure::Engine(Failure::Filter(bad_filter))), r#"filter condition 2: "from" is not a date YYYY-MM-DD in 1900–2100"#);
        assert_eq!(en(&PageFailure::ExportFailed { detail: "disk full".into() }), "the file could not be written: disk full");
        let refused = PageFailure::Engine(Failure::NotData { file: "photo.csv".into(), reason: NotData::Format { format: "PNG image".into() } });
        assert_eq!(en(&refused), "photo.csv: this is a PNG image, not a table of data");
        let setting = SettingsError::OutOfRange { key: "sleeping_days".into(), min: 1.0, max: 36500.0 };
        assert_eq!(en(&PageFailure::Engine(Failure::Settings(setting.clone()))), setting.to_string());
        let gone = PageFailure::NotRestored { why: Box::new(PageFailure::Engine(Failure::Import(LoadError::TableGone { table: "f.csv".into() }))), next: Next::DemoInstead };
        assert_eq!(en(&gone), "the last data set could not be loaded again (f.csv: the table is no longer in the file); the demo is shown instead");
    }

    #[test]
    fn a_stop_names_what_the_engine_was_doing_and_what_comes_next() {
        let stop = |doing, next| en(&PageFailure::Stopped { doing, reason: "x".into(), next });
        assert_eq!(stop(Some(Doing::Reading { name: "a.csv".into() }), Next::GiveUp), "the analysis engine stopped while reading a.csv: x; it could not start again: reload the page");
        assert_eq!(stop(None, Next::Nothing), "the analysis engine stopped: x; it stopped again with the demo, so nothing is loaded: load a file to go on");
        assert_eq!(doing_words(Lang::En, &Doing::Inspecting { names: vec!["a.csv".into(), "b.xlsx".into()] }), "looking at a.csv, b.xlsx");
        assert_eq!(doing_words(Lang::ZhCn, &Doing::Reading { name: "a.csv".into() }), "读取 a.csv ");
    }

    /// Chinese words carry no English beyond the values put in them.
    #[test]
    fn chinese_has_no_english_words_of_its_own() {
        let all = [
            PageFailure::Cancelled,
            PageFailure::Engine(Failure::NoData),
            PageFailure::Engine(Failure::NoFiles),
            PageFailure::Engine(Failure::BadMessage { detail: String::new() }),
            PageFailure::Engine(Failure::Unencodable { detail: String::new() }),
            PageFailure::NoEngine { again: true, detail: String::new() },
            PageFailure::NoEngine { again: false, detail: String::new() },
            PageFailure::UnreadableReply { detail: String::new() },
            PageFailure::Stopped { doing: Some(Doing::Recomputing), reason: String::new(), next: Next::DemoInstead },
            PageFailure::Stopped { doing: None, reason: String::new(), next: Next::Restored },
            PageFailure::NotRestored { why: Box::new(PageFailure::Cancelled), next: Next::Nothing },
            PageFailure::KeptNotRestored { name: String::new(), why: super::super::keep_words::StorageProblem::Full },
        ];
        for f in &all {
            let words = failure_words(Lang::ZhCn, f, &none);
            assert!(!words.is_empty() && !words.chars().any(|c| c.is_ascii_alphabetic()), "{f:?}: {words}");
            assert!(!words.contains('%'), "a placeholder left: {words}");
        }
    }

    /// The page's own words win, also for a failure inside another.
    #[test]
    fn the_page_words_its_own_failures_inside_others_too() {
        let own = |f: &PageFailure| matches!(f, PageFailure::Engine(Failure::NotData { .. })).then(|| "照片".to_string());
        let refused = PageFailure::Engine(Failure::NotData { file: "p.csv".into(), reason: NotData::Binary });
        assert_eq!(failure_words(Lang::ZhCn, &refused, &own), "照片");
        let gone = PageFailure::NotRestored { why: Box::new(refused), next: Next::DemoInstead };
        assert_eq!(failure_words(Lang::ZhCn, &gone, &own), "无法重新加载上次的数据集（照片）；已改为显示演示数据");
    }
}
