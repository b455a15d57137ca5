//! `database`: a primary and replicas (its nodes, in promotion order) with connection pools,
//! replication (async, sync or quorum), failover and backups.

use super::common::*;
use super::{Cost, Field, KindDecl, Look, Type, keys};

const fn dist(key: &'static str, default: &'static str, doc: &'static str) -> Field {
    Field {
        key,
        ty: Type::Distribution,
        required: false,
        default: Some(default),
        example: default,
        doc,
    }
}

const FIELDS: &[Field] = &[
    INSTANCE,
    PRICING,
    Field {
        key: "storage",
        ty: Type::Size,
        required: false,
        default: Some("0GB"),
        example: "100GB",
        doc: "Data stored on each node (priced per GB-month, and again for backups).",
    },
    KIND,
    Field {
        key: "primary",
        ty: Type::Block("node_place"),
        required: false,
        default: None,
        example: "{ region: us-east, zone: a }",
        doc: "Where the primary runs: `{ region, zone }`.",
    },
    Field {
        key: "replicas",
        ty: Type::Block("database_replicas"),
        required: false,
        default: Some("0"),
        example: "1",
        doc: "Replicas, in promotion order: a count, or a list of `{ region, zone }`.",
    },
    Field {
        key: "replication",
        ty: Type::Choice(&["async", "sync", "quorum"]),
        required: false,
        default: Some("async"),
        example: "async",
        doc: "When a write is acknowledged: after the primary, every live replica, or a quorum.",
    },
    Field {
        key: "write_quorum",
        ty: Type::Count { min: 1, max: None },
        required: false,
        default: None,
        example: "2",
        doc: "`quorum` only: nodes that apply a write before its ack (default a majority).",
    },
    Field {
        key: "read_quorum",
        ty: Type::Count { min: 1, max: None },
        required: false,
        default: None,
        example: "1",
        doc: "`quorum` only: nodes a read waits for (default 1).",
    },
    dist(
        "lag",
        "{ exponential: 10ms }",
        "Shipping delay of one write to a replica.",
    ),
    Field {
        key: "apply_time",
        ty: Type::Distribution,
        required: false,
        default: None,
        example: "2ms",
        doc: "A replica's work to apply one write, in order (default: `write_time`).",
    },
    Field {
        key: "pool",
        ty: Type::Count {
            min: 1,
            max: Some(100_000),
        },
        required: false,
        default: Some("100"),
        example: "100",
        doc: "Connections per node: requests one node serves at once.",
    },
    dist("read_time", "{ exponential: 2ms }", "Work of one read."),
    dist(
        "write_time",
        "{ exponential: 5ms }",
        "Work of one write at the primary.",
    ),
    Field {
        key: "reads",
        ty: Type::Choice(&["primary", "replicas", "nearest"]),
        required: false,
        default: Some("primary"),
        example: "replicas",
        doc: "Which nodes serve reads.",
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
        key: "failover",
        ty: Type::Block("failover"),
        required: false,
        default: None,
        example: "{ detection: 30s, promotion: 60s, automatic: true }",
        doc: "Promoting a replica when the primary dies (a quorum elects one without it).",
    },
    Field {
        key: "backup",
        ty: Type::Block("backup"),
        required: false,
        default: None,
        example: "{ interval: 24h, restore_time: 2h }",
        doc: "Backups to restore from when no replica is left.",
    },
    Field {
        key: "queue_limit",
        ty: Type::Count {
            min: 0,
            max: Some(1_000_000_000),
        },
        required: false,
        default: None,
        example: "100",
        doc: "Requests that may wait for a connection at one node; beyond it they are rejected.",
    },
    MTBF,
    MTTR,
    DESCRIPTION,
];

pub const DATABASE: KindDecl = KindDecl {
    name: "database",
    summary: "a primary and replicas: pools, replication lag, quorums, failover, backups",
    fields: FIELDS,
    keys: &keys::<{ FIELDS.len() }>(FIELDS),
    faults: &[
        "instance_crash",
        "spot_reclaim",
        "latency",
        "errors",
        "bad_deploy",
        "replication_lag",
    ],
    cost: Cost {
        category: "database",
        price_keys: &["storage_per_gb_month", "backup_per_gb_month"],
    },
    look: Look {
        base_name: "db",
        icon: "⛁",
        template: &[
            ("replicas", "1"),
            ("read_time", "{ exponential: 2ms }"),
            ("write_time", "{ exponential: 5ms }"),
        ],
    },
};
