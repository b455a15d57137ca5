//! The code's shape, checked: imports run one way. Within each directory of `sim-core`, `cli` and
//! `web`, no file reaches back to a file that (directly or through others) imports it, so state
//! and types sit below the mechanisms that use them (ARCHITECTURE.md, Invariants).
//!
//! An import is a `super::name` or `crate::name` path outside comments and test modules, where
//! `name` is a sibling file or module directory. A parent's `mod child; pub use child::x;` is the
//! module tree, not an import, and is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A crate's files by module path (`["engine", "run"]`), read from its `src` directory.
fn modules(src: &Path) -> BTreeMap<Vec<String>, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a source directory") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = p.strip_prefix(src).unwrap().with_extension("");
            let mut path: Vec<String> = rel
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            if matches!(
                path.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                path.pop();
            }
            if path.first().is_some_and(|c| c == "bin") {
                continue;
            }
            out.insert(path, std::fs::read_to_string(&p).expect("a source file"));
        }
    }
    out
}

/// The module files a file's code names through `crate::` and `super::` paths (comments and
/// `#[cfg(test)]` modules left out), each resolved to the longest module path that is a file.
fn imports(me: &[String], text: &str, files: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = BTreeSet::new();
    for line in code
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("//"))
    {
        for (i, _) in line
            .match_indices("crate::")
            .chain(line.match_indices("super::"))
        {
            if i > 0 && line[..i].ends_with("super::") {
                continue; // the tail of a `super::super::` path, read from its start
            }
            let mut base: Vec<String> = if line[i..].starts_with("crate::") {
                Vec::new()
            } else {
                me[..me.len().saturating_sub(1)].to_vec()
            };
            let mut rest = &line[i + "crate::".len()..]; // as long as "super::"
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            let segs: Vec<String> = rest
                .split("::")
                .map(|s| {
                    s.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect()
                })
                .take_while(|s: &String| !s.is_empty())
                .collect();
            let mut best = files.contains(&base).then(|| base.clone());
            let mut path = base;
            for seg in segs {
                path.push(seg);
                if files.contains(&path) {
                    best = Some(path.clone());
                }
            }
            if let Some(b) = best {
                found.insert(b);
            }
        }
    }
    found
}

/// Every import that closes a cycle in the crate at `src`: (a, b) where b reaches a back. A
/// module's own descendants are its tree, not imports (`mod x; pub use x::f;`), and are skipped.
fn cycles_in(src: &Path) -> Vec<String> {
    let mods = modules(src);
    let files: BTreeSet<Vec<String>> = mods.keys().cloned().collect();
    let edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = mods
        .iter()
        .map(|(m, t)| {
            let deps = imports(m, t, &files)
                .into_iter()
                .filter(|d| d != m && !d.starts_with(m))
                .collect();
            (m.clone(), deps)
        })
        .collect();
    let reaches = |from: &Vec<String>, to: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(x) = stack.pop() {
            if &x == to {
                return true;
            }
            if seen.insert(x.clone()) {
                stack.extend(edges.get(&x).into_iter().flatten().cloned());
            }
        }
        false
    };
    let name = |m: &Vec<String>| {
        if m.is_empty() {
            "crate root".to_string()
        } else {
            m.join("::")
        }
    };
    let mut bad = Vec::new();
    for (a, bs) in &edges {
        for b in bs {
            if reaches(b, a) {
                bad.push(format!(
                    "{}: {} imports {}, which reaches it back",
                    src.display(),
                    name(a),
                    name(b)
                ));
            }
        }
    }
    bad
}

#[test]
fn imports_run_one_way() {
    let bad: Vec<String> = ["sim-core/src", "cli/src", "web/src"]
        .iter()
        .flat_map(|top| cycles_in(&root().join(top)))
        .collect();
    assert!(bad.is_empty(), "import cycles:\n{}", bad.join("\n"));
}

#[test]
fn the_check_sees_a_cycle_and_not_a_module_tree() {
    let dir = std::env::temp_dir().join(format!("archsim-imports-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("m")).unwrap();
    std::fs::write(
        dir.join("lib.rs"),
        "mod a; mod b; mod c; mod m;\npub use m::f;\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.rs"), "use super::b::B;\npub struct A;\n").unwrap();
    std::fs::write(
        dir.join("b.rs"),
        "// crate::a in a comment\nuse crate::c::C;\n",
    )
    .unwrap();
    std::fs::write(dir.join("c.rs"), "pub fn f() -> super::a::A { todo!() }\n").unwrap();
    std::fs::write(dir.join("m/mod.rs"), "mod x;\npub use x::f;\n").unwrap();
    std::fs::write(
        dir.join("m/x.rs"),
        "pub fn f() -> crate::m::T { super::T }\n",
    )
    .unwrap();
    let bad = cycles_in(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        bad.len(),
        3,
        "a -> b -> c -> a, and m's tree is no cycle: {bad:?}"
    );
}
