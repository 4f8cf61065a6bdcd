//! The site before last, kept (in the build cache: `Options::spare`) as the next build's
//! staging folder. A rebuild then makes none of the site's folders anew, leaves a page whose
//! build-cache file has not changed linked where it is, and moves the previous site aside
//! instead of removing it. Without it, a one-lesson rebuild of 10,000 lessons spent about a
//! third of its time making 12,000 folders and removing as many (issue 15).
//!
//! A spare is trusted for nothing but its marker's list of the files Syllabus wrote: when it
//! is claimed, everything else in it (links, entries carried across from the output, anything
//! put there since) is removed before the build writes into it, so no write follows a link
//! out of it; a spare holding a `.git` folder is not used at all. The files the new build does
//! not write again are removed before the site is put in place ([`prune`]).

use super::manifest::{self, Manifest, Marker, MARKER};
use super::staging::Target;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// Moves the spare at `spare`, if it is the previous site of `target` (by its marker), to
/// `dir` and scrubs it there: Some(the files it holds, which only Syllabus wrote), or None
/// when there is no spare to use (then `dir` does not exist, and a spare that could not be
/// used is where it was).
pub(super) fn claim(spare: &Path, dir: &Path, target: &Target) -> Option<BTreeSet<String>> {
    if !std::fs::symlink_metadata(spare).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    let Ok(Marker::Manifest(Manifest {
        folder,
        files: Some(files),
        ..
    })) = manifest::read(spare)
    else {
        return None;
    };
    if folder != target.id || std::fs::symlink_metadata(spare.join(".git")).is_ok() {
        return None;
    }
    std::fs::rename(spare, dir).ok()?;
    match scrub(dir, Path::new(""), &files) {
        Ok(_) => Some(files),
        Err(_) => {
            // A `.git` deeper down, or a folder that cannot be read: the spare goes back as it
            // is (it is never removed whole here), and this build starts afresh.
            let _ = std::fs::rename(dir, spare);
            None
        }
    }
}

/// Removes from `dir/rel` everything but folders and the regular files of `files` (the
/// marker too: the build writes its own); folders left empty go too. Returns whether
/// anything is left. Errs on a `.git` folder, which is never removed.
fn scrub(dir: &Path, rel: &Path, files: &BTreeSet<String>) -> io::Result<bool> {
    let entries = std::fs::read_dir(dir.join(rel))?.collect::<io::Result<Vec<_>>>()?;
    let kept = entries
        .par_iter()
        .map(|entry| -> io::Result<bool> {
            let name = entry.file_name();
            let rel = rel.join(&name);
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if name == ".git" {
                    return Err(io::Error::other("the spare site holds a `.git` folder"));
                }
                let left = scrub(dir, &rel, files)?;
                if !left {
                    std::fs::remove_dir(entry.path())?;
                }
                return Ok(left);
            }
            let listed = rel.to_str().is_some_and(|r| files.contains(r));
            if kind.is_file() && listed && rel != Path::new(MARKER) {
                return Ok(true);
            }
            std::fs::remove_file(entry.path())?;
            Ok(false)
        })
        .collect::<io::Result<Vec<bool>>>()?;
    Ok(kept.into_iter().any(|k| k))
}

/// Removes from the staging folder `dir` the files of the spare (`held`) that this build
/// did not write, and the folders that leaves empty.
pub(super) fn prune(dir: &Path, held: &BTreeSet<String>, written: &BTreeSet<String>) {
    let stale: Vec<&String> = held.difference(written).collect();
    let mut parents = BTreeSet::new();
    for rel in stale {
        let path = dir.join(rel);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            let _ = std::fs::remove_file(&path);
        }
        let mut up = Path::new(rel.as_str()).parent();
        while let Some(p) = up.filter(|p| !p.as_os_str().is_empty()) {
            parents.insert(p.to_path_buf());
            up = p.parent();
        }
    }
    // Deepest first: a folder's emptied subfolders go before it is tried.
    let mut parents: Vec<PathBuf> = parents.into_iter().collect();
    parents.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for p in parents {
        let _ = std::fs::remove_dir(dir.join(p));
    }
}

/// Keeps the previous site `old` (just replaced) as the spare at `spare`, in place of the
/// spare there (another output's, which this build could not use); false when it was not
/// kept (then `old` is as it was). A spare holding a `.git` is never removed.
pub(super) fn park(old: &Path, spare: &Path) -> bool {
    match std::fs::symlink_metadata(spare) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Ok(m) if m.is_dir() && std::fs::symlink_metadata(spare.join(".git")).is_err() => {
            if std::fs::remove_dir_all(spare).is_err() {
                return false;
            }
        }
        _ => return false,
    }
    if let Some(parent) = spare.parent() {
        if !parent.is_dir() {
            return false;
        }
    }
    std::fs::rename(old, spare).is_ok()
}
