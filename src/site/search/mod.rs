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
mod terms;

use crate::output::Sink;
use crate::site_path::SitePath;
#[cfg(test)]
use encoding::heaviest;
use encoding::{each_posting, leb128, varint, MAX_POSTINGS};
use files::{fragment, fragment_file, script, shard_file, Chunks, CHUNK_PAGES, SHARD_BYTES};
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use sections::{sections, Section};
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
        self.add(id, &analyse(title, url, html), sink)
    }

    /// Indexes one page from what [`analyse`] found in it; writes its fragment file to
    /// `sink`.
    pub(crate) fn add(&self, id: usize, text: &PageText, sink: &dyn Sink) -> PageIndex {
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
        let hash = xxh3_64(text.fragment.as_bytes());
        if let Some((chunk, parts)) = self.fragments.add(id, text.fragment.clone()) {
            let path = SitePath::generated(&format!("{DIR}/p/{chunk}.js"));
            sink.put(&path, fragment_file(chunk, &parts));
        }
        PageIndex {
            postings,
            sections: text.sections,
            hash,
        }
    }

    /// Writes the manifest and the term shards; `pages` in page order, one per page.
    #[cfg(test)]
    pub(crate) fn write(self, pages: Vec<PageIndex>, sink: &dyn Sink) {
        self.write_unless(pages, sink, &|| false);
    }

    /// [`Indexer::write`], stopping at the next fragment file or window of terms once
    /// `cancelled` says so (then the index written is incomplete and has no manifest).
    pub(crate) fn write_unless(
        mut self,
        pages: Vec<PageIndex>,
        sink: &dyn Sink,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) {
        for (chunk, parts) in std::mem::take(&mut self.fragments).rest() {
            if cancelled() {
                return;
            }
            let path = SitePath::generated(&format!("{DIR}/p/{chunk}.js"));
            sink.put(&path, fragment_file(chunk, &parts));
        }
        self.finish(pages, sink, cancelled);
    }

    /// Writes the term shards to `sink` as each fills, then the manifest. The term lines are
    /// made a window of the sorted vocabulary at a time (as many windows at once as there are
    /// threads), each from one pass over the pages' postings, and let go once in their shard:
    /// only the windows being made are in memory, never the whole index (issue 15: making
    /// every line first was the largest allocation at the end of a large build).
    fn finish(self, pages: Vec<PageIndex>, sink: &dyn Sink, cancelled: &(dyn Fn() -> bool + Sync)) {
        let mut terms: Vec<(Box<str>, u32)> = self
            .shards
            .into_iter()
            .flat_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).terms)
            .collect();
        terms.par_sort_unstable();
        let sections: usize = pages.iter().map(|p| p.sections).sum();
        let version = pages
            .iter()
            .fold(sections as u64, |v, p| v.rotate_left(5) ^ p.hash);
        // A term's number → its place in the sorted vocabulary.
        let mut rank = vec![0u32; terms.len()];
        for (r, (_, id)) in terms.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        let window = terms.len().div_ceil(FINISH_WINDOWS).max(1);
        let starts: Vec<usize> = (0..terms.len()).step_by(window).collect();
        let by_window = ByWindow::new(self.postings.into_inner(), &pages, &rank, window);
        let mut shards = ShardWriter::new(version, sink);
        for group in starts.chunks(rayon::current_num_threads().max(1)) {
            if cancelled() {
                return;
            }
            let made: Vec<Vec<String>> = group
                .par_iter()
                .map(|&start| {
                    let ranks = start..(start + window).min(terms.len());
                    term_lines(ranks, &terms, &by_window, start / window)
                })
                .collect();
            for (&start, lines) in group.iter().zip(made) {
                for (i, line) in lines.into_iter().enumerate() {
                    shards.push(&terms[start + i].0, &line);
                }
            }
        }
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
) -> Vec<String> {
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
    let mut cuts: HashMap<usize, Cut, FxBuildHasher> = weights
        .into_iter()
        .map(|(k, counts)| (k, Cut::new(&counts, MAX_POSTINGS)))
        .collect();
    let mut lists = vec![String::new(); n];
    let mut last = vec![0u64; n];
    by_window.each(w, |page, place, section, weight| {
        let Some(k) = slot(place) else {
            return;
        };
        if cuts.get_mut(&k).is_some_and(|cut| !cut.keeps(weight)) {
            return;
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
        .map(|(((term, _), list), df)| {
            let mut line = String::with_capacity(term.len() + list.len() + 8);
            line.push_str(term);
            line.push(' ');
            line.push_str(&list);
            if df > MAX_POSTINGS {
                line.push(' ');
                line.push_str(&df.to_string());
            }
            line.push('\n');
            line
        })
        .collect()
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
        Cut { weight: 0, left: 0 }
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
    use super::encoding::{decode_postings, encode_postings};
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
                    encode_postings(&kept),
                    heaviest(&encode_postings(&postings)),
                    "{size} postings of {distinct} weights"
                );
            }
        }
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
