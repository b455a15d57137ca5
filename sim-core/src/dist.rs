//! Probability distributions of durations (service times, think times, inter-arrival times).
//!
//! Samplers are written by hand on `libm` rather than taken from `rand_distr`: std's `ln`/`exp`
//! differ by an ulp between x86_64 and wasm32 in a few percent of samples, and `rand_distr` switches
//! to std math whenever any crate in the build enables `rand/std`. `libm` gives the same bits on
//! both targets, so a scenario gives the same report natively and in the browser.

use crate::rng::Stream;
use crate::time::{SimTime, from_nanos_f64};

/// The standard normal quantile at 0.99, used to turn a lognormal's (median, p99) into sigma.
pub const Z_99: f64 = 2.326_347_874_040_840_8;

/// A distribution of durations, in nanoseconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Constant(SimTime),
    Exponential {
        mean_ns: f64,
    },
    /// `exp(N(mu, sigma))` in nanoseconds.
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Uniform {
        lo_ns: f64,
        hi_ns: f64,
    },
    Erlang {
        k: u32,
        mean_ns: f64,
    },
    Pareto {
        scale_ns: f64,
        shape: f64,
    },
    /// Inverse CDF, piecewise linear through `(probability, value_ns)` points starting at `(0, v0)`.
    Empirical {
        points: Vec<(f64, f64)>,
    },
}

/// One exponential draw of mean `mean_ns` (by inversion): every exponential the engine draws
/// (service times, Poisson gaps, random failures and repairs) comes from here.
#[inline]
pub fn exponential_ns(mean_ns: f64, s: &mut Stream) -> f64 {
    -mean_ns * s.ln_uniform_open0()
}

impl Dist {
    /// One draw, rounded to the nearest nanosecond.
    #[inline]
    pub fn sample(&self, s: &mut Stream) -> SimTime {
        match *self {
            Dist::Constant(t) => t,
            // The usual service time, inline.
            Dist::Exponential { mean_ns } => from_nanos_f64(exponential_ns(mean_ns, s)),
            _ => from_nanos_f64(self.sample_f64(s)),
        }
    }

    /// One draw in (fractional) nanoseconds.
    pub fn sample_f64(&self, s: &mut Stream) -> f64 {
        match self {
            Dist::Constant(t) => *t as f64,
            Dist::Exponential { mean_ns } => exponential_ns(*mean_ns, s),
            Dist::Lognormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(s)),
            Dist::Uniform { lo_ns, hi_ns } => lo_ns + (hi_ns - lo_ns) * s.uniform(),
            Dist::Erlang { k, mean_ns } => {
                let mut prod = 1.0;
                for _ in 0..*k {
                    prod *= s.uniform_open0();
                }
                -mean_ns / *k as f64 * libm::log(prod)
            }
            Dist::Pareto { scale_ns, shape } => {
                scale_ns * libm::pow(s.uniform_open0(), -1.0 / shape)
            }
            Dist::Empirical { points } => {
                let u = s.uniform();
                let mut prev = points[0];
                for &p in &points[1..] {
                    if u <= p.0 {
                        let w = if p.0 > prev.0 {
                            (u - prev.0) / (p.0 - prev.0)
                        } else {
                            1.0
                        };
                        return prev.1 + w * (p.1 - prev.1);
                    }
                    prev = p;
                }
                prev.1
            }
        }
    }

    /// The mean in nanoseconds (`None` where it is infinite, as for Pareto with shape <= 1).
    pub fn mean_ns(&self) -> Option<f64> {
        match self {
            Dist::Constant(t) => Some(*t as f64),
            Dist::Exponential { mean_ns } | Dist::Erlang { mean_ns, .. } => Some(*mean_ns),
            Dist::Lognormal { mu, sigma } => Some(libm::exp(mu + sigma * sigma / 2.0)),
            Dist::Uniform { lo_ns, hi_ns } => Some((lo_ns + hi_ns) / 2.0),
            Dist::Pareto { scale_ns, shape } => {
                (*shape > 1.0).then(|| shape * scale_ns / (shape - 1.0))
            }
            Dist::Empirical { points } => Some(
                points
                    .windows(2)
                    .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
                    .sum::<f64>(),
            ),
        }
    }

    /// The second moment E[S^2] in ns^2 (for Pollaczek-Khinchine checks), where finite.
    pub fn second_moment_ns2(&self) -> Option<f64> {
        match self {
            Dist::Constant(t) => Some((*t as f64).powi(2)),
            Dist::Exponential { mean_ns } => Some(2.0 * mean_ns * mean_ns),
            Dist::Erlang { k, mean_ns } => Some(mean_ns * mean_ns * (1.0 + 1.0 / *k as f64)),
            Dist::Lognormal { mu, sigma } => Some(libm::exp(2.0 * mu + 2.0 * sigma * sigma)),
            Dist::Uniform { lo_ns, hi_ns } => {
                Some((lo_ns * lo_ns + lo_ns * hi_ns + hi_ns * hi_ns) / 3.0)
            }
            Dist::Pareto { scale_ns, shape } => {
                (*shape > 2.0).then(|| shape * scale_ns * scale_ns / (shape - 2.0))
            }
            Dist::Empirical { points } => Some(
                points
                    .windows(2)
                    .map(|w| {
                        (w[1].0 - w[0].0) * (w[0].1 * w[0].1 + w[0].1 * w[1].1 + w[1].1 * w[1].1)
                            / 3.0
                    })
                    .sum::<f64>(),
            ),
        }
    }

    /// Whether every draw is the same value.
    pub fn is_constant(&self) -> bool {
        matches!(self, Dist::Constant(_))
    }
}

/// A standard normal draw by the Box-Muller transform (one of the pair; simple and branch-free).
#[inline]
fn standard_normal(s: &mut Stream) -> f64 {
    let u1 = s.uniform_open0();
    let u2 = s.uniform();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut s = Stream::new(1, 0, "test", "dist");
        let (mut m1, mut m2) = (0.0, 0.0);
        for _ in 0..n {
            let x = d.sample_f64(&mut s);
            m1 += x;
            m2 += x * x;
        }
        (m1 / n as f64, m2 / n as f64)
    }

    /// Each sampler's sample mean lies within 4 standard errors of its analytic mean.
    #[test]
    fn sample_means_match_analytic_means() {
        let ms = 1e6;
        let cases = [
            Dist::Exponential { mean_ns: 20.0 * ms },
            Dist::Lognormal {
                mu: libm::log(20.0 * ms),
                sigma: (libm::log(120.0) - libm::log(20.0)) / Z_99,
            },
            Dist::Uniform {
                lo_ns: 5.0 * ms,
                hi_ns: 15.0 * ms,
            },
            Dist::Erlang {
                k: 4,
                mean_ns: 20.0 * ms,
            },
            Dist::Pareto {
                scale_ns: 5.0 * ms,
                shape: 4.5,
            },
            Dist::Empirical {
                points: vec![
                    (0.0, 0.0),
                    (0.5, 12.0 * ms),
                    (0.9, 30.0 * ms),
                    (1.0, 90.0 * ms),
                ],
            },
        ];
        let n = 200_000;
        for d in &cases {
            let (m1, m2) = moments(d, n);
            let mean = d.mean_ns().unwrap();
            let var = d.second_moment_ns2().unwrap() - mean * mean;
            let se = (var / n as f64).sqrt();
            assert!(
                (m1 - mean).abs() < 4.0 * se,
                "{d:?}: sample mean {m1}, analytic {mean}, se {se}"
            );
            let m2_true = d.second_moment_ns2().unwrap();
            assert!(
                (m2 - m2_true).abs() / m2_true < 0.05,
                "{d:?}: E[S^2] {m2} vs {m2_true}"
            );
        }
    }

    #[test]
    fn lognormal_hits_its_median_and_p99() {
        let ms = 1e6;
        let d = Dist::Lognormal {
            mu: libm::log(20.0 * ms),
            sigma: (libm::log(120.0) - libm::log(20.0)) / Z_99,
        };
        let mut s = Stream::new(3, 0, "t", "t");
        let mut xs: Vec<f64> = (0..100_000).map(|_| d.sample_f64(&mut s)).collect();
        xs.sort_by(f64::total_cmp);
        let med = xs[50_000] / ms;
        let p99 = xs[99_000] / ms;
        assert!((med - 20.0).abs() < 0.4, "median {med}");
        assert!((p99 - 120.0).abs() < 6.0, "p99 {p99}");
    }
}
