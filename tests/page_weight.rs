//! Page weight that does not grow with the course (issue 20): on a book with more top-level
//! parts than a page carries inline, every page's sidebar stays small, the top level comes
//! from one shared navigation file that exists, and the contents page lists every page; the
//! course map of a long course is split by part, and the home page's JSON-LD lists its parts
//! (issue 15). Built in memory through the library.

use crate::support;

use std::collections::BTreeSet;
use support::{build_project, sidebar, Built};

/// The long course of `support::long_course`, built in memory.
fn course(parts: usize) -> Built {
    build_files(&support::long_course(parts))
}

/// A project of these files (path, bytes), built in memory, without errors.
fn build_files(files: &[(String, Vec<u8>)]) -> Built {
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let built = build_project(&files);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    built
}

/// The text of the line above a page's title (its lesson count and time), "" without one.
fn eyebrow(built: &Built, url: &str) -> String {
    let main = built.main(url);
    let Some(start) = main.find("<p class=\"page-eyebrow\">") else {
        return String::new();
    };
    let p = &main[start..start + main[start..].find("</p>").unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in p.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A folder holding only its own page (`intro/why/index.md`) is a category in the tree but
/// one lesson to a reader: its parent's heading counts it, and its own page counts nothing.
#[test]
fn a_folder_with_only_its_own_page_counts_as_one_lesson() {
    let file = |p: &str, text: &str| (p.to_string(), text.as_bytes().to_vec());
    let built = build_files(&[
        file("content/README.md", "# Course\n"),
        file("content/intro/README.md", "# Intro\n"),
        file("content/intro/01-why/index.md", "# Why\n\nBecause.\n"),
        file("content/intro/02-how/index.md", "# How\n\nLike so.\n"),
        file("content/intro/03-setup.md", "# Setup\n\nInstall.\n"),
    ]);
    assert_eq!(eyebrow(&built, "intro/"), "3 lessons");
    assert_eq!(eyebrow(&built, ""), "3 lessons");
    assert!(!eyebrow(&built, "intro/why/").contains("lesson"));
}

/// The `src` of the page's navigation script, if it has one.
fn nav_script(html: &str) -> Option<String> {
    let at = html.find("/assets/nav.")?;
    let start = html[..at].rfind('"')? + 1;
    let end = at + html[at..].find('"')?;
    Some(html[start..end].to_string())
}

/// Every `href="…"` in `html`.
fn hrefs(html: &str) -> BTreeSet<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_long_top_level_leaves_each_page_a_small_sidebar() {
    let built = course(30);
    let pages = built.pages();
    assert!(pages.len() > 30 * 16, "{} pages", pages.len());
    let mut largest = 0;
    let mut scripts = BTreeSet::new();
    for url in &pages {
        let html = built.page(url);
        let nav = sidebar(&html);
        largest = largest.max(nav.len());
        if let Some(script) = nav_script(&html) {
            scripts.insert(script);
        } else {
            panic!("{url} loads no navigation file");
        }
    }
    assert!(
        largest <= 8 * 1024,
        "largest inline sidebar: {largest} bytes"
    );
    // One file for the whole course, and it holds every part.
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    let script = scripts.pop_first().unwrap();
    let file = built.text(script.trim_start_matches('/'));
    for p in 1..=30 {
        assert!(
            file.contains(&format!(">Part {p}<")),
            "the navigation file lists part {p}"
        );
    }
    assert!(file.contains("syllabus:nav-ready"), "it announces itself");
}

#[test]
fn a_lesson_carries_its_part_chapters_and_lessons_inline() {
    let built = course(30);
    let html = built.page("part-7/chapter-7-2/lesson-7-2-3/");
    let nav = sidebar(&html);
    // Its part, the part's chapters, the chapter's lessons, the home link.
    for shown in [
        "A long course",
        "Part 7",
        "Chapter 7.1",
        "Chapter 7.2",
        "Chapter 7.3",
        "Lesson 7.2.1",
        "Lesson 7.2.4",
    ] {
        assert!(nav.contains(&format!(">{shown}<")), "{shown} in {nav}");
    }
    // Not the other parts, nor the other chapters' lessons.
    for hidden in ["Part 6<", "Part 8<", "Lesson 7.1.1<", "Lesson 8.1.1<"] {
        assert!(!nav.contains(hidden), "{hidden} in {nav}");
    }
    assert!(
        nav.contains("aria-current=\"page\" data-page=\"part-7/chapter-7-2/lesson-7-2-3/\""),
        "the current link keeps aria-current and names its page: {nav}"
    );
    // Without JavaScript: a plain link to the contents page.
    assert!(nav.contains("<a href=\"/contents/\">"), "{nav}");
    // The inline sidebar does not grow with the number of parts.
    let longer = course(60);
    let other = longer.page("part-7/chapter-7-2/lesson-7-2-3/");
    let (a, b) = (nav.len(), sidebar(&other).len());
    assert!(
        a.abs_diff(b) < 16,
        "30 parts: {a} bytes, 60 parts: {b} bytes"
    );
}

#[test]
fn the_contents_page_lists_every_page() {
    let built = course(25);
    let contents = built.page("contents/");
    let main = &contents[contents.find("<main").unwrap()..];
    let listed = hrefs(main);
    for url in built.pages() {
        // The contents page lists the course's pages, not the pages made from them (the
        // course map, linked from the home page, and each chapter's print view).
        if url == "contents/" || url == "course-map/" || url.ends_with("/print/") {
            continue;
        }
        let href = format!("/{url}");
        assert!(listed.contains(&href), "{href} is not on the contents page");
    }
}

#[test]
fn a_short_top_level_stays_inline_without_a_navigation_file() {
    let built = course(3);
    let html = built.page("part-2/chapter-2-1/lesson-2-1-1/");
    assert_eq!(nav_script(&html), None);
    let nav = sidebar(&html);
    for p in 1..=3 {
        assert!(nav.contains(&format!(">Part {p}<")), "{nav}");
    }
    assert!(!built.files.contains_key("contents/index.html"));
    assert!(!built.files.keys().any(|f| f.starts_with("assets/nav.")));
}

/// The `href`s inside `<main>` of the page at `url`.
fn main_hrefs(built: &Built, url: &str) -> BTreeSet<String> {
    hrefs(&built.main(url))
}

#[test]
fn a_long_course_map_is_split_by_part_and_every_link_leads_to_a_page() {
    // 45 parts of 12 lessons: 540 lessons, past the 500 one map page shows.
    let built = course(45);
    let pages: BTreeSet<String> = built.pages().into_iter().collect();
    let map = main_hrefs(&built, "course-map/");
    let parts: Vec<String> = (1..=45).map(|n| format!("/course-map/{n}/")).collect();
    for part in &parts {
        assert!(map.contains(part), "the map links {part}");
    }
    assert!(
        !map.iter().any(|h| h.contains("lesson-")),
        "the map lists parts, not lessons: {map:?}"
    );
    let main = built.main("course-map/");
    assert!(main.contains("<dd>540</dd>"), "the course's totals: {main}");
    assert!(main.contains("12 lessons"), "a part's lessons: {main}");
    // The headings of the home page and of a part count lessons at any depth, as reading
    // progress does, not their children (45 parts, 3 chapters).
    assert_eq!(eyebrow(&built, ""), "540 lessons Total: 90 h");
    assert_eq!(eyebrow(&built, "part-7/"), "12 lessons Total: 2 h");
    assert_eq!(
        eyebrow(&built, "part-7/chapter-7-2/"),
        "4 lessons Total: 40 min"
    );
    let mut lessons = 0;
    for (n, part) in parts.iter().enumerate() {
        let url = part.trim_start_matches('/');
        let links = main_hrefs(&built, url);
        assert!(
            links.contains("/course-map/"),
            "{url} links back to the map"
        );
        for href in &links {
            let target = href.trim_start_matches('/');
            assert!(
                pages.contains(target),
                "{url} links {href}, which is not a page"
            );
        }
        let own = format!("/part-{}/", n + 1);
        let part_lessons: Vec<&String> = links.iter().filter(|h| h.contains("/lesson-")).collect();
        assert_eq!(part_lessons.len(), 12, "{url}: {part_lessons:?}");
        assert!(
            part_lessons.iter().all(|h| h.starts_with(&own)),
            "{url}: {part_lessons:?}"
        );
        let html = built.page(url);
        assert!(
            html.contains(&format!("Course map: Part {}<", n + 1)),
            "{url}'s title"
        );
        lessons += part_lessons.len();
    }
    assert_eq!(lessons, 540, "every lesson is on its part's page");
    let largest = parts
        .iter()
        .map(|p| built.page(p.trim_start_matches('/')).len())
        .max()
        .unwrap();
    let index = built.page("course-map/").len();
    assert!(
        largest < 60_000 && index < 60_000,
        "pages stay small: part {largest} bytes, map {index} bytes"
    );
    // The home page's JSON-LD lists what the home page shows, its parts, not every lesson.
    let home = built.page("");
    let open = "<script type=\"application/ld+json\">";
    let start = home.find(open).expect("the home page's JSON-LD") + open.len();
    let end = start + home[start..].find("</script>").unwrap();
    let course: serde_json::Value = serde_json::from_str(&home[start..end]).unwrap();
    let listed: Vec<&str> = course["hasPart"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["url"].as_str().unwrap())
        .collect();
    let parts: Vec<String> = (1..=45).map(|n| format!("/part-{n}/")).collect();
    assert_eq!(listed, parts, "the course's parts, in order");
    assert_eq!(course["timeRequired"], "PT90H", "540 lessons of 10 minutes");
}

#[test]
fn a_course_map_under_the_threshold_stays_one_page() {
    let built = course(3);
    let map = main_hrefs(&built, "course-map/");
    assert!(map.contains("/part-2/chapter-2-1/lesson-2-1-1/"), "{map:?}");
    assert!(!built.pages().iter().any(|p| p.starts_with("course-map/1")));
}

#[test]
fn a_long_courses_contents_is_split_by_part_and_reaches_every_page() {
    // 45 parts of 12 lessons: past the 500 lessons one page lists, as for the course map.
    let built = course(45);
    let pages: BTreeSet<String> = built.pages().into_iter().collect();
    let whole = main_hrefs(&built, "contents/");
    let parts: Vec<String> = (1..=45).map(|n| format!("/contents/{n}/")).collect();
    for part in &parts {
        assert!(whole.contains(part), "the contents links {part}");
    }
    assert!(
        !whole
            .iter()
            .any(|h| h.contains("lesson-") || h.contains("chapter-")),
        "the whole contents lists parts, not their pages: {whole:?}"
    );
    let mut reached: BTreeSet<String> = whole.clone();
    for (n, part) in parts.iter().enumerate() {
        let url = part.trim_start_matches('/');
        let links = main_hrefs(&built, url);
        assert!(links.contains("/contents/"), "{url} links back");
        let own = format!("/part-{}/", n + 1);
        let listed: Vec<&String> = links.iter().filter(|h| h.starts_with("/part-")).collect();
        // The part, its 3 chapters and their 12 lessons, and nothing of another part.
        assert_eq!(listed.len(), 16, "{url}: {listed:?}");
        assert!(
            listed.iter().all(|h| h.starts_with(&own)),
            "{url}: {listed:?}"
        );
        let html = built.page(url);
        assert!(
            html.contains(&format!("Contents: Part {}<", n + 1)),
            "{url}'s title"
        );
        reached.extend(links);
    }
    for href in &reached {
        assert!(
            pages.contains(href.trim_start_matches('/')),
            "a contents page links {href}, which is not a page"
        );
    }
    for url in &pages {
        // The course's own pages, not the pages made from them.
        if url.starts_with("contents/")
            || url.starts_with("course-map/")
            || url.ends_with("/print/")
        {
            continue;
        }
        assert!(
            reached.contains(&format!("/{url}")),
            "/{url} is on no contents page"
        );
    }
    let largest = parts
        .iter()
        .map(|p| built.page(p.trim_start_matches('/')).len())
        .max()
        .unwrap();
    let index = built.page("contents/").len();
    assert!(
        largest < 40_000 && index < 40_000,
        "pages stay small: part {largest} bytes, contents {index} bytes"
    );
}

/// The long course of `parts` parts with every lesson tagged `everywhere` and every other
/// one `even` too.
fn tagged_course(parts: usize) -> Built {
    let mut files = support::long_course(parts);
    let mut n = 0;
    for (path, bytes) in &mut files {
        if path.contains("/01-lesson") || path.contains("-lesson-") {
            n += 1;
            let tags = if n % 2 == 0 {
                "tags: [everywhere, even]"
            } else {
                "tags: [everywhere]"
            };
            let text = String::from_utf8(bytes.clone()).unwrap();
            *bytes = text
                .replacen("---\n", &format!("---\n{tags}\n"), 1)
                .into_bytes();
        }
    }
    build_files(&files)
}

#[test]
fn a_tag_on_many_docs_has_numbered_pages_linked_in_order() {
    // 20 parts of 12 lessons: 240 docs tagged `everywhere`, 120 `even`.
    let built = tagged_course(20);
    let pages: BTreeSet<String> = built.pages().into_iter().collect();
    let urls = [
        "tags/everywhere/",
        "tags/everywhere/page/2/",
        "tags/everywhere/page/3/",
    ];
    for url in urls {
        assert!(pages.contains(url), "{url} is written");
    }
    assert!(!pages.contains("tags/everywhere/page/4/"));
    assert!(
        !pages.contains("tags/everywhere/page/1/"),
        "page 1 is the tag's own URL"
    );
    assert!(pages.contains("tags/even/page/2/"));
    let mut lessons = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        let html = built.page(url);
        let main = built.main(url);
        let listed: Vec<String> = main
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|h| h.contains("/lesson-"))
            .map(str::to_string)
            .collect();
        assert!(listed.len() <= 100, "{url} lists {}", listed.len());
        lessons.extend(listed);
        assert!(
            main.contains(&format!("Page {} of 3", i + 1)),
            "{url} says which page it is"
        );
        let prev = i.checked_sub(1).map(|p| format!("/{}", urls[p]));
        let next = urls.get(i + 1).map(|u| format!("/{u}"));
        for (rel, target) in [("prev", prev), ("next", next)] {
            let link = target
                .as_ref()
                .map(|t| format!("<link rel=\"{rel}\" href=\"{t}\">"));
            match link {
                Some(link) => {
                    assert!(html.contains(&link), "{url}: {link}");
                    let anchor = format!("href=\"{}\" rel=\"{rel}\"", target.unwrap());
                    assert!(main.contains(&anchor), "{url}: {anchor}");
                }
                None => assert!(!html.contains(&format!("rel=\"{rel}\"")), "{url}: {rel}"),
            }
        }
    }
    // Each page of a tag has a title of its own.
    let title = |url: &str| {
        let html = built.page(url);
        let at = html.find("<title>").unwrap() + 7;
        html[at..at + html[at..].find("</title>").unwrap()].to_string()
    };
    assert_eq!(
        title("tags/everywhere/"),
        "240 docs tagged with &quot;everywhere&quot; · A long course"
    );
    assert_eq!(
        title("tags/everywhere/page/2/"),
        "240 docs tagged with &quot;everywhere&quot; — Page 2 of 3 · A long course"
    );
    // Every tagged doc once, in reading order; the numbers go on from page to page.
    assert_eq!(lessons.len(), 240);
    let unique: BTreeSet<&String> = lessons.iter().collect();
    assert_eq!(unique.len(), 240);
    assert!(lessons[0].contains("lesson-1-1-1/") && lessons[100].contains("lesson-9-2-1/"));
    assert!(built
        .main("tags/everywhere/page/2/")
        .contains("aria-hidden=\"true\">101</span>"));
    // The tags index links each tag's first page, with its whole count.
    let index = built.main("tags/");
    assert!(index.contains("href=\"/tags/everywhere/\""), "{index}");
    assert!(
        index.contains("<span class=\"tag-count\">240</span>"),
        "{index}"
    );
    for url in pages.iter().filter(|p| p.starts_with("tags/")) {
        for href in main_hrefs(&built, url) {
            assert!(
                pages.contains(href.trim_start_matches('/')),
                "{url} links {href}, which is not a page"
            );
        }
    }
}

#[test]
fn a_tag_on_few_docs_stays_one_page() {
    let built = tagged_course(3);
    let html = built.page("tags/everywhere/");
    assert!(!built.pages().iter().any(|p| p.contains("/page/")));
    assert!(!html.contains("rel=\"next\"") && !html.contains("rel=\"prev\""));
    assert!(!html.contains(" of 1<"), "no page numbers on a single page");
}

/// A few docs with tags, in `language`, at a full base URL.
fn small_tagged(language: &str, extra: &[(&str, &str)]) -> Built {
    let book = format!(
        "[book]\ntitle = \"Tagged\"\nlanguage = \"{language}\"\n[site]\nbase-url = \"https://example.org/course/\"\n"
    );
    let mut files: Vec<(&str, &[u8])> = vec![
        ("book.toml", book.as_bytes()),
        ("content/README.md", b"# Home\n\nWelcome.\n"),
        (
            "content/a.md",
            b"---\ntags: [robots, maths]\n---\n# A\n\nText.\n",
        ),
        ("content/b.md", b"---\ntags: [robots]\n---\n# B\n\nText.\n"),
    ];
    files.extend(extra.iter().map(|(p, t)| (*p, t.as_bytes())));
    support::build_in_memory(support::project(&files).path(), None)
}

/// Tag pages are in the sitemap (Docusaurus' sitemap lists every route, tag pages too), and
/// their headings are in the book's language.
#[test]
fn tag_pages_are_in_the_sitemap_and_in_the_books_language() {
    let built = small_tagged("en", &[]);
    let sitemap = built.text("sitemap.xml");
    for url in ["", "a/", "b/", "tags/", "tags/robots/", "tags/maths/"] {
        let loc = format!("<loc>https://example.org/course/{url}</loc>");
        assert!(sitemap.contains(&loc), "{loc} in\n{sitemap}");
    }
    assert!(built
        .main("tags/robots/")
        .contains("2 docs tagged with &quot;robots&quot;"));
    assert!(built
        .main("tags/maths/")
        .contains("1 doc tagged with &quot;maths&quot;"));
    let french = small_tagged("fr", &[]);
    assert!(
        french
            .main("tags/robots/")
            .contains("2 documents avec l’étiquette « robots »"),
        "{}",
        french.main("tags/robots/")
    );
    assert!(french
        .main("tags/maths/")
        .contains("1 document avec l’étiquette « maths »"));
}

/// A doc at a tag page's URL is an output collision, reported as the others are.
#[test]
fn a_doc_at_a_tag_pages_url_is_a_collision() {
    let built = small_tagged(
        "en",
        &[(
            "content/c.md",
            "---\nslug: /tags/robots\n---\n# C\n\nText.\n",
        )],
    );
    assert!(built.report.has_errors());
    let text = built.diagnostics();
    assert!(
        text.contains("content/c.md:2:1: error: output path collision: the page `content/c.md` and a tag page are both written to `tags/robots/index.html`"),
        "{text}"
    );
}

/// Reading progress on a long course (issue 15): the data file every page loads is a
/// summary whose size does not grow with the course (the parts are listed in groups, one per
/// chunk of the sidebar; `src/site/progress.rs` tests 230 and 2,300 parts); each page links
/// at most its own group's and part's files besides it, and the part files hold every
/// lesson once.
#[test]
fn a_long_courses_progress_data_is_a_summary_and_one_file_per_part() {
    let built = course(45);
    let summary_path = built
        .files
        .keys()
        .find(|k| k.starts_with("assets/progress-data.") && k.ends_with(".js"))
        .expect("the summary")
        .clone();
    let summary = built.text(&summary_path);
    assert!(!summary.contains("lesson-"), "no lesson in the summary");
    assert!(summary.len() < 512, "summary: {} bytes", summary.len());
    let parts: Vec<&String> = built
        .files
        .keys()
        .filter(|k| k.starts_with("assets/progress-data/") && !k.contains("/group-"))
        .collect();
    assert_eq!(parts.len(), 45, "{parts:?}");
    // 45 parts: one group, which every page of the course loads.
    let group = built
        .files
        .keys()
        .find(|k| k.starts_with("assets/progress-data/group-"))
        .expect("a group of parts");
    assert!(
        group.starts_with("assets/progress-data/group-1."),
        "{group}"
    );
    let lessons: usize = parts
        .iter()
        .map(|p| built.text(p).matches("lesson-").count())
        .sum();
    assert_eq!(lessons, 540);
    for url in built.pages() {
        let html = built.page(&url);
        let linked: Vec<&str> = html
            .split("src=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|s| s.contains("progress-data"))
            .collect();
        assert_eq!(linked[0], format!("/{summary_path}"), "{url}");
        assert!(linked.len() <= 3, "{url}: {linked:?}");
        if url.starts_with("part-7/") && !url.ends_with("/print/") {
            assert_eq!(linked[1], format!("/{group}"), "{url}");
            assert!(
                linked[2].starts_with("/assets/progress-data/7."),
                "{url}: {linked:?}"
            );
        }
    }
}

/// The long course of `support::long_course` with a full base URL (so it has a sitemap).
fn course_with_sitemap(parts: usize) -> Built {
    let files = support::long_course(parts);
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let project = support::project(&files);
    let built = support::build_in_memory(project.path(), Some("https://example.org/"));
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    built
}

/// The `href` of the `<a … rel="…">` link in the children list's pager of `html`.
fn list_pager(html: &str, rel: &str) -> Option<String> {
    let nav = &html[html.find("<nav class=\"pager list-pager\"")?..];
    let nav = &nav[..nav.find("</nav>")?];
    let link = nav
        .split("<a ")
        .find(|a| a.contains(&format!("rel=\"{rel}\"")))?;
    let start = link.find("href=\"")? + "href=\"".len();
    Some(link[start..start + link[start..].find('"')?].to_string())
}

/// The hrefs of a page's list of children.
fn listed_children(html: &str) -> Vec<String> {
    let Some(start) = html.find("<ol class=\"lesson-index-list\"") else {
        return Vec::new();
    };
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    list.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// Issue 15: a home page of 250 parts lists the first 100 with a pager; following the
/// pager's links reaches every part once, in order, and each later page is in the sitemap
/// and lists its range ("101–200 of 250").
#[test]
fn a_home_page_of_many_parts_lists_them_a_page_at_a_time() {
    let built = course_with_sitemap(250);
    let sitemap = built.text("sitemap.xml");
    let mut url = String::new();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let html = built.page(&url);
        let listed = listed_children(&html);
        assert!(listed.len() <= 100, "{url} lists {}", listed.len());
        let from = seen.len() + 1;
        let range = format!("{from}–{} of 250", from + listed.len() - 1);
        assert!(html.contains(&range), "{url} says {range}");
        seen.extend(listed);
        pages += 1;
        if !url.is_empty() {
            let loc = format!("<loc>https://example.org/{url}</loc>");
            assert!(sitemap.contains(&loc), "{loc} is in the sitemap");
            let back = list_pager(&html, "prev").expect("a later page links back");
            assert!(built
                .files
                .contains_key(&format!("{}index.html", &back[1..])));
        }
        match list_pager(&html, "next") {
            Some(next) => url = next.trim_start_matches('/').to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3, "100 + 100 + 50");
    let parts: Vec<String> = (1..=250).map(|p| format!("/part-{p}/")).collect();
    assert_eq!(seen, parts, "every part once, in order");
    // The home page's JSON-LD names the parts it shows, not all of them.
    let home = built.page("");
    assert!(home.contains("\"url\":\"https://example.org/part-100/\""));
    assert!(!home.contains("\"url\":\"https://example.org/part-101/\""));
}

/// A chapter page of a few lessons is unchanged: no range, no pager.
#[test]
fn a_short_list_of_children_has_no_pager() {
    let built = course(3);
    let home = built.page("");
    assert_eq!(listed_children(&home).len(), 3);
    assert!(!home.contains("list-pager") && !home.contains("lesson-index-range"));
    assert!(!built.files.contains_key("page/2/index.html"));
}

/// A content page at a later page's URL keeps the list on one page rather than collide.
#[test]
fn a_page_at_a_later_lists_url_keeps_the_list_whole() {
    let mut files = support::long_course(101);
    files.push((
        "content/page-two.md".into(),
        b"---\nslug: /page/2\n---\n# Two\n\nText.\n".to_vec(),
    ));
    let built = build_files(&files);
    assert_eq!(listed_children(&built.page("")).len(), 102);
    assert!(built.main("page/2/").contains("Two"));
}

/// The largest HTML page, and the largest navigation file, in bytes, with their paths.
fn largest_files(built: &Built) -> ((usize, String), (usize, String)) {
    let mut html = (0, String::new());
    let mut nav = (0, String::new());
    for (path, bytes) in &built.files {
        let slot = if path.ends_with(".html") {
            &mut html
        } else if path.starts_with("assets/nav.") {
            &mut nav
        } else {
            continue;
        };
        if bytes.len() > slot.0 {
            *slot = (bytes.len(), path.clone());
        }
    }
    (html, nav)
}

/// Issue 15: nothing a page shows or loads grows with the number of parts. Built at 250
/// and 500 parts, the home page, the largest page and the largest navigation file are no
/// larger at 500 (a few bytes of longer numbers aside).
#[test]
fn no_page_or_navigation_file_grows_with_the_number_of_parts() {
    let small = course_with_sitemap(250);
    let large = course_with_sitemap(500);
    let slack = 512;
    let home = |b: &Built| b.page("").len();
    assert!(
        home(&large) <= home(&small) + slack,
        "home page: {} bytes at 250 parts, {} at 500",
        home(&small),
        home(&large)
    );
    let ((small_html, small_page), (small_nav, _)) = largest_files(&small);
    let ((large_html, large_page), (large_nav, _)) = largest_files(&large);
    assert!(
        large_html <= small_html + slack,
        "largest page: {small_page} {small_html} bytes at 250 parts, {large_page} {large_html} at 500"
    );
    assert!(
        large_nav <= small_nav + slack,
        "largest navigation file: {small_nav} bytes at 250 parts, {large_nav} at 500"
    );
}

/// The pages of a paginated list from `first`, following its pager's next links: each
/// page's URL and HTML.
fn follow_pager(built: &Built, first: &str) -> Vec<(String, String)> {
    let mut url = first.to_string();
    let mut out = Vec::new();
    loop {
        let html = built.page(&url);
        let next = list_pager(&html, "next");
        out.push((url, html));
        match next {
            Some(next) => url = next.trim_start_matches('/').to_string(),
            None => return out,
        }
    }
}

/// Issue 15: the course map and the contents of 250 parts list them 100 a page; their
/// pagers reach every part's page of each, once.
#[test]
fn the_course_map_and_contents_of_many_parts_list_them_a_page_at_a_time() {
    let built = course(250);
    for (index, what) in [("course-map/", "course map"), ("contents/", "contents")] {
        let pages = follow_pager(&built, index);
        assert_eq!(pages.len(), 3, "the {what}: 100 + 100 + 50 parts");
        let mut parts = Vec::new();
        for (url, html) in &pages {
            let main = &html[html.find("<main").unwrap()..];
            let listed: Vec<String> = hrefs(main)
                .into_iter()
                .filter(|h| {
                    h.strip_prefix(&format!("/{index}"))
                        .and_then(|n| n.strip_suffix('/'))
                        .is_some_and(|n| n.parse::<usize>().is_ok())
                })
                .collect();
            assert!(listed.len() <= 100, "{url}: {} parts", listed.len());
            parts.extend(listed);
        }
        let mut expected: Vec<String> = (1..=250).map(|n| format!("/{index}{n}/")).collect();
        expected.sort();
        parts.sort();
        assert_eq!(parts, expected, "the {what} reaches every part once");
        assert!(
            pages[1].1.contains("101–200 of 2"),
            "the {what} says which parts"
        );
    }
}

/// `n` docs at the top level of a book in `language`: its home page lists `n` entries.
fn flat_course(n: usize, language: &str) -> Built {
    let book = format!("[book]\ntitle = \"Flat\"\nlanguage = \"{language}\"\n");
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("book.toml".into(), book.into_bytes()),
        ("content/README.md".into(), b"# Flat\n\nWelcome.\n".to_vec()),
    ];
    for d in 1..=n {
        files.push((
            format!("content/{d:04}-doc-{d}.md"),
            format!("# Doc {d}\n\nText.\n").into_bytes(),
        ));
    }
    build_files(&files)
}

/// The text of the element of `class` in `html` (the first one after `after`).
fn text_of(html: &str, class: &str, after: &str) -> String {
    let html = &html[html.find(after).unwrap_or(0)..];
    let at = html
        .find(&format!("class=\"{class}\">"))
        .unwrap_or_else(|| panic!("no {class} after {after}"));
    let text = &html[html[at..].find('>').unwrap() + at + 1..];
    text[..text.find('<').unwrap()].to_string()
}

/// A list of more than 1,000 entries (a home page of 1,050 docs) writes its counts as the
/// page's language does, in the range it shows, its pager and the sidebar's chunk buttons:
/// `1,001–1,050 of 1,050` in English, with a narrow no-break space in French.
#[test]
fn a_list_of_over_a_thousand_entries_groups_its_counts_in_the_pages_language() {
    for (language, of, next) in [("en", "of", "Next"), ("fr", "sur", "Suivant")] {
        let sep = if language == "fr" { "\u{202f}" } else { "," };
        let range = |from: &str, to: &str| format!("{from}–{to} {of} 1{sep}050");
        let built = flat_course(1050, language);
        let home = built.page("");
        assert_eq!(
            text_of(&home, "lesson-index-range", ""),
            range("1", "100"),
            "{language}: the home page's range"
        );
        // The home page's header counts all its entries, not the hundred it lists.
        let lessons = if language == "fr" {
            "leçons"
        } else {
            "lessons"
        };
        assert!(
            home.contains(&format!("1{sep}050 {lessons}</span>")),
            "{language}: the header's count"
        );
        let tenth = built.page("page/10/");
        assert_eq!(
            text_of(&tenth, "lesson-index-range", ""),
            range("901", &format!("1{sep}000")),
            "{language}: page 10's range"
        );
        let next_label = text_of(&tenth, "pager-title", "pager-next");
        assert_eq!(
            next_label,
            range(&format!("1{sep}001"), &format!("1{sep}050")),
            "{language}: page 10's pager"
        );
        let last = built.page("page/11/");
        assert_eq!(
            text_of(&last, "pager-title", "pager-prev"),
            range("901", &format!("1{sep}000")),
            "{language}: page 11's pager"
        );
        // The sidebar's chunks: the tenth's button to the eleventh says which entries.
        let chunk = built
            .files
            .iter()
            .find(|(path, _)| path.starts_with("assets/nav.10."))
            .map(|(_, bytes)| String::from_utf8(bytes.clone()).unwrap())
            .expect("the tenth chunk of the sidebar");
        let label = format!(
            "\"label\":\"{next}: {}\"",
            range(&format!("1{sep}001"), &format!("1{sep}050"))
        );
        assert!(chunk.contains(&label), "{language}: {label} in the chunk");
    }
}

/// The hrefs of the `<link rel="prev">` and `<link rel="next">` in the `<head>` of `html`
/// (each at most once).
fn head_links(html: &str) -> (Option<String>, Option<String>) {
    let head = &html[..html.find("</head>").expect("a </head>")];
    let link = |rel: &str| {
        let tag = format!("<link rel=\"{rel}\" href=\"");
        assert!(head.matches(&tag).count() <= 1, "one rel={rel} link");
        let at = head.find(&tag)? + tag.len();
        Some(head[at..at + head[at..].find('"')?].to_string())
    };
    (link("prev"), link("next"))
}

/// Every page of a paginated list (a category's children, the course map's parts, the
/// contents) links the pages before and after it in its `<head>`, as its pager does; a
/// list on one page and a lesson have no such links.
#[test]
fn every_page_of_a_long_list_links_its_neighbours_in_its_head() {
    let built = course(250);
    for first in ["", "course-map/", "contents/"] {
        let pages = follow_pager(&built, first);
        assert_eq!(pages.len(), 3, "`{first}`: 100 + 100 + 50");
        for (i, (url, html)) in pages.iter().enumerate() {
            let prev = list_pager(html, "prev");
            let next = list_pager(html, "next");
            assert_eq!((prev.is_some(), next.is_some()), (i > 0, i < 2), "{url}");
            assert_eq!(head_links(html), (prev, next), "{url}: the <head> links");
        }
    }
    for url in ["part-1/", "part-1/chapter-1-1/lesson-1-1-1/"] {
        assert_eq!(head_links(&built.page(url)), (None, None), "{url}");
    }
}
