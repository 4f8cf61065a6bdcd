//! Translations through the real binary (issue 13): the fixture `i18n` (en + ur, Docusaurus'
//! `i18n/` layout, one page left untranslated, a translated category label, a `code.json`
//! override) built at a sub-path, then its URLs, the untranslated page's note, the language
//! switcher, `lang`/`dir`, `hreflang`, the sitemap and one search index per locale.

use crate::support;

use support::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stderr) = build(&fixture("i18n"), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    (out, site)
}

#[test]
fn each_locale_is_built_at_its_prefix_with_the_same_urls() {
    let (_out, site) = built();
    for page in [
        "intro/",
        "getting-started/",
        "getting-started/install/",
        "getting-started/first-steps/",
    ] {
        assert!(
            site.join(format!("docs/{page}index.html")).is_file(),
            "en {page}"
        );
        assert!(
            site.join(format!("ur/docs/{page}index.html")).is_file(),
            "ur {page}"
        );
    }
    let en = read(&site, "docs/intro/index.html");
    let ur = read(&site, "ur/docs/intro/index.html");
    assert!(en.contains("<html lang=\"en\" class=\"no-js\">"), "{en}");
    assert!(
        ur.contains("<html lang=\"ur\" dir=\"rtl\" class=\"no-js\">"),
        "{ur}"
    );
    assert!(
        ur.contains("یہ کورس انگریزی میں لکھا گیا ہے") && !ur.contains("This course is written")
    );
    // Links and assets of the Urdu site stay in it, under the sub-path base.
    assert!(ur.contains("href=\"/course/ur/assets/syllabus."), "{ur}");
    assert!(
        ur.contains("href=\"/course/ur/docs/getting-started/\""),
        "{ur}"
    );
    assert!(read(&site, "ur/index.html").contains("/course/ur/docs/"));
    // The switcher links to, and only to, the stylesheet that styles it.
    assert!(ur.contains("/course/ur/assets/i18n."));
    hashed(&site.join("ur/assets"), "i18n", "css");
}

#[test]
fn an_untranslated_page_is_the_original_with_a_note_in_the_readers_language() {
    let (_out, site) = built();
    let ur = read(&site, "ur/docs/getting-started/first-steps/index.html");
    assert!(
        ur.contains("This lesson has no Urdu translation yet."),
        "{ur}"
    );
    assert!(
        ur.contains("<p class=\"untranslated-note\" role=\"note\" lang=\"ur\">اس صفحے کا ترجمہ ابھی نہیں ہوا"),
        "{ur}"
    );
    assert!(
        ur.contains("<div class=\"prose\" lang=\"en\" dir=\"auto\">"),
        "{ur}"
    );
    // Its title is the original's words too (issue 13: a screen reader reads it as English).
    assert!(
        ur.contains("<h1 class=\"page-title\" lang=\"en\" dir=\"auto\">First steps</h1>"),
        "{ur}"
    );
    let translated = read(&site, "ur/docs/getting-started/install/index.html");
    assert!(!translated.contains("untranslated-note"));
    assert!(
        translated.contains("<h1 class=\"page-title\">"),
        "{translated}"
    );
    assert!(
        !read(&site, "docs/getting-started/first-steps/index.html").contains("untranslated-note")
    );
}

#[test]
fn the_switcher_links_each_page_to_itself_in_every_language() {
    let (_out, site) = built();
    for (file, current) in [
        ("docs/getting-started/install/index.html", "en"),
        ("ur/docs/getting-started/install/index.html", "ur"),
    ] {
        let html = read(&site, file);
        let menu = &html[html
            .find("<details class=\"lang-menu\">")
            .expect("a switcher")..];
        let menu = &menu[..menu.find("</details>").unwrap()];
        assert!(
            menu.contains("aria-label=\"Languages\"") || menu.contains("aria-label=\"زبانیں\""),
            "{menu}"
        );
        let en = "<a class=\"lang-link\" href=\"/course/docs/getting-started/install/\" hreflang=\"en\" lang=\"en\"";
        let ur = "<a class=\"lang-link\" href=\"/course/ur/docs/getting-started/install/\" hreflang=\"ur\" lang=\"ur\"";
        assert!(menu.contains(en) && menu.contains(ur), "{file}: {menu}");
        let marked = format!("hreflang=\"{current}\" lang=\"{current}\" aria-current=\"true\">");
        assert!(menu.contains(&marked), "{file}: {menu}");
        assert_eq!(menu.matches("aria-current").count(), 1, "{menu}");
    }
    // Pages that are the same in every language link each language's home.
    let not_found = read(&site, "ur/404.html");
    assert!(
        not_found.contains("href=\"/course/docs/\" hreflang=\"en\""),
        "{not_found}"
    );
}

#[test]
fn head_and_sitemap_list_every_language_with_x_default() {
    let (_out, site) = built();
    let html = read(&site, "ur/docs/intro/index.html");
    for link in [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/course/docs/intro/\">",
        "<link rel=\"alternate\" hreflang=\"ur\" href=\"https://example.org/course/ur/docs/intro/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/course/docs/intro/\">",
    ] {
        assert!(html.contains(link), "{link}\n{html}");
    }
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    for loc in [
        "https://example.org/course/docs/intro/",
        "https://example.org/course/ur/docs/intro/",
    ] {
        let row = sitemap
            .lines()
            .find(|l| l.contains(&format!("<loc>{loc}</loc>")))
            .unwrap_or_else(|| panic!("{loc} in {sitemap}"));
        assert!(
            row.contains("hreflang=\"en\" href=\"https://example.org/course/docs/intro/\""),
            "{row}"
        );
        assert!(
            row.contains("hreflang=\"ur\" href=\"https://example.org/course/ur/docs/intro/\""),
            "{row}"
        );
        assert!(row.contains("hreflang=\"x-default\""), "{row}");
    }
    assert!(!site.join("ur/sitemap.xml").exists() && !site.join("ur/robots.txt").exists());
}

#[test]
fn search_theme_strings_and_labels_are_the_locales_own() {
    let (_out, site) = built();
    // One index per locale: each holds its own language's words.
    let words = |dir: &str| {
        std::fs::read_dir(site.join(dir).join("assets/search/t"))
            .unwrap()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect::<String>()
    };
    let (en, ur) = (words(""), words("ur"));
    assert!(en.contains("editor") && !en.contains("ایڈیٹر"), "{en}");
    assert!(ur.contains("ایڈیٹر"), "{ur}");
    let html = read(&site, "ur/docs/intro/index.html");
    assert!(html.contains("data-base=\"/course/ur/\""), "{html}");
    // Shipped strings, the code.json override, the category label from current.json.
    assert!(
        html.contains("<summary class=\"toc-title\">اس صفحے پر</summary>"),
        "{html}"
    );
    assert!(html.contains(">مواد پر جائیں</a>"), "{html}");
    assert!(
        html.contains("pager-label\">آگے<svg"),
        "code.json's next: {html}"
    );
    assert!(
        html.contains("<span class=\"nav-text\">آغاز</span>"),
        "{html}"
    );
    assert!(
        html.contains("<script type=\"application/json\" id=\"syllabus-strings\">"),
        "{html}"
    );
    assert!(read(&site, "ur/404.html").contains("<title>یہ صفحہ موجود نہیں"));
    // Durations, the course map and a chapter's print view are in the page's language too.
    assert!(html.contains("1 منٹ مطالعہ</span>"), "{html}");
    let map = read(&site, "ur/docs/course-map/index.html");
    assert!(
        map.contains("<h1 class=\"page-title\">کورس کا نقشہ</h1>"),
        "{map}"
    );
    assert!(
        map.contains("<dt>اسباق</dt>") && !map.contains("<dt>Lessons</dt>"),
        "{map}"
    );
    let print = read(&site, "ur/docs/getting-started/print/index.html");
    assert!(print.contains(">باب پر واپس</a>"), "{print}");
    // The English site keeps its own words and needs no strings for its scripts.
    let en = read(&site, "docs/intro/index.html");
    assert!(
        en.contains("<span class=\"nav-text\">Getting Started</span>"),
        "{en}"
    );
    assert!(!en.contains("syllabus-strings"));
}

#[test]
fn a_translation_problem_is_reported_at_the_translated_file() {
    let project = copy_fixture("i18n");
    let doc = project
        .path()
        .join("i18n/ur/docusaurus-plugin-content-docs/current/intro.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text + "\n[broken](./missing.md)\n").unwrap();
    std::fs::write(project.path().join("i18n/ur/code.json"), "{ not json").unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(project.path(), &out.path().join("site"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("i18n/ur/docusaurus-plugin-content-docs/current/intro.md:18:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("i18n/ur/code.json:1:3: warning: not valid JSON"),
        "{stderr}"
    );
}

#[test]
fn a_book_in_one_language_has_no_switcher_and_an_rtl_one_has_its_direction() {
    let project = copy_fixture("i18n");
    std::fs::write(
        project.path().join("book.toml"),
        "[book]\ntitle = \"Urdu only\"\nlanguage = \"ur\"\n[site]\nroute-base = \"docs\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(project.path(), &out.path().join("site"), &[]);
    assert_eq!(code, 0, "{stderr}");
    let html = read(&out.path().join("site"), "docs/intro/index.html");
    assert!(html.contains("<html lang=\"ur\" dir=\"rtl\""), "{html}");
    assert!(
        html.contains("assets/i18n.") && !html.contains("lang-menu"),
        "{html}"
    );
    assert!(!out.path().join("site/ur").exists());
    // book.toml decides a locale's direction.
    std::fs::write(
        project.path().join("book.toml"),
        "[book]\ntitle = \"Urdu\"\nlanguage = \"ur\"\n[site.locale-config.ur]\ndirection = \"ltr\"\nlabel = \"Urdu\"\n",
    )
    .unwrap();
    let (code, stderr) = build(project.path(), &out.path().join("site2"), &[]);
    assert_eq!(code, 0, "{stderr}");
    let html = read(&out.path().join("site2"), "intro/index.html");
    assert!(
        html.contains("<html lang=\"ur\" class=\"no-js\">"),
        "{html}"
    );
}

#[test]
fn a_print_view_links_what_its_pages_need_and_marks_untranslated_lessons() {
    // Issue 13: a chapter's print view shows its lessons' diagrams and formulas, so it links
    // their stylesheets; a chapter without them links neither.
    let lesson = |body: &str| format!("---\ntitle: L\n---\n\n{body}\n").into_bytes();
    let diagram = lesson("```mermaid\nflowchart LR\n  A --> B\n```");
    let formula = lesson("The area is $\\pi r^2$.");
    let plain = lesson("Words only.");
    let book = build_project(&[
        (
            "book.toml",
            b"[book]\ntitle = \"P\"\n\n[markdown]\nmath = true\nmermaid = true\n",
        ),
        ("content/intro.md", b"# Intro\n"),
        ("content/a/index.md", b"# A\n"),
        ("content/a/one.md", &diagram),
        ("content/a/two.md", &formula),
        ("content/b/index.md", b"# B\n"),
        ("content/b/one.md", &plain),
    ]);
    let a = book.page("a/print/");
    assert!(a.contains("<svg") && a.contains("<math"), "{a}");
    // Theme files by hashed name (issue 18): `assets/diagram.HASH.css`.
    assert!(a.contains("assets/diagram."), "{a}");
    assert!(a.contains("assets/math/math."), "{a}");
    let b = book.page("b/print/");
    assert!(
        !b.contains("assets/diagram.") && !b.contains("assets/math/math."),
        "{b}"
    );
    // In the Urdu site, the untranslated lesson keeps the original's language in print too.
    let (_out, site) = built();
    let print = read(&site, "ur/docs/getting-started/print/index.html");
    assert!(print.contains("<html lang=\"ur\" dir=\"rtl\""), "{print}");
    assert!(print.contains("assets/i18n."), "{print}");
    assert_eq!(
        print
            .matches("<div class=\"prose\" lang=\"en\" dir=\"auto\">")
            .count(),
        1,
        "{print}"
    );
}

#[test]
fn navbar_json_titles_each_language_and_current_json_labels_docs() {
    // Issue 13: `navbar.json`'s title is the site's title in that language; `current.json`'s
    // `sidebar.<id>.doc.<label>` keys translate docs' sidebar labels.
    let (_out, site) = built();
    let ur = read(&site, "ur/docs/getting-started/install/index.html");
    assert!(ur.contains("دو زبانوں کا کورس</a>"), "{ur}");
    assert!(!ur.contains("Two-Language Course"), "{ur}");
    assert!(
        ur.contains("<span class=\"nav-text\">پہلے قدم</span>"),
        "{ur}"
    );
    let en = read(&site, "docs/getting-started/install/index.html");
    assert!(en.contains("Two-Language Course</a>") && !en.contains("دو زبانوں"));
    assert!(
        en.contains("<span class=\"nav-text\">First steps</span>"),
        "{en}"
    );
}

#[test]
fn the_default_locales_own_translation_files_apply_to_it() {
    // Docusaurus reads `i18n/<defaultLocale>/` too: a one-language book takes its theme
    // strings, its title and its sidebar labels from there.
    let msg = |k: &str, v: &str| format!("\"{k}\": {{\"message\": \"{v}\"}}");
    let code = format!("{{{}}}", msg("theme.docs.paginator.next", "Onwards"));
    let navbar = format!("{{{}}}", msg("title", "The Renamed Course"));
    let current = format!(
        "{{{}, {}}}",
        msg("sidebar.s.doc.Second", "The second lesson"),
        msg("sidebar.s.category.part", "The part")
    );
    let built = build_project(&[
        ("book.toml", b"[book]\ntitle = \"Course\"\n"),
        ("content/first.md", b"# First\n\nText.\n"),
        ("content/part/second.md", b"# Second\n\nText.\n"),
        ("i18n/en/code.json", code.as_bytes()),
        (
            "i18n/en/docusaurus-theme-classic/navbar.json",
            navbar.as_bytes(),
        ),
        (
            "i18n/en/docusaurus-plugin-content-docs/current.json",
            current.as_bytes(),
        ),
    ]);
    assert_eq!(built.diagnostics(), "");
    let page = built.page("first/");
    assert!(
        page.contains("Onwards") && !page.contains(">Next<"),
        "{page}"
    );
    assert!(page.contains("The Renamed Course</a>"), "{page}");
    let second = built.page("part/second/");
    assert!(second.contains(">The second lesson</span>"), "{second}");
    assert!(second.contains(">The part</span>"), "{second}");
    // A broken file is a warning at its position; the site keeps its title.
    let bad = build_project(&[
        ("book.toml", b"[book]\ntitle = \"Course\"\n"),
        ("content/first.md", b"# First\n\nText.\n"),
        (
            "i18n/en/docusaurus-theme-classic/navbar.json",
            b"{\n  \"title\": [",
        ),
    ]);
    assert!(
        bad.diagnostics()
            .contains("i18n/en/docusaurus-theme-classic/navbar.json:2:"),
        "{}",
        bad.diagnostics()
    );
    assert!(bad.page("first/").contains("Course</a>"));
}

#[test]
fn a_translated_slug_is_followed_by_the_switcher_hreflang_and_sitemap() {
    // Issue 13: the Urdu `practice.md` has `slug: mashq`; each language's link of that doc
    // is its real URL there, matched by source path as Docusaurus does.
    let (_out, site) = built();
    assert!(!site
        .join("ur/docs/getting-started/practice/index.html")
        .exists());
    let ur_url = "https://example.org/course/ur/docs/getting-started/mashq/";
    let en_url = "https://example.org/course/docs/getting-started/practice/";
    for (page, lang) in [
        ("docs/getting-started/practice/index.html", "en"),
        ("ur/docs/getting-started/mashq/index.html", "ur"),
    ] {
        let html = read(&site, page);
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{page}");
        assert!(
            html.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"ur\" href=\"{ur_url}\">"
            )),
            "{page}: {html}"
        );
        assert!(
            html.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"en\" href=\"{en_url}\">"
            )),
            "{page}: {html}"
        );
        assert!(
            html.contains("href=\"/course/ur/docs/getting-started/mashq/\" hreflang=\"ur\""),
            "{page}: switcher {html}"
        );
        assert!(
            html.contains("href=\"/course/docs/getting-started/practice/\" hreflang=\"en\""),
            "{page}: switcher {html}"
        );
    }
    let sitemap = read(&site, "sitemap.xml");
    let row = format!("<url><loc>{en_url}</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{en_url}\"/><xhtml:link rel=\"alternate\" hreflang=\"ur\" href=\"{ur_url}\"/>");
    assert!(sitemap.contains(&row), "{sitemap}");
    assert!(
        sitemap.contains(&format!("<url><loc>{ur_url}</loc>")),
        "{sitemap}"
    );
    assert!(
        !sitemap.contains("/ur/docs/getting-started/practice/"),
        "{sitemap}"
    );
}

#[test]
fn a_question_that_cannot_be_answered_says_why_in_the_readers_language() {
    // Issue 13: the reader's note is translated, reason and all; the author's warning, with
    // its details, stays in English.
    let quiz = "# Quiz\n\n<Quiz questions={[\n  {question: 'One?', options: ['a'], correctOption: 0},\n  {question: 'Which?', options: ['a', 'b'], correctOption: 5},\n]} />\n";
    let built = build_project(&[
        (
            "book.toml",
            b"[book]\ntitle = \"Q\"\nlanguage = \"ur\"\n".as_slice(),
        ),
        ("content/quiz.mdx", quiz.as_bytes()),
    ]);
    let page = built.page("quiz/");
    for note in [
        "اس سوال کا جواب نہیں دیا جا سکتا: اس میں صرف ایک اختیار ہے۔",
        "اس سوال کا جواب نہیں دیا جا سکتا: اس کا دیا گیا جواب اس کے اختیارات میں سے نہیں۔",
    ] {
        assert!(page.contains(note), "{note}\n{page}");
    }
    assert!(
        !page.contains("only one option") && !page.contains("cannot be answered"),
        "{page}"
    );
    let warnings = built.diagnostics();
    assert!(
        warnings.contains("quiz: question 1 has only one option")
            && warnings.contains("`correctOption` is 5, but the options are numbered 0 to 1"),
        "{warnings}"
    );
}

#[test]
fn prev_next_and_breadcrumbs_show_the_sidebars_translated_labels() {
    // Issue 13: the pager labels a doc as Docusaurus does (`pagination_label`, else
    // `sidebar_label`, else its sidebar label as `current.json` translates it, else its
    // title), and the breadcrumbs show each category's sidebar label.
    let (_out, site) = built();
    let install = read(&site, "ur/docs/getting-started/install/index.html");
    assert!(
        install.contains("<span class=\"pager-title\">پہلے قدم</span>"),
        "{install}"
    );
    assert!(
        install.contains("<li><a href=\"/course/ur/docs/getting-started/\">آغاز</a></li>"),
        "{install}"
    );
    let mashq = read(&site, "ur/docs/getting-started/mashq/index.html");
    assert!(
        mashq.contains("<span class=\"pager-title\">پہلے قدم</span>"),
        "{mashq}"
    );
    let en = read(&site, "docs/getting-started/install/index.html");
    assert!(
        en.contains("<span class=\"pager-title\">First steps</span>"),
        "{en}"
    );

    let doc = |front: &str| format!("---\n{front}\n---\n\n# Heading\n\nText.\n").into_bytes();
    let (a, b, c) = (
        doc("title: Alpha title\nsidebar_position: 1"),
        doc("title: Beta title\nsidebar_label: Beta\nsidebar_position: 2"),
        doc("title: Gamma title\nsidebar_label: Gamma\npagination_label: Gamma in the pager\nsidebar_position: 3"),
    );
    let built = build_project(&[
        ("book.toml", b"[book]\ntitle = \"P\"\n".as_slice()),
        ("content/part/_category_.json", br#"{"label": "The part"}"#),
        ("content/part/index.md", b"# Part overview\n\nAbout.\n"),
        ("content/part/a.md", &a),
        ("content/part/b.md", &b),
        ("content/part/c.md", &c),
    ]);
    let pager = |url: &str| {
        let page = built.page(url);
        page.match_indices("<span class=\"pager-title\">")
            .map(|(i, m)| {
                let rest = &page[i + m.len()..];
                rest[..rest.find('<').unwrap()].to_string()
            })
            .collect::<Vec<_>>()
    };
    // A category's own doc by its doc's title, docs by sidebar_label and pagination_label.
    assert_eq!(pager("part/a/"), ["Part overview", "Beta"]);
    assert_eq!(pager("part/b/"), ["Alpha title", "Gamma in the pager"]);
    let a = built.page("part/a/");
    assert!(
        a.contains("<li><a href=\"/part/\">The part</a></li>"),
        "{a}"
    );
}
