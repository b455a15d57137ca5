//! The architecture mechanisms doing what users expect: timeouts whose work goes on, retry storms
//! and the breaker that caps them, parallel fan-out, probabilities and operation filters, `io:
//! async`, network delay, partitions, zone outages, error injection, load spikes, random failures
//! (against availability in series and in parallel). Each test states the expectation it checks.

use sim_core::report::Report;

fn run(yaml: &str) -> Report {
    let loaded =
        sim_core::load(yaml.as_bytes()).unwrap_or_else(|d| panic!("invalid scenario: {d:?}"));
    sim_core::simulate(&loaded.scenario).expect("runs within limits")
}

fn within(value: f64, expected: f64, rel: f64) -> bool {
    (value - expected).abs() <= rel * expected.abs()
}

/// A slow dependency behind a short timeout: the caller gives up, but the callee's work goes on.
/// Retries without backoff multiply the load the dependency sees; a circuit breaker caps it.
#[test]
fn retries_amplify_load_and_a_breaker_caps_it() {
    let scenario = |call: &str| {
        format!(
            "version: 1\nname: storm\nseed: 4\nduration: 2m\nwarmup: 10s\n\
             components:\n  api: {{ kind: service, concurrency: unlimited, service_time: 1ms, calls: [ {call} ] }}\n  \
             slow: {{ kind: service, concurrency: 4, service_time: {{ exponential: 50ms }} }}\n\
             workloads: [ {{ name: web, entry: api, arrivals: {{ poisson: 100/s }} }} ]\n"
        )
    };
    // 100/s against a capacity of 4 / 50ms = 80/s: overloaded, waits grow past the 200 ms timeout.
    let plain = run(&scenario("{ to: slow, timeout: 200ms }"));
    let retried = run(&scenario(
        "{ to: slow, timeout: 200ms, retry: { attempts: 4, backoff: 0s } }",
    ));
    let broken = run(&scenario(
        "{ to: slow, timeout: 200ms, retry: { attempts: 4, backoff: 0s }, circuit_breaker: { failure_ratio: 50%, window: 20, open_for: 5s } }",
    ));
    let arrivals = |r: &Report| r.components["slow"].arrivals as f64;
    let offered = plain.workloads["web"].requests as f64;
    // Without retries the dependency sees each request once.
    assert!(
        within(arrivals(&plain), offered, 0.02),
        "{} vs {offered}",
        arrivals(&plain)
    );
    // The callee keeps working on timed-out calls: it completes many more than the caller accepted.
    assert!(plain.components["slow"].timeouts > 0);
    assert!(plain.components["slow"].completed as f64 > 0.5 * offered);
    // Immediate retries multiply what the dependency is sent (attempts up to 4 per request).
    assert!(
        arrivals(&retried) > 2.5 * offered,
        "retry storm: {} vs {offered}",
        arrivals(&retried)
    );
    assert!(retried.components["slow"].retries > 0);
    // The breaker fails calls fast while open, so the dependency sees far less than the storm.
    assert!(broken.components["slow"].short_circuited > 0);
    assert!(
        arrivals(&broken) < 0.5 * arrivals(&retried),
        "breaker: {} vs storm {}",
        arrivals(&broken),
        arrivals(&retried)
    );
}

/// A call whose callee is too slow fails the request at the timeout, not at the callee's pace.
#[test]
fn a_timeout_bounds_the_callers_latency() {
    let r = run("version: 1\nname: t\nseed: 1\nduration: 1m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 0s, calls: [ { to: slow, timeout: 100ms } ] }\n  \
        slow: { kind: service, concurrency: unlimited, service_time: 300ms }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 10/s } } ]\n");
    let w = &r.workloads["web"];
    assert_eq!(w.completed, 0, "every call times out");
    assert!(w.failed > 500);
    // Each timed-out call's work still completes at the callee (300 ms later).
    assert!(r.components["slow"].completed as f64 > 0.95 * w.failed as f64);
}

/// Parallel fan-out waits for the slowest branch: with two exponential branches of mean m, the
/// step takes E[max] = 1.5 m; in sequence it takes 2 m.
#[test]
fn parallel_calls_take_the_slowest_branch() {
    let scenario = |calls: &str| {
        format!(
            "version: 1\nname: p\nseed: 2\nduration: 10m\nreplications: 5\n\
             components:\n  api: {{ kind: service, concurrency: unlimited, service_time: 0s, calls: {calls} }}\n  \
             a: {{ kind: service, concurrency: unlimited, service_time: {{ exponential: 20ms }} }}\n  \
             b: {{ kind: service, concurrency: unlimited, service_time: {{ exponential: 20ms }} }}\n\
             workloads: [ {{ name: web, entry: api, arrivals: {{ poisson: 200/s }} }} ]\n"
        )
    };
    let par = run(&scenario("[ { parallel: [ { to: a }, { to: b } ] } ]"));
    let seq = run(&scenario("[ { to: a }, { to: b } ]"));
    let check = |r: &Report, expected: f64| {
        let l = &r.workloads["web"];
        let ci = l.ci95.as_ref().unwrap().latency_ms.mean;
        // Tolerance: the 95 % interval widened to 99.9 % (t(4) 8.610 / 2.776) and at least 1 %.
        let hw = ((ci[1] - ci[0]) / 2.0 * 8.610 / 2.776).max(0.01 * expected);
        assert!(
            (l.latency_ms.mean - expected).abs() <= hw,
            "mean {} vs {expected} ± {hw}",
            l.latency_ms.mean
        );
    };
    check(&par, 30.0);
    check(&seq, 40.0);
}

/// A call with `probability: 0.3` reaches its callee for 30 % of requests; an `op: write` call only
/// for the write share of the operation mix.
#[test]
fn probabilities_and_operation_filters_select_calls() {
    let r = run("version: 1\nname: ops\nseed: 3\nduration: 10m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, calls: [ { to: cache, probability: 0.3 }, { to: db, op: write } ] }\n  \
        cache: { kind: service, concurrency: unlimited, service_time: 1ms }\n  db: { kind: service, concurrency: unlimited, service_time: 1ms }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 100/s }, ops: { read: 0.8, write: 0.2 } } ]\n");
    let n = r.components["api"].arrivals as f64;
    // Binomial: 4 standard deviations of the share.
    let share = |c: &str, p: f64| {
        let x = r.components[c].arrivals as f64 / n;
        let sd = (p * (1.0 - p) / n).sqrt();
        assert!((x - p).abs() < 4.0 * sd, "{c}: share {x} vs {p}");
    };
    share("cache", 0.3);
    share("db", 0.2);
}

/// With `io: async` the caller's slot is released after its local work, so a slow callee does not
/// hold the caller's concurrency: utilisation is the local work's share only.
#[test]
fn async_io_releases_the_slot_during_calls() {
    let scenario = |io: &str| {
        format!(
            "version: 1\nname: io\nseed: 5\nduration: 5m\n\
             components:\n  api: {{ kind: service, concurrency: 64, io: {io}, service_time: 2ms, calls: [ {{ to: slow }} ] }}\n  \
             slow: {{ kind: service, concurrency: unlimited, service_time: 100ms }}\n\
             workloads: [ {{ name: web, entry: api, arrivals: {{ poisson: 200/s }} }} ]\n"
        )
    };
    let sync = run(&scenario("sync"));
    let asyn = run(&scenario("async"));
    // Busy slots: sync holds one for 102 ms per request (20.4 of 64), async for 2 ms (0.4 of 64).
    assert!(
        within(sync.components["api"].busy_mean, 200.0 * 0.102, 0.05),
        "{}",
        sync.components["api"].busy_mean
    );
    assert!(
        within(asyn.components["api"].busy_mean, 200.0 * 0.002, 0.05),
        "{}",
        asyn.components["api"].busy_mean
    );
    // The user waits for the calls either way.
    assert!(within(asyn.workloads["web"].latency_ms.mean, 102.0, 0.01));
}

const TWO_REGIONS: &str = "regions:\n  east: { zones: [a, b] }\n  west: { zones: [a] }\n\
    network:\n  intra_zone: 250us\n  inter_zone: 1ms\n  links: [ { between: [east, west], one_way: 40ms } ]\n";

/// Each call pays the one-way delay there and back: a call to another region adds 2 x 40 ms; to
/// another zone 2 x 1 ms.
#[test]
fn network_delay_follows_placement() {
    let scenario = |db_place: &str| {
        format!(
            "version: 1\nname: net\nseed: 6\nduration: 1m\n{TWO_REGIONS}\
             components:\n  api: {{ kind: service, region: east, zone: a, concurrency: unlimited, service_time: 5ms, calls: [ {{ to: db }} ] }}\n  \
             db: {{ kind: service, {db_place}, concurrency: unlimited, service_time: 5ms }}\n\
             workloads: [ {{ name: web, entry: api, region: east, arrivals: {{ poisson: 50/s }} }} ]\n"
        )
    };
    let same_zone = run(&scenario("region: east, zone: a"));
    let other_zone = run(&scenario("region: east, zone: b"));
    let other_region = run(&scenario("region: west, zone: a"));
    let mean = |r: &Report| r.workloads["web"].latency_ms.mean;
    // Users in `east` reach `api` within the region (2 x 0.25 ms there and back), then `api`
    // calls `db`; delays are exact here because service times are constant.
    let users = 2.0 * 0.25;
    assert!(
        within(mean(&same_zone), 10.0 + users + 2.0 * 0.25, 1e-6),
        "{}",
        mean(&same_zone)
    );
    assert!(
        within(mean(&other_zone), 10.0 + users + 2.0 * 1.0, 1e-6),
        "{}",
        mean(&other_zone)
    );
    assert!(
        within(mean(&other_region), 10.0 + users + 2.0 * 40.0, 1e-6),
        "{}",
        mean(&other_region)
    );
}

/// A partition between regions drops cross-region calls: they fail at the caller's timeout, and
/// only while the partition lasts.
#[test]
fn a_partition_makes_cross_region_calls_time_out() {
    let r = run(&format!(
        "version: 1\nname: part\nseed: 7\nduration: 10m\n{TWO_REGIONS}\
         components:\n  api: {{ kind: service, region: east, concurrency: unlimited, service_time: 1ms, calls: [ {{ to: db, timeout: 500ms }} ] }}\n  \
         db: {{ kind: service, region: west, concurrency: unlimited, service_time: 1ms }}\n\
         workloads: [ {{ name: web, entry: api, region: east, arrivals: {{ poisson: 20/s }} }} ]\n\
         faults: [ {{ at: 2m, duration: 2m, partition: [east, west] }} ]\n"
    ));
    let w = &r.workloads["web"];
    let failed_share = w.failed as f64 / (w.completed + w.failed) as f64;
    // 2 minutes of 10 fail: 20 %, within binomial noise.
    assert!(
        within(failed_share, 0.2, 0.1),
        "failed share {failed_share}"
    );
    assert_eq!(
        r.components["db"].failed, 0,
        "the callee never sees the dropped calls"
    );
    assert!(
        w.latency_ms.max < 100.0,
        "successful requests never wait for the timeout"
    );
    // The time series shows the errors only inside the fault window.
    let ts = &r.timeseries;
    for (i, &t) in ts.start_s.iter().enumerate() {
        let errors = ts.workloads["web"].errors_rps[i];
        if t + ts.window_s <= 120.0 || t >= 240.0 + 1.0 {
            assert_eq!(errors, 0.0, "errors outside the partition at {t}s");
        }
    }
}

/// A zone outage takes down only that zone's instances: the time series shows the instance count
/// dip by exactly that zone's share, and traffic keeps flowing through the other zones.
#[test]
fn a_zone_outage_removes_only_that_zones_instances() {
    let r = run(&format!(
        "version: 1\nname: zone\nseed: 8\nduration: 10m\n{TWO_REGIONS}\
         components:\n  api: {{ kind: service, region: east, zones: [a, b], replicas: 6, concurrency: 8, service_time: {{ exponential: 10ms }} }}\n\
         workloads: [ {{ name: web, entry: api, region: east, arrivals: {{ poisson: 500/s }} }} ]\n\
         faults: [ {{ at: 3m, duration: 3m, zone_outage: {{ region: east, zone: a }} }} ]\n"
    ));
    let ts = &r.timeseries;
    let instances = &ts.components["api"].instances;
    for (i, &t) in ts.start_s.iter().enumerate() {
        // Counted at each window's end.
        let end = t + ts.window_s;
        let expected = if (180.0..360.0).contains(&end) {
            3.0
        } else {
            6.0
        };
        assert_eq!(instances[i], expected, "instances up at {end}s");
    }
    let w = &r.workloads["web"];
    // Only the requests in flight in zone a when it went dark fail (a few dozen at most).
    assert!(w.failed > 0 && w.failed < 100, "failed {}", w.failed);
    assert!(w.availability > 0.999);
}

/// Injected errors fail that share of requests, and bad deploys likewise, only while active.
#[test]
fn error_injection_fails_its_share_while_active() {
    let r = run("version: 1\nname: err\nseed: 9\nduration: 10m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, calls: [ { to: pay } ] }\n  \
        pay: { kind: external, latency: { exponential: 50ms }, error_rate: 2% }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 100/s } } ]\n\
        faults: [ { at: 5m, duration: 5m, bad_deploy: { component: api, error_rate: 10% } } ]\n");
    let w = &r.workloads["web"];
    let failed = w.failed as f64 / (w.completed + w.failed) as f64;
    // 2 % throughout, plus 10 % of the rest in the second half: 1 - 0.98 * (1 - 0.05) = 6.9 %.
    let expected = 1.0 - 0.98 * (1.0 - 0.05);
    let sd = (expected * (1.0 - expected) / (w.completed + w.failed) as f64).sqrt();
    assert!(
        (failed - expected).abs() < 4.0 * sd,
        "failed share {failed} vs {expected}"
    );
}

/// A load spike multiplies the arrival rate while it lasts.
#[test]
fn a_load_spike_multiplies_arrivals_while_it_lasts() {
    let r = run("version: 1\nname: spike\nseed: 10\nduration: 10m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 100/s } } ]\n\
        faults: [ { at: 4m, duration: 2m, load_spike: { workload: web, factor: 5 } } ]\n");
    // 8 minutes at 100/s and 2 at 500/s: 108,000 requests (Poisson: sd ~ 330).
    let n = r.workloads["web"].requests as f64;
    assert!((n - 108_000.0).abs() < 4.0 * 108_000f64.sqrt(), "{n}");
    let ts = &r.timeseries;
    let thr = &ts.workloads["web"].throughput_rps;
    let mid = ts.start_s.iter().position(|&t| t >= 300.0).unwrap();
    assert!(
        thr[mid] > 400.0 && thr[1] < 150.0,
        "spike visible in the series: {} vs {}",
        thr[mid],
        thr[1]
    );
}

/// Random failures from `mtbf`/`mttr`: one instance is up a share mtbf / (mtbf + mttr) of the time;
/// in series two such components multiply their availabilities; two replicas in parallel fail only
/// together, 1 - (1 - A)^2.
#[test]
fn availability_in_series_and_in_parallel_matches_closed_forms() {
    // mtbf 9 min, mttr 1 min: A = 0.9. Long runs: the failure process is slow.
    let scenario = |replicas: u32, chain: bool| {
        let calls = if chain { "calls: [ { to: b } ]," } else { "" };
        format!(
            "version: 1\nname: avail\nseed: 11\nduration: 20d\nreplications: 8\n\
             components:\n  a: {{ kind: service, replicas: {replicas}, concurrency: unlimited, {calls} service_time: 0s, mtbf: 9m, mttr: 1m }}\n  \
             b: {{ kind: service, replicas: {replicas}, concurrency: unlimited, service_time: 0s, mtbf: 9m, mttr: 1m }}\n\
             workloads: [ {{ name: web, entry: a, arrivals: {{ poisson: 1/s }} }} ]\n"
        )
    };
    let a = 0.9f64;
    for (replicas, chain, expected) in [
        (1, false, a),
        (1, true, a * a),
        (2, false, 1.0 - (1.0 - a).powi(2)),
    ] {
        let r = run(&scenario(replicas, chain));
        let w = &r.workloads["web"];
        let ci = w.ci95.as_ref().unwrap().availability;
        // Tolerance: the replications' 95 % interval widened to 99.9 % (Student t, 7 degrees of freedom).
        use sim_core::stats::estimate::{t_975, t_9995};
        let hw = (ci[1] - ci[0]) / 2.0 * t_9995(7) / t_975(7);
        assert!(hw < 0.01, "interval too wide to judge: {hw}");
        assert!(
            (w.availability - expected).abs() <= hw,
            "replicas {replicas}, chain {chain}: {} vs {expected} ± {hw}",
            w.availability
        );
    }
}

/// Bytes are counted where they go: users' requests in, responses out to the internet, calls between
/// zones and along region links, each way with its own size. Constant arrivals make the counts exact.
#[test]
fn traffic_is_counted_by_where_it_goes() {
    let r = run(&format!(
        "version: 1\nname: bytes\nseed: 12\nduration: 100s\n{TWO_REGIONS}\
         components:\n  api: {{ kind: service, region: east, zone: a, concurrency: unlimited, service_time: 1ms, \
         calls: [ {{ to: db }}, {{ to: logs, request_size: 1KB, response_size: 0B }} ] }}\n  \
         db: {{ kind: service, region: east, zone: b, concurrency: unlimited, service_time: 1ms }}\n  \
         logs: {{ kind: service, region: west, concurrency: unlimited, service_time: 1ms }}\n\
         workloads: [ {{ name: web, entry: api, region: east, arrivals: {{ constant: 10/s }}, request_size: 2KB, response_size: 20KB }} ]\n"
    ));
    let n = r.workloads["web"].completed as f64;
    assert!((n - 1000.0).abs() <= 1.0, "{n}");
    let net = &r.network;
    let gb = |bytes: f64| n * bytes / 1e9;
    // Users: 2 KB in, 20 KB out per request.
    assert!(
        (net.internet_in_gb - gb(2e3)).abs() < 1e-9,
        "{}",
        net.internet_in_gb
    );
    assert!(
        (net.internet_out_gb - gb(20e3)).abs() < 1e-9,
        "{}",
        net.internet_out_gb
    );
    // api (zone a) -> db (zone b): the workload's sizes both ways.
    assert!(
        (net.inter_zone_gb - gb(22e3)).abs() < 1e-9,
        "{}",
        net.inter_zone_gb
    );
    // api -> logs across regions: the call's own sizes.
    assert!(
        (net.inter_region_gb["east|west"] - gb(1e3)).abs() < 1e-9,
        "{:?}",
        net.inter_region_gb
    );
}

/// A callee's failure is retried whether or not the answer crosses a network: with no delay at
/// all, three attempts against a 50 % error rate succeed with probability 1 - 0.5^3.
#[test]
fn fast_failures_are_retried_without_network_delay() {
    let r = run("version: 1\nname: fast\nseed: 13\nduration: 10m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, calls: [ { to: flaky, retry: { attempts: 3 } } ] }\n  \
        flaky: { kind: external, latency: 5ms, error_rate: 50% }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 20/s } } ]\n");
    let w = &r.workloads["web"];
    let n = (w.completed + w.failed) as f64;
    let sd = (0.875 * 0.125 / n).sqrt();
    assert!(
        (w.availability - 0.875).abs() < 4.0 * sd,
        "availability {}",
        w.availability
    );
    assert!(r.components["flaky"].retries > 0);
}

/// A breaker opened by a slow spell closes again once its probe succeeds: after the fault and
/// `open_for`, requests succeed as before.
#[test]
fn a_circuit_breaker_closes_again_after_the_fault() {
    let r = run("version: 1\nname: breaker\nseed: 14\nduration: 3m\n\
        components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, \
        calls: [ { to: dep, timeout: 100ms, circuit_breaker: { failure_ratio: 50%, window: 10, open_for: 5s } } ] }\n  \
        dep: { kind: service, concurrency: unlimited, service_time: 10ms }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 50/s } } ]\n\
        faults: [ { at: 30s, duration: 30s, latency: { component: dep, add: 200ms } } ]\n");
    assert!(
        r.components["dep"].short_circuited > 0,
        "the breaker opened"
    );
    let ts = &r.timeseries;
    let errors = &ts.workloads["web"].errors_rps;
    for (i, &t) in ts.start_s.iter().enumerate() {
        if t >= 70.0 {
            assert_eq!(
                errors[i], 0.0,
                "errors at {t}s, after the fault and open_for"
            );
        }
    }
}
