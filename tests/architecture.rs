//! The import rule of docs/architecture.md: a module of `src/` uses only modules of lower
//! layers, and the foundations use nothing from the crate. Read from the source text: every
//! `crate::name` path outside comments.

use std::collections::BTreeSet;
use std::path::Path;

/// Each top-level module and its layer (docs/architecture.md, "What may use what").
const LAYERS: &[(&str, usize)] = &[
    ("diagnostic", 0),
    ("generated", 0),
    ("html", 0),
    ("js", 0),
    ("memo", 0),
    ("process", 0),
    ("site_path", 0),
    ("output", 1),
    ("disk_cache", 1),
    ("config", 1),
    ("source", 2),
    ("content", 3),
    ("markdown", 4),
    ("site", 5),
    ("build", 6),
    ("check", 7),
    ("serve", 7),
    ("init", 7),
];

/// The crate's roots, which may use anything: the library's and the binary's.
const ROOTS: &[&str] = &["lib.rs", "main.rs", "cli.rs"];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The top-level modules named by `crate::…` paths in Rust source, comments left out.
fn crate_paths(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                // `crate::{a, b::c}`
                Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                None => vec![rest],
            };
            for name in names {
                let ident: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !ident.is_empty() && ident != "self" {
                    found.insert(ident);
                }
            }
        }
    }
    found
}

#[test]
fn every_module_uses_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ROOTS.contains(&rel.as_str()) {
            continue;
        }
        files += 1;
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(own) = layer(module) else {
            problems.push(format!(
                "src/{rel}: module `{module}` has no layer: add it to LAYERS here and to docs/architecture.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        for used in crate_paths(&text) {
            if used == module {
                continue;
            }
            match layer(&used) {
                Some(l) if l < own => {}
                Some(l) => problems.push(format!(
                    "src/{rel}: `{module}` (layer {own}) uses `crate::{used}` (layer {l})"
                )),
                None => problems.push(format!("src/{rel}: uses unknown module `crate::{used}`")),
            }
        }
    }
    assert!(files > 30, "read only {files} files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn crate_paths_are_found_in_uses_groups_and_expressions() {
    let found = crate_paths(
        "use crate::config::Config;\nuse crate::{html, markdown::Renderer};\n\
         let x = crate::memo::Cache::default(); // crate::serve in a comment\n",
    );
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["config", "html", "markdown", "memo"]
    );
}
