//! Student's t distribution at any confidence: the planner splits its error over several SLOs and
//! loads (Bonferroni), so it needs quantiles such as 0.99875 that no table holds. Computed from the
//! regularised incomplete beta function (Numerical Recipes' continued fraction) on `libm`, so the
//! bits are the same natively and in WebAssembly. A crate (statrs) would do it too, but brings
//! `std` float functions whose last bits differ between targets.

/// The regularised incomplete beta function I_x(a, b).
pub fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log(1.0 - x);
    let front = libm::exp(ln_front);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(1.0 - x, b, a) / b
    }
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// P(T <= t) for Student's t with `df` degrees of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / (df + t * t), df / 2.0, 0.5);
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// The `p` quantile of Student's t with `df` degrees of freedom (`p` in (0.5, 1)), by bisection
/// on the distribution function to 1e-12.
pub fn t_quantile(p: f64, df: u32) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    let df = df as f64;
    let (mut lo, mut hi) = (0.0, 1.0);
    while t_cdf(hi, df) < p {
        hi *= 2.0;
        if hi > 1e12 {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_tables() {
        // Two-sided 95 % and 99.9 % points, as in every statistics table (and stats::estimate).
        for (df, t95, t999) in [
            (1, 12.706, 636.62),
            (4, 2.776, 8.610),
            (10, 2.228, 4.587),
            (29, 2.045, 3.659),
        ] {
            assert!((t_quantile(0.975, df) - t95).abs() < 1e-3, "df {df}");
            assert!(
                (t_quantile(0.9995, df) - t999).abs() / t999 < 1e-3,
                "df {df}"
            );
        }
        // Large df tends to the normal quantile.
        assert!((t_quantile(0.975, 100_000) - 1.959964).abs() < 1e-4);
        // df = 2 has a closed form: t = (2p-1) sqrt(2 / (1 - (2p-1)^2)).
        let p: f64 = 0.99;
        let a = 2.0 * p - 1.0;
        assert!((t_quantile(p, 2) - a * (2.0 / (1.0 - a * a)).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn cdf_is_symmetric_and_monotone() {
        for df in [1.0, 3.0, 30.0] {
            assert!((t_cdf(0.0, df) - 0.5).abs() < 1e-12);
            assert!((t_cdf(1.3, df) + t_cdf(-1.3, df) - 1.0).abs() < 1e-12);
            assert!(t_cdf(1.0, df) < t_cdf(1.1, df));
        }
    }
}
