//! Output: where built files go. In memory for tests and `serve`; on disk through a staging
//! directory that is swapped in whole, so a failed build leaves the previous site as it was.

mod keep;
mod leftovers;
mod manifest;
mod packed;
mod precompress;
mod spare;
mod staging;
mod tree;

pub use manifest::MARKER;
pub(crate) use packed::SEARCH_DIR;
pub use packed::{is_packed, is_packed_path, is_search_file, pack, unpack};
pub use precompress::{brotli, gzip, is_text, Precompress};
pub use staging::{check_location, Committed, Options, Staging, WriteError};

use crate::site_path::SitePath;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Receives built files as they are made, each at a validated [`SitePath`]: a sink never
/// sees a path that could leave the output directory.
pub trait Sink: Sync {
    /// Receives the file at site path `path`.
    fn put(&self, path: &SitePath, bytes: Vec<u8>);

    /// Receives a file that may also be held elsewhere (a page kept by the build's memo);
    /// sinks that can keep it shared override this to avoid a copy.
    fn put_shared(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        self.put(path, Arc::unwrap_or_clone(bytes));
    }

    /// Receives an HTML file compressed by [`pack`] (a page the memo of `serve` holds so);
    /// sinks that keep HTML packed override this to keep it as it is.
    fn put_packed(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        self.put(path, unpack(&bytes).into_owned());
    }

    /// Receives a file whose bytes the build cache also keeps whole on disk
    /// ([`KeptFile`]); sinks that write to disk override this to link the output file to
    /// the kept one rather than write the same bytes again.
    fn put_kept(&self, path: &SitePath, kept: &KeptFile) {
        // Such a sink wants the bytes (the default below), so they are held: no read fails.
        if let Ok(bytes) = kept.read() {
            self.put_shared(path, bytes);
        }
    }

    /// Whether [`Sink::put_kept`] needs the kept file's bytes in memory; a sink that links
    /// the file (and reads it itself where it cannot) says no, and the build then checks
    /// the file without holding its bytes.
    fn wants_kept_bytes(&self) -> bool {
        true
    }
}

/// A file of the build cache that holds a built file's bytes whole (`crate::disk_cache`,
/// checked against its hash as it was read): a sink that writes to the same file system may
/// hard-link the output file to it.
#[derive(Debug, Clone)]
pub struct KeptFile {
    /// The cache's file.
    pub path: PathBuf,
    /// The hash (xxh3-128) and length of its bytes.
    pub hash: u128,
    /// How many bytes it holds.
    pub len: u64,
    /// Its bytes, as checked when it was read (or written); None when the sink said it
    /// links such files ([`Sink::wants_kept_bytes`]): then [`KeptFile::read`] reads them.
    pub bytes: Option<Arc<Vec<u8>>>,
}

impl KeptFile {
    /// The file's bytes: those held, or read from the file and checked against its hash (an
    /// error if they are no longer those: the file changed since the build checked it).
    pub fn read(&self) -> std::io::Result<Arc<Vec<u8>>> {
        if let Some(bytes) = &self.bytes {
            return Ok(bytes.clone());
        }
        let bytes = std::fs::read(&self.path)?;
        if bytes.len() as u64 != self.len || xxhash_rust::xxh3::xxh3_128(&bytes) != self.hash {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the build cache's `{}` changed while the build used it; build again",
                    self.path.display()
                ),
            ));
        }
        Ok(Arc::new(bytes))
    }
}

/// Every built file, held in memory: for tests, `check` and `serve`. A file the build's memo
/// also holds (a page) is kept shared, not copied. A packed output ([`Output::packed`], for
/// `serve`) holds every HTML file compressed ([`pack`]).
#[derive(Debug, Default)]
pub struct Output {
    files: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    packed: bool,
}

impl Output {
    /// An output that holds HTML files compressed (see [`is_packed_path`]).
    pub fn packed() -> Output {
        Output {
            packed: true,
            ..Output::default()
        }
    }

    /// The files by site path, in path order, HTML unpacked. Only what this output packed is
    /// unpacked: a file that merely starts like gzip (a `.gz` copy, a project's archive) is
    /// as it was put.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        let packed = self.packed;
        self.into_shared()
            .into_iter()
            .map(|(path, bytes)| {
                let plain = if packed && is_packed_path(&path) {
                    match unpack(&bytes) {
                        std::borrow::Cow::Owned(plain) => plain,
                        std::borrow::Cow::Borrowed(_) => Arc::unwrap_or_clone(bytes),
                    }
                } else {
                    Arc::unwrap_or_clone(bytes)
                };
                (path, plain)
            })
            .collect()
    }

    /// The files by site path, as held (shared with the memo where it keeps them; HTML
    /// packed in a packed output).
    pub fn into_shared(self) -> HashMap<String, Arc<Vec<u8>>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn keep(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.as_str().to_string(), bytes);
    }
}

impl Sink for Output {
    fn put(&self, path: &SitePath, bytes: Vec<u8>) {
        if self.packed && is_packed_path(path.as_str()) && !is_packed(&bytes) {
            return self.keep(path, Arc::new(pack(&bytes)));
        }
        let mut bytes = bytes;
        if self.packed {
            // Kept while `serve` runs: without the room left by whatever wrote it (the
            // search index's shards held twice their size at 10,000 lessons, 66 MiB for 33).
            bytes.shrink_to_fit();
        }
        self.keep(path, Arc::new(bytes));
    }

    fn put_shared(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        if self.packed && is_packed_path(path.as_str()) && !is_packed(&bytes) {
            return self.keep(path, Arc::new(pack(&bytes)));
        }
        self.keep(path, bytes);
    }

    fn put_packed(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        if self.packed {
            self.keep(path, bytes);
        } else {
            self.keep(path, Arc::new(unpack(&bytes).into_owned()));
        }
    }
}

/// A relative path with `/` between its parts.
pub(crate) fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_file_read_back_is_checked_against_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept");
        std::fs::write(&path, b"<p>page</p>").unwrap();
        let kept = KeptFile {
            path: path.clone(),
            hash: xxhash_rust::xxh3::xxh3_128(b"<p>page</p>"),
            len: 11,
            bytes: None,
        };
        assert_eq!(*kept.read().unwrap(), b"<p>page</p>");
        std::fs::write(&path, b"<p>edit</p>").unwrap();
        let e = kept.read().unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            kept.read().unwrap_err().kind(),
            std::io::ErrorKind::NotFound
        );
        let held = KeptFile {
            bytes: Some(Arc::new(b"held".to_vec())),
            ..kept
        };
        assert_eq!(*held.read().unwrap(), b"held", "held bytes need no file");
    }

    #[test]
    fn only_what_a_packed_output_packed_is_unpacked() {
        let page = b"<p>lesson</p>".repeat(50);
        let archive = pack(b"a project's own gzip file");
        for out in [Output::default(), Output::packed()] {
            let was_packed = out.packed;
            out.put(&SitePath::generated("a/index.html"), page.clone());
            out.put(&SitePath::generated("a/index.html.gz"), archive.clone());
            out.put(&SitePath::generated("data.gz"), archive.clone());
            let held = out.into_files();
            assert_eq!(held["a/index.html"], page, "packed: {was_packed}");
            assert_eq!(held["a/index.html.gz"], archive, "packed: {was_packed}");
            assert_eq!(held["data.gz"], archive, "packed: {was_packed}");
        }
    }
}
