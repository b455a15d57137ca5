//! The options every simulating command shares (`run`, `check`, `report`, `diff`), defined once
//! with clap and flattened into each command, checked once, and applied to a scenario in one
//! place; and the one way a command writes an output to `PATH` or `-` (standard output).
//!
//! More shared groups sit beside [`RunOptions`] (what-if `--set` in `what_if.rs`, `--shard` in
//! `shard.rs`): each is its own `clap::Args` struct flattened next to it.

use sim_core::Scenario;
use std::io::Write;
use std::process::ExitCode;

/// The most replications a command line asks for (each is a whole simulation).
pub const MAX_REPLICATIONS: u32 = 1000;

/// How to simulate: seed and replications over the file's own.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct RunOptions {
    /// Use this seed instead of the file's `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override the file's `replications` (independent runs; the report gives 95% intervals), 1 to 1000.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_REPLICATIONS as i64))]
    pub replications: Option<u32>,
    /// Threads that run replications (default: every core). The report is the same bytes for
    /// any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
}

impl RunOptions {
    /// Whether any option was given (they mean nothing for a JSON report).
    pub fn any(&self) -> bool {
        self.seed.is_some() || self.replications.is_some()
    }

    /// Threads to simulate on.
    pub fn threads(&self) -> usize {
        self.jobs
            .map_or_else(crate::pool::default_jobs, |j| j as usize)
    }

    /// The scenario with the options applied.
    pub fn apply(&self, s: &mut Scenario) {
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        if let Some(r) = self.replications {
            s.replications = r;
        }
    }
}

/// Every replication of `s` on `threads` threads, and the report built from them in replication
/// order: exactly `sim_core::simulate`'s report, whatever the number of threads.
pub fn simulate(s: &Scenario, threads: usize) -> Result<sim_core::Report, sim_core::SimError> {
    let reps = replications(s, 0..s.replications, threads)?;
    Ok(sim_core::report::build(s, &reps))
}

/// Replications `range` of `s` on `threads` threads, in order.
pub fn replications(
    s: &Scenario,
    range: std::ops::Range<u32>,
    threads: usize,
) -> Result<Vec<sim_core::ReplicationResult>, sim_core::SimError> {
    let items: Vec<u32> = range.collect();
    crate::pool::map(&items, threads, |&r| sim_core::Run::new(s, r).run_to_end())
        .into_iter()
        .collect()
}

/// Writes `text` to the file `dest`, or to standard output when `dest` is `-`; on failure, says
/// so and gives exit code 2.
pub fn emit(dest: &str, text: &str) -> Result<(), ExitCode> {
    if dest == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(text.as_bytes())
            .map_err(|_| ExitCode::from(2));
    }
    std::fs::write(dest, text).map_err(|e| {
        eprintln!("error: cannot write {dest}: {e}");
        ExitCode::from(2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunOptions,
    }

    #[test]
    fn replications_are_checked_once_by_the_parser() {
        let ok = Cli::try_parse_from(["x", "--replications", "1000", "--seed", "7"]).unwrap();
        assert_eq!((ok.run.seed, ok.run.replications), (Some(7), Some(1000)));
        for bad in ["0", "1001", "-3", "two"] {
            let e = Cli::try_parse_from(["x", "--replications", bad])
                .err()
                .expect(bad);
            assert_eq!(e.exit_code(), 2, "{bad}");
        }
    }
}
