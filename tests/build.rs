//! Building the fixture books: which files come out, what a page holds (snapshots of each
//! page's `<main>`), links under a sub-path, determinism, the sidebar. In memory through the
//! library; what only the binary does (its messages, `--out`, the default output directory,
//! usage errors) runs the binary as a user would.

use crate::support;

use support::*;

#[test]
fn builds_the_fixture_book_with_docusaurus_urls() {
    let built = build_in_memory(&fixture("basic"), None);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    for expected in [
        "index.html",
        "getting-started/index.html",
        "getting-started/install/index.html",
        "getting-started/dockerfile/index.html",
        "deploying/index.html",
        "deploying/compose-up/index.html",
        "deploying/2021-01-31-release-notes/index.html",
        "deploying/img/diagram.svg",
        "notes.txt",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(
            built.files.contains_key(expected),
            "missing {expected}; have {:?}",
            built.files.keys().collect::<Vec<_>>()
        );
    }
    // Theme files under hashed names only (issue 18).
    for (stem, ext) in [
        ("assets/highlight.", ".css"),
        ("assets/syllabus.", ".css"),
        ("assets/syllabus.", ".js"),
        ("favicon.", ".svg"),
    ] {
        let hashed = built
            .files
            .keys()
            .filter(|k| k.starts_with(stem) && k.ends_with(ext))
            .count();
        assert_eq!(hashed, 1, "{stem}HASH{ext}");
        let plain = format!("{}{ext}", stem.trim_end_matches('.'));
        assert!(!built.files.contains_key(&plain), "{plain} is written");
    }
    assert!(
        !built
            .files
            .keys()
            .any(|k| k.contains("draft") || k.contains("summary")),
        "{:?}",
        built.files.keys().collect::<Vec<_>>()
    );
    let sitemap = built.text("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/course/getting-started/install/</loc>"),
        "{sitemap}"
    );
    assert!(built
        .text("robots.txt")
        .contains("Sitemap: https://example.org/course/sitemap.xml"));
}

/// What a reader sees of every fixture page, reviewed once: `tests/snapshots/`.
#[test]
fn every_fixture_page_reads_as_reviewed() {
    let built = build_in_memory(&fixture("basic"), None);
    for url in built.pages() {
        insta::assert_snapshot!(snapshot_name("basic", &url), built.main(&url));
    }
}

/// What a page holds around its `<main>`: head, sidebar, footer.
#[test]
fn a_lesson_page_has_its_head_navigation_and_footer() {
    let built = build_in_memory(&fixture("basic"), None);
    let html = built.page("getting-started/install/");
    for needle in [
        "<html lang=\"en-GB\"",
        "<title>Install the tools",
        "<meta name=\"description\" content=\"Install Docker and check it works.\">",
        "<link rel=\"canonical\" href=\"https://example.org/course/getting-started/install/\">",
        "property=\"og:title\"",
        "Custom fixture footer",
    ] {
        assert!(
            html.contains(needle),
            "missing {needle:?} in the install page"
        );
    }
    let nav = sidebar(&html);
    assert!(
        nav.contains("aria-current=\"page\"") && nav.contains("Install the tools"),
        "the sidebar marks the current page: {nav}"
    );
}

#[test]
fn every_link_and_asset_stays_under_the_sub_path_and_on_this_host() {
    let built = build_in_memory(&fixture("basic"), Some("/sub/path/"));
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let mut checked = 0;
    for (path, bytes) in &built.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        for (tag, name, value) in href_and_src(&html) {
            if value.starts_with('#') || value.starts_with("mailto:") || value.is_empty() {
                continue;
            }
            checked += 1;
            assert!(
                !value.starts_with("http") && !value.starts_with("//"),
                "{path}: <{tag} {name}=\"{value}\"> loads from another host"
            );
            if value.starts_with('/') {
                assert!(
                    value.starts_with("/sub/path/"),
                    "{path}: <{tag} {name}=\"{value}\"> escapes the sub-path"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} links and assets were seen");
}

/// (tag, attribute, value) of every href/src attribute, outside `<a>` links to other hosts.
fn href_and_src(html: &str) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for tag in html.split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let head = tag.split('>').next().unwrap_or("");
        for attr in ["href", "src"] {
            let key = format!(" {attr}=\"");
            if let Some(i) = head.find(&key) {
                let rest = &head[i + key.len()..];
                let value = rest.split('"').next().unwrap_or("").to_string();
                let external_link =
                    name == "a" && (value.starts_with("http") || value.starts_with("//"));
                if !external_link {
                    found.push((name.clone(), attr.to_string(), value));
                }
            }
        }
    }
    found
}

/// A project's own `templates/base.html` (a bare skeleton) is what the built-in `page.html`
/// and `404.html` extend: one file changes every page and the 404.
#[test]
fn overriding_base_html_changes_every_page_and_the_404() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stderr) = build(&fixture("base_override"), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let pages = [
        ("home", read(&site, "index.html"), "category", "Start with"),
        (
            "lesson",
            read(&site, "lesson/index.html"),
            "doc",
            "Lesson text",
        ),
        ("404", read(&site, "404.html"), "404", "Page not found"),
    ];
    for (name, html, kind, own) in &pages {
        for needle in [
            "<p class=\"custom-banner\">Custom skeleton banner</p>",
            &format!("<body class=\"custom-skeleton page-{kind}\">"),
            own,
        ] {
            assert!(
                html.contains(needle),
                "{name}: missing {needle:?} in\n{html}"
            );
        }
        assert!(
            !html.contains("skip-link"),
            "{name}: the built-in skeleton is still there"
        );
    }
    assert!(
        pages[2]
            .1
            .contains("<meta name=\"robots\" content=\"noindex\">\n</head>"),
        "404.html adds to the head block"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = build_in_memory(&fixture("basic"), None);
    let b = build_in_memory(&fixture("basic"), None);
    assert_eq!(
        a.files.keys().collect::<Vec<_>>(),
        b.files.keys().collect::<Vec<_>>()
    );
    for (k, v) in &a.files {
        assert!(v == &b.files[k], "{k} differs between two builds");
    }
}

#[test]
fn the_sidebar_holds_the_current_branch_only() {
    let mut files: Vec<(String, String)> =
        vec![("content/README.md".into(), "# Big course".into())];
    for part in 1..=3 {
        files.push((
            format!("content/0{part}-part-{part}/README.md"),
            format!("# Part {part}"),
        ));
        for lesson in 1..=40 {
            files.push((
                format!("content/0{part}-part-{part}/{lesson:02}-lesson-{lesson}.md"),
                format!("# Part {part} lesson {lesson}"),
            ));
        }
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let built = build_project(&refs);
    let html = built.page("part-2/lesson-7/");
    let nav = sidebar(&html);
    assert_eq!(
        nav.matches("href=\"/part-2/").count(),
        41,
        "this part and its 40 lessons"
    );
    assert!(
        !nav.contains("href=\"/part-1/lesson/") && nav.contains("href=\"/part-1/\""),
        "other parts stay collapsed"
    );
}

#[test]
fn without_book_toml_the_title_comes_from_the_root_page() {
    let dir = project(&[
        ("content/README.md", b"# My Own Course\n\nHello."),
        ("content/a.md", b"# A"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(dir.path(), out.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Built My Own Course (2 pages)"), "{stderr}");
    assert!(read(out.path(), "a/index.html").contains("My Own Course"));
    assert!(
        !out.path().join("sitemap.xml").exists(),
        "no sitemap without an absolute base-url"
    );
}

#[test]
fn the_default_output_is_the_build_dir_of_book_toml() {
    let dir = copy_fixture("basic");
    let output = syllabus().arg("build").arg(dir.path()).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("site/index.html").exists());
    assert!(
        dir.path().join("site/.syllabus-output").is_file(),
        "the output is marked as Syllabus'"
    );
}

#[test]
fn help_version_and_usage_errors() {
    let help = syllabus().args(["build", "--help"]).output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--base-url"));
    let version = syllabus().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("syllabus "));
    let bad = syllabus()
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// `[build] detect-code-language`: unlabelled blocks stay plain text by default, as in
/// Docusaurus; with the key, the unmistakable ones are coloured and the rest stay plain.
#[test]
fn detect_code_language_colours_only_unmistakable_unlabelled_blocks() {
    let page = "# Blocks\n\n\
        ```\n$ docker ps\nCONTAINER ID   IMAGE\n```\n\n\
        ```\n>>> import json\n>>> json.dumps([1])\n'[1]'\n```\n\n\
        ```\nPS C:\\Users\\me> Get-Service docker\n```\n\n\
        ```\n# Build stage\nRUN pip install uv\nCOPY . /app\n```\n\n\
        ```\n{\"name\": \"agent\", \"port\": 8000}\n```\n\n\
        ```\nRun the build, then open the page.\n```\n";
    let blocks = |toml: &str| {
        let built = build_project(&[
            ("book.toml", toml.as_bytes()),
            ("content/a.md", page.as_bytes()),
        ]);
        assert!(built.diagnostics().is_empty(), "{}", built.diagnostics());
        let main = built.main("a/");
        main.split("<div class=\"code-block\"")
            .skip(1)
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
    };
    let plain = blocks("");
    assert_eq!(plain.len(), 6);
    for block in &plain {
        assert!(block.starts_with(" data-lang=\"text\""), "{block}");
        assert!(!block.contains("<span class=t-"), "{block}");
    }
    let detected = blocks("[build]\ndetect-code-language = true\n");
    let langs: Vec<&str> = detected
        .iter()
        .map(|b| b.split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        langs,
        ["console", "pycon", "ps1con", "dockerfile", "json", "text"]
    );
    // Prompts are marked (the copy button leaves them out), commands coloured, output not.
    assert!(
        detected[0].contains(
            "<span class=t-prompt aria-hidden=\"true\">$ </span><span class=t-f>docker</span>"
        ),
        "{}",
        detected[0]
    );
    assert!(detected[0].contains("<span class=t-out>CONTAINER ID   IMAGE</span>"));
    assert!(detected[1].contains("<span class=t-prompt aria-hidden=\"true\">&gt;&gt;&gt; </span><span class=t-k>import</span>"), "{}", detected[1]);
    assert!(detected[1].contains("<span class=t-out>'[1]'</span>"));
    assert!(
        detected[2]
            .contains("<span class=t-prompt aria-hidden=\"true\">PS C:\\Users\\me&gt; </span>"),
        "{}",
        detected[2]
    );
    assert!(
        detected[3].contains("<span class=t-k>RUN") && detected[3].contains("<span class=t-k>COPY"),
        "{}",
        detected[3]
    );
    assert!(detected[4].contains("<span class=t-s>"), "{}", detected[4]);
    assert!(!detected[5].contains("<span class=t-"), "{}", detected[5]);
}
