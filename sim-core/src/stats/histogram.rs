//! Streaming percentiles of durations. An HdrHistogram with two significant digits keeps one counter
//! per bucket whose width is at most 1/128 of its values (0.78 %); reporting the bucket's midpoint
//! bounds the relative error of any percentile by 0.4 %, whatever the number of samples. Its memory
//! is fixed by the value range (1 ns to about a year), so it never grows with the run's length.
//! The mean, count and maximum are kept exactly beside it.

use crate::time::SimTime;
use hdrhistogram::Histogram;

/// Largest value recorded exactly; longer durations are clamped (2^55 ns is about 1.1 years).
const HIGHEST_NS: u64 = 1 << 55;

#[derive(Clone, Debug)]
pub struct DurationHistogram {
    h: Histogram<u64>,
    count: u64,
    sum_ns: u128,
    max_ns: u64,
}

impl Default for DurationHistogram {
    fn default() -> Self {
        DurationHistogram {
            h: Histogram::new_with_bounds(1, HIGHEST_NS, 2).expect("valid histogram bounds"),
            count: 0,
            sum_ns: 0,
            max_ns: 0,
        }
    }
}

impl DurationHistogram {
    #[inline]
    pub fn record(&mut self, ns: SimTime) {
        self.h.saturating_record(ns.min(HIGHEST_NS));
        self.count += 1;
        self.sum_ns += ns as u128;
        self.max_ns = self.max_ns.max(ns);
    }

    /// Forgets every sample (the memory is kept).
    pub fn reset(&mut self) {
        self.h.reset();
        self.count = 0;
        self.sum_ns = 0;
        self.max_ns = 0;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact mean in nanoseconds (0 with no samples).
    pub fn mean_ns(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum_ns as f64 / self.count as f64
        }
    }

    pub fn max_ns(&self) -> u64 {
        self.max_ns
    }

    /// The `q`-quantile (0..=1) in nanoseconds, within 0.4 % (0 with no samples).
    pub fn quantile_ns(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let v = self.h.value_at_quantile(q);
        (self.h.median_equivalent(v) as f64).min(self.max_ns as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    /// Against exact order statistics of 100k lognormal-ish samples spanning six decades.
    #[test]
    fn percentiles_within_half_a_percent() {
        let mut s = Stream::new(9, 0, "hist", "test");
        let mut h = DurationHistogram::default();
        let mut xs = Vec::new();
        for _ in 0..100_000 {
            let x = (libm::exp(s.uniform() * 14.0) * 100.0) as u64 + 1;
            h.record(x);
            xs.push(x);
        }
        xs.sort_unstable();
        for q in [0.5, 0.9, 0.95, 0.99, 0.999] {
            let exact = xs[((q * xs.len() as f64).ceil() as usize).min(xs.len()) - 1] as f64;
            let got = h.quantile_ns(q);
            assert!(
                (got - exact).abs() / exact <= 0.004,
                "q={q}: {got} vs {exact}"
            );
        }
        assert_eq!(h.max_ns(), *xs.last().unwrap());
    }
}
