//! Hand-written Docusaurus sidebars (`sidebars.ts`), through the real binary: they decide
//! order, labels, nesting and the pager; each page shows the sidebar it is in; a doc in no
//! sidebar is built at its URL with no sidebar and no pager.

use crate::support;

use support::*;

fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(&fixture("docusaurus_sidebars"), out.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    out
}

fn pager(html: &str) -> &str {
    html.find("aria-label=\"Previous and next\"")
        .map_or("", |i| &html[i..])
}

#[test]
fn the_sidebar_decides_order_labels_and_nesting() {
    let out = built();
    let second = read(out.path(), "docs/basics/second/index.html");
    let nav = sidebar(&second);
    let at = |s: &str| nav.find(s).unwrap_or_else(|| panic!("{s} not in {nav}"));
    assert!(at("/docs/intro/") < at("/docs/category/the-basics/"));
    assert!(
        at("/docs/basics/second/") < at("/docs/basics/first/"),
        "the file's order, not the prefixes'"
    );
    assert!(nav.contains("First steps"), "the item's label");
    assert!(!nav.contains("/docs/labs/"), "the labs are another sidebar");
    assert!(pager(&second).contains("/docs/basics/first/"));
    let index = read(out.path(), "docs/category/the-basics/index.html");
    assert!(index.contains("Where to start."));
    assert!(
        !out.path().join("docs/basics/index.html").exists(),
        "a folder the sidebar does not use has no page"
    );
}

#[test]
fn each_page_shows_its_own_sidebar() {
    let out = built();
    let lab = read(out.path(), "docs/labs/lab-a/index.html");
    let nav = sidebar(&lab);
    assert!(
        nav.contains("/docs/labs/lab-b/") && !nav.contains("/docs/intro/"),
        "{nav}"
    );
    let pager = pager(&lab);
    assert!(pager.contains("/docs/labs/lab-b/"), "{pager}");
    assert!(
        !pager.contains("/docs/basics/"),
        "the pager stays in the sidebar: {pager}"
    );
}

#[test]
fn a_doc_in_no_sidebar_has_no_sidebar_and_no_pager() {
    let out = built();
    let extra = read(out.path(), "docs/extra/index.html");
    assert!(!sidebar(&extra).contains("href="), "{}", sidebar(&extra));
    assert!(pager(&extra).is_empty());
    let first = read(out.path(), "docs/basics/first/index.html");
    assert!(!pager(&first).contains("/docs/extra/"));
}
