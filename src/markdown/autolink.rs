//! GFM autolink literals, as Docusaurus (remark-gfm) links them: `https://…` and `http://…`
//! URLs, `www.` addresses and e-mail addresses in text become links. Not inside links,
//! images or code. pulldown-cmark has no option for this, so it is a pass over Text events.

use super::Spanned;
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// Links the URLs, `www.` addresses and e-mail addresses in text.
pub(crate) fn link_literals(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    if !events.iter().any(|(e, _)| match e {
        Event::Text(t) => t.contains("://") || t.contains("www.") || t.contains('@'),
        _ => false,
    }) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    // Depth of links, images and code blocks around the current event.
    let mut inside = 0usize;
    let mut iter = events.into_iter().peekable();
    while let Some((event, range)) = iter.next() {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                inside = inside.saturating_sub(1)
            }
            _ => {}
        }
        let Event::Text(text) = &event else {
            out.push((event, range));
            continue;
        };
        if inside > 0 {
            out.push((event, range));
            continue;
        }
        // pulldown-cmark may split a run of text; join it so a URL is seen whole.
        let mut joined = text.to_string();
        let mut end = range.end;
        while let Some((Event::Text(next), r)) = iter.peek() {
            joined.push_str(next);
            end = r.end;
            iter.next();
        }
        let range = range.start..end;
        let found = find_all(&joined);
        if found.is_empty() {
            out.push((Event::Text(CowStr::from(joined)), range));
            continue;
        }
        let mut at = 0;
        for (start, stop, kind) in found {
            if start > at {
                out.push((
                    Event::Text(CowStr::from(joined[at..start].to_string())),
                    range.clone(),
                ));
            }
            let literal = &joined[start..stop];
            let (href, link_type) = match kind {
                Kind::Url => (literal.to_string(), LinkType::Autolink),
                Kind::Www => (format!("http://{literal}"), LinkType::Autolink),
                // The HTML writer adds `mailto:` to an e-mail link.
                Kind::Email => (literal.to_string(), LinkType::Email),
            };
            out.push((
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title: CowStr::from(""),
                    id: CowStr::from(""),
                }),
                range.clone(),
            ));
            out.push((
                Event::Text(CowStr::from(literal.to_string())),
                range.clone(),
            ));
            out.push((Event::End(TagEnd::Link), range.clone()));
            at = stop;
        }
        if at < joined.len() {
            out.push((Event::Text(CowStr::from(joined[at..].to_string())), range));
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Url,
    Www,
    Email,
}

/// (start, end, kind) of every autolink literal in `text`, in order.
fn find_all(text: &str) -> Vec<(usize, usize, Kind)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A literal starts at the text's start or after a space or `(`, `*`, `_`, `~`, `"`.
        let boundary = i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b'(' | b'*' | b'_' | b'~' | b'"' | b'\''
            );
        if boundary {
            let rest = &text[i..];
            let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
            let scheme = if lower.starts_with("https://") {
                Some(8)
            } else if lower.starts_with("http://") {
                Some(7)
            } else {
                None
            };
            if let Some(skip) = scheme {
                if let Some(end) = url_end(text, i + skip, true) {
                    found.push((i, end, Kind::Url));
                    i = end;
                    continue;
                }
            } else if lower.starts_with("www.") {
                if let Some(end) = url_end(text, i, false) {
                    found.push((i, end, Kind::Www));
                    i = end;
                    continue;
                }
            }
        }
        if bytes[i] == b'@' {
            if let Some((start, end)) = email_around(text, i) {
                // Drop a text-literal overlap (cannot happen after a URL: it ended before).
                if found.last().is_none_or(|&(_, e, _)| e <= start) {
                    found.push((start, end, Kind::Email));
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// The end of a URL whose domain starts at `domain`: a valid domain (two labels or more for
/// `www.`, `short` allows one, as `http://localhost`), then any characters up to a space or
/// `<`, less trailing punctuation and unbalanced `)`.
fn url_end(text: &str, domain: usize, short: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut d = domain;
    while d < bytes.len()
        && (bytes[d].is_ascii_alphanumeric()
            || matches!(bytes[d], b'-' | b'_' | b'.')
            || bytes[d] >= 0x80)
    {
        d += 1;
    }
    let host = &text[domain..d];
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let valid = !host.is_empty()
        && (short || labels.len() >= 2)
        && labels.iter().all(|l| !l.is_empty())
        && labels.iter().rev().take(2).all(|l| !l.contains('_'));
    if !valid {
        return None;
    }
    let mut end = d;
    while end < bytes.len() && !bytes[end].is_ascii_whitespace() && bytes[end] != b'<' {
        end += 1;
    }
    // Trailing punctuation is not part of the link; nor is a `)` without its `(`.
    while let Some(&last) = bytes[..end].last() {
        if matches!(
            last,
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"'
        ) {
            end -= 1;
        } else if last == b')' {
            let span = &text[domain..end];
            if span.matches(')').count() > span.matches('(').count() {
                end -= 1;
            } else {
                break;
            }
        } else if last == b';' {
            // An entity reference `&amp;` at the end is not part of it.
            match text[domain..end].rfind('&') {
                Some(amp)
                    if text[domain + amp + 1..end - 1]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric()) =>
                {
                    end = domain + amp
                }
                _ => break,
            }
        } else {
            break;
        }
    }
    (end > domain).then_some(end)
}

/// An e-mail address around the `@` at `at`: `local@domain.tld`.
fn email_around(text: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut start = at;
    while start > 0
        && (bytes[start - 1].is_ascii_alphanumeric()
            || matches!(bytes[start - 1], b'.' | b'-' | b'_' | b'+'))
    {
        start -= 1;
    }
    if start == at || (start > 0 && bytes[start - 1] == b'/') {
        return None;
    }
    let mut end = at + 1;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-' | b'_'))
    {
        end += 1;
    }
    while end > at + 1 && bytes[end - 1] == b'.' {
        end -= 1;
    }
    let domain = &text[at + 1..end];
    if !domain.contains('.') || domain.ends_with(['-', '_']) || domain.split('.').any(str::is_empty)
    {
        return None;
    }
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<&str> {
        find_all(text)
            .into_iter()
            .map(|(s, e, _)| &text[s..e])
            .collect()
    }

    #[test]
    fn finds_urls_www_and_email_as_gfm_does() {
        assert_eq!(
            links("Open http://localhost:8000/docs now."),
            ["http://localhost:8000/docs"]
        );
        assert_eq!(
            links("(see https://example.com/a_(b))."),
            ["https://example.com/a_(b)"]
        );
        assert_eq!(links("Visit www.example.com, or"), ["www.example.com"]);
        assert_eq!(
            links("Mail me: jo.doe+x@mail.example.org."),
            ["jo.doe+x@mail.example.org"]
        );
        assert_eq!(links("https://a.b/c?q=1&amp;"), ["https://a.b/c?q=1"]);
        assert!(links("no link: a@b, x@y.z_, www., http://").is_empty());
        assert!(
            links("path/https://x.y").is_empty(),
            "not after a letter or `/`"
        );
    }

    #[test]
    fn links_text_but_not_links_or_code() {
        let md = "Go to http://localhost:8000/docs and [www.x.com](https://y.z).\n\n```\nhttp://code.example\n```\n\n`http://inline.example`\n";
        let events: Vec<Spanned<'_>> = pulldown_cmark::Parser::new(md).into_offset_iter().collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            link_literals(events).into_iter().map(|(e, _)| e),
        );
        assert!(
            html.contains(
                "<a href=\"http://localhost:8000/docs\">http://localhost:8000/docs</a> and"
            ),
            "{html}"
        );
        assert_eq!(html.matches("<a ").count(), 2, "{html}");
    }
}
