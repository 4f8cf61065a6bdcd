//! Zero config in a Docusaurus site, through the real binary: with no book.toml, the static
//! part of `docusaurus.config.ts` (and its sidebars file) is read, one line says so, a value
//! that is not a literal is a warning, and `init --from-docusaurus` writes a book.toml that
//! builds the same site.

use crate::support;

use std::collections::BTreeMap;
use std::path::Path;
use support::*;

/// The site's files, without the marker that records where the output folder is (two
/// output folders differ there, and only there).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.file_name() != ".syllabus-output")
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn a_docusaurus_site_builds_with_no_book_toml() {
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(&fixture("docusaurus_site"), out.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("no book.toml: read docusaurus.config.ts (docs `docs` at /docs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("docusaurus.config.ts:10:8") && stderr.contains("`url`: cannot read"),
        "{stderr}"
    );
    let home = read(out.path(), "docs/index.html");
    assert!(home.contains("Zero Config Course"), "the config's title");
    assert!(home.contains("src=\"/img/logo.svg\""), "{home}");
    assert!(
        out.path().join("img/logo.svg").is_file(),
        "static/ served at the root"
    );
    // `/signup` is `src/pages/signup.tsx`, a page Docusaurus builds and we do not: a
    // warning even under `onBrokenLinks: 'throw'`, and the link is left pointing there.
    assert!(
        stderr.contains("docs/intro.md:10:11: warning: link `/signup` names a page of the Docusaurus site (`src/pages/signup`), which Syllabus does not build"),
        "{stderr}"
    );
    assert!(home.contains("href=\"/signup\""), "{home}");
    let first = read(out.path(), "docs/basics/first/index.html");
    let nav = sidebar(&first);
    let second = nav.find("/docs/basics/second/").expect("sidebar");
    assert!(
        second < nav.find("/docs/basics/first/").unwrap(),
        "sidebars.ts decides: {nav}"
    );
}

#[test]
fn init_from_docusaurus_writes_a_book_toml_that_builds_the_same_site() {
    let dir = copy_fixture("docusaurus_site");
    let zero = tempfile::tempdir().unwrap();
    let (code, stderr) = build(dir.path(), zero.path(), &[]);
    assert_eq!(code, 0, "{stderr}");

    let init = syllabus()
        .args(["init", "--from-docusaurus"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    for line in [
        "title = \"Zero Config Course\"",
        "src = \"docs\"",
        "sidebars = \"sidebars.ts\"",
        "on-broken-links = \"error\"",
        "route-base = \"docs\"",
        "edit-url = \"https://github.com/example/course/tree/main/\"",
        "mermaid = true",
        "math = false",
    ] {
        assert!(toml.contains(line), "{line} in\n{toml}");
    }

    let with_toml = tempfile::tempdir().unwrap();
    let (code, stderr) = build(dir.path(), with_toml.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("no book.toml"), "{stderr}");
    assert_eq!(files(zero.path()), files(with_toml.path()));

    let again = syllabus()
        .args(["init", "--from-docusaurus"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(1),
        "a book.toml is never overwritten"
    );
}
