//! The analytic model (`sim_core::analytic`) against the closed forms of the validation suite,
//! exactly where the model is exact (M/M/c by Erlang C, M/M/c/K and Erlang B, M/M/inf, an
//! infinite-server stage calling an M/M/c pool, a closed network by exact MVA), and against the
//! simulation on the examples: its cost equals the simulated cost wherever the cost does not depend
//! on the run, and its utilisation lies within the simulated 95 % interval (widened by the bias
//! the model is known to have, stated per check) where nothing fails.

use archsim_tests::cases::{self, Model};
use archsim_tests::check::Simulated;
use archsim_tests::queueing::{Mmc, Mmck, mva, pk_wait};
use sim_core::analytic::{Analysis, analyse};
use sim_core::scenario::Scenario;

fn load(yaml: &str) -> Scenario {
    sim_core::load(yaml.as_bytes())
        .unwrap_or_else(|d| panic!("invalid scenario: {d:?}\n{yaml}"))
        .scenario
}

/// Relative agreement to rounding: the model computes the same formula as the yardstick, from
/// parameters that went through the scenario text (durations written to the microsecond).
fn exact(what: &str, model: f64, closed: f64) {
    assert!(
        (model - closed).abs() <= 1e-6 * closed.abs().max(1e-12),
        "{what}: model {model}, closed form {closed}"
    );
}

fn component<'a>(
    s: &Scenario,
    a: &'a Analysis,
    name: &str,
) -> &'a sim_core::analytic::ComponentModel {
    &a.components[s.component_id(name).expect("component")]
}

#[test]
fn the_model_is_exact_on_the_validation_suites_closed_forms() {
    let mut checked = 0;
    for case in cases::all() {
        let s = load(&case.yaml());
        let a = analyse(&s);
        let label = case.label.as_str();
        match &case.model {
            Model::Mmc { c, lambda, service } => {
                let q = Mmc {
                    c: *c,
                    lambda: *lambda,
                    mu: 1.0 / service,
                };
                let st = component(&s, &a, "station");
                exact(label, st.utilization, q.rho());
                exact(label, st.wait_ms.expect("stable") / 1e3, q.wq());
                exact(label, st.response_ms.expect("stable") / 1e3, q.w());
                exact(
                    label,
                    a.workloads[0].latency_ms.expect("stable") / 1e3,
                    q.w(),
                );
            }
            Model::Mg1 { lambda, service } => {
                // Allen-Cunneen's factor (1 + cs^2) / 2 on one server is Pollaczek-Khinchine.
                let st = component(&s, &a, "station");
                exact(label, st.utilization, lambda * service.mean());
                exact(
                    label,
                    st.wait_ms.expect("stable") / 1e3,
                    pk_wait(*lambda, service),
                );
            }
            Model::MmInf { lambda, service } => {
                let st = component(&s, &a, "station");
                assert_eq!(st.servers, None);
                exact(label, st.busy_mean, lambda * service);
                exact(label, st.response_ms.expect("stable") / 1e3, *service);
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
                let st = component(&s, &a, "station");
                exact(label, st.loss, q.blocking());
                exact(label, st.busy_mean, q.busy());
                exact(label, st.response_ms.expect("finite room") / 1e3, q.w());
            }
            Model::Closed {
                users,
                think,
                front_service,
                stations,
            } => {
                let demands: Vec<f64> = stations.clone();
                let m = mva(*users, think + front_service.mean(), &demands);
                exact(label, a.workloads[0].throughput_rps, m.throughput);
                exact(
                    label,
                    a.workloads[0].latency_ms.expect("closed") / 1e3,
                    front_service.mean() + m.residence_total(),
                );
                for (name, d) in ["disk1", "disk2", "disk3", "disk4"].iter().zip(&demands) {
                    exact(
                        label,
                        component(&s, &a, name).utilization,
                        m.utilization(*d),
                    );
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
                exact(label, component(&s, &a, "pool").utilization, q.rho());
                exact(
                    label,
                    a.workloads[0].latency_ms.expect("stable") / 1e3,
                    front + q.w(),
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} cases");
}

/// The example scenarios, by file name.
fn examples() -> Vec<(String, Scenario)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                load(&text),
            )
        })
        .collect()
}

/// Cost categories priced from the fleet alone (instances, balancer hours, storage): the same in
/// the model and in a run, whatever the traffic.
const FLEET_CATEGORIES: [&str; 5] = ["compute", "database", "cache", "load_balancers", "storage"];

#[test]
fn the_models_cost_is_the_simulated_cost_where_the_cost_does_not_depend_on_the_run() {
    let mut exact_examples = 0;
    for (name, s) in examples() {
        let a = analyse(&s);
        let r = sim_core::simulate(&s).expect("runs");
        let fleet_fixed = s.components.iter().all(|c| {
            c.autoscale.is_none()
                && c.billing
                    .as_ref()
                    .is_none_or(|b| b.plan != sim_core::cost::price_book::Plan::Spot)
        });
        let crashes = s.faults.iter().any(|f| {
            matches!(
                f.kind,
                sim_core::scenario::FaultKind::InstanceCrash { .. }
                    | sim_core::scenario::FaultKind::SpotReclaim { .. }
            )
        }) || s.components.iter().any(|c| c.failures.is_some());
        if fleet_fixed && !crashes {
            for cat in FLEET_CATEGORIES {
                let model = a.cost_by_category.get(cat).copied().unwrap_or(0.0);
                let sim = r.cost.by_category.get(cat).copied().unwrap_or(0.0);
                assert!(
                    (model - sim).abs() <= 1e-9 * sim.max(1.0),
                    "{name} {cat}: model {model}, run {sim}"
                );
            }
        }
        if a.cost_exact && fleet_fixed && !crashes {
            exact_examples += 1;
            assert!(
                (a.usd_per_month - r.cost.usd_per_month).abs()
                    <= 1e-9 * r.cost.usd_per_month.max(1.0),
                "{name}: model {}, run {}",
                a.usd_per_month,
                r.cost.usd_per_month
            );
        }
    }
    assert!(exact_examples >= 5, "{exact_examples}");
}

/// Components whose busy slots the model knows exactly: holding times of local work alone, or
/// of calls only to such components with unlimited concurrency (no wait to approximate), and
/// Poisson arrivals at each instance if a room limit makes losses (one instance, or `random`
/// balancing: round robin's more regular arrivals lose less than M/M/c/K says).
fn exactly_held(s: &Scenario, c: usize) -> bool {
    use sim_core::scenario::{Balance, ComponentKind};
    let comp = &s.components[c];
    let plain = matches!(comp.kind, ComponentKind::Service | ComponentKind::External);
    let poisson = comp.station.queue_limit.is_none()
        || comp.station.replicas == 1
        || comp.station.balance == Balance::Random;
    plain
        && poisson
        && comp.station.calls().all(|call| {
            s.components[call.to].station.concurrency.is_none() && exactly_held(s, call.to)
        })
}

/// Replications for the comparisons with the simulation (the examples run one or a few).
const REPLICATIONS: u32 = 8;

#[test]
fn utilisation_lies_within_the_simulated_interval_where_the_model_is_exact_and_nothing_fails() {
    let mut checked = 0;
    for (name, mut s) in examples() {
        if !s.faults.is_empty()
            || s.components
                .iter()
                .any(|c| c.failures.is_some() || c.autoscale.is_some())
        {
            continue;
        }
        s.replications = REPLICATIONS;
        let a = analyse(&s);
        let r = sim_core::simulate(&s).expect("runs");
        for (c, comp) in s.components.iter().enumerate() {
            let m = &a.components[c];
            if m.servers.is_none() || !exactly_held(&s, c) {
                continue;
            }
            let rc = &r.components[&comp.name];
            let sim = Simulated::from_ci(
                rc.utilization,
                rc.ci95.as_ref().expect("replications").utilization,
                REPLICATIONS,
            );
            let hw = sim.half_width999();
            assert!(
                (m.carried_utilization - sim.mean).abs() <= hw,
                "{name} {}: model {}, simulated {} +- {hw} (99.9 %)",
                comp.name,
                m.carried_utilization,
                sim.mean
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
}

fn example(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(name);
    std::fs::read_to_string(path).expect("example")
}

fn report_json(yaml: &str) -> serde_json::Value {
    let r = sim_core::simulate(&load(yaml)).expect("runs");
    serde_json::from_str(&sim_core::report_json(&r)).expect("JSON")
}

/// The keys of every `analytic` section (docs/format.md lists them).
const COMPONENT_KEYS: [&str; 11] = [
    "arrival_rps",
    "availability",
    "busy_mean",
    "carried_utilization",
    "loss",
    "mechanisms",
    "response_ms",
    "servers",
    "service_ms",
    "utilization",
    "wait_ms",
];
const WORKLOAD_KEYS: [&str; 3] = ["availability", "latency_ms", "throughput_rps"];

#[test]
fn the_report_shows_the_model_and_warns_where_a_mechanism_it_leaves_out_matters() {
    let yaml = example("analytic-vs-simulated.yaml");
    let r = report_json(&yaml);
    for (name, c) in r["components"].as_object().expect("components") {
        let a = c["analytic"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no analytic"));
        for k in COMPONENT_KEYS {
            assert!(a.contains_key(k), "{name}: {k}");
        }
    }
    for (name, w) in r["workloads"].as_object().expect("workloads") {
        let a = w["analytic"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no analytic"));
        for k in WORKLOAD_KEYS {
            assert!(a.contains_key(k), "{name}: {k}");
        }
    }
    let warnings = r["warnings"].as_array().expect("warnings");
    let about: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| {
            assert_eq!(w["code"], "analytic_disagreement");
            let who = w["component"]
                .as_str()
                .or(w["workload"].as_str())
                .expect("names one");
            (who, w["message"].as_str().expect("message"))
        })
        .collect();
    let names: Vec<&str> = about.iter().map(|a| a.0).collect();
    // The M/M/4 pool agrees with Erlang C; the cold function does not, and says why.
    assert_eq!(names, ["thumbnails", "upload"], "{warnings:?}");
    assert!(
        about.iter().all(|(_, m)| m.contains("cold_starts")),
        "{about:?}"
    );
    // Kept warm, the function is the steady-state model's: no disagreement left.
    let warm = report_json(&yaml.replace("keep_warm: 500ms", "keep_warm: 1m"));
    assert_eq!(warm["warnings"], serde_json::json!([]));
    // One replication has no interval, hence no warning.
    let one = report_json(&yaml.replace("replications: 5", "replications: 1"));
    assert_eq!(one["warnings"], serde_json::json!([]));
    assert!(one["components"]["thumbnails"]["analytic"].is_object());
}

#[test]
fn the_analytic_sections_and_warnings_read_back() {
    use sim_core::analytic::report::{ComponentAnalytic, WorkloadAnalytic};
    let r = report_json(&example("analytic-vs-simulated.yaml"));
    let c: ComponentAnalytic =
        serde_json::from_value(r["components"]["orders"]["analytic"].clone()).expect("reads");
    assert_eq!(
        serde_json::to_value(&c).expect("writes"),
        r["components"]["orders"]["analytic"]
    );
    let w: WorkloadAnalytic =
        serde_json::from_value(r["workloads"]["upload"]["analytic"].clone()).expect("reads");
    assert_eq!(
        serde_json::to_value(&w).expect("writes"),
        r["workloads"]["upload"]["analytic"]
    );
    let ws: Vec<sim_core::report::Warning> =
        serde_json::from_value(r["warnings"].clone()).expect("reads");
    assert_eq!(serde_json::to_value(&ws).expect("writes"), r["warnings"]);
}

#[test]
fn availability_composes_replica_sets_in_series_weighted_by_visits() {
    // api: 2 instances each up 9h / (9h + 1h) = 0.9, so the set answers 1 - 0.1^2 = 0.99 of the
    // time; auth: one instance up 19h / 20h = 0.95, visited by half the requests.
    let s = load(
        "version: 1\nname: a\nseed: 1\nduration: 1m\n\
         components:\n\
         \x20 api: { kind: service, replicas: 2, concurrency: 4, service_time: 1ms, mtbf: 9h, mttr: 1h, calls: [ { to: auth, probability: 0.5 } ] }\n\
         \x20 auth: { kind: service, concurrency: 4, service_time: 1ms, mtbf: 19h, mttr: 1h }\n\
         workloads: [ { name: w, entry: api, arrivals: { poisson: 10/s } } ]\n",
    );
    let a = analyse(&s);
    exact("api", a.components[0].availability, 0.99);
    exact("auth", a.components[1].availability, 0.95);
    exact("w", a.workloads[0].availability, 0.99 * (1.0 - 0.5 * 0.05));
    assert!(
        a.components[0]
            .mechanisms
            .contains(&"random_failures".to_string())
    );
}

#[test]
fn the_model_stays_cheap_and_finite_at_the_loaders_bounds() {
    // 10 000 instances of a million slots over three zones, a room of a billion, a closed workload
    // of ten million users, a key cache of a million keys: nothing here may loop per slot or user.
    let s = load(
        "version: 1\nname: big\nseed: 1\nduration: 1m\nlimits: { max_in_flight: 10000000 }\n\
         regions: { r: { zones: [a, b, c] } }\n\
         network: { intra_zone: 100us, inter_zone: 1ms }\n\
         components:\n\
         \x20 api: { kind: service, region: r, zones: [a, b, c], replicas: 10000, concurrency: 1000000, queue_limit: 1000000000, service_time: 1ms, calls: [ cache ] }\n\
         \x20 cache: { kind: cache, region: r, zones: [a], keys: 1000000, capacity: 1000, zipf: 0.9, on_miss: db }\n\
         \x20 db: { kind: service, region: r, zones: [b], replicas: 3, concurrency: 4, service_time: { exponential: 2ms } }\n\
         workloads:\n\
         \x20 - { name: users, entry: api, users: 10000000, think_time: 1s }\n\
         \x20 - { name: open, entry: api, arrivals: { poisson: 1000000/s } }\n",
    );
    let a = analyse(&s);
    for (c, m) in s.components.iter().zip(&a.components) {
        assert!(
            m.arrival_rps.is_finite() && m.utilization.is_finite(),
            "{}: {m:?}",
            c.name
        );
        assert!((0.0..=1.0).contains(&m.loss), "{}: {m:?}", c.name);
    }
    let (bottleneck, u) = a.bottleneck().expect("slots somewhere");
    // The database behind the cache takes the misses of over a million requests a second.
    assert_eq!(s.components[bottleneck].name, "db");
    assert!(u >= 1.0, "{u}");
    assert_eq!(a.workloads[1].latency_ms, None, "its path is overloaded");
}
