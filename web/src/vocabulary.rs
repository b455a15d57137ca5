//! The format's vocabulary as the editors need it: the keys a component of each kind may have
//! (from the loader's own key lists) and a typical value for each key, which a newly added field
//! starts as. Used by the inspector, the sketch's edits and the code editor's completion.

use sim_core::scenario::load::keys;

/// The keys a component of `kind` may have (only `kind` for a kind the format does not have).
pub fn component_keys(kind: &str) -> &'static [&'static str] {
    keys::of_kind(kind).unwrap_or(&["kind"])
}

/// What a newly added field starts as: a typical value to edit, from the format's reference.
pub fn default_for(key: &str) -> &'static str {
    match key {
        "replicas" => "2",
        "concurrency" => "8",
        "service_time" | "read_time" => "{ exponential: 10ms }",
        "write_time" => "{ exponential: 20ms }",
        "latency" => "{ lognormal: { median: 50ms, p99: 250ms } }",
        "queue_limit" => "100",
        "balance" => "least_outstanding",
        "io" => "async",
        "zone" => "a",
        "zones" => "[a, b]",
        "mtbf" => "30d",
        "mttr" => "10m",
        "autoscale" => "{ min: 2, max: 10, target: 70% }",
        "timeout" => "1s",
        "retry" => "{ attempts: 3, backoff: 100ms, multiplier: 2, jitter: full }",
        "circuit_breaker" => "{ failure_ratio: 50%, window: 20, min_calls: 10, open_for: 30s }",
        "probability" => "0.5",
        "op" => "write",
        "request_size" => "1KB",
        "response_size" => "10KB",
        "error_rate" => "1%",
        "policy" => "round_robin",
        "health_check" => "{ interval: 10s, timeout: 2s, unhealthy_after: 3, healthy_after: 2 }",
        "rate_limit" => "{ rate: 1000/s, burst: 100 }",
        "ttl" => "60s",
        "hit_ratio" => "80%",
        "keys" => "100000",
        "capacity" => "10000",
        "zipf" => "1.0",
        "max_depth" => "100000",
        "visibility_timeout" => "30s",
        "max_receives" => "3",
        "replication" => "async",
        "lag" => "{ exponential: 20ms }",
        "apply_time" => "2ms",
        "pool" => "100",
        "reads" => "replicas",
        "write_ops" => "[write]",
        "failover" => "{ detection: 30s, promotion: 60s, automatic: true }",
        "backup" => "{ interval: 24h, restore_time: 2h }",
        "cold_start" => "{ lognormal: { median: 300ms, p99: 1s } }",
        "keep_warm" => "10m",
        "memory" => "512MB",
        "concurrency_limit" => "1000",
        "arrivals" => "{ poisson: 100/s }",
        "users" => "100",
        "think_time" => "{ exponential: 1s }",
        "ops" => "{ read: 0.9, write: 0.1 }",
        "profile" => "{ step: { at: 5m, factor: 2 } }",
        "at" => "1m",
        "duration" => "2m",
        "warmup" => "1m",
        "replications" => "5",
        "seed" => "1",
        "description" => "\"\"",
        "limits" => "{ max_events: 100000000 }",
        "network" => "{ intra_zone: 0.25ms, inter_zone: 1ms }",
        _ => "",
    }
}
