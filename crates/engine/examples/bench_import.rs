//! Native benchmark of reading a transactions CSV: `cargo run --release --example bench_import
//! [transactions]` (default 1,000,000). Generates the demo at that size, writes it as a CSV
//! export (Chinese header, UTF-8), then times preview + load + analysis and prints the peak
//! memory. `--write <path>` only writes the CSV (the browser benchmark uses it).

use std::time::Instant;

use member_engine::analysis::analyse;
use member_engine::dates::format_day;
use member_engine::demo::{generate, DemoSpec};
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::model::{Dataset, TxKind, WALK_IN};
use member_engine::settings::Settings;

/// The demo's transactions as a POS system would export them.
fn to_csv(ds: &Dataset) -> Vec<u8> {
    let tx = &ds.transactions;
    let mut out = String::with_capacity(tx.len() * 48);
    out.push_str("会员卡号,消费时间,实收金额,优惠金额,项目,门店,类型\n");
    let mut last_day = (i32::MIN, String::new());
    for r in 0..tx.len() {
        let m = tx.member[r];
        let id = if m == WALK_IN { "" } else { ds.members.id(m as usize) };
        if last_day.0 != tx.day[r] {
            last_day = (tx.day[r], format_day(tx.day[r]));
        }
        let amount = tx.amount_cents[r];
        let kind = match tx.kind[r] {
            TxKind::Sale => "消费",
            TxKind::Refund => "退款",
            TxKind::TopUp => "充值",
        };
        out.push_str(&format!(
            "{id},{},{}.{:02},{}.{:02},{},{},{kind}\n",
            last_day.1,
            amount / 100,
            (amount % 100).abs(),
            tx.discount_cents(r) / 100,
            tx.discount_cents(r) % 100,
            ds.categories.name(tx.category(r)).unwrap_or(""),
            ds.stores.name(tx.store(r)).unwrap_or(""),
        ));
    }
    out.into_bytes()
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.replace('_', "").parse().ok()).unwrap_or(1_000_000);
    let write_to = args.iter().position(|a| a == "--write").and_then(|i| args.get(i + 1));
    let ds = generate(&DemoSpec::with_transactions(n));
    let csv = to_csv(&ds);
    let rows = ds.transactions.len();
    drop(ds);
    if let Some(path) = write_to {
        if let Err(e) = std::fs::write(path, &csv) {
            eprintln!("cannot write {path}: {e}");
            std::process::exit(1);
        }
        println!("{path}: {rows} rows, {:.1} MB", csv.len() as f64 / 1e6);
        return;
    }
    let mb = csv.len() as f64 / 1e6;
    println!("CSV: {rows} rows, {mb:.1} MB");
    let mut files = MemoryFiles(vec![("bench.csv".into(), csv)]);
    let t = Instant::now();
    let plans: Vec<_> = inspect_files(&mut files).expect("inspect").iter().map(|p| p.plan()).collect();
    let t_inspect = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (ds, reports) = load("bench", &plans, &mut files, &mut |_, _| {}).expect("load");
    let t_load = t.elapsed().as_secs_f64();
    assert_eq!(reports[0].rows_used as usize, rows, "every row read");
    let t = Instant::now();
    let a = analyse(&ds, None, false, &Settings::default()).analysis;
    let t_analyse = t.elapsed().as_secs_f64();
    std::hint::black_box(&a);
    println!("preview (first 256 KB)   {:8.1} ms", t_inspect * 1e3);
    println!("read into columns        {:8.1} ms  = {:.0} MB/s, {:.1} M rows/s", t_load * 1e3, mb / t_load, rows as f64 / t_load / 1e6);
    println!("analysis                 {:8.1} ms", t_analyse * 1e3);
    println!("total                    {:8.1} ms", (t_inspect + t_load + t_analyse) * 1e3);
    if let Some(peak) = peak_rss_mb() {
        println!("peak memory (incl. the CSV held in memory): {peak:.0} MB");
    }
}
