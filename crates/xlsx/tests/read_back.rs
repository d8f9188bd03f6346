//! The workbook read back by an independent reader (calamine) and unzipped: header, typed cells
//! (numbers as floats, money as yuan, dates as dates, text never a formula), rows, a frozen
//! header row with a filter, widths from the content.

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use member_engine::analysis::analyse;
use member_engine::dates::{day_from_ymd, to_date};
use member_engine::demo::{generate, DemoSpec};
use member_engine::export::{table, Cell, ExportSpec, ExportTable, ExportWords};
use member_engine::members::{Column, Ctx, MemberFilter, Sort};
use member_engine::settings::Settings;
use member_engine::worklists::WorkListIndex;

fn sheet(bytes: &[u8]) -> (String, calamine::Range<Data>) {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("the first sheet reads");
    (name, range)
}

fn part(bytes: &[u8], path: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(path).unwrap().read_to_string(&mut text).unwrap();
    text
}

fn hand_table() -> ExportTable {
    let d = day_from_ymd(2024, 3, 5).unwrap();
    ExportTable {
        file_name: "x".into(),
        sheet: "会员名单".into(),
        headers: vec!["姓名".into(), "消费".into(), "占比".into(), "日期".into(), "次数".into()],
        columns: vec![Column::Name, Column::Spend, Column::PAlive, Column::LastPurchase, Column::Visits],
        rows: vec![
            vec![Cell::Text("=1+1".into()), Cell::Money(123_456), Cell::Percent(0.25), Cell::Date(d), Cell::Int(3)],
            vec![Cell::Text("张三".into()), Cell::Money(-1200), Cell::Percent(f64::NAN), Cell::Empty, Cell::Int(-2)],
            vec![Cell::Text("@x".into()), Cell::Empty, Cell::Empty, Cell::Date(-30_000), Cell::Empty],
        ],
    }
}

#[test]
fn a_hand_written_table_reads_back_typed() {
    let bytes = member_xlsx::write(&hand_table()).unwrap();
    let (name, r) = sheet(&bytes);
    assert_eq!(name, "会员名单");
    assert_eq!(r.get_size(), (4, 5));
    let headers: Vec<String> = (0..5).map(|c| r.get((0, c)).unwrap().to_string()).collect();
    assert_eq!(headers, ["姓名", "消费", "占比", "日期", "次数"]);
    // A formula-looking name is a string, not a formula.
    assert_eq!(r.get((1, 0)), Some(&Data::String("=1+1".into())));
    assert_eq!(r.get((3, 0)), Some(&Data::String("@x".into())));
    assert_eq!(r.get((1, 1)), Some(&Data::Float(1234.56)));
    assert_eq!(r.get((2, 1)), Some(&Data::Float(-12.0)));
    assert_eq!(r.get((1, 2)), Some(&Data::Float(0.25)));
    assert_eq!(r.get((2, 2)), Some(&Data::Empty));
    match r.get((1, 3)) {
        Some(Data::DateTime(dt)) => assert_eq!(dt.as_datetime().map(|t| t.date().to_string()).as_deref(), Some("2024-03-05")),
        other => panic!("a date cell, not {other:?}"),
    }
    // A date Excel cannot hold (in 1887) is written as text.
    assert_eq!(r.get((3, 3)), Some(&Data::String(to_date(-30_000).to_string())));
    assert_eq!(r.get((1, 4)), Some(&Data::Float(3.0)));
    assert_eq!(r.get((2, 4)), Some(&Data::Float(-2.0)));
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{xml}");
    assert!(xml.contains(r#"<autoFilter ref="A1:E4"/>"#));
    assert!(!xml.contains("<f>"), "no formula anywhere");
    let styles = part(&bytes, "xl/styles.xml");
    for format in [r##"formatCode="#,##0.00""##, r#"formatCode="0.0%""#, r#"formatCode="yyyy-mm-dd""#] {
        assert!(styles.contains(format), "{format} in {styles}");
    }
    assert!(styles.contains("<b/>"), "a bold header");
}

#[test]
fn the_demo_list_reads_back_row_for_row() {
    let ds = generate(&DemoSpec { members: 300, ..Default::default() });
    let settings = Settings::default();
    let computed = analyse(&ds, None, true, &settings);
    let lists = WorkListIndex::build(&ds, &computed.summaries, &computed.classified, &settings);
    let ctx = Ctx { ds: &ds, sums: &computed.summaries, c: &computed.classified, lists: &lists, settings: &settings };
    let spec = ExportSpec {
        filter: MemberFilter::everyone(),
        sort: Sort::default(),
        columns: Column::ALL.to_vec(),
        words: ExportWords::default(),
        full_phones: false,
        title: "Members".into(),
    };
    let t = table(&ctx, &spec);
    let bytes = member_xlsx::write(&t).unwrap();
    let (name, r) = sheet(&bytes);
    assert_eq!(name, "Members");
    assert_eq!(r.get_size(), (ds.members.len() + 1, Column::ALL.len()));
    for (c, h) in t.headers.iter().enumerate() {
        assert_eq!(r.get((0, c)), Some(&Data::String(h.clone())));
    }
    let (mut money, mut dates) = (0, 0);
    for (i, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let got = r.get((i + 1, c)).cloned().unwrap_or(Data::Empty);
            match cell {
                Cell::Empty => assert_eq!(got, Data::Empty),
                Cell::Text(s) => assert_eq!(got, Data::String(s.clone())),
                Cell::Int(n) => assert_eq!(got, Data::Float(*n as f64)),
                Cell::Money(cents) => {
                    money += 1;
                    assert_eq!(got, Data::Float(*cents as f64 / 100.0));
                }
                Cell::Percent(p) => assert_eq!(got, Data::Float(*p)),
                Cell::Date(d) => {
                    dates += 1;
                    let Data::DateTime(dt) = got else { panic!("row {i} column {c}: a date, not {got:?}") };
                    assert_eq!(dt.as_datetime().map(|t| t.date()), Some(to_date(*d)));
                }
            }
        }
    }
    assert!(money > 0 && dates > 0);
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"state="frozen""#) && xml.contains(r#"ySplit="1""#));
    // Every column has a width (`<col min max width>`, neighbours of one width share one), none
    // wider than 50.
    let attr = |c: &str, name: &str| -> f64 { c.split(&format!("{name}=\"")).nth(1).and_then(|v| v.split('"').next()).and_then(|v| v.parse().ok()).unwrap() };
    let widths: Vec<f64> = xml
        .split("<col ")
        .skip(1)
        .flat_map(|c| std::iter::repeat_n(attr(c, "width"), (attr(c, "max") - attr(c, "min")) as usize + 1))
        .collect();
    assert_eq!(widths.len(), Column::ALL.len());
    assert!(widths.iter().all(|&w| (6.0..=51.0).contains(&w)), "{widths:?}");
}

#[test]
fn an_empty_table_still_makes_a_workbook() {
    let bytes = member_xlsx::write(&ExportTable { sheet: "Sheet1".into(), ..Default::default() }).unwrap();
    assert!(bytes.starts_with(b"PK"));
    // A sheet name Excel refuses is an error, not a panic.
    assert!(member_xlsx::write(&ExportTable { sheet: "a[b]".into(), ..Default::default() }).is_err());
}
