//! Source-level passes work on lines that remember where they came from, so that a
//! diagnostic found after expanding directives or MDX still names the author's line.

use crate::diagnostic::Severity;

/// A line of Markdown and the 0-based body line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub text: String,
    pub src: usize,
}

impl Line {
    pub(crate) fn new(text: impl Into<String>, src: usize) -> Self {
        Line {
            text: text.into(),
            src,
        }
    }
}

/// A problem found by a source pass, at a body line (0-based) and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub src: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}

impl Note {
    pub(crate) fn warning(src: usize, message: impl Into<String>) -> Self {
        Note {
            src,
            column: 1,
            severity: Severity::Warning,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn error(src: usize, column: usize, message: impl Into<String>) -> Self {
        Note {
            src,
            column,
            severity: Severity::Error,
            message: message.into(),
            help: None,
        }
    }

    /// The same note at another column (1-based) of its line.
    pub(crate) fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Splits a body into numbered lines.
pub(crate) fn split(body: &str) -> Vec<Line> {
    body.split('\n')
        .enumerate()
        .map(|(i, l)| Line::new(l, i))
        .collect()
}

/// Joins lines back into text, with the source line of every output line.
pub(crate) fn join(lines: &[Line]) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    let mut map = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&line.text);
        map.push(line.src);
    }
    (text, map)
}

/// Tracks fenced code blocks line by line, so passes leave code alone.
#[derive(Debug, Default)]
pub(crate) struct Fences {
    open: Option<(char, usize)>,
}

impl Fences {
    /// True when `line` opens, continues or closes a fenced code block.
    pub(crate) fn in_code(&mut self, line: &str) -> bool {
        let t = line.trim_start();
        if let Some((ch, len)) = self.open {
            if t.chars().take_while(|&c| c == ch).count() >= len
                && t.trim_start_matches(ch).trim().is_empty()
            {
                self.open = None;
            }
            return true;
        }
        let Some(ch) = t.chars().next().filter(|c| *c == '`' || *c == '~') else {
            return false;
        };
        let len = t.chars().take_while(|&c| c == ch).count();
        if len >= 3 {
            self.open = Some((ch, len));
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_join_round_trip() {
        let body = "a\n\nb\n";
        let (text, map) = join(&split(body));
        assert_eq!(text, body);
        assert_eq!(map, [0, 1, 2, 3]);
    }

    #[test]
    fn fences_cover_open_body_and_close() {
        let mut f = Fences::default();
        let flags: Vec<bool> = ["x", "```py", ":::tip", "```", "y"]
            .iter()
            .map(|l| f.in_code(l))
            .collect();
        assert_eq!(flags, [false, true, true, true, false]);
    }
}
