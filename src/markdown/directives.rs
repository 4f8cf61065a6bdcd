//! Directives in remark-directive syntax, expanded to HTML wrappers before parsing:
//! admonitions (`:::tip Title` … `:::`, nesting with more colons), and containers of leaf
//! directives (`::::os-tabs` holding `::windows`, `::macos`, …) as tabs that stack without
//! JavaScript. An unknown container is a labelled block with a warning.

use super::lines::{Fences, Line, Note};
use crate::html::escape;
use crate::markdown::Words;

/// Admonition kinds; each one's default title is the theme string `admonition_<kind>`.
pub(crate) const ADMONITIONS: &[&str] = &[
    "note",
    "tip",
    "info",
    "warning",
    "danger",
    "caution",
    "important",
    "success",
];

/// How a line takes part in the directive structure.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    Text,
    Open {
        colons: usize,
        name: String,
        title: Option<String>,
    },
    Close {
        open: usize,
    },
    Leaf {
        name: String,
        label: Option<String>,
        parent: Option<usize>,
    },
}

/// The wrapper an opened container became.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Admonition,
    Tabs,
    Unknown,
}

/// Expands directives; code fences are left alone. Unknown directives add warnings.
pub(crate) fn expand(lines: Vec<Line>, notes: &mut Vec<Note>, strings: &dyn Words) -> Vec<Line> {
    if !lines.iter().any(|l| l.text.trim_start().starts_with("::")) {
        return lines;
    }
    let roles = structure(&lines, notes);
    let mut expansion = Expansion::new(&roles, lines.len());
    for (i, (line, role)) in lines.into_iter().zip(roles).enumerate() {
        let src = line.src;
        match role {
            Role::Text => expansion.out.push(line),
            Role::Open {
                colons,
                name,
                title,
            } => {
                let opened = Opened {
                    src,
                    column: line.text.len() - line.text.trim_start().len() + 1,
                    colons,
                    name,
                };
                expansion.open(i, opened, title, notes, strings);
            }
            Role::Close { open } => expansion.close(open, src),
            Role::Leaf {
                name,
                label,
                parent,
            } => expansion.leaf(&name, label, parent, src, notes),
        }
    }
    expansion.finish(notes)
}

/// The expanded lines so far, and what each opened container became.
struct Expansion {
    out: Vec<Line>,
    /// Per line: whether leaf directives sit directly in the container it opens.
    has_leaves: Vec<bool>,
    /// Per line: the wrapper the container it opens became.
    kinds: Vec<Option<Kind>>,
    /// Per line: whether the tabs it opens have a panel open.
    panel_open: Vec<bool>,
    /// Containers opened and not closed yet, by line.
    open_stack: Vec<usize>,
    /// Per line: where the container it opens was opened, for the warning if it never closes.
    opened: Vec<Opened>,
}

impl Expansion {
    fn new(roles: &[Role], lines: usize) -> Expansion {
        let mut has_leaves = vec![false; lines];
        for role in roles {
            if let Role::Leaf {
                parent: Some(p), ..
            } = role
            {
                has_leaves[*p] = true;
            }
        }
        Expansion {
            out: Vec::with_capacity(lines + 16),
            has_leaves,
            kinds: vec![None; lines],
            panel_open: vec![false; lines],
            open_stack: Vec::new(),
            opened: vec![Opened::default(); lines],
        }
    }

    /// A container opened on line `i`: tabs when it holds leaves, else an admonition, else an
    /// unknown directive (a labelled block, with a warning).
    fn open(
        &mut self,
        i: usize,
        opened: Opened,
        title: Option<String>,
        notes: &mut Vec<Note>,
        strings: &dyn Words,
    ) {
        let (name, src) = (opened.name.as_str(), opened.src);
        let admonition = ADMONITIONS.iter().find(|k| **k == name);
        let (kind, html) = if self.has_leaves[i] && admonition.is_none() {
            (
                Kind::Tabs,
                format!("<div class=\"tabs\" data-tabs=\"{}\">", escape(name)),
            )
        } else if let Some(k) = admonition {
            let title =
                title.unwrap_or_else(|| strings.word(&format!("admonition_{k}")).to_string());
            (
                Kind::Admonition,
                admonition_open(&format!("admonition admonition-{k}"), &title),
            )
        } else {
            notes.push(
                Note::warning(src, format!("unknown directive `:::{name}`; it renders as a labelled block"))
                    .with_help("known directives: note, tip, info, warning, danger, caution, and containers of `::leaf` tabs"),
            );
            let label = title.unwrap_or_else(|| tab_label(name));
            let class = format!("admonition directive directive-{}", escape(name));
            (Kind::Unknown, admonition_open(&class, &label))
        };
        self.kinds[i] = Some(kind);
        self.open_stack.push(i);
        self.opened[i] = opened;
        push_html(&mut self.out, &html, src);
    }

    /// The container opened on line `open` closes.
    fn close(&mut self, open: usize, src: usize) {
        self.open_stack.retain(|&o| o != open);
        let html = self.closing_html(open);
        push_html(&mut self.out, html, src);
    }

    fn closing_html(&self, open: usize) -> &'static str {
        match self.kinds[open] {
            Some(Kind::Tabs) if self.panel_open[open] => "</section></div>",
            Some(Kind::Tabs) => "</div>",
            _ => "</div></div>",
        }
    }

    /// A leaf directive: a tab panel in tabs, else a label (with a warning).
    fn leaf(
        &mut self,
        name: &str,
        label: Option<String>,
        parent: Option<usize>,
        src: usize,
        notes: &mut Vec<Note>,
    ) {
        let label = label.unwrap_or_else(|| tab_label(name));
        let Some(p) = parent.filter(|p| self.kinds[*p] == Some(Kind::Tabs)) else {
            notes.push(Note::warning(
                src,
                format!(
                    "leaf directive `::{name}` outside a tabs container; it renders as a label"
                ),
            ));
            let html = format!(
                "<p class=\"directive-label\"><strong>{}</strong></p>",
                escape(&label)
            );
            push_html(&mut self.out, &html, src);
            return;
        };
        let close = if self.panel_open[p] { "</section>" } else { "" };
        self.panel_open[p] = true;
        let html = format!(
            "{close}<section class=\"tab-panel\" data-tab=\"{}\" aria-label=\"{}\"><p class=\"tab-label\">{}</p>",
            escape(name),
            escape(&label),
            escape(&label)
        );
        push_html(&mut self.out, &html, src);
    }

    /// Closes what is still open at the end of the doc, innermost first, each with a warning
    /// at its opening fence.
    fn finish(mut self, notes: &mut Vec<Note>) -> Vec<Line> {
        let last = self.out.last().map_or(0, |l| l.src);
        for &open in &self.open_stack {
            notes.push(unclosed(&self.opened[open]));
        }
        for open in std::mem::take(&mut self.open_stack).into_iter().rev() {
            let html = self.closing_html(open);
            push_html(&mut self.out, html, last);
        }
        self.out
    }
}

/// Where a container directive opened, for the warning if it is never closed.
#[derive(Debug, Clone, Default)]
struct Opened {
    src: usize,
    column: usize,
    colons: usize,
    name: String,
}

/// An opened container without its closing fence runs to the end of the file (as in
/// remark-directive); that is almost never what the author meant.
fn unclosed(open: &Opened) -> Note {
    let fence = ":".repeat(open.colons);
    let mut note = Note::warning(
        open.src,
        format!(
            "`{fence}{}` is not closed: it runs to the end of the file",
            open.name
        ),
    )
    .with_help(format!(
        "close it with `{fence}` on a line of its own where it should end"
    ));
    note.column = open.column;
    note
}

fn admonition_open(class: &str, title: &str) -> String {
    format!("<div class=\"{class}\"><p class=\"admonition-title\">{}</p><div class=\"admonition-content\">", escape(title))
}

/// HTML on a line of its own, with blank lines around so Markdown resumes after it.
fn push_html(out: &mut Vec<Line>, html: &str, src: usize) {
    out.push(Line::new("", src));
    out.push(Line::new(html, src));
    out.push(Line::new("", src));
}

/// How deep containers may nest. Docusaurus books nest two or three; the limit keeps every
/// step of the expansion bounded (an error, not minutes of work, for thousands of `:::`).
pub(crate) const MAX_DEPTH: usize = 32;

/// Finds opening, closing and leaf directive lines, and which container each belongs to.
/// A container opened deeper than [`MAX_DEPTH`] is an error and stays text.
fn structure(lines: &[Line], notes: &mut Vec<Note>) -> Vec<Role> {
    let mut fences = Fences::default();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut roles = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if fences.in_code(&line.text) {
            roles.push(Role::Text);
            continue;
        }
        let t = line.text.trim();
        let colons = t.chars().take_while(|&c| c == ':').count();
        let rest = t[colons..].trim();
        let role = if colons >= 3 && rest.is_empty() {
            match stack.iter().rposition(|&(_, c)| c <= colons) {
                Some(pos) => {
                    let (open, _) = stack[pos];
                    stack.truncate(pos);
                    Role::Close { open }
                }
                None => Role::Text,
            }
        } else if colons >= 2 {
            match head(rest) {
                Some(_) if colons >= 3 && stack.len() >= MAX_DEPTH => {
                    let column = line.text.len() - line.text.trim_start().len() + 1;
                    notes.push(
                        Note::error(
                            line.src,
                            column,
                            format!("directives nest more than {MAX_DEPTH} deep"),
                        )
                        .with_help("close some containers with `:::` before opening more"),
                    );
                    Role::Text
                }
                Some((name, title)) if colons >= 3 => {
                    stack.push((i, colons));
                    Role::Open {
                        colons,
                        name,
                        title,
                    }
                }
                Some((name, label)) => Role::Leaf {
                    name,
                    label,
                    parent: stack.last().map(|&(o, _)| o),
                },
                None => Role::Text,
            }
        } else {
            Role::Text
        };
        roles.push(role);
    }
    roles
}

/// `tip`, `tip My title` or `tip[My title]` → (name, title).
fn head(rest: &str) -> Option<(String, Option<String>)> {
    let name_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..name_end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = &rest[name_end..];
    let title = if let Some(bracket) = after.strip_prefix('[') {
        bracket.find(']').map(|i| bracket[..i].trim().to_string())
    } else {
        let t = after.trim();
        let t = t.split_once('{').map_or(t, |(a, _)| a).trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    Some((name.to_ascii_lowercase(), title.filter(|t| !t.is_empty())))
}

/// A readable label for a directive name: `macos` → `macOS`, `my-tab` → `My tab`.
fn tab_label(name: &str) -> String {
    match name {
        "windows" | "win" => "Windows".into(),
        "macos" | "mac" | "osx" => "macOS".into(),
        "linux" => "Linux".into(),
        "wsl" => "WSL".into(),
        other => {
            let spaced = other.replace(['-', '_'], " ");
            let mut chars = spaced.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines::{join, split};
    use super::*;

    fn run(src: &str) -> (String, Vec<usize>, Vec<Note>) {
        let mut notes = Vec::new();
        let (text, map) = join(&expand(split(src), &mut notes, &crate::markdown::English));
        (text, map, notes)
    }

    #[test]
    fn admonition_with_title_and_line_map() {
        let (text, map, notes) = run("a\n:::tip Layer caching\nBody **bold**\n:::\nz");
        assert!(text.contains("<div class=\"admonition admonition-tip\"><p class=\"admonition-title\">Layer caching</p>"));
        let body = text.lines().position(|l| l == "Body **bold**").unwrap();
        assert_eq!(map[body], 2);
        assert_eq!(*map.last().unwrap(), 4);
        assert!(notes.is_empty());
    }

    #[test]
    fn bracket_titles_nesting_and_unknown() {
        let (text, _, notes) =
            run("::::note[Outer]\n:::warning\ninner\n:::\n::::\n:::mystery\nx\n:::\n");
        assert!(text.contains(">Outer</p>") && text.contains(">Warning</p>"));
        assert_eq!(text.matches("</div></div>").count(), 3);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].src, 5);
    }

    #[test]
    fn leaf_directives_make_tabs() {
        let (text, _, notes) = run("::::os-tabs\n::windows\nwin text\n::macos\nmac text\n::linux[Ubuntu]\nlinux text\n::::\nafter");
        assert!(notes.is_empty(), "{notes:?}");
        assert!(text.contains("<div class=\"tabs\" data-tabs=\"os-tabs\">"));
        assert_eq!(text.matches("<section class=\"tab-panel\"").count(), 3);
        assert_eq!(text.matches("</section>").count(), 3);
        assert!(text.contains("aria-label=\"macOS\"") && text.contains(">Ubuntu</p>"));
        assert!(text.ends_with("after"));
    }

    #[test]
    fn leaves_code_fences_alone() {
        let src = "```\n:::tip\n::windows\n```\n";
        assert_eq!(run(src).0, src);
    }

    #[test]
    fn nesting_past_the_limit_is_an_error_at_the_opening() {
        let src = ":::note\n".repeat(MAX_DEPTH + 3) + &":::\n".repeat(MAX_DEPTH + 3);
        let (text, _, notes) = run(&src);
        let errors: Vec<_> = notes
            .iter()
            .filter(|n| n.severity == crate::diagnostic::Severity::Error)
            .collect();
        assert_eq!(errors.len(), 3, "{notes:?}");
        assert_eq!((errors[0].src, errors[0].column), (MAX_DEPTH, 1));
        assert_eq!(text.matches("admonition-note").count(), MAX_DEPTH);
    }

    #[test]
    fn unclosed_container_is_closed_at_the_end_with_a_warning_at_its_line() {
        let (text, _, notes) = run("a\n\n  :::note\ntext");
        assert!(text.trim_end().ends_with("</div></div>"));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!((notes[0].src, notes[0].column), (2, 3));
        assert_eq!(
            notes[0].message,
            "`:::note` is not closed: it runs to the end of the file"
        );
    }

    #[test]
    fn a_closing_fence_shorter_than_the_opening_does_not_close_it() {
        let (_, _, notes) = run("::::tip\nx\n:::\n\n:::warning\ny\n:::\n");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].src, 0);
        assert!(notes[0].message.starts_with("`::::tip` is not closed"));
    }
}
