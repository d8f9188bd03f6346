//! BG/NBD against the published reference: Fader, Hardie & Lee (2005) fit the CDNOW sample
//! (2,357 customers, weeks) to r 0.243, α 4.414, a 0.793, b 2.426.

use member_dashboard::engine::models::bgnbd::{fit, History};

fn cdnow_summary() -> Vec<History> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cdnow_customers_summary.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<f64> = l.split(',').skip(1).map(|v| v.parse().unwrap()).collect();
            History { x: f[0], t_x: f[1], t: f[2] }
        })
        .collect()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[test]
fn recovers_the_published_cdnow_estimates() {
    let data = cdnow_summary();
    assert_eq!(data.len(), 2357);
    let f = fit(&data).expect("a fit");
    assert!(f.converged, "{f:?}");
    let p = f.params;
    assert_eq!((round3(p.r), round3(p.alpha), round3(p.a), round3(p.b)), (0.243, 4.414, 0.793, 2.426), "{p:?}");
    // The paper's log-likelihood at the optimum: −9582.4.
    assert!((f.log_likelihood + 9582.4).abs() < 0.1, "{}", f.log_likelihood);
    assert!(f.distinct_histories < data.len());
}

#[test]
fn fifteen_copies_give_the_same_estimates() {
    let data = cdnow_summary();
    let many: Vec<History> = data.iter().cycle().take(data.len() * 15).copied().collect();
    let f = fit(&many).unwrap();
    let p = f.params;
    assert_eq!((round3(p.r), round3(p.alpha), round3(p.a), round3(p.b)), (0.243, 4.414, 0.793, 2.426));
    assert_eq!(f.customers, 35_355);
}
