//! The field tables of the format reference (`docs/format.md`), generated from the declarations:
//! each kind's section holds its table between `<!-- fields: KIND -->` and `<!-- /fields -->`.
//! [`splice`] rewrites every such block; a test checks the committed reference is current, and
//! `ARCHSIM_BLESS=1` on that test rewrites it.

use super::{KindDecl, Type, of};

const OPEN: &str = "<!-- fields: ";
const CLOSE: &str = "<!-- /fields -->";

/// The Markdown table of `k`'s fields.
pub fn table(k: &KindDecl) -> String {
    let mut out = String::from("| key | value | default | meaning |\n|---|---|---|---|\n");
    for f in k.fields {
        let default = match (f.required, f.default) {
            (true, _) => "required".to_string(),
            (false, Some(d)) => format!("`{d}`"),
            (false, None) => "none".to_string(),
        };
        let value = match f.ty {
            Type::Block(_) => format!("block, such as `{}`", f.example),
            _ => f.ty.describe(),
        };
        out += &format!(
            "| `{}` | {} | {} | {} |\n",
            f.key,
            value,
            default,
            f.doc.replace('|', "\\|")
        );
    }
    out
}

/// `doc` with every marked block replaced by the current table of its kind; an error names a
/// marker without its end or a kind the format does not have.
pub fn splice(doc: &str) -> Result<String, String> {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(at) = rest.find(OPEN) {
        let (before, from) = rest.split_at(at);
        out += before;
        let line_end = from
            .find('\n')
            .ok_or("a fields marker without its line's end")?;
        let marker = &from[..line_end];
        let name = marker[OPEN.len()..].trim_end_matches("-->").trim();
        let kind = of(name).ok_or_else(|| format!("`{marker}`: no kind `{name}`"))?;
        let end = from
            .find(CLOSE)
            .ok_or_else(|| format!("`{marker}` without `{CLOSE}`"))?;
        out += marker;
        out += "\n";
        out += &table(kind);
        out += CLOSE;
        rest = &from[end + CLOSE.len()..];
    }
    out += rest;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_block_is_replaced_and_the_rest_kept() {
        let doc = "intro\n<!-- fields: dns -->\nstale\n<!-- /fields -->\nafter\n";
        let out = splice(doc).unwrap();
        assert!(out.starts_with("intro\n<!-- fields: dns -->\n| key |"));
        assert!(out.contains("| `ttl` | duration (`30s`) | `60s` |"));
        assert!(out.ends_with("<!-- /fields -->\nafter\n"));
        assert!(!out.contains("stale"));
        assert_eq!(splice(&out).unwrap(), out, "splicing twice changes nothing");
    }

    #[test]
    fn a_bad_marker_is_an_error() {
        assert!(splice("<!-- fields: nope -->\n<!-- /fields -->").is_err());
        assert!(splice("<!-- fields: dns -->\nno end").is_err());
    }
}
