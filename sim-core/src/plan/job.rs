//! The unit of work the planner and sweeps hand out: one replication of one candidate at one
//! load, and what comes back. Pure: whoever runs jobs (the CLI's threads, the browser's Web
//! Workers, a batch engine's shards) calls [`simulate`] and hands the [`Outcome`] back.

use crate::report::Verdict;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// One replication of one candidate at one load factor.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Index in the space's grid order.
    pub candidate: usize,
    /// Multiplier on every open workload's rate.
    pub factor: f64,
    /// Replication index: replication k uses the same random streams for every candidate
    /// (common random numbers), so differences between candidates are the designs', not luck's.
    pub replication: u32,
}

/// What one job measured: enough to decide SLOs and explain the decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Each SLO's value in the report's units (`None`: not measured).
    pub slo: Vec<Option<f64>>,
    /// An SLO the run failed outright whatever its value (for example a workload passing
    /// through a saturated component), with the reason.
    pub forced_fail: Vec<Option<String>>,
    /// The run's monthly cost.
    pub cost: f64,
    /// The component with the highest utilisation, and that utilisation.
    pub bottleneck: Option<(String, f64)>,
    /// The run stopped at a limit (events, requests in flight, time): the candidate fails.
    pub error: Option<String>,
}

/// Runs one replication of `s` (a candidate already at its load) and measures it.
pub fn simulate(s: &Scenario, replication: u32) -> Outcome {
    let result = crate::engine::run::Run::new(s, replication).run_to_end();
    match result {
        Err(e) => Outcome {
            slo: vec![None; s.slos.len()],
            forced_fail: vec![None; s.slos.len()],
            cost: 0.0,
            bottleneck: None,
            error: Some(e.to_string()),
        },
        Ok(rep) => {
            let r = crate::report::build(s, std::slice::from_ref(&rep));
            let bottleneck = r
                .components
                .iter()
                .filter(|(_, c)| c.utilization > 0.0)
                .fold(None::<(&String, f64)>, |best, (n, c)| match best {
                    Some((_, u)) if u >= c.utilization => best,
                    _ => Some((n, c.utilization)),
                })
                .map(|(n, u)| (n.clone(), u));
            Outcome {
                slo: r.slo.iter().map(|x| x.value).collect(),
                // With one replication the verdict is the value's, unless the report failed the
                // SLO for a reason beyond its value, which it then states in `note`
                // (a saturated component on the workload's path).
                forced_fail: r
                    .slo
                    .iter()
                    .map(|x| {
                        (x.verdict == Verdict::Fail)
                            .then(|| x.note.clone())
                            .flatten()
                    })
                    .collect(),
                cost: r.cost.usd_per_month,
                bottleneck,
                error: None,
            }
        }
    }
}
