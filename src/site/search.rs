//! The offline search index: each page's rendered body split into sections at its h1–h3
//! headings, tokenised and weighed, then written as small files that the browser loads only as
//! a query needs them (`static/assets/search.js` is the reader):
//!
//! * `assets/search/manifest.js`: the number of sections, a version, and the first term of
//!   every term shard (shards are contiguous ranges of the sorted vocabulary);
//! * `assets/search/t/N.js`: one line per term, `term postings [df]`, where postings are
//!   (page delta, section, weight) triples as base-64 varints, sorted by page and section;
//! * `assets/search/p/N.js`: the pages `8N` to `8N + 7`: title, URL and sections (anchor,
//!   heading, the start of the text), for the results list and its snippets. Written as soon
//!   as its pages have rendered, so no page's text is held for long.
//!
//! Every file is a script calling `__syllabusSearch(key, data)`, so the reader loads it with a
//! `<script>` element: that works on any static host, under a sub-path, and from `file://`,
//! where browsers refuse `fetch()`.

use crate::output::Sink;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use xxhash_rust::xxh3::xxh3_64;

/// Where the index files go, relative to the site root.
pub const DIR: &str = "assets/search";
/// A shard is closed once it holds this many bytes of term lines.
const SHARD_BYTES: usize = 16 * 1024;
/// A term keeps at most this many postings, its heaviest (its document frequency is kept).
const MAX_POSTINGS: usize = 1500;
/// Section text kept for snippets, in characters; all of it is indexed.
const MAX_TEXT: usize = 200;
/// Pages per fragment file: fewer files make a faster build, more bytes per result.
const CHUNK_PAGES: usize = 8;
/// The vocabulary is written in this many slices (see `Indexer::finish`).
const FINISH_SLICES: usize = 8;
/// Longest term indexed, in characters.
const MAX_TERM: usize = 32;
/// Words too common to help; the reader drops them from queries too.
pub const STOP_WORDS: [&str; 18] = [
    "a", "an", "and", "are", "at", "be", "by", "it", "its", "of", "on", "or", "that", "the",
    "this", "to", "was", "were",
];

/// One part of a page: the text before the first heading, or a heading and what follows it
/// up to the next h1–h3.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's id; empty for the part before the first heading.
    pub anchor: String,
    pub heading: String,
    /// h4–h6 text inside the section (also part of `text`).
    pub subheadings: String,
    /// Everything else, code included, with its whitespace as it was (see `collapse`).
    pub text: String,
}

/// Elements whose content is not page text: widgets, icons, heading anchors, quiz answers.
fn skipped(name: &str, attrs: &str) -> bool {
    match name {
        "script" | "style" | "svg" | "button" | "template" | "noscript" | "iframe" | "select" => {
            true
        }
        "section" => has_class(attrs, "quiz"),
        "details" => has_class(attrs, "quiz-answer"),
        "a" => has_class(attrs, "anchor"),
        _ => false,
    }
}

/// Elements that separate words.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "pre"
            | "blockquote"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figure"
            | "figcaption"
            | "section"
            | "article"
            | "aside"
            | "details"
            | "summary"
            | "fieldset"
            | "legend"
            | "img"
            | "input"
            | "label"
            | "caption"
    )
}

const VOID: [&str; 8] = ["br", "hr", "img", "input", "meta", "link", "source", "wbr"];

fn has_class(attrs: &str, class: &str) -> bool {
    attr(attrs, "class").is_some_and(|v| v.split_ascii_whitespace().any(|c| c == class))
}

/// The value of attribute `name` in a tag's attribute text.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = &rest[..end];
        rest = rest[end..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = v;
            rest = tail;
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
}

/// Where text goes while the scanner walks a page.
#[derive(Clone, Copy, PartialEq)]
enum Into_ {
    Text,
    Heading,
    Subheading,
}

/// Splits a rendered page body into sections at h1–h3 headings that have an id, keeping the
/// text a reader sees (code included) and leaving out widgets and quizzes.
pub fn sections(html: &str) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut into = Into_::Text;
    // (element name, nesting depth) of the element being skipped, if any.
    let mut skip: Option<(String, usize)> = None;
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let next = match skip {
            Some(_) => memchr::memchr(b'<', &bytes[at..]),
            None => memchr::memchr2(b'<', b'&', &bytes[at..]),
        };
        let Some(i) = next.map(|n| at + n) else {
            if skip.is_none() {
                push_text(out.last_mut().unwrap(), into, &html[at..]);
            }
            break;
        };
        if skip.is_none() {
            push_text(out.last_mut().unwrap(), into, &html[at..i]);
        }
        let rest = &html[i..];
        // Highlighted code is mostly spans, which change nothing here.
        if rest.starts_with("</span>") {
            at = i + 7;
            continue;
        }
        if bytes[i] == b'&' {
            let section = out.last_mut().unwrap();
            match entity(rest) {
                Some((c, len)) => {
                    push_text(section, into, c.encode_utf8(&mut [0; 4]));
                    at = i + len;
                }
                None => {
                    push_text(section, into, "&");
                    at = i + 1;
                }
            }
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment.find("-->").map_or(html.len(), |e| i + 4 + e + 3);
            continue;
        }
        let Some((tag, after)) = split_tag(rest) else {
            // A lone `<`: text.
            if skip.is_none() {
                push_text(out.last_mut().unwrap(), into, "<");
            }
            at = i + 1;
            continue;
        };
        at = html.len() - after.len();
        // Highlighted code is mostly spans, which change nothing here.
        if tag == "/span" || tag.starts_with("span ") {
            continue;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_end = body
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(body.len());
        let name = &body[..name_end];
        let name: Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        let name = name.as_ref();
        let attrs = &body[name_end..];
        let void = VOID.contains(&name) || tag.ends_with('/');
        if let Some((skipping, depth)) = &mut skip {
            if *skipping == name && !void {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && skipped(name, attrs) {
            if !void {
                skip = Some((name.to_string(), 1));
            }
            continue;
        }
        let section = out.last_mut().unwrap();
        if is_block(name) {
            push_text(section, into, " ");
        }
        match (name, closing) {
            ("h1" | "h2" | "h3", false) => match attr(attrs, "id").filter(|id| !id.is_empty()) {
                Some(id) => {
                    out.push(Section {
                        anchor: decode_entities(id).into_owned(),
                        ..Section::default()
                    });
                    into = Into_::Heading;
                }
                None => into = Into_::Subheading,
            },
            ("h4" | "h5" | "h6", false) => into = Into_::Subheading,
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => into = Into_::Text,
            _ => {}
        }
    }
    for s in &mut out {
        for field in [&mut s.heading, &mut s.subheadings] {
            *field = collapse(field);
        }
    }
    out
}

/// Splits `<…>` off the front of `s` (quoted `>` included), or `None` if `s` does not start a
/// tag.
fn split_tag(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('<')?;
    let first = inner.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!' || first == '?') {
        return None;
    }
    // Most tags hold no `>` in a quoted value: find the first `>`, then check the quotes.
    if let Some(end) = memchr::memchr(b'>', inner.as_bytes()) {
        let tag = &inner.as_bytes()[..end];
        let balanced =
            memchr::memchr(b'\'', tag).is_none() && memchr::memchr_iter(b'"', tag).count() % 2 == 0;
        if balanced {
            return Some((&inner[..end], &inner[end + 1..]));
        }
    }
    let mut quote = None;
    for (i, &b) in inner.as_bytes().iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some((&inner[..i], &inner[i + 1..])),
            _ => {}
        }
    }
    Some((inner, ""))
}

fn push_text(section: &mut Section, into: Into_, text: &str) {
    match into {
        Into_::Heading => section.heading.push_str(text),
        Into_::Subheading => {
            section.subheadings.push_str(text);
            section.text.push_str(text);
        }
        Into_::Text => section.text.push_str(text),
    }
}

/// `text` with runs of ASCII whitespace made one space, and none at either end.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The character an entity at the start of `s` stands for, and the entity's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let c = match &s[1..end] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        name => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            };
            char::from_u32(code?)?
        }
    };
    Some((c, end + 1))
}

/// Decodes the entities in an attribute value.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (c, len) = entity(rest).unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Calls `f` with every term of `text`: each word (a run of letters and digits, lowercased,
/// stemmed), and each compound of words joined by `-`, `_` or `.` (`docker-compose`,
/// `requirements.txt`) as written, lowercased. The reader (`search.js`) does the same.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    // The word being read, and the compound it may be part of (byte offsets, word count).
    let mut word: Option<usize> = None;
    let mut compound: Option<(usize, usize)> = None;
    // Whether the character at byte `i` is a letter or digit, and its length.
    let bytes = text.as_bytes();
    let class = |i: usize| match bytes.get(i) {
        None => (false, 1),
        Some(b) if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
        Some(_) => text[i..]
            .chars()
            .next()
            .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
    };
    let mut i = 0;
    while i < bytes.len() {
        let (alphanumeric, width) = class(i);
        if alphanumeric {
            word.get_or_insert(i);
            i += width;
            continue;
        }
        if let Some(start) = word.take() {
            emit_word(&text[start..i], &mut buf, &mut f);
            compound = Some(compound.map_or((start, 1), |(s, n)| (s, n + 1)));
        }
        let joins = matches!(bytes[i], b'-' | b'_' | b'.') && class(i + 1).0;
        i += width;
        if !joins {
            if let Some((start, parts)) = compound.take() {
                emit_compound(&text[start..i - width], parts, &mut buf, &mut f);
            }
        }
    }
    if let Some(start) = word {
        emit_word(&text[start..], &mut buf, &mut f);
        compound = Some(compound.map_or((start, 1), |(s, n)| (s, n + 1)));
    }
    if let Some((start, parts)) = compound {
        emit_compound(&text[start..], parts, &mut buf, &mut f);
    }
}

fn is_stop_word(word: &str) -> bool {
    word.len() <= 4 && STOP_WORDS.contains(&word)
}

/// `word` lowercased (copied into `buf` if it has to change).
fn lower<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if !word
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return word;
    }
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
    buf
}

fn emit_word(word: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    let len = if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    let digits = word.bytes().all(|b| b.is_ascii_digit());
    if !(2..=MAX_TERM).contains(&len) || (digits && len > 4) {
        return;
    }
    let word = lower(word, buf);
    if !is_stop_word(word) {
        f(&stem(word));
    }
}

fn emit_compound(compound: &str, parts: usize, buf: &mut String, f: &mut impl FnMut(&str)) {
    if parts >= 2 && compound.chars().count() <= MAX_TERM {
        f(lower(compound, buf));
    }
}

/// A light English stemmer, plurals to singular: Harman's "S" stemmer, plus `sses` → `ss`
/// and words in `is` kept. `search.js` has the same rules.
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let ends = |s: &str| word.ends_with(s);
    let n = word.len();
    if ends("sses") {
        Cow::Borrowed(&word[..n - 2])
    } else if ends("ies") && !ends("eies") && !ends("aies") {
        Cow::Owned(format!("{}y", &word[..n - 3]))
    } else if (ends("es") && !ends("aes") && !ends("ees") && !ends("oes"))
        || (ends("s") && !ends("us") && !ends("ss") && !ends("is"))
    {
        Cow::Borrowed(&word[..n - 1])
    } else {
        Cow::Borrowed(word)
    }
}

/// What indexing one page leaves for the index files: where its postings are, no text.
#[derive(Debug, Default)]
pub struct PageIndex {
    /// Block and byte range in `Indexer::postings`.
    postings: (usize, std::ops::Range<usize>),
    sections: usize,
    /// Of the page's fragment file, for the index version.
    hash: u64,
}

/// Gives terms numbers across threads while pages are indexed in parallel.
pub struct Indexer {
    shards: Vec<Mutex<Terms>>,
    next: AtomicU32,
    fragments: Chunks,
    postings: Blocks,
}

/// Every page's packed postings (LEB128 varints of term delta, section and weight, sorted by
/// term: about 3 bytes each), kept in large blocks: held as one small allocation per page
/// among the build's short-lived ones, they cost the allocator three times their size.
#[derive(Default)]
struct Blocks(Mutex<Vec<Vec<u8>>>);

impl Blocks {
    const SIZE: usize = 1 << 20;

    fn keep(&self, bytes: &[u8]) -> (usize, std::ops::Range<usize>) {
        let mut blocks = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let fits = blocks
            .last()
            .is_some_and(|b| b.len() + bytes.len() <= b.capacity());
        if !fits {
            blocks.push(Vec::with_capacity(bytes.len().max(Self::SIZE)));
        }
        let n = blocks.len() - 1;
        let block = &mut blocks[n];
        let start = block.len();
        block.extend_from_slice(bytes);
        (n, start..block.len())
    }

    fn into_inner(self) -> Vec<Vec<u8>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Part of the vocabulary: a term is known by its 64-bit hash (two terms of one course that
/// share one are vanishingly unlikely, and would only be merged), so a lookup compares no text.
#[derive(Default)]
struct Terms {
    ids: HashMap<u64, u32, FxBuildHasher>,
    terms: Vec<(Box<str>, u32)>,
}

impl Default for Indexer {
    fn default() -> Indexer {
        Indexer {
            shards: (0..32).map(|_| Mutex::default()).collect(),
            next: AtomicU32::new(0),
            fragments: Chunks::default(),
            postings: Blocks::default(),
        }
    }
}

/// What indexing a page needs for a while, kept per thread so that pages reuse it.
#[derive(Default)]
struct Scratch {
    local: HashMap<u64, usize, FxBuildHasher>,
    global: Vec<u32>,
    hits: Vec<Hits>,
    touched: Vec<usize>,
    postings: Vec<u64>,
    title: Vec<usize>,
    packed: Vec<u8>,
}

impl Scratch {
    fn clear(&mut self) {
        self.local.clear();
        self.global.clear();
        self.touched.clear();
        self.postings.clear();
        self.title.clear();
        self.packed.clear();
        // `hits` is left all default by every page.
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

fn hit_title(hits: &mut Vec<Hits>, touched: &mut Vec<usize>, n: usize) {
    if n >= hits.len() {
        hits.resize(n + 1, Hits::default());
    }
    if !hits[n].seen {
        hits[n].seen = true;
        touched.push(n);
    }
    hits[n].title = true;
}

/// What a term does in one section.
#[derive(Default, Clone, Copy)]
struct Hits {
    seen: bool,
    body: u16,
    heading: bool,
    subheading: bool,
    title: bool,
}

impl Hits {
    /// Body occurrences saturate; a heading or the title counts for more than any body.
    fn weight(self, section: usize) -> u16 {
        let tf = f32::from(self.body);
        let mut w = (10.0 * tf / (tf + 2.5)).round() as u16;
        if self.heading {
            w += 12;
        }
        if self.subheading {
            w += 4;
        }
        if self.title {
            w += if section == 0 { 15 } else { 3 };
        }
        w.max(1)
    }
}

impl Indexer {
    /// The number of `term`, whose hash is `key`.
    fn intern(&self, term: &str, key: u64) -> u32 {
        let shard = &self.shards[(key >> 59) as usize];
        let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = shard.ids.get(&key) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        shard.ids.insert(key, id);
        shard.terms.push((term.into(), id));
        id
    }

    /// A page's postings, packed (see `Blocks`), made with `scratch` (whose `packed` they are).
    fn terms(&self, title: &str, sections: &[Section], scratch: &mut Scratch) -> Vec<u8> {
        scratch.clear();
        let Scratch {
            local,
            global,
            hits,
            touched,
            postings,
            title: title_terms,
            packed,
        } = scratch;
        // The page's terms, by their 64-bit hash: numbered locally, interned once each.
        let mut number = |term: &str| -> usize {
            let key = xxh3_64(term.as_bytes());
            if let Some(&n) = local.get(&key) {
                return n;
            }
            let n = global.len();
            global.push(self.intern(term, key));
            local.insert(key, n);
            n
        };
        for_each_term(title, |t| title_terms.push(number(t)));
        for (i, s) in sections.iter().enumerate() {
            let mut hit = |t: &str, f: fn(&mut Hits)| {
                let n = number(t);
                if n >= hits.len() {
                    hits.resize(n + 1, Hits::default());
                }
                if !hits[n].seen {
                    hits[n].seen = true;
                    touched.push(n);
                }
                f(&mut hits[n]);
            };
            for_each_term(&s.text, |t| hit(t, |h| h.body = h.body.saturating_add(1)));
            for_each_term(&s.heading, |t| hit(t, |h| h.heading = true));
            for_each_term(&s.subheadings, |t| hit(t, |h| h.subheading = true));
            for &n in title_terms.iter() {
                hit_title(hits, touched, n);
            }
            let section = (i.min(u16::MAX as usize) as u64) << 16;
            for n in touched.drain(..) {
                let h = std::mem::take(&mut hits[n]);
                postings.push(((n as u64) << 32) | section | u64::from(h.weight(i)));
            }
        }
        for x in postings.iter_mut() {
            *x = (u64::from(global[(*x >> 32) as usize]) << 32) | (*x & 0xffff_ffff);
        }
        postings.sort_unstable();
        let mut packed = std::mem::take(packed);
        let mut last = 0;
        for &x in postings.iter() {
            leb128((x >> 32) - last, &mut packed);
            leb128((x >> 16) & 0xffff, &mut packed);
            leb128(x & 0xffff, &mut packed);
            last = x >> 32;
        }
        packed
    }

    /// Indexes one page's rendered body; writes its fragment file to `sink`.
    pub fn page(
        &self,
        id: usize,
        title: &str,
        url: &str,
        html: &str,
        sink: &dyn Sink,
    ) -> PageIndex {
        let sections = sections(html);
        let packed =
            SCRATCH.with(|scratch| self.terms(title, &sections, &mut scratch.borrow_mut()));
        let postings = self.postings.keep(&packed);
        SCRATCH.with(|scratch| scratch.borrow_mut().packed = packed);
        let fragment = fragment(title, url, &sections);
        let hash = xxh3_64(fragment.as_bytes());
        if let Some((chunk, parts)) = self.fragments.add(id, fragment) {
            sink.put(&format!("{DIR}/p/{chunk}.js"), fragment_file(chunk, &parts));
        }
        PageIndex {
            postings,
            sections: sections.len(),
            hash,
        }
    }

    /// Writes the manifest and the term shards; `pages` in page order, one per page.
    pub fn write(mut self, pages: Vec<PageIndex>, sink: &dyn Sink) {
        for (chunk, parts) in std::mem::take(&mut self.fragments).rest() {
            sink.put(&format!("{DIR}/p/{chunk}.js"), fragment_file(chunk, &parts));
        }
        let files = self.finish(pages);
        for (path, bytes) in files {
            sink.put(&path, bytes);
        }
    }

    fn finish(self, pages: Vec<PageIndex>) -> Vec<(String, Vec<u8>)> {
        let mut terms: Vec<(Box<str>, u32)> = self
            .shards
            .into_iter()
            .flat_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).terms)
            .collect();
        terms.par_sort_unstable();
        let sections: usize = pages.iter().map(|p| p.sections).sum();
        let mut version = pages
            .iter()
            .fold(sections as u64, |v, p| v.rotate_left(5) ^ p.hash);
        let blocks = self.postings.into_inner();
        let mut by_id = vec![""; terms.len()];
        for (term, id) in &terms {
            by_id[*id as usize] = term;
        }
        // The term lines, made in slices of term numbers, each from one pass over the pages'
        // postings (which stops, in each page, past the slice's last number): only a slice's
        // posting lists are in memory at a time (per thread).
        let slice = terms.len().div_ceil(FINISH_SLICES).max(1);
        let mut lines: Vec<String> = vec![String::new(); terms.len()];
        let made: Vec<Vec<String>> = (0..terms.len())
            .step_by(slice)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|start| {
                let ids = start..(start + slice).min(terms.len());
                term_lines(ids, &by_id, (&pages, &blocks))
            })
            .collect();
        for (id, line) in made.into_iter().flatten().enumerate() {
            lines[id] = line;
        }
        drop((pages, blocks));
        let mut files = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        let mut shard = String::new();
        for (term, id) in &terms {
            let line = &lines[*id as usize];
            if shard.is_empty() {
                keys.push(if keys.is_empty() { "" } else { term });
            }
            shard.push_str(line);
            if shard.len() >= SHARD_BYTES {
                files.push(shard_file(files.len(), &std::mem::take(&mut shard)));
            }
        }
        if !shard.is_empty() {
            files.push(shard_file(files.len(), &shard));
        }
        for (_, bytes) in &files {
            version = version.rotate_left(5) ^ xxh3_64(bytes);
        }
        let manifest = serde_json::json!({
            "v": format!("{version:016x}"),
            "sections": sections,
            "chunk": CHUNK_PAGES,
            "shards": keys,
        });
        files.push((
            format!("{DIR}/manifest.js"),
            script("manifest", &manifest.to_string()).into_bytes(),
        ));
        files
    }
}

/// The shard lines of the terms numbered `ids` (`by_id` names them), in that order:
/// `term postings [df]`, where the postings are in page and section order and only the
/// heaviest `MAX_POSTINGS` are kept, the real document frequency then following.
fn term_lines(
    ids: std::ops::Range<usize>,
    by_id: &[&str],
    (pages, blocks): (&[PageIndex], &[Vec<u8>]),
) -> Vec<String> {
    let mut lists = vec![String::new(); ids.len()];
    let mut df = vec![0usize; ids.len()];
    let mut last = vec![0u64; ids.len()];
    for (page, p) in pages.iter().enumerate() {
        let page = page as u64;
        let (block, bytes) = &p.postings;
        each_posting(&blocks[*block][bytes.clone()], |term, section, weight| {
            if term < ids.start {
                return true;
            }
            if term >= ids.end {
                return false;
            }
            let k = term - ids.start;
            let list = &mut lists[k];
            varint(page - last[k], list);
            varint(section, list);
            varint(weight, list);
            last[k] = page;
            df[k] += 1;
            true
        });
    }
    by_id[ids]
        .iter()
        .zip(lists)
        .zip(df)
        .map(|((term, list), df)| {
            let mut line = String::with_capacity(term.len() + list.len() + 8);
            line.push_str(term);
            line.push(' ');
            if df > MAX_POSTINGS {
                line.push_str(&heaviest(&list));
                line.push(' ');
                line.push_str(&df.to_string());
            } else {
                line.push_str(&list);
            }
            line.push('\n');
            line
        })
        .collect()
}

fn leb128(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Calls `f(term, section, weight)` for each of a page's packed postings (in term order)
/// until it returns false.
fn each_posting(packed: &[u8], mut f: impl FnMut(usize, u64, u64) -> bool) {
    let mut bytes = packed.iter();
    let mut next = || {
        let (mut n, mut shift) = (0u64, 0);
        for &b in bytes.by_ref() {
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
            shift += 7;
        }
        None
    };
    let mut term = 0;
    while let Some(delta) = next() {
        term += delta;
        let (section, weight) = (next().unwrap_or(0), next().unwrap_or(0));
        if !f(term as usize, section, weight) {
            return;
        }
    }
}

fn shard_file(n: usize, lines: &str) -> (String, Vec<u8>) {
    let key = format!("t/{n}");
    let data = serde_json::to_string(lines).expect("a string serialises");
    (format!("{DIR}/{key}.js"), script(&key, &data).into_bytes())
}

fn script(key: &str, data: &str) -> String {
    format!("__syllabusSearch(\"{key}\",{data});\n")
}

/// The heaviest `MAX_POSTINGS` of an encoded posting list (ties to the earlier page, so the
/// choice is deterministic), still in page order.
fn heaviest(list: &str) -> String {
    let mut postings = decode_postings(list);
    let heavier = |p: &(u64, u64, u64)| (std::cmp::Reverse(p.2), p.0, p.1);
    postings.select_nth_unstable_by_key(MAX_POSTINGS - 1, heavier);
    postings.truncate(MAX_POSTINGS);
    postings.sort_unstable();
    encode_postings(&postings)
}

/// (page, section, weight) triples in page order, as varints of the page delta, section and
/// weight.
fn encode_postings(postings: &[(u64, u64, u64)]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    let mut last = 0;
    for &(page, section, weight) in postings {
        varint(page - last, &mut out);
        varint(section, &mut out);
        varint(weight, &mut out);
        last = page;
    }
    out
}

fn decode_postings(list: &str) -> Vec<(u64, u64, u64)> {
    let mut numbers = Vec::with_capacity(list.len());
    let (mut n, mut shift) = (0u64, 0);
    for b in list.bytes() {
        let d = DIGITS.iter().position(|&x| x == b).unwrap_or(0) as u64;
        n |= (d & 31) << shift;
        shift += 5;
        if d < 32 {
            numbers.push(n);
            (n, shift) = (0, 0);
        }
    }
    let mut page = 0;
    numbers
        .chunks_exact(3)
        .map(|c| {
            page += c[0];
            (page, c[1], c[2])
        })
        .collect()
}

const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Five bits per character, low bits first; the first 32 digits end a number, the last 32
/// say more follow.
fn varint(mut n: u64, out: &mut String) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low] as char);
            return;
        }
        out.push(DIGITS[low + 32] as char);
    }
}

/// The page's fragment: `{"t": title, "u": url, "s": [[anchor, heading, text], …]}`.
fn fragment(title: &str, url: &str, sections: &[Section]) -> String {
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
fn fragment_file(chunk: usize, parts: &[Option<String>]) -> Vec<u8> {
    let parts: Vec<&str> = parts
        .iter()
        .map(|p| p.as_deref().unwrap_or("null"))
        .collect();
    script(&format!("p/{chunk}"), &format!("[{}]", parts.join(","))).into_bytes()
}

/// Fragments wait here until their chunk is complete. Pages render in parallel but each thread
/// takes a run of neighbouring pages, so few chunks are ever waiting.
#[derive(Default)]
struct Chunks(Mutex<HashMap<usize, PendingChunk, FxBuildHasher>>);

/// A chunk's fragments so far: how many have arrived, and each page's slot.
type PendingChunk = (usize, Vec<Option<String>>);

impl Chunks {
    /// Adds page `id`'s fragment; returns its chunk when that is complete.
    fn add(&self, id: usize, fragment: String) -> Option<(usize, Vec<Option<String>>)> {
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
    fn rest(self) -> Vec<(usize, Vec<Option<String>>)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, |t| out.push(t.to_string()));
        out
    }

    /// Decodes a shard line back to (term, [(page, section, weight)], df).
    fn decode(line: &str) -> (String, Vec<(u64, u64, u64)>, Option<usize>) {
        let mut parts = line.split(' ');
        let term = parts.next().unwrap().to_string();
        let postings = decode_postings(parts.next().unwrap());
        (term, postings, parts.next().map(|d| d.parse().unwrap()))
    }

    fn index(pages: &[(&str, &str)]) -> std::collections::BTreeMap<String, Vec<u8>> {
        let out = Output::default();
        let indexer = Indexer::default();
        let facts: Vec<PageIndex> = pages
            .iter()
            .enumerate()
            .map(|(i, (title, html))| indexer.page(i, title, &format!("p{i}/"), html, &out))
            .collect();
        indexer.write(facts, &out);
        out.into_files()
    }

    /// Every term line of every shard, decoded.
    fn lines(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<String> {
        let mut out = Vec::new();
        for (path, bytes) in files {
            if path.starts_with("assets/search/t/") {
                let text = String::from_utf8(bytes.clone()).unwrap();
                let json = &text[text.find(',').unwrap() + 1..text.rfind(')').unwrap()];
                let data: String = serde_json::from_str(json).unwrap();
                out.extend(data.lines().map(str::to_string));
            }
        }
        out
    }

    fn postings(
        files: &std::collections::BTreeMap<String, Vec<u8>>,
        term: &str,
    ) -> Vec<(u64, u64, u64)> {
        lines(files)
            .iter()
            .map(|l| decode(l))
            .find(|(t, _, _)| t == term)
            .map(|(_, p, _)| p)
            .unwrap_or_default()
    }

    const LESSON: &str = concat!(
        "<p>Intro about layers.</p>\n",
        "<h2 id=\"build-cache\">Build cache<a class=\"anchor\" href=\"#build-cache\" aria-hidden=\"true\">#</a></h2>\n",
        "<p>The <strong>cache</strong> makes rebuilds fast &amp; cheap.</p>\n",
        "<div class=\"code-block\"><pre class=\"code\"><code><span class=\"line\">RUN pip install uvicorn</span>\n",
        "<span class=\"line\">docker-compose up</span>\n</code></pre><button class=\"copy-button\">Copy</button></div>\n",
        "<h3 id=\"check\">Check</h3>\n",
        "<section class=\"quiz\" data-quiz><p class=\"quiz-title\">Quiz</p><form><fieldset><legend>Which flag?</legend><details class=\"quiz-answer\"><summary>Show answer</summary><p>secretanswer</p></details></fieldset></form></section>\n",
        "<details><summary>Hint</summary><p>Look at <code>--no-cache</code>.</p></details>\n",
        "<h4>Deeper</h4><p>More text.</p>",
    );

    #[test]
    fn sections_split_at_headings_with_ids() {
        let s = sections(LESSON);
        let anchors: Vec<&str> = s.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["", "build-cache", "check"]);
        assert_eq!(collapse(&s[0].text), "Intro about layers.");
        assert_eq!(s[1].heading, "Build cache", "the anchor's # is not text");
        assert_eq!(
            collapse(&s[1].text),
            "The cache makes rebuilds fast & cheap. RUN pip install uvicorn docker-compose up",
            "code is text; the copy button is not"
        );
        assert_eq!(s[2].heading, "Check");
        assert_eq!(s[2].subheadings, "Deeper");
        assert_eq!(
            collapse(&s[2].text),
            "Hint Look at --no-cache. Deeper More text."
        );
    }

    #[test]
    fn quizzes_and_their_answers_are_not_indexed() {
        let s = sections(LESSON);
        let all: String = s
            .iter()
            .map(|s| format!("{} {}", s.heading, s.text))
            .collect();
        assert!(
            !all.contains("secretanswer") && !all.contains("Which flag"),
            "{all}"
        );
        let stray = "<details class=\"quiz-answer\"><summary>Show</summary><p>answer42</p><details><p>x</p></details></details><p>after</p>";
        assert_eq!(collapse(&sections(stray)[0].text), "after");
    }

    #[test]
    fn terms_are_lowercased_stemmed_and_compounds_kept() {
        assert_eq!(
            terms("Docker-Compose builds the images; uv runs requirements.txt."),
            [
                "docker",
                "compose",
                "docker-compose",
                "build",
                "image",
                "uv",
                "run",
                "requirement",
                "txt",
                "requirements.txt"
            ]
        );
        assert_eq!(
            terms("a I 8080 1234567 x86_64"),
            ["8080", "x86", "64", "x86_64"]
        );
        assert_eq!(stem("classes"), "class");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("policies"), "policy");
        assert_eq!(stem("analysis"), "analysis");
    }

    #[test]
    fn headings_and_titles_weigh_more_than_body_text() {
        let files = index(&[
            (
                "Networking",
                "<p>cache</p><h2 id=\"x\">Other</h2><p>cache cache</p>",
            ),
            ("Caching", "<h2 id=\"cache\">Cache</h2><p>words</p>"),
        ]);
        let p = postings(&files, "cache");
        let w = |page, section| {
            p.iter()
                .find(|x| (x.0, x.1) == (page, section))
                .map(|x| x.2)
                .unwrap()
        };
        assert!(w(1, 1) > w(0, 1), "a heading beats body text: {p:?}");
        assert!(w(0, 1) > w(0, 0), "more occurrences weigh more: {p:?}");
        let title = postings(&files, "networking");
        assert_eq!(title.len(), 2, "the title is part of every section");
        assert!(
            title[0].2 > title[1].2,
            "mostly of the page's top: {title:?}"
        );
    }

    #[test]
    fn code_is_searchable_and_navigation_never_seen() {
        let files = index(&[("Lesson", LESSON)]);
        assert_eq!(postings(&files, "uvicorn"), [(0, 1, 3)]);
        assert_eq!(postings(&files, "docker-compose").len(), 1);
        assert!(postings(&files, "secretanswer").is_empty());
        assert!(postings(&files, "copy").is_empty());
        let fragment = String::from_utf8(files["assets/search/p/0.js"].clone()).unwrap();
        assert!(
            fragment.starts_with("__syllabusSearch(\"p/0\",[{"),
            "{fragment}"
        );
        assert!(fragment.contains("[\"build-cache\",\"Build cache\",\"The cache makes"));
    }

    #[test]
    fn fragments_come_eight_pages_to_a_file() {
        let pages: Vec<(String, String)> = (0..10)
            .map(|i| (format!("Page {i}"), format!("<p>text {i}</p>")))
            .collect();
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let files = index(&refs);
        let chunk = |n: usize| -> serde_json::Value {
            let text =
                String::from_utf8(files[&format!("assets/search/p/{n}.js")].clone()).unwrap();
            serde_json::from_str(&text[text.find(',').unwrap() + 1..text.rfind(')').unwrap()])
                .unwrap()
        };
        let (first, last) = (chunk(0), chunk(1));
        assert_eq!(first.as_array().unwrap().len(), 8);
        assert_eq!(first[7]["t"], "Page 7");
        assert_eq!(first[7]["u"], "p7/");
        assert_eq!(last[1]["s"][0][2], "text 9");
        assert!(last[2].is_null(), "{last}");
        assert!(!files.contains_key("assets/search/p/2.js"));
    }

    #[test]
    fn shards_are_deterministic_sorted_and_split_by_size() {
        let pages: Vec<(String, String)> = (0..300)
            .map(|i| {
                let body: String = (0..40)
                    .map(|j| format!("<p>word{} term{} common</p>", (i * 7 + j) % 997, j))
                    .collect();
                (
                    format!("Lesson {i}"),
                    format!("<h2 id=\"s\">Part</h2>{body}"),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let a = index(&refs);
        let b = index(&refs);
        assert_eq!(a, b, "same pages, same files");
        let shards = a
            .keys()
            .filter(|k| k.starts_with("assets/search/t/"))
            .count();
        assert!(shards > 1, "{shards} shards");
        let terms: Vec<String> = lines(&a).iter().map(|l| decode(l).0).collect();
        let mut sorted = terms.clone();
        sorted.sort();
        assert_eq!(terms, sorted);
        let manifest = String::from_utf8(a["assets/search/manifest.js"].clone()).unwrap();
        assert!(manifest.contains("\"sections\":600"), "{manifest}");
        let (_, common, df) = decode(lines(&a).iter().find(|l| l.starts_with("common ")).unwrap());
        assert_eq!((common.len(), df), (300, None));
    }

    #[test]
    fn very_common_terms_keep_their_heaviest_postings() {
        let postings: Vec<(u64, u64, u64)> = (0..2000).map(|p| (p, p % 3, p % 7 + 1)).collect();
        assert_eq!(decode_postings(&encode_postings(&postings)), postings);
        let kept = decode_postings(&heaviest(&encode_postings(&postings)));
        assert_eq!(kept.len(), MAX_POSTINGS);
        assert!(kept.iter().all(|x| x.2 >= 2), "the lightest went first");
        assert!(
            kept.windows(2).all(|w| w[0].0 < w[1].0),
            "still in page order"
        );
        let pages: Vec<(String, String)> = (0..MAX_POSTINGS + 10)
            .map(|i| {
                (
                    format!("P{i}"),
                    format!("<p>common {}</p>", "x ".repeat(i % 5)),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let line = lines(&index(&refs))
            .into_iter()
            .find(|l| l.starts_with("common "))
            .unwrap();
        let (_, kept, df) = decode(&line);
        assert_eq!((kept.len(), df), (MAX_POSTINGS, Some(MAX_POSTINGS + 10)));
    }
}
