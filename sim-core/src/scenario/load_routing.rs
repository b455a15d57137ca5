//! Loading `routing:` (`any` or `same_zone`) on a call or a service, and the check that needs
//! every component: a database picks its node itself (`reads:`), so no call to one may route by
//! zone.

use super::load::Loader;
use super::{Component, ComponentKind, Routing};
use crate::diagnostic::Diagnostic;
use crate::yaml::Node;

impl Loader {
    pub(super) fn routing(&mut self, v: &Node) -> Option<Routing> {
        match self.scalar(v, "`any` or `same_zone`")? {
            "any" => Some(Routing::Any),
            "same_zone" => Some(Routing::SameZone),
            other => {
                self.err(
                    v.span,
                    format!("unknown routing `{other}`; expected `any` or `same_zone`"),
                );
                None
            }
        }
    }

    /// Calls that route by zone must reach instances the caller chooses.
    pub(super) fn check_routing(&mut self, components: &[Component]) {
        for c in components {
            for call in c.station.calls() {
                let callee = &components[call.to];
                let same_zone = call.routing.unwrap_or(callee.station.routing) == Routing::SameZone;
                if same_zone && matches!(callee.kind, ComponentKind::Database(_)) {
                    self.diags.push(
                        Diagnostic::error(
                            call.span,
                            format!(
                                "`routing: same_zone` on a call to database `{}`, which picks its node itself",
                                callee.name
                            ),
                        )
                        .with_help("a database reads from the node `reads:` says; `reads: nearest` prefers the caller's zone"),
                    );
                }
            }
        }
    }
}
