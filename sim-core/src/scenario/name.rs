//! The one rule for the names a scenario gives to components, workloads, regions and zones, used
//! where each name is defined (the loader) and where one is referred to (SLO expressions, and the
//! `component.field=value` paths of what-if edits). A name is one or more characters other than
//! white space, control characters and the few that have a meaning around names: `.` separates a
//! component from its field (`api.replicas`), `(` `)` enclose an SLO's argument (`p99(web)`), `<`
//! `>` compare in an SLO, `=` gives a value (`api.replicas=4`), `|` joins two regions in a
//! network link's key (`us-east|eu-west`).

/// The characters a name may not hold, besides white space and control characters.
pub const RESERVED: [char; 7] = ['.', '(', ')', '<', '>', '=', '|'];

/// What a name may hold, for error messages.
pub const RULE: &str = "a name is one or more characters other than spaces and `.` `(` `)` `<` `>` `=` `|`, such as `api`, `checkout-db` or `us_east_1`";

/// Whether `name` follows the rule; if not, why (the first offending character).
pub fn check(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("an empty name; {RULE}"));
    }
    match name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || RESERVED.contains(c))
    {
        None => Ok(()),
        Some(c) if c.is_whitespace() || c.is_control() => Err(format!(
            "`{}` holds white space or a control character; {RULE}",
            name.escape_debug()
        )),
        Some(c) => Err(format!("`{name}` holds `{c}`; {RULE}")),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn names_of_the_examples_pass() {
        for n in [
            "api",
            "checkout-db",
            "us_east_1",
            "a",
            "eu-central",
            "db2",
            "café",
            "a/b",
            "x:y",
        ] {
            assert_eq!(check(n), Ok(()), "{n}");
        }
    }

    #[test]
    fn reserved_characters_empty_and_spaces_are_refused_saying_why() {
        for (n, says) in [
            ("", "an empty name"),
            ("api.v2", "holds `.`"),
            ("a<b", "holds `<`"),
            ("a>b", "holds `>`"),
            ("f(x)", "holds `(`"),
            ("x)", "holds `)`"),
            ("a=b", "holds `=`"),
            ("us|eu", "holds `|`"),
            ("my api", "holds white space"),
            ("tab\there", "holds white space"),
            ("bell\u{7}", "holds white space"),
        ] {
            let e = check(n).unwrap_err();
            assert!(e.contains(says), "{n:?}: {e}");
            assert!(e.contains("a name is one or more characters"), "{e}");
        }
    }
}
