//! `archsim merge PART...`, and the shard side of `archsim run --shard`: parts written by shards
//! on a batch engine combined into exactly the bytes one process writes. The checks and the merge
//! are `sim_core::shard::part`'s; this file reads and writes the files.

use crate::{options, plan as plan_cmd, summary, what_if};
use sim_core::shard::part::{self, Command, Merged, Part, PartHeader, ReplicationEntry};
use sim_core::shard::{self, Shard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const LONG_ABOUT: &str = "Combines the parts that `archsim run --shard` or `archsim sweep --shard` wrote \
(one per shard, in any order) into exactly the bytes the unsharded command writes: a run's JSON report \
(--json) and summary, or a sweep's JSON (--json) and CSV (--csv).\n\n\
It refuses, with exit code 2 and the files named, parts of another scenario (SHA-256 of its text), seed, \
replications, shard count or archsim version, and names the replications or points missing or held twice.";

#[derive(clap::Args)]
pub struct Args {
    /// The parts (JSON files written by --shard ... --json).
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Write the merged JSON (the report, or the sweep) to PATH, or `-` for standard output.
    #[arg(long, value_name = "PATH|-")]
    pub json: Option<String>,
    /// Write a merged sweep as CSV to PATH, or `-`.
    #[arg(long, value_name = "PATH|-")]
    pub csv: Option<String>,
}

pub fn merge(args: &Args) -> ExitCode {
    let mut parts = Vec::new();
    for p in &args.parts {
        match read_part(p) {
            Ok(part) => parts.push((p.display().to_string(), part)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let merged = match part::merge(parts) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}; nothing was written");
            return ExitCode::from(2);
        }
    };
    match merged {
        Merged::Run {
            text,
            seed,
            results,
        } => {
            if args.csv.is_some() {
                eprintln!(
                    "error: --csv is for sweeps; a run's merge writes its report with --json"
                );
                return ExitCode::from(2);
            }
            let mut loaded = match sim_core::load(text.as_bytes()) {
                Ok(l) => l,
                Err(_) => {
                    eprintln!(
                        "error: the parts' scenario text is not a valid scenario for this archsim"
                    );
                    return ExitCode::from(2);
                }
            };
            loaded.scenario.seed = seed;
            loaded.scenario.replications = results.len() as u32;
            let report = sim_core::report::build(&loaded.scenario, &results);
            if let Some(dest) = &args.json
                && let Err(code) = options::emit(dest, &sim_core::report_json(&report))
            {
                return code;
            }
            if args.json.as_deref() != Some("-") {
                print!("{}", summary::render(&report));
            }
            ExitCode::SUCCESS
        }
        Merged::Sweep(doc) => {
            if args.json.is_none() && args.csv.is_none() {
                eprintln!("error: say what to write: --json PATH|- and/or --csv PATH|-");
                return ExitCode::from(2);
            }
            let mut out = Ok(());
            if let Some(dest) = &args.json {
                out = out.and(plan_cmd::write_to(dest, &sim_core::plan::sweep::json(&doc)));
            }
            if let Some(dest) = &args.csv {
                out = out.and(plan_cmd::write_to(dest, &sim_core::plan::sweep::csv(&doc)));
            }
            match out {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
    }
}

/// A part file, read and typed; the message names the file.
pub fn read_part(p: &Path) -> Result<Part, String> {
    let name = p.display();
    let bytes = std::fs::read(p).map_err(|e| format!("cannot read {name}: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{name} is not JSON ({e}); expected a part written by --shard"))?;
    if v.get("archsim_part").is_none() {
        return Err(format!(
            "{name} is not an archsim part (no `archsim_part` key); expected a file written by `run --shard` or `sweep --shard` with --json"
        ));
    }
    serde_json::from_value(v).map_err(|e| format!("{name} is a damaged archsim part: {e}"))
}

/// `archsim run FILE --shard I/N --json PART`: this shard's replications, with what the merge needs.
pub fn run_shard(
    path: &Path,
    opts: &options::RunOptions,
    json: Option<&str>,
    what_if: &what_if::WhatIf,
    s: Shard,
) -> ExitCode {
    let Some(dest) = json else {
        eprintln!(
            "error: a shard writes its part with --json PATH; `archsim merge` turns the parts into the report"
        );
        return ExitCode::from(2);
    };
    let (text, name) = match what_if::text(path, what_if) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut loaded = match crate::load_bytes(&name, text.as_bytes()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    opts.apply(&mut loaded.scenario);
    let sc = &loaded.scenario;
    let range = shard::assign::replications_of(sc.replications, s);
    let results = match options::replications(sc, range.clone(), opts.threads()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: error: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let part = Part {
        archsim_part: PartHeader {
            format: part::FORMAT,
            archsim: shard::VERSION.into(),
            command: Command::Run,
            scenario: sc.name.clone(),
            scenario_sha256: shard::scenario_hash(&text),
            seed: sc.seed,
            replications: sc.replications,
            shard: s,
            total: sc.replications as usize,
            items: range.clone().map(|r| r as usize).collect(),
            text: Some(text.clone()),
            sweep: None,
        },
        replications: range
            .zip(results)
            .map(|(replication, result)| ReplicationEntry {
                replication,
                result,
            })
            .collect(),
        points: Vec::new(),
    };
    if let Err(code) = options::emit(dest, &part::json(&part)) {
        return code;
    }
    if dest != "-" {
        eprintln!(
            "shard {s}: {} of {} replications written to {dest}",
            part.replications.len(),
            sc.replications
        );
    }
    ExitCode::SUCCESS
}
