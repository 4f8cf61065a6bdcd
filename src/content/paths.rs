//! Path rules of the Docusaurus layout: number prefixes, category index files, URL segments.

/// Splits a leading number prefix (`03-`, `12_`, `7 .`) off a file or folder name, as
/// Docusaurus' default parser does (`^(\d+)(\s*[-_.]+\s*)(.*)$`), but leaves names that start
/// like a version or a date alone (`^\d+[-_.]\d+`: `1.1-intro`, `0.5 Random Walk`,
/// `2021-01-31-post`). Returns the rest and the number.
pub(crate) fn strip_number_prefix(name: &str) -> (&str, Option<u64>) {
    if is_version_like(name) {
        return (name, None);
    }
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (name, None);
    }
    let rest = &name[digits..];
    let after_space = rest.trim_start_matches(char::is_whitespace);
    let after_sep = after_space.trim_start_matches(['-', '_', '.']);
    if after_sep.len() == after_space.len() {
        return (name, None);
    }
    let stripped = after_sep.trim_start_matches(char::is_whitespace);
    if stripped.is_empty() {
        return (name, None);
    }
    (stripped, name[..digits].parse().ok())
}

/// Docusaurus' ignored prefix patterns: digits, one of `-_.`, a digit (its date-like pattern
/// is a special case of this one).
fn is_version_like(name: &str) -> bool {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    let b = name.as_bytes();
    digits > 0
        && b.len() > digits + 1
        && matches!(b[digits], b'-' | b'_' | b'.')
        && b[digits + 1].is_ascii_digit()
}

/// True for Markdown documents.
pub fn is_markdown(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".mdx")
}

/// The file name without its extension.
pub(crate) fn stem(file_name: &str) -> &str {
    file_name.rsplit_once('.').map_or(file_name, |(s, _)| s)
}

/// True when a file is the page of the folder it sits in: `README`, `index`, or the
/// folder's own name (with or without its number prefix).
pub(crate) fn is_category_index(file_stem: &str, folder: Option<&str>) -> bool {
    let lower = file_stem.to_ascii_lowercase();
    if lower == "readme" || lower == "index" {
        return true;
    }
    folder.is_some_and(|f| {
        f == file_stem || strip_number_prefix(f).0 == strip_number_prefix(file_stem).0
    })
}

/// True when a path is not a page: a component starts with `_` or `.`.
pub(crate) fn is_hidden(path: &str) -> bool {
    path.split('/')
        .any(|c| c.starts_with('_') || c.starts_with('.'))
}

/// True when a component of a path starts with `.` (never copied).
pub(crate) fn is_dot_hidden(path: &str) -> bool {
    path.split('/').any(|c| c.starts_with('.'))
}

/// github-slugger, as Docusaurus slugs category labels for `/category/<slug>`: lowercase,
/// punctuation dropped, spaces to `-`, a repeat numbered `-1`, `-2`.
#[derive(Debug, Default)]
pub(crate) struct Slugs {
    seen: std::collections::HashSet<String>,
}

impl Slugs {
    pub(crate) fn slug(&mut self, text: &str) -> String {
        let base: String = text
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                '-' | '_' => Some(c),
                c if c.is_alphanumeric() => Some(c),
                _ => None,
            })
            .collect();
        let mut candidate = base.clone();
        let mut n = 0;
        while self.seen.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(candidate.clone());
        candidate
    }
}

/// Joins URL segments into a site-relative directory URL: `a/b/`, or `` for the root.
pub(crate) fn join_url(parent: &str, segment: &str) -> String {
    let segment = segment.trim_matches('/');
    if segment.is_empty() {
        parent.to_string()
    } else {
        format!("{parent}{segment}/")
    }
}

/// Normalises a `/`-path with `.` and `..` components; `None` if it climbs above the root.
pub(crate) fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// What `encode_path` leaves raw: RFC 3986's unreserved characters, `/`, and the sub-delimiters
/// and `:` `@` that a path segment may hold.
const PATH_RAW: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes what may not stand raw in an `href` path (spaces, quotes, `%`, non-ASCII).
pub(crate) fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_RAW).to_string()
}

/// The ids a doc answers to, Docusaurus' first: `intro/setup` for `01-intro/02-setup.md` (its
/// `id:` in place of the file name), then `01-intro/setup` and `01-intro/02-setup`.
pub(crate) fn doc_ids(path: &str, id: Option<&str>) -> [String; 3] {
    let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
    let (dir, file) = stem.rsplit_once('/').map_or(("", stem), |(d, f)| (d, f));
    let base = id.unwrap_or_else(|| strip_number_prefix(file).0);
    let joined = if dir.is_empty() {
        base.to_string()
    } else {
        format!("{dir}/{base}")
    };
    // Docusaurus' id: the folders lose their number prefixes too.
    let mut unprefixed: Vec<&str> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| strip_number_prefix(s).0)
        .collect();
    unprefixed.push(base);
    [unprefixed.join("/"), joined, stem.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_number_prefixes_like_docusaurus() {
        assert_eq!(
            strip_number_prefix("03-first-dockerfile"),
            ("first-dockerfile", Some(3))
        );
        assert_eq!(strip_number_prefix("07-AI-Cloud"), ("AI-Cloud", Some(7)));
        assert_eq!(strip_number_prefix("12_intro"), ("intro", Some(12)));
        assert_eq!(strip_number_prefix("1 - Intro"), ("Intro", Some(1)));
        assert_eq!(
            strip_number_prefix("2021-01-31-launch"),
            ("2021-01-31-launch", None)
        );
        assert_eq!(strip_number_prefix("404"), ("404", None));
        assert_eq!(
            strip_number_prefix("1.1-introduction"),
            ("1.1-introduction", None)
        );
        assert_eq!(
            strip_number_prefix("0.5 Simple Random Walk"),
            ("0.5 Simple Random Walk", None)
        );
        assert_eq!(strip_number_prefix("01-02-x"), ("01-02-x", None));
        assert_eq!(strip_number_prefix("3 .. x"), ("x", Some(3)));
        assert_eq!(strip_number_prefix("1.homepage"), ("homepage", Some(1)));
        assert_eq!(strip_number_prefix("10x-engineer"), ("10x-engineer", None));
        assert_eq!(strip_number_prefix("plain"), ("plain", None));
    }

    #[test]
    fn label_slugs_like_github_slugger() {
        let mut s = Slugs::default();
        assert_eq!(
            s.slug("Concurrence, parallélisme et asynchronisme"),
            "concurrence-parallélisme-et-asynchronisme"
        );
        assert_eq!(s.slug("第一章：智能的拂晓"), "第一章智能的拂晓");
        assert_eq!(s.slug("Intro"), "intro");
        assert_eq!(s.slug("intro"), "intro-1");
    }

    #[test]
    fn category_index_names() {
        assert!(is_category_index("README", Some("01-intro")));
        assert!(is_category_index("index", None));
        assert!(is_category_index("intro", Some("01-intro")));
        assert!(!is_category_index("lesson", Some("01-intro")));
    }

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(normalize("a/./b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(encode_path("a b/é"), "a%20b/%C3%A9");
        assert_eq!(
            encode_path("x/-_.~!$&()*+,;=:@ \"#%'<>?[\\]^`{|}"),
            "x/-_.~!$&()*+,;=:@%20%22%23%25%27%3C%3E%3F%5B%5C%5D%5E%60%7B%7C%7D"
        );
    }
}
