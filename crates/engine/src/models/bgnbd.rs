//! BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive, a
//! customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop
//! out with probability p ~ Beta(a, b). From each customer's x (repeat purchases), t_x (time of
//! the last purchase) and T (time observed), all since their first purchase, it gives P(alive)
//! and expected purchases ahead.
//!
//! Fitting: customers with the same (x, t_x, T) share one likelihood term; the gradient is
//! analytic; the optimiser works in log-parameters, so they stay positive.

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::optimize::bfgs;
use super::special::{digamma, ln_gamma};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// One customer's history: x repeat purchases, the last at t_x, observed for T (t_x ≤ T).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct History {
    pub x: f64,
    pub t_x: f64,
    pub t: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    pub params: BgNbdParams,
    /// Sum of the customers' log-likelihoods at the estimate.
    pub log_likelihood: f64,
    pub customers: usize,
    /// Distinct (x, t_x, T) triples: the terms the likelihood was summed over.
    pub distinct_histories: usize,
    pub iterations: usize,
    pub converged: bool,
}

/// The parts of ln L that depend only on x (Gamma functions and their derivatives): computed once
/// per distinct x and iteration, not once per history, which makes the fit several times faster.
#[derive(Clone, Copy)]
struct XTerms {
    /// ln Γ(r+x) − ln Γ(r) + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
    ln_gammas: f64,
    /// ψ(r+x) − ψ(r)
    d_r: f64,
    /// ψ(a+b) − ψ(a+b+x)
    d_a: f64,
    /// ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x)
    d_b: f64,
    /// ln(b + x − 1)
    ln_b_x_1: f64,
}

fn x_terms(p: &BgNbdParams, x: f64) -> XTerms {
    let BgNbdParams { r, a, b, .. } = *p;
    XTerms {
        ln_gammas: ln_gamma(r + x) - ln_gamma(r) + ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x),
        d_r: digamma(r + x) - digamma(r),
        d_a: digamma(a + b) - digamma(a + b + x),
        d_b: digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x),
        ln_b_x_1: (b + x - 1.0).ln(),
    }
}

/// Logarithms shared by every history in one evaluation of the likelihood: ln α and ln a once,
/// ln(α + T) and ln(α + t_x) once per distinct time (a few hundred days, where there are
/// thousands of histories).
struct SharedLogs {
    ln_alpha: f64,
    ln_a: f64,
}

/// ln L of one history and its gradient with respect to (ln r, ln α, ln a, ln b), given the
/// x-only terms and ln(α + T), ln(α + t_x).
fn log_likelihood_with(p: &BgNbdParams, h: &History, xt: &XTerms, logs: &SharedLogs, ln_alpha_t: f64, ln_alpha_tx: f64) -> (f64, [f64; 4]) {
    let BgNbdParams { r, alpha, a, b } = *p;
    let History { x, t_x, t } = *h;
    let a1 = r * logs.ln_alpha;
    let a3 = -(r + x) * ln_alpha_t;
    // The second term exists only for repeat buyers: they may have dropped out after t_x.
    let a4 = if x > 0.0 { logs.ln_a - xt.ln_b_x_1 - (r + x) * ln_alpha_tx } else { f64::NEG_INFINITY };
    let m = a3.max(a4);
    let (e3, e4) = ((a3 - m).exp(), (a4 - m).exp());
    let lse = m + (e3 + e4).ln();
    let (w3, w4) = (e3 / (e3 + e4), e4 / (e3 + e4));
    let ll = a1 + xt.ln_gammas + lse;
    let d_r = xt.d_r + logs.ln_alpha - w3 * ln_alpha_t - if x > 0.0 { w4 * ln_alpha_tx } else { 0.0 };
    let d_alpha = r / alpha - w3 * (r + x) / (alpha + t) - if x > 0.0 { w4 * (r + x) / (alpha + t_x) } else { 0.0 };
    let d_a = xt.d_a + if x > 0.0 { w4 / a } else { 0.0 };
    let d_b = xt.d_b - if x > 0.0 { w4 / (b + x - 1.0) } else { 0.0 };
    // d/d ln θ = θ · d/dθ
    (ll, [d_r * r, d_alpha * alpha, d_a * a, d_b * b])
}

/// ln L of one history and its gradient with respect to (ln r, ln α, ln a, ln b).
fn log_likelihood(p: &BgNbdParams, h: &History) -> (f64, [f64; 4]) {
    let logs = SharedLogs { ln_alpha: p.alpha.ln(), ln_a: p.a.ln() };
    log_likelihood_with(p, h, &x_terms(p, h.x), &logs, (p.alpha + h.t).ln(), (p.alpha + h.t_x).ln())
}

/// Sums identical histories: the likelihood needs one term per distinct (x, t_x, T).
fn group(histories: &[History]) -> Vec<(History, f64)> {
    let mut counts: HashMap<(u64, u64, u64), (History, f64)> = HashMap::default();
    for h in histories {
        counts.entry((h.x.to_bits(), h.t_x.to_bits(), h.t.to_bits())).or_insert((*h, 0.0)).1 += 1.0;
    }
    let mut v: Vec<(History, f64)> = counts.into_values().collect();
    // A fixed order, so the sum (and the fit) is the same on every run.
    v.sort_by(|a, b| (a.0.x, a.0.t_x, a.0.t).partial_cmp(&(b.0.x, b.0.t_x, b.0.t)).unwrap_or(std::cmp::Ordering::Equal));
    v
}

fn params_of(theta: &[f64]) -> BgNbdParams {
    BgNbdParams { r: theta[0].exp(), alpha: theta[1].exp(), a: theta[2].exp(), b: theta[3].exp() }
}

/// Total log-likelihood of `histories` under `params`.
pub fn total_log_likelihood(params: &BgNbdParams, histories: &[History]) -> f64 {
    histories.iter().map(|h| log_likelihood(params, h).0).sum()
}

/// Maximum-likelihood fit. `None` when there is nothing to fit (no customer).
pub fn fit(histories: &[History]) -> Option<BgNbdFit> {
    fit_groups(&group(histories))
}

/// [`fit`] on histories already grouped: each distinct (x, t_x, T) once with how many customers
/// have it, in ascending (x, t_x, T) order (the order [`fit`] sums in, so both give the same
/// estimates to the last bit). Days are whole numbers, so a data set has far fewer distinct
/// histories than customers; the caller groups them without a list of every customer's history.
pub fn fit_groups(groups: &[(History, f64)]) -> Option<BgNbdFit> {
    if groups.is_empty() {
        return None;
    }
    let n: f64 = groups.iter().map(|g| g.1).sum();
    // Groups are sorted by x: each distinct x gets its Gamma terms once per evaluation.
    let mut xs: Vec<f64> = groups.iter().map(|g| g.0.x).collect();
    xs.dedup();
    let x_index: Vec<usize> = groups.iter().map(|g| xs.partition_point(|&v| v < g.0.x)).collect();
    // Likewise each distinct time (T or t_x) gets ln(α + time) once per evaluation.
    let mut times: Vec<f64> = groups.iter().flat_map(|g| [g.0.t, g.0.t_x]).collect();
    times.sort_by(f64::total_cmp);
    times.dedup_by(|a, b| a.total_cmp(b).is_eq());
    let time_index = |v: f64| times.partition_point(|&u| u.total_cmp(&v).is_lt());
    let t_index: Vec<(usize, usize)> = groups.iter().map(|g| (time_index(g.0.t), time_index(g.0.t_x))).collect();
    let mut ln_alpha_plus = vec![0.0; times.len()];
    // The mean negative log-likelihood: the same optimum, a scale independent of the data size.
    let mut objective = |theta: &[f64]| -> (f64, Vec<f64>) {
        let p = params_of(theta);
        let terms: Vec<XTerms> = xs.iter().map(|&x| x_terms(&p, x)).collect();
        for (l, &time) in ln_alpha_plus.iter_mut().zip(&times) {
            *l = (p.alpha + time).ln();
        }
        let logs = SharedLogs { ln_alpha: p.alpha.ln(), ln_a: p.a.ln() };
        let mut value = 0.0;
        let mut grad = [0.0; 4];
        for (((h, count), &xi), &(ti, txi)) in groups.iter().zip(&x_index).zip(&t_index) {
            let (ll, g) = log_likelihood_with(&p, h, &terms[xi], &logs, ln_alpha_plus[ti], ln_alpha_plus[txi]);
            value -= count * ll;
            for k in 0..4 {
                grad[k] -= count * g[k];
            }
        }
        (value / n, grad.iter().map(|g| g / n).collect())
    };
    // Gradient of the mean log-likelihood below 1e-7: the estimates are then stable to far more
    // digits than are ever shown.
    let m = bfgs(&mut objective, &[0.0; 4], 1e-7, 500);
    let params = params_of(&m.x);
    Some(BgNbdFit {
        params,
        log_likelihood: -m.value * n,
        customers: n as usize,
        distinct_histories: groups.len(),
        iterations: m.iterations,
        converged: m.converged,
    })
}

/// Gauss's hypergeometric ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its series.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..100_000 {
        let k = k as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

/// The most times [`BgNbdParams::conditional_expected_number_of_purchases_at_times`] computes
/// in one pass (the 12 months of the value and the risk horizon fit).
pub const MAX_TIMES: usize = 16;

/// Below this distance of a from 1, the expected purchases use their limit at a = 1 (the direct
/// formula then loses more than 6 of its 16 digits; the limit is off by about |a − 1|).
const A_NEAR_ONE: f64 = 1e-6;

/// Σ_{k≥1} (p)_k z^k / ((c)_k k): the derivative in a of (1 − z)^(a−1) ₂F₁(p, a−1; c; z) at
/// a = 1, less its ln(1 − z) part.
fn series_at_a_one(p: f64, c: f64, z: f64) -> f64 {
    let mut ratio = 1.0;
    let mut sum = 0.0;
    for k in 1..100_000 {
        let k = k as f64;
        ratio *= (p + k - 1.0) / (c + k - 1.0) * z;
        let term = ratio / k;
        sum += term;
        if term.abs() < 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

impl BgNbdParams {
    /// P(alive | x, t_x, T): 1 for a customer with no repeat purchase (they cannot have
    /// dropped out yet, in this model).
    pub fn conditional_probability_alive(&self, h: &History) -> f64 {
        if h.x == 0.0 {
            return 1.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let ln_ratio = (r + h.x) * ((alpha + h.t) / (alpha + h.t_x)).ln();
        let d = (a / (b + h.x - 1.0)).ln() + ln_ratio;
        // 1 / (1 + e^d), computed without overflow.
        if d > 0.0 {
            (-d).exp() / (1.0 + (-d).exp())
        } else {
            1.0 / (1.0 + d.exp())
        }
    }

    /// E[purchases in the next `t` | x, t_x, T].
    ///
    /// The paper's formula multiplies ((α+T)/(α+T+t))^(r+x) by ₂F₁(r+x, b+x; a+b+x−1; z), which
    /// overflow and underflow together for large x. With 1−z = (α+T)/(α+T+t) and Euler's
    /// transformation ₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z), the product is
    /// (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose series is tame for every x.
    pub fn conditional_expected_number_of_purchases_up_to_time(&self, t: f64, h: &History) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *self;
        let History { x, t: big_t, .. } = *h;
        let alive = self.conditional_probability_alive(h);
        if alive == 0.0 || t <= 0.0 {
            return 0.0;
        }
        let z = t / (alpha + big_t + t);
        let c = a + b + x - 1.0;
        // (1 − tail) / (a − 1) is 0/0 at a = 1 (where a fit on one-time buyers only stays, since
        // their likelihood does not depend on a and b): near it, its limit.
        let ratio = if (a - 1.0).abs() < A_NEAR_ONE {
            -(1.0 - z).ln() - series_at_a_one(a + b - 1.0 - r, c, z)
        } else {
            let tail = (1.0 - z).powf(a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, c, z);
            (1.0 - tail) / (a - 1.0)
        };
        c * ratio * alive
    }

    /// [`Self::conditional_expected_number_of_purchases_up_to_time`] at each of `times` (at most
    /// [`MAX_TIMES`]), into `out`. The hypergeometric series of all the times share their
    /// coefficients, so one pass computes them together (one division per term for all instead
    /// of one for each); each series stops at the term where it would alone, so every figure is
    /// the one the single-time call gives, to the last bit.
    pub fn conditional_expected_number_of_purchases_at_times(&self, times: &[f64], h: &History, out: &mut [f64]) {
        let BgNbdParams { r, alpha, a, b } = *self;
        let History { x, t: big_t, .. } = *h;
        let alive = self.conditional_probability_alive(h);
        let n = times.len().min(out.len());
        if n > MAX_TIMES || alive == 0.0 || (a - 1.0).abs() < A_NEAR_ONE {
            // Rare cases (the limit at a = 1, a dead customer): one time at a time.
            for (o, &t) in out.iter_mut().zip(times) {
                *o = self.conditional_expected_number_of_purchases_up_to_time(t, h);
            }
            return;
        }
        let c = a + b + x - 1.0;
        let (p, q) = (a + b - 1.0 - r, a - 1.0);
        let mut z = [0.0; MAX_TIMES];
        let mut term = [1.0; MAX_TIMES];
        let mut sum = [1.0; MAX_TIMES];
        let mut open = [false; MAX_TIMES];
        for j in 0..n {
            z[j] = times[j] / (alpha + big_t + times[j]);
            open[j] = times[j] > 0.0;
        }
        // The loop of `hyp2f1`, run for every open series at once.
        for k in 0..100_000 {
            let k = k as f64;
            let ratio = (p + k) * (q + k) / ((c + k) * (k + 1.0));
            let mut any_open = false;
            for j in 0..n {
                if open[j] {
                    term[j] *= ratio * z[j];
                    sum[j] += term[j];
                    open[j] = term[j].abs() >= 1e-15 * sum[j].abs();
                    any_open |= open[j];
                }
            }
            if !any_open {
                break;
            }
        }
        for j in 0..n {
            out[j] = if times[j] <= 0.0 {
                0.0
            } else {
                let tail = (1.0 - z[j]).powf(a - 1.0) * sum[j];
                c * ((1.0 - tail) / (a - 1.0)) * alive
            };
        }
    }

    /// P(no purchase in the next `t` | x, t_x, T): gone, or alive and not buying.
    pub fn probability_no_purchase(&self, t: f64, h: &History) -> f64 {
        let alive = self.conditional_probability_alive(h);
        let quiet = ((self.alpha + h.t) / (self.alpha + h.t + t)).powf(self.r + h.x);
        (1.0 - alive) + alive * quiet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let p = BgNbdParams { r: 0.7, alpha: 3.0, a: 0.9, b: 2.5 };
        for h in [History { x: 0.0, t_x: 0.0, t: 30.0 }, History { x: 4.0, t_x: 20.0, t: 38.0 }] {
            let (_, g) = log_likelihood(&p, &h);
            let theta = [p.r.ln(), p.alpha.ln(), p.a.ln(), p.b.ln()];
            for k in 0..4 {
                let eps = 1e-6;
                let mut up = theta;
                let mut down = theta;
                up[k] += eps;
                down[k] -= eps;
                let numeric = (log_likelihood(&params_of(&up), &h).0 - log_likelihood(&params_of(&down), &h).0) / (2.0 * eps);
                assert!((numeric - g[k]).abs() < 1e-6, "param {k}: {numeric} vs {}", g[k]);
            }
        }
    }

    /// Degenerate data give finite numbers (and the trust rules then judge them): one-time
    /// buyers only, a customer with a huge x, customers first seen on the last day (T = 0).
    #[test]
    fn stable_on_degenerate_data() {
        let one_timers: Vec<History> = (0..500).map(|i| History { x: 0.0, t_x: 0.0, t: 10.0 + i as f64 }).collect();
        let f = fit(&one_timers).unwrap();
        let p = f.params;
        assert!([p.r, p.alpha, p.a, p.b, f.log_likelihood].iter().all(|v| v.is_finite()), "{f:?}");

        let mut data: Vec<History> = (0..300).map(|i| History { x: (i % 7) as f64, t_x: (i % 7) as f64 * 5.0, t: 60.0 }).collect();
        data.push(History { x: 50_000.0, t_x: 59.0, t: 60.0 });
        data.push(History { x: 0.0, t_x: 0.0, t: 0.0 });
        let f = fit(&data).unwrap();
        assert!(f.log_likelihood.is_finite() && f.converged, "{f:?}");
        for h in &data {
            let pa = f.params.conditional_probability_alive(h);
            let e = f.params.conditional_expected_number_of_purchases_up_to_time(90.0, h);
            let q = f.params.probability_no_purchase(90.0, h);
            assert!((0.0..=1.0).contains(&pa) && e.is_finite() && e >= 0.0 && (0.0..=1.0).contains(&q), "{h:?}: {pa} {e} {q}");
        }
    }

    /// At a = 1 the expected purchases are 0/0 (once a NaN in the backtest); they now take the
    /// limit, which agrees with the formula on either side of 1 and is finite at 1 itself.
    #[test]
    fn expected_purchases_are_continuous_at_a_one() {
        for h in [History { x: 0.0, t_x: 0.0, t: 4.0 }, History { x: 3.0, t_x: 20.0, t: 40.0 }] {
            let at = |a: f64| BgNbdParams { r: 0.8, alpha: 12.0, a, b: 2.5 }.conditional_expected_number_of_purchases_up_to_time(90.0, &h);
            let (below, one, above) = (at(1.0 - 1e-4), at(1.0), at(1.0 + 1e-4));
            assert!(one.is_finite() && one > 0.0, "{h:?}: {one}");
            assert!((below - one).abs() < 1e-3 * one && (above - one).abs() < 1e-3 * one, "{h:?}: {below} {one} {above}");
            // Just inside and just outside the limit's band agree too.
            assert!((at(1.0 + 0.9e-6) - at(1.0 + 1.1e-6)).abs() < 1e-5 * one, "{h:?}");
        }
    }

    /// The months of the 12-month value and the risk horizon in one pass give, bit for bit, what
    /// one call per time gives: on a grid of parameters (a near 1 and b < 1 included) and
    /// histories (one-time buyers, T = 0, a huge x, a customer long gone).
    #[test]
    fn expected_purchases_at_several_times_equal_one_time_at_a_time() {
        let times = [90.0, 30.0, 60.0, 0.0, 120.0, 150.0, 180.0, 210.0, 240.0, 270.0, 300.0, 330.0, 360.0, 1e5];
        let histories = [
            History { x: 0.0, t_x: 0.0, t: 0.0 },
            History { x: 0.0, t_x: 0.0, t: 400.0 },
            History { x: 3.0, t_x: 20.0, t: 40.0 },
            History { x: 12.0, t_x: 500.0, t: 540.0 },
            History { x: 40.0, t_x: 10.0, t: 700.0 },
            History { x: 5000.0, t_x: 360.0, t: 365.0 },
        ];
        let mut checked = 0;
        for r in [0.05, 0.243, 1.7, 30.0] {
            for alpha in [0.5, 4.4, 80.0] {
                for a in [0.2, 0.793, 1.0, 1.0 + 5e-7, 3.5] {
                    for b in [0.3, 2.426, 15.0] {
                        let p = BgNbdParams { r, alpha, a, b };
                        for h in &histories {
                            let mut together = [0.0; 14];
                            p.conditional_expected_number_of_purchases_at_times(&times, h, &mut together);
                            for (t, got) in times.iter().zip(together) {
                                let alone = p.conditional_expected_number_of_purchases_up_to_time(*t, h);
                                assert_eq!(got.to_bits(), alone.to_bits(), "{p:?} {h:?} t={t}: {got} vs {alone}");
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 3 * 5 * 3 * 6 * 14);
    }

    /// Grouped histories give the fit of the list of every customer, to the last bit.
    #[test]
    fn the_fit_on_grouped_histories_is_the_fit_on_every_history() {
        let data: Vec<History> =
            (0..2000).map(|i| History { x: (i % 5) as f64, t_x: ((i / 5) % 4) as f64 * 10.0 * ((i % 5) as f64).min(1.0), t: 60.0 + (i % 3) as f64 }).collect();
        let every = fit(&data).unwrap();
        let mut groups: Vec<(History, f64)> = Vec::new();
        let mut sorted = data.clone();
        sorted.sort_by(|a, b| (a.x, a.t_x, a.t).partial_cmp(&(b.x, b.t_x, b.t)).unwrap());
        for h in sorted {
            match groups.last_mut() {
                Some((g, n)) if *g == h => *n += 1.0,
                _ => groups.push((h, 1.0)),
            }
        }
        let grouped = fit_groups(&groups).unwrap();
        assert_eq!(grouped, every);
        assert_eq!((grouped.customers, grouped.distinct_histories), (2000, groups.len()));
        assert!(groups.len() <= 5 * 4 * 3);
    }

    #[test]
    fn p_alive_limits() {
        let p = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        assert_eq!(p.conditional_probability_alive(&History { x: 0.0, t_x: 0.0, t: 39.0 }), 1.0);
        // Bought just now: very likely alive; long silent after many purchases: unlikely.
        assert!(p.conditional_probability_alive(&History { x: 5.0, t_x: 39.0, t: 39.0 }) > 0.8);
        assert!(p.conditional_probability_alive(&History { x: 20.0, t_x: 2.0, t: 39.0 }) < 1e-6);
        // Huge x stays finite.
        let v = p.conditional_probability_alive(&History { x: 10_000.0, t_x: 10.0, t: 39.0 });
        assert!(v.is_finite() && v >= 0.0);
    }
}
