//! Replay of a finished run: the report's time series (`timeseries`, one value per window) read
//! per component, so the graph can show each component's state in a chosen window, and the
//! faults active in it.

use crate::graph::State;
use sim_core::Report;

/// A run's time series as the replay reads them.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    pub window_s: f64,
    /// The start of each window, in seconds from the start of the run (warm-up included).
    pub start_s: Vec<f64>,
    /// The components of the run, with their state per window.
    pub states: Vec<(String, Vec<State>)>,
    /// (what, start, end) of each fault; no end: to the end of the run.
    pub faults: Vec<(String, f64, Option<f64>)>,
}

/// Window `i` of a series (0 where the series has no finite value).
fn at(v: &[f64], i: usize) -> f64 {
    v.get(i).copied().filter(|x| x.is_finite()).unwrap_or(0.0)
}

impl Replay {
    /// From the report. `None` when the report has no time series.
    pub fn of(r: &Report) -> Option<Replay> {
        let ts = &r.timeseries;
        let start_s = ts.start_s.clone();
        if start_s.is_empty() {
            return None;
        }
        let states = ts
            .components
            .iter()
            .map(|(name, c)| {
                let s = (0..start_s.len())
                    .map(|i| State {
                        utilization: at(&c.utilization, i),
                        // `failed_rps` already counts the rejected (`rejected_rps` is a part of it).
                        errors_rps: at(&c.failed_rps, i),
                        instances: at(&c.instances, i),
                    })
                    .collect();
                (name.clone(), s)
            })
            .collect();
        let faults = r
            .faults
            .iter()
            .map(|f| (f.fault.clone(), f.start_s, f.end_s))
            .collect();
        Some(Replay {
            window_s: ts.window_s,
            start_s,
            states,
            faults,
        })
    }

    pub fn windows(&self) -> usize {
        self.start_s.len()
    }

    /// The state in window `w` of each named component (`None`: not in the run).
    pub fn at<'a>(&self, w: usize, names: impl IntoIterator<Item = &'a str>) -> Vec<Option<State>> {
        names
            .into_iter()
            .map(|n| {
                let (_, s) = self.states.iter().find(|(name, _)| name == n)?;
                s.get(w).copied()
            })
            .collect()
    }

    /// The faults active during window `w` (overlapping it).
    pub fn faults_at(&self, w: usize) -> Vec<&str> {
        let Some(&t0) = self.start_s.get(w) else {
            return Vec::new();
        };
        let t1 = t0 + self.window_s;
        self.faults
            .iter()
            .filter(|(_, s, e)| *s < t1 && e.is_none_or(|e| e > t0))
            .map(|(f, _, _)| f.as_str())
            .collect()
    }
}

/// A time as m:ss (or h:mm:ss).
pub fn clock(s: f64) -> String {
    let t = s.max(0.0).floor() as u64;
    if t >= 3600 {
        format!("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
    } else {
        format!("{:02}:{:02}", t / 60, t % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failover_replays_with_its_outage() {
        let e = crate::examples::find("dns-ttl-region-failover.yaml").unwrap();
        let l = sim_core::load(e.yaml.as_bytes()).unwrap();
        let v = sim_core::simulate(&l.scenario).unwrap();
        let names: Vec<&str> = l
            .scenario
            .components
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let r = Replay::of(&v).unwrap();
        assert!(r.windows() > 10);
        assert_eq!(r.states.len(), names.len());
        let east = l.scenario.component_id("api_east").unwrap();
        let (before, during) = (
            r.start_s.iter().position(|&t| t >= 100.0).unwrap(),
            r.start_s.iter().position(|&t| t >= 400.0).unwrap(),
        );
        assert!(r.faults_at(before).is_empty());
        assert_eq!(r.faults_at(during), ["region_outage us-east"]);
        assert!(r.at(before, names.clone())[east].unwrap().instances > 0.0);
        assert_eq!(r.at(during, names.clone())[east].unwrap().instances, 0.0);
        assert_eq!(r.at(0, ["not_in_the_run"]), [None]);
        // The error badge counts each failed request once: `failed_rps` includes the rejected.
        let mut rejections = 0;
        for (i, name) in names.iter().enumerate() {
            let c = &v.timeseries.components[*name];
            for w in 0..r.windows() {
                let (failed, rejected) = (c.failed_rps[w], c.rejected_rps[w]);
                assert!(
                    rejected <= failed + 1e-9,
                    "{name} {w}: {rejected} > {failed}"
                );
                assert_eq!(r.at(w, names.clone())[i].unwrap().errors_rps, failed);
                rejections += usize::from(rejected > 0.0);
            }
        }
        assert!(rejections > 0, "some window has rejections to count");
        assert_eq!(clock(305.2), "05:05");
        assert_eq!(clock(3725.0), "1:02:05");
    }
}
