//! JSX attributes on HTML tags in MDX, made HTML: `className` becomes `class`, `style={{…}}`
//! a CSS string, `src={require('@site/static/img/x.png').default}` and
//! `src={useBaseUrl('/img/x.png')}` the static file's path (`/img/x.png`). Any other
//! `{expression}` attribute cannot be evaluated without JavaScript: it is dropped, with a
//! warning.

/// The line with its HTML tags' JSX attributes rewritten, and the attributes dropped (name);
/// None when the line has nothing to rewrite.
pub(crate) fn rewrite(line: &str) -> Option<(String, Vec<String>)> {
    if !(line.contains("className") || line.contains("={")) {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut dropped = Vec::new();
    let mut rest = line;
    let mut changed = false;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        if !after.starts_with(|c: char| c.is_ascii_lowercase()) {
            out.push_str(&rest[..=lt]);
            rest = after;
            continue;
        }
        let Some(end) = tag_end(after) else {
            break;
        };
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        let Some(attrs) = rewrite_attrs(&after[name_len..end], &mut dropped) else {
            out.push_str(&rest[..lt + 1 + end]);
            rest = &after[end..];
            continue;
        };
        changed = true;
        out.push_str(&rest[..=lt]);
        out.push_str(&after[..name_len]);
        out.push_str(&attrs);
        rest = &after[end..];
    }
    out.push_str(rest);
    changed.then_some((out, dropped))
}

/// The offset of the `>` (or `/>`) closing a tag, outside quotes and braces.
fn tag_end(s: &str) -> Option<usize> {
    let mut scan = super::js_scan::JsScan::default();
    let (i, _) = s
        .char_indices()
        .find(|&(_, c)| scan.step(c).is_some_and(|d| c == '>' && d <= 0))?;
    Some(if s[..i].ends_with('/') { i - 1 } else { i })
}

/// The attributes rewritten, or None when they hold no JSX (nothing to change).
fn rewrite_attrs(attrs: &str, dropped: &mut Vec<String>) -> Option<String> {
    let mut out = String::new();
    let mut changed = false;
    let mut rest = attrs;
    loop {
        let trimmed = rest.trim_start();
        out.push_str(&rest[..rest.len() - trimmed.len()]);
        rest = trimmed;
        if rest.is_empty() {
            break;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
            .unwrap_or(rest.len());
        if name_len == 0 {
            // Not an attribute list we understand: leave the tag as written.
            return None;
        }
        let name = &rest[..name_len];
        rest = &rest[name_len..];
        let html_name = match name {
            "className" => {
                changed = true;
                "class"
            }
            "htmlFor" => {
                changed = true;
                "for"
            }
            other => other,
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            out.push_str(html_name);
            continue;
        };
        let value = value.trim_start();
        match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = value[1..].find(q)? + 2;
                out.push_str(html_name);
                out.push('=');
                out.push_str(&value[..close]);
                rest = &value[close..];
            }
            Some('{') => {
                let close = brace_end(value)?;
                let expr = value[1..close].trim();
                rest = &value[close + 1..];
                changed = true;
                match evaluate(html_name, expr) {
                    Some(text) => {
                        out.push_str(html_name);
                        out.push_str("=\"");
                        out.push_str(&crate::html::escape(&text));
                        out.push('"');
                    }
                    None => {
                        dropped.push(name.to_string());
                        // Keep the spacing tidy: drop the space written before the name.
                        let keep = out.trim_end().len();
                        out.truncate(keep);
                    }
                }
            }
            _ => return None,
        }
    }
    changed.then_some(out)
}

/// The offset of the `}` matching the `{` that starts `s`, outside quotes.
fn brace_end(s: &str) -> Option<usize> {
    let mut scan = super::js_scan::JsScan::default();
    s.char_indices()
        .find(|&(_, c)| scan.step(c) == Some(0) && c == '}')
        .map(|(i, _)| i)
}

/// The value of an attribute expression we can read without JavaScript.
fn evaluate(name: &str, expr: &str) -> Option<String> {
    if let Some(text) = string_literal(expr) {
        return Some(text);
    }
    if expr.parse::<f64>().is_ok() || expr == "true" || expr == "false" {
        return Some(expr.to_string());
    }
    if name == "style" {
        return style(expr.strip_prefix('{')?.strip_suffix('}')?);
    }
    // require('@site/static/img/x.png').default, useBaseUrl('/img/x.png'), require('./x.png')
    let call = expr.strip_suffix(".default").unwrap_or(expr);
    let arg = call
        .strip_prefix("require(")
        .or_else(|| call.strip_prefix("useBaseUrl("))?
        .strip_suffix(')')?;
    let path = string_literal(arg.trim())?;
    Some(match path.strip_prefix("@site/static") {
        Some(rest) => rest.to_string(),
        None => path,
    })
}

/// A JavaScript string literal without interpolation.
fn string_literal(s: &str) -> Option<String> {
    let q = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = s.strip_prefix(q)?.strip_suffix(q)?;
    let interpolated = q == '`' && inner.contains("${");
    (!inner.contains(q) && !interpolated).then(|| inner.to_string())
}

/// A React style object (`color: 'red', fontSize: 12`) as CSS (`color: red; font-size: 12px`).
fn style(object: &str) -> Option<String> {
    let mut css = Vec::new();
    for entry in split_top_level(object) {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        let (key, value) = entry.split_once(':')?;
        let key = string_literal(key.trim()).unwrap_or_else(|| key.trim().to_string());
        let value = value.trim();
        let value = match string_literal(value) {
            Some(text) => text,
            None if value.parse::<f64>().is_ok() => {
                if value == "0" || UNITLESS.contains(&key.as_str()) {
                    value.to_string()
                } else {
                    format!("{value}px")
                }
            }
            None => return None,
        };
        css.push(format!("{}: {value}", kebab(&key)));
    }
    Some(css.join("; "))
}

/// React's style keys whose numbers take no `px`.
const UNITLESS: &[&str] = &[
    "opacity",
    "zIndex",
    "fontWeight",
    "lineHeight",
    "flex",
    "flexGrow",
    "flexShrink",
    "order",
    "zoom",
    "aspectRatio",
];

fn kebab(key: &str) -> String {
    if key.starts_with("--") {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits an object's body at top-level commas.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsx_attributes_become_html() {
        let (line, dropped) = rewrite(
            "<div className=\"card\" style={{ fontSize: 12, color: 'red', opacity: 0.5 }} onClick={() => go()}>x</div>",
        )
        .unwrap();
        assert_eq!(
            line,
            "<div class=\"card\" style=\"font-size: 12px; color: red; opacity: 0.5\">x</div>"
        );
        assert_eq!(dropped, ["onClick"]);
        let (line, _) = rewrite(
            "<img src={require('@site/static/img/robot.png').default} alt=\"Robot\" width={300} />",
        )
        .unwrap();
        assert_eq!(
            line,
            "<img src=\"/img/robot.png\" alt=\"Robot\" width=\"300\" />"
        );
        let (line, _) = rewrite("<p><img src={useBaseUrl(\"/img/a.svg\")} /></p>").unwrap();
        assert_eq!(line, "<p><img src=\"/img/a.svg\" /></p>");
        assert_eq!(rewrite("<a href=\"x\">plain</a>"), None);
        assert_eq!(
            rewrite("a <Quiz x={1} /> component"),
            None,
            "components are not ours"
        );
    }
}
