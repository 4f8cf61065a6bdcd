//! `syllabus init`: a new author's first minute.

use crate::support;

use support::*;

fn init(args: &[&str]) -> (i32, String) {
    let out = syllabus().arg("init").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_new_course_builds_at_once_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("course");
    let (code, stderr) = init(&[course.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("syllabus serve"),
        "it says what to do next: {stderr}"
    );
    let check = syllabus()
        .arg("check")
        .arg(&course)
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let out = dir.path().join("site");
    let (code, stderr) = build(&course, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let lesson = read(&out, "your-first-dockerfile/index.html");
    assert!(
        lesson.contains("<span class=t-k>FROM</span>"),
        "the starter has a highlighted Dockerfile"
    );
    assert!(read(&out, "index.html").contains("Getting Started"));
}

#[test]
fn init_never_overwrites_a_project() {
    let dir = project(&[("book.toml", b"[book]\ntitle = \"Mine\"\n")]);
    let (code, stderr) = init(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("already holds a Syllabus project"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
        "[book]\ntitle = \"Mine\"\n"
    );
}

#[test]
fn templates_are_copied_without_touching_existing_files() {
    let dir = project(&[(
        "templates/partials/footer.html",
        b"<footer>my footer</footer>",
    )]);
    let (code, stderr) = init(&["--templates", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("kept") && stderr.contains("footer.html"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("templates/partials/footer.html")).unwrap(),
        "<footer>my footer</footer>"
    );
    for file in [
        "templates/base.html",
        "templates/page.html",
        "templates/partials/head.html",
        "static/assets/syllabus.css",
        "static/favicon.svg",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} was not copied");
    }
}

#[test]
fn init_git_ignores_the_site_and_the_build_cache_keeping_an_existing_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("course");
    let (code, stderr) = init(&[course.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let ignore = std::fs::read_to_string(course.join(".gitignore")).unwrap();
    assert_eq!(ignore, "/public\n/.syllabus-cache/\n");
    // A folder that already has a .gitignore: extended, nothing lost, nothing twice.
    let dir = project(&[(".gitignore", b"node_modules\n/public/")]);
    let (code, stderr) = init(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert_eq!(ignore, "node_modules\n/public/\n/.syllabus-cache/\n");
}
