//! The human summary of a report: one table of workloads, one of components, and SLO verdicts.

use sim_core::Report;
use std::fmt::Write;

fn fmt_ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn fmt_count(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=9_999_999 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.2}M", n as f64 / 1e6),
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let reps = if r.replications == 1 {
        "1 replication".to_string()
    } else {
        format!("{} replications (mean, ± 95% CI)", r.replications)
    };
    let _ = writeln!(
        o,
        "{} · seed {} · {}s simulated after {}s warm-up · {} · {} events\n",
        r.scenario,
        r.seed,
        r.simulated_s,
        r.warmup_s,
        reps,
        fmt_count(r.engine.events)
    );
    let _ = writeln!(
        o,
        "{:<16} {:>9} {:>9} {:>9} {:>10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "workload",
        "requests",
        "failed",
        "unfinished",
        "avail",
        "thru/s",
        "mean ms",
        "p50",
        "p90",
        "p99",
        "p999",
        "max",
        "model ms"
    );
    for (name, w) in &r.workloads {
        let l = &w.latency_ms;
        let _ = writeln!(
            o,
            "{:<16} {:>9} {:>9} {:>9} {:>9}% {:>9.2} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
            name,
            fmt_count(w.requests),
            fmt_count(w.failed),
            fmt_count(w.unfinished),
            report_charts::fmt_availability(w.availability),
            w.throughput_rps,
            fmt_ms(l.mean),
            fmt_ms(l.p50),
            fmt_ms(l.p90),
            fmt_ms(l.p99),
            fmt_ms(l.p999),
            fmt_ms(l.max),
            model_ms(w.analytic.as_ref().map(|a| a.latency_ms))
        );
        if let Some(ci) = &w.ci95 {
            let hw = |i: [f64; 2]| format!("±{}", fmt_ms((i[1] - i[0]) / 2.0));
            let _ = writeln!(
                o,
                "{:<16} {:>9} {:>9} {:>9} {:>10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
                "",
                "",
                "",
                "",
                format!("±{:.3}%", (ci.availability[1] - ci.availability[0]) * 50.0),
                format!(
                    "±{:.2}",
                    (ci.throughput_rps[1] - ci.throughput_rps[0]) / 2.0
                ),
                hw(ci.latency_ms.mean),
                hw(ci.latency_ms.p50),
                hw(ci.latency_ms.p90),
                hw(ci.latency_ms.p99),
                hw(ci.latency_ms.p999)
            );
        }
    }
    let _ = writeln!(
        o,
        "\n{:<16} {:>7} {:>10} {:>10} {:>9} {:>10} {:>11} {:>9} {:>7} {:>9}",
        "component",
        "util",
        "wait ms",
        "wait p99",
        "thru/s",
        "in system",
        "sojourn ms",
        "rejected",
        "model",
        "model ms"
    );
    for (name, c) in &r.components {
        let _ = writeln!(
            o,
            "{:<16} {:>6.1}% {:>10} {:>10} {:>9.2} {:>10.2} {:>11} {:>9} {:>7} {:>9}",
            name,
            c.utilization * 100.0,
            fmt_ms(c.queue_wait_ms.mean),
            fmt_ms(c.queue_wait_ms.p99),
            c.throughput_rps,
            c.in_system_mean,
            fmt_ms(c.sojourn_ms.mean),
            fmt_count(c.rejected),
            model_util(c.analytic.as_ref()),
            model_ms(c.analytic.as_ref().map(|a| a.response_ms))
        );
    }
    kinds(&mut o, r);
    if !r.recovery.is_empty() {
        let _ = writeln!(
            o,
            "\nrecovery (RTO: until every workload is back within its SLO; RPO: writes lost)"
        );
        for x in &r.recovery {
            let rto = x.rto_s.map_or_else(
                || "not recovered within the run".to_string(),
                |t| format!("RTO {t}s"),
            );
            let _ = writeln!(
                o,
                "  {:<32} {rto}, RPO {:.3}s, {} writes lost",
                x.fault, x.rpo_s, x.lost_writes
            );
            // Each workload's own figures, when the fault reaches more than one.
            if x.workloads.len() > 1 {
                for (w, wr) in &x.workloads {
                    let rto = wr
                        .rto_s
                        .map_or_else(|| "not recovered".to_string(), |t| format!("RTO {t}s"));
                    let rpo = wr
                        .rpo_s
                        .map_or_else(String::new, |p| format!(", RPO {p:.3}s"));
                    let _ = writeln!(o, "    {w:<30} {rto}{rpo}");
                }
            }
        }
    } else if !r.faults.is_empty() {
        let _ = writeln!(o, "\nfaults");
        for f in &r.faults {
            let end = f
                .end_s
                .map_or_else(|| "end".to_string(), |e| format!("{e}s"));
            let _ = writeln!(o, "  {}s..{:<8} {}", f.start_s, end, f.fault);
        }
    }
    if r.cost.usd_per_month > 0.0 {
        let _ = writeln!(
            o,
            "\ncost: about {} per month (the measured window's run-rate at list prices)",
            report_charts::fmt_usd(r.cost.usd_per_month)
        );
    } else {
        let _ = writeln!(
            o,
            "\ncost: none computed (no component has an `instance` type or a priced kind)"
        );
    }
    if !r.slo.is_empty() {
        let _ = writeln!(o, "\nSLO");
        for s in &r.slo {
            let verdict = match s.verdict {
                sim_core::report::Verdict::Pass => "PASS",
                sim_core::report::Verdict::Fail => "FAIL",
                sim_core::report::Verdict::Inconclusive => "????",
            };
            let value = match (s.value, s.ci95, &s.note) {
                (Some(v), Some([lo, hi]), _) => {
                    let f = |x| fmt_value(&s.expr, x);
                    format!("measured {} (95% CI {}..{})", f(v), f(lo), f(hi))
                }
                (Some(v), None, _) => format!("measured {}", fmt_value(&s.expr, v)),
                (None, _, _) if s.pass == Some(false) => "never met within the run".to_string(),
                (None, _, Some(n)) => n.clone(),
                (None, _, None) => String::new(),
            };
            let _ = writeln!(o, "  {verdict}  {:<40} {value}", s.expr);
            if let (Some(_), Some(n)) = (s.value, &s.note) {
                let _ = writeln!(o, "        {n}");
            }
        }
    }
    warnings(&mut o, r);
    o
}

/// The analytic model's utilisation beside the simulated one: offered work over slots, `over`
/// when it is 1 or more, `-` for unlimited concurrency.
fn model_util(a: Option<&sim_core::analytic::report::ComponentAnalytic>) -> String {
    match a {
        Some(a) if a.servers.is_some() && a.utilization >= 1.0 => "over".to_string(),
        Some(a) if a.servers.is_some() => format!("{:.1}%", a.utilization * 100.0),
        _ => "-".to_string(),
    }
}

/// The analytic model's mean time in ms; `over` when the path is overloaded.
fn model_ms(a: Option<Option<f64>>) -> String {
    match a {
        Some(Some(v)) => fmt_ms(v),
        Some(None) => "over".to_string(),
        None => "-".to_string(),
    }
}

/// The report's warnings, each on its own line under its code.
fn warnings(o: &mut String, r: &Report) {
    if r.warnings.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nwarnings");
    for w in &r.warnings {
        let _ = writeln!(o, "  {}: {}", w.code, w.message);
    }
}

fn fmt_value(expr: &str, v: f64) -> String {
    if expr.starts_with("availability") {
        return format!("{}%", report_charts::fmt_availability(v));
    }
    if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

/// What each kind of component measured beyond its station's figures.
fn kinds(o: &mut String, r: &Report) {
    let caches: Vec<_> = r
        .components
        .iter()
        .filter_map(|(n, c)| c.cache.as_ref().map(|x| (n, x)))
        .collect();
    if !caches.is_empty() {
        let _ = writeln!(
            o,
            "\n{:<16} {:>10} {:>10} {:>10}",
            "cache", "hits", "misses", "hit ratio"
        );
        for (n, c) in caches {
            let _ = writeln!(
                o,
                "{:<16} {:>10} {:>10} {:>9.1}%",
                n,
                fmt_count(c.hits),
                fmt_count(c.misses),
                c.hit_ratio * 100.0
            );
        }
    }
    let queues: Vec<_> = r
        .components
        .iter()
        .filter_map(|(n, c)| c.queue.as_ref().map(|x| (n, x)))
        .collect();
    if !queues.is_empty() {
        let _ = writeln!(
            o,
            "\n{:<16} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>13}",
            "queue", "enqueued", "refused", "acked", "redeliv.", "dead", "left", "enq->ack p99"
        );
        for (n, q) in queues {
            let _ = writeln!(
                o,
                "{:<16} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} ms",
                n,
                fmt_count(q.enqueued),
                fmt_count(q.refused),
                fmt_count(q.acked),
                fmt_count(q.redelivered),
                fmt_count(q.dead_lettered),
                fmt_count(q.depth_at_end),
                fmt_ms(q.processing_ms.p99)
            );
        }
    }
    let dbs: Vec<_> = r
        .components
        .iter()
        .filter_map(|(n, c)| c.database.as_ref().map(|x| (n, x)))
        .collect();
    if !dbs.is_empty() {
        let _ = writeln!(
            o,
            "\n{:<16} {:>10} {:>10} {:>11}",
            "database", "reads", "writes", "stale reads"
        );
        for (n, d) in dbs {
            let _ = writeln!(
                o,
                "{:<16} {:>10} {:>10} {:>11}",
                n,
                fmt_count(d.reads),
                fmt_count(d.writes),
                fmt_count(d.stale_reads)
            );
            for f in &d.failovers {
                let back = f.restored_at_s.map_or_else(
                    || "not within the run".to_string(),
                    |t| format!("writes back at {t}s"),
                );
                let _ = writeln!(
                    o,
                    "  primary lost at {}s: {}, {} writes lost (RPO {:.3}s), {}",
                    f.at_s, f.how, f.lost_writes, f.rpo_s, back
                );
            }
        }
    }
    let functions: Vec<_> = r
        .components
        .iter()
        .filter_map(|(n, c)| c.function.as_ref().map(|x| (n, x)))
        .collect();
    if !functions.is_empty() {
        let _ = writeln!(
            o,
            "\n{:<16} {:>12} {:>12}",
            "function", "cold starts", "warm starts"
        );
        for (n, f) in functions {
            let _ = writeln!(
                o,
                "{:<16} {:>12} {:>12}",
                n,
                fmt_count(f.cold_starts),
                fmt_count(f.warm_starts)
            );
        }
    }
    let throttling: Vec<_> = r
        .components
        .iter()
        .filter_map(|(n, c)| {
            c.balancer
                .as_ref()
                .filter(|b| b.throttled > 0)
                .map(|x| (n, x))
        })
        .collect();
    for (n, b) in throttling {
        let _ = writeln!(
            o,
            "\n{n}: {} requests answered 429 by the rate limit",
            fmt_count(b.throttled)
        );
        for (w, t) in &b.throttled_by_workload {
            let _ = writeln!(o, "  {w:<30} {}", fmt_count(*t));
        }
    }
}
