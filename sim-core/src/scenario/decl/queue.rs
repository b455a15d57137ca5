//! `queue`: a message broker; a producer's call returns once the message is stored, and the
//! consumers take messages whenever they have a free slot.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};

const FIELDS: &[Field] = &[
    KIND,
    Field {
        key: "consumers",
        ty: Type::Component,
        required: true,
        default: None,
        example: "worker",
        doc: "The service that processes its messages.",
    },
    Field {
        key: "max_depth",
        ty: Type::Count {
            min: 1,
            max: Some(1_000_000_000),
        },
        required: false,
        default: None,
        example: "100000",
        doc: "Messages it holds at most; beyond it a producer's call fails (default: no limit).",
    },
    Field {
        key: "visibility_timeout",
        ty: Type::Duration,
        required: false,
        default: Some("30s"),
        example: "30s",
        doc: "A message taken but not acknowledged becomes visible again after this.",
    },
    Field {
        key: "max_receives",
        ty: Type::Count {
            min: 1,
            max: Some(1000),
        },
        required: false,
        default: Some("3"),
        example: "3",
        doc: "Deliveries of a message before it goes to the dead-letter queue.",
    },
    Field {
        key: "service_time",
        ty: Type::Distribution,
        required: false,
        default: Some("1ms"),
        example: "1ms",
        doc: "Storing a message.",
    },
    REGION,
    ZONE,
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const QUEUE: KindDecl = KindDecl {
    name: "queue",
    summary: "a message broker: stores messages, its consumers take them when they have a slot",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: ANY_COMPONENT_FAULTS,
    cost: Cost {
        category: "compute",
        price_keys: &["queue_per_million_requests"],
    },
    look: Look {
        base_name: "queue",
        icon: "☰",
        template: &[("consumers", "{target}")],
    },
};
