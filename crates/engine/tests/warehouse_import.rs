//! A warehouse's member summary and monthly aggregates (sql/) through the import: recognised by
//! their headers, read into `Dataset::precomputed` exactly, joined to a members file by id, and
//! every bad cell reported with its row, column and value. Expected figures are written by hand
//! from the rows each test writes.

use member_engine::dates::{day_from_ymd, Day, MonthKey};
use member_engine::import::error::LoadError;
use member_engine::import::fields::{Field, Role};
use member_engine::import::load::{inspect_files, load, InspectError, MemoryFiles};
use member_engine::import::refuse::NotData;
use member_engine::import::plan::{inspect, DraftProblem, ImportDraft};
use member_engine::import::report::{FileReport, Problem, Reason};
use member_engine::model::Dataset;
use member_engine::summary::{MemberSummary, NO_DAY};
use member_engine::warehouse::{MonthlyAggregates, Store12m};
use proptest::prelude::*;

#[path = "common/fixtures.rs"]
mod fixtures;
use fixtures::gbk;

/// The header of sql/member_summary.sql's output, derived columns included.
const SUMMARY_HEADER: &str = "member_id,analysis_date,first_purchase,last_purchase,purchase_days,orders,orders_12m,orders_6m,\
gross_spend,net_spend,promo_spend,spend_12m,first_day_spend,longest_gap_days,avg_ticket,max_ticket,recency_days,tenure_days,\
mean_gap_days,promo_share,x,t_x,T,mean_repeat_spend";

/// The same columns as a translated export names them (without the derived ones).
const SUMMARY_HEADER_ZH: &str = "会员卡号,分析日期,首次消费日期,最近消费日期,消费天数,订单数,近12个月订单数,近6个月订单数,消费总额,净消费额,优惠消费额,近12个月消费额,首日消费额,最长间隔天数";

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

/// Inspects the files, takes the proposed plans and loads them; the draft's problems when it
/// cannot be loaded.
fn load_files(files: Vec<(&str, Vec<u8>)>) -> Result<(Dataset, Vec<FileReport>), Vec<DraftProblem>> {
    let mut source = MemoryFiles(files.into_iter().map(|(n, b)| (n.to_string(), b)).collect());
    let draft = ImportDraft::new(inspect_files(&mut source).expect("inspect"));
    let problems = draft.draft_problems();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(load("t", &draft.chosen_plans(), &mut source, &mut |_, _| {}).expect("load"))
}

fn load_summary(text: &str) -> (Dataset, FileReport) {
    let (ds, mut reports) = load_files(vec![("summary.csv", text.as_bytes().to_vec())]).expect("no draft problems");
    (ds, reports.remove(0))
}

/// A summary row of the contract's 14 columns (the derived ones left empty).
#[allow(clippy::too_many_arguments)]
fn summary_line(cells: [&str; 14]) -> String {
    format!("{},,,,,,,,,,", cells.join(","))
}

/// (member id, summary) of each member of a data set with precomputed summaries.
fn summaries(ds: &Dataset) -> Vec<(String, MemberSummary)> {
    let pre = ds.precomputed.as_ref().expect("precomputed");
    assert_eq!(pre.members.len(), ds.members.len(), "indexed like the members");
    ds.members.ids().map(str::to_string).zip(pre.members.iter().copied()).collect()
}

const FOUR_MEMBERS: [[&str; 14]; 4] = [
    // A repeat buyer: three purchase days, four orders, a discount, a refund.
    ["A1", "2024-06-30", "2023-01-10", "2024-06-01", "3", "4", "2", "1", "400.00", "350.50", "50.00", "150.25", "100.00", "300"],
    // A member with a row but no purchase (a top-up only).
    ["A2", "2024-06-30", "", "", "0", "0", "0", "0", "0.00", "0.00", "0.00", "0.00", "0.00", ""],
    // A one-time buyer.
    ["A3", "2024-06-30", "2024-05-01", "2024-05-01", "1", "1", "1", "1", "88.00", "88.00", "0.00", "88.00", "88.00", ""],
    // Refunds only: no purchase, net spend below zero (NULLs as a warehouse writes them).
    ["A4", "2024-06-30", "NULL", "NULL", "0", "0", "0", "0", "0.00", "-20.00", "0.00", "-20.00", "0.00", "NULL"],
];

fn four_members_expected() -> Vec<(String, MemberSummary)> {
    let none = MemberSummary::default();
    vec![
        (
            "A1".into(),
            MemberSummary {
                first: day(2023, 1, 10),
                last: day(2024, 6, 1),
                start: day(2023, 1, 10),
                longest_gap: 300,
                purchase_days: 3,
                orders: 4,
                orders_12m: 2,
                orders_6m: 1,
                gross_cents: 40_000,
                net_cents: 35_050,
                promo_cents: 5_000,
                spend_12m_cents: 15_025,
                first_day_gross_cents: 10_000,
            },
        ),
        ("A2".into(), none),
        (
            "A3".into(),
            MemberSummary {
                first: day(2024, 5, 1),
                last: day(2024, 5, 1),
                start: day(2024, 5, 1),
                longest_gap: NO_DAY,
                purchase_days: 1,
                orders: 1,
                orders_12m: 1,
                orders_6m: 1,
                gross_cents: 8_800,
                net_cents: 8_800,
                promo_cents: 0,
                spend_12m_cents: 8_800,
                first_day_gross_cents: 8_800,
            },
        ),
        ("A4".into(), MemberSummary { net_cents: -2_000, spend_12m_cents: -2_000, ..none }),
    ]
}

fn four_members_csv() -> String {
    let mut text = format!("{SUMMARY_HEADER}\n");
    for r in FOUR_MEMBERS {
        text.push_str(&summary_line(r));
        text.push('\n');
    }
    text
}

#[test]
fn the_sql_header_is_a_summary_mapped_exactly() {
    let text = four_members_csv();
    let mut source = MemoryFiles(vec![("member_summary.csv".into(), text.into_bytes())]);
    let previews = inspect_files(&mut source).unwrap();
    assert_eq!(previews.len(), 1);
    let p = &previews[0];
    assert_eq!(p.role, Role::Summary);
    assert!(p.include);
    let expected = [Field::MemberId].into_iter().chain(Field::SUMMARY);
    for (i, f) in expected.enumerate() {
        assert_eq!((p.mapping[i].field, p.mapping[i].confidence), (Some(f), 1.0), "column {}", p.columns[i]);
    }
    // The derived columns are for the data team: nothing reads them.
    for m in &p.mapping[14..] {
        assert_eq!(m.field, None, "{:?}", p.mapping);
    }
    assert!(ImportDraft::new(previews).draft_problems().is_empty());
}

#[test]
fn a_summary_reads_into_exact_member_summaries() {
    let (ds, r) = load_summary(&four_members_csv());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!((r.rows_read, r.rows_used, r.rows_skipped), (4, 4, 0));
    assert_eq!(ds.transactions.len(), 0);
    assert_eq!(ds.precomputed.as_ref().unwrap().analysis_day, day(2024, 6, 30));
    assert_eq!(ds.precomputed.as_ref().unwrap().monthly, None);
    assert_eq!(summaries(&ds), four_members_expected());
}

#[test]
fn chinese_headers_in_gbk_read_the_same() {
    let mut text = format!("{SUMMARY_HEADER_ZH},会员等级\r\n");
    for (r, tier) in FOUR_MEMBERS.iter().zip(["金卡", "", "银卡", "金卡"]) {
        text.push_str(&format!("{},{tier}\r\n", r.join(",")));
    }
    let mut source = MemoryFiles(vec![("会员汇总.csv".into(), gbk(&text))]);
    let previews = inspect_files(&mut source).unwrap();
    assert_eq!(previews[0].role, Role::Summary);
    for (i, f) in [Field::MemberId].into_iter().chain(Field::SUMMARY).enumerate() {
        assert_eq!(previews[0].mapping[i].field, Some(f), "column {}", previews[0].columns[i]);
    }
    assert_eq!(previews[0].mapping[14].field, Some(Field::Tier));
    assert!(ImportDraft::new(previews).draft_problems().is_empty());
    let (ds, reports) = load_files(vec![("会员汇总.csv", gbk(&text))]).unwrap();
    assert!(reports[0].problems.is_empty(), "{:?}", reports[0].problems);
    assert_eq!(summaries(&ds), four_members_expected());
    let tiers: Vec<&str> = (0..4).map(|m| ds.tiers.name(ds.members.tier(m)).unwrap_or("")).collect();
    assert_eq!(tiers, ["金卡", "", "银卡", "金卡"]);
}

#[test]
fn a_members_file_joins_by_id_in_either_order() {
    let members = "会员卡号,姓名,开卡日期\nA3,王芳,2024-01-15\nA9,李雷,2023-03-01\nA1,张伟,2022-12-01\n";
    let summary = four_members_csv();
    for files in [
        vec![("members.csv", members.as_bytes().to_vec()), ("summary.csv", summary.clone().into_bytes())],
        vec![("summary.csv", summary.clone().into_bytes()), ("members.csv", members.as_bytes().to_vec())],
    ] {
        let (ds, reports) = load_files(files).unwrap();
        let ids: Vec<&str> = ds.members.ids().collect();
        // The members file is read first; the summary's other members follow it.
        assert_eq!(ids, ["A3", "A9", "A1", "A2", "A4"]);
        let names: Vec<&str> = (0..5).map(|m| ds.members.name(m)).collect();
        assert_eq!(names, ["王芳", "李雷", "张伟", "", ""]);
        assert_eq!(ds.members.join_day(0), Some(day(2024, 1, 15)));
        let expected = four_members_expected();
        let by_id = |id: &str| expected.iter().find(|(i, _)| i == id).unwrap().1;
        let got = summaries(&ds);
        assert_eq!(got[0].1, by_id("A3"));
        // A member of the members file without a summary row has no purchase.
        assert_eq!(got[1].1, MemberSummary::default());
        assert_eq!(got[2].1, by_id("A1"));
        assert_eq!(got[3].1, by_id("A2"));
        assert_eq!(got[4].1, by_id("A4"));
        let summary_report = reports.iter().find(|r| r.role == Role::Summary).unwrap();
        assert_eq!(summary_report.rows_used, 4);
        // Members of the summary not in the members file are kept and flagged.
        let unknown: Vec<(u64, &str)> = summary_report.problems.iter().map(|p| (p.row, p.value.as_str())).collect();
        assert_eq!(unknown, [(3, "A2"), (5, "A4")]);
        assert!(summary_report.problems.iter().all(|p| p.kept && p.code == Reason::UnknownMember));
    }
}

const MONTHLY: &str = "measure,month,month_offset,visits,measure_value\n\
sleeping_days,,,,365\n\
active_at_start,2024-05,,,120\n\
turned_sleeping,2024-05,,,7\n\
active_at_start,2024-06,,,118\n\
revenue,2024-06,,,12345.67\n\
active_members,2024-06,,,80\n\
revenue,2024-05,,,-10.50\n\
cohort_members,2024-05,,,40\n\
cohort_active,2024-05,0,,40\n\
cohort_active,2024-05,1,,12\n\
first_year_members,,,1,30\n\
second_year_renewed,,,4-5,6\n\
first_year_members,,,10+,2\n\
revenue_12m,,,,99999.99\n\
orders_12m,,,,321\n";

#[test]
fn monthly_aggregates_read_into_their_shapes() {
    let files = vec![("summary.csv", four_members_csv().into_bytes()), ("monthly.csv", MONTHLY.as_bytes().to_vec())];
    let mut source = MemoryFiles(files.iter().map(|(n, b)| (n.to_string(), b.clone())).collect());
    let previews = inspect_files(&mut source).unwrap();
    assert_eq!(previews[1].role, Role::Monthly);
    let (ds, reports) = load_files(files).unwrap();
    assert!(reports[1].problems.is_empty(), "{:?}", reports[1].problems);
    assert_eq!(reports[1].rows_used, 15);
    let may: MonthKey = 2024 * 12 + 4;
    let june = may + 1;
    let expected = MonthlyAggregates {
        sleeping_days: Some(365),
        churn: vec![(may, 120, 7), (june, 118, 0)],
        months: vec![(may, -1_050, 0), (june, 1_234_567, 80)],
        cohort_members: vec![(may, 40)],
        cohort_active: vec![(may, 0, 40), (may, 1, 12)],
        second_year: [(30, 0), (0, 0), (0, 0), (0, 6), (0, 0), (2, 0)],
        store_12m: Some(Store12m { revenue_cents: 9_999_999, orders: 321, gross_cents: 0, walk_in_revenue_cents: 0 }),
    };
    assert_eq!(ds.precomputed.as_ref().unwrap().monthly.as_ref(), Some(&expected));
}

#[test]
fn combinations_that_would_disagree_are_refused() {
    let tx = "会员卡号,消费时间,实收金额\nA1,2024-06-01,10\n";
    let got = load_files(vec![("summary.csv", four_members_csv().into_bytes()), ("sales.csv", tx.as_bytes().to_vec())]).unwrap_err();
    assert_eq!(got, [DraftProblem::SummaryWithTransactions { summary: "summary.csv".into(), transactions: "sales.csv".into() }]);
    assert!(got[0].text().contains("load either transactions or a summary"));
    let got = load_files(vec![("monthly.csv", MONTHLY.as_bytes().to_vec())]).unwrap_err();
    assert_eq!(got, [DraftProblem::MonthlyWithoutSummary { table: "monthly.csv".into() }]);
    // The load itself refuses too (plans sent without the mapping screen).
    let mut source = MemoryFiles(vec![("monthly.csv".into(), MONTHLY.as_bytes().to_vec())]);
    let plans: Vec<_> = inspect_files(&mut source).unwrap().iter().map(|p| p.plan()).collect();
    let e = load("t", &plans, &mut source, &mut |_, _| {}).unwrap_err();
    assert_eq!(e, LoadError::MonthlyWithoutSummary { table: "monthly.csv".into() });
}

/// A summary of one good row (row 2) and `bad` (row 3); the problems reported.
fn problems_of(bad: [&str; 14]) -> (Vec<Problem>, FileReport) {
    let good = ["G", "2024-06-30", "2024-01-01", "2024-06-01", "2", "2", "2", "1", "10.00", "10.00", "0", "10.00", "5.00", "152"];
    let text = format!("{SUMMARY_HEADER}\n{}\n{}\n", summary_line(good), summary_line(bad));
    let (ds, r) = load_summary(&text);
    assert_eq!(ds.members.ids().next(), Some("G"));
    (r.problems.clone(), r)
}

#[test]
fn every_bad_cell_is_a_problem_with_row_column_and_value() {
    let base = ["B", "2024-06-30", "2024-01-01", "2024-06-01", "2", "2", "2", "1", "10.00", "10.00", "0", "10.00", "5.00", "152"];
    let with = |col: usize, v: &'static str| {
        let mut r = base;
        r[col] = v;
        r
    };
    let cases: Vec<([&str; 14], &str, &str, Reason)> = vec![
        (with(0, ""), "member_id", "", Reason::NoMemberId),
        (with(1, ""), "analysis_date", "", Reason::NoDate),
        (with(1, "yesterday"), "analysis_date", "yesterday", Reason::NotADate),
        (with(1, "2024-06-29"), "analysis_date", "2024-06-29", Reason::AnalysisDateDiffers),
        (with(2, "9999-12-31"), "first_purchase", "9999-12-31", Reason::DateOutOfRange),
        (with(3, "2023-12-01"), "last_purchase", "2023-12-01", Reason::LastBeforeFirst),
        (with(3, "2024-07-01"), "last_purchase", "2024-07-01", Reason::AfterAnalysisDate),
        (with(3, ""), "last_purchase", "", Reason::PurchaseWithoutDates),
        (with(4, "2.5"), "purchase_days", "2.5", Reason::NotAWholeNumber),
        (with(4, "-2"), "purchase_days", "-2", Reason::CountOutOfRange),
        (with(5, "4294967296"), "orders", "4294967296", Reason::CountOutOfRange),
        (with(6, "3"), "orders_12m", "3", Reason::CountAboveTotal),
        (with(7, "x"), "orders_6m", "x", Reason::NotAWholeNumber),
        (with(8, "ten"), "gross_spend", "ten", Reason::NotAnAmount),
        (with(9, "99999999999999"), "net_spend", "99999999999999", Reason::AmountTooLarge),
        (with(13, "200"), "longest_gap_days", "200", Reason::LastBeforeFirst),
        (with(13, "-1"), "longest_gap_days", "-1", Reason::CountOutOfRange),
        (with(13, ""), "longest_gap_days", "", Reason::PurchaseWithoutDates),
        (with(0, "G"), "member_id", "G", Reason::MemberIdRepeated),
    ];
    for (bad, column, value, code) in cases {
        let (problems, r) = problems_of(bad);
        assert_eq!((r.rows_read, r.rows_used, r.rows_skipped), (2, 1, 1), "{column} {value}");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert_eq!((p.row, p.column.as_str(), p.value.as_str(), p.code, p.kept), (3, column, value, code, false));
    }
    // Purchase days without any dates, and dates on a member without purchase days.
    let none = ["N", "2024-06-30", "", "", "1", "1", "1", "1", "1", "1", "0", "1", "1", ""];
    assert_eq!(problems_of(none).0[0].code, Reason::PurchaseWithoutDates);
    let dated = ["N", "2024-06-30", "2024-01-01", "2024-01-01", "0", "0", "0", "0", "0", "0", "0", "0", "0", ""];
    let p = problems_of(dated).0;
    assert_eq!((p[0].column.as_str(), p[0].code), ("purchase_days", Reason::PurchaseWithoutDates));
}

#[test]
fn bad_monthly_rows_are_problems() {
    let text = "measure,month,month_offset,visits,measure_value\n\
        churned,2024-05,,,1\n\
        active_at_start,May,,,1\n\
        active_at_start,2024-05,,,-1\n\
        cohort_active,2024-05,70000,,1\n\
        cohort_active,2024-05,,,1\n\
        first_year_members,,,7,1\n\
        revenue,2024-05,,,abc\n\
        sleeping_days,,,,0\n\
        active_at_start,2024-05,,,5\n\
        active_at_start,2024-05,,,6\n";
    let (ds, reports) = load_files(vec![("summary.csv", four_members_csv().into_bytes()), ("monthly.csv", text.as_bytes().to_vec())]).unwrap();
    let got: Vec<(u64, &str, &str, Reason)> = reports[1].problems.iter().map(|p| (p.row, p.column.as_str(), p.value.as_str(), p.code)).collect();
    assert_eq!(
        got,
        [
            (2, "measure", "churned", Reason::UnknownMeasure),
            (3, "month", "May", Reason::NotAMonth),
            (4, "measure_value", "-1", Reason::CountOutOfRange),
            (5, "month_offset", "70000", Reason::CountOutOfRange),
            (6, "month_offset", "", Reason::NotAWholeNumber),
            (7, "visits", "7", Reason::UnknownVisits),
            (8, "measure_value", "abc", Reason::NotAnAmount),
            (9, "measure_value", "0", Reason::CountOutOfRange),
            (11, "measure", "active_at_start", Reason::MeasureRepeated),
        ]
    );
    let monthly = ds.precomputed.unwrap().monthly.unwrap();
    assert_eq!(monthly.churn, [(2024 * 12 + 4, 5, 0)]);
}

#[test]
fn a_missing_summary_column_is_a_draft_problem() {
    // Without purchase days the file is not recognised as a summary: set it so by hand.
    let text = four_members_csv().replacen("orders_6m", "six_month_orders", 1);
    let mut source = MemoryFiles(vec![("s.csv".into(), text.into_bytes())]);
    let previews = inspect_files(&mut source).unwrap();
    assert_eq!(previews[0].role, Role::Summary);
    let draft = ImportDraft::new(previews);
    assert_eq!(draft.draft_problems(), [DraftProblem::Missing { table: "s.csv".into(), field: Field::Orders6m }]);
    let e = load("t", &draft.chosen_plans(), &mut source, &mut |_, _| {}).unwrap_err();
    assert_eq!(e, LoadError::Unmapped { table: "s.csv".into(), field: Field::Orders6m });
}

#[test]
fn empty_and_header_only_summaries_give_no_precomputed_data() {
    let mut source = MemoryFiles(vec![("s.csv".into(), Vec::new())]);
    assert!(matches!(inspect_files(&mut source), Err(InspectError::NotData { reason: NotData::Empty, .. })));
    // The page refuses a header without rows before mapping; the plan read anyway gives nothing.
    let header = format!("{SUMMARY_HEADER}\n").into_bytes();
    let mut source = MemoryFiles(vec![("s.csv".into(), header.clone())]);
    assert!(matches!(inspect_files(&mut source), Err(InspectError::NotData { reason: NotData::HeaderOnly, .. })));
    let plan = inspect(0, "s.csv", &header, true).unwrap()[0].plan();
    assert_eq!(plan.role, Role::Summary);
    let (ds, reports) = load("t", &[plan], &mut source, &mut |_, _| {}).unwrap();
    assert_eq!((reports[0].rows_read, ds.members.len()), (0, 0));
    assert!(ds.precomputed.is_none());
}

#[test]
fn a_lifetimes_summary_does_not_crash_or_read_as_a_summary() {
    let text = "customer_id,frequency,recency,T,monetary_value\n1,2,30.0,38.0,22.35\n2,1,2.0,38.0,11.77\n3,0,0.0,38.0,0.0\n";
    let mut source = MemoryFiles(vec![("rfm.csv".into(), text.as_bytes().to_vec())]);
    let previews = inspect_files(&mut source).unwrap();
    assert_ne!(previews[0].role, Role::Summary);
    assert!(previews[0].mapping.iter().all(|m| !m.field.is_some_and(Field::is_warehouse)));
    if let Ok((ds, _)) = load_files(vec![("rfm.csv", text.as_bytes().to_vec())]) {
        assert!(ds.precomputed.is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_valid_summaries_read_back_exactly(rows in prop::collection::vec(valid_summary(), 1..30)) {
        let analysis = day(2024, 6, 30);
        let mut text = format!("{SUMMARY_HEADER}\n");
        for (i, s) in rows.iter().enumerate() {
            text.push_str(&format!("M{i},2024-06-30,{}\n", write_summary(s)));
        }
        let (ds, r) = load_summary(&text);
        prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
        let pre = ds.precomputed.as_ref().unwrap();
        prop_assert_eq!(pre.analysis_day, analysis);
        prop_assert_eq!(&pre.members, &rows);
    }
}

/// A summary the contract allows, as of 2024-06-30.
fn valid_summary() -> impl Strategy<Value = MemberSummary> {
    let analysis = day(2024, 6, 30);
    let money = -1_000_000_000i64..1_000_000_000;
    (0u32..5, 0i32..3000, 0i32..3000, 0u32..1000, prop::array::uniform5(money))
        .prop_map(move |(days, a, b, extra, cents)| {
            let (first, last) = (analysis - a.max(b), analysis - a.min(b));
            let purchase_days = if days == 0 { 0 } else if first == last { 1 } else { days.max(2).min((last - first + 1) as u32) };
            let bought = purchase_days > 0;
            let orders = if bought { extra + 1 } else { 0 };
            let (orders_12m, orders_6m) = (orders / 2, orders / 4);
            let longest_gap = if purchase_days >= 2 { (last - first) / 2 + 1 } else { NO_DAY };
            MemberSummary {
                first: if bought { first } else { NO_DAY },
                last: if bought { last } else { NO_DAY },
                start: if bought { first } else { NO_DAY },
                longest_gap,
                purchase_days,
                orders,
                orders_12m,
                orders_6m,
                gross_cents: cents[0],
                net_cents: cents[1],
                promo_cents: cents[2],
                spend_12m_cents: cents[3],
                first_day_gross_cents: cents[4],
            }
        })
}

/// The 12 figures after member_id and analysis_date, as the SQL writes them.
fn write_summary(s: &MemberSummary) -> String {
    let date = |d: Day| if d == NO_DAY { String::new() } else { member_engine::dates::format_day(d) };
    let yuan = |c: i64| format!("{}{}.{:02}", if c < 0 { "-" } else { "" }, c.unsigned_abs() / 100, c.unsigned_abs() % 100);
    let gap = if s.longest_gap == NO_DAY { String::new() } else { s.longest_gap.to_string() };
    format!(
        "{},{},{},{},{},{},{},{},{},{},{},{},,,,,,,,,,",
        date(s.first),
        date(s.last),
        s.purchase_days,
        s.orders,
        s.orders_12m,
        s.orders_6m,
        yuan(s.gross_cents),
        yuan(s.net_cents),
        yuan(s.promo_cents),
        yuan(s.spend_12m_cents),
        yuan(s.first_day_gross_cents),
        gap
    )
}
