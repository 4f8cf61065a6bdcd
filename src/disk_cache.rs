//! The build cache on disk (`.syllabus-cache/` at the project root): a few packed files of
//! opaque bodies, each behind a header that says what made it and a checksum of the body.
//! This module only reads, checks and writes those files; what the bodies hold is the
//! build's business (`build/persist.rs`). A file that is short, garbled, from another
//! Syllabus, another configuration or another kind of machine is never trusted: it is read
//! as missing, and one note says so.
//!
//! The directory is Syllabus's only when its `CACHEDIR.TAG` says so; a `.syllabus-cache`
//! without it is neither used nor removed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// The cache directory's name, at the project root.
pub const DIR: &str = ".syllabus-cache";

/// Packed files the cache is split into, by the top bits of each entry's key: a rebuild
/// rewrites only the files whose entries changed.
pub const SHARDS: usize = 32;

/// The first bytes of every packed file.
const MAGIC: &[u8; 8] = b"SYLCACHE";
/// The layout of a packed file and of the bodies; bumped when either changes.
const FORMAT: u32 = 1;
/// Written in the machine's byte order: another order reads as another number.
const BYTE_ORDER: u32 = 0x0102_0304;
/// Magic, format, byte order, identity, body length, body checksum.
const HEADER: usize = 8 + 4 + 4 + 8 + 8 + 8;

/// The marker that makes the directory ours (the Cache Directory Tagging format, which
/// backup tools also honour).
const TAG: &str = "CACHEDIR.TAG";
const TAG_SIGNATURE: &str = "Signature: 8a477f597d28d172789f06886806bc55";
const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by Syllabus (`syllabus build`).
# The directory holds Syllabus's build cache: `syllabus clean` removes it, and
# `syllabus build --no-cache` builds without it.
";
/// The words of the tag that say Syllabus wrote it.
const TAG_OWNER: &str = "created by Syllabus";

/// An open cache directory: where it is and the identity its files must carry.
#[derive(Debug)]
pub struct CacheDir {
    dir: PathBuf,
    identity: u64,
    /// Shards whose file could not be read (a directory in its place, no permission): left
    /// as they are, not written.
    unreadable: std::sync::Mutex<Vec<usize>>,
}

/// What reading the cache found: each packed file's body (None where missing or not
/// trusted) and one note on what was ignored, if anything was.
#[derive(Debug, Default)]
pub struct Read {
    /// Bodies by shard.
    pub bodies: Vec<Option<Vec<u8>>>,
    /// A one-line note on the files ignored, if any.
    pub note: Option<String>,
}

/// Why a packed file is not trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rejected {
    Unreadable,
    Corrupt,
    OtherByteOrder,
    OtherVersion,
}

impl CacheDir {
    /// Opens (creating when missing) the cache of the project at `root`, whose files must
    /// carry `identity` (a hash of Syllabus's build and the inputs every entry shares).
    /// Err: a note on why there is no cache this time (a `.syllabus-cache` that is not
    /// ours, or one that cannot be made).
    pub fn open(root: &Path, identity: u64) -> Result<CacheDir, String> {
        let dir = root.join(DIR);
        match fs::create_dir(&dir) {
            Ok(()) => {
                write_new(&dir.join(TAG), TAG_TEXT.as_bytes())
                    .and_then(|()| write_new(&dir.join(".gitignore"), b"*\n"))
                    .map_err(|e| {
                        format!("cannot set up the build cache `{DIR}`: {e}; building without it")
                    })?;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if !is_ours(&dir) {
                    return Err(not_ours());
                }
            }
            Err(e) => {
                return Err(format!(
                    "cannot create the build cache `{DIR}`: {e}; building without it"
                ))
            }
        }
        Ok(CacheDir {
            dir,
            identity,
            unreadable: Default::default(),
        })
    }

    /// Every packed file's body, checked; what fails a check is left out.
    pub fn read(&self) -> Read {
        let mut rejected = Vec::new();
        let bodies = (0..SHARDS)
            .map(|shard| match fs::read(self.file(shard)) {
                Ok(bytes) => match self.check(bytes) {
                    Ok(body) => Some(body),
                    Err(why) => {
                        rejected.push((why, shard));
                        None
                    }
                },
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(_) => {
                    rejected.push((Rejected::Unreadable, shard));
                    None
                }
            })
            .collect();
        if let Ok(mut unreadable) = self.unreadable.lock() {
            unreadable.extend(
                rejected
                    .iter()
                    .filter(|(w, _)| *w == Rejected::Unreadable)
                    .map(|(_, s)| *s),
            );
        }
        Read {
            bodies,
            note: note(&rejected),
        }
    }

    /// Writes each `(shard, body)`: to a temporary name, then renamed over the old file, so
    /// that a reader (a concurrent build) sees the old file or the new one, never half of
    /// one. Returns a note on what could not be written.
    pub fn write(&self, bodies: Vec<(usize, Vec<u8>)>) -> Option<String> {
        let mut failed = Vec::new();
        let unreadable = self
            .unreadable
            .lock()
            .map(|u| u.clone())
            .unwrap_or_default();
        for (shard, body) in bodies {
            if unreadable.contains(&shard) {
                continue;
            }
            if let Err(e) = self.write_one(shard, &body) {
                failed.push(format!("{}: {e}", file_name(shard)));
            }
        }
        remove_dead_temporaries(&self.dir);
        let first = failed.first()?;
        Some(format!(
            "could not update {} of the build cache's files in `{DIR}` ({first}); the next build redoes their work",
            failed.len()
        ))
    }

    fn write_one(&self, shard: usize, body: &[u8]) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(HEADER + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT.to_le_bytes());
        bytes.extend_from_slice(&BYTE_ORDER.to_ne_bytes());
        bytes.extend_from_slice(&self.identity.to_le_bytes());
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&xxh3_64(body).to_le_bytes());
        bytes.extend_from_slice(body);
        let temporary = self
            .dir
            .join(format!("{}.tmp-{}", file_name(shard), std::process::id()));
        let written = fs::File::create(&temporary).and_then(|mut f| f.write_all(&bytes));
        let renamed = written.and_then(|()| fs::rename(&temporary, self.file(shard)));
        if renamed.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        renamed
    }

    /// The body of a packed file whose header and checksum hold.
    fn check(&self, mut bytes: Vec<u8>) -> Result<Vec<u8>, Rejected> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(Rejected::Corrupt);
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or([0; 4]));
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
        if u32_at(8) != FORMAT {
            return Err(Rejected::OtherVersion);
        }
        if u32::from_ne_bytes(bytes[12..16].try_into().unwrap_or([0; 4])) != BYTE_ORDER {
            return Err(Rejected::OtherByteOrder);
        }
        if u64_at(16) != self.identity {
            return Err(Rejected::OtherVersion);
        }
        let (length, checksum) = (u64_at(24), u64_at(32));
        if length != (bytes.len() - HEADER) as u64 || xxh3_64(&bytes[HEADER..]) != checksum {
            return Err(Rejected::Corrupt);
        }
        bytes.drain(..HEADER);
        Ok(bytes)
    }

    fn file(&self, shard: usize) -> PathBuf {
        self.dir.join(file_name(shard))
    }
}

fn file_name(shard: usize) -> String {
    format!("pack-{shard:02}.bin")
}

/// One line on the files ignored, worst reason first.
fn note(rejected: &[(Rejected, usize)]) -> Option<String> {
    let why = rejected.iter().map(|(why, _)| *why).min()?;
    let first = file_name(rejected.iter().find(|(w, _)| *w == why)?.1);
    let what = match why {
        Rejected::Unreadable => "cannot be read; its work is redone and it is left as it is",
        Rejected::Corrupt => "is truncated or corrupt; its work is redone and the cache rewritten",
        Rejected::OtherByteOrder => "was written on a machine of another byte order; its work is redone and the cache rewritten",
        Rejected::OtherVersion => {
            "was made by another version of Syllabus or with other settings; its work is redone and the cache rewritten"
        }
    };
    let n = rejected.len();
    let others = if n > 1 {
        format!(" (and {} more of its files)", n - 1)
    } else {
        String::new()
    };
    Some(format!(
        "ignored the build cache's `{DIR}/{first}`{others}: it {what}"
    ))
}

fn not_ours() -> String {
    format!("`{DIR}` exists but was not made by Syllabus (it has no `{DIR}/{TAG}` of ours), so it is neither used nor changed; move it away, or build with --no-cache")
}

/// True when `dir` carries Syllabus's cache tag.
fn is_ours(dir: &Path) -> bool {
    fs::read_to_string(dir.join(TAG))
        .is_ok_and(|t| t.starts_with(TAG_SIGNATURE) && t.contains(TAG_OWNER))
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

/// What `clean` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Cleaned {
    /// The cache was removed.
    Removed,
    /// There was no cache.
    Absent,
}

/// Removes the build cache of the project at `root`, and only it: a `.syllabus-cache` that
/// Syllabus did not make is refused (Err, with why).
pub fn clean(root: &Path) -> Result<Cleaned, String> {
    let dir = root.join(DIR);
    match fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Cleaned::Absent),
        Err(e) => return Err(format!("cannot look at `{}`: {e}", dir.display())),
        Ok(m) if !m.is_dir() => {
            return Err(format!(
                "`{}` is not a directory made by Syllabus; left as it is",
                dir.display()
            ))
        }
        Ok(_) => {}
    }
    if !is_ours(&dir) {
        return Err(format!(
            "`{}` was not made by Syllabus (it has no `{TAG}` of ours); left as it is",
            dir.display()
        ));
    }
    fs::remove_dir_all(&dir)
        .map(|()| Cleaned::Removed)
        .map_err(|e| format!("cannot remove `{}`: {e}", dir.display()))
}

/// A hash of the running Syllabus executable: a cache made by any other build of Syllabus
/// (another version, grammars, highlighting theme, templates or platform) is not trusted.
pub fn binary_identity() -> io::Result<u64> {
    let exe = std::env::current_exe()?;
    let mut file = fs::File::open(exe)?;
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0; 1 << 20];
    loop {
        let n = io::Read::read(&mut file, &mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.digest())
}

/// Removes temporary files that a killed build left (its process is gone).
fn remove_dead_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.rsplit_once(".tmp-"))
            .and_then(|(_, pid)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !running(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn running(pid: u32) -> bool {
    use rustix::process::{test_kill_process, Pid};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    !matches!(test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

#[cfg(not(unix))]
fn running(_: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_comes_back_only_with_its_header_and_checksum_intact() {
        let root = tempfile::tempdir().unwrap();
        let cache = CacheDir::open(root.path(), 7).unwrap();
        assert!(cache.write(vec![(3, b"hello".to_vec())]).is_none());
        let read = cache.read();
        assert_eq!(read.bodies[3].as_deref(), Some(&b"hello"[..]));
        assert!(read.note.is_none());
        // Another identity: ignored, with a note.
        let other = CacheDir::open(root.path(), 8).unwrap();
        let read = other.read();
        assert!(read.bodies.iter().all(Option::is_none));
        assert!(read.note.unwrap().contains("another version"));
        // One flipped byte of the body.
        let path = cache.file(3);
        let mut bytes = fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&path, &bytes).unwrap();
        let read = cache.read();
        assert!(read.bodies[3].is_none());
        assert!(read.note.unwrap().contains("corrupt"));
    }

    #[test]
    fn a_directory_without_our_tag_is_neither_used_nor_removed() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join(DIR)).unwrap();
        fs::write(root.path().join(DIR).join("mine.txt"), "keep").unwrap();
        assert!(CacheDir::open(root.path(), 1)
            .unwrap_err()
            .contains("not made by Syllabus"));
        assert!(clean(root.path())
            .unwrap_err()
            .contains("not made by Syllabus"));
        assert!(root.path().join(DIR).join("mine.txt").exists());
        fs::remove_dir_all(root.path().join(DIR)).unwrap();
        CacheDir::open(root.path(), 1).unwrap();
        assert_eq!(clean(root.path()), Ok(Cleaned::Removed));
        assert_eq!(clean(root.path()), Ok(Cleaned::Absent));
    }
}
