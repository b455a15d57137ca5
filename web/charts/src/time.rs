//! Reading the report's time series: the run's clock (window starts and ends, the warm-up, the
//! fault periods as shaded bands) and series sampled on it, ready for [`crate::draw`].
//!
//! A non-finite value leaves a gap in its line (and reads as absent where the clock needs it, as
//! it would from the report's JSON, where it is `null`); a report without windows
//! (`timeseries.start_s` empty) gives no [`Time`] and so no charts over time.

use crate::draw::{Band, Figure, Panel};
use sim_core::Report;

/// Whether any finite value of `v` satisfies `f`.
pub fn any(v: &[f64], f: fn(f64) -> bool) -> bool {
    v.iter().any(|x| x.is_finite() && f(*x))
}

/// The run's clock, from the time series: window starts and ends, and the fault bands.
pub struct Time {
    starts: Vec<f64>,
    ends: Vec<f64>,
    end_s: f64,
    warmup_s: f64,
    bands: Vec<Band>,
}

impl Time {
    /// The clock of a report, or `None` when it has no time series.
    pub fn of(r: &Report) -> Option<Time> {
        let ts = &r.timeseries;
        let starts = ts.start_s.clone();
        let window = ts.window_s;
        if starts.is_empty() || !window.is_finite() || window <= 0.0 {
            return None;
        }
        let finite = |v: f64| Some(v).filter(|v| v.is_finite());
        let warmup_s = finite(r.warmup_s).unwrap_or(0.0);
        let last = starts[starts.len() - 1];
        let end_s = finite(r.simulated_s)
            .map(|m| m + warmup_s)
            .filter(|e| *e > last)
            .unwrap_or(last + window);
        let ends = starts.iter().map(|s| (s + window).min(end_s)).collect();
        let bands = r
            .faults
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                Some(Band {
                    label: format!("F{}", i + 1),
                    start_s: finite(f.start_s)?,
                    end_s: f.end_s.and_then(finite).unwrap_or(end_s).min(end_s),
                })
            })
            .collect();
        Some(Time {
            starts,
            ends,
            end_s,
            warmup_s,
            bands,
        })
    }

    fn mids(&self) -> impl Iterator<Item = f64> + '_ {
        self.starts
            .iter()
            .zip(&self.ends)
            .map(|(s, e)| (s + e) / 2.0)
    }

    /// A series sampled at window midpoints, split into runs where `keep` holds.
    pub fn at_mids(&self, values: &[f64], keep: fn(f64) -> bool) -> Vec<Vec<(f64, f64)>> {
        let mut segs: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut cur = Vec::new();
        for (x, &y) in self.mids().zip(values) {
            if y.is_finite() && keep(y) {
                cur.push((x, y));
            } else if !cur.is_empty() {
                segs.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            segs.push(cur);
        }
        segs
    }

    /// A series of values at each window's end, drawn as steps: each value holds from its
    /// window's end to the next one's (the first also covers the first window).
    pub fn steps(&self, values: &[f64]) -> Vec<Vec<(f64, f64)>> {
        let mut pts: Vec<(f64, f64)> = Vec::new();
        let mut prev = values.first().copied().unwrap_or(f64::NAN);
        for ((s, e), &y) in self.starts.iter().zip(&self.ends).zip(values) {
            if prev.is_finite() {
                pts.push((*s, prev));
                pts.push((*e, prev));
            }
            prev = y;
        }
        if let (Some(e), true) = (
            self.ends.get(values.len().saturating_sub(1)),
            prev.is_finite(),
        ) {
            pts.push((*e, prev));
        }
        vec![pts]
    }

    /// A figure over this clock: its panels, `width` by `height` pixels.
    pub fn figure(&self, panels: Vec<Panel>, width: u32, height: u32) -> Figure {
        Figure {
            end_s: self.end_s,
            warmup_s: self.warmup_s,
            faults: self.bands.clone(),
            panels,
            width,
            height,
        }
    }
}
