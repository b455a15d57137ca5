//! `archsim check`: simulate each file and judge its SLOs, accounting for confidence; optional
//! JUnit XML (one test case per SLO) and a Markdown summary for a pull request.
//!
//! Exit codes: 0 every SLO passes; 1 an SLO fails; 3 none fails but one is inconclusive (its 95 %
//! interval straddles the target: run more replications or longer); 2 a file is invalid, unreadable
//! or its run stopped at a limit (this takes precedence).

use sim_core::Report;
use sim_core::report::{SloReport, Verdict};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when no SLO fails but at least one is inconclusive.
pub const EXIT_INCONCLUSIVE: u8 = 3;

enum Outcome {
    Invalid(String),
    Ran(Box<Report>),
}

pub fn check(
    files: &[PathBuf],
    opts: &crate::options::RunOptions,
    junit: Option<&Path>,
    markdown: Option<&str>,
    what_if: &crate::what_if::WhatIf,
) -> ExitCode {
    let mut outcomes = Vec::new();
    for f in files {
        let outcome = match crate::what_if::load(f, what_if) {
            Err(_) => Outcome::Invalid("not a valid scenario (see the messages above)".into()),
            Ok(mut l) => {
                opts.apply(&mut l.scenario);
                match crate::options::simulate(&l.scenario, opts.threads()) {
                    Ok(r) => Outcome::Ran(Box::new(r)),
                    Err(e) => {
                        eprintln!("{}: error: {e}", f.display());
                        Outcome::Invalid(e.to_string())
                    }
                }
            }
        };
        outcomes.push((f.display().to_string(), outcome));
    }

    let (mut failed, mut inconclusive, mut invalid) = (0, 0, 0);
    for (name, o) in &outcomes {
        match o {
            Outcome::Invalid(_) => {
                invalid += 1;
                println!("INVALID      {name}");
            }
            Outcome::Ran(r) => {
                let fails = r.slo.iter().filter(|s| s.verdict == Verdict::Fail).count();
                let unsure = r
                    .slo
                    .iter()
                    .filter(|s| s.verdict == Verdict::Inconclusive)
                    .count();
                failed += fails;
                inconclusive += unsure;
                let head = if fails > 0 {
                    "FAIL        "
                } else if unsure > 0 {
                    "INCONCLUSIVE"
                } else {
                    "PASS        "
                };
                println!("{head} {name} ({})", crate::plural(r.slo.len(), "SLO"));
                for s in &r.slo {
                    println!(
                        "    {:<12} {:<40} {}",
                        verdict_word(s.verdict),
                        s.expr,
                        measured(s)
                    );
                }
            }
        }
    }
    if let Some(p) = junit
        && let Err(e) = std::fs::write(p, junit_xml(&outcomes))
    {
        eprintln!("error: cannot write {}: {e}", p.display());
        return ExitCode::from(2);
    }
    if let Some(p) = markdown {
        let md = markdown_summary(&outcomes);
        if p == "-" {
            print!("{md}");
        } else if let Err(e) = std::fs::write(p, md) {
            eprintln!("error: cannot write {p}: {e}");
            return ExitCode::from(2);
        }
    }
    if invalid > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else if inconclusive > 0 {
        ExitCode::from(EXIT_INCONCLUSIVE)
    } else {
        ExitCode::SUCCESS
    }
}

pub(crate) fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "FAIL",
        Verdict::Inconclusive => "inconclusive",
    }
}

/// `measured 91.0 ms (95% CI 88.2 ms..93.9 ms)`, or the note of an SLO that measured nothing.
fn measured(s: &SloReport) -> String {
    s.describe()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit_xml(outcomes: &[(String, Outcome)]) -> String {
    let mut o = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"archsim check\">\n",
    );
    for (name, out) in outcomes {
        match out {
            Outcome::Invalid(why) => {
                let _ = writeln!(
                    o,
                    "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\">",
                    xml_escape(name)
                );
                let _ = writeln!(
                    o,
                    "    <testcase name=\"valid scenario\" classname=\"{}\"><error message=\"{}\"/></testcase>",
                    xml_escape(name),
                    xml_escape(why)
                );
            }
            Outcome::Ran(r) => {
                let fails = r.slo.iter().filter(|s| s.verdict == Verdict::Fail).count();
                let skipped = r
                    .slo
                    .iter()
                    .filter(|s| s.verdict == Verdict::Inconclusive)
                    .count();
                let _ = writeln!(
                    o,
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\" errors=\"0\" skipped=\"{skipped}\">",
                    xml_escape(name),
                    r.slo.len()
                );
                for s in &r.slo {
                    let _ = write!(
                        o,
                        "    <testcase name=\"{}\" classname=\"{}\">",
                        xml_escape(&s.expr),
                        xml_escape(name)
                    );
                    match s.verdict {
                        Verdict::Fail => {
                            let _ =
                                write!(o, "<failure message=\"{}\"/>", xml_escape(&measured(s)));
                        }
                        Verdict::Inconclusive => {
                            let _ = write!(
                                o,
                                "<skipped message=\"inconclusive: {}\"/>",
                                xml_escape(&measured(s))
                            );
                        }
                        Verdict::Pass => {}
                    }
                    o.push_str("</testcase>\n");
                }
            }
        }
        o.push_str("  </testsuite>\n");
    }
    o.push_str("</testsuites>\n");
    o
}

fn markdown_summary(outcomes: &[(String, Outcome)]) -> String {
    let mut o = String::from(
        "## archsim check\n\n| scenario | SLO | measured | verdict |\n|---|---|---|---|\n",
    );
    for (name, out) in outcomes {
        match out {
            Outcome::Invalid(why) => {
                let _ = writeln!(o, "| `{name}` | | {why} | :no_entry: invalid |");
            }
            Outcome::Ran(r) => {
                if r.slo.is_empty() {
                    let _ = writeln!(o, "| `{name}` | (none) | | |");
                }
                for s in &r.slo {
                    let verdict = match s.verdict {
                        Verdict::Pass => ":white_check_mark: pass",
                        Verdict::Fail => ":x: fail",
                        Verdict::Inconclusive => ":grey_question: inconclusive",
                    };
                    let _ = writeln!(
                        o,
                        "| `{name}` | `{}` | {} | {verdict} |",
                        s.expr,
                        measured(s)
                    );
                }
            }
        }
    }
    o
}
