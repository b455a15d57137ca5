//! RTO and RPO measured from the mechanisms, on cases worked out by hand; error budgets; and SLO
//! verdicts that account for confidence (pass, fail, inconclusive).

use sim_core::report::{Report, Verdict};

fn run(yaml: &str) -> Report {
    let loaded =
        sim_core::load(yaml.as_bytes()).unwrap_or_else(|d| panic!("invalid scenario: {d:?}"));
    sim_core::simulate(&loaded.scenario).expect("runs within limits")
}

/// Behind a load balancer, a crashed instance fails its share of requests until the health checks
/// take it out: after 3 probes at `interval`, plus the last probe's timeout. The RTO is that,
/// rounded up to the time-series window (5 s for a 10-minute run).
#[test]
fn rto_is_the_time_until_workloads_are_back_within_their_slo() {
    let scenario = |interval: &str| {
        format!(
            "version: 1\nname: rto\nseed: 1\nduration: 10m\n\
             components:\n  lb: {{ kind: load_balancer, targets: [api], health_check: {{ interval: {interval}, timeout: 2s, unhealthy_after: 3 }} }}\n  \
             api: {{ kind: service, replicas: 4, concurrency: 16, service_time: {{ exponential: 10ms }} }}\n\
             workloads: [ {{ name: web, entry: lb, arrivals: {{ poisson: 200/s }} }} ]\n\
             faults: [ {{ at: 300s, duration: 4m, instance_crash: {{ component: api, count: 1 }} }} ]\n\
             slo: [ availability(web) >= 99%, rto <= 1m ]\n"
        )
    };
    let fast = run(&scenario("5s"));
    let slow = run(&scenario("20s"));
    let rto = |r: &Report| r.recovery[0].rto_s.expect("recovered");
    // Probes at 0, 5, 10 ... s; the crash at 300 s; probes at 300, 305, 310 fail, the third known
    // at 312 s: detection 12 s, window end 315 s. With 20 s probes: 300, 320, 340 (+2 s): 45 s.
    assert!((10.0..=20.0).contains(&rto(&fast)), "fast {}", rto(&fast));
    assert!((40.0..=50.0).contains(&rto(&slow)), "slow {}", rto(&slow));
    assert_eq!(fast.recovery[0].affected, vec!["web".to_string()]);
    assert_eq!(fast.recovery[0].lost_writes, 0);
    // The `rto` SLO compares the worst fault's RTO.
    assert_eq!(fast.slo[1].verdict, Verdict::Pass);
    assert_eq!(slow.slo[1].verdict, Verdict::Pass);
}

/// A fault the system does not recover from within the run has no RTO, and `rto` SLOs fail.
/// A zone outage reaches the services placed in that zone (`zone:` or `zones:`), not only
/// databases' nodes: a workload whose service lives only in the dark zone fails for the whole
/// outage, so the RTO is the outage (to the window); one spread over two zones loses half its
/// instances but stays within its SLO, so it is not among the affected. (Before this was fixed,
/// the outage counted as touching no service: RTO 0, nobody affected.)
#[test]
fn a_zone_outage_reaches_services_placed_in_the_zone() {
    let r = run("version: 1\nname: zones\nseed: 3\nduration: 10m\n\
         regions: { r: { zones: [a, b] } }\n\
         components:\n  \
         pinned: { kind: service, region: r, zone: a, replicas: 2, concurrency: 8, service_time: { exponential: 10ms } }\n  \
         spread: { kind: service, region: r, zones: [a, b], replicas: 2, concurrency: 8, service_time: { exponential: 10ms } }\n  \
         elsewhere: { kind: service, region: r, zone: b, replicas: 2, concurrency: 8, service_time: { exponential: 10ms } }\n\
         workloads:\n  - { name: w_pinned, entry: pinned, arrivals: { poisson: 100/s } }\n  \
         - { name: w_spread, entry: spread, arrivals: { poisson: 100/s } }\n  \
         - { name: w_elsewhere, entry: elsewhere, arrivals: { poisson: 100/s } }\n\
         faults: [ { at: 2m, duration: 3m, zone_outage: { region: r, zone: a } } ]\n");
    let rec = &r.recovery[0];
    assert_eq!(rec.affected, vec!["w_pinned".to_string()]);
    let rto = rec.rto_s.expect("recovered when the zone comes back");
    assert!(
        (180.0..=185.0).contains(&rto),
        "RTO {rto} s for a 3-minute outage"
    );
}

#[test]
fn an_unrecovered_fault_has_no_rto() {
    let r = run("version: 1\nname: down\nseed: 2\nduration: 5m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, calls: [ { to: db, timeout: 1s } ] }\n  \
        db: { kind: service, concurrency: unlimited, service_time: 1ms }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 50/s } } ]\n\
        faults: [ { at: 2m, instance_crash: { component: db, count: 1 } } ]\n\
        slo: [ rto <= 10m ]\n");
    assert_eq!(r.recovery[0].rto_s, None);
    assert_eq!(r.slo[0].verdict, Verdict::Fail);
    assert_eq!(r.slo[0].pass, Some(false));
}

/// RPO comes from the failovers during the fault: asynchronous replication loses writes,
/// synchronous does not.
#[test]
fn rpo_comes_from_failovers_during_the_fault() {
    let scenario = |mode: &str| {
        format!(
            "version: 1\nname: rpo\nseed: 3\nduration: 10m\n\
             components:\n  db: {{ kind: database, replicas: 1, replication: {mode}, lag: {{ exponential: 200ms }}, failover: {{ detection: 10s, promotion: 20s }} }}\n\
             workloads: [ {{ name: web, entry: db, arrivals: {{ poisson: 100/s }}, ops: {{ write: 1.0 }} }} ]\n\
             faults: [ {{ at: 5m, duration: 5m, instance_crash: {{ component: db, count: 1 }} }} ]\n\
             slo: [ rpo <= 1s ]\n"
        )
    };
    let a = run(&scenario("async"));
    let s = run(&scenario("sync"));
    let db = |r: &Report| r.components["db"].database.clone().unwrap().failovers[0].clone();
    assert_eq!(a.recovery[0].lost_writes, db(&a).lost_writes);
    assert!(a.recovery[0].lost_writes > 0 && a.recovery[0].rpo_s > 0.0);
    assert_eq!(a.recovery[0].rpo_s, db(&a).rpo_s);
    assert_eq!(s.recovery[0].lost_writes, 0);
    assert_eq!(s.recovery[0].rpo_s, 0.0);
    // Writes fail for detection + promotion (30 s), then succeed: the RTO covers that gap.
    let rto = a.recovery[0].rto_s.unwrap();
    assert!((30.0..=40.0).contains(&rto), "rto {rto}");
}

/// The error budget of a 99 % target over requests of which 2 % fail is spent twice over; the burn
/// rate shows where.
#[test]
fn error_budgets_and_burn_rates() {
    let r = run("version: 1\nname: budget\nseed: 4\nduration: 10m\n\
        components:\n  api: { kind: external, latency: 1ms, error_rate: 2% }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 100/s } } ]\n\
        slo: [ availability(web) >= 99% ]\n");
    let b = r.workloads["web"].error_budget;
    assert_eq!(b.target, 0.99);
    assert!((b.consumed - 2.0).abs() < 0.15, "consumed {}", b.consumed);
    let burn = &r.timeseries.workloads["web"].burn_rate;
    let mean = burn.iter().sum::<f64>() / burn.len() as f64;
    assert!((mean - 2.0).abs() < 0.2, "mean burn rate {mean}");
}

/// With replications an SLO is judged on its 95 % interval: a threshold inside the interval is
/// inconclusive, one outside it passes or fails.
#[test]
fn verdicts_account_for_confidence() {
    let base = "version: 1\nname: v\nseed: 5\nduration: 2m\nreplications: 5\n\
        components:\n  api: { kind: service, concurrency: 1, service_time: { exponential: 10ms } }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 80/s } } ]\n";
    let r = run(base);
    let w = &r.workloads["web"];
    let [lo, hi] = w.ci95.as_ref().unwrap().latency_ms.mean;
    assert!(lo < hi);
    let with = |slo: String| run(&format!("{base}slo: [ \"{slo}\" ]\n")).slo[0].verdict;
    assert_eq!(
        with(format!("mean(web) < {}ms", (lo + hi) / 2.0)),
        Verdict::Inconclusive
    );
    assert_eq!(with(format!("mean(web) < {}ms", hi * 1.5)), Verdict::Pass);
    assert_eq!(with(format!("mean(web) < {}ms", lo * 0.5)), Verdict::Fail);
}

/// A database's primary is lost at 5:00 and writes are back 30 s later (detection 10 s + promotion
/// 20 s); a second fault, 100 % errors at the API from 6:00 to 10:00, reaches the same workload.
/// Each fault gets its own RTO from its own start: ~30 s and ~240 s (to the window), not one 300 s
/// stretch from 5:00. The workload that never touches the database is not reached by the first.
#[test]
fn sequential_faults_get_their_own_rto_per_workload() {
    let r = run("version: 1\nname: seq\nseed: 3\nduration: 15m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, calls: [ { to: db } ] }\n  \
        db: { kind: database, replicas: 1, replication: sync, failover: { detection: 10s, promotion: 20s } }\n  \
        static: { kind: service, concurrency: unlimited, service_time: 1ms }\n\
        workloads: [ { name: writes, entry: api, arrivals: { poisson: 100/s }, ops: { write: 1.0 } },\n\
                     { name: pages, entry: static, arrivals: { poisson: 100/s } } ]\n\
        faults: [ { at: 5m, duration: 10m, instance_crash: { component: db, count: 1 } },\n\
                  { at: 6m, duration: 4m, errors: { component: api, rate: 100% } } ]\n\
        slo: [ rto(writes) <= 5m, rto(pages) <= 0s, rto <= 3m ]\n");
    let window = r.timeseries.window_s;
    let (crash, errors) = (&r.recovery[0], &r.recovery[1]);
    let w = |x: &sim_core::recovery::RecoveryReport, n: &str| x.workloads[n].rto_s.unwrap();
    assert!(
        (30.0..=30.0 + window).contains(&w(crash, "writes")),
        "{crash:?}"
    );
    assert!(
        (240.0..=240.0 + window).contains(&w(errors, "writes")),
        "{errors:?}"
    );
    assert_eq!(crash.rto_s, Some(w(crash, "writes")));
    assert!(
        !crash.workloads.contains_key("pages"),
        "pages never reach db"
    );
    assert!(
        crash.workloads["writes"].rpo_s.is_none(),
        "sync loses no write"
    );
    // The SLOs: per workload, and the worst fault's.
    assert_eq!(r.slo[0].verdict, Verdict::Pass, "{:?}", r.slo[0]);
    assert_eq!(r.slo[1].verdict, Verdict::Pass, "{:?}", r.slo[1]);
    assert_eq!(r.slo[1].value, Some(0.0), "pages: no fault reaches it");
    assert_eq!(r.slo[2].verdict, Verdict::Fail, "errors take 240 s");
}
