//! The plan report: the JSON contract of `archsim plan` (`../shared/design/planner.md`), built
//! from a finished [`Planner`]. Typed both ways, so the browser and `plan --from` read it as
//! this type, never by string keys.

use super::search::{Planner, Status, Why};
use super::space::{Assignment, Space};
use super::verdict;
use crate::report::Verdict;
use serde::{Deserialize, Serialize};

/// The whole document: `{ "plan": ... }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDocument {
    pub plan: PlanReport,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanReport {
    pub scenario: String,
    pub seed: u64,
    /// `found`, `none` or `undecided`.
    pub status: PlanStatus,
    /// The objective: always `cost.usd_per_month`.
    pub objective: String,
    pub confidence: f64,
    /// The confidence of each single SLO-at-a-load decision (Bonferroni over SLOs and loads).
    pub per_decision_confidence: f64,
    pub loads: Vec<f64>,
    /// The cheapest feasible candidate (also with status `undecided`: the cheapest found, with
    /// cheaper candidates left undecided).
    pub best: Option<Best>,
    /// Every candidate of the space, cheapest first.
    pub candidates: Vec<CandidateReport>,
    /// The largest multiplier of the largest load at which `best` stays feasible (to 1 %).
    pub headroom: Option<f64>,
    /// The last month at which `best` holds at every load grown by `growth`; `null` if it holds
    /// to the horizon (and also without `growth`: see `growth`).
    pub runway_months: Option<u32>,
    pub growth: Option<GrowthReport>,
    pub evaluations: Evaluations,
    /// `plan --from`: the sweep the verdicts were read from (nothing was simulated; headroom and
    /// runway need loads the sweep did not simulate, so they are `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_sweep: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    Found,
    None,
    Undecided,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Best {
    pub assignment: Assignment,
    pub cost_usd_per_month: f64,
    /// Whether the cost is exact before simulating (fixed fleets) or the model's estimate.
    pub cost_exact: bool,
    /// One entry per load of the plan, in the plan's order.
    pub loads: Vec<LoadReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    pub load: f64,
    pub replications: u32,
    /// The simulated monthly cost at this load (mean over replications).
    pub simulated_cost_usd_per_month: f64,
    pub slo: Vec<SloAtLoad>,
    pub bottleneck: Option<Bottleneck>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SloAtLoad {
    pub expr: String,
    pub value: Option<f64>,
    /// The 95 % interval of the mean (`null` with one replication).
    pub ci95: Option<[f64; 2]>,
    /// The interval the verdict was decided on (at `per_decision_confidence`).
    pub interval: Option<[f64; 2]>,
    pub verdict: Verdict,
    /// Relative distance to the target, positive on the passing side.
    pub margin: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bottleneck {
    pub component: String,
    pub utilization: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateReport {
    pub assignment: Assignment,
    /// `null` for a candidate that is not a valid scenario.
    pub cost_usd_per_month: Option<f64>,
    pub status: CandidateStatus,
    /// The SLO and load that decided an infeasible candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<DecidedBy>,
    /// Why a candidate was pruned, invalid or undecided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Replications simulated for this candidate.
    pub replications: u32,
    /// The bottleneck: simulated at the deciding load where simulated, else the model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottleneck: Option<Bottleneck>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateStatus {
    Feasible,
    Infeasible,
    Pruned,
    Undecided,
    NotNeeded,
    /// Not a valid scenario (an extension of the contract's statuses).
    Invalid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecidedBy {
    /// `null` when the run hit one of the scenario's limits.
    pub slo: Option<String>,
    pub load: f64,
    pub value: Option<f64>,
    pub margin: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrowthReport {
    pub rate_per_month: f64,
    pub horizon_months: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluations {
    /// Candidate-load evaluations simulated (headroom and runway probes included).
    pub simulations: u64,
    pub replications: u64,
    pub candidates: u64,
    pub candidates_simulated: u64,
}

pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The plan as JSON text, as `archsim plan --json` writes it (pretty, final newline): the browser's
/// Plan tab writes the same bytes.
pub fn json(report: &PlanReport) -> String {
    let doc = PlanDocument {
        plan: report.clone(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("plans serialise");
    s.push('\n');
    s
}

/// Builds the report of a finished planner.
pub fn build(p: &Planner, space: &Space) -> PlanReport {
    let candidates: Vec<CandidateReport> =
        p.order.iter().map(|&c| candidate(p, space, c)).collect();
    let undecided_cheaper = p
        .order
        .iter()
        .take_while(|&&c| Some(c) != p.best)
        .any(|&c| matches!(p.status[c], Status::Undecided(_)));
    let status = match (p.best, undecided_cheaper) {
        (Some(_), false) => PlanStatus::Found,
        (_, true) => PlanStatus::Undecided,
        (None, false) => PlanStatus::None,
    };
    let simulated: std::collections::BTreeSet<usize> = p
        .evals
        .iter()
        .filter(|(_, e)| !e.outcomes.is_empty())
        .map(|((c, _), _)| *c)
        .collect();
    PlanReport {
        scenario: space.base.name.clone(),
        seed: space.base.seed,
        status,
        objective: "cost.usd_per_month".into(),
        confidence: p.confidence,
        per_decision_confidence: p.per_decision_confidence(),
        loads: p.loads.clone(),
        best: p.best.map(|b| best(p, space, b)),
        candidates,
        headroom: p.headroom,
        runway_months: p.runway.flatten(),
        growth: p.growth.map(|g| GrowthReport {
            rate_per_month: g.rate,
            horizon_months: g.horizon,
        }),
        evaluations: Evaluations {
            simulations: p.evals.values().filter(|e| !e.outcomes.is_empty()).count() as u64,
            replications: p.replications,
            candidates: space.len() as u64,
            candidates_simulated: simulated.len() as u64,
        },
        from_sweep: None,
    }
}

fn best(p: &Planner, space: &Space, b: usize) -> Best {
    let conf = p.per_decision_confidence();
    let loads = p
        .loads
        .iter()
        .map(|&f| {
            let e = p.evals.get(&(b, f.to_bits()));
            let outcomes = e.map_or(&[][..], |e| &e.outcomes[..]);
            let ci95 = p.intervals(b, f, 0.95);
            let at = p.intervals(b, f, conf);
            let slo = p
                .targets
                .iter()
                .enumerate()
                .map(|(j, t)| {
                    let i = at[j];
                    SloAtLoad {
                        expr: t.expr.clone(),
                        value: i.and_then(|i| finite(i.mean)),
                        ci95: ci95[j]
                            .filter(|i| i.lo.is_finite() && i.hi.is_finite())
                            .map(|i| [i.lo, i.hi]),
                        interval: i
                            .filter(|i| i.lo.is_finite() && i.hi.is_finite())
                            .map(|i| [i.lo, i.hi]),
                        verdict: match i.map(|i| verdict::decide(i, t.op, t.threshold)) {
                            Some(verdict::Decision::Pass) => Verdict::Pass,
                            Some(verdict::Decision::Fail) => Verdict::Fail,
                            Some(verdict::Decision::Open) | None => Verdict::Inconclusive,
                        },
                        margin: i.and_then(|i| finite(verdict::margin(i.mean, t.op, t.threshold))),
                    }
                })
                .collect();
            LoadReport {
                load: f,
                replications: outcomes.len() as u32,
                simulated_cost_usd_per_month: mean(outcomes.iter().map(|o| o.cost)),
                slo,
                bottleneck: simulated_bottleneck(outcomes),
            }
        })
        .collect();
    Best {
        assignment: space.assignment(b),
        cost_usd_per_month: p.priors[b].cost,
        cost_exact: p.priors[b].cost_exact,
        loads,
    }
}

pub(crate) fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { s / n as f64 }
}

/// The component most often the bottleneck over the replications, with its mean utilisation.
pub(crate) fn simulated_bottleneck(outcomes: &[super::job::Outcome]) -> Option<Bottleneck> {
    let mut by: std::collections::BTreeMap<&str, (usize, f64)> = std::collections::BTreeMap::new();
    for o in outcomes {
        if let Some((c, u)) = &o.bottleneck {
            let e = by.entry(c.as_str()).or_default();
            e.0 += 1;
            e.1 += u;
        }
    }
    by.into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))
        .map(|(c, (n, u))| Bottleneck {
            component: c.to_string(),
            utilization: u / n as f64,
        })
}

fn candidate(p: &Planner, space: &Space, c: usize) -> CandidateReport {
    let replications: u32 = p
        .evals
        .range((c, 0)..=(c, u64::MAX))
        .map(|(_, e)| e.outcomes.len() as u32)
        .sum();
    let (status, decided_by, reason) = match &p.status[c] {
        Status::Feasible => (CandidateStatus::Feasible, None, None),
        Status::Infeasible(why) => (
            CandidateStatus::Infeasible,
            Some(decided_by(p, why)),
            why.reason.clone(),
        ),
        Status::Pruned(r) => (CandidateStatus::Pruned, None, Some(r.clone())),
        Status::Invalid(r) => (CandidateStatus::Invalid, None, Some(r.clone())),
        Status::Undecided(r) => (CandidateStatus::Undecided, None, Some(r.clone())),
        Status::NotNeeded => (CandidateStatus::NotNeeded, None, None),
        // A finished planner has no open candidates; one left open was never reached.
        Status::Open => (CandidateStatus::NotNeeded, None, None),
    };
    let bottleneck = match &p.status[c] {
        Status::Infeasible(why) => p
            .evals
            .get(&(c, why.factor.to_bits()))
            .and_then(|e| simulated_bottleneck(&e.outcomes)),
        Status::Feasible | Status::Undecided(_) | Status::NotNeeded | Status::Open => {
            let top = p.loads.len().saturating_sub(1);
            p.loads
                .get(top)
                .and_then(|&f| p.evals.get(&(c, f.to_bits())))
                .and_then(|e| simulated_bottleneck(&e.outcomes))
        }
        Status::Pruned(_) | Status::Invalid(_) => None,
    }
    .or_else(|| {
        p.priors[c]
            .bottleneck
            .iter()
            .flatten()
            .last()
            .map(|(n, u)| Bottleneck {
                component: n.clone(),
                utilization: *u,
            })
    });
    CandidateReport {
        assignment: space.assignment(c),
        cost_usd_per_month: finite(p.priors[c].cost),
        status,
        decided_by,
        reason,
        replications,
        bottleneck,
    }
}

fn decided_by(p: &Planner, why: &Why) -> DecidedBy {
    DecidedBy {
        slo: why.slo.map(|j| p.targets[j].expr.clone()),
        load: why.factor,
        value: finite(why.mean),
        margin: finite(why.margin),
    }
}
