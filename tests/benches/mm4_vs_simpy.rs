//! Benchmark (a `harness = false` bench target, not a test): archsim against the floor (a minimal
//! hand-written event loop) and against SimPy, on M/M/4 at load 0.9 and on a five-service chain of
//! synchronous calls; the events/s of a 21-component two-region architecture; and the peak memory of
//! the chain over a short and a long simulated span.
//!
//! Run it with `scripts/bench` (which sets up SimPy in a venv) or
//! `cargo bench -p archsim-tests --bench mm4_vs_simpy`; docs/benchmarks.md records the figures.
//!
//! 1. **M/M/4 and the chain.** archsim takes the public path a user's file takes: YAML text ->
//!    `sim_core::load` -> `sim_core::simulate` (which includes building the report), timed with
//!    `Instant`. The floor (`floor.rs`) runs the same model on the same named random streams, so it
//!    follows the same sample path. SimPy runs its twin (`simpy_mm4.py`, `simpy_chain.py`) in a
//!    child Python process that times `env.run()`. Repetitions alternate archsim, floor, SimPy, so
//!    all three see the same machine load; the ratios are medians of the per-repetition ratios, and
//!    CPU time is printed beside wall time for busy machines. The chain's mean latency is printed
//!    for archsim and SimPy with 95 % intervals over the repetitions, and whether they agree.
//! 2. **Two regions, 21 components** (`models::two_region_yaml`): archsim's events per second.
//! 3. **Memory.** The chain at 5,000 rps is simulated for one minute and for one hour, each in a
//!    fresh child process (this binary re-run with `--memory-child SECONDS`), which reports its peak
//!    resident set (`VmHWM`) from /proc.
//!
//! Knobs (environment): `ARCHSIM_PYTHON` (interpreter with simpy; default `python3`),
//! `ARCHSIM_BENCH_CUSTOMERS` (archsim and floor M/M/4 customers per repetition, default 1,500,000),
//! `ARCHSIM_BENCH_REPS` (repetitions of each side, interleaved, default 5),
//! `ARCHSIM_BENCH_SIMPY_CUSTOMERS` (SimPy M/M/4 customers per repetition, default 200,000),
//! `ARCHSIM_BENCH_SKIP=simpy,memory,chain,two-region`.
//! Arguments: `--memory-child SECONDS` (internal); `--only CASE` runs one side once, with no SimPy
//! and no memory check (the short drivers used under callgrind): `mm4`, `floor-mm4`, `chain`,
//! `floor-chain`, `two-region`; `--archsim-only` is `--only mm4`. `--yaml CASE` prints a case's
//! scenario (`mm4`, `chain`, `two-region`), to run it with `archsim run`.

mod floor;
mod models;
mod report;

use models::{C, CHAIN, CHAIN_RATE, CHAIN_WORKLOAD, LAMBDA, MU, RHO};
use report::{Pair, Side, median};
use sim_core::stats::estimate::Estimate;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v}: expected a whole number")),
        Err(_) => default,
    }
}

fn skipped(what: &str) -> bool {
    std::env::var("ARCHSIM_BENCH_SKIP").is_ok_and(|v| v.split(',').any(|s| s.trim() == what))
}

/// Erlang C: the probability that an arrival waits in M/M/c with offered load `a = lambda/mu`.
fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / c as f64;
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let top = term * a / c as f64 / (1.0 - rho); // a^c / c! / (1 - rho)
    top / (sum + top)
}

/// Mean sojourn of M/M/c in seconds: Erlang C / (c mu - lambda) + 1 / mu.
fn mmc_sojourn_s(c: u32, lambda: f64, mu: f64) -> f64 {
    erlang_c(c, lambda / mu) / (c as f64 * mu - lambda) + 1.0 / mu
}

/// CPU time this thread has run, from /proc/thread-self/schedstat (ns), when the kernel offers it.
/// Wall time is the headline; CPU time is printed beside it because on a shared machine a process
/// that waits for a core loses wall time without doing more work.
fn thread_cpu_s() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Runs `f`, timing it by wall clock and thread CPU time (the CPU figure only when long enough to
/// be meaningful: the kernel updates it at scheduler ticks).
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, Option<f64>) {
    let c0 = thread_cpu_s();
    let t0 = Instant::now();
    let out = f();
    let wall = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu_s()
        .zip(c0)
        .map(|(c1, c0)| c1 - c0)
        .filter(|&c| c > 0.05);
    (out, wall, cpu)
}

/// One archsim repetition: load and simulate `text`, with the workload's figures.
fn archsim_once(text: &str, workload: &str) -> Side {
    let (report, wall, cpu) = timed(|| {
        let loaded = sim_core::load(text.as_bytes()).expect("the bench's scenarios are valid");
        sim_core::simulate(&loaded.scenario).expect("within limits")
    });
    let w = &report.workloads[workload];
    Side {
        customers: w.completed,
        events: report.engine.events,
        wall_s: wall,
        cpu_s: cpu,
        mean_sojourn_s: w.latency_ms.mean / 1000.0,
    }
}

fn floor_side(run: impl FnOnce() -> floor::FloorRun) -> Side {
    let (r, wall, cpu) = timed(run);
    Side {
        customers: r.customers,
        events: r.events,
        wall_s: wall,
        cpu_s: cpu,
        mean_sojourn_s: r.mean_sojourn_s,
    }
}

/// `ARCHSIM_PYTHON` or `python3`. Cargo runs benches in the package directory (tests/), so a relative
/// path that does not exist from there is taken from the workspace root, where it was likely typed.
fn python() -> String {
    let Ok(py) = std::env::var("ARCHSIM_PYTHON") else {
        return "python3".to_string();
    };
    let path = std::path::Path::new(&py);
    if py.contains('/') && path.is_relative() && !path.exists() {
        // Not canonicalised: a venv's interpreter is a symlink, and resolving it leaves the venv.
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path);
        if root.exists() {
            return root.to_string_lossy().into_owned();
        }
    }
    py
}

/// The interpreter and SimPy's version; `Err` explains why SimPy cannot run.
fn probe_simpy() -> Result<(String, String), String> {
    let py = python();
    let probe = Command::new(&py)
        .args(["-c", "import simpy; print(simpy.__version__)"])
        .output()
        .map_err(|e| format!("cannot run `{py}` ({e})"))?;
    if !probe.status.success() {
        return Err(format!("`{py}` cannot import simpy"));
    }
    let version = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    Ok((py, version))
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join(name)
}

/// One repetition of a SimPy script in a fresh interpreter; it prints one JSON line.
fn simpy_once(py: &str, name: &str, args: &[String]) -> Result<Side, String> {
    let script = script(name);
    let out = Command::new(py)
        .arg(&script)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {} ({e})", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("bad line from SimPy `{line}`: {e}"))?;
    let f = |k: &str| v[k].as_f64().ok_or(format!("no `{k}` in `{line}`"));
    Ok(Side {
        customers: f("customers")? as u64,
        events: 0,
        wall_s: f("wall_s")?,
        cpu_s: Some(f("cpu_s")?),
        mean_sojourn_s: f("mean_sojourn_s")?,
    })
}

fn simpy_mm4_args(customers: u64, seed: u64) -> Vec<String> {
    let a = [
        ("--lam", LAMBDA.to_string()),
        ("--mu", MU.to_string()),
        ("--servers", C.to_string()),
        ("--customers", customers.to_string()),
        ("--reps", "1".to_string()),
        ("--seed", seed.to_string()),
    ];
    a.into_iter()
        .flat_map(|(k, v)| [k.to_string(), v])
        .collect()
}

fn simpy_chain_args(until_s: u64, seed: u64) -> Vec<String> {
    let mut a = vec![
        "--rate".to_string(),
        CHAIN_RATE.to_string(),
        "--until".to_string(),
        until_s.to_string(),
        "--seed".to_string(),
        seed.to_string(),
    ];
    for s in &CHAIN {
        a.push("--stage".to_string());
        a.push(format!(
            "{},{},{},{}",
            s.name, s.work_ms, s.concurrency, s.replicas
        ));
    }
    a
}

/// Child process of the memory check: simulate the chain, print peak RSS and what was simulated.
fn memory_child(duration_s: u64) {
    let text = models::chain_yaml(5, CHAIN_RATE, duration_s);
    let t0 = Instant::now();
    let loaded = sim_core::load(text.as_bytes()).expect("the chain scenario is valid");
    let report = sim_core::simulate(&loaded.scenario).expect("within limits");
    let wall = t0.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    let utils = report.components.values().map(|c| c.utilization);
    let lo = utils.clone().fold(f64::NAN, f64::min);
    let hi = utils.fold(f64::NAN, f64::max);
    println!(
        "{hwm_kb} {} {} {wall} {lo} {hi}",
        report.engine.events, report.workloads[CHAIN_WORKLOAD].completed
    );
}

fn memory_check() {
    println!("\n== Memory: the chain at 5,000 rps, 1 minute and 1 hour ==");
    if !std::path::Path::new("/proc/self/status").exists() {
        println!("skipped: needs /proc/self/status (Linux)");
        return;
    }
    let exe = std::env::current_exe().expect("own path");
    let mut peaks = Vec::new();
    for (label, secs) in [("1 minute", 60u64), ("1 hour", 3_600)] {
        let out = Command::new(&exe)
            .args(["--memory-child", &secs.to_string()])
            .output()
            .expect("re-run this bench as a child");
        assert!(
            out.status.success(),
            "memory child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<f64> = line
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect();
        let (kb, events, completed, wall, lo, hi) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        println!(
            "{label:>8}: peak RSS {:>7.1} MiB ({kb:.0} kB VmHWM), {completed:.0} requests, \
             {events:.0} events in {wall:.1} s ({:.2} M events/s), services at {:.0}-{:.0} % of slots",
            kb / 1024.0,
            events / wall / 1e6,
            lo * 100.0,
            hi * 100.0
        );
        peaks.push(kb);
    }
    println!(
        "peak RSS 1 h / 1 min = {:.3} ({:+.0} kB)",
        peaks[1] / peaks[0],
        peaks[1] - peaks[0]
    );
}

/// M/M/4: archsim, the floor and SimPy, interleaved.
fn mm4(reps: u64, simpy: &Result<(String, String), String>) -> Pair {
    let customers = env_u64("ARCHSIM_BENCH_CUSTOMERS", 1_500_000);
    let s_customers = env_u64("ARCHSIM_BENCH_SIMPY_CUSTOMERS", 200_000);
    let duration_s = ((customers as f64 / LAMBDA).ceil() as u64).max(1);
    let theory_w = mmc_sojourn_s(C, LAMBDA, MU);
    println!(
        "== M/M/{C}: lambda = {LAMBDA}/s, mu = {MU}/s per server, load {RHO}; \
         Erlang C = {:.4}, mean sojourn W = {:.3} ms ==",
        erlang_c(C, LAMBDA / MU),
        theory_w * 1e3
    );
    println!(
        "archsim and floor: {reps} x {duration_s} s simulated (~{customers} customers); \
         SimPy: {reps} x {s_customers} customers"
    );
    let mut pair = Pair::new("M/M/4", "customers");
    for r in 1..=reps {
        let a = archsim_once(&models::mm4_yaml(r, duration_s), "customers");
        let f = floor_side(|| floor::mmc(r, duration_s * 1_000_000_000, LAMBDA, MU, C));
        let s = simpy
            .as_ref()
            .ok()
            .map(|(py, _)| simpy_once(py, "simpy_mm4.py", &simpy_mm4_args(s_customers, r)));
        pair.push(r, a, f, s);
    }
    pair.summary(Some(theory_w));
    pair
}

/// The chain: archsim, the floor and SimPy, interleaved; archsim's and SimPy's mean latency with
/// their intervals.
fn chain(reps: u64, simpy: &Result<(String, String), String>) -> Pair {
    let (duration_s, s_until) = (60, 6);
    println!(
        "\n== Chain {} at {CHAIN_RATE} rps, synchronous calls (slots held during calls) ==",
        CHAIN.map(|s| s.name).join(" -> ")
    );
    println!(
        "archsim and floor: {reps} x {duration_s} s simulated; SimPy: {reps} x {s_until} s simulated"
    );
    let mut pair = Pair::new("chain", "requests");
    for r in 1..=reps {
        let a = archsim_once(
            &models::chain_yaml(r, CHAIN_RATE, duration_s),
            CHAIN_WORKLOAD,
        );
        let end = duration_s * 1_000_000_000;
        let f = floor_side(|| floor::chain(r, end, CHAIN_RATE as f64, &CHAIN, CHAIN_WORKLOAD));
        let s = simpy
            .as_ref()
            .ok()
            .map(|(py, _)| simpy_once(py, "simpy_chain.py", &simpy_chain_args(s_until, r)));
        pair.push(r, a, f, s);
    }
    pair.summary(None);
    let a = Estimate::from_samples(
        &pair
            .archsim
            .iter()
            .map(|s| s.mean_sojourn_s)
            .collect::<Vec<_>>(),
    );
    let s = Estimate::from_samples(
        &pair
            .simpy
            .iter()
            .map(|s| s.mean_sojourn_s)
            .collect::<Vec<_>>(),
    );
    if s.n >= 2 {
        report::agreement(&a, &s);
    }
    pair
}

/// The 21-component two-region case: archsim's events per second.
fn two_region(reps: u64) -> Option<f64> {
    let duration_s = models::TWO_REGION_S;
    println!("\n== Two regions, 21 components, 10,000 rps: {reps} x {duration_s} s simulated ==");
    let mut rates = Vec::new();
    for r in 1..=reps {
        let text = models::two_region_yaml(r, duration_s);
        let (report, wall, _) = timed(|| {
            let loaded = sim_core::load(text.as_bytes()).expect("the two-region scenario is valid");
            sim_core::simulate(&loaded.scenario).expect("within limits")
        });
        let w = &report.workloads["users"];
        let utils = report.components.values().map(|c| c.utilization);
        let hi = utils.fold(0.0, f64::max);
        println!(
            "  rep {r}: {} events for {} requests ({:.1} per request) in {wall:.2} s -> {:.2} M events/s; \
             availability {:.3} %, p99 {:.1} ms, busiest component at {:.0} % of its slots",
            report.engine.events,
            w.completed,
            report.engine.events as f64 / w.requests.max(1) as f64,
            report.engine.events as f64 / wall / 1e6,
            w.availability * 100.0,
            w.latency_ms.p99,
            hi * 100.0
        );
        rates.push(report.engine.events as f64 / wall);
    }
    let m = median(&rates);
    println!("two regions: median {:.2} M events/s", m / 1e6);
    Some(m)
}

/// `--only CASE`: one side of one case once, for callgrind.
fn only(case: &str) {
    let customers = env_u64("ARCHSIM_BENCH_CUSTOMERS", 1_500_000);
    let mm4_s = ((customers as f64 / LAMBDA).ceil() as u64).max(1);
    let side = match case {
        "mm4" => archsim_once(&models::mm4_yaml(1, mm4_s), "customers"),
        "floor-mm4" => floor_side(|| floor::mmc(1, mm4_s * 1_000_000_000, LAMBDA, MU, C)),
        "chain" => archsim_once(&models::chain_yaml(1, CHAIN_RATE, 10), CHAIN_WORKLOAD),
        "floor-chain" => floor_side(|| {
            floor::chain(1, 10_000_000_000, CHAIN_RATE as f64, &CHAIN, CHAIN_WORKLOAD)
        }),
        "two-region" => archsim_once(&models::two_region_yaml(1, 5), "users"),
        other => {
            panic!("--only {other}: expected mm4, floor-mm4, chain, floor-chain or two-region")
        }
    };
    println!(
        "{case}: {} customers, {} events in {:.3} s, mean sojourn {:.3} ms",
        side.customers,
        side.events,
        side.wall_s,
        side.mean_sojourn_s * 1e3
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .map(|i| args.get(i + 1).cloned().unwrap_or_default())
    };
    if let Some(secs) = arg("--memory-child") {
        memory_child(secs.parse().expect("--memory-child SECONDS"));
        return;
    }
    if let Some(case) = arg("--yaml") {
        return print!("{}", models::yaml(&case));
    }
    if let Some(case) = arg("--only") {
        return only(&case);
    }
    if args.iter().any(|a| a == "--archsim-only") {
        return only("mm4");
    }
    let reps = env_u64("ARCHSIM_BENCH_REPS", 5).max(1);
    let simpy = if skipped("simpy") {
        Err("skipped (ARCHSIM_BENCH_SKIP)".to_string())
    } else {
        probe_simpy()
    };
    match &simpy {
        Ok((py, version)) => println!("SimPy {version} with {py}"),
        Err(why) => println!(
            "SimPy not measured: {why}.\n  Install it with `pip install simpy` \
             (or run scripts/bench, which makes a venv in target/bench-venv), \
             or point ARCHSIM_PYTHON at an interpreter that has it."
        ),
    }
    let mut pairs = vec![mm4(reps, &simpy)];
    if !skipped("chain") {
        pairs.push(chain(reps, &simpy));
    }
    let events = if skipped("two-region") {
        None
    } else {
        two_region(reps.min(3))
    };
    report::ratios(&pairs, events);
    if skipped("memory") {
        println!("\nmemory check skipped (ARCHSIM_BENCH_SKIP)");
    } else {
        memory_check();
    }
}
