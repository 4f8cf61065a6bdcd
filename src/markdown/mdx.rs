//! MDX the way course books use it: `import` / `export` lines and `{/* comments */}` are
//! dropped; capitalised components other than `<Quiz>` are unwrapped (their children render
//! as Markdown) with a warning, never shown as raw tags.

use super::lines::{Fences, Line, Note};
use std::collections::BTreeSet;

/// True when the body may hold MDX syntax worth a pass.
fn needed(lines: &[Line]) -> bool {
    lines.iter().any(|l| {
        let t = l.text.trim_start();
        t.starts_with("import ")
            || t.starts_with("export ")
            || t.contains("{/*")
            || t.starts_with("</")
            || starts_component(t)
    })
}

fn starts_component(t: &str) -> bool {
    t.strip_prefix('<')
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_ascii_uppercase())
}

/// Drops imports, exports and comments; unwraps components other than `Quiz`.
pub(crate) fn strip(mut lines: Vec<Line>, notes: &mut Vec<Note>) -> Vec<Line> {
    if !needed(&lines) {
        return lines;
    }
    let mut fences = Fences::default();
    let mut warned = BTreeSet::new();
    let mut i = 0;
    while i < lines.len() {
        if fences.in_code(&lines[i].text) {
            i += 1;
            continue;
        }
        let t = lines[i].text.trim_start().to_string();
        if t.starts_with("import ") || t.starts_with("export ") {
            i = blank_statement(&mut lines, i);
            continue;
        }
        if lines[i].text.contains("{/*") {
            i = drop_comment(&mut lines, i);
            continue;
        }
        if let Some(name) = t
            .strip_prefix("</")
            .map(tag_name)
            .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
        {
            if t.trim_end() == format!("</{name}>") {
                lines[i].text.clear();
            }
            i += 1;
            continue;
        }
        if starts_component(&t) {
            let name = tag_name(&t[1..]);
            if name == "Quiz" {
                i += 1;
                continue;
            }
            let end = tag_end(&lines, i);
            if warned.insert(name.clone()) {
                notes.push(
                    Note::warning(lines[i].src, format!("MDX component `<{name}>` is not supported; its content is shown as plain Markdown"))
                        .with_help("use a directive (`:::tip`, `::::os-tabs`) or plain Markdown instead"),
                );
            }
            for line in &mut lines[i..=end] {
                line.text.clear();
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    lines
}

fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
        .collect()
}

/// The index of the line on which the tag starting at `lines[start]` ends (`>` outside
/// quotes and braces).
fn tag_end(lines: &[Line], start: usize) -> usize {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, line) in lines.iter().enumerate().skip(start) {
        for c in line.text.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'' | '`') => quote = Some(c),
                (None, '{') => depth += 1,
                (None, '}') => depth -= 1,
                (None, '>') if depth <= 0 => return i,
                _ => {}
            }
        }
    }
    start
}

/// Blanks an import/export statement, which may span lines until its brackets balance.
fn blank_statement(lines: &mut [Line], start: usize) -> usize {
    let mut depth = 0i32;
    let mut i = start;
    while i < lines.len() {
        for c in lines[i].text.chars() {
            match c {
                '{' | '[' | '(' => depth += 1,
                '}' | ']' | ')' => depth -= 1,
                _ => {}
            }
        }
        lines[i].text.clear();
        i += 1;
        if depth <= 0 {
            break;
        }
    }
    i
}

/// Removes `{/* … */}` comments, which may span lines.
fn drop_comment(lines: &mut [Line], start: usize) -> usize {
    let mut i = start;
    while i < lines.len() {
        let text = &lines[i].text;
        let Some(open) = text.find("{/*") else {
            return i + 1;
        };
        match text[open..].find("*/}") {
            Some(close) => {
                let rest = format!("{}{}", &text[..open], &text[open + close + 3..]);
                lines[i].text = rest;
                if !lines[i].text.contains("{/*") {
                    return i + 1;
                }
            }
            None => {
                lines[i].text.truncate(open);
                let Some(end) = (i + 1..lines.len()).find(|&j| lines[j].text.contains("*/}"))
                else {
                    // Never closed: the comment runs to the end of the file.
                    for line in &mut lines[i + 1..] {
                        line.text.clear();
                    }
                    return lines.len();
                };
                for line in &mut lines[i + 1..end] {
                    line.text.clear();
                }
                let tail = lines[end]
                    .text
                    .find("*/}")
                    .map_or(String::new(), |k| lines[end].text[k + 3..].to_string());
                lines[end].text = tail;
                i = end;
                if !lines[i].text.contains("{/*") {
                    return i + 1;
                }
            }
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::super::lines::{join, split};
    use super::*;

    fn run(src: &str) -> (String, Vec<Note>) {
        let mut notes = Vec::new();
        let (text, _) = join(&strip(split(src), &mut notes));
        (text, notes)
    }

    #[test]
    fn a_comment_opened_on_the_last_line_and_never_closed_is_dropped() {
        assert_eq!(run("a\n{/* open").0, "a\n");
        assert_eq!(run("{/* open").0, "");
    }

    #[test]
    fn drops_imports_exports_and_comments() {
        let (text, notes) = run("import Quiz from '@site/src/Quiz';\nimport {\n  A,\n} from 'x';\nexport const meta = {\n  a: 1,\n};\nText {/* hidden */} shown\n{/* multi\nline */}\nend");
        assert_eq!(text, "\n\n\n\n\n\n\nText  shown\n\n\nend");
        assert!(notes.is_empty());
    }

    #[test]
    fn unwraps_unknown_components_with_one_warning_each() {
        let (text, notes) = run("<Tabs groupId=\"os\">\n<TabItem value=\"a\"\n  label=\"A\">\n\nInside **a**\n\n</TabItem>\n<TabItem value=\"b\">\nB\n</TabItem>\n</Tabs>");
        assert!(!text.contains('<'), "{text}");
        assert!(text.contains("Inside **a**") && text.contains("\nB\n"));
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(notes[1].src, 1);
    }

    #[test]
    fn leaves_quiz_and_code_alone() {
        let src = "<Quiz questions={[]} />\n```jsx\nimport x from 'y';\n<Tabs>\n```";
        assert_eq!(run(src).0, src);
    }
}
