//! The pure build: a SourceSet in, every site file out through a Sink, plus diagnostics.
//! Nothing here touches the disk.

use crate::config::{BaseUrl, BrokenLinks};
use crate::content::{self, Book, PageId};
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::{
    self, diagram::Diagrams, highlight::Highlighter, links::Targets, DocInput, PageLink, Renderer,
};
use crate::output::Sink;
use crate::site::view::{CourseLinks, SiteView, Views};
use crate::site::{self, search, TemplateCache, Templates};
use crate::site_path::SitePath;
use crate::source::SourceSet;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod claims;
mod course_map;
#[cfg(test)]
mod i18n_coverage;
mod keys;
mod locales;
mod memo;
mod nav;
mod patch;
mod persist;
mod print;
mod theme;

use keys::{BuildKeys, FileKeys};
use locales::Locale;
pub use memo::{Memo, Stats as MemoStats};
pub(crate) use patch::Retained;
pub use persist::identity as cache_identity;

/// What a build may change beyond the project's own settings.
#[derive(Default)]
pub struct BuildOptions<'a> {
    /// Overrides `[site] base-url`.
    pub base_url: Option<String>,
    /// Called once per page rendered (for a progress bar).
    pub on_page: Option<&'a (dyn Fn() + Sync)>,
    /// Run every check but render no templates and produce no files (`syllabus check`).
    pub check_only: bool,
    /// Leave out the search index (to measure what it costs).
    pub skip_search: bool,
    /// URLs per sitemap file before it is split into an index and parts; `None` is the
    /// sitemap protocol's 50,000 (a lower one lets a test see the split on a small site).
    #[doc(hidden)]
    pub sitemap_urls: Option<usize>,
    /// Asked between pages: once it returns true the build stops early and its output is
    /// incomplete (`serve` stops its background search build when a save arrives).
    pub cancel: Option<&'a (dyn Fn() -> bool + Sync)>,
    /// Make the search index and leave out the course and site files (the pages still go
    /// to the sink, as they feed the index): `serve`'s background search build, which
    /// publishes the index alone.
    pub search_only: bool,
}

impl BuildOptions<'_> {
    /// URLs per sitemap file.
    fn sitemap_urls(&self) -> usize {
        self.sitemap_urls.unwrap_or(site::sitemap::MAX_URLS)
    }

    /// True once the caller asked the build to stop (see `cancel`).
    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|cancel| cancel())
    }
}

/// Loaded once per process and shared by every build.
#[derive(Default)]
pub struct Resources {
    /// Syntect's grammars and the token theme.
    pub(crate) highlighter: Highlighter,
    /// The Mermaid renderer and its memo of drawn diagrams.
    pub(crate) diagrams: Diagrams,
    /// The parsed templates, parsed again only when the project's templates change.
    pub(crate) templates: TemplateCache,
    /// Caches of pure steps, for repeated builds (`serve`); disabled by default.
    pub memo: Memo,
}

impl Resources {
    /// Resources whose memo keeps work between builds.
    pub fn with_memo() -> Resources {
        Resources {
            highlighter: Highlighter::with_cache_budget(
                crate::markdown::highlight::SERVE_CACHE_BUDGET,
            ),
            diagrams: Diagrams::with_cache_budget(crate::markdown::diagram::SERVE_CACHE_BUDGET),
            templates: TemplateCache::default(),
            memo: Memo::enabled(),
        }
    }

    /// Resources whose memo uses the build cache on disk (`syllabus build`).
    pub fn with_disk_cache(store: crate::disk_cache::Store) -> Resources {
        Resources {
            memo: Memo::on_disk(store),
            ..Resources::default()
        }
    }

    /// The next build uses `store` as its build cache on disk (None: no cache), keeping what
    /// was loaded (grammars, templates): for tests that build many times in one process.
    /// The memo's last store should be finished first (`Memo::finish_disk_cache`).
    pub fn set_disk_cache(&mut self, store: Option<crate::disk_cache::Store>) {
        self.memo = store.map_or_else(Memo::default, Memo::on_disk);
    }
}

/// The result of a build besides its files.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every problem found, sorted by place, each once.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages in the site.
    pub pages: usize,
    /// The site's title.
    pub title: String,
}

impl BuildReport {
    /// True when a diagnostic is an error (the site must not be published).
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// Builds the site: every file goes to `sink`; diagnostics come back, sorted. A site with
/// several `[site] locales` is built once per locale (`locales.rs`).
pub fn build(
    sources: &SourceSet,
    options: &BuildOptions<'_>,
    resources: &Resources,
    sink: &dyn Sink,
) -> BuildReport {
    resources.memo.set_kept_bytes(sink.wants_kept_bytes());
    locales::build(sources, options, resources, sink)
}

/// Builds one locale's site; returns the report and the URLs its sitemap lists.
fn build_site(
    sources: &SourceSet,
    options: &BuildOptions<'_>,
    resources: &Resources,
    sink: &dyn Sink,
    locale: &Locale,
) -> (BuildReport, Vec<String>) {
    let (report, listed, _) = run_site(sources, options, resources, sink, locale, false);
    (report, listed)
}

/// `build_site`; with `keep`, also what `serve` keeps to redo one page (`patch.rs`).
fn run_site(
    sources: &SourceSet,
    options: &BuildOptions<'_>,
    resources: &Resources,
    sink: &dyn Sink,
    locale: &Locale,
    keep: bool,
) -> (BuildReport, Vec<String>, Option<patch::Kept>) {
    let mut build = match Build::prepare(sources, options, resources, sink, locale) {
        Ok(build) => build,
        Err(report) => return (report, Vec::new(), None),
    };
    if options.cancelled() {
        return (build.finish(), Vec::new(), None);
    }
    let facts = build.render_pages();
    let broken = build.check_anchors(&facts);
    if options.check_only || options.cancelled() {
        return (build.finish(), Vec::new(), None);
    }
    let quiz_questions: Vec<usize> = facts.iter().map(|f| f.quiz_questions).collect();
    let records = keep.then(|| patch::records(&facts, broken));
    // The search index is written beside the course and site files: it needs nothing of
    // theirs, and on two cores the end of a build was otherwise one thread's work.
    let search = build.search_job(facts);
    let (unpatched, listed) = if options.search_only {
        (search(), Vec::new())
    } else {
        rayon::join(search, || {
            build.write_course(&quiz_questions);
            build.write_site_files()
        })
    };
    if unpatched {
        build.index_again();
    }
    match records {
        Some(records) => {
            let (report, kept) = build.keep(records);
            (report, listed, Some(kept))
        }
        None => (build.finish(), listed, None),
    }
}

/// One build: what it reads, what it has made so far, and its stages as methods, in the
/// order `build` runs them.
struct Build<'a> {
    sources: &'a SourceSet,
    options: &'a BuildOptions<'a>,
    resources: &'a Resources,
    sink: &'a dyn Sink,
    base: BaseUrl,
    book: Book,
    templates: Arc<Templates>,
    /// The built-in static files with the project's in their place.
    static_files: BTreeMap<SitePath, Vec<u8>>,
    /// Site paths a link may point at besides pages and assets.
    static_paths: BTreeSet<String>,
    /// Content files not copied, because a page is written at their path.
    unpublished: BTreeSet<String>,
    /// Page id → site-relative URL, and back.
    page_urls: Vec<String>,
    page_by_url: HashMap<String, PageId>,
    /// Page id → whether its Docusaurus URL ends in `/` (see `Targets::slash_urls`).
    slash_urls: Vec<bool>,
    /// Site-relative URL of the content root (`` or `docs/`).
    root_url: String,
    site_view: SiteView,
    /// The course map, print views, edit links and chapters the views link to.
    course: CourseLinks,
    broken_links: Severity,
    /// The keys of the cached steps, when the memo is enabled.
    keys: Option<BuildKeys>,
    /// Collects the search index while pages render (unless left out).
    indexer: Option<search::Indexer>,
    /// The hash of the search index the last build kept for this one to patch, if any.
    kept_index: Option<u128>,
    /// The shared top level of long sidebars and the contents page (issue 20).
    long_nav: nav::LongNav,
    /// Sidebar entries rendered once for every page that shows them.
    shared_entries: site::nav::SharedEntries,
    /// The language built, and the site's others.
    locale: &'a Locale,
    diagnostics: Vec<Diagnostic>,
}

/// What one page's rendering leaves for the checks that need every page.
#[derive(Default)]
struct PageFacts {
    anchors: Vec<String>,
    links: Vec<PageLink>,
    diagnostics: Vec<Diagnostic>,
    search: Option<search::PageIndex>,
    quiz_questions: usize,
}

impl<'a> Build<'a> {
    /// Stage 1: reads the settings, loads the book and the templates, checks that no two
    /// writers share an output path, and indexes what links may point at. A bad base URL or
    /// template ends the build here.
    fn prepare(
        sources: &'a SourceSet,
        options: &'a BuildOptions<'a>,
        resources: &'a Resources,
        sink: &'a dyn Sink,
        locale: &'a Locale,
    ) -> Result<Build<'a>, BuildReport> {
        let config = &sources.config;
        let mut diagnostics = sources.diagnostics.clone();
        let base = match site_base(sources, options) {
            Ok(base) => base,
            Err(d) => {
                diagnostics.push(d);
                return Err(finish(diagnostics, 0, String::new()));
            }
        };
        let memo = &resources.memo;
        let files = if memo.is_keyed() {
            FileKeys::of(sources, &|| options.cancelled())
        } else {
            FileKeys::default()
        };
        if options.cancelled() {
            // The keys are not all made: nothing may be looked up by them.
            return Err(finish(diagnostics, 0, String::new()));
        }
        // A doc whose parse the memo holds is not read again; once cancelled, the docs left
        // are neither read nor parsed (the build stops below).
        let known = |index: usize, display: &str| {
            if options.cancelled() {
                return Some(content::ParsedDoc::default());
            }
            memo.known(&files, index, display)
        };
        let mut book = content::load_known(sources, config, known, |index, file, display| {
            memo.parse(&files, index, file, display)
        });
        locale.translate_labels(&mut book);
        diagnostics.extend(book.diagnostics.iter().cloned());
        if options.cancelled() {
            return Err(finish(diagnostics, book.pages.len(), book.title));
        }
        let templates = match resources.templates.load(&sources.templates) {
            Ok(templates) => templates,
            Err(d) => {
                diagnostics.push(d);
                return Err(finish(diagnostics, book.pages.len(), book.title));
            }
        };
        if options.cancelled() {
            return Err(finish(diagnostics, book.pages.len(), book.title));
        }
        let plain_static = static_files(sources, &mut diagnostics);
        let chapters = site::course::chapters(&book);
        let progress = site::progress::data(&book, &chapters, &base.path);
        // Issue 18: theme files minified, under hashed names (build/theme.rs).
        let mut generated_theme = vec![
            (
                site::HIGHLIGHT_CSS,
                resources.highlighter.stylesheet().into_bytes(),
            ),
            (site::progress::FILE, progress.summary.into_bytes()),
        ];
        if config.markdown.mermaid {
            let diagrams = resources.diagrams.stylesheet().into_bytes();
            generated_theme.push((site::DIAGRAM_CSS, diagrams));
        }
        let theme = theme::publish(&plain_static, generated_theme, &base.path);
        let mut static_files = theme.files;
        // Issue 15: each part's and group's reading-progress data, already under its
        // hashed name.
        let mut progress_paths = Vec::new();
        for (path, bytes) in progress.files {
            static_files.insert(SitePath::generated(&path), bytes);
            progress_paths.push(path);
        }
        let root_url = content::paths::join_url("", config.site.route_base.trim_matches('/'));
        let long_nav = if options.check_only {
            nav::LongNav::default()
        } else {
            let base = &base.path;
            let files = &static_files;
            let strings = &locale.strings;
            nav::LongNav::prepare(
                &book,
                &templates,
                (strings, &config.book.language),
                base,
                &root_url,
                files,
                &mut diagnostics,
            )
        };
        if options.cancelled() {
            return Err(finish(diagnostics, book.pages.len(), book.title));
        }
        let collisions = output_claims(
            sources,
            options,
            &base,
            &book,
            &plain_static,
            &long_nav,
            &progress_paths,
        );
        drop(plain_static);
        diagnostics.extend(collisions.diagnostics);
        if options.cancelled() {
            return Err(finish(diagnostics, book.pages.len(), book.title));
        }
        let static_paths = static_files
            .keys()
            .map(|p| p.as_str().to_string())
            .collect();
        let page_urls: Vec<String> = book.pages.iter().map(|p| p.url.clone()).collect();
        let slash_urls = slash_urls(&book, config.site.trailing_slash);
        let page_by_url = page_urls
            .iter()
            .enumerate()
            .map(|(i, u)| (u.clone(), i))
            .collect();
        let mut course = course_links(sources, &book, &static_files, chapters, &mut diagnostics);
        course.origin = base.origin.clone();
        course.progress = progress.links;
        let site_view = SiteView {
            title: book.title.clone(),
            description: config.book.description.clone(),
            language: config.book.language.clone(),
            base: base.path.clone(),
            home_href: base.path.clone(),
            edit_url: course.edit_url.clone(),
            course_map_href: course
                .course_map
                .as_deref()
                .map(|u| format!("{}{}", base.path, content::paths::encode_path(u))),
            dir: locale.dir(),
            t: locale.strings.clone(),
            strings_json: locale.strings.script_json(),
            locales: locale.alternates(&root_url, None),
            assets: theme.hrefs,
            inline: theme.inline,
        };
        let broken_links = match config.build.on_broken_links {
            BrokenLinks::Error => Severity::Error,
            BrokenLinks::Warn => Severity::Warning,
        };
        let mut kept_index = None;
        let indexer = (!options.check_only && !options.skip_search).then(|| {
            if !resources.memo.has_disk() {
                return search::Indexer::default();
            }
            let previous = resources.memo.search_index(locale.code());
            kept_index = previous.as_ref().map(|(hash, _)| *hash);
            search::Indexer::keeping(previous.and_then(|(_, b)| search::Previous::parse(b)))
        });
        let shared_entries = site::nav::SharedEntries::new(book.nodes.len());
        let mut build = Build {
            sources,
            options,
            resources,
            sink,
            base,
            book,
            templates,
            static_files,
            static_paths,
            unpublished: collisions.unpublished,
            page_urls,
            slash_urls,
            page_by_url,
            root_url,
            site_view,
            course,
            broken_links,
            keys: None,
            indexer,
            kept_index,
            long_nav,
            shared_entries,
            locale,
            diagnostics,
        };
        if options.cancelled() {
            return Err(finish(
                build.diagnostics,
                build.book.pages.len(),
                build.book.title,
            ));
        }
        if memo.is_keyed() {
            let keys = BuildKeys::new(
                &build.renderer(&build.targets()),
                &sources.templates,
                &build.site_view,
                &build.base,
                &build.book,
                files,
                locale.urls(),
            );
            build.keys = Some(keys);
        }
        Ok(build)
    }

    /// Where links may point.
    fn targets(&self) -> Targets<'_> {
        Targets {
            base: &self.base.path,
            page_by_path: &self.book.page_by_path,
            page_by_url: &self.page_by_url,
            page_urls: &self.page_urls,
            slash_urls: &self.slash_urls,
            site_pages: &self.sources.site_pages,
            assets: &self.book.assets,
            static_paths: &self.static_paths,
            content_dir: &self.sources.content_dir,
            root_url: &self.root_url,
        }
    }

    fn renderer<'t>(&'t self, targets: &'t Targets<'t>) -> Renderer<'t> {
        Renderer {
            highlighter: &self.resources.highlighter,
            targets,
            broken_links: self.broken_links,
            code_html: !self.options.check_only,
            math: self.sources.config.markdown.math,
            mermaid: self.sources.config.markdown.mermaid,
            diagrams: &self.resources.diagrams,
            detect_code_language: self.sources.config.build.detect_code_language,
            components: self
                .templates
                .has_components()
                .then_some(&*self.templates as &dyn crate::markdown::Components),
            strings: &self.locale.strings,
        }
    }

    /// Stage 2: every page's Markdown and template, in parallel; each page's HTML goes to
    /// the sink as it is made, and each chapter's print view as soon as its last page has
    /// rendered (`print.rs`), so that a large course never holds every body at once.
    fn render_pages(&mut self) -> Vec<PageFacts> {
        let views = Views::new(&self.book, &self.base.path, &self.course);
        let targets = self.targets();
        let renderer = self.renderer(&targets);
        let queue = print::PrintQueue::new(self);
        let facts: Vec<PageFacts> = (0..self.book.pages.len())
            .into_par_iter()
            .map(|id| {
                if self.options.cancelled() {
                    return PageFacts::default();
                }
                let facts = self.render_page(id, &renderer, &views, &queue);
                if let Some(tick) = self.options.on_page {
                    tick();
                }
                facts
            })
            .collect();
        let problems = queue.into_problems();
        for f in &facts {
            self.diagnostics.extend(f.diagnostics.iter().cloned());
        }
        self.diagnostics.extend(problems);
        facts
    }

    /// One page: its doc rendered (or taken from the memo), then its template.
    fn render_page(
        &self,
        id: PageId,
        renderer: &Renderer<'_>,
        views: &Views<'_>,
        print: &print::PrintQueue,
    ) -> PageFacts {
        let page = &self.book.pages[id];
        let (doc_key, doc) = self.page_doc(id, renderer);
        let rendered = &doc.doc;
        // The body, unpacked only if a step below needs it (with the memo, most pages of a
        // rebuild need none).
        let body = std::cell::OnceCell::new();
        let html = || -> &str { body.get_or_init(|| doc.html()) };
        let mut facts = PageFacts {
            anchors: rendered.anchors.clone(),
            links: rendered.links.clone(),
            diagnostics: rendered.diagnostics.clone(),
            search: None,
            quiz_questions: rendered.quiz_questions,
        };
        let is_doc = page.source.is_some() && !self.book.nodes[page.node].is_category;
        if is_doc && doc.is_blank() {
            facts.diagnostics.push(
                Diagnostic::warning(&page.display_path, page.body_line, 1, "page is empty")
                    .with_help(
                        "write the lesson, or mark it `draft: true` to leave it out for now",
                    ),
            );
        }
        if self.options.check_only {
            return facts;
        }
        facts.search = self
            .indexer
            .as_ref()
            .and_then(|ix| self.index_page(ix, id, doc_key, &html));
        let canonical = self.base.absolute(&content::paths::encode_path(&page.url));
        let page_html = self.resources.memo.page_html(
            self.keys.as_ref(),
            id,
            doc_key,
            &html,
            || {
                let mut view = views.page(id, rendered, canonical);
                view.math = rendered.math;
                let source = page.source.map(|s| self.sources.content[s].path.as_str());
                view.alternates = self.locale.alternates(&page.url, source);
                view.untranslated = page
                    .source
                    .is_some_and(|s| self.locale.untranslated(&self.sources.content[s].path));
                view.diagrams = rendered.diagrams;
                (view.no_code, view.no_components) = site::assets::unused_sheets(html());
                let sidebar = self.long_nav.sidebar(&self.book, page.node);
                (view, views.nav(page.node), sidebar)
            },
            |(view, mut nav, sidebar)| {
                self.shared_entries.fill(&self.templates, &mut nav, 0);
                let html = self
                    .templates
                    .page(&self.site_view, &view, &nav, &sidebar, html())?;
                Ok(Arc::new(html.into_bytes()))
            },
        );
        match (Arc::unwrap_or_clone(page_html), &page.file) {
            (Ok(html), Some(file)) => put_html(self.sink, file, &html),
            // No safe file: the content's error says why; nothing is written.
            (Ok(_), None) => {}
            (Err(d), _) => facts.diagnostics.push(d),
        }
        if print.wants(id) {
            self.page_printed(print, views, id, doc.clone(), doc_key);
        }
        facts
    }

    /// Page `id`'s doc: the key of its rendering (with the memo) and its rendering (from the
    /// memo, or made).
    fn page_doc(
        &self,
        id: PageId,
        renderer: &Renderer<'_>,
    ) -> (Option<crate::memo::Key>, memo::Doc) {
        let page = &self.book.pages[id];
        let doc_key = page.source.and_then(|s| {
            let keys = self.keys.as_ref()?;
            let bytes = || self.sources.bytes(s).unwrap_or_default();
            Some(keys.doc(s, bytes, id, page))
        });
        let doc = self
            .resources
            .memo
            .render(id, doc_key, || self.render_doc(id, renderer));
        (doc_key, doc)
    }

    /// Page `id` added to the search index `ix` (its body is `html()`); `None` for an
    /// unlisted doc, which is left out (its fragment slot is empty).
    fn index_page<'h>(
        &self,
        ix: &search::Indexer,
        id: PageId,
        doc_key: Option<crate::memo::Key>,
        html: &dyn Fn() -> &'h str,
    ) -> Option<search::PageIndex> {
        let page = &self.book.pages[id];
        if page.front.unlisted {
            return None;
        }
        let key = doc_key.zip(self.keys.as_ref());
        let key = key.map(|(doc, keys)| keys.search(doc, &page.title, &page.url));
        let memo = &self.resources.memo;
        // A page indexed from this text before needs only its fragment (the previous index
        // has its postings); one whose fragment the cache lost gets it kept again.
        let mut lost = false;
        if let Some(key) = key.filter(|&k| ix.unchanged(id, k)) {
            match memo.search_fragment(key) {
                Some(fragment) => return Some(ix.add_unchanged(id, key, fragment, self.sink)),
                None => lost = true,
            }
        }
        let text = memo.search_text(key, || search::analyse(&page.title, &page.url, html()));
        if let (true, Some(key)) = (lost, key) {
            memo.keep_search_fragment(key, &text);
        }
        Some(ix.add(id, key, &text, self.sink))
    }

    /// A page's Markdown through every pass (a generated category page has none).
    fn render_doc(&self, id: PageId, renderer: &Renderer<'_>) -> markdown::RenderedDoc {
        let page = &self.book.pages[id];
        let Some(source) = page.source else {
            return markdown::RenderedDoc::default();
        };
        let bytes = match self.sources.bytes(source) {
            Ok(bytes) => bytes,
            Err(d) => {
                return markdown::RenderedDoc {
                    diagnostics: vec![d],
                    ..Default::default()
                }
            }
        };
        let text = content::decode(&bytes).unwrap_or_default();
        let input = DocInput {
            page: id,
            source_path: page
                .display_path
                .split_once('/')
                .map_or("", |(_, rest)| rest),
            display_path: &page.display_path,
            body: text.get(page.body_start..).unwrap_or(""),
            body_line: page.body_line,
        };
        markdown::render(&input, renderer)
    }

    /// Stage 3: links to anchors that the target page does not have; returns them by page
    /// too.
    fn check_anchors(&mut self, facts: &[PageFacts]) -> Vec<Vec<Diagnostic>> {
        // Each page's anchors as a set, so a page with thousands of links to thousands of
        // headings is checked in linear time.
        let sets: Vec<std::collections::HashSet<&str>> = facts
            .iter()
            .map(|f| f.anchors.iter().map(String::as_str).collect())
            .collect();
        let has = |page: PageId, anchor: &str| sets[page].contains(anchor);
        let anchors = |page: PageId| facts[page].anchors.as_slice();
        let broken: Vec<Vec<Diagnostic>> = facts
            .iter()
            .enumerate()
            .map(|(id, f)| self.broken_anchors(id, &f.links, &has, &anchors))
            .collect();
        self.diagnostics.extend(broken.iter().flatten().cloned());
        broken
    }

    /// Page `id`'s links (`links`) to anchors that their target does not have (`has`;
    /// `anchors` lists a page's, for the hint).
    fn broken_anchors<'f>(
        &self,
        id: PageId,
        links: &[PageLink],
        has: &dyn Fn(PageId, &str) -> bool,
        anchors: &dyn Fn(PageId) -> &'f [String],
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for link in links {
            let Some(anchor) = &link.anchor else { continue };
            let anchors = anchors(link.target);
            if has(link.target, anchor.as_str()) {
                continue;
            }
            let target = &self.book.pages[link.target];
            let mut d = Diagnostic {
                path: self.book.pages[id].display_path.clone(),
                line: link.line,
                column: link.column,
                severity: self.broken_links,
                message: format!(
                    "broken anchor `{}`: `{}` has no heading with id `{anchor}`",
                    link.written, target.display_path
                ),
                help: None,
            };
            if let Some(best) = anchors
                .iter()
                .min_by_key(|a| strsim::levenshtein(anchor, a))
                .filter(|a| strsim::levenshtein(anchor, a) <= anchor.len().max(4) / 2)
            {
                d = d.with_help(format!("did you mean `#{best}`?"));
            }
            found.push(d);
        }
        found
    }

    /// Stage 4: the search index's term files and manifest, once every page is indexed; as a
    /// job that runs beside stages 5 and 6. Returns true when the previous build's index,
    /// which the pages were left to, could not be patched: then [`Build::index_again`].
    fn search_job(&mut self, facts: Vec<PageFacts>) -> impl FnOnce() -> bool + Send + 'a {
        let indexer = self.indexer.take();
        let pages: Vec<search::PageIndex> = match indexer {
            Some(_) => facts
                .into_iter()
                .map(|f| f.search.unwrap_or_default())
                .collect(),
            None => Vec::new(),
        };
        let keep = self.index_keeper();
        move || match indexer {
            Some(indexer) => keep(indexer, pages),
            None => false,
        }
    }

    /// Writes an index of `pages` and keeps it in the build cache for the next build;
    /// returns true when it is [`search::Unpatched`].
    fn index_keeper(&self) -> impl Fn(search::Indexer, Vec<search::PageIndex>) -> bool + Send + 'a {
        let (memo, sink, options) = (&self.resources.memo, self.sink, self.options);
        let code = self.locale.code().to_string();
        let kept = self.kept_index;
        move |indexer, pages| {
            let fetch = |key| memo.cached_search_text(key);
            let mut writer = memo.search_index_writer();
            let mut nowhere = std::io::sink();
            let keep: &mut dyn std::io::Write = match &mut writer {
                Some(writer) => writer,
                None => &mut nowhere,
            };
            match indexer.write_unless(pages, sink, &|| options.cancelled(), &fetch, keep) {
                Ok(search::KeptIndex::Written) if !options.cancelled() => {
                    memo.keep_search_index(&code, writer, kept);
                    false
                }
                Ok(_) => false,
                Err(search::Unpatched) => true,
            }
        }
    }

    /// Stage 4 again, when the previous build's index could not be patched (too many pages
    /// changed, an old text the build cache no longer holds, ...): every page indexed anew,
    /// from its text in the build cache or from its body.
    fn index_again(&self) {
        let indexer = search::Indexer::keeping(None);
        let pages = self.index_pages(&indexer);
        if !self.options.cancelled() {
            self.index_keeper()(indexer, pages);
        }
    }

    /// Every page added to the search index `ix`, from the memo's renderings (a doc it lacks
    /// is rendered); once cancelled, the pages left are skipped.
    fn index_pages(&self, ix: &search::Indexer) -> Vec<search::PageIndex> {
        let targets = self.targets();
        let renderer = self.renderer(&targets);
        (0..self.book.pages.len())
            .into_par_iter()
            .map(|id| {
                if self.options.cancelled() {
                    return search::PageIndex::default();
                }
                let (key, doc) = self.page_doc(id, &renderer);
                let body = std::cell::OnceCell::new();
                let html = || -> &str { body.get_or_init(|| doc.html()) };
                self.index_page(ix, id, key, &html).unwrap_or_default()
            })
            .collect()
    }

    /// Stage 5: the course files: `course.json` and the course map (with the memo, from it
    /// while the book and its quizzes are unchanged); the print views went out in stage 2.
    fn write_course(&mut self, quiz_questions: &[usize]) {
        if self.options.cancelled() {
            return;
        }
        let (book, base, sink) = (&self.book, &self.base, self.sink);
        let views = Views::new(book, &base.path, &self.course);
        let href = |p: &content::Page| views.href(p);
        let print_href = |n: content::NodeId| self.course.print.get(&n).map(|u| views.url_href(u));
        let facts = site::course::CourseFacts {
            book,
            chapters: &self.course.chapters,
            quiz_questions,
            href: &href,
            print_href: &print_href,
        };
        let mut problems = Vec::new();
        let home = base.path.clone();
        let json = facts.json(&site::course::SiteFacts {
            description: self.site_view.description.as_deref(),
            language: &self.site_view.language,
            home_href: &home,
        });
        sink.put(
            &SitePath::generated(site::course::COURSE_JSON),
            json.into_bytes(),
        );
        // The course's own pages show the sidebar as the 404 does: the top level.
        let sidebar = self.long_nav.sidebar(book, book.root());
        if let Some(url) = &self.course.course_map {
            // One page, or one per part of a long course (course_map.rs).
            problems.extend(self.write_course_map(&facts, &views, &sidebar, url, quiz_questions));
        }
        self.diagnostics.extend(problems);
    }

    /// Stage 6: the files beside the pages: the root redirect, 404, sitemap, robots, the
    /// highlighting stylesheet, static files and the content's assets. Returns the URLs the
    /// sitemap lists (with several locales, their sitemap is written once, for all).
    fn write_site_files(&mut self) -> Vec<String> {
        if self.options.cancelled() {
            return Vec::new();
        }
        let (book, base, sink) = (&self.book, &self.base, self.sink);
        let views = Views::new(book, &base.path, &self.course);
        let generated = SitePath::generated;
        if let Some(root) = book.pages.first().filter(|p| !p.url.is_empty()) {
            let html = site::redirect(&views.href(root), &self.site_view);
            sink.put(&generated("index.html"), html.into_bytes());
        }
        let sidebar = self.long_nav.sidebar(book, book.root());
        match self
            .templates
            .not_found(&self.site_view, &views.top_nav(), &sidebar)
        {
            Ok(html) => sink.put(&generated("404.html"), html.into_bytes()),
            Err(d) => self.diagnostics.push(d),
        }
        let mut tag_urls = Vec::new();
        for (url, mut view) in views.tag_pages() {
            tag_urls.push(content::paths::encode_path(&url));
            let t = &self.site_view.t;
            if view.kind == "tags" {
                view.title = t.get("tags_title").to_string();
            } else {
                let title = if view.count == 1 {
                    t.get("tag_title_one")
                } else {
                    t.get("tag_title")
                };
                view.title = title
                    .replace("{n}", &view.count.to_string())
                    .replace("{tag}", &view.label);
            }
            let key = self.keys.as_ref().map(|k| {
                k.generated("tag page", |h| {
                    h.str(&url);
                })
            });
            let html = self.resources.memo.generated(key, || {
                let html =
                    self.templates
                        .tags(&self.site_view, &view, &views.top_nav(), &sidebar)?;
                Ok(Arc::new(html.into_bytes()))
            });
            match (&*html, SitePath::page(&url)) {
                (Ok(html), Ok(file)) => put_html(sink, &file, html),
                (Ok(_), Err(e)) => self.diagnostics.push(Diagnostic::error(
                    "tags",
                    0,
                    0,
                    format!("the tag page `{url}` cannot be written: {e}"),
                )),
                (Err(d), _) => self.diagnostics.push(d.clone()),
            }
        }
        // Issue 15: the later pages of a category's long list of children.
        for (url, node, view) in views.list_pages() {
            tag_urls.push(content::paths::encode_path(&url));
            let key = self.keys.as_ref().map(|k| {
                k.generated("list page", |h| {
                    h.str(&url);
                })
            });
            let html = self.resources.memo.generated(key, || {
                let sidebar = self.long_nav.sidebar(book, node);
                let html =
                    self.templates
                        .tags(&self.site_view, &view, &views.nav(node), &sidebar)?;
                Ok(Arc::new(html.into_bytes()))
            });
            match (&*html, SitePath::page(&url)) {
                (Ok(html), Ok(file)) => put_html(sink, &file, html),
                (Ok(_), Err(e)) => self.diagnostics.push(Diagnostic::error(
                    book.page_of(node).display_path.clone(),
                    0,
                    0,
                    format!("the list page `{url}` cannot be written: {e}"),
                )),
                (Err(d), _) => self.diagnostics.push(d.clone()),
            }
        }
        let listed: Vec<String> = book
            .pages
            .iter()
            .filter(|p| !p.front.unlisted)
            .map(|p| content::paths::encode_path(&p.url))
            .collect();
        // Tag pages are listed too, after the docs, as Docusaurus' sitemap lists its routes
        // (a site in several languages lists its docs only: a tag need not exist in each).
        let absolute: Vec<String> = listed
            .iter()
            .chain(&tag_urls)
            .filter_map(|u| base.absolute(u))
            .collect();
        let sitemap_url = base.absolute(site::sitemap::FILE);
        if let Some(root) = base.absolute("").filter(|_| !self.locale.is_multilingual()) {
            for (name, xml) in site::sitemap(&absolute, &root, self.options.sitemap_urls()) {
                sink.put(&generated(&name), xml.into_bytes());
            }
        }
        self.long_nav.write(
            &views,
            &self.templates,
            &self.site_view,
            sink,
            &mut self.diagnostics,
        );
        let robots = site::robots(sitemap_url.as_deref());
        sink.put(&generated("robots.txt"), robots.into_bytes());
        // The code and diagram stylesheets and reading progress's data are among the static
        // files, under hashed names (build/theme.rs).
        for (path, bytes) in std::mem::take(&mut self.static_files) {
            sink.put(&path, bytes);
        }
        for asset in book.assets.values() {
            if self.unpublished.contains(&asset.url) {
                continue;
            }
            let bytes = self.sources.content[asset.source].bytes.clone();
            sink.put(&asset.file, bytes);
        }
        listed
    }

    /// The report: every diagnostic, sorted, once.
    fn finish(self) -> BuildReport {
        finish(self.diagnostics, self.book.pages.len(), self.book.title)
    }
}

/// Writes a page's HTML: packed by the memo (`serve`), as made, or as the build cache keeps
/// it whole.
fn put_html(sink: &dyn Sink, file: &SitePath, html: &memo::Html) {
    match html {
        memo::Html::Kept(kept) => sink.put_kept(file, kept),
        memo::Html::Bytes(bytes) if crate::output::is_packed(bytes) => {
            sink.put_packed(file, bytes.clone())
        }
        memo::Html::Bytes(bytes) => sink.put_shared(file, bytes.clone()),
    }
}

/// Writes a generated page (made or from the memo) at a site URL; returns the template's
/// error instead.
fn put_generated(sink: &dyn Sink, url: &str, html: &memo::PageHtml) -> Option<Diagnostic> {
    match (html, SitePath::page(url)) {
        (Ok(html), Ok(file)) => {
            put_html(sink, &file, html);
            None
        }
        (Err(d), _) => Some(d.clone()),
        // Made from page URLs that are safe paths: cannot fail.
        (_, Err(_)) => None,
    }
}

/// What the course features need: the chapters, where the course map and each chapter's
/// print view go (left out, with a warning, where a page, content file or static file
/// already is), and the edit URL.
fn course_links(
    sources: &SourceSet,
    book: &Book,
    static_files: &BTreeMap<SitePath, Vec<u8>>,
    chapters: Vec<site::course::Chapter>,
    diagnostics: &mut Vec<Diagnostic>,
) -> CourseLinks {
    let config = &sources.config;
    let mut taken: BTreeSet<&str> = book
        .pages
        .iter()
        .filter_map(|p| p.file.as_ref().map(SitePath::as_str))
        .collect();
    taken.extend(book.assets.values().map(|a| a.file.as_str()));
    taken.extend(static_files.keys().map(SitePath::as_str));
    let mut free = |url: &str, what: &str, at: &str| {
        let file = SitePath::page(url).ok()?;
        if taken.contains(file.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    at,
                    0,
                    0,
                    format!(
                        "{what} is not written: `{}` is already a file of the site",
                        file.as_str()
                    ),
                )
                .with_help("give that page or file another name to get it back"),
            );
            return None;
        }
        Some(url.to_string())
    };
    let root_url = content::paths::join_url("", config.site.route_base.trim_matches('/'));
    let root_page = book.page_of(book.root());
    let course_map = free(
        &format!("{root_url}course-map/"),
        "the course map",
        &root_page.display_path,
    );
    let mut print = HashMap::new();
    for chapter in &chapters {
        let page = book.page_of(chapter.node);
        if page.file.is_none() {
            continue;
        }
        let url = format!("{}print/", page.url);
        if let Some(url) = free(&url, "the chapter's print view", &page.display_path) {
            print.insert(chapter.node, url);
        }
    }
    let edit_url = config.site.edit_url.as_ref().map(|u| {
        if u.ends_with('/') {
            u.clone()
        } else {
            format!("{u}/")
        }
    });
    CourseLinks {
        edit_url,
        course_map,
        print,
        chapters,
        language: config.book.language.clone(),
        origin: None,
        progress: site::progress::Links::default(),
    }
}

/// The site's base: `--base-url`, else `[site] base-url`, else `/`.
fn site_base(sources: &SourceSet, options: &BuildOptions<'_>) -> Result<BaseUrl, Diagnostic> {
    let raw = options
        .base_url
        .as_deref()
        .or(sources.config.site.base_url.as_deref())
        .unwrap_or("/");
    BaseUrl::parse(raw).map_err(|message| Diagnostic::error("--base-url", 0, 0, message))
}

/// The built-in static files, with the project's in their place (the math stylesheet
/// and font only with `[markdown] math`); a project file whose name is not a safe site
/// path is an error and left out.
fn static_files(
    sources: &SourceSet,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<SitePath, Vec<u8>> {
    let math = sources.config.markdown.math;
    let languages = locales::uses_stylesheet(&sources.config);
    let mut files: BTreeMap<SitePath, Vec<u8>> = site::default_static()
        .into_iter()
        .filter(|(k, _)| math || !k.starts_with(site::MATH_DIR))
        .filter(|(k, _)| languages || k != site::i18n::STYLESHEET)
        .map(|(k, v)| (SitePath::generated(&k), v))
        .collect();
    for (path, bytes) in &sources.static_files {
        match SitePath::new(path) {
            Ok(file) => {
                files.insert(file, bytes.clone());
            }
            Err(e) => diagnostics.push(
                Diagnostic::error(
                    format!("static/{path}"),
                    0,
                    0,
                    format!("this file cannot be published: {e}"),
                )
                .with_help("rename the file or folder"),
            ),
        }
    }
    files
}

/// Finds pages, content files and static files written to one path (or a file where another
/// needs a folder); the files stage 5 and the search index write besides them are listed here.
fn output_claims(
    sources: &SourceSet,
    options: &BuildOptions<'_>,
    base: &BaseUrl,
    book: &Book,
    static_files: &BTreeMap<SitePath, Vec<u8>>,
    long_nav: &nav::LongNav,
    progress_parts: &[String],
) -> claims::Collisions {
    let mut files = vec![
        ("404.html".to_string(), "the not-found page"),
        ("robots.txt".to_string(), "the generated robots file"),
        (
            site::HIGHLIGHT_CSS.to_string(),
            "the generated code stylesheet",
        ),
        (
            site::progress::FILE.to_string(),
            "the reading-progress data",
        ),
    ];
    for path in progress_parts {
        files.push((path.clone(), "the reading-progress data"));
    }
    if book.pages.first().is_some_and(|p| !p.url.is_empty()) {
        files.push(("index.html".to_string(), "the redirect to the first page"));
    }
    // The tag pages (issue 15: `tags/<tag>/page/N/` past 100 docs).
    let no_course = CourseLinks::default();
    let tag_pages: Vec<String> = Views::new(book, &base.path, &no_course)
        .tag_pages()
        .into_iter()
        .filter_map(|(url, _)| SitePath::page(&url).ok())
        .map(|file| file.as_str().to_string())
        .collect();
    // Issue 15: the later pages of a category's long list of children.
    let list_pages: Vec<String> = Views::new(book, &base.path, &no_course)
        .list_pages()
        .into_iter()
        .filter_map(|(url, _, _)| SitePath::page(&url).ok())
        .map(|file| file.as_str().to_string())
        .collect();
    if base.origin.is_some() {
        files.push((site::sitemap::FILE.to_string(), "the generated sitemap"));
        // A sitemap past the protocol's limits is split: its parts (every locale's pages).
        let listed = book.pages.iter().filter(|p| !p.front.unlisted).count();
        let rows =
            listed * sources.config.site.locales.len().max(1) + tag_pages.len() + list_pages.len();
        for n in 1..=site::sitemap::parts_needed(rows, options.sitemap_urls()) {
            files.push((site::sitemap::part_name(n), "the generated sitemap"));
        }
    }
    if !options.skip_search {
        files.push((format!("{}/manifest.js", search::DIR), "the search index"));
    }
    files.extend(long_nav.claims());
    files.extend(tag_pages.into_iter().map(|file| (file, "a tag page")));
    files.extend(
        list_pages
            .into_iter()
            .map(|file| (file, "a later page of a category's list")),
    );
    files.push((site::course::COURSE_JSON.to_string(), "the course outline"));
    let generated = claims::Generated { files };
    claims::check(book, sources, static_files, &generated)
}

fn finish(mut diagnostics: Vec<Diagnostic>, pages: usize, title: String) -> BuildReport {
    diagnostics.sort();
    diagnostics.dedup();
    BuildReport {
        diagnostics,
        pages,
        title,
    }
}

/// Per page, whether Docusaurus gives it a URL ending in `/`: with `trailingSlash` unset,
/// a folder's index doc (`index.md`, `README.md`, `<folder>/<folder>.md`: its slug is the
/// folder's) and a doc whose `slug` ends in `/`.
fn slash_urls(book: &Book, trailing_slash: Option<bool>) -> Vec<bool> {
    let mut slash = vec![trailing_slash.unwrap_or(false); book.pages.len()];
    if trailing_slash.is_none() {
        for (path, &id) in &book.page_by_path {
            let (folder, file) = match path.rsplit_once('/') {
                Some((dir, file)) => (dir.rsplit('/').next(), file),
                None => (None, path.as_str()),
            };
            slash[id] = match &book.pages[id].front.slug {
                Some(slug) => slug.ends_with('/'),
                None => content::paths::is_category_index(content::paths::stem(file), folder),
            };
        }
    }
    slash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::output::Output;

    fn build_files(
        files: &[(&str, &str)],
    ) -> (std::collections::BTreeMap<String, Vec<u8>>, BuildReport) {
        let sources = SourceSet::from_memory(Config::default(), files);
        let out = Output::default();
        let report = build(
            &sources,
            &BuildOptions::default(),
            &Resources::default(),
            &out,
        );
        (out.into_files(), report)
    }

    #[test]
    fn builds_pages_in_memory() {
        let (files, report) = build_files(&[
            ("README.md", "# Course\n\nHi"),
            ("01-a.md", "# A\n\n## Part\n\n[home](./README.md)"),
        ]);
        assert!(!report.has_errors(), "{:?}", report.diagnostics);
        assert!(
            files.contains_key("index.html")
                && files.contains_key("a/index.html")
                && files.contains_key("404.html")
        );
        let highlight = files
            .keys()
            .any(|k| k.starts_with("assets/highlight.") && k.ends_with(".css"));
        assert!(highlight && files.contains_key("robots.txt"));
        assert!(!files.contains_key("sitemap.xml"));
    }

    #[test]
    fn broken_anchor_is_reported_with_a_hint() {
        let (_, report) = build_files(&[
            ("a.md", "# A\n\n## Setup\n"),
            ("b.md", "# B\n\nsee [a](./a.md#setpu)\n"),
        ]);
        let d = &report.diagnostics[0];
        assert_eq!(
            (d.path.as_str(), d.line, d.column),
            ("content/b.md", 3, 5),
            "{d}"
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `#setup`?"));
    }
}
