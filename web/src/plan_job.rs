//! The browser's planner and sweeps, on the workers' side (pure: the worker glue only posts what
//! [`WorkerState::handle`] returns). A plan runs on several Web Workers at once, in two roles:
//!
//! - the **coordinator** (one worker) holds `sim_core::plan`'s planner, or a sweep's points: it
//!   proposes a batch of jobs, the page spreads the batch over the job workers and hands the
//!   outcomes back in the batch's order; at the end it writes the plan's (or the sweep's) JSON,
//!   the very bytes `archsim plan --json` (`archsim sweep --json`) prints;
//! - each **job worker** opens the same text once and simulates the jobs it is given
//!   ([`sim_core::plan::job::simulate`]), building each candidate at its load once.
//!
//! The planner consumes outcomes in the order it proposed them and every job is simulated the
//! same way wherever it runs, so the answer depends neither on the number of workers nor on which
//! worker ran what (the planner's invariant in ARCHITECTURE.md).
//!
//! Messages are JSON objects with a `kind`:
//!
//! | page to coordinator | answer |
//! |---|---|
//! | `plan_start {id, mode, yaml, seed}` | `plan_batch {id, jobs, progress}`, `plan_done`, `plan_invalid {id, findings}` |
//! | `plan_outcomes {id, outcomes}` | `plan_batch`, `plan_done {id, json, csv, applied, progress}`, `plan_failed {id, message}` |
//!
//! | page to job worker | answer |
//! |---|---|
//! | `plan_open {id, yaml, seed}` | none |
//! | `plan_jobs {id, first, jobs}` | `plan_ran {id, first, outcomes}`, `plan_failed` |
//!
//! Jobs and outcomes are `sim_core::plan`'s own serde types; the page passes them through as
//! JSON values without reading them.

use crate::protocol::Finding;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sim_core::plan::space::{Assignment, at_load};
use sim_core::plan::sweep::{self, PointKey, SweepDocument};
use sim_core::plan::{self, Job, Outcome, Planner, Settings, Space};
use std::collections::BTreeMap;

/// What is planned: the cheapest design (`archsim plan`) or every point (`archsim sweep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Plan,
    Sweep,
}

impl Mode {
    pub fn word(self) -> &'static str {
        match self {
            Mode::Plan => "plan",
            Mode::Sweep => "sweep",
        }
    }

    pub fn from_word(w: &str) -> Option<Mode> {
        match w {
            "plan" => Some(Mode::Plan),
            "sweep" => Some(Mode::Sweep),
            _ => None,
        }
    }
}

/// How far a plan or a sweep has got, shown on the page while it runs (which reads it back as
/// this type).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Candidates in the space (a sweep: points).
    pub candidates: usize,
    /// Candidates decided so far (a sweep: points simulated).
    pub decided: usize,
    /// Replications simulated so far.
    pub replications: u64,
    /// The cheapest feasible candidate so far, and its monthly cost.
    pub best: Option<(Assignment, f64)>,
    /// `search`, `headroom`, `runway` or `done` (a plan); `points` or `done` (a sweep).
    pub phase: String,
}

/// The coordinator's state for one plan or sweep.
pub struct Coordinator {
    space: Space,
    work: Work,
}

enum Work {
    Plan(Box<Planner>),
    Sweep {
        keys: Vec<PointKey>,
        /// Each point's scenario could be built, or why not.
        valid: Vec<Result<(), String>>,
        replications: u32,
        /// The one batch: every valid point's replications, in grid order.
        jobs: Vec<Job>,
        outcomes: Option<Vec<Outcome>>,
    },
}

/// The `plan:` (or `sweep:`) block's space of a file's text, or the loader's findings.
pub fn space(text: &str, seed: Option<u64>) -> Result<Space, Vec<Finding>> {
    let findings =
        |ds: Vec<sim_core::Diagnostic>| ds.iter().map(Finding::from_diagnostic).collect();
    sim_core::load(text.as_bytes()).map_err(findings)?;
    plan::space(text)
        .map(|s| s.with_seed(seed))
        .map_err(findings)
}

impl Coordinator {
    /// Opens a plan or a sweep of `text`; `seed` replaces the file's (as `--seed`).
    pub fn start(text: &str, seed: Option<u64>, mode: Mode) -> Result<Coordinator, Vec<Finding>> {
        let space = space(text, seed)?;
        let work = match mode {
            Mode::Plan => Work::Plan(Box::new(plan::planner(&space, Settings::default()))),
            Mode::Sweep => {
                let keys = sweep::points(&space);
                let replications = sweep::replications(&space, None);
                // A candidate's loads change rates only, never whether it is valid: build each once.
                let mut by_candidate: BTreeMap<usize, Result<(), String>> = BTreeMap::new();
                let valid: Vec<Result<(), String>> = keys
                    .iter()
                    .map(|k| {
                        by_candidate
                            .entry(k.candidate)
                            .or_insert_with(|| space.scenario(k.candidate).map(|_| ()))
                            .clone()
                    })
                    .collect();
                let jobs = keys
                    .iter()
                    .zip(&valid)
                    .filter(|(_, v)| v.is_ok())
                    .flat_map(|(&k, _)| sweep::jobs(k, replications))
                    .collect();
                Work::Sweep {
                    keys,
                    valid,
                    replications,
                    jobs,
                    outcomes: None,
                }
            }
        };
        Ok(Coordinator { space, work })
    }

    /// The next batch of jobs; empty when finished (then [`Coordinator::finish`]).
    pub fn propose(&mut self) -> Vec<Job> {
        match &mut self.work {
            Work::Plan(p) => p.propose(),
            Work::Sweep { jobs, outcomes, .. } => {
                if outcomes.is_some() {
                    Vec::new()
                } else {
                    jobs.clone()
                }
            }
        }
    }

    /// The outcomes of the last batch, in its order. An answer of the wrong length (a page bug)
    /// is refused rather than taken.
    pub fn consume(&mut self, got: Vec<Outcome>) -> Result<(), String> {
        let expected = match &self.work {
            Work::Plan(p) => p.in_flight().len(),
            Work::Sweep { jobs, .. } => jobs.len(),
        };
        if got.len() != expected {
            return Err(format!(
                "the page sent {} outcomes for a batch of {expected} jobs",
                got.len()
            ));
        }
        match &mut self.work {
            Work::Plan(p) => p.consume(got),
            Work::Sweep { outcomes, .. } => *outcomes = Some(got),
        }
        Ok(())
    }

    pub fn progress(&self) -> Progress {
        match &self.work {
            Work::Plan(p) => Progress {
                candidates: p.status.len(),
                decided: p
                    .status
                    .iter()
                    .filter(|s| !matches!(s, plan::search::Status::Open))
                    .count(),
                replications: p.replications,
                best: p.best.map(|b| (self.space.assignment(b), p.priors[b].cost)),
                phase: p.phase_word().into(),
            },
            Work::Sweep { keys, outcomes, .. } => Progress {
                candidates: keys.len(),
                decided: if outcomes.is_some() { keys.len() } else { 0 },
                replications: outcomes.as_ref().map_or(0, |o| o.len() as u64),
                best: None,
                phase: if outcomes.is_some() { "done" } else { "points" }.into(),
            },
        }
    }

    /// The finished plan or sweep: its JSON (the CLI's bytes), a sweep's CSV, and for a plan
    /// with a chosen candidate the file with its values written in ("Apply plan").
    pub fn finish(&self) -> Finished {
        match &self.work {
            Work::Plan(p) => {
                let report = plan::output::build(p, &self.space);
                Finished {
                    json: plan::output::json(&report),
                    csv: None,
                    applied: p.best.and_then(|b| self.space.text_of(b).ok()),
                }
            }
            Work::Sweep {
                keys,
                valid,
                replications,
                outcomes,
                ..
            } => {
                let mut outcomes = outcomes.clone().unwrap_or_default().into_iter();
                let points = keys
                    .iter()
                    .zip(valid)
                    .map(|(&k, v)| {
                        let runs = v
                            .clone()
                            .map(|()| outcomes.by_ref().take(*replications as usize).collect());
                        sweep::point(&self.space, k, runs)
                    })
                    .collect();
                let doc = SweepDocument {
                    header: sweep::header(&self.space, *replications),
                    points,
                };
                Finished {
                    json: sweep::json(&doc),
                    csv: Some(sweep::csv(&doc)),
                    applied: None,
                }
            }
        }
    }
}

/// What a finished plan or sweep hands the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub json: String,
    pub csv: Option<String>,
    pub applied: Option<String>,
}

/// A job worker's copy of the space, and each candidate at each load built once.
pub struct Runner {
    space: Result<Space, String>,
    built: BTreeMap<(usize, u64), Result<sim_core::Scenario, String>>,
}

impl Runner {
    /// Opens `text` for jobs. The coordinator has checked it already (and says so to the user),
    /// so the values are not checked again here.
    pub fn open(text: &str, seed: Option<u64>) -> Runner {
        let space = match sim_core::load(text.as_bytes()) {
            Ok(l) => match l.plan {
                Some(spec) => Ok(Space {
                    text: text.to_string(),
                    spec,
                    base: l.scenario,
                    seed: None,
                }
                .with_seed(seed)),
                None => Err("the scenario has no `plan:` or `sweep:` block".to_string()),
            },
            Err(ds) => Err(ds
                .first()
                .map_or_else(|| "not a valid scenario".into(), |d| d.message.clone())),
        };
        Runner {
            space,
            built: BTreeMap::new(),
        }
    }

    /// Simulates `job` ([`sim_core::plan::job::simulate`] on the candidate at its load).
    pub fn run(&mut self, job: &Job) -> Result<Outcome, String> {
        let space = self.space.as_ref().map_err(Clone::clone)?;
        if job.candidate >= space.len() {
            return Err(format!("no candidate {} in the space", job.candidate));
        }
        let s = self
            .built
            .entry((job.candidate, job.factor.to_bits()))
            .or_insert_with(|| {
                space
                    .scenario(job.candidate)
                    .map(|s| at_load(&s, job.factor))
            });
        Ok(match s {
            Ok(s) => plan::job::simulate(s, job.replication),
            Err(e) => Outcome::failed(space.base.slos.len(), e.clone()),
        })
    }
}

/// A worker's part in plans: the coordinator's state, a job worker's, or both.
#[derive(Default)]
pub struct WorkerState {
    coordinator: Option<(u64, Coordinator)>,
    runner: Option<(u64, Runner)>,
}

fn text(v: &Value) -> String {
    serde_json::to_string(v).expect("JSON values serialise")
}

fn failed(id: u64, message: impl Into<String>) -> String {
    text(&json!({"kind": "plan_failed", "id": id, "message": message.into()}))
}

impl WorkerState {
    /// Answers a plan message (see the module's table), or `None` when `msg` is not one (a
    /// simulation request, `crate::protocol::Request`).
    pub fn handle(&mut self, msg: &Value) -> Option<Vec<String>> {
        let kind = msg.get("kind")?.as_str()?;
        if !kind.starts_with("plan_") {
            return None;
        }
        let id = msg.get("id").and_then(Value::as_u64).unwrap_or(0);
        let yaml = || msg.get("yaml").and_then(Value::as_str).unwrap_or("");
        let seed = msg.get("seed").and_then(Value::as_u64);
        Some(match kind {
            "plan_start" => {
                let Some(mode) = msg
                    .get("mode")
                    .and_then(Value::as_str)
                    .and_then(Mode::from_word)
                else {
                    return Some(vec![failed(id, "a plan needs a mode: `plan` or `sweep`")]);
                };
                match Coordinator::start(yaml(), seed, mode) {
                    Err(findings) => vec![text(&json!({
                        "kind": "plan_invalid",
                        "id": id,
                        "findings": findings,
                    }))],
                    Ok(c) => {
                        self.coordinator = Some((id, c));
                        vec![self.next(id)]
                    }
                }
            }
            "plan_outcomes" => {
                let Some((cid, c)) = self.coordinator.as_mut() else {
                    return Some(vec![failed(id, "no plan is running in this worker")]);
                };
                if *cid != id {
                    return Some(Vec::new());
                }
                let outcomes = msg
                    .get("outcomes")
                    .cloned()
                    .map(serde_json::from_value::<Vec<Outcome>>);
                match outcomes {
                    Some(Ok(o)) => match c.consume(o) {
                        Ok(()) => vec![self.next(id)],
                        Err(e) => vec![failed(id, e)],
                    },
                    _ => vec![failed(id, "the page sent unreadable outcomes")],
                }
            }
            "plan_open" => {
                self.runner = Some((id, Runner::open(yaml(), seed)));
                Vec::new()
            }
            "plan_jobs" => {
                let Some((rid, r)) = self.runner.as_mut().filter(|(rid, _)| *rid == id) else {
                    return Some(vec![failed(
                        id,
                        "jobs for a plan this worker has not opened",
                    )]);
                };
                let first = msg.get("first").and_then(Value::as_u64).unwrap_or(0);
                let jobs = msg
                    .get("jobs")
                    .cloned()
                    .map(serde_json::from_value::<Vec<Job>>);
                let Some(Ok(jobs)) = jobs else {
                    return Some(vec![failed(id, "the page sent unreadable jobs")]);
                };
                let outcomes: Result<Vec<Outcome>, String> =
                    jobs.iter().map(|j| r.run(j)).collect();
                match outcomes {
                    Ok(o) => vec![text(&json!({
                        "kind": "plan_ran",
                        "id": *rid,
                        "first": first,
                        "outcomes": o,
                    }))],
                    Err(e) => vec![failed(id, e)],
                }
            }
            other => vec![failed(id, format!("unknown plan message `{other}`"))],
        })
    }

    /// After a start or a batch's outcomes: the next batch, or the finished plan.
    fn next(&mut self, id: u64) -> String {
        let (_, c) = self.coordinator.as_mut().expect("a coordinator is open");
        let jobs = c.propose();
        if jobs.is_empty() {
            let f = c.finish();
            let progress = c.progress();
            self.coordinator = None;
            text(&json!({
                "kind": "plan_done",
                "id": id,
                "json": f.json,
                "csv": f.csv,
                "applied": f.applied,
                "progress": progress,
            }))
        } else {
            text(&json!({
                "kind": "plan_batch",
                "id": id,
                "jobs": jobs,
                "progress": c.progress(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives a coordinator and `workers` job workers as the page does, handing each worker's
    /// share of a batch in a shuffled order, and returns the coordinator's last answer.
    fn drive(yaml: &str, mode: &str, workers: usize) -> Value {
        let mut coord = WorkerState::default();
        let mut pool: Vec<WorkerState> = (0..workers).map(|_| WorkerState::default()).collect();
        for w in &mut pool {
            let open = json!({"kind": "plan_open", "id": 7, "yaml": yaml, "seed": null});
            assert_eq!(w.handle(&open), Some(Vec::new()));
        }
        let start =
            json!({"kind": "plan_start", "id": 7, "mode": mode, "yaml": yaml, "seed": null});
        let mut answer: Value = serde_json::from_str(&coord.handle(&start).unwrap()[0]).unwrap();
        let mut rounds = 0;
        while answer["kind"] == "plan_batch" {
            rounds += 1;
            let jobs = answer["jobs"].as_array().unwrap().clone();
            let mut outcomes = vec![Value::Null; jobs.len()];
            // Groups of up to three jobs, dealt to the workers back to front.
            let groups: Vec<(usize, Vec<Value>)> = jobs
                .chunks(3)
                .enumerate()
                .map(|(g, c)| (g * 3, c.to_vec()))
                .rev()
                .collect();
            for (n, (first, group)) in groups.into_iter().enumerate() {
                let w = &mut pool[n % workers];
                let msg = json!({"kind": "plan_jobs", "id": 7, "first": first, "jobs": group});
                let ran: Value = serde_json::from_str(&w.handle(&msg).unwrap()[0]).unwrap();
                assert_eq!(ran["kind"], "plan_ran", "{ran}");
                let at = ran["first"].as_u64().unwrap() as usize;
                for (k, o) in ran["outcomes"].as_array().unwrap().iter().enumerate() {
                    outcomes[at + k] = o.clone();
                }
            }
            let msg = json!({"kind": "plan_outcomes", "id": 7, "outcomes": outcomes});
            answer = serde_json::from_str(&coord.handle(&msg).unwrap()[0]).unwrap();
        }
        assert!(rounds > 0);
        answer
    }

    fn example(file: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../scenarios/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn a_plan_on_workers_writes_the_bytes_of_archsim_plan_whatever_their_number() {
        let yaml = example("plan-functions-vs-containers.yaml");
        let space = plan::space(&yaml).unwrap();
        let expected = plan::output::json(&plan::solve(
            &space,
            Settings::default(),
            plan::run_serial(&space),
        ));
        for workers in [1, 3] {
            let done = drive(&yaml, "plan", workers);
            assert_eq!(done["kind"], "plan_done", "{done}");
            assert_eq!(
                done["json"].as_str().unwrap(),
                expected,
                "{workers} workers"
            );
            let applied = done["applied"].as_str().unwrap();
            let best = plan::space(applied).unwrap();
            assert_ne!(applied, yaml, "the chosen values are written in");
            assert!(best.base.components.len() == space.base.components.len());
        }
    }

    /// A small sweep: two variables, two loads.
    const SWEEP: &str = "version: 1\nname: tiny-sweep\nseed: 5\nduration: 60s\nreplications: 3\n\
        components:\n  api: { kind: service, replicas: 1, concurrency: 2, instance: m5.large, service_time: { exponential: 20ms } }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 60/s } } ]\n\
        slo: [ 'p99(web) < 200ms' ]\n\
        sweep:\n  vary:\n    api.replicas: [1, 2]\n    api.concurrency: [1, 4]\n  loads: [1x, 2x]\n";

    #[test]
    fn a_sweep_on_workers_writes_the_bytes_of_archsim_sweep() {
        let yaml = SWEEP.to_string();
        let space = plan::space(&yaml).unwrap();
        let doc = sweep::run_serial(&space, sweep::replications(&space, None));
        for workers in [1, 2] {
            let done = drive(&yaml, "sweep", workers);
            assert_eq!(done["json"].as_str().unwrap(), sweep::json(&doc));
            assert_eq!(done["csv"].as_str().unwrap(), sweep::csv(&doc));
            assert!(done["applied"].is_null());
        }
    }

    #[test]
    fn a_bad_plan_block_is_answered_with_its_place_and_nothing_runs() {
        let yaml = example("plan-functions-vs-containers.yaml").replacen(
            "vary:",
            "vary:\n    nothing.here: 1..3",
            1,
        );
        let mut coord = WorkerState::default();
        let start = json!({"kind": "plan_start", "id": 1, "mode": "plan", "yaml": yaml});
        let answer: Value = serde_json::from_str(&coord.handle(&start).unwrap()[0]).unwrap();
        assert_eq!(answer["kind"], "plan_invalid", "{answer}");
        let f = &answer["findings"][0];
        let line = yaml
            .lines()
            .position(|l| l.contains("nothing.here"))
            .unwrap()
            + 1;
        assert_eq!(f["line"].as_u64().unwrap() as usize, line, "{f}");
    }

    #[test]
    fn malformed_messages_are_answered_not_panicked_on() {
        let mut w = WorkerState::default();
        assert_eq!(
            w.handle(&json!({"id": 1, "yaml": "x"})),
            None,
            "a run request"
        );
        for msg in [
            json!({"kind": "plan_outcomes", "id": 1, "outcomes": []}),
            json!({"kind": "plan_jobs", "id": 1, "jobs": []}),
            json!({"kind": "plan_start", "id": 1, "mode": "fly"}),
            json!({"kind": "plan_later", "id": 1}),
        ] {
            let a: Value = serde_json::from_str(&w.handle(&msg).unwrap()[0]).unwrap();
            assert_eq!(a["kind"], "plan_failed", "{msg}: {a}");
        }
        let yaml = example("plan-functions-vs-containers.yaml");
        w.handle(&json!({"kind": "plan_start", "id": 2, "mode": "plan", "yaml": yaml}));
        let a: Value = serde_json::from_str(
            &w.handle(&json!({"kind": "plan_outcomes", "id": 2, "outcomes": []}))
                .unwrap()[0],
        )
        .unwrap();
        assert_eq!(a["kind"], "plan_failed", "{a}");
        w.handle(&json!({"kind": "plan_open", "id": 3, "yaml": yaml}));
        let bad = json!({"kind": "plan_jobs", "id": 3, "first": 0,
            "jobs": [{"candidate": 99999, "factor": 1.0, "replication": 0}]});
        let a: Value = serde_json::from_str(&w.handle(&bad).unwrap()[0]).unwrap();
        assert_eq!(a["kind"], "plan_failed", "{a}");
    }
}
