//! `--set component.field=value` through the binary: the edit reaches the simulation on `run`,
//! `check`, `report` and `diff` (HEAD only); a malformed argument or a missing component is an
//! error naming the argument; a refused value is placed in the edited text, marked "after --set".

mod common;

use common::{VALID, archsim, write};

fn json(args: &[&str]) -> serde_json::Value {
    let r = archsim(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn the_edit_reaches_the_run() {
    let path = write("what_if_run", "shop.yaml", VALID);
    let p = path.to_str().unwrap();
    let before = json(&["run", p, "--json", "-"]);
    let after = json(&[
        "run",
        p,
        "--json",
        "-",
        "--set",
        "api.replicas=5",
        "--set",
        "db.service_time=50ms",
    ]);
    // `api` has 5 instances of 4 slots instead of 2: the same busy slots over 2.5 times the slots.
    let util = |r: &serde_json::Value| r["components"]["api"]["utilization"].as_f64().unwrap();
    let busy = |r: &serde_json::Value| r["components"]["api"]["busy_mean"].as_f64().unwrap();
    let ratio = (util(&before) / busy(&before)) / (util(&after) / busy(&after));
    assert!((ratio - 2.5).abs() < 1e-9, "{ratio}");
    // db's constant 5 ms became 50 ms: its sojourn is at least that.
    assert!(
        after["components"]["db"]["sojourn_ms"]["mean"]
            .as_f64()
            .unwrap()
            >= 50.0
    );
    // The file itself is unchanged.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), VALID);
}

#[test]
fn check_report_and_diff_take_the_edit() {
    let path = write("what_if_cmds", "shop.yaml", VALID);
    let p = path.to_str().unwrap();
    // p99 < 250ms holds as written; with a 1 s database it cannot.
    assert_eq!(archsim(&["check", p]).code, 0);
    let r = archsim(&["check", p, "--set", "db.service_time=1s"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = archsim(&["report", p, "--html", "-", "--set", "db.service_time=1s"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("FAIL"), "the page shows the failed SLO");
    // diff FILE FILE --set: the base as written, the head edited.
    let r = archsim(&["diff", p, p, "--json", "-", "--set", "db.service_time=1s"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"significant\": true"), "{}", r.stdout);
    let same = archsim(&["diff", p, p, "--json", "-"]);
    assert!(!same.stdout.contains("\"significant\": true"));
}

#[test]
fn bad_arguments_and_values_are_named() {
    let path = write("what_if_bad", "shop.yaml", VALID);
    let p = path.to_str().unwrap();
    for (arg, says) in [
        (
            "web.replicas=2",
            "--set web.replicas=2: no component `web` in the file; expected one of: api, db",
        ),
        (
            "api.replicas",
            "--set api.replicas: `api.replicas` is not a substitution",
        ),
        ("api=3", "--set api=3: `api` does not name a field"),
    ] {
        for cmd in ["run", "check"] {
            let r = archsim(&[cmd, p, "--set", arg]);
            assert_eq!(r.code, 2, "{cmd} --set {arg}: {}", r.stderr);
            assert!(r.stderr.contains(says), "{cmd} --set {arg}: {}", r.stderr);
        }
    }
    // A value the loader refuses: its message, at its place in the edited text (line 8, where
    // `replicas: 2` was), marked as being after the edit.
    let r = archsim(&["run", p, "--set", "api.replicas=0"]);
    assert_eq!(r.code, 2);
    let head = format!("{p} (after --set api.replicas=0):8:15: error: `replicas` is 0");
    assert!(r.stderr.contains(&head), "{}", r.stderr);
}
