//! The hit ratio of a cache, as the model sees it: the configured `hit_ratio`, or for a key model
//! (Zipf popularity over `keys`, LRU of `capacity` entries, optional `ttl`) an estimate by Che's
//! approximation: each key stays for a characteristic time T after its last request, with T such
//! that the expected number of keys held is the capacity, sum_i (1 - e^(-lambda p_i T)) = C; key i
//! hits with probability 1 - e^(-lambda p_i T); with a `ttl` shorter than T, an entry lives `ttl`
//! from its fill. The approximation is known to be within a
//! few per cent of LRU under independent requests (Fricker, Robert and Roberts 2012); it ignores the
//! fill delay (a key is stored when its miss is answered) and the warm-up (the cache starts empty).

use super::queueing::positive;
use crate::scenario::CacheModel;

/// Iterations of the bisection on the characteristic time (each halves the bracket).
const BISECTION_STEPS: u32 = 80;

/// The expected hit ratio of `model` receiving `lambda` lookups per second.
pub fn hit_ratio(model: &CacheModel, lambda: f64) -> f64 {
    match *model {
        CacheModel::Ratio(r) => r,
        CacheModel::Keys {
            keys,
            capacity,
            ttl,
            zipf,
        } => che(keys, capacity, ttl.map(|t| t as f64 / 1e9), zipf, lambda),
    }
}

fn che(keys: u32, capacity: u32, ttl_s: Option<f64>, zipf: f64, lambda: f64) -> f64 {
    if keys == 0 || capacity == 0 || !positive(lambda) {
        return 0.0;
    }
    let mut p: Vec<f64> = (1..=keys).map(|k| libm::pow(k as f64, -zipf)).collect();
    let total: f64 = p.iter().sum();
    for x in &mut p {
        *x /= total;
    }
    let hit = |t: f64| -> f64 {
        p.iter()
            .map(|&pi| pi * (1.0 - libm::exp(-lambda * pi * t)))
            .sum()
    };
    let t_c = if capacity >= keys {
        f64::INFINITY
    } else {
        let held = |t: f64| -> f64 { p.iter().map(|&pi| 1.0 - libm::exp(-lambda * pi * t)).sum() };
        let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
        let mut grow = 0;
        while held(hi) < capacity as f64 && grow < 200 {
            hi *= 2.0;
            grow += 1;
        }
        for _ in 0..BISECTION_STEPS {
            let mid = 0.5 * (lo + hi);
            if held(mid) < capacity as f64 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    };
    match ttl_s {
        // Entries expire `ttl` after they were stored, hits or not: key i is present for `ttl`
        // after each miss, so it hits with probability lambda p_i ttl / (1 + lambda p_i ttl).
        Some(ttl) if ttl < t_c => p
            .iter()
            .map(|&pi| pi * (lambda * pi * ttl) / (1.0 + lambda * pi * ttl))
            .sum(),
        _ if t_c.is_infinite() => 1.0,
        _ => hit(t_c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_holding_every_key_always_hits_and_more_room_hits_more() {
        let m = |capacity| CacheModel::Keys {
            keys: 1000,
            capacity,
            ttl: None,
            zipf: 1.0,
        };
        assert_eq!(hit_ratio(&m(1000), 100.0), 1.0);
        let small = hit_ratio(&m(50), 100.0);
        let large = hit_ratio(&m(300), 100.0);
        assert!(
            0.0 < small && small < large && large < 1.0,
            "{small} {large}"
        );
        // LRU holds no more than the most popular `capacity` keys would give (the static optimum).
        let h: Vec<f64> = (1..=1000).map(|k| 1.0 / k as f64).collect();
        let best: f64 = h[..50].iter().sum::<f64>() / h.iter().sum::<f64>();
        assert!(small < best, "{small} {best}");
        assert_eq!(hit_ratio(&CacheModel::Ratio(0.8), 5.0), 0.8);
    }
}
