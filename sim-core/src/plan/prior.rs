//! What is known of each candidate before simulating it: its cost (the objective, and the search
//! order), the analytic model's bottleneck at each load (the only ground for pruning), and the
//! loader's verdict on the candidate's text.

use super::search::Prior;
use super::space::{Space, at_load};

/// The prior of every candidate, in grid order.
pub fn priors(space: &Space) -> Vec<Prior> {
    (0..space.len()).map(|i| prior(space, i)).collect()
}

/// The prior of candidate `i`.
pub fn prior(space: &Space, i: usize) -> Prior {
    match space.scenario(i) {
        Err(e) => Prior {
            cost: f64::INFINITY,
            cost_exact: true,
            bottleneck: vec![None; space.spec.loads.len()],
            invalid: Some(e),
        },
        Ok(s) => {
            let base = crate::analytic::analyse(&s);
            let bottleneck = space
                .spec
                .loads
                .iter()
                .map(|&f| {
                    let a = crate::analytic::analyse(&at_load(&s, f));
                    provable_bottleneck(&s, &a)
                })
                .collect();
            Prior {
                cost: base.usd_per_month,
                cost_exact: base.cost_exact,
                bottleneck,
                invalid: None,
            }
        }
    }
}

/// The component whose utilisation bound is highest, among those whose bound the model can
/// vouch for, and that bound. A bound of 1 or more proves the candidate overloaded; this is all
/// the planner prunes on, so it must not overstate:
/// - the bound is the model's `utilization_floor`: the work each request brings with no
///   waiting anywhere downstream, so no queueing approximation can inflate it;
/// - capacity counts an autoscaled component at its `autoscale.max`, the most it can have;
/// - a component behind a cache whose hit ratio emerges from keys and capacity gets its
///   arrivals from the model's estimate of that hit ratio, so it is not used.
fn provable_bottleneck(
    s: &crate::Scenario,
    a: &crate::analytic::Analysis,
) -> Option<(String, f64)> {
    let estimated = behind_emergent_caches(s);
    let mut best: Option<(String, f64)> = None;
    for (i, (c, m)) in s.components.iter().zip(&a.components).enumerate() {
        if m.servers.is_none() || estimated[i] {
            continue;
        }
        let scale = c.autoscale.as_ref().map_or(1.0, |x| {
            c.station.replicas.max(1) as f64 / (x.max.max(c.station.replicas).max(1)) as f64
        });
        let u = m.utilization_floor * scale;
        if best.as_ref().is_none_or(|(_, b)| u > *b) {
            best = Some((c.name.clone(), u));
        }
    }
    best
}

/// Components reachable from the miss path of a cache whose hit ratio emerges.
fn behind_emergent_caches(s: &crate::Scenario) -> Vec<bool> {
    use crate::scenario::{CacheModel, ComponentKind};
    let mut behind = vec![false; s.components.len()];
    let mut stack: Vec<usize> = s
        .components
        .iter()
        .filter_map(|c| match &c.kind {
            ComponentKind::Cache(k) if matches!(k.model, CacheModel::Keys { .. }) => k.on_miss,
            _ => None,
        })
        .collect();
    while let Some(c) = stack.pop() {
        if std::mem::replace(&mut behind[c], true) {
            continue;
        }
        stack.extend(s.components[c].edges().into_iter().map(|(to, _, _)| to));
    }
    behind
}
