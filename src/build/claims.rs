//! Which part of the build writes each output path, checked before anything is written (in
//! `check` too). A page where a generated, built-in or static file is, or any file where another
//! writer needs a folder (`slug: /404.html`), is an error naming both. A content file where a
//! page is is left out with a warning (the page wins); a content file where a static or
//! generated file is replaces it, with a warning. A project's `static/` file replacing a
//! generated or built-in one is the documented override; two copies of the same bytes are one.

use crate::content::Book;
use crate::diagnostic::Diagnostic;
use crate::source::SourceSet;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Who writes an output path, in the order a collision is reported at (the page first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Page,
    Asset,
    Static,
    Generated,
}

#[derive(Debug)]
struct Claim<'a> {
    path: String,
    kind: Kind,
    /// The writer, as an author reads it: "the page `content/a.md`".
    what: String,
    /// Where a collision is reported: project-relative path and line (0: the whole file).
    at: (String, usize),
    /// The bytes of a copied file; two copies of the same bytes do not collide.
    bytes: Option<&'a [u8]>,
}

/// The files a build writes besides pages, static files and content assets.
pub(super) struct Generated<'a> {
    /// Output path and what it is ("the not-found page").
    pub(super) files: Vec<(String, &'a str)>,
}

/// What the check found.
#[derive(Debug, Default)]
pub(super) struct Collisions {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Output paths of content files not to copy, because a page is written there.
    pub(super) unpublished: BTreeSet<String>,
}

/// Reports every collision between pages, content assets, static files (`static_files`: the
/// built-in ones and the project's) and generated files.
pub(super) fn check(
    book: &Book,
    sources: &SourceSet,
    static_files: &BTreeMap<String, Vec<u8>>,
    generated: &Generated<'_>,
) -> Collisions {
    let mut claims = Vec::new();
    for page in &book.pages {
        let line = ["slug", "id"]
            .iter()
            .find_map(|k| page.front.key_lines.get(*k).copied())
            .unwrap_or(0);
        let what = match page.source {
            Some(_) => format!("the page `{}`", page.display_path),
            None => format!("the generated page of `{}`", page.display_path),
        };
        claims.push(Claim {
            path: super::output_path(&page.url),
            kind: Kind::Page,
            what,
            at: (page.display_path.clone(), line),
            bytes: None,
        });
    }
    for (source_path, asset) in &book.assets {
        let display = format!("{}/{source_path}", sources.content_dir);
        claims.push(Claim {
            path: asset.url.clone(),
            kind: Kind::Asset,
            what: format!("the file `{display}`"),
            at: (display, 0),
            bytes: sources
                .content
                .get(asset.source)
                .map(|f| f.bytes.as_slice()),
        });
    }
    for (path, bytes) in static_files {
        let (what, at) = if sources.static_files.contains_key(path) {
            let p = format!("static/{path}");
            (format!("`{p}`"), p)
        } else {
            (format!("the built-in `{path}`"), "static".to_string())
        };
        claims.push(Claim {
            path: path.clone(),
            kind: Kind::Static,
            what,
            at: (at, 0),
            bytes: Some(bytes),
        });
    }
    for (path, what) in &generated.files {
        claims.push(Claim {
            path: path.clone(),
            kind: Kind::Generated,
            what: what.to_string(),
            at: ("book.toml".into(), 0),
            bytes: None,
        });
    }
    collisions(claims)
}

fn collisions(mut claims: Vec<Claim<'_>>) -> Collisions {
    claims.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
    let mut found = Collisions::default();
    for group in claims.chunk_by(|a, b| a.path == b.path) {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                same_path(a, b, &mut found);
            }
        }
    }
    let files: HashMap<&str, &Claim<'_>> = claims.iter().map(|c| (c.path.as_str(), c)).collect();
    let mut reported = BTreeSet::new();
    for deep in &claims {
        let mut ends = deep.path.match_indices('/').map(|(i, _)| i);
        let Some(file) = ends.find_map(|end| files.get(&deep.path[..end])) else {
            continue;
        };
        if reported.insert(file.path.as_str()) {
            let message = format!(
                "output path collision: {} is written to `{}`, but `{}` is a file ({})",
                deep.what, deep.path, file.path, file.what
            );
            found.diagnostics.push(error(deep, file, message));
        }
    }
    found
}

/// Two writers of one path (`a` sorts first: pages, then content files, static, generated).
fn same_path(a: &Claim<'_>, b: &Claim<'_>, found: &mut Collisions) {
    let same_bytes = matches!((a.bytes, b.bytes), (Some(x), Some(y)) if x == y);
    let path = &a.path;
    match (a.kind, b.kind) {
        // Two files for one URL: reported where URLs are made.
        (Kind::Page, Kind::Page) => {}
        // The documented override.
        (Kind::Static, Kind::Generated) => {}
        _ if same_bytes => {}
        (Kind::Page, Kind::Asset) => {
            found.unpublished.insert(path.clone());
            found.diagnostics.push(
                Diagnostic::warning(
                    &b.at.0,
                    0,
                    0,
                    format!(
                        "{} is not published: {} is written to `{path}`",
                        b.what, a.what
                    ),
                )
                .with_help("rename or move the file, or remove it if it is a leftover"),
            );
        }
        (Kind::Page, _) => {
            let message = format!(
                "output path collision: {} and {} are both written to `{path}`",
                a.what, b.what
            );
            found.diagnostics.push(error(a, b, message));
        }
        // A content file is copied after static and generated files, and content files in
        // path order: the later one is the one published.
        (kind_a, kind_b) => {
            let (winner, loser) = if kind_a == kind_b { (b, a) } else { (a, b) };
            found.diagnostics.push(
                Diagnostic::warning(
                    &winner.at.0,
                    0,
                    0,
                    format!("{} replaces {} at `{path}`", winner.what, loser.what),
                )
                .with_help("rename or move one of them, unless the replacement is what you want"),
            );
        }
    }
}

/// The error at the writer an author can change (a page before a file).
fn error(a: &Claim<'_>, b: &Claim<'_>, message: String) -> Diagnostic {
    let first = if a.kind <= b.kind { a } else { b };
    let help = if first.kind == Kind::Page {
        "give the page another `slug:` (or `id:`), or rename its file"
    } else {
        "rename or move one of them"
    };
    Diagnostic::error(
        &first.at.0,
        first.at.1,
        usize::from(first.at.1 > 0),
        message,
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn check_files(files: &[(&str, &str)], statics: &[(&str, &str)]) -> Vec<Diagnostic> {
        collisions_of(files, statics).diagnostics
    }

    fn collisions_of(files: &[(&str, &str)], statics: &[(&str, &str)]) -> Collisions {
        let mut sources = SourceSet::from_memory(Config::default(), files);
        sources.static_files = statics
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect();
        let book = crate::content::load_with(&sources, &sources.config, |_, file, display| {
            crate::content::parse_doc(file, display)
        });
        let mut all = crate::site::default_static();
        all.extend(sources.static_files.clone());
        let generated = Generated {
            files: vec![
                ("404.html".into(), "the not-found page"),
                ("robots.txt".into(), "the generated robots file"),
            ],
        };
        check(&book, &sources, &all, &generated)
    }

    #[test]
    fn a_page_on_a_generated_file_names_both_at_its_slug() {
        let d = check_files(&[("a.md", "---\nslug: /404.html\n---\n# A")], &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].path.as_str(), d[0].line), ("content/a.md", 2));
        assert!(
            d[0].message.contains("the page `content/a.md` is written to `404.html/index.html`, but `404.html` is a file (the not-found page)"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn a_page_on_a_static_file_and_a_page_under_a_file() {
        let d = check_files(
            &[
                ("x.md", "---\nslug: /notes/\n---\n# X"),
                ("y.md", "---\nslug: /assets/syllabus.css\n---\n# Y"),
            ],
            &[("notes/index.html", "<p>mine</p>")],
        );
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains(
            "the page `content/x.md` and `static/notes/index.html` are both written to `notes/index.html`"
        )));
        assert!(messages.iter().any(|m| m
            .contains("but `assets/syllabus.css` is a file (the built-in `assets/syllabus.css`)")));
    }

    #[test]
    fn overrides_and_identical_copies_are_not_collisions() {
        let d = check_files(
            &[("a.md", "# A"), ("img/x.svg", "<svg/>")],
            &[("robots.txt", "mine"), ("img/x.svg", "<svg/>")],
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn a_content_file_replaces_static_and_generated_ones_with_a_warning() {
        let d = check_files(
            &[
                ("a.md", "# A"),
                ("img/x.svg", "<svg/>"),
                ("robots.txt", "mine"),
            ],
            &[("img/x.svg", "other")],
        );
        let found: Vec<(&str, &str)> = d
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("content/img/x.svg", "the file `content/img/x.svg` replaces `static/img/x.svg` at `img/x.svg`"),
                ("content/robots.txt", "the file `content/robots.txt` replaces the generated robots file at `robots.txt`"),
            ]
        );
        assert!(d.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn a_content_file_where_a_page_is_is_left_out_with_a_warning() {
        let c = collisions_of(&[("a.md", "# A"), ("index.html", "<p>saved page</p>")], &[]);
        assert_eq!(c.unpublished, BTreeSet::from(["index.html".to_string()]));
        assert_eq!(c.diagnostics.len(), 1);
        let d = &c.diagnostics[0];
        assert_eq!(d.path, "content/index.html");
        assert!(!d.is_error());
        assert_eq!(
            d.message,
            "the file `content/index.html` is not published: the generated page of `content/` is written to `index.html`"
        );
    }
}
