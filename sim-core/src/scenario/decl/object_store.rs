//! `object_store`: blob storage such as S3 or GCS. Unlimited concurrency, a latency per read and
//! per write, an error rate; billed per request (reads and writes at their own prices) and per
//! GB-month stored, with no instances to size.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};

const FIELDS: &[Field] = &[
    KIND,
    Field {
        key: "read_time",
        ty: Type::Distribution,
        required: false,
        default: Some("{ lognormal: { median: 15ms, p99: 100ms } }"),
        example: "{ lognormal: { median: 15ms, p99: 100ms } }",
        doc: "How long a read (GET) takes.",
    },
    Field {
        key: "write_time",
        ty: Type::Distribution,
        required: false,
        default: Some("{ lognormal: { median: 30ms, p99: 200ms } }"),
        example: "{ lognormal: { median: 30ms, p99: 200ms } }",
        doc: "How long a write (PUT) takes.",
    },
    Field {
        key: "write_ops",
        ty: Type::Words,
        required: false,
        default: Some("[write]"),
        example: "[write]",
        doc: "Operations that write; the others read.",
    },
    Field {
        key: "error_rate",
        ty: Type::Fraction,
        required: false,
        default: Some("0%"),
        example: "0.01%",
        doc: "Share of requests answered with an error (throttling, 5xx).",
    },
    Field {
        key: "storage",
        ty: Type::Size,
        required: false,
        default: Some("0GB"),
        example: "1TB",
        doc: "Data stored (priced per GB-month).",
    },
    REGION,
    ZONE,
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const OBJECT_STORE: KindDecl = KindDecl {
    name: "object_store",
    summary: "blob storage (S3, GCS): a latency per read and write, billed per request and GB",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: ANY_COMPONENT_FAULTS,
    cost: Cost {
        category: "object_storage",
        price_keys: &[
            "object_store_per_million_reads",
            "object_store_per_million_writes",
            "object_store_per_gb_month",
        ],
    },
    look: Look {
        base_name: "blobs",
        icon: "▤",
        template: &[("storage", "100GB")],
    },
};
