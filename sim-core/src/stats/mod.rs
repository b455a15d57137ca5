//! Statistics gathered during a run and summarised across replications.
//!
//! - [`histogram`]: streaming latency percentiles with bounded relative error and constant memory;
//! - [`estimate`]: means and 95 % confidence intervals over independent replications;
//! - [`timeseries`]: per-window figures for charts.

pub mod estimate;
pub mod histogram;
pub mod timeseries;
