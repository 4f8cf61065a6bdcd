//! The math pass: `$…$` and `$$…$$` become MathML (math-core), read the way remark-math
//! reads them where pulldown-cmark's math events differ:
//! - `$$…$$` is a display formula only when the dollars stand on lines of their own; inside
//!   a line it is inline, as remark-math 6 renders it;
//! - `$ x $` (a space inside both dollars) is a formula, which pulldown-cmark leaves as text;
//! - a formula whose closing `$` is followed by a digit (`US$5 and US$10`) stays text, so a
//!   price is not mangled (remark-math would take it; pulldown-cmark does).
//!
//! A formula math-core cannot read is shown as written, in `<code class="math-error">`, with
//! a warning at the place it fails.

use super::Spanned;
use crate::html::escape;
use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;
use std::sync::OnceLock;

/// A formula that does not parse: where (an offset in the parsed text) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadFormula {
    pub offset: usize,
    pub message: String,
}

/// What the pass found on a page.
#[derive(Debug, Default)]
pub(crate) struct MathFound {
    /// Formulas rendered (the page then needs the math font).
    pub formulas: usize,
    pub bad: Vec<BadFormula>,
}

/// The converter, made once per process (it holds no per-formula state).
fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        LatexToMathML::new(MathCoreConfig::default()).unwrap_or_else(|_| LatexToMathML::default())
    })
}

/// Replaces the math events (and `$ x $` in text) with MathML. `text` is the parsed source.
pub(crate) fn render<'e>(events: Vec<Spanned<'e>>, text: &str) -> (Vec<Spanned<'e>>, MathFound) {
    let mut found = MathFound::default();
    let mut out: Vec<Spanned<'e>> = Vec::with_capacity(events.len());
    let mut run: Vec<Spanned<'e>> = Vec::new();
    let mut in_image = 0usize;
    for (event, range) in events {
        if let Event::Text(_) = event {
            if in_image == 0 {
                run.push((event, range));
                continue;
            }
        }
        flush_text(&mut run, text, &mut out, &mut found);
        match event {
            Event::Start(Tag::Image { .. }) => {
                in_image += 1;
                out.push((event, range));
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                out.push((event, range));
            }
            Event::InlineMath(tex) => {
                let source = text.get(range.clone()).unwrap_or("");
                let next = text[range.end..].chars().next();
                if next.is_some_and(|c| c.is_ascii_digit()) {
                    out.push((Event::Text(CowStr::from(source.to_string())), range));
                } else {
                    let html = formula(&tex, source, range.start, 1, false, &mut found);
                    out.push((Event::InlineHtml(CowStr::from(html)), range));
                }
            }
            Event::DisplayMath(tex) => {
                let source = text.get(range.clone()).unwrap_or("");
                let block = on_own_lines(text, &range);
                let html = formula(&tex, source, range.start, 2, block, &mut found);
                out.push((Event::InlineHtml(CowStr::from(html)), range));
            }
            other => out.push((other, range)),
        }
    }
    flush_text(&mut run, text, &mut out, &mut found);
    (out, found)
}

/// True when a `$$` formula's dollars stand on lines of their own (remark-math's math
/// block): nothing but spaces (or a container's `>`) before the opening `$$` on its line,
/// nothing after it, and nothing but spaces after the closing one.
fn on_own_lines(text: &str, range: &Range<usize>) -> bool {
    let Some(source) = text.get(range.clone()) else {
        return false;
    };
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..range.start];
    let opens_line = before.chars().all(|c| c == ' ' || c == '\t' || c == '>');
    let after_open = source[2..].split('\n').next().unwrap_or("");
    let rest_of_line = text[range.end..].split('\n').next().unwrap_or("");
    opens_line
        && source.len() > 4
        && after_open.trim().is_empty()
        && source.contains('\n')
        && rest_of_line.trim().is_empty()
}

/// One formula's HTML: MathML, or the source as written when it does not parse.
/// `start` is the formula's offset in the text and `dollars` the opening delimiter's length.
fn formula(
    tex: &str,
    source: &str,
    start: usize,
    dollars: usize,
    block: bool,
    found: &mut MathFound,
) -> String {
    let display = if block {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    match converter().convert_with_local_state(tex, display) {
        Ok(result) => {
            found.formulas += 1;
            if block {
                format!(
                    "<span class=\"math-display\" tabindex=\"0\" role=\"region\" aria-label=\"Formula\">{}</span>",
                    result.mathml
                )
            } else {
                result.mathml
            }
        }
        Err(e) => {
            // The TeX stands in the source right after the dollars, unless a container's
            // prefix (`> `) was taken out of it: then point at the formula itself.
            let inner = source.get(dollars..).unwrap_or("");
            let offset = if inner.starts_with(tex) {
                start
                    + dollars
                    + (0..=e.0.start.min(tex.len()))
                        .rev()
                        .find(|&i| tex.is_char_boundary(i))
                        .unwrap_or(0)
            } else {
                start
            };
            found.bad.push(BadFormula {
                offset,
                message: format!(
                    "formula does not parse: {}; it is shown as written",
                    e.error_message()
                ),
            });
            let code = format!("<code class=\"math-error\">{}</code>", escape(source));
            if block {
                format!("<span class=\"math-display\">{code}</span>")
            } else {
                code
            }
        }
    }
}

/// Ends a run of text events: `$ x $` formulas in it (which pulldown-cmark leaves as text)
/// become MathML; the rest is passed on unchanged.
fn flush_text<'e>(
    run: &mut Vec<Spanned<'e>>,
    text: &str,
    out: &mut Vec<Spanned<'e>>,
    found: &mut MathFound,
) {
    if run.is_empty() {
        return;
    }
    let events = std::mem::take(run);
    let start = events[0].1.start;
    let end = events[events.len() - 1].1.end;
    let pairs = match text.get(start..end) {
        Some(source) if source.contains('$') => padded_pairs(source, start),
        _ => Vec::new(),
    };
    if pairs.is_empty() || !splittable(&events, &pairs, text) {
        out.extend(events);
        return;
    }
    let mut pairs = pairs.into_iter().peekable();
    for (event, range) in events {
        let mut at = range.start;
        while let Some(pair) = pairs.peek().filter(|p| p.start < range.end).cloned() {
            if pair.start > at {
                out.push((text_event(&text[at..pair.start]), at..pair.start));
            }
            if pair.end > range.end {
                // The formula goes on in a later event, which emits it.
                at = range.end;
                break;
            }
            let source = &text[pair.clone()];
            let (dollars, tex) = inner(source);
            let html = formula(tex, source, pair.start, dollars, false, found);
            out.push((Event::InlineHtml(CowStr::from(html)), pair.clone()));
            at = pair.end;
            pairs.next();
        }
        if at == range.start {
            out.push((event, range));
        } else if at < range.end {
            out.push((text_event(&text[at..range.end]), at..range.end));
        }
    }
}

fn text_event<'e>(s: &str) -> Event<'e> {
    Event::Text(CowStr::from(s.to_string()))
}

/// The opening dollars' length and the TeX between the dollars.
fn inner(source: &str) -> (usize, &str) {
    let dollars = source.len() - source.trim_start_matches('$').len();
    (dollars, &source[dollars..source.len() - dollars])
}

/// A pair may only start and end in events whose text is their source (no escape or entity
/// was decoded in them), so that offsets in the source are offsets in the text.
fn splittable(events: &[Spanned<'_>], pairs: &[Range<usize>], text: &str) -> bool {
    let verbatim = |offset: usize| {
        events.iter().any(|(e, r)| {
            r.contains(&offset) && matches!(e, Event::Text(t) if text.get(r.clone()) == Some(&**t))
        })
    };
    pairs
        .iter()
        .all(|p| verbatim(p.start) && verbatim(p.end - 1))
}

/// remark-math's pairing over a run of source text: a run of one or two unescaped `$`
/// opens, the next run of the same length closes. Only the pairs pulldown-cmark refused
/// and remark-math takes with a space inside both ends (`$ x $`) are returned, as ranges
/// of the text (`base` is the run's offset).
fn padded_pairs(source: &str, base: usize) -> Vec<Range<usize>> {
    let bytes = source.as_bytes();
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' => {
                let s = i;
                while i < bytes.len() && bytes[i] == b'$' {
                    i += 1;
                }
                runs.push(s..i);
            }
            _ => i += 1,
        }
    }
    let mut pairs = Vec::new();
    let mut r = 0;
    while r < runs.len() {
        let open = runs[r].clone();
        let len = open.len();
        let close = (r + 1..runs.len()).find(|&c| runs[c].len() == len);
        match close {
            Some(c) if len <= 2 => {
                let content = &source[open.end..runs[c].start];
                let padded = content.starts_with([' ', '\t'])
                    && content.ends_with([' ', '\t'])
                    && !content.trim().is_empty();
                if padded {
                    pairs.push(base + open.start..base + runs[c].end);
                }
                r = c + 1;
            }
            _ => r += 1,
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn html(md: &str) -> (String, MathFound) {
        let opts = super::super::options(true);
        let events: Vec<Spanned<'_>> = Parser::new_ext(md, opts).into_offset_iter().collect();
        let (events, found) = render(events, md);
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, events.into_iter().map(|(e, _)| e));
        (s, found)
    }

    #[test]
    fn inline_and_display() {
        let (h, f) = html("Let $x^2$ be.\n\n$$\n\\frac{a}{b}\n$$\n");
        assert_eq!(f.formulas, 2);
        assert!(h.contains("<p>Let <math><msup>"), "{h}");
        assert!(
            h.contains("aria-label=\"Formula\"><math display=\"block\">"),
            "{h}"
        );
        assert!(h.contains("<mfrac>"), "{h}");
    }

    #[test]
    fn dollars_inside_a_line_are_inline_as_in_remark() {
        let (h, f) = html("so $$x^2$$ is inline\n\n$$y$$\n");
        assert_eq!(f.formulas, 2);
        assert!(!h.contains("display=\"block\""), "{h}");
        assert!(!h.contains("math-display"), "{h}");
    }

    #[test]
    fn padded_formulas_are_math_as_in_remark() {
        let (h, f) = html("map $ f: A\\to B $ and $ y $, not $x $.\n");
        assert_eq!(f.formulas, 2, "{h}");
        assert!(h.contains("<mi>f</mi>") && h.contains("→"), "{h}");
        assert!(h.contains(", not $x $."), "{h}");
    }

    #[test]
    fn prices_stay_text() {
        for md in [
            "It costs $5, or $10 with shipping.",
            "$5 and $10",
            "US$5 and US$10",
            "~$1,800 - $3,000",
            "\\$5 and \\$x\\$",
        ] {
            let (h, f) = html(md);
            assert_eq!(f.formulas, 0, "{md}: {h}");
            assert!(!h.contains("<math"), "{md}: {h}");
        }
        let (h, _) = html("US$5 and US$10");
        assert!(h.contains("US$5 and US$10"), "{h}");
        let (h, _) = html("\\$5 and \\$ x \\$");
        assert!(h.contains("$5 and $ x $"), "{h}");
    }

    #[test]
    fn code_keeps_its_dollars() {
        let (h, f) = html("`$x$` and `$ y $`\n");
        assert_eq!(f.formulas, 0);
        assert!(h.contains("<code>$x$</code>"), "{h}");
    }

    #[test]
    fn bad_formula_is_shown_as_written_at_its_place() {
        let md = "ok $\\sqrt{x} + \\nope{y}$ then\n\n$$\n\\begin{x}\n$$\n";
        let (h, f) = html(md);
        assert!(
            h.contains("<code class=\"math-error\">$\\sqrt{x} + \\nope{y}$</code>"),
            "{h}"
        );
        assert!(
            h.contains("<span class=\"math-display\"><code class=\"math-error\">$$\n\\begin{x}\n$$</code></span>"),
            "{h}"
        );
        assert_eq!(f.bad.len(), 2, "{:?}", f.bad);
        assert_eq!(
            &md[f.bad[0].offset..f.bad[0].offset + 5],
            "\\nope",
            "{:?}",
            f.bad
        );
        assert!(f.bad[0].message.starts_with("formula does not parse: "));
        assert!(f.bad[1].offset > md.find("$$").unwrap(), "{:?}", f.bad);
    }

    #[test]
    fn text_in_formulas_is_escaped() {
        let (h, _) = html("$\\text{<script>}$ and $ x<y $");
        assert!(
            !h.contains("<script>") && h.contains("<mo>&lt;</mo>"),
            "{h}"
        );
    }
}
