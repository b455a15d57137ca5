//! Reading a JSON report back into a [`Report`]: what `archsim diff` and `archsim report --html`
//! do with a report file, and what the browser app does with the worker's answer. The error says
//! what was expected: JSON, a report, a report of the format version this archsim reads.

use super::{FORMAT_VERSION, Report};
use std::fmt;

/// Why bytes are not a report this archsim reads.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    /// Not JSON at all (the parser's message, with line and column).
    NotJson(String),
    /// JSON, but not an object with a `format_version` key.
    NotAReport,
    /// A report of another format version.
    Version(u64),
    /// A report of this version whose shape does not fit (the deserialiser's message).
    Shape(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotJson(e) => write!(f, "not a JSON report ({e})"),
            ReadError::NotAReport => write!(
                f,
                "not an archsim report: expected a JSON object with `format_version` \
                 (a report written by `archsim run --json`)"
            ),
            ReadError::Version(v) => write!(
                f,
                "a report of format version {v}; this archsim reads format version {FORMAT_VERSION}"
            ),
            ReadError::Shape(e) => write!(
                f,
                "a report of format version {FORMAT_VERSION}, but not of its shape: {e}"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// Parses a JSON report (as [`crate::report_json`] writes it).
pub fn read(bytes: &[u8]) -> Result<Report, ReadError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ReadError::NotJson(e.to_string()))?;
    let version = value
        .as_object()
        .and_then(|o| o.get("format_version"))
        .ok_or(ReadError::NotAReport)?;
    match version.as_u64() {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => return Err(ReadError::Version(v)),
        None => return Err(ReadError::NotAReport),
    }
    serde_json::from_value(value).map_err(|e| ReadError::Shape(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let file = b"version: 1\nname: t\nseed: 1\nduration: 5s\n\
            components: { api: { kind: service, service_time: { exponential: 10ms } } }\n\
            workloads: [ { name: web, entry: api, arrivals: { poisson: 20/s } } ]\n\
            slo: [ 'p99(web) < 1s' ]\n";
        crate::simulate(&crate::load(file).unwrap().scenario).unwrap()
    }

    #[test]
    fn a_report_reads_back_to_the_same_bytes() {
        let text = crate::report_json(&report());
        assert!(text.starts_with("{\n  \"format_version\": 1,"));
        let back = read(text.as_bytes()).unwrap();
        assert_eq!(crate::report_json(&back), text);
    }

    #[test]
    fn each_wrong_input_says_what_was_expected() {
        assert!(matches!(read(b"version: 1"), Err(ReadError::NotJson(_))));
        assert_eq!(read(b"[1, 2]").unwrap_err(), ReadError::NotAReport);
        assert_eq!(
            read(b"{\"scenario\": \"x\"}").unwrap_err(),
            ReadError::NotAReport
        );
        let v2 = read(b"{\"format_version\": 2}").unwrap_err();
        assert_eq!(v2, ReadError::Version(2));
        assert!(
            v2.to_string()
                .contains("this archsim reads format version 1")
        );
        let text = crate::report_json(&report()).replace("\"seed\": 1", "\"seed\": \"one\"");
        let shape = read(text.as_bytes()).unwrap_err();
        assert!(
            matches!(&shape, ReadError::Shape(m) if m.contains("invalid type")),
            "{shape}"
        );
    }
}
