//! Scale-out over a batch engine: the work of one command (a sweep's points, a run's
//! replications) cut into shards that separate processes run, and their outputs (parts) merged
//! back into exactly the bytes one process writes. Pure: the CLI reads the environment and files
//! and hands their contents here.
//!
//! - [`spec`]: which shard this process is (`--shard I/N`, or from a batch engine's variables);
//! - [`assign`]: which work items fall to each shard, balanced by expected cost;
//! - [`part`]: a shard's output, what merging checks, and the merge.

pub mod assign;
pub mod part;
pub mod spec;

pub use part::{Part, PartHeader};
pub use spec::Shard;

use sha2::Digest;

/// The SHA-256 of a scenario's text, in hex: what `sha256sum FILE` prints for it.
pub fn scenario_hash(text: &str) -> String {
    let d = sha2::Sha256::digest(text.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The archsim version that writes parts and sweeps; parts of another version are not merged.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
