//! The build cache on disk (`.syllabus-cache/` at the project root): a few packed files of
//! opaque values, each file behind a header that says what made it, with an index of its
//! entries at its end (each entry's kind, key, place and checksum) that the header's
//! checksum covers. This module only reads, checks and writes those files; what the values
//! hold is the build's business (`build/persist.rs`). A file that is short, garbled, from
//! another Syllabus, another configuration or another kind of machine is never trusted: it
//! is read as missing, and one note says so. A value whose checksum fails when the build
//! asks for it is read as missing too, and the note at the end of the build says so.
//!
//! Opening the cache reads only the headers and indexes (a few megabytes at 10,000
//! lessons), not the values (a gigabyte): a rebuild reads the values it uses, once.
//!
//! The directory is Syllabus's only when its `CACHEDIR.TAG` says so; a `.syllabus-cache`
//! without it is neither used nor removed.

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, Xxh3};

/// The cache directory's name, at the project root.
pub const DIR: &str = ".syllabus-cache";

/// The most packed files the cache is split into, by the top bits of each entry's key: a
/// rebuild rewrites only the files that got new entries (with 32, a one-lesson rebuild of
/// 10,000 lessons rewrote about 200 MB of the cache for its six new entries; with 256, 25 MB).
const MAX_SHARDS: usize = 256;
/// The fewest packed files.
const MIN_SHARDS: usize = 8;
/// Source files per packed file, about: a pack holds a megabyte or two at any course size,
/// so a small course is not spread over hundreds of files (256 files were an eighth of the
/// files a clean build of 1,000 lessons made, each a new inode, which is what a filesystem
/// spends most on).
const SOURCES_PER_SHARD: usize = 40;

/// How many packed files the cache of a book of `sources` source files is split into: a power
/// of two between [`MIN_SHARDS`] and [`MAX_SHARDS`], so it changes only when the book doubles
/// or halves (the files of another split are then made again, and the old ones removed).
pub fn shards_for(sources: usize) -> usize {
    (sources / SOURCES_PER_SHARD)
        .next_power_of_two()
        .clamp(MIN_SHARDS, MAX_SHARDS)
}
/// Bytes buffered per shard file being written.
const WRITE_BUFFER: usize = 4 << 10;

/// The first bytes of every packed file.
const MAGIC: &[u8; 8] = b"SYLCACHE";
/// The layout of a packed file; bumped when it changes (3: the index at the end, a checksum
/// per value).
const FORMAT: u32 = 3;
/// Written in the machine's byte order: another order reads as another number.
const BYTE_ORDER: u32 = 0x0102_0304;
/// Magic, format, byte order, identity, where the index starts, the index's checksum.
const HEADER: usize = 8 + 4 + 4 + 8 + 8 + 8;
/// The values follow the header, one after another; the index follows them to the end of
/// the file: per entry its kind, key, offset, length and the value's checksum.
const RECORD: usize = 1 + 8 + 8 + 4 + 8;
/// Kinds of entry an entry may be (the build numbers its own below this).
pub const KINDS: u8 = 16;

/// The folder of the cache that keeps files whole, each named by the hash of its bytes
/// (`xxh3-128`, 32 hex digits): a page's HTML, which the output links to rather than
/// writing it again ([`Store::keep_file`]).
const FILES: &str = "files";

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
    /// How many packed files the entries are split into ([`shards_for`]).
    shards: usize,
}

/// Why a packed file is not trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rejected {
    Unreadable,
    Corrupt,
    Undecodable,
    OtherByteOrder,
    OtherVersion,
}

/// Where one entry's value is in the packed files read.
#[derive(Debug)]
struct Slot {
    file: usize,
    offset: u64,
    len: u32,
    /// The value's checksum, checked as it is read.
    checksum: u64,
    /// Asked for by this build: copied into its shard's file when that file is rewritten.
    used: AtomicBool,
}

/// One shard's file being written: a temporary file that takes the shard's entries as the
/// build makes them, renamed over the shard's file when the build is done.
struct ShardWriter {
    temporary: PathBuf,
    file: io::BufWriter<fs::File>,
    /// The index, written after the values.
    index: Vec<u8>,
    /// Where the next value goes.
    offset: u64,
    /// What this file holds already (an entry made twice is written once).
    keys: HashSet<(u8, u64), FxBuildHasher>,
    failed: Option<io::Error>,
}

/// The build cache of one build: the entries of the packed files read (an index; values
/// are read from the files when asked for), and the shards' new files, written as entries
/// are made, so that a build never holds the cache in memory.
pub struct Store {
    dir: CacheDir,
    files: Vec<Option<fs::File>>,
    index: HashMap<(u8, u64), Slot, FxBuildHasher>,
    /// Shards whose file was there but not trusted, or held a value whose checksum failed:
    /// rewritten even with nothing new.
    rejected: Vec<AtomicBool>,
    /// Values whose checksum failed when read, by shard.
    damaged: Vec<AtomicU32>,
    /// Shards whose file could not be read (a directory in its place, no permission): left
    /// as they are, not written.
    unreadable: Vec<bool>,
    writers: Vec<Mutex<Option<ShardWriter>>>,
    /// The kept files ([`FILES`]) this build used or made: the others are swept at the end.
    kept: Mutex<HashSet<u128, FxBuildHasher>>,
    /// Kept files whose bytes no longer matched their name when read.
    kept_damaged: AtomicU32,
    /// Names the temporary files kept files are written through.
    kept_temporaries: AtomicU64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("entries", &self.index.len())
            .finish()
    }
}

/// The build cache of the project at `root` for a build whose files must carry `identity`,
/// read (`CacheDir::open`, then `CacheDir::read`): the store, or None when there is no cache
/// this time, and the one note on what was ignored or why there is none.
pub fn open(root: &Path, identity: u64, shards: usize) -> (Option<Store>, Option<String>) {
    match CacheDir::open(root, identity, shards) {
        Ok(dir) => {
            let (store, note) = dir.read();
            (Some(store), note)
        }
        Err(note) => (None, Some(note)),
    }
}

impl CacheDir {
    /// Opens (creating when missing) the cache of the project at `root`, whose files must
    /// carry `identity` (a hash of Syllabus's build and the inputs every entry shares), split
    /// into `shards` packed files (1 to 256; [`shards_for`] says how many for a book).
    /// Err: a note on why there is no cache this time (a `.syllabus-cache` that is not
    /// ours, or one that cannot be made).
    pub fn open(root: &Path, identity: u64, shards: usize) -> Result<CacheDir, String> {
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
        let shards = shards.clamp(1, MAX_SHARDS);
        Ok(CacheDir {
            dir,
            identity,
            shards,
        })
    }

    /// Reads every packed file's index, checked (header, length, checksum, entry framing):
    /// what fails a check is left out, and one note says so.
    pub fn read(self) -> (Store, Option<String>) {
        let shards = self.shards;
        let loaded: Vec<Loaded> = (0..shards)
            .into_par_iter()
            .map(|shard| self.load(shard))
            .collect();
        let mut store = Store {
            files: Vec::with_capacity(shards),
            index: HashMap::default(),
            rejected: (0..shards).map(|_| AtomicBool::new(false)).collect(),
            damaged: (0..shards).map(|_| AtomicU32::new(0)).collect(),
            unreadable: vec![false; shards],
            writers: (0..shards).map(|_| Mutex::new(None)).collect(),
            kept: Mutex::default(),
            kept_damaged: AtomicU32::new(0),
            kept_temporaries: AtomicU64::new(0),
            dir: self,
        };
        let mut rejected = Vec::new();
        for (shard, loaded) in loaded.into_iter().enumerate() {
            match loaded {
                Ok(Some((file, entries))) => {
                    for (kind, key, offset, len, checksum) in entries {
                        store.index.entry((kind, key)).or_insert(Slot {
                            file: shard,
                            offset,
                            len,
                            checksum,
                            used: AtomicBool::new(false),
                        });
                    }
                    store.files.push(Some(file));
                }
                Ok(None) => store.files.push(None),
                Err(why) => {
                    rejected.push((why, shard));
                    store.rejected[shard] = AtomicBool::new(why != Rejected::Unreadable);
                    store.unreadable[shard] = why == Rejected::Unreadable;
                    store.files.push(None);
                }
            }
        }
        (store, note(&rejected, shards))
    }

    /// One packed file's entries (None: no file), checked: its header and index are read,
    /// not its values.
    fn load(&self, shard: usize) -> Loaded {
        let file = match fs::File::open(self.file(shard)) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(_) => return Err(Rejected::Unreadable),
        };
        let size = file.metadata().map_err(|_| Rejected::Unreadable)?.len();
        if size < HEADER as u64 {
            return Err(Rejected::Corrupt);
        }
        let mut header = [0; HEADER];
        read_exact_at(&file, &mut header, 0).map_err(|_| Rejected::Unreadable)?;
        let start = self.check_header(&header)?;
        if start < HEADER as u64 || start > size {
            return Err(Rejected::Corrupt);
        }
        let mut index = vec![0; usize::try_from(size - start).map_err(|_| Rejected::Corrupt)?];
        read_exact_at(&file, &mut index, start).map_err(|_| Rejected::Unreadable)?;
        if xxh3_64(&index) != u64_at(&header, 32) {
            return Err(Rejected::Corrupt);
        }
        let entries = entries(&index, start)?;
        Ok(Some((file, entries)))
    }

    /// Where the index starts, if the header is of this Syllabus's cache.
    fn check_header(&self, bytes: &[u8; HEADER]) -> Result<u64, Rejected> {
        if &bytes[..8] != MAGIC {
            return Err(Rejected::Corrupt);
        }
        if u32_at(bytes, 8) != FORMAT {
            return Err(Rejected::OtherVersion);
        }
        if u32::from_ne_bytes(bytes[12..16].try_into().unwrap_or([0; 4])) != BYTE_ORDER {
            return Err(Rejected::OtherByteOrder);
        }
        if u64_at(bytes, 16) != self.identity {
            return Err(Rejected::OtherVersion);
        }
        Ok(u64_at(bytes, 24))
    }

    fn file(&self, shard: usize) -> PathBuf {
        self.dir.join(file_name(shard, self.shards))
    }

    /// The shard of a key.
    fn shard_of(&self, key: u64) -> usize {
        (key >> 56) as usize % self.shards
    }
}

/// The entries of an index whose checksum held, checked: each a known kind, its value between
/// the header and the index (`start`).
fn entries(index: &[u8], start: u64) -> Result<Vec<Entry>, Rejected> {
    if !index.len().is_multiple_of(RECORD) {
        return Err(Rejected::Undecodable);
    }
    index
        .chunks_exact(RECORD)
        .map(|record| {
            let (kind, key, offset) = (record[0], u64_at(record, 1), u64_at(record, 9));
            let (len, checksum) = (u32_at(record, 17), u64_at(record, 21));
            let fits = offset >= HEADER as u64
                && offset
                    .checked_add(u64::from(len))
                    .is_some_and(|end| end <= start);
            if kind >= KINDS || !fits {
                return Err(Rejected::Undecodable);
            }
            Ok((kind, key, offset, len, checksum))
        })
        .collect()
}

impl Store {
    /// The value of entry `(kind, key)`, if a trusted file holds it and its checksum holds;
    /// it is then kept.
    pub fn get(&self, kind: u8, key: u64) -> Option<Vec<u8>> {
        let slot = self.index.get(&(kind, key))?;
        let file = self.files.get(slot.file)?.as_ref()?;
        let mut value = vec![0; slot.len as usize];
        if read_exact_at(file, &mut value, slot.offset).is_err() || xxh3_64(&value) != slot.checksum
        {
            self.damaged[slot.file].fetch_add(1, Ordering::Relaxed);
            self.rejected[slot.file].store(true, Ordering::Relaxed);
            return None;
        }
        slot.used.store(true, Ordering::Relaxed);
        Some(value)
    }

    /// Keeps entry `(kind, key)`, if there is one, without reading it: a value this build did
    /// not need but a later one may (its checksum is checked when that one reads it).
    pub fn touch(&self, kind: u8, key: u64) {
        if let Some(slot) = self.index.get(&(kind, key)) {
            slot.used.store(true, Ordering::Relaxed);
        }
    }

    /// Takes back a [`Store::get`]: the value did not decode, so it is not kept.
    pub fn forget(&self, kind: u8, key: u64) {
        if let Some(slot) = self.index.get(&(kind, key)) {
            slot.used.store(false, Ordering::Relaxed);
        }
    }

    /// Keeps `value` as entry `(kind, key)`: appended to its shard's new file at once.
    pub fn put(&self, kind: u8, key: u64, value: &[u8]) {
        let shard = self.dir.shard_of(key);
        if self.unreadable[shard] || kind >= KINDS {
            return;
        }
        let mut writer = self.writers[shard]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let writer = match &mut *writer {
            Some(w) => w,
            none => match self.dir.writer(shard) {
                Ok(w) => none.insert(w),
                Err(_) => return,
            },
        };
        writer.append(kind, key, value);
    }

    /// Ends the build: each shard that got new entries, or whose file was not trusted, is
    /// written with the entries of the old files this build used, and renamed into place.
    /// Returns a note on what could not be written.
    pub fn finish(self) -> Option<String> {
        let mut used: Vec<Vec<(u8, u64, &Slot)>> =
            (0..self.dir.shards).map(|_| Vec::new()).collect();
        for ((kind, key), slot) in &self.index {
            if slot.used.load(Ordering::Relaxed) {
                used[self.dir.shard_of(*key)].push((*kind, *key, slot));
            }
        }
        // Shards are written in parallel: a rebuild's new entries fall into a few of them,
        // each tens of megabytes at 10,000 lessons, which one thread copied in turn.
        let failed: Vec<String> = used
            .into_par_iter()
            .enumerate()
            .filter_map(|(shard, used)| {
                let e = self.finish_shard(shard, used).err()?;
                Some(format!("{}: {e}", file_name(shard, self.dir.shards)))
            })
            .collect();
        remove_dead_temporaries(&self.dir.dir);
        self.dir.remove_other_splits();
        if let Some(first) = failed.first() {
            return Some(format!(
                "could not update {} of the build cache's files in `{DIR}` ({first}); the next build redoes their work",
                failed.len()
            ));
        }
        self.damaged_note()
    }

    /// One line on the values whose checksum failed as they were read, if any.
    fn damaged_note(&self) -> Option<String> {
        let damaged: Vec<(usize, u32)> = self
            .damaged
            .iter()
            .enumerate()
            .map(|(shard, n)| (shard, n.load(Ordering::Relaxed)))
            .filter(|&(_, n)| n > 0)
            .collect();
        let kept = self.kept_damaged.load(Ordering::Relaxed);
        if damaged.is_empty() && kept > 0 {
            return Some(format!(
                "ignored {kept} of the build cache's kept files (`{DIR}/{FILES}`): changed since they were kept (an output file linked to one was edited in place?); their work was redone"
            ));
        }
        let &(first, _) = damaged.first()?;
        let values: u32 = damaged.iter().map(|&(_, n)| n).sum();
        let others = match damaged.len() {
            1 => String::new(),
            n => format!(" (and {} more of its files)", n - 1),
        };
        Some(format!(
            "ignored {values} value{} of the build cache's `{DIR}/{}`{others}: truncated or corrupt; their work was redone and the cache rewritten",
            if values == 1 { "" } else { "s" },
            file_name(first, self.dir.shards)
        ))
    }
}

/// A kept file being written ([`Store::kept_writer`]).
pub struct KeptWriter {
    file: Option<io::BufWriter<fs::File>>,
    temporary: PathBuf,
    hash: Xxh3,
    len: u64,
    failed: bool,
}

impl io::Write for KeptWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let Some(file) = &mut self.file else {
            return Err(io::ErrorKind::BrokenPipe.into());
        };
        match file.write_all(bytes) {
            Ok(()) => {
                self.hash.update(bytes);
                self.len += bytes.len() as u64;
                Ok(bytes.len())
            }
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for KeptWriter {
    /// A writer not finished (the build stopped) leaves no file.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// A kept file's name: its hash in hex.
fn kept_name(hash: u128) -> String {
    format!("{hash:032x}")
}

impl Store {
    /// The folder of kept files.
    fn kept_dir(&self) -> PathBuf {
        self.dir.dir.join(FILES)
    }

    /// Notes that this build uses the kept file of `hash` (so the sweep leaves it).
    fn use_kept(&self, hash: u128) {
        self.kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(hash);
    }

    /// Keeps `bytes` whole as a file of the cache, named by their hash: their hash and the
    /// file, or None when it cannot be written. A new file is written under its name at once
    /// (most kept files are new: one file made, no temporary to rename); one that is there
    /// already (the same bytes kept by another thread, or a file cut short by a killed
    /// build, which fails its hash when read) is replaced through a temporary file and a
    /// rename, so that a file linked into an output is never written to.
    pub fn keep_file(&self, bytes: &[u8]) -> Option<(u128, PathBuf)> {
        let hash = xxh3_128(bytes);
        let dir = self.kept_dir();
        let path = dir.join(kept_name(hash));
        let created = create_new(&path).or_else(|e| {
            if e.kind() != io::ErrorKind::NotFound {
                return Err(e);
            }
            fs::create_dir_all(&dir)?;
            create_new(&path)
        });
        match created {
            Ok(mut file) => {
                if file.write_all(bytes).is_err() {
                    drop(file);
                    let _ = fs::remove_file(&path);
                    return None;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                self.replace_kept(&path, hash, bytes)?;
            }
            Err(_) => return None,
        }
        self.use_kept(hash);
        Some((hash, path))
    }

    /// A kept file to be written a piece at a time, its name (its hash) given at the end by
    /// [`Store::finish_kept`]; None when it cannot be made. It is written beside the packed
    /// files, not among the kept ones, so that one found to be the same as before leaves the
    /// kept files' folder untouched.
    pub fn kept_writer(&self) -> Option<KeptWriter> {
        let n = self.kept_temporaries.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .dir
            .dir
            .join(format!("kept-{n}.tmp-{}", std::process::id()));
        let file = create_new(&temporary).ok()?;
        Some(KeptWriter {
            file: Some(io::BufWriter::with_capacity(64 << 10, file)),
            temporary,
            hash: Xxh3::new(),
            len: 0,
            failed: false,
        })
    }

    /// Ends `writer`: its file is kept under its hash (which, with its length, is returned)
    /// unless that is `same` (the kept file of that hash, which this build read, is left as
    /// it is); None when it could not be written whole.
    pub fn finish_kept(&self, mut writer: KeptWriter, same: Option<u128>) -> Option<(u128, u64)> {
        let file = writer.file.take()?;
        let written = !writer.failed && file.into_inner().is_ok();
        let hash = writer.hash.digest128();
        let kept = written && same != Some(hash) && {
            let dir = self.kept_dir();
            let _ = fs::create_dir_all(&dir);
            fs::rename(&writer.temporary, dir.join(kept_name(hash))).is_ok()
        };
        if !kept {
            let _ = fs::remove_file(&writer.temporary);
        }
        if !written {
            return None;
        }
        self.use_kept(hash);
        Some((hash, writer.len))
    }

    /// Writes `bytes` over the kept file at `path` through a temporary file and a rename.
    fn replace_kept(&self, path: &Path, hash: u128, bytes: &[u8]) -> Option<()> {
        let n = self.kept_temporaries.fetch_add(1, Ordering::Relaxed);
        let temporary = self.kept_dir().join(format!(
            "{}-{n}.tmp-{}",
            kept_name(hash),
            std::process::id()
        ));
        if fs::write(&temporary, bytes)
            .and_then(|()| fs::rename(&temporary, path))
            .is_err()
        {
            let _ = fs::remove_file(&temporary);
            return None;
        }
        Some(())
    }

    /// The kept file of `hash`, read and checked, with its bytes when `bytes` asks for them:
    /// None when there is none, or when its bytes are no longer the ones it was kept for (an
    /// output file linked to it was changed in place: the note at the end of the build says
    /// so). Without `bytes`, the file is checked a block at a time through a buffer the
    /// thread reuses (holding every page read, a rebuild of 10,000 lessons allocated and
    /// dropped 777 MB).
    pub fn kept_file(
        &self,
        hash: u128,
        len: u64,
        bytes: bool,
    ) -> Option<(PathBuf, Option<Vec<u8>>)> {
        let path = self.kept_dir().join(kept_name(hash));
        // A file, not a link to one elsewhere (which the output would get as a link).
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let (read, matches) = if bytes {
            let read = fs::read(&path).ok()?;
            let matches = read.len() as u64 == len && xxh3_128(&read) == hash;
            (Some(read), matches)
        } else {
            (None, hash_file(&path).ok()? == (hash, len))
        };
        if !matches {
            self.kept_damaged.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        self.use_kept(hash);
        Some((path, read))
    }

    /// Removes the kept files this build neither used nor made (call it only after a whole
    /// build: one that stopped early used only some), and what writers that are no longer
    /// running left behind. Only files named as this module names them are touched.
    pub fn sweep_kept_files(&self) {
        let dir = self.kept_dir();
        let Ok(entries) = fs::read_dir(&dir) else {
            return;
        };
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                continue;
            };
            let unused = name.len() == 32
                && u128::from_str_radix(name, 16).is_ok_and(|hash| !kept.contains(&hash));
            if unused {
                let _ = fs::remove_file(entry.path());
            }
        }
        remove_dead_temporaries(&dir);
    }
}

impl Store {
    /// Writes `shard`'s new file, if it got new entries or its file was not trusted: the new
    /// entries, then the old entries this build used (`used`), renamed into place.
    fn finish_shard(&self, shard: usize, used: Vec<(u8, u64, &Slot)>) -> io::Result<()> {
        let mut writer = self.writers[shard]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if writer.is_none() && self.rejected[shard].load(Ordering::Relaxed) {
            writer = Some(self.dir.writer(shard)?);
        }
        let Some(mut writer) = writer else {
            return Ok(());
        };
        for (kind, key, slot) in used {
            if writer.keys.contains(&(kind, key)) {
                continue;
            }
            let Some(file) = self.files.get(slot.file).and_then(Option::as_ref) else {
                continue;
            };
            let mut value = vec![0; slot.len as usize];
            match read_exact_at(file, &mut value, slot.offset) {
                Ok(()) => writer.append(kind, key, &value),
                Err(e) => writer.failed = Some(e),
            }
        }
        writer.finish(self.dir.identity, &self.dir.file(shard))
    }
}

impl CacheDir {
    /// A new temporary file for `shard`, its header left blank until it is finished.
    fn writer(&self, shard: usize) -> io::Result<ShardWriter> {
        let temporary = self.dir.join(format!(
            "{}.tmp-{}",
            file_name(shard, self.shards),
            std::process::id()
        ));
        // A small buffer: a build has up to `MAX_SHARDS` of these open at once (256 buffers of
        // 64 KiB were 16 MiB of a 1,000-lesson build's 65 MiB peak), and an entry larger
        // than the buffer (most pages) goes to the file in one write anyway.
        let mut file = io::BufWriter::with_capacity(WRITE_BUFFER, fs::File::create(&temporary)?);
        file.write_all(&[0; HEADER])?;
        Ok(ShardWriter {
            temporary,
            file,
            index: Vec::new(),
            offset: HEADER as u64,
            keys: HashSet::default(),
            failed: None,
        })
    }
}

impl ShardWriter {
    fn append(&mut self, kind: u8, key: u64, value: &[u8]) {
        if self.failed.is_some() || !self.keys.insert((kind, key)) {
            return;
        }
        let Ok(len) = u32::try_from(value.len()) else {
            return;
        };
        match self.file.write_all(value) {
            Ok(()) => {
                self.index.push(kind);
                self.index.extend_from_slice(&key.to_le_bytes());
                self.index.extend_from_slice(&self.offset.to_le_bytes());
                self.index.extend_from_slice(&len.to_le_bytes());
                self.index.extend_from_slice(&xxh3_64(value).to_le_bytes());
                self.offset += u64::from(len);
            }
            Err(e) => self.failed = Some(e),
        }
    }

    /// Writes the header and renames the file over `path`; removes it on failure.
    fn finish(self, identity: u64, path: &Path) -> io::Result<()> {
        let temporary = self.temporary.clone();
        let done = self
            .seal(identity)
            .and_then(|()| fs::rename(&temporary, path));
        if done.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        done
    }

    fn seal(mut self, identity: u64) -> io::Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        self.file.write_all(&self.index)?;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT.to_le_bytes());
        header.extend_from_slice(&BYTE_ORDER.to_ne_bytes());
        header.extend_from_slice(&identity.to_le_bytes());
        header.extend_from_slice(&self.offset.to_le_bytes());
        header.extend_from_slice(&xxh3_64(&self.index).to_le_bytes());
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        io::Seek::seek(&mut file, io::SeekFrom::Start(0))?;
        file.write_all(&header)
    }
}

/// An entry found in a packed file: kind, key, where its value starts, its length, its
/// checksum.
type Entry = (u8, u64, u64, u32, u64);

/// A packed file read: its entries (None: no file), or why it is not trusted.
type Loaded = Result<Option<(fs::File, Vec<Entry>)>, Rejected>;

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or([0; 4]))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]))
}

#[cfg(unix)]
fn read_exact_at(file: &fs::File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &fs::File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}
/// The name of packed file `shard` of `shards`.
fn file_name(shard: usize, shards: usize) -> String {
    format!("pack-{shard:02}-of-{shards}.bin")
}

/// Whether `name` is a packed file's (of any split, or of Syllabus before the split was
/// sized: `pack-NN.bin`), not a temporary one.
fn is_pack_name(name: &str) -> bool {
    let Some(middle) = name
        .strip_prefix("pack-")
        .and_then(|n| n.strip_suffix(".bin"))
    else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match middle.split_once("-of-") {
        Some((shard, shards)) => digits(shard) && digits(shards),
        None => digits(middle),
    }
}

impl CacheDir {
    /// Removes the packed files of another split than this build's (made when the book was
    /// half or twice its size): this build's files hold every entry it used.
    fn remove_other_splits(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let suffix = format!("-of-{}.bin", self.shards);
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                continue;
            };
            if is_pack_name(name) && !name.ends_with(&suffix) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// One line on the files ignored, worst reason first.
fn note(rejected: &[(Rejected, usize)], shards: usize) -> Option<String> {
    let why = rejected.iter().map(|(why, _)| *why).min()?;
    let first = file_name(rejected.iter().find(|(w, _)| *w == why)?.1, shards);
    let what = match why {
        Rejected::Unreadable => "cannot be read; its work is redone and it is left as it is",
        Rejected::Corrupt => "is truncated or corrupt; its work is redone and the cache rewritten",
        Rejected::Undecodable => {
            "holds entries that do not decode; their work is redone and the cache rewritten"
        }
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
/// Where a build of the project at `root` keeps the site it replaces, for the next build to
/// write into (`output::Options::spare`): inside the build cache, so `syllabus clean` removes
/// it and `.gitignore` hides it. None when the project has a `.syllabus-cache` that Syllabus
/// did not make. (A build that has no cache yet makes it before it replaces a site.)
pub fn spare_dir(root: &Path) -> Option<PathBuf> {
    let dir = root.join(DIR);
    let usable = match fs::symlink_metadata(&dir) {
        Err(e) => e.kind() == io::ErrorKind::NotFound,
        Ok(m) => m.is_dir() && is_ours(&dir),
    };
    usable.then(|| dir.join(SPARE))
}

/// The spare site's folder in the cache.
const SPARE: &str = "spare";

fn is_ours(dir: &Path) -> bool {
    fs::read_to_string(dir.join(TAG))
        .is_ok_and(|t| t.starts_with(TAG_SIGNATURE) && t.contains(TAG_OWNER))
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    create_new(path)?.write_all(bytes)
}

/// A new file at `path`: an error if there is one already.
fn create_new(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
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

/// The xxh3-128 hash and length of the file at `path`, read a block at a time.
fn hash_file(path: &Path) -> io::Result<(u128, u64)> {
    thread_local! {
        static BLOCK: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut file = fs::File::open(path)?;
    BLOCK.with(|block| {
        let mut block = block.borrow_mut();
        block.resize(256 * 1024, 0);
        let mut hasher = Xxh3::new();
        let mut len = 0u64;
        loop {
            let n = match io::Read::read(&mut file, &mut block) {
                Ok(0) => return Ok((hasher.digest128(), len)),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&block[..n]);
            len += n as u64;
        }
    })
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
        if pid != std::process::id() && !crate::process::running(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key of shard 3.
    const KEY: u64 = 3 << 56 | 42;

    #[test]
    fn an_entry_comes_back_only_with_its_header_and_checksum_intact() {
        let root = tempfile::tempdir().unwrap();
        let (store, note) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert!(note.is_none());
        store.put(1, KEY, b"hello");
        store.put(1, KEY, b"made twice, written once");
        assert!(store.finish().is_none());
        let (store, note) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert!(note.is_none());
        assert_eq!(store.get(1, KEY).as_deref(), Some(&b"hello"[..]));
        assert_eq!(store.get(2, KEY), None);
        // Nothing new: no file is written again.
        let path = root.path().join(DIR).join(file_name(3, 8));
        let written = fs::metadata(&path).unwrap().modified().unwrap();
        assert!(store.finish().is_none());
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), written);
        // Another identity: ignored, with a note.
        let (other, note) = CacheDir::open(root.path(), 8, 8).unwrap().read();
        assert_eq!(other.get(1, KEY), None);
        assert!(note.unwrap().contains("another version"));
        // One flipped byte of the body.
        let mut bytes = fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&path, &bytes).unwrap();
        let (store, note) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert_eq!(store.get(1, KEY), None);
        assert!(note.unwrap().contains("corrupt"));
        assert!(store.finish().is_none());
        // One flipped byte of a value: the index is trusted, the value is not.
        let (store, note) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert!(note.is_none());
        store.put(1, KEY, b"hello");
        store.put(1, KEY + 1, b"world");
        assert!(store.finish().is_none());
        let mut bytes = fs::read(&path).unwrap();
        bytes[HEADER] ^= 1;
        fs::write(&path, &bytes).unwrap();
        let (store, note) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert!(note.is_none());
        assert_eq!(store.get(1, KEY), None);
        assert_eq!(store.get(1, KEY + 1).as_deref(), Some(&b"world"[..]));
        let note = store.finish().unwrap();
        assert!(
            note.contains("1 value of") && note.contains("corrupt"),
            "{note}"
        );
        // The shard was rewritten with the value that held, without the damaged one.
        let (store, note) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert!(note.is_none());
        assert_eq!(store.get(1, KEY), None);
        assert_eq!(store.get(1, KEY + 1).as_deref(), Some(&b"world"[..]));
        assert!(store.finish().is_none());
    }

    #[test]
    fn a_rewritten_shard_keeps_the_entries_the_build_used_and_drops_the_rest() {
        let root = tempfile::tempdir().unwrap();
        let (store, _) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        store.put(1, KEY, b"used");
        store.put(1, KEY + 1, b"not used");
        store.finish();
        let (store, _) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert!(store.get(1, KEY).is_some());
        store.put(2, KEY, b"new");
        store.finish();
        let (store, _) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        assert_eq!(store.get(1, KEY).as_deref(), Some(&b"used"[..]));
        assert_eq!(store.get(2, KEY).as_deref(), Some(&b"new"[..]));
        assert_eq!(store.get(1, KEY + 1), None);
    }

    #[test]
    fn a_directory_without_our_tag_is_neither_used_nor_removed() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join(DIR)).unwrap();
        fs::write(root.path().join(DIR).join("mine.txt"), "keep").unwrap();
        assert!(CacheDir::open(root.path(), 1, 8)
            .unwrap_err()
            .contains("not made by Syllabus"));
        assert!(clean(root.path())
            .unwrap_err()
            .contains("not made by Syllabus"));
        assert!(root.path().join(DIR).join("mine.txt").exists());
        fs::remove_dir_all(root.path().join(DIR)).unwrap();
        CacheDir::open(root.path(), 1, 8).unwrap();
        assert_eq!(clean(root.path()), Ok(Cleaned::Removed));
        assert_eq!(clean(root.path()), Ok(Cleaned::Absent));
    }

    #[test]
    fn the_split_follows_the_book_and_another_split_is_made_again_and_removed() {
        assert_eq!(shards_for(0), MIN_SHARDS);
        assert_eq!(shards_for(12), 8);
        assert_eq!(shards_for(1_105), 32);
        assert_eq!(shards_for(10_000), 256);
        assert_eq!(shards_for(100_000), MAX_SHARDS);
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(DIR);
        let packs = || {
            let mut names: Vec<String> = fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("pack-"))
                .collect();
            names.sort();
            names
        };
        let (store, _) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        store.put(1, KEY, b"three of eight");
        store.put(1, 11 << 56, b"three of eight too");
        assert!(store.finish().is_none());
        assert_eq!(packs(), ["pack-03-of-8.bin"]);
        // A file of the layout before the split was sized, and a stranger's file.
        fs::write(dir.join("pack-07.bin"), b"old").unwrap();
        fs::write(dir.join("pack-notes.txt"), b"not ours").unwrap();
        // The book doubled: the entries are made again in the new split, the old files go.
        let (store, note) = CacheDir::open(root.path(), 7, 16).unwrap().read();
        assert!(note.is_none());
        assert_eq!(store.get(1, KEY), None);
        store.put(1, KEY, b"three of sixteen");
        store.put(1, 11 << 56, b"eleven of sixteen");
        assert!(store.finish().is_none());
        assert_eq!(
            packs(),
            ["pack-03-of-16.bin", "pack-11-of-16.bin", "pack-notes.txt"]
        );
        let (store, _) = CacheDir::open(root.path(), 7, 16).unwrap().read();
        assert_eq!(
            store.get(1, 11 << 56).as_deref(),
            Some(&b"eleven of sixteen"[..])
        );
        assert!(is_pack_name("pack-3-of-256.bin") && is_pack_name("pack-07.bin"));
        for name in [
            "pack-03-of-8.bin.tmp-12",
            "pack--of-8.bin",
            "pack-x.bin",
            "pack.bin",
        ] {
            assert!(!is_pack_name(name), "{name}");
        }
    }

    #[test]
    fn a_kept_file_is_written_under_its_name_and_one_cut_short_is_replaced_whole() {
        let root = tempfile::tempdir().unwrap();
        let (store, _) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        let page = b"<p>a page</p>".repeat(100);
        let (hash, path) = store.keep_file(&page).unwrap();
        assert_eq!(fs::read(&path).unwrap(), page);
        assert!(store.kept_file(hash, page.len() as u64, false).is_some());
        // A killed build left the file cut short under its name: read as damaged, and the
        // next keep replaces it (a new file: an output linked to the old one keeps its bytes).
        fs::write(&path, &page[..10]).unwrap();
        let linked = root.path().join("linked.html");
        fs::hard_link(&path, &linked).unwrap();
        assert!(store.kept_file(hash, page.len() as u64, false).is_none());
        assert_eq!(store.keep_file(&page).unwrap(), (hash, path.clone()));
        assert_eq!(fs::read(&path).unwrap(), page);
        assert_eq!(fs::read(&linked).unwrap(), &page[..10]);
        let left: Vec<_> = fs::read_dir(store.kept_dir()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary left behind");
        store.finish();
    }

    #[test]
    fn a_kept_file_written_in_pieces_takes_its_hash_as_its_name_and_leaves_no_temporary() {
        use std::io::Write as _;
        let root = tempfile::tempdir().unwrap();
        let (store, _) = CacheDir::open(root.path(), 7, 8).unwrap().read();
        let bytes = b"an index ".repeat(10_000);
        let mut writer = store.kept_writer().unwrap();
        for piece in bytes.chunks(777) {
            writer.write_all(piece).unwrap();
        }
        let (hash, len) = store.finish_kept(writer, None).unwrap();
        assert_eq!((hash, len), (xxh3_128(&bytes), bytes.len() as u64));
        let (_, read) = store.kept_file(hash, len, true).unwrap();
        assert_eq!(read.unwrap(), bytes);
        // The same bytes again, said to be the kept file's: that file is left as it is.
        let stamp = fs::metadata(store.kept_dir()).unwrap().modified().unwrap();
        let mut writer = store.kept_writer().unwrap();
        writer.write_all(&bytes).unwrap();
        assert_eq!(store.finish_kept(writer, Some(hash)), Some((hash, len)));
        assert_eq!(
            fs::metadata(store.kept_dir()).unwrap().modified().unwrap(),
            stamp
        );
        // A writer dropped unfinished (a stopped build) leaves nothing.
        let mut writer = store.kept_writer().unwrap();
        writer.write_all(b"half").unwrap();
        drop(writer);
        let names = |dir: &Path| -> Vec<String> {
            fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        };
        assert!(!names(root.path().join(DIR).as_path())
            .iter()
            .any(|n| n.contains(".tmp-")));
        assert_eq!(names(&store.kept_dir()), [kept_name(hash)]);
        store.finish();
    }
}
