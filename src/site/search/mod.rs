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

mod encoding;
mod files;
mod sections;
mod state;
mod terms;

use crate::output::Sink;
use crate::site_path::SitePath;
use encoding::{each_posting, leb128, varint, MAX_POSTINGS};
use files::{fragment, fragment_file, script, shard_file, Chunks, CHUNK_PAGES, SHARD_BYTES};
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use sections::{sections, Section};
use state::{Change, StateWriter, RESERVE};
pub(crate) use state::{PageKey, Previous};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
pub(crate) use terms::for_each_term;
use xxhash_rust::xxh3::xxh3_64;

/// Where the index files go, relative to the site root.
pub(crate) const DIR: &str = crate::output::SEARCH_DIR;
/// The vocabulary's lines are made in this many windows (see `Indexer::finish`): more hold
/// less at once, each costs one pass over every page's postings.
const FINISH_WINDOWS: usize = 16;

/// What indexing one page leaves for the index files: where its postings are, no text.
#[derive(Debug, Default)]
pub(crate) struct PageIndex {
    /// Block and byte range in `Indexer::postings`.
    postings: (usize, std::ops::Range<usize>),
    sections: usize,
    /// Of the page's fragment file, for the index version.
    hash: u64,
    /// What the page was indexed from, for the next build's patch ([`state`]).
    key: PageKey,
}

/// What indexing finds in one page, before its terms are numbered across the site: a pure
/// function of the page's title, URL and body ([`analyse`]), so the build cache keeps it.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PageText {
    /// The page's distinct terms, one after another, in the order first met.
    terms: String,
    /// Where each term of `terms` ends.
    ends: Vec<u32>,
    /// (term, section, weight) by the term's place in `ends`, section by section.
    postings: Vec<(u32, u16, u16)>,
    sections: usize,
    /// The page's entry in its chunk file (title, URL, sections' start).
    fragment: String,
}

/// What the index needs of a page whose text is the one the previous build indexed: its
/// entry in its chunk file, and its number of sections (the build cache keeps it apart from
/// the page's terms, so that a rebuild reads only this of most pages).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Fragment {
    fragment: String,
    sections: usize,
}

impl PageText {
    /// The page's [`Fragment`].
    pub(crate) fn fragment(&self) -> Fragment {
        Fragment {
            fragment: self.fragment.clone(),
            sections: self.sections,
        }
    }

    /// Calls `f(term, section, weight)` for each of the page's postings.
    fn each_posting<'t>(&'t self, mut f: impl FnMut(&'t str, u64, u64)) {
        for &(n, section, weight) in &self.postings {
            let n = n as usize;
            let start = match n {
                0 => 0,
                _ => self.ends.get(n - 1).copied().unwrap_or(0) as usize,
            };
            let end = self.ends.get(n).copied().unwrap_or(0) as usize;
            if let Some(term) = self.terms.get(start..end) {
                f(term, u64::from(section), u64::from(weight));
            }
        }
    }

    /// What tells this text from another (for a page the build cache has no key of).
    fn ident(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(self.terms.as_bytes());
        for end in &self.ends {
            h.update(&end.to_le_bytes());
        }
        for &(n, section, weight) in &self.postings {
            h.update(&n.to_le_bytes());
            h.update(&section.to_le_bytes());
            h.update(&weight.to_le_bytes());
        }
        h.update(&(self.sections as u64).to_le_bytes());
        h.update(self.fragment.as_bytes());
        h.digest().max(1)
    }
}

/// A page's terms, weighed by section, and its fragment.
pub(crate) fn analyse(title: &str, url: &str, html: &str) -> PageText {
    let sections = sections(html);
    let mut text = SCRATCH.with(|scratch| terms(title, &sections, &mut scratch.borrow_mut()));
    text.sections = sections.len();
    text.fragment = fragment(title, url, &sections);
    text
}

/// A page's terms and postings (numbered by the page), made with `scratch`.
fn terms(title: &str, sections: &[Section], scratch: &mut Scratch) -> PageText {
    scratch.clear();
    let Scratch {
        local,
        hits,
        touched,
        postings,
        title: title_terms,
        ..
    } = scratch;
    let mut text = PageText::default();
    // The page's terms, by their 64-bit hash, numbered in the order first met.
    let mut number = |term: &str| -> usize {
        let key = xxh3_64(term.as_bytes());
        if let Some(&n) = local.get(&key) {
            return n;
        }
        let n = text.ends.len();
        text.terms.push_str(term);
        text.ends.push(text.terms.len() as u32);
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
    text.postings = postings
        .iter()
        .map(|&x| ((x >> 32) as u32, (x >> 16) as u16, x as u16))
        .collect();
    text
}

/// Gives terms numbers across threads while pages are indexed in parallel.
pub(crate) struct Indexer {
    shards: Vec<Mutex<Terms>>,
    next: AtomicU32,
    fragments: Chunks,
    postings: Blocks,
    /// The index to leave for the next build (see [`state`]) is made (with the build
    /// cache).
    keeps_state: bool,
    /// The index the previous build kept: while it is there, a page indexed from the same
    /// text as then is not indexed again, and a changed page's text is held for the patch.
    previous: Option<Previous>,
    /// Pages not indexed again (their text was the previous build's).
    skipped: Mutex<Vec<usize>>,
    /// The changed pages' texts, by page.
    held: Mutex<Vec<(usize, PageText)>>,
    /// The most pages a patch takes; beyond them every page is indexed in full.
    limit: usize,
    /// Set once more pages changed than a patch takes.
    full: std::sync::atomic::AtomicBool,
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
            keeps_state: false,
            previous: None,
            skipped: Mutex::default(),
            held: Mutex::default(),
            limit: 0,
            full: Default::default(),
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
    /// Each term's postings' place in `postings` ([`by_term`]).
    order: Vec<(u32, usize, usize)>,
    packed: Vec<u8>,
}

impl Scratch {
    fn clear(&mut self) {
        self.local.clear();
        self.global.clear();
        self.touched.clear();
        self.postings.clear();
        self.title.clear();
        self.order.clear();
        self.packed.clear();
        // `hits` is left all default by every page.
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Groups a page's `postings` (term, section, weight: section by section) by term, in
/// `out` as section << 16 | weight, each term's in section order; `groups` gets each of the
/// `terms` terms' (term, start, end) in `out`, in term order (a counting sort: no
/// comparisons).
fn by_term(
    postings: &[(u32, u16, u16)],
    terms: usize,
    out: &mut Vec<u64>,
    groups: &mut Vec<(u32, usize, usize)>,
) {
    let mut starts = vec![0usize; terms + 1];
    for &(n, _, _) in postings {
        if let Some(count) = starts.get_mut(n as usize + 1) {
            *count += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    groups.clear();
    groups.extend((0..terms).map(|n| (n as u32, starts[n], starts[n + 1])));
    out.clear();
    out.resize(starts[terms], 0);
    for &(n, section, weight) in postings.iter().filter(|p| (p.0 as usize) < terms) {
        let at = &mut starts[n as usize];
        out[*at] = u64::from(section) << 16 | u64::from(weight);
        *at += 1;
    }
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

    /// Indexes one page's rendered body; writes its fragment file to `sink`.
    #[cfg(test)]
    pub(crate) fn page(
        &self,
        id: usize,
        title: &str,
        url: &str,
        html: &str,
        sink: &dyn Sink,
    ) -> PageIndex {
        self.add(id, None, &analyse(title, url, html), sink)
    }

    /// An indexer that makes the index to keep for the next build (see [`state`]), and
    /// patches `previous`, the one the last build kept, where it can.
    pub(crate) fn keeping(previous: Option<Previous>) -> Indexer {
        let limit = previous.as_ref().map_or(0, |p| 64 + p.pages.len() / 64);
        Indexer {
            keeps_state: true,
            previous,
            limit,
            ..Indexer::default()
        }
    }

    /// Indexes one page from what [`analyse`] found in it (`key`: the build cache's key of
    /// that text, if any); writes its fragment file to `sink`.
    pub(crate) fn add(
        &self,
        id: usize,
        key: Option<u64>,
        text: &PageText,
        sink: &dyn Sink,
    ) -> PageIndex {
        // What the page was indexed from matters only to an index kept for the next build.
        let key = match self.keeps_state {
            true => PageKey {
                ident: key.unwrap_or_else(|| text.ident()).max(1),
                fetch: key.unwrap_or(0),
            },
            false => PageKey::default(),
        };
        let postings = if self.left_for_patch(id, key, text) {
            (0, 0..0)
        } else {
            self.pack(text)
        };
        let hash = self.add_fragment(id, text.fragment.clone(), sink);
        PageIndex {
            postings,
            sections: text.sections,
            hash,
            key,
        }
    }

    /// True when page `id`'s text, of the build cache's `key`, is the one the previous build
    /// indexed, so that [`Indexer::add_unchanged`] takes its [`Fragment`] alone.
    pub(crate) fn unchanged(&self, id: usize, key: u64) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        !self.full.load(Ordering::Relaxed)
            && key != 0
            && previous.pages.get(id).is_some_and(|p| p.ident == key)
    }

    /// Adds page `id`, whose text (of the build cache's `key`) is the one the previous build
    /// indexed ([`Indexer::unchanged`]), from its fragment: its postings are left to the
    /// patch (and read back by their key should the patch not be made).
    pub(crate) fn add_unchanged(
        &self,
        id: usize,
        key: u64,
        fragment: Fragment,
        sink: &dyn Sink,
    ) -> PageIndex {
        lock(&self.skipped).push(id);
        let hash = self.add_fragment(id, fragment.fragment, sink);
        PageIndex {
            postings: (0, 0..0),
            sections: fragment.sections,
            hash,
            key: PageKey {
                ident: key,
                fetch: key,
            },
        }
    }

    /// Adds page `id`'s entry to its chunk file, written to `sink` once the chunk is
    /// complete; returns the entry's hash (for the index version).
    fn add_fragment(&self, id: usize, fragment: String, sink: &dyn Sink) -> u64 {
        let hash = xxh3_64(fragment.as_bytes());
        if let Some((chunk, parts)) = self.fragments.add(id, fragment) {
            let path = SitePath::generated(&format!("{DIR}/p/{chunk}.js"));
            sink.put(&path, fragment_file(chunk, &parts));
        }
        hash
    }

    /// True when page `id`'s postings are left to the patch of the previous index: its
    /// text is the one the previous build indexed (and can be read back from the build
    /// cache should the patch not be made), or it changed and is held, one of at most
    /// `limit` such pages.
    fn left_for_patch(&self, id: usize, key: PageKey, text: &PageText) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        if self.full.load(Ordering::Relaxed) {
            return false;
        }
        if previous.pages.get(id).is_some_and(|p| p.ident == key.ident) {
            if key.fetch == 0 {
                return false;
            }
            lock(&self.skipped).push(id);
            return true;
        }
        let mut held = lock(&self.held);
        if held.len() < self.limit {
            held.push((id, text.clone()));
            return true;
        }
        self.full.store(true, Ordering::Relaxed);
        false
    }

    /// Numbers the page's terms and packs its postings by term number.
    fn pack(&self, text: &PageText) -> (usize, std::ops::Range<usize>) {
        let packed = SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            scratch.clear();
            let Scratch {
                global,
                postings,
                order,
                packed,
                ..
            } = scratch;
            let mut start = 0;
            for &end in &text.ends {
                let term = text.terms.get(start..end as usize).unwrap_or("");
                global.push(self.intern(term, xxh3_64(term.as_bytes())));
                start = end as usize;
            }
            // Each term's postings together, their sections in order (the page's postings
            // come section by section), then the terms by number: sorting the terms, not
            // every posting (sorting the postings was 6% of a rebuild).
            by_term(&text.postings, global.len(), postings, order);
            let mut groups: Vec<(u32, usize, usize)> = order
                .iter()
                .filter_map(|&(n, from, to)| Some((*global.get(n as usize)?, from, to)))
                .collect();
            groups.sort_unstable();
            let mut packed = std::mem::take(packed);
            let mut last = 0;
            for (term, from, to) in groups {
                for &x in &postings[from..to] {
                    leb128(u64::from(term) - last, &mut packed);
                    leb128((x >> 16) & 0xffff, &mut packed);
                    leb128(x & 0xffff, &mut packed);
                    last = u64::from(term);
                }
            }
            packed
        });
        let postings = self.postings.keep(&packed);
        SCRATCH.with(|scratch| scratch.borrow_mut().packed = packed);
        postings
    }

    /// Writes the manifest and the term shards; `pages` in page order, one per page.
    #[cfg(test)]
    pub(crate) fn write(self, pages: Vec<PageIndex>, sink: &dyn Sink) {
        let _ = self.write_unless(pages, sink, &|| false, &|_| None, &mut std::io::sink());
    }

    /// [`Indexer::write`], stopping at the next fragment file or window of terms once
    /// `cancelled` says so (then the index written is incomplete and has no manifest).
    /// `fetch` reads a changed page's old text back from the build cache by its key, for the
    /// patch. The index to keep for the next build (with [`Indexer::keeping`]) is written to
    /// `keep`; returns what became of it, or [`Unpatched`].
    pub(crate) fn write_unless(
        mut self,
        pages: Vec<PageIndex>,
        sink: &dyn Sink,
        cancelled: &(dyn Fn() -> bool + Sync),
        fetch: &Fetch<'_>,
        keep: &mut dyn std::io::Write,
    ) -> Result<KeptIndex, Unpatched> {
        for (chunk, parts) in std::mem::take(&mut self.fragments).rest() {
            if cancelled() {
                return Ok(KeptIndex::Not);
            }
            let path = SitePath::generated(&format!("{DIR}/p/{chunk}.js"));
            sink.put(&path, fragment_file(chunk, &parts));
        }
        self.finish(pages, sink, cancelled, fetch, keep)
    }

    /// Writes the term shards to `sink` as each fills, then the manifest: by patching the
    /// previous build's index where there is one and the patch can be made ([`state`]),
    /// else from every page's postings. The term lines are made a window of the sorted
    /// vocabulary at a time (as many windows at once as there are threads), each from one
    /// pass over the pages' postings, and let go once in their shard: only the windows being
    /// made are in memory, never the whole index (issue 15: making every line first was the
    /// largest allocation at the end of a large build).
    fn finish(
        mut self,
        mut pages: Vec<PageIndex>,
        sink: &dyn Sink,
        cancelled: &(dyn Fn() -> bool + Sync),
        fetch: &Fetch<'_>,
        keep: &mut dyn std::io::Write,
    ) -> Result<KeptIndex, Unpatched> {
        let sections: usize = pages.iter().map(|p| p.sections).sum();
        let version = pages
            .iter()
            .fold(sections as u64, |v, p| v.rotate_left(5) ^ p.hash);
        if let Some(previous) = self.previous.take() {
            let held = std::mem::take(&mut *lock(&self.held));
            if !self.full.load(Ordering::Relaxed) {
                let mut shards = ShardWriter::new(version, sink);
                if let Some(kept) = patched(&previous, &pages, &held, &mut shards, fetch, keep) {
                    write_manifest(shards, sections, sink);
                    return Ok(kept);
                }
            }
            if !lock(&self.skipped).is_empty() {
                return Err(Unpatched);
            }
            for (id, text) in held {
                if let Some(page) = pages.get_mut(id) {
                    page.postings = self.pack(&text);
                }
            }
        }
        let keys: Option<Vec<PageKey>> = self
            .keeps_state
            .then(|| pages.iter().map(|p| p.key).collect());
        let mut terms: Vec<(Box<str>, u32)> = self
            .shards
            .into_iter()
            .flat_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).terms)
            .collect();
        terms.par_sort_unstable();
        // A term's number → its place in the sorted vocabulary.
        let mut rank = vec![0u32; terms.len()];
        for (r, (_, id)) in terms.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        let window = terms.len().div_ceil(FINISH_WINDOWS).max(1);
        let starts: Vec<usize> = (0..terms.len()).step_by(window).collect();
        let by_window = ByWindow::new(self.postings.into_inner(), &pages, &rank, window);
        let mut shards = ShardWriter::new(version, sink);
        let mut state = keys.as_deref().map(|keys| StateWriter::new(keys, keep));
        let keeping = state.is_some();
        for group in starts.chunks(rayon::current_num_threads().max(1)) {
            if cancelled() {
                return Ok(KeptIndex::Not);
            }
            let made: Vec<Vec<Line>> = group
                .par_iter()
                .map(|&start| {
                    let ranks = start..(start + window).min(terms.len());
                    term_lines(ranks, &terms, &by_window, start / window, keeping)
                })
                .collect();
            for (&start, lines) in group.iter().zip(made) {
                for (i, line) in lines.into_iter().enumerate() {
                    let term = &terms[start + i].0;
                    shards.push(term, &line.line);
                    if let Some(state) = &mut state {
                        state.push(term, &line.line, line.df as u64, &line.stored);
                    }
                }
            }
        }
        write_manifest(shards, sections, sink);
        Ok(match state.map(StateWriter::finish) {
            Some(true) => KeptIndex::Written,
            _ => KeptIndex::Not,
        })
    }
}

/// Reads a page's text back from the build cache by its key.
pub(crate) type Fetch<'f> = dyn Fn(u64) -> Option<PageText> + Sync + 'f;

/// The pages whose text was the previous build's were left to a patch of its index that
/// could not be made (see [`state`]): nothing is written but their fragment files; index
/// every page again with a new indexer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unpatched;

/// What became of the index a build keeps for the next one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeptIndex {
    /// Written whole.
    Written,
    /// The previous build's, as it was (no page changed): nothing written.
    Same,
    /// Not written whole (none kept, or the build was stopped, or writing failed).
    Not,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The previous index patched with the pages whose text changed (`held`: their new texts;
/// their old ones are read back by `fetch`), its lines put in `shards`; the index to keep.
/// None, with nothing put, when the patch cannot be made: another number of pages, an old
/// text that cannot be read back, or a very common term whose reserve ran out.
fn patched(
    previous: &Previous,
    pages: &[PageIndex],
    held: &[(usize, PageText)],
    shards: &mut ShardWriter<'_>,
    fetch: &Fetch<'_>,
    keep: &mut dyn std::io::Write,
) -> Option<KeptIndex> {
    if previous.pages.len() != pages.len() {
        return None;
    }
    let held: HashMap<usize, &PageText, FxBuildHasher> =
        held.iter().map(|(id, text)| (*id, text)).collect();
    let mut old_texts = Vec::new();
    let mut changed = Vec::new();
    for (id, (then, now)) in previous.pages.iter().zip(pages).enumerate() {
        if then.ident == now.key.ident {
            continue;
        }
        let old = match then.ident {
            0 => None,
            _ => Some(fetch(then.fetch)?),
        };
        let new = match now.key.ident {
            0 => None,
            _ => Some(*held.get(&id)?),
        };
        old_texts.push(old);
        changed.push((id, new));
    }
    let changes: Vec<Change<'_>> = changed
        .iter()
        .zip(&old_texts)
        .map(|(&(page, new), old)| Change {
            page,
            old: old.as_ref(),
            new,
        })
        .collect();
    if changes.is_empty() {
        state::patch(previous, &[], |term, line, _, _| shards.push(term, line))?;
        return Some(KeptIndex::Same);
    }
    let keys: Vec<PageKey> = pages.iter().map(|p| p.key).collect();
    let mut state = StateWriter::new(&keys, keep);
    state::patch(previous, &changes, |term, line, df, stored| {
        shards.push(term, line);
        state.push(term, line, df, stored);
    })?;
    Some(match state.finish() {
        true => KeptIndex::Written,
        false => KeptIndex::Not,
    })
}

/// Writes the last term shard and the manifest.
fn write_manifest(shards: ShardWriter<'_>, sections: usize, sink: &dyn Sink) {
    let (version, keys) = shards.finish();
    let manifest = serde_json::json!({
        "v": format!("{version:016x}"),
        "sections": sections,
        "chunk": CHUNK_PAGES,
        "shards": keys,
    });
    let manifest = script("manifest", &manifest.to_string()).into_bytes();
    sink.put(
        &SitePath::generated(&format!("{DIR}/manifest.js")),
        manifest,
    );
}

/// Fills the term shards in vocabulary order and writes each once it holds `SHARD_BYTES`.
struct ShardWriter<'s> {
    /// The first term of each shard (the first shard's is empty).
    keys: Vec<String>,
    shard: String,
    version: u64,
    sink: &'s dyn Sink,
}

impl<'s> ShardWriter<'s> {
    fn new(version: u64, sink: &'s dyn Sink) -> ShardWriter<'s> {
        ShardWriter {
            keys: Vec::new(),
            shard: String::new(),
            version,
            sink,
        }
    }

    /// Adds `term`'s line.
    fn push(&mut self, term: &str, line: &str) {
        if self.shard.is_empty() {
            let key = if self.keys.is_empty() { "" } else { term };
            self.keys.push(key.to_string());
        }
        self.shard.push_str(line);
        if self.shard.len() >= SHARD_BYTES {
            self.put();
        }
    }

    fn put(&mut self) {
        let (path, bytes) = shard_file(self.keys.len() - 1, &self.shard);
        self.version = self.version.rotate_left(5) ^ xxh3_64(&bytes);
        self.sink.put(&SitePath::generated(&path), bytes);
        self.shard.clear();
    }

    /// Writes the last shard; returns the index version and the shards' first terms.
    fn finish(mut self) -> (u64, Vec<String>) {
        if !self.shard.is_empty() {
            self.put();
        }
        (self.version, self.keys)
    }
}

/// A page and where each window's postings start in its block (then where the last ends).
type PageWindows = (usize, Vec<u32>);

/// Every page's postings packed again by the terms' places in the sorted vocabulary, with
/// where each window of it starts in each page: a window's lines then read only its own
/// postings (with the postings packed by term number, each of the 16 windows decoded every
/// page's postings whole: the largest part of a rebuild's search index at 10,000 lessons).
struct ByWindow {
    blocks: Vec<Vec<u8>>,
    /// Per page: its block, and where each window's postings start in it, then where they
    /// end (`windows + 1` offsets).
    pages: Vec<(usize, Vec<u32>)>,
}

impl ByWindow {
    /// Packs the postings of `pages` (held in `blocks`, by term number) by their terms'
    /// places (`rank`), `window` places to a window, each window's first posting counted
    /// from place 0. One block at a time is repacked, in parallel.
    fn new(blocks: Vec<Vec<u8>>, pages: &[PageIndex], rank: &[u32], window: usize) -> ByWindow {
        let windows = rank.len().div_ceil(window.max(1));
        let mut in_block: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
        for (page, p) in pages.iter().enumerate() {
            if let Some(list) = in_block.get_mut(p.postings.0) {
                list.push(page);
            }
        }
        let repacked: Vec<(Vec<u8>, Vec<PageWindows>)> = blocks
            .into_par_iter()
            .zip(in_block)
            .map(|(block, list)| {
                let mut out = Vec::with_capacity(block.len() + block.len() / 8);
                let (mut flat, mut groups, mut sorted) = (Vec::new(), Vec::new(), Vec::new());
                let starts = list
                    .into_iter()
                    .map(|page| {
                        let bytes = pages[page].postings.1.clone();
                        // A term's postings are together, in section order: the terms are
                        // put in vocabulary order, not every posting (see `Indexer::add`).
                        flat.clear();
                        groups.clear();
                        sorted.clear();
                        let mut last = usize::MAX;
                        each_posting(block.get(bytes).unwrap_or(&[]), |term, section, weight| {
                            if term != last {
                                let r = rank.get(term).copied().unwrap_or(0);
                                groups.push((r, flat.len(), flat.len()));
                                last = term;
                            }
                            flat.push(section << 16 | weight);
                            if let Some(group) = groups.last_mut() {
                                group.2 = flat.len();
                            }
                            true
                        });
                        groups.sort_unstable();
                        for &(r, from, to) in &groups {
                            sorted.extend(flat[from..to].iter().map(|&x| u64::from(r) << 32 | x));
                        }
                        (page, pack_by_window(&sorted, window, windows, &mut out))
                    })
                    .collect();
                (out, starts)
            })
            .collect();
        let mut by_page = vec![(0, Vec::new()); pages.len()];
        let mut blocks = Vec::with_capacity(repacked.len());
        for (block, (bytes, starts)) in repacked.into_iter().enumerate() {
            for (page, offsets) in starts {
                by_page[page] = (block, offsets);
            }
            blocks.push(bytes);
        }
        ByWindow {
            blocks,
            pages: by_page,
        }
    }

    /// Calls `f(page, place, section, weight)` for each posting of window `w`, in page
    /// order, then place and section order.
    fn each(&self, w: usize, mut f: impl FnMut(u64, usize, u64, u64)) {
        for (page, (block, offsets)) in self.pages.iter().enumerate() {
            let (Some(&start), Some(&end)) = (offsets.get(w), offsets.get(w + 1)) else {
                continue;
            };
            let bytes = self.blocks[*block].get(start as usize..end as usize);
            each_posting(bytes.unwrap_or(&[]), |place, section, weight| {
                f(page as u64, place, section, weight);
                true
            });
        }
    }
}

/// Appends `sorted` (place << 32 | section << 16 | weight, in order) to `out` as LEB128
/// (place delta, section, weight), the delta restarting at each window; returns where each
/// of the `windows` windows starts in `out`, and where the last ends.
fn pack_by_window(sorted: &[u64], window: usize, windows: usize, out: &mut Vec<u8>) -> Vec<u32> {
    let mut offsets = Vec::with_capacity(windows + 1);
    let mut last = 0;
    for &x in sorted {
        let place = x >> 32;
        let w = place as usize / window;
        while offsets.len() <= w {
            offsets.push(out.len() as u32);
            last = 0;
        }
        leb128(place - last, out);
        leb128((x >> 16) & 0xffff, out);
        leb128(x & 0xffff, out);
        last = place;
    }
    while offsets.len() <= windows {
        offsets.push(out.len() as u32);
    }
    offsets
}

/// The shard lines of the terms at `ranks` of the sorted vocabulary `terms`, window `w` of
/// `by_window`, in that order: `term postings [df]`, where the postings are in page and
/// section order and only the heaviest `MAX_POSTINGS` are kept, the real document
/// frequency then following.
///
/// Three passes over the window's postings: each term's document frequency; the weights of
/// the terms above `MAX_POSTINGS`, which say which of their postings are kept ([`Cut`]);
/// the lines. (Writing every posting of a very common term, then decoding, selecting and
/// writing it again, was a fifth of a one-lesson rebuild's search index at 10,000 lessons.)
fn term_lines(
    ranks: std::ops::Range<usize>,
    terms: &[(Box<str>, u32)],
    by_window: &ByWindow,
    w: usize,
    keep: bool,
) -> Vec<Line> {
    let n = ranks.len();
    let low = ranks.start;
    let slot = |place: usize| place.checked_sub(low).filter(|&k| k < n);
    let mut df = vec![0usize; n];
    by_window.each(w, |_, place, _, _| {
        if let Some(k) = slot(place) {
            df[k] += 1;
        }
    });
    // The weights of each very common term, by weight.
    let mut weights: HashMap<usize, Vec<usize>, FxBuildHasher> = HashMap::default();
    for (k, _) in df.iter().enumerate().filter(|(_, &d)| d > MAX_POSTINGS) {
        weights.insert(k, Vec::new());
    }
    if !weights.is_empty() {
        by_window.each(w, |_, place, _, weight| {
            if let Some(counts) = slot(place).and_then(|k| weights.get_mut(&k)) {
                let weight = weight as usize;
                if counts.len() <= weight {
                    counts.resize(weight + 1, 0);
                }
                counts[weight] += 1;
            }
        });
    }
    // Per very common term: which postings its line shows, and (for the next build's
    // patch) which it keeps, the shown ones and a reserve.
    let mut cuts: HashMap<usize, (Cut, Cut), FxBuildHasher> = weights
        .into_iter()
        .map(|(k, counts)| {
            let kept = match keep {
                true => Cut::new(&counts, MAX_POSTINGS + RESERVE),
                false => Cut::none(),
            };
            (k, (Cut::new(&counts, MAX_POSTINGS), kept))
        })
        .collect();
    let mut lists = vec![String::new(); n];
    let mut last = vec![0u64; n];
    let mut stored: HashMap<usize, (Vec<u8>, u64), FxBuildHasher> = HashMap::default();
    by_window.each(w, |page, place, section, weight| {
        let Some(k) = slot(place) else {
            return;
        };
        if let Some((shown, kept)) = cuts.get_mut(&k) {
            if kept.keeps(weight) {
                let (bytes, last) = stored.entry(k).or_default();
                leb128(page - *last, bytes);
                leb128(section, bytes);
                leb128(weight, bytes);
                *last = page;
            }
            if !shown.keeps(weight) {
                return;
            }
        }
        let list = &mut lists[k];
        varint(page - last[k], list);
        varint(section, list);
        varint(weight, list);
        last[k] = page;
    });
    terms[ranks]
        .iter()
        .zip(lists)
        .zip(df)
        .enumerate()
        .map(|(k, (((term, _), list), df))| Line {
            line: state::line(term, &list, df),
            df,
            stored: stored
                .remove(&k)
                .map(|(bytes, _)| bytes)
                .unwrap_or_default(),
        })
        .collect()
}

/// A term's line, its document frequency and, for a very common term, the postings the
/// index keeps for the next build (see [`state`]).
struct Line {
    line: String,
    df: usize,
    stored: Vec<u8>,
}

/// Which postings of a very common term are kept, met in page and section order: the
/// `max` heaviest, ties going to the earlier page (then section), as [`heaviest`] chooses.
#[derive(Debug)]
struct Cut {
    /// Postings heavier than this are kept...
    weight: u64,
    /// ... and this many more of this weight, the first met.
    left: usize,
}

impl Cut {
    /// The cut for postings whose weights number `counts[weight]`.
    fn new(counts: &[usize], max: usize) -> Cut {
        let mut heavier = 0;
        for (weight, &count) in counts.iter().enumerate().rev() {
            if heavier + count >= max {
                return Cut {
                    weight: weight as u64,
                    left: max - heavier,
                };
            }
            heavier += count;
        }
        // Fewer than `max`: every one.
        Cut {
            weight: 0,
            left: usize::MAX,
        }
    }

    /// A cut that keeps nothing.
    fn none() -> Cut {
        Cut {
            weight: u64::MAX,
            left: 0,
        }
    }

    /// True when the next posting, of `weight`, is kept.
    fn keeps(&mut self, weight: u64) -> bool {
        if weight > self.weight {
            return true;
        }
        if weight == self.weight && self.left > 0 {
            self.left -= 1;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::encoding::{decode_postings, encode_postings, heaviest};
    use super::sections::tests::LESSON;
    use super::*;
    use crate::output::Output;

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
    fn a_cut_keeps_what_heaviest_keeps() {
        // Lists of many sizes and few distinct weights (ties everywhere), pseudo-random.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for size in [MAX_POSTINGS + 1, MAX_POSTINGS + 2, 1600, 2500, 4000] {
            for distinct in [1, 2, 5, 42] {
                let mut page = 0;
                let postings: Vec<(u64, u64, u64)> = (0..size)
                    .map(|_| {
                        page += next(3);
                        (page, next(4), next(distinct) + 1)
                    })
                    .collect();
                let mut postings = postings;
                postings.sort_unstable();
                postings.dedup_by_key(|p| (p.0, p.1));
                if postings.len() <= MAX_POSTINGS {
                    continue;
                }
                let mut counts = vec![0; 64];
                for p in &postings {
                    counts[p.2 as usize] += 1;
                }
                let mut cut = Cut::new(&counts, MAX_POSTINGS);
                let kept: Vec<(u64, u64, u64)> = postings
                    .iter()
                    .copied()
                    .filter(|p| cut.keeps(p.2))
                    .collect();
                assert_eq!(kept.len(), MAX_POSTINGS);
                assert_eq!(
                    kept,
                    heaviest(&postings, MAX_POSTINGS),
                    "{size} postings of {distinct} weights"
                );
            }
        }
    }

    #[test]
    fn very_common_terms_keep_their_heaviest_postings() {
        let postings: Vec<(u64, u64, u64)> = (0..2000).map(|p| (p, p % 3, p % 7 + 1)).collect();
        assert_eq!(decode_postings(&encode_postings(&postings)), postings);
        let kept = heaviest(&postings, MAX_POSTINGS);
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

    /// What [`index_kept`] did.
    struct Kept {
        files: std::collections::BTreeMap<String, Vec<u8>>,
        /// The index to keep for the next build.
        index: Vec<u8>,
        /// Old texts read back for the patch.
        reads: usize,
        /// Whether the index was written from the first indexer (patched, or made in full
        /// when no page was left to the patch), not by indexing every page again.
        patched: bool,
        /// Whether the previous index was kept as it was (no page changed).
        same: bool,
    }

    /// A build of `pages` with the build cache, as `Build` makes one: each page's text keyed
    /// by what it is made from (and kept in `cache`, as the build cache keeps it), a page
    /// indexed from the same text as before added from its fragment alone, `previous` the
    /// index the last build kept; every page indexed again when that cannot be patched.
    fn index_kept(
        pages: &[(String, String)],
        previous: Option<&[u8]>,
        cache: &Mutex<HashMap<u64, PageText>>,
    ) -> Kept {
        let out = Output::default();
        let add_all = |indexer: &Indexer| -> Vec<PageIndex> {
            pages
                .par_iter()
                .enumerate()
                .map(|(i, (title, html))| add_as_built(indexer, i, title, html, cache, &out))
                .collect()
        };
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let fetch = |key: u64| {
            reads.fetch_add(1, Ordering::Relaxed);
            cache.lock().unwrap().get(&key).cloned()
        };
        let indexer = Indexer::keeping(previous.and_then(|b| Previous::parse(b.to_vec())));
        let facts = add_all(&indexer);
        let mut index = Vec::new();
        let mut same = false;
        let patched = match indexer.write_unless(facts, &out, &|| false, &fetch, &mut index) {
            Ok(KeptIndex::Written) => true,
            Ok(KeptIndex::Same) => {
                assert!(index.is_empty(), "nothing written");
                index = previous.unwrap().to_vec();
                same = true;
                true
            }
            Ok(KeptIndex::Not) => panic!("no index kept"),
            Err(Unpatched) => {
                let again = Indexer::keeping(None);
                let facts = add_all(&again);
                index.clear();
                let kept = again.write_unless(facts, &out, &|| false, &fetch, &mut index);
                assert_eq!(kept, Ok(KeptIndex::Written));
                false
            }
        };
        Kept {
            files: out.into_files(),
            index,
            reads: reads.into_inner(),
            patched: patched && previous.is_some(),
            same,
        }
    }

    /// Adds page `i` to `indexer` as `Build` does: its text keyed by what it is made from
    /// (and kept in `cache`), from its fragment alone when the previous index has that text.
    fn add_as_built(
        indexer: &Indexer,
        i: usize,
        title: &str,
        html: &str,
        cache: &Mutex<HashMap<u64, PageText>>,
        out: &Output,
    ) -> PageIndex {
        let url = format!("p{i}/");
        let key = xxh3_64(format!("{title}\0{url}\0{html}").as_bytes());
        let text = analyse(title, &url, html);
        cache.lock().unwrap().insert(key, text.clone());
        if indexer.unchanged(i, key) {
            return indexer.add_unchanged(i, key, text.fragment(), out);
        }
        indexer.add(i, Some(key), &text, out)
    }

    /// Page `i` of 10 sections, each with `common` (in its heading too when `heavy`) or
    /// without, then `tail`.
    fn common_page(i: usize, heavy: bool, common: bool, tail: &str) -> (String, String) {
        let body: String = (0..10)
            .map(|s| match (common, heavy) {
                (true, true) => format!("<h2 id=\"s{s}\">Common</h2><p>common w{i}</p>"),
                (true, false) => format!("<h2 id=\"s{s}\">Part</h2><p>common w{i}</p>"),
                (false, _) => format!("<h2 id=\"s{s}\">Part</h2><p>w{i}</p>"),
            })
            .collect();
        (format!("Page {i}"), format!("{body}{tail}"))
    }

    fn as_refs(pages: &[(String, String)]) -> Vec<(&str, &str)> {
        pages
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect()
    }

    /// A course of `n` pages of 8 sections over a small vocabulary: `common` in every
    /// section (weighed by how often, so it has more postings than a line shows), words
    /// shared by a few pages, and one word of each page's own.
    fn course(n: usize, seed: u64) -> Vec<(String, String)> {
        let mut state = seed | 1;
        let mut next = move |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        (0..n)
            .map(|i| {
                let body: String = (0..8)
                    .map(|s| {
                        let common = "common ".repeat(next(4) as usize + 1);
                        format!(
                            "<h2 id=\"s{s}\">Part {}</h2><p>{common} word{} word{} own{i}</p>",
                            next(30),
                            next(200),
                            next(200)
                        )
                    })
                    .collect();
                (format!("Lesson {}", next(50)), body)
            })
            .collect()
    }

    #[test]
    fn a_patched_index_is_the_index_a_clean_build_makes() {
        let cache = Mutex::new(HashMap::new());
        let mut pages = course(300, 7);
        let first = index_kept(&pages, None, &cache);
        let (files, mut kept) = (first.files, first.index);
        assert_eq!(files, index(&as_refs(&pages)));
        assert_eq!(first.reads, 0);
        let line = lines(&files)
            .into_iter()
            .find(|l| l.starts_with("common "))
            .unwrap();
        assert!(decode(&line).2.unwrap() > MAX_POSTINGS, "common is cut");
        let fresh = course(300, 99);
        // Generation after generation, each patching the index the one before kept.
        for round in 0..6usize {
            let changed: Vec<usize> = (0..1 + round * 3)
                .map(|k| (k * 37 + round * 11) % 300)
                .collect();
            for &i in &changed {
                pages[i] = match round % 3 {
                    // Another body and title.
                    0 => fresh[(i + round) % 300].clone(),
                    // A new word, and no `common` at all.
                    1 => (
                        pages[i].0.clone(),
                        format!("<p>brandnew{round} word{i}</p>"),
                    ),
                    // A heavier `common`.
                    _ => (
                        format!("Common lesson {i}"),
                        format!("<h2 id=\"c\">Common</h2><p>{}</p>", "common ".repeat(9)),
                    ),
                };
            }
            let next = index_kept(&pages, Some(&kept), &cache);
            assert_eq!(next.files, index(&as_refs(&pages)), "round {round}");
            let mut distinct = changed.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert!(next.patched, "round {round}");
            assert_eq!(
                next.reads,
                distinct.len(),
                "round {round}: the old texts read"
            );
            assert!(!next.same);
            kept = next.index;
        }
        // Nothing changed: the index kept as it was, nothing read or written.
        let same = index_kept(&pages, Some(&kept), &cache);
        assert_eq!(same.files, index(&as_refs(&pages)));
        assert_eq!((same.same, same.reads), (true, 0));
        // A page more, and one fewer: every page is indexed again.
        for other in [course(301, 7), course(299, 7)] {
            let again = index_kept(&other, Some(&kept), &cache);
            assert_eq!(again.files, index(&as_refs(&other)));
            assert!(!again.patched);
        }
        // Too many pages changed for a patch (none the same, so none left to it): indexed
        // in full at once, no patch tried, still the same.
        let many = course(300, 12345);
        let again = index_kept(&many, Some(&kept), &cache);
        assert_eq!(again.files, index(&as_refs(&many)));
        assert_eq!(again.reads, 0);
        // A changed page's old text that the cache no longer has: every page is indexed.
        let mut edited = pages.clone();
        edited[5] = ("Gone".into(), "<p>gone</p>".into());
        let old = xxh3_64(format!("{}\0p5/\0{}", pages[5].0, pages[5].1).as_bytes());
        let lost = Mutex::new(cache.lock().unwrap().clone());
        assert!(lost.lock().unwrap().remove(&old).is_some());
        let again = index_kept(&edited, Some(&kept), &lost);
        assert_eq!(again.files, index(&as_refs(&edited)));
        assert_eq!((again.reads, again.patched), (1, false));
    }

    #[test]
    fn a_posting_lighter_than_those_kept_is_not_kept_so_a_later_patch_stays_exact() {
        // `common` in 10 sections of 600 pages: heavy on pages 0-149 (1,500 postings), light
        // on the rest; the index keeps 2,000, down to page 199's.
        let page = |i: usize, common: bool, edited: bool| {
            common_page(
                i,
                i < 150,
                common,
                if edited { "<p>edited</p>" } else { "" },
            )
        };
        let cache = Mutex::new(HashMap::new());
        let pages: Vec<(String, String)> = (0..600).map(|i| page(i, true, false)).collect();
        let kept = index_kept(&pages, None, &cache).index;
        // Page 599 changed, its `common` as light as before: lighter than any kept; and
        // `common` gone from pages 0-9, so 1,900 are kept.
        let pages: Vec<(String, String)> = (0..600).map(|i| page(i, i >= 10, i == 599)).collect();
        let next = index_kept(&pages, Some(&kept), &cache);
        assert_eq!(next.files, index(&as_refs(&pages)));
        assert_eq!((next.reads, next.patched), (11, true));
        let kept = next.index;
        // `common` gone from pages 10-50 too: 1,490 of the kept are left, and page 200's
        // postings (never kept) are among the heaviest 1,500; had page 599's been kept, a
        // patch would have shown them instead.
        let pages: Vec<(String, String)> = (0..600).map(|i| page(i, i > 50, i == 599)).collect();
        let again = index_kept(&pages, Some(&kept), &cache);
        assert_eq!(again.files, index(&as_refs(&pages)));
        assert!(!again.patched);
    }

    #[test]
    fn a_patch_not_made_writes_no_term_file_and_asks_for_every_page_again() {
        let cache = Mutex::new(HashMap::new());
        let pages = course(100, 5);
        let kept = index_kept(&pages, None, &cache).index;
        let out = Output::default();
        let indexer = Indexer::keeping(Previous::parse(kept));
        // Too many changed pages for a patch, found after the first were left to it.
        let other = course(100, 6);
        let pages = pages.iter().take(20).chain(other.iter().skip(20));
        let facts: Vec<PageIndex> = pages
            .enumerate()
            .map(|(i, (title, html))| add_as_built(&indexer, i, title, html, &cache, &out))
            .collect();
        let written = indexer.write_unless(facts, &out, &|| false, &|_| None, &mut Vec::new());
        assert_eq!(written, Err(Unpatched));
        let files = out.into_files();
        assert!(files.keys().any(|f| f.starts_with("assets/search/p/")));
        assert!(
            !files
                .keys()
                .any(|f| f.starts_with("assets/search/t/") || f.ends_with("manifest.js")),
            "{:?}",
            files.keys().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_patch_that_runs_out_of_reserve_indexes_every_page() {
        // `common` in 10 sections of each of 600 pages: 6,000 postings, the heaviest on
        // pages 0 to 69 (in headings). Taking it out of those 70 pages takes 700 of the
        // 2,000 postings the index keeps: fewer than a line shows are left.
        let page = |i: usize, with: bool| common_page(i, i < 70, with, "");
        let cache = Mutex::new(HashMap::new());
        let pages: Vec<(String, String)> = (0..600).map(|i| page(i, true)).collect();
        let kept = index_kept(&pages, None, &cache).index;
        let previous = Previous::parse(kept.clone()).unwrap();
        assert!(previous.terms() > 600);
        let edited: Vec<(String, String)> = (0..600).map(|i| page(i, i >= 70)).collect();
        let again = index_kept(&edited, Some(&kept), &cache);
        assert_eq!(again.files, index(&as_refs(&edited)));
        assert_eq!((again.reads, again.patched), (70, false));
        // Taking it out of 30 of those pages (300 postings) is patched.
        let edited: Vec<(String, String)> = (0..600).map(|i| page(i, i >= 30)).collect();
        let patched = index_kept(&edited, Some(&kept), &cache);
        assert_eq!(patched.files, index(&as_refs(&edited)));
        assert_eq!((patched.reads, patched.patched), (30, true));
    }

    #[test]
    fn a_kept_index_that_does_not_parse_is_not_used() {
        let cache = Mutex::new(HashMap::new());
        let pages = course(40, 3);
        let kept = index_kept(&pages, None, &cache).index;
        assert!(Previous::parse(kept.clone()).is_some());
        for cut in [0, 7, 8, 15, 16, 100, kept.len() / 2, kept.len() - 1] {
            assert!(
                Previous::parse(kept[..cut].to_vec()).is_none(),
                "cut at {cut}"
            );
        }
        let mut other = kept.clone();
        other[0] = b'X';
        assert!(Previous::parse(other).is_none(), "another magic");
        // Two terms out of order (the first record's term changed to sort last).
        let mut garbled = kept.clone();
        let first = 16 + 40 * 16 + 4;
        garbled[first] = 0xff;
        assert!(
            Previous::parse(garbled).is_none(),
            "not text, or out of order"
        );
        // Every byte flipped in turn: never a panic.
        for i in (0..kept.len()).step_by(97) {
            let mut flipped = kept.clone();
            flipped[i] ^= 0x55;
            let _ = Previous::parse(flipped);
        }
    }
}
