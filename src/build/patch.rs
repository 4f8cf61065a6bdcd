//! `serve`'s path for the commonest save: one doc's body edited, nothing else (issue 15).
//! After a build, `serve` keeps what the build prepared ([`Retained`]: the book, the views'
//! inputs, the keys, each page's anchors and problems). A save that leaves the doc's parse
//! (front matter, title, place, reading time) as it was is redone through the build's own
//! `render_page`, for that page and the other pages of its chapter (their bodies make the
//! chapter's print view; they come from the memo), so that its cost does not grow with the
//! course. When the page's anchors or quiz count change too, or anything else changed (a
//! title, a position, a file added or removed, templates, `book.toml`, static files), the
//! ordinary memoised build runs instead.

use super::keys::FileKeys;
use super::locales::{self, Locale};
use super::{finish, nav, print, run_site, Build, BuildOptions, BuildReport, PageFacts, Resources};
use crate::config::BaseUrl;
use crate::content::{Book, PageId};
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::Sink;
use crate::site::view::{CourseLinks, SiteView, Views};
use crate::site::{search, Templates};
use crate::source::SourceSet;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// What a page's rendering left that other pages' checks and the report depend on.
pub(super) struct PageRecord {
    anchors: Vec<String>,
    quiz_questions: usize,
    /// Its rendering's and its links' problems.
    diagnostics: Vec<Diagnostic>,
}

/// Each page's record, from its facts and its broken anchor links (`broken`, by page).
pub(super) fn records(facts: &[PageFacts], broken: Vec<Vec<Diagnostic>>) -> Vec<PageRecord> {
    facts
        .iter()
        .zip(broken)
        .map(|(f, broken)| PageRecord {
            anchors: f.anchors.clone(),
            quiz_questions: f.quiz_questions,
            diagnostics: f.diagnostics.iter().cloned().chain(broken).collect(),
        })
        .collect()
}

/// A finished build's prepared state: `Build` without what it borrows.
pub(super) struct Kept {
    base: BaseUrl,
    book: Book,
    templates: Arc<Templates>,
    static_paths: BTreeSet<String>,
    page_urls: Vec<String>,
    page_by_url: HashMap<String, PageId>,
    slash_urls: Vec<bool>,
    root_url: String,
    site_view: SiteView,
    course: CourseLinks,
    broken_links: Severity,
    keys: Option<super::keys::BuildKeys>,
    long_nav: nav::LongNav,
    records: Vec<PageRecord>,
    /// The build's report, every diagnostic.
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Build<'a> {
    /// Ends a build as `finish` does, keeping its prepared state.
    pub(super) fn keep(self, records: Vec<PageRecord>) -> (BuildReport, Kept) {
        let report = finish(
            self.diagnostics.clone(),
            self.book.pages.len(),
            self.book.title.clone(),
        );
        let kept = self.into_kept(records, report.diagnostics.clone());
        (report, kept)
    }

    fn into_kept(self, records: Vec<PageRecord>, diagnostics: Vec<Diagnostic>) -> Kept {
        Kept {
            base: self.base,
            book: self.book,
            templates: self.templates,
            static_paths: self.static_paths,
            page_urls: self.page_urls,
            page_by_url: self.page_by_url,
            slash_urls: self.slash_urls,
            root_url: self.root_url,
            site_view: self.site_view,
            course: self.course,
            broken_links: self.broken_links,
            keys: self.keys,
            long_nav: self.long_nav,
            records,
            diagnostics,
        }
    }

    /// The build `kept` came from, again, to redo some of its pages; with its records and
    /// report.
    fn from_kept(
        kept: Kept,
        sources: &'a SourceSet,
        options: &'a BuildOptions<'a>,
        resources: &'a Resources,
        sink: &'a dyn Sink,
        locale: &'a Locale,
    ) -> (Build<'a>, Vec<PageRecord>, Vec<Diagnostic>) {
        let shared_entries = crate::site::nav::SharedEntries::new(kept.book.nodes.len());
        let build = Build {
            sources,
            options,
            resources,
            sink,
            base: kept.base,
            book: kept.book,
            templates: kept.templates,
            // Only stage 6 writes them, and only `static_paths` is asked for by a page.
            static_files: Default::default(),
            static_paths: kept.static_paths,
            unpublished: BTreeSet::new(),
            page_urls: kept.page_urls,
            page_by_url: kept.page_by_url,
            slash_urls: kept.slash_urls,
            root_url: kept.root_url,
            site_view: kept.site_view,
            course: kept.course,
            broken_links: kept.broken_links,
            keys: kept.keys,
            indexer: None,
            kept_index: None,
            long_nav: kept.long_nav,
            shared_entries,
            locale,
            diagnostics: Vec::new(),
        };
        (build, kept.records, kept.diagnostics)
    }

    /// Renders page `id` again, and the other pages of its chapter when it has a print view
    /// (so that the view is written again); returns the page's facts and the print view's
    /// problems.
    fn redo(&self, id: PageId) -> (PageFacts, Vec<Diagnostic>) {
        let queue = print::PrintQueue::new(self);
        let ids = queue.printed_with(self, id);
        let views = Views::new(&self.book, &self.base.path, &self.course);
        let targets = self.targets();
        let renderer = self.renderer(&targets);
        let mut mine = PageFacts::default();
        for &page in &ids {
            let facts = self.render_page(page, &renderer, &views, &queue);
            if page == id {
                mine = facts;
            }
        }
        (mine, queue.into_problems())
    }
}

impl Build<'_> {
    /// The search index of every page, from the memo's renderings (a doc it lacks is
    /// rendered), into the sink; stops at the next page or file of the index once cancelled.
    /// Returns false then.
    fn index_search(&self) -> bool {
        let indexer = search::Indexer::default();
        let pages = self.index_pages(&indexer);
        if self.options.cancelled() {
            return false;
        }
        // An indexer made without the build cache leaves no page for a patch, so it never
        // reads one back, and keeps no index for the next build.
        let cancelled = || self.options.cancelled();
        let _ = indexer.write_unless(
            pages,
            self.sink,
            &cancelled,
            &|_| None,
            &mut std::io::sink(),
        );
        !self.options.cancelled()
    }
}

/// The state a build of a one-language site leaves for [`Retained::patch`].
pub(crate) struct Retained {
    locale: Locale,
    /// `None` once a patch gave up (this state is then stale).
    kept: Option<Kept>,
    /// The project's content files and read problems when it was built.
    content_files: usize,
    source_diagnostics: Vec<Diagnostic>,
}

/// What a patch did.
pub(crate) struct Patched {
    /// The build's report, as the ordinary build would give it.
    pub(crate) report: BuildReport,
}

impl Retained {
    /// `build`; with the memo, on a site in one language, also what `patch` needs (none
    /// when the build had errors).
    pub(crate) fn build(
        sources: &SourceSet,
        options: &BuildOptions<'_>,
        resources: &Resources,
        sink: &dyn Sink,
    ) -> (BuildReport, Option<Retained>) {
        let keep = resources.memo.is_enabled() && !options.check_only;
        if !keep || !locales::is_single(sources) {
            return (super::build(sources, options, resources, sink), None);
        }
        // As `locales::build` does for one language.
        let mut diagnostics = Vec::new();
        let locale = locales::default_locale(sources, &mut diagnostics);
        let (mut report, _, kept) = run_site(sources, options, resources, sink, &locale, true);
        if !diagnostics.is_empty() {
            report.diagnostics.extend(diagnostics);
            report.diagnostics.sort();
        }
        let retained = kept.filter(|_| !report.has_errors()).map(|mut kept| {
            kept.diagnostics.clone_from(&report.diagnostics);
            Retained {
                locale,
                kept: Some(kept),
                content_files: sources.content.len(),
                source_diagnostics: sources.diagnostics.clone(),
            }
        });
        (report, retained)
    }

    /// Writes the search index of the site as kept (its build and the patches since) into
    /// `sink`, from the memo, without preparing a build again: no file is read or hashed
    /// (but a doc the memo lacks), so that a save arriving meanwhile (`cancel`) stops it at
    /// the next page. `None` when nothing is kept; `Some(false)` when cancelled.
    pub(crate) fn index_search(
        &mut self,
        sources: &SourceSet,
        resources: &Resources,
        sink: &dyn Sink,
        cancel: &(dyn Fn() -> bool + Sync),
    ) -> Option<bool> {
        let kept = self.kept.take()?;
        let options = BuildOptions {
            cancel: Some(cancel),
            search_only: true,
            ..BuildOptions::default()
        };
        let (build, records, report) =
            Build::from_kept(kept, sources, &options, resources, sink, &self.locale);
        let done = build.index_search();
        self.kept = Some(build.into_kept(records, report));
        Some(done)
    }

    /// Redoes into `sink` what a save of content file `path` (relative to the content
    /// folder, already refreshed in `sources`) changed, when it changed that doc's body only
    /// and its anchors and quiz count stayed; `None` when the ordinary build must run (this
    /// state is then stale: drop it).
    pub(crate) fn patch(
        &mut self,
        sources: &SourceSet,
        resources: &Resources,
        sink: &dyn Sink,
        path: &str,
    ) -> Option<Patched> {
        if sources.content.len() != self.content_files
            || sources.diagnostics != self.source_diagnostics
        {
            return None;
        }
        // What this patch makes anew replaces its old value in the memo (no sweep follows).
        let _replacing = resources.memo.replacing();
        let mut kept = self.kept.take()?;
        let index = sources.content.iter().position(|f| f.path == path)?;
        let id = kept
            .book
            .pages
            .iter()
            .position(|p| p.source == Some(index))?;
        let keys = kept.keys.as_mut()?;
        let display = format!("{}/{}", sources.content_dir, path);
        let before = resources.memo.parsed(keys.files(), index, &display)?;
        keys.set_file(index, FileKeys::key_of(sources, index));
        // As `content::load_with` gives it (the Markdown may be on disk).
        let file = crate::source::SourceFile {
            path: path.to_string(),
            bytes: sources.bytes(index).ok()?.into_owned(),
        };
        let after = resources.memo.parse(keys.files(), index, &file, &display);
        if format!("{:?}", *before) != format!("{after:?}") {
            return None;
        }
        let options = BuildOptions {
            skip_search: true,
            ..BuildOptions::default()
        };
        let (build, mut records, report) =
            Build::from_kept(kept, sources, &options, resources, sink, &self.locale);
        let (facts, problems) = build.redo(id);
        let record = &records[id];
        if facts.anchors != record.anchors || facts.quiz_questions != record.quiz_questions {
            return None;
        }
        let has = |page: PageId, anchor: &str| records[page].anchors.iter().any(|a| a == anchor);
        let anchors = |page: PageId| records[page].anchors.as_slice();
        let broken = build.broken_anchors(id, &facts.links, &has, &anchors);
        let fresh: Vec<Diagnostic> = facts.diagnostics.into_iter().chain(broken).collect();
        let stale: BTreeSet<&Diagnostic> = record.diagnostics.iter().collect();
        let mut diagnostics: Vec<Diagnostic> = report
            .iter()
            .filter(|d| !stale.contains(d))
            .cloned()
            .chain(fresh.iter().cloned())
            .chain(problems)
            .collect();
        diagnostics.sort();
        diagnostics.dedup();
        records[id] = PageRecord {
            anchors: facts.anchors,
            quiz_questions: facts.quiz_questions,
            diagnostics: fresh,
        };
        let (pages_in_site, title) = (build.book.pages.len(), build.book.title.clone());
        self.kept = Some(build.into_kept(records, diagnostics.clone()));
        Some(Patched {
            report: BuildReport {
                diagnostics,
                pages: pages_in_site,
                title,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::output::Output;

    const LESSON: &str = "02-containers/01-images.md";

    fn course() -> SourceSet {
        let mut files = vec![(
            "README.md".to_string(),
            "# Course\n\nWelcome.\n".to_string(),
        )];
        for (n, chapter) in ["01-basics", "02-containers", "03-deploy"]
            .iter()
            .enumerate()
        {
            files.push((format!("{chapter}/README.md"), format!("# Chapter {n}\n")));
            for (m, lesson) in ["images", "volumes"].iter().enumerate() {
                let text = format!(
                    "---\ntitle: Lesson {n}.{m}\n---\n\n## Setup\n\nSee [the next](../03-deploy/01-images.md#setup).\n\n```python\nprint({n})\n```\n"
                );
                files.push((format!("{chapter}/0{}-{lesson}.md", m + 1), text));
            }
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        SourceSet::from_memory(Config::default(), &files)
    }

    fn edit(sources: &mut SourceSet, f: impl FnOnce(&str) -> String) {
        let file = sources
            .content
            .iter_mut()
            .find(|f| f.path == LESSON)
            .unwrap();
        file.bytes = f(std::str::from_utf8(&file.bytes).unwrap()).into_bytes();
    }

    fn serve_options() -> BuildOptions<'static> {
        BuildOptions {
            skip_search: true,
            ..BuildOptions::default()
        }
    }

    /// The files and report of an ordinary build without a memo.
    fn full_build(
        sources: &SourceSet,
    ) -> (std::collections::BTreeMap<String, Vec<u8>>, BuildReport) {
        let out = Output::default();
        let report = super::super::build(sources, &serve_options(), &Resources::default(), &out);
        (out.into_files(), report)
    }

    /// The first build of `sources`, as serve keeps it: without errors, the memo swept.
    fn kept(sources: &SourceSet, resources: &Resources) -> Retained {
        let (report, retained) = Retained::build(
            sources,
            &BuildOptions::default(),
            resources,
            &Output::default(),
        );
        resources.memo.sweep();
        assert!(!report.has_errors(), "{:?}", report.diagnostics);
        retained.expect("a one-language build is kept")
    }

    #[test]
    fn a_body_save_redoes_its_chapter_only_as_the_full_build_would() {
        let mut sources = course();
        let resources = Resources::with_memo();
        let mut retained = kept(&sources, &resources);

        edit(&mut sources, |t| {
            format!("{t}\nOne more paragraph, [broken](#nowhere).\n")
        });
        let out = Output::default();
        let before = resources.memo.stats();
        let patched = retained
            .patch(&sources, &resources, &out, LESSON)
            .expect("a body-only save is patched");
        let after = resources.memo.stats();
        assert_eq!(
            after.render.misses - before.render.misses,
            1,
            "only the saved doc"
        );
        assert_eq!(
            after.page.misses - before.page.misses,
            2,
            "its page and its chapter's print view"
        );
        assert_eq!(
            after.render.hits - before.render.hits,
            2,
            "the chapter's page and other lesson, from the memo; no other page"
        );
        let (full, report) = full_build(&sources);
        let files = out.into_files();
        assert!(files.contains_key("containers/images/index.html"));
        assert!(files.contains_key("containers/print/index.html"));
        for (path, bytes) in &files {
            assert!(
                full.get(path) == Some(bytes),
                "{path} differs from the full build's"
            );
        }
        assert!(
            files.keys().all(|p| p.starts_with("containers/")),
            "nothing outside the chapter: {:?}",
            files.keys()
        );
        assert_eq!(patched.report.diagnostics, report.diagnostics);
        assert!(report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("#nowhere")));

        // A new heading changes the page's anchors: other pages' links may depend on them.
        edit(&mut sources, |t| format!("{t}\n## More\n"));
        let out = Output::default();
        assert!(retained.patch(&sources, &resources, &out, LESSON).is_none());
    }

    #[test]
    fn saves_leave_the_memo_as_large_as_it_was_and_each_patch_as_cheap() {
        // Issue 15: each save left its page's, doc's and print view's old values in the
        // memo, which no sweep reached; `serve`'s memory grew with every save.
        let mut sources = course();
        let resources = Resources::with_memo();
        let mut retained = kept(&sources, &resources);
        let entries = |s: crate::build::memo::Stats| {
            (
                s.front_matter.entries,
                s.render.entries,
                s.page.entries,
                s.quick.entries,
            )
        };
        let built = entries(resources.memo.stats());
        assert!(built.0 > 0 && built.2 > 0, "{built:?}");
        for i in 0..4 {
            edit(&mut sources, |t| format!("{t}\nSave number {i}.\n"));
            let before = resources.memo.stats();
            let out = Output::default();
            retained
                .patch(&sources, &resources, &out, LESSON)
                .expect("a body-only save is patched");
            let after = resources.memo.stats();
            assert_eq!(entries(after), built, "entries after save {i}");
            // Nothing the next pages need was dropped: the same work as the first patch.
            assert_eq!(after.render.misses - before.render.misses, 1, "save {i}");
            assert_eq!(after.render.hits - before.render.hits, 2, "save {i}");
            assert_eq!(after.page.misses - before.page.misses, 2, "save {i}");
            // And the pages are the full build's.
            let (full, _) = full_build(&sources);
            for (path, bytes) in out.into_files() {
                assert_eq!(Some(&bytes), full.get(&path), "{path} after save {i}");
            }
        }
    }

    #[test]
    fn the_search_index_from_the_kept_state_is_the_full_builds_and_stops_when_asked() {
        let mut sources = course();
        let resources = Resources::with_memo();
        let mut retained = kept(&sources, &resources);
        edit(&mut sources, |t| {
            format!("{t}\nA paragraph on zeppelins.\n")
        });
        let patched = retained.patch(&sources, &resources, &Output::default(), LESSON);
        assert!(patched.is_some(), "a body-only save is patched");

        let out = Output::default();
        let never = || false;
        let done = retained.index_search(&sources, &resources, &out, &never);
        assert_eq!(done, Some(true));
        let index = out.into_files();
        let full = Output::default();
        super::super::build(
            &sources,
            &BuildOptions::default(),
            &Resources::default(),
            &full,
        );
        let full = full.into_files();
        let dir = format!("{}/", crate::site::search::DIR);
        let expected: Vec<&String> = full.keys().filter(|p| p.starts_with(&dir)).collect();
        assert_eq!(index.keys().collect::<Vec<_>>(), expected);
        for (path, bytes) in &index {
            assert!(
                full.get(path) == Some(bytes),
                "{path} differs from the full build's"
            );
        }
        let saved = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
            files
                .values()
                .any(|b| String::from_utf8_lossy(b).contains("zeppelins"))
        };
        assert!(saved(&index), "the saved text is in the index");

        // A save arriving meanwhile stops it before the manifest; the state is kept.
        let out = Output::default();
        let always = || true;
        let done = retained.index_search(&sources, &resources, &out, &always);
        assert_eq!(done, Some(false));
        assert!(out.into_files().keys().all(|p| !p.contains("manifest")));
        edit(&mut sources, |t| format!("{t}\nMore.\n"));
        let patched = retained.patch(&sources, &resources, &Output::default(), LESSON);
        assert!(patched.is_some(), "still patches after a stopped index");
    }

    #[test]
    fn a_title_or_front_matter_change_is_left_to_the_full_build() {
        let mut sources = course();
        let resources = Resources::with_memo();
        let (_, retained) = Retained::build(
            &sources,
            &BuildOptions::default(),
            &resources,
            &Output::default(),
        );
        let mut retained = retained.unwrap();
        edit(&mut sources, |t| {
            t.replace("title: Lesson 1.0", "title: Images")
        });
        let out = Output::default();
        assert!(retained.patch(&sources, &resources, &out, LESSON).is_none());
        // Once given up, it stays given up: the full build makes a new one.
        edit(&mut sources, |t| format!("{t}\nMore.\n"));
        assert!(retained.patch(&sources, &resources, &out, LESSON).is_none());
    }
}
