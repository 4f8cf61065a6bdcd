//! A book written for Docusaurus builds unchanged: URLs, `_category_` files, links,
//! directives, MDX and quizzes.

mod support;

use std::path::Path;
use support::*;

fn built() -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(&fixture("docusaurus"), out.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    (out, stderr)
}

fn page(out: &Path, url: &str) -> String {
    read(out, &format!("{url}index.html"))
}

#[test]
fn urls_match_docusaurus() {
    let (out, _) = built();
    for url in [
        "docs/",
        "docs/AI-Cloud/",
        "docs/AI-Cloud/docker/",
        "docs/AI-Cloud/docker/first-dockerfile/",
        "docs/AI-Cloud/docker/lifecycle-and-debugging/",
        "docs/AI-Cloud/docker/2024-05-01-changelog/",
        "docs/Ops/overview/",
        "docs/Ops/renamed/",
        "docs/custom/place/",
    ] {
        assert!(
            out.path().join(url).join("index.html").is_file(),
            "missing {url}"
        );
    }
    assert!(out
        .path()
        .join("docs/AI-Cloud/docker/img/layers.svg")
        .is_file());
    assert!(!walkdir::WalkDir::new(out.path()).into_iter().any(|e| e
        .unwrap()
        .path()
        .to_string_lossy()
        .contains("summary")));
    assert!(
        read(out.path(), "index.html").contains("url=/docs/"),
        "the site root sends readers to the route base"
    );
}

#[test]
fn category_files_set_labels_order_links_and_open_state() {
    let (out, _) = built();
    let generated = page(out.path(), "docs/AI-Cloud/");
    assert!(generated.contains("AI Cloud") && generated.contains("Cloud-native AI services."));
    let ops = page(out.path(), "docs/Ops/overview/");
    let nav = sidebar(&ops);
    assert!(nav.contains("Operations"), "label from _category_.yml");
    assert!(
        nav.contains("href=\"/docs/AI-Cloud/docker/\""),
        "collapsed: false keeps AI Cloud open on other branches"
    );
    let ai = nav.find("AI Cloud").unwrap();
    let operations = nav.find("Operations").unwrap();
    assert!(ai < operations, "position 7 before 8");
}

#[test]
fn links_resolve_to_docusaurus_urls() {
    let (out, _) = built();
    let home = page(out.path(), "docs/");
    for href in [
        "href=\"/docs/AI-Cloud/docker/\"",
        "href=\"/docs/AI-Cloud/docker/first-dockerfile/\"",
        "href=\"/docs/AI-Cloud/docker/first-dockerfile/#build-it\"",
        "href=\"/docs/Ops/overview/\"",
        "href=\"/docs/custom/place/\"",
    ] {
        assert!(home.contains(href), "home lacks {href}");
    }
    let lesson = page(out.path(), "docs/AI-Cloud/docker/first-dockerfile/");
    for needle in [
        "<h2 id=\"build-it\">",
        "<h2 id=\"caching\">",
        "src=\"/docs/AI-Cloud/docker/img/layers.svg\"",
        "href=\"/docs/AI-Cloud/docker/lifecycle-and-debugging/#reading-logs\"",
        "href=\"#caching\"",
        "href=\"/docs/AI-Cloud/docker/#setup\"",
        "href=\"/docs/\"",
    ] {
        assert!(lesson.contains(needle), "lesson lacks {needle}");
    }
    let ops = page(out.path(), "docs/Ops/overview/");
    assert!(
        ops.contains("href=\"/docs/custom/place/\"") && ops.contains("href=\"/docs/Ops/renamed/\"")
    );
}

#[test]
fn directives_and_mdx_render_without_raw_syntax() {
    let (out, stderr) = built();
    let chapter = page(out.path(), "docs/AI-Cloud/docker/");
    let main = chapter.split("<main").nth(1).unwrap();
    for needle in [
        "admonition admonition-tip",
        ">Before you start</p>",
        ">Nested</p>",
        "admonition admonition-warning",
        "<div class=\"tabs\" data-tabs=\"os-tabs\">",
        "aria-label=\"Windows\"",
        "aria-label=\"macOS\"",
        "aria-label=\"Linux\"",
        "Install with <code>pip install fastapi</code>",
        "directive-exercise",
        "<fieldset class=\"quiz-question\" data-correct=\"1\">",
        ">Markdown quiz</p>",
    ] {
        assert!(main.contains(needle), "chapter lacks {needle}");
    }
    for raw in [
        ":::",
        "::windows",
        "<Tabs",
        "<TabItem",
        "import ",
        "export const",
        "author's note",
        "[!WARNING]",
    ] {
        assert!(!main.contains(raw), "raw `{raw}` leaked into the page");
    }
    let path = "content/07-AI-Cloud/49-docker/README.md";
    assert!(
        stderr.contains(&format!("{path}:39:1: warning: MDX component `<Tabs>`")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{path}:47:1: warning: unknown directive `:::exercise`"
        )),
        "{stderr}"
    );
}

#[test]
fn a_malformed_quiz_is_an_error_inside_the_quiz() {
    let dir = copy_fixture("docusaurus");
    let chapter = dir.path().join("content/07-AI-Cloud/49-docker/README.md");
    let text = std::fs::read_to_string(&chapter)
        .unwrap()
        .replace("correctOption: 1,", "correctOption: 7,");
    std::fs::write(&chapter, text).unwrap();
    let (code, stderr) = build(dir.path(), &dir.path().join("out"), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("content/07-AI-Cloud/49-docker/README.md:57:22: error: invalid quiz: question 1: `correctOption` is 7"),
        "{stderr}"
    );
}

#[test]
fn broken_links_follow_on_broken_links() {
    let dir = copy_fixture("docusaurus");
    let ops = dir.path().join("content/08-Ops/01-overview.md");
    let mut text = std::fs::read_to_string(&ops).unwrap();
    text.push_str("\nA [bad anchor](./02-slugged.md#nowhere) and [a missing page](/docs/nope/).\n");
    std::fs::write(&ops, text).unwrap();
    let (code, stderr) = build(dir.path(), &dir.path().join("out"), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "content/08-Ops/01-overview.md:9:3: error: broken anchor `./02-slugged.md#nowhere`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/08-Ops/01-overview.md:9:45: error: broken link `/docs/nope/`"),
        "{stderr}"
    );
    let toml = dir.path().join("book.toml");
    let config = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("[site]", "[build]\non-broken-links = \"warn\"\n\n[site]");
    std::fs::write(&toml, config).unwrap();
    let (code, stderr) = build(dir.path(), &dir.path().join("out"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("content/08-Ops/01-overview.md:9:3: warning: broken anchor"),
        "{stderr}"
    );
}
