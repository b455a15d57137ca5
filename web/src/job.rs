//! The worker's job: load a scenario and simulate it in slices of events, reporting progress
//! between slices, then build the report exactly as `sim_core::simulate` does (every replication
//! in order, then `sim_core::report::build`). Pure: the worker glue only posts what this returns.

use crate::protocol::{Finding, Request, Response};

/// Events per slice: a slice takes a few milliseconds, so progress moves smoothly.
pub const SLICE_EVENTS: u64 = 100_000;

/// Runs `req` to the end, calling `progress` after every slice, and returns the final answer.
pub fn run(req: &Request, mut progress: impl FnMut(Response)) -> Response {
    let id = req.id;
    let mut loaded = match sim_core::load(req.yaml.as_bytes()) {
        Ok(l) => l,
        Err(ds) => {
            return Response::Invalid {
                id,
                findings: ds.iter().map(Finding::from_diagnostic).collect(),
            };
        }
    };
    if let Some(seed) = req.seed {
        loaded.scenario.seed = seed;
    }
    let scenario = &loaded.scenario;
    let reps = scenario.replications;
    let mut results = Vec::with_capacity(reps as usize);
    for r in 0..reps {
        let mut run = sim_core::Run::new(scenario, r);
        loop {
            match run.advance(SLICE_EVENTS) {
                Ok(p) => {
                    let within = if p.end == 0 {
                        1.0
                    } else {
                        p.now as f64 / p.end as f64
                    };
                    progress(Response::Progress {
                        id,
                        replication: r,
                        replications: reps,
                        fraction: (r as f64 + within.min(1.0)) / reps as f64,
                        events: p.events,
                    });
                    if p.done {
                        break;
                    }
                }
                Err(e) => {
                    return Response::Failed {
                        id,
                        message: e.to_string(),
                    };
                }
            }
        }
        results.push(run.result());
    }
    let report = sim_core::report::build(scenario, &results);
    Response::Done {
        id,
        report_json: sim_core::report_json(&report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::EXAMPLES;

    const SMALL: &str = "version: 1\nname: mm1\nseed: 7\nduration: 60s\nreplications: 2\n\
        components: { api: { kind: service, service_time: { exponential: 10ms } } }\n\
        workloads: [ { name: web, entry: api, arrivals: { poisson: 50/s } } ]\n";

    #[test]
    fn the_sliced_run_gives_the_report_of_simulate_byte_for_byte() {
        for (text, seed) in [(SMALL, None), (SMALL, Some(99)), (EXAMPLES[0].yaml, None)] {
            let mut loaded = sim_core::load(text.as_bytes()).unwrap();
            if let Some(s) = seed {
                loaded.scenario.seed = s;
            }
            let expected = sim_core::report_json(&sim_core::simulate(&loaded.scenario).unwrap());
            let mut last = 0.0;
            let req = Request {
                id: 1,
                yaml: text.into(),
                seed,
            };
            let done = run(&req, |p| {
                let Response::Progress { fraction, .. } = p else {
                    panic!("{p:?}")
                };
                assert!(fraction >= last && fraction <= 1.0);
                last = fraction;
            });
            assert_eq!(last, 1.0);
            assert_eq!(
                done,
                Response::Done {
                    id: 1,
                    report_json: expected
                }
            );
        }
    }

    #[test]
    fn invalid_text_gives_findings_and_limits_give_a_failure() {
        let bad = Request {
            id: 2,
            yaml: "version: 1\nname: [\n".into(),
            seed: None,
        };
        assert!(
            matches!(run(&bad, |_| {}), Response::Invalid { id: 2, findings } if !findings.is_empty())
        );
        let overloaded = Request {
            id: 3,
            yaml: SMALL
                .replace("50/s", "500/s")
                .replace("replications: 2", "limits: { max_in_flight: 1000 }"),
            seed: None,
        };
        assert!(matches!(
            run(&overloaded, |_| {}),
            Response::Failed { id: 3, .. }
        ));
    }
}
