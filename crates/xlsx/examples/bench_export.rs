//! Times an export of the whole demo list at a given size: the table, CSV and XLSX.
//! `cargo run --release -p member-xlsx --example bench_export -- 350000`

use std::time::Instant;

use member_engine::analysis::analyse;
use member_engine::demo::{generate, DemoSpec};
use member_engine::export::{csv, table, ExportSpec, ExportWords};
use member_engine::members::{Column, Ctx, MemberFilter, Sort};
use member_engine::settings::Settings;
use member_engine::worklists::WorkListIndex;

fn main() {
    let members: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(350_000);
    let ds = generate(&DemoSpec { members, ..Default::default() });
    let settings = Settings::default();
    let computed = analyse(&ds, None, true, &settings);
    let lists = WorkListIndex::build(&ds, &computed.summaries, &computed.classified, &settings);
    let ctx = Ctx { ds: &ds, sums: &computed.summaries, c: &computed.classified, lists: &lists, settings: &settings };
    let spec = ExportSpec {
        filter: MemberFilter::everyone(),
        sort: Sort::default(),
        columns: Column::DEFAULT.to_vec(),
        words: ExportWords::default(),
        full_phones: false,
        title: "Members".into(),
    };
    let t0 = Instant::now();
    let t = table(&ctx, &spec);
    let t1 = Instant::now();
    let text = csv(&t);
    let t2 = Instant::now();
    let json = serde_json::to_string(&t).unwrap_or_default();
    let t3 = Instant::now();
    let bytes = member_xlsx::write(&t).unwrap_or_default();
    let t4 = Instant::now();
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
    println!(
        "{} rows × {} columns: table {:.0} ms, CSV {:.0} ms ({:.1} MB), table as JSON {:.0} ms ({:.1} MB), XLSX {:.0} ms ({:.1} MB)",
        t.rows.len(),
        t.headers.len(),
        ms(t0, t1),
        ms(t1, t2),
        text.len() as f64 / 1e6,
        ms(t2, t3),
        json.len() as f64 / 1e6,
        ms(t3, t4),
        bytes.len() as f64 / 1e6
    );
}
