//! The built-in price book (USD) and its overrides from a scenario's `pricing:`.
//!
//! Sources: public on-demand list prices of a large cloud's us-east region, as commonly quoted, and
//! the calibration seeds where they give a figure (`shared/design/calibration.md`): m5.xlarge 0.192/h
//! on demand, 0.121/h reserved 1 year, 0.079/h reserved 3 years, 0.04-0.08/h spot (003 L2080-2083);
//! NAT processing 0.045/GB (003 L3935). Reserved and spot prices of the other types apply the same
//! ratios as m5.xlarge (0.63, 0.41, 0.3125 of on demand: the seeds' reserved 30-60 % and spot
//! 60-90 % discounts). Every figure is a default a scenario can override; none is a quote.

use std::collections::BTreeMap;

/// How an instance is paid for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Plan {
    OnDemand,
    Reserved1y,
    Reserved3y,
    Spot,
}

impl Plan {
    pub const ALL: [(&'static str, Plan); 4] = [
        ("on_demand", Plan::OnDemand),
        ("reserved_1y", Plan::Reserved1y),
        ("reserved_3y", Plan::Reserved3y),
        ("spot", Plan::Spot),
    ];

    /// Share of the on-demand price (the m5.xlarge ratios of the seeds).
    fn ratio(self) -> f64 {
        match self {
            Plan::OnDemand => 1.0,
            Plan::Reserved1y => 0.121 / 0.192,
            Plan::Reserved3y => 0.079 / 0.192,
            Plan::Spot => 0.06 / 0.192,
        }
    }
}

/// On-demand USD per hour of the built-in instance types.
const INSTANCES: &[(&str, f64)] = &[
    ("t3.micro", 0.0104),
    ("t3.small", 0.0208),
    ("t3.medium", 0.0416),
    ("t3.large", 0.0832),
    ("m5.large", 0.096),
    ("m5.xlarge", 0.192),
    ("m5.2xlarge", 0.384),
    ("m5.4xlarge", 0.768),
    ("c5.large", 0.085),
    ("c5.xlarge", 0.17),
    ("c5.2xlarge", 0.34),
    ("r5.large", 0.126),
    ("r5.xlarge", 0.252),
    ("r5.2xlarge", 0.504),
    ("db.t3.medium", 0.068),
    ("db.m5.large", 0.171),
    ("db.m5.xlarge", 0.342),
    ("db.r5.large", 0.25),
    ("db.r5.xlarge", 0.50),
    ("db.r5.2xlarge", 1.00),
    ("cache.m5.large", 0.156),
    ("cache.r5.large", 0.216),
];

/// Every price the cost model uses.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceBook {
    pub month_hours: f64,
    /// `(type, plan)` -> USD per hour; plans not listed follow the on-demand price and ratio.
    pub instances: BTreeMap<(String, Plan), f64>,
    pub function_per_million_requests: f64,
    pub function_per_gb_second: f64,
    /// Charged to each side of a transfer between zones: 0.01 out + 0.01 in.
    pub inter_zone_per_gb: f64,
    /// Default for links without `egress_per_gb`.
    pub inter_region_per_gb: f64,
    pub internet_out_per_gb: f64,
    pub nat_per_gb: f64,
    /// Each NAT gateway of `network.nat`, by the hour (AWS us-east-1 list price; not in the seeds).
    pub nat_per_hour: f64,
    pub load_balancer_per_hour: f64,
    pub storage_per_gb_month: f64,
    pub backup_per_gb_month: f64,
    /// Per million API requests (a message costs three: send, receive, delete).
    pub queue_per_million_requests: f64,
    /// An object store's reads (GET), per million (S3 Standard list price; not in the seeds).
    pub object_store_per_million_reads: f64,
    /// Its writes (PUT), per million.
    pub object_store_per_million_writes: f64,
    /// Its data stored, per GB-month.
    pub object_store_per_gb_month: f64,
}

impl Default for PriceBook {
    fn default() -> PriceBook {
        PriceBook {
            month_hours: 730.0,
            instances: INSTANCES
                .iter()
                .map(|&(t, p)| ((t.to_string(), Plan::OnDemand), p))
                .collect(),
            function_per_million_requests: 0.20,
            function_per_gb_second: 0.000_016_666_7,
            inter_zone_per_gb: 0.02,
            inter_region_per_gb: 0.02,
            internet_out_per_gb: 0.09,
            nat_per_gb: 0.045,
            nat_per_hour: 0.045,
            load_balancer_per_hour: 0.0225,
            storage_per_gb_month: 0.115,
            backup_per_gb_month: 0.095,
            queue_per_million_requests: 0.40,
            object_store_per_million_reads: 0.40,
            object_store_per_million_writes: 5.00,
            object_store_per_gb_month: 0.023,
        }
    }
}

impl PriceBook {
    /// Whether the price book knows the instance type.
    pub fn knows(&self, instance: &str) -> bool {
        self.instances.keys().any(|(t, _)| t == instance)
    }

    /// Known instance types, for messages.
    pub fn types(&self) -> Vec<&str> {
        let mut t: Vec<&str> = self.instances.keys().map(|(t, _)| t.as_str()).collect();
        t.dedup();
        t
    }

    /// USD per hour of one instance of `instance` on `plan`.
    pub fn hourly(&self, instance: &str, plan: Plan) -> f64 {
        if let Some(p) = self.instances.get(&(instance.to_string(), plan)) {
            return *p;
        }
        self.instances
            .get(&(instance.to_string(), Plan::OnDemand))
            .map_or(0.0, |p| p * plan.ratio())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_prices_for_m5_xlarge() {
        let b = PriceBook::default();
        assert_eq!(b.hourly("m5.xlarge", Plan::OnDemand), 0.192);
        assert!((b.hourly("m5.xlarge", Plan::Reserved1y) - 0.121).abs() < 1e-12);
        assert!((b.hourly("m5.xlarge", Plan::Reserved3y) - 0.079).abs() < 1e-12);
        assert!((b.hourly("m5.xlarge", Plan::Spot) - 0.06).abs() < 1e-12);
        assert!(b.knows("r5.large") && !b.knows("z9.huge"));
    }
}
