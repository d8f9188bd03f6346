//! Two member attributes of the members file: tags (标签, several in a cell) and the points'
//! expiry (积分到期日, not the membership's 到期日): recognised by their headers, read, limited
//! with a problem on the row and column, stored per member, and present in the demo.

use member_engine::dates::{day_from_ymd, to_date, Day};
use member_engine::demo::{generate, DemoSpec};
use member_engine::import::fields::{auto_map, infer_role, Field, Role};
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::import::plan::TablePlan;
use member_engine::import::report::{FileReport, Reason};
use member_engine::import::values::{split_tags, DateOrder};
use member_engine::model::{Dataset, MemberRecord, MAX_TAGS_PER_MEMBER, MAX_TAG_CHARS};

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The field each header is mapped to, the file's header being exactly `headers`.
fn mapped(headers: &[&str]) -> Vec<Option<Field>> {
    let h = strings(headers);
    auto_map(Some(&h), &[], h.len(), DateOrder::DayFirst).iter().map(|c| c.field).collect()
}

/// Loads one members CSV with the proposed mapping.
fn load_members_csv(text: &str) -> (Dataset, FileReport) {
    let mut files = MemoryFiles(vec![("members.csv".into(), text.as_bytes().to_vec())]);
    let plans: Vec<TablePlan> = inspect_files(&mut files).expect("inspect").iter().filter(|p| p.include).map(|p| p.plan()).collect();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].role, Role::Members);
    let (ds, mut reports) = load("t", &plans, &mut files, &mut |_, _| {}).expect("load");
    (ds, reports.remove(0))
}

fn tag_names(ds: &Dataset, m: usize) -> Vec<&str> {
    ds.members.tags(m).iter().map(|&t| ds.tags.name(t).unwrap_or("?")).collect()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<Day> {
    day_from_ymd(y, m, d)
}

#[test]
fn tag_headers_chinese_and_english() {
    for h in ["标签", "会员标签", "客户标签", "顾客标签", "標籤", "會員標籤", "Tags", "tag", "Labels", "Member Tags", "customer_tags", "标签（多个用逗号分隔）"] {
        assert_eq!(mapped(&["会员卡号", h]), vec![Some(Field::MemberId), Some(Field::Tags)], "{h}");
    }
    // 会员标签 beside a card column is the tags, not a second member id.
    assert_eq!(mapped(&["会员标签", "卡号"]), vec![Some(Field::Tags), Some(Field::MemberId)]);
}

#[test]
fn points_expiry_headers_are_told_from_the_membership_expiry() {
    for h in ["积分到期日", "积分到期", "积分到期时间", "积分有效期", "积分有效期至", "积分过期时间", "積分到期日", "Points Expiry", "points_expire_at", "points_expires_at", "POINTS-EXPIRY-DATE", "会员积分到期日"] {
        assert_eq!(mapped(&["会员卡号", h]), vec![Some(Field::MemberId), Some(Field::PointsExpiry)], "{h}");
    }
    for h in ["到期日", "会员到期", "会员到期日", "有效期至", "有效期", "到期时间", "Expiry", "valid_until", "membership_expiry"] {
        assert_eq!(mapped(&["会员卡号", h]), vec![Some(Field::MemberId), Some(Field::Expiry)], "{h}");
    }
    // All three side by side, in either order.
    assert_eq!(
        mapped(&["卡号", "积分", "积分到期日", "到期日"]),
        vec![Some(Field::MemberId), Some(Field::Points), Some(Field::PointsExpiry), Some(Field::Expiry)]
    );
    assert_eq!(
        mapped(&["卡号", "积分有效期", "会员有效期", "可用积分"]),
        vec![Some(Field::MemberId), Some(Field::PointsExpiry), Some(Field::Expiry), Some(Field::Points)]
    );
    // A points expiry column alone is not taken for the points or the membership's expiry.
    assert_eq!(mapped(&["卡号", "积分过期时间"]), vec![Some(Field::MemberId), Some(Field::PointsExpiry)]);
    let h = strings(&["卡号", "标签", "积分到期日"]);
    assert_eq!(infer_role(&auto_map(Some(&h), &[], 3, DateOrder::DayFirst)), Role::Members);
}

#[test]
fn both_fields_are_on_the_members_mapping_screen_only() {
    let members = Field::for_role(Role::Members);
    let transactions = Field::for_role(Role::Transactions);
    assert!(members.contains(&Field::Tags) && members.contains(&Field::PointsExpiry));
    assert!(!transactions.contains(&Field::Tags) && !transactions.contains(&Field::PointsExpiry));
    assert_eq!((Field::Tags.key(), Field::PointsExpiry.key()), ("tags", "points_expiry"));
    assert_eq!((Field::from_key("tags"), Field::from_key("points_expiry")), (Some(Field::Tags), Some(Field::PointsExpiry)));
    assert_eq!(serde_json::to_string(&Field::PointsExpiry).unwrap(), "\"points_expiry\"");
    assert!(Field::ALL.contains(&Field::Tags) && Field::ALL.contains(&Field::PointsExpiry));
    // A transactions file with a tags column leaves it unmapped.
    let text = "会员卡号,消费日期,实收金额,标签\nA,2024-03-01,10,敏感肌\n";
    let mut files = MemoryFiles(vec![("t.csv".into(), text.as_bytes().to_vec())]);
    let previews = inspect_files(&mut files).unwrap();
    assert_eq!((previews[0].role, previews[0].mapping[3].field), (Role::Transactions, None));
}

#[test]
fn tags_split_at_every_separator_trimmed_once_each_in_order() {
    let (tags, more) = split_tags("敏感肌,油性肌，干性肌;抗衰；美白、新客活动|老带新/VIP沙龙｜A／B", 32);
    assert_eq!(tags, ["敏感肌", "油性肌", "干性肌", "抗衰", "美白", "新客活动", "老带新", "VIP沙龙", "A", "B"]);
    assert!(!more);
    assert_eq!(split_tags("  a , ,b ,, 、 ", 32), (vec!["a", "b"], false));
    assert_eq!(split_tags("美白、抗衰、美白；抗衰,美白", 32), (vec!["美白", "抗衰"], false));
    assert_eq!(split_tags("new customer, VIP salon", 32).0, ["new customer", "VIP salon"], "spaces inside a tag stay");
    assert_eq!(split_tags("", 32), (vec![], false));
    let many: Vec<String> = (0..40).map(|i| format!("t{i}")).collect();
    let joined = many.join(",");
    let (tags, more) = split_tags(&joined, 32);
    assert_eq!(tags.len(), 32);
    assert_eq!(tags[31], "t31");
    assert!(more);
    // Repeats do not count toward the limit.
    let repeated = format!("{},t0,t1", many[..32].join("、"));
    assert_eq!(split_tags(&repeated, 32), (many[..32].iter().map(String::as_str).collect(), false));
}

#[test]
fn tags_and_points_expiry_load_into_the_members() {
    let long = "长".repeat(MAX_TAG_CHARS + 1);
    let longest = "长".repeat(MAX_TAG_CHARS);
    let forty: Vec<String> = (1..=40).map(|i| format!("标签{i}")).collect();
    let text = format!(
        "会员卡号,姓名,会员标签,积分,积分到期日,到期日\n\
         V1,王静,\"敏感肌, 抗衰，美白\",100,2025-12-31,2026-06-30\n\
         V2,李强,,0,,\n\
         V3,张敏,抗衰；敏感肌；抗衰 | VIP沙龙,50,2025/12/31,\n\
         V4,刘洋,{long}、美白、{longest},10,2025年12月31日,\n\
         V5,陈红,{},10,20251231,\n\
         V6,杨丽,新客活动,10,31/12/2025,\n\
         V7,赵敏,新客活动,10,46022,\n\
         V8,黄芳,,10,下个月,\n",
        forty.join("/")
    );
    let (ds, r) = load_members_csv(&text);
    assert_eq!((r.rows_read, r.rows_used, r.rows_skipped), (8, 8, 0));
    assert_eq!(tag_names(&ds, 0), ["敏感肌", "抗衰", "美白"]);
    assert!(tag_names(&ds, 1).is_empty());
    assert_eq!(tag_names(&ds, 2), ["抗衰", "敏感肌", "VIP沙龙"], "once each, in order");
    assert_eq!(tag_names(&ds, 3), ["美白", longest.as_str()], "the tag too long is left out");
    let first_32: Vec<&str> = forty[..MAX_TAGS_PER_MEMBER].iter().map(String::as_str).collect();
    assert_eq!(tag_names(&ds, 4), first_32);
    assert_eq!(tag_names(&ds, 5), ["新客活动"]);
    // Each distinct tag once in the dictionary: 敏感肌 抗衰 美白 VIP沙龙 longest 标签1..32 新客活动.
    assert_eq!(ds.tags.len(), 4 + 1 + MAX_TAGS_PER_MEMBER + 1);
    assert!(ds.members.has_tags());

    // The problems name the row (the header is row 1) and the column as the file has it.
    let problems: Vec<(u64, &str, Reason, bool)> = r.problems.iter().map(|p| (p.row, p.column.as_str(), p.code, p.kept)).collect();
    assert_eq!(
        problems,
        vec![(5, "会员标签", Reason::TagTooLong, true), (6, "会员标签", Reason::TooManyTags, true), (9, "积分到期日", Reason::DateLeftOut, true)]
    );
    assert_eq!(r.problems[0].value, long, "the value is the tag left out");
    assert!(r.problems[1].value.starts_with("标签1/标签2/"), "the value is the cell");
    assert_eq!(r.rows_with_warnings, 3);
    assert!(Reason::TooManyTags.text(None).contains("32") && Reason::TagTooLong.text(None).contains("64"));

    // Points expiry in every date form other dates take; the membership expiry stays apart.
    let dec31 = ymd(2025, 12, 31);
    let expiries: Vec<Option<Day>> = (0..8).map(|m| ds.members.points_expiry(m)).collect();
    assert_eq!(expiries, vec![dec31, None, dec31, dec31, dec31, dec31, dec31, None]);
    assert!(ds.members.has_points_expiry());
    assert_eq!((ds.members.expiry(0), ds.members.expiry(2)), (ymd(2026, 6, 30), None));
    assert_eq!(ds.members.points(0), 100);
}

#[test]
fn a_points_expiry_date_cell_of_a_workbook_is_read() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy/m/d");
    let ws = wb.add_worksheet();
    for (c, h) in ["卡号", "积分", "积分有效期", "客户标签"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "A1").unwrap();
    ws.write_number(1, 1, 300.0).unwrap();
    ws.write_datetime_with_format(1, 2, &ExcelDateTime::from_ymd(2026, 3, 15).unwrap(), &date_fmt).unwrap();
    ws.write_string(1, 3, "敏感肌 / 美白").unwrap();
    let mut files = MemoryFiles(vec![("members.xlsx".into(), wb.save_to_buffer().unwrap())]);
    let plans: Vec<TablePlan> = inspect_files(&mut files).unwrap().iter().filter(|p| p.include).map(|p| p.plan()).collect();
    assert_eq!(plans[0].fields, vec![Some(Field::MemberId), Some(Field::Points), Some(Field::PointsExpiry), Some(Field::Tags)]);
    let (ds, reports) = load("t", &plans, &mut files, &mut |_, _| {}).unwrap();
    assert!(reports[0].problems.is_empty(), "{:?}", reports[0].problems);
    assert_eq!(ds.members.points_expiry(0), ymd(2026, 3, 15));
    assert_eq!(ds.members.expiry(0), None);
    assert_eq!(tag_names(&ds, 0), ["敏感肌", "美白"]);
}

#[test]
fn records_given_directly_keep_tags_once_and_within_the_limits() {
    let mut ds = Dataset::new("t");
    let many: Vec<String> = (0..40).map(|i| format!("t{i}")).collect();
    let tags = vec![" 美白 ".to_string(), "".into(), "美白".into(), "长".repeat(MAX_TAG_CHARS + 1), "抗衰".into()];
    ds.add_member(MemberRecord { id: "A".into(), tags, ..Default::default() });
    ds.add_member(MemberRecord { id: "B".into(), tags: many.clone(), points_expiry: ymd(2030, 1, 1), ..Default::default() });
    ds.add_member(MemberRecord { id: "C".into(), ..Default::default() });
    ds.add_member(MemberRecord { id: "D".into(), tags: vec!["抗衰".into()], ..Default::default() });
    assert_eq!(tag_names(&ds, 0), ["美白", "抗衰"]);
    assert_eq!(ds.members.tags(1).len(), MAX_TAGS_PER_MEMBER);
    assert!(tag_names(&ds, 2).is_empty());
    assert_eq!(tag_names(&ds, 3), ["抗衰"]);
    assert_eq!(ds.members.tags(3), ds.members.tags(0).get(1..2).unwrap(), "one dictionary entry per tag");
    assert!(ds.members.tags(99).is_empty(), "past the members");
    assert_eq!((ds.members.points_expiry(0), ds.members.points_expiry(1), ds.members.points_expiry(3)), (None, ymd(2030, 1, 1), None));
    // The same id again keeps the attributes given first.
    ds.add_member(MemberRecord { id: "C".into(), tags: vec!["美白".into()], ..Default::default() });
    assert!(ds.members.tags(2).is_empty());
}

/// A data set of `n` members, the last with `tags` and `points_expiry`.
fn members_with_last(n: usize, tags: Vec<String>, points_expiry: Option<Day>) -> Dataset {
    let mut ds = Dataset::new("t");
    for i in 0..n {
        let last = i + 1 == n;
        ds.add_member(MemberRecord {
            id: format!("M{i:06}"),
            points: 10,
            tags: if last { tags.clone() } else { Vec::new() },
            points_expiry: if last { points_expiry } else { None },
            ..Default::default()
        });
    }
    ds
}

#[test]
fn no_memory_for_tags_or_points_expiry_until_a_member_has_one() {
    let n = 20_000;
    let bare = members_with_last(n, Vec::new(), None);
    let blank_tags = members_with_last(n, vec![" ".into(), String::new()], None);
    assert_eq!(blank_tags.heap_bytes(), bare.heap_bytes(), "blank tags store nothing");
    assert!(!bare.members.has_tags() && !bare.members.has_points_expiry());
    assert_eq!(bare.tags.len(), 0);
    // One member with a tag: an end offset per member (4 bytes) and the tag's index, plus the
    // dictionary entry.
    let tagged = members_with_last(n, vec!["美白".into()], None);
    assert!(tagged.members.has_tags());
    assert!(tagged.heap_bytes() >= bare.heap_bytes() + 4 * n as u64, "{} vs {}", tagged.heap_bytes(), bare.heap_bytes());
    // One member with a points expiry: an optional day per member.
    let expiring = members_with_last(n, Vec::new(), ymd(2026, 1, 1));
    assert!(expiring.members.has_points_expiry());
    assert!(expiring.heap_bytes() >= bare.heap_bytes() + (n * std::mem::size_of::<Option<Day>>()) as u64);
    assert_eq!((expiring.members.points_expiry(n - 1), expiring.members.points_expiry(0)), (ymd(2026, 1, 1), None));
}

#[test]
fn the_demo_has_tags_and_points_expiries() {
    let ds = generate(&DemoSpec::default());
    let m = &ds.members;
    let last = ds.default_analysis_day().unwrap();
    let names: Vec<&str> = ds.tags.names().iter().map(String::as_str).collect();
    for t in ["敏感肌", "油性肌", "干性肌", "抗衰", "美白", "新客活动", "老带新", "VIP沙龙"] {
        assert!(names.contains(&t), "{t} in {names:?}");
    }
    let tagged = (0..m.len()).filter(|&i| !m.tags(i).is_empty()).count();
    assert!(tagged > m.len() / 2 && tagged < m.len(), "{tagged} of {} tagged", m.len());
    assert!((0..m.len()).all(|i| m.tags(i).len() <= 3));
    // Points expire after the last day, within a year, only for members with points.
    let with_expiry: Vec<usize> = (0..m.len()).filter(|&i| m.points_expiry(i).is_some()).collect();
    assert!(m.has_points_expiry() && with_expiry.len() > m.len() / 2);
    assert!(with_expiry.iter().all(|&i| m.points(i) > 0));
    assert!(with_expiry.iter().all(|&i| m.points_expiry(i).is_some_and(|d| d > last && d <= last + 366)));
    let within_30 = with_expiry.iter().filter(|&&i| m.points_expiry(i).is_some_and(|d| d <= last + 30)).count();
    assert!(within_30 >= 20 && within_30 < m.len() / 5, "{within_30} expire within 30 days");
}

/// The calendar work lists have members in the demo: birthdays in the week from the last day,
/// first purchases exactly 3, 21 and 90 days before it, memberships expiring within 30 days.
#[test]
fn the_demo_fills_the_calendar_work_lists() {
    use chrono::Datelike;
    let ds = generate(&DemoSpec::default());
    let (m, tx) = (&ds.members, &ds.transactions);
    let last = ds.default_analysis_day().unwrap();
    let week: Vec<(u32, u32)> = (0..7).map(|k| to_date(last + k)).map(|d| (d.month(), d.day())).collect();
    let birthdays = (0..m.len()).filter(|&i| m.birthday(i).map(to_date).is_some_and(|b| week.contains(&(b.month(), b.day())))).count();
    assert!(birthdays >= 5, "{birthdays} birthdays");
    let mut first = vec![Day::MAX; m.len()];
    for r in 0..tx.len() {
        let member = tx.member[r] as usize;
        if member < m.len() && tx.kind[r].is_purchase(tx.amount_cents[r]) {
            first[member] = first[member].min(tx.day[r]);
        }
    }
    for days in [3, 21, 90] {
        assert!(first.contains(&(last - days)), "a first purchase {days} days before the last day");
    }
    let expiring = (0..m.len()).filter(|&i| m.expiry(i).is_some_and(|x| x >= last && x <= last + 30)).count();
    assert!(expiring >= 5, "{expiring} memberships expiring");
}
