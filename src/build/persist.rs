//! The memo's entries as the build cache's bytes (`crate::disk_cache` keeps them on disk):
//! a doc's rendering with its body, a page's HTML (or its template's error),
//! and a page's whole-context key by its quick key. Pure: values in, bytes out, and back.
//!
//! Entries are content-addressed (a key is a hash of everything the value was made from,
//! `keys.rs`), so an entry read back is as good as one made now. What no key covers (the
//! Syllabus build, the configuration, the build options) is in the identity every file of
//! the cache carries ([`identity`]).

use super::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::markdown::RenderedDoc;
use crate::memo::{Key, KeyHasher};
use crate::source::SourceSet;
use bincode::Options;

/// The entries' layout; part of the identity.
const LAYOUT: u64 = 4;

/// A doc's rendering, without its body, and the body packed.
pub(super) const RENDER: u8 = 1;
/// A page's (or generated page's) HTML, packed, or its template's error.
pub(super) const PAGE: u8 = 2;
/// A page's whole-context key, by its quick key.
pub(super) const QUICK: u8 = 3;
/// What search indexing found in a page (`crate::site::search::PageText`).
pub(super) const SEARCH: u8 = 4;
/// A doc body's reading time in minutes (`u32`), by its file's parse key.
pub(super) const READING: u8 = 5;

fn codec() -> impl Options {
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .with_little_endian()
        .reject_trailing_bytes()
}

/// The hash of what every cached entry depends on but no key covers: this layout, the
/// machine's word size, the whole configuration and the build's options; `binary` is the
/// running Syllabus's own hash (`crate::disk_cache::binary_identity`).
pub fn identity(binary: u64, sources: &SourceSet, options: &BuildOptions<'_>) -> u64 {
    KeyHasher::key(|h| {
        h.u64(binary)
            .u64(LAYOUT)
            .str(env!("CARGO_PKG_VERSION"))
            .u64(usize::BITS as u64)
            .debug(&sources.config)
            .debug(&options.base_url)
            .u64(u64::from(options.skip_search))
            .u64(u64::from(options.check_only))
            .u64(options.sitemap_urls() as u64);
    })
}

/// A rendering (its `html` empty) and its body, as made: the body's length, its bytes,
/// then the rest of the rendering. Bodies and pages are kept uncompressed: a rebuild then
/// copies them out without unpacking (inflating every page was a sixth of a rebuild), a
/// build that writes the cache packs nothing, and the cache folder compresses well as a
/// whole where CI stores it.
pub(super) fn encode_render(doc: &RenderedDoc, body: &str) -> Option<Vec<u8>> {
    let rest = codec().serialize(doc).ok()?;
    let mut bytes = Vec::with_capacity(8 + body.len() + rest.len());
    bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
    bytes.extend_from_slice(body.as_bytes());
    bytes.extend_from_slice(&rest);
    Some(bytes)
}

/// The rendering and body [`encode_render`] wrote, or None.
pub(super) fn decode_render(mut bytes: Vec<u8>) -> Option<(RenderedDoc, String)> {
    let len = usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
    let end = len.checked_add(8)?;
    let doc: RenderedDoc = codec().deserialize(bytes.get(end..)?).ok()?;
    if !doc.html.is_empty() {
        return None;
    }
    bytes.truncate(end);
    bytes.drain(..8);
    Some((doc, String::from_utf8(bytes).ok()?))
}

/// A page's HTML (`Ok`), as made, or its template's error; the last byte says which.
pub(super) fn encode_page(html: &Result<&[u8], &Diagnostic>) -> Option<Vec<u8>> {
    match html {
        Ok(html) => {
            let mut bytes = Vec::with_capacity(1 + html.len());
            bytes.extend_from_slice(html);
            bytes.push(0);
            Some(bytes)
        }
        Err(d) => {
            let mut bytes = codec().serialize(d).ok()?;
            bytes.push(1);
            Some(bytes)
        }
    }
}

/// What [`encode_page`] wrote: the HTML, or the error; None when it does not decode.
pub(super) fn decode_page(mut bytes: Vec<u8>) -> Option<Result<Vec<u8>, Diagnostic>> {
    match bytes.pop()? {
        // The file's checksum vouches for the bytes; a page never starts like a packed
        // one (`output::is_packed`), which the sink would unpack.
        0 if !crate::output::is_packed(&bytes) => Some(Ok(bytes)),
        1 => codec().deserialize(&bytes).ok().map(Err),
        _ => None,
    }
}

/// A value as bytes.
pub(super) fn encode<T: serde::Serialize>(value: &T) -> Option<Vec<u8>> {
    codec().serialize(value).ok()
}

/// What [`encode`] wrote, or None.
pub(super) fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    codec().deserialize(bytes).ok()
}

/// A whole-context key.
pub(super) fn decode_key(bytes: &[u8]) -> Option<Key> {
    Some(Key::from_le_bytes(bytes.try_into().ok()?))
}
