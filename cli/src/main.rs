//! `archsim`: the command line over `sim-core`. A thin adapter: it reads files, hands their bytes to
//! the core, and prints what comes back (a summary table, JSON, diagnostics, SLO verdicts).
//!
//! Exit codes: 0 success (every SLO holds, for `check`); 1 an SLO fails (`check`); 2 a file is
//! unreadable or not a valid scenario, or a run hit one of the scenario's limits.

mod check;
mod diagnostics;
mod diff;
mod export;
mod html;
mod plan;
mod pool;
mod read;
mod summary;
mod what_if;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "archsim",
    version,
    about = "Simulate an architecture described in a scenario file: latency percentiles, availability, utilisation, and SLO checks.",
    long_about = "archsim simulates a system described in a YAML scenario file (services with replicas and \
concurrency, synchronous calls, open and closed workloads) as a discrete-event simulation, and reports \
end-to-end latency percentiles, availability, throughput and per-component utilisation and queueing.\n\n\
The same file and seed always give the same report, byte for byte.",
    after_help = "Examples:\n  archsim run scenarios/mm1.yaml\n  archsim run scenarios/mm1.yaml --seed 7 --json -\n  \
archsim validate scenarios/*.yaml\n  archsim check scenarios/checkout.yaml --junit slo.xml --markdown slo.md\n  \
archsim report scenarios/hpa-flash-sale.yaml --html flash-sale.html\n\n\
Exit codes: 0 ok; 1 an SLO failed (check); 2 invalid scenario, unreadable file, or a run limit hit."
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
        /// Use this seed instead of the file's `seed`.
        #[arg(long)]
        seed: Option<u64>,
        /// Override the file's `replications` (independent runs; the report gives 95% intervals).
        #[arg(long)]
        replications: Option<u32>,
        /// Write the JSON report to PATH, or to standard output with `-`.
        #[arg(long, value_name = "PATH|-")]
        json: Option<String>,
        #[command(flatten)]
        what_if: what_if::WhatIf,
    },
    /// Parse and check scenario files without simulating; errors name the file, line and column.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Simulate scenarios and check their `slo:` targets: exit 0 if all hold, 1 if one fails, 2 if a file is invalid.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Use this seed instead of each file's `seed`.
        #[arg(long)]
        seed: Option<u64>,
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
    /// Write the scenario's graph as a Mermaid flowchart or Graphviz DOT (regions and zones as boxes).
    #[command(long_about = export::LONG_ABOUT)]
    Export(export::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            file,
            seed,
            replications,
            json,
            what_if,
        } => run(&file, seed, replications, json.as_deref(), &what_if),
        Command::Validate { files } => validate(&files),
        Command::Check {
            files,
            seed,
            junit,
            markdown,
            what_if,
        } => check::check(
            &files,
            seed,
            junit.as_deref(),
            markdown.as_deref(),
            &what_if,
        ),
        Command::Report(args) => html::report(&args),
        Command::Diff(args) => diff::diff(&args),
        Command::Plan(args) => plan::plan(&args),
        Command::Export(args) => export::export(&args),
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
    seed: Option<u64>,
    replications: Option<u32>,
    json: Option<&str>,
    what_if: &what_if::WhatIf,
) -> ExitCode {
    let mut loaded = match what_if::load(path, what_if) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(s) = seed {
        loaded.scenario.seed = s;
    }
    if let Some(r) = replications {
        if r == 0 || r > 1000 {
            eprintln!("error: --replications must be from 1 to 1000");
            return ExitCode::from(2);
        }
        loaded.scenario.replications = r;
    }
    let report = match sim_core::simulate(&loaded.scenario) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: error: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    match json {
        Some("-") => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(sim_core::report_json(&report).as_bytes())
                .is_err()
            {
                return ExitCode::from(2);
            }
        }
        Some(p) => {
            if let Err(e) = std::fs::write(p, sim_core::report_json(&report)) {
                eprintln!("error: cannot write {p}: {e}");
                return ExitCode::from(2);
            }
            print!("{}", summary::render(&report));
        }
        None => print!("{}", summary::render(&report)),
    }
    ExitCode::SUCCESS
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for f in files {
        match load(f) {
            Ok(l) => println!(
                "{}: ok ({} components, {} workloads, {} SLOs)",
                f.display(),
                l.scenario.components.len(),
                l.scenario.workloads.len(),
                l.scenario.slos.len()
            ),
            Err(c) => code = c,
        }
    }
    code
}
