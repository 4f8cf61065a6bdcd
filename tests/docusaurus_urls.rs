//! URLs and links as Docusaurus resolves them, through the real binary: version-like number
//! prefixes kept, `slug: /` as the docs home, URL-relative links read from the page's
//! Docusaurus URL, `.md` links from the docs root and `/docs/…/x.md`, `<a name>` / `<a id>`
//! anchors, assets in `_` folders, generated-index categories at `/docs/category/<label>`,
//! a stray `index.html` that never replaces a page, and Docusaurus' ordering rule.

use crate::support;

use support::*;

fn built() -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(&fixture("docusaurus_urls"), out.path(), &[]);
    assert_eq!(
        code, 0,
        "links are errors by default, and none is broken:\n{stderr}"
    );
    (out, stderr)
}

/// Builds a copy of the fixture after `edit` changed it: the output, exit code and stderr.
fn built_after(edit: impl FnOnce(&std::path::Path)) -> (tempfile::TempDir, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("docusaurus_urls"), dir.path());
    edit(dir.path());
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(dir.path(), out.path(), &[]);
    (out, code, stderr)
}

/// `edit` for `built_after`: writes `text` to the project file `path`.
fn write(path: &'static str, text: &'static str) -> impl FnOnce(&std::path::Path) {
    move |dir| std::fs::write(dir.join(path), text).unwrap()
}

/// `edit` for `built_after`: appends `line` to book.toml (its last table is `[site]`).
fn site_key(line: &'static str) -> impl FnOnce(&std::path::Path) {
    move |dir| {
        let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
        std::fs::write(dir.join("book.toml"), format!("{toml}{line}\n")).unwrap();
    }
}

#[test]
fn pages_are_at_their_docusaurus_urls() {
    let (out, _) = built();
    for page in [
        "docs/1.1-basics/first/index.html",
        "docs/1.1-basics/second/index.html",
        "docs/Probability/0.5 Random Walk/index.html",
        "docs/category/generated-stuff/index.html",
        "docs/category/explicit-index/index.html",
        "docs/gen2/b/index.html",
        "docs/chapter/quiz/index.html",
        "docs/overview/index.html",
    ] {
        assert!(out.path().join(page).is_file(), "missing {page}");
    }
    assert!(out.path().join("docs/1.1-basics/_img/pic.svg").is_file());
    assert!(
        !out.path().join("docs/gen/index.html").exists(),
        "a generated index lives at /docs/category/<slug of its label> only"
    );
}

#[test]
fn slug_slash_is_the_docs_home_and_a_stray_html_never_replaces_it() {
    let (out, stderr) = built();
    let home = read(out.path(), "docs/index.html");
    assert!(home.contains("The docs home"), "{home}");
    assert!(!home.contains("A stray file"));
    assert!(
        stderr.contains("docs/index.html") && stderr.contains("is not published"),
        "{stderr}"
    );
}

#[test]
fn links_resolve_as_docusaurus_and_a_browser_do() {
    let (out, _) = built();
    let home = read(out.path(), "docs/index.html");
    assert!(home.contains("href=\"/docs/overview/\""), "{home}");
    assert!(
        home.contains("href=\"/docs/Probability/0.5%20Random%20Walk/\""),
        "{home}"
    );
    let overview = read(out.path(), "docs/overview/index.html");
    assert!(overview.contains("href=\"/docs/1.1-basics/first/\""));
    assert!(overview.contains("href=\"#legacy\"") && overview.contains("href=\"#by-id\""));
    let first = read(out.path(), "docs/1.1-basics/first/index.html");
    assert!(
        first.contains("href=\"/docs/1.1-basics/second/\""),
        "{first}"
    );
    assert!(first.contains("href=\"/docs/overview/\""));
    assert!(first.contains("href=\"/docs/overview/#legacy\""));
    assert!(first.contains("src=\"/docs/1.1-basics/_img/pic.svg\""));
}

#[test]
fn a_broken_url_relative_link_still_fails_the_build() {
    let (_out, code, stderr) = built_after(write(
        "docs/1.1-basics/second.md",
        "# Second\n\n[gone](./first/) [gone too](./nowhere)\n",
    ));
    assert_ne!(code, 0);
    // `./first/` from /docs/1.1-basics/second is /docs/1.1-basics/first/: it exists.
    assert!(!stderr.contains("`./first/`"), "{stderr}");
    assert!(stderr.contains("broken link `./nowhere`"), "{stderr}");
}

#[test]
fn siblings_follow_one_position_key() {
    let (out, _) = built();
    // The quiz's sidebar_position 7 puts it after lessons numbered 01 and 02 by prefix.
    let two = read(out.path(), "docs/chapter/two/index.html");
    let nav = sidebar(&two);
    let (one, two_at, quiz) = (
        nav.find("/docs/chapter/one/").unwrap(),
        nav.find("/docs/chapter/two/").unwrap(),
        nav.find("/docs/chapter/quiz/").unwrap(),
    );
    assert!(one < two_at && two_at < quiz, "{nav}");
}

#[test]
fn a_readme_beside_a_generated_index_link_is_a_lesson_at_the_folder_url() {
    // `_category_.json` asks for a generated index: the folder's page is that index, and its
    // README is one of its lessons, still at the folder's URL (Docusaurus' slug rule).
    let (out, _) = built();
    let index = read(out.path(), "docs/category/explicit-index/index.html");
    assert!(
        index.contains("Folder readme"),
        "the index lists the README"
    );
    let readme = read(out.path(), "docs/gen2/index.html");
    assert!(readme.contains("The README of a folder whose category asks for a generated index."));
    assert!(!out.path().join("docs/gen2/README/index.html").exists());
}

#[test]
fn a_folder_index_reads_relative_links_from_its_url_with_a_slash() {
    let (out, _) = built();
    let workshop = read(out.path(), "docs/workshop/index.html");
    // `./deploy` from /docs/workshop/ (an index doc's URL ends in `/` in Docusaurus).
    assert!(
        workshop.contains("href=\"/docs/workshop/deploy/\""),
        "{workshop}"
    );
    assert!(workshop.contains("href=\"/docs/workshop/deploy/#rolling-back\""));
    // `../../static/img/logo.svg` leaves the docs folder for the site's static files,
    // which Docusaurus resolves as a file: served at the site root.
    assert!(workshop.contains("src=\"/img/logo.svg\""), "{workshop}");
    assert!(out.path().join("img/logo.svg").is_file());
}

#[test]
fn trailing_slash_false_reads_an_index_doc_from_its_parent() {
    let (out, code, stderr) = built_after(site_key("trailing-slash = false"));
    assert_eq!(code, 0, "{stderr}");
    let workshop = read(out.path(), "docs/workshop/index.html");
    // /docs/workshop with no slash: `./deploy` is /docs/deploy.
    assert!(workshop.contains("href=\"/docs/deploy/\""), "{workshop}");
}

#[test]
fn a_relative_link_resolves_under_the_other_slash_reading_when_the_first_names_nothing() {
    // A book copied without its `trailingSlash: false`: `./overview` from the index doc at
    // /docs/workshop/ names nothing, from /docs/workshop it is /docs/overview.
    let (out, code, stderr) = built_after(write(
        "docs/workshop/index.md",
        "# Workshop\n\n[Back to the overview](./overview)\n",
    ));
    assert_eq!(code, 0, "{stderr}");
    let workshop = read(out.path(), "docs/workshop/index.html");
    assert!(workshop.contains("href=\"/docs/overview/\""), "{workshop}");
}

#[test]
fn a_docs_path_md_link_still_resolves_when_the_folder_is_renamed() {
    // `/docs/x.md` names the file from the Docusaurus site root; a book moved to
    // `content/` keeps `route-base = "docs"`, which stands for the old folder.
    let (out, code, stderr) = built_after(|dir| {
        std::fs::rename(dir.join("docs"), dir.join("content")).unwrap();
        let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
        let toml = toml.replace("src = \"docs\"", "src = \"content\"");
        std::fs::write(dir.join("book.toml"), toml).unwrap();
    });
    assert_eq!(code, 0, "{stderr}");
    let intro = read(out.path(), "docs/index.html");
    assert!(
        intro.contains("href=\"/docs/Probability/0.5%20Random%20Walk/\""),
        "{intro}"
    );
}

#[test]
fn a_missing_static_file_out_of_the_docs_folder_is_named() {
    let (_out, code, stderr) = built_after(write(
        "docs/workshop/index.md",
        "# Workshop\n\n![Gone](../../static/img/gone.gif)\n",
    ));
    assert_ne!(code, 0);
    assert!(
        stderr.contains("docs/workshop/index.md:3:1: error: broken image `../../static/img/gone.gif`: no file `static/img/gone.gif` in the project"),
        "{stderr}"
    );
}
