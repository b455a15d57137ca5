//! Loading `pricing:`: overrides of the built-in price book, and checks that every component's
//! `instance` type is priced.

use super::load::{Fields, Loader};
use crate::cost::price_book::{Plan, PriceBook};
use crate::units;
use crate::yaml::{Node, Value};

/// Keys of `pricing:`.
pub const PRICING_KEYS: &[&str] = &[
    "month_hours",
    "instances",
    "function_per_million_requests",
    "function_per_gb_second",
    "inter_zone_per_gb",
    "inter_region_per_gb",
    "internet_out_per_gb",
    "nat_per_gb",
    "nat_per_hour",
    "load_balancer_per_hour",
    "storage_per_gb_month",
    "backup_per_gb_month",
    "queue_per_million_requests",
    "object_store_per_million_reads",
    "object_store_per_million_writes",
    "object_store_per_gb_month",
];

impl Loader {
    pub(super) fn pricing(&mut self, n: &Node) -> Option<PriceBook> {
        let mut b = PriceBook::default();
        if n.is_null() {
            return Some(b);
        }
        let f = self.fields(n, "`pricing`", PRICING_KEYS)?;
        self.price(&f, "month_hours", &mut b.month_hours)?;
        self.price(
            &f,
            "function_per_million_requests",
            &mut b.function_per_million_requests,
        )?;
        self.price(&f, "function_per_gb_second", &mut b.function_per_gb_second)?;
        self.price(&f, "inter_zone_per_gb", &mut b.inter_zone_per_gb)?;
        self.price(&f, "inter_region_per_gb", &mut b.inter_region_per_gb)?;
        self.price(&f, "internet_out_per_gb", &mut b.internet_out_per_gb)?;
        self.price(&f, "nat_per_gb", &mut b.nat_per_gb)?;
        self.price(&f, "nat_per_hour", &mut b.nat_per_hour)?;
        self.price(&f, "load_balancer_per_hour", &mut b.load_balancer_per_hour)?;
        self.price(&f, "storage_per_gb_month", &mut b.storage_per_gb_month)?;
        self.price(&f, "backup_per_gb_month", &mut b.backup_per_gb_month)?;
        self.price(
            &f,
            "queue_per_million_requests",
            &mut b.queue_per_million_requests,
        )?;
        self.price(
            &f,
            "object_store_per_million_reads",
            &mut b.object_store_per_million_reads,
        )?;
        self.price(
            &f,
            "object_store_per_million_writes",
            &mut b.object_store_per_million_writes,
        )?;
        self.price(
            &f,
            "object_store_per_gb_month",
            &mut b.object_store_per_gb_month,
        )?;
        if let Some(v) = f.get("month_hours")
            && !(1.0..=744.0).contains(&b.month_hours)
        {
            self.err(
                v.span,
                format!(
                    "`month_hours` {}; expected 1 to 744 (730 by convention)",
                    b.month_hours
                ),
            );
            return None;
        }
        if let Some(inst) = f.get("instances") {
            let Value::Map(types) = &inst.value else {
                self.err(inst.span, "expected `instances` to map instance types to prices, such as `m5.xlarge: { on_demand: 0.192, spot: 0.05 }`");
                return None;
            };
            for (k, v) in types {
                self.instance_prices(k, v, &mut b)?;
            }
        }
        Some(b)
    }

    /// One price of the book: `key`, if given, into `slot`; zero or more.
    fn price(&mut self, f: &Fields, key: &str, slot: &mut f64) -> Option<()> {
        if let Some(v) = f.get(key) {
            let x = self.unit(v, "a price in USD such as `0.02`", units::parse_number)?;
            if x < 0.0 {
                self.err(
                    v.span,
                    format!("a negative price for `{key}`; expected zero or more"),
                );
                return None;
            }
            *slot = x;
        }
        Some(())
    }

    /// The hourly prices of the instance type `k` by plan, `v`, into the book `b`; a type the
    /// book does not know needs an `on_demand` price.
    fn instance_prices(&mut self, k: &Node, v: &Node, b: &mut PriceBook) -> Option<()> {
        let name = k.as_scalar().unwrap_or("").to_string();
        let names: Vec<&str> = Plan::ALL.iter().map(|(n, _)| *n).collect();
        let pf = self.fields(v, &format!("prices of `{name}`"), &names)?;
        for (plan_name, plan) in Plan::ALL {
            if let Some(p) = pf.get(plan_name) {
                let x = self.unit(p, "USD per hour such as `0.192`", units::parse_number)?;
                if x < 0.0 {
                    self.err(p.span, "a negative price; expected zero or more");
                    return None;
                }
                b.instances.insert((name.clone(), plan), x);
            }
        }
        if !b.instances.contains_key(&(name.clone(), Plan::OnDemand)) && !b.knows(&name) {
            self.err(
                v.span,
                format!("a new instance type `{name}` needs an `on_demand` price"),
            );
            return None;
        }
        Some(())
    }
}
