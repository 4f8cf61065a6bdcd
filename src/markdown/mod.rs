//! Markdown to HTML: pulldown-cmark's event stream through small named passes
//! (directives, headings, code, links, tables), each testable on a string.

mod autolink;
mod block_cache;
pub(crate) mod code;
mod component_props;
pub(crate) mod contrast;
pub(crate) mod detect;
pub(crate) mod diagram;
pub(crate) mod directives;
pub(crate) mod headings;
pub(crate) mod highlight;
mod js_scan;
mod jsx_attrs;
pub(crate) mod lines;
pub(crate) mod links;
pub(crate) mod math;
pub(crate) mod mdx;
mod mdx_inline;
pub(crate) mod quiz;
#[cfg(test)]
mod syntax_tests;

use crate::content::PageId;
use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use headings::TocEntry;
use highlight::Highlighter;
use links::{LinkRef, Targets};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// An event and the byte range of the source it came from.
pub(crate) type Spanned<'a> = (Event<'a>, Range<usize>);

/// One doc to render.
pub(crate) struct DocInput<'a> {
    pub page: PageId,
    /// Path relative to the content dir (`01-a/02-b.md`), for resolving relative links.
    pub source_path: &'a str,
    /// Project-relative path for diagnostics (`content/01-a/02-b.md`).
    pub display_path: &'a str,
    pub body: &'a str,
    /// File line on which `body` starts.
    pub body_line: usize,
}

/// What rendering needs from the rest of the build.
pub(crate) struct Renderer<'a> {
    pub highlighter: &'a Highlighter,
    pub targets: &'a Targets<'a>,
    /// Severity of a link to a missing page or file.
    pub broken_links: Severity,
    /// False when only the diagnostics are wanted (`syllabus check`): code blocks are still
    /// checked (unclosed fences, unknown languages) but not highlighted, by far the costliest
    /// step of a build.
    pub code_html: bool,
    /// `[markdown] math`: `$…$` and `$$…$$` become formulas.
    pub math: bool,
    /// `[markdown] mermaid`: ```` ```mermaid ```` fences become diagrams, drawn by this.
    pub mermaid: bool,
    pub diagrams: &'a diagram::Diagrams,
    /// `[build] detect-code-language`: unlabelled blocks that are unmistakably a session, a
    /// Dockerfile or JSON are highlighted as such.
    pub detect_code_language: bool,
    /// The project's component templates (`templates/components/NAME.html`), if any.
    pub components: Option<&'a dyn Components>,
    /// The theme's words in the page's language, for the markup the passes write (quiz
    /// buttons, copy button, admonition titles …).
    pub strings: &'a dyn Words,
}

/// The theme's words in the page's language, by key (`site::i18n`'s catalogue, which
/// implements this: the passes sit below the site and do not know the catalogue).
pub(crate) trait Words: Sync {
    /// The text of `key` (a missing key reads as its name).
    fn word<'a>(&'a self, key: &'a str) -> &'a str;
}

/// The English words the passes' own tests read.
#[cfg(test)]
pub(crate) struct English;

#[cfg(test)]
impl Words for English {
    fn word<'a>(&'a self, key: &'a str) -> &'a str {
        match key {
            "copy" => "Copy",
            "copy_code" => "Copy code to clipboard",
            "quiz" => "Quiz",
            "quiz_check" => "Check answers",
            "quiz_reset" => "Try again",
            "quiz_select_all" => "Select all that apply.",
            "quiz_show_answer" => "Show answer",
            "quiz_answer" => "Answer:",
            "quiz_answers_label" => "Answers:",
            "quiz_source" => "Source:",
            "quiz_no_questions" => "This quiz has no questions.",
            "quiz_cannot_answer" => "This question cannot be answered: {problem}.",
            "quiz_problem_one_option" => "it has only one option",
            "quiz_problem_no_answer" => "it does not say which option is right",
            "quiz_problem_answer_not_an_option" => "the answer it gives is not one of its options",
            "table_n" => "Table {n}",
            "task_done" => "Done",
            "task_todo" => "To do",
            "diagram_n" => "Diagram {n}",
            "diagram_show_source" => "Show source",
            "diagram" => "Diagram",
            "diagram_flowchart" => "Flowchart",
            "admonition_note" => "Note",
            "admonition_tip" => "Tip",
            "admonition_warning" => "Warning",
            _ => key,
        }
    }
}

/// Renders a React component from a template of the project, without React.
pub(crate) trait Components: Sync {
    /// The HTML of component `name` with these props (a JSON object), or None when the
    /// project has no template for it; an error says what went wrong in the template.
    fn render(&self, name: &str, props: &serde_json::Value) -> Option<Result<String, String>>;
}

/// A link to another page with its position in the file, for the anchor check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct PageLink {
    pub target: PageId,
    pub anchor: Option<String>,
    pub line: usize,
    pub column: usize,
    pub written: String,
}

/// A doc rendered to HTML with what the rest of the build needs to know about it.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct RenderedDoc {
    pub html: String,
    /// The body's leading `# Heading` as inline HTML, shown as the page heading.
    pub heading: Option<String>,
    /// The first paragraph as plain text, cut at a word near 160 characters: the meta
    /// description of a page without `description:`.
    pub summary: Option<String>,
    pub toc: Vec<TocEntry>,
    /// Ids a link may target: headings and raw HTML `id`s.
    pub anchors: Vec<String>,
    pub links: Vec<PageLink>,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the page shows a formula (and so needs the math stylesheet and font).
    pub math: bool,
    /// True when the page shows a diagram (and so needs the diagram stylesheet).
    pub diagrams: bool,
    /// The number of quiz questions on the page.
    pub quiz_questions: usize,
}

/// Parser options: CommonMark plus GitHub's tables, footnotes, strikethrough, task lists
/// and `{#id}` heading attributes; with `math`, `$…$` and `$$…$$` too.
pub(crate) fn options(math: bool) -> Options {
    let math = if math {
        Options::ENABLE_MATH
    } else {
        Options::empty()
    };
    math | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// What the source passes give the event passes: the text to parse, the body line of each
/// of its lines, what the passes found, and the number of quiz questions.
type Expanded = (String, Vec<usize>, Vec<lines::Note>, usize);

/// The source passes: MDX syntax, quizzes, then directives.
fn expand_source(body: &str, components: Option<&dyn Components>, strings: &dyn Words) -> Expanded {
    let mut notes = Vec::new();
    let quick = !body.contains(":::")
        && !body.contains("\n::")
        && !body.contains('<')
        && !body.contains("/*")
        && !body.contains("import ")
        && !body.contains("export ");
    if quick {
        let map = (0..=body.matches('\n').count()).collect();
        return (body.to_string(), map, notes, 0);
    }
    let mut questions = 0;
    let expanded = directives::expand(
        quiz::expand(
            mdx::strip(lines::split(body), &mut notes, components),
            &mut notes,
            &mut questions,
            strings,
        ),
        &mut notes,
        strings,
    );
    let (text, map) = lines::join(&expanded);
    (text, map, notes, questions)
}

/// GitHub alerts (`> [!NOTE]`) render like the matching admonition.
fn alerts<'e>(events: Vec<Spanned<'e>>, strings: &dyn Words) -> Vec<Spanned<'e>> {
    use pulldown_cmark::BlockQuoteKind as K;
    let title = |k: &K| {
        let class = match k {
            K::Note => "note",
            K::Tip => "tip",
            K::Important => "important",
            K::Warning => "warning",
            K::Caution => "caution",
        };
        let label = crate::html::escape(strings.word(&format!("admonition_{class}")));
        (class, label)
    };
    events
        .into_iter()
        .map(|(event, range)| match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = title(&kind);
                let html = format!("<div class=\"admonition admonition-{class}\"><p class=\"admonition-title\">{label}</p><div class=\"admonition-content\">");
                (Event::Html(CowStr::from(html)), range)
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => (Event::Html(CowStr::from("</div></div>")), range),
            other => (other, range),
        })
        .collect()
}

/// Renders one doc through every pass.
pub(crate) fn render(doc: &DocInput<'_>, renderer: &Renderer<'_>) -> RenderedDoc {
    let (text, line_map, notes, quiz_questions) =
        expand_source(doc.body, renderer.components, renderer.strings);
    let text = text.as_str();
    let locate = Locator {
        index: LineIndex::new(text),
        text,
        line_map: &line_map,
        body_line: doc.body_line,
    };
    let mut diagnostics: Vec<Diagnostic> = notes
        .into_iter()
        .map(|n| Diagnostic {
            path: doc.display_path.to_string(),
            line: doc.body_line + n.src,
            column: n.column,
            severity: n.severity,
            message: n.message,
            help: n.help,
        })
        .collect();

    let events: Vec<Spanned<'_>> = Parser::new_ext(text, options(renderer.math))
        .into_offset_iter()
        .collect();
    let (events, headings) = headings::assign_ids(events);
    let mut diagrams = 0;
    let events = highlight_code(
        events,
        text,
        renderer,
        &locate,
        doc.display_path,
        &mut diagnostics,
        &mut diagrams,
    );
    let (events, math_found) = if renderer.math {
        math::render(events, text)
    } else {
        (events, math::MathFound::default())
    };
    for bad in &math_found.bad {
        let (line, column) = locate.position(bad.offset);
        diagnostics.push(
            Diagnostic::warning(doc.display_path, line, column, bad.message.clone())
                .with_help("fix the TeX, or write `\\$` for a dollar sign that is not math"),
        );
    }
    let (events, found) = links::rewrite(events, doc.page, doc.source_path, renderer.targets);
    let events = alerts(
        wrap_tables(autolink::link_literals(events), renderer.strings),
        renderer.strings,
    );

    for (offset, message) in &headings.skipped {
        let (line, column) = locate.position(*offset);
        diagnostics.push(
            Diagnostic::warning(doc.display_path, line, column, message.clone()).with_help(
                "screen-reader users navigate by heading level; use the next level down",
            ),
        );
    }
    for offset in images_without_alt(&events) {
        let (line, column) = locate.position(offset);
        diagnostics.push(
            Diagnostic::warning(doc.display_path, line, column, "image has no alt text")
                .with_help("describe the image: ![What the diagram shows](./img/diagram.svg)"),
        );
    }
    let mut anchors = headings.ids;
    anchors.extend(html_ids(&events));
    for broken in found.broken {
        let (line, column) = locate.position(broken.offset);
        let mut d = Diagnostic {
            path: doc.display_path.to_string(),
            line,
            column,
            severity: if broken.warn_only {
                Severity::Warning
            } else {
                renderer.broken_links
            },
            message: broken.message,
            help: None,
        };
        if let Some(h) = broken.help {
            d = d.with_help(h);
        }
        diagnostics.push(d);
    }
    let links = found.links.into_iter().map(|l: LinkRef| {
        let (line, column) = locate.position(l.offset);
        PageLink {
            target: l.page,
            anchor: l.anchor,
            line,
            column,
            written: l.written,
        }
    });
    let summary = first_paragraph(&events);
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    RenderedDoc {
        html,
        heading: headings.title_html,
        summary,
        toc: headings.toc,
        anchors,
        links: links.collect(),
        diagnostics,
        math: math_found.formulas > 0,
        diagrams: diagrams > 0,
        quiz_questions,
    }
}

/// The text of the first paragraph that has some, cut at a word boundary near 160
/// characters (with "…").
fn first_paragraph(events: &[Spanned<'_>]) -> Option<String> {
    const MAX: usize = 160;
    let mut at = 0;
    while let Some(start) = events[at..]
        .iter()
        .position(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))
    {
        let start = at + start + 1;
        let end = events[start..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
            .map_or(events.len(), |e| start + e);
        let text = headings::plain_text(&events[start..end]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            if text.chars().count() <= MAX {
                return Some(text);
            }
            let cut: String = text.chars().take(MAX).collect();
            let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
            return Some(format!("{}…", cut.trim_end_matches([',', ';', ':', '.'])));
        }
        at = end;
    }
    None
}

/// Turns offsets in the expanded text into file positions.
struct Locator<'a> {
    index: LineIndex,
    text: &'a str,
    line_map: &'a [usize],
    body_line: usize,
}

impl Locator<'_> {
    fn position(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self.index.position(self.text, offset);
        let source_line = self.line_map.get(line - 1).copied().unwrap_or(line - 1);
        (self.body_line + source_line, column)
    }
}

/// The code pass: fenced and indented blocks become highlighted HTML, and with `mermaid`,
/// Mermaid fences become diagrams (counted in `diagrams`); without `code_html`, blocks are
/// checked and dropped.
fn highlight_code<'e>(
    events: Vec<Spanned<'e>>,
    text: &str,
    renderer: &Renderer<'_>,
    locate: &Locator<'_>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
    diagrams: &mut usize,
) -> Vec<Spanned<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some((event, range)) = iter.next() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            out.push((event, range));
            continue;
        };
        let mut code = String::new();
        for (e, _) in iter.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        let info = match &kind {
            CodeBlockKind::Fenced(info) => code::parse_info(info),
            CodeBlockKind::Indented => code::FenceInfo::default(),
        };
        let info = if renderer.detect_code_language && info.lang.is_empty() {
            detect::detect(info, &code)
        } else {
            info
        };
        let highlighter = renderer.highlighter;
        let (line, _) = locate.position(range.start);
        if matches!(kind, CodeBlockKind::Fenced(_)) && !fence_closed(&text[range.clone()]) {
            diagnostics.push(
                Diagnostic::warning(
                    path,
                    line,
                    1,
                    "code fence is never closed; the rest of the file is shown as code",
                )
                .with_help("add a closing ``` line after the code"),
            );
        }
        if renderer.mermaid && info.lang == "mermaid" && matches!(kind, CodeBlockKind::Fenced(_)) {
            if let Some(html) = diagram_block(&code, line, renderer, path, diagnostics, diagrams) {
                out.push((Event::Html(CowStr::from(html)), range));
                continue;
            }
        }
        if !info.lang.is_empty() && !code::is_session(&info.lang) && !highlighter.knows(&info.lang)
        {
            diagnostics.push(
                Diagnostic::warning(path, line, 1, format!("unknown code language `{}`; the block is shown as plain text", info.lang))
                    .with_help("use a known language such as python, bash, console, dockerfile, yaml, toml, json or text"),
            );
        }
        let html = if renderer.code_html {
            code::render(&info, &code, highlighter, renderer.strings)
        } else {
            // Not empty: a page of only code is not an empty page.
            "<pre></pre>".to_string()
        };
        out.push((Event::Html(CowStr::from(html)), range));
    }
    out
}

/// A Mermaid fence's figure, or None (with a warning at the line of the problem) when the
/// diagram cannot be drawn and is shown as code. `line` is the fence's line.
fn diagram_block(
    code: &str,
    line: usize,
    renderer: &Renderer<'_>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
    diagrams: &mut usize,
) -> Option<String> {
    match renderer.diagrams.svg(code).as_ref() {
        Ok(svg) => {
            *diagrams += 1;
            Some(if renderer.code_html {
                diagram::figure(svg, code, *diagrams, renderer.strings)
            } else {
                "<pre></pre>".to_string()
            })
        }
        Err(bad) => {
            diagnostics.push(
                Diagnostic::warning(
                    path,
                    line + bad.line,
                    1,
                    format!(
                        "mermaid diagram does not parse: {}; it is shown as code",
                        bad.message
                    ),
                )
                .with_help("fix the diagram (https://mermaid.js.org/intro/syntax-reference.html), or label the fence `text` to show it as code"),
            );
            None
        }
    }
}

/// True when a fenced block's source ends with a closing fence.
fn fence_closed(block: &str) -> bool {
    let first = block.trim_start();
    let ch = first.chars().next().unwrap_or('`');
    let len = first.chars().take_while(|&c| c == ch).count();
    let mut lines = block.trim_end_matches('\n').lines();
    lines.next();
    lines.last().is_some_and(|last| {
        let t = last.trim();
        t.chars().take_while(|&c| c == ch).count() >= len && t.trim_start_matches(ch).is_empty()
    })
}

/// The tables pass: wraps each table so it scrolls inside its own box on narrow screens, a
/// focusable region labelled "Table N" (unique on the page; the script drops the region from
/// tables that fit), and labels task-list checkboxes for screen readers.
fn wrap_tables<'e>(events: Vec<Spanned<'e>>, strings: &dyn Words) -> Vec<Spanned<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut tables = 0;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::Table(_)) => {
                tables += 1;
                out.push((
                    Event::Html(CowStr::from(format!("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">", crate::html::escape(&strings.word("table_n").replace("{n}", &tables.to_string()))))),
                    range.clone(),
                ));
                out.push((event, range));
            }
            Event::TaskListMarker(done) => {
                let (checked, label) = if *done {
                    (" checked", strings.word("task_done"))
                } else {
                    ("", strings.word("task_todo"))
                };
                let label = crate::html::escape(label);
                let html =
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ");
                out.push((Event::InlineHtml(CowStr::from(html)), range));
            }
            Event::End(TagEnd::Table) => {
                out.push((event, range.clone()));
                out.push((Event::Html(CowStr::from("</div>")), range));
            }
            _ => out.push((event, range)),
        }
    }
    out
}

/// Offsets of Markdown images whose alt text is empty.
fn images_without_alt(events: &[Spanned<'_>]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut open: Option<(usize, bool)> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Image { .. }) => open = Some((range.start, false)),
            Event::Text(t) | Event::Code(t) if open.is_some() && !t.trim().is_empty() => {
                if let Some((_, has_text)) = open.as_mut() {
                    *has_text = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, false)) = open.take() {
                    found.push(at);
                }
            }
            _ => {}
        }
    }
    found
}

/// `id="…"` attributes in raw HTML, which links may target too.
fn html_ids(events: &[Spanned<'_>]) -> Vec<String> {
    let mut ids = Vec::new();
    for (e, _) in events {
        if let Event::Html(h) | Event::InlineHtml(h) = e {
            attribute_values(h, " id=", &mut ids);
            // `<a name="x">`, an anchor in HTML (and for Docusaurus' link checker).
            let mut rest: &str = h;
            while let Some(i) = rest.find("<a ") {
                let tag = &rest[i..];
                let end = tag.find('>').unwrap_or(tag.len());
                attribute_values(&tag[..end], " name=", &mut ids);
                rest = &tag[end..];
            }
        }
    }
    ids
}

/// The quoted values of an attribute (`" id="`) in some HTML.
fn attribute_values(html: &str, attribute: &str, out: &mut Vec<String>) {
    let mut rest = html;
    while let Some(i) = rest.find(attribute) {
        rest = &rest[i + attribute.len()..];
        let quote = rest.chars().next().unwrap_or('"');
        if quote == '"' || quote == '\'' {
            if let Some(end) = rest[1..].find(quote) {
                out.push(rest[1..=end].to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    fn render_str(body: &str) -> RenderedDoc {
        render_with(body, true)
    }

    fn render_with(body: &str, code_html: bool) -> RenderedDoc {
        let highlighter = Highlighter::new();
        let diagrams = diagram::Diagrams::default();
        let page_by_path = HashMap::from([("a.md".to_string(), 0), ("dir/b.md".to_string(), 1)]);
        let page_by_url = HashMap::from([("a/".to_string(), 0), ("dir/b/".to_string(), 1)]);
        let page_urls = vec!["a/".to_string(), "dir/b/".to_string()];
        let assets = BTreeMap::new();
        let static_paths = BTreeSet::new();
        let targets = Targets {
            base: "/course/",
            page_by_path: &page_by_path,
            page_by_url: &page_by_url,
            page_urls: &page_urls,
            assets: &assets,
            static_paths: &static_paths,
            content_dir: "content",
            root_url: "",
            slash_urls: &[],
            site_pages: &static_paths,
        };
        let renderer = Renderer {
            highlighter: &highlighter,
            targets: &targets,
            broken_links: Severity::Error,
            code_html,
            math: false,
            mermaid: true,
            diagrams: &diagrams,
            detect_code_language: false,
            components: None,
            strings: &English,
        };
        render(
            &DocInput {
                page: 0,
                source_path: "a.md",
                display_path: "content/a.md",
                body,
                body_line: 5,
            },
            &renderer,
        )
    }

    #[test]
    fn check_only_rendering_drops_code_but_keeps_its_diagnostics() {
        let body = "## Run\n\n```klingon\nqapla\n```\n\n[x](missing.md)\n\n```python\nprint(1)\n";
        let full = render_with(body, true);
        let check = render_with(body, false);
        let messages = |r: &RenderedDoc| {
            r.diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(messages(&full), messages(&check));
        assert_eq!(messages(&check).len(), 3, "{:?}", messages(&check));
        assert_eq!(full.anchors, check.anchors);
        assert!(full.html.contains("qapla") && full.html.contains("<span class=t-"));
        assert!(!check.html.contains("qapla") && !check.html.contains("print"));
        assert!(
            !render_with("```python\nprint(1)\n```\n", false)
                .html
                .trim()
                .is_empty(),
            "a page of only code is not empty to `check`"
        );
    }

    #[test]
    fn headings_get_ids_and_toc() {
        let r = render_str("# Title\n\n## Setup\n\n### Step one {#custom}\n\n## Setup\n");
        assert!(!r.html.contains("<h1"));
        assert!(
            r.html
                .contains("<h2 id=\"setup\">Setup<a class=\"anchor\" href=\"#setup\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"custom\""));
        assert_eq!(
            r.toc.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["setup", "custom", "setup-1"]
        );
    }

    #[test]
    fn links_are_rewritten_and_broken_ones_reported_at_their_line() {
        let r =
            render_str("See [b](./dir/b.md#x) and [self](#top).\n\nThen [gone](./missing.md).\n");
        assert!(r.html.contains("href=\"/course/dir/b/#x\""), "{}", r.html);
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!((d.line, d.column), (7, 6), "{d}");
        assert!(d.message.contains("missing.md"));
    }

    #[test]
    fn unknown_language_and_unclosed_fence_warn_at_the_fence_line() {
        let r = render_str("text\n\n```klingon\nQapla'\n```\n\n```python\nprint(1)\n");
        let msgs: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            msgs.iter().any(
                |m| m.starts_with("content/a.md:7:1: warning: unknown code language `klingon`")
            ),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("content/a.md:11:1: warning: code fence is never closed")),
            "{msgs:?}"
        );
        assert!(r.html.contains("Qapla&#39;") || r.html.contains("Qapla'"));
    }

    #[test]
    fn tables_raw_html_and_task_lists() {
        let r = render_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n<details><summary>More</summary>\n\nhidden\n\n</details>\n\n- [x] done\n\n| c |\n|---|\n| 3 |\n");
        assert!(r.html.contains(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table 1\"><table>"
        ));
        assert!(
            r.html.contains("aria-label=\"Table 2\"><table>"),
            "unique labels"
        );
        assert!(r
            .html
            .contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\">"));
        assert!(r.html.contains("<details><summary>More</summary>"));
        let r = render_str("<details><summary>Why?</summary>Layers are **cached**.</details>\n");
        assert!(
            r.html
                .contains("<p>Layers are <strong>cached</strong>.</p>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn admonition_positions_survive_expansion() {
        let r = render_str(":::tip Careful\nA [bad](./nope.md) link.\n:::\n");
        assert!(r.html.contains("admonition-tip"));
        assert_eq!(r.diagnostics[0].line, 6, "{:?}", r.diagnostics);
    }
}
