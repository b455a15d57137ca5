//! NAT gateways (`network.nat`): a shared gateway makes its zone's outage everyone's for calls to
//! `external` components, sends the other zones' bytes across zones, and is priced by the hour
//! and the GB; per zone, each zone leaves through its own.

use sim_core::report::Report;

fn run(yaml: &str) -> Report {
    let loaded =
        sim_core::load(yaml.as_bytes()).unwrap_or_else(|d| panic!("invalid scenario: {d:?}"));
    sim_core::simulate(&loaded.scenario).expect("runs within limits")
}

fn scenario(nat: &str, faults: &str, pricing: &str) -> String {
    format!(
        "version: 1\nname: nat\nseed: 2\nduration: 10m\nregions: {{ eu: {{ zones: [a, b, c] }} }}\n\
         network: {{ nat: {nat} }}\n{pricing}\
         components:\n  api: {{ kind: service, region: eu, zones: [a, b, c], replicas: 3, concurrency: unlimited, service_time: 1ms, \
         calls: [ {{ to: ext, timeout: 1s, request_size: 10KB, response_size: 90KB }} ] }}\n  \
         ext: {{ kind: external, latency: 20ms }}\n\
         workloads: [ {{ name: w, entry: api, arrivals: {{ poisson: 50/s }} }} ]\nfaults: [ {faults} ]\n"
    )
}

/// Zone a dark for the middle half of the run: with the gateway shared in zone a, the API
/// instances in b and c take all requests and every call out fails; per zone, they get out.
#[test]
fn a_shared_gateways_zone_outage_breaks_every_zones_calls_out() {
    let outage = "{ at: 150s, duration: 300s, zone_outage: { region: eu, zone: a } }";
    let shared = run(&scenario("{ placement: shared, zone: a }", outage, ""));
    let per_zone = run(&scenario("{ placement: per_zone }", outage, ""));
    let during = |r: &Report| {
        let ts = &r.timeseries;
        let a: Vec<f64> = ts
            .start_s
            .iter()
            .zip(&ts.workloads["w"].availability)
            .filter(|(t, _)| (160.0..440.0).contains(*t))
            .map(|(_, a)| *a)
            .collect();
        a.iter().sum::<f64>() / a.len() as f64
    };
    assert_eq!(during(&shared), 0.0);
    assert_eq!(during(&per_zone), 1.0);
    assert!(per_zone.workloads["w"].availability > 0.999);
}

/// Without faults, a third of the calls come from zone a: with the gateway shared there, the other
/// two thirds of the gateway's bytes also cross zones; per zone, none do. The users' requests are
/// spread over the API instances in turn, so the share is two thirds up to the last few requests.
#[test]
fn a_shared_gateway_sends_the_other_zones_bytes_across_zones() {
    let shared = run(&scenario("{ placement: shared, zone: a }", "", ""));
    let per_zone = run(&scenario("{ placement: per_zone }", "", ""));
    let (nat, cross) = (shared.network.nat_gb, shared.network.inter_zone_gb);
    let calls = nat * 1e9 / 100e3;
    assert!(
        ((cross * 1e9 / 100e3) - 2.0 * calls / 3.0).abs() <= 2.0,
        "{cross} GB across zones of {nat} GB"
    );
    assert_eq!(per_zone.network.inter_zone_gb, 0.0);
    // Every byte to and from the external dependency goes through a gateway, in both designs.
    let requests = shared.workloads["w"].requests as f64;
    assert!((calls - requests).abs() <= 3.0, "{calls} vs {requests}");
}

/// Hourly: one shared gateway, or one in each of three zones, all month (per-GB price set to 0).
#[test]
fn gateways_are_priced_by_the_hour() {
    let pricing = "pricing: { nat_per_gb: 0, nat_per_hour: 0.05, inter_zone_per_gb: 0 }\n";
    let nat = |r: &Report| r.cost.by_category["nat"];
    let shared = run(&scenario("{ placement: shared, zone: a }", "", pricing));
    let per_zone = run(&scenario("{ placement: per_zone }", "", pricing));
    assert!(
        (nat(&shared) - 0.05 * 730.0).abs() < 1e-9,
        "{}",
        nat(&shared)
    );
    assert!(
        (nat(&per_zone) - 3.0 * 0.05 * 730.0).abs() < 1e-9,
        "{}",
        nat(&per_zone)
    );
}

#[test]
fn bad_nat_settings_are_refused_with_their_place() {
    let err = |nat: &str| {
        let e = sim_core::load(scenario(nat, "", "").as_bytes()).unwrap_err();
        assert!(e.iter().all(|d| d.span.start.line == 6), "{e:?}");
        e.iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert!(err("{ placement: shared }").contains("zone"));
    assert!(err("{ placement: shared, zone: d }").contains("no zone `d`"));
    assert!(err("{ placement: per_zone, zone: a }").contains("per_zone"));
    assert!(err("{ placement: everywhere }").contains("unknown NAT placement"));
}
