//! `book.toml`: the project's settings, strict about keys, with documented defaults.

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::site_path::SitePath;
use serde::Deserialize;
use std::collections::BTreeMap;

pub(crate) mod docusaurus;

/// The whole `book.toml`. Every table is optional; unknown keys are errors.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[book]`.
    #[serde(default)]
    pub book: BookConfig,
    /// `[build]`.
    #[serde(default)]
    pub build: BuildConfig,
    /// `[site]`.
    #[serde(default)]
    pub site: SiteConfig,
    /// `[markdown]`.
    #[serde(default)]
    pub markdown: MarkdownConfig,
}

/// `[book]`: mdBook's keys where the concept is the same.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BookConfig {
    /// Site title; default: the root page's title.
    pub title: Option<String>,
    /// Site description, used where a page has none.
    pub description: Option<String>,
    /// The book's authors.
    pub authors: Vec<String>,
    /// `<html lang>`; default `en`.
    pub language: String,
    /// Content directory relative to the project root; default `content`.
    pub src: String,
    /// Globs relative to `src` of files left out of the site.
    pub exclude: Vec<String>,
    /// Docusaurus' sidebars file, relative to the project root; default: `sidebars.js`,
    /// `.ts`, `.json`, `.mjs` or `.cjs` if there is one; `""` for none (the folders decide).
    pub sidebars: Option<String>,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: None,
            description: None,
            authors: Vec::new(),
            language: "en".into(),
            src: "content".into(),
            exclude: Vec::new(),
            sidebars: None,
        }
    }
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BuildConfig {
    /// Output directory relative to the project root; default `public`.
    pub build_dir: String,
    /// What a broken link is: `error` (default) or `warn`.
    pub on_broken_links: BrokenLinks,
    /// Globs (relative to the output directory) of entries a build keeps there, besides the
    /// ones always kept (`.git`, `CNAME`, `.nojekyll`, `.gitkeep`); default none.
    pub keep: Vec<String>,
    /// Highlight unlabelled code blocks whose language is unmistakable; default `false`
    /// (they stay plain text, as in Docusaurus).
    pub detect_code_language: bool,
    /// Compressed copies (`.br`, `.gz`) beside every text file above 1 KB, for hosts that
    /// serve them; default none (issue 18).
    pub precompress: Vec<Encoding>,
}

/// A `[build] precompress` encoding.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum Encoding {
    /// Brotli, `.br`.
    #[serde(rename = "br")]
    Brotli,
    /// gzip, `.gz`.
    #[serde(rename = "gzip")]
    Gzip,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            build_dir: "public".into(),
            on_broken_links: BrokenLinks::Error,
            keep: Vec::new(),
            detect_code_language: false,
            precompress: Vec::new(),
        }
    }
}

/// Severity of broken links and anchors.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    /// The build fails (the default).
    Error,
    /// The build reports them and goes on.
    Warn,
}

/// `[site]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SiteConfig {
    /// Where the site is hosted: a path (`/course/`) or a full URL
    /// (`https://example.org/course/`); default `/`.
    pub base_url: Option<String>,
    /// Where the content tree is mounted below the base; default the site root.
    pub route_base: String,
    /// A page's source is at this URL plus its path in the content directory (Docusaurus'
    /// string `editUrl`), for an "Edit this page" link; default none.
    pub edit_url: Option<String>,
    /// Show "Last updated" on each page, from the last commit of its file (one `git log`
    /// per build; nothing outside a git checkout); default `false` (Docusaurus'
    /// `showLastUpdateTime`).
    pub last_updated: bool,
    /// The site's locales (Docusaurus' `i18n.locales`); default none.
    pub locales: Vec<String>,
    /// The default locale (Docusaurus' `i18n.defaultLocale`).
    pub default_locale: Option<String>,
    /// Per-locale settings (`[site.locale-config.ur] direction = "rtl"`; Docusaurus'
    /// `i18n.localeConfigs`); default none.
    pub locale_config: BTreeMap<String, LocaleConfig>,
    /// Docusaurus' `trailingSlash`, for reading relative links as its pages' URLs do:
    /// `true` (every URL ends in `/`), `false` (none does), or unset (only a folder's index
    /// doc and a `slug` written with `/` do). Our own URLs always end in `/`.
    pub trailing_slash: Option<bool>,
}

impl Config {
    /// The locale of the content directory: `[site] default-locale`, else `[book] language`.
    pub(crate) fn default_locale(&self) -> &str {
        self.site
            .default_locale
            .as_deref()
            .unwrap_or(&self.book.language)
    }
}

/// `[site.locale-config.<locale>]`: how one locale is shown.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct LocaleConfig {
    /// The language switcher's name for it; default its own name for the language
    /// (`اردو` for `ur`), else the code.
    pub label: Option<String>,
    /// `ltr` or `rtl`; default `rtl` for Arabic-script and Hebrew locales (ar, fa, ur, he …).
    pub direction: Option<Direction>,
}

/// A script's direction.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// `[markdown]`: Markdown extensions a book turns on or off.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct MarkdownConfig {
    /// ```` ```mermaid ```` fences become diagrams (inline SVG, drawn at build time);
    /// default `false`, so they show as code, as in Docusaurus without `markdown.mermaid`.
    pub mermaid: bool,
    /// `$…$` and `$$…$$` become formulas; default `false`, so prices are never mangled
    /// (Docusaurus needs remark-math for it).
    pub math: bool,
}

/// The base URL split into what pages need: a path prefix for links and, when the
/// base URL is absolute, the origin for canonical URLs and the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// Always starts and ends with `/`.
    pub path: String,
    /// `https://host` without a trailing slash, when known.
    pub origin: Option<String>,
}

impl BaseUrl {
    /// Parses `/x/`, `x`, `https://host/x` and the like.
    pub(crate) fn parse(raw: &str) -> Result<BaseUrl, String> {
        let raw = raw.trim();
        let (origin, path) = match raw.split_once("://") {
            Some((scheme, rest)) => {
                if scheme != "http" && scheme != "https" {
                    return Err(format!("base-url `{raw}` must be a path or an http(s) URL"));
                }
                let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
                if host.is_empty() {
                    return Err(format!("base-url `{raw}` has no host"));
                }
                (Some(format!("{scheme}://{host}")), path)
            }
            None => (None, raw),
        };
        if path.contains(['?', '#', ' ', '\\']) {
            return Err(format!(
                "base-url `{raw}` may not contain spaces, `?`, `#` or `\\`"
            ));
        }
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(BaseUrl { path, origin })
    }

    /// The absolute URL of a site path (relative to the base), if the origin is known.
    pub(crate) fn absolute(&self, site_path: &str) -> Option<String> {
        self.origin
            .as_ref()
            .map(|o| format!("{o}{}{site_path}", self.path))
    }
}

/// Parses `book.toml`; an error carries the line and column of the offending key.
pub fn parse(text: &str) -> Result<Config, Diagnostic> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |span| {
            LineIndex::new(text).position(text, span.start)
        });
        Diagnostic::error("book.toml", line, column, e.message().trim().to_string())
    })?;
    for glob in &config.build.keep {
        globset::Glob::new(glob).map_err(|e| {
            Diagnostic::error(
                "book.toml",
                key_line(text, "keep"),
                1,
                format!("`[build] keep`: invalid glob `{glob}`: {e}"),
            )
        })?;
    }
    if let Some(base) = &config.site.base_url {
        BaseUrl::parse(base)
            .map_err(|m| Diagnostic::error("book.toml", key_line(text, "base-url"), 1, m))?;
    }
    let route_base = config.site.route_base.trim_matches('/');
    if !route_base.is_empty() {
        SitePath::new(route_base).map_err(|e| {
            Diagnostic::error(
                "book.toml",
                key_line(text, "route-base"),
                1,
                format!("`route-base = {route_base:?}` cannot be a folder of the site: {e}"),
            )
            .with_help("use plain folder names such as `docs` or `course/v2`")
        })?;
    }
    Ok(config)
}

/// A `book.toml` that [`parse`] reads back as `config` (every key written out).
pub(crate) fn to_toml(c: &Config) -> String {
    fn s(v: &str) -> String {
        toml::Value::String(v.to_string()).to_string()
    }
    fn list(v: &[String]) -> String {
        let items: Vec<String> = v.iter().map(|x| s(x)).collect();
        format!("[{}]", items.join(", "))
    }
    let mut out = String::from("[book]\n");
    if let Some(t) = &c.book.title {
        out += &format!("title = {}\n", s(t));
    }
    if let Some(d) = &c.book.description {
        out += &format!("description = {}\n", s(d));
    }
    if !c.book.authors.is_empty() {
        out += &format!("authors = {}\n", list(&c.book.authors));
    }
    out += &format!("language = {}\n", s(&c.book.language));
    out += &format!("src = {}\n", s(&c.book.src));
    if !c.book.exclude.is_empty() {
        out += &format!("exclude = {}\n", list(&c.book.exclude));
    }
    if let Some(sb) = &c.book.sidebars {
        out += &format!("sidebars = {}\n", s(sb));
    }
    out += &format!(
        "\n[build]\nbuild-dir = {}\non-broken-links = {}\ndetect-code-language = {}\n",
        s(&c.build.build_dir),
        s(match c.build.on_broken_links {
            BrokenLinks::Error => "error",
            BrokenLinks::Warn => "warn",
        }),
        c.build.detect_code_language
    );
    if !c.build.keep.is_empty() {
        out += &format!("keep = {}\n", list(&c.build.keep));
    }
    if !c.build.precompress.is_empty() {
        let names: Vec<String> = c
            .build
            .precompress
            .iter()
            .map(|e| match e {
                Encoding::Brotli => "br".to_string(),
                Encoding::Gzip => "gzip".to_string(),
            })
            .collect();
        out += &format!("precompress = {}\n", list(&names));
    }
    out += "\n[site]\n";
    if let Some(b) = &c.site.base_url {
        out += &format!("base-url = {}\n", s(b));
    }
    out += &format!("route-base = {}\n", s(&c.site.route_base));
    if let Some(e) = &c.site.edit_url {
        out += &format!("edit-url = {}\n", s(e));
    }
    if c.site.last_updated {
        out += "last-updated = true\n";
    }
    if !c.site.locales.is_empty() {
        out += &format!("locales = {}\n", list(&c.site.locales));
    }
    if let Some(d) = &c.site.default_locale {
        out += &format!("default-locale = {}\n", s(d));
    }
    if let Some(t) = c.site.trailing_slash {
        out += &format!("trailing-slash = {t}\n");
    }
    for (locale, lc) in &c.site.locale_config {
        out += &format!("\n[site.locale-config.{}]\n", s(locale));
        if let Some(l) = &lc.label {
            out += &format!("label = {}\n", s(l));
        }
        if let Some(d) = lc.direction {
            out += match d {
                Direction::Ltr => "direction = \"ltr\"\n",
                Direction::Rtl => "direction = \"rtl\"\n",
            };
        }
    }
    out += &format!(
        "\n[markdown]\nmermaid = {}\nmath = {}\n",
        c.markdown.mermaid, c.markdown.math
    );
    out
}

fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let c = parse("").unwrap();
        assert_eq!(c.book.src, "content");
        assert_eq!(c.book.language, "en");
        assert_eq!(c.build.build_dir, "public");
        assert_eq!(c.build.on_broken_links, BrokenLinks::Error);
        assert!(!c.build.detect_code_language);
        let on = parse("[build]\ndetect-code-language = true\n").unwrap();
        assert!(on.build.detect_code_language);
        let typo = parse("[build]\ndetect-code-languages = true\n").unwrap_err();
        assert!(
            typo.message.contains("`detect-code-language`"),
            "{}",
            typo.message
        );
        assert!(!c.markdown.mermaid);
        assert!(!c.markdown.math);
        assert!(c.build.precompress.is_empty());
        let both = parse("[build]\nprecompress = [\"br\", \"gzip\"]\n").unwrap();
        assert_eq!(both.build.precompress, [Encoding::Brotli, Encoding::Gzip]);
        let zstd = parse("[build]\nprecompress = [\"zstd\"]\n").unwrap_err();
        assert!(zstd.message.contains("zstd"), "{}", zstd.message);
    }

    #[test]
    fn markdown_keys() {
        let c = parse("[markdown]\nmermaid = true\nmath = true\n").unwrap();
        assert!(c.markdown.mermaid);
        assert!(c.markdown.math);
        let e = parse("[markdown]\nmaths = true\n").unwrap_err();
        assert!(e.message.contains("`math`"), "{}", e.message);
    }

    #[test]
    fn unknown_key_is_named_with_the_valid_ones() {
        let e = parse("[book]\ntitle = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
        assert!(
            e.message.contains("`title`") && e.message.contains("`exclude`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn to_toml_reads_back_as_the_same_config() {
        let mut c = Config::default();
        c.book.title = Some("A \"quoted\" title".into());
        c.book.exclude = vec!["**/x/**".into()];
        c.book.sidebars = Some(String::new());
        c.build.on_broken_links = BrokenLinks::Warn;
        c.build.keep = vec!["downloads/**".into()];
        c.build.detect_code_language = true;
        c.build.precompress = vec![Encoding::Brotli, Encoding::Gzip];
        c.site.base_url = Some("https://x.org/b/".into());
        c.site.route_base = "docs".into();
        c.site.edit_url = Some("https://github.com/x/y/edit/main/".into());
        c.site.locales = vec!["en".into(), "fr".into()];
        c.site.default_locale = Some("en".into());
        c.site.locale_config.insert(
            "ur".into(),
            LocaleConfig {
                label: Some("اردو".into()),
                direction: Some(Direction::Rtl),
            },
        );
        c.markdown.math = true;
        assert_eq!(parse(&to_toml(&c)).unwrap(), c);
        assert_eq!(
            parse(&to_toml(&Config::default())).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn a_route_base_outside_the_site_is_refused_at_its_line() {
        for bad in ["../..", "/docs/../../x", "a\\b", "C:/x", "docs//x", "nul"] {
            let e = parse(&format!("[site]\nroute-base = {bad:?}\n")).unwrap_err();
            assert_eq!((e.line, e.column), (2, 1), "{bad}: {e}");
            assert!(e.message.contains("cannot be a folder of the site"), "{e}");
        }
        assert_eq!(
            parse("[site]\nroute-base = \"/docs/\"\n")
                .unwrap()
                .site
                .route_base,
            "/docs/"
        );
    }

    #[test]
    fn keep_globs_are_checked_at_their_line() {
        let c = parse("[build]\nkeep = [\"downloads/**\"]\n").unwrap();
        assert_eq!(c.build.keep, ["downloads/**"]);
        let e = parse("[build]\n\nkeep = [\"a[\"]\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.contains("invalid glob `a[`")),
            (3, true),
            "{e}"
        );
    }

    #[test]
    fn base_url_forms() {
        assert_eq!(BaseUrl::parse("").unwrap().path, "/");
        assert_eq!(BaseUrl::parse("course").unwrap().path, "/course/");
        let b = BaseUrl::parse("https://example.org/course").unwrap();
        assert_eq!(b.path, "/course/");
        assert_eq!(b.absolute("a/").unwrap(), "https://example.org/course/a/");
        assert!(BaseUrl::parse("ftp://x/").is_err());
    }
}
