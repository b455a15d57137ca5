//! `archsim export FILE --mermaid|--dot [-o PATH]`: the scenario's graph as a diagram for other
//! tools (Mermaid for Markdown pages such as GitHub's, Graphviz DOT for `dot -Tsvg`). The file is
//! read and checked like `validate` does; the text comes from `sim_core::export`, the same as
//! the browser app's copy buttons.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub const LONG_ABOUT: &str =
    "Write the scenario's graph as a diagram: every workload (its users) and \
component as a node with a shape per kind, regions and zones as boxes around what is placed there, \
an arrow per call, per load balancer or DNS target, per cache's on_miss (labelled) and per \
workload's entry, and a dashed arrow from a queue to its consumers (a hand-off no one waits for).

--mermaid writes a Mermaid `flowchart` (paste it into a ```mermaid block of a Markdown page); \
--dot writes Graphviz DOT (render it with `dot -Tsvg`). The same file always gives the same text.";

const AFTER_HELP: &str = "Examples:
  archsim export scenarios/checkout.yaml --mermaid
  archsim export scenarios/dns-ttl-region-failover.yaml --dot | dot -Tsvg > failover.svg
  archsim export scenarios/zone-spread.yaml --mermaid -o zone-spread.mmd

Exit codes: 0 written; 2 invalid scenario (file:line:col: error: ...), unreadable file, or PATH not \
writable.";

/// The arguments of `archsim export` (its long help is [`LONG_ABOUT`], set on the subcommand).
#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
#[command(group(clap::ArgGroup::new("format").required(true).args(["mermaid", "dot"])))]
pub struct Args {
    /// The scenario file (YAML or JSON).
    file: PathBuf,
    /// Write a Mermaid flowchart.
    #[arg(long)]
    mermaid: bool,
    /// Write Graphviz DOT.
    #[arg(long)]
    dot: bool,
    /// Write to PATH instead of standard output (`-` is standard output).
    #[arg(short = 'o', long = "output", value_name = "PATH|-")]
    output: Option<String>,
}

/// Runs `archsim export`.
pub fn export(args: &Args) -> ExitCode {
    let loaded = match crate::load(&args.file) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let diagram = sim_core::export::Diagram::of(&loaded.scenario);
    let text = if args.dot {
        sim_core::export::dot::render(&diagram)
    } else {
        sim_core::export::mermaid::render(&diagram)
    };
    match args.output.as_deref() {
        None | Some("-") => {
            if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
                return ExitCode::from(2);
            }
        }
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: cannot write {path}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
