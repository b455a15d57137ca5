//! The cost model's arithmetic on cases worked out by hand: instance-hours (constant, reserved,
//! spot, autoscaled), functions (requests and GB-seconds), egress by hop, NAT, load balancers,
//! storage, queues, the price book's overrides, and `cost` SLOs.

use sim_core::report::Report;

fn run(yaml: &str) -> Report {
    let loaded =
        sim_core::load(yaml.as_bytes()).unwrap_or_else(|d| panic!("invalid scenario: {d:?}"));
    sim_core::simulate(&loaded.scenario).expect("runs within limits")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The example: 4 m5.xlarge on demand all month cost 4 x 0.192 x 730; reserved and spot
/// follow the price book.
#[test]
fn instance_hours_by_plan() {
    let scenario = |plan: &str| {
        format!(
            "version: 1\nname: c\nseed: 1\nduration: 1m\n\
             components:\n  api: {{ kind: service, replicas: 4, concurrency: 8, service_time: 1ms, instance: m5.xlarge, pricing: {plan} }}\n\
             workloads: [ {{ name: w, entry: api, arrivals: {{ poisson: 10/s }} }} ]\n"
        )
    };
    let on_demand = run(&scenario("on_demand")).cost;
    assert!(
        close(on_demand.usd_per_month, 4.0 * 0.192 * 730.0),
        "{}",
        on_demand.usd_per_month
    );
    assert!(close(on_demand.by_component["api"], 560.64));
    assert!(close(on_demand.by_category["compute"], 560.64));
    assert!(close(
        run(&scenario("reserved_1y")).cost.usd_per_month,
        4.0 * 0.121 * 730.0
    ));
    assert!(close(
        run(&scenario("reserved_3y")).cost.usd_per_month,
        4.0 * 0.079 * 730.0
    ));
    assert!(close(
        run(&scenario("spot")).cost.usd_per_month,
        4.0 * 0.06 * 730.0
    ));
}

/// Autoscaling bills the instances it ran: the mean provisioned count, not the starting count.
#[test]
fn autoscaled_instances_are_billed_as_they_ran() {
    let r = run("version: 1\nname: hpa\nseed: 2\nduration: 20m\n\
        components:\n  api: { kind: service, replicas: 2, concurrency: 10, service_time: { exponential: 50ms }, instance: c5.large, \
        autoscale: { min: 2, max: 10, target: 60%, interval: 15s, delay: 30s, startup: 60s } }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 200/s }, profile: { step: { at: 5m, factor: 3 } } } ]\n");
    let usd = r.cost.by_component["api"];
    let mean_instances = usd / (0.085 * 730.0);
    // Two instances for the first 5 minutes, then scaling to five (see the kinds tests).
    assert!(
        mean_instances > 2.5 && mean_instances < 5.0,
        "mean instances {mean_instances}"
    );
    let series = &r.timeseries.components["api"].instances;
    let series_mean = series.iter().sum::<f64>() / series.len() as f64;
    // The series counts instances serving at each window's end; billing also counts those starting.
    assert!(
        mean_instances >= series_mean - 0.1,
        "{mean_instances} vs {series_mean}"
    );
}

/// Functions: 0.20 per million requests plus 0.0000166667 per GB-second of execution.
#[test]
fn functions_pay_per_request_and_gb_second() {
    let r = run("version: 1\nname: fn\nseed: 3\nduration: 10m\n\
        components:\n  f: { kind: function, service_time: 100ms, cold_start: 0s, memory: 1024MB }\n\
        workloads: [ { name: w, entry: f, arrivals: { constant: 10/s } } ]\n");
    let month_s = 730.0 * 3600.0;
    // 10 requests/s; each runs 0.1 s on 1024 MB = 1 GiB: 1 GB-second per second.
    let expected =
        10.0 * month_s / 1e6 * 0.20 + 1.0 * (1024.0e6 / 1e6 / 1024.0) * month_s * 0.000_016_666_7;
    let got = r.cost.by_category["functions"];
    assert!(
        (got - expected).abs() < 1e-3 * expected,
        "{got} vs {expected}"
    );
}

/// Egress: 0.09/GB to the internet, 0.02/GB between zones (0.01 each way), a link's own price;
/// NAT processing 0.045/GB on traffic to external dependencies; load balancers 0.0225/hour;
/// storage 0.115/GB-month per node and backups 0.095/GB-month.
#[test]
fn network_load_balancer_and_storage_prices() {
    let r = run("version: 1\nname: net\nseed: 4\nduration: 100s\n\
        regions:\n  east: { zones: [a, b] }\n  west: {}\n\
        network: { links: [ { between: [east, west], one_way: 30ms, egress_per_gb: 0.05 } ] }\n\
        components:\n  lb: { kind: load_balancer, region: east, zone: a, targets: [api] }\n  \
        api: { kind: service, region: east, zone: a, concurrency: unlimited, service_time: 1ms, \
        calls: [ { to: db }, { to: logs, request_size: 1KB, response_size: 0B }, { to: pay, request_size: 1KB, response_size: 1KB } ] }\n  \
        db: { kind: database, primary: { region: east, zone: b }, replicas: 1, storage: 100GB, backup: { interval: 1h, restore_time: 1h } }\n  \
        logs: { kind: service, region: west, concurrency: unlimited, service_time: 1ms }\n  \
        pay: { kind: external, latency: 1ms }\n\
        workloads: [ { name: w, entry: lb, arrivals: { constant: 10/s }, request_size: 2KB, response_size: 20KB } ]\n");
    let month_s = 730.0 * 3600.0;
    let per_month_gb = |bytes_per_request: f64| 10.0 * bytes_per_request * month_s / 1e9;
    let c = &r.cost.by_category;
    // Internet out: 20 KB per request. Between zones: api (a) <-> db primary (b), 22 KB.
    let egress = per_month_gb(20e3) * 0.09 + per_month_gb(22e3) * 0.02 + per_month_gb(1e3) * 0.05;
    // Edge effect: of the ~1,000 requests, the last may still be in flight when the run ends, so
    // its response bytes are not counted: allow 2 requests in 1,000.
    assert!(
        (c["egress"] - egress).abs() < 2e-3 * egress,
        "{} vs {egress}",
        c["egress"]
    );
    let nat = per_month_gb(2e3) * 0.045;
    assert!((c["nat"] - nat).abs() < 2e-3 * nat, "{} vs {nat}", c["nat"]);
    assert!(close(c["load_balancers"], 0.0225 * 730.0));
    assert!(close(c["storage"], 100.0 * 2.0 * 0.115 + 100.0 * 0.095));
}

/// `pricing:` overrides the book: month length and an instance's price.
#[test]
fn pricing_overrides_apply() {
    let r = run("version: 1\nname: o\nseed: 5\nduration: 1m\n\
        pricing: { month_hours: 720, instances: { m5.xlarge: { on_demand: 0.2 }, my.box: { on_demand: 1.5 } } }\n\
        components:\n  a: { kind: service, replicas: 2, service_time: 1ms, instance: m5.xlarge }\n  \
        b: { kind: service, service_time: 1ms, instance: my.box }\n\
        workloads: [ { name: w, entry: a, arrivals: { poisson: 1/s } }, { name: v, entry: b, arrivals: { poisson: 1/s } } ]\n");
    assert!(close(r.cost.by_component["a"], 2.0 * 0.2 * 720.0));
    assert!(close(r.cost.by_component["b"], 1.5 * 720.0));
    assert_eq!(r.cost.month_hours, 720.0);
}

/// A `cost` SLO is evaluated against the monthly total; an unknown instance type is refused.
#[test]
fn cost_slos_and_unknown_instance_types() {
    let r = run("version: 1\nname: s\nseed: 6\nduration: 1m\n\
        components:\n  api: { kind: service, replicas: 4, service_time: 1ms, instance: m5.xlarge }\n\
        workloads: [ { name: w, entry: api, arrivals: { poisson: 1/s } } ]\n\
        slo: [ cost <= 600/month, cost <= 500/month ]\n");
    assert_eq!(r.slo[0].pass, Some(true));
    assert_eq!(r.slo[1].pass, Some(false));
    assert!(close(r.slo[0].value.unwrap(), 560.64));
    let e = sim_core::load(b"version: 1\nname: s\nduration: 1m\ncomponents:\n  api: { kind: service, service_time: 1ms, instance: z9.huge }\nworkloads: [ { name: w, entry: api, arrivals: { poisson: 1/s } } ]\n").unwrap_err();
    assert!(
        e[0].message.contains("z9.huge") && e[0].message.contains("m5.xlarge"),
        "{}",
        e[0].message
    );
    assert_eq!(e[0].span.start.line, 5);
}
