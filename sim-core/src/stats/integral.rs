//! A time integral of a level that changes by steps (busy slots, requests present, instances
//! serving), kept so that a change costs one addition and nothing is done between changes.
//!
//! The integral up to time `T` of a level `L(t)` that starts at `L0` and changes by `d_k` at times
//! `t_k` is `L(T) * T - sum(d_k * t_k)`: the integral keeps the level and that sum, so a change of
//! one (a job arriving, a slot taken) adds or subtracts the time, with no multiplication, and
//! [`Integral::at`] gives the integral at any instant. The figure over a span (a time-series
//! window, the measured time after the warm-up, an autoscaler's interval) is the difference of two
//! readings. Everything is integer, so the result is the same number, to the nanosecond, as adding
//! `level * dt` at every change (what the engine did before; docs/benchmarks.md, "Time integrals
//! by difference"). Written by hand: it is a dozen lines on the hot path.

use crate::time::SimTime;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Integral {
    level: u64,
    /// `-sum(d_k * t_k)` over the changes so far.
    changes: i128,
}

impl Integral {
    /// A level of `level` from time 0.
    pub fn starting_at(level: u64) -> Integral {
        Integral { level, changes: 0 }
    }

    /// The level now.
    #[inline]
    pub fn level(&self) -> u64 {
        self.level
    }

    /// The level goes up by one at `now`.
    #[inline]
    pub fn up(&mut self, now: SimTime) {
        self.level += 1;
        self.changes -= now as i128;
    }

    /// The level goes down by one at `now`.
    #[inline]
    pub fn down(&mut self, now: SimTime) {
        self.level -= 1;
        self.changes += now as i128;
    }

    /// The level becomes `level` at `now`.
    pub fn set(&mut self, level: u64, now: SimTime) {
        self.changes -= (level as i128 - self.level as i128) * now as i128;
        self.level = level;
    }

    /// The integral from 0 to `now` (level-nanoseconds); `now` is at or after the last change.
    #[inline]
    pub fn at(&self, now: SimTime) -> u128 {
        (self.level as i128 * now as i128 + self.changes) as u128
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the sum of `level * dt` over the pieces, through steps up, down and to any level.
    #[test]
    fn equals_the_sum_of_level_times_duration() {
        let mut rng = crate::rng::Stream::new(5, 0, "integral", "test");
        let mut i = Integral::starting_at(3);
        let (mut level, mut area, mut last) = (3u64, 0u128, 0u64);
        let mut now = 0;
        for _ in 0..10_000 {
            now += rng.below(1_000) as u64;
            area += level as u128 * (now - last) as u128;
            last = now;
            match rng.below(3) {
                0 => {
                    i.up(now);
                    level += 1;
                }
                1 if level > 0 => {
                    i.down(now);
                    level -= 1;
                }
                _ => {
                    level = rng.below(20) as u64;
                    i.set(level, now);
                }
            }
            assert_eq!(i.level(), level);
            assert_eq!(i.at(now), area);
        }
        // Between changes the level holds.
        assert_eq!(i.at(now + 7), area + 7 * level as u128);
    }
}
