//! The report as the page shows it: read once from the worker's JSON text as the typed
//! `sim_core::Report` (the format's contract, see docs/format.md: what `archsim run --json`
//! writes, read back by `sim_core::report::read`, so the page sees exactly what a user of the
//! CLI sees), and the formatting of its numbers.

pub use sim_core::Report;
use sim_core::report::SloReport as Slo;

/// The report given as the worker's JSON text (an error says why it is not one).
pub fn read(json: &str) -> Result<Report, String> {
    sim_core::report::read(json.as_bytes()).map_err(|e| format!("unreadable report: {e}"))
}

/// A duration in milliseconds, with precision that suits its size.
pub fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

/// A share as a percentage; close to 100 % it keeps the digits that matter for availability.
pub fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (99.0..100.0).contains(&p) {
        format!("{p:.3} %")
    } else {
        format!("{p:.1} %")
    }
}

/// A rate per second.
pub fn rate(v: f64) -> String {
    format!("{v:.1}/s")
}

/// An SLO's measured value in its own unit (`91.0 ms`, `99.99922%`, `16 min`, `$2,250/month`),
/// written by the one function every renderer uses.
pub fn slo_value(s: &Slo) -> String {
    s.measured()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_report_of_every_example() {
        for e in crate::examples::EXAMPLES {
            let mut l = sim_core::load(e.yaml.as_bytes()).unwrap();
            l.scenario.duration = l.scenario.duration.min(5_000_000_000);
            l.scenario.replications = l.scenario.replications.min(2);
            let json = sim_core::report_json(&sim_core::simulate(&l.scenario).unwrap());
            let r = read(&json).unwrap();
            assert_eq!(r.workloads.len(), l.scenario.workloads.len(), "{}", e.file);
            assert_eq!(r.components.len(), l.scenario.components.len());
            // Every figure the worker wrote, and nothing else: it writes back the same bytes.
            assert_eq!(sim_core::report_json(&r), json, "{}", e.file);
        }
    }

    #[test]
    fn an_unreadable_report_says_why() {
        assert!(
            read("{")
                .unwrap_err()
                .starts_with("unreadable report: not a JSON report")
        );
        assert!(read("{}").unwrap_err().contains("not an archsim report"));
        let e = crate::examples::default_example();
        let core = sim_core::simulate(&sim_core::load(e.yaml.as_bytes()).unwrap().scenario);
        let json = sim_core::report_json(&core.unwrap());
        let mut r = read(&json).unwrap();
        // A measured SLO in its own unit, as the summary and the HTML page write it.
        assert_eq!(r.slo[0].unit, sim_core::slo_unit::SloUnit::Ms);
        assert!(slo_value(&r.slo[0]).ends_with(" ms"));
        // A not-measured SLO: no value and no verdict.
        (r.slo[0].value, r.slo[0].pass) = (None, None);
        assert_eq!(slo_value(&r.slo[0]), "not measured");
        let no_p99 = json.replacen("\"p99\":", "\"p99_gone\":", 1);
        let err = read(&no_p99).unwrap_err();
        assert!(err.contains("missing field `p99`"), "{err}");
        let bad_seed = json.replacen("\"seed\": ", "\"seed\": \"seven\", \"x\": ", 1);
        assert!(
            read(&bad_seed).unwrap_err().contains("invalid type"),
            "{bad_seed}"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(ms(0.1234), "0.12 ms");
        assert_eq!(ms(90.96), "91.0 ms");
        assert_eq!(ms(292.9), "293 ms");
        assert_eq!(percent(0.99912), "99.912 %");
        assert_eq!(percent(1.0), "100.0 %");
        assert_eq!(rate(402.126), "402.1/s");
    }
}
