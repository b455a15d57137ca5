//! Closed forms of single stations: Erlang B (loss), Erlang C (M/M/c waiting), the M/M/c/K queue
//! (waiting and loss with a finite room), and exact mean value analysis of a closed network with
//! Seidmann's treatment of multi-server stations. Times in seconds, rates per second.
//!
//! Each formula is written in its numerically stable form (Erlang B by its recursion, M/M/c/K by
//! ratios of consecutive state probabilities), so large pools (thousands of slots) stay finite.

/// Strictly positive (false for NaN): the guard of every formula here against empty input.
pub fn positive(x: f64) -> bool {
    x > 0.0
}

/// Erlang's B formula: the blocking probability of M/M/c/c offered `a` erlangs, by the recursion
/// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    if !positive(a) {
        return if c == 0 { 1.0 } else { 0.0 };
    }
    (1..=c).fold(1.0, |b, k| a * b / (k as f64 + a * b))
}

/// Erlang's C formula: the probability an arrival to M/M/c offered `a < c` erlangs waits;
/// `None` when `a >= c` (no steady state).
pub fn erlang_c(c: u32, a: f64) -> Option<f64> {
    if c == 0 || a >= c as f64 {
        return None;
    }
    if !positive(a) {
        return Some(0.0);
    }
    let b = erlang_b(c, a);
    Some(c as f64 * b / (c as f64 - a * (1.0 - b)))
}

/// What one station does in steady state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StationFigures {
    /// Mean wait for a slot of the admitted arrivals, seconds.
    pub wait_s: f64,
    /// Share of arrivals refused (the room is full).
    pub loss: f64,
}

/// M/M/c with Poisson arrivals `lambda` and mean service `service_s`: the Erlang C mean wait
/// Wq = C / (c mu - lambda); `None` when overloaded.
pub fn mmc(c: u32, lambda: f64, service_s: f64) -> Option<StationFigures> {
    if !positive(lambda) || !positive(service_s) {
        return Some(StationFigures {
            wait_s: 0.0,
            loss: 0.0,
        });
    }
    let a = lambda * service_s;
    let p_wait = erlang_c(c, a)?;
    let mu = 1.0 / service_s;
    Some(StationFigures {
        wait_s: p_wait / (c as f64 * mu - lambda),
        loss: 0.0,
    })
}

/// M/M/c/K (room for `k >= c` in all): the loss p_K and the mean wait of the admitted,
/// Wq = Lq / (lambda (1 - p_K)), from the birth-death balance p_{n+1} = p_n a / min(n+1, c).
pub fn mmck(c: u32, k: u32, lambda: f64, service_s: f64) -> StationFigures {
    let idle = StationFigures {
        wait_s: 0.0,
        loss: 0.0,
    };
    if !positive(lambda) || !positive(service_s) || c == 0 {
        return idle;
    }
    let k = k.max(c);
    let a = lambda * service_s;
    // Unnormalised probabilities relative to the largest seen, so that nothing overflows: first
    // the states 0..=c by their recursion, then the geometric tail c+1..=K of ratio r = a / c.
    let mut p = 1.0_f64;
    let mut total = 1.0_f64;
    let mut lq = 0.0_f64;
    for n in 1..=c {
        p *= a / n as f64;
        total += p;
        if total > 1e250 {
            p /= 1e250;
            total /= 1e250;
            lq /= 1e250;
        }
    }
    let pc = p;
    let r = a / c as f64;
    let m = (k - c) as f64;
    // Sum over j = 1..=m of r^j and of j r^j (queue lengths j beyond the c in service).
    let (geo, jgeo, last) = if (r - 1.0).abs() < 1e-12 {
        (m, m * (m + 1.0) / 2.0, 1.0)
    } else {
        let rm = libm::pow(r, m);
        let geo = r * (1.0 - rm) / (1.0 - r);
        let jgeo = r * (1.0 - (m + 1.0) * rm + m * rm * r) / ((1.0 - r) * (1.0 - r));
        (geo, jgeo, rm)
    };
    total += pc * geo;
    lq += pc * jgeo;
    let p_k = pc * last / total;
    let lq = lq / total;
    if !(total.is_finite() && p_k.is_finite() && lq.is_finite()) {
        // The room is huge and the load above one: every slot busy, the room full.
        return StationFigures {
            wait_s: m * service_s / c as f64,
            loss: 1.0 - 1.0 / r.max(1.0),
        };
    }
    let admitted = lambda * (1.0 - p_k);
    StationFigures {
        wait_s: if admitted > 0.0 { lq / admitted } else { 0.0 },
        loss: p_k,
    }
}

/// A station of a closed network for [`mva`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MvaStation {
    /// Visit ratio times mean service time per cycle, seconds.
    pub demand: f64,
    /// Servers; `None` is a delay (infinite-server) station.
    pub servers: Option<u32>,
}

/// The result of [`mva`].
#[derive(Clone, Debug, PartialEq)]
pub struct MvaResult {
    /// Cycles per second.
    pub throughput: f64,
    /// Mean residence per cycle at each station, seconds (demand included).
    pub residence: Vec<f64>,
}

/// Residence of station `st` given the mean queue `q` an arrival sees (Seidmann's pair for m > 1).
fn residence(st: &MvaStation, q: f64) -> f64 {
    match st.servers {
        None => st.demand,
        Some(m) => {
            let m = m.max(1) as f64;
            st.demand / m * (1.0 + q) + st.demand * (m - 1.0) / m
        }
    }
}

/// The part of a residence spent in the queueing part of a station (what customers queue behind).
fn queueing_part(st: &MvaStation, r: f64) -> f64 {
    match st.servers {
        None => 0.0,
        Some(m) => {
            let m = m.max(1) as f64;
            r - st.demand * (m - 1.0) / m
        }
    }
}

/// Iterations of Schweitzer's fixed point.
const SCHWEITZER_ROUNDS: u32 = 2_000;

/// MVA for `users` customers with think time `think_s`: exact (Reiser and Lavenberg) up to
/// `exact_users`, R_k(n) = D_k (1 + Q_k(n-1)) at queueing stations and D_k at delay stations,
/// X(n) = n / (Z + sum R); beyond, Schweitzer's approximation Q_k(N-1) = Q_k(N) (N-1)/N. A station
/// of m > 1 servers is Seidmann's pair (exact for m = 1): a single server of demand D/m in series
/// with a delay of D (m-1)/m.
pub fn mva(users: u32, think_s: f64, stations: &[MvaStation], exact_users: u32) -> MvaResult {
    let mut q = vec![0.0; stations.len()];
    let mut r = vec![0.0; stations.len()];
    let mut x = 0.0;
    let cycle = |n: f64, seen: &dyn Fn(f64) -> f64, q: &mut Vec<f64>, r: &mut Vec<f64>| {
        for (k, st) in stations.iter().enumerate() {
            r[k] = residence(st, seen(q[k]));
        }
        let total = think_s + r.iter().sum::<f64>();
        let x = if total > 0.0 { n / total } else { 0.0 };
        for (k, st) in stations.iter().enumerate() {
            q[k] = x * queueing_part(st, r[k]);
        }
        x
    };
    if users <= exact_users {
        for n in 1..=users {
            x = cycle(n as f64, &|qk| qk, &mut q, &mut r);
        }
    } else {
        let n = users as f64;
        let share = (n - 1.0) / n;
        for k in 0..q.len() {
            q[k] = n / q.len().max(1) as f64;
        }
        for _ in 0..SCHWEITZER_ROUNDS {
            x = cycle(n, &|qk| qk * share, &mut q, &mut r);
        }
    }
    MvaResult {
        throughput: x,
        residence: r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn erlang_b_and_c_textbook_values() {
        assert!(close(erlang_b(2, 1.0), 0.2, 1e-15));
        assert!(close(erlang_b(10, 5.0), 0.018_384, 1e-4));
        assert!(close(erlang_c(2, 1.0).unwrap(), 1.0 / 3.0, 1e-15));
        assert_eq!(erlang_c(2, 2.0), None);
        // M/M/1 at rho 0.8, E[S] 10 ms: Wq = rho / (mu - lambda) = 0.8 / 20 = 40 ms.
        let f = mmc(1, 80.0, 0.01).unwrap();
        assert!(close(f.wait_s, 0.04, 1e-12));
    }

    #[test]
    fn mmck_matches_its_state_by_state_distribution() {
        for (c, k, lambda, s) in [
            (1, 1, 50.0, 0.01),
            (2, 6, 150.0, 0.01),
            (4, 4, 500.0, 0.01),
            (3, 10, 200.0, 0.01),
        ] {
            let a: f64 = lambda * s;
            let mut p = vec![1.0_f64];
            for n in 1..=k {
                let prev = p[n as usize - 1];
                p.push(prev * a / n.min(c) as f64);
            }
            let total: f64 = p.iter().sum();
            let p: Vec<f64> = p.iter().map(|v| v / total).collect();
            let lq: f64 = p
                .iter()
                .enumerate()
                .map(|(n, v)| (n as f64 - c as f64).max(0.0) * v)
                .sum();
            let loss = p[k as usize];
            let f = mmck(c, k, lambda, s);
            assert!(close(f.loss, loss, 1e-10), "{c} {k}: {} vs {loss}", f.loss);
            assert!(close(
                f.wait_s.max(1e-300),
                (lq / (lambda * (1.0 - loss))).max(1e-300),
                1e-9
            ));
        }
        // K = c is Erlang B.
        assert!(close(
            mmck(10, 10, 500.0, 0.01).loss,
            erlang_b(10, 5.0),
            1e-12
        ));
    }

    #[test]
    fn mva_of_one_single_server_is_the_machine_repairman() {
        // One user: X = 1 / (Z + D).
        let r = mva(
            1,
            1.0,
            &[MvaStation {
                demand: 0.5,
                servers: Some(1),
            }],
            10_000,
        );
        assert!(close(r.throughput, 1.0 / 1.5, 1e-15));
        // Many users: X tends to 1 / D.
        let r = mva(
            200,
            1.0,
            &[MvaStation {
                demand: 0.5,
                servers: Some(1),
            }],
            10_000,
        );
        assert!(close(r.throughput, 2.0, 1e-9));
    }
}

#[cfg(test)]
mod schweitzer {
    use super::*;

    #[test]
    fn the_approximation_is_close_to_exact_mva_for_many_users() {
        let st = [
            MvaStation {
                demand: 0.01,
                servers: Some(1),
            },
            MvaStation {
                demand: 0.02,
                servers: Some(4),
            },
            MvaStation {
                demand: 0.05,
                servers: None,
            },
        ];
        for users in [10, 60, 400] {
            let exact = mva(users, 0.5, &st, u32::MAX).throughput;
            let approx = mva(users, 0.5, &st, 0).throughput;
            assert!(
                (exact - approx).abs() < 0.1 * exact,
                "{users}: {exact} {approx}"
            );
        }
    }
}
