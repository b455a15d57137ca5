//! Quorum replication at run time (`replication: quorum`): a write is acknowledged when the
//! `write_quorum`-th fastest live node (the primary included) has applied it; a read waits for
//! `read_quorum` nodes and sees the newest value among them; requests are refused while too few
//! nodes are up; a new primary is elected only while a majority is up, and it is the live node
//! with every acknowledged write, so none is lost.
//!
//! What it leaves out: a node that comes back catches up at once; the nodes a read or a
//! replicated write visits besides the one serving it spend no slot on it.

use super::ids::{ComponentId, InstanceId, JobId};
use super::kind_state::{KindRt, current};
use super::run::Run;
use crate::scenario::Replication;
use crate::time::SimTime;

impl Run<'_> {
    /// Nodes of database `component` that are up.
    fn db_live(&self, component: ComponentId) -> u32 {
        let s = &self.services[component];
        s.pool(&self.instances).iter().filter(|i| i.up()).count() as u32
    }

    /// A request reaching a quorum database is refused while fewer nodes are up than its
    /// operation's quorum.
    pub(super) fn quorum_refuses(&self, job: JobId) -> bool {
        let j = &self.jobs[job];
        let KindRt::Database(db) = &self.services[j.component].kind else {
            return false;
        };
        let Replication::Quorum { write, read } = db.replication else {
            return false;
        };
        let needed = if db.writes(j.op) { write } else { read };
        needed > 1 && self.db_live(j.component) < needed
    }

    /// A quorum read served at the job's node: it asks that node and the next `read - 1` live
    /// ones, waits for all of them, and is stale only if none of them has every acknowledged write.
    pub(super) fn quorum_read(&mut self, job: JobId, read: u32) -> SimTime {
        let j = self.jobs[job];
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[j.component].kind else {
            return 0;
        };
        let n = db.applied.len();
        let first = j.instance.since(db.first_instance) as usize;
        let mut asked = 0;
        let mut fresh = false;
        let mut slowest = 0;
        for k in 0..n {
            let node = (first + k) % n;
            if asked == read {
                break;
            }
            if k > 0 && !self.instances[db.first_instance.plus(node as u32)].up() {
                continue;
            }
            asked += 1;
            fresh |= current(db, node, now);
            slowest = slowest.max(db.read_time.sample(&mut db.rng));
        }
        db.stats.stale_reads += u64::from(j.measured && !fresh);
        slowest
    }

    /// A node of quorum database `component` came back while its primary was lost: with a
    /// majority up again, the old primary resumes if it is up, or an election that was waiting for
    /// a majority is held now.
    pub(super) fn quorum_node_up(&mut self, component: ComponentId, _instance: InstanceId) {
        let now = self.now;
        let live = self.db_live(component);
        let s = &self.services[component];
        let KindRt::Database(db) = &s.kind else {
            return;
        };
        if live < Replication::majority(db.applied.len() as u32) || db.pending.is_none() {
            return;
        }
        let primary_up = self.instances[db.first_instance.plus(db.primary)].up();
        let awaiting = db.awaiting_majority;
        let KindRt::Database(db) = &mut self.services[component].kind else {
            return;
        };
        if primary_up {
            // The old primary has every write it acknowledged: it leads again.
            db.pending = None;
            db.awaiting_majority = false;
            if let Some(f) = db.stats.failovers.last_mut() {
                f.how = super::result::FailoverHow::Manual;
                f.restored_at = Some(now);
            }
        } else if awaiting {
            db.awaiting_majority = false;
            db.promotion_gen = db.promotion_gen.wrapping_add(1);
            let generation = db.promotion_gen;
            self.queue.schedule(
                now,
                super::event_queue::EventKind::Promote {
                    component,
                    generation,
                },
            );
        }
    }
}
