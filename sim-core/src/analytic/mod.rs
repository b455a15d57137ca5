//! The analytic model: a queueing-network view of a scenario beside the simulation, pure and cheap
//! (no simulation, no randomness). It answers what theory says the design does in steady state:
//! offered load and utilisation of every component, M/M/c waiting and response times, losses in
//! finite rooms, availability from `mtbf`/`mttr`, end-to-end latency and monthly cost. The planner
//! screens candidates with it (utilisation >= 1 at a load is infeasible) and orders them by its
//! cost; `archsim run` shows it beside the simulated figures and warns where they disagree.
//!
//! - [`flows`]: visit ratios through calls (probabilities, op filters, fan-out, balancer shares,
//!   cache hits, queues to consumers, retries at their nominal rate);
//! - [`timing`]: holding and response times, waits and losses, bottom-up along the calls;
//! - [`queueing`]: Erlang B and C, M/M/c/K, MVA;
//! - [`cache`]: hit ratios of key models (Che's approximation);
//! - [`network`]: delays and byte crossings between placed instances;
//! - [`availability`]: steady-state availability of instances, replica sets and paths;
//! - [`cost`]: the monthly cost through the same price function as the run's;
//! - [`mechanisms`]: what each component has that the model does not capture;
//! - [`report`]: the report's `analytic` sections and `analytic_disagreement` warnings.
//!
//! What it assumes and where it is exact: `docs/analytic.md`.

pub mod availability;
pub mod cache;
pub mod compare;
pub mod cost;
pub mod flows;
pub mod mechanisms;
pub mod network;
pub mod queueing;
pub mod report;
pub mod timing;

use crate::scenario::{ComponentId, RateProfile, Scenario, WorkloadKind};
use std::collections::BTreeMap;

/// The model's figures for a scenario; see [`analyse`].
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// Index = ComponentId (scenario order).
    pub components: Vec<ComponentModel>,
    /// Index = WorkloadId.
    pub workloads: Vec<WorkloadModel>,
    /// Monthly cost as the model sees it: fixed fleets exactly as the simulation's cost model
    /// prices them when no instance fails (instances x hourly x month_hours, load-balancer hours,
    /// storage, backups); usage-based parts (function requests and GB-s, queue requests, egress,
    /// NAT) at the offered rates.
    pub usd_per_month: f64,
    /// False when autoscaling, spot/preemptible churn or usage-based pricing make the cost depend
    /// on the run (then the simulated cost is a figure with an interval).
    pub cost_exact: bool,
    /// `usd_per_month` by category, as the report's `cost.by_category`.
    pub cost_by_category: BTreeMap<String, f64>,
    /// `usd_per_month` by component, as the report's `cost.by_component`.
    pub cost_by_component: BTreeMap<String, f64>,
}

/// The model's figures for one component.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentModel {
    /// Offered arrivals per second (visit ratio x workload rates; closed workloads by MVA or a bound).
    pub arrival_rps: f64,
    /// Concurrency slots in all (`None`: unlimited).
    pub servers: Option<u32>,
    /// Offered work over capacity: lambda x E[S] / servers. >= 1 means overloaded. 0 for unlimited.
    pub utilization: f64,
    /// `utilization` with no waiting anywhere downstream: the slots a request holds for its
    /// own work and its callees' service alone. A lower bound wherever the arrivals are exact
    /// (open workloads, configured hit ratios): at 1 or more the component is overloaded for
    /// sure, which is all the planner prunes on.
    pub utilization_floor: f64,
    /// Mean wait for a slot (Erlang C / M/M/c/K), `None` when overloaded or not modelled.
    pub wait_ms: Option<f64>,
    /// Mean time at the component, its calls included, `None` when overloaded.
    pub response_ms: Option<f64>,
    /// Share of arrivals rejected (finite queue_limit or pool: Erlang B / M/M/c/K).
    pub loss: f64,
    /// Steady-state availability of the component from mtbf/mttr (1 without failures).
    pub availability: f64,
    /// The mechanisms the model does not capture that this component has (`retries`, `timeouts`,
    /// `cold_starts`, `failover`, `autoscaling`, `circuit_breaker`, `cache_warmup`, ...).
    pub mechanisms: Vec<String>,
    /// Mean busy slots: the admitted work, lambda (1 - loss) x E[S] (the simulation's `busy_mean`).
    pub busy_mean: f64,
    /// Busy slots over slots: the share the simulation measures as `utilization` (`utilization`
    /// less the refused work); 0 for unlimited.
    pub carried_utilization: f64,
    /// Mean time a request holds a slot (local work, and the calls unless `io: async`), ms.
    pub service_ms: f64,
    /// The hit ratio the model uses (a cache), configured or estimated.
    pub hit_ratio: Option<f64>,
}

/// The model's figures for one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadModel {
    /// Mean end-to-end latency, `None` when a component on its path is overloaded.
    pub latency_ms: Option<f64>,
    pub availability: f64,
    /// Requests per second: the mean offered rate of an open workload over the measured window,
    /// the MVA throughput of a closed one.
    pub throughput_rps: f64,
    /// The components its requests visit, in scenario order.
    pub visited: Vec<ComponentId>,
}

impl Analysis {
    /// The component with the highest utilisation, and that utilisation.
    pub fn bottleneck(&self) -> Option<(ComponentId, f64)> {
        self.components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.servers.is_some())
            .fold(
                None,
                |best: Option<(ComponentId, f64)>, (i, c)| match best {
                    Some((_, u)) if u >= c.utilization => best,
                    _ => Some((i, c.utilization)),
                },
            )
    }
}

/// Rounds of the fixed point between arrivals and losses (retries of refused calls, closed
/// workloads' throughput); most scenarios settle in two.
const ROUNDS: usize = 60;

/// Pure and cheap (no simulation); never panics on any Scenario the loader accepts.
pub fn analyse(s: &Scenario) -> Analysis {
    let mut m = flows::Model::new(s);
    for w in 0..s.workloads.len() {
        m.rate[w] = match &s.workloads[w].kind {
            WorkloadKind::Open(a) => a.per_sec() * mean_factor(s, &s.workloads[w].profile),
            WorkloadKind::Closed { .. } => 0.0,
        };
    }
    for _ in 0..ROUNDS {
        let before = (m.lam_total(), m.loss.clone(), m.rate.clone());
        flows::propagate(&mut m);
        timing::solve(&mut m, false);
        timing::closed_rates(&mut m);
        let after = (m.lam_total(), m.loss.clone(), m.rate.clone());
        if settled(&before, &after) {
            break;
        }
    }
    flows::propagate(&mut m);
    timing::solve(&mut m, false);
    let components = timing::component_models(&m);
    let workloads = timing::workload_models(&m, &components);
    let c = cost::monthly(&m, &components);
    Analysis {
        components,
        workloads,
        usd_per_month: c.usd_per_month,
        cost_exact: c.exact,
        cost_by_category: c.by_category,
        cost_by_component: c.by_component,
    }
}

type Snapshot = (Vec<f64>, Vec<f64>, Vec<f64>);

fn settled(a: &Snapshot, b: &Snapshot) -> bool {
    let close = |x: &[f64], y: &[f64]| {
        x.iter()
            .zip(y)
            .all(|(p, q)| (p - q).abs() <= 1e-12 * p.abs().max(q.abs()).max(1e-9))
    };
    close(&a.0, &b.0) && close(&a.1, &b.1) && close(&a.2, &b.2)
}

/// Samples of the rate profile over the measured window.
const PROFILE_SAMPLES: u64 = 4096;

/// The mean of an open workload's rate factor over the measured window (after the warm-up).
fn mean_factor(s: &Scenario, p: &RateProfile) -> f64 {
    match p {
        RateProfile::Constant => 1.0,
        RateProfile::Diurnal { .. } | RateProfile::Ramp { .. } | RateProfile::Step { .. } => {
            let d = s.duration.max(1);
            let sum: f64 = (0..PROFILE_SAMPLES)
                .map(|i| {
                    let t = s.warmup
                        + ((2 * i + 1) as u128 * d as u128 / (2 * PROFILE_SAMPLES) as u128) as u64;
                    p.factor(t)
                })
                .sum();
            sum / PROFILE_SAMPLES as f64
        }
    }
}
