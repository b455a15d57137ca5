//! Reading input files with a bound: at most the bound plus one byte is read from any file, pipe or
//! device, so `/dev/zero`, a named pipe that never ends or a 3 GB file costs no more than a file
//! of the largest accepted size, and is refused with its size bound in the message.

use std::io::Read;
use std::path::Path;

/// Largest JSON report `archsim report` and `archsim diff` read (a scenario is bounded by
/// [`sim_core::yaml::MAX_SOURCE_BYTES`] when it is loaded).
pub const MAX_REPORT_BYTES: usize = 64 * 1024 * 1024;

/// The file's bytes, or the message saying why not (unreadable, or more than `max` bytes).
pub fn bounded(path: &Path, max: usize) -> Result<Vec<u8>, String> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() > max {
        return Err(format!(
            "{name} is larger than {max} bytes (reading stopped there); expected a file of at most {max} bytes"
        ));
    }
    Ok(bytes)
}

/// A scenario file's bytes, bounded by the core's size limit.
pub fn scenario(path: &Path) -> Result<Vec<u8>, String> {
    bounded(path, sim_core::yaml::MAX_SOURCE_BYTES)
}
