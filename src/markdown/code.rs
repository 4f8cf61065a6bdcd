//! Code blocks: Docusaurus fence metadata (`title="…"`, `{1,4-6}`, `showLineNumbers`),
//! highlighted lines, a title bar and a copy button.

use super::highlight::Highlighter;
use crate::html::{escape, escape_text};

/// What the fence's info string says.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FenceInfo {
    pub lang: String,
    pub title: Option<String>,
    /// 1-based lines to highlight.
    pub highlight: Vec<usize>,
    pub line_numbers: bool,
    /// Set when the block is an interactive session that its language does not name (a
    /// detected one: `[build] detect-code-language`).
    pub session: Option<Session>,
}

/// An interactive session: lines that start with a prompt are commands, the rest output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Session {
    /// `$ ` prompts, bash commands (`console`, `shell-session`, `terminal`).
    Shell,
    /// `$ ` and root's `# ` prompts, bash commands.
    RootShell,
    /// `PS> ` and `PS C:\path> ` prompts, PowerShell commands (`ps1con`).
    PowerShell,
    /// `>>> ` and `... ` prompts, Python code (`pycon`).
    Python,
}

impl Session {
    /// The session a fence's language names.
    pub(crate) fn named(lang: &str) -> Option<Session> {
        match lang.to_ascii_lowercase().as_str() {
            "console" | "shell-session" | "shellsession" | "terminal" => Some(Session::Shell),
            "pycon" => Some(Session::Python),
            "ps1con" => Some(Session::PowerShell),
            _ => None,
        }
    }

    /// The length of the prompt that starts `line`, if any: the prompt and one blank, or a
    /// prompt alone on its line.
    pub(crate) fn prompt(self, line: &str) -> Option<usize> {
        let any = |prompts: &[&str]| {
            prompts.iter().find_map(|p| {
                (line.starts_with(p) || line == p.trim_end()).then_some(p.len().min(line.len()))
            })
        };
        match self {
            Session::Shell => any(&["$ "]),
            Session::RootShell => any(&["$ ", "# "]),
            Session::Python => any(&[">>> ", "... "]),
            Session::PowerShell => {
                let rest = line.strip_prefix("PS")?;
                // `PS>`, or `PS ` and a path (`C:\…`, `/…`, `~…`) up to `>`.
                let end = match rest.strip_prefix(' ') {
                    Some(path)
                        if path.starts_with(['/', '~', '\\']) || path.get(1..3) == Some(":\\") =>
                    {
                        path.find('>')? + 4
                    }
                    _ => rest.starts_with('>').then_some(3)?,
                };
                Some(end + usize::from(line[end..].starts_with(' ')))
            }
        }
    }

    /// The language of the commands.
    fn language(self) -> &'static str {
        match self {
            Session::Shell | Session::RootShell => "bash",
            Session::PowerShell => "powershell",
            Session::Python => "python",
        }
    }

    /// True when a command goes on to the next line, which is then command, not output.
    fn continues(self, line: &str) -> bool {
        let line = line.trim_end();
        match self {
            Session::Shell | Session::RootShell => line.ends_with('\\'),
            Session::PowerShell => line.ends_with('`'),
            Session::Python => false,
        }
    }
}

/// Parses an info string such as `dockerfile title="Dockerfile" {1,4-6} showLineNumbers`.
pub(crate) fn parse_info(info: &str) -> FenceInfo {
    let info = info.trim();
    let (lang, mut rest) = match info.find(|c: char| c.is_whitespace() || c == '{') {
        Some(i) => (&info[..i], &info[i..]),
        None => (info, ""),
    };
    let mut out = FenceInfo {
        lang: lang.to_string(),
        ..Default::default()
    };
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(r) = rest.strip_prefix('{') {
            let end = r.find('}').unwrap_or(r.len());
            out.highlight = parse_ranges(&r[..end]);
            rest = r.get(end + 1..).unwrap_or("");
        } else if let Some((key, value, r)) = key_value(rest) {
            match key {
                "title" => out.title = Some(value.to_string()),
                "showLineNumbers" => out.line_numbers = true,
                _ => {}
            }
            rest = r;
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if &rest[..end] == "showLineNumbers" {
                out.line_numbers = true;
            }
            rest = &rest[end..];
        }
    }
    out
}

/// `key="value"`, `key='value'` or `key=value` at the start of `s`.
fn key_value(s: &str) -> Option<(&str, &str, &str)> {
    let eq = s.find('=')?;
    let key = &s[..eq];
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    let after = &s[eq + 1..];
    match after.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
            Some((key, &after[1..close], after.get(close + 1..).unwrap_or("")))
        }
        _ => {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            Some((key, &after[..end], &after[end..]))
        }
    }
}

fn parse_ranges(spec: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    for part in spec.split(',').map(str::trim) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) {
                    lines.extend(a..=b.min(a + 10_000));
                }
            }
            None => lines.extend(part.parse::<usize>().ok()),
        }
    }
    lines
}

/// True for session languages, whose prompt lines are commands and the rest output.
pub(crate) fn is_session(lang: &str) -> bool {
    Session::named(lang).is_some()
}

/// Renders a code block to HTML.
pub(crate) fn render(
    info: &FenceInfo,
    code: &str,
    highlighter: &Highlighter,
    strings: &dyn crate::markdown::Words,
) -> String {
    let lang = info.lang.to_ascii_lowercase();
    let session = info.session.or_else(|| Session::named(&lang));
    // The highlighter's lines as they are (shared with its cache), not a copy of each.
    let lines: std::sync::Arc<Vec<String>> = match session {
        Some(session) => std::sync::Arc::new(session_lines(code, session, highlighter)),
        None => highlighter.highlight(&lang, code),
    };
    let lang_attr = if lang.is_empty() {
        "text".to_string()
    } else {
        escape(&lang)
    };
    let mut html = String::with_capacity(code.len() * 4 + 256);
    html.push_str(&format!(
        "<div class=\"code-block\" data-lang=\"{lang_attr}\">"
    ));
    if let Some(title) = &info.title {
        html.push_str(&format!(
            "<div class=\"code-title\">{}</div>",
            escape(title)
        ));
    }
    let numbered = if info.line_numbers { " numbered" } else { "" };
    html.push_str(&format!(
        "<pre class=\"code{numbered}\" tabindex=\"0\"><code class=\"language-{lang_attr}\">"
    ));
    // A line is wrapped in its own element only where it needs one: to be highlighted or
    // numbered, or as a session's line (the copy button reads those line by line). The
    // newline goes inside the wrapper: wrapped lines are blocks.
    for (i, line) in lines.iter().enumerate() {
        let hl = info.highlight.contains(&(i + 1));
        if hl || info.line_numbers || session.is_some() {
            let hl = if hl { " hl" } else { "" };
            html.push_str("<span class=\"line");
            html.push_str(hl);
            html.push_str("\">");
            html.push_str(line);
            html.push_str("\n</span>");
        } else {
            html.push_str(line);
            html.push('\n');
        }
    }
    html.push_str(&format!(
        "</code></pre><button class=\"copy-button\" type=\"button\" aria-label=\"{}\">{}</button></div>\n",
        escape(strings.word("copy_code")),
        escape_text(strings.word("copy"))
    ));
    html
}

fn session_lines(code: &str, session: Session, highlighter: &Highlighter) -> Vec<String> {
    let command = |command: &str| {
        highlighter
            .highlight(session.language(), command)
            .first()
            .cloned()
            .unwrap_or_default()
    };
    let mut continued = false;
    code.lines()
        .map(|line| {
            let prompt = session.prompt(line);
            let html = match (prompt, continued) {
                (Some(end), _) => {
                    format!(
                        "<span class=t-prompt aria-hidden=\"true\">{}</span>{}",
                        escape_text(&line[..end]),
                        command(&line[end..])
                    )
                }
                (None, true) => command(line),
                (None, false) => format!("<span class=t-out>{}</span>", escape_text(line)),
            };
            continued = (prompt.is_some() || continued) && session.continues(line);
            html
        })
        .collect()
}

#[cfg(test)]
mod tests {
    fn en() -> crate::markdown::English {
        crate::markdown::English
    }
    use super::*;

    #[test]
    fn parses_docusaurus_metadata() {
        let i = parse_info("dockerfile title=\"Dockerfile\" {1,4-6} showLineNumbers");
        assert_eq!(i.lang, "dockerfile");
        assert_eq!(i.title.as_deref(), Some("Dockerfile"));
        assert_eq!(i.highlight, [1, 4, 5, 6]);
        assert!(i.line_numbers);
        let j = parse_info("python{2}");
        assert_eq!(
            (j.lang.as_str(), j.highlight.as_slice()),
            ("python", &[2][..])
        );
        assert_eq!(parse_info("").lang, "");
    }

    #[test]
    fn renders_title_highlight_and_copy_button() {
        let h = Highlighter::new();
        let html = render(
            &parse_info("bash title=\"run.sh\" {2}"),
            "echo a\necho b\n",
            &h,
            &en(),
        );
        assert!(html.contains("<div class=\"code-title\">run.sh</div>"));
        assert!(html.contains("<span class=\"line hl\">"));
        assert!(html.contains("copy-button"));
        // Only the highlighted line has a wrapper; the other is text and a newline.
        assert_eq!(html.matches("class=\"line").count(), 1, "{html}");
        assert!(html.contains(" a\n<span class=\"line hl\">"), "{html}");
        let numbered = render(&parse_info("bash showLineNumbers"), "a\nb\n", &h, &en());
        assert_eq!(numbered.matches("class=\"line\"").count(), 2, "{numbered}");
    }

    #[test]
    fn code_text_escapes_only_what_html_needs() {
        let h = Highlighter::new();
        let html = render(&parse_info("text"), "say \"a\" <b> & 'c'\n", &h, &en());
        assert!(html.contains("say \"a\" &lt;b&gt; &amp; 'c'\n"), "{html}");
    }

    #[test]
    fn sessions_mark_prompts_and_output() {
        let h = Highlighter::new();
        let html = render(
            &parse_info("console"),
            "$ docker ps\nCONTAINER ID   IMAGE\n",
            &h,
            &en(),
        );
        assert!(
            html.contains("t-prompt")
                && html.contains("<span class=t-out>CONTAINER ID   IMAGE</span>")
        );
    }
}
