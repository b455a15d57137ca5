//! Quorum replication (`replication: quorum`): a write waits for the `write_quorum`-th fastest
//! live node (checked against a Monte Carlo of that order statistic drawn from the scenario's own
//! lag distribution); writes are available while at least `write_quorum` of the nodes are up
//! (checked against the k-of-n closed form with random failures); losing one node of three makes
//! writes slower, losing two refuses them; a failover loses no acknowledged write.

use archsim_tests::check::{Allowance, Check, Simulated};
use sim_core::report::Report;
use sim_core::rng::Stream;
use sim_core::scenario::{ComponentKind, Scenario};

fn load(yaml: &str) -> Scenario {
    sim_core::load(yaml.as_bytes())
        .unwrap_or_else(|d| panic!("invalid scenario: {d:?}"))
        .scenario
}

fn run(yaml: &str) -> Report {
    sim_core::simulate(&load(yaml)).expect("runs within limits")
}

/// The mean of a workload's latency with its interval.
fn mean_latency(r: &Report, w: &str, replications: u32) -> Simulated {
    let w = &r.workloads[w];
    let ci = w
        .ci95
        .as_ref()
        .expect("several replications")
        .latency_ms
        .mean;
    Simulated::from_ci(w.latency_ms.mean, ci, replications)
}

/// Five nodes, a write quorum of three: a write is acknowledged when the primary (after its
/// `write_time`) and the two fastest of the four replicas have applied it, so its latency is
/// `write_time` plus the second smallest of four lag draws. Writes come evenly spaced and far
/// apart, so a replica never waits for its previous write.
#[test]
fn a_write_waits_for_the_kth_fastest_node() {
    let yaml = "version: 1\nname: q\nseed: 11\nduration: 30m\nreplications: 8\n\
        components:\n  db: { kind: database, replicas: 4, replication: quorum, write_quorum: 3, \
        write_time: 1ms, apply_time: 0ms, lag: { lognormal: { median: 10ms, p99: 60ms } } }\n\
        workloads: [ { name: w, entry: db, arrivals: { constant: 2/s }, ops: { write: 1.0 } } ]\n";
    let s = load(yaml);
    let ComponentKind::Database(db) = &s.components[0].kind else {
        panic!("a database")
    };
    // Monte Carlo of the order statistic from the same distribution.
    let mut rng = Stream::new(99, 0, "test", "order statistic");
    let n = 400_000;
    let (mut sum, mut sum2) = (0.0, 0.0);
    for _ in 0..n {
        let mut d: Vec<f64> = (0..4).map(|_| db.lag.sample_f64(&mut rng)).collect();
        d.push(0.0); // the primary, done after write_time
        d.sort_by(f64::total_cmp);
        let ms = 1.0 + d[2] / 1e6;
        sum += ms;
        sum2 += ms * ms;
    }
    let mc_mean = sum / n as f64;
    let mc_sd = (sum2 / n as f64 - mc_mean * mc_mean).sqrt();
    let mc = Simulated {
        mean: mc_mean,
        half_width95: 1.96 * mc_sd / (n as f64).sqrt(),
        replications: 1000,
    };
    let r = sim_core::simulate(&s).expect("runs");
    let check = Check::consistency(
        "quorum 3 of 5",
        "write latency (ms)",
        mean_latency(&r, "w", 8),
        mc,
    );
    assert!(check.passes(), "{check}");
    // Sanity on the order statistic itself: between the fastest and the median replica.
    assert!(mc_mean > 1.0 && mc_mean < 1.0 + 10.0, "{mc_mean}");
}

/// Three nodes failing at random (MTBF 1 h, MTTR 15 min, each up a share a = 0.8 of the time),
/// a write quorum of two and an election as soon as the primary is lost: writes succeed while at
/// least two nodes are up, P = 3a^2(1 - a) + a^3.
#[test]
fn write_availability_is_k_of_n() {
    let yaml = "version: 1\nname: q\nseed: 12\nduration: 300h\nreplications: 10\n\
        components:\n  db: { kind: database, replicas: 2, replication: quorum, mtbf: 1h, mttr: 15m, \
        write_time: 1ms, lag: 1ms, failover: { detection: 0s, promotion: 0s } }\n\
        workloads: [ { name: w, entry: db, arrivals: { poisson: 0.5/s }, ops: { write: 1.0 } } ]\n";
    let r = run(yaml);
    let a: f64 = 1.0 / (1.0 + 0.25);
    let exact = 3.0 * a * a * (1.0 - a) + a * a * a;
    let w = &r.workloads["w"];
    let sim = Simulated::from_ci(w.availability, w.ci95.as_ref().unwrap().availability, 10);
    let check = Check::new(
        "quorum 2 of 3, a = 0.8",
        "write availability",
        exact,
        sim,
        Allowance::None,
    );
    assert!(check.passes(), "{check}");
    // Every failover of a quorum keeps the acknowledged writes.
    let db = r.components["db"].database.as_ref().unwrap();
    assert!(!db.failovers.is_empty());
    assert!(
        db.failovers
            .iter()
            .all(|f| f.lost_writes == 0 && f.rpo_s == 0.0)
    );
}

fn three_nodes(mode: &str, dark: &[&str]) -> String {
    let faults: Vec<String> = dark
        .iter()
        .map(|z| format!("{{ at: 0s, zone_outage: {{ region: r, zone: {z} }} }}"))
        .collect();
    format!(
        "version: 1\nname: q\nseed: 13\nduration: 10m\nreplications: 5\n\
         regions: {{ r: {{ zones: [a, b, c] }} }}\n\
         components:\n  db: {{ kind: database, primary: {{ region: r, zone: a }}, \
         replicas: [ {{ region: r, zone: b }}, {{ region: r, zone: c }} ], replication: {mode}, \
         write_time: 1ms, apply_time: 0ms, lag: {{ exponential: 10ms }} }}\n\
         workloads: [ {{ name: w, entry: db, arrivals: {{ constant: 20/s }}, ops: {{ write: 1.0 }} }} ]\n\
         faults: [ {} ]\n",
        faults.join(", ")
    )
}

/// A majority quorum of three: with all up a write waits for the faster of two replicas (mean
/// 1 + 5 ms), with one replica lost for the one left (1 + 10 ms), with two lost it is refused.
/// `sync` does the opposite: it waits for every *live* replica, so losing nodes makes it faster.
#[test]
fn losing_one_node_of_three_slows_quorum_writes_and_two_refuse_them() {
    let all = run(&three_nodes("quorum", &[]));
    let one = run(&three_nodes("quorum", &["b"]));
    let two = run(&three_nodes("quorum", &["b", "c"]));
    let (ma, m1) = (mean_latency(&all, "w", 5), mean_latency(&one, "w", 5));
    for (sim, exact, case) in [(ma, 6.0, "3 of 3 up"), (m1, 11.0, "2 of 3 up")] {
        let c = Check::new(case, "write latency (ms)", exact, sim, Allowance::None);
        assert!(c.passes(), "{c}");
    }
    assert_eq!(
        two.workloads["w"].completed, 0,
        "two of three lost: no write"
    );
    assert!(two.workloads["w"].failed > 0);
    assert_eq!(all.workloads["w"].failed, 0);

    let sync_all = mean_latency(&run(&three_nodes("sync", &[])), "w", 5);
    let sync_two = mean_latency(&run(&three_nodes("sync", &["b", "c"])), "w", 5);
    assert!(sync_two.mean + sync_two.half_width999() < sync_all.mean - sync_all.half_width999());
}

/// Losing the primary of a majority quorum under a steady write load: the new primary is the live
/// replica with every acknowledged write, so none is lost, while `async` loses some.
#[test]
fn a_quorum_failover_loses_no_acknowledged_write() {
    let scenario = |mode: &str| {
        format!(
            "version: 1\nname: q\nseed: 14\nduration: 10m\n\
             components:\n  db: {{ kind: database, replicas: 2, replication: {mode}, \
             lag: {{ exponential: 200ms }}, failover: {{ detection: 10s, promotion: 20s }} }}\n\
             workloads: [ {{ name: w, entry: db, arrivals: {{ poisson: 100/s }}, ops: {{ write: 1.0 }} }} ]\n\
             faults: [ {{ at: 5m, duration: 5m, instance_crash: {{ component: db, count: 1 }} }} ]\n"
        )
    };
    let fo = |r: &Report| {
        r.components["db"]
            .database
            .as_ref()
            .unwrap()
            .failovers
            .clone()
    };
    let q = fo(&run(&scenario("quorum")));
    let a = fo(&run(&scenario("async")));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].lost_writes, 0);
    assert_eq!(q[0].restored_at_s, Some(330.0));
    assert!(a[0].lost_writes > 0, "async, for contrast, loses writes");
}

fn errors(yaml: &str) -> Vec<String> {
    match sim_core::load(yaml.as_bytes()) {
        Ok(l) => l
            .warnings
            .iter()
            .map(|d| format!("{}:{} {}", d.span.start.line, d.span.start.col, d.message))
            .collect(),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{} {}", d.span.start.line, d.span.start.col, d.message))
            .collect(),
    }
}

#[test]
fn bad_quorums_are_refused_with_their_place() {
    let db = |fields: &str| {
        format!(
            "version: 1\nname: q\nduration: 1m\ncomponents:\n  db:\n    kind: database\n    replicas: 2\n{fields}\
             workloads: [ {{ name: w, entry: db, arrivals: {{ poisson: 1/s }} }} ]\n"
        )
    };
    let e = errors(&db("    replication: quorum\n    write_quorum: 4\n"));
    assert!(
        e.iter()
            .any(|m| m.starts_with("9:19") && m.contains("3 nodes")),
        "{e:?}"
    );
    let e = errors(&db("    replication: sync\n    read_quorum: 2\n"));
    assert!(
        e.iter()
            .any(|m| m.starts_with("9:18") && m.contains("only to `replication: quorum`")),
        "{e:?}"
    );
    let e = errors(&db("    write_quorum: 2\n"));
    assert!(e.iter().any(|m| m.contains("`async`")), "{e:?}");
    let e = errors(&db("    replication: quorum\n    read_quorum: 0\n"));
    assert!(e.iter().any(|m| m.starts_with("9:18")), "{e:?}");
    let e = errors(&db("    replication: quorum\n    write_quorum: 1\n"));
    assert!(
        e.iter()
            .any(|m| m.starts_with("9:19") && m.contains("may lack acknowledged writes")),
        "a warning: {e:?}"
    );
    assert!(
        errors(&db(
            "    replication: quorum\n    write_quorum: 2\n    read_quorum: 2\n"
        ))
        .is_empty()
    );
}
