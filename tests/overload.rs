//! Overload is reported and never passes: an M/M/c queue above capacity warns `saturated`, its
//! SLOs fail, and its unfinished requests match the fluid growth `(lambda - c mu) T`; the same
//! queue at load 0.95 gets no warning; requests stuck at the end show in the percentiles
//! (censored at their age) and, once older than the latency target, count as failed.
//! Tolerances come from the Poisson noise of the counts (see each test).

use sim_core::report::{Report, Verdict};

fn run(yaml: &str) -> Report {
    let loaded =
        sim_core::load(yaml.as_bytes()).unwrap_or_else(|d| panic!("invalid scenario: {d:?}"));
    sim_core::simulate(&loaded.scenario).expect("runs within limits")
}

/// M/M/4 with a mean service of 50 ms (capacity c mu = 80/s) at `rate` per second, one shared
/// FCFS queue, no warm-up (the queue starts empty).
fn mm4(rate: f64, replications: u32) -> String {
    format!(
        "version: 1\nname: mm4\nseed: 3\nduration: 10m\nreplications: {replications}\n\
         components:\n  api: {{ kind: service, replicas: 1, concurrency: 4, service_time: {{ exponential: 50ms }} }}\n\
         workloads: [ {{ name: web, entry: api, arrivals: {{ poisson: {rate}/s }} }} ]\n\
         slo:\n  - availability(web) >= 99%\n  - p99(web) < 5s\n"
    )
}

#[test]
fn mmc_above_capacity_warns_and_fails() {
    for load in [1.1, 1.25] {
        let (cmu, t) = (80.0, 600.0);
        let lambda = load * cmu;
        let r = run(&mm4(lambda, 1));
        let w = &r.workloads["web"];
        // Servers busy throughout: departures are Poisson(c mu T), arrivals Poisson(lambda T), so
        // the backlog A - D has standard deviation sqrt((lambda + c mu) T); 4 of them, plus the c
        // requests in service.
        let expected = (lambda - cmu) * t;
        let tol = 4.0 * ((lambda + cmu) * t).sqrt() + 4.0;
        assert!(
            (w.unfinished as f64 - expected).abs() <= tol,
            "load {load}: {} unfinished, expected {expected} ± {tol}",
            w.unfinished
        );
        let sat: Vec<_> = r
            .warnings
            .iter()
            .filter(|x| x.code == "saturated")
            .collect();
        assert_eq!(sat.len(), 1, "load {load}: {:?}", r.warnings);
        assert_eq!(sat[0].component.as_deref(), Some("api"));
        assert!(sat[0].message.contains("offered") && sat[0].message.contains("served"));
        for s in &r.slo {
            assert_eq!(s.verdict, Verdict::Fail, "load {load}: {}", s.expr);
            assert_eq!(s.pass, Some(false));
            assert!(
                s.note.as_deref().is_some_and(|n| n.contains("saturated")),
                "{:?}",
                s.note
            );
        }
        // Unfinished requests older than the 5 s target count as failed: in the fluid picture
        // the backlog's waits reach (load - 1) / load * T, far beyond 5 s, so most of them.
        assert!(w.unfinished_failed > w.unfinished / 2, "{w:?}");
        assert!(w.failed >= w.unfinished_failed);
        assert!(w.availability < 0.99);
    }
}

/// At load 0.95 the queue is stable: its length has a geometric tail (P(Nq > k) ~ 0.95^k), while
/// the detector needs a growth of 4 sqrt(A + D), about 1,200 requests over 10 minutes: a false
/// alarm has probability about 0.95^1200 (1e-27) per replication. Twenty replications, none warned.
#[test]
fn mmc_at_load_095_gets_no_warning() {
    let r = run(&mm4(76.0, 20));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    for s in &r.slo {
        assert_ne!(s.verdict, Verdict::Fail, "{}: {:?}", s.expr, s.value);
        assert!(s.note.is_none());
    }
    // A stable queue leaves a few requests in flight, not a backlog: Erlang C gives a mean queue
    // of about 17 at this load; 20 replications of a few dozen at most.
    assert!(
        r.workloads["web"].unfinished < 20 * 200,
        "{:?}",
        r.workloads["web"]
    );
}

/// A dependency that stops answering for the last 2 minutes of 10 (1 h added to its work): no
/// request sent then completes. Counting completed requests only, the tail would not move; with
/// unfinished requests censored at their age, a share f = 120/600 of requests sits at ages uniform
/// over 0..120 s, so for q > 1 - f the q-quantile is 120 s x (1 - (1 - q) / f): p99 114 s, p90 60 s.
/// Those older than the 1 s target (119 s of the 120) count as failed.
#[test]
fn stuck_requests_show_in_the_tail_and_fail_once_late() {
    let r = run("version: 1\nname: stuck\nseed: 5\nduration: 10m\n\
         components:\n  api: { kind: service, concurrency: unlimited, service_time: 1ms, calls: [ { to: dep } ] }\n  \
         dep: { kind: service, concurrency: unlimited, service_time: 1ms }\n\
         faults: [ { at: 8m, latency: { component: dep, add: 1h } } ]\n\
         workloads: [ { name: web, entry: api, arrivals: { poisson: 100/s } } ]\n\
         slo:\n  - p99(web) < 1s\n");
    let w = &r.workloads["web"];
    // Unfinished: arrivals in the last 120 s, Poisson(12,000), sd 110; 4 sd.
    let tol = 4.0 * 12_000f64.sqrt();
    assert!((w.unfinished as f64 - 12_000.0).abs() <= tol, "{w:?}");
    // The share f is then known to within 4 sd of a binomial share (0.7 %), which moves p90 by
    // 120 x 0.1 x df / f^2 (2 s) and p99 by a tenth of that; plus the histogram's 0.4 %.
    let f = w.unfinished as f64 / w.requests as f64;
    let quantile = |q: f64| 120_000.0 * (1.0 - (1.0 - q) / f);
    let sd_f = (f * (1.0 - f) / w.requests as f64).sqrt();
    for (q, got) in [(0.9, w.latency_ms.p90), (0.99, w.latency_ms.p99)] {
        let tol_ms = 120_000.0 * (1.0 - q) * 4.0 * sd_f / (f * f) + 0.004 * quantile(q)
            // the ages of U uniform points: a quantile's standard error is 120 s sqrt(p(1-p)/U)
            + 4.0 * 120_000.0 * (0.25 / w.unfinished as f64).sqrt();
        assert!(
            (got - quantile(q)).abs() <= tol_ms,
            "p{q}: {got} ms, expected {} ± {tol_ms}",
            quantile(q)
        );
    }
    // The mean is of completed requests only: about 2 ms plus the network.
    assert!(w.latency_ms.mean < 10.0, "{:?}", w.latency_ms);
    // Failed: the unfinished older than 1 s, a share 119/120 of them (binomial, 4 sd).
    let expected = w.unfinished as f64 * 119.0 / 120.0;
    let tol = 4.0 * (w.unfinished as f64 * (1.0 / 120.0) * (119.0 / 120.0)).sqrt() + 1.0;
    assert!(
        (w.unfinished_failed as f64 - expected).abs() <= tol,
        "{} failed of {} unfinished",
        w.unfinished_failed,
        w.unfinished
    );
    assert_eq!(w.failed, w.unfinished_failed);
    assert_eq!(r.slo[0].verdict, Verdict::Fail);
    // Unlimited concurrency: nothing queues, so nothing is saturated; the tail says it all.
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}
