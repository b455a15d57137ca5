//! The validation cases: each is a scenario file (written here as YAML text), the closed form it
//! must agree with, and the checks that compare the two. The test suite (`tests/validation.rs`) and
//! the docs table (`examples/validation_table.rs`) both take their cases from [`all`], so they
//! cannot drift apart.
//!
//! Every case also checks Little's law, L = lambda W, on every one of its components.
//!
//! Run lengths are chosen so that every check's 99.9 % half-width is within
//! [`crate::check::MAX_RELATIVE_HALF_WIDTH`] of its exact value; warm-ups are 20 times the exact
//! mean time a customer spends in the system (a whole cycle for a closed network), since every
//! replication starts empty.

use crate::check::{Allowance, Check, Simulated};
use crate::queueing::{Mmc, Mmck, Service, exponential_quantile, mva, pk_wait};
use sim_core::Report;
use sim_core::report::ComponentReport;
use std::fmt::Write;

/// Replications per case: the confidence intervals are Student-t over these. Twenty rather than
/// ten buys the same 99.9 % half-width with about a third less simulated time (t_9995(19) = 3.88
/// against t_9995(9) = 4.78), which pays for the extra warm-ups many times over.
pub const REPLICATIONS: u32 = 20;

/// Families of cases; the test suite runs each family as its own test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// M/M/1 (sojourn mean and percentiles) and M/M/c (Erlang C).
    Mmc,
    /// M/D/1 and M/G/1 (Pollaczek-Khinchine).
    Mg1,
    /// M/M/inf.
    MmInf,
    /// M/M/c/K and M/M/c/c (Erlang B): losses.
    Loss,
    /// A closed network against exact MVA.
    Closed,
    /// An infinite-server stage calling an M/M/c stage.
    Tandem,
}

/// What a case models, with the parameters it writes into its scenario (seconds, per second).
#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    /// One station, `concurrency: c`, exponential service of mean `service`, Poisson arrivals.
    Mmc { c: u32, lambda: f64, service: f64 },
    /// One single-server station with a general service law.
    Mg1 { lambda: f64, service: Service },
    /// One station with `concurrency: unlimited` and exponential service.
    MmInf { lambda: f64, service: f64 },
    /// One station with `concurrency: c` and `queue_limit`, exponential service.
    Mmck {
        c: u32,
        queue_limit: u32,
        lambda: f64,
        service: f64,
    },
    /// `users` users thinking `think` (exponential) each cycle, entering `front` (`concurrency:
    /// unlimited`) whose service is `front_service` and which calls single-server exponential
    /// stations of the given means in order.
    Closed {
        users: u32,
        think: f64,
        front_service: Service,
        stations: Vec<f64>,
    },
    /// `front` (`concurrency: unlimited`, exponential `front`) calling `pool` (`concurrency: c`,
    /// exponential `service`), Poisson arrivals.
    Tandem {
        lambda: f64,
        front: f64,
        c: u32,
        service: f64,
    },
}

/// A validation case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub family: Family,
    /// A short human label, e.g. `M/M/c c=4 rho=0.8`.
    pub label: String,
    pub model: Model,
    /// Measured simulated time per replication, seconds.
    pub duration: f64,
    /// Warm-up per replication, seconds.
    pub warmup: f64,
}

/// The name of the stations in the closed network, in call order.
const STATION_NAMES: [&str; 4] = ["disk1", "disk2", "disk3", "disk4"];

/// Every case, in the order of the docs table.
///
/// Run lengths are given as the expected number of customers (or cycles) over all replications,
/// sized from pilot runs so that every check's 99.9 % half-width stays under 5 % of its exact value:
/// heavy load needs far more customers (the variance of a mean wait grows like (1 - rho)^-4), and so
/// does a rare, tiny wait (M/M/16 at rho 0.5 waits with probability 0.009, for 0.11 ms on average).
pub fn all() -> Vec<Case> {
    let mut v = Vec::new();
    // M/M/1 and M/M/c: exponential service of mean 10 ms; lambda = rho c / E[S].
    for c in [1u32, 2, 4, 8, 16] {
        for rho in [0.5, 0.8, 0.95] {
            let service = 0.010;
            let lambda = rho * c as f64 / service;
            let q = Mmc {
                c,
                lambda,
                mu: 1.0 / service,
            };
            let customers = match (c, rho) {
                (1, 0.95) => 26e6,
                (_, 0.95) => 20e6,
                (16, 0.5) => 24e6,
                (_, 0.8) => 6e6,
                _ => 3e6,
            };
            let label = if c == 1 {
                format!("M/M/1 rho={rho}")
            } else {
                format!("M/M/c c={c} rho={rho}")
            };
            v.push(Case::new(
                Family::Mmc,
                label,
                Model::Mmc { c, lambda, service },
                customers / lambda,
                20.0 * q.w(),
            ));
        }
    }
    // M/D/1 and M/G/1 by Pollaczek-Khinchine.
    for (service, lambda, customers) in [
        (Service::Constant(0.010), 50.0, 2e6),
        (Service::Constant(0.010), 90.0, 10e6),
        (Service::Erlang { k: 4, mean: 0.010 }, 80.0, 5e6),
        (
            Service::Uniform {
                lo: 0.005,
                hi: 0.015,
            },
            80.0,
            5e6,
        ),
        (
            Service::Lognormal {
                median: 0.005,
                p99: 0.050,
            },
            100.0,
            8e6,
        ),
    ] {
        let rho = lambda * service.mean();
        let kind = if matches!(service, Service::Constant(_)) {
            "M/D/1"
        } else {
            "M/G/1"
        };
        v.push(Case::new(
            Family::Mg1,
            format!("{kind} {} rho={rho:.3}", service.label()),
            Model::Mg1 { lambda, service },
            customers / lambda,
            20.0 * (pk_wait(lambda, &service) + service.mean()),
        ));
    }
    // M/M/inf: L = lambda E[S] = 10.
    v.push(Case::new(
        Family::MmInf,
        "M/M/inf lambda=500/s E[S]=20ms".into(),
        Model::MmInf {
            lambda: 500.0,
            service: 0.020,
        },
        2e6 / 500.0,
        20.0 * 0.020,
    ));
    // Loss systems: Erlang B (queue_limit 0) and M/M/c/K, one of them offered more than capacity.
    for (c, queue_limit, rho) in [
        (1u32, 0u32, 0.5),
        (4, 0, 0.75),
        (16, 0, 0.75),
        (2, 3, 0.9),
        (4, 8, 0.9),
        (1, 5, 1.2),
    ] {
        let service = 0.010;
        let lambda = rho * c as f64 / service;
        let q = Mmck {
            c,
            k: c + queue_limit,
            lambda,
            mu: 1.0 / service,
        };
        let label = if queue_limit == 0 {
            format!("M/M/{c}/{c} (Erlang B) a={}", rho * c as f64)
        } else {
            format!("M/M/{c}/{} rho={rho}", c + queue_limit)
        };
        v.push(Case::new(
            Family::Loss,
            label,
            Model::Mmck {
                c,
                queue_limit,
                lambda,
                service,
            },
            2e6 / lambda,
            20.0 * q.w(),
        ));
    }
    // Closed networks: a delay (think time and an infinite-server front) and single-server stations.
    for (users, think, front_service, stations) in [
        (
            10u32,
            0.200,
            Service::Exponential { mean: 0.005 },
            vec![0.020, 0.015],
        ),
        (25, 0.100, Service::Constant(0.0), vec![0.010, 0.008, 0.004]),
    ] {
        let m = mva(users, think + front_service.mean(), &stations);
        let label = format!(
            "closed N={users} Z={}ms, front {}, stations {}",
            think * 1e3,
            front_service.label(),
            stations
                .iter()
                .map(|s| format!("{}ms", s * 1e3))
                .collect::<Vec<_>>()
                .join("+")
        );
        let cycle = think + front_service.mean() + m.residence_total();
        v.push(Case::new(
            Family::Closed,
            label,
            Model::Closed {
                users,
                think,
                front_service,
                stations,
            },
            3e6 / m.throughput,
            20.0 * cycle,
        ));
    }
    // An infinite-server stage calling an M/M/c stage.
    let (lambda, front, c, service) = (320.0, 0.020, 4, 0.010);
    let q = Mmc {
        c,
        lambda,
        mu: 1.0 / service,
    };
    v.push(Case::new(
        Family::Tandem,
        format!("M/M/inf (20ms) -> M/M/{c} rho={}", q.rho()),
        Model::Tandem {
            lambda,
            front,
            c,
            service,
        },
        3e6 / lambda,
        20.0 * (front + q.w()),
    ));
    v
}

/// Rounds seconds to the millisecond, so scenario files stay readable.
fn round_s(s: f64) -> f64 {
    (s * 1e3).round() / 1e3
}

/// Writes a rate for a scenario file; `Display` of an `f64` round-trips, so the simulator parses
/// exactly the rate the closed form uses.
fn rate(per_s: f64) -> String {
    format!("{per_s}/s")
}

impl Case {
    /// A case whose `customers_time` is the measured simulated time over all replications, seconds;
    /// it is shared out among the replications.
    fn new(family: Family, label: String, model: Model, customers_time: f64, warmup: f64) -> Case {
        Case {
            family,
            label,
            model,
            duration: round_s(customers_time / REPLICATIONS as f64),
            warmup: round_s(warmup),
        }
    }

    /// The scenario seed: an FNV-1a hash of the case's identifier, so cases are independent of each
    /// other and a seed is fixed by the label, never chosen.
    pub fn seed(&self) -> u64 {
        self.id().bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
        }) >> 1
    }

    /// A file-name-like identifier.
    pub fn id(&self) -> String {
        self.label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect()
    }

    /// The scenario file of the case.
    pub fn yaml(&self) -> String {
        let mut y = String::new();
        writeln!(y, "version: 1").unwrap();
        writeln!(y, "name: \"{}\"", self.id()).unwrap();
        writeln!(y, "seed: {}", self.seed()).unwrap();
        writeln!(y, "duration: {}s", self.duration).unwrap();
        writeln!(y, "warmup: {}s", self.warmup).unwrap();
        writeln!(y, "replications: {REPLICATIONS}").unwrap();
        writeln!(y, "components:").unwrap();
        let station = |y: &mut String, name: &str, conc: &str, extra: &str, st: &str| {
            writeln!(y, "  {name}:").unwrap();
            writeln!(y, "    kind: service").unwrap();
            writeln!(y, "    concurrency: {conc}").unwrap();
            writeln!(y, "    service_time: {st}").unwrap();
            y.push_str(extra);
        };
        let open = |y: &mut String, lambda: f64, entry: &str| {
            writeln!(y, "workloads:").unwrap();
            writeln!(
                y,
                "  - {{ name: load, entry: {entry}, arrivals: {{ poisson: {} }} }}",
                rate(lambda)
            )
            .unwrap();
        };
        let exp = |m: f64| Service::Exponential { mean: m }.yaml();
        match &self.model {
            Model::Mmc { c, lambda, service } => {
                station(&mut y, "station", &c.to_string(), "", &exp(*service));
                open(&mut y, *lambda, "station");
            }
            Model::Mg1 { lambda, service } => {
                station(&mut y, "station", "1", "", &service.yaml());
                open(&mut y, *lambda, "station");
            }
            Model::MmInf { lambda, service } => {
                station(&mut y, "station", "unlimited", "", &exp(*service));
                open(&mut y, *lambda, "station");
            }
            Model::Mmck {
                c,
                queue_limit,
                lambda,
                service,
            } => {
                let extra = format!("    queue_limit: {queue_limit}\n");
                station(&mut y, "station", &c.to_string(), &extra, &exp(*service));
                open(&mut y, *lambda, "station");
            }
            Model::Closed {
                users,
                think,
                front_service,
                stations,
            } => {
                let mut calls = String::from("    calls:\n");
                for name in &STATION_NAMES[..stations.len()] {
                    writeln!(calls, "      - to: {name}").unwrap();
                }
                station(&mut y, "front", "unlimited", &calls, &front_service.yaml());
                for (name, mean) in STATION_NAMES.iter().zip(stations) {
                    station(&mut y, name, "1", "", &exp(*mean));
                }
                writeln!(y, "workloads:").unwrap();
                writeln!(
                    y,
                    "  - {{ name: load, entry: front, users: {users}, think_time: {} }}",
                    exp(*think)
                )
                .unwrap();
            }
            Model::Tandem {
                lambda,
                front,
                c,
                service,
            } => {
                station(
                    &mut y,
                    "front",
                    "unlimited",
                    "    calls:\n      - to: pool\n",
                    &exp(*front),
                );
                station(&mut y, "pool", &c.to_string(), "", &exp(*service));
                open(&mut y, *lambda, "front");
            }
        }
        y
    }

    /// Loads and simulates the case's scenario.
    pub fn simulate(&self) -> Report {
        let yaml = self.yaml();
        let loaded = sim_core::load(yaml.as_bytes())
            .unwrap_or_else(|e| panic!("case {} does not load: {e:?}\n{yaml}", self.label));
        sim_core::simulate(&loaded.scenario)
            .unwrap_or_else(|e| panic!("case {} does not run: {e:?}", self.label))
    }

    /// Simulates the case and compares it with its closed form.
    pub fn run(&self) -> Vec<Check> {
        self.checks(&self.simulate())
    }

    /// The comparisons of a report of this case with the closed forms, then Little's law on every
    /// component.
    pub fn checks(&self, r: &Report) -> Vec<Check> {
        let mut out = Vec::new();
        let case = self.label.as_str();
        let n = r.replications;
        let comp = |name: &str| -> &ComponentReport {
            r.components
                .get(name)
                .unwrap_or_else(|| panic!("no component {name}"))
        };
        let load = &r.workloads["load"];
        let wci = load.ci95.as_ref().expect("replicated runs carry intervals");
        // Component figures as estimates with their intervals (ms for times).
        let wq = |name: &str| {
            let c = comp(name);
            Simulated::from_ci(c.queue_wait_ms.mean, ci(c).queue_wait_ms_mean, n)
        };
        let soj = |name: &str| {
            let c = comp(name);
            Simulated::from_ci(c.sojourn_ms.mean, ci(c).sojourn_ms_mean, n)
        };
        let util = |name: &str| {
            let c = comp(name);
            Simulated::from_ci(c.utilization, ci(c).utilization, n)
        };
        let in_sys = |name: &str| {
            let c = comp(name);
            Simulated::from_ci(c.in_system_mean, ci(c).in_system_mean, n)
        };
        let thr = |name: &str| {
            let c = comp(name);
            Simulated::from_ci(c.throughput_rps, ci(c).throughput_rps, n)
        };
        let latency_mean = Simulated::from_ci(load.latency_ms.mean, wci.latency_ms.mean, n);
        // Every check's tolerance is the same rule (see `check`): |sim - exact| <= 99.9 % half-width
        // (+ 0.4 % of exact for a percentile), and the 99.9 % half-width must be under 5 % of exact.
        let exact =
            |q: &str, exact: f64, sim: Simulated| Check::new(case, q, exact, sim, Allowance::None);
        match &self.model {
            Model::Mmc { c, lambda, service } => {
                let q = Mmc {
                    c: *c,
                    lambda: *lambda,
                    mu: 1.0 / service,
                };
                // Wq, W, utilisation: tolerance = 99.9 % half-width, no allowance (exact means).
                if *c > 1 {
                    out.push(exact("Wq (ms), Erlang C", q.wq() * 1e3, wq("station")));
                }
                out.push(exact("W (ms)", q.w() * 1e3, soj("station")));
                out.push(exact("utilisation", q.rho(), util("station")));
                if *c == 1 {
                    // The M/M/1 sojourn is exponential with mean 1 / (mu - lambda). At rho = 0.95
                    // the check stops at p90: a p99 tight to 5 % would need some 10^8 customers.
                    let tail = if q.rho() < 0.9 { 3 } else { 2 };
                    for (p, name, sim, ci95) in [
                        (0.5, "p50", load.latency_ms.p50, wci.latency_ms.p50),
                        (0.9, "p90", load.latency_ms.p90, wci.latency_ms.p90),
                        (0.99, "p99", load.latency_ms.p99, wci.latency_ms.p99),
                    ]
                    .into_iter()
                    .take(tail)
                    {
                        // Percentile: + 0.4 % of exact for the histogram's resolution.
                        out.push(Check::new(
                            case,
                            format!("sojourn {name} (ms)"),
                            exponential_quantile(q.w(), p) * 1e3,
                            Simulated::from_ci(sim, ci95, n),
                            Allowance::Histogram,
                        ));
                    }
                }
            }
            Model::Mg1 { lambda, service } => {
                let wq_pk = pk_wait(*lambda, service);
                // Wq, W, utilisation: tolerance = 99.9 % half-width, no allowance (exact means).
                out.push(exact("Wq (ms), P-K", wq_pk * 1e3, wq("station")));
                out.push(exact(
                    "W (ms)",
                    (wq_pk + service.mean()) * 1e3,
                    soj("station"),
                ));
                out.push(exact(
                    "utilisation",
                    lambda * service.mean(),
                    util("station"),
                ));
            }
            Model::MmInf { lambda, service } => {
                // L and W: tolerance = 99.9 % half-width, no allowance (exact means).
                out.push(exact(
                    "L = lambda E[S]",
                    lambda * service,
                    in_sys("station"),
                ));
                out.push(exact("W (ms) = E[S]", service * 1e3, soj("station")));
                for (p, name, sim, ci95) in [
                    (0.5, "p50", load.latency_ms.p50, wci.latency_ms.p50),
                    (0.9, "p90", load.latency_ms.p90, wci.latency_ms.p90),
                    (0.99, "p99", load.latency_ms.p99, wci.latency_ms.p99),
                ] {
                    // Percentile: + 0.4 % of exact for the histogram's resolution.
                    out.push(Check::new(
                        case,
                        format!("sojourn {name} (ms)"),
                        exponential_quantile(*service, p) * 1e3,
                        Simulated::from_ci(sim, ci95, n),
                        Allowance::Histogram,
                    ));
                }
            }
            Model::Mmck {
                c,
                queue_limit,
                lambda,
                service,
            } => {
                let q = Mmck {
                    c: *c,
                    k: c + queue_limit,
                    lambda: *lambda,
                    mu: 1.0 / service,
                };
                // Blocking, throughput, L, W, utilisation: tolerance = 99.9 % half-width, no
                // allowance (exact counts and time averages).
                let lost = Simulated::from_ci(1.0 - load.availability, wci.availability, n);
                out.push(exact("blocking = 1 - availability", q.blocking(), lost));
                // The component's counts are totals with no interval of their own; its ratio is the
                // pooled share of the same rejections whose per-replication mean the availability
                // interval covers, so that interval is used.
                let st = comp("station");
                let pooled = Simulated {
                    mean: st.rejected as f64 / st.arrivals as f64,
                    ..lost
                };
                out.push(exact(
                    "blocking = rejected / arrivals",
                    q.blocking(),
                    pooled,
                ));
                out.push(exact("throughput (1/s)", q.throughput(), thr("station")));
                out.push(exact("L", q.l(), in_sys("station")));
                out.push(exact("W (ms)", q.w() * 1e3, soj("station")));
                out.push(exact("utilisation", q.busy() / *c as f64, util("station")));
            }
            Model::Closed {
                users,
                think,
                front_service,
                stations,
            } => {
                let m = mva(*users, think + front_service.mean(), stations);
                let response = front_service.mean() + m.residence_total();
                // X, R, utilisations, residences: tolerance = 99.9 % half-width, no allowance.
                let x = Simulated::from_ci(load.throughput_rps, wci.throughput_rps, n);
                out.push(exact("throughput X (1/s), MVA", m.throughput, x));
                out.push(exact("response R (ms), MVA", response * 1e3, latency_mean));
                for (k, (name, d)) in STATION_NAMES.iter().zip(stations).enumerate() {
                    out.push(exact(
                        &format!("{name} utilisation"),
                        m.utilization(*d),
                        util(name),
                    ));
                    out.push(exact(
                        &format!("{name} residence (ms)"),
                        m.residence[k] * 1e3,
                        soj(name),
                    ));
                }
            }
            Model::Tandem {
                lambda,
                front,
                c,
                service,
            } => {
                let q = Mmc {
                    c: *c,
                    lambda: *lambda,
                    mu: 1.0 / service,
                };
                let end_to_end = (front + q.w()) * 1e3;
                // Means and utilisation: tolerance = 99.9 % half-width, no allowance.
                out.push(exact("end-to-end mean (ms)", end_to_end, latency_mean));
                out.push(exact("front sojourn (ms)", end_to_end, soj("front")));
                out.push(exact("pool Wq (ms), Erlang C", q.wq() * 1e3, wq("pool")));
                out.push(exact("pool W (ms)", q.w() * 1e3, soj("pool")));
                out.push(exact("pool utilisation", q.rho(), util("pool")));
            }
        }
        // Little's law on every component: the time-average number present L against the
        // throughput times the mean sojourn. Both sides are estimates of the same value; the
        // tolerance is the sum of their 99.9 % half-widths (the product's half-width bounded by
        // |a| hw(b) + |b| hw(a), whatever their correlation).
        for name in r.components.keys() {
            let l = in_sys(name);
            let lambda_w = thr(name).times(&soj(name)).scaled(1e-3);
            out.push(Check::consistency(
                case,
                format!("Little at {name}: L vs lambda W (simulated)"),
                l,
                lambda_w,
            ));
        }
        out
    }
}

fn ci(c: &ComponentReport) -> &sim_core::report::ComponentCi {
    c.ci95.as_ref().expect("replicated runs carry intervals")
}

/// Renders checks as the Markdown table of `docs/validation.md`.
pub fn markdown_table(checks: &[Check]) -> String {
    let mut s = String::new();
    s.push_str("| case | quantity | closed form | simulated (mean ± 95 % CI) | error % | tolerance (99.9 %) | pass |\n");
    s.push_str("|---|---|---:|---:|---:|---:|:---:|\n");
    for c in checks {
        writeln!(
            s,
            "| {} | {} | {} | {} ± {} | {:+.2} | ± {} ({:.2} %) | {} |",
            c.case,
            c.quantity,
            sig(c.exact),
            sig(c.sim.mean),
            sig(c.sim.half_width95),
            c.error_percent(),
            sig(c.tolerance()),
            c.tolerance() / c.exact.abs() * 100.0,
            if c.passes() { "yes" } else { "**no**" },
        )
        .unwrap();
    }
    s
}

/// Five significant digits, without a trailing exponent for ordinary magnitudes.
fn sig(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (4 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_loads() {
        for case in all() {
            let yaml = case.yaml();
            if let Err(e) = sim_core::load(yaml.as_bytes()) {
                panic!("{}: {e:?}\n{yaml}", case.label);
            }
        }
    }

    #[test]
    fn labels_are_unique() {
        let cases = all();
        for (i, a) in cases.iter().enumerate() {
            for b in &cases[i + 1..] {
                assert_ne!(a.id(), b.id());
            }
        }
    }
}
