//! The report as the page shows it: the parts of the JSON report (the format's contract, see
//! docs/format.md) that the results panel reads, and the formatting of its numbers. The page reads
//! the worker's JSON text rather than sharing Rust types with it, so it sees exactly what a user of
//! `archsim run --json` sees. It is read from the `serde_json::Value` that the charts are drawn
//! from (one parse of the text), by hand rather than with serde's derive: that keeps a typed
//! deserialiser per struct out of the app's WebAssembly.

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub simulated_s: f64,
    pub warmup_s: f64,
    pub replications: u32,
    pub workloads: BTreeMap<String, Workload>,
    pub components: BTreeMap<String, Component>,
    pub slo: Vec<Slo>,
    /// `warnings[]`: (code, message).
    pub warnings: Vec<(String, String)>,
    pub engine: Engine,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub requests: u64,
    pub completed: u64,
    pub failed: u64,
    pub availability: f64,
    pub throughput_rps: f64,
    pub latency_ms: Latency,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Latency {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    pub utilization: f64,
    pub queue_wait_ms: QueueWait,
    pub arrivals: u64,
    pub completed: u64,
    pub rejected: u64,
    pub throughput_rps: f64,
    pub busy_mean: f64,
    pub in_system_mean: f64,
    pub sojourn_ms: Sojourn,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueueWait {
    pub mean: f64,
    pub p99: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sojourn {
    pub mean: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Slo {
    pub expr: String,
    pub value: Option<f64>,
    pub pass: Option<bool>,
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Engine {
    pub events: u64,
}

impl Report {
    /// The report given as the worker's JSON text.
    pub fn parse(json: &str) -> Result<Report, String> {
        let v: Value = serde_json::from_str(json).map_err(|e| format!("unreadable report: {e}"))?;
        Report::of(&v)
    }

    /// The report from its JSON value; an error names the first field missing or of another type.
    pub fn of(v: &Value) -> Result<Report, String> {
        read_report(v).map_err(|path| format!("unreadable report: no valid `{path}`"))
    }
}

/// A field's value, or the field's name as the error.
fn field<'a>(v: &'a Value, key: &'static str) -> Result<&'a Value, &'static str> {
    v.get(key).ok_or(key)
}

fn num(v: &Value, key: &'static str) -> Result<f64, &'static str> {
    field(v, key)?.as_f64().ok_or(key)
}

fn count(v: &Value, key: &'static str) -> Result<u64, &'static str> {
    field(v, key)?.as_u64().ok_or(key)
}

/// A map of objects read by `read`, in the report's key order (sorted, as a `BTreeMap`).
fn map<T>(
    v: &Value,
    key: &'static str,
    read: fn(&Value) -> Result<T, &'static str>,
) -> Result<BTreeMap<String, T>, &'static str> {
    field(v, key)?
        .as_object()
        .ok_or(key)?
        .iter()
        .map(|(k, x)| Ok((k.clone(), read(x)?)))
        .collect()
}

fn read_report(v: &Value) -> Result<Report, &'static str> {
    Ok(Report {
        scenario: field(v, "scenario")?.as_str().ok_or("scenario")?.into(),
        seed: count(v, "seed")?,
        simulated_s: num(v, "simulated_s")?,
        warmup_s: num(v, "warmup_s")?,
        replications: u32::try_from(count(v, "replications")?).map_err(|_| "replications")?,
        workloads: map(v, "workloads", read_workload)?,
        components: map(v, "components", read_component)?,
        slo: field(v, "slo")?
            .as_array()
            .ok_or("slo")?
            .iter()
            .map(read_slo)
            .collect::<Result<_, _>>()?,
        warnings: field(v, "warnings")?
            .as_array()
            .ok_or("warnings")?
            .iter()
            .map(|w| {
                let text = |k| Ok(field(w, k)?.as_str().ok_or(k)?.to_string());
                Ok((text("code")?, text("message")?))
            })
            .collect::<Result<_, _>>()?,
        engine: Engine {
            events: count(field(v, "engine")?, "events")?,
        },
    })
}

fn read_workload(v: &Value) -> Result<Workload, &'static str> {
    let l = field(v, "latency_ms")?;
    Ok(Workload {
        requests: count(v, "requests")?,
        completed: count(v, "completed")?,
        failed: count(v, "failed")?,
        availability: num(v, "availability")?,
        throughput_rps: num(v, "throughput_rps")?,
        latency_ms: Latency {
            mean: num(l, "mean")?,
            p50: num(l, "p50")?,
            p90: num(l, "p90")?,
            p95: num(l, "p95")?,
            p99: num(l, "p99")?,
            p999: num(l, "p999")?,
            max: num(l, "max")?,
        },
    })
}

fn read_component(v: &Value) -> Result<Component, &'static str> {
    let w = field(v, "queue_wait_ms")?;
    Ok(Component {
        utilization: num(v, "utilization")?,
        queue_wait_ms: QueueWait {
            mean: num(w, "mean")?,
            p99: num(w, "p99")?,
        },
        arrivals: count(v, "arrivals")?,
        completed: count(v, "completed")?,
        rejected: count(v, "rejected")?,
        throughput_rps: num(v, "throughput_rps")?,
        busy_mean: num(v, "busy_mean")?,
        in_system_mean: num(v, "in_system_mean")?,
        sojourn_ms: Sojourn {
            mean: num(field(v, "sojourn_ms")?, "mean")?,
        },
    })
}

/// An optional field: absent or `null` is `None`, another type an error.
fn opt<'a, T>(
    v: &'a Value,
    key: &'static str,
    as_t: fn(&'a Value) -> Option<T>,
) -> Result<Option<T>, &'static str> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => as_t(x).map(Some).ok_or(key),
    }
}

fn read_slo(v: &Value) -> Result<Slo, &'static str> {
    Ok(Slo {
        expr: field(v, "expr")?.as_str().ok_or("expr")?.into(),
        value: opt(v, "value", Value::as_f64)?,
        pass: opt(v, "pass", Value::as_bool)?,
        note: opt(v, "note", Value::as_str)?.map(String::from),
    })
}

/// A duration in milliseconds, with precision that suits its size.
pub fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

/// A share as a percentage; close to 100 % it keeps the digits that matter for availability.
pub fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (99.0..100.0).contains(&p) {
        format!("{p:.3} %")
    } else {
        format!("{p:.1} %")
    }
}

/// A rate per second.
pub fn rate(v: f64) -> String {
    format!("{v:.1}/s")
}

/// An SLO's measured value: SLOs on availability and utilisation are shares, the rest as reported.
pub fn slo_value(s: &Slo) -> String {
    match s.value {
        None => "not measured".into(),
        Some(v) if s.expr.starts_with("availability") => {
            format!("{} %", report_charts::fmt_availability(v))
        }
        Some(v) if s.expr.starts_with("utilization") => format!("{v:.3}"),
        Some(v) if s.expr.starts_with('p') || s.expr.starts_with("mean") => ms(v),
        Some(v) => format!("{v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal up to the last digit or so of the JSON text (serde_json's default float parsing).
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
    }

    #[test]
    fn reads_the_report_of_every_example() {
        for e in crate::examples::EXAMPLES {
            let mut l = sim_core::load(e.yaml.as_bytes()).unwrap();
            l.scenario.duration = l.scenario.duration.min(5_000_000_000);
            l.scenario.replications = l.scenario.replications.min(2);
            let core = sim_core::simulate(&l.scenario).unwrap();
            let r = Report::parse(&sim_core::report_json(&core)).unwrap();
            assert_eq!(r.workloads.len(), l.scenario.workloads.len(), "{}", e.file);
            assert_eq!(r.components.len(), l.scenario.components.len());
            // Every field read from its own key: the same figures as the core's report.
            assert_eq!(r.scenario, core.scenario);
            assert_eq!((r.seed, r.replications), (core.seed, core.replications));
            assert!(close(r.simulated_s, core.simulated_s) && close(r.warmup_s, core.warmup_s));
            assert_eq!(r.engine.events, core.engine.events);
            for ((name, w), (cname, c)) in r.workloads.iter().zip(&core.workloads) {
                assert_eq!(name, cname);
                assert_eq!(
                    (w.requests, w.completed, w.failed),
                    (c.requests, c.completed, c.failed)
                );
                let (a, b) = (w.latency_ms, c.latency_ms);
                for (x, y) in [
                    (w.availability, c.availability),
                    (w.throughput_rps, c.throughput_rps),
                    (a.mean, b.mean),
                    (a.p50, b.p50),
                    (a.p90, b.p90),
                    (a.p95, b.p95),
                    (a.p99, b.p99),
                    (a.p999, b.p999),
                    (a.max, b.max),
                ] {
                    assert!(close(x, y), "{}: {name}: {x} for {y}", e.file);
                }
            }
            for ((name, m), (cname, c)) in r.components.iter().zip(&core.components) {
                assert_eq!(name, cname);
                assert_eq!(
                    (m.arrivals, m.completed, m.rejected),
                    (c.arrivals, c.completed, c.rejected)
                );
                for (x, y) in [
                    (m.utilization, c.utilization),
                    (m.queue_wait_ms.mean, c.queue_wait_ms.mean),
                    (m.queue_wait_ms.p99, c.queue_wait_ms.p99),
                    (m.throughput_rps, c.throughput_rps),
                    (m.busy_mean, c.busy_mean),
                    (m.in_system_mean, c.in_system_mean),
                    (m.sojourn_ms.mean, c.sojourn_ms.mean),
                ] {
                    assert!(close(x, y), "{}: {name}: {x} for {y}", e.file);
                }
            }
            let warnings: Vec<_> = core
                .warnings
                .iter()
                .map(|w| (w.code.clone(), w.message.clone()))
                .collect();
            assert_eq!(r.warnings, warnings);
            assert_eq!(r.slo.len(), core.slo.len());
            for (s, c) in r.slo.iter().zip(&core.slo) {
                assert_eq!((&s.expr, s.pass, &s.note), (&c.expr, c.pass, &c.note));
                assert_eq!(s.value.is_some(), c.value.is_some());
                assert!(close(s.value.unwrap_or(0.0), c.value.unwrap_or(0.0)));
            }
        }
    }

    #[test]
    fn an_unreadable_report_says_what_is_missing() {
        assert!(
            Report::parse("{")
                .unwrap_err()
                .starts_with("unreadable report: ")
        );
        let e = crate::examples::default_example();
        let core = sim_core::simulate(&sim_core::load(e.yaml.as_bytes()).unwrap().scenario);
        let mut v: Value = serde_json::from_str(&sim_core::report_json(&core.unwrap())).unwrap();
        // A not-measured SLO: `null` value and verdict.
        v["slo"][0]["value"] = Value::Null;
        v["slo"][0]["pass"] = Value::Null;
        let r = Report::of(&v).unwrap();
        assert_eq!((r.slo[0].value, r.slo[0].pass), (None, None));
        assert_eq!(slo_value(&r.slo[0]), "not measured");
        v["workloads"]["checkout"]["latency_ms"]
            .as_object_mut()
            .unwrap()
            .remove("p99");
        assert_eq!(
            Report::of(&v).unwrap_err(),
            "unreadable report: no valid `p99`"
        );
        v["seed"] = "seven".into();
        assert_eq!(
            Report::of(&v).unwrap_err(),
            "unreadable report: no valid `seed`"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(ms(0.1234), "0.12 ms");
        assert_eq!(ms(90.96), "91.0 ms");
        assert_eq!(ms(292.9), "293 ms");
        assert_eq!(percent(0.99912), "99.912 %");
        assert_eq!(percent(1.0), "100.0 %");
        assert_eq!(rate(402.126), "402.1/s");
    }
}
