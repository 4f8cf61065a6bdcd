//! Build-time syntax highlighting with syntect, emitted as a dozen CSS classes.
//!
//! Syntect's stock classed output wraps every scope in a span (about 21× the code's size).
//! Instead, a synthetic theme maps scope selectors to a small set of token classes: the
//! highlighter's own selector scoring picks the class, the colour channel carries its index,
//! and adjacent tokens of one class share a span. The light and dark colours of each class
//! are read from real themes and nudged until they meet WCAG AA contrast.

mod grammars;
mod line_cache;
mod theme;

use super::block_cache::BlockCache;
use crate::html::{escape_text, push_text_escaped};
pub use grammars::own_syntaxes;
use line_cache::{LineCache, Start};
use std::sync::Arc;
use syntect::highlighting::{HighlightIterator, HighlightState, Highlighter as Styler, Theme};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Languages named in code fences that syntect knows by another token.
const ALIASES: &[(&str, &str)] = &[
    ("docker", "Dockerfile"),
    ("dockerfile", "Dockerfile"),
    ("containerfile", "Dockerfile"),
    ("compose", "yaml"),
    ("yml", "yaml"),
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("powershell", "PowerShell"),
    ("ps", "PowerShell"),
    ("ps1", "PowerShell"),
    ("pwsh", "PowerShell"),
    ("py", "python"),
    ("python3", "python"),
    ("js", "javascript"),
    ("jsx", "javascript"),
    ("ts", "typescript"),
    ("tsx", "typescript"),
    ("golang", "go"),
    ("md", "markdown"),
    ("mdx", "markdown"),
    ("jsonc", "json"),
    ("patch", "diff"),
    ("env", "bash"),
    ("dotenv", "bash"),
    ("conf", "ini"),
    ("cfg", "ini"),
];

/// Languages shown as plain text, without a warning.
pub(crate) const PLAIN: &[&str] = &[
    "",
    "text",
    "txt",
    "plain",
    "plaintext",
    "none",
    "output",
    "log",
    "mermaid",
];

/// Memoised highlighted blocks are dropped wholesale past this many bytes: enough for the
/// repeated blocks of one build (a one-shot build keeps little, its memory stays low; 2 MiB,
/// about 3 MiB with each line's allocation, was a twentieth of a 1,000-lesson build's peak)...
const BUILD_CACHE_BUDGET: usize = 128 << 10;
/// ... and for `serve`, whose memo keeps every doc's rendering: a save re-renders one doc
/// (a few blocks), and only a change of the course's files re-renders every doc, whose
/// blocks a large course would not fit in any budget worth its memory (issue 15: 64 MB,
/// which 10,000 lessons filled, was an eighth of the server's resident memory).
pub(crate) const SERVE_CACHE_BUDGET: usize = 16 << 20;
/// What a highlighted line costs besides its bytes: its `String` and the allocator's slack.
const LINE_OVERHEAD: usize = 32;
/// Highlighted lines kept for reuse (`line_cache`): a course's code repeats whole lines far
/// more than whole blocks (on the benchmark course, 65% of code lines, 45% of their bytes,
/// repeat one seen before), and the first lines met are the commonest.
const LINE_CACHE_BUDGET: usize = 512 << 10;

/// Highlights code to per-line HTML. Built once per process and shared by reference.
///
/// Three syntax sets, searched in order: Syllabus' own lean grammars (`syntaxes/`, for the
/// languages that dominate course code and highlighting time), syntect's own, whose Python
/// and shell grammars parse two to three times faster than the newer ones, and two-face's,
/// for what syntect lacks (Dockerfile, TOML, PowerShell, TypeScript, ...). Measured on the
/// benchmark course with `cargo bench --bench grammars`.
pub(crate) struct Highlighter {
    sets: [SyntaxSet; 3],
    theme: Theme,
    cache: BlockCache<Vec<String>>,
    lines: LineCache,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    pub(crate) fn new() -> Self {
        Self::with_cache_budget(BUILD_CACHE_BUDGET)
    }

    /// A highlighter that keeps up to `bytes` of highlighted blocks for reuse.
    pub(crate) fn with_cache_budget(bytes: usize) -> Self {
        Self::with_budgets(bytes, LINE_CACHE_BUDGET)
    }

    /// A highlighter that keeps up to `blocks` bytes of highlighted blocks and `lines` bytes
    /// of highlighted lines for reuse.
    fn with_budgets(blocks: usize, lines: usize) -> Self {
        Highlighter {
            sets: [
                own_syntaxes(),
                SyntaxSet::load_defaults_newlines(),
                two_face::syntax::extra_newlines(),
            ],
            theme: theme::token_theme(),
            cache: BlockCache::new(blocks),
            lines: LineCache::new(lines),
        }
    }

    /// The syntax for a fence language and the set it belongs to, if known.
    fn syntax(&self, lang: &str) -> Option<(&SyntaxReference, &SyntaxSet)> {
        let lower = lang.to_ascii_lowercase();
        let name = ALIASES
            .iter()
            .find(|(a, _)| *a == lower)
            .map_or(lower.as_str(), |(_, n)| n);
        self.sets.iter().find_map(|set| {
            set.find_syntax_by_token(name)
                .or_else(|| set.find_syntax_by_name(name))
                .map(|syntax| (syntax, set))
        })
    }

    /// True when `lang` is highlighted or deliberately plain.
    pub(crate) fn knows(&self, lang: &str) -> bool {
        PLAIN.contains(&lang.to_ascii_lowercase().as_str()) || self.syntax(lang).is_some()
    }

    /// Highlights `code` as `lang`: one HTML string per line, without newlines.
    /// Unknown and plain languages come back escaped, without spans.
    pub(crate) fn highlight(&self, lang: &str, code: &str) -> Arc<Vec<String>> {
        self.cache.get_or_make(
            &(lang, code),
            || match self.syntax(lang) {
                Some((syntax, set)) if !PLAIN.contains(&lang) => {
                    self.highlight_with(syntax, set, code)
                }
                _ => code.lines().map(escape_text).collect(),
            },
            // Each line is an allocation of its own: count what it costs besides its bytes.
            |lines| lines.iter().map(|l| l.capacity() + LINE_OVERHEAD).sum(),
        )
    }

    /// `highlight.css`: the colours of the token classes (see `theme`).
    pub(crate) fn stylesheet(&self) -> String {
        theme::stylesheet()
    }

    fn highlight_with(&self, syntax: &SyntaxReference, set: &SyntaxSet, code: &str) -> Vec<String> {
        let styler = Styler::new(&self.theme);
        let fresh = || {
            (
                ParseState::new(syntax),
                HighlightState::new(&styler, ScopeStack::new()),
            )
        };
        // A line's HTML depends only on the line and the state before it. Two states recur:
        // a block's start and the grammar's top level after a line (where most lines of most
        // languages begin and end); a line met in one of them before is not parsed again.
        let top = self.lines.top(syntax, || {
            let (mut parse, mut styles) = fresh();
            let ops = parse.parse_line("\n", set).ok()?;
            HighlightIterator::new(&mut styles, &ops, "\n", &styler).for_each(drop);
            Some((parse, styles))
        });
        let (mut parse, mut styles) = fresh();
        let mut out = Vec::new();
        for (i, line) in LinesWithEndings::from(code).enumerate() {
            let start = if i == 0 {
                Some(Start::Block)
            } else {
                top.as_ref()
                    .filter(|(p, s)| *p == parse && *s == styles)
                    .map(|_| Start::Top)
            };
            if let Some(start) = start {
                if let Some(html) = self.lines.get(syntax, start, line) {
                    if start == Start::Block {
                        // A line is kept only when it ends at the top level.
                        if let Some((p, s)) = &top {
                            (parse, styles) = (p.clone(), s.clone());
                        }
                    }
                    out.push(html);
                    continue;
                }
            }
            let html = Self::highlight_line(&mut parse, &mut styles, &styler, set, line);
            if let (Some(start), Some((p, s))) = (start, &top) {
                if *p == parse && *s == styles {
                    self.lines.put(syntax, start, line, &html);
                }
            }
            out.push(html);
        }
        out
    }

    /// One line's HTML, the states moved past it.
    fn highlight_line(
        parse: &mut ParseState,
        styles: &mut HighlightState,
        styler: &Styler<'_>,
        set: &SyntaxSet,
        line: &str,
    ) -> String {
        let mut html = String::with_capacity(line.len() * 3);
        match parse.parse_line(line, set) {
            Ok(ops) => {
                let mut open: usize = 0;
                for (style, text) in HighlightIterator::new(styles, &ops, line, styler) {
                    let text = text.trim_end_matches('\n');
                    if text.is_empty() {
                        continue;
                    }
                    let class = usize::from(style.foreground.r);
                    let class = if text.trim().is_empty() { open } else { class };
                    if class != open {
                        if open != 0 {
                            html.push_str("</span>");
                        }
                        if class != 0 {
                            html.push_str("<span class=t-");
                            html.push_str(theme::class_suffix(class));
                            html.push('>');
                        }
                        open = class;
                    }
                    push_text_escaped(&mut html, text);
                }
                if open != 0 {
                    html.push_str("</span>");
                }
            }
            Err(_) => push_text_escaped(&mut html, line.trim_end_matches('\n')),
        }
        html
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Token classes by character (`None` outside spans; entities count as one character).
    pub(crate) fn classes(html: &str) -> Vec<(char, Option<char>)> {
        let mut out = Vec::new();
        let mut class = None;
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("<span class=t-") {
                class = after.chars().next();
                rest = &after[after.find('>').unwrap() + 1..];
            } else if let Some(after) = rest.strip_prefix("</span>") {
                class = None;
                rest = after;
            } else if c == '&' {
                let end = rest.find(';').unwrap();
                let decoded = match &rest[..=end] {
                    "&lt;" => '<',
                    "&gt;" => '>',
                    "&quot;" => '"',
                    "&#39;" => '\'',
                    _ => '&',
                };
                out.push((decoded, class));
                rest = &rest[end + 1..];
            } else {
                out.push((c, class));
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    /// Asserts the class of the first character of each `(line, token, class)` of `code`.
    pub(crate) fn assert_classes(
        h: &Highlighter,
        lang: &str,
        code: &str,
        expect: &[(usize, &str, Option<char>)],
    ) {
        let lines = h.highlight(lang, code);
        for &(line, token, class) in expect {
            let cs = classes(&lines[line]);
            let text: String = cs.iter().map(|(c, _)| *c).collect();
            let at = text
                .find(token)
                .unwrap_or_else(|| panic!("{token} in {text}"));
            let found = cs[text[..at].chars().count()].1;
            assert_eq!(found, class, "{token} on line {line}: {}", lines[line]);
        }
    }

    #[test]
    fn python_shows_each_kind_of_token() {
        let h = Highlighter::new();
        let code = r#"@app.get("/health")
async def health(request: Request, retries: int = 3, *args, **kw) -> dict:
    """Say we are alive."""
    name = f"agent-{request.id!r:>8} {{x}}"  # the name
    if not self.ready and retries > 0x1F:
        raise ValueError("not ready\n")
    return {"ok": True, "n": len(args), "t": 1.5e3, "cb": lambda a, b=2: a}
class Agent(BaseAgent, metaclass=Meta):
    pass
"#;
        assert_classes(
            &h,
            "python",
            code,
            &[
                (0, "@app.get", Some('a')),
                (0, "\"/health\"", Some('s')),
                (1, "async", Some('k')),
                (1, "def", Some('k')),
                (1, "health", Some('f')),
                (1, "request", Some('v')),
                (1, "int", Some('t')),
                (1, "= 3", Some('o')),
                (1, "3", Some('n')),
                (1, "args", Some('v')),
                (1, "Request", None),
                (2, "Say we", Some('c')),
                (3, "f\"", Some('k')),
                (3, "agent", Some('s')),
                (3, "!r", Some('k')),
                (3, ":>8", Some('n')),
                (3, "{{", Some('e')),
                (3, "# the", Some('c')),
                (4, "if", Some('k')),
                (4, "not", Some('o')),
                (4, "self", Some('v')),
                (4, "0x1F", Some('n')),
                (5, "raise", Some('k')),
                (5, "ValueError", Some('t')),
                (5, "\\n", Some('e')),
                (6, "True", Some('n')),
                (6, "len", Some('f')),
                (6, "1.5e3", Some('n')),
                (6, "lambda", Some('k')),
                (6, "b=", Some('v')),
                (7, "Agent", Some('t')),
                (7, "BaseAgent", Some('t')),
                (7, "metaclass", Some('v')),
                (8, "pass", Some('k')),
            ],
        );
    }

    #[test]
    fn bash_tells_commands_from_arguments() {
        let h = Highlighter::new();
        let code = r#"#!/usr/bin/env bash
set -euo pipefail
IMAGE="${REGISTRY:-ghcr.io}/agent:$TAG"  # where it goes
if [ -f .env ] && [[ $CI != "true" ]]; then source .env; fi
docker run --rm \
  -e MODEL="$(cat model.txt)" \
  -p 8000:8000 agent | tee run.log 2>&1
for svc in api worker; do echo "$svc"; done
cat <<EOF > config.yaml
name: $NAME
EOF
deploy() { local code=$?; return $code; }
"#;
        assert_classes(
            &h,
            "bash",
            code,
            &[
                (0, "#!", Some('c')),
                (1, "set", Some('f')),
                (1, "-euo", Some('v')),
                (1, "pipefail", None),
                (2, "IMAGE", Some('v')),
                (2, "REGISTRY", Some('v')),
                (2, ":-", Some('o')),
                (2, "ghcr", Some('s')),
                (2, "$TAG", Some('v')),
                (2, "# where", Some('c')),
                (3, "if", Some('k')),
                (3, "-f", Some('v')),
                (3, "&&", Some('o')),
                (3, "$CI", Some('v')),
                (3, "then", Some('k')),
                (3, "source", Some('f')),
                (4, "docker", Some('f')),
                (4, "run", None),
                (4, "--rm", Some('v')),
                (5, "-e", Some('v')),
                (5, "cat", Some('f')),
                (6, "-p", Some('v')),
                (6, "agent", None),
                (6, "tee", Some('f')),
                (6, ">&", Some('o')),
                (7, "for", Some('k')),
                (7, "api", None),
                (7, "echo", Some('f')),
                (8, "<<", Some('o')),
                (8, "config.yaml", None),
                (9, "name:", Some('s')),
                (9, "$NAME", Some('v')),
                (10, "EOF", Some('k')),
                (11, "deploy", Some('f')),
                (11, "local", Some('k')),
                (11, "$code", Some('v')),
            ],
        );
    }

    #[test]
    fn python_survives_broken_code_and_keeps_its_text() {
        let h = Highlighter::new();
        let code = r####"x = 'never closed
y = 2
)) ]] }}
print(f"{d['k']:>{w}} {"nested"}")
s = '''open
still open''' + \
    r"C:\\path"
naïve = λ(1) 	# ünïcode
def broken(a, b=(1,
    2), *, c: dict[str, int] = {}) -> int:
    return a if b else c
lambda
@
"####;
        let lines = h.highlight("python", code);
        assert_eq!(lines.len(), code.lines().count());
        for (html, line) in lines.iter().zip(code.lines()) {
            let text: String = classes(html).iter().map(|(c, _)| *c).collect();
            assert_eq!(text, line);
        }
        // An unclosed single-quoted string ends with its line.
        assert_eq!(classes(&lines[1])[4], ('2', Some('n')), "{}", lines[1]);
        // The parameters after a multi-line default are still parameters.
        let def = lines.iter().position(|l| l.contains("broken")).unwrap();
        assert!(
            lines[def + 1].contains("<span class=t-v>c</span>"),
            "{}",
            lines[def + 1]
        );
    }

    /// The share of non-space characters that Syllabus' grammar for `lang` colours as
    /// syntect's own grammar does, over the bundled course's blocks fenced as `lang`.
    pub(crate) fn agreement_on_the_course(lang: &str) -> (usize, usize) {
        let h = Highlighter::new();
        let syntect = SyntaxSet::load_defaults_newlines();
        let reference = syntect.find_syntax_by_token(lang).unwrap();
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut same, mut all) = (0usize, 0usize);
        for entry in walkdir::WalkDir::new(content).into_iter().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for block in text.split(&format!("```{lang}")).skip(1) {
                let Some((info, block)) = block.split_once('\n') else {
                    continue;
                };
                if !(info.is_empty() || info.starts_with(' ')) {
                    continue;
                }
                let code = &block[..block.find("```").unwrap_or(block.len())];
                let ours = h.highlight(lang, code);
                let theirs = h.highlight_with(reference, &syntect, code);
                assert_eq!(ours.len(), theirs.len());
                for (a, b) in ours.iter().zip(&theirs) {
                    let (a, b) = (classes(a), classes(b));
                    assert_eq!(a.len(), b.len(), "the text itself is kept");
                    for ((ca, ka), (_, kb)) in a.iter().zip(&b) {
                        if !ca.is_whitespace() {
                            all += 1;
                            same += usize::from(ka == kb);
                        }
                    }
                }
            }
        }
        (same, all)
    }

    /// Syllabus' own grammars trade syntect's detail for speed; on real lesson code (the
    /// bundled course's blocks) they must still colour nearly every character alike.
    #[test]
    fn own_grammars_agree_with_syntects_on_the_course() {
        for (lang, least) in [("python", 2000), ("bash", 2000)] {
            let (same, all) = agreement_on_the_course(lang);
            assert!(all > least, "the course has {lang} to compare: {all}");
            let share = same as f64 / all as f64;
            assert!(share > 0.9, "{lang}: {same} of {all} alike ({share:.3})");
        }
    }

    #[test]
    fn dockerfile_keywords_get_a_class() {
        let h = Highlighter::new();
        let lines = h.highlight("dockerfile", "FROM python:3.12-slim\nRUN pip install uv\n");
        assert!(
            lines[0].starts_with("<span class=t-k>FROM</span>"),
            "{}",
            lines[0]
        );
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn covers_the_course_languages() {
        let h = Highlighter::new();
        for lang in [
            "dockerfile",
            "yaml",
            "python",
            "bash",
            "sh",
            "shell",
            "console",
            "powershell",
            "toml",
            "json",
            "javascript",
            "typescript",
            "diff",
            "sql",
            "go",
            "html",
            "markdown",
            "text",
            "ini",
        ] {
            assert!(h.knows(lang) || lang == "console", "{lang}");
        }
        assert!(!h.knows("klingon"));
    }

    #[test]
    fn output_is_compact_and_escaped() {
        let h = Highlighter::new();
        let code = "def f(x):\n    return x < 2  # small\n";
        let html = h.highlight("python", code).join("\n");
        assert!(html.contains("&lt;"));
        assert!(html.len() < code.len() * 12, "{html}");
        let plain = h.highlight("klingon", "a < b");
        assert_eq!(plain[0], "a &lt; b");
    }

    /// Every fenced block of the bundled course and the fixture books, in each language the
    /// fence names: the line cache changes nothing (lines met again, on the second pass, come
    /// from it), and it is used.
    #[test]
    fn reused_lines_are_highlighted_as_parsed_ones() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut blocks = Vec::new();
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for block in text.split("```").skip(1).step_by(2) {
                    if let Some((info, code)) = block.split_once('\n') {
                        let lang = info.split(' ').next().unwrap_or("").to_string();
                        blocks.push((lang, code.to_string()));
                    }
                }
            }
        }
        // Broken code: lines that end inside a string or a bracket are not kept.
        for (lang, code) in [
            (
                "python",
                "x = '''open\nstill open''' + \\\n    r\"C:\\path\"\nprint(1)\n",
            ),
            (
                "python",
                "def f(a, b=(1,\n    2)):\n    return a\nprint(1)\n",
            ),
            ("bash", "cat <<EOF\nprint(1)\nEOF\necho \"open\nprint(1)\n"),
            ("yaml", "a: |\n  print(1)\nb: 2\nprint(1)\n"),
            (
                "dockerfile",
                "RUN echo \\\n  print(1)\nENV A=\"open\nprint(1)\n",
            ),
        ] {
            blocks.push((lang.to_string(), code.to_string()));
        }
        assert!(blocks.len() > 50, "{} blocks", blocks.len());
        let plain = Highlighter::with_budgets(0, 0);
        let cached = Highlighter::with_budgets(0, LINE_CACHE_BUDGET);
        for _pass in 0..2 {
            for (lang, code) in &blocks {
                assert_eq!(
                    plain.highlight(lang, code),
                    cached.highlight(lang, code),
                    "```{lang}\n{code}"
                );
            }
        }
        // The second pass alone meets every line kept in the first.
        let lines: usize = blocks.iter().map(|(_, code)| code.lines().count()).sum();
        assert!(
            cached.lines.hits() > 500,
            "{} hits of {lines} lines",
            cached.lines.hits()
        );
    }
}
