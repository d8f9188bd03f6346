//! Each hostile or broken file of issue 8 through the whole pipeline (inspect, load, analyse):
//! refused with the file and the reason named, or read with the problem reported; never a panic,
//! never a hang, never a result that does not serialise. Expected figures are computed here from
//! the rows each test writes.


use member_engine::analysis::{analyse, Analysis};
use member_engine::import::load::{inspect_files, load, FileSource, MemoryFiles};
use member_engine::import::plan::TablePlan;
use member_engine::import::report::{problems_csv, FileReport, Reason, TableNote, MAX_PROBLEM_VALUE_CHARS};
use member_engine::import::tables::read_excel;
use member_engine::model::Dataset;
use member_engine::settings::Settings;

#[path = "common/slices.rs"]
mod slices;
use slices::Slices;

fn one_file(name: &str, bytes: Vec<u8>) -> MemoryFiles {
    MemoryFiles(vec![(name.to_string(), bytes)])
}

/// The error `inspect_files` gives for a file that must be refused.
fn refusal(name: &str, bytes: Vec<u8>) -> String {
    match inspect_files(&mut one_file(name, bytes)) {
        Ok(previews) => panic!("{name} was not refused: {} table(s)", previews.len()),
        Err(e) => e.to_string(),
    }
}

/// Inspects and loads with the proposed plans.
fn read(files: &mut dyn FileSource) -> (Dataset, Vec<FileReport>) {
    let plans: Vec<TablePlan> = inspect_files(files).expect("inspect").iter().filter(|p| p.include).map(|p| p.plan()).collect();
    assert!(!plans.is_empty(), "no table proposed");
    load("hostile", &plans, files, &mut |_, _| {}).expect("load")
}

/// Analyses and checks the result survives JSON both ways (a NaN would become `null` and fail
/// to read back as a number).
fn analyse_round_trip(ds: &Dataset) -> (Analysis, usize) {
    let analysis = analyse(ds, None, false, &Settings::default()).analysis;
    let json = serde_json::to_string(&analysis).expect("serialise");
    let back: Analysis = serde_json::from_str(&json).expect("the result reads back: no NaN or infinity became null");
    (back, json.len())
}

fn notes(r: &FileReport) -> &[TableNote] {
    &r.notes
}

#[test]
fn a_png_renamed_csv_is_refused_as_an_image() {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00".to_vec();
    png.extend((0..2000u32).map(|i| (i * 7 % 251) as u8));
    let e = refusal("members.csv", png);
    assert!(e.starts_with("members.csv: "), "{e}");
    assert!(e.contains("PNG image"), "{e}");
}

#[test]
fn one_and_two_byte_files_are_refused() {
    for bytes in [b"a".to_vec(), b"5".to_vec(), b"5\n".to_vec()] {
        let e = refusal("tiny.csv", bytes.clone());
        assert!(e.starts_with("tiny.csv: "), "{e}");
        assert!(e.contains(&format!("only {} byte", bytes.len())), "{e}");
    }
    assert_eq!(refusal("empty.csv", Vec::new()), "empty.csv: the file is empty");
}

#[test]
fn random_binary_is_refused_as_binary() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let e = refusal("export.csv", bytes);
    assert_eq!(e, "export.csv: this is binary content, not text or a workbook");
}

#[test]
fn a_header_without_rows_is_refused() {
    for text in ["会员卡号,消费时间,实收金额\n", "会员卡号,消费时间,实收金额", "\u{feff}id,date,amount\r\n\r\n"] {
        let e = refusal("header.csv", text.as_bytes().to_vec());
        assert_eq!(e, "header.csv: the file has a header but no rows");
    }
    // A JSON array with no objects has no rows either.
    assert!(refusal("empty.json", b"[]".to_vec()).starts_with("empty.json: "));
}

#[test]
fn a_50_mb_single_line_is_refused_quickly() {
    let line = vec![b'7'; 50 * 1024 * 1024];
    for slice in [1 << 16, 4 << 20] {
        let mut files = Slices::one("line.csv", line.clone(), slice);
        let e = inspect_files(&mut files).expect_err("a 50 MB line without a break is not a table").to_string();
        assert!(e.starts_with("line.csv: the first 256 KB hold no line break"), "{e}");
    }
}

#[test]
fn a_50_mb_cell_in_a_problem_row_is_cut_in_the_report() {
    let mut text = String::from("会员卡号,消费时间,实收金额\n");
    for i in 1..=10 {
        text.push_str(&format!("M{i},2024-03-{i:02},10.00\n"));
    }
    text.push_str("M11,2024-03-11,");
    let huge = "金".repeat(50 * 1024 * 1024 / 3);
    text.push_str(&huge);
    text.push('\n');
    text.push_str("M12,2024-03-12,10.00\n");
    let (ds, reports) = read(&mut one_file("big.csv", text.into_bytes()));
    assert_eq!(ds.transactions.len(), 11);
    let r = &reports[0];
    assert_eq!((r.rows_read, r.rows_used, r.rows_skipped), (12, 11, 1));
    let p = r.problems.iter().find(|p| p.row == 12).expect("the row with the huge cell is a problem");
    assert_eq!(p.code, Reason::NotAnAmount);
    assert_eq!(p.value.chars().count(), MAX_PROBLEM_VALUE_CHARS + 1);
    assert!(p.value.ends_with('…'));
    assert!(problems_csv(&reports, &member_engine::import::report::CsvWords::english()).len() < 10_000);
}

#[test]
fn an_unclosed_quote_on_row_102_is_reported_and_the_rest_is_read() {
    // Row 1 is the header; data rows are rows 2 ..= 10,000. Row 102 opens a quote it never closes.
    let mut text = String::from("会员卡号,消费时间,实收金额,备注\n");
    let mut expected_cents: i64 = 0;
    for row in 2..=10_000u32 {
        let cents = (row as i64 % 97 + 1) * 100;
        expected_cents += cents;
        let note = if row == 102 { "\"broken note".to_string() } else { "ok".to_string() };
        text.push_str(&format!("M{},2024-{:02}-{:02},{}.{:02},{note}\n", row % 300, row % 12 + 1, row % 28 + 1, cents / 100, cents % 100));
    }
    for slice in [4096, 4 << 20] {
        let (ds, reports) = read(&mut Slices::one("quote.csv", text.clone().into_bytes(), slice));
        let r = &reports[0];
        assert!(notes(r).contains(&TableNote::UnclosedQuote { row: 102 }), "{:?}", notes(r));
        assert_eq!(r.rows_read, 9_999, "slice {slice}");
        assert_eq!(ds.transactions.len(), 9_999);
        assert_eq!(ds.transactions.amount_cents.iter().sum::<i64>(), expected_cents);
    }
}

#[test]
fn gbk_turning_into_utf8_after_256_kb_is_reported_and_read_right() {
    let mut gbk_part = String::from("会员卡号,消费时间,实收金额,项目\n");
    let mut lines = 1u64;
    let mut gbk_len = encoding_rs::GBK.encode(&gbk_part).0.len();
    while gbk_len < 300 * 1024 {
        lines += 1;
        let line = format!("M{},2024-03-05,10.00,面霜\n", lines % 500);
        gbk_len += encoding_rs::GBK.encode(&line).0.len();
        gbk_part.push_str(&line);
    }
    let utf8_part: String = (0..200).map(|i| format!("U{i},2024-04-05,20.00,面膜\n")).collect();
    let mut bytes = encoding_rs::GBK.encode(&gbk_part).0.into_owned();
    bytes.extend_from_slice(utf8_part.as_bytes());
    let (ds, reports) = read(&mut one_file("mixed.csv", bytes));
    let r = &reports[0];
    let change = TableNote::EncodingChanged { from: "GBK/GB18030".into(), to: "UTF-8".into(), row: lines + 1 };
    assert!(notes(r).contains(&change), "{:?}", notes(r));
    assert!(!notes(r).iter().any(|n| matches!(n, TableNote::InvalidBytes { .. })), "{:?}", notes(r));
    let mut names: Vec<&str> = ds.categories.names().iter().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, vec!["面膜", "面霜"]);
    assert_eq!(ds.transactions.len() as u64, lines - 1 + 200);
}

#[test]
fn formula_cells_are_defused_in_the_problems_csv() {
    let formulas = ["\t=HYPERLINK(\"http://x\",\"y\")", " =1+1", "\r=2+2", "@SUM(A1)", "  -3+3"];
    let mut text = String::from("会员卡号,消费时间,实收金额\n");
    for (i, f) in formulas.iter().enumerate() {
        text.push_str(&format!("M{i},2024-03-05,\"{}\"\n", f.replace('"', "\"\"")));
    }
    text.push_str("M9,2024-03-05,5\n");
    let (_, reports) = read(&mut one_file("formulas.csv", text.into_bytes()));
    assert_eq!(reports[0].problems.len(), formulas.len());
    let csv = problems_csv(&reports, &member_engine::import::report::CsvWords::english());
    for f in formulas {
        // Each value is written after an apostrophe (inside quotes when it has a quote or CR).
        let plain = format!(",'{f},");
        let quoted = format!(",\"'{}\",", f.replace('"', "\"\""));
        assert!(csv.contains(&plain) || csv.contains(&quoted), "{f:?} not defused in {csv}");
    }
}

#[test]
fn rows_dated_9999_and_0001_are_problems_and_keep_the_data_set_small() {
    let mut text = String::from("会员卡号,消费时间,实收金额\n");
    let mut expected_cents = 0;
    for i in 1..=120 {
        text.push_str(&format!("M{},2024-{:02}-15,{i}.00\n", i % 40, i % 12 + 1));
        expected_cents += i * 100;
    }
    text.push_str("M1,9999-12-31,50.00\nM2,0001-01-01,60.00\nM3,99991231,70.00\n");
    assert!(text.len() < 5 * 1024);
    let (ds, reports) = read(&mut one_file("dates.csv", text.into_bytes()));
    let out_of_range: Vec<u64> = reports[0].problems.iter().filter(|p| p.code == Reason::DateOutOfRange).map(|p| p.row).collect();
    assert_eq!(out_of_range, vec![122, 123, 124]);
    assert_eq!(ds.transactions.len(), 120);
    assert_eq!(ds.transactions.amount_cents.iter().sum::<i64>(), expected_cents);
    let (analysis, json_len) = analyse_round_trip(&ds);
    // Months of 2024 only, not eight thousand years of them.
    assert!(analysis.overview.months.len() <= 13, "{} months", analysis.overview.months.len());
    assert!(json_len < 2_000_000, "{json_len} bytes of result");
}

#[test]
fn excel_date_cells_in_year_9999_are_out_of_range() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["会员卡号", "消费时间", "实收金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=5u32 {
        ws.write_string(r, 0, format!("M{r}")).unwrap();
        let year = if r == 3 { 9999 } else { 2024 };
        ws.write_datetime_with_format(r, 1, &ExcelDateTime::from_ymd(year, 3, r as u8).unwrap(), &date_format).unwrap();
        ws.write_number(r, 2, 10.0).unwrap();
    }
    let (ds, reports) = read(&mut one_file("dates.xlsx", wb.save_to_buffer().unwrap()));
    assert_eq!(ds.transactions.len(), 4);
    let p: Vec<(u64, Reason)> = reports[0].problems.iter().map(|p| (p.row, p.code)).collect();
    assert_eq!(p, vec![(4, Reason::DateOutOfRange)]);
}

#[test]
fn a_workbook_with_only_a1_and_xfd1048576_does_not_crash() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "会员卡号").unwrap();
    ws.write_string(1_048_575, 16_383, "far away").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000);
    let tables = read_excel(&bytes).expect("read sparse");
    assert_eq!(tables[0].rows, vec![vec!["会员卡号".to_string()]]);
    let e = refusal("far.xlsx", bytes);
    assert_eq!(e, "far.xlsx: the file has a header but no rows");
}

#[test]
fn a_workbook_far_down_but_narrow_is_read_with_its_row_numbers() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["会员卡号", "消费时间", "实收金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "M1").unwrap();
    ws.write_string(1, 1, "2024-03-05").unwrap();
    ws.write_number(1, 2, 5.0).unwrap();
    ws.write_string(1_048_575, 0, "M2").unwrap();
    ws.write_string(1_048_575, 1, "not a date").unwrap();
    ws.write_number(1_048_575, 2, 7.0).unwrap();
    let (ds, reports) = read(&mut one_file("far.xlsx", wb.save_to_buffer().unwrap()));
    assert_eq!(ds.transactions.len(), 1);
    let p: Vec<(u64, Reason)> = reports[0].problems.iter().map(|p| (p.row, p.code)).collect();
    assert_eq!(p, vec![(1_048_576, Reason::NotADate)]);
}

#[test]
fn a_hundred_rows_of_999999999999999_are_problems_and_totals_stay_positive() {
    let mut text = String::from("会员卡号,消费时间,实收金额\n");
    for d in 1..=100 {
        text.push_str(&format!("M1,2024-03-{:02},999999999999999\n", d % 28 + 1));
    }
    text.push_str("M1,2024-04-01,12.50\nM2,2024-04-02,7.50\n");
    let (ds, reports) = read(&mut one_file("huge.csv", text.into_bytes()));
    let r = &reports[0];
    assert_eq!(r.problems.iter().filter(|p| p.code == Reason::AmountTooLarge).count(), 100);
    assert_eq!(r.rows_skipped, 100);
    assert_eq!(ds.transactions.amount_cents.iter().sum::<i64>(), 2_000);
    let (analysis, _) = analyse_round_trip(&ds);
    assert!(analysis.overview.kpis.revenue_12m_cents >= 0);
    assert!(analysis.overview.months.iter().all(|m| m.revenue_cents >= 0));
}

#[test]
fn refunds_with_the_sign_after_the_currency_mark_are_refunds() {
    let amounts = ["￥100.00", "￥-716.40", "-￥35", "¥ -35", "RMB-12.00", "716.40-", "(￥12.00)", "￥1,280.00"];
    let expected: i64 = 10_000 - 71_640 - 3_500 - 3_500 - 1_200 - 71_640 - 1_200 + 128_000;
    let mut text = String::from("会员卡号,消费时间,实收金额\n");
    for (i, a) in amounts.iter().enumerate() {
        text.push_str(&format!("M{},2024-03-{:02},\"{a}\"\n", i % 3, i + 1));
    }
    let (ds, reports) = read(&mut one_file("pos.csv", text.into_bytes()));
    assert!(reports[0].problems.is_empty(), "{:?}", reports[0].problems);
    assert_eq!(ds.transactions.len(), amounts.len());
    assert_eq!(ds.transactions.amount_cents.iter().sum::<i64>(), expected);
}
