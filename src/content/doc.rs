//! One Markdown file parsed on its own: decoded, front matter split off and read, title found.
//! Pure, so that the build may keep the result between runs.

use super::decode;
use super::frontmatter::{self, FrontMatter};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// A Markdown file read and parsed, before it has a place in the tree.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LoadedDoc {
    /// Index into `SourceSet::content`.
    pub(super) source: usize,
    /// Path relative to the content directory.
    pub(super) path: String,
    pub(super) front: FrontMatter,
    pub(super) title: Option<String>,
    pub(super) body_start: usize,
    pub(super) body_line: usize,
    /// Minutes to read the body (see `reading::minutes`).
    pub(super) reading_minutes: u32,
}

impl LoadedDoc {
    /// The doc as file `source` of the sources (a parse kept from an earlier build may come
    /// from a file that had another index).
    pub(super) fn with_source(self, source: usize) -> LoadedDoc {
        LoadedDoc { source, ..self }
    }
}

/// What parsing one Markdown file found: the doc (none for a draft or an unreadable file)
/// and the problems met. A pure function of the file's bytes and path (see [`parse_doc`]),
/// so that a build may keep it between runs.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ParsedDoc {
    pub(super) doc: Option<LoadedDoc>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Parses one Markdown file (`display` is its path for diagnostics): its front matter, its
/// title, where its body starts. Pure.
pub(crate) fn parse_doc(file: &SourceFile, display: &str) -> ParsedDoc {
    let mut diagnostics = Vec::new();
    let doc = read_doc(
        &file.path,
        &file.bytes,
        display,
        &mut diagnostics,
        super::reading::minutes,
    );
    ParsedDoc { doc, diagnostics }
}

fn read_doc(
    path: &str,
    bytes: &[u8],
    display: &str,
    diagnostics: &mut Vec<Diagnostic>,
    minutes: impl FnOnce(&str) -> u32,
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
    control_warnings(bytes, display, diagnostics);
    let (front, body_start, body_line) = match frontmatter::split(&text) {
        Ok(split) => {
            let body_start = text.len() - split.body.len();
            let front = match split.yaml.map(|y| frontmatter::parse(y, split.yaml_line)) {
                Some(Err(e)) => {
                    diagnostics.push(front_matter_diagnostic(display, e));
                    FrontMatter::default()
                }
                Some(Ok((f, problems))) => {
                    diagnostics.extend(
                        problems
                            .into_iter()
                            .map(|e| front_matter_diagnostic(display, e)),
                    );
                    f
                }
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
        reading_minutes: minutes(&text[body_start..]),
        body_start,
        body_line,
    })
}

/// How many control characters a file gets a warning each for; the rest are counted.
const CONTROL_WARNINGS: usize = 5;

/// A warning at each control character [`decode`] removed (the first few, then a count).
fn control_warnings(bytes: &[u8], display: &str, diagnostics: &mut Vec<Diagnostic>) {
    let found = super::control_chars(bytes);
    for &(line, column, c) in found.iter().take(CONTROL_WARNINGS) {
        diagnostics.push(
            Diagnostic::warning(
                display,
                line,
                column,
                format!("control character U+{:04X} removed", c as u32),
            )
            .with_help("it has no place in a web page; delete it from the file"),
        );
    }
    if let Some(&(line, column, _)) = found.get(CONTROL_WARNINGS) {
        let more = found.len() - CONTROL_WARNINGS;
        diagnostics.push(Diagnostic::warning(
            display,
            line,
            column,
            format!("{more} more control characters removed from here on"),
        ));
    }
}

/// A front-matter problem as a diagnostic of the file.
fn front_matter_diagnostic(display: &str, e: frontmatter::FrontMatterError) -> Diagnostic {
    let message = format!("front matter: {}", e.message);
    let d = match e.severity {
        crate::diagnostic::Severity::Error => Diagnostic::error(display, e.line, e.column, message),
        crate::diagnostic::Severity::Warning => {
            Diagnostic::warning(display, e.line, e.column, message)
        }
    };
    match e.help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// The text of the first `# ` heading outside code fences, if the doc has one.
pub(crate) fn first_h1(body: &str) -> Option<String> {
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
