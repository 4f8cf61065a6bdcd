//! The memo's entries as the build cache's bytes (`crate::disk_cache` keeps them on disk):
//! a doc's rendering with its packed body, a page's packed HTML (or its template's error),
//! and a page's whole-context key by its quick key. Pure: values in, bytes out, and back.
//!
//! Entries are content-addressed (a key is a hash of everything the value was made from,
//! `keys.rs`), so an entry read back is as good as one made now. What no key covers (the
//! Syllabus build, the configuration, the build options) is in the identity every file of
//! the cache carries ([`identity`]).

use super::memo::PackedBody;
use super::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::markdown::RenderedDoc;
use crate::memo::{Key, KeyHasher};
use crate::source::SourceSet;
use bincode::Options;

/// The entries' layout; part of the identity.
const LAYOUT: u64 = 2;

/// A doc's rendering, without its body, and the body packed.
pub(super) const RENDER: u8 = 1;
/// A page's (or generated page's) HTML, packed, or its template's error.
pub(super) const PAGE: u8 = 2;
/// A page's whole-context key, by its quick key.
pub(super) const QUICK: u8 = 3;
/// What search indexing found in a page (`crate::site::search::PageText`).
pub(super) const SEARCH: u8 = 4;

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

/// A rendering (its `html` empty) and its packed body: the body's length, its bytes as
/// packed, whether it is blank, then the rest of the rendering.
pub(super) fn encode_render(doc: &RenderedDoc, body: &PackedBody) -> Option<Vec<u8>> {
    let rest = codec().serialize(doc).ok()?;
    let mut bytes = Vec::with_capacity(9 + body.bytes.len() + rest.len());
    bytes.extend_from_slice(&(body.bytes.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&body.bytes);
    bytes.push(u8::from(body.blank));
    bytes.extend_from_slice(&rest);
    Some(bytes)
}

/// The rendering and packed body [`encode_render`] wrote, or None.
pub(super) fn decode_render(mut bytes: Vec<u8>) -> Option<(RenderedDoc, PackedBody)> {
    let len = usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
    let blank = *bytes.get(8usize.checked_add(len)?)?;
    let doc: RenderedDoc = codec().deserialize(bytes.get(9 + len..)?).ok()?;
    if blank > 1 || !doc.html.is_empty() || !crate::output::is_packed(bytes.get(8..8 + len)?) {
        return None;
    }
    bytes.truncate(8 + len);
    bytes.drain(..8);
    Some((
        doc,
        PackedBody {
            bytes,
            blank: blank == 1,
        },
    ))
}

/// A page's HTML, packed (`Ok`), or its template's error.
pub(super) fn encode_page(html: &Result<&[u8], &Diagnostic>) -> Option<Vec<u8>> {
    match html {
        Ok(packed) => {
            let mut bytes = Vec::with_capacity(1 + packed.len());
            bytes.push(0);
            bytes.extend_from_slice(packed);
            Some(bytes)
        }
        Err(d) => {
            let mut bytes = vec![1];
            bytes.extend(codec().serialize(d).ok()?);
            Some(bytes)
        }
    }
}

/// What [`encode_page`] wrote: the packed HTML, or the error; None when it does not decode.
pub(super) fn decode_page(mut bytes: Vec<u8>) -> Option<Result<Vec<u8>, Diagnostic>> {
    match bytes.first()? {
        0 if crate::output::is_packed(&bytes[1..]) => {
            bytes.remove(0);
            Some(Ok(bytes))
        }
        1 => codec().deserialize(&bytes[1..]).ok().map(Err),
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
