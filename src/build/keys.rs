//! The keys of the build's cached steps: for each step, everything its result depends on,
//! hashed. They live beside the build, which makes those inputs; `crate::memo` only keeps
//! values by key.

use crate::config::BaseUrl;
use crate::content::{Book, Page, PageId};
use crate::markdown::links::Targets;
use crate::markdown::Renderer;
use crate::memo::{Key, KeyHasher};
use crate::site::view::SiteView;
use crate::source::SourceSet;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The keys of a build's content files (their bytes and paths), by index.
#[derive(Debug, Default, Clone)]
pub(super) struct FileKeys(Vec<Key>);

impl FileKeys {
    /// Every content file's key, hashed in parallel; once `cancelled` says so, the files
    /// left are not read (their keys are 0: the build must stop).
    pub(super) fn of(sources: &SourceSet, cancelled: &(dyn Fn() -> bool + Sync)) -> FileKeys {
        FileKeys(
            (0..sources.content.len())
                .into_par_iter()
                .map(|i| {
                    if cancelled() {
                        return 0;
                    }
                    FileKeys::key_of(sources, i)
                })
                .collect(),
        )
    }

    /// Content file `index`'s key.
    pub(super) fn key_of(sources: &SourceSet, index: usize) -> Key {
        // A file that cannot be read hashes as empty; its read reports it.
        let bytes = sources.bytes(index).unwrap_or_default();
        KeyHasher::key(|h| {
            h.bytes(&bytes).str(&sources.content[index].path);
        })
    }

    /// The key of parsing file `source` shown as `display` (its front matter).
    pub(super) fn parse(&self, source: usize, display: &str) -> Option<Key> {
        let file = *self.0.get(source)?;
        Some(KeyHasher::key(|h| {
            h.u64(file).str(display);
        }))
    }
}

/// The fingerprints of what every doc's rendering and every page's template share, hashed
/// once per build.
pub(super) struct BuildKeys {
    /// Link targets (every page URL and path, assets, static files), base path, severity.
    links: Key,
    /// Templates, the site-wide view and the base URL.
    context: Key,
    /// Everything about the book but the bodies of its docs: every node and page (titles,
    /// URLs, front matter, order), from which the views are made.
    book: Key,
    /// Each content file's key.
    files: FileKeys,
}

impl BuildKeys {
    /// The build's shared fingerprints.
    pub(super) fn new(
        renderer: &Renderer<'_>,
        templates: &BTreeMap<String, String>,
        site: &SiteView,
        base: &BaseUrl,
        book: &Book,
        files: FileKeys,
        locale_urls: &[Arc<BTreeMap<String, String>>],
    ) -> BuildKeys {
        // Destructured in full so that a new input cannot be forgotten here.
        let Renderer {
            highlighter: _,
            targets,
            broken_links,
            code_html,
            math,
            mermaid,
            diagrams: _,
            detect_code_language,
            components: _,
            // The locale's strings: `site.t` below.
            strings: _,
        } = renderer;
        let Targets {
            base: base_path,
            page_by_path,
            page_by_url: _,
            page_urls,
            assets,
            static_paths,
            content_dir,
            root_url,
            slash_urls,
            site_pages,
        } = targets;
        let Book {
            title,
            nodes,
            pages,
            page_by_path: _,
            assets: book_assets,
            sidebars,
            diagnostics: _,
        } = book;
        let links = KeyHasher::key(|h| {
            h.str(base_path)
                .str(content_dir)
                .str(root_url)
                .json(broken_links)
                .json(code_html)
                .json(math)
                .json(mermaid)
                .json(detect_code_language)
                .json(&site.t)
                .json(page_urls)
                .json(slash_urls)
                .json(site_pages);
            // Component templates render inside docs (`components` above).
            for (name, text) in templates.range("components/".to_string()..) {
                if !name.starts_with("components/") {
                    break;
                }
                h.str(name).str(text);
            }
            let mut by_path: Vec<(&String, &usize)> = page_by_path.iter().collect();
            by_path.sort_unstable();
            h.json(&by_path);
            for (path, asset) in assets.iter() {
                h.str(path).str(&asset.url);
            }
            h.json(static_paths);
        });
        let context = KeyHasher::key(|h| {
            // Pages link the same doc in every language (`hreflang`, the switcher).
            h.json(templates).json(site).debug(base);
            for urls in locale_urls {
                h.json(&**urls);
            }
        });
        let book = KeyHasher::key(|h| {
            h.str(title).debug(book_assets).debug(sidebars);
            for part in [debug_keys(nodes), debug_keys(pages)] {
                h.u64(part.len() as u64);
                for k in part {
                    h.u64(k);
                }
            }
        });
        BuildKeys {
            links,
            context,
            book,
            files,
        }
    }

    /// The content files' keys.
    pub(super) fn files(&self) -> &FileKeys {
        &self.files
    }

    /// Content file `index` has new bytes, whose key is `key` (`serve`'s patch of one
    /// doc, `patch.rs`).
    pub(super) fn set_file(&mut self, index: usize, key: Key) {
        if let Some(file) = self.files.0.get_mut(index) {
            *file = key;
        }
    }

    /// The key of a doc's rendering: its file (`source`, an index into the content files),
    /// its place, and the link targets.
    /// `bytes` (the file's) is asked for only when the file has no key.
    pub(super) fn doc<B: AsRef<[u8]>>(
        &self,
        source: usize,
        bytes: impl FnOnce() -> B,
        id: PageId,
        page: &Page,
    ) -> Key {
        KeyHasher::key(|h| {
            h.u64(self.links);
            match self.files.0.get(source) {
                Some(&file) => h.u64(1).u64(file),
                None => h.u64(0).bytes(bytes().as_ref()),
            };
            h.u64(id as u64)
                .str(&page.display_path)
                .u64(page.body_start as u64)
                .u64(page.body_line as u64);
        })
    }

    /// The key of what search indexing finds in a page: its body (`doc`), title and URL.
    pub(super) fn search(&self, doc: Key, title: &str, url: &str) -> Key {
        KeyHasher::key(|h| {
            h.str("search").u64(doc).str(title).str(url);
        })
    }

    /// The quick key of a page's HTML: the book, the page, its body's key (`None` for a
    /// generated page), the templates and the site. Views are a function of these.
    pub(super) fn quick_page(&self, page: PageId, doc: Option<Key>) -> Key {
        KeyHasher::key(|h| {
            h.u64(self.context)
                .u64(self.book)
                .u64(page as u64)
                .u64(u64::from(doc.is_some()))
                .u64(doc.unwrap_or(0));
        })
    }

    /// The whole-context key of a page's HTML: its views (without the body) serialized, its
    /// body's key, the templates and the site.
    pub(super) fn page<C: Serialize>(&self, doc: Option<Key>, context: &C) -> Key {
        KeyHasher::key(|h| {
            h.u64(self.context)
                .u64(u64::from(doc.is_some()))
                .u64(doc.unwrap_or(0))
                .json(context);
        })
    }
}

impl BuildKeys {
    /// The key of a generated file (`what`: the course map, a print view, a tag page) made
    /// from the book, the templates, the site and link targets, plus what `f` writes.
    pub(super) fn generated(&self, what: &str, f: impl FnOnce(&mut KeyHasher)) -> Key {
        KeyHasher::key(|h| {
            h.str(what).u64(self.links).u64(self.context).u64(self.book);
            f(h);
        })
    }
}

/// The `Debug` form of each item, hashed in parallel.
fn debug_keys<T: std::fmt::Debug + Sync>(items: &[T]) -> Vec<Key> {
    items
        .par_iter()
        .map(|item| {
            KeyHasher::key(|h| {
                h.debug(item);
            })
        })
        .collect()
}
