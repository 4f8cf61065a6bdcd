//! Path rules of the Docusaurus layout: number prefixes, category index files, URL segments.

/// Splits a leading number prefix (`03-`, `12_`, `7 .`) off a file or folder name, as
/// Docusaurus does, but leaves date-like names (`2021-01-31-post`) alone.
/// Returns the rest and the number.
pub(crate) fn strip_number_prefix(name: &str) -> (&str, Option<u64>) {
    if is_date_like(name) {
        return (name, None);
    }
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (name, None);
    }
    let rest = &name[digits..];
    let after_space = rest.trim_start_matches(' ');
    let after_sep = after_space.trim_start_matches(['-', '_', '.']);
    if after_sep.len() == after_space.len() {
        return (name, None);
    }
    let stripped = after_sep.trim_start_matches(' ');
    if stripped.is_empty() {
        return (name, None);
    }
    (stripped, name[..digits].parse().ok())
}

fn is_date_like(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
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
        assert_eq!(strip_number_prefix("10x-engineer"), ("10x-engineer", None));
        assert_eq!(strip_number_prefix("plain"), ("plain", None));
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
