//! Builds the example gallery's index at compile time: every `scenarios/*.yaml` of the repository
//! becomes an entry of `EXAMPLES` (file name and the first line of its opening comment), with the
//! default example `checkout.yaml` first and the rest by name. Only the default example's text is
//! compiled into the app (`DEFAULT_YAML`, shown at start without a fetch); the page fetches the
//! others from `examples/` next to it (scripts/build-web copies `scenarios/*.yaml` there).
//!
//! Every example's text is there for tests only: in `EXAMPLES` under `cfg(test)` (the unit tests),
//! and in a second file, `example_texts.rs`, that tests/browser.rs includes: `EXAMPLE_TEXTS`
//! (file, text) and the native reports in `$ARCHSIM_GOLDEN_DIR` (`GOLDEN`: files `NAME.json`
//! written by `archsim run scenarios/NAME.yaml --json`, see scripts/test), so the WebAssembly
//! build can compare its own reports with them byte for byte; without that variable `GOLDEN` is
//! empty. None of it ships in the app.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dir = root.join("../scenarios");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort_by_key(|p| {
        (
            p.file_name().is_none_or(|n| n != "checkout.yaml"),
            p.clone(),
        )
    });
    let included = |path: &PathBuf| {
        let abs = path.canonicalize().expect("the example exists");
        format!("include_str!({:?})", abs.display().to_string())
    };

    let mut index = String::from("/// The example scenarios of `scenarios/`, the default first.\n");
    index.push_str("pub static EXAMPLES: &[Example] = &[\n");
    let mut texts = String::from(
        "/// Every example's text (file, text), in the order of `EXAMPLES`; for tests only.\n",
    );
    texts.push_str("pub static EXAMPLE_TEXTS: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path).expect("an example is UTF-8");
        let file = path.file_name().expect("a file").to_string_lossy();
        let title = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix('#'))
            .map_or(String::new(), |l| l.trim().to_string());
        writeln!(
            index,
            "    Example {{ file: {file:?}, title: {title:?}, #[cfg(test)] yaml: {} }},",
            included(path)
        )
        .expect("writing to a String");
        writeln!(texts, "    ({file:?}, {}),", included(path)).expect("writing to a String");
    }
    index.push_str("];\n");
    texts.push_str("];\n");
    writeln!(
        index,
        "/// The default example's text (`EXAMPLES[0]`), shown at start without a fetch.\n\
         pub static DEFAULT_YAML: &str = {};",
        included(&files[0])
    )
    .expect("writing to a String");

    println!("cargo:rerun-if-env-changed=ARCHSIM_GOLDEN_DIR");
    println!("cargo:rerun-if-env-changed=ARCHSIM_GOLDEN_SEED");
    let seed = std::env::var("ARCHSIM_GOLDEN_SEED").ok();
    texts.push_str(
        "/// Native reports to compare with (file, seed, report), for the browser tests.\n",
    );
    texts.push_str("pub static GOLDEN: &[(&str, Option<u64>, &str)] = &[\n");
    if let Ok(golden) = std::env::var("ARCHSIM_GOLDEN_DIR") {
        let golden = PathBuf::from(golden);
        println!("cargo:rerun-if-changed={}", golden.display());
        for path in &files {
            let stem = path.file_stem().expect("a file").to_string_lossy();
            let json = golden.join(format!("{stem}.json"));
            if json.exists() {
                println!("cargo:rerun-if-changed={}", json.display());
                let file = path.file_name().expect("a file").to_string_lossy();
                writeln!(
                    texts,
                    "    ({file:?}, {}, {}),",
                    seed.as_deref()
                        .map_or("None".into(), |s| format!("Some({s})")),
                    included(&json)
                )
                .expect("writing to a String");
            }
        }
    }
    texts.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("examples.rs"), index).expect("OUT_DIR is writable");
    std::fs::write(out.join("example_texts.rs"), texts).expect("OUT_DIR is writable");
}
