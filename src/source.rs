//! SourceSet: an in-memory snapshot of a project. The only place the build reads the disk.

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::output::slash_path;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One file of the content tree: its path relative to the content directory (with `/`)
/// and its raw bytes (decoded later, so that invalid UTF-8 becomes a diagnostic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to the content directory, with `/`.
    pub path: String,
    /// As read.
    pub bytes: Vec<u8>,
}

/// Everything a build needs, read from disk once.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    /// `book.toml`, parsed (the defaults without one).
    pub config: Config,
    /// The content directory's name relative to the project root, for diagnostics.
    pub content_dir: String,
    /// Content files, sorted by path.
    pub content: Vec<SourceFile>,
    /// Project templates overriding the embedded ones, by relative name (`partials/head.html`).
    pub templates: BTreeMap<String, String>,
    /// Project static files, copied to the site as they are.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Problems met while reading (unreadable files, symlink loops).
    pub diagnostics: Vec<Diagnostic>,
}

impl SourceSet {
    /// An in-memory project, for tests: content paths relative to `content/`.
    #[cfg(test)]
    pub(crate) fn from_memory(config: Config, files: &[(&str, &str)]) -> SourceSet {
        let content = files
            .iter()
            .map(|(p, t)| SourceFile {
                path: p.to_string(),
                bytes: t.as_bytes().to_vec(),
            })
            .collect();
        SourceSet {
            content_dir: config.book.src.clone(),
            config,
            content,
            ..Default::default()
        }
    }
}

impl SourceSet {
    /// Brings the snapshot up to date after the given files or folders changed (paths
    /// relative to `root`, as a watcher reports them): a content file is re-read alone, in
    /// place, keeping the order of `read`; a change under `templates/` or `static/` re-reads
    /// that folder; a change to `book.toml` re-reads the whole project. Anything else is
    /// ignored. The result is what `read` would return now.
    pub(crate) fn refresh(&mut self, root: &Path, changed: &[PathBuf]) -> Result<(), Diagnostic> {
        let config_changed = changed.iter().any(|p| p == Path::new("book.toml"));
        if config_changed {
            *self = read(root)?;
            return Ok(());
        }
        let under = |dir: &str| changed.iter().any(|p| p.starts_with(dir));
        if under("templates") {
            self.retain_diagnostics("templates");
            self.templates = read_templates(root, &mut self.diagnostics);
        }
        if under("static") {
            self.retain_diagnostics("static");
            self.static_files = walk(&root.join("static"), "static", &mut self.diagnostics)
                .into_iter()
                .collect();
        }
        let content_dir = Path::new(&self.content_dir);
        let content: Vec<String> = changed
            .iter()
            .filter_map(|p| match self.content_dir.as_str() {
                "" | "." => Some(p.as_path()),
                _ => p.strip_prefix(content_dir).ok(),
            })
            .map(slash_path)
            .collect();
        if content.iter().any(|p| p.is_empty()) {
            // The content folder itself: read it all again.
            *self = read(root)?;
        } else if !content.is_empty() {
            self.refresh_content(root, &content);
        }
        Ok(())
    }

    /// Re-reads content paths (relative to the content dir): each is a file, a folder or gone.
    fn refresh_content(&mut self, root: &Path, changed: &[String]) {
        let dir = root.join(&self.content_dir);
        let label = self.content_dir.clone();
        let inside = |path: &str| {
            changed.iter().any(|c| {
                path == c
                    || path
                        .strip_prefix(c.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        };
        self.content.retain(|f| !inside(&f.path));
        self.diagnostics.retain(|d| {
            d.path
                .strip_prefix(&label)
                .and_then(|p| p.strip_prefix('/'))
                .is_none_or(|p| !inside(p))
        });
        let mut fresh = Vec::new();
        for rel in changed {
            let path = dir.join(rel);
            if path.is_dir() {
                let folder_label = format!("{label}/{rel}");
                for (sub, bytes) in walk(&path, &folder_label, &mut self.diagnostics) {
                    fresh.push(SourceFile {
                        path: format!("{rel}/{sub}"),
                        bytes,
                    });
                }
            } else if path.is_file() {
                match std::fs::read(&path) {
                    Ok(bytes) => fresh.push(SourceFile {
                        path: rel.clone(),
                        bytes,
                    }),
                    Err(e) => self.diagnostics.push(Diagnostic::error(
                        format!("{label}/{rel}"),
                        0,
                        0,
                        format!("cannot read file: {e}"),
                    )),
                }
            }
        }
        fresh.sort_by(|a, b| path_order(&a.path, &b.path));
        fresh.dedup_by(|a, b| a.path == b.path);
        self.content.extend(fresh);
        self.content.sort_by(|a, b| path_order(&a.path, &b.path));
    }

    fn retain_diagnostics(&mut self, folder: &str) {
        self.diagnostics.retain(|d| {
            d.path
                .strip_prefix(folder)
                .is_none_or(|rest| !rest.is_empty() && !rest.starts_with('/'))
        });
    }
}

/// The order of `read`: a folder's entries sorted by name, depth first (so `a/b` comes
/// before `a-b`, unlike a plain string sort).
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Reads `book.toml` (optional), the content tree, `templates/` and `static/` under `root`.
///
/// Fails only where nothing useful can be built: a bad `book.toml` or a missing content dir.
pub fn read(root: &Path) -> Result<SourceSet, Diagnostic> {
    let config = read_config(root)?;
    let content_root = root.join(&config.book.src);
    if !content_root.is_dir() {
        return Err(Diagnostic::error(
            config.book.src.clone(),
            0,
            0,
            format!("content directory `{}` not found", content_root.display()),
        )
        .with_help("create it, or set `[book] src` in book.toml"));
    }
    let mut diagnostics = Vec::new();
    let content_dir = config.book.src.trim_end_matches('/').to_string();
    let content = walk(&content_root, &content_dir, &mut diagnostics)
        .into_iter()
        .map(|(path, bytes)| SourceFile { path, bytes })
        .collect();
    let templates = read_templates(root, &mut diagnostics);
    let static_files = walk(&root.join("static"), "static", &mut diagnostics)
        .into_iter()
        .collect();
    Ok(SourceSet {
        config,
        content_dir,
        content,
        templates,
        static_files,
        diagnostics,
    })
}

/// The project's template overrides, by name.
fn read_templates(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<String, String> {
    let mut templates = BTreeMap::new();
    for (path, bytes) in walk(&root.join("templates"), "templates", diagnostics) {
        match String::from_utf8(bytes) {
            Ok(text) => {
                templates.insert(path, text);
            }
            Err(_) => diagnostics.push(Diagnostic::error(
                format!("templates/{path}"),
                0,
                0,
                "template is not valid UTF-8",
            )),
        }
    }
    templates
}

/// Reads and parses `book.toml`; a missing file means the defaults.
pub(crate) fn read_config(root: &Path) -> Result<Config, Diagnostic> {
    let path = root.join("book.toml");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::error("book.toml", 0, 0, "book.toml is not valid UTF-8")
            })?;
            config::parse(&text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(Diagnostic::error(
            "book.toml",
            0,
            0,
            format!("cannot read book.toml: {e}"),
        )),
    }
}

/// Files under `dir` as (relative path, bytes), sorted; a missing dir is empty.
/// Symlinks are followed; loops and unreadable entries become diagnostics.
fn walk(dir: &Path, label: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(walk_error(dir, label, &e));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(dir, entry.path());
        match std::fs::read(entry.path()) {
            Ok(bytes) => files.push((rel, bytes)),
            Err(e) => diagnostics.push(Diagnostic::error(
                format!("{label}/{rel}"),
                0,
                0,
                format!("cannot read file: {e}"),
            )),
        }
    }
    files
}

fn walk_error(dir: &Path, label: &str, e: &walkdir::Error) -> Diagnostic {
    let at = e
        .path()
        .map(|p| format!("{label}/{}", relative(dir, p)))
        .unwrap_or_else(|| label.to_string());
    match e.loop_ancestor() {
        Some(ancestor) => Diagnostic::error(
            at,
            0,
            0,
            format!(
                "symlink loop: this link points back to its ancestor `{}`",
                ancestor.display()
            ),
        )
        .with_help("remove the link or point it outside the content tree"),
        None => Diagnostic::error(at, 0, 0, format!("cannot read: {e}")),
    }
}

fn relative(dir: &Path, path: &Path) -> String {
    slash_path(path.strip_prefix(dir).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn paths(s: &SourceSet) -> Vec<&str> {
        s.content.iter().map(|f| f.path.as_str()).collect()
    }

    fn assert_same(a: &SourceSet, b: &SourceSet) {
        assert_eq!(a.content, b.content);
        assert_eq!(a.templates, b.templates);
        assert_eq!(a.static_files, b.static_files);
        assert_eq!(a.diagnostics, b.diagnostics);
        assert_eq!(a.content_dir, b.content_dir);
    }

    #[test]
    fn order_is_by_folder_then_name() {
        let mut v = vec!["a-b.md", "a/b.md", "a/a/z.md", "a.md", "b.md"];
        v.sort_by(|a, b| path_order(a, b));
        assert_eq!(v, ["a/a/z.md", "a/b.md", "a-b.md", "a.md", "b.md"]);
    }

    #[test]
    fn refresh_patches_files_and_folders_like_a_fresh_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/README.md", "# Home");
        write(root, "content/a/b.md", "# B");
        write(root, "content/a-b.md", "# AB");
        write(root, "templates/partials/footer.html", "f1");
        write(root, "static/x.txt", "x1");
        let mut sources = read(root).unwrap();
        assert_eq!(paths(&sources), ["README.md", "a/b.md", "a-b.md"]);

        write(root, "content/a/b.md", "# B2");
        write(root, "content/a/c.md", "# C");
        write(root, "content/new/deep/d.md", "# D");
        std::fs::remove_file(root.join("content/a-b.md")).unwrap();
        write(root, "templates/partials/footer.html", "f2");
        write(root, "static/y.txt", "y");
        let changed: Vec<PathBuf> = [
            "content/a/b.md",
            "content/a/c.md",
            "content/new",
            "content/a-b.md",
            "templates/partials/footer.html",
            "static/y.txt",
            "elsewhere/ignored.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        sources.refresh(root, &changed).unwrap();
        assert_same(&sources, &read(root).unwrap());
        assert_eq!(
            paths(&sources),
            ["README.md", "a/b.md", "a/c.md", "new/deep/d.md"]
        );

        std::fs::remove_dir_all(root.join("content/a")).unwrap();
        sources
            .refresh(root, &[PathBuf::from("content/a")])
            .unwrap();
        assert_same(&sources, &read(root).unwrap());
    }

    #[test]
    fn refresh_rereads_everything_when_book_toml_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/README.md", "# Home");
        write(root, "docs/README.md", "# Docs");
        let mut sources = read(root).unwrap();
        write(root, "book.toml", "[book]\nsrc = \"docs\"\n");
        sources
            .refresh(root, &[PathBuf::from("book.toml")])
            .unwrap();
        assert_eq!(sources.content_dir, "docs");
        assert_eq!(sources.content[0].bytes, b"# Docs");
        write(root, "book.toml", "[book]\nnope = 1\n");
        assert!(sources
            .refresh(root, &[PathBuf::from("book.toml")])
            .is_err());
    }
}
