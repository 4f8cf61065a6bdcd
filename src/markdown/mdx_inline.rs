//! MDX inside a line, where the line pass of `mdx.rs` does not look: a component in running
//! text (`This is <Highlight color="#25c2a0">green</Highlight>`, `## Module 1 <Badge n={1} />`)
//! and a JavaScript expression that builds markup (`{items.map((s) => <div>{s}</div>)}`).
//! Neither can run without JavaScript: a component keeps its text, an expression is left out,
//! each with a warning, and no raw tag reaches the reader.

use super::lines::Line;

/// What became of a line's inline components.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Unwrapped {
    pub text: String,
    /// Components whose tags were removed (their content kept).
    pub unwrapped: Vec<String>,
    /// Self-closing components left out (they carry no text of their own).
    pub dropped: Vec<String>,
}

/// Removes the tags of capitalised components in running text, outside code spans, keeping
/// what they enclose; `None` when the line has none.
pub(crate) fn unwrap(line: &str) -> Option<Unwrapped> {
    if !line.contains('<') {
        return None;
    }
    let mut out = Unwrapped::default();
    let mut changed = false;
    let mut rest = line;
    let mut code_ticks: Option<usize> = None;
    let mut open: Vec<String> = Vec::new();
    while let Some(at) = rest.find(['<', '`']) {
        out.text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('`') {
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            code_ticks = match code_ticks {
                Some(open) if open == ticks => None,
                Some(open) => Some(open),
                None => Some(ticks),
            };
            out.text.push_str(&rest[..ticks]);
            rest = &rest[ticks..];
            continue;
        }
        let tag = code_ticks.is_none().then(|| component_tag(rest)).flatten();
        // An open tag counts when its close follows on the line, a close when its open
        // came before: `List<String>` in prose is left as written.
        let tag = tag.filter(|(len, name, kind)| match kind {
            Kind::Open => rest[*len..].contains(&format!("</{name}>")),
            Kind::Close => open.contains(name),
            Kind::SelfClosing => true,
        });
        match tag {
            Some((len, name, kind)) => {
                changed = true;
                match kind {
                    Kind::SelfClosing => push_once(&mut out.dropped, name),
                    Kind::Open => {
                        open.push(name.clone());
                        push_once(&mut out.unwrapped, name);
                    }
                    Kind::Close => {
                        if let Some(at) = open.iter().rposition(|n| *n == name) {
                            open.remove(at);
                        }
                    }
                }
                rest = &rest[len..];
            }
            None => {
                out.text.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.text.push_str(rest);
    changed.then_some(out)
}

fn push_once(names: &mut Vec<String>, name: String) {
    if !names.contains(&name) {
        names.push(name);
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    SelfClosing,
}

/// A component tag at the start of `s`: its length, name and kind. Attributes may hold
/// quoted strings and `{…}` expressions (with `>` inside them).
fn component_tag(s: &str) -> Option<(usize, String, Kind)> {
    let (body, closing) = match s.strip_prefix("</") {
        Some(b) => (b, true),
        None => (s.strip_prefix('<')?, false),
    };
    if !body.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let name: String = body
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
        .collect();
    let after = &body[name.len()..];
    if !after.starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>') {
        return None;
    }
    let mut scan = super::js_scan::JsScan::default();
    let (i, _) = after
        .char_indices()
        .find(|&(_, c)| scan.step(c).is_some_and(|d| c == '>' && d <= 0))?;
    let len = s.len() - after.len() + i + 1;
    let kind = if closing {
        Kind::Close
    } else if after[..i].trim_end().ends_with('/') {
        Kind::SelfClosing
    } else {
        Kind::Open
    };
    Some((len, name, kind))
}

/// When `lines[start]` opens a JavaScript expression that makes markup (`{` at the start of
/// the line, holding JSX or an arrow function, as MDX reads it), the index of the line that
/// closes it; `None` for anything else, which is left alone.
pub(crate) fn expression_end(lines: &[Line], start: usize) -> Option<usize> {
    let first = lines[start].text.trim_start();
    if !first.starts_with('{') || first.starts_with("{/*") {
        return None;
    }
    let (mut scan, mut text) = (super::js_scan::JsScan::default(), String::new());
    for (i, line) in lines.iter().enumerate().skip(start) {
        text.push_str(&line.text);
        text.push('\n');
        line.text.chars().for_each(|c| {
            scan.step(c);
        });
        let depth = scan.depth();
        if depth <= 0 {
            let makes_markup = text.contains("=>")
                || text
                    .match_indices('<')
                    .any(|(j, _)| text[j + 1..].starts_with(|c: char| c.is_ascii_alphabetic()));
            let closed = line.text.trim_end().ends_with('}');
            return (makes_markup && closed && depth == 0).then_some(i);
        }
        if i - start > 200 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_components_keep_their_text() {
        let u = unwrap(r##"This is <Highlight color="#25c2a0">green</Highlight> text."##).unwrap();
        assert_eq!(u.text, "This is green text.");
        assert_eq!(u.unwrapped, ["Highlight"]);
        let u = unwrap("## Module 1 <ModuleBadge moduleNumber={1} />").unwrap();
        assert_eq!(u.text, "## Module 1 ");
        assert_eq!(u.dropped, ["ModuleBadge"]);
        let u = unwrap(r#"<Kbd keys={["a>b"]}>Ctrl</Kbd> x"#).unwrap();
        assert_eq!(u.text, "Ctrl x");
    }

    #[test]
    fn code_spans_html_and_comparisons_are_left_alone() {
        assert_eq!(unwrap("Use `<Tabs>` and ``<TabItem value=\"a\">``."), None);
        assert_eq!(unwrap("a <b>bold</b> and x < Y and <br/>"), None);
        assert_eq!(unwrap("List<String> in Java"), None);
    }

    #[test]
    fn expressions_that_make_markup_end_where_braces_balance() {
        let lines: Vec<Line> = [
            "  {[",
            "    {label: \"a}\"},",
            "  ].map((s) => (",
            "    <div key={s}>{s.label}</div>",
            "  ))}",
            "after",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| Line::new(*t, i))
        .collect();
        assert_eq!(expression_end(&lines, 0), Some(4));
        let plain: Vec<Line> = ["{placeholder} stays text", "{a: 1}"]
            .iter()
            .enumerate()
            .map(|(i, t)| Line::new(*t, i))
            .collect();
        assert_eq!(expression_end(&plain, 0), None);
        assert_eq!(expression_end(&plain, 1), None);
    }
}
