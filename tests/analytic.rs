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
