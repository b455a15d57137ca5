//! `load_balancer`: forwards each request to an instance of its targets, learning of dead ones only
//! from its health checks.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};

/// `targets` of a load balancer or DNS.
pub const TARGETS: Field = Field {
    key: "targets",
    ty: Type::Block("targets"),
    required: true,
    default: None,
    example: "[api]",
    doc: "The components it sends to: names, or `{ to: name, weight: 3 }`.",
};

/// `health_check` of a load balancer or DNS.
pub const HEALTH_CHECK: Field = Field {
    key: "health_check",
    ty: Type::Block("health_check"),
    required: false,
    default: None,
    example: "{ interval: 10s, timeout: 2s, unhealthy_after: 3, healthy_after: 2 }",
    doc: "Probes that take a dead target out; without them it never learns.",
};

const FIELDS: &[Field] = &[
    KIND,
    TARGETS,
    Field {
        key: "policy",
        ty: Type::Choice(&[
            "round_robin",
            "least_outstanding",
            "weighted",
            "latency",
            "failover",
        ]),
        required: false,
        default: Some("round_robin"),
        example: "round_robin",
        doc: "How it picks a target.",
    },
    HEALTH_CHECK,
    Field {
        key: "rate_limit",
        ty: Type::Block("rate_limit"),
        required: false,
        default: None,
        example: "{ rate: 1000/s, burst: 100 }",
        doc: "A token bucket (and per-workload usage plans); an empty bucket answers 429.",
    },
    Field {
        key: "timeout",
        ty: Type::Duration,
        required: false,
        default: None,
        example: "1s",
        doc: "How long it waits for a target before failing the request.",
    },
    Field {
        key: "service_time",
        ty: Type::Distribution,
        required: false,
        default: Some("0s"),
        example: "0.5ms",
        doc: "The balancer's own work per request.",
    },
    REGION,
    ZONE,
    ZONES,
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const LOAD_BALANCER: KindDecl = KindDecl {
    name: "load_balancer",
    summary: "forwards to the instances of its targets; health checks take dead ones out",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: ANY_COMPONENT_FAULTS,
    cost: Cost {
        category: "compute",
        price_keys: &["load_balancer_per_hour"],
    },
    look: Look {
        base_name: "lb",
        icon: "⇉",
        template: &[("targets", "[{target}]"), ("policy", "round_robin")],
    },
};
