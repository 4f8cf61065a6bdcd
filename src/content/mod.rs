//! The Book: the content tree of categories (folders) and docs (Markdown files), with the
//! order, titles and URLs of every page. Pure: built from a `SourceSet`.

pub(crate) mod category;
pub(crate) mod course_fields;
mod doc;
pub(crate) mod frontmatter;
pub(crate) mod paths;
pub(crate) mod reading;
mod sidebars;
mod tree;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::site_path::SitePath;
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
    /// The page's file in the site (`a/b/index.html`); `None` when its URL is not a safe
    /// path (an error says why) and the page must not be written.
    pub file: Option<SitePath>,
    pub title: String,
    pub front: FrontMatter,
    /// Byte offset of the body in the decoded file, and the file line it starts on.
    pub body_start: usize,
    pub body_line: usize,
    /// Minutes to read the body (words at 200 a minute, code counted lightly), shown when
    /// the page has no `duration_minutes`; 0 for a generated page.
    pub reading_minutes: u32,
    /// The time (Unix seconds) of the last commit of the page's file, with
    /// `[site] last-updated` in a git checkout.
    pub last_updated: Option<i64>,
}

/// A content file that is not a page (an image, a download), copied to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    pub source: usize,
    /// Site-relative path of the copy.
    pub url: String,
    /// The same, validated: the file the copy is written to.
    pub file: SitePath,
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
    /// The top node of each sidebar (the root's first); a node outside them is a doc in no
    /// sidebar.
    pub sidebars: Vec<NodeId>,
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

    /// The top of the tree a node is in (the node itself at the top).
    pub(crate) fn top_of(&self, node: NodeId) -> NodeId {
        let mut top = node;
        while let Some(p) = self.nodes[top].parent {
            top = p;
        }
        top
    }

    /// The top node of the sidebar a node is in, if it is in one.
    pub(crate) fn sidebar_of(&self, node: NodeId) -> Option<NodeId> {
        let top = self.top_of(node);
        self.sidebars.contains(&top).then_some(top)
    }

    /// The page of a node.
    pub(crate) fn page_of(&self, node: NodeId) -> &Page {
        &self.pages[self.nodes[node].page]
    }
}

/// Decodes a content file: UTF-8 with an optional BOM, CRLF folded to LF, and control
/// characters other than tab and newline removed (they have no place in HTML; a NUL would
/// end a string in many a tool that reads the site). [`control_chars`] finds them first,
/// for the warnings.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, (usize, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        (line, column)
    })?;
    let mut text = Cow::Borrowed(text);
    if text.contains('\r') {
        text = Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    if has_control(text.as_bytes()) {
        text = Cow::Owned(text.chars().filter(|&c| !is_control_char(c)).collect());
    }
    Ok(text)
}

/// Whether `bytes` hold a control character ([`is_control`]): a block at a time, without a
/// branch per byte, which the compiler turns into vector instructions (byte by byte, the two
/// passes over every file were 4% of a rebuild from the cache).
fn has_control(bytes: &[u8]) -> bool {
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |found, &b| found | is_control(b)))
}

/// C0 control characters but tab, newline and carriage return.
fn is_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

fn is_control_char(c: char) -> bool {
    u8::try_from(c).is_ok_and(is_control)
}

/// The (line, column, character) of each control character [`decode`] removes.
pub(crate) fn control_chars(bytes: &[u8]) -> Vec<(usize, usize, char)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut found = Vec::new();
    // Nearly every file has none: one quick pass says so before lines and columns are
    // counted (this ran serially over every file as a course loaded).
    if !has_control(bytes) {
        return found;
    }
    let (mut line, mut column) = (1, 1);
    for &b in bytes {
        if b == b'\n' {
            (line, column) = (line + 1, 1);
            continue;
        }
        if is_control(b) {
            found.push((line, column, char::from(b)));
        }
        // Columns count characters: UTF-8 continuation bytes do not start one.
        if b & 0xC0 != 0x80 {
            column += 1;
        }
    }
    found
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
    parse: impl Fn(usize, &SourceFile, &str) -> ParsedDoc + Sync,
) -> Book {
    load_known(sources, config, |_, _| None, parse)
}

/// [`load_with`], asking `known(index, display_path)` first: a doc it knows is neither read
/// from disk nor parsed (`serve`'s memo; a rebuild from it read every Markdown file again).
pub(crate) fn load_known(
    sources: &SourceSet,
    config: &Config,
    known: impl Fn(usize, &str) -> Option<ParsedDoc> + Sync,
    parse: impl Fn(usize, &SourceFile, &str) -> ParsedDoc + Sync,
) -> Book {
    let mut diagnostics = Vec::new();
    let exclude = exclude_set(&config.book.exclude, &mut diagnostics);
    let mut docs = Vec::new();
    let mut asset_files = Vec::new();
    let mut metas = BTreeMap::new();
    // Every doc read and parsed in parallel first (on a rebuild from the cache this was the
    // longest stretch of one core), then taken in file order below.
    let mut parsed = parse_docs(sources, &exclude, &known, &parse).into_iter();
    for (index, file) in sources.content.iter().enumerate() {
        if let Some(folder) = category::meta_folder(&file.path) {
            match category::parse(&file.path, &file.bytes) {
                Ok(meta) => {
                    metas.insert(folder.to_string(), meta);
                }
                Err(e) => diagnostics.push(Diagnostic::error(
                    format!("{}/{}", sources.content_dir, file.path),
                    e.line,
                    e.column,
                    e.message,
                )),
            }
            continue;
        }
        if exclude.is_match(&file.path) {
            continue;
        }
        if !paths::is_markdown(&file.path) {
            // Files in `_`-prefixed folders are not pages but may be a page's images.
            if !paths::is_dot_hidden(&file.path) {
                asset_files.push((index, file.path.clone()));
            }
            continue;
        }
        if paths::is_hidden(&file.path) {
            continue;
        }
        let parsed = match parsed.next() {
            Some(Ok(parsed)) => parsed,
            Some(Err(d)) => {
                diagnostics.push(d);
                continue;
            }
            None => continue,
        };
        diagnostics.extend(parsed.diagnostics);
        // A parse kept from an earlier build may come from a file that had another index.
        docs.extend(parsed.doc.map(|doc| doc.with_source(index)));
    }
    let sidebars = sources.sidebars.as_ref().map(|file| {
        let (sidebars, warnings) = sidebars::parse(&file.text, file.path.ends_with(".json"));
        let lines = crate::diagnostic::LineIndex::new(&file.text);
        for (at, message) in warnings {
            let (line, column) = lines.position(&file.text, at);
            diagnostics.push(Diagnostic::warning(&file.path, line, column, message));
        }
        (file.path.as_str(), sidebars)
    });
    let mut book = tree::assemble(
        docs,
        metas,
        config,
        &sources.content_dir,
        sidebars.as_ref().map(|(p, s)| (*p, s.as_slice())),
        &mut diagnostics,
    );
    for (source, path) in asset_files {
        let url = asset_url(
            &paths::join_url("", config.site.route_base.trim_matches('/')),
            &path,
        );
        match SitePath::new(&url) {
            Ok(file) => {
                book.assets.insert(path, Asset { source, url, file });
            }
            Err(e) => diagnostics.push(
                Diagnostic::error(
                    format!("{}/{path}", sources.content_dir),
                    0,
                    0,
                    format!("this file cannot be published as `{url}`: {e}"),
                )
                .with_help("rename the file or folder"),
            ),
        }
    }
    if !sources.last_commits.is_empty() {
        for page in &mut book.pages {
            let path = page.source.map(|s| sources.content[s].path.as_str());
            page.last_updated = path.and_then(|p| sources.last_commits.get(p)).copied();
        }
    }
    book.diagnostics = diagnostics;
    book
}

/// Whether content file `path` is a doc `load_with` parses (not a category's metadata, an
/// excluded or hidden file, or an asset).
fn is_doc(path: &str, exclude: &GlobSet) -> bool {
    category::meta_folder(path).is_none()
        && !exclude.is_match(path)
        && paths::is_markdown(path)
        && !paths::is_hidden(path)
}

/// Each doc's parse (or why its file cannot be read), in file order, made in parallel.
/// Markdown left on disk (`source::read_deferred`) is read here and let go after.
fn parse_docs(
    sources: &SourceSet,
    exclude: &GlobSet,
    known: &(impl Fn(usize, &str) -> Option<ParsedDoc> + Sync),
    parse: &(impl Fn(usize, &SourceFile, &str) -> ParsedDoc + Sync),
) -> Vec<Result<ParsedDoc, Diagnostic>> {
    use rayon::prelude::*;
    sources
        .content
        .par_iter()
        .enumerate()
        .filter(|(_, file)| is_doc(&file.path, exclude))
        .map(|(index, file)| {
            let display = format!("{}/{}", sources.content_dir, file.path);
            if let Some(parsed) = known(index, &display) {
                return Ok(parsed);
            }
            if !sources.is_deferred() {
                return Ok(parse(index, file, &display));
            }
            let read = SourceFile {
                path: file.path.clone(),
                bytes: sources.bytes(index)?.into_owned(),
            };
            Ok(parse(index, &read, &display))
        })
        .collect()
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
    fn one_position_key_like_docusaurus() {
        // A quiz at sidebar_position 7 goes after lessons numbered 01-06 by prefix; names
        // with neither come last, ordered by their file name as written.
        let b = book(&[
            ("README.md", "# Course"),
            ("z.md", "# Z"),
            ("quiz.md", "---\nsidebar_position: 7\n---\n# Quiz"),
            ("06-six.md", "# Six"),
            ("01-one.md", "# One"),
            ("1.1-intro.md", "# Version"),
            ("B.md", "# B upper"),
        ]);
        assert_eq!(
            urls(&b),
            [
                ("", "Course"),
                ("one/", "One"),
                ("six/", "Six"),
                ("quiz/", "Quiz"),
                ("1.1-intro/", "Version"),
                ("B/", "B upper"),
                ("z/", "Z"),
            ]
        );
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
            ("_img/x.png", "png"),
            (".git/config", "x"),
        ]);
        assert_eq!(
            urls(&b),
            [("", "Home"), ("intro/", "intro"), ("intro/a/", "A")]
        );
        assert_eq!(b.assets["img/pic.png"].url, "img/pic.png");
        assert_eq!(b.assets["_img/x.png"].url, "_img/x.png");
        assert_eq!(b.assets.len(), 2);
    }

    #[test]
    fn a_control_character_is_found_wherever_it_is() {
        for len in [1, 63, 64, 65, 130] {
            for at in [0, len / 2, len - 1] {
                for b in (0u8..0x20).filter(|b| !matches!(b, b'\t' | b'\n' | b'\r')) {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert!(has_control(&bytes), "{b:#x} at {at} of {len}");
                    bytes[at] = [b'\t', b'\n', b'\r', b' ', 0x7f, 0xc3][usize::from(b) % 6];
                    assert!(!has_control(&bytes), "{:#x} at {at} of {len}", bytes[at]);
                }
            }
        }
        assert!(!has_control(b""));
    }

    #[test]
    fn control_characters_are_removed_and_located() {
        let bytes = "a\u{0}b\né\u{1b}[31m\tx\r\n".as_bytes();
        assert_eq!(decode(bytes).unwrap(), "ab\né[31m\tx\n");
        assert_eq!(control_chars(bytes), [(1, 2, '\0'), (2, 2, '\u{1b}')]);
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
