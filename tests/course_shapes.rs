//! Front matter and quizzes as real course books write them, through the binary: course
//! keys in every shape (skills as maps, objectives with Bloom levels, a duration range),
//! Docusaurus' key coercions, multi-answer and single-question quizzes, and what cannot be
//! read shown with a warning instead of a failed build.

use crate::support;

use support::*;

fn built() -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(&fixture("course-shapes"), out.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    (out, stderr)
}

#[test]
fn course_keys_in_every_shape_show_in_the_lesson_header() {
    let (out, _) = built();
    let page = read(out.path(), "shapes/skills/index.html");
    for needle in [
        "40–45 min",
        "Explain what a ROS 2 node is",
        "Bloom: understand",
        "Write a publisher",
        "Launch several nodes at once",
        ">ROS 2 <span class=\"tag-detail\">",
        "Level: intermediate",
        "Bloom: apply",
        "<li>Linux basics</li>",
        "<li>Python 3</li>",
    ] {
        assert!(page.contains(needle), "no {needle:?} in\n{page}");
    }
    let card =
        &page[page.find("lesson-card\"").unwrap()..page.find("<div class=\"prose\">").unwrap()];
    assert!(
        !card.contains("robotics"),
        "a skill's category is not shown: {card}"
    );
    let map = read(out.path(), "shapes/skills-map/index.html");
    for needle in [
        ">Docker <span class=\"tag-detail\">",
        "Level: beginner",
        ">Kubernetes <span class=\"tag-detail\">",
        "Level: advanced",
        "Containers",
        "Bloom: remember",
    ] {
        assert!(map.contains(needle), "no {needle:?} in\n{map}");
    }
    // The chapter sums a range by its upper bound: 45 + 30.
    let chapter = read(out.path(), "shapes/index.html");
    assert!(chapter.contains("Total: 1 h 15 min"), "{chapter}");
}

#[test]
fn unreadable_course_shapes_warn_at_their_line_and_are_left_out() {
    let (out, stderr) = built();
    for needle in [
        "content/01-shapes/03-unreadable.md:4:19: warning: front matter: `duration_minutes` is \"about an hour\"",
        "content/01-shapes/03-unreadable.md:5:9: warning: front matter: `skills` is a true/false value, not a list; it is left out",
        "content/01-shapes/03-unreadable.md:6:1: warning: front matter: `learning_objectives` item 2 is a list",
    ] {
        assert!(stderr.contains(needle), "no {needle:?} in\n{stderr}");
    }
    let page = read(out.path(), "shapes/unreadable/index.html");
    assert!(page.contains("Kept") && page.contains("The third lesson still builds."));
    assert!(!page.contains("lesson-duration") && !page.contains("lesson-skills"));
    // `check --deny-warnings` is the strict gate.
    let status = syllabus()
        .args(["check", "--deny-warnings"])
        .arg(fixture("course-shapes"))
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(1));
}

#[test]
fn docusaurus_keys_take_what_its_validation_takes() {
    let dir = project(&[
        (
            "content/a.md",
            b"---\ntitle: 2024\nsidebar_position: \"2\"\ndraft: \"TRUE\"\n---\nDraft.\n",
        ),
        (
            "content/b.md",
            b"---\nsidebar_position: \"1\"\nhide_title: \"false\"\ntags: [one, {label: Two, permalink: /two}]\n---\nB.\n",
        ),
        ("content/c.md", b"---\nsidebar_position: 3\n---\nC.\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(dir.path(), out.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !out.path().join("a/index.html").exists(),
        "draft: \"TRUE\" is a draft"
    );
    assert!(out.path().join("b/index.html").exists());
    let bad = project(&[(
        "content/a.md",
        b"---\ntitle: ok\ntags: web\nhide_title: maybe\n---\n",
    )]);
    let (code, stderr) = build(bad.path(), out.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/a.md:3:7: error: front matter: `tags` must be a list of tags"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/a.md:4:13: error: front matter: `hide_title` must be true or false, found \"maybe\""),
        "{stderr}"
    );
}

#[test]
fn quizzes_in_every_form() {
    let (out, stderr) = built();
    let page = read(out.path(), "quizzes/index.html");
    // Multi-answer: checkboxes, a hint, every answer listed.
    assert!(
        page.contains("data-correct=\"0,1\" data-multiple"),
        "{page}"
    );
    assert!(page.contains("Select all that apply."));
    assert!(page.contains("type=\"checkbox\" name=\"quiz-1-q1\""));
    assert!(page.contains("<strong>Answers:</strong> Docker; Podman"));
    // `correct: "RUN"` names the option by its text; `isCorrect` marks an option object.
    assert!(page.contains("<fieldset class=\"quiz-question\" data-correct=\"1\"><legend><span class=\"quiz-number\">2.</span> Which one runs a command?"));
    assert!(page.contains("<fieldset class=\"quiz-question\" data-correct=\"1\"><legend><span class=\"quiz-number\">3.</span> Pick the second"));
    // The single-question component form.
    assert!(
        page.contains("What does a launch file do?") && page.contains("One command, many nodes.")
    );
    // Unanswerable questions: a visible note, a warning, no failure.
    assert!(page.contains("This question cannot be answered: it has only one option."));
    assert!(page.contains(
        "This question cannot be answered: the answer it gives is not one of its options."
    ));
    assert!(
        stderr.contains(
            "content/02-quizzes.mdx:22:44: warning: quiz: question 1 has only one option"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/02-quizzes.mdx:23:68: warning: quiz: question 2: `correctOption` is 4"
        ),
        "{stderr}"
    );
    // The Markdown form with two `[x]`.
    assert!(page.contains("data-correct=\"0,2\" data-multiple"));
}

#[test]
fn docusaurus_tabs_and_a_leading_heading() {
    let (out, stderr) = built();
    assert!(!stderr.contains("03-tabs.mdx"), "{stderr}");
    let page = read(out.path(), "tabs/index.html");
    assert!(page.contains("<div class=\"tabs\" data-tabs=\"tabs\" data-group=\"os\">"));
    assert!(page.contains("<section class=\"tab-panel\" data-tab=\"mac\" aria-label=\"macOS\" data-default><p class=\"tab-label\">macOS</p>"), "{page}");
    assert!(
        page.contains("<p>Install with <strong>Homebrew</strong>.</p>"),
        "{page}"
    );
    // The body's `# Heading` is the page heading; `title` stays the <title>.
    assert!(
        page.contains("<h1 class=\"page-title\">Installing the tools</h1>"),
        "{page}"
    );
    assert!(page.contains("<title>Tabs · Course shapes</title>"));
    assert!(
        page.contains("<h2 id=\"installing-the-tools-1\">"),
        "{page}"
    );
}

#[test]
fn page_rules_as_docusaurus_has_them() {
    let (out, _) = built();
    let page = read(out.path(), "page-rules/index.html");
    // hide_title: no visible heading (one for screen readers).
    assert!(
        page.contains("<h1 class=\"visually-hidden\">Page rules</h1>"),
        "{page}"
    );
    // toc_max_heading_level: 4 shows h4, not h5.
    assert!(
        page.contains("toc-level-4\"><a href=\"#fourth-level\""),
        "{page}"
    );
    assert!(!page.contains("toc-level-5"));
    // pagination_prev: null, pagination_next: a doc id.
    let pager = &page[page.find("class=\"pager").expect("a pager")..];
    assert!(!pager.contains("pager-prev"), "{pager}");
    assert!(pager.contains("href=\"/shapes/skills/\""), "{pager}");
    // The meta description is the first paragraph, cut at a word.
    assert!(page.contains("<meta name=\"description\" content=\"The first paragraph becomes the meta description when there is no description key, cut at a word near one hundred and sixty characters so that search engines…\">"), "{page}");
    // GFM autolink literals, not in code or links.
    assert!(page.contains("<a href=\"http://localhost:8000/docs\">http://localhost:8000/docs</a>"));
    assert!(page.contains("<a href=\"http://www.example.com\">www.example.com</a>"));
    assert!(page.contains("<a href=\"mailto:help@example.org\">help@example.org</a>"));
    assert!(page.contains("<code>http://localhost:1</code>"));
    // MDX comments are dropped on a page with no other MDX.
    assert!(page.contains("<p>A comment  is not shown"), "{page}");
}

#[test]
fn jsx_attributes_on_html_become_html() {
    let (out, stderr) = built();
    let page = read(out.path(), "mdx/index.html");
    assert!(
        page.contains("<div class=\"card\" style=\"font-size: 18px; border-left: 4px solid teal; opacity: 0.9\">"),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"/img/robot.svg\" alt=\"A robot\" width=\"40\" />"),
        "{page}"
    );
    assert!(page.contains("<img src=\"/img/robot.svg\" alt=\"The same robot\" />"));
    assert!(!page.contains("={"), "{page}");
    assert!(
        stderr.contains("content/05-mdx.mdx:5:1: warning: JSX attribute `onClick={…}` needs JavaScript; it is left out"),
        "{stderr}"
    );
    assert!(
        out.path().join("img/robot.svg").exists(),
        "static/ is served at the root"
    );
}

#[test]
fn tags_get_pages_as_in_docusaurus() {
    let (out, _) = built();
    let index = read(out.path(), "tags/index.html");
    for needle in [
        "<h1 class=\"page-title\">Tags</h1>",
        "<a class=\"tag\" href=\"/tags/containers/\">Containers <span class=\"tag-count\">1</span></a>",
        "<a class=\"tag\" href=\"/tags/robotics/\">robotics <span class=\"tag-count\">2</span></a>",
        "<a class=\"tag\" href=\"/tags/ros-2/\">ROS 2 <span class=\"tag-count\">1</span></a>",
    ] {
        assert!(index.contains(needle), "no {needle:?} in\n{index}");
    }
    let tag = read(out.path(), "tags/robotics/index.html");
    assert!(
        tag.contains("2 docs tagged with &quot;robotics&quot;")
            || tag.contains("2 docs tagged with \"robotics\""),
        "{tag}"
    );
    assert!(
        tag.contains("href=\"/shapes/skills/\"") && tag.contains("href=\"/shapes/skills-map/\"")
    );
    let doc = read(out.path(), "shapes/skills/index.html");
    assert!(
        doc.contains("<a class=\"tag\" href=\"/tags/ros-2/\" rel=\"tag\">ROS 2</a>"),
        "{doc}"
    );
}
