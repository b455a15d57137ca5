//! The unit of work the planner and sweeps hand out: one replication of one candidate at one
//! load, and what comes back. Pure: whoever runs jobs (the CLI's threads, the browser's Web
//! Workers, a batch engine's shards) calls [`simulate`] and hands the [`Outcome`] back.

use crate::report::Verdict;
use crate::scenario::Scenario;
use crate::slo::Metric;
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
    /// For each SLO, the outages behind it: for an availability SLO, every component with random
    /// failures on its workload's path and how many of its failures left it with no instance
    /// serving in this run (`failures.all_down`); empty for other SLOs. Summed over a candidate's
    /// replications this is what [`crate::rare`]'s rule counts: below
    /// [`crate::rare::MIN_EVENTS`] the SLO cannot be decided either way. Omitted from JSON when
    /// no SLO has any (so a sweep without random failures is unchanged).
    #[serde(default, skip_serializing_if = "no_outages")]
    pub outages: Vec<Vec<PathOutages>>,
}

/// One component's outages in one run, behind one availability SLO.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathOutages {
    pub component: String,
    /// Its failures that left it with no instance serving.
    pub all_down: u64,
}

fn no_outages(o: &[Vec<PathOutages>]) -> bool {
    o.iter().all(Vec::is_empty)
}

impl Outcome {
    /// A run that could not be made (or is missing), failing with `error`.
    pub fn failed(slos: usize, error: String) -> Outcome {
        Outcome {
            slo: vec![None; slos],
            forced_fail: vec![None; slos],
            cost: 0.0,
            bottleneck: None,
            error: Some(error),
            outages: Vec::new(),
        }
    }
}

/// The availability SLO `j`'s figure rests on rare events over `runs`: some component on its
/// path had fewer than [`crate::rare::MIN_EVENTS`] outages across them all. Returns that
/// component and its count (the fewest).
pub fn rare_outages(runs: &[Outcome], j: usize) -> Option<(String, u64)> {
    let first = runs.first()?.outages.get(j)?;
    first
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let n: u64 = runs
                .iter()
                .map(|o| {
                    o.outages
                        .get(j)
                        .and_then(|v| v.get(k))
                        .map_or(0, |x| x.all_down)
                })
                .sum();
            (p.component.clone(), n)
        })
        .filter(|(_, n)| *n < crate::rare::MIN_EVENTS)
        .min_by_key(|(_, n)| *n)
}

/// Per SLO, the outages of the components with random failures on an availability SLO's path.
fn outages(s: &Scenario, r: &crate::report::Report) -> Vec<Vec<PathOutages>> {
    let paths = crate::saturation::paths(s);
    s.slos
        .iter()
        .map(|slo| {
            let Metric::Availability(w) = &slo.metric else {
                return Vec::new();
            };
            let Some(wi) = s.workloads.iter().position(|x| &x.name == w) else {
                return Vec::new();
            };
            s.components
                .iter()
                .enumerate()
                .filter(|&(c, _)| paths[wi][c])
                .filter_map(|(_, comp)| {
                    let f = r.components.get(&comp.name)?.failures?;
                    Some(PathOutages {
                        component: comp.name.clone(),
                        all_down: f.all_down,
                    })
                })
                .collect()
        })
        .collect()
}

/// Runs one replication of `s` (a candidate already at its load) and measures it.
pub fn simulate(s: &Scenario, replication: u32) -> Outcome {
    let result = crate::engine::run::Run::new(s, replication).run_to_end();
    match result {
        Err(e) => Outcome::failed(s.slos.len(), e.to_string()),
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
                outages: outages(s, &r),
            }
        }
    }
}
