//! `archsim report FILE --html OUT`: one self-contained HTML page of a report (inline CSS, inline
//! SVG charts, nothing fetched over the network), to open in a browser or attach to a review.
//!
//! - `mod.rs` (this file): the command: read FILE, tell a JSON report (written by
//!   `archsim run --json`) from a scenario, simulate a scenario, write the page.
//! - `page.rs`: the page: header, tables, per-kind figures, faults, cost; CSS.
//!
//! The charts (drawn with plotters into inline SVG) come from the `report-charts` crate
//! (web/charts/), which the browser app uses too, so both show the same charts of a report.
//!
//! Both inputs take one path: a JSON report file is read back as the typed `Report` that the
//! scenario's simulation gives (`sim_core::report::read`, which round-trips every byte), so a
//! scenario and its `run --json` output render to the same bytes.

mod page;

use sim_core::Report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const LONG_ABOUT: &str = "Write one self-contained HTML page of a report: inline CSS and SVG charts, nothing \
fetched over the network, so it opens offline and can be attached to a review or a ticket.

FILE is either a scenario (YAML or JSON), which is simulated first (--seed and --replications as \
for `run`), or a JSON report written by `archsim run --json`, which is drawn as it is. For the same \
seed both give the same page, byte for byte.

The page has: the SLO verdicts; the workloads with latency percentiles; latency (p50, p99), \
throughput and errors over time per workload; utilisation, queue depth and instance counts over \
time per component; what caches, queues, databases and functions measured; the faults; the cost \
per component and category; the network traffic. On every chart over time the warm-up is shaded \
grey and each fault period (F1, F2, ... as listed under Faults) vermillion.";

const AFTER_HELP: &str = "Examples:
  archsim report scenarios/hpa-flash-sale.yaml --html flash-sale.html
  archsim report scenarios/checkout.yaml --seed 7 --html - > checkout.html
  archsim run scenarios/checkout.yaml --json r.json && archsim report r.json --html r.html

Exit codes: 0 written; 2 invalid scenario (file:line:col: error: ...), unreadable file, a run limit \
hit, or OUT not writable.";

/// The arguments of `archsim report` (its long help is [`LONG_ABOUT`], set on the subcommand).
#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// A scenario (YAML or JSON) to simulate, or a JSON report from `archsim run --json`.
    file: PathBuf,
    /// Write the HTML page to OUT, or to standard output with `-`.
    #[arg(long, value_name = "OUT|-")]
    html: String,
    /// Seed and replications (scenarios only: a JSON report is drawn as it is).
    #[command(flatten)]
    run: crate::options::RunOptions,
    #[command(flatten)]
    what_if: crate::what_if::WhatIf,
}

/// Runs `archsim report`.
pub fn report(args: &Args) -> ExitCode {
    command(args, &args.file, &args.run, &args.html)
}

fn command(args: &Args, path: &Path, opts: &crate::options::RunOptions, out: &str) -> ExitCode {
    let report = match crate::report_file::read(path) {
        Ok(Some(r)) => {
            if opts.any() || !args.what_if.set.is_empty() {
                eprintln!(
                    "{}: warning: this is a JSON report, not a scenario: --seed, --replications and --set are ignored (it was run with seed {})",
                    path.display(),
                    r.seed
                );
            }
            r
        }
        Ok(None) => match simulate(path, opts, &args.what_if) {
            Ok(r) => r,
            Err(code) => return code,
        },
        Err(code) => return code,
    };
    let html = page::render(&report);
    if let Err(code) = crate::options::emit(out, &html) {
        return code;
    }
    if out != "-" {
        println!(
            "{out}: report of {} ({} charts)",
            report.scenario,
            html.matches("<svg").count()
        );
    }
    ExitCode::SUCCESS
}

/// Loads and simulates a scenario.
fn simulate(
    path: &Path,
    opts: &crate::options::RunOptions,
    what_if: &crate::what_if::WhatIf,
) -> Result<Report, ExitCode> {
    let mut loaded = crate::what_if::load(path, what_if)?;
    opts.apply(&mut loaded.scenario);
    crate::options::simulate(&loaded.scenario, opts.threads()).map_err(|e| {
        eprintln!("{}: error: {e}", path.display());
        ExitCode::from(2)
    })
}
