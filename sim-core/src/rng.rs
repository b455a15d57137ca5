//! Random streams. Every component and workload draws from its own streams, one per purpose
//! (`service_time`, `balance`, `arrivals`, ...), each seeded from the scenario seed, the replication
//! and the stream's *name*, never its position in the file. Changing one component therefore leaves
//! every other component's draws unchanged, which is what common-random-number comparisons need.
//!
//! The generator is xoshiro256++ (`rand_xoshiro`), a named algorithm with the same output on every
//! target; `rand`'s standard and small generators are not used because their algorithms may change
//! between versions or differ by target.

use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// One independent random stream.
#[derive(Clone, Debug)]
pub struct Stream {
    rng: Xoshiro256PlusPlus,
}

impl Stream {
    /// The stream for `(seed, replication, owner, purpose)`.
    pub fn new(seed: u64, replication: u32, owner: &str, purpose: &str) -> Stream {
        let key = stream_key(seed, replication, owner, purpose);
        Stream {
            rng: Xoshiro256PlusPlus::seed_from_u64(key),
        }
    }

    /// A uniform draw in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform draw in `(0, 1]`: safe to take the logarithm of.
    #[inline]
    pub fn uniform_open0(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `0..n` (`n > 0`), by Lemire's multiply-shift (bias below 2^-32 for n < 2^32).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.rng.next_u64() >> 32) * n as u64) >> 32) as u32
    }

    /// The raw 64-bit output, for tests that pin the generator's bits.
    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

/// A stable 64-bit key: FNV-1a over the names, mixed with SplitMix64's finaliser.
fn stream_key(seed: u64, replication: u32, owner: &str, purpose: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in owner.bytes().chain([0xff]).chain(purpose.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut x = mix(seed ^ mix(h));
    x = mix(x ^ (replication as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    x
}

/// SplitMix64's finaliser: a bijection that spreads every input bit over the output.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_names_not_order() {
        let mut a = Stream::new(42, 0, "api", "service_time");
        let mut b = Stream::new(42, 0, "api", "service_time");
        let mut c = Stream::new(42, 0, "db", "service_time");
        let mut d = Stream::new(42, 1, "api", "service_time");
        let xa = a.next_u64();
        assert_eq!(xa, b.next_u64());
        assert_ne!(xa, c.next_u64());
        assert_ne!(xa, d.next_u64());
    }

    #[test]
    fn owner_and_purpose_do_not_run_together() {
        assert_ne!(stream_key(1, 0, "ab", "c"), stream_key(1, 0, "a", "bc"));
    }

    #[test]
    fn uniform_stays_in_range() {
        let mut s = Stream::new(7, 0, "x", "y");
        for _ in 0..10_000 {
            let u = s.uniform();
            assert!((0.0..1.0).contains(&u));
            let v = s.uniform_open0();
            assert!(v > 0.0 && v <= 1.0);
            assert!(s.below(3) < 3);
        }
    }
}
