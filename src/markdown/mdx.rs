//! MDX the way course books use it: `import` / `export` lines and `{/* comments */}` are
//! dropped; capitalised components other than `<Quiz>` are unwrapped (their children render
//! as Markdown) with a warning, never shown as raw tags.

use super::lines::{Fences, Line, Note};
use crate::html::escape;
use std::collections::{BTreeMap, BTreeSet};

/// True when the body may hold MDX syntax worth a pass.
fn needed(lines: &[Line]) -> bool {
    lines.iter().any(|l| {
        let t = l.text.trim_start();
        t.starts_with("import ")
            || t.starts_with("export ")
            || comment_open(t).is_some()
            || t.starts_with("</")
            || starts_component(t)
            || one_line_details(t).is_some()
            || t.contains("<Link")
            || (t.contains('<') && (t.contains("className") || t.contains("={")))
            || t.starts_with('{')
            || t.match_indices('<')
                .any(|(i, _)| t[i + 1..].starts_with(|c: char| c.is_ascii_uppercase()))
    })
}

fn starts_component(t: &str) -> bool {
    t.strip_prefix('<')
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_ascii_uppercase())
}

/// Drops imports, exports and comments; turns Docusaurus `<Tabs>` / `<TabItem>` into our
/// tabs; unwraps other components but `Quiz`.
pub(crate) fn strip(
    mut lines: Vec<Line>,
    notes: &mut Vec<Note>,
    components: Option<&dyn super::Components>,
) -> Vec<Line> {
    if !needed(&lines) {
        return lines;
    }
    let mut fences = Fences::default();
    let mut warned = BTreeSet::new();
    // HTML that replaces a line (the tabs' tags), set apart by blank lines at the end.
    let mut html_at: BTreeMap<usize, String> = BTreeMap::new();
    // One-line `<details>`: its tags and its Markdown content on lines of their own.
    let mut details_at: BTreeMap<usize, [String; 3]> = BTreeMap::new();
    let mut i = 0;
    while i < lines.len() {
        if fences.in_code(&lines[i].text) {
            i += 1;
            continue;
        }
        if let Some(text) = link_tags(&lines[i].text) {
            lines[i].text = text;
        }
        let t = lines[i].text.trim_start().to_string();
        if t.starts_with("import ") || t.starts_with("export ") {
            i = blank_statement(&mut lines, i);
            continue;
        }
        if comment_open(&lines[i].text).is_some() {
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
                match name.as_str() {
                    "Tabs" => html_at.insert(i, "</div>".into()),
                    "TabItem" => html_at.insert(i, "</section>".into()),
                    _ => None,
                };
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
            if let Some(html) = tabs_html(&name, &lines[i..=end]) {
                for line in &mut lines[i..=end] {
                    line.text.clear();
                }
                html_at.insert(i, html);
                i = end + 1;
                continue;
            }
            let tag: Vec<&str> = lines[i..=end].iter().map(|l| l.text.as_str()).collect();
            let tag = tag.join("\n");
            let templated = components.and_then(|c| {
                let props = super::component_props::props_json(&name, &tag);
                c.render(&name, &props)
            });
            let has_template = templated.is_some();
            match templated {
                Some(Ok(html)) => {
                    for line in &mut lines[i..=end] {
                        line.text.clear();
                    }
                    let html = super::component_props::one_html_block(&html);
                    if !html.is_empty() {
                        html_at.insert(i, html);
                    }
                    i = end + 1;
                    continue;
                }
                Some(Err(message)) => notes.push(
                    Note::warning(lines[i].src, format!("the template of `<{name}>` failed: {message}"))
                        .with_help(format!("fix templates/components/{name}.html; meanwhile the text of its props is shown as a list")),
                ),
                None => {}
            }
            let props = super::component_props::props_html(&name, &tag);
            if !has_template && warned.insert(name.clone()) {
                let shown = if props.is_some() {
                    "the text of its props is shown as a list, its content as plain Markdown"
                } else {
                    "its content is shown as plain Markdown"
                };
                notes.push(
                    Note::warning(
                        lines[i].src,
                        format!("MDX component `<{name}>` is not supported; {shown}"),
                    )
                    .with_help(
                        "use a directive (`:::tip`, `::::os-tabs`) or plain Markdown instead",
                    ),
                );
            }
            for line in &mut lines[i..=end] {
                line.text.clear();
            }
            if let Some(html) = props {
                html_at.insert(i, html);
            }
            i = end + 1;
            continue;
        }
        if let Some(end) = super::mdx_inline::expression_end(&lines, i) {
            notes.push(
                Note::warning(
                    lines[i].src,
                    "a JavaScript expression `{…}` that makes markup needs JavaScript; it is left out",
                )
                .with_help("write its result as Markdown or HTML"),
            );
            for line in &mut lines[i..=end] {
                line.text.clear();
            }
            i = end + 1;
            continue;
        }
        if let Some(u) = super::mdx_inline::unwrap(&lines[i].text) {
            lines[i].text = u.text;
            for name in u.unwrapped.iter().chain(&u.dropped) {
                if warned.insert(name.clone()) {
                    let shown = if u.dropped.contains(name) {
                        "it is left out"
                    } else {
                        "its content is shown as plain text"
                    };
                    notes.push(
                        Note::warning(
                            lines[i].src,
                            format!("MDX component `<{name}>` is not supported; {shown}"),
                        )
                        .with_help("write the text without the component"),
                    );
                }
            }
        }
        if let Some(parts) = one_line_details(&lines[i].text) {
            details_at.insert(i, parts.map(str::to_string));
            i += 1;
            continue;
        }
        if let Some((text, dropped)) = super::jsx_attrs::rewrite(&lines[i].text) {
            lines[i].text = text;
            for name in dropped {
                notes.push(
                    Note::warning(
                        lines[i].src,
                        format!("JSX attribute `{name}={{…}}` needs JavaScript; it is left out"),
                    )
                    .with_help(
                        "write the value as text (`name=\"…\"`), or leave the attribute out",
                    ),
                );
            }
        }
        i += 1;
    }
    if html_at.is_empty() && details_at.is_empty() {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len() + 2 * html_at.len() + 6 * details_at.len());
    for (i, line) in lines.into_iter().enumerate() {
        let src = line.src;
        if let Some(html) = html_at.remove(&i) {
            out.push(Line::new("", src));
            out.push(Line::new(html, src));
            out.push(Line::new("", src));
        } else if let Some([open, content, close]) = details_at.remove(&i) {
            for text in ["", &open, "", &content, "", &close, ""] {
                out.push(Line::new(text, src));
            }
        } else {
            out.push(line);
        }
    }
    out
}

/// Docusaurus' `<Link to="/syllabus">Syllabus</Link>` as the link it renders,
/// `<a href="/syllabus">Syllabus</a>` (the link passes then rewrite it; a `to={…}` expression
/// is dropped with the other JSX attributes, leaving the text). None when the line has none.
fn link_tags(line: &str) -> Option<String> {
    if !line.contains("<Link") {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut changed = false;
    while let Some(at) = rest.find("<Link").or_else(|| rest.find("</Link>")) {
        let close = rest.find("</Link>");
        if close.is_some_and(|c| c < at) || rest[at..].starts_with("</Link>") {
            let c = close.unwrap_or(at);
            out.push_str(&rest[..c]);
            out.push_str("</a>");
            rest = &rest[c + "</Link>".len()..];
            changed = true;
            continue;
        }
        let after = &rest[at + "<Link".len()..];
        if !after.starts_with([' ', '>', '\t']) {
            out.push_str(&rest[..at + "<Link".len()]);
            rest = after;
            continue;
        }
        let Some(end) = after.find('>') else { break };
        let attrs = &after[..end];
        out.push_str(&rest[..at]);
        out.push_str("<a");
        match attrs.find(" to=") {
            Some(to) => {
                out.push_str(&attrs[..to]);
                out.push_str(" href=");
                out.push_str(&attrs[to + " to=".len()..]);
            }
            None => out.push_str(attrs),
        }
        rest = &after[end..];
        changed = true;
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// `<details><summary>Hint</summary>Use **COPY**.</details>` on one line, as (opening tags,
/// content, closing tag): CommonMark reads the whole line as HTML, MDX renders the content as
/// Markdown, so the content goes on a line of its own. None for anything else.
fn one_line_details(line: &str) -> Option<[&str; 3]> {
    let t = line.trim();
    if !t.starts_with("<details") || !t.ends_with("</details>") {
        return None;
    }
    let after = t.find("</summary>")? + "</summary>".len();
    let close = t.len() - "</details>".len();
    let content = t.get(after..close)?.trim();
    let simple = t.matches("<details").count() == 1 && !content.is_empty();
    simple.then(|| [&t[..after], content, &t[close..]])
}

/// The HTML of a Docusaurus `<Tabs groupId>` or `<TabItem value label default>` opening tag
/// alone on its lines: our tabs (`groupId` keeps the choice across pages); None otherwise.
fn tabs_html(name: &str, tag_lines: &[Line]) -> Option<String> {
    let tag: Vec<&str> = tag_lines.iter().map(|l| l.text.trim()).collect();
    let tag = tag.join(" ");
    if !tag.ends_with('>') || tag.ends_with("/>") {
        return None;
    }
    let attrs = attributes(&tag[1 + name.len()..tag.len() - 1])?;
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    match name {
        "Tabs" => Some(match get("groupId") {
            Some(group) => format!(
                "<div class=\"tabs\" data-tabs=\"tabs\" data-group=\"{}\">",
                escape(group)
            ),
            None => "<div class=\"tabs\" data-tabs=\"tabs\">".to_string(),
        }),
        "TabItem" => {
            let value = get("value").unwrap_or("");
            let label = get("label").filter(|l| !l.is_empty()).unwrap_or(value);
            let default = if get("default").is_some_and(|d| d != "false") {
                " data-default"
            } else {
                ""
            };
            Some(format!(
                "<section class=\"tab-panel\" data-tab=\"{}\" aria-label=\"{}\"{default}><p class=\"tab-label\">{}</p>",
                escape(value),
                escape(label),
                escape(label)
            ))
        }
        _ => None,
    }
}

/// JSX attributes: `name="v"`, `name='v'`, `name={"v"}` / `name={v}` (the text inside the
/// braces, quotes removed) or a bare `name` (`"true"`). None when they cannot be read.
fn attributes(text: &str) -> Option<Vec<(String, String)>> {
    let mut attrs = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if name_len == 0 {
            return None;
        }
        let name = rest[..name_len].to_string();
        rest = rest[name_len..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            attrs.push((name, "true".to_string()));
            continue;
        };
        let after = after.trim_start();
        let (value, tail) = match after.chars().next()? {
            q @ ('"' | '\'') => {
                let close = after[1..].find(q)? + 1;
                (after[1..close].to_string(), &after[close + 1..])
            }
            '{' => {
                let close = after.find('}')?;
                let inner = after[1..close].trim();
                let unquoted = inner
                    .strip_prefix(['"', '\'', '`'])
                    .and_then(|v| v.strip_suffix(['"', '\'', '`']))
                    .unwrap_or(inner);
                (unquoted.to_string(), &after[close + 1..])
            }
            _ => return None,
        };
        attrs.push((name, value));
        rest = tail.trim_start();
    }
    Some(attrs)
}

fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
        .collect()
}

/// The index of the line on which the tag starting at `lines[start]` ends (`>` outside
/// quotes and braces).
fn tag_end(lines: &[Line], start: usize) -> usize {
    let mut scan = super::js_scan::JsScan::default();
    for (i, line) in lines.iter().enumerate().skip(start) {
        for c in line.text.chars() {
            if scan.step(c).is_some_and(|d| c == '>' && d <= 0) {
                return i;
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
        let Some(open) = comment_open(text) else {
            return i + 1;
        };
        match comment_close(&text[open..]) {
            Some(close) => {
                let rest = format!("{}{}", &text[..open], &text[open + close..]);
                lines[i].text = rest;
                if comment_open(&lines[i].text).is_none() {
                    return i + 1;
                }
            }
            None => {
                lines[i].text.truncate(open);
                let Some(end) =
                    (i + 1..lines.len()).find(|&j| comment_close(&lines[j].text).is_some())
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
                let tail = comment_close(&lines[end].text)
                    .map_or(String::new(), |k| lines[end].text[k..].to_string());
                lines[end].text = tail;
                i = end;
                if comment_open(&lines[i].text).is_none() {
                    return i + 1;
                }
            }
        }
    }
    i
}

/// Where an MDX comment `{/*` (spaces allowed after the brace) starts in `text`.
fn comment_open(text: &str) -> Option<usize> {
    text.match_indices('{')
        .map(|(i, _)| i)
        .find(|&i| text[i + 1..].trim_start().starts_with("/*"))
}

/// The end (just past the `}`) of the first `*/` followed by `}` (spaces allowed) in `text`.
fn comment_close(text: &str) -> Option<usize> {
    text.match_indices("*/").find_map(|(i, _)| {
        let after = &text[i + 2..];
        let trimmed = after.trim_start();
        trimmed
            .starts_with('}')
            .then(|| i + 2 + (after.len() - trimmed.len()) + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::super::lines::{join, split};
    use super::*;

    fn run(src: &str) -> (String, Vec<Note>) {
        let mut notes = Vec::new();
        let (text, _) = join(&strip(split(src), &mut notes, None));
        (text, notes)
    }

    #[test]
    fn docusaurus_link_components_become_links() {
        let (text, notes) = run("See the <Link to=\"/syllabus\">Syllabus</Link> and <Link to={frontMatter.hw}>Homework 6</Link>.\n<Link className=\"x\" to='/a'>A</Link> `<Linked>`");
        assert_eq!(
            text,
            "See the <a href=\"/syllabus\">Syllabus</a> and <a>Homework 6</a>.\n<a class=\"x\" href='/a'>A</a> `<Linked>`"
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("`href={…}`"), "{notes:?}");
    }

    #[test]
    fn one_line_details_get_their_content_on_a_line_of_its_own() {
        let (text, notes) =
            run("<details><summary>Hint</summary>Use **COPY** with `--chown`.</details>\nnext");
        assert_eq!(
            text,
            "\n<details><summary>Hint</summary>\n\nUse **COPY** with `--chown`.\n\n</details>\n\nnext"
        );
        assert!(notes.is_empty());
        // In code, with no content, or nested: left as written.
        for src in [
            "```\n<details><summary>a</summary>b</details>\n```",
            "<details><summary>a</summary></details>",
            "<details><summary>a</summary><details><summary>b</summary>c</details></details>",
        ] {
            assert_eq!(run(src).0, src);
        }
    }

    #[test]
    fn a_comment_opened_on_the_last_line_and_never_closed_is_dropped() {
        assert_eq!(run("a\n{/* open").0, "a\n");
        assert_eq!(run("{/* open").0, "");
    }

    #[test]
    fn drops_imports_exports_and_comments() {
        let (text, notes) = run("import Quiz from '@site/src/Quiz';\nimport {\n  A,\n} from 'x';\nexport const meta = {\n  a: 1,\n};\nText {/* hidden */} shown\n{/* multi\nline */}\n{ /* spaced */ }after\nend");
        assert_eq!(text, "\n\n\n\n\n\n\nText  shown\n\n\nafter\nend");
        assert!(notes.is_empty());
    }

    #[test]
    fn docusaurus_tabs_become_our_tabs() {
        let (text, notes) = run("<Tabs groupId=\"os\">\n<TabItem value=\"a\"\n  label=\"A & B\" default>\nInside **a**\n</TabItem>\n<TabItem value=\"b\">\nB\n</TabItem>\n</Tabs>");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            text,
            "\n<div class=\"tabs\" data-tabs=\"tabs\" data-group=\"os\">\n\n\n<section class=\"tab-panel\" data-tab=\"a\" aria-label=\"A &amp; B\" data-default><p class=\"tab-label\">A &amp; B</p>\n\n\nInside **a**\n\n</section>\n\n\n<section class=\"tab-panel\" data-tab=\"b\" aria-label=\"b\"><p class=\"tab-label\">b</p>\n\nB\n\n</section>\n\n\n</div>\n"
        );
    }

    #[test]
    fn unwraps_unknown_components_with_one_warning_each() {
        let (text, notes) = run("<Card title=\"x\">\n<Box\n  kind=\"A\">\n\nInside **a**\n\n</Box>\n<Box>\nB\n</Box>\n</Card>");
        // The text of their props stays, as lists; no tag is left.
        let props = [
            "<dl class=\"component-props\" data-component=\"Card\"><dt>Title</dt><dd>x</dd></dl>",
            "<dl class=\"component-props\" data-component=\"Box\"><dt>Kind</dt><dd>A</dd></dl>",
        ];
        for p in props {
            assert!(text.contains(&format!("\n{p}\n")), "{text}");
        }
        assert!(!props
            .iter()
            .fold(text.clone(), |t, p| t.replace(p, ""))
            .contains('<'));
        assert!(text.contains("Inside **a**") && text.contains("\nB\n"));
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(notes[1].src, 1);
        assert!(notes[0].message.contains("props is shown as a list"));
    }

    #[test]
    fn leaves_quiz_and_code_alone() {
        let src = "<Quiz questions={[]} />\n```jsx\nimport x from 'y';\n<Tabs>\n```";
        assert_eq!(run(src).0, src);
    }
}
