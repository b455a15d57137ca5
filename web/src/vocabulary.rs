//! The format's vocabulary as the editors need it: the keys a component of each kind may have and
//! a typical value for each key, which a newly added field starts as, both from the kinds'
//! declarations (`sim_core::scenario::decl`) for components; a table here for the rest (calls,
//! workloads, the top level). Used by the inspector, the sketch's edits and the code editor's
//! completion.

use sim_core::scenario::decl::{self, KindDecl};
use sim_core::scenario::load::keys;

/// The keys a component of `kind` may have (only `kind` for a kind the format does not have).
pub fn component_keys(kind: &str) -> &'static [&'static str] {
    keys::of_kind(kind).unwrap_or(&["kind"])
}

/// The declaration of `kind`, if the format has the kind.
pub fn kind(kind: &str) -> Option<&'static KindDecl> {
    decl::of(kind)
}

/// What a newly added field starts as: a typical value to edit. A component's field takes its
/// kind's declared example; other keys (calls, workloads, the top level) the table below.
pub fn first_value(kind: Option<&str>, key: &str) -> &'static str {
    match kind.and_then(decl::of).and_then(|k| k.field(key)) {
        Some(f) => f.example,
        None => default_for(key),
    }
}

/// A typical value of a key outside a component: calls, workloads, faults, the top level.
fn default_for(key: &str) -> &'static str {
    match key {
        "timeout" => "1s",
        "retry" => "{ attempts: 3, backoff: 100ms, multiplier: 2, jitter: full }",
        "circuit_breaker" => "{ failure_ratio: 50%, window: 20, min_calls: 10, open_for: 30s }",
        "probability" => "0.5",
        "op" => "write",
        "request_size" => "1KB",
        "response_size" => "10KB",
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
