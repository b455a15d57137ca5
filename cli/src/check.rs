//! `archsim check`: simulate each file and judge its SLOs; optional JUnit XML and Markdown outputs.

use sim_core::Report;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

enum Outcome {
    Invalid(String),
    Ran(Box<Report>),
}

pub fn check(
    files: &[PathBuf],
    seed: Option<u64>,
    junit: Option<&Path>,
    markdown: Option<&str>,
) -> ExitCode {
    let mut outcomes = Vec::new();
    for f in files {
        let outcome = match crate::load(f) {
            Err(_) => Outcome::Invalid("not a valid scenario (see the messages above)".into()),
            Ok(mut l) => {
                if let Some(s) = seed {
                    l.scenario.seed = s;
                }
                match sim_core::simulate(&l.scenario) {
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

    let (mut failed, mut invalid) = (0, 0);
    for (name, o) in &outcomes {
        match o {
            Outcome::Invalid(_) => {
                invalid += 1;
                println!("INVALID {name}");
            }
            Outcome::Ran(r) => {
                let fails = r.slo.iter().filter(|s| s.pass == Some(false)).count();
                failed += fails;
                println!(
                    "{} {name} ({} SLOs)",
                    if fails == 0 { "PASS   " } else { "FAIL   " },
                    r.slo.len()
                );
                for s in &r.slo {
                    let v = match s.pass {
                        Some(true) => "pass",
                        Some(false) => "FAIL",
                        None => "n/a ",
                    };
                    let value = s.value.map_or_else(
                        || s.note.clone().unwrap_or_default(),
                        |x| format!("measured {x:.4}"),
                    );
                    println!("    {v}  {:<40} {value}", s.expr);
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
    } else {
        ExitCode::SUCCESS
    }
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
                let fails = r.slo.iter().filter(|s| s.pass == Some(false)).count();
                let skipped = r.slo.iter().filter(|s| s.pass.is_none()).count();
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
                    match (s.pass, s.value) {
                        (Some(false), Some(v)) => {
                            let _ = write!(o, "<failure message=\"measured {v}\"/>");
                        }
                        (None, _) => {
                            let _ = write!(
                                o,
                                "<skipped message=\"{}\"/>",
                                xml_escape(s.note.as_deref().unwrap_or(""))
                            );
                        }
                        _ => {}
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
                    let verdict = match s.pass {
                        Some(true) => ":white_check_mark: pass",
                        Some(false) => ":x: fail",
                        None => "not evaluated",
                    };
                    let v = s.value.map_or_else(String::new, |x| format!("{x:.4}"));
                    let _ = writeln!(o, "| `{name}` | `{}` | {v} | {verdict} |", s.expr);
                }
            }
        }
    }
    o
}
