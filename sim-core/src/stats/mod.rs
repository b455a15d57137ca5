//! Statistics gathered during a run and summarised across replications.
//!
//! - [`histogram`]: streaming latency percentiles with bounded relative error and constant memory;
//! - [`estimate`]: means and 95 % confidence intervals over independent replications;
//! - [`student`]: Student's t quantiles at any confidence (the planner's sequential verdicts);
//! - [`timeseries`]: per-window figures for charts.

pub mod estimate;
pub mod histogram;
pub mod student;
pub mod timeseries;
