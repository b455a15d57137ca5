//! The one declaration of each component kind: its fields (what value each takes, its unit,
//! default, range and a one-line doc), the faults that apply to it, what it costs, and how the
//! editors present it (palette entry, icon, the body of a new one).
//!
//! Everything that lists a kind's vocabulary derives from here: the loader's accepted keys
//! ([`super::load::keys`]), the JSON Schema (`docs/scenario.schema.json`, [`schema`]), the field
//! tables of `docs/format.md` ([`markdown`]), `archsim --help`'s list of kinds, the cost
//! category, and in the browser the palette, the templates, the inspector's fields and their
//! first values. What a kind *does* stays in its engine file; what its values *mean* once loaded
//! stays in [`super::kinds`].
//!
//! A declaration is plain `const` data, so the key lists the loader checks against are computed at
//! compile time ([`keys`]) and cost nothing at load time.

mod cache;
mod common;
mod database;
mod dns;
mod external;
mod function;
mod load_balancer;
pub mod markdown;
mod object_store;
mod queue;
pub mod schema;
mod service;

pub use cache::CACHE;
pub use database::DATABASE;
pub use dns::DNS;
pub use external::EXTERNAL;
pub use function::FUNCTION;
pub use load_balancer::LOAD_BALANCER;
pub use object_store::OBJECT_STORE;
pub use queue::QUEUE;
pub use service::SERVICE;

/// Every kind, in the order the format reference lists them.
pub const ALL: &[&KindDecl] = &[
    &SERVICE,
    &EXTERNAL,
    &LOAD_BALANCER,
    &DNS,
    &CACHE,
    &QUEUE,
    &DATABASE,
    &FUNCTION,
    &OBJECT_STORE,
];

/// The declaration of kind `name`, if the format has it.
pub fn of(name: &str) -> Option<&'static KindDecl> {
    ALL.iter().copied().find(|k| k.name == name)
}

/// One component kind, declared once.
#[derive(Debug)]
pub struct KindDecl {
    /// What `kind:` says (`load_balancer`).
    pub name: &'static str,
    /// One line: what the kind is, for `--help`, the palette's tooltip and the docs.
    pub summary: &'static str,
    /// Every key a component of this kind accepts, in the order the loader's messages list them.
    pub fields: &'static [Field],
    /// The fields' keys, in the same order (computed from `fields` at compile time by [`keys`]):
    /// what the loader checks a component's keys against.
    pub keys: &'static [&'static str],
    /// The fault types that may name a component of this kind (`faults[].<type>.component`).
    pub faults: &'static [&'static str],
    /// What it costs.
    pub cost: Cost,
    /// How the editors show it.
    pub look: Look,
}

/// What a kind costs: the report's `cost.by_category` its instance-hours fall under, and the
/// price-book keys (`pricing:`) that bill it.
#[derive(Debug)]
pub struct Cost {
    /// The category of its instance-hours (when it has an `instance`).
    pub category: &'static str,
    /// The `pricing:` keys that price its usage, beside the instance type's hourly price.
    pub price_keys: &'static [&'static str],
}

/// How the browser presents a kind.
#[derive(Debug)]
pub struct Look {
    /// The start of a new component's name (`svc`, then `svc2`, ...).
    pub base_name: &'static str,
    /// A one-character icon drawn in its box on the sketch and on its palette button.
    pub icon: &'static str,
    /// The fields a new component is written with, after `kind`: `(key, value)`, where `{target}`
    /// in a value stands for the component it should send to.
    pub template: &'static [(&'static str, &'static str)],
}

/// One field of a kind.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    /// What value it takes.
    pub ty: Type,
    /// The loader refuses a component without it.
    pub required: bool,
    /// What the loader uses when the key is absent, written as in a file (`1`, `round_robin`);
    /// `None` when absence means "none" or "off", or the default depends on other fields.
    pub default: Option<&'static str>,
    /// A typical value a newly added field starts as in the editors.
    pub example: &'static str,
    /// One line: what it means.
    pub doc: &'static str,
}

/// What value a field takes. Composite values (calls, autoscaling, health checks, ...) are
/// [`Type::Block`]s, described once in the schema's `$defs` and the format reference.
#[derive(Debug)]
pub enum Type {
    /// `kind:` itself: the kind's name.
    Kind,
    /// A whole number within `min..=max` (no upper bound when `max` is `None`).
    Count { min: u64, max: Option<u64> },
    /// A whole number within its range, or the word `unlimited`.
    CountOrUnlimited { min: u64, max: Option<u64> },
    /// A number within `min..=max`.
    Number { min: f64, max: f64 },
    /// A duration such as `30s`.
    Duration,
    /// A distribution of durations such as `{ exponential: 20ms }`, or a fixed duration.
    Distribution,
    /// A share such as `80%` or `0.8`.
    Fraction,
    /// A size in bytes such as `512MB`.
    Size,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Free text.
    Text,
    /// The name of another component.
    Component,
    /// A region's name (from `regions`), or a zone's (of the component's region).
    Place,
    /// A list of zone names.
    Zones,
    /// A list of words (operation names).
    Words,
    /// A composite value: the name of its `$defs` entry in the schema.
    Block(&'static str),
}

impl Type {
    /// How the format reference's tables name the value.
    pub fn describe(&self) -> String {
        let range = |min: u64, max: Option<u64>| match max {
            Some(max) => format!("{min} to {max}"),
            None => format!("at least {min}"),
        };
        match self {
            Type::Kind => "the kind's name".into(),
            Type::Count { min, max } => format!("whole number, {}", range(*min, *max)),
            Type::CountOrUnlimited { min, max } => {
                format!("whole number, {}, or `unlimited`", range(*min, *max))
            }
            Type::Number { min, max } => format!("number, {min} to {max}"),
            Type::Duration => "duration (`30s`)".into(),
            Type::Distribution => "distribution (`{ exponential: 20ms }`)".into(),
            Type::Fraction => "share (`80%`, `0.8`)".into(),
            Type::Size => "size (`512MB`)".into(),
            Type::Choice(words) => words
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(" \\| "),
            Type::Text => "text".into(),
            Type::Component => "component name".into(),
            Type::Place => "name".into(),
            Type::Zones => "list of zone names".into(),
            Type::Words => "list of names".into(),
            Type::Block(def) => format!("block ({})", def.replace('_', " ")),
        }
    }
}

impl KindDecl {
    /// The field `key`, if the kind has it.
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The body of a new component of this kind, `target` standing for what it sends to.
    pub fn template(&self, target: &str) -> String {
        std::iter::once(format!("kind: {}", self.name))
            .chain(
                self.look
                    .template
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.replace("{target}", target))),
            )
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Whether fault type `fault` may name a component of this kind.
    pub fn takes_fault(&self, fault: &str) -> bool {
        self.faults.contains(&fault)
    }
}

/// The keys of `fields`, in order, as a fixed-size array (`N` = `fields.len()`): how the
/// loader's `&[&str]` key lists are computed from the declarations at compile time.
pub const fn keys<const N: usize>(fields: &[Field]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = fields[i].key;
        i += 1;
    }
    out
}

/// The names of `kinds`, in order (`N` = `kinds.len()`).
pub const fn names<const N: usize>(kinds: &[&KindDecl]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = kinds[i].name;
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_kind_first_or_declared_once_and_keys_are_unique() {
        for k in ALL {
            let mut seen = std::collections::BTreeSet::new();
            for f in k.fields {
                assert!(seen.insert(f.key), "{}: `{}` declared twice", k.name, f.key);
                assert!(!f.doc.is_empty(), "{}.{}: no doc", k.name, f.key);
                assert!(!f.example.is_empty(), "{}.{}: no example", k.name, f.key);
            }
            assert!(seen.contains("kind"), "{}: no `kind` field", k.name);
        }
    }

    #[test]
    fn templates_use_only_declared_fields_and_name_every_required_one() {
        for k in ALL {
            for (key, _) in k.look.template {
                assert!(k.field(key).is_some(), "{}: template key `{key}`", k.name);
            }
            for f in k.fields.iter().filter(|f| f.required && f.key != "kind") {
                assert!(
                    k.look.template.iter().any(|(key, _)| *key == f.key),
                    "{}: the template lacks required `{}`",
                    k.name,
                    f.key
                );
            }
        }
    }

    #[test]
    fn keys_are_computed_in_order() {
        const F: &[Field] = SERVICE.fields;
        const N: usize = F.len();
        let k: [&str; N] = keys::<N>(F);
        assert_eq!(k.len(), F.len());
        assert!(k.iter().zip(F).all(|(a, f)| *a == f.key));
    }
}
