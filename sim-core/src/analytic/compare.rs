//! The analytic model beside the simulation: each figure both give, side by side, and an
//! `analytic_disagreement` warning wherever the simulated 95 % interval misses the model's figure
//! by more than a stated margin ([`MARGIN`] of the model's figure, at least the figure's floor),
//! naming the mechanisms the model leaves out there. Without replications there is no interval,
//! and no warning.

use super::Analysis;
use super::report::{ComponentAnalytic, WorkloadAnalytic};
use crate::report::{ComponentReport, Report, Warning, WorkloadReport};
use crate::scenario::Scenario;

/// The relative margin beyond the simulated interval before the model is said to disagree.
pub const MARGIN: f64 = 0.10;
/// Floors of the margin: utilisation (a share of slots), milliseconds, availability.
pub const FLOOR_UTILIZATION: f64 = 0.02;
pub const FLOOR_MS: f64 = 0.5;
pub const FLOOR_AVAILABILITY: f64 = 0.001;

/// One figure the simulation and the model both give, side by side: what the report's
/// `analytic_disagreement` warning checks, and what the browser's component detail shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// What it is, for people (`utilisation`, `mean time at the component`).
    pub name: &'static str,
    /// `""` for a fraction (utilisation, availability, hit ratio), `" ms"` for a time.
    pub unit: &'static str,
    pub simulated: f64,
    /// The simulated figure's 95 % interval (replicated runs only).
    pub ci95: Option<[f64; 2]>,
    pub model: f64,
    /// Whether the warning checks this figure (a margin is stated for it); the others are shown
    /// for information.
    pub checked: bool,
    floor: f64,
}

impl Comparison {
    /// The model's figure lies beyond the simulated interval by more than [`MARGIN`] of itself
    /// (at least the figure's floor). Never without an interval, and never for a figure the
    /// warning does not check.
    pub fn disagrees(&self) -> bool {
        let Some(ci) = self.ci95.filter(|_| self.checked) else {
            return false;
        };
        let margin = (MARGIN * self.model.abs()).max(self.floor);
        self.model < ci[0] - margin || self.model > ci[1] + margin
    }

    fn describe(&self) -> String {
        let ci = self.ci95.unwrap_or([f64::NAN; 2]);
        format!(
            "{} {}{u} (95 % CI {}..{}) against the model's {}{u}",
            self.name,
            round(self.simulated),
            round(ci[0]),
            round(ci[1]),
            round(self.model),
            u = self.unit
        )
    }
}

/// Four significant digits, for messages.
fn round(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (3 - libm::floor(libm::log10(x.abs())) as i32).max(0) as usize;
    format!("{x:.digits$}")
}

fn mechanisms_text(names: &[String]) -> String {
    if names.is_empty() {
        "none of the mechanisms the model leaves out is present here; see docs/analytic.md for what \
         it assumes"
            .to_string()
    } else {
        format!(
            "mechanisms the model does not capture here: {}",
            names.join(", ")
        )
    }
}

/// A component's simulated figures beside its `analytic` section: utilisation (for a component
/// with slots) and mean time at the component (checked), the wait for a slot and a cache's hit
/// ratio (shown). Empty without an `analytic` section.
pub fn compare_component(r: &ComponentReport) -> Vec<Comparison> {
    let Some(m) = &r.analytic else {
        return Vec::new();
    };
    let ci = r.ci95.as_ref();
    let mut v = Vec::new();
    if m.servers.is_some() {
        v.push(Comparison {
            name: "utilisation",
            unit: "",
            simulated: r.utilization,
            ci95: ci.map(|c| c.utilization),
            model: m.carried_utilization,
            checked: true,
            floor: FLOOR_UTILIZATION,
        });
    }
    if let Some(w) = m.wait_ms.filter(|_| m.servers.is_some() && r.completed > 0) {
        v.push(Comparison {
            name: "mean wait for a slot",
            unit: " ms",
            simulated: r.queue_wait_ms.mean,
            ci95: ci.map(|c| c.queue_wait_ms_mean),
            model: w,
            checked: false,
            floor: FLOOR_MS,
        });
    }
    if let Some(resp) = m.response_ms.filter(|_| r.completed > 0) {
        v.push(Comparison {
            name: "mean time at the component",
            unit: " ms",
            simulated: r.sojourn_ms.mean,
            ci95: ci.map(|c| c.sojourn_ms_mean),
            model: resp,
            checked: true,
            floor: FLOOR_MS,
        });
    }
    if let (Some(h), Some(c)) = (m.hit_ratio, &r.cache) {
        v.push(Comparison {
            name: "hit ratio",
            unit: "",
            simulated: c.hit_ratio,
            ci95: None,
            model: h,
            checked: false,
            floor: FLOOR_UTILIZATION,
        });
    }
    v
}

/// A workload's simulated availability and mean latency beside its `analytic` section (both
/// checked). Empty without an `analytic` section.
pub fn compare_workload(r: &WorkloadReport) -> Vec<Comparison> {
    let Some(m) = &r.analytic else {
        return Vec::new();
    };
    let ci = r.ci95.as_ref();
    let mut v = vec![Comparison {
        name: "availability",
        unit: "",
        simulated: r.availability,
        ci95: ci.map(|c| c.availability),
        model: m.availability,
        checked: true,
        floor: FLOOR_AVAILABILITY,
    }];
    if let Some(l) = m.latency_ms.filter(|_| r.completed > 0) {
        v.push(Comparison {
            name: "mean latency",
            unit: " ms",
            simulated: r.latency_ms.mean,
            ci95: ci.map(|c| c.latency_ms.mean),
            model: l,
            checked: true,
            floor: FLOOR_MS,
        });
    }
    v
}

/// Fills the report's `analytic` sections and returns the disagreement warnings, components
/// first (in scenario order), then workloads.
pub fn annotate(s: &Scenario, a: &Analysis, report: &mut Report) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (c, comp) in s.components.iter().enumerate() {
        let Some(r) = report.components.get_mut(&comp.name) else {
            continue;
        };
        let m = &a.components[c];
        r.analytic = Some(ComponentAnalytic::of(m));
        let off: Vec<String> = compare_component(r)
            .iter()
            .filter(|f| f.disagrees())
            .map(Comparison::describe)
            .collect();
        if !off.is_empty() {
            warnings.push(Warning {
                code: "analytic_disagreement".to_string(),
                message: format!(
                    "`{}`: simulated {}, beyond a {} % margin; {}",
                    comp.name,
                    off.join("; "),
                    MARGIN * 100.0,
                    mechanisms_text(&m.mechanisms)
                ),
                component: Some(comp.name.clone()),
                workload: None,
            });
        }
    }
    for (w, wl) in s.workloads.iter().enumerate() {
        let Some(r) = report.workloads.get_mut(&wl.name) else {
            continue;
        };
        let m = &a.workloads[w];
        r.analytic = Some(WorkloadAnalytic::of(m));
        let off: Vec<String> = compare_workload(r)
            .iter()
            .filter(|f| f.disagrees())
            .map(Comparison::describe)
            .collect();
        if !off.is_empty() {
            let mut names: Vec<String> = m
                .visited
                .iter()
                .flat_map(|&c| {
                    a.components[c]
                        .mechanisms
                        .iter()
                        .map(move |x| format!("{x} ({})", s.components[c].name))
                })
                .collect();
            names.sort();
            names.dedup();
            warnings.push(Warning {
                code: "analytic_disagreement".to_string(),
                message: format!(
                    "`{}`: simulated {}, beyond a {} % margin; {}",
                    wl.name,
                    off.join("; "),
                    MARGIN * 100.0,
                    mechanisms_text(&names)
                ),
                component: None,
                workload: Some(wl.name.clone()),
            });
        }
    }
    warnings
}
