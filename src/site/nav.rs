//! A sidebar whose size does not grow with the course (issue 20): beyond
//! [`INLINE_TOP_LEVEL`] top-level entries, a page carries only its own branch inline, and
//! the whole top level lives in one shared, content-hashed script (`assets/nav.HASH.js`)
//! that the page loads and that inserts it; a contents page lists every page for readers
//! without JavaScript. Past [`NAV_CHUNK`] entries the top level comes in chunks, one file
//! each, and a page loads its own part's (issue 15).

use super::templates::Templates;
use super::view::NavItem;
use crate::content::{Book, NodeId};
use serde::Serialize;

/// The most top-level sidebar entries (the home link included) a page carries inline.
pub(crate) const INLINE_TOP_LEVEL: usize = 20;

/// Where the contents page goes, under the route base: the first of these no page, asset
/// or static file takes.
const CONTENTS_URLS: [&str; 3] = ["contents/", "course-contents/", "all-contents/"];

/// The script that inserts the top level: `__syllabusNav(html)`, followed in each file by
/// the call with that sidebar's list.
const INSERTER: &str = include_str!("nav.js");

/// The most top-level entries (besides the home link) one navigation file holds: a longer
/// top level comes in chunks of this many, one file each (issue 15).
pub(crate) const NAV_CHUNK: usize = 100;

/// The script that inserts one chunk of a top level and the buttons to its neighbours:
/// `__syllabusNavChunk(html, prev, next, n)`, after [`INSERTER`] in each chunk's file.
const CHUNK_INSERTER: &str = include_str!("nav_chunks.js");

/// A chunk's button to a neighbouring chunk: the href of its file and its label.
#[derive(Debug, Serialize)]
struct ChunkLink<'a> {
    href: &'a str,
    label: &'a str,
}

/// What a page's sidebar template needs beyond its items: the shared top level's script
/// and the contents page, both only for a long top level.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub(crate) struct SidebarView {
    /// The href of the navigation file to load.
    pub script: Option<String>,
    /// The href of the contents page.
    pub contents: Option<String>,
}

/// False for a doc marked `unlisted: true`: the sidebar, generated indexes, tag pages and
/// the reading order leave it out (Docusaurus does the same in a production build).
pub(crate) fn listed(book: &Book, node: NodeId) -> bool {
    book.nodes[node].is_category || !book.page_of(node).front.unlisted
}

/// The listed entries of the top level under `top` (the home link aside): what the
/// navigation files list and chunk.
pub(crate) fn top_entries(book: &Book, top: NodeId) -> Vec<NodeId> {
    let children = book.nodes[top].children.iter();
    children.copied().filter(|&c| listed(book, c)).collect()
}

/// True when the sidebar under `top` has too many top-level entries to carry inline.
pub(crate) fn is_compact(book: &Book, top: NodeId) -> bool {
    book.nodes[top].children.len() + 1 > INLINE_TOP_LEVEL
}

/// The navigation file of a sidebar whose whole top level renders as `list_html` (the
/// `<ul>` of `macros::nav_tree`): its site path (named by a hash of its bytes, so browsers
/// may cache it for good) and its bytes.
pub(crate) fn file(list_html: &str) -> (String, Vec<u8>) {
    let json = serde_json::to_string(list_html).unwrap_or_else(|_| "\"\"".into());
    let inserter = String::from_utf8_lossy(&super::minify::js(INSERTER.as_bytes())).into_owned();
    let body = format!("{inserter}__syllabusNav({json});\n");
    // Named like every hashed theme file (issue 18).
    let path = super::assets::hashed_path("assets/nav.js", body.as_bytes());
    (path, body.into_bytes())
}

/// The files of a top level in chunks (more than [`NAV_CHUNK`] entries): `lists[i]` is
/// chunk i's `<ul>`, and `label(i, forward)` the label of the button from chunk i to the one
/// before or after it. Every file is named by a hash of all the chunks, so the links between
/// them never point at a file of another build. Site paths (`assets/nav.N.HASH.js`) and
/// bytes, in order.
pub(crate) fn chunk_files(
    lists: &[String],
    base: &str,
    label: impl Fn(usize, bool) -> String,
) -> Vec<(String, Vec<u8>)> {
    let all: String = lists.concat();
    let paths: Vec<String> = (1..=lists.len())
        .map(|n| super::assets::hashed_path(&format!("assets/nav.{n}.js"), all.as_bytes()))
        .collect();
    let inserter = super::minify::js(format!("{INSERTER}\n{CHUNK_INSERTER}").as_bytes());
    let inserter = String::from_utf8_lossy(&inserter).into_owned();
    let link = |i: usize, forward: bool| {
        let to = if forward { i + 1 } else { i.checked_sub(1)? };
        let href = format!("{base}{}", paths.get(to)?);
        let label = label(i, forward);
        serde_json::to_string(&ChunkLink {
            href: &href,
            label: &label,
        })
        .ok()
    };
    lists
        .iter()
        .enumerate()
        .map(|(i, list)| {
            let json = serde_json::to_string(list).unwrap_or_else(|_| "\"\"".into());
            let prev = link(i, false).unwrap_or_else(|| "null".into());
            let next = link(i, true).unwrap_or_else(|| "null".into());
            let body = format!("{inserter}__syllabusNavChunk({json},{prev},{next},{i});\n");
            (paths[i].clone(), body.into_bytes())
        })
        .collect()
}

/// The site URL of the contents page: `contents/` under the route base, unless something
/// else is written there.
pub(crate) fn contents_url(root_url: &str, taken: impl Fn(&str) -> bool) -> Option<String> {
    CONTENTS_URLS
        .iter()
        .map(|u| format!("{root_url}{u}"))
        .find(|u| !taken(u))
}

/// Sidebar entries rendered once per build (issue 15: the sidebar was a third of the time
/// templates took). An entry that is neither the current page nor open (no branch of it
/// shown) looks the same on every page that shows it: the first page to need it renders it
/// with `partials/nav_item.html` (the `nav_item` macro), and every page hands it to its
/// templates as `item.html`, which `nav_tree` writes as it is. A template set whose
/// `nav_item.html` does not render (an older `macros.html` override) leaves every entry to
/// the page's own templates, as before.
pub(crate) struct SharedEntries {
    /// By node: the entry rendered, if it could be.
    by_node: Vec<std::sync::OnceLock<Option<Shared>>>,
    /// The HTML of every entry rendered, one after another in buffers of [`HTML_CHUNK`]
    /// bytes: kept as a string each (made on the pages' threads among their short-lived
    /// allocations), they held on to 33 MiB more at 10,000 lessons.
    html: std::sync::RwLock<Vec<String>>,
    /// Set once `nav_item.html` failed to render: the template set cannot share entries,
    /// and no other entry is tried.
    unavailable: std::sync::atomic::AtomicBool,
}

/// The bytes of one buffer of [`SharedEntries`]' HTML (about 700 entries).
const HTML_CHUNK: usize = 256 << 10;

/// An entry rendered once: a hash of what it was rendered from, and where its HTML is (a
/// buffer, and a range in it).
#[derive(Clone, Copy)]
struct Shared {
    from: u64,
    html: (usize, usize, usize),
}

impl SharedEntries {
    pub(crate) fn new(nodes: usize) -> SharedEntries {
        SharedEntries {
            by_node: (0..nodes).map(|_| std::sync::OnceLock::new()).collect(),
            html: Default::default(),
            unavailable: Default::default(),
        }
    }

    /// Sets `html` on every entry of `items` (at `depth`, and below the open ones) that is
    /// neither current nor open, rendering each the first time.
    pub(crate) fn fill(&self, templates: &Templates, items: &mut [NavItem], depth: usize) {
        for item in items {
            if item.active || !item.children.is_empty() {
                self.fill(templates, &mut item.children, depth + 1);
                continue;
            }
            let Some(slot) = item.node.and_then(|n| self.by_node.get(n)) else {
                continue;
            };
            let from = rendered_from(item, depth);
            let shared = slot.get_or_init(|| {
                use std::sync::atomic::Ordering::Relaxed;
                if self.unavailable.load(Relaxed) {
                    return None;
                }
                let Ok(html) = templates.nav_item(item, depth) else {
                    self.unavailable.store(true, Relaxed);
                    return None;
                };
                let mut all = self.html.write().unwrap_or_else(|e| e.into_inner());
                let full = all
                    .last()
                    .is_none_or(|last| last.len() + html.len() > last.capacity());
                if full {
                    all.push(String::with_capacity(HTML_CHUNK.max(html.len())));
                }
                let chunk = all.len() - 1;
                let buffer = &mut all[chunk];
                let start = buffer.len();
                buffer.push_str(&html);
                Some(Shared {
                    from,
                    html: (chunk, start, buffer.len()),
                })
            });
            // The same entry as rendered (a node shown another way is left to the page).
            if let Some(Shared {
                html: (chunk, start, end),
                ..
            }) = shared.filter(|s| s.from == from)
            {
                let all = self.html.read().unwrap_or_else(|e| e.into_inner());
                item.html = all
                    .get(chunk)
                    .and_then(|b| b.get(start..end))
                    .map(str::to_string);
            }
        }
    }
}

/// A hash of what an entry's HTML is made from: its fields and its depth.
fn rendered_from(item: &NavItem, depth: usize) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
    (&item.title, &item.href, &item.page).hash(&mut hasher);
    (
        item.active,
        item.expanded,
        item.has_children,
        item.children.len(),
    )
        .hash(&mut hasher);
    depth.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_by_its_bytes_and_calls_the_inserter() {
        let (path, bytes) = file("<ul><li>a</li></ul>");
        let (other, _) = file("<ul><li>b</li></ul>");
        assert_ne!(path, other);
        assert!(path.starts_with("assets/nav.") && path.ends_with(".js"));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("__syllabusNav(\"<ul><li>a</li></ul>\");\n"));
        assert!(text.contains("syllabus:nav-ready"));
    }

    #[test]
    fn the_contents_page_moves_aside_for_a_page_of_that_name() {
        assert_eq!(
            contents_url("docs/", |_| false).as_deref(),
            Some("docs/contents/")
        );
        let taken = |u: &str| u == "contents/";
        assert_eq!(contents_url("", taken).as_deref(), Some("course-contents/"));
        assert_eq!(contents_url("", |_| true), None);
    }

    /// A lesson entry of node `node`.
    fn entry(node: NodeId, title: &str, active: bool) -> NavItem {
        NavItem {
            title: title.into(),
            href: Some(format!("{title}/")),
            page: Some(format!("{title}/")),
            active,
            expanded: false,
            has_children: false,
            children: Vec::new(),
            node: Some(node),
            html: None,
        }
    }

    /// A sidebar: a chapter (node 0) open on `current` of its lessons (nodes 1 to 3), and a
    /// closed chapter (node 4).
    fn sidebar(current: NodeId) -> Vec<NavItem> {
        let lessons = ["one", "two", "three"].iter().enumerate();
        let mut open = entry(0, "chapter", false);
        open.expanded = true;
        open.has_children = true;
        open.children = lessons
            .map(|(i, t)| entry(i + 1, t, i + 1 == current))
            .collect();
        let mut closed = entry(4, "closed", false);
        closed.has_children = true;
        vec![open, closed]
    }

    #[test]
    fn entries_rendered_once_make_the_same_sidebar_and_only_plain_ones_are_shared() {
        let templates = Templates::load(&Default::default()).unwrap();
        let shared = SharedEntries::new(5);
        for current in 1..=3 {
            let mut items = sidebar(current);
            shared.fill(&templates, &mut items, 0);
            let with = templates.nav_list(&items).unwrap();
            assert_eq!(with, templates.nav_list(&sidebar(current)).unwrap());
            assert!(
                with.contains(&format!(
                    "<a class=\"nav-link\" href=\"{}/\" aria-current=\"page\"",
                    ["one", "two", "three"][current - 1]
                )),
                "{with}"
            );
            // The open chapter and the current lesson are the page's own; the rest is shared.
            assert!(items[0].html.is_none() && items[1].html.is_some());
            let lessons = &items[0].children;
            assert!(lessons.iter().all(|l| l.html.is_none() == l.active));
        }
        // The same node shown another way (another title, depth) is not given the other's HTML.
        let mut renamed = vec![entry(4, "renamed", false)];
        shared.fill(&templates, &mut renamed, 0);
        assert!(renamed[0].html.is_none());
        let mut deeper = vec![entry(2, "two", false)];
        shared.fill(&templates, &mut deeper, 0);
        assert!(deeper[0].html.is_none());
    }

    #[test]
    fn a_macros_override_without_nav_item_leaves_entries_to_the_page() {
        let old = r#"{% macro nav_tree(items, depth=0) %}<ul>{% for item in items %}<li>{{ item.title }}</li>{% endfor %}</ul>{% endmacro nav_tree %}"#;
        let overrides = [("macros.html".to_string(), old.to_string())].into();
        let templates = Templates::load(&overrides).unwrap();
        let shared = SharedEntries::new(5);
        let mut items = sidebar(1);
        shared.fill(&templates, &mut items, 0);
        assert!(items[1].html.is_none());
        // Tried once, not once an entry.
        assert!(shared
            .unavailable
            .load(std::sync::atomic::Ordering::Relaxed));
        let tried = shared.by_node.iter().filter(|s| s.get().is_some()).count();
        assert_eq!(
            tried, 3,
            "every plain entry's slot is settled as not shared"
        );
        assert_eq!(
            templates.nav_list(&items).unwrap().trim(),
            "<ul><li>chapter</li><li>closed</li></ul>"
        );
    }
}
