//! What a React component carries in its props (`<LessonMap objectives={["Build", "Ship"]}
//! />`), as readable HTML: without React the component cannot run, but the text an author put
//! in its props must not vanish. Strings, numbers and the strings inside lists and objects
//! become a definition list, one entry per prop; props that only style or wire the component
//! (`className`, `style`, `key`, `id`, functions) are left out.

use crate::html::escape;
use crate::js::{read_value, Js, Val};

/// Props that never hold text for the reader.
const WIRING: &[&str] = &[
    "className",
    "class",
    "style",
    "key",
    "id",
    "ref",
    "children",
];

/// The props of the tag `tag` (from `<` to `>`, possibly over several lines) as one line of
/// HTML, or None when no prop holds text.
pub(crate) fn props_html(name: &str, tag: &str) -> Option<String> {
    let inner = tag
        .trim()
        .strip_prefix('<')?
        .trim_start()
        .strip_prefix(name)?;
    let inner = inner.trim_end().strip_suffix('>')?;
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    let mut entries = String::new();
    for (prop, value) in props(inner) {
        if WIRING.contains(&prop.as_str()) || prop.starts_with("on") && prop.len() > 2 {
            continue;
        }
        if let Some(html) = value_html(&value) {
            entries.push_str(&format!(
                "<dt>{}</dt><dd>{html}</dd>",
                escape(&label(&prop))
            ));
        }
    }
    (!entries.is_empty()).then(|| {
        format!(
            "<dl class=\"component-props\" data-component=\"{}\">{entries}</dl>",
            escape(name)
        )
    })
}

/// The props of the tag `tag` as a JSON object, for a component template: strings, numbers,
/// booleans, lists and objects as they are; an expression that is not a literal as its text.
pub(crate) fn props_json(name: &str, tag: &str) -> serde_json::Value {
    let inner = tag
        .trim()
        .strip_prefix('<')
        .map(str::trim_start)
        .and_then(|t| t.strip_prefix(name))
        .unwrap_or_default();
    let inner = inner.trim_end();
    let inner = inner.strip_suffix('>').unwrap_or(inner);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    // `open` alone is `open={true}`.
    serde_json::Value::Object(
        props_all(inner, true)
            .into_iter()
            .map(|(k, v)| (k, json(&v.js)))
            .collect(),
    )
}

fn json(js: &Js) -> serde_json::Value {
    use serde_json::Value;
    match js {
        Js::Null => Value::Null,
        Js::Bool(b) => Value::Bool(*b),
        Js::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Js::Str(s) | Js::Expr(s) => Value::String(s.clone()),
        Js::Arr(items) => Value::Array(items.iter().map(|v| json(&v.js)).collect()),
        Js::Obj(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), json(&v.js)))
                .collect(),
        ),
    }
}

/// A template's HTML as one HTML block of Markdown: blank lines (which would end the block)
/// dropped and lines unindented (an indented line after a blank one would be code).
pub(crate) fn one_html_block(html: &str) -> String {
    html.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The props of a tag's inside (after its name): `name="text"`, `name='text'`,
/// `name={expression}` (read as a JavaScript literal), or a bare `name` (true).
fn props(rest: &str) -> Vec<(String, Val)> {
    props_all(rest, false)
}

/// As [`props`]; with `flags`, a bare `name` is `name: true`.
fn props_all(mut rest: &str, flags: bool) -> Vec<(String, Val)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')))
            .unwrap_or(rest.len());
        if len == 0 {
            return out;
        }
        let name = rest[..len].to_string();
        rest = rest[len..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            if flags {
                let js = Js::Bool(true);
                out.push((name, Val { js, at: 0 }));
            }
            continue;
        };
        let after = after.trim_start();
        let (value, tail) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(end) => (
                    Val {
                        js: Js::Str(after[1..1 + end].to_string()),
                        at: 0,
                    },
                    &after[end + 2..],
                ),
                None => return out,
            },
            Some('{') => match braced(after) {
                Some(end) => (read_value(after[1..end].trim()), &after[end + 1..]),
                None => return out,
            },
            _ => return out,
        };
        out.push((name, value));
        rest = tail;
    }
}

/// The index of the `}` closing the `{` that `text` starts with (strings and nesting
/// respected).
fn braced(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' | '`' => quote = Some(c),
                '{' | '[' | '(' => depth += 1,
                '}' | ']' | ')' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return (c == '}').then_some(i);
                    }
                }
                _ => {}
            },
        }
    }
    None
}

/// A value's text as HTML: a string or number as is, a list as a list, an object's scalar
/// fields on one line and its lists and objects below, labelled; None when it has no text.
fn value_html(val: &Val) -> Option<String> {
    match &val.js {
        Js::Str(s) if !s.trim().is_empty() => Some(escape(s.trim())),
        Js::Num(n) => Some(n.to_string()),
        Js::Arr(items) => {
            let lis: String = items
                .iter()
                .filter_map(value_html)
                .map(|h| format!("<li>{h}</li>"))
                .collect();
            (!lis.is_empty()).then(|| format!("<ul>{lis}</ul>"))
        }
        Js::Obj(fields) => {
            let mut line = Vec::new();
            let mut below = String::new();
            for (key, v) in fields {
                if WIRING.contains(&key.as_str()) {
                    continue;
                }
                match (&v.js, value_html(v)) {
                    (Js::Str(_) | Js::Num(_), Some(h)) => line.push(h),
                    (_, Some(h)) => below.push_str(&format!(
                        "<div class=\"component-props-field\">{}: {h}</div>",
                        escape(&label(key))
                    )),
                    _ => {}
                }
            }
            let html = line.join(" — ") + &below;
            (!html.is_empty()).then_some(html)
        }
        _ => None,
    }
}

/// `learningObjectives` / `learning_objectives` → `Learning objectives`.
fn label(prop: &str) -> String {
    let mut out = String::new();
    for (i, c) in prop.chars().enumerate() {
        if c == '_' || c == '-' {
            out.push(' ');
        } else if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn props_with_text_become_a_definition_list() {
        let tag = "<LessonMap\n  title=\"Docker & you\"\n  className=\"x\"\n  objectives={[\"Build <images>\", 'Ship them']}\n  steps={[{title: 'Pull', detail: \"docker pull\", tags: ['cli']}, {n: 2}]}\n  minutes={45}\n  onClick={() => go()}\n  open\n/>";
        let html = props_html("LessonMap", tag).unwrap();
        assert_eq!(
            html,
            "<dl class=\"component-props\" data-component=\"LessonMap\">\
             <dt>Title</dt><dd>Docker &amp; you</dd>\
             <dt>Objectives</dt><dd><ul><li>Build &lt;images&gt;</li><li>Ship them</li></ul></dd>\
             <dt>Steps</dt><dd><ul><li>Pull — docker pull<div class=\"component-props-field\">Tags: <ul><li>cli</li></ul></div></li><li>2</li></ul></dd>\
             <dt>Minutes</dt><dd>45</dd></dl>"
        );
    }

    #[test]
    fn nothing_to_show_is_none_and_bad_syntax_never_panics() {
        assert_eq!(props_html("Spacer", "<Spacer className=\"a\" />"), None);
        assert_eq!(props_html("Map", "<Map data={items} />"), None);
        for tag in [
            "<X a={[1, 2 />",
            "<X a=\"open />",
            "<X a={'}'} b='c' />",
            "<X ={1} />",
            "<X a=>",
        ] {
            let _ = props_html("X", tag);
        }
        assert_eq!(
            props_html("X", "<X a={'}'} b='c' />").as_deref(),
            Some("<dl class=\"component-props\" data-component=\"X\"><dt>A</dt><dd>}</dd><dt>B</dt><dd>c</dd></dl>")
        );
        assert_eq!(label("learning_objectives"), "Learning objectives");
        assert_eq!(label("learningObjectives"), "Learning objectives");
    }
}
