//! The Book: the content tree of categories (folders) and docs (Markdown files), with the
//! order, titles and URLs of every page. Pure: built from a `SourceSet`.

pub mod category;
pub mod frontmatter;
pub mod paths;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceSet};
use frontmatter::FrontMatter;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

pub type NodeId = usize;
pub type PageId = usize;

/// A place in the sidebar tree: a category (folder) or a doc.
#[derive(Debug, Clone)]
pub struct Node {
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
pub struct Page {
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
pub struct Asset {
    pub source: usize,
    /// Site-relative path of the copy.
    pub url: String,
}

/// The loaded course.
#[derive(Debug, Clone, Default)]
pub struct Book {
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
    pub fn root(&self) -> NodeId {
        0
    }

    /// Ancestors of a node from the root down, excluding the node itself.
    pub fn ancestors(&self, node: NodeId) -> Vec<NodeId> {
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
    pub fn page_of(&self, node: NodeId) -> &Page {
        &self.pages[self.nodes[node].page]
    }
}

/// Decodes a content file: UTF-8 with an optional BOM, CRLF folded to LF.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, (usize, usize)> {
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

#[derive(Debug, Clone, PartialEq)]
struct SortKey {
    position: Option<f64>,
    number: Option<u64>,
    name: String,
}

impl SortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        fn opt<T>(a: &Option<T>, b: &Option<T>, f: impl Fn(&T, &T) -> Ordering) -> Ordering {
            match (a, b) {
                (Some(x), Some(y)) => f(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        opt(&self.position, &other.position, |a, b| a.total_cmp(b))
            .then_with(|| opt(&self.number, &other.number, Ord::cmp))
            .then_with(|| self.name.cmp(&other.name))
    }
}

/// A Markdown file read and parsed, before it has a place in the tree.
#[derive(Debug, Clone)]
pub struct LoadedDoc {
    /// Index into `SourceSet::content`.
    source: usize,
    /// Path relative to the content directory.
    path: String,
    front: FrontMatter,
    title: Option<String>,
    body_start: usize,
    body_line: usize,
}

/// What parsing one Markdown file found: the doc (none for a draft or an unreadable file)
/// and the problems met. A pure function of the file's bytes and path (see [`parse_doc`]),
/// so that a build may keep it between runs.
#[derive(Debug, Clone)]
pub struct ParsedDoc {
    doc: Option<LoadedDoc>,
    diagnostics: Vec<Diagnostic>,
}

/// Builds the Book from the sources: front matter, order, titles and URLs.
pub fn load(sources: &SourceSet, config: &Config) -> Book {
    load_with(sources, config, |_, file, display| parse_doc(file, display))
}

/// `load`, with each Markdown file parsed by `parse(file, display_path)`: [`parse_doc`], or
/// the build's cache in front of it.
pub fn load_with(
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
        docs.extend(parsed.doc.map(|doc| LoadedDoc {
            source: index,
            ..doc
        }));
    }
    let mut book = assemble(docs, metas, config, &sources.content_dir, &mut diagnostics);
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

/// Parses one Markdown file (`display` is its path for diagnostics): its front matter, its
/// title, where its body starts. Pure.
pub fn parse_doc(file: &SourceFile, display: &str) -> ParsedDoc {
    let mut diagnostics = Vec::new();
    let doc = read_doc(&file.path, &file.bytes, display, &mut diagnostics);
    ParsedDoc { doc, diagnostics }
}

fn read_doc(
    path: &str,
    bytes: &[u8],
    display: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<LoadedDoc> {
    let text = match decode(bytes) {
        Ok(t) => t,
        Err((line, column)) => {
            diagnostics.push(
                Diagnostic::error(display, line, column, "file is not valid UTF-8").with_help(
                    "save the file as UTF-8 (most editors offer \"Save with encoding\")",
                ),
            );
            return None;
        }
    };
    let (front, body_start, body_line) = match frontmatter::split(&text) {
        Ok(split) => {
            let body_start = text.len() - split.body.len();
            let front = match split.yaml.map(|y| frontmatter::parse(y, split.yaml_line)) {
                Some(Err(e)) => {
                    diagnostics.push(Diagnostic::error(
                        display,
                        e.line,
                        e.column,
                        format!("front matter: {}", e.message),
                    ));
                    FrontMatter::default()
                }
                Some(Ok(f)) => f,
                None => FrontMatter::default(),
            };
            (front, body_start, split.body_line)
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(display, e.line, e.column, e.message)
                    .with_help("close the front matter with a line of `---`"),
            );
            (FrontMatter::default(), 0, 1)
        }
    };
    if front.draft {
        return None;
    }
    for (line, key, known) in frontmatter::likely_typos(&front) {
        diagnostics.push(
            Diagnostic::warning(
                display,
                line,
                1,
                format!("unknown front matter key `{key}`"),
            )
            .with_help(format!("did you mean `{known}`?")),
        );
    }
    let title = front
        .title
        .clone()
        .or_else(|| first_h1(&text[body_start..]));
    Some(LoadedDoc {
        source: 0,
        path: path.to_string(),
        front,
        title,
        body_start,
        body_line,
    })
}

/// The text of the first `# ` heading outside code fences, if the doc has one.
pub fn first_h1(body: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(open) = fence {
            if t.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if let Some(h) = t.strip_prefix("# ") {
            let h = h.trim().trim_end_matches('#').trim();
            let h = match h.rfind("{#") {
                Some(i) if h.ends_with('}') => h[..i].trim(),
                _ => h,
            };
            let plain: String = h.chars().filter(|c| !matches!(c, '`' | '*')).collect();
            if !plain.is_empty() {
                return Some(plain);
            }
        }
    }
    None
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

fn file_label(file_name: &str) -> String {
    paths::strip_number_prefix(paths::stem(file_name))
        .0
        .to_string()
}

/// Puts loaded docs into the tree, orders it, gives every page its URL.
fn assemble(
    docs: Vec<LoadedDoc>,
    metas: BTreeMap<String, category::CategoryMeta>,
    config: &Config,
    content_dir: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Book {
    let route_base = config.site.route_base.trim_matches('/');
    let root_url = paths::join_url("", route_base);
    let mut tree = TreeBuilder::new(root_url, metas);
    for doc in docs {
        tree.insert(doc);
    }
    tree.finish(config, content_dir, diagnostics)
}

struct TreeNode {
    name: String,
    /// Path of the folder relative to the content dir (`` for the root).
    path: String,
    children: BTreeMap<String, usize>,
    index_doc: Option<LoadedDoc>,
    docs: Vec<LoadedDoc>,
}

struct TreeBuilder {
    folders: Vec<TreeNode>,
    root_url: String,
    metas: BTreeMap<String, category::CategoryMeta>,
}

impl TreeBuilder {
    fn new(root_url: String, metas: BTreeMap<String, category::CategoryMeta>) -> Self {
        TreeBuilder {
            metas,
            folders: vec![TreeNode {
                name: String::new(),
                path: String::new(),
                children: BTreeMap::new(),
                index_doc: None,
                docs: Vec::new(),
            }],
            root_url,
        }
    }

    fn insert(&mut self, doc: LoadedDoc) {
        let mut parts: Vec<&str> = doc.path.split('/').collect();
        let file = parts.pop().unwrap_or_default().to_string();
        let mut at = 0;
        for dir in parts {
            at = match self.folders[at].children.get(dir) {
                Some(&i) => i,
                None => {
                    let i = self.folders.len();
                    let path = match self.folders[at].path.as_str() {
                        "" => dir.to_string(),
                        parent => format!("{parent}/{dir}"),
                    };
                    self.folders.push(TreeNode {
                        name: dir.to_string(),
                        path,
                        children: BTreeMap::new(),
                        index_doc: None,
                        docs: Vec::new(),
                    });
                    self.folders[at].children.insert(dir.to_string(), i);
                    i
                }
            };
        }
        let folder_name = (at != 0).then(|| self.folders[at].name.as_str());
        let is_index = paths::is_category_index(paths::stem(&file), folder_name);
        let folder = &mut self.folders[at];
        if is_index
            && folder
                .index_doc
                .as_ref()
                .is_none_or(|d| index_rank(&d.path) > index_rank(&doc.path))
        {
            if let Some(previous) = folder.index_doc.replace(doc) {
                folder.docs.push(previous);
            }
        } else {
            folder.docs.push(doc);
        }
    }

    fn finish(
        mut self,
        config: &Config,
        content_dir: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Book {
        let mut book = Book::default();
        let root_url = self.root_url.clone();
        self.emit_folder(0, None, &root_url, &mut book, content_dir);
        order_pages(&mut book);
        book.title = config
            .book
            .title
            .clone()
            .unwrap_or_else(|| book.pages[book.nodes[0].page].title.clone());
        check_duplicate_urls(&book, diagnostics);
        check_duplicate_positions(&book, diagnostics);
        book
    }

    /// Adds a folder's node (with its page) and its children's nodes; returns the node id.
    fn emit_folder(
        &mut self,
        folder: usize,
        parent: Option<NodeId>,
        url: &str,
        book: &mut Book,
        content_dir: &str,
    ) -> NodeId {
        let name = self.folders[folder].name.clone();
        let (stripped, number) = paths::strip_number_prefix(&name);
        let meta = self
            .metas
            .remove(&self.folders[folder].path)
            .unwrap_or_default();
        let mut index_doc = self.folders[folder].index_doc.take();
        let mut linked_doc = false;
        if let Some(id) = meta.link_doc_id() {
            let docs = &mut self.folders[folder].docs;
            if let Some(pos) = docs
                .iter()
                .position(|d| category::doc_matches(&d.path, d.front.id.as_deref(), id))
            {
                let doc = docs.remove(pos);
                linked_doc = true;
                if let Some(previous) = index_doc.replace(doc) {
                    docs.push(previous);
                }
            }
        }
        let fallback_title = match (&meta.label, parent) {
            (Some(label), _) => label.clone(),
            (None, None) => "Home".to_string(),
            (None, Some(_)) => stripped.to_string(),
        };
        let node = book.nodes.len();
        let page = book.pages.len();
        let (page_value, position, label) = match index_doc {
            Some(doc) => {
                // A doc named by `link: {type: doc}` keeps its own URL; README/index take the folder's.
                let own_url = if linked_doc {
                    let file = doc.path.rsplit('/').next().unwrap_or_default();
                    paths::join_url(url, doc.front.id.as_deref().unwrap_or(&file_label(file)))
                } else {
                    url.to_string()
                };
                let page_url = slugged_url(
                    &doc,
                    &own_url,
                    if linked_doc { url } else { parent_url_of(url) },
                    &self.root_url,
                );
                let label = doc
                    .front
                    .sidebar_label
                    .clone()
                    .or_else(|| doc.title.clone())
                    .unwrap_or_else(|| fallback_title.clone());
                let position = doc.front.sidebar_position;
                (
                    make_page(node, doc, page_url, &fallback_title, content_dir),
                    position,
                    label,
                )
            }
            None => (
                Page {
                    node,
                    source: None,
                    display_path: format!("{content_dir}/{name}"),
                    url: meta.generated_slug().map_or_else(
                        || url.to_string(),
                        |slug| {
                            paths::join_url(
                                &self.root_url,
                                &paths::normalize(slug).unwrap_or_default(),
                            )
                        },
                    ),
                    title: meta
                        .generated_title()
                        .unwrap_or(&fallback_title)
                        .to_string(),
                    front: FrontMatter {
                        description: meta.generated_description().map(str::to_string),
                        ..FrontMatter::default()
                    },
                    body_start: 0,
                    body_line: 1,
                },
                None,
                fallback_title.clone(),
            ),
        };
        let label = meta.label.clone().unwrap_or(label);
        let position = meta.position.or(position);
        book.pages.push(page_value);
        let sort = SortKey {
            position,
            number,
            name: name.clone(),
        };
        book.nodes.push(Node {
            parent,
            children: Vec::new(),
            label,
            page,
            is_category: true,
            always_open: meta.collapsed == Some(false),
            sort,
        });
        let mut children = Vec::new();
        let subfolders: Vec<usize> = self.folders[folder].children.values().copied().collect();
        for sub in subfolders {
            let sub_name = self.folders[sub].name.clone();
            let sub_url = paths::join_url(url, paths::strip_number_prefix(&sub_name).0);
            children.push(self.emit_folder(sub, Some(node), &sub_url, book, content_dir));
        }
        for doc in std::mem::take(&mut self.folders[folder].docs) {
            let file = doc.path.rsplit('/').next().unwrap_or_default().to_string();
            let label_fallback = file_label(&file);
            let segment = doc
                .front
                .id
                .clone()
                .unwrap_or_else(|| label_fallback.clone());
            let default_url = paths::join_url(url, &segment);
            let page_url = slugged_url(&doc, &default_url, url, &self.root_url);
            let child = book.nodes.len();
            let label = doc
                .front
                .sidebar_label
                .clone()
                .or_else(|| doc.title.clone())
                .unwrap_or_else(|| label_fallback.clone());
            let (stem_stripped, number) = paths::strip_number_prefix(paths::stem(&file));
            let sort = SortKey {
                position: doc.front.sidebar_position,
                number,
                name: stem_stripped.to_string(),
            };
            let page = book.pages.len();
            book.pages.push(make_page(
                child,
                doc,
                page_url,
                &label_fallback,
                content_dir,
            ));
            book.nodes.push(Node {
                parent: Some(node),
                children: Vec::new(),
                label,
                page,
                is_category: false,
                always_open: false,
                sort,
            });
            children.push(child);
        }
        children.sort_by(|&a, &b| book.nodes[a].sort.cmp(&book.nodes[b].sort));
        book.nodes[node].children = children;
        node
    }
}

/// README beats index beats a file named like the folder.
fn index_rank(path: &str) -> u8 {
    match paths::stem(path.rsplit('/').next().unwrap_or(path))
        .to_ascii_lowercase()
        .as_str()
    {
        "readme" => 0,
        "index" => 1,
        _ => 2,
    }
}

fn parent_url_of(url: &str) -> &str {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => &url[..=i],
        None => "",
    }
}

/// The page URL after `slug:`: absolute slugs start at the site root, relative ones at the folder.
fn slugged_url(doc: &LoadedDoc, default_url: &str, folder_url: &str, root_url: &str) -> String {
    match doc.front.slug.as_deref().map(str::trim) {
        Some(slug) if slug.starts_with('/') => {
            paths::join_url(root_url, &paths::normalize(slug).unwrap_or_default())
        }
        Some(slug) => paths::join_url(folder_url, &paths::normalize(slug).unwrap_or_default()),
        None => default_url.to_string(),
    }
}

fn make_page(
    node: NodeId,
    doc: LoadedDoc,
    url: String,
    fallback_title: &str,
    content_dir: &str,
) -> Page {
    Page {
        node,
        source: Some(doc.source),
        display_path: format!("{content_dir}/{}", doc.path),
        url,
        title: doc.title.unwrap_or_else(|| fallback_title.to_string()),
        front: doc.front,
        body_start: doc.body_start,
        body_line: doc.body_line,
    }
}

/// Renumbers pages into reading order: depth first, a category's page before its children.
fn order_pages(book: &mut Book) {
    let mut order = Vec::with_capacity(book.pages.len());
    let mut stack = vec![0];
    while let Some(node) = stack.pop() {
        order.push(book.nodes[node].page);
        stack.extend(book.nodes[node].children.iter().rev());
    }
    let mut new_id = vec![0; book.pages.len()];
    for (new, &old) in order.iter().enumerate() {
        new_id[old] = new;
    }
    let mut old_pages: Vec<Option<Page>> = std::mem::take(&mut book.pages)
        .into_iter()
        .map(Some)
        .collect();
    book.pages = order
        .iter()
        .map(|&old| old_pages[old].take().expect("each page once"))
        .collect();
    for node in &mut book.nodes {
        node.page = new_id[node.page];
    }
    book.page_by_path = book
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.source.map(|_| {
                (
                    p.display_path
                        .split_once('/')
                        .map_or(p.display_path.clone(), |(_, rest)| rest.to_string()),
                    i,
                )
            })
        })
        .collect();
}

/// Warns when siblings share a `sidebar_position` (their order then falls back to names).
fn check_duplicate_positions(book: &Book, diagnostics: &mut Vec<Diagnostic>) {
    for node in &book.nodes {
        let mut seen: Vec<(f64, &Page)> = Vec::new();
        for &child in &node.children {
            let page = book.page_of(child);
            let Some(position) = page
                .front
                .sidebar_position
                .filter(|_| page.source.is_some())
            else {
                continue;
            };
            match seen.iter().find(|(p, _)| *p == position) {
                Some((_, first)) => {
                    let line = page
                        .front
                        .key_lines
                        .get("sidebar_position")
                        .copied()
                        .unwrap_or(0);
                    diagnostics.push(
                        Diagnostic::warning(&page.display_path, line, 1, format!("sidebar_position {position} is also used by `{}`", first.display_path))
                            .with_help("siblings with the same position are ordered by name; give each its own position"),
                    );
                }
                None => seen.push((position, page)),
            }
        }
    }
}

fn check_duplicate_urls(book: &Book, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in &book.pages {
        if let Some(first) = seen.insert(&page.url, page) {
            let line = page.front.key_lines.get("slug").copied().unwrap_or(1);
            diagnostics.push(
                Diagnostic::error(
                    &page.display_path,
                    line,
                    1,
                    format!(
                        "`{}` and `{}` both map to the URL /{}",
                        first.display_path, page.display_path, page.url
                    ),
                )
                .with_help("rename one of them or give one a different `slug:`"),
            );
        }
    }
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
