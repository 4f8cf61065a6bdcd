//! `syllabus build` run as a user runs it, on fixture books.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::*;

fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn builds_the_fixture_book_with_docusaurus_urls() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stderr) = build(&fixture("basic"), &site, &[]);
    assert_eq!(code, 0, "{stderr}");
    let files = all_files(&site);
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
        "assets/highlight.css",
        "assets/syllabus.css",
        "assets/syllabus.js",
        "favicon.svg",
        ".syllabus-output",
    ] {
        assert!(
            files.contains_key(expected),
            "missing {expected}; have {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        !files
            .keys()
            .any(|k| k.contains("draft") || k.contains("summary")),
        "{:?}",
        files.keys().collect::<Vec<_>>()
    );
    let sitemap = read(&site, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/course/getting-started/install/</loc>"),
        "{sitemap}"
    );
    assert!(read(&site, "robots.txt").contains("Sitemap: https://example.org/course/sitemap.xml"));
}

#[test]
fn a_lesson_page_has_everything_a_reader_needs() {
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(&fixture("basic"), out.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let html = read(out.path(), "getting-started/install/index.html");
    for needle in [
        "<html lang=\"en-GB\"",
        "<title>Install the tools",
        "<meta name=\"description\" content=\"Install Docker and check it works.\">",
        "<link rel=\"canonical\" href=\"https://example.org/course/getting-started/install/\">",
        "property=\"og:title\"",
        "href=\"#linux-install\"",
        "<h2 id=\"check\">",
        "rel=\"prev\"",
        "rel=\"next\"",
        "href=\"/course/getting-started/dockerfile/#the-dockerfile\"",
        "Verify the installation",
        "20",
        "<div class=\"code-title\">install.sh</div>",
        "<span class=\"line hl\">",
        "class=\"copy-button\"",
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table 1\"><table>",
        "type=\"checkbox\"",
        "footnote-definition",
        "<details><summary>Troubleshooting</summary>",
        "admonition admonition-tip",
        "Custom fixture footer",
        "aria-current=\"page\"",
    ] {
        assert!(
            html.contains(needle),
            "missing {needle:?} in the install page"
        );
    }
    let dockerfile = read(out.path(), "getting-started/dockerfile/index.html");
    assert!(dockerfile.contains("<pre class=\"code numbered\""));
    assert!(
        dockerfile.contains("<span class=\"t-k\">FROM</span>"),
        "Dockerfile keywords are highlighted"
    );
    assert!(dockerfile.contains("data-lang=\"powershell\""));
    assert!(
        dockerfile.contains("href=\"/course/deploying/\""),
        "site-absolute links get the base path"
    );
    let deploying = read(out.path(), "deploying/index.html");
    assert!(
        deploying.contains("src=\"/course/deploying/img/diagram.svg\""),
        "relative images point at their copy"
    );
}

#[test]
fn every_link_and_asset_stays_under_the_sub_path_and_on_this_host() {
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(&fixture("basic"), out.path(), &["--base-url", "/sub/path/"]);
    assert_eq!(code, 0, "{stderr}");
    let attr = regex_lite_attrs();
    for (path, bytes) in all_files(out.path()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for (tag, name, value) in attr(&html) {
            if value.starts_with('#') || value.starts_with("mailto:") || value.is_empty() {
                continue;
            }
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
}

/// (tag, attribute, value) of every href/src attribute, outside `<a>` links to other hosts.
fn regex_lite_attrs() -> impl Fn(&str) -> Vec<(String, String, String)> {
    |html: &str| {
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
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(build(&fixture("basic"), a.path(), &[]).0, 0);
    assert_eq!(build(&fixture("basic"), b.path(), &[]).0, 0);
    let (fa, fb) = (all_files(a.path()), all_files(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between two builds");
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
    let dir = project(&refs);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), out.path(), &[]).0, 0);
    let html = read(out.path(), "part-2/lesson-7/index.html");
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
