//! Shared helpers for the integration tests: run the real binary on fixture projects.
#![allow(dead_code, unreachable_pub)]

pub mod browser;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `syllabus` binary, as a user runs it.
pub fn syllabus() -> Command {
    let mut cmd = Command::cargo_bin("syllabus").expect("binary built");
    cmd.env_remove("RUST_LOG");
    cmd
}

/// The path of a fixture project.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A temporary copy of a fixture, safe to modify.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A project made of the given files (paths relative to the project root).
pub fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

/// Runs `syllabus build ROOT --out OUT` and returns (exit code, stderr).
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let output = syllabus()
        .arg("build")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run syllabus");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Reads a built file as text.
pub fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The course navigation (`<nav aria-label="Course">`) of a built page.
pub fn sidebar(html: &str) -> &str {
    let start = html
        .find("aria-label=\"Course\"")
        .expect("page has a course nav");
    let rest = &html[start..];
    &rest[..rest.find("</nav>").expect("nav is closed")]
}
