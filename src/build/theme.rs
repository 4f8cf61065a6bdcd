//! The theme's files as published (issue 18): the built-in static files with the project's
//! in their place, plus the generated code stylesheet and reading-progress data, through
//! `site::assets` (minified, hashed names); the map templates read as `site.assets`.

use crate::site::{self, assets};
use crate::site_path::SitePath;
use std::collections::{BTreeMap, BTreeSet};

/// The published static files and each hashed file's href by its unhashed site path.
pub(super) struct Theme {
    pub(super) files: BTreeMap<SitePath, Vec<u8>>,
    pub(super) hrefs: BTreeMap<String, String>,
    /// Each theme stylesheet's text when it is inlined, else "" (`assets::inline_sheets`).
    pub(super) inline: BTreeMap<String, String>,
}

/// Publishes `static_files` (built-in and project files, unhashed) and the generated
/// `extra` files; the built-in paths and the generated ones get hashed names.
pub(super) fn publish(
    static_files: &BTreeMap<SitePath, Vec<u8>>,
    extra: Vec<(&str, Vec<u8>)>,
    base: &str,
) -> Theme {
    let mut theme: BTreeSet<String> = site::default_static().into_keys().collect();
    let mut files: BTreeMap<String, Vec<u8>> = static_files
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.clone()))
        .collect();
    for (path, bytes) in extra {
        theme.insert(path.to_string());
        files.insert(path.to_string(), bytes);
    }
    let published = assets::publish(files, &theme);
    let inline = assets::inline_sheets(&published);
    let files = published
        .files
        .into_iter()
        .filter_map(|(k, v)| Some((SitePath::new(&k).ok()?, v)))
        .collect();
    Theme {
        files,
        hrefs: assets::hrefs(&published.names, base),
        inline,
    }
}
