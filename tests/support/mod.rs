//! Shared helpers for the integration tests: fixture projects, built in memory through the
//! library (everything that is not about the command line), or by the real binary as a user
//! runs it (exit codes, what it prints, `--out`, the staging directory).
#![allow(dead_code, unreachable_pub)]

pub mod browser;

use assert_cmd::Command;
use std::collections::BTreeMap;
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

/// Copies a directory tree.
///
/// The build cache (`.syllabus-cache/`) is left behind: tests build fixtures in place, so
/// another test may be writing it (a temporary file there can vanish mid-copy), and a copy
/// must start as the fixture's sources alone.
pub fn copy_dir(from: &Path, to: &Path) {
    let walk = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".syllabus-cache");
    for entry in walk {
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

/// A course of `parts` parts, each of 3 chapters of 4 lessons, every lesson with a code
/// block: more top-level entries than a page carries inline beyond 19 parts (issue 20).
pub fn long_course(parts: usize) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "content/README.md".into(),
        b"# A long course\n\nWelcome.\n".to_vec(),
    )];
    for p in 1..=parts {
        let part = format!("content/{p:03}-part-{p}");
        files.push((
            format!("{part}/README.md"),
            format!("# Part {p}\n\nThe part.\n").into_bytes(),
        ));
        for c in 1..=3 {
            let chapter = format!("{part}/{c:02}-chapter-{p}-{c}");
            files.push((
                format!("{chapter}/README.md"),
                format!("# Chapter {p}.{c}\n").into_bytes(),
            ));
            for l in 1..=4 {
                files.push((
                    format!("{chapter}/{l:02}-lesson-{p}-{c}-{l}.md"),
                    format!(
                        "---\nduration_minutes: 10\n---\n# Lesson {p}.{c}.{l}\n\nText.\n\n```python\nprint(\"{p}.{c}.{l}\")\n```\n"
                    )
                    .into_bytes(),
                ));
            }
        }
    }
    files
}

/// A project built in memory by the library: no binary, nothing written.
pub struct Built {
    /// Every site file by site path.
    pub files: BTreeMap<String, Vec<u8>>,
    pub report: syllabus::BuildReport,
}

impl Built {
    /// A built file as text.
    pub fn text(&self, path: &str) -> String {
        let bytes = self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}; have {:?}", self.files.keys()));
        String::from_utf8(bytes.clone()).expect("UTF-8")
    }

    /// The page at site URL `url` (`a/b/`, or `` for the root).
    pub fn page(&self, url: &str) -> String {
        self.text(&format!("{url}index.html"))
    }

    /// The `<main>` element of the page at `url`.
    pub fn main(&self, url: &str) -> String {
        let page = self.page(url);
        let start = page.find("<main").expect("a <main>");
        let end = page.rfind("</main>").expect("</main>") + "</main>".len();
        page[start..end].to_string()
    }

    /// Every diagnostic as the CLI prints it: `path:line:col: severity: message`.
    pub fn diagnostics(&self) -> String {
        self.report
            .diagnostics
            .iter()
            .map(|d| format!("{d}\n"))
            .collect()
    }

    /// The site URLs of every page (`a/b/`), in path order.
    pub fn pages(&self) -> Vec<String> {
        self.files
            .keys()
            .filter_map(|p| p.strip_suffix("index.html"))
            .map(str::to_string)
            .collect()
    }
}

/// Builds the project at `root` in memory, with `base_url` in place of `[site] base-url`.
pub fn build_in_memory(root: &Path, base_url: Option<&str>) -> Built {
    let sources = syllabus::source::read(root).expect("the project reads");
    let options = syllabus::BuildOptions {
        base_url: base_url.map(str::to_string),
        ..Default::default()
    };
    let out = syllabus::output::Output::default();
    let report = syllabus::build(&sources, &options, &Default::default(), &out);
    Built {
        files: out.into_files(),
        report,
    }
}

/// A project of the given files (paths relative to the project root), built in memory.
pub fn build_project(files: &[(&str, &[u8])]) -> Built {
    build_in_memory(project(files).path(), None)
}

/// The snapshot name of a fixture's page: `basic`, `getting-started/install/` →
/// `basic-getting-started-install`; the home page is `basic-home`.
pub fn snapshot_name(fixture: &str, url: &str) -> String {
    match url.trim_end_matches('/') {
        "" => format!("{fixture}-home"),
        path => format!("{fixture}-{}", path.replace('/', "-")),
    }
}

/// The one file of `dir` named `stem.HASH.ext`.
pub fn hashed(dir: &std::path::Path, stem: &str, ext: &str) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with(&format!("{stem}."))
                && n.ends_with(&format!(".{ext}"))
                && n.len() == stem.len() + ext.len() + 18
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{stem}.HASH.{ext} in {}: {found:?}",
        dir.display()
    );
    found[0].clone()
}
