//! Baseline reference converter for the Syllabus benchmark (see benches/README.md).
//!
//! A deliberately simple, single-threaded Markdown -> HTML pass over a course's
//! `content/` tree: it walks the directory, reads every `.md` file, strips the
//! YAML front matter, renders Markdown with pulldown-cmark (tables, footnotes,
//! strikethrough, task lists) and highlights fenced code blocks with syntect's
//! stock `ClassedHTMLGenerator` (`ClassStyle::Spaced`) using two-face's
//! `extra_newlines()` syntax set. It writes nothing: it only sums the bytes of
//! the HTML it would have written and prints a one-line JSON summary.
//!
//! Usage: `baseline CONTENT_DIR`
//!
//! Registered as a `[[bench]]` with `harness = false`, so `cargo bench --bench
//! baseline --no-run` builds it with the bench (release-like) profile and
//! `benches/bench.py` runs the resulting executable directly.

// A benchmark reports on the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn collect_md(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            collect_md(&path, out)?;
        } else if ft.is_file() && path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// Returns the Markdown body after a leading `---` ... `---` YAML block.
fn strip_front_matter(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut offset = 0;
    for line in LinesWithEndings::from(rest) {
        offset += line.len();
        if line.trim_end() == "---" {
            return &rest[offset..];
        }
    }
    text
}

fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

struct Stats {
    code_blocks: usize,
    unknown_lang: usize,
}

fn highlight(ss: &SyntaxSet, lang: &str, code: &str, stats: &mut Stats) -> String {
    stats.code_blocks += 1;
    let syntax = if lang.is_empty() {
        None
    } else {
        ss.find_syntax_by_token(lang)
    };
    let syntax = syntax.unwrap_or_else(|| {
        if !lang.is_empty() && lang != "text" {
            stats.unknown_lang += 1;
        }
        ss.find_syntax_plain_text()
    });
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, ClassStyle::Spaced);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line)
            .expect("syntect highlighting failed");
    }
    let mut out = String::with_capacity(code.len() * 3 + 64);
    out.push_str("<pre><code class=\"language-");
    escape_html(lang, &mut out);
    out.push_str("\">");
    out.push_str(&gen.finalize());
    out.push_str("</code></pre>\n");
    out
}

fn render(ss: &SyntaxSet, markdown: &str, stats: &mut Stats) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);

    let mut events: Vec<Event> = Vec::new();
    let mut in_code: Option<String> = None;
    let mut code = String::new();
    for event in Parser::new_ext(markdown, opts) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                in_code = Some(lang);
                code.clear();
            }
            Event::Text(text) if in_code.is_some() => code.push_str(&text),
            Event::End(TagEnd::CodeBlock) => {
                let lang = in_code.take().unwrap_or_default();
                events.push(Event::Html(CowStr::from(highlight(
                    ss, &lang, &code, stats,
                ))));
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn main() {
    let dir = match std::env::args_os().nth(1) {
        Some(d) => PathBuf::from(d),
        None => {
            eprintln!("usage: baseline CONTENT_DIR");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let ss = two_face::syntax::extra_newlines();
    let load_secs = start.elapsed().as_secs_f64();

    let mut files = Vec::new();
    if let Err(e) = collect_md(&dir, &mut files) {
        eprintln!("baseline: cannot walk {}: {e}", dir.display());
        std::process::exit(1);
    }

    let mut stats = Stats {
        code_blocks: 0,
        unknown_lang: 0,
    };
    let mut input_bytes: u64 = 0;
    let mut output_bytes: u64 = 0;
    for path in &files {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("baseline: cannot read {}: {e}", path.display());
                std::process::exit(1);
            }
        };
        input_bytes += text.len() as u64;
        let html = render(&ss, strip_front_matter(&text), &mut stats);
        output_bytes += html.len() as u64;
    }
    let total_secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"files\": {}, \"input_bytes\": {}, \"output_bytes\": {}, \"code_blocks\": {}, \
         \"unknown_lang_blocks\": {}, \"syntax_load_seconds\": {:.4}, \"total_seconds\": {:.4}}}",
        files.len(),
        input_bytes,
        output_bytes,
        stats.code_blocks,
        stats.unknown_lang,
        load_secs,
        total_secs
    );
}
