//! Native benchmark of every analysis on a real file: `cargo run --release --example bench_file
//! -- <path> [runs]` (e.g. the CDNOW log ×15 made by `scripts/make-cdnow.py 15 <out>`). Reads the
//! file once, then times each phase (best of `runs`, default 3) and the two calls the worker
//! makes (`analyse_without_predictions` + `add_predictions`), and prints the peak memory.
//! `--dump <path>` also writes the result and every member's labels and predictions as text,
//! to compare two versions of the engine (`diff`).

use std::time::Instant;

use member_engine::analysis::{add_predictions, analyse_without_predictions, analysis_day_of};
use member_engine::churn::churn;
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::overview::{overview, periods};
use member_engine::models::{bgnbd, gamma_gamma};
use member_engine::predict::histories::HistoryGroups;
use member_engine::predict::{backtest, predict};
use member_engine::pyramid::{pyramid, quadrants, tiers};
use member_engine::segments::segment;
use member_engine::settings::Settings;
use member_engine::summary::{summarize_grouped, PurchaseDays, RowsByMember};

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[path = "common/cpu.rs"]
mod cpu;
use cpu::cpu_seconds;

/// The memory each call of [`timed`] took at its peak above what was resident before it, in MB,
/// in the order of the calls (Linux only).
static PEAKS: std::sync::Mutex<Vec<f64>> = std::sync::Mutex::new(Vec::new());

/// Seconds `f` takes (CPU time where the system tells it, else wall time), and its result.
fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let before = reset_peak();
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let v = f();
    if let (Some(before), Some(peak), Ok(mut peaks)) = (before, peak_rss_mb(), PEAKS.lock()) {
        peaks.push(peak - before);
    }
    match (cpu, cpu_seconds()) {
        (Some(a), Some(b)) => (b - a, v),
        _ => (t.elapsed().as_secs_f64(), v),
    }
}

const PHASES: [&str; 17] = [
    "group rows by member",
    "summary",
    "segments",
    "pyramid + quadrants + tiers",
    "purchase days (churn input)",
    "churn",
    "overview",
    "predictions (fit + members)",
    "backtest (grouping included)",
    "worker: analyse_without_predictions",
    "worker: add_predictions",
    "  of the predictions: group histories",
    "  of the predictions: BG/NBD fit",
    "  of the predictions: Gamma-Gamma fit",
    "  of pyramid + …: quadrants",
    "  of pyramid + …: tiers",
    "overview periods (not in the sum)",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: bench_file <path> [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(3);
    let dump_to = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1));
    // `demo:<members>`: the generated demo instead of a file (it has every kind of row).
    let (t_read, ds) = match path.strip_prefix("demo:").and_then(|n| n.parse().ok()) {
        Some(members) => timed(|| member_engine::demo::generate(&member_engine::demo::DemoSpec { members, ..Default::default() })),
        None => read(path),
    };
    println!("{path}: {} members, {} rows (read in {:.0} ms)", ds.members.len(), ds.transactions.len(), t_read * 1e3);
    if let Some(peak) = peak_rss_mb() {
        println!("peak memory after reading (the file included): {peak:.0} MB");
    }
    let settings = Settings::default();
    let day = analysis_day_of(&ds, None, &settings);

    let mut best = [f64::MAX; PHASES.len()];
    let (mut groups_len, mut buyers) = (0, 0);
    let mut weights = Vec::new();
    let mut worker_peak = [0.0; 4];
    for _ in 0..runs {
        let mut t = [0.0; PHASES.len()];
        let by_member;
        (t[0], by_member) = timed(|| RowsByMember::build(&ds));
        let sums;
        (t[1], sums) = timed(|| summarize_grouped(&ds, &by_member, day));
        let layer;
        (t[2], _) = timed(|| std::hint::black_box(segment(&sums, &settings)));
        (t[3], layer) = timed(|| {
            let (p, layer) = pyramid(&sums, &settings);
            std::hint::black_box((p, quadrants(&ds, &sums, &settings), tiers(&ds, &sums, &settings)));
            layer
        });
        let days;
        (t[4], days) = timed(|| PurchaseDays::build(&ds, &by_member, day));
        (t[5], _) = timed(|| std::hint::black_box(churn(&ds, &days, day, &settings)));
        (t[6], _) = timed(|| std::hint::black_box(overview(&ds, &sums, Some(&days))));
        (t[16], _) = timed(|| std::hint::black_box(periods(&ds, &days, day)));
        (t[7], _) = timed(|| std::hint::black_box(predict(&sums, &layer, &settings)));
        (t[8], _) = timed(|| std::hint::black_box(backtest(&ds, &RowsByMember::build(&ds), &sums, &settings)));
        let groups;
        (t[11], groups) = timed(|| {
            HistoryGroups::build(sums.members.len(), |m| Some(&sums.members[m]).filter(|s| s.purchase_days > 0).map(|s| (s.x(), s.t_x(), s.t(day))))
        });
        (t[12], _) = timed(|| std::hint::black_box(bgnbd::fit_groups(&groups.groups)));
        (t[14], _) = timed(|| std::hint::black_box(quadrants(&ds, &sums, &settings)));
        (t[15], _) = timed(|| std::hint::black_box(tiers(&ds, &sums, &settings)));
        (t[13], _) = timed(|| {
            let input: Vec<(f64, f64)> = sums.members.iter().filter(|s| s.x() > 0).map(|s| (s.x() as f64, s.mean_repeat_spend_cents())).collect();
            std::hint::black_box(gamma_gamma::fit(&input))
        });
        (groups_len, buyers) = (groups.groups.len(), groups.customers());
        drop((by_member, sums, days, layer, groups));
        let mut computed;
        let resident = reset_peak();
        (t[9], computed) = timed(|| analyse_without_predictions(&ds, None, false, &settings));
        let first_peak = peak_rss_mb();
        let between = reset_peak();
        (t[10], _) = timed(|| add_predictions(&ds, &mut computed, &settings));
        std::hint::black_box(&computed.analysis);
        if let (Some(before), Some(first), Some(between), Some(second)) = (resident, first_peak, between, peak_rss_mb()) {
            worker_peak = [before, first, between, second];
        }
        if let Some(out) = dump_to {
            dump(out, &computed);
        }
        weights = weights_of(&ds, &computed);
        for (b, v) in best.iter_mut().zip(t) {
            *b = b.min(v);
        }
    }
    println!("best of {runs} runs ({} time; and the memory each phase took at its peak, first run):", if cpu_seconds().is_some() { "CPU" } else { "wall" });
    // The phases in the order the first run timed them (after the read).
    const CALL_ORDER: [usize; PHASES.len()] = [0, 1, 2, 3, 4, 5, 6, 16, 7, 8, 11, 12, 14, 15, 13, 9, 10];
    let mut peak_of = [None; PHASES.len()];
    if let Ok(peaks) = PEAKS.lock() {
        for (&phase, &mb) in CALL_ORDER.iter().zip(peaks.iter().skip(1)) {
            peak_of[phase] = Some(mb);
        }
    }
    for ((name, s), mb) in PHASES.iter().zip(best).zip(peak_of) {
        let mb = mb.map(|mb| format!("{mb:+7.0} MB")).unwrap_or_default();
        println!("  {name:<38} {:8.1} ms {mb}", s * 1e3);
    }
    let phases: f64 = best[..9].iter().sum();
    println!("  {:<38} {:8.1} ms", "sum of the phases", phases * 1e3);
    println!("  {:<38} {:8.1} ms", "worker total (both calls)", (best[9] + best[10]) * 1e3);
    println!("({} distinct histories for {} buyers)", groups_len, buyers);
    println!("what the results weigh (kept by the worker while the data set is loaded):");
    for (name, bytes) in weights {
        println!("  {name:<38} {:8.1} MB", bytes as f64 / 1e6);
    }
    if let Some(peak) = peak_rss_mb() {
        println!("peak memory (incl. the file held in memory while reading): {peak:.0} MB");
    }
    if worker_peak[1] > 0.0 {
        let [before, first, between, second] = worker_peak;
        println!("the worker's calls (memory resident, in MB): {before:.0} before (the data set); analyse_without_predictions peak {first:.0}, then {between:.0}; add_predictions peak {second:.0}");
    }
}

/// Resets the process's peak memory to what it holds now (Linux: `/proc/self/clear_refs`), so
/// that the next peak is that of what follows; returns what it holds now, in MB.
fn reset_peak() -> Option<f64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn read(path: &str) -> (f64, member_engine::model::Dataset) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let mut files = MemoryFiles(vec![(path.to_string(), bytes)]);
    timed(|| {
        let plans: Vec<_> = inspect_files(&mut files).expect("inspect").iter().map(|p| p.plan()).collect();
        load("bench", &plans, &mut files, &mut |_, _| {}).expect("load").0
    })
}

/// Bytes of the per-member results the worker keeps, by part (lengths × element sizes).
fn weights_of(ds: &member_engine::model::Dataset, c: &member_engine::analysis::Computed) -> Vec<(&'static str, usize)> {
    use std::mem::size_of;
    let k = &c.classified;
    let n = c.summaries.members.len();
    let l = &k.labels;
    let labels = l.r.len() + l.f.len() + l.m.len() + l.rfm_segment.len() + l.cn_class.len() + l.groups.len() + l.lifecycle.len();
    let offsets: usize = (0..n).map(|i| k.active_offsets[i].len() * 2).sum::<usize>() + (n + 1) * 4;
    vec![
        ("data set (rows, members, ids, index)", ds.heap_bytes() as usize),
        ("summaries (MemberSummary each)", n * size_of::<member_engine::summary::MemberSummary>() + c.summaries.category_counts.len() * 4),
        ("labels", labels),
        ("layer, quadrant, tier fit", k.layer.len() + k.quadrant.len() + k.tier_fit.len()),
        ("first month", k.first_month.len() * size_of::<i32>()),
        ("cohort month offsets (flat)", offsets),
        ("predictions (per member and per history)", k.predictions.heap_bytes()),
    ]
}

/// The result and every member's labels and predictions, one member a line (the summary's
/// figures, kept and derived, written out so that versions with other layouts compare).
fn dump(path: &str, c: &member_engine::analysis::Computed) {
    use std::fmt::Write;
    let mut out = serde_json::to_string_pretty(&c.analysis).unwrap_or_default();
    let k = &c.classified;
    let l = &k.labels;
    for i in 0..c.summaries.members.len() {
        let p = k.predictions.get(i).map(|p| (p.p_alive, p.expected_purchases, p.p_no_purchase, p.risk, p.value_12m_cents, p.next_visit_days));
        let _ = writeln!(
            out,
            "{i} {} | {} {} {} {} {} {} {} | {} {} {} {:?} | {:?} | {:?}",
            summary_line(&c.summaries.members[i], c.summaries.analysis_day),
            l.r[i], l.f[i], l.m[i], l.rfm_segment[i], l.cn_class[i], l.groups[i], l.lifecycle[i],
            k.layer[i], k.quadrant[i], k.tier_fit[i], k.first_month_of(i),
            (0..200u16).filter(|&o| cohort_has(k, i, o)).collect::<Vec<_>>(),
            p,
        );
    }
    if let Err(e) = std::fs::write(path, out) {
        eprintln!("cannot write {path}: {e}");
    }
}

fn summary_line(s: &member_engine::summary::MemberSummary, d: member_engine::dates::Day) -> String {
    format!(
        "{:?} {:?} {} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {} {} {} {} {} {} {} {} {} {:?}",
        s.first_day(), s.last_day(), s.purchase_days, s.orders, s.gross_cents, s.net_cents, s.avg_ticket_cents(),
        s.recency_days(d), s.tenure_days(d), s.mean_gap_days(), s.longest_gap_days(), s.promo_share(), s.promo_cents,
        s.spend_12m_cents, s.orders_12m, s.orders_6m, s.x(), s.t_x(), s.t(d), s.first_day_gross_cents, s.not_yet(),
        s.mean_repeat_spend_cents(),
    )
}

fn cohort_has(k: &member_engine::analysis::Classified, i: usize, offset: u16) -> bool {
    k.active_offsets[i].contains(&offset)
}
