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

#[derive(Clone, Debug, PartialEq)]
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

/// A histogram as it travels between processes (shard parts): the counts in HdrHistogram's V2
/// format, written and read by the crate itself (so any HdrHistogram library reads them), base64;
/// and beside them the exact sum and maximum the V2 format does not carry.
#[derive(serde::Serialize, serde::Deserialize)]
struct Wire {
    hdr_v2: String,
    count: u64,
    /// A decimal string: u128 is beyond what JSON readers take as a number.
    sum_ns: String,
    max_ns: u64,
}

/// The crate's histogram with this one's layout.
fn hdr() -> hdrhistogram::Histogram<u64> {
    hdrhistogram::Histogram::new_with_bounds(1, HIGHEST_NS, 2).expect("valid bounds")
}

impl serde::Serialize for DurationHistogram {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use base64::Engine;
        use hdrhistogram::serialization::Serializer;
        let mut h = hdr();
        let top = if self.count > 0 {
            index(self.max_ns.min(HIGHEST_NS))
        } else {
            0
        };
        for (i, &c) in self.counts[..=top].iter().enumerate() {
            if c > 0 {
                h.record_n(bucket_of(i).0, c)
                    .map_err(serde::ser::Error::custom)?;
            }
        }
        let mut bytes = Vec::new();
        hdrhistogram::serialization::V2Serializer::new()
            .serialize(&h, &mut bytes)
            .map_err(|e| serde::ser::Error::custom(format!("{e:?}")))?;
        Wire {
            hdr_v2: base64::engine::general_purpose::STANDARD.encode(bytes),
            count: self.count,
            sum_ns: self.sum_ns.to_string(),
            max_ns: self.max_ns,
        }
        .serialize(ser)
    }
}

impl<'de> serde::Deserialize<'de> for DurationHistogram {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        use base64::Engine;
        use serde::de::Error;
        let w = Wire::deserialize(de)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&w.hdr_v2)
            .map_err(|e| D::Error::custom(format!("hdr_v2 is not base64: {e}")))?;
        let h: hdrhistogram::Histogram<u64> = hdrhistogram::serialization::Deserializer::new()
            .deserialize(&mut std::io::Cursor::new(bytes))
            .map_err(|e| D::Error::custom(format!("hdr_v2 is not an HdrHistogram V2: {e:?}")))?;
        let layout = hdr();
        if h.sigfig() != layout.sigfig() || h.high() != layout.high() || h.low() != layout.low() {
            return Err(D::Error::custom(
                "hdr_v2 has another layout than archsim's (1 ns to 2^55 ns, 2 significant digits)",
            ));
        }
        let mut out = DurationHistogram::default();
        for v in h.iter_recorded() {
            out.counts[index(v.value_iterated_to().min(HIGHEST_NS))] += v.count_at_value();
        }
        out.count = w.count;
        out.sum_ns = w
            .sum_ns
            .parse()
            .map_err(|_| D::Error::custom("sum_ns is not a whole number"))?;
        out.max_ns = w.max_ns;
        if h.len() != w.count {
            return Err(D::Error::custom(format!(
                "the histogram holds {} samples but its count says {}",
                h.len(),
                w.count
            )));
        }
        Ok(out)
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

    /// A histogram written and read back is the same histogram, and the crate itself reads the
    /// counts as the same distribution (the V2 bytes are HdrHistogram's own).
    #[test]
    fn travels_in_hdrhistograms_own_format() {
        let mut s = Stream::new(3, 0, "hist", "wire");
        let mut h = DurationHistogram::default();
        for _ in 0..20_000 {
            h.record((libm::exp(s.uniform() * 20.0) * 10.0) as u64);
        }
        h.record(HIGHEST_NS * 4); // clamped into the top bucket, exact in the maximum
        let text = serde_json::to_string(&h).unwrap();
        let back: DurationHistogram = serde_json::from_str(&text).unwrap();
        assert_eq!(back, h);
        let empty: DurationHistogram =
            serde_json::from_str(&serde_json::to_string(&DurationHistogram::default()).unwrap())
                .unwrap();
        assert_eq!(empty, DurationHistogram::default());

        use base64::Engine;
        let w: serde_json::Value = serde_json::from_str(&text).unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(w["hdr_v2"].as_str().unwrap())
            .unwrap();
        let crate_h: hdrhistogram::Histogram<u64> =
            hdrhistogram::serialization::Deserializer::new()
                .deserialize(&mut std::io::Cursor::new(bytes))
                .unwrap();
        assert_eq!(crate_h.len(), h.count());
        for q in [0.5, 0.99, 0.999] {
            let theirs = crate_h.median_equivalent(crate_h.value_at_quantile(q)) as f64;
            assert_eq!(theirs.min(h.max_ns() as f64), h.quantile_ns(q), "q {q}");
        }

        // A forged count is refused, not believed.
        let forged = text.replace(&format!("\"count\":{}", h.count()), "\"count\":3");
        assert!(serde_json::from_str::<DurationHistogram>(&forged).is_err());
    }
}
