//! The engine's indices and their sentinels: a job, link, call, instance, component and workload
//! are indices into the run's tables (`u32`, so events stay 32 bytes).

/// No job, link, key or origin.
pub(super) const NONE: u32 = u32::MAX;
/// The operation of a request from a workload without an `ops` mix.
pub(super) const NO_OP: u32 = u32::MAX;
/// Marks the run-time call that a balancer or DNS forwards its requests on.
pub(super) const FORWARD: u32 = u32::MAX - 1;
