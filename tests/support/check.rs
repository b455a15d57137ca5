//! One comparison of a simulated figure with its closed form, and the rule that sets its tolerance.
//!
//! The tolerance is never chosen to pass. It is the half-width of the simulation's own confidence
//! interval, widened from the 95 % the report gives to two-sided 99.9 % with the same Student t
//! (`half_width95 / t_975(R - 1) * t_9995(R - 1)`), plus a bias allowance only where the simulator
//! is known to be biased by construction: percentiles come from an HDR histogram whose reported
//! values are within 0.4 % of the exact order statistic, so percentile checks add 0.4 % of the exact
//! value. Nothing else gets an allowance.
//!
//! A check must also be *tight*: its 99.9 % half-width must be below [`MAX_RELATIVE_HALF_WIDTH`] of
//! the exact value, so that a check cannot pass merely because the run was too short to say anything.

use sim_core::stats::estimate::{t_975, t_9995};
use std::fmt;

/// A check's 99.9 % half-width may be at most this share of the exact value.
pub const MAX_RELATIVE_HALF_WIDTH: f64 = 0.05;

/// The HDR histogram's bound on the relative error of a reported percentile.
pub const HISTOGRAM_RELATIVE_ERROR: f64 = 0.004;

/// What kind of bias allowance a check gets on top of its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowance {
    /// None: an exact mean, rate or share.
    None,
    /// 0.4 % of the exact value: a percentile read from the HDR histogram.
    Histogram,
}

/// A simulated estimate (a mean over replications) with its 95 % half-width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Simulated {
    pub mean: f64,
    pub half_width95: f64,
    pub replications: u32,
}

impl Simulated {
    /// From the report's value and its `ci95` interval `[lo, hi]`.
    pub fn from_ci(mean: f64, ci95: [f64; 2], replications: u32) -> Simulated {
        Simulated {
            mean,
            half_width95: (ci95[1] - ci95[0]) / 2.0,
            replications,
        }
    }

    /// The half-width widened to two-sided 99.9 % with the same Student t (R - 1 degrees of freedom).
    pub fn half_width999(&self) -> f64 {
        let df = self.replications as usize - 1;
        self.half_width95 / t_975(df) * t_9995(df)
    }

    /// `a * b` with a conservative half-width: |a| hw(b) + |b| hw(a), the bound that holds whatever
    /// the correlation between the two (they come from the same replications).
    pub fn times(&self, other: &Simulated) -> Simulated {
        Simulated {
            mean: self.mean * other.mean,
            half_width95: self.mean.abs() * other.half_width95
                + other.mean.abs() * self.half_width95,
            replications: self.replications.min(other.replications),
        }
    }

    /// `a * k` for an exact constant k.
    pub fn scaled(&self, k: f64) -> Simulated {
        Simulated {
            mean: self.mean * k,
            half_width95: self.half_width95 * k.abs(),
            replications: self.replications,
        }
    }
}

/// One comparison: a quantity of a case, its closed form, and the simulation's estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// The case, e.g. `M/M/c c=4 rho=0.8`.
    pub case: String,
    /// The quantity and its unit, e.g. `Wq (ms)`.
    pub quantity: String,
    /// The closed form's value (for a consistency check such as Little's law: the other side).
    pub exact: f64,
    pub sim: Simulated,
    /// For a consistency check (Little's law), the other side's 95 % half-width, which adds to the tolerance.
    pub exact_half_width95: f64,
    pub allowance: Allowance,
}

impl Check {
    /// A comparison with an exact closed form.
    pub fn new(
        case: &str,
        quantity: impl Into<String>,
        exact: f64,
        sim: Simulated,
        allowance: Allowance,
    ) -> Check {
        Check {
            case: case.to_string(),
            quantity: quantity.into(),
            exact,
            sim,
            exact_half_width95: 0.0,
            allowance,
        }
    }

    /// A consistency check between two estimates of the same true value (Little's law: L and
    /// lambda W). If both 99.9 % intervals cover it, the estimates differ by at most the sum of
    /// their half-widths, which is the tolerance; `b` plays the part of the exact value in the table.
    pub fn consistency(
        case: &str,
        quantity: impl Into<String>,
        a: Simulated,
        b: Simulated,
    ) -> Check {
        Check {
            case: case.to_string(),
            quantity: quantity.into(),
            exact: b.mean,
            sim: a,
            exact_half_width95: b.half_width95,
            allowance: Allowance::None,
        }
    }

    /// The bias allowance, in the quantity's unit.
    pub fn bias_allowance(&self) -> f64 {
        match self.allowance {
            Allowance::None => 0.0,
            Allowance::Histogram => HISTOGRAM_RELATIVE_ERROR * self.exact.abs(),
        }
    }

    /// The statistical part of the tolerance: the 99.9 % half-width of the estimate (plus, for a
    /// consistency check, that of the other side, since both must cover the same true value).
    pub fn half_width999(&self) -> f64 {
        self.sim.half_width999()
            + Simulated {
                half_width95: self.exact_half_width95,
                ..self.sim
            }
            .half_width999()
    }

    /// |sim - exact| may be at most this: the 99.9 % half-width plus the bias allowance.
    pub fn tolerance(&self) -> f64 {
        self.half_width999() + self.bias_allowance()
    }

    /// Signed error in percent of the exact value.
    pub fn error_percent(&self) -> f64 {
        (self.sim.mean - self.exact) / self.exact * 100.0
    }

    pub fn within_tolerance(&self) -> bool {
        (self.sim.mean - self.exact).abs() <= self.tolerance()
    }

    /// The interval is tight enough to mean something: the estimate's 99.9 % half-width is at most
    /// [`MAX_RELATIVE_HALF_WIDTH`] of the exact value (for a consistency check, each side's is).
    pub fn is_tight(&self) -> bool {
        let other = Simulated {
            half_width95: self.exact_half_width95,
            ..self.sim
        };
        let widest = self.sim.half_width999().max(other.half_width999());
        widest <= MAX_RELATIVE_HALF_WIDTH * self.exact.abs()
    }

    pub fn passes(&self) -> bool {
        self.within_tolerance() && self.is_tight()
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {}: exact {:.6}, simulated {:.6} ± {:.6} (95 %), error {:+.3} %, tolerance ±{:.6} ({:.2} % of exact){}{}",
            self.case,
            self.quantity,
            self.exact,
            self.sim.mean,
            self.sim.half_width95,
            self.error_percent(),
            self.tolerance(),
            self.tolerance() / self.exact.abs() * 100.0,
            if self.within_tolerance() {
                ""
            } else {
                "  OUTSIDE TOLERANCE"
            },
            if self.is_tight() { "" } else { "  NOT TIGHT" },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_widens_the_95_interval_to_999() {
        let s = Simulated {
            mean: 10.2,
            half_width95: 0.1,
            replications: 10,
        };
        // t_975(9) = 2.262, t_9995(9) = 4.781.
        assert!((s.half_width999() - 0.1 / 2.262 * 4.781).abs() < 1e-12);
        let c = Check::new("c", "q", 10.0, s, Allowance::None);
        assert!(c.within_tolerance() && c.is_tight());
        let c = Check::new("c", "q", 10.0, s, Allowance::Histogram);
        assert!((c.tolerance() - (0.1 / 2.262 * 4.781 + 0.04)).abs() < 1e-12);
        let far = Check::new("c", "q", 9.0, s, Allowance::None);
        assert!(!far.within_tolerance());
        let noisy = Simulated {
            half_width95: 1.0,
            ..s
        };
        assert!(!Check::new("c", "q", 10.0, noisy, Allowance::None).is_tight());
    }
}
