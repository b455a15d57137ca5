//! Closed-form results of queueing theory, the yardstick of the validation suite.
//!
//! Everything here is written from the textbook formulas and from the parameters the cases write
//! into their scenario files; nothing is taken from `sim-core` (not even its distributions' moments),
//! so a mistake in the simulator cannot hide behind the same mistake in its yardstick. Times are in
//! seconds and rates per second throughout.
//!
//! - [`erlang_b`], [`erlang_c`] and [`Mmc`]: the M/M/c queue (one shared FCFS queue, c servers);
//! - [`Mmck`]: the M/M/c/K loss-and-delay queue from its birth-death stationary distribution;
//! - [`Service`] and [`pk_wait`]: service-time moments and the Pollaczek-Khinchine mean wait of M/G/1;
//! - [`mva`]: exact mean value analysis of a closed product-form network with a delay station;
//! - [`exponential_quantile`]: quantiles of the exponential law (M/M/1 sojourn, M/M/inf sojourn).

/// The standard normal 0.99 quantile, z such that Phi(z) = 0.99 (checked by integration in the tests).
pub const Z_99: f64 = 2.326_347_874_040_840_8;

/// Erlang's B formula: the blocking probability of an M/M/c/c loss system offered `a` erlangs.
///
/// By the stable recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (k as f64 + a * b))
}

/// Erlang's C formula: the probability that an arrival to an M/M/c queue offered `a < c` erlangs waits.
///
/// From Erlang B: C = c B / (c - a (1 - B)).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    assert!(
        a < c as f64,
        "Erlang C needs a stable queue: a = {a} >= c = {c}"
    );
    let b = erlang_b(c, a);
    c as f64 * b / (c as f64 - a * (1.0 - b))
}

/// An M/M/c queue: Poisson arrivals at rate `lambda`, `c` servers each of rate `mu`, one FCFS queue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mmc {
    pub c: u32,
    pub lambda: f64,
    pub mu: f64,
}

impl Mmc {
    /// Offered load in erlangs, a = lambda / mu.
    pub fn offered(&self) -> f64 {
        self.lambda / self.mu
    }

    /// Server utilisation, rho = a / c.
    pub fn rho(&self) -> f64 {
        self.offered() / self.c as f64
    }

    /// Probability of waiting (Erlang C).
    pub fn wait_probability(&self) -> f64 {
        erlang_c(self.c, self.offered())
    }

    /// Mean wait in queue, Wq = C / (c mu - lambda).
    pub fn wq(&self) -> f64 {
        self.wait_probability() / (self.c as f64 * self.mu - self.lambda)
    }

    /// Mean sojourn (wait plus service), W = Wq + 1 / mu.
    pub fn w(&self) -> f64 {
        self.wq() + 1.0 / self.mu
    }

    /// Mean number in the system, L = lambda W (Little).
    pub fn l(&self) -> f64 {
        self.lambda * self.w()
    }
}

/// The p-quantile of an exponential law of the given mean, -ln(1 - p) * mean. The M/M/1 sojourn
/// is exponential with mean 1 / (mu - lambda); an infinite-server sojourn is the service time.
pub fn exponential_quantile(mean: f64, p: f64) -> f64 {
    -(1.0 - p).ln() * mean
}

/// An M/M/c/K queue: c servers, room for K >= c customers in all (K - c waiting); arrivals that find
/// K present are lost. With K = c it is Erlang's loss system.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mmck {
    pub c: u32,
    pub k: u32,
    pub lambda: f64,
    pub mu: f64,
}

impl Mmck {
    /// The stationary distribution p_0..p_K of the number present, from the birth-death balance
    /// equations p_n lambda = p_{n+1} min(n + 1, c) mu.
    pub fn distribution(&self) -> Vec<f64> {
        assert!(self.k >= self.c, "K = {} below c = {}", self.k, self.c);
        let mut p = Vec::with_capacity(self.k as usize + 1);
        let mut x = 1.0;
        p.push(x);
        for n in 1..=self.k {
            x *= self.lambda / (n.min(self.c) as f64 * self.mu);
            p.push(x);
        }
        let total: f64 = p.iter().sum();
        p.iter().map(|v| v / total).collect()
    }

    /// Probability an arrival is lost: p_K (Poisson arrivals see time averages).
    pub fn blocking(&self) -> f64 {
        *self.distribution().last().expect("K + 1 states")
    }

    /// Mean number present, L = sum n p_n.
    pub fn l(&self) -> f64 {
        self.distribution()
            .iter()
            .enumerate()
            .map(|(n, p)| n as f64 * p)
            .sum()
    }

    /// Throughput of admitted customers, lambda (1 - p_K).
    pub fn throughput(&self) -> f64 {
        self.lambda * (1.0 - self.blocking())
    }

    /// Mean sojourn of admitted customers, W = L / throughput (Little).
    pub fn w(&self) -> f64 {
        self.l() / self.throughput()
    }

    /// Mean busy servers, throughput / mu.
    pub fn busy(&self) -> f64 {
        self.throughput() / self.mu
    }
}

/// A service-time law with the parameters a scenario file gives it, in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Service {
    Constant(f64),
    Exponential {
        mean: f64,
    },
    Erlang {
        k: u32,
        mean: f64,
    },
    Uniform {
        lo: f64,
        hi: f64,
    },
    /// Lognormal given by its median and 99th percentile, as the scenario format writes it.
    Lognormal {
        median: f64,
        p99: f64,
    },
}

impl Service {
    /// E[S], seconds.
    pub fn mean(&self) -> f64 {
        match *self {
            Service::Constant(d) => d,
            Service::Exponential { mean } | Service::Erlang { mean, .. } => mean,
            Service::Uniform { lo, hi } => (lo + hi) / 2.0,
            Service::Lognormal { median, p99 } => {
                let (mu, sigma) = lognormal_params(median, p99);
                (mu + sigma * sigma / 2.0).exp()
            }
        }
    }

    /// E[S^2], seconds squared.
    pub fn second_moment(&self) -> f64 {
        match *self {
            Service::Constant(d) => d * d,
            Service::Exponential { mean } => 2.0 * mean * mean,
            // A sum of k exponentials of mean m/k: variance m^2 / k.
            Service::Erlang { k, mean } => mean * mean * (1.0 + 1.0 / k as f64),
            Service::Uniform { lo, hi } => (lo * lo + lo * hi + hi * hi) / 3.0,
            Service::Lognormal { median, p99 } => {
                let (mu, sigma) = lognormal_params(median, p99);
                (2.0 * mu + 2.0 * sigma * sigma).exp()
            }
        }
    }

    /// The law as the scenario format writes it (durations in milliseconds).
    pub fn yaml(&self) -> String {
        match *self {
            Service::Constant(d) => ms(d),
            Service::Exponential { mean } => format!("{{ exponential: {} }}", ms(mean)),
            Service::Erlang { k, mean } => {
                format!("{{ erlang: {{ k: {k}, mean: {} }} }}", ms(mean))
            }
            Service::Uniform { lo, hi } => format!("{{ uniform: [{}, {}] }}", ms(lo), ms(hi)),
            Service::Lognormal { median, p99 } => format!(
                "{{ lognormal: {{ median: {}, p99: {} }} }}",
                ms(median),
                ms(p99)
            ),
        }
    }

    /// A short label for tables: `exp(10ms)`, `erlang(k=4, 10ms)`, ...
    pub fn label(&self) -> String {
        let m = |s: f64| format!("{}ms", s * 1e3);
        match *self {
            Service::Constant(d) => format!("constant {}", m(d)),
            Service::Exponential { mean } => format!("exp({})", m(mean)),
            Service::Erlang { k, mean } => format!("erlang(k={k}, {})", m(mean)),
            Service::Uniform { lo, hi } => format!("uniform({}, {})", m(lo), m(hi)),
            Service::Lognormal { median, p99 } => {
                format!("lognormal(median {}, p99 {})", m(median), m(p99))
            }
        }
    }
}

/// `(mu, sigma)` of ln S for a lognormal with the given median and 99th percentile:
/// median = e^mu and p99 = e^(mu + z99 sigma).
pub fn lognormal_params(median: f64, p99: f64) -> (f64, f64) {
    let mu = median.ln();
    (mu, (p99.ln() - mu) / Z_99)
}

/// A duration in seconds written in milliseconds for a scenario file, e.g. `12.5ms`.
pub fn ms(seconds: f64) -> String {
    format!("{}ms", round_digits(seconds * 1e3))
}

/// Rounds away the float noise of a unit conversion (12.500000000000002 -> 12.5).
fn round_digits(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// The Pollaczek-Khinchine mean wait in queue of an M/G/1 queue: Wq = lambda E[S^2] / (2 (1 - rho)).
pub fn pk_wait(lambda: f64, service: &Service) -> f64 {
    let rho = lambda * service.mean();
    assert!(rho < 1.0, "P-K needs rho < 1, got {rho}");
    lambda * service.second_moment() / (2.0 * (1.0 - rho))
}

/// The solution of a closed network by exact mean value analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct Mva {
    /// System throughput (cycles per second).
    pub throughput: f64,
    /// Mean residence time at each queueing station per cycle, seconds.
    pub residence: Vec<f64>,
    /// Mean number at each queueing station.
    pub queue: Vec<f64>,
}

impl Mva {
    /// Utilisation of queueing station `k` (a single server) given its demand: X D_k.
    pub fn utilization(&self, demand: f64) -> f64 {
        self.throughput * demand
    }

    /// Total residence at the queueing stations, seconds.
    pub fn residence_total(&self) -> f64 {
        self.residence.iter().sum()
    }
}

/// Exact MVA (Reiser and Lavenberg) for `users` customers cycling through a delay (infinite-server)
/// station of total mean time `delay` and single-server FCFS exponential stations of service
/// demands `demands` (visit ratio times mean service time), all in seconds:
///
/// R_k(n) = D_k (1 + Q_k(n - 1)),  X(n) = n / (delay + sum_k R_k(n)),  Q_k(n) = X(n) R_k(n).
pub fn mva(users: u32, delay: f64, demands: &[f64]) -> Mva {
    let mut q = vec![0.0; demands.len()];
    let mut r = vec![0.0; demands.len()];
    let mut x = 0.0;
    for n in 1..=users {
        for k in 0..demands.len() {
            r[k] = demands[k] * (1.0 + q[k]);
        }
        x = n as f64 / (delay + r.iter().sum::<f64>());
        for k in 0..demands.len() {
            q[k] = x * r[k];
        }
    }
    Mva {
        throughput: x,
        residence: r,
        queue: q,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    fn factorial(n: u32) -> f64 {
        (1..=n).map(f64::from).product()
    }

    /// Erlang C by the direct sums, as an independent cross-check of the recursion.
    fn erlang_c_direct(c: u32, a: f64) -> f64 {
        let top = a.powi(c as i32) / factorial(c) * c as f64 / (c as f64 - a);
        let below: f64 = (0..c).map(|k| a.powi(k as i32) / factorial(k)).sum();
        top / (below + top)
    }

    #[test]
    fn erlang_b_textbook_values() {
        assert!(close(erlang_b(1, 1.0), 0.5, 1e-15));
        assert!(close(erlang_b(2, 1.0), 0.2, 1e-15));
        // Erlang B tables: c = 10, a = 5 erlangs gives 1.84 %.
        assert!(close(erlang_b(10, 5.0), 0.018_384, 1e-4));
        assert_eq!(erlang_b(0, 3.0), 1.0);
    }

    #[test]
    fn erlang_c_textbook_values() {
        // c = 2, a = 1: C = 1/3.
        assert!(close(erlang_c(2, 1.0), 1.0 / 3.0, 1e-15));
        // M/M/1: the probability of waiting is rho.
        for rho in [0.1, 0.5, 0.95] {
            assert!(close(erlang_c(1, rho), rho, 1e-14));
        }
        for c in [1, 2, 4, 8, 16, 32] {
            for rho in [0.3, 0.5, 0.8, 0.95] {
                let a = rho * c as f64;
                assert!(close(erlang_c(c, a), erlang_c_direct(c, a), 1e-12));
            }
        }
    }

    #[test]
    fn mmc_means() {
        // M/M/1 with lambda = 8, mu = 10: W = 1 / (mu - lambda) = 0.5 s, Wq = rho / (mu - lambda) = 0.4 s.
        let q = Mmc {
            c: 1,
            lambda: 8.0,
            mu: 10.0,
        };
        assert!(close(q.w(), 0.5, 1e-14));
        assert!(close(q.wq(), 0.4, 1e-14));
        assert!(close(q.l(), 4.0, 1e-14));
        // M/M/2 with a = 1 (rho = 0.5), mu = 1: Wq = (1/3) / (2 - 1) = 1/3.
        let q = Mmc {
            c: 2,
            lambda: 1.0,
            mu: 1.0,
        };
        assert!(close(q.wq(), 1.0 / 3.0, 1e-14));
        assert!(close(q.rho(), 0.5, 1e-15));
    }

    #[test]
    fn exponential_quantiles() {
        assert!(close(
            exponential_quantile(1.0, 0.5),
            std::f64::consts::LN_2,
            1e-15
        ));
        assert!(close(
            exponential_quantile(2.0, 0.99),
            2.0 * 100f64.ln(),
            1e-14
        ));
    }

    #[test]
    fn mmck_reduces_to_known_cases() {
        // K = c: Erlang B.
        for (c, a) in [(1, 0.5), (4, 3.0), (8, 8.0), (16, 12.0)] {
            let q = Mmck {
                c,
                k: c,
                lambda: a,
                mu: 1.0,
            };
            assert!(close(q.blocking(), erlang_b(c, a), 1e-12));
        }
        // M/M/1/K: p_K = (1 - rho) rho^K / (1 - rho^(K+1)).
        let (rho, k) = (0.8f64, 5);
        let q = Mmck {
            c: 1,
            k,
            lambda: rho,
            mu: 1.0,
        };
        let want = (1.0 - rho) * rho.powi(k as i32) / (1.0 - rho.powi(k as i32 + 1));
        assert!(close(q.blocking(), want, 1e-12));
        // A long buffer tends to M/M/c.
        let q = Mmck {
            c: 4,
            k: 400,
            lambda: 3.0,
            mu: 1.0,
        };
        let inf = Mmc {
            c: 4,
            lambda: 3.0,
            mu: 1.0,
        };
        assert!(close(q.w(), inf.w(), 1e-9));
        assert!(close(q.busy(), 3.0, 1e-9));
    }

    #[test]
    fn z99_is_the_normal_99th_percentile() {
        // Phi(z) - 1/2 by Simpson's rule on the standard normal density over [0, z].
        let n = 10_000;
        let h = Z_99 / n as f64;
        let f = |x: f64| (-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let s: f64 = (0..=n)
            .map(|i| {
                let w = if i == 0 || i == n {
                    1.0
                } else if i % 2 == 1 {
                    4.0
                } else {
                    2.0
                };
                w * f(i as f64 * h)
            })
            .sum::<f64>()
            * h
            / 3.0;
        assert!((s + 0.5 - 0.99).abs() < 1e-12, "Phi(z99) = {}", s + 0.5);
    }

    #[test]
    fn service_moments() {
        let e = Service::Exponential { mean: 0.01 };
        assert!(close(e.second_moment(), 2e-4, 1e-14));
        // Erlang with k = 1 is exponential; with huge k it tends to a constant.
        let e1 = Service::Erlang { k: 1, mean: 0.01 };
        assert!(close(e1.second_moment(), e.second_moment(), 1e-14));
        // Uniform on [0, 2]: E[S^2] = 4/3.
        let u = Service::Uniform { lo: 0.0, hi: 2.0 };
        assert!(close(u.mean(), 1.0, 1e-15) && close(u.second_moment(), 4.0 / 3.0, 1e-15));
        // Lognormal with p99 = median has sigma = 0: a constant.
        let l = Service::Lognormal {
            median: 0.01,
            p99: 0.01,
        };
        assert!(close(l.mean(), 0.01, 1e-14) && close(l.second_moment(), 1e-4, 1e-13));
        // Lognormal(median 1, p99 e^z99) has sigma = 1: E[S] = e^(1/2), E[S^2] = e^2.
        let l = Service::Lognormal {
            median: 1.0,
            p99: Z_99.exp(),
        };
        assert!(close(l.mean(), 0.5f64.exp(), 1e-14));
        assert!(close(l.second_moment(), 2f64.exp(), 1e-14));
    }

    #[test]
    fn yaml_of_services() {
        assert_eq!(Service::Constant(0.0125).yaml(), "12.5ms");
        assert_eq!(
            Service::Erlang { k: 4, mean: 0.01 }.yaml(),
            "{ erlang: { k: 4, mean: 10ms } }"
        );
        assert_eq!(
            Service::Uniform {
                lo: 0.005,
                hi: 0.015
            }
            .yaml(),
            "{ uniform: [5ms, 15ms] }"
        );
    }

    #[test]
    fn pollaczek_khinchine() {
        // Exponential service: M/M/1's Wq = rho / (mu - lambda).
        let wq = pk_wait(80.0, &Service::Exponential { mean: 0.01 });
        assert!(close(wq, 0.8 / 20.0, 1e-13));
        // Constant service: half of it (M/D/1).
        let wq = pk_wait(80.0, &Service::Constant(0.01));
        assert!(close(wq, 0.4 / 20.0, 1e-13));
    }

    #[test]
    fn mva_one_user_sees_no_queueing() {
        let m = mva(1, 0.5, &[0.02, 0.03]);
        assert!(close(m.throughput, 1.0 / 0.55, 1e-14));
        assert!(close(m.residence_total(), 0.05, 1e-14));
    }

    /// The machine-repairman model: N users thinking for exp(Z), one exponential server of mean D.
    /// Its birth-death solution p_n ∝ N! / (N - n)! (D / Z)^n gives X = (1 - p_0) / D.
    #[test]
    fn mva_matches_the_machine_repairman_model() {
        let (z, d): (f64, f64) = (0.2, 0.03);
        for users in [1u32, 2, 5, 10, 40] {
            let weights: Vec<f64> = (0..=users)
                .map(|n| factorial(users) / factorial(users - n) * (d / z).powi(n as i32))
                .collect();
            let p0 = weights[0] / weights.iter().sum::<f64>();
            let x = (1.0 - p0) / d;
            let m = mva(users, z, &[d]);
            assert!(close(m.throughput, x, 1e-12), "N = {users}");
            // Response time by Little on the whole cycle: N = X (Z + R).
            assert!(close(m.residence_total(), users as f64 / x - z, 1e-10));
        }
    }

    #[test]
    fn mva_saturates_at_the_bottleneck() {
        let m = mva(500, 0.1, &[0.02, 0.01]);
        assert!(close(m.throughput, 50.0, 1e-9));
        assert!(close(m.utilization(0.02), 1.0, 1e-9));
    }
}
