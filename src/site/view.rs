//! View models: the small structs templates receive. Never the whole Book: the sidebar is
//! pruned to the current page's ancestors, so its size does not grow with the course.

use crate::content::course_fields::{Objective, Skill};
use crate::content::frontmatter::Tag;
use crate::content::{Book, NodeId, Page, PageId};
use crate::markdown::headings::TocEntry;
use crate::site::course::{self, Chapter};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Site-wide values.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// Path prefix ending in `/`.
    pub base: String,
    pub home_href: String,
    /// `[site] edit-url`, ending in `/`.
    pub edit_url: Option<String>,
    /// The course map, when the site has one.
    pub course_map_href: Option<String>,
    /// Issue 18: the href of each theme file under its hashed name, by its unhashed site
    /// path (`assets/syllabus.css` → `/assets/syllabus.3f2a….css`).
    pub assets: std::collections::BTreeMap<String, String>,
    /// Issue 18: each theme stylesheet's text when it is small enough to go into the page as
    /// a `<style>` element, else "" (`site::assets::inline_sheets`).
    pub inline: std::collections::BTreeMap<String, String>,
    // Languages (site/i18n.rs).
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// The theme's strings in the page's language (`site.t.next`).
    pub t: crate::site::i18n::Strings,
    /// The scripts' strings, when they are not the English ones the scripts carry.
    pub strings_json: Option<String>,
    /// Each locale's home, for pages that are in every language alike (404, tags).
    pub locales: Vec<crate::site::i18n::Alternate>,
}

/// A titled link.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct LinkView {
    pub title: String,
    pub href: String,
}

/// The lesson header.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LessonView<'a> {
    /// The duration, or a range's upper bound.
    pub duration_minutes: Option<u32>,
    /// A range's lower bound (`"40-45"` front matter), when the duration is a range.
    pub duration_from: Option<u32>,
    pub learning_objectives: &'a [Objective],
    pub skills: &'a [Skill],
    pub prerequisites: &'a [String],
    pub number: Option<usize>,
    pub total: Option<usize>,
}

/// An entry of a category page's list of lessons.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChildView<'a> {
    pub title: &'a str,
    pub href: String,
    pub description: Option<&'a str>,
    pub duration_minutes: Option<u32>,
    /// A category: reading progress writes its totals under it (issue 18: room kept).
    pub category: bool,
}

/// One page, as `page.html` sees it.
#[derive(Debug, Serialize)]
pub(crate) struct PageView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    /// The body's leading `# Heading` (inline HTML), shown in place of `title` on the page.
    pub heading: Option<&'a str>,
    /// False with `hide_title: true` and no leading `# Heading`: no visible page heading.
    pub show_title: bool,
    pub description: Option<&'a str>,
    /// `unlisted: true`: reachable by its URL only (a banner says so; no index, no sidebar).
    pub unlisted: bool,
    /// `description`, else the first paragraph's text: the `<meta name="description">`.
    pub meta_description: Option<std::borrow::Cow<'a, str>>,
    pub href: String,
    pub canonical: Option<String>,
    /// The headings between the page's `toc_min_heading_level` and `toc_max_heading_level`
    /// (2 and 3 by default); none with `hide_table_of_contents`.
    pub toc: Vec<&'a TocEntry>,
    pub breadcrumbs: Vec<LinkView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub lesson: Option<LessonView<'a>>,
    pub children: Vec<ChildView<'a>>,
    /// A category with more than [`LIST_PAGE_SIZE`] children: `children` are the first
    /// page's, and this links the pages that list the rest.
    pub children_pages: Option<TagPagination>,
    pub total_minutes: Option<u32>,
    /// A category: the lessons below it, at any depth (listed docs; none: `None`), which its
    /// heading counts; a part of three chapters of four lessons has 12, not 3.
    pub lesson_count: Option<usize>,
    pub keywords: &'a [String],
    pub tags: Vec<TagLink>,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    /// The page shows a formula: link the math stylesheet and font.
    pub math: bool,
    /// The page shows a diagram: link the diagram stylesheet.
    pub diagrams: bool,
    /// Issue 18: the page's body has no code block (skip the code stylesheet) or no quiz,
    /// tabs or directive label (skip the components' stylesheet); pages that are not docs
    /// leave them false and link both.
    pub no_code: bool,
    pub no_components: bool,
    /// Minutes to read a doc without `duration_minutes`.
    pub reading_minutes: Option<u32>,
    /// The "Edit this page" link (`[site] edit-url` and the file's path in the project).
    pub edit_href: Option<String>,
    /// The last commit of the page's file (`[site] last-updated`).
    pub last_updated: Option<DateView>,
    /// The page's schema.org JSON-LD, escaped for a `<script>`.
    pub json_ld: Option<String>,
    /// The chapter's print view (on a chapter's page).
    pub print_href: Option<String>,
    /// The course map (on the home page).
    pub course_map_href: Option<String>,
    /// The page in every language of the site (none with one language).
    pub alternates: Vec<crate::site::i18n::Alternate>,
    /// A page of a translated site shown in the default language: it has no translation.
    pub untranslated: bool,
    /// Issue 18: on the home page, the course's totals for the reading-progress card, drawn
    /// in its not-started state so nothing moves when progress.js fills it in.
    pub progress_card: Option<crate::site::progress::Totals>,
    /// On a course split by part: the hrefs of the progress data files of the page's own
    /// group of parts and of its own part.
    pub progress_group: Option<String>,
    pub progress_part: Option<String>,
}

/// A date: `iso` for `<time datetime>`, `text` to read.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct DateView {
    pub iso: String,
    pub text: String,
}

/// What the course features add to the views: made once per build.
#[derive(Debug, Default)]
pub(crate) struct CourseLinks {
    /// `[site] edit-url`, ending in `/`.
    pub edit_url: Option<String>,
    /// The course map's site URL, when it is written.
    pub course_map: Option<String>,
    /// Chapter node → its print view's site URL, where one is written.
    pub print: HashMap<NodeId, String>,
    /// The book's chapters.
    pub chapters: Vec<Chapter>,
    pub language: String,
    /// `https://host` of a full base URL: JSON-LD's URLs are then absolute.
    pub origin: Option<String>,
    /// On a course split by part (issue 15): the reading-progress data files each page
    /// loads besides the summary (its part's and its group's).
    pub progress: crate::site::progress::Links,
}

/// A tag's link: on a doc page, and on the tags pages with its number of docs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct TagLink {
    pub label: String,
    pub href: String,
    pub count: usize,
}

/// The tags index (`kind` "tags": every tag) or one tag's page (`kind` "tag": its docs), as
/// `tags.html` sees it; at `<route-base>/tags/` and `<route-base>/tags/<tag>/` as in
/// Docusaurus.
#[derive(Debug, Serialize)]
pub(crate) struct TagsView<'a> {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
    pub tags: Vec<TagLink>,
    pub children: Vec<ChildView<'a>>,
    /// The tags index.
    pub all_href: String,
    /// A tag on more than [`LIST_PAGE_SIZE`] docs (pages `tags/<tag>/`, `tags/<tag>/page/2/`, …): which of its pages this is.
    pub pagination: Option<TagPagination>,
    /// A later page of a category's children (`kind` "list"): which of their pages it is.
    pub children_pages: Option<TagPagination>,
    /// One tag's page: the tag's label and how many docs it is on (all its pages).
    pub label: String,
    pub count: usize,
}

/// The most entries one page of a list shows (a tag's docs, a category's children); a longer
/// list at `<url>` goes on at `<url>page/2/`, … (issue 15: no page grows with the course).
pub(crate) const LIST_PAGE_SIZE: usize = 100;

/// Where a page of a list on several pages (a tag's, a category's children) is among them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TagPagination {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the list has.
    pub pages: usize,
    /// How many entries the pages before this one list (its list numbers on from there).
    pub offset: usize,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// The entries this page lists, `from`–`to` (from 1) of `total`, and those of the
    /// previous and next pages (0 where there is none): the pager's labels.
    pub from: usize,
    pub to: usize,
    pub total: usize,
    pub prev_from: usize,
    pub prev_to: usize,
    pub next_from: usize,
    pub next_to: usize,
}

/// One page of a paginated list: its site URL, the entries it lists, and where it is among
/// the list's pages (none for a list on one page).
pub(crate) type ListPage = (String, std::ops::Range<usize>, Option<TagPagination>);

/// Splits a list of `len` entries whose first page is at site URL `url` (and `first_href`)
/// into pages of [`LIST_PAGE_SIZE`]: page n ≥ 2 at `<url>page/<n>/`. A list whose later
/// pages would take a URL that `taken` says is in use stays one page.
pub(crate) fn paginate(
    len: usize,
    url: &str,
    first_href: &str,
    href_of: impl Fn(&str) -> String,
    taken: impl Fn(&str) -> bool,
) -> Vec<ListPage> {
    let page_url = |n: usize| match n {
        1 => url.to_string(),
        n => format!("{url}page/{n}/"),
    };
    let count = len.div_ceil(LIST_PAGE_SIZE).max(1);
    let count = if (2..=count).any(|n| taken(&page_url(n))) {
        1
    } else {
        count
    };
    let size = len.div_ceil(count).max(1).max(LIST_PAGE_SIZE);
    let href = |n: usize| match n {
        1 => first_href.to_string(),
        n => href_of(&page_url(n)),
    };
    let range = |i: usize| i * size..((i + 1) * size).min(len);
    (0..len.div_ceil(size))
        .map(|i| {
            let n = i + 1;
            let (this, prev, next) = (range(i), (n > 1).then(|| range(i - 1)), range(i + 1));
            let next = (n < count).then_some(next);
            let pagination = (count > 1).then(|| TagPagination {
                number: n,
                pages: count,
                offset: this.start,
                prev_href: (n > 1).then(|| href(n - 1)),
                next_href: (n < count).then(|| href(n + 1)),
                from: this.start + 1,
                to: this.end,
                total: len,
                prev_from: prev.as_ref().map_or(0, |r| r.start + 1),
                prev_to: prev.as_ref().map_or(0, |r| r.end),
                next_from: next.as_ref().map_or(0, |r| r.start + 1),
                next_to: next.as_ref().map_or(0, |r| r.end),
            });
            (page_url(n), this, pagination)
        })
        .collect()
}

/// A sidebar entry; `children` is filled only where the entry is expanded.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct NavItem {
    pub title: String,
    pub href: Option<String>,
    /// The page's site URL (`docker/first-dockerfile/`): the link's `data-page`.
    pub page: Option<String>,
    pub active: bool,
    pub expanded: bool,
    pub has_children: bool,
    pub children: Vec<NavItem>,
    /// The entry's node in the book, for [`super::nav::SharedEntries`].
    #[serde(skip)]
    pub node: Option<NodeId>,
    /// The entry rendered already, `<li>` to `</li>` (see [`super::nav::SharedEntries`]):
    /// templates write it as it is instead of rendering the entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

/// Precomputed per-build facts the views share.
pub(crate) struct Views<'a> {
    pub book: &'a Book,
    pub base: &'a str,
    pub course: &'a CourseLinks,
    /// Total minutes of each node's lessons (a category sums its descendants).
    minutes: Vec<Option<u32>>,
    /// Each node's lessons: 1 for a listed doc (or a category with its own page and nothing
    /// in it), the sum of its children's for a category.
    lessons: Vec<usize>,
    /// Docusaurus doc ids (`dir/file` without the file's number prefix, or its front-matter
    /// `id`; also the plain path without extension) to pages, for `pagination_prev`/`_next`.
    doc_ids: std::sync::OnceLock<HashMap<String, PageId>>,
    /// Every page's site URL, made when a long list of children is paginated.
    page_urls: std::sync::OnceLock<std::collections::HashSet<String>>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(book: &'a Book, base: &'a str, course: &'a CourseLinks) -> Self {
        let mut minutes = vec![None; book.nodes.len()];
        let mut lessons = vec![0; book.nodes.len()];
        for node in (0..book.nodes.len()).rev() {
            let n = &book.nodes[node];
            (minutes[node], lessons[node]) = if n.is_category && !n.children.is_empty() {
                let sum: u32 = n.children.iter().filter_map(|&c| minutes[c]).sum();
                // Not a child that is the category's own page (as `course::chapters`).
                let own = |&&c: &&NodeId| book.nodes[c].page != n.page;
                let count = n.children.iter().filter(own).map(|&c| lessons[c]).sum();
                ((sum > 0).then_some(sum), count)
            } else if n.is_category {
                // A folder holding only its own page (`intro/index.md`) reads as one lesson.
                let written = book.page_of(node).file.is_some();
                (None, usize::from(written))
            } else {
                let page = book.page_of(node);
                let minutes = page.front.duration_minutes.map(|m| m.high);
                (minutes, usize::from(!page.front.unlisted))
            };
        }
        Views {
            book,
            base,
            course,
            minutes,
            lessons,
            doc_ids: std::sync::OnceLock::new(),
            page_urls: std::sync::OnceLock::new(),
        }
    }

    /// Every doc id a `pagination_prev`/`pagination_next` may name, to its page; made when
    /// first asked for (few books name one, and it took 40 ms at 10,000 lessons).
    fn doc_ids(&self) -> &HashMap<String, PageId> {
        self.doc_ids.get_or_init(|| {
            // Docusaurus ids first: an older form of one doc's id never displaces another's.
            let mut all: Vec<([String; 3], PageId)> = self
                .book
                .page_by_path
                .iter()
                .map(|(path, &page)| {
                    (
                        crate::content::paths::doc_ids(
                            path,
                            self.book.pages[page].front.id.as_deref(),
                        ),
                        page,
                    )
                })
                .collect();
            all.sort_unstable_by_key(|(_, page)| *page);
            let mut ids = HashMap::new();
            for rank in 0..3 {
                for (names, page) in &all {
                    ids.entry(names[rank].clone()).or_insert(*page);
                }
            }
            ids
        })
    }

    /// The page a `pagination_prev` / `pagination_next` names, else the reading-order one;
    /// `null` there means no link.
    fn pager(&self, chosen: &Option<Option<String>>, default: Option<PageId>) -> Option<LinkView> {
        match chosen {
            Some(None) => None,
            Some(Some(id)) => self
                .doc_ids()
                .get(id.trim_start_matches('/'))
                .copied()
                .or(default)
                .map(|p| self.pager_link(p)),
            None => default.map(|p| self.pager_link(p)),
        }
    }

    /// The site URL of the tags index: `tags/` under the docs' route base.
    pub(crate) fn tags_url(&self) -> String {
        let root = &self.book.pages[self.book.nodes[self.book.root()].page].url;
        format!("{root}tags/")
    }

    /// A tag's link: its `permalink`, else its label in kebab case (as Docusaurus does).
    fn tag_link(&self, tag: &Tag, count: usize) -> TagLink {
        let url = format!("{}{}/", self.tags_url(), tag_slug(tag));
        TagLink {
            label: tag.label.clone(),
            href: format!("{}{}", self.base, crate::content::paths::encode_path(&url)),
            count,
        }
    }

    /// The tags pages: (site URL, view) for the index and each tag; none without tags.
    pub(crate) fn tag_pages(&self) -> Vec<(String, TagsView<'a>)> {
        let book = self.book;
        // Tag slug → (label, docs), docs in reading order.
        let mut tags: BTreeMap<String, (&Tag, Vec<PageId>)> = BTreeMap::new();
        for (id, page) in book.pages.iter().enumerate() {
            if !self.listed(page.node) {
                continue;
            }
            for tag in &page.front.tags {
                let entry = tags.entry(tag_slug(tag)).or_insert((tag, Vec::new()));
                // Pages come in order: a tag written twice on one page is its last entry.
                if entry.1.last() != Some(&id) {
                    entry.1.push(id);
                }
            }
        }
        if tags.is_empty() {
            return Vec::new();
        }
        let index_url = self.tags_url();
        let all_href = format!(
            "{}{}",
            self.base,
            crate::content::paths::encode_path(&index_url)
        );
        let mut links: Vec<TagLink> = tags
            .values()
            .map(|(tag, pages)| self.tag_link(tag, pages.len()))
            .collect();
        links.sort_by_key(|l| l.label.to_lowercase());
        let mut out = vec![(
            index_url.clone(),
            TagsView {
                kind: "tags",
                title: "Tags".into(),
                href: all_href.clone(),
                tags: links,
                children: Vec::new(),
                all_href: all_href.clone(),
                pagination: None,
                children_pages: None,
                label: String::new(),
                count: 0,
            },
        )];
        let tag_urls: std::collections::HashSet<String> = tags
            .keys()
            .map(|slug| format!("{index_url}{slug}/"))
            .collect();
        for (slug, (tag, pages)) in tags {
            let link = self.tag_link(tag, pages.len());
            let docs = if pages.len() == 1 { "doc" } else { "docs" };
            let title = format!("{} {docs} tagged with \"{}\"", pages.len(), tag.label);
            let url = format!("{index_url}{slug}/");
            let pieces = paginate(
                pages.len(),
                &url,
                &link.href,
                |u| self.url_href(u),
                |u| tag_urls.contains(u),
            );
            for (page_url, range, pagination) in pieces {
                let href = match &pagination {
                    Some(p) if p.number > 1 => self.url_href(&page_url),
                    _ => link.href.clone(),
                };
                out.push((
                    page_url,
                    TagsView {
                        kind: "tag",
                        title: title.clone(),
                        href,
                        tags: Vec::new(),
                        children: pages[range]
                            .iter()
                            .map(|&p| {
                                let page = &book.pages[p];
                                ChildView {
                                    title: &page.title,
                                    href: self.href(page),
                                    description: page.front.description.as_deref(),
                                    duration_minutes: self.minutes[page.node],
                                    category: book.nodes[page.node].is_category,
                                }
                            })
                            .collect(),
                        all_href: all_href.clone(),
                        pagination,
                        children_pages: None,
                        label: tag.label.clone(),
                        count: pages.len(),
                    },
                ));
            }
        }
        out
    }

    /// The href of a page: base path plus its URL, percent-encoded.
    pub(crate) fn href(&self, page: &Page) -> String {
        format!(
            "{}{}",
            self.base,
            crate::content::paths::encode_path(&page.url)
        )
    }

    /// A page's link in the pager, labelled as Docusaurus labels it (`toDocNavigationLink`):
    /// `pagination_label`, else `sidebar_label`, else its label in the sidebar (a hand-written
    /// sidebar's, as `current.json` translates it), else its title; a category's own doc by
    /// its doc's labels, a generated category page by the category's label.
    fn pager_link(&self, page: PageId) -> LinkView {
        let p = &self.book.pages[page];
        let node = &self.book.nodes[p.node];
        let front = &p.front;
        let title = front
            .pagination_label
            .as_ref()
            .or(front.sidebar_label.as_ref())
            .unwrap_or(if node.is_category && p.source.is_some() {
                &p.title
            } else {
                &node.label
            });
        LinkView {
            title: title.clone(),
            href: self.href(p),
        }
    }

    /// The sidebar for `node`: the home link and the top-level entries of the sidebar the
    /// node is in, with the branch down to the node open; none for a doc in no sidebar.
    pub(crate) fn nav(&self, node: NodeId) -> Vec<NavItem> {
        let Some(top) = self.book.sidebar_of(node) else {
            return Vec::new();
        };
        let mut open = self.book.ancestors(node);
        open.push(node);
        let root = self.book.root();
        let children = &self.book.nodes[top].children;
        // No home link when a sidebar lists the home page itself (a `slug: /` doc).
        let home_listed = children
            .iter()
            .any(|&c| self.book.nodes[c].page == self.book.nodes[root].page);
        let mut items = Vec::new();
        if !home_listed {
            items.push(NavItem {
                title: self.book.nodes[root].label.clone(),
                href: Some(self.href(self.book.page_of(root))),
                page: Some(self.book.page_of(root).url.clone()),
                active: node == root,
                expanded: false,
                has_children: false,
                children: Vec::new(),
                node: Some(root),
                html: None,
            });
        }
        // A long top level is left to the shared navigation file (`site::nav`): inline,
        // only the entry on the way to this page.
        let compact = super::nav::is_compact(self.book, top);
        items.extend(
            children
                .iter()
                .filter(|&&c| self.listed(c) && (!compact || open.contains(&c)))
                .map(|&c| self.nav_item(c, node, &open)),
        );
        items
    }

    /// The listed top-level entries under `top`: [`Self::full_top`]'s items but the home link.
    pub(crate) fn top_entries(&self, top: NodeId) -> Vec<NodeId> {
        crate::site::nav::top_entries(self.book, top)
    }

    /// A sidebar's whole top level with nothing open or current: what the navigation file
    /// of a long top level holds.
    pub(crate) fn full_top(&self, top: NodeId) -> Vec<NavItem> {
        let children = &self.book.nodes[top].children;
        let root = self.book.root();
        let home_listed = children
            .iter()
            .any(|&c| self.book.nodes[c].page == self.book.nodes[root].page);
        let none = usize::MAX;
        let mut items = Vec::new();
        if !home_listed {
            let mut home = self.nav_item(root, none, &[]);
            home.has_children = false;
            items.push(home);
        }
        items.extend(
            children
                .iter()
                .filter(|&&c| self.listed(c))
                .map(|&c| self.nav_item(c, none, &[])),
        );
        items
    }

    /// Every page of every tree, all open, for the contents page; an entry of `parts` (a
    /// node and the href of its own contents page) is listed as a link to that page instead
    /// of with what it holds (a long course's contents split by part, issue 15).
    pub(crate) fn contents(&self, parts: &[(NodeId, String)]) -> Vec<NavItem> {
        let book = self.book;
        let mut items = Vec::new();
        for top in (0..book.nodes.len()).filter(|&n| book.nodes[n].parent.is_none()) {
            let mut item = self.nav_item(top, usize::MAX, &[]);
            item.children = Vec::new();
            item.has_children = false;
            items.push(item);
            let children = book.nodes[top].children.iter();
            items.extend(children.filter(|&&c| self.listed(c)).map(|&c| {
                match parts.iter().find(|(part, _)| *part == c) {
                    Some((_, href)) => {
                        let mut item = self.nav_item(c, usize::MAX, &[]);
                        item.href = Some(href.clone());
                        item.children = Vec::new();
                        item.expanded = false;
                        item
                    }
                    None => self.tree(c),
                }
            }));
        }
        items
    }

    /// One part's entries, all open, for its page of a contents split by part.
    pub(crate) fn contents_of(&self, part: NodeId) -> Vec<NavItem> {
        vec![self.tree(part)]
    }

    fn tree(&self, n: NodeId) -> NavItem {
        let mut item = self.nav_item(n, usize::MAX, &[]);
        item.children = self.book.nodes[n]
            .children
            .iter()
            .filter(|&&c| self.listed(c))
            .map(|&c| self.tree(c))
            .collect();
        item.expanded = !item.children.is_empty();
        item
    }

    /// The listed children of category `node`, as its page's list shows them.
    fn child_views(&self, node: NodeId) -> Vec<ChildView<'a>> {
        let book = self.book;
        book.nodes[node]
            .children
            .iter()
            // A sidebar may list the home page under the home itself.
            .filter(|&&c| book.nodes[c].page != book.nodes[node].page && self.listed(c))
            .map(|&c| {
                let p = book.page_of(c);
                ChildView {
                    // The sidebar's label, as Docusaurus' cards of a category show it.
                    title: &book.nodes[c].label,
                    href: self.href(p),
                    description: p.front.description.as_deref(),
                    duration_minutes: self.minutes[c],
                    category: book.nodes[c].is_category,
                }
            })
            .collect()
    }

    /// The pages of the list of `len` children of category `node`: its page, and past
    /// [`LIST_PAGE_SIZE`] children `<url>page/2/`, … (one page where a content page has
    /// one of those URLs).
    fn children_pages(&self, node: NodeId, len: usize) -> Vec<ListPage> {
        let page = self.book.page_of(node);
        if len <= LIST_PAGE_SIZE {
            return vec![(page.url.clone(), 0..len, None)];
        }
        let urls = self
            .page_urls
            .get_or_init(|| self.book.pages.iter().map(|p| p.url.clone()).collect());
        paginate(
            len,
            &page.url,
            &self.href(page),
            |u| self.url_href(u),
            |u| urls.contains(u),
        )
    }

    /// The later pages of every category with more than [`LIST_PAGE_SIZE`] children: site
    /// URL, category node and view (issue 15: the home page of a course of 1,300 parts lists
    /// the first 100 and a pager).
    pub(crate) fn list_pages(&self) -> Vec<(String, NodeId, TagsView<'a>)> {
        let book = self.book;
        let mut out = Vec::new();
        for (node, n) in book.nodes.iter().enumerate() {
            if !n.is_category || n.children.len() <= LIST_PAGE_SIZE {
                continue;
            }
            let children = self.child_views(node);
            let page = book.page_of(node);
            for (url, range, pagination) in self.children_pages(node, children.len()) {
                let Some(pagination) = pagination.filter(|p| p.number > 1) else {
                    continue;
                };
                out.push((
                    url.clone(),
                    node,
                    TagsView {
                        kind: "list",
                        title: page.title.clone(),
                        href: self.url_href(&url),
                        tags: Vec::new(),
                        children: children[range].to_vec(),
                        all_href: self.href(page),
                        pagination: None,
                        children_pages: Some(pagination),
                        label: String::new(),
                        count: children.len(),
                    },
                ));
            }
        }
        out
    }

    /// False for a doc marked `unlisted: true` ([`crate::site::nav::listed`]).
    fn listed(&self, node: NodeId) -> bool {
        crate::site::nav::listed(self.book, node)
    }

    /// The page next to `id` in reading order (`forward` or back) in its sidebar, skipping
    /// unlisted docs.
    fn neighbour(&self, id: PageId, forward: bool) -> Option<PageId> {
        let pages = &self.book.pages;
        let mut at = id;
        loop {
            at = if forward {
                Some(at + 1).filter(|&p| p < pages.len())?
            } else {
                at.checked_sub(1)?
            };
            if !self.same_sidebar(id, at) {
                return None;
            }
            if self.listed(pages[at].node) {
                return Some(at);
            }
        }
    }

    /// True when two pages are in the same sidebar (the pager stays inside one).
    fn same_sidebar(&self, a: PageId, b: PageId) -> bool {
        let sidebar = |p: PageId| self.book.sidebar_of(self.book.pages[p].node);
        sidebar(a).is_some() && sidebar(a) == sidebar(b)
    }

    /// Only the top level, for pages outside the tree such as 404.
    pub(crate) fn top_nav(&self) -> Vec<NavItem> {
        self.nav(self.book.root())
            .into_iter()
            .map(|mut i| {
                i.active = false;
                i
            })
            .collect()
    }

    fn nav_item(&self, n: NodeId, current: NodeId, open: &[NodeId]) -> NavItem {
        let node = &self.book.nodes[n];
        let expanded = node.is_category && (open.contains(&n) || node.always_open);
        NavItem {
            title: node.label.clone(),
            href: Some(self.href(self.book.page_of(n))),
            page: Some(self.book.page_of(n).url.clone()),
            active: n == current,
            expanded,
            has_children: !node.children.is_empty(),
            children: if expanded {
                node.children
                    .iter()
                    .filter(|&&c| self.listed(c))
                    .map(|&c| self.nav_item(c, current, open))
                    .collect()
            } else {
                Vec::new()
            },
            node: Some(n),
            html: None,
        }
    }

    /// Everything `page.html` needs for one page but its body: a function of the book and
    /// the page's table of contents.
    pub(crate) fn page(
        &self,
        id: PageId,
        rendered: &'a crate::markdown::RenderedDoc,
        canonical: Option<String>,
    ) -> PageView<'a> {
        let book = self.book;
        let page = &book.pages[id];
        let node = &book.nodes[page.node];
        let front = &page.front;
        let breadcrumbs = book
            .ancestors(page.node)
            .into_iter()
            .map(|a| LinkView {
                // Docusaurus' breadcrumbs are the sidebar's items: a category's label (as
                // `current.json` translates it), not its page's title.
                title: book.nodes[a].label.clone(),
                href: self.href(&book.pages[book.nodes[a].page]),
            })
            .collect();
        let (children, children_pages) = if node.is_category {
            let mut children = self.child_views(page.node);
            let mut pages = self.children_pages(page.node, children.len());
            children.truncate(pages.first().map_or(0, |(_, r, _)| r.end));
            (children, pages.swap_remove(0).2)
        } else {
            (Vec::new(), None)
        };
        PageView {
            kind: if node.is_category { "category" } else { "doc" },
            title: &page.title,
            heading: rendered.heading.as_deref(),
            show_title: rendered.heading.is_some() || !front.hide_title,
            description: front.description.as_deref(),
            unlisted: front.unlisted && !node.is_category,
            meta_description: front
                .description
                .as_deref()
                .or(rendered.summary.as_deref())
                .map(std::borrow::Cow::Borrowed)
                .or_else(|| {
                    // Issue 18: a page without a description or a paragraph (a generated
                    // category page, a page of code) is described by what it contains.
                    let parts: Vec<&str> = if children.is_empty() {
                        rendered.toc.iter().map(|t| t.text.as_str()).collect()
                    } else {
                        children.iter().map(|c| c.title).collect()
                    };
                    outline_description(&page.title, &parts).map(std::borrow::Cow::Owned)
                }),
            href: self.href(page),
            canonical,
            toc: if front.hide_table_of_contents {
                Vec::new()
            } else {
                let min = front.toc_min_heading_level.unwrap_or(2);
                let max = front.toc_max_heading_level.unwrap_or(3);
                rendered
                    .toc
                    .iter()
                    .filter(|t| (min..=max).contains(&t.level))
                    .collect()
            },
            breadcrumbs,
            prev: self.pager(&front.pagination_prev, self.neighbour(id, false)),
            next: self.pager(&front.pagination_next, self.neighbour(id, true)),
            lesson: self.lesson(page),
            children,
            children_pages,
            total_minutes: if node.is_category {
                self.minutes[page.node]
            } else {
                None
            },
            lesson_count: Some(self.lessons[page.node])
                .filter(|&n| node.is_category && !node.children.is_empty() && n > 0),
            keywords: &front.keywords,
            tags: front.tags.iter().map(|t| self.tag_link(t, 0)).collect(),
            extra: &front.extra,
            math: false,
            diagrams: false,
            no_code: false,
            no_components: false,
            reading_minutes: (!node.is_category && front.duration_minutes.is_none())
                .then_some(page.reading_minutes)
                .filter(|&m| m > 0),
            edit_href: self.edit_href(page),
            last_updated: page.last_updated.map(|t| {
                let (iso, text) = course::date(t);
                DateView { iso, text }
            }),
            json_ld: Some(self.json_ld(id, rendered.quiz_questions)),
            print_href: self.course.print.get(&page.node).map(|u| self.url_href(u)),
            course_map_href: (page.node == book.root())
                .then(|| self.course.course_map.as_deref().map(|u| self.url_href(u)))
                .flatten(),
            alternates: Vec::new(),
            untranslated: false,
            progress_card: (page.node == book.root())
                .then(|| crate::site::progress::course_totals(book))
                .flatten(),
            progress_group: self.course.progress.group(book, page.node),
            progress_part: self.course.progress.part(book, page.node),
        }
    }

    /// The href of a site URL.
    pub(crate) fn url_href(&self, url: &str) -> String {
        format!("{}{}", self.base, crate::content::paths::encode_path(url))
    }

    /// "Edit this page": the edit URL and the file's path in the project (as Docusaurus
    /// joins `editUrl` and the doc's path in the site folder); none for a generated page.
    fn edit_href(&self, page: &Page) -> Option<String> {
        let base = self.course.edit_url.as_deref()?;
        page.source?;
        Some(format!(
            "{base}{}",
            crate::content::paths::encode_path(&page.display_path)
        ))
    }

    /// The page's JSON-LD: the course on the home page, a learning resource (a quiz when it
    /// has questions) on every other page.
    fn json_ld(&self, id: PageId, quiz_questions: usize) -> String {
        let book = self.book;
        let page = &book.pages[id];
        let origin = self.course.origin.as_deref().unwrap_or("");
        let href = |p: &Page| format!("{origin}{}", self.href(p));
        let language = &self.course.language;
        if page.node == book.root() {
            return course::course_json_ld(book, &self.course.chapters, &href, language);
        }
        let home = book.page_of(book.root());
        course::lesson_json_ld(
            page,
            &href(page),
            quiz_questions,
            (&book.title, &href(home)),
            language,
        )
    }

    fn lesson(&self, page: &'a Page) -> Option<LessonView<'a>> {
        let f = &page.front;
        let node = &self.book.nodes[page.node];
        if node.is_category
            || (f.duration_minutes.is_none()
                && f.learning_objectives.is_empty()
                && f.skills.is_empty()
                && f.prerequisites.is_empty())
        {
            return None;
        }
        let (number, total) = match node.parent {
            Some(parent) => {
                let siblings: Vec<NodeId> = self.book.nodes[parent]
                    .children
                    .iter()
                    .copied()
                    .filter(|&c| !self.book.nodes[c].is_category)
                    .collect();
                (
                    siblings.iter().position(|&c| c == page.node).map(|i| i + 1),
                    Some(siblings.len()),
                )
            }
            None => (None, None),
        };
        Some(LessonView {
            duration_minutes: f.duration_minutes.map(|m| m.high),
            duration_from: f.duration_minutes.filter(|m| m.low < m.high).map(|m| m.low),
            learning_objectives: &f.learning_objectives,
            skills: &f.skills,
            prerequisites: &f.prerequisites,
            number,
            total,
        })
    }
}

/// A tag's URL segment: its `permalink` without slashes, else its label in kebab case
/// (lodash's `kebabCase`, as Docusaurus: words of letters and digits, lowercase, joined by
/// `-`; a lowercase-to-uppercase step starts a word).
pub(crate) fn tag_slug(tag: &Tag) -> String {
    if let Some(permalink) = &tag.permalink {
        let trimmed = permalink.trim_matches('/');
        if !trimmed.is_empty() {
            return trimmed.to_string();
        }
    }
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    // The kind of the previous character: 0 none, 1 lowercase, 2 uppercase/other, 3 digit.
    let mut previous = 0;
    for c in tag.label.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous = 0;
            continue;
        }
        let kind = if c.is_numeric() {
            3
        } else if c.is_lowercase() {
            1
        } else {
            2
        };
        let boundary = (kind == 2 && previous == 1) || ((kind == 3) != (previous == 3));
        if boundary && previous != 0 && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous = kind;
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    if words.is_empty() {
        "tag".to_string()
    } else {
        words.join("-")
    }
}

/// Issue 18: a meta description made of a page's title and the titles it contains
/// (`Chapter 2: Lesson A · Lesson B · …`), cut at a title near 160 characters; `None` when
/// it contains nothing. Titles only, so it reads in the page's language.
fn outline_description(title: &str, parts: &[&str]) -> Option<String> {
    const MAX: usize = 160;
    let parts: Vec<&str> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    let first = parts.first()?;
    let mut out = format!("{}: {first}", title.trim());
    for part in &parts[1..] {
        if out.chars().count() + part.chars().count() + 3 > MAX {
            out.push_str(" · …");
            break;
        }
        out.push_str(" · ");
        out.push_str(part);
    }
    Some(out)
}

#[cfg(test)]
mod outline_tests {
    use super::outline_description;

    #[test]
    fn a_page_is_described_by_the_titles_it_contains() {
        assert_eq!(outline_description("Chapter 2", &[]), None);
        assert_eq!(
            outline_description("Chapter 2", &["Setup", " ", "First steps"]).as_deref(),
            Some("Chapter 2: Setup · First steps")
        );
        let many: Vec<String> = (1..40).map(|i| format!("Lesson number {i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let d = outline_description("Part", &many).unwrap();
        assert!(d.chars().count() <= 165 && d.ends_with(" · …"), "{d}");
    }
}
