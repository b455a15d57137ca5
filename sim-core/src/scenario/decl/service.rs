//! `service`: a pool of identical instances with concurrency slots, a FCFS queue, local work and
//! synchronous calls.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};

const FIELDS: &[Field] = &[
    KIND,
    REPLICAS,
    Field {
        key: "concurrency",
        ty: CONCURRENCY_RANGE,
        required: false,
        default: Some("1"),
        example: "8",
        doc: "Requests one instance serves at once.",
    },
    Field {
        key: "service_time",
        ty: Type::Distribution,
        required: true,
        default: None,
        example: "{ exponential: 10ms }",
        doc: "Local work per request; holds one concurrency slot.",
    },
    CALLS,
    QUEUE_LIMIT,
    Field {
        key: "balance",
        ty: Type::Choice(&["round_robin", "random", "least_outstanding", "power_of_two"]),
        required: false,
        default: Some("round_robin"),
        example: "least_outstanding",
        doc: "How its callers spread requests over its instances.",
    },
    Field {
        key: "routing",
        ty: Type::Choice(&["any", "same_zone"]),
        required: false,
        default: Some("any"),
        example: "same_zone",
        doc: "`same_zone`: callers prefer its instances in their own zone while one is up.",
    },
    Field {
        key: "io",
        ty: Type::Choice(&["sync", "async"]),
        required: false,
        default: Some("sync"),
        example: "async",
        doc: "`sync`: the slot is held during calls; `async`: released after local work.",
    },
    REGION,
    ZONE,
    ZONES,
    MTBF,
    MTTR,
    Field {
        key: "autoscale",
        ty: Type::Block("autoscale"),
        required: false,
        default: None,
        example: "{ min: 2, max: 10, target: 70% }",
        doc: "Target tracking on utilisation (see Autoscaling); `replicas` is the start.",
    },
    INSTANCE,
    PRICING,
    DESCRIPTION,
];

pub const SERVICE: KindDecl = KindDecl {
    name: "service",
    summary: "instances with concurrency slots and a queue: local work, then calls",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: ANY_COMPONENT_FAULTS,
    cost: Cost {
        category: "compute",
        price_keys: &[],
    },
    look: Look {
        base_name: "svc",
        icon: "⚙",
        template: &[
            ("replicas", "2"),
            ("concurrency", "8"),
            ("service_time", "{ exponential: 10ms }"),
        ],
    },
};
