//! Link rewriting: relative Markdown links become the target page's URL, site-absolute links
//! get the base path, relative assets point at their copy. Every internal link is recorded
//! so anchors can be checked once all pages are rendered.

use super::Spanned;
use crate::content::{paths, Asset, PageId};
use pulldown_cmark::{CowStr, Event, Tag};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where links may point, shared by all pages of a build.
pub(crate) struct Targets<'a> {
    /// The site's base path (`/` or `/course/`).
    pub base: &'a str,
    /// Content path (relative to the content dir) → page.
    pub page_by_path: &'a HashMap<String, PageId>,
    /// Site-relative URL (`a/b/`) → page.
    pub page_by_url: &'a HashMap<String, PageId>,
    /// Page id → site-relative URL.
    pub page_urls: &'a [String],
    /// Content path → copied asset.
    pub assets: &'a BTreeMap<String, Asset>,
    /// Site-relative paths of static files.
    pub static_paths: &'a BTreeSet<String>,
    /// The content directory as the project names it (`docs`), for `/docs/x.md` links.
    pub content_dir: &'a str,
    /// Site-relative URL of the content root (`` or `docs/`).
    pub root_url: &'a str,
    /// Routes of the Docusaurus site's own pages (`src/pages/`), not built by Syllabus.
    pub site_pages: &'a BTreeSet<String>,
    /// Per page: whether its Docusaurus URL ends in `/` (a folder's index doc, unless
    /// `trailing-slash = false`), so `./x` in it is read as a browser there reads it.
    pub slash_urls: &'a [bool],
}

/// A link to a page of the site, kept for the anchor check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkRef {
    pub page: PageId,
    pub anchor: Option<String>,
    /// Offset in the parsed text, turned into a position by the caller.
    pub offset: usize,
    pub written: String,
}

/// A link whose target does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Broken {
    pub offset: usize,
    pub message: String,
    pub help: Option<String>,
    /// A warning whatever `on-broken-links` says: the target exists in the Docusaurus
    /// site, outside what Syllabus builds.
    pub warn_only: bool,
}

/// What one page links to.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub links: Vec<LinkRef>,
    pub broken: Vec<Broken>,
}

enum Resolved {
    External,
    Page(PageId, Option<String>),
    File(String),
    Missing(String),
    /// A page of the Docusaurus site that Syllabus does not build (`src/pages/x.tsx`).
    SitePage(String),
}

/// Rewrites link and image destinations of one page.
pub(crate) fn rewrite<'e>(
    events: Vec<Spanned<'e>>,
    page: PageId,
    doc_path: &str,
    targets: &Targets<'_>,
) -> (Vec<Spanned<'e>>, Found) {
    let mut found = Found::default();
    let dir = doc_path.rsplit_once('/').map_or("", |(d, _)| d);
    let out = events
        .into_iter()
        .map(|(event, range)| {
            let event = match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url = resolve_into(
                        &dest_url,
                        page,
                        dir,
                        targets,
                        range.start,
                        &mut found,
                        false,
                    );
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url =
                        resolve_into(&dest_url, page, dir, targets, range.start, &mut found, true);
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
                Event::Html(html) => match prefix_root_urls(&html, targets) {
                    Some(html) => Event::Html(html.into()),
                    None => Event::Html(html),
                },
                Event::InlineHtml(html) => match prefix_root_urls(&html, targets) {
                    Some(html) => Event::InlineHtml(html.into()),
                    None => Event::InlineHtml(html),
                },
                other => other,
            };
            (event, range)
        })
        .collect();
    (out, found)
}

/// Raw HTML's site-absolute `src`, `href` and `poster` values (`<img src="/img/x.png">`, or
/// what `useBaseUrl('/img/x.png')` became) that name a page or file of the site, with the
/// base path in front when the site lives under one; `None` when nothing changes. Values
/// that name nothing of the site are left as written (they may be another app's on the host).
fn prefix_root_urls(html: &str, targets: &Targets<'_>) -> Option<String> {
    if targets.base == "/" || !html.contains("=\"/") && !html.contains("='/") {
        return None;
    }
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + 16);
    let mut copied = 0;
    let mut at = 0;
    while let Some(i) = lower[at..].find('=').map(|i| at + i) {
        at = i + 1;
        let name_start = lower[..i]
            .trim_end()
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |j| j + 1);
        let name = lower[name_start..i].trim_end();
        if !matches!(name, "src" | "href" | "poster") {
            continue;
        }
        let rest = &html[i + 1..];
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        let Some(len) = rest[1..].find(quote) else {
            continue;
        };
        let value = &rest[1..1 + len];
        let Some(abs) = value.strip_prefix('/').filter(|v| !v.starts_with('/')) else {
            continue;
        };
        let (path, _) = abs.split_once(['#', '?']).unwrap_or((abs, ""));
        let path = percent_decode(path);
        if matches!(
            resolve_site_path(&path, None, targets),
            Resolved::Missing(_)
        ) {
            continue;
        }
        let value_start = i + 2;
        out.push_str(&html[copied..value_start]);
        out.push_str(targets.base);
        copied = value_start + 1;
    }
    (copied > 0).then(|| {
        out.push_str(&html[copied..]);
        out
    })
}

fn resolve_into<'e>(
    dest: &str,
    page: PageId,
    dir: &str,
    targets: &Targets<'_>,
    offset: usize,
    found: &mut Found,
    image: bool,
) -> CowStr<'e> {
    match resolve(dest, page, dir, targets) {
        Resolved::External => CowStr::from(dest.to_string()),
        Resolved::Page(target, anchor) => {
            let href = match &anchor {
                Some(a) if target == page && (dest.starts_with('#')) => format!("#{a}"),
                Some(a) => format!(
                    "{}{}#{a}",
                    targets.base,
                    paths::encode_path(&targets.page_urls[target])
                ),
                None => format!(
                    "{}{}",
                    targets.base,
                    paths::encode_path(&targets.page_urls[target])
                ),
            };
            found.links.push(LinkRef {
                page: target,
                anchor,
                offset,
                written: dest.to_string(),
            });
            CowStr::from(href)
        }
        Resolved::File(path) => {
            CowStr::from(format!("{}{}", targets.base, paths::encode_path(&path)))
        }
        Resolved::Missing(what) => {
            let kind = if image { "image" } else { "link" };
            found.broken.push(Broken {
                offset,
                message: format!("broken {kind} `{dest}`: {what}"),
                help: suggest(dest, dir, targets),
                warn_only: false,
            });
            CowStr::from(dest.to_string())
        }
        Resolved::SitePage(route) => {
            found.broken.push(Broken {
                offset,
                message: format!(
                    "link `{dest}` names a page of the Docusaurus site (`src/pages/{route}`), which Syllabus does not build"
                ),
                help: Some("link to a page of the book, or to the full URL where that page is hosted".into()),
                warn_only: true,
            });
            CowStr::from(format!("{}{}", targets.base, dest.trim_start_matches('/')))
        }
    }
}

fn resolve(dest: &str, page: PageId, dir: &str, targets: &Targets<'_>) -> Resolved {
    if is_external(dest) {
        return Resolved::External;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = percent_decode(path);
    if path.is_empty() {
        return Resolved::Page(page, fragment);
    }
    if paths::is_markdown(&path) {
        return match markdown_target(&path, dir, targets) {
            Some(p) => Resolved::Page(p, fragment),
            None if path.starts_with('/') => Resolved::Missing(format!("no page at `{path}`")),
            None => match paths::normalize(&format!("{dir}/{path}")) {
                Some(joined) => Resolved::Missing(format!("no page at `{joined}`")),
                None => Resolved::Missing("it points above the content directory".into()),
            },
        };
    }
    if let Some(abs) = path.strip_prefix('/') {
        return resolve_site_path(abs, fragment, targets);
    }
    let Some(joined) = paths::normalize(&format!("{dir}/{path}")) else {
        return static_above_content(&path, dir, targets)
            .unwrap_or_else(|| Resolved::Missing("it points above the content directory".into()));
    };
    if let Some(asset) = targets.assets.get(&joined) {
        return Resolved::File(asset.url.clone());
    }
    // Not a content file: a URL relative to the page, read as a browser reads it from the
    // page's Docusaurus URL: `./b` from `/docs/a` is `/docs/b`, from `/docs/a/` (a folder's
    // index doc, see `slash_urls`) `/docs/a/b`. Where that names nothing, the other reading
    // is tried: a book copied without its `trailingSlash` setting still resolves.
    let page_url = &targets.page_urls[page];
    let parent = page_url
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or("", |(d, _)| &page_url[..=d.len()]);
    let mut dirs = [parent, page_url.as_str()];
    if page_url == targets.root_url || targets.slash_urls.get(page) == Some(&true) {
        dirs.swap(0, 1);
    }
    dirs.iter()
        .filter_map(|dir| paths::normalize(&format!("{dir}{path}")))
        .map(|rel| resolve_site_path(&rel, fragment.clone(), targets))
        .find(|r| !matches!(r, Resolved::Missing(_)))
        .unwrap_or_else(|| {
            Resolved::Missing(format!(
                "no page or file `{joined}` in the content directory"
            ))
        })
}

/// The page a `.md` link names, where Docusaurus looks: `./` and `../` links beside the
/// file only; other relative ones in the content root first, then beside the file;
/// `/x.md` in the content root, or from the project root (`/docs/x.md`).
fn markdown_target(path: &str, dir: &str, targets: &Targets<'_>) -> Option<PageId> {
    let find = |p: Option<String>| p.and_then(|p| targets.page_by_path.get(&p).copied());
    if let Some(abs) = path.strip_prefix('/') {
        let content_dir = targets.content_dir.trim_matches('/');
        // `/docs/x.md` names the file from the project root; where the docs folder was
        // renamed (a copied book), the route base stands for it.
        let below = |prefix: &str| {
            let prefix = prefix.trim_matches('/');
            (!prefix.is_empty())
                .then(|| abs.strip_prefix(prefix)?.strip_prefix('/'))
                .flatten()
                .and_then(|rest| find(paths::normalize(rest)))
        };
        return find(paths::normalize(abs))
            .or_else(|| below(content_dir))
            .or_else(|| below(targets.root_url));
    }
    let beside = || find(paths::normalize(&format!("{dir}/{path}")));
    if path.starts_with("./") || path.starts_with("../") {
        beside()
    } else {
        find(paths::normalize(path)).or_else(beside)
    }
}

/// A relative path out of the content directory into the project's `static/` folder
/// (`../static/img/x.png` from `docs/intro.md`), which Docusaurus resolves as a file: the
/// static file's URL.
fn static_above_content(path: &str, dir: &str, targets: &Targets<'_>) -> Option<Resolved> {
    let content_dir = targets.content_dir.trim_matches('/');
    let in_project = paths::normalize(&format!("{content_dir}/{dir}/{path}"))?;
    let file = in_project.strip_prefix("static/")?;
    Some(if targets.static_paths.contains(file) {
        Resolved::File(file.to_string())
    } else {
        Resolved::Missing(format!("no file `{in_project}` in the project"))
    })
}

fn resolve_site_path(abs: &str, fragment: Option<String>, targets: &Targets<'_>) -> Resolved {
    let trimmed = abs
        .trim_end_matches('/')
        .trim_end_matches("index.html")
        .trim_end_matches('/');
    let url = if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}/")
    };
    if let Some(&p) = targets.page_by_url.get(&url) {
        return Resolved::Page(p, fragment);
    }
    if targets.static_paths.contains(abs) || targets.assets.values().any(|a| a.url == abs) {
        return Resolved::File(abs.to_string());
    }
    if targets.site_pages.contains(trimmed) {
        let file = if trimmed.is_empty() { "index" } else { trimmed };
        return Resolved::SitePage(file.to_string());
    }
    Resolved::Missing(format!("no page or file at `/{abs}`"))
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let scheme_end = dest.find(':');
    scheme_end.is_some_and(|i| {
        i > 0
            && dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `%XX` escapes decoded; the text as written when they do not make UTF-8.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

/// The existing page whose path is closest to a broken link's, as a hint.
fn suggest(dest: &str, dir: &str, targets: &Targets<'_>) -> Option<String> {
    let wanted = dest.split('#').next().unwrap_or(dest);
    let wanted = paths::normalize(&format!("{dir}/{wanted}")).unwrap_or_default();
    let name = wanted.rsplit('/').next().unwrap_or(&wanted).to_string();
    let best = targets
        .page_by_path
        .keys()
        .map(|k| {
            (
                strsim::levenshtein(&name, k.rsplit('/').next().unwrap_or(k)),
                k,
            )
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))?;
    (best.0 <= (name.len() / 3).max(2))
        .then(|| format!("did you mean `{}`?", relative_to(dir, best.1)))
}

fn relative_to(dir: &str, target: &str) -> String {
    if dir.is_empty() {
        return format!("./{target}");
    }
    let d: Vec<&str> = dir.split('/').collect();
    let t: Vec<&str> = target.split('/').collect();
    let common = d.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let ups = d.len() - common;
    let mut s = if ups == 0 {
        "./".to_string()
    } else {
        "../".repeat(ups)
    };
    s.push_str(&t[common..].join("/"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn externals_and_decoding() {
        assert!(is_external("https://docker.com"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn"));
        assert!(!is_external("./a.md"));
        assert!(!is_external("/docs/a"));
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(relative_to("a/b", "a/c/d.md"), "../c/d.md");
        assert_eq!(percent_decode("%zz%C3%A9%"), "%zzé%");
        assert_eq!(percent_decode("%ff.md"), "%ff.md");
    }

    #[test]
    fn raw_html_site_absolute_urls_get_the_base_path() {
        let page_by_url: HashMap<String, PageId> = [("docs/a/".to_string(), 0)].into();
        let static_paths: BTreeSet<String> = ["img/x.png".to_string()].into();
        let (page_by_path, assets) = (HashMap::new(), BTreeMap::new());
        let page_urls = vec!["docs/a/".to_string()];
        let site_pages = BTreeSet::new();
        let targets = |base| Targets {
            base,
            page_by_path: &page_by_path,
            page_by_url: &page_by_url,
            page_urls: &page_urls,
            assets: &assets,
            static_paths: &static_paths,
            content_dir: "docs",
            root_url: "docs/",
            slash_urls: &[],
            site_pages: &site_pages,
        };
        let t = targets("/course/");
        assert_eq!(
            prefix_root_urls(r#"<img src="/img/x.png" alt="/img/x.png"/>"#, &t).as_deref(),
            Some(r#"<img src="/course/img/x.png" alt="/img/x.png"/>"#)
        );
        assert_eq!(
            prefix_root_urls(
                "<a HREF='/docs/a/#s'>a</a> <video poster=\"/img/x.png\">",
                &t
            )
            .as_deref(),
            Some("<a HREF='/course/docs/a/#s'>a</a> <video poster=\"/course/img/x.png\">")
        );
        // Already under the base, unknown to the site, protocol-relative, or a root site:
        // left as written.
        for html in [
            r#"<img src="/course/img/x.png">"#,
            r#"<img src="/elsewhere.png">"#,
            r#"<img src="//cdn.example/x.png">"#,
            r#"<img data-src="/img/x.png">"#,
        ] {
            assert_eq!(prefix_root_urls(html, &t), None, "{html}");
        }
        assert_eq!(
            prefix_root_urls(r#"<img src="/img/x.png">"#, &targets("/")),
            None
        );
    }
}
