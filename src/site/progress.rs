//! The course's shape for reading progress: `assets/progress-data.js`, one small script per
//! site that `assets/progress.js` reads in the browser to tick done lessons and total each
//! chapter and part, whatever part of the sidebar a page carries.
//!
//! The file sets `window.__syllabusCourse = {"v": 1, "c": [...], "l": [...]}`:
//! - `c`: every category (the home, parts, chapters), each `[url, parent]`: `parent` is the
//!   index in `c` of the enclosing category (always before it) or -1; `url` is relative to the parent's URL when
//!   it starts with it, else the whole site-relative URL with a leading `/`.
//! - `l`: every lesson (a page that is not a category, nor `unlisted`), each
//!   `[url, minutes, category]`:
//!   `url` relative to its category's URL by the same rule, `minutes` its `duration_minutes`
//!   (a range's upper bound; its reading time when it has none), `category` its parent's index
//!   in `c` or -1.
//!
//! URLs are percent-encoded as the pages' links are, and relative to the site's base. It is a
//! script and not JSON so that a site opened from `file://` reads it too, as the search index.

use crate::content::{paths::encode_path, Book, NodeId};
use std::collections::HashMap;

/// The site path of the data file.
pub(crate) const FILE: &str = "assets/progress-data.js";

/// The data file's text: a function of the book's tree, URLs and durations only.
pub(crate) fn data(book: &Book) -> String {
    let url = |node: NodeId| encode_path(&book.page_of(node).url);
    let written = |node: NodeId| book.page_of(node).file.is_some();
    // Shallower first (a stable sort keeps the tree's order within a depth), so that a
    // category's parent always comes before it and the browser resolves URLs in one pass.
    let mut categories: Vec<NodeId> = (0..book.nodes.len())
        .filter(|&n| book.nodes[n].is_category)
        .collect();
    categories.sort_by_cached_key(|&n| book.ancestors(n).len());
    let index: HashMap<NodeId, i64> = categories
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, i as i64))
        .collect();
    let parent = |node: NodeId| {
        book.nodes[node]
            .parent
            .and_then(|p| index.get(&p).copied())
            .unwrap_or(-1)
    };
    let relative = |node: NodeId, parent: i64| {
        let own = url(node);
        let base = usize::try_from(parent).map(|p| url(categories[p]));
        match base {
            Ok(base) if own.starts_with(&base) => own[base.len()..].to_string(),
            _ => format!("/{own}"),
        }
    };
    let c: Vec<serde_json::Value> = categories
        .iter()
        .map(|&n| {
            let up = parent(n);
            serde_json::json!([relative(n, up), up])
        })
        .collect();
    let l: Vec<serde_json::Value> = (0..book.nodes.len())
        // An `unlisted` doc is in no sidebar or index, so it counts in no total either.
        .filter(|&n| !book.nodes[n].is_category && written(n) && !book.page_of(n).front.unlisted)
        .map(|n| {
            let up = parent(n);
            let page = book.page_of(n);
            // Without `duration_minutes`, the reading time the page shows.
            let minutes = page
                .front
                .duration_minutes
                .map_or(page.reading_minutes, |m| m.high);
            serde_json::json!([relative(n, up), minutes, up])
        })
        .collect();
    let json = serde_json::json!({ "v": 1, "c": c, "l": l });
    format!(
        "/* Syllabus: the course's lessons for reading progress (see assets/progress.js). */\nwindow.__syllabusCourse={json};\n"
    )
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::source::SourceSet;

    fn book(files: &[(&str, &str)]) -> crate::content::Book {
        let sources = SourceSet::from_memory(Config::default(), files);
        crate::content::load_with(&sources, &sources.config, |_, file, display| {
            crate::content::parse_doc(file, display)
        })
    }

    #[test]
    fn lists_categories_and_lessons_with_minutes_and_membership() {
        let book = book(&[
            ("README.md", "# Course\n"),
            ("01-part/README.md", "# Part\n"),
            ("01-part/01-chapter/README.md", "# Chapter\n"),
            (
                "01-part/01-chapter/01-a.md",
                "---\nduration_minutes: \"40-45\"\n---\n# A\n",
            ),
            ("01-part/01-chapter/02-b.md", "# B\n"),
            (
                "01-part/01-chapter/03-hidden.md",
                "---\nunlisted: true\n---\n# H\n",
            ),
            (
                "01-part/02-c.md",
                "---\nduration_minutes: 10\nslug: /elsewhere/c\n---\n# C\n",
            ),
        ]);
        let text = super::data(&book);
        let json = text
            .split_once("window.__syllabusCourse=")
            .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
            .expect("the data is one assignment");
        let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(value["v"], 1);
        assert_eq!(
            value["c"],
            serde_json::json!([["/", -1], ["part/", 0], ["chapter/", 1]])
        );
        assert_eq!(
            value["l"],
            // `b` has no `duration_minutes`: its reading time, a minute.
            serde_json::json!([["a/", 45, 2], ["b/", 1, 2], ["/elsewhere/c/", 10, 1]])
        );
    }
}
