//! `external`: a third-party dependency with unlimited concurrency, a latency and an error rate.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};

const FIELDS: &[Field] = &[
    KIND,
    Field {
        key: "latency",
        ty: Type::Distribution,
        required: true,
        default: None,
        example: "{ lognormal: { median: 50ms, p99: 250ms } }",
        doc: "How long it takes to answer.",
    },
    Field {
        key: "error_rate",
        ty: Type::Fraction,
        required: false,
        default: Some("0%"),
        example: "1%",
        doc: "Share of requests it answers with an error.",
    },
    REGION,
    ZONE,
    ZONES,
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const EXTERNAL: KindDecl = KindDecl {
    name: "external",
    summary: "a third-party dependency: a latency distribution and an error rate, no queue",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: ANY_COMPONENT_FAULTS,
    cost: Cost {
        category: "compute",
        price_keys: &[],
    },
    look: Look {
        base_name: "ext",
        icon: "☁",
        template: &[
            ("latency", "{ lognormal: { median: 50ms, p99: 250ms } }"),
            ("error_rate", "0.1%"),
        ],
    },
};
