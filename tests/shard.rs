//! Shards and merging, at the library: a replication's result written as a part and read back
//! builds the very report bytes of one process, for every example scenario (every kind, fault
//! and mechanism the examples hold, with their NaN figures and failover records); a sweep cut
//! into shards by cost and merged equals the sweep run whole.

use sim_core::engine::run::Run;
use sim_core::plan::sweep;
use sim_core::shard::{Shard, assign, part};

fn examples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("readable"),
            )
        })
        .collect()
}

#[test]
fn every_example_survives_the_trip_through_a_part() {
    let mut checked = 0;
    for (name, text) in examples() {
        let mut s = sim_core::load(text.as_bytes()).expect(&name).scenario;
        // Two replications keep the suite quick and still cover the across-replication figures.
        s.replications = s.replications.min(2);
        let reps: Vec<_> = (0..s.replications)
            .map(|r| Run::new(&s, r).run_to_end().expect(&name))
            .collect();
        let direct = sim_core::report_json(&sim_core::report::build(&s, &reps));
        let parts: Vec<(String, part::Part)> = (1..=2)
            .map(|i| {
                let shard = Shard { index: i, count: 2 };
                let range = assign::replications_of(s.replications, shard);
                let p = part::Part {
                    archsim_part: part::PartHeader {
                        format: part::FORMAT,
                        archsim: sim_core::shard::VERSION.into(),
                        command: part::Command::Run,
                        scenario: s.name.clone(),
                        scenario_sha256: sim_core::shard::scenario_hash(&text),
                        seed: s.seed,
                        replications: s.replications,
                        shard,
                        total: s.replications as usize,
                        items: range.clone().map(|r| r as usize).collect(),
                        text: Some(text.clone()),
                        sweep: None,
                    },
                    replications: range
                        .map(|r| part::ReplicationEntry {
                            replication: r,
                            result: reps[r as usize].clone(),
                        })
                        .collect(),
                    points: Vec::new(),
                };
                // Through the text a shard writes and the merge reads.
                let back: part::Part = serde_json::from_str(&part::json(&p)).expect(&name);
                (format!("{name} part {i}"), back)
            })
            .collect();
        let part::Merged::Run { results, .. } = part::merge(parts).expect(&name) else {
            panic!("{name}: a run's parts merge into a run");
        };
        let merged = sim_core::report_json(&sim_core::report::build(&s, &results));
        assert!(merged == direct, "{name}: the merged report differs");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} examples");
}

const SWEPT: &str = "version: 1
name: swept
seed: 11
duration: 8s
warmup: 1s
components:
  api:
    kind: service
    replicas: 2
    concurrency: 4
    service_time: { exponential: 10ms }
    calls: [ { to: db } ]
  db:
    kind: service
    concurrency: 2
    service_time: { exponential: 5ms }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 200/s } }
slo:
  - p99(web) < 150ms
sweep:
  vary:
    api.replicas: 1..4
    db.concurrency: [1, 2]
  loads: [1x, 2x]
";

#[test]
fn a_sweep_sharded_by_cost_and_merged_is_the_whole_sweep() {
    let space = sim_core::plan::space(SWEPT).expect("a sweep");
    let whole = sweep::run_serial(&space, 3);
    assert_eq!(whole.points.len(), 16);
    let keys = sweep::points(&space);
    let costs: Vec<f64> = keys
        .iter()
        .map(|&k| sweep::expected_cost(&space, k, 3))
        .collect();
    // Points at 2x cost about twice as much to simulate: the costs say so.
    assert!(
        costs[1] > 1.8 * costs[0] && costs[1] < 2.2 * costs[0],
        "{costs:?}"
    );
    let mut parts = Vec::new();
    for i in [3, 1, 2] {
        let shard = Shard { index: i, count: 3 };
        let items = assign::items_of(&costs, shard);
        let points: Vec<_> = items.iter().map(|&p| whole.points[p].clone()).collect();
        let p = part::Part {
            archsim_part: part::PartHeader {
                format: part::FORMAT,
                archsim: sim_core::shard::VERSION.into(),
                command: part::Command::Sweep,
                scenario: "swept".into(),
                scenario_sha256: whole.header.scenario_sha256.clone(),
                seed: 11,
                replications: 3,
                shard,
                total: 16,
                items,
                text: None,
                sweep: Some(whole.header.clone()),
            },
            replications: Vec::new(),
            points,
        };
        parts.push((
            format!("part {i}"),
            serde_json::from_str(&part::json(&p)).unwrap(),
        ));
    }
    let part::Merged::Sweep(merged) = part::merge(parts.clone()).unwrap() else {
        panic!("a sweep");
    };
    assert!(sweep::json(&merged) == sweep::json(&whole));
    assert!(sweep::csv(&merged) == sweep::csv(&whole));
    // The shards' expected costs are balanced within the largest point's cost.
    let load = |i: u32| -> f64 {
        assign::items_of(&costs, Shard { index: i, count: 3 })
            .iter()
            .map(|&p| costs[p])
            .sum()
    };
    let biggest = costs.iter().copied().fold(0.0, f64::max);
    let (lo, hi) = (1..=3)
        .map(load)
        .fold((f64::MAX, 0.0_f64), |(a, b), x| (a.min(x), b.max(x)));
    assert!(
        hi - lo <= biggest,
        "loads {:?}",
        (1..=3).map(load).collect::<Vec<_>>()
    );

    // A part missing, or given twice, is named.
    let e = part::merge(parts[..2].to_vec()).unwrap_err();
    assert!(e.contains("missing") && e.contains("2/3"), "{e}");
    let mut twice = parts.clone();
    twice.push(("again".into(), parts[0].1.clone()));
    let e = part::merge(twice).unwrap_err();
    assert!(e.contains("in both part 3 and again"), "{e}");
}

/// The sweep's points are the planner's: one replication's outcome at a point equals the job
/// the planner would run for that candidate, load and replication.
#[test]
fn sweep_points_hold_the_planners_outcomes() {
    let space = sim_core::plan::space(SWEPT).expect("a sweep");
    let doc = sweep::run_serial(&space, 2);
    let p = &doc.points[5];
    let s = sweep::scenario(&space, sweep::points(&space)[5]).unwrap();
    assert_eq!(p.runs[1], sim_core::plan::job::simulate(&s, 1));
    assert_eq!(p.candidate, 2);
    assert_eq!(p.load, 2.0);
}
