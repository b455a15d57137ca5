//! A shard's output (a *part*) and the merge of parts. A part carries what merging needs and what
//! proves the parts belong together: the archsim version, the scenario's SHA-256, the seed, the
//! replications, the shard and the work items it holds. For `run`, the items are replications,
//! each with its full result (the streaming histograms in HdrHistogram's V2 format and the sums),
//! and the part carries the scenario text simulated, so the merge builds the report one process
//! would; for `sweep`, the items are whole points.

use super::spec::Shard;
use crate::engine::result::ReplicationResult;
use crate::plan::sweep::{SweepDocument, SweepHeader, SweepPoint};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The part format's version.
pub const FORMAT: u32 = 1;

/// What a part is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `archsim run --shard`: replications.
    Run,
    /// `archsim sweep --shard`: points.
    Sweep,
}

/// A shard's output file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// What the part is of.
    pub archsim_part: PartHeader,
    /// `run`: the replications of this shard, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replications: Vec<ReplicationEntry>,
    /// `sweep`: the points of this shard, in grid order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<SweepPoint>,
}

/// What identifies a part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartHeader {
    /// [`FORMAT`].
    pub format: u32,
    /// The archsim version that wrote it.
    pub archsim: String,
    /// What was sharded.
    pub command: Command,
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of the scenario text (for `run`, after `--set`).
    pub scenario_sha256: String,
    /// The seed simulated.
    pub seed: u64,
    /// Replications of the run, or of every point.
    pub replications: u32,
    /// Which shard this is.
    pub shard: Shard,
    /// Work items in all shards (replications, or points).
    pub total: usize,
    /// The items this shard holds, ascending.
    pub items: Vec<usize>,
    /// `run`: the scenario text simulated (after `--set`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `sweep`: the sweep's header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepHeader>,
}

/// One replication of a run part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationEntry {
    /// Its index (its random streams).
    pub replication: u32,
    /// What it measured.
    pub result: ReplicationResult,
}

/// What merged parts make.
#[derive(Debug)]
pub enum Merged {
    /// The scenario text, its seed and replications, and every replication's result in order:
    /// load the text, set seed and replications, and build the report.
    Run {
        /// The scenario text.
        text: String,
        /// Its seed.
        seed: u64,
        /// Every replication, in order.
        results: Vec<ReplicationResult>,
    },
    /// The sweep one process would write.
    Sweep(SweepDocument),
}

/// The part as JSON text (compact: parts are for machines).
pub fn json(p: &Part) -> String {
    let mut s = serde_json::to_string(p).expect("parts serialise");
    s.push('\n');
    s
}

/// Merges parts, given with the names of their files. Refuses, naming the files, parts of
/// another scenario, seed, replications, version or shard count, and names the items missing or
/// held twice.
pub fn merge(parts: Vec<(String, Part)>) -> Result<Merged, String> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no parts to merge".into());
    };
    let h0 = first.archsim_part.clone();
    let first_name = first_name.clone();
    for (name, p) in &parts {
        same_work(name, p, &first_name, &h0)?;
    }
    let owner = owners(&parts, &h0)?;
    missing_items(&parts, &h0, &owner)?;
    join(parts, &h0)
}

/// Refuses part `p` (from file `name`) unless it is of this archsim's format and of the same
/// work as the first part's header `h0` (from `first_name`), and holds the items it lists.
fn same_work(name: &str, p: &Part, first_name: &str, h0: &PartHeader) -> Result<(), String> {
    let h = &p.archsim_part;
    if h.format != FORMAT {
        return Err(format!(
            "{name} is a part of format {}; this archsim reads format {FORMAT}",
            h.format
        ));
    }
    let differ = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
        Err(format!(
            "{name} and {first_name} are not parts of one {}: {what} {b} against {a}",
            match h0.command {
                Command::Run => "run",
                Command::Sweep => "sweep",
            }
        ))
    };
    if h.archsim != h0.archsim {
        return differ("archsim version", &h0.archsim, &h.archsim);
    }
    if h.command != h0.command {
        return differ("command", &word(h0.command), &word(h.command));
    }
    if h.scenario_sha256 != h0.scenario_sha256 {
        return differ(
            "scenario (SHA-256)",
            &format!("{} ({})", h0.scenario, short(&h0.scenario_sha256)),
            &format!("{} ({})", h.scenario, short(&h.scenario_sha256)),
        );
    }
    if h.seed != h0.seed {
        return differ("seed", &h0.seed, &h.seed);
    }
    if h.replications != h0.replications {
        return differ("replications", &h0.replications, &h.replications);
    }
    if h.text != h0.text || h.sweep != h0.sweep {
        return Err(format!(
            "{name} and {first_name} are not parts of one {}: the same scenario and seed, but other settings (the sweep's variables, loads or confidence, or the run's text)",
            word(h0.command)
        ));
    }
    if h.total != h0.total || h.shard.count != h0.shard.count {
        return differ(
            "shard count",
            &format!("{} ({} items)", h0.shard.count, h0.total),
            &format!("{} ({} items)", h.shard.count, h.total),
        );
    }
    let held: Vec<usize> = match h.command {
        Command::Run => p
            .replications
            .iter()
            .map(|r| r.replication as usize)
            .collect(),
        Command::Sweep => p.points.iter().map(|x| x.point).collect(),
    };
    if held != h.items {
        return Err(format!(
            "{name} is damaged: its header lists {} items but it holds {}",
            h.items.len(),
            held.len()
        ));
    }
    Ok(())
}

/// The file that holds each item; refuses an item out of range or held twice.
fn owners<'a>(
    parts: &'a [(String, Part)],
    h0: &PartHeader,
) -> Result<BTreeMap<usize, &'a str>, String> {
    let mut owner: BTreeMap<usize, &str> = BTreeMap::new();
    for (name, p) in parts {
        for &i in &p.archsim_part.items {
            if i >= h0.total {
                return Err(format!(
                    "{name} holds item {i} of a work of {} items",
                    h0.total
                ));
            }
            if let Some(other) = owner.insert(i, name) {
                return Err(format!(
                    "{} {i} is in both {other} and {name} (shard {} given twice?)",
                    item_word(h0.command),
                    p.archsim_part.shard
                ));
            }
        }
    }
    Ok(owner)
}

/// Refuses parts that leave items out, naming the first of them and the shards not given.
fn missing_items(
    parts: &[(String, Part)],
    h0: &PartHeader,
    owner: &BTreeMap<usize, &str>,
) -> Result<(), String> {
    let missing: Vec<usize> = (0..h0.total).filter(|i| !owner.contains_key(i)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = missing.iter().take(10).map(|i| i.to_string()).collect();
    let present: std::collections::BTreeSet<u32> = parts
        .iter()
        .map(|(_, p)| p.archsim_part.shard.index)
        .collect();
    let absent: Vec<String> = (1..=h0.shard.count)
        .filter(|s| !present.contains(s))
        .map(|s| format!("{s}/{}", h0.shard.count))
        .collect();
    Err(format!(
        "{} missing {}{}{} (of {}); shards not given: {}",
        missing.len(),
        item_word(h0.command),
        if missing.len() == 1 { " " } else { "s " },
        shown.join(", ") + if missing.len() > 10 { ", ..." } else { "" },
        h0.total,
        if absent.is_empty() {
            "none (a part is incomplete)".into()
        } else {
            absent.join(", ")
        }
    ))
}

/// The parts' replications, or sweep points, in order, as one run or sweep.
fn join(parts: Vec<(String, Part)>, h0: &PartHeader) -> Result<Merged, String> {
    match h0.command {
        Command::Run => {
            let mut all: Vec<ReplicationEntry> = parts
                .into_iter()
                .flat_map(|(_, p)| p.replications)
                .collect();
            all.sort_by_key(|r| r.replication);
            Ok(Merged::Run {
                text: h0
                    .text
                    .clone()
                    .ok_or("the run parts carry no scenario text")?,
                seed: h0.seed,
                results: all.into_iter().map(|r| r.result).collect(),
            })
        }
        Command::Sweep => {
            let mut points: Vec<SweepPoint> =
                parts.into_iter().flat_map(|(_, p)| p.points).collect();
            points.sort_by_key(|p| p.point);
            Ok(Merged::Sweep(SweepDocument {
                header: h0
                    .sweep
                    .clone()
                    .ok_or("the sweep parts carry no sweep header")?,
                points,
            }))
        }
    }
}

fn word(c: Command) -> &'static str {
    match c {
        Command::Run => "run",
        Command::Sweep => "sweep",
    }
}

fn item_word(c: Command) -> &'static str {
    match c {
        Command::Run => "replication",
        Command::Sweep => "point",
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}
