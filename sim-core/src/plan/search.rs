//! The planner as a pure state machine: it proposes batches of [`Job`]s and consumes their
//! [`Outcome`]s in proposal order, so its decisions, and the bytes of its report, are the same
//! whoever runs the jobs, on however many threads or workers, in whatever order they finish.
//!
//! The search, cheapest candidate first:
//! 1. Candidates the loader refuses are `invalid`; candidates the analytic model shows overloaded
//!    (utilisation >= 1 at some load: the queue grows without bound, so no latency or availability
//!    target can hold over a long enough run) are `pruned` with that reason. Nothing else is
//!    pruned on a model's word.
//! 2. The next few open candidates ([`Settings::lookahead`], fixed, not the number of threads)
//!    are simulated at every load in rounds of replications on common seeds. After each round an
//!    evaluation (one candidate at one load) is decided per SLO by [`super::verdict`]: `pass` when
//!    every SLO's interval meets its target, `fail` when one SLO's interval misses it, `undecided`
//!    when [`Settings::max_replications`] did not tell.
//! 3. The first candidate in cost order that is feasible, with every cheaper one decided, is the
//!    plan; the candidates after it are `not_needed`. Because each candidate's verdict depends only
//!    on its own replications (the same seeds whatever else is simulated), this is exactly the
//!    candidate an exhaustive search with the same rule would choose.
//! 4. Headroom: bisection on a multiplier of the largest load until the feasible and infeasible
//!    multipliers are within 1 %; runway: bisection on the month of the growth curve.

use super::job::{Job, Outcome};
use super::verdict::{self, Decision, Interval};
use crate::slo::Op;
use std::collections::BTreeMap;

/// How the planner spends simulations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Most replications in all (`--budget`).
    pub budget: u64,
    /// Replications of an evaluation before its first decision.
    pub first: u32,
    /// Replications added per round while an evaluation is open.
    pub step: u32,
    /// Most replications of one evaluation; still open then, it is `undecided`.
    pub max_replications: u32,
    /// Candidates simulated at once.
    pub lookahead: usize,
    /// Simulate every candidate (no pruning, no stopping at the first feasible): the reference the
    /// tests and the benchmark compare the search with.
    pub exhaustive: bool,
    /// Look for headroom and runway once the plan is found (off for `plan --from`, which can
    /// only read the loads a sweep simulated).
    pub probes: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            budget: 20_000,
            first: 3,
            step: 3,
            max_replications: 30,
            lookahead: 4,
            exhaustive: false,
            probes: true,
        }
    }
}

/// What the planner knows of a candidate before simulating it.
#[derive(Clone, Debug, PartialEq)]
pub struct Prior {
    /// The model's monthly cost: the objective, and the search order.
    pub cost: f64,
    /// Whether that cost is exact (fixed fleets) or an estimate (autoscaling, usage pricing).
    pub cost_exact: bool,
    /// At each load of the plan: the model's bottleneck and its utilisation.
    pub bottleneck: Vec<Option<(String, f64)>>,
    /// The loader's objection, for a candidate that is not a valid scenario.
    pub invalid: Option<String>,
}

/// An SLO as the planner decides it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub expr: String,
    pub op: Op,
    pub threshold: f64,
}

/// Where a candidate stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Not decided yet.
    Open,
    Feasible,
    /// Failed an SLO at a load.
    Infeasible(Why),
    /// Provably infeasible without simulating.
    Pruned(String),
    /// Not a valid scenario.
    Invalid(String),
    /// Could not be decided within the replications or the budget.
    Undecided(String),
    /// Not cheaper than the plan: not needed.
    NotNeeded,
}

/// Which SLO decided, at which load, by how much.
#[derive(Clone, Debug, PartialEq)]
pub struct Why {
    /// Index into the plan's loads (or the probe's factor for headroom and runway).
    pub factor: f64,
    /// Index of the SLO; `None` when the run hit a limit.
    pub slo: Option<usize>,
    pub mean: f64,
    pub margin: f64,
    pub reason: Option<String>,
}

/// One candidate at one load: its replications so far and its decision.
#[derive(Clone, Debug, Default)]
pub struct Eval {
    pub outcomes: Vec<Outcome>,
    requested: u32,
    pub state: EvalState,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum EvalState {
    #[default]
    Open,
    Pass,
    Fail(Why),
    Undecided,
}

/// The phase the planner is in.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Search,
    /// Bisection on a multiplier of the largest load: `lo` holds, `hi` does not (`None`: not
    /// found yet, double `lo`).
    Headroom {
        lo: f64,
        hi: Option<f64>,
    },
    /// Bisection on months: `lo` holds, `hi` does not.
    Runway {
        lo: u32,
        hi: u32,
    },
    Done,
}

/// The planner's state.
#[derive(Clone, Debug)]
pub struct Planner {
    pub settings: Settings,
    pub targets: Vec<Target>,
    pub loads: Vec<f64>,
    pub confidence: f64,
    pub growth: Option<super::spec::Growth>,
    pub priors: Vec<Prior>,
    /// Candidates cheapest first (ties in grid order).
    pub order: Vec<usize>,
    pub status: Vec<Status>,
    pub evals: BTreeMap<(usize, u64), Eval>,
    pub best: Option<usize>,
    pub headroom: Option<f64>,
    /// The smallest multiplier found (or modelled) not to hold.
    pub headroom_hi: Option<f64>,
    /// `Some(None)`: holds to the horizon.
    pub runway: Option<Option<u32>>,
    /// Replications simulated.
    pub replications: u64,
    phase: Phase,
    in_flight: Vec<Job>,
}

/// Largest multiplier headroom looks for when the model gives no bound.
const MAX_HEADROOM: f64 = 1000.0;

impl Planner {
    pub fn new(
        priors: Vec<Prior>,
        targets: Vec<Target>,
        spec: &super::spec::PlanSpec,
        settings: Settings,
    ) -> Planner {
        let mut order: Vec<usize> = (0..priors.len()).collect();
        order.sort_by(|&a, &b| priors[a].cost.total_cmp(&priors[b].cost).then(a.cmp(&b)));
        let status = priors
            .iter()
            .map(|p| prior_status(p, &spec.loads, settings.exhaustive))
            .collect();
        Planner {
            settings,
            targets,
            loads: spec.loads.clone(),
            confidence: spec.confidence,
            growth: spec.growth,
            priors,
            order,
            status,
            evals: BTreeMap::new(),
            best: None,
            headroom: None,
            headroom_hi: None,
            runway: None,
            replications: 0,
            phase: Phase::Search,
            in_flight: Vec::new(),
        }
    }

    /// Whether the planner has finished.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The confidence each single SLO-at-a-load decision is made at, so that all of them hold
    /// together at the plan's confidence (Bonferroni).
    pub fn per_decision_confidence(&self) -> f64 {
        let k = (self.targets.len().max(1) * self.loads.len().max(1)) as f64;
        1.0 - (1.0 - self.confidence) / k
    }

    /// The next batch of jobs; empty once the planner is done. Call [`Planner::consume`] with
    /// their outcomes, in this order, before asking again.
    pub fn propose(&mut self) -> Vec<Job> {
        assert!(self.in_flight.is_empty(), "consume the last batch first");
        // Each pass either proposes jobs or moves the phase on; the guard only stops a bug from
        // looping for ever.
        for _ in 0..100_000 {
            if self.phase == Phase::Done {
                return Vec::new();
            }
            let wanted = self.wanted();
            let jobs = self.jobs_for(&wanted);
            if !jobs.is_empty() {
                self.in_flight = jobs.clone();
                return jobs;
            }
            // Nothing to simulate: every wanted evaluation is decided, or the budget is spent.
            self.advance(wanted.is_empty() || self.budget_left() == 0);
        }
        self.phase = Phase::Done;
        Vec::new()
    }

    /// The batch proposed last and not consumed yet (empty when none is out).
    pub fn in_flight(&self) -> &[Job] {
        &self.in_flight
    }

    /// Whether the planner is still searching for the plan (not yet probing headroom or
    /// runway), for progress shown while it runs.
    pub fn phase_word(&self) -> &'static str {
        match self.phase {
            Phase::Search => "search",
            Phase::Headroom { .. } => "headroom",
            Phase::Runway { .. } => "runway",
            Phase::Done => "done",
        }
    }

    /// Takes the outcomes of the last batch, in the order it was proposed.
    pub fn consume(&mut self, outcomes: Vec<Outcome>) {
        assert_eq!(outcomes.len(), self.in_flight.len(), "one outcome per job");
        let jobs = std::mem::take(&mut self.in_flight);
        self.replications += jobs.len() as u64;
        for (job, out) in jobs.iter().zip(outcomes) {
            let e = self
                .evals
                .get_mut(&(job.candidate, job.factor.to_bits()))
                .expect("proposed");
            e.outcomes.push(out);
        }
        let keys: Vec<(usize, u64)> = jobs
            .iter()
            .map(|j| (j.candidate, j.factor.to_bits()))
            .collect();
        for k in keys {
            self.decide(k);
        }
        let touched: Vec<usize> = jobs.iter().map(|j| j.candidate).collect();
        for c in touched {
            if self.status[c] == Status::Open {
                self.status[c] = self.candidate_status(c);
            }
        }
    }

    fn budget_left(&self) -> u64 {
        self.settings.budget.saturating_sub(self.replications)
    }

    /// The evaluations the current phase needs decided, in order.
    fn wanted(&self) -> Vec<(usize, f64)> {
        match &self.phase {
            Phase::Search => {
                // The open candidates up to the first feasible one: nothing after a feasible
                // candidate can be the plan.
                let open = self
                    .order
                    .iter()
                    .copied()
                    .take_while(|&c| self.settings.exhaustive || self.status[c] != Status::Feasible)
                    .filter(|&c| self.status[c] == Status::Open);
                let open: Vec<usize> = if self.settings.exhaustive {
                    open.collect()
                } else {
                    open.take(self.settings.lookahead).collect()
                };
                open.iter()
                    .flat_map(|&c| self.loads.iter().map(move |&f| (c, f)))
                    .filter(|&(c, f)| self.eval_state(c, f) == Some(&EvalState::Open))
                    .collect()
            }
            Phase::Headroom { lo, hi } => {
                let b = self.best.expect("headroom follows a plan");
                vec![(b, self.max_load() * probe_multiplier(*lo, *hi))]
            }
            Phase::Runway { lo, hi } => {
                let b = self.best.expect("runway follows a plan");
                let m = probe_month(*lo, *hi);
                let g = self.growth_at(m);
                self.loads.iter().map(|&f| (b, f * g)).collect()
            }
            Phase::Done => Vec::new(),
        }
    }

    fn eval_state(&self, c: usize, f: f64) -> Option<&EvalState> {
        match self.evals.get(&(c, f.to_bits())) {
            Some(e) => Some(&e.state),
            None => Some(&EvalState::Open),
        }
    }

    fn jobs_for(&mut self, wanted: &[(usize, f64)]) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut left = self.budget_left();
        for &(c, f) in wanted {
            let s = self.settings;
            let e = self.evals.entry((c, f.to_bits())).or_default();
            if e.state != EvalState::Open || e.requested > e.outcomes.len() as u32 {
                continue;
            }
            let want = if e.requested == 0 { s.first } else { s.step };
            let n = want
                .min(s.max_replications.saturating_sub(e.requested))
                .min(left.min(u32::MAX as u64) as u32);
            for r in e.requested..e.requested + n {
                jobs.push(Job {
                    candidate: c,
                    factor: f,
                    replication: r,
                });
            }
            e.requested += n;
            left -= n as u64;
        }
        jobs
    }

    /// Decides one evaluation from its outcomes so far.
    fn decide(&mut self, key: (usize, u64)) {
        let conf = self.per_decision_confidence();
        let s = self.settings;
        let targets = self.targets.clone();
        let e = self.evals.get_mut(&key).expect("known");
        if e.state != EvalState::Open {
            return;
        }
        let factor = f64::from_bits(key.1);
        e.state = decide_eval(
            &e.outcomes,
            &targets,
            conf,
            factor,
            s.first,
            s.max_replications,
        );
    }

    fn candidate_status(&self, c: usize) -> Status {
        let states: Vec<&EvalState> = self
            .loads
            .iter()
            .map(|&f| self.eval_state(c, f).expect("some"))
            .collect();
        if let Some(EvalState::Fail(why)) = states.iter().find(|s| matches!(s, EvalState::Fail(_)))
        {
            return Status::Infeasible(why.clone());
        }
        if states.iter().all(|s| **s == EvalState::Pass) {
            return Status::Feasible;
        }
        if states.iter().any(|s| **s == EvalState::Open) {
            return Status::Open;
        }
        let rare = self.loads.iter().find_map(|&f| {
            let e = self.evals.get(&(c, f.to_bits()))?;
            (0..self.targets.len())
                .find_map(|j| super::job::rare_outages(&e.outcomes, j).map(|(n, k)| (j, n, k)))
        });
        match rare {
            Some((j, name, k)) => Status::Undecided(format!(
                "`{}` rests on {k} outage{} of `{name}` in {} replications, fewer than {}: run longer",
                self.targets[j].expr,
                if k == 1 { "" } else { "s" },
                self.settings.max_replications,
                crate::rare::MIN_EVENTS
            )),
            None => Status::Undecided(format!(
                "not decided within {} replications",
                self.settings.max_replications
            )),
        }
    }

    /// Moves the phase on when its question is answered. `stuck`: nothing more can be simulated
    /// for it (the budget is spent), so an open question counts as not holding.
    fn advance(&mut self, stuck: bool) {
        match self.phase.clone() {
            Phase::Search => self.advance_search(stuck),
            Phase::Headroom { lo, hi } => {
                let b = self.best.expect("plan");
                let m = probe_multiplier(lo, hi);
                let state = self.eval_state(b, self.max_load() * m).cloned();
                match state {
                    Some(EvalState::Open) if !stuck => {}
                    Some(EvalState::Pass) => self.set_headroom(m, hi),
                    _ => self.set_headroom(lo, Some(m)),
                }
            }
            Phase::Runway { lo, hi } => {
                let m = probe_month(lo, hi);
                let b = self.best.expect("plan");
                let g = self.growth_at(m);
                let states: Vec<Option<EvalState>> = self
                    .loads
                    .iter()
                    .map(|&f| self.eval_state(b, f * g).cloned())
                    .collect();
                if states.iter().all(|s| s == &Some(EvalState::Pass)) {
                    self.set_runway(m, hi)
                } else if stuck
                    || states
                        .iter()
                        .any(|s| matches!(s, Some(EvalState::Fail(_) | EvalState::Undecided)))
                {
                    self.set_runway(lo, m)
                }
            }
            Phase::Done => {}
        }
    }

    fn advance_search(&mut self, stuck: bool) {
        if stuck {
            for c in self.order.clone() {
                if self.status[c] == Status::Open {
                    self.status[c] = Status::Undecided("the budget ran out".into());
                }
            }
        }
        let mut best = None;
        for &c in &self.order {
            match self.status[c] {
                Status::Open => return,
                Status::Feasible => {
                    best = Some(c);
                    break;
                }
                Status::Infeasible(_)
                | Status::Pruned(_)
                | Status::Invalid(_)
                | Status::Undecided(_)
                | Status::NotNeeded => {}
            }
        }
        // An exhaustive search goes on until every candidate is decided.
        if self.settings.exhaustive && self.status.contains(&Status::Open) {
            return;
        }
        self.best = best;
        let Some(b) = best else {
            self.phase = Phase::Done;
            return;
        };
        if !self.settings.exhaustive {
            let after: Vec<usize> = self
                .order
                .iter()
                .copied()
                .skip_while(|&c| c != b)
                .skip(1)
                .collect();
            for c in after {
                self.status[c] = Status::NotNeeded;
            }
        }
        if !self.settings.probes {
            self.phase = Phase::Done;
            return;
        }
        // Utilisation grows with the load: at the model's bottleneck utilisation u at the largest
        // load, 1/u times that load saturates it, so headroom lies below 1/u.
        let top = self.max_load_index();
        let hi = self.priors[b].bottleneck[top]
            .as_ref()
            .map(|(_, u)| *u)
            .filter(|u| *u > 0.0)
            .map(|u| 1.0 / u);
        self.set_headroom(1.0, hi);
    }

    fn max_load_index(&self) -> usize {
        let mut top = 0;
        for (i, f) in self.loads.iter().enumerate() {
            if *f > self.loads[top] {
                top = i;
            }
        }
        top
    }

    fn set_headroom(&mut self, lo: f64, hi: Option<f64>) {
        let done = match hi {
            Some(h) => h / lo <= 1.01,
            None => lo * 2.0 * self.max_load() > MAX_HEADROOM,
        };
        if done {
            self.headroom = Some(lo);
            self.headroom_hi = hi;
            self.start_runway();
        } else {
            self.phase = Phase::Headroom { lo, hi };
        }
    }

    /// Runway from the headroom: months whose growth stays within the headroom hold; months
    /// whose growth reaches the infeasible multiplier fail; the months between are probed.
    fn start_runway(&mut self) {
        let Some(g) = self.growth else {
            self.phase = Phase::Done;
            return;
        };
        let h = self.headroom.unwrap_or(1.0);
        let lo = (0..=g.horizon)
            .take_while(|&m| self.growth_at(m) <= h)
            .last()
            .unwrap_or(0);
        let hi = self
            .headroom_hi
            .and_then(|hh| (0..=g.horizon).find(|&m| self.growth_at(m) >= hh))
            .unwrap_or(g.horizon + 1)
            .max(lo + 1);
        self.set_runway(lo, hi);
    }

    /// `lo` holds; `hi` does not (`horizon + 1`: nothing found to fail within the horizon).
    fn set_runway(&mut self, lo: u32, hi: u32) {
        let horizon = self.growth.map_or(0, |g| g.horizon);
        if hi <= lo + 1 {
            self.runway = Some(if hi > horizon { None } else { Some(lo) });
            self.phase = Phase::Done;
        } else {
            self.phase = Phase::Runway { lo, hi };
        }
    }

    fn max_load(&self) -> f64 {
        self.loads.iter().copied().fold(0.0, f64::max)
    }

    /// The growth multiplier after `m` months.
    pub fn growth_at(&self, m: u32) -> f64 {
        let r = self.growth.map_or(0.0, |g| g.rate);
        libm::pow(1.0 + r, m as f64)
    }

    /// Each SLO's interval at `confidence` for one evaluation.
    pub fn intervals(&self, c: usize, f: f64, confidence: f64) -> Vec<Option<Interval>> {
        let Some(e) = self.evals.get(&(c, f.to_bits())) else {
            return vec![None; self.targets.len()];
        };
        (0..self.targets.len())
            .map(|j| values(&e.outcomes, j).map(|xs| verdict::interval(&xs, confidence)))
            .collect()
    }
}

/// The multiplier headroom probes next.
fn probe_multiplier(lo: f64, hi: Option<f64>) -> f64 {
    match hi {
        Some(h) => libm::sqrt(lo * h),
        None => lo * 2.0,
    }
}

fn probe_month(lo: u32, hi: u32) -> u32 {
    (lo + hi) / 2
}

fn prior_status(p: &Prior, loads: &[f64], exhaustive: bool) -> Status {
    if let Some(e) = &p.invalid {
        return Status::Invalid(e.clone());
    }
    if exhaustive {
        return Status::Open;
    }
    for (f, b) in loads.iter().zip(&p.bottleneck) {
        if let Some((name, u)) = b
            && *u >= 1.0
        {
            return Status::Pruned(format!(
                "utilisation of {name} at {}x is {u:.2}",
                crate::plan::format_factor(*f)
            ));
        }
    }
    Status::Open
}

/// The values of SLO `j` over the outcomes, `None` if one replication could not measure it.
fn values(outcomes: &[Outcome], j: usize) -> Option<Vec<f64>> {
    outcomes
        .iter()
        .map(|o| o.slo.get(j).copied().flatten())
        .collect()
}

/// Decides one evaluation (see the module docs).
fn decide_eval(
    outcomes: &[Outcome],
    targets: &[Target],
    confidence: f64,
    factor: f64,
    first: u32,
    max: u32,
) -> EvalState {
    if let Some(err) = outcomes.iter().find_map(|o| o.error.clone()) {
        return EvalState::Fail(Why {
            factor,
            slo: None,
            mean: f64::NAN,
            margin: f64::NEG_INFINITY,
            reason: Some(err),
        });
    }
    for (j, t) in targets.iter().enumerate() {
        if let Some(reason) = outcomes
            .iter()
            .find_map(|o| o.forced_fail.get(j).cloned().flatten())
        {
            let mean =
                values(outcomes, j).map_or(f64::NAN, |xs| verdict::interval(&xs, confidence).mean);
            return EvalState::Fail(Why {
                factor,
                slo: Some(j),
                mean,
                margin: verdict::margin(mean, t.op, t.threshold),
                reason: Some(reason),
            });
        }
    }
    if (outcomes.len() as u32) < first {
        return EvalState::Open;
    }
    let mut all_pass = true;
    let mut worst: Option<Why> = None;
    for (j, t) in targets.iter().enumerate() {
        let Some(xs) = values(outcomes, j) else {
            all_pass = false;
            continue;
        };
        let i = verdict::interval(&xs, confidence);
        // A figure resting on fewer outages than `rare::MIN_EVENTS` decides nothing, either
        // way (as in the report): more replications, until enough outages or the budget.
        if super::job::rare_outages(outcomes, j).is_some() {
            all_pass = false;
            continue;
        }
        match verdict::decide(i, t.op, t.threshold) {
            Decision::Pass => {}
            Decision::Open => all_pass = false,
            Decision::Fail => {
                let m = verdict::margin(i.mean, t.op, t.threshold);
                if worst.as_ref().is_none_or(|w| m < w.margin) {
                    worst = Some(Why {
                        factor,
                        slo: Some(j),
                        mean: i.mean,
                        margin: m,
                        reason: None,
                    });
                }
            }
        }
    }
    match worst {
        Some(w) => EvalState::Fail(w),
        None if all_pass => EvalState::Pass,
        None if outcomes.len() as u32 >= max => EvalState::Undecided,
        None => EvalState::Open,
    }
}
