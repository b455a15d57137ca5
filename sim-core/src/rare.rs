//! Rare events flagged: an availability figure that rests on too few of the events that make it.
//!
//! With random failures (`mtbf`/`mttr`), a replicated component is unavailable only while every
//! instance is down, and that may happen once in years of simulated time. An availability figure
//! measured over a handful of such events has a confidence interval that looks precise (the
//! replications agree: most saw none) while it cannot resolve the thing it measures. So where a
//! component on a workload's path (while its user waits) saw fewer than [`MIN_EVENTS`] failures
//! that left it with no instance serving, across all replications, the report warns
//! `rare_events`, and every availability SLO of the workloads through it is `inconclusive` (a
//! saturated component, judged after, still makes it fail): run longer or more replications, or compare with
//! the closed form. Ten is where a Poisson count's relative error, 1/sqrt(n), drops to about a
//! third.

use crate::report::{Report, SloReport, Verdict, Warning};
use crate::scenario::Scenario;
use crate::slo::Metric;

/// Fewer events than this, across all replications, make a figure rest on rare events.
pub const MIN_EVENTS: u64 = 10;

/// A component with random failures whose outages are too few to measure an availability by.
#[derive(Clone, Debug, PartialEq)]
pub struct Rare {
    pub component: usize,
    /// Failures that left it with no instance serving, across all replications.
    pub events: u64,
    /// Of its instances' failures, those while another one was down.
    pub overlapping: u64,
    pub failures: u64,
    /// The workloads whose requests reach it while their users wait.
    pub workloads: Vec<usize>,
}

/// The components, in scenario order, with random failures and too few outages, that some
/// workload's requests reach.
pub fn detect(s: &Scenario, r: &Report) -> Vec<Rare> {
    let paths = crate::saturation::paths(s);
    s.components
        .iter()
        .enumerate()
        .filter_map(|(c, comp)| {
            let f = r.components.get(&comp.name)?.failures?;
            let workloads: Vec<usize> = (0..s.workloads.len()).filter(|&w| paths[w][c]).collect();
            (f.all_down < MIN_EVENTS && !workloads.is_empty()).then_some(Rare {
                component: c,
                events: f.all_down,
                overlapping: f.overlapping,
                failures: f.random,
                workloads,
            })
        })
        .collect()
}

/// The `rare_events` warning of one component.
pub fn warning(s: &Scenario, x: &Rare) -> Warning {
    let name = &s.components[x.component].name;
    let through: Vec<String> = x
        .workloads
        .iter()
        .map(|&w| format!("`{}`", s.workloads[w].name))
        .collect();
    Warning {
        code: "rare_events".into(),
        message: format!(
            "the availability of {} rests on {} time{} `{name}` had no instance serving ({} failures, {} of them while another instance was down), fewer than {MIN_EVENTS} across all replications: the figure cannot resolve such outages, and its interval understates the uncertainty; run longer or more replications, or use the closed form",
            through.join(", "),
            x.events,
            if x.events == 1 { "" } else { "s" },
            x.failures,
            x.overlapping
        ),
        component: Some(name.clone()),
        workload: None,
    }
}

/// Makes the availability SLOs of the workloads through a rare-event component `inconclusive`.
pub fn apply(s: &Scenario, rare: &[Rare], slos: &mut [SloReport]) {
    for (slo, r) in s.slos.iter().zip(slos.iter_mut()) {
        let w = match &slo.metric {
            Metric::Availability(w) => w,
            Metric::Latency(..)
            | Metric::Throughput(_)
            | Metric::Utilization(_)
            | Metric::Cost
            | Metric::Rto(_)
            | Metric::Rpo(_) => continue,
        };
        let Some(wi) = s.workloads.iter().position(|x| &x.name == w) else {
            continue;
        };
        if let Some(x) = rare.iter().find(|x| x.workloads.contains(&wi)) {
            r.verdict = Verdict::Inconclusive;
            r.note = Some(format!(
                "inconclusive: rests on {} outage{} of `{}` (fewer than {MIN_EVENTS} across all replications); run longer or more replications",
                x.events,
                if x.events == 1 { "" } else { "s" },
                s.components[x.component].name
            ));
        }
    }
}
