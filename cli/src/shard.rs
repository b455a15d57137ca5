//! `--shard I/N|auto` and `--shard-count N`, shared by `run` and `sweep`: which part of the work
//! this process does when a batch engine (Slurm job arrays, Kubernetes Indexed Jobs, AWS Batch
//! array jobs, a CI matrix) runs the command once per shard. The rules are
//! `sim_core::shard::spec`'s; this file only reads the process's environment for them.

use sim_core::shard::Shard;
use std::process::ExitCode;

/// The sharding options.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ShardArgs {
    /// Do only shard I of N (1-based, such as 3/8) and write a part for `archsim merge` with
    /// --json; `auto` reads the shard from SLURM_ARRAY_TASK_ID (with SLURM_ARRAY_TASK_MIN and
    /// SLURM_ARRAY_TASK_COUNT), JOB_COMPLETION_INDEX (Kubernetes) or AWS_BATCH_JOB_ARRAY_INDEX.
    #[arg(long, value_name = "I/N|auto")]
    pub shard: Option<String>,
    /// The number of shards where the batch engine does not say it (Kubernetes, AWS Batch);
    /// also read from ARCHSIM_SHARD_COUNT.
    #[arg(long, value_name = "N", requires = "shard")]
    pub shard_count: Option<u32>,
}

impl ShardArgs {
    /// The shard to run, `None` for all of the work; a bad or missing index is reported (exit 2).
    pub fn resolve(&self) -> Result<Option<Shard>, ExitCode> {
        let Some(text) = &self.shard else {
            return Ok(None);
        };
        let shard = if text == "auto" {
            sim_core::shard::spec::from_env(|k| std::env::var(k).ok(), self.shard_count)
        } else if self.shard_count.is_some() {
            Err("--shard-count goes with --shard auto; --shard I/N already says the count".into())
        } else {
            sim_core::shard::spec::parse(text)
        };
        shard.map(Some).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })
    }
}
