//! Native benchmark of the BG/NBD fit: the CDNOW summary copied 15 times (35,355 customers) and
//! 150 times (353,550): `cargo run --release --example bench_bgnbd`.

use std::time::Instant;

use member_engine::models::bgnbd::{fit, History};

fn main() {
    let text = match std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/cdnow_customers_summary.csv")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read tests/data/cdnow_customers_summary.csv: {e}");
            std::process::exit(1);
        }
    };
    let base: Vec<History> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<f64> = l.split(',').skip(1).filter_map(|v| v.parse().ok()).collect();
            (f.len() == 3).then(|| History { x: f[0], t_x: f[1], t: f[2] })
        })
        .collect();
    for copies in [1, 15, 150] {
        let data: Vec<History> = base.iter().cycle().take(base.len() * copies).copied().collect();
        let runs = 5;
        let mut best = f64::MAX;
        let mut last = None;
        for _ in 0..runs {
            let t = Instant::now();
            last = fit(&data);
            best = best.min(t.elapsed().as_secs_f64());
        }
        let Some(f) = last else { continue };
        let p = f.params;
        println!(
            "{:>8} customers ({} distinct histories): {:7.2} ms (best of {runs}), {} iterations; r {:.4} α {:.4} a {:.4} b {:.4}",
            f.customers, f.distinct_histories, best * 1e3, f.iterations, p.r, p.alpha, p.a, p.b
        );
    }
}
