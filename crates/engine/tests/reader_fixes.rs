//! Reader fixes of issue 8 (review): GBK decoded in whole chunks, stray quotes that a later quote
//! closes within one read step, and the `.xls` dimensions guard. Expected figures are computed
//! here from the rows each test writes.

use std::time::Instant;

use member_engine::import::decode::{TextDecoder, TextEncoding};

/// `n` lines of a GBK transactions export (about 45 bytes a line).
fn gbk_lines(n: usize) -> Vec<u8> {
    let text: String = (0..n).map(|i| format!("880{i:07},王静{},2024-03-05 14:22,128.00,面部护理\n", i % 100)).collect();
    encoding_rs::GBK.encode(&text).0.into_owned()
}

/// Timing, not a check: `cargo test --release --test reader_fixes -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_gbk_decoding() {
    let bytes = gbk_lines(1_000_000);
    let start = Instant::now();
    let mut decoder = TextDecoder::new(TextEncoding::Gb18030);
    let mut text = String::new();
    let mut chars = 0;
    let slices: Vec<&[u8]> = bytes.chunks(4 << 20).collect();
    for (i, s) in slices.iter().enumerate() {
        text.clear();
        decoder.decode(s, i + 1 == slices.len(), &mut text);
        chars += text.len();
    }
    let ours = start.elapsed();
    let start = Instant::now();
    let mut stream = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut plain = 0;
    for (i, s) in slices.iter().enumerate() {
        text.clear();
        text.reserve(s.len() * 2);
        let _ = stream.decode_to_string(s, &mut text, i + 1 == slices.len());
        plain += text.len();
    }
    let streaming = start.elapsed();
    assert_eq!(chars, plain);
    println!(
        "1,000,000 GBK lines ({:.1} MB): TextDecoder {} ms, encoding_rs streaming decoder {} ms",
        bytes.len() as f64 / 1e6,
        ours.as_millis(),
        streaming.as_millis()
    );
}

use member_engine::import::load::{inspect_files, load, FileSource, MemoryFiles};
use member_engine::import::plan::TablePlan;
use member_engine::import::report::{FileReport, TableNote};
use member_engine::model::Dataset;

#[path = "common/slices.rs"]
mod slices;
use slices::Slices;

/// Inspects and loads with the proposed plans.
fn read(files: &mut dyn FileSource) -> (Dataset, Vec<FileReport>) {
    let plans: Vec<TablePlan> = inspect_files(files).expect("inspect").iter().filter(|p| p.include).map(|p| p.plan()).collect();
    assert!(!plans.is_empty(), "no table proposed");
    load("reader fixes", &plans, files, &mut |_, _| {}).expect("load")
}

/// A transactions export of `rows` data rows; data row `bad` has a note opening a quote by
/// mistake and data row `bad + gap` a quoted note, whose opening quote closes the stray one.
/// Returns the text and the sum of its amounts in cents.
fn export_with_stray_quote(rows: u32, bad: u32, gap: u32) -> (String, i64) {
    let mut text = String::from("会员卡号,消费时间,实收金额,备注\n");
    let mut cents_sum = 0;
    for i in 1..=rows {
        let cents = i64::from(i % 89 + 1) * 100 + i64::from(i % 7);
        cents_sum += cents;
        let note = match i {
            _ if i == bad => "\"oops".to_string(),
            _ if i == bad + gap => "\"fine\"".to_string(),
            _ => "ok".to_string(),
        };
        text.push_str(&format!("M{},2024-{:02}-{:02},{}.{:02},{note}\n", i % 250, i % 12 + 1, i % 28 + 1, cents / 100, cents % 100));
    }
    (text, cents_sum)
}

#[test]
fn a_stray_quote_closed_later_in_the_same_read_step_loses_no_row_and_is_noted() {
    let (rows, bad) = (3_000u32, 12u32);
    for gap in [150, 50] {
        let (text, cents_sum) = export_with_stray_quote(rows, bad, gap);
        for slice in [4096, 4 << 20] {
            let files = MemoryFiles(vec![("stray.csv".to_string(), text.clone().into_bytes())]);
            let (ds, reports) = read(&mut Slices(files, slice));
            let r = &reports[0];
            assert_eq!(r.rows_read, u64::from(rows), "gap {gap} slice {slice}");
            assert_eq!(ds.transactions.len(), rows as usize, "gap {gap} slice {slice}");
            assert_eq!(ds.transactions.amount_cents.iter().sum::<i64>(), cents_sum, "gap {gap} slice {slice}");
            // The header is row 1 of the file: data row `bad` is row `bad + 1`.
            assert_eq!(r.notes, vec![TableNote::UnclosedQuote { row: u64::from(bad) + 1 }], "gap {gap} slice {slice}");
        }
    }
}

#[test]
fn a_legacy_xls_declaring_60000_rows_by_70_columns_is_read() {
    let mut file = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/members-legacy.xls")).unwrap();
    // The sheet's DIMENSIONS record (type 0x0200, 14 bytes) made to declare 60,000 × 70, as a
    // large export does (4.2 million cells, over the old 4 million limit).
    let at: Vec<usize> = (0..file.len() - 4).filter(|&i| file[i..i + 4] == [0x00, 0x02, 0x0E, 0x00]).collect();
    assert_eq!(at.len(), 1);
    file[at[0] + 8..at[0] + 12].copy_from_slice(&60_000u32.to_le_bytes());
    file[at[0] + 14..at[0] + 16].copy_from_slice(&70u16.to_le_bytes());
    let mut files = MemoryFiles(vec![("members-legacy.xls".to_string(), file)]);
    let (ds, reports) = read(&mut files);
    // The fixture's members (README of tests/data): 000101 and 000102, and one row without id.
    assert_eq!(ds.members.len(), 2);
    assert_eq!(reports[0].rows_read, 3);
}
