//! The pure build: a SourceSet in, every site file out through a Sink, plus diagnostics.
//! Nothing here touches the disk.

use crate::config::{BaseUrl, BrokenLinks};
use crate::content::{self, Book, PageId};
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::{self, highlight::Highlighter, links::Targets, DocInput, PageLink, Renderer};
use crate::output::Sink;
use crate::site::{self, search, view::SiteView, view::Views, Templates};
use crate::source::SourceSet;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

mod keys;
mod memo;

use keys::{BuildKeys, FileKeys};
pub use memo::{Memo, Stats};

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
}

/// Loaded once per process and shared by every build.
#[derive(Default)]
pub struct Resources {
    pub highlighter: Highlighter,
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
            memo: Memo::enabled(),
        }
    }
}

/// The result of a build besides its files.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    pub title: String,
}

impl BuildReport {
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// What one page's rendering leaves for the checks that need every page.
struct PageFacts {
    anchors: Vec<String>,
    links: Vec<PageLink>,
    diagnostics: Vec<Diagnostic>,
    search: Option<search::PageIndex>,
}

/// Builds the site: every file goes to `sink`; diagnostics come back, sorted.
pub fn build(
    sources: &SourceSet,
    options: &BuildOptions<'_>,
    resources: &Resources,
    sink: &dyn Sink,
) -> BuildReport {
    let config = &sources.config;
    let mut diagnostics = sources.diagnostics.clone();
    let base_raw = options
        .base_url
        .clone()
        .or_else(|| config.site.base_url.clone())
        .unwrap_or_else(|| "/".into());
    let base = match BaseUrl::parse(&base_raw) {
        Ok(b) => b,
        Err(message) => {
            diagnostics.push(Diagnostic::error("--base-url", 0, 0, message));
            return BuildReport {
                diagnostics,
                ..Default::default()
            };
        }
    };
    let memo = &resources.memo;
    let files = if memo.is_enabled() {
        FileKeys::of(sources)
    } else {
        FileKeys::default()
    };
    let book = content::load_with(sources, config, |index, file, display| {
        memo.parse(&files, index, file, display)
    });
    diagnostics.extend(book.diagnostics.iter().cloned());
    let templates = match Templates::load(&sources.templates) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            return finish(diagnostics, &book);
        }
    };
    let mut static_files = site::default_static();
    static_files.extend(
        sources
            .static_files
            .iter()
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let static_paths: BTreeSet<String> = static_files
        .keys()
        .cloned()
        .chain(["assets/highlight.css".to_string()])
        .collect();
    let page_urls: Vec<String> = book.pages.iter().map(|p| p.url.clone()).collect();
    let page_by_url: HashMap<String, PageId> = page_urls
        .iter()
        .enumerate()
        .map(|(i, u)| (u.clone(), i))
        .collect();
    let targets = Targets {
        base: &base.path,
        page_by_path: &book.page_by_path,
        page_by_url: &page_by_url,
        page_urls: &page_urls,
        assets: &book.assets,
        static_paths: &static_paths,
    };
    let broken_links = match config.build.on_broken_links {
        BrokenLinks::Error => Severity::Error,
        BrokenLinks::Warn => Severity::Warning,
    };
    let renderer = Renderer {
        highlighter: &resources.highlighter,
        targets: &targets,
        broken_links,
        code_html: !options.check_only,
    };
    let views = Views::new(&book, &base.path);
    let site_view = SiteView {
        title: book.title.clone(),
        description: config.book.description.clone(),
        language: config.book.language.clone(),
        base: base.path.clone(),
        home_href: base.path.clone(),
    };
    let keys = memo.is_enabled().then(|| {
        BuildKeys::new(
            &renderer,
            &sources.templates,
            &site_view,
            &base,
            &book,
            files,
        )
    });

    let indexer = (!options.check_only && !options.skip_search).then(search::Indexer::default);
    let facts: Vec<PageFacts> = (0..book.pages.len())
        .into_par_iter()
        .map(|id| {
            let facts = render_page(
                id,
                sources,
                &book,
                &renderer,
                &views,
                &templates,
                &site_view,
                &base,
                sink,
                (&resources.memo, keys.as_ref()),
                options.check_only,
                indexer.as_ref(),
            );
            if let Some(tick) = options.on_page {
                tick();
            }
            facts
        })
        .collect();
    for f in &facts {
        diagnostics.extend(f.diagnostics.iter().cloned());
    }
    check_anchors(&book, &facts, broken_links, &mut diagnostics);
    if options.check_only {
        return finish(diagnostics, &book);
    }
    if let Some(indexer) = indexer {
        let pages = facts.into_iter().map(|f| f.search.unwrap_or_default());
        indexer.write(pages.collect(), sink);
    }

    if let Some(root) = book.pages.first().filter(|p| !p.url.is_empty()) {
        let target = views.href(root);
        sink.put("index.html", site::redirect(&target).into_bytes());
    }
    match templates.not_found(&site_view, &views.top_nav()) {
        Ok(html) => sink.put("404.html", html.into_bytes()),
        Err(d) => diagnostics.push(d),
    }
    let absolute: Vec<String> = book
        .pages
        .iter()
        .filter_map(|p| base.absolute(&content::paths::encode_path(&p.url)))
        .collect();
    let sitemap_url = base.absolute("sitemap.xml");
    if sitemap_url.is_some() {
        sink.put("sitemap.xml", site::sitemap(&absolute).into_bytes());
    }
    sink.put(
        "robots.txt",
        site::robots(sitemap_url.as_deref()).into_bytes(),
    );
    sink.put(
        "assets/highlight.css",
        resources.highlighter.stylesheet().into_bytes(),
    );
    for (path, bytes) in static_files {
        sink.put(&path, bytes);
    }
    for asset in book.assets.values() {
        sink.put(&asset.url, sources.content[asset.source].bytes.clone());
    }
    finish(diagnostics, &book)
}

fn finish(mut diagnostics: Vec<Diagnostic>, book: &Book) -> BuildReport {
    diagnostics.sort();
    diagnostics.dedup();
    BuildReport {
        diagnostics,
        pages: book.pages.len(),
        title: book.title.clone(),
    }
}

/// Renders one page's Markdown and template and hands the HTML to the sink.
#[allow(clippy::too_many_arguments)]
fn render_page(
    id: PageId,
    sources: &SourceSet,
    book: &Book,
    renderer: &Renderer<'_>,
    views: &Views<'_>,
    templates: &Templates,
    site_view: &SiteView,
    base: &BaseUrl,
    sink: &dyn Sink,
    (memo, keys): (&Memo, Option<&BuildKeys>),
    check_only: bool,
    indexer: Option<&search::Indexer>,
) -> PageFacts {
    let page = &book.pages[id];
    let doc_key = page
        .source
        .and_then(|s| Some(keys?.doc(s, &sources.content[s].bytes, id, page)));
    let mut rendered = memo.render(doc_key, || match page.source {
        Some(source) => {
            let text = content::decode(&sources.content[source].bytes).unwrap_or_default();
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
        None => markdown::RenderedDoc::default(),
    });
    // Unshared (no memo): take the body instead of copying it.
    let body = Arc::get_mut(&mut rendered).map(|r| std::mem::take(&mut r.html));
    let mut diagnostics = rendered.diagnostics.clone();
    let is_doc = page.source.is_some() && !book.nodes[page.node].is_category;
    if is_doc && body.as_deref().unwrap_or(&rendered.html).trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning(&page.display_path, page.body_line, 1, "page is empty")
                .with_help("write the lesson, or mark it `draft: true` to leave it out for now"),
        );
    }
    if check_only {
        return PageFacts {
            anchors: rendered.anchors.clone(),
            links: rendered.links.clone(),
            diagnostics,
            search: None,
        };
    }
    let html = body.as_deref().unwrap_or(&rendered.html);
    let search = indexer.map(|ix| ix.page(id, &page.title, &page.url, html, sink));
    let canonical = base.absolute(&content::paths::encode_path(&page.url));
    let html = memo.page_html(
        keys,
        id,
        doc_key,
        || {
            let view = views.page(id, String::new(), &rendered.toc, canonical);
            (view, views.nav(page.node))
        },
        |(mut view, nav)| {
            view.content = body.unwrap_or_else(|| rendered.html.clone());
            let html = templates.page(site_view, &view, &nav)?;
            Ok(Arc::new(html.into_bytes()))
        },
    );
    match Arc::unwrap_or_clone(html) {
        Ok(html) => sink.put_shared(&output_path(&page.url), html),
        Err(d) => diagnostics.push(d),
    }
    PageFacts {
        anchors: rendered.anchors.clone(),
        links: rendered.links.clone(),
        diagnostics,
        search,
    }
}

/// `a/b/` → `a/b/index.html`.
pub fn output_path(url: &str) -> String {
    format!("{url}index.html")
}

/// Reports links to anchors that the target page does not have.
fn check_anchors(
    book: &Book,
    facts: &[PageFacts],
    severity: Severity,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (id, f) in facts.iter().enumerate() {
        for link in &f.links {
            let Some(anchor) = &link.anchor else { continue };
            let anchors = &facts[link.target].anchors;
            if anchors.iter().any(|a| a == anchor) {
                continue;
            }
            let target = &book.pages[link.target];
            let mut d = Diagnostic {
                path: book.pages[id].display_path.clone(),
                line: link.line,
                column: link.column,
                severity,
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
            diagnostics.push(d);
        }
    }
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
        assert!(files.contains_key("assets/highlight.css") && files.contains_key("robots.txt"));
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
