//! `archsim plan FILE --from SWEEP.json`: the plan chosen from a sweep already simulated (on this
//! machine, or sharded on a cluster and merged), without simulating again. The planner runs as
//! always, with its jobs answered from the sweep's recorded replications: the same candidates in
//! the same order, the same pruning and the same sequential verdicts, up to the replications the
//! sweep has. Headroom and runway need loads the sweep did not simulate, so they are `null`.

use sim_core::plan::sweep::SweepDocument;
use sim_core::plan::{self, Job, Outcome, PlanReport, Settings, Space};
use std::path::Path;
use std::process::ExitCode;

/// The plan from the sweep at `from`; a sweep of another file, seed or grid is refused (exit 2).
pub fn solve(space: &Space, seed: Option<u64>, from: &Path) -> Result<PlanReport, ExitCode> {
    let name = from.display().to_string();
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(2)
    };
    let bytes = std::fs::read(from).map_err(|e| fail(format!("cannot read {name}: {e}")))?;
    let doc: SweepDocument = serde_json::from_slice(&bytes).map_err(|e| {
        fail(format!(
            "{name} is not a sweep ({e}); expected the JSON of `archsim sweep FILE --json` or of `archsim merge`"
        ))
    })?;
    let h = &doc.header;
    let hash = sim_core::shard::scenario_hash(&space.text);
    if h.scenario_sha256 != hash {
        return Err(fail(format!(
            "{name} is a sweep of another scenario text (SHA-256 {}, this file's is {}); sweep this file again",
            &h.scenario_sha256[..12.min(h.scenario_sha256.len())],
            &hash[..12]
        )));
    }
    if let Some(s) = seed
        && s != h.seed
    {
        return Err(fail(format!(
            "{name} was swept with seed {}, not {s}; drop --seed or sweep with --seed {s}",
            h.seed
        )));
    }
    if h.archsim != sim_core::shard::VERSION {
        return Err(fail(format!(
            "{name} was written by archsim {}; this is {}",
            h.archsim,
            sim_core::shard::VERSION
        )));
    }
    let loads = &space.spec.loads;
    if doc.points.len() != space.len() * loads.len()
        || doc.points.iter().enumerate().any(|(i, p)| p.point != i)
    {
        return Err(fail(format!(
            "{name} does not hold every point of the grid ({} of {}); merge every shard",
            doc.points.len(),
            space.len() * loads.len()
        )));
    }
    let space = space.clone().with_seed(Some(h.seed));
    let r = h.replications;
    let settings = Settings {
        budget: u64::MAX,
        first: Settings::default().first.min(r),
        max_replications: r,
        probes: false,
        ..Settings::default()
    };
    let answer = |jobs: &[Job]| -> Vec<Outcome> {
        jobs.iter()
            .map(|j| {
                let l = loads
                    .iter()
                    .position(|f| f.to_bits() == j.factor.to_bits())
                    .expect("the planner asks for the plan's loads only without probes");
                let p = &doc.points[j.candidate * loads.len() + l];
                p.runs
                    .get(j.replication as usize)
                    .cloned()
                    .unwrap_or_else(|| {
                        Outcome::failed(
                            space.base.slos.len(),
                            p.error
                                .clone()
                                .unwrap_or_else(|| "the sweep has no such replication".into()),
                        )
                    })
            })
            .collect()
    };
    let mut report = plan::solve(&space, settings, answer);
    report.from_sweep = Some(name);
    Ok(report)
}
