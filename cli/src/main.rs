//! `archsim`: the command line over `sim-core`. A thin adapter: it reads files, hands their bytes to
//! the core, and prints what comes back (a summary table, JSON, diagnostics, SLO verdicts).
//!
//! Exit codes: 0 success (every SLO holds, for `check`); 1 an SLO fails (`check`); 3 no SLO fails
//! but one is inconclusive (`check`); 2 a file is unreadable or not a valid scenario or report, or
//! a run hit one of the scenario's limits.

mod check;
mod diagnostics;
mod diff;
mod export;
mod html;
mod merge;
mod options;
mod plan;
mod plan_from;
mod pool;
mod read;
mod report_file;
mod shard;
mod summary;
mod sweep;
mod what_if;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--help`'s text: the kinds' names come from their declarations.
fn long_about() -> String {
    // The kinds' names, wrapped under the column the other entries' text starts at.
    let mut lines = vec![String::new()];
    for k in sim_core::scenario::decl::ALL {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && 14 + last.len() + k.name.len() + 2 > 98 {
            lines.push(String::new());
        }
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() {
            last.push(' ');
        }
        last.push_str(k.name);
        last.push(',');
    }
    let kinds = lines.join(&format!("\n{:14}", ""));
    LONG_ABOUT.replace("{kinds}", kinds.trim_end_matches(','))
}

const LONG_ABOUT: &str = "archsim simulates a system described in a YAML scenario file as a \
discrete-event simulation in integer virtual time, and reports end-to-end latency percentiles, \
availability, throughput, utilisation and queueing, monthly cost and recovery, and checks SLOs. \
The same file and seed always give the same report, byte for byte.

A scenario's vocabulary (docs/format.md has every field):
  components  {kinds}
              (replicas, concurrency, service_time, queue_limit, region and zone, autoscale;
              calls with timeouts, retries with backoff, circuit breakers)
  workloads   open (arrivals: { poisson: 400/s }, with rate profiles) or closed (users, think_time)
  faults      region_outage, zone_outage, instance_crash, partition, latency, errors, bad_deploy,
              load_spike, spot_reclaim, cache_flush, replication_lag (at, duration); random
              failures from mtbf/mttr
  slo         p99(w) < 250ms (also mean, p50, p90, p95, p999, max), availability(w) >= 99.9%,
              throughput(w) >= 100/s, utilization(c) < 0.8, cost <= 12000/month, rto <= 5m,
              rpo <= 1s
  cost        USD per month from what the run used, at a built-in price book (`pricing:` overrides)
  recovery    RTO and RPO of every timed fault; an error budget per workload
  durations   250us, 20ms, 1.5s, 10m, 2h, 1d, 5y (runs of years: raise limits.max_simulated_time)";

const AFTER_HELP: &str = "Examples:
  archsim run scenarios/checkout.yaml
  archsim run scenarios/checkout.yaml --seed 7 --json checkout.json
  archsim validate scenarios/*.yaml
  archsim check scenarios/checkout.yaml --junit slo.xml --markdown slo.md
  archsim report scenarios/hpa-flash-sale.yaml --html flash-sale.html
  archsim diff scenarios/dr-3-warm-standby.yaml scenarios/dr-4-hot-standby.yaml --replications 3

Exit codes: 0 success; 1 an SLO fails (check); 3 no SLO fails but one is inconclusive at 95% \
confidence (check); 2 an invalid or unreadable file (scenario or report), or a run stopped at a limit.";

#[derive(Parser)]
#[command(
    name = "archsim",
    version,
    about = "Simulate an architecture described in a scenario file: latency percentiles, availability, utilisation, cost, recovery, and SLO checks.",
    long_about = long_about(),
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and print a summary table (or the JSON report with --json).
    Run {
        /// The scenario file (YAML or JSON).
        file: PathBuf,
        #[command(flatten)]
        run: options::RunOptions,
        /// Write the JSON report to PATH, or to standard output with `-`.
        #[arg(long, value_name = "PATH|-")]
        json: Option<String>,
        #[command(flatten)]
        what_if: what_if::WhatIf,
        #[command(flatten)]
        shard: shard::ShardArgs,
    },
    /// Parse and check scenario files without simulating; errors name the file, line and column.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Simulate scenarios and check their `slo:` targets: exit 0 all hold, 1 one fails, 3 one is inconclusive, 2 a file is invalid.
    Check {
        /// The scenario files (YAML or JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        run: options::RunOptions,
        /// Write a JUnit XML report (one test case per SLO) to PATH.
        #[arg(long, value_name = "PATH")]
        junit: Option<PathBuf>,
        /// Write a Markdown summary (fit for a pull-request comment) to PATH, or `-` for standard output.
        #[arg(long, value_name = "PATH|-")]
        markdown: Option<String>,
        #[command(flatten)]
        what_if: what_if::WhatIf,
    },
    /// Write one self-contained HTML page of a report (a scenario, simulated, or a JSON report), with charts.
    #[command(long_about = html::LONG_ABOUT)]
    Report(html::Args),
    /// Compare two versions of a scenario (or two JSON reports): what changes, and is it significant.
    #[command(long_about = diff::LONG_ABOUT)]
    Diff(diff::Args),
    /// Find the cheapest design that meets every SLO at every load of the file's `plan:` block.
    #[command(long_about = plan::LONG_ABOUT)]
    Plan(plan::Args),
    /// Simulate every point of the file's `plan:` or `sweep:` grid (vary x loads): each SLO, cost and bottleneck per point.
    #[command(long_about = sweep::LONG_ABOUT)]
    Sweep(sweep::Args),
    /// Combine the parts written by `run --shard` or `sweep --shard` into what one process writes.
    #[command(long_about = merge::LONG_ABOUT)]
    Merge(merge::Args),
    /// Write the scenario's graph as a Mermaid flowchart or Graphviz DOT (regions and zones as boxes).
    #[command(long_about = export::LONG_ABOUT)]
    Export(export::Args),
    /// Print the JSON Schema of scenario files, for editors (docs/scenario.schema.json is this output).
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            file,
            run: opts,
            json,
            what_if,
            shard,
        } => run(&file, &opts, json.as_deref(), &what_if, &shard),
        Command::Validate { files } => validate(&files),
        Command::Check {
            files,
            run: opts,
            junit,
            markdown,
            what_if,
        } => check::check(
            &files,
            &opts,
            junit.as_deref(),
            markdown.as_deref(),
            &what_if,
        ),
        Command::Report(args) => html::report(&args),
        Command::Diff(args) => diff::diff(&args),
        Command::Plan(args) => plan::plan(&args),
        Command::Export(args) => export::export(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Schema => {
            print!("{}", sim_core::scenario::decl::schema::text());
            ExitCode::SUCCESS
        }
    }
}

/// A scenario read from disk and checked, or the exit code after the problem has been reported.
pub(crate) fn load(path: &Path) -> Result<sim_core::Loaded, ExitCode> {
    let name = path.display().to_string();
    let bytes = match read::scenario(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(2));
        }
    };
    load_bytes(&name, &bytes)
}

/// A scenario's bytes checked, its messages printed under `name`.
pub(crate) fn load_bytes(name: &str, bytes: &[u8]) -> Result<sim_core::Loaded, ExitCode> {
    match sim_core::load(bytes) {
        Ok(loaded) => {
            diagnostics::emit(name, bytes, &loaded.warnings);
            Ok(loaded)
        }
        Err(diags) => {
            diagnostics::emit(name, bytes, &diags);
            let n = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{name}: {n} error{} found; nothing was simulated",
                if n == 1 { "" } else { "s" }
            );
            Err(ExitCode::from(2))
        }
    }
}

fn run(
    path: &Path,
    opts: &options::RunOptions,
    json: Option<&str>,
    what_if: &what_if::WhatIf,
    shard: &shard::ShardArgs,
) -> ExitCode {
    let shard = match shard.resolve() {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some(shard) = shard {
        return merge::run_shard(path, opts, json, what_if, shard);
    }
    let mut loaded = match what_if::load(path, what_if) {
        Ok(l) => l,
        Err(code) => return code,
    };
    opts.apply(&mut loaded.scenario);
    let report = match options::simulate(&loaded.scenario, opts.threads()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: error: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    if let Some(dest) = json
        && let Err(code) = options::emit(dest, &sim_core::report_json(&report))
    {
        return code;
    }
    if json != Some("-") {
        print!("{}", summary::render(&report));
    }
    ExitCode::SUCCESS
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for f in files {
        match load(f) {
            Ok(l) => println!(
                "{}: ok ({}, {}, {})",
                f.display(),
                plural(l.scenario.components.len(), "component"),
                plural(l.scenario.workloads.len(), "workload"),
                plural(l.scenario.slos.len(), "SLO")
            ),
            Err(c) => code = c,
        }
    }
    code
}

/// `1 workload`, `2 workloads`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
