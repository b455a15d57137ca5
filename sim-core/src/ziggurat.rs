//! The standard exponential distribution by the ziggurat method (Marsaglia and Tsang, 2000, in
//! the 256-layer form of Doornik, 2005), used for every exponential duration and every Poisson gap.
//!
//! Inversion (`-ln U`) costs one `libm::log` per draw, the engine's largest single cost after the
//! event list. The ziggurat covers the density with 256 layers of equal area; a draw picks a layer
//! with 8 random bits and a point in it with 52 others, and returns at once when the point lies
//! inside the layer's rectangle under the curve: 98.9 % of draws, one multiplication and one
//! comparison. The rest test the wedge against `libm::exp`, and the base layer's tail beyond
//! `R = 7.697` takes `R - ln U` (memorylessness).
//!
//! Bit-identical on every target: the tables are computed once from `libm` (pure Rust, the same
//! code natively and in wasm32), and a draw uses only integer operations, IEEE multiplications,
//! additions and comparisons (Rust never contracts them into fused multiply-adds), and `libm` on
//! the slow paths. Written by hand rather than taken from `rand_distr`, which switches to std math
//! (an ulp apart between targets) whenever any crate in the build enables `rand/std`.

use crate::rng::Stream;
use std::sync::OnceLock;

/// Layers.
const N: usize = 256;
/// Where the base layer's tail starts.
const R: f64 = 7.697_117_470_131_487;
/// The area of each layer (the base layer's includes the tail).
const V: f64 = 3.949_659_822_581_572e-3;

/// `x[i]`: the right edge of layer `i` (`x[0] = V / f(R)` for the base layer, then `R` down to 0);
/// `f[i] = exp(-x[i])`.
struct Tables {
    x: [f64; N + 1],
    f: [f64; N + 1],
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; N + 1];
        x[0] = V / libm::exp(-R);
        x[1] = R;
        for i in 1..N - 1 {
            // Layer i spans heights f(x[i])..f(x[i + 1]) and has area V = x[i] * (f(x[i+1]) - f(x[i])).
            x[i + 1] = -libm::log(V / x[i] + libm::exp(-x[i]));
        }
        x[N] = 0.0;
        let mut f = [0.0; N + 1];
        for i in 0..=N {
            f[i] = libm::exp(-x[i]);
        }
        Tables { x, f }
    })
}

/// One draw of the standard exponential distribution (mean 1).
#[inline]
pub fn standard_exponential(s: &mut Stream) -> f64 {
    let t = tables();
    loop {
        let bits = s.next_u64();
        let i = (bits & 0xff) as usize;
        // 52 bits, independent of the layer's 8: a uniform in [0, 1).
        let u = (bits >> 12) as f64 * (1.0 / (1u64 << 52) as f64);
        let x = u * t.x[i];
        if x < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            return R - libm::log(s.uniform_open0());
        }
        if t.f[i] + (t.f[i + 1] - t.f[i]) * s.uniform() < libm::exp(-x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables close: the recurrence from `R` ends at 0 (so the layers' areas add up), and the
    /// layer edges fall.
    #[test]
    fn tables_close_at_zero() {
        let t = tables();
        let last = -libm::log(V / t.x[N - 1] + libm::exp(-t.x[N - 1]));
        assert!(last.abs() < 1e-9, "recurrence ends at {last}");
        assert!(t.x.windows(2).all(|w| w[0] > w[1]));
        // The base layer: a rectangle R x f(R) plus the tail (area f(R)), together V.
        assert!((t.x[0] - (R + 1.0)).abs() < 1e-9, "x[0] = {}", t.x[0]);
    }

    /// Kolmogorov-Smirnov against 1 - e^-x over 200k draws, with the tail and the wedges tested
    /// on their own: the share beyond R and the share in (1, 2).
    #[test]
    fn matches_the_exponential_cdf() {
        let mut s = Stream::new(11, 0, "ziggurat", "test");
        let n = 200_000;
        let mut xs: Vec<f64> = (0..n).map(|_| standard_exponential(&mut s)).collect();
        xs.sort_by(f64::total_cmp);
        let d = xs
            .iter()
            .enumerate()
            .map(|(k, &x)| {
                let cdf = 1.0 - libm::exp(-x);
                (cdf - k as f64 / n as f64)
                    .abs()
                    .max((k + 1) as f64 / n as f64 - cdf)
            })
            .fold(0.0, f64::max);
        // The 99.9 % critical value of the KS statistic is 1.95 / sqrt(n).
        assert!(d < 1.95 / (n as f64).sqrt(), "KS distance {d}");
        // P(X > 5) = e^-5: a binomial count, within 4 standard deviations.
        let beyond = xs.iter().filter(|&&x| x > 5.0).count() as f64;
        let p = libm::exp(-5.0);
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        assert!(
            (beyond - n as f64 * p).abs() < 4.0 * sd,
            "{beyond} beyond 5"
        );
        assert!(xs[0] >= 0.0);
    }

    /// The tail beyond R (one draw in about 2,200) is reached and is exponential there: its
    /// excess over R has mean 1.
    #[test]
    fn tail_is_memoryless() {
        let mut s = Stream::new(12, 0, "ziggurat", "tail");
        let tail: Vec<f64> = (0..4_000_000)
            .map(|_| standard_exponential(&mut s))
            .filter(|&x| x > R)
            .map(|x| x - R)
            .collect();
        let n = tail.len() as f64;
        let expected = 4e6 * libm::exp(-R);
        assert!(
            (n - expected).abs() < 4.0 * expected.sqrt(),
            "{n} tail draws"
        );
        let mean = tail.iter().sum::<f64>() / n;
        assert!(
            (mean - 1.0).abs() < 4.0 / n.sqrt(),
            "tail excess mean {mean}"
        );
    }
}
