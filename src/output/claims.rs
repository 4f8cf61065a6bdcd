//! Which part of the build writes each output path. Two writers of one path, or a file where
//! another writer needs a folder, would lose one of them (or fail the write): an error naming
//! both, found before anything is written, in `check` too. A project's `static/` file replacing
//! a generated or built-in one of the same path is the documented override, not a collision.

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
pub struct Generated<'a> {
    /// Output path and what it is ("the not-found page").
    pub files: Vec<(String, &'a str)>,
}

/// Reports every collision between pages, content assets, static files (`static_files`: the
/// built-in ones and the project's) and generated files.
pub fn check(
    book: &Book,
    sources: &SourceSet,
    static_files: &BTreeMap<String, Vec<u8>>,
    generated: &Generated<'_>,
) -> Vec<Diagnostic> {
    let mut claims = Vec::new();
    for page in &book.pages {
        let line = ["slug", "id"]
            .iter()
            .find_map(|k| page.front.key_lines.get(*k).copied())
            .unwrap_or(0);
        claims.push(Claim {
            path: crate::build::output_path(&page.url),
            kind: Kind::Page,
            what: format!("the page `{}`", page.display_path),
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

fn collisions(mut claims: Vec<Claim<'_>>) -> Vec<Diagnostic> {
    claims.sort_by(|a, b| (&a.path, a.kind).cmp(&(&b.path, b.kind)));
    let mut diagnostics = Vec::new();
    for group in claims.chunk_by(|a, b| a.path == b.path) {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if collide(a, b) {
                    let message = format!(
                        "output path collision: {} and {} are both written to `{}`",
                        a.what, b.what, a.path
                    );
                    diagnostics.push(report(a, b, message));
                }
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
            diagnostics.push(report(deep, file, message));
        }
    }
    diagnostics
}

/// Two writers of one path collide unless both are pages (reported as one URL for two files),
/// a static file overrides a generated one, or both copy the same bytes.
fn collide(a: &Claim<'_>, b: &Claim<'_>) -> bool {
    let kinds = [a.kind.min(b.kind), a.kind.max(b.kind)];
    if kinds == [Kind::Page, Kind::Page] || kinds == [Kind::Static, Kind::Generated] {
        return false;
    }
    !matches!((a.bytes, b.bytes), (Some(x), Some(y)) if x == y)
}

/// The diagnostic at the writer an author can change (a page before a file).
fn report(a: &Claim<'_>, b: &Claim<'_>, message: String) -> Diagnostic {
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
        let mut sources = SourceSet::from_memory(Config::default(), files);
        sources.static_files = statics
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect();
        let book = crate::content::load(&sources, &sources.config);
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
        let d = check_files(
            &[("a.md", "# A"), ("img/x.svg", "<svg/>")],
            &[("img/x.svg", "other")],
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0]
            .message
            .contains("the file `content/img/x.svg` and `static/img/x.svg`"));
    }
}
