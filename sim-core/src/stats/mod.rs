//! Statistics gathered during a run and summarised across replications.
//!
//! - [`histogram`]: streaming latency percentiles with bounded relative error and constant memory;
//! - [`estimate`]: means and 95 % confidence intervals over independent replications;
//! - [`integral`]: time integrals of levels that change by steps (busy slots, jobs present);
//! - [`student`]: Student's t quantiles at any confidence (the planner's sequential verdicts);
//! - [`timeseries`]: per-window figures for charts;
//! - [`nan_as_null`]: figures that may be `NaN`, as JSON.

pub mod estimate;
pub mod histogram;
pub mod integral;
pub mod student;
pub mod timeseries;

/// A float that may be `NaN` (a figure with nothing to measure), written as JSON `null` and read
/// back as `NaN`: serde_json writes `NaN` as `null` but will not read `null` as a float.
pub mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `x`, or `null` for `NaN`.
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_nan() {
            s.serialize_none()
        } else {
            s.serialize_f64(*x)
        }
    }

    /// Reads a number, or `null` as `NaN`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}
