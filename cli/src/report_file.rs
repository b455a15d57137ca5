//! A file given where a scenario or a JSON report may stand (`archsim diff`, `archsim report`):
//! read as a typed `Report` when it is one, and told apart from a scenario otherwise. A report this
//! archsim cannot read (another format version, a broken shape) is an error naming the file, exit 2.

use sim_core::Report;
use sim_core::report::ReadError;
use std::path::Path;
use std::process::ExitCode;

/// The file's report, `None` when the file is not a report (then it is read as a scenario), or the
/// exit code after the problem has been printed.
pub fn read(path: &Path) -> Result<Option<Report>, ExitCode> {
    let name = path.display();
    let bytes = crate::read::bounded(path, crate::read::MAX_REPORT_BYTES).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    match sim_core::report::read(&bytes) {
        Ok(r) => Ok(Some(r)),
        Err(ReadError::NotJson(_)) => Ok(None),
        Err(ReadError::NotAReport) if !looks_like_an_old_report(&bytes) => Ok(None),
        Err(ReadError::NotAReport) => {
            eprintln!(
                "{name}: error: a report without `format_version`, written by an older archsim; \
                 this archsim reads format version {} (run the scenario again)",
                sim_core::report::FORMAT_VERSION
            );
            Err(ExitCode::from(2))
        }
        Err(e) => {
            eprintln!("{name}: error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// Reports key their workloads by name and carry `engine`; scenarios list workloads in an array.
fn looks_like_an_old_report(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .is_ok_and(|v| v["workloads"].is_object() && v.get("engine").is_some())
}
