//! Builds the example gallery at compile time: every `scenarios/*.yaml` of the repository becomes an
//! entry of `EXAMPLES` (file name, the first line of its opening comment, and its text through
//! `include_str!`), with the default example `checkout.yaml` first and the rest by name.
//!
//! For the browser tests (tests/browser.rs) it also lists the native reports in
//! `$ARCHSIM_GOLDEN_DIR` (files `NAME.json` written by `archsim run scenarios/NAME.yaml --json`,
//! see scripts/test), so the WebAssembly build can compare its own reports with them byte for
//! byte. Without that variable the list is empty.

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

    let mut out = String::from("/// The example scenarios of `scenarios/`, the default first.\n");
    out.push_str("pub static EXAMPLES: &[Example] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path).expect("an example is UTF-8");
        let file = path.file_name().expect("a file").to_string_lossy();
        let title = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix('#'))
            .map_or(String::new(), |l| l.trim().to_string());
        let abs = path.canonicalize().expect("the example exists");
        writeln!(
            out,
            "    Example {{ file: {file:?}, title: {title:?}, yaml: include_str!({:?}) }},",
            abs.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");

    println!("cargo:rerun-if-env-changed=ARCHSIM_GOLDEN_DIR");
    println!("cargo:rerun-if-env-changed=ARCHSIM_GOLDEN_SEED");
    let seed = std::env::var("ARCHSIM_GOLDEN_SEED").ok();
    out.push_str("/// Native reports to compare with (file, seed, report), for the browser tests.\n#[doc(hidden)]\n");
    out.push_str("pub static GOLDEN: &[(&str, Option<u64>, &str)] = &[\n");
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
                    out,
                    "    ({file:?}, {}, include_str!({:?})),",
                    seed.as_deref()
                        .map_or("None".into(), |s| format!("Some({s})")),
                    json.canonicalize().expect("exists").display().to_string()
                )
                .expect("writing to a String");
            }
        }
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("examples.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
