//! Runs every validation case and prints `docs/validation.md`: a short explanation and the Markdown
//! table of every check.
//!
//! ```text
//! cargo run -p archsim-tests --release --example validation_table > docs/validation.md
//! ```
//!
//! An argument keeps only the cases whose label contains it (`-- "M/M/1 "`). The cases and the
//! tolerance rule are the test suite's own (`archsim_tests::cases`, `archsim_tests::check`), so the
//! table shows exactly what `cargo test -p archsim-tests --test validation` checks; the output is
//! deterministic (fixed seeds). Timings go to stderr. Exits 1 if any check fails.

use archsim_tests::cases::{self, REPLICATIONS};
use archsim_tests::check::{HISTOGRAM_RELATIVE_ERROR, MAX_RELATIVE_HALF_WIDTH};
use std::time::Instant;

const INTRO: &str = "\
# Validation against queueing theory

The simulation core is checked against closed-form results of queueing theory by the test suite in
`tests/validation.rs` (`cargo test -p archsim-tests --test validation`). Every case is a scenario
file, written as YAML, loaded with `sim_core::load` and simulated with `sim_core::simulate`, exactly
as the command line does; its report is compared with formulas computed independently of the core
(`tests/support/queueing.rs`, itself unit-tested against textbook values). The cases are defined
once, in `tests/support/cases.rs`, and both the tests and this table run them, so the two cannot
drift apart. This page is that program's output:

    cargo run -p archsim-tests --release --example validation_table > docs/validation.md

## Cases

- **M/M/1** at rho 0.5, 0.8, 0.95: mean sojourn W = 1/(mu - lambda) and the sojourn percentiles
  (the sojourn is exponential of rate mu - lambda, so the p-quantile is -ln(1 - p)/(mu - lambda)):
  p50, p90, p99 (p50 and p90 at rho 0.95, where a tight p99 would need some 10^8 customers).
- **M/M/c** by Erlang C, c = 2, 4, 8, 16 at rho 0.5, 0.8, 0.95 (`replicas: 1, concurrency: c`):
  mean wait Wq, mean sojourn W, utilisation.
- **M/D/1 and M/G/1** by Pollaczek-Khinchine, Wq = lambda E[S^2] / (2 (1 - rho)): constant,
  Erlang (k = 4), uniform and lognormal service, the moments derived from the YAML parameters.
- **M/M/inf** (`concurrency: unlimited`): L = lambda E[S]; the sojourn is the service time (mean
  and percentiles).
- **M/M/c/K** (`queue_limit: K - c`), including Erlang B (`queue_limit: 0`) and an overloaded
  M/M/1/6: blocking probability from the birth-death stationary distribution, compared with the
  workload's 1 - availability and the component's rejected / arrivals; throughput, L, W, utilisation.
- **Closed networks** against exact MVA: `users: N`, exponential think time, an entry service with
  `concurrency: unlimited` (exponential or zero service) calling single-server exponential stations
  in order. Since the entry's slots are unlimited, holding one during the calls costs nothing and
  the network is product-form with a delay station. Throughput, response time, and each station's
  utilisation and residence time.
- **An infinite-server stage calling an M/M/4 stage**: end-to-end mean E[S_inf] + W_M/M/4.
- **Little's law** L = lambda W on every component of every case: the time-average number present
  (`in_system_mean`) against the throughput times the mean sojourn.

## How tolerances are derived

Tolerances come from the simulation's own confidence intervals, never from a choice made to pass.
Each case runs R = {R} independent replications (`replications: {R}`); the report gives the mean of
each figure over the replications with a Student-t 95 % interval. A check widens that half-width to
two-sided 99.9 % with the same t distribution, half_width95 / t_0.975(R - 1) * t_0.9995(R - 1), and
passes when |simulated - exact| is within it. The only bias allowance is for percentiles, which
come from an HDR histogram whose reported values are within 0.4 % of the exact order statistic:
percentile checks add {H} % of the exact value. For Little's law both sides are estimates of one
value, so the tolerance is the sum of their 99.9 % half-widths (the half-width of lambda W bounded
by lambda hw(W) + W hw(lambda), whatever their correlation), and the closed-form column shows
lambda W.

A check must also be tight: its 99.9 % half-width (for Little's law, each side's) must be under
{M} % of the exact value, so that no check passes by being noisy. Run lengths were sized from pilot
runs to meet that (heavy load and rare waits need long runs); warm-ups are 20 times the exact mean
time in the system (a cycle for a closed network), since every replication starts empty. Seeds
are fixed (a hash of the case's label), so the results are reproducible; with about 160 checks at
99.9 %, a correct simulator would still be expected to miss one now and then, and a miss is
investigated, never re-seeded.

In the table, *simulated* is the mean over replications ± its 95 % half-width, *error* is
(simulated - exact) / exact, and *tolerance* is the allowed |simulated - exact| (99.9 % half-width
plus any allowance), also as a share of the exact value. Times are in milliseconds.

## Results

";

fn main() {
    let start = Instant::now();
    let filter = std::env::args().nth(1).unwrap_or_default();
    let mut checks = Vec::new();
    let mut events = 0u64;
    for case in cases::all()
        .into_iter()
        .filter(|c| c.label.contains(&filter))
    {
        let t = Instant::now();
        let report = case.simulate();
        let these = case.checks(&report);
        events += report.engine.events;
        eprintln!(
            "{:<62} {:>7.2} s {:>6.1} M events{}",
            case.label,
            t.elapsed().as_secs_f64(),
            report.engine.events as f64 / 1e6,
            if these.iter().all(|c| c.passes()) {
                ""
            } else {
                "  FAILED"
            }
        );
        checks.extend(these);
    }
    eprintln!(
        "total {:.1} s, {:.0} M events",
        start.elapsed().as_secs_f64(),
        events as f64 / 1e6
    );
    let intro = INTRO
        .replace("{R}", &REPLICATIONS.to_string())
        .replace("{H}", &(HISTOGRAM_RELATIVE_ERROR * 100.0).to_string())
        .replace("{M}", &(MAX_RELATIVE_HALF_WIDTH * 100.0).to_string());
    print!("{intro}");
    let failed = checks.iter().filter(|c| !c.passes()).count();
    println!(
        "{} checks, {} passed, {failed} failed; {:.0} million events simulated.\n",
        checks.len(),
        checks.len() - failed,
        events as f64 / 1e6
    );
    print!("{}", cases::markdown_table(&checks));
    if failed > 0 {
        eprintln!("{failed} of {} checks failed", checks.len());
        std::process::exit(1);
    }
}
