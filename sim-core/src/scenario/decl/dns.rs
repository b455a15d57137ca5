//! `dns`: picks a target component for each client and adds no hop; clients keep a changed answer
//! for up to its TTL.

use super::common::*;
use super::load_balancer::{HEALTH_CHECK, TARGETS};
use super::{Cost, Field, KindDecl, Look, Type, keys};

const FIELDS: &[Field] = &[
    KIND,
    TARGETS,
    Field {
        key: "policy",
        ty: Type::Choice(&["round_robin", "weighted", "latency", "failover"]),
        required: false,
        default: Some("failover"),
        example: "failover",
        doc: "How it picks a target.",
    },
    HEALTH_CHECK,
    Field {
        key: "ttl",
        ty: Type::Duration,
        required: false,
        default: Some("60s"),
        example: "60s",
        doc: "How long clients keep an answer: a changed one reaches them over this time.",
    },
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const DNS: KindDecl = KindDecl {
    name: "dns",
    summary: "picks a target component per client, no hop; changed answers spread over its TTL",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: ANY_COMPONENT_FAULTS,
    cost: Cost {
        category: "compute",
        price_keys: &[],
    },
    look: Look {
        base_name: "dns",
        icon: "◎",
        template: &[("targets", "[{target}]"), ("ttl", "60s")],
    },
};
