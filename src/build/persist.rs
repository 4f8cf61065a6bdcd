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
const LAYOUT: u64 = 6;

/// A doc's rendering, without its body, and the body packed.
pub(super) const RENDER: u8 = 1;
/// A page's (or generated page's) HTML, or where the cache keeps it whole, or its
/// template's error.
pub(super) const PAGE: u8 = 2;
/// A page's whole-context key, by its quick key.
pub(super) const QUICK: u8 = 3;
/// What search indexing found in a page (`crate::site::search::PageText`).
pub(super) const SEARCH: u8 = 4;
/// A doc's parse (`crate::content::ParsedDoc`: front matter, title, reading time and
/// problems), by its file's parse key: a rebuild neither reads nor parses a file it holds.
pub(super) const PARSE: u8 = 5;
/// The search index a build keeps for the next one to patch (`crate::site::search::Previous`),
/// as a kept file (the value says which, as [`encode_kept`] writes it), by locale.
pub(super) const SEARCH_INDEX: u8 = 6;
/// What the search index needs of a page whose text it indexed before
/// (`crate::site::search::Fragment`), by the key of the page's search text.
pub(super) const SEARCH_FRAGMENT: u8 = 7;

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

/// A page's HTML kept whole as a file of the cache (`disk_cache::Store::keep_file`): its
/// hash and length.
pub(super) fn encode_kept(hash: u128, len: u64) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(16 + 8 + 1);
    bytes.extend_from_slice(&hash.to_le_bytes());
    bytes.extend_from_slice(&len.to_le_bytes());
    bytes.push(2);
    bytes
}

/// A page as the cache holds it.
#[derive(Debug, PartialEq)]
pub(super) enum Page {
    /// The HTML, or the template's error.
    Made(Result<Vec<u8>, Diagnostic>),
    /// The HTML is the kept file of this hash, this long.
    Kept { hash: u128, len: u64 },
}

/// What [`encode_page`] or [`encode_kept`] wrote; None when it does not decode.
pub(super) fn decode_page(mut bytes: Vec<u8>) -> Option<Page> {
    match bytes.pop()? {
        // The file's checksum vouches for the bytes; a page never starts like a packed
        // one (`output::is_packed`), which the sink would unpack.
        0 if !crate::output::is_packed(&bytes) => Some(Page::Made(Ok(bytes))),
        1 => codec().deserialize(&bytes).ok().map(|d| Page::Made(Err(d))),
        2 if bytes.len() == 24 => Some(Page::Kept {
            hash: u128::from_le_bytes(bytes[..16].try_into().ok()?),
            len: u64::from_le_bytes(bytes[16..].try_into().ok()?),
        }),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_comes_back_as_it_was_kept_and_a_damaged_value_does_not() {
        let hash = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210_u128;
        let kept = encode_kept(hash, 40_000);
        assert_eq!(
            decode_page(kept.clone()),
            Some(Page::Kept { hash, len: 40_000 })
        );
        assert_eq!(decode_page(kept[1..].to_vec()), None, "one byte short");
        let made = encode_page(&Ok(b"<p>page</p>".as_slice())).unwrap();
        assert_eq!(
            decode_page(made),
            Some(Page::Made(Ok(b"<p>page</p>".to_vec())))
        );
        let mut unknown = encode_kept(hash, 1);
        *unknown.last_mut().unwrap() = 3;
        assert_eq!(decode_page(unknown), None, "an unknown kind");
    }

    #[test]
    fn a_parse_comes_back_whole_every_field_and_problem() {
        let good = "---\ntitle: \"Tools: a lesson\"\nsidebar_position: 2.5\ndraft: false\n\
            pagination_prev: null\nduration_minutes: \"40-45\"\n\
            learning_objectives:\n  - objective: Build an image\n    bloom_level: apply\n\
            skills:\n  - name: Docker\n    proficiency_level: B1\n    bloom_level: apply\n\
            tags: [docker, {label: AI, permalink: /ai}]\n\
            custom: {nested: [1, 2.5, \"x\", null, true]}\nwhen: 2021-01-02\n\
            ---\n\u{0}# Heading\n\nBody.\n";
        let bad = "---\ntitle: [\n---\n# Heading\n";
        for (text, wanted) in [
            (
                good,
                &[
                    "Build an image",
                    "Docker",
                    "permalink",
                    "nested",
                    "Bloom",
                    "45",
                    "U+0000",
                ][..],
            ),
            (bad, &["front matter"][..]),
        ] {
            let file = crate::source::SourceFile {
                path: "02-tools/01-lesson.md".into(),
                bytes: text.as_bytes().to_vec(),
            };
            let parsed = crate::content::parse_doc(&file, "content/02-tools/01-lesson.md");
            let shown = format!("{parsed:?}");
            for field in wanted {
                assert!(shown.contains(field), "{field} not parsed: {shown}");
            }
            let bytes = encode(&parsed).unwrap();
            assert_eq!(decode::<crate::content::ParsedDoc>(&bytes), Some(parsed));
            assert_eq!(
                decode::<crate::content::ParsedDoc>(&bytes[..bytes.len() - 1]),
                None,
                "one byte short"
            );
        }
    }
}
