//! HTML and the search index held compressed in memory (`serve`): gzip at its fastest level
//! takes a course's pages to a fraction of their size, and a file is unpacked only when a
//! browser asks for it (or a build needs it again). Deterministic: the gzip header carries
//! no time or name.

use flate2::read::GzDecoder;
use flate2::Compression;
use std::borrow::Cow;
use std::io::Read;

/// The first bytes of every packed file (gzip's magic number); no HTML starts with them.
const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Where a site's search index goes, relative to the site's root (or a locale's folder).
pub(crate) const SEARCH_DIR: &str = "assets/search";

/// True for a file of a search index: the site's, or a locale's (`ur/assets/search/…`).
pub fn is_search_file(path: &str) -> bool {
    let in_dir = |p: &str| {
        p.strip_prefix(SEARCH_DIR)
            .is_some_and(|r| r.starts_with('/'))
    };
    in_dir(path) || path.split_once('/').is_some_and(|(_, rest)| in_dir(rest))
}

/// True for the files a packed [`super::Output`] holds compressed: HTML, read back only
/// to be served (with the live-reload script put in, so never sent as it is held), and the
/// search index's files, read only to be served (issue 15: at 10,000 lessons they are 33
/// MiB as written and about a third of that packed, and `serve` holds two indexes once one
/// was made again in the background, for the browsers that loaded the older one).
pub fn is_packed_path(path: &str) -> bool {
    path.ends_with(".html") || is_search_file(path)
}

/// `bytes`, compressed.
pub fn pack(bytes: &[u8]) -> Vec<u8> {
    let mut packed = super::precompress::gzip_at(bytes, Compression::fast());
    // Held for as long as `serve` runs: without the room the encoder's buffer had left
    // (about a fifth of a page's packed size, since it starts at a third of the page).
    packed.shrink_to_fit();
    packed
}

/// True when `bytes` were made by [`pack`].
pub fn is_packed(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// The bytes [`pack`] was given, or `bytes` as they are when they are not packed.
pub fn unpack(bytes: &[u8]) -> Cow<'_, [u8]> {
    if !is_packed(bytes) {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() * 5);
    match GzDecoder::new(bytes).read_to_end(&mut out) {
        Ok(_) => Cow::Owned(out),
        // Not ours after all (a file that only starts like gzip): as it is.
        Err(_) => Cow::Borrowed(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_unpacks_and_leaves_plain_bytes_alone() {
        let html = "<!DOCTYPE html><p>héllo</p>".repeat(100);
        let packed = pack(html.as_bytes());
        assert!(is_packed(&packed) && packed.len() < html.len() / 5);
        assert_eq!(pack(html.as_bytes()), packed, "deterministic");
        assert_eq!(unpack(&packed).as_ref(), html.as_bytes());
        assert!(matches!(unpack(b"<p>plain</p>"), Cow::Borrowed(_)));
        assert_eq!(unpack(&[0x1f, 0x8b, 0]).as_ref(), [0x1f, 0x8b, 0]);
    }
}
