//! Diagnostics: content problems as data, collected by the build and printed once by the CLI.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// Reported; the build goes on (`check --deny-warnings` fails on it).
    Warning,
}

/// One problem at one place: `path:line:col: severity: message`, with an optional hint.
///
/// `path` is relative to the project root and uses `/`; `line` and `column` are 1-based,
/// and 0 means "the file as a whole".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file, relative to the project root, with `/`.
    pub path: String,
    /// 1-based; 0 for the file as a whole.
    pub line: usize,
    /// 1-based; 0 for the line as a whole.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where a hint helps.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `path:line:column`.
    pub fn error(
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, path, line, column, message)
    }

    /// A warning at `path:line:column`.
    pub fn warning(
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, path, line, column, message)
    }

    fn new(
        severity: Severity,
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            column,
            severity,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a hint shown under the message.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, or less where the position is unknown.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.path.clone(),
            (l, 0) => format!("{}:{}", self.path, l),
            (l, c) => format!("{}:{}:{}", self.path, l, c),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.location(), level, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// A GitHub Actions workflow command (`::error file=…,line=…,col=…::message`), which makes
/// the diagnostic an annotation on the pull request.
pub fn to_github(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let property = |v: &str| escape_github(v).replace(':', "%3A").replace(',', "%2C");
    let mut props = format!("file={}", property(&d.path));
    if d.line > 0 {
        props.push_str(&format!(",line={}", d.line));
    }
    if d.column > 0 {
        props.push_str(&format!(",col={}", d.column));
    }
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!("::{level} {props}::{}", escape_github(&message))
}

fn escape_github(v: &str) -> String {
    v.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// All diagnostics as one JSON array of
/// `{path, line, column, severity: "error" | "warning", message, help: string | null}`.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into())
}

/// True when any diagnostic is an error.
pub(crate) fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Maps byte offsets of a text to 1-based line and column numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// (line, column) of a byte offset; the column counts characters.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_path_line_col_and_help() {
        let d =
            Diagnostic::error("content/a.md", 3, 7, "broken link").with_help("did you mean b.md?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: broken link\n  = help: did you mean b.md?"
        );
        assert_eq!(
            Diagnostic::warning("book.toml", 0, 0, "x").to_string(),
            "book.toml: warning: x"
        );
    }

    #[test]
    fn github_and_json_formats() {
        let d = Diagnostic::warning("content/a,b.md", 3, 7, "50% done\nnext").with_help("fix it");
        assert_eq!(
            to_github(&d),
            "::warning file=content/a%2Cb.md,line=3,col=7::50%25 done%0Anext%0Ahelp: fix it"
        );
        let json: serde_json::Value = serde_json::from_str(&to_json(&[d])).unwrap();
        assert_eq!(json[0]["severity"], "warning");
        assert_eq!(json[0]["line"], 3);
        assert_eq!(json[0]["column"], 7);
        assert_eq!(json[0]["help"], "fix it");
    }

    #[test]
    fn line_index_counts_lines_and_chars() {
        let text = "ab\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 3), (2, 1));
        assert_eq!(idx.position(text, 5), (2, 2));
        assert_eq!(idx.position(text, 8), (4, 1));
    }
}
