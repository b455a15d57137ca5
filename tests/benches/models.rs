//! The bench's models as scenario text: M/M/4 at load 0.9, the five-service chain of synchronous
//! calls (also the memory check's model), and the 21-component two-region architecture. The chain's
//! table is shared with its minimal loop (`floor::chain`) and its SimPy twin (`simpy_chain.py`), so
//! the three simulate one model from one definition.

use crate::floor::Stage;

/// Service rate of one server of M/M/4, per second (mean service time 10 ms).
pub const MU: f64 = 100.0;
/// Servers.
pub const C: u32 = 4;
/// Offered load per server.
pub const RHO: f64 = 0.9;
/// Arrival rate, per second: 360/s.
pub const LAMBDA: f64 = RHO * C as f64 * MU;

pub fn mm4_yaml(seed: u64, duration_s: u64) -> String {
    format!(
        "version: 1\n\
         name: mm4-bench\n\
         seed: {seed}\n\
         duration: {duration_s}s\n\
         components:\n  \
           server:\n    \
             kind: service\n    \
             concurrency: {C}\n    \
             service_time: {{ exponential: {service_ms}ms }}\n\
         workloads:\n  \
           - {{ name: customers, entry: server, arrivals: {{ poisson: {LAMBDA}/s }} }}\n",
        service_ms = 1000.0 / MU,
    )
}

/// The chain api -> auth -> catalog -> pricing -> db, in calling order. Holding times nest (a caller
/// keeps its slot while its calls run), so slots per replica grow up the chain; with four replicas
/// each, every service runs at 55-65 % of its slots at [`CHAIN_RATE`].
pub const CHAIN: [Stage; 5] = [
    stage("api", 2.0, 24),
    stage("auth", 1.0, 20),
    stage("catalog", 3.0, 18),
    stage("pricing", 2.0, 12),
    stage("db", 4.0, 8),
];

const fn stage(name: &'static str, work_ms: f64, concurrency: u32) -> Stage {
    Stage {
        name,
        work_ms,
        concurrency,
        replicas: 4,
    }
}

/// Requests per second into the chain.
pub const CHAIN_RATE: u64 = 5_000;
/// The chain's workload.
pub const CHAIN_WORKLOAD: &str = "web";

/// The chain at `rate` requests per second for `duration_s` simulated seconds.
pub fn chain_yaml(seed: u64, rate: u64, duration_s: u64) -> String {
    let mut y =
        format!("version: 1\nname: chain\nseed: {seed}\nduration: {duration_s}s\ncomponents:\n");
    for (i, s) in CHAIN.iter().enumerate() {
        y += &format!(
            "  {}:\n    kind: service\n    replicas: {}\n    concurrency: {}\n    \
             service_time: {{ exponential: {}ms }}\n",
            s.name, s.replicas, s.concurrency, s.work_ms
        );
        if let Some(next) = CHAIN.get(i + 1) {
            y += &format!("    calls: [ {{ to: {} }} ]\n", next.name);
        }
    }
    y += &format!(
        "workloads:\n  - {{ name: {CHAIN_WORKLOAD}, entry: api, arrivals: {{ poisson: {rate}/s }} }}\n"
    );
    y
}

/// 21 components in two regions at 10,000 requests/s. DNS splits users 50/50 over us-east and
/// eu-west; in each region a load balancer, a web tier, an API that calls auth, then catalog and
/// cart in parallel, then pricing (which calls inventory); catalog reads through a cache whose
/// misses go to the nearest node of a two-region database; cart calls a third-party payments API for
/// a fifth of its requests, then the database. Replicas spread over two zones, so most calls pay a
/// network delay and make three events (delivery, end of work, response).
/// Simulated seconds of a two-region repetition.
pub const TWO_REGION_S: u64 = 10;

pub fn two_region_yaml(seed: u64, duration_s: u64) -> String {
    let mut y = format!(
        "version: 1\nname: two-region-21\nseed: {seed}\nduration: {duration_s}s\n\
         regions:\n  internet: {{}}\n  us-east: {{ zones: [a, b] }}\n  eu-west: {{ zones: [a, b] }}\n\
         network:\n  intra_zone: 250us\n  inter_zone: 1ms\n  links:\n    \
         - {{ between: [internet, us-east], one_way: 20ms }}\n    \
         - {{ between: [internet, eu-west], one_way: 20ms }}\n    \
         - {{ between: [us-east, eu-west], one_way: 40ms }}\n\
         components:\n  \
         dns: {{ kind: dns, policy: weighted, ttl: 60s, \
         targets: [ {{ to: lb_east, weight: 1 }}, {{ to: lb_west, weight: 1 }} ] }}\n  \
         db: {{ kind: database, primary: {{ region: us-east, zone: a }}, \
         replicas: [ {{ region: eu-west, zone: a }} ], reads: nearest, pool: 100, \
         read_time: {{ exponential: 2ms }}, write_time: {{ exponential: 5ms }} }}\n  \
         payments: {{ kind: external, latency: {{ lognormal: {{ median: 30ms, p99: 150ms }} }} }}\n"
    );
    for (r, region) in [("east", "us-east"), ("west", "eu-west")] {
        let at = format!("region: {region}, zones: [a, b]");
        let svc = |name: &str, replicas: u32, conc: u32, ms: f64, calls: &str| {
            format!(
                "  {name}_{r}: {{ kind: service, {at}, replicas: {replicas}, concurrency: {conc}, \
                 service_time: {{ exponential: {ms}ms }}{calls} }}\n"
            )
        };
        y += &format!(
            "  lb_{r}: {{ kind: load_balancer, {at}, targets: [web_{r}], service_time: 100us }}\n"
        );
        y += &svc("web", 4, 48, 1.0, &format!(", calls: [api_{r}]"));
        y += &svc(
            "api",
            4,
            40,
            2.0,
            &format!(
                ", calls: [ {{ to: auth_{r}, timeout: 1s }}, \
                 {{ parallel: [ {{ to: catalog_{r}, timeout: 1s }}, {{ to: cart_{r}, timeout: 2s }} ] }}, \
                 {{ to: pricing_{r}, timeout: 1s }} ]"
            ),
        );
        y += &svc("auth", 2, 16, 1.0, "");
        y += &svc("catalog", 2, 24, 1.0, &format!(", calls: [cache_{r}]"));
        y += &svc(
            "cart",
            4,
            24,
            1.0,
            ", calls: [ { to: payments, probability: 0.2, timeout: 1s }, db ]",
        );
        y += &svc("pricing", 2, 16, 1.0, &format!(", calls: [inventory_{r}]"));
        y += &svc("inventory", 2, 12, 1.0, "");
        y += &format!(
            "  cache_{r}: {{ kind: cache, {at}, hit_ratio: 90%, service_time: 300us, on_miss: db }}\n"
        );
    }
    y += "workloads:\n  - { name: users, entry: dns, region: internet, arrivals: { poisson: 10000/s } }\n";
    y
}

/// The scenario of a case as the bench runs it (seed 1), for `--yaml`.
pub fn yaml(case: &str) -> String {
    match case {
        "mm4" => mm4_yaml(1, 4_167),
        "chain" => chain_yaml(1, CHAIN_RATE, 60),
        "two-region" => two_region_yaml(1, TWO_REGION_S),
        other => panic!("--yaml {other}: expected mm4, chain or two-region"),
    }
}
