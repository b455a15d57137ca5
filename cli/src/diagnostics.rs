//! Prints the core's diagnostics as `file:line:col` one-liners followed by the offending source
//! lines, underlined (rendered by `codespan-reporting`).

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use sim_core::{Diagnostic, Severity};

/// Most diagnostics printed for one file: a mangled file (say, thousands of unknown keys) must not
/// bury the first, most useful messages under a flood.
pub const MAX_SHOWN: usize = 50;

pub fn emit(name: &str, bytes: &[u8], diags: &[Diagnostic]) {
    let text = String::from_utf8_lossy(bytes);
    let file = SimpleFile::new(name, text.as_ref());
    let config = Config::default();
    if diags.len() > MAX_SHOWN {
        // Errors first, so the cut never hides an error behind warnings.
        let mut sorted: Vec<Diagnostic> = diags.to_vec();
        sorted.sort_by_key(|d| !d.is_error());
        emit_shown(name, bytes, &file, &config, &sorted[..MAX_SHOWN]);
        eprintln!(
            "{name}: {} more diagnostics not shown",
            diags.len() - MAX_SHOWN
        );
    } else {
        emit_shown(name, bytes, &file, &config, diags);
    }
}

fn emit_shown(
    name: &str,
    bytes: &[u8],
    file: &SimpleFile<&str, &str>,
    config: &Config,
    diags: &[Diagnostic],
) {
    let text = file.source();
    for d in diags {
        eprintln!("{}", d.display(name));
        // A snippet only where the text is readable and the span falls inside it.
        if std::str::from_utf8(bytes).is_err() || d.span.start.byte as usize > text.len() {
            continue;
        }
        let start = d.span.start.byte as usize;
        let end = (d.span.end.byte as usize).clamp(start, text.len());
        let cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(&d.message)
        .with_labels(vec![Label::primary((), start..end.max(start))])
        .with_notes(d.help.iter().map(|h| format!("help: {h}")).collect());
        if let Ok(s) = term::emit_into_string(config, file, &cs) {
            // The first line repeats the message we already printed.
            let body: Vec<&str> = s.lines().skip(1).collect();
            eprintln!("{}", body.join("\n"));
        }
    }
}
