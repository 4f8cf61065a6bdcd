//! A rendered page body read back as text, split into sections at its h1–h3 headings: the
//! text a reader sees (code included), without widgets, heading anchors and quizzes.

use std::borrow::Cow;

/// One part of a page: the text before the first heading, or a heading and what follows it
/// up to the next h1–h3.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Section {
    /// The heading's id; empty for the part before the first heading.
    pub(super) anchor: String,
    pub(super) heading: String,
    /// h4–h6 text inside the section (also part of `text`).
    pub(super) subheadings: String,
    /// Everything else, code included, with its whitespace as it was (see `collapse`).
    pub(super) text: String,
}

/// Elements whose content is not page text: widgets, icons, heading anchors, quiz answers.
fn skipped(name: &str, attrs: &str) -> bool {
    match name {
        "script" | "style" | "svg" | "button" | "template" | "noscript" | "iframe" | "select" => {
            true
        }
        "section" => has_class(attrs, "quiz"),
        "details" => has_class(attrs, "quiz-answer"),
        "a" => has_class(attrs, "anchor"),
        _ => false,
    }
}

/// Elements that separate words.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "pre"
            | "blockquote"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figure"
            | "figcaption"
            | "section"
            | "article"
            | "aside"
            | "details"
            | "summary"
            | "fieldset"
            | "legend"
            | "img"
            | "input"
            | "label"
            | "caption"
    )
}

const VOID: [&str; 8] = ["br", "hr", "img", "input", "meta", "link", "source", "wbr"];

fn has_class(attrs: &str, class: &str) -> bool {
    attr(attrs, "class").is_some_and(|v| v.split_ascii_whitespace().any(|c| c == class))
}

/// The value of attribute `name` in a tag's attribute text.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = &rest[..end];
        rest = rest[end..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = v;
            rest = tail;
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
}

/// Where text goes while the scanner walks a page.
#[derive(Clone, Copy, PartialEq)]
enum Into_ {
    Text,
    Heading,
    Subheading,
}

/// Splits a rendered page body into sections at h1–h3 headings that have an id, keeping the
/// text a reader sees (code included) and leaving out widgets and quizzes.
pub(super) fn sections(html: &str) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut into = Into_::Text;
    // (element name, nesting depth) of the element being skipped, if any.
    let mut skip: Option<(String, usize)> = None;
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let next = match skip {
            Some(_) => memchr::memchr(b'<', &bytes[at..]),
            None => memchr::memchr2(b'<', b'&', &bytes[at..]),
        };
        let Some(i) = next.map(|n| at + n) else {
            if skip.is_none() {
                push_text(out.last_mut().unwrap(), into, &html[at..]);
            }
            break;
        };
        if skip.is_none() {
            push_text(out.last_mut().unwrap(), into, &html[at..i]);
        }
        let rest = &html[i..];
        // Highlighted code is mostly spans, which change nothing here.
        if rest.starts_with("</span>") {
            at = i + 7;
            continue;
        }
        if bytes[i] == b'&' {
            let section = out.last_mut().unwrap();
            match entity(rest) {
                Some((c, len)) => {
                    push_text(section, into, c.encode_utf8(&mut [0; 4]));
                    at = i + len;
                }
                None => {
                    push_text(section, into, "&");
                    at = i + 1;
                }
            }
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment.find("-->").map_or(html.len(), |e| i + 4 + e + 3);
            continue;
        }
        let Some((tag, after)) = split_tag(rest) else {
            // A lone `<`: text.
            if skip.is_none() {
                push_text(out.last_mut().unwrap(), into, "<");
            }
            at = i + 1;
            continue;
        };
        at = html.len() - after.len();
        // Highlighted code is mostly spans, which change nothing here.
        if tag == "/span" || tag.starts_with("span ") {
            continue;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_end = body
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(body.len());
        let name = &body[..name_end];
        let name: Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        let name = name.as_ref();
        let attrs = &body[name_end..];
        let void = VOID.contains(&name) || tag.ends_with('/');
        if let Some((skipping, depth)) = &mut skip {
            if *skipping == name && !void {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && skipped(name, attrs) {
            if !void {
                skip = Some((name.to_string(), 1));
            }
            continue;
        }
        let section = out.last_mut().unwrap();
        if is_block(name) {
            push_text(section, into, " ");
        }
        match (name, closing) {
            ("h1" | "h2" | "h3", false) => match attr(attrs, "id").filter(|id| !id.is_empty()) {
                Some(id) => {
                    out.push(Section {
                        anchor: decode_entities(id).into_owned(),
                        ..Section::default()
                    });
                    into = Into_::Heading;
                }
                None => into = Into_::Subheading,
            },
            ("h4" | "h5" | "h6", false) => into = Into_::Subheading,
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => into = Into_::Text,
            _ => {}
        }
    }
    for s in &mut out {
        for field in [&mut s.heading, &mut s.subheadings] {
            *field = collapse(field);
        }
    }
    out
}

/// Splits `<…>` off the front of `s` (quoted `>` included), or `None` if `s` does not start a
/// tag.
fn split_tag(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('<')?;
    let first = inner.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!' || first == '?') {
        return None;
    }
    // Most tags hold no `>` in a quoted value: find the first `>`, then check the quotes.
    if let Some(end) = memchr::memchr(b'>', inner.as_bytes()) {
        let tag = &inner.as_bytes()[..end];
        let balanced = memchr::memchr(b'\'', tag).is_none()
            && memchr::memchr_iter(b'"', tag).count().is_multiple_of(2);
        if balanced {
            return Some((&inner[..end], &inner[end + 1..]));
        }
    }
    let mut quote = None;
    for (i, &b) in inner.as_bytes().iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some((&inner[..i], &inner[i + 1..])),
            _ => {}
        }
    }
    Some((inner, ""))
}

fn push_text(section: &mut Section, into: Into_, text: &str) {
    match into {
        Into_::Heading => section.heading.push_str(text),
        Into_::Subheading => {
            section.subheadings.push_str(text);
            section.text.push_str(text);
        }
        Into_::Text => section.text.push_str(text),
    }
}

/// `text` with runs of ASCII whitespace made one space, and none at either end.
pub(super) fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The character an entity at the start of `s` stands for, and the entity's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let c = match &s[1..end] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        name => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            };
            char::from_u32(code?)?
        }
    };
    Some((c, end + 1))
}

/// Decodes the entities in an attribute value.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (c, len) = entity(rest).unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::site::search) const LESSON: &str = concat!(
        "<p>Intro about layers.</p>\n",
        "<h2 id=\"build-cache\">Build cache<a class=\"anchor\" href=\"#build-cache\" aria-hidden=\"true\">#</a></h2>\n",
        "<p>The <strong>cache</strong> makes rebuilds fast &amp; cheap.</p>\n",
        "<div class=\"code-block\"><pre class=\"code\"><code><span class=\"line\">RUN pip install uvicorn</span>\n",
        "<span class=\"line\">docker-compose up</span>\n</code></pre><button class=\"copy-button\">Copy</button></div>\n",
        "<h3 id=\"check\">Check</h3>\n",
        "<section class=\"quiz\" data-quiz><p class=\"quiz-title\">Quiz</p><form><fieldset><legend>Which flag?</legend><details class=\"quiz-answer\"><summary>Show answer</summary><p>secretanswer</p></details></fieldset></form></section>\n",
        "<details><summary>Hint</summary><p>Look at <code>--no-cache</code>.</p></details>\n",
        "<h4>Deeper</h4><p>More text.</p>",
    );

    #[test]
    fn sections_split_at_headings_with_ids() {
        let s = sections(LESSON);
        let anchors: Vec<&str> = s.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["", "build-cache", "check"]);
        assert_eq!(collapse(&s[0].text), "Intro about layers.");
        assert_eq!(s[1].heading, "Build cache", "the anchor's # is not text");
        assert_eq!(
            collapse(&s[1].text),
            "The cache makes rebuilds fast & cheap. RUN pip install uvicorn docker-compose up",
            "code is text; the copy button is not"
        );
        assert_eq!(s[2].heading, "Check");
        assert_eq!(s[2].subheadings, "Deeper");
        assert_eq!(
            collapse(&s[2].text),
            "Hint Look at --no-cache. Deeper More text."
        );
    }

    #[test]
    fn quizzes_and_their_answers_are_not_indexed() {
        let s = sections(LESSON);
        let all: String = s
            .iter()
            .map(|s| format!("{} {}", s.heading, s.text))
            .collect();
        assert!(
            !all.contains("secretanswer") && !all.contains("Which flag"),
            "{all}"
        );
        let stray = "<details class=\"quiz-answer\"><summary>Show</summary><p>answer42</p><details><p>x</p></details></details><p>after</p>";
        assert_eq!(collapse(&sections(stray)[0].text), "after");
    }
}
