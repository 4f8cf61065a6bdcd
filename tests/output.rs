//! The output directory, as a user's publishing workflow finds it: what a build keeps there,
//! what it reports and cleans, the marker that names its folder, the atomic swap (with faults
//! injected between its steps), leftovers of killed builds, where `--out` may point, and a
//! `gh-pages` worktree inside the output whose history survives builds.

use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

/// Every entry under `dir` (folders end in `/`), not following symlinks, not inside `.git`.
fn entries(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git" || e.depth() == 1)
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            if e.file_type().is_dir() {
                format!("{rel}/")
            } else {
                rel.into_owned()
            }
        })
        .collect()
}

/// Names in `dir` that a build leaves beside its output (staging and old sites).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The build cache (`.syllabus-cache/`, issue 15) belongs in the project; the output
        // swap's staging and old folders are what must not be left.
        .filter(|n| n.contains(".syllabus-") && n != ".syllabus-cache")
        .collect()
}

fn course(version: &str) -> tempfile::TempDir {
    project(&[
        ("content/README.md", b"# Course\n\nWelcome."),
        ("content/01-a.md", format!("# A\n\n{version}").as_bytes()),
        ("content/02-b.md", b"# B\n\nSecond lesson."),
    ])
}

fn set_version(root: &Path, version: &str) {
    std::fs::write(root.join("content/01-a.md"), format!("# A\n\n{version}")).unwrap();
}

/// Runs git in `dir` with a fixed identity and no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git is installed (tests/output.rs drives it as a user would)");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes `dir` a git repository with one commit of everything in it.
fn commit_all(dir: &Path, message: &str) {
    if !dir.join(".git").exists() {
        git(dir, &["init", "-q"]);
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
}

#[test]
fn kept_entries_survive_foreign_ones_are_reported_and_cleaned_only_with_clean() {
    let dir = course("first version");
    std::fs::write(
        dir.path().join("book.toml"),
        "[build]\nkeep = [\"downloads\", \"google*.html\"]\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let owner_files = [
        ("CNAME", "course.example.org\n"),
        (".nojekyll", ""),
        ("img/.gitkeep", ""),
        ("downloads/slides.pdf", "%PDF"),
        ("google1234.html", "verification"),
    ];
    let foreign_files = [("notes.txt", "mine"), ("drafts/x.md", "draft")];
    for (path, text) in owner_files.iter().chain(&foreign_files) {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    commit_all(&out, "site and the owner's files");

    set_version(dir.path(), "second version");
    std::fs::remove_file(dir.path().join("content/02-b.md")).unwrap();
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(&out, "a/index.html").contains("second version"));
    assert!(
        !out.join("b").exists(),
        "a page removed from the course is gone"
    );
    for (path, text) in owner_files.iter().chain(&foreign_files) {
        assert_eq!(read(&out, path), *text, "{path} is kept");
    }
    let report: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("did not write"))
        .collect();
    assert_eq!(
        report,
        [format!(
            "warning: `{}` holds 2 entries that syllabus did not write, kept: `drafts/`, `notes.txt`; list them in `[build] keep` to keep them quietly, or build with --clean to remove them",
            out.display()
        )],
        "{stderr}"
    );
    assert!(git(&out, &["log", "--format=%s"]).contains("site and the owner's files"));

    let (code, stderr) = build(dir.path(), &out, &["--clean"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: removed 2 entries that syllabus did not write")
            && stderr.contains("(--clean): `drafts/`, `notes.txt`"),
        "{stderr}"
    );
    assert!(!out.join("notes.txt").exists() && !out.join("drafts").exists());
    for (path, text) in &owner_files {
        assert_eq!(read(&out, path), *text, "{path} is kept by --clean too");
    }
    let status = git(&out, &["status", "--porcelain"]);
    assert!(
        status.contains(" D notes.txt") && status.contains(" M a/index.html"),
        "git sees the new site over its history: {status}"
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn the_marker_lists_what_syllabus_wrote_and_names_its_folder() {
    let dir = course("v");
    let out = dir.path().join("public");
    assert_eq!(build(dir.path(), &out, &[]).0, 0);
    let marker: serde_json::Value = serde_json::from_str(&read(&out, ".syllabus-output")).unwrap();
    assert_eq!(marker["folder"], "public");
    let listed: BTreeSet<String> = marker["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    let on_disk: BTreeSet<String> = entries(&out)
        .into_iter()
        .filter(|e| !e.ends_with('/') && e != ".syllabus-output")
        .collect();
    assert_eq!(listed, on_disk);
}

#[test]
fn two_builds_write_byte_identical_folders_marker_included() {
    // Two copies of the project, each built into its own `site/`: the marker names the output
    // folder relative to the project, so it is identical too.
    let (project_a, project_b) = (copy_fixture("basic"), copy_fixture("basic"));
    let (a, b) = (project_a.path().join("site"), project_b.path().join("site"));
    assert_eq!(build(project_a.path(), &a, &[]).0, 0);
    assert_eq!(build(project_b.path(), &b, &[]).0, 0);
    let (in_a, in_b) = (entries(&a), entries(&b));
    assert_eq!(in_a, in_b);
    assert!(in_a.contains(".syllabus-output"));
    for e in in_a.iter().filter(|e| !e.ends_with('/')) {
        let same = std::fs::read(a.join(e)).unwrap() == std::fs::read(b.join(e)).unwrap();
        assert!(same, "{e} differs between two builds");
    }
}

#[test]
fn a_copied_marker_does_not_make_a_folder_ours() {
    let dir = course("v");
    let out = dir.path().join("public");
    assert_eq!(build(dir.path(), &out, &[]).0, 0);
    let copy = dir.path().join("backup");
    copy_dir(&out, &copy);
    std::fs::write(copy.join("index.html"), "my own edited home page").unwrap();
    std::fs::write(copy.join("thesis.txt"), "years of work").unwrap();
    let before = entries(&copy);
    let (code, stderr) = build(dir.path(), &copy, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "its .syllabus-output names the folder `public`, so it was copied from there"
        ),
        "{stderr}"
    );
    assert_eq!(entries(&copy), before);
    assert_eq!(read(&copy, "index.html"), "my own edited home page");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_folder_with_only_gitkeep_or_nothing_is_accepted_and_keeps_its_files() {
    for layout in [
        &[".gitkeep"][..],
        &[][..],
        &["CNAME", ".nojekyll", "img/.gitkeep", "empty/"][..],
    ] {
        let dir = course("v");
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        for entry in layout {
            match entry.strip_suffix('/') {
                Some(folder) => std::fs::create_dir_all(out.join(folder)).unwrap(),
                None => {
                    std::fs::create_dir_all(out.join(entry).parent().unwrap()).unwrap();
                    std::fs::write(out.join(entry), entry).unwrap();
                }
            }
        }
        let (code, stderr) = build(dir.path(), &out, &[]);
        assert_eq!(code, 0, "{layout:?}: {stderr}");
        assert!(read(&out, "a/index.html").contains("<h1"), "{layout:?}");
        for entry in layout.iter().filter(|e| !e.ends_with('/')) {
            assert_eq!(read(&out, entry), *entry, "{layout:?}");
        }
        // The second build replaces the site it wrote and still keeps them.
        set_version(dir.path(), "second");
        let (code, stderr) = build(dir.path(), &out, &[]);
        assert_eq!(code, 0, "{layout:?}: {stderr}");
        assert!(read(&out, "a/index.html").contains("second"));
        for entry in layout.iter().filter(|e| !e.ends_with('/')) {
            assert_eq!(read(&out, entry), *entry, "{layout:?}");
        }
        assert!(leftovers(dir.path()).is_empty(), "{layout:?}");
    }
}

#[test]
fn a_gh_pages_worktree_inside_the_output_keeps_its_history_across_builds() {
    let dir = course("first version");
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), "/public\n").unwrap();
    commit_all(root, "course");
    // An orphan `gh-pages` branch holding only `.nojekyll`, checked out as a worktree in
    // public/ (built with plumbing so that it works with any git version).
    let empty_tree = git(root, &["mktree"]);
    let first = git(
        root,
        &["commit-tree", empty_tree.trim(), "-m", "gh-pages: start"],
    );
    git(root, &["branch", "gh-pages", first.trim()]);
    git(root, &["worktree", "add", "-q", "public", "gh-pages"]);
    let out = root.join("public");
    assert!(out.join(".git").is_file(), "a worktree's .git is a file");
    std::fs::write(out.join(".nojekyll"), "").unwrap();

    for (n, version) in ["first version", "second version", "third version"]
        .iter()
        .enumerate()
    {
        set_version(root, version);
        let (code, stderr) = build(root, &out, &[]);
        assert_eq!(code, 0, "build {n}: {stderr}");
        assert!(out.join(".git").is_file(), "build {n}");
        assert!(read(&out, "a/index.html").contains(version));
        commit_all(&out, &format!("publish {version}"));
    }
    let log = git(&out, &["log", "--format=%s"]);
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "publish third version",
            "publish second version",
            "publish first version",
            "gh-pages: start"
        ]
    );
    let shown = git(&out, &["show", "--stat", "--format=%s", "HEAD"]);
    assert!(
        shown.contains("a/index.html") && !shown.contains("b/index.html"),
        "the last commit changed only the changed page (and the search index): {shown}"
    );
    assert!(git(root, &["worktree", "list"]).contains("[gh-pages]"));
    assert!(git(&out, &["status", "--porcelain"]).is_empty());
    assert!(leftovers(root).is_empty());
}

#[test]
fn a_page_where_the_site_has_a_foreign_file_stops_the_build_unless_clean() {
    let dir = course("v");
    let out = dir.path().join("public");
    assert_eq!(build(dir.path(), &out, &[]).0, 0);
    std::fs::create_dir_all(out.join("extra")).unwrap();
    std::fs::write(out.join("extra/index.html"), "hand-made page").unwrap();
    std::fs::write(dir.path().join("content/03-extra.md"), "# Extra").unwrap();
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "extra/index.html` was not written by syllabus, and the new site has a file there"
        ) && stderr.contains("build with `--clean` to let the site replace it"),
        "{stderr}"
    );
    assert_eq!(read(&out, "extra/index.html"), "hand-made page");
    assert!(leftovers(dir.path()).is_empty());
    let (code, stderr) = build(dir.path(), &out, &["--clean"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(&out, "extra/index.html").contains("<h1"));
}

#[test]
fn an_earlier_versions_output_is_replaced_keeping_the_owners_files() {
    let dir = course("v");
    let out = dir.path().join("public");
    std::fs::create_dir_all(out.join("old-page")).unwrap();
    std::fs::write(
        out.join(".syllabus-output"),
        "Written by syllabus. The whole directory is replaced on every build.\n",
    )
    .unwrap();
    std::fs::write(out.join("old-page/index.html"), "stale").unwrap();
    std::fs::write(out.join("CNAME"), "course.example.org").unwrap();
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("old-page").exists());
    assert_eq!(read(&out, "CNAME"), "course.example.org");
    assert!(!stderr.contains("did not write"), "{stderr}");
}

/// Runs a build with faults injected between the swap's steps. The hooks exist in debug builds
/// only (`SYLLABUS_DEBUG_FAULTS`, see `src/output/staging.rs`); `cargo test --release` skips.
#[allow(clippy::print_stderr)] // a skip says so
fn build_with_faults(root: &Path, out: &Path, faults: &str) -> Option<(i32, String)> {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: fault injection exists in debug builds only");
        return None;
    }
    let output = syllabus()
        .arg("build")
        .arg(root)
        .arg("--out")
        .arg(out)
        .env("SYLLABUS_DEBUG_FAULTS", faults)
        .output()
        .unwrap();
    Some((
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// A site at `out` whose pages say `version`, with a git history of one commit.
fn published(version: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = course(version);
    let out = dir.path().join("public");
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    commit_all(&out, "published");
    (dir, out)
}

/// `out` holds a whole site (every file its marker lists) of the given version.
fn assert_whole_site(out: &Path, version: &str) {
    assert!(read(out, "a/index.html").contains(version), "{version}");
    let marker: serde_json::Value = serde_json::from_str(&read(out, ".syllabus-output")).unwrap();
    for f in marker["files"].as_array().unwrap() {
        assert!(out.join(f.as_str().unwrap()).is_file(), "{f} is missing");
    }
}

#[test]
fn a_build_killed_during_the_swap_leaves_the_old_or_the_new_site_never_nothing() {
    for (fault, at_out) in [("abort-before-swap", "old"), ("abort-after-swap", "new")] {
        let (dir, out) = published("old");
        set_version(dir.path(), "new");
        let Some((code, _)) = build_with_faults(dir.path(), &out, fault) else {
            return;
        };
        assert_ne!(code, 0, "{fault}: the build was killed");
        assert_whole_site(&out, at_out);
        assert_eq!(leftovers(dir.path()).len(), 1, "{fault}");

        // The next build returns whatever was carried away (.git) and removes the leftover.
        let (code, stderr) = build(dir.path(), &out, &[]);
        assert_eq!(code, 0, "{fault}: {stderr}");
        assert!(
            stderr.contains("left by an interrupted build"),
            "{fault}: {stderr}"
        );
        assert_whole_site(&out, "new");
        assert!(leftovers(dir.path()).is_empty(), "{fault}");
        assert_eq!(git(&out, &["log", "--format=%s"]).trim(), "published");
    }
}

#[test]
fn where_the_file_system_cannot_exchange_two_renames_keep_the_old_site_recoverable() {
    // The second rename fails: the old site goes back in place, with its .git.
    let (dir, out) = published("old");
    set_version(dir.path(), "new");
    let Some((code, stderr)) =
        build_with_faults(dir.path(), &out, "no-exchange,fail-second-rename")
    else {
        return;
    };
    assert_eq!(code, 1);
    assert!(stderr.contains("was left as it was"), "{stderr}");
    assert_whole_site(&out, "old");
    assert_eq!(git(&out, &["log", "--format=%s"]).trim(), "published");
    assert!(leftovers(dir.path()).is_empty(), "{stderr}");

    // Putting it back fails too: the error names where the old site is, and the next build
    // puts it back itself.
    let (code, stderr) = build_with_faults(
        dir.path(),
        &out,
        "no-exchange,fail-second-rename,fail-rename-back",
    )
    .unwrap();
    assert_eq!(code, 1);
    let old = leftovers(dir.path())
        .into_iter()
        .find(|n| n.starts_with(".public.syllabus-old-"))
        .expect("the old site is beside the output");
    assert!(
        stderr.contains("the previous site is now at `")
            && stderr.contains(&old)
            && stderr.contains("move it back yourself"),
        "{stderr}"
    );
    assert_whole_site(&dir.path().join(&old), "old");
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("restored the previous site"), "{stderr}");
    assert_whole_site(&out, "new");
    assert_eq!(git(&out, &["log", "--format=%s"]).trim(), "published");
    assert!(leftovers(dir.path()).is_empty());

    // Killed between the two renames: the next build restores, then builds.
    set_version(dir.path(), "newer");
    let (code, _) =
        build_with_faults(dir.path(), &out, "no-exchange,abort-between-renames").unwrap();
    assert_ne!(code, 0);
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_whole_site(&out, "newer");
    assert_eq!(git(&out, &["log", "--format=%s"]).trim(), "published");
    assert!(leftovers(dir.path()).is_empty());
}

/// The id of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn leftovers_of_dead_builds_are_removed_and_nothing_else() {
    let dir = course("v");
    let root = dir.path();
    let staging_marker = |folder: &str| format!("{{\"about\": \"x\", \"folder\": \"{folder}\"}}");
    let make = |name: String, marker: Option<String>| {
        let p = root.join(&name);
        std::fs::create_dir_all(p.join("a")).unwrap();
        std::fs::write(p.join("a/index.html"), "half a site").unwrap();
        if let Some(m) = marker {
            std::fs::write(p.join(".syllabus-output"), m).unwrap();
        }
        name
    };
    let dead = make(
        format!(".public.syllabus-staging-{}", dead_pid()),
        Some(staging_marker("public")),
    );
    let running = make(
        format!(".public.syllabus-staging-{}", std::process::id()),
        Some(staging_marker("public")),
    );
    let unmarked = make(format!(".public.syllabus-staging-{}", dead_pid()), None);
    let other = make(
        format!(".public.syllabus-staging-{}", dead_pid()),
        Some(staging_marker("elsewhere")),
    );
    let out = root.join("public");
    let (code, stderr) = build(root, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let left = leftovers(root);
    assert!(!left.contains(&dead), "{left:?}");
    assert!(
        stderr.contains(&format!(
            "removed `{}`",
            root.canonicalize().unwrap().join(&dead).display()
        )),
        "{stderr}"
    );
    for kept in [&running, &unmarked, &other] {
        assert!(
            left.contains(kept),
            "{kept} is not provably a dead build's: {left:?}"
        );
        assert_eq!(read(&root.join(kept), "a/index.html"), "half a site");
    }
}

#[test]
fn out_inside_the_content_static_or_templates_is_refused() {
    for inside in ["content/site", "static/site", "templates", "."] {
        let dir = course("v");
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        let before = entries(dir.path());
        let (code, stderr) = build(dir.path(), &dir.path().join(inside), &[]);
        assert_eq!(code, 1, "{inside}: {stderr}");
        assert!(
            stderr.contains("refusing to write the site into")
                && stderr.contains("e.g. `--out public`"),
            "{inside}: {stderr}"
        );
        assert_eq!(entries(dir.path()), before, "{inside}: nothing written");
    }
    let dir = course("v");
    std::fs::write(
        dir.path().join("book.toml"),
        "[build]\nbuild-dir = \"content/public\"\n",
    )
    .unwrap();
    let check = syllabus().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("book.toml: error: `[build] build-dir`: refusing to write the site into")
            && stdout.contains("inside the content directory `content`"),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_out_is_followed_and_stays_a_link() {
    let dir = course("first");
    let sites = tempfile::tempdir().unwrap();
    let real = sites.path().join("course-site");
    let link = dir.path().join("public");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    for version in ["first", "second"] {
        set_version(dir.path(), version);
        let (code, stderr) = build(dir.path(), &link, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_link(&link).unwrap(), real);
        assert_whole_site(&real, version);
        if version == "first" {
            commit_all(&real, "published");
        }
    }
    assert_eq!(git(&real, &["log", "--format=%s"]).trim(), "published");
    assert!(leftovers(dir.path()).is_empty() && leftovers(sites.path()).is_empty());
}

#[test]
fn a_page_on_a_generated_file_is_an_error_naming_both_in_check_and_build() {
    let dir = course("v");
    let out = dir.path().join("public");
    assert_eq!(build(dir.path(), &out, &[]).0, 0);
    std::fs::write(
        dir.path().join("content/04-missing.md"),
        "---\ntitle: Not here\nslug: /404.html\n---\nSorry.",
    )
    .unwrap();
    let expected = "content/04-missing.md:3:1: error: output path collision: the page `content/04-missing.md` is written to `404.html/index.html`, but `404.html` is a file (the not-found page)";
    let check = syllabus().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stdout).contains(expected),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains(expected), "{stderr}");
    assert!(
        read(&out, "404.html").contains("<html"),
        "the old site is intact"
    );
}

/// The site a build replaces is kept in the build cache and the next build writes into it
/// (issue 15): a rebuild makes none of its folders anew, yet its output is exactly a clean
/// build's, whatever the kept site holds that Syllabus did not write there (links out of it
/// are removed, never followed; a `.git` makes it unused, never removed), and a build killed
/// while writing into it is cleared up by the next.
#[cfg(unix)]
#[test]
fn a_rebuild_writes_into_the_site_before_last_and_trusts_only_its_own_files() {
    use std::os::unix::fs::{symlink, MetadataExt};
    let dir = course("one");
    let root = dir.path();
    let out = root.join("public");
    let spare = root.join(".syllabus-cache/spare");
    let ok = |what: &str| {
        let (code, stderr) = build(root, &out, &[]);
        assert_eq!(code, 0, "{what}: {stderr}");
        stderr
    };
    // The same course built afresh, without a cache, into its own `public/`.
    let assert_clean = |what: &str| {
        let fresh = course("");
        std::fs::remove_dir_all(fresh.path().join("content")).unwrap();
        copy_dir(&root.join("content"), &fresh.path().join("content"));
        let clean = fresh.path().join("public");
        assert_eq!(build(fresh.path(), &clean, &["--no-cache"]).0, 0);
        let mut ours = entries(&out);
        assert!(ours.remove("CNAME"), "{what}: the owner's file was lost");
        assert_eq!(ours, entries(&clean), "{what}");
        for e in ours.iter().filter(|e| !e.ends_with('/')) {
            let same = std::fs::read(out.join(e)).unwrap() == std::fs::read(clean.join(e)).unwrap();
            assert!(same, "{what}: `{e}` differs from a clean build");
        }
        assert!(leftovers(root).is_empty(), "{what}");
    };
    // A lesson in a folder of its own, which the site before last has and later ones do not.
    std::fs::create_dir_all(root.join("content/03-part")).unwrap();
    std::fs::write(root.join("content/03-part/01-c.md"), "# C\n\nThird.").unwrap();
    ok("first");
    std::fs::write(out.join("CNAME"), "example.org\n").unwrap();
    set_version(root, "two");
    ok("second");
    assert!(
        read(&spare, "a/index.html").contains("one"),
        "the first site"
    );
    let folder = std::fs::metadata(spare.join("assets")).unwrap().ino();

    // What the kept site must not be trusted with: a link out of it where the build writes a
    // file, one where it needs a folder, and a file no build wrote.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("index.html"), "not the site's").unwrap();
    std::fs::write(outside.path().join("victim.txt"), "not the site's").unwrap();
    let before = entries(outside.path());
    std::fs::remove_dir_all(spare.join("b")).unwrap();
    symlink(outside.path(), spare.join("b")).unwrap();
    std::fs::remove_file(spare.join("a/index.html")).unwrap();
    symlink(
        outside.path().join("victim.txt"),
        spare.join("a/index.html"),
    )
    .unwrap();
    std::fs::write(spare.join("stray.txt"), "stray").unwrap();
    std::fs::remove_dir_all(root.join("content/03-part")).unwrap();
    set_version(root, "three");
    ok("third");
    assert_clean("third");
    assert_eq!(
        std::fs::metadata(out.join("assets")).unwrap().ino(),
        folder,
        "the folder was made anew, not reused"
    );
    assert_eq!(entries(outside.path()), before);
    for name in ["index.html", "victim.txt"] {
        assert_eq!(read(outside.path(), name), "not the site's");
    }

    // Killed before the swap, while the kept site was its staging folder: the output is the
    // last site, and the next build clears the leftover and builds.
    set_version(root, "four");
    if let Some((code, _)) = build_with_faults(root, &out, "abort-before-swap") {
        assert_ne!(code, 0);
        assert!(read(&out, "a/index.html").contains("three"));
        let stderr = ok("after the kill");
        assert!(stderr.contains("left by an interrupted build"), "{stderr}");
        assert_clean("after the kill");
    }

    // Another output folder's builds keep their replaced site in the same place, which a
    // build of this output then takes back.
    let other = root.join("other");
    for _ in 0..2 {
        assert_eq!(build(root, &other, &[]).0, 0);
    }
    let folder = |spare: &Path| -> String {
        let marker: serde_json::Value =
            serde_json::from_str(&read(spare, ".syllabus-output")).unwrap();
        marker["folder"].as_str().unwrap().to_string()
    };
    assert_eq!(folder(&spare), "other");
    ok("after another output's");
    assert_clean("after another output's");
    assert_eq!(folder(&spare), "public");
    std::fs::remove_dir_all(&other).unwrap();

    // A `.git` in the kept site is not Syllabus's: that site is neither used nor removed.
    std::fs::create_dir_all(spare.join(".git")).unwrap();
    std::fs::write(spare.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    set_version(root, "five");
    ok("fifth");
    assert_clean("fifth");
    ok("sixth");
    assert_eq!(read(&spare, ".git/HEAD"), "ref: refs/heads/main\n");
}
