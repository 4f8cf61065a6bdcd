//! A locale's files in Docusaurus' layout under `i18n/<locale>/`: the translated docs
//! (`docusaurus-plugin-content-docs/current/`, same paths as the content directory), the
//! translated sidebar labels (`docusaurus-plugin-content-docs/current.json`) and the theme's
//! strings (`code.json`) and the navbar's (`docusaurus-theme-classic/navbar.json`: the
//! site's title). Read for each locale of `[site] locales` but the default; the default
//! locale's own JSON files (not its docs) are read too, as Docusaurus reads them.

use super::{walk, SourceFile, TextFile};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;

/// The folder of every locale's files, relative to the project root.
pub(super) const DIR: &str = "i18n";
const DOCS: &str = "docusaurus-plugin-content-docs";

/// One locale's translated files.
#[derive(Debug, Clone, Default)]
pub struct Translation {
    /// Translated content files, by path relative to the content directory, sorted.
    pub docs: Vec<SourceFile>,
    /// `current.json`: translated category and sidebar labels.
    pub labels: Option<TextFile>,
    /// `code.json`: the theme's strings.
    pub code: Option<TextFile>,
    /// `docusaurus-theme-classic/navbar.json`: the navbar's title (the site's title).
    pub navbar: Option<TextFile>,
}

/// Every non-default locale's files (an empty translation for a locale without a folder).
pub(super) fn read(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Translation> {
    let default = config.default_locale();
    let mut out = BTreeMap::new();
    for locale in config.site.locales.iter().filter(|l| *l != default) {
        let dir = format!("{DIR}/{locale}");
        let docs_dir = format!("{dir}/{DOCS}/current");
        let docs = walk(root, &root.join(&docs_dir), &docs_dir, diagnostics)
            .into_iter()
            .map(|(path, bytes)| SourceFile { path, bytes })
            .collect();
        let mut translation = json_files(root, locale, diagnostics);
        translation.docs = docs;
        out.insert(locale.clone(), translation);
    }
    out
}

/// The default locale's JSON files (`i18n/<default>/code.json`, `current.json`,
/// `navbar.json`): they apply to the default language too. Its docs are the content's.
pub(super) fn read_default(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Translation {
    json_files(root, config.default_locale(), diagnostics)
}

/// A locale's `code.json`, `current.json` and `navbar.json`, where they exist.
fn json_files(root: &Path, locale: &str, diagnostics: &mut Vec<Diagnostic>) -> Translation {
    let dir = format!("{DIR}/{locale}");
    let mut text = |rel: String| {
        let path = root.join(&rel);
        if !path.is_file() {
            return None;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(TextFile { path: rel, text }),
            Err(e) => {
                diagnostics.push(Diagnostic::error(rel, 0, 0, format!("cannot read: {e}")));
                None
            }
        }
    };
    Translation {
        docs: Vec::new(),
        labels: text(format!("{dir}/{DOCS}/current.json")),
        code: text(format!("{dir}/code.json")),
        navbar: text(format!("{dir}/docusaurus-theme-classic/navbar.json")),
    }
}
