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

/// Events of the worker's warm-up (see [`warm_up`]): about 40 ms once compiled, a few times that
/// while the browser still runs its baseline code.
pub const WARM_UP_EVENTS: u64 = 300_000;

/// Simulates the default example (`checkout`) for [`WARM_UP_EVENTS`] and throws the result away.
/// The worker does this once when it starts, with the page: browsers run WebAssembly first with a
/// quickly made baseline code and compile the hot functions again, optimised, in the background
/// once they have run a while. Without the warm-up the user's first Run paid for that (about half
/// the speed of later runs, docs/web.md); after it, the engine's hot code (the event list,
/// arrivals, stations, calls, sampling, histograms) is already optimised when Run is pressed.
/// Returns the events simulated.
pub fn warm_up() -> u64 {
    let Ok(loaded) = sim_core::load(crate::examples::DEFAULT_YAML.as_bytes()) else {
        return 0;
    };
    let mut run = sim_core::Run::new(&loaded.scenario, 0);
    run.advance(WARM_UP_EVENTS).map_or(0, |p| p.events)
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
    fn the_warm_up_simulates_the_default_example_for_its_events() {
        let events = warm_up();
        // Checkout has more events than the budget (1.27 million), so the whole budget is used.
        assert_eq!(events, WARM_UP_EVENTS);
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
