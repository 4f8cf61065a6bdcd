//! Long sidebars (issue 20): the shared navigation file of each sidebar whose top level is
//! too long to carry on every page, and the contents page that lists every page for
//! readers without JavaScript, split by part on a long course as the course map is. Made
//! once per build, before the pages, which link to them.

use crate::content::{Book, NodeId};
use crate::diagnostic::Diagnostic;
use crate::output::Sink;
use crate::site::course;
use crate::site::i18n::{self, Strings};
use crate::site::nav::{self, SidebarView};
use crate::site::view::{paginate, ListPage, NavItem, SiteView, Views};
use crate::site::{ContentsPage, Templates};
use crate::site_path::SitePath;
use std::collections::{BTreeMap, HashMap};

/// The navigation files (by sidebar top) and the contents page of one build.
#[derive(Default)]
pub(super) struct LongNav {
    /// One file per sidebar, or one per chunk of a top level of more than
    /// [`nav::NAV_CHUNK`] entries (issue 15).
    files: BTreeMap<NodeId, Vec<NavFile>>,
    /// On a top level in chunks: the chunk of each top-level entry.
    chunk_of: HashMap<NodeId, usize>,
    /// The contents page's site URL and href, when some sidebar is long.
    contents: Option<(String, String)>,
    /// How many top-level entries the contents lists (its pages: issue 15).
    contents_entries: usize,
}

struct NavFile {
    path: String,
    href: String,
    bytes: Vec<u8>,
}

impl LongNav {
    /// Renders the top level of every long sidebar (its chunks' buttons labelled in
    /// `strings` and with counts grouped as `language` writes them), and places the contents
    /// page where no page, asset or static file is written.
    pub(super) fn prepare(
        book: &Book,
        templates: &Templates,
        (strings, language): (&Strings, &str),
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
        let mut chunk_of = HashMap::new();
        for &top in book.sidebars.iter().filter(|&&t| nav::is_compact(book, t)) {
            let items = views.full_top(top);
            let entries = views.top_entries(top);
            if entries.len() <= nav::NAV_CHUNK {
                match templates.nav_list(&items) {
                    Ok(list) => {
                        let (path, bytes) = nav::file(&list);
                        let href = format!("{base}{path}");
                        files.insert(top, vec![NavFile { path, href, bytes }]);
                    }
                    Err(d) => diagnostics.push(d),
                }
                continue;
            }
            // Issue 15: the home link, then a chunk of the entries, in each file.
            let (home, rest) = items.split_at(items.len() - entries.len());
            let mut lists = Vec::new();
            for (i, chunk) in rest.chunks(nav::NAV_CHUNK).enumerate() {
                match templates.nav_list(&[home, chunk].concat()) {
                    Ok(list) => lists.push(list),
                    Err(d) => diagnostics.push(d),
                }
                for &node in &entries[i * nav::NAV_CHUNK..][..chunk.len()] {
                    chunk_of.insert(node, i);
                }
            }
            let total = entries.len();
            // The counts as the pagers write them (`1,201–1,300 of 1,300`).
            let count = |n: usize| i18n::group_digits(n as u64, language);
            let label = |i: usize, forward: bool| {
                let to = if forward { i + 1 } else { i - 1 };
                let from = to * nav::NAV_CHUNK + 1;
                let last = (to * nav::NAV_CHUNK + nav::NAV_CHUNK).min(total);
                let range = strings
                    .get("list_range")
                    .replace("{from}", &count(from))
                    .replace("{to}", &count(last))
                    .replace("{total}", &count(total));
                let word = strings.get(if forward { "next" } else { "previous" });
                format!("{word}: {range}")
            };
            let chunks = nav::chunk_files(&lists, base, label)
                .into_iter()
                .map(|(path, bytes)| NavFile {
                    href: format!("{base}{path}"),
                    path,
                    bytes,
                })
                .collect();
            files.insert(top, chunks);
        }
        let contents = if files.is_empty() {
            None
        } else {
            nav::contents_url(root_url, taken).map(|url| {
                let href = format!("{base}{}", crate::content::paths::encode_path(&url));
                (url, href)
            })
        };
        // The contents lists each tree's top and its entries.
        let contents_entries = (0..book.nodes.len())
            .filter(|&n| book.nodes[n].parent.is_none())
            .map(|top| 1 + views.top_entries(top).len())
            .sum();
        LongNav {
            files,
            chunk_of,
            contents,
            contents_entries,
        }
    }

    /// The files this writes, for the check that no two writers share a path.
    pub(super) fn claims(&self) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = self
            .files
            .values()
            .flatten()
            .map(|f| (f.path.clone(), "the sidebar's navigation file"))
            .collect();
        if let Some((url, href)) = &self.contents {
            out.push((format!("{url}index.html"), "the contents page"));
            let pages = contents_pages(url, href, self.contents_entries, |u| u.to_string());
            for (page_url, _, _) in pages.into_iter().skip(1) {
                out.push((format!("{page_url}index.html"), "the contents page"));
            }
        }
        out
    }

    /// The sidebar extras of a page at `node`: its sidebar's navigation file, if long (on a
    /// top level in chunks, the one that holds the node's top-level entry; the first for a
    /// page above them).
    pub(super) fn sidebar(&self, book: &Book, node: NodeId) -> SidebarView {
        let chunk = || {
            let mut path = book.ancestors(node);
            path.push(node);
            path.iter()
                .find_map(|n| self.chunk_of.get(n))
                .copied()
                .unwrap_or(0)
        };
        let file = book
            .sidebar_of(node)
            .and_then(|top| self.files.get(&top))
            .and_then(|files| match files.len() {
                1 => files.first(),
                _ => files.get(chunk()),
            });
        match file {
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
        for file in self.files.values().flatten() {
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
        // Issue 15: past 100 top-level entries, 100 a page (`contents/page/2/`, …).
        let items = views.contents(&hrefs);
        for (page_url, range, pagination) in
            contents_pages(url, href, items.len(), |u| views.url_href(u))
        {
            let page_href = views.url_href(&page_url);
            let whole = ContentsPage {
                kind: "contents",
                title,
                href: if pagination.as_ref().is_some_and(|p| p.number > 1) {
                    &page_href
                } else {
                    href
                },
                up_href: None,
                pages: pagination,
            };
            put(&page_url, whole, &items[range]);
        }
        for ((node, part_url), (_, part_href)) in parts.iter().zip(&hrefs) {
            let part_title = format!("{title}: {}", book.page_of(*node).title);
            let page = ContentsPage {
                kind: "contents",
                title: &part_title,
                href: part_href,
                up_href: Some(href),
                pages: None,
            };
            put(part_url, page, &views.contents_of(*node));
        }
    }
}

/// The pages of a contents of `len` top-level entries at `url` (and `href`).
fn contents_pages(
    url: &str,
    href: &str,
    len: usize,
    href_of: impl Fn(&str) -> String,
) -> Vec<ListPage> {
    // Nothing else is written under the contents' URL (`nav::contents_url`).
    paginate(len, url, href, href_of, |_| false)
}
