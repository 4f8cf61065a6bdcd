//! A site in several languages (`[site] locales`): the default locale's site at the base,
//! each other locale's at `<base><locale>/`, built by the same build from the project with
//! the locale's translated docs in place of the originals (Docusaurus' `i18n/` layout). A
//! doc without a translation is the original, marked untranslated; the sitemap, written once,
//! lists every language of each page. A site in one language is built exactly as before.

use super::{build_site, site_base, BuildOptions, BuildReport, Resources};
use crate::config::{BaseUrl, Config, Direction};
use crate::content::Book;
use crate::diagnostic::Diagnostic;
use crate::output::Sink;
use crate::site::i18n::{self, Alternate, Strings};
use crate::site_path::SitePath;
use crate::source::{SourceFile, SourceSet, Translation};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The language a build makes, and the site's other languages.
pub(super) struct Locale {
    code: String,
    direction: Direction,
    /// The theme's strings in this language.
    pub(super) strings: Strings,
    /// Every locale of the site, the default first: code, name, base; empty with one.
    all: Vec<(String, String, BaseUrl)>,
    /// The content files that have a translation (`None`: the default locale).
    translated: Option<BTreeSet<String>>,
    /// Category labels (as in the default locale) to their translation.
    labels: BTreeMap<String, String>,
    /// Per locale of `all`: each content file's page URL in that language (a translated
    /// doc may have its own `slug`); empty with one language.
    urls: Vec<Arc<BTreeMap<String, String>>>,
    /// Docs' sidebar labels to their translation (`current.json`'s `doc` keys).
    doc_labels: BTreeMap<String, String>,
    /// The site's title in this language (`navbar.json`'s `title`).
    title: Option<String>,
}

impl Locale {
    /// The language's code.
    pub(super) fn code(&self) -> &str {
        &self.code
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub(super) fn dir(&self) -> &'static str {
        match self.direction {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// True when the site has more than one language.
    pub(super) fn is_multilingual(&self) -> bool {
        !self.all.is_empty()
    }

    /// The page at site URL `url` in every language (none for a site in one language):
    /// the page of the same content file (`source`) where it has one, as Docusaurus
    /// matches docs by their source path, so a translated `slug` is followed.
    pub(super) fn alternates(&self, url: &str, source: Option<&str>) -> Vec<Alternate> {
        self.all
            .iter()
            .enumerate()
            .map(|(i, (code, label, base))| {
                let url = localised(&self.urls, i, source).unwrap_or(url);
                Alternate {
                    lang: code.clone(),
                    label: label.clone(),
                    href: format!("{}{url}", base.path),
                    absolute: base.absolute(url),
                    current: *code == self.code,
                }
            })
            .collect()
    }

    /// Each locale's URLs of the content files, for the memo's keys.
    pub(super) fn urls(&self) -> &[Arc<BTreeMap<String, String>>] {
        &self.urls
    }

    /// True when the content file at `path` is shown untranslated in this locale.
    pub(super) fn untranslated(&self, path: &str) -> bool {
        self.translated.as_ref().is_some_and(|t| !t.contains(path))
    }

    /// Gives categories their translated labels (`current.json`).
    pub(super) fn translate_labels(&self, book: &mut Book) {
        // The generated home page of a content tree without one is "Home" in English.
        let root = book.root();
        let home = self.strings.get("home");
        if book.pages[book.nodes[root].page].source.is_none() && home != "Home" {
            let node = &mut book.nodes[root];
            if node.label == "Home" {
                node.label = home.to_string();
                book.pages[node.page].title = home.to_string();
            }
        }
        if let Some(title) = &self.title {
            book.title = title.clone();
        }
        for node in book.nodes.iter_mut().filter(|n| !n.is_category) {
            if let Some(label) = self.doc_labels.get(&node.label) {
                node.label = label.clone();
            }
        }
        if self.labels.is_empty() {
            return;
        }
        for node in book.nodes.iter_mut().filter(|n| n.is_category) {
            if let Some(label) = self.labels.get(&node.label) {
                let page = &mut book.pages[node.page];
                if page.source.is_none() {
                    page.title = label.clone();
                }
                node.label = label.clone();
            }
        }
    }
}

/// The site's default language, alone (the site's others not yet set).
pub(super) fn default_locale(sources: &SourceSet, diagnostics: &mut Vec<Diagnostic>) -> Locale {
    let config = &sources.config;
    let default = config.default_locale().to_string();
    // The default locale's own `i18n/<default>/` files apply to it too.
    let own = &sources.default_translation;
    let (labels, doc_labels) = labels(own, diagnostics);
    Locale {
        direction: i18n::direction(config, &default),
        strings: Strings::new(&default, code_json(own), diagnostics),
        code: default,
        all: Vec::new(),
        urls: Vec::new(),
        translated: None,
        labels,
        doc_labels,
        title: navbar_title(own, diagnostics),
    }
}

/// True when the site is in one language (`build` then makes one site, no overlays).
pub(super) fn is_single(sources: &SourceSet) -> bool {
    let default = sources.config.default_locale();
    sources.config.site.locales.iter().all(|l| l == default)
}

/// Builds every locale of the site into `sink`.
pub(super) fn build(
    sources: &SourceSet,
    options: &BuildOptions<'_>,
    resources: &Resources,
    sink: &dyn Sink,
) -> BuildReport {
    let config = &sources.config;
    let default = config.default_locale().to_string();
    let mut diagnostics = Vec::new();
    let mut others: Vec<&String> = Vec::new();
    for l in &config.site.locales {
        if *l == default || others.contains(&l) {
            continue;
        }
        if valid_code(l) {
            others.push(l);
        } else {
            diagnostics.push(
                Diagnostic::error(
                    "book.toml",
                    0,
                    0,
                    format!("locale `{l}` is not a language tag"),
                )
                .with_help("use a code such as `ur`, `zh-Hans` or `pt-BR`"),
            );
        }
    }
    let one = |diagnostics: &mut Vec<Diagnostic>| default_locale(sources, diagnostics);
    let base = match site_base(sources, options) {
        Ok(base) if !others.is_empty() => base,
        // One language (or a bad base URL, which the build reports): as before.
        _ => {
            let locale = one(&mut diagnostics);
            let (mut report, _) = build_site(sources, options, resources, sink, &locale);
            if !diagnostics.is_empty() {
                report.diagnostics.extend(diagnostics);
                report.diagnostics.sort();
            }
            return report;
        }
    };
    let all: Vec<(String, String, BaseUrl)> = std::iter::once(&default)
        .chain(others.iter().copied())
        .map(|l| {
            let mut b = base.clone();
            if *l != default {
                b.path = format!("{}{l}/", base.path);
            }
            (l.clone(), i18n::label(config, l), b)
        })
        .collect();
    // Every locale's project (the default's as it is), and its URL of each content file.
    let empty = Translation::default();
    let overlays: Vec<(SourceSet, BTreeMap<String, String>)> = all
        .iter()
        .skip(1)
        .map(|(code, ..)| {
            let translation = sources.translations.get(code).unwrap_or(&empty);
            overlay(sources, code, translation)
        })
        .collect();
    let urls: Vec<Arc<BTreeMap<String, String>>> = std::iter::once(sources)
        .chain(overlays.iter().map(|(o, _)| o))
        .map(|s| Arc::new(content_urls(s, resources)))
        .collect();
    let mut locale = one(&mut diagnostics);
    locale.all = all.clone();
    locale.urls = urls.clone();
    let no_sitemap = Filtered {
        inner: sink,
        prefix: String::new(),
        drop: &["sitemap.xml"],
    };
    let (mut report, listed) = build_site(sources, options, resources, &no_sitemap, &locale);
    for ((code, _, locale_base), (overlay, translated)) in all.iter().skip(1).zip(&overlays) {
        let translation = sources.translations.get(code).unwrap_or(&empty);
        let (labels, doc_labels) = labels(translation, &mut diagnostics);
        let locale = Locale {
            code: code.clone(),
            direction: i18n::direction(config, code),
            strings: Strings::new(code, code_json(translation), &mut diagnostics),
            all: all.clone(),
            urls: urls.clone(),
            labels,
            doc_labels,
            title: navbar_title(translation, &mut diagnostics),
            translated: Some(translated.keys().cloned().collect()),
        };
        let raw = format!(
            "{}{}",
            locale_base.origin.as_deref().unwrap_or(""),
            locale_base.path
        );
        let locale_options = BuildOptions {
            base_url: Some(raw),
            on_page: options.on_page,
            check_only: options.check_only,
            skip_search: options.skip_search,
            sitemap_urls: options.sitemap_urls,
            cancel: options.cancel,
            search_only: options.search_only,
        };
        let prefixed = Filtered {
            inner: sink,
            prefix: format!("{code}/"),
            drop: &["sitemap.xml", "robots.txt"],
        };
        let (locale_report, _) =
            build_site(overlay, &locale_options, resources, &prefixed, &locale);
        let content_dir = format!("{}/", sources.content_dir);
        diagnostics.extend(locale_report.diagnostics.into_iter().map(|mut d| {
            if let Some(file) = d
                .path
                .strip_prefix(&content_dir)
                .and_then(|p| translated.get(p))
            {
                d.path = file.clone();
            }
            d
        }));
    }
    if !options.check_only && base.origin.is_some() {
        let source_of: BTreeMap<&str, &str> = urls[0]
            .iter()
            .map(|(path, url)| (url.as_str(), path.as_str()))
            .collect();
        let rows: Vec<Vec<(String, String)>> = listed
            .iter()
            .map(|url| {
                let source = source_of.get(url.as_str()).copied();
                all.iter()
                    .enumerate()
                    .filter_map(|(i, (code, _, b))| {
                        let url = localised(&urls, i, source).unwrap_or(url);
                        Some((code.clone(), b.absolute(url)?))
                    })
                    .collect()
            })
            .collect();
        let root = base.absolute("").unwrap_or_default();
        for (name, xml) in i18n::sitemap(&rows, &root, options.sitemap_urls()) {
            sink.put(&SitePath::generated(&name), xml.into_bytes());
        }
    }
    report.diagnostics.extend(diagnostics);
    report.diagnostics.sort();
    report.diagnostics.dedup();
    report
}

/// The URL of content file `source` in the `i`th locale, if it is a page there.
fn localised<'u>(
    urls: &'u [Arc<BTreeMap<String, String>>],
    i: usize,
    source: Option<&str>,
) -> Option<&'u str> {
    urls.get(i)?.get(source?).map(String::as_str)
}

/// Each content file's page URL in a project (loaded as the build loads it, through the
/// memo's front matter cache when it is on).
fn content_urls(sources: &SourceSet, resources: &Resources) -> BTreeMap<String, String> {
    let memo = &resources.memo;
    let files = if memo.is_keyed() {
        super::keys::FileKeys::of(sources, &|| false)
    } else {
        super::keys::FileKeys::default()
    };
    let book = crate::content::load_with(sources, &sources.config, |index, file, display| {
        memo.parse(&files, index, file, display)
    });
    book.pages
        .iter()
        .filter_map(|p| Some((sources.content.get(p.source?)?.path.clone(), p.url.clone())))
        .collect()
}

/// True when pages link the languages' stylesheet: several locales, or a right-to-left one.
pub(super) fn uses_stylesheet(config: &Config) -> bool {
    let default = config.default_locale();
    config.site.locales.iter().any(|l| l != default)
        || i18n::direction(config, default) == Direction::Rtl
}

/// A language tag that is safe as a folder name (`ur`, `zh-Hans`, `pt_BR`).
fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 35
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The project with the locale's translations in place of the originals (a translation
/// with no original is left out: Docusaurus builds the original's docs), and the
/// translated paths with their project paths, for diagnostics.
fn overlay(
    sources: &SourceSet,
    code: &str,
    translation: &Translation,
) -> (SourceSet, BTreeMap<String, String>) {
    let by_path: BTreeMap<&str, &SourceFile> = translation
        .docs
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let mut translated = BTreeMap::new();
    let content = sources
        .content
        .iter()
        .enumerate()
        .map(|(i, f)| match by_path.get(f.path.as_str()) {
            Some(t) => {
                translated.insert(
                    f.path.clone(),
                    format!(
                        "i18n/{code}/docusaurus-plugin-content-docs/current/{}",
                        f.path
                    ),
                );
                (*t).clone()
            }
            // The overlay holds its files (a read error is reported by the default build).
            None if sources.is_deferred() => SourceFile {
                path: f.path.clone(),
                bytes: sources.bytes(i).map(|b| b.into_owned()).unwrap_or_default(),
            },
            None => f.clone(),
        })
        .collect();
    let mut config: Config = sources.config.clone();
    config.book.language = code.to_string();
    let overlay = SourceSet {
        config,
        content_dir: sources.content_dir.clone(),
        content,
        templates: sources.templates.clone(),
        static_files: sources.static_files.clone(),
        sidebars: sources.sidebars.clone(),
        note: None,
        // Reported once, by the default locale's build.
        diagnostics: Vec::new(),
        last_commits: sources.last_commits.clone(),
        site_pages: sources.site_pages.clone(),
        translations: BTreeMap::new(),
        default_translation: Default::default(),
        on_disk: None,
    };
    (overlay, translated)
}

/// A locale's `code.json`, as `Strings::new` takes it.
fn code_json(translation: &Translation) -> Option<(&str, &str)> {
    translation
        .code
        .as_ref()
        .map(|f| (f.path.as_str(), f.text.as_str()))
}

/// The translated labels of a locale's `current.json`: categories', then docs'.
fn labels(
    translation: &Translation,
    diagnostics: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let Some(file) = &translation.labels else {
        return Default::default();
    };
    let help = "the sidebar keeps its labels";
    let m = read_messages(file, help, diagnostics);
    (i18n::category_labels(&m), i18n::doc_labels(&m))
}

/// The site's title in a locale's `navbar.json` (`title`), if it has one.
fn navbar_title(translation: &Translation, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let file = translation.navbar.as_ref()?;
    let help = "the site keeps its title";
    read_messages(file, help, diagnostics)
        .remove("title")
        .filter(|t| !t.trim().is_empty())
}

/// A Docusaurus translation file's messages; one that is not valid JSON is a warning at its
/// line and column, and reads as none.
fn read_messages(
    file: &crate::source::TextFile,
    help: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    i18n::messages(&file.text).unwrap_or_else(|e| {
        diagnostics.push(
            Diagnostic::warning(
                &file.path,
                e.line(),
                e.column(),
                format!("not valid JSON: {e}"),
            )
            .with_help(help),
        );
        BTreeMap::new()
    })
}

/// Passes files on under a prefix, leaving out the ones written once for every locale.
struct Filtered<'a> {
    inner: &'a dyn Sink,
    prefix: String,
    drop: &'static [&'static str],
}

impl Filtered<'_> {
    fn path(&self, path: &SitePath) -> Option<SitePath> {
        if self.drop.contains(&path.as_str()) {
            return None;
        }
        if self.prefix.is_empty() {
            return Some(path.clone());
        }
        SitePath::new(&format!("{}{}", self.prefix, path.as_str())).ok()
    }
}

impl Sink for Filtered<'_> {
    fn put(&self, path: &SitePath, bytes: Vec<u8>) {
        if let Some(p) = self.path(path) {
            self.inner.put(&p, bytes);
        }
    }

    fn put_shared(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        if let Some(p) = self.path(path) {
            self.inner.put_shared(&p, bytes);
        }
    }

    fn put_packed(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        if let Some(p) = self.path(path) {
            self.inner.put_packed(&p, bytes);
        }
    }

    fn put_kept(&self, path: &SitePath, kept: &crate::output::KeptFile) {
        if let Some(p) = self.path(path) {
            self.inner.put_kept(&p, kept);
        }
    }

    fn wants_kept_bytes(&self) -> bool {
        self.inner.wants_kept_bytes()
    }
}
