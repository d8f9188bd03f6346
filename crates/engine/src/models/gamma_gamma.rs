//! Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): a customer's spend per purchase is
//! Gamma(p, ν) around their own mean, and ν ~ Gamma(q, γ) across customers. Fitted on repeat
//! buyers (x ≥ 1) from x and their mean spend per repeat purchase m_x; it gives the expected
//! spend per purchase of each customer, shrunk towards the population mean.

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::optimize::bfgs;
use super::special::{digamma, ln_gamma};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    pub customers: usize,
    pub iterations: usize,
    pub converged: bool,
}

/// ln L of one customer (x repeat purchases of mean m) and its gradient in (ln p, ln q, ln γ).
#[cfg(test)]
fn log_likelihood(p: &GammaGammaParams, x: f64, m: f64) -> (f64, [f64; 3]) {
    let logs = GroupLogs { x, m, ln_x: x.ln(), ln_m: m.ln() };
    log_likelihood_with(p, &logs, &x_terms(p, x))
}

/// A group's (x, m) with their logarithms, which do not change during the fit.
#[derive(Clone, Copy)]
struct GroupLogs {
    x: f64,
    m: f64,
    ln_x: f64,
    ln_m: f64,
}

/// The Gamma functions of a likelihood term, which depend on x only: once per distinct x and
/// evaluation, not once per customer.
struct XTerms {
    ln_gamma_px_q: f64,
    ln_gamma_px: f64,
    digamma_px_q: f64,
    digamma_px: f64,
    /// ln Γ(q), ψ(q) and ln γ: the same for every x.
    ln_gamma_q: f64,
    digamma_q: f64,
    ln_gamma_scale: f64,
}

fn x_terms(p: &GammaGammaParams, x: f64) -> XTerms {
    let px = p.p * x;
    XTerms {
        ln_gamma_px_q: ln_gamma(px + p.q),
        ln_gamma_px: ln_gamma(px),
        digamma_px_q: digamma(px + p.q),
        digamma_px: digamma(px),
        ln_gamma_q: ln_gamma(p.q),
        digamma_q: digamma(p.q),
        ln_gamma_scale: p.gamma.ln(),
    }
}

/// [`log_likelihood`] from the group's logarithms and the x-only terms.
fn log_likelihood_with(p: &GammaGammaParams, g: &GroupLogs, xt: &XTerms) -> (f64, [f64; 3]) {
    let GammaGammaParams { p, q, gamma } = *p;
    let GroupLogs { x, m, ln_x, ln_m } = *g;
    let px = p * x;
    let ln_gxm = (gamma + x * m).ln();
    let ll = xt.ln_gamma_px_q - xt.ln_gamma_px - xt.ln_gamma_q + q * xt.ln_gamma_scale + (px - 1.0) * ln_m + px * ln_x - (px + q) * ln_gxm;
    let d_p = x * (xt.digamma_px_q - xt.digamma_px + ln_m + ln_x - ln_gxm);
    let d_q = xt.digamma_px_q - xt.digamma_q + xt.ln_gamma_scale - ln_gxm;
    let d_g = q / gamma - (px + q) / (gamma + x * m);
    (ll, [d_p * p, d_q * q, d_g * gamma])
}

/// Fits on (x, mean spend per repeat purchase) of repeat buyers with positive spend; `None`
/// when there are none.
pub fn fit(customers: &[(f64, f64)]) -> Option<GammaGammaFit> {
    let usable: Vec<(f64, f64)> = customers.iter().copied().filter(|&(x, m)| x >= 1.0 && m > 0.0).collect();
    if usable.is_empty() {
        return None;
    }
    let mut counts: HashMap<(u64, u64), f64> = HashMap::default();
    for (x, m) in &usable {
        *counts.entry((x.to_bits(), m.to_bits())).or_insert(0.0) += 1.0;
    }
    let mut groups: Vec<(f64, f64, f64)> = counts.into_iter().map(|((x, m), n)| (f64::from_bits(x), f64::from_bits(m), n)).collect();
    groups.sort_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).unwrap_or(std::cmp::Ordering::Equal));
    let n = usable.len() as f64;
    // Start near the data: γ at the scale of the mean spend.
    let mean_m = usable.iter().map(|c| c.1).sum::<f64>() / n;
    // Groups are sorted by x: the x-only terms once per distinct x and evaluation.
    let mut xs: Vec<f64> = groups.iter().map(|g| g.0).collect();
    xs.dedup();
    let x_index: Vec<usize> = groups.iter().map(|g| xs.partition_point(|&v| v < g.0)).collect();
    let logs: Vec<GroupLogs> = groups.iter().map(|&(x, m, _)| GroupLogs { x, m, ln_x: x.ln(), ln_m: m.ln() }).collect();
    let mut objective = |theta: &[f64]| -> (f64, Vec<f64>) {
        let params = GammaGammaParams { p: theta[0].exp(), q: theta[1].exp(), gamma: theta[2].exp() };
        let terms: Vec<XTerms> = xs.iter().map(|&x| x_terms(&params, x)).collect();
        let mut value = 0.0;
        let mut grad = [0.0; 3];
        for ((&(_, _, count), group), &xi) in groups.iter().zip(&logs).zip(&x_index) {
            let (ll, g) = log_likelihood_with(&params, group, &terms[xi]);
            value -= count * ll;
            for k in 0..3 {
                grad[k] -= count * g[k];
            }
        }
        (value / n, grad.iter().map(|g| g / n).collect())
    };
    let m = bfgs(&mut objective, &[0.0, 0.0, mean_m.max(1e-9).ln()], 1e-7, 500);
    Some(GammaGammaFit {
        params: GammaGammaParams { p: m.x[0].exp(), q: m.x[1].exp(), gamma: m.x[2].exp() },
        customers: usable.len(),
        iterations: m.iterations,
        converged: m.converged,
    })
}

impl GammaGammaParams {
    /// E[spend per purchase | x, m_x]; the population mean for a customer without repeat
    /// purchases. `None` when q ≤ 1 (the model's mean does not exist).
    pub fn conditional_expected_average_spend(&self, x: f64, m: f64) -> Option<f64> {
        let GammaGammaParams { p, q, gamma } = *self;
        if q <= 1.0 {
            return None;
        }
        if x < 1.0 || m <= 0.0 {
            return Some(p * gamma / (q - 1.0));
        }
        Some(p * (gamma + x * m) / (p * x + q - 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn gradient_matches_finite_differences() {
        let p = GammaGammaParams { p: 6.0, q: 3.5, gamma: 15.0 };
        let (_, g) = log_likelihood(&p, 3.0, 42.0);
        let theta = [p.p.ln(), p.q.ln(), p.gamma.ln()];
        for k in 0..3 {
            let eps = 1e-6;
            let at = |t: [f64; 3]| log_likelihood(&GammaGammaParams { p: t[0].exp(), q: t[1].exp(), gamma: t[2].exp() }, 3.0, 42.0).0;
            let (mut up, mut down) = (theta, theta);
            up[k] += eps;
            down[k] -= eps;
            let numeric = (at(up) - at(down)) / (2.0 * eps);
            assert!((numeric - g[k]).abs() < 1e-6, "{k}: {numeric} vs {}", g[k]);
        }
    }

    /// Data simulated from the model itself (p 6, q 4, γ 20) give back estimates near them,
    /// and the expected spend of a customer lies between their own mean and the population's.
    #[test]
    fn recovers_simulated_parameters() {
        let mut rng = Rng::new(5);
        // Gamma(k, θ) by summing exponentials for integer k; ν ~ Gamma(4, rate 20) → scale 1/20.
        let gamma_int = |rng: &mut Rng, k: u32, scale: f64| (0..k).map(|_| rng.exp(scale)).sum::<f64>();
        let mut data = Vec::new();
        for _ in 0..20_000 {
            let nu = gamma_int(&mut rng, 4, 1.0 / 20.0);
            let x = 1 + (rng.next_u64() % 8) as u32;
            let total: f64 = (0..x).map(|_| gamma_int(&mut rng, 6, 1.0 / nu)).sum();
            data.push((x as f64, total / x as f64));
        }
        let f = fit(&data).unwrap();
        assert!(f.converged);
        let p = f.params;
        assert!((p.p - 6.0).abs() < 0.6 && (p.q - 4.0).abs() < 0.5 && (p.gamma - 20.0).abs() < 4.0, "{p:?}");
        let population = p.conditional_expected_average_spend(0.0, 0.0).unwrap();
        let e = p.conditional_expected_average_spend(2.0, 100.0).unwrap();
        assert!(e < 100.0 && e > population.min(100.0), "{e} {population}");
    }
}
