//! The planner against exhaustive search and against queueing theory.
//!
//! - On small spaces the planner's plan is exactly the plan of an exhaustive search with the same
//!   statistical rule (every candidate simulated, no pruning, no early stop), and every candidate
//!   both decided has the same status: a candidate's verdict depends only on its own replications,
//!   which use the same seeds whatever else is simulated.
//! - Sizing an M/M/c pool for a mean-latency target gives the smallest c that Erlang C says meets
//!   it; sizing a loss system (M/M/c/c) for an availability target gives the smallest c that
//!   Erlang B says meets it. The targets sit between two neighbouring c's far enough apart that
//!   a 95 % verdict separates them; the expected c is computed here from the closed form.

use archsim_tests::queueing::{Mmc, erlang_b};
use sim_core::plan::output::{CandidateStatus, PlanReport};
use sim_core::plan::{self, PlanStatus, Settings};

fn solve(text: &str, settings: Settings) -> PlanReport {
    let space = plan::space(text).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
    let run = plan::run_serial(&space);
    plan::solve(&space, settings, run)
}

fn exhaustive() -> Settings {
    Settings {
        exhaustive: true,
        ..Settings::default()
    }
}

/// The planner and the exhaustive search agree on the plan and on every candidate both decided.
fn agree(text: &str) -> PlanReport {
    let fast = solve(text, Settings::default());
    let all = solve(text, exhaustive());
    assert_eq!(fast.status, all.status, "{text}");
    assert_eq!(
        fast.best.as_ref().map(|b| &b.assignment),
        all.best.as_ref().map(|b| &b.assignment),
        "{text}"
    );
    let decided = |s: CandidateStatus| {
        matches!(
            s,
            CandidateStatus::Feasible | CandidateStatus::Infeasible | CandidateStatus::Undecided
        )
    };
    for c in &fast.candidates {
        let other = all
            .candidates
            .iter()
            .find(|o| o.assignment == c.assignment)
            .expect("same space");
        if decided(c.status) {
            assert_eq!(c.status, other.status, "{:?}", c.assignment);
        }
        // The planner only prunes what the exhaustive search finds infeasible.
        if c.status == CandidateStatus::Pruned {
            assert_eq!(
                other.status,
                CandidateStatus::Infeasible,
                "{:?}",
                c.assignment
            );
        }
    }
    assert!(
        fast.evaluations.replications <= all.evaluations.replications,
        "the search never simulates more: {} vs {}",
        fast.evaluations.replications,
        all.evaluations.replications
    );
    fast
}

const POOL: &str = "version: 1
name: pool
seed: 3
duration: 100s
warmup: 10s
components:
  pool:
    kind: service
    instance: m5.large
    concurrency: 1
    service_time: { exponential: 100ms }
workloads:
  - { name: w, entry: pool, arrivals: { poisson: 40/s } }
";

#[test]
fn sizes_an_mmc_pool_as_erlang_c_says() {
    let target_ms = 130.0;
    let expected = (1..20)
        .find(|&c| {
            let q = Mmc {
                c,
                lambda: 40.0,
                mu: 10.0,
            };
            q.rho() < 1.0 && q.w() * 1e3 < target_ms
        })
        .unwrap();
    // The neighbours are well apart from the target, so 95 % verdicts can tell them apart.
    let w = |c| {
        Mmc {
            c,
            lambda: 40.0,
            mu: 10.0,
        }
        .w() * 1e3
    };
    assert!(w(expected - 1) > target_ms * 1.1 && w(expected) < target_ms * 0.95);
    let text = format!(
        "{POOL}slo:\n  - mean(w) < {target_ms}ms\nplan:\n  vary:\n    pool.concurrency: 1..10\n"
    );
    let r = agree(&text);
    assert_eq!(r.status, PlanStatus::Found);
    assert_eq!(r.best.unwrap().assignment["pool.concurrency"], expected);
    // c <= 4 offers 4 erlangs to at most 4 servers: overloaded, pruned without simulating.
    let pruned = r
        .candidates
        .iter()
        .filter(|c| c.status == CandidateStatus::Pruned)
        .count();
    assert_eq!(pruned, 4);
}

#[test]
fn sizes_a_loss_system_as_erlang_b_says() {
    let target = 0.98;
    let expected = (1..30).find(|&c| 1.0 - erlang_b(c, 4.0) >= target).unwrap();
    assert!(1.0 - erlang_b(expected - 1, 4.0) < target - 0.005);
    let text = format!(
        "{}slo:\n  - availability(w) >= 98%\nplan:\n  vary:\n    pool.concurrency: 4..14\n",
        POOL.replace("concurrency: 1\n", "concurrency: 1\n    queue_limit: 0\n")
    );
    let r = solve(&text, Settings::default());
    assert_eq!(r.status, PlanStatus::Found);
    assert_eq!(r.best.unwrap().assignment["pool.concurrency"], expected);
}

const CHAIN: &str = "version: 1
name: chain
seed: 11
duration: 60s
warmup: 5s
components:
  api:
    kind: service
    instance: m5.large
    replicas: 1
    concurrency: 4
    service_time: { exponential: 5ms }
    calls: [ { to: db } ]
  db:
    kind: service
    instance: r5.large
    replicas: 1
    concurrency: 2
    service_time: { exponential: 10ms }
workloads:
  - { name: w, entry: api, arrivals: { poisson: 150/s } }
slo:
  - p99(w) < 80ms
";

#[test]
fn agrees_with_exhaustive_search_on_a_two_variable_chain() {
    let text = format!("{CHAIN}plan:\n  vary:\n    api.replicas: 1..3\n    db.replicas: 1..4\n");
    let r = agree(&text);
    assert_eq!(r.status, PlanStatus::Found);
    let all = solve(&text, exhaustive());
    assert!(r.evaluations.replications < all.evaluations.replications);
}

#[test]
fn agrees_with_exhaustive_search_at_two_loads() {
    let r = agree(&format!(
        "{}plan:\n  vary:\n    db.replicas: [1, 2, 3, 4, 5]\n  loads: [1x, 2x]\n",
        CHAIN.replace("concurrency: 4", "concurrency: 16")
    ));
    let best = r.best.expect("a plan");
    // The plan holds at both loads, and the 2x load is the one that binds the cheaper ones.
    assert_eq!(best.loads.len(), 2);
    assert!(
        r.candidates
            .iter()
            .any(|c| c.decided_by.as_ref().is_some_and(|d| d.load == 2.0)
                || c.reason.as_deref().is_some_and(|x| x.contains("at 2x")))
    );
}

#[test]
fn agrees_with_exhaustive_search_on_instance_bundles() {
    let r = agree(&format!(
        "{CHAIN}plan:\n  vary:\n    db:\n      - {{ instance: r5.large, concurrency: 1 }}\n      - {{ instance: r5.xlarge, concurrency: 2 }}\n      - {{ instance: r5.2xlarge, concurrency: 4 }}\n    api.replicas: [1, 2]\n"
    ));
    let best = r.best.expect("a plan");
    assert!(best.assignment["db"].is_object());
}

#[test]
fn agrees_with_exhaustive_search_when_nothing_is_feasible() {
    let r = agree(&format!(
        "{}plan:\n  vary:\n    db.replicas: 1..3\n",
        CHAIN.replace("p99(w) < 80ms", "p99(w) < 12ms")
    ));
    assert_eq!(r.status, PlanStatus::None);
    assert!(r.best.is_none());
    // Every candidate says what decided it.
    assert!(
        r.candidates
            .iter()
            .all(|c| c.decided_by.is_some() || c.reason.is_some())
    );
}

#[test]
fn a_small_budget_leaves_cheaper_candidates_undecided() {
    let text = format!("{CHAIN}plan:\n  vary:\n    db.replicas: 1..4\n");
    let r = solve(
        &text,
        Settings {
            budget: 2,
            ..Settings::default()
        },
    );
    assert_eq!(r.status, PlanStatus::Undecided);
    assert!(r.evaluations.replications <= 2);
    assert!(
        r.candidates
            .iter()
            .any(|c| c.status == CandidateStatus::Undecided)
    );
}

#[test]
fn headroom_and_runway_bracket_the_model_bound() {
    let text = format!(
        "{POOL}slo:\n  - mean(w) < 200ms\nplan:\n  vary:\n    pool.concurrency: [6]\n  growth: {{ rate: 5%/month, horizon: 36 }}\n"
    );
    let r = solve(&text, Settings::default());
    let h = r.headroom.expect("a plan has headroom");
    // 6 servers at 4 erlangs saturate at 1.5x. The closed form's boundary f* (W = 200 ms): the
    // reported headroom is feasible (below f*, allowing the interval's 1 %) and not far below it.
    let w = |f: f64| {
        Mmc {
            c: 6,
            lambda: 40.0 * f,
            mu: 10.0,
        }
        .w() * 1e3
    };
    let (mut lo, mut hi) = (1.0, 1.4999);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if w(mid) < 200.0 { lo = mid } else { hi = mid }
    }
    assert!(h > 1.0 && h <= lo * 1.02, "headroom {h}, closed form {lo}");
    assert!(h >= lo * 0.9, "headroom {h} too conservative against {lo}");
    // Runway: the last month whose growth stays within the headroom (1.05^m <= h).
    let m = r
        .runway_months
        .expect("growth outruns the headroom within 36 months");
    assert!(
        1.05f64.powi(m as i32) <= h * 1.02 && 1.05f64.powi(m as i32 + 1) > h * 0.98,
        "{m} {h}"
    );
}
