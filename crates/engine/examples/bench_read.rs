//! Native benchmark of the import path alone, as the page runs it: inspect the file, take the
//! plan it proposes, load it. `cargo run --release -p member-engine --example bench_read --
//! <file> [runs]` prints the best time of `runs` (default 5) for each step, rows/s and MB/s, and
//! the data set's heap bytes.

use std::time::Instant;

use member_engine::import::load::{inspect_files, load, MemoryFiles};

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[path = "common/cpu.rs"]
mod cpu;
use cpu::cpu_seconds;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: bench_read <file> [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let mb = bytes.len() as f64 / 1e6;
    let name = std::path::Path::new(path).file_name().map_or("file".into(), |n| n.to_string_lossy().into_owned());
    let mut files = MemoryFiles(vec![(name, bytes)]);
    let (mut best_inspect, mut best_load, mut best_load_cpu) = (f64::MAX, f64::MAX, f64::MAX);
    let mut last = None;
    for _ in 0..runs {
        drop(last.take()); // the previous data set is freed before the next load
        let t = Instant::now();
        let plans: Vec<_> = inspect_files(&mut files).expect("inspect").iter().map(|p| p.plan()).collect();
        best_inspect = best_inspect.min(t.elapsed().as_secs_f64());
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let loaded = load("bench", &plans, &mut files, &mut |_, _| {}).expect("load");
        best_load = best_load.min(t.elapsed().as_secs_f64());
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            best_load_cpu = best_load_cpu.min(after - before);
        }
        last = Some(loaded);
    }
    let Some((ds, reports)) = last else { return };
    let rows: u64 = reports.iter().map(|r| r.rows_read).sum();
    let used: u64 = reports.iter().map(|r| r.rows_used).sum();
    println!("{path}: {mb:.1} MB, {rows} rows read, {used} used, {} transactions, {} members", ds.transactions.len(), ds.members.len());
    println!("inspect       {:8.1} ms", best_inspect * 1e3);
    println!("load          {:8.1} ms  = {:.0} MB/s, {:.1} M rows/s", best_load * 1e3, mb / best_load, rows as f64 / best_load / 1e6);
    if best_load_cpu < f64::MAX {
        println!("load CPU time {:8.1} ms  (best of {runs}; the wall clock above counts waits for a shared CPU too)", best_load_cpu * 1e3);
    }
    println!("read total    {:8.1} ms  (best of {runs})", (best_inspect + best_load) * 1e3);
    let heap = ds.heap_bytes();
    println!("data set heap {:8.1} MB  = {:.1} B/row, {:.1} B/member", heap as f64 / 1e6, heap as f64 / rows.max(1) as f64, heap as f64 / ds.members.len().max(1) as f64);
    if let Some(peak) = peak_rss_mb() {
        println!("peak RSS      {peak:8.0} MB  (incl. the file held in memory)");
    }
}
