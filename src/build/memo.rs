//! The build's caches: one per cached step (a doc's front matter, its rendering, a page's
//! HTML), each a `crate::memo::Cache` keyed as `keys.rs` says. There is no separate
//! incremental code path: `build` runs in full every time and asks these before each
//! expensive step.

use super::keys::{BuildKeys, FileKeys};
use super::persist;
use crate::content::{self, PageId, ParsedDoc};
use crate::diagnostic::Diagnostic;
use crate::disk_cache;
use crate::markdown::RenderedDoc;
use crate::memo::{Cache, CacheStats, Key};
use crate::output::KeptFile;
use crate::site::search::{self, PageText};
use crate::source::SourceFile;
use serde::Serialize;
use std::sync::Arc;

/// A page's HTML as made by its template, or why the template failed.
pub(super) type Made = Result<Arc<Vec<u8>>, Diagnostic>;

/// A page's HTML as the memo gives it, or why its template failed.
pub(super) type PageHtml = Result<Html, Diagnostic>;

/// A page's HTML: its bytes (packed when the memo of `serve` keeps them), or the build
/// cache's file that holds them whole, for the output to link to.
#[derive(Debug, Clone)]
pub(super) enum Html {
    Bytes(Arc<Vec<u8>>),
    Kept(KeptFile),
}

/// Pages at least this long are kept whole as files of the build cache on disk, which the
/// output links to; shorter ones are kept in its packed files.
const KEEP_WHOLE: usize = 1 << 10;

/// The build's caches; disabled (keeping nothing) by default.
#[derive(Default)]
pub struct Memo {
    /// A doc's decoding and front matter (`content::parse_doc`).
    front_matter: Cache<ParsedDoc>,
    /// A doc's rendering (`markdown::render`), without its body: the body is in `bodies`.
    render: Cache<RenderedDoc>,
    /// A doc's body, packed (`output::pack`), by the rendering's key: the body is also in
    /// the page, so the memo keeps it compressed and unpacks it only when asked.
    bodies: Cache<PackedBody>,
    /// A page's final HTML (the template), by the page's whole context.
    page: Cache<Made>,
    /// A page's whole-context key, by a quick key: the book's fingerprint, the page and its
    /// body. Lets a rebuild in which no page's title, URL or metadata changed skip making
    /// the views of the pages whose body did not change.
    quick: Cache<Key>,
    /// The build cache on disk (`syllabus build`): asked where the caches above would be,
    /// and given what is made as it is made; nothing is held in memory.
    disk: Option<disk_cache::Store>,
    /// Whether the sink links the build cache's kept files rather than taking their bytes
    /// (`output::Sink::wants_kept_bytes`): then they are checked but not held.
    links_kept: std::sync::atomic::AtomicBool,
    /// The key each doc, page and print view was last made or found under (the memo in
    /// memory only), so that a patch can drop what it replaces: see [`Memo::replacing`].
    slots: std::sync::Mutex<rustc_hash::FxHashMap<Slot, Key>>,
    /// True while a patch runs ([`Memo::replacing`]).
    replacing: std::sync::atomic::AtomicBool,
}

/// What a memo entry is the current value of: a file's parse (by its index among the
/// content files), a page's rendered doc, its HTML and quick key (by page), a chapter's
/// print view (by the chapter's node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Parse(usize),
    Doc(PageId),
    Page(PageId),
    Quick(PageId),
    Print(usize),
}

/// Ends [`Memo::replacing`] when dropped.
pub(super) struct Replacing<'a>(&'a Memo);

impl Drop for Replacing<'_> {
    fn drop(&mut self) {
        self.0
            .replacing
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A doc's body, packed, and whether it is blank (for the empty-page warning). Once its
/// page is made, the body is the part of the page's packed HTML that it was put in as it
/// is (issue 15: one copy of each page, and no second copy of its body beside it).
pub(super) struct PackedBody {
    /// Packed bytes that hold the body: its own, or its page's.
    bytes: Arc<Vec<u8>>,
    /// Where the body is in `bytes` once unpacked; `None` when they are the body alone.
    within: Option<std::ops::Range<usize>>,
    blank: bool,
}

/// A doc's rendering as the memo gives it: its body held as made, or packed.
#[derive(Clone)]
pub(super) struct Doc {
    /// The rendering; its `html` is empty when the body is held below.
    pub(super) doc: Arc<RenderedDoc>,
    fresh: Option<Arc<String>>,
    packed: Option<Arc<PackedBody>>,
}

impl Doc {
    /// The body's HTML (unpacked when the memo holds it packed).
    pub(super) fn html(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        if let Some(html) = &self.fresh {
            return Cow::Borrowed(html.as_str());
        }
        let Some(packed) = &self.packed else {
            return Cow::Borrowed(self.doc.html.as_str());
        };
        let bytes = crate::output::unpack(&packed.bytes);
        let Some(within) = packed.within.clone() else {
            return match bytes {
                Cow::Owned(bytes) => Cow::Owned(String::from_utf8(bytes).unwrap_or_default()),
                Cow::Borrowed(bytes) => String::from_utf8_lossy(bytes),
            };
        };
        let body = bytes.get(within).unwrap_or_default();
        Cow::Owned(String::from_utf8_lossy(body).into_owned())
    }

    /// True when the body is blank (whitespace at most).
    pub(super) fn is_blank(&self) -> bool {
        match (&self.fresh, &self.packed) {
            (Some(html), _) => html.trim().is_empty(),
            (None, Some(packed)) => packed.blank,
            (None, None) => self.doc.html.trim().is_empty(),
        }
    }
}

/// The build cache's key of the search index of the locale `code`.
fn search_index_key(code: &str) -> Key {
    crate::memo::KeyHasher::key(|h| {
        h.str("search index").str(code);
    })
}

/// Where `body` is in page `html`, when it is there as it is and not blank.
fn body_within(html: &[u8], body: &str) -> Option<std::ops::Range<usize>> {
    if body.trim().is_empty() {
        return None;
    }
    let start = memchr::memmem::find(html, body.as_bytes())?;
    Some(start..start + body.len())
}

/// A doc's rendering from the build cache on disk, or `render()` (then kept there). The
/// body is kept as made: [`Doc::html`] borrows it.
fn render_on_disk(disk: &disk_cache::Store, key: Key, render: impl FnOnce() -> RenderedDoc) -> Doc {
    if let Some(bytes) = disk.get(persist::RENDER, key) {
        match persist::decode_render(bytes) {
            Some((doc, html)) => {
                return Doc {
                    doc: Arc::new(doc),
                    fresh: Some(Arc::new(html)),
                    packed: None,
                }
            }
            None => disk.forget(persist::RENDER, key),
        }
    }
    let mut doc = render();
    let html = std::mem::take(&mut doc.html);
    if let Some(bytes) = persist::encode_render(&doc, &html) {
        disk.put(persist::RENDER, key, &bytes);
    }
    Doc {
        doc: Arc::new(doc),
        fresh: Some(Arc::new(html)),
        packed: None,
    }
}

/// A doc's parse from the build cache on disk, by its file's parse key, if it holds one that
/// reads back (one that does not is forgotten).
fn parse_on_disk(disk: &disk_cache::Store, key: Key) -> Option<ParsedDoc> {
    let bytes = disk.get(persist::PARSE, key)?;
    let parsed = persist::decode(&bytes);
    if parsed.is_none() {
        disk.forget(persist::PARSE, key);
    }
    parsed
}

/// A page's HTML from the build cache on disk, if it holds it (and, for a page kept whole,
/// its kept file is there with the bytes it was kept for).
fn page_on_disk(disk: &disk_cache::Store, key: Key, bytes: bool) -> Option<Arc<PageHtml>> {
    let entry = disk.get(persist::PAGE, key)?;
    let html = match persist::decode_page(entry) {
        Some(persist::Page::Made(html)) => Some(html.map(|b| Html::Bytes(Arc::new(b)))),
        Some(persist::Page::Kept { hash, len }) => {
            disk.kept_file(hash, len, bytes).map(|(path, bytes)| {
                Ok(Html::Kept(KeptFile {
                    path,
                    hash,
                    len,
                    bytes: bytes.map(Arc::new),
                }))
            })
        }
        None => None,
    };
    if html.is_none() {
        disk.forget(persist::PAGE, key);
    }
    html.map(Arc::new)
}

/// A page's HTML from the build cache on disk, or `make()` (then kept there: whole, as a
/// file, when it is long).
fn generated_on_disk(
    disk: &disk_cache::Store,
    key: Key,
    bytes: bool,
    make: impl FnOnce() -> Made,
) -> Arc<PageHtml> {
    if let Some(html) = page_on_disk(disk, key, bytes) {
        return html;
    }
    let html = make();
    if let Ok(bytes) = &html {
        if bytes.len() >= KEEP_WHOLE {
            if let Some((hash, path)) = disk.keep_file(bytes) {
                disk.put(
                    persist::PAGE,
                    key,
                    &persist::encode_kept(hash, bytes.len() as u64),
                );
                return Arc::new(Ok(Html::Kept(KeptFile {
                    path,
                    hash,
                    len: bytes.len() as u64,
                    bytes: Some(bytes.clone()),
                })));
            }
        }
    }
    let value = match &html {
        Ok(bytes) => Ok(bytes.as_slice()),
        Err(d) => Err(d),
    };
    if let Some(bytes) = persist::encode_page(&value) {
        disk.put(persist::PAGE, key, &bytes);
    }
    Arc::new(html.map(Html::Bytes))
}

/// What the memo in memory keeps, as it gives it.
fn from_memory(made: &Made) -> Arc<PageHtml> {
    Arc::new(made.clone().map(Html::Bytes))
}

/// How each cache did since the last sweep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Docs' front matter: misses are files parsed.
    pub front_matter: CacheStats,
    /// Docs' rendering: misses are docs rendered.
    pub render: CacheStats,
    /// Pages by whole context: misses are template renders.
    pub page: CacheStats,
    /// Pages by quick key: hits skipped making the page's views.
    pub quick: CacheStats,
}

impl Memo {
    /// Caches that keep values between builds.
    pub fn enabled() -> Memo {
        Memo {
            front_matter: Cache::enabled(),
            render: Cache::enabled(),
            bodies: Cache::enabled(),
            page: Cache::enabled(),
            quick: Cache::enabled(),
            disk: None,
            links_kept: Default::default(),
            slots: Default::default(),
            replacing: Default::default(),
        }
    }

    /// Until the guard is dropped, a value made for a doc, page or print view under a new
    /// key drops the one its slot held before. A full build in `serve` ends with a sweep
    /// that drops what it did not use; a patch (one doc's body saved) uses a handful of
    /// entries and cannot sweep, so without this each save left its page's, its doc's and
    /// its chapter's print view's old values in the memo for good (issue 15: `serve`'s
    /// memory grew with every save). What a slot held is used by nothing else: a page's
    /// keys cover its URL, and a doc's its file; were it shared, it would be made again.
    pub(super) fn replacing(&self) -> Replacing<'_> {
        self.replacing
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Replacing(self)
    }

    /// Records that `slot` now holds `key`; returns the key it held before when that is
    /// to be dropped (during [`Memo::replacing`], and only if it differs).
    fn hold(&self, slot: Slot, key: Key) -> Option<Key> {
        if !self.is_enabled() {
            return None;
        }
        let old = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(slot, key);
        old.filter(|&old| old != key && self.replacing.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// A memo that keeps nothing in memory and uses the build cache on disk (read by
    /// `crate::disk_cache::CacheDir::read`); [`Memo::finish_disk_cache`] ends it.
    pub fn on_disk(store: disk_cache::Store) -> Memo {
        Memo {
            disk: Some(store),
            ..Memo::default()
        }
    }

    /// Tells the memo whether the build's sink wants a kept file's bytes
    /// (`output::Sink::wants_kept_bytes`).
    pub(super) fn set_kept_bytes(&self, wanted: bool) {
        self.links_kept
            .store(!wanted, std::sync::atomic::Ordering::Relaxed);
    }

    fn kept_bytes(&self) -> bool {
        !self.links_kept.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// True when the caches keep values.
    pub fn is_enabled(&self) -> bool {
        self.render.is_enabled()
    }

    /// True when the build computes its steps' keys (the memo keeps values, or the build
    /// cache on disk does).
    pub(super) fn is_keyed(&self) -> bool {
        self.is_enabled() || self.disk.is_some()
    }

    /// Ends the build cache on disk: its files that got new entries are written, and, after a
    /// `whole` build (one without errors, which went through every page), the kept pages it
    /// did not use are removed. Returns a note on what could not be written.
    pub fn finish_disk_cache(&mut self, whole: bool) -> Option<String> {
        let disk = self.disk.take()?;
        if whole {
            disk.sweep_kept_files();
        }
        disk.finish()
    }

    /// A doc's front matter: parsed, unless the file's bytes and path are as before.
    pub(super) fn parse(
        &self,
        files: &FileKeys,
        index: usize,
        file: &SourceFile,
        display: &str,
    ) -> ParsedDoc {
        let key = files.parse(index, display);
        if let (Some(disk), Some(key)) = (&self.disk, key) {
            if let Some(parsed) = parse_on_disk(disk, key) {
                return parsed;
            }
            let parsed = content::parse_doc(file, display);
            if let Some(bytes) = persist::encode(&parsed) {
                disk.put(persist::PARSE, key, &bytes);
            }
            return parsed;
        }
        let parsed = self
            .front_matter
            .get_or_compute(key, || content::parse_doc(file, display));
        if let Some(old) = key.and_then(|key| self.hold(Slot::Parse(index), key)) {
            self.front_matter.remove(old);
        }
        Arc::unwrap_or_clone(parsed)
    }

    /// A doc's parse as kept, if it is (counted as a hit; a doc not kept is then read and
    /// given to [`Memo::parse`], which counts the miss).
    pub(super) fn known(&self, files: &FileKeys, index: usize, display: &str) -> Option<ParsedDoc> {
        let key = files.parse(index, display)?;
        if let Some(disk) = &self.disk {
            return parse_on_disk(disk, key);
        }
        let parsed = self.front_matter.find(key)?;
        Some(Arc::unwrap_or_clone(parsed))
    }

    /// A doc's front matter as kept, without parsing it.
    pub(super) fn parsed(
        &self,
        files: &FileKeys,
        index: usize,
        display: &str,
    ) -> Option<Arc<ParsedDoc>> {
        self.front_matter.get(files.parse(index, display)?)
    }

    /// A doc's rendering by `key`, or `render()`. With the memo the body is kept packed:
    /// [`Doc::html`] unpacks it when a step needs it.
    pub(super) fn render(
        &self,
        page: PageId,
        key: Option<Key>,
        render: impl FnOnce() -> RenderedDoc,
    ) -> Doc {
        if let (Some(disk), Some(key)) = (&self.disk, key) {
            return render_on_disk(disk, key, render);
        }
        let Some(key) = key.filter(|_| self.is_enabled()) else {
            return Doc {
                doc: Arc::new(render()),
                fresh: None,
                packed: None,
            };
        };
        if let Some(old) = self.hold(Slot::Doc(page), key) {
            self.render.remove(old);
            self.bodies.remove(old);
        }
        if let (Some(doc), Some(packed)) = (self.render.get(key), self.bodies.get(key)) {
            return Doc {
                doc,
                fresh: None,
                packed: Some(packed),
            };
        }
        let mut doc = render();
        let html = std::mem::take(&mut doc.html);
        let doc = Arc::new(doc);
        let packed = PackedBody {
            bytes: Arc::new(crate::output::pack(html.as_bytes())),
            within: None,
            blank: html.trim().is_empty(),
        };
        self.bodies.insert(key, Arc::new(packed));
        self.render.insert(key, doc.clone());
        Doc {
            doc,
            fresh: Some(Arc::new(html)),
            packed: None,
        }
    }

    /// What search indexing finds in a page (`crate::site::search::analyse`), by `key`, or
    /// `analyse()`; only the build cache on disk keeps it.
    pub(super) fn search_text(
        &self,
        key: Option<Key>,
        analyse: impl FnOnce() -> PageText,
    ) -> PageText {
        let (Some(disk), Some(key)) = (&self.disk, key) else {
            return analyse();
        };
        if let Some(bytes) = disk.get(persist::SEARCH, key) {
            if let Some(text) = persist::decode(&bytes) {
                return text;
            }
            disk.forget(persist::SEARCH, key);
        }
        let text = analyse();
        if let Some(bytes) = persist::encode(&text) {
            disk.put(persist::SEARCH, key, &bytes);
        }
        self.keep_search_fragment(key, &text);
        text
    }

    /// A page's search fragment from the build cache on disk, by the key of its search text.
    /// The text itself is kept unread, for the next build's patch should the page change.
    pub(super) fn search_fragment(&self, key: Key) -> Option<search::Fragment> {
        let disk = self.disk.as_ref()?;
        let bytes = disk.get(persist::SEARCH_FRAGMENT, key)?;
        let fragment = persist::decode(&bytes);
        match fragment {
            Some(_) => disk.touch(persist::SEARCH, key),
            None => disk.forget(persist::SEARCH_FRAGMENT, key),
        }
        fragment
    }

    /// Keeps `text`'s fragment by the key of the text (see [`Memo::search_fragment`]).
    pub(super) fn keep_search_fragment(&self, key: Key, text: &PageText) {
        if let (Some(disk), Some(bytes)) = (&self.disk, persist::encode(&text.fragment())) {
            disk.put(persist::SEARCH_FRAGMENT, key, &bytes);
        }
    }

    /// Whether the build cache on disk is in use.
    pub(super) fn has_disk(&self) -> bool {
        self.disk.is_some()
    }

    /// A page's search text from the build cache on disk, by its key, if it holds one that
    /// reads back.
    pub(super) fn cached_search_text(&self, key: Key) -> Option<PageText> {
        let disk = self.disk.as_ref()?;
        persist::decode(&disk.get(persist::SEARCH, key)?)
    }

    /// The search index the last build kept for the locale `code`, if the build cache holds
    /// it whole, with its hash.
    pub(super) fn search_index(&self, code: &str) -> Option<(u128, Vec<u8>)> {
        let disk = self.disk.as_ref()?;
        let key = search_index_key(code);
        let entry = disk.get(persist::SEARCH_INDEX, key)?;
        let found = match persist::decode_page(entry) {
            Some(persist::Page::Kept { hash, len }) => disk
                .kept_file(hash, len, true)
                .and_then(|(_, bytes)| Some((hash, bytes?))),
            _ => None,
        };
        if found.is_none() {
            disk.forget(persist::SEARCH_INDEX, key);
        }
        found
    }

    /// A writer for the search index to keep for the next build (see
    /// [`Memo::keep_search_index`]), with the build cache on disk.
    pub(super) fn search_index_writer(&self) -> Option<crate::disk_cache::KeptWriter> {
        self.disk.as_ref()?.kept_writer()
    }

    /// Keeps the search index `writer` holds for the next build, in place of the one of hash
    /// `previous` (see [`Memo::search_index`]); the same bytes leave it as it is.
    pub(super) fn keep_search_index(
        &self,
        code: &str,
        writer: Option<crate::disk_cache::KeptWriter>,
        previous: Option<u128>,
    ) {
        let (Some(disk), Some(writer)) = (&self.disk, writer) else {
            return;
        };
        let key = search_index_key(code);
        let kept = disk.finish_kept(writer, previous);
        if kept.is_some_and(|(hash, _)| Some(hash) == previous) {
            return;
        }
        disk.forget(persist::SEARCH_INDEX, key);
        if let Some((hash, len)) = kept {
            disk.put(persist::SEARCH_INDEX, key, &persist::encode_kept(hash, len));
        }
    }

    /// A page's HTML. First by its quick key (nothing in the book but bodies changed since
    /// the page was made), then by its whole context (`context()`: the view and sidebar,
    /// serialized into the key), else `render(context)`.
    ///
    /// A page made anew becomes where the memo keeps its doc's body (`body`: the body, by
    /// `doc`), when the page holds it as it is.
    pub(super) fn page_html<'b, C: Serialize>(
        &self,
        keys: Option<&BuildKeys>,
        page: PageId,
        doc: Option<Key>,
        body: &dyn Fn() -> &'b str,
        context: impl FnOnce() -> C,
        render: impl FnOnce(C) -> Made,
    ) -> Arc<PageHtml> {
        if let (Some(disk), Some(keys)) = (&self.disk, keys) {
            let quick = keys.quick_page(page, doc);
            let full = disk.get(persist::QUICK, quick);
            let bytes = self.kept_bytes();
            let kept = |f: Vec<u8>| page_on_disk(disk, persist::decode_key(&f)?, bytes);
            if let Some(html) = full.and_then(kept) {
                return html;
            }
            let context = context();
            let full = keys.page(doc, &context);
            disk.put(persist::QUICK, quick, &full.to_le_bytes());
            return generated_on_disk(disk, full, bytes, || render(context));
        }
        let Some(keys) = keys.filter(|_| self.is_enabled()) else {
            return Arc::new(render(context()).map(Html::Bytes));
        };
        let quick = keys.quick_page(page, doc);
        if let Some(old) = self.hold(Slot::Quick(page), quick) {
            self.quick.remove(old);
        }
        if let Some(full) = self.quick.get(quick) {
            if let Some(html) = self.page.get(*full) {
                self.hold_html(Slot::Page(page), *full);
                return from_memory(&html);
            }
        }
        let context = context();
        let full = keys.page(doc, &context);
        self.hold_html(Slot::Page(page), full);
        // Kept packed: one compressed copy, shared with the served site (`output::pack`).
        let mut within = None;
        let html = self.page.get_or_compute(Some(full), || {
            render(context).map(|html| {
                within = doc.and_then(|_| body_within(&html, body()));
                Arc::new(crate::output::pack(&html))
            })
        });
        if let (Some(doc), Some(within), Ok(bytes)) = (doc, within, &*html) {
            let packed = PackedBody {
                bytes: bytes.clone(),
                within: Some(within),
                blank: false,
            };
            self.bodies.insert(doc, Arc::new(packed));
        }
        self.quick.insert(quick, Arc::new(full));
        from_memory(&html)
    }

    /// Records that `slot` (a page or print view) now holds the HTML under `key`.
    fn hold_html(&self, slot: Slot, key: Key) {
        if let Some(old) = self.hold(slot, key) {
            self.page.remove(old);
        }
    }

    /// Chapter `chapter`'s print view by `key`, as [`Memo::generated`] makes it.
    pub(super) fn print_view(
        &self,
        chapter: usize,
        key: Option<Key>,
        make: impl FnOnce() -> Made,
    ) -> Arc<PageHtml> {
        let html = self.generated(key, make);
        if let Some(key) = key {
            self.hold_html(Slot::Print(chapter), key);
        }
        html
    }

    /// A generated file (the course map, a chapter's print view, a tag page) by `key`, or
    /// `make()`; HTML is kept packed, as pages are.
    pub(super) fn generated(&self, key: Option<Key>, make: impl FnOnce() -> Made) -> Arc<PageHtml> {
        if let (Some(disk), Some(key)) = (&self.disk, key) {
            return generated_on_disk(disk, key, self.kept_bytes(), make);
        }
        let Some(key) = key.filter(|_| self.is_enabled()) else {
            return Arc::new(make().map(Html::Bytes));
        };
        from_memory(&self.page.get_or_compute(Some(key), || {
            make().map(|html| Arc::new(crate::output::pack(&html)))
        }))
    }

    /// Ends a build: each cache drops what the build did not use (see `Cache::sweep`).
    pub fn sweep(&self) {
        self.front_matter.sweep();
        self.render.sweep();
        self.bodies.sweep();
        self.page.sweep();
        self.quick.sweep();
    }

    /// Hits, misses and sizes since the last sweep.
    pub fn stats(&self) -> Stats {
        Stats {
            front_matter: self.front_matter.stats(),
            render: self.render.stats(),
            page: self.page.stats(),
            quick: self.quick.stats(),
        }
    }
}
