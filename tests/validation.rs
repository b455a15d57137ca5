//! The simulator against closed-form queueing theory, through the public API only
//! (`sim_core::load` then `sim_core::simulate`).
//!
//! The cases live in `support/cases.rs` (shared with the docs table, `examples/validation_table.rs`);
//! the closed forms in `support/queueing.rs`; the tolerance rule in `support/check.rs`:
//! |simulated - exact| <= the 99.9 % Student-t half-width over the replications (widened from the
//! report's 95 % interval), + 0.4 % of exact for percentiles only (HDR histogram resolution); and the
//! 99.9 % half-width must be under 5 % of exact, so no check passes by being noisy. Every case also
//! checks Little's law on each of its components. Seeds are fixed: the results are reproducible.
//!
//! One test per family of cases, so that the families run in parallel.

use archsim_tests::cases::{self, Family};
use archsim_tests::check::Check;

/// Runs every case of `family` (those whose label contains `filter`) and fails listing every check
/// that is out of tolerance or not tight, after printing them all.
fn validate(family: Family, filter: &str) {
    let mut checks: Vec<Check> = Vec::new();
    let selected: Vec<_> = cases::all()
        .into_iter()
        .filter(|c| c.family == family && c.label.contains(filter))
        .collect();
    assert!(
        !selected.is_empty(),
        "no case of {family:?} matches {filter:?}"
    );
    for case in selected {
        checks.extend(case.run());
    }
    for c in &checks {
        println!("{c}");
    }
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| !c.passes())
        .map(|c| c.to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} checks failed:\n{}",
        failed.len(),
        checks.len(),
        failed.join("\n")
    );
}

/// M/M/1 at rho 0.5, 0.8, 0.95: mean sojourn 1/(mu - lambda), sojourn p50/p90/p99 of the
/// exponential law of rate mu - lambda, utilisation.
#[test]
fn mm1_sojourn_mean_and_percentiles() {
    validate(Family::Mmc, "M/M/1 ");
}

/// M/M/c by Erlang C (Wq, W, utilisation), c = 2 and 4, rho 0.5, 0.8, 0.95.
#[test]
fn mmc_erlang_c_few_servers() {
    validate(Family::Mmc, "c=2 ");
    validate(Family::Mmc, "c=4 ");
}

/// M/M/c by Erlang C, c = 8, rho 0.5, 0.8, 0.95.
#[test]
fn mmc_erlang_c_8_servers() {
    validate(Family::Mmc, "c=8 ");
}

/// M/M/c by Erlang C, c = 16, rho 0.5, 0.8, 0.95.
#[test]
fn mmc_erlang_c_16_servers() {
    validate(Family::Mmc, "c=16 ");
}

/// M/D/1 and M/G/1 (Erlang, uniform, lognormal service) by Pollaczek-Khinchine.
#[test]
fn mg1_pollaczek_khinchine() {
    validate(Family::Mg1, "");
}

/// M/M/inf (`concurrency: unlimited`): L = lambda E[S], sojourn = service time.
#[test]
fn mm_infinity() {
    validate(Family::MmInf, "");
}

/// M/M/c/K (`queue_limit`) and Erlang B (`queue_limit: 0`): blocking, throughput, L, W.
#[test]
fn loss_systems() {
    validate(Family::Loss, "");
}

/// Closed networks (users, think time, an infinite-server front calling single-server stations)
/// against exact MVA: throughput, response time, per-station utilisation and residence.
#[test]
fn closed_network_mva() {
    validate(Family::Closed, "");
}

/// An infinite-server stage calling an M/M/c stage: end-to-end mean E[S_inf] + W_MMc.
#[test]
fn infinite_server_then_mmc() {
    validate(Family::Tandem, "");
}

/// A five-year run (durations in `y`, `max_simulated_time` raised in the file) of a low-rate
/// M/M/1: one request a minute, 30 s of service (rho = 0.5), so mean sojourn 1/(mu - lambda) =
/// 60 s and utilisation 0.5, within the tolerance rule of `support/check.rs`. Each replication
/// sees about 2.6 million requests; the clock (integer nanoseconds) covers the 1.6e17 ns without
/// overflow.
#[test]
fn a_five_year_low_rate_mm1_meets_its_closed_form() {
    use archsim_tests::check::{Allowance, Simulated};
    let file = "version: 1\nname: five-years\nseed: 5\nduration: 5y\nwarmup: 1d\nreplications: 5\n\
        limits: { max_simulated_time: 6y }\n\
        components: { server: { kind: service, service_time: { exponential: 30s } } }\n\
        workloads: [ { name: jobs, entry: server, arrivals: { poisson: 1/m } } ]\n";
    let loaded = sim_core::load(file.as_bytes()).expect("a 5-year scenario loads");
    let r = sim_core::simulate(&loaded.scenario).expect("within limits");
    assert!(
        (r.simulated_s - 5.0 * 365.0 * 86_400.0).abs() < 1e-3,
        "{}",
        r.simulated_s
    );
    let w = &r.workloads["jobs"];
    let c = &r.components["server"];
    let (wci, cci) = (w.ci95.as_ref().unwrap(), c.ci95.as_ref().unwrap());
    let case = "M/M/1 rho=0.5 over 5 years";
    let checks = [
        Check::new(
            case,
            "sojourn mean (ms)",
            60_000.0,
            Simulated::from_ci(w.latency_ms.mean, wci.latency_ms.mean, r.replications),
            Allowance::None,
        ),
        Check::new(
            case,
            "utilisation",
            0.5,
            Simulated::from_ci(c.utilization, cci.utilization, r.replications),
            Allowance::None,
        ),
    ];
    for c in &checks {
        println!("{c}");
        assert!(c.passes(), "{c}");
    }
}
