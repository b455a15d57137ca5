//! Helpers shared by the CLI's integration tests: write a scenario into a private temporary
//! directory and run the real `archsim` binary on it.

#![allow(dead_code)] // Each test file uses a different subset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A valid scenario: `api` calls `db`; one open workload; one SLO. Tests derive bad files from it
/// by replacing one piece, so each expected line and column can be read off this text:
///
/// ```text
///  1 version: 1
///  2 name: shop
///  3 seed: 42
///  4 duration: 10s
///  5 components:
///  6   api:
///  7     kind: service
///  8     replicas: 2
///  9     concurrency: 4
/// 10     service_time: { exponential: 20ms }
/// 11     calls:
/// 12       - to: db
/// 13   db:
/// 14     kind: service
/// 15     service_time: 5ms
/// 16 workloads:
/// 17   - name: web
/// 18     entry: api
/// 19     arrivals: { poisson: 50/s }
/// 20 slo:
/// 21   - p99(web) < 250ms
/// ```
pub const VALID: &str = "version: 1
name: shop
seed: 42
duration: 10s
components:
  api:
    kind: service
    replicas: 2
    concurrency: 4
    service_time: { exponential: 20ms }
    calls:
      - to: db
  db:
    kind: service
    service_time: 5ms
workloads:
  - name: web
    entry: api
    arrivals: { poisson: 50/s }
slo:
  - p99(web) < 250ms
";

/// `VALID` with `from` replaced by `to` (which must occur exactly once).
pub fn valid_with(from: &str, to: &str) -> String {
    assert_eq!(
        VALID.matches(from).count(),
        1,
        "`{from}` must occur once in VALID"
    );
    VALID.replacen(from, to, 1)
}

/// A fresh directory for one test's files.
pub fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("archsim-cli-tests-{}", std::process::id()))
        .join(test);
    std::fs::create_dir_all(&dir).expect("create a temporary directory");
    dir
}

/// Writes `bytes` to `<temp>/<test>/<file>` and returns the path.
pub fn write(test: &str, file: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = temp_dir(test).join(file);
    std::fs::write(&path, bytes).expect("write a fixture");
    path
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn archsim(args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_archsim"))
        .args(args)
        .output()
        .expect("run the archsim binary");
    let r = Run {
        code: out
            .status
            .code()
            .expect("archsim exited (not killed by a signal)"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !r.stderr.contains("panicked") && !r.stdout.contains("panicked"),
        "archsim {args:?} panicked:\n{}",
        r.stderr
    );
    r
}

/// Runs `archsim <cmd> <path>` for `run`, `validate` and `check`.
pub fn each_command(path: &Path) -> Vec<(&'static str, Run)> {
    let p = path.to_str().expect("a UTF-8 temporary path");
    ["run", "validate", "check"]
        .into_iter()
        .map(|cmd| (cmd, archsim(&[cmd, p])))
        .collect()
}

/// Asserts that `run`, `validate` and `check` all refuse the file with exit code 2, and that each
/// prints `path:LINE:COL: error: ...` at exactly that place with a message containing every one of
/// `says` (at least one of which should say what was expected).
pub fn refused_at(path: &Path, line: u32, col: u32, says: &[&str]) {
    let head = format!("{}:{line}:{col}: error: ", path.display());
    for (cmd, r) in each_command(path) {
        assert_eq!(
            r.code, 2,
            "archsim {cmd} should exit 2; stderr:\n{}",
            r.stderr
        );
        let Some(msg) = r.stderr.lines().find(|l| l.starts_with(&head)) else {
            panic!(
                "archsim {cmd}: no line starting `{head}` in stderr:\n{}",
                r.stderr
            );
        };
        for s in says {
            assert!(
                msg.contains(s),
                "archsim {cmd}: `{msg}` should contain `{s}`"
            );
        }
    }
}

/// Writes the fixture and checks it as [`refused_at`] does.
pub fn refused(test: &str, bytes: impl AsRef<[u8]>, line: u32, col: u32, says: &[&str]) {
    let path = write(test, &format!("{test}.yaml"), bytes);
    refused_at(&path, line, col, says);
}
