//! `SitePath`: a path inside the output directory, made only of segments that are safe on
//! every file system. It is the only kind of path a `Sink` accepts, so nothing a book says
//! (`slug`, `id`, `route-base`, a category's slug, a file's name) can make a build write
//! outside `--out`: a path that fails here is a diagnostic, never a file.

use std::fmt;

/// A validated site-relative path (`a/b/index.html`): segments joined by `/`, none of them
/// empty, `.` or `..`, none holding a backslash, a NUL or another control character, none a
/// Windows drive (`C:`) or a name Windows reserves (`CON`, `nul.txt`, `COM1`, …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SitePath(String);

/// Why a path is not a safe site path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// The path is empty.
    Empty,
    /// It starts with `/` (absolute).
    Absolute,
    /// Two slashes in a row, or one at the end.
    EmptySegment,
    /// A `.` or `..` segment.
    Dots(String),
    /// A backslash, which Windows reads as a separator.
    Backslash,
    /// A NUL or other control character.
    Control(char),
    /// A Windows drive (`C:`).
    Drive(String),
    /// A name Windows reserves for devices.
    Reserved(String),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Empty => write!(f, "the path is empty"),
            PathError::Absolute => write!(f, "it is an absolute path"),
            PathError::EmptySegment => write!(f, "it has an empty segment (`//`)"),
            PathError::Dots(s) => write!(f, "it has a `{s}` segment"),
            PathError::Backslash => write!(f, "it has a backslash"),
            PathError::Control(c) => write!(f, "it has the control character U+{:04X}", *c as u32),
            PathError::Drive(s) => write!(f, "`{s}` is a Windows drive"),
            PathError::Reserved(s) => write!(f, "`{s}` is a name Windows reserves for a device"),
        }
    }
}

/// Device names Windows reserves, with or without an extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    "conin$", "conout$",
];

impl SitePath {
    /// Checks every segment of `path` (`a/b/c.html`, no leading or trailing `/`).
    pub fn new(path: &str) -> Result<SitePath, PathError> {
        if path.is_empty() {
            return Err(PathError::Empty);
        }
        if path.starts_with('/') {
            return Err(PathError::Absolute);
        }
        path.split('/').try_for_each(check_segment)?;
        Ok(SitePath(path.to_string()))
    }

    /// The page file of a site URL: `a/b/` → `a/b/index.html`, `` → `index.html`.
    pub fn page(url: &str) -> Result<SitePath, PathError> {
        if url.is_empty() {
            return SitePath::new("index.html");
        }
        match url.strip_suffix('/') {
            Some(dir) => SitePath::new(&format!("{dir}/index.html")),
            None => Err(PathError::EmptySegment),
        }
    }

    /// A path Syllabus itself names (`404.html`, `assets/search/…`): known to be valid.
    pub(crate) fn generated(path: &str) -> SitePath {
        debug_assert!(SitePath::new(path).is_ok(), "{path}");
        SitePath(path.to_string())
    }

    /// The path, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_segment(segment: &str) -> Result<(), PathError> {
    match segment {
        "" => return Err(PathError::EmptySegment),
        "." | ".." => return Err(PathError::Dots(segment.to_string())),
        _ => {}
    }
    if segment.contains('\\') {
        return Err(PathError::Backslash);
    }
    if let Some(c) = segment.chars().find(|c| c.is_control()) {
        return Err(PathError::Control(c));
    }
    let bytes = segment.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(PathError::Drive(segment[..2].to_string()));
    }
    let stem = segment.split('.').next().unwrap_or(segment).trim_end();
    if RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r)) {
        return Err(PathError::Reserved(segment.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_paths() {
        for ok in [
            "index.html",
            "a/b/index.html",
            "docs/AI-Cloud/docker/first-dockerfile/index.html",
            "assets/search/p/0.js",
            "été/ça va/index.html",
            "console/index.html",
            "com10/x",
            ".well-known/x",
        ] {
            assert!(SitePath::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_every_way_out() {
        let cases: &[(&str, PathError)] = &[
            ("", PathError::Empty),
            ("/etc/passwd", PathError::Absolute),
            ("a//b", PathError::EmptySegment),
            ("a/", PathError::EmptySegment),
            ("../x", PathError::Dots("..".into())),
            ("a/../../x", PathError::Dots("..".into())),
            ("a/./x", PathError::Dots(".".into())),
            ("a\\..\\x", PathError::Backslash),
            ("a\0b", PathError::Control('\0')),
            ("a\u{1b}b", PathError::Control('\u{1b}')),
            ("C:/x", PathError::Drive("C:".into())),
            ("c:x", PathError::Drive("c:".into())),
            ("CON/index.html", PathError::Reserved("CON".into())),
            ("a/nul.txt", PathError::Reserved("nul.txt".into())),
            ("Com1", PathError::Reserved("Com1".into())),
            ("lpt9.md/x", PathError::Reserved("lpt9.md".into())),
        ];
        for (path, expected) in cases {
            assert_eq!(SitePath::new(path).as_ref(), Err(expected), "{path:?}");
        }
    }

    #[test]
    fn page_files_of_urls() {
        assert_eq!(SitePath::page("").unwrap().as_str(), "index.html");
        assert_eq!(SitePath::page("a/b/").unwrap().as_str(), "a/b/index.html");
        assert!(SitePath::page("../../x/").is_err());
        assert!(SitePath::page("/x/").is_err());
    }
}
