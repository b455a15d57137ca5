//! `function`: serverless; instances start on demand (a cold start) and stay warm for a while
//! after their last request.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};

const FIELDS: &[Field] = &[
    KIND,
    Field {
        key: "service_time",
        ty: Type::Distribution,
        required: true,
        default: None,
        example: "{ exponential: 50ms }",
        doc: "Work per request.",
    },
    CALLS,
    Field {
        key: "concurrency_limit",
        ty: Type::Count {
            min: 1,
            max: Some(1_000_000),
        },
        required: false,
        default: Some("1000"),
        example: "1000",
        doc: "Instances at once; requests beyond it are refused (throttled).",
    },
    Field {
        key: "cold_start",
        ty: Type::Distribution,
        required: false,
        default: Some("300ms"),
        example: "{ lognormal: { median: 300ms, p99: 1s } }",
        doc: "What a request pays when no warm idle instance is there.",
    },
    Field {
        key: "keep_warm",
        ty: Type::Duration,
        required: false,
        default: Some("10m"),
        example: "10m",
        doc: "How long an idle instance stays warm after its last request.",
    },
    Field {
        key: "memory",
        ty: Type::Size,
        required: false,
        default: Some("512MB"),
        example: "512MB",
        doc: "Memory of one instance: what its GB-seconds are billed on.",
    },
    REGION,
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const FUNCTION: KindDecl = KindDecl {
    name: "function",
    summary: "serverless: instances start on demand (cold starts) and stay warm a while",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: ANY_COMPONENT_FAULTS,
    cost: Cost {
        category: "compute",
        price_keys: &["function_per_million_requests", "function_per_gb_second"],
    },
    look: Look {
        base_name: "fn",
        icon: "λ",
        template: &[
            ("service_time", "{ exponential: 50ms }"),
            ("cold_start", "{ lognormal: { median: 300ms, p99: 1s } }"),
            ("keep_warm", "10m"),
        ],
    },
};
