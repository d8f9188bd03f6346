//! Exports shaped as four kinds of store systems write them, generated here from rows the test
//! keeps: (a) an online-store order-line export (有赞 / 微信小程序 style: order lines, statuses,
//! buyers keyed by phone, nicknames, a mostly-empty card column, a 合计 row); (b) a Chinese
//! salon POS export in GBK (会员卡号, 应收/实收/优惠, 单号, 类型 with `￥-716.40` refunds, a
//! title row, a 合计 row); (c) a Shopify-like English export (order total and status on the first
//! line of an order only); (d) a restaurant's members workbook with transactions keyed by card
//! or by phone. Each goes through the app's path (inspect, the automatic mapping, load, analyse)
//! and the figures are checked against what the test computes from its own rows; then the files
//! are mutated (lines shuffled, columns dropped, blank lines, CRLF, tiny read slices) and the
//! figures must not move.

use std::collections::{HashMap, HashSet};

use member_engine::analysis::{analyse, Analysis};
use member_engine::dates::{day_from_ymd, format_day, Day};
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::import::plan::{TablePlan, TablePreview};
use member_engine::import::report::{FileReport, TableNote};
use member_engine::model::{Dataset, TxKind};
use member_engine::rng::Rng;
use member_engine::settings::Settings;

#[path = "common/slices.rs"]
mod slices;
use slices::Slices;

// ---------------------------------------------------------------------------------------------
// Dates and the figures compared

/// The analysis date D of every check: 2024-12-31.
fn analysis_day() -> Day {
    day_from_ymd(2024, 12, 31).unwrap()
}

/// The test's own "last 12 months": the 365 days ending with D. No generated row falls within
/// three days of the window's start or after 2024-12-25, so whether D itself counts does not
/// matter.
fn in_12m(day: Day) -> bool {
    day > analysis_day() - 365 && day <= analysis_day()
}

/// A day from 2023-01-10 to 2024-12-25, not within three days of the 12-month boundary.
fn random_day(rng: &mut Rng) -> Day {
    let (lo, hi) = (day_from_ymd(2023, 1, 10).unwrap(), day_from_ymd(2024, 12, 25).unwrap());
    loop {
        let d = rng.range(lo as i64, hi as i64) as Day;
        if (d - (analysis_day() - 365)).abs() > 3 {
            return d;
        }
    }
}

fn time_of_day(rng: &mut Rng) -> String {
    format!("{:02}:{:02}:{:02}", rng.range(9, 21), rng.range(0, 59), rng.range(0, 59))
}

/// `1280.50` from cents (non-negative).
fn yuan(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// What the test expects, computed from the rows it wrote.
#[derive(Debug, Default, PartialEq)]
struct Figures {
    members: u64,
    revenue_12m: i64,
    walk_in_revenue_12m: i64,
    orders_12m: u32,
    refunds: usize,
    walk_in_rows: u64,
    not_sale_rows: u64,
    totals_rows: u64,
    rows_skipped: u64,
}

/// The same figures as the app shows them.
fn figures_of(ds: &Dataset, reports: &[FileReport], a: &Analysis) -> Figures {
    let tx_reports = reports.iter().filter(|r| r.role == member_engine::import::fields::Role::Transactions);
    let sum = |f: fn(&FileReport) -> u64| tx_reports.clone().map(f).sum::<u64>();
    Figures {
        members: a.members,
        revenue_12m: a.overview.kpis.revenue_12m_cents,
        walk_in_revenue_12m: a.overview.kpis.walk_in_revenue_12m_cents,
        orders_12m: a.overview.kpis.orders_12m,
        refunds: ds.transactions.kind.iter().filter(|&&k| k == TxKind::Refund).count(),
        walk_in_rows: sum(|r| r.walk_in_rows),
        not_sale_rows: sum(|r| r.not_sale_rows),
        totals_rows: reports.iter().map(|r| r.totals_rows).sum(),
        rows_skipped: reports.iter().map(|r| r.rows_skipped).sum(),
    }
}

// ---------------------------------------------------------------------------------------------
// Through the app's path

struct Outcome {
    previews: Vec<TablePreview>,
    plans: Vec<TablePlan>,
    ds: Dataset,
    reports: Vec<FileReport>,
    analysis: Analysis,
}

/// Inspect, take the proposed mapping as the app does, load, analyse as of D.
fn run(files: Vec<(String, Vec<u8>)>, slice: u64) -> Outcome {
    let mut files = Slices(MemoryFiles(files), slice);
    let previews = inspect_files(&mut files).expect("inspect");
    let plans: Vec<TablePlan> = previews.iter().filter(|p| p.include).map(|p| p.plan()).collect();
    let (ds, reports) = load("t", &plans, &mut files, &mut |_, _| {}).expect("load");
    let computed = analyse(&ds, Some(analysis_day()), false, &Settings::default());
    assert_eq!(computed.analysis.analysis_date, format_day(analysis_day()));
    Outcome { previews, plans, ds, reports, analysis: computed.analysis }
}

fn check(what: &str, out: &Outcome, expected: &Figures) {
    let got = figures_of(&out.ds, &out.reports, &out.analysis);
    assert_eq!(&got, expected, "{what}: the app's figures (left) against the rows written (right)");
}

// ---------------------------------------------------------------------------------------------
// Writing text files from rows

/// One table as the test keeps it: a title line, a header, data rows and a totals row.
#[derive(Clone)]
struct Sheet {
    title: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    footer: Option<Vec<String>>,
}

/// How a sheet is written out.
#[derive(Clone, Copy, Default)]
struct Style {
    crlf: bool,
    /// Blank lines (empty, or only commas) between rows now and then.
    blank_lines: bool,
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Sheet {
    fn text(&self, style: Style, rng: &mut Rng) -> String {
        let nl = if style.crlf { "\r\n" } else { "\n" };
        let line = |cells: &[String]| cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
        let mut out = String::new();
        if let Some(t) = &self.title {
            out.push_str(&csv_cell(t));
            out.push_str(nl);
        }
        out.push_str(&line(&self.header));
        out.push_str(nl);
        for r in &self.rows {
            if style.blank_lines && rng.chance(0.05) {
                out.push_str(if rng.chance(0.5) { "" } else { ",,,," });
                out.push_str(nl);
            }
            out.push_str(&line(r));
            out.push_str(nl);
        }
        if let Some(f) = &self.footer {
            out.push_str(&line(f));
            out.push_str(nl);
        }
        out
    }

    /// The sheet without the column headed `name`.
    fn without(&self, name: &str) -> Sheet {
        let c = self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
        let drop = |r: &Vec<String>| {
            let mut r = r.clone();
            if c < r.len() {
                r.remove(c);
            }
            r
        };
        Sheet { title: self.title.clone(), header: drop(&self.header), rows: self.rows.iter().map(drop).collect(), footer: self.footer.as_ref().map(drop) }
    }

    /// The sheet with its data rows in random order.
    fn shuffled(&self, rng: &mut Rng) -> Sheet {
        let mut rows = self.rows.clone();
        shuffle(&mut rows, rng);
        Sheet { rows, ..self.clone() }
    }
}

fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        let j = rng.range(0, i as i64) as usize;
        items.swap(i, j);
    }
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// (a) An online-store order-line export

const ITEMS: [(&str, i64); 7] = [("玻尿酸面膜", 3_990), ("氨基酸洁面", 8_900), ("修护面霜", 29_900), ("精华水", 15_800), ("防晒霜", 12_800), ("赠品小样", 0), ("眼霜", 39_900)];
const NICKNAMES: [&str; 6] = ["小王", "Lily", "阿May", "cc", "🌸花花", "王静"];

/// (status, share of orders); which are sales the test decides below.
const STORE_STATUSES: [(&str, f64); 8] =
    [("交易成功", 0.66), ("已发货", 0.05), ("待发货", 0.03), ("退款中", 0.03), ("交易关闭", 0.09), ("已退款", 0.06), ("待付款", 0.05), ("已取消", 0.03)];

/// One line of an online order.
#[derive(Clone)]
struct StoreLine {
    order: String,
    day: Day,
    time: String,
    /// The buyer's phone as 11 digits, `None` for a guest checkout.
    phone: Option<String>,
    phone_written: String,
    card: String,
    nickname: &'static str,
    item: &'static str,
    line_cents: i64,
    order_cents: i64,
    status: &'static str,
}

/// A phone number as shops write it: plain, with +86, spaces, dashes, 0086 or 86.
fn write_phone(phone: &str, rng: &mut Rng) -> String {
    let (a, b, c) = (&phone[..3], &phone[3..7], &phone[7..]);
    match rng.range(0, 9) {
        0 => format!("+86 {a} {b} {c}"),
        1 => format!("+86-{a}-{b}-{c}"),
        2 => format!("{a}-{b}-{c}"),
        3 => format!("0086{phone}"),
        4 => format!("86{phone}"),
        5 => format!("+86{phone}"),
        _ => phone.to_string(),
    }
}

fn store_lines(seed: u64) -> Vec<StoreLine> {
    let mut rng = Rng::new(seed);
    let buyers: Vec<String> = (0..260).map(|i| format!("139{:08}", 10_000_000 + i * 7_919)).collect();
    let mut lines = Vec::new();
    for o in 0..650 {
        let guest = rng.chance(0.03);
        let buyer = rng.range(0, buyers.len() as i64 - 1) as usize;
        let phone = (!guest).then(|| buyers[buyer].clone());
        let day = random_day(&mut rng);
        let time = time_of_day(&mut rng);
        let status = STORE_STATUSES[rng.weighted(&STORE_STATUSES.map(|s| s.1))].0;
        let n = rng.range(1, 3) as usize;
        let items: Vec<(&str, i64)> = (0..n).map(|_| *rng.pick(&ITEMS)).collect();
        let total: i64 = items.iter().map(|i| i.1).sum();
        for (item, cents) in items {
            lines.push(StoreLine {
                order: format!("E2024{:08}", 31_000 + o * 13),
                day,
                time: time.clone(),
                phone_written: phone.as_deref().map_or(String::new(), |p| write_phone(p, &mut rng)),
                phone: phone.clone(),
                card: if rng.chance(0.15) && !guest { format!("YZ{:06}", buyer) } else { String::new() },
                nickname: NICKNAMES[rng.range(0, NICKNAMES.len() as i64 - 1) as usize],
                item,
                line_cents: cents,
                order_cents: total,
                status,
            });
        }
    }
    lines
}

/// The columns of the export, in the order given.
fn store_sheet(lines: &[StoreLine], columns: &[&str]) -> Sheet {
    let cell = |l: &StoreLine, c: &str| -> String {
        match c {
            "订单号" => l.order.clone(),
            "下单时间" => format!("{} {}", format_day(l.day), l.time),
            "买家昵称" => l.nickname.to_string(),
            "买家手机号" => l.phone_written.clone(),
            "会员卡号" => l.card.clone(),
            "商品名称" => l.item.to_string(),
            "商品实付金额" => yuan(l.line_cents),
            "订单实付金额" => yuan(l.order_cents),
            "订单状态" => l.status.to_string(),
            other => panic!("no column {other}"),
        }
    };
    let sum_lines: i64 = lines.iter().map(|l| l.line_cents).sum();
    let footer = columns
        .iter()
        .map(|&c| match c {
            "订单号" => "合计".to_string(),
            "商品实付金额" => yuan(sum_lines),
            _ => String::new(),
        })
        .collect();
    Sheet {
        title: None,
        header: strings(columns),
        rows: lines.iter().map(|l| columns.iter().map(|c| cell(l, c)).collect()).collect(),
        footer: Some(footer),
    }
}

/// The figures of the order export, from its lines: an order counts once with the sum of its
/// lines; closed, cancelled and unpaid orders are no sales; a refunded order was bought and
/// refunded (nothing net, one refund); 退款中 is still a sale.
fn store_figures(lines: &[StoreLine]) -> Figures {
    let is_sale = |s: &str| matches!(s, "交易成功" | "已发货" | "待发货" | "退款中");
    let is_refunded = |s: &str| s == "已退款";
    let not_sale = |s: &str| matches!(s, "交易关闭" | "待付款" | "已取消");
    let mut f = Figures { totals_rows: 1, ..Default::default() };
    let mut members = HashSet::new();
    let mut orders: HashMap<&str, &StoreLine> = HashMap::new();
    for l in lines {
        assert!(is_sale(l.status) || is_refunded(l.status) || not_sale(l.status));
        if not_sale(l.status) {
            f.not_sale_rows += 1;
            continue;
        }
        match &l.phone {
            Some(p) => {
                members.insert(p.clone());
            }
            None => f.walk_in_rows += 1,
        }
        orders.insert(&l.order, l);
    }
    for l in orders.values() {
        if is_refunded(l.status) {
            f.refunds += 1;
        }
        if in_12m(l.day) && l.order_cents > 0 {
            f.orders_12m += 1;
        }
        if in_12m(l.day) && is_sale(l.status) {
            f.revenue_12m += l.order_cents;
            if l.phone.is_none() {
                f.walk_in_revenue_12m += l.order_cents;
            }
        }
    }
    f.members = members.len() as u64;
    f
}

const STORE_COLUMNS: [&str; 9] = ["订单号", "下单时间", "买家昵称", "买家手机号", "会员卡号", "商品名称", "商品实付金额", "订单实付金额", "订单状态"];
/// The order total left of the line amount: without the order-total rule it would be read.
const STORE_COLUMNS_TOTAL_FIRST: [&str; 9] = ["订单号", "订单状态", "下单时间", "订单实付金额", "买家手机号", "买家昵称", "会员卡号", "商品名称", "商品实付金额"];

#[test]
fn online_store_order_lines() {
    let lines = store_lines(1);
    let expected = store_figures(&lines);
    // The data is worth checking: every kind of row is there.
    assert!(expected.not_sale_rows > 50 && expected.refunds > 10 && expected.walk_in_rows > 0 && expected.members > 200, "{expected:?}");
    let mut rng = Rng::new(7);
    for columns in [&STORE_COLUMNS, &STORE_COLUMNS_TOTAL_FIRST] {
        let sheet = store_sheet(&lines, columns);
        let out = run(vec![("orders.csv".into(), sheet.text(Style::default(), &mut rng).into_bytes())], 1 << 20);
        check("order export", &out, &expected);
        let p = &out.previews[0];
        assert!(p.notes.contains(&TableNote::PhoneAsMemberId { header: "买家手机号".into() }), "{:?}", p.notes);
        assert!(p.notes.contains(&TableNote::OrderTotalColumn { header: "订单实付金额".into() }), "{:?}", p.notes);
        assert!(!out.plans[0].money_is_order_total);
        let r = &out.reports[0];
        let line_count = lines.len() as u64 - expected.not_sale_rows;
        assert_eq!(r.rows_used, line_count);
        assert!(r.notes.contains(&TableNote::TotalsRows { rows: vec![lines.len() as u64 + 2] }), "{:?}", r.notes);
        assert!(r.notes.contains(&TableNote::NotSales { value: "交易关闭".into(), rows: lines.iter().filter(|l| l.status == "交易关闭").count() as u64 }));
        let orders_used: HashSet<&str> = lines.iter().filter(|l| !matches!(l.status, "交易关闭" | "待付款" | "已取消")).map(|l| l.order.as_str()).collect();
        assert_eq!(r.order_lines_merged, line_count - orders_used.len() as u64);
        // The user maps the order total anyway: it is taken once per order, never summed.
        let mut plan = out.plans[0].clone();
        let total_col = plan.columns.iter().position(|c| c == "订单实付金额").unwrap();
        let line_col = plan.columns.iter().position(|c| c == "商品实付金额").unwrap();
        let mut draft = member_engine::import::plan::ImportDraft::new(out.previews.clone());
        draft.set_field(0, line_col, None);
        draft.set_field(0, total_col, Some(member_engine::import::fields::Field::Paid));
        assert!(draft.plans[0].money_is_order_total);
        plan.fields = draft.plans[0].fields.clone();
        plan.money_is_order_total = true;
        let mut files = MemoryFiles(vec![("orders.csv".into(), sheet.text(Style::default(), &mut rng).into_bytes())]);
        let (ds, reports) = load("t", &[plan], &mut files, &mut |_, _| {}).unwrap();
        let a = analyse(&ds, Some(analysis_day()), false, &Settings::default()).analysis;
        check("order export read by its order-total column", &Outcome { previews: Vec::new(), plans: Vec::new(), ds, reports, analysis: a }, &expected);
    }
    // Mutated: lines shuffled (an order's lines far apart), read in 7-byte slices; blank lines
    // and CRLF; columns the figures do not need dropped.
    let sheet = store_sheet(&lines, &STORE_COLUMNS);
    let shuffled = sheet.shuffled(&mut rng).text(Style::default(), &mut rng);
    check("order export shuffled", &run(vec![("orders.csv".into(), shuffled.into_bytes())], 7), &expected);
    let blank = sheet.text(Style { crlf: true, blank_lines: true }, &mut rng);
    check("order export with blank lines", &run(vec![("orders.csv".into(), blank.into_bytes())], 1 << 20), &expected);
    for col in ["订单实付金额", "会员卡号", "买家昵称", "商品名称"] {
        let text = sheet.without(col).text(Style::default(), &mut rng);
        check(&format!("order export without {col}"), &run(vec![("orders.csv".into(), text.into_bytes())], 1 << 20), &expected);
    }
}

// ---------------------------------------------------------------------------------------------
// (b) A Chinese salon POS export

/// One row of a POS export: a sale line, a refund or a top-up.
#[derive(Clone)]
struct PosRow {
    card: Option<String>,
    day: Day,
    time: String,
    gross_cents: i64,
    /// Negative for refunds.
    paid_cents: i64,
    item: &'static str,
    store: &'static str,
    receipt: String,
    kind: TxKind,
}

const SERVICES: [(&str, i64); 6] = [("面部护理", 38_000), ("肩颈按摩", 19_800), ("美甲", 12_800), ("洁面", 9_900), ("面霜", 71_640), ("头皮护理", 26_800)];

fn pos_rows(seed: u64) -> Vec<PosRow> {
    let mut rng = Rng::new(seed);
    let cards: Vec<String> = (0..180).map(|i| if i % 10 == 0 { format!("00{:04}", i) } else { format!("8800{:03}", i) }).collect();
    let mut rows = Vec::new();
    for r in 0..900 {
        let card = (!rng.chance(0.12)).then(|| rng.pick(&cards).clone());
        let day = random_day(&mut rng);
        let time = format!("{}:{:02}", rng.range(9, 20), rng.range(0, 59));
        let store = *rng.pick(&["静安店", "徐汇店"]);
        let roll = rng.f64();
        if roll < 0.08 {
            let (item, price) = *rng.pick(&SERVICES);
            let cents = price + rng.range(0, 99);
            rows.push(PosRow { card, day, time, gross_cents: -cents, paid_cents: -cents, item, store, receipt: format!("TK{:06}", r), kind: TxKind::Refund });
        } else if roll < 0.12 && card.is_some() {
            let cents = *rng.pick(&[100_000, 200_000, 50_000]);
            rows.push(PosRow { card, day, time, gross_cents: cents, paid_cents: cents, item: "储值卡充值", store, receipt: format!("CZ{:06}", r), kind: TxKind::TopUp });
        } else {
            // A receipt of one or two services.
            for _ in 0..rng.range(1, 2) {
                let (item, price) = *rng.pick(&SERVICES);
                let discount = if rng.chance(0.3) { price / 10 } else { 0 };
                rows.push(PosRow {
                    card: card.clone(),
                    day,
                    time: time.clone(),
                    gross_cents: price,
                    paid_cents: price - discount,
                    item,
                    store,
                    receipt: format!("XS{:06}", r),
                    kind: TxKind::Sale,
                });
            }
        }
    }
    rows
}

/// Money as POS systems print it; refunds with the sign in any of the places seen.
fn pos_money(cents: i64, rng: &mut Rng) -> String {
    let v = yuan(cents.abs());
    let grouped = if cents.abs() >= 100_000 { format!("{},{}", &v[..v.len() - 6], &v[v.len() - 6..]) } else { v.clone() };
    if cents >= 0 {
        return if rng.chance(0.5) { format!("￥{grouped}") } else { v };
    }
    match rng.range(0, 4) {
        0 => format!("￥-{v}"),
        1 => format!("-￥{v}"),
        2 => format!("RMB-{v}"),
        // (GBK has no ¥, only the full-width ￥.)
        3 => format!("￥ -{v}"),
        _ => format!("{v}-"),
    }
}

const POS_COLUMNS: [&str; 9] = ["会员卡号", "消费时间", "应收金额", "实收金额", "优惠", "项目", "门店", "单号", "类型"];

fn pos_sheet(rows: &[PosRow], rng: &mut Rng) -> Sheet {
    let data = rows
        .iter()
        .map(|r| {
            let (y, m, d) = {
                let s = format_day(r.day);
                (s[..4].to_string(), s[5..7].trim_start_matches('0').to_string(), s[8..].trim_start_matches('0').to_string())
            };
            let kind = match r.kind {
                TxKind::Sale => "消费",
                TxKind::Refund => "退款",
                TxKind::TopUp => "充值",
            };
            vec![
                r.card.clone().unwrap_or_default(),
                format!("{y}/{m}/{d} {}", r.time),
                pos_money(r.gross_cents, rng),
                pos_money(r.paid_cents, rng),
                if r.kind == TxKind::Sale { yuan(r.gross_cents - r.paid_cents) } else { "0".into() },
                r.item.to_string(),
                r.store.to_string(),
                r.receipt.clone(),
                kind.to_string(),
            ]
        })
        .collect();
    let paid: i64 = rows.iter().map(|r| r.paid_cents).sum();
    let mut footer = vec![String::new(); POS_COLUMNS.len()];
    footer[0] = "合计".into();
    footer[3] = yuan(paid.max(0));
    Sheet { title: Some("丽颜美容 消费明细（2023-01-01 至 2024-12-31）".into()), header: strings(&POS_COLUMNS), rows: data, footer: Some(footer) }
}

/// The figures of the POS export: a receipt (单号) counts once; refunds are rows of their own;
/// top-ups are no sales.
fn pos_figures(rows: &[PosRow]) -> Figures {
    let mut f = Figures { totals_rows: 1, ..Default::default() };
    let members: HashSet<&String> = rows.iter().filter_map(|r| r.card.as_ref()).collect();
    f.members = members.len() as u64;
    let mut receipts: HashMap<&str, i64> = HashMap::new();
    for r in rows {
        if r.card.is_none() {
            f.walk_in_rows += 1;
        }
        match r.kind {
            TxKind::TopUp => {}
            TxKind::Refund => f.refunds += 1,
            TxKind::Sale => {
                if in_12m(r.day) {
                    *receipts.entry(&r.receipt).or_default() += r.paid_cents;
                }
            }
        }
        if r.kind != TxKind::TopUp && in_12m(r.day) {
            f.revenue_12m += r.paid_cents;
            if r.card.is_none() {
                f.walk_in_revenue_12m += r.paid_cents;
            }
        }
    }
    f.orders_12m = receipts.values().filter(|&&c| c > 0).count() as u32;
    f
}

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

#[test]
fn salon_pos_export_in_gbk() {
    let rows = pos_rows(2);
    let expected = pos_figures(&rows);
    assert!(expected.refunds > 40 && expected.walk_in_rows > 50, "{expected:?}");
    let mut rng = Rng::new(8);
    let sheet = pos_sheet(&rows, &mut rng);
    let out = run(vec![("消费明细.csv".into(), gbk(&sheet.text(Style { crlf: true, ..Default::default() }, &mut rng)))], 1 << 20);
    check("POS export", &out, &expected);
    assert_eq!(out.plans[0].skip_rows, 1, "the title row");
    assert!(out.reports[0].order_lines_merged > 50, "two-service receipts count once");
    check("POS export shuffled", &run(vec![("消费明细.csv".into(), gbk(&sheet.shuffled(&mut rng).text(Style::default(), &mut rng)))], 5), &expected);
    check("POS export with blank lines", &run(vec![("消费明细.csv".into(), gbk(&sheet.text(Style { crlf: false, blank_lines: true }, &mut rng)))], 1 << 20), &expected);
    for col in ["优惠", "门店", "应收金额", "项目"] {
        let text = gbk(&sheet.without(col).text(Style::default(), &mut rng));
        check(&format!("POS export without {col}"), &run(vec![("消费明细.csv".into(), text)], 1 << 20), &expected);
    }
}

// ---------------------------------------------------------------------------------------------
// (c) A Shopify-like English export

#[derive(Clone)]
struct WebOrder {
    id: String,
    email: Option<String>,
    day: Day,
    time: String,
    lines: Vec<(&'static str, i64)>,
    status: &'static str,
    fulfillment: &'static str,
}

const PRODUCTS: [(&str, i64); 5] = [("Linen shirt", 4_990), ("Canvas tote", 1_990), ("Wool scarf", 3_500), ("Gift card", 5_000), ("Sticker", 0)];
const FINANCIAL: [(&str, f64); 5] = [("paid", 0.76), ("partially_refunded", 0.05), ("refunded", 0.07), ("voided", 0.06), ("pending", 0.06)];

fn web_orders(seed: u64) -> Vec<WebOrder> {
    let mut rng = Rng::new(seed);
    let customers: Vec<String> = (0..150).map(|i| format!("customer{i}@example.com")).collect();
    (0..500)
        .map(|o| {
            let n = rng.range(1, 3) as usize;
            WebOrder {
                id: format!("#{}", 1001 + o),
                email: (!rng.chance(0.05)).then(|| rng.pick(&customers).clone()),
                day: random_day(&mut rng),
                time: format!("{} +0800", time_of_day(&mut rng)),
                lines: (0..n).map(|_| *rng.pick(&PRODUCTS)).collect(),
                status: FINANCIAL[rng.weighted(&FINANCIAL.map(|s| s.1))].0,
                fulfillment: if rng.chance(0.5) { "fulfilled" } else { "unfulfilled" },
            }
        })
        .collect()
}

const WEB_COLUMNS: [&str; 9] = ["Order ID", "Customer Email", "Financial Status", "Fulfillment Status", "Created at", "Lineitem name", "Lineitem price", "Total", "Currency"];

/// As Shopify writes it: the order's total and status on its first line only.
fn web_sheet(orders: &[WebOrder]) -> Sheet {
    let mut rows = Vec::new();
    for o in orders {
        let total: i64 = o.lines.iter().map(|l| l.1).sum();
        for (i, (name, price)) in o.lines.iter().enumerate() {
            let first = i == 0;
            rows.push(vec![
                o.id.clone(),
                o.email.clone().unwrap_or_default(),
                if first { o.status.to_string() } else { String::new() },
                if first { o.fulfillment.to_string() } else { String::new() },
                format!("{} {}", format_day(o.day), o.time),
                name.to_string(),
                yuan(*price),
                if first { yuan(total) } else { String::new() },
                "CNY".to_string(),
            ]);
        }
    }
    Sheet { title: None, header: strings(&WEB_COLUMNS), rows, footer: None }
}

/// The same sheet with the orders in random order (an order's lines stay together and in
/// order: its first line carries the status the others take).
fn web_sheet_shuffled(orders: &[WebOrder], rng: &mut Rng) -> Sheet {
    let mut shuffled = orders.to_vec();
    shuffle(&mut shuffled, rng);
    web_sheet(&shuffled)
}

/// Paid and partially refunded orders are sales (the refunded part is not in the export);
/// refunded ones were bought and refunded; voided and pending ones are no sales.
fn web_figures(orders: &[WebOrder]) -> Figures {
    let mut f = Figures::default();
    let mut members = HashSet::new();
    for o in orders {
        let total: i64 = o.lines.iter().map(|l| l.1).sum();
        if matches!(o.status, "voided" | "pending") {
            f.not_sale_rows += o.lines.len() as u64;
            continue;
        }
        match &o.email {
            Some(e) => {
                members.insert(e.clone());
            }
            None => f.walk_in_rows += o.lines.len() as u64,
        }
        if o.status == "refunded" {
            f.refunds += 1;
        }
        if in_12m(o.day) && total > 0 {
            f.orders_12m += 1;
        }
        if in_12m(o.day) && o.status != "refunded" {
            f.revenue_12m += total;
            if o.email.is_none() {
                f.walk_in_revenue_12m += total;
            }
        }
    }
    f.members = members.len() as u64;
    f
}

#[test]
fn shopify_like_english_export() {
    let orders = web_orders(3);
    let expected = web_figures(&orders);
    assert!(expected.not_sale_rows > 30 && expected.refunds > 20, "{expected:?}");
    let mut rng = Rng::new(9);
    let out = run(vec![("orders_export.csv".into(), web_sheet(&orders).text(Style::default(), &mut rng).into_bytes())], 1 << 20);
    check("Shopify export", &out, &expected);
    assert!(out.previews[0].notes.contains(&TableNote::OrderTotalColumn { header: "Total".into() }), "{:?}", out.previews[0].notes);
    let shuffled = web_sheet_shuffled(&orders, &mut rng);
    check("Shopify export shuffled", &run(vec![("orders_export.csv".into(), shuffled.text(Style::default(), &mut rng).into_bytes())], 3), &expected);
    let blank = web_sheet(&orders).text(Style { crlf: true, blank_lines: true }, &mut rng);
    check("Shopify export with blank lines", &run(vec![("orders_export.csv".into(), blank.into_bytes())], 1 << 20), &expected);
    for col in ["Currency", "Fulfillment Status", "Lineitem name"] {
        let text = web_sheet(&orders).without(col).text(Style::default(), &mut rng);
        check(&format!("Shopify export without {col}"), &run(vec![("orders_export.csv".into(), text.into_bytes())], 1 << 20), &expected);
    }
}

// ---------------------------------------------------------------------------------------------
// (d) A restaurant's members workbook and transactions keyed by card or by phone

struct Diner {
    card: String,
    name: String,
    phone: String,
}

#[derive(Clone)]
struct Meal {
    /// Index into the diners, or a phone number of nobody in the members file, or a guest.
    who: Who,
    day: Day,
    time: String,
    cents: i64,
    kind: TxKind,
    store: &'static str,
}

#[derive(Clone, PartialEq)]
enum Who {
    Diner(usize),
    Stranger(String),
    Guest,
}

fn diners() -> Vec<Diner> {
    (0..220).map(|i| Diner { card: format!("HY{:05}", 20_000 + i), name: format!("会员{i}"), phone: format!("137{:08}", 20_000_000 + i * 4_513) }).collect()
}

fn meals(seed: u64, with_strangers: bool) -> Vec<Meal> {
    let mut rng = Rng::new(seed);
    let n = diners().len() as i64;
    (0..1_200)
        .map(|_| {
            let roll = rng.f64();
            let who = if roll < 0.06 {
                Who::Guest
            } else if with_strangers && roll < 0.10 {
                Who::Stranger(format!("158{:08}", rng.range(0, 39) * 1_000))
            } else {
                Who::Diner(rng.range(0, n - 1) as usize)
            };
            let kind_roll = rng.f64();
            let (kind, cents) = if kind_roll < 0.05 && who != Who::Guest {
                (TxKind::TopUp, 100_000)
            } else if kind_roll < 0.09 {
                (TxKind::Refund, -rng.range(1_000, 9_000))
            } else {
                (TxKind::Sale, rng.range(2_000, 60_000))
            };
            Meal { who, day: random_day(&mut rng), time: time_of_day(&mut rng), cents, kind, store: if rng.chance(0.5) { "南京西路店" } else { "五角场店" } }
        })
        .collect()
}

fn members_workbook(diners: &[Diner]) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("会员").unwrap();
    for (c, h) in ["会员卡号", "姓名", "手机号", "开卡日期", "会员等级", "储值余额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, d) in diners.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &d.card).unwrap();
        ws.write_string(r, 1, &d.name).unwrap();
        // Some phones as numbers, as a sheet typed by hand has them.
        if i % 3 == 0 {
            ws.write_number(r, 2, d.phone.parse::<f64>().unwrap()).unwrap();
        } else {
            ws.write_string(r, 2, &d.phone).unwrap();
        }
        ws.write_string(r, 3, "2022-05-01").unwrap();
        ws.write_string(r, 4, if i % 4 == 0 { "金卡" } else { "普通会员" }).unwrap();
        ws.write_number(r, 5, (i % 7) as f64 * 100.0).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Transactions keyed by card (`by_phone` false) or by the diner's phone, written as people
/// type it.
fn meals_sheet(meals: &[Meal], diners: &[Diner], by_phone: bool, rng: &mut Rng) -> Sheet {
    let header = if by_phone { strings(&["手机号", "消费时间", "实收金额", "类型", "门店"]) } else { strings(&["会员卡号", "消费时间", "实收金额", "类型", "门店"]) };
    let rows = meals
        .iter()
        .map(|m| {
            let key = match (&m.who, by_phone) {
                (Who::Diner(i), false) => diners[*i].card.clone(),
                (Who::Diner(i), true) => write_phone(&diners[*i].phone, rng),
                (Who::Stranger(p), _) => write_phone(p, rng),
                (Who::Guest, _) => String::new(),
            };
            let kind = match m.kind {
                TxKind::Sale => "堂食",
                TxKind::Refund => "退款",
                TxKind::TopUp => "会员充值",
            };
            let money = if m.cents < 0 { format!("-{}", yuan(-m.cents)) } else { yuan(m.cents) };
            vec![key, format!("{} {}", format_day(m.day), m.time), money, kind.to_string(), m.store.to_string()]
        })
        .collect();
    Sheet { title: None, header, rows, footer: None }
}

/// The distinct phones of the meals' strangers (people not in the members file).
fn strangers(meals: &[Meal]) -> HashSet<&String> {
    meals
        .iter()
        .filter_map(|m| match &m.who {
            Who::Stranger(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// Members: everyone in the members file, and the strangers' distinct phones.
fn meal_figures(meals: &[Meal], diners: &[Diner]) -> Figures {
    let mut f = Figures { members: (diners.len() + strangers(meals).len()) as u64, ..Default::default() };
    for m in meals {
        let guest = m.who == Who::Guest;
        if guest {
            f.walk_in_rows += 1;
        }
        if m.kind == TxKind::Refund {
            f.refunds += 1;
        }
        if m.kind != TxKind::TopUp && in_12m(m.day) {
            f.revenue_12m += m.cents;
            if guest {
                f.walk_in_revenue_12m += m.cents;
            }
            if m.kind == TxKind::Sale {
                f.orders_12m += 1;
            }
        }
    }
    f
}

#[test]
fn restaurant_members_joined_by_card_or_phone() {
    let diners = diners();
    let mut rng = Rng::new(10);
    for by_phone in [false, true] {
        let meals = meals(4 + by_phone as u64, by_phone);
        let expected = meal_figures(&meals, &diners);
        let sheet = meals_sheet(&meals, &diners, by_phone, &mut rng);
        let files = |text: String| vec![("流水.csv".to_string(), format!("\u{feff}{text}").into_bytes()), ("会员.xlsx".to_string(), members_workbook(&diners))];
        let out = run(files(sheet.text(Style::default(), &mut rng)), 1 << 20);
        check(if by_phone { "keyed by phone" } else { "keyed by card" }, &out, &expected);
        let tx = out.reports.iter().find(|r| r.role == member_engine::import::fields::Role::Transactions).unwrap();
        assert_eq!(tx.unknown_members, strangers(&meals).len() as u64, "only the strangers are not in the members file (each counted once)");
        if by_phone {
            let p = out.previews.iter().find(|p| p.name == "流水.csv").unwrap();
            assert!(p.notes.contains(&TableNote::PhoneAsMemberId { header: "手机号".into() }), "{:?}", p.notes);
            // A diner's meals are the diner's, whatever way the phone was written.
            let (i, diner) = diners.iter().enumerate().find(|(i, _)| meals.iter().filter(|m| m.who == Who::Diner(*i)).count() >= 3).unwrap();
            let m = out.ds.find_member(&diner.card).unwrap();
            let theirs = out.ds.transactions.member.iter().filter(|&&x| x == m).count();
            assert_eq!(theirs, meals.iter().filter(|x| x.who == Who::Diner(i)).count());
        }
        check("shuffled", &run(files(sheet.shuffled(&mut rng).text(Style::default(), &mut rng)), 11), &expected);
        check("blank lines", &run(files(sheet.text(Style { crlf: true, blank_lines: true }, &mut rng)), 1 << 20), &expected);
        check("without the store", &run(files(sheet.without("门店").text(Style::default(), &mut rng)), 1 << 20), &expected);
    }
}
