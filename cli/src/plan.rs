//! `archsim plan FILE`: the cheapest design of the file's shape that meets every SLO at every load
//! of its `plan:` block. The planner itself is `sim_core::plan` (a pure state machine); this file
//! runs its jobs on threads, shows progress on a terminal, and prints the plan for people
//! (summary, Markdown) and machines (JSON), or writes the chosen values into a copy of the file.

use crate::pool;
use sim_core::plan::output::{CandidateReport, CandidateStatus, PlanReport};
use sim_core::plan::{self, Job, Outcome, PlanStatus, Settings, Space};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

pub const LONG_ABOUT: &str = "Finds the cheapest design that meets every SLO of the file at every load of its `plan:` block.\n\n\
The `plan:` block names what may change (`vary:` ranges, lists and bundles of fields), the loads to hold at \
(`loads: [1x, 3x]`), optionally traffic growth for the runway, and the confidence of verdicts. Candidates are \
tried cheapest first; those the analytic model shows overloaded are pruned; the others are simulated with \
replications on common seeds until every SLO at every load is decided at the plan's confidence.\n\n\
Exit codes: 0 a feasible plan was found; 1 no candidate is feasible; 3 cheaper candidates could not be decided \
within the budget; 2 an invalid file.";

#[derive(clap::Args)]
pub struct Args {
    /// The scenario file, with a `plan:` block.
    pub file: PathBuf,
    /// Write the plan as JSON to PATH, or to standard output with `-`.
    #[arg(long, value_name = "PATH|-")]
    pub json: Option<String>,
    /// Write a Markdown summary (for a pull-request comment) to PATH, or `-`.
    #[arg(long, value_name = "PATH|-")]
    pub markdown: Option<String>,
    /// Write the scenario with the chosen values into OUT.yaml (comments and layout kept).
    #[arg(long, value_name = "OUT.yaml")]
    pub write: Option<PathBuf>,
    /// Threads that run simulations (default: every core). The plan is the same for any number.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Use this seed instead of the file's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Most replications to simulate in all.
    #[arg(long, value_name = "N", default_value_t = Settings::default().budget)]
    pub budget: u64,
    /// Simulate every candidate of the space (no pruning, no early stop): the reference the
    /// search is compared with.
    #[arg(long, conflicts_with = "from")]
    pub exhaustive: bool,
    /// Choose the plan from a sweep of this file (`archsim sweep FILE --json`, or merged shards)
    /// without simulating: the same rule on the sweep's replications.
    #[arg(long, value_name = "SWEEP.json", conflicts_with_all = ["budget", "exhaustive"])]
    pub from: Option<PathBuf>,
}

pub fn plan(args: &Args) -> ExitCode {
    let Some((space, _name)) = read_space(&args.file) else {
        return ExitCode::from(2);
    };
    let space = space.with_seed(args.seed);
    if args.budget == 0 && args.from.is_none() {
        eprintln!("error: --budget must be at least 1");
        return ExitCode::from(2);
    }
    let settings = Settings {
        budget: args.budget,
        exhaustive: args.exhaustive,
        ..Settings::default()
    };
    let jobs = args.jobs.unwrap_or_else(pool::default_jobs).max(1);
    let report = match &args.from {
        Some(from) => match crate::plan_from::solve(&space, args.seed, from) {
            Ok(r) => r,
            Err(code) => return code,
        },
        None => solve(&space, settings, jobs),
    };
    if let Err(code) = outputs(args, &space, &report) {
        return code;
    }
    match report.status {
        PlanStatus::Found => ExitCode::SUCCESS,
        PlanStatus::None => ExitCode::from(1),
        PlanStatus::Undecided => ExitCode::from(3),
    }
}

/// Reads and checks the file and its plan; diagnostics printed, `None` on error.
pub fn read_space(path: &Path) -> Option<(Space, String)> {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return None;
        }
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let result = match sim_core::load(&bytes) {
        Err(diags) => Err(diags),
        Ok(_) => plan::space(&text),
    };
    match result {
        Ok(space) => Some((space, name)),
        Err(diags) => {
            crate::diagnostics::emit(&name, text.as_bytes(), &diags);
            let n = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{name}: {n} error{} found; nothing was simulated",
                if n == 1 { "" } else { "s" }
            );
            None
        }
    }
}

/// Runs the planner to the end on `jobs` threads.
pub fn solve(space: &Space, settings: Settings, jobs: usize) -> PlanReport {
    let mut p = plan::planner(space, settings);
    let mut cache: BTreeMap<(usize, u64), Arc<sim_core::Scenario>> = BTreeMap::new();
    let mut progress = Progress::new(space.len());
    loop {
        let batch = p.propose();
        if batch.is_empty() {
            break;
        }
        let outcomes = run_batch(space, &batch, jobs, &mut cache);
        p.consume(outcomes);
        progress.show(&p);
    }
    progress.finish();
    plan::output::build(&p, space)
}

/// Runs one batch: builds each new candidate-at-load once, then every replication, in parallel.
pub fn run_batch(
    space: &Space,
    batch: &[Job],
    jobs: usize,
    cache: &mut BTreeMap<(usize, u64), Arc<sim_core::Scenario>>,
) -> Vec<Outcome> {
    let mut missing: Vec<(usize, u64)> = batch
        .iter()
        .map(|j| (j.candidate, j.factor.to_bits()))
        .filter(|k| !cache.contains_key(k))
        .collect();
    missing.dedup();
    let built = pool::map(&missing, jobs, |&(c, f)| {
        let s = space
            .scenario(c)
            .expect("the planner runs valid candidates only");
        Arc::new(plan::space::at_load(&s, f64::from_bits(f)))
    });
    cache.extend(missing.into_iter().zip(built));
    let work: Vec<(Arc<sim_core::Scenario>, u32)> = batch
        .iter()
        .map(|j| {
            (
                cache[&(j.candidate, j.factor.to_bits())].clone(),
                j.replication,
            )
        })
        .collect();
    pool::map(&work, jobs, |(s, r)| plan::job::simulate(s, *r))
}

/// A spinner on standard error, only on a terminal and only once the plan takes a moment.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    candidates: usize,
}

impl Progress {
    fn new(candidates: usize) -> Progress {
        Progress {
            bar: None,
            started: std::time::Instant::now(),
            candidates,
        }
    }

    fn show(&mut self, p: &plan::Planner) {
        if !std::io::stderr().is_terminal() || self.started.elapsed().as_millis() < 500 {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        let decided = p
            .status
            .iter()
            .filter(|s| !matches!(s, plan::search::Status::Open))
            .count();
        bar.set_message(format!(
            "planning: {} replications, {decided} of {} candidates decided",
            p.replications, self.candidates
        ));
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

fn outputs(args: &Args, space: &Space, report: &PlanReport) -> Result<(), ExitCode> {
    let json = plan::output::json(report);
    let summary = summary(space, report);
    let mut printed_to_stdout = false;
    if let Some(dest) = &args.json {
        write_to(dest, &json)?;
        printed_to_stdout |= dest == "-";
    }
    if let Some(dest) = &args.markdown {
        write_to(dest, &markdown(space, report))?;
        printed_to_stdout |= dest == "-";
    }
    if let Some(out) = &args.write {
        let Some(best) = best_index(space, report) else {
            eprintln!(
                "error: no plan was found, so nothing was written to {}",
                out.display()
            );
            return Err(ExitCode::from(report_code(report)));
        };
        let text = space.text_of(best).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
        if let Err(e) = std::fs::write(out, text) {
            eprintln!("error: cannot write {}: {e}", out.display());
            return Err(ExitCode::from(2));
        }
    }
    if !printed_to_stdout {
        print!("{summary}");
    }
    Ok(())
}

fn report_code(r: &PlanReport) -> u8 {
    match r.status {
        PlanStatus::Found => 0,
        PlanStatus::None => 1,
        PlanStatus::Undecided => 3,
    }
}

pub(crate) fn write_to(dest: &str, text: &str) -> Result<(), ExitCode> {
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

/// The grid index of the plan's best candidate.
fn best_index(space: &Space, r: &PlanReport) -> Option<usize> {
    let b = r.best.as_ref()?;
    (0..space.len()).find(|&i| space.assignment(i) == b.assignment)
}

pub(crate) fn assignment_text(a: &plan::space::Assignment) -> String {
    a.iter()
        .map(|(k, v)| format!("{k} = {}", value_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(m) => format!(
            "{{ {} }}",
            m.iter()
                .map(|(k, v)| format!("{k}: {}", value_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

fn money(x: f64) -> String {
    usd(x)
}

fn factor(f: f64) -> String {
    format!("{}x", plan::format_factor(f))
}

fn status_word(s: CandidateStatus) -> &'static str {
    match s {
        CandidateStatus::Feasible => "feasible",
        CandidateStatus::Infeasible => "infeasible",
        CandidateStatus::Pruned => "pruned",
        CandidateStatus::Undecided => "undecided",
        CandidateStatus::NotNeeded => "not needed",
        CandidateStatus::Invalid => "invalid",
    }
}

/// Why a rejected candidate was rejected, in one line.
fn why(space: &Space, c: &CandidateReport) -> String {
    let mut s = match (&c.decided_by, &c.reason) {
        (Some(d), reason) => {
            let what = d.slo.clone().unwrap_or_else(|| "a run limit".into());
            let mut t = format!("{what} at {}", factor(d.load));
            let slo = space
                .base
                .slos
                .iter()
                .find(|x| Some(&x.expr) == d.slo.as_ref());
            if let (Some(v), Some(x)) = (d.value, slo) {
                t.push_str(&format!(": {}", slo_value(x, v)));
            }
            if let Some(m) = d.margin {
                t.push_str(&format!(" ({})", margin_text(m)));
            }
            if let Some(r) = reason {
                t.push_str(&format!(", {r}"));
            }
            t
        }
        (None, Some(r)) => r.clone(),
        (None, None) => String::new(),
    };
    if let Some(b) = &c.bottleneck {
        s.push_str(&format!(
            "; bottleneck {} ({:.0} % busy)",
            b.component,
            b.utilization * 100.0
        ));
    }
    s
}

/// How far a value misses its target: `12.5 % short` or, far off, `40x the target`.
fn margin_text(m: f64) -> String {
    if m < -1.0 {
        format!("{:.0}x the target", 1.0 - m)
    } else if m < 0.0 {
        format!("{:.1} % beyond the target", -m * 100.0)
    } else {
        format!("{:.1} % within the target", m * 100.0)
    }
}

/// The plan for people.
pub fn summary(space: &Space, r: &PlanReport) -> String {
    let mut o = String::new();
    let loads: Vec<String> = r.loads.iter().map(|&f| factor(f)).collect();
    o.push_str(&format!(
        "plan for {} (seed {}): {}; every SLO at {} with {:.1} % confidence\n",
        r.scenario,
        r.seed,
        match r.status {
            PlanStatus::Found => "found",
            PlanStatus::None => "no candidate is feasible",
            PlanStatus::Undecided => "undecided (cheaper candidates could not be decided)",
        },
        loads.join(", "),
        r.confidence * 100.0
    ));
    if let Some(b) = &r.best {
        o.push_str(&format!(
            "\nchosen: {}\ncost:   {}/month{}\n",
            assignment_text(&b.assignment),
            money(b.cost_usd_per_month),
            if b.cost_exact {
                ""
            } else {
                " (estimated: autoscaling or usage pricing)"
            }
        ));
        for l in &b.loads {
            o.push_str(&format!(
                "\nat {} ({} replications, simulated cost {}/month{}):\n",
                factor(l.load),
                l.replications,
                money(l.simulated_cost_usd_per_month),
                l.bottleneck
                    .as_ref()
                    .map(|b| format!(
                        ", bottleneck {} {:.0} %",
                        b.component,
                        b.utilization * 100.0
                    ))
                    .unwrap_or_default()
            ));
            let w = l.slo.iter().map(|s| s.expr.len()).max().unwrap_or(0);
            for s in &l.slo {
                let slo = space.base.slos.iter().find(|x| x.expr == s.expr);
                let value = match (s.value, slo) {
                    (Some(v), Some(x)) => slo_value(x, v),
                    _ => "not measured".into(),
                };
                let ci = match (s.ci95, slo) {
                    (Some([a, b]), Some(x)) => {
                        format!("  95 % CI {} .. {}", slo_value(x, a), slo_value(x, b))
                    }
                    _ => String::new(),
                };
                o.push_str(&format!(
                    "  {:<w$}  {:<4}  {value}{ci}\n",
                    s.expr,
                    crate::check::verdict_word(s.verdict)
                ));
            }
        }
        if let Some(h) = r.headroom {
            let top = r.loads.iter().copied().fold(0.0, f64::max);
            o.push_str(&format!(
                "\nheadroom: {h:.3}x the largest load (holds to {})\n",
                factor(top * h)
            ));
        }
        if let Some(from) = &r.from_sweep {
            o.push_str(&format!(
                "\nheadroom and runway: not computed (chosen from the sweep {from}; they need loads it did not simulate)\n"
            ));
        } else if let Some(g) = &r.growth {
            o.push_str(&match r.runway_months {
                Some(m) => format!(
                    "runway:   {m} month{} at {:.0} %/month growth (horizon {})\n",
                    if m == 1 { "" } else { "s" },
                    g.rate_per_month * 100.0,
                    g.horizon_months
                ),
                None => format!(
                    "runway:   holds to the horizon of {} months at {:.0} %/month growth\n",
                    g.horizon_months,
                    g.rate_per_month * 100.0
                ),
            });
        }
    }
    let rejected: Vec<&CandidateReport> = r
        .candidates
        .iter()
        .take_while(|c| c.status != CandidateStatus::Feasible)
        .filter(|c| c.status != CandidateStatus::NotNeeded)
        .collect();
    if !rejected.is_empty() {
        o.push_str(&format!(
            "\n{} cheaper candidate{} rejected:\n",
            rejected.len(),
            if rejected.len() == 1 { "" } else { "s" }
        ));
        for c in rejected.iter().take(12) {
            o.push_str(&format!(
                "  {}  {}/month  {}: {}\n",
                assignment_text(&c.assignment),
                c.cost_usd_per_month.map_or("-".into(), money),
                status_word(c.status),
                why(space, c)
            ));
        }
        if rejected.len() > 12 {
            o.push_str(&format!(
                "  ... and {} more (see --json)\n",
                rejected.len() - 12
            ));
        }
    }
    let e = &r.evaluations;
    o.push_str(&format!(
        "\nevaluations: {} of {} candidates {}, {} simulations, {} replications{}\n",
        e.candidates_simulated,
        e.candidates,
        if r.from_sweep.is_some() {
            "read"
        } else {
            "simulated"
        },
        e.simulations,
        e.replications,
        if r.from_sweep.is_some() {
            " read from the sweep (none simulated now)"
        } else {
            ""
        }
    ));
    o
}

/// The plan as Markdown, for a pull-request comment.
pub fn markdown(space: &Space, r: &PlanReport) -> String {
    let mut o = format!("### archsim plan: {}\n\n", r.scenario);
    match &r.best {
        Some(b) => {
            o.push_str(&format!(
                "**{}** at **{}/month**{}\n\n",
                assignment_text(&b.assignment),
                money(b.cost_usd_per_month),
                if r.status == PlanStatus::Undecided {
                    " (cheaper candidates undecided)"
                } else {
                    ""
                }
            ));
            o.push_str("| load | SLO | verdict | value | 95 % CI |\n|---|---|---|---|---|\n");
            for l in &b.loads {
                for s in &l.slo {
                    let slo = space.base.slos.iter().find(|x| x.expr == s.expr);
                    let f = |v: f64| slo.map_or(v.to_string(), |x| slo_value(x, v));
                    o.push_str(&format!(
                        "| {} | `{}` | {} | {} | {} |\n",
                        factor(l.load),
                        s.expr,
                        crate::check::verdict_word(s.verdict),
                        s.value.map_or("-".into(), f),
                        s.ci95
                            .map_or("-".into(), |[a, b]| format!("{} .. {}", f(a), f(b)))
                    ));
                }
            }
            if let Some(h) = r.headroom {
                o.push_str(&format!("\nHeadroom: {h:.2}x the largest load."));
            }
            if r.growth.is_some() && r.from_sweep.is_none() {
                o.push_str(&match r.runway_months {
                    Some(m) => format!(" Runway: {m} months."),
                    None => " Runway: holds to the horizon.".into(),
                });
            }
            o.push('\n');
        }
        None => o.push_str("**No feasible candidate.**\n"),
    }
    let rejected: Vec<&CandidateReport> = r
        .candidates
        .iter()
        .take_while(|c| c.status != CandidateStatus::Feasible)
        .filter(|c| c.status != CandidateStatus::NotNeeded)
        .take(10)
        .collect();
    if !rejected.is_empty() {
        o.push_str("\n| cheaper candidate | cost/month | status | why |\n|---|---|---|---|\n");
        for c in rejected {
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                assignment_text(&c.assignment),
                c.cost_usd_per_month.map_or("-".into(), money),
                status_word(c.status),
                why(space, c).replace('|', "\\|")
            ));
        }
    }
    let e = &r.evaluations;
    o.push_str(&format!(
        "\n{} of {} candidates simulated ({} replications).\n",
        e.candidates_simulated, e.candidates, e.replications
    ));
    o
}

/// `$1,234/month` without the unit: dollars with thousands separators.
pub(crate) fn usd(x: f64) -> String {
    let whole = x.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}${out}", if whole < 0 { "-" } else { "" })
}

/// An SLO's value in the unit of its target, through the one formatter every renderer uses.
pub(crate) fn slo_value(slo: &sim_core::slo::Slo, v: f64) -> String {
    sim_core::slo_unit::SloUnit::of(&slo.metric).format(v)
}
