//! Time-series windows: at each window's end, every workload's and component's figures over it
//! are written as a row, and time-varying rate profiles take their next rate.

use super::event_queue::EventKind;
use super::kind_state::KindRt;
use super::run::{Run, WindowStats};
use crate::scenario::RateProfile;
use crate::stats::timeseries::{ComponentPoint, WorkloadPoint};

impl Run<'_> {
    /// Closes the current time-series window and, on its boundary, updates rate profiles.
    pub(super) fn close_window(&mut self) {
        let now = self.now;
        let window_len =
            (now - self.series.workloads.len() as u64 * self.series.window).max(1) as f64;
        let mut ws = Vec::with_capacity(self.workloads.len());
        for w in &mut self.workloads {
            ws.push(WorkloadPoint {
                completed: w.window_completed,
                failed: w.window_failed,
                p50_ns: w.window_latency.quantile_ns(0.5),
                p99_ns: w.window_latency.quantile_ns(0.99),
            });
            w.window_completed = 0;
            w.window_failed = 0;
            w.window_latency.reset();
        }
        let mut cs = Vec::with_capacity(self.services.len());
        for s in &mut self.services {
            let readings = s.readings(now);
            let area = readings.since(s.window_from);
            s.window_from = readings;
            let pool = s.pool(&self.instances);
            let up = pool.iter().filter(|i| i.up()).count() as u32;
            let mut point = ComponentPoint {
                busy_mean: area.busy as f64 / window_len,
                in_system_mean: area.in_system as f64 / window_len,
                // Mean slots serving over the window, so utilisation follows instances as they
                // come and go within it.
                capacity: if s.capacity == u32::MAX {
                    0.0
                } else {
                    area.serving as f64 / window_len * s.capacity as f64
                },
                instances: up,
                rejected: s.window.rejected,
                failed: s.window.failed,
                queued: pool.iter().map(|i| i.queue.len() as u64).sum(),
                hit_ratio: f64::NAN,
                lag_ns: 0.0,
            };
            match &mut s.kind {
                KindRt::Cache(c) => {
                    let n = c.window_hits + c.window_misses;
                    point.hit_ratio = if n == 0 {
                        f64::NAN
                    } else {
                        c.window_hits as f64 / n as f64
                    };
                    c.window_hits = 0;
                    c.window_misses = 0;
                }
                KindRt::Broker(q) => {
                    point.queued = q.depth() as u64;
                    point.lag_ns = q.lag(now) as f64;
                }
                KindRt::Database(db) => point.lag_ns = db.lag_now(now) as f64,
                KindRt::Function(f) => {
                    // Instances alive: busy ones plus those kept warm.
                    point.instances = s.busy.level() as u32 + f.expire(now) as u32;
                    point.capacity = 0.0;
                }
                KindRt::Plain | KindRt::Balancer(_) | KindRt::ObjectStore(_) => {}
            }
            cs.push(point);
            s.window = WindowStats::default();
        }
        self.series.workloads.push(ws);
        self.series.components.push(cs);
        let next = now + self.series.window;
        if next < self.end && !self.finished {
            self.queue.schedule(next, EventKind::Window);
        }
        for w in (0..self.workloads.len()).map(super::ids::WorkloadId::new) {
            if !matches!(self.workloads[w].profile, RateProfile::Constant) {
                self.reschedule_arrival(w);
            }
        }
    }
}
