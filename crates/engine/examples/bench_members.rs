//! Native benchmark of the member list: `cargo run --release -p member-engine --example
//! bench_members [members]` (default 350,000). Generates the demo, analyses it, builds the work
//! lists, then times each query (filter, sort and the first page of 100 rows, as the page asks)
//! and prints the median of 5 runs. The browser (WebAssembly) takes about 1.5–2× these times;
//! the page's budget is 100 ms.

use std::time::Instant;

use member_engine::analysis::analyse;
use member_engine::demo::{generate, DemoSpec};
use member_engine::members::{query, Column, Condition, Ctx, MemberFilter, NumRange, Sort};
use member_engine::segments::{Lifecycle, RfmSegment};
use member_engine::settings::Settings;
use member_engine::worklists::WorkListIndex;

const RUNS: usize = 5;

#[path = "common/cpu.rs"]
mod cpu;

/// The CPU time this thread has run, in ms, so that a figure taken on a busy machine is not the
/// time spent waiting for a core.
fn cpu_ms() -> Option<f64> {
    cpu::cpu_seconds().map(|s| s * 1e3)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The median wall time and the median CPU time (when the system tells it) of `f`, and its result.
fn time(mut f: impl FnMut() -> u32) -> (f64, Option<f64>, u32) {
    let (mut wall, mut cpu) = (Vec::with_capacity(RUNS), Vec::with_capacity(RUNS));
    let mut total = 0;
    for _ in 0..RUNS {
        let (t, c) = (Instant::now(), cpu_ms());
        total = std::hint::black_box(f());
        wall.push(t.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (c, cpu_ms()) {
            cpu.push(b - a);
        }
    }
    let cpu = (cpu.len() == RUNS).then(|| median(cpu));
    (median(wall), cpu, total)
}

fn main() {
    let members: usize = std::env::args().nth(1).and_then(|a| a.replace('_', "").parse().ok()).unwrap_or(350_000);
    let t = Instant::now();
    let ds = generate(&DemoSpec { members, ..Default::default() });
    println!(
        "data: {} members, {} transactions (generated in {:.0} ms)",
        ds.members.len(),
        ds.transactions.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let settings = Settings::default();
    let t = Instant::now();
    let c = analyse(&ds, None, true, &settings);
    let lists = WorkListIndex::build(&ds, &c.summaries, &c.classified, &settings);
    println!("analysis and work lists: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let ctx = Ctx { ds: &ds, sums: &c.summaries, c: &c.classified, lists: &lists, settings: &settings };

    let spend = Sort::default();
    let category = ds.categories.names().first().cloned().unwrap_or_default();
    let search = ds.members.name(ds.members.len() / 2).chars().take(1).collect::<String>();
    let cases: Vec<(&str, MemberFilter, Sort)> = vec![
        ("everyone, by spend", MemberFilter::everyone(), spend),
        ("segment (champions)", MemberFilter::rfm(RfmSegment::Champions), spend),
        (
            "compound (3 conditions)",
            MemberFilter {
                all: vec![
                    Condition::Lifecycle { any: vec![Lifecycle::Active, Lifecycle::Silent] },
                    Condition::Spend(NumRange { min: Some(1000.0), max: None }),
                    Condition::Visits(NumRange { min: Some(3.0), max: Some(40.0) }),
                ],
                search: String::new(),
            },
            spend,
        ),
        ("search (a surname)", MemberFilter { all: Vec::new(), search: search.clone() }, spend),
        ("search (phone digits 1380)", MemberFilter { all: Vec::new(), search: "1380".into() }, spend),
        ("sort by spend, ascending", MemberFilter::everyone(), Sort { column: Column::Spend, descending: false }),
        ("sort by name", MemberFilter::everyone(), Sort { column: Column::Name, descending: false }),
        ("sort by last purchase", MemberFilter::everyone(), Sort { column: Column::LastPurchase, descending: true }),
        ("sort by P(alive)", MemberFilter::everyone(), Sort { column: Column::PAlive, descending: false }),
        (
            "category filter (not since 2026-06-01)",
            MemberFilter::only(Condition::Category { any: vec![category.clone()], not_since: Some("2026-06-01".into()) }),
            spend,
        ),
        ("zodiac and star sign", MemberFilter {
            all: vec![
                Condition::Zodiac { any: vec![member_engine::members::Zodiac::Dragon] },
                Condition::StarSign { any: vec![member_engine::members::StarSign::Leo, member_engine::members::StarSign::Virgo] },
            ],
            search: String::new(),
        }, spend),
    ];
    println!("median of {RUNS} runs, {} members (filter, sort and a page of 100 rows); CPU: the thread's own time", ds.members.len());
    for (name, filter, sort) in cases {
        let (ms, cpu, total) = time(|| query(&ctx, &filter, sort, 0, 100).total);
        let cpu = cpu.map_or(String::new(), |c| format!("  CPU {c:6.1} ms"));
        println!("  {name:<40} query: {ms:6.1} ms{cpu}  ({total} members)");
    }
}
