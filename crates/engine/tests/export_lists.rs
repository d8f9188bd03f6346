//! Lists as files: the export table (typed cells from a data set the test writes, headers and
//! coded values in the page's words, masked or full phones, file and sheet names), CSV for Excel
//! (BOM, CRLF, RFC 4180 quoting, formula-looking text neutralised, numbers never) read back with
//! a parser written here, and reasons in words from the locale files' templates.

use std::collections::BTreeMap;

use member_engine::analysis::{analyse, Computed};
use member_engine::dates::{day_from_ymd, Day};
use member_engine::demo::{generate, DemoSpec};
use member_engine::export::{csv, file_name, reason_text, sheet_name, table, Cell, ExportSpec, ExportTable, ExportWords};
use member_engine::members::{Column, Ctx, MemberFilter, Sort};
use member_engine::model::{Dataset, Gender, MemberRecord, TxKind, TxRecord};
use member_engine::pyramid::LayerKey;
use member_engine::segments::Lifecycle;
use member_engine::settings::Settings;
use member_engine::worklists::{WorkListIndex, WorkListKey, WorkReason};

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

/// RFC 4180, written here: fields split on commas outside quotes, `""` inside quotes is a
/// quote, records end with CRLF (a bare CR or LF inside quotes is data).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a record ends with CRLF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF outside quotes"),
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted && field.is_empty() && row.is_empty(), "the text ends with a whole record");
    rows
}

/// The CSV's records after its BOM.
fn records(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').expect("the CSV starts with a BOM");
    parse_csv(body)
}

struct Fixture {
    ds: Dataset,
    computed: Computed,
    lists: WorkListIndex,
    settings: Settings,
}

impl Fixture {
    fn ctx(&self) -> Ctx<'_> {
        Ctx { ds: &self.ds, sums: &self.computed.summaries, c: &self.computed.classified, lists: &self.lists, settings: &self.settings }
    }
}

fn fixture(ds: Dataset, analysis_day: Option<Day>) -> Fixture {
    let settings = Settings::default();
    let computed = analyse(&ds, analysis_day, false, &settings);
    let lists = WorkListIndex::build(&ds, &computed.summaries, &computed.classified, &settings);
    Fixture { ds, computed, lists, settings }
}

/// Names a spreadsheet would run as formulas, one with quotes and a comma, one in Chinese.
const NAMES: [(&str, &str, &str); 6] = [
    ("m1", "=HYPERLINK(\"http://evil\",\"click\")", "13812345678"),
    ("m2", "张三, \"小张\"", "13900000002"),
    ("m3", "  -2+3", "13700000003"),
    ("m4", "\tTab", "12345"),
    ("m5", "\rCR", ""),
    ("m6", "@SUM(A1)", "13600000006"),
];

/// Six members with the names above; m1 spends 123.45 and 1,000.00 on two days, m2 50.00,
/// m3 buys 200.00 and returns 212.00 (net −12.00), m4–m6 never buy.
fn small() -> Fixture {
    let mut ds = Dataset::new("small");
    for (k, (id, name, phone)) in NAMES.iter().enumerate() {
        ds.add_member(MemberRecord {
            id: id.to_string(),
            name: name.to_string(),
            phone: phone.to_string(),
            gender: if k == 0 { Gender::Female } else { Gender::Unknown },
            birthday: (k == 0).then(|| day(1990, 5, 10)),
            join_day: Some(day(2022, 1, 15)),
            tier: (k == 0).then(|| "金卡".to_string()),
            points: 1200 * k as i64,
            balance_cents: 50_000,
            store: Some("静安店".to_string()),
            ..Default::default()
        });
    }
    let tx = |id, d, cents, kind| TxRecord { member_id: Some(id), day: d, amount_cents: cents, discount_cents: 0, category: Some("面霜"), store: None, kind };
    ds.add_transaction(tx("m1", day(2024, 3, 1), 12_345, TxKind::Sale));
    ds.add_transaction(tx("m1", day(2024, 5, 1), 100_000, TxKind::Sale));
    ds.add_transaction(tx("m2", day(2024, 4, 10), 5_000, TxKind::Sale));
    ds.add_transaction(tx("m3", day(2024, 2, 1), 20_000, TxKind::Sale));
    ds.add_transaction(tx("m3", day(2024, 2, 5), -21_200, TxKind::Refund));
    fixture(ds, Some(day(2024, 6, 30)))
}

fn spec(columns: Vec<Column>, words: &[(&str, &str)]) -> ExportSpec {
    ExportSpec {
        filter: MemberFilter::everyone(),
        sort: Sort { column: Column::Id, descending: false },
        columns,
        words: ExportWords { words: words.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() },
        full_phones: false,
        title: "All members".into(),
    }
}

/// The table's rows by the member id in the first column.
fn by_id(t: &ExportTable) -> BTreeMap<String, Vec<Cell>> {
    t.rows
        .iter()
        .map(|r| match &r[0] {
            Cell::Text(id) => (id.clone(), r.clone()),
            other => panic!("the first column is the id, not {other:?}"),
        })
        .collect()
}

#[test]
fn the_table_has_one_typed_row_per_member_in_the_pages_words() {
    let f = small();
    let columns = vec![Column::Id, Column::Name, Column::Phone, Column::Spend, Column::Visits, Column::Birthday, Column::Age, Column::Tier, Column::Gender, Column::Balance, Column::Points, Column::LastPurchase];
    let t = table(&f.ctx(), &spec(columns.clone(), &[("col.id", "会员卡号"), ("col.name", "姓名"), ("gender.female", "女")]));
    assert_eq!(t.columns, columns);
    assert_eq!(t.headers[..4], ["会员卡号", "姓名", "phone", "spend"]);
    assert_eq!(t.headers[9], "balance");
    assert_eq!(t.rows.len(), NAMES.len());
    assert!(t.rows.iter().all(|r| r.len() == columns.len()));
    let rows = by_id(&t);
    assert_eq!(
        rows["m1"],
        vec![
            Cell::Text("m1".into()),
            Cell::Text(NAMES[0].1.into()),
            Cell::Text("138****5678".into()),
            Cell::Money(12_345 + 100_000),
            Cell::Int(2),
            Cell::Date(day(1990, 5, 10)),
            Cell::Int(34),
            Cell::Text("金卡".into()),
            Cell::Text("女".into()),
            Cell::Money(50_000),
            Cell::Int(0),
            Cell::Date(day(2024, 5, 1)),
        ]
    );
    // A refund larger than the purchase: a negative net spend; no birthday, tier or gender.
    assert_eq!(rows["m3"][3], Cell::Money(20_000 - 21_200));
    assert_eq!(rows["m3"][5..9], [Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
    // Never bought: no last purchase, zero visits.
    assert_eq!((&rows["m4"][4], &rows["m4"][11]), (&Cell::Int(0), &Cell::Empty));
    assert_eq!(rows["m4"][2], Cell::Text("***45".into()));
    assert_eq!(rows["m5"][2], Cell::Empty);
}

#[test]
fn full_phones_only_when_asked() {
    let f = small();
    let mut s = spec(vec![Column::Id, Column::Phone], &[]);
    let masked = by_id(&table(&f.ctx(), &s));
    s.full_phones = true;
    let full = by_id(&table(&f.ctx(), &s));
    for (id, _, phone) in NAMES.iter().filter(|(_, _, p)| p.len() >= 7) {
        assert_eq!(full[*id][1], Cell::Text(phone.to_string()));
        let Cell::Text(m) = &masked[*id][1] else { panic!("a masked phone is text") };
        assert_eq!((m.len(), &m[..3], &m[3..7], &m[7..]), (phone.len(), &phone[..3], "****", &phone[7..]));
    }
}

#[test]
fn the_table_follows_the_sort() {
    let f = small();
    let mut s = spec(vec![Column::Id, Column::Spend], &[]);
    s.sort = Sort { column: Column::Spend, descending: true };
    let ids: Vec<Cell> = table(&f.ctx(), &s).rows.into_iter().map(|r| r[0].clone()).take(3).collect();
    // 1,123.45, then 50.00; everyone else 0 or less, m3 (−12.00) last.
    assert_eq!(ids[..2], [Cell::Text("m1".into()), Cell::Text("m2".into())]);
    let last = table(&f.ctx(), &s).rows.last().unwrap()[0].clone();
    assert_eq!(last, Cell::Text("m3".into()));
}

#[test]
fn csv_neutralises_formulas_quotes_fields_and_keeps_numbers() {
    let f = small();
    let t = table(&f.ctx(), &spec(vec![Column::Id, Column::Name, Column::Spend, Column::Birthday, Column::Visits], &[("col.name", "姓名")]));
    let text = csv(&t);
    assert!(text.starts_with('\u{feff}'));
    assert!(text.ends_with("\r\n"));
    // One line per row and the header (the CR inside m5's name is quoted data, not a line end).
    assert_eq!(text.matches("\r\n").count(), NAMES.len() + 1);
    let recs = records(&text);
    assert_eq!(recs[0], ["id", "姓名", "spend", "birthday", "visits"]);
    assert_eq!(recs.len(), NAMES.len() + 1);
    let rows: BTreeMap<&str, &Vec<String>> = recs[1..].iter().map(|r| (r[0].as_str(), r)).collect();
    assert_eq!(rows["m1"][1..], ["'=HYPERLINK(\"http://evil\",\"click\")", "1123.45", "1990-05-10", "2"]);
    assert_eq!(rows["m2"][1], "张三, \"小张\"");
    assert_eq!(rows["m3"][1..3], ["'  -2+3", "-12.00"]);
    assert_eq!(rows["m4"][1], "'\tTab");
    assert_eq!(rows["m5"][1], "'\rCR");
    assert_eq!(rows["m6"][1..4], ["'@SUM(A1)", "0.00", ""]);
}

#[test]
fn csv_of_a_hand_written_table() {
    let t = ExportTable {
        file_name: "x".into(),
        sheet: "x".into(),
        headers: vec!["a".into(), "=b".into(), "c,d".into()],
        columns: vec![],
        rows: vec![
            vec![Cell::Text("+1".into()), Cell::Text("safe - text".into()), Cell::Text(" x".into())],
            vec![Cell::Money(-1200), Cell::Money(5), Cell::Money(i64::MIN)],
            vec![Cell::Percent(0.1234), Cell::Percent(f64::NAN), Cell::Percent(1.0)],
            vec![Cell::Int(-5), Cell::Empty, Cell::Date(day(2024, 3, 5))],
            vec![Cell::Text("a\r\nb".into()), Cell::Text("\"q\"".into()), Cell::Text(" \t=1".into())],
            vec![Cell::Text("-".into()), Cell::Text("  @x".into()), Cell::Text("\n=x".into())],
        ],
    };
    let text = csv(&t);
    assert!(text.starts_with("\u{feff}a,'=b,\"c,d\"\r\n"));
    assert_eq!(
        records(&text),
        vec![
            vec!["a", "'=b", "c,d"],
            vec!["'+1", "safe - text", " x"],
            vec!["-12.00", "0.05", "-92233720368547758.08"],
            vec!["12.3%", "", "100.0%"],
            vec!["-5", "", "2024-03-05"],
            vec!["a\r\nb", "\"q\"", "' \t=1"],
            vec!["'-", "'  @x", "'\n=x"],
        ]
    );
}

#[test]
fn file_and_sheet_names_are_safe() {
    let d = day(2024, 6, 30);
    assert_eq!(file_name("Work list: Birthdays", d), "Work list_ Birthdays 2024-06-30");
    assert_eq!(file_name("a/b\\c:d*e?f\"g<h>i|j\u{7}k", d), "a_b_c_d_e_f_g_h_i_j_k 2024-06-30");
    assert_eq!(file_name("  会员 名单 ", d), "会员 名单 2024-06-30");
    assert_eq!(file_name("", d), "2024-06-30");
    assert_eq!(sheet_name("Work list: [A/B] *?\\ birthdays this week and more"), "Work list_ _A_B_ ___ birthdays");
    assert_eq!(sheet_name("'quoted'"), "quoted");
    assert_eq!(sheet_name(""), "Sheet1");
    assert_eq!(sheet_name("History"), "History_");
    let long = sheet_name(&"生日".repeat(40));
    assert_eq!(long.chars().count(), 31);
    for title in ["a]b", "x:y", "?*", "很长的名单标题：本周生日的会员以及本月入会周年的会员"] {
        let s = sheet_name(title);
        assert!(s.chars().count() <= 31 && !s.is_empty() && !s.contains(['[', ']', ':', '*', '?', '/', '\\']), "{s}");
    }
    let f = small();
    let t = table(&f.ctx(), &spec(vec![Column::Id], &[]));
    assert_eq!((t.file_name.as_str(), t.sheet.as_str()), ("All members 2024-06-30", "All members"));
}

/// The reason templates of a locale file: `reason.<why>` from `reason_<why>`.
fn locale_words(file: &str) -> ExportWords {
    let path = format!("{}/../../locales/{file}", env!("CARGO_MANIFEST_DIR"));
    let all: BTreeMap<String, serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut words: BTreeMap<String, String> = all
        .iter()
        .filter_map(|(k, v)| Some((format!("reason.{}", k.strip_prefix("reason_")?), v.as_str()?.to_string())))
        .collect();
    words.insert("lifecycle.sleeping".into(), if file == "en.json" { "Sleeping" } else { "睡眠" }.into());
    ExportWords { words }
}

fn every_reason() -> Vec<WorkReason> {
    vec![
        WorkReason::Replenish { category: "面霜".into(), last: "2024-05-01".into(), cycle_days: 30, runs_out: "2024-05-31".into() },
        WorkReason::FollowUp { first: "2024-06-27".into(), days: 3 },
        WorkReason::Birthday { date: "2024-07-01".into(), age: None },
        WorkReason::Birthday { date: "2024-07-01".into(), age: Some(30) },
        WorkReason::Anniversary { joined: "2020-07-02".into(), date: "2024-07-02".into(), years: 4 },
        WorkReason::Points { points: 1200 },
        WorkReason::PointsExpiring { points: 300, on: "2024-07-15".into() },
        WorkReason::Balance { balance_cents: 123_450 },
        WorkReason::MembershipExpiring { on: "2024-07-20".into() },
        WorkReason::TierUpgrade { tier: "银卡".into(), fits: "金卡".into(), spend_12m_cents: 1_000_000 },
        WorkReason::TierDowngrade { tier: "金卡".into(), fits: "银卡".into(), spend_12m_cents: 5 },
        WorkReason::WinBack { layer: LayerKey::B, lifecycle: Lifecycle::Sleeping, recency_days: 200, net_cents: 500_000 },
        WorkReason::HighValueHighRisk { layer: LayerKey::A, p_alive: 0.1234 },
    ]
}

/// A `%name%` left in a text: a template field the reason does not have.
fn placeholder_left(s: &str) -> bool {
    s.split('%').skip(1).step_by(2).any(|inner| !inner.is_empty() && inner.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
        && s.matches('%').count() >= 2
}

#[test]
fn reasons_in_words_fill_every_placeholder_in_both_languages() {
    for file in ["en.json", "zh-CN.json"] {
        let w = locale_words(file);
        let word = |k: &str| w.get(k).map(str::to_string);
        for r in every_reason() {
            let text = reason_text(&r, &word);
            assert!(!text.is_empty() && !placeholder_left(&text), "{file}: {r:?} → {text}");
        }
    }
    let w = locale_words("en.json");
    let word = |k: &str| w.get(k).map(str::to_string);
    let said: Vec<String> = every_reason().iter().map(|r| reason_text(r, &word)).collect();
    assert_eq!(said[0], "Bought 面霜 on 2024-05-01: at a 30-day cycle it runs out on 2024-05-31");
    assert_eq!(said[2], "Birthday on 2024-07-01");
    assert_eq!(said[3], "Birthday on 2024-07-01, turning 30");
    assert_eq!(said[7], "Stored value ¥1234.50");
    assert_eq!(said[10], "12-month spend ¥0.05 is under the 金卡 bar (fits 银卡)");
    assert_eq!(said[11], "Layer B, Sleeping: 200 days since the last purchase");
    assert_eq!(said[12], "Layer A, P(alive) 12.3%");
    // Without words: the code and the figures.
    assert_eq!(reason_text(&WorkReason::Points { points: 1200 }, &|_| None), "points: points 1200");
}

#[test]
fn placeholder_check_sees_leftovers() {
    assert!(placeholder_left("Bought %category% on 2024"));
    assert!(!placeholder_left("P(alive) 12.3%"));
    assert!(!placeholder_left("12.3% and 4.5%"));
}

fn demo() -> Fixture {
    let ds = generate(&DemoSpec { members: 400, ..Default::default() });
    let settings = Settings::default();
    let computed = analyse(&ds, None, true, &settings);
    let lists = WorkListIndex::build(&ds, &computed.summaries, &computed.classified, &settings);
    Fixture { ds, computed, lists, settings }
}

#[test]
fn the_demo_as_csv_reads_back_cell_for_cell() {
    let f = demo();
    let s = spec(Column::ALL.to_vec(), &[("col.name", "姓名")]);
    let t = table(&f.ctx(), &s);
    assert_eq!(t.rows.len(), f.ds.members.len());
    let recs = records(&csv(&t));
    assert_eq!(recs.len(), f.ds.members.len() + 1);
    assert_eq!(recs[0].len(), Column::ALL.len());
    assert_eq!((recs[0][0].as_str(), recs[0][1].as_str(), recs[0][18].as_str()), ("id", "姓名", "spend12m"));
    let mut money = 0;
    for (row, rec) in t.rows.iter().zip(&recs[1..]) {
        assert_eq!(rec.len(), row.len());
        for (cell, field) in row.iter().zip(rec) {
            // Written independently of the engine's formatting.
            let expected = match cell {
                Cell::Empty => String::new(),
                Cell::Text(s) if s.trim_start().starts_with(['=', '+', '-', '@']) || s.starts_with(['\t', '\r']) => format!("'{s}"),
                Cell::Text(s) => s.clone(),
                Cell::Int(n) => n.to_string(),
                Cell::Money(c) => {
                    money += 1;
                    format!("{}{}.{:02}", if *c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100)
                }
                Cell::Percent(p) => format!("{:.1}%", p * 100.0),
                Cell::Date(d) => {
                    let date = member_engine::dates::to_date(*d);
                    format!("{date}")
                }
            };
            assert_eq!(field, &expected);
        }
    }
    assert!(money > 0);
    // The demo's members are all there, by id.
    let ids: std::collections::HashSet<&str> = recs[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), f.ds.members.len());
    assert!(f.ds.members.ids().all(|id| ids.contains(id)));
}

#[test]
fn every_work_lists_export_says_why_each_member_is_on_it() {
    let f = demo();
    let en = locale_words("en.json");
    let mut reasons = 0;
    for list in WorkListKey::ALL {
        let mut s = spec(vec![Column::Id, Column::Reason], &[]);
        s.words = en.clone();
        s.filter = MemberFilter::work_list(list);
        for row in table(&f.ctx(), &s).rows {
            reasons += 1;
            match &row[1] {
                Cell::Text(text) => assert!(!placeholder_left(text), "{list:?}: {text}"),
                other => panic!("{list:?}: a member on the list without a reason: {other:?}"),
            }
        }
    }
    // Without a work list in the filter the column stays empty.
    let rows = table(&f.ctx(), &spec(vec![Column::Id, Column::Reason], &[])).rows;
    assert!(rows.iter().all(|r| r[1] == Cell::Empty));
    eprintln!("{reasons} members on work lists checked");
}
