//! Property tests over the readers and the whole analysis: random bytes and mutated valid files
//! (CSV in UTF-8, GBK and UTF-16, an xlsx, JSON), read in slices of various sizes, then loaded
//! and analysed. Whatever the bytes: no panic, bounded time, and a result with no NaN or
//! infinity that serialises to JSON and reads back.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use member_engine::analysis::{analyse, Analysis};
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::import::plan::TablePlan;
use member_engine::settings::Settings;
use proptest::prelude::*;

#[path = "common/slices.rs"]
mod slices;
use slices::Slices;

const CSV: &str = "会员卡号,消费时间,实收金额,项目,类型,姓名\n\
8800001,2024-03-05,128.00,面霜,消费,王静\n\
8800002,2024/3/6 14:22,\"1,280.00\",面膜,消费,李娜\n\
8800001,2024年4月5日,￥-35,面膜,退款,王静\n\
8800003,20240601,(12.00),洁面,退货,张伟\n\
,2024-06-02,50,洁面,消费,\n\
8800002,2024-07-15,716.40-,面霜,消费,李娜\n\
8800004,2024-08-01,99,\"多行\n备注\",消费,赵敏\n\
8800001,2024-09-09,RMB-12.00,面霜,消费,王静\n\
8800005,2024-10-10,500,,储值充值,周杰\n";

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["会员卡号", "消费时间", "实收金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=12u32 {
        ws.write_string(r, 0, format!("M{}", r % 5)).unwrap();
        ws.write_datetime_with_format(r, 1, &ExcelDateTime::from_ymd(2024, (r % 12 + 1) as u8, 3).unwrap(), &date_format).unwrap();
        ws.write_number(r, 2, r as f64 * 10.5).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

const JSON: &str = r#"{"members":[{"卡号":"A","姓名":"王静"},{"卡号":"B","姓名":"李娜"}],
"transactions":[{"卡号":"A","日期":"2024-01-01","金额":5},{"卡号":"B","日期":"2024-02-01","金额":"￥-3"},
{"卡号":"A","日期":"2024-03-01","金额":12.5}]}"#;

/// Valid files to mutate: (name, bytes).
fn seeds() -> &'static [(&'static str, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        vec![
            ("utf8.csv", CSV.as_bytes().to_vec()),
            ("gbk.csv", encoding_rs::GBK.encode(CSV).0.into_owned()),
            ("utf16.txt", utf16le(&CSV.replace(',', "\t"))),
            ("book.xlsx", xlsx()),
            ("export.json", JSON.as_bytes().to_vec()),
        ]
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the byte at (position mod length).
    Flip(usize, u8),
    /// Insert bytes at (position mod length + 1).
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
}

/// Bytes that break readers: quotes, NULs, line breaks, huge numbers, dates out of range,
/// signs, BOMs, stray multi-byte starts.
fn nasty_bytes() -> impl Strategy<Value = Vec<u8>> {
    let picks: Vec<Vec<u8>> = [
        &b"\""[..],
        b"\0",
        b"\n",
        b"\r",
        b",",
        b"\t",
        b"999999999999999",
        b"99999999999999999999999",
        b"9999-12-31",
        b"0001-01-01",
        b"1e308",
        b"NaN",
        b"-",
        b"--",
        b"\xFF\xFE",
        b"\xEF\xBB\xBF",
        b"\xE4\xB8",
        b"\x81",
        "￥-".as_bytes(),
        b"2958465",
        b"-693594",
        b"=1+1",
    ]
    .iter()
    .map(|b| b.to_vec())
    .collect();
    prop_oneof![prop::sample::select(picks), prop::collection::vec(any::<u8>(), 1..8)]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), nasty_bytes()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    match m {
        Mutation::Flip(i, b) if len > 0 => bytes[i % len] = *b,
        Mutation::Flip(..) => {}
        Mutation::Insert(i, b) => {
            let at = i % (len + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Mutation::Delete(i, n) if len > 0 => {
            let at = i % len;
            bytes.drain(at..(at + n).min(len));
        }
        Mutation::Delete(..) => {}
        Mutation::Truncate(i) => bytes.truncate(i % (len + 1)),
    }
}

/// Whether the `Debug` text of a value holds a NaN or an infinity outside its strings (serde_json
/// would write either as `null`, which the page cannot read as a number).
fn debug_has_non_finite(debug: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut token = String::new();
    for c in debug.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            token.push(c);
            continue;
        }
        if token == "NaN" || token == "inf" {
            return true;
        }
        token.clear();
        in_string = c == '"';
    }
    token == "NaN" || token == "inf"
}

/// Every step of a load and the analysis: any step may refuse the bytes, none may panic or
/// hang, and an analysis must be finite and survive JSON both ways.
fn through_the_pipeline(name: &str, bytes: Vec<u8>, slice: u64) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let mut files = Slices::one(name, bytes, slice);
    let Ok(previews) = inspect_files(&mut files) else { return Ok(()) };
    let plans: Vec<TablePlan> =
        previews.iter().filter(|p| p.include).map(|p| p.plan()).filter(|p| p.missing_fields().is_empty()).collect();
    if plans.is_empty() {
        return Ok(());
    }
    let Ok((ds, _reports)) = load("fuzz", &plans, &mut files, &mut |_, _| {}) else { return Ok(()) };
    let analysis = analyse(&ds, None, false, &Settings::default()).analysis;
    let debug = format!("{analysis:?}");
    prop_assert!(!debug_has_non_finite(&debug), "NaN or infinity in the analysis: {debug}");
    let json = serde_json::to_string(&analysis).map_err(|e| TestCaseError::fail(format!("serialise: {e}")))?;
    let back: Result<Analysis, _> = serde_json::from_str(&json);
    prop_assert!(back.is_ok(), "the result does not read back: {:?}", back.err());
    prop_assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    Ok(())
}

fn slice_size() -> impl Strategy<Value = u64> {
    prop::sample::select(vec![1u64, 3, 7, 64, 4096, 1 << 20])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_break_the_pipeline(bytes in prop::collection::vec(any::<u8>(), 0..3000), slice in slice_size()) {
        through_the_pipeline("random.csv", bytes, slice)?;
    }

    #[test]
    fn mutated_files_never_break_the_pipeline(
        seed in 0..5usize,
        mutations in prop::collection::vec(mutation(), 1..8),
        slice in slice_size(),
    ) {
        let (name, base) = &seeds()[seed];
        let mut bytes = base.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        through_the_pipeline(name, bytes, slice)?;
    }

    #[test]
    fn csv_rows_with_any_cells_never_break_the_pipeline(
        cells in prop::collection::vec(prop::collection::vec("[0-9A-Za-z￥¥$,.\"\\-+()/ 年月日:\n\t]{0,12}", 3), 1..30),
        slice in slice_size(),
    ) {
        let mut text = String::from("会员卡号,消费时间,实收金额\n");
        for row in &cells {
            let quoted: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            text.push_str(&quoted.join(","));
            text.push('\n');
        }
        through_the_pipeline("cells.csv", text.into_bytes(), slice)?;
    }
}

#[test]
fn the_non_finite_check_finds_nan_and_infinity_but_not_text() {
    #[derive(Debug)]
    #[allow(dead_code)]
    struct S {
        name: String,
        x: f64,
    }
    assert!(debug_has_non_finite(&format!("{:?}", S { name: "a".into(), x: f64::NAN })));
    assert!(debug_has_non_finite(&format!("{:?}", S { name: "a".into(), x: f64::INFINITY })));
    assert!(debug_has_non_finite(&format!("{:?}", S { name: "a".into(), x: f64::NEG_INFINITY })));
    assert!(!debug_has_non_finite(&format!("{:?}", S { name: "NaN \"inf\" inf".into(), x: 1.5 })));
}

#[test]
fn every_seed_is_read_unmutated() {
    for (name, bytes) in seeds() {
        let mut files = MemoryFiles(vec![(name.to_string(), bytes.clone())]);
        let previews = inspect_files(&mut files).unwrap_or_else(|e| panic!("{name}: {e}"));
        let plans: Vec<TablePlan> = previews.iter().filter(|p| p.include).map(|p| p.plan()).collect();
        let (ds, _) = load("seed", &plans, &mut files, &mut |_, _| {}).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!ds.transactions.is_empty(), "{name}: no transactions");
    }
}
