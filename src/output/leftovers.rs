//! What interrupted builds leave beside the output (`.NAME.syllabus-staging-PID`,
//! `.NAME.syllabus-old-PID`), cleared by the next build: only Syllabus's own files are removed,
//! and anything a build had carried across goes back to the output.

use super::keep::slash;
use super::manifest::{self, Marker, Owned, MARKER};
use super::staging::Target;
use super::tree::{children, move_entry, same_bytes, same_file};
use std::io;
use std::path::{Path, PathBuf};

/// Clears what interrupted builds left beside the output: `.NAME.syllabus-staging-PID` and
/// `.NAME.syllabus-old-PID` folders whose process is gone and whose marker names this output.
/// A previous site stranded between two renames is put back first; `.git` folders and other
/// entries a build had carried across go back to the output; only Syllabus's own files are
/// removed, and a folder holding anything else is left in place with a note.
pub(super) fn recover_stale(target: &Target, notes: &mut Vec<String>) {
    let prefix = format!(".{}.syllabus-", target.name());
    let Ok(entries) = std::fs::read_dir(target.parent()) else {
        return;
    };
    let mut stale: Vec<(bool, u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let rest = name.strip_prefix(&prefix)?;
            let (old, pid) = if let Some(pid) = rest.strip_prefix("old-") {
                (true, pid)
            } else {
                let pid = rest.strip_prefix("staging-")?;
                // Earlier versions named the old site `…staging-PID.old`.
                match pid.strip_suffix(".old") {
                    Some(pid) => (true, pid),
                    None => (false, pid),
                }
            };
            let pid: u32 = pid.parse().ok()?;
            Some((old, pid, e.path()))
        })
        .filter(|(_, pid, _)| !alive(*pid))
        .collect();
    // Old sites first: one may have to go back in place before `.git` can follow it.
    stale.sort_by_key(|(old, _, path)| (!*old, path.clone()));
    for (old, pid, path) in stale {
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let shown = path.display();
        if old && !target.real.exists() && is_ours(&path, target) {
            match std::fs::rename(&path, &target.real) {
                Ok(()) => notes.push(format!("restored the previous site from `{shown}`, left by an interrupted build (process {pid})")),
                Err(e) => notes.push(format!("cannot restore the previous site from `{shown}`: {e}")),
            }
            continue;
        }
        match dispose(&path, target) {
            Ok(true) => notes.push(format!(
                "removed `{shown}`, left by an interrupted build (process {pid})"
            )),
            Ok(false) => notes.push(format!(
                "left `{shown}` (from an interrupted build) in place: it holds files that are not provably syllabus output for `{}`",
                target.shown.display()
            )),
            Err(e) => notes.push(format!("cannot clear `{shown}`: {e}")),
        }
    }
}

/// Whether the folder's marker says Syllabus wrote it for this output.
fn is_ours(dir: &Path, target: &Target) -> bool {
    match manifest::read(dir) {
        Ok(Marker::Legacy) => true,
        Ok(Marker::Manifest(m)) => m.folder == target.id,
        _ => false,
    }
}

/// Clears a leftover folder of an interrupted build: its own files are removed, entries that
/// are also in the output (the same file, or the same bytes) are removed, and anything else
/// (`.git` moved across, a file carried across) goes back to the output where the output has
/// nothing at that path. Returns whether the folder is gone.
pub(super) fn dispose(dir: &Path, target: &Target) -> io::Result<bool> {
    let owned = match manifest::read(dir)? {
        Marker::Legacy => Owned::All,
        Marker::Manifest(m) if m.folder == target.id => m.files.map_or(Owned::All, Owned::Files),
        Marker::Absent => {
            // Killed before its marker was written: only an empty folder is surely ours.
            return Ok(std::fs::remove_dir(dir).is_ok());
        }
        _ => return Ok(false),
    };
    let mut left = false;
    dispose_in(dir, Path::new(""), &owned, &target.real, &mut left)?;
    if left {
        return Ok(false);
    }
    std::fs::remove_file(dir.join(MARKER))?;
    std::fs::remove_dir(dir)?;
    Ok(true)
}

fn dispose_in(
    dir: &Path,
    rel: &Path,
    owned: &Owned,
    out: &Path,
    left: &mut bool,
) -> io::Result<()> {
    for name in children(&dir.join(rel))? {
        let rel = rel.join(&name);
        if rel == Path::new(MARKER) {
            continue;
        }
        let path = dir.join(&rel);
        let meta = std::fs::symlink_metadata(&path)?;
        let ours = name != ".git" && rel.to_str().is_some_and(|_| owned.file(&slash(&rel)));
        if meta.is_dir() && name != ".git" {
            dispose_in(dir, &rel, owned, out, left)?;
            let _ = std::fs::remove_dir(&path);
            continue;
        }
        if ours || duplicate(&path, &out.join(&rel))? {
            std::fs::remove_file(&path)?;
            continue;
        }
        let dest = out.join(&rel);
        if out.is_dir() && std::fs::symlink_metadata(&dest).is_err() {
            move_entry(dir, out, &rel)?;
        } else {
            *left = true;
        }
    }
    Ok(())
}

/// Whether `copy` is the file at `original` (a hard link) or a copy of it with the same bytes.
fn duplicate(copy: &Path, original: &Path) -> io::Result<bool> {
    let (Ok(a), Ok(b)) = (
        std::fs::symlink_metadata(copy),
        std::fs::symlink_metadata(original),
    ) else {
        return Ok(false);
    };
    if same_file(&a, &b) {
        return Ok(true);
    }
    if a.file_type().is_symlink() && b.file_type().is_symlink() {
        return Ok(std::fs::read_link(copy)? == std::fs::read_link(original)?);
    }
    Ok(a.is_file() && b.is_file() && same_bytes(copy, original)?)
}

/// Whether the process that made a leftover folder may still be running (then it is left
/// alone). A process of another user counts as running; so does any process where this cannot
/// be told.
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        // A folder with this process's id predates it: an earlier process had the same id.
        return false;
    }
    crate::process::running(pid)
}
