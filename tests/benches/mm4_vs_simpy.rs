//! Benchmark (a `harness = false` bench target, not a test): archsim against SimPy on M/M/4 at load
//! 0.9, and the peak memory of a five-service chain over a short and a long simulated span.
//!
//! Run it with `scripts/bench` (which sets up SimPy in a venv) or
//! `cargo bench -p archsim-tests --bench mm4_vs_simpy`; docs/benchmarks.md records the figures.
//!
//! 1. **Speed.** The M/M/4 scenario goes through the public path a user's file takes: YAML text ->
//!    `sim_core::load` -> `sim_core::simulate` (which includes building the report). Parse and
//!    simulation are timed separately with `Instant`; customers per second counts both. SimPy runs
//!    the same model (tests/benches/simpy_mm4.py, `simpy.Resource(capacity=4)`) in a child Python
//!    process that times `env.run()` with `time.perf_counter`. Repetitions alternate between the two
//!    so both see the same machine load; CPU time is printed beside wall time for busy machines.
//!    Both sides print their mean sojourn beside the Erlang C value, so a reader can see they
//!    simulate the same queue.
//! 2. **Memory.** A chain api -> auth -> catalog -> pricing -> db at 5,000 rps is simulated for one
//!    minute and for one hour, each in a fresh child process (this binary re-run with
//!    `--memory-child SECONDS`), which reports its peak resident set (`VmHWM`) from /proc.
//!
//! Knobs (environment): `ARCHSIM_PYTHON` (interpreter with simpy; default `python3`),
//! `ARCHSIM_BENCH_CUSTOMERS` (archsim customers per repetition, default 1,500,000),
//! `ARCHSIM_BENCH_REPS` (repetitions of each side, interleaved, default 5),
//! `ARCHSIM_BENCH_SIMPY_CUSTOMERS` (SimPy customers per repetition, default 200,000),
//! `ARCHSIM_BENCH_SKIP=simpy,memory`.
//! Arguments: `--memory-child SECONDS` (internal), `--archsim-only` (no SimPy, no memory: the short
//! driver used under callgrind).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// Service rate of one server, per second (mean service time 10 ms).
const MU: f64 = 100.0;
/// Servers.
const C: u32 = 4;
/// Offered load per server.
const RHO: f64 = 0.9;
/// Arrival rate, per second: 360/s.
const LAMBDA: f64 = RHO * C as f64 * MU;

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

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
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

fn mm4_yaml(seed: u64, duration_s: u64) -> String {
    format!(
        "version: 1\n\
         name: mm4-bench\n\
         seed: {seed}\n\
         duration: {duration_s}s\n\
         components:\n  \
           server:\n    \
             kind: service\n    \
             concurrency: {C}\n    \
             service_time: {{ exponential: {service_ms}ms }}\n\
         workloads:\n  \
           - {{ name: customers, entry: server, arrivals: {{ poisson: {LAMBDA}/s }} }}\n",
        service_ms = 1000.0 / MU,
    )
}

/// The five-service chain of the memory check at `rate` requests per second. Holding times nest
/// (a caller keeps its slot while its calls run), so slots per replica grow up the chain; with four
/// replicas each, every service runs at 55-65 % of its slots at 5,000 rps.
fn chain_yaml(rate: u64, duration_s: u64) -> String {
    // (name, mean local work ms, concurrency per replica, callee)
    let chain = [
        ("api", 2, 24, Some("auth")),
        ("auth", 1, 20, Some("catalog")),
        ("catalog", 3, 18, Some("pricing")),
        ("pricing", 2, 12, Some("db")),
        ("db", 4, 8, None),
    ];
    let mut y =
        format!("version: 1\nname: chain-memory\nseed: 5\nduration: {duration_s}s\ncomponents:\n");
    for (name, ms, conc, callee) in chain {
        y += &format!(
            "  {name}:\n    kind: service\n    replicas: 4\n    concurrency: {conc}\n    \
             service_time: {{ exponential: {ms}ms }}\n"
        );
        if let Some(to) = callee {
            y += &format!("    calls: [ {{ to: {to} }} ]\n");
        }
    }
    y += &format!(
        "workloads:\n  - {{ name: web, entry: api, arrivals: {{ poisson: {rate}/s }} }}\n"
    );
    y
}

/// CPU time this thread has run, from /proc/thread-self/schedstat (ns), when the kernel offers it.
/// Wall time is the headline; CPU time is printed beside it because on a shared machine a process
/// that waits for a core loses wall time without doing more work.
fn thread_cpu_s() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

struct ArchsimRep {
    parse_s: f64,
    sim_s: f64,
    cpu_s: Option<f64>,
    customers: u64,
    events: u64,
    mean_sojourn_s: f64,
}

fn archsim_once(seed: u64, duration_s: u64) -> ArchsimRep {
    let text = mm4_yaml(seed, duration_s);
    let c0 = thread_cpu_s();
    let t0 = Instant::now();
    let loaded = sim_core::load(text.as_bytes()).expect("the M/M/4 scenario is valid");
    let t1 = Instant::now();
    let report = sim_core::simulate(&loaded.scenario).expect("within limits");
    let t2 = Instant::now();
    // The kernel updates this counter at scheduler ticks, so it is only meaningful for long runs.
    let cpu_s = thread_cpu_s()
        .zip(c0)
        .map(|(c1, c0)| c1 - c0)
        .filter(|&c| c > 0.05);
    let w = &report.workloads["customers"];
    ArchsimRep {
        parse_s: (t1 - t0).as_secs_f64(),
        sim_s: (t2 - t1).as_secs_f64(),
        cpu_s,
        customers: w.completed,
        events: report.engine.events,
        mean_sojourn_s: w.latency_ms.mean / 1000.0,
    }
}

struct SimpyRep {
    customers: u64,
    wall_s: f64,
    cpu_s: f64,
    mean_sojourn_s: f64,
}

/// `ARCHSIM_PYTHON` or `python3`. Cargo runs benches in the package directory (tests/), so a relative
/// path that does not exist from there is taken from the workspace root, where it was likely typed.
fn python() -> String {
    let Ok(py) = std::env::var("ARCHSIM_PYTHON") else {
        return "python3".to_string();
    };
    let path = std::path::Path::new(&py);
    if py.contains('/') && path.is_relative() && !path.exists() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path);
        if let Ok(root) = root.canonicalize() {
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

fn simpy_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/simpy_mm4.py")
}

/// One repetition of the SimPy model in a fresh interpreter.
fn simpy_once(py: &str, customers: u64, seed: u64) -> Result<SimpyRep, String> {
    let script = simpy_script();
    let out = Command::new(py)
        .arg(&script)
        .args(["--lam", &LAMBDA.to_string(), "--mu", &MU.to_string()])
        .args(["--servers", &C.to_string()])
        .args(["--customers", &customers.to_string()])
        .args(["--reps", "1", "--seed", &seed.to_string()])
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
    Ok(SimpyRep {
        customers: f("customers")? as u64,
        wall_s: f("wall_s")?,
        cpu_s: f("cpu_s")?,
        mean_sojourn_s: f("mean_sojourn_s")?,
    })
}

/// Child process of the memory check: simulate the chain, print peak RSS and what was simulated.
fn memory_child(duration_s: u64) {
    let text = chain_yaml(5_000, duration_s);
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
        report.engine.events, report.workloads["web"].completed
    );
}

fn memory_check() {
    println!("\n== Memory: chain api -> auth -> catalog -> pricing -> db at 5,000 rps ==");
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--memory-child") {
        let secs = args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .expect("--memory-child SECONDS");
        memory_child(secs);
        return;
    }
    let archsim_only = args.iter().any(|a| a == "--archsim-only");

    let customers = env_u64("ARCHSIM_BENCH_CUSTOMERS", 1_500_000);
    let reps = env_u64("ARCHSIM_BENCH_REPS", 5).max(1);
    let duration_s = ((customers as f64 / LAMBDA).ceil() as u64).max(1);
    let theory_w = mmc_sojourn_s(C, LAMBDA, MU);
    println!(
        "M/M/{C}: lambda = {LAMBDA}/s, mu = {MU}/s per server, load {RHO}; \
         Erlang C = {:.4}, mean sojourn W = {:.3} ms",
        erlang_c(C, LAMBDA / MU),
        theory_w * 1e3
    );

    let simpy = if archsim_only {
        Err("--archsim-only".to_string())
    } else if skipped("simpy") {
        Err("skipped (ARCHSIM_BENCH_SKIP)".to_string())
    } else {
        probe_simpy()
    };
    let s_customers = env_u64("ARCHSIM_BENCH_SIMPY_CUSTOMERS", 200_000);
    println!(
        "archsim: YAML -> sim_core::load -> simulate, {reps} x {duration_s} s simulated (~{customers} customers)"
    );
    if let Ok((py, version)) = &simpy {
        println!(
            "SimPy {version}: {} with {py}, {reps} x {s_customers} customers, \
             interleaved with the archsim repetitions",
            simpy_script().display()
        );
    }

    let (mut a_rates, mut a_cpu_rates, mut a_events, mut a_parse, mut a_w) =
        (vec![], vec![], vec![], vec![], vec![]);
    let (mut s_rates, mut s_cpu_rates, mut s_w, mut ratios) = (vec![], vec![], vec![], vec![]);
    let mut simpy_error = None;
    for r in 0..reps {
        let rep = archsim_once(r + 1, duration_s);
        let total = rep.parse_s + rep.sim_s;
        let rate = rep.customers as f64 / total;
        let cpu_rate = rep.cpu_s.map(|c| rep.customers as f64 / c);
        println!(
            "  rep {}: archsim {} customers, {} events, parse {:.3} ms + simulate {:.3} s \
             -> {:.2} M customers/s ({} on CPU time), {:.2} M events/s, mean sojourn {:.3} ms",
            r + 1,
            rep.customers,
            rep.events,
            rep.parse_s * 1e3,
            rep.sim_s,
            rate / 1e6,
            cpu_rate.map_or("n/a".to_string(), |c| format!("{:.2} M", c / 1e6)),
            rep.events as f64 / rep.sim_s / 1e6,
            rep.mean_sojourn_s * 1e3
        );
        a_rates.push(rate);
        a_cpu_rates.extend(cpu_rate);
        a_events.push(rep.events as f64 / rep.sim_s);
        a_parse.push(rep.parse_s);
        a_w.push(rep.mean_sojourn_s);
        if let (Ok((py, _)), None) = (&simpy, &simpy_error) {
            match simpy_once(py, s_customers, r + 1) {
                Ok(s) => {
                    let s_rate = s.customers as f64 / s.wall_s;
                    println!(
                        "         SimPy {} customers in {:.2} s -> {:.0} customers/s ({:.0} on CPU time), \
                         mean sojourn {:.3} ms; this pair: {:.1}x",
                        s.customers,
                        s.wall_s,
                        s_rate,
                        s.customers as f64 / s.cpu_s,
                        s.mean_sojourn_s * 1e3,
                        rate / s_rate
                    );
                    s_rates.push(s_rate);
                    s_cpu_rates.push(s.customers as f64 / s.cpu_s);
                    s_w.push(s.mean_sojourn_s);
                    ratios.push(rate / s_rate);
                }
                Err(e) => simpy_error = Some(e),
            }
        }
    }

    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let a_rate = median(&a_rates);
    println!(
        "\narchsim: median {:.0} customers/s{} ({:.2} M events/s, parse {:.3} ms); \
         mean sojourn {:.3} ms ({:+.2} % vs Erlang C)",
        a_rate,
        if a_cpu_rates.is_empty() {
            String::new()
        } else {
            format!(", {:.0} on CPU time", median(&a_cpu_rates))
        },
        median(&a_events) / 1e6,
        median(&a_parse) * 1e3,
        mean(&a_w) * 1e3,
        (mean(&a_w) / theory_w - 1.0) * 100.0
    );
    if archsim_only {
        return;
    }
    if !s_rates.is_empty() {
        let s_rate = median(&s_rates);
        println!(
            "SimPy:   median {s_rate:.0} customers/s, {:.0} on CPU time; \
             mean sojourn {:.3} ms ({:+.2} % vs Erlang C)",
            median(&s_cpu_rates),
            mean(&s_w) * 1e3,
            (mean(&s_w) / theory_w - 1.0) * 100.0
        );
        println!(
            "archsim / SimPy = {:.1}x (median customers/s, wall time); median of the paired ratios \
             {:.1}x; on CPU time {}; goal: at least 50x",
            a_rate / s_rate,
            median(&ratios),
            if a_cpu_rates.is_empty() {
                "n/a".to_string()
            } else {
                format!("{:.1}x", median(&a_cpu_rates) / median(&s_cpu_rates))
            }
        );
    }
    if skipped("simpy") {
        println!("SimPy skipped (ARCHSIM_BENCH_SKIP)");
    } else if let Some(why) = simpy_error.or(simpy.err()) {
        println!(
            "SimPy not measured: {why}.\n  Install it with `pip install simpy` \
             (or run scripts/bench, which makes a venv in target/bench-venv), \
             or point ARCHSIM_PYTHON at an interpreter that has it."
        );
    }

    if skipped("memory") {
        println!("\nmemory check skipped (ARCHSIM_BENCH_SKIP)");
    } else {
        memory_check();
    }
}
