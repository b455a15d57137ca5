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
        "{:<16} {:>9} {:>9} {:>10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "workload",
        "requests",
        "failed",
        "avail",
        "thru/s",
        "mean ms",
        "p50",
        "p90",
        "p99",
        "p999",
        "max"
    );
    for (name, w) in &r.workloads {
        let l = &w.latency_ms;
        let _ = writeln!(
            o,
            "{:<16} {:>9} {:>9} {:>9.3}% {:>9.2} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            name,
            fmt_count(w.requests),
            fmt_count(w.failed),
            w.availability * 100.0,
            w.throughput_rps,
            fmt_ms(l.mean),
            fmt_ms(l.p50),
            fmt_ms(l.p90),
            fmt_ms(l.p99),
            fmt_ms(l.p999),
            fmt_ms(l.max)
        );
        if let Some(ci) = &w.ci95 {
            let hw = |i: [f64; 2]| format!("±{}", fmt_ms((i[1] - i[0]) / 2.0));
            let _ = writeln!(
                o,
                "{:<16} {:>9} {:>9} {:>10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
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
        "\n{:<16} {:>7} {:>10} {:>10} {:>9} {:>10} {:>11} {:>9}",
        "component", "util", "wait ms", "wait p99", "thru/s", "in system", "sojourn ms", "rejected"
    );
    for (name, c) in &r.components {
        let _ = writeln!(
            o,
            "{:<16} {:>6.1}% {:>10} {:>10} {:>9.2} {:>10.2} {:>11} {:>9}",
            name,
            c.utilization * 100.0,
            fmt_ms(c.queue_wait_ms.mean),
            fmt_ms(c.queue_wait_ms.p99),
            c.throughput_rps,
            c.in_system_mean,
            fmt_ms(c.sojourn_ms.mean),
            fmt_count(c.rejected)
        );
    }
    if !r.slo.is_empty() {
        let _ = writeln!(o, "\nSLO");
        for s in &r.slo {
            let verdict = match s.pass {
                Some(true) => "PASS",
                Some(false) => "FAIL",
                None => "n/a ",
            };
            let value = match (s.value, &s.note) {
                (Some(v), _) => format!("measured {}", fmt_value(v)),
                (None, Some(n)) => n.clone(),
                (None, None) => String::new(),
            };
            let _ = writeln!(o, "  {verdict}  {:<40} {value}", s.expr);
        }
    }
    o
}

fn fmt_value(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}
