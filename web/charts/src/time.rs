//! Reading the report's time series: the run's clock (window starts and ends, the warm-up, the
//! fault periods as shaded bands) and series sampled on it, ready for [`crate::draw`].
//!
//! Tolerant by design: a missing or non-numeric value reads as NaN and leaves a gap in its line;
//! a report without `timeseries` gives no [`Time`] and so no charts over time.

use crate::draw::{Band, Figure, Panel};
use serde_json::Value;

pub fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// The numbers of an array (anything else reads as NaN, which charts skip).
pub fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

/// The entries of an object, in key order (empty if `v` is not an object).
pub fn entries(v: &Value) -> Vec<(&String, &Value)> {
    v.as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}

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
    pub fn of(r: &Value) -> Option<Time> {
        let ts = &r["timeseries"];
        let starts = nums(&ts["start_s"]);
        let window = num(&ts["window_s"])?;
        if starts.is_empty() || window <= 0.0 {
            return None;
        }
        let warmup_s = num(&r["warmup_s"]).unwrap_or(0.0);
        let last = starts[starts.len() - 1];
        let end_s = num(&r["simulated_s"])
            .map(|m| m + warmup_s)
            .filter(|e| *e > last)
            .unwrap_or(last + window);
        let ends = starts.iter().map(|s| (s + window).min(end_s)).collect();
        let bands = r["faults"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .enumerate()
                    .filter_map(|(i, f)| {
                        let start_s = num(&f["start_s"])?;
                        Some(Band {
                            label: format!("F{}", i + 1),
                            start_s,
                            end_s: num(&f["end_s"]).unwrap_or(end_s).min(end_s),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
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
