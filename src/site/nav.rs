//! A sidebar whose size does not grow with the course (issue 20): beyond
//! [`INLINE_TOP_LEVEL`] top-level entries, a page carries only its own branch inline, and
//! the whole top level lives in one shared, content-hashed script (`assets/nav.HASH.js`)
//! that the page loads and that inserts it; a contents page lists every page for readers
//! without JavaScript.

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

/// What a page's sidebar template needs beyond its items: the shared top level's script
/// and the contents page, both only for a long top level.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub(crate) struct SidebarView {
    /// The href of the navigation file to load.
    pub script: Option<String>,
    /// The href of the contents page.
    pub contents: Option<String>,
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

/// The site URL of the contents page: `contents/` under the route base, unless something
/// else is written there.
pub(crate) fn contents_url(root_url: &str, taken: impl Fn(&str) -> bool) -> Option<String> {
    CONTENTS_URLS
        .iter()
        .map(|u| format!("{root_url}{u}"))
        .find(|u| !taken(u))
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
}
