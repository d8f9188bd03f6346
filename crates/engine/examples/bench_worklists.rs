//! Native benchmark of the work lists: `cargo run --release --example bench_worklists [members]`
//! (default 350,000). Builds the demo, analyses it (predictions included), then times
//! `WorkListIndex::build` and `overview` (the thread's CPU time, steadier than the wall clock on a
//! shared machine, and the wall time) and prints each list's count.

use std::time::Instant;

#[path = "common/cpu.rs"]
mod cpu;
use cpu::cpu_seconds;

use member_engine::analysis::analyse;
use member_engine::demo::{generate, DemoSpec};
use member_engine::settings::Settings;
use member_engine::worklists::WorkListIndex;

fn main() {
    let members: usize = std::env::args().nth(1).and_then(|a| a.replace('_', "").parse().ok()).unwrap_or(350_000);
    let ds = generate(&DemoSpec { members, ..Default::default() });
    println!("data: {} members, {} transactions", ds.members.len(), ds.transactions.len());
    let settings = Settings::default();
    let c = analyse(&ds, None, true, &settings);
    let runs = 7;
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    let mut index = WorkListIndex::default();
    for _ in 0..runs {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        index = WorkListIndex::build(&ds, &c.summaries, &c.classified, &settings);
        best_wall = best_wall.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu, cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    let t = Instant::now();
    let overview = index.overview();
    let overview_ms = t.elapsed().as_secs_f64() * 1e3;
    let cpu = if best_cpu < f64::MAX { format!("{:.1} ms CPU, ", best_cpu * 1e3) } else { String::new() };
    println!("WorkListIndex::build: best of {runs} runs {cpu}{:.1} ms wall; overview {:.2} ms", best_wall * 1e3, overview_ms);
    println!("analysis date {}", overview.analysis_date);
    for l in &overview.lists {
        println!("  {:<22} {:>8} {}", format!("{:?}", l.key), l.members, if l.available { "" } else { "(not available)" });
    }
    for cc in &overview.cycles {
        println!(
            "  cycle {:<8} default {:?} learned {:?} from {} gaps, in force {:?}, due {}",
            cc.category, cc.default_days, cc.learned_days, cc.learned_from, cc.cycle_days, cc.due
        );
    }
    println!("points outstanding {}, balance outstanding ¥{:.2}", overview.points_outstanding, overview.balance_outstanding_cents as f64 / 100.0);
}
