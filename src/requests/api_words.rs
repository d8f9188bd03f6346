//! The words of an [`ApiFailure`] in English and Chinese: what happened and what to do about it,
//! for the person at the page and for the integrator who reads it (which header their server
//! must send). Plain, tested natively.

use crate::engine::api::{ApiFailure, Endpoint, PageProblem};

use super::words::{pick, Lang};

fn endpoint_words(lang: Lang, e: Endpoint) -> &'static str {
    match e {
        Endpoint::Members => pick(lang, "members", "会员"),
        Endpoint::Transactions => pick(lang, "transactions", "消费记录"),
    }
}

fn page_problem_words(lang: Lang, p: &PageProblem) -> String {
    match p {
        PageProblem::NotJson { line, column } => pick(lang, "it is not JSON (stopped at line %line%, column %column%)", "不是 JSON（在第 %line% 行第 %column% 列处中断）")
            .replace("%line%", &line.to_string())
            .replace("%column%", &column.to_string()),
        PageProblem::NoRecords => pick(
            lang,
            "it has no list of records (expected an array, or one under \"data\", \"items\", \"records\" or \"results\")",
            "其中没有记录列表（应为数组，或位于 \"data\"、\"items\"、\"records\"、\"results\" 之下）",
        )
        .to_string(),
        PageProblem::NotAnObject { record } => pick(lang, "record %n% is not an object", "第 %n% 条记录不是对象").replace("%n%", &record.to_string()),
        PageProblem::NotCents { record, field } => pick(lang, "record %n%: \"%field%\" is not a whole number of cents", "第 %n% 条记录：\"%field%\" 不是整数分")
            .replace("%n%", &record.to_string())
            .replace("%field%", field),
        PageProblem::TooManyRecords { records } => pick(lang, "it has %n% records, more than one page may hold", "一页有 %n% 条记录，超过单页上限")
            .replace("%n%", &records.to_string()),
        PageProblem::BadNext => pick(lang, "its \"next\" is not an address", "其中的 \"next\" 不是地址").to_string(),
    }
}

/// The server's own words, quoted after ours.
fn server_says(lang: Lang, detail: &Option<String>) -> String {
    match detail {
        Some(d) if !d.trim().is_empty() => pick(lang, " (the server says: “%d%”)", "（服务器说明：“%d%”）").replace("%d%", d.trim()),
        _ => String::new(),
    }
}

/// What the page says when loading from an API failed.
pub fn api_failure_words(lang: Lang, f: &ApiFailure) -> String {
    match f {
        ApiFailure::BadAddress { address } => pick(lang, "\"%url%\" is not an http(s) address", "“%url%” 不是 http(s) 地址").replace("%url%", address),
        ApiFailure::NeedsSignIn { url } => pick(
            lang,
            "the API wants a sign-in (401) at %url%: enter a token under Data → Load from an API (or let the portal hand one in), or choose the portal's cookie",
            "接口要求登录（401）：%url%。请在“数据 → 从接口加载”中填写令牌（或由门户传入），或选择门户的 Cookie",
        )
        .replace("%url%", url),
        ApiFailure::Unauthorized { url } => pick(
            lang,
            "the API refused the credentials (401) at %url%, also with a fresh token: sign in again or ask for a new token",
            "接口拒绝了凭据（401）：%url%；换用新令牌后仍被拒绝。请重新登录或申请新令牌",
        )
        .replace("%url%", url),
        ApiFailure::Forbidden { url, detail } => {
            pick(lang, "the API does not allow this account to read %url% (403)", "接口不允许当前账号读取 %url%（403）").replace("%url%", url) + &server_says(lang, detail)
        }
        ApiFailure::NotFound { url } => pick(lang, "there is nothing at %url% (404): check the API address", "%url% 不存在（404）：请检查接口地址").replace("%url%", url),
        ApiFailure::Status { url, status, detail } => {
            let words = if *status >= 500 {
                pick(lang, "the API had a problem (%status%) at %url%: try again later", "接口出错（%status%）：%url%，请稍后重试")
            } else {
                pick(lang, "the API answered %status% at %url%", "接口在 %url% 返回了 %status%")
            };
            words.replace("%status%", &status.to_string()).replace("%url%", url) + &server_says(lang, detail)
        }
        ApiFailure::Cors { url, origin } => pick(
            lang,
            "the server at %url% answered but did not let this page (%origin%) read it (CORS). It must send Access-Control-Allow-Origin: %origin%, Access-Control-Allow-Headers: Authorization, Access-Control-Expose-Headers: Link (and Access-Control-Allow-Credentials: true when cookies are used)",
            "%url% 的服务器有响应，但不允许本页（%origin%）读取（CORS）。服务器须发送 Access-Control-Allow-Origin: %origin%、Access-Control-Allow-Headers: Authorization、Access-Control-Expose-Headers: Link（使用 Cookie 时还需 Access-Control-Allow-Credentials: true）",
        )
        .replace("%url%", url)
        .replace("%origin%", origin),
        ApiFailure::BlockedByPolicy { url } => pick(
            lang,
            "this page's Content-Security-Policy does not allow connecting to %url%: add the API's origin to connect-src (scripts/configure-csp.mjs)",
            "本页的内容安全策略（CSP）不允许连接 %url%：请把接口的源加入 connect-src（scripts/configure-csp.mjs）",
        )
        .replace("%url%", url),
        ApiFailure::Unreachable { url } => pick(lang, "no answer from %url%: check the address and the network", "%url% 没有响应：请检查地址和网络").replace("%url%", url),
        ApiFailure::Timeout { url, seconds } => pick(lang, "%url% did not answer within %s% seconds", "%url% 在 %s% 秒内没有响应")
            .replace("%url%", url)
            .replace("%s%", &seconds.to_string()),
        ApiFailure::Malformed { url, endpoint, page, problem } => pick(lang, "page %page% of %what% (%url%) cannot be read: %problem%", "%what%第 %page% 页（%url%）无法读取：%problem%")
            .replace("%page%", &page.to_string())
            .replace("%what%", endpoint_words(lang, *endpoint))
            .replace("%url%", url)
            .replace("%problem%", &page_problem_words(lang, problem)),
        ApiFailure::PagingLoops { url, endpoint } => pick(lang, "the API's %what% lead back to a page already read (%url%): its paging never ends", "接口的%what%分页回到了已读过的页（%url%），分页不会结束")
            .replace("%what%", endpoint_words(lang, *endpoint))
            .replace("%url%", url),
        ApiFailure::TooManyPages { endpoint } => pick(lang, "the API's %what% never ended (over 100,000 pages)", "接口的%what%没有尽头（超过 100,000 页）")
            .replace("%what%", endpoint_words(lang, *endpoint)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cors_refusal_names_the_headers_the_server_must_send() {
        let f = ApiFailure::Cors { url: "https://api.example/t".into(), origin: "https://app.example".into() };
        let en = api_failure_words(Lang::En, &f);
        for needed in ["Access-Control-Allow-Origin: https://app.example", "Access-Control-Expose-Headers: Link", "Access-Control-Allow-Headers: Authorization"] {
            assert!(en.contains(needed), "{en}");
        }
        assert!(api_failure_words(Lang::ZhCn, &f).contains("Access-Control-Expose-Headers: Link"));
    }

    #[test]
    fn a_malformed_page_names_the_page_and_the_record() {
        let f = ApiFailure::Malformed {
            url: "/api/transactions?cursor=x".into(),
            endpoint: Endpoint::Transactions,
            page: 2,
            problem: PageProblem::NotAnObject { record: 3 },
        };
        assert_eq!(api_failure_words(Lang::En, &f), "page 2 of transactions (/api/transactions?cursor=x) cannot be read: record 3 is not an object");
        assert_eq!(api_failure_words(Lang::ZhCn, &f), "消费记录第 2 页（/api/transactions?cursor=x）无法读取：第 3 条记录不是对象");
    }

    #[test]
    fn a_server_error_says_try_later_and_quotes_the_server() {
        let f = ApiFailure::Status { url: "/api/members".into(), status: 503, detail: Some("down for maintenance".into()) };
        assert_eq!(api_failure_words(Lang::En, &f), "the API had a problem (503) at /api/members: try again later (the server says: “down for maintenance”)");
        let f = ApiFailure::NeedsSignIn { url: "/api/members".into() };
        assert!(api_failure_words(Lang::En, &f).starts_with("the API wants a sign-in (401)"));
    }

    #[test]
    fn no_placeholder_is_left_in_any_words() {
        let url = || "u".to_string();
        let all = [
            ApiFailure::BadAddress { address: url() },
            ApiFailure::Unauthorized { url: url() },
            ApiFailure::NeedsSignIn { url: url() },
            ApiFailure::Forbidden { url: url(), detail: None },
            ApiFailure::Forbidden { url: url(), detail: Some("no".into()) },
            ApiFailure::NotFound { url: url() },
            ApiFailure::Status { url: url(), status: 500, detail: Some("down for maintenance".into()) },
            ApiFailure::Status { url: url(), status: 418, detail: None },
            ApiFailure::Cors { url: url(), origin: url() },
            ApiFailure::BlockedByPolicy { url: url() },
            ApiFailure::Unreachable { url: url() },
            ApiFailure::Timeout { url: url(), seconds: 30 },
            ApiFailure::TooManyPages { endpoint: Endpoint::Members },
            ApiFailure::PagingLoops { url: url(), endpoint: Endpoint::Transactions },
            ApiFailure::Malformed { url: url(), endpoint: Endpoint::Members, page: 1, problem: PageProblem::NotJson { line: 1, column: 2 } },
            ApiFailure::Malformed { url: url(), endpoint: Endpoint::Members, page: 1, problem: PageProblem::NoRecords },
            ApiFailure::Malformed { url: url(), endpoint: Endpoint::Members, page: 1, problem: PageProblem::NotCents { record: 1, field: "a".into() } },
            ApiFailure::Malformed { url: url(), endpoint: Endpoint::Members, page: 1, problem: PageProblem::TooManyRecords { records: 1 } },
            ApiFailure::Malformed { url: url(), endpoint: Endpoint::Members, page: 1, problem: PageProblem::BadNext },
        ];
        for f in &all {
            for lang in [Lang::En, Lang::ZhCn] {
                let w = api_failure_words(lang, f);
                assert!(!w.contains('%'), "{w}");
            }
        }
    }
}
