//! The capacity planner and sweeps: what is the cheapest design of this shape that meets every
//! SLO under every load, and for how long as traffic grows? (`../shared/design/planner.md`.)
//!
//! - [`spec`]: the `plan:` / `sweep:` block, parsed with spans;
//! - [`space`]: the candidates (the file's text with values substituted, loaded as a file);
//! - [`prior`]: cost and the analytic bottleneck of each candidate before simulating;
//! - [`job`]: one replication of one candidate at one load, and its outcome;
//! - [`verdict`]: deciding an SLO from replications at a confidence;
//! - [`search`]: the planner, a pure state machine proposing jobs and consuming outcomes;
//! - [`output`]: the plan report (the JSON contract);
//! - [`sweep`]: every point of the grid, for charts, shards and `plan --from`.
//!
//! Whoever runs the jobs (threads, Web Workers, a batch engine) drives the same loop:
//! `let jobs = planner.propose(); ...; planner.consume(outcomes)` until `propose` returns none.

pub mod job;
pub mod output;
pub mod prior;
pub mod search;
pub mod space;
pub mod spec;
pub mod sweep;
pub mod verdict;

pub use job::{Job, Outcome};
pub use output::{PlanDocument, PlanReport, PlanStatus};
pub use search::{Planner, Settings};
pub use space::Space;
pub use spec::PlanSpec;

use crate::diagnostic::Diagnostic;

/// A load factor as users write it: `3`, `1.5`, `0.25`.
pub fn format_factor(f: f64) -> String {
    let s = format!("{f:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Reads a scenario with a `plan:` (or `sweep:`) block and checks every value of every variable
/// with the loader. Errors point into the file.
pub fn space(text: &str) -> Result<Space, Vec<Diagnostic>> {
    let loaded = crate::load(text.as_bytes())?;
    let Some(spec) = loaded.plan else {
        let span = crate::diagnostic::Span::point(crate::yaml::pos_of_byte(text.as_bytes(), 0));
        return Err(vec![Diagnostic::error(
            span,
            "the scenario has no `plan:` block; expected `plan:` with `vary:`, such as `plan: { vary: { api.replicas: 2..10 } }`",
        )]);
    };
    let space = Space {
        text: text.to_string(),
        spec,
        base: loaded.scenario,
        seed: None,
    };
    let errors = space.check_values();
    if errors.is_empty() {
        Ok(space)
    } else {
        Err(errors)
    }
}

/// A planner for the space, with each candidate's prior computed.
pub fn planner(space: &Space, settings: Settings) -> Planner {
    let targets = space
        .base
        .slos
        .iter()
        .map(|s| search::Target {
            expr: s.expr.clone(),
            op: s.op,
            threshold: s.threshold,
        })
        .collect();
    Planner::new(prior::priors(space), targets, &space.spec, settings)
}

/// Runs a plan to the end on one thread (tests, small plans); `run` turns a batch of jobs into
/// outcomes in the same order.
pub fn solve(
    space: &Space,
    settings: Settings,
    mut run: impl FnMut(&[Job]) -> Vec<Outcome>,
) -> PlanReport {
    let mut p = planner(space, settings);
    loop {
        let jobs = p.propose();
        if jobs.is_empty() {
            break;
        }
        let outcomes = run(&jobs);
        p.consume(outcomes);
    }
    output::build(&p, space)
}

/// Runs jobs one after another, building each candidate at its load once.
pub fn run_serial(space: &Space) -> impl FnMut(&[Job]) -> Vec<Outcome> + '_ {
    let mut cache: std::collections::BTreeMap<(usize, u64), crate::Scenario> =
        std::collections::BTreeMap::new();
    move |jobs: &[Job]| {
        jobs.iter()
            .map(|j| {
                let s = cache
                    .entry((j.candidate, j.factor.to_bits()))
                    .or_insert_with(|| {
                        let s = space.scenario(j.candidate).expect("valid candidates only");
                        space::at_load(&s, j.factor)
                    });
                job::simulate(s, j.replication)
            })
            .collect()
    }
}
