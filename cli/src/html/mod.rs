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
//! Both inputs take one path: a scenario's report is serialised with `sim_core::report_json` and
//! parsed back into a `serde_json::Value`, the same value a JSON report file gives, so a scenario
//! and its `run --json` output render to the same bytes.

mod page;

use serde_json::Value;
use std::io::Write;
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
    /// Use this seed instead of the scenario's `seed` (scenarios only).
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's `replications` (scenarios only).
    #[arg(long)]
    replications: Option<u32>,
    #[command(flatten)]
    what_if: crate::what_if::WhatIf,
}

/// Runs `archsim report`.
pub fn report(args: &Args) -> ExitCode {
    command(args, &args.file, args.seed, args.replications, &args.html)
}

/// Whether `v` looks like a report (rather than a scenario written in JSON): scenarios list their
/// workloads in an array, reports key them by name.
fn is_report(v: &Value) -> bool {
    v["scenario"].is_string() && v["workloads"].is_object()
}

fn command(
    args: &Args,
    path: &Path,
    seed: Option<u64>,
    replications: Option<u32>,
    out: &str,
) -> ExitCode {
    let name = path.display();
    let bytes = match crate::read::bounded(path, crate::read::MAX_REPORT_BYTES) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) if is_report(&v) => {
            if seed.is_some() || replications.is_some() || !args.what_if.set.is_empty() {
                eprintln!(
                    "{name}: warning: this is a JSON report, not a scenario: --seed, --replications and --set are ignored (it was run with seed {})",
                    v["seed"]
                );
            }
            v
        }
        _ => match simulate(path, seed, replications, &args.what_if) {
            Ok(v) => v,
            Err(code) => return code,
        },
    };
    let html = page::render(&report);
    if out == "-" {
        if std::io::stdout().lock().write_all(html.as_bytes()).is_err() {
            return ExitCode::from(2);
        }
    } else {
        if let Err(e) = std::fs::write(out, &html) {
            eprintln!("error: cannot write {out}: {e}");
            return ExitCode::from(2);
        }
        println!(
            "{out}: report of {} ({} charts)",
            report["scenario"].as_str().unwrap_or("?"),
            html.matches("<svg").count()
        );
    }
    ExitCode::SUCCESS
}

/// Loads and simulates a scenario, and returns its report as JSON would give it.
fn simulate(
    path: &Path,
    seed: Option<u64>,
    replications: Option<u32>,
    what_if: &crate::what_if::WhatIf,
) -> Result<Value, ExitCode> {
    let mut loaded = crate::what_if::load(path, what_if)?;
    if let Some(s) = seed {
        loaded.scenario.seed = s;
    }
    if let Some(r) = replications {
        if r == 0 || r > 1000 {
            eprintln!("error: --replications must be from 1 to 1000");
            return Err(ExitCode::from(2));
        }
        loaded.scenario.replications = r;
    }
    let report = sim_core::simulate(&loaded.scenario).map_err(|e| {
        eprintln!("{}: error: {e}", path.display());
        ExitCode::from(2)
    })?;
    Ok(serde_json::from_str(&sim_core::report_json(&report)).expect("a report is valid JSON"))
}
