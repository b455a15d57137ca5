//! `archsim sweep FILE`: every point of the grid of the file's `plan:` or `sweep:` block (each
//! candidate of `vary` at each factor of `loads`), simulated with the same replications on the
//! same seeds, as JSON for charts and `plan --from`, CSV for spreadsheets, or a table for people.
//! With `--shard I/N` it does only its shard's points and writes a part for `archsim merge`. The
//! points are `sim_core::plan::sweep`'s; this file runs their replications on threads.

use crate::{plan as plan_cmd, pool};
use sim_core::plan::sweep::{self, PointKey, SweepDocument, SweepPoint};
use sim_core::plan::{Outcome, Space};
use sim_core::shard::{self, Shard};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

pub const LONG_ABOUT: &str = "Simulates every point of the grid of the file's `plan:` or `sweep:` block: each \
combination of the `vary:` values at each load factor of `loads:`, every point with the same replications \
on the same seeds. For each point: every SLO's value, 95% interval and verdict (at the block's confidence), \
the simulated monthly cost and the bottleneck component.\n\n\
Outputs: --json (top-level `points`, in grid order: the first variable slowest, the load fastest), --csv \
(one row per point), or a table. `archsim plan FILE --from SWEEP.json` chooses the plan from a sweep \
without simulating again.\n\n\
Scale-out: --shard I/N (or --shard auto on Slurm, Kubernetes Indexed Jobs, AWS Batch) simulates only that \
shard's points (balanced by expected cost) and writes a part with --json; `archsim merge PART...` writes \
exactly the bytes of the unsharded sweep. docs/scale-out.md shows each batch engine.";

#[derive(clap::Args)]
pub struct Args {
    /// The scenario file, with a `plan:` or `sweep:` block.
    pub file: PathBuf,
    /// Write the points as JSON to PATH, or `-` for standard output (with --shard: the part).
    #[arg(long, value_name = "PATH|-")]
    pub json: Option<String>,
    /// Write the points as CSV (one row per point) to PATH, or `-`.
    #[arg(long, value_name = "PATH|-")]
    pub csv: Option<String>,
    /// Use this seed instead of the file's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replications of every point (default: the file's, at least 3), 1 to 1000.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=crate::options::MAX_REPLICATIONS as i64))]
    pub replications: Option<u32>,
    /// Threads that run simulations (default: every core). The output is the same for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    #[command(flatten)]
    pub shard: crate::shard::ShardArgs,
}

pub fn sweep(args: &Args) -> ExitCode {
    let shard = match args.shard.resolve() {
        Ok(s) => s,
        Err(code) => return code,
    };
    if shard.is_some() && (args.json.is_none() || args.csv.is_some()) {
        eprintln!(
            "error: a shard writes its part with --json PATH (and no --csv); `archsim merge` turns the parts into JSON or CSV"
        );
        return ExitCode::from(2);
    }
    let Some((space, _)) = plan_cmd::read_space(&args.file) else {
        return ExitCode::from(2);
    };
    let space = space.with_seed(args.seed);
    let replications = sweep::replications(&space, args.replications);
    let threads = args.jobs.map_or_else(pool::default_jobs, |j| j as usize);
    let keys = sweep::points(&space);
    let chosen: Vec<PointKey> = match shard {
        None => keys.clone(),
        Some(s) => {
            let costs: Vec<f64> = keys
                .iter()
                .map(|&k| sweep::expected_cost(&space, k, replications))
                .collect();
            shard::assign::items_of(&costs, s)
                .into_iter()
                .map(|i| keys[i])
                .collect()
        }
    };
    let points = simulate(&space, &chosen, replications, threads);
    let header = sweep::header(&space, replications);
    match shard {
        Some(s) => write_part(
            &space,
            header,
            s,
            points,
            args.json.as_deref().unwrap_or("-"),
        ),
        None => {
            let doc = SweepDocument { header, points };
            match outputs(&space, &doc, args.json.as_deref(), args.csv.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
    }
}

/// Every chosen point's replications on `threads` threads, the points in the order given.
pub fn simulate(
    space: &Space,
    keys: &[PointKey],
    replications: u32,
    threads: usize,
) -> Vec<SweepPoint> {
    let built = pool::map(keys, threads, |&k| sweep::scenario(space, k));
    let work: Vec<(usize, u32)> = built
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_ok())
        .flat_map(|(i, _)| (0..replications).map(move |r| (i, r)))
        .collect();
    let mut progress = Progress::new(work.len());
    let mut outcomes: Vec<Vec<Outcome>> = vec![Vec::new(); keys.len()];
    // Chunks let the progress bar move; results are in work order whatever the chunk size.
    for chunk in work.chunks(threads.max(1) * 4) {
        let done = pool::map(chunk, threads, |&(i, r)| {
            let s = built[i].as_ref().expect("only valid points are simulated");
            sim_core::plan::job::simulate(s, r)
        });
        for (&(i, _), o) in chunk.iter().zip(done) {
            outcomes[i].push(o);
        }
        progress.add(chunk.len());
    }
    progress.finish();
    keys.iter()
        .zip(built)
        .zip(outcomes)
        .map(|((&k, s), o)| sweep::point(space, k, s.map(|_| o)))
        .collect()
}

fn write_part(
    space: &Space,
    header: sweep::SweepHeader,
    s: Shard,
    points: Vec<SweepPoint>,
    dest: &str,
) -> ExitCode {
    let part = shard::Part {
        archsim_part: shard::PartHeader {
            format: shard::part::FORMAT,
            archsim: shard::VERSION.into(),
            command: shard::part::Command::Sweep,
            scenario: space.base.name.clone(),
            scenario_sha256: header.scenario_sha256.clone(),
            seed: header.seed,
            replications: header.replications,
            shard: s,
            total: header.size,
            items: points.iter().map(|p| p.point).collect(),
            text: None,
            sweep: Some(header),
        },
        replications: Vec::new(),
        points,
    };
    let n = part.archsim_part.items.len();
    if let Err(code) = plan_cmd::write_to(dest, &shard::part::json(&part)) {
        return code;
    }
    if dest != "-" {
        eprintln!(
            "shard {s}: {n} of {} points written to {dest}",
            part.archsim_part.total
        );
    }
    ExitCode::SUCCESS
}

/// Writes the JSON and CSV asked for; with neither, prints the table.
pub fn outputs(
    space: &Space,
    doc: &SweepDocument,
    json: Option<&str>,
    csv: Option<&str>,
) -> Result<(), ExitCode> {
    if let Some(dest) = json {
        plan_cmd::write_to(dest, &sweep::json(doc))?;
    }
    if let Some(dest) = csv {
        plan_cmd::write_to(dest, &sweep::csv(doc))?;
    }
    if json.is_none() && csv.is_none() {
        print!("{}", table(space, doc));
    }
    Ok(())
}

/// The points for people: values, load, cost, verdict, and each SLO with its interval.
pub fn table(space: &Space, doc: &SweepDocument) -> String {
    let h = &doc.header;
    let mut out = format!(
        "sweep of {}: {} points ({} candidates x {} loads), {} replications each, seed {}\n",
        h.scenario,
        h.size,
        space.len(),
        h.loads.len(),
        h.replications,
        h.seed
    );
    for p in &doc.points {
        // A sweep may price nothing (a `sweep:` block needs no prices): then no cost is shown.
        let cost = match p.cost_usd_per_month {
            Some(c) if c > 0.0 => format!("  {}/month", plan_cmd::usd(c)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{:>5}  {}  at {}x{}  {}\n",
            p.point,
            plan_cmd::assignment_text(&p.assignment),
            sim_core::plan::format_factor(p.load),
            cost,
            sweep::verdict_word(p.verdict).to_uppercase()
        ));
        if let Some(e) = &p.error {
            out.push_str(&format!("         {e}\n"));
        }
        for (s, slo) in p.slo.iter().zip(&space.base.slos) {
            let Some(v) = s.value else { continue };
            let ci = s.ci95.map_or(String::new(), |[lo, hi]| {
                format!(
                    " [{}, {}]",
                    plan_cmd::slo_value(slo, lo),
                    plan_cmd::slo_value(slo, hi)
                )
            });
            out.push_str(&format!(
                "         {}  {}{ci}  {}\n",
                s.expr,
                plan_cmd::slo_value(slo, v),
                sweep::verdict_word(s.verdict)
            ));
        }
    }
    out
}

/// A bar on standard error, only on a terminal and only once the sweep takes a moment.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    total: usize,
    done: usize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            bar: None,
            started: std::time::Instant::now(),
            total,
            done: 0,
        }
    }

    fn add(&mut self, n: usize) {
        self.done += n;
        if !std::io::stderr().is_terminal() || self.started.elapsed().as_millis() < 500 {
            return;
        }
        let total = self.total as u64;
        let bar = self.bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::new(total);
            b.set_message("replications");
            b
        });
        bar.set_position(self.done as u64);
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
