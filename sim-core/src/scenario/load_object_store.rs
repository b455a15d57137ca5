//! Loading an `object_store`: its read and write latencies, the operations that write, its error
//! rate and the data it stores.

use super::load::{Fields, Loader};
use super::*;
use crate::units;
use crate::yaml::Node;

impl Loader {
    pub(super) fn object_store(&mut self, name: &str, n: &Node) -> Option<Component> {
        let what = format!("object store `{name}`");
        let f = self.fields(n, &what, decl::OBJECT_STORE.keys)?;
        let read_time = self.declared_dist(&f, "read_time")?;
        let write_time = self.declared_dist(&f, "write_time")?;
        let write_ops = self.write_ops(&f)?;
        let error_rate = match f.get("error_rate") {
            None => 0.0,
            Some(v) => self.unit(v, "a percentage such as `0.01%`", units::parse_fraction)?,
        };
        let storage_gb = match f.get("storage") {
            None => 0.0,
            Some(v) => self.unit(v, "a size such as `1TB`", units::parse_size)? / 1e9,
        };
        let (region, zones) = self.placement(&f)?;
        let failures = self.failures(&f)?;
        Some(Component {
            name: String::new(),
            span: f.span,
            kind: ComponentKind::ObjectStore(ObjectStore {
                read_time: read_time.clone(),
                write_time,
                write_ops,
                storage_gb,
            }),
            autoscale: None,
            billing: None,
            // One endpoint of unlimited concurrency: the provider scales it, nothing waits.
            station: Service {
                replicas: 1,
                concurrency: None,
                service_time: read_time,
                steps: Vec::new(),
                io_async: false,
                error_rate,
                queue_limit: None,
                balance: Balance::RoundRobin,
                routing: Routing::Any,
            },
            region,
            zones,
            failures,
        })
    }

    /// The distribution at `key`, or the object store's declared default when absent.
    fn declared_dist(&mut self, f: &Fields, key: &str) -> Option<Dist> {
        match f.get(key) {
            Some(v) => self.dist(v),
            None => {
                let text = decl::OBJECT_STORE.field(key)?.default?;
                let tree = crate::yaml::parse(text.as_bytes()).ok()?;
                self.dist(&tree)
            }
        }
    }
}
