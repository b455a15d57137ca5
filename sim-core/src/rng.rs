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

/// How many raw outputs a stream draws ahead (see [`Stream`]). 8, 16, 32 and 64 measured alike on
/// M/M/4 (within 3 %, interleaved); 16 keeps a stream within five cache lines
/// (docs/benchmarks.md, "Logarithms drawn ahead").
const AHEAD: usize = 16;

/// One independent random stream.
///
/// It draws its generator's outputs [`AHEAD`] at a time, and once it has been asked for a
/// logarithm (an exponential draw) it also takes the logarithms of a whole block's uniforms
/// together. That is the only reason for the block: `libm::log` is a long chain of dependent
/// floating-point steps, and one draw per event puts its whole latency on the event loop's path,
/// while sixteen independent ones overlap in the processor. What a stream returns does not depend
/// on the block: every call takes the next output in the generator's order, and a logarithm taken
/// ahead is `libm::log` of the very uniform that [`Stream::uniform_open0`] would return, so the
/// same bits as taking it at the draw. (Written by hand because no crate batches like this.)
#[derive(Clone, Debug)]
pub struct Stream {
    rng: Xoshiro256PlusPlus,
    /// The block of outputs drawn ahead; `raw[next..]` are still to be used.
    raw: [u64; AHEAD],
    /// `ln[i]` is `libm::log(open0(raw[i]))` when `ln_ahead`.
    ln: [f64; AHEAD],
    next: usize,
    /// Whether this block's logarithms were taken ahead.
    ln_ahead: bool,
    /// Whether a logarithm was asked for since the last refill: the next block takes them ahead.
    ln_asked: bool,
}

/// A raw output as a uniform in `[0, 1)` with 53 random bits.
#[inline]
fn closed0(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A raw output as a uniform in `(0, 1]`: safe to take the logarithm of. Public so that the
/// benchmark's minimal loop turns its own generator's outputs into the same uniforms.
#[inline]
pub fn open0(x: u64) -> f64 {
    ((x >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

impl Stream {
    /// The stream for `(seed, replication, owner, purpose)`.
    pub fn new(seed: u64, replication: u32, owner: &str, purpose: &str) -> Stream {
        Stream {
            rng: Xoshiro256PlusPlus::seed_from_u64(key(seed, replication, owner, purpose)),
            raw: [0; AHEAD],
            ln: [0.0; AHEAD],
            next: AHEAD,
            ln_ahead: false,
            ln_asked: false,
        }
    }

    /// Draws the next block, with its logarithms when the last block was asked for one.
    #[cold]
    #[inline(never)]
    fn refill(&mut self) {
        for x in &mut self.raw {
            *x = self.rng.next_u64();
        }
        self.ln_ahead = self.ln_asked;
        if self.ln_ahead {
            for (l, &x) in self.ln.iter_mut().zip(&self.raw) {
                *l = libm::log(open0(x));
            }
        }
        self.ln_asked = false;
        self.next = 0;
    }

    /// The index of the next output in the block.
    #[inline(always)]
    fn take(&mut self) -> usize {
        if self.next == AHEAD {
            self.refill();
        }
        let i = self.next;
        self.next = i + 1;
        i
    }

    /// A uniform draw in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        let i = self.take();
        closed0(self.raw[i])
    }

    /// A uniform draw in `(0, 1]`: safe to take the logarithm of.
    #[inline]
    pub fn uniform_open0(&mut self) -> f64 {
        let i = self.take();
        open0(self.raw[i])
    }

    /// `libm::log(self.uniform_open0())`, bit for bit, usually taken ahead (see [`Stream`]): the
    /// draw of every exponential.
    #[inline]
    pub fn ln_uniform_open0(&mut self) -> f64 {
        let i = self.take();
        self.ln_asked = true;
        if self.ln_ahead {
            self.ln[i]
        } else {
            libm::log(open0(self.raw[i]))
        }
    }

    /// A uniform integer in `0..n` (`n > 0`), by Lemire's multiply-shift (bias below 2^-32 for n < 2^32).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        let i = self.take();
        (((self.raw[i] >> 32) * n as u64) >> 32) as u32
    }

    /// The raw 64-bit output, for tests that pin the generator's bits.
    pub fn next_u64(&mut self) -> u64 {
        let i = self.take();
        self.raw[i]
    }
}

/// The seed of the stream for `(seed, replication, owner, purpose)`: a stable 64-bit key, FNV-1a
/// over the names, mixed with SplitMix64's finaliser. Public for programs outside the core that
/// must draw what a stream draws (the benchmark's minimal loop seeds its own xoshiro256++ with it).
pub fn key(seed: u64, replication: u32, owner: &str, purpose: &str) -> u64 {
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
        assert_ne!(key(1, 0, "ab", "c"), key(1, 0, "a", "bc"));
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

    /// The block changes nothing a stream returns: against a bare xoshiro256++ seeded alike and
    /// used one output at a time, every kind of draw, in patterns that start, stop and mix
    /// logarithms across block boundaries, gives the same bits.
    #[test]
    fn drawing_ahead_returns_what_drawing_one_at_a_time_would() {
        let mut bare = Xoshiro256PlusPlus::seed_from_u64(key(11, 2, "api", "service_time"));
        let mut s = Stream::new(11, 2, "api", "service_time");
        let mut pick = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut logs_ahead = 0;
        for round in 0..20_000u64 {
            // Runs of one kind of draw, of lengths that straddle blocks.
            let kind = if round % 7 < 3 {
                0
            } else {
                pick.next_u64() % 5
            };
            let run = 1 + pick.next_u64() % (2 * AHEAD as u64 + 3);
            for _ in 0..run {
                let x = bare.next_u64();
                match kind {
                    0 => {
                        logs_ahead += usize::from(s.ln_ahead);
                        let l = s.ln_uniform_open0();
                        assert_eq!(l.to_bits(), libm::log(open0(x)).to_bits());
                    }
                    1 => assert_eq!(s.uniform().to_bits(), closed0(x).to_bits()),
                    2 => assert_eq!(s.uniform_open0().to_bits(), open0(x).to_bits()),
                    3 => assert_eq!(s.below(7), (((x >> 32) * 7) >> 32) as u32),
                    _ => assert_eq!(s.next_u64(), x),
                }
            }
        }
        assert!(
            logs_ahead > 100_000,
            "most logarithms were taken ahead: {logs_ahead}"
        );
    }
}
