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
//! grows with the course) gets a summary in that file instead, one file per part,
//! `assets/progress-data/N.HASH.js` (N from 1, in the course map's order), and the parts
//! listed in groups, `assets/progress-data/group-G.HASH.js`, one group per chunk of the
//! sidebar's top level ([`nav::NAV_CHUNK`] entries: the group of chunk n is what the
//! sidebar shows when it shows chunk n), G from 1, every group file named by a hash of them
//! all:
//! - the summary's `c` holds the home, its `l` the lessons in no part (none: every lesson's
//!   chapter is in a part), `t` the parts' lessons and minutes in all, and `g`
//!   `{"n": groups, "file": "assets/progress-data/group-{n}.HASH.js"}`;
//! - a group's file pushes `{"n": index, "p": [...]}` onto `window.__syllabusGroups`, each
//!   of its parts as `[part, url, lessons, minutes, file, prefix]`: the part's index (its
//!   file's N − 1), its category's URL (relative to the home's by the rule above), its
//!   lesson count and minutes, its file (relative to the site's base), and 1 when every
//!   lesson of the part has the part's URL as a prefix (so that a stored mark can be placed
//!   in its part by its URL), else 0;
//! - a part's file pushes `{"n": index, "c": [...], "l": [...]}` onto
//!   `window.__syllabusParts`: the part's categories below it and its lessons, as above but
//!   with -1 standing for the part's own category.
//!
//! A page loads the summary, its own group and its own part; the script loads another
//! group when the sidebar shows another chunk, and another part's file only when it needs
//! its lessons (an import, for one). Every file a page loads is bounded: a group lists at
//! most a chunk's parts, and the summary's size does not depend on the number of parts.
//!
//! URLs are percent-encoded as the pages' links are, and relative to the site's base. It is a
//! script and not JSON so that a site opened from `file://` reads it too, as the search index.

use crate::content::{paths::encode_path, Book, NodeId};
use crate::site::course::{self, Chapter};
use crate::site::nav;
use std::collections::HashMap;

/// The site path of the data file (the summary, on a course split by part).
pub(crate) const FILE: &str = "assets/progress-data.js";

/// The reading-progress data of a build: the file at [`FILE`] and, on a course split by
/// part, the groups' and parts' files and where each page finds its own.
pub(crate) struct Data {
    pub summary: String,
    /// The groups' and parts' files: site paths (named by hashes) and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    pub links: Links,
}

/// Where a page of a course split by part finds its group's and part's data files.
#[derive(Debug, Default)]
pub(crate) struct Links {
    /// Each part's node → the href of its file.
    parts: HashMap<NodeId, String>,
    /// Each group's href, in order.
    groups: Vec<String>,
    /// A tree's top → its first group; an entry of its top level → the group of its chunk.
    group_of: HashMap<NodeId, usize>,
}

impl Links {
    /// The href of the file of `node`'s part.
    pub(crate) fn part(&self, book: &Book, node: NodeId) -> Option<String> {
        if self.parts.is_empty() {
            return None;
        }
        self.parts.get(&part_node(book, node)).cloned()
    }

    /// The href of the file of `node`'s group: that of the chunk of the sidebar's top level
    /// that holds it (the first for the top itself), as the sidebar picks its chunk.
    pub(crate) fn group(&self, book: &Book, node: NodeId) -> Option<String> {
        if self.groups.is_empty() {
            return None;
        }
        let mut path = book.ancestors(node);
        path.push(node);
        // The entry of the top level (depth 1) before the top (depth 0).
        let group = path
            .iter()
            .take(2)
            .rev()
            .find_map(|n| self.group_of.get(n))?;
        self.groups.get(*group).cloned()
    }
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

/// The data files: a function of the book's tree, URLs and durations only; `base` is the
/// site's base path, which the pages' hrefs start with.
pub(crate) fn data(book: &Book, chapters: &[Chapter], base: &str) -> Data {
    if !course::by_part(book, chapters) {
        return Data {
            summary: whole(book),
            files: Vec::new(),
            links: Links::default(),
        };
    }
    split(book, chapters, base)
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

/// A summary, a file per part, and the parts listed by group (issue 15).
fn split(book: &Book, chapters: &[Chapter], base: &str) -> Data {
    let parts = course::parts(book, chapters);
    let part_of: HashMap<NodeId, usize> = parts
        .iter()
        .enumerate()
        .map(|(i, (node, _))| (*node, i))
        .collect();
    // Each part's categories below it and its lessons; the lessons in no part.
    let root = book.root();
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
    // The groups: for each tree with parts (the main one first), one per chunk of its
    // sidebar's top level, as the sidebar splits it (empty chunks too, so that the group of
    // chunk n of a tree is its first group + n).
    let mut trees: Vec<NodeId> = parts.iter().map(|(n, _)| book.top_of(*n)).collect();
    trees.sort_unstable();
    trees.dedup();
    let mut group_of = HashMap::new();
    let mut groups = 0;
    for &top in &trees {
        let entries = nav::top_entries(book, top);
        group_of.insert(top, groups);
        for (i, &entry) in entries.iter().enumerate() {
            group_of.insert(entry, groups + i / nav::NAV_CHUNK);
        }
        groups += entries.len().div_ceil(nav::NAV_CHUNK).max(1);
    }
    let mut files = Vec::new();
    let mut links = Links::default();
    let mut members: Vec<Vec<serde_json::Value>> = vec![Vec::new(); groups];
    let (mut all_lessons, mut all_minutes) = (0usize, 0u64);
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
        all_lessons += part_lessons[i].len();
        all_minutes += minutes;
        // A part is a top-level entry of its tree, or the top itself.
        let group = group_of
            .get(node)
            .or_else(|| group_of.get(&book.top_of(*node)))
            .copied()
            .unwrap_or(0);
        members[group].push(serde_json::json!([
            i,
            relative(book, *node, Some(root)),
            part_lessons[i].len(),
            minutes,
            path,
            u8::from(prefixed)
        ]));
        links.parts.insert(*node, format!("{base}{path}"));
        files.push((path, text.into_bytes()));
    }
    let texts: Vec<String> = members
        .into_iter()
        .enumerate()
        .map(|(g, p)| {
            let json = serde_json::json!({ "n": g, "p": p });
            format!(
                "/* Syllabus: a group of parts for reading progress (see assets/progress.js). */\n(window.__syllabusGroups=window.__syllabusGroups||[]).push({json});\n"
            )
        })
        .collect();
    // Every group named by a hash of them all, so that a page computes another's name.
    let pattern = crate::site::assets::hashed_path(
        "assets/progress-data/group-{n}.js",
        texts.concat().as_bytes(),
    );
    for (g, text) in texts.into_iter().enumerate() {
        let path = pattern.replace("{n}", &(g + 1).to_string());
        links.groups.push(format!("{base}{path}"));
        files.push((path, text.into_bytes()));
    }
    links.group_of = group_of;
    // The summary: the home, and any lesson in no part. A lesson's chapter is a chapter of
    // `course::parts`, so there is none; one would be listed by its whole URL and counted
    // in no total.
    let (c, l) = entries(book, &[root], loose.into_iter(), None);
    let summary = script(&serde_json::json!({
        "v": 1,
        "c": c,
        "l": l,
        "t": [all_lessons, all_minutes],
        "g": { "n": groups, "file": pattern },
    }));
    Data {
        summary,
        files,
        links,
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
        let text = super::data(&book, &crate::site::course::chapters(&book), "/").summary;
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

    /// The JSON a data file pushes or assigns.
    fn json_of(text: &str, marker: &str) -> serde_json::Value {
        let json = text
            .split_once(marker)
            .map(|(_, rest)| rest.trim_end())
            .and_then(|rest| rest.strip_suffix(';'))
            .map(|rest| rest.strip_suffix(')').unwrap_or(rest))
            .expect("one assignment or push");
        serde_json::from_str(json).expect("valid JSON")
    }

    fn book_of(files: &[(String, String)]) -> crate::content::Book {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        book(&refs)
    }

    #[test]
    fn a_long_course_gets_a_summary_a_group_and_a_file_per_part() {
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
        let book = book_of(&files);
        let data = super::data(&book, &crate::site::course::chapters(&book), "/base/");
        let paths: Vec<&str> = data.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths[0].starts_with("assets/progress-data/1."), "{paths:?}");
        assert!(
            paths[2].starts_with("assets/progress-data/group-1."),
            "{paths:?}"
        );
        let value = json_of(&data.summary, "window.__syllabusCourse=");
        assert_eq!(value["c"], serde_json::json!([["/", -1]]));
        assert_eq!(value["l"], serde_json::json!([]));
        assert_eq!(value["t"], serde_json::json!([502, 1009]));
        assert_eq!(value["g"]["n"], 1);
        let pattern = value["g"]["file"].as_str().unwrap();
        assert_eq!(pattern.replace("{n}", "1"), paths[2]);
        let group = json_of(
            &String::from_utf8(data.files[2].1.clone()).unwrap(),
            ".push(",
        );
        assert_eq!(group["n"], 0);
        assert_eq!(
            group["p"],
            serde_json::json!([
                [0, "a/", 251, 502, paths[0], 1],
                [1, "b/", 251, 507, paths[1], 0]
            ])
        );
        let b = String::from_utf8(data.files[1].1.clone()).unwrap();
        assert!(b.contains(r#""n":1"#) && b.contains(r#"["ch/",-1]"#), "{b}");
        assert!(b.contains(r#"["/elsewhere/x/",7,0]"#) && b.contains(r#"["l001/",2,0]"#));
        // Pages load their own group and part, the home its tree's first group.
        let node = |url: &str| {
            let page = book.pages.iter().position(|p| p.url == url).unwrap();
            (0..book.nodes.len())
                .find(|&n| book.nodes[n].page == page)
                .unwrap()
        };
        let href = |p: &str| Some(format!("/base/{p}"));
        assert_eq!(data.links.part(&book, node("b/ch/l005/")), href(paths[1]));
        assert_eq!(data.links.group(&book, node("b/ch/l005/")), href(paths[2]));
        assert_eq!(data.links.part(&book, node("")), None);
        assert_eq!(data.links.group(&book, node("")), href(paths[2]));
    }

    /// Issue 15: nothing a page loads grows with the number of parts. 230 parts (a top-level
    /// lesson among them) make three groups, one per chunk of the sidebar's top level, and
    /// the summary stays the same size as parts are added.
    #[test]
    fn parts_are_listed_by_the_sidebars_chunks_and_the_summary_does_not_grow() {
        let course = |parts: usize| {
            let mut files: Vec<(String, String)> = vec![("README.md".into(), "# Course\n".into())];
            // A lesson at the top, first in the sidebar: entries 1.. are the parts.
            files.push(("00-intro.md".into(), "# Intro\n".into()));
            for p in 1..=parts {
                files.push((format!("{p:03}-p{p}/README.md"), format!("# P{p}\n")));
                for l in 0..3 {
                    files.push((format!("{p:03}-p{p}/{l}.md"), "# L\n".into()));
                }
            }
            book_of(&files)
        };
        let summary_of = |parts: usize| {
            let book = course(parts);
            let data = super::data(&book, &crate::site::course::chapters(&book), "/");
            (book, data)
        };
        let (book, data) = summary_of(230);
        let groups: Vec<serde_json::Value> = data
            .files
            .iter()
            .filter(|(p, _)| p.contains("/group-"))
            .map(|(_, b)| json_of(&String::from_utf8(b.clone()).unwrap(), ".push("))
            .collect();
        // 231 entries: 100, 100 and 31 to a chunk.
        let counts: Vec<usize> = groups
            .iter()
            .map(|g| g["p"].as_array().unwrap().len())
            .collect();
        assert_eq!(counts, [100, 100, 31]);
        // The intro makes the home a part of its own (the first, in the first group), and
        // takes the first place in the sidebar: chunk 2 starts at part 100.
        let first = |g: usize, n: usize| groups[g]["p"][0].as_array().unwrap()[..n].to_vec();
        assert_eq!(
            first(0, 4),
            serde_json::json!([0, "", 1, 1]).as_array().unwrap()[..]
        );
        assert_eq!(
            first(1, 2),
            serde_json::json!([100, "p100/"]).as_array().unwrap()[..]
        );
        let value = json_of(&data.summary, "window.__syllabusCourse=");
        assert_eq!(value["l"], serde_json::json!([]));
        assert_eq!(value["t"], serde_json::json!([691, 691]));
        assert_eq!(value["g"]["n"], 3);
        let node = |url: &str| {
            let page = book.pages.iter().position(|p| p.url == url).unwrap();
            (0..book.nodes.len())
                .find(|&n| book.nodes[n].page == page)
                .unwrap()
        };
        let group = data.links.group(&book, node("p150/1/")).unwrap();
        assert!(
            group.starts_with("/assets/progress-data/group-2."),
            "{group}"
        );
        let (_, more) = summary_of(2_300);
        // Ten times the parts: three more digits (the totals', the number of groups').
        assert_eq!(
            more.summary.len(),
            data.summary.len() + 3,
            "{}",
            more.summary
        );
        let largest = |data: &super::Data| data.files.iter().map(|(_, b)| b.len()).max();
        assert!(largest(&more) <= largest(&data).map(|n| n + 1_000));
    }
}
