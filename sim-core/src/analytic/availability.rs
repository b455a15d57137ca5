//! Steady-state availability from `mtbf`/`mttr`: an instance is up a share mtbf / (mtbf + mttr)
//! of the time, instances fail independently, and a component answers while at least k of its n
//! instances are up (k = 1: any instance serves; a database needs its primary, or with automatic
//! failover any node). A workload's request fails when a component it visits is down: with visit
//! probability v at a component of availability A, it survives that component with probability
//! 1 - min(v, 1) (1 - A); components in series multiply, and the share of requests answered well
//! without failures (error rates, refusals) multiplies too.

use super::ComponentModel;
use super::flows::Model;
use super::queueing::positive;
use crate::scenario::{ComponentKind, Scenario};

/// Share of the time one instance with these failures is up.
pub fn instance(mtbf_s: f64, mttr_s: f64) -> f64 {
    if !positive(mtbf_s) {
        return 0.0;
    }
    mtbf_s / (mtbf_s + mttr_s.max(0.0))
}

/// Probability that at least `k` of `n` independent parts, each up with probability `a`, are up.
pub fn k_of_n(k: u32, n: u32, a: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    let a = a.clamp(0.0, 1.0);
    // Sum over j = k..=n of C(n, j) a^j (1-a)^(n-j), term by term from j = n down.
    let mut term = libm::pow(a, n as f64);
    let mut total = term;
    for j in (k..n).rev() {
        // term(j) = term(j+1) * (j+1) / (n-j) * (1-a) / a
        if a <= 0.0 {
            term = 0.0;
        } else {
            term *= (j + 1) as f64 / (n - j) as f64 * (1.0 - a) / a;
        }
        total += term;
    }
    total.clamp(0.0, 1.0)
}

/// Parts in series: all must be up.
pub fn series(parts: &[f64]) -> f64 {
    parts.iter().product()
}

/// Parts in parallel: one is enough.
pub fn parallel(parts: &[f64]) -> f64 {
    1.0 - parts.iter().map(|a| 1.0 - a).product::<f64>()
}

/// Steady-state availability of a component (1 without `mtbf`).
pub fn component(s: &Scenario, c: usize) -> f64 {
    let comp = &s.components[c];
    let Some(f) = comp.failures else { return 1.0 };
    let a = instance(f.mtbf as f64 / 1e9, f.mttr as f64 / 1e9);
    let n = comp.station.replicas.max(1);
    match &comp.kind {
        ComponentKind::Database(d) if d.failover.is_none_or(|f| !f.automatic) => a,
        ComponentKind::Database(_)
        | ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::LoadBalancer(_)
        | ComponentKind::Dns(_)
        | ComponentKind::Cache(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => k_of_n(1, n, a),
    }
}

/// A workload's availability: answered well without failures, times surviving each component it
/// visits (see the module docs).
pub fn workload(m: &Model, w: usize, components: &[ComponentModel]) -> f64 {
    let entry = m.s.workloads[w].entry;
    m.mix(w)
        .iter()
        .map(|&(slot, p)| {
            let down: f64 = components
                .iter()
                .enumerate()
                .map(|(c, cm)| 1.0 - m.visits[w][slot][c].min(1.0) * (1.0 - cm.availability))
                .product();
            p * m.ok[slot][entry] * down
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_of_n_is_the_binomial_tail() {
        let a: f64 = 0.9;
        assert!((k_of_n(1, 3, a) - (1.0 - 0.1_f64.powi(3))).abs() < 1e-15);
        assert!((k_of_n(3, 3, a) - a.powi(3)).abs() < 1e-15);
        // 2 of 3: a^3 + 3 a^2 (1 - a).
        assert!((k_of_n(2, 3, a) - (a.powi(3) + 3.0 * a * a * (1.0 - a))).abs() < 1e-15);
        assert_eq!(k_of_n(4, 3, a), 0.0);
        assert!((series(&[0.99, 0.9]) - 0.891).abs() < 1e-15);
        assert!((parallel(&[0.9, 0.9]) - 0.99).abs() < 1e-15);
        assert!((instance(999.0, 1.0) - 0.999).abs() < 1e-15);
    }
}
