//! View models: the small structs templates receive. Never the whole Book: the sidebar is
//! pruned to the current page's ancestors, so its size does not grow with the course.

use crate::content::{Book, NodeId, Page, PageId};
use crate::markdown::headings::TocEntry;
use serde::Serialize;
use std::collections::BTreeMap;

/// Site-wide values.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// Path prefix ending in `/`.
    pub base: String,
    pub home_href: String,
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
    pub duration_minutes: Option<u32>,
    pub learning_objectives: Vec<&'a str>,
    pub skills: &'a [String],
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
}

/// One page, as `page.html` sees it.
#[derive(Debug, Serialize)]
pub(crate) struct PageView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub href: String,
    pub canonical: Option<String>,
    pub toc: &'a [TocEntry],
    pub breadcrumbs: Vec<LinkView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub lesson: Option<LessonView<'a>>,
    pub children: Vec<ChildView<'a>>,
    pub total_minutes: Option<u32>,
    pub keywords: &'a [String],
    pub tags: &'a [String],
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    /// The page shows a formula: link the math stylesheet and font.
    pub math: bool,
}

/// A sidebar entry; `children` is filled only where the entry is expanded.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct NavItem {
    pub title: String,
    pub href: Option<String>,
    pub active: bool,
    pub expanded: bool,
    pub has_children: bool,
    pub children: Vec<NavItem>,
}

/// Precomputed per-build facts the views share.
pub(crate) struct Views<'a> {
    pub book: &'a Book,
    pub base: &'a str,
    /// Total minutes of each node's lessons (a category sums its descendants).
    minutes: Vec<Option<u32>>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(book: &'a Book, base: &'a str) -> Self {
        let mut minutes = vec![None; book.nodes.len()];
        for node in (0..book.nodes.len()).rev() {
            let n = &book.nodes[node];
            minutes[node] = if n.is_category {
                let sum: u32 = n.children.iter().filter_map(|&c| minutes[c]).sum();
                (sum > 0).then_some(sum)
            } else {
                book.page_of(node).front.duration_minutes
            };
        }
        Views {
            book,
            base,
            minutes,
        }
    }

    /// The href of a page: base path plus its URL, percent-encoded.
    pub(crate) fn href(&self, page: &Page) -> String {
        format!(
            "{}{}",
            self.base,
            crate::content::paths::encode_path(&page.url)
        )
    }

    fn link(&self, page: PageId) -> LinkView {
        let p = &self.book.pages[page];
        LinkView {
            title: p.title.clone(),
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
                active: node == root,
                expanded: false,
                has_children: false,
                children: Vec::new(),
            });
        }
        items.extend(children.iter().map(|&c| self.nav_item(c, node, &open)));
        items
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
            active: n == current,
            expanded,
            has_children: !node.children.is_empty(),
            children: if expanded {
                node.children
                    .iter()
                    .map(|&c| self.nav_item(c, current, open))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// Everything `page.html` needs for one page but its body: a function of the book and
    /// the page's table of contents.
    pub(crate) fn page(
        &self,
        id: PageId,
        toc: &'a [TocEntry],
        canonical: Option<String>,
    ) -> PageView<'a> {
        let book = self.book;
        let page = &book.pages[id];
        let node = &book.nodes[page.node];
        let front = &page.front;
        let breadcrumbs = book
            .ancestors(page.node)
            .into_iter()
            .map(|a| self.link(book.nodes[a].page))
            .collect();
        let children: Vec<ChildView<'a>> = if node.is_category {
            node.children
                .iter()
                // A sidebar may list the home page under the home itself.
                .filter(|&&c| book.nodes[c].page != node.page)
                .map(|&c| {
                    let p = book.page_of(c);
                    ChildView {
                        title: &p.title,
                        href: self.href(p),
                        description: p.front.description.as_deref(),
                        duration_minutes: self.minutes[c],
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        PageView {
            kind: if node.is_category { "category" } else { "doc" },
            title: &page.title,
            description: front.description.as_deref(),
            href: self.href(page),
            canonical,
            toc,
            breadcrumbs,
            prev: id
                .checked_sub(1)
                .filter(|&p| self.same_sidebar(id, p))
                .map(|p| self.link(p)),
            next: (id + 1 < book.pages.len() && self.same_sidebar(id, id + 1))
                .then(|| self.link(id + 1)),
            lesson: self.lesson(page),
            children,
            total_minutes: if node.is_category {
                self.minutes[page.node]
            } else {
                None
            },
            keywords: &front.keywords,
            tags: &front.tags,
            extra: &front.extra,
            math: false,
        }
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
            duration_minutes: f.duration_minutes,
            learning_objectives: f.learning_objectives.iter().map(|o| o.text()).collect(),
            skills: &f.skills,
            prerequisites: &f.prerequisites,
            number,
            total,
        })
    }
}
