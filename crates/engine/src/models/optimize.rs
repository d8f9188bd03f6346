//! A small BFGS minimiser with a backtracking (Armijo) line search: enough for the models'
//! four-parameter likelihoods, which are smooth in log-parameters.

/// The outcome of a minimisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    /// Whether the gradient norm fell under the tolerance.
    pub converged: bool,
}

/// Minimises `f` (which returns the value and the gradient) from `x0`.
pub fn bfgs(f: &mut dyn FnMut(&[f64]) -> (f64, Vec<f64>), x0: &[f64], tol: f64, max_iter: usize) -> Minimum {
    let n = x0.len();
    let mut x = x0.to_vec();
    let (mut fx, mut g) = f(&x);
    // Inverse Hessian estimate, identity to start.
    let mut h = vec![vec![0.0; n]; n];
    for (i, row) in h.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
    for iter in 0..max_iter {
        if !fx.is_finite() {
            return Minimum { x, value: fx, iterations: iter, converged: false };
        }
        if norm(&g) < tol {
            return Minimum { x, value: fx, iterations: iter, converged: true };
        }
        let mut p: Vec<f64> = (0..n).map(|i| -(0..n).map(|j| h[i][j] * g[j]).sum::<f64>()).collect();
        let mut slope: f64 = p.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            for (i, row) in h.iter_mut().enumerate() {
                row.iter_mut().for_each(|v| *v = 0.0);
                row[i] = 1.0;
            }
            p = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        // Backtracking line search (Armijo).
        let mut step = 1.0;
        let (mut x_new, mut f_new, mut g_new);
        loop {
            x_new = x.iter().zip(&p).map(|(a, b)| a + step * b).collect::<Vec<f64>>();
            let r = f(&x_new);
            f_new = r.0;
            g_new = r.1;
            if f_new.is_finite() && f_new <= fx + 1e-4 * step * slope {
                break;
            }
            step *= 0.5;
            if step < 1e-12 {
                return Minimum { x, value: fx, iterations: iter, converged: norm(&g) < tol.sqrt() };
            }
        }
        if f_new >= fx {
            // Accepted without any decrease: the required decrease is below f's last bit (the
            // step may not even move x). f is then flat to its rounding noise along p, and the
            // gradient is as small as that noise lets it get (for a likelihood summed over many
            // terms, sometimes just above `tol`): going on would repeat this step, each time
            // after some 30 halvings, up to `max_iter` (seen with wasm's libm: 15,000
            // evaluations for what takes 20).
            return Minimum { x, value: fx, iterations: iter, converged: norm(&g) < tol.sqrt() };
        }
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 1e-12 {
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n).map(|i| (0..n).map(|j| h[i][j] * y[j]).sum()).collect();
            let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
            for i in 0..n {
                for j in 0..n {
                    h[i][j] += rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
                }
            }
        }
        x = x_new;
        fx = f_new;
        g = g_new;
    }
    let converged = norm(&g) < tol;
    Minimum { x, value: fx, iterations: max_iter, converged }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        let mut f = |x: &[f64]| {
            let (a, b) = (x[0], x[1]);
            let v = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
            (v, vec![-2.0 * (1.0 - a) - 400.0 * a * (b - a * a), 200.0 * (b - a * a)])
        };
        let m = bfgs(&mut f, &[-1.2, 1.0], 1e-9, 500);
        assert!(m.converged, "{m:?}");
        assert!((m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6, "{m:?}");
    }

    /// A gradient that rounding keeps just above the tolerance at the minimum, where the value is
    /// flat to its last bit (the Gamma-Gamma fit on the CDNOW log with wasm's libm: |g| 1.35e-7
    /// against 1e-7). The search stops there after a few dozen evaluations; it once accepted, in
    /// every one of its 500 iterations, a step of about 30 halvings that left x where it was.
    #[test]
    fn stops_where_the_value_is_flat_to_its_last_bit() {
        let mut evaluations = 0;
        let mut f = |x: &[f64]| {
            evaluations += 1;
            let (a, b) = (x[0] - 1.0, x[1] + 2.0);
            // The offset of 10 puts the value's last bit (1.8e-15) above the decrease that the
            // gradient's error of 3e-7 lets the search find; the error keeps |g| above 1e-7.
            (10.0 + a * a + 3.0 * b * b, vec![2.0 * a + 3e-7, 6.0 * b])
        };
        let m = bfgs(&mut f, &[0.0, 0.0], 1e-7, 500);
        assert!(evaluations < 100, "{evaluations} evaluations: {m:?}");
        assert!(m.iterations < 50 && m.converged, "{m:?}");
        assert!((m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] + 2.0).abs() < 1e-6, "{m:?}");
    }
}
