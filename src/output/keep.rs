//! What an output folder holds besides Syllabus's own files: entries kept by name (`.git`,
//! `CNAME`, `.nojekyll`, `.gitkeep`) or by `[build] keep`, and foreign ones (reported, and
//! removed only with `--clean`).

use super::manifest::{Owned, MARKER};
pub(super) use super::slash_path as slash;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::io;
use std::path::{Path, PathBuf};

/// Names kept wherever they are in the output folder: a `gh-pages` worktree or clone (`.git`),
/// GitHub Pages' custom domain and Jekyll switch, and the file that keeps an empty folder in git.
pub(super) const KEPT_NAMES: &[&str] = &[".git", "CNAME", ".nojekyll", ".gitkeep"];

/// The keep rules: the names above and the `[build] keep` globs (relative to the output).
#[derive(Debug, Clone)]
pub(super) struct Keep {
    globs: GlobSet,
}

impl Keep {
    pub(super) fn new(globs: &[String]) -> Result<Keep, String> {
        let mut builder = GlobSetBuilder::new();
        for g in globs {
            let glob = Glob::new(g).map_err(|e| format!("invalid glob `{g}`: {e}"))?;
            builder.add(glob);
        }
        let globs = builder.build().map_err(|e| e.to_string())?;
        Ok(Keep { globs })
    }

    /// Whether the entry at `rel` (relative to the output, with `/`) is kept.
    pub(super) fn matches(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        KEPT_NAMES.contains(&name) || self.globs.is_match(rel)
    }
}

/// An entry of the output folder that Syllabus did not write and that is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Foreign {
    /// Relative to the output folder.
    pub(super) path: PathBuf,
    /// A folder all of whose content is foreign (reported as one entry).
    pub(super) dir: bool,
    /// A folder holding no files at all, however deep.
    pub(super) empty: bool,
}

impl Foreign {
    /// `notes.txt`, or `drafts/` for a folder.
    pub(super) fn display(&self) -> String {
        let p = slash(&self.path);
        if self.dir {
            format!("{p}/")
        } else {
            p
        }
    }
}

/// An output folder's entries, sorted by what a build does with them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Survey {
    /// `.git` files and folders: moved across whole.
    pub(super) git: Vec<PathBuf>,
    /// Kept by name or by `[build] keep`: carried across.
    pub(super) kept: Vec<PathBuf>,
    /// Neither written by Syllabus nor kept: carried across, or left out with `--clean`.
    pub(super) foreign: Vec<Foreign>,
}

/// Sorts the entries of `dir` (the marker aside) given which files Syllabus wrote there.
/// Symlinks are never followed.
pub(super) fn survey(dir: &Path, owned: &Owned, keep: &Keep) -> io::Result<Survey> {
    let mut survey = Survey::default();
    walk(dir, Path::new(""), owned, keep, &mut survey)?;
    Ok(survey)
}

/// What a folder's walk found: whether everything in it was foreign, and whether it held files.
struct Walked {
    all_foreign: bool,
    has_files: bool,
}

fn walk(
    dir: &Path,
    rel: &Path,
    owned: &Owned,
    keep: &Keep,
    survey: &mut Survey,
) -> io::Result<Walked> {
    // The entry's type from the directory listing: no stat per entry, and symlinks not followed.
    let mut entries = std::fs::read_dir(dir)?
        .map(|e| e.and_then(|e| Ok((e.file_name(), e.file_type()?.is_dir()))))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    let mut walked = Walked {
        all_foreign: true,
        has_files: false,
    };
    for (name, is_dir) in entries {
        let path = dir.join(&name);
        let rel_path = rel.join(&name);
        if rel.as_os_str().is_empty() && name == MARKER {
            walked.all_foreign = false;
            continue;
        }
        // A path that is not UTF-8 is never one Syllabus wrote.
        let key = rel_path.to_str().map(|_| slash(&rel_path));
        let key = key.as_deref();
        if name == ".git" {
            survey.git.push(rel_path);
            walked.all_foreign = false;
            walked.has_files = true;
        } else if key.is_some_and(|k| keep.matches(k) && !owned.lists(k)) {
            survey.kept.push(rel_path);
            walked.all_foreign = false;
            walked.has_files = true;
        } else if is_dir {
            let start = survey.foreign.len();
            let sub = walk(&path, &rel_path, owned, keep, survey)?;
            walked.has_files |= sub.has_files;
            if sub.all_foreign {
                survey.foreign.truncate(start);
                survey.foreign.push(Foreign {
                    path: rel_path,
                    dir: true,
                    empty: !sub.has_files,
                });
            } else {
                walked.all_foreign = false;
            }
        } else if key.is_some_and(|k| owned.file(k)) {
            walked.all_foreign = false;
            walked.has_files = true;
        } else {
            walked.has_files = true;
            survey.foreign.push(Foreign {
                path: rel_path,
                dir: false,
                empty: false,
            });
        }
    }
    Ok(walked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            if let Some(folder) = f.strip_suffix('/') {
                std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            } else {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, f).unwrap();
            }
        }
        dir
    }

    fn paths(list: &[PathBuf]) -> Vec<String> {
        list.iter().map(|p| slash(p)).collect()
    }

    #[test]
    fn sorts_ours_kept_git_and_foreign() {
        let dir = tree(&[
            ".syllabus-output",
            "index.html",
            "a/index.html",
            "a/notes.txt",
            "CNAME",
            ".git/HEAD",
            "drafts/x.md",
            "drafts/deep/y.md",
            "empty/",
            "downloads/big.zip",
            "img/.gitkeep",
        ]);
        let owned = Owned::Files(BTreeSet::from(["index.html".into(), "a/index.html".into()]));
        let keep = Keep::new(&["downloads".into()]).unwrap();
        let s = survey(dir.path(), &owned, &keep).unwrap();
        assert_eq!(paths(&s.git), [".git"]);
        assert_eq!(paths(&s.kept), ["CNAME", "downloads", "img/.gitkeep"]);
        let foreign: Vec<String> = s.foreign.iter().map(Foreign::display).collect();
        assert_eq!(foreign, ["a/notes.txt", "drafts/", "empty/"]);
        assert!(s.foreign[2].empty && !s.foreign[1].empty);
    }

    #[test]
    fn in_an_earlier_versions_output_everything_but_kept_names_is_ours() {
        let dir = tree(&["index.html", "CNAME", "a/.gitkeep", "a/index.html"]);
        let s = survey(dir.path(), &Owned::All, &Keep::new(&[]).unwrap()).unwrap();
        assert_eq!(paths(&s.kept), ["CNAME", "a/.gitkeep"]);
        assert!(s.foreign.is_empty());
    }

    #[test]
    fn a_kept_name_that_syllabus_wrote_is_ours() {
        let dir = tree(&["CNAME", ".nojekyll"]);
        let owned = Owned::Files(BTreeSet::from(["CNAME".into()]));
        let s = survey(dir.path(), &owned, &Keep::new(&[]).unwrap()).unwrap();
        assert_eq!(paths(&s.kept), [".nojekyll"]);
        assert!(s.foreign.is_empty());
    }

    #[test]
    fn bad_globs_are_named() {
        let e = Keep::new(&["a[".into()]).unwrap_err();
        assert!(e.contains("`a[`"), "{e}");
    }
}
