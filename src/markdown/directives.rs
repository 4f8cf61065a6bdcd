//! Container directives (`:::tip Title` … `:::`) turned into HTML wrappers before parsing,
//! keeping a map from each output line to its source line for diagnostics.

use super::highlight::escape;

/// Admonition kinds and their default titles.
const ADMONITIONS: &[(&str, &str)] = &[
    ("note", "Note"),
    ("tip", "Tip"),
    ("info", "Info"),
    ("warning", "Warning"),
    ("danger", "Danger"),
    ("caution", "Caution"),
    ("important", "Important"),
    ("success", "Success"),
];

/// Markdown with directives expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    pub text: String,
    /// For each output line, the 0-based source line it came from.
    pub line_map: Vec<usize>,
    /// (0-based source line, message) for directives we do not know.
    pub warnings: Vec<(usize, String)>,
}

struct Open {
    colons: usize,
}

/// Expands `:::name[Title]` / `:::name Title` containers; code fences are left alone.
pub fn expand(source: &str) -> Expanded {
    let mut out = Expanded {
        text: String::with_capacity(source.len() + 64),
        ..Default::default()
    };
    if !source.contains(":::") {
        out.text.push_str(source);
        out.line_map = (0..=source.matches('\n').count()).collect();
        return out;
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (n, line) in source.split('\n').enumerate() {
        let t = line.trim_start();
        if let Some((ch, len)) = fence {
            if t.chars().take_while(|&c| c == ch).count() >= len
                && t.trim_start_matches(ch).trim().is_empty()
            {
                fence = None;
            }
            push(&mut out, line, n);
            continue;
        }
        if let Some(f) = fence_open(t) {
            fence = Some(f);
            push(&mut out, line, n);
            continue;
        }
        let colons = t.chars().take_while(|&c| c == ':').count();
        if colons >= 3 {
            let rest = t[colons..].trim();
            if rest.is_empty() && stack.last().is_some_and(|o| colons >= o.colons) {
                stack.pop();
                push(&mut out, "", n);
                push(&mut out, "</div></div>", n);
                push(&mut out, "", n);
                continue;
            }
            if let Some((name, title)) = directive_head(rest) {
                stack.push(Open { colons });
                let (class, default_title) = match ADMONITIONS.iter().find(|(k, _)| *k == name) {
                    Some((k, title)) => (format!("admonition admonition-{k}"), title.to_string()),
                    None => {
                        out.warnings.push((n, format!("unknown directive `:::{name}`; it renders as a plain labelled block")));
                        (
                            format!("admonition directive-{}", escape(&name)),
                            name.clone(),
                        )
                    }
                };
                let title = title.unwrap_or(default_title);
                push(&mut out, "", n);
                push(&mut out, &format!("<div class=\"{class}\"><p class=\"admonition-title\">{}</p><div class=\"admonition-content\">", escape(&title)), n);
                push(&mut out, "", n);
                continue;
            }
        }
        push(&mut out, line, n);
    }
    let last = source.matches('\n').count();
    for _ in stack {
        push(&mut out, "", last);
        push(&mut out, "</div></div>", last);
    }
    // Every segment was pushed with a newline; the last one had none in the source.
    out.text.pop();
    out
}

fn push(out: &mut Expanded, line: &str, source_line: usize) {
    out.text.push_str(line);
    out.text.push('\n');
    out.line_map.push(source_line);
}

fn fence_open(t: &str) -> Option<(char, usize)> {
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = t.chars().take_while(|&c| c == ch).count();
    (len >= 3).then_some((ch, len))
}

/// `tip`, `tip My title` or `tip[My title]` → (name, title).
fn directive_head(rest: &str) -> Option<(String, Option<String>)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admonition_with_title_and_line_map() {
        let e = expand("a\n:::tip Layer caching\nBody **bold**\n:::\nz");
        assert!(e.text.contains("<div class=\"admonition admonition-tip\"><p class=\"admonition-title\">Layer caching</p>"));
        assert!(e.text.contains("\nBody **bold**\n"));
        let body_line = e.text.lines().position(|l| l == "Body **bold**").unwrap();
        assert_eq!(e.line_map[body_line], 2);
        assert_eq!(*e.line_map.last().unwrap(), 4);
        assert!(e.warnings.is_empty());
    }

    #[test]
    fn bracket_titles_nesting_and_unknown() {
        let e = expand("::::note[Outer]\n:::warning\ninner\n:::\n::::\n:::mystery\nx\n:::\n");
        assert!(e.text.contains(">Outer</p>") && e.text.contains(">Warning</p>"));
        assert_eq!(e.text.matches("</div></div>").count(), 3);
        assert_eq!(e.warnings.len(), 1);
        assert_eq!(e.warnings[0].0, 5);
    }

    #[test]
    fn leaves_code_fences_alone() {
        let src = "```\n:::tip\n```\n";
        assert_eq!(expand(src).text, src);
    }
}
