//! Mermaid diagrams through the real binary: `[markdown] mermaid` on and off, one diagram of
//! each kind the compatibility books use drawn as a safe inline SVG with its source, a fence
//! right after `<TabItem>`, unique ids per diagram, a broken diagram shown as code with a
//! warning at its line, and the diagram stylesheet written and linked only where needed.

use crate::support;

use support::*;

/// The fixture built by the binary into a temporary folder: (exit code, stderr, output dir).
fn build_mermaid(mermaid: bool) -> (i32, String, tempfile::TempDir, tempfile::TempDir) {
    let project = copy_fixture("mermaid");
    if !mermaid {
        std::fs::write(
            project.path().join("book.toml"),
            "[book]\ntitle = \"Mermaid Fixture\"\n",
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(project.path(), &out.path().join("site"), &[]);
    (code, stderr, project, out)
}

fn page(out: &tempfile::TempDir, url: &str) -> String {
    let html = read(&out.path().join("site"), &format!("{url}index.html"));
    let main = html.find("<main").expect("a <main>");
    html[main..].to_string()
}

/// Diagram `n` of page `p` is an image named by its kind and described by its source.
fn assert_named_image(p: &str, n: usize, kind: &str) {
    assert!(
        p.contains(&format!(
            "role=\"img\" aria-label=\"{kind}\" aria-describedby=\"mmd{n}-src\""
        )),
        "{kind}: {p}"
    );
}

/// The diagram stylesheet's name before its hash (issue 18: `assets/diagram.HASH.css`).
const DIAGRAM_CSS: &str = "assets/diagram.";

#[test]
fn every_kind_the_books_use_is_drawn_as_an_inline_svg() {
    let (code, stderr, _project, out) = build_mermaid(true);
    assert_eq!(code, 0, "{stderr}");
    let p = page(&out, "kinds/");
    assert_eq!(
        p.matches("<figure class=\"syl-diagram\">").count(),
        8,
        "{p}"
    );
    for (n, kind) in [
        "Flowchart",
        "Sequence diagram",
        "State diagram",
        "Class diagram",
        "Gantt chart",
        "Quadrant chart",
        "Timeline",
        "Mind map",
    ]
    .iter()
    .enumerate()
    {
        let n = n + 1;
        assert_named_image(&p, n, kind);
        assert!(p.contains(&format!(
            "<pre class=\"code\" id=\"mmd{n}-src\"><code class=\"language-mermaid\">"
        )));
    }
    // Labels are drawn as text; the author's colours are kept as written.
    for text in [
        ">Learner<",
        ">GET /lesson<",
        ">Review<",
        ">Course<",
        ">Outline<",
        ">Quizzes<",
        ">JavaScript<",
        ">Practice<",
    ] {
        assert!(p.contains(text), "{text}: {p}");
    }
    assert!(
        p.contains("fill=\"#2e7d32\"") && p.contains("fill=\"#ffe0b2\""),
        "{p}"
    );
    assert!(p.contains("<summary>Show source</summary>"));
    assert!(
        !p.contains("<foreignObject") && !p.contains("<style"),
        "{p}"
    );
    assert!(!stderr.contains("kinds"), "{stderr}");

    let head = read(&out.path().join("site"), "kinds/index.html");
    assert!(
        head.contains(DIAGRAM_CSS),
        "the page links the diagram stylesheet"
    );
    let plain = read(&out.path().join("site"), "plain/index.html");
    assert!(
        !plain.contains(DIAGRAM_CSS),
        "a page without a diagram does not"
    );
    let css = std::fs::read_to_string(hashed(
        &out.path().join("site").join("assets"),
        "diagram",
        "css",
    ))
    .unwrap();
    assert!(
        css.contains(".syl-diagram-scroll") && css.contains("light-dark("),
        "{css}"
    );
}

#[test]
fn a_fence_right_after_a_tab_item_is_a_diagram_and_ids_are_unique() {
    let (code, stderr, _project, out) = build_mermaid(true);
    assert_eq!(code, 0, "{stderr}");
    let p = page(&out, "tabs/");
    assert_eq!(
        p.matches("<figure class=\"syl-diagram\">").count(),
        2,
        "{p}"
    );
    assert!(p.contains(">Write<") && p.contains(">Read<"), "{p}");
    assert!(!p.contains("```mermaid"), "{p}");
    let mut ids: Vec<&str> = p
        .split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "ids are unique on the page: {ids:?}");
    assert!(
        ids.contains(&"mmd1-arrow-filled") && ids.contains(&"mmd2-arrow-filled"),
        "{ids:?}"
    );
    assert!(p.contains("marker-end=\"url(#mmd2-arrow-filled)\""), "{p}");
}

#[test]
fn a_broken_diagram_is_a_warning_at_its_line_and_shown_as_code() {
    let (code, stderr, _project, out) = build_mermaid(true);
    assert_eq!(code, 0, "warnings only: {stderr}");
    // The fence opens on line 7; its third line is the bad one.
    assert!(
        stderr.contains("content/03-bad.md:10:1: warning: mermaid diagram does not parse: not a recognized statement: 'this line is not a message'; it is shown as code"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("mermaid diagram does not parse").count(),
        1,
        "{stderr}"
    );
    let p = page(&out, "bad/");
    assert!(
        p.contains("<div class=\"code-block\" data-lang=\"mermaid\">"),
        "shown as code: {p}"
    );
    assert!(p.contains("this line is not a message"), "{p}");
    // The next diagram's HTML-like labels are text, its javascript: link is dropped.
    assert_eq!(
        p.matches("<figure class=\"syl-diagram\">").count(),
        1,
        "{p}"
    );
    let figure = &p[p.find("<figure").unwrap()..p.find("</figure>").unwrap()];
    let svg = &figure[..figure.find("<details").unwrap()];
    for bad in [
        "<img",
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "href",
    ] {
        assert!(!svg.contains(bad), "{bad} in {svg}");
    }
    assert!(
        figure.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "the source, escaped: {figure}"
    );
}

#[test]
fn with_mermaid_off_fences_are_code_and_no_stylesheet_is_written() {
    let (code, stderr, _project, out) = build_mermaid(false);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("mermaid"),
        "no warning about mermaid fences: {stderr}"
    );
    let p = page(&out, "kinds/");
    assert!(
        !p.contains("syl-diagram") && !p.contains("<svg xmlns"),
        "{p}"
    );
    assert_eq!(p.matches("data-lang=\"mermaid\"").count(), 8, "{p}");
    assert!(!read(&out.path().join("site"), "kinds/index.html").contains(DIAGRAM_CSS));
    let assets = std::fs::read_dir(out.path().join("site").join("assets")).unwrap();
    assert!(
        !assets
            .map(|e| e.unwrap().file_name())
            .any(|n| n.to_string_lossy().starts_with("diagram.")),
        "no diagram stylesheet without mermaid"
    );
}

#[test]
fn diagrams_are_the_same_bytes_in_every_build() {
    let (_, _, _p1, a) = build_mermaid(true);
    let (_, _, _p2, b) = build_mermaid(true);
    for url in ["kinds/", "tabs/", "bad/", "wide/"] {
        assert_eq!(page(&a, url), page(&b, url), "{url}");
    }
}

#[test]
fn er_pie_and_journey_diagrams_are_drawn_too() {
    // The README says mermaid-svg draws these kinds though no compatibility book uses them.
    let (code, stderr, _project, out) = build_mermaid(true);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("more-kinds"), "{stderr}");
    let p = page(&out, "more-kinds/");
    for (n, kind) in ["Entity relationship diagram", "Pie chart", "User journey"]
        .iter()
        .enumerate()
    {
        assert_named_image(&p, n + 1, kind);
    }
    for text in [">COURSE<", ">Practice", ">Read the lesson<"] {
        assert!(p.contains(text), "{text}: {p}");
    }
}
