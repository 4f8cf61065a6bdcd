//! Chapters' print views, each written as soon as the last of its pages has rendered (by the
//! thread that rendered it), so that a build holds the bodies of the chapters still rendering
//! only: pages render in parallel, but each thread takes a run of neighbouring pages, and a
//! chapter's pages are neighbours.

use super::{memo, put_generated, Build};
use crate::content::PageId;
use crate::diagnostic::Diagnostic;
use crate::memo::Key;
use crate::site::{self, view::Views};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A page's part of its chapter's print view, held until the view is written.
struct Held {
    body: memo::Doc,
    /// The key of the doc's rendering (with the memo), for the print view's key.
    doc_key: Option<Key>,
}

/// The print views still to write: which chapter each page is printed in, how many of each
/// chapter's pages have not rendered yet, and the bodies of those that have.
pub(super) struct PrintQueue {
    /// Page id → the index of the chapter whose print view shows it.
    chapter_of: Vec<Option<u32>>,
    /// Per chapter, its pages not rendered yet.
    left: Vec<AtomicUsize>,
    /// Per page, its body once rendered, until its chapter's view is written.
    held: Vec<Mutex<Option<Held>>>,
    /// The templates' errors.
    problems: Mutex<Vec<Diagnostic>>,
}

impl PrintQueue {
    /// The queue of every chapter that has a print view.
    pub(super) fn new(build: &Build<'_>) -> PrintQueue {
        let pages = build.book.pages.len();
        let mut chapter_of = vec![None; pages];
        let mut left = Vec::with_capacity(build.course.chapters.len());
        for (n, chapter) in build.course.chapters.iter().enumerate() {
            let mut count = 0;
            if build.course.print.contains_key(&chapter.node) && !build.options.check_only {
                for id in chapter_ids(build, n) {
                    chapter_of[id] = Some(n as u32);
                    count += 1;
                }
            }
            left.push(AtomicUsize::new(count));
        }
        PrintQueue {
            chapter_of,
            left,
            held: (0..pages).map(|_| Mutex::default()).collect(),
            problems: Mutex::default(),
        }
    }

    /// Whether page `id` is shown in a print view (its body is wanted).
    pub(super) fn wants(&self, id: PageId) -> bool {
        self.chapter_of[id].is_some()
    }

    /// The pages to render again for page `id`'s print view to be written again: its
    /// chapter's, or `id` alone when it is in none.
    pub(super) fn printed_with(&self, build: &Build<'_>, id: PageId) -> Vec<PageId> {
        match self.chapter_of[id] {
            Some(n) => chapter_ids(build, n as usize),
            None => vec![id],
        }
    }

    /// The templates' errors, once every page has rendered.
    pub(super) fn into_problems(self) -> Vec<Diagnostic> {
        self.problems
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// A chapter's pages: its own, then its lessons.
fn chapter_ids(build: &Build<'_>, n: usize) -> Vec<PageId> {
    let chapter = &build.course.chapters[n];
    std::iter::once(build.book.nodes[chapter.node].page)
        .chain(chapter.lessons.iter().copied())
        .collect()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Build<'_> {
    /// Part of stage 2: page `id` has rendered; keeps its body for its chapter's print view
    /// and, when it was the chapter's last page, writes the view and lets the bodies go
    /// (with the memo, a print view whose pages did not change comes from it).
    pub(super) fn page_printed(
        &self,
        queue: &PrintQueue,
        views: &Views<'_>,
        id: PageId,
        body: memo::Doc,
        doc_key: Option<Key>,
    ) {
        let Some(n) = queue.chapter_of[id] else {
            return;
        };
        let n = n as usize;
        *lock(&queue.held[id]) = Some(Held { body, doc_key });
        if queue.left[n].fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        let ids = chapter_ids(self, n);
        let held: Vec<Option<Held>> = ids.iter().map(|&id| lock(&queue.held[id]).take()).collect();
        if let Some(d) = self.write_print_view(views, n, &ids, &held) {
            lock(&queue.problems).push(d);
        }
    }

    /// Writes chapter `n`'s print view from its pages' bodies; returns the template's error.
    fn write_print_view(
        &self,
        views: &Views<'_>,
        n: usize,
        ids: &[PageId],
        held: &[Option<Held>],
    ) -> Option<Diagnostic> {
        let (book, chapter) = (&self.book, &self.course.chapters[n]);
        let url = self.course.print.get(&chapter.node)?;
        let key = self.keys.as_ref().map(|k| {
            k.generated("print view", |h| {
                h.u64(chapter.node as u64);
                for h_id in held {
                    h.json(&h_id.as_ref().and_then(|h| h.doc_key));
                }
            })
        });
        let body = |id: PageId| {
            let source = book.pages[id].source;
            let untranslated =
                source.is_some_and(|s| self.locale.untranslated(&self.sources.content[s].path));
            ids.iter()
                .position(|&i| i == id)
                .and_then(|k| held[k].as_ref())
                .map(|h| site::print::PrintBody {
                    html: h.body.html().into_owned(),
                    math: h.body.doc.math,
                    diagrams: h.body.doc.diagrams,
                    untranslated,
                })
                .unwrap_or_default()
        };
        let html = self.resources.memo.print_view(chapter.node, key, || {
            let sidebar = self.long_nav.sidebar(book, book.root());
            let view = site::print::chapter(book, chapter, views, &body, views.url_href(url));
            let html = self
                .templates
                .print(&self.site_view, &view, &views.top_nav(), &sidebar)?;
            Ok(Arc::new(html.into_bytes()))
        });
        put_generated(self.sink, url, &html)
    }
}
