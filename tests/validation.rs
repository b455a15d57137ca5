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
