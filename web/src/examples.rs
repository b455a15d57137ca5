//! The example gallery: the scenarios of `scenarios/`, compiled into the app by `build.rs`, so the
//! gallery always shows exactly the files the command line runs.

/// One example scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The file name in `scenarios/`, e.g. `checkout.yaml`.
    pub file: &'static str,
    /// The first line of the file's opening comment.
    pub title: &'static str,
    /// The file's text.
    pub yaml: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The example shown when the app opens (`checkout.yaml`).
pub fn default_example() -> &'static Example {
    &EXAMPLES[0]
}

/// The example with this file name.
pub fn find(file: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.file == file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gallery_holds_every_scenario_file_and_each_loads() {
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "yaml")
            })
            .count();
        assert_eq!(EXAMPLES.len(), on_disk);
        assert_eq!(default_example().file, "checkout.yaml");
        for e in EXAMPLES {
            assert!(!e.title.is_empty(), "{} has an opening comment", e.file);
            assert!(
                sim_core::load(e.yaml.as_bytes()).is_ok(),
                "{} loads",
                e.file
            );
            assert_eq!(find(e.file), Some(e));
        }
    }
}
