//! The tree of categories and docs: loaded docs put into folders, each folder's page chosen
//! (its index doc, a doc its `_category_` file names, or a generated page), siblings ordered,
//! pages numbered in reading order, and duplicate URLs and positions reported.

use super::category::{self, CategoryMeta};
use super::frontmatter::FrontMatter;
use super::sidebars::{self, Sidebar};
use super::{paths, Book, LoadedDoc, Node, NodeId, Page};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::site_path::SitePath;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where a node goes among its siblings, as Docusaurus' sidebar generator sorts them: by one
/// position (`sidebar_position` if set, else the name's number prefix; items with neither
/// last), ties by the file or folder name as written (with its prefix and extension).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SortKey {
    position: Option<f64>,
    source: String,
}

impl SortKey {
    /// For nodes a hand-written sidebar places (its order is the file's).
    pub(super) fn none() -> SortKey {
        SortKey {
            position: None,
            source: String::new(),
        }
    }

    fn cmp(&self, other: &Self) -> Ordering {
        match (self.position, other.position) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| self.source.cmp(&other.source))
    }
}

/// Puts loaded docs into the tree, orders it, gives every page its URL.
pub(super) fn assemble(
    docs: Vec<LoadedDoc>,
    metas: BTreeMap<String, CategoryMeta>,
    config: &Config,
    content_dir: &str,
    sidebars: Option<(&str, &[Sidebar])>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Book {
    let route_base = config.site.route_base.trim_matches('/');
    let root_url = paths::join_url("", route_base);
    let mut tree = TreeBuilder::new(root_url, metas, content_dir);
    for doc in docs {
        tree.insert(doc);
    }
    tree.finish(config, sidebars, diagnostics)
}

/// A folder of the content tree, before it becomes a node.
#[derive(Default)]
struct Folder {
    name: String,
    /// Path of the folder relative to the content dir (`` for the root).
    path: String,
    /// Subfolders by name.
    children: BTreeMap<String, usize>,
    index_doc: Option<LoadedDoc>,
    docs: Vec<LoadedDoc>,
}

struct TreeBuilder {
    /// The root first.
    folders: Vec<Folder>,
    root_url: String,
    metas: BTreeMap<String, CategoryMeta>,
    content_dir: String,
    /// Slugs of generated-index category labels, numbered when repeated.
    label_slugs: paths::Slugs,
    /// Doc ids and folders, for hand-written sidebars.
    index: sidebars::Index,
    /// Index docs (README, index, namesake) that are not their folder's page, because its
    /// `_category_` links another doc or a generated index: as in Docusaurus, they are still
    /// at the folder's URL.
    displaced_index: HashSet<String>,
}

impl TreeBuilder {
    fn new(root_url: String, metas: BTreeMap<String, CategoryMeta>, content_dir: &str) -> Self {
        TreeBuilder {
            metas,
            folders: vec![Folder::default()],
            root_url,
            content_dir: content_dir.to_string(),
            label_slugs: paths::Slugs::default(),
            index: sidebars::Index {
                doc_ids: HashMap::new(),
                folders: HashMap::new(),
            },
            displaced_index: HashSet::new(),
        }
    }

    /// Files a doc in its folder (made as needed), as the folder's index doc if it is one.
    fn insert(&mut self, doc: LoadedDoc) {
        let mut parts: Vec<&str> = doc.path.split('/').collect();
        let file = parts.pop().unwrap_or_default().to_string();
        let mut at = 0;
        for dir in parts {
            at = match self.folders[at].children.get(dir) {
                Some(&i) => i,
                None => self.add_folder(at, dir),
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

    /// A doc with `slug: /` is the docs home in Docusaurus: with no index doc at the root, it
    /// becomes the root's page (instead of a generated one at the same URL).
    fn adopt_home_doc(&mut self) {
        if self.folders[0].index_doc.is_some()
            || self
                .metas
                .get("")
                .is_some_and(|m| m.link_doc_id().is_some())
        {
            return;
        }
        let is_home = |d: &LoadedDoc| {
            d.front.slug.as_deref().is_some_and(|s| {
                paths::normalize(s.trim()).is_some_and(|n| n.is_empty())
                    && s.trim().starts_with('/')
            })
        };
        let found = self
            .folders
            .iter()
            .enumerate()
            .find_map(|(f, folder)| folder.docs.iter().position(is_home).map(|d| (f, d)));
        if let Some((f, d)) = found {
            let doc = self.folders[f].docs.remove(d);
            self.folders[0].index_doc = Some(doc);
        }
    }

    /// Adds folder `dir` under folder `parent`; returns its index.
    fn add_folder(&mut self, parent: usize, dir: &str) -> usize {
        let i = self.folders.len();
        let path = match self.folders[parent].path.as_str() {
            "" => dir.to_string(),
            parent => format!("{parent}/{dir}"),
        };
        self.folders.push(Folder {
            name: dir.to_string(),
            path,
            ..Folder::default()
        });
        self.folders[parent].children.insert(dir.to_string(), i);
        i
    }

    fn finish(
        mut self,
        config: &Config,
        sidebars: Option<(&str, &[Sidebar])>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Book {
        self.adopt_home_doc();
        let mut book = Book::default();
        let root_url = self.root_url.clone();
        self.emit_folder(0, None, &root_url, &mut book);
        book.sidebars = vec![book.root()];
        if let Some((path, sidebars)) = sidebars.filter(|(_, s)| !s.is_empty()) {
            let mut ctx = sidebars::Context {
                root_url: &self.root_url,
                content_dir: &self.content_dir,
                sidebars_path: path,
                slugs: &mut self.label_slugs,
            };
            sidebars::apply(&mut book, sidebars, &self.index, &mut ctx, diagnostics);
        }
        order_pages(&mut book);
        book.title = config
            .book
            .title
            .clone()
            .unwrap_or_else(|| book.pages[book.nodes[0].page].title.clone());
        check_duplicate_urls(&book, diagnostics);
        check_duplicate_positions(&book, diagnostics);
        assign_files(&mut book, diagnostics);
        book
    }

    /// Adds a folder's node (with its page) and its children's nodes; returns the node id.
    fn emit_folder(
        &mut self,
        folder: usize,
        parent: Option<NodeId>,
        url: &str,
        book: &mut Book,
    ) -> NodeId {
        let name = self.folders[folder].name.clone();
        let meta = self
            .metas
            .remove(&self.folders[folder].path)
            .unwrap_or_default();
        let (stripped, number) = paths::strip_number_prefix(&name);
        let number = number.map(|n| n as f64);
        let fallback_title = match (&meta.label, parent) {
            (Some(label), _) => label.clone(),
            (None, None) => "Home".to_string(),
            (None, Some(_)) => stripped.to_string(),
        };
        let node = book.nodes.len();
        self.index
            .folders
            .insert(self.folders[folder].path.clone(), node);
        let (page, position, label) = match self.category_doc(folder, &meta) {
            Some((doc, linked)) => {
                index_doc_ids(&mut self.index, &doc, book.pages.len());
                let position = doc_position(&doc);
                let label = sidebar_label(&doc, &fallback_title);
                let page = self.category_page(node, doc, linked, url, &fallback_title);
                (page, position, label)
            }
            None => {
                let page = self.generated_page(node, &meta, &name, url, &fallback_title);
                (page, None, fallback_title.clone())
            }
        };
        book.nodes.push(Node {
            parent,
            children: Vec::new(),
            label: meta.label.clone().unwrap_or(label),
            page: book.pages.len(),
            is_category: true,
            always_open: meta.collapsed == Some(false),
            sort: SortKey {
                position: meta.position.or(position).or(number),
                source: name.clone(),
            },
        });
        book.pages.push(page);
        let mut children = Vec::new();
        let subfolders: Vec<usize> = self.folders[folder].children.values().copied().collect();
        for sub in subfolders {
            let sub_url =
                paths::join_url(url, paths::strip_number_prefix(&self.folders[sub].name).0);
            children.push(self.emit_folder(sub, Some(node), &sub_url, book));
        }
        for doc in std::mem::take(&mut self.folders[folder].docs) {
            children.push(self.emit_doc(doc, node, url, book));
        }
        children.sort_by(|&a, &b| book.nodes[a].sort.cmp(&book.nodes[b].sort));
        book.nodes[node].children = children;
        node
    }

    /// The doc that is a folder's page, and whether `_category_`'s `link: {type: doc}` named
    /// it (else it is the folder's README, index or namesake); the index doc it displaces
    /// goes back among the folder's docs.
    fn category_doc(&mut self, folder: usize, meta: &CategoryMeta) -> Option<(LoadedDoc, bool)> {
        let folder = &mut self.folders[folder];
        let index_doc = folder.index_doc.take();
        self.displaced_index
            .extend(index_doc.as_ref().map(|d| d.path.clone()));
        // An explicit generated-index link makes the folder's page a generated one; the
        // index doc is then one of its docs (Docusaurus).
        if meta.is_generated_index() {
            folder.docs.extend(index_doc);
            return None;
        }
        let linked = meta.link_doc_id().and_then(|id| {
            folder
                .docs
                .iter()
                .position(|d| category::doc_matches(&d.path, d.front.id.as_deref(), id))
        });
        let Some(pos) = linked else {
            if let Some(doc) = &index_doc {
                self.displaced_index.remove(&doc.path);
            }
            return index_doc.map(|doc| (doc, false));
        };
        let doc = folder.docs.remove(pos);
        folder.docs.extend(index_doc);
        Some((doc, true))
    }

    /// A folder's page made from a doc. A doc named by `link: {type: doc}` keeps its own URL;
    /// README/index take the folder's.
    fn category_page(
        &self,
        node: NodeId,
        doc: LoadedDoc,
        linked: bool,
        url: &str,
        fallback_title: &str,
    ) -> Page {
        let page_url = if linked {
            let file = doc.path.rsplit('/').next().unwrap_or_default();
            let own_url =
                paths::join_url(url, doc.front.id.as_deref().unwrap_or(&file_label(file)));
            slugged_url(&doc, &own_url, url, &self.root_url)
        } else {
            slugged_url(&doc, url, parent_url_of(url), &self.root_url)
        };
        self.page(node, doc, page_url, fallback_title)
    }

    /// The page of a folder without a doc for it: a list of its lessons, titled and placed
    /// as its `_category_` file's `generated-index` link says.
    fn generated_page(
        &mut self,
        node: NodeId,
        meta: &CategoryMeta,
        name: &str,
        url: &str,
        fallback_title: &str,
    ) -> Page {
        let url = match meta.generated_slug() {
            Some(slug) => paths::join_url(&self.root_url, &resolve("", slug)),
            // Docusaurus' default for a generated index: `/category/<slug of the label>`.
            None if meta.is_generated_index() => {
                let slug = self.label_slugs.slug(fallback_title);
                paths::join_url(&self.root_url, &format!("category/{slug}"))
            }
            None => url.to_string(),
        };
        Page {
            node,
            source: None,
            display_path: format!("{}/{name}", self.content_dir),
            url,
            file: None,
            title: meta.generated_title().unwrap_or(fallback_title).to_string(),
            front: FrontMatter {
                description: meta.generated_description().map(str::to_string),
                ..FrontMatter::default()
            },
            body_start: 0,
            body_line: 1,
            reading_minutes: 0,
            last_updated: None,
        }
    }

    /// Adds a doc's node and page under `parent` (at `url`); returns the node id.
    fn emit_doc(&mut self, doc: LoadedDoc, parent: NodeId, url: &str, book: &mut Book) -> NodeId {
        index_doc_ids(&mut self.index, &doc, book.pages.len());
        let file = doc.path.rsplit('/').next().unwrap_or_default().to_string();
        let label_fallback = file_label(&file);
        let segment = doc.front.id.as_deref().unwrap_or(&label_fallback);
        let page_url = if self.displaced_index.contains(&doc.path) {
            slugged_url(&doc, url, parent_url_of(url), &self.root_url)
        } else {
            slugged_url(&doc, &paths::join_url(url, segment), url, &self.root_url)
        };
        let node = book.nodes.len();
        book.nodes.push(Node {
            parent: Some(parent),
            children: Vec::new(),
            label: sidebar_label(&doc, &label_fallback),
            page: book.pages.len(),
            is_category: false,
            always_open: false,
            sort: SortKey {
                position: doc_position(&doc),
                source: file.clone(),
            },
        });
        book.pages
            .push(self.page(node, doc, page_url, &label_fallback));
        node
    }

    /// The page of a doc at `url`.
    fn page(&self, node: NodeId, doc: LoadedDoc, url: String, fallback_title: &str) -> Page {
        Page {
            node,
            source: Some(doc.source),
            display_path: format!("{}/{}", self.content_dir, doc.path),
            url,
            file: None,
            title: doc.title.unwrap_or_else(|| fallback_title.to_string()),
            front: doc.front,
            body_start: doc.body_start,
            body_line: doc.body_line,
            reading_minutes: doc.reading_minutes,
            last_updated: None,
        }
    }
}

/// A doc's id as Docusaurus makes it: its folder path as written, then its front-matter `id`
/// or its file name without number prefix and extension (`01-part/lesson`).
/// Records a doc's ids for hand-written sidebars.
/// Docusaurus' id wins; the form with the folders' number prefixes (`06-capstone/deployment`)
/// never displaces another doc's id.
fn index_doc_ids(index: &mut sidebars::Index, doc: &LoadedDoc, page: super::PageId) {
    let [id, prefixed, _] = paths::doc_ids(&doc.path, doc.front.id.as_deref());
    index.doc_ids.insert(id, page);
    index.doc_ids.entry(prefixed).or_insert(page);
}

/// A doc's position among its siblings: `sidebar_position`, else its file name's number prefix.
fn doc_position(doc: &LoadedDoc) -> Option<f64> {
    let file = doc.path.rsplit('/').next().unwrap_or_default();
    doc.front.sidebar_position.or_else(|| {
        paths::strip_number_prefix(paths::stem(file))
            .1
            .map(|n| n as f64)
    })
}

/// A doc's sidebar label: `sidebar_label:`, else its title, else `fallback`.
fn sidebar_label(doc: &LoadedDoc, fallback: &str) -> String {
    doc.front
        .sidebar_label
        .clone()
        .or_else(|| doc.title.clone())
        .unwrap_or_else(|| fallback.to_string())
}

/// A file's name as a label or URL segment: no extension, no number prefix.
fn file_label(file_name: &str) -> String {
    paths::strip_number_prefix(paths::stem(file_name))
        .0
        .to_string()
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

/// The page URL after `slug:`: absolute slugs start at the root of the docs (the route
/// base), relative ones at the doc's folder, as in Docusaurus.
fn slugged_url(doc: &LoadedDoc, default_url: &str, folder_url: &str, root_url: &str) -> String {
    match doc.front.slug.as_deref().map(str::trim) {
        Some(slug) if slug.starts_with('/') => paths::join_url(root_url, &resolve("", slug)),
        Some(slug) => paths::join_url("", &resolve(folder_url, slug)),
        None => default_url.to_string(),
    }
}

/// `slug` resolved against the folder URL `base` (`.` and `..` applied). A slug that climbs
/// above the site's root is kept as written, for [`assign_files`] to refuse.
pub(super) fn resolve(base: &str, slug: &str) -> String {
    let joined = format!("{base}{slug}");
    paths::normalize(&joined).unwrap_or(joined)
}

/// Gives every page its file in the site; a page whose URL is not a safe path (from its
/// `slug`, `id`, file or folder names) gets none, and an error at the key that made it.
fn assign_files(book: &mut Book, diagnostics: &mut Vec<Diagnostic>) {
    for page in &mut book.pages {
        let error = match SitePath::page(&page.url) {
            Ok(file) => {
                page.file = Some(file);
                continue;
            }
            Err(e) => e,
        };
        let key = ["slug", "id"]
            .into_iter()
            .find_map(|k| Some((k, *page.front.key_lines.get(k)?)));
        let path = format!("{}index.html", page.url);
        let (line, message) = match key {
            Some((key, line)) => {
                let value = match key {
                    "slug" => page.front.slug.as_deref(),
                    _ => page.front.id.as_deref(),
                };
                let value = value.unwrap_or_default();
                (line, format!("`{key}: {value}` would write this page to `{path}`, outside the site or unsafe: {error}"))
            }
            None if page.source.is_none() => (0, format!("the category's `link.slug` would write its page to `{path}`, outside the site or unsafe: {error}")),
            None => (0, format!("this page's file or folder names would write it to `{path}`, which is unsafe: {error}")),
        };
        let column = usize::from(line > 0);
        diagnostics.push(
            Diagnostic::error(&page.display_path, line, column, message).with_help(
                "a slug or id is a path inside the site, such as `setup` or `/basics/setup`",
            ),
        );
    }
}

/// Renumbers pages into reading order: each sidebar depth first (a category's page before
/// its children), then the pages in no sidebar; a page reached twice keeps its first place,
/// a page reached never (a folder page a hand-written sidebar leaves out) is dropped.
fn order_pages(book: &mut Book) {
    let mut order = Vec::with_capacity(book.pages.len());
    let mut seen = vec![false; book.pages.len()];
    let outside = (0..book.nodes.len())
        .filter(|&n| book.nodes[n].parent.is_none() && !book.sidebars.contains(&n));
    let starts: Vec<NodeId> = book.sidebars.iter().copied().chain(outside).collect();
    for start in starts {
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            let page = book.nodes[node].page;
            if !std::mem::replace(&mut seen[page], true) {
                order.push(page);
            }
            stack.extend(book.nodes[node].children.iter().rev());
        }
    }
    let mut new_id = vec![usize::MAX; book.pages.len()];
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
