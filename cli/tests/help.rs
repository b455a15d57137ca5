//! `archsim --help` teaches by example: every example line in it (and in `archsim report --help`)
//! names files that exist and runs as written, from the repository's root, through the built
//! binary; and the exit codes it lists are all of them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_archsim")
}

fn help(args: &[&str]) -> String {
    let out = Command::new(exe()).args(args).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The lines under `Examples:` up to the next blank line, without their indentation.
fn examples(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

/// Runs `line` with `sh` in a scratch directory whose `scenarios` is the repository's, `archsim`
/// being the built binary; returns its exit code and standard error.
fn run_example(line: &str, dir: &Path) -> (i32, String) {
    let bin = Path::new(exe()).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("archsim-help-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    std::os::unix::fs::symlink(scenarios.canonicalize().unwrap(), dir.join("scenarios")).unwrap();
    dir
}

#[test]
fn every_example_of_the_help_runs_as_written() {
    for (args, name) in [
        (&["--help"][..], "top"),
        (&["report", "--help"][..], "report"),
    ] {
        let text = help(args);
        let lines = examples(&text);
        assert!(
            lines.len() >= 3,
            "archsim {args:?}: too few examples:\n{text}"
        );
        let dir = scratch(name);
        for line in &lines {
            assert!(line.starts_with("archsim "), "{line}");
            for file in line
                .split_whitespace()
                .filter(|w| w.starts_with("scenarios/"))
            {
                if !file.contains('*') {
                    assert!(dir.join(file).exists(), "`{line}` names a missing {file}");
                }
            }
            let (code, stderr) = run_example(line, &dir);
            assert_eq!(code, 0, "`{line}` exits {code}:\n{stderr}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn the_help_lists_every_exit_code_and_the_whole_vocabulary() {
    let text = help(&["--help"]);
    for code in [
        "0 success",
        "1 an SLO fails",
        "3 no SLO fails but one is inconclusive",
        "2 an invalid",
    ] {
        assert!(text.contains(code), "no `{code}` in --help");
    }
    // Every kind and fault the loader knows, so that a new one cannot be left out of the help.
    use sim_core::scenario::load::keys::{FAULT_TYPES, KINDS};
    let words = [
        "autoscale",
        "mtbf",
        "availability(",
        "throughput(",
        "utilization(",
        "cost <=",
        "rto <=",
        "rpo <=",
        "pricing:",
        "RTO and RPO",
        "error budget",
        "5y",
    ];
    for w in KINDS.iter().chain(FAULT_TYPES).chain(&words) {
        assert!(text.contains(w), "--help does not mention `{w}`");
    }
}
