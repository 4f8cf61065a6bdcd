//! The index's files: page fragments (titles, URLs, section snippets) eight pages to a file,
//! term shards, each a script calling `__syllabusSearch(key, data)`.

use super::sections::Section;
use super::DIR;
use rustc_hash::FxBuildHasher;
use std::collections::HashMap;
use std::sync::Mutex;

/// A shard is closed once it holds this many bytes of term lines.
pub(super) const SHARD_BYTES: usize = 16 * 1024;

/// Section text kept for snippets, in characters; all of it is indexed.
pub(super) const MAX_TEXT: usize = 200;

/// Pages per fragment file: fewer files make a faster build, more bytes per result.
pub(super) const CHUNK_PAGES: usize = 8;

/// The page's fragment: `{"t": title, "u": url, "s": [[anchor, heading, text], …]}`.
pub(super) fn fragment(title: &str, url: &str, sections: &[Section]) -> String {
    let excerpts: Vec<String> = sections.iter().map(|s| excerpt(&s.text)).collect();
    let s: Vec<[&str; 3]> = sections
        .iter()
        .zip(&excerpts)
        .map(|(s, text)| [s.anchor.as_str(), s.heading.as_str(), text.as_str()])
        .collect();
    #[derive(serde::Serialize)]
    struct Fragment<'a> {
        t: &'a str,
        u: &'a str,
        s: Vec<[&'a str; 3]>,
    }
    let u = crate::content::paths::encode_path(url);
    serde_json::to_string(&Fragment { t: title, u: &u, s }).expect("strings serialise")
}

/// A chunk's file: its pages' fragments in page order, `null` for a page that has none.
pub(super) fn fragment_file(chunk: usize, parts: &[Option<String>]) -> Vec<u8> {
    let parts: Vec<&str> = parts
        .iter()
        .map(|p| p.as_deref().unwrap_or("null"))
        .collect();
    script(&format!("p/{chunk}"), &format!("[{}]", parts.join(","))).into_bytes()
}

/// Fragments wait here until their chunk is complete. Pages render in parallel but each thread
/// takes a run of neighbouring pages, so few chunks are ever waiting.
#[derive(Default)]
pub(super) struct Chunks(Mutex<HashMap<usize, PendingChunk, FxBuildHasher>>);

/// A chunk's fragments so far: how many have arrived, and each page's slot.
type PendingChunk = (usize, Vec<Option<String>>);

impl Chunks {
    /// Adds page `id`'s fragment; returns its chunk when that is complete.
    pub(super) fn add(&self, id: usize, fragment: String) -> Option<(usize, Vec<Option<String>>)> {
        let chunk = id / CHUNK_PAGES;
        let mut waiting = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (filled, parts) = waiting
            .entry(chunk)
            .or_insert_with(|| (0, vec![None; CHUNK_PAGES]));
        parts[id % CHUNK_PAGES] = Some(fragment);
        *filled += 1;
        if *filled < CHUNK_PAGES {
            return None;
        }
        waiting.remove(&chunk).map(|(_, parts)| (chunk, parts))
    }

    /// The incomplete chunks (the last one, at least), in order.
    pub(super) fn rest(self) -> Vec<(usize, Vec<Option<String>>)> {
        let mut rest: Vec<_> = self
            .0
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|(chunk, (_, parts))| (chunk, parts))
            .collect();
        rest.sort_by_key(|(chunk, _)| *chunk);
        rest
    }
}

/// The start of `text`, whitespace collapsed: whole words up to `MAX_TEXT` characters.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_ascii_whitespace() {
        let n = word.chars().count();
        if chars + n + 1 > MAX_TEXT {
            if out.is_empty() {
                out.extend(word.chars().take(MAX_TEXT));
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        chars += n + 1;
    }
    out
}

pub(super) fn shard_file(n: usize, lines: &str) -> (String, Vec<u8>) {
    let key = format!("t/{n}");
    let data = serde_json::to_string(lines).expect("a string serialises");
    (format!("{DIR}/{key}.js"), script(&key, &data).into_bytes())
}

pub(super) fn script(key: &str, data: &str) -> String {
    format!("__syllabusSearch(\"{key}\",{data});\n")
}
