//! Loading a database's `replication:` mode, with `write_quorum` and `read_quorum` for
//! `replication: quorum`, and the checks they need (quorums within the node count, quorums only
//! with `quorum`, a write quorum too small to survive a failover without losing writes).

use super::Replication;
use super::load::{Fields, Loader};
use crate::diagnostic::Diagnostic;

impl Loader {
    /// `replication`, `write_quorum` and `read_quorum` of a database with `nodes` nodes.
    pub(super) fn replication(&mut self, f: &Fields, nodes: u32) -> Option<Replication> {
        let mode = match f.get("replication") {
            None => "async",
            Some(v) => match self.scalar(v, "`sync`, `async` or `quorum`")? {
                m @ ("sync" | "async" | "quorum") => m,
                other => {
                    self.err(
                        v.span,
                        format!(
                            "unknown replication `{other}`; expected `sync`, `async` or `quorum`"
                        ),
                    );
                    return None;
                }
            },
        };
        if mode != "quorum" {
            for key in ["write_quorum", "read_quorum"] {
                if let Some(v) = f.get(key) {
                    self.diags.push(
                        Diagnostic::error(
                            v.span,
                            format!("`{key}` applies only to `replication: quorum` (this database replicates `{mode}`)"),
                        )
                        .with_help("add `replication: quorum`, or remove the quorum"),
                    );
                    return None;
                }
            }
            return Some(if mode == "sync" {
                Replication::Sync
            } else {
                Replication::Async
            });
        }
        let majority = Replication::majority(nodes);
        let write = self.quorum(f, "write_quorum", nodes, majority)?;
        let read = self.quorum(f, "read_quorum", nodes, 1)?;
        if write + majority <= nodes
            && let Some(v) = f.get("write_quorum")
        {
            self.diags.push(
                Diagnostic::warning(
                    v.span,
                    format!(
                        "a write quorum of {write} of {nodes} nodes: a majority elected after the primary is lost may lack acknowledged writes"
                    ),
                )
                .with_help(format!("a write quorum of at least {} keeps every acknowledged write (a majority is {majority})", nodes + 1 - majority)),
            );
        }
        Some(Replication::Quorum { write, read })
    }

    /// One quorum: a node count from 1 to `nodes`, `default` when absent.
    fn quorum(&mut self, f: &Fields, key: &str, nodes: u32, default: u32) -> Option<u32> {
        let Some(v) = f.get(key) else {
            return Some(default);
        };
        let q = self.integer(v, &format!("`{key}` (nodes)"), 1, u64::MAX)?;
        if q > u64::from(nodes) {
            self.diags.push(
                Diagnostic::error(
                    v.span,
                    format!("`{key}` is {q} but the database has {nodes} nodes (the primary and its replicas)"),
                )
                .with_help(format!("expected a whole number from 1 to {nodes}")),
            );
            return None;
        }
        Some(q as u32)
    }
}
