//! Long sidebars (issue 20): the shared navigation file of each sidebar whose top level is
//! too long to carry on every page, and the contents page that lists every page for
//! readers without JavaScript, split by part on a long course as the course map is. Made
//! once per build, before the pages, which link to them.

use crate::content::{Book, NodeId};
use crate::diagnostic::Diagnostic;
use crate::output::Sink;
use crate::site::course;
use crate::site::nav::{self, SidebarView};
use crate::site::view::{NavItem, SiteView, Views};
use crate::site::{ContentsPage, Templates};
use crate::site_path::SitePath;
use std::collections::BTreeMap;

/// The navigation files (by sidebar top) and the contents page of one build.
#[derive(Default)]
pub(super) struct LongNav {
    files: BTreeMap<NodeId, NavFile>,
    /// The contents page's site URL and href, when some sidebar is long.
    contents: Option<(String, String)>,
}

struct NavFile {
    path: String,
    href: String,
    bytes: Vec<u8>,
}

impl LongNav {
    /// Renders the top level of every long sidebar, and places the contents page where no
    /// page, asset or static file is written.
    pub(super) fn prepare(
        book: &Book,
        templates: &Templates,
        base: &str,
        root_url: &str,
        static_files: &BTreeMap<SitePath, Vec<u8>>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> LongNav {
        let taken = |url: &str| {
            book.pages.iter().any(|p| p.url.starts_with(url))
                || book.assets.values().any(|a| a.url.starts_with(url))
                || static_files.keys().any(|f| f.as_str().starts_with(url))
        };
        // Only the sidebar is needed here, not the course's links.
        let no_course = crate::site::view::CourseLinks::default();
        let views = Views::new(book, base, &no_course);
        let mut files = BTreeMap::new();
        for &top in book.sidebars.iter().filter(|&&t| nav::is_compact(book, t)) {
            match templates.nav_list(&views.full_top(top)) {
                Ok(list) => {
                    let (path, bytes) = nav::file(&list);
                    let href = format!("{base}{path}");
                    files.insert(top, NavFile { path, href, bytes });
                }
                Err(d) => diagnostics.push(d),
            }
        }
        let contents = if files.is_empty() {
            None
        } else {
            nav::contents_url(root_url, taken).map(|url| {
                let href = format!("{base}{}", crate::content::paths::encode_path(&url));
                (url, href)
            })
        };
        LongNav { files, contents }
    }

    /// The files this writes, for the check that no two writers share a path.
    pub(super) fn claims(&self) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = self
            .files
            .values()
            .map(|f| (f.path.clone(), "the sidebar's navigation file"))
            .collect();
        if let Some((url, _)) = &self.contents {
            out.push((format!("{url}index.html"), "the contents page"));
        }
        out
    }

    /// The sidebar extras of a page at `node`: its sidebar's navigation file, if long.
    pub(super) fn sidebar(&self, book: &Book, node: NodeId) -> SidebarView {
        match book.sidebar_of(node).and_then(|top| self.files.get(&top)) {
            Some(file) => SidebarView {
                script: Some(file.href.clone()),
                contents: self.contents.as_ref().map(|(_, href)| href.clone()),
            },
            None => SidebarView::default(),
        }
    }

    /// Writes the navigation files and the contents page.
    pub(super) fn write(
        &self,
        views: &Views<'_>,
        templates: &Templates,
        site: &SiteView,
        sink: &dyn Sink,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        for file in self.files.values() {
            sink.put(&SitePath::generated(&file.path), file.bytes.clone());
        }
        let Some((url, href)) = &self.contents else {
            return;
        };
        let book = views.book;
        let sidebar = self.sidebar(book, book.root());
        let top_nav = views.top_nav();
        let title = site.t.get("contents");
        // A long course's contents is split by part as its course map is (issue 15): the
        // same parts, each a page of its own, which the whole contents links.
        let chapters = &views.course.chapters;
        let parts: Vec<(NodeId, String)> = if course::by_part(book, chapters) {
            course::parts(book, chapters)
                .into_iter()
                .map(|(node, _)| node)
                .filter(|&node| book.nodes[node].parent.is_some())
                .enumerate()
                .map(|(n, node)| (node, course::part_url(url, n)))
                .collect()
        } else {
            Vec::new()
        };
        let hrefs: Vec<(NodeId, String)> = parts
            .iter()
            .map(|(node, part_url)| (*node, views.url_href(part_url)))
            .collect();
        let mut put = |url: &str, page: ContentsPage<'_>, items: &[NavItem]| {
            let html = templates.contents(site, page, &top_nav, &sidebar, items);
            match (html, SitePath::page(url)) {
                (Ok(html), Ok(file)) => sink.put(&file, html.into_bytes()),
                (Err(d), _) => diagnostics.push(d),
                (_, Err(e)) => diagnostics.push(Diagnostic::error(
                    "contents",
                    0,
                    0,
                    format!("the contents page `{url}` cannot be written: {e}"),
                )),
            }
        };
        let whole = ContentsPage {
            kind: "contents",
            title,
            href,
            up_href: None,
        };
        put(url, whole, &views.contents(&hrefs));
        for ((node, part_url), (_, part_href)) in parts.iter().zip(&hrefs) {
            let part_title = format!("{title}: {}", book.page_of(*node).title);
            let page = ContentsPage {
                kind: "contents",
                title: &part_title,
                href: part_href,
                up_href: Some(href),
            };
            put(part_url, page, &views.contents_of(*node));
        }
    }
}
