//! Memo: caches of the build's pure steps (a doc's front matter, its rendering, a page's
//! final HTML), keyed by hashes of everything each step reads, so that a rebuild in `serve`
//! redoes only what changed. There is no separate incremental code path: `build` runs in
//! full every time and asks the memo before each expensive step.
//!
//! A disabled memo (the default, used by `syllabus build`) computes every value and keeps
//! nothing. An enabled one keeps what the last build used: call [`Memo::sweep`] after each
//! build to drop the rest, so memory does not grow across rebuilds.

use crate::config::BaseUrl;
use crate::content::{Book, Page, PageId};
use crate::markdown::links::Targets;
use crate::markdown::Renderer;
use crate::site::view::SiteView;
use crate::source::SourceSet;
use rustc_hash::FxBuildHasher;
use serde::Serialize;
use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// A cache key: a 64-bit xxh3 hash of a step's inputs.
pub type Key = u64;

/// The cached steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A doc's decoding and front matter (`content::load`).
    FrontMatter,
    /// A doc's rendering (`markdown::render`).
    Render,
    /// A page's final HTML (the template), by the page's whole context.
    Page,
    /// A page's whole-context key, by a quick key: the book's fingerprint, the page and its
    /// body. Lets a rebuild in which no page's title, URL or metadata changed skip making
    /// the views of the pages whose body did not change.
    PageQuick,
}

const STEP_COUNT: usize = 4;
const SHARDS: usize = 16;

impl Step {
    fn index(self) -> usize {
        self as usize
    }
}

struct Entry {
    value: Arc<dyn Any + Send + Sync>,
    used: u64,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<Key, Entry, FxBuildHasher>,
    /// Whether any lookup happened since the last sweep.
    exercised: bool,
    hits: usize,
    misses: usize,
}

struct Caches {
    /// Per step, shards picked by the key's top bits, so parallel pages rarely wait.
    caches: [[Mutex<Cache>; SHARDS]; STEP_COUNT],
    generation: AtomicU64,
}

/// The build's caches; see the module docs.
#[derive(Default)]
pub struct Memo {
    inner: Option<Caches>,
}

/// How a step's cache did since the last sweep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepStats {
    pub hits: usize,
    /// Values computed (cache misses; every lookup when the memo is disabled counts nothing).
    pub misses: usize,
    /// Entries held.
    pub entries: usize,
}

/// Per-step statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub front_matter: StepStats,
    pub render: StepStats,
    /// Pages by whole context: misses are template renders.
    pub page: StepStats,
    /// Pages by quick key: hits skipped making the page's views.
    pub quick: StepStats,
}

/// A page's HTML, or why its template failed.
pub type PageHtml = Result<Arc<Vec<u8>>, crate::diagnostic::Diagnostic>;

impl Memo {
    /// A memo that keeps values between builds.
    pub fn enabled() -> Memo {
        Memo {
            inner: Some(Caches {
                caches: Default::default(),
                generation: AtomicU64::new(1),
            }),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The key of a step's inputs, written by `f`; `None` (and no hashing) when disabled.
    pub fn key(&self, f: impl FnOnce(&mut KeyHasher)) -> Option<Key> {
        self.inner.as_ref()?;
        let mut h = KeyHasher(Xxh3::new());
        f(&mut h);
        Some(h.0.digest())
    }

    /// The key of every content file (its bytes and path), hashed in parallel once per
    /// build; empty when the memo is disabled.
    pub fn file_keys(&self, sources: &SourceSet) -> FileKeys {
        use rayon::prelude::*;
        if !self.is_enabled() {
            return FileKeys::default();
        }
        FileKeys(
            sources
                .content
                .par_iter()
                .map(|f| {
                    let mut h = KeyHasher(Xxh3::new());
                    h.bytes(&f.bytes).str(&f.path);
                    h.0.digest()
                })
                .collect(),
        )
    }

    /// The value of `step` for `key`: cached, or computed by `f` (and kept when there is a key).
    pub fn get_or_compute<T: Send + Sync + 'static>(
        &self,
        step: Step,
        key: Option<Key>,
        f: impl FnOnce() -> T,
    ) -> Arc<T> {
        let Some(key) = key.filter(|_| self.is_enabled()) else {
            return Arc::new(f());
        };
        if let Some(value) = self.lookup(step, key) {
            return value;
        }
        let value = Arc::new(f());
        self.insert(step, key, value.clone());
        value
    }

    /// A cached value, marked as used by this build.
    fn lookup<T: Send + Sync + 'static>(&self, step: Step, key: Key) -> Option<Arc<T>> {
        let caches = self.inner.as_ref()?;
        let generation = caches.generation.load(Ordering::Relaxed);
        let mut cache = lock(shard(&caches.caches[step.index()], key));
        cache.exercised = true;
        let found = cache.entries.get_mut(&key).and_then(|entry| {
            let value = Arc::clone(&entry.value).downcast::<T>().ok()?;
            entry.used = generation;
            Some(value)
        });
        match found {
            Some(_) => cache.hits += 1,
            None => cache.misses += 1,
        }
        found
    }

    fn insert<T: Send + Sync + 'static>(&self, step: Step, key: Key, value: Arc<T>) {
        let Some(caches) = &self.inner else { return };
        let generation = caches.generation.load(Ordering::Relaxed);
        lock(shard(&caches.caches[step.index()], key))
            .entries
            .insert(
                key,
                Entry {
                    value,
                    used: generation,
                },
            );
    }

    /// A page's HTML. First by its quick key (nothing in the book but bodies changed since
    /// the page was made), then by its whole context (`context()`: the view and sidebar,
    /// serialized into the key), else `render(context)`.
    pub fn page_html<C: Serialize>(
        &self,
        keys: Option<&BuildKeys>,
        page: PageId,
        doc: Option<Key>,
        context: impl FnOnce() -> C,
        render: impl FnOnce(C) -> PageHtml,
    ) -> Arc<PageHtml> {
        let Some(keys) = keys.filter(|_| self.is_enabled()) else {
            return Arc::new(render(context()));
        };
        let quick = keys.quick_page(page, doc);
        if let Some(full) = self.lookup::<Key>(Step::PageQuick, quick) {
            if let Some(html) = self.lookup(Step::Page, *full) {
                return html;
            }
        }
        let context = context();
        let full = keys.page(doc, &context);
        let html = self.get_or_compute(Step::Page, Some(full), || render(context));
        self.insert(Step::PageQuick, quick, Arc::new(full));
        html
    }

    /// Ends a build: drops the entries of every step that the build used without touching
    /// them, and resets the statistics. A step the build never reached (say, pages after a
    /// template error) keeps its entries for the next build.
    pub fn sweep(&self) {
        let Some(caches) = &self.inner else { return };
        let generation = caches.generation.fetch_add(1, Ordering::Relaxed);
        for shards in &caches.caches {
            let exercised = shards.iter().any(|s| lock(s).exercised);
            for slot in shards {
                let mut cache = lock(slot);
                if exercised {
                    cache.entries.retain(|_, e| e.used == generation);
                    let keep = cache.entries.len() * 2;
                    cache.entries.shrink_to(keep);
                }
                cache.exercised = false;
                cache.hits = 0;
                cache.misses = 0;
            }
        }
    }

    /// Hits, misses and sizes since the last sweep.
    pub fn stats(&self) -> Stats {
        let Some(caches) = &self.inner else {
            return Stats::default();
        };
        let of = |step: Step| {
            let mut total = StepStats::default();
            for slot in &caches.caches[step.index()] {
                let c = lock(slot);
                total.hits += c.hits;
                total.misses += c.misses;
                total.entries += c.entries.len();
            }
            total
        };
        Stats {
            front_matter: of(Step::FrontMatter),
            render: of(Step::Render),
            page: of(Step::Page),
            quick: of(Step::PageQuick),
        }
    }
}

fn shard(shards: &[Mutex<Cache>; SHARDS], key: Key) -> &Mutex<Cache> {
    &shards[(key >> 60) as usize % SHARDS]
}

fn lock(m: &Mutex<Cache>) -> std::sync::MutexGuard<'_, Cache> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes a step's inputs into a key. Strings and byte strings are length-prefixed, so that
/// `("ab", "c")` and `("a", "bc")` differ.
pub struct KeyHasher(Xxh3);

impl KeyHasher {
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.update(&(b.len() as u64).to_le_bytes());
        if b.len() > 256 {
            // One-shot hashing of a large input is several times faster than streaming it.
            self.0.update(&xxh3_64(b).to_le_bytes());
        } else {
            self.0.update(b);
        }
        self
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.0.update(&v.to_le_bytes());
        self
    }

    /// Any value through its `Debug` form (for types that are not `Serialize`).
    pub fn debug<T: std::fmt::Debug + ?Sized>(&mut self, value: &T) -> &mut Self {
        struct Writer<'a>(&'a mut Xxh3);
        impl std::fmt::Write for Writer<'_> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.update(s.as_bytes());
                Ok(())
            }
        }
        let _ = std::fmt::write(&mut Writer(&mut self.0), format_args!("{value:?}"));
        self.0.update(b"\0");
        self
    }

    /// Any serializable value, through its JSON form.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        struct Writer<'a>(&'a mut Xxh3);
        impl std::io::Write for Writer<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.update(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        if serde_json::to_writer(Writer(&mut self.0), value).is_err() {
            // Unserializable values are never equal to anything: hash a marker that a
            // successful serialization cannot produce.
            self.0.update(b"\xff");
        }
        self.0.update(b"\0");
        self
    }
}

/// Keys of one build's docs and pages: the fingerprints of what every doc's rendering and
/// every page's template share, hashed once per build.
pub struct BuildKeys {
    /// Link targets (every page URL and path, assets, static files), base path, severity.
    links: Key,
    /// Templates, the site-wide view and the base URL.
    context: Key,
    /// Everything about the book but the bodies of its docs: every node and page (titles,
    /// URLs, front matter, order), from which the views are made.
    book: Key,
    /// Each content file's key.
    files: FileKeys,
}

/// The keys of a build's content files, by index (see [`Memo::file_keys`]).
#[derive(Debug, Default, Clone)]
pub struct FileKeys(Vec<Key>);

impl FileKeys {
    /// The key of file `source` shown as `display`, if the memo is enabled.
    pub fn key(&self, source: usize, display: &str) -> Option<Key> {
        let file = *self.0.get(source)?;
        let mut h = KeyHasher(Xxh3::new());
        h.u64(file).str(display);
        Some(h.0.digest())
    }
}

impl Memo {
    /// The build's shared fingerprints; `None` when the memo is disabled.
    pub fn build_keys(
        &self,
        renderer: &Renderer<'_>,
        templates: &BTreeMap<String, String>,
        site: &SiteView,
        base: &BaseUrl,
        book: &Book,
        files: FileKeys,
    ) -> Option<BuildKeys> {
        // Destructured in full so that a new input cannot be forgotten here.
        let Renderer {
            highlighter: _,
            targets,
            broken_links,
            code_html,
        } = renderer;
        let Targets {
            base: base_path,
            page_by_path,
            page_by_url: _,
            page_urls,
            assets,
            static_paths,
        } = targets;
        let Book {
            title,
            nodes,
            pages,
            page_by_path: _,
            assets: book_assets,
            diagnostics: _,
        } = book;
        let links = self.key(|h| {
            h.str(base_path)
                .json(broken_links)
                .json(code_html)
                .json(page_urls);
            let mut by_path: Vec<(&String, &usize)> = page_by_path.iter().collect();
            by_path.sort_unstable();
            h.json(&by_path);
            for (path, asset) in assets.iter() {
                h.str(path).str(&asset.url);
            }
            h.json(static_paths);
        })?;
        let context = self.key(|h| {
            h.json(templates).json(site).debug(base);
        })?;
        let book = self.key(|h| {
            h.str(title).debug(book_assets);
            for part in [debug_keys(nodes), debug_keys(pages)] {
                h.u64(part.len() as u64);
                for k in part {
                    h.u64(k);
                }
            }
        })?;
        Some(BuildKeys {
            links,
            context,
            book,
            files,
        })
    }
}

impl BuildKeys {
    /// The key of a doc's rendering: its file (`source`, an index into the content files),
    /// its place, and the link targets.
    pub fn doc(&self, source: usize, bytes: &[u8], id: PageId, page: &Page) -> Key {
        let mut h = KeyHasher(Xxh3::new());
        h.u64(self.links);
        match self.files.0.get(source) {
            Some(&file) => h.u64(1).u64(file),
            None => h.u64(0).bytes(bytes),
        };
        h.u64(id as u64)
            .str(&page.display_path)
            .u64(page.body_start as u64)
            .u64(page.body_line as u64);
        h.0.digest()
    }

    /// The quick key of a page's HTML: the book, the page, its body's key (`None` for a
    /// generated page), the templates and the site. Views are a function of these.
    fn quick_page(&self, page: PageId, doc: Option<Key>) -> Key {
        let mut h = KeyHasher(Xxh3::new());
        h.u64(self.context)
            .u64(self.book)
            .u64(page as u64)
            .u64(u64::from(doc.is_some()))
            .u64(doc.unwrap_or(0));
        h.0.digest()
    }

    /// The whole-context key of a page's HTML: its views (without the body) serialized, its
    /// body's key, the templates and the site.
    fn page<C: Serialize>(&self, doc: Option<Key>, context: &C) -> Key {
        let mut h = KeyHasher(Xxh3::new());
        h.u64(self.context)
            .u64(u64::from(doc.is_some()))
            .u64(doc.unwrap_or(0))
            .json(context);
        h.0.digest()
    }
}

/// The `Debug` form of each item, hashed in parallel.
fn debug_keys<T: std::fmt::Debug + Sync>(items: &[T]) -> Vec<Key> {
    use rayon::prelude::*;
    items
        .par_iter()
        .map(|item| {
            let mut h = KeyHasher(Xxh3::new());
            h.debug(item);
            h.0.digest()
        })
        .collect()
}

/// A value shared with the memo, made owned without a copy when the memo kept no reference.
pub fn into_owned<T: Clone>(value: Arc<T>) -> T {
    Arc::try_unwrap(value).unwrap_or_else(|shared| (*shared).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_memo_computes_every_time_and_keeps_nothing() {
        let memo = Memo::default();
        assert_eq!(
            memo.key(|h| {
                h.str("x");
            }),
            None
        );
        let mut calls = 0;
        for _ in 0..2 {
            memo.get_or_compute(Step::Render, None, || calls += 1);
        }
        assert_eq!(calls, 2);
        assert_eq!(memo.stats(), Stats::default());
    }

    #[test]
    fn enabled_memo_reuses_values_and_sweeps_unused_ones() {
        let memo = Memo::enabled();
        let a = memo.key(|h| {
            h.str("a");
        });
        let b = memo.key(|h| {
            h.str("b");
        });
        assert_ne!(a, b);
        assert_eq!(*memo.get_or_compute(Step::Render, a, || 1), 1);
        assert_eq!(*memo.get_or_compute(Step::Render, a, || 2), 1);
        assert_eq!(*memo.get_or_compute(Step::Render, b, || 3), 3);
        assert_eq!(
            memo.stats().render,
            StepStats {
                hits: 1,
                misses: 2,
                entries: 2
            }
        );
        memo.sweep();
        // The next build uses only `a`: `b` goes at its end.
        memo.get_or_compute(Step::Render, a, || 0);
        memo.sweep();
        assert_eq!(memo.stats().render.entries, 1);
        // A build that never renders keeps the render cache as it was.
        memo.get_or_compute(Step::Page, a, || 0);
        memo.sweep();
        assert_eq!(memo.stats().render.entries, 1);
        assert_eq!(*memo.get_or_compute(Step::Render, a, || 9), 1);
    }

    #[test]
    fn keys_are_length_prefixed() {
        let memo = Memo::enabled();
        let ab_c = memo.key(|h| {
            h.str("ab").str("c");
        });
        let a_bc = memo.key(|h| {
            h.str("a").str("bc");
        });
        assert_ne!(ab_c, a_bc);
        let j1 = memo.key(|h| {
            h.json(&("x", 1));
        });
        let j2 = memo.key(|h| {
            h.json(&("x", 1));
        });
        assert_eq!(j1, j2);
    }
}
