//! Means over independent replications with Student-t 95 % confidence intervals.

use serde::Serialize;

/// A mean over replications and the half-width of its 95 % confidence interval (0 for one replication).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub half_width: f64,
    pub n: u32,
}

impl Estimate {
    pub fn from_samples(xs: &[f64]) -> Estimate {
        let n = xs.len();
        if n == 0 {
            return Estimate {
                mean: 0.0,
                half_width: 0.0,
                n: 0,
            };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Estimate {
                mean,
                half_width: 0.0,
                n: 1,
            };
        }
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        Estimate {
            mean,
            half_width: t_975(n - 1) * (var / n as f64).sqrt(),
            n: n as u32,
        }
    }

    /// The standard error of the mean (half-width / t).
    pub fn std_error(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.half_width / t_975(self.n as usize - 1)
        }
    }

    pub fn interval(&self) -> [f64; 2] {
        [self.mean - self.half_width, self.mean + self.half_width]
    }

    /// The interval cut to the figure's range `[lo, hi]` (a share cannot pass 1, a latency cannot
    /// fall below 0). The true value always lies in the range, so whenever the Student-t interval
    /// holds it the cut one does too: the cut keeps the interval's coverage and only stops it
    /// claiming values the figure cannot take (an availability of 100.2 %).
    /// A mean outside the range (which would be a bug elsewhere) leaves that side uncut, so the
    /// interval always holds its mean.
    pub fn interval_in(&self, lo: f64, hi: f64) -> [f64; 2] {
        let [a, b] = self.interval();
        [
            if self.mean >= lo { a.max(lo) } else { a },
            if self.mean <= hi { b.min(hi) } else { b },
        ]
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[df - 1],
        31..=40 => 2.021,
        41..=60 => 2.000,
        61..=120 => 1.980,
        _ => 1.960,
    }
}

/// The 0.9995 quantile of Student's t (two-sided 99.9 %), for validation tolerances.
pub fn t_9995(df: usize) -> f64 {
    const T: [f64; 30] = [
        636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587, 4.437, 4.318,
        4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850, 3.819, 3.792, 3.768, 3.745, 3.725,
        3.707, 3.690, 3.674, 3.659, 3.646,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[df - 1],
        31..=40 => 3.551,
        41..=60 => 3.460,
        61..=120 => 3.373,
        _ => 3.291,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_of_known_samples() {
        let e = Estimate::from_samples(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(e.mean, 2.5);
        // s = sqrt(5/3), se = s/2, t(3) = 3.182
        assert!((e.half_width - 3.182 * (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
        assert_eq!(Estimate::from_samples(&[7.0]).half_width, 0.0);
    }

    #[test]
    fn an_interval_is_cut_to_its_range_but_keeps_its_mean() {
        let e = Estimate::from_samples(&[1.0, 1.0, 0.999, 1.0]);
        let [lo, hi] = e.interval();
        assert!(hi > 1.0);
        assert_eq!(e.interval_in(0.0, 1.0), [lo, 1.0]);
        // Nothing to cut: the same interval.
        assert_eq!(e.interval_in(0.0, f64::INFINITY), [lo, hi]);
        // A mean outside the range leaves that side as it is.
        let above = Estimate::from_samples(&[1.2, 1.3]);
        assert_eq!(above.interval_in(0.0, 1.0)[1], above.interval()[1]);
    }
}
