//! `archsim diff BASE HEAD`: what a change to a design does, and whether each difference is real.
//!
//! BASE and HEAD are two versions of a scenario (YAML or JSON scenario files), or two JSON reports
//! written by `archsim run --json`. The comparison covers, per workload, the latency mean, p50,
//! p90, p99 and p999, availability and throughput; per component, utilisation; the monthly cost;
//! and the RTO and RPO of each recovery. Workloads and components are matched by *name*; those in
//! only one version are reported as added or removed.
//!
//! **Two scenarios** are simulated with the same seed and the same number of replications. Every
//! random stream is keyed by the seed, the replication and the name of the component or workload
//! drawing from it (see `sim_core::rng`), so replication `r` of BASE and replication `r` of HEAD
//! draw the same numbers wherever the design did not change: *common random numbers*. The right
//! test is then a paired one: for each replication `d_r = head_r - base_r`, and a difference is
//! significant when the 95 % Student-t interval of the mean of the `d_r` excludes 0. Pairing
//! removes the noise both versions share, so it detects far smaller changes than comparing two
//! independent intervals, and figures the change cannot reach come out exactly equal.
//!
//! **Two reports** carry no per-replication values. Their means are compared, and a difference is
//! called significant when the two reports' 95 % intervals (`ci95`) do not overlap. That test is
//! conservative (two intervals can overlap while the difference is significant), and a report of a
//! single replication has no interval at all: its differences are "no interval".

use serde_json::{Value, json};
use sim_core::slo::LatencyStat;
use sim_core::stats::estimate::Estimate;
use sim_core::{ReplicationResult, Report, Scenario};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const LONG_ABOUT: &str = "Compare two versions of a design and say what the change does: the change \
in each workload's latency (mean, p50, p90, p99, p999), availability and throughput, in each \
component's utilisation, in cost and in RTO/RPO, and whether each difference is significant.\n\n\
BASE and HEAD are two scenario files, or two JSON reports written by `archsim run --json`.\n\n\
Two scenarios are simulated with the same seed and the same replications, so each random stream \
(keyed by the seed, the replication and the component's or workload's name) draws the same numbers \
in both wherever the design did not change: common random numbers. A difference is significant \
when the 95% Student-t interval of the mean per-replication difference (head - base) excludes 0 \
(a paired test). Figures the change cannot reach come out exactly identical.\n\n\
Two reports are compared by their means; a difference is significant when their 95% intervals do \
not overlap (conservative), and reports of one replication have no interval.";

const AFTER_HELP: &str = "Examples:\n  archsim diff before.yaml after.yaml\n  \
archsim diff before.yaml after.yaml --replications 30 --markdown -\n  \
archsim diff before.yaml after.yaml --json diff.json\n  \
archsim run a.yaml --json a.json && archsim run b.yaml --json b.json && archsim diff a.json b.json\n\n\
Replications: --replications N, else the larger of the two files' `replications`; if that is 1, 10 \
(a paired test needs several). Seed: --seed N, else the base file's seed for both.\n\n\
Exit codes: 0 the comparison was made (whatever it found); 2 an unreadable or invalid file, a \
scenario compared with a report, or a run limit hit.";

/// The arguments of `archsim diff`.
#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The version before the change: a scenario file, or a JSON report from `archsim run --json`.
    base: PathBuf,
    /// The version after the change: the same kind of file as BASE.
    head: PathBuf,
    /// Seed (default: the base file's, for both) and replications of each scenario, paired by
    /// number (default: the files' value; 10 if that is 1). Scenarios only.
    #[command(flatten)]
    run: crate::options::RunOptions,
    /// Write a Markdown comparison (summary line and table, fit for a pull-request comment) to PATH, or `-` for standard output.
    #[arg(long, value_name = "PATH|-")]
    markdown: Option<String>,
    /// Write the comparison as JSON to PATH, or `-` for standard output.
    #[arg(long, value_name = "PATH|-")]
    json: Option<String>,
    // `--set` edits HEAD only: `archsim diff f.yaml f.yaml --set api.replicas=6` is the what-if.
    #[command(flatten)]
    what_if: crate::what_if::WhatIf,
}

/// Runs `archsim diff`.
pub fn diff(a: &Args) -> ExitCode {
    if a.markdown.as_deref() == Some("-") && a.json.as_deref() == Some("-") {
        eprintln!("error: only one of --markdown and --json can write to standard output (`-`)");
        return ExitCode::from(2);
    }
    let comparison = match compare(a) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let to_stdout = a.markdown.as_deref() == Some("-") || a.json.as_deref() == Some("-");
    if !to_stdout {
        print!("{}", text(&comparison));
    }
    if let Some(p) = &a.markdown
        && let Err(code) = emit(p, &markdown(&comparison))
    {
        return code;
    }
    if let Some(p) = &a.json
        && let Err(code) = emit(p, &json_text(&comparison))
    {
        return code;
    }
    ExitCode::SUCCESS
}

use crate::options::emit;

// ---- the comparison ----

/// How a figure is measured, printed and compared.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Unit {
    Ms,
    /// A share in 0..=1 printed as a percentage with three decimals (availability).
    Availability,
    /// A share in 0..=1 printed as a percentage with one decimal (utilisation).
    Utilization,
    Rps,
    UsdPerMonth,
    Seconds,
}

/// The verdict on one row.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    Significant,
    NotSignificant,
    /// Exactly equal in every replication (or, for reports, equal means).
    Identical,
    /// No interval to judge by: a single replication, or a figure with no per-replication values.
    NoInterval,
    Added,
    Removed,
    NotComputed,
    NotMeasured,
}

impl Status {
    fn key(self) -> &'static str {
        match self {
            Status::Significant => "significant",
            Status::NotSignificant => "not_significant",
            Status::Identical => "identical",
            Status::NoInterval => "no_interval",
            Status::Added => "added",
            Status::Removed => "removed",
            Status::NotComputed => "not_computed",
            Status::NotMeasured => "not_measured",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Status::Significant => "yes",
            Status::NotSignificant => "no",
            Status::Identical => "no (identical)",
            Status::NoInterval => "no interval",
            Status::Added => "added",
            Status::Removed => "removed",
            Status::NotComputed => "not computed",
            Status::NotMeasured => "none measured",
        }
    }
}

/// One line of the comparison.
#[derive(Clone, Debug)]
struct Row {
    /// As in an SLO: `p99(checkout)`, `availability(checkout)`, `utilization(db)`, `cost`.
    metric: String,
    unit: Unit,
    base: Option<f64>,
    head: Option<f64>,
    /// The 95 % interval of the paired mean difference (scenarios).
    change_interval: Option<[f64; 2]>,
    /// Each report's own 95 % interval (reports).
    base_ci: Option<[f64; 2]>,
    head_ci: Option<[f64; 2]>,
    status: Status,
    note: Option<String>,
}

impl Row {
    fn change(&self) -> Option<f64> {
        Some(self.head? - self.base?)
    }

    /// (head - base) / base; `None` when base is 0 and head is not.
    fn relative(&self) -> Option<f64> {
        let (b, h) = (self.base?, self.head?);
        if b == h {
            Some(0.0)
        } else if b == 0.0 {
            None
        } else {
            Some((h - b) / b.abs())
        }
    }
}

/// The whole comparison, ready to print.
struct Comparison {
    base_file: String,
    head_file: String,
    base_name: String,
    head_name: String,
    /// `Some((seed, replications))` for two scenarios; `None` for two reports.
    paired: Option<(u64, u32)>,
    /// Each report's replications (reports only).
    report_reps: Option<(u64, u64)>,
    rows: Vec<Row>,
}

/// The figures of one report, flattened: metric label, unit, mean and 95 % interval.
struct Figures {
    name: String,
    replications: u64,
    workloads: BTreeMap<String, Vec<Figure>>,
    components: BTreeMap<String, Vec<Figure>>,
    cost: Option<f64>,
    /// (fault, RTO s, RPO s), in report order.
    recovery: Vec<(String, Option<f64>, Option<f64>)>,
}

struct Figure {
    label: String,
    unit: Unit,
    mean: f64,
    ci: Option<[f64; 2]>,
}

/// The latency statistics compared.
const LATENCY: [LatencyStat; 5] = [
    LatencyStat::Mean,
    LatencyStat::P50,
    LatencyStat::P90,
    LatencyStat::P99,
    LatencyStat::P999,
];

fn compare(a: &Args) -> Result<Comparison, ExitCode> {
    let base_report = read_report(&a.base)?;
    let head_report = read_report(&a.head)?;
    match (base_report, head_report) {
        (Some(b), Some(h)) => {
            if a.run.any() || !a.what_if.set.is_empty() {
                eprintln!(
                    "error: --seed, --replications and --set apply to scenarios; {} and {} are reports",
                    a.base.display(),
                    a.head.display()
                );
                return Err(ExitCode::from(2));
            }
            let (fb, fh) = (figures(&b), figures(&h));
            Ok(Comparison {
                base_file: a.base.display().to_string(),
                head_file: a.head.display().to_string(),
                base_name: fb.name.clone(),
                head_name: fh.name.clone(),
                paired: None,
                report_reps: Some((fb.replications, fh.replications)),
                rows: rows(&fb, &fh, None),
            })
        }
        (None, None) => compare_scenarios(a),
        (b, _) => {
            let (report, scenario) = if b.is_some() {
                (&a.base, &a.head)
            } else {
                (&a.head, &a.base)
            };
            // Check the scenario anyway, so that a broken file gets its file:line:col messages.
            crate::load(scenario)?;
            eprintln!(
                "error: {} is a JSON report and {} a scenario: give two scenarios or two reports",
                report.display(),
                scenario.display()
            );
            Err(ExitCode::from(2))
        }
    }
}

fn read_report(path: &Path) -> Result<Option<Report>, ExitCode> {
    crate::report_file::read(path)
}

fn compare_scenarios(a: &Args) -> Result<Comparison, ExitCode> {
    // Load both before giving up, so that each broken file gets its messages.
    let (base, head) = (
        crate::load(&a.base),
        crate::what_if::load(&a.head, &a.what_if),
    );
    let (mut base, mut head) = match (base, head) {
        (Ok(b), Ok(h)) => (b.scenario, h.scenario),
        (Err(c), _) | (_, Err(c)) => return Err(c),
    };
    let seed = match a.run.seed {
        Some(s) => s,
        None => {
            if head.seed != base.seed {
                eprintln!(
                    "note: the files' seeds differ ({} and {}); both run with the base's seed {} so \
                     that they draw common random numbers (choose another with --seed)",
                    base.seed, head.seed, base.seed
                );
            }
            base.seed
        }
    };
    let reps = match a.run.replications {
        Some(r) => r,
        None => match base.replications.max(head.replications) {
            1 => 10,
            n => n,
        },
    };
    for s in [&mut base, &mut head] {
        s.seed = seed;
        s.replications = reps;
    }
    let (rb, rh) = simulate_both(&base, &head, a.run.threads());
    let rb = rb.map_err(|e| run_failed(&a.base, &e))?;
    let rh = rh.map_err(|e| run_failed(&a.head, &e))?;
    let fb = report_figures(&base, &rb);
    let fh = report_figures(&head, &rh);
    let per_rep = (per_replication(&base, &rb), per_replication(&head, &rh));
    Ok(Comparison {
        base_file: a.base.display().to_string(),
        head_file: a.head.display().to_string(),
        base_name: fb.name.clone(),
        head_name: fh.name.clone(),
        paired: Some((seed, reps)),
        report_reps: None,
        rows: rows(&fb, &fh, Some((&per_rep.0, &per_rep.1))),
    })
}

fn run_failed(path: &Path, e: &sim_core::SimError) -> ExitCode {
    eprintln!("{}: error: {e}", path.display());
    ExitCode::from(2)
}

type Reps = Result<Vec<ReplicationResult>, sim_core::SimError>;

/// Every replication of both scenarios, spread over `threads` threads (`--jobs`). Each replication depends
/// only on its scenario and number, so the order in which threads finish changes nothing.
fn simulate_both(base: &Scenario, head: &Scenario, threads: usize) -> (Reps, Reps) {
    let n = base.replications as usize;
    let jobs: Vec<(&Scenario, u32)> = [base, head]
        .into_iter()
        .flat_map(|s| (0..n as u32).map(move |r| (s, r)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Result<ReplicationResult, sim_core::SimError>>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let threads = threads.min(jobs.len()).max(1);
    std::thread::scope(|sc| {
        for _ in 0..threads {
            sc.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(s, r)) = jobs.get(i) else { break };
                    let out = sim_core::Run::new(s, r).run_to_end();
                    *slots[i].lock().expect("no thread panicked") = Some(out);
                }
            });
        }
    });
    let mut results = slots.into_iter().map(|m| {
        m.into_inner()
            .expect("no thread panicked")
            .expect("every job ran")
    });
    let b: Reps = results.by_ref().take(n).collect();
    let h: Reps = results.collect();
    (b, h)
}

/// The report's figures (exactly what `archsim run --json` would print), read as a report is.
fn report_figures(s: &Scenario, reps: &[ReplicationResult]) -> Figures {
    figures(&sim_core::report::build(s, reps))
}

/// Per-replication values of every compared figure, keyed by its label: each replication's own
/// report, read as any report is, so a value means exactly what the report's figure means.
fn per_replication(s: &Scenario, reps: &[ReplicationResult]) -> Samples {
    let mut out: Samples = BTreeMap::new();
    for r in reps {
        for (label, v) in report_figures(s, std::slice::from_ref(r)).flat() {
            out.entry(label).or_default().push(v);
        }
    }
    out
}

/// The compared figures of a report.
fn figures(r: &Report) -> Figures {
    let mut workloads = BTreeMap::new();
    for (name, w) in &r.workloads {
        let ci = w.ci95.as_ref();
        let mut f = Vec::new();
        for stat in LATENCY {
            f.push(Figure {
                label: format!("{}({name})", stat.name()),
                unit: Unit::Ms,
                mean: w.latency_ms.get(stat),
                ci: ci.and_then(|c| c.latency_ms.get(stat)),
            });
        }
        f.push(Figure {
            label: format!("availability({name})"),
            unit: Unit::Availability,
            mean: w.availability,
            ci: ci.map(|c| c.availability),
        });
        f.push(Figure {
            label: format!("throughput({name})"),
            unit: Unit::Rps,
            mean: w.throughput_rps,
            ci: ci.map(|c| c.throughput_rps),
        });
        workloads.insert(name.clone(), f);
    }
    let components = r
        .components
        .iter()
        .map(|(name, c)| {
            let figure = Figure {
                label: format!("utilization({name})"),
                unit: Unit::Utilization,
                mean: c.utilization,
                ci: c.ci95.as_ref().map(|x| x.utilization),
            };
            (name.clone(), vec![figure])
        })
        .collect();
    let recovery: Vec<(String, Option<f64>, Option<f64>)> = r
        .recovery
        .iter()
        .map(|x| (x.fault.clone(), x.rto_s, Some(x.rpo_s)))
        .collect();
    Figures {
        name: r.scenario.clone(),
        replications: u64::from(r.replications),
        workloads,
        components,
        cost: Some(r.cost.usd_per_month),
        recovery: keyed(&recovery),
    }
}

/// Recoveries keyed by their fault; the second recovery of the same fault is `fault #2`, and so on.
fn keyed(rs: &[(String, Option<f64>, Option<f64>)]) -> Vec<(String, Option<f64>, Option<f64>)> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    rs.iter()
        .map(|(f, rto, rpo)| {
            let n = seen.entry(f).or_default();
            *n += 1;
            let key = if *n == 1 {
                f.clone()
            } else {
                format!("{f} #{n}")
            };
            (key, *rto, *rpo)
        })
        .collect()
}

impl Figures {
    /// Every figure as (label, value), the labels being those of the rows.
    fn flat(&self) -> Vec<(String, Option<f64>)> {
        let mut out: Vec<(String, Option<f64>)> = self
            .workloads
            .values()
            .chain(self.components.values())
            .flatten()
            .map(|f| (f.label.clone(), Some(f.mean)))
            .collect();
        out.push(("cost".into(), self.cost));
        for (key, rto, rpo) in &self.recovery {
            out.push((format!("rto({key})"), *rto));
            out.push((format!("rpo({key})"), *rpo));
        }
        out
    }
}

/// Per-replication values by label (`None` where a replication did not measure the figure).
type Samples = BTreeMap<String, Vec<Option<f64>>>;
type PerRep<'a> = (&'a Samples, &'a Samples);

/// Every row: workloads (by name), components (by name), cost, recovery.
fn rows(b: &Figures, h: &Figures, per_rep: Option<PerRep>) -> Vec<Row> {
    let mut out = Vec::new();
    for (kind, bm, hm) in [
        ("workload", &b.workloads, &h.workloads),
        ("component", &b.components, &h.components),
    ] {
        let names: std::collections::BTreeSet<&String> = bm.keys().chain(hm.keys()).collect();
        for name in names {
            match (bm.get(name), hm.get(name)) {
                (Some(bf), Some(hf)) => {
                    for (x, y) in bf.iter().zip(hf) {
                        let mut r = Row::new(&x.label, x.unit, Some(x.mean), Some(y.mean));
                        r.judge(x.ci, y.ci, per_rep);
                        out.push(r);
                    }
                }
                (bf, _) => {
                    let mut r = Row::new(&format!("{kind}({name})"), Unit::Ms, None, None);
                    r.status = if bf.is_some() {
                        Status::Removed
                    } else {
                        Status::Added
                    };
                    out.push(r);
                }
            }
        }
    }
    out.push(cost_row(b.cost, h.cost, per_rep));
    out.extend(recovery_rows(&b.recovery, &h.recovery, per_rep));
    out
}

impl Row {
    fn new(metric: &str, unit: Unit, base: Option<f64>, head: Option<f64>) -> Row {
        Row {
            metric: metric.to_string(),
            unit,
            base,
            head,
            change_interval: None,
            base_ci: None,
            head_ci: None,
            status: Status::NoInterval,
            note: None,
        }
    }

    /// Judges the row: by the paired test on per-replication values where every replication of
    /// both versions measured it (scenarios), else by the reports' intervals (reports).
    fn judge(
        &mut self,
        base_ci: Option<[f64; 2]>,
        head_ci: Option<[f64; 2]>,
        per_rep: Option<PerRep>,
    ) {
        let (Some(b), Some(h)) = (self.base, self.head) else {
            return;
        };
        if let Some((pb, ph)) = per_rep {
            let all = |s: &Samples| -> Option<Vec<f64>> {
                s.get(&self.metric)?.iter().copied().collect()
            };
            match (all(pb), all(ph)) {
                (Some(xs), Some(ys)) => {
                    let p = paired(&xs, &ys);
                    self.change_interval = p.interval;
                    self.status = p.status();
                }
                _ => {
                    self.status = if b == h {
                        Status::Identical
                    } else {
                        Status::NoInterval
                    };
                    self.note = Some("not measured in every replication".into());
                }
            }
            return;
        }
        self.base_ci = base_ci;
        self.head_ci = head_ci;
        self.status = if b == h {
            Status::Identical
        } else {
            match (base_ci, head_ci) {
                (Some(x), Some(y)) if overlap(x, y) => Status::NotSignificant,
                (Some(_), Some(_)) => Status::Significant,
                _ => Status::NoInterval,
            }
        };
    }
}

fn cost_row(b: Option<f64>, h: Option<f64>, per_rep: Option<PerRep>) -> Row {
    let mut r = Row::new("cost", Unit::UsdPerMonth, b, h);
    match (b, h) {
        (Some(_), Some(_)) => r.judge(None, None, per_rep),
        _ => {
            r.status = Status::NotComputed;
            r.note = Some(
                match b {
                    None if h.is_none() => "not computed in either version",
                    None => "not computed for the base",
                    Some(_) => "not computed for the head",
                }
                .into(),
            );
        }
    }
    r
}

/// Recoveries matched by their key (the fault): RTO and RPO of each.
fn recovery_rows(
    b: &[(String, Option<f64>, Option<f64>)],
    h: &[(String, Option<f64>, Option<f64>)],
    per_rep: Option<PerRep>,
) -> Vec<Row> {
    if b.is_empty() && h.is_empty() {
        let mut r = Row::new("rto, rpo", Unit::Seconds, None, None);
        r.status = Status::NotMeasured;
        r.note = Some("no timed faults in either version".into());
        return vec![r];
    }
    let mut keys: Vec<&String> = b.iter().map(|(k, ..)| k).collect();
    keys.extend(
        h.iter()
            .map(|(k, ..)| k)
            .filter(|k| !b.iter().any(|(x, ..)| x == *k)),
    );
    let mut out = Vec::new();
    for key in keys {
        let find = |rs: &[(String, Option<f64>, Option<f64>)]| {
            rs.iter()
                .find(|(k, ..)| k == key)
                .map(|(_, rto, rpo)| (*rto, *rpo))
        };
        match (find(b), find(h)) {
            (Some((b_rto, b_rpo)), Some((h_rto, h_rpo))) => {
                for (what, x, y) in [("rto", b_rto, h_rto), ("rpo", b_rpo, h_rpo)] {
                    let mut r = Row::new(&format!("{what}({key})"), Unit::Seconds, x, y);
                    r.judge(None, None, per_rep);
                    match (x, y) {
                        (None, None) => {
                            r.note = Some("not recovered within the run in either version".into())
                        }
                        (None, _) => {
                            r.note = Some("the base did not recover within the run".into())
                        }
                        (_, None) => {
                            r.note = Some("the head did not recover within the run".into())
                        }
                        _ => {}
                    }
                    out.push(r);
                }
            }
            (found, _) => {
                let mut r = Row::new(&format!("recovery({key})"), Unit::Seconds, None, None);
                r.status = if found.is_some() {
                    Status::Removed
                } else {
                    Status::Added
                };
                out.push(r);
            }
        }
    }
    out
}

fn overlap(a: [f64; 2], b: [f64; 2]) -> bool {
    a[0] <= b[1] && b[0] <= a[1]
}

/// A paired comparison: the mean of the per-replication differences `head_r - base_r` and the
/// 95 % Student-t interval of that mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Paired {
    pub mean: f64,
    /// `None` with fewer than two pairs.
    pub interval: Option<[f64; 2]>,
    /// Every difference is exactly 0.
    pub identical: bool,
}

impl Paired {
    /// Significant when the interval excludes 0.
    pub fn significant(&self) -> bool {
        !self.identical && self.interval.is_some_and(|[lo, hi]| lo > 0.0 || hi < 0.0)
    }

    fn status(&self) -> Status {
        if self.identical {
            Status::Identical
        } else if self.interval.is_none() {
            Status::NoInterval
        } else if self.significant() {
            Status::Significant
        } else {
            Status::NotSignificant
        }
    }
}

/// Pairs `base[r]` with `head[r]` (equal lengths: the same replications of both versions).
pub(crate) fn paired(base: &[f64], head: &[f64]) -> Paired {
    assert_eq!(base.len(), head.len(), "paired samples");
    let d: Vec<f64> = head.iter().zip(base).map(|(h, b)| h - b).collect();
    let e = Estimate::from_samples(&d);
    Paired {
        mean: e.mean,
        interval: (d.len() >= 2).then(|| e.interval()),
        identical: d.iter().all(|&x| x == 0.0),
    }
}

// ---- formatting ----

/// `v` with about three significant digits.
fn sig(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return format!("{v}");
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    format!("{v:.digits$}")
}

fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", sig(v))
    } else {
        sig(v)
    }
}

impl Unit {
    fn key(self) -> &'static str {
        match self {
            Unit::Ms => "ms",
            Unit::Availability | Unit::Utilization => "fraction",
            Unit::Rps => "per_second",
            Unit::UsdPerMonth => "usd_per_month",
            Unit::Seconds => "s",
        }
    }

    fn value(self, v: f64) -> String {
        let v = v + 0.0; // -0 prints as 0
        match self {
            Unit::Ms => format!("{} ms", sig(v)),
            Unit::Availability => format!("{:.3} %", v * 100.0),
            Unit::Utilization => format!("{:.1} %", v * 100.0),
            Unit::Rps => format!("{v:.2}/s"),
            Unit::UsdPerMonth => format!("{v:.2} USD/month"),
            Unit::Seconds => format!("{} s", sig(v)),
        }
    }

    fn change(self, d: f64) -> String {
        match self {
            Unit::Ms => format!("{} ms", signed(d)),
            Unit::Availability | Unit::Utilization => format!("{} pp", signed(d * 100.0)),
            Unit::Rps => format!("{}/s", signed(d)),
            Unit::UsdPerMonth => format!("{} USD/month", signed(d)),
            Unit::Seconds => format!("{} s", signed(d)),
        }
    }

    /// Shares change in percentage points; everything else by its relative change.
    fn is_share(self) -> bool {
        matches!(self, Unit::Availability | Unit::Utilization)
    }
}

fn fmt_relative(r: Option<f64>) -> String {
    match r {
        None => "-".into(),
        Some(0.0) => "0 %".into(),
        Some(r) => format!("{} %", signed(r * 100.0)),
    }
}

fn cell_value(unit: Unit, v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| unit.value(v))
}

fn cell_change(r: &Row) -> String {
    r.change().map_or_else(|| "-".into(), |d| r.unit.change(d))
}

/// The interval a row was judged by, in words.
fn cell_interval(r: &Row) -> String {
    if r.status == Status::Identical {
        return r.note.clone().unwrap_or_default();
    }
    if let Some([lo, hi]) = r.change_interval {
        return format!("{} to {}", r.unit.change(lo), r.unit.change(hi));
    }
    let hw = |c: Option<[f64; 2]>| {
        c.map_or_else(
            || "none".to_string(),
            |[lo, hi]| {
                let half = (hi - lo) / 2.0;
                match r.unit {
                    Unit::Availability | Unit::Utilization => {
                        format!("±{} pp", sig(half * 100.0))
                    }
                    _ => r.unit.change(half).replacen('+', "±", 1),
                }
            },
        )
    };
    if r.base_ci.is_some() || r.head_ci.is_some() {
        format!("{} vs {}", hw(r.base_ci), hw(r.head_ci))
    } else {
        r.note.clone().unwrap_or_default()
    }
}

/// A row's change as a short phrase: `p99(checkout) +38 %` (shares in points).
fn phrase(r: &Row) -> String {
    match (r.status, r.change(), r.relative()) {
        (Status::Added | Status::Removed, _, _) => format!("{} {}", r.metric, r.status.words()),
        (_, Some(d), _) if r.unit.is_share() => format!("{} {}", r.metric, r.unit.change(d)),
        (_, _, Some(rel)) => format!("{} {}", r.metric, fmt_relative(Some(rel))),
        (_, Some(d), None) => format!("{} {}", r.metric, r.unit.change(d)),
        _ => r.metric.clone(),
    }
}

/// The order in which significant changes are named: what users feel first.
fn priority(r: &Row) -> usize {
    const ORDER: [&str; 11] = [
        "availability(",
        "p99(",
        "mean(",
        "throughput(",
        "p999(",
        "p90(",
        "p50(",
        "cost",
        "rto(",
        "rpo(",
        "utilization(",
    ];
    ORDER
        .iter()
        .position(|p| r.metric.starts_with(p))
        .unwrap_or(ORDER.len())
}

/// One line saying what matters: the largest significant changes, added and removed workloads
/// and components, and whether availability moved.
fn summary_line(c: &Comparison) -> String {
    let size = |r: &Row| {
        if r.unit.is_share() {
            r.change().unwrap_or(0.0).abs() * 100.0
        } else {
            r.relative().map_or(f64::INFINITY, f64::abs) * 100.0
        }
    };
    let mut parts = Vec::new();
    let mut sig: Vec<&Row> = c
        .rows
        .iter()
        .filter(|r| r.status == Status::Significant)
        .collect();
    sig.sort_by(|a, b| {
        priority(a)
            .cmp(&priority(b))
            .then(size(b).total_cmp(&size(a)))
    });
    const SHOWN: usize = 4;
    for r in sig.iter().take(SHOWN) {
        parts.push(format!("{} (significant)", phrase(r)));
    }
    if sig.len() > SHOWN {
        parts.push(format!(
            "{} more significant change{}",
            sig.len() - SHOWN,
            if sig.len() - SHOWN == 1 { "" } else { "s" }
        ));
    }
    if sig.is_empty() {
        let mut untested: Vec<&Row> = c
            .rows
            .iter()
            .filter(|r| r.status == Status::NoInterval && r.change().is_some_and(|d| d != 0.0))
            .collect();
        if untested.is_empty() {
            parts.push("no significant change".into());
        } else {
            untested.sort_by(|a, b| {
                priority(a)
                    .cmp(&priority(b))
                    .then(size(b).total_cmp(&size(a)))
            });
            for r in untested.iter().take(3) {
                parts.push(format!("{} (no interval)", phrase(r)));
            }
        }
    }
    for r in c
        .rows
        .iter()
        .filter(|r| matches!(r.status, Status::Added | Status::Removed))
    {
        parts.push(phrase(r));
    }
    let avail: Vec<&Row> = c
        .rows
        .iter()
        .filter(|r| r.unit == Unit::Availability && r.change().is_some())
        .collect();
    if !avail.is_empty() && !avail.iter().any(|r| r.status == Status::Significant) {
        if avail.iter().all(|r| r.change() == Some(0.0)) {
            parts.push("availability unchanged".into());
        } else if avail.iter().all(|r| r.status == Status::NotSignificant) {
            parts.push("availability: no significant change".into());
        }
    }
    parts.join(", ")
}

/// What was compared and how, in one line.
fn method_line(c: &Comparison, sep: &str) -> String {
    let names = if c.base_name == c.head_name {
        format!("scenario {}", c.base_name)
    } else {
        format!("scenarios {} and {}", c.base_name, c.head_name)
    };
    match (c.paired, c.report_reps) {
        (Some((seed, reps)), _) => format!(
            "{names} · seed {seed} · {reps} replication{} each, paired by replication (common random \
             numbers){sep}significant: the 95% interval of the mean paired difference excludes 0",
            if reps == 1 { "" } else { "s" }
        ),
        (None, Some((rb, rh))) => format!(
            "{names} · reports of {rb} and {rh} replication{}{sep}significant: the two reports' 95% \
             intervals do not overlap (conservative)",
            if rh == 1 { "" } else { "s" }
        ),
        _ => names,
    }
}

/// The readable table printed by default.
fn text(c: &Comparison) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "archsim diff: {} -> {}", c.base_file, c.head_file);
    let _ = writeln!(o, "{}", method_line(c, "\n"));
    let _ = writeln!(o, "summary: {}\n", summary_line(c));
    let head = [
        "metric",
        "base",
        "head",
        "change",
        "relative",
        "significant?",
        "95% interval of change",
    ];
    let cells: Vec<[String; 7]> = c
        .rows
        .iter()
        .map(|r| {
            [
                r.metric.clone(),
                cell_value(r.unit, r.base),
                cell_value(r.unit, r.head),
                cell_change(r),
                if r.change().is_some() {
                    fmt_relative(r.relative())
                } else {
                    "-".into()
                },
                r.status.words().into(),
                cell_interval(r),
            ]
        })
        .collect();
    let mut width = head.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 7]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(width).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            match i {
                0 | 5 | 6 => {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                }
                _ => {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
            }
            s.push_str("  ");
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(o, "{}", line(head));
    for row in &cells {
        let _ = writeln!(o, "{}", line(row.each_ref().map(String::as_str)));
    }
    if c.paired.is_some_and(|(_, reps)| reps < 2) {
        let _ = writeln!(
            o,
            "\nOne replication gives no interval: use --replications 10 or more to test the changes."
        );
    }
    o
}

/// Markdown for a pull-request comment: the summary line, what was compared, then the table of
/// the figures that moved; those identical in every replication are folded away below it.
fn markdown(c: &Comparison) -> String {
    let mut o = String::from("## archsim diff\n\n");
    let _ = writeln!(o, "**{}**\n", summary_line(c));
    let _ = writeln!(
        o,
        "`{}` → `{}` · {}\n",
        c.base_file,
        c.head_file,
        method_line(c, "; ")
    );
    let (same, moved): (Vec<&Row>, Vec<&Row>) =
        c.rows.iter().partition(|r| r.status == Status::Identical);
    if moved.is_empty() {
        o.push_str("Every figure is identical.\n\n");
    } else {
        markdown_table(&mut o, &moved);
        o.push('\n');
    }
    if !same.is_empty() {
        let _ = writeln!(
            o,
            "<details><summary>{} identical figure{}</summary>\n",
            same.len(),
            if same.len() == 1 { "" } else { "s" }
        );
        markdown_table(&mut o, &same);
        o.push_str("\n</details>\n");
    }
    o
}

fn markdown_table(o: &mut String, rows: &[&Row]) {
    o.push_str("| metric | base | head | change | significant? |\n|---|---|---|---|---|\n");
    for r in rows {
        let change = match r.change() {
            Some(d) => format!("{} ({})", r.unit.change(d), fmt_relative(r.relative())),
            None => "-".into(),
        };
        let verdict = match r.status {
            Status::Significant => "**yes**".to_string(),
            s => s.words().to_string(),
        };
        let why = cell_interval(r);
        let verdict = if why.is_empty() {
            verdict
        } else if r.change_interval.is_some() {
            format!("{verdict} (95% CI {why})")
        } else {
            format!("{verdict} ({why})")
        };
        let metric = if r.status == Status::Significant {
            format!("**`{}`**", r.metric)
        } else {
            format!("`{}`", r.metric)
        };
        let _ = writeln!(
            o,
            "| {metric} | {} | {} | {change} | {verdict} |",
            cell_value(r.unit, r.base),
            cell_value(r.unit, r.head),
        );
    }
}

/// The comparison as JSON: what was compared, the summary line, and one object per row.
fn json_text(c: &Comparison) -> String {
    let rows: Vec<Value> = c
        .rows
        .iter()
        .map(|r| {
            json!({
                "metric": r.metric,
                "unit": r.unit.key(),
                "base": r.base,
                "head": r.head,
                "change": r.change(),
                "relative": r.relative(),
                "status": r.status.key(),
                "significant": match r.status {
                    Status::Significant => Some(true),
                    Status::NotSignificant | Status::Identical => Some(false),
                    _ => None,
                },
                "change_ci95": r.change_interval,
                "base_ci95": r.base_ci,
                "head_ci95": r.head_ci,
                "note": r.note,
            })
        })
        .collect();
    let v = json!({
        "base": { "file": c.base_file, "scenario": c.base_name },
        "head": { "file": c.head_file, "scenario": c.head_name },
        "inputs": if c.paired.is_some() { "scenarios" } else { "reports" },
        "test": if c.paired.is_some() {
            "paired Student-t on per-replication differences (common random numbers)"
        } else {
            "non-overlapping 95% intervals of the two reports (conservative)"
        },
        "seed": c.paired.map(|(s, _)| s),
        "replications": match (c.paired, c.report_reps) {
            (Some((_, n)), _) => json!(n),
            (None, Some((b, h))) => json!({ "base": b, "head": h }),
            _ => Value::Null,
        },
        "summary": summary_line(c),
        "metrics": rows,
    });
    let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_t_on_known_numbers() {
        // d = 1, 2, 3, 4: mean 2.5, s = sqrt(5/3), se = s / 2, t(3) = 3.182.
        let p = paired(&[10.0, 10.0, 10.0, 10.0], &[11.0, 12.0, 13.0, 14.0]);
        assert_eq!(p.mean, 2.5);
        let hw = 3.182 * (5.0f64 / 3.0).sqrt() / 2.0;
        let [lo, hi] = p.interval.unwrap();
        assert!((lo - (2.5 - hw)).abs() < 1e-12 && (hi - (2.5 + hw)).abs() < 1e-12);
        assert!(lo > 0.0 && p.significant());

        // d = -1, 1, -1, 1: mean 0, the interval straddles 0.
        let p = paired(&[5.0, 5.0, 5.0, 5.0], &[4.0, 6.0, 4.0, 6.0]);
        assert_eq!(p.mean, 0.0);
        assert!(!p.significant() && !p.identical);

        // A small shift that every pair shares is significant: the point of pairing. Unpaired,
        // these two samples' intervals overlap widely.
        let base = [10.0, 20.0, 30.0, 40.0, 50.0];
        let head = [10.1, 20.1, 30.2, 40.1, 50.1];
        assert!(paired(&base, &head).significant());
        let (eb, eh) = (Estimate::from_samples(&base), Estimate::from_samples(&head));
        assert!(overlap(eb.interval(), eh.interval()));

        // d = 2, 4, 6 (n = 2 df): mean 4, s = 2, hw = 4.303 * 2 / sqrt(3) = 4.969: not significant.
        let p = paired(&[0.0, 0.0, 0.0], &[2.0, 4.0, 6.0]);
        let [lo, hi] = p.interval.unwrap();
        assert!((hi - lo - 2.0 * 4.303 * 2.0 / 3f64.sqrt()).abs() < 1e-12);
        assert!(!p.significant());
    }

    #[test]
    fn identical_and_single_pairs() {
        let p = paired(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]);
        assert!(p.identical && !p.significant());
        assert_eq!(p.status(), Status::Identical);
        let p = paired(&[1.0], &[2.0]);
        assert_eq!(p.interval, None);
        assert_eq!(p.status(), Status::NoInterval);
    }

    #[test]
    fn overlap_is_inclusive() {
        assert!(overlap([0.0, 1.0], [1.0, 2.0]));
        assert!(!overlap([0.0, 1.0], [1.5, 2.0]));
        assert!(overlap([1.5, 2.0], [0.0, 3.0]));
    }

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(sig(28.456), "28.5");
        assert_eq!(sig(0.02846), "0.0285");
        assert_eq!(sig(1234.4), "1234");
        assert_eq!(signed(0.5), "+0.500");
        assert_eq!(fmt_relative(Some(0.38)), "+38.0 %");
    }
}
