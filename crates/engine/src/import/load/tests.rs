//! The quick way through plain transaction rows gives the same data set and reports as the
//! general way, on generated exports with the quirks of real ones; and the figures match what
//! the test wrote.

#![cfg(test)]
use super::*;
use crate::import::ingest::Loader;
use crate::model::WALK_IN;

/// A small deterministic generator (no dependency on the engine's own).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// What the test knows of the rows it wrote.
#[derive(Default, Debug, PartialEq)]
struct Expected {
    used: u64,
    amount_cents: i64,
    walk_ins: u64,
    members: std::collections::BTreeSet<String>,
}

/// One export: rows of id, date, paid, gross, discount, category, store with the quirks of real
/// exports (ids with spaces, a text prefix or `.0`; dates in several forms, unreadable or out of
/// range; money with thousands separators, currency marks, refunds, unreadable; walk-ins, blank
/// lines, a totals row), joined by `sep`, with a BOM and CRLF when asked.
fn export(rows: usize, seed: u64, sep: &str, bom: bool, crlf: bool) -> (String, Expected) {
    let mut rng = Lcg(seed);
    let mut expected = Expected::default();
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = String::from(if bom { "\u{feff}" } else { "" });
    text.push_str(&["会员卡号", "消费时间", "实收金额", "应收金额", "优惠金额", "项目", "门店"].join(sep));
    text.push_str(eol);
    for i in 0..rows {
        if i % 97 == 50 {
            text.push_str(eol);
        }
        let n = rng.next(60);
        let (id, key) = match rng.next(10) {
            0 => (String::new(), None),
            1 => (format!(" V{n:04} "), Some(format!("V{n:04}"))),
            2 => (format!("'V{n:04}"), Some(format!("V{n:04}"))),
            3 => (format!("{}.0", 880_000 + n), Some(format!("{}", 880_000 + n))),
            _ => (format!("V{n:04}"), Some(format!("V{n:04}"))),
        };
        let day = 1 + rng.next(28);
        let (date, date_ok) = match rng.next(12) {
            0 => (format!("2024/3/{day} 14:22"), true),
            1 => (format!("202403{day:02}"), true),
            2 => (format!("2024年3月{day}日"), true),
            3 if i % 5 == 0 => ("soon".to_string(), false),
            4 if i % 7 == 0 => ("9999-12-31".to_string(), false),
            5 if i % 11 == 0 => (String::new(), false),
            _ => (format!("2024-03-{day:02}"), true),
        };
        let cents = rng.next(300_000) as i64 + 1;
        let quote = |s: String| if sep == "," { format!("\"{s}\"") } else { s };
        let (paid, paid_cents) = match rng.next(10) {
            0 => (format!("-{}.{:02}", cents / 100, cents % 100), Some(-cents)),
            1 => (quote(format!("{},{:03}.{:02}", cents / 100_000, cents / 100 % 1_000, cents % 100)), Some(cents / 100_000 * 100_000 + cents % 100_000)),
            2 => (format!("￥{}.{:02}", cents / 100, cents % 100), Some(cents)),
            3 if i % 3 == 0 => ("abc".to_string(), None),
            4 if i % 13 == 0 => (String::new(), None),
            _ => (format!("{}.{:02}", cents / 100, cents % 100), Some(cents)),
        };
        let gross = match rng.next(3) {
            0 => String::new(),
            _ => format!("{}.00", cents / 100 + 5),
        };
        let discount = match rng.next(6) {
            0 => "3.50".to_string(),
            1 if i % 4 == 0 => "x".to_string(),
            _ => String::new(),
        };
        let category = ["面霜", "洁面", "", "Mask"][rng.next(4) as usize];
        let store = ["静安店", "", "徐汇店"][rng.next(3) as usize];
        text.push_str(&[id.as_str(), &date, &paid, &gross, &discount, category, store].join(sep));
        text.push_str(eol);
        if let (true, Some(paid)) = (date_ok, paid_cents) {
            expected.used += 1;
            expected.amount_cents += paid;
            match key {
                Some(k) => {
                    expected.members.insert(k);
                }
                None => expected.walk_ins += 1,
            }
        }
    }
    text.push_str(&["合计", "", "1000", "", "", "", ""].join(sep));
    text.push_str(eol);
    (text, expected)
}

/// Reads the files with the plans inspect proposes; the quick way allowed or not.
fn read(files: &[(&str, Vec<u8>)], quick: bool) -> (Loader, Vec<TablePlan>) {
    let mut source = MemoryFiles(files.iter().map(|(n, b)| (n.to_string(), b.clone())).collect());
    let plans: Vec<TablePlan> = inspect_files(&mut source).unwrap().iter().map(|p| p.plan()).collect();
    let loader = if quick { Loader::new("t") } else { Loader::new("t").without_quick_rows() };
    (read_tables(loader, &plans, &mut source, &mut |_, _| {}).unwrap(), plans)
}

/// Both ways give the same data set and reports; returns them with the rows the quick way took.
fn same_both_ways(files: &[(&str, Vec<u8>)]) -> (Dataset, Vec<FileReport>, u64) {
    let (quick, _) = read(files, true);
    let (general, _) = read(files, false);
    let quick_rows = quick.quick_rows();
    assert_eq!(general.quick_rows(), 0);
    let (a, ra) = quick.finish();
    let (b, rb) = general.finish();
    assert_eq!(ra, rb);
    let (ta, tb) = (&a.transactions, &b.transactions);
    assert_eq!((&ta.member, &ta.day, &ta.amount_cents, &ta.kind), (&tb.member, &tb.day, &tb.amount_cents, &tb.kind));
    let lazy = |t: &crate::model::Transactions| (0..t.len()).map(|r| (t.discount_cents(r), t.category(r), t.store(r))).collect::<Vec<_>>();
    assert_eq!(lazy(ta), lazy(tb));
    assert_eq!(a.members.ids().collect::<Vec<_>>(), b.members.ids().collect::<Vec<_>>());
    assert_eq!((a.categories.names(), a.stores.names()), (b.categories.names(), b.stores.names()));
    (a, ra, quick_rows)
}

fn check_figures(ds: &Dataset, report: &FileReport, expected: &Expected) {
    let members: std::collections::BTreeSet<String> = ds.members.ids().map(str::to_string).collect();
    let walk_ins = ds.transactions.member.iter().filter(|&&m| m == WALK_IN).count() as u64;
    let got = Expected { used: report.rows_used, amount_cents: ds.transactions.amount_cents.iter().sum(), walk_ins, members };
    assert_eq!(&got, expected);
    assert_eq!(report.totals_rows, 1);
}

#[test]
fn quick_and_general_ways_agree_on_csv_with_bom_crlf_quotes_and_separators() {
    let (text, expected) = export(3_000, 7, ",", true, true);
    let (ds, reports, quick_rows) = same_both_ways(&[("t.csv", text.into_bytes())]);
    check_figures(&ds, &reports[0], &expected);
    assert!(quick_rows > 1_000, "most rows are plain: {quick_rows}");
    assert!(reports[0].rows_skipped > 0 && reports[0].rows_with_warnings > 0, "the quirks are reported");
}

#[test]
fn quick_and_general_ways_agree_on_gbk_tab_separated_text() {
    let (text, expected) = export(2_000, 11, "\t", false, false);
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let (ds, reports, quick_rows) = same_both_ways(&[("t.txt", bytes.into_owned())]);
    check_figures(&ds, &reports[0], &expected);
    assert!(quick_rows > 500, "{quick_rows}");
}

#[test]
fn with_a_members_table_new_ids_go_the_general_way_and_are_reported() {
    let (text, _) = export(1_000, 3, ",", false, false);
    let members = "会员卡号,姓名\nV0001,王静\nV0002,李强\n".as_bytes().to_vec();
    let (ds, reports, quick_rows) = same_both_ways(&[("members.csv", members), ("t.csv", text.into_bytes())]);
    assert!(quick_rows > 0);
    let tx_report = reports.iter().find(|r| r.role == crate::import::fields::Role::Transactions).unwrap();
    assert!(tx_report.unknown_members > 0);
    assert_eq!(ds.members.name(0), "王静");
}
