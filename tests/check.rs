//! `syllabus check`: every problem in one run, each at its exact place, in three formats;
//! the same problems as `build`.

use crate::support;

use support::*;

/// (path, line, column, severity, start of message) of every diagnostic the fixture has.
const EXPECTED: &[(&str, usize, usize, &str, &str)] = &[
    (
        "content/README.md",
        7,
        3,
        "error",
        "broken link `./nope.md`",
    ),
    (
        "content/README.md",
        8,
        3,
        "error",
        "broken anchor `./lesson.md#nowhere`",
    ),
    (
        "content/README.md",
        11,
        1,
        "error",
        "broken image `./img/missing.png`",
    ),
    (
        "content/README.md",
        13,
        10,
        "error",
        "broken link `./files/missing.zip`",
    ),
    (
        "content/collide.md",
        3,
        1,
        "error",
        "output path collision: the page `content/collide.md` is written to `robots.txt/index.html`, but `robots.txt` is a file (the generated robots file)",
    ),
    (
        "content/dup.md",
        1,
        1,
        "error",
        "`content/01-dup.md` and `content/dup.md` both map to the URL /dup/",
    ),
    ("content/empty.md", 1, 1, "warning", "page is empty"),
    (
        "content/lesson.md",
        3,
        19,
        "warning",
        "front matter: `duration_minutes` is \"ten\", not a number of minutes",
    ),
    (
        "content/lesson.md",
        10,
        1,
        "warning",
        "heading level skips from h2 to h4",
    ),
    (
        "content/lesson.md",
        12,
        1,
        "warning",
        "image has no alt text",
    ),
    (
        "content/lesson.md",
        14,
        1,
        "warning",
        "unknown code language `klingon`",
    ),
    (
        "content/pos-a.md",
        4,
        1,
        "warning",
        "unknown front matter key `sidebar_lable`",
    ),
    (
        "content/pos-b.md",
        3,
        1,
        "warning",
        "sidebar_position 5 is also used by `content/pos-a.md`",
    ),
    (
        "content/quiz.md",
        7,
        73,
        "warning",
        "quiz: question 1: `correctOption` is 2",
    ),
    (
        "content/quiz.md",
        9,
        20,
        "warning",
        "quiz: question 1 has no `options`",
    ),
    (
        "content/quiz.md",
        11,
        20,
        "warning",
        "quiz: question 1 has no `question` text",
    ),
    (
        "content/unclosed.md",
        5,
        3,
        "warning",
        "`:::tip` is not closed: it runs to the end of the file",
    ),
];

fn check(root: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = syllabus()
        .arg("check")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_lists_every_problem_at_its_exact_place() {
    let (code, stdout, _) = check(&fixture("check"), &["--format", "json"]);
    assert_eq!(code, 1);
    let found: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect("one JSON array");
    assert_eq!(found.len(), EXPECTED.len(), "{found:#?}");
    for ((path, line, col, severity, message), d) in EXPECTED.iter().zip(&found) {
        let got = (
            d["path"].as_str().unwrap(),
            d["line"].as_u64().unwrap() as usize,
            d["column"].as_u64().unwrap() as usize,
            d["severity"].as_str().unwrap(),
        );
        assert_eq!(got, (*path, *line, *col, *severity), "{d}");
        let text = d["message"].as_str().unwrap();
        assert!(
            text.starts_with(message),
            "{text:?} does not start with {message:?}"
        );
    }
}

#[test]
fn hints_name_the_likely_fix() {
    let (_, stdout, stderr) = check(&fixture("check"), &[]);
    assert!(
        stdout.contains("content/pos-a.md:4:1: warning: unknown front matter key `sidebar_lable`\n  = help: did you mean `sidebar_label`?"),
        "{stdout}"
    );
    assert!(stderr.contains("6 errors, 11 warnings"), "{stderr}");
    let dir = project(&[
        ("content/01-first-dockerfile.md", b"# First"),
        ("content/b.md", b"See [it](./01-first-dockerfle.md)."),
    ]);
    let (code, stdout, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("= help: did you mean `./01-first-dockerfile.md`?"),
        "{stdout}"
    );
}

#[test]
fn github_format_annotates_pull_requests() {
    let (code, stdout, _) = check(&fixture("check"), &["--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        stdout
            .lines()
            .any(|l| l == "::error file=content/README.md,line=7,col=3::broken link `./nope.md`: no page at `nope.md`"),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l
            .starts_with("::warning file=content/lesson.md,line=14,col=1::unknown code language")),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), EXPECTED.len());
}

#[test]
fn check_writes_nothing_and_warnings_fail_only_when_denied() {
    let dir = project(&[("content/a.md", b"# A\n\n```klingon\nx\n```\n")]);
    let (code, stdout, _) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("content/a.md:3:1: warning: unknown code language `klingon`"));
    let (code, _, _) = check(dir.path(), &["--deny-warnings"]);
    assert_eq!(code, 1);
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["content"], "check wrote nothing");
}

#[test]
fn build_runs_the_same_checks() {
    let built = build_in_memory(&fixture("check"), None);
    let diagnostics = built.diagnostics();
    for (path, line, col, severity, message) in EXPECTED {
        let want = format!("{path}:{line}:{col}: {severity}: {message}");
        assert!(
            diagnostics.contains(&want),
            "build did not report {want}\n{diagnostics}"
        );
    }
    let sources = syllabus::source::read(&fixture("check")).unwrap();
    assert_eq!(
        syllabus::check(&sources).diagnostics,
        built.report.diagnostics,
        "check finds what build finds"
    );
}

#[test]
fn a_bad_book_toml_is_reported_by_check() {
    let dir = project(&[
        (
            "book.toml",
            b"[site]\nbase-url = \"/x/\"\nroute_base = \"docs\"\n",
        ),
        ("content/a.md", b"# A"),
    ]);
    let (code, stdout, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with(
            "book.toml:3:1: error: unknown field `route_base`, expected one of `base-url`, `route-base`, `edit-url`, `last-updated`, `locales`, `default-locale`"
        ),
        "{stdout}"
    );
}

#[test]
fn the_bundled_course_passes_check_without_warnings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = check(root, &["--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}
