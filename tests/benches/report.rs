//! What the bench prints: per-repetition lines, each case's medians, the chain's latency agreement
//! between archsim and SimPy, and the closing table of the four ratios against their goals.

use sim_core::stats::estimate::{Estimate, t_975};

/// One side's repetition: what it simulated and how long it took.
pub struct Side {
    pub customers: u64,
    pub events: u64,
    pub wall_s: f64,
    /// Thread CPU time (archsim, floor) or process CPU time (SimPy), when measurable.
    pub cpu_s: Option<f64>,
    pub mean_sojourn_s: f64,
}

impl Side {
    fn rate(&self) -> f64 {
        self.customers as f64 / self.wall_s
    }

    fn cpu_rate(&self) -> Option<f64> {
        self.cpu_s.map(|c| self.customers as f64 / c)
    }
}

pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn m(rate: f64) -> String {
    if rate >= 1e6 {
        format!("{:.2} M", rate / 1e6)
    } else {
        format!("{:.1} k", rate / 1e3)
    }
}

fn opt_m(rate: Option<f64>) -> String {
    rate.map_or("n/a".to_string(), m)
}

/// One case's repetitions of archsim, the floor and SimPy, in the order they ran.
pub struct Pair {
    pub case: &'static str,
    unit: &'static str,
    pub archsim: Vec<Side>,
    pub floor: Vec<Side>,
    pub simpy: Vec<Side>,
    simpy_error: Option<String>,
    /// Per-repetition ratios archsim/floor and archsim/SimPy (wall time).
    vs_floor: Vec<f64>,
    vs_simpy: Vec<f64>,
}

impl Pair {
    pub fn new(case: &'static str, unit: &'static str) -> Pair {
        Pair {
            case,
            unit,
            archsim: vec![],
            floor: vec![],
            simpy: vec![],
            simpy_error: None,
            vs_floor: vec![],
            vs_simpy: vec![],
        }
    }

    pub fn push(&mut self, r: u64, a: Side, f: Side, s: Option<Result<Side, String>>) {
        let u = self.unit;
        println!(
            "  rep {r}: archsim {} {u}, {} events in {:.3} s -> {u}/s {} (CPU {}), mean {:.3} ms",
            a.customers,
            a.events,
            a.wall_s,
            m(a.rate()),
            opt_m(a.cpu_rate()),
            a.mean_sojourn_s * 1e3
        );
        println!(
            "         floor   {} {u}, {} events in {:.3} s -> {u}/s {} (CPU {}), mean {:.3} ms{}",
            f.customers,
            f.events,
            f.wall_s,
            m(f.rate()),
            opt_m(f.cpu_rate()),
            f.mean_sojourn_s * 1e3,
            if (f.customers, f.mean_sojourn_s.to_bits())
                == (a.customers, a.mean_sojourn_s.to_bits())
            {
                " (the same sample path as archsim)"
            } else {
                ""
            }
        );
        self.vs_floor.push(a.rate() / f.rate());
        match s {
            Some(Ok(s)) if self.simpy_error.is_none() => {
                println!(
                    "         SimPy   {} {u} in {:.2} s -> {u}/s {} (CPU {}), mean {:.3} ms; \
                     this rep: archsim/floor {:.2}, archsim/SimPy {:.0}x",
                    s.customers,
                    s.wall_s,
                    m(s.rate()),
                    opt_m(s.cpu_rate()),
                    s.mean_sojourn_s * 1e3,
                    a.rate() / f.rate(),
                    a.rate() / s.rate()
                );
                self.vs_simpy.push(a.rate() / s.rate());
                self.simpy.push(s);
            }
            Some(Err(e)) => self.simpy_error = Some(e),
            _ => {}
        }
        self.archsim.push(a);
        self.floor.push(f);
    }

    fn rates(v: &[Side]) -> (f64, Option<f64>) {
        let cpu: Vec<f64> = v.iter().filter_map(Side::cpu_rate).collect();
        (
            median(&v.iter().map(Side::rate).collect::<Vec<_>>()),
            (!cpu.is_empty()).then(|| median(&cpu)),
        )
    }

    /// Each side's median rate and mean sojourn (against `theory_s` where there is one).
    pub fn summary(&self, theory_s: Option<f64>) {
        let mean = |v: &[Side]| v.iter().map(|s| s.mean_sojourn_s).sum::<f64>() / v.len() as f64;
        let vs = |w: f64| {
            theory_s.map_or(String::new(), |t| {
                format!(" ({:+.2} % vs theory)", (w / t - 1.0) * 100.0)
            })
        };
        for (name, v) in [
            ("archsim", &self.archsim),
            ("floor", &self.floor),
            ("SimPy", &self.simpy),
        ] {
            if v.is_empty() {
                continue;
            }
            let (wall, cpu) = Self::rates(v);
            println!(
                "{name:>8}: median {} {}/s (CPU {}), mean sojourn {:.3} ms{}",
                m(wall),
                self.unit,
                opt_m(cpu),
                mean(v) * 1e3,
                vs(mean(v))
            );
        }
        if let Some(e) = &self.simpy_error {
            println!("   SimPy: not measured: {e}");
        }
    }

    /// Each side's best rate (its quickest repetition) against the other's: on a shared machine
    /// whose neighbours slow a repetition by a third at times, the quietest moment of each.
    fn best_ratio(&self, simpy: bool) -> Option<f64> {
        let other = if simpy { &self.simpy } else { &self.floor };
        let best = |v: &[Side]| v.iter().map(Side::rate).fold(f64::NAN, f64::max);
        (!self.archsim.is_empty() && !other.is_empty()).then(|| best(&self.archsim) / best(other))
    }

    /// (median paired ratio by wall time, ratio of median CPU-time rates) against the floor or SimPy.
    fn ratio(&self, simpy: bool) -> Option<(f64, Option<f64>)> {
        let (paired, other) = if simpy {
            (&self.vs_simpy, &self.simpy)
        } else {
            (&self.vs_floor, &self.floor)
        };
        if paired.is_empty() {
            return None;
        }
        let cpu = Self::rates(&self.archsim)
            .1
            .zip(Self::rates(other).1)
            .map(|(a, o)| a / o);
        Some((median(paired), cpu))
    }
}

/// Whether archsim's and SimPy's mean latencies agree: their difference against its 95 % interval
/// (Welch: each side's standard error from its own repetitions, the smaller degrees of freedom).
pub fn agreement(a: &Estimate, s: &Estimate) {
    let se = (a.std_error().powi(2) + s.std_error().powi(2)).sqrt();
    let df = (a.n.min(s.n) as usize).saturating_sub(1).max(1);
    let hw = t_975(df) * se;
    let diff = a.mean - s.mean;
    println!(
        "mean latency: archsim {:.3} ms +/- {:.3} (95 %, {} reps), SimPy {:.3} ms +/- {:.3} ({} reps): \
         difference {:+.3} ms, 95 % interval +/- {:.3} ms -> {}",
        a.mean * 1e3,
        a.half_width * 1e3,
        a.n,
        s.mean * 1e3,
        s.half_width * 1e3,
        s.n,
        diff * 1e3,
        hw * 1e3,
        if diff.abs() <= hw {
            "agree"
        } else {
            "DISAGREE"
        }
    );
}

/// The closing table: archsim/floor and archsim/SimPy for each case, with the goals of issue 15.
pub fn ratios(pairs: &[Pair], two_region_events: Option<f64>) {
    println!(
        "\n== Ratios (median of the paired repetitions, wall time; in brackets: of median CPU-time \
         rates; best: of each side's quickest repetition) =="
    );
    for p in pairs {
        let goal_simpy = if p.case == "M/M/4" { 100.0 } else { 50.0 };
        let show = |r: Option<(f64, Option<f64>)>, digits: usize, suffix: &str| match r {
            None => "n/a".to_string(),
            Some((w, c)) => format!(
                "{w:.digits$}{suffix} ({})",
                c.map_or("n/a".to_string(), |c| format!("{c:.digits$}{suffix}"))
            ),
        };
        let best = |r: Option<f64>, digits: usize, suffix: &str| {
            r.map_or(String::new(), |r| format!(", best {r:.digits$}{suffix}"))
        };
        println!(
            "{:>6}: archsim/floor {}{} (goal >= 0.8); archsim/SimPy {}{} (goal >= {goal_simpy:.0}x)",
            p.case,
            show(p.ratio(false), 2, ""),
            best(p.best_ratio(false), 2, ""),
            show(p.ratio(true), 0, "x"),
            best(p.best_ratio(true), 0, "x"),
        );
    }
    if let Some(e) = two_region_events {
        println!("two regions, 21 components: {:.2} M events/s", e / 1e6);
    }
}
