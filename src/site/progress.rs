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
//! A course the course map splits by part ([`course::by_part`], issue 15: nothing in a page
//! grows with the course) gets a summary in that file instead, and one file per part,
//! `assets/progress-data/N.HASH.js` (N from 1, in the course map's order):
//! - the summary's `c` holds the home and the categories at the top only, its `l` the
//!   lessons in no part (normally none), and `p` each part as `[category, lessons, minutes,
//!   file, prefix]`: its category's index in `c`, its lesson count and minutes, its file
//!   (relative to the site's base), and 1 when every lesson of the part has the part's URL
//!   as a prefix (so that a stored mark can be placed in its part by its URL), else 0;
//! - a part's file pushes `{"n": index in p, "c": [...], "l": [...]}` onto
//!   `window.__syllabusParts`: the part's categories below it and its lessons, as above but
//!   with -1 standing for the part's own category.
//!
//! A page loads the summary and its own part's file; the script loads another part's file
//! only when it needs its lessons (an import, for one).
//!
//! URLs are percent-encoded as the pages' links are, and relative to the site's base. It is a
//! script and not JSON so that a site opened from `file://` reads it too, as the search index.

use crate::content::{paths::encode_path, Book, NodeId};
use crate::site::course::{self, Chapter};
use std::collections::HashMap;

/// The site path of the data file (the summary, on a course split by part).
pub(crate) const FILE: &str = "assets/progress-data.js";

/// The reading-progress data of a build: the file at [`FILE`] and, on a course split by
/// part, each part's file.
pub(crate) struct Data {
    pub summary: String,
    pub parts: Vec<PartFile>,
}

/// One part's data file.
pub(crate) struct PartFile {
    /// The part's node (its category, or the home for the lessons at the top).
    pub node: NodeId,
    /// The site path, named by a hash of the bytes: `assets/progress-data/N.HASH.js`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The node whose part `node` is in, as [`course::parts`] groups chapters: the category at
/// the top of the book above it (a lesson counts by its chapter; the home is its own).
pub(crate) fn part_node(book: &Book, node: NodeId) -> NodeId {
    let node = match book.nodes[node].parent {
        Some(parent) if !book.nodes[node].is_category => parent,
        _ => node,
    };
    book.ancestors(node).get(1).copied().unwrap_or(node)
}

/// The data files: a function of the book's tree, URLs and durations only.
pub(crate) fn data(book: &Book, chapters: &[Chapter]) -> Data {
    if !course::by_part(book, chapters) {
        return Data {
            summary: whole(book),
            parts: Vec::new(),
        };
    }
    split(book, chapters)
}

/// Categories in `list` sorted shallower first (a stable sort keeps the tree's order within
/// a depth), so that a category's parent always comes before it and the browser resolves
/// URLs in one pass.
fn by_depth(book: &Book, mut list: Vec<NodeId>) -> Vec<NodeId> {
    list.sort_by_cached_key(|&n| book.ancestors(n).len());
    list
}

/// The URL of `node` relative to `base` when it starts with it, else `/` and the whole URL.
fn relative(book: &Book, node: NodeId, base: Option<NodeId>) -> String {
    let own = encode_path(&book.page_of(node).url);
    match base.map(|b| encode_path(&book.page_of(b).url)) {
        Some(base) if own.starts_with(&base) => own[base.len()..].to_string(),
        _ => format!("/{own}"),
    }
}

fn script(json: &serde_json::Value) -> String {
    format!(
        "/* Syllabus: the course's lessons for reading progress (see assets/progress.js). */\nwindow.__syllabusCourse={json};\n"
    )
}

/// The whole course in one file.
fn whole(book: &Book) -> String {
    let categories = by_depth(
        book,
        (0..book.nodes.len())
            .filter(|&n| book.nodes[n].is_category)
            .collect(),
    );
    let (c, l) = entries(book, &categories, lessons(book), None);
    script(&serde_json::json!({ "v": 1, "c": c, "l": l }))
}

/// A data file's `c` and `l`: each of `categories` (a parent always before its children) as
/// `[url, parent]` and each lesson as `[url, minutes, category]`, where a parent or category
/// is an index in `categories`, or -1 when the node's parent is not among them; a URL is
/// relative to its parent's, or to `outer`'s for -1.
fn entries(
    book: &Book,
    categories: &[NodeId],
    lessons: impl Iterator<Item = (NodeId, u32)>,
    outer: Option<NodeId>,
) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
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
    let at = |i: i64| usize::try_from(i).map_or(outer, |i| Some(categories[i]));
    let c = categories
        .iter()
        .map(|&n| {
            let up = parent(n);
            serde_json::json!([relative(book, n, at(up)), up])
        })
        .collect();
    let l = lessons
        .map(|(n, minutes)| {
            let up = parent(n);
            serde_json::json!([relative(book, n, at(up)), minutes, up])
        })
        .collect();
    (c, l)
}

/// A summary and one file per part (issue 15).
fn split(book: &Book, chapters: &[Chapter]) -> Data {
    let parts = course::parts(book, chapters);
    let part_of: HashMap<NodeId, usize> = parts
        .iter()
        .enumerate()
        .map(|(i, (node, _))| (*node, i))
        .collect();
    // The summary's categories: the home and the top level.
    let root = book.root();
    let top: Vec<NodeId> = std::iter::once(root)
        .chain(
            book.nodes[root]
                .children
                .iter()
                .copied()
                .filter(|&n| book.nodes[n].is_category),
        )
        .collect();
    let top_index: HashMap<NodeId, i64> = top
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, i as i64))
        .collect();
    // Each part's categories below it and its lessons.
    let mut part_cats: Vec<Vec<NodeId>> = vec![Vec::new(); parts.len()];
    for n in (0..book.nodes.len()).filter(|&n| book.nodes[n].is_category && n != root) {
        let p = part_node(book, n);
        if p != n {
            if let Some(&i) = part_of.get(&p) {
                part_cats[i].push(n);
            }
        }
    }
    let mut part_lessons: Vec<Vec<(NodeId, u32)>> = vec![Vec::new(); parts.len()];
    let mut loose = Vec::new();
    for (n, minutes) in lessons(book) {
        match part_of.get(&part_node(book, n)) {
            Some(&i) => part_lessons[i].push((n, minutes)),
            None => loose.push((n, minutes)),
        }
    }
    let mut files = Vec::new();
    let mut p = Vec::new();
    for (i, (node, _)) in parts.iter().enumerate() {
        let cats = by_depth(book, std::mem::take(&mut part_cats[i]));
        let (pc, pl) = entries(book, &cats, part_lessons[i].iter().copied(), Some(*node));
        let json = serde_json::json!({ "n": i, "c": pc, "l": pl });
        let text = format!(
            "/* Syllabus: one part's lessons for reading progress (see assets/progress.js). */\n(window.__syllabusParts=window.__syllabusParts||[]).push({json});\n"
        );
        let path = crate::site::assets::hashed_path(
            &format!("assets/progress-data/{}.js", i + 1),
            text.as_bytes(),
        );
        let prefix = encode_path(&book.page_of(*node).url);
        let prefixed = !prefix.is_empty()
            && part_lessons[i]
                .iter()
                .all(|&(n, _)| encode_path(&book.page_of(n).url).starts_with(&prefix));
        let minutes: u64 = part_lessons[i].iter().map(|&(_, m)| u64::from(m)).sum();
        let cat = top_index.get(node).copied().unwrap_or(0);
        p.push(serde_json::json!([
            cat,
            part_lessons[i].len(),
            minutes,
            path,
            u8::from(prefixed)
        ]));
        files.push(PartFile {
            node: *node,
            path,
            bytes: text.into_bytes(),
        });
    }
    let (c, l) = entries(book, &top, loose.into_iter(), None);
    Data {
        summary: script(&serde_json::json!({ "v": 1, "c": c, "l": l, "p": p })),
        parts: files,
    }
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
        let text = super::data(&book, &crate::site::course::chapters(&book)).summary;
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

    #[test]
    fn a_long_course_gets_a_summary_and_a_file_per_part() {
        // Two parts of 251 lessons (more than 500 in all); one lesson of part b lives
        // elsewhere, so part b's lessons are not all under its URL.
        let mut files: Vec<(String, String)> = vec![("README.md".into(), "# Course\n".into())];
        for part in ["a", "b"] {
            files.push((format!("{part}/README.md"), format!("# Part {part}\n")));
            files.push((format!("{part}/ch/README.md"), "# Chapter\n".into()));
            for i in 0..251 {
                let front = if part == "b" && i == 0 {
                    "---\nslug: /elsewhere/x\nduration_minutes: 7\n---\n"
                } else {
                    "---\nduration_minutes: 2\n---\n"
                };
                files.push((format!("{part}/ch/l{i:03}.md"), format!("{front}# L\n")));
            }
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let book = book(&refs);
        let data = super::data(&book, &crate::site::course::chapters(&book));
        assert_eq!(data.parts.len(), 2);
        let json = data
            .summary
            .split_once("window.__syllabusCourse=")
            .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
            .expect("the summary is one assignment");
        let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(
            value["c"],
            serde_json::json!([["/", -1], ["a/", 0], ["b/", 0]])
        );
        assert_eq!(value["l"], serde_json::json!([]));
        let p = &value["p"];
        assert_eq!(
            p[0].as_array().unwrap()[..3],
            serde_json::json!([1, 251, 502]).as_array().unwrap()[..]
        );
        assert_eq!(
            p[1].as_array().unwrap()[..3],
            serde_json::json!([2, 251, 507]).as_array().unwrap()[..]
        );
        assert_eq!((p[0][4].clone(), p[1][4].clone()), (1.into(), 0.into()));
        assert_eq!(p[0][3], data.parts[0].path.as_str());
        assert!(data.parts[0].path.starts_with("assets/progress-data/1."));
        let b = String::from_utf8(data.parts[1].bytes.clone()).unwrap();
        assert!(b.contains(r#""n":1"#) && b.contains(r#"["ch/",-1]"#), "{b}");
        assert!(b.contains(r#"["/elsewhere/x/",7,0]"#) && b.contains(r#"["l001/",2,0]"#));
    }
}
