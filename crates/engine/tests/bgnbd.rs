//! BG/NBD against the published reference: Fader, Hardie & Lee (2005) fit the CDNOW sample
//! (2,357 customers, weeks) to r 0.243, α 4.414, a 0.793, b 2.426.

use member_engine::models::bgnbd::{fit, History};

fn cdnow_summary() -> Vec<History> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/cdnow_customers_summary.csv")).unwrap();
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

/// The full CDNOW log through the import pipeline and the per-member summary, fitted here and
/// compared with what `lifetimes` computes from the same log (tests/data/lifetimes_cdnow_reference.json,
/// made by scripts/reference/lifetimes_cdnow.py).
#[test]
fn matches_lifetimes_on_the_cdnow_transaction_log() {
    use member_engine::analysis::analyse;
    use member_engine::import::load::{inspect_files, load, MemoryFiles};
    use member_engine::settings::Settings;

    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/lifetimes_cdnow_reference.json")).unwrap(),
    )
    .unwrap();
    let log = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/CDNOW_master.txt")).unwrap();
    let mut files = MemoryFiles(vec![("CDNOW_master.txt".into(), log)]);
    let plans: Vec<_> = inspect_files(&mut files).unwrap().iter().map(|p| p.plan()).collect();
    let (ds, _) = load("cdnow", &plans, &mut files, &mut |_, _| {}).unwrap();
    // lifetimes' summary was made with observation_period_end 1998-07-01, the day after the last
    // transaction (1998-06-30): T and recency are counted to it. Our default analysis date is
    // the day of the last transaction, so the same figures come from analysing as of 1998-07-01.
    let settings = Settings { analysis_date: Some("1998-07-01".into()), ..Default::default() };
    let computed = analyse(&ds, None, false, &settings);
    assert_eq!(computed.analysis.analysis_date, reference["observation_period_end"].as_str().unwrap());
    let sums = &computed.summaries.members;
    let day = computed.summaries.analysis_day;
    let history = |m: usize| History { x: sums[m].x() as f64, t_x: sums[m].t_x() as f64, t: sums[m].t(day) as f64 };
    let histories: Vec<History> = (0..sums.len()).filter(|&m| sums[m].purchase_days > 0).map(history).collect();
    assert_eq!(histories.len() as u64, reference["customers"].as_u64().unwrap());

    let f = fit(&histories).unwrap();
    assert!(f.converged);
    let rp = &reference["params"];
    for (name, ours) in [("r", f.params.r), ("alpha", f.params.alpha), ("a", f.params.a), ("b", f.params.b)] {
        let theirs = rp[name].as_f64().unwrap();
        assert!(((ours - theirs) / theirs).abs() < 1e-4, "{name}: ours {ours}, lifetimes {theirs}");
    }
    let sample = reference["sample"].as_array().unwrap();
    assert!(sample.len() > 400);
    let (mut worst_pa, mut worst_e) = (0.0f64, 0.0f64);
    for s in sample {
        let id = s["customer_id"].as_str().unwrap();
        let m = ds.find_member(id).unwrap() as usize;
        let h = history(m);
        // The summary agrees with lifetimes' summary_data_from_transaction_data.
        assert_eq!((h.x, h.t_x, h.t), (s["x"].as_f64().unwrap(), s["t_x"].as_f64().unwrap(), s["T"].as_f64().unwrap()), "{id}");
        let pa = f.params.conditional_probability_alive(&h);
        let e90 = f.params.conditional_expected_number_of_purchases_up_to_time(90.0, &h);
        worst_pa = worst_pa.max((pa - s["p_alive"].as_f64().unwrap()).abs());
        worst_e = worst_e.max((e90 - s["expected_90"].as_f64().unwrap()).abs());
    }
    eprintln!("largest differences from lifetimes: P(alive) {worst_pa:e}, E[90 days] {worst_e:e}");

    // Gamma-Gamma on the repeat buyers' mean spend per repeat purchase day (cents here,
    // dollars in lifetimes: p and q agree, γ is 100 times v).
    let gg_input: Vec<(f64, f64)> = sums.iter().filter(|s| s.x() > 0).map(|s| (s.x() as f64, s.mean_repeat_spend_cents())).collect();
    let gg = member_engine::models::gamma_gamma::fit(&gg_input).unwrap();
    let rg = &reference["gamma_gamma"];
    assert_eq!(gg.customers as u64, rg["customers"].as_u64().unwrap());
    for (name, ours, theirs) in [("p", gg.params.p, rg["p"].as_f64().unwrap()), ("q", gg.params.q, rg["q"].as_f64().unwrap()), ("v", gg.params.gamma / 100.0, rg["v"].as_f64().unwrap())] {
        assert!(((ours - theirs) / theirs).abs() < 1e-3, "Gamma-Gamma {name}: ours {ours}, lifetimes {theirs}");
    }
    for s in sample {
        let m = ds.find_member(s["customer_id"].as_str().unwrap()).unwrap() as usize;
        let mean = sums[m].mean_repeat_spend_cents() / 100.0;
        assert!((mean - s["monetary_value"].as_f64().unwrap()).abs() < 1e-9, "{}", s["customer_id"]);
        let ours = gg.params.conditional_expected_average_spend(sums[m].x() as f64, sums[m].mean_repeat_spend_cents()).unwrap() / 100.0;
        let theirs = s["expected_spend"].as_f64().unwrap();
        assert!(((ours - theirs) / theirs).abs() < 1e-3, "{}: spend {ours} vs {theirs}", s["customer_id"]);
    }
    assert!(worst_pa < 1e-5 && worst_e < 1e-5, "P(alive) off by {worst_pa}, E[90] by {worst_e}");
}
