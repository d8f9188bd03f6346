//! Loading real exports end to end: fixtures written here (GBK through encoding_rs, xlsx through
//! rust_xlsxwriter, UTF-16, space-separated text without a header), the real CDNOW transaction
//! log, and random bytes that must give errors, never panics.

use member_engine::dates::day_from_ymd;
use member_engine::import::fields::{Field, Role};
use member_engine::import::load::{inspect_files, load, FileSource, MemoryFiles};
use member_engine::import::plan::{ImportDraft, KindMeaning, Source, TablePlan};
use member_engine::import::report::{FileReport, Problem, Reason};
use member_engine::import::values::DateOrder;
use member_engine::model::{Dataset, TxKind, WALK_IN};
use member_engine::rng::Rng;

#[path = "common/fixtures.rs"]
mod fixtures;
use fixtures::{gbk, members_xlsx, GBK_SALES};

#[path = "common/slices.rs"]
mod slices;
use slices::Slices;

fn auto_plans(files: &mut dyn FileSource) -> Vec<TablePlan> {
    inspect_files(files).expect("inspect").iter().filter(|p| p.include).map(|p| p.plan()).collect()
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn gbk_csv_with_title_row_types_and_bad_rows() {
    for slice in [3, 1 << 20] {
        let mut files = Slices(MemoryFiles(vec![("流水.csv".into(), gbk(GBK_SALES))]), slice);
        let plans = auto_plans(&mut files);
        assert_eq!(plans.len(), 1);
        let p = &plans[0];
        assert_eq!(p.skip_rows, 1);
        assert_eq!(p.role, Role::Transactions);
        assert_eq!(p.kind_of("退货"), KindMeaning::Refund);
        assert_eq!(p.kind_of("储值充值"), KindMeaning::TopUp);
        let (ds, reports) = load("t", &plans, &mut files, &mut |_, _| {}).expect("load");
        let r = &reports[0];
        assert_eq!((r.rows_read, r.rows_used, r.rows_skipped, r.walk_in_rows), (8, 6, 2, 1), "slice {slice}");
        let skipped: Vec<&Problem> = r.problems.iter().filter(|p| !p.kept).collect();
        assert_eq!(skipped.len(), 2);
        assert_eq!((skipped[0].row, skipped[0].column.as_str(), skipped[0].value.as_str(), skipped[0].code.text(skipped[0].other_row).as_str()), (8, "消费时间", "昨天", "not a date"));
        assert_eq!((skipped[1].row, skipped[1].column.as_str(), skipped[1].value.as_str(), skipped[1].code.text(skipped[1].other_row).as_str()), (9, "实收金额", "abc", "not an amount"));
        // NO1 was used for member 88001 on 2024-03-05, then for 88005 on another day.
        assert_eq!(r.duplicate_orders, 1);
        let dup = r.problems.iter().find(|p| p.kept).unwrap();
        assert_eq!((dup.row, dup.value.as_str()), (10, "NO1"));
        assert_eq!(dup.other_row, Some(3));
        assert!(dup.code.text(dup.other_row).contains("row 3"));
        let tx = &ds.transactions;
        // Full-width ８８００１ and 88001 are one member; 00123 keeps its zeros.
        assert_eq!(ds.members.ids().collect::<Vec<_>>(), ["88001", "00123", "88002", "88005"]);
        // Rows 3 and 4 are two lines of order NO1 (same member, same day): one transaction.
        assert_eq!(r.order_lines_merged, 1);
        assert_eq!(tx.amount_cents, vec![138_000, 3_500, -9_900, 50_000, 5_000]);
        assert_eq!((0..tx.len()).map(|r| tx.discount_cents(r)).collect::<Vec<_>>(), [10_000, 0, 0, 0, 0], "应收 − 实收");
        assert_eq!(tx.kind, vec![TxKind::Sale, TxKind::Sale, TxKind::Refund, TxKind::TopUp, TxKind::Sale]);
        assert_eq!(tx.member[1], WALK_IN);
        assert_eq!(tx.day[0], day_from_ymd(2024, 3, 5).unwrap());
        assert_eq!(tx.day[2], day_from_ymd(2024, 3, 7).unwrap());
        assert_eq!(ds.stores.names(), &["静安店".to_string(), "徐汇店".to_string()]);
    }
}

#[test]
fn members_xlsx_joined_with_utf16_transactions() {
    let tx_text = "卡号\t交易时间\t金额\r\n00123\t2024-03-05\t100\r\n88002\t2024-03-06\t200\r\n99999\t2024-03-07\t300\r\n";
    let mut files = MemoryFiles(vec![("transactions.txt".into(), utf16le(tx_text)), ("members.xlsx".into(), members_xlsx())]);
    let previews = inspect_files(&mut files).unwrap();
    assert_eq!(previews.len(), 3, "one text table and two sheets");
    let sheet = previews.iter().find(|p| p.name == "members.xlsx · 会员资料").unwrap();
    assert!(sheet.include && sheet.has_header);
    assert_eq!(sheet.skip_rows, 1);
    assert_eq!(sheet.role, Role::Members);
    assert!(!previews.iter().find(|p| p.name == "members.xlsx · 说明").unwrap().include, "a sheet with nothing to map is left out");
    let text = previews.iter().find(|p| p.name == "transactions.txt").unwrap();
    assert!(matches!(text.source, Source::Delimited { .. }));
    let plans: Vec<TablePlan> = previews.iter().filter(|p| p.include).map(|p| p.plan()).collect();
    let (ds, reports) = load("t", &plans, &mut files, &mut |_, _| {}).unwrap();
    // Members first, whatever the order of the files.
    assert_eq!(reports[0].role, member_engine::import::fields::Role::Members);
    let m = &reports[0];
    assert_eq!((m.rows_read, m.rows_used, m.rows_skipped), (4, 3, 1));
    let dup = m.problems.iter().find(|p| !p.kept).unwrap();
    assert_eq!((dup.row, dup.column.as_str(), dup.value.as_str()), (6, "会员卡号", "00123"));
    let bad_expiry = m.problems.iter().find(|p| p.kept).unwrap();
    assert_eq!((bad_expiry.row, bad_expiry.column.as_str(), bad_expiry.code.text(bad_expiry.other_row).as_str()), (4, "到期日", "not a date; left out"));
    assert_eq!((0..3).map(|m| ds.members.name(m)).collect::<Vec<_>>(), ["王静", "李强", "张敏"]);
    assert_eq!(ds.members.birthday(0), day_from_ymd(1990, 5, 17));
    assert_eq!((0..3).map(|m| ds.members.points(m)).collect::<Vec<_>>(), [1280, 0, 35]);
    assert_eq!(ds.members.balance_cents(2), 100_050);
    assert_eq!(ds.members.expiry(0), day_from_ymd(2025, 6, 1));
    assert_eq!(ds.members.expiry(1), None);
    let t = &reports[1];
    assert_eq!((t.rows_read, t.rows_used, t.unknown_members), (3, 3, 1));
    assert_eq!(t.problems[0].code, member_engine::import::report::Reason::UnknownMember);
    assert_eq!(ds.members.len(), 4, "the unknown member is added, not dropped");
    assert_eq!(ds.transactions.member, vec![0, 2, 3]);
}

#[test]
fn json_members_and_transactions() {
    let doc = r#"{"members":[{"会员编号":"A1","姓名":"王静","会员等级":"金卡"}],
        "transactions":[{"会员编号":"A1","消费日期":"2024-03-05","消费金额":128.5},{"会员编号":"A1","消费日期":"2024-03-09","消费金额":"abc"}]}"#;
    let mut files = MemoryFiles(vec![("export.json".into(), doc.as_bytes().to_vec())]);
    let plans = auto_plans(&mut files);
    let (ds, reports) = load("t", &plans, &mut files, &mut |_, _| {}).unwrap();
    assert_eq!(ds.members.len(), 1);
    assert_eq!(ds.transactions.amount_cents, vec![12_850]);
    assert_eq!(reports[1].problems[0].row, 3, "JSON rows count the header row like a sheet");
    assert_eq!(ds.tiers.names(), &["金卡".to_string()]);
}

fn cdnow() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/CDNOW_master.txt")).expect("tests/data/CDNOW_master.txt")
}

#[test]
fn cdnow_master_as_shipped_with_lifetimes() {
    let mut files = MemoryFiles(vec![("CDNOW_master.txt".into(), cdnow())]);
    let plans = auto_plans(&mut files);
    let p = &plans[0];
    assert!(p.has_header);
    assert_eq!(p.fields, vec![Some(Field::MemberId), Some(Field::Date), None, Some(Field::Amount)]);
    let (ds, reports) = load("cdnow", &plans, &mut files, &mut |_, _| {}).unwrap();
    assert_eq!((reports[0].rows_read, reports[0].rows_used, reports[0].rows_skipped), (69_659, 69_659, 0));
    assert_eq!(ds.members.len(), 23_570);
    assert_eq!(ds.members.id(0), "00001");
    assert_eq!(ds.day_range(), Some((day_from_ymd(1997, 1, 1).unwrap(), day_from_ymd(1998, 6, 30).unwrap())));
    let total: i64 = ds.transactions.amount_cents.iter().sum();
    // The file's dollar_value column summed with awk: 2,500,315.63.
    assert_eq!(total, 250_031_563);
}

#[test]
fn cdnow_without_its_header_line() {
    let bytes = cdnow();
    let body = bytes[bytes.iter().position(|&b| b == b'\n').unwrap() + 1..].to_vec();
    let mut files = MemoryFiles(vec![("CDNOW_master.txt".into(), body)]);
    let plans = auto_plans(&mut files);
    assert!(!plans[0].has_header);
    assert_eq!(plans[0].fields, vec![Some(Field::MemberId), Some(Field::Date), None, Some(Field::Amount)]);
    let (ds, reports) = load("cdnow", &plans, &mut files, &mut |_, _| {}).unwrap();
    assert_eq!((reports[0].rows_used, ds.members.len()), (69_659, 23_570));
}

#[test]
fn a_plan_the_user_changed_is_followed() {
    // dd/mm against mm/dd, and a type value re-marked by the user.
    let text = "id,date,amount,type\n1,03/04/2024,10,退\n2,05/06/2024,20,赠送\n";
    let mut files = MemoryFiles(vec![("x.csv".into(), text.as_bytes().to_vec())]);
    let mut plan = auto_plans(&mut files).remove(0);
    plan.date_order = DateOrder::MonthFirst;
    plan.kind_values = vec![("退".into(), KindMeaning::Sale), ("赠送".into(), KindMeaning::Refund)];
    let (ds, _) = load("t", &[plan.clone()], &mut files, &mut |_, _| {}).unwrap();
    assert_eq!(ds.transactions.day[0], day_from_ymd(2024, 3, 4).unwrap());
    assert_eq!(ds.transactions.kind, vec![TxKind::Sale, TxKind::Refund]);
    plan.fields[2] = None;
    let e = load("t", &[plan], &mut files, &mut |_, _| {}).unwrap_err();
    assert!(matches!(e, member_engine::import::error::LoadError::Unmapped { field: member_engine::import::fields::Field::Paid, .. }), "{e}");
    assert!(e.to_string().ends_with("no column is mapped to paid"), "{e}");
}

#[test]
fn progress_reaches_the_total() {
    let mut files = MemoryFiles(vec![("CDNOW_master.txt".into(), cdnow())]);
    let plans = auto_plans(&mut files);
    let mut last = (0, 0);
    load("cdnow", &plans, &mut files, &mut |d, t| last = (d, t)).unwrap();
    assert_eq!(last.0, last.1);
    assert_eq!(last.1, cdnow().len() as u64);
}

/// Random bytes, and valid files cut or corrupted at random, through every reader: each gives
/// a preview and a load, or an error, and never panics.
#[test]
fn random_and_truncated_bytes_never_panic() {
    let seeds: Vec<Vec<u8>> = vec![gbk(GBK_SALES), members_xlsx(), utf16le("卡号\t日期\t金额\n1\t2024-01-01\t5\n"), br#"{"members":[{"id":"1"}]}"#.to_vec(), cdnow()[..4000].to_vec()];
    let mut rng = Rng::new(42);
    for round in 0..400 {
        let base = &seeds[round % seeds.len()];
        let mut bytes = match round % 4 {
            0 => base[..rng.range(0, base.len() as i64) as usize].to_vec(),
            1 => (0..rng.range(0, 3000)).map(|_| rng.next_u64() as u8).collect(),
            _ => {
                let mut b = base.clone();
                for _ in 0..rng.range(1, 20) {
                    if b.is_empty() {
                        break;
                    }
                    let i = rng.range(0, b.len() as i64 - 1) as usize;
                    b[i] = rng.next_u64() as u8;
                }
                b
            }
        };
        if round % 7 == 0 {
            bytes.splice(0..0, b"PK\x03\x04".iter().copied());
        }
        let mut files = MemoryFiles(vec![("fuzz".into(), bytes)]);
        if let Ok(previews) = inspect_files(&mut files) {
            let plans: Vec<TablePlan> = previews.iter().map(|p| p.plan()).collect();
            let _ = load("fuzz", &plans, &mut files, &mut |_, _| {});
        }
    }
}


#[test]
fn legacy_xls_members() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/members-legacy.xls")).unwrap();
    let mut files = MemoryFiles(vec![("members-legacy.xls".into(), bytes)]);
    let plans = auto_plans(&mut files);
    assert_eq!(plans.len(), 1);
    assert_eq!((plans[0].role, plans[0].skip_rows, plans[0].name.as_str()), (Role::Members, 1, "members-legacy.xls · 会员"));
    let (ds, reports) = load("t", &plans, &mut files, &mut |_, _| {}).unwrap();
    assert_eq!(ds.members.ids().collect::<Vec<_>>(), ["000101", "000102"]);
    assert_eq!(ds.members.join_day(0), day_from_ymd(2022, 4, 1));
    assert_eq!((0..2).map(|m| ds.members.points(m)).collect::<Vec<_>>(), [320, 0]);
    let p = &reports[0].problems[0];
    assert_eq!((p.row, p.column.as_str(), p.code.text(p.other_row).as_str(), p.kept), (5, "会员编号", "no member id", false));
}

// ---------------------------------------------------------------------------------------------
// Order numbers, statuses and order totals (issue 8 review: F1–F3). Each file is generated
// here; the expected figures are worked out from the rows written.

/// `128.05` (or `-128.05`) from cents.
fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// Inspects one CSV, lets `edit` change the proposed mapping as a user could, and loads it.
fn load_csv(text: &str, slice: u64, edit: impl FnOnce(&mut ImportDraft)) -> (Dataset, FileReport) {
    let mut files = Slices::one("export.csv", text.as_bytes().to_vec(), slice);
    let mut draft = ImportDraft::new(inspect_files(&mut files).expect("inspect"));
    edit(&mut draft);
    let (ds, mut reports) = load("t", &draft.chosen_plans(), &mut files, &mut |_, _| {}).expect("load");
    (ds, reports.remove(0))
}

/// The net of sales and refunds in the data set.
fn net_cents(ds: &Dataset) -> i64 {
    let tx = &ds.transactions;
    (0..tx.len()).filter(|&i| tx.kind[i] != TxKind::TopUp).map(|i| tx.amount_cents[i]).sum()
}

fn count_kind(ds: &Dataset, kind: TxKind) -> usize {
    ds.transactions.kind.iter().filter(|&&k| k == kind).count()
}

#[test]
fn a_document_status_column_counts_each_refund_row_once() {
    // A POS export whose type column is called 单据状态: returns are negative rows marked 退货,
    // or marked 交易成功 with the sign after the currency symbol; some orders are 已退款 on a
    // positive amount (a sale refunded in full: a purchase and its refund).
    let mut rng = Rng::new(81);
    let mut text = String::from("单号,日期,会员卡号,实收金额,单据状态\n");
    let (mut net, mut sales, mut refunds) = (0i64, 0usize, 0usize);
    for i in 0..300 {
        let member = format!("V{:03}", rng.range(1, 40));
        let day = format!("2024-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28));
        let cents = rng.range(100, 90_000);
        let (money, status) = match rng.range(0, 9) {
            0 => {
                net -= cents;
                refunds += 1;
                (yuan(-cents), "退货")
            }
            1 => {
                net -= cents;
                refunds += 1;
                (format!("￥{}", yuan(-cents)), "交易成功")
            }
            2 => {
                sales += 1;
                refunds += 1;
                (yuan(cents), "已退款")
            }
            _ => {
                net += cents;
                sales += 1;
                (yuan(cents), "正常")
            }
        };
        text.push_str(&format!("P{i},{day},{member},{money},{status}\n"));
    }
    for slice in [5, 1 << 20] {
        let (ds, r) = load_csv(&text, slice, |_| {});
        assert_eq!((r.rows_used, r.rows_skipped), (300, 0));
        assert_eq!(net_cents(&ds), net, "slice {slice}");
        assert_eq!((count_kind(&ds, TxKind::Sale), count_kind(&ds, TxKind::Refund)), (sales, refunds));
    }
    // The reviewer's example: 100 + 200 − 100 + 50.
    let (ds, _) = load_csv("单号,日期,会员卡号,实收金额,单据状态\nP1,2024-03-01,V001,100,正常\nP2,2024-03-02,V001,200,正常\nP3,2024-03-03,V001,-100,退货\nP4,2024-03-04,V002,50,正常\n", 1 << 20, |_| {});
    assert_eq!(net_cents(&ds), (100 + 200 - 100 + 50) * 100);
    assert_eq!(count_kind(&ds, TxKind::Sale), 3, "no phantom purchase");
}

/// An order-line export: one row per line, the order total (with shipping when `shipping`)
/// repeated on every line, the total's column before or after the line's.
struct OrderExport {
    text: String,
    /// Each order's lines, in cents.
    orders: Vec<Vec<i64>>,
    /// Each order's total (lines and shipping).
    totals: Vec<i64>,
    total_col: usize,
}

fn order_export(seed: u64, n_orders: usize, (min_lines, max_lines): (i64, i64), shipping: bool, total_first: bool) -> OrderExport {
    let mut rng = Rng::new(seed);
    let money_headers = if total_first { "订单实付金额,商品实付金额" } else { "商品实付金额,订单实付金额" };
    let mut text = format!("订单号,下单时间,买家手机号,商品名称,{money_headers},订单状态\n");
    let (mut orders, mut totals) = (Vec::new(), Vec::new());
    for o in 0..n_orders {
        let phone = format!("1380000{:04}", rng.range(0, 60));
        let day = format!("2024-{:02}-{:02} {:02}:{:02}", rng.range(1, 12), rng.range(1, 28), rng.range(8, 22), rng.range(0, 59));
        let lines: Vec<i64> = (0..rng.range(min_lines, max_lines)).map(|_| rng.range(100, 30_000)).collect();
        let total = lines.iter().sum::<i64>() + if shipping { rng.range(0, 1_500) } else { 0 };
        for (i, &l) in lines.iter().enumerate() {
            let money = if total_first { format!("{},{}", yuan(total), yuan(l)) } else { format!("{},{}", yuan(l), yuan(total)) };
            text.push_str(&format!("E{o:05},{day},{phone},商品{i},{money},交易成功\n"));
        }
        orders.push(lines);
        totals.push(total);
    }
    OrderExport { text, orders, totals, total_col: if total_first { 4 } else { 5 } }
}

#[test]
fn a_repeated_order_total_is_found_in_long_exports_and_with_shipping() {
    // 20 orders of 3 lines: the shape that once gave 3× the revenue; then longer files whose
    // preview ends inside an order, orders of 1 to 5 lines, totals with shipping.
    let cases = [(1, 20, (3, 3), false, false), (2, 150, (1, 3), false, true), (3, 120, (1, 5), true, false), (4, 90, (2, 4), true, true)];
    for (seed, n, lines, shipping, total_first) in cases {
        let e = order_export(seed, n, lines, shipping, total_first);
        let what = format!("{n} orders of {lines:?} lines, shipping {shipping}");
        let line_sums: Vec<i64> = e.orders.iter().map(|l| l.iter().sum()).collect();
        let (ds, r) = load_csv(&e.text, 1 << 20, |_| {});
        assert_eq!(ds.transactions.amount_cents, line_sums, "{what}: each order once, the sum of its lines");
        assert_eq!((0..ds.transactions.len()).map(|r| ds.transactions.discount_cents(r)).sum::<i64>(), 0, "{what}");
        let lines: usize = e.orders.iter().map(Vec::len).sum();
        assert_eq!((r.rows_used as usize, r.order_lines_merged as usize), (lines, lines - n), "{what}");
        // The total mapped as the amount beside the paid lines is no gross: total − line is no
        // discount.
        let (ds, _) = load_csv(&e.text, 1 << 20, |d| d.set_field(0, e.total_col, Some(Field::Amount)));
        assert!((0..ds.transactions.len()).all(|r| ds.transactions.discount_cents(r) == 0), "{what}: no discount from the order total");
        assert_eq!(ds.transactions.amount_cents, line_sums, "{what}");
        // Mapped as the paid column, the total is taken once per order.
        let (ds, _) = load_csv(&e.text, 1 << 20, |d| d.set_field(0, e.total_col, Some(Field::Paid)));
        assert_eq!(ds.transactions.amount_cents, e.totals, "{what}: the total once per order");
    }
}

#[test]
fn receipt_numbers_that_restart_every_day_are_orders_of_their_day() {
    // Receipts 1..5 every day for 10 days, 2 lines each, for members drawn each time; a
    // receipt total column beside the lines.
    let mut rng = Rng::new(83);
    let mut text = String::from("小票号,日期,会员卡号,商品金额,小票金额\n");
    let mut receipts: Vec<i64> = Vec::new();
    for day in 1..=10 {
        for receipt in 1..=5 {
            let member = format!("M{}", rng.range(1, 8));
            let lines = [rng.range(100, 20_000), rng.range(100, 20_000)];
            let total = lines[0] + lines[1];
            for l in lines {
                text.push_str(&format!("{receipt},2024-05-{day:02} 10:{:02},{member},{},{}\n", rng.range(0, 59), yuan(l), yuan(total)));
            }
            receipts.push(total);
        }
    }
    // Read by the line column (as proposed) and by the receipt total (as a user may map it).
    for by_total in [false, true] {
        let (ds, r) = load_csv(&text, 1 << 20, |d| {
            if by_total {
                d.set_field(0, 4, Some(Field::Paid));
                assert!(d.plans[0].money_is_order_total, "the receipt total is known for what it is");
            }
        });
        assert_eq!(ds.transactions.amount_cents, receipts, "by total {by_total}: one transaction per receipt and day");
        assert_eq!(r.order_lines_merged, 50);
        // Each number flagged once (its later days reuse it); every row of days 2–10 counted.
        let flagged = r.problems.iter().filter(|p| p.code == Reason::OrderReused).count();
        assert_eq!((flagged, r.duplicate_orders), (5, 90));
    }
}

/// The lines of one order may write the buyer's phone differently (`+86 138-0013-8000`,
/// `13800138000`): they are still one order when the repeated order total is looked for.
#[test]
fn an_order_total_is_found_when_its_lines_write_the_phone_differently() {
    use member_engine::import::fields::Field;
    let text = "订单号,下单时间,买家昵称,买家手机号,会员卡号,商品名称,商品实付金额,订单实付金额,订单状态
O1,2025-03-01 10:00,小鹿,+86 138-0013-8000,,面霜,100.00,150.00,交易成功
O1,2025-03-01 10:00,小鹿,13800138000,,精华,50.00,150.00,交易成功
O2,2025-03-05 09:12,阿花,13900139000,,面膜,80.00,80.00,交易关闭
O3,2025-03-07 20:31,小鹿,138 0013 8000,,洁面,60.00,60.00,交易成功
O4,2025-03-09 11:00,糖糖,13700137000,VIP001,口红,200.00,200.00,已退款
O5,2025-03-10 15:45,大壮,13600136000,,面霜,120.00,120.00,待付款
O6,2025-03-12 18:20,糖糖,13700137000,,眼霜,90.00,300.00,交易成功
O6,2025-03-12 18:20,糖糖,13700137000,,面霜,210.00,300.00,交易成功
合计,,,,,,910.00,,
";
    let p = member_engine::import::load::inspect_files(&mut member_engine::import::load::MemoryFiles(vec![("orders.csv".into(), text.as_bytes().to_vec())])).unwrap();
    let fields: Vec<Option<Field>> = p[0].mapping.iter().map(|m| m.field).collect();
    assert_eq!(p[0].order_total_columns, vec![7], "订单实付金额 repeats the order total");
    assert_eq!((fields[6], fields[7]), (Some(Field::Paid), None));
    assert_eq!(fields[3], Some(Field::MemberId), "the phone, the card column being mostly empty");
}

/// With the header switch turned off, the header row is read as data, and the columns are
/// still matched from their values (the header is one value in twenty that does not fit).
#[test]
fn without_a_header_the_columns_are_matched_from_their_values() {
    use member_engine::import::fields::Field;
    use member_engine::import::plan::ImportDraft;
    let mut text = String::from("卡号,日期,金额\n");
    for i in 0..30 {
        text.push_str(&format!("{:05},2025-01-{:02},{}.50\n", i % 7, i % 28 + 1, 100 + i));
    }
    let previews = member_engine::import::load::inspect_files(&mut member_engine::import::load::MemoryFiles(vec![("x.csv".into(), text.into_bytes())])).unwrap();
    let mut draft = ImportDraft::new(previews);
    draft.set_has_header(0, false);
    assert!(!draft.plans[0].has_header);
    assert_eq!(draft.plans[0].fields, vec![Some(Field::MemberId), Some(Field::Date), Some(Field::Amount)]);
    draft.set_has_header(0, true);
    assert_eq!(draft.plans[0].columns, vec!["卡号", "日期", "金额"]);
}
