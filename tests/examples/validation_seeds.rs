//! Runs validation cases under many seeds and prints the distribution of their standardised errors,
//! `(simulated - exact) / standard error`, per check: the test a sampler change must pass beyond
//! the fixed seeds of `tests/validation.rs`.
//!
//! ```text
//! cargo run -p archsim-tests --release --example validation_seeds -- "M/M/2/5" 40
//! ```
//!
//! With fixed seeds, each of the suite's checks fails by chance with probability 0.1 % (its
//! tolerance is the 99.9 % half-width), so a suite of a few hundred checks redrawn by a new sampler
//! fails somewhere about one time in five even when the sampler is exact. Over many seeds an
//! unbiased sampler gives errors of mean 0 and standard deviation about 1 per check; a biased one
//! shows a mean many standard errors of the mean away from 0. Exits 1 when some check's mean error
//! is beyond 4 standard errors of the mean (a bias), listing it.

use archsim_tests::cases;
use archsim_tests::check::Allowance;
use sim_core::stats::estimate::t_975;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = args.first().cloned().unwrap_or_default();
    let seeds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut biased = Vec::new();
    for case in cases::all()
        .into_iter()
        .filter(|c| c.label.contains(&filter))
    {
        // quantity -> standardised errors, one per seed
        let mut errors: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
        for k in 0..seeds {
            let yaml = case.yaml().replace(
                &format!("seed: {}\n", case.seed()),
                &format!("seed: {}\n", 1000 + k),
            );
            let loaded = sim_core::load(yaml.as_bytes()).expect("the case loads");
            let report = sim_core::simulate(&loaded.scenario).expect("the case runs");
            for c in case.checks(&report) {
                let se = c.sim.half_width95 / t_975(c.sim.replications as usize - 1);
                if c.exact_half_width95 > 0.0
                    || matches!(c.allowance, Allowance::Histogram)
                    || se <= 0.0
                {
                    continue; // consistency checks and percentiles (resolution allowance) are not z-scores
                }
                errors
                    .entry(c.quantity.clone())
                    .or_default()
                    .push((c.sim.mean - c.exact) / se);
            }
        }
        for (q, z) in &errors {
            let n = z.len() as f64;
            let mean = z.iter().sum::<f64>() / n;
            let sd = (z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let worst = z.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
            let flag = (mean / (sd / n.sqrt())).abs() > 4.0;
            println!(
                "{} / {q}: {} seeds, mean error {mean:+.2} SE (± {:.2}), sd {sd:.2}, worst {worst:.2}{}",
                case.label,
                z.len(),
                2.0 * sd / n.sqrt(),
                if flag { "  <-- BIASED" } else { "" }
            );
            if flag {
                biased.push(format!("{} / {q}", case.label));
            }
        }
    }
    if !biased.is_empty() {
        eprintln!("biased: {}", biased.join(", "));
        std::process::exit(1);
    }
}
