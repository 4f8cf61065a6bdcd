//! Bad input never panics, names the file and line, and never loses data. What is about the
//! content is built in memory; exit codes and the output directory go through the binary.

use crate::support;

use support::*;

/// Runs the binary on a project of `files` into its `public/`: (exit code, stderr, project).
fn cli_build(files: &[(&str, &[u8])]) -> (i32, String, tempfile::TempDir) {
    let dir = project(files);
    let out = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (code, stderr, dir)
}

/// Asserts that a build in memory fails with `expected` among its diagnostics.
fn assert_error(built: &Built, expected: &str) {
    assert!(built.report.has_errors(), "{}", built.diagnostics());
    assert!(
        built.diagnostics().contains(expected),
        "no {expected:?} in\n{}",
        built.diagnostics()
    );
}

#[test]
fn broken_yaml_names_the_line_in_the_file_and_fails_the_build() {
    let (code, stderr, _d) = cli_build(&[(
        "content/bad.md",
        b"---\ntitle: ok\ndescription: [unclosed\n---\nbody\n",
    )]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("content/bad.md:4:1: error: front matter:"),
        "{stderr}"
    );
}

#[test]
fn a_wrong_type_names_the_field_line_and_column() {
    let built = build_project(&[(
        "content/x.md",
        b"---\ntitle: X\nsidebar_position: first\n---\n",
    )]);
    assert_error(
        &built,
        "content/x.md:3:19: error: front matter: `sidebar_position` must be a number, found \"first\"",
    );
}

#[test]
fn invalid_utf8_names_the_line_and_column() {
    let built = build_project(&[("content/bin.md", b"# Title\nab\xff\xfe\n")]);
    assert_error(&built, "content/bin.md:2:3: error: file is not valid UTF-8");
}

#[test]
fn an_unclosed_fence_warns_at_its_line_and_still_builds() {
    let (code, stderr, dir) =
        cli_build(&[("content/a.md", b"# A\n\ntext\n\n```python\nprint('hi')\n")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("content/a.md:5:1: warning: code fence is never closed"),
        "{stderr}"
    );
    assert!(read(&dir.path().join("public"), "a/index.html").contains("print"));
}

#[test]
fn an_unclosed_directive_warns_at_its_line_and_still_builds() {
    let built = build_project(&[(
        "content/a.md",
        b"# A\n\n:::tip Layer caching\nOrder layers well.\n\n## Next part\n",
    )]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(
        built.diagnostics().contains("content/a.md:3:1: warning: `:::tip` is not closed: it runs to the end of the file\n  = help: close it with `:::` on a line of its own"),
        "{}",
        built.diagnostics()
    );
    let html = built.page("a/");
    assert!(html.contains("Layer caching") && html.contains("Order layers well."));
}

#[test]
fn an_unknown_language_warns_and_renders_plain() {
    let built = build_project(&[("content/a.md", b"# A\n\n```klingon\nQapla <b>\n```\n")]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(
        built
            .diagnostics()
            .contains("content/a.md:3:1: warning: unknown code language `klingon`"),
        "{}",
        built.diagnostics()
    );
    assert!(built.page("a/").contains("Qapla &lt;b&gt;"));
}

#[test]
fn empty_files_and_front_matter_only_files_are_pages() {
    let built = build_project(&[
        ("content/01-empty.md", b""),
        (
            "content/02-only.md",
            b"---\ntitle: Only front matter\n---\n",
        ),
    ]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(built.page("empty/").contains("<title>empty"));
    assert!(built.page("only/").contains("Only front matter"));
}

#[test]
fn bom_and_crlf_are_read_like_plain_utf8() {
    let built = build_project(&[(
        "content/win.md",
        b"\xEF\xBB\xBF---\r\ntitle: Windows lesson\r\n---\r\n\r\n## Set up\r\n\r\nText.\r\n",
    )]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let html = built.page("win/");
    assert!(
        html.contains("Windows lesson") && html.contains("<h2 id=\"set-up\">"),
        "{html}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let dir = project(&[("content/a.md", b"# A")]);
    std::os::unix::fs::symlink(dir.path().join("content"), dir.path().join("content/loop"))
        .unwrap();
    let built = build_in_memory(dir.path(), None);
    // Left out with a warning (issue 16): the rest of the book builds.
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(
        built
            .diagnostics()
            .contains("content/loop: warning: symlink loop"),
        "{}",
        built.diagnostics()
    );
}

#[test]
fn a_five_megabyte_lesson_builds() {
    let mut big = String::from("# Big\n\n");
    let mut i = 0;
    while big.len() < 5 << 20 {
        big.push_str(&format!("## Section {i}\n\nSome words about containers and images, paragraph {i}.\n\n```python\nprint({i})\n```\n\n"));
        i += 1;
    }
    big.push_str("THE END\n");
    let built = build_project(&[("content/big.md", big.as_bytes())]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(built.page("big/").contains("THE END"));
}

#[test]
fn two_files_for_one_url_is_an_error_naming_both() {
    let built = build_project(&[
        ("content/01-setup.md", b"# One"),
        ("content/setup.md", b"# Two"),
    ]);
    assert_error(
        &built,
        "`content/01-setup.md` and `content/setup.md` both map to the URL /setup/",
    );
}

#[test]
fn unknown_book_toml_key_lists_the_valid_ones() {
    let (code, stderr, _d) = cli_build(&[
        ("book.toml", b"[book]\ntitel = \"x\"\n"),
        ("content/a.md", b"# A"),
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("book.toml:2:1: error: unknown field `titel`, expected one of `title`"),
        "{stderr}"
    );
}

#[test]
fn a_missing_content_directory_is_a_clear_error() {
    let dir = project(&[("book.toml", b"[book]\nsrc = \"lessons\"\n")]);
    let error = syllabus::source::read(dir.path()).expect_err("no content directory");
    let message = error.to_string();
    assert!(
        message.contains("content directory") && message.contains("lessons"),
        "{message}"
    );
}

#[test]
fn a_foreign_output_directory_is_never_touched() {
    let dir = project(&[
        ("content/a.md", b"# A"),
        ("precious/thesis.txt", b"years of work"),
    ]);
    let (code, stderr) = build(dir.path(), &dir.path().join("precious"), &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("not made by syllabus"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("precious/thesis.txt")).unwrap(),
        b"years of work"
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("precious"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_exactly_as_it_was() {
    let dir = project(&[
        ("content/a.md", b"# A\n\nfirst version"),
        ("content/b.md", b"# B"),
    ]);
    let out = dir.path().join("public");
    assert_eq!(build(dir.path(), &out, &[]).0, 0);
    let before = read(&out, "a/index.html");
    std::fs::write(
        dir.path().join("content/a.md"),
        "# A\n\nsecond version with a [broken](./nope.md) link",
    )
    .unwrap();
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("content/a.md:3:23: error: broken link `./nope.md`"),
        "{stderr}"
    );
    assert!(stderr.contains("was left as it was"), "{stderr}");
    assert_eq!(read(&out, "a/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().contains("staging")),
        "{leftovers:?}"
    );
    std::fs::write(dir.path().join("content/a.md"), "# A\n\nthird version").unwrap();
    assert_eq!(build(dir.path(), &out, &[]).0, 0);
    assert!(read(&out, "a/index.html").contains("third version"));
}
