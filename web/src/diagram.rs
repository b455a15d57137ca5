//! The app's diagram export (the "Mermaid" and "DOT" buttons above the editor): the editor's text
//! as the same Mermaid flowchart or Graphviz DOT that `archsim export` writes, from
//! `sim_core::export`. Pure, tested natively; the page copies the text to the clipboard and shows
//! it in a read-only field.

use sim_core::export::{Diagram, dot, mermaid};

/// Which text to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
}

impl Format {
    /// The button's and the field's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Mermaid => "Mermaid",
            Format::Dot => "DOT",
        }
    }
}

/// The scenario's diagram, or a sentence saying why there is none (the text has errors).
pub fn text(yaml: &str, format: Format) -> Result<String, String> {
    match sim_core::load(yaml.as_bytes()) {
        Ok(loaded) => {
            let d = Diagram::of(&loaded.scenario);
            Ok(match format {
                Format::Mermaid => mermaid::render(&d),
                Format::Dot => dot::render(&d),
            })
        }
        Err(diags) => {
            let first = diags.iter().find(|d| d.is_error()).or(diags.first());
            let at = first.map_or(String::new(), |d| {
                format!(
                    " (the first at line {}, column {})",
                    d.span.start.line, d.span.start.col
                )
            });
            Err(format!(
                "The scenario has errors{at}; fix them to export its diagram as {}.",
                format.name()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_what_archsim_export_writes() {
        let yaml = crate::examples::DEFAULT_YAML;
        let d = Diagram::of(&sim_core::load(yaml.as_bytes()).unwrap().scenario);
        assert_eq!(text(yaml, Format::Mermaid).unwrap(), mermaid::render(&d));
        assert_eq!(text(yaml, Format::Dot).unwrap(), dot::render(&d));
        assert!(
            text(yaml, Format::Mermaid)
                .unwrap()
                .starts_with("flowchart LR\n")
        );
    }

    #[test]
    fn a_text_with_errors_says_where_the_first_one_is() {
        let yaml = crate::examples::DEFAULT_YAML.replacen("kind: service", "kind: servise", 1);
        let line = yaml.lines().position(|l| l.contains("servise")).unwrap() + 1;
        let e = text(&yaml, Format::Dot).unwrap_err();
        assert!(
            e.starts_with(&format!(
                "The scenario has errors (the first at line {line}, column "
            )),
            "{e}"
        );
        assert!(e.ends_with("fix them to export its diagram as DOT."), "{e}");
    }
}
