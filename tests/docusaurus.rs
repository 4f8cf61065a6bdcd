//! A book written for Docusaurus builds unchanged: URLs, `_category_` files, links,
//! directives, MDX and quizzes. Built in memory; every page's `<main>` is a reviewed snapshot.

use crate::support;

use support::*;

fn built() -> Built {
    let built = build_in_memory(&fixture("docusaurus"), None);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    built
}

#[test]
fn urls_match_docusaurus() {
    let built = built();
    for url in [
        "docs/",
        "docs/category/ai-cloud/",
        "docs/AI-Cloud/docker/",
        "docs/AI-Cloud/docker/first-dockerfile/",
        "docs/AI-Cloud/docker/lifecycle-and-debugging/",
        "docs/AI-Cloud/docker/2024-05-01-changelog/",
        "docs/Ops/overview/",
        "docs/Ops/renamed/",
        "docs/custom/place/",
    ] {
        assert!(
            built.files.contains_key(&format!("{url}index.html")),
            "missing {url}"
        );
    }
    assert!(built
        .files
        .contains_key("docs/AI-Cloud/docker/img/layers.svg"));
    assert!(!built.files.keys().any(|p| p.contains("summary")));
    assert!(
        built.text("index.html").contains("url=/docs/"),
        "the site root sends readers to the route base"
    );
}

/// What a reader sees of every page, reviewed once: `tests/snapshots/`.
#[test]
fn every_page_reads_as_reviewed() {
    let built = built();
    for url in built.pages().into_iter().filter(|u| !u.is_empty()) {
        insta::assert_snapshot!(snapshot_name("docusaurus", &url), built.main(&url));
    }
}

#[test]
fn category_files_set_labels_order_links_and_open_state() {
    let built = built();
    let ops = built.page("docs/Ops/overview/");
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
fn directives_and_mdx_leave_no_raw_syntax_and_warn_where_unsupported() {
    let built = built();
    for url in built.pages().into_iter().filter(|u| !u.is_empty()) {
        let main = built.main(&url);
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
            assert!(!main.contains(raw), "raw `{raw}` leaked into {url}");
        }
    }
    let path = "content/07-AI-Cloud/49-docker/README.md";
    let diagnostics = built.diagnostics();
    // Docusaurus' `<Tabs>`/`<TabItem>` are tabs now, with no warning.
    assert!(!diagnostics.contains("`<Tabs>`"), "{diagnostics}");
    assert!(
        built
            .main("docs/AI-Cloud/docker/")
            .contains(r#"<section class="tab-panel" data-tab="pip" aria-label="pip">"#),
        "the TabItem is a tab panel"
    );
    assert!(
        diagnostics.contains(&format!(
            "{path}:47:1: warning: unknown directive `:::exercise`"
        )),
        "{diagnostics}"
    );
}

#[test]
fn an_unanswerable_quiz_question_is_a_warning_inside_the_quiz() {
    let dir = copy_fixture("docusaurus");
    let chapter = dir.path().join("content/07-AI-Cloud/49-docker/README.md");
    let text = std::fs::read_to_string(&chapter)
        .unwrap()
        .replace("correctOption: 1,", "correctOption: 7,");
    std::fs::write(&chapter, text).unwrap();
    let built = build_in_memory(dir.path(), None);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(
        built.diagnostics().contains("content/07-AI-Cloud/49-docker/README.md:57:22: warning: quiz: question 1: `correctOption` is 7, but the options are numbered 0 to 2"),
        "{}",
        built.diagnostics()
    );
    let page = built.page("docs/AI-Cloud/docker/");
    assert!(
        page.contains(
            "This question cannot be answered: the answer it gives is not one of its options."
        ),
        "{page}"
    );
}

#[test]
fn broken_links_follow_on_broken_links() {
    let dir = copy_fixture("docusaurus");
    let ops = dir.path().join("content/08-Ops/01-overview.md");
    let mut text = std::fs::read_to_string(&ops).unwrap();
    text.push_str("\nA [bad anchor](./02-slugged.md#nowhere) and [a missing page](/docs/nope/).\n");
    std::fs::write(&ops, text).unwrap();
    let built = build_in_memory(dir.path(), None);
    assert!(built.report.has_errors());
    let diagnostics = built.diagnostics();
    assert!(
        diagnostics.contains(
            "content/08-Ops/01-overview.md:9:3: error: broken anchor `./02-slugged.md#nowhere`"
        ),
        "{diagnostics}"
    );
    assert!(
        diagnostics
            .contains("content/08-Ops/01-overview.md:9:45: error: broken link `/docs/nope/`"),
        "{diagnostics}"
    );
    let toml = dir.path().join("book.toml");
    let config = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("[site]", "[build]\non-broken-links = \"warn\"\n\n[site]");
    std::fs::write(&toml, config).unwrap();
    let built = build_in_memory(dir.path(), None);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(
        built
            .diagnostics()
            .contains("content/08-Ops/01-overview.md:9:3: warning: broken anchor"),
        "{}",
        built.diagnostics()
    );
}

#[test]
fn an_unlisted_doc_is_built_but_left_out_of_every_listing() {
    let built = build_project(&[
        (
            "book.toml",
            b"[book]\ntitle = \"U\"\n[site]\nbase-url = \"https://example.org/\"\n",
        ),
        (
            "content/01-a.md",
            b"---\ntitle: Alpha lesson\ntags: [shared]\n---\n\nAlpha text.\n",
        ),
        (
            "content/02-b.md",
            b"---\ntitle: Bravo hidden\nunlisted: true\ntags: [shared]\n---\n\nZebrafishword appears only here.\n",
        ),
        (
            "content/03-c.md",
            b"---\ntitle: Charlie lesson\ntags: [shared]\n---\n\nCharlie text.\n",
        ),
    ]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    // The page is there, says what it is, and asks search engines to leave it out.
    let b = built.page("b/");
    assert!(b.contains("Zebrafishword"));
    assert!(b.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    assert!(b.contains("Unlisted page"));
    assert!(!built.page("a/").contains("noindex"));
    // No sidebar, reading order, tag page, sitemap or search index lists it.
    for url in ["", "a/", "c/"] {
        let page = built.page(url);
        assert!(!sidebar(&page).contains("/b/"), "{url} lists it");
    }
    let a = built.page("a/");
    let pager = &a[a.find("class=\"pager").expect("a pager")..];
    assert!(pager.contains("Charlie lesson") && !pager.contains("Bravo"));
    let tag = built.page("tags/shared/");
    assert!(tag.contains("Alpha lesson") && !tag.contains("Bravo hidden"));
    let sitemap = built.text("sitemap.xml");
    assert!(sitemap.contains("https://example.org/a/") && !sitemap.contains("/b/"));
    let search: String = built
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("assets/search/"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(search.contains("Alpha lesson"));
    assert!(!search.contains("Bravo") && !search.to_lowercase().contains("zebrafish"));
}

#[test]
fn a_component_that_carries_its_content_in_props_shows_that_text() {
    let built = build_project(&[(
        "content/01-map.mdx",
        b"---\ntitle: Map\n---\n\nimport LessonMap from '@site/src/components/LessonMap';\n\n<LessonMap\n  className=\"map\"\n  objectives={[\n    \"Write a **Dockerfile**\",\n    'Ship an image',\n  ]}\n  steps={[{title: 'Pull', detail: 'docker pull'}]}\n/>\n\nAfter the map.\n",
    )]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let main = built.main("map/");
    assert!(
        main.contains(
            "<dl class=\"component-props\" data-component=\"LessonMap\"><dt>Objectives</dt><dd><ul><li>Write a **Dockerfile**</li><li>Ship an image</li></ul></dd><dt>Steps</dt><dd><ul><li>Pull — docker pull</li></ul></dd></dl>"
        ),
        "{main}"
    );
    assert!(main.contains("After the map.") && !main.contains("<LessonMap"));
    assert!(
        built.diagnostics().contains(
            "content/01-map.mdx:7:1: warning: MDX component `<LessonMap>` is not supported; the text of its props is shown as a list"
        ),
        "{}",
        built.diagnostics()
    );
}

#[test]
fn a_component_template_renders_the_component_from_its_props() {
    let template = b"<section class=\"lesson-map\">\n\n  <h2>{{ props.title }}</h2>\n  {% if props.objectives %}<ol>{% for o in props.objectives %}<li>{{ o }}</li>{% endfor %}</ol>{% endif %}\n  {% if props.open %}<p>open</p>{% endif %}\n</section>\n";
    let doc = b"---\ntitle: Map\n---\n\n<LessonMap title=\"Plan <1>\" objectives={['Build', \"Ship\"]} open />\n\n<LessonMap title={`Again`} />\n\nText **after**.\n";
    let built = build_project(&[
        ("templates/components/LessonMap.html", template),
        ("content/01-map.mdx", doc),
    ]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let main = built.main("map/");
    assert!(
        main.contains("<section class=\"lesson-map\">\n<h2>Plan &lt;1&gt;</h2>\n<ol><li>Build</li><li>Ship</li></ol>\n<p>open</p>\n</section>"),
        "{main}"
    );
    assert!(main.contains("<h2>Again</h2>\n</section>"), "{main}");
    assert!(main.contains("<strong>after</strong>"));
    assert!(
        !built.diagnostics().contains("LessonMap"),
        "{}",
        built.diagnostics()
    );

    // A template that fails is a warning at the component, which then shows as a list.
    let built = build_project(&[
        (
            "templates/components/LessonMap.html",
            b"{{ props.missing.deeper }}",
        ),
        ("content/01-map.mdx", doc),
    ]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(
        built
            .diagnostics()
            .contains("content/01-map.mdx:5:1: warning: the template of `<LessonMap>` failed"),
        "{}",
        built.diagnostics()
    );
    assert!(built
        .main("map/")
        .contains("data-component=\"LessonMap\"><dt>Title</dt><dd>Plan &lt;1&gt;</dd>"));
}

#[test]
fn inline_components_keep_their_text_and_markup_expressions_are_left_out() {
    let page = br##"---
title: Inline
---

## Module 1 <ModuleBadge moduleNumber={1} />

This is <Highlight color="#25c2a0">Docusaurus green</Highlight>, and `<Highlight>` in code stays.

<div style={{display: "flex"}}>
  {[
    {label: "Chunk", c: "#7c3aed"},
    {label: "Embed", c: "#8b5cf6"},
  ].map((s, i, a) => (
    <div key={i} style={{color: s.c}}>{s.label}</div>
  ))}
</div>

After the diagram.
"##;
    let built = build_project(&[("content/01-inline.mdx", page)]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let main = built.main("inline/");
    for raw in [
        "<ModuleBadge",
        "<Highlight color",
        "</Highlight>",
        ".map(",
        "=>",
    ] {
        assert!(!main.contains(raw), "`{raw}` leaked: {main}");
    }
    assert!(
        main.contains(
            "This is Docusaurus green, and <code>&lt;Highlight&gt;</code> in code stays."
        ),
        "{main}"
    );
    assert!(main.contains(">Module 1"), "{main}");
    assert!(main.contains("After the diagram."));
    let d = built.diagnostics();
    for want in [
        "content/01-inline.mdx:5:1: warning: MDX component `<ModuleBadge>` is not supported; it is left out",
        "content/01-inline.mdx:7:1: warning: MDX component `<Highlight>` is not supported; its content is shown as plain text",
        "content/01-inline.mdx:10:1: warning: a JavaScript expression `{…}` that makes markup needs JavaScript; it is left out",
    ] {
        assert!(d.contains(want), "{d}");
    }
}
