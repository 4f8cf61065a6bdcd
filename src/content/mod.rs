//! The Book: the content tree of categories (folders) and docs (Markdown files), with the
//! order, titles and URLs of every page. Pure: built from a `SourceSet`.

pub(crate) mod category;
pub(crate) mod course_fields;
mod doc;
pub(crate) mod frontmatter;
pub(crate) mod paths;
mod tree;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceSet};
pub(crate) use doc::{parse_doc, LoadedDoc, ParsedDoc};
use frontmatter::FrontMatter;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use tree::SortKey;

pub(crate) type NodeId = usize;
pub(crate) type PageId = usize;

/// A place in the sidebar tree: a category (folder) or a doc.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// The sidebar label.
    pub label: String,
    /// The node's page; every category gets one (generated when it has no index doc).
    pub page: PageId,
    pub is_category: bool,
    /// `collapsed: false` in `_category_.json`: the category is open on every page.
    pub always_open: bool,
    sort: SortKey,
}

/// One page of the site.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub node: NodeId,
    /// Index into `SourceSet::content`; `None` for a generated category page.
    pub source: Option<usize>,
    /// Project-relative path for diagnostics (`content/01-a/README.md`).
    pub display_path: String,
    /// Site-relative URL: `` for the site root, else `a/b/`.
    pub url: String,
    pub title: String,
    pub front: FrontMatter,
    /// Byte offset of the body in the decoded file, and the file line it starts on.
    pub body_start: usize,
    pub body_line: usize,
}

/// A content file that is not a page (an image, a download), copied to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    pub source: usize,
    /// Site-relative path of the copy.
    pub url: String,
}

/// The loaded course.
#[derive(Debug, Clone, Default)]
pub(crate) struct Book {
    pub title: String,
    pub nodes: Vec<Node>,
    /// Pages in reading order (a category's page, then its children).
    pub pages: Vec<Page>,
    /// Content path (relative to the content dir) to the page made from it.
    pub page_by_path: HashMap<String, PageId>,
    /// Content path to the asset copied from it.
    pub assets: BTreeMap<String, Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Book {
    pub(crate) fn root(&self) -> NodeId {
        0
    }

    /// Ancestors of a node from the root down, excluding the node itself.
    pub(crate) fn ancestors(&self, node: NodeId) -> Vec<NodeId> {
        let mut chain = Vec::new();
        let mut at = self.nodes[node].parent;
        while let Some(n) = at {
            chain.push(n);
            at = self.nodes[n].parent;
        }
        chain.reverse();
        chain
    }

    /// The page of a node.
    pub(crate) fn page_of(&self, node: NodeId) -> &Page {
        &self.pages[self.nodes[node].page]
    }
}

/// Decodes a content file: UTF-8 with an optional BOM, CRLF folded to LF.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, (usize, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        (line, column)
    })?;
    Ok(if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

/// Builds the Book from the sources: front matter, order, titles and URLs (the build uses
/// [`load_with`], to cache each doc's parse).
#[cfg(test)]
fn load(sources: &SourceSet, config: &Config) -> Book {
    load_with(sources, config, |_, file, display| parse_doc(file, display))
}

/// `load`, with each Markdown file parsed by `parse(file, display_path)`: [`parse_doc`], or
/// the build's cache in front of it.
pub(crate) fn load_with(
    sources: &SourceSet,
    config: &Config,
    parse: impl Fn(usize, &SourceFile, &str) -> ParsedDoc,
) -> Book {
    let mut diagnostics = Vec::new();
    let exclude = exclude_set(&config.book.exclude, &mut diagnostics);
    let mut docs = Vec::new();
    let mut asset_files = Vec::new();
    let mut metas = BTreeMap::new();
    for (index, file) in sources.content.iter().enumerate() {
        let display = || format!("{}/{}", sources.content_dir, file.path);
        if let Some(folder) = category::meta_folder(&file.path) {
            match category::parse(&file.path, &file.bytes) {
                Ok(meta) => {
                    metas.insert(folder.to_string(), meta);
                }
                Err(e) => {
                    diagnostics.push(Diagnostic::error(display(), e.line, e.column, e.message))
                }
            }
            continue;
        }
        if paths::is_hidden(&file.path) || exclude.is_match(&file.path) {
            continue;
        }
        if !paths::is_markdown(&file.path) {
            asset_files.push((index, file.path.clone()));
            continue;
        }
        let parsed = parse(index, file, &display());
        diagnostics.extend(parsed.diagnostics);
        // A parse kept from an earlier build may come from a file that had another index.
        docs.extend(parsed.doc.map(|doc| doc.with_source(index)));
    }
    let mut book = tree::assemble(docs, metas, config, &sources.content_dir, &mut diagnostics);
    for (source, path) in asset_files {
        let url = asset_url(
            &paths::join_url("", config.site.route_base.trim_matches('/')),
            &path,
        );
        book.assets.insert(path, Asset { source, url });
    }
    book.diagnostics = diagnostics;
    book
}

fn exclude_set(globs: &[String], diagnostics: &mut Vec<Diagnostic>) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        match Glob::new(g) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => diagnostics.push(Diagnostic::error(
                "book.toml",
                0,
                0,
                format!("`[book] exclude`: invalid glob `{g}`: {e}"),
            )),
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

fn asset_url(root_url: &str, path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    let mut url = root_url.to_string();
    for dir in parts {
        url = paths::join_url(&url, paths::strip_number_prefix(dir).0);
    }
    format!("{url}{file}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> Book {
        let sources = SourceSet::from_memory(Config::default(), files);
        load(&sources, &sources.config)
    }

    fn urls(b: &Book) -> Vec<(&str, &str)> {
        b.pages
            .iter()
            .map(|p| (p.url.as_str(), p.title.as_str()))
            .collect()
    }

    #[test]
    fn orders_by_position_then_number_then_name() {
        let b = book(&[
            ("README.md", "# Course"),
            ("b.md", "# B"),
            ("a.md", "# A"),
            ("02-two.md", "# Two"),
            ("10-ten.md", "# Ten"),
            ("x.md", "---\nsidebar_position: 1\n---\n# X"),
            (
                "01-part/README.md",
                "---\ntitle: Part\nsidebar_position: 2\n---\n",
            ),
            ("01-part/01-lesson.md", "# Lesson"),
        ]);
        assert_eq!(
            urls(&b),
            [
                ("", "Course"),
                ("x/", "X"),
                ("part/", "Part"),
                ("part/lesson/", "Lesson"),
                ("two/", "Two"),
                ("ten/", "Ten"),
                ("a/", "A"),
                ("b/", "B")
            ]
        );
        assert_eq!(b.title, "Course");
    }

    #[test]
    fn titles_fall_back_to_h1_then_file_name() {
        let b = book(&[
            ("03-first-dockerfile.md", "no heading"),
            ("h.md", "```\n# not this\n```\n# Real {#id}\n"),
        ]);
        assert_eq!(
            urls(&b)[1..],
            [("first-dockerfile/", "first-dockerfile"), ("h/", "Real")]
        );
    }

    #[test]
    fn slug_draft_and_duplicates() {
        let b = book(&[
            ("a/README.md", ""),
            ("a/x.md", "---\nslug: renamed\n---\n"),
            ("a/y.md", "---\nslug: /top/level\n---\n"),
            ("a/z.md", "---\ndraft: true\n---\n"),
            ("dup.md", "---\nslug: /a/renamed\n---\n"),
        ]);
        let got: Vec<&str> = b.pages.iter().map(|p| p.url.as_str()).collect();
        assert!(
            got.contains(&"a/renamed/")
                && got.contains(&"top/level/")
                && !got.iter().any(|u| u.contains('z')),
            "{got:?}"
        );
        assert_eq!(b.diagnostics.len(), 1, "{:?}", b.diagnostics);
        assert!(
            b.diagnostics[0].message.contains("content/a/x.md")
                && b.diagnostics[0].message.contains("content/dup.md")
        );
    }

    #[test]
    fn generated_category_pages_and_hidden_files() {
        let b = book(&[
            ("01-intro/01-a.md", "# A"),
            ("_partials/x.md", "# hidden"),
            ("img/pic.png", "png"),
        ]);
        assert_eq!(
            urls(&b),
            [("", "Home"), ("intro/", "intro"), ("intro/a/", "A")]
        );
        assert_eq!(b.assets["img/pic.png"].url, "img/pic.png");
    }

    #[test]
    fn bad_utf8_and_bom_crlf() {
        let mut sources = SourceSet::from_memory(Config::default(), &[]);
        sources.content.push(crate::source::SourceFile {
            path: "bad.md".into(),
            bytes: b"ok\nab\xff".to_vec(),
        });
        sources.content.push(crate::source::SourceFile {
            path: "bom.md".into(),
            bytes: b"\xEF\xBB\xBF---\r\ntitle: Bom\r\n---\r\nbody\r\n".to_vec(),
        });
        let b = load(&sources, &sources.config);
        assert_eq!(b.diagnostics.len(), 1);
        assert_eq!((b.diagnostics[0].line, b.diagnostics[0].column), (2, 3));
        assert_eq!(b.pages[1].title, "Bom");
    }
}
