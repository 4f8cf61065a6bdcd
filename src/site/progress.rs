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
    let l: Vec<serde_json::Value> = lessons(book)
        .map(|(n, minutes)| {
            let up = parent(n);
            serde_json::json!([relative(n, up), minutes, up])
        })
        .collect();
    let json = serde_json::json!({ "v": 1, "c": c, "l": l });
    format!(
        "/* Syllabus: the course's lessons for reading progress (see assets/progress.js). */\nwindow.__syllabusCourse={json};\n"
    )
}

/// Every lesson progress counts, with its minutes: a written page that is not a category,
/// nor `unlisted` (in no sidebar or index, so in no total either); its minutes are its
/// `duration_minutes` (a range's upper bound), else the reading time the page shows.
fn lessons(book: &Book) -> impl Iterator<Item = (NodeId, u32)> + '_ {
    (0..book.nodes.len())
        .filter(|&n| {
            let page = book.page_of(n);
            !book.nodes[n].is_category && page.file.is_some() && !page.front.unlisted
        })
        .map(|n| {
            let page = book.page_of(n);
            let minutes = page
                .front
                .duration_minutes
                .map_or(page.reading_minutes, |m| m.high);
            (n, minutes)
        })
}

/// Issue 18: what the home page's progress card shows before the script has read the
/// reader's progress (none done): the course's lessons and their minutes, as the script
/// totals them from the data file. `None` for a course without lessons (no card).
pub(crate) fn course_totals(book: &Book) -> Option<Totals> {
    let (mut lessons_count, mut minutes) = (0, 0u32);
    for (_, m) in lessons(book) {
        lessons_count += 1;
        minutes = minutes.saturating_add(m);
    }
    (lessons_count > 0).then_some(Totals {
        lessons: lessons_count,
        hours: minutes / 60,
        minutes: minutes % 60,
    })
}

/// A course's lessons and the time they take, split as the card says it (`5 h 20 min`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub(crate) struct Totals {
    pub lessons: usize,
    pub hours: u32,
    pub minutes: u32,
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
        // The home page's card before the script runs: the same lessons, 56 minutes.
        let totals = super::course_totals(&book).expect("lessons");
        assert_eq!((totals.lessons, totals.hours, totals.minutes), (3, 0, 56));
    }
}
