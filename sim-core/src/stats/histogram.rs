//! Streaming percentiles of durations. An HdrHistogram with two significant digits keeps one counter
//! per bucket whose width is at most 1/128 of its values (0.78 %); reporting the bucket's midpoint
//! bounds the relative error of any percentile by 0.4 %, whatever the number of samples. Its memory
//! is fixed by the value range (1 ns to about a year), so it never grows with the run's length.
//! The mean, count and maximum are kept exactly beside it.
//!
//! The layout is HdrHistogram's (`hdrhistogram::Histogram::new_with_bounds(1, 2^55, 2)`: 256
//! sub-buckets, the upper 128 of each bucket after the first), written out here because recording
//! is on the engine's hot path: the crate's `saturating_record` costs about 60 instructions per
//! sample (index arithmetic through its configurable fields, range checks, a saturating add,
//! min/max and count updates); the fixed layout's index is four instructions. A test checks every
//! quantile against the crate's on the same samples.

use crate::time::SimTime;

/// Largest value recorded exactly; longer durations are clamped (2^55 ns is about 1.1 years).
const HIGHEST_NS: u64 = 1 << 55;
/// Sub-bucket halves (128 = 2^7 counters per bucket after the first).
const HALF_MAGNITUDE: u32 = 7;
/// Counters: buckets 0..=48 cover 0..=2^55 (`index(HIGHEST_NS)` is 6272), one half spare as in HDR.
const COUNTS: usize = 50 << HALF_MAGNITUDE;

/// The counter of value `v` (at most [`HIGHEST_NS`]).
#[inline]
fn index(v: u64) -> usize {
    // Bucket b holds values whose top set bit is bit 7 + b; the first bucket holds 0..256 directly.
    let b = 56 - (v | 255).leading_zeros();
    (((b + 1) << HALF_MAGNITUDE) as u64 + (v >> b) - 128) as usize
}

/// The lowest value of counter `i`, and the width of its bucket.
#[inline]
fn bucket_of(i: usize) -> (u64, u64) {
    if i < 256 {
        (i as u64, 1)
    } else {
        let b = (i >> HALF_MAGNITUDE) as u32 - 1;
        let sub = (i & 127) as u64 + 128;
        (sub << b, 1 << b)
    }
}

#[derive(Clone, Debug)]
pub struct DurationHistogram {
    counts: Box<[u64]>,
    count: u64,
    sum_ns: u128,
    max_ns: u64,
}

impl Default for DurationHistogram {
    fn default() -> Self {
        DurationHistogram {
            counts: vec![0; COUNTS].into_boxed_slice(),
            count: 0,
            sum_ns: 0,
            max_ns: 0,
        }
    }
}

impl DurationHistogram {
    #[inline]
    pub fn record(&mut self, ns: SimTime) {
        self.counts[index(ns.min(HIGHEST_NS))] += 1;
        self.count += 1;
        self.sum_ns += ns as u128;
        self.max_ns = self.max_ns.max(ns);
    }

    /// Forgets every sample (the memory is kept). Counters above the maximum's are already zero.
    pub fn reset(&mut self) {
        if self.count > 0 {
            let top = index(self.max_ns.min(HIGHEST_NS));
            self.counts[..=top].fill(0);
        }
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

    /// The `q`-quantile (0..=1) in nanoseconds, within 0.4 % (0 with no samples): the midpoint of
    /// the bucket holding the `ceil(q n)`-th smallest sample, as HdrHistogram's
    /// `median_equivalent(value_at_quantile(q))`, capped at the exact maximum.
    pub fn quantile_ns(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let target = ((q.min(1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        let top = index(self.max_ns.min(HIGHEST_NS));
        let mut at = top;
        for (i, &c) in self.counts[..=top].iter().enumerate() {
            seen += c;
            if seen >= target {
                at = i;
                break;
            }
        }
        let (low, width) = bucket_of(at);
        ((low + (width >> 1)) as f64).min(self.max_ns as f64)
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

    /// The same samples in `hdrhistogram` (the layout this file writes out) give the same value
    /// at every quantile, from a handful of samples to many, over the whole value range; and a
    /// reset histogram is an empty one.
    #[test]
    fn quantiles_are_hdrhistograms() {
        let mut s = Stream::new(4, 0, "hist", "hdr");
        let qs = [
            0.0, 1e-6, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 0.999_999, 1.0, 1.5,
        ];
        let mut ours = DurationHistogram::default();
        for n in [1usize, 2, 7, 300, 50_000] {
            ours.reset();
            let mut hdr =
                hdrhistogram::Histogram::<u64>::new_with_bounds(1, HIGHEST_NS, 2).unwrap();
            for _ in 0..n {
                // 0 ns up to past the clamp: every bucket size occurs.
                let x = (libm::exp(s.uniform() * 40.0) - 1.0) as u64;
                ours.record(x);
                hdr.saturating_record(x.min(HIGHEST_NS));
            }
            for q in qs {
                let theirs = (hdr.median_equivalent(hdr.value_at_quantile(q)) as f64)
                    .min(ours.max_ns() as f64);
                assert_eq!(ours.quantile_ns(q), theirs, "n={n} q={q}");
            }
            assert_eq!(ours.count(), hdr.len());
        }
        for v in [0, 1, 255, 256, 257, 1 << 20, (1 << 20) + 12_345, HIGHEST_NS] {
            let (low, width) = bucket_of(index(v));
            assert!(
                low <= v && v < low + width,
                "{v} not in [{low}, {low}+{width})"
            );
        }
        ours.reset();
        assert_eq!((ours.count(), ours.quantile_ns(0.5)), (0, 0.0));
        assert!(ours.counts.iter().all(|&c| c == 0));
    }
}
