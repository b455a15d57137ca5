//! `cache`: a lookup that answers hits and sends misses on; a fixed hit ratio, or keys drawn from a
//! Zipf law over an LRU store whose hit ratio emerges.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};
use crate::scenario::ranges;

const FIELDS: &[Field] = &[
    INSTANCE,
    PRICING,
    KIND,
    Field {
        key: "hit_ratio",
        ty: Type::Fraction,
        required: false,
        default: None,
        example: "80%",
        doc: "A fixed share of hits (or give `keys` for a hit ratio that emerges).",
    },
    Field {
        key: "keys",
        ty: Type::Count {
            min: ranges::CACHE_KEYS.min,
            max: Some(ranges::CACHE_KEYS.max),
        },
        required: false,
        default: None,
        example: "100000",
        doc: "The key space requests draw from (the key model, instead of `hit_ratio`).",
    },
    Field {
        key: "capacity",
        ty: Type::Count {
            min: ranges::CACHE_KEYS.min,
            max: Some(ranges::CACHE_KEYS.max),
        },
        required: false,
        default: None,
        example: "10000",
        doc: "Entries it holds, least recently used evicted first (default: every key).",
    },
    Field {
        key: "ttl",
        ty: Type::Duration,
        required: false,
        default: None,
        example: "60s",
        doc: "How long an entry stays valid (default: forever).",
    },
    Field {
        key: "zipf",
        ty: Type::Number { min: 0.0, max: 5.0 },
        required: false,
        default: Some("1.0"),
        example: "1.0",
        doc: "Exponent of the Zipf law keys are drawn from (0: uniform).",
    },
    Field {
        key: "on_miss",
        ty: Type::Component,
        required: false,
        default: None,
        example: "db",
        doc: "What a miss calls; its answer is stored.",
    },
    Field {
        key: "service_time",
        ty: Type::Distribution,
        required: false,
        default: Some("0.5ms"),
        example: "0.5ms",
        doc: "The lookup's own work.",
    },
    REPLICAS,
    Field {
        key: "concurrency",
        ty: CONCURRENCY_RANGE,
        required: false,
        default: Some("unlimited"),
        example: "1000",
        doc: "Lookups one instance serves at once.",
    },
    REGION,
    ZONE,
    ZONES,
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const CACHE: KindDecl = KindDecl {
    name: "cache",
    summary: "answers hits, sends misses on: a fixed hit ratio, or an LRU over Zipf keys",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: &[
        "instance_crash",
        "spot_reclaim",
        "latency",
        "errors",
        "bad_deploy",
        "cache_flush",
    ],
    cost: Cost {
        category: "cache",
        price_keys: &[],
    },
    look: Look {
        base_name: "cache",
        icon: "⚡",
        template: &[("hit_ratio", "80%"), ("on_miss", "{target}")],
    },
};
