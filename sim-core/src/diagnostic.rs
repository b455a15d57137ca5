//! Diagnostics: what is wrong with a scenario, and exactly where. Every error the loader finds carries
//! a span into the source text so the CLI and the browser can point at the offending characters.

use std::fmt;

/// A position in the source: 1-based line and column (in characters), and the byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// 0-based byte offset in the file.
    pub byte: u32,
}

/// A range of source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// Where the problem starts.
    pub start: Pos,
    /// Where it ends (the same as `start` for a point).
    pub end: Pos,
}

impl Span {
    /// A span of one place.
    pub fn point(p: Pos) -> Span {
        Span { start: p, end: p }
    }
}

/// Whether a diagnostic stops the file from being simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The file is refused.
    Error,
    /// The file runs; the diagnostic says something worth knowing.
    Warning,
}

/// One finding about a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, saying what was expected.
    pub message: String,
    /// Where in the file.
    pub span: Span,
    /// An optional hint on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// The diagnostic with a hint of what to write instead.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error (the file is refused).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: error: message`, the one-line form used by the CLI and in tests.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        DisplayDiag { d: self, file }
    }
}

struct DisplayDiag<'a> {
    d: &'a Diagnostic,
    file: &'a str,
}

impl fmt::Display for DisplayDiag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.d.span.start.line, self.d.span.start.col, sev, self.d.message
        )?;
        if let Some(h) = &self.d.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}
