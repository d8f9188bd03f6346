//! Native benchmark of the engine on generated data: `cargo run --release --example bench_engine
//! [transactions]` (default 1,000,000). Prints the time of each step and the rows per second.

use std::time::Instant;

use member_engine::analysis::analyse;
use member_engine::demo::{generate, DemoSpec};
use member_engine::settings::Settings;
use member_engine::summary::{summarize_grouped, RowsByMember};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.replace('_', "").parse().ok()).unwrap_or(1_000_000);
    let t = Instant::now();
    let ds = generate(&DemoSpec::with_transactions(n));
    let gen = t.elapsed();
    let rows = ds.transactions.len();
    println!("data: {} members, {} transactions (generated in {:.0} ms)", ds.members.len(), rows, gen.as_secs_f64() * 1e3);
    let day = ds.default_analysis_day().unwrap_or(0);

    let runs = 5;
    let mut best = [f64::MAX; 3];
    for _ in 0..runs {
        let t = Instant::now();
        let by_member = RowsByMember::build(&ds);
        let group = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let sums = summarize_grouped(&ds, &by_member, day);
        let summary = t.elapsed().as_secs_f64();
        std::hint::black_box(&sums);
        let t = Instant::now();
        let a = analyse(&ds, Some(day), true, &Settings::default()).analysis;
        let full = t.elapsed().as_secs_f64();
        std::hint::black_box(&a);
        best = [best[0].min(group), best[1].min(summary), best[2].min(full)];
    }
    let ms = |s: f64| s * 1e3;
    println!("best of {runs} runs:");
    println!("  group rows by member     {:8.1} ms", ms(best[0]));
    println!("  per-member summary       {:8.1} ms", ms(best[1]));
    println!("  whole analysis (summary, overview, segments, pyramid, quadrants, tiers, churn, predictions) {:8.1} ms  = {:.1} M rows/s", ms(best[2]), rows as f64 / best[2] / 1e6);
}
