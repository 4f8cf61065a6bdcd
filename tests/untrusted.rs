//! Untrusted content (a contributor's pull request, built by CI) cannot write outside
//! `--out`, crash the build, stall it, or publish files from outside the project. Each
//! attack of issue 16, tried as an attacker would: through the binary where the command
//! line matters (exit codes, the file system), in memory otherwise.

// The growth test prints its ratios; the tables of attacks are plain tuples.
#![allow(clippy::print_stderr, clippy::type_complexity)]

use crate::support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};
use support::*;

/// Every file and folder under `dir`, relative, symlinks not followed.
fn listing(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.expect("walk");
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// Runs `syllabus ARGS` and returns (exit code, stdout and stderr: `check` prints its
/// diagnostics on stdout).
fn run(args: &[&str], root: &Path) -> (i32, String) {
    let output = syllabus()
        .args(args)
        .arg(root)
        .output()
        .expect("run syllabus");
    let printed = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(!printed.contains("panicked"), "{printed}");
    (output.status.code().unwrap_or(-1), printed)
}

// ---------------------------------------------------------------------------------------
// 1. Nothing is written outside --out
// ---------------------------------------------------------------------------------------

/// Each way a book can name a path, with the error `check` and `build` must give.
const ESCAPES: &[(&str, &[(&str, &str)], &str)] = &[
    (
        "id",
        &[("content/a.md", "---\nid: ../../../X\n---\n# A\n")],
        "content/a.md:2:1: error: `id: ../../../X` would write this page to `../../../X/index.html`",
    ),
    (
        "relative slug",
        &[("content/a.md", "---\ntitle: A\nslug: ../../../X\n---\n")],
        "content/a.md:3:1: error: `slug: ../../../X`",
    ),
    (
        "absolute slug",
        &[("content/a.md", "---\nslug: /../../X\n---\n")],
        "content/a.md:2:1: error: `slug: /../../X`",
    ),
    (
        "slug with a backslash",
        &[("content/a.md", "---\nslug: '..\\..\\X'\n---\n")],
        "content/a.md:2:1: error: `slug: ..\\..\\X`",
    ),
    (
        "id naming a drive",
        &[("content/a.md", "---\nid: 'C:'\n---\n")],
        "`C:` is a Windows drive",
    ),
    (
        "slug naming a device",
        &[("content/a.md", "---\nslug: /NUL\n---\n")],
        "`NUL` is a name Windows reserves for a device",
    ),
    (
        "route-base",
        &[
            ("book.toml", "[site]\nroute-base = \"../..\"\n"),
            ("content/a.md", "# A\n"),
        ],
        "book.toml:2:1: error: `route-base = \"../..\"` cannot be a folder of the site",
    ),
    (
        "category slug",
        &[
            (
                "content/part/_category_.json",
                "{\"link\": {\"type\": \"generated-index\", \"slug\": \"../../../X\"}}",
            ),
            ("content/part/a.md", "# A\n"),
        ],
        "content/part: error: the category's `link.slug` would write its page to `../../../X/index.html`",
    ),
    (
        "file name",
        &[("content/a\\..\\..\\X.md", "# X\n")],
        "content/a\\..\\..\\X.md: error: this page's file or folder names",
    ),
    (
        "folder name of an asset",
        &[("content/con/pic.png", "png")],
        "content/con/pic.png: error: this file cannot be published as `con/pic.png`",
    ),
    (
        "static file",
        &[("static/..\\X.txt", "x"), ("content/a.md", "# A\n")],
        "static/..\\X.txt: error: this file cannot be published: it has a backslash",
    ),
];

#[test]
fn no_way_in_writes_outside_the_output_and_check_says_so_first() {
    for (way, files, expected) in ESCAPES {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("book");
        for (path, text) in *files {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let before = listing(outer.path());

        let (code, stderr) = run(&["check"], &root);
        assert_eq!(code, 1, "{way}: check must fail\n{stderr}");
        assert!(stderr.contains(expected), "{way}: check\n{stderr}");

        let out = root.join("public");
        let (code, stderr) = build(&root, &out, &[]);
        assert_eq!(code, 1, "{way}: build must fail\n{stderr}");
        assert!(stderr.contains(expected), "{way}: build\n{stderr}");
        // Only the build cache (`.syllabus-cache/` in the project, issue 15) may be written:
        // what it holds is keyed by content, so a failed build's entries are as good as any.
        let written: BTreeSet<String> = listing(outer.path())
            .into_iter()
            .filter(|p| !p.starts_with("book/.syllabus-cache"))
            .collect();
        assert_eq!(written, before, "{way}: the build wrote something");
    }
}

#[test]
fn safe_slugs_still_go_where_docusaurus_puts_them() {
    let built = build_project(&[
        ("content/part/a.md", b"---\nslug: ../top\n---\n# A\n"),
        ("content/part/b.md", b"---\nslug: ./here\n---\n# B\n"),
        ("content/c.md", b"---\nslug: /x/./y/../z\n---\n# C\n"),
    ]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let pages = built.pages();
    for url in ["top/", "part/here/", "x/z/"] {
        assert!(pages.contains(&url.to_string()), "{url} in {pages:?}");
    }
}

// ---------------------------------------------------------------------------------------
// 2. Never abort
// ---------------------------------------------------------------------------------------

#[test]
fn a_quiz_nested_thousands_deep_is_an_error_at_its_place_not_a_crash() {
    let quiz = format!("# Q\n\n<Quiz questions={{{}\n", "[".repeat(8_000));
    let dir = project(&[("content/q.mdx", quiz.as_bytes())]);
    let (code, stderr) = build(dir.path(), &dir.path().join("public"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/q.mdx:3:") && stderr.contains("nest more than 64 deep"),
        "{stderr}"
    );
}

#[test]
fn templates_that_recurse_for_ever_are_errors_naming_the_template() {
    // A partial that includes itself.
    let dir = project(&[
        ("content/a.md", b"# A\n"),
        (
            "templates/partials/footer.html",
            b"{% include \"partials/footer.html\" %}",
        ),
    ]);
    let (code, stderr) = build(dir.path(), &dir.path().join("public"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("template `partials/footer.html` recurses without end"),
        "{stderr}"
    );
    // A macro that calls itself for ever, added to the theme's macros and called from the
    // footer (partials use the macros their including template imports).
    let macros = format!(
        "{}\n{{% macro spin(name) %}}{{{{ self::spin(name=name) }}}}{{% endmacro spin %}}\n",
        include_str!("../templates/macros.html")
    );
    let dir = project(&[
        ("content/a.md", b"# A\n"),
        ("templates/macros.html", macros.as_bytes()),
        (
            "templates/partials/footer.html",
            b"{{ macros::spin(name=\"x\") }}",
        ),
    ]);
    let (code, stderr) = build(dir.path(), &dir.path().join("public"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("macro `spin` of `macros.html` recurses without end"),
        "{stderr}"
    );
}

#[test]
fn deep_nesting_in_markdown_builds_or_fails_cleanly() {
    let cases: Vec<(&str, String)> = vec![
        ("blockquotes", format!("# A\n\n{}x\n", "> ".repeat(50_000))),
        ("lists", format!("# A\n\n{}x\n", "- ".repeat(50_000))),
        ("brackets", format!("# A\n\n{}x\n", "[".repeat(100_000))),
        ("emphasis", format!("# A\n\n{}x\n", "*".repeat(100_000))),
        ("html", format!("# A\n\n{}\n", "<div>".repeat(100_000))),
        (
            "directives",
            format!("# A\n\n{}", ":::note\n".repeat(20_000)),
        ),
        (
            "front matter",
            format!("---\ntags: {}\n---\n# A\n", "[".repeat(100_000)),
        ),
    ];
    for (what, text) in cases {
        let built = build_project(&[("content/a.md", text.as_bytes())]);
        for d in &built.report.diagnostics {
            assert!(d.path == "content/a.md", "{what}: {d}");
        }
        if built.report.has_errors() {
            assert!(
                built.diagnostics().contains("nest"),
                "{what}: {}",
                built.diagnostics()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// 3. Linear time
// ---------------------------------------------------------------------------------------

/// The time to build one page of `text`, the best of three.
fn time_page(text: &str) -> Duration {
    let dir = project(&[("content/a.md", text.as_bytes())]);
    let sources = syllabus::source::read(dir.path()).unwrap();
    let resources = syllabus::Resources::default();
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let out = syllabus::output::Output::default();
            syllabus::build(&sources, &Default::default(), &resources, &out);
            started.elapsed()
        })
        .min()
        .unwrap()
}

/// How much longer `make(4n)` takes than `make(n)`: about 4 for linear work, 16 for
/// quadratic. Not a timing assertion: a growth ratio between two sizes in one run.
fn growth(n: usize, make: impl Fn(usize) -> String) -> f64 {
    let small = time_page(&make(n));
    let large = time_page(&make(4 * n));
    large.as_secs_f64() / small.as_secs_f64().max(1e-6)
}

/// N headings `a-1` … `a-N`, then N times `a`: the issue's 12 s at N = 4,000.
fn colliding_headings(n: usize) -> String {
    let mut text = String::from("# T\n\n");
    for i in 1..=n {
        text.push_str(&format!("## a-{i}\n\n"));
    }
    text.push_str(&"## a\n\n".repeat(n));
    text
}

fn nested_front_matter(n: usize) -> String {
    format!("---\ntags: {}\n---\n# A\n", "[".repeat(n))
}

fn many_front_matter_keys(n: usize) -> String {
    let keys: String = (0..n).map(|i| format!("key{i}: {i}\n")).collect();
    format!("---\n{keys}---\n# A\n")
}

fn many_links_and_anchors(n: usize) -> String {
    let mut text = String::from("# T\n\n");
    for i in 0..n {
        text.push_str(&format!(
            "## s{i}\n\n[to {i}](#s{i}) [back](./a.md#s{i})\n\n"
        ));
    }
    text
}

fn many_quiz_tags(n: usize) -> String {
    format!("# Q\n\n{}", "<Quiz questions={[\n".repeat(n))
}

#[test]
fn pathological_inputs_grow_linearly() {
    let cases: [(&str, usize, fn(usize) -> String); 5] = [
        ("colliding heading ids", 1_000, colliding_headings),
        ("nested front matter", 20_000, nested_front_matter),
        ("front matter keys", 2_000, many_front_matter_keys),
        ("links and anchors", 1_000, many_links_and_anchors),
        ("quiz tags", 2_000, many_quiz_tags),
    ];
    for (what, n, make) in cases {
        let ratio = growth(n, make);
        eprintln!("{what}: 4x the input took {ratio:.1}x the time");
        assert!(
            ratio < 8.0,
            "{what}: 4x the input took {ratio:.1}x the time"
        );
    }
}

/// The sizes the issue timed in minutes, for `.ci/run`: each must build in seconds.
#[test]
#[ignore = "heavy: run by .ci/run"]
fn the_issues_sizes_build_in_seconds() {
    for (what, text) in [
        ("30,000 colliding headings", colliding_headings(30_000)),
        (
            "100k nested [ in front matter",
            nested_front_matter(100_000),
        ),
    ] {
        let took = time_page(&text);
        eprintln!("{what}: {took:?}");
        assert!(took < Duration::from_secs(60), "{what}: {took:?}");
    }
}

// ---------------------------------------------------------------------------------------
// 4. Only the project's own files are published
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn links_out_of_the_project_loops_and_editor_files_are_not_published() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n\nTOP-SECRET\n").unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/x.md"), "# X\n\nTOP-SECRET\n").unwrap();
    let dir = project(&[
        ("content/a.md", b"# A\n"),
        ("content/shared/inside.md", b"# Inside\n"),
        ("static/ok.txt", b"ok"),
    ]);
    let content = dir.path().join("content");
    symlink(outside.path().join("secret.md"), content.join("secret.md")).unwrap();
    symlink(outside.path().join("dir"), content.join("etc")).unwrap();
    symlink(
        outside.path().join("secret.md"),
        dir.path().join("static/s.md"),
    )
    .unwrap();
    symlink(&content, content.join("shared/loop")).unwrap();
    symlink(content.join("shared"), content.join("alias")).unwrap();
    symlink("lesson.md", content.join(".#lesson.md")).unwrap();
    symlink("gone.md", content.join("dangling.md")).unwrap();
    std::fs::write(content.join("a.md~"), "# backup").unwrap();
    std::fs::write(content.join(".a.md.swp"), "swap").unwrap();
    std::fs::write(content.join("4913"), "").unwrap();

    let (code, stderr) = run(&["check"], dir.path());
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path().join("public");
    let (code, build_err) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{build_err}");
    for (what, expected) in [
        ("file link", "content/secret.md: warning: symlink to `"),
        ("folder link", "content/etc: warning: symlink to `"),
        ("static link", "static/s.md: warning: symlink to `"),
        ("loop", "content/shared/loop: warning: symlink loop"),
        ("dangling", "content/dangling.md: warning: dangling symlink"),
    ] {
        assert!(stderr.contains(expected), "check, {what}:\n{stderr}");
        assert!(build_err.contains(expected), "build, {what}:\n{build_err}");
    }
    for quiet in [".#lesson", "a.md~", ".a.md.swp", "4913"] {
        assert!(!stderr.contains(quiet), "{quiet}: {stderr}");
    }
    let published = listing(&out);
    for file in &published {
        let path = out.join(file);
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
                "{file} holds the secret"
            );
        }
    }
    assert!(
        published.contains("alias/inside/index.html"),
        "{published:?}"
    );
    assert!(!published
        .iter()
        .any(|p| p.contains("4913") || p.ends_with('~')));
}

#[test]
fn control_characters_are_removed_with_a_warning_at_each() {
    let built = build_project(&[(
        "content/a.md",
        b"---\ntitle: \"T\\u0001itle\"\n---\n# A\n\nNUL\0here and \x1b[31mred\n",
    )]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let d = built.diagnostics();
    assert!(
        d.contains("content/a.md:6:4: warning: control character U+0000 removed"),
        "{d}"
    );
    assert!(
        d.contains("content/a.md:6:14: warning: control character U+001B removed"),
        "{d}"
    );
    let page = built.page("a/");
    assert!(
        !page.bytes().any(|b| b < 0x20 && !b"\t\n\r".contains(&b)),
        "control characters in the page"
    );
    assert!(page.contains("NULhere") && page.contains("Title"));
}
