//! Component kinds doing what users expect, each through a scenario and its report: a cache flush
//! sends load to the database until the cache refills; health-check interval and DNS TTL lengthen
//! a failover; asynchronous replication loses in-flight writes when the primary dies and
//! synchronous does not; autoscaling lags a step by its delay plus start-up; queues redeliver and
//! dead-letter; functions cold-start after idling; a rate limit answers 429.

use sim_core::report::Report;

fn run(yaml: &str) -> Report {
    let loaded =
        sim_core::load(yaml.as_bytes()).unwrap_or_else(|d| panic!("invalid scenario: {d:?}"));
    sim_core::simulate(&loaded.scenario).expect("runs within limits")
}

/// Index of the window starting at `t` seconds.
fn window(r: &Report, t: f64) -> usize {
    r.timeseries
        .start_s
        .iter()
        .position(|&s| s >= t)
        .expect("window within the run")
}

/// A flushed cache sends every lookup to its backing store; the store's load falls back as hot
/// keys return. The hit ratio, from the key model, drops to 0 and climbs again.
#[test]
fn a_cache_flush_raises_database_load_until_the_cache_refills() {
    let r = run("version: 1\nname: flush\nseed: 1\nduration: 10m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, calls: [ { to: cache } ] }\n  \
        cache: { kind: cache, keys: 50000, capacity: 10000, zipf: 1.0, on_miss: db }\n  \
        db: { kind: database, pool: 200, read_time: { exponential: 5ms } }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 500/s } } ]\n\
        faults: [ { at: 5m, cache_flush: { component: cache } } ]\n");
    let ts = &r.timeseries;
    let db = &ts.components["db"].throughput_rps_like();
    let hit = ts.components["cache"]
        .hit_ratio
        .as_ref()
        .expect("cache series");
    let before = window(&r, 270.0);
    let flush = window(&r, 300.0);
    let later = window(&r, 420.0);
    assert!(hit[before] > 0.6, "warm cache hits: {}", hit[before]);
    assert!(
        hit[flush] < hit[before] - 0.2,
        "flush empties it: {} -> {}",
        hit[before],
        hit[flush]
    );
    assert!(
        hit[later] > hit[flush] + 0.1,
        "and it refills: {}",
        hit[later]
    );
    assert!(
        db[flush] > 1.5 * db[before],
        "db load after the flush: {} vs {}",
        db[flush],
        db[before]
    );
    assert!(
        db[later] < db[flush],
        "db load falls as keys return: {} vs {}",
        db[later],
        db[flush]
    );
}

trait Throughput {
    fn throughput_rps_like(&self) -> Vec<f64>;
}

impl Throughput for sim_core::report::ComponentSeries {
    /// Requests present at the database track its arrival rate (Little's law, constant sojourn).
    fn throughput_rps_like(&self) -> Vec<f64> {
        self.in_system.clone()
    }
}

/// Requests sent to a dead instance behind a load balancer fail until the health checks take it
/// out: the longer the check interval, the more requests fail.
#[test]
fn a_longer_health_check_interval_lengthens_the_outage_users_see() {
    let scenario = |interval: &str| {
        format!(
            "version: 1\nname: hc\nseed: 2\nduration: 10m\n\
             components:\n  lb: {{ kind: load_balancer, targets: [api], health_check: {{ interval: {interval}, timeout: 2s, unhealthy_after: 3 }} }}\n  \
             api: {{ kind: service, replicas: 4, concurrency: 16, service_time: {{ exponential: 10ms }} }}\n\
             workloads: [ {{ name: web, entry: lb, arrivals: {{ poisson: 200/s }} }} ]\n\
             faults: [ {{ at: 5m, duration: 4m, instance_crash: {{ component: api, count: 1 }} }} ]\n"
        )
    };
    let fast = run(&scenario("5s"));
    let slow = run(&scenario("30s"));
    let failed = |r: &Report| r.workloads["web"].failed as f64;
    // A quarter of the traffic hits the dead instance until it is marked unhealthy after 3 failed
    // probes: about 3 x interval (+ timeout). 200/s x 1/4 x 17 s = 850; x 92 s = 4,600.
    assert!(
        failed(&fast) > 400.0 && failed(&fast) < 1_500.0,
        "5 s checks: {}",
        failed(&fast)
    );
    assert!(
        failed(&slow) > 3.0 * failed(&fast),
        "30 s checks: {} vs {}",
        failed(&slow),
        failed(&fast)
    );
}

/// After a region's load balancer dies, DNS health checks move the answer to the other region;
/// clients keep the old answer for up to the TTL, so a longer TTL means more failed requests.
#[test]
fn dns_ttl_keeps_clients_on_a_dead_region() {
    let scenario = |ttl: &str| {
        format!(
            "version: 1\nname: dns\nseed: 3\nduration: 15m\n\
             regions:\n  east: {{}}\n  west: {{}}\n  clients: {{}}\n\
             network: {{ links: [ {{ between: [east, west], one_way: 30ms }}, {{ between: [clients, east], one_way: 10ms }}, {{ between: [clients, west], one_way: 40ms }} ], connect_timeout: 1s }}\n\
             components:\n  dns: {{ kind: dns, targets: [east_api, west_api], policy: failover, ttl: {ttl}, health_check: {{ interval: 10s, timeout: 2s, unhealthy_after: 3 }} }}\n  \
             east_api: {{ kind: service, region: east, replicas: 4, concurrency: 16, service_time: {{ exponential: 10ms }} }}\n  \
             west_api: {{ kind: service, region: west, replicas: 4, concurrency: 16, service_time: {{ exponential: 10ms }} }}\n\
             workloads: [ {{ name: web, entry: dns, region: clients, arrivals: {{ poisson: 100/s }} }} ]\n\
             faults: [ {{ at: 5m, duration: 8m, region_outage: east }} ]\n"
        )
    };
    let short = run(&scenario("10s"));
    let long = run(&scenario("5m"));
    let failed = |r: &Report| r.workloads["web"].failed as f64;
    // Detection takes 3 probes (~30 s) either way; then stale answers fade over the TTL (half of
    // the clients stay on average for TTL / 2): ~35 s vs ~180 s of failures at 100/s.
    assert!(
        failed(&short) > 2_000.0 && failed(&short) < 6_000.0,
        "10 s TTL: {}",
        failed(&short)
    );
    assert!(
        failed(&long) > 3.0 * failed(&short),
        "5 m TTL: {} vs {}",
        failed(&long),
        failed(&short)
    );
    // After failover, west serves: 2 x 40 ms away instead of 2 x 10 ms.
    assert!(long.components["west_api"].completed > 10_000);
}

/// With asynchronous replication the primary acknowledges writes before the replica has them, so
/// those in flight when it dies are lost; with synchronous replication none is, at the price of
/// slower writes.
#[test]
fn async_replication_loses_in_flight_writes_and_sync_does_not() {
    let scenario = |mode: &str| {
        format!(
            "version: 1\nname: repl\nseed: 4\nduration: 10m\n\
             components:\n  api: {{ kind: service, concurrency: unlimited, service_time: 1ms, calls: [ {{ to: db }} ] }}\n  \
             db: {{ kind: database, replicas: 1, replication: {mode}, lag: {{ exponential: 200ms }}, pool: 100, failover: {{ detection: 10s, promotion: 20s }} }}\n\
             workloads: [ {{ name: web, entry: api, arrivals: {{ poisson: 200/s }}, ops: {{ read: 0.5, write: 0.5 }} }} ]\n\
             faults: [ {{ at: 5m, duration: 5m, instance_crash: {{ component: db, count: 1 }} }} ]\n"
        )
    };
    let a = run(&scenario("async"));
    let s = run(&scenario("sync"));
    let fo = |r: &Report| {
        r.components["db"]
            .database
            .as_ref()
            .unwrap()
            .failovers
            .clone()
    };
    let (fa, fs) = (fo(&a), fo(&s));
    assert_eq!(fa.len(), 1);
    assert_eq!(fs.len(), 1);
    // The lost writes are those acknowledged within the last `rpo` seconds before the crash: at
    // 100 writes/s, about 100 x rpo of them (Poisson: within 4 standard deviations).
    let (lost, rpo) = (fa[0].lost_writes as f64, fa[0].rpo_s);
    assert!(
        lost >= 5.0 && rpo > 0.05,
        "async loses writes: {lost} over {rpo} s"
    );
    assert!(
        (lost - 100.0 * rpo).abs() <= 4.0 * (100.0 * rpo).sqrt() + 1.0,
        "lost {lost} vs 100/s x {rpo} s"
    );
    assert_eq!(fs[0].lost_writes, 0, "sync loses nothing");
    assert_eq!(fs[0].rpo_s, 0.0);
    // Failover completes after detection + promotion.
    assert_eq!(fa[0].restored_at_s, Some(300.0 + 30.0));
    // Synchronous writes wait for the replica: slower.
    assert!(s.workloads["web"].latency_ms.mean > a.workloads["web"].latency_ms.mean + 50.0);
}

/// With no replica, losing the primary means restoring the last backup: every write since it is
/// lost, and writes resume after the restore time.
#[test]
fn without_replicas_a_restore_loses_writes_since_the_last_backup() {
    let r = run("version: 1\nname: backup\nseed: 5\nduration: 2h\n\
        components:\n  db: { kind: database, pool: 100, backup: { interval: 1h, restore_time: 20m }, failover: { detection: 1m } }\n\
        workloads: [ { name: web, entry: db, arrivals: { poisson: 10/s }, ops: { write: 1.0 } } ]\n\
        faults: [ { at: 90m, instance_crash: { component: db, count: 1 } } ]\n");
    let f = &r.components["db"].database.as_ref().unwrap().failovers[0];
    assert_eq!(f.how, "restore");
    // Backups at 0 and 60 min: the crash at 90 min loses 30 min of writes (~18,000).
    assert!((f.rpo_s - 1800.0).abs() < 1e-6, "rpo {}", f.rpo_s);
    assert!(
        (f.lost_writes as f64 - 18_000.0).abs() < 4.0 * 18_000f64.sqrt(),
        "lost {}",
        f.lost_writes
    );
    assert_eq!(f.restored_at_s, Some(5400.0 + 60.0 + 1200.0));
}

/// A step in load: the autoscaler sees it at its next evaluation, the new instances are ordered
/// after `delay` and serve after `startup`. Until then the old instances queue.
#[test]
fn autoscaling_lags_a_step_by_its_delay_plus_startup() {
    let r = run("version: 1\nname: hpa\nseed: 6\nduration: 20m\n\
        components:\n  api: { kind: service, replicas: 2, concurrency: 10, service_time: { exponential: 50ms }, \
        autoscale: { min: 2, max: 10, target: 60%, interval: 15s, delay: 30s, startup: 60s } }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 200/s }, profile: { step: { at: 5m, factor: 3 } } } ]\n");
    let ts = &r.timeseries;
    let inst = &ts.components["api"].instances;
    let first_up = inst.iter().position(|&n| n > 2.0).expect("it scales out");
    let t = ts.start_s[first_up] + ts.window_s; // counted at the window's end
    // The step is at 300 s; the next evaluation at most 15 s later; +30 s delay, +60 s startup.
    assert!(
        (390.0..=405.0 + ts.window_s).contains(&t),
        "first new instance serving at {t}s"
    );
    // Steady load 600/s x 50 ms = 30 busy slots, at 60 % of 10 per instance: 5 instances.
    assert_eq!(*inst.last().unwrap(), 5.0, "settles at 5: {inst:?}");
}

/// A consumer that always fails: each message is delivered `max_receives` times, once per
/// visibility timeout, then dead-lettered. A healthy consumer acknowledges everything.
#[test]
fn a_failing_consumer_sends_messages_to_the_dead_letter_queue() {
    let scenario = |error: &str| {
        format!(
            "version: 1\nname: dlq\nseed: 7\nduration: 10m\n\
             components:\n  api: {{ kind: service, concurrency: unlimited, service_time: 1ms, calls: [ {{ to: jobs }} ] }}\n  \
             jobs: {{ kind: queue, consumers: worker, visibility_timeout: 20s, max_receives: 3 }}\n  \
             worker: {{ kind: service, replicas: 2, concurrency: 8, service_time: {{ exponential: 10ms }}, calls: [ {{ to: pay }} ] }}\n  \
             pay: {{ kind: external, latency: 5ms, error_rate: {error} }}\n\
             workloads: [ {{ name: web, entry: api, arrivals: {{ poisson: 20/s }} }} ]\n"
        )
    };
    let bad = run(&scenario("100%"));
    let good = run(&scenario("0%"));
    let q = |r: &Report| r.components["jobs"].queue.clone().unwrap();
    let (qb, qg) = (q(&bad), q(&good));
    // Producers never see the consumer's failures.
    assert_eq!(bad.workloads["web"].failed, 0);
    assert_eq!(qb.acked, 0);
    // Messages enqueued before 10 min - 3 x 20 s have used their three receives.
    assert!(
        qb.dead_lettered as f64 > 0.85 * qb.enqueued as f64,
        "{} of {}",
        qb.dead_lettered,
        qb.enqueued
    );
    assert!(qb.redelivered >= 2 * qb.dead_lettered);
    assert_eq!(qg.dead_lettered, 0);
    assert!(qg.acked as f64 > 0.99 * qg.enqueued as f64);
}

/// A function idle longer than `keep_warm` starts cold; steady traffic keeps instances warm.
#[test]
fn functions_start_cold_after_idling_past_keep_warm() {
    let scenario = |rate: &str| {
        format!(
            "version: 1\nname: fn\nseed: 8\nduration: 1h\n\
             components:\n  f: {{ kind: function, service_time: 50ms, cold_start: 500ms, keep_warm: 5m }}\n\
             workloads: [ {{ name: web, entry: f, arrivals: {{ poisson: {rate} }} }} ]\n"
        )
    };
    let sparse = run(&scenario("4/h"));
    let busy = run(&scenario("10/s"));
    let f = |r: &Report| r.components["f"].function.clone().unwrap();
    // Gaps between requests are exponential with mean 15 min: P(gap > 5 min) = e^-1/3 = 0.72.
    let fs = f(&sparse);
    let cold_share = fs.cold_starts as f64 / (fs.cold_starts + fs.warm_starts) as f64;
    assert!(cold_share > 0.4, "sparse traffic starts cold: {cold_share}");
    // Steady traffic stays warm: only new peaks of concurrency (a handful per hour) start cold.
    let fb = f(&busy);
    let busy_share = fb.cold_starts as f64 / (fb.cold_starts + fb.warm_starts) as f64;
    assert!(
        busy_share < 0.001,
        "steady traffic: {} cold of {}",
        fb.cold_starts,
        fb.warm_starts
    );
    assert!(sparse.workloads["web"].latency_ms.max >= 550.0);
}

/// A token bucket at the load balancer answers 429 above its rate.
#[test]
fn a_rate_limit_answers_above_its_rate() {
    let r = run("version: 1\nname: rl\nseed: 9\nduration: 5m\n\
        components:\n  lb: { kind: load_balancer, targets: [api], rate_limit: { rate: 100/s, burst: 20 } }\n  \
        api: { kind: service, concurrency: unlimited, service_time: 1ms }\n\
        workloads: [ { name: web, entry: lb, arrivals: { poisson: 150/s } } ]\n");
    let w = &r.workloads["web"];
    // About 100/s get through, the rest (about a third) are throttled.
    assert!(
        (w.throughput_rps - 100.0).abs() < 3.0,
        "{}",
        w.throughput_rps
    );
    let throttled = r.components["lb"].balancer.as_ref().unwrap().throttled as f64;
    assert!((throttled / w.requests as f64 - 1.0 / 3.0).abs() < 0.03);
}

/// A workload without an operation mix reads: its requests match no `op` filter and a database
/// treats them as reads (regression: they were taken for the first operation named anywhere).
#[test]
fn requests_without_an_operation_read() {
    let r = run("version: 1\nname: noop\nseed: 10\nduration: 1m\n\
        components:\n  db: { kind: database, read_time: 2ms, write_time: 50ms }\n\
        workloads: [ { name: web, entry: db, arrivals: { poisson: 10/s } } ]\n");
    let d = r.components["db"].database.as_ref().unwrap();
    assert_eq!(d.writes, 0);
    assert!(d.reads > 400);
    assert!((r.workloads["web"].latency_ms.mean - 2.0).abs() < 0.01);
}

/// A load balancer sends only to instances registered with it: not to an autoscaler's slots that
/// are not provisioned, nor to instances being scaled in. Scaling out and in fails no request.
#[test]
fn a_load_balancer_follows_autoscaling_without_failures() {
    let r = run("version: 1\nname: lbscale\nseed: 11\nduration: 20m\n\
        components:\n  lb: { kind: load_balancer, targets: [api], health_check: { interval: 10s, timeout: 2s } }\n  \
        api: { kind: service, replicas: 2, concurrency: 10, service_time: { exponential: 50ms }, \
        autoscale: { min: 2, max: 10, target: 60%, interval: 15s, delay: 15s, startup: 30s, scale_in_cooldown: 2m } }\n\
        workloads: [ { name: web, entry: lb, arrivals: { poisson: 300/s }, profile: { step: { at: 10m, factor: 0.2 } } } ]\n");
    let inst = &r.timeseries.components["api"].instances;
    let peak = inst.iter().cloned().fold(0.0, f64::max);
    assert!(peak >= 3.0, "scaled out: {inst:?}");
    assert!(
        *inst.last().unwrap() < peak,
        "and in after the drop: {inst:?}"
    );
    assert_eq!(
        r.workloads["web"].failed, 0,
        "no request sent to a missing or retired instance"
    );
}

/// Under synchronous replication a write is acknowledged only once replicas have it, so no read
/// is stale; under asynchronous replication reads from a lagging replica are.
#[test]
fn only_asynchronous_replicas_serve_stale_reads() {
    let scenario = |mode: &str| {
        format!(
            "version: 1\nname: stale\nseed: 12\nduration: 5m\n\
             components:\n  db: {{ kind: database, replicas: 2, replication: {mode}, reads: replicas, lag: {{ exponential: 100ms }} }}\n\
             workloads: [ {{ name: web, entry: db, arrivals: {{ poisson: 200/s }}, ops: {{ read: 0.5, write: 0.5 }} }} ]\n"
        )
    };
    let stale = |mode: &str| {
        run(&scenario(mode)).components["db"]
            .database
            .as_ref()
            .unwrap()
            .stale_reads
    };
    assert!(stale("async") > 1000);
    assert_eq!(stale("sync"), 0);
}

/// A restore needs somewhere to land: while the primary's region is dark it waits, and the
/// failover record says so (regression: it claimed writes were back while the region was dark).
#[test]
fn a_restore_waits_for_its_region() {
    let r = run("version: 1\nname: restore-dark\nseed: 13\nduration: 4h\n\
        regions: { east: {}, west: {} }\n\
        network: { links: [ { between: [east, west], one_way: 30ms } ], connect_timeout: 2s }\n\
        components:\n  app: { kind: service, region: west, concurrency: unlimited, service_time: 1ms, calls: [ { to: db, timeout: 1s } ] }\n  \
        db: { kind: database, primary: { region: east }, backup: { interval: 24h, restore_time: 1h }, failover: { detection: 10m } }\n\
        workloads: [ { name: w, entry: app, region: west, arrivals: { poisson: 1/s }, ops: { read: 0.5, write: 0.5 } } ]\n\
        faults: [ { at: 1h, duration: 2h, region_outage: east } ]\n");
    let f = &r.components["db"].database.as_ref().unwrap().failovers[0];
    assert_eq!(f.how, "restore");
    // The restore was ready at 1 h + 10 min + 1 h, but the region was dark until 3 h.
    assert_eq!(f.restored_at_s, Some(3.0 * 3600.0));
    let rto = r.recovery[0]
        .rto_s
        .expect("recovered once the region is back");
    assert!(
        (2.0 * 3600.0..=2.0 * 3600.0 + 60.0).contains(&rto),
        "rto {rto}"
    );
}

/// The replica promoted is the first one up when promotion happens: a replica in the same dark
/// region is passed over for one elsewhere (regression: the dark one was promoted).
#[test]
fn promotion_skips_replicas_that_went_down_with_the_primary() {
    let r = run("version: 1\nname: second\nseed: 14\nduration: 30m\n\
        regions: { east: { zones: [a, b] }, west: {} }\n\
        network: { links: [ { between: [east, west], one_way: 30ms } ], connect_timeout: 2s }\n\
        components:\n  app: { kind: service, region: west, concurrency: unlimited, service_time: 1ms, calls: [ { to: db, timeout: 1s } ] }\n  \
        db: { kind: database, primary: { region: east, zone: a }, replicas: [ { region: east, zone: b }, { region: west } ], \
        failover: { detection: 30s, promotion: 30s } }\n\
        workloads: [ { name: w, entry: app, region: west, arrivals: { poisson: 10/s }, ops: { read: 0.5, write: 0.5 } } ]\n\
        faults: [ { at: 10m, region_outage: east } ]\n");
    let f = &r.components["db"].database.as_ref().unwrap().failovers[0];
    assert_eq!(f.how, "promotion");
    assert_eq!(f.restored_at_s, Some(600.0 + 60.0));
    let rto = r.recovery[0].rto_s.expect("recovered in the west");
    assert!((60.0..=90.0).contains(&rto), "rto {rto}");
}

/// Every kind accepts random failures: a single-instance database (no replica, no failover), a
/// function, a DNS and a queue, each failing with MTBF 1 h and repaired with MTTR 15 min, is up a
/// share mtbf / (mtbf + mttr) = 0.8 of the time, and refuses what reaches it while down.
#[test]
fn every_kind_fails_and_is_repaired_by_mtbf_and_mttr() {
    let cases = [
        ("db", "db: { kind: database, mtbf: 1h, mttr: 15m }"),
        (
            "fn",
            "fn: { kind: function, service_time: 1ms, cold_start: 0ms, mtbf: 1h, mttr: 15m }",
        ),
        (
            "dns",
            "dns: { kind: dns, targets: [ api ], mtbf: 1h, mttr: 15m }\n  api: { kind: service, concurrency: unlimited, service_time: 1ms }",
        ),
        (
            "q",
            "q: { kind: queue, consumers: worker, mtbf: 1h, mttr: 15m }\n  worker: { kind: service, concurrency: unlimited, service_time: 1ms }",
        ),
    ];
    for (entry, component) in cases {
        let r = run(&format!(
            "version: 1\nname: mtbf\nseed: 21\nduration: 300h\nreplications: 10\n\
             components:\n  {component}\n\
             workloads: [ {{ name: w, entry: {entry}, arrivals: {{ poisson: 0.5/s }} }} ]\n"
        ));
        let w = &r.workloads["w"];
        let sim = archsim_tests::check::Simulated::from_ci(
            w.availability,
            w.ci95.as_ref().unwrap().availability,
            10,
        );
        let check = archsim_tests::check::Check::new(
            entry,
            "availability",
            0.8,
            sim,
            archsim_tests::check::Allowance::None,
        );
        assert!(check.passes(), "{check}");
    }
}

/// Usage plans: a workload sending 20x its plan's rate is admitted at the plan's rate (a token
/// bucket admits at most `rate x T + burst` in T seconds, and with the bucket nearly always empty
/// hardly fewer), and only it is answered 429; another workload under its own plan is untouched.
#[test]
fn usage_plans_limit_each_workload_at_its_own_rate() {
    let r = run("version: 1\nname: plans\nseed: 6\nduration: 10m\n\
        components:\n  gw: { kind: load_balancer, targets: [api], rate_limit: { per_workload: { noisy: { rate: 50/s, burst: 10 }, calm: { rate: 100/s } } } }\n  \
        api: { kind: service, concurrency: unlimited, service_time: 1ms }\n\
        workloads: [ { name: noisy, entry: gw, arrivals: { poisson: 1000/s } },\n\
                     { name: calm, entry: gw, arrivals: { poisson: 20/s } } ]\n");
    let noisy = &r.workloads["noisy"];
    let (t, rate, burst) = (600.0, 50.0, 10.0);
    let admitted = noisy.completed as f64;
    assert!(
        admitted <= rate * t + burst && admitted >= 0.98 * rate * t,
        "{admitted}"
    );
    let b = r.components["gw"].balancer.as_ref().unwrap();
    assert_eq!(b.throttled_by_workload["noisy"], noisy.failed);
    assert_eq!(b.throttled_by_workload["calm"], 0);
    assert_eq!(r.workloads["calm"].failed, 0);
    assert_eq!(b.throttled, noisy.failed);
}

#[test]
fn usage_plans_name_known_workloads() {
    let e = sim_core::load(
        "version: 1\nname: p\nduration: 1m\ncomponents:\n  gw: { kind: load_balancer, targets: [api], rate_limit: { per_workload: { nosy: { rate: 5/s } } } }\n  \
         api: { kind: service, service_time: 1ms }\nworkloads: [ { name: noisy, entry: gw, arrivals: { poisson: 1/s } } ]\n"
            .as_bytes(),
    )
    .unwrap_err();
    assert!(
        e.iter()
            .any(|d| d.message.contains("unknown workload `nosy`")
                && d.help.as_deref() == Some("did you mean `noisy`?")
                && d.span.start.line == 5),
        "{e:?}"
    );
    let e = sim_core::load(
        "version: 1\nname: p\nduration: 1m\ncomponents:\n  gw: { kind: load_balancer, targets: [api], rate_limit: { burst: 5 } }\n  \
         api: { kind: service, service_time: 1ms }\nworkloads: [ { name: noisy, entry: gw, arrivals: { poisson: 1/s } } ]\n"
            .as_bytes(),
    )
    .unwrap_err();
    assert!(e.iter().any(|d| d.message.contains("rate")), "{e:?}");
}

fn zoned(routing: &str, call_routing: &str, faults: &str) -> String {
    format!(
        "version: 1\nname: zones\nseed: 8\nduration: 10m\nregions: {{ eu: {{ zones: [a, b, c] }} }}\n\
         components:\n  api: {{ kind: service, region: eu, zones: [a, b, c], replicas: 3, concurrency: unlimited, service_time: 1ms, \
         calls: [ {{ to: backend, request_size: 10KB, response_size: 90KB{call_routing} }} ] }}\n  \
         backend: {{ kind: service, region: eu, zones: [a, b, c], replicas: 3, concurrency: unlimited, service_time: 2ms, balance: random, routing: {routing} }}\n\
         workloads: [ {{ name: w, entry: api, arrivals: {{ poisson: 100/s }} }} ]\nfaults: [ {faults} ]\n"
    )
}

/// `routing: same_zone`: with every zone's backend up no byte crosses a zone; while the zone-a
/// backend is down (a third of the run), the zone-a callers (a third of the calls) fail over to
/// b and c, so the cross-zone bytes are those of a ninth of the calls, 100 KB each (Poisson count,
/// within 4 standard deviations). A call's own `routing: any` overrides the callee's.
#[test]
fn same_zone_routing_stays_in_the_zone_and_fails_over() {
    let gb = |r: &Report| r.network.inter_zone_gb;
    assert_eq!(gb(&run(&zoned("same_zone", "", ""))), 0.0);
    let r = run(&zoned(
        "same_zone",
        "",
        "{ at: 200s, duration: 200s, instance_crash: { component: backend, count: 1 } }",
    ));
    let calls = r.workloads["w"].requests as f64;
    let expected = calls / 9.0;
    let crossing = gb(&r) * 1e9 / 100e3;
    assert!(
        (crossing - expected).abs() <= 4.0 * expected.sqrt(),
        "{crossing} calls crossed, expected {expected}"
    );
    assert!(r.workloads["w"].availability > 0.999);
    // Without same-zone routing, two calls in three cross (random balancing).
    let any = run(&zoned("same_zone", ", routing: any", ""));
    let (n, crossed) = (any.workloads["w"].requests as f64, gb(&any) * 1e9 / 100e3);
    assert!(
        (crossed - 2.0 * n / 3.0).abs() <= 4.0 * (n * 2.0 / 9.0).sqrt(),
        "{crossed} of {n} calls crossed"
    );
}

#[test]
fn same_zone_routing_to_a_database_is_refused() {
    let e = sim_core::load(
        "version: 1\nname: z\nduration: 1m\ncomponents:\n  api: { kind: service, service_time: 1ms, calls: [ { to: db, routing: same_zone } ] }\n  \
         db: { kind: database }\nworkloads: [ { name: w, entry: api, arrivals: { poisson: 1/s } } ]\n"
            .as_bytes(),
    )
    .unwrap_err();
    assert!(
        e.iter()
            .any(|d| d.message.contains("picks its node itself") && d.span.start.line == 5),
        "{e:?}"
    );
}

/// An object store never queues, and each request takes its operation's latency: with reads of
/// mean 10 ms and writes of mean 40 ms in a 3:1 mix, the mean latency is 0.75 x 10 + 0.25 x 40 =
/// 17.5 ms (an infinite-server station), the analytic model says the same, and the reads and
/// writes it counts follow the mix. Tolerances are four standard errors of the sample mean and of
/// the write share, from the mixture's own variance.
#[test]
fn an_object_store_serves_reads_and_writes_at_their_own_latency() {
    let r = run(
        "version: 1\nname: blobs\nseed: 3\nduration: 10m\nwarmup: 10s\n\
        components:\n  blobs: { kind: object_store, read_time: { exponential: 10ms }, \
        write_time: { exponential: 40ms }, storage: 2TB }\n\
        workloads: [ { name: w, entry: blobs, arrivals: { poisson: 100/s }, \
        ops: { read: 0.75, write: 0.25 } } ]\n",
    );
    let w = &r.workloads["w"];
    let (p_write, read_ms, write_ms) = (0.25, 10.0, 40.0);
    let mean = (1.0 - p_write) * read_ms + p_write * write_ms;
    let second = (1.0 - p_write) * 2.0 * read_ms * read_ms + p_write * 2.0 * write_ms * write_ms;
    let n = w.completed as f64;
    let se = ((second - mean * mean) / n).sqrt();
    assert!(n > 50_000.0, "{n} requests");
    assert!(
        (w.latency_ms.mean - mean).abs() < 4.0 * se,
        "mean latency {} vs {mean} ms (se {se})",
        w.latency_ms.mean
    );
    let model = w.analytic.as_ref().expect("analytic").latency_ms.unwrap();
    assert!((model - mean).abs() < 1e-9, "the model's {model} ms");
    let c = &r.components["blobs"];
    assert_eq!(c.queue_wait_ms.mean, 0.0, "nothing waits");
    let o = c.object_store.as_ref().expect("object store figures");
    let total = (o.reads + o.writes) as f64;
    assert_eq!(
        o.reads + o.writes,
        w.requests,
        "every request is a read or a write (completed {}, unfinished {})",
        w.completed,
        w.unfinished
    );
    let share = o.writes as f64 / total;
    let se_share = (p_write * (1.0 - p_write) / total).sqrt();
    assert!(
        (share - p_write).abs() < 4.0 * se_share,
        "write share {share}"
    );
}

/// An object store costs its requests at their own prices and its data by the GB-month: the
/// report's cost is the measured reads and writes per second extended to a month, plus storage,
/// at the price book's figures (here overridden, to check the overrides are used), and `write_ops`
/// decides what is a write.
#[test]
fn an_object_store_is_billed_per_read_write_and_gb() {
    let r = run(
        "version: 1\nname: blob-cost\nseed: 5\nduration: 5m\nwarmup: 0s\n\
        pricing: { object_store_per_million_reads: 1, object_store_per_million_writes: 10, \
        object_store_per_gb_month: 0.05 }\n\
        components:\n  blobs: { kind: object_store, write_ops: [upload], storage: 500GB }\n\
        workloads: [ { name: w, entry: blobs, arrivals: { poisson: 50/s }, \
        ops: { read: 0.5, upload: 0.5 } } ]\n",
    );
    let o = r.components["blobs"].object_store.as_ref().unwrap();
    assert!(o.writes > 5_000 && o.reads > 5_000, "{o:?}");
    let month_s = r.cost.month_hours * 3600.0;
    let measured = r.simulated_s - r.warmup_s;
    let per_month = |n: u64| n as f64 / measured * month_s / 1e6;
    let requests = per_month(o.reads) * 1.0 + per_month(o.writes) * 10.0;
    let storage = 500.0 * 0.05;
    let cat = &r.cost.by_category;
    assert!(
        (cat["object_storage"] - requests).abs() < 1e-6 * requests,
        "{cat:?}"
    );
    assert!((cat["storage"] - storage).abs() < 1e-9, "{cat:?}");
    assert!((r.cost.by_component["blobs"] - requests - storage).abs() < 1e-6 * requests);
    // The analytic model prices the offered reads and writes with the same function.
    let a = sim_core::analytic::analyse(&sim_core::load(b"version: 1\nname: a\nduration: 5m\nwarmup: 0s\ncomponents:\n  blobs: { kind: object_store, write_ops: [upload], storage: 500GB }\nworkloads: [ { name: w, entry: blobs, arrivals: { poisson: 50/s }, ops: { read: 0.5, upload: 0.5 } } ]\n").unwrap().scenario);
    let expected = 25.0 * month_s / 1e6 * (0.40 + 5.00) + 500.0 * 0.023;
    assert!(
        (a.usd_per_month - expected).abs() < 1e-6 * expected,
        "{} vs {expected}",
        a.usd_per_month
    );
}
