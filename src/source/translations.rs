//! A locale's files in Docusaurus' layout under `i18n/<locale>/`: the translated docs
//! (`docusaurus-plugin-content-docs/current/`, same paths as the content directory), the
//! translated sidebar labels (`docusaurus-plugin-content-docs/current.json`) and the theme's
//! strings (`code.json`). Read for each locale of `[site] locales` but the default.

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
        let text = |rel: String, diagnostics: &mut Vec<Diagnostic>| {
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
        let labels = text(format!("{dir}/{DOCS}/current.json"), diagnostics);
        let code = text(format!("{dir}/code.json"), diagnostics);
        out.insert(locale.clone(), Translation { docs, labels, code });
    }
    out
}
