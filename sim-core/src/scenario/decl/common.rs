//! Fields several kinds share, declared once: the kind itself, placement, random failures, the
//! instance type and how it is paid for.

use super::{Field, Type};
use crate::scenario::ranges;

/// `kind:`.
pub const KIND: Field = Field {
    key: "kind",
    ty: Type::Kind,
    required: true,
    default: None,
    example: "service",
    doc: "Which kind of component this is.",
};

pub const DESCRIPTION: Field = Field {
    key: "description",
    ty: Type::Text,
    required: false,
    default: None,
    example: "\"\"",
    doc: "Free text for readers; the simulation ignores it.",
};

pub const REGION: Field = Field {
    key: "region",
    ty: Type::Place,
    required: false,
    default: None,
    example: "us-east",
    doc: "The region its instances run in (one of `regions`).",
};

pub const ZONE: Field = Field {
    key: "zone",
    ty: Type::Place,
    required: false,
    default: None,
    example: "a",
    doc: "The zone of its region its instances run in.",
};

pub const ZONES: Field = Field {
    key: "zones",
    ty: Type::Zones,
    required: false,
    default: None,
    example: "[a, b]",
    doc: "Zones of its region the instances are spread over, in turn.",
};

pub const MTBF: Field = Field {
    key: "mtbf",
    ty: Type::Duration,
    required: false,
    default: None,
    example: "30d",
    doc: "Mean time between random failures of one instance (exponential); none without it.",
};

pub const MTTR: Field = Field {
    key: "mttr",
    ty: Type::Duration,
    required: false,
    default: None,
    example: "10m",
    doc: "Mean time to repair a failed instance (exponential).",
};

pub const INSTANCE: Field = Field {
    key: "instance",
    ty: Type::Text,
    required: false,
    default: None,
    example: "m5.large",
    doc: "An instance type of the price book (`m5.xlarge`): what one instance costs an hour.",
};

pub const PRICING: Field = Field {
    key: "pricing",
    ty: Type::Choice(&["on_demand", "reserved_1y", "reserved_3y", "spot"]),
    required: false,
    default: Some("on_demand"),
    example: "on_demand",
    doc: "How the instances are paid for.",
};

/// `replicas` of a station (service, cache).
pub const REPLICAS: Field = Field {
    key: "replicas",
    ty: Type::Count {
        min: ranges::REPLICAS.min,
        max: Some(ranges::REPLICAS.max),
    },
    required: false,
    default: Some("1"),
    example: "2",
    doc: "Instances.",
};

/// The upper bound of `concurrency`.
pub const CONCURRENCY_RANGE: Type = Type::CountOrUnlimited {
    min: ranges::CONCURRENCY.min,
    max: Some(ranges::CONCURRENCY.max),
};

/// `queue_limit` of a station.
pub const QUEUE_LIMIT: Field = Field {
    key: "queue_limit",
    ty: Type::CountOrUnlimited {
        min: 0,
        max: Some(u32::MAX as u64 / 2),
    },
    required: false,
    default: Some("unlimited"),
    example: "100",
    doc: "Requests that may wait for a slot at one instance; beyond it they are rejected.",
};

/// `calls` of a service or function.
pub const CALLS: Field = Field {
    key: "calls",
    ty: Type::Block("calls"),
    required: false,
    default: None,
    example: "[db]",
    doc: "Synchronous calls made after the local work, in order (see Calls).",
};

/// The faults that may name a component of any kind (a kind with faults of its own lists these
/// and its own).
pub const ANY_COMPONENT_FAULTS: &[&str] = &[
    "instance_crash",
    "spot_reclaim",
    "latency",
    "errors",
    "bad_deploy",
];
