//! File-tree steps of putting a site in place: comparing, hard-linking and moving entries, and
//! exchanging two folders in one step.

use super::manifest::MARKER;
use std::io;
use std::path::{Path, PathBuf};

/// The names in a folder, sorted.
pub(super) fn children(dir: &Path) -> io::Result<Vec<std::ffi::OsString>> {
    let mut names = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<Vec<_>>>()?;
    names.sort();
    Ok(names)
}

/// Finds where `incoming/rel` cannot join `base`: `base` has something other than a folder on
/// the way, or a different entry at `rel` (two folders merge; two files with the same bytes
/// are one).
pub(super) fn clash(
    base: &Path,
    incoming: &Path,
    rel: &Path,
    found: &mut Vec<PathBuf>,
) -> io::Result<()> {
    let mut prefix = PathBuf::new();
    let parts: Vec<_> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        prefix.push(part);
        if let Ok(m) = std::fs::symlink_metadata(base.join(&prefix)) {
            if !m.is_dir() {
                found.push(prefix);
                return Ok(());
            }
        }
    }
    let (a, b) = (base.join(rel), incoming.join(rel));
    let Ok(ma) = std::fs::symlink_metadata(&a) else {
        return Ok(());
    };
    let mb = std::fs::symlink_metadata(&b)?;
    if ma.is_dir() && mb.is_dir() && rel.file_name().is_some_and(|n| n != ".git") {
        for name in children(&b)? {
            clash(base, incoming, &rel.join(name), found)?;
        }
    } else if !(ma.is_file() && mb.is_file() && same_bytes(&a, &b)?) {
        found.push(rel.to_path_buf());
    }
    Ok(())
}

/// Whether two files hold the same bytes.
pub(super) fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read;
    if std::fs::metadata(a)?.len() != std::fs::metadata(b)?.len() {
        return Ok(false);
    }
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut ba, mut bb) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// Whether two entries are the same file (hard links to one another).
#[cfg(unix)]
pub(super) fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
pub(super) fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Recreates `from` at `to`: folders made anew, files hard-linked (copied where the file
/// system cannot link), symlinks recreated. The original stays as it is. Entries already at
/// `to` (the same bytes, checked before) are left alone.
pub(super) fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(from)?;
    if meta.is_dir() {
        std::fs::create_dir_all(to)?;
        for name in children(from)? {
            link_tree(&from.join(&name), &to.join(&name))?;
        }
        return Ok(());
    }
    if std::fs::symlink_metadata(to).is_ok() {
        return Ok(());
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if meta.file_type().is_symlink() {
        return copy_symlink(from, to);
    }
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(_) if meta.is_file() => std::fs::copy(from, to).map(|_| ()),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn copy_symlink(from: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
}

#[cfg(not(unix))]
fn copy_symlink(from: &Path, _to: &Path) -> io::Result<()> {
    Err(io::Error::other(format!(
        "cannot carry the symlink `{}` across",
        from.display()
    )))
}

/// Moves `from/rel` to `to/rel`, making the folders on the way.
pub(super) fn move_entry(from: &Path, to: &Path, rel: &Path) -> io::Result<()> {
    let dest = to.join(rel);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(from.join(rel), dest)
}

/// Moves everything in `from/rel` into `to/rel`, merging folders and leaving behind what `to`
/// already has (checked to be the same bytes).
pub(super) fn move_into(from: &Path, to: &Path, rel: &Path) -> io::Result<()> {
    for name in children(&from.join(rel))? {
        let rel = rel.join(&name);
        if rel == Path::new(MARKER) {
            continue;
        }
        match std::fs::symlink_metadata(to.join(&rel)) {
            Err(_) => std::fs::rename(from.join(&rel), to.join(&rel))?,
            Ok(m) if m.is_dir() => move_into(from, to, &rel)?,
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Swaps two paths in one step.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
))]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
)))]
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether the file system (or the system) cannot exchange two paths.
pub(super) fn unsupported(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let codes = [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP];
        if codes
            .iter()
            .any(|c| e.raw_os_error() == Some(c.raw_os_error()))
        {
            return true;
        }
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_are_files_in_the_way_not_merging_folders() {
        let base = tempfile::tempdir().unwrap();
        let incoming = tempfile::tempdir().unwrap();
        let write = |root: &Path, p: &str, text: &str| {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(base.path(), "a/index.html", "x");
        write(base.path(), "same.txt", "same");
        write(base.path(), "diff.txt", "one");
        write(base.path(), "file", "f");
        write(incoming.path(), "a/notes.txt", "mine");
        write(incoming.path(), "same.txt", "same");
        write(incoming.path(), "diff.txt", "two");
        write(incoming.path(), "file/inside.txt", "i");
        let mut found = Vec::new();
        for rel in ["a", "same.txt", "diff.txt", "file/inside.txt"] {
            clash(base.path(), incoming.path(), Path::new(rel), &mut found).unwrap();
        }
        assert_eq!(found, [PathBuf::from("diff.txt"), PathBuf::from("file")]);
    }
}
