//! Theme assets a host can cache forever (issue 18): every built-in stylesheet, script,
//! font and image, a project's static file that replaces one, and the generated
//! stylesheet and data scripts are published minified under a name carrying a hash of their
//! bytes (`assets/syllabus.3f2a1c9e0b1d2e3f.css`); the unhashed names are not written.
//! Templates find each file's href in `site.assets`, by its unhashed site path
//! (`site.assets["assets/syllabus.css"]`). A stylesheet's `url(…)` to another hashed file
//! is rewritten to that file's hashed name before the stylesheet itself is hashed.

use super::minify;
use std::collections::{BTreeMap, BTreeSet};

/// Extensions of the files that get hashed names.
const HASHED: [&str; 13] = [
    "css", "js", "woff2", "woff", "ttf", "otf", "svg", "png", "jpg", "jpeg", "gif", "webp", "ico",
];

/// `dir/name.ext` → `dir/name.HASH.ext`, the hash of `bytes` (the one rule for every hashed
/// file of a site, the sidebar's navigation files included).
pub(crate) fn hashed_path(path: &str, bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let named = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash:016x}.{ext}"),
        _ => format!("{name}.{hash:016x}"),
    };
    if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    }
}

/// `dir/name.HASH.ext` → `dir/name.ext` (the path as [`hashed_path`] found it); any other
/// path as it is.
pub(crate) fn unhashed_path(path: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let parts: Vec<&str> = name.split('.').collect();
    let is_hash = |p: &str| p.len() == 16 && p.bytes().all(|b| b.is_ascii_hexdigit());
    let name = match parts.as_slice() {
        [stem @ .., hash, ext] if !stem.is_empty() && is_hash(hash) => {
            format!("{}.{ext}", stem.join("."))
        }
        _ => name.to_string(),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// True for the files that get hashed names: stylesheets, scripts, fonts and images.
pub(crate) fn is_hashed(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| HASHED.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The published theme: each file under its final path, and each hashed file's final path
/// by its unhashed one.
#[derive(Debug, Default)]
pub(crate) struct Published {
    /// Final site path → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Unhashed site path → final (hashed) site path.
    pub names: BTreeMap<String, String>,
}

/// Publishes `files` (site path → bytes): the ones in `theme` (the built-in files, with a
/// project's file of the same path in their place, and the generated ones) that
/// [`is_hashed`] are minified and renamed; the others are kept as they are. Fonts and
/// images are named first, so that stylesheets pointing at them can be rewritten.
pub(crate) fn publish(files: BTreeMap<String, Vec<u8>>, theme: &BTreeSet<String>) -> Published {
    publish_with(files, theme, &minify::css)
}

/// [`publish`], with `css` as the stylesheets' minifier.
pub(super) fn publish_with(
    files: BTreeMap<String, Vec<u8>>,
    theme: &BTreeSet<String>,
    css: &dyn Fn(&str) -> Option<String>,
) -> Published {
    let mut out = Published::default();
    let mut styles = Vec::new();
    for (path, bytes) in files {
        if !(theme.contains(&path) && is_hashed(&path)) {
            out.files.insert(path, bytes);
        } else if path.ends_with(".css") {
            styles.push((path, bytes));
        } else {
            let bytes = if path.ends_with(".js") {
                minify::js(&bytes)
            } else {
                bytes
            };
            let hashed = hashed_path(&path, &bytes);
            out.names.insert(path, hashed.clone());
            out.files.insert(hashed, bytes);
        }
    }
    for (path, bytes) in styles {
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => {
                let text = rewrite_urls(&path, &text, &out.names);
                css(&text).unwrap_or(text).into_bytes()
            }
            Err(e) => e.into_bytes(),
        };
        let hashed = hashed_path(&path, &bytes);
        out.names.insert(path, hashed.clone());
        out.files.insert(hashed, bytes);
    }
    out
}

/// The stylesheet at `css_path` with each relative `url(…)` that names a hashed file
/// pointing at its hashed name instead.
fn rewrite_urls(css_path: &str, text: &str, names: &BTreeMap<String, String>) -> String {
    let dir = css_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("url(") {
        let (head, tail) = rest.split_at(at + 4);
        out.push_str(head);
        let Some(end) = tail.find(')') else {
            rest = tail;
            break;
        };
        let inner = tail[..end].trim();
        let quote = inner
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .map_or("", |_| &inner[..1]);
        let url = inner.trim_matches(|c| c == '"' || c == '\'');
        let target = resolve(dir, url);
        match target.as_deref().and_then(|t| names.get(t)) {
            Some(hashed) => {
                let name = hashed.rsplit_once('/').map_or(hashed.as_str(), |(_, n)| n);
                let prefix = url.rsplit_once('/').map_or("", |(p, _)| p);
                let sep = if prefix.is_empty() { "" } else { "/" };
                out.push_str(&format!("{quote}{prefix}{sep}{name}{quote}"));
            }
            None => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The site path a relative URL in a file of `dir` names, if it is a plain relative path.
fn resolve(dir: &str, url: &str) -> Option<String> {
    if url.is_empty() || url.contains(':') || url.starts_with('/') || url.starts_with('#') {
        return None;
    }
    let url = url.split(['?', '#']).next()?;
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in url.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The hrefs templates see: unhashed site path → `base` + final path.
pub(crate) fn hrefs(names: &BTreeMap<String, String>, base: &str) -> BTreeMap<String, String> {
    names
        .iter()
        .map(|(k, v)| (k.clone(), format!("{base}{v}")))
        .collect()
}

/// A stylesheet this small goes into each page that uses it as a `<style>` element rather than
/// a request of its own (issue 18: "inlined when tiny"); a request costs a round trip, more
/// than a kilobyte of bytes does.
pub(crate) const INLINE_MAX: usize = 1024;

/// Every theme stylesheet by its unhashed site path, with its text when it is small enough
/// to inline ([`INLINE_MAX`]) and safe to: no `url(…)` or `@import` (relative to the sheet, not
/// to the page) and no `<` (which could end the `<style>` element); else the empty string,
/// which templates read as "link it".
pub(crate) fn inline_sheets(published: &Published) -> BTreeMap<String, String> {
    published
        .names
        .iter()
        .filter(|(path, _)| path.ends_with(".css"))
        .map(|(path, name)| {
            let text = published
                .files
                .get(name)
                .filter(|bytes| bytes.len() <= INLINE_MAX)
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .filter(|text| {
                    !["url(", "@import", "<"]
                        .iter()
                        .any(|bad| text.contains(bad))
                })
                .unwrap_or_default();
            (path.clone(), text.trim_end().to_string())
        })
        .collect()
}

/// The theme stylesheets a page's body does not use (issue 18: a page loads only what it
/// uses): `(no code, no components)`. The code stylesheet styles `<pre>` blocks; the
/// components' one quizzes, tabs and directive labels (`static/assets/components.css`),
/// found by their classes, so an author's raw HTML with those classes gets it too.
pub(crate) fn unused_sheets(body: &str) -> (bool, bool) {
    let code = body.contains("<pre");
    let components = ["class=\"quiz", "class=\"tab", "directive-label"]
        .iter()
        .any(|c| body.contains(c));
    (!code, !components)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_page_without_code_or_components_skips_their_sheets() {
        assert_eq!(unused_sheets("<p>text</p>"), (true, true));
        assert_eq!(
            unused_sheets("<pre class=\"code\"><code>x</code></pre>"),
            (false, true)
        );
        assert_eq!(
            unused_sheets("<section class=\"quiz\" data-quiz>"),
            (true, false)
        );
        assert_eq!(
            unused_sheets("<div class=\"tabs\" data-tabs=\"x\">"),
            (true, false)
        );
    }

    #[test]
    fn names_carry_a_hash_of_the_bytes() {
        let a = hashed_path("assets/syllabus.css", b"a");
        assert_eq!(a, hashed_path("assets/syllabus.css", b"a"));
        assert_ne!(a, hashed_path("assets/syllabus.css", b"b"));
        assert!(a.starts_with("assets/syllabus.") && a.ends_with(".css"));
        assert_eq!(a.len(), "assets/syllabus..css".len() + 16);
        assert!(hashed_path("favicon.svg", b"x").starts_with("favicon."));
        assert!(is_hashed("assets/x.WOFF2") && !is_hashed("assets/math/README.txt"));
        assert_eq!(unhashed_path(&a), "assets/syllabus.css");
        assert_eq!(unhashed_path("assets/s.css"), "assets/s.css");
    }

    #[test]
    fn theme_files_are_renamed_and_others_kept() {
        let files = BTreeMap::from([
            ("assets/a.js".to_string(), b"var  a = 1;\n".to_vec()),
            ("assets/m/f.woff2".to_string(), b"font".to_vec()),
            (
                "assets/m/m.css".to_string(),
                b"@font-face { src: url(\"f.woff2\") format(\"woff2\") }\n".to_vec(),
            ),
            ("downloads/x.js".to_string(), b"kept".to_vec()),
            ("assets/m/LICENSE.txt".to_string(), b"text".to_vec()),
        ]);
        let themed = theme(&[
            "assets/a.js",
            "assets/m/f.woff2",
            "assets/m/m.css",
            "assets/m/LICENSE.txt",
        ]);
        let p = publish(files, &themed);
        assert_eq!(p.files["downloads/x.js"], b"kept");
        assert!(p.files.contains_key("assets/m/LICENSE.txt"));
        assert!(!p.files.contains_key("assets/a.js") && !p.files.contains_key("assets/m/m.css"));
        let font = p.names["assets/m/f.woff2"].clone();
        let css = String::from_utf8(p.files[&p.names["assets/m/m.css"]].clone()).unwrap();
        let font_name = font.rsplit_once('/').unwrap().1;
        assert!(css.contains(font_name), "{css}");
        assert_eq!(p.names.len(), 3);
        for (plain, hashed) in &p.names {
            assert_eq!(hashed, &hashed_path(plain, &p.files[hashed]));
        }
    }

    #[test]
    fn urls_resolve_relative_to_the_stylesheet() {
        let names = BTreeMap::from([("assets/img/x.png".to_string(), "assets/img/x.1.png".into())]);
        let css = "a{background:url(../img/x.png)}b{background:url('https://e.org/x.png')}";
        assert_eq!(
            rewrite_urls("assets/css/s.css", css, &names),
            "a{background:url(../img/x.1.png)}b{background:url('https://e.org/x.png')}"
        );
        assert_eq!(resolve("assets", "../../x"), None);
        assert_eq!(resolve("assets", "#a"), None);
    }

    #[test]
    fn only_small_self_contained_sheets_are_inlined() {
        let mut published = Published::default();
        let sheets = [
            ("a.css", "a{color:red}\n".to_string()),
            ("big.css", "a{color:red}".repeat(200)),
            ("font.css", "@font-face{src:url(f.woff2)}".to_string()),
            ("import.css", "@import \"x.css\";".to_string()),
            ("tag.css", "a::after{content:\"</style>\"}".to_string()),
            ("b.js", "x()".to_string()),
        ];
        for (name, text) in sheets {
            let hashed = format!("h.{name}");
            published.names.insert(name.to_string(), hashed.clone());
            published.files.insert(hashed, text.into_bytes());
        }
        let inline = inline_sheets(&published);
        let kept: Vec<(&str, &str)> = inline
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                ("a.css", "a{color:red}"),
                ("big.css", ""),
                ("font.css", ""),
                ("import.css", ""),
                ("tag.css", "")
            ]
        );
    }
}
