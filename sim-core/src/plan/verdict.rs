//! Deciding one SLO from replications: pass when the whole confidence interval of the mean meets
//! the target, fail when the whole interval misses it, open otherwise (more replications needed).
//! The interval is Student's t at the plan's confidence split over every SLO and load it must hold
//! at (Bonferroni), so a candidate is called feasible with at least the plan's confidence.

use crate::slo::Op;
use crate::stats::student::t_quantile;

/// What the replications so far say about one SLO.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Pass,
    Fail,
    /// The interval straddles the target.
    Open,
}

/// The mean of the replications' values and an interval at `confidence` (two-sided).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Mean and two-sided t interval at `confidence`; a single value gives an unbounded interval.
pub fn interval(xs: &[f64], confidence: f64) -> Interval {
    let n = xs.len();
    let mean = if n == 0 {
        f64::NAN
    } else {
        xs.iter().sum::<f64>() / n as f64
    };
    if n < 2 {
        return Interval {
            mean,
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
        };
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let half = t_quantile(0.5 + confidence / 2.0, (n - 1) as u32) * libm::sqrt(var / n as f64);
    Interval {
        mean,
        lo: mean - half,
        hi: mean + half,
    }
}

/// Decides `value op threshold` from the interval.
pub fn decide(i: Interval, op: Op, threshold: f64) -> Decision {
    if i.lo.is_nan() || i.hi.is_nan() {
        return Decision::Open;
    }
    match (op.holds(i.lo, threshold), op.holds(i.hi, threshold)) {
        (true, true) => Decision::Pass,
        (false, false) => Decision::Fail,
        _ => Decision::Open,
    }
}

/// How far the mean is from the target, relative to the target: positive on the passing side.
pub fn margin(mean: f64, op: Op, threshold: f64) -> f64 {
    let scale = threshold.abs().max(1e-12);
    match op {
        Op::Lt | Op::Le => (threshold - mean) / scale,
        Op::Gt | Op::Ge => (mean - threshold) / scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decides_only_when_the_interval_is_clear() {
        let tight = [10.0, 10.1, 9.9, 10.0];
        assert_eq!(decide(interval(&tight, 0.95), Op::Lt, 11.0), Decision::Pass);
        assert_eq!(decide(interval(&tight, 0.95), Op::Lt, 9.0), Decision::Fail);
        assert_eq!(
            decide(interval(&tight, 0.95), Op::Lt, 10.05),
            Decision::Open
        );
        // One replication never decides: its interval is unbounded.
        assert_eq!(
            decide(interval(&[1.0], 0.95), Op::Lt, 100.0),
            Decision::Open
        );
        // Identical values decide at once.
        assert_eq!(
            decide(interval(&[5.0, 5.0, 5.0], 0.99), Op::Le, 5.0),
            Decision::Pass
        );
    }

    #[test]
    fn interval_widens_with_confidence() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        let a = interval(&xs, 0.9);
        let b = interval(&xs, 0.99);
        assert!(b.lo < a.lo && b.hi > a.hi);
        // 95 % matches the table value t(0.975, 3) = 3.182.
        let c = interval(&xs, 0.95);
        let half = 3.182 * (1.666_666_7_f64 / 4.0).sqrt();
        assert!((c.hi - c.mean - half).abs() < 1e-3);
    }

    #[test]
    fn margin_is_positive_on_the_passing_side() {
        assert!(margin(90.0, Op::Lt, 100.0) > 0.0);
        assert!(margin(110.0, Op::Lt, 100.0) < 0.0);
        assert!(margin(0.9995, Op::Ge, 0.999) > 0.0);
    }
}
