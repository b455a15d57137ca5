//! The saturation check: which components received work faster than they did it, so that their
//! queue grew over the measured time by more than chance allows. Such a run has no steady state:
//! its latency and backlog grow with the run's length, and no figure of it describes the design.
//! Each one becomes a `saturated` warning, and every SLO of a workload whose requests pass through
//! it fails (see [`apply`]).
//!
//! The rule, over all replications: with `A` requests offered to the component after the warm-up,
//! `D` served (completed or failed after taking part) and `G` the growth of its queue (waiting
//! requests at the end minus at the end of the warm-up), the component is saturated when
//! `G > Z * sqrt(A + D)` with `Z = 4`. Why this is sound (docs/validation.md has the numbers):
//! - overloaded, `G` is `A - D` less rejections, about `(lambda - mu) T`, and its noise is that of the
//!   two counts, of standard deviation about `sqrt(A + D)` for Poisson-like arrivals and services;
//!   so the rule finds an overload once `(lambda - mu) T` exceeds four of those deviations;
//! - stable, `G` is the difference of two queue lengths, whose distribution does not grow with the
//!   run (for M/M/c, `P(Nq > k) = C(c, a) rho^k`), while the threshold grows like `sqrt(T)`: the
//!   chance of a false alarm is below `rho^(4 sqrt(2 lambda T))`, 1e-27 for the M/M/4 at load 0.95
//!   over 10 minutes of the tests.

use crate::engine::result::ReplicationResult;
use crate::report::{SloReport, Verdict, Warning};
use crate::scenario::Scenario;
use crate::slo::Metric;

/// How many standard deviations of the counts' noise the queue must grow by.
const Z: f64 = 4.0;

/// A component found saturated, with the figures its warning gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Saturated {
    pub component: usize,
    /// Requests per second offered and served, means over replications.
    pub offered_rps: f64,
    pub served_rps: f64,
    /// Growth of the queue over the measured time, mean over replications, and per second.
    pub growth: f64,
    pub growth_per_s: f64,
}

/// The saturated components, in scenario order.
pub fn detect(s: &Scenario, reps: &[ReplicationResult]) -> Vec<Saturated> {
    let n = reps.len().max(1) as f64;
    let secs = reps.first().map_or(0.0, |r| r.measured_s).max(1e-9);
    (0..s.components.len())
        .filter_map(|c| {
            let (mut a, mut d, mut g) = (0.0, 0.0, 0.0);
            for r in reps {
                let x = &r.components[c];
                a += x.arrivals as f64;
                d += (x.completed + x.failed) as f64;
                g += x.queued_at_end as f64 - x.queued_at_start as f64;
            }
            (g > 0.0 && g > Z * (a + d).sqrt()).then(|| Saturated {
                component: c,
                offered_rps: a / n / secs,
                served_rps: d / n / secs,
                growth: g / n,
                growth_per_s: g / n / secs,
            })
        })
        .collect()
}

/// The `saturated` warning of one component.
pub fn warning(s: &Scenario, x: &Saturated, measured_s: f64) -> Warning {
    let name = &s.components[x.component].name;
    Warning {
        code: "saturated".into(),
        message: format!(
            "`{name}` is saturated: offered {:.1}/s, served {:.1}/s, its queue grew by {:.0} over {measured_s} s ({:.1}/s); work arrives faster than it is done, so latency and the backlog grow with the run's length and no SLO through it can pass",
            x.offered_rps, x.served_rps, x.growth, x.growth_per_s
        ),
        component: Some(name.clone()),
        workload: None,
    }
}

/// For each workload, the components its requests visit while the user waits (calls, balancer
/// and DNS targets; not a queue's consumers, which work after the producer is answered).
pub fn paths(s: &Scenario) -> Vec<Vec<bool>> {
    s.workloads
        .iter()
        .map(|w| {
            let mut seen = vec![false; s.components.len()];
            let mut stack = vec![w.entry];
            while let Some(c) = stack.pop() {
                if std::mem::replace(&mut seen[c], true) {
                    continue;
                }
                stack.extend(
                    s.components[c]
                        .edges()
                        .into_iter()
                        .filter(|e| e.2)
                        .map(|e| e.0),
                );
            }
            seen
        })
        .collect()
}

/// Fails every SLO of a workload that passes through a saturated component (and a utilisation
/// SLO of a saturated component), saying why in `note`.
pub fn apply(s: &Scenario, saturated: &[Saturated], slos: &mut [SloReport]) {
    if saturated.is_empty() {
        return;
    }
    let paths = paths(s);
    for (slo, r) in s.slos.iter().zip(slos.iter_mut()) {
        let through = |c: usize| match &slo.metric {
            Metric::Latency(_, w) | Metric::Availability(w) | Metric::Throughput(w) => s
                .workloads
                .iter()
                .position(|x| &x.name == w)
                .is_some_and(|wi| paths[wi][c]),
            Metric::Utilization(name) => &s.components[c].name == name,
            Metric::Cost | Metric::Rto(_) | Metric::Rpo(_) => false,
        };
        if let Some(x) = saturated.iter().find(|x| through(x.component)) {
            r.pass = Some(false);
            r.verdict = Verdict::Fail;
            r.note = Some(format!(
                "fails: its requests pass through `{}`, which is saturated (offered {:.1}/s, served {:.1}/s)",
                s.components[x.component].name, x.offered_rps, x.served_rps
            ));
        }
    }
}
