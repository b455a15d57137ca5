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
                    a.bottleneck()
                        .map(|(c, u)| (s.components[c].name.clone(), u))
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
